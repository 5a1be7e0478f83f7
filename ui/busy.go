package ui

import (
	"errors"
	"sync"
	"sync/atomic"

	"briefboard/workspace"
)

// longWrites counts the long store actions running in the background: a
// merge, an import's preview and a canvas import hold the store's action
// lock for seconds on a workspace of 10,000 cards. While one runs, typing
// waits to be stored: the pause that stores a field's edit tries again
// later instead of blocking the window on the lock, so the keystrokes
// keep arriving in the field.
var longWrites atomic.Int32

// beginLongWrite notes that a long action starts; the function it returns
// notes its end (once, however often it is called).
func beginLongWrite() func() {
	longWrites.Add(1)
	var once sync.Once
	return func() { once.Do(func() { longWrites.Add(-1) }) }
}

// longWriteRunning reports whether a long action is running.
func longWriteRunning() bool { return longWrites.Load() > 0 }

// closedMeanwhile reports whether a background job failed because its
// workspace was closed meanwhile: the window switched to another one.
// That is no failure to alarm the analyst with.
func closedMeanwhile(err error) bool { return errors.Is(err, workspace.ErrClosed) }
