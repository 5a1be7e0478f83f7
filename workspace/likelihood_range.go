package workspace

import (
	"fmt"
	"strings"
)

// likelihoodRanges are the ICD 203 probability ranges of each term, in
// percent, as the directive writes them.
var likelihoodRanges = map[Likelihood][2]int{
	LikelihoodAlmostNoChance: {1, 5},
	LikelihoodVeryUnlikely:   {5, 20},
	LikelihoodUnlikely:       {20, 45},
	LikelihoodRoughlyEven:    {45, 55},
	LikelihoodLikely:         {55, 80},
	LikelihoodVeryLikely:     {80, 95},
	LikelihoodAlmostCertain:  {95, 99},
}

// Range returns the term's ICD 203 probability range in percent, and false
// for no estimate or an unknown term.
func (l Likelihood) Range() (lo, hi int, ok bool) {
	r, ok := likelihoodRanges[l]
	return r[0], r[1], ok
}

// RangeText writes the term's range as ICD 203 does, for example
// "20–45%" or "01–05%"; "" for no estimate or an unknown term.
func (l Likelihood) RangeText() string {
	lo, hi, ok := l.Range()
	if !ok {
		return ""
	}
	return fmt.Sprintf("%02d–%02d%%", lo, hi)
}

// Standard writes the term with its range, capitalised, the way a brief
// states a likelihood: "Unlikely (20–45%)". It is "" for no estimate.
func (l Likelihood) Standard() string {
	r := l.RangeText()
	if r == "" {
		return ""
	}
	lbl := l.Label()
	return strings.ToUpper(lbl[:1]) + lbl[1:] + " (" + r + ")"
}

// ParseLikelihood reads a term as `list --json` writes it
// (almost-no-chance, very-unlikely, unlikely, roughly-even, likely,
// very-likely, almost-certain) or as ICD 203 writes it ("roughly even
// chance"), in any case. The empty string is no estimate.
func ParseLikelihood(s string) (Likelihood, error) {
	w := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if w == "" || w == "none" {
		return LikelihoodNone, nil
	}
	for _, l := range Likelihoods {
		if w == string(l) || w == l.Label() || w == strings.ReplaceAll(string(l), "-", " ") {
			return l, nil
		}
	}
	words := make([]string, len(Likelihoods))
	for i, l := range Likelihoods {
		words[i] = string(l)
	}
	return "", fmt.Errorf("likelihood %q is not an ICD 203 term (use %s)", s, strings.Join(words, ", "))
}

// ParseConfidence reads low, moderate or high in any case. The empty
// string is no confidence given.
func ParseConfidence(s string) (Confidence, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	if w == "" || w == "none" {
		return ConfidenceNone, nil
	}
	for _, c := range Confidences {
		if w == string(c) {
			return c, nil
		}
	}
	return "", fmt.Errorf("confidence %q is not low, moderate or high", s)
}

// Standard writes the level as a brief states it: "Moderate confidence";
// "" when none is given.
func (c Confidence) Standard() string {
	if c == ConfidenceNone {
		return ""
	}
	return strings.ToUpper(string(c)[:1]) + string(c)[1:] + " confidence"
}
