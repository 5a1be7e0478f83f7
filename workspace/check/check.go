// Package check holds Briefboard's tradecraft checks: the mechanical part
// of what a reviewer reads a brief for before it goes out (estimative
// language, sourcing, markings, open questions), run over a workspace the
// way a linter runs over code.
//
// The checks read a snapshot that the caller has already capped: they see
// only what would go into a brief at that cap, and their messages quote
// nothing else.
package check

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"briefboard/workspace"
)

// Severity says how much a finding matters: an error should be fixed
// before the brief goes out; a warning asks the analyst to look.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rule ids. They are stable: acceptances and outside scripts name them.
const (
	RuleWEPMismatch        = "wep-mismatch"
	RuleWEPMixed           = "wep-mixed"
	RuleHedge              = "hedge"
	RuleLikelihoodMissing  = "likelihood-missing"
	RuleConfidenceMissing  = "confidence-missing"
	RuleSingleSource       = "single-source"
	RuleWeakSources        = "weak-sources"
	RuleStaleSource        = "stale-source"
	RuleUncited            = "uncited"
	RuleQuoteMissing       = "quote-missing"
	RuleMarkingBelowSource = "marking-below-source"
	RuleOpenQuestion       = "open-question"
)

// Rule describes one check.
type Rule struct {
	ID       string
	Severity Severity
	// Summary says in a line what the rule looks for.
	Summary string
}

// Rules lists every check, in the order findings are reported.
var Rules = []Rule{
	{RuleWEPMismatch, Error, "Estimative words in a key judgment's statement contradict its likelihood"},
	{RuleLikelihoodMissing, Error, "A key judgment has no likelihood"},
	{RuleConfidenceMissing, Error, "A key judgment has no confidence level"},
	{RuleMarkingBelowSource, Error, "A card is marked below a source it quotes"},
	{RuleWEPMixed, Warning, "Likelihood and confidence in one sentence"},
	{RuleHedge, Warning, "A key judgment hedges instead of estimating"},
	{RuleSingleSource, Warning, "A judgment, or a card it rests on, rests on one source"},
	{RuleWeakSources, Warning, "A judgment, or a card it rests on, rests only on weak grades"},
	{RuleStaleSource, Warning, "A source's information is older than the window before the brief's date"},
	{RuleUncited, Warning, "A fact or statement cites no source"},
	{RuleQuoteMissing, Warning, "A citation has no quote"},
	{RuleOpenQuestion, Warning, "An open question or caveat on a card in the brief"},
}

// RuleByID returns a rule, or false.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Finding is one thing a check found on one card.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Card is the id of the card concerned and Title its title.
	Card  string `json:"card"`
	Title string `json:"title"`
	// Field is the card's field to look at, as `list --json` names it:
	// title, body, likelihood, confidence, citations, tlp or annotations.
	Field   string `json:"field"`
	Message string `json:"message"`
	// Accepted is set on a finding an analyst accepted with a reason,
	// while the card reads as it did then.
	Accepted *Accepted `json:"accepted,omitempty"`
}

// Accepted says who accepted a finding, when and why.
type Accepted struct {
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// Split divides findings into the open ones and those accepted (each
// with its acceptance), keeping their order. Acceptances are read from
// the snapshot the findings were made from, so a capped check only sees
// the acceptances its cap allows.
func Split(snap *workspace.Snapshot, fs []Finding) (open, accepted []Finding) {
	open = make([]Finding, 0, len(fs))
	for _, f := range fs {
		if a := snap.Accepted(f.Card, f.Rule); a != nil {
			f.Accepted = &Accepted{By: a.By, At: a.At, Reason: a.Reason}
			accepted = append(accepted, f)
			continue
		}
		open = append(open, f)
	}
	return open, accepted
}

// DefaultStaleDays is how old, in days before the brief's date, a source's
// information may be before it is flagged.
const DefaultStaleDays = 30

// Options say what brief is being checked.
type Options struct {
	// Date is the brief's date; zero is today.
	Date time.Time
	// StaleDays is the window for stale sources, in days before Date;
	// zero is DefaultStaleDays and a negative number turns the rule off.
	StaleDays int
	// Boards (ids or titles) and Lanes (names) choose what goes in the
	// brief, as for an export; empty includes everything.
	Boards, Lanes []string
}

// Run checks the cards of a (capped) snapshot that go in the brief and
// returns the findings: errors first, then rule by rule in the order of
// Rules, then card by card in the order of the brief. A rule finds at most
// one thing per card.
func Run(snap *workspace.Snapshot, opts Options) ([]Finding, error) {
	r, err := newRun(snap, opts, nil)
	if err != nil {
		return nil, err
	}
	for _, c := range r.cards {
		r.card(c)
	}
	return r.sorted(), nil
}

// newRun works out what every check of a snapshot needs: the cards in
// the brief, in order, and the judgments they support. pos, when given,
// places the cards of the brief: the caller knows no card came, went or
// moved since it was worked out.
func newRun(snap *workspace.Snapshot, opts Options, pos map[string]int) (*run, error) {
	if snap == nil {
		return nil, fmt.Errorf("no workspace to check")
	}
	scope, err := snap.BriefScope(opts.Boards, opts.Lanes)
	if err != nil {
		return nil, err
	}
	r := &run{snap: snap, opts: opts, pos: pos}
	r.cards = scope.Cards(snap)
	if r.pos == nil {
		r.pos = make(map[string]int, len(r.cards))
		for i, c := range r.cards {
			r.pos[c.ID] = i
		}
	}
	if r.opts.Date.IsZero() {
		r.opts.Date = time.Now()
	}
	if r.opts.StaleDays == 0 {
		r.opts.StaleDays = DefaultStaleDays
	}
	d := r.opts.Date
	r.cutoff = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -r.opts.StaleDays)
	r.staleSrc = map[string]string{}
	r.supporters = r.supportersOf()
	r.out = make([]Finding, 0, 16)
	return r, nil
}

// sorted returns the findings in the order Run reports them.
func (r *run) sorted() []Finding {
	// Each rule finds at most one thing per card, and cards are checked in
	// the order of the brief: grouping by rule, in the order of Rules,
	// keeps that order within each rule.
	start := make([]int, len(Rules))
	for _, f := range r.out {
		start[ruleIndex[f.Rule]]++
	}
	at := 0
	for _, i := range ruleOrder {
		at, start[i] = at+start[i], at
	}
	sorted := make([]Finding, len(r.out))
	for _, f := range r.out {
		i := ruleIndex[f.Rule]
		sorted[start[i]] = f
		start[i]++
	}
	return sorted
}

// ruleOrder lists the indexes of Rules, errors first.
var ruleOrder = func() []int {
	var out []int
	for _, sev := range []Severity{Error, Warning} {
		for i, r := range Rules {
			if r.Severity == sev {
				out = append(out, i)
			}
		}
	}
	return out
}()

// ruleIndex maps a rule id to its place in Rules.
var ruleIndex = func() map[string]int {
	m := map[string]int{}
	for i, r := range Rules {
		m[r.ID] = i
	}
	return m
}()

// Errors counts the error-severity findings.
func Errors(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == Error {
			n++
		}
	}
	return n
}

type run struct {
	snap  *workspace.Snapshot
	opts  Options
	cards []*workspace.Card
	pos   map[string]int
	// supporters maps a key judgment's id to the cards in the brief that
	// link to it with a link of type supports.
	supporters map[string][]*workspace.Card
	// rests marks the cards a judgment in the brief rests on.
	restsOn map[string][]*workspace.Card
	// cutoff is the oldest date of information that is not stale, and
	// staleSrc caches what staleText says of each source.
	cutoff   time.Time
	staleSrc map[string]string
	out      []Finding
}

func (r *run) add(c *workspace.Card, rule, field, format string, args ...any) {
	r.out = append(r.out, Finding{Rule: rule, Severity: Rules[ruleIndex[rule]].Severity, Card: c.ID, Title: c.Title, Field: field,
		Message: fmt.Sprintf(format, args...)})
}

func (r *run) supportersOf() map[string][]*workspace.Card {
	out := map[string][]*workspace.Card{}
	r.restsOn = map[string][]*workspace.Card{}
	for _, c := range r.cards {
		for _, l := range c.Links {
			if l.Type != workspace.LinkSupports {
				continue
			}
			to, ok := r.pos[l.To]
			if !ok || !r.cards[to].IsKeyJudgment() {
				continue
			}
			j := r.cards[to]
			if !contains(out[j.ID], c) {
				out[j.ID] = append(out[j.ID], c)
				r.restsOn[c.ID] = append(r.restsOn[c.ID], j)
			}
		}
	}
	return out
}

func contains(cs []*workspace.Card, c *workspace.Card) bool {
	for _, o := range cs {
		if o == c {
			return true
		}
	}
	return false
}

func (r *run) card(c *workspace.Card) {
	if c.IsKeyJudgment() {
		r.estimates(c)
		if c.Confidence == workspace.ConfidenceNone {
			r.add(c, RuleConfidenceMissing, "confidence", "This key judgment has no confidence level: set low, moderate or high.")
		}
		r.sourcing(c, r.judgmentSources(c), nil)
	} else if js := r.restsOn[c.ID]; len(js) > 0 {
		r.sourcing(c, r.citedSources(c), js)
	}
	if (c.Kind == workspace.KindFact || c.Kind == workspace.KindStatement) && !r.citesAny(c) {
		r.add(c, RuleUncited, "citations", "This %s cites no source: cite where it comes from.", c.Kind)
	}
	r.quotes(c)
	r.stale(c)
	if above := r.snap.QuotesAbove(c); len(above) > 0 {
		r.markingBelow(c, above)
	}
	r.openQuestions(c)
}

// judgmentText is a key judgment's title and body with quotes blanked,
// split into words and sentences once for every check that reads them.
type judgmentText struct {
	title, body string
	titleToks   []token
	// sentences are the body's sentences, each as its words.
	sentences [][]token
}

func readJudgment(c *workspace.Card) *judgmentText {
	jt := &judgmentText{title: stripQuotes(c.Title), body: stripQuotes(c.Body)}
	jt.titleToks = tokenize(jt.title)
	toks := tokenize(jt.body)
	// A sentence's words are those that start inside it. No phrase
	// crosses a sentence's end: the stop between them breaks it. A
	// sentence may have no words (a quote, blanked).
	k := 0
	for _, sp := range sentences(jt.body) {
		from := k
		for k < len(toks) && toks[k].start < sp[1] {
			k++
		}
		jt.sentences = append(jt.sentences, toks[from:k])
	}
	return jt
}

// estimates runs the checks of a key judgment's words and estimate.
func (r *run) estimates(c *workspace.Card) {
	jt := readJudgment(c)
	// The statement: the title and the first sentence of the body.
	found := estimates(jt.title, jt.titleToks)
	inTitle := len(found)
	if len(jt.sentences) > 0 {
		found = append(found, estimates(jt.body, jt.sentences[0])...)
	}
	if c.Likelihood == workspace.LikelihoodNone {
		msg := "This key judgment has no likelihood: set one of the ICD 203 terms."
		for _, e := range found {
			if e.Levels.single() >= 0 {
				msg += " Its statement says " + said(e) + "."
				break
			}
		}
		r.add(c, RuleLikelihoodMissing, "likelihood", "%s", msg)
	} else {
		var bad []string
		field := ""
		for i, e := range found {
			if e.Levels.Has(c.Likelihood) {
				continue
			}
			if field == "" {
				field = "body"
				if i < inTitle {
					field = "title"
				}
			}
			s := said(e)
			if !containsString(bad, s) {
				bad = append(bad, s)
			}
		}
		if len(bad) > 0 {
			r.add(c, RuleWEPMismatch, field,
				"The statement says %s, but the likelihood is set to %s. Use the ICD 203 term for the likelihood you mean, or change the likelihood.",
				joinAnd(bad), c.Likelihood.Label())
		}
	}
	r.mixed(c, jt)
	r.hedges(c, jt)
}

// said quotes an estimate and, unless it is the term itself, what it
// reads as: “probably” (likely), “unlikely”.
func said(e Estimate) string {
	if strings.EqualFold(strings.Join(strings.Fields(e.Phrase), " "), e.Levels.String()) {
		return quote(e.Phrase)
	}
	return quote(e.Phrase) + " (" + e.Levels.String() + ")"
}

// mixed finds a sentence that states both a likelihood and a confidence.
func (r *run) mixed(c *workspace.Card, jt *judgmentText) {
	check := func(field, text string, toks []token) bool {
		conf := ""
		for _, t := range toks {
			switch t.word {
			case "confidence", "confident", "confidently":
				if !t.hyphenAfter {
					conf = t.raw
				}
			}
			if conf != "" {
				break
			}
		}
		if conf == "" {
			return false
		}
		for _, e := range estimates(text, toks) {
			r.add(c, RuleWEPMixed, field,
				"One sentence states both a likelihood (%s) and a confidence (%s): ICD 203 keeps them apart, so the reader can tell how likely from how sure.",
				quote(e.Phrase), quote(conf))
			return true
		}
		return false
	}
	if check("title", jt.title, jt.titleToks) {
		return
	}
	for _, toks := range jt.sentences {
		if check("body", jt.body, toks) {
			return
		}
	}
}

// hedges finds may, might, could, possibly, perhaps and "cannot rule out".
func (r *run) hedges(c *workspace.Card, jt *judgmentText) {
	var words []string
	field := ""
	look := func(name string, toks []token) {
		for i := range toks {
			h := hedgeAt(toks, i)
			if h == "" {
				continue
			}
			if field == "" {
				field = name
			}
			if !containsString(words, h) {
				words = append(words, h)
			}
		}
	}
	look("title", jt.titleToks)
	for _, toks := range jt.sentences {
		look("body", toks)
	}
	if len(words) > 0 {
		qs := make([]string, len(words))
		for i, w := range words {
			qs[i] = quote(w)
		}
		r.add(c, RuleHedge, field, "This key judgment hedges with %s: say how likely it is with an ICD 203 term instead.", joinAnd(qs))
	}
}

// hedgeAt returns the hedge that starts at toks[i], or "".
func hedgeAt(toks []token, i int) string {
	t := toks[i]
	switch t.word {
	case "might":
		// "military might", "Russia's might": the noun.
		if i > 0 && toks[i].tight && (mightOwners[toks[i-1].word] || strings.HasSuffix(toks[i-1].word, "'s")) {
			return ""
		}
		return t.word
	case "may":
		if t.raw == "May" && isMonth(toks, i) {
			return ""
		}
		return t.word
	case "could", "possibly", "perhaps":
		return t.word
	case "cannot", "can't":
		// "cannot rule out", "cannot be ruled out".
		if next(toks, i, 1) == "rule" && next(toks, i, 2) == "out" ||
			next(toks, i, 1) == "be" && next(toks, i, 2) == "ruled" && next(toks, i, 3) == "out" {
			return "cannot rule out"
		}
	case "can":
		if next(toks, i, 1) == "not" && (next(toks, i, 2) == "rule" && next(toks, i, 3) == "out" ||
			next(toks, i, 2) == "be" && next(toks, i, 3) == "ruled" && next(toks, i, 4) == "out") {
			return "cannot rule out"
		}
	}
	return ""
}

// next returns the word k places after toks[i] when every word up to it
// stands next to the one before, or "".
func next(toks []token, i, k int) string {
	for j := i + 1; j <= i+k; j++ {
		if j >= len(toks) || !toks[j].tight {
			return ""
		}
	}
	return toks[i+k].word
}

var mightOwners = map[string]bool{
	"military": true, "economic": true, "naval": true, "industrial": true, "full": true,
	"its": true, "their": true, "his": true, "her": true, "our": true, "all": true,
}

// monthWords come before a month's name: "in May", "since May".
var monthWords = map[string]bool{
	"in": true, "by": true, "since": true, "until": true, "till": true, "from": true, "early": true,
	"late": true, "mid": true, "of": true, "last": true, "next": true, "this": true, "before": true,
	"after": true, "during": true, "through": true, "to": true,
}

// isMonth reports whether a capitalised "May" at toks[i] is the month: a
// day or year beside it ("12 May", "May 2026") or a word that comes
// before months ("in May").
func isMonth(toks []token, i int) bool {
	if i+1 < len(toks) && toks[i+1].tight && isNumber(toks[i+1].word) {
		return true
	}
	if i > 0 && toks[i].tight && (isNumber(toks[i-1].word) || monthWords[toks[i-1].word]) {
		return true
	}
	return false
}

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// citesAny reports whether a card cites a source in the snapshot.
func (r *run) citesAny(c *workspace.Card) bool {
	for _, ci := range c.Citations {
		if r.snap.SourceByID[ci.Source] != nil {
			return true
		}
	}
	return false
}

// citedSources lists the sources in the snapshot that a card cites, each
// once, in citation order.
func (r *run) citedSources(c *workspace.Card) []*workspace.Source {
	var out []*workspace.Source
	for _, ci := range c.Citations {
		s := r.snap.SourceByID[ci.Source]
		if s != nil && !containsSource(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// judgmentSources are the sources a judgment rests on: its own and those
// of the cards in the brief that support it.
func (r *run) judgmentSources(c *workspace.Card) []*workspace.Source {
	out := r.citedSources(c)
	for _, s := range r.supporters[c.ID] {
		for _, src := range r.citedSources(s) {
			if !containsSource(out, src) {
				out = append(out, src)
			}
		}
	}
	return out
}

func containsSource(ss []*workspace.Source, s *workspace.Source) bool {
	for _, o := range ss {
		if o == s {
			return true
		}
	}
	return false
}

// sourcing runs single-source and weak-sources on a judgment (judgments
// nil) or on a card that judgments rest on.
func (r *run) sourcing(c *workspace.Card, srcs []*workspace.Source, judgments []*workspace.Card) {
	who := "This key judgment"
	if len(r.supporters[c.ID]) > 0 {
		who = "This key judgment, with the cards that support it,"
	}
	if judgments != nil {
		titles := make([]string, len(judgments))
		for i, j := range judgments {
			titles[i] = quote(j.Title)
		}
		who = "This card supports the key judgment " + joinAnd(titles) + " but"
		if len(judgments) > 1 {
			who = "This card supports the key judgments " + joinAnd(titles) + " but"
		}
	}
	switch len(srcs) {
	case 0:
		r.add(c, RuleSingleSource, "citations", "%s rests on no source: cite the sources it draws on.", who)
	case 1:
		r.add(c, RuleSingleSource, "citations", "%s rests on a single source, %s: look for a second, independent one.", who, quote(srcs[0].Title))
	}
	if len(srcs) == 0 {
		return
	}
	var weak []string
	for _, s := range srcs {
		if !s.Grade.WeakSupport() {
			return
		}
		weak = append(weak, fmt.Sprintf("%s (%s)", quote(s.Title), s.Grade))
	}
	r.add(c, RuleWeakSources, "citations",
		"%s rests only on weak grades (reliability D–F, credibility 5–6 or ungraded): %s.", who, strings.Join(weak, ", "))
}

// quotes finds citations without a quote.
func (r *run) quotes(c *workspace.Card) {
	var missing []string
	for _, ci := range c.Citations {
		s := r.snap.SourceByID[ci.Source]
		if s == nil || strings.TrimSpace(ci.Quote) != "" {
			continue
		}
		if q := quote(s.Title); !containsString(missing, q) {
			missing = append(missing, q)
		}
	}
	switch len(missing) {
	case 0:
	case 1:
		r.add(c, RuleQuoteMissing, "citations", "Cites %s without a quote: add the words the card rests on.", missing[0])
	default:
		r.add(c, RuleQuoteMissing, "citations", "Cites %d sources without a quote: %s. Add the words the card rests on.", len(missing), joinAnd(missing))
	}
}

// stale finds cited sources whose information is older than the window.
func (r *run) stale(c *workspace.Card) {
	if r.opts.StaleDays < 0 {
		return
	}
	var old []string
	for _, ci := range c.Citations {
		if s := r.staleText(ci.Source); s != "" && !containsString(old, s) {
			old = append(old, s)
		}
	}
	if len(old) == 0 {
		return
	}
	d := r.opts.Date
	what, holds := "a source whose information is", "it still holds"
	if len(old) > 1 {
		what, holds = fmt.Sprintf("%d sources whose information is", len(old)), "they still hold"
	}
	r.add(c, RuleStaleSource, "citations", "Cites %s more than %d days older than the brief's date, %s: %s. Check that %s.",
		what, r.opts.StaleDays, d.Format("2 January 2006"), strings.Join(old, ", "), holds)
}

// staleText names a source in the snapshot whose information is older
// than the window, "" for any other. Sources are cited many times: each is
// worked out once.
func (r *run) staleText(id string) string {
	if t, ok := r.staleSrc[id]; ok {
		return t
	}
	t := ""
	if s := r.snap.SourceByID[id]; s != nil {
		if end, ok := infoEnd(s.InfoDate); ok && end.Before(r.cutoff) {
			t = fmt.Sprintf("%s (%s)", quote(s.Title), s.InfoDate)
		}
	}
	r.staleSrc[id] = t
	return t
}

// infoEnd is the last day a source's date of information can mean: the
// end of the year for "2025", of the month for "2025-12".
func infoEnd(s string) (time.Time, bool) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		return t.AddDate(0, 1, -1), true
	}
	if t, err := time.Parse("2006", s); err == nil {
		return t.AddDate(1, 0, -1), true
	}
	return time.Time{}, false
}

func (r *run) markingBelow(c *workspace.Card, above []*workspace.Source) {
	top := workspace.TLPClear
	var names []string
	for _, s := range above {
		t := r.snap.Marking(s)
		top = workspace.Stricter(top, t)
		names = append(names, fmt.Sprintf("%s (%s)", quote(s.Title), t))
	}
	r.add(c, RuleMarkingBelowSource, "tlp",
		"Marked %s but quotes %s: it is already handled as %s, so mark it %s.",
		c.TLP, joinAnd(names), top, top)
}

func (r *run) openQuestions(c *workspace.Card) {
	q, cv := 0, 0
	for _, a := range r.snap.Annotations[c.ID] {
		if a.Resolved {
			continue
		}
		switch a.Kind {
		case workspace.AnnQuestion:
			q++
		case workspace.AnnCaveat:
			cv++
		}
	}
	var parts []string
	if q > 0 {
		parts = append(parts, count(q, "open question"))
	}
	if cv > 0 {
		parts = append(parts, count(cv, "open caveat"))
	}
	if len(parts) > 0 {
		them := "them"
		if q+cv == 1 {
			them = "it"
		}
		r.add(c, RuleOpenQuestion, "annotations", "Has %s: resolve %s before the brief goes out.", joinAnd(parts), them)
	}
}

func count(n int, what string) string {
	if n == 1 {
		return "an " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// quote writes a record's text inside curly quotes, on one line.
func quote(s string) string {
	if strings.ContainsAny(s, "\n\r\t") || strings.Contains(s, "  ") || strings.TrimSpace(s) != s {
		s = strings.Join(strings.Fields(s), " ")
	}
	if utf8.RuneCountInString(s) > 120 {
		s = string([]rune(s)[:119]) + "…"
	}
	return "“" + s + "”"
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func containsString(ss []string, s string) bool {
	for _, o := range ss {
		if o == s {
			return true
		}
	}
	return false
}
