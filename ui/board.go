package ui

import (
	"fmt"
	"image/color"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// boardView shows one board as lanes of cards side by side. Each lane is a
// virtualised list, so a board of thousands of cards opens and scrolls
// without building them all.
type boardView struct {
	mw      *MainWindow
	root    *fyne.Container
	title   *widget.Label
	purpose *widget.Label
	addLane *widget.Button
	lanesC  *fyne.Container
	scroll  *container.Scroll
	lanes   []*laneView
	empty   *widget.Label
	// offsets keeps each board's sideways scroll while another is shown;
	// shown is the board (or "stray") the view shows.
	offsets map[string]float32
	shown   string
}

func newBoardView(mw *MainWindow) *boardView {
	bv := &boardView{mw: mw, offsets: map[string]float32{}}
	bv.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bv.title.SizeName = theme.SizeNameSubHeadingText
	bv.title.Truncation = fyne.TextTruncateEllipsis
	bv.purpose = widget.NewLabel("")
	bv.purpose.Truncation = fyne.TextTruncateEllipsis
	bv.purpose.TextStyle = fyne.TextStyle{Italic: true}
	bv.addLane = widget.NewButtonWithIcon("Add lane", theme.ContentAddIcon(), func() {
		if b := mw.currentBoard(); b != nil {
			mw.addLaneDialog(b.ID)
		}
	})
	bv.addLane.Importance = widget.LowImportance
	bv.lanesC = container.New(&lanesLayout{width: &mw.laneWidth})
	bv.scroll = container.NewHScroll(bv.lanesC)
	bv.empty = widget.NewLabel("")
	bv.empty.Alignment = fyne.TextAlignCenter
	bv.empty.Hide()
	head := container.NewBorder(nil, nil, nil, bv.addLane, container.NewVBox(bv.title, bv.purpose))
	bv.root = container.NewBorder(container.NewPadded(head), nil, nil, nil,
		container.NewStack(container.NewPadded(bv.scroll), container.NewCenter(bv.empty)))
	return bv
}

// update shows the current board (or the cards of deleted boards) from the
// snapshot, reusing lanes whose ids have not changed.
func (bv *boardView) update() {
	mw := bv.mw
	off := bv.scroll.Offset.X
	if key := mw.view + "/" + mw.boardID; key != bv.shown {
		// Each board comes back scrolled as it was left.
		if bv.shown != "" {
			bv.offsets[bv.shown] = off
		}
		bv.shown = key
		off = bv.offsets[key]
	}
	defer func() { settleScroll(bv.scroll, bv.lanesC.Objects, off) }()
	snap := mw.snap
	var lanes []*workspace.Lane
	if mw.view == viewStray {
		bv.title.SetText("Cards of deleted boards")
		bv.purpose.SetText("A colleague deleted these cards' boards while this copy still had them. Move them to a board, or delete them.")
		lanes = []*workspace.Lane{{Base: workspace.Base{ID: ""}, Name: "Cards"}}
		bv.addLane.Hide()
	} else {
		b := snap.Board(mw.boardID)
		if b == nil {
			bv.title.SetText("No boards")
			bv.purpose.SetText("Add a board with the + beside BOARDS in the sidebar.")
			bv.setLanes(nil)
			bv.addLane.Hide()
			return
		}
		bv.title.SetText(workspace.Printable(b.Title))
		bv.purpose.SetText(b.Purpose)
		lanes = snap.Lanes[b.ID]
		bv.addLane.Show()
	}
	bv.setLanes(lanes)
	for _, lv := range bv.lanes {
		lv.cards = bv.cardsOf(lv.lane.ID)
		lv.update()
	}
	bv.updateEmpty()
}

// cardsOf lists the cards a lane shows: those of the snapshot that pass
// the find bar's filter.
func (bv *boardView) cardsOf(lane string) []*workspace.Card {
	mw := bv.mw
	src := mw.snap.LaneCards[lane]
	if mw.view == viewStray {
		src = mw.snap.Stray
	}
	if mw.find.matches == nil {
		return src
	}
	var cards []*workspace.Card
	for _, c := range src {
		if mw.find.shows(c.ID) {
			cards = append(cards, c)
		}
	}
	return cards
}

// updateLanes draws again the lanes whose cards changed (the other lanes
// and the board's header stay as they are), keeping the card under the
// pointer where it is: a colleague's cards arriving above it do not move
// it away.
func (bv *boardView) updateLanes(dirty map[string]bool) {
	for _, lv := range bv.lanes {
		if !dirty[lv.lane.ID] {
			continue
		}
		id, at := lv.anchor()
		lv.cards = bv.cardsOf(lv.lane.ID)
		lv.update()
		lv.keep(id, at)
	}
	bv.updateEmpty()
}

func (bv *boardView) updateEmpty() {
	shown := 0
	for _, lv := range bv.lanes {
		shown += len(lv.cards)
	}
	if shown == 0 && bv.mw.find.matches != nil {
		bv.empty.SetText("No card on this board matches.\nThe sidebar counts matches on every board.")
		bv.empty.Show()
	} else {
		bv.empty.Hide()
	}
}

// setLanes keeps one laneView per lane, rebuilding only when the lanes
// themselves change.
func (bv *boardView) setLanes(lanes []*workspace.Lane) {
	same := len(lanes) == len(bv.lanes)
	for i := 0; same && i < len(lanes); i++ {
		same = bv.lanes[i].lane.ID == lanes[i].ID
	}
	if same {
		for i, l := range lanes {
			bv.lanes[i].lane = l
		}
		return
	}
	old := map[string]*laneView{}
	for _, lv := range bv.lanes {
		old[lv.lane.ID] = lv
	}
	bv.lanes = bv.lanes[:0]
	objs := make([]fyne.CanvasObject, 0, len(lanes))
	for _, l := range lanes {
		lv := old[l.ID]
		if lv == nil {
			lv = newLaneView(bv)
		}
		lv.lane = l
		bv.lanes = append(bv.lanes, lv)
		objs = append(objs, lv.root)
	}
	bv.lanesC.Objects = objs
	// The scroll sizes its content to the new lanes, which lays them out.
	bv.scroll.Refresh()
}

// reveal scrolls to a card and its lane.
func (bv *boardView) reveal(id string) {
	for _, lv := range bv.lanes {
		for i, c := range lv.cards {
			if c.ID == id {
				lv.list.ScrollTo(i)
				bv.scrollToLane(lv)
				return
			}
		}
	}
}

// scrollToLane scrolls the board sideways until the lane shows whole,
// with no lane cut at the left edge: the board stops at a lane's start.
func (bv *boardView) scrollToLane(lv *laneView) {
	x := lv.root.Position().X
	w := lv.root.Size().Width
	off := bv.scroll.Offset
	view := bv.scroll.Size().Width
	switch {
	case x < off.X:
		off.X = x
	case x+w > off.X+view:
		off.X = x + w - view
		for _, l := range bv.lanesC.Objects {
			if start := l.Position().X; start >= off.X-0.5 {
				off.X = min(start, x)
				break
			}
		}
	default:
		return
	}
	bv.scroll.ScrollToOffset(off)
}

// settleScroll scrolls a row of lanes (or overview columns) to off, moved
// back to the start of the lane it would cut: a lane never shows with the
// start of its name cut off ("pen 6" for "Open 6").
func settleScroll(sc *container.Scroll, lanes []fyne.CanvasObject, off float32) {
	off = max(0, min(off, sc.Content.Size().Width-sc.Size().Width))
	for i := len(lanes) - 1; i >= 0; i-- {
		if start := lanes[i].Position().X; start <= off+0.5 {
			off = start
			break
		}
	}
	if len(lanes) == 0 {
		off = 0
	}
	if off != sc.Offset.X {
		sc.ScrollToOffset(fyne.NewPos(off, sc.Offset.Y))
	}
}

// laneOf finds the lane view showing a card.
func (bv *boardView) laneOf(id string) (*laneView, int) {
	for _, lv := range bv.lanes {
		for i, c := range lv.cards {
			if c.ID == id {
				return lv, i
			}
		}
	}
	return nil, -1
}

// laneView is one lane: a header with its name and count, and its cards.
type laneView struct {
	bv    *boardView
	lane  *workspace.Lane
	cards []*workspace.Card
	root  *fyne.Container
	bg    *canvas.Rectangle
	name  *canvas.Text
	count *canvas.Text
	list  *widget.List
	hint  *widget.Label
	views []*CardView
	menu  *widget.Button
	// header holds the name and count: laid out again when they change.
	header *fyne.Container
}

func newLaneView(bv *boardView) *laneView {
	lv := &laneView{bv: bv}
	mw := bv.mw
	lv.bg = canvas.NewRectangle(themeColor(colorNameLane))
	lv.bg.CornerRadius = 8
	lv.name = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	lv.name.TextStyle = fyne.TextStyle{Bold: true}
	lv.count = canvas.NewText("", themeColor(colorNameMuted))
	lv.count.TextSize = theme.CaptionTextSize()
	lv.menu = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), func() {
		mw.laneMenu(lv.lane, fyne.CurrentApp().Driver().AbsolutePositionForObject(lv.menu).AddXY(0, lv.menu.Size().Height))
	})
	lv.menu.Importance = widget.LowImportance
	add := widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() {
		mw.newCardDialogIn(lv.lane.Board, lv.lane.ID)
	})
	add.Importance = widget.LowImportance
	lv.list = widget.NewList(
		func() int { return len(lv.cards) },
		func() fyne.CanvasObject {
			cv := NewCardView()
			mw.wireCard(cv)
			lv.views = append(lv.views, cv)
			return cv
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(lv.cards) {
				return
			}
			c := lv.cards[i]
			cv := o.(*CardView)
			cv.lifted = mw.drag != nil && mw.drag.id == c.ID
			cv.highlight = mw.find.terms
			cv.changed = mw.cardChanged(c.ID)
			cv.SetCard(c, factsOf(mw.snap, c), c.ID == mw.selected)
		})
	lv.list.HideSeparators = true
	lv.hint = widget.NewLabel("No cards")
	lv.hint.Alignment = fyne.TextAlignCenter
	lv.hint.Importance = widget.LowImportance
	lv.header = container.NewHBox(container.NewCenter(lv.name), container.NewCenter(lv.count))
	header := container.NewBorder(nil, nil, nil, container.NewHBox(add, lv.menu), lv.header)
	body := container.NewStack(lv.list, container.NewVBox(soft(lv.hint)))
	lv.root = container.NewStack(lv.bg, container.NewBorder(container.NewPadded(header), nil, nil, nil,
		container.NewPadded(body)))
	return lv
}

func (lv *laneView) update() {
	lv.bg.FillColor = themeColor(colorNameLane)
	lv.bg.Refresh()
	name := workspace.Printable(lv.lane.Name)
	total := len(lv.bv.mw.snap.LaneCards[lv.lane.ID])
	if lv.bv.mw.view == viewStray {
		total = len(lv.bv.mw.snap.Stray)
	}
	count := fmt.Sprint(total)
	if lv.bv.mw.find.matches != nil {
		count = fmt.Sprintf("%d of %d", len(lv.cards), total)
	}
	// A name or count of another width lays the header out again.
	resized := lv.name.Text != name || lv.count.Text != count
	lv.name.Text = name
	lv.name.Color = theme.Color(theme.ColorNameForeground)
	lv.count.Text = count
	lv.count.Color = themeColor(colorNameMuted)
	if resized {
		lv.header.Refresh()
	} else {
		lv.name.Refresh()
		lv.count.Refresh()
	}
	if len(lv.cards) == 0 {
		if lv.bv.mw.find.matches != nil {
			lv.hint.SetText("No match")
		} else {
			lv.hint.SetText("No cards: drop one here")
		}
		lv.hint.Show()
	} else {
		lv.hint.Hide()
	}
	lv.list.Refresh()
}

// rowPitch is the distance between the tops of two cards in a lane.
func rowPitch() float32 { return cardHeight() + theme.Padding() }

// anchor names the card to keep in place while the lane changes: the one
// under the pointer or, when the lane is scrolled, the top one shown; and
// how far below the top of the lane's view it is.
func (lv *laneView) anchor() (string, float32) {
	off := lv.list.GetScrollOffset()
	pitch := rowPitch()
	for _, v := range lv.views {
		if !v.hovered || v.card == nil || !v.Visible() {
			continue
		}
		if i := indexOfCard(lv.cards, v.card.ID); i >= 0 {
			return v.card.ID, float32(i)*pitch - off
		}
	}
	if off <= 0 || len(lv.cards) == 0 {
		return "", 0
	}
	i := min(int(off/pitch), len(lv.cards)-1)
	return lv.cards[i].ID, float32(i)*pitch - off
}

// keep scrolls the lane so that the card is as far below the top of the
// view as it was.
func (lv *laneView) keep(id string, at float32) {
	if id == "" {
		return
	}
	j := indexOfCard(lv.cards, id)
	if j < 0 {
		return
	}
	if want := float32(j)*rowPitch() - at; want != lv.list.GetScrollOffset() {
		lv.list.ScrollToOffset(want)
	}
}

// setDropHighlight tints the lane while a card is dragged over it.
func (lv *laneView) setDropHighlight(on bool) {
	if on {
		lv.bg.FillColor = blend(themeColor(colorNameLane), themeColor(colorNameDropTarget))
	} else {
		lv.bg.FillColor = themeColor(colorNameLane)
	}
	lv.bg.Refresh()
}

// visibleViews lists the card views drawn in the lane now, top first.
func (lv *laneView) visibleViews() []*CardView { return visibleIn(lv.list, lv.views) }

// visibleIn lists the views of a list that lie in its viewport, top
// first. Rows a list keeps for reuse are out of the tree, and the driver
// places such an object at the origin, outside every list.
func visibleIn(list fyne.CanvasObject, views []*CardView) []*CardView {
	d := fyne.CurrentApp().Driver()
	lp, ls := d.AbsolutePositionForObject(list), list.Size()
	type placed struct {
		v *CardView
		y float32
	}
	var in []placed
	for _, v := range views {
		if v.card == nil || !v.Visible() {
			continue
		}
		p := d.AbsolutePositionForObject(v)
		if p.X < lp.X || p.X >= lp.X+ls.Width || p.Y+v.Size().Height <= lp.Y || p.Y >= lp.Y+ls.Height {
			continue
		}
		in = append(in, placed{v, p.Y})
	}
	sort.Slice(in, func(i, j int) bool { return in[i].y < in[j].y })
	out := make([]*CardView, len(in))
	for i, p := range in {
		out[i] = p.v
	}
	return out
}

// lanesLayout puts lanes side by side: as wide as the space allows, never
// narrower than the lane width the analyst chose (the board then scrolls
// sideways).
type lanesLayout struct {
	width *float32
}

func (l *lanesLayout) laneWidth() float32 {
	if l.width == nil || *l.width <= 0 {
		return defaultLaneWidth
	}
	return *l.width
}

// Layout places the lanes left to right.
func (l *lanesLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := len(objs)
	if n == 0 {
		return
	}
	gap := theme.Padding()
	w := (size.Width - gap*float32(n-1)) / float32(n)
	if lw := l.laneWidth(); w < lw {
		w = lw
	}
	for i, o := range objs {
		o.Move(fyne.NewPos(float32(i)*(w+gap), 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// MinSize is every lane at its narrowest.
func (l *lanesLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	n := len(objs)
	if n == 0 {
		return fyne.NewSize(0, 0)
	}
	return fyne.NewSize(float32(n)*l.laneWidth()+theme.Padding()*float32(n-1), cardHeight()*2)
}

// blend lays a translucent colour over an opaque one.
func blend(base, over color.Color) color.Color {
	br, bg, bb, _ := base.RGBA()
	or, og, ob, oa := over.RGBA()
	a := float64(oa) / 0xffff
	f := func(b, o uint32) uint8 {
		// RGBA gives o premultiplied by its alpha.
		return uint8((float64(b)*(1-a) + float64(o)) / 257)
	}
	return color.NRGBA{R: f(br, or), G: f(bg, og), B: f(bb, ob), A: 0xff}
}
