package workspace_test

import (
	"math/rand"
	"sort"
	"testing"

	"briefboard/workspace"
)

func TestOrderKey_Between(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	keys := []string{}
	for i := 0; i < 2000; i++ {
		pos := r.Intn(len(keys) + 1)
		lo, hi := "", ""
		if pos > 0 {
			lo = keys[pos-1]
		}
		if pos < len(keys) {
			hi = keys[pos]
		}
		k, err := workspace.KeyBetween(lo, hi)
		if err != nil {
			t.Fatalf("KeyBetween(%q, %q): %v", lo, hi, err)
		}
		if err := workspace.ValidOrderKey(k); err != nil && len(k) <= workspace.MaxOrderKey {
			t.Fatalf("KeyBetween(%q, %q) = %q: %v", lo, hi, k, err)
		}
		if lo != "" && !(lo < k) || hi != "" && !(k < hi) {
			t.Fatalf("KeyBetween(%q, %q) = %q is not between", lo, hi, k)
		}
		keys = append(keys[:pos], append([]string{k}, keys[pos:]...)...)
	}
	if _, err := workspace.KeyBetween("b", "b"); err == nil {
		t.Error("no key fits between equal keys")
	}
	spread := workspace.SpreadKeys(5000)
	if !sort.StringsAreSorted(spread) {
		t.Fatal("SpreadKeys not sorted")
	}
	for i, k := range spread {
		if err := workspace.ValidOrderKey(k); err != nil {
			t.Fatalf("SpreadKeys[%d] = %q: %v", i, k, err)
		}
		if i > 0 && spread[i-1] == k {
			t.Fatalf("SpreadKeys repeats %q", k)
		}
	}
}

// TestStore_MoveCard makes 1,000 random moves within and across lanes and
// checks after each that every lane is a total order that matches what the
// moves asked for, with order keys of bounded length.
func TestStore_MoveCard(t *testing.T) {
	s, _ := mustCreate(t, "empty", workspace.Options{})
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	lanes := snap.Lanes[b.ID][:3]
	// The model: the expected order of card ids per lane.
	want := map[string][]string{}
	var all []string
	for i := 0; i < 30; i++ {
		l := lanes[i%3]
		c, err := s.AddCard(workspace.CardDraft{Board: b.ID, Lane: l.ID, Title: "card"})
		if err != nil {
			t.Fatal(err)
		}
		want[l.ID] = append(want[l.ID], c.ID)
		all = append(all, c.ID)
	}
	r := rand.New(rand.NewSource(42))
	maxLen := 0
	for step := 0; step < 1000; step++ {
		id := all[r.Intn(len(all))]
		from := ""
		for l, ids := range want {
			for i, x := range ids {
				if x == id {
					from = l
					want[l] = append(ids[:i:i], ids[i+1:]...)
				}
			}
		}
		_ = from
		to := lanes[r.Intn(len(lanes))].ID
		// Hammer one spot often, so keys would grow without renumbering.
		var pos int
		if r.Intn(3) == 0 {
			pos = min(1, len(want[to]))
		} else {
			pos = r.Intn(len(want[to]) + 1)
		}
		mv := workspace.Move{Lane: to}
		if pos < len(want[to]) {
			mv.Before = want[to][pos]
		} else if pos > 0 && r.Intn(2) == 0 {
			mv.After = want[to][pos-1]
		}
		if err := s.MoveCard(id, mv); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		want[to] = append(want[to][:pos:pos], append([]string{id}, want[to][pos:]...)...)
		got := mustSnapshot(t, s)
		for _, l := range lanes {
			cards := got.LaneCards[l.ID]
			if len(cards) != len(want[l.ID]) {
				t.Fatalf("step %d: lane %s has %d cards, want %d", step, l.Name, len(cards), len(want[l.ID]))
			}
			for i, c := range cards {
				if c.ID != want[l.ID][i] {
					t.Fatalf("step %d: lane %s position %d is %s, want %s", step, l.Name, i, c.ID, want[l.ID][i])
				}
				if i > 0 && !(cards[i-1].Order < c.Order) {
					t.Fatalf("step %d: order keys not strictly increasing: %q, %q", step, cards[i-1].Order, c.Order)
				}
				if len(c.Order) > workspace.MaxOrderKey {
					t.Fatalf("order key of %d bytes", len(c.Order))
				}
				maxLen = max(maxLen, len(c.Order))
			}
		}
	}
	t.Logf("longest order key after 1,000 moves: %d bytes", maxLen)
}

// A move rewrites the moved card alone.
func TestStore_MoveRewritesOneCard(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	cards := snap.LaneCards[snap.Lanes[b.ID][0].ID]
	e, err := s.Do("Move card", func(tx *workspace.Tx) error {
		return tx.MoveCard(cards[len(cards)-1].ID, workspace.Move{Before: cards[0].ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Changes) != 1 || e.Changes[0].ID != cards[len(cards)-1].ID || e.Changes[0].Fields[0] != "place" {
		t.Fatalf("move wrote %+v", e.Changes)
	}
}

// Bisecting one gap again and again outgrows the key limit; the lane is
// renumbered in the same action and the order stays right.
func TestStore_MoveRenumbersWhenKeysGrow(t *testing.T) {
	s, _ := mustCreate(t, "empty", workspace.Options{})
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	first, _ := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "first"})
	last, _ := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "last"})
	renumbered := false
	lo, hi := first.ID, last.ID
	want := []string{first.ID, last.ID}
	for i := 0; i < 600; i++ {
		c, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "squeezed"})
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.Do("Move card", func(tx *workspace.Tx) error {
			return tx.MoveCard(c.ID, workspace.Move{Before: hi})
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Changes) > 1 {
			renumbered = true
		}
		for j, id := range want {
			if id == hi {
				want = append(want[:j:j], append([]string{c.ID}, want[j:]...)...)
				break
			}
		}
		// Alternate sides, so every insert halves the same gap.
		if i%2 == 0 {
			lo = c.ID
		} else {
			hi = c.ID
		}
	}
	_ = lo
	got := mustSnapshot(t, s).LaneCards[snap.Lanes[b.ID][0].ID]
	if len(got) != len(want) {
		t.Fatalf("%d cards, want %d", len(got), len(want))
	}
	for i, c := range got {
		if c.ID != want[i] {
			t.Fatalf("position %d: renumbering lost the order", i)
		}
		if len(c.Order) > workspace.MaxOrderKey {
			t.Fatalf("order key %d bytes", len(c.Order))
		}
	}
	if !renumbered {
		t.Fatal("600 bisections of one gap never renumbered the lane")
	}
}
