package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"briefboard/workspace"
)

// lastEntry is the store's newest journal entry.
func lastEntry(t *testing.T, s *workspace.Store) workspace.Entry {
	t.Helper()
	log, err := s.Log(time.Time{})
	if err != nil || len(log) == 0 {
		t.Fatalf("journal: %v (%d entries)", err, len(log))
	}
	return log[len(log)-1]
}

// wroteMarking reports whether an entry wrote the marking field of the
// record under key.
func wroteMarking(e workspace.Entry, key string) bool {
	for _, c := range e.Changes {
		if c.Key == key {
			for _, f := range c.Fields {
				if f == "tlp" {
					return true
				}
			}
		}
	}
	return false
}

// importFrom merges a colleague's copy into a store through a share file.
func importFrom(t *testing.T, into, from *workspace.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "colleague.briefboard")
	if _, err := from.ShareToFile(path, workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	sf, err := workspace.ReadShareFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := into.Import(sf); err != nil {
		t.Fatal(err)
	}
}

// heldCard makes a marking conflict on a card of the window's workspace:
// both copies have it RED; this copy lowers it to GREEN while the
// colleague, not having seen that, edits its body under RED; the
// colleague's file then arrives here.
func heldCard(t *testing.T, mw *MainWindow) (*workspace.Card, *workspace.Store) {
	t.Helper()
	s := mw.store
	c := cardByTitle(t, s, "Witkoff: peace must be")
	if err := s.SetMarking(workspace.KeyOf(c), workspace.TLPRed); err != nil {
		t.Fatal(err)
	}
	b := colleagueCopy(t, s)
	if err := s.SetMarking(workspace.KeyOf(c), workspace.TLPGreen); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UpdateCard(c.ID, "Edit card body", func(c *workspace.Card) error {
		c.Body = "HELD-TEXT the fallback line, written while the card was RED"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	importFrom(t, s, b)
	settle(mw)
	return mw.snap.Cards[c.ID], b
}

func TestWindow_BoardMarkingRaisesItsCardsBadgesWithTheReason(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	board := mw.snap.Boards[0]
	c := mw.snap.BoardCards(board.ID)[0]
	if c.TLP != workspace.TLPClear {
		t.Fatalf("the first card is %s; the test wants a CLEAR one", c.TLP)
	}
	if v := viewOf(t, mw, c.ID); v.facts.Marking == nil || v.facts.Marking.TLP != workspace.TLPClear || badgeMark(*v.facts.Marking) != "" {
		t.Fatalf("before: the card's badge shows %+v", v.facts.Marking)
	}

	// The board dialog's marking picker marks the board RED.
	mw.editBoardDialog(board.ID)
	f := mw.lastBoardForm
	f.tlp.SetSelected(workspace.TLPRed.String())
	f.form.trySave()
	if got := snapOf(t, s).Board(board.ID).TLP; got != workspace.TLPRed {
		t.Fatalf("the board is marked %s after the dialog", got)
	}
	if e := lastEntry(t, s); e.Action != "Edit board" || !wroteMarking(e, workspace.KeyOf(board)) {
		t.Fatalf("the dialog stored %q, writing the marking: %v", e.Action, wroteMarking(e, workspace.KeyOf(board)))
	}

	// Its cards show RED, marked as raised; the detail pane says why.
	v := viewOf(t, mw, c.ID)
	if m := v.facts.Marking; m == nil || m.TLP != workspace.TLPRed || m.Own != workspace.TLPClear {
		t.Fatalf("the card's badge shows %+v", v.facts.Marking)
	}
	mw.selectCard(c.ID)
	if got := mw.detail.tlpBadge.text.Text; got != "TLP:RED"+markRaised {
		t.Errorf("the detail pane's badge says %q", got)
	}
	if got := mw.detail.tlp.Selected; got != "TLP:CLEAR" {
		t.Errorf("the picker shows %q; it sets the card's own marking", got)
	}
	why := mw.detail.markWhy
	if !why.Visible() || !strings.Contains(why.Text, "Shown as TLP:RED, though marked TLP:CLEAR") || !strings.Contains(why.Text, board.Title) {
		t.Fatalf("the reason line: %q (shown %v)", why.Text, why.Visible())
	}

	// Marked CLEAR again, the board lets its cards show their own.
	mw.editBoardDialog(board.ID)
	mw.lastBoardForm.tlp.SetSelected(workspace.TLPClear.String())
	mw.lastBoardForm.form.trySave()
	if v := viewOf(t, mw, c.ID); v.facts.Marking.TLP != workspace.TLPClear || why.Visible() {
		t.Fatalf("after lowering the board: badge %+v, reason shown %v", v.facts.Marking, why.Visible())
	}
}

func TestWindow_MarkingPickerIsAMarkingActionAlsoUnchanged(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	entries := journalLen(t, s)
	// The level the card has: still an action that writes the marking.
	mw.detail.tlp.SetSelected(c.TLP.String())
	if journalLen(t, s) != entries+1 {
		t.Fatalf("picking the card's own marking stored %d actions", journalLen(t, s)-entries)
	}
	e := lastEntry(t, s)
	if !strings.HasPrefix(e.Action, "Set marking") || !wroteMarking(e, workspace.KeyOf(c)) {
		t.Fatalf("stored %q; writes the marking: %v", e.Action, wroteMarking(e, workspace.KeyOf(c)))
	}
	mw.detail.tlp.SetSelected(workspace.TLPAmber.String())
	if got := snapOf(t, s).Cards[c.ID].TLP; got != workspace.TLPAmber {
		t.Fatalf("the card is %s after picking AMBER", got)
	}
	if v := viewOf(t, mw, c.ID); v.facts.Marking.TLP != workspace.TLPAmber {
		t.Errorf("the board's badge shows %s", v.facts.Marking.TLP)
	}
}

func TestWindow_MarkingConflictIsShownAndReleasedAfterSayingWhat(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c, _ := heldCard(t, mw)
	m := mw.snap.ExplainMarking(c)
	if m.TLP != workspace.TLPRed || len(m.Conflicts()) != 1 {
		t.Fatalf("the scenario made no marking conflict: %+v", m)
	}
	// On the card.
	if v := viewOf(t, mw, c.ID); v.facts.Marking == nil || badgeMark(*v.facts.Marking) != markConflict {
		t.Fatalf("the card's badge shows %+v", v.facts.Marking)
	}
	if got := mw.toolbar.conflicts.Text; got != "1 to resolve" || !mw.toolbar.conflicts.Visible() {
		t.Errorf("the toolbar says %q", got)
	}
	mw.selectCard(c.ID)
	d := mw.detail
	if got := d.tlpBadge.text.Text; got != "TLP:RED"+markConflict {
		t.Errorf("the detail badge says %q", got)
	}
	if !d.markHeld.Visible() || !strings.Contains(d.heldText.Text, "Colleague's write of body") || !strings.Contains(d.heldText.Text, "TLP:RED") {
		t.Fatalf("the held writes: %q (shown %v)", d.heldText.Text, d.markHeld.Visible())
	}

	// Picking GREEN asks first, naming the write; cancelling stores nothing.
	entries := journalLen(t, s)
	d.tlp.SetSelected(workspace.TLPGreen.String())
	q := lastRelease
	if q == nil || !strings.Contains(q.text, "Colleague's write of body") || !strings.Contains(q.text, "TLP:GREEN") {
		t.Fatalf("no question before releasing, or one that does not say what: %+v", q)
	}
	if journalLen(t, s) != entries {
		t.Fatal("the marking was set before the analyst answered")
	}
	q.answer(false)
	if journalLen(t, s) != entries || snapOf(t, s).Marking(c) != workspace.TLPRed {
		t.Fatal("a cancelled release changed the workspace")
	}
	// The button asks again; agreeing releases the write.
	test.Tap(d.release)
	if lastRelease == nil {
		t.Fatal("Set marking again did not ask")
	}
	lastRelease.answer(true)
	snap := snapOf(t, s)
	if m := snap.ExplainMarking(snap.Cards[c.ID]); m.TLP != workspace.TLPGreen || len(m.Conflicts()) != 0 {
		t.Fatalf("after the release: %+v", m)
	}
	if d.markHeld.Visible() || mw.toolbar.conflicts.Visible() {
		t.Error("the marking conflict is still shown")
	}
	if v := viewOf(t, mw, c.ID); badgeMark(*v.facts.Marking) != "" || v.facts.Marking.TLP != workspace.TLPGreen {
		t.Errorf("the card's badge shows %+v", v.facts.Marking)
	}
}

func TestConflictsView_ListsMarkingConflictsAndReleases(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c, _ := heldCard(t, mw)
	calls := 0
	v := newConflictsView(mw.win, s, func() { calls++ })
	if err := v.refresh(); err != nil {
		t.Fatal(err)
	}
	if len(v.marks) != 1 || v.marks[0].rec.RecordBase().ID != c.ID {
		t.Fatalf("%d marking conflicts listed", len(v.marks))
	}
	row := v.marks[0]
	if len(row.held) != 1 || row.held[0].Author != "Colleague" || row.tlp.Selected != "TLP:GREEN" {
		t.Fatalf("the row: held %+v, picker %q", row.held, row.tlp.Selected)
	}
	test.Tap(row.set)
	if lastRelease == nil || !strings.Contains(lastRelease.text, "body") {
		t.Fatal("setting the marking did not say what it releases")
	}
	lastRelease.answer(true)
	if calls != 1 || len(v.marks) != 0 || v.list.Objects[0] != v.empty {
		t.Fatalf("after the release: done called %d times, %d marking conflicts left", calls, len(v.marks))
	}
	if got := snapOf(t, s).Marking(c); got != workspace.TLPGreen {
		t.Errorf("the card counts as %s", got)
	}
}

func TestWindow_SourceAnnotationAndHeaderMarkingsAreMarkingActions(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	snap := mw.snap
	// A source: picking the level it has writes its marking.
	src := snap.Sources[0]
	f := mw.sourceDialog(src, nil)
	f.tlp.SetSelected(src.TLP.String())
	f.save()
	if e := lastEntry(t, s); e.Action != "Edit source" || !wroteMarking(e, workspace.KeyOf(src)) {
		t.Fatalf("the source dialog stored %q, writing the marking: %v", e.Action, wroteMarking(e, workspace.KeyOf(src)))
	}
	// Saving it without touching the picker leaves the marking alone.
	f = mw.sourceDialog(snapOf(t, s).SourceByID[src.ID], nil)
	f.title.SetText(src.Title + " (revised)")
	f.save()
	if e := lastEntry(t, s); wroteMarking(e, workspace.KeyOf(src)) {
		t.Fatal("a save that did not touch the marking wrote it")
	}

	// An annotation: its row's menu sets its marking.
	var ann *workspace.Annotation
	var card string
	for id, as := range snap.Annotations {
		if len(as) > 0 {
			ann, card = as[0], id
			break
		}
	}
	if ann == nil {
		t.Fatal("the demo has no annotation")
	}
	mw.selectCard(card)
	menu := mw.detail.thread.markingMenus[ann.ID]
	if menu == nil {
		t.Fatal("the annotation's row has no marking menu")
	}
	for _, it := range menu.Items {
		if it.Label == workspace.TLPAmber.String() {
			it.Action()
		}
	}
	if got := snapOf(t, s).Annotations[card][0].TLP; got != workspace.TLPAmber {
		t.Fatalf("the annotation is %s after picking AMBER", got)
	}
	if e := lastEntry(t, s); !wroteMarking(e, workspace.KeyOf(ann)) {
		t.Fatalf("stored %q without writing the annotation's marking", e.Action)
	}

	// The header: workspace settings.
	ws := mw.workspaceSettingsDialog()
	ws.TLP.SetSelected(workspace.TLPGreen.String())
	ws.Save()
	if got := snapOf(t, s).Meta.TLP; got != workspace.TLPGreen {
		t.Fatalf("the header is %s after settings", got)
	}
	if e := lastEntry(t, s); !wroteMarking(e, workspace.KeyOf(&snap.Meta)) {
		t.Fatalf("settings stored %q without writing the header's marking", e.Action)
	}

	// A new board gets the marking picked in the dialog.
	mw.addBoardDialog()
	mw.lastBoardForm.title.SetText("Sanctions sequencing")
	mw.lastBoardForm.tlp.SetSelected(workspace.TLPAmber.String())
	mw.lastBoardForm.form.trySave()
	b := snapOf(t, s).FindBoard("Sanctions sequencing")
	if b == nil || b.TLP != workspace.TLPAmber {
		t.Fatalf("the new board: %+v", b)
	}
	if mw.boardID != b.ID {
		t.Error("the window does not show the new board")
	}
}

func TestCardView_RaisedMarkingMarkup(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	c := &workspace.Card{Base: workspace.Base{ID: "card3"}, Title: "Security guarantee text, as quoted from the RED annex",
		Kind: workspace.KindStatement, TLP: workspace.TLPGreen, Tags: []string{"guarantees"}}
	m := workspace.Marking{TLP: workspace.TLPRed, Own: workspace.TLPGreen}
	cv := NewCardView()
	cv.SetCard(c, cardFacts{Marking: &m}, false)
	w := test.NewTempWindow(t, cv)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(260, cardHeight()))
	test.AssertRendersToMarkup(t, "card_raised_marking.xml", w.Canvas())
}
