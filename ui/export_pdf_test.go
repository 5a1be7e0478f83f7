package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/resources"
	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// exportTestStore makes the demo workspace in a temp dir.
func exportTestStore(t *testing.T) *workspace.Store {
	t.Helper()
	s, _ := workspacetest.Create(t, resources.DemoTemplate, workspace.Options{})
	return s
}

// runExport taps Export and waits for the export to finish.
func runExport(t *testing.T, e *exportPDF) error {
	t.Helper()
	done := make(chan error, 1)
	e.done = func(err error) { done <- err }
	test.Tap(e.exportBtn)
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the export did not finish")
		return nil
	}
}

func TestExportPDF_WritesCappedBriefAndOpensIt(t *testing.T) {
	test.NewTempApp(t)
	s := exportTestStore(t)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	e, err := newExportPDF(w, s, "letter")
	if err != nil {
		t.Fatal(err)
	}
	e.dlg.Show()
	if e.paper.Selected != "Letter" {
		t.Fatalf("paper = %q, want the preferred Letter", e.paper.Selected)
	}
	out := filepath.Join(t.TempDir(), "brief.pdf")
	e.path.SetText(out)
	e.tlp.SetSelected("TLP:GREEN")
	e.date.SetText("2025-12-29")
	e.boards.SetSelected(e.boards.Options[:2])
	var opened []string
	e.open = func(p string) error { opened = append(opened, p); return nil }
	if e.openBtn.Disabled() == false {
		t.Fatal("Open is enabled before anything was written")
	}
	if err := runExport(t, e); err != nil {
		t.Fatalf("export: %v", err)
	}
	if e.progress.Visible() {
		t.Error("the progress bar is still showing after the export")
	}
	info, err := exec.Command("pdfinfo", out).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	if !strings.Contains(string(info), "612 x 792 pts (letter)") {
		t.Errorf("not Letter paper:\n%s", info)
	}
	txt, err := exec.Command("pdftotext", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(txt)
	if !strings.Contains(text, "TLP:GREEN") || strings.Contains(text, "TLP:RED") || strings.Contains(text, "TLP:AMBER") {
		t.Error("the brief capped at TLP:GREEN is not labelled TLP:GREEN alone")
	}
	for _, word := range []string{"whip", "Chokepoint", "Bottleneck", "Unhedged"} {
		if strings.Contains(text, word) {
			t.Errorf("%q, marked above the cap, is in the brief", word)
		}
	}
	if !strings.Contains(text, "US security") || strings.Contains(text, "Economic development plan\n") {
		t.Error("the brief does not hold exactly the two chosen pillars")
	}
	test.Tap(e.openBtn)
	if len(opened) != 1 || opened[0] != out {
		t.Errorf("Open handed %v to the viewer, want [%s]", opened, out)
	}
}

func TestExportPDF_FailureLeavesNoFile(t *testing.T) {
	test.NewTempApp(t)
	s := exportTestStore(t)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	e, err := newExportPDF(w, s, "a4")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "missing", "brief.pdf")
	e.path.SetText(out)
	if err := runExport(t, e); err == nil {
		t.Fatal("export into a missing directory succeeded")
	}
	if !e.openBtn.Disabled() {
		t.Error("Open is enabled after a failed export")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed export left a file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("a failed export left %d entries behind", len(entries))
	}
}

func TestExportPDF_RefusesEmptyChoices(t *testing.T) {
	test.NewTempApp(t)
	s := exportTestStore(t)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	e, err := newExportPDF(w, s, "")
	if err != nil {
		t.Fatal(err)
	}
	e.boards.SetSelected(nil)
	if _, err := e.options(); err == nil {
		t.Error("no pillar chosen, yet the options were accepted")
	}
	e.boards.SetSelected(e.boards.Options)
	e.date.SetText("29/12/2025")
	if _, err := e.options(); err == nil {
		t.Error("a malformed date was accepted")
	}
	e.date.SetText("2025-12-29")
	e.lanes.SetSelected([]string{"Agreed"})
	o, err := e.options()
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Lanes) != 1 || o.Lanes[0] != "Agreed" || o.Paper != "a4" {
		t.Errorf("options = %+v", o)
	}
}
