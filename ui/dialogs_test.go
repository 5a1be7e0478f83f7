package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

func TestExportPDF_SaysADateIsNotRealAndDisablesExport(t *testing.T) {
	w := shareWindow(t)
	s := exportTestStore(t)
	e, err := newExportPDF(w, s, "a4")
	if err != nil {
		t.Fatal(err)
	}
	e.dlg.Show()
	e.path.SetText(filepath.Join(t.TempDir(), "brief.pdf"))
	if e.exportBtn.Disabled() || e.problem.Text != "" {
		t.Fatalf("a good dialog shows %q, Export disabled: %v", e.problem.Text, e.exportBtn.Disabled())
	}
	height := e.dlg.MinSize().Height
	for date, want := range map[string]string{
		"2025-13-45": `"2025-13-45" is not a real date: there is no month 13`,
		"2025-02-29": `"2025-02-29" is not a real date: February 2025 has 28 days`,
		"29/12/2025": `write the date as YYYY-MM-DD, such as 2025-12-29; "29/12/2025" is not`,
	} {
		e.date.SetText(date)
		if e.problem.Text != want {
			t.Errorf("date %s: the dialog says %q, want %q", date, e.problem.Text, want)
		}
		if !e.exportBtn.Disabled() {
			t.Errorf("date %s: Export is enabled while the error shows", date)
		}
		if h := e.dlg.MinSize().Height; h != height {
			t.Errorf("date %s: the dialog grew from %v to %v", date, height, h)
		}
	}
	e.date.SetText("2024-02-29")
	if e.problem.Text != "" || e.exportBtn.Disabled() {
		t.Fatalf("a leap day: %q, Export disabled %v", e.problem.Text, e.exportBtn.Disabled())
	}
	if h := e.dlg.MinSize().Height; h != height {
		t.Errorf("the dialog changed height from %v to %v as the error went", height, h)
	}
	e.boards.SetSelected(nil)
	if !e.exportBtn.Disabled() || !strings.Contains(e.problem.Text, "at least one pillar") {
		t.Errorf("no pillar: %q, Export disabled %v", e.problem.Text, e.exportBtn.Disabled())
	}
}

func TestCapDialogs_StartSafeAndSayWhatTheCapLeavesOut(t *testing.T) {
	w := shareWindow(t)
	withDocumentsFolder(t)
	s := shareStore(t, "ws")
	snap := snapOf(t, s)
	if !snap.MaxTLP().WantsEncryption() {
		t.Fatal("the test needs a workspace that holds AMBER or RED")
	}
	// The first time: the workspace's default marking, never no cap.
	e, err := newExportPDF(w, s, "a4")
	if err != nil {
		t.Fatal(err)
	}
	if want := snap.Meta.DefaultTLP.String(); e.tlp.Selected != want {
		t.Fatalf("the brief starts at %q, want the default marking %s", e.tlp.Selected, want)
	}
	part, err := snap.Capped(&snap.Meta.DefaultTLP)
	if err != nil {
		t.Fatal(err)
	}
	left := len(snap.Cards) - len(part.Cards)
	if left == 0 {
		t.Fatal("the default marking leaves nothing out: the count below proves nothing")
	}
	if note := e.caps.note.Text; !strings.Contains(note, "left out") || !strings.Contains(note, fmt.Sprintf("%d of %d cards", left, len(snap.Cards))) {
		t.Errorf("the note %q does not count the %d cards left out", note, left)
	}
	e.tlp.SetSelected(noCap)
	if note := e.caps.note.Text; !strings.Contains(note, "carries everything") {
		t.Errorf("no cap: the note says %q", note)
	}

	// A share at AMBER is remembered for the next dialog of this
	// workspace, whichever it is.
	d, err := newShareDialog(w, s)
	if err != nil {
		t.Fatal(err)
	}
	d.tlp.SetSelected(workspace.TLPAmber.String())
	d.path.SetText(filepath.Join(t.TempDir(), "amber"))
	test.Type(d.pass, "desk")
	test.Type(d.confirm, "desk")
	done := make(chan error, 1)
	d.done = func(_ *workspace.Manifest, err error) { done <- err }
	test.Tap(d.shareBtn)
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	if c := newCanvasExport(w, s); c.tlp.Selected != workspace.TLPAmber.String() {
		t.Errorf("after a share at AMBER the canvas export starts at %q", c.tlp.Selected)
	}
	// No cap last time still does not start a workspace holding RED
	// without one.
	settingsOf(fyne.CurrentApp()).SetString(prefCap+snap.Meta.ID, "none")
	if e2, _ := newExportPDF(w, s, "a4"); e2.tlp.Selected == noCap {
		t.Error("a workspace holding RED starts with no cap")
	}
}

func TestExportPDF_AsksBeforeReplacingAFile(t *testing.T) {
	test.NewTempApp(t)
	s := exportTestStore(t)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	e, err := newExportPDF(w, s, "a4")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "brief.pdf")
	if err := os.WriteFile(out, []byte("an older brief"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.path.SetText(out)
	done := make(chan error, 1)
	e.done = func(err error) { done <- err }
	test.Tap(e.exportBtn)
	if replaceAsk == nil {
		t.Fatal("no question before replacing the file")
	}
	replaceAsk.Dismiss()
	if b, _ := os.ReadFile(out); string(b) != "an older brief" {
		t.Fatal("Cancel replaced the file")
	}
	test.Tap(e.exportBtn)
	replaceAsk.Confirm()
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), "%PDF") {
		t.Fatal("Replace did not write the brief")
	}
}

func TestImportSummary_SaysNothingNewOnceAndWhoSharedIt(t *testing.T) {
	w := shareWindow(t)
	s := shareStore(t, "ws")
	path := filepath.Join(t.TempDir(), "mine.briefboard")
	if _, err := s.ShareToFile(path, workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	f := newImportFlow(w, s, nil)
	done := make(chan error, 1)
	f.finished = func(_ string, err error) { done <- err }
	f.open(path)
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	all := f.summary.Text + "\n" + f.details.Text
	if n := strings.Count(strings.ToLower(all), "nothing new"); n != 1 || f.details.Text != "" {
		t.Errorf("the summary says it has nothing new %d times:\n%s", n, all)
	}
	if strings.Contains(all, "a colleague") {
		t.Errorf("a file of this analyst is called a colleague's:\n%s", all)
	}
	prof, _ := s.Profile()
	if prof.Name != "" && !strings.Contains(f.summary.Text, "shared by "+prof.Name) {
		t.Errorf("the summary %q does not name %s", f.summary.Text, prof.Name)
	}

	// Without a name: this copy, or another copy of the same workspace.
	if err := s.SetProfile(workspace.Profile{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ShareToFile(path, workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	f.open(path)
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.summary.Text, "shared from this copy of the workspace") {
		t.Errorf("an unnamed file of this copy: %q", f.summary.Text)
	}
	other := colleagueCopy(t, s)
	if err := other.SetProfile(workspace.Profile{}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ShareToFile(path, workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	f.open(path)
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.summary.Text, "shared by another copy of this workspace") {
		t.Errorf("an unnamed file of another copy: %q", f.summary.Text)
	}
}
