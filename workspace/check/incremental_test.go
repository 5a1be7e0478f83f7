package check_test

import (
	"fmt"
	"math/rand"
	"reflect"
	"sync"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/check"
)

// An Index brought up to date edit by edit says what a whole run says,
// over random sequences of the edits analysts make: cards added, edited,
// moved and deleted, supports links made and broken, sources regraded,
// redated, remarked and retitled, questions asked and resolved, findings
// accepted, undo and redo.
func TestIndex_UpdateEqualsWholeRun(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	for round := 0; round < 3; round++ {
		opts := check.Options{Date: briefDate}
		if round == 2 {
			opts.Lanes = []string{"Open", "Agreed"}
		}
		f := newFixture(t)
		var mu sync.Mutex
		var entries []*workspace.Entry
		stop := f.s.OnChange(func(e *workspace.Entry) {
			mu.Lock()
			entries = append(entries, e)
			mu.Unlock()
		})
		p := &playground{t: t, f: f, rng: rng}
		for i := 0; i < 4; i++ {
			p.sources = append(p.sources, f.source(fmt.Sprintf("Source %d", i), "B2", "2025-12", workspace.TLPClear))
		}
		for i := 0; i < 6; i++ {
			p.addCard()
		}
		x, err := check.NewIndex(f.snapshot(), opts)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		entries = nil
		mu.Unlock()
		for step := 0; step < 60; step++ {
			what := p.step()
			mu.Lock()
			run := entries
			entries = nil
			mu.Unlock()
			cur := f.snapshot()
			touched := check.TouchedBy(run...)
			if err := x.Update(cur, touched); err != nil {
				t.Fatal(err)
			}
			want, err := check.Run(cur, opts)
			if err != nil {
				t.Fatal(err)
			}
			// Findings carry their acceptances, as Split marks them.
			split := splitInOrder(cur, want)
			if got := x.Findings(); !reflect.DeepEqual(got, split) {
				t.Fatalf("round %d step %d (%s, touched %+v):\nindex %d findings %+v\nwhole %d findings %+v",
					round, step, what, touched, len(got), got, len(split), split)
			}
			open, accepted := check.Split(cur, want)
			n, errs := x.Count()
			if n != len(open) || errs != check.Errors(open) {
				t.Fatalf("step %d: Count %d open, %d errors; Split %d open, %d errors", step, n, errs, len(open), check.Errors(open))
			}
			k := 0
			for i := range check.Rules {
				k += len(x.Accepted(i))
			}
			if k != len(accepted) {
				t.Fatalf("step %d: %d accepted, Split %d", step, k, len(accepted))
			}
		}
		stop()
	}
}

// playground makes random edits on a fixture.
type playground struct {
	t       *testing.T
	f       *fixture
	rng     *rand.Rand
	sources []string
}

var (
	playTitles = []string{"Moscow likely to stall", "Kyiv may accept", "Talks almost certainly resume",
		"Guarantees unlikely before spring", "Sanctions relief sequencing", "A remote chance of a deal"}
	playBodies = []string{"", "We judge this likely. We have high confidence.", "It could go either way.",
		"Officials said the drafts were ready.", "It is “very likely” said one aide. Perhaps not."}
	playKinds = []workspace.Kind{workspace.KindJudgment, workspace.KindJudgment, workspace.KindFact,
		workspace.KindStatement, workspace.KindNote}
)

func (p *playground) pick(list []string) string { return list[p.rng.Intn(len(list))] }

func (p *playground) cards() []*workspace.Card {
	snap := p.f.snapshot()
	var out []*workspace.Card
	for _, l := range snap.Lanes[p.f.board] {
		out = append(out, snap.LaneCards[l.ID]...)
	}
	return out
}

// fill sets a card's fields at random.
func (p *playground) fill(c *workspace.Card, others []*workspace.Card) {
	switch p.rng.Intn(7) {
	case 0:
		c.Title = p.pick(playTitles)
	case 1:
		c.Body = p.pick(playBodies)
	case 2:
		c.Kind = playKinds[p.rng.Intn(len(playKinds))]
	case 3:
		c.Likelihood = ""
		if p.rng.Intn(3) > 0 {
			c.Likelihood = workspace.Likelihoods[p.rng.Intn(len(workspace.Likelihoods))]
		}
		c.Confidence = ""
		if p.rng.Intn(3) > 0 {
			c.Confidence = workspace.Confidences[p.rng.Intn(len(workspace.Confidences))]
		}
	case 4:
		c.Citations = nil
		for k := p.rng.Intn(3); k > 0; k-- {
			q := ""
			if p.rng.Intn(2) == 0 {
				q = "the words"
			}
			c.Citations = append(c.Citations, workspace.Citation{Source: p.pick(p.sources), Quote: q})
		}
	case 5:
		c.Links = nil
		// Mostly supports links to key judgments: the findings that
		// reach across cards come from them.
		var judgments []*workspace.Card
		for _, o := range others {
			if o.IsKeyJudgment() {
				judgments = append(judgments, o)
			}
		}
		if len(judgments) == 0 || p.rng.Intn(4) == 0 {
			judgments = others
		}
		if len(judgments) > 0 && p.rng.Intn(5) > 0 {
			to := judgments[p.rng.Intn(len(judgments))]
			typ := workspace.LinkSupports
			if p.rng.Intn(4) == 0 {
				typ = workspace.LinkTypes[p.rng.Intn(len(workspace.LinkTypes))]
			}
			if to.ID != c.ID {
				c.Links = []workspace.Link{{To: to.ID, Type: typ}}
			}
		}
	case 6:
		c.TLP = workspace.TLP(p.rng.Intn(3))
	}
}

func (p *playground) addCard() {
	others := p.cards()
	p.f.card(playKinds[p.rng.Intn(len(playKinds))], p.pick(playTitles), p.pick(playBodies), func(c *workspace.Card) {
		for k := 0; k < 4; k++ {
			p.fill(c, others)
		}
	})
}

// step makes one random edit and names it.
func (p *playground) step() string {
	s := p.f.s
	cards := p.cards()
	if len(cards) < 3 {
		p.addCard()
		return "add card"
	}
	c := cards[p.rng.Intn(len(cards))]
	var err error
	what := ""
	switch p.rng.Intn(12) {
	case 0:
		p.addCard()
		return "add card"
	case 1, 2, 3:
		what = "edit card"
		_, err = s.UpdateCard(c.ID, "Edit", func(e *workspace.Card) error { p.fill(e, cards); p.fill(e, cards); return nil })
	case 4:
		what = "move card"
		lanes := p.f.snapshot().Lanes[p.f.board]
		err = s.MoveCard(c.ID, workspace.Move{Board: p.f.board, Lane: lanes[p.rng.Intn(len(lanes))].ID})
	case 5:
		what = "delete card"
		err = s.DeleteCard(c.ID)
	case 6:
		what = "edit source"
		id := p.pick(p.sources)
		err = s.UpdateSource(id, func(src *workspace.Source) error {
			switch p.rng.Intn(3) {
			case 0:
				src.Grade = workspace.Grade{Reliability: workspace.Reliability("ABCDEF"[p.rng.Intn(6)]), Credibility: workspace.Credibility(1 + p.rng.Intn(6))}
			case 1:
				src.InfoDate = []string{"2025-12", "2024-01-05", "2025"}[p.rng.Intn(3)]
			case 2:
				src.Title = fmt.Sprintf("Source %d", p.rng.Intn(100))
			}
			return nil
		})
	case 7:
		what = "mark source"
		err = s.SetMarking(workspace.KeyOf(p.f.snapshot().SourceByID[p.pick(p.sources)]), workspace.TLP(p.rng.Intn(4)))
	case 8:
		what = "annotate"
		kinds := []workspace.AnnotationKind{workspace.AnnQuestion, workspace.AnnCaveat, workspace.AnnComment}
		_, err = s.AddAnnotation(c.ID, kinds[p.rng.Intn(len(kinds))], "Is this right?", nil)
	case 9:
		what = "resolve"
		anns := p.f.snapshot().Annotations[c.ID]
		if len(anns) == 0 {
			return "nothing to resolve"
		}
		a := anns[p.rng.Intn(len(anns))]
		err = s.SetResolved(c.ID, a.ID, !a.Resolved)
	case 10:
		what = "accept"
		_, err = s.AcceptFinding(c.ID, check.Rules[p.rng.Intn(len(check.Rules))].ID, "title", "Seen and agreed")
	case 11:
		what = "undo"
		if p.rng.Intn(3) == 0 {
			what = "redo"
			_, err = s.Redo()
		} else {
			_, err = s.Undo()
		}
		if err != nil {
			return what + ": " + err.Error()
		}
	}
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	return what
}

// TouchedBy reads the cards an annotation's change concerns, leaves out
// what no finding reads, and asks for a whole run when a board changes.
func TestTouchedBy(t *testing.T) {
	f := newFixture(t)
	var got []*workspace.Entry
	stop := f.s.OnChange(func(e *workspace.Entry) { got = append(got, e) })
	defer stop()
	card := f.card(workspace.KindFact, "A fact", "", nil)
	src := f.source("A source", "B2", "2025-12", workspace.TLPClear)
	if _, err := f.s.AddAnnotation(card, workspace.AnnQuestion, "Why?", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AcceptFinding(card, check.RuleUncited, "citations", "A public fact"); err != nil {
		t.Fatal(err)
	}
	tc := check.TouchedBy(got...)
	if tc.Whole || !reflect.DeepEqual(tc.Cards, []string{card}) || !reflect.DeepEqual(tc.Sources, []string{src}) ||
		!reflect.DeepEqual(tc.Accepted, []string{card}) {
		t.Fatalf("touched %+v, want card %s, source %s and an acceptance on the card", tc, card, src)
	}
	got = nil
	if err := f.s.UpdateBoard(f.board, func(b *workspace.Board) error { b.Title = "Renamed"; return nil }); err != nil {
		t.Fatal(err)
	}
	if tc := check.TouchedBy(got...); !tc.Whole {
		t.Fatalf("a board's change: %+v, want a whole run", tc)
	}
}

// splitInOrder marks each finding with its acceptance, as Split does,
// keeping Run's order.
func splitInOrder(snap *workspace.Snapshot, fs []check.Finding) []check.Finding {
	out := make([]check.Finding, len(fs))
	for i, f := range fs {
		open, accepted := check.Split(snap, []check.Finding{f})
		if len(open) == 1 {
			out[i] = open[0]
		} else {
			out[i] = accepted[0]
		}
	}
	return out
}
