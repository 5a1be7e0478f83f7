package check_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/check"
	"briefboard/workspace/workspacetest"
)

// briefDate is the date the crafted briefs are checked at.
var briefDate = time.Date(2025, 12, 28, 0, 0, 0, 0, time.UTC)

// fixture is a real workspace (Badger in a temporary directory, from the
// empty template) that a test fills with the cards it needs.
type fixture struct {
	t     *testing.T
	s     *workspace.Store
	board string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s, _ := workspacetest.Create(t, "empty", workspace.Options{})
	snap := workspacetest.Snapshot(t, s)
	return &fixture{t: t, s: s, board: snap.Boards[0].ID}
}

// source adds a source with a grade ("B2"), a date of information and a
// marking, and returns its id.
func (f *fixture) source(title, grade, date string, tlp workspace.TLP) string {
	f.t.Helper()
	g, err := workspace.ParseGrade(grade)
	if err != nil {
		f.t.Fatal(err)
	}
	src, err := f.s.AddSource(workspace.Source{Title: title, Grade: g, InfoDate: date, TLP: tlp}, false)
	if err != nil {
		f.t.Fatal(err)
	}
	return src.ID
}

// card adds a card of a kind, then lets edit set the rest in the same
// action, and returns its id.
func (f *fixture) card(kind workspace.Kind, title, body string, edit func(c *workspace.Card)) string {
	f.t.Helper()
	var id string
	_, err := f.s.Do("Add card", func(tx *workspace.Tx) error {
		clear := workspace.TLPClear
		c, err := tx.AddCard(workspace.CardDraft{Board: f.board, Title: title, Body: body, Kind: kind, TLP: &clear})
		if err != nil {
			return err
		}
		id = c.ID
		if edit == nil {
			return nil
		}
		_, err = tx.UpdateCard(c.ID, func(c *workspace.Card) error { edit(c); return nil })
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// judgment adds a well-formed key judgment (likely, moderate confidence,
// two good sources with quotes) and lets edit spoil one thing.
func (f *fixture) judgment(title, body string, edit func(c *workspace.Card)) string {
	f.t.Helper()
	a := f.source("Good source A", "B2", "2025-12", workspace.TLPClear)
	b := f.source("Good source B", "A1", "2025-12-20", workspace.TLPClear)
	return f.card(workspace.KindJudgment, title, body, func(c *workspace.Card) {
		c.Likelihood = workspace.LikelihoodLikely
		c.Confidence = workspace.ConfidenceModerate
		c.Citations = []workspace.Citation{{Source: a, Quote: "words A"}, {Source: b, Quote: "words B"}}
		if edit != nil {
			edit(c)
		}
	})
}

func (f *fixture) snapshot() *workspace.Snapshot { return workspacetest.Snapshot(f.t, f.s) }

func (f *fixture) run(opts check.Options) []check.Finding {
	f.t.Helper()
	if opts.Date.IsZero() {
		opts.Date = briefDate
	}
	fs, err := check.Run(f.snapshot(), opts)
	if err != nil {
		f.t.Fatal(err)
	}
	return fs
}

func ofRule(fs []check.Finding, rule, card string) []check.Finding {
	var out []check.Finding
	for _, f := range fs {
		if f.Rule == rule && (card == "" || f.Card == card) {
			out = append(out, f)
		}
	}
	return out
}

// ruleCase crafts a workspace; the card it returns must have exactly
// `want` findings of the rule (and field), and no other card any.
type ruleCase struct {
	name  string
	build func(f *fixture) string
	want  int
	field string
	// says is in the message when a finding is wanted.
	says string
	opts check.Options
}

func runRuleCases(t *testing.T, rule string, cases []ruleCase) {
	t.Helper()
	if r, ok := check.RuleByID(rule); !ok || r.Severity == "" {
		t.Fatalf("rule %s is not in the table", rule)
	}
	triggered, clean := false, false
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			id := tc.build(f)
			fs := f.run(tc.opts)
			all := ofRule(fs, rule, "")
			mine := ofRule(fs, rule, id)
			if len(mine) != tc.want || len(all) != tc.want {
				t.Fatalf("%d findings of %s on the card (%d in all), want %d: %+v", len(mine), rule, len(all), tc.want, fs)
			}
			if tc.want == 0 {
				return
			}
			fd := mine[0]
			r, _ := check.RuleByID(rule)
			if fd.Severity != r.Severity || fd.Field != tc.field || fd.Title == "" || fd.Message == "" {
				t.Errorf("finding %+v: want severity %s, field %s", fd, r.Severity, tc.field)
			}
			if tc.says != "" && !strings.Contains(fd.Message, tc.says) {
				t.Errorf("message %q does not say %q", fd.Message, tc.says)
			}
		})
		triggered = triggered || tc.want > 0
		clean = clean || tc.want == 0
	}
	if !triggered || !clean {
		t.Fatalf("rule %s needs a case that triggers it and one that does not", rule)
	}
}

func TestRule_WEPMismatch(t *testing.T) {
	runRuleCases(t, check.RuleWEPMismatch, []ruleCase{
		{name: "likely in the title, unlikely set", want: 1, field: "title", says: "The statement says “likely”, but the likelihood is set to unlikely",
			build: func(f *fixture) string {
				return f.judgment("Moscow likely to accept", "", func(c *workspace.Card) { c.Likelihood = workspace.LikelihoodUnlikely })
			}},
		{name: "probably not in the first sentence, likely set", want: 1, field: "body", says: "“probably not” (unlikely)",
			build: func(f *fixture) string {
				return f.judgment("Moscow and the Florida revisions", "Moscow will probably not accept them. Other text.", nil)
			}},
		{name: "agreeing words", want: 0,
			build: func(f *fixture) string {
				return f.judgment("Moscow likely to accept", "We judge it probable that Moscow accepts.", nil)
			}},
		{name: "a contradiction only in a quote", want: 0,
			build: func(f *fixture) string {
				return f.judgment("Moscow likely to accept", "Ushakov called it “very unlikely” that Moscow refuses.", nil)
			}},
		{name: "a contradiction only in the second sentence", want: 0,
			build: func(f *fixture) string {
				return f.judgment("Moscow likely to accept", "We judge so. It is unlikely to be quick.", nil)
			}},
	})
}

func TestRule_WEPMixed(t *testing.T) {
	runRuleCases(t, check.RuleWEPMixed, []ruleCase{
		{name: "one sentence", want: 1, field: "body", says: "“likely”",
			build: func(f *fixture) string {
				return f.judgment("Talks go on", "Talks go on. We judge with high confidence that Moscow will likely refuse.", nil)
			}},
		{name: "in the title", want: 1, field: "title",
			build: func(f *fixture) string { return f.judgment("Talks likely go on, we are confident", "", nil) }},
		{name: "separate sentences", want: 0,
			build: func(f *fixture) string {
				return f.judgment("Talks go on", "We judge it likely that Moscow refuses. We have high confidence in this.", nil)
			}},
		{name: "confidence-building is not a confidence", want: 0,
			build: func(f *fixture) string {
				return f.judgment("Talks go on", "Confidence-building steps are likely to follow.", nil)
			}},
	})
}

func TestRule_Hedge(t *testing.T) {
	runRuleCases(t, check.RuleHedge, []ruleCase{
		{name: "could in the body", want: 1, field: "body", says: "“could”",
			build: func(f *fixture) string { return f.judgment("Talks likely go on", "It could shift later.", nil) }},
		{name: "may in the title, perhaps in the body", want: 1, field: "title", says: "“may” and “perhaps”",
			build: func(f *fixture) string { return f.judgment("Talks may go on", "Perhaps.", nil) }},
		{name: "cannot rule out", want: 1, field: "body", says: "“cannot rule out”",
			build: func(f *fixture) string { return f.judgment("Talks likely go on", "We cannot rule out a pause.", nil) }},
		{name: "month, might as a noun, quoted hedge", want: 0,
			build: func(f *fixture) string {
				return f.judgment("Talks likely go on in May", "Russia's military might is unchanged since 12 May 2025; Ushakov said “it may”.", nil)
			}},
		{name: "a hedge on a card that is no judgment", want: 0,
			build: func(f *fixture) string { return f.card(workspace.KindNote, "Talks could go on", "", nil) }},
	})
}

func TestRule_LikelihoodMissing(t *testing.T) {
	runRuleCases(t, check.RuleLikelihoodMissing, []ruleCase{
		{name: "none set", want: 1, field: "likelihood", says: "says “probably” (likely)",
			build: func(f *fixture) string {
				return f.judgment("Talks probably go on", "", func(c *workspace.Card) { c.Likelihood = "" })
			}},
		{name: "set", want: 0, build: func(f *fixture) string { return f.judgment("Talks probably go on", "", nil) }},
		{name: "not a judgment", want: 0,
			build: func(f *fixture) string { return f.card(workspace.KindRisk, "Talks probably go on", "", nil) }},
	})
}

func TestRule_ConfidenceMissing(t *testing.T) {
	runRuleCases(t, check.RuleConfidenceMissing, []ruleCase{
		{name: "none set", want: 1, field: "confidence",
			build: func(f *fixture) string {
				return f.judgment("Talks likely go on", "", func(c *workspace.Card) { c.Confidence = "" })
			}},
		{name: "set", want: 0, build: func(f *fixture) string { return f.judgment("Talks likely go on", "", nil) }},
	})
}

func TestRule_SingleSource(t *testing.T) {
	runRuleCases(t, check.RuleSingleSource, []ruleCase{
		{name: "one source", want: 1, field: "citations", says: "rests on a single source, “Good source A”",
			build: func(f *fixture) string {
				return f.judgment("Talks likely go on", "", func(c *workspace.Card) { c.Citations = c.Citations[:1] })
			}},
		{name: "one source cited twice", want: 1, field: "citations",
			build: func(f *fixture) string {
				return f.judgment("Talks likely go on", "", func(c *workspace.Card) {
					c.Citations = []workspace.Citation{c.Citations[0], {Source: c.Citations[0].Source, Quote: "more"}}
				})
			}},
		{name: "no source at all", want: 1, field: "citations", says: "rests on no source",
			build: func(f *fixture) string {
				return f.judgment("Talks likely go on", "", func(c *workspace.Card) { c.Citations = nil })
			}},
		{name: "two sources", want: 0, build: func(f *fixture) string { return f.judgment("Talks likely go on", "", nil) }},
		{name: "sources through supporting cards", want: 0,
			build: func(f *fixture) string {
				j := f.judgment("Talks likely go on", "", func(c *workspace.Card) { c.Citations = nil })
				for _, name := range []string{"Witness one", "Witness two"} {
					src := f.source(name, "B2", "2025-12", workspace.TLPClear)
					too := f.source(name+" too", "A2", "2025-12", 0)
					f.card(workspace.KindFact, "Fact from "+name, "", func(c *workspace.Card) {
						c.Citations = []workspace.Citation{{Source: src, Quote: "q"}, {Source: too, Quote: "q"}}
						c.Links = []workspace.Link{{To: j, Type: workspace.LinkSupports}}
					})
				}
				return j
			}},
		{name: "a supporting card on one source", want: 1, field: "citations", says: "supports the key judgment “Talks likely go on”",
			build: func(f *fixture) string {
				j := f.judgment("Talks likely go on", "", nil)
				src := f.source("Lone witness", "B2", "2025-12", workspace.TLPClear)
				return f.card(workspace.KindFact, "Lone fact", "", func(c *workspace.Card) {
					c.Citations = []workspace.Citation{{Source: src, Quote: "q"}}
					c.Links = []workspace.Link{{To: j, Type: workspace.LinkSupports}}
				})
			}},
		{name: "a related card on one source", want: 0,
			build: func(f *fixture) string {
				j := f.judgment("Talks likely go on", "", nil)
				src := f.source("Lone witness", "B2", "2025-12", workspace.TLPClear)
				return f.card(workspace.KindFact, "Lone fact", "", func(c *workspace.Card) {
					c.Citations = []workspace.Citation{{Source: src, Quote: "q"}}
					c.Links = []workspace.Link{{To: j, Type: workspace.LinkRelated}}
				})
			}},
	})
}

func TestRule_WeakSources(t *testing.T) {
	weak := func(grades ...string) func(f *fixture) string {
		return func(f *fixture) string {
			var cites []workspace.Citation
			for i, g := range grades {
				cites = append(cites, workspace.Citation{Source: f.source("Source "+string(rune('A'+i)), g, "2025-12", 0), Quote: "q"})
			}
			return f.judgment("Talks likely go on", "", func(c *workspace.Card) { c.Citations = cites })
		}
	}
	runRuleCases(t, check.RuleWeakSources, []ruleCase{
		{name: "D and E", want: 1, field: "citations", says: "“Source A” (D3), “Source B” (E2)", build: weak("D3", "E2")},
		{name: "credibility 5 and 6", want: 1, field: "citations", build: weak("A5", "B6")},
		{name: "ungraded and F", want: 1, field: "citations", says: "(ungraded)", build: weak("", "F1")},
		{name: "one good grade among weak", want: 0, build: weak("D3", "B4", "F6")},
	})
}

func TestRule_StaleSource(t *testing.T) {
	cite := func(date string) func(f *fixture) string {
		return func(f *fixture) string {
			src := f.source("Dated source", "B2", date, 0)
			return f.card(workspace.KindNote, "Note", "", func(c *workspace.Card) {
				c.Citations = []workspace.Citation{{Source: src, Quote: "q"}}
			})
		}
	}
	runRuleCases(t, check.RuleStaleSource, []ruleCase{
		{name: "two months old", want: 1, field: "citations", says: "“Dated source” (2025-10)", build: cite("2025-10")},
		{name: "a year", want: 1, field: "citations", says: "more than 30 days", build: cite("2024")},
		{name: "a day past the window", want: 1, field: "citations", build: cite("2025-11-27")},
		{name: "on the edge of the window", want: 0, build: cite("2025-11-28")},
		{name: "this month", want: 0, build: cite("2025-12")},
		{name: "no date", want: 0, build: cite("")},
		{name: "a wider window", want: 0, build: cite("2025-10"), opts: check.Options{StaleDays: 90}},
		{name: "turned off", want: 0, build: cite("2020"), opts: check.Options{StaleDays: -1}},
		{name: "a later brief date", want: 1, field: "citations", says: "1 March 2026", build: cite("2025-12"),
			opts: check.Options{Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}},
	})
}

func TestRule_Uncited(t *testing.T) {
	runRuleCases(t, check.RuleUncited, []ruleCase{
		{name: "fact", want: 1, field: "citations", says: "This fact cites no source",
			build: func(f *fixture) string { return f.card(workspace.KindFact, "Talks happened", "", nil) }},
		{name: "statement", want: 1, field: "citations",
			build: func(f *fixture) string { return f.card(workspace.KindStatement, "Witkoff spoke", "", nil) }},
		{name: "cited fact", want: 0,
			build: func(f *fixture) string {
				src := f.source("Report", "B2", "2025-12", 0)
				return f.card(workspace.KindFact, "Talks happened", "", func(c *workspace.Card) {
					c.Citations = []workspace.Citation{{Source: src, Quote: "q"}}
				})
			}},
		{name: "question", want: 0,
			build: func(f *fixture) string { return f.card(workspace.KindQuestion, "What next?", "", nil) }},
	})
}

func TestRule_QuoteMissing(t *testing.T) {
	runRuleCases(t, check.RuleQuoteMissing, []ruleCase{
		{name: "one", want: 1, field: "citations", says: "Cites “Report” without a quote",
			build: func(f *fixture) string {
				src := f.source("Report", "B2", "2025-12", 0)
				return f.card(workspace.KindNote, "Note", "", func(c *workspace.Card) {
					c.Citations = []workspace.Citation{{Source: src, Quote: "  "}}
				})
			}},
		{name: "two", want: 1, field: "citations", says: "Cites 2 sources without a quote: “Report” and “Post”",
			build: func(f *fixture) string {
				a, b := f.source("Report", "B2", "2025-12", 0), f.source("Post", "B2", "2025-12", 0)
				return f.card(workspace.KindNote, "Note", "", func(c *workspace.Card) {
					c.Citations = []workspace.Citation{{Source: a}, {Source: b}}
				})
			}},
		{name: "quoted", want: 0,
			build: func(f *fixture) string {
				src := f.source("Report", "B2", "2025-12", 0)
				return f.card(workspace.KindNote, "Note", "", func(c *workspace.Card) {
					c.Citations = []workspace.Citation{{Source: src, Quote: "the words"}}
				})
			}},
	})
}

func TestRule_MarkingBelowSource(t *testing.T) {
	quoting := func(card workspace.TLP, quote string) func(f *fixture) string {
		return func(f *fixture) string {
			src := f.source("Amber source", "B2", "2025-12", workspace.TLPAmber)
			return f.card(workspace.KindNote, "Note", "", func(c *workspace.Card) {
				c.TLP = card
				c.Citations = []workspace.Citation{{Source: src, Quote: quote}}
			})
		}
	}
	runRuleCases(t, check.RuleMarkingBelowSource, []ruleCase{
		{name: "clear card quotes amber", want: 1, field: "tlp",
			says:  "Marked TLP:CLEAR but quotes “Amber source” (TLP:AMBER): it is already handled as TLP:AMBER, so mark it TLP:AMBER",
			build: quoting(workspace.TLPClear, "words")},
		{name: "green card quotes amber", want: 1, field: "tlp", build: quoting(workspace.TLPGreen, "words")},
		{name: "amber card", want: 0, build: quoting(workspace.TLPAmber, "words")},
		{name: "red card", want: 0, build: quoting(workspace.TLPRed, "words")},
		{name: "cited without a quote", want: 0, build: quoting(workspace.TLPClear, "")},
	})
}

func TestRule_OpenQuestion(t *testing.T) {
	annotated := func(kind workspace.AnnotationKind, resolve bool) func(f *fixture) string {
		return func(f *fixture) string {
			id := f.card(workspace.KindNote, "Note", "", nil)
			a, err := f.s.AddAnnotation(id, kind, "Is this so?", nil)
			if err != nil {
				f.t.Fatal(err)
			}
			if resolve {
				if err := f.s.SetResolved(id, a.ID, true); err != nil {
					f.t.Fatal(err)
				}
			}
			return id
		}
	}
	runRuleCases(t, check.RuleOpenQuestion, []ruleCase{
		{name: "open question", want: 1, field: "annotations", says: "Has an open question", build: annotated(workspace.AnnQuestion, false)},
		{name: "open caveat", want: 1, field: "annotations", says: "Has an open caveat", build: annotated(workspace.AnnCaveat, false)},
		{name: "resolved question", want: 0, build: annotated(workspace.AnnQuestion, true)},
		{name: "open comment", want: 0, build: annotated(workspace.AnnComment, false)},
		{name: "card not in the brief", want: 0, build: annotated(workspace.AnnQuestion, false),
			opts: check.Options{Lanes: []string{"Agreed"}}},
	})
}

// The findings come errors first, rule by rule, and the same every time.
func TestRun_OrderIsDeterministic(t *testing.T) {
	f := newFixture(t)
	src := f.source("Amber source", "D4", "2024", workspace.TLPAmber)
	for _, title := range []string{"Zeta likely", "Alpha likely", "Mid could"} {
		f.card(workspace.KindJudgment, title, "", func(c *workspace.Card) {
			c.Citations = []workspace.Citation{{Source: src, Quote: "q"}}
		})
	}
	first := f.run(check.Options{})
	if len(first) < 10 {
		t.Fatalf("only %d findings: %+v", len(first), first)
	}
	for i := 0; i < 5; i++ {
		if again := f.run(check.Options{}); !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d differs:\n%+v\n%+v", i, first, again)
		}
	}
	order := map[string]int{}
	for i, r := range check.Rules {
		order[r.ID] = i
	}
	for i := 1; i < len(first); i++ {
		a, b := first[i-1], first[i]
		if a.Severity == check.Warning && b.Severity == check.Error {
			t.Fatalf("a warning before an error: %+v, %+v", a, b)
		}
		if a.Severity == b.Severity && order[a.Rule] > order[b.Rule] {
			t.Fatalf("rule %s after %s", a.Rule, b.Rule)
		}
	}
	if check.Errors(first) == 0 {
		t.Fatal("no errors counted")
	}
	// Within a rule, cards come in the order of the brief, each once.
	place := map[string]int{}
	for i, c := range f.snapshot().BoardCards(f.board) {
		place[c.ID] = i
	}
	seen := map[[2]string]bool{}
	for i, fd := range first {
		key := [2]string{fd.Rule, fd.Card}
		if seen[key] {
			t.Fatalf("%s twice on one card", fd.Rule)
		}
		seen[key] = true
		if i > 0 && first[i-1].Rule == fd.Rule && place[first[i-1].Card] > place[fd.Card] {
			t.Fatalf("%s: card %q before %q, against the brief's order", fd.Rule, first[i-1].Title, fd.Title)
		}
	}
}

// A capped snapshot's findings name nothing that the cap left out.
func TestRun_CappedFindingsQuoteNothingLeftOut(t *testing.T) {
	f := newFixture(t)
	secret := f.source("Secret liaison channel", "D5", "2020", workspace.TLPRed)
	f.card(workspace.KindJudgment, "Talks likely go on", "", func(c *workspace.Card) {
		c.Citations = []workspace.Citation{{Source: secret}}
	})
	j := f.card(workspace.KindJudgment, "Red judgment about the liaison", "", nil)
	f.card(workspace.KindFact, "Supports the red one", "", func(c *workspace.Card) {
		c.Links = []workspace.Link{{To: j, Type: workspace.LinkSupports}}
	})
	_, err := f.s.UpdateCard(j, "Mark", func(c *workspace.Card) error { c.TLP = workspace.TLPRed; return nil })
	if err != nil {
		t.Fatal(err)
	}
	mentions := func(fs []check.Finding) bool {
		for _, fd := range fs {
			if strings.Contains(fd.Message, "liaison") || strings.Contains(fd.Title, "liaison") || fd.Card == j {
				return true
			}
		}
		return false
	}
	// Positive control: uncapped, the secret source and card are named.
	if !mentions(f.run(check.Options{})) {
		t.Fatal("the uncapped findings never name the red source or card")
	}
	green := workspace.TLPGreen
	snap, err := f.snapshot().Capped(&green)
	if err != nil {
		t.Fatal(err)
	}
	capped, err := check.Run(snap, check.Options{Date: briefDate})
	if err != nil {
		t.Fatal(err)
	}
	if len(capped) == 0 || mentions(capped) {
		t.Fatalf("capped findings name a red record: %+v", capped)
	}
}

func TestRun_UnknownBoardOrLaneIsAnError(t *testing.T) {
	f := newFixture(t)
	for _, o := range []check.Options{{Boards: []string{"No such board"}}, {Lanes: []string{"Nowhere"}}} {
		if _, err := check.Run(f.snapshot(), o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

// The demo workspace passes without errors, and its warnings are real.
func TestRun_DemoHasNoErrors(t *testing.T) {
	s, _ := workspacetest.Create(t, "three-pillars", workspace.Options{})
	fs, err := check.Run(workspacetest.Snapshot(t, s), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]int{}
	for _, fd := range fs {
		rules[fd.Rule]++
		if fd.Severity == check.Error {
			t.Errorf("demo error: %+v", fd)
		}
	}
	for _, want := range []string{check.RuleSingleSource, check.RuleQuoteMissing, check.RuleOpenQuestion, check.RuleHedge} {
		if rules[want] == 0 {
			t.Errorf("the demo shows no %s warning: %v", want, rules)
		}
	}
	t.Logf("demo findings by rule: %v", rules)
}
