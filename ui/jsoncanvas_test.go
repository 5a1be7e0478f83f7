package ui

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/export"
	"briefboard/resources"
	"briefboard/workspace"
	"briefboard/workspace/canvas"
	"briefboard/workspace/workspacetest"
)

// canvasTestStore makes a workspace from a template in a temp dir.
func canvasTestStore(t *testing.T, template string) *workspace.Store {
	t.Helper()
	s, _ := workspacetest.Create(t, template, workspace.Options{Now: workspacetest.Clock(time.Date(2025, 12, 29, 9, 0, 0, 0, time.UTC))})
	return s
}

func canvasWait(t *testing.T, ch chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the canvas task did not finish")
		return nil
	}
}

// storeState is the snapshot and journal of a store, to tell whether
// anything changed.
func storeState(t *testing.T, s *workspace.Store) string {
	t.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	log, err := s.Log(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal([]any{snap, log})
	return string(b)
}

func runCanvasImport(t *testing.T, s *workspace.Store, data []byte) (*canvasImport, int, error) {
	t.Helper()
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	path := filepath.Join(t.TempDir(), "sketch.canvas")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	ci := newCanvasImport(w, s, func() { calls++ })
	ch := make(chan error, 1)
	ci.finished = func(err error) { ch <- err }
	ci.start(f, "sketch.canvas")
	err = canvasWait(t, ch)
	if top := w.Canvas().Overlays().Top(); top == nil {
		t.Errorf("no dialog shows the outcome")
	}
	return ci, calls, err
}

func TestCanvasImport_ShowsSummaryAndRefreshes(t *testing.T) {
	test.NewTempApp(t)
	src := canvasTestStore(t, resources.DemoTemplate)
	snap, err := src.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.Canvas(&buf, snap); err != nil {
		t.Fatal(err)
	}
	// A link to a group makes a note the summary lists.
	c, err := canvas.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	c.Edges = append(c.Edges, &canvas.Edge{ID: "to-group", FromNode: c.Nodes[2].ID, ToNode: c.Nodes[0].ID})
	buf.Reset()
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}

	s := canvasTestStore(t, "empty")
	ci, calls, err := runCanvasImport(t, s, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ci.summary.Text, "Imported 34 new cards, 4 new boards") {
		t.Errorf("summary %q", ci.summary.Text)
	}
	if !ci.notes.Visible() || !strings.Contains(ci.notes.Text, `edge "to-group" does not join two cards`) {
		t.Errorf("notes %q", ci.notes.Text)
	}
	if calls != 1 {
		t.Errorf("done called %d times", calls)
	}
	if ci.result == nil || ci.busy == nil {
		t.Fatal("no result dialog")
	}
	after, _ := s.Snapshot()
	if len(after.Cards) != 34 {
		t.Errorf("%d cards after the import", len(after.Cards))
	}
}

func TestCanvasImport_BadFileShowsErrorAndChangesNothing(t *testing.T) {
	test.NewTempApp(t)
	s := canvasTestStore(t, resources.DemoTemplate)
	before := storeState(t, s)
	ci, calls, err := runCanvasImport(t, s, []byte(`{"nodes":[{"id":"a","type":"text","text":"x","x":0,"y":0,"width":10,"height":10}],"edges":[{"id":"e","fromNode":"a","toNode":"b"}]}`))
	if err == nil || !strings.Contains(err.Error(), `edge "e" joins node "b", which the canvas does not have`) {
		t.Errorf("error %v", err)
	}
	if calls != 0 || ci.result != nil {
		t.Errorf("a failed import reported success")
	}
	if storeState(t, s) != before {
		t.Errorf("the workspace changed")
	}
}

func runCanvasExport(t *testing.T, e *canvasExport) error {
	t.Helper()
	ch := make(chan error, 1)
	e.done = func(err error) { ch <- err }
	test.Tap(e.exportBtn)
	return canvasWait(t, ch)
}

func TestCanvasExport_WritesTheChosenColouring(t *testing.T) {
	test.NewTempApp(t)
	docs := withDocumentsFolder(t)
	s := canvasTestStore(t, resources.DemoTemplate)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	e := newCanvasExport(w, s)
	if want := filepath.Join(docs, "Florida talks on ending the war in Ukraine.canvas"); e.path.Text != want {
		t.Errorf("default path %q, want %q", e.path.Text, want)
	}
	e.colorBy.SetSelected(canvasByKind)
	e.tlp.SetSelected(workspace.TLPAmber.String())
	path := filepath.Join(t.TempDir(), "out")
	e.path.SetText(path)
	if err := runCanvasExport(t, e); err != nil {
		t.Fatal(err)
	}
	path += ".canvas"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := canvas.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot()
	for _, n := range c.Nodes {
		if card := snap.Cards[n.ID]; card != nil && n.Color != canvas.KindColor(card.Kind) {
			t.Errorf("card %q coloured %q", card.Title, n.Color)
		}
	}
	for _, n := range c.Nodes {
		if card := snap.Cards[n.ID]; card != nil && card.TLP > workspace.TLPAmber {
			t.Errorf("card %q above the cap was written", card.Title)
		}
	}
	if want := "Saved " + path + " (TLP:AMBER): 4 boards, 20 lanes, 31 cards, 9 links."; e.status.Text != want {
		t.Errorf("status %q, want %q", e.status.Text, want)
	}
	if e.notes.Visible() || e.activity.Visible() || e.exportBtn.Disabled() {
		t.Errorf("dialog not back at rest")
	}
}

func TestCanvasExport_FailureLeavesNoFile(t *testing.T) {
	test.NewTempApp(t)
	s := canvasTestStore(t, resources.DemoTemplate)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	e := newCanvasExport(w, s)
	dir := filepath.Join(t.TempDir(), "missing")
	e.path.SetText(filepath.Join(dir, "out.canvas"))
	if err := runCanvasExport(t, e); err == nil {
		t.Fatal("export into a missing directory succeeded")
	}
	if e.status.Text != "The canvas was not written." {
		t.Errorf("status %q", e.status.Text)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("something was written: %v", err)
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Errorf("no error dialog")
	}
}

// The menu entries open a file dialog over the window.
func TestCanvas_MenuEntriesOpenDialogs(t *testing.T) {
	test.NewTempApp(t)
	s := canvasTestStore(t, "empty")
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	ShowCanvasImport(w, s, nil)
	if w.Canvas().Overlays().Top() == nil {
		t.Errorf("Import canvas… showed nothing")
	}
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	ShowCanvasExport(w, s)
	if w.Canvas().Overlays().Top() == nil {
		t.Errorf("Export canvas… showed nothing")
	}
}
