package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// Views of the centre of the window.
const (
	viewBoard    = "board"
	viewOverview = "overview"
	viewStray    = "stray"
)

// MainWindow is the window on one workspace: toolbar, sidebar of boards
// and parties, the selected board (or the overview) and the detail pane of
// the selected card. Every change goes through the store at once; the
// window redraws from a fresh snapshot after each.
type MainWindow struct {
	app   fyne.App
	win   fyne.Window
	store *workspace.Store
	snap  *workspace.Snapshot
	// index is built while the find bar is open.
	index *workspace.Index

	view     string
	boardID  string
	selected string

	toolbar  *toolbar
	sidebar  *sidebar
	board    *boardView
	overview *overviewView
	detail   *detailPane
	find     *findBar
	status   *statusBar
	menu     *mainMenu
	centre   *fyne.Container
	panes    *panes
	body     fyne.CanvasObject
	layer    *fyne.Container
	drag     *dragState

	// the page shown when no workspace is open
	emptyPage *fyne.Container

	lastEntry *workspace.Entry
	// revealPending scrolls to the selected card after the next reload.
	revealPending bool
	openedAny     bool
	// openErrorText says why a workspace did not open, on the empty page.
	openErrorText string
	// lastNewCard is the last new-card dialog opened, for tests.
	lastNewCard *NewCardDialog
	// lastPicker is the last searchable picker opened, for tests.
	lastPicker *picker
	// lastPassEntry is the field of the last passphrase asked, for tests.
	lastPassEntry *widget.Entry

	// laneWidth is the narrowest a lane of the board or a column of the
	// overview gets; detailHidden says the analyst hid the detail pane.
	laneWidth    float32
	detailHidden bool

	reloadMu sync.Mutex

	// stopChanges stops the store's calls to this window.

	stopChanges   func()
	reloadPending bool
}

// NewMainWindow builds the main window of a workspace; with a nil store it
// shows a page for opening one.
func NewMainWindow(a fyne.App, s *workspace.Store) *MainWindow {
	mw := &MainWindow{app: a, view: viewBoard}
	mw.win = a.NewWindow("Briefboard")
	mw.loadLayout()
	mw.build()
	mw.win.Resize(fyne.NewSize(1280, 800))
	mw.win.SetCloseIntercept(func() {
		mw.flushEdits()
		mw.win.Close()
	})
	mw.win.SetOnClosed(mw.flushEdits)
	if s != nil {
		mw.setStore(s)
	} else {
		mw.showEmpty()
	}
	return mw
}

// Window is the Fyne window.
func (mw *MainWindow) Window() fyne.Window { return mw.win }

// Store is the open workspace, or nil.
func (mw *MainWindow) Store() *workspace.Store { return mw.store }

func (mw *MainWindow) build() {
	mw.toolbar = newToolbar(mw)
	mw.sidebar = newSidebar(mw)
	mw.board = newBoardView(mw)
	mw.overview = newOverviewView(mw)
	mw.detail = newDetailPane(mw)
	mw.find = newFindBar(mw)
	mw.status = newStatusBar()
	mw.centre = container.NewStack(mw.board.root)
	centre := container.NewBorder(mw.find.root, nil, nil, nil, mw.centre)
	mw.panes = mw.buildPanes(centre)
	mw.body = container.NewBorder(mw.toolbar.root, mw.status.root, nil, nil, mw.panes.root)
	mw.layer = container.NewWithoutLayout()
	mw.emptyPage = container.NewStack()
	mw.emptyPage.Hide()
	mw.win.SetContent(container.NewStack(mw.body, mw.emptyPage, mw.layer))
	mw.menu = newMainMenu(mw)
	mw.installFeatures()
	mw.installShortcuts()
}

// setStore shows a newly opened workspace. The store's lock is the
// window's until the store is replaced or the window closes.
func (mw *MainWindow) setStore(s *workspace.Store) {
	if mw.stopChanges != nil {
		mw.stopChanges()
	}
	mw.store = s
	mw.openedAny = true
	mw.index = nil
	mw.selected = ""
	mw.boardID = ""
	mw.view = viewBoard
	mw.lastEntry = nil
	mw.detail.bind(nil)
	mw.find.clear()
	mw.adoptProfile()
	mw.stopChanges = s.OnChange(func(e *workspace.Entry) {
		mw.reloadMu.Lock()
		queued := mw.reloadPending
		mw.reloadPending = true
		mw.reloadMu.Unlock()
		fyne.Do(func() {
			mw.reloadMu.Lock()
			mw.reloadPending = false
			mw.reloadMu.Unlock()
			if mw.store != s {
				return
			}
			mw.lastEntry = e
			if !queued {
				mw.reload()
			} else if mw.snap != nil {
				mw.updateStatus()
			}
		})
	})
	mw.openErrorText = ""
	mw.emptyPage.Hide()
	mw.body.Show()
	mw.reload()
	if len(mw.snap.Boards) > 0 {
		mw.showBoard(mw.snap.Boards[0].ID)
	}
	mw.menu.rebuild()
}

// adoptProfile gives a workspace copy without an analyst profile the name
// and initials from the preferences, so the analyst's work is signed.
func (mw *MainWindow) adoptProfile() {
	p, err := mw.store.Profile()
	if err != nil || p.Name != "" {
		return
	}
	name := settingsOf(mw.app).String(prefName)
	if name == "" {
		return
	}
	_ = mw.store.SetProfile(workspace.Profile{Name: name, Initials: settingsOf(mw.app).String(prefInitials)})
}

// closeStore releases the open workspace, if any.
func (mw *MainWindow) closeStore() {
	if mw.store != nil {
		mw.flushEdits()
		if mw.stopChanges != nil {
			mw.stopChanges()
			mw.stopChanges = nil
		}
		mw.store.Close()
	}
}

// reload reads a fresh snapshot and redraws every part from it.
func (mw *MainWindow) reload() {
	if mw.store == nil {
		return
	}
	snap, err := mw.store.Snapshot()
	if err != nil {
		mw.showError(fmt.Errorf("read the workspace: %w", err))
		return
	}
	mw.snap = snap
	if mw.find.active() {
		mw.index = workspace.NewIndex(snap)
		mw.find.apply()
	} else {
		mw.index = nil
	}
	if mw.view == viewBoard && snap.Board(mw.boardID) == nil {
		mw.boardID = ""
		if len(snap.Boards) > 0 {
			mw.boardID = snap.Boards[0].ID
		}
	}
	if mw.selected != "" && snap.Cards[mw.selected] == nil {
		mw.selected = ""
	}
	mw.win.SetTitle(workspace.Printable(snap.Meta.Title) + " — Briefboard")
	mw.redraw()
	if mw.revealPending {
		mw.revealPending = false
		mw.revealSelected()
	}
}

// redraw updates every part from the current snapshot and filter.
func (mw *MainWindow) redraw() {
	snap := mw.snap
	if snap == nil {
		return
	}
	mw.sidebar.update()
	switch mw.view {
	case viewOverview:
		mw.overview.update()
	default:
		mw.board.update()
	}
	mw.detail.bind(snap.Cards[mw.selected])
	mw.menu.updateLabels()
	mw.updateStatus()
}

func (mw *MainWindow) updateStatus() {
	snap := mw.snap
	left := tildePath(mw.store.Dir())
	count := fmt.Sprintf("%d cards in %d boards", len(snap.Cards), len(snap.Boards))
	if m := mw.find.matchCount(); m >= 0 {
		count = fmt.Sprintf("%d of %d cards match", m, len(snap.Cards))
	}
	saved := "All changes saved"
	if e := mw.lastEntry; e != nil {
		saved = fmt.Sprintf("Saved: %s, %s", lowerFirst(e.Action), e.At.Local().Format("15:04:05"))
	}
	who := snap.Profile.Name
	if who == "" {
		who = "Set your name in Preferences to sign your work"
	} else {
		who = "Analyst: " + who
	}
	mw.status.set(left, count, saved, who)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func tildePath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" && strings.HasPrefix(abs, home+string(filepath.Separator)) {
		return "~" + abs[len(home):]
	}
	return abs
}

// showBoard shows a board's lanes.
func (mw *MainWindow) showBoard(id string) {
	mw.view = viewBoard
	mw.boardID = id
	mw.centre.Objects = []fyne.CanvasObject{mw.board.root}
	mw.centre.Refresh()
	mw.redraw()
}

// showOverview shows every pillar side by side.
func (mw *MainWindow) showOverview() {
	mw.view = viewOverview
	mw.centre.Objects = []fyne.CanvasObject{mw.overview.root}
	mw.centre.Refresh()
	mw.redraw()
}

// showStray shows cards whose board was deleted elsewhere.
func (mw *MainWindow) showStray() {
	mw.view = viewStray
	mw.boardID = ""
	mw.centre.Objects = []fyne.CanvasObject{mw.board.root}
	mw.centre.Refresh()
	mw.redraw()
}

// selectCard makes a card the selected one and shows it in the detail
// pane; "" clears the selection. Pending typing is stored first.
func (mw *MainWindow) selectCard(id string) {
	mw.flushEdits()
	if c := mw.win.Canvas(); c != nil && c.Focused() != nil {
		c.Unfocus()
	}
	if id == mw.selected {
		return
	}
	mw.selected = id
	if mw.snap != nil {
		if c := mw.snap.Cards[id]; c != nil && mw.view == viewBoard && c.Board != mw.boardID && mw.boardID != "" {
			mw.boardID = c.Board
		}
	}
	mw.redraw()
	mw.revealSelected()
	// A card just added or moved may reach the lists with the next
	// snapshot: scroll to it then.
	mw.revealPending = true
}

// revealSelected scrolls the selected card into view.
func (mw *MainWindow) revealSelected() {
	switch mw.view {
	case viewOverview:
		mw.overview.reveal(mw.selected)
	default:
		mw.board.reveal(mw.selected)
	}
}

// flushEdits stores every pending edit of the detail pane.
func (mw *MainWindow) flushEdits() {
	if mw.detail != nil {
		mw.detail.flush()
	}
}

// act runs a store action started from the window and reports a failure
// in a dialog. Pending typing is stored first, so actions keep their
// order.
func (mw *MainWindow) act(fn func() error) bool {
	if mw.store == nil {
		return false
	}
	// Leaving the field stores its typing first, and lets the field show
	// what the action does to it (a focused field is never overwritten).
	if c := mw.win.Canvas(); c != nil && c.Focused() != nil {
		c.Unfocus()
	}
	mw.flushEdits()
	if err := fn(); err != nil {
		mw.showError(err)
		return false
	}
	return true
}

func (mw *MainWindow) showError(err error) {
	dialog.ShowError(err, mw.win)
}

// undo undoes the last action from the store's journal.
func (mw *MainWindow) undo() {
	mw.act(func() error {
		_, err := mw.store.Undo()
		if errors.Is(err, workspace.ErrNothingToUndo) {
			return nil
		}
		return err
	})
}

// redo redoes the last undone action.
func (mw *MainWindow) redo() {
	mw.act(func() error {
		_, err := mw.store.Redo()
		if errors.Is(err, workspace.ErrNothingToRedo) {
			return nil
		}
		return err
	})
}

// currentBoard is the board shown, or nil in the overview.
func (mw *MainWindow) currentBoard() *workspace.Board {
	if mw.snap == nil || mw.view != viewBoard {
		return nil
	}
	return mw.snap.Board(mw.boardID)
}

// targetBoard is where a new card goes: the board shown, the selected
// card's board, or the first board.
func (mw *MainWindow) targetBoard() *workspace.Board {
	if b := mw.currentBoard(); b != nil {
		return b
	}
	if mw.snap == nil {
		return nil
	}
	if c := mw.snap.Cards[mw.selected]; c != nil {
		if b := mw.snap.Board(c.Board); b != nil {
			return b
		}
	}
	if len(mw.snap.Boards) > 0 {
		return mw.snap.Boards[0]
	}
	return nil
}

// statusBar is the line at the bottom: where the workspace is, how many
// cards, and the last change stored.
type statusBar struct {
	root                   *fyne.Container
	path, count, saved, by *canvas.Text
}

func newStatusBar() *statusBar {
	mk := func() *canvas.Text {
		t := canvas.NewText("", themeColor(colorNameMuted))
		t.TextSize = theme.CaptionTextSize()
		return t
	}
	sb := &statusBar{path: mk(), count: mk(), saved: mk(), by: mk()}
	sep := func() fyne.CanvasObject { return widget.NewSeparator() }
	row := container.NewHBox(sb.path, sep(), sb.count, layout.NewSpacer(), sb.saved, sep(), sb.by)
	bg := canvas.NewRectangle(themeColor(colorNameSidebar))
	sb.root = container.NewStack(bg, container.NewPadded(row))
	return sb
}

func (sb *statusBar) set(path, count, saved, by string) {
	for t, v := range map[*canvas.Text]string{sb.path: path, sb.count: count, sb.saved: saved, sb.by: by} {
		t.Text = v
		t.Color = themeColor(colorNameMuted)
		t.Refresh()
	}
	sb.root.Objects[0].(*canvas.Rectangle).FillColor = themeColor(colorNameSidebar)
	sb.root.Objects[0].Refresh()
}

// delayed runs fn on the UI goroutine after d.
func delayed(d time.Duration, fn func()) {
	time.AfterFunc(d, func() { fyne.Do(fn) })
}
