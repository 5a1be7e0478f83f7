package workspace_test

import (
	"testing"

	"briefboard/workspace"
)

// An accepted finding holds while the card reads as it did, is raised
// again when its text changes, travels to colleagues and merges.
func TestAcceptance_HoldsUntilTheCardChangesAndTravels(t *testing.T) {
	a := mustOpenStore(t)
	b := copyOf(t, a, workspace.Options{})
	card := firstCard(t, a, workspace.TLPGreen)
	if _, err := a.AcceptFinding(card.ID, "single-source", "citations", "The only public record of the meeting"); err != nil {
		t.Fatal(err)
	}
	if acc := mustSnapshot(t, a).Accepted(card.ID, "single-source"); acc == nil || acc.Reason != "The only public record of the meeting" {
		t.Fatalf("accepted: %+v", acc)
	}
	if mustSnapshot(t, a).Accepted(card.ID, "hedge") != nil {
		t.Fatal("another rule's finding counts as accepted")
	}
	// B accepts another finding on the same card meanwhile; both merge.
	if _, err := b.AcceptFinding(card.ID, "quote-missing", "citations", "Paraphrase on purpose"); err != nil {
		t.Fatal(err)
	}
	mustImport(t, b, shareBytes(t, a, workspace.ShareOptions{}))
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))
	for _, s := range []*workspace.Store{a, b} {
		snap := mustSnapshot(t, s)
		if snap.Accepted(card.ID, "single-source") == nil || snap.Accepted(card.ID, "quote-missing") == nil {
			t.Fatalf("acceptances after merging: %+v", snap.Acceptances[card.ID])
		}
	}
	// An edit of the card's text raises both again.
	editCard(t, b, card.ID, func(c *workspace.Card) { c.Body += " New sentence." })
	if snap := mustSnapshot(t, b); snap.Accepted(card.ID, "single-source") != nil || len(snap.Acceptances[card.ID]) != 2 {
		t.Fatalf("an acceptance held after the card changed: %+v", snap.Acceptances[card.ID])
	}
	// Reopening withdraws it, and can be undone.
	if err := a.ReopenFinding(card.ID, "quote-missing"); err != nil {
		t.Fatal(err)
	}
	if mustSnapshot(t, a).Accepted(card.ID, "quote-missing") != nil {
		t.Fatal("reopened finding still accepted")
	}
	if _, err := a.Undo(); err != nil {
		t.Fatal(err)
	}
	if mustSnapshot(t, a).Accepted(card.ID, "quote-missing") == nil {
		t.Fatal("undo did not bring the acceptance back")
	}
}

// An acceptance is at least as restricted as its card: a GREEN output of a
// RED card's acceptance carries neither.
func TestAcceptance_IsAtLeastAsRestrictedAsItsCard(t *testing.T) {
	a := mustOpenStore(t)
	card := firstCard(t, a, workspace.TLPRed)
	const reason = "REASON-SECRET why the hedge stays"
	if _, err := a.AcceptFinding(card.ID, "hedge", "body", reason); err != nil {
		t.Fatal(err)
	}
	snap := mustSnapshot(t, a)
	acc := snap.Accepted(card.ID, "hedge")
	if acc == nil || snap.Marking(acc) != workspace.TLPRed {
		t.Fatalf("acceptance of a RED card marked %v", snap.Marking(acc))
	}
	assertWithheld(t, a, reason)
}
