package canvas_test

import (
	"encoding/json"
	"sort"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

func fixedClock() func() time.Time {
	return workspacetest.Clock(time.Date(2025, 12, 29, 9, 0, 0, 0, time.UTC))
}

// mustCreate makes a real workspace from a template in a temp dir, closed
// with the test.
func mustCreate(tb testing.TB, template string) *workspace.Store {
	tb.Helper()
	s, _ := workspacetest.Create(tb, template, workspace.Options{Now: fixedClock()})
	return s
}

func mustSnapshot(tb testing.TB, s *workspace.Store) *workspace.Snapshot {
	tb.Helper()
	return workspacetest.Snapshot(tb, s)
}

// state is everything a store holds that an import could change: the
// snapshot as JSON and the journal.
func state(tb testing.TB, s *workspace.Store) string {
	tb.Helper()
	snap := mustSnapshot(tb, s)
	log, err := s.Log(time.Time{})
	if err != nil {
		tb.Fatal(err)
	}
	b, err := json.Marshal(struct {
		Snap *workspace.Snapshot
		Log  []workspace.Entry
	}{snap, log})
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func boardTitled(tb testing.TB, snap *workspace.Snapshot, title string) *workspace.Board {
	tb.Helper()
	for _, b := range snap.Boards {
		if b.Title == title {
			return b
		}
	}
	var titles []string
	for _, b := range snap.Boards {
		titles = append(titles, b.Title)
	}
	tb.Fatalf("no board %q among %q", title, titles)
	return nil
}

func laneNames(snap *workspace.Snapshot, board string) []string {
	var out []string
	for _, l := range snap.Lanes[board] {
		out = append(out, l.Name)
	}
	return out
}

// cardsIn lists the titles of a lane's cards in order.
func cardsIn(snap *workspace.Snapshot, board, lane string) []string {
	var out []string
	for _, l := range snap.Lanes[board] {
		if l.Name == lane {
			for _, c := range snap.LaneCards[l.ID] {
				out = append(out, c.Title)
			}
		}
	}
	return out
}

func cardTitled(tb testing.TB, snap *workspace.Snapshot, title string) *workspace.Card {
	tb.Helper()
	for _, c := range snap.Cards {
		if c.Title == title {
			return c
		}
	}
	var titles []string
	for _, c := range snap.Cards {
		titles = append(titles, c.Title)
	}
	sort.Strings(titles)
	tb.Fatalf("no card %q among %q", title, titles)
	return nil
}
