package ui

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// boardByTitle finds a board of the window's snapshot by its title.
func boardByTitle(t *testing.T, mw *MainWindow, title string) *workspace.Board {
	t.Helper()
	for _, b := range mw.snap.Boards {
		if b.Title == title {
			return b
		}
	}
	t.Fatalf("no board %q", title)
	return nil
}

// changedFilter opens Find's filters and sets "Changed since the last
// brief", as the menu entry does.
func changedFilter(t *testing.T, mw *MainWindow) {
	t.Helper()
	menuItem(t, mw, "Show cards changed since the last brief").Action()
	if !mw.find.active() || !mw.find.sinceBrief.Checked {
		t.Fatal("the menu entry did not set Find's filter")
	}
}

// The demo's one recorded brief (before the Florida round) held three
// cards: the filter shows what Florida added, and not the unchanged
// context card.
func TestRounds_FilterShowsWhatTheFloridaRoundAdded(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	snap := snapOf(t, s)
	if len(snap.Briefs) != 2 {
		t.Fatalf("the demo has %d recorded briefs, want 2 (uncapped and GREEN)", len(snap.Briefs))
	}
	invasion := cardByTitle(t, s, "Full-scale invasion began").ID
	participants := cardByTitle(t, s, "Who met in Florida").ID
	added := map[string]bool{}
	ch := mw.sinceBrief()
	for _, c := range ch.List {
		if c.Change == workspace.ChangeAdded {
			added[c.Card] = true
		}
	}
	if !added[participants] || added[invasion] || len(added) < 20 {
		t.Fatalf("%d cards added since the demo's brief; participants %v, invasion %v", len(added), added[participants], added[invasion])
	}

	changedFilter(t, mw)
	got := mw.find.matches
	for id := range added {
		if !got[id] {
			t.Errorf("card %q, added in Florida, is not shown", snap.Cards[id].Title)
		}
	}
	for id := range got {
		if !ch.Changed(id) {
			t.Errorf("card %q, unchanged since the brief, is shown", snap.Cards[id].Title)
		}
	}
	if got[invasion] {
		t.Error("the full-scale invasion card, in the brief unchanged, is shown")
	}
	if want := "changed in all"; !strings.Contains(mw.find.count.Text, want) {
		t.Errorf("Find counts %q", mw.find.count.Text)
	}
	if want := changedFilterLabel + " (2025-12-15)"; mw.find.sinceBrief.Text != want {
		t.Errorf("the filter reads %q, want %q", mw.find.sinceBrief.Text, want)
	}

	// The Context board shows the added card with a change bar and the
	// unchanged one without; with the filter off, both are shown.
	mw.showBoard(boardByTitle(t, mw, "Context").ID)
	if !viewOf(t, mw, participants).changed {
		t.Error("the added card has no change bar")
	}
	mw.find.close()
	if viewOf(t, mw, invasion).changed {
		t.Error("the unchanged card has a change bar")
	}
}

// Moving an unchanged card makes it a changed one at once: the filter
// shows it and the detail pane says where it moved.
func TestRounds_MoveShowsInTheFilterAndTheDetailPane(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	invasion := cardByTitle(t, s, "Full-scale invasion began").ID
	mw.showBoard(boardByTitle(t, mw, "Context").ID)
	changedFilter(t, mw)
	if mw.find.matches[invasion] {
		t.Fatal("the unchanged card is shown before it moved")
	}
	mw.find.close()
	mw.selectCard(invasion)
	if mw.detail.changes.Visible() {
		t.Fatalf("the detail pane of an unchanged card says %q", mw.detail.changes.Text)
	}

	mw.moveSelectedLane(1) // Open → Bracketed
	settle(mw)
	if lane := snapOf(t, s).LaneName(snapOf(t, s).Cards[invasion]); lane != "Bracketed" {
		t.Fatalf("the card is in %q", lane)
	}
	if !mw.detail.changes.Visible() || !strings.Contains(mw.detail.changes.Text, "Moved: Open → Bracketed") {
		t.Errorf("the detail pane says %q (shown %v)", mw.detail.changes.Text, mw.detail.changes.Visible())
	}
	if !strings.Contains(mw.detail.changes.Text, "since the brief of 2025-12-15") {
		t.Errorf("the detail pane does not name the brief: %q", mw.detail.changes.Text)
	}
	if !viewOf(t, mw, invasion).changed {
		t.Error("the moved card has no change bar")
	}
	changedFilter(t, mw)
	if !mw.find.matches[invasion] {
		t.Error("the moved card is not shown by the filter")
	}

	// Moving it back leaves nothing to say.
	mw.moveSelectedLane(-1)
	settle(mw)
	if mw.find.matches[invasion] || mw.detail.changes.Visible() {
		t.Errorf("the card moved back is still changed: shown %v, pane %q", mw.find.matches[invasion], mw.detail.changes.Text)
	}
}

// A workspace above bigChanges cards works the changes out in the
// background; the marks, the filter and the detail pane still follow an
// action once it lands. The test's goroutine is the window's UI goroutine
// (uiLoop), as the desktop driver's event loop is.
func TestRounds_LargeWorkspaceFollowsInTheBackground(t *testing.T) {
	l := newUILoop(t)
	s := winStore(t)
	seedCards(t, s, bigChanges+100)
	mw := l.openOn(t, s)
	if len(mw.snap.Cards) <= bigChanges {
		t.Fatalf("%d cards, not above %d", len(mw.snap.Cards), bigChanges)
	}
	landed := func() bool { return mw.rounds.computing == nil && mw.rounds.snap == mw.snap }
	mw.sinceBrief()
	l.until(t, "the changes", landed)
	seeded := cardByTitle(t, s, "Generated card 7 ").ID
	invasion := cardByTitle(t, s, "Full-scale invasion began").ID
	if !mw.cardChanged(seeded) || mw.cardChanged(invasion) {
		t.Fatalf("changed: seeded card %v, unchanged card %v", mw.cardChanged(seeded), mw.cardChanged(invasion))
	}
	mw.showBoard(boardByTitle(t, mw, "Context").ID)
	changedFilter(t, mw)
	mw.selectCard(invasion)
	if mw.find.matches[invasion] || mw.detail.changes.Visible() {
		t.Fatal("the unchanged card is shown as changed before the edit")
	}
	const title = "Full-scale invasion began on 24 February 2022"
	if _, err := mw.store.UpdateCard(invasion, "Edit card title", func(c *workspace.Card) error {
		c.Title = title
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	l.until(t, "the edit and its changes", func() bool {
		c := mw.snap.Cards[invasion]
		return c != nil && c.Title == title && landed()
	})
	if !mw.find.matches[invasion] || !viewOf(t, mw, invasion).changed {
		t.Errorf("the edited card: shown by the filter %v, change bar %v", mw.find.matches[invasion], viewOf(t, mw, invasion).changed)
	}
	if !strings.Contains(mw.detail.changes.Text, "Title edited: “Full-scale invasion began in February 2022” → “"+title+"”") {
		t.Errorf("the detail pane says %q", mw.detail.changes.Text)
	}
}

// Exporting records the brief unless Draft is checked; the dialog says
// which brief the new one follows.
func TestRounds_ExportRecordsUnlessDraft(t *testing.T) {
	test.NewTempApp(t)
	s := winStore(t)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	e, err := newExportPDF(w, s, "a4")
	if err != nil {
		t.Fatal(err)
	}
	e.dlg.Show()
	// The demo holds AMBER material: the dialog starts capped at GREEN,
	// and follows the demo's GREEN brief; at AMBER none was recorded.
	if want := "Follows the brief of 2025-12-15 issued by A. Analyst (recorded 15 Dec 2025 16:10"; !strings.Contains(e.follows.Text, want) {
		t.Errorf("capped at GREEN, the dialog says %q, want %q", e.follows.Text, want)
	}
	e.tlp.SetSelected("TLP:AMBER")
	if !strings.Contains(e.follows.Text, "The first brief capped at TLP:AMBER") ||
		!strings.Contains(e.follows.Text, "the last brief, of 2025-12-15, had the cap TLP:GREEN") {
		t.Errorf("capped at AMBER, the dialog says %q", e.follows.Text)
	}
	e.tlp.SetSelected(noCap)
	if want := "Follows the brief of 2025-12-15 issued by A. Analyst"; !strings.Contains(e.follows.Text, want) {
		t.Fatalf("the dialog says %q, want %q", e.follows.Text, want)
	}
	out := filepath.Join(t.TempDir(), "brief.pdf")
	e.path.SetText(out)
	e.date.SetText("2025-12-29")

	e.draft.SetChecked(true)
	if !strings.Contains(e.follows.Text, "A draft is not recorded") {
		t.Errorf("with Draft the dialog says %q", e.follows.Text)
	}
	if err := runExport(t, e); err != nil {
		t.Fatalf("export the draft: %v", err)
	}
	if n := len(snapOf(t, s).Briefs); n != 2 {
		t.Fatalf("a draft was recorded: %d briefs", n)
	}
	txt, err := exec.Command("pdftotext", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(txt), "Changes since the brief of") {
		t.Error("the brief from the window has no section of changes since the last brief")
	}

	e.draft.SetChecked(false)
	e.path.SetText(filepath.Join(filepath.Dir(out), "issued.pdf"))
	if err := runExport(t, e); err != nil {
		t.Fatalf("export: %v", err)
	}
	briefs := snapOf(t, s).Briefs
	if len(briefs) != 3 {
		t.Fatalf("%d briefs after an export that is not a draft, want 3", len(briefs))
	}
	rb := briefs[0]
	if rb.Date != "2025-12-29" || rb.By != "Olena Test" || rb.Cap != nil || len(rb.Cards) == 0 {
		t.Errorf("recorded brief: date %s, by %q, cap %v, %d cards", rb.Date, rb.By, rb.Cap, len(rb.Cards))
	}
	if lastAction(t, s) != "Record brief of 2025-12-29" {
		t.Errorf("last action %q", lastAction(t, s))
	}
	if want := "Follows the brief of 2025-12-29 issued by Olena Test"; !strings.Contains(e.follows.Text, want) {
		t.Errorf("after the export the dialog says %q, want %q", e.follows.Text, want)
	}
	// A capped brief follows the last brief at its own cap: the demo's.
	e.tlp.SetSelected("TLP:GREEN")
	if want := "Follows the brief of 2025-12-15 issued by A. Analyst"; !strings.Contains(e.follows.Text, want) {
		t.Errorf("capped, the dialog says %q, want %q", e.follows.Text, want)
	}
}

// buttonsIn finds the buttons with a label under an object.
func buttonsIn(o fyne.CanvasObject, text string) []*widget.Button {
	var out []*widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			out = append(out, b)
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// Deleting a recorded brief from Workspace › Recorded briefs… is one
// action: the list, the marks and the filter follow it, and Undo brings
// it back.
func TestRounds_DeleteRecordedBriefAndUndo(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	participants := cardByTitle(t, s, "Who met in Florida").ID
	if !mw.cardChanged(participants) {
		t.Fatal("the card added in Florida is not changed before the delete")
	}
	menuItem(t, mw, "Recorded briefs…").Action()
	d := mw.rounds.briefs
	if d == nil || len(d.briefs) != 2 || d.empty.Visible() {
		t.Fatal("the dialog does not list the demo's two briefs")
	}
	// Newest first: the GREEN brief, then the uncapped one the window
	// compares with.
	row := briefRow(d.snap, d.briefs[1])
	if at := d.briefs[1].Recorded; !at.Equal(time.Date(2025, 12, 15, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("the demo's brief was recorded at %v", at)
	}
	recorded := "recorded " + d.briefs[1].Recorded.Local().Format("2 Jan 2006 15:04")
	for _, want := range []string{"Brief of 2025-12-15", "no cap", "Issued by A. Analyst", recorded} {
		if !strings.Contains(row, want) {
			t.Errorf("the row %q does not say %q", row, want)
		}
	}
	if row := briefRow(d.snap, d.briefs[0]); !strings.Contains(row, "TLP:GREEN") {
		t.Errorf("the GREEN brief's row says %q", row)
	}
	del := buttonsIn(mw.win.Canvas().Overlays().Top(), "Delete")
	if len(del) != 2 {
		t.Fatalf("%d Delete buttons in the dialog", len(del))
	}
	before := journalLen(t, s)
	test.Tap(del[1])
	settle(mw)
	if bs := snapOf(t, s).Briefs; len(bs) != 1 || bs[0].Cap == nil {
		t.Fatalf("%d briefs after the delete, want the GREEN one", len(bs))
	}
	if journalLen(t, s) != before+1 || lastAction(t, s) != "Delete recorded brief" {
		t.Errorf("the delete is not one action: %d entries, last %q", journalLen(t, s)-before, lastAction(t, s))
	}
	if len(d.briefs) != 1 {
		t.Error("the dialog still lists the deleted brief")
	}
	if mw.cardChanged(participants) {
		t.Error("with no uncapped brief, a card is still marked changed")
	}

	mw.undo()
	settle(mw)
	if n := len(snapOf(t, s).Briefs); n != 2 {
		t.Fatalf("%d briefs after undo, want 2", n)
	}
	if len(d.briefs) != 2 || d.empty.Visible() {
		t.Error("the dialog does not list the brief Undo brought back")
	}
	if !mw.cardChanged(participants) {
		t.Error("after undo, the card added in Florida is not marked changed")
	}
}

// The board dialog shows and sets a board's role.
func TestRounds_BoardDialogSetsTheRole(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	ctx := boardByTitle(t, mw, "Context")
	mw.editBoardDialog(ctx.ID)
	if mw.lastBoardForm.role.Selected != roleBackgroundLabel {
		t.Errorf("the Context board shows the role %q", mw.lastBoardForm.role.Selected)
	}
	mw.lastBoardForm.form.d.Hide()

	pillar := mw.snap.Boards[0]
	if pillar.IsBackground() {
		t.Fatal("the first board is background")
	}
	mw.editBoardDialog(pillar.ID)
	if mw.lastBoardForm.role.Selected != rolePillarLabel {
		t.Errorf("a pillar shows the role %q", mw.lastBoardForm.role.Selected)
	}
	mw.lastBoardForm.role.SetSelected(roleBackgroundLabel)
	mw.lastBoardForm.form.trySave()
	settle(mw)
	if b := snapOf(t, s).Board(pillar.ID); !b.IsBackground() {
		t.Errorf("the board's role is %q after picking Background", b.Role)
	}

	mw.addBoardDialog()
	f := mw.lastBoardForm
	f.title.SetText("Humanitarian corridors")
	f.role.SetSelected(roleBackgroundLabel)
	f.form.trySave()
	settle(mw)
	var added *workspace.Board
	for _, b := range snapOf(t, s).Boards {
		if b.Title == "Humanitarian corridors" {
			added = b
		}
	}
	if added == nil || !added.IsBackground() {
		t.Errorf("the new board is %+v, want background", added)
	}
}

// BenchmarkRounds_Changes10000 measures what the window pays to say what
// changed since the last brief on the benchmark workspace of 10,000 cards
// after a round that edited, moved, raised and deleted 200 of them:
// working the changes out for one snapshot (off the UI goroutine above
// bigChanges cards), and a card edit followed through to the marks.
func BenchmarkRounds_Changes10000(b *testing.B) {
	mw, s, _ := bigWindow(b)
	snap, err := s.Snapshot()
	if err != nil {
		b.Fatal(err)
	}
	rb, err := snap.NewBrief(workspace.BriefSpec{Date: time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.RecordBrief(rb); err != nil {
		b.Fatal(err)
	}
	n := 0
	var ids []string
	for id := range snap.Cards {
		ids = append(ids, id)
	}
	for _, id := range ids[:200] {
		n++
		switch n % 4 {
		case 0:
			_, err = s.UpdateCard(id, "Edit", func(c *workspace.Card) error { c.Title += " (revised)"; return nil })
		case 1:
			err = s.MoveCard(id, workspace.Move{Lane: "Agreed"})
		case 2:
			err = s.SetMarking("card/"+id, workspace.TLPRed)
		default:
			err = s.DeleteCard(id)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	settle(mw)
	now := mw.snap
	b.Run("Compute", func(b *testing.B) {
		measureCPU(b, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				ch, err := changesSinceLast(now)
				if err != nil || len(ch.List) < 150 {
					b.Fatalf("changes: %v", err)
				}
			}
		})
	})
	card := ids[300]
	b.Run("EditFollowed", func(b *testing.B) {
		measureCPU(b, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := s.UpdateCard(card, "Edit", func(c *workspace.Card) error {
					c.Title = workspacetest.Start.Add(time.Duration(i) * time.Second).Format(time.RFC3339)
					return nil
				}); err != nil {
					b.Fatal(err)
				}
				// The changes are worked out when something shows them:
				// ask, as a card or the filter does, and wait for them.
				mw.sinceBrief()
				settle(mw)
				if !mw.cardChanged(card) {
					b.Fatal("the edited card is not marked changed")
				}
			}
		})
	})
}

// A brief written but not recorded is saved, says so, and can be opened;
// the error tells why it was not recorded.
func TestRounds_WrittenButNotRecordedSaysSo(t *testing.T) {
	test.NewTempApp(t)
	s := winStore(t)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	e, err := newExportPDF(w, s, "a4")
	if err != nil {
		t.Fatal(err)
	}
	e.dlg.Show()
	out := filepath.Join(t.TempDir(), "brief.pdf")
	e.path.SetText(out)
	e.draft.SetChecked(true)
	if err := runExport(t, e); err != nil {
		t.Fatal(err)
	}
	e.written, e.done = "", nil
	e.openBtn.Disable()
	e.finish(out, &notRecorded{path: out, err: workspace.ErrClosed})
	if !strings.Contains(e.status.Text, "Saved "+out+", but not recorded") || strings.Contains(e.status.Text, "not written") {
		t.Errorf("the dialog says %q", e.status.Text)
	}
	if e.written != out || e.openBtn.Disabled() {
		t.Error("the written brief cannot be opened")
	}
	if !errors.Is(&notRecorded{path: out, err: workspace.ErrClosed}, workspace.ErrClosed) {
		t.Error("the error does not tell why it was not recorded")
	}
	// The same dialog after an error that wrote nothing says so.
	e.finish(out, errors.New("disk full"))
	if e.status.Text != "The brief was not written." {
		t.Errorf("after a failed write the dialog says %q", e.status.Text)
	}
}
