package workspace_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

func fixedClock() func() time.Time { return workspacetest.Clock(workspacetest.Start) }

func loadTemplate(tb testing.TB, name string) *workspace.Template {
	tb.Helper()
	return workspacetest.Template(tb, name)
}

// mustCreate makes a workspace from a template in a temp dir and closes it
// with the test.
func mustCreate(tb testing.TB, template string, opts workspace.Options) (*workspace.Store, string) {
	tb.Helper()
	return workspacetest.Create(tb, template, opts)
}

// mustOpenStore gives a test the demo workspace on disk.
func mustOpenStore(tb testing.TB) *workspace.Store {
	tb.Helper()
	s, _ := mustCreate(tb, "three-pillars", workspace.Options{})
	return s
}

func mustSnapshot(tb testing.TB, s *workspace.Store) *workspace.Snapshot {
	tb.Helper()
	return workspacetest.Snapshot(tb, s)
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
