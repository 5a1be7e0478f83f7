package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

const noPosition = "No position recorded"

// positionsEditor sets each party's stance on the card, with a note.
type positionsEditor struct {
	mw       *MainWindow
	root     fyne.CanvasObject
	rows     *fyne.Container
	parties  []string
	byParty  map[string]*positionRow
	scroll   *container.Scroll
	empty    *widget.Label
	emptyBox fyne.CanvasObject
}

type positionRow struct {
	party  string
	dot    *canvas.Circle
	stance *widget.Select
	note   *fieldEntry
	err    *widget.Label
	root   fyne.CanvasObject
}

func newPositionsEditor(mw *MainWindow) *positionsEditor {
	e := &positionsEditor{mw: mw, byParty: map[string]*positionRow{}}
	e.rows = container.NewVBox()
	e.empty = widget.NewLabel("The workspace lists no parties.")
	e.empty.Importance = widget.LowImportance
	// The hint is hidden with its colour wrapper, so it leaves no band.
	e.emptyBox = soft(e.empty)
	e.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(e.emptyBox, e.rows)))
	e.root = e.scroll
	return e
}

func (e *positionsEditor) flush() {
	for _, r := range e.byParty {
		r.note.Flush()
	}
}

func stanceOptions() []string {
	out := []string{noPosition}
	for _, s := range workspace.Stances {
		out = append(out, s.Label())
	}
	return out
}

func (e *positionsEditor) bind(c *workspace.Card, fresh bool) {
	parties := e.mw.snap.Meta.Parties
	ids := make([]string, len(parties))
	for i, p := range parties {
		ids[i] = p.ID
	}
	if !equalStrings(ids, e.parties) {
		e.parties = ids
		e.byParty = map[string]*positionRow{}
		e.rows.Objects = nil
		for _, p := range parties {
			r := e.newRow(p)
			e.byParty[p.ID] = r
			e.rows.Objects = append(e.rows.Objects, r.root)
		}
		e.rows.Refresh()
		fresh = true
	}
	if setShown(e.emptyBox, len(parties) == 0) {
		relayout(e.rows)
	}
	if fresh {
		// Another card's positions start at the top.
		e.scroll.ScrollToTop()
	}
	for _, p := range parties {
		r := e.byParty[p.ID]
		pos, ok := c.Positions[p.ID]
		if ok {
			setSelected(r.stance, pos.Stance.Label())
			r.dot.FillColor = stanceColor(pos.Stance)
			r.dot.StrokeColor = stanceColor(pos.Stance)
			r.note.Enable()
		} else {
			setSelected(r.stance, noPosition)
			r.dot.FillColor = color.Transparent
			r.dot.StrokeColor = themeColor(colorNameCardBorder)
			r.note.Disable()
		}
		r.dot.Refresh()
		if fresh {
			r.note.reset(pos.Note)
			setFieldError(r.err, nil)
		} else {
			r.note.setValue(pos.Note)
		}
	}
}

func (e *positionsEditor) newRow(p workspace.Party) *positionRow {
	r := &positionRow{party: p.ID}
	r.dot = canvas.NewCircle(color.Transparent)
	r.dot.StrokeWidth = 2
	dotBox := container.NewGridWrap(fyne.NewSize(14, 14), r.dot)
	name := p.Name
	if p.Short != "" {
		name = fmt.Sprintf("%s (%s)", p.Name, p.Short)
	}
	title := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.err = fieldError()
	party := p.ID
	r.stance = widget.NewSelect(stanceOptions(), func(string) {
		i := r.stance.SelectedIndex()
		err := e.mw.detail.update("Set position", func(c *workspace.Card) error {
			if i <= 0 {
				delete(c.Positions, party)
				return nil
			}
			if c.Positions == nil {
				c.Positions = map[string]workspace.Position{}
			}
			pos := c.Positions[party]
			pos.Stance = workspace.Stances[i-1]
			c.Positions[party] = pos
			return nil
		})
		setFieldError(r.err, err)
	})
	r.note = newFieldEntry(true, func(text string) error {
		return e.mw.detail.update("Edit position note", func(c *workspace.Card) error {
			pos, ok := c.Positions[party]
			if !ok {
				return fmt.Errorf("choose a stance before writing a note")
			}
			pos.Note = text
			c.Positions[party] = pos
			return nil
		})
	})
	r.note.SetMinRowsVisible(2)
	r.note.SetPlaceHolder("Note: what the party said, where, with what conditions")
	head := container.NewBorder(nil, nil, container.NewCenter(dotBox), nil, title)
	r.root = container.NewVBox(head, r.stance, r.note.withError(), r.err, widget.NewSeparator())
	return r
}
