package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// sidebar lists the workspace's boards (pillars) and parties. A board row
// opens the board, and takes cards dropped on it; a party row filters the
// board by that party's positions.
type sidebar struct {
	mw       *MainWindow
	root     *fyne.Container
	bg       *canvas.Rectangle
	title    *widget.Label
	subtitle *widget.Label
	overview *navRow
	boards   *widget.List
	parties  *widget.List
	stray    *navRow
	matrices *achNav
	rows     []*navRow
	// partyCount counts, by party id, the cards that record the party's
	// position; kept up to date card by card as actions arrive.
	partyCount map[string]int
	lists      *fyne.Container
	scroll     *container.Scroll
	// rowH caches rowHeight; counts are the boards and parties the lists
	// were laid out for.
	rowH   float32
	counts [2]int
}

func newSidebar(mw *MainWindow) *sidebar {
	sb := &sidebar{mw: mw}
	sb.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sb.title.Wrapping = fyne.TextWrapWord
	sb.subtitle = widget.NewLabel("")
	sb.subtitle.Wrapping = fyne.TextWrapWord
	sb.subtitle.SizeName = theme.SizeNameCaptionText
	sb.overview = newNavRow(sb, theme.GridIcon())
	sb.overview.setText("Overview of all pillars", "")
	sb.overview.onTap = mw.showOverview
	sb.stray = newNavRow(sb, theme.WarningIcon())
	sb.stray.onTap = mw.showStray
	sb.stray.Hide()
	sb.matrices = newACHNav(sb)

	sb.boards = widget.NewList(
		func() int {
			if mw.snap == nil {
				return 0
			}
			return len(mw.snap.Boards)
		},
		func() fyne.CanvasObject {
			r := newNavRow(sb, boardIconThemed())
			sb.rows = append(sb.rows, r)
			return r
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := o.(*navRow)
			b := mw.snap.Boards[i]
			r.boardID = b.ID
			r.setText(workspace.Printable(b.Title), sb.boardCount(b.ID))
			r.setSelected(mw.view == viewBoard && mw.boardID == b.ID)
			id := b.ID
			r.onTap = func() { mw.showBoard(id) }
			r.onSecondary = func(at fyne.Position) { mw.boardMenu(id, at) }
		})
	sb.boards.HideSeparators = true

	sb.parties = widget.NewList(
		func() int {
			if mw.snap == nil {
				return 0
			}
			return len(mw.snap.Meta.Parties)
		},
		func() fyne.CanvasObject { return newNavRow(sb, theme.AccountIcon()) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := o.(*navRow)
			p := mw.snap.Meta.Parties[i]
			label := workspace.Printable(p.Name)
			if p.Short != "" {
				label = fmt.Sprintf("%s (%s)", label, workspace.Printable(p.Short))
			}
			r.setText(label, fmt.Sprint(sb.positionsOf(p.ID)))
			r.setSelected(mw.find.filterParty() == p.ID)
			id := p.ID
			r.onTap = func() { mw.find.toggleParty(id) }
		})
	sb.parties.HideSeparators = true

	addBoard := widget.NewButtonWithIcon("", theme.ContentAddIcon(), mw.addBoardDialog)
	addBoard.Importance = widget.LowImportance
	head := func(text string, extra fyne.CanvasObject) fyne.CanvasObject {
		l := canvas.NewText(text, themeColor(colorNameMuted))
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.TextSize = theme.CaptionTextSize()
		if extra == nil {
			return container.NewPadded(l)
		}
		return container.NewBorder(nil, nil, nil, extra, container.NewPadded(l))
	}
	top := container.NewVBox(sb.title, sb.subtitle, widget.NewSeparator(), sb.overview, sb.stray,
		sb.matrices.root, head("BOARDS", addBoard))
	sb.lists = container.New(&sidebarLists{sb: sb}, sb.boards, head("PARTIES  (tap to filter)", nil), sb.parties)
	sb.scroll = container.NewVScroll(container.NewBorder(top, nil, nil, nil, sb.lists))
	sb.bg = canvas.NewRectangle(themeColor(colorNameSidebar))
	sb.root = container.NewStack(sb.bg, sb.scroll)
	return sb
}

// rowHeight is the height of a row of the lists, with the space between
// rows.
func (sb *sidebar) rowHeight() float32 {
	if sb.rowH == 0 {
		sb.rowH = newNavRow(sb, theme.AccountIcon()).MinSize().Height + theme.Padding()
	}
	return sb.rowH
}

// listHeight is what a list of n rows needs to show them all.
func (sb *sidebar) listHeight(n int) float32 {
	if n == 0 {
		return 0
	}
	return float32(n)*sb.rowHeight() - theme.Padding()
}

// sidebarLists lays out the boards, the parties' heading and the
// parties, each list as high as its rows, the parties right under the
// boards. In a window too low for them all, the sidebar scrolls as a
// whole: no row is ever hidden inside a half-height list.
type sidebarLists struct{ sb *sidebar }

func (l *sidebarLists) counts() (boards, parties int) {
	if snap := l.sb.mw.snap; snap != nil {
		return len(snap.Boards), len(snap.Meta.Parties)
	}
	return 0, 0
}

// Layout places the lists one under the other.
func (l *sidebarLists) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	boards, head, parties := objs[0], objs[1], objs[2]
	nb, np := l.counts()
	hh := head.MinSize().Height
	hb := l.sb.listHeight(nb)
	boards.Move(fyne.NewPos(0, 0))
	boards.Resize(fyne.NewSize(size.Width, hb))
	head.Move(fyne.NewPos(0, hb))
	head.Resize(fyne.NewSize(size.Width, hh))
	parties.Move(fyne.NewPos(0, hb+hh))
	parties.Resize(fyne.NewSize(size.Width, max(l.sb.listHeight(np), size.Height-hb-hh)))
}

// MinSize is every row of both lists and the heading.
func (l *sidebarLists) MinSize(objs []fyne.CanvasObject) fyne.Size {
	nb, np := l.counts()
	return fyne.NewSize(0, l.sb.listHeight(nb)+objs[1].MinSize().Height+l.sb.listHeight(np))
}

// boardCount is the count shown beside a board: its cards, or its matches
// while the find bar filters.
func (sb *sidebar) boardCount(board string) string {
	snap := sb.mw.snap
	if m := sb.mw.find.matches; m != nil {
		n := 0
		for id := range m {
			if c := snap.Cards[id]; c != nil && c.Board == board {
				n++
			}
		}
		return fmt.Sprint(n)
	}
	n := 0
	for _, l := range snap.Lanes[board] {
		n += len(snap.LaneCards[l.ID])
	}
	return fmt.Sprint(n)
}

func (sb *sidebar) positionsOf(party string) int {
	if sb.partyCount == nil {
		sb.recount()
	}
	return sb.partyCount[party]
}

// recount counts the parties' positions of a snapshot read whole.
func (sb *sidebar) recount() {
	sb.partyCount = map[string]int{}
	if sb.mw.snap == nil {
		return
	}
	for _, c := range sb.mw.snap.Cards {
		for p := range c.Positions {
			sb.partyCount[p]++
		}
	}
}

// countsChanged brings the counts up to the window's snapshot from old,
// which differs from it by the cards touched.
func (sb *sidebar) countsChanged(old *workspace.Snapshot, t touched) {
	if sb.partyCount == nil {
		sb.recount()
		return
	}
	for id := range t.cards {
		if c := old.Cards[id]; c != nil {
			for p := range c.Positions {
				sb.partyCount[p]--
			}
		}
		if c := sb.mw.snap.Cards[id]; c != nil {
			for p := range c.Positions {
				sb.partyCount[p]++
			}
		}
	}
}

// refreshCounts shows the counts again without redrawing the rest: the
// rows on show are rebound.
func (sb *sidebar) refreshCounts() {
	sb.updateStray()
	sb.boards.Refresh()
	sb.parties.Refresh()
}

func (sb *sidebar) updateStray() {
	if n := len(sb.mw.snap.Stray); n > 0 {
		sb.stray.setText("Cards of deleted boards", fmt.Sprint(n))
		sb.stray.setSelected(sb.mw.view == viewStray)
		sb.stray.Show()
	} else {
		sb.stray.Hide()
	}
}

func (sb *sidebar) update() {
	snap := sb.mw.snap
	sb.bg.FillColor = themeColor(colorNameSidebar)
	sb.bg.Refresh()
	sb.title.SetText(workspace.Printable(snap.Meta.Title))
	sb.subtitle.SetText(snap.Meta.Subtitle)
	if snap.Meta.Subtitle == "" {
		sb.subtitle.Hide()
	} else {
		sb.subtitle.Show()
	}
	sb.overview.setSelected(sb.mw.view == viewOverview)
	sb.updateStray()
	sb.matrices.update()
	if counts := [2]int{len(snap.Boards), len(snap.Meta.Parties)}; counts != sb.counts {
		sb.counts = counts
		sb.scroll.Refresh()
	}
	sb.boards.Refresh()
	sb.parties.Refresh()
}

// dropAt finds the board row under an absolute position, for a card
// dragged onto the sidebar.
func (sb *sidebar) dropAt(abs fyne.Position) (string, bool) {
	if !inside(sb.boards, abs) {
		return "", false
	}
	for _, r := range sb.rows {
		if r.boardID == "" || !r.Visible() {
			continue
		}
		if inside(r, abs) {
			return r.boardID, true
		}
	}
	return "", false
}

// navRow is a row of the sidebar: icon, text, a count at the right.
type navRow struct {
	widget.BaseWidget
	sb          *sidebar
	bg          *canvas.Rectangle
	icon        *widget.Icon
	text        *widget.Label
	count       *canvas.Text
	selected    bool
	boardID     string
	onTap       func()
	onSecondary func(at fyne.Position)
}

func newNavRow(sb *sidebar, icon fyne.Resource) *navRow {
	r := &navRow{sb: sb}
	r.bg = canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	r.bg.CornerRadius = 4
	r.bg.Hide()
	r.icon = widget.NewIcon(icon)
	r.text = widget.NewLabel("")
	r.text.Truncation = fyne.TextTruncateEllipsis
	r.count = canvas.NewText("", themeColor(colorNameMuted))
	r.count.TextSize = theme.CaptionTextSize()
	r.ExtendBaseWidget(r)
	return r
}

func (r *navRow) setText(text, count string) {
	setLabel(r.text, text)
	r.count.Text = count
	r.count.Color = themeColor(colorNameMuted)
	r.count.Refresh()
}

func (r *navRow) setSelected(on bool) {
	r.selected = on
	if r.text.TextStyle.Bold != on {
		r.text.TextStyle.Bold = on
		r.text.Refresh()
	}
	if on {
		r.bg.FillColor = theme.Color(theme.ColorNameSelection)
		r.bg.Show()
	} else {
		r.bg.Hide()
	}
	r.bg.Refresh()
}

// Tapped runs the row's action.
func (r *navRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap()
	}
}

// TappedSecondary opens the row's menu, if it has one.
func (r *navRow) TappedSecondary(ev *fyne.PointEvent) {
	if r.onSecondary != nil {
		r.onSecondary(ev.AbsolutePosition)
	}
}

// CreateRenderer lays the row out: icon, text, count.
func (r *navRow) CreateRenderer() fyne.WidgetRenderer {
	row := container.NewBorder(nil, nil, container.NewPadded(r.icon), container.NewPadded(container.NewCenter(r.count)), r.text)
	return widget.NewSimpleRenderer(container.NewStack(r.bg, row))
}

// inside reports whether an absolute position falls on an object.
func inside(o fyne.CanvasObject, abs fyne.Position) bool {
	d := fyne.CurrentApp().Driver()
	p := d.AbsolutePositionForObject(o)
	s := o.Size()
	return abs.X >= p.X && abs.Y >= p.Y && abs.X < p.X+s.Width && abs.Y < p.Y+s.Height
}
