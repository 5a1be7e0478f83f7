package export_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefboard/export"
	"briefboard/resources"
	"briefboard/workspace"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// pinned is the date golden briefs carry.
var pinned = time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)

// fixedClock starts at a pinned time and moves one second per call.
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

// mustCreate makes a workspace from a template in a temp dir, closed with
// the test.
func mustCreate(tb testing.TB, template string) *workspace.Store {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "ws")
	s, err := workspace.Create(dir, loadTemplate(tb, template), workspace.Options{Now: fixedClock()})
	if err != nil {
		tb.Fatalf("create workspace: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
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

// demo returns a snapshot of the demo workspace.
func demo(tb testing.TB) *workspace.Snapshot {
	tb.Helper()
	return mustSnapshot(tb, mustCreate(tb, "three-pillars"))
}

// brief renders a PDF brief.
func brief(tb testing.TB, snap *workspace.Snapshot, opts export.Options) []byte {
	tb.Helper()
	if opts.Date.IsZero() {
		opts.Date = pinned
	}
	var buf bytes.Buffer
	if err := export.Brief(&buf, snap, opts); err != nil {
		tb.Fatalf("Brief: %v", err)
	}
	return buf.Bytes()
}

// pdfText extracts the text of a PDF with pdftotext, one string per page.
func pdfText(tb testing.TB, pdf []byte) []string {
	tb.Helper()
	f := filepath.Join(tb.TempDir(), "brief.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

func tlpPtr(t workspace.TLP) *workspace.TLP { return &t }
