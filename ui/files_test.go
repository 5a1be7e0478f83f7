package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/resources"
	"briefboard/ui/appdata"
	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// withDocumentsFolder gives the test its own home, whose user dirs file
// names a documents folder, and returns that folder.
func withDocumentsFolder(t *testing.T) string {
	t.Helper()
	home, config := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("XDG_DOCUMENTS_DIR", "")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	docs := filepath.Join(home, "Papers")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	dirs := "XDG_DOWNLOAD_DIR=\"$HOME/Downloads\"\nXDG_DOCUMENTS_DIR=\"$HOME/Papers\"\n"
	if err := os.WriteFile(filepath.Join(config, "user-dirs.dirs"), []byte(dirs), 0o600); err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestFileNameOf(t *testing.T) {
	cases := map[string]string{
		"Florida talks: round 2":           "Florida talks- round 2",
		"  a/b\\c*d?e\"f<g>h|i  ":          "a-b-c-d-e-f-g-h-i",
		"Bell\a esc\x1b[2K bidi\u202e end": "Bell esc[2K bidi end",
		"..hidden":                         "hidden",
		"":                                 "fallback",
		" \x1b ":                           "fallback",
		strings.Repeat("Переговори ", 10): strings.TrimSpace(string([]rune(strings.Repeat("Переговори ", 10))[:60])),
	}
	for in, want := range cases {
		if got := fileNameOf(in, "fallback"); got != want {
			t.Errorf("fileNameOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// saveDialog is one of the window's dialogs that write a file, opened on
// a workspace, reduced to what these tests drive.
type saveDialog struct {
	path   *widget.Entry
	suffix string
	// run presses the dialog's button and waits for the write, or returns
	// false at once when the dialog refused before writing (it shows an
	// error over the window and starts nothing).
	run func() (wrote bool, err error)
	// refusal is the reason the dialog shows for not writing, or "".
	refusal func() string
}

// overlayRefusal is the reason of a dialog that refuses in an error
// dialog over the window.
func overlayRefusal(w fyne.Window) func() string {
	return func() string {
		if w.Canvas().Overlays().Top() != nil {
			return "an error dialog"
		}
		return ""
	}
}

var saveDialogs = map[string]func(t *testing.T, w fyne.Window, s *workspace.Store) saveDialog{
	"Export PDF": func(t *testing.T, w fyne.Window, s *workspace.Store) saveDialog {
		e, err := newExportPDF(w, s, "a4")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		e.done = func(err error) { done <- err }
		// The brief's dialog says why under its fields and disables
		// Export while a problem stands.
		return saveDialog{e.path, " brief.pdf", func() (bool, error) {
			return pressSave(t, w, e.exportBtn, done)
		}, func() string {
			if e.exportBtn.Disabled() {
				return e.problem.Text
			}
			return ""
		}}
	},
	"Export canvas": func(t *testing.T, w fyne.Window, s *workspace.Store) saveDialog {
		e := newCanvasExport(w, s)
		done := make(chan error, 1)
		e.done = func(err error) { done <- err }
		return saveDialog{e.path, ".canvas", func() (bool, error) {
			return pressSave(t, w, e.exportBtn, done)
		}, overlayRefusal(w)}
	},
	"Share": func(t *testing.T, w fyne.Window, s *workspace.Store) saveDialog {
		d, err := newShareDialog(w, s)
		if err != nil {
			t.Fatal(err)
		}
		test.Type(d.pass, "desk")
		test.Type(d.confirm, "desk")
		done := make(chan error, 1)
		d.done = func(_ *workspace.Manifest, err error) { done <- err }
		return saveDialog{d.path, workspace.ShareExt, func() (bool, error) {
			return pressSave(t, w, d.shareBtn, done)
		}, overlayRefusal(w)}
	},
}

// pressSave taps a dialog's button: a refusal (a disabled button, or an
// error shown at once) writes nothing; otherwise the write runs and
// reports on done.
func pressSave(t *testing.T, w fyne.Window, b *widget.Button, done chan error) (bool, error) {
	t.Helper()
	if b.Disabled() {
		return false, nil
	}
	before := w.Canvas().Overlays().Top()
	test.Tap(b)
	if w.Canvas().Overlays().Top() != before {
		return false, nil
	}
	return true, wait(t, done)
}

// Every save dialog proposes the documents folder, then the folder the
// analyst last saved an output of the same workspace in; another
// workspace keeps its own.
func TestSaveDialogs_ProposeTheDocumentsFolderRememberedPerWorkspace(t *testing.T) {
	for name, open := range saveDialogs {
		t.Run(name, func(t *testing.T) {
			test.NewTempApp(t)
			docs := withDocumentsFolder(t)
			w := test.NewTempWindow(t, widget.NewLabel("board"))
			a, _ := workspacetest.Create(t, resources.DemoTemplate, workspace.Options{})
			b, _ := workspacetest.Create(t, resources.DemoTemplate, workspace.Options{})
			d := open(t, w, a)
			want := filepath.Join(docs, "Florida talks on ending the war in Ukraine"+d.suffix)
			if d.path.Text != want {
				t.Fatalf("first proposal %q, want %q", d.path.Text, want)
			}
			elsewhere := t.TempDir()
			d.path.SetText(filepath.Join(elsewhere, "out"+d.suffix))
			if wrote, err := d.run(); !wrote || err != nil {
				t.Fatalf("write: %v %v", wrote, err)
			}
			if got := open(t, w, a).path.Text; filepath.Dir(got) != elsewhere {
				t.Errorf("after saving in %s the same workspace proposes %s", elsewhere, got)
			}
			if got := open(t, w, b).path.Text; filepath.Dir(got) != docs {
				t.Errorf("another workspace proposes %s, want the documents folder", got)
			}
			// A remembered folder that is gone, or inside the data folder,
			// is not proposed.
			os.RemoveAll(elsewhere)
			if got := open(t, w, a).path.Text; filepath.Dir(got) != docs {
				t.Errorf("a removed folder is still proposed: %s", got)
			}
			data, _ := appdata.DataDir()
			inData := filepath.Join(data, "workspaces")
			os.MkdirAll(inData, 0o700)
			rememberSaveFolder(snapOf(t, a).Meta.ID, filepath.Join(inData, "x"))
			if got := open(t, w, a).path.Text; filepath.Dir(got) != docs {
				t.Errorf("the data folder is proposed: %s", got)
			}
		})
	}
}

// No save dialog writes into a workspace: the workspace's own files, a
// new file in it, or a link into it are refused with an error, and the
// workspace's files are left as they were. The folder chooser refuses a
// workspace folder.
func TestSaveDialogs_RefuseAWorkspace(t *testing.T) {
	for name, open := range saveDialogs {
		t.Run(name, func(t *testing.T) {
			test.NewTempApp(t)
			withDocumentsFolder(t)
			w := test.NewTempWindow(t, widget.NewLabel("board"))
			w.Resize(fyne.NewSize(1000, 700))
			s, ws := workspacetest.Create(t, resources.DemoTemplate, workspace.Options{})
			marker := filepath.Join(ws, "briefboard.json")
			before, _ := os.ReadFile(marker)
			links := t.TempDir()
			for _, target := range []string{marker, filepath.Join(ws, "brief"), filepath.Join(ws, "MANIFEST"), "link"} {
				d := open(t, w, s)
				if target == "link" {
					// The dialogs add their suffix; the link carries it.
					target = filepath.Join(links, "link"+d.suffix)
					if err := os.Symlink(marker, target); err != nil {
						t.Fatal(err)
					}
				}
				d.path.SetText(target)
				for w.Canvas().Overlays().Top() != nil {
					w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
				}
				if wrote, err := d.run(); wrote {
					t.Errorf("%s: the dialog wrote (%v)", target, err)
				}
				if d.refusal() == "" {
					t.Errorf("%s: no error shown", target)
				}
			}
			if after, _ := os.ReadFile(marker); !bytes.Equal(after, before) {
				t.Fatal("the workspace's marker changed")
			}
			matches, _ := filepath.Glob(filepath.Join(ws, "brief.*"))
			if len(matches) > 0 {
				t.Fatalf("written inside the workspace: %v", matches)
			}

			// The folder chooser: the workspace refused, a folder outside
			// taken.
			d := open(t, w, s)
			proposed := d.path.Text
			useSaveFolder(w, d.path, "x", ws)
			if d.path.Text != proposed {
				t.Errorf("choosing the workspace folder set the path to %s", d.path.Text)
			}
			out := t.TempDir()
			useSaveFolder(w, d.path, "x", out)
			if d.path.Text != filepath.Join(out, filepath.Base(proposed)) {
				t.Errorf("choosing %s set the path to %s", out, d.path.Text)
			}
			if wrote, err := d.run(); !wrote || err != nil {
				t.Errorf("writing to the chosen folder: %v %v", wrote, err)
			}
		})
	}
}
