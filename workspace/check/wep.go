package check

import (
	"strings"

	"briefboard/workspace"
)

// Levels is a set of ICD 203 likelihood terms: the terms an estimative
// phrase is consistent with. Most phrases name one term; a few ("more likely
// than not", "not unlikely") allow several.
type Levels uint8

// LevelsOf returns the set of the given terms.
func LevelsOf(ls ...workspace.Likelihood) Levels {
	var s Levels
	for _, l := range ls {
		if i := rank(l); i >= 0 {
			s |= 1 << i
		}
	}
	return s
}

// rank is a term's place on the scale, 0 for almost no chance to 6 for
// almost certain, or -1.
func rank(l workspace.Likelihood) int {
	for i, v := range workspace.Likelihoods {
		if v == l {
			return i
		}
	}
	return -1
}

// Has reports whether the set includes a term.
func (s Levels) Has(l workspace.Likelihood) bool {
	i := rank(l)
	return i >= 0 && s&(1<<i) != 0
}

// List returns the terms of the set, least likely first.
func (s Levels) List() []workspace.Likelihood {
	var out []workspace.Likelihood
	for i, l := range workspace.Likelihoods {
		if s&(1<<i) != 0 {
			out = append(out, l)
		}
	}
	return out
}

// String says what the set allows as an analyst reads it: "unlikely",
// "likely or higher", "roughly even chance to likely", "anything but likely".
func (s Levels) String() string {
	ls := s.List()
	all := len(workspace.Likelihoods)
	switch {
	case len(ls) == 0:
		return "no estimate"
	case len(ls) == 1:
		return ls[0].Label()
	case len(ls) == all-1:
		for _, l := range workspace.Likelihoods {
			if !s.Has(l) {
				return "anything but " + l.Label()
			}
		}
	case ls[len(ls)-1] == workspace.Likelihoods[all-1] && s.contiguous():
		return ls[0].Label() + " or higher"
	case ls[0] == workspace.Likelihoods[0] && s.contiguous():
		return ls[len(ls)-1].Label() + " or lower"
	}
	return ls[0].Label() + " to " + ls[len(ls)-1].Label()
}

func (s Levels) contiguous() bool {
	v := uint8(s)
	for v&1 == 0 {
		v >>= 1
	}
	return v&(v+1) == 0
}

// between returns the terms ranked from lo to hi, both included.
func between(lo, hi int) Levels {
	var s Levels
	for i := lo; i <= hi; i++ {
		s |= 1 << i
	}
	return s
}

// single returns the one term of a set of one, or -1.
func (s Levels) single() int {
	ls := s.List()
	if len(ls) != 1 {
		return -1
	}
	return rank(ls[0])
}

// negate is what "not" does to a phrase. "Not likely" and "not probable"
// are unlikely, as readers take them; otherwise "not" rules out the named
// term and everything beyond it: "not very likely" is below very likely,
// "not unlikely" is above unlikely, "not roughly even" is anything else.
func negate(s Levels) Levels {
	top := len(workspace.Likelihoods) - 1
	mid := top / 2
	i := s.single()
	switch {
	case i == rank(workspace.LikelihoodLikely):
		return LevelsOf(workspace.LikelihoodUnlikely)
	case i > mid:
		return between(0, i-1)
	case i >= 0 && i < mid:
		return between(i+1, top)
	}
	return between(0, top) &^ s
}

// mirror is what a trailing "not" does: "probably not" is unlikely, "very
// likely not" very unlikely, "almost certainly not" almost no chance.
func mirror(s Levels) Levels {
	i := s.single()
	return 1 << (len(workspace.Likelihoods) - 1 - i)
}

var (
	anc = LevelsOf(workspace.LikelihoodAlmostNoChance)
	vu  = LevelsOf(workspace.LikelihoodVeryUnlikely)
	un  = LevelsOf(workspace.LikelihoodUnlikely)
	re  = LevelsOf(workspace.LikelihoodRoughlyEven)
	li  = LevelsOf(workspace.LikelihoodLikely)
	vl  = LevelsOf(workspace.LikelihoodVeryLikely)
	ac  = LevelsOf(workspace.LikelihoodAlmostCertain)
)

// Phrases are the estimative phrases the checks know: the ICD 203 terms,
// their paired terms, their common synonyms and inflections. A phrase with
// no levels is relative or neutral ("more likely", "the likelihood", the
// misspelling "likelyhood"): it is matched so that its words are not read
// as an estimate. Matching is by whole words, longest phrase first.
var Phrases = []struct {
	Phrase string
	Levels Levels
}{
	// Almost no chance / remote.
	{"almost no chance", anc}, {"virtually no chance", anc}, {"practically no chance", anc},
	{"next to no chance", anc}, {"no chance", anc},
	{"almost impossible", anc}, {"nearly impossible", anc}, {"virtually impossible", anc},
	{"remote chance", anc}, {"remote chances", anc}, {"remote possibility", anc},
	{"remote prospect", anc}, {"remote prospects", anc}, {"remote probability", anc},
	{"remote likelihood", anc}, {"remote odds", anc},
	// Very unlikely / highly improbable.
	{"very unlikely", vu}, {"highly unlikely", vu}, {"most unlikely", vu},
	{"very improbable", vu}, {"highly improbable", vu},
	{"extremely unlikely", anc | vu}, {"extremely improbable", anc | vu},
	// Unlikely / improbable.
	{"unlikely", un}, {"improbable", un}, {"improbably", un},
	{"unlikelihood", un}, {"improbability", un},
	// Roughly even chance / roughly even odds.
	{"roughly even chance", re}, {"roughly even chances", re}, {"roughly even odds", re},
	{"even chance", re}, {"even chances", re}, {"even odds", re},
	{"fifty fifty", re}, {"50 50", re}, {"toss up", re}, {"coin flip", re}, {"coin toss", re},
	{"as likely as not", re},
	// Likely / probable.
	{"likely", li}, {"probable", li}, {"probably", li},
	{"most likely", li}, {"most probably", li},
	{"more likely than not", li | vl | ac}, {"less likely than not", anc | vu | un},
	// Very likely / highly probable.
	{"very likely", vl}, {"highly likely", vl}, {"very probable", vl}, {"very probably", vl},
	{"highly probable", vl}, {"highly probably", vl},
	{"extremely likely", vl | ac}, {"extremely probable", vl | ac},
	// Almost certain(ly) / nearly certain.
	{"almost certain", ac}, {"almost certainly", ac}, {"nearly certain", ac}, {"nearly certainly", ac},
	{"virtually certain", ac}, {"virtually certainly", ac}, {"near certain", ac}, {"near certainty", ac},
	{"virtual certainty", ac}, {"almost a certainty", ac},
	// Relative and neutral: compared with something else, or naming the
	// notion itself. "The most likely outcome" ranks outcomes; it does not
	// say how likely the first is.
	{"more likely", 0}, {"less likely", 0}, {"least likely", 0}, {"equally likely", 0},
	{"just as likely", 0}, {"likelier", 0}, {"likeliest", 0},
	{"the most likely", 0}, {"the most probable", 0}, {"the most unlikely", 0},
	{"more probable", 0}, {"less probable", 0}, {"more unlikely", 0}, {"less unlikely", 0},
	{"likelihood", 0}, {"likelihoods", 0}, {"likelyhood", 0}, {"probability", 0}, {"probabilities", 0},
}

// phraseIndex maps a phrase's first word to its phrases, longest first.
var phraseIndex = func() map[string][]phrase {
	idx := map[string][]phrase{}
	for _, p := range Phrases {
		words := strings.Fields(p.Phrase)
		idx[words[0]] = append(idx[words[0]], phrase{words: words, levels: p.Levels})
	}
	for _, ps := range idx {
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j].words) > len(ps[j-1].words); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
	}
	return idx
}()

type phrase struct {
	words  []string
	levels Levels
}

// Estimate is one estimative phrase found in a text.
type Estimate struct {
	// Phrase is the text as written, a negation included ("not likely").
	Phrase string
	// Start and End are byte offsets of Phrase in the text.
	Start, End int
	// Levels are the ICD 203 terms the phrase is consistent with.
	Levels Levels
}

// negators make the estimate that follows them negative.
var negators = map[string]bool{"not": true, "never": true, "hardly": true, "scarcely": true, "cannot": true}

func isNegator(w string) bool { return negators[w] || strings.HasSuffix(w, "n't") }

// auxiliaries may stand between an estimate and a trailing "not":
// "probably will not".
var auxiliaries = map[string]bool{
	"will": true, "would": true, "is": true, "are": true, "was": true, "were": true, "does": true, "do": true,
	"did": true, "can": true, "could": true, "should": true, "has": true, "have": true, "had": true, "be": true,
}

// copulas before a bare "remote" make it an estimate: "the chance is remote".
var copulas = map[string]bool{
	"is": true, "are": true, "was": true, "were": true, "remains": true, "remain": true, "seems": true,
	"seem": true, "appears": true, "appear": true, "be": true, "looks": true, "look": true,
}

// Estimates finds the estimative phrases in a text: whole words, any case,
// leaving out what stands inside quotation marks (a source's words are not
// the analyst's estimate). Words of other scripts never match.
func Estimates(text string) []Estimate {
	return estimates(text, tokenize(stripQuotes(text)))
}

func estimates(text string, toks []token) []Estimate {
	var out []Estimate
	for i := 0; i < len(toks); {
		p, n := matchPhrase(toks, i)
		if n == 0 {
			if toks[i].word == "remote" && predicativeRemote(toks, i) {
				out = append(out, Estimate{Phrase: text[toks[i].start:toks[i].end], Start: toks[i].start, End: toks[i].end, Levels: anc})
			}
			i++
			continue
		}
		end := i + n
		if p.levels != 0 {
			levels, start := p.levels, i
			// "not likely", "isn't likely", "never likely".
			if i > 0 && toks[i].tight && isNegator(toks[i-1].word) {
				levels, start = negate(levels), i-1
			} else if k := trailingNot(toks, end); k > 0 && levels.single() > len(workspace.Likelihoods)/2 {
				// "probably not", "likely will not": the mirror term.
				levels, end = mirror(levels), k
			}
			out = append(out, Estimate{
				Phrase: text[toks[start].start:toks[end-1].end],
				Start:  toks[start].start, End: toks[end-1].end, Levels: levels,
			})
		}
		i = end
	}
	return out
}

// matchPhrase returns the longest phrase starting at toks[i] and how many
// words it covers (0 for none). The words of a phrase stand next to each
// other, with only spaces or hyphens between them.
func matchPhrase(toks []token, i int) (phrase, int) {
	for _, p := range phraseIndex[toks[i].word] {
		if i+len(p.words) > len(toks) {
			continue
		}
		ok := true
		for k := 1; k < len(p.words) && ok; k++ {
			t := toks[i+k]
			ok = t.tight && t.word == p.words[k]
		}
		if ok {
			return p, len(p.words)
		}
	}
	return phrase{}, 0
}

// trailingNot returns the index just past a "not" that follows an
// estimate ("probably not", "likely will not", "probably won't"), or 0.
// "Not only" does not count: "likely not only to stall but to fail".
func trailingNot(toks []token, j int) int {
	if j < len(toks) && toks[j].tight && auxiliaries[toks[j].word] {
		j++
	}
	if j >= len(toks) || !toks[j].tight || !isNegator(toks[j].word) || toks[j].word == "hardly" {
		return 0
	}
	if j+1 < len(toks) && toks[j+1].tight {
		switch toks[j+1].word {
		case "only", "just", "merely", "simply":
			return 0
		}
	}
	return j + 1
}

// predicativeRemote reports whether a bare "remote" says how likely
// something is ("the prospect is remote") rather than how far away it is
// ("remote areas").
func predicativeRemote(toks []token, i int) bool {
	if i == 0 || !toks[i].tight || !copulas[toks[i-1].word] {
		return false
	}
	return i+1 == len(toks) || !toks[i+1].tight
}

// Statement returns a key judgment's statement, as the checks read it:
// its title and the first sentence of its body, each with quotes blanked.
func Statement(c *workspace.Card) (title, first string) {
	return stripQuotes(c.Title), firstSentence(stripQuotes(c.Body))
}
