// Package ui is Briefboard's window: boards of cards in lanes, the card
// editor and its annotation thread. It is the only package that imports
// Fyne.
package ui

import (
	"errors"
	"os"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"briefboard/resources"
	_ "briefboard/ui/internal/localefix"
	"briefboard/workspace"
)

// AppID is the application id, also given in FyneApp.toml: reverse DNS,
// as desktop entries, MIME associations and portals expect. The installed
// desktop entry is named after it.
const AppID = "io.github.briefboard.Briefboard"

// legacyAppID is the id Briefboard had before; its preferences are taken
// over once (settings.go).
const legacyAppID = "app.briefboard.desktop"

// Setting keys (settings.go).
const (
	prefTheme    = "theme"
	prefPaper    = "paper"
	prefName     = "analystName"
	prefInitials = "analystInitials"
)

// Paper sizes for briefs.
const (
	PaperA4     = "a4"
	PaperLetter = "letter"
)

// Run opens the main window on an open store and returns when it closes.
// The window may switch to other workspaces meanwhile; it closes whichever
// store it holds when it ends (closing a store twice is harmless).
func Run(s *workspace.Store) error {
	lowerMemory()
	a := newApp()
	mw := NewMainWindow(a, s)
	showAndRun(a, mw, func() bool { return true })
	mw.closeStore()
	return nil
}

// RunOpenError shows a window that says why the workspace in dir could not
// be opened (locked by another window, say), and lets the analyst open
// another one or quit. It returns openErr unless another workspace was
// opened instead.
func RunOpenError(dir string, openErr error) error {
	lowerMemory()
	a := newApp()
	mw := NewMainWindow(a, nil)
	mw.showOpenError(dir, openErr)
	if errors.Is(openErr, workspace.ErrPassphraseRequired) || errors.Is(openErr, workspace.ErrWrongPassphrase) {
		mw.openDir(dir)
	}
	showAndRun(a, mw, func() bool { return mw.openedAny })
	opened := mw.openedAny
	mw.closeStore()
	if opened {
		return nil
	}
	return openErr
}

// RunShareFile opens a window that asks for the passphrase of an
// encrypted share file, as a double click on the file starts Briefboard,
// then opens the file as a new workspace in it. A wrong passphrase is
// asked again; without one the window offers to open another workspace.
// It returns when the window closes.
func RunShareFile(path string) error {
	lowerMemory()
	a := newApp()
	mw := NewMainWindow(a, nil)
	OpenShareFile(mw.win, path, mw.openDir)
	showAndRun(a, mw, func() bool { return true })
	mw.closeStore()
	return nil
}

// showAndRun runs the window until the app stops. Once it has stopped,
// Fyne saves its own preferences file (Briefboard keeps nothing there),
// truncating it while Fyne's watcher of that file may read it: such a read
// logs "Preferences load error: EOF" (fyne 2.7.1). So, when the run ends
// well (done reports it), the process ends in the stopped hook, once the
// window's stores are closed, before that save. Otherwise the caller goes
// on as after any run, and reports its error.
func showAndRun(a fyne.App, mw *MainWindow, done func() bool) {
	a.Lifecycle().SetOnStopped(func() {
		mw.closeStore()
		if done() {
			os.Exit(0)
		}
	})
	mw.Window().ShowAndRun()
}

// lowerMemory has the collector run at half the default heap growth: an
// app open all day keeps a steady, smaller footprint (about 15 MB less at
// peak with a board of 2,000 cards) for a GC cost too small to notice.
func lowerMemory() {
	debug.SetGCPercent(50)
}

func newApp() fyne.App {
	a := app.NewWithID(AppID)
	if p, err := settingsPath(); err == nil {
		useSettingsFile(a, p, legacyPreferences())
	}
	a.SetIcon(fyne.NewStaticResource("briefboard.png", resources.Icon))
	applyTheme(a)
	return a
}

func applyTheme(a fyne.App) {
	a.Settings().SetTheme(newBoardTheme(settingsOf(a).StringWithFallback(prefTheme, ThemeSystem)))
}

// paper is the paper size chosen for briefs.
func paper(a fyne.App) string {
	if settingsOf(a).String(prefPaper) == PaperLetter {
		return PaperLetter
	}
	return PaperA4
}
