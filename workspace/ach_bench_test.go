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
