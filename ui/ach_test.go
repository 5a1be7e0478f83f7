package ui

import (
	"fmt"
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
	for _, o := range mw.ach.ranking.Objects[1:] {
		for _, l := range labelsIn(o) {
			if l.Alignment == fyne.TextAlignTrailing {
				got = append(got, l.Text)
			}
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ranking shows %v, the workspace scores %v", got, want)
	}
}

// labelsIn lists the labels under an object.
func labelsIn(o fyne.CanvasObject) []*widget.Label {
	var out []*widget.Label
	switch x := o.(type) {
	case *widget.Label:
		out = append(out, x)
	case *fyne.Container:
		for _, c := range x.Objects {
			out = append(out, labelsIn(c)...)
		}
	}
	return out
}

// tappableWithText finds the deepest tappable object under o that draws
// text, in the test driver's renderers.
func tappableWithText(o fyne.CanvasObject, text string) fyne.CanvasObject {
	var found fyne.CanvasObject
	var walk func(o fyne.CanvasObject, tap fyne.CanvasObject)
	walk = func(o fyne.CanvasObject, tap fyne.CanvasObject) {
		if _, ok := o.(fyne.Tappable); ok {
			tap = o
		}
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text == text && tap != nil {
				found = tap
			}
		case *widget.Label:
			if x.Text == text && tap != nil {
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
	mw, _, _ := achOpen(t)
	test.AssertObjectRendersToMarkup(t, "ach_demo.xml", mw.ach.root)
}
