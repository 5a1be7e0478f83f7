package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// sidebarCount is the count beside a board in the sidebar, as shown.
func sidebarCount(t *testing.T, mw *MainWindow, board string) string {
	t.Helper()
	for _, r := range mw.sidebar.rows {
		if r.boardID == board && r.Visible() {
			return r.count.Text
		}
	}
	t.Fatalf("the sidebar shows no row for board %s", board)
	return ""
}

// laneShows reports whether a lane view lists a card.
func laneShows(lv *laneView, id string) bool { return indexOfCard(lv.cards, id) >= 0 }

func TestWindow_EditAt10000UpdatesBoardCountsAndFind(t *testing.T) {
	s, _ := workspacetest.Big(t, workspacetest.BigCards)
	mw := winOpen(t, s)
	reads := mw.wholeReads
	board := mw.boardID
	lanes := mw.snap.Lanes[board]
	first, second := mw.board.lanes[0], mw.board.lanes[1]
	inFirst, inSecond := len(mw.snap.LaneCards[lanes[0].ID]), len(mw.snap.LaneCards[lanes[1].ID])
	onBoard := sidebarCount(t, mw, board)
	if onBoard != fmt.Sprint(len(mw.snap.BoardCards(board))) || first.count.Text != fmt.Sprint(inFirst) {
		t.Fatalf("before any edit the sidebar says %s and the lane %s; the snapshot has %d and %d",
			onBoard, first.count.Text, len(mw.snap.BoardCards(board)), inFirst)
	}

	// Find is open on a word no card holds yet.
	const word = "zebrafinch"
	mw.find.open(false)
	mw.find.entry.SetText(word)
	settle(mw)
	if mw.index == nil || mw.find.matchCount() != 0 || sidebarCount(t, mw, board) != "0" || len(first.cards) != 0 {
		t.Fatalf("before the edit: index %v, %d matches, sidebar %s, lane shows %d",
			mw.index != nil, mw.find.matchCount(), sidebarCount(t, mw, board), len(first.cards))
	}

	// An edit of a card of the first lane brings the word.
	target := mw.snap.LaneCards[lanes[0].ID][3]
	_, err := s.UpdateCard(target.ID, "Edit card title", func(c *workspace.Card) error {
		c.Title = "Zebrafinch corridor for the grain convoys"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if mw.find.matchCount() != 1 || !mw.find.matches[target.ID] {
		t.Fatalf("Find shows %d matches after the edit, want the edited card", mw.find.matchCount())
	}
	if got := mw.find.count.Text; !strings.HasPrefix(got, "1 on this board · 1 of 10000") {
		t.Errorf("Find's count says %q", got)
	}
	if !laneShows(first, target.ID) || len(first.cards) != 1 || first.count.Text != fmt.Sprintf("1 of %d", inFirst) {
		t.Fatalf("the lane shows %d cards (the edited one: %v), header %q", len(first.cards), laneShows(first, target.ID), first.count.Text)
	}
	if v := viewOf(t, mw, target.ID); v.card.Title != "Zebrafinch corridor for the grain convoys" {
		t.Errorf("the card on the board shows %q", v.card.Title)
	}
	if got := sidebarCount(t, mw, board); got != "1" {
		t.Errorf("the sidebar counts %s matches on the board, want 1", got)
	}

	// A new card in the second lane with the word: two matches.
	added, err := s.AddCard(workspace.CardDraft{Board: board, Lane: lanes[1].ID, Title: "Zebrafinch route: a second card"})
	if err != nil {
		t.Fatal(err)
	}
	if mw.find.matchCount() != 2 || !laneShows(second, added.ID) || second.count.Text != fmt.Sprintf("1 of %d", inSecond+1) {
		t.Fatalf("after adding: %d matches, second lane shows it %v, header %q",
			mw.find.matchCount(), laneShows(second, added.ID), second.count.Text)
	}
	if got := sidebarCount(t, mw, board); got != "2" {
		t.Errorf("the sidebar counts %s matches after adding, want 2", got)
	}
	if got := mw.status.count.Text; got != "2 of 10001 cards match" {
		t.Errorf("the status line says %q", got)
	}

	// Closed, Find leaves the board's counts with the card added.
	mw.find.close()
	if got, want := sidebarCount(t, mw, board), fmt.Sprint(len(snapOf(t, s).BoardCards(board))); got != want {
		t.Errorf("the sidebar counts %s cards on the board, the store has %s", got, want)
	}
	if first.count.Text != fmt.Sprint(inFirst) || second.count.Text != fmt.Sprint(inSecond+1) {
		t.Errorf("lane headers %q and %q, want %d and %d", first.count.Text, second.count.Text, inFirst, inSecond+1)
	}
	// Each action was applied from its journal entry: nothing was read
	// whole, and the window's snapshot is the store's.
	if mw.wholeReads != reads || mw.reading {
		t.Errorf("the window read the workspace whole %d times after edits", mw.wholeReads-reads)
	}
	if got, want := mw.snap.Seq, snapOf(t, s).Seq; got != want {
		t.Errorf("the window's snapshot is at entry %d, the store at %d", got, want)
	}
}

func TestWindow_ArrivalsKeepTheCardUnderThePointer(t *testing.T) {
	s := winStore(t)
	seedCards(t, s, 1200)
	mw := winOpen(t, s)
	lv := mw.board.lanes[0]
	lv.list.ScrollToOffset(40 * rowPitch())
	views := lv.visibleViews()
	if len(views) < 3 {
		t.Fatalf("the lane shows %d cards", len(views))
	}
	under := views[2]
	id := under.CardID()
	under.MouseIn(&desktop.MouseEvent{})
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(under).Y
	before := indexOfCard(lv.cards, id)

	// A colleague's cards arrive at the top of the lane, above it.
	top := lv.cards[0].ID
	_, err := s.Do("Import", func(tx *workspace.Tx) error {
		for i := 0; i < 3; i++ {
			c, err := tx.AddCard(workspace.CardDraft{Board: mw.boardID, Lane: lv.lane.ID, Title: fmt.Sprintf("Arrived %d", i)})
			if err != nil {
				return err
			}
			if err := tx.MoveCard(c.ID, workspace.Move{Board: mw.boardID, Lane: lv.lane.ID, Before: top}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := indexOfCard(lv.cards, id); after != before+3 {
		t.Fatalf("the card went from place %d to %d; the arrivals did not land above it", before, after)
	}
	for _, v := range lv.visibleViews() {
		if v.CardID() == id {
			if got := d.AbsolutePositionForObject(v).Y; got != y {
				t.Fatalf("the card under the pointer moved from y=%v to y=%v", y, got)
			}
			return
		}
	}
	t.Fatal("the card under the pointer is no longer shown")
}
