package workspace_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"briefboard/resources"
	"briefboard/workspace"
)

// fixedClock returns a clock that starts at a pinned time and moves one
// second per call, so journal times are distinct and predictable.
func fixedClock() func() time.Time {
	t := time.Date(2025, 12, 28, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

func loadTemplate(tb testing.TB, name string) *workspace.Template {
	tb.Helper()
	data, err := resources.Template(name)
	if err != nil {
		tb.Fatal(err)
	}
	t, err := workspace.ParseTemplate(data)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// mustCreate makes a workspace from a template in a temp dir and closes it
// with the test.
func mustCreate(tb testing.TB, template string, opts workspace.Options) (*workspace.Store, string) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "ws")
	if opts.Now == nil {
		opts.Now = fixedClock()
	}
	s, err := workspace.Create(dir, loadTemplate(tb, template), opts)
	if err != nil {
		tb.Fatalf("create workspace: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, dir
}

// mustOpenStore gives a test the demo workspace on disk.
func mustOpenStore(tb testing.TB) *workspace.Store {
	tb.Helper()
	s, _ := mustCreate(tb, "three-pillars", workspace.Options{})
	return s
}

func mustSnapshot(tb testing.TB, s *workspace.Store) *workspace.Snapshot {
	tb.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		tb.Fatal(err)
	}
	return snap
}

func boardNamed(tb testing.TB, snap *workspace.Snapshot, title string) *workspace.Board {
	tb.Helper()
	b := snap.FindBoard(title)
	if b == nil {
		tb.Fatalf("no board %q", title)
	}
	return b
}

func laneNamed(tb testing.TB, snap *workspace.Snapshot, board, name string) *workspace.Lane {
	tb.Helper()
	for _, l := range snap.Lanes[board] {
		if l.Name == name {
			return l
		}
	}
	tb.Fatalf("no lane %q", name)
	return nil
}

func dirSize(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}
