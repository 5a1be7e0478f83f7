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
	// achID is the matrix shown in viewACH.
	achID string

	toolbar  *toolbar
	sidebar  *sidebar
	board    *boardView
	overview *overviewView
	ach      *achView
	detail   *detailPane
	find     *findBar
	checks   *checksPanel
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
	// lastBoardForm is the last board dialog opened, for tests.
	lastBoardForm *boardForm

	// live hears the actions of the store shown; opening hears those of a
	// store being read before it is shown.
	live, opening *follower
	// reading is set while the shown workspace is read whole in the
	// background; readGen tells a stale read from the current one.
	reading bool
	readGen int
	// wholeReads counts the whole reads of the shown workspace after it
	// opened (a gap, a large entry), for tests.
	wholeReads int
	applying   bool
	// indexing is the search index being built in the background.
	indexing *indexBuild
	// closing holds, by directory, the stores being closed in the
	// background: opening one of them again waits for its lock.
	closing map[string]chan struct{}
	// jobs counts the window's background work, for tests.
	jobs sync.WaitGroup
	// openingBar moves on the page shown while the first workspace is
	// read; it is stopped when the page goes (a hidden page does not stop
	// its animation).
	openingBar *widget.ProgressBarInfinite
	// winClosed is set once the window is closed.
	winClosed bool
	// laneWidth is the narrowest a lane of the board or a column of the
	// overview gets; detailHidden says the analyst hid the detail pane.
	laneWidth    float32
	detailHidden bool
	// team is the team folder the workspace syncs with (team.go).
	team teamSession
	// rounds holds the changes since the last recorded brief (rounds.go).
	rounds roundsView
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
	mw.win.SetOnClosed(func() {
		mw.flushEdits()
		// Nothing is drawn on a closed window: late calls (a typing
		// pause that ends now, a colleague's change) are let go.
		mw.winClosed = true
		for _, f := range []*follower{mw.live, mw.opening} {
			if f != nil {
				f.stop()
			}
		}
	})
	if s != nil {
		mw.open(s, nil)
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
	mw.ach = newACHView(mw)
	mw.detail = newDetailPane(mw)
	mw.find = newFindBar(mw)
	mw.checks = newChecksPanel(mw)
	mw.status = newStatusBar()
	mw.centre = container.NewStack(mw.board.root)
	centre := container.NewBorder(mw.find.root, mw.checks.root, nil, nil, mw.centre)
	mw.panes = mw.buildPanes(centre)
	mw.body = container.NewBorder(mw.toolbar.root, mw.status.root, nil, nil, mw.panes.root)
	mw.layer = container.NewWithoutLayout()
	mw.emptyPage = container.NewStack()
	mw.emptyPage.Hide()
	mw.win.SetContent(container.NewStack(mw.body, mw.emptyPage, mw.layer))
	mw.menu = newMainMenu(mw)
	mw.installFeatures()
	mw.installTeam()
	mw.checks.install()
	mw.installShortcuts()
}

// open shows a store's workspace once it has been read whole, off the UI
// goroutine. The workspace shown meanwhile stays usable; it is let go (and
// closed in the background) when the new one is shown. then runs after
// the switch.
func (mw *MainWindow) open(s *workspace.Store, then func()) {
	if mw.opening != nil {
		mw.abandon(mw.opening)
	}
	mw.adoptProfile(s)
	f := mw.follow(s)
	mw.opening = f
	if mw.store == nil {
		mw.showOpening(s.Dir())
	} else {
		mw.status.busy("Opening " + tildePath(s.Dir()) + "…")
	}
	mw.background(func() {
		snap, err := s.Snapshot()
		onUI(func() { mw.opened(f, snap, err, then) })
		if err == nil {
			paceCollector()
		}
	})
}

// opened shows a workspace read in the background, unless another was
// asked for meanwhile.
func (mw *MainWindow) opened(f *follower, snap *workspace.Snapshot, err error, then func()) {
	if mw.opening != f {
		return
	}
	mw.opening = nil
	if mw.winClosed {
		// Read after the window closed: nothing is shown, and the store
		// is let go.
		mw.abandon(f)
		return
	}
	if mw.openingBar != nil {
		mw.openingBar.Stop()
		mw.openingBar = nil
	}
	if err != nil {
		mw.abandon(f)
		if mw.store != nil {
			mw.updateStatus()
		}
		mw.showOpenFailure(f.s.Dir(), err)
		return
	}
	mw.setStore(f, snap)
	if then != nil {
		then()
	}
}

// abandon lets go of a store that was being opened.
func (mw *MainWindow) abandon(f *follower) {
	f.stop()
	mw.closeLater(f.s)
}

// setStore shows a workspace read whole. The store's lock is the window's
// until the store is replaced or the window closes; the store shown
// before is closed in the background, so a share or export still running
// on it finishes first without holding up the window.
func (mw *MainWindow) setStore(f *follower, snap *workspace.Snapshot) {
	mw.flushEdits()
	old := mw.live
	if old != nil {
		old.stop()
	}
	mw.live = f
	mw.store = f.s
	mw.snap = snap
	mw.reading = false
	mw.readGen++
	mw.openedAny = true
	mw.index = nil
	mw.indexing = nil
	mw.selected = ""
	mw.boardID = ""
	mw.view = viewBoard
	mw.lastEntry = nil
	mw.detail.bind(nil)
	mw.find.clear()
	mw.openErrorText = ""
	mw.emptyPage.Hide()
	mw.body.Show()
	mw.sidebar.recount()
	mw.settleBoard()
	mw.win.SetTitle(workspace.Printable(snap.Meta.Title) + " — Briefboard")
	if len(snap.Boards) > 0 {
		mw.boardID = snap.Boards[0].ID
	}
	mw.checks.reset()
	mw.showBoard(mw.boardID)
	mw.menu.rebuild()
	if old != nil && old.s != f.s {
		mw.closeLater(old.s)
	}
	// Actions made while the workspace was read follow it.
	mw.catchUp()
	mw.teamOpened()
}

// closeLater closes a store in the background: Close waits for the calls
// in flight (a share being written, say), and the window need not.
func (mw *MainWindow) closeLater(s *workspace.Store) {
	if mw.closing == nil {
		mw.closing = map[string]chan struct{}{}
	}
	dir := s.Dir()
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	done := make(chan struct{})
	prev := mw.closing[dir]
	mw.closing[dir] = done
	mw.background(func() {
		if prev != nil {
			<-prev
		}
		s.Close()
		close(done)
	})
}

// closed returns what to wait for before opening dir again: its store
// may still be closing.
func (mw *MainWindow) closed(dir string) <-chan struct{} {
	done := mw.closing[dir]
	if done == nil {
		return nil
	}
	select {
	case <-done:
		delete(mw.closing, dir)
		return nil
	default:
		return done
	}
}

// showOpening shows the page of a window whose first workspace is being
// read.
func (mw *MainWindow) showOpening(dir string) {
	mw.body.Hide()
	bar := widget.NewProgressBarInfinite()
	mw.openingBar = bar
	msg := widget.NewLabelWithStyle("Opening "+tildePath(dir)+"…", fyne.TextAlignCenter, fyne.TextStyle{})
	mw.emptyPage.Objects = []fyne.CanvasObject{container.NewCenter(container.NewGridWrap(fyne.NewSize(480, 80),
		container.NewVBox(msg, bar)))}
	mw.emptyPage.Show()
	mw.emptyPage.Refresh()
}

// adoptProfile gives a workspace copy without an analyst profile the name
// and initials from the preferences, so the analyst's work is signed.
func (mw *MainWindow) adoptProfile(s *workspace.Store) {
	p, err := s.Profile()
	if err != nil || p.Name != "" {
		return
	}
	name := settingsOf(mw.app).String(prefName)
	if name == "" {
		return
	}
	_ = s.SetProfile(workspace.Profile{Name: name, Initials: settingsOf(mw.app).String(prefInitials)})
}

// closeStore releases the open workspace, if any, and one being opened,
// and waits for the stores closing in the background.
func (mw *MainWindow) closeStore() {
	mw.stopTeam()
	if mw.store != nil {
		mw.flushEdits()
	}
	if f := mw.opening; f != nil {
		mw.opening = nil
		f.stop()
		f.s.Close()
	}
	if f := mw.live; f != nil {
		f.stop()
		f.s.Close()
	}
	for _, done := range mw.closing {
		<-done
	}
}

// reload reads the workspace whole again, in the background, for a change
// the journal does not carry (the analyst's profile); every action's own
// change comes through its journal entry instead.
func (mw *MainWindow) reload() {
	if mw.store == nil {
		return
	}
	mw.readWhole()
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
	case viewACH:
		mw.ach.update()
	default:
		mw.board.update()
	}
	mw.detail.bind(snap.Cards[mw.selected])
	mw.menu.updateLabels()
	mw.updateStatus()
	mw.roundsRedrawn()
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
	mw.showTeamStatus()
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
	if mw.winClosed {
		fmt.Fprintln(os.Stderr, "briefboard:", workspace.Printable(err.Error()))
		return
	}
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
	// extra holds the team folder's state, when there is one.
	extra *fyne.Container
}

func newStatusBar() *statusBar {
	mk := func() *canvas.Text {
		t := canvas.NewText("", themeColor(colorNameMuted))
		t.TextSize = theme.CaptionTextSize()
		return t
	}
	sb := &statusBar{path: mk(), count: mk(), saved: mk(), by: mk(), extra: container.NewHBox()}
	sep := func() fyne.CanvasObject { return widget.NewSeparator() }
	row := container.NewHBox(sb.path, sep(), sb.count, sb.extra, layout.NewSpacer(), sb.saved, sep(), sb.by)
	bg := canvas.NewRectangle(themeColor(colorNameSidebar))
	sb.root = container.NewStack(bg, container.NewPadded(row))
	return sb
}

// busy says what the window is doing in the background, in place of the
// last change stored.
func (sb *statusBar) busy(text string) {
	sb.saved.Text = text
	sb.saved.Refresh()
}

// restoreStatus shows the status line of the workspace shown, after a
// background job said what it was doing.
func (mw *MainWindow) restoreStatus() {
	if mw.store != nil && mw.snap != nil {
		mw.updateStatus()
	}
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
	time.AfterFunc(d, func() { onUI(fn) })
}
