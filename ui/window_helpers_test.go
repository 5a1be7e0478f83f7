package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"briefboard/resources"
	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// winClock is a pinned clock that moves a second per reading.
func winClock() func() time.Time { return workspacetest.Clock(workspacetest.Start) }

func init() {
	// Typing is stored when a field is left; the pause that also stores it
	// runs on a timer, which only the test of the pause should race.
	editPause = time.Hour
}

// winStore makes a copy of the demo workspace in a temp dir.
func winStore(tb testing.TB) *workspace.Store {
	tb.Helper()
	s, _ := workspacetest.Create(tb, resources.DemoTemplate, workspace.Options{Now: winClock()})
	if err := s.SetProfile(workspace.Profile{Name: "Olena Test", Initials: "OT"}); err != nil {
		tb.Fatal(err)
	}
	return s
}

// winOpen opens the main window on a store in the test driver, sized as
// the real window.
func winOpen(t *testing.T, s *workspace.Store) *MainWindow {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	mw := NewMainWindow(a, s)
	settle(mw)
	mw.win.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() {
		settle(mw)
		mw.win.Close()
	})
	return mw
}

// settle waits for the window's background work (reading a workspace,
// building the search index, closing a store) and its hand-over. The test
// driver runs fyne.Do at once on the calling goroutine, so the hand-over
// is done when the work is.
func settle(mw *MainWindow) { mw.jobs.Wait() }

// snapOf reads the store's state now.
func snapOf(t *testing.T, s *workspace.Store) *workspace.Snapshot {
	t.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// cardByTitle finds a card of the store by the start of its title.
func cardByTitle(t *testing.T, s *workspace.Store, prefix string) *workspace.Card {
	t.Helper()
	for _, c := range snapOf(t, s).Cards {
		if strings.HasPrefix(c.Title, prefix) {
			return c
		}
	}
	t.Fatalf("no card titled %q…", prefix)
	return nil
}

// laneIndex is the place of a card in its lane, by the store.
func laneIndex(t *testing.T, s *workspace.Store, id string) (lane string, i int) {
	t.Helper()
	snap := snapOf(t, s)
	c := snap.Cards[id]
	return c.Lane, indexOfCard(snap.LaneCards[c.Lane], id)
}

// journalLen counts the store's journal entries.
func journalLen(t *testing.T, s *workspace.Store) int {
	t.Helper()
	log, err := s.Log(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return len(log)
}

// lastAction names the newest journal entry.
func lastAction(t *testing.T, s *workspace.Store) string {
	t.Helper()
	log, err := s.Log(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 {
		return ""
	}
	return log[len(log)-1].Action
}

// press routes a key combination as the desktop driver does: the menu
// first, then the focused widget, then the window.
func press(mw *MainWindow, sc fyne.Shortcut) {
	if it := menuItemFor(mw.win.MainMenu(), sc); it != nil {
		it.Action()
		return
	}
	c := mw.win.Canvas()
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(sc)
}

func menuItemFor(m *fyne.MainMenu, sc fyne.Shortcut) *fyne.MenuItem {
	var find func(items []*fyne.MenuItem) *fyne.MenuItem
	find = func(items []*fyne.MenuItem) *fyne.MenuItem {
		for _, it := range items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == sc.ShortcutName() && it.Action != nil {
				return it
			}
			if it.ChildMenu != nil {
				if f := find(it.ChildMenu.Items); f != nil {
					return f
				}
			}
		}
		return nil
	}
	for _, menu := range m.Items {
		if it := find(menu.Items); it != nil {
			return it
		}
	}
	return nil
}

// menuItem finds a menu entry by its label.
func menuItem(t *testing.T, mw *MainWindow, label string) *fyne.MenuItem {
	t.Helper()
	for _, menu := range mw.win.MainMenu().Items {
		for _, it := range menu.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu entry %q", label)
	return nil
}

// typeKey sends a key to the window as if no field had focus.
func typeKey(mw *MainWindow, k fyne.KeyName) {
	mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k})
}

// viewOf finds the card view showing a card in a lane of the board.
func viewOf(t *testing.T, mw *MainWindow, id string) *CardView {
	t.Helper()
	for _, lv := range mw.board.lanes {
		for _, v := range lv.visibleViews() {
			if v.CardID() == id {
				return v
			}
		}
	}
	t.Fatalf("card %s is not shown", id)
	return nil
}

// dragTo drags a card view to an absolute position in steps, with the
// events the desktop driver sends.
func dragTo(cv *CardView, to fyne.Position) {
	d := fyne.CurrentApp().Driver()
	start := d.AbsolutePositionForObject(cv).AddXY(20, 20)
	const steps = 5
	prev := start
	for i := 1; i <= steps; i++ {
		p := fyne.NewPos(start.X+(to.X-start.X)*float32(i)/steps, start.Y+(to.Y-start.Y)*float32(i)/steps)
		ev := &fyne.DragEvent{Dragged: fyne.NewDelta(p.X-prev.X, p.Y-prev.Y)}
		ev.AbsolutePosition = p
		ev.Position = p.Subtract(d.AbsolutePositionForObject(cv))
		cv.Dragged(ev)
		prev = p
	}
	cv.DragEnd()
}

// seedCards adds n cards to the first board's lanes in one action.
func seedCards(tb testing.TB, s *workspace.Store, n int) {
	tb.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		tb.Fatal(err)
	}
	b := snap.Boards[0]
	lanes := snap.Lanes[b.ID]
	for start := 0; start < n; start += 250 {
		_, err := s.Do("Add cards", func(tx *workspace.Tx) error {
			for i := start; i < start+250 && i < n; i++ {
				_, err := tx.AddCard(workspace.CardDraft{Board: b.ID, Lane: lanes[i%len(lanes)].ID,
					Title: fmt.Sprintf("Generated card %d on sequencing, guarantees and sanctions relief", i),
					Body:  "A paragraph of body text such as an analyst writes about the talks.",
					Tags:  []string{"generated", fmt.Sprintf("group-%d", i%7)}})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// pinStatus writes a fixed path into the status bar, where the temporary
// directory's name would make a golden file differ run to run.
func pinStatus(mw *MainWindow) {
	mw.status.path.Text = "~/Briefboard/demo"
	mw.status.path.Refresh()
	relayout(mw.status.path)
}
