package workspace_test

import (
	"strings"
	"testing"

	"briefboard/workspace"
)

// An edit that writes a field again may carry on the text it replaces: a
// body appended to, a list of quotes with one removed, a conflict
// resolved for one of its values. Such an edit is no marking action: what
// the replaced write held at a stricter marking stays held (DESIGN.md 4a,
// "only an explicit marking action releases text"). Each case was found
// by TestMarking_NoLeakProperty (package export) or reduced from it.

func TestMarking_AppendToAHeldBodyReleasesNothing(t *testing.T) {
	a, b := twoCopies(t)
	card := firstCard(t, a, workspace.TLPRed)
	const secret = "SECRET-APPEND written while the card was RED"
	setMarking(t, a, card, workspace.TLPGreen)
	editCard(t, b, card.ID, func(c *workspace.Card) { c.Body = secret })
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))
	if m := marking(t, a, card.ID); m.TLP != workspace.TLPRed {
		t.Fatalf("after the import: %+v", m)
	}
	// Ana adds a line to the body she sees: the new body holds Bohdan's
	// words, which no marking action has released.
	editCard(t, a, card.ID, func(c *workspace.Card) { c.Body += "\n\nAna's note" })
	if m := marking(t, a, card.ID); m.TLP != workspace.TLPRed || len(m.Conflicts()) == 0 {
		t.Fatalf("appending to the body released the RED text in it: %+v", m)
	}
	assertWithheld(t, a, secret)
	setMarking(t, a, card, workspace.TLPGreen)
	green := workspace.TLPGreen
	if !strings.Contains(outputs(t, a, &green), secret) {
		t.Fatal("setting the marking again did not release the body")
	}
}

func TestMarking_QuotesWrittenWhileQuotingStayAfterTheRemoval(t *testing.T) {
	a := mustOpenStore(t)
	red, err := a.AddSource(workspace.Source{Title: "Closed readout", TLP: workspace.TLPRed}, false)
	if err != nil {
		t.Fatal(err)
	}
	open, err := a.AddSource(workspace.Source{Title: "Press release", TLP: workspace.TLPGreen}, false)
	if err != nil {
		t.Fatal(err)
	}
	card := firstCard(t, a, workspace.TLPGreen)
	const quote = "QUOTE-WHILE-RED chosen while the card quoted the readout"
	editCard(t, a, card.ID, func(c *workspace.Card) {
		c.Citations = append(c.Citations, workspace.Citation{Source: red.ID, Quote: "the readout's words"})
	})
	editCard(t, a, card.ID, func(c *workspace.Card) {
		c.Citations = append(c.Citations, workspace.Citation{Source: open.ID, Quote: quote})
	})
	// The readout's quote goes; the other quote, written under RED, stays.
	editCard(t, a, card.ID, func(c *workspace.Card) {
		var kept []workspace.Citation
		for _, ci := range c.Citations {
			if ci.Source != red.ID {
				kept = append(kept, ci)
			}
		}
		c.Citations = kept
	})
	if m := marking(t, a, card.ID); m.TLP != workspace.TLPRed {
		t.Fatalf("removing a quote released the quotes written under it: %+v", m)
	}
	assertWithheld(t, a, quote)
}

func TestMarking_ResolvingForAHeldValueReleasesNothing(t *testing.T) {
	a, b := twoCopies(t)
	card := firstCard(t, a, workspace.TLPRed)
	const secret = "SECRET-RESOLVE a title written while the card was RED"
	setMarking(t, a, card, workspace.TLPGreen)
	editCard(t, b, card.ID, func(c *workspace.Card) { c.Title = secret })
	editCard(t, a, card.ID, func(c *workspace.Card) { c.Title = "A public title" })
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))
	cf := conflictOf(liveCard(t, a, card.ID), "title")
	if cf == nil {
		t.Fatal("no title conflict")
	}
	// Ana keeps Bohdan's title: choosing a value is no marking action.
	if _, err := a.ResolveConflict(workspace.KeyOf(card), "title", jsonString(secret)); err != nil {
		t.Fatal(err)
	}
	if m := marking(t, a, card.ID); m.TLP != workspace.TLPRed || len(m.Conflicts()) == 0 {
		t.Fatalf("resolving the conflict released the RED title: %+v", m)
	}
	assertWithheld(t, a, secret)
}
