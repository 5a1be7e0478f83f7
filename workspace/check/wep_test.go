package check

import (
	"fmt"
	"strings"
	"testing"

	"briefboard/workspace"
)

// one returns the single estimate in a text, failing otherwise.
func one(t *testing.T, text string) Estimate {
	t.Helper()
	es := Estimates(text)
	if len(es) != 1 {
		t.Fatalf("Estimates(%q) = %+v, want one estimate", text, es)
	}
	return es[0]
}

// icdTerms are the ICD 203 terms and their paired terms, with the term
// each must read as. Written out here rather than taken from Phrases, so
// that the table is checked against the directive and not against itself.
var icdTerms = []struct {
	text string
	want workspace.Likelihood
}{
	{"almost no chance", workspace.LikelihoodAlmostNoChance},
	{"remote chance", workspace.LikelihoodAlmostNoChance},
	{"very unlikely", workspace.LikelihoodVeryUnlikely},
	{"highly improbable", workspace.LikelihoodVeryUnlikely},
	{"unlikely", workspace.LikelihoodUnlikely},
	{"improbable", workspace.LikelihoodUnlikely},
	{"roughly even chance", workspace.LikelihoodRoughlyEven},
	{"roughly even odds", workspace.LikelihoodRoughlyEven},
	{"likely", workspace.LikelihoodLikely},
	{"probable", workspace.LikelihoodLikely},
	{"very likely", workspace.LikelihoodVeryLikely},
	{"highly probable", workspace.LikelihoodVeryLikely},
	{"almost certain", workspace.LikelihoodAlmostCertain},
	{"almost certainly", workspace.LikelihoodAlmostCertain},
	{"nearly certain", workspace.LikelihoodAlmostCertain},
	// Synonyms and inflections.
	{"virtually no chance", workspace.LikelihoodAlmostNoChance},
	{"nearly impossible", workspace.LikelihoodAlmostNoChance},
	{"highly unlikely", workspace.LikelihoodVeryUnlikely},
	{"very improbable", workspace.LikelihoodVeryUnlikely},
	{"improbably", workspace.LikelihoodUnlikely},
	{"even chance", workspace.LikelihoodRoughlyEven},
	{"fifty-fifty", workspace.LikelihoodRoughlyEven},
	{"a toss-up", workspace.LikelihoodRoughlyEven},
	{"as likely as not", workspace.LikelihoodRoughlyEven},
	{"probably", workspace.LikelihoodLikely},
	{"most likely", workspace.LikelihoodLikely},
	{"highly likely", workspace.LikelihoodVeryLikely},
	{"very probably", workspace.LikelihoodVeryLikely},
	{"nearly certainly", workspace.LikelihoodAlmostCertain},
	{"virtually certain", workspace.LikelihoodAlmostCertain},
	{"a near certainty", workspace.LikelihoodAlmostCertain},
	{"near-certain", workspace.LikelihoodAlmostCertain},
}

func TestEstimates_ICDTermsReadAsTheirTerm(t *testing.T) {
	for _, tc := range icdTerms {
		for _, form := range []string{
			"We judge it %s that Moscow accepts.",
			"%s: Moscow accepts",
			"MOSCOW IS %s TO ACCEPT",
		} {
			text := fmt.Sprintf(form, tc.text)
			if strings.HasPrefix(form, "%s") {
				text = strings.ToUpper(tc.text[:1]) + text[1:]
			}
			if strings.ToUpper(form) == form {
				text = strings.ToUpper(text)
			}
			e := one(t, text)
			if e.Levels != LevelsOf(tc.want) {
				t.Errorf("%q reads as %s, want %s", text, e.Levels, tc.want.Label())
			}
			if got := text[e.Start:e.End]; !strings.EqualFold(got, strings.TrimPrefix(strings.TrimPrefix(tc.text, "a "), "A ")) {
				t.Errorf("%q: the estimate covers %q", text, got)
			}
		}
	}
}

// judgment is a key judgment with a statement and a likelihood, checked
// on a snapshot of its own.
func judgment(title, body string, l workspace.Likelihood) []Finding {
	c := &workspace.Card{Base: workspace.Base{ID: "card1"}, Board: "b", Lane: "l", Title: title, Body: body,
		Kind: workspace.KindJudgment, Likelihood: l, Confidence: workspace.ConfidenceModerate}
	snap := &workspace.Snapshot{
		Boards:     []*workspace.Board{{Base: workspace.Base{ID: "b"}, Title: "Board"}},
		Lanes:      map[string][]*workspace.Lane{"b": {{Base: workspace.Base{ID: "l"}, Board: "b", Name: "Open"}}},
		LaneCards:  map[string][]*workspace.Card{"l": {c}},
		Cards:      map[string]*workspace.Card{c.ID: c},
		SourceByID: map[string]*workspace.Source{},
	}
	fs, err := Run(snap, Options{})
	if err != nil {
		panic(err)
	}
	return fs
}

func ofRule(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// Every term against every likelihood: a mismatch is found exactly when
// the likelihood is not the term's.
func TestWEPMismatch_EachTermAgainstEachLikelihood(t *testing.T) {
	for _, tc := range icdTerms {
		for _, l := range workspace.Likelihoods {
			title := "Moscow " + tc.text + " to accept the revisions"
			got := ofRule(judgment(title, "", l), RuleWEPMismatch)
			if want := l != tc.want; (len(got) == 1) != want {
				t.Errorf("%q with likelihood %s: %d mismatch findings, want mismatch=%v", title, l, len(got), want)
				continue
			}
			if len(got) == 1 && (got[0].Field != "title" || got[0].Severity != Error ||
				!strings.Contains(got[0].Message, "set to "+l.Label())) {
				t.Errorf("%q with likelihood %s: finding %+v", title, l, got[0])
			}
		}
	}
}

// Every phrase in the table, with a context, against every likelihood.
func TestWEPMismatch_EveryPhraseOfTheTable(t *testing.T) {
	n := 0
	for _, p := range Phrases {
		for _, l := range workspace.Likelihoods {
			body := "We assess that, " + p.Phrase + ", talks resume. Anything at all in a second sentence is not read."
			got := ofRule(judgment("Talks resume", body, l), RuleWEPMismatch)
			want := p.Levels != 0 && !p.Levels.Has(l)
			if (len(got) == 1) != want {
				t.Errorf("%q (%s) with likelihood %s: %d findings, want mismatch=%v", p.Phrase, p.Levels, l, len(got), want)
			}
			if want {
				n++
			}
		}
	}
	if n < len(Phrases) {
		t.Fatalf("only %d mismatches among %d phrases: the table test proves little", n, len(Phrases))
	}
}

func TestEstimates_Negations(t *testing.T) {
	for _, tc := range []struct {
		text, phrase string
		want         Levels
	}{
		{"Moscow is not likely to accept.", "not likely", un},
		{"Moscow isn't likely to accept.", "isn't likely", un},
		{"Moscow isn’t likely to accept.", "isn’t likely", un},
		{"A deal is not probable this year.", "not probable", un},
		{"A deal is never likely while strikes go on.", "never likely", un},
		{"A deal is highly unlikely.", "highly unlikely", vu},
		{"A deal is not unlikely.", "not unlikely", re | li | vl | ac},
		{"A deal is not very likely.", "not very likely", anc | vu | un | re | li},
		{"A deal is not very unlikely.", "not very unlikely", un | re | li | vl | ac},
		{"A deal is not almost certain.", "not almost certain", anc | vu | un | re | li | vl},
		{"The odds are not roughly even.", "not roughly even odds", 0}, // see below
		{"Moscow will probably not accept.", "probably not", un},
		{"Moscow probably will not accept.", "probably will not", un},
		{"Moscow likely won't accept.", "likely won't", un},
		{"Moscow likely cannot accept.", "likely cannot", un},
		{"Moscow will very likely not accept.", "very likely not", vu},
		{"Moscow will almost certainly not accept.", "almost certainly not", anc},
		{"Moscow will likely not only refuse but walk out.", "likely", li},
		{"It is more likely than not.", "more likely than not", li | vl | ac},
		{"It is not more likely than not.", "not more likely than not", anc | vu | un | re},
		{"Moscow is unlikely not to answer.", "unlikely", un},
	} {
		if tc.want == 0 {
			// "roughly even" without "chance" or "odds" after it is no
			// term; with "odds" before it, neither.
			if es := Estimates(tc.text); len(es) != 0 {
				t.Errorf("%q: %+v, want none", tc.text, es)
			}
			continue
		}
		e := one(t, tc.text)
		if e.Phrase != tc.phrase || e.Levels != tc.want {
			t.Errorf("%q: %q (%s), want %q (%s)", tc.text, e.Phrase, e.Levels, tc.phrase, tc.want)
		}
	}
}

func TestEstimates_RelativeAndNeutralWords(t *testing.T) {
	for _, text := range []string{
		"Moscow is more likely to accept than Kyiv.",
		"Kyiv is less likely to move.",
		"This is the likelier outcome.",
		"The most likely outcome is a pause.",
		"The likeliest path runs through Dmitriev.",
		"The likelihood of a deal depends on Moscow.",
		"The likelyhood of a deal depends on Moscow.", // a common misspelling of likelihood, not "likely"
		"The probability of a deal depends on Moscow.",
		"Both outcomes are equally likely.",
		"A certain number of points are settled.", // "certain" alone is no estimate
		"Talks went on in remote areas.",
		"A remote meeting was held.",
		"Unlikelyish and probablement are not English estimates.",
	} {
		if es := Estimates(text); len(es) != 0 {
			t.Errorf("%q: %+v, want no estimate", text, es)
		}
	}
	// Positive controls: the same sentences with a term do match.
	for text, want := range map[string]Levels{
		"Moscow is likely to accept, more than Kyiv.":   li,
		"Given the unlikelihood of a deal, Kyiv waits.": un,
		"The prospect of a deal is remote.":             anc,
		"The prospects are remote, officials said.":     anc,
		"There is a remote possibility of a deal.":      anc,
		"Both outcomes are likely.":                     li,
	} {
		if e := one(t, text); e.Levels != want {
			t.Errorf("%q reads as %s, want %s", text, e.Levels, want)
		}
	}
}

func TestEstimates_WholeWordsOnly(t *testing.T) {
	for _, text := range []string{
		"unlikelihoods", "likelyhood", "probablity", "improbabl", "likelyness", "alikely", "probablyy",
	} {
		if es := Estimates("The " + text + " of it."); len(es) != 0 {
			t.Errorf("%q matched %+v", text, es)
		}
	}
	// "unlikely" is not "likely" with a prefix: it reads as unlikely.
	if e := one(t, "It is unlikely."); e.Levels != un || e.Phrase != "unlikely" {
		t.Errorf("unlikely: %+v", e)
	}
}

func TestEstimates_QuotesLeftOut(t *testing.T) {
	for _, text := range []string{
		`Ushakov said a deal was "likely" soon.`,
		`Ushakov said a deal was “likely” soon.`,
		`Ushakov said a deal was «likely» soon.`,
		`Ushakov said a deal was „likely“ soon.`,
		`Ushakov said a deal was ‘likely’ soon.`,
		`Ushakov said a deal was ‹likely› soon.`,
		`Putin said a deal was “almost certainly agreed, not unlikely at all” in Alaska.`,
		`Ushakov said “Moscow’s answer is likely to be no” on Friday.`,
	} {
		if es := Estimates(text); len(es) != 0 {
			t.Errorf("%s: %+v, want nothing (quoted)", text, es)
		}
	}
	// Positive controls: the word outside the quote still counts, and an
	// unclosed mark quotes nothing.
	for text, want := range map[string]string{
		`Ushakov said a deal was “near”; it is likely.`:   "likely",
		`A deal is likely, Ushakov said: “not soon”.`:     "likely",
		`The 20" screens are likely to arrive.`:           "likely",
		`It is likely that Moscow’s reply is “no.” Then.`: "likely",
	} {
		if e := one(t, text); e.Phrase != want {
			t.Errorf("%s: %q, want %q", text, e.Phrase, want)
		}
	}
}

func TestEstimates_CyrillicUntouched(t *testing.T) {
	for _, text := range []string{
		"Малоймовірно, що Москва погодиться.",
		"Ймовірно, Київ отримає відповідь.",
		"Весьма вероятно, что переговоры продолжатся.",
		"Володимир Зеленський (Volodymyr Zelenskyy) said talks were constructive.",
		"lіkely", // a Cyrillic і inside a Latin word: not the English word
		"unlіkely",
		"«Вероятно» — сказал Ушаков.",
	} {
		if es := Estimates(text); len(es) != 0 {
			t.Errorf("%s: %+v, want nothing", text, es)
		}
	}
	// Positive control: an English term among Cyrillic words, with offsets
	// that are bytes into the text.
	text := "Зеленський: a deal is likely, Умєров agrees."
	e := one(t, text)
	if e.Levels != li || text[e.Start:e.End] != "likely" {
		t.Errorf("%s: %+v", text, e)
	}
}

func TestStatement_TitleAndFirstSentence(t *testing.T) {
	c := &workspace.Card{
		Title: "Moscow “unlikely” to accept",
		Body:  "U.S. officials say Moscow will likely refuse, as Ushakov said “what absolutely cannot.” It is almost certain that talks go on.\n\nSecond paragraph: unlikely.",
	}
	title, first := Statement(c)
	if es := Estimates(title); len(es) != 0 {
		t.Errorf("quoted word in the title counted: %+v", es)
	}
	es := Estimates(first)
	if len(es) != 1 || es[0].Phrase != "likely" {
		t.Errorf("first sentence %q: %+v, want only \"likely\"", first, es)
	}
	if strings.Contains(first, "almost certain") {
		t.Errorf("the first sentence runs on: %q", first)
	}
	// With no full stop, a line break ends the first sentence.
	c.Body = "Moscow will likely refuse\nAlmost certainly talks go on."
	if _, first := Statement(c); strings.Contains(first, "Almost") {
		t.Errorf("first sentence %q crosses a line break", first)
	}
}

func TestLevels_String(t *testing.T) {
	for s, want := range map[Levels]string{
		un:                           "unlikely",
		li | vl | ac:                 "likely or higher",
		anc | vu | un:                "unlikely or lower",
		re | li:                      "roughly even chance to likely",
		anc | vu | un | li | vl | ac: "anything but roughly even chance",
	} {
		if got := s.String(); got != want {
			t.Errorf("%b: %q, want %q", s, got, want)
		}
	}
}
