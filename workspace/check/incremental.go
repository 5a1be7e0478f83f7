package check

import (
	"encoding/json"
	"fmt"

	"briefboard/workspace"
)

// Checking a large workspace whole takes longer than a window can wait
// after each keystroke's edit. Most of what a finding reads is its own
// card; the rest is the key judgments a card supports, the cards that
// support a key judgment, and the sources a card cites. An Index keeps the
// findings of a snapshot by card and, after an edit, checks again only the
// cards whose findings the edit can have changed.

// RunCards checks the named cards that go in the brief and returns their
// findings as Run reports them on the whole snapshot, in Run's order.
// Cards not in the brief (deleted, or outside the boards and lanes chosen)
// have none.
func RunCards(snap *workspace.Snapshot, opts Options, ids []string) ([]Finding, error) {
	r, err := runCards(snap, opts, ids, nil)
	if err != nil {
		return nil, err
	}
	return r.sorted(), nil
}

func runCards(snap *workspace.Snapshot, opts Options, ids []string, pos map[string]int) (*run, error) {
	r, err := newRun(snap, opts, pos)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	for _, c := range r.cards {
		if want[c.ID] {
			r.card(c)
		}
	}
	return r, nil
}

// Touched is what a run of journal entries changed, as the checks read
// it.
type Touched struct {
	// Cards lists the cards written, and the cards whose annotations
	// were; Sources the sources written; Accepted the cards whose
	// acceptances were.
	Cards, Sources, Accepted []string
	// Whole is set when the entries changed what the brief holds or its
	// order (the header, a board, a lane) or cannot be read: the
	// workspace must be checked whole.
	Whole bool
}

// TouchedBy reads what a run of journal entries changed. ACH matrices and
// rows and interchange data change no finding.
func TouchedBy(entries ...*workspace.Entry) Touched {
	var t Touched
	seenCard, seenSource, seenAcc := map[string]bool{}, map[string]bool{}, map[string]bool{}
	card := func(id string) {
		if id != "" && !seenCard[id] {
			seenCard[id] = true
			t.Cards = append(t.Cards, id)
		}
	}
	for _, e := range entries {
		if e == nil {
			continue
		}
		for _, c := range e.Changes {
			switch c.RecordKind {
			case workspace.RecCard:
				card(c.ID)
			case workspace.RecAnnotation:
				id, err := cardOf(c)
				if err != nil {
					t.Whole = true
					continue
				}
				card(id)
			case workspace.RecAcceptance:
				id, err := cardOf(c)
				if err != nil {
					t.Whole = true
					continue
				}
				if !seenAcc[id] {
					seenAcc[id] = true
					t.Accepted = append(t.Accepted, id)
				}
			case workspace.RecSource:
				if !seenSource[c.ID] {
					seenSource[c.ID] = true
					t.Sources = append(t.Sources, c.ID)
				}
			case workspace.RecACH, workspace.RecACHRow, workspace.RecExtra:
			default:
				t.Whole = true
			}
		}
	}
	return t
}

// cardOf reads the card an annotation's or acceptance's change concerns.
func cardOf(c workspace.Change) (string, error) {
	raw := c.After
	if len(raw) == 0 {
		raw = c.Before
	}
	var a struct {
		Card string `json:"card"`
	}
	if err := json.Unmarshal(raw, &a); err != nil || a.Card == "" {
		return "", fmt.Errorf("%s %s names no card", c.RecordKind, c.ID)
	}
	return a.Card, nil
}

// Affected lists the cards whose findings can differ between two
// snapshots when the cards and sources named changed between them: those
// cards; the key judgments they support, before and after (a judgment's
// sources include its supporters'); the cards that support a changed key
// judgment, before and after (their findings name it); and the cards that
// cite a changed source, before or after, with the judgments those
// support.
func Affected(old, cur *workspace.Snapshot, cards, sources []string) []string {
	set := map[string]bool{}
	var out []string
	add := func(id string) {
		if !set[id] {
			set[id] = true
			out = append(out, id)
		}
	}
	snaps := []*workspace.Snapshot{old, cur}
	supports := func(c *workspace.Card) {
		for _, l := range c.Links {
			if l.Type == workspace.LinkSupports {
				add(l.To)
			}
		}
	}
	changed := func(id string) {
		add(id)
		for _, s := range snaps {
			if c := s.Cards[id]; c != nil {
				supports(c)
			}
		}
	}
	for _, id := range cards {
		changed(id)
	}
	if len(sources) > 0 {
		src := make(map[string]bool, len(sources))
		for _, id := range sources {
			src[id] = true
		}
		for _, s := range snaps {
			for _, c := range s.Cards {
				for _, ci := range c.Citations {
					if src[ci.Source] {
						changed(c.ID)
						break
					}
				}
			}
		}
	}
	// The supporters of the key judgments among the changed cards.
	judgments := map[string]bool{}
	for _, id := range cards {
		for _, s := range snaps {
			if c := s.Cards[id]; c != nil && c.IsKeyJudgment() {
				judgments[id] = true
			}
		}
	}
	if len(judgments) > 0 {
		for _, s := range snaps {
			for _, c := range s.Cards {
				for _, l := range c.Links {
					if l.Type == workspace.LinkSupports && judgments[l.To] {
						add(c.ID)
					}
				}
			}
		}
	}
	return out
}

// Index holds the findings of a snapshot, split into open and accepted
// (as Split does) and grouped by rule, and brings them up to date as the
// workspace changes (Update), checking again only the cards a change can
// have touched.
type Index struct {
	snap *workspace.Snapshot
	opts Options
	// byCard holds each card's findings; open and accepted hold them by
	// rule (indexes into Rules), in the order of the brief.
	byCard         map[string][]*Finding
	open, accepted [][]*Finding
	// pos places each card of the brief in its order.
	pos map[string]int
}

// NewIndex checks a snapshot whole.
func NewIndex(snap *workspace.Snapshot, opts Options) (*Index, error) {
	x := &Index{opts: opts}
	if err := x.whole(snap); err != nil {
		return nil, err
	}
	return x, nil
}

func (x *Index) whole(snap *workspace.Snapshot) error {
	r, err := newRun(snap, x.opts, nil)
	if err != nil {
		return err
	}
	for _, c := range r.cards {
		r.card(c)
	}
	x.snap, x.pos = snap, r.pos
	x.byCard = map[string][]*Finding{}
	x.open, x.accepted = make([][]*Finding, len(Rules)), make([][]*Finding, len(Rules))
	fs := r.sorted()
	for i := range fs {
		f := x.split(&fs[i])
		x.byCard[f.Card] = append(x.byCard[f.Card], f)
		if f.Accepted != nil {
			x.accepted[ruleIndex[f.Rule]] = append(x.accepted[ruleIndex[f.Rule]], f)
		} else {
			x.open[ruleIndex[f.Rule]] = append(x.open[ruleIndex[f.Rule]], f)
		}
	}
	return nil
}

// split notes a finding's acceptance, when one holds in the index's
// snapshot.
func (x *Index) split(f *Finding) *Finding {
	f.Accepted = nil
	if a := x.snap.Accepted(f.Card, f.Rule); a != nil {
		f.Accepted = &Accepted{By: a.By, At: a.At, Reason: a.Reason}
	}
	return f
}

// Snapshot is the snapshot the findings are of.
func (x *Index) Snapshot() *workspace.Snapshot { return x.snap }

// Of returns the findings on a card, in the order of Rules.
func (x *Index) Of(card string) []*Finding { return x.byCard[card] }

// Open returns the open findings of a rule (by its place in Rules), in
// the order of the brief. The slice is the index's: do not change it.
func (x *Index) Open(rule int) []*Finding { return x.open[rule] }

// Accepted returns the accepted findings of a rule (by its place in
// Rules), in the order of the brief. The slice is the index's.
func (x *Index) Accepted(rule int) []*Finding { return x.accepted[rule] }

// Count counts the open findings, and the open errors among them.
func (x *Index) Count() (open, errors int) {
	for i, list := range x.open {
		open += len(list)
		if Rules[i].Severity == Error {
			errors += len(list)
		}
	}
	return open, errors
}

// Update brings the findings to cur, a later snapshot of the same
// workspace, given what changed since the index's snapshot (TouchedBy the
// entries between them). A whole change checks the workspace whole; so
// does a change of the brief's boards or lanes.
func (x *Index) Update(cur *workspace.Snapshot, t Touched) error {
	if t.Whole {
		return x.whole(cur)
	}
	ids := Affected(x.snap, cur, t.Cards, t.Sources)
	// A card whose acceptances changed is checked again too: its findings
	// move between open and accepted.
	ids = append(ids, t.Accepted...)
	if len(ids) == 0 {
		x.snap = cur
		return nil
	}
	// While no card came, went or moved, the cards keep their places.
	pos := x.pos
	for _, id := range t.Cards {
		o, c := x.snap.Cards[id], cur.Cards[id]
		if o == nil || c == nil || o.Board != c.Board || o.Lane != c.Lane || o.Order != c.Order {
			pos = nil
			break
		}
	}
	r, err := runCards(cur, x.opts, ids, pos)
	if err != nil {
		return err
	}
	gone := make(map[string]bool, len(ids))
	for _, id := range ids {
		gone[id] = true
		delete(x.byCard, id)
	}
	x.snap, x.pos = cur, r.pos
	fresh := r.sorted()
	open, accepted := make([][]*Finding, len(Rules)), make([][]*Finding, len(Rules))
	for i := range fresh {
		f := x.split(&fresh[i])
		x.byCard[f.Card] = append(x.byCard[f.Card], f)
		if f.Accepted != nil {
			accepted[ruleIndex[f.Rule]] = append(accepted[ruleIndex[f.Rule]], f)
		} else {
			open[ruleIndex[f.Rule]] = append(open[ruleIndex[f.Rule]], f)
		}
	}
	for i := range Rules {
		x.open[i] = x.merge(x.open[i], gone, open[i])
		x.accepted[i] = x.merge(x.accepted[i], gone, accepted[i])
	}
	return nil
}

// merge drops from list the findings of the cards gone and merges in
// fresh ones, both in the order of the brief. The cards left in list kept
// their order: any card that moved was checked again, so it is gone.
func (x *Index) merge(list []*Finding, gone map[string]bool, fresh []*Finding) []*Finding {
	out := make([]*Finding, 0, len(list)+len(fresh))
	k := 0
	for _, f := range list {
		if gone[f.Card] {
			continue
		}
		if k < len(fresh) {
			at := x.pos[f.Card]
			for k < len(fresh) && x.pos[fresh[k].Card] < at {
				out = append(out, fresh[k])
				k++
			}
		}
		out = append(out, f)
	}
	return append(out, fresh[k:]...)
}

// Findings returns every finding in Run's order (errors first, then rule
// by rule, then card by card in the order of the brief), each with its
// acceptance, as Split marks them.
func (x *Index) Findings() []Finding {
	out := []Finding{}
	for _, i := range ruleOrder {
		// Within a rule, open and accepted findings merge back into the
		// order of the brief.
		a, b := x.open[i], x.accepted[i]
		for len(a) > 0 || len(b) > 0 {
			if len(b) == 0 || (len(a) > 0 && x.pos[a[0].Card] < x.pos[b[0].Card]) {
				out = append(out, *a[0])
				a = a[1:]
			} else {
				out = append(out, *b[0])
				b = b[1:]
			}
		}
	}
	return out
}
