package team

import (
	"os"
	"testing"

	"briefboard/workspace"
)

func TestFolder_TwoCopiesConverge(t *testing.T) {
	root := t.TempDir()
	a := newStore(t)
	fa := mustOpen(t, a, root, Options{Passphrase: testPass})
	rep := mustRound(t, fa)
	if rep.Sent == nil || !rep.Sent.Snapshot {
		t.Fatalf("the first round should send a snapshot: %+v", rep.Sent)
	}
	b, fb := newCopy(t, root, Options{Passphrase: testPass})
	mustRound(t, fb)
	snap, _ := a.Snapshot()
	board := snap.Boards[0].ID
	c, err := a.AddCard(workspace.CardDraft{Board: board, Title: "Fresh from A"})
	if err != nil {
		t.Fatal(err)
	}
	rep = mustRound(t, fa)
	if rep.Sent == nil || rep.Sent.Records != 1 {
		t.Fatalf("sent %+v, want one record", rep.Sent)
	}
	rep = mustRound(t, fb)
	if len(rep.Received) != 1 || len(rep.Received[0].Result.Added) != 1 {
		t.Fatalf("received %+v", rep.Received)
	}
	if _, err := b.UpdateCard(c.ID, "Edit", func(c *workspace.Card) error { c.Body = "B's body"; return nil }); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		mustRound(t, fb)
		mustRound(t, fa)
	}
	mustRound(t, fb)
	if d := diffDumps(dump(t, a), dump(t, b)); d != "" {
		t.Fatalf("copies differ:\n%s", d)
	}
}

func TestInspect_TellsHowAFolderIsSetUp(t *testing.T) {
	root := t.TempDir()
	a := newStore(t)
	m, _ := a.Header()
	info, err := Inspect(root, m.ID)
	if err != nil || info.SetUp || len(info.Workspaces) != 0 {
		t.Fatalf("an empty folder: %+v, %v", info, err)
	}
	mustOpen(t, a, root, Options{Passphrase: testPass})
	info, err = Inspect(root, m.ID)
	if err != nil || !info.SetUp || !info.Encrypted || info.Cap != nil || len(info.Workspaces) != 1 || info.Workspaces[0] != m.ID {
		t.Fatalf("an encrypted folder: %+v, %v", info, err)
	}
	green := workspace.TLPGreen
	plain := t.TempDir()
	b := newStore(t)
	mb, _ := b.Header()
	mustOpen(t, b, plain, Options{NoEncryption: true, Cap: &green})
	info, err = Inspect(plain, mb.ID)
	if err != nil || !info.SetUp || info.Encrypted || info.Cap == nil || *info.Cap != green {
		t.Fatalf("a plain folder capped at GREEN: %+v, %v", info, err)
	}
}

func TestLayout_EngineLeftoversAreIgnored(t *testing.T) {
	for _, name := range []string{
		".syncthing.00000003.seg.tmp", "00000003.sync-conflict-20251228-090000-ABCDEFG.seg",
		"00000003 (conflicted copy 2025-12-28).seg", "00000003 (Olena's conflicted copy).seg",
		"~$00000003.seg", ".~lock.00000003.seg#", "00000003.seg~", "00000003.seg.part",
		".git", ".stfolder", ".briefboard-tmp-123", "team-abc (conflicted copy)",
	} {
		if !Ignored(name) {
			t.Errorf("%q is not called ignored", name)
		}
		if _, _, ok := parseSegName(name); ok {
			t.Errorf("%q is read as a segment", name)
		}
		if _, ok := teamFileReplica(name); ok {
			t.Errorf("%q is read as a team file", name)
		}
	}
	// Positive control: the layout's own names are read, not ignored.
	for _, name := range []string{"00000003.seg", "00000050.snap", "123456789.seg"} {
		if _, _, ok := parseSegName(name); !ok || Ignored(name) {
			t.Errorf("%q should be read", name)
		}
	}
	if _, ok := teamFileReplica("team-abc"); !ok {
		t.Error("team-abc should be a team file")
	}
	for _, name := range []string{"3.seg", "000000003.seg", "00000000.seg", "00000003.SEG"} {
		if _, _, ok := parseSegName(name); ok {
			t.Errorf("%q is not a name the layout writes", name)
		}
	}
}

func TestFolder_OtherCopiesGoOnPastADamagedOne(t *testing.T) {
	p := newPair(t)
	c, fc := newCopy(t, p.root, Options{Passphrase: testPass})
	mustRound(t, fc)
	snap, _ := c.Snapshot()
	cc, err := c.AddCard(workspace.CardDraft{Board: snap.Boards[0].ID, Title: "From C"})
	if err != nil {
		t.Fatal(err)
	}
	mustRound(t, fc)
	good, _ := os.ReadFile(p.seg2)
	bad := append([]byte(nil), good...)
	bad[len(bad)-3] ^= 1
	mustWrite(t, p.seg2, bad)
	rep := mustRound(t, p.fb)
	if len(rep.Damaged) != 1 || len(rep.Received) != 1 || rep.Received[0].Replica != c.Replica() {
		t.Fatalf("B should merge C's segment past A's damaged one: damaged %+v, received %+v", rep.Damaged, rep.Received)
	}
	if s, _ := p.b.Snapshot(); s.Cards[cc.ID] == nil || p.hasCard(t) {
		t.Fatal("B should have C's card and not A's")
	}
	p.repairedMerges(t, good)
}
