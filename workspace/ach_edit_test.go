package workspace_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"briefboard/workspace"
)

func titlesOf(m *workspace.ACHMatrix) []string {
	var out []string
	for _, h := range m.Hypotheses {
		out = append(out, h.Title)
	}
	return out
}

// TestACH_EditHypotheses: a hypothesis keeps its id, ratings and
// indicators through a rename and a move; a new one gets a new id;
// removing one clears its ratings and indicators in one action that undo
// brings back; a matrix keeps two.
func TestACH_EditHypotheses(t *testing.T) {
	s := mustOpenStore(t)
	card := firstCard(t, s, workspace.TLPClear).ID
	m := newMatrix(t, s, "One", "Two", "Three")
	addEvidence(t, s, m, card, workspace.WeightHigh, workspace.RatingI, workspace.RatingC, workspace.RatingII)
	h1, h2, h3 := m.Hypotheses[0].ID, m.Hypotheses[1].ID, m.Hypotheses[2].ID
	update := func(action string, fn func(m *workspace.ACHMatrix) error) {
		t.Helper()
		if err := s.UpdateACHMatrix(m.ID, action, fn); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	update("Add indicator", func(m *workspace.ACHMatrix) error {
		return m.AddIndicator(h3, workspace.Indicator{Text: "  Moscow names a date  "})
	})
	update("Rename", func(m *workspace.ACHMatrix) error { return m.RenameHypothesis(h3, "Three, renamed") })
	update("Move", func(m *workspace.ACHMatrix) error { return m.MoveHypothesis(h3, 0) })
	var h4 string
	update("Add", func(m *workspace.ACHMatrix) (err error) { h4, err = m.AddHypothesis("Four"); return err })
	got := mustSnapshot(t, s).Matrix(m.ID)
	if want := []string{"Three, renamed", "One", "Two", "Four"}; !reflect.DeepEqual(titlesOf(got), want) {
		t.Fatalf("hypotheses %v, want %v", titlesOf(got), want)
	}
	if got.Hypotheses[0].ID != h3 || h4 == "" || h4 == h1 || h4 == h2 || h4 == h3 {
		t.Fatalf("ids %+v (new %s)", got.Hypotheses, h4)
	}
	if in := got.Indicators[h3]; len(in) != 1 || in[0].Text != "Moscow names a date" || in[0].Status != workspace.IndicatorNotSeen {
		t.Fatalf("indicators after rename and move: %+v", got.Indicators)
	}
	if r := cellsOf(t, s, m, card); r.Cells[h3] != workspace.RatingII || r.Cells[h1] != workspace.RatingI {
		t.Fatalf("ratings after rename and move: %v", r.Cells)
	}
	// The top hypothesis follows the ratings, not the positions.
	snap := mustSnapshot(t, s)
	if sc := snap.ScoreACH(snap.Matrix(m.ID)); sc.Hypotheses[0].ID != h3 || sc.Hypotheses[0].Inconsistency == 0 {
		t.Fatalf("scores after the move: %+v", sc.Hypotheses)
	}

	if err := s.RemoveACHHypothesis(m.ID, h3); err != nil {
		t.Fatal(err)
	}
	got = mustSnapshot(t, s).Matrix(m.ID)
	if want := []string{"One", "Two", "Four"}; !reflect.DeepEqual(titlesOf(got), want) {
		t.Fatalf("after removal %v", titlesOf(got))
	}
	if _, ok := got.Indicators[h3]; ok {
		t.Fatal("the removed hypothesis's indicators stay")
	}
	if r := cellsOf(t, s, m, card); len(r.Cells) != 2 || r.Cells[h3] != "" {
		t.Fatalf("ratings after removal: %v", r.Cells)
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if r := cellsOf(t, s, m, card); r.Cells[h3] != workspace.RatingII || len(mustSnapshot(t, s).Matrix(m.ID).Indicators[h3]) != 1 {
		t.Fatalf("undo brought back %v", r.Cells)
	}

	// Two hypotheses stay; errors change nothing.
	if err := s.RemoveACHHypothesis(m.ID, h4); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveACHHypothesis(m.ID, h3); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s)
	var ve *workspace.ValidationError
	if err := s.RemoveACHHypothesis(m.ID, h1); !errors.As(err, &ve) || !strings.Contains(err.Error(), "at least two") {
		t.Fatalf("removing the third of three: %v", err)
	}
	for name, fn := range map[string]func(m *workspace.ACHMatrix) error{
		"empty title":    func(m *workspace.ACHMatrix) error { return m.RenameHypothesis(h1, "  ") },
		"unknown id":     func(m *workspace.ACHMatrix) error { return m.RenameHypothesis("nope", "X") },
		"control char":   func(m *workspace.ACHMatrix) error { _, err := m.AddHypothesis("a\x00b"); return err },
		"no indicator 5": func(m *workspace.ACHMatrix) error { return m.RemoveIndicator(h1, 4) },
		"bad status": func(m *workspace.ACHMatrix) error {
			return m.AddIndicator(h1, workspace.Indicator{Text: "x", Status: "maybe"})
		},
		"unknown card": func(m *workspace.ACHMatrix) error {
			return m.AddIndicator(h1, workspace.Indicator{Text: "x", Card: "c-none"})
		},
	} {
		if err := s.UpdateACHMatrix(m.ID, name, fn); !errors.As(err, &ve) {
			t.Errorf("%s: %v, want a validation error", name, err)
		}
	}
	if after := dump(t, s); after != before {
		t.Fatalf("a refused edit changed the workspace: %s", diffLines(before, after))
	}
}

// TestACH_EditIndicators: indicators are added, changed and removed by
// place; the last one going leaves the hypothesis without a list.
func TestACH_EditIndicators(t *testing.T) {
	s := mustOpenStore(t)
	card := firstCard(t, s, workspace.TLPClear).ID
	m := newMatrix(t, s, "One", "Two")
	h := m.Hypotheses[1].ID
	edit := func(fn func(m *workspace.ACHMatrix) error) {
		t.Helper()
		if err := s.UpdateACHMatrix(m.ID, "Edit indicators", fn); err != nil {
			t.Fatal(err)
		}
	}
	edit(func(m *workspace.ACHMatrix) error { return m.AddIndicator(h, workspace.Indicator{Text: "First"}) })
	edit(func(m *workspace.ACHMatrix) error {
		return m.AddIndicator(h, workspace.Indicator{Text: "Second", Status: workspace.IndicatorSeen, Card: card})
	})
	edit(func(m *workspace.ACHMatrix) error {
		return m.SetIndicator(h, 0, workspace.Indicator{Text: "First, reworded", Status: workspace.IndicatorContradicted})
	})
	want := []workspace.Indicator{
		{Text: "First, reworded", Status: workspace.IndicatorContradicted},
		{Text: "Second", Status: workspace.IndicatorSeen, Card: card},
	}
	if got := mustSnapshot(t, s).Matrix(m.ID).Indicators[h]; !reflect.DeepEqual(got, want) {
		t.Fatalf("indicators %+v, want %+v", got, want)
	}
	edit(func(m *workspace.ACHMatrix) error { return m.RemoveIndicator(h, 0) })
	edit(func(m *workspace.ACHMatrix) error { return m.RemoveIndicator(h, 0) })
	if got := mustSnapshot(t, s).Matrix(m.ID).Indicators; len(got) != 0 {
		t.Fatalf("after removing both: %+v", got)
	}
	s.Undo()
	if got := mustSnapshot(t, s).Matrix(m.ID).Indicators[h]; len(got) != 1 || got[0].Text != "Second" {
		t.Fatalf("undo: %+v", got)
	}
}

// TestACH_ReviseMatrix: the matrix dialog's one action renames, reorders,
// adds and removes hypotheses, keeping each kept one's ratings and
// indicators, and one undo brings the matrix back as it was.
func TestACH_ReviseMatrix(t *testing.T) {
	s := mustOpenStore(t)
	card := firstCard(t, s, workspace.TLPClear).ID
	m := newMatrix(t, s, "One", "Two", "Three")
	addEvidence(t, s, m, card, workspace.WeightMedium, workspace.RatingI, workspace.RatingC, workspace.RatingII)
	h1, h2, h3 := m.Hypotheses[0].ID, m.Hypotheses[1].ID, m.Hypotheses[2].ID
	if err := s.UpdateACHMatrix(m.ID, "Indicator", func(m *workspace.ACHMatrix) error {
		return m.AddIndicator(h1, workspace.Indicator{Text: "Watch one"})
	}); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s)
	was := mustSnapshot(t, s).Matrix(m.ID)
	wasCells := cellsOf(t, s, m, card).Cells
	err := s.ReviseACHMatrix(m.ID, " Which way now? ", []workspace.Hypothesis{
		{ID: h3, Title: "Three first"}, {Title: "New"}, {ID: h2, Title: "Two"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := mustSnapshot(t, s).Matrix(m.ID)
	if got.Question != "Which way now?" || !reflect.DeepEqual(titlesOf(got), []string{"Three first", "New", "Two"}) {
		t.Fatalf("revised: %q %v", got.Question, titlesOf(got))
	}
	if got.Hypotheses[0].ID != h3 || got.Hypotheses[2].ID != h2 || got.Hypotheses[1].ID == "" {
		t.Fatalf("ids: %+v", got.Hypotheses)
	}
	if len(got.Indicators) != 0 {
		t.Fatalf("the removed hypothesis's indicators stay: %+v", got.Indicators)
	}
	want := map[string]workspace.ACHRating{h2: workspace.RatingC, h3: workspace.RatingII}
	if r := cellsOf(t, s, m, card); !reflect.DeepEqual(r.Cells, want) {
		t.Fatalf("cells %v, want %v", r.Cells, want)
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if now := mustSnapshot(t, s).Matrix(m.ID); !reflect.DeepEqual(now.Hypotheses, was.Hypotheses) ||
		now.Question != was.Question || !reflect.DeepEqual(now.Indicators, was.Indicators) {
		t.Fatalf("one undo did not bring the matrix back: %+v, was %+v", now, was)
	}
	if now := cellsOf(t, s, m, card).Cells; !reflect.DeepEqual(now, wasCells) {
		t.Fatalf("one undo did not bring the ratings back: %v, were %v", now, wasCells)
	}
	before = dump(t, s)
	var ve *workspace.ValidationError
	for name, hs := range map[string][]workspace.Hypothesis{
		"one left":   {{ID: h1, Title: "One"}},
		"twice":      {{ID: h1, Title: "One"}, {ID: h1, Title: "Again"}},
		"unknown":    {{ID: h1, Title: "One"}, {ID: "h-none", Title: "X"}},
		"empty text": {{ID: h1, Title: "One"}, {ID: h2, Title: "  "}},
	} {
		if err := s.ReviseACHMatrix(m.ID, "Which way?", hs); !errors.As(err, &ve) {
			t.Errorf("%s: %v, want a validation error", name, err)
		}
	}
	if after := dump(t, s); after != before {
		t.Fatalf("a refused revision changed the workspace: %s", diffLines(before, after))
	}
}
