package workspace_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
)

func boardIDs(snap *workspace.Snapshot) []string {
	var ids []string
	for _, b := range snap.Boards {
		ids = append(ids, b.ID)
	}
	return ids
}

func laneIDs(snap *workspace.Snapshot, board string) []string {
	var ids []string
	for _, l := range snap.Lanes[board] {
		ids = append(ids, l.ID)
	}
	return ids
}

// moved is ids with the item at from moved to to.
func moved(ids []string, from, to int) []string {
	out := append([]string{}, ids[:from]...)
	out = append(out, ids[from+1:]...)
	return append(out[:to], append([]string{ids[from]}, out[to:]...)...)
}

func journal(tb testing.TB, s *workspace.Store) []workspace.Entry {
	tb.Helper()
	log, err := s.Log(time.Time{})
	if err != nil {
		tb.Fatal(err)
	}
	return log
}

func sameIDs(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

func TestStore_MoveBoard(t *testing.T) {
	s := mustOpenStore(t)
	start := boardIDs(mustSnapshot(t, s))
	if len(start) < 4 {
		t.Fatalf("the demo has %d boards; the test needs four", len(start))
	}
	n := len(journal(t, s))

	// One place down: one action, and only the moved board is rewritten.
	if err := s.MoveBoard(start[1], 1); err != nil {
		t.Fatal(err)
	}
	want := moved(start, 1, 2)
	if got := boardIDs(mustSnapshot(t, s)); !sameIDs(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	log := journal(t, s)
	if len(log) != n+1 {
		t.Fatalf("%d journal entries for one move", len(log)-n)
	}
	last := log[len(log)-1]
	if last.Action != "Move board" || len(last.Changes) != 1 || last.Changes[0].ID != start[1] {
		t.Fatalf("entry %q changed %d records", last.Action, len(last.Changes))
	}

	// A delta past the start stops at the start.
	if err := s.MoveBoard(want[3], -10); err != nil {
		t.Fatal(err)
	}
	want = moved(want, 3, 0)
	if got := boardIDs(mustSnapshot(t, s)); !sameIDs(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}

	// The first board moved up again: nothing happens, no entry.
	n = len(journal(t, s))
	if err := s.MoveBoard(want[0], -1); err != nil {
		t.Fatal(err)
	}
	if got := boardIDs(mustSnapshot(t, s)); !sameIDs(got, want) || len(journal(t, s)) != n {
		t.Fatalf("moving the first board up changed the order to %v or the journal (%d entries, was %d)", got, len(journal(t, s)), n)
	}

	// Undo takes the last move back.
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if got := boardIDs(mustSnapshot(t, s)); !sameIDs(got, moved(start, 1, 2)) {
		t.Fatalf("after undo %v", got)
	}

	if err := s.MoveBoard("no-such-board", 1); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("unknown board: %v", err)
	}
}

func TestStore_MoveLane(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	board, other := snap.Boards[0].ID, snap.Boards[1].ID
	start, otherStart := laneIDs(snap, board), laneIDs(snap, other)
	if len(start) < 3 {
		t.Fatalf("the first board has %d lanes", len(start))
	}

	if err := s.MoveLane(start[0], 1); err != nil {
		t.Fatal(err)
	}
	want := moved(start, 0, 1)
	snap = mustSnapshot(t, s)
	if got := laneIDs(snap, board); !sameIDs(got, want) {
		t.Fatalf("lanes %v, want %v", got, want)
	}
	if got := laneIDs(snap, other); !sameIDs(got, otherStart) {
		t.Fatalf("another board's lanes moved: %v", got)
	}
	if log := journal(t, s); log[len(log)-1].Action != "Move lane" {
		t.Fatalf("last action %q", log[len(log)-1].Action)
	}

	// The last lane moved right: nothing happens, no entry.
	n := len(journal(t, s))
	last := want[len(want)-1]
	if err := s.MoveLane(last, 1); err != nil {
		t.Fatal(err)
	}
	if got := laneIDs(mustSnapshot(t, s), board); !sameIDs(got, want) || len(journal(t, s)) != n {
		t.Fatalf("moving the last lane right: lanes %v, %d new entries", got, len(journal(t, s))-n)
	}

	// All the way to the start.
	if err := s.MoveLane(last, -len(want)); err != nil {
		t.Fatal(err)
	}
	want = moved(want, len(want)-1, 0)
	if got := laneIDs(mustSnapshot(t, s), board); !sameIDs(got, want) {
		t.Fatalf("lanes %v, want %v", got, want)
	}

	gone, err := s.AddLane(board, "Parked")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLane(gone.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveLane(gone.ID, -1); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("a deleted lane moved: %v", err)
	}
	if err := s.MoveLane("no-such-lane", 1); !errors.Is(err, workspace.ErrNotFound) {
		t.Fatalf("unknown lane: %v", err)
	}
}

// Boards whose keys leave no room between them (equal keys, as two
// colleagues' boards can have after a merge) are renumbered by the move,
// in the same action, and end up in the order asked for.
func TestStore_MoveBoardRenumbersWhenNoKeyFits(t *testing.T) {
	s := mustOpenStore(t)
	start := boardIDs(mustSnapshot(t, s))
	_, err := s.Do("Give every board one key", func(tx *workspace.Tx) error {
		boards, err := tx.Boards()
		if err != nil {
			return err
		}
		for _, b := range boards {
			b.Order = "V"
			if err := tx.PutBoard(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Equal keys sort by id; start from that order.
	start = boardIDs(mustSnapshot(t, s))
	n := len(journal(t, s))
	if err := s.MoveBoard(start[0], 2); err != nil {
		t.Fatal(err)
	}
	want := moved(start, 0, 2)
	snap := mustSnapshot(t, s)
	if got := boardIDs(snap); !sameIDs(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	seen := map[string]bool{}
	for _, b := range snap.Boards {
		if seen[b.Order] || workspace.ValidOrderKey(b.Order) != nil {
			t.Fatalf("board keys after the move are not distinct valid keys: %q", b.Order)
		}
		seen[b.Order] = true
	}
	if len(journal(t, s)) != n+1 {
		t.Fatal("the renumbering was not part of the one move")
	}
}

// The Tx variants compose: two moves in one action are one entry, and one
// undo takes both back.
func TestTx_MovesInOneAction(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	boards := boardIDs(snap)
	lanes := laneIDs(snap, boards[0])
	n := len(journal(t, s))
	_, err := s.Do("Rearrange", func(tx *workspace.Tx) error {
		if err := tx.MoveBoard(boards[0], 1); err != nil {
			return err
		}
		return tx.MoveLane(lanes[1], -1)
	})
	if err != nil {
		t.Fatal(err)
	}
	snap = mustSnapshot(t, s)
	if !sameIDs(boardIDs(snap), moved(boards, 0, 1)) || !sameIDs(laneIDs(snap, boards[0]), moved(lanes, 1, 0)) {
		t.Fatalf("boards %v, lanes %v", boardIDs(snap), laneIDs(snap, boards[0]))
	}
	if len(journal(t, s)) != n+1 {
		t.Fatal("two moves in one action made more than one entry")
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	snap = mustSnapshot(t, s)
	if !sameIDs(boardIDs(snap), boards) || !sameIDs(laneIDs(snap, boards[0]), lanes) {
		t.Fatal("one undo did not take both moves back")
	}
}
