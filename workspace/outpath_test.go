package workspace_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"briefboard/workspace"
)

func TestCheckOutputPath(t *testing.T) {
	s, ws := mustCreate(t, "empty", workspace.Options{})
	if err := s.Close(); err != nil { // writes the table files
		t.Fatal(err)
	}
	outside := t.TempDir()
	sst, _ := filepath.Glob(filepath.Join(ws, "*.sst"))
	if len(sst) == 0 {
		t.Fatal("the workspace has no table file to aim at")
	}
	link := func(name, target string) string {
		p := filepath.Join(outside, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	refused := map[string]string{
		"the marker":                        filepath.Join(ws, "briefboard.json"),
		"MANIFEST":                          filepath.Join(ws, "MANIFEST"),
		"KEYREGISTRY":                       filepath.Join(ws, "KEYREGISTRY"),
		"a table file":                      sst[0],
		"a new file":                        filepath.Join(ws, "brief.md"),
		"a subdirectory":                    filepath.Join(ws, "notes", "deep", "brief.md"),
		"the workspace itself":              ws,
		"the workspace with a slash":        ws + "/",
		"a link to the marker":              link("brief.md", filepath.Join(ws, "briefboard.json")),
		"through a linked directory":        filepath.Join(link("wsdir", ws), "brief.md"),
		"a dangling link into it":           link("new.md", filepath.Join(ws, "new", "file.md")),
		"dot-dot after a missing directory": filepath.Join(ws, "missing") + "/../MANIFEST",
		"dot-dot after a linked directory":  link("sub", filepath.Join(ws, "x")) + "/../MANIFEST",
	}
	os.Mkdir(filepath.Join(ws, "x"), 0o700)
	for name, p := range refused {
		err := workspace.CheckOutputPath(p)
		if !errors.Is(err, workspace.ErrOutputInWorkspace) {
			t.Errorf("%s (%s): %v, want ErrOutputInWorkspace", name, p, err)
		}
	}
	// A relative path from inside the workspace.
	t.Chdir(ws)
	if err := workspace.CheckOutputPath("brief.pdf"); !errors.Is(err, workspace.ErrOutputInWorkspace) {
		t.Errorf("relative path inside: %v", err)
	}

	// Positive controls: files beside the workspace and elsewhere, a link
	// pointing out of it, a relative path from outside.
	allowed := map[string]string{
		"a file elsewhere":          filepath.Join(outside, "brief.pdf"),
		"a missing directory":       filepath.Join(outside, "new", "dir", "brief.pdf"),
		"beside the workspace":      filepath.Join(filepath.Dir(ws), "brief.pdf"),
		"a prefix of the name":      ws + "-brief.pdf",
		"a link pointing elsewhere": link("away.md", filepath.Join(t.TempDir(), "away.md")),
	}
	for name, p := range allowed {
		if err := workspace.CheckOutputPath(p); err != nil {
			t.Errorf("%s (%s) refused: %v", name, p, err)
		}
	}
	t.Chdir(outside)
	if err := workspace.CheckOutputPath("brief.pdf"); err != nil {
		t.Errorf("relative path outside refused: %v", err)
	}
	// A loop of links ends with an answer.
	link("loop-a", filepath.Join(outside, "loop-b"))
	link("loop-b", filepath.Join(outside, "loop-a"))
	if err := workspace.CheckOutputPath(filepath.Join(outside, "loop-a")); err != nil {
		t.Errorf("a loop of links outside the workspace: %v", err)
	}
}
