package team

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// How chains recover: a snapshot replaces a damaged segment, a copy finds
// the segments it wrote but forgot, two colleagues set the same folder up
// at once, and an open marking conflict holds a record back until it is
// settled.

func TestChain_SnapshotReplacesADamagedSegment(t *testing.T) {
	p := newPair(t)
	p.fa.opts.SnapshotEvery = 2
	good, _ := os.ReadFile(p.seg2)
	bad := append([]byte(nil), good...)
	bad[len(bad)/2] ^= 0x40
	if err := os.WriteFile(p.seg2, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	oneProblem(t, p.fb, true, segName(2, false), "damaged")
	// A goes on: segment 3, and beside it a snapshot as of 3.
	snap, _ := p.a.Snapshot()
	if _, err := p.a.AddCard(workspace.CardDraft{Board: snap.Boards[0].ID, Title: "In segment 3"}); err != nil {
		t.Fatal(err)
	}
	if rep := mustRound(t, p.fa); rep.Sent == nil || rep.Sent.SnapshotFile == "" {
		t.Fatalf("A should write segment 3 with a snapshot: %+v", rep.Sent)
	}
	rep := mustRound(t, p.fb)
	if len(rep.Damaged) != 0 || len(rep.Received) != 1 || !p.hasCard(t) {
		t.Fatalf("the snapshot should replace the damaged segment: damaged %+v, received %+v", rep.Damaged, rep.Received)
	}
	if files := rep.Received[0].Files; files[len(files)-1] != segName(3, true) {
		t.Fatalf("merged %v, want the snapshot", files)
	}
	// Later segments follow the snapshot.
	if _, err := p.a.AddCard(workspace.CardDraft{Board: snap.Boards[0].ID, Title: "In segment 4"}); err != nil {
		t.Fatal(err)
	}
	mustRound(t, p.fa)
	if rep := mustRound(t, p.fb); len(rep.Received) != 1 || len(rep.Damaged) != 0 {
		t.Fatalf("segment 4 after the snapshot: %+v", rep)
	}
	if d := diffDumps(dump(t, p.a), dump(t, p.b)); d != "" {
		t.Fatalf("the copies differ:\n%s", d)
	}
}

func TestChain_ACopyFindsSegmentsItForgot(t *testing.T) {
	p := newPair(t)
	// As after a crash between writing segment 2 and noting it, or a
	// workspace restored from a backup: A's state says 2 is next.
	p.fa.state.Next, p.fa.state.Prev = 2, ""
	snap, _ := p.a.Snapshot()
	if _, err := p.a.AddCard(workspace.CardDraft{Board: snap.Boards[0].ID, Title: "After the restore"}); err != nil {
		t.Fatal(err)
	}
	rep := mustRound(t, p.fa)
	if rep.Sent == nil || rep.Sent.Number != 3 {
		t.Fatalf("A should write segment 3, not overwrite 2: %+v", rep.Sent)
	}
	got, _ := os.ReadFile(p.seg2)
	if h, _, err := readHeader(got); err != nil || h.Number != 2 {
		t.Fatalf("segment 2 changed: %v", err)
	}
	rep = mustRound(t, p.fb)
	if len(rep.Damaged) != 0 || len(rep.Received) != 1 || len(rep.Received[0].Files) != 2 {
		t.Fatalf("B should merge segments 2 and 3: %+v", rep)
	}
}

func TestChain_TwoColleaguesSetTheFolderUpAtOnce(t *testing.T) {
	a := newStore(t)
	share := filepath.Join(t.TempDir(), "a.briefboard")
	if _, err := a.ShareToFile(share, workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	sf, err := workspace.ReadShareFile(share, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := workspace.CreateFromShare(filepath.Join(t.TempDir(), "b"), sf, workspace.Options{Now: workspacetest.Clock(workspacetest.Start)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	// Each sets up its own copy of the folder before the engine has
	// carried anything: two team files, with different keys.
	rootA, rootB := t.TempDir(), t.TempDir()
	fa := mustOpen(t, a, rootA, Options{Passphrase: testPass})
	mustRound(t, fa)
	fb := mustOpen(t, b, rootB, Options{Passphrase: testPass})
	snap, _ := b.Snapshot()
	if _, err := b.AddCard(workspace.CardDraft{Board: snap.Boards[0].ID, Title: "B's own"}); err != nil {
		t.Fatal(err)
	}
	mustRound(t, fb)
	// The engine carries every file both ways.
	for _, pair := range [][2]string{{rootA, rootB}, {rootB, rootA}} {
		copyTree(t, pair[0], pair[1])
	}
	for i := 0; i < 3; i++ {
		ra, rb := mustRound(t, fa), mustRound(t, fb)
		if len(ra.Damaged)+len(rb.Damaged)+len(ra.Waiting)+len(rb.Waiting) > 0 {
			t.Fatalf("damaged %v %v, waiting %v %v", ra.Damaged, rb.Damaged, ra.Waiting, rb.Waiting)
		}
		copyTree(t, rootA, rootB)
		copyTree(t, rootB, rootA)
	}
	if fa.team.name != fb.team.name {
		t.Fatalf("the copies took different team files: %s and %s", fa.team.name, fb.team.name)
	}
	if d := diffDumps(dump(t, a), dump(t, b)); d != "" {
		t.Fatalf("the copies differ:\n%s", d)
	}
}

// copyTree copies every file under src that dst lacks.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	filepath.Walk(src, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || strings.HasPrefix(fi.Name(), ".") {
			return nil
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		if _, err := os.Stat(to); err == nil {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(to), 0o755)
		mustWrite(t, to, data)
		return nil
	})
}

func TestCap_MarkingConflictHoldsBackUntilSettled(t *testing.T) {
	// A and B hold the same RED card (B's copy came by an uncapped share
	// file), and both sync through a folder capped at AMBER.
	root := t.TempDir()
	a := newStore(t)
	snap, _ := a.Snapshot()
	red := workspace.TLPRed
	card, err := a.AddCard(workspace.CardDraft{Board: snap.Boards[0].ID, Title: "Disputed card", TLP: &red})
	if err != nil {
		t.Fatal(err)
	}
	share := filepath.Join(t.TempDir(), "a.briefboard")
	a.ShareToFile(share, workspace.ShareOptions{})
	sf, _ := workspace.ReadShareFile(share, nil)
	b, _, err := workspace.CreateFromShare(filepath.Join(t.TempDir(), "b"), sf, workspace.Options{Now: workspacetest.Clock(workspacetest.Start)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	b.SetProfile(workspace.Profile{Name: "Bohdan"})
	fa := mustOpen(t, a, root, Options{Passphrase: testPass})
	fb := mustOpen(t, b, root, Options{Passphrase: testPass})
	mustRound(t, fa)
	mustRound(t, fb)
	// A lowers it to GREEN; B, not knowing, writes a body under RED.
	if err := a.SetMarking("card/"+card.ID, workspace.TLPGreen); err != nil {
		t.Fatal(err)
	}
	const secret = "HELD-MARKER written under RED"
	if _, err := b.UpdateCard(card.ID, "Edit", func(c *workspace.Card) error { c.Body = secret; return nil }); err != nil {
		t.Fatal(err)
	}
	mustRound(t, fa)
	mustRound(t, fb) // B sends nothing of the card, merges A's lowering
	rep := mustRound(t, fb)
	var held *workspace.Withheld
	for i, w := range rep.Withheld {
		if w.ID == card.ID {
			held = &rep.Withheld[i]
		}
	}
	if held == nil || !held.Conflict || !strings.Contains(held.Reason, "marking conflict") || !strings.Contains(held.Reason, "Bohdan") {
		t.Fatalf("B should report the card held back by a marking conflict: %+v", rep.Withheld)
	}
	t.Log(held.Reason)
	found := searchFolder(t, root, testPass, []string{secret, "Disputed card"}, 3)
	if found[secret] {
		t.Fatal("the held body reached the folder")
	}
	if !found["Disputed card"] {
		t.Fatal("positive control: A's lowered card should be in the folder")
	}
	// B settles it: setting the marking again releases what B has seen.
	if err := b.SetMarking("card/"+card.ID, workspace.TLPGreen); err != nil {
		t.Fatal(err)
	}
	if rep := mustRound(t, fb); rep.Sent == nil || len(rep.Withheld) != len(withoutCard(rep.Withheld, card.ID)) {
		t.Fatalf("once settled, B should send the card: sent %+v, withheld %+v", rep.Sent, rep.Withheld)
	}
	mustRound(t, fa)
	s, _ := a.Snapshot()
	if s.Cards[card.ID] == nil || s.Cards[card.ID].Body != secret {
		t.Fatalf("A should have B's body now: %+v", s.Cards[card.ID])
	}
}

func withoutCard(list []workspace.Withheld, id string) []workspace.Withheld {
	var out []workspace.Withheld
	for _, w := range list {
		if w.ID != id {
			out = append(out, w)
		}
	}
	return out
}
