// Package workspacetest gives tests of every package real workspaces to
// work on: Badger stores in temporary directories, made from the embedded
// templates, with pinned clocks. It is imported by tests only.
package workspacetest

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"briefboard/resources"
	"briefboard/workspace"
)

// Start is the time pinned clocks start from: a morning of the Florida
// talks.
var Start = time.Date(2025, 12, 28, 9, 0, 0, 0, time.UTC)

// Clock returns a clock that starts at from and moves one second per call,
// so journal times are distinct and predictable. It is safe for
// concurrent use: a store reads it from every goroutine that calls it.
func Clock(from time.Time) func() time.Time {
	var mu sync.Mutex
	t := from
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// Template reads an embedded template by name.
func Template(tb testing.TB, name string) *workspace.Template {
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

// Create makes a workspace from a template in a temporary directory and
// closes it when the test ends. Without opts.Now the clock is pinned to
// Start.
func Create(tb testing.TB, template string, opts workspace.Options) (*workspace.Store, string) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "ws")
	if opts.Now == nil {
		opts.Now = Clock(Start)
	}
	s, err := workspace.Create(dir, Template(tb, template), opts)
	if err != nil {
		tb.Fatalf("create workspace: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, dir
}

// Snapshot reads the whole live workspace or fails the test.
func Snapshot(tb testing.TB, s *workspace.Store) *workspace.Snapshot {
	tb.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		tb.Fatal(err)
	}
	return snap
}
