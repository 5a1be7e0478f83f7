package team

import (
	"context"
	"sync"
	"testing"
	"time"

	"briefboard/workspace"
)

func TestWatch_RoundsOnArrivalsAndOnEdits(t *testing.T) {
	root := t.TempDir()
	a := newStore(t)
	fa := mustOpen(t, a, root, Options{Passphrase: testPass})
	mustRound(t, fa)
	b, fb := newCopy(t, root, Options{Passphrase: testPass})
	mustRound(t, fb)

	var mu sync.Mutex
	var reports []*Report
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, fb, WatchOptions{Poll: time.Hour, Settle: 50 * time.Millisecond}, func(rep *Report, err error) {
			if err != nil {
				t.Errorf("round: %v", err)
			}
			mu.Lock()
			reports = append(reports, rep)
			mu.Unlock()
		})
	}()
	waitFor := func(what string, ok func(*Report) bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			for _, r := range reports {
				if ok(r) {
					mu.Unlock()
					return
				}
			}
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("no round %s within 20 s", what)
	}
	time.Sleep(100 * time.Millisecond) // the watch is set up
	snap, _ := a.Snapshot()
	c, err := a.AddCard(workspace.CardDraft{Board: snap.Boards[0].ID, Title: "Arrives"})
	if err != nil {
		t.Fatal(err)
	}
	mustRound(t, fa)
	waitFor("merging A's segment", func(r *Report) bool { return len(r.Received) == 1 })
	// The analyst's own edit is sent a moment later, without a poll.
	if _, err := b.UpdateCard(c.ID, "Edit", func(c *workspace.Card) error { c.Body = "B's answer"; return nil }); err != nil {
		t.Fatal(err)
	}
	waitFor("sending B's edit", func(r *Report) bool { return r.Sent != nil })
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("watch ended with %v", err)
	}
	mustRound(t, fa)
	s, _ := a.Snapshot()
	if s.Cards[c.ID].Body != "B's answer" {
		t.Fatal("A did not get B's edit")
	}
}
