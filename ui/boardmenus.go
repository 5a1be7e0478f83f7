package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// addBoardDialog asks for a new board's title, purpose and marking.
func (mw *MainWindow) addBoardDialog() {
	if mw.store == nil {
		return
	}
	title := widget.NewEntry()
	title.SetPlaceHolder("For example: Territorial arrangements")
	purpose := widget.NewMultiLineEntry()
	purpose.Wrapping = fyne.TextWrapWord
	purpose.SetPlaceHolder("What this pillar covers")
	tlp := markingPicker(workspace.TLPClear, nil)
	role := rolePicker("")
	f := mw.newFormDialog("Add board", "Add board", []formRow{
		{"Title", title, "title"}, {"Purpose", purpose, "purpose"}, {"Role in the brief", role, "role"},
		{"Marking of the title, purpose and lane names", tlp, "tlp"},
	}, func() error {
		level, err := workspace.ParseTLP(tlp.Selected)
		if err != nil {
			return err
		}
		var b *workspace.Board
		_, err = mw.store.Do("Add board", func(tx *workspace.Tx) error {
			var err error
			if b, err = tx.AddBoard(title.Text, purpose.Text, workspace.DefaultLanes); err != nil {
				return err
			}
			if r := pickedRole(b.Role, role); r != b.Role {
				b.Role = r
				if err := tx.PutBoard(b); err != nil {
					return err
				}
			}
			if level != b.TLP {
				return tx.SetMarking(workspace.KeyOf(b), level)
			}
			return nil
		})
		if err == nil {
			mw.showBoard(b.ID)
		}
		return err
	})
	title.OnSubmitted = func(string) { f.trySave() }
	f.d.Show()
	mw.win.Canvas().Focus(title)
	mw.lastBoardForm = &boardForm{title: title, purpose: purpose, tlp: tlp, role: role, form: f}
}

// boardForm is the board dialog on show, for tests.
type boardForm struct {
	title, purpose *widget.Entry
	tlp            *widget.Select
	role           *widget.RadioGroup
	form           *formDialog
}

// editBoardDialog changes a board's title, purpose and marking. Picking a
// marking is a marking action, also the level the board has; one that
// would release held writes says which first.
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
	marked, released := false, false
	tlp := markingPicker(b.TLP, func(string) { marked = true })
	why := widget.NewLabel(markingWhy(mw.snap.ExplainMarking(b)))
	why.Wrapping = fyne.TextWrapWord
	why.Importance = widget.LowImportance
	if why.Text == "" {
		why.Hide()
	}
	board := b
	role := rolePicker(b.Role)
	var f *formDialog
	f = mw.newFormDialog("Edit board", "Save", []formRow{
		{"Title", title, "title"}, {"Purpose", purpose, "purpose"}, {"Role in the brief", role, "role"},
		{"Marking of the title, purpose and lane names", container.NewVBox(tlp, why), "tlp"},
	}, func() error {
		level, err := workspace.ParseTLP(tlp.Selected)
		if err != nil {
			return err
		}
		if marked && !released && len(mw.snap.ExplainMarking(board).Conflicts()) > 0 {
			askRelease(mw.win, mw.snap, board, level, func() {
				released = true
				f.trySave()
			}, nil)
			return &workspace.ValidationError{Field: "tlp", Reason: "confirm what setting the marking releases"}
		}
		_, err = mw.store.Do("Edit board", func(tx *workspace.Tx) error {
			cur, err := tx.Board(id)
			if err != nil {
				return err
			}
			cur.Title, cur.Purpose = strings.TrimSpace(title.Text), purpose.Text
			cur.Role = pickedRole(cur.Role, role)
			if err := tx.PutBoard(cur); err != nil {
				return err
			}
			if marked {
				return tx.SetMarking(workspace.KeyOf(cur), level)
			}
			return nil
		})
		return err
	})
	title.OnSubmitted = func(string) { f.trySave() }
	f.d.Show()
	mw.lastBoardForm = &boardForm{title: title, purpose: purpose, tlp: tlp, role: role, form: f}
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

// moveLane moves a lane one place left (-1) or right (+1) on its board,
// as one action.
func (mw *MainWindow) moveLane(id string, delta int) {
	mw.act(func() error { return mw.store.MoveLane(id, delta) })
}

// moveBoard moves a board one place up (-1) or down (+1) in the sidebar,
// as one action.
func (mw *MainWindow) moveBoard(id string, delta int) {
	mw.act(func() error { return mw.store.MoveBoard(id, delta) })
}
