package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// achOpen opens the window on the demo and shows its matrix.
func achOpen(t *testing.T) (*MainWindow, *workspace.Store, *workspace.ACHMatrix) {
	t.Helper()
	s := winStore(t)
	mw := winOpen(t, s)
	snap := snapOf(t, s)
	if len(snap.Matrices) != 1 {
		t.Fatalf("the demo has %d matrices, want 1", len(snap.Matrices))
	}
	m := snap.Matrices[0]
	mw.showACH(m.ID)
	return mw, s, m
}

// achKey sends a key to the widget holding the keyboard, as the desktop
// driver does; the matrix must hold it.
func achKey(t *testing.T, mw *MainWindow, k fyne.KeyName) {
	t.Helper()
	f := mw.win.Canvas().Focused()
	if f != mw.ach.grid {
		t.Fatalf("the keyboard is on %T, not the matrix", f)
	}
	f.TypedKey(&fyne.KeyEvent{Name: k})
}

// achType types runes into the widget holding the keyboard, the matrix.
func achType(t *testing.T, mw *MainWindow, s string) {
	t.Helper()
	f := mw.win.Canvas().Focused()
	if f != mw.ach.grid {
		t.Fatalf("the keyboard is on %T, not the matrix", f)
	}
	for _, r := range s {
		f.TypedRune(r)
	}
}

// cellOf reads a stored rating.
func cellOf(t *testing.T, s *workspace.Store, m *workspace.ACHMatrix, card string, h int) workspace.ACHRating {
	t.Helper()
	for _, r := range snapOf(t, s).Evidence[m.ID] {
		if r.Card == card {
			return r.Cells[m.Hypotheses[h].ID]
		}
	}
	t.Fatalf("card %s is not evidence in the matrix", card)
	return ""
}

func TestACH_RateByKeyboard(t *testing.T) {
	mw, s, m := achOpen(t)
	v := mw.ach
	if len(v.lines) < 3 {
		t.Fatalf("the matrix shows %d rows", len(v.lines))
	}
	first, second := v.lines[0].card.ID, v.lines[1].card.ID
	if v.focusCard != first || v.focusHyp != 0 {
		t.Fatalf("focus starts on %s/%d, want the first row's first cell", v.focusCard, v.focusHyp)
	}
	before := journalLen(t, s)
	reads := mw.wholeReads

	// Right to H2, rate it II with the digit 5.
	achKey(t, mw, fyne.KeyRight)
	achType(t, mw, "5")
	// Down to the second row: c rates C, then Shift+C (C) rates CC.
	achKey(t, mw, fyne.KeyDown)
	achType(t, mw, "c")
	if got := cellOf(t, s, m, second, 1); got != workspace.RatingC {
		t.Fatalf("c stored %q, want C", got)
	}
	achType(t, mw, "C")
	// Left to H1: a rates NA, then Delete clears it.
	achKey(t, mw, fyne.KeyLeft)
	achType(t, mw, "a")
	if got := cellOf(t, s, m, second, 0); got != workspace.RatingNA {
		t.Fatalf("a stored %q, want NA", got)
	}
	achKey(t, mw, fyne.KeyDelete)
	// Right twice to H3, I and Shift+I; x is no rating.
	achKey(t, mw, fyne.KeyRight)
	achKey(t, mw, fyne.KeyRight)
	achType(t, mw, "Ix")

	want := map[[2]any]workspace.ACHRating{
		{first, 1}: workspace.RatingII, {second, 1}: workspace.RatingCC, {second, 0}: "", {second, 2}: workspace.RatingII,
	}
	for k, r := range want {
		if got := cellOf(t, s, m, k[0].(string), k[1].(int)); got != r {
			t.Errorf("card %s, H%d: stored %q, want %q", k[0], k[1].(int)+1, got, r)
		}
	}
	// Six ratings, six actions, each named as the CLI's.
	if n := journalLen(t, s) - before; n != 6 {
		t.Errorf("%d actions for 6 ratings", n)
	}
	if a := lastAction(t, s); a != "Rate ACH evidence" {
		t.Errorf("last action %q", a)
	}
	// The view followed the journal entry by entry, and shows the
	// workspace's scores of what was stored.
	if mw.wholeReads != reads {
		t.Errorf("the window read the workspace whole %d times", mw.wholeReads-reads)
	}
	assertScoresShown(t, mw, s, m)
	if got := v.lines[v.lineOf(second)].row.Cells[m.Hypotheses[1].ID]; got != workspace.RatingCC {
		t.Errorf("the view shows %q for the second row's H2, want CC", got)
	}

	// The digits, in the order of the workspace's ratings.
	achKey(t, mw, fyne.KeyUp)
	for i, r := range workspace.ACHRatings {
		achType(t, mw, string(rune('1'+i)))
		if got := cellOf(t, s, m, first, 2); got != r {
			t.Errorf("%d stored %q, want %q", i+1, got, r)
		}
	}
	// The arrows stop at the edges.
	for range 10 {
		achKey(t, mw, fyne.KeyUp)
		achKey(t, mw, fyne.KeyLeft)
	}
	if v.focusCard != first || v.focusHyp != 0 {
		t.Errorf("focus went past the top-left cell: %s/%d", v.focusCard, v.focusHyp)
	}
	for range 40 {
		achKey(t, mw, fyne.KeyDown)
		achKey(t, mw, fyne.KeyRight)
	}
	if v.focusCard != v.lines[len(v.lines)-1].card.ID || v.focusHyp != len(m.Hypotheses)-1 {
		t.Errorf("focus went past the bottom-right cell: %s/%d", v.focusCard, v.focusHyp)
	}

	// w changes the weight of the row in focus, one action.
	last := v.focusCard
	w0 := v.lines[v.lineOf(last)].row.Weight.Or()
	achType(t, mw, "w")
	for _, r := range snapOf(t, s).Evidence[m.ID] {
		if r.Card == last && r.Weight != nextWeight(w0) {
			t.Errorf("w made the weight %q from %q", r.Weight, w0)
		}
	}

	// With the keyboard elsewhere (nothing focused), the window's keys
	// still move the matrix's focus, and Delete clears a cell rather
	// than deleting the card.
	mw.win.Canvas().Unfocus()
	typeKey(mw, fyne.KeyUp)
	if i := v.lineOf(v.focusCard); i != len(v.lines)-2 {
		t.Errorf("Up with nothing focused left the focus on row %d", i)
	}
	n := len(snapOf(t, s).Cards)
	typeKey(mw, fyne.KeyDelete)
	if len(snapOf(t, s).Cards) != n {
		t.Error("Delete in the matrix deleted a card")
	}
}

// assertScoresShown checks the ranking and the heads against the
// workspace's scoring of the stored matrix.
func assertScoresShown(t *testing.T, mw *MainWindow, s *workspace.Store, m *workspace.ACHMatrix) {
	t.Helper()
	snap := snapOf(t, s)
	sc := snap.ScoreACH(snap.Matrix(m.ID))
	var want []string
	for _, i := range sc.Ranking {
		h := sc.Hypotheses[i]
		want = append(want, workspace.ScoreText(h.Inconsistency))
	}
	var got []string
	for _, t := range mw.ach.rankScores {
		got = append(got, t.Text)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ranking shows %v, the workspace scores %v", got, want)
	}
}

// tappableWithText finds the first object under o that draws text and
// takes taps, the deepest such, in the test driver's renderers.
func tappableWithText(o fyne.CanvasObject, text string) fyne.CanvasObject {
	var found fyne.CanvasObject
	var walk func(o fyne.CanvasObject, tap fyne.CanvasObject)
	walk = func(o fyne.CanvasObject, tap fyne.CanvasObject) {
		if _, ok := o.(fyne.Tappable); ok {
			tap = o
		}
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text == text && tap != nil && found == nil {
				found = tap
			}
		case *widget.Label:
			if x.Text == text && tap != nil && found == nil {
				found = tap
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c, tap)
			}
			return
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c, tap)
			}
		}
	}
	walk(o, nil)
	return found
}

// menuEntry finds an entry of the menus on show by its text.
func menuEntry(t *testing.T, mw *MainWindow, text string) fyne.CanvasObject {
	t.Helper()
	for _, o := range mw.win.Canvas().Overlays().List() {
		if e := tappableWithText(o, text); e != nil {
			return e
		}
	}
	t.Fatalf("no menu entry %q on show", text)
	return nil
}

func TestACH_EvidenceFromCardMenu(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	snap := snapOf(t, s)
	m := snap.Matrices[0]
	// A card of the board shown that is not evidence yet, and one that is.
	var card, evidence string
	for _, c := range snap.BoardCards(mw.boardID) {
		if len(snap.EvidenceIn(c.ID)) == 0 && card == "" {
			card = c.ID
		}
		if len(snap.EvidenceIn(c.ID)) > 0 && evidence == "" {
			evidence = c.ID
		}
	}
	if card == "" || evidence == "" {
		t.Fatal("the first board needs a card that is evidence and one that is not")
	}
	// Cards that are evidence show the mark; the others do not.
	if viewOf(t, mw, evidence).facts.Evidence != 1 || viewOf(t, mw, card).facts.Evidence != 0 {
		t.Fatal("the evidence mark is not on the cards it should be")
	}
	rows := len(snap.Evidence[m.ID])

	cv := viewOf(t, mw, card)
	cv.TappedSecondary(&fyne.PointEvent{AbsolutePosition: fyne.CurrentApp().Driver().AbsolutePositionForObject(cv).AddXY(20, 20)})
	entry := menuEntry(t, mw, "Use as evidence in")
	entry.(desktop.Hoverable).MouseIn(&desktop.MouseEvent{})
	test.Tap(menuEntry(t, mw, workspace.ShortTitle(m.Question, 60)).(fyne.Tappable))

	snap = snapOf(t, s)
	if got := len(snap.Evidence[m.ID]); got != rows+1 {
		t.Fatalf("the matrix has %d rows after the menu, want %d", got, rows+1)
	}
	if in := snap.EvidenceIn(card); len(in) != 1 || in[0].ID != m.ID {
		t.Fatalf("the card is evidence in %v", in)
	}
	if a := lastAction(t, s); a != "Add ACH evidence" {
		t.Errorf("last action %q", a)
	}
	if viewOf(t, mw, card).facts.Evidence != 1 {
		t.Error("the card shows no evidence mark after it became evidence")
	}
	if n := mw.sidebar.matrices.rows[0].count.Text; n != fmt.Sprint(rows+1) {
		t.Errorf("the sidebar counts %s pieces of evidence", n)
	}
	// The card's menu now shows the matrix checked and off.
	cv.TappedSecondary(&fyne.PointEvent{})
	menuEntry(t, mw, "Use as evidence in").(desktop.Hoverable).MouseIn(&desktop.MouseEvent{})
	before := journalLen(t, s)
	test.Tap(menuEntry(t, mw, workspace.ShortTitle(m.Question, 60)).(fyne.Tappable))
	if journalLen(t, s) != before {
		t.Error("using a card twice as evidence made an action")
	}
}

func TestACH_Markup(t *testing.T) {
	mw, s, _ := achOpen(t)
	// A RED card among the evidence, and the focus on row 2, H3.
	red := mw.ach.lines[3].card
	if err := s.SetMarking(workspace.KeyOf(red), workspace.TLPRed); err != nil {
		t.Fatal(err)
	}
	achKey(t, mw, fyne.KeyDown)
	achKey(t, mw, fyne.KeyRight)
	achKey(t, mw, fyne.KeyRight)
	test.AssertObjectRendersToMarkup(t, "ach_demo.xml", mw.ach.root)
}

// achRowOf finds the row view showing a card's evidence in the list's
// viewport.
func achRowOf(t *testing.T, mw *MainWindow, card string) *achRowView {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	lp, ls := d.AbsolutePositionForObject(mw.ach.list), mw.ach.list.Size()
	for _, r := range mw.ach.rowViews {
		l := r.line()
		if l == nil || l.card.ID != card {
			continue
		}
		p := d.AbsolutePositionForObject(r)
		if p.Y >= lp.Y && p.Y < lp.Y+ls.Height && p.X >= lp.X {
			return r
		}
	}
	t.Fatalf("no row shows card %s", card)
	return nil
}

// badgeOf is the marking a row's badge shows.
func badgeOf(r *achRowView) string {
	return test.WidgetRenderer(r).(*achRowRenderer).tlp.Text
}

func TestACH_RedCardRowShowsItsMarking(t *testing.T) {
	mw, s, m := achOpen(t)
	card := mw.ach.lines[1].card.ID
	if got := badgeOf(achRowOf(t, mw, card)); got != "TLP:GREEN↑" {
		t.Fatalf("before: the row's badge says %q, want the matrix's GREEN", got)
	}
	before := snapOf(t, s).ScoreACH(m)
	if err := s.SetMarking(workspace.KeyOf(snapOf(t, s).Cards[card]), workspace.TLPRed); err != nil {
		t.Fatal(err)
	}
	// The window shows everything, the RED card's row too, marked as the
	// card is, and scores it.
	r := achRowOf(t, mw, card)
	if got := badgeOf(r); got != "TLP:RED↑" {
		t.Errorf("after: the row's badge says %q, want TLP:RED↑", got)
	}
	if got := r.line().marking.TLP; got != workspace.TLPRed {
		t.Errorf("the row's marking is %s", got)
	}
	// A row that stays below keeps its badge.
	other := mw.ach.lines[0].card.ID
	if got := badgeOf(achRowOf(t, mw, other)); got != "TLP:GREEN↑" {
		t.Errorf("another row's badge says %q", got)
	}
	for i, h := range mw.ach.scores.Hypotheses {
		if h.Inconsistency != before.Hypotheses[i].Inconsistency {
			t.Errorf("H%d scores %v in the window, %v before the marking", i+1, h.Inconsistency, before.Hypotheses[i].Inconsistency)
		}
	}
}

func TestACH_TitleShowsCard(t *testing.T) {
	mw, _, _ := achOpen(t)
	card := mw.ach.lines[2].card.ID
	achRowOf(t, mw, card).Tapped(&fyne.PointEvent{Position: fyne.NewPos(20, 10)})
	if mw.selected != card || mw.detail.card == nil || mw.detail.card.ID != card {
		t.Fatalf("a click on the row's title selected %q", mw.selected)
	}
	if mw.view != viewACH {
		t.Errorf("the window left the matrix for %s", mw.view)
	}
	// A click on a cell puts the focus there and leaves the selection.
	r := achRowOf(t, mw, mw.ach.lines[3].card.ID)
	x := achTitleWidth(r.Size().Width, 4) + achWeightW + 2*achCellW + 10
	r.Tapped(&fyne.PointEvent{Position: fyne.NewPos(x, 10)})
	if mw.ach.focusCard != mw.ach.lines[3].card.ID || mw.ach.focusHyp != 2 {
		t.Errorf("a click on H3 of row 4 put the focus on %s/%d", mw.ach.focusCard, mw.ach.focusHyp)
	}
	if mw.selected != card {
		t.Errorf("a click on a cell changed the selection to %q", mw.selected)
	}
	if mw.win.Canvas().Focused() != mw.ach.grid {
		t.Fatal("the matrix does not hold the keyboard after a click on a cell")
	}
	// Enter shows the card of the row in focus.
	achKey(t, mw, fyne.KeyReturn)
	if want := mw.ach.lines[3].card.ID; mw.selected != want {
		t.Errorf("Enter selected %q, want the focused row's card", mw.selected)
	}
}

func TestACH_SortByDiagnosticity(t *testing.T) {
	mw, s, m := achOpen(t)
	asAdded := func() []string {
		var out []string
		for _, r := range snapOf(t, s).Evidence[m.ID] {
			out = append(out, r.Card)
		}
		return out
	}
	shown := func() []string {
		var out []string
		for _, l := range mw.ach.lines {
			out = append(out, l.card.ID)
		}
		return out
	}
	if strings.Join(shown(), " ") != strings.Join(asAdded(), " ") {
		t.Fatal("rows are not in the order the cards became evidence")
	}
	mw.ach.sortDiag.SetChecked(true)
	lines := mw.ach.lines
	for i := 1; i < len(lines); i++ {
		if lines[i].score.Spread > lines[i-1].score.Spread {
			t.Errorf("row %d spreads %v, more than the row above (%v)", i+1, lines[i].score.Spread, lines[i-1].score.Spread)
		}
	}
	if last := lines[len(lines)-1]; last.score.Diagnostic {
		t.Errorf("the last row sorted is diagnostic; the demo's non-diagnostic row should be")
	}
	if strings.Join(shown(), " ") == strings.Join(asAdded(), " ") {
		t.Error("sorting by diagnosticity left the demo's rows as they were")
	}
	// Non-diagnostic rows are greyed, the others not.
	for _, l := range lines {
		bg := test.WidgetRenderer(achRowOf(t, mw, l.card.ID)).(*achRowRenderer).bg.FillColor
		if grey := bg != color.Transparent; grey == l.score.Diagnostic {
			t.Errorf("row %q: diagnostic %v, greyed %v", l.card.Title, l.score.Diagnostic, grey)
		}
	}
	mw.ach.sortDiag.SetChecked(false)
	if strings.Join(shown(), " ") != strings.Join(asAdded(), " ") {
		t.Error("rows did not go back to their order")
	}
}

func TestACH_HelpStatesTheFormula(t *testing.T) {
	mw, _, _ := achOpen(t)
	if mw.ach.help.Visible() {
		t.Fatal("the help shows before it is asked for")
	}
	test.Tap(mw.ach.helpBtn)
	if !mw.ach.help.Visible() {
		t.Fatal("the ? button did not show the help")
	}
	for _, want := range []string{workspace.ACHFormula, achKeysHelp} {
		if !strings.Contains(mw.ach.help.Text, want) {
			t.Errorf("the help does not state %q", want)
		}
	}
	test.Tap(mw.ach.helpBtn)
	if mw.ach.help.Visible() {
		t.Error("the ? button did not hide the help")
	}
}

func TestACH_DropCardOnMatrix(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	snap := snapOf(t, s)
	m := snap.Matrices[0]
	var card string
	for _, c := range snap.BoardCards(mw.boardID) {
		if len(snap.EvidenceIn(c.ID)) == 0 {
			card = c.ID
			break
		}
	}
	board := snap.Cards[card].Board
	row := mw.sidebar.matrices.rows[0]
	to := fyne.CurrentApp().Driver().AbsolutePositionForObject(row).AddXY(row.Size().Width/2, row.Size().Height/2)
	dragTo(viewOf(t, mw, card), to)
	snap = snapOf(t, s)
	if in := snap.EvidenceIn(card); len(in) != 1 || in[0].ID != m.ID {
		t.Fatalf("after the drop the card is evidence in %d matrices", len(in))
	}
	if c := snap.Cards[card]; c.Board != board {
		t.Error("the drop on a matrix moved the card")
	}
	if viewOf(t, mw, card).facts.Evidence != 1 {
		t.Error("the dropped card shows no evidence mark")
	}
}

func TestACH_FollowsTheWorkspace(t *testing.T) {
	mw, s, m := achOpen(t)
	reads := mw.wholeReads
	card := mw.ach.lines[0].card.ID
	// A rating made outside the window, as `ach rate` makes it.
	if err := s.RateACH(m.ID, card, m.Hypotheses[3].ID, workspace.RatingII); err != nil {
		t.Fatal(err)
	}
	if got := mw.ach.lines[0].row.Cells[m.Hypotheses[3].ID]; got != workspace.RatingII {
		t.Errorf("the view shows %q after the rating", got)
	}
	assertScoresShown(t, mw, s, m)
	// A card's new title reaches its row.
	if _, err := s.UpdateCard(card, "Edit card", func(c *workspace.Card) error { c.Title = "Renamed evidence"; return nil }); err != nil {
		t.Fatal(err)
	}
	if got := mw.ach.lines[0].card.Title; got != "Renamed evidence" {
		t.Errorf("the row shows the title %q", got)
	}
	// The matrix deleted, then brought back.
	if err := s.DeleteACHMatrix(m.ID); err != nil {
		t.Fatal(err)
	}
	if !mw.ach.gone.Visible() || len(mw.sidebar.matrices.ids) != 0 {
		t.Error("the view does not say the matrix was deleted, or the sidebar still lists it")
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if mw.ach.gone.Visible() || len(mw.ach.lines) == 0 || len(mw.sidebar.matrices.ids) != 1 {
		t.Error("undo did not bring the matrix back into the view and the sidebar")
	}
	if mw.wholeReads != reads {
		t.Errorf("the window read the workspace whole %d times", mw.wholeReads-reads)
	}
}

func TestACH_RowMenuWeightAndRemove(t *testing.T) {
	mw, s, m := achOpen(t)
	card := mw.ach.lines[0].card.ID
	if w := mw.ach.lines[0].row.Weight; w != workspace.WeightHigh {
		t.Fatalf("the demo's first row weighs %q, want high", w)
	}
	achRowOf(t, mw, card).TappedSecondary(&fyne.PointEvent{})
	menuEntry(t, mw, "Weight").(desktop.Hoverable).MouseIn(&desktop.MouseEvent{})
	test.Tap(menuEntry(t, mw, "Low").(fyne.Tappable))
	for _, r := range snapOf(t, s).Evidence[m.ID] {
		if r.Card == card && r.Weight != workspace.WeightLow {
			t.Errorf("the weight is %q after Low", r.Weight)
		}
	}
	if got := badgeWeight(achRowOf(t, mw, card)); got != "low" {
		t.Errorf("the row shows the weight %q", got)
	}
	n := len(mw.ach.lines)
	achRowOf(t, mw, card).TappedSecondary(&fyne.PointEvent{})
	test.Tap(menuEntry(t, mw, "Remove from this matrix").(fyne.Tappable))
	if len(mw.ach.lines) != n-1 || mw.ach.lineOf(card) >= 0 {
		t.Error("the row is still shown after Remove")
	}
	if in := snapOf(t, s).EvidenceIn(card); len(in) != 0 {
		t.Error("the card is still evidence after Remove")
	}
	if a := lastAction(t, s); a != "Remove ACH evidence" {
		t.Errorf("last action %q", a)
	}
}

// badgeWeight is the weight a row shows.
func badgeWeight(r *achRowView) string {
	return test.WidgetRenderer(r).(*achRowRenderer).weight.Text
}

func TestACH_NewMatrixConclusionAndIndicator(t *testing.T) {
	mw, s, m := achOpen(t)
	// A new matrix from the sidebar's +: one hypothesis is refused, two
	// make it.
	mw.newMatrixDialog()
	f := mw.ach.lastForm
	f.question.SetText("Will the ceasefire hold through the winter?")
	f.hypotheses.SetText("It holds\n\n")
	before := journalLen(t, s)
	f.form.trySave()
	if journalLen(t, s) != before || len(snapOf(t, s).Matrices) != 1 {
		t.Fatal("a matrix of one hypothesis was stored")
	}
	f.hypotheses.SetText("It holds\n  It breaks down by spring  \n")
	f.form.trySave()
	snap := snapOf(t, s)
	if len(snap.Matrices) != 2 {
		t.Fatalf("%d matrices after the dialog", len(snap.Matrices))
	}
	nm := snap.Matrices[1]
	if nm.Question != "Will the ceasefire hold through the winter?" || len(nm.Hypotheses) != 2 || nm.Hypotheses[1].Title != "It breaks down by spring" {
		t.Errorf("stored %q with %v", nm.Question, nm.Hypotheses)
	}
	if mw.view != viewACH || mw.achID != nm.ID || len(mw.sidebar.matrices.ids) != 2 {
		t.Error("the window does not show the new matrix, or the sidebar does not list it")
	}
	if len(mw.ach.lines) != 0 || len(mw.ach.rankScores) != 2 {
		t.Errorf("the new matrix shows %d rows and %d scores", len(mw.ach.lines), len(mw.ach.rankScores))
	}

	// The demo's conclusion, edited.
	mw.showACH(m.ID)
	test.Tap(mw.ach.conclEdit)
	f = mw.ach.lastForm
	if f.conclusion.Text != m.Conclusion {
		t.Fatalf("the dialog starts from %q", f.conclusion.Text)
	}
	f.conclusion.SetText("Moscow bargains from the Alaska baseline.")
	f.form.trySave()
	if got := snapOf(t, s).Matrix(m.ID).Conclusion; got != "Moscow bargains from the Alaska baseline." {
		t.Errorf("stored conclusion %q", got)
	}
	if mw.ach.concl.Text != "Moscow bargains from the Alaska baseline." {
		t.Errorf("the view shows the conclusion %q", mw.ach.concl.Text)
	}

	// The first indicator of H1 is not seen; mark it seen.
	h1 := m.Hypotheses[0].ID
	if st := m.Indicators[h1][0].Status; st != "" && st != workspace.IndicatorNotSeen {
		t.Fatalf("the demo's first indicator is %q", st)
	}
	test.Tap(tappableWithText(mw.ach.inds, "Not seen").(fyne.Tappable))
	test.Tap(menuEntry(t, mw, "Seen").(fyne.Tappable))
	got := snapOf(t, s).Matrix(m.ID).Indicators[h1]
	if got[0].Status != workspace.IndicatorSeen || got[0].Text != m.Indicators[h1][0].Text {
		t.Errorf("the first indicator is %+v", got[0])
	}
	if len(got) != len(m.Indicators[h1]) || got[1] != m.Indicators[h1][1] {
		t.Error("setting one indicator's status changed another")
	}
	if a := lastAction(t, s); a != "Set indicator status" {
		t.Errorf("last action %q", a)
	}
}

func TestACH_DeleteMatrixFromSidebar(t *testing.T) {
	mw, s, m := achOpen(t)
	cards := len(snapOf(t, s).Cards)
	mw.sidebar.matrices.rows[0].TappedSecondary(&fyne.PointEvent{})
	test.Tap(menuEntry(t, mw, "Delete matrix…").(fyne.Tappable))
	test.Tap(menuEntry(t, mw, "Yes").(fyne.Tappable))
	snap := snapOf(t, s)
	if snap.Matrix(m.ID) != nil || len(snap.Cards) != cards {
		t.Fatalf("after Delete: matrix %v, %d cards of %d", snap.Matrix(m.ID) != nil, len(snap.Cards), cards)
	}
	if !mw.ach.gone.Visible() || len(mw.sidebar.matrices.ids) != 0 {
		t.Error("the window still shows the deleted matrix")
	}
	if a := lastAction(t, s); a != "Delete ACH matrix" {
		t.Errorf("last action %q", a)
	}
}

// TestACH_EditMatrixDialog: the matrix dialog renames, moves, adds and
// removes hypotheses as one action; the moved hypothesis's ratings follow
// it in the view; a dialog that would leave one hypothesis is refused and
// changes nothing.
func TestACH_EditMatrixDialog(t *testing.T) {
	mw, s, m := achOpen(t)
	if len(m.Hypotheses) < 3 {
		t.Fatalf("the demo's matrix weighs %d hypotheses", len(m.Hypotheses))
	}
	// A rated card of the demo, and its rating against the last hypothesis.
	last := m.Hypotheses[len(m.Hypotheses)-1]
	var card string
	var rating workspace.ACHRating
	for _, r := range snapOf(t, s).Evidence[m.ID] {
		if v := r.Cells[last.ID]; v != "" {
			card, rating = r.Card, v
			break
		}
	}
	if card == "" {
		t.Fatal("no card of the demo is rated against its last hypothesis")
	}
	test.Tap(mw.ach.editBtn)
	f := mw.ach.lastForm
	if f == nil || f.hyps == nil || f.question.Text != m.Question || len(f.hyps.rows) != len(m.Hypotheses) {
		t.Fatal("the dialog does not start from the matrix")
	}
	before := journalLen(t, s)
	// The last hypothesis, renamed, goes to the top; the second goes; a
	// new one is added.
	f.hyps.rows[len(f.hyps.rows)-1].entry.SetText("Moscow stalls until spring")
	for i := len(f.hyps.rows) - 1; i > 0; i-- {
		f.hyps.move(i, i-1)
	}
	f.hyps.remove(2) // the demo's second hypothesis, now third
	f.hyps.add()
	f.hyps.rows[len(f.hyps.rows)-1].entry.SetText("Moscow answers through Ankara")
	f.question.SetText("How will Moscow answer the revised framework, and when?")
	f.form.trySave()
	if n := journalLen(t, s) - before; n != 1 {
		t.Fatalf("the dialog made %d actions", n)
	}
	got := snapOf(t, s).Matrix(m.ID)
	if got.Question != "How will Moscow answer the revised framework, and when?" {
		t.Errorf("question %q", got.Question)
	}
	wantIDs := []string{last.ID, m.Hypotheses[0].ID}
	for _, h := range m.Hypotheses[2 : len(m.Hypotheses)-1] {
		wantIDs = append(wantIDs, h.ID)
	}
	if len(got.Hypotheses) != len(wantIDs)+1 {
		t.Fatalf("hypotheses %+v", got.Hypotheses)
	}
	for i, id := range wantIDs {
		if got.Hypotheses[i].ID != id {
			t.Fatalf("hypothesis %d is %s, want %s", i+1, got.Hypotheses[i].ID, id)
		}
	}
	if got.Hypotheses[0].Title != "Moscow stalls until spring" || got.Hypotheses[len(wantIDs)].Title != "Moscow answers through Ankara" {
		t.Errorf("titles %+v", got.Hypotheses)
	}
	if _, ok := got.Indicators[m.Hypotheses[1].ID]; ok {
		t.Error("the removed hypothesis's indicators stay")
	}
	// The moved hypothesis kept its ratings: the card's is under H1 now.
	if cellOf(t, s, got, card, 0) != rating {
		t.Fatalf("the moved hypothesis's rating is %q, want %q", cellOf(t, s, got, card, 0), rating)
	}
	if mw.ach.matrix.Hypotheses[0].ID != last.ID || len(mw.ach.rankScores) != len(got.Hypotheses) {
		t.Error("the view does not show the revised matrix")
	}
	if a := lastAction(t, s); a != "Edit ACH matrix" {
		t.Errorf("last action %q", a)
	}
	// The new hypothesis is rated by no row: the ranking says so beside it,
	// and of no other.
	rows := len(snapOf(t, s).Evidence[m.ID])
	want := fmt.Sprintf("Moscow answers through Ankara (%d of %d rows not rated)", rows, rows)
	var notes []string
	for _, o := range mw.ach.ranking.Objects {
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				if tx, ok := x.(*canvas.Text); ok && strings.Contains(tx.Text, "not rated") {
					notes = append(notes, tx.Text)
				}
			}
		}
	}
	if len(notes) != 1 || notes[0] != want {
		t.Errorf("the ranking notes %q, want only %q", notes, want)
	}

	// Down to one hypothesis: refused with the reason under the field, the
	// dialog open, nothing stored.
	test.Tap(mw.ach.editBtn)
	f = mw.ach.lastForm
	f.hyps.rows = f.hyps.rows[:1]
	f.hyps.rebuild()
	before = journalLen(t, s)
	f.form.trySave()
	if journalLen(t, s) != before {
		t.Fatal("a matrix of one hypothesis was stored")
	}
	if l := f.form.errs["hypotheses"]; l == nil || !l.Visible() || !strings.Contains(l.Text, "at least two") {
		t.Errorf("the dialog does not say why: %+v", l)
	}
	f.form.d.Hide()

	// Undo brings the matrix back whole.
	mw.undo()
	back := snapOf(t, s).Matrix(m.ID)
	if len(back.Hypotheses) != len(m.Hypotheses) || back.Hypotheses[1].ID != m.Hypotheses[1].ID || back.Question != m.Question {
		t.Fatalf("undo: %+v", back.Hypotheses)
	}
}

// TestACH_IndicatorDialog: an indicator is added with its hypothesis and
// status, edited (moved to another hypothesis, its card kept) and removed
// from its menu, each one action.
func TestACH_IndicatorDialog(t *testing.T) {
	mw, s, m := achOpen(t)
	h1, h2 := m.Hypotheses[0].ID, m.Hypotheses[1].ID
	n1, n2 := len(m.Indicators[h1]), len(m.Indicators[h2])
	test.Tap(mw.ach.addInd)
	f := mw.ach.lastForm
	f.indHyp.SetSelectedIndex(1)
	f.indText.SetText("  ")
	before := journalLen(t, s)
	f.form.trySave()
	if journalLen(t, s) != before {
		t.Fatal("an empty indicator was stored")
	}
	f.indText.SetText("Moscow names a date for the next round")
	f.indStatus.SetSelected(workspace.IndicatorSeen.Label())
	// The card it rests on, found with the card search.
	if f.indCard.Text != "No card" {
		t.Fatalf("a new indicator starts with the card %q", f.indCard.Text)
	}
	choose := buttonsIn(mw.win.Canvas().Overlays().Top(), "Card…")
	if len(choose) != 1 {
		t.Fatalf("%d Card… buttons in the dialog", len(choose))
	}
	test.Tap(choose[0])
	participants := cardByTitle(t, s, "Who met in Florida")
	test.Type(mw.lastPicker.search, "who met in florida")
	mw.lastPicker.search.OnSubmitted(mw.lastPicker.search.Text)
	if f.indCard.Text != participants.Title {
		t.Fatalf("after picking, the dialog names the card %q", f.indCard.Text)
	}
	f.form.trySave()
	list := snapOf(t, s).Matrix(m.ID).Indicators[h2]
	if len(list) != n2+1 || list[n2].Text != "Moscow names a date for the next round" || list[n2].Status != workspace.IndicatorSeen ||
		list[n2].Card != participants.ID {
		t.Fatalf("indicators of H2: %+v", list)
	}
	if a := lastAction(t, s); a != "Add indicator" {
		t.Errorf("last action %q", a)
	}
	if !labelShown(mw.ach.inds, "H2 · Moscow names a date for the next round") {
		t.Error("the view does not list the new indicator")
	}

	// Edit it from its menu: to H1, contradicted.
	in := list[n2]
	mw.ach.statusMenu(h2, n2, in, fyne.NewPos(10, 10))
	test.Tap(menuEntry(t, mw, "Edit indicator…").(fyne.Tappable))
	f = mw.ach.lastForm
	if f.indText.Text != in.Text || f.indHyp.SelectedIndex() != 1 || f.indStatus.Selected != workspace.IndicatorSeen.Label() {
		t.Fatalf("the dialog starts from %q, H%d, %q", f.indText.Text, f.indHyp.SelectedIndex()+1, f.indStatus.Selected)
	}
	f.indHyp.SetSelectedIndex(0)
	f.indStatus.SetSelected(workspace.IndicatorContradicted.Label())
	before = journalLen(t, s)
	f.form.trySave()
	got := snapOf(t, s).Matrix(m.ID)
	if journalLen(t, s)-before != 1 || len(got.Indicators[h2]) != n2 || len(got.Indicators[h1]) != n1+1 {
		t.Fatalf("after moving it: H1 %d, H2 %d indicators", len(got.Indicators[h1]), len(got.Indicators[h2]))
	}
	if moved := got.Indicators[h1][n1]; moved.Text != in.Text || moved.Status != workspace.IndicatorContradicted || moved.Card != participants.ID {
		t.Fatalf("moved indicator %+v", moved)
	}
	// Its card cleared.
	mw.ach.statusMenu(h1, n1, got.Indicators[h1][n1], fyne.NewPos(10, 10))
	test.Tap(menuEntry(t, mw, "Edit indicator…").(fyne.Tappable))
	f = mw.ach.lastForm
	if f.indCard.Text != participants.Title {
		t.Fatalf("the dialog starts from the card %q", f.indCard.Text)
	}
	test.Tap(f.indClear)
	if f.indCard.Text != "No card" {
		t.Fatalf("after clearing, the dialog names the card %q", f.indCard.Text)
	}
	f.form.trySave()
	got = snapOf(t, s).Matrix(m.ID)
	if c := got.Indicators[h1][n1].Card; c != "" {
		t.Fatalf("the cleared card is still %q", c)
	}

	// Remove it from its menu.
	mw.ach.statusMenu(h1, n1, got.Indicators[h1][n1], fyne.NewPos(10, 10))
	test.Tap(menuEntry(t, mw, "Remove indicator").(fyne.Tappable))
	if got := snapOf(t, s).Matrix(m.ID).Indicators[h1]; len(got) != n1 {
		t.Fatalf("after removing it: %d indicators of H1", len(got))
	}
	if a := lastAction(t, s); a != "Remove indicator" {
		t.Errorf("last action %q", a)
	}
}

// labelShown tells whether a label with the text is under o.
func labelShown(o fyne.CanvasObject, text string) bool {
	switch x := o.(type) {
	case *widget.Label:
		return x.Text == text
	case *fyne.Container:
		for _, c := range x.Objects {
			if labelShown(c, text) {
				return true
			}
		}
	}
	return false
}
