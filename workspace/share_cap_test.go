package workspace_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"filippo.io/age"

	"briefboard/workspace"
)

// The demo's AMBER and RED cards and its RED annotation use these words,
// and nothing at GREEN or below does.
var cappedWords = []string{"chokepoint", "gatekeeper", "unhedged", "front-loaded", "tripwire", "bottleneck",
	"readout", "fallback", "decoupled", "anchoring", "whip"}

func TestShare_CapLeavesNoTextAboveIt(t *testing.T) {
	s := mustOpenStore(t)
	green := workspace.TLPGreen
	// The demo's sources are all at GREEN or below: add one above it.
	if _, err := s.AddSource(workspace.Source{Title: "Readout from a closed briefing", Origin: "A European delegation",
		Notes: "Notes taken under AMBER at the closed briefing", Grade: workspace.Grade{Reliability: "B", Credibility: 2},
		TLP: workspace.TLPAmber}, false); err != nil {
		t.Fatal(err)
	}
	pass := []byte("shared with the desk")
	enc := shareBytes(t, s, workspace.ShareOptions{MaxTLP: &green, Passphrase: pass})
	id, _ := age.NewScryptIdentity(string(pass))
	r, err := age.Decrypt(bytes.NewReader(enc), id)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	content := strings.ToLower(string(unzipEntry(t, plain, "manifest.json")) + string(unzipEntry(t, plain, "records.jsonl")))
	// The demo words prove the test looks at the right text...
	full := strings.ToLower(string(unzipEntry(t, shareBytes(t, s, workspace.ShareOptions{}), "records.jsonl")))
	for _, w := range cappedWords {
		if !strings.Contains(full, w) {
			t.Fatalf("the uncapped file lacks %q: the demo changed", w)
		}
		if strings.Contains(content, w) {
			t.Errorf("the GREEN file holds %q", w)
		}
	}
	// ...and every text of every record above the cap is absent.
	snap := mustSnapshot(t, s)
	var above []string
	sources := 0
	for _, c := range snap.Cards {
		if !workspace.Allows(&green, snap.Marking(c)) {
			above = append(above, c.Title, c.Body)
			for _, a := range snap.Annotations[c.ID] {
				above = append(above, a.Text)
			}
		}
		for _, a := range snap.Annotations[c.ID] {
			if !workspace.Allows(&green, snap.Marking(a)) {
				above = append(above, a.Text)
			}
		}
	}
	for _, src := range snap.Sources {
		if !workspace.Allows(&green, snap.Marking(src)) {
			above = append(above, src.Title, src.Notes)
			sources++
		}
	}
	if len(above) < 6 || sources == 0 {
		t.Fatalf("too little above GREEN to test: %d texts, %d sources", len(above), sources)
	}
	for _, text := range above {
		snippet := strings.ToLower(jsonEscaped(text))
		if len(snippet) > 40 {
			snippet = snippet[:40]
		}
		if len(snippet) < 12 {
			continue
		}
		if !strings.Contains(full, snippet) {
			t.Fatalf("positive control: the uncapped file lacks %q", snippet)
		}
		if strings.Contains(content, snippet) {
			t.Errorf("the GREEN file holds %q", snippet)
		}
	}
	sf := mustRead(t, enc, pass)
	if sf.Manifest.MaxTLP == nil || *sf.Manifest.MaxTLP != green || sf.Manifest.TLP > green {
		t.Fatalf("manifest cap %v, label %v", sf.Manifest.MaxTLP, sf.Manifest.TLP)
	}
	n := 0
	for _, c := range snap.Cards {
		if workspace.Allows(&green, snap.Marking(c)) {
			n++
		}
	}
	if sf.Manifest.Counts["card"] != n {
		t.Fatalf("the GREEN file holds %d cards; the workspace has %d at GREEN or below", sf.Manifest.Counts["card"], n)
	}
}

func jsonEscaped(s string) string {
	b := jsonString(s)
	return string(b[1 : len(b)-1])
}

func TestShare_MissingFromCappedFileIsNotDeletion(t *testing.T) {
	a := mustOpenStore(t)
	b := copyOf(t, a, workspace.Options{})
	green := workspace.TLPGreen
	amber := firstCard(t, a, workspace.TLPAmber)
	// B works on an AMBER card and receives A's GREEN file: the card is
	// not in it, and must not be taken for deleted.
	editCard(t, b, amber.ID, func(c *workspace.Card) { c.Body = "B's assessment" })
	before := len(mustSnapshot(t, b).Cards)
	res := mustImport(t, b, shareBytes(t, a, workspace.ShareOptions{MaxTLP: &green}))
	if len(res.Deleted) != 0 || len(mustSnapshot(t, b).Cards) != before {
		t.Fatalf("a capped import deleted records: %+v", res.Deleted)
	}
	if c := liveCard(t, b, amber.ID); c.Body != "B's assessment" {
		t.Fatalf("body %q", c.Body)
	}
	// A copy made from a GREEN file has the GREEN cards, and a GREEN card
	// citing a source left out stays editable. (A citation with a quote
	// would make the card AMBER: it would show the source's words.)
	src, err := a.AddSource(workspace.Source{Title: "Closed briefing", Grade: workspace.Grade{Reliability: "B", Credibility: 2}, TLP: workspace.TLPAmber}, false)
	if err != nil {
		t.Fatal(err)
	}
	editCard(t, a, firstCard(t, a, workspace.TLPGreen).ID, func(c *workspace.Card) {
		c.Citations = append(c.Citations, workspace.Citation{Source: src.ID})
	})
	c, _, err := workspace.CreateFromShare(t.TempDir()+"/green", mustRead(t, shareBytes(t, a, workspace.ShareOptions{MaxTLP: &green}), nil), workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	snap := mustSnapshot(t, c)
	edited := 0
	for _, card := range snap.Cards {
		if card.TLP > green {
			t.Fatalf("card %q above the cap in the copy", card.Title)
		}
		for _, ci := range card.Citations {
			if snap.SourceByID[ci.Source] == nil {
				editCard(t, c, card.ID, func(x *workspace.Card) { x.Title += " (checked)" })
				edited++
			}
		}
	}
	if edited == 0 {
		t.Fatal("no GREEN card cites a source left out")
	}
	// Back in A, the GREEN copy's edits merge and nothing is lost.
	mustImport(t, a, shareBytes(t, c, workspace.ShareOptions{}))
	if len(mustSnapshot(t, a).Cards) != len(mustSnapshot(t, b).Cards) {
		t.Fatal("A lost cards to a capped copy's file")
	}
}
