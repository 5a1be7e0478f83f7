package team

import (
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
