package export_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/workspace"
)

// words is filler for card bodies: plain English, about 80 words a card.
var words = strings.Fields(`the negotiators met again on the draft text and agreed to return to the
bracketed paragraphs after consulting their capitals while the mediator pressed for a timetable that
would allow the security guarantees to be settled before the economic plan was opened for detailed
discussion although several delegations warned that sequencing of this kind could leave the hardest
questions unanswered until the final round when the pressure to conclude would be greatest and the
room for careful drafting smallest`)

// fillWorkspace adds n cards to the boards of st, spread over the boards
// and lanes, each with an 80-word body, two cited sources, two annotations
// and positions; every tenth card is a key judgment. Cards go in batches
// of 300 per action.
func fillWorkspace(tb testing.TB, st *workspace.Store, n int) {
	tb.Helper()
	snap := mustSnapshot(tb, st)
	var sources []string
	_, err := st.Do("Add sources", func(tx *workspace.Tx) error {
		grades := []string{"A1", "B2", "C3", "D4", "E5", "F6", "B3", "C2"}
		for i := 0; i < 24; i++ {
			g, _ := workspace.ParseGrade(grades[i%len(grades)])
			s := &workspace.Source{Base: workspace.Base{ID: workspace.NewID()}, Title: fmt.Sprintf("Source %02d: statement by a delegation", i+1),
				Origin: "Delegation briefing", InfoDate: "2025-12", Grade: g, TLP: workspace.TLP(i % 3)}
			if err := tx.PutSource(s); err != nil {
				return err
			}
			sources = append(sources, s.ID)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	stances := workspace.Stances
	for start := 0; start < n; start += 300 {
		end := min(n, start+300)
		_, err := st.Do("Add cards", func(tx *workspace.Tx) error {
			for i := start; i < end; i++ {
				b := snap.Boards[i%len(snap.Boards)]
				lanes := snap.Lanes[b.ID]
				tlp := workspace.TLP(i % 5)
				kind := workspace.KindFact
				if i%10 == 0 {
					kind = workspace.KindJudgment
				}
				body := make([]string, 80)
				for k := range body {
					body[k] = words[(i+k)%len(words)]
				}
				c, err := tx.AddCard(workspace.CardDraft{Board: b.ID, Lane: lanes[i%len(lanes)].ID,
					Title: fmt.Sprintf("Card %d: the parties' view of provision %d", i+1, i%20+1),
					Body:  strings.Join(body, " ") + ".", Kind: kind, Tags: []string{"provision", fmt.Sprintf("p%d", i%20+1)}, TLP: &tlp})
				if err != nil {
					return err
				}
				_, err = tx.UpdateCard(c.ID, func(c *workspace.Card) error {
					c.Citations = []workspace.Citation{{Source: sources[i%len(sources)], Quote: "as the delegation put it"},
						{Source: sources[(i+7)%len(sources)]}}
					c.Positions = map[string]workspace.Position{}
					for k, p := range snap.Meta.Parties {
						if (i+k)%3 != 0 {
							c.Positions[p.ID] = workspace.Position{Stance: stances[(i+k)%len(stances)], Note: "as stated at the last round"}
						}
					}
					if kind == workspace.KindJudgment {
						c.Likelihood = workspace.Likelihoods[i%len(workspace.Likelihoods)]
						c.Confidence = workspace.Confidences[i%len(workspace.Confidences)]
					}
					return nil
				})
				if err != nil {
					return err
				}
				for k := 0; k < 2; k++ {
					a := &workspace.Annotation{Base: workspace.Base{ID: workspace.NewID()}, Card: c.ID, Author: "A. Analyst",
						Kind: workspace.AnnotationKinds[k], Text: "Check this against the latest readout from the delegation before the brief goes out.",
						Resolved: k == 1, TLP: tlp}
					if err := tx.PutAnnotation(a); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// bigWorkspace makes a workspace of n cards on three boards.
func bigWorkspace(tb testing.TB, n int) (*workspace.Store, string) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "big")
	st, err := workspace.Create(dir, loadTemplate(tb, "empty"), workspace.Options{Now: fixedClock()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	fillWorkspace(tb, st, n)
	return st, dir
}
