package workspace_test

import (
	"testing"

	"briefboard/workspace"
)

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Київ":             "kyiv",
		"Андрій":           "andrii",
		"Зеленський":       "zelenskyi",
		"Рустем Умєров":    "rustem umierov",
		"Згорани":          "zghorany",
		"Юрій Ушаков":      "yurii ushakov",
		"Щастя":            "shchastia",
		"Їжакевич":         "yizhakevych",
		"Знам'янка":        "znamianka",
		"Málaga Ünïcödé":   "malaga unicode",
		"  Ad   ref —  ok": "ad ref ok",
		"TLP:AMBER+STRICT": "tlp amber+strict",
	}
	for in, want := range cases {
		if got := workspace.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func searchTitles(ix *workspace.Index, q workspace.Query) map[string]bool {
	out := map[string]bool{}
	for _, c := range ix.Search(q) {
		out[c.Title] = true
	}
	return out
}

func TestIndex_Search(t *testing.T) {
	s, _ := mustCreate(t, "empty", workspace.Options{})
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	b2 := snap.Boards[1]
	add := func(board, title, body string, tags ...string) *workspace.Card {
		c, err := s.AddCard(workspace.CardDraft{Board: board, Title: title, Body: body, Tags: tags})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	add(b.ID, "Delegation returns to Київ", "")
	add(b.ID, "Андрій on the drafts", "")
	add(b.ID, "Réunion à Genève", "")
	kj := add(b2.ID, "Guarantee framework", "Backstop for ceasefire", "guarantees")
	red := workspace.TLPRed
	add(b2.ID, "Internal", "", "leverage")
	s.UpdateCard(mustSnapshot(t, s).BoardCards(b2.ID)[1].ID, "Edit card", func(c *workspace.Card) error {
		c.TLP = red
		c.Positions = map[string]workspace.Position{"ru": {Stance: workspace.StanceRedLine}}
		return nil
	})
	src, _ := s.AddSource(workspace.Source{Title: "Interview transcript"}, true)
	s.UpdateCard(kj.ID, "Edit card", func(c *workspace.Card) error {
		c.Citations = []workspace.Citation{{Source: src.ID}}
		return nil
	})
	s.SetProfile(workspace.Profile{Name: "M. Reviewer"})
	s.AddAnnotation(kj.ID, workspace.AnnQuestion, "Who underwrites the backstop?", nil)

	ix := workspace.NewIndex(mustSnapshot(t, s))
	checks := []struct {
		q    workspace.Query
		want []string
	}{
		{workspace.Query{Text: "Kyiv"}, []string{"Delegation returns to Київ"}},
		{workspace.Query{Text: "київ"}, []string{"Delegation returns to Київ"}},
		{workspace.Query{Text: "andrii"}, []string{"Андрій on the drafts"}},
		{workspace.Query{Text: "Андрій"}, []string{"Андрій on the drafts"}},
		{workspace.Query{Text: "geneve reunion"}, []string{"Réunion à Genève"}},
		{workspace.Query{Text: "GENÈVE"}, []string{"Réunion à Genève"}},
		{workspace.Query{Text: "underwrites"}, []string{"Guarantee framework"}},
		{workspace.Query{Text: "transcript"}, []string{"Guarantee framework"}},
		{workspace.Query{Text: "#guarantees"}, []string{"Guarantee framework"}},
		{workspace.Query{Tag: "Leverage"}, []string{"Internal"}},
		{workspace.Query{TLP: workspace.TLPRed, HasTLP: true}, []string{"Internal"}},
		{workspace.Query{Party: "ru", Stance: workspace.StanceRedLine}, []string{"Internal"}},
		{workspace.Query{Stance: workspace.StanceRedLine}, []string{"Internal"}},
		{workspace.Query{Author: "m. reviewer"}, []string{"Guarantee framework"}},
		{workspace.Query{Board: b.ID, Text: "drafts"}, []string{"Андрій on the drafts"}},
		{workspace.Query{Board: b2.ID, Text: "drafts"}, nil},
		{workspace.Query{Text: "nothing like this"}, nil},
	}
	for _, c := range checks {
		got := searchTitles(ix, c.q)
		if len(got) != len(c.want) {
			t.Errorf("%+v: got %v, want %v", c.q, got, c.want)
			continue
		}
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("%+v: got %v, want %v", c.q, got, c.want)
			}
		}
	}
	if n := len(ix.Search(workspace.Query{})); n != 5 {
		t.Errorf("an empty query matches %d cards, want all 5", n)
	}
}
