package workspace_test

import (
	"reflect"
	"testing"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// Headers holds what a listing of cards shows, as Snapshot has it: the
// same boards, lanes and cards in the same places, the same markings and
// reasons and conflicts, without threads or bodies.
func TestStore_HeadersHoldWhatAListingShows(t *testing.T) {
	s, _ := workspacetest.Big(t, 60)
	snap := mustSnapshot(t, s)
	// A raised board gives its cards a reason; a raised source those
	// that quote it.
	if err := s.SetMarking(workspace.KeyOf(snap.Boards[1]), workspace.TLPRed); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMarking(workspace.KeyOf(snap.Sources[0]), workspace.TLPAmberStrict); err != nil {
		t.Fatal(err)
	}
	full := mustSnapshot(t, s)
	h, err := s.Headers()
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Annotations) == 0 {
		t.Fatal("the full snapshot has no annotations to leave out")
	}
	if len(h.Annotations) != 0 {
		t.Errorf("Headers holds the annotations of %d cards", len(h.Annotations))
	}
	if len(h.Cards) != len(full.Cards) || len(h.Boards) != len(full.Boards) {
		t.Fatalf("Headers holds %d cards on %d boards, Snapshot %d on %d", len(h.Cards), len(h.Boards), len(full.Cards), len(full.Boards))
	}
	reasons := 0
	for _, b := range full.Boards {
		for _, l := range full.Lanes[b.ID] {
			want, got := full.LaneCards[l.ID], h.LaneCards[l.ID]
			if len(got) != len(want) {
				t.Fatalf("lane %s: %d cards, want %d", l.Name, len(got), len(want))
			}
			for i, c := range want {
				hc := got[i]
				if hc.ID != c.ID || hc.Title != c.Title || hc.Body != "" {
					t.Fatalf("card %d of lane %s: %q %q (body %d bytes), want %q %q", i, l.Name, hc.ID, hc.Title, len(hc.Body), c.ID, c.Title)
				}
				if c.Body == "" {
					t.Fatalf("card %s has no body to leave out", c.ID)
				}
				wm, gm := full.ExplainMarking(c), h.ExplainMarking(hc)
				if !reflect.DeepEqual(wm, gm) || h.Marking(hc) != full.Marking(c) {
					t.Fatalf("card %s: marking %+v, want %+v", c.ID, gm, wm)
				}
				if wm.Reason() != "" {
					reasons++
				}
				if !reflect.DeepEqual(hc.Conflicts, c.Conflicts) || !reflect.DeepEqual(hc.Held, c.Held) {
					t.Fatalf("card %s: conflicts %v held %v, want %v %v", c.ID, hc.Conflicts, hc.Held, c.Conflicts, c.Held)
				}
			}
		}
	}
	if reasons == 0 {
		t.Error("no card has a marking reason to compare")
	}
}
