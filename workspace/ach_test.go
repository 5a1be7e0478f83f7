package workspace_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"briefboard/workspace"
)

// hyps makes hypotheses with the ids given, titled after them.
func hyps(ids ...string) []workspace.Hypothesis {
	out := make([]workspace.Hypothesis, len(ids))
	for i, id := range ids {
		out[i] = workspace.Hypothesis{ID: id, Title: "Hypothesis " + id}
	}
	return out
}

// row makes an evidence row from ratings given in hypothesis order ("-"
// for unrated).
func row(card string, w workspace.ACHWeight, g string, hs []workspace.Hypothesis, ratings ...string) workspace.ACHEvidence {
	grade, err := workspace.ParseGrade(g)
	if err != nil {
		panic(err)
	}
	cells := map[string]workspace.ACHRating{}
	for i, r := range ratings {
		if r != "-" {
			cells[hs[i].ID] = workspace.ACHRating(r)
		}
	}
	return workspace.ACHEvidence{Card: card, Weight: w, Grade: grade, Cells: cells}
}

func scoresOf(s *workspace.ACHScores) map[string]float64 {
	out := map[string]float64{}
	for _, h := range s.Hypotheses {
		out[h.ID] = h.Inconsistency
	}
	return out
}

func rankedIDs(s *workspace.ACHScores) []string {
	var out []string
	for _, i := range s.Ranking {
		out = append(out, s.Hypotheses[i].ID)
	}
	return out
}

// TestScoreACH_WorkedExample checks the formula against sums done by hand:
//
//	r1 B2 (0.9 × 0.8 = 0.72), high (2):   a I, b C,  c II   → a 1.44, c 2.88
//	r2 no grade (1), low (0.5):           a C, b II, c N    → b 1.00
//	r3 A1 (1), medium (1):                a N, b I,  c I    → b 1.00, c 1.00
//	r4 F6 (0.7 × 0.6 = 0.42), medium (1): a II, b NA, c C   → a 0.84
//
// a = 2.28, b = 2.00, c = 3.88: b ranks first. Without r1, a (0.84) would
// lead, and without r4, a (1.44) too; without r2 or r3, b still leads.
func TestScoreACH_WorkedExample(t *testing.T) {
	hs := hyps("a", "b", "c")
	s := workspace.ScoreACH(hs, []workspace.ACHEvidence{
		row("r1", workspace.WeightHigh, "B2", hs, "I", "C", "II"),
		row("r2", workspace.WeightLow, "", hs, "C", "II", "N"),
		row("r3", workspace.WeightMedium, "A1", hs, "N", "I", "I"),
		row("r4", workspace.WeightMedium, "F6", hs, "II", "NA", "C"),
	})
	if got, want := scoresOf(s), map[string]float64{"a": 2.28, "b": 2, "c": 3.88}; !reflect.DeepEqual(got, want) {
		t.Fatalf("scores %v, want %v", got, want)
	}
	if got := rankedIDs(s); !reflect.DeepEqual(got, []string{"b", "a", "c"}) {
		t.Fatalf("ranking %v", got)
	}
	for _, h := range s.Hypotheses {
		if want := map[string]int{"b": 1, "a": 2, "c": 3}[h.ID]; h.Rank != want {
			t.Errorf("%s: rank %d, want %d", h.ID, h.Rank, want)
		}
	}
	if !reflect.DeepEqual(s.Top, []string{"b"}) {
		t.Fatalf("top %v", s.Top)
	}
	wantFactor := []float64{0.72, 1, 1, 0.42}
	wantChanges := []bool{true, false, false, true}
	wantSpread := []float64{2.88, 1, 1, 0.84}
	for i, r := range s.Rows {
		if r.Factor != wantFactor[i] || r.ChangesTop != wantChanges[i] || !r.Diagnostic || r.Spread != wantSpread[i] {
			t.Errorf("row %s: factor %v changes top %v diagnostic %v spread %v; want %v, %v, true, %v",
				r.Card, r.Factor, r.ChangesTop, r.Diagnostic, r.Spread, wantFactor[i], wantChanges[i], wantSpread[i])
		}
	}
	if got := workspace.ScoreText(s.Hypotheses[0].Inconsistency); got != "2.28" {
		t.Errorf("score text %q", got)
	}
}

// TestScoreACH_HeuerStructure is the lesson of Heuer's matrix: the
// hypothesis with the most evidence consistent with it is not the one to
// prefer; the one with the least evidence against it is.
//
//	e1: h1 C   h2 C  h3 C   (consistent with all: non-diagnostic)
//	e2: h1 C   h2 C  h3 I
//	e3: h1 C   h2 N  h3 I
//	e4: h1 C   h2 N  h3 C
//	e5: h1 I   h2 N  h3 C
//	e6: h1 II  h2 N  h3 N
//
// Medium weights, no grades: h1 = 1 + 2 = 3 with four C, h2 = 0 with two C,
// h3 = 1 + 1 = 2 with three C.
func TestScoreACH_HeuerStructure(t *testing.T) {
	hs := hyps("h1", "h2", "h3")
	m := workspace.WeightMedium
	s := workspace.ScoreACH(hs, []workspace.ACHEvidence{
		row("e1", m, "", hs, "C", "C", "C"),
		row("e2", m, "", hs, "C", "C", "I"),
		row("e3", m, "", hs, "C", "N", "I"),
		row("e4", m, "", hs, "C", "N", "C"),
		row("e5", m, "", hs, "I", "N", "C"),
		row("e6", m, "", hs, "II", "N", "N"),
	})
	most := s.Hypotheses[0]
	for _, h := range s.Hypotheses {
		if h.Consistent > most.Consistent {
			most = h
		}
	}
	if most.ID != "h1" || most.Consistent != 4 {
		t.Fatalf("most consistent %s with %d", most.ID, most.Consistent)
	}
	if got, want := scoresOf(s), map[string]float64{"h1": 3, "h2": 0, "h3": 2}; !reflect.DeepEqual(got, want) {
		t.Fatalf("scores %v, want %v", got, want)
	}
	if got := rankedIDs(s); !reflect.DeepEqual(got, []string{"h2", "h3", "h1"}) {
		t.Fatalf("ranking %v", got)
	}
	if most.Rank != 3 || !reflect.DeepEqual(s.Top, []string{"h2"}) {
		t.Fatalf("the most consistent hypothesis ranks %d; top %v", most.Rank, s.Top)
	}
	for i, r := range s.Rows {
		if r.Diagnostic != (i != 0) {
			t.Errorf("row %s diagnostic %v", r.Card, r.Diagnostic)
		}
		if r.ChangesTop {
			t.Errorf("leaving out %s changes the top, but h2 leads by 2 with nothing against it", r.Card)
		}
	}
}

func TestScoreACH_Diagnosticity(t *testing.T) {
	hs := hyps("a", "b", "c")
	m := workspace.WeightMedium
	cases := []struct {
		ratings    []string
		diagnostic bool
	}{
		{[]string{"C", "C", "C"}, false},
		{[]string{"II", "II", "II"}, false},
		{[]string{"NA", "NA", "NA"}, false},
		{[]string{"-", "-", "-"}, false},
		{[]string{"C", "CC", "C"}, true},
		{[]string{"C", "C", "-"}, true},
		{[]string{"N", "N", "I"}, true},
	}
	var rows []workspace.ACHEvidence
	for i, c := range cases {
		rows = append(rows, row(fmt.Sprint("r", i), m, "", hs, c.ratings...))
	}
	s := workspace.ScoreACH(hs, rows)
	for i, c := range cases {
		if s.Rows[i].Diagnostic != c.diagnostic {
			t.Errorf("%v: diagnostic %v, want %v", c.ratings, s.Rows[i].Diagnostic, c.diagnostic)
		}
		// Only the last row counts against one hypothesis more than
		// another.
		if want := map[bool]float64{true: 1, false: 0}[i == len(cases)-1]; s.Rows[i].Spread != want {
			t.Errorf("%v: spread %v, want %v", c.ratings, s.Rows[i].Spread, want)
		}
	}
	// A row rated alike everywhere adds the same to every hypothesis.
	all := scoresOf(s)
	if all["a"] != 2 || all["b"] != 2 || all["c"] != 3 {
		t.Fatalf("scores %v", all)
	}
}

// TestScoreACH_Sensitivity: a leads with 1 against b's 1.5. Leaving r1 out
// widens the lead; leaving r2 out puts b ahead (0.5 against 1); leaving r3
// out ties them, which also changes the top. Ties share a rank and keep
// the matrix's order.
func TestScoreACH_Sensitivity(t *testing.T) {
	hs := hyps("a", "b")
	s := workspace.ScoreACH(hs, []workspace.ACHEvidence{
		row("r1", workspace.WeightMedium, "", hs, "I", "N"),
		row("r2", workspace.WeightMedium, "", hs, "N", "I"),
		row("r3", workspace.WeightLow, "", hs, "N", "I"),
	})
	if !reflect.DeepEqual(s.Top, []string{"a"}) {
		t.Fatalf("top %v", s.Top)
	}
	for i, want := range []bool{false, true, true} {
		if s.Rows[i].ChangesTop != want {
			t.Errorf("row %s changes top %v, want %v", s.Rows[i].Card, s.Rows[i].ChangesTop, want)
		}
	}
	tie := workspace.ScoreACH(hs, []workspace.ACHEvidence{
		row("r1", workspace.WeightMedium, "", hs, "I", "N"),
		row("r2", workspace.WeightMedium, "", hs, "N", "I"),
	})
	if !reflect.DeepEqual(tie.Top, []string{"a", "b"}) || tie.Hypotheses[0].Rank != 1 || tie.Hypotheses[1].Rank != 1 {
		t.Fatalf("tie: top %v, ranks %d %d", tie.Top, tie.Hypotheses[0].Rank, tie.Hypotheses[1].Rank)
	}
	if got := rankedIDs(tie); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("tied ranking %v", got)
	}
	for _, r := range tie.Rows {
		if !r.ChangesTop {
			t.Errorf("leaving %s out breaks the tie, which changes the top", r.Card)
		}
	}
	// Ratings of hypotheses the matrix no longer has count for nothing.
	gone := workspace.ScoreACH(hs, []workspace.ACHEvidence{{Card: "x", Weight: workspace.WeightHigh,
		Cells: map[string]workspace.ACHRating{"removed": workspace.RatingII}}})
	if got := scoresOf(gone); got["a"] != 0 || got["b"] != 0 {
		t.Fatalf("a removed hypothesis's rating counted: %v", got)
	}
}

func TestCredibilityFactor(t *testing.T) {
	for g, want := range map[string]float64{"A1": 1, "B2": 0.72, "C3": 0.48, "E5": 0.08, "F6": 0.42, "F2": 0.56, "": 1} {
		grade, _ := workspace.ParseGrade(g)
		if got := workspace.CredibilityFactor(grade); got != want {
			t.Errorf("%q: factor %v, want %v", g, got, want)
		}
	}
}

// demoMatrix returns the demo's matrix and its hypotheses by title word.
func demoMatrix(t *testing.T, snap *workspace.Snapshot) *workspace.ACHMatrix {
	t.Helper()
	if len(snap.Matrices) != 1 {
		t.Fatalf("%d matrices in the demo", len(snap.Matrices))
	}
	return snap.Matrices[0]
}

func cardTitled(t *testing.T, snap *workspace.Snapshot, prefix string) *workspace.Card {
	t.Helper()
	for _, c := range snap.Cards {
		if strings.HasPrefix(c.Title, prefix) {
			return c
		}
	}
	t.Fatalf("no card titled %q…", prefix)
	return nil
}

func TestACH_Demo(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	m := demoMatrix(t, snap)
	if m.Question != "How will Moscow answer the revised framework?" || len(m.Hypotheses) != 4 {
		t.Fatalf("demo matrix %q with %d hypotheses", m.Question, len(m.Hypotheses))
	}
	sc := snap.ScoreACH(m)
	// By hand: the only I against "accepts some points" is the amber
	// anchoring note (low, B2: 0.36); Ushakov's statement (high, B2) counts
	// 1.44 against rejecting and against stalling; accepting collects
	// 2.88 + 1.44 + 0.64 + 0.32 + 0.54 + 0.72.
	want := []float64{1.44, 0.36, 6.54, 1.44}
	for i, h := range sc.Hypotheses {
		if h.Inconsistency != want[i] {
			t.Errorf("%q: %v, want %v", h.Title, h.Inconsistency, want[i])
		}
	}
	if len(sc.Top) != 1 || sc.Top[0] != m.Hypotheses[1].ID {
		t.Fatalf("top %v", sc.Top)
	}
	rows := snap.Evidence[m.ID]
	for i, r := range sc.Rows {
		title := snap.Cards[rows[i].Card].Title
		if want := strings.HasPrefix(title, "Ushakov: Moscow will decide"); r.ChangesTop != want {
			t.Errorf("%q changes top %v", title, r.ChangesTop)
		}
		if want := !strings.HasPrefix(title, "US positioned as mediator"); r.Diagnostic != want {
			t.Errorf("%q diagnostic %v", title, r.Diagnostic)
		}
	}
	// In a GREEN output the amber note is not evidence, and nothing of it
	// counts.
	green := workspace.TLPGreen
	capped, err := snap.Capped(&green)
	if err != nil {
		t.Fatal(err)
	}
	anchoring := cardTitled(t, snap, "Anchoring tactic")
	if n, cn := len(snap.Evidence[m.ID]), len(capped.Evidence[m.ID]); n != 8 || cn != 7 {
		t.Fatalf("%d rows, %d at GREEN", n, cn)
	}
	for _, r := range capped.Evidence[m.ID] {
		if r.Card == anchoring.ID {
			t.Fatal("the amber row is in the GREEN snapshot")
		}
	}
	if got := capped.ScoreACH(capped.Matrix(m.ID)).Hypotheses[1].Inconsistency; got != 0 {
		t.Fatalf("at GREEN the selective hypothesis scores %v", got)
	}
}

// addEvidence makes a card evidence in a matrix and rates it.
func addEvidence(t *testing.T, s *workspace.Store, m *workspace.ACHMatrix, card string, w workspace.ACHWeight, ratings ...workspace.ACHRating) {
	t.Helper()
	if _, err := s.SetACHEvidence(m.ID, card, w); err != nil {
		t.Fatalf("evidence: %v", err)
	}
	for i, r := range ratings {
		if err := s.RateACH(m.ID, card, m.Hypotheses[i].ID, r); err != nil {
			t.Fatalf("rate: %v", err)
		}
	}
}

func newMatrix(t *testing.T, s *workspace.Store, hs ...string) *workspace.ACHMatrix {
	t.Helper()
	m, err := s.AddACHMatrix(workspace.ACHDraft{Question: "Which way?", Hypotheses: hs})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestACH_CappedLeavesRedRowOut: a RED card rated in a GREEN matrix is in
// the full scores and not in those of a GREEN output, whose scores are
// worked out from the rows that remain.
func TestACH_CappedLeavesRedRowOut(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	m := demoMatrix(t, snap)
	red := cardTitled(t, snap, "Chokepoint")
	if snap.Marking(red) != workspace.TLPRed {
		t.Fatal("the chokepoint card is not RED")
	}
	// Very inconsistent with the leading hypothesis, and weighty.
	addEvidence(t, s, m, red.ID, workspace.WeightHigh, "N", "II", "N", "N")
	snap = mustSnapshot(t, s)
	full := snap.ScoreACH(snap.Matrix(m.ID))
	var redRow *workspace.ACHRow
	for _, r := range snap.Evidence[m.ID] {
		if r.Card == red.ID {
			redRow = r
		}
	}
	if redRow == nil || snap.Marking(redRow) != workspace.TLPRed {
		t.Fatalf("the row on the RED card is missing or not RED (%v)", redRow)
	}
	// 0.36 + 2 × 2 × 0.72 (the card's best source is Ushakov's, B2).
	if got := full.Hypotheses[1].Inconsistency; got != 3.24 {
		t.Fatalf("uncapped: %v", got)
	}
	green := workspace.TLPGreen
	capped, err := snap.Capped(&green)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range capped.Evidence[m.ID] {
		if r.Card == red.ID {
			t.Fatal("the RED card's row is in the GREEN snapshot")
		}
	}
	cs := capped.ScoreACH(capped.Matrix(m.ID))
	if got := cs.Hypotheses[1].Inconsistency; got != 0 {
		t.Fatalf("GREEN: %v, want 0 (neither the RED nor the amber row counts)", got)
	}
	if len(cs.Rows) != len(full.Rows)-2 {
		t.Fatalf("GREEN scores %d rows of %d", len(cs.Rows), len(full.Rows))
	}
	if reflect.DeepEqual(full.Top, cs.Top) {
		t.Fatalf("the top did not change: %v", cs.Top)
	}
	// A GREEN share file leaves the row out with its card, and reads.
	sf := mustRead(t, shareBytes(t, s, workspace.ShareOptions{MaxTLP: &green}), nil)
	rows := 0
	for _, r := range sf.Records {
		if r.RecordKind == workspace.RecACHRow {
			rows++
			if r.Record.(*workspace.ACHRow).Card == red.ID {
				t.Fatal("the GREEN share file holds the RED card's row")
			}
		}
	}
	if rows != 7 {
		t.Fatalf("the GREEN share file holds %d rows, want 7", rows)
	}
}

// TestACH_RowFloorsAndRelease: a row is at least as restricted as its card
// and its matrix; lowering either releases the rows whose marking came
// from it.
func TestACH_RowFloorsAndRelease(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	card := cardTitled(t, snap, "Chokepoint")
	other := cardTitled(t, snap, "Witkoff: peace must be")
	m := newMatrix(t, s, "One", "Two")
	addEvidence(t, s, m, card.ID, "", workspace.RatingI, workspace.RatingC)
	addEvidence(t, s, m, other.ID, "", workspace.RatingC, workspace.RatingC)
	rowOf := func(snap *workspace.Snapshot, id string) *workspace.ACHRow {
		for _, r := range snap.Evidence[m.ID] {
			if r.Card == id {
				return r
			}
		}
		t.Fatalf("no row for %s", id)
		return nil
	}
	snap = mustSnapshot(t, s)
	if got := snap.Marking(rowOf(snap, card.ID)); got != workspace.TLPRed {
		t.Fatalf("row on a RED card is %s", got)
	}
	if got := snap.Marking(rowOf(snap, other.ID)); got != workspace.TLPGreen {
		t.Fatalf("row on a CLEAR card in a GREEN matrix is %s", got)
	}
	if err := s.SetMarking(workspace.KeyOf(card), workspace.TLPGreen); err != nil {
		t.Fatal(err)
	}
	snap = mustSnapshot(t, s)
	if got := snap.Marking(rowOf(snap, card.ID)); got != workspace.TLPGreen {
		t.Fatalf("after the card was lowered to GREEN its row is %s: %s", got, snap.ExplainMarking(rowOf(snap, card.ID)).Reason())
	}
	if err := s.SetMarking(workspace.KeyOf(m), workspace.TLPAmber); err != nil {
		t.Fatal(err)
	}
	if err := s.RateACH(m.ID, other.ID, m.Hypotheses[0].ID, workspace.RatingII); err != nil {
		t.Fatal(err)
	}
	snap = mustSnapshot(t, s)
	if got := snap.Marking(rowOf(snap, other.ID)); got != workspace.TLPAmber {
		t.Fatalf("row in an AMBER matrix is %s", got)
	}
	if err := s.SetMarking(workspace.KeyOf(m), workspace.TLPClear); err != nil {
		t.Fatal(err)
	}
	snap = mustSnapshot(t, s)
	if got := snap.Marking(rowOf(snap, other.ID)); got != workspace.TLPClear {
		t.Fatalf("after the matrix was lowered to CLEAR, a row rated under AMBER is %s: %s", got,
			snap.ExplainMarking(rowOf(snap, other.ID)).Reason())
	}
}

func cellsOf(t *testing.T, s *workspace.Store, m *workspace.ACHMatrix, card string) *workspace.ACHRow {
	t.Helper()
	for _, r := range mustSnapshot(t, s).Evidence[m.ID] {
		if r.Card == card {
			return r
		}
	}
	t.Fatalf("card %s is not evidence", card)
	return nil
}

// TestACH_MergeDifferentCells: two colleagues rating different cells of a
// row merge without a question.
func TestACH_MergeDifferentCells(t *testing.T) {
	a := mustOpenStore(t)
	card := firstCard(t, a, workspace.TLPClear).ID
	m := newMatrix(t, a, "One", "Two", "Three")
	addEvidence(t, a, m, card, workspace.WeightMedium)
	b := copyOf(t, a, workspace.Options{})
	h1, h2 := m.Hypotheses[0].ID, m.Hypotheses[1].ID
	if err := a.RateACH(m.ID, card, h1, workspace.RatingC); err != nil {
		t.Fatal(err)
	}
	if err := b.RateACH(m.ID, card, h2, workspace.RatingII); err != nil {
		t.Fatal(err)
	}
	fromA, fromB := shareBytes(t, a, workspace.ShareOptions{}), shareBytes(t, b, workspace.ShareOptions{})
	resA, resB := mustImport(t, a, fromB), mustImport(t, b, fromA)
	if len(resA.Conflicts)+len(resB.Conflicts) != 0 {
		t.Fatalf("conflicts: %s; %s", resA.Summary(), resB.Summary())
	}
	want := map[string]workspace.ACHRating{h1: workspace.RatingC, h2: workspace.RatingII}
	for _, s := range []*workspace.Store{a, b} {
		r := cellsOf(t, s, m, card)
		if !reflect.DeepEqual(r.Cells, want) || len(r.Conflicts) != 0 {
			t.Fatalf("merged cells %v, conflicts %v", r.Cells, r.Conflicts)
		}
	}
	if d1, d2 := dump(t, a), dump(t, b); d1 != d2 {
		t.Fatalf("copies differ: %s", diffLines(d1, d2))
	}
}

// TestACH_MergeSameCell: the same cell rated differently by two copies is a
// conflict holding both values, with one winner on both copies.
func TestACH_MergeSameCell(t *testing.T) {
	a := mustOpenStore(t)
	card := firstCard(t, a, workspace.TLPClear).ID
	m := newMatrix(t, a, "One", "Two")
	addEvidence(t, a, m, card, workspace.WeightMedium)
	b := copyOf(t, a, workspace.Options{})
	h := m.Hypotheses[0].ID
	if err := a.RateACH(m.ID, card, h, workspace.RatingC); err != nil {
		t.Fatal(err)
	}
	if err := b.RateACH(m.ID, card, h, workspace.RatingII); err != nil {
		t.Fatal(err)
	}
	fromA, fromB := shareBytes(t, a, workspace.ShareOptions{}), shareBytes(t, b, workspace.ShareOptions{})
	resA := mustImport(t, a, fromB)
	mustImport(t, b, fromA)
	if len(resA.Conflicts) != 1 {
		t.Fatalf("import: %s", resA.Summary())
	}
	ra, rb := cellsOf(t, a, m, card), cellsOf(t, b, m, card)
	if ra.Cells[h] != rb.Cells[h] {
		t.Fatalf("copies show %s and %s", ra.Cells[h], rb.Cells[h])
	}
	if len(ra.Conflicts) != 1 || ra.Conflicts[0].Field != "cells."+h {
		t.Fatalf("conflicts %+v", ra.Conflicts)
	}
	vals := map[string]bool{}
	for _, v := range ra.Conflicts[0].Values {
		var s string
		json.Unmarshal(v.Value, &s)
		vals[s] = true
	}
	if !vals["C"] || !vals["II"] || len(vals) != 2 {
		t.Fatalf("conflict values %v", vals)
	}
	if n := mustSnapshot(t, a).Conflicts; n != 1 {
		t.Fatalf("the snapshot counts %d conflicts", n)
	}
	recs, err := a.ConflictRecords()
	if err != nil || len(recs) != 1 || recs[0].RecordKind != workspace.RecACHRow {
		t.Fatalf("conflict records %+v, %v", recs, err)
	}
	if d1, d2 := dump(t, a), dump(t, b); d1 != d2 {
		t.Fatalf("copies differ: %s", diffLines(d1, d2))
	}
}

func TestACH_BadInputChangesNothing(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	m := demoMatrix(t, snap)
	card := firstCard(t, s, workspace.TLPClear).ID
	notEvidence := ""
	for _, c := range snap.Cards {
		if len(snap.EvidenceIn(c.ID)) == 0 {
			notEvidence = c.ID
			break
		}
	}
	before := dump(t, s)
	cases := map[string]func() error{
		"one hypothesis": func() error {
			_, err := s.AddACHMatrix(workspace.ACHDraft{Question: "Q", Hypotheses: []string{"only"}})
			return err
		},
		"empty question": func() error {
			_, err := s.AddACHMatrix(workspace.ACHDraft{Question: " ", Hypotheses: []string{"a", "b"}})
			return err
		},
		"empty hypothesis": func() error {
			_, err := s.AddACHMatrix(workspace.ACHDraft{Question: "Q", Hypotheses: []string{"a", " "}})
			return err
		},
		"unknown card":   func() error { _, err := s.SetACHEvidence(m.ID, "nosuchcard", ""); return err },
		"unknown matrix": func() error { _, err := s.SetACHEvidence("nosuchmatrix", card, ""); return err },
		"bad weight":     func() error { _, err := s.SetACHEvidence(m.ID, card, "heavy"); return err },
		"bad rating":     func() error { return s.RateACH(m.ID, card, m.Hypotheses[0].ID, "X") },
		"unknown hypothesis": func() error {
			return s.RateACH(m.ID, snap.Evidence[m.ID][0].Card, "nosuchhypothesis", workspace.RatingC)
		},
		"not evidence": func() error { return s.RateACH(m.ID, notEvidence, m.Hypotheses[0].ID, workspace.RatingC) },
		"indicator on unknown card": func() error {
			return s.UpdateACHMatrix(m.ID, "Edit", func(x *workspace.ACHMatrix) error {
				x.Indicators[x.Hypotheses[0].ID] = append(x.Indicators[x.Hypotheses[0].ID], workspace.Indicator{Text: "t", Card: "nosuchcard"})
				return nil
			})
		},
	}
	for name, fn := range cases {
		if err := fn(); err == nil {
			t.Errorf("%s: no error", name)
		} else if !errors.Is(err, workspace.ErrInvalid) && !errors.Is(err, workspace.ErrNotFound) {
			t.Errorf("%s: %v is neither invalid nor not found", name, err)
		}
	}
	if after := dump(t, s); after != before {
		t.Fatalf("bad input changed the workspace: %s", diffLines(before, after))
	}
}

// TestACH_EvidenceLifecycle: evidence leaves and comes back with its
// ratings; a deleted card's row is not evidence while the card is gone;
// undo restores; deleting a matrix takes its rows.
func TestACH_EvidenceLifecycle(t *testing.T) {
	s := mustOpenStore(t)
	card := firstCard(t, s, workspace.TLPClear).ID
	m := newMatrix(t, s, "One", "Two")
	addEvidence(t, s, m, card, workspace.WeightHigh, workspace.RatingI, workspace.RatingC)
	count := func() int { return len(mustSnapshot(t, s).Evidence[m.ID]) }
	if err := s.RemoveACHEvidence(m.ID, card); err != nil || count() != 0 {
		t.Fatalf("remove: %v, %d rows", err, count())
	}
	if _, err := s.SetACHEvidence(m.ID, card, ""); err != nil {
		t.Fatal(err)
	}
	if r := cellsOf(t, s, m, card); r.Weight != workspace.WeightHigh || r.Cells[m.Hypotheses[0].ID] != workspace.RatingI {
		t.Fatalf("evidence came back as %+v", r)
	}
	if err := s.DeleteCard(card); err != nil || count() != 0 {
		t.Fatalf("delete card: %v, %d rows", err, count())
	}
	if _, err := s.Undo(); err != nil || count() != 1 {
		t.Fatalf("undo: %v, %d rows", err, count())
	}
	if err := s.DeleteACHMatrix(m.ID); err != nil {
		t.Fatal(err)
	}
	snap := mustSnapshot(t, s)
	if snap.Matrix(m.ID) != nil || len(snap.Evidence[m.ID]) != 0 || len(snap.EvidenceIn(card)) != 0 {
		t.Fatal("the deleted matrix still shows")
	}
	if _, err := s.Undo(); err != nil || count() != 1 || mustSnapshot(t, s).Matrix(m.ID) == nil {
		t.Fatalf("undo delete matrix: %v, %d rows", err, count())
	}
}

// TestScoreACH_CountsUnrated: a row with no rating for a hypothesis is
// unrated for it; NA is a rating.
func TestScoreACH_CountsUnrated(t *testing.T) {
	hs := hyps("a", "b", "c")
	s := workspace.ScoreACH(hs, []workspace.ACHEvidence{
		row("r1", workspace.WeightMedium, "", hs, "I", "-", "C"),
		row("r2", workspace.WeightMedium, "", hs, "-", "-", "NA"),
	})
	for i, want := range []int{1, 2, 0} {
		if got := s.Hypotheses[i].Unrated; got != want {
			t.Errorf("%s: %d unrated, want %d", hs[i].ID, got, want)
		}
	}
	if got := s.Hypotheses[1].UnratedNote(2); got != "2 of 2 rows not rated" {
		t.Errorf("note %q", got)
	}
	if got := s.Hypotheses[2].UnratedNote(2); got != "" {
		t.Errorf("a rated hypothesis has the note %q", got)
	}
}
