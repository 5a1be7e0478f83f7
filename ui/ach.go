package ui

import (
	"fmt"
	"image/color"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// The ACH view shows one Analysis of Competing Hypotheses matrix (DESIGN.md
// section 10) in the centre of the window, reached from the sidebar: the
// question, the hypotheses ranked by the workspace's scores, the evidence
// rows with their ratings, the conclusion and the indicators to watch.
// Every score, the non-diagnostic rows, the sensitivity marks and every
// marking come from workspace; the view only draws them. Each rating is
// one action (Store.RateACH, as `ach rate`).

// viewACH is the centre showing a matrix.
const viewACH = "ach"

// achKeysHelp states the keys of the matrix, as the view's help prints
// them. ratingForRune is the mapping.
const achKeysHelp = "Keys: the arrows move between cells; 1 CC, 2 C, 3 N, 4 I, 5 II, 6 NA; or the letters " +
	"c C (consistent), Shift+C CC (very consistent), n N (neutral), i I (inconsistent), Shift+I II (very " +
	"inconsistent), a NA (not applicable); 0, Delete or Backspace clears the cell; w changes the row's " +
	"weight; Enter shows the card. Edit matrix… renames, moves, adds and removes hypotheses; a tap on an " +
	"indicator's status changes, edits or removes it."

// ratingForRune is the rating a key gives the cell in focus: the digits
// 1 to 6 in the order of workspace.ACHRatings, or a letter (lower case for
// C and I, upper case for CC and II). clear is set for a key that clears
// the cell.
func ratingForRune(r rune) (rating workspace.ACHRating, clear, ok bool) {
	if r >= '1' && r <= '6' {
		return workspace.ACHRatings[r-'1'], false, true
	}
	switch r {
	case '0':
		return "", true, true
	case 'c':
		return workspace.RatingC, false, true
	case 'C':
		return workspace.RatingCC, false, true
	case 'n', 'N':
		return workspace.RatingN, false, true
	case 'i':
		return workspace.RatingI, false, true
	case 'I':
		return workspace.RatingII, false, true
	case 'a', 'A':
		return workspace.RatingNA, false, true
	}
	return "", false, false
}

// Geometry of the matrix, shared by the header and the rows.
const (
	achTitleW  = float32(280)
	achWeightW = float32(64)
	achCellW   = float32(68)
	achSensW   = float32(28)
	achRowH    = float32(34)
	achSmall   = float32(11)
	achText    = float32(13)
	// achSens marks a row whose leaving out would change the top
	// hypothesis, as the brief does.
	achSens = "†"
)

func achWidth(n int) float32 { return achTitleW + achWeightW + float32(n)*achCellW + achSensW }

// achTitleWidth is the width of the title column in a matrix as wide as
// width: the room the other columns leave, at least achTitleW.
func achTitleWidth(width float32, n int) float32 {
	return max(achTitleW, width-achWidth(n)+achTitleW)
}

// achLine is one evidence row as the view draws it.
type achLine struct {
	row     *workspace.ACHRow
	card    *workspace.Card
	score   workspace.RowScore
	marking workspace.Marking
}

// achView is the centre of the window on a matrix.
type achView struct {
	mw   *MainWindow
	root *fyne.Container

	question *widget.Label
	meta     *widget.Label
	helpBtn  *widget.Button
	help     *widget.Label
	ranking  *fyne.Container
	// rankScores are the ranking's scores, least inconsistent first.
	rankScores []*canvas.Text
	sortDiag   *widget.Check
	legend     *widget.Label
	header     *achHeader
	list       *widget.List
	grid       *achGrid
	concl      *widget.Label
	inds       *fyne.Container
	gone       *widget.Label
	body       *fyne.Container
	page       *container.Scroll

	matrix *workspace.ACHMatrix
	scores *workspace.ACHScores
	lines  []achLine
	// rowViews are the list's rows, shown or kept for reuse.
	rowViews []*achRowView
	// byDiag sorts the rows by diagnosticity, most diagnostic first.
	byDiag bool
	// lastForm is the last matrix dialog opened, for tests.
	lastForm *achForm
	// conclEdit opens the conclusion's dialog, editBtn the matrix's and
	// addInd the new indicator's.
	conclEdit, editBtn, addInd *widget.Button
	// The cell in focus: a card's row and a hypothesis's column.
	focusCard string
	focusHyp  int
}

func newACHView(mw *MainWindow) *achView {
	v := &achView{mw: mw}
	v.question = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.question.SizeName = theme.SizeNameSubHeadingText
	v.question.Wrapping = fyne.TextWrapWord
	v.meta = widget.NewLabel("")
	v.meta.Importance = widget.LowImportance
	v.meta.Truncation = fyne.TextTruncateEllipsis
	v.help = widget.NewLabel(workspace.ACHFormula + "\n\n" + achKeysHelp)
	v.help.Wrapping = fyne.TextWrapWord
	v.help.Hide()
	v.helpBtn = widget.NewButtonWithIcon("", theme.QuestionIcon(), v.toggleHelp)
	v.helpBtn.Importance = widget.LowImportance
	v.ranking = container.NewVBox()
	v.sortDiag = widget.NewCheck("Sort rows by diagnosticity", func(on bool) {
		if on != v.byDiag {
			v.byDiag = on
			v.update()
		}
	})
	v.legend = widget.NewLabel("Grey rows are non-diagnostic: rated alike for every hypothesis. " + achSens +
		" Leaving the row out would change the top hypothesis.")
	v.legend.Importance = widget.LowImportance
	v.legend.Wrapping = fyne.TextWrapWord
	v.header = newACHHeader(v)
	v.list = widget.NewList(
		func() int { return len(v.lines) },
		func() fyne.CanvasObject {
			r := newACHRowView(v)
			v.rowViews = append(v.rowViews, r)
			return r
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*achRowView).bind(i) })
	v.grid = newACHGrid(v, container.NewHScroll(container.NewBorder(v.header, nil, nil, nil, v.list)))
	v.concl = widget.NewLabel("")
	v.concl.Wrapping = fyne.TextWrapWord
	v.inds = container.NewVBox()
	v.gone = widget.NewLabel("This matrix was deleted. Undo (Ctrl+Z) brings it back.")
	v.gone.Hide()

	v.editBtn = widget.NewButtonWithIcon("Edit matrix…", theme.DocumentCreateIcon(), func() {
		if v.matrix != nil {
			mw.editMatrixDialog(v.matrix.ID)
		}
	})
	v.editBtn.Importance = widget.LowImportance
	head := container.NewBorder(nil, nil, nil, container.NewHBox(v.editBtn, v.helpBtn), soft(v.meta))
	top := container.NewVBox(v.question, head, v.help, v.ranking,
		container.NewBorder(nil, nil, v.sortDiag, nil), v.gone)
	v.conclEdit = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), v.editConclusion)
	v.conclEdit.Importance = widget.LowImportance
	v.addInd = widget.NewButtonWithIcon("Add…", theme.ContentAddIcon(), func() { v.indicatorDialog("", -1, nil) })
	v.addInd.Importance = widget.LowImportance
	// One page that scrolls: the matrix keeps room for a dozen rows
	// (and scrolls its own beyond), whatever the ranking and the help
	// take above it.
	v.body = container.NewVBox(top, v.grid, soft(v.legend),
		container.NewBorder(nil, nil, nil, v.conclEdit, achHeading("CONCLUSION")), v.concl,
		container.NewBorder(nil, nil, nil, v.addInd, achHeading("INDICATORS TO WATCH")), v.inds)
	v.page = container.NewVScroll(v.body)
	v.root = container.NewPadded(v.page)
	return v
}

// achHeading is a small heading in the view.
func achHeading(text string) fyne.CanvasObject {
	l := canvas.NewText(text, themeColor(colorNameMuted))
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.TextSize = theme.CaptionTextSize()
	return container.NewPadded(l)
}

func (v *achView) toggleHelp() {
	if v.help.Visible() {
		v.help.Hide()
	} else {
		v.help.Show()
	}
	v.body.Refresh()
}

// update draws the matrix from the window's snapshot.
func (v *achView) update() {
	mw := v.mw
	snap := mw.snap
	m := snap.Matrix(mw.achID)
	v.matrix = m
	for _, b := range []*widget.Button{v.editBtn, v.addInd, v.conclEdit} {
		if m == nil {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if m == nil {
		v.lines, v.scores = nil, nil
		v.gone.Show()
		v.question.SetText("")
		v.meta.SetText("")
		v.ranking.Objects, v.rankScores = nil, nil
		v.ranking.Refresh()
		v.list.Refresh()
		v.body.Refresh()
		return
	}
	if v.gone.Visible() {
		v.gone.Hide()
		v.body.Refresh()
	}
	v.scores = snap.ScoreACH(m)
	byCard := make(map[string]workspace.RowScore, len(v.scores.Rows))
	for _, r := range v.scores.Rows {
		byCard[r.Card] = r
	}
	v.lines = v.lines[:0]
	for _, r := range snap.Evidence[m.ID] {
		c := snap.Cards[r.Card]
		if c == nil {
			continue
		}
		v.lines = append(v.lines, achLine{row: r, card: c, score: byCard[r.Card], marking: markingOf(snap, r, r.TLP)})
	}
	if v.byDiag {
		sort.SliceStable(v.lines, func(i, j int) bool {
			a, b := v.lines[i].score, v.lines[j].score
			if a.Spread != b.Spread {
				return a.Spread > b.Spread
			}
			return a.Diagnostic && !b.Diagnostic
		})
	}
	if v.focusHyp >= len(m.Hypotheses) {
		v.focusHyp = len(m.Hypotheses) - 1
	}
	if v.lineOf(v.focusCard) < 0 {
		v.focusCard = ""
		if len(v.lines) > 0 {
			v.focusCard = v.lines[0].card.ID
		}
	}

	setLabel(v.question, workspace.Printable(m.Question))
	mk := markingOf(snap, m, m.TLP)
	setLabel(v.meta, fmt.Sprintf("Analysis of Competing Hypotheses · %s · %s · %s%s",
		countText(len(m.Hypotheses), "hypothesis", "hypotheses"), countText(len(v.lines), "piece of evidence", "pieces of evidence"),
		mk.TLP, badgeMark(mk)))
	v.updateRanking()
	v.header.Refresh()
	v.list.Refresh()
	v.updateConclusion(snap, m)
	// The ranking, the matrix's room and the conclusion may have changed
	// height: lay the page out again.
	v.body.Refresh()
}

// countText counts things in words: "1 hypothesis", "3 hypotheses".
func countText(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// hypLabel names a hypothesis by its place: H1, H2 …
func hypLabel(i int) string { return fmt.Sprintf("H%d", i+1) }

// isTop reports whether a hypothesis is among the least inconsistent.
func (v *achView) isTop(id string) bool {
	if v.scores == nil {
		return false
	}
	for _, t := range v.scores.Top {
		if t == id {
			return true
		}
	}
	return false
}

// updateRanking lists the hypotheses least inconsistent first, with their
// weighted inconsistency, one compact line each.
func (v *achView) updateRanking() {
	sc := v.scores
	objs := []fyne.CanvasObject{achHeading("HYPOTHESES, LEAST INCONSISTENT FIRST (WEIGHTED INCONSISTENCY)")}
	v.rankScores = v.rankScores[:0]
	fg := theme.Color(theme.ColorNameForeground)
	for _, i := range sc.Ranking {
		h := sc.Hypotheses[i]
		top := v.isTop(h.ID)
		mk := func(s string, bold bool) *canvas.Text {
			t := canvas.NewText(s, fg)
			t.TextSize = achText
			t.TextStyle = fyne.TextStyle{Bold: bold}
			return t
		}
		bg := canvas.NewRectangle(color.Transparent)
		bg.CornerRadius = 4
		if top {
			bg.FillColor = achTopColor()
		}
		score := mk(workspace.ScoreText(h.Inconsistency), top)
		score.Alignment = fyne.TextAlignTrailing
		v.rankScores = append(v.rankScores, score)
		title := workspace.Printable(h.Title)
		if note := h.UnratedNote(len(sc.Rows)); note != "" {
			title += " (" + note + ")"
		}
		objs = append(objs, container.New(&rankLayout{title: title},
			bg, mk(fmt.Sprintf("%d.  %s", h.Rank, hypLabel(i)), true), mk(title, top), score))
	}
	v.ranking.Objects = objs
	v.ranking.Refresh()
}

// rankLayout lays out a line of the ranking: a tint, the rank and
// label, the title cut to fit, the score at the right.
type rankLayout struct{ title string }

// Layout places the texts.
func (l *rankLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	bg, rank, title, score := objs[0], objs[1].(*canvas.Text), objs[2].(*canvas.Text), objs[3].(*canvas.Text)
	bg.Resize(size)
	th := lineHeight(achText, fyne.TextStyle{Bold: true})
	y := (size.Height - th) / 2
	rank.Move(fyne.NewPos(8, y))
	rank.Resize(fyne.NewSize(60, th))
	sw := fyne.MeasureText(score.Text, score.TextSize, score.TextStyle).Width + 8
	score.Move(fyne.NewPos(size.Width-sw-8, y))
	score.Resize(fyne.NewSize(sw, th))
	w := max(0, size.Width-76-sw-16)
	title.Text = fitLine(l.title, title.TextSize, title.TextStyle, w)
	title.Move(fyne.NewPos(68, y))
	title.Resize(fyne.NewSize(w, th))
}

// MinSize is one line of text with a little room.
func (l *rankLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(200, lineHeight(achText, fyne.TextStyle{Bold: true})+8)
}

// updateConclusion shows the analyst's conclusion and the indicators,
// hypothesis by hypothesis.
func (v *achView) updateConclusion(snap *workspace.Snapshot, m *workspace.ACHMatrix) {
	if m.Conclusion == "" {
		v.concl.TextStyle = fyne.TextStyle{Italic: true}
		setLabel(v.concl, "No conclusion yet.")
	} else {
		v.concl.TextStyle = fyne.TextStyle{}
		setLabel(v.concl, workspace.Printable(m.Conclusion))
	}
	v.concl.Refresh()
	var objs []fyne.CanvasObject
	for i, h := range m.Hypotheses {
		for j, in := range m.Indicators[h.ID] {
			hyp, j, in := h.ID, j, in
			status := newTapText(in.Status.Label(), indicatorColor(in.Status), func(at fyne.Position) {
				v.statusMenu(hyp, j, in, at)
			})
			text := widget.NewLabel(hypLabel(i) + " · " + workspace.Printable(in.Text))
			text.Wrapping = fyne.TextWrapWord
			var right fyne.CanvasObject
			if c := snap.Cards[in.Card]; c != nil {
				id := c.ID
				b := widget.NewButton(workspace.ShortTitle(workspace.Printable(c.Title), 40), func() { v.showCard(id) })
				b.Importance = widget.LowImportance
				right = b
			}
			objs = append(objs, container.NewBorder(nil, nil, container.NewCenter(status), right, text))
		}
	}
	if len(objs) == 0 {
		none := widget.NewLabelWithStyle("No indicators yet.", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		objs = append(objs, none)
	}
	v.inds.Objects = objs
	v.inds.Refresh()
}

// indicatorColor is the colour of an indicator's status.
func indicatorColor(s workspace.IndicatorStatus) color.Color {
	switch s {
	case workspace.IndicatorSeen:
		return color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	case workspace.IndicatorContradicted:
		return color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	}
	return themeColor(colorNameMuted)
}

// achTopColor tints the least inconsistent hypotheses.
func achTopColor() color.Color { return color.NRGBA{R: 0x2e, G: 0x9e, B: 0x44, A: 0x30} }

// ratingTint is the tint of a rated cell.
func ratingTint(r workspace.ACHRating) color.Color {
	switch r {
	case workspace.RatingCC:
		return color.NRGBA{R: 0x2e, G: 0x9e, B: 0x44, A: 0x60}
	case workspace.RatingC:
		return color.NRGBA{R: 0x2e, G: 0x9e, B: 0x44, A: 0x28}
	case workspace.RatingI:
		return color.NRGBA{R: 0xf0, G: 0x74, B: 0x1c, A: 0x40}
	case workspace.RatingII:
		return color.NRGBA{R: 0xc6, G: 0x1f, B: 0x1f, A: 0x50}
	}
	return color.Transparent
}

// lineOf is the place of a card's row in the view's order, or -1.
func (v *achView) lineOf(card string) int {
	for i, l := range v.lines {
		if l.card.ID == card {
			return i
		}
	}
	return -1
}

// focusCell puts the focus on a cell and the keyboard on the matrix.
func (v *achView) focusCell(card string, hyp int) {
	v.focusCard, v.focusHyp = card, hyp
	if c := v.mw.win.Canvas(); c != nil && c.Focused() != v.grid {
		c.Focus(v.grid)
	}
	v.list.Refresh()
	if i := v.lineOf(card); i >= 0 {
		v.list.ScrollTo(i)
	}
}

// move moves the focus cell by rows and columns, stopping at the edges.
func (v *achView) move(dr, dc int) {
	if v.matrix == nil || len(v.lines) == 0 {
		return
	}
	i := max(0, v.lineOf(v.focusCard))
	i = min(len(v.lines)-1, max(0, i+dr))
	h := min(len(v.matrix.Hypotheses)-1, max(0, v.focusHyp+dc))
	v.focusCell(v.lines[i].card.ID, h)
}

// rate rates the cell in focus, as one action; an empty rating clears it.
func (v *achView) rate(r workspace.ACHRating) {
	m := v.matrix
	if m == nil || v.lineOf(v.focusCard) < 0 || v.focusHyp < 0 || v.focusHyp >= len(m.Hypotheses) {
		return
	}
	card, h := v.focusCard, m.Hypotheses[v.focusHyp].ID
	v.mw.act(func() error { return v.mw.store.RateACH(m.ID, card, h, r) })
	v.keepFocus()
}

// setWeight sets a row's weight, as one action.
func (v *achView) setWeight(card string, w workspace.ACHWeight) {
	m := v.matrix
	if m == nil {
		return
	}
	v.mw.act(func() error {
		_, err := v.mw.store.SetACHEvidence(m.ID, card, w)
		return err
	})
	v.keepFocus()
}

// nextWeight is the weight after w: low, medium, high, low …
func nextWeight(w workspace.ACHWeight) workspace.ACHWeight {
	switch w.Or() {
	case workspace.WeightLow:
		return workspace.WeightMedium
	case workspace.WeightMedium:
		return workspace.WeightHigh
	}
	return workspace.WeightLow
}

// keepFocus gives the keyboard back to the matrix after an action (act
// takes it away to store pending typing first).
func (v *achView) keepFocus() {
	if c := v.mw.win.Canvas(); c != nil && v.mw.view == viewACH && c.Focused() != v.grid {
		c.Focus(v.grid)
	}
}

// showCard selects a card, which the detail pane then shows.
func (v *achView) showCard(id string) {
	v.mw.selectCard(id)
	v.keepFocus()
}

// removeEvidence takes a card out of the matrix, as one action.
func (v *achView) removeEvidence(card string) {
	if m := v.matrix; m != nil {
		v.mw.act(func() error { return v.mw.store.RemoveACHEvidence(m.ID, card) })
	}
}

// rowMenu is the menu of an evidence row.
func (v *achView) rowMenu(card string, at fyne.Position) {
	var weights []*fyne.MenuItem
	l := v.lineOf(card)
	if l < 0 {
		return
	}
	cur := v.lines[l].row.Weight.Or()
	for _, w := range workspace.ACHWeights {
		w := w
		it := fyne.NewMenuItem(strings.ToUpper(string(w[:1]))+string(w[1:]), func() { v.setWeight(card, w) })
		it.Checked = w == cur
		weights = append(weights, it)
	}
	weight := fyne.NewMenuItem("Weight", nil)
	weight.ChildMenu = fyne.NewMenu("", weights...)
	m := fyne.NewMenu("",
		fyne.NewMenuItem("Show card", func() { v.showCard(card) }),
		weight,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Remove from this matrix", func() { v.removeEvidence(card) }),
	)
	widget.ShowPopUpMenuAtPosition(m, v.mw.win.Canvas(), at)
}

// achGrid holds the matrix's header and rows and takes the keyboard: the
// arrows move the focus cell, letters and digits rate it.
type achGrid struct {
	widget.BaseWidget
	v       *achView
	content fyne.CanvasObject
	focused bool
}

func newACHGrid(v *achView, content fyne.CanvasObject) *achGrid {
	g := &achGrid{v: v, content: content}
	g.ExtendBaseWidget(g)
	return g
}

// CreateRenderer draws the header and rows.
func (g *achGrid) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(g.content) }

// achGridRows is how many rows the matrix shows before its rows scroll.
const achGridRows = 12

// MinSize leaves room for the header and up to achGridRows rows, at
// least three; the width scrolls.
func (g *achGrid) MinSize() fyne.Size {
	rows := max(3, min(achGridRows, len(g.v.lines)))
	return fyne.NewSize(0, g.v.header.MinSize().Height+float32(rows)*(achRowH+theme.Padding())+theme.Padding())
}

// FocusGained shows the focus cell as the keyboard's.
func (g *achGrid) FocusGained() { g.focused = true; g.v.list.Refresh() }

// FocusLost shows the focus cell as resting.
func (g *achGrid) FocusLost() { g.focused = false; g.v.list.Refresh() }

// TypedRune rates the focus cell.
func (g *achGrid) TypedRune(r rune) {
	if r == 'w' || r == 'W' {
		if i := g.v.lineOf(g.v.focusCard); i >= 0 {
			g.v.setWeight(g.v.focusCard, nextWeight(g.v.lines[i].row.Weight))
		}
		return
	}
	rating, clear, ok := ratingForRune(r)
	if !ok {
		return
	}
	if clear {
		rating = ""
	}
	g.v.rate(rating)
}

// TypedKey moves the focus cell, clears it or shows its card.
func (g *achGrid) TypedKey(k *fyne.KeyEvent) { g.v.typedKey(k) }

// typedKey handles a key for the matrix and reports whether it did.
func (v *achView) typedKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyUp:
		v.move(-1, 0)
	case fyne.KeyDown:
		v.move(1, 0)
	case fyne.KeyLeft:
		v.move(0, -1)
	case fyne.KeyRight:
		v.move(0, 1)
	case fyne.KeyDelete, fyne.KeyBackspace:
		v.rate("")
	case fyne.KeyReturn, fyne.KeyEnter:
		if v.lineOf(v.focusCard) >= 0 {
			v.showCard(v.focusCard)
		}
	default:
		return false
	}
	return true
}

// Tapped gives the matrix the keyboard.
func (g *achGrid) Tapped(*fyne.PointEvent) {
	if c := g.v.mw.win.Canvas(); c != nil {
		c.Focus(g)
	}
}

// achHeader is the row of column heads: the hypotheses by place, with
// their scores.
type achHeader struct {
	widget.BaseWidget
	v *achView
}

func newACHHeader(v *achView) *achHeader {
	h := &achHeader{v: v}
	h.ExtendBaseWidget(h)
	return h
}

// MinSize is the matrix's width and two lines.
func (h *achHeader) MinSize() fyne.Size {
	n := 0
	if h.v.matrix != nil {
		n = len(h.v.matrix.Hypotheses)
	}
	return fyne.NewSize(achWidth(n), 2*lineHeight(achText, fyne.TextStyle{Bold: true})+8)
}

// CreateRenderer builds the heads.
func (h *achHeader) CreateRenderer() fyne.WidgetRenderer {
	r := &achHeaderRenderer{h: h}
	r.Refresh()
	return r
}

type achHeaderRenderer struct {
	h       *achHeader
	objects []fyne.CanvasObject
}

func (r *achHeaderRenderer) Destroy()                     {}
func (r *achHeaderRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *achHeaderRenderer) MinSize() fyne.Size           { return r.h.MinSize() }
func (r *achHeaderRenderer) Layout(fyne.Size)             { r.Refresh() }

// Refresh builds the heads again: a matrix has a few.
func (r *achHeaderRenderer) Refresh() {
	v := r.h.v
	muted := themeColor(colorNameMuted)
	fg := theme.Color(theme.ColorNameForeground)
	lh := lineHeight(achText, fyne.TextStyle{Bold: true})
	text := func(s string, x, y, w float32, c color.Color, bold bool, align fyne.TextAlign) {
		t := canvas.NewText(s, c)
		t.TextSize = achText
		t.TextStyle = fyne.TextStyle{Bold: bold}
		t.Alignment = align
		t.Move(fyne.NewPos(x, y))
		t.Resize(fyne.NewSize(w, lh))
		r.objects = append(r.objects, t)
	}
	r.objects = r.objects[:0]
	y := float32(4)
	n := 0
	if v.matrix != nil {
		n = len(v.matrix.Hypotheses)
	}
	tw := achTitleWidth(r.h.Size().Width, n)
	text("Evidence", 8, y+lh/2, tw-8, muted, true, fyne.TextAlignLeading)
	text("Weight", tw, y+lh/2, achWeightW, muted, true, fyne.TextAlignCenter)
	if v.matrix != nil && v.scores != nil {
		x := tw + achWeightW
		for i, hs := range v.scores.Hypotheses {
			c := fg
			if v.isTop(hs.ID) {
				bg := canvas.NewRectangle(achTopColor())
				bg.CornerRadius = 4
				bg.Move(fyne.NewPos(x+2, 2))
				bg.Resize(fyne.NewSize(achCellW-4, 2*lh+4))
				r.objects = append(r.objects, bg)
			}
			text(hypLabel(i), x, y, achCellW, c, true, fyne.TextAlignCenter)
			text(workspace.ScoreText(hs.Inconsistency), x, y+lh, achCellW, muted, false, fyne.TextAlignCenter)
			x += achCellW
		}
		text(achSens, x, y+lh/2, achSensW, muted, true, fyne.TextAlignCenter)
	}
	line := canvas.NewRectangle(themeColor(colorNameCardBorder))
	line.Move(fyne.NewPos(0, r.h.MinSize().Height-1))
	line.Resize(fyne.NewSize(max(r.h.MinSize().Width, r.h.Size().Width), 1))
	r.objects = append(r.objects, line)
	canvas.Refresh(r.h)
}

// achRowView is one evidence row: the card's title and marking, the
// weight, a cell per hypothesis and the sensitivity mark. It is a list
// row, rebound as the list scrolls.
type achRowView struct {
	widget.BaseWidget
	v *achView
	i int
}

func newACHRowView(v *achView) *achRowView {
	r := &achRowView{v: v, i: -1}
	r.ExtendBaseWidget(r)
	return r
}

func (r *achRowView) bind(i int) {
	r.i = i
	r.Refresh()
}

// line is the row shown, or nil.
func (r *achRowView) line() *achLine {
	if r.i < 0 || r.i >= len(r.v.lines) {
		return nil
	}
	return &r.v.lines[r.i]
}

// MinSize is the matrix's width and one row.
func (r *achRowView) MinSize() fyne.Size {
	n := 0
	if r.v.matrix != nil {
		n = len(r.v.matrix.Hypotheses)
	}
	return fyne.NewSize(achWidth(n), achRowH)
}

// cellAt is the hypothesis under x, or -1 on the title, -2 on the
// weight, -3 elsewhere.
func (r *achRowView) cellAt(x float32) int {
	if r.v.matrix == nil {
		return -3
	}
	n := len(r.v.matrix.Hypotheses)
	tw := achTitleWidth(r.Size().Width, n)
	switch {
	case x < tw:
		return -1
	case x < tw+achWeightW:
		return -2
	}
	i := int((x - tw - achWeightW) / achCellW)
	if i >= n {
		return -3
	}
	return i
}

// Tapped shows the card (on its title), changes the weight (on it) or
// puts the focus on a cell.
func (r *achRowView) Tapped(ev *fyne.PointEvent) {
	l := r.line()
	if l == nil {
		return
	}
	switch c := r.cellAt(ev.Position.X); {
	case c == -1:
		r.v.showCard(l.card.ID)
	case c == -2:
		r.v.rowMenu(l.card.ID, ev.AbsolutePosition)
	case c >= 0:
		r.v.focusCell(l.card.ID, c)
	}
}

// TappedSecondary opens the row's menu.
func (r *achRowView) TappedSecondary(ev *fyne.PointEvent) {
	if l := r.line(); l != nil {
		r.v.rowMenu(l.card.ID, ev.AbsolutePosition)
	}
}

// CreateRenderer builds the row's objects once; Refresh rebinds them.
func (r *achRowView) CreateRenderer() fyne.WidgetRenderer {
	rr := &achRowRenderer{r: r}
	rr.bg = canvas.NewRectangle(color.Transparent)
	rr.title = canvas.NewText("", color.Black)
	rr.title.TextSize = achText
	rr.tlpBg = canvas.NewRectangle(tlpBlack)
	rr.tlpBg.CornerRadius = 3
	rr.tlp = canvas.NewText("", tlpClear)
	rr.tlp.TextSize = achSmall - 1
	rr.tlp.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	rr.weight = canvas.NewText("", color.Black)
	rr.weight.TextSize = achSmall
	rr.weight.Alignment = fyne.TextAlignCenter
	rr.sens = canvas.NewText("", color.Black)
	rr.sens.TextSize = achText
	rr.sens.TextStyle = fyne.TextStyle{Bold: true}
	rr.sens.Alignment = fyne.TextAlignCenter
	rr.focus = canvas.NewRectangle(color.Transparent)
	rr.focus.CornerRadius = 3
	rr.line = canvas.NewRectangle(color.Transparent)
	rr.Refresh()
	return rr
}

type achRowRenderer struct {
	r       *achRowView
	bg      *canvas.Rectangle
	title   *canvas.Text
	tlpBg   *canvas.Rectangle
	tlp     *canvas.Text
	weight  *canvas.Text
	cellBg  []*canvas.Rectangle
	cells   []*canvas.Text
	sens    *canvas.Text
	focus   *canvas.Rectangle
	line    *canvas.Rectangle
	objects []fyne.CanvasObject
	// titleText is the card's title before fitting.
	titleText string
}

func (rr *achRowRenderer) Destroy()                     {}
func (rr *achRowRenderer) Objects() []fyne.CanvasObject { return rr.objects }
func (rr *achRowRenderer) MinSize() fyne.Size           { return rr.r.MinSize() }

// Refresh rebinds texts and colours and lays them out.
func (rr *achRowRenderer) Refresh() {
	rr.refreshContent()
	rr.Layout(rr.r.Size())
	canvas.Refresh(rr.r)
}

func (rr *achRowRenderer) refreshContent() {
	v := rr.r.v
	l := rr.r.line()
	rr.objects = append(rr.objects[:0], rr.bg, rr.line)
	if l == nil || v.matrix == nil {
		rr.bg.FillColor = color.Transparent
		return
	}
	fg := theme.Color(theme.ColorNameForeground)
	muted := themeColor(colorNameMuted)
	text := fg
	rr.bg.FillColor = color.Transparent
	if !l.score.Diagnostic {
		// Non-diagnostic rows are greyed: they cannot tell the
		// hypotheses apart.
		rr.bg.FillColor = withAlpha(muted, 0x24)
		text = muted
	}
	rr.line.FillColor = themeColor(colorNameCardBorder)
	rr.titleText = workspace.Printable(l.card.Title)
	rr.title.Color = text
	rr.tlp.Text = l.marking.TLP.String() + badgeMark(l.marking)
	rr.tlp.Color = tlpColor(l.marking.TLP)
	rr.weight.Text = string(l.row.Weight.Or())
	rr.weight.Color = text
	n := len(v.matrix.Hypotheses)
	for len(rr.cells) < n {
		bg := canvas.NewRectangle(color.Transparent)
		bg.CornerRadius = 3
		t := canvas.NewText("", fg)
		t.TextSize = achText
		t.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
		t.Alignment = fyne.TextAlignCenter
		rr.cellBg = append(rr.cellBg, bg)
		rr.cells = append(rr.cells, t)
	}
	for i, h := range v.matrix.Hypotheses {
		rating := l.row.Cells[h.ID]
		rr.cellBg[i].FillColor = ratingTint(rating)
		rr.cells[i].Text = string(rating)
		rr.cells[i].Color = text
		if rating == "" {
			rr.cells[i].Text = "·"
			rr.cells[i].Color = muted
		} else if rating == workspace.RatingNA {
			rr.cells[i].Color = muted
		}
		rr.objects = append(rr.objects, rr.cellBg[i], rr.cells[i])
	}
	rr.sens.Text = ""
	if l.score.ChangesTop {
		rr.sens.Text = achSens
	}
	rr.sens.Color = fg
	rr.focus.FillColor = color.Transparent
	rr.focus.StrokeColor, rr.focus.StrokeWidth = color.Transparent, 0
	if v.focusCard == l.card.ID && v.focusHyp >= 0 && v.focusHyp < n {
		rr.focus.StrokeColor = withAlpha(theme.Color(theme.ColorNamePrimary), 0x80)
		rr.focus.StrokeWidth = 1.5
		if v.grid.focused {
			rr.focus.StrokeColor = theme.Color(theme.ColorNamePrimary)
			rr.focus.StrokeWidth = 2.5
		}
	}
	rr.objects = append(rr.objects, rr.title, rr.tlpBg, rr.tlp, rr.weight, rr.sens, rr.focus)
}

// Layout places the title and badge, the weight, the cells and the mark.
func (rr *achRowRenderer) Layout(size fyne.Size) {
	rr.bg.Move(fyne.NewPos(0, 0))
	rr.bg.Resize(fyne.NewSize(size.Width, size.Height))
	rr.line.Move(fyne.NewPos(0, size.Height-1))
	rr.line.Resize(fyne.NewSize(size.Width, 1))
	v := rr.r.v
	if rr.r.line() == nil || v.matrix == nil {
		return
	}
	h := size.Height
	small := lineHeight(achSmall, fyne.TextStyle{Bold: true})
	tw := achTitleWidth(size.Width, len(v.matrix.Hypotheses))
	ts := fyne.MeasureText(rr.tlp.Text, rr.tlp.TextSize, rr.tlp.TextStyle)
	badgeW := ts.Width + 8
	bx := tw - 6 - badgeW
	rr.tlpBg.Move(fyne.NewPos(bx, (h-small)/2))
	rr.tlpBg.Resize(fyne.NewSize(badgeW, small))
	rr.tlp.Move(fyne.NewPos(bx+4, (h-ts.Height)/2))
	rr.tlp.Resize(ts)
	th := lineHeight(achText, fyne.TextStyle{})
	rr.title.Text = fitLine(rr.titleText, achText, fyne.TextStyle{}, bx-14)
	rr.title.Move(fyne.NewPos(8, (h-th)/2))
	rr.title.Resize(fyne.NewSize(bx-14, th))
	rr.weight.Move(fyne.NewPos(tw, (h-small)/2))
	rr.weight.Resize(fyne.NewSize(achWeightW, small))
	x := tw + achWeightW
	for i := range v.matrix.Hypotheses {
		rr.cellBg[i].Move(fyne.NewPos(x+3, 3))
		rr.cellBg[i].Resize(fyne.NewSize(achCellW-6, h-7))
		rr.cells[i].Move(fyne.NewPos(x, (h-th)/2))
		rr.cells[i].Resize(fyne.NewSize(achCellW, th))
		if i == v.focusHyp {
			rr.focus.Move(fyne.NewPos(x+2, 2))
			rr.focus.Resize(fyne.NewSize(achCellW-4, h-5))
		}
		x += achCellW
	}
	rr.sens.Move(fyne.NewPos(x, (h-th)/2))
	rr.sens.Resize(fyne.NewSize(achSensW, th))
}

// showACH shows a matrix in the centre of the window.
func (mw *MainWindow) showACH(id string) {
	mw.view = viewACH
	mw.achID = id
	mw.centre.Objects = []fyne.CanvasObject{mw.ach.root}
	mw.centre.Refresh()
	mw.redraw()
	if mw.ach.focusCard != "" {
		mw.win.Canvas().Focus(mw.ach.grid)
	}
}

// achRefresh draws again what a run of entries changed while a matrix is
// shown: the matrix when its records or its evidence cards changed, the
// sidebar's counts, the detail pane when it shows a touched card.
func (mw *MainWindow) achRefresh(old *workspace.Snapshot, t touched) {
	mw.sidebar.countsChanged(old, t)
	mw.sidebar.refreshCounts()
	if t.ach {
		mw.sidebar.matrices.update()
	}
	redraw := t.ach
	for _, r := range mw.snap.Evidence[mw.achID] {
		if t.cards[r.Card] {
			redraw = true
			break
		}
	}
	if !redraw && old != nil {
		for _, r := range old.Evidence[mw.achID] {
			if t.cards[r.Card] {
				redraw = true
				break
			}
		}
	}
	if redraw {
		mw.ach.update()
	}
	if mw.detailTouched(old, t) {
		mw.detail.bind(mw.snap.Cards[mw.selected])
	}
	mw.menu.updateLabels()
	mw.updateStatus()
}

// evidenceItem is the card menu's entry that makes the card evidence in a
// matrix: a submenu of the matrices, those it is evidence in checked.
func (mw *MainWindow) evidenceItem(card string) *fyne.MenuItem {
	item := fyne.NewMenuItem("Use as evidence in", nil)
	if mw.snap == nil || len(mw.snap.Matrices) == 0 {
		item.Disabled = true
		return item
	}
	in := map[string]bool{}
	for _, m := range mw.snap.EvidenceIn(card) {
		in[m.ID] = true
	}
	var items []*fyne.MenuItem
	for _, m := range mw.snap.Matrices {
		id := m.ID
		it := fyne.NewMenuItem(workspace.ShortTitle(workspace.Printable(m.Question), 60), func() { mw.useAsEvidence(id, card) })
		it.Checked, it.Disabled = in[id], in[id]
		items = append(items, it)
	}
	item.ChildMenu = fyne.NewMenu("", items...)
	return item
}

// useAsEvidence makes a card evidence in a matrix, as one action, and
// shows the matrix.
func (mw *MainWindow) useAsEvidence(matrix, card string) {
	if mw.act(func() error {
		_, err := mw.store.SetACHEvidence(matrix, card, "")
		return err
	}) {
		mw.ach.focusCard, mw.ach.focusHyp = card, 0
	}
}

// achNav lists the matrices in the sidebar, like boards: a row opens the
// matrix, and takes cards dropped on it as evidence.
type achNav struct {
	sb   *sidebar
	root *fyne.Container
	head fyne.CanvasObject
	rows []*navRow
	ids  []string
}

func newACHNav(sb *sidebar) *achNav {
	add := widget.NewButtonWithIcon("", theme.ContentAddIcon(), sb.mw.newMatrixDialog)
	add.Importance = widget.LowImportance
	head := container.NewBorder(nil, nil, nil, add, achHeading("COMPETING HYPOTHESES"))
	return &achNav{sb: sb, root: container.NewVBox(head), head: head}
}

// update lists the snapshot's matrices, each with its evidence count.
func (n *achNav) update() {
	mw := n.sb.mw
	if mw.snap == nil {
		return
	}
	ms := mw.snap.Matrices
	for len(n.rows) < len(ms) {
		n.rows = append(n.rows, newNavRow(n.sb, theme.QuestionIcon()))
	}
	objs := append(make([]fyne.CanvasObject, 0, len(ms)+1), n.head)
	n.ids = n.ids[:0]
	for i, m := range ms {
		r := n.rows[i]
		id := m.ID
		r.setText(workspace.Printable(m.Question), fmt.Sprint(len(mw.snap.Evidence[id])))
		r.setSelected(mw.view == viewACH && mw.achID == id)
		r.onTap = func() { mw.showACH(id) }
		r.onSecondary = func(at fyne.Position) { mw.matrixMenu(id, at) }
		n.ids = append(n.ids, id)
		objs = append(objs, r)
	}
	if len(objs) != len(n.root.Objects) {
		n.root.Objects = objs
		n.root.Refresh()
		n.sb.scroll.Refresh()
	}
}

// dropAt finds the matrix row under an absolute position, for a card
// dragged onto the sidebar.
func (n *achNav) dropAt(abs fyne.Position) (string, bool) {
	for i, id := range n.ids {
		if r := n.rows[i]; r.Visible() && inside(r, abs) {
			return id, true
		}
	}
	return "", false
}

// evidenceCard reads the card id from an evidence row's record key
// (achrow/<matrix>/<card>).
func evidenceCard(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "achrow/")
	if !ok {
		return "", false
	}
	_, card, ok := strings.Cut(rest, "/")
	return card, ok && card != ""
}
