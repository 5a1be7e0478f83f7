package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

func TestOpenPath_TakesATypedPathAndStartsInDocuments(t *testing.T) {
	w := shareWindow(t)
	docs := withDocumentsFolder(t)
	var opened []string
	o := showOpenPath(w, "Import", "Import", []string{".briefboard"}, false, func(p string) { opened = append(opened, p) })
	if w.Canvas().Focused() != o.path {
		t.Fatal("the path field does not have the cursor")
	}
	if got := o.startDir(); got != docs {
		t.Fatalf("Browse starts in %s, want the documents folder %s", got, docs)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "from colleague.briefboard")
	if err := os.WriteFile(good, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for typed, want := range map[string]string{
		filepath.Join(dir, "missing.briefboard"): "there is nothing at",
		filepath.Join(dir):                       "is a folder",
		filepath.Join(docs, "..", "notes.txt"):   "there is nothing at",
	} {
		o.path.SetText(typed)
		o.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if !strings.Contains(o.problem.Text, want) || len(opened) != 0 {
			t.Errorf("%s: the dialog says %q (opened %v), want %q", typed, o.problem.Text, opened, want)
		}
	}
	txt := filepath.Join(dir, "notes.txt")
	os.WriteFile(txt, []byte("x"), 0o600)
	o.path.SetText(txt)
	o.submit()
	if !strings.Contains(o.problem.Text, "is not a .briefboard file") {
		t.Errorf("a .txt file: %q", o.problem.Text)
	}
	// Typed, then Enter: opened, and its folder is now a recent one.
	o.path.SetText(good)
	o.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(opened) != 1 || opened[0] != good {
		t.Fatalf("Enter opened %v, want %s", opened, good)
	}
	// The next dialog offers that folder, then the documents folder, each
	// one click from the file dialog there.
	o = showOpenPath(w, "Import", "Import", []string{".briefboard"}, false, func(string) {})
	var browsed []string
	o.browse = func(d string) { browsed = append(browsed, d) }
	if got := len(o.recent.Objects); got != 2 {
		t.Fatalf("%d recent folders offered, want 2", got)
	}
	test.Tap(o.recent.Objects[0].(*widget.Button))
	if len(browsed) != 1 || browsed[0] != dir {
		t.Errorf("the first recent folder browses %v, want %s", browsed, dir)
	}
	if got := o.startDir(); got != dir {
		t.Errorf("Browse now starts in %s, want the recent %s", got, dir)
	}
	// A typed ~ is the home folder.
	o.path.SetText("~/")
	if got, home := o.startDir(), os.Getenv("HOME"); got != home {
		t.Errorf("~/ starts Browse in %s, want %s", got, home)
	}
}

func TestOpenPath_OpensWorkspaceFolders(t *testing.T) {
	w := shareWindow(t)
	withDocumentsFolder(t)
	var opened string
	o := showOpenPath(w, "Open workspace", "Open", nil, true, func(p string) { opened = p })
	file := filepath.Join(t.TempDir(), "x.txt")
	os.WriteFile(file, []byte("x"), 0o600)
	o.path.SetText(file)
	o.submit()
	if opened != "" || !strings.Contains(o.problem.Text, "not a folder") {
		t.Fatalf("a file as a workspace: opened %q, says %q", opened, o.problem.Text)
	}
	dir := t.TempDir()
	o.path.SetText(dir)
	o.submit()
	if opened != dir {
		t.Fatalf("opened %q, want %s", opened, dir)
	}
}

func TestSaveDialogs_OfferRecentFolders(t *testing.T) {
	w := shareWindow(t)
	docs := withDocumentsFolder(t)
	s := shareStore(t, "ws")
	out := t.TempDir()
	rememberSaveFolder(snapOf(t, s).Meta.ID, filepath.Join(out, "brief.pdf"))
	if got := recentFolders(); len(got) != 2 || got[0] != out || got[1] != docs {
		t.Fatalf("recent folders %v, want [%s %s]", got, out, docs)
	}
	e, err := newExportPDF(w, s, "a4")
	if err != nil {
		t.Fatal(err)
	}
	before := w.Canvas().Overlays().Top()
	test.Tap(e.recent)
	if top := w.Canvas().Overlays().Top(); top == nil || top == before {
		t.Fatal("Recent opened no menu")
	}
	// Picking the documents folder keeps the file's name.
	useSaveFolder(w, e.path, "x.pdf", docs)
	if e.path.Text != filepath.Join(docs, filepath.Base(e.path.Text)) || !strings.HasSuffix(e.path.Text, " brief.pdf") {
		t.Errorf("the path became %q", e.path.Text)
	}
	if workspace.CheckOutputPath(e.path.Text) != nil {
		t.Error("a documents path is refused")
	}
}
