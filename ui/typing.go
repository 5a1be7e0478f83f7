package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The keyboard in Briefboard's text fields never traps: Tab and Shift+Tab
// move to the next and previous field in every field, also in a body of
// several lines; Ctrl+Tab types a tab character where text keeps tabs (a
// body); Escape leaves the field, which stores what was typed. A field
// with a length limit stops taking characters at the limit, typed or
// pasted.

// isLiteralTab reports whether a shortcut is Ctrl+Tab.
func isLiteralTab(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && cs.KeyName == fyne.KeyTab && cs.Modifier == fyne.KeyModifierShortcutDefault
}

// leaveField takes the focus from a field, if it has it.
func leaveField(obj fyne.CanvasObject) {
	a := fyne.CurrentApp()
	if a == nil {
		return
	}
	if c := a.Driver().CanvasForObject(obj); c != nil && c.Focused() != nil && any(c.Focused()) == any(obj) {
		c.Unfocus()
	}
}

// roomLeft is how many more characters an entry takes before it holds
// max, counting a selection as gone (typing replaces it).
func roomLeft(e *widget.Entry, max int) int {
	if max <= 0 {
		return int(^uint(0) >> 1)
	}
	return max - utf8.RuneCountInString(e.Text) + utf8.RuneCountInString(e.SelectedText())
}

// pasteText is a clipboard that hands over a text of its own: the part of
// a paste that fits.
type pasteText string

// Content is the text.
func (p pasteText) Content() string { return string(p) }

// SetContent does nothing: the real clipboard is left as it was.
func (p pasteText) SetContent(string) {}

// clippedPaste gives the paste that fits in room characters, on one line
// when oneLine (line breaks and tabs become spaces); nil when nothing
// fits. clipped says whether text was left out.
func clippedPaste(s *fyne.ShortcutPaste, room int, oneLine bool) (paste *fyne.ShortcutPaste, clipped bool) {
	if s.Clipboard == nil {
		return s, false
	}
	text := s.Clipboard.Content()
	if oneLine {
		text = strings.Join(strings.Fields(text), " ")
	}
	fit := text
	if r := []rune(text); len(r) > room {
		fit = string(r[:max(room, 0)])
	}
	if fit == "" && text != "" {
		return nil, true
	}
	return &fyne.ShortcutPaste{Clipboard: pasteText(fit)}, fit != text
}

// limitNote says a field is full.
func limitNote(what string, max int) error {
	return fmt.Errorf("%s holds at most %d characters", what, max)
}

// lineEntry is a one-line text field with a length limit, for dialogs:
// typing and pasting stop at the limit, and Escape leaves it.
type lineEntry struct {
	widget.Entry
	max int
}

func newLineEntry(max int) *lineEntry {
	e := &lineEntry{max: max}
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune drops characters past the limit.
func (e *lineEntry) TypedRune(r rune) {
	if roomLeft(&e.Entry, e.max) <= 0 {
		return
	}
	e.Entry.TypedRune(r)
}

// TypedShortcut pastes only what fits.
func (e *lineEntry) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok {
		fit, _ := clippedPaste(p, roomLeft(&e.Entry, e.max), true)
		if fit == nil {
			return
		}
		s = fit
	}
	e.Entry.TypedShortcut(s)
}
