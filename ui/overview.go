package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// overviewView shows every pillar side by side: one column per board with
// its cards lane by lane, each card naming its lane. Cards can be dragged
// between pillars here too.
type overviewView struct {
	mw     *MainWindow
	root   *fyne.Container
	cols   []*overviewColumn
	colsC  *fyne.Container
	scroll *container.Scroll
}

func newOverviewView(mw *MainWindow) *overviewView {
	ov := &overviewView{mw: mw}
	ov.colsC = container.New(&lanesLayout{width: &mw.laneWidth})
	ov.scroll = container.NewHScroll(ov.colsC)
	title := widget.NewLabelWithStyle("Overview of all pillars", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	hint := widget.NewLabel("Each column is a board, its cards lane by lane. Drag a card to another column to move it there.")
	hint.Importance = widget.LowImportance
	hint.Truncation = fyne.TextTruncateEllipsis
	ov.root = container.NewBorder(container.NewPadded(container.NewVBox(title, soft(hint))), nil, nil, nil,
		container.NewPadded(ov.scroll))
	return ov
}

func (ov *overviewView) update() {
	defer func() { settleScroll(ov.scroll, ov.colsC.Objects, ov.scroll.Offset.X) }()
	snap := ov.mw.snap
	if len(ov.cols) != len(snap.Boards) {
		ov.cols = ov.cols[:0]
		var objs []fyne.CanvasObject
		for range snap.Boards {
			col := newOverviewColumn(ov)
			ov.cols = append(ov.cols, col)
			objs = append(objs, col.root)
		}
		ov.colsC.Objects = objs
		ov.scroll.Refresh()
	}
	for i, b := range snap.Boards {
		col := ov.cols[i]
		col.board = b
		col.cards = col.cards[:0]
		counts := map[string]int{}
		for _, c := range snap.BoardCards(b.ID) {
			if ov.mw.find.shows(c.ID) {
				col.cards = append(col.cards, c)
				counts[c.Lane]++
			}
		}
		var parts []string
		for _, l := range snap.Lanes[b.ID] {
			parts = append(parts, fmt.Sprintf("%s %d", workspace.Printable(l.Name), counts[l.ID]))
		}
		col.update(strings.Join(parts, " · "))
	}
}

func (ov *overviewView) reveal(id string) {
	for _, col := range ov.cols {
		if i := indexOfCard(col.cards, id); i >= 0 {
			col.list.ScrollTo(i)
			return
		}
	}
}

// dropAt finds the place under the pointer in the overview: before or
// after the card there, in that card's lane, or the end of the board.
func (ov *overviewView) dropAt(abs fyne.Position, dragged string) (dropTarget, bool) {
	d := fyne.CurrentApp().Driver()
	for _, col := range ov.cols {
		if !inside(ov.scroll, abs) || !inside(col.root, abs) {
			continue
		}
		t := dropTarget{ok: true}
		var last *CardView
		for _, v := range col.visibleViews() {
			if v.card.ID == dragged {
				continue
			}
			p := d.AbsolutePositionForObject(v)
			if abs.Y < p.Y+v.Size().Height/2 {
				t.move = workspace.Move{Board: col.board.ID, Lane: v.card.Lane, Before: v.card.ID}
				t.lineAt = fyne.NewPos(p.X, p.Y-theme.Padding()/2-1.5)
				t.lineW = v.Size().Width
				return t, true
			}
			last = v
		}
		if last != nil {
			p := d.AbsolutePositionForObject(last)
			t.move = workspace.Move{Board: col.board.ID, Lane: last.card.Lane, After: last.card.ID}
			t.lineAt = fyne.NewPos(p.X, p.Y+last.Size().Height+theme.Padding()/2-1.5)
			t.lineW = last.Size().Width
			return t, true
		}
		t.move = ov.mw.moveToBoard(dragged, col.board.ID)
		return t, true
	}
	return dropTarget{}, false
}

// overviewColumn is one board in the overview.
type overviewColumn struct {
	ov      *overviewView
	board   *workspace.Board
	cards   []*workspace.Card
	root    *fyne.Container
	bg      *canvas.Rectangle
	title   *widget.Label
	summary *canvas.Text
	list    *widget.List
	views   []*CardView
}

func newOverviewColumn(ov *overviewView) *overviewColumn {
	col := &overviewColumn{ov: ov}
	mw := ov.mw
	col.bg = canvas.NewRectangle(themeColor(colorNameLane))
	col.bg.CornerRadius = 8
	col.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	col.title.Truncation = fyne.TextTruncateEllipsis
	col.summary = canvas.NewText("", themeColor(colorNameMuted))
	col.summary.TextSize = theme.CaptionTextSize()
	col.list = widget.NewList(
		func() int { return len(col.cards) },
		func() fyne.CanvasObject {
			cv := NewCardView()
			cv.ShowLane = true
			mw.wireCard(cv)
			col.views = append(col.views, cv)
			return cv
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(col.cards) {
				return
			}
			c := col.cards[i]
			f := factsOf(mw.snap, c)
			f.Lane = mw.snap.LaneName(c)
			cv := o.(*CardView)
			cv.lifted = mw.drag != nil && mw.drag.id == c.ID
			cv.highlight = mw.find.terms
			cv.changed = mw.cardChanged(c.ID)
			cv.SetCard(c, f, c.ID == mw.selected)
		})
	col.list.HideSeparators = true
	open := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() {
		if col.board != nil {
			mw.showBoard(col.board.ID)
		}
	})
	open.Importance = widget.LowImportance
	head := container.NewBorder(nil, nil, nil, open, container.NewVBox(col.title, container.NewPadded(col.summary)))
	col.root = container.NewStack(col.bg, container.NewBorder(container.NewPadded(head), nil, nil, nil,
		container.NewPadded(col.list)))
	return col
}

func (col *overviewColumn) update(summary string) {
	col.bg.FillColor = themeColor(colorNameLane)
	col.bg.Refresh()
	col.title.SetText(workspace.Printable(col.board.Title))
	col.summary.Text = fitLine(summary, col.summary.TextSize, fyne.TextStyle{}, max(col.root.Size().Width, col.ov.mw.laneWidth)-24)
	col.summary.Color = themeColor(colorNameMuted)
	col.summary.Refresh()
	col.list.Refresh()
}

func (col *overviewColumn) visibleViews() []*CardView {
	return visibleIn(col.list, col.views)
}
