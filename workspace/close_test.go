package workspace_test

import (
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// Close waits for the calls in flight, and every call after it gets
// ErrClosed, never a panic or a Badger error.
func TestStore_CloseWaitsForCallsInFlight(t *testing.T) {
	s, _ := workspacetest.Create(t, "three-pillars", workspace.Options{})
	started, release := make(chan struct{}), make(chan struct{})
	actionDone := make(chan error, 1)
	go func() {
		_, err := s.Do("Slow action", func(tx *workspace.Tx) error {
			close(started)
			<-release
			_, err := tx.AddBoard("Added while closing", "", workspace.DefaultLanes)
			return err
		})
		actionDone <- err
	}()
	<-started
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while an action was in flight", err)
	case <-time.After(150 * time.Millisecond):
	}
	close(release)
	if err := <-actionDone; err != nil {
		t.Fatalf("the action in flight: %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := s.Snapshot(); !errors.Is(err, workspace.ErrClosed) {
		t.Fatalf("snapshot after close: %v", err)
	}
	if _, err := s.Share(io.Discard, workspace.ShareOptions{}); !errors.Is(err, workspace.ErrClosed) {
		t.Fatalf("share after close: %v", err)
	}
	if _, err := s.Log(time.Time{}); !errors.Is(err, workspace.ErrClosed) {
		t.Fatalf("log after close: %v", err)
	}
	if _, err := s.Undo(); !errors.Is(err, workspace.ErrClosed) {
		t.Fatalf("undo after close: %v", err)
	}
	if _, err := s.AddBoard("After", ""); !errors.Is(err, workspace.ErrClosed) {
		t.Fatalf("an action after close: %v", err)
	}
}

// Readers and writers racing a Close each end cleanly: success before it,
// ErrClosed after it. Run under -race by make test.
func TestStore_CloseRacesReadersAndWriters(t *testing.T) {
	s, _ := workspacetest.Create(t, "three-pillars", workspace.Options{})
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	board := snap.Boards[0].ID
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	calls := []func() error{
		func() error { _, err := s.Snapshot(); return err },
		func() error { _, err := s.Share(io.Discard, workspace.ShareOptions{}); return err },
		func() error { _, err := s.AddCard(workspace.CardDraft{Board: board, Title: "Racing"}); return err },
		func() error { _, err := s.ConflictRecords(); return err },
		func() error { _, _, err := s.UndoRedoLabels(); return err },
	}
	for _, call := range calls {
		wg.Add(1)
		go func(call func() error) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if err := call(); err != nil {
					if !errors.Is(err, workspace.ErrClosed) {
						errs <- err
					}
					return
				}
			}
		}(call)
	}
	time.Sleep(20 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a call racing Close: %v", err)
	}
}
