package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/ui/appdata"
	"briefboard/workspace"
)

func TestWindow_ShowsFirstBoardOfDemo(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	snap := snapOf(t, s)
	if mw.boardID != snap.Boards[0].ID {
		t.Fatalf("board shown = %s, want the first board", mw.boardID)
	}
	if got, want := len(mw.board.lanes), len(snap.Lanes[snap.Boards[0].ID]); got != want {
		t.Fatalf("%d lanes shown, want %d", got, want)
	}
	for _, lv := range mw.board.lanes {
		if got, want := len(lv.cards), len(snap.LaneCards[lv.lane.ID]); got != want {
			t.Errorf("lane %s shows %d cards, store has %d", lv.lane.Name, got, want)
		}
	}
	if !strings.Contains(mw.win.Title(), snap.Meta.Title) {
		t.Errorf("title %q does not name the workspace", mw.win.Title())
	}
}

func TestWindow_AddCard(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	before := len(snapOf(t, s).Cards)

	test.Tap(mw.toolbar.newCard)
	n := mw.lastNewCard
	if n == nil {
		t.Fatal("New card opened no dialog")
	}
	if mw.win.Canvas().Focused() != n.Title {
		t.Fatal("the title field of the new card does not have the cursor")
	}
	// An empty title is refused next to the field, and nothing is stored.
	n.Submit()
	if got := len(snapOf(t, s).Cards); got != before {
		t.Fatalf("an empty title added a card: %d cards, want %d", got, before)
	}
	if e := n.form.errs["title"]; !e.Visible() || !strings.Contains(e.Text, "cannot be empty") {
		t.Fatalf("no reason shown under the title: %q", e.Text)
	}

	test.Type(n.Title, "Monitoring of a ceasefire line — Київ asks who")
	n.Title.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})

	snap := snapOf(t, s)
	if got := len(snap.Cards); got != before+1 {
		t.Fatalf("%d cards after adding, want %d", got, before+1)
	}
	c := cardByTitle(t, s, "Monitoring of a ceasefire line")
	if c.Board != snap.Boards[0].ID || c.Lane != snap.Lanes[c.Board][0].ID {
		t.Errorf("new card went to %s/%s, want the first lane of the board shown", c.Board, c.Lane)
	}
	if c.TLP != snap.Meta.DefaultTLP || c.CreatedBy != "Olena Test" {
		t.Errorf("new card TLP %v by %q, want the default %v by the analyst", c.TLP, c.CreatedBy, snap.Meta.DefaultTLP)
	}
	if mw.selected != c.ID || mw.detail.title.Text != c.Title {
		t.Errorf("the new card is not selected and shown in the detail pane")
	}
	if lastAction(t, s) != "Add card" || mw.UndoLabel() != "Undo add card" {
		t.Errorf("journal %q, menu %q", lastAction(t, s), mw.UndoLabel())
	}
}

func TestWindow_TypingIsOnePendingEdit(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	entries := journalLen(t, s)

	mw.win.Canvas().Focus(mw.detail.title)
	mw.detail.title.CursorColumn = len([]rune(mw.detail.title.Text))
	test.Type(mw.detail.title, " (revised)")
	if got := cardByTitle(t, s, "Witkoff: peace must be").Title; got != c.Title {
		t.Fatalf("typing was stored key by key: %q", got)
	}
	// A change made elsewhere meanwhile redraws the pane but never
	// overwrites the field being typed in.
	if _, err := s.AddAnnotation(c.ID, workspace.AnnComment, "Check the transcript.", nil); err != nil {
		t.Fatal(err)
	}
	if want := c.Title + " (revised)"; mw.detail.title.Text != want {
		t.Fatalf("the focused field was overwritten: %q, want %q", mw.detail.title.Text, want)
	}
	mw.win.Canvas().Unfocus()

	got := cardByTitle(t, s, "Witkoff: peace must be")
	if got.Title != c.Title+" (revised)" {
		t.Fatalf("title in store %q", got.Title)
	}
	if n := journalLen(t, s); n != entries+2 {
		t.Fatalf("%d journal entries for an annotation and one visit of the field, want 2", n-entries)
	}
	if lastAction(t, s) != "Edit card title" || mw.UndoLabel() != "Undo edit card title" {
		t.Errorf("last action %q, menu %q", lastAction(t, s), mw.UndoLabel())
	}
}

func TestWindow_TypingIsStoredAfterAPause(t *testing.T) {
	old := editPause
	t.Cleanup(func() { editPause = old })
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	mw.win.Canvas().Focus(mw.detail.body)
	entries := journalLen(t, s)
	// Keys typed without a pause between them (however slow the machine)
	// are one pending edit; the pause after the last key stores it.
	const text = "Said on 28 December."
	editPause = time.Hour
	test.Type(mw.detail.body, text[:len(text)-1])
	if n := journalLen(t, s) - entries; n != 0 {
		t.Fatalf("%d actions while typing, want none before the pause", n)
	}
	editPause = 60 * time.Millisecond
	test.Type(mw.detail.body, text[len(text)-1:])
	// The pause ends, the edit is stored and the window redrawn from it.
	mw.detail.body.waiting.Wait()
	if n := journalLen(t, s) - entries; n != 1 {
		t.Fatalf("%d actions after a pause in typing, want 1", n)
	}
	if got := snapOf(t, s).Cards[c.ID].Body; !strings.HasPrefix(got, "Said on 28 December.") {
		t.Fatalf("body %q", got)
	}
	if mw.win.Canvas().Focused() != mw.detail.body {
		t.Error("storing after the pause took the cursor away")
	}
}

func TestWindow_RefusedTitleIsShownAndNotStored(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	entries := journalLen(t, s)
	mw.win.Canvas().Focus(mw.detail.title)
	mw.detail.title.SetText("   ")
	mw.win.Canvas().Unfocus()
	if got := snapOf(t, s).Cards[c.ID].Title; got != c.Title {
		t.Fatalf("an empty title was stored: %q", got)
	}
	if journalLen(t, s) != entries {
		t.Fatal("a refused value left a journal entry")
	}
	e := mw.detail.title.errText
	if !e.Visible() || !strings.Contains(e.Text, "title cannot be empty") {
		t.Fatalf("reason under the field: %q (shown %v)", e.Text, e.Visible())
	}
	// The refused text stays for the analyst to fix, even across redraws.
	mw.reload()
	settle(mw)
	if mw.detail.title.Text != "   " {
		t.Fatalf("the refused text was replaced by %q", mw.detail.title.Text)
	}
	mw.win.Canvas().Focus(mw.detail.title)
	mw.detail.title.SetText("Witkoff: peace must be more than a ceasefire, he says")
	mw.win.Canvas().Unfocus()
	if e.Visible() {
		t.Error("the reason stays after a good value")
	}
	if got := snapOf(t, s).Cards[c.ID].Title; got != "Witkoff: peace must be more than a ceasefire, he says" {
		t.Fatalf("title %q", got)
	}
}

func TestWindow_EditFieldsOfAJudgment(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	d := mw.detail
	if d.judgment.Visible() {
		t.Fatal("likelihood and confidence shown for a statement")
	}
	d.kind.SetSelected("Key judgment")
	if got := snapOf(t, s).Cards[c.ID].Kind; got != workspace.KindJudgment {
		t.Fatalf("kind %q", got)
	}
	if !d.judgment.Visible() {
		t.Fatal("likelihood and confidence hidden for a key judgment")
	}
	d.likelihood.SetSelected(likelihoodOption(workspace.LikelihoodLikely))
	d.confidence.SetSelected("Moderate")
	d.tlp.SetSelected("TLP:AMBER+STRICT")
	mw.win.Canvas().Focus(d.tags)
	d.tags.SetText("ceasefire, #guarantees, ")
	mw.win.Canvas().Unfocus()
	got := snapOf(t, s).Cards[c.ID]
	if got.Likelihood != workspace.LikelihoodLikely || got.Confidence != workspace.ConfidenceModerate {
		t.Errorf("likelihood %q confidence %q", got.Likelihood, got.Confidence)
	}
	if got.TLP != workspace.TLPAmberStrict {
		t.Errorf("TLP %v", got.TLP)
	}
	if strings.Join(got.Tags, "|") != "ceasefire|guarantees" {
		t.Errorf("tags %q", got.Tags)
	}
	// Duplicate tags are refused next to the field.
	mw.win.Canvas().Focus(d.tags)
	d.tags.SetText("a, a")
	mw.win.Canvas().Unfocus()
	if !d.tags.errText.Visible() || !strings.Contains(d.tags.errText.Text, "twice") {
		t.Errorf("duplicate tags: reason %q", d.tags.errText.Text)
	}
	if strings.Join(snapOf(t, s).Cards[c.ID].Tags, "|") != "ceasefire|guarantees" {
		t.Error("refused tags were stored")
	}
}

func TestWindow_PositionsSourcesAndLinks(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	other := cardByTitle(t, s, "Ushakov: Moscow will decide")
	mw.selectCard(c.ID)
	snap := snapOf(t, s)
	ru := ""
	for _, p := range snap.Meta.Parties {
		if p.Short == "RU" {
			ru = p.ID
		}
	}
	mw.detail.tabs.Select(mw.detail.tabPositions)
	row := mw.detail.positions.byParty[ru]
	row.stance.SetSelected(workspace.StanceRedLine.Label())
	mw.win.Canvas().Focus(row.note)
	test.Type(row.note, "Ushakov, 28 Dec")
	mw.win.Canvas().Unfocus()
	if p := snapOf(t, s).Cards[c.ID].Positions[ru]; p.Stance != workspace.StanceRedLine || p.Note != "Ushakov, 28 Dec" {
		t.Fatalf("position %+v", p)
	}

	// Cite a source that the card does not cite yet, and quote it.
	var src *workspace.Source
	for _, x := range snap.Sources {
		cited := false
		for _, ci := range c.Citations {
			cited = cited || ci.Source == x.ID
		}
		if !cited {
			src = x
		}
	}
	n := len(c.Citations)
	mw.detail.sources.cite(src.ID)
	cur := snapOf(t, s).Cards[c.ID]
	if len(cur.Citations) != n+1 || cur.Citations[n].Source != src.ID {
		t.Fatalf("citations %+v", cur.Citations)
	}
	mw.detail.tabs.Select(mw.detail.tabSources)
	q := mw.detail.sources.cards[n].quote
	mw.win.Canvas().Focus(q)
	test.Type(q, "“a lasting peace”")
	mw.win.Canvas().Unfocus()
	if got := snapOf(t, s).Cards[c.ID].Citations[n].Quote; got != "“a lasting peace”" {
		t.Fatalf("quote %q", got)
	}

	// Link to another card; the other card shows the backlink.
	mw.detail.links.pick()
	p := mw.lastPicker
	test.Type(p.search, "Ushakov Moscow")
	if len(p.items) == 0 || p.items[0].id != other.ID {
		t.Fatalf("picker found %+v", p.items)
	}
	p.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	links := snapOf(t, s).Cards[c.ID].Links
	if len(links) == 0 || links[len(links)-1].To != other.ID || links[len(links)-1].Type != workspace.LinkDependsOn {
		t.Fatalf("links %+v", links)
	}
	mw.selectCard(other.ID)
	found := false
	for _, o := range mw.detail.links.back.Objects {
		for _, x := range o.(*fyne.Container).Objects {
			if h, ok := x.(*widget.Hyperlink); ok && h.Text == c.Title {
				found = true
			}
		}
	}
	if !found {
		t.Fatal("the linked card does not show the backlink")
	}
}

func TestWindow_NewSourceRefusesABadDate(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	sources := len(snapOf(t, s).Sources)
	f := mw.sourceDialog(nil, func(src *workspace.Source) { mw.detail.sources.cite(src.ID) })
	f.title.SetText("Interfax, 29 December")
	f.date.SetText("29/12/2025")
	f.rel.SetSelectedIndex(2)
	f.cred.SetSelectedIndex(3)
	if !strings.Contains(f.meaning.Text, "B3") || !strings.Contains(f.meaning.Text, "usually reliable") {
		t.Errorf("grade meaning %q", f.meaning.Text)
	}
	f.save()
	if len(snapOf(t, s).Sources) != sources {
		t.Fatal("a source with a bad date was stored")
	}
	if e := f.errs["infoDate"]; !e.Visible() || !strings.Contains(e.Text, "YYYY") {
		t.Fatalf("date reason %q", e.Text)
	}
	f.date.SetText("2025-12-29")
	f.save()
	snap := snapOf(t, s)
	if len(snap.Sources) != sources+1 {
		t.Fatal("the source was not stored")
	}
	cur := snap.Cards[c.ID]
	last := snap.SourceByID[cur.Citations[len(cur.Citations)-1].Source]
	if last == nil || last.Title != "Interfax, 29 December" || last.Grade.String() != "B3" || last.InfoDate != "2025-12-29" {
		t.Fatalf("cited source %+v", last)
	}
}

func TestWindow_KeyboardMoves(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	snap := snapOf(t, s)
	b := snap.Boards[0]
	lanes := snap.Lanes[b.ID]
	first := snap.LaneCards[lanes[0].ID][0]
	second := snap.LaneCards[lanes[0].ID][1]

	// Arrows select; Alt+arrows move.
	mw.selectCard(first.ID)
	typeKey(mw, fyne.KeyDown)
	if mw.selected != second.ID {
		t.Fatalf("Down selected %s, want the second card", mw.selected)
	}
	press(mw, key(fyne.KeyUp, alt))
	if _, i := laneIndex(t, s, second.ID); i != 0 {
		t.Fatalf("Alt+Up left the card at %d", i)
	}
	if mw.UndoLabel() != "Undo move card" {
		t.Errorf("undo label %q", mw.UndoLabel())
	}
	press(mw, key(fyne.KeyDown, alt))
	if _, i := laneIndex(t, s, second.ID); i != 1 {
		t.Fatalf("Alt+Down left the card at %d", i)
	}
	press(mw, key(fyne.KeyRight, alt))
	if lane, _ := laneIndex(t, s, second.ID); lane != lanes[1].ID {
		t.Fatalf("Alt+Right: lane %s, want %s", lane, lanes[1].Name)
	}
	press(mw, key(fyne.KeyLeft, alt))
	if lane, _ := laneIndex(t, s, second.ID); lane != lanes[0].ID {
		t.Fatalf("Alt+Left: lane %s, want %s", lane, lanes[0].Name)
	}
	press(mw, key(fyne.KeyPageDown, alt))
	got := snapOf(t, s).Cards[second.ID]
	if got.Board != snap.Boards[1].ID || snap.LaneName(got) != "Open" {
		t.Fatalf("Alt+Page Down: board %s lane %s", got.Board, snap.LaneName(got))
	}
	if mw.boardID != snap.Boards[1].ID || mw.selected != second.ID {
		t.Error("the window did not follow the card to its board")
	}
	// Delete, then undo brings it back.
	typeKey(mw, fyne.KeyDelete)
	if snapOf(t, s).Cards[second.ID] != nil {
		t.Fatal("Delete kept the card")
	}
	press(mw, &fyne.ShortcutUndo{})
	if snapOf(t, s).Cards[second.ID] == nil {
		t.Fatal("undo did not bring the card back")
	}
}

func TestWindow_DragBetweenLanesWithinALaneAndToABoard(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	snap := snapOf(t, s)
	lanes := snap.Lanes[snap.Boards[0].ID]
	open := snap.LaneCards[lanes[0].ID]
	bracketed := snap.LaneCards[lanes[1].ID]
	d := fyne.CurrentApp().Driver()

	// Onto the top half of the first card of the next lane: before it.
	target := viewOf(t, mw, bracketed[0].ID)
	at := d.AbsolutePositionForObject(target).AddXY(30, 5)
	dragTo(viewOf(t, mw, open[0].ID), at)
	if lane, i := laneIndex(t, s, open[0].ID); lane != lanes[1].ID || i != 0 {
		t.Fatalf("dragged card in lane %s at %d, want Bracketed at 0", lane, i)
	}
	if mw.layer.Objects != nil {
		t.Error("the drag ghost stayed on screen")
	}

	// Within a lane: the first card below the third.
	cur := snapOf(t, s).LaneCards[lanes[0].ID]
	third := viewOf(t, mw, cur[2].ID)
	at = d.AbsolutePositionForObject(third).AddXY(30, third.Size().Height-5)
	dragTo(viewOf(t, mw, cur[0].ID), at)
	if _, i := laneIndex(t, s, cur[0].ID); i != 2 {
		t.Fatalf("card dragged below the third is at %d", i)
	}

	// Onto another board in the sidebar: same lane name, at the end.
	var row *navRow
	for _, r := range mw.sidebar.rows {
		if r.boardID == snap.Boards[2].ID && inside(mw.sidebar.boards, d.AbsolutePositionForObject(r).AddXY(5, 5)) {
			row = r
		}
	}
	if row == nil {
		t.Fatal("no sidebar row for the third board")
	}
	moved := cur[1].ID
	dragTo(viewOf(t, mw, moved), d.AbsolutePositionForObject(row).AddXY(40, 10))
	got := snapOf(t, s).Cards[moved]
	if got.Board != snap.Boards[2].ID || snapOf(t, s).LaneName(got) != "Open" {
		t.Fatalf("dropped on a board: %s / %s", got.Board, snapOf(t, s).LaneName(got))
	}
	// A drop outside every lane and board changes nothing.
	n := journalLen(t, s)
	cur = snapOf(t, s).LaneCards[lanes[0].ID]
	dragTo(viewOf(t, mw, cur[0].ID), fyne.NewPos(1270, 790))
	if journalLen(t, s) != n {
		t.Fatal("a drop on nothing moved the card")
	}
}

func TestWindow_AnnotateResolveReopen(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	press(mw, key(fyne.KeyM, ctrl|shift))
	th := mw.detail.thread
	if mw.win.Canvas().Focused() != th.text {
		t.Fatal("Add annotation did not put the cursor in the thread")
	}
	th.kind.SetSelected("Question")
	test.Type(th.text, "Does he mean a peace treaty or a ceasefire?")
	th.text.TypedShortcut(key(fyne.KeyReturn, ctrl))
	anns := snapOf(t, s).Annotations[c.ID]
	a := anns[len(anns)-1]
	if a.Text != "Does he mean a peace treaty or a ceasefire?" || a.Kind != workspace.AnnQuestion || a.Author != "Olena Test" || a.Resolved {
		t.Fatalf("annotation %+v", a)
	}
	if th.text.Text != "" {
		t.Error("the composer kept the text")
	}
	if mw.detail.tabThread.Text != "Thread 1" {
		t.Errorf("thread tab %q", mw.detail.tabThread.Text)
	}
	test.Tap(th.resolveButtons[a.ID])
	if !findAnn(snapOf(t, s), c.ID, a.ID).Resolved {
		t.Fatal("Resolve left the annotation open")
	}
	if mw.UndoLabel() != "Undo resolve annotation" {
		t.Errorf("undo label %q", mw.UndoLabel())
	}
	test.Tap(th.resolveButtons[a.ID])
	if findAnn(snapOf(t, s), c.ID, a.ID).Resolved {
		t.Fatal("Reopen left the annotation resolved")
	}
	// An empty annotation is refused.
	n := len(snapOf(t, s).Annotations[c.ID])
	test.Tap(th.add)
	if len(snapOf(t, s).Annotations[c.ID]) != n || !th.err.Visible() {
		t.Fatal("an empty annotation was stored or not explained")
	}
}

func findAnn(snap *workspace.Snapshot, card, id string) *workspace.Annotation {
	for _, a := range snap.Annotations[card] {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func TestWindow_UndoRedoFromTheJournal(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	if mw.UndoLabel() != "Undo" || !mw.menu.undo.Disabled {
		t.Fatalf("fresh workspace: undo %q disabled=%v", mw.UndoLabel(), mw.menu.undo.Disabled)
	}
	snap := snapOf(t, s)
	lanes := snap.Lanes[snap.Boards[0].ID]
	c := snap.LaneCards[lanes[0].ID][0]
	mw.selectCard(c.ID)
	press(mw, key(fyne.KeyRight, alt))
	if lane, _ := laneIndex(t, s, c.ID); lane != lanes[1].ID {
		t.Fatal("move failed")
	}
	if mw.UndoLabel() != "Undo move card" {
		t.Fatalf("undo label %q", mw.UndoLabel())
	}
	press(mw, &fyne.ShortcutUndo{})
	if lane, i := laneIndex(t, s, c.ID); lane != lanes[0].ID || i != 0 {
		t.Fatalf("after undo: lane %s at %d", lane, i)
	}
	if mw.RedoLabel() != "Redo move card" {
		t.Fatalf("redo label %q", mw.RedoLabel())
	}
	press(mw, key(fyne.KeyZ, ctrl|shift))
	if lane, _ := laneIndex(t, s, c.ID); lane != lanes[1].ID {
		t.Fatal("Ctrl+Shift+Z did not redo")
	}
	press(mw, &fyne.ShortcutUndo{})
	press(mw, &fyne.ShortcutRedo{})
	if lane, _ := laneIndex(t, s, c.ID); lane != lanes[1].ID {
		t.Fatal("Ctrl+Y did not redo")
	}
	// While a text field has focus, Ctrl+Z is its own typing undo and the
	// workspace is left alone.
	mw.selectCard(c.ID)
	mw.win.Canvas().Focus(mw.detail.title)
	n := journalLen(t, s)
	press(mw, &fyne.ShortcutUndo{})
	if journalLen(t, s) != n {
		t.Fatal("Ctrl+Z in a text field undid a workspace action")
	}
	if lane, _ := laneIndex(t, s, c.ID); lane != lanes[1].ID {
		t.Fatal("Ctrl+Z in a text field moved the card back")
	}
}

func TestWindow_FindFiltersLiveAndCounts(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	press(mw, key(fyne.KeyF, ctrl))
	f := mw.find
	if !f.active() || mw.win.Canvas().Focused() != f.entry {
		t.Fatal("Ctrl+F did not open the find bar with the cursor in it")
	}
	test.Type(f.entry, "witkoff")
	want := workspace.NewIndex(snapOf(t, s)).Search(workspace.Query{Text: "witkoff"})
	if len(want) == 0 {
		t.Fatal("the demo has no Witkoff card")
	}
	if f.matchCount() != len(want) {
		t.Fatalf("%d matches, index says %d", f.matchCount(), len(want))
	}
	shown := 0
	for _, lv := range mw.board.lanes {
		for _, c := range lv.cards {
			if !f.matches[c.ID] {
				t.Errorf("card %q shown but does not match", c.Title)
			}
			shown++
		}
	}
	here := 0
	for _, c := range want {
		if c.Board == mw.boardID {
			here++
		}
	}
	if here == 0 || here == len(want) {
		t.Fatalf("%d of %d Witkoff cards on the board shown; the count needs some here and some elsewhere", here, len(want))
	}
	count := fmt.Sprintf("%d on this board · %d of %d in all", here, len(want), len(snapOf(t, s).Cards))
	if shown != here || f.count.Text != count {
		t.Fatalf("board shows %d, want %d; count %q, want %q", shown, here, f.count.Text, count)
	}
	// Filters narrow further: TLP, and a party's stance.
	f.entry.SetText("")
	f.tlp.SetSelected("TLP:GREEN")
	green := snapOf(t, s)
	if len(f.matches) == 0 {
		t.Fatal("the TLP filter matches nothing; the demo has GREEN cards")
	}
	for id := range f.matches {
		if green.Marking(green.Cards[id]) != workspace.TLPGreen {
			t.Fatalf("TLP filter let %s through", id)
		}
	}
	f.tlp.SetSelected(anyTLP)
	f.party.SetSelected("Russia")
	f.stance.SetSelected(workspace.StanceRedLine.Label())
	snap := snapOf(t, s)
	if len(f.matches) == 0 {
		t.Fatal("the stance filter matches nothing; the demo has Russian red lines")
	}
	for id := range f.matches {
		ok := false
		for pid, p := range snap.Cards[id].Positions {
			ok = ok || snap.Party(pid).Name == "Russia" && p.Stance == workspace.StanceRedLine
		}
		if !ok {
			t.Fatalf("stance filter let %q through", snap.Cards[id].Title)
		}
	}
	// Escape closes the bar and shows every card again.
	f.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.active() || f.matches != nil {
		t.Fatal("Escape left the filter on")
	}
	total := 0
	for _, lv := range mw.board.lanes {
		total += len(lv.cards)
	}
	if total != len(snap.BoardCards(mw.boardID)) {
		t.Fatalf("%d cards shown after closing find", total)
	}
}

func TestWindow_OverviewShowsEveryPillar(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	press(mw, key(fyne.Key0, ctrl))
	snap := snapOf(t, s)
	if mw.view != viewOverview || len(mw.overview.cols) != len(snap.Boards) {
		t.Fatalf("overview shows %d columns, want %d", len(mw.overview.cols), len(snap.Boards))
	}
	for i, col := range mw.overview.cols {
		if len(col.cards) != len(snap.BoardCards(snap.Boards[i].ID)) {
			t.Errorf("column %s: %d cards", col.board.Title, len(col.cards))
		}
	}
	// Drag a card from the first pillar onto the third column.
	c := mw.overview.cols[0].cards[0]
	var from *CardView
	for _, v := range visibleIn(mw.overview.cols[0].list, mw.overview.cols[0].views) {
		if v.CardID() == c.ID {
			from = v
		}
	}
	d := fyne.CurrentApp().Driver()
	col := mw.overview.cols[2]
	dragTo(from, d.AbsolutePositionForObject(col.list).AddXY(40, 5))
	got := snapOf(t, s).Cards[c.ID]
	if got.Board != snap.Boards[2].ID {
		t.Fatalf("card dropped on the third pillar is on %s", got.Board)
	}
	press(mw, key(fyne.Key1, ctrl))
	if mw.view != viewBoard || mw.boardID != snap.Boards[0].ID {
		t.Fatal("Ctrl+1 did not show the first board")
	}
}

func TestWindow_PreferencesGoToProfileMetaAndApp(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	p := mw.preferencesDialog()
	p.Name.SetText("Taras Analyst")
	p.Initials.SetText("TA")
	p.TLP.SetSelected("TLP:AMBER")
	p.Theme.SetSelected("Dark")
	p.Paper.SetSelected("US Letter")
	p.Save()
	prof, _ := s.Profile()
	if prof.Name != "Taras Analyst" || prof.Initials != "TA" {
		t.Fatalf("profile %+v", prof)
	}
	if snapOf(t, s).Meta.DefaultTLP != workspace.TLPAmber {
		t.Fatal("default TLP not stored")
	}
	prefs := settingsOf(mw.app)
	if prefs.String(prefTheme) != ThemeDark || paper(mw.app) != PaperLetter || prefs.String(prefName) != "Taras Analyst" {
		t.Fatalf("preferences theme %q paper %q name %q", prefs.String(prefTheme), paper(mw.app), prefs.String(prefName))
	}
	// Initials longer than the model allows are refused next to the field.
	p = mw.preferencesDialog()
	p.Initials.SetText("ABCDEFGHIJK")
	p.Save()
	if prof, _ := s.Profile(); prof.Initials != "TA" {
		t.Fatal("refused initials were stored")
	}
	if !p.form.errs["initials"].Visible() {
		t.Fatal("no reason under the initials")
	}
}

func TestWindow_LockedWorkspaceSaysSoAndNamesIt(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	other, err := workspace.Open(s.Dir(), workspace.Options{})
	if err == nil {
		other.Close()
		t.Fatal("a second open of the same workspace succeeded")
	}
	// A window without a workspace explains the lock and names the folder.
	mw2 := NewMainWindow(mw.app, nil)
	defer mw2.win.Close()
	mw2.showOpenError(s.Dir(), err)
	if !strings.Contains(mw2.openErrorText, s.Dir()) || !strings.Contains(mw2.openErrorText, "already open in another Briefboard") {
		t.Fatalf("message %q", mw2.openErrorText)
	}
	if !mw2.emptyPage.Visible() || mw2.body.Visible() {
		t.Fatal("the no-workspace page is not shown")
	}
	// Opening it from the menu of a window that has it already open
	// elsewhere keeps the current workspace.
	mw2.openDir(s.Dir())
	settle(mw2)
	if mw2.store != nil {
		t.Fatal("a locked workspace was opened")
	}
}

func TestWindow_NewWorkspaceFromTemplateSwitchesAndReleasesTheOld(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	n := mw.newWorkspaceForm()
	for i, o := range n.Template.Options {
		if strings.HasPrefix(o, "Empty") {
			n.Template.SetSelectedIndex(i)
		}
	}
	dir := t.TempDir() + "/fresh"
	n.Folder.SetText(dir)
	n.Create()
	settle(mw)
	if mw.store == s || mw.store == nil || !sameDir(mw.store.Dir(), dir) {
		t.Fatal("the window did not switch to the new workspace")
	}
	t.Cleanup(func() { mw.store.Close() })
	// The old workspace's lock is released: it opens again.
	again, err := workspace.Open(s.Dir(), workspace.Options{})
	if err != nil {
		t.Fatalf("the old workspace is still locked: %v", err)
	}
	again.Close()
	if recent, _ := appdata.Recent(); len(recent) == 0 || !sameDir(recent[0], dir) {
		t.Fatalf("recent %v", recent)
	}
	// An existing, non-empty folder is refused next to the field.
	n = mw.newWorkspaceForm()
	n.Folder.SetText(s.Dir())
	n.Create()
	if !n.form.errs["folder"].Visible() {
		t.Fatal("a non-empty folder was not refused")
	}
}

func TestWindow_BoardOf2000CardsIsVirtualised(t *testing.T) {
	s := winStore(t)
	seedCards(t, s, 2000)
	start := time.Now()
	mw := winOpen(t, s)
	opened := time.Since(start)
	cards, atTop := 0, 0
	for _, lv := range mw.board.lanes {
		cards += len(lv.cards)
		atTop += len(lv.views)
	}
	if cards < 2000 || atTop == 0 {
		t.Fatalf("the board holds %d cards and %d card views; the check below proves nothing", cards, atTop)
	}
	for _, lv := range mw.board.lanes {
		lv.list.ScrollToBottom()
	}
	created := 0
	for _, lv := range mw.board.lanes {
		created += len(lv.views)
	}
	// Scrolled to the bottom, each lane has made views for what it shows
	// at the top and at the bottom at most, never one per card.
	if created > 2*atTop+10 || created > 200 {
		t.Fatalf("%d card views made for a board of %d cards (%d at the top); lists are not virtualised", created, cards, atTop)
	}
	t.Logf("opened a board of %d cards in %v with %d card views, %d after scrolling to the bottom", len(snapOf(t, s).Cards), opened, atTop, created)
}

func TestWindow_EncryptedWorkspaceAsksItsPassphrase(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	n := mw.newWorkspaceForm()
	dir := t.TempDir() + "/secret"
	n.Folder.SetText(dir)
	n.Pass.SetText("correct horse")
	n.Create()
	settle(mw)
	if mw.store == nil || !sameDir(mw.store.Dir(), dir) {
		t.Fatal("the encrypted workspace was not opened")
	}
	// Open the first workspace again, then the encrypted one from its
	// folder: its passphrase is asked for, a wrong one asked again.
	mw.openDir(s.Dir())
	settle(mw)
	t.Cleanup(func() { mw.store.Close() })
	if !sameDir(mw.store.Dir(), s.Dir()) {
		t.Fatalf("switched to %s", mw.store.Dir())
	}
	mw.openDir(dir)
	settle(mw)
	if mw.lastPassEntry == nil || !sameDir(mw.store.Dir(), s.Dir()) {
		t.Fatal("no passphrase asked, or the window switched without one")
	}
	first := mw.lastPassEntry
	test.Type(first, "wrong")
	first.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	settle(mw)
	if mw.lastPassEntry == first || !sameDir(mw.store.Dir(), s.Dir()) {
		t.Fatal("a wrong passphrase was not asked again")
	}
	test.Type(mw.lastPassEntry, "correct horse")
	mw.lastPassEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	settle(mw)
	if !sameDir(mw.store.Dir(), dir) {
		t.Fatal("the right passphrase did not open the workspace")
	}
	if len(snapOf(t, mw.store).Boards) == 0 {
		t.Fatal("the encrypted workspace shows no boards")
	}
}

func TestWindow_UndoButtonWhileTypingStoresThenUndoesTheTyping(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	c := cardByTitle(t, s, "Witkoff: peace must be")
	mw.selectCard(c.ID)
	press(mw, key(fyne.KeyDown, alt))
	if mw.toolbar.undo.Disabled() {
		t.Fatal("undo is not offered after a move")
	}
	mw.win.Canvas().Focus(mw.detail.title)
	mw.detail.title.CursorColumn = len([]rune(mw.detail.title.Text))
	test.Type(mw.detail.title, " (draft)")
	// The toolbar's Undo, pressed while the field still has the cursor:
	// the typing becomes one action, and that action is undone.
	test.Tap(mw.toolbar.undo)
	if got := snapOf(t, s).Cards[c.ID].Title; got != c.Title {
		t.Fatalf("store title %q after undo, want %q", got, c.Title)
	}
	if mw.detail.title.Text != c.Title {
		t.Fatalf("the field shows %q, the store %q", mw.detail.title.Text, c.Title)
	}
	if mw.RedoLabel() != "Redo edit card title" {
		t.Errorf("redo label %q", mw.RedoLabel())
	}
}

func TestWindow_MoveLanesAndBoards(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	snap := snapOf(t, s)
	b := snap.Boards[0]
	lanes := snap.Lanes[b.ID]
	mw.moveLane(lanes[0].ID, 1)
	got := snapOf(t, s).Lanes[b.ID]
	if got[0].ID != lanes[1].ID || got[1].ID != lanes[0].ID {
		t.Fatalf("lanes after moving the first right: %s, %s", got[0].Name, got[1].Name)
	}
	if mw.board.lanes[1].lane.ID != lanes[0].ID {
		t.Fatal("the board does not show the new lane order")
	}
	if lastAction(t, s) != "Move lane" {
		t.Fatalf("last action %q", lastAction(t, s))
	}
	n := journalLen(t, s)
	mw.moveLane(lanes[4].ID, 1) // already last: nothing happens
	if got := snapOf(t, s).Lanes[b.ID]; journalLen(t, s) != n || got[4].ID != lanes[4].ID {
		t.Fatalf("moving the last lane right recorded %d actions, lanes end with %s", journalLen(t, s)-n, got[4].Name)
	}
	mw.moveBoard(snap.Boards[3].ID, -1)
	boards := snapOf(t, s).Boards
	if boards[2].ID != snap.Boards[3].ID || journalLen(t, s) != n+1 {
		t.Fatalf("board order %s, %s", boards[2].Title, boards[3].Title)
	}
	press(mw, &fyne.ShortcutUndo{})
	if snapOf(t, s).Boards[3].ID != snap.Boards[3].ID {
		t.Fatal("undo did not put the board back")
	}
}

func TestWindow_WorkspaceSettingsRenameAndAddParties(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	before := snapOf(t, s).Meta
	mw.selectCard(cardByTitle(t, s, "Witkoff: peace must be").ID)
	if got := len(mw.detail.positions.parties); got != 4 {
		t.Fatalf("positions editor lists %d parties before, want 4", got)
	}
	ws := mw.workspaceSettingsDialog()
	ws.Title.SetText("Florida talks, second round")
	ws.Parties[3][0].SetText("European Union and UK")
	ws.AddParty()
	ws.Parties[4][0].SetText("Türkiye")
	ws.Parties[4][1].SetText("TR")
	ws.Save()
	m := snapOf(t, s).Meta
	if m.Title != "Florida talks, second round" || len(m.Parties) != 5 {
		t.Fatalf("meta %q with %d parties", m.Title, len(m.Parties))
	}
	if m.Parties[3].ID != before.Parties[3].ID || m.Parties[3].Name != "European Union and UK" {
		t.Fatalf("renamed party %+v", m.Parties[3])
	}
	if m.Parties[4].Name != "Türkiye" || m.Parties[4].Short != "TR" || m.Parties[4].ID == "" {
		t.Fatalf("new party %+v", m.Parties[4])
	}
	if got := len(mw.detail.positions.parties); mw.selected == "" || got != 5 {
		t.Fatalf("positions editor of card %q lists %d parties, want 5", mw.selected, got)
	}
	// An empty party name is refused and nothing changes.
	ws = mw.workspaceSettingsDialog()
	ws.Parties[0][0].SetText("")
	ws.Save()
	if snapOf(t, s).Meta.Parties[0].Name != before.Parties[0].Name {
		t.Fatal("an empty party name was stored")
	}
	if !ws.form.errs["parties"].Visible() {
		t.Fatal("no reason shown for the empty party name")
	}
}
