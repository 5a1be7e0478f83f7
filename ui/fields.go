package ui

import (
	"strings"
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

	// lines says the text may hold line breaks (and tabs, with Ctrl+Tab):
	// a body. Without it Enter stores the text.
	lines bool
	// max limits the text to so many characters (0: no limit); what names
	// the text in the note shown at the limit.
	max  int
	what string
	// grow lets a wrapped one-line field take as many rows as its text
	// needs, up to maxRows.
	grow bool
	rows int
}

const maxRows = 4

func newFieldEntry(multiLine bool, commit func(string) error) *fieldEntry {
	e := &fieldEntry{commit: commit, lines: multiLine}
	e.ExtendBaseWidget(e)
	if multiLine {
		e.MultiLine = true
		e.Wrapping = fyne.TextWrapWord
	}
	e.errText = fieldError()
	e.OnChanged = func(string) {
		e.fitRows()
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

// newTitleEntry is a one-line field whose long text wraps onto as many
// rows as it needs, limited to max characters.
func newTitleEntry(max int, what string, commit func(string) error) *fieldEntry {
	e := newFieldEntry(false, commit)
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.max, e.what, e.grow = max, what, true
	e.rows = 1
	e.SetMinRowsVisible(1)
	return e
}

// AcceptsTab is false: Tab and Shift+Tab move to the next and previous
// field, also out of a body.
func (e *fieldEntry) AcceptsTab() bool { return false }

// TypedKey leaves the field on Escape, and stores one-line text on Enter.
func (e *fieldEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		leaveField(e)
		return
	case fyne.KeyReturn, fyne.KeyEnter:
		if !e.lines {
			e.Flush()
			return
		}
	}
	e.Entry.TypedKey(k)
}

// TypedRune drops characters past the limit, and says so.
func (e *fieldEntry) TypedRune(r rune) {
	if roomLeft(&e.Entry, e.max) <= 0 {
		setFieldError(e.errText, limitNote(e.what, e.max))
		return
	}
	e.Entry.TypedRune(r)
}

// caretToEnd puts the text cursor after the last character.
func (e *fieldEntry) caretToEnd() {
	rows := strings.Split(e.Text, "\n")
	e.CursorRow = len(rows) - 1
	e.CursorColumn = len([]rune(rows[len(rows)-1]))
	e.Refresh()
}

// Resize lets a growing field fit its rows to the new width.
func (e *fieldEntry) Resize(s fyne.Size) {
	e.Entry.Resize(s)
	e.fitRows()
}

// fitRows gives a growing field the rows its wrapped text needs.
func (e *fieldEntry) fitRows() {
	if !e.grow {
		return
	}
	w := e.Size().Width - 2*theme.InnerPadding()
	if w <= 0 {
		return
	}
	tw := fyne.MeasureText(e.Text, theme.TextSize(), e.TextStyle).Width
	// Words wrap before the edge: allow a tenth more than the bare width.
	rows := min(max(int(tw*1.1/w)+1, 1), maxRows)
	if rows != e.rows {
		e.rows = rows
		e.SetMinRowsVisible(rows)
	}
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
// own Ctrl+Z and Ctrl+Y; Ctrl+Tab types a tab in a body; a paste takes
// only what fits the limit, on one line in a one-line field.
func (e *fieldEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && cs.KeyName == fyne.KeyZ &&
		cs.Modifier == fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift {
		e.Redo()
		return
	}
	if isLiteralTab(s) {
		if e.lines {
			e.TypedRune('\t')
		}
		return
	}
	if p, ok := s.(*fyne.ShortcutPaste); ok {
		fit, clipped := clippedPaste(p, roomLeft(&e.Entry, e.max), !e.lines)
		if clipped {
			setFieldError(e.errText, limitNote(e.what, e.max))
		}
		if fit == nil {
			return
		}
		s = fit
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

// setFieldError shows err under its field, or hides the line for nil; the
// form around it closes up or makes room at once, leaving no band.
func setFieldError(l *widget.Label, err error) {
	if err == nil {
		if l.Visible() {
			l.SetText("")
			l.Hide()
			relayout(l)
		}
		return
	}
	shown := l.Visible()
	l.SetText(err.Error())
	l.Show()
	if !shown {
		relayout(l)
	}
}
