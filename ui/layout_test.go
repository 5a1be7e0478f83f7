package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// rightEdge is where an object ends, in window coordinates.
func rightEdge(o fyne.CanvasObject) float32 {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).X + o.Size().Width
}

func TestWindow_DetailPaneCollapsesWithoutASelection(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	if mw.panes.detailOn || mw.detail.root.Visible() {
		t.Fatal("the detail pane takes room with no card selected")
	}
	if got, want := rightEdge(mw.panes.centre), rightEdge(mw.panes.root); got < want-0.5 {
		t.Fatalf("the board ends at %v of %v with the pane collapsed", got, want)
	}
	// At 1280 wide the five lanes of a board show side by side.
	if content, view := mw.board.lanesC.Size().Width, mw.board.scroll.Size().Width; content > view {
		t.Errorf("the lanes need %v, the board has %v: it scrolls sideways", content, view)
	}

	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	if !mw.panes.detailOn || !mw.detail.root.Visible() {
		t.Fatal("selecting a card does not show the detail pane")
	}
	if w := mw.detail.root.Size().Width; w < minDetailWidth {
		t.Errorf("the detail pane is %v wide, narrower than its tabs need", w)
	}
	typeKey(mw, fyne.KeyEscape)
	if mw.panes.detailOn {
		t.Fatal("the pane stays open after the selection is cleared")
	}

	// Hidden from the View menu's key, it stays hidden with a selection,
	// and the next window remembers.
	mw.selectCard(c.ID)
	press(mw, key(fyne.KeyD, ctrl))
	if mw.panes.detailOn || !mw.detailHidden {
		t.Fatal("Ctrl+D did not hide the detail pane")
	}
	if it := menuItem(t, mw, "Detail pane"); it.Checked {
		t.Error("the View menu still ticks the hidden pane")
	}
	if !settingsOf(mw.app).Bool(prefDetailHidden) {
		t.Error("hiding the pane is not remembered")
	}
	mw2 := NewMainWindow(mw.app, nil)
	t.Cleanup(mw2.win.Close)
	if !mw2.detailHidden {
		t.Error("a new window shows the pane the analyst hid")
	}
	// Editing the title from the keyboard brings the pane back.
	typeKey(mw, fyne.KeyReturn)
	if !mw.panes.detailOn || mw.win.Canvas().Focused() != mw.detail.title {
		t.Fatal("Enter on a card with the pane hidden does not open its title")
	}
}

func TestWindow_LanesNarrowAndWiden(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	width := func() float32 { return mw.board.lanes[0].root.Size().Width }
	mw.win.Resize(fyne.NewSize(900, 600))
	before := width()
	press(mw, key(fyne.KeyMinus, ctrl))
	if mw.laneWidth != 180 || width() >= before {
		t.Fatalf("Ctrl+- left lanes %v wide (width %v, was %v)", width(), mw.laneWidth, before)
	}
	if it := menuItem(t, mw, "Narrower lanes"); !it.Disabled {
		t.Error("Narrower lanes is offered at the narrowest")
	}
	for i := 0; i < 3; i++ {
		press(mw, key(fyne.KeyEqual, ctrl))
	}
	if mw.laneWidth != 280 || width() < 280 {
		t.Fatalf("three widenings give lanes %v wide (setting %v)", width(), mw.laneWidth)
	}
	if got := settingsOf(mw.app).FloatWithFallback(prefLaneWidth, 0); got != 280 {
		t.Errorf("the lane width is remembered as %v", got)
	}
}

func TestWindow_OverviewFitsFourBoardsAt1440(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	mw.win.Resize(fyne.NewSize(1440, 900))
	mw.showOverview()
	if len(mw.overview.cols) != 4 {
		t.Fatalf("%d columns", len(mw.overview.cols))
	}
	edge := rightEdge(mw.overview.scroll)
	for i, col := range mw.overview.cols {
		if got := rightEdge(col.root); got > edge+0.5 {
			t.Errorf("column %d ends at %v, past the overview's edge at %v", i+1, got, edge)
		}
	}
	// Also with a card open in the detail pane.
	mw.selectCard(mw.overview.cols[0].cards[0].ID)
	edge = rightEdge(mw.overview.scroll)
	if got := rightEdge(mw.overview.cols[3].root); got > edge+0.5 {
		t.Errorf("with the pane open the fourth column ends at %v, past %v", got, edge)
	}
	pinStatus(mw)
	test.AssertRendersToMarkup(t, "window_overview_1440.xml", mw.win.Canvas())
}

func TestWindow_BoardWithPaneCollapsed_Markup(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	mw.win.Resize(fyne.NewSize(1280, 800))
	pinStatus(mw)
	test.AssertRendersToMarkup(t, "window_board_1280.xml", mw.win.Canvas())
}

func TestWindow_SmallWindowKeepsSidebarAndTabsUsable(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	mw.win.Resize(fyne.NewSize(900, 600))
	snap := snapOf(t, s)
	// Every board and every party has its row in the sidebar, whole: the
	// lists are as high as their rows, and the sidebar scrolls when the
	// window is too low for them.
	whole := func(list fyne.CanvasObject, rows int, what string) {
		t.Helper()
		if h, need := list.Size().Height, mw.sidebar.listHeight(rows); h < need-0.5 {
			t.Errorf("the %s list is %v high for %d rows that need %v", what, h, rows, need)
		}
	}
	whole(mw.sidebar.boards, len(snap.Boards), "boards")
	whole(mw.sidebar.parties, len(snap.Meta.Parties), "parties")
	sc := mw.sidebar.scroll
	if end := mw.sidebar.lists.Position().Y + mw.sidebar.parties.Position().Y + mw.sidebar.parties.Size().Height; sc.Content.Size().Height < end-0.5 {
		t.Errorf("the sidebar scrolls over %v, less than the %v its lists reach", sc.Content.Size().Height, end)
	}
	sc.ScrollToBottom()
	if bottom := sc.Offset.Y + sc.Size().Height; bottom < sc.Content.Size().Height-0.5 {
		t.Errorf("scrolled down, the sidebar shows to %v of %v", bottom, sc.Content.Size().Height)
	}

	// The detail pane's five tabs all show, none behind an overflow menu.
	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	test.AssertObjectRendersToMarkup(t, "detail_tabs_900.xml", mw.detail.tabs)
	if w := mw.panes.centre.Size().Width; w < minCentreWidth {
		t.Errorf("the board is left %v wide", w)
	}
}

func TestBoard_SidewaysScrollKeptPerBoardAndNeverCutsALane(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	mw.win.Resize(fyne.NewSize(900, 600))
	snap := snapOf(t, s)
	first, other := snap.Boards[0].ID, snap.Boards[1].ID
	lanes := mw.board.lanesC.Objects
	// The second lane's start: the window is too narrow to scroll further.
	second := lanes[1].Position().X
	mw.board.scroll.ScrollToOffset(fyne.NewPos(second, 0))
	mw.showBoard(other)
	if off := mw.board.scroll.Offset.X; off != 0 {
		t.Errorf("another board opens scrolled to %v", off)
	}
	mw.showBoard(first)
	if off := mw.board.scroll.Offset.X; off != second {
		t.Errorf("the board comes back scrolled to %v, want %v where it was left", off, second)
	}
	// An offset that cuts a lane's header (after a drag, say) goes back
	// to that lane's start with the next redraw.
	mw.board.scroll.ScrollToOffset(fyne.NewPos(second+37, 0))
	mw.redraw()
	if off := mw.board.scroll.Offset.X; off != second {
		t.Errorf("the board stays scrolled to %v, cutting a lane; want %v", off, second)
	}
	// Revealing a card in the last lane leaves no lane cut at the left.
	c := snap.LaneCards[snap.Lanes[first][3].ID][0]
	mw.board.scroll.ScrollToOffset(fyne.NewPos(0, 0))
	mw.selectCard(c.ID)
	off := mw.board.scroll.Offset.X
	cut := true
	for _, l := range mw.board.lanesC.Objects {
		if l.Position().X == off {
			cut = false
		}
	}
	if cut {
		t.Errorf("revealing a card scrolled to %v, which cuts a lane", off)
	}
	if lv, _ := mw.board.laneOf(c.ID); lv == nil || lv.root.Position().X+lv.root.Size().Width > off+mw.board.scroll.Size().Width+0.5 {
		t.Error("the revealed card's lane is not shown whole")
	}
}

func TestWindow_FindClosedWithEscapeLeavesNoBand(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(mw.board.root).Y
	press(mw, key(fyne.KeyF, ctrl|shift))
	test.Type(mw.find.entry, "guarantee")
	if y := d.AbsolutePositionForObject(mw.board.root).Y; y <= top {
		t.Fatalf("the find bar with its filters did not push the board down (%v, was %v)", y, top)
	}
	mw.find.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.find.active() {
		t.Fatal("Escape left the find bar open")
	}
	if y := d.AbsolutePositionForObject(mw.board.root).Y; y != top {
		t.Fatalf("after Find closed the board starts at %v, not %v: a band is left", y, top)
	}
	// Also on the next board.
	mw.showBoard(snapOf(t, s).Boards[1].ID)
	if y := d.AbsolutePositionForObject(mw.board.root).Y; y != top {
		t.Fatalf("the next board starts at %v, not %v", y, top)
	}
	mw.showBoard(snapOf(t, s).Boards[0].ID)
	test.AssertObjectRendersToMarkup(t, "board_after_find.xml", mw.panes.centre)
}

func TestWindow_FieldErrorThatClearsLeavesNoBand(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := openCard(t, mw, s, "Witkoff: peace must be")
	d := mw.detail
	tagsAt := d.tags.Position().Y
	absTags := func() float32 { return fyne.CurrentApp().Driver().AbsolutePositionForObject(d.tags).Y }
	before := absTags()
	d.title.SetText("   ")
	d.title.Flush()
	if !d.title.errText.Visible() {
		t.Fatal("an empty title shows no error")
	}
	if absTags() <= before {
		t.Fatal("the error line took no room: the positive control failed")
	}
	d.title.SetText(c.Title + ", again")
	d.title.Flush()
	if d.title.errText.Visible() {
		t.Fatal("the error stays after a good title")
	}
	if got := absTags(); got != before || d.tags.Position().Y != tagsAt {
		t.Fatalf("after the error cleared the tags sit at %v, not %v: a band is left", got, before)
	}
	test.AssertObjectRendersToMarkup(t, "detail_after_error.xml", d.root)
}

func TestFind_HighlightsTheMatchedWordsInTheCards(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	press(mw, key(fyne.KeyF, ctrl))
	test.Type(mw.find.entry, "Ceasefire")
	v := viewOf(t, mw, c.ID)
	r := test.WidgetRenderer(v).(*cardRenderer)
	var shown []*canvas.Rectangle
	for _, m := range r.marks {
		if m.Visible() {
			shown = append(shown, m)
		}
	}
	// The title's second line "than a ceasefire" and the tag #ceasefire.
	if len(shown) != 2 {
		t.Fatalf("%d words marked, want the title's and the tag's ceasefire", len(shown))
	}
	line := r.title[1]
	at := strings.Index(line.Text, "ceasefire")
	if at < 0 {
		t.Fatalf("the second title line %q lacks the word", line.Text)
	}
	want := line.Position().X + fyne.MeasureText(line.Text[:at], line.TextSize, line.TextStyle).Width - 1
	if m := shown[0]; m.Position().Y != line.Position().Y || m.Position().X != want {
		t.Errorf("the mark sits at %v, want (%v, %v) behind the word", m.Position(), want, line.Position().Y)
	}
	// A card the query does not match in its title shows no mark there;
	// closing Find takes every mark away.
	mw.find.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	r = test.WidgetRenderer(viewOf(t, mw, c.ID)).(*cardRenderer)
	for _, o := range r.Objects() {
		if m, ok := o.(*canvas.Rectangle); ok && m.Visible() && m.FillColor == markColor() {
			t.Fatal("a mark stays after Find closed")
		}
	}
}

func TestDetail_LongTitleWraps(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	long := strings.Repeat("Guarantees must come before any concession on territory, ", 5)
	setTitle(t, s, c.ID, strings.TrimSpace(long))
	short := mw.detail.tags.MinSize().Height
	mw.selectCard(c.ID)
	d := mw.detail
	if d.title.Text != strings.TrimSpace(long) {
		t.Fatalf("the title shows %q", d.title.Text)
	}
	if d.title.Wrapping != fyne.TextWrapWord || d.title.rows < 3 || d.title.Size().Height < 2*short {
		t.Fatalf("a %d-character title takes %d rows, %v high (a one-line field is %v)", len(long), d.title.rows, d.title.Size().Height, short)
	}
	// A short title is one row again.
	setTitle(t, s, c.ID, "Short")
	if d.title.rows != 1 {
		t.Fatalf("a short title keeps %d rows", d.title.rows)
	}
}
