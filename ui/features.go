package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"briefboard/workspace"
)

// installFeatures puts the entries of export, share, import and the
// conflicts view into the toolbar and the Workspace menu.
func (mw *MainWindow) installFeatures() {
	// with runs a feature on the open workspace, after storing pending
	// typing so the feature sees it.
	with := func(fn func()) func() {
		return func() {
			if mw.store == nil {
				return
			}
			mw.flushEdits()
			fn()
		}
	}
	// What an import or a canvas import changes reaches the window as
	// its journal entry, like every action.
	var refreshed func()
	pdf := with(mw.showExportPDF)
	share := with(func() { ShowShare(mw.win, mw.store) })
	imp := with(func() { ShowImport(mw.win, mw.store, refreshed) })
	mw.toolbar.addFeature("Export PDF", theme.DocumentPrintIcon(), pdf)
	mw.toolbar.addFeature("Share", theme.MailSendIcon(), share)
	mw.toolbar.addFeature("Import", theme.DownloadIcon(), imp)
	for _, it := range []*fyne.MenuItem{
		item("Export PDF brief…", key(fyne.KeyE, ctrl), pdf),
		item("Share…", key(fyne.KeyS, ctrl|shift), share),
		item("Import and merge a share file…", key(fyne.KeyI, ctrl|shift), imp),
		item("Open a share file as a new workspace…", nil, mw.openShareFileDialog),
		item("Import JSON Canvas…", nil, with(func() { ShowCanvasImport(mw.win, mw.store, refreshed) })),
		item("Export JSON Canvas…", nil, with(func() { ShowCanvasExport(mw.win, mw.store) })),
		item("Resolve conflicts…", nil, mw.showConflictsAction),
	} {
		mw.menu.addFeature(it)
	}
	mw.installRounds()
	mw.menu.rebuild()
}

// showConflictsAction opens the view of changes from colleagues that
// conflict.
func (mw *MainWindow) showConflictsAction() {
	if mw.store == nil {
		return
	}
	mw.flushEdits()
	ShowConflicts(mw.win, mw.store, nil)
}

// openShareFileDialog picks a colleague's share file and opens it as a
// workspace of its own in this window.
func (mw *MainWindow) openShareFileDialog() {
	showOpenPath(mw.win, "Open a share file as a new workspace", "Open", []string{workspace.ShareExt}, false, func(path string) {
		OpenShareFile(mw.win, path, mw.openDir)
	})
}
