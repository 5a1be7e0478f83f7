package workspace_test

import (
	"fmt"
	"math/rand"
	"testing"

	"briefboard/workspace"
)

// BenchmarkScoreACH_10x200 scores a matrix of 10 hypotheses by 200
// evidence rows, sensitivity included.
func BenchmarkScoreACH_10x200(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	var hs []workspace.Hypothesis
	for i := 0; i < 10; i++ {
		hs = append(hs, workspace.Hypothesis{ID: fmt.Sprint("h", i), Title: fmt.Sprint("Hypothesis ", i)})
	}
	grades := []workspace.Grade{{}, {Reliability: "A", Credibility: 1}, {Reliability: "B", Credibility: 2},
		{Reliability: "C", Credibility: 3}, {Reliability: "F", Credibility: 6}}
	var rows []workspace.ACHEvidence
	for i := 0; i < 200; i++ {
		cells := map[string]workspace.ACHRating{}
		for _, h := range hs {
			cells[h.ID] = workspace.ACHRatings[r.Intn(len(workspace.ACHRatings))]
		}
		rows = append(rows, workspace.ACHEvidence{Card: fmt.Sprint("c", i), Weight: workspace.ACHWeights[r.Intn(3)],
			Grade: grades[r.Intn(len(grades))], Cells: cells})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if s := workspace.ScoreACH(hs, rows); len(s.Rows) != 200 {
			b.Fatal("rows")
		}
	}
}

// BenchmarkSnapshotScoreACH_10x200 scores the same size of matrix from a
// snapshot of a real workspace: the evidence rows, each card's best
// graded source, then the scores.
func BenchmarkSnapshotScoreACH_10x200(b *testing.B) {
	s := mustOpenStore(b)
	snap := mustSnapshot(b, s)
	board := snap.Boards[0].ID
	var hyps []string
	for i := 0; i < 10; i++ {
		hyps = append(hyps, fmt.Sprint("Hypothesis ", i))
	}
	r := rand.New(rand.NewSource(1))
	_, err := s.Do("Build a big matrix", func(tx *workspace.Tx) error {
		m, err := tx.AddACHMatrix(workspace.ACHDraft{Question: "Which?", Hypotheses: hyps})
		if err != nil {
			return err
		}
		for i := 0; i < 200; i++ {
			c, err := tx.AddCard(workspace.CardDraft{Board: board, Title: fmt.Sprint("Evidence ", i)})
			if err != nil {
				return err
			}
			if i%2 == 0 {
				src := snap.Sources[i%len(snap.Sources)]
				if _, err := tx.UpdateCard(c.ID, func(c *workspace.Card) error {
					c.Citations = []workspace.Citation{{Source: src.ID}}
					return nil
				}); err != nil {
					return err
				}
			}
			if _, err := tx.SetACHEvidence(m.ID, c.ID, workspace.ACHWeights[r.Intn(3)]); err != nil {
				return err
			}
			for _, h := range m.Hypotheses {
				if err := tx.RateACH(m.ID, c.ID, h.ID, workspace.ACHRatings[r.Intn(len(workspace.ACHRatings))]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	snap = mustSnapshot(b, s)
	m := snap.Matrices[len(snap.Matrices)-1]
	if n := len(snap.Evidence[m.ID]); n != 200 {
		b.Fatalf("%d rows", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if sc := snap.ScoreACH(m); len(sc.Rows) != 200 {
			b.Fatal("rows")
		}
	}
}
