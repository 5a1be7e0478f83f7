package main

import (
	"io"
	"path/filepath"
	"testing"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// BenchmarkList_Big10000 runs `list --json` and plain `list` on the
// generated benchmark workspace of 10,000 cards, in process: opening the
// store, reading it and writing the listing. Whole-process figures (peak
// RSS) come from workspace/workspacetest/measure.sh.
func BenchmarkList_Big10000(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "ws")
	s, err := workspacetest.CreateBig(dir, workspacetest.BigCards, workspacetest.BigSeed, workspace.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	for _, c := range []struct {
		name string
		args []string
	}{
		{"JSON", []string{"list", "--workspace", dir, "--json"}},
		{"Plain", []string{"list", "--workspace", dir}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if code := run(c.args, io.Discard, io.Discard); code != 0 {
					b.Fatalf("%v exited %d", c.args, code)
				}
			}
		})
	}
}
