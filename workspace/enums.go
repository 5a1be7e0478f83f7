package workspace

import (
	"encoding/json"
	"fmt"
	"strings"
)

// TLP is a Traffic Light Protocol 2.0 marking. Its values are ordered from
// least to most restrictive, so a cap is a simple comparison.
type TLP int

// The TLP 2.0 levels, least restrictive first.
const (
	TLPClear TLP = iota
	TLPGreen
	TLPAmber
	TLPAmberStrict
	TLPRed
)

var tlpWords = [...]string{"clear", "green", "amber", "amber+strict", "red"}

// TLPLevels lists every level, least restrictive first.
var TLPLevels = []TLP{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// Word is the level's command-line and JSON word: clear, green, amber,
// amber+strict or red.
func (t TLP) Word() string {
	if t < TLPClear || t > TLPRed {
		return fmt.Sprintf("tlp(%d)", int(t))
	}
	return tlpWords[t]
}

// String is the label as TLP 2.0 writes it, for example "TLP:AMBER+STRICT".
func (t TLP) String() string { return "TLP:" + strings.ToUpper(t.Word()) }

// Valid reports whether t is one of the five levels.
func (t TLP) Valid() bool { return t >= TLPClear && t <= TLPRed }

// ParseTLP reads a level from its word or its label, in any case:
// "amber+strict", "AMBER+STRICT" and "TLP:AMBER+STRICT" are the same level.
func ParseTLP(s string) (TLP, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	w = strings.TrimPrefix(w, "tlp:")
	for i, word := range tlpWords {
		if w == word {
			return TLP(i), nil
		}
	}
	return 0, fmt.Errorf("unknown TLP level %q (use clear, green, amber, amber+strict or red)", s)
}

// MarshalText writes the level's word.
func (t TLP) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("invalid TLP level %d", int(t))
	}
	return []byte(t.Word()), nil
}

// UnmarshalText reads a level's word or label.
func (t *TLP) UnmarshalText(b []byte) error {
	v, err := ParseTLP(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Kind says what a card is.
type Kind string

// Card kinds. A judgment card is a key judgment: it carries a likelihood and
// a confidence level.
const (
	KindNote      Kind = "note"
	KindFact      Kind = "fact"
	KindStatement Kind = "statement"
	KindJudgment  Kind = "judgment"
	KindQuestion  Kind = "question"
	KindRisk      Kind = "risk"
)

// Kinds lists every card kind in display order.
var Kinds = []Kind{KindNote, KindFact, KindStatement, KindJudgment, KindQuestion, KindRisk}

// Stance is a party's position on a card.
type Stance string

// Stances, from agreement to refusal, then unknown.
const (
	StanceSupports    Stance = "supports"
	StanceConditional Stance = "conditional"
	StanceUndecided   Stance = "undecided"
	StanceOpposes     Stance = "opposes"
	StanceRedLine     Stance = "red-line"
	StanceUnknown     Stance = "unknown"
)

// Stances lists every stance in display order.
var Stances = []Stance{StanceSupports, StanceConditional, StanceUndecided, StanceOpposes, StanceRedLine, StanceUnknown}

// Label is the stance as a reader writes it.
func (s Stance) Label() string {
	switch s {
	case StanceSupports:
		return "Supports"
	case StanceConditional:
		return "Accepts with conditions"
	case StanceUndecided:
		return "Undecided"
	case StanceOpposes:
		return "Opposes"
	case StanceRedLine:
		return "Red line"
	case StanceUnknown:
		return "Unknown"
	}
	return string(s)
}

// Likelihood is an ICD 203 estimative term.
type Likelihood string

// The ICD 203 scale, least likely first. The empty value means no estimate.
const (
	LikelihoodNone           Likelihood = ""
	LikelihoodAlmostNoChance Likelihood = "almost-no-chance"
	LikelihoodVeryUnlikely   Likelihood = "very-unlikely"
	LikelihoodUnlikely       Likelihood = "unlikely"
	LikelihoodRoughlyEven    Likelihood = "roughly-even"
	LikelihoodLikely         Likelihood = "likely"
	LikelihoodVeryLikely     Likelihood = "very-likely"
	LikelihoodAlmostCertain  Likelihood = "almost-certain"
)

// Likelihoods lists the scale, least likely first.
var Likelihoods = []Likelihood{LikelihoodAlmostNoChance, LikelihoodVeryUnlikely, LikelihoodUnlikely,
	LikelihoodRoughlyEven, LikelihoodLikely, LikelihoodVeryLikely, LikelihoodAlmostCertain}

// Label is the term as ICD 203 writes it, for example "roughly even chance".
func (l Likelihood) Label() string {
	switch l {
	case LikelihoodAlmostNoChance:
		return "almost no chance"
	case LikelihoodVeryUnlikely:
		return "very unlikely"
	case LikelihoodUnlikely:
		return "unlikely"
	case LikelihoodRoughlyEven:
		return "roughly even chance"
	case LikelihoodLikely:
		return "likely"
	case LikelihoodVeryLikely:
		return "very likely"
	case LikelihoodAlmostCertain:
		return "almost certain"
	}
	return string(l)
}

// Confidence is the analyst's confidence in a judgment.
type Confidence string

// Confidence levels. The empty value means none given.
const (
	ConfidenceNone     Confidence = ""
	ConfidenceLow      Confidence = "low"
	ConfidenceModerate Confidence = "moderate"
	ConfidenceHigh     Confidence = "high"
)

// Confidences lists the levels, lowest first.
var Confidences = []Confidence{ConfidenceLow, ConfidenceModerate, ConfidenceHigh}

// AnnotationKind says what an annotation is.
type AnnotationKind string

// Annotation kinds.
const (
	AnnComment  AnnotationKind = "comment"
	AnnQuestion AnnotationKind = "question"
	AnnCaveat   AnnotationKind = "caveat"
	AnnJudgment AnnotationKind = "judgment"
)

// AnnotationKinds lists every annotation kind.
var AnnotationKinds = []AnnotationKind{AnnComment, AnnQuestion, AnnCaveat, AnnJudgment}

// Link types known to Briefboard. A link may also carry a short label of its
// own (from a canvas edge, say).
const (
	LinkDependsOn     = "depends-on"
	LinkConflictsWith = "conflicts-with"
	LinkSupports      = "supports"
	LinkRelated       = "related"
)

// LinkTypes lists the known link types.
var LinkTypes = []string{LinkDependsOn, LinkConflictsWith, LinkSupports, LinkRelated}

// Reliability is the Admiralty code's grade of a source, A to F. F means the
// reliability cannot be judged, not that the source is the worst.
type Reliability string

// Credibility is the Admiralty code's grade of a piece of information, 1 to
// 6. 6 means the truth cannot be judged, not that it is the least credible.
type Credibility int

// ReliabilityMeanings gives each reliability grade its standard meaning.
var ReliabilityMeanings = map[Reliability]string{
	"A": "Completely reliable",
	"B": "Usually reliable",
	"C": "Fairly reliable",
	"D": "Not usually reliable",
	"E": "Unreliable",
	"F": "Reliability cannot be judged",
}

// CredibilityMeanings gives each credibility grade its standard meaning.
var CredibilityMeanings = map[Credibility]string{
	1: "Confirmed by other sources",
	2: "Probably true",
	3: "Possibly true",
	4: "Doubtful",
	5: "Improbable",
	6: "Truth cannot be judged",
}

// Grade is an Admiralty grade, such as B2. The zero Grade is ungraded.
type Grade struct {
	Reliability Reliability `json:"reliability,omitempty"`
	Credibility Credibility `json:"credibility,omitempty"`
}

// String writes the grade as "B2", or "ungraded".
func (g Grade) String() string {
	if g.IsZero() {
		return "ungraded"
	}
	return fmt.Sprintf("%s%d", g.Reliability, g.Credibility)
}

// IsZero reports whether the grade is unset.
func (g Grade) IsZero() bool { return g.Reliability == "" && g.Credibility == 0 }

// Validate checks both parts of a set grade.
func (g Grade) Validate() error {
	if g.IsZero() {
		return nil
	}
	if _, ok := ReliabilityMeanings[g.Reliability]; !ok {
		return fmt.Errorf("source reliability must be a letter A to F, not %q", string(g.Reliability))
	}
	if _, ok := CredibilityMeanings[g.Credibility]; !ok {
		return fmt.Errorf("information credibility must be a number 1 to 6, not %d", int(g.Credibility))
	}
	return nil
}

// Weak reports whether the grade is D to F in reliability: a judgment that
// rests only on such sources is flagged in the brief.
func (g Grade) Weak() bool {
	switch g.Reliability {
	case "D", "E", "F", "":
		return true
	}
	return false
}

// ParseGrade reads a grade written as "B2" (or "b 2").
func ParseGrade(s string) (Grade, error) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if s == "" {
		return Grade{}, nil
	}
	if len(s) != 2 {
		return Grade{}, fmt.Errorf("an Admiralty grade is a letter A-F and a digit 1-6, such as B2, not %q", s)
	}
	g := Grade{Reliability: Reliability(s[:1]), Credibility: Credibility(s[1] - '0')}
	if err := g.Validate(); err != nil {
		return Grade{}, err
	}
	return g, nil
}

// enumCheck reports whether v is one of the allowed values.
func enumCheck[T comparable](v T, allowed []T) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// jsonString is a helper for error messages that quote user text safely.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
