package ui

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
)

// TestMain runs the window's hand-overs one at a time, as the desktop
// driver does on its main goroutine. Fyne's test driver runs fyne.Do at
// once on the calling goroutine, so two background jobs handing over
// together (a workspace read and its checks, say) would lay the window out
// at the same time on two goroutines, and Fyne's theme stack, one for the
// process, is not made for that: a layout then reads an entry the other
// has just cleared. Tests that drive the window from a loop of their own
// (uiLoop) replace onUI meanwhile.
func TestMain(m *testing.M) {
	onUI = serialUI(fyne.Do)
	os.Exit(m.Run())
}

// serialUI runs hand-overs one at a time; one made from within a
// hand-over (a store's change heard while an action runs) runs at once, as
// it did before.
func serialUI(do func(func())) func(func()) {
	var mu sync.Mutex
	var owner atomic.Int64
	return func(fn func()) {
		do(func() {
			id := goroutineID()
			if owner.Load() == id {
				fn()
				return
			}
			mu.Lock()
			owner.Store(id)
			defer func() {
				owner.Store(0)
				mu.Unlock()
			}()
			fn()
		})
	}
}

// goroutineID reads the calling goroutine's number from its stack header
// ("goroutine 12 [running]:").
func goroutineID() int64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	n, _ := strconv.ParseInt(string(b), 10, 64)
	return n
}
