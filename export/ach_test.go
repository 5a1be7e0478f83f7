package export_test

import (
	"bytes"
	"strings"
	"testing"

	"briefboard/export"
	"briefboard/workspace"
)

// achSection is the text of a brief's "Competing hypotheses" section: from
// its heading to the positions matrix.
func achSection(t *testing.T, text string) string {
	t.Helper()
	text = squash(text)
	// The contents name the section too; the section itself comes after
	// the pillars, so take the last heading.
	i := strings.LastIndex(text, "Competing hypotheses: How will Moscow answer the revised framework?")
	j := strings.LastIndex(text, "Positions matrix")
	if i < 0 || j < i {
		t.Fatalf("no Competing hypotheses section before the positions matrix")
	}
	return text[i:j]
}

// demoWithRedEvidence is the demo with its RED chokepoint card rated very
// inconsistent with the leading hypothesis, high weight: 3.24 against it
// instead of 0.36.
func demoWithRedEvidence(t *testing.T) *workspace.Snapshot {
	t.Helper()
	s := mustCreate(t, "three-pillars")
	snap := mustSnapshot(t, s)
	m := snap.Matrices[0]
	var red *workspace.Card
	for _, c := range snap.Cards {
		if strings.HasPrefix(c.Title, "Chokepoint") {
			red = c
		}
	}
	if red == nil || snap.Marking(red) != workspace.TLPRed {
		t.Fatal("the demo's chokepoint card is missing or not RED")
	}
	if _, err := s.SetACHEvidence(m.ID, red.ID, workspace.WeightHigh); err != nil {
		t.Fatal(err)
	}
	if err := s.RateACH(m.ID, red.ID, m.Hypotheses[1].ID, workspace.RatingII); err != nil {
		t.Fatal(err)
	}
	return mustSnapshot(t, s)
}

func TestBrief_CompetingHypothesesReadBack(t *testing.T) {
	snap := demo(t)
	sec := achSection(t, strings.Join(pdfText(t, brief(t, snap, export.Options{})), " "))
	for _, want := range []string{
		"Analysis of Competing Hypotheses · 4 hypotheses · 8 pieces of evidence · TLP:GREEN",
		"HYPOTHESES, LEAST INCONSISTENT FIRST",
		"1 H2 Accepts some points, rules out others and bargains from the Alaska baseline 0.36",
		"2 H1 Rejects the revisions and holds Kyiv and Europe to the Alaska terms 1.44",
		"4 H3 Accepts the revised framework as the basis for a deal 6.54",
		"Evidence Weight Cred. H1 H2 H3 H4",
		"Anchorage summit (August 2025) is Moscow's stated baseline High 0.72 C C II N",
		"Ushakov: Moscow will decide what can and cannot be accepted † High 0.72 I CC I I",
		"US positioned as mediator between Kyiv and Moscow Low 0.64 C C C C",
		"Weighted inconsistency 1.44 0.36 6.54 1.44",
		"Rank 2 1 4 2",
		"Grey rows are non-diagnostic",
		"Weighted inconsistency of a hypothesis = the sum, over the evidence rows",
		"CONCLUSION Moscow will most probably accept some points",
		"INDICATORS TO WATCH",
		"Seen · Kremlin aides name the Anchorage summit as the baseline for any deal",
		"Not seen · Moscow calls the revised framework a basis for a deal",
	} {
		if !strings.Contains(sec, want) {
			t.Errorf("the section does not say %q:\n%s", want, sec)
		}
	}
}

// TestBrief_CompetingHypothesesCapped: a RED card rated in a GREEN brief's
// matrix is left out with its row, and the scores are those of the rows
// that remain. Without the cap the same search finds it.
func TestBrief_CompetingHypothesesCapped(t *testing.T) {
	snap := demoWithRedEvidence(t)
	full := achSection(t, strings.Join(pdfText(t, brief(t, snap, export.Options{})), " "))
	green := achSection(t, strings.Join(pdfText(t, brief(t, snap, export.Options{MaxTLP: tlpPtr(workspace.TLPGreen)})), " "))
	const red = "Chokepoint: Washington as gatekeeper of Russian objections"
	if !strings.Contains(full, red) || !strings.Contains(full, "Weighted inconsistency 1.44 3.24 6.54 1.44") {
		t.Fatalf("the uncapped section lacks the RED row or its scores:\n%s", full)
	}
	if !strings.Contains(full, "Anchoring tactic") {
		t.Fatal("the uncapped section lacks the amber row")
	}
	for _, not := range []string{red, "Anchoring tactic", "3.24", "9 pieces", "TLP:RED", "TLP:AMBER"} {
		if strings.Contains(green, not) {
			t.Errorf("the GREEN section holds %q:\n%s", not, green)
		}
	}
	for _, want := range []string{"7 pieces of evidence", "Weighted inconsistency 1.44 0 5.82 1.44", "Rank 2 1 4 2",
		"Prepared for release at TLP:GREEN: evidence marked above it is left out"} {
		if !strings.Contains(green, want) {
			t.Errorf("the GREEN section does not say %q:\n%s", want, green)
		}
	}

	mdOf := func(o export.Options) string {
		var b bytes.Buffer
		o.Date = pinned
		if err := export.Markdown(&b, snap, o); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	mdFull, mdGreen := achSection(t, mdOf(export.Options{})), achSection(t, mdOf(export.Options{MaxTLP: tlpPtr(workspace.TLPGreen)}))
	if !strings.Contains(mdFull, red) || !strings.Contains(mdFull, "| **Weighted inconsistency** | | | 1.44 | 3.24 | 6.54 | 1.44 |") {
		t.Fatalf("the uncapped Markdown lacks the RED row or its scores:\n%s", mdFull)
	}
	if strings.Contains(mdGreen, red) || strings.Contains(mdGreen, "Anchoring") || strings.Contains(mdGreen, "3.24") {
		t.Fatalf("the GREEN Markdown holds capped evidence:\n%s", mdGreen)
	}
	if !strings.Contains(mdGreen, "| **Weighted inconsistency** | | | 1.44 | 0 | 5.82 | 1.44 |") {
		t.Fatalf("the GREEN Markdown scores:\n%s", mdGreen)
	}
}

// TestBrief_IndicatorCardsFollowTheCap: an indicator names its card only
// when the brief holds the card.
func TestBrief_IndicatorCardsFollowTheCap(t *testing.T) {
	s := mustCreate(t, "three-pillars")
	snap := mustSnapshot(t, s)
	m := snap.Matrices[0]
	var red *workspace.Card
	for _, c := range snap.Cards {
		if strings.HasPrefix(c.Title, "Chokepoint") {
			red = c
		}
	}
	h := m.Hypotheses[0].ID
	err := s.UpdateACHMatrix(m.ID, "Add indicator", func(x *workspace.ACHMatrix) error {
		x.Indicators[h] = append(x.Indicators[h], workspace.Indicator{Text: "Washington passes on Moscow's objections first", Card: red.ID})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	snap = mustSnapshot(t, s)
	full := achSection(t, strings.Join(pdfText(t, brief(t, snap, export.Options{})), " "))
	green := achSection(t, strings.Join(pdfText(t, brief(t, snap, export.Options{MaxTLP: tlpPtr(workspace.TLPGreen)})), " "))
	if !strings.Contains(full, "passes on Moscow's objections first (card: Chokepoint") {
		t.Fatalf("the uncapped brief does not name the indicator's card:\n%s", full)
	}
	if !strings.Contains(green, "passes on Moscow's objections first") || strings.Contains(green, "Chokepoint") {
		t.Fatalf("the GREEN brief should keep the indicator and drop its RED card:\n%s", green)
	}
}

// TestBrief_UnratedHypothesisSaysSo: a hypothesis no row rates scores 0
// and ranks first; the brief and the Markdown say beside it how many rows
// do not rate it. The demo, rated throughout, says it of none.
func TestBrief_UnratedHypothesisSaysSo(t *testing.T) {
	s := mustCreate(t, "three-pillars")
	plain := achSection(t, strings.Join(pdfText(t, brief(t, mustSnapshot(t, s), export.Options{})), " "))
	if strings.Contains(plain, "rows not rated") {
		t.Fatalf("the demo's fully rated matrix says \"rows not rated\":\n%s", plain)
	}
	m := mustSnapshot(t, s).Matrices[0]
	err := s.UpdateACHMatrix(m.ID, "Add hypothesis", func(m *workspace.ACHMatrix) error {
		_, err := m.AddHypothesis("Moscow answers through a third country")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := mustSnapshot(t, s)
	sec := achSection(t, strings.Join(pdfText(t, brief(t, snap, export.Options{})), " "))
	if want := "1 H5 Moscow answers through a third country (8 of 8 rows not rated) 0"; !strings.Contains(sec, want) {
		t.Errorf("the brief does not say %q:\n%s", want, sec)
	}
	if strings.Count(sec, "rows not rated") != 1 {
		t.Errorf("the brief says \"rows not rated\" %d times, want once", strings.Count(sec, "rows not rated"))
	}
	var md bytes.Buffer
	if err := export.Markdown(&md, snap, export.Options{}); err != nil {
		t.Fatal(err)
	}
	if want := "| 1 | H5 | **Moscow answers through a third country** *(8 of 8 rows not rated)* | **0** |"; !strings.Contains(md.String(), want) {
		t.Errorf("the Markdown does not say %q", want)
	}
}
