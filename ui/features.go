package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
)

// installFeatures puts the entries of export, share and import into the
// toolbar and the Workspace menu.
func (mw *MainWindow) installFeatures() {
	pdf := func() {
		if mw.store == nil {
			return
		}
		mw.flushEdits()
		ShowExportPDF(mw.win, mw.store, paper(mw.app))
	}
	mw.toolbar.addFeature("Export PDF", theme.DocumentPrintIcon(), pdf)
	mw.menu.addFeature(item("Export PDF brief…", key(fyne.KeyE, ctrl), pdf))
	mw.menu.rebuild()
}

// showConflictsAction lists the cards whose changes from colleagues
// conflict.
func (mw *MainWindow) showConflictsAction() {
	if mw.snap == nil {
		return
	}
	var titles []string
	for _, c := range mw.snap.Cards {
		if len(c.Conflicts) > 0 {
			titles = append(titles, "• "+c.Title)
		}
	}
	dialog.ShowInformation("Conflicting changes",
		fmt.Sprintf("%d records have changes from colleagues that conflict.\n%s", mw.snap.Conflicts, strings.Join(titles, "\n")), mw.win)
}
