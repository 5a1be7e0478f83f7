package workspace_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"briefboard/workspace"
)

func TestMerge_CopyIsTheSameWorkspaceWithItsOwnReplica(t *testing.T) {
	a := mustOpenStore(t)
	b := copyOf(t, a, workspace.Options{})
	if a.Replica() == b.Replica() {
		t.Fatal("the copy kept the original's replica id")
	}
	if d1, d2 := dump(t, a), dump(t, b); d1 != d2 {
		t.Fatalf("copy differs from the original: %s", diffLines(d1, d2))
	}
	sa, sb := mustSnapshot(t, a), mustSnapshot(t, b)
	if sa.Meta.ID != sb.Meta.ID || len(sa.Cards) != len(sb.Cards) || len(sa.Sources) != len(sb.Sources) {
		t.Fatal("copy does not hold the same workspace")
	}
	for lane, cards := range sa.LaneCards {
		for i, c := range cards {
			if sb.LaneCards[lane][i].ID != c.ID {
				t.Fatalf("lane order differs in the copy")
			}
		}
	}
	// Creating a copy is not a step to undo.
	if _, err := b.Undo(); !errors.Is(err, workspace.ErrNothingToUndo) {
		t.Fatalf("undo on a new copy: %v", err)
	}
}

func TestMerge_DifferentFieldsMergeSilently(t *testing.T) {
	a := mustOpenStore(t)
	b := copyOf(t, a, workspace.Options{})
	id := firstCard(t, a, workspace.TLPGreen).ID
	editCard(t, a, id, func(c *workspace.Card) { c.Title = "Title from A" })
	editCard(t, b, id, func(c *workspace.Card) { c.Body = "Body from B" })
	fromA, fromB := shareBytes(t, a, workspace.ShareOptions{}), shareBytes(t, b, workspace.ShareOptions{})
	resB := mustImport(t, b, fromA)
	resA := mustImport(t, a, fromB)
	for _, s := range []*workspace.Store{a, b} {
		c := liveCard(t, s, id)
		if c.Title != "Title from A" || c.Body != "Body from B" || len(c.Conflicts) != 0 {
			t.Fatalf("merged card: title %q body %q conflicts %v", c.Title, c.Body, c.Conflicts)
		}
	}
	if len(resA.Updated) != 1 || len(resB.Updated) != 1 || len(resA.Conflicts)+len(resB.Conflicts) != 0 {
		t.Fatalf("results: A %s, B %s", resA.Summary(), resB.Summary())
	}
	if d1, d2 := dump(t, a), dump(t, b); d1 != d2 {
		t.Fatalf("copies differ after exchange: %s", diffLines(d1, d2))
	}
}

func TestMerge_SameFieldIsAConflictWithTheSameWinnerEverywhere(t *testing.T) {
	a := mustOpenStore(t)
	b := copyOf(t, a, workspace.Options{})
	id := firstCard(t, a, workspace.TLPGreen).ID
	editCard(t, a, id, func(c *workspace.Card) { c.Title = "Title from A" })
	editCard(t, b, id, func(c *workspace.Card) { c.Title = "Title from B" })
	fromA, fromB := shareBytes(t, a, workspace.ShareOptions{}), shareBytes(t, b, workspace.ShareOptions{})
	resA := mustImport(t, a, fromB)
	mustImport(t, b, fromA)
	if len(resA.Conflicts) != 1 || !strings.Contains(resA.Summary(), "1 conflict") {
		t.Fatalf("import result %s %+v", resA.Summary(), resA.Conflicts)
	}
	ca, cb := liveCard(t, a, id), liveCard(t, b, id)
	if ca.Title != cb.Title {
		t.Fatalf("copies show different winners: %q and %q", ca.Title, cb.Title)
	}
	cf := conflictOf(ca, "title")
	if cf == nil || len(cf.Values) != 2 {
		t.Fatalf("conflicts %+v", ca.Conflicts)
	}
	vals := map[string]bool{}
	for _, v := range cf.Values {
		var s string
		json.Unmarshal(v.Value, &s)
		vals[s] = true
	}
	if !vals["Title from A"] || !vals["Title from B"] {
		t.Fatalf("conflict does not hold both values: %+v", cf.Values)
	}
	if d1, d2 := dump(t, a), dump(t, b); d1 != d2 {
		t.Fatalf("copies differ: %s", diffLines(d1, d2))
	}
	// Choosing the value that already shows still settles it, and the
	// choice travels.
	if _, err := a.ResolveConflict("card/"+id, "title", jsonString(ca.Title)); err != nil {
		t.Fatal(err)
	}
	if c := liveCard(t, a, id); len(c.Conflicts) != 0 {
		t.Fatalf("still in conflict: %+v", c.Conflicts)
	}
	mustImport(t, b, shareBytes(t, a, workspace.ShareOptions{}))
	if c := liveCard(t, b, id); len(c.Conflicts) != 0 || c.Title != ca.Title {
		t.Fatalf("resolution did not travel: %q %+v", c.Title, c.Conflicts)
	}
	if d1, d2 := dump(t, a), dump(t, b); d1 != d2 {
		t.Fatalf("copies differ: %s", diffLines(d1, d2))
	}
}

func TestMerge_DeleteTravelsAndDeleteVersusEditIsAConflict(t *testing.T) {
	a := mustOpenStore(t)
	b := copyOf(t, a, workspace.Options{})
	snap := mustSnapshot(t, a)
	var ids []string
	for _, b := range snap.Boards {
		for _, c := range snap.BoardCards(b.ID) {
			ids = append(ids, c.ID)
		}
	}
	gone, contested := ids[0], ids[1]
	if err := a.DeleteCard(gone); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteCard(contested); err != nil {
		t.Fatal(err)
	}
	editCard(t, b, contested, func(c *workspace.Card) { c.Body = "B kept working on this" })
	res := mustImport(t, b, shareBytes(t, a, workspace.ShareOptions{}))
	if len(res.Deleted) != 1 || res.Deleted[0].ID != gone {
		t.Fatalf("deleted %+v", res.Deleted)
	}
	if mustSnapshot(t, b).Cards[gone] != nil {
		t.Fatal("deletion did not travel")
	}
	c := liveCard(t, b, contested)
	if c.Body != "B kept working on this" || conflictOf(c, "deleted") == nil {
		t.Fatalf("delete versus edit: body %q conflicts %+v", c.Body, c.Conflicts)
	}
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))
	if c := liveCard(t, a, contested); conflictOf(c, "deleted") == nil || c.Body != "B kept working on this" {
		t.Fatalf("A: %+v", c)
	}
	if d1, d2 := dump(t, a), dump(t, b); d1 != d2 {
		t.Fatalf("copies differ: %s", diffLines(d1, d2))
	}
	recs, err := a.ConflictRecords()
	if err != nil || len(recs) != 1 || recs[0].ID != contested || len(recs[0].Unseen) == 0 {
		t.Fatalf("conflict records %+v %v", recs, err)
	}
	// Keeping the deletion settles it everywhere.
	if _, err := a.ResolveConflict("card/"+contested, "deleted", json.RawMessage("true")); err != nil {
		t.Fatal(err)
	}
	mustImport(t, b, shareBytes(t, a, workspace.ShareOptions{}))
	if mustSnapshot(t, b).Cards[contested] != nil || mustSnapshot(t, a).Cards[contested] != nil {
		t.Fatal("resolved deletion did not hold")
	}
}

func TestMerge_AnnotationOnConcurrentlyDeletedCardKeepsIt(t *testing.T) {
	a := mustOpenStore(t)
	b := copyOf(t, a, workspace.Options{})
	id := firstCard(t, a, workspace.TLPGreen).ID
	if err := a.DeleteCard(id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddAnnotation(id, workspace.AnnQuestion, "Why would we drop this?", nil); err != nil {
		t.Fatal(err)
	}
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))
	mustImport(t, b, shareBytes(t, a, workspace.ShareOptions{}))
	for _, s := range []*workspace.Store{a, b} {
		c := liveCard(t, s, id)
		if conflictOf(c, "deleted") == nil {
			t.Fatalf("no deletion conflict: %+v", c.Conflicts)
		}
	}
	if d1, d2 := dump(t, a), dump(t, b); d1 != d2 {
		t.Fatalf("copies differ: %s", diffLines(d1, d2))
	}
	// A card deleted after its annotation was seen stays deleted.
	if _, err := a.ResolveConflict("card/"+id, "deleted", json.RawMessage("true")); err != nil {
		t.Fatal(err)
	}
	mustImport(t, b, shareBytes(t, a, workspace.ShareOptions{}))
	if mustSnapshot(t, b).Cards[id] != nil {
		t.Fatal("card came back")
	}
}

func TestMerge_IdempotentAndUndoable(t *testing.T) {
	a := mustOpenStore(t)
	b := copyOf(t, a, workspace.Options{})
	id := firstCard(t, a, workspace.TLPGreen).ID
	editCard(t, a, id, func(c *workspace.Card) { c.Title = "A's title" })
	editCard(t, b, id, func(c *workspace.Card) { c.Title = "B's title" })
	before := mustSnapshot(t, b)
	file := shareBytes(t, a, workspace.ShareOptions{})
	res := mustImport(t, b, file)
	if res.Entry == nil || len(res.Conflicts) == 0 {
		t.Fatalf("import changed nothing or brought no conflict: %s", res.Summary())
	}
	if c := liveCard(t, b, id); len(c.Conflicts) == 0 {
		t.Fatal("no title conflict after the import")
	}
	after := dump(t, b)
	again := mustImport(t, b, file)
	if again.Changed() || again.Entry != nil || dump(t, b) != after {
		t.Fatalf("second import changed something: %s", again.Summary())
	}
	if _, err := b.Undo(); err != nil {
		t.Fatal(err)
	}
	// Undo brings every record back to its values before the import (with
	// new stamps: an undo is a change of its own).
	undone := mustSnapshot(t, b)
	if len(undone.Cards) != len(before.Cards) || len(undone.Sources) != len(before.Sources) || undone.Conflicts != 0 {
		t.Fatalf("after undo: %d cards, %d sources, %d conflicts; before: %d, %d", len(undone.Cards),
			len(undone.Sources), undone.Conflicts, len(before.Cards), len(before.Sources))
	}
	for cid, c := range before.Cards {
		u := undone.Cards[cid]
		if u == nil {
			t.Fatalf("card %q is gone after undo", c.Title)
		}
		if changed, err := workspace.ChangedFields(c, u); err != nil || len(changed) > 0 {
			t.Errorf("card %q after undoing the import differs in %v (%v)", c.Title, changed, err)
		}
	}
	if c := undone.Cards[id]; c.Title != "B's title" {
		t.Fatalf("title %q after undo", c.Title)
	}
}

// An import that brought tombstones (a board a colleague added and took
// back) can itself be undone: undo restores states that were valid when
// they were made, without asking for the references a new edit needs.
func TestMerge_UndoAnImportOfTombstones(t *testing.T) {
	a := mustOpenStore(t)
	b := copyOf(t, a, workspace.Options{})
	board, err := b.AddBoard("Taken back", "")
	if err != nil {
		t.Fatal(err)
	}
	snap := mustSnapshot(t, b)
	if _, err := b.AddCard(workspace.CardDraft{Board: board.ID, Lane: snap.Lanes[board.ID][1].ID, Title: "On the board taken back"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := b.Undo(); err != nil {
			t.Fatal(err)
		}
	}
	if res := mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{})); !res.Changed() {
		t.Fatal("the import brought nothing")
	}
	if _, err := a.Undo(); err != nil {
		t.Fatalf("undo the import: %v", err)
	}
	if _, err := a.Redo(); err != nil {
		t.Fatalf("redo the import: %v", err)
	}
}
