package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// What the analyst changes in a matrix from the window besides ratings
// and evidence: a new matrix, the conclusion, an indicator's status. Each
// is one action.

// achForm is the matrix dialog on show, for tests.
type achForm struct {
	question, hypotheses, conclusion *widget.Entry
	form                             *formDialog
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

// setIndicatorStatus sets the status of a hypothesis's indicator, found
// by its place and text, as one action.
func (v *achView) setIndicatorStatus(hyp string, i int, text string, st workspace.IndicatorStatus) {
	m := v.matrix
	if m == nil {
		return
	}
	v.mw.act(func() error {
		return v.mw.store.UpdateACHMatrix(m.ID, "Set indicator status", func(m *workspace.ACHMatrix) error {
			list := append([]workspace.Indicator(nil), m.Indicators[hyp]...)
			if i >= len(list) || list[i].Text != text {
				i = -1
				for j, in := range list {
					if in.Text == text {
						i = j
						break
					}
				}
			}
			if i < 0 {
				return &workspace.ValidationError{Field: "indicators", Reason: "the indicator is no longer in the matrix"}
			}
			list[i].Status = st
			m.Indicators[hyp] = list
			return nil
		})
	})
}

// statusMenu offers the statuses of an indicator.
func (v *achView) statusMenu(hyp string, i int, in workspace.Indicator, at fyne.Position) {
	var items []*fyne.MenuItem
	for _, st := range workspace.IndicatorStatuses {
		st := st
		it := fyne.NewMenuItem(st.Label(), func() { v.setIndicatorStatus(hyp, i, in.Text, st) })
		it.Checked = st == in.Status || in.Status == "" && st == workspace.IndicatorNotSeen
		items = append(items, it)
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), v.mw.win.Canvas(), at)
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
