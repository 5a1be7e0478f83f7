package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// linkTypeLabels says each known link type as a reader says it.
var linkTypeLabels = map[string]string{
	workspace.LinkDependsOn:     "depends on",
	workspace.LinkConflictsWith: "conflicts with",
	workspace.LinkSupports:      "supports",
	workspace.LinkRelated:       "related to",
}

// backLabels says a link type seen from its target.
var backLabels = map[string]string{
	workspace.LinkDependsOn:     "is depended on by",
	workspace.LinkConflictsWith: "conflicts with",
	workspace.LinkSupports:      "is supported by",
	workspace.LinkRelated:       "related to",
}

func linkLabel(t string) string {
	if l, ok := linkTypeLabels[t]; ok {
		return l
	}
	return t
}

// linksEditor shows a card's links to other cards, on any board, and the
// cards that link to it.
type linksEditor struct {
	mw    *MainWindow
	root  fyne.CanvasObject
	links *fyne.Container
	back  *fyne.Container
	err   *widget.Label
	card  *workspace.Card
	// shown is what the rows show, to skip rebuilding them when a redraw
	// changed neither the links nor the backlinks.
	shown     string
	backCount int
}

func newLinksEditor(mw *MainWindow) *linksEditor {
	e := &linksEditor{mw: mw}
	e.links = container.NewVBox()
	e.back = container.NewVBox()
	e.err = fieldError()
	add := widget.NewButtonWithIcon("Link to a card…", theme.ContentAddIcon(), e.pick)
	e.root = container.NewVScroll(container.NewPadded(container.NewVBox(
		label("THIS CARD"), e.links, e.err, container.NewHBox(add),
		widget.NewSeparator(),
		label("LINKED FROM"), e.back)))
	return e
}

// cardPlace says where a card is: its board and lane.
func (mw *MainWindow) cardPlace(c *workspace.Card) string {
	b := mw.snap.Board(c.Board)
	if b == nil {
		return "deleted board"
	}
	return workspace.Printable(b.Title) + " › " + workspace.Printable(mw.snap.LaneName(c))
}

func (e *linksEditor) bind(c *workspace.Card, fresh bool) {
	e.card = c
	snap := e.mw.snap
	if fresh {
		setFieldError(e.err, nil)
	}
	back := snap.Backlinks(c.ID)
	e.backCount = len(back)
	if sig := linksShown(snap, c, back); sig != e.shown || fresh {
		e.shown = sig
	} else {
		return
	}
	e.links.Objects = nil
	for i, l := range c.Links {
		e.links.Objects = append(e.links.Objects, e.linkRow(i, l))
	}
	if len(c.Links) == 0 {
		e.links.Objects = append(e.links.Objects, muted("No links. Link a card that this one depends on, supports or conflicts with."))
	}
	e.links.Refresh()
	e.back.Objects = nil
	for _, b := range back {
		from := snap.Cards[b.From]
		if from == nil {
			continue
		}
		id := from.ID
		link := cardLink(workspace.Printable(from.Title), func() { e.mw.selectCard(id) })
		e.back.Objects = append(e.back.Objects, container.NewVBox(
			widget.NewLabelWithStyle(strings.ToUpper(backLabel(b.Type)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			link, muted(e.mw.cardPlace(from))))
	}
	if len(e.back.Objects) == 0 {
		e.back.Objects = append(e.back.Objects, muted("No card links here."))
	}
	e.back.Refresh()
}

// linksShown is what the editor's rows would show: each link's type,
// target title and place, and each backlink's.
func linksShown(snap *workspace.Snapshot, c *workspace.Card, back []workspace.LinkRef) string {
	var b strings.Builder
	line := func(kind, id string) {
		b.WriteString(kind + "\x00" + id + "\x00")
		if o := snap.Cards[id]; o != nil {
			b.WriteString(o.Title + "\x00" + snap.LaneName(o))
			if bd := snap.Board(o.Board); bd != nil {
				b.WriteString("\x00" + bd.Title)
			}
		}
		b.WriteString("\x01")
	}
	for _, l := range c.Links {
		line(l.Type, l.To)
	}
	b.WriteString("\x02")
	for _, l := range back {
		line(l.Type, l.From)
	}
	return b.String()
}

func backLabel(t string) string {
	if l, ok := backLabels[t]; ok {
		return l
	}
	return t
}

func muted(s string) fyne.CanvasObject {
	l := widget.NewLabel(s)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return soft(l)
}

func (e *linksEditor) linkRow(i int, l workspace.Link) fyne.CanvasObject {
	snap := e.mw.snap
	target := snap.Cards[l.To]
	types := []string{}
	for _, t := range workspace.LinkTypes {
		types = append(types, linkLabel(t))
	}
	if _, known := linkTypeLabels[l.Type]; !known {
		types = append(types, l.Type)
	}
	index, to := i, l.To
	kind := widget.NewSelect(types, nil)
	kind.SetSelected(linkLabel(l.Type))
	kind.OnChanged = func(label string) {
		t := label
		for k, v := range linkTypeLabels {
			if v == label {
				t = k
			}
		}
		err := e.mw.detail.update("Change link", func(c *workspace.Card) error {
			if index >= len(c.Links) || c.Links[index].To != to {
				return fmt.Errorf("the links changed meanwhile")
			}
			c.Links[index].Type = t
			return nil
		})
		setFieldError(e.err, err)
	}
	title, place := "(card deleted)", ""
	if target != nil {
		title, place = workspace.Printable(target.Title), e.mw.cardPlace(target)
	}
	open := cardLink(title, func() {
		if target != nil {
			e.mw.selectCard(target.ID)
		}
	})
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		err := e.mw.detail.update("Remove link", func(c *workspace.Card) error {
			if index >= len(c.Links) || c.Links[index].To != to {
				return fmt.Errorf("the links changed meanwhile")
			}
			c.Links = append(c.Links[:index:index], c.Links[index+1:]...)
			return nil
		})
		setFieldError(e.err, err)
	})
	remove.Importance = widget.LowImportance
	return container.NewVBox(
		container.NewBorder(nil, nil, kind, remove),
		open, muted(place), widget.NewSeparator())
}

// cardLink is a card's title that selects the card when tapped; long
// titles wrap rather than widen the pane.
func cardLink(title string, tapped func()) *widget.Hyperlink {
	h := widget.NewHyperlink(title, nil)
	h.Wrapping = fyne.TextWrapWord
	h.OnTapped = tapped
	return h
}

// findCards is a card picker's search over the index: cards whose title
// has every word come first, then those that match elsewhere (body, tags,
// annotations, sources); skip leaves cards out.
func (mw *MainWindow) findCards(ix *workspace.Index, skip func(id string) bool) func(text string) []pickItem {
	return func(text string) []pickItem {
		words := strings.Fields(workspace.Fold(text))
		var first, rest []pickItem
		for _, c := range ix.Search(workspace.Query{Text: text}) {
			if skip != nil && skip(c.ID) {
				continue
			}
			it := pickItem{id: c.ID, title: workspace.Printable(c.Title), detail: mw.cardPlace(c)}
			title, inTitle := " "+workspace.Fold(c.Title)+" ", true
			for _, w := range words {
				inTitle = inTitle && strings.Contains(title, w)
			}
			if inTitle {
				first = append(first, it)
			} else {
				rest = append(rest, it)
			}
		}
		return append(first, rest...)
	}
}

// pick opens a searchable list of every card to link to.
func (e *linksEditor) pick() {
	mw := e.mw
	if e.card == nil {
		return
	}
	self := e.card
	ix := mw.index
	if ix == nil {
		ix = workspace.NewIndex(mw.snap)
	}
	types := []string{}
	for _, t := range workspace.LinkTypes {
		types = append(types, linkLabel(t))
	}
	kind := widget.NewSelect(types, nil)
	kind.SetSelectedIndex(0)
	var d dialog.Dialog
	linked := map[string]bool{}
	for _, l := range self.Links {
		linked[l.To] = true
	}
	picker := newPicker(
		mw.findCards(ix, func(id string) bool { return id == self.ID || linked[id] }),
		func(id string) {
			t := workspace.LinkTypes[max(0, kind.SelectedIndex())]
			d.Hide()
			err := mw.detail.update("Add link", func(c *workspace.Card) error {
				c.Links = append(c.Links, workspace.Link{To: id, Type: t})
				return nil
			})
			setFieldError(e.err, err)
		})
	mw.lastPicker = picker
	top := container.NewBorder(nil, nil, widget.NewLabel("This card"), nil, kind)
	d = dialog.NewCustom("Link to a card", "Cancel", container.NewBorder(top, nil, nil, nil, picker.root), mw.win)
	d.Resize(fyne.NewSize(620, 520))
	d.Show()
	mw.win.Canvas().Focus(picker.search)
}
