package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"briefboard/workspace"
)

// menuKey is a key combination a menu shows beside an item while the
// window, not the menu, handles it: Ctrl+Z must stay the typing undo of a
// focused text field and be the workspace's undo everywhere else, so it
// cannot be a menu shortcut (those win over the focused field).
type menuKey struct {
	desktop.CustomShortcut
}

// ShortcutName differs from every real shortcut's, so the menu never
// claims the key.
func (k *menuKey) ShortcutName() string { return "Shown:" + k.CustomShortcut.ShortcutName() }

func shown(key fyne.KeyName, mod fyne.KeyModifier) fyne.Shortcut {
	return &menuKey{desktop.CustomShortcut{KeyName: key, Modifier: mod}}
}

func key(k fyne.KeyName, mod fyne.KeyModifier) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: mod}
}

const (
	ctrl  = fyne.KeyModifierShortcutDefault
	shift = fyne.KeyModifierShift
	alt   = fyne.KeyModifierAlt
)

// mainMenu is the window's menu bar. Undo and Redo name the action they
// would take, from the store's journal.
type mainMenu struct {
	mw       *MainWindow
	main     *fyne.MainMenu
	undo     *fyne.MenuItem
	redo     *fyne.MenuItem
	recent   *fyne.MenuItem
	features []*fyne.MenuItem
	// workspace-only items are disabled while no workspace is open
	needStore []*fyne.MenuItem
	cardItems []*fyne.MenuItem
	boards    *fyne.Menu
	// The View menu's entries that show a state.
	detail, narrower, wider *fyne.MenuItem
	themes                  map[string]*fyne.MenuItem
	// boardsSig is the boards' ids and titles the Board menu lists.
	boardsSig string
}

func newMainMenu(mw *MainWindow) *mainMenu {
	m := &mainMenu{mw: mw}
	m.rebuild()
	return m
}

func item(label string, sc fyne.Shortcut, fn func()) *fyne.MenuItem {
	it := fyne.NewMenuItem(label, fn)
	it.Shortcut = sc
	return it
}

// rebuild makes the whole menu again: the recent workspaces and the boards
// change with the workspace.
func (m *mainMenu) rebuild() {
	mw := m.mw
	m.needStore, m.cardItems = nil, nil
	ws := func(it *fyne.MenuItem) *fyne.MenuItem { m.needStore = append(m.needStore, it); return it }
	cd := func(it *fyne.MenuItem) *fyne.MenuItem { m.cardItems = append(m.cardItems, it); return it }

	m.recent = fyne.NewMenuItem("Open recent", nil)
	m.recent.ChildMenu = mw.recentMenu()
	quit := item("Quit", key(fyne.KeyQ, ctrl), mw.quit)
	quit.IsQuit = true
	wsItems := []*fyne.MenuItem{
		item("New workspace from template…", key(fyne.KeyN, ctrl|shift), mw.newWorkspaceDialog),
		item("Open workspace…", key(fyne.KeyO, ctrl), mw.openWorkspaceDialog),
		m.recent,
		fyne.NewMenuItemSeparator(),
	}
	if len(m.features) > 0 {
		wsItems = append(wsItems, m.features...)
		wsItems = append(wsItems, fyne.NewMenuItemSeparator())
	}
	wsItems = append(wsItems,
		ws(item("Workspace settings…", nil, func() { mw.workspaceSettingsDialog() })),
		item("Preferences…", key(fyne.KeyComma, ctrl), func() { mw.preferencesDialog() }),
		fyne.NewMenuItemSeparator(),
		quit)
	workspaceMenu := fyne.NewMenu("Workspace", wsItems...)

	m.undo = ws(item("Undo", shown(fyne.KeyZ, ctrl), mw.undo))
	m.redo = ws(item("Redo", shown(fyne.KeyZ, ctrl|shift), mw.redo))
	// Ctrl+Y redoes as well; a menu item shows one key, and the keyboard
	// help lists both.
	edit := fyne.NewMenu("Edit",
		m.undo, m.redo,
		fyne.NewMenuItemSeparator(),
		ws(item("Find…", key(fyne.KeyF, ctrl), func() { mw.find.open(false) })),
		ws(item("Filter…", key(fyne.KeyF, ctrl|shift), func() { mw.find.open(true) })),
		fyne.NewMenuItemSeparator(),
		ws(item("New card…", key(fyne.KeyN, ctrl), mw.newCardDialog)),
		cd(item("Delete card", shown(fyne.KeyDelete, 0), mw.deleteSelected)),
	)

	card := fyne.NewMenu("Card",
		cd(item("Edit title", shown(fyne.KeyReturn, 0), mw.focusTitle)),
		cd(item("Add annotation", key(fyne.KeyM, ctrl|shift), mw.focusAnnotation)),
		cd(item("Cite a source…", nil, func() {
			mw.showDetail()
			mw.detail.tabs.Select(mw.detail.tabSources)
			mw.detail.sources.pick()
		})),
		cd(item("Link to a card…", key(fyne.KeyL, ctrl|shift), func() {
			mw.showDetail()
			mw.detail.tabs.Select(mw.detail.tabLinks)
			mw.detail.links.pick()
		})),
		fyne.NewMenuItemSeparator(),
		cd(item("Move up", key(fyne.KeyUp, alt), func() { mw.moveSelectedWithin(-1) })),
		cd(item("Move down", key(fyne.KeyDown, alt), func() { mw.moveSelectedWithin(1) })),
		cd(item("Move to previous lane", key(fyne.KeyLeft, alt), func() { mw.moveSelectedLane(-1) })),
		cd(item("Move to next lane", key(fyne.KeyRight, alt), func() { mw.moveSelectedLane(1) })),
		cd(item("Move to previous board", key(fyne.KeyPageUp, alt), func() { mw.moveSelectedBoard(-1) })),
		cd(item("Move to next board", key(fyne.KeyPageDown, alt), func() { mw.moveSelectedBoard(1) })),
	)

	m.boards = fyne.NewMenu("Board")
	m.fillBoards()

	m.detail = item("Detail pane", key(fyne.KeyD, ctrl), mw.toggleDetail)
	m.narrower = item("Narrower lanes", key(fyne.KeyMinus, ctrl), func() { mw.stepLaneWidth(-1) })
	m.wider = item("Wider lanes", key(fyne.KeyEqual, ctrl), func() { mw.stepLaneWidth(1) })
	m.themes = map[string]*fyne.MenuItem{
		ThemeSystem: item("Theme: follow the system", nil, func() { mw.setTheme(ThemeSystem) }),
		ThemeLight:  item("Theme: light", nil, func() { mw.setTheme(ThemeLight) }),
		ThemeDark:   item("Theme: dark", nil, func() { mw.setTheme(ThemeDark) }),
	}
	view := fyne.NewMenu("View",
		m.detail, m.narrower, m.wider,
		fyne.NewMenuItemSeparator(),
		m.themes[ThemeSystem], m.themes[ThemeLight], m.themes[ThemeDark],
	)
	help := fyne.NewMenu("Help",
		item("Keyboard shortcuts", key(fyne.KeyF1, 0), mw.shortcutsDialog),
		item("About Briefboard", nil, mw.aboutDialog),
	)
	m.main = fyne.NewMainMenu(workspaceMenu, edit, card, m.boards, view, help)
	m.setViewChecks()
	mw.win.SetMainMenu(m.main)
	m.updateLabels()
}

// setViewChecks ticks the View menu's entries that are on: the detail
// pane, the theme; and disables lane steps past the narrowest or widest.
func (m *mainMenu) setViewChecks() bool {
	mw := m.mw
	changed := false
	set := func(it *fyne.MenuItem, checked, disabled bool) {
		if it.Checked != checked || it.Disabled != disabled {
			it.Checked, it.Disabled = checked, disabled
			changed = true
		}
	}
	set(m.detail, !mw.detailHidden, false)
	set(m.narrower, false, mw.laneWidth <= laneWidths[0])
	set(m.wider, false, mw.laneWidth >= laneWidths[len(laneWidths)-1])
	mode := settingsOf(mw.app).StringWithFallback(prefTheme, ThemeSystem)
	for k, it := range m.themes {
		set(it, k == mode, false)
	}
	return changed
}

// updateView shows the View menu's state after a change.
func (m *mainMenu) updateView() {
	if m.setViewChecks() {
		m.main.Refresh()
	}
}

// fillBoards lists the boards, each with Ctrl+digit, and the board
// commands.
func (m *mainMenu) fillBoards() {
	mw := m.mw
	items := []*fyne.MenuItem{
		item("Overview of all pillars", key(fyne.Key0, ctrl), mw.showOverview),
	}
	if mw.snap != nil {
		digits := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}
		for i, b := range mw.snap.Boards {
			id := b.ID
			var sc fyne.Shortcut
			if i < len(digits) {
				sc = key(digits[i], ctrl)
			}
			items = append(items, item(workspace.Printable(b.Title), sc, func() { mw.showBoard(id) }))
		}
	}
	add := item("Add board…", nil, mw.addBoardDialog)
	addLane := item("Add lane…", nil, func() {
		if b := mw.currentBoard(); b != nil {
			mw.addLaneDialog(b.ID)
		}
	})
	edit := item("Edit board…", nil, func() {
		if b := mw.currentBoard(); b != nil {
			mw.editBoardDialog(b.ID)
		}
	})
	del := item("Delete board…", nil, func() {
		if b := mw.currentBoard(); b != nil {
			mw.deleteBoardDialog(b.ID)
		}
	})
	m.needStore = append(m.needStore, add, addLane, edit, del)
	items = append(items, fyne.NewMenuItemSeparator(), add, edit, addLane, del)
	m.boards.Items = items
}

// addFeature puts a feature's entry (export, share, import) into the
// Workspace menu.
func (m *mainMenu) addFeature(it *fyne.MenuItem) {
	m.features = append(m.features, it)
}

// updateLabels names the next undo and redo, and enables what applies.
func (m *mainMenu) updateLabels() {
	mw := m.mw
	undo, redo := "", ""
	if mw.store != nil {
		undo, redo, _ = mw.store.UndoRedoLabels()
	}
	changed := false
	set := func(it *fyne.MenuItem, label, fallback string) {
		if label == "" {
			label = fallback
		}
		dis := label == fallback
		if it.Label != label || it.Disabled != dis {
			it.Label, it.Disabled = label, dis
			changed = true
		}
	}
	set(m.undo, undo, "Undo")
	set(m.redo, redo, "Redo")
	for _, it := range m.needStore {
		if dis := mw.store == nil; it.Disabled != dis && it != m.undo && it != m.redo {
			it.Disabled = dis
			changed = true
		}
	}
	for _, it := range m.cardItems {
		if dis := mw.selected == ""; it.Disabled != dis {
			it.Disabled = dis
			changed = true
		}
	}
	if mw.snap != nil {
		var sig strings.Builder
		for _, b := range mw.snap.Boards {
			sig.WriteString(b.ID + "\x00" + b.Title + "\x00")
		}
		if sig.String() != m.boardsSig {
			m.boardsSig = sig.String()
			m.fillBoards()
			changed = true
		}
	}
	if changed {
		m.main.Refresh()
	}
	mw.updateToolbar(undo, redo)
}

// UndoLabel is the Edit menu's undo entry as shown, such as "Undo move
// card".
func (mw *MainWindow) UndoLabel() string { return mw.menu.undo.Label }

// RedoLabel is the Edit menu's redo entry as shown.
func (mw *MainWindow) RedoLabel() string { return mw.menu.redo.Label }

// installShortcuts binds the keys that the window handles itself: undo
// and redo when no text field has focus, and the arrows, Enter, Delete and
// Escape on the board.
func (mw *MainWindow) installShortcuts() {
	c := mw.win.Canvas()
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { mw.undo() })
	c.AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { mw.redo() })
	c.AddShortcut(key(fyne.KeyZ, ctrl|shift), func(fyne.Shortcut) { mw.redo() })
	c.SetOnTypedKey(mw.typedKey)
}

// typedKey handles keys that reach the window with no field focused.
func (mw *MainWindow) typedKey(k *fyne.KeyEvent) {
	if mw.store == nil || mw.view == viewACH && mw.ach.typedKey(k) {
		return
	}
	switch k.Name {
	case fyne.KeyUp:
		mw.navigate(0, -1)
	case fyne.KeyDown:
		mw.navigate(0, 1)
	case fyne.KeyLeft:
		mw.navigate(-1, 0)
	case fyne.KeyRight:
		mw.navigate(1, 0)
	case fyne.KeyReturn, fyne.KeyEnter:
		mw.focusTitle()
	case fyne.KeyDelete:
		mw.deleteSelected()
	case fyne.KeyEscape:
		if mw.find.active() {
			mw.find.close()
		} else {
			mw.selectCard("")
		}
	case fyne.KeyF10:
		if c := mw.snap.Cards[mw.selected]; c != nil {
			mw.cardMenu(c.ID, mw.selectedCardPosition())
		}
	}
}

// selectedCardPosition is where the selected card is drawn, for its menu
// opened from the keyboard; the middle of the window when it is not shown.
func (mw *MainWindow) selectedCardPosition() fyne.Position {
	d := fyne.CurrentApp().Driver()
	var views []*CardView
	for _, lv := range mw.board.lanes {
		views = append(views, lv.views...)
	}
	for _, col := range mw.overview.cols {
		views = append(views, col.views...)
	}
	for _, v := range views {
		if v.CardID() == mw.selected {
			if p := d.AbsolutePositionForObject(v); !p.IsZero() {
				return p.AddXY(24, 24)
			}
		}
	}
	s := mw.win.Canvas().Size()
	return fyne.NewPos(s.Width/3, s.Height/3)
}

// focusTitle puts the cursor in the selected card's title.
func (mw *MainWindow) focusTitle() {
	if mw.selected == "" {
		return
	}
	mw.showDetail()
	mw.detail.tabs.Select(mw.detail.tabCard)
	mw.win.Canvas().Focus(mw.detail.title)
	mw.detail.title.caretToEnd()
}

// focusAnnotation opens the thread with the cursor in its text field.
func (mw *MainWindow) focusAnnotation() {
	if mw.selected == "" {
		return
	}
	mw.showDetail()
	mw.detail.tabs.Select(mw.detail.tabThread)
	mw.win.Canvas().Focus(mw.detail.thread.text)
}

// quit stores pending typing and closes the window.
func (mw *MainWindow) quit() {
	mw.flushEdits()
	mw.win.Close()
}
