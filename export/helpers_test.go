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
	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// pinned is the date golden briefs carry.
var pinned = time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)

func fixedClock() func() time.Time { return workspacetest.Clock(workspacetest.Start) }

func loadTemplate(tb testing.TB, name string) *workspace.Template {
	tb.Helper()
	return workspacetest.Template(tb, name)
}

// mustCreate makes a workspace from a template in a temp dir, closed with
// the test.
func mustCreate(tb testing.TB, template string) *workspace.Store {
	tb.Helper()
	s, _ := workspacetest.Create(tb, template, workspace.Options{})
	return s
}

func mustSnapshot(tb testing.TB, s *workspace.Store) *workspace.Snapshot {
	tb.Helper()
	return workspacetest.Snapshot(tb, s)
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
