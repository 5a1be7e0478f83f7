package team

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// Tests open many team files: a low scrypt cost keeps them quick. The
// cost itself is checked by TestTeamFile_WorkFactor.
func init() { teamWorkFactor = 10 }

func TestMain(m *testing.M) {
	code := m.Run()
	closeFixture()
	os.Exit(code)
}

var testPass = []byte("correct horse battery staple")

// newStore makes a workspace from the demo template.
func newStore(tb testing.TB) *workspace.Store {
	tb.Helper()
	s, _ := workspacetest.Create(tb, "three-pillars", workspace.Options{})
	return s
}

// newCopy makes a colleague's workspace from the team folder.
func newCopy(tb testing.TB, root string, opts Options) (*workspace.Store, *Folder) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "ws")
	s, f, err := NewWorkspace(dir, root, opts, workspace.Options{Now: workspacetest.Clock(workspacetest.Start)})
	if err != nil {
		tb.Fatalf("new workspace from the team folder: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, f
}

func mustOpen(tb testing.TB, s *workspace.Store, root string, opts Options) *Folder {
	tb.Helper()
	f, err := Open(s, root, opts)
	if err != nil {
		tb.Fatalf("open team folder: %v", err)
	}
	return f
}

func mustRound(tb testing.TB, f *Folder) *Report {
	tb.Helper()
	rep, err := f.Round(context.Background())
	if err != nil {
		tb.Fatalf("round: %v", err)
	}
	return rep
}

// dump is a copy's state as a share file capped at the folder's default
// cap carries it, record by record with its stamps: two copies that
// converged dump alike.
func dump(tb testing.TB, s *workspace.Store) map[string]string {
	tb.Helper()
	var buf bytes.Buffer
	cap := DefaultCap
	if _, err := s.Share(&buf, workspace.ShareOptions{MaxTLP: &cap}); err != nil {
		tb.Fatal(err)
	}
	sf, err := workspace.ReadShare(&buf, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return recordsOf(sf)
}

// recordsOf lists a share file's records with their stamps, by key.
func recordsOf(sf *workspace.ShareFile) map[string]string {
	out := map[string]string{}
	for _, r := range sf.Records {
		v, _ := json.Marshal(r.Record)
		st, _ := json.Marshal(r.Stamps)
		out[r.Key] = string(v) + "\n" + string(st)
	}
	return out
}

// diffDumps names the records two dumps disagree on.
func diffDumps(a, b map[string]string) string {
	var diffs []string
	for k, v := range a {
		if b[k] != v {
			diffs = append(diffs, k+":\n  "+v+"\n  "+b[k])
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			diffs = append(diffs, k+": missing on the first")
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 5 {
		diffs = append(diffs[:5], "…")
	}
	return strings.Join(diffs, "\n")
}

// fastDir is a temporary directory in memory where the system has one
// (/dev/shm): the simulations make thousands of small synced writes, and
// what they test is the order of files, not the disk.
func fastDir(tb testing.TB) string {
	tb.Helper()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "briefboard-team-"); err == nil {
			tb.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return tb.TempDir()
}
