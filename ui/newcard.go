package ui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// newCardDialog asks for a new card's title (and lane, kind, marking) on
// the board shown, in the selected card's lane or the first lane.
func (mw *MainWindow) newCardDialog() {
	b := mw.targetBoard()
	if b == nil {
		return
	}
	lane := ""
	if c := mw.snap.Cards[mw.selected]; c != nil && c.Board == b.ID {
		lane = c.Lane
	}
	mw.newCardDialogIn(b.ID, lane)
}

// NewCardDialog is the dialog the New card button opens; tests drive it.
type NewCardDialog struct {
	Title *lineEntry
	Lane  *widget.Select
	Kind  *widget.Select
	TLP   *widget.Select
	form  *formDialog
}

// Submit adds the card as if Add card were pressed.
func (n *NewCardDialog) Submit() { n.form.trySave() }

// newCardDialogIn opens the new card dialog for a board and lane.
func (mw *MainWindow) newCardDialogIn(board, lane string) *NewCardDialog {
	if mw.store == nil {
		return nil
	}
	mw.flushEdits()
	n := &NewCardDialog{}
	// Typing stops at the limit: a title pasted whole from a document
	// cannot grow the field past what can be stored.
	n.Title = newLineEntry(workspace.MaxTitle)
	n.Title.SetPlaceHolder("What the card says, in a line")
	lanes := mw.snap.Lanes[board]
	n.Lane = widget.NewSelect(nil, nil)
	for _, l := range lanes {
		n.Lane.Options = append(n.Lane.Options, l.Name)
	}
	n.Lane.SetSelectedIndex(0)
	for i, l := range lanes {
		if l.ID == lane {
			n.Lane.SetSelectedIndex(i)
		}
	}
	n.Kind = widget.NewSelect(nil, nil)
	for _, k := range workspace.Kinds {
		n.Kind.Options = append(n.Kind.Options, kindLabels[k])
	}
	n.Kind.SetSelectedIndex(0)
	n.TLP = widget.NewSelect(nil, nil)
	for _, t := range workspace.TLPLevels {
		n.TLP.Options = append(n.TLP.Options, t.String())
	}
	n.TLP.SetSelected(mw.snap.Meta.DefaultTLP.String())
	boardTitle := mw.snap.Board(board).Title
	save := func() error {
		d := workspace.CardDraft{Board: board, Title: n.Title.Text}
		if i := n.Lane.SelectedIndex(); i >= 0 && i < len(lanes) {
			d.Lane = lanes[i].ID
		}
		if i := n.Kind.SelectedIndex(); i >= 0 {
			d.Kind = workspace.Kinds[i]
		}
		if t, err := workspace.ParseTLP(n.TLP.Selected); err == nil {
			d.TLP = &t
		}
		c, err := mw.store.AddCard(d)
		if err != nil {
			return err
		}
		mw.selectCard(c.ID)
		return nil
	}
	n.form = mw.newFormDialog("New card on "+boardTitle, "Add card", []formRow{
		{"Title", n.Title, "title"},
		{"", container.NewGridWithColumns(3,
			container.NewVBox(label("Lane"), n.Lane),
			container.NewVBox(label("Kind"), n.Kind),
			container.NewVBox(label("Marking"), n.TLP)), "lane"},
	}, save)
	n.Title.OnSubmitted = func(string) { n.form.trySave() }
	n.form.d.Show()
	mw.win.Canvas().Focus(n.Title)
	mw.lastNewCard = n
	return n
}
