package workspace

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/klauspost/compress/s2"

	"briefboard/resources"
)

// asSchema1 rewrites a closed workspace the way schema 1 stored it: no
// marking on writes, no releases, no held writes, and boards, lanes and
// the header without a marking field.
func asSchema1(t *testing.T, dir string) {
	t.Helper()
	db, err := badger.Open(badgerOptions(dir, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := map[string][]byte{keySchema: []byte("1")}
	err = db.View(func(txn *badger.Txn) error {
		for _, p := range []string{prefixStamp, prefixBoard, prefixLane, keyMeta, prefixCard, prefixSource, prefixAnn} {
			err := scanKeys(txn, p, func(key, v []byte) error {
				var obj map[string]json.RawMessage
				if err := json.Unmarshal(v, &obj); err != nil {
					return err
				}
				if p == prefixStamp {
					var st Stamps
					if err := json.Unmarshal(v, &st); err != nil {
						return err
					}
					strip := func(s *Stamp) { s.M, s.Rel = 0, nil }
					strip(&st.Base)
					for f, s := range st.Fields {
						strip(&s)
						for i := range s.Alt {
							strip(&s.Alt[i].Stamp)
						}
						st.Fields[f] = s
					}
					w[string(key)] = mustJSON(st)
					return nil
				}
				delete(obj, "held")
				if p == prefixBoard || p == prefixLane || p == keyMeta {
					delete(obj, "tlp")
				}
				w[string(key)] = mustJSON(obj)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wb := db.NewWriteBatch()
	for k, v := range w {
		if err := wb.Set([]byte(k), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
}

func TestMigrate_Schema1GivesWritesTheirRecordsMarking(t *testing.T) {
	data, err := resources.Template("three-pillars")
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := ParseTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "ws")
	s, err := Create(dir, tpl, Options{Now: func() time.Time { return time.Date(2025, 12, 28, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	// Enough records that the migration is staged, not one transaction.
	snap, _ := s.Snapshot()
	board := snap.Boards[0].ID
	_, err = s.Do("Add many", func(tx *Tx) error {
		for i := 0; i < 1500; i++ {
			red := TLPRed
			if _, err := tx.AddCard(CardDraft{Board: board, Title: fmt.Sprintf("Card %d", i), TLP: &red,
				Body: strings.Repeat("words of a negotiation ", 15)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	asSchema1(t, dir)

	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("open a schema 1 workspace: %v", err)
	}
	defer s.Close()
	err = s.db.View(func(txn *badger.Txn) error {
		v, err := getString(txn, keySchema)
		if err != nil || v != fmt.Sprint(SchemaVersion) {
			return fmt.Errorf("schema %q after migration (%v)", v, err)
		}
		n := 0
		err = scanKeys(txn, prefixCard, func(key, v []byte) error {
			var c Card
			if err := json.Unmarshal(v, &c); err != nil {
				return err
			}
			var st Stamps
			if err := getJSON(txn, stampKey(key), &st); err != nil {
				return err
			}
			if st.Base.M != c.TLP {
				return fmt.Errorf("card %q (%s): creation written under %s", c.Title, c.TLP, st.Base.M)
			}
			for f, fs := range st.Fields {
				if fs.M < c.TLP {
					return fmt.Errorf("card %q (%s): %s written under %s", c.Title, c.TLP, f, fs.M)
				}
			}
			n++
			return nil
		})
		if n < 1500 {
			return fmt.Errorf("only %d cards migrated", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err = s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range snap.Boards {
		if b.TLP != TLPClear || snap.Marking(b) != TLPClear {
			t.Fatalf("board %q migrated as %s", b.Title, snap.Marking(b))
		}
	}
	// A lowered card of schema 1 keeps its history's markings: lowering it
	// now releases what this copy has seen.
	for _, c := range snap.Cards {
		if c.TLP == TLPRed && !strings.HasPrefix(c.Title, "Card ") {
			if err := s.SetMarking(KeyOf(c), TLPGreen); err != nil {
				t.Fatal(err)
			}
			after, _ := s.Snapshot()
			if m := after.Marking(after.Cards[c.ID]); m != TLPGreen {
				t.Fatalf("a lowered schema 1 card is %s", m)
			}
			return
		}
	}
	t.Fatal("no RED card in the demo")
}

// asSchema2Journal rewrites a closed workspace's journal the way schema 2
// stored it: the pieces of large entries as plain JSON.
func asSchema2Journal(t *testing.T, dir string) int {
	t.Helper()
	db, err := badger.Open(badgerOptions(dir, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := map[string][]byte{keySchema: []byte("2")}
	err = db.View(func(txn *badger.Txn) error {
		return scanKeys(txn, prefixLogPart, func(key, v []byte) error {
			if v[0] != pieceS2 {
				return fmt.Errorf("piece %s is not compressed", key)
			}
			plain, err := s2.Decode(nil, v[1:])
			if err != nil {
				return err
			}
			var group []Change
			if err := json.Unmarshal(plain, &group); err != nil {
				return err
			}
			w[string(key)] = mustJSON(group)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	wb := db.NewWriteBatch()
	for k, v := range w {
		if err := wb.Set([]byte(k), v); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	return len(w) - 1
}

// A workspace of schema 2 opens; the large entries its journal holds
// still undo and redo.
func TestMigrate_Schema2JournalStillUndoes(t *testing.T) {
	s := openTemp(t)
	dir := s.Dir()
	snap, _ := s.Snapshot()
	board := snap.Boards[0].ID
	_, err := s.Do("Add many", func(tx *Tx) error {
		for i := 0; i < 3000; i++ {
			if _, err := tx.AddCard(CardDraft{Board: board, Title: fmt.Sprintf("Card %d", i),
				Body: strings.Repeat("words of a negotiation ", 20)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Snapshot()
	s.Close()
	if n := asSchema2Journal(t, dir); n < 2 {
		t.Fatalf("the large entry has %d pieces", n)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("open a schema 2 workspace: %v", err)
	}
	defer s.Close()
	s.db.View(func(txn *badger.Txn) error {
		if v, _ := getString(txn, keySchema); v != fmt.Sprint(SchemaVersion) {
			t.Errorf("schema %q after migration", v)
		}
		return nil
	})
	if _, err := s.Undo(); err != nil {
		t.Fatalf("undo a schema 2 entry: %v", err)
	}
	if after, _ := s.Snapshot(); len(after.Cards) != 0 {
		t.Fatalf("undo left %d cards", len(after.Cards))
	}
	if _, err := s.Redo(); err != nil {
		t.Fatalf("redo a schema 2 entry: %v", err)
	}
	after, _ := s.Snapshot()
	if len(after.Cards) != len(before.Cards) {
		t.Fatalf("redo gave %d cards, want %d", len(after.Cards), len(before.Cards))
	}
	for id, c := range before.Cards {
		if a := after.Cards[id]; a == nil || a.Body != c.Body || a.Title != c.Title {
			t.Fatalf("card %s after redo: %+v", id, a)
		}
	}
}
