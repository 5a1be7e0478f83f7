package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// What the analyst changes in a matrix from the window besides ratings
// and evidence: a new matrix, its question and hypotheses, the
// conclusion, the indicators. Each dialog's save is one action.

// achForm is the matrix dialog on show, for tests.
type achForm struct {
	question, hypotheses, conclusion *widget.Entry
	// hyps edits the hypotheses of the matrix dialog.
	hyps *hypEditor
	// The indicator dialog's fields.
	indHyp    *widget.Select
	indText   *widget.Entry
	indStatus *widget.RadioGroup
	indCard   *widget.Label
	indClear  *widget.Button
	form      *formDialog
}

// newMatrixDialog asks for a question and its hypotheses, one a line, and
// shows the new matrix.
func (mw *MainWindow) newMatrixDialog() {
	if mw.store == nil {
		return
	}
	q := widget.NewEntry()
	q.SetPlaceHolder("For example: How will Moscow answer the revised framework?")
	hs := widget.NewMultiLineEntry()
	hs.SetPlaceHolder("One hypothesis a line; at least two")
	hs.SetMinRowsVisible(5)
	f := mw.newFormDialog("New ACH matrix", "Add matrix", []formRow{
		{"Question", q, "question"}, {"Hypotheses", hs, "hypotheses"},
	}, func() error {
		var list []string
		for _, h := range strings.Split(hs.Text, "\n") {
			if h = strings.TrimSpace(h); h != "" {
				list = append(list, h)
			}
		}
		m, err := mw.store.AddACHMatrix(workspace.ACHDraft{Question: q.Text, Hypotheses: list})
		if err == nil {
			mw.showACH(m.ID)
		}
		return err
	})
	q.OnSubmitted = func(string) { mw.win.Canvas().Focus(hs) }
	f.d.Show()
	mw.win.Canvas().Focus(q)
	mw.ach.lastForm = &achForm{question: q, hypotheses: hs, form: f}
}

// editConclusion asks for the matrix's conclusion.
func (v *achView) editConclusion() {
	m := v.matrix
	if m == nil {
		return
	}
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetText(m.Conclusion)
	e.SetMinRowsVisible(6)
	id := m.ID
	f := v.mw.newFormDialog("Conclusion", "Save", []formRow{{"What the analysis concludes", e, "conclusion"}}, func() error {
		return v.mw.store.UpdateACHMatrix(id, "Edit ACH conclusion", func(m *workspace.ACHMatrix) error {
			m.Conclusion = strings.TrimSpace(e.Text)
			return nil
		})
	})
	f.Resize(fyne.NewSize(560, 0))
	f.d.Show()
	v.mw.win.Canvas().Focus(e)
	v.lastForm = &achForm{conclusion: e, form: f}
}

// indicatorAt finds a hypothesis's indicator by its place and text, as
// the view showed it: a colleague's change merged since may have moved it.
func indicatorAt(m *workspace.ACHMatrix, hyp string, i int, text string) (int, error) {
	list := m.Indicators[hyp]
	if i < len(list) && list[i].Text == text {
		return i, nil
	}
	for j, in := range list {
		if in.Text == text {
			return j, nil
		}
	}
	return -1, &workspace.ValidationError{Field: "indicators", Reason: "the indicator is no longer in the matrix"}
}

// setIndicatorStatus sets the status of a hypothesis's indicator, found
// by its place and text, as one action.
func (v *achView) setIndicatorStatus(hyp string, i int, text string, st workspace.IndicatorStatus) {
	m := v.matrix
	if m == nil {
		return
	}
	v.mw.act(func() error {
		return v.mw.store.UpdateACHMatrix(m.ID, "Set indicator status", func(m *workspace.ACHMatrix) error {
			j, err := indicatorAt(m, hyp, i, text)
			if err != nil {
				return err
			}
			in := m.Indicators[hyp][j]
			in.Status = st
			return m.SetIndicator(hyp, j, in)
		})
	})
}

// removeIndicator removes a hypothesis's indicator, as one action.
func (v *achView) removeIndicator(hyp string, i int, text string) {
	m := v.matrix
	if m == nil {
		return
	}
	v.mw.act(func() error {
		return v.mw.store.UpdateACHMatrix(m.ID, "Remove indicator", func(m *workspace.ACHMatrix) error {
			j, err := indicatorAt(m, hyp, i, text)
			if err != nil {
				return err
			}
			return m.RemoveIndicator(hyp, j)
		})
	})
}

// statusMenu offers the statuses of an indicator, and editing or
// removing it.
func (v *achView) statusMenu(hyp string, i int, in workspace.Indicator, at fyne.Position) {
	var items []*fyne.MenuItem
	for _, st := range workspace.IndicatorStatuses {
		st := st
		it := fyne.NewMenuItem(st.Label(), func() { v.setIndicatorStatus(hyp, i, in.Text, st) })
		it.Checked = st == in.Status || in.Status == "" && st == workspace.IndicatorNotSeen
		items = append(items, it)
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Edit indicator…", func() { v.indicatorDialog(hyp, i, &in) }),
		fyne.NewMenuItem("Remove indicator", func() { v.removeIndicator(hyp, i, in.Text) }))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), v.mw.win.Canvas(), at)
}

// indicatorDialog adds an indicator (old nil) or edits the i-th of hyp:
// its hypothesis, text, status and the card it rests on (picked with the
// card search). Saving is one action.
func (v *achView) indicatorDialog(hyp string, i int, old *workspace.Indicator) {
	m := v.matrix
	if m == nil {
		return
	}
	var options []string
	for j, h := range m.Hypotheses {
		options = append(options, hypLabel(j)+" · "+workspace.ShortTitle(workspace.Printable(h.Title), 60))
	}
	pick := widget.NewSelect(options, nil)
	pick.SetSelectedIndex(0)
	if _, j := m.Hypothesis(hyp); j >= 0 {
		pick.SetSelectedIndex(j)
	}
	text := widget.NewEntry()
	text.SetPlaceHolder("What would be seen, for example: Moscow names a date for talks")
	var labels []string
	for _, st := range workspace.IndicatorStatuses {
		labels = append(labels, st.Label())
	}
	status := widget.NewRadioGroup(labels, nil)
	status.Horizontal = true
	status.Required = true
	status.SetSelected(workspace.IndicatorNotSeen.Label())
	// The card the indicator rests on or was seen in, if any.
	card := ""
	if old != nil {
		card = old.Card
	}
	cardLabel := widget.NewLabel("")
	cardLabel.Truncation = fyne.TextTruncateEllipsis
	var clear *widget.Button
	showCard := func() {
		if c := v.mw.snap.Cards[card]; c != nil {
			cardLabel.SetText(workspace.Printable(c.Title))
			clear.Show()
		} else {
			cardLabel.SetText("No card")
			clear.Hide()
		}
	}
	clear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { card = ""; showCard() })
	clear.Importance = widget.LowImportance
	choose := widget.NewButtonWithIcon("Card…", theme.SearchIcon(), func() {
		ix := v.mw.index
		if ix == nil {
			ix = workspace.NewIndex(v.mw.snap)
		}
		var d dialog.Dialog
		p := newPicker(v.mw.findCards(ix, nil), func(id string) {
			d.Hide()
			card = id
			showCard()
		})
		v.mw.lastPicker = p
		d = dialog.NewCustom("The card the indicator rests on", "Cancel", p.root, v.mw.win)
		d.Resize(fyne.NewSize(620, 520))
		d.Show()
		v.mw.win.Canvas().Focus(p.search)
	})
	showCard()
	title, confirm, action := "New indicator", "Add indicator", "Add indicator"
	if old != nil {
		text.SetText(old.Text)
		text.CursorColumn = len([]rune(old.Text))
		if old.Status != "" {
			status.SetSelected(old.Status.Label())
		}
		title, confirm, action = "Indicator", "Save", "Edit indicator"
	}
	id := m.ID
	hyps := m.Hypotheses
	f := v.mw.newFormDialog(title, confirm, []formRow{
		{"Hypothesis", pick, ""}, {"Indicator to watch", text, "indicators"}, {"Status", status, ""},
		{"Card (optional)", container.NewBorder(nil, nil, nil, container.NewHBox(clear, choose), cardLabel), ""},
	}, func() error {
		to := hyps[max(0, pick.SelectedIndex())].ID
		in := workspace.Indicator{Text: text.Text, Card: card}
		for _, st := range workspace.IndicatorStatuses {
			if st.Label() == status.Selected {
				in.Status = st
			}
		}
		return v.mw.store.UpdateACHMatrix(id, action, func(m *workspace.ACHMatrix) error {
			if old == nil {
				return m.AddIndicator(to, in)
			}
			j, err := indicatorAt(m, hyp, i, old.Text)
			if err != nil {
				return err
			}
			if to == hyp {
				return m.SetIndicator(hyp, j, in)
			}
			if err := m.RemoveIndicator(hyp, j); err != nil {
				return err
			}
			return m.AddIndicator(to, in)
		})
	})
	text.OnSubmitted = func(string) { f.trySave() }
	f.Resize(fyne.NewSize(560, 0))
	f.d.Show()
	v.mw.win.Canvas().Focus(text)
	v.lastForm = &achForm{indHyp: pick, indText: text, indStatus: status, indCard: cardLabel, indClear: clear, form: f}
}

// hypEditor edits a matrix's hypotheses in the matrix dialog: each
// keeps its id (and with it its ratings and indicators) through a new
// title or place; new ones have none yet.
type hypEditor struct {
	rows []hypRow
	box  *fyne.Container
	// changed runs when rows come or go, to fit the dialog.
	changed func()
	// submit runs on Enter in a title; focus gives a new row's title the
	// keyboard.
	submit func()
	focus  func(fyne.Focusable)
}

type hypRow struct {
	id    string
	entry *widget.Entry
}

func newHypEditor(hs []workspace.Hypothesis) *hypEditor {
	e := &hypEditor{box: container.NewVBox(), changed: func() {}, submit: func() {}, focus: func(fyne.Focusable) {}}
	for _, h := range hs {
		e.rows = append(e.rows, e.newRow(h.ID, h.Title))
	}
	e.rebuild()
	return e
}

func (e *hypEditor) newRow(id, title string) hypRow {
	en := widget.NewEntry()
	// The caret stays at the start, so that a long title shows how it
	// begins.
	en.SetText(title)
	en.SetPlaceHolder("A hypothesis an analyst would weigh")
	en.OnSubmitted = func(string) { e.submit() }
	return hypRow{id: id, entry: en}
}

// rebuild lays the rows out again with their places' labels and buttons.
func (e *hypEditor) rebuild() {
	objs := make([]fyne.CanvasObject, 0, len(e.rows)+1)
	for i, r := range e.rows {
		i := i
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { e.move(i, i-1) })
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { e.move(i, i+1) })
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.remove(i) })
		for _, b := range []*widget.Button{up, down, del} {
			b.Importance = widget.LowImportance
		}
		if i == 0 {
			up.Disable()
		}
		if i == len(e.rows)-1 {
			down.Disable()
		}
		if len(e.rows) <= 2 {
			del.Disable()
		}
		objs = append(objs, container.NewBorder(nil, nil, label(hypLabel(i)), container.NewHBox(up, down, del), r.entry))
	}
	add := widget.NewButtonWithIcon("Add hypothesis", theme.ContentAddIcon(), e.add)
	if len(e.rows) >= workspace.MaxHypotheses {
		add.Disable()
	}
	objs = append(objs, container.NewHBox(add))
	e.box.Objects = objs
	e.box.Refresh()
	e.changed()
}

func (e *hypEditor) move(from, to int) {
	if to < 0 || to >= len(e.rows) {
		return
	}
	e.rows[from], e.rows[to] = e.rows[to], e.rows[from]
	e.rebuild()
}

func (e *hypEditor) remove(i int) {
	e.rows = append(e.rows[:i], e.rows[i+1:]...)
	e.rebuild()
}

func (e *hypEditor) add() {
	e.rows = append(e.rows, e.newRow("", ""))
	e.rebuild()
	e.focus(e.rows[len(e.rows)-1].entry)
}

// hypotheses lists the rows as the store takes them.
func (e *hypEditor) hypotheses() []workspace.Hypothesis {
	out := make([]workspace.Hypothesis, len(e.rows))
	for i, r := range e.rows {
		out[i] = workspace.Hypothesis{ID: r.id, Title: r.entry.Text}
	}
	return out
}

// editMatrixDialog edits a matrix's question and hypotheses: titles,
// order, new ones and removals, saved as one action.
func (mw *MainWindow) editMatrixDialog(id string) {
	m := mw.snap.Matrix(id)
	if m == nil {
		return
	}
	q := widget.NewEntry()
	q.SetText(m.Question)
	hyps := newHypEditor(m.Hypotheses)
	note := widget.NewLabel("A hypothesis keeps its ratings and indicators when it is renamed or moved; " +
		"removing one removes them (Undo, Ctrl+Z, brings them back).")
	note.Wrapping = fyne.TextWrapWord
	note.TextStyle = fyne.TextStyle{Italic: true}
	f := mw.newFormDialog("Edit ACH matrix", "Save", []formRow{
		{"Question", q, "question"}, {"Hypotheses", hyps.box, "hypotheses"}, {"", note, ""},
	}, func() error {
		return mw.store.ReviseACHMatrix(id, q.Text, hyps.hypotheses())
	})
	hyps.changed = f.fit
	hyps.submit = f.trySave
	hyps.focus = mw.win.Canvas().Focus
	q.OnSubmitted = func(string) { f.trySave() }
	f.Resize(fyne.NewSize(min(760, mw.win.Canvas().Size().Width-40), 0))
	f.d.Show()
	mw.win.Canvas().Focus(q)
	mw.ach.lastForm = &achForm{question: q, hyps: hyps, form: f}
}

// tapText is a coloured text that does something when tapped.
type tapText struct {
	widget.BaseWidget
	text  *canvas.Text
	onTap func(at fyne.Position)
}

func newTapText(s string, c color.Color, onTap func(at fyne.Position)) *tapText {
	t := &tapText{text: canvas.NewText(s, c), onTap: onTap}
	t.text.TextStyle = fyne.TextStyle{Bold: true}
	t.text.TextSize = achSmall
	t.ExtendBaseWidget(t)
	return t
}

// Tapped runs the action.
func (t *tapText) Tapped(ev *fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap(ev.AbsolutePosition)
	}
}

// CreateRenderer draws the text.
func (t *tapText) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.text) }

// matrixMenu is the menu of a matrix in the sidebar.
func (mw *MainWindow) matrixMenu(id string, at fyne.Position) {
	m := fyne.NewMenu("",
		fyne.NewMenuItem("Open", func() { mw.showACH(id) }),
		fyne.NewMenuItem("Edit matrix…", func() { mw.showACH(id); mw.editMatrixDialog(id) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Delete matrix…", func() { mw.deleteMatrixDialog(id) }),
	)
	widget.ShowPopUpMenuAtPosition(m, mw.win.Canvas(), at)
}

// deleteMatrixDialog deletes a matrix and its evidence rows after asking;
// the cards stay. Undo brings the matrix back.
func (mw *MainWindow) deleteMatrixDialog(id string) {
	m := mw.snap.Matrix(id)
	if m == nil {
		return
	}
	msg := fmt.Sprintf("Delete the matrix %q with its %s and their ratings? The cards stay.\nUndo (Ctrl+Z) brings it back.",
		workspace.ShortTitle(workspace.Printable(m.Question), 60), countText(len(mw.snap.Evidence[id]), "evidence row", "evidence rows"))
	dialog.ShowConfirm("Delete matrix", msg, func(ok bool) {
		if ok {
			mw.act(func() error { return mw.store.DeleteACHMatrix(id) })
		}
	}, mw.win)
}
