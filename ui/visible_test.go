package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"briefboard/workspace"
)

// Case 9 of the markings issue, in the window: control characters and
// bidi overrides in a title show as visible escapes on the card, in the
// sidebar, on the board and in the summary of an import, never raw. The
// store refuses such titles now (TestWindow_TitleRefusesDisguisingCharacters),
// so the titles are put into the window's snapshot, as a workspace written
// before the rule would hold them.
func TestWindow_ControlCharactersShowVisibly(t *testing.T) {
	const hostile = "Harmless\x1b[2K\rTLP:CLEAR\nsecond \u202eDER"
	const escaped = `Harmless\x1b[2K\rTLP:CLEAR\nsecond \u202eDER`
	raw := func(what, s string) {
		t.Helper()
		if strings.ContainsAny(s, "\x1b\r\n\u202e") {
			t.Errorf("%s shows control characters raw: %q", what, s)
		}
	}
	s := winStore(t)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	_, err := s.UpdateCard(c.ID, "Edit card", func(c *workspace.Card) error { c.Title = hostile; return nil })
	if workspace.FieldOf(err) != "title" {
		t.Fatalf("the store took a title with control characters: %v", err)
	}
	mw := winOpen(t, s)
	mw.snap.Cards[c.ID].Title = hostile
	mw.snap.Board(c.Board).Title = "Blueprint\x1b[8m hidden"
	mw.showBoard(c.Board)

	var view *CardView
	for _, lv := range mw.board.lanes {
		for _, v := range lv.views {
			if v.CardID() == c.ID {
				view = v
			}
		}
	}
	if view == nil {
		t.Fatal("no view shows the card")
	}
	r := test.WidgetRenderer(view).(*cardRenderer)
	raw("the card", r.titleText)
	if r.titleText != escaped {
		t.Errorf("the card shows %q, want %q", r.titleText, escaped)
	}
	var shown strings.Builder
	for _, line := range r.title {
		shown.WriteString(line.Text)
	}
	raw("the card's title lines", shown.String())
	if !strings.Contains(shown.String(), `Harmless\x1b[2K`) {
		t.Errorf("the card's title lines %q lack the escape", shown.String())
	}

	raw("the board title", mw.board.title.Text)
	if !strings.Contains(mw.board.title.Text, `Blueprint\x1b[8m hidden`) {
		t.Errorf("board title %q", mw.board.title.Text)
	}
	found := false
	for _, row := range mw.sidebar.rows {
		raw("a sidebar row", row.text.Text)
		found = found || row.text.Text == `Blueprint\x1b[8m hidden`
	}
	if !found {
		t.Error("no sidebar row shows the escaped board title")
	}

	// The summary before a merge, of a file carrying such a title.
	res := &workspace.ImportResult{Updated: []workspace.RecordChange{{RecordKind: workspace.RecCard, Title: hostile + " (revised)", Fields: []string{"title"}}}}
	text := describeImport(res)
	// A line per record: newlines between lines, none inside one.
	for _, line := range strings.Split(text, "\n") {
		raw("the import summary", line)
	}
	if !strings.Contains(text, escaped+" (revised)") {
		t.Errorf("the import summary lacks the escaped title:\n%s", text)
	}
}
