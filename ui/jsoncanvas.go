package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"briefboard/export"
	"briefboard/workspace"
	"briefboard/workspace/canvas"
)

// ShowCanvasImport asks for a JSON Canvas file and imports it into the
// workspace as one action, off the UI goroutine, then shows what the
// import did. done, when set, is called on the UI goroutine after a
// successful import, so the window can show the new state.
func ShowCanvasImport(w fyne.Window, s *workspace.Store, done func()) {
	showOpenPath(w, "Import JSON Canvas", "Import", []string{".canvas"}, false, func(path string) {
		f, err := os.Open(path)
		if err != nil {
			dialog.ShowError(err, w)
			return
		}
		newCanvasImport(w, s, done).start(f, filepath.Base(path))
	})
}

// canvasImport is one import of a canvas: a busy dialog while it runs,
// then a summary with the import's notes.
type canvasImport struct {
	win   fyne.Window
	store *workspace.Store
	done  func()

	busy    *dialog.CustomDialog
	step    *widget.Label
	state   atomic.Int32
	result  *dialog.CustomDialog
	summary *widget.Label
	notes   *widget.Label
	// finished hears the end of the import, with its error; tests wait
	// on it.
	finished func(error)
}

func newCanvasImport(w fyne.Window, s *workspace.Store, done func()) *canvasImport {
	ci := &canvasImport{win: w, store: s, done: done}
	ci.summary = widget.NewLabel("")
	ci.summary.Wrapping = fyne.TextWrapWord
	ci.notes = widget.NewLabel("")
	ci.notes.Wrapping = fyne.TextWrapWord
	ci.notes.Hide()
	return ci
}

// Steps of a canvas import, for Cancel: while the file is read Cancel
// drops it and nothing changes; once the import has begun it runs to its
// end (Undo takes it back whole).
const (
	canvasReading int32 = iota
	canvasCancelled
	canvasImporting
)

// start reads and imports the canvas from r, which it closes.
func (ci *canvasImport) start(r io.ReadCloser, name string) {
	bar := widget.NewProgressBarInfinite()
	ci.step = widget.NewLabel("Reading the canvas. Cancel drops it; nothing has changed yet.")
	ci.step.Wrapping = fyne.TextWrapWord
	ci.busy = dialog.NewCustom("Importing "+name+"…", "Cancel", container.NewVBox(ci.step, bar), ci.win)
	ci.busy.SetOnClosed(func() { ci.state.CompareAndSwap(canvasReading, canvasCancelled) })
	ci.busy.Resize(fyne.NewSize(460, 0))
	ci.busy.Show()
	store := ci.store
	go func() {
		sum, err := func() (*canvas.Summary, error) {
			defer r.Close()
			c, err := canvas.Parse(r)
			if err != nil {
				return nil, err
			}
			if !ci.state.CompareAndSwap(canvasReading, canvasImporting) {
				return nil, errImportCancelled
			}
			onUI(func() {
				ci.step.SetText("Importing into the workspace. You can go on working; Undo takes the whole import back.")
				ci.busy.SetButtons(nil)
			})
			done := beginLongWrite()
			defer done()
			return canvas.Import(store, c)
		}()
		onUI(func() {
			bar.Stop()
			ci.finish(name, sum, err)
		})
	}()
}

func (ci *canvasImport) finish(name string, sum *canvas.Summary, err error) {
	// Hiding the dialog now is no Cancel: the import has ended.
	ci.state.Store(canvasImporting)
	ci.busy.Hide()
	switch {
	case errors.Is(err, errImportCancelled), closedMeanwhile(err):
		// Cancelled, or the window went on to another workspace: nothing
		// to report.
	case err != nil:
		dialog.ShowError(fmt.Errorf("import %s: %w", name, err), ci.win)
	default:
		ci.summary.SetText(workspace.Printable(sum.String()))
		if notes := canvasNotes(sum.Notes, sum.NotesOmitted); notes != "" {
			ci.notes.SetText(notes)
			ci.notes.Show()
		}
		content := container.NewBorder(ci.summary, nil, nil, nil, container.NewVScroll(ci.notes))
		ci.result = dialog.NewCustom("Canvas imported", "OK", content, ci.win)
		ci.result.Resize(fyne.NewSize(520, canvasDialogHeight(ci.notes.Visible())))
		ci.result.Show()
		if ci.done != nil {
			ci.done()
		}
	}
	if ci.finished != nil {
		ci.finished(err)
	}
}

// canvasNotes lists notes one per line.
func canvasNotes(notes []string, omitted int) string {
	if len(notes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Notes:")
	for _, n := range notes {
		b.WriteString("\n• " + workspace.Printable(n))
	}
	if omitted > 0 {
		fmt.Fprintf(&b, "\n• and %d more like these", omitted)
	}
	return b.String()
}

func canvasDialogHeight(notes bool) float32 {
	if notes {
		return 360
	}
	return 0
}

// Choices of the export dialog.
const (
	canvasByTLP  = "TLP marking"
	canvasByKind = "Card kind"
	canvasNoCap  = "No cap: include everything"
)

// ShowCanvasExport shows the Export canvas dialog: a TLP cap, how to
// colour the cards and where to save the file. The export runs off the UI goroutine
// and writes through a temporary file, so a failure leaves no half file.
func ShowCanvasExport(w fyne.Window, s *workspace.Store) {
	newCanvasExport(w, s).dlg.Show()
}

// canvasExport is the Export canvas dialog.
type canvasExport struct {
	win   fyne.Window
	store *workspace.Store
	// snap is the workspace as the dialog opened: its id and title name
	// the file and its save folder.
	snap *workspace.Snapshot

	caps      *capChoice
	tlp       *widget.Select
	colorBy   *widget.RadioGroup
	path      *widget.Entry
	choose    *widget.Button
	recent    *widget.Button
	exportBtn *widget.Button
	activity  *widget.ProgressBarInfinite
	status    *widget.Label
	notes     *widget.Label
	dlg       *dialog.CustomDialog
	// done hears the end of each export, with its error; tests wait on it.
	done func(error)
}

func newCanvasExport(w fyne.Window, s *workspace.Store) *canvasExport {
	e := &canvasExport{win: w, store: s, snap: &workspace.Snapshot{}}
	if snap, err := s.Snapshot(); err == nil {
		e.snap = snap
	}
	e.caps = newCapChoice(e.snap, canvasNoCap, "the canvas", nil)
	e.tlp = e.caps.sel
	e.colorBy = widget.NewRadioGroup([]string{canvasByTLP, canvasByKind}, nil)
	e.colorBy.Horizontal = true
	e.colorBy.Required = true
	e.colorBy.SetSelected(canvasByTLP)
	e.path = widget.NewEntry()
	e.path.SetText(defaultSavePath(e.snap, ".canvas"))
	e.choose = widget.NewButton("Folder…", e.chooseFile)
	e.recent = recentButton(w, func(dir string) {
		useSaveFolder(w, e.path, fileNameOf(e.snap.Meta.Title, "workspace")+".canvas", dir)
	})
	e.exportBtn = widget.NewButton("Export", e.start)
	e.exportBtn.Importance = widget.HighImportance
	e.activity = widget.NewProgressBarInfinite()
	e.activity.Stop()
	e.activity.Hide()
	e.status = widget.NewLabel("Boards become groups, lanes groups inside them, cards text nodes and links edges.")
	e.status.Wrapping = fyne.TextWrapWord
	e.notes = widget.NewLabel("")
	e.notes.Wrapping = fyne.TextWrapWord
	e.notes.Hide()
	form := widget.NewForm(
		widget.NewFormItem("TLP cap", container.NewVBox(e.tlp, soft(e.caps.note))),
		widget.NewFormItem("Colour cards by", e.colorBy),
		widget.NewFormItem("Save as", container.NewBorder(nil, nil, nil, container.NewHBox(e.choose, e.recent), e.path)),
	)
	content := container.NewVBox(form, e.activity, e.status, e.notes, container.NewHBox(e.exportBtn))
	e.dlg = dialog.NewCustom("Export JSON Canvas", "Close", content, w)
	e.dlg.Resize(fyne.NewSize(560, 0))
	return e
}

func (e *canvasExport) options() export.CanvasOptions {
	o := export.CanvasOptions{ColorBy: export.CanvasColorByTLP}
	if e.colorBy.Selected == canvasByKind {
		o.ColorBy = export.CanvasColorByKind
	}
	if t, err := e.caps.cap(); err == nil {
		o.MaxTLP = t
	}
	return o
}

// start writes the canvas off the UI goroutine and reports with fyne.Do.
func (e *canvasExport) start() {
	path := strings.TrimSpace(e.path.Text)
	if path == "" {
		dialog.ShowError(errors.New("choose where to save the canvas"), e.win)
		return
	}
	if !strings.HasSuffix(strings.ToLower(path), ".canvas") {
		path += ".canvas"
	}
	if err := workspace.CheckOutputPath(path); err != nil {
		dialog.ShowError(err, e.win)
		return
	}
	opts := e.options()
	confirmReplace(e.win, path, func() { e.write(path, opts) })
}

// write writes the canvas off the UI goroutine.
func (e *canvasExport) write(path string, opts export.CanvasOptions) {
	e.exportBtn.Disable()
	e.activity.Show()
	e.activity.Start()
	e.status.SetText("Writing the canvas…")
	e.notes.Hide()
	store := e.store
	go func() {
		rep, err := func() (*export.CanvasReport, error) {
			snap, err := store.Snapshot()
			if err != nil {
				return nil, fmt.Errorf("read the workspace: %w", err)
			}
			var rep *export.CanvasReport
			err = export.WriteFile(path, func(w io.Writer) error {
				var err error
				rep, err = export.CanvasWith(w, snap, opts)
				return err
			})
			return rep, err
		}()
		onUI(func() { e.finish(path, rep, err) })
	}()
}

func (e *canvasExport) finish(path string, rep *export.CanvasReport, err error) {
	e.activity.Stop()
	e.activity.Hide()
	e.exportBtn.Enable()
	switch {
	case closedMeanwhile(err):
		e.status.SetText("Not written: this workspace was closed before the canvas was begun. Open it again to export it.")
	case err != nil:
		e.status.SetText("The canvas was not written.")
		dialog.ShowError(fmt.Errorf("export the canvas: %w", err), e.win)
	default:
		rememberSaveFolder(e.snap.Meta.ID, path)
		e.caps.remember()
		e.status.SetText(fmt.Sprintf("Saved %s (%s): %d boards, %d lanes, %d cards, %d links.", path, rep.TLP, rep.Boards, rep.Lanes, rep.Cards, rep.Links))
		if notes := canvasNotes(rep.Notes, 0); notes != "" {
			e.notes.SetText(notes)
			e.notes.Show()
		}
	}
	if e.done != nil {
		e.done(err)
	}
}

// chooseFile picks where to save with the file dialog.
func (e *canvasExport) chooseFile() {
	chooseSaveFolder(e.win, e.path, fileNameOf(e.snap.Meta.Title, "workspace")+".canvas")
}
