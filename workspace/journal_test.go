package workspace_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"briefboard/workspace"
)

func TestStore_UndoRedoAcrossReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	s, err := workspace.Create(dir, loadTemplate(t, "three-pillars"), workspace.Options{Now: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	agreed := laneNamed(t, snap, b.ID, "Agreed")
	c, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "Prisoner exchange", Lane: "Open"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateCard(c.ID, "Edit card", func(c *workspace.Card) error { c.Title = "Prisoner exchange, all for all"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveCard(c.ID, workspace.Move{Lane: agreed.ID}); err != nil {
		t.Fatal(err)
	}
	undo, redo, _ := s.UndoRedoLabels()
	if undo != "Undo move card" || redo != "" {
		t.Fatalf("labels %q %q", undo, redo)
	}
	s.Close()

	reopen := func() *workspace.Store {
		s, err := workspace.Open(dir, workspace.Options{Now: fixedClock()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s = reopen()
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = reopen()
	got := mustSnapshot(t, s).Cards[c.ID]
	if got == nil || got.Title != "Prisoner exchange" || mustSnapshot(t, s).LaneName(got) != "Open" {
		t.Fatalf("after two undos across a reopen: %+v", got)
	}
	undo, redo, _ = s.UndoRedoLabels()
	if undo != "Undo add card" || redo != "Redo edit card" {
		t.Fatalf("labels %q %q", undo, redo)
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if mustSnapshot(t, s).Cards[c.ID] != nil {
		t.Fatal("undo of add left the card")
	}
	s.Close()
	s = reopen()
	defer s.Close()
	for i := 0; i < 3; i++ {
		if _, err := s.Redo(); err != nil {
			t.Fatalf("redo %d: %v", i, err)
		}
	}
	if _, err := s.Redo(); !errors.Is(err, workspace.ErrNothingToRedo) {
		t.Fatalf("fourth redo: %v", err)
	}
	snap = mustSnapshot(t, s)
	got = snap.Cards[c.ID]
	if got == nil || got.Title != "Prisoner exchange, all for all" || snap.LaneName(got) != "Agreed" {
		t.Fatalf("after redoing all: %+v", got)
	}
	// A new action clears what could be redone.
	s.Undo()
	if _, err := s.UpdateCard(c.ID, "Edit card", func(c *workspace.Card) error { c.Body = "new"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redo(); !errors.Is(err, workspace.ErrNothingToRedo) {
		t.Fatalf("redo after a new action: %v", err)
	}
}

func TestStore_UndoReachesAHundredSteps(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	c := snap.BoardCards(snap.Boards[0].ID)[0]
	orig := c.Title
	for i := 0; i < 150; i++ {
		if _, err := s.UpdateCard(c.ID, "Edit card", func(c *workspace.Card) error { c.Title = fmt.Sprintf("title %d", i); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 150; i++ {
		if _, err := s.Undo(); err != nil {
			t.Fatalf("undo %d: %v", i, err)
		}
	}
	if got := mustSnapshot(t, s).Cards[c.ID].Title; got != orig {
		t.Fatalf("after 150 undos the title is %q, want %q", got, orig)
	}
}

// Undo is a new change: it gets a new journal entry and new stamps, so it
// travels to colleagues like any edit.
func TestStore_UndoIsANewChange(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	c := snap.BoardCards(snap.Boards[0].ID)[0]
	e1, err := s.Do("Edit card", func(tx *workspace.Tx) error {
		_, err := tx.UpdateCard(c.ID, func(c *workspace.Card) error { c.Body = "changed"; return nil })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e2, err := s.Undo()
	if err != nil {
		t.Fatal(err)
	}
	if e2.Seq <= e1.Seq || e2.Clock <= e1.Clock || e2.Op != workspace.EntryUndo || e2.Target != e1.Seq {
		t.Fatalf("undo entry %+v after %+v", e2, e1)
	}
	if e2.Action != "Undo edit card" {
		t.Fatalf("undo named %q", e2.Action)
	}
}

func TestStore_LogSince(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	all, err := s.Log(time.Time{})
	if err != nil || len(all) != 1 {
		t.Fatalf("log of a new workspace: %d entries, %v", len(all), err)
	}
	mark := all[0].At
	if _, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "One"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "Two"}); err != nil {
		t.Fatal(err)
	}
	since, err := s.Log(mark)
	if err != nil {
		t.Fatal(err)
	}
	if len(since) != 2 || since[0].Changes[0].Title != "One" || since[1].Changes[0].Title != "Two" {
		t.Fatalf("log since: %+v", since)
	}
}

// An action that changes nothing leaves no journal entry.
func TestStore_NoOpActionIsNotJournaled(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	c := snap.BoardCards(snap.Boards[0].ID)[0]
	e, err := s.UpdateCard(c.ID, "Edit card", func(c *workspace.Card) error { return nil })
	if err != nil || e == nil {
		t.Fatal(err)
	}
	log, _ := s.Log(time.Time{})
	if len(log) != 1 {
		t.Fatalf("an edit to the same values was journaled: %d entries", len(log))
	}
}

// A large action goes through the stage and still lands whole; its journal
// entry is kept in pieces and can be undone.
func TestStore_LargeActionIsAtomic(t *testing.T) {
	s, dir := mustCreate(t, "empty", workspace.Options{})
	b := mustSnapshot(t, s).Boards[0]
	body := fmt.Sprintf("%01000d", 7)
	add := func(n int, failAt int) error {
		_, err := s.Do("Add many cards", func(tx *workspace.Tx) error {
			for i := 0; i < n; i++ {
				if i == failAt {
					return errors.New("stop here")
				}
				if _, err := tx.AddCard(workspace.CardDraft{Board: b.ID, Title: fmt.Sprintf("card %d", i), Body: body}); err != nil {
					return err
				}
			}
			return nil
		})
		return err
	}
	if err := add(3000, 2999); err == nil {
		t.Fatal("the failing action succeeded")
	}
	if n := len(mustSnapshot(t, s).Cards); n != 0 {
		t.Fatalf("a failed action left %d cards", n)
	}
	if err := add(3000, -1); err != nil {
		t.Fatalf("large action: %v", err)
	}
	if n := len(mustSnapshot(t, s).Cards); n != 3000 {
		t.Fatalf("large action stored %d cards, want 3000", n)
	}
	s.Close()
	s2, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n := len(mustSnapshot(t, s2).Cards); n != 3000 {
		t.Fatalf("after reopen %d cards", n)
	}
	log, err := s2.Log(time.Time{})
	if err != nil || len(log) != 2 || len(log[1].Changes) != 3000 {
		t.Fatalf("journal of the large action: %v entries, err %v", len(log), err)
	}
	if _, err := s2.Undo(); err != nil {
		t.Fatalf("undo of the large action: %v", err)
	}
	if n := len(mustSnapshot(t, s2).Cards); n != 0 {
		t.Fatalf("after undo %d cards", n)
	}
}
