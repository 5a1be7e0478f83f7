package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// formDialog is a modal form whose Save keeps it open while the store
// refuses a value, with the reason under the field it concerns.
type formDialog struct {
	d      dialog.Dialog
	errs   map[string]*widget.Label
	save   func() error
	submit *widget.Button
}

// newFormDialog shows rows (label, field, error key) and a confirm button.
// save returns a validation error to keep the dialog open.
func (mw *MainWindow) newFormDialog(title, confirm string, rows []formRow, save func() error) *formDialog {
	f := &formDialog{errs: map[string]*widget.Label{"": fieldError()}, save: save}
	box := container.NewVBox()
	for _, r := range rows {
		if r.label != "" {
			box.Add(label(r.label))
		}
		box.Add(r.field)
		if r.err != "" {
			l := fieldError()
			f.errs[r.err] = l
			box.Add(l)
		}
	}
	box.Add(f.errs[""])
	f.submit = widget.NewButtonWithIcon(confirm, theme.ConfirmIcon(), f.trySave)
	f.submit.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { f.d.Hide() })
	content := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, f.submit), nil, nil, box)
	f.d = dialog.NewCustomWithoutButtons(title, content, mw.win)
	f.d.Resize(fyne.NewSize(480, content.MinSize().Height+80))
	return f
}

type formRow struct {
	label string
	field fyne.CanvasObject
	err   string
}

func (f *formDialog) trySave() {
	for _, l := range f.errs {
		setFieldError(l, nil)
	}
	err := f.save()
	if err == nil {
		f.d.Hide()
		return
	}
	l := f.errs[workspace.FieldOf(err)]
	if l == nil {
		l = f.errs[""]
	}
	setFieldError(l, err)
}

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
	Title *widget.Entry
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
	n.Title = widget.NewEntry()
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

// addBoardDialog asks for a new board's title and purpose.
func (mw *MainWindow) addBoardDialog() {
	if mw.store == nil {
		return
	}
	title := widget.NewEntry()
	title.SetPlaceHolder("For example: Territorial arrangements")
	purpose := widget.NewMultiLineEntry()
	purpose.Wrapping = fyne.TextWrapWord
	purpose.SetPlaceHolder("What this pillar covers")
	f := mw.newFormDialog("Add board", "Add board", []formRow{
		{"Title", title, "title"}, {"Purpose", purpose, "purpose"},
	}, func() error {
		b, err := mw.store.AddBoard(title.Text, purpose.Text)
		if err == nil {
			mw.showBoard(b.ID)
		}
		return err
	})
	title.OnSubmitted = func(string) { f.trySave() }
	f.d.Show()
	mw.win.Canvas().Focus(title)
}

// editBoardDialog changes a board's title and purpose.
func (mw *MainWindow) editBoardDialog(id string) {
	b := mw.snap.Board(id)
	if b == nil {
		return
	}
	title := widget.NewEntry()
	title.SetText(b.Title)
	purpose := widget.NewMultiLineEntry()
	purpose.Wrapping = fyne.TextWrapWord
	purpose.SetText(b.Purpose)
	f := mw.newFormDialog("Edit board", "Save", []formRow{
		{"Title", title, "title"}, {"Purpose", purpose, "purpose"},
	}, func() error {
		return mw.store.UpdateBoard(id, func(b *workspace.Board) error {
			b.Title, b.Purpose = strings.TrimSpace(title.Text), purpose.Text
			return nil
		})
	})
	title.OnSubmitted = func(string) { f.trySave() }
	f.d.Show()
}

// deleteBoardDialog deletes a board and its cards after asking; Undo
// brings them back.
func (mw *MainWindow) deleteBoardDialog(id string) {
	b := mw.snap.Board(id)
	if b == nil {
		return
	}
	n := len(mw.snap.BoardCards(id))
	msg := fmt.Sprintf("Delete the board %q and its %d cards?\nUndo (Ctrl+Z) brings them back.", b.Title, n)
	dialog.ShowConfirm("Delete board", msg, func(ok bool) {
		if ok {
			mw.act(func() error { return mw.store.DeleteBoard(id) })
		}
	}, mw.win)
}

// addLaneDialog asks for a new lane's name.
func (mw *MainWindow) addLaneDialog(board string) {
	name := widget.NewEntry()
	name.SetPlaceHolder("For example: Parked")
	f := mw.newFormDialog("Add lane", "Add lane", []formRow{{"Name", name, "name"}}, func() error {
		_, err := mw.store.AddLane(board, name.Text)
		return err
	})
	name.OnSubmitted = func(string) { f.trySave() }
	f.d.Show()
	mw.win.Canvas().Focus(name)
}

// laneMenu is the menu of a lane's header.
func (mw *MainWindow) laneMenu(l *workspace.Lane, at fyne.Position) {
	if l == nil || l.ID == "" {
		return
	}
	lane := *l
	m := fyne.NewMenu("",
		fyne.NewMenuItem("Add card here…", func() { mw.newCardDialogIn(lane.Board, lane.ID) }),
		fyne.NewMenuItem("Rename lane…", func() {
			name := widget.NewEntry()
			name.SetText(lane.Name)
			f := mw.newFormDialog("Rename lane", "Rename", []formRow{{"Name", name, "name"}}, func() error {
				return mw.store.RenameLane(lane.ID, name.Text)
			})
			name.OnSubmitted = func(string) { f.trySave() }
			f.d.Show()
			mw.win.Canvas().Focus(name)
		}),
		fyne.NewMenuItem("Add lane…", func() { mw.addLaneDialog(lane.Board) }),
		fyne.NewMenuItem("Move lane left", func() { mw.moveLane(lane.ID, -1) }),
		fyne.NewMenuItem("Move lane right", func() { mw.moveLane(lane.ID, 1) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Delete lane", func() { mw.act(func() error { return mw.store.DeleteLane(lane.ID) }) }),
	)
	widget.ShowPopUpMenuAtPosition(m, mw.win.Canvas(), at)
}

// boardMenu is the menu of a board in the sidebar.
func (mw *MainWindow) boardMenu(id string, at fyne.Position) {
	m := fyne.NewMenu("",
		fyne.NewMenuItem("Open", func() { mw.showBoard(id) }),
		fyne.NewMenuItem("Edit board…", func() { mw.editBoardDialog(id) }),
		fyne.NewMenuItem("Add lane…", func() { mw.addLaneDialog(id) }),
		fyne.NewMenuItem("Move board up", func() { mw.moveBoard(id, -1) }),
		fyne.NewMenuItem("Move board down", func() { mw.moveBoard(id, 1) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Delete board…", func() { mw.deleteBoardDialog(id) }),
	)
	widget.ShowPopUpMenuAtPosition(m, mw.win.Canvas(), at)
}

// shortcutLines are the keys of the window, for the help dialog and the
// README.
var shortcutLines = [][2]string{
	{"Ctrl+N", "New card"},
	{"Ctrl+F", "Find (live filter)"},
	{"Ctrl+Shift+F", "Find with filters: lane, tag, party and stance, TLP, author"},
	{"Escape", "Close the find bar; clear the selection"},
	{"Arrow keys", "Select the card above, below, left or right"},
	{"Enter", "Edit the selected card's title"},
	{"Alt+Up / Alt+Down", "Move the card up or down its lane"},
	{"Alt+Left / Alt+Right", "Move the card to the previous or next lane"},
	{"Alt+Page Up / Alt+Page Down", "Move the card to the previous or next board"},
	{"Delete", "Delete the selected card (Undo brings it back)"},
	{"F10", "Menu of the selected card: move to a lane or board, delete"},
	{"Ctrl+Shift+M", "Add an annotation to the selected card"},
	{"Ctrl+Shift+L", "Link the selected card to another"},
	{"Ctrl+Enter", "Add the annotation being written"},
	{"Ctrl+Z", "Undo (in a text field: undo typing)"},
	{"Ctrl+Shift+Z, Ctrl+Y", "Redo"},
	{"Ctrl+0", "Overview of all pillars"},
	{"Ctrl+1 … Ctrl+9", "Show board 1 to 9"},
	{"Ctrl+O", "Open a workspace"},
	{"Ctrl+Shift+N", "New workspace from a template"},
	{"Ctrl+,", "Preferences"},
	{"F1", "This list"},
	{"Ctrl+Q", "Quit"},
}

func (mw *MainWindow) shortcutsDialog() {
	grid := container.NewGridWithColumns(2)
	for _, l := range shortcutLines {
		grid.Add(widget.NewLabelWithStyle(l[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(l[1]))
	}
	intro := widget.NewLabel("Every change is stored at once: there is nothing to save. A card can also be dragged between lanes, onto a board in the sidebar, or between columns of the overview.")
	intro.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.NewVScroll(container.NewVBox(intro, grid)), mw.win)
	d.Resize(fyne.NewSize(720, 640))
	d.Show()
}

func (mw *MainWindow) aboutDialog() {
	v := mw.app.Metadata().Version
	if v == "" {
		v = "development build"
	}
	dialog.ShowInformation("About Briefboard",
		"Briefboard "+v+"\n\nBoards of annotated cards for turning a negotiation into a brief, offline.\nYour work stays on this computer; share files are made only when you ask.", mw.win)
}

// setTheme applies and remembers the theme.
func (mw *MainWindow) setTheme(mode string) {
	mw.app.Preferences().SetString(prefTheme, mode)
	applyTheme(mw.app)
	mw.redraw()
}

// moveLane moves a lane one place left (-1) or right (+1) on its board,
// as one action.
func (mw *MainWindow) moveLane(id string, delta int) {
	mw.act(func() error {
		_, err := mw.store.Do("Move lane", func(tx *workspace.Tx) error {
			l, err := tx.Lane(id)
			if err != nil {
				return err
			}
			lanes, err := tx.Lanes(l.Board)
			if err != nil {
				return err
			}
			orders := make([]string, len(lanes))
			at := -1
			for i, x := range lanes {
				orders[i] = x.Order
				if x.ID == id {
					at = i
				}
			}
			key, ok, err := shiftKey(orders, at, delta)
			if err != nil || !ok {
				return err
			}
			l.Order = key
			return tx.PutLane(l)
		})
		return err
	})
}

// moveBoard moves a board one place up (-1) or down (+1) in the sidebar,
// as one action.
func (mw *MainWindow) moveBoard(id string, delta int) {
	mw.act(func() error {
		_, err := mw.store.Do("Move board", func(tx *workspace.Tx) error {
			boards, err := tx.Boards()
			if err != nil {
				return err
			}
			orders := make([]string, len(boards))
			at := -1
			for i, b := range boards {
				orders[i] = b.Order
				if b.ID == id {
					at = i
				}
			}
			key, ok, err := shiftKey(orders, at, delta)
			if err != nil || !ok {
				return err
			}
			b := boards[at]
			b.Order = key
			return tx.PutBoard(b)
		})
		return err
	})
}

// shiftKey is the order key that moves item at one place by delta among
// orders (sorted keys), or false when it cannot move further.
func shiftKey(orders []string, at, delta int) (string, bool, error) {
	to := at + delta
	if at < 0 || to < 0 || to >= len(orders) {
		return "", false, nil
	}
	var lo, hi string
	if delta < 0 {
		hi = orders[to]
		if to > 0 {
			lo = orders[to-1]
		}
	} else {
		lo = orders[to]
		if to+1 < len(orders) {
			hi = orders[to+1]
		}
	}
	key, err := workspace.KeyBetween(lo, hi)
	if err != nil {
		return "", false, err
	}
	return key, true, nil
}
