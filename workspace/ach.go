package workspace

import (
	"fmt"
	"strings"
	"time"
)

// Analysis of Competing Hypotheses (Heuer): a matrix record holds the
// question, the hypotheses, the analyst's conclusion and the indicators to
// watch; one evidence-row record per card used as evidence holds its
// weight and its ratings against each hypothesis (DESIGN.md section 10).
// The scores are in ach_score.go.

// Limits of a matrix.
const (
	// MaxHypotheses bounds the hypotheses of one matrix.
	MaxHypotheses = 20
	// MaxIndicators bounds the indicators of one hypothesis.
	MaxIndicators = 50
	// MaxCells bounds the ratings of one evidence row, those of
	// hypotheses removed since included.
	MaxCells = 100
)

// ACHRating is how consistent a piece of evidence is with a hypothesis.
type ACHRating string

// The ratings of an ACH matrix cell, in Heuer's notation, most consistent
// first. NA says the evidence does not bear on the hypothesis.
const (
	RatingCC ACHRating = "CC"
	RatingC  ACHRating = "C"
	RatingN  ACHRating = "N"
	RatingI  ACHRating = "I"
	RatingII ACHRating = "II"
	RatingNA ACHRating = "NA"
)

// ACHRatings lists the ratings in the order a view offers them (keys 1 to
// 6).
var ACHRatings = []ACHRating{RatingCC, RatingC, RatingN, RatingI, RatingII, RatingNA}

// Label is the rating in words.
func (r ACHRating) Label() string {
	switch r {
	case RatingCC:
		return "Very consistent"
	case RatingC:
		return "Consistent"
	case RatingN:
		return "Neutral"
	case RatingI:
		return "Inconsistent"
	case RatingII:
		return "Very inconsistent"
	case RatingNA:
		return "Not applicable"
	}
	return string(r)
}

// ParseACHRating reads a rating: CC, C, N, I, II or NA, in any case.
func ParseACHRating(s string) (ACHRating, error) {
	w := ACHRating(strings.ToUpper(strings.TrimSpace(s)))
	if enumCheck(w, ACHRatings) {
		return w, nil
	}
	return "", fmt.Errorf("rating %q is not one of CC, C, N, I, II, NA", s)
}

// ACHWeight is how much a piece of evidence counts in the scores.
type ACHWeight string

// Evidence weights. The empty weight counts as medium.
const (
	WeightLow    ACHWeight = "low"
	WeightMedium ACHWeight = "medium"
	WeightHigh   ACHWeight = "high"
)

// ACHWeights lists the weights, lowest first.
var ACHWeights = []ACHWeight{WeightLow, WeightMedium, WeightHigh}

// ParseACHWeight reads a weight: low, medium or high, in any case.
func ParseACHWeight(s string) (ACHWeight, error) {
	w := ACHWeight(strings.ToLower(strings.TrimSpace(s)))
	if enumCheck(w, ACHWeights) {
		return w, nil
	}
	return "", fmt.Errorf("weight %q is not low, medium or high", s)
}

// Or returns the weight, or medium when it is empty.
func (w ACHWeight) Or() ACHWeight {
	if w == "" {
		return WeightMedium
	}
	return w
}

// IndicatorStatus says whether an indicator has been seen.
type IndicatorStatus string

// Indicator statuses. The empty status counts as not seen.
const (
	IndicatorNotSeen      IndicatorStatus = "not-seen"
	IndicatorSeen         IndicatorStatus = "seen"
	IndicatorContradicted IndicatorStatus = "contradicted"
)

// IndicatorStatuses lists the statuses.
var IndicatorStatuses = []IndicatorStatus{IndicatorNotSeen, IndicatorSeen, IndicatorContradicted}

// Label is the status in words.
func (s IndicatorStatus) Label() string {
	switch s {
	case IndicatorSeen:
		return "Seen"
	case IndicatorContradicted:
		return "Contradicted"
	}
	return "Not seen"
}

// ParseIndicatorStatus reads a status: not-seen, seen or contradicted.
func ParseIndicatorStatus(s string) (IndicatorStatus, error) {
	w := IndicatorStatus(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-"))
	if enumCheck(w, IndicatorStatuses) {
		return w, nil
	}
	return "", fmt.Errorf("indicator status %q is not not-seen, seen or contradicted", s)
}

// Hypothesis is one of a matrix's competing answers to its question.
type Hypothesis struct {
	// ID is stable: ratings and indicators refer to it.
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Indicator is something to watch for that would bear on a hypothesis.
type Indicator struct {
	Text   string          `json:"text"`
	Status IndicatorStatus `json:"status,omitempty"`
	// Card optionally names a card the indicator rests on or was seen in.
	Card string `json:"card,omitempty"`
}

// ACHMatrix is an Analysis of Competing Hypotheses: a question, the
// hypotheses that answer it, in order, the analyst's conclusion and the
// indicators to watch. Its evidence is one ACHRow per card.
type ACHMatrix struct {
	Base
	Question   string       `json:"question"`
	Hypotheses []Hypothesis `json:"hypotheses"`
	Conclusion string       `json:"conclusion,omitempty"`
	// Indicators maps a hypothesis id to its indicators, in order; each
	// hypothesis's list merges on its own.
	Indicators map[string][]Indicator `json:"indicators,omitempty"`
	// TLP marks the matrix's own text; its evidence rows are at least as
	// restricted.
	TLP       TLP       `json:"tlp"`
	CreatedBy string    `json:"createdBy,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// Hypothesis returns the hypothesis with the id, and its 0-based position,
// or nil and -1.
func (m *ACHMatrix) Hypothesis(id string) (*Hypothesis, int) {
	for i := range m.Hypotheses {
		if m.Hypotheses[i].ID == id {
			return &m.Hypotheses[i], i
		}
	}
	return nil, -1
}

// ACHRow is one card used as evidence in a matrix: its weight and its
// ratings against the hypotheses. Its id is the card's id, so a card is
// evidence in a matrix once, also when two colleagues add it at the same
// time. Each cell merges on its own.
type ACHRow struct {
	Base
	Matrix string    `json:"matrix"`
	Card   string    `json:"card"`
	Weight ACHWeight `json:"weight,omitempty"`
	// Cells maps a hypothesis id to the rating; a hypothesis without an
	// entry is not rated yet.
	Cells map[string]ACHRating `json:"cells,omitempty"`
	// TLP marks the row itself; the row is at least as restricted as its
	// card and its matrix whatever it says (DESIGN.md 4a).
	TLP TLP `json:"tlp"`
	// At is when the card became evidence: rows list in that order.
	At time.Time `json:"at"`
}

// Validate checks a matrix. It does not look up the cards indicators name.
func (m *ACHMatrix) Validate() error {
	if err := checkID("id", "Matrix id", m.ID); err != nil {
		return err
	}
	if err := checkText("question", "The question", m.Question, MaxTitle, true); err != nil {
		return err
	}
	if len(m.Hypotheses) < 2 {
		return invalid("hypotheses", "a matrix weighs at least two hypotheses, not %d", len(m.Hypotheses))
	}
	if len(m.Hypotheses) > MaxHypotheses {
		return invalid("hypotheses", "a matrix can weigh at most %d hypotheses", MaxHypotheses)
	}
	seen := map[string]bool{}
	for _, h := range m.Hypotheses {
		if err := checkID("hypotheses", "Hypothesis id", h.ID); err != nil {
			return err
		}
		if seen[h.ID] {
			return invalid("hypotheses", "hypothesis id %s is listed twice", h.ID)
		}
		seen[h.ID] = true
		if err := checkText("hypotheses", "A hypothesis", h.Title, MaxTitle, true); err != nil {
			return err
		}
	}
	if err := checkText("conclusion", "The conclusion", m.Conclusion, MaxBody, false); err != nil {
		return err
	}
	if len(m.Indicators) > MaxCells {
		return invalid("indicators", "a matrix can hold indicators for at most %d hypotheses", MaxCells)
	}
	for h, list := range m.Indicators {
		if err := checkID("indicators", "Hypothesis id", h); err != nil {
			return err
		}
		if len(list) == 0 {
			return invalid("indicators", "hypothesis %s has an empty list of indicators; leave it out instead", h)
		}
		if len(list) > MaxIndicators {
			return invalid("indicators", "a hypothesis can list at most %d indicators", MaxIndicators)
		}
		for _, in := range list {
			if err := checkText("indicators", "An indicator", in.Text, MaxTitle, true); err != nil {
				return err
			}
			if in.Status != "" && !enumCheck(in.Status, IndicatorStatuses) {
				return invalid("indicators", "indicator status %s is not not-seen, seen or contradicted", jsonString(string(in.Status)))
			}
			if in.Card != "" {
				if err := checkID("indicators", "The indicator's card", in.Card); err != nil {
					return err
				}
			}
		}
	}
	return checkTLP("tlp", m.TLP)
}

// Validate checks an evidence row. It does not look up its matrix, card or
// hypotheses: the store does.
func (r *ACHRow) Validate() error {
	if err := checkID("matrix", "Matrix id", r.Matrix); err != nil {
		return err
	}
	if err := checkID("card", "Card id", r.Card); err != nil {
		return err
	}
	if r.ID != r.Card {
		return invalid("id", "an evidence row's id is its card's id")
	}
	if r.Weight != "" && !enumCheck(r.Weight, ACHWeights) {
		return invalid("weight", "weight %s is not low, medium or high", jsonString(string(r.Weight)))
	}
	if len(r.Cells) > MaxCells {
		return invalid("cells", "an evidence row can hold at most %d ratings", MaxCells)
	}
	for h, v := range r.Cells {
		if err := checkID("cells", "Hypothesis id", h); err != nil {
			return err
		}
		if !enumCheck(v, ACHRatings) {
			return invalid("cells", "rating %s is not one of CC, C, N, I, II, NA", jsonString(string(v)))
		}
	}
	return checkTLP("tlp", r.TLP)
}
