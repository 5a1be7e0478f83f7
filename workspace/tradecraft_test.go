package workspace_test

import (
	"strings"
	"testing"

	"briefboard/workspace"
)

func TestLikelihood_StandardWithICDRange(t *testing.T) {
	want := map[workspace.Likelihood]string{
		workspace.LikelihoodAlmostNoChance: "Almost no chance (01–05%)",
		workspace.LikelihoodVeryUnlikely:   "Very unlikely (05–20%)",
		workspace.LikelihoodUnlikely:       "Unlikely (20–45%)",
		workspace.LikelihoodRoughlyEven:    "Roughly even chance (45–55%)",
		workspace.LikelihoodLikely:         "Likely (55–80%)",
		workspace.LikelihoodVeryLikely:     "Very likely (80–95%)",
		workspace.LikelihoodAlmostCertain:  "Almost certain (95–99%)",
	}
	prevHi := 0
	for _, l := range workspace.Likelihoods {
		if got := l.Standard(); got != want[l] {
			t.Errorf("%s: %q, want %q", l, got, want[l])
		}
		lo, hi, ok := l.Range()
		if !ok || lo >= hi || (prevHi != 0 && lo != prevHi) {
			t.Errorf("%s: range %d–%d does not follow the one before (%d)", l, lo, hi, prevHi)
		}
		prevHi = hi
	}
	if s := workspace.LikelihoodNone.Standard(); s != "" {
		t.Errorf("no estimate: %q", s)
	}
	if s := workspace.Likelihood("perhaps").RangeText(); s != "" {
		t.Errorf("unknown term: %q", s)
	}
	if s := workspace.ConfidenceModerate.Standard(); s != "Moderate confidence" {
		t.Errorf("confidence: %q", s)
	}
}

func TestParseLikelihoodAndConfidence(t *testing.T) {
	for in, want := range map[string]workspace.Likelihood{
		"roughly-even": workspace.LikelihoodRoughlyEven, "Roughly even chance": workspace.LikelihoodRoughlyEven,
		"ALMOST-CERTAIN": workspace.LikelihoodAlmostCertain, "very  unlikely": workspace.LikelihoodVeryUnlikely,
		"": workspace.LikelihoodNone, "none": workspace.LikelihoodNone,
	} {
		if got, err := workspace.ParseLikelihood(in); err != nil || got != want {
			t.Errorf("ParseLikelihood(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"probable", "maybe", "likely!", "55%"} {
		if _, err := workspace.ParseLikelihood(bad); err == nil || !strings.Contains(err.Error(), "almost-no-chance") {
			t.Errorf("ParseLikelihood(%q): %v", bad, err)
		}
	}
	if c, err := workspace.ParseConfidence(" High "); err != nil || c != workspace.ConfidenceHigh {
		t.Errorf("ParseConfidence: %q %v", c, err)
	}
	if _, err := workspace.ParseConfidence("medium"); err == nil {
		t.Error("medium is not a confidence level")
	}
}

func TestGrade_WeakSupport(t *testing.T) {
	for g, weak := range map[string]bool{
		"": true, "A1": false, "C4": false, "B4": false, "D1": true, "E2": true, "F3": true, "A5": true, "B6": true,
	} {
		grade, err := workspace.ParseGrade(g)
		if err != nil {
			t.Fatal(err)
		}
		if grade.WeakSupport() != weak {
			t.Errorf("%q: weak %v, want %v", g, !weak, weak)
		}
	}
}

func TestSnapshot_QuotesAbove(t *testing.T) {
	amber := &workspace.Source{Base: workspace.Base{ID: "s1"}, Title: "Amber", TLP: workspace.TLPAmber}
	green := &workspace.Source{Base: workspace.Base{ID: "s2"}, Title: "Green", TLP: workspace.TLPGreen}
	snap := &workspace.Snapshot{SourceByID: map[string]*workspace.Source{"s1": amber, "s2": green}}
	c := &workspace.Card{TLP: workspace.TLPGreen, Citations: []workspace.Citation{
		{Source: "s1", Quote: "a"}, {Source: "s2", Quote: "b"}, {Source: "s1", Quote: "again"}, {Source: "gone", Quote: "c"},
	}}
	if got := snap.QuotesAbove(c); len(got) != 1 || got[0] != amber {
		t.Errorf("green card quoting amber twice: %v", got)
	}
	c.Citations[0].Quote, c.Citations[2].Quote = "", ""
	if got := snap.QuotesAbove(c); len(got) != 0 {
		t.Errorf("a citation without a quote counts: %v", got)
	}
	c.TLP = workspace.TLPClear
	if got := snap.QuotesAbove(c); len(got) != 1 || got[0] != green {
		t.Errorf("clear card quoting green: %v", got)
	}
}

func TestSnapshot_BriefScope(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	all, err := snap.BriefScope(nil, nil)
	if err != nil || len(all.Cards(snap)) != len(snap.Cards)-len(snap.Stray) {
		t.Fatalf("everything: %v, %d cards of %d", err, len(all.Cards(snap)), len(snap.Cards))
	}
	guarantee := boardNamed(t, snap, "US security-guarantee framework")
	sc, err := snap.BriefScope([]string{"us security-guarantee FRAMEWORK"}, []string{"bracketed"})
	if err != nil {
		t.Fatal(err)
	}
	cards := sc.Cards(snap)
	if len(cards) == 0 {
		t.Fatal("no bracketed guarantee cards")
	}
	bracketed := laneNamed(t, snap, guarantee.ID, "Bracketed")
	for _, c := range cards {
		if c.Board != guarantee.ID || c.Lane != bracketed.ID {
			t.Errorf("card %q is not in the guarantee board's Bracketed lane", c.Title)
		}
	}
	for _, bad := range [][2][]string{{{"No such board"}, nil}, {nil, {"Nowhere"}}} {
		if _, err := snap.BriefScope(bad[0], bad[1]); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
