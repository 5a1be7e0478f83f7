package ui

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"briefboard/workspace"
)

// pressTab sends Tab (or Shift+Tab) as the desktop driver does: to a
// focused widget that takes tabs, else it moves the focus.
func pressTab(c fyne.Canvas, shift bool) {
	if f, ok := c.Focused().(fyne.Tabbable); ok && f.AcceptsTab() {
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
		return
	}
	if shift {
		c.FocusPrevious()
	} else {
		c.FocusNext()
	}
}

// openCard selects a card by the start of its title and shows its editor.
func openCard(t *testing.T, mw *MainWindow, s *workspace.Store, title string) *workspace.Card {
	t.Helper()
	c := cardByTitle(t, s, title)
	mw.selectCard(c.ID)
	mw.detail.tabs.Select(mw.detail.tabCard)
	return c
}

func TestKeyboard_TabMovesThroughTheCardEditorAndOutOfBody(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	openCard(t, mw, s, "Witkoff: peace must be")
	c := mw.win.Canvas()
	d := mw.detail

	c.Focus(d.title)
	pressTab(c, false)
	if c.Focused() != d.kind {
		t.Fatalf("Tab from the title went to %T, want the Kind picker", c.Focused())
	}
	pressTab(c, true)
	if c.Focused() != d.title {
		t.Fatalf("Shift+Tab from Kind went to %T, want the title", c.Focused())
	}

	// Tab leaves the body instead of typing a tab into it.
	body := d.body.Text
	c.Focus(d.body)
	pressTab(c, false)
	if c.Focused() == d.body {
		t.Fatal("Tab in the body stays in the body")
	}
	if d.body.Text != body || strings.Contains(d.body.Text, "\t") {
		t.Fatalf("Tab typed into the body: %q", d.body.Text)
	}
	c.Focus(d.body)
	pressTab(c, true)
	if c.Focused() != d.tags {
		t.Fatalf("Shift+Tab from the body went to %T, want the tags", c.Focused())
	}

	// Ctrl+Tab types a tab where a body wants one.
	c.Focus(d.body)
	d.body.CursorRow, d.body.CursorColumn = 0, 0
	d.body.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyTab, Modifier: fyne.KeyModifierShortcutDefault})
	if !strings.HasPrefix(d.body.Text, "\t") {
		t.Fatalf("Ctrl+Tab typed no tab: %q", d.body.Text[:20])
	}
	// Escape leaves the field, and what was typed is stored.
	d.body.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Focused() != nil {
		t.Fatalf("Escape left the focus on %T", c.Focused())
	}
	if got := snapOf(t, mw.store).Cards[mw.selected].Body; !strings.HasPrefix(got, "\t") {
		t.Fatalf("leaving with Escape did not store the body: %q", got[:20])
	}
	// The thread's field does not trap Tab either.
	if mw.detail.thread.text.AcceptsTab() {
		t.Error("the annotation field takes Tab")
	}
}

func TestKeyboard_EnterEditsTheTitleWithTheCaretAtTheEnd(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := openCard(t, mw, s, "Witkoff: peace must be")
	mw.win.Canvas().Unfocus()
	typeKey(mw, fyne.KeyReturn)
	d := mw.detail
	if mw.win.Canvas().Focused() != d.title {
		t.Fatal("Enter did not put the cursor in the title")
	}
	if d.title.CursorRow != 0 || d.title.CursorColumn != utf8.RuneCountInString(c.Title) {
		t.Fatalf("the caret is at row %d column %d, want the end of %q", d.title.CursorRow, d.title.CursorColumn, c.Title)
	}
	test.Type(d.title, " (quoted)")
	d.title.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := snapOf(t, s).Cards[c.ID].Title; got != c.Title+" (quoted)" {
		t.Fatalf("title stored as %q", got)
	}
	if strings.Contains(d.title.Text, "\n") {
		t.Fatal("Enter broke the title's line")
	}
}

func TestKeyboard_EnterSubmitsThePassphraseDialogs(t *testing.T) {
	w := shareWindow(t)
	var got string
	askSharePassphrase(w, "colleague.briefboard", func(pass []byte) { got = string(pass) })
	p := lastPrompt
	if w.Canvas().Focused() != p.entry {
		t.Fatal("the passphrase field does not have the cursor")
	}
	test.Type(p.entry, "correct horse")
	p.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got != "correct horse" {
		t.Fatalf("Enter gave %q", got)
	}

	s := winStore(t)
	mw := winOpen(t, s)
	var opened []byte
	mw.askPassphrase(t.TempDir(), workspace.ErrPassphraseRequired, func(p []byte) { opened = p })
	test.Type(mw.lastPassEntry, "s3cret")
	mw.lastPassEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if string(opened) != "s3cret" {
		t.Fatalf("Enter in the workspace passphrase gave %q", opened)
	}
}

func TestWindow_TitleLimitStopsTyping(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := openCard(t, mw, s, "Witkoff: peace must be")
	d := mw.detail
	mw.win.Canvas().Focus(d.title)
	d.title.caretToEnd()
	test.Type(d.title, strings.Repeat("x", workspace.MaxTitle))
	if n := utf8.RuneCountInString(d.title.Text); n != workspace.MaxTitle {
		t.Fatalf("the title holds %d characters, want the limit %d", n, workspace.MaxTitle)
	}
	if !d.title.errText.Visible() || !strings.Contains(d.title.errText.Text, "at most 500 characters") {
		t.Fatalf("no note at the limit: %q", d.title.errText.Text)
	}
	d.title.Flush()
	if got := utf8.RuneCountInString(snapOf(t, s).Cards[c.ID].Title); got != workspace.MaxTitle {
		t.Fatalf("stored a title of %d characters", got)
	}

	// A paste into the new card's title takes what fits, on one line.
	n := mw.newCardDialogIn(c.Board, "")
	long := strings.Repeat("word\n", 300)
	n.Title.TypedShortcut(&fyne.ShortcutPaste{Clipboard: pasteText(long)})
	if got := utf8.RuneCountInString(n.Title.Text); got != workspace.MaxTitle || strings.Contains(n.Title.Text, "\n") {
		t.Fatalf("the pasted title holds %d characters (newline: %v)", got, strings.Contains(n.Title.Text, "\n"))
	}
	test.Type(n.Title, "more")
	if got := utf8.RuneCountInString(n.Title.Text); got != workspace.MaxTitle {
		t.Fatalf("typing past the limit gave %d characters", got)
	}
	// The dialog stays inside its size: the buttons keep their place.
	if min := n.form.d.MinSize(); min.Width > 640 {
		t.Errorf("a long title widens the dialog to %v", min.Width)
	}
}

// refusedInTitles are the characters the window's title and tags refuse,
// as the store does.
var refusedInTitles = []rune{0x07, '\t', '\n', '\r', 0x1b, 0x7f, 0x9b,
	0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069}

func TestWindow_TitleRefusesDisguisingCharacters(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := openCard(t, mw, s, "Witkoff: peace must be")
	d := mw.detail
	for _, r := range refusedInTitles {
		d.title.SetText("ab" + string(r) + "cd")
		d.title.Flush()
		want := fmt.Sprintf("The card title contains %s at character 3.", workspace.CharName(r))
		if !d.title.errText.Visible() || !strings.HasPrefix(d.title.errText.Text, want) {
			t.Errorf("title with U+%04X: the field says %q, want %q", r, d.title.errText.Text, want)
		}
		d.tags.SetText("fine, ab" + string(r) + "cd")
		d.tags.Flush()
		if want := fmt.Sprintf("A tag contains %s", workspace.CharName(r)); !strings.HasPrefix(d.tags.errText.Text, want) &&
			r != '\t' && r != '\n' && r != '\r' { // tags are trimmed of spaces around them
			t.Errorf("tag with U+%04X: the field says %q, want %q", r, d.tags.errText.Text, want)
		}
	}
	if got := snapOf(t, s).Cards[c.ID]; got.Title != c.Title || strings.Join(got.Tags, ",") != strings.Join(c.Tags, ",") {
		t.Fatalf("a refused title or tag was stored: %q %q", got.Title, got.Tags)
	}
	// The new card dialog says the same under its title.
	n := mw.newCardDialogIn(c.Board, "")
	n.Title.SetText("Reversed \u202etxet")
	n.Submit()
	want := "The card title contains " + workspace.CharName(0x202e) + " at character 10."
	if e := n.form.errs["title"]; !e.Visible() || !strings.HasPrefix(e.Text, want) {
		t.Fatalf("the new card dialog says %q, want %q", e.Text, want)
	}
}

func TestNewCardDialog_GrowsWithItsErrorAndKeepsItsButtonsClear(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	n := mw.newCardDialogIn(snapOf(t, s).Boards[0].ID, "")
	before := n.form.content.Size().Height
	n.Title.SetText("Reversed \u202etxet")
	n.Submit()
	e := n.form.errs["title"]
	if !e.Visible() {
		t.Fatal("no error shown")
	}
	if h := n.form.content.Size().Height; h < n.form.content.MinSize().Height-0.5 || h <= before {
		t.Fatalf("the dialog is %v high for content that needs %v (was %v): its error overlaps the buttons", h, n.form.content.MinSize().Height, before)
	}
	// The error line ends above the buttons.
	d := fyne.CurrentApp().Driver()
	if bottom, buttons := d.AbsolutePositionForObject(e).Y+e.Size().Height, d.AbsolutePositionForObject(n.form.submit).Y; bottom > buttons {
		t.Fatalf("the error ends at %v, under the buttons at %v", bottom, buttons)
	}
}

func TestKeyboard_EnterInTheShareAndNewWorkspacePassphrases(t *testing.T) {
	w := shareWindow(t)
	withDocumentsFolder(t)
	s := shareStore(t, "ws")
	d, err := newShareDialog(w, s)
	if err != nil {
		t.Fatal(err)
	}
	d.path.SetText(t.TempDir() + "/desk")
	done := make(chan error, 1)
	d.done = func(_ *workspace.Manifest, err error) { done <- err }
	test.Type(d.pass, "desk")
	test.Type(d.confirm, "desk")
	d.confirm.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if err := wait(t, done); err != nil {
		t.Fatalf("Enter in the confirmation: %v", err)
	}

	mw := winOpen(t, winStore(t))
	n := mw.newWorkspaceForm()
	dir := t.TempDir() + "/new"
	n.Folder.SetText(dir)
	test.Type(n.Pass, "s3cret")
	n.Pass.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	settle(mw)
	if mw.store == nil || !sameDir(mw.store.Dir(), dir) {
		t.Fatal("Enter in the passphrase did not create and open the workspace")
	}
}
