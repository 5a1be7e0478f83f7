package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// shortcutLines are the keys of the window, for the help dialog and the
// README.
var shortcutLines = [][2]string{
	{"Ctrl+N", "New card"},
	{"Ctrl+F", "Find (live filter)"},
	{"Ctrl+Shift+F", "Find with filters: lane, tag, party and stance, TLP, author"},
	{"Escape", "Close the find bar; clear the selection; in a field: leave it, keeping what was typed"},
	{"Tab / Shift+Tab", "Next / previous field, also out of a body"},
	{"Ctrl+Tab", "A tab character in a body or an annotation"},
	{"Arrow keys", "Select the card above, below, left or right"},
	{"Enter", "Edit the selected card's title (in the title: store it)"},
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
	{"Ctrl+D", "Show or hide the detail pane"},
	{"Ctrl+Shift+K", "Show or hide the tradecraft checks"},
	{"Ctrl+- / Ctrl+=", "Narrower / wider lanes"},
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
	settingsOf(mw.app).SetString(prefTheme, mode)
	applyTheme(mw.app)
	mw.redraw()
	mw.menu.updateView()
}
