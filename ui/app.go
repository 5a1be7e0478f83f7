// Package ui is Briefboard's window: boards of cards in lanes, the card
// editor and its annotation thread. It is the only package that imports
// Fyne.
package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"briefboard/resources"
	_ "briefboard/ui/internal/localefix"
	"briefboard/workspace"
)

// AppID is the application id, also given in FyneApp.toml.
const AppID = "app.briefboard.desktop"

// Run opens the main window on an open store and returns when it closes.
func Run(s *workspace.Store) error {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("briefboard.png", resources.Icon))
	w, err := NewMainWindow(a, s)
	if err != nil {
		return err
	}
	w.ShowAndRun()
	return nil
}

// NewMainWindow builds the main window of a workspace.
func NewMainWindow(a fyne.App, s *workspace.Store) (fyne.Window, error) {
	snap, err := s.Snapshot()
	if err != nil {
		return nil, err
	}
	w := a.NewWindow("Briefboard — " + snap.Meta.Title)
	tabs := container.NewAppTabs()
	for _, b := range snap.Boards {
		var lanes []fyne.CanvasObject
		for _, l := range snap.Lanes[b.ID] {
			box := container.NewVBox(widget.NewLabelWithStyle(l.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
			for _, c := range snap.LaneCards[l.ID] {
				lbl := widget.NewLabel(fmt.Sprintf("%s\n%s", c.TLP, c.Title))
				lbl.Wrapping = fyne.TextWrapWord
				box.Add(widget.NewCard("", "", lbl))
			}
			lanes = append(lanes, container.NewVScroll(box))
		}
		tabs.Append(container.NewTabItem(b.Title, container.NewGridWithColumns(max(1, len(lanes)), lanes...)))
	}
	w.SetContent(tabs)
	w.Resize(fyne.NewSize(1200, 760))
	return w, nil
}
