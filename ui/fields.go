package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// editPause is how long typing may rest before a pending edit is stored.
var editPause = 1200 * time.Millisecond

// fieldEntry is an Entry whose typing is one pending edit of the store:
// it is stored as one action when the field is left, on Enter in a
// single-line field, or after a pause in typing, never one action per
// key. While it has focus or holds a pending or refused edit, values from
// the store do not overwrite the text, so no keystroke is fought over.
type fieldEntry struct {
	widget.Entry

	// commit stores the text; an error is shown under the field and
	// nothing is stored.
	commit func(text string) error
	// errText shows the reason a value was refused.
	errText *widget.Label

	focused bool
	dirty   bool
	refused bool
	setting bool
	timer   *time.Timer
	gen     int
	// waiting counts pause timers that are set or running, so a test can
	// wait for the pause to end and its edit to be stored.
	waiting sync.WaitGroup
	// deferred counts the pauses that waited for a long action to end
	// before storing, for tests.
	deferred int
}

func newFieldEntry(multiLine bool, commit func(string) error) *fieldEntry {
	e := &fieldEntry{commit: commit}
	e.ExtendBaseWidget(e)
	if multiLine {
		e.MultiLine = true
		e.Wrapping = fyne.TextWrapWord
	}
	e.errText = fieldError()
	e.OnChanged = func(string) {
		if e.setting {
			return
		}
		e.dirty = true
		e.schedule()
	}
	if !multiLine {
		e.OnSubmitted = func(string) { e.Flush() }
	}
	return e
}

// withError lays the field out with its error line under it.
func (e *fieldEntry) withError() fyne.CanvasObject {
	return container.NewVBox(e, e.errText)
}

func (e *fieldEntry) schedule() {
	e.stopTimer()
	e.gen++
	gen := e.gen
	e.waiting.Add(1)
	e.timer = time.AfterFunc(editPause, func() {
		defer e.waiting.Done()
		onUI(func() {
			if gen != e.gen {
				return
			}
			// A merge holds the store for now: store the typing after
			// it, never block the field on it.
			if longWriteRunning() {
				e.deferred++
				e.schedule()
				return
			}
			e.Flush()
		})
	})
}

// stopTimer stops the pause timer, if it has not fired yet.
func (e *fieldEntry) stopTimer() {
	if e.timer != nil && e.timer.Stop() {
		e.waiting.Done()
	}
}

// FocusGained notes that the analyst is typing here.
func (e *fieldEntry) FocusGained() {
	e.focused = true
	e.Entry.FocusGained()
}

// FocusLost stores the pending edit.
func (e *fieldEntry) FocusLost() {
	e.focused = false
	e.Entry.FocusLost()
	e.Flush()
}

// TypedShortcut adds Ctrl+Shift+Z as redo of typing, beside the Entry's
// own Ctrl+Z and Ctrl+Y.
func (e *fieldEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && cs.KeyName == fyne.KeyZ &&
		cs.Modifier == fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift {
		e.Redo()
		return
	}
	e.Entry.TypedShortcut(s)
}

// Flush stores the pending edit, if any, now.
func (e *fieldEntry) Flush() {
	if e.timer != nil {
		e.stopTimer()
		e.gen++
	}
	if !e.dirty {
		return
	}
	e.dirty = false
	err := e.commit(e.Text)
	e.showError(err)
}

func (e *fieldEntry) showError(err error) {
	if err == nil {
		e.refused = false
		setFieldError(e.errText, nil)
		return
	}
	e.refused = true
	setFieldError(e.errText, err)
}

// setValue shows the stored value unless the analyst is typing here or
// has an edit the store has not taken.
func (e *fieldEntry) setValue(v string) {
	if e.focused || e.dirty || e.refused || e.Text == v {
		return
	}
	e.setting = true
	e.SetText(v)
	e.setting = false
}

// reset shows a value of another record: any pending or refused edit of
// the previous one is dropped (callers flush first).
func (e *fieldEntry) reset(v string) {
	if e.timer != nil {
		e.timer.Stop()
		e.gen++
	}
	e.dirty, e.refused = false, false
	e.showError(nil)
	if e.Text != v {
		e.setting = true
		e.SetText(v)
		e.setting = false
	}
}

// fieldError is a red line under a field that says why a value was
// refused; hidden while there is nothing to say.
func fieldError() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	l.Hide()
	return l
}

func setFieldError(l *widget.Label, err error) {
	if err == nil {
		if l.Visible() {
			l.SetText("")
			l.Hide()
		}
		return
	}
	l.SetText(err.Error())
	l.Show()
}
