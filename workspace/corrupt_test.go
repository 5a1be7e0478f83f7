package workspace

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// A damaged record gives an error that names it, never a panic, and a
// refused action leaves the rest as it was.
func TestStore_DamagedRecordIsAnError(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	s, err := Create(dir, &Template{Title: "T", Boards: []TemplateBoard{{Key: "b", Title: "B", Lanes: DefaultLanes}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.AddCard(CardDraft{Board: snap.Boards[0].ID, Title: "fine"})
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(txn *badger.Txn) error { return txn.Set(cardKey(c.ID), []byte(`{"id": 12, "title": [`)) })
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Snapshot()
	if err == nil || !strings.Contains(err.Error(), "card/"+c.ID) {
		t.Fatalf("snapshot of a damaged card: %v", err)
	}
	_, err = s.UpdateCard(c.ID, "Edit card", func(c *Card) error { c.Title = "x"; return nil })
	if err == nil {
		t.Fatal("editing a damaged card succeeded")
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(keySchema), []byte("99")) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("open of a newer schema: %v", err)
	}
}
