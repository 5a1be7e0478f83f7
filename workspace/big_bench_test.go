package workspace_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// BenchmarkBig10000 measures the store's whole-workspace paths on the
// generated benchmark data (workspacetest.BigTemplate): 10,000 cards of
// about 80 words, two annotations and one to three quoted citations each.
// The workspace is made once (it takes seconds); each part is a
// sub-benchmark, so one can be profiled alone:
//
//	go test ./workspace -run '^$' -bench 'Big10000/Snapshot' -cpuprofile cpu.out
func BenchmarkBig10000(b *testing.B) {
	root := b.TempDir()
	dir := filepath.Join(root, "ws")
	s, err := workspacetest.CreateBig(dir, workspacetest.BigCards, workspacetest.BigSeed, workspace.Options{Now: fixedClock()})
	if err != nil {
		b.Fatal(err)
	}
	var plain bytes.Buffer
	if _, err := s.Share(&plain, workspace.ShareOptions{}); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	sf, err := workspace.ReadShare(bytes.NewReader(plain.Bytes()), nil)
	if err != nil {
		b.Fatal(err)
	}
	// A colleague's copy in which every card was edited.
	other, _, err := workspace.CreateFromShare(filepath.Join(root, "other"), sf, workspace.Options{Now: fixedClock()})
	if err != nil {
		b.Fatal(err)
	}
	if err := workspacetest.ReviseAll(other, 2); err != nil {
		b.Fatal(err)
	}
	var edited bytes.Buffer
	if _, err := other.Share(&edited, workspace.ShareOptions{}); err != nil {
		b.Fatal(err)
	}
	other.Close()
	sfEdited, err := workspace.ReadShare(bytes.NewReader(edited.Bytes()), nil)
	if err != nil {
		b.Fatal(err)
	}

	open := func(b *testing.B, dir string) *workspace.Store {
		b.Helper()
		s, err := workspace.Open(dir, workspace.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	// fresh copies the workspace directory, the timer stopped, for the
	// parts that change it.
	fresh := func(b *testing.B) *workspace.Store {
		b.Helper()
		b.StopTimer()
		to := filepath.Join(b.TempDir(), "copy")
		copyWorkspace(b, dir, to)
		s := open(b, to)
		b.StartTimer()
		return s
	}

	b.Run("OpenClose", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			open(b, dir).Close()
		}
	})
	b.Run("Snapshot", func(b *testing.B) {
		s := open(b, dir)
		defer s.Close()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := s.Snapshot(); err != nil {
				b.Fatal(err)
			}
		}
	})
	s = open(b, dir)
	snap, err := s.Snapshot()
	s.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("IndexBuild", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			workspace.NewIndex(snap)
		}
	})
	ix := workspace.NewIndex(snap)
	for _, q := range []struct{ name, text string }{
		{"grain_treaty", "grain treaty"}, {"kyiv", "kyiv"}, {"Київ_guarantee", "Київ guarantee"},
		{"sanctions_relief", "sanctions relief"}, {"no_match", "nothing matches this"}, {"zelenskyy", "zelenskyy"},
	} {
		b.Run("Search/"+q.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for i := 0; i < b.N; i++ {
				n = len(ix.Search(workspace.Query{Text: q.text}))
			}
			b.ReportMetric(float64(n), "matches")
		})
	}
	// An edit of one card as the window will take it: the action, then the
	// snapshot and the search index brought up to it from its journal
	// entry instead of read again.
	b.Run("EditApply", func(b *testing.B) {
		s := open(b, dir)
		defer s.Close()
		snap, err := s.Snapshot()
		if err != nil {
			b.Fatal(err)
		}
		ix := workspace.NewIndex(snap)
		card := snap.LaneCards[snap.Lanes[snap.Boards[0].ID][0].ID][0].ID
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			e, err := s.Do("Edit card", func(tx *workspace.Tx) error {
				_, err := tx.UpdateCard(card, func(c *workspace.Card) error {
					c.Title = fmt.Sprintf("Edited title %d", i)
					return nil
				})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			if snap, err = snap.Apply(e); err != nil {
				b.Fatal(err)
			}
			ix.Apply(snap, e)
		}
		if got := ix.Search(workspace.Query{Text: fmt.Sprintf("edited title %d", b.N-1)}); len(got) != 1 {
			b.Fatalf("the index finds %d cards with the last title", len(got))
		}
	})
	b.Run("Share", func(b *testing.B) {
		s := open(b, dir)
		defer s.Close()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := s.Share(io.Discard, workspace.ShareOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReadShare", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := workspace.ReadShare(bytes.NewReader(plain.Bytes()), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CreateFromShare", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			s, _, err := workspace.CreateFromShare(filepath.Join(b.TempDir(), "new"), sf, workspace.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
	})
	b.Run("ImportUnchanged", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			s := fresh(b)
			res, err := s.Import(sf)
			if err != nil {
				b.Fatal(err)
			}
			if res.Changed() {
				b.Fatal("importing the workspace's own file changed it")
			}
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
	})
	b.Run("ImportEveryCardChanged", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			s := fresh(b)
			if _, err := s.Import(sfEdited); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
	})
}

// copyWorkspace copies a closed workspace directory.
func copyWorkspace(tb testing.TB, from, to string) {
	tb.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		tb.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), data, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
}
