package workspace

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// bigWrites is a large action's worth of writes: more than one piece of a
// stage file.
func bigWrites(word string) map[string]pending {
	w := map[string]pending{}
	for i := 0; i < 3000; i++ {
		w[fmt.Sprintf("test/%05d", i)] = pending{val: []byte(strings.Repeat(word+" ", 300))}
	}
	w["test/gone"] = pending{del: true}
	return w
}

// A stage file reads back exactly what was written, plain or sealed, and
// a sealed one shows none of the text.
func TestStageFile_RoundTripAndSealed(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	for _, k := range [][]byte{nil, key} {
		dir := t.TempDir()
		w := bigWrites("monitoringmission")
		if err := writeStageFile(dir, k, w); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, stageFile)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) < 2*stageChunk && k == nil {
			t.Fatalf("a stage of %d bytes has one piece only", len(raw))
		}
		if shows := bytes.Contains(raw, []byte("monitoringmission")); shows != (k == nil) {
			t.Fatalf("key %v: the file shows the text: %v", k != nil, shows)
		}
		got := map[string]pending{}
		if err := readStageFile(path, k, func(key string, p pending) error { got[key] = p; return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(w) {
			t.Fatalf("read %d writes, wrote %d", len(got), len(w))
		}
		for key, p := range w {
			if g := got[key]; g.del != p.del || !bytes.Equal(g.val, p.val) {
				t.Fatalf("write %s differs", key)
			}
		}
		// The wrong key, no key, a flipped byte, a cut: each refused.
		other := make([]byte, 32)
		rand.Read(other)
		for name, try := range map[string]func() error{
			"wrong key": func() error { return readStageFile(path, other, func(string, pending) error { return nil }) },
			"no key or a key": func() error {
				var kk []byte
				if k == nil {
					kk = key
				}
				return readStageFile(path, kk, func(string, pending) error { return nil })
			},
			"flipped": func() error {
				b := append([]byte(nil), raw...)
				b[len(b)/2] ^= 1
				os.WriteFile(path+"x", b, 0o600)
				return readStageFile(path+"x", k, func(string, pending) error { return nil })
			},
			"cut": func() error {
				os.WriteFile(path+"x", raw[:len(raw)-7], 0o600)
				return readStageFile(path+"x", k, func(string, pending) error { return nil })
			},
		} {
			if name == "wrong key" && k == nil {
				continue
			}
			if err := try(); err == nil {
				t.Errorf("key %v: %s: read without error", k != nil, name)
			}
		}
	}
}

// A crash after the stage file was renamed into place is finished on
// open; one before is dropped; both count as recovered.
func TestStageFile_FinishedOrDroppedOnOpen(t *testing.T) {
	for _, committed := range []bool{true, false} {
		s := openTemp(t)
		dir := s.Dir()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := writeStageFile(dir, nil, bigWrites("word")); err != nil {
			t.Fatal(err)
		}
		if !committed {
			os.Rename(filepath.Join(dir, stageFile), filepath.Join(dir, stageTemp))
		}
		s, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !s.Recovered() {
			t.Errorf("committed %v: opening did not report a recovered stage", committed)
		}
		for _, name := range []string{stageFile, stageTemp} {
			if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("committed %v: %s is still there", committed, name)
			}
		}
		n := 0
		s.db.View(func(txn *badger.Txn) error {
			return scanKeys(txn, "test/", func(_, _ []byte) error { n++; return nil })
		})
		if committed && n != 3000 || !committed && n != 0 {
			t.Errorf("committed %v: %d writes in place", committed, n)
		}
		s.Close()
	}
}

// A stage that an earlier Briefboard left inside Badger is still finished.
func TestStage_InBadgerFromAnEarlierVersionIsFinished(t *testing.T) {
	s := openTemp(t)
	dir := s.Dir()
	w := bigWrites("word")
	var chunk []byte
	for k, p := range w {
		chunk = appendStaged(chunk, k, p)
	}
	err := s.db.Update(func(txn *badger.Txn) error {
		if err := txn.Set(stageKey(0), chunk); err != nil {
			return err
		}
		return txn.Set([]byte(keyStageDone), []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.Recovered() {
		t.Error("the stage in Badger was not reported")
	}
	n, stage := 0, 0
	s.db.View(func(txn *badger.Txn) error {
		scanKeys(txn, "test/", func(_, _ []byte) error { n++; return nil })
		return scanKeys(txn, prefixStage, func(_, _ []byte) error { stage++; return nil })
	})
	if n != 3000 || stage != 0 {
		t.Errorf("%d writes in place, %d stage keys left", n, stage)
	}
}

// openTemp makes a small workspace in a temporary directory.
func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Create(filepath.Join(t.TempDir(), "ws"), &Template{Title: "T", Boards: []TemplateBoard{{Key: "b", Title: "B", Lanes: DefaultLanes}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
