package ui

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/export"
	"briefboard/workspace"
)

// noCap is the TLP choice that includes everything.
const noCap = "No cap: include everything"

// briefDate reads a brief's date, saying what is wrong with one that is
// not a date: the wrong shape, or a day that does not exist.
func briefDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var y, m, d int
	if n, err := fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d); err != nil || n != 3 || len(s) != 10 {
		return time.Time{}, fmt.Errorf("write the date as YYYY-MM-DD, such as 2025-12-29; %q is not", s)
	}
	t, err := time.Parse("2006-01-02", s)
	switch {
	case m < 1 || m > 12:
		return time.Time{}, fmt.Errorf("%q is not a real date: there is no month %d", s, m)
	case err != nil:
		last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		return time.Time{}, fmt.Errorf("%q is not a real date: %s %d has %d days", s, time.Month(m), y, last)
	}
	return t, nil
}

// problemLine is the line of a dialog that says what stops it: always two
// lines high, so the dialog does not jump as problems come and go.
func problemLine() (*widget.Label, fyne.CanvasObject) {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	return l, container.New(&minHeightLayout{lines: 2}, l)
}

// minHeightLayout gives its content at least so many lines of text.
type minHeightLayout struct{ lines int }

// MinSize is the content's, at least lines of text high.
func (m *minHeightLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(m.lines)*fyne.MeasureText("Ág", theme.TextSize(), fyne.TextStyle{}).Height + 2*theme.InnerPadding()
	s := fyne.NewSize(0, h)
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// Layout gives the content the whole space.
func (m *minHeightLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// exportPDF is the Export PDF dialog: the brief's options, where to save
// it, progress while it is written and an Open action afterwards.
type exportPDF struct {
	win   fyne.Window
	store *workspace.Store
	snap  *workspace.Snapshot

	boards      *widget.CheckGroup
	boardIDs    map[string]string // board title as shown -> id
	lanes       *widget.CheckGroup
	caps        *capChoice
	tlp         *widget.Select
	annotations *widget.Check
	paper       *widget.RadioGroup
	date        *widget.Entry
	// draft leaves the brief unrecorded; follows says which recorded
	// brief it follows (rounds.go).
	draft     *widget.Check
	follows   *widget.Label
	path      *widget.Entry
	choose    *widget.Button
	recent    *widget.Button
	progress  *widget.ProgressBar
	status    *widget.Label
	problem   *widget.Label
	exportBtn *widget.Button
	openBtn   *widget.Button
	// running is set while a brief is written.
	running bool
	// findings counts the open findings of the checks in the brief;
	// showChecks, when set, opens the window's Checks panel.
	findings   *exportChecks
	showChecks func()

	dlg dialog.Dialog
	// written is the last brief written, for Open.
	written string
	// open hands a file to the desktop's viewer; tests replace it.
	open func(path string) error
	// done hears the end of each export, with its error; tests wait on it.
	done func(error)
}

// ShowExportPDF shows the Export PDF dialog for a workspace over a window.
// paper is the preferred paper, "a4" or "letter".
func ShowExportPDF(w fyne.Window, s *workspace.Store, paper string) {
	e, err := newExportPDF(w, s, paper)
	if err != nil {
		dialog.ShowError(err, w)
		return
	}
	e.dlg.Show()
}

func newExportPDF(w fyne.Window, s *workspace.Store, paper string) (*exportPDF, error) {
	snap, err := s.Snapshot()
	if err != nil {
		return nil, fmt.Errorf("read the workspace: %w", err)
	}
	e := &exportPDF{win: w, store: s, snap: snap, boardIDs: map[string]string{}, open: openInViewer}

	var titles []string
	for _, b := range snap.Boards {
		t := b.Title
		for e.boardIDs[t] != "" { // two boards with one title stay apart
			t += " "
		}
		e.boardIDs[t] = b.ID
		titles = append(titles, t)
	}
	e.boards = widget.NewCheckGroup(titles, func([]string) { e.check() })
	e.boards.SetSelected(titles)

	var laneNames []string
	seen := map[string]bool{}
	for _, b := range snap.Boards {
		for _, l := range snap.Lanes[b.ID] {
			if k := strings.ToLower(l.Name); !seen[k] {
				seen[k] = true
				laneNames = append(laneNames, l.Name)
			}
		}
	}
	e.lanes = widget.NewCheckGroup(laneNames, func([]string) { e.check() })
	e.lanes.Horizontal = true
	e.lanes.SetSelected(laneNames)

	e.caps = newCapChoice(snap, noCap, "the brief", func() { e.check() })
	e.tlp = e.caps.sel

	e.annotations = widget.NewCheck("Include annotations", nil)
	e.annotations.SetChecked(true)

	e.paper = widget.NewRadioGroup([]string{"A4", "Letter"}, nil)
	e.paper.Horizontal = true
	e.paper.Required = true
	if strings.EqualFold(paper, "letter") {
		e.paper.SetSelected("Letter")
	} else {
		e.paper.SetSelected("A4")
	}

	e.date = widget.NewEntry()
	e.date.SetText(time.Now().Format("2006-01-02"))
	e.date.OnChanged = func(string) { e.check() }

	e.draft = newDraftCheck(e.check)
	e.follows = widget.NewLabel("")
	e.follows.Wrapping = fyne.TextWrapWord

	e.path = widget.NewEntry()
	e.path.SetText(defaultSavePath(snap, " brief.pdf"))
	e.path.OnChanged = func(string) { e.check() }
	e.choose = widget.NewButton("Folder…", e.chooseFile)
	e.recent = recentButton(w, func(dir string) {
		useSaveFolder(w, e.path, fileNameOf(snap.Meta.Title, "workspace")+" brief.pdf", dir)
	})

	e.progress = widget.NewProgressBar()
	e.progress.Hide()
	e.status = widget.NewLabel("")
	e.status.Wrapping = fyne.TextWrapWord
	e.exportBtn = widget.NewButton("Export", e.start)
	e.exportBtn.Importance = widget.HighImportance
	e.openBtn = widget.NewButton("Open", e.openWritten)
	e.openBtn.Disable()
	var problemBox fyne.CanvasObject
	e.problem, problemBox = problemLine()
	e.findings = newExportChecks(e)

	// Show up to five pillars at once; more scroll.
	pillars := container.NewVScroll(e.boards)
	pillars.SetMinSize(fyne.NewSize(0, float32(min(max(len(titles), 1), 5))*e.boards.MinSize().Height/float32(max(len(titles), 1))))
	form := widget.NewForm(
		widget.NewFormItem("Pillars", pillars),
		widget.NewFormItem("Lanes", e.lanes),
		widget.NewFormItem("TLP cap", container.NewVBox(e.tlp, soft(e.caps.note))),
		widget.NewFormItem("", e.annotations),
		widget.NewFormItem("Paper", e.paper),
		widget.NewFormItem("Date", e.date),
		widget.NewFormItem("", container.NewVBox(e.draft, soft(e.follows))),
		widget.NewFormItem("Save as", container.NewBorder(nil, nil, nil, container.NewHBox(e.choose, e.recent), e.path)),
	)
	content := container.NewVBox(form, e.findings.root, problemBox, e.progress, e.status, container.NewHBox(e.exportBtn, e.openBtn))
	e.dlg = dialog.NewCustom("Export PDF brief", "Close", content, w)
	e.dlg.Resize(fyne.NewSize(560, 0))
	e.check()
	return e, nil
}

// check says what stops the export, if anything, and allows Export only
// when nothing does.
func (e *exportPDF) check() {
	if e.exportBtn == nil {
		return // still being built
	}
	e.updateFollows()
	o, err := e.options()
	if err == nil {
		e.findings.update(e, o)
		_, err = e.caps.part()
	}
	if err == nil {
		err = workspace.CheckOutputPath(e.outPath())
	}
	if err != nil {
		e.problem.SetText(err.Error())
	} else {
		e.problem.SetText("")
	}
	setEnabled(e.exportBtn, err == nil && !e.running)
}

// outPath is the file the brief goes to, with its .pdf.
func (e *exportPDF) outPath() string {
	path := strings.TrimSpace(e.path.Text)
	if path != "" && !strings.HasSuffix(strings.ToLower(path), ".pdf") {
		path += ".pdf"
	}
	return path
}

// options reads the dialog into export options.
func (e *exportPDF) options() (export.Options, error) {
	var o export.Options
	for _, t := range e.boards.Selected {
		o.Boards = append(o.Boards, e.boardIDs[t])
	}
	if len(o.Boards) == 0 {
		return o, errors.New("choose at least one pillar to export")
	}
	if len(e.lanes.Selected) == 0 {
		return o, errors.New("choose at least one lane to export")
	}
	if len(e.lanes.Selected) < len(e.lanes.Options) {
		o.Lanes = append(o.Lanes, e.lanes.Selected...)
	}
	t, err := e.caps.cap()
	if err != nil {
		return o, err
	}
	o.MaxTLP = t
	o.NoAnnotations = !e.annotations.Checked
	o.Paper = strings.ToLower(e.paper.Selected)
	d, err := briefDate(e.date.Text)
	if err != nil {
		return o, err
	}
	o.Date = d
	if strings.TrimSpace(e.path.Text) == "" {
		return o, errors.New("choose where to save the brief")
	}
	return o, nil
}

// start runs the export off the UI goroutine; results come back through
// fyne.Do.
func (e *exportPDF) start() {
	opts, err := e.options()
	if err != nil {
		e.check()
		return
	}
	path := e.outPath()
	if err := workspace.CheckOutputPath(path); err != nil {
		e.check()
		return
	}
	confirmReplace(e.win, path, func() { e.write(path, opts) })
}

// write writes the brief off the UI goroutine.
func (e *exportPDF) write(path string, opts export.Options) {
	e.running = true
	e.exportBtn.Disable()
	e.openBtn.Disable()
	e.progress.SetValue(0)
	e.progress.Show()
	e.status.SetText("Writing the brief…")
	opts.Progress = func(done, total int) {
		onUI(func() { e.progress.SetValue(float64(done) / float64(max(total, 1))) })
	}
	store, draft := e.store, e.draft.Checked
	go func() {
		snap, err := writeBrief(store, path, opts, draft)
		onUI(func() {
			if snap != nil {
				e.snap = snap
			}
			e.finish(path, err)
		})
	}()
}

// finish shows the outcome of an export.
func (e *exportPDF) finish(path string, err error) {
	e.progress.Hide()
	e.running = false
	e.check()
	var unrecorded *notRecorded
	switch {
	case errors.As(err, &unrecorded):
		// The file is there: say so, and let it be opened.
		e.written = path
		rememberSaveFolder(e.snap.Meta.ID, path)
		e.caps.remember()
		e.openBtn.Enable()
		if closedMeanwhile(err) {
			// The window moved on to another workspace: no error dialog.
			e.status.SetText("Saved " + path + ", but not recorded: the workspace was closed first, so the next brief will not follow it.")
			break
		}
		e.status.SetText("Saved " + path + ", but not recorded: the next brief will not follow it.")
		dialog.ShowError(err, e.win)
	case closedMeanwhile(err):
		e.status.SetText("Not written: this workspace was closed before the brief was begun. Open it again to export it.")
	case err != nil:
		e.status.SetText("The brief was not written.")
		dialog.ShowError(fmt.Errorf("export the brief: %w", err), e.win)
	default:
		e.written = path
		rememberSaveFolder(e.snap.Meta.ID, path)
		e.caps.remember()
		e.status.SetText("Saved " + path + e.recordedNote())
		e.openBtn.Enable()
	}
	if e.done != nil {
		e.done(err)
	}
}

// chooseFile picks where to save with the file dialog.
func (e *exportPDF) chooseFile() {
	chooseSaveFolder(e.win, e.path, fileNameOf(e.snap.Meta.Title, "workspace")+" brief.pdf")
}

// openWritten hands the brief just written to the desktop's PDF viewer.
func (e *exportPDF) openWritten() {
	if e.written == "" {
		return
	}
	if err := e.open(e.written); err != nil {
		dialog.ShowError(fmt.Errorf("open %s: %w", e.written, err), e.win)
	}
}

// openInViewer opens a file with the desktop's default application.
func openInViewer(path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	u := &url.URL{Scheme: "file", Path: abs}
	return fyne.CurrentApp().OpenURL(u)
}
