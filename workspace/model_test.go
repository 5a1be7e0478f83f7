package workspace_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
)

func TestStore_RoundTripEveryRecordType(t *testing.T) {
	s, dir := mustCreate(t, "empty", workspace.Options{})
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	src, err := s.AddSource(workspace.Source{Title: "Interview with a negotiator", Origin: "https://example.org/x",
		InfoDate: "2025-12", Grade: workspace.Grade{Reliability: "B", Credibility: 2}, TLP: workspace.TLPAmber, Notes: "n"}, false)
	if err != nil {
		t.Fatal(err)
	}
	amber := workspace.TLPAmberStrict
	c, err := s.AddCard(workspace.CardDraft{Board: b.ID, Lane: "Bracketed", Title: "Київ and the guarantees", Body: "Body ✓ 😀",
		Kind: workspace.KindJudgment, Tags: []string{"guarantees", "київ"}, TLP: &amber})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.UpdateCard(c.ID, "Edit card", func(c *workspace.Card) error {
		c.Citations = []workspace.Citation{{Source: src.ID, Quote: "a short quote"}}
		c.Positions = map[string]workspace.Position{"ua": {Stance: workspace.StanceRedLine, Note: "no"}, "us": {Stance: workspace.StanceConditional}}
		c.Likelihood, c.Confidence = workspace.LikelihoodRoughlyEven, workspace.ConfidenceLow
		c.Links = []workspace.Link{{To: other.ID, Type: workspace.LinkDependsOn}}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	red := workspace.TLPRed
	a, err := s.AddAnnotation(c.ID, workspace.AnnCaveat, "Single source", &red)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetResolved(c.ID, a.ID, true); err != nil {
		t.Fatal(err)
	}
	lane, err := s.AddLane(b.ID, "Parked")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateMeta("Edit workspace", func(m *workspace.Meta) error {
		m.Subtitle = "Round two"
		m.DefaultTLP = workspace.TLPAmber
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetProfile(workspace.Profile{Name: "Оксана Коваль", Initials: "OK"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s2, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got := mustSnapshot(t, s2)
	gc := got.Cards[c.ID]
	if gc == nil {
		t.Fatal("card lost on reopen")
	}
	if gc.Title != "Київ and the guarantees" || gc.Body != "Body ✓ 😀" || gc.Kind != workspace.KindJudgment ||
		gc.TLP != workspace.TLPAmberStrict || strings.Join(gc.Tags, ",") != "guarantees,київ" ||
		got.LaneName(gc) != "Bracketed" || gc.Likelihood != workspace.LikelihoodRoughlyEven ||
		gc.Confidence != workspace.ConfidenceLow || len(gc.Links) != 1 || gc.Links[0].To != other.ID ||
		gc.Positions["ua"].Stance != workspace.StanceRedLine || gc.Positions["ua"].Note != "no" ||
		len(gc.Citations) != 1 || gc.Citations[0].Quote != "a short quote" {
		t.Fatalf("card after reopen: %+v", gc)
	}
	gs := got.SourceByID[src.ID]
	if gs == nil || gs.Grade.String() != "B2" || gs.TLP != workspace.TLPAmber || gs.InfoDate != "2025-12" || gs.Origin != "https://example.org/x" {
		t.Fatalf("source after reopen: %+v", gs)
	}
	anns := got.Annotations[c.ID]
	if len(anns) != 1 || !anns[0].Resolved || anns[0].TLP != workspace.TLPRed || anns[0].Kind != workspace.AnnCaveat {
		t.Fatalf("annotations after reopen: %+v", anns)
	}
	if got.Lane(lane.ID) == nil || got.Meta.Subtitle != "Round two" || got.Meta.DefaultTLP != workspace.TLPAmber {
		t.Fatal("lane or workspace header lost on reopen")
	}
	if got.Profile.Name != "Оксана Коваль" {
		t.Fatalf("profile %+v", got.Profile)
	}
	if bl := got.Backlinks(other.ID); len(bl) != 1 || bl[0].From != c.ID {
		t.Fatalf("backlinks %+v", bl)
	}
	if g, ok := got.WeakestGrade(gc); !ok || g.String() != "B2" {
		t.Fatalf("weakest grade %v %v", g, ok)
	}
	if got.MaxTLP() != workspace.TLPRed {
		t.Fatalf("max TLP %v", got.MaxTLP())
	}
}

func TestStore_ValidationErrorsNameTheField(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	card := snap.BoardCards(b.ID)[0]
	cases := []struct {
		name  string
		field string
		run   func() error
	}{
		{"empty title", "title", func() error {
			_, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "   "})
			return err
		}},
		{"huge title", "title", func() error {
			_, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: strings.Repeat("x", workspace.MaxTitle+1)})
			return err
		}},
		{"unknown lane", "lane", func() error {
			_, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "x", Lane: "Nowhere"})
			return err
		}},
		{"bad kind", "kind", func() error {
			_, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "x", Kind: "memo"})
			return err
		}},
		{"duplicate tag", "tags", func() error {
			_, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "x", Tags: []string{"a", "a"}})
			return err
		}},
		{"invalid utf-8", "body", func() error {
			_, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "x", Body: "bad \xff byte"})
			return err
		}},
		{"bad stance", "positions", func() error {
			_, err := s.UpdateCard(card.ID, "Edit card", func(c *workspace.Card) error {
				c.Positions = map[string]workspace.Position{"us": {Stance: "maybe"}}
				return nil
			})
			return err
		}},
		{"unknown party", "positions", func() error {
			_, err := s.UpdateCard(card.ID, "Edit card", func(c *workspace.Card) error {
				c.Positions = map[string]workspace.Position{"atlantis": {Stance: workspace.StanceSupports}}
				return nil
			})
			return err
		}},
		{"missing source", "citations", func() error {
			_, err := s.UpdateCard(card.ID, "Edit card", func(c *workspace.Card) error {
				c.Citations = []workspace.Citation{{Source: "nosuchsource"}}
				return nil
			})
			return err
		}},
		{"self link", "links", func() error {
			_, err := s.UpdateCard(card.ID, "Edit card", func(c *workspace.Card) error {
				c.Links = []workspace.Link{{To: c.ID, Type: workspace.LinkSupports}}
				return nil
			})
			return err
		}},
		{"bad likelihood", "likelihood", func() error {
			_, err := s.UpdateCard(card.ID, "Edit card", func(c *workspace.Card) error {
				c.Likelihood = "probable"
				return nil
			})
			return err
		}},
		{"bad grade", "grade", func() error {
			_, err := s.AddSource(workspace.Source{Title: "x", Grade: workspace.Grade{Reliability: "G", Credibility: 2}}, true)
			return err
		}},
		{"bad info date", "infoDate", func() error {
			_, err := s.AddSource(workspace.Source{Title: "x", InfoDate: "late 2025"}, true)
			return err
		}},
		{"empty annotation", "text", func() error {
			_, err := s.AddAnnotation(card.ID, workspace.AnnComment, " ", nil)
			return err
		}},
	}
	before := mustSnapshot(t, s)
	for _, tc := range cases {
		err := tc.run()
		if !errors.Is(err, workspace.ErrInvalid) {
			t.Errorf("%s: err %v, want a validation error", tc.name, err)
			continue
		}
		if f := workspace.FieldOf(err); f != tc.field {
			t.Errorf("%s: field %q, want %q (%v)", tc.name, f, tc.field, err)
		}
		if strings.Contains(err.Error(), "\n") || len(err.Error()) > 300 {
			t.Errorf("%s: message is not one readable line: %q", tc.name, err)
		}
	}
	after := mustSnapshot(t, s)
	if len(after.Cards) != len(before.Cards) || len(after.Sources) != len(before.Sources) {
		t.Fatal("a refused action left something behind")
	}
	if after.Cards[card.ID].UpdatedAt != before.Cards[card.ID].UpdatedAt {
		t.Fatal("a refused edit changed the card")
	}
}

func TestGrade_ParseAndMeaning(t *testing.T) {
	g, err := workspace.ParseGrade("b 2")
	if err != nil || g.String() != "B2" {
		t.Fatalf("ParseGrade: %v %v", g, err)
	}
	for _, bad := range []string{"G1", "A7", "A0", "AA", "B22"} {
		if _, err := workspace.ParseGrade(bad); err == nil {
			t.Errorf("ParseGrade(%q) accepted", bad)
		}
	}
	if !(workspace.Grade{Reliability: "F", Credibility: 6}).Weak() || (workspace.Grade{Reliability: "B", Credibility: 6}).Weak() {
		t.Error("weak grades are D to F in reliability")
	}
	if workspace.ReliabilityMeanings["F"] != "Reliability cannot be judged" {
		t.Error("F means cannot be judged")
	}
}

func TestTLP_ParseAndLabel(t *testing.T) {
	for _, s := range []string{"amber+strict", "AMBER+STRICT", "TLP:AMBER+STRICT", " tlp:amber+strict "} {
		tl, err := workspace.ParseTLP(s)
		if err != nil || tl != workspace.TLPAmberStrict {
			t.Errorf("ParseTLP(%q) = %v, %v", s, tl, err)
		}
	}
	if workspace.TLPAmberStrict.String() != "TLP:AMBER+STRICT" || workspace.TLPClear.Word() != "clear" {
		t.Error("labels")
	}
	if _, err := workspace.ParseTLP("white"); err == nil {
		t.Error("TLP 1.0 WHITE is not a TLP 2.0 level")
	}
}

func TestStore_AnnotationTimesAndAuthor(t *testing.T) {
	s := mustOpenStore(t)
	if err := s.SetProfile(workspace.Profile{Name: "R. Analyst", Initials: "RA"}); err != nil {
		t.Fatal(err)
	}
	card := mustSnapshot(t, s).BoardCards(mustSnapshot(t, s).Boards[0].ID)[0]
	a, err := s.AddAnnotation(card.ID, workspace.AnnQuestion, "Who drafted point 7?", nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Author != "R. Analyst" || a.At.IsZero() || a.At.Year() != 2025 {
		t.Fatalf("annotation %+v", a)
	}
	if a.TLP != mustSnapshot(t, s).Meta.DefaultTLP {
		t.Fatal("new annotation did not take the workspace default TLP")
	}
	_ = time.Now
}
