package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// wireCard connects a card view to the window: tap selects, the secondary
// button opens the card's menu, dragging moves it.
func (mw *MainWindow) wireCard(cv *CardView) {
	cv.OnTapped = mw.selectCard
	cv.OnSecondary = func(id string, at fyne.Position) {
		mw.selectCard(id)
		mw.cardMenu(id, at)
	}
	cv.OnDragged = mw.dragCard
	cv.OnDragEnd = mw.dropCard
}

// dragState follows a card being dragged: a ghost of it under the pointer,
// the lane it would land in, and where.
type dragState struct {
	id     string
	ghost  *fyne.Container
	line   *canvas.Rectangle
	pos    fyne.Position
	target dropTarget
	lane   *laneView
}

// dropTarget is where a dropped card goes; ok is false over no target.
type dropTarget struct {
	ok     bool
	move   workspace.Move
	lane   *laneView
	lineAt fyne.Position
	lineW  float32
	// matrix is set for a drop on a matrix in the sidebar: the card
	// becomes evidence there.
	matrix string
}

// dragCard moves the ghost with the pointer and shows where the card
// would land. Fyne has no drop targets: the window hit-tests lanes and
// sidebar rows itself.
func (mw *MainWindow) dragCard(id string, ev *fyne.DragEvent) {
	c := mw.snap.Cards[id]
	if c == nil {
		return
	}
	if mw.drag == nil || mw.drag.id != id {
		mw.endDrag()
		mw.drag = mw.startDrag(c)
	}
	d := mw.drag
	d.pos = ev.AbsolutePosition
	origin := fyne.CurrentApp().Driver().AbsolutePositionForObject(mw.layer)
	d.ghost.Move(d.pos.Subtract(origin).SubtractXY(24, 14))
	mw.autoScroll(d.pos)
	d.target = mw.dropTargetAt(d.pos, id)
	if d.lane != d.target.lane {
		if d.lane != nil {
			d.lane.setDropHighlight(false)
		}
		if d.target.lane != nil {
			d.target.lane.setDropHighlight(true)
		}
		d.lane = d.target.lane
	}
	if d.target.ok && d.target.lineW > 0 {
		d.line.Move(d.target.lineAt.Subtract(origin))
		d.line.Resize(fyne.NewSize(d.target.lineW, 3))
		d.line.Show()
	} else {
		d.line.Hide()
	}
	mw.layer.Refresh()
}

func (mw *MainWindow) startDrag(c *workspace.Card) *dragState {
	bg := canvas.NewRectangle(withAlpha(themeColor(colorNameCard), 0xff))
	bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	bg.StrokeWidth = 2
	bg.CornerRadius = 6
	title := canvas.NewText(fitLine(workspace.Printable(c.Title), theme.TextSize(), fyne.TextStyle{Bold: true}, 200), theme.Color(theme.ColorNameForeground))
	title.TextStyle = fyne.TextStyle{Bold: true}
	ghost := container.NewStack(bg, container.NewPadded(title))
	ghost.Resize(fyne.NewSize(220, 40))
	line := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	line.CornerRadius = 1.5
	line.Hide()
	mw.layer.Objects = []fyne.CanvasObject{line, ghost}
	mw.layer.Refresh()
	mw.setLifted(c.ID)
	return &dragState{id: c.ID, ghost: ghost, line: line}
}

// autoScroll scrolls the board sideways, and a lane up or down, while a
// dragged card is held near their edges, so any lane and place can be
// reached.
func (mw *MainWindow) autoScroll(abs fyne.Position) {
	const edge, step = float32(48), float32(24)
	d := fyne.CurrentApp().Driver()
	var sc *container.Scroll
	switch mw.view {
	case viewBoard:
		sc = mw.board.scroll
	case viewOverview:
		sc = mw.overview.scroll
	default:
		return
	}
	p, s := d.AbsolutePositionForObject(sc), sc.Size()
	if abs.Y >= p.Y && abs.Y < p.Y+s.Height {
		off := sc.Offset
		switch {
		case abs.X >= p.X && abs.X < p.X+edge:
			off.X = max(0, off.X-step)
		case abs.X < p.X+s.Width && abs.X > p.X+s.Width-edge:
			off.X = min(sc.Content.Size().Width-s.Width, off.X+step)
		}
		if off != sc.Offset {
			sc.ScrollToOffset(off)
		}
	}
	var lists []*widget.List
	for _, lv := range mw.board.lanes {
		lists = append(lists, lv.list)
	}
	if mw.view == viewOverview {
		lists = lists[:0]
		for _, col := range mw.overview.cols {
			lists = append(lists, col.list)
		}
	}
	for _, l := range lists {
		lp, ls := d.AbsolutePositionForObject(l), l.Size()
		if abs.X < lp.X || abs.X >= lp.X+ls.Width || abs.Y < lp.Y-edge || abs.Y >= lp.Y+ls.Height+edge {
			continue
		}
		switch {
		case abs.Y < lp.Y+edge:
			l.ScrollToOffset(max(0, l.GetScrollOffset()-step))
		case abs.Y > lp.Y+ls.Height-edge:
			l.ScrollToOffset(l.GetScrollOffset() + step)
		}
	}
}

// endDrag removes the ghost and the lane highlight.
func (mw *MainWindow) endDrag() {
	if mw.drag == nil {
		return
	}
	if mw.drag.lane != nil {
		mw.drag.lane.setDropHighlight(false)
	}
	mw.drag = nil
	mw.layer.Objects = nil
	mw.layer.Refresh()
	mw.setLifted("")
}

// setLifted shows the card being dragged as an outline in its place.
func (mw *MainWindow) setLifted(id string) {
	var views []*CardView
	for _, lv := range mw.board.lanes {
		views = append(views, lv.views...)
	}
	for _, col := range mw.overview.cols {
		views = append(views, col.views...)
	}
	for _, v := range views {
		if on := id != "" && v.CardID() == id; on != v.lifted {
			v.lifted = on
			v.Refresh()
		}
	}
}

// dropCard moves the dragged card to where it was dropped.
func (mw *MainWindow) dropCard(id string) {
	d := mw.drag
	mw.endDrag()
	if d == nil || d.id != id || !d.target.ok {
		return
	}
	if d.target.matrix != "" {
		mw.useAsEvidence(d.target.matrix, id)
		return
	}
	mw.moveCard(id, d.target.move)
}

// moveCard moves a card unless the move would leave it where it is.
func (mw *MainWindow) moveCard(id string, to workspace.Move) {
	if mw.isNoMove(id, to) {
		return
	}
	if mw.act(func() error { return mw.store.MoveCard(id, to) }) {
		mw.selected = id
		mw.redraw()
		mw.revealSelected()
		mw.revealPending = true
	}
}

// isNoMove reports whether a move leaves the card in its place.
func (mw *MainWindow) isNoMove(id string, to workspace.Move) bool {
	c := mw.snap.Cards[id]
	if c == nil {
		return true
	}
	if to.Board != "" && to.Board != c.Board {
		return false
	}
	if to.Lane != "" && to.Lane != c.Lane {
		return false
	}
	cards := mw.snap.LaneCards[c.Lane]
	i := indexOfCard(cards, id)
	switch {
	case to.Before == id || to.After == id:
		return true
	case to.Before != "":
		return i+1 < len(cards) && cards[i+1].ID == to.Before
	case to.After != "":
		return i > 0 && cards[i-1].ID == to.After
	}
	return i == len(cards)-1
}

func indexOfCard(cards []*workspace.Card, id string) int {
	for i, c := range cards {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// dropTargetAt hit-tests the lanes, the overview's columns and the
// sidebar's boards under an absolute position.
func (mw *MainWindow) dropTargetAt(abs fyne.Position, dragged string) dropTarget {
	if mw.view == viewBoard && inside(mw.board.scroll, abs) {
		for _, lv := range mw.board.lanes {
			if inside(lv.root, abs) {
				return laneDrop(lv, abs, dragged)
			}
		}
	}
	if mw.view == viewOverview {
		if t, ok := mw.overview.dropAt(abs, dragged); ok {
			return t
		}
	}
	if board, ok := mw.sidebar.dropAt(abs); ok {
		return dropTarget{ok: true, move: mw.moveToBoard(dragged, board)}
	}
	if m, ok := mw.sidebar.matrices.dropAt(abs); ok {
		return dropTarget{ok: true, matrix: m}
	}
	return dropTarget{}
}

// laneDrop finds the place in a lane under the pointer: before the first
// card whose middle is below it, or at the end.
func laneDrop(lv *laneView, abs fyne.Position, dragged string) dropTarget {
	d := fyne.CurrentApp().Driver()
	t := dropTarget{ok: true, lane: lv, move: workspace.Move{Board: lv.lane.Board, Lane: lv.lane.ID}}
	listPos := d.AbsolutePositionForObject(lv.list)
	t.lineAt = listPos.AddXY(0, -2)
	t.lineW = lv.list.Size().Width
	views := lv.visibleViews()
	var last *CardView
	for _, v := range views {
		if v.card.ID == dragged {
			continue
		}
		p := d.AbsolutePositionForObject(v)
		if abs.Y < p.Y+v.Size().Height/2 {
			t.move.Before = v.card.ID
			t.lineAt = fyne.NewPos(p.X, p.Y-theme.Padding()/2-1.5)
			t.lineW = v.Size().Width
			return t
		}
		last = v
	}
	if last != nil {
		p := d.AbsolutePositionForObject(last)
		t.move.After = last.card.ID
		t.lineAt = fyne.NewPos(p.X, p.Y+last.Size().Height+theme.Padding()/2-1.5)
		t.lineW = last.Size().Width
	}
	return t
}

// moveToBoard is the move of a card to another board: into the lane of
// the same name when there is one, else the first lane, at the end.
func (mw *MainWindow) moveToBoard(id, board string) workspace.Move {
	m := workspace.Move{Board: board}
	c := mw.snap.Cards[id]
	if c == nil {
		return m
	}
	name := mw.snap.LaneName(c)
	for _, l := range mw.snap.Lanes[board] {
		if strings.EqualFold(l.Name, name) {
			m.Lane = l.ID
		}
	}
	return m
}

// moveSelectedWithin moves the selected card up (-1) or down (+1) in its
// lane.
func (mw *MainWindow) moveSelectedWithin(delta int) {
	c := mw.snap.Cards[mw.selected]
	if c == nil {
		return
	}
	cards := mw.snap.LaneCards[c.Lane]
	i := indexOfCard(cards, c.ID)
	j := i + delta
	if i < 0 || j < 0 || j >= len(cards) {
		return
	}
	m := workspace.Move{Board: c.Board, Lane: c.Lane}
	if delta < 0 {
		m.Before = cards[j].ID
	} else {
		m.After = cards[j].ID
	}
	mw.moveCard(c.ID, m)
}

// moveSelectedLane moves the selected card to the lane on the left (-1)
// or right (+1), at the same height where it can.
func (mw *MainWindow) moveSelectedLane(delta int) {
	c := mw.snap.Cards[mw.selected]
	if c == nil {
		return
	}
	lanes := mw.snap.Lanes[c.Board]
	li := -1
	for i, l := range lanes {
		if l.ID == c.Lane {
			li = i
		}
	}
	lj := li + delta
	if li < 0 || lj < 0 || lj >= len(lanes) {
		return
	}
	target := lanes[lj]
	m := workspace.Move{Board: c.Board, Lane: target.ID}
	i := indexOfCard(mw.snap.LaneCards[c.Lane], c.ID)
	if others := mw.snap.LaneCards[target.ID]; i < len(others) {
		m.Before = others[i].ID
	}
	mw.moveCard(c.ID, m)
}

// moveSelectedBoard moves the selected card to the previous (-1) or next
// (+1) board, and follows it there.
func (mw *MainWindow) moveSelectedBoard(delta int) {
	c := mw.snap.Cards[mw.selected]
	if c == nil {
		return
	}
	bi := -1
	for i, b := range mw.snap.Boards {
		if b.ID == c.Board {
			bi = i
		}
	}
	bj := bi + delta
	if bj < 0 || bj >= len(mw.snap.Boards) {
		return
	}
	mw.moveCardToBoard(c.ID, mw.snap.Boards[bj].ID)
}

// moveCardToBoard moves a card to another board and shows that board.
func (mw *MainWindow) moveCardToBoard(id, board string) {
	m := mw.moveToBoard(id, board)
	if mw.act(func() error { return mw.store.MoveCard(id, m) }) {
		mw.selected = id
		if mw.view == viewBoard {
			mw.showBoard(board)
		}
		mw.revealSelected()
	}
}

// deleteSelected deletes the selected card; Undo brings it back.
func (mw *MainWindow) deleteSelected() {
	id := mw.selected
	if id == "" {
		return
	}
	next := mw.neighbourOf(id)
	if mw.act(func() error { return mw.store.DeleteCard(id) }) {
		mw.selectCard(next)
	}
}

// neighbourOf is the card to select once a card goes: the next in its
// lane, else the previous.
func (mw *MainWindow) neighbourOf(id string) string {
	c := mw.snap.Cards[id]
	if c == nil {
		return ""
	}
	cards := mw.snap.LaneCards[c.Lane]
	i := indexOfCard(cards, id)
	switch {
	case i >= 0 && i+1 < len(cards):
		return cards[i+1].ID
	case i > 0:
		return cards[i-1].ID
	}
	return ""
}

// navigate moves the selection with the arrow keys: up and down in a
// lane, left and right across lanes (or boards in the overview).
func (mw *MainWindow) navigate(dx, dy int) {
	cols := mw.visibleColumns()
	if len(cols) == 0 {
		return
	}
	ci, ri := -1, -1
	for i, col := range cols {
		if j := indexOfCard(col, mw.selected); j >= 0 {
			ci, ri = i, j
		}
	}
	if ci < 0 {
		mw.selectFirstVisible()
		return
	}
	if dy != 0 {
		ri += dy
		if ri >= 0 && ri < len(cols[ci]) {
			mw.selectCard(cols[ci][ri].ID)
		}
		return
	}
	for cj := ci + dx; cj >= 0 && cj < len(cols); cj += dx {
		if len(cols[cj]) > 0 {
			mw.selectCard(cols[cj][min(ri, len(cols[cj])-1)].ID)
			return
		}
	}
}

// visibleColumns lists the cards shown, column by column.
func (mw *MainWindow) visibleColumns() [][]*workspace.Card {
	var cols [][]*workspace.Card
	if mw.view == viewOverview {
		for _, col := range mw.overview.cols {
			cols = append(cols, col.cards)
		}
		return cols
	}
	for _, lv := range mw.board.lanes {
		cols = append(cols, lv.cards)
	}
	return cols
}

// selectFirstVisible selects the first card shown.
func (mw *MainWindow) selectFirstVisible() {
	for _, col := range mw.visibleColumns() {
		if len(col) > 0 {
			mw.selectCard(col[0].ID)
			return
		}
	}
}

// cardMenu is the menu of a card (secondary click, or Shift+F10).
func (mw *MainWindow) cardMenu(id string, at fyne.Position) {
	c := mw.snap.Cards[id]
	if c == nil {
		return
	}
	m := fyne.NewMenu("",
		fyne.NewMenuItem("Edit title", mw.focusTitle),
		fyne.NewMenuItem("Add annotation", mw.focusAnnotation),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Move up", func() { mw.moveSelectedWithin(-1) }),
		fyne.NewMenuItem("Move down", func() { mw.moveSelectedWithin(1) }),
		mw.moveToLaneItem(),
		mw.moveToBoardItem(),
		mw.evidenceItem(id),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Delete card", mw.deleteSelected),
	)
	widget.ShowPopUpMenuAtPosition(m, mw.win.Canvas(), at)
}

// moveToLaneItem is a submenu of the selected card's board's lanes.
func (mw *MainWindow) moveToLaneItem() *fyne.MenuItem {
	item := fyne.NewMenuItem("Move to lane", nil)
	c := mw.snap.Cards[mw.selected]
	if c == nil {
		item.Disabled = true
		return item
	}
	var items []*fyne.MenuItem
	for _, l := range mw.snap.Lanes[c.Board] {
		lane := l
		it := fyne.NewMenuItem(workspace.Printable(l.Name), func() {
			mw.moveCard(c.ID, workspace.Move{Board: c.Board, Lane: lane.ID})
		})
		it.Checked = l.ID == c.Lane
		items = append(items, it)
	}
	item.ChildMenu = fyne.NewMenu("", items...)
	return item
}

// moveToBoardItem is a submenu of the boards.
func (mw *MainWindow) moveToBoardItem() *fyne.MenuItem {
	item := fyne.NewMenuItem("Move to board", nil)
	c := mw.snap.Cards[mw.selected]
	if c == nil {
		item.Disabled = true
		return item
	}
	var items []*fyne.MenuItem
	for _, b := range mw.snap.Boards {
		board := b
		it := fyne.NewMenuItem(workspace.Printable(b.Title), func() { mw.moveCardToBoard(c.ID, board.ID) })
		it.Checked = b.ID == c.Board
		it.Disabled = it.Checked
		items = append(items, it)
	}
	item.ChildMenu = fyne.NewMenu("", items...)
	return item
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}
