package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// toolbar is the row of frequent actions at the top of the window. Its
// buttons carry words as well as icons: an analyst should not have to
// guess what an icon does.
type toolbar struct {
	root      *fyne.Container
	newCard   *widget.Button
	find      *widget.Button
	filter    *widget.Button
	undo      *widget.Button
	redo      *widget.Button
	overview  *widget.Button
	features  *fyne.Container
	conflicts *widget.Button
}

func newToolbar(mw *MainWindow) *toolbar {
	tb := &toolbar{}
	btn := func(label string, icon fyne.Resource, fn func()) *widget.Button {
		b := widget.NewButtonWithIcon(label, icon, fn)
		b.Importance = widget.LowImportance
		return b
	}
	tb.newCard = btn("New card", theme.ContentAddIcon(), mw.newCardDialog)
	tb.newCard.Importance = widget.HighImportance
	tb.find = btn("Find", theme.SearchIcon(), func() { mw.find.open(false) })
	tb.filter = btn("Filter", theme.ListIcon(), func() { mw.find.open(true) })
	tb.undo = btn("Undo", theme.ContentUndoIcon(), mw.undo)
	tb.redo = btn("Redo", theme.ContentRedoIcon(), mw.redo)
	tb.overview = btn("Overview", theme.GridIcon(), func() {
		if mw.view == viewOverview {
			if mw.boardID == "" && mw.snap != nil && len(mw.snap.Boards) > 0 {
				mw.boardID = mw.snap.Boards[0].ID
			}
			mw.showBoard(mw.boardID)
		} else {
			mw.showOverview()
		}
	})
	tb.features = container.NewHBox()
	tb.conflicts = btn("", theme.WarningIcon(), mw.showConflictsAction)
	tb.conflicts.Importance = widget.WarningImportance
	tb.conflicts.Hide()
	sep := func() fyne.CanvasObject {
		r := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
		r.SetMinSize(fyne.NewSize(1, 20))
		return container.NewCenter(r)
	}
	row := container.NewHBox(tb.newCard, sep(), tb.find, tb.filter, sep(), tb.undo, tb.redo, sep(),
		tb.overview, sep(), tb.features, layout.NewSpacer(), tb.conflicts)
	tb.root = container.NewVBox(container.NewPadded(row), widget.NewSeparator())
	return tb
}

// addFeature puts a button for a feature (export, share, import) into the
// toolbar.
func (tb *toolbar) addFeature(label string, icon fyne.Resource, fn func()) *widget.Button {
	b := widget.NewButtonWithIcon(label, icon, fn)
	b.Importance = widget.LowImportance
	tb.features.Add(b)
	return b
}

// updateToolbar reflects the workspace state: undo/redo availability,
// conflicts, and which view is shown.
func (mw *MainWindow) updateToolbar(undoLabel, redoLabel string) {
	tb := mw.toolbar
	setEnabled(tb.undo, undoLabel != "")
	setEnabled(tb.redo, redoLabel != "")
	if mw.view == viewOverview {
		tb.overview.SetText("Board")
		tb.overview.SetIcon(boardIconThemed())
	} else {
		tb.overview.SetText("Overview")
		tb.overview.SetIcon(theme.GridIcon())
	}
	conflicts := 0
	if mw.snap != nil {
		// Records with competing values, and with marking conflicts.
		conflicts = mw.snap.Conflicts + len(mw.snap.MarkingConflicts())
	}
	if conflicts > 0 {
		tb.conflicts.SetText(fmt.Sprintf("%d to resolve", conflicts))
		tb.conflicts.Show()
	} else {
		tb.conflicts.Hide()
	}
	on := mw.store != nil
	setEnabled(tb.newCard, on && mw.snap != nil && len(mw.snap.Boards) > 0)
	setEnabled(tb.find, on)
	setEnabled(tb.filter, on)
	setEnabled(tb.overview, on)
}

func setEnabled(w fyne.Disableable, on bool) {
	if on && w.Disabled() {
		w.Enable()
	} else if !on && !w.Disabled() {
		w.Disable()
	}
}

func boardIconThemed() fyne.Resource { return theme.NewThemedResource(boardIcon) }
