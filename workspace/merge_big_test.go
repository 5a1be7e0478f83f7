package workspace

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"briefboard/resources"
)

// bigWorkspace makes a workspace of n cards, added in actions of 250, each
// with a body of a few hundred bytes.
func bigWorkspace(tb testing.TB, n int) *Store {
	tb.Helper()
	data, err := resources.Template("empty")
	if err != nil {
		tb.Fatal(err)
	}
	tpl, err := ParseTemplate(data)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := Create(filepath.Join(tb.TempDir(), "big"), tpl, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	snap, err := s.Snapshot()
	if err != nil {
		tb.Fatal(err)
	}
	body := strings.Repeat("The guarantee framework rests on a mutual-defence clause and a monitoring mission. ", 4)
	for done := 0; done < n; {
		_, err := s.Do("Add cards", func(tx *Tx) error {
			for i := 0; i < 250 && done+i < n; i++ {
				b := snap.Boards[(done+i)%len(snap.Boards)]
				if _, err := tx.AddCard(CardDraft{Board: b.ID, Lane: DefaultLanes[(done+i)%5], Title: fmt.Sprintf("Card %d", done+i), Body: body}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
		done += 250
	}
	return s
}

// editAll changes every card's body, in actions of 500.
func editAll(tb testing.TB, s *Store, text string) {
	tb.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for id := range snap.Cards {
		ids = append(ids, id)
	}
	for len(ids) > 0 {
		batch := ids[:min(500, len(ids))]
		ids = ids[len(batch):]
		_, err := s.Do("Edit cards", func(tx *Tx) error {
			for _, id := range batch {
				if _, err := tx.UpdateCard(id, func(c *Card) error { c.Body = text + c.Title; return nil }); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

func shareOf(tb testing.TB, s *Store) *ShareFile {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := s.Share(&buf, ShareOptions{}); err != nil {
		tb.Fatal(err)
	}
	sf, err := ReadShare(&buf, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return sf
}

// fingerprint hashes every key and value of the store: any change at all
// shows.
func fingerprint(tb testing.TB, s *Store) (string, int) {
	tb.Helper()
	h := sha256.New()
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%q=%q\n", it.Item().Key(), v)
			n++
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil)), n
}

func TestImport_10000CardsIsAllOrNothing(t *testing.T) {
	a := bigWorkspace(t, 10000)
	start := time.Now()
	b, res, err := CreateFromShare(filepath.Join(t.TempDir(), "b"), shareOf(t, a), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	t.Logf("copy of 10,000 cards made in %v", time.Since(start))
	if len(res.Added) < 10000 {
		t.Fatalf("copy added %d records", len(res.Added))
	}
	editAll(t, a, "Revised: ")
	file := shareOf(t, a)
	// Damage the record the import reaches last, so it fails after
	// merging everything else.
	last := file.Records[0].Key
	for _, r := range file.Records {
		if r.RecordKind == RecCard && r.Key > last {
			last = r.Key
		}
	}
	var good []byte
	err = b.db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(last))
		if err != nil {
			return err
		}
		if good, err = item.ValueCopy(nil); err != nil {
			return err
		}
		return txn.Set([]byte(last), []byte(`{"id":`))
	})
	if err != nil {
		t.Fatal(err)
	}
	before, n := fingerprint(t, b)
	if _, err := b.Import(file); err == nil || !strings.Contains(err.Error(), last) {
		t.Fatalf("import over a damaged record: %v", err)
	}
	if after, _ := fingerprint(t, b); after != before {
		t.Fatalf("a failed import of 10,000 cards changed the store (%d keys before)", n)
	}
	// Repaired, the same file imports whole.
	if err := b.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(last), good) }); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	res, err = b.Import(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("import of 10,000 changed cards in %v", time.Since(start))
	if len(res.Updated) != 10000 {
		t.Fatalf("updated %d cards", len(res.Updated))
	}
	var da, db bytes.Buffer
	a.Share(&da, ShareOptions{})
	b.Share(&db, ShareOptions{})
	ra, _ := ReadShare(&da, nil)
	rb, _ := ReadShare(&db, nil)
	if len(ra.Records) != len(rb.Records) {
		t.Fatal("copies differ after the import")
	}
	for i := range ra.Records {
		if ra.Records[i].Key != rb.Records[i].Key {
			t.Fatalf("copies differ at %s", ra.Records[i].Key)
		}
	}
	// The import is one step to undo.
	if _, err := b.Undo(); err != nil {
		t.Fatal(err)
	}
	snap, _ := b.Snapshot()
	for _, c := range snap.Cards {
		if strings.HasPrefix(c.Body, "Revised: ") {
			t.Fatal("undo left an imported body")
		}
	}
	if stage, _ := fingerprintPrefix(b, prefixStage); stage != 0 {
		t.Fatalf("%d stage keys left", stage)
	}
}

func fingerprintPrefix(s *Store, prefix string) (int, error) {
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		return scanKeys(txn, prefix, func(_, _ []byte) error { n++; return nil })
	})
	return n, err
}

func BenchmarkShare_10000Cards(b *testing.B) {
	s := bigWorkspace(b, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Share(io.Discard, ShareOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImport_10000CardsNewCopy(b *testing.B) {
	sf := shareOf(b, bigWorkspace(b, 10000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, _, err := CreateFromShare(filepath.Join(b.TempDir(), "copy"), sf, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c.Close()
		b.StartTimer()
	}
}

func BenchmarkImport_10000CardsAllChanged(b *testing.B) {
	a := bigWorkspace(b, 10000)
	base := shareOf(b, a)
	editAll(b, a, "Revised: ")
	sf := shareOf(b, a)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c, _, err := CreateFromShare(filepath.Join(b.TempDir(), "copy"), base, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := c.Import(sf); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c.Close()
		b.StartTimer()
	}
}

func BenchmarkRead_10000Cards(b *testing.B) {
	var buf bytes.Buffer
	if _, err := bigWorkspace(b, 10000).Share(&buf, ShareOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ReadShare(bytes.NewReader(buf.Bytes()), nil); err != nil {
			b.Fatal(err)
		}
	}
}
