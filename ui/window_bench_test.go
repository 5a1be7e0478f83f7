package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// BenchmarkWindow_Open2000Cards builds the window on a board of 2,000
// cards and lays it out, in the test driver.
func BenchmarkWindow_Open2000Cards(b *testing.B) {
	s := winStore(b)
	seedCards(b, s, 2000)
	a := test.NewTempApp(b)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mw := NewMainWindow(a, s)
		mw.win.Resize(fyne.NewSize(1280, 800))
		b.StopTimer()
		mw.win.Close()
		b.StartTimer()
	}
}

// BenchmarkWindow_Reload2000Cards is the redraw after each change: a
// fresh snapshot of 2,000 cards and every visible part rebound.
func BenchmarkWindow_Reload2000Cards(b *testing.B) {
	s := winStore(b)
	seedCards(b, s, 2000)
	a := test.NewTempApp(b)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	mw := NewMainWindow(a, s)
	mw.win.Resize(fyne.NewSize(1280, 800))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mw.reload()
	}
}

// BenchmarkWindow_Scroll2000Cards scrolls a lane of 400 cards by a screen
// at a time, as a wheel or a drag does.
func BenchmarkWindow_Scroll2000Cards(b *testing.B) {
	s := winStore(b)
	seedCards(b, s, 2000)
	a := test.NewTempApp(b)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	mw := NewMainWindow(a, s)
	mw.win.Resize(fyne.NewSize(1280, 800))
	l := mw.board.lanes[0].list
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		off := float32(i%40) * 500
		l.ScrollToOffset(off)
	}
}
