package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// BenchmarkWindow_Big10000 measures the window on the generated benchmark
// workspace (10,000 cards of about 80 words with annotations and quoted
// citations), in the test driver: a reload; an edit made through the
// store, which reloads the window (the test driver runs fyne.Do at once),
// with Find closed and with Find open on a query; building the window.
func BenchmarkWindow_Big10000(b *testing.B) {
	b.Setenv("XDG_DATA_HOME", b.TempDir())
	s, _ := workspacetest.Big(b, workspacetest.BigCards)
	a := test.NewTempApp(b)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	mw := NewMainWindow(a, s)
	mw.win.Resize(fyne.NewSize(1280, 800))
	b.Run("Reload", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			mw.reload()
		}
	})
	card := mw.snap.LaneCards[mw.snap.Lanes[mw.snap.Boards[0].ID][0].ID][0].ID
	edit := func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, err := s.UpdateCard(card, "Edit card", func(c *workspace.Card) error {
				c.Title = fmt.Sprintf("Edited title %d", i)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("Edit", edit)
	mw.find.open(false)
	mw.find.entry.SetText("sanctions relief")
	if mw.index == nil || len(mw.find.matches) == 0 {
		b.Fatalf("find shows no matches for %q", mw.find.entry.Text)
	}
	b.Run("EditFindOpen", edit)
	mw.win.Close()
	// Last: every window built stays registered with the store (Store has
	// no way to forget a listener), so later edits would reload them all.
	b.Run("Open", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			mw := NewMainWindow(a, s)
			mw.win.Resize(fyne.NewSize(1280, 800))
			b.StopTimer()
			mw.win.Close()
			b.StartTimer()
		}
	})
}
