package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Preference keys of the window's layout.
const (
	prefDetailHidden = "detailHidden"
	prefSidebarWidth = "sidebarWidth"
	prefDetailWidth  = "detailWidth"
	prefLaneWidth    = "laneWidth"
)

// Widths of the panes, in Fyne units. The sidebar and the detail pane keep
// their width as the window changes size, so a wider window gives the
// board the room; the analyst can drag the dividers.
const (
	defaultSidebarWidth = float32(200)
	minSidebarWidth     = float32(150)
	defaultDetailWidth  = float32(400)
	// minDetailWidth keeps the detail pane's five tabs on show.
	minDetailWidth = float32(380)
	// minCentreWidth is what the board keeps when the panes beside it are
	// dragged wide.
	minCentreWidth = float32(220)
	dividerWidth   = float32(6)
)

// panes lays out the sidebar, the centre (board or overview) and the
// detail pane side by side, with a divider the analyst can drag beside
// each pane. The detail pane takes no room while it is collapsed: when no
// card is selected, or when the analyst has hidden it.
type panes struct {
	root     *fyne.Container
	sidebar  fyne.CanvasObject
	centre   fyne.CanvasObject
	detail   fyne.CanvasObject
	left     *divider
	right    *divider
	sideW    float32
	detailW  float32
	detailOn bool
	// saveWidths remembers the widths after a drag.
	saveWidths func(side, detail float32)
}

func newPanes(sidebar, centre, detail fyne.CanvasObject) *panes {
	p := &panes{sidebar: sidebar, centre: centre, detail: detail,
		sideW: defaultSidebarWidth, detailW: defaultDetailWidth}
	p.left = newDivider(func(dx float32) { p.sideW += dx; p.root.Refresh() }, p.dragEnded)
	p.right = newDivider(func(dx float32) { p.detailW -= dx; p.root.Refresh() }, p.dragEnded)
	p.root = container.New(p, sidebar, p.left, centre, p.right, detail)
	p.setDetail(false)
	return p
}

func (p *panes) dragEnded() {
	side, detail := p.widths(p.root.Size().Width)
	p.sideW = side
	if p.detailOn {
		p.detailW = detail
	}
	if p.saveWidths != nil {
		p.saveWidths(p.sideW, p.detailW)
	}
}

// setDetail shows or collapses the detail pane.
func (p *panes) setDetail(on bool) {
	if on == p.detailOn && p.detail.Visible() == on {
		return
	}
	p.detailOn = on
	if on {
		p.detail.Show()
		p.right.Show()
	} else {
		p.detail.Hide()
		p.right.Hide()
	}
	p.root.Refresh()
}

// widths gives the sidebar and detail pane their widths in a window of
// width w: as set, within limits that leave the board its room.
func (p *panes) widths(w float32) (side, detail float32) {
	side = min(max(p.sideW, minSidebarWidth), max(minSidebarWidth, w*0.35))
	if !p.detailOn {
		return side, 0
	}
	room := w - side - 2*dividerWidth - minCentreWidth
	detail = max(min(p.detailW, room), minDetailWidth)
	return side, detail
}

// Layout places the panes left to right.
func (p *panes) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	side, detail := p.widths(size.Width)
	p.sidebar.Move(fyne.NewPos(0, 0))
	p.sidebar.Resize(fyne.NewSize(side, size.Height))
	x := side
	p.left.Move(fyne.NewPos(x, 0))
	p.left.Resize(fyne.NewSize(dividerWidth, size.Height))
	x += dividerWidth
	centreW := size.Width - x
	if p.detailOn {
		centreW -= detail + dividerWidth
	}
	p.centre.Move(fyne.NewPos(x, 0))
	p.centre.Resize(fyne.NewSize(max(centreW, 0), size.Height))
	if p.detailOn {
		x += max(centreW, 0)
		p.right.Move(fyne.NewPos(x, 0))
		p.right.Resize(fyne.NewSize(dividerWidth, size.Height))
		x += dividerWidth
		p.detail.Move(fyne.NewPos(x, 0))
		p.detail.Resize(fyne.NewSize(detail, size.Height))
	}
}

// MinSize is the sidebar, the detail pane when shown, and a narrow board.
func (p *panes) MinSize(_ []fyne.CanvasObject) fyne.Size {
	w := minSidebarWidth + dividerWidth + minCentreWidth
	h := max(p.sidebar.MinSize().Height, p.centre.MinSize().Height)
	if p.detailOn {
		w += dividerWidth + minDetailWidth
		h = max(h, p.detail.MinSize().Height)
	}
	return fyne.NewSize(w, h)
}

// divider is the handle between two panes: a thin line that can be
// dragged sideways.
type divider struct {
	widget.BaseWidget
	line    *canvas.Rectangle
	dragged func(dx float32)
	ended   func()
}

func newDivider(dragged func(dx float32), ended func()) *divider {
	d := &divider{line: canvas.NewRectangle(theme.Color(theme.ColorNameSeparator)), dragged: dragged, ended: ended}
	d.ExtendBaseWidget(d)
	return d
}

// CreateRenderer draws a one-unit line in the middle of the handle.
func (d *divider) CreateRenderer() fyne.WidgetRenderer {
	return &dividerRenderer{d: d}
}

// Dragged moves the divider with the pointer.
func (d *divider) Dragged(ev *fyne.DragEvent) { d.dragged(ev.Dragged.DX) }

// DragEnd remembers where the divider was left.
func (d *divider) DragEnd() { d.ended() }

// Cursor shows that the divider moves sideways.
func (d *divider) Cursor() desktop.Cursor { return desktop.HResizeCursor }

type dividerRenderer struct{ d *divider }

func (r *dividerRenderer) Layout(size fyne.Size) {
	r.d.line.Move(fyne.NewPos(size.Width/2-0.5, 0))
	r.d.line.Resize(fyne.NewSize(1, size.Height))
}

func (r *dividerRenderer) MinSize() fyne.Size { return fyne.NewSize(dividerWidth, 0) }

func (r *dividerRenderer) Refresh() {
	r.d.line.FillColor = theme.Color(theme.ColorNameSeparator)
	r.d.line.Refresh()
}

func (r *dividerRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.d.line} }

func (r *dividerRenderer) Destroy() {}

// laneWidths are the widths lanes can be narrowed or widened to; the
// default lets five lanes show side by side in a window 1280 wide.
var laneWidths = []float32{180, 200, 240, 280, 320}

const defaultLaneWidth = float32(200)

// loadLayout reads the layout the analyst left: lane width, whether the
// detail pane is hidden, the widths of the panes.
func (mw *MainWindow) loadLayout() {
	prefs := settingsOf(mw.app)
	mw.laneWidth = nearestLaneWidth(float32(prefs.FloatWithFallback(prefLaneWidth, float64(defaultLaneWidth))))
	mw.detailHidden = prefs.Bool(prefDetailHidden)
}

// buildPanes lays the sidebar, centre and detail pane side by side, at
// the widths the analyst left them.
func (mw *MainWindow) buildPanes(centre fyne.CanvasObject) *panes {
	prefs := settingsOf(mw.app)
	p := newPanes(mw.sidebar.root, centre, mw.detail.root)
	p.sideW = float32(prefs.FloatWithFallback(prefSidebarWidth, float64(defaultSidebarWidth)))
	p.detailW = float32(prefs.FloatWithFallback(prefDetailWidth, float64(defaultDetailWidth)))
	p.saveWidths = func(side, detail float32) {
		prefs.SetFloat(prefSidebarWidth, float64(side))
		prefs.SetFloat(prefDetailWidth, float64(detail))
	}
	return p
}

func nearestLaneWidth(w float32) float32 {
	best := laneWidths[0]
	for _, lw := range laneWidths {
		if abs32(lw-w) < abs32(best-w) {
			best = lw
		}
	}
	return best
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

// updateDetailPane shows the detail pane while a card is selected, unless
// the analyst has hidden it; otherwise the board takes its room.
func (mw *MainWindow) updateDetailPane() {
	if mw.panes == nil {
		return
	}
	mw.panes.setDetail(mw.detail.card != nil && !mw.detailHidden)
}

// setDetailHidden hides or shows the detail pane, and remembers it.
func (mw *MainWindow) setDetailHidden(hidden bool) {
	mw.detailHidden = hidden
	settingsOf(mw.app).SetBool(prefDetailHidden, hidden)
	mw.updateDetailPane()
	if mw.menu != nil {
		mw.menu.updateView()
	}
}

// toggleDetail hides the detail pane when it is on, and shows it when not.
func (mw *MainWindow) toggleDetail() { mw.setDetailHidden(!mw.detailHidden) }

// showDetail brings the detail pane back for an action that needs it,
// such as editing the title from the keyboard.
func (mw *MainWindow) showDetail() {
	if mw.detailHidden {
		mw.setDetailHidden(false)
	}
}

// stepLaneWidth narrows (dir < 0) or widens lanes by one step, and
// remembers the width.
func (mw *MainWindow) stepLaneWidth(dir int) {
	i := 0
	for j, w := range laneWidths {
		if w == mw.laneWidth {
			i = j
		}
	}
	i = min(max(i+dir, 0), len(laneWidths)-1)
	if laneWidths[i] == mw.laneWidth {
		return
	}
	mw.laneWidth = laneWidths[i]
	settingsOf(mw.app).SetFloat(prefLaneWidth, float64(mw.laneWidth))
	mw.board.lanesC.Refresh()
	mw.board.scroll.Refresh()
	mw.overview.colsC.Refresh()
	mw.overview.scroll.Refresh()
	mw.redraw()
	if mw.menu != nil {
		mw.menu.updateView()
	}
}

// relayout lays out again every container that holds obj, from the
// window down, after obj was shown or hidden. A container lays out its
// children when it is refreshed or resized, and hiding a child does
// neither: without this a hidden bar or error line leaves its band.
func relayout(obj fyne.CanvasObject) {
	a := fyne.CurrentApp()
	if a == nil {
		return
	}
	for _, w := range a.Driver().AllWindows() {
		c := w.Canvas()
		trees := []fyne.CanvasObject{c.Content()}
		if o := c.Overlays(); o != nil {
			trees = append(trees, o.List()...)
		}
		for _, t := range trees {
			if path := pathTo(t, obj); path != nil {
				for _, o := range path {
					switch o := o.(type) {
					case *fyne.Container:
						o.Refresh()
					case *container.Scroll:
						o.Refresh()
					}
				}
				return
			}
		}
	}
}

// pathTo lists the objects from root down to obj's parent, or nil when
// obj is not in the tree. It looks into containers and the widgets that
// hold other content (scrolls, tabs, pop-ups and dialogs).
func pathTo(root, obj fyne.CanvasObject) []fyne.CanvasObject {
	if root == nil {
		return nil
	}
	if root == obj {
		return []fyne.CanvasObject{}
	}
	var children []fyne.CanvasObject
	switch o := root.(type) {
	case *fyne.Container:
		children = o.Objects
	case *container.Scroll:
		children = []fyne.CanvasObject{o.Content}
	case *container.ThemeOverride:
		children = []fyne.CanvasObject{o.Content}
	case *container.AppTabs:
		for _, it := range o.Items {
			children = append(children, it.Content)
		}
	case *widget.PopUp:
		children = []fyne.CanvasObject{o.Content}
	}
	for _, c := range children {
		if p := pathTo(c, obj); p != nil {
			return append([]fyne.CanvasObject{root}, p...)
		}
	}
	return nil
}
