package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A file without an analyst's name says which copy of the workspace it
// came from, never "a colleague"; the summary says "nothing new" once.
func TestCLI_ImportSaysWhoSharedTheFile(t *testing.T) {
	a, b, tmp := colleagues(t)
	own := filepath.Join(tmp, "own.briefboard")
	mustBB(t, "share", "--workspace", a, "-o", own)
	out := mustBB(t, "import", own, "--workspace", a)
	if !strings.Contains(out, "shared from this copy of the workspace") || strings.Contains(out, "colleague") {
		t.Errorf("importing this copy's own file printed %q", out)
	}
	if n := strings.Count(out, "nothing new"); n != 1 {
		t.Errorf("%q says nothing new %d times", out, n)
	}
	fromB := filepath.Join(tmp, "from-b.briefboard")
	mustBB(t, "share", "--workspace", b, "-o", fromB)
	if out := mustBB(t, "import", fromB, "--workspace", a); !strings.Contains(out, "shared by another copy of this workspace") {
		t.Errorf("importing another copy's unnamed file printed %q", out)
	}
}
