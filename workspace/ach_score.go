package workspace

import (
	"fmt"
	"sort"
	"strconv"
)

// ACHEvidence is one evidence row as the scores read it.
type ACHEvidence struct {
	Card   string
	Weight ACHWeight
	// Grade is the Admiralty grade of the best-graded source the card
	// cites in the output (see CredibilityFactor); zero when it cites no
	// graded source there.
	Grade Grade
	// Cells maps a hypothesis id to the rating; missing means unrated.
	Cells map[string]ACHRating
}

// ACHScores is what ScoreACH works out for a matrix.
type ACHScores struct {
	// Hypotheses are the matrix's, in its order, with their scores.
	Hypotheses []HypothesisScore
	// Ranking lists indexes into Hypotheses, least inconsistent first;
	// tied hypotheses keep the matrix's order.
	Ranking []int
	// Top lists the ids of the least inconsistent hypotheses: one, or
	// several when they tie. It is empty only without hypotheses.
	Top []string
	// Rows are the evidence rows, in the order given.
	Rows []RowScore
}

// HypothesisScore is one hypothesis with its weighted inconsistency.
type HypothesisScore struct {
	ID    string
	Title string
	// Inconsistency is the weighted inconsistency (see ScoreACH).
	Inconsistency float64
	// Rank is 1 for the least inconsistent; tied hypotheses share a rank
	// (1, 1, 3).
	Rank int
	// Inconsistent and Consistent count the rows rating the hypothesis I
	// or II, and C or CC; Unrated the rows with no rating for it (NA is a
	// rating). A hypothesis scores low on unrated rows too, so an output
	// says how many it has.
	Inconsistent, Consistent, Unrated int

	units int64
}

// UnratedNote says how many of the rows do not rate the hypothesis, for
// outputs to print beside its title ("2 of 8 rows not rated"), or "" when
// every row rates it.
func (h HypothesisScore) UnratedNote(rows int) string {
	if h.Unrated == 0 {
		return ""
	}
	if h.Unrated == 1 && rows == 1 {
		return "its one row is not rated"
	}
	return fmt.Sprintf("%d of %d rows not rated", h.Unrated, rows)
}

// RowScore is what the scores say about one evidence row.
type RowScore struct {
	Card string
	// Factor is the credibility factor the row counts with.
	Factor float64
	// Diagnostic is false for a row rated alike for every hypothesis: it
	// cannot tell them apart.
	Diagnostic bool
	// ChangesTop says that leaving the row out would change which
	// hypotheses are least inconsistent: the sensitivity of the result.
	ChangesTop bool
	// Spread is how far the row sets the hypotheses apart in the scores:
	// the most it counts against one hypothesis minus the least. Rows
	// sort by it for diagnosticity; it is 0 for a row that counts alike
	// against all (a diagnostic row rated C and CC, say).
	Spread float64
}

// ACHFormula states how ScoreACH scores, in the words the window's help
// and the brief print. It repeats ScoreACH's doc comment, which a test
// keeps in step.
const ACHFormula = "Weighted inconsistency of a hypothesis = the sum, over the evidence rows, of " +
	"rating × weight × credibility, where rating counts I as 1, II as 2 and every other rating " +
	"(CC, C, N, NA, unrated) as 0; weight counts low as 0.5, medium as 1 and high as 2; and " +
	"credibility is the factor of the best-graded source the card cites in this output (1 when it " +
	"cites no graded source): reliability A 1, B 0.9, C 0.8, D 0.6, E 0.4, F 0.7 times credibility " +
	"1 1, 2 0.8, 3 0.6, 4 0.4, 5 0.2, 6 0.6, where F and 6 (cannot be judged) count as the middle of " +
	"their scales. The least inconsistent hypothesis ranks first; tied hypotheses share a rank. A row " +
	"rated alike for every hypothesis is non-diagnostic."

// ScoreACH scores evidence against hypotheses, Heuer's way: what counts is
// the evidence against a hypothesis, not the evidence for it.
//
// Weighted inconsistency of a hypothesis = the sum, over the evidence
// rows, of rating × weight × credibility, where rating counts I as 1, II
// as 2 and every other rating (CC, C, N, NA, unrated) as 0; weight counts
// low as 0.5, medium as 1 and high as 2; and credibility is the factor of
// the best-graded source the card cites in this output (1 when it cites
// no graded source): reliability A 1, B 0.9, C 0.8, D 0.6, E 0.4, F 0.7
// times credibility 1 1, 2 0.8, 3 0.6, 4 0.4, 5 0.2, 6 0.6, where F and 6
// (cannot be judged) count as the middle of their scales. The least
// inconsistent hypothesis ranks first; tied hypotheses share a rank. A
// row rated alike for every hypothesis is non-diagnostic.
//
// An unrated cell counts as a value of its own when rows are compared for
// diagnosticity, so a row rated for some hypotheses only is diagnostic. A
// row changes the top when leaving it out changes the set of least
// inconsistent hypotheses. Ratings of hypotheses not in the list are
// ignored. Sums are worked out exactly (in units of 1/200), so ties are
// ties. It is a pure function of its arguments.
func ScoreACH(hypotheses []Hypothesis, rows []ACHEvidence) *ACHScores {
	n := len(hypotheses)
	out := &ACHScores{Hypotheses: make([]HypothesisScore, n), Rows: make([]RowScore, len(rows))}
	for i, h := range hypotheses {
		out.Hypotheses[i] = HypothesisScore{ID: h.ID, Title: h.Title}
	}
	contrib := make([]int64, len(rows)*n)
	totals := make([]int64, n)
	for r, row := range rows {
		factor := credibilityHundredths(row.Grade)
		w := weightHalves(row.Weight)
		diagnostic := false
		for i, h := range hypotheses {
			v := row.Cells[h.ID]
			if i > 0 && v != row.Cells[hypotheses[0].ID] {
				diagnostic = true
			}
			switch v {
			case RatingI, RatingII:
				out.Hypotheses[i].Inconsistent++
			case RatingC, RatingCC:
				out.Hypotheses[i].Consistent++
			case "":
				out.Hypotheses[i].Unrated++
			}
			u := int64(penalty(v)) * w * factor
			contrib[r*n+i] = u
			totals[i] += u
		}
		spread := int64(0)
		if n > 0 {
			lo, hi := contrib[r*n], contrib[r*n]
			for _, u := range contrib[r*n : r*n+n] {
				lo, hi = min(lo, u), max(hi, u)
			}
			spread = hi - lo
		}
		out.Rows[r] = RowScore{Card: row.Card, Factor: float64(factor) / 100, Diagnostic: diagnostic, Spread: float64(spread) / 200}
	}
	for i := range out.Hypotheses {
		out.Hypotheses[i].units = totals[i]
		out.Hypotheses[i].Inconsistency = float64(totals[i]) / 200
	}
	out.Ranking = make([]int, n)
	for i := range out.Ranking {
		out.Ranking[i] = i
	}
	sort.SliceStable(out.Ranking, func(a, b int) bool { return totals[out.Ranking[a]] < totals[out.Ranking[b]] })
	for k, i := range out.Ranking {
		if k > 0 && totals[i] == totals[out.Ranking[k-1]] {
			out.Hypotheses[i].Rank = out.Hypotheses[out.Ranking[k-1]].Rank
		} else {
			out.Hypotheses[i].Rank = k + 1
		}
	}
	top := leastOf(totals)
	for i := range hypotheses {
		if top[i] {
			out.Top = append(out.Top, hypotheses[i].ID)
		}
	}
	// Sensitivity: the totals without each row in turn.
	without := make([]int64, n)
	for r := range rows {
		for i := range totals {
			without[i] = totals[i] - contrib[r*n+i]
		}
		out.Rows[r].ChangesTop = !sameSet(top, leastOf(without))
	}
	return out
}

// leastOf marks the indexes holding the smallest value.
func leastOf(totals []int64) []bool {
	out := make([]bool, len(totals))
	if len(totals) == 0 {
		return out
	}
	least := totals[0]
	for _, t := range totals[1:] {
		least = min(least, t)
	}
	for i, t := range totals {
		out[i] = t == least
	}
	return out
}

func sameSet(a, b []bool) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// penalty is what a rating counts against a hypothesis.
func penalty(r ACHRating) int {
	switch r {
	case RatingI:
		return 1
	case RatingII:
		return 2
	}
	return 0
}

// weightHalves is a weight in halves: low 1, medium 2, high 4.
func weightHalves(w ACHWeight) int64 {
	switch w {
	case WeightLow:
		return 1
	case WeightHigh:
		return 4
	}
	return 2
}

// Reliability and credibility as tenths of the credibility factor. F and
// 6, "cannot be judged", take the middle of their scales.
var (
	reliabilityTenths = map[Reliability]int64{"A": 10, "B": 9, "C": 8, "D": 6, "E": 4, "F": 7}
	credibilityTenths = map[Credibility]int64{1: 10, 2: 8, 3: 6, 4: 4, 5: 2, 6: 6}
)

// credibilityHundredths is a grade's credibility factor in hundredths;
// 100 for the zero grade (or one that is not a grade).
func credibilityHundredths(g Grade) int64 {
	r, ok1 := reliabilityTenths[g.Reliability]
	c, ok2 := credibilityTenths[g.Credibility]
	if !ok1 || !ok2 {
		return 100
	}
	return r * c
}

// CredibilityFactor is the factor a piece of evidence counts with in
// ScoreACH when its best source has the grade: reliability (A 1, B 0.9,
// C 0.8, D 0.6, E 0.4, F 0.7) times credibility (1 1, 2 0.8, 3 0.6, 4 0.4,
// 5 0.2, 6 0.6); 1 for the zero grade.
func CredibilityFactor(g Grade) float64 { return float64(credibilityHundredths(g)) / 100 }

// ScoreText writes a score or factor as a brief prints it: at most two
// decimals, no trailing zeros ("2", "0.5", "1.44").
func ScoreText(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// BestGrade returns the grade of the best-graded source a card cites among
// the snapshot's live sources (the highest credibility factor, then the
// first cited), and false when it cites no graded one.
func (s *Snapshot) BestGrade(c *Card) (Grade, bool) {
	var best Grade
	found := false
	for _, ci := range c.Citations {
		src := s.SourceByID[ci.Source]
		if src == nil || src.Grade.IsZero() {
			continue
		}
		if !found || credibilityHundredths(src.Grade) > credibilityHundredths(best) {
			best, found = src.Grade, true
		}
	}
	return best, found
}

// ACHInput lists a matrix's evidence rows as the scores read them, in the
// snapshot's order, each with the best grade its card cites in the
// snapshot. On a capped snapshot the rows, citations and sources above the
// cap are not there, so nothing above it counts.
func (s *Snapshot) ACHInput(m *ACHMatrix) []ACHEvidence {
	rows := s.Evidence[m.ID]
	out := make([]ACHEvidence, 0, len(rows))
	for _, r := range rows {
		c := s.Cards[r.Card]
		if c == nil {
			continue
		}
		g, _ := s.BestGrade(c)
		out = append(out, ACHEvidence{Card: r.Card, Weight: r.Weight.Or(), Grade: g, Cells: r.Cells})
	}
	return out
}

// ScoreACH scores a matrix over the snapshot's evidence (see the function
// ScoreACH).
func (s *Snapshot) ScoreACH(m *ACHMatrix) *ACHScores { return ScoreACH(m.Hypotheses, s.ACHInput(m)) }
