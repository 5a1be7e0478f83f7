package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Round to round (DESIGN.md 5): a brief is recorded with a digest of what
// each card showed, and the next brief says what changed since, card by
// card, relative to what its readers saw. The rule lives here, once; the
// command line, the brief and the window read its result.

// BriefSpec says what a brief includes and who issues it: what its record
// keeps and what a comparison looks at.
type BriefSpec struct {
	// Date is the brief's "as of" date.
	Date time.Time
	// Cap is the brief's --max-tlp; nil includes everything.
	Cap *TLP
	// Boards are the chosen boards by id or title, lanes by name; empty
	// chooses everything.
	Boards []string
	Lanes  []string
	// NoAnnotations leaves the annotation threads out.
	NoAnnotations bool
	// By names who issues the brief.
	By string
	// Label is the strictest marking the brief printed, when the writer
	// knows it (it may print more than the digest holds); the record of
	// an uncapped brief is marked with it, and never below what its
	// digest holds.
	Label TLP
}

// ChangeKind says how a card changed since a brief.
type ChangeKind string

// The kinds of change, in the order a card's changes are listed.
const (
	ChangeAdded    ChangeKind = "added"
	ChangeRemoved  ChangeKind = "removed"
	ChangeMoved    ChangeKind = "moved"
	ChangePosition ChangeKind = "position"
	ChangeJudgment ChangeKind = "judgment"
	ChangeEdited   ChangeKind = "edited"
	ChangeMarking  ChangeKind = "marking"
)

// CardChange is one change of one card since a brief. From and To are the
// words list --json writes (stances, likelihoods, TLP levels), lane names
// and board titles, or titles.
type CardChange struct {
	Card string
	// Title is the card's title now; for a removed card, the title its
	// readers saw.
	Title  string
	Change ChangeKind
	// Field is what changed: "board" or "lane" (moved), "stance"
	// (position), "likelihood" or "confidence" (judgment), "title",
	// "body" or "annotations" (edited: the count of open annotations),
	// "tlp" (marking); empty for added and removed.
	Field string
	// Party is the party whose stance changed, by id.
	Party    string
	From, To string
	// FromLane and ToLane are the lanes of a move between boards, of an
	// added card (To is its board) and of a removed one (From is the
	// board it was on).
	FromLane, ToLane string
	// TLP is the strictest marking of what the change prints: the
	// baseline's values at their marking then, the card's now.
	TLP TLP
}

// MovedToAgreed reports whether the change is a move into a lane named
// Agreed: the news a brief gives first.
func (c CardChange) MovedToAgreed() bool {
	if c.Change != ChangeMoved {
		return false
	}
	lane := c.To
	if c.Field == "board" {
		lane = c.ToLane
	}
	return IsAgreedLane(lane)
}

// IsAgreedLane reports whether a lane's name is the negotiators' Agreed.
func IsAgreedLane(name string) bool { return strings.EqualFold(strings.TrimSpace(name), "Agreed") }

// Baseline is what a brief is compared with: a recorded brief, or the
// workspace as it was at a time, each seen through the cap of the output.
type Baseline struct {
	// Brief is the recorded brief compared with; nil for a time.
	Brief *RecordedBrief
	// At is the time compared with when Brief is nil.
	At time.Time
	// Cards is what the baseline showed.
	Cards       []BriefCard
	annotations bool
}

// BriefBaseline is a recorded brief as a baseline.
func BriefBaseline(rb *RecordedBrief) *Baseline {
	return &Baseline{Brief: rb, Cards: rb.Cards, annotations: rb.Annotations}
}

// Changes lists what changed since a baseline, card by card, in the order
// of the brief now, then the cards no longer in it in the baseline's order.
type Changes struct {
	Since *Baseline
	List  []CardChange
	// TLP is the strictest marking of what List prints.
	TLP    TLP
	byCard map[string][]int
}

// Of returns the changes of one card.
func (ch *Changes) Of(card string) []CardChange {
	if ch == nil {
		return nil
	}
	var out []CardChange
	for _, i := range ch.byCard[card] {
		out = append(out, ch.List[i])
	}
	return out
}

// Changed reports whether a card changed since the baseline.
func (ch *Changes) Changed(card string) bool { return ch != nil && len(ch.byCard[card]) > 0 }

// BodyHash is the digest of a card's body: empty for no body.
func BodyHash(body string) string {
	if body == "" {
		return ""
	}
	h := sha256.Sum256([]byte(body))
	return hex.EncodeToString(h[:16])
}

// NewBrief works out the record of a brief of the snapshot as spec
// describes it, without storing it (Store.RecordBrief does): the digest of
// every card the brief prints, at the cap. The boards and lanes are
// resolved as a brief resolves them: a name that matches nothing is an
// error.
func (s *Snapshot) NewBrief(spec BriefSpec) (*RecordedBrief, error) {
	capped, err := s.Capped(spec.Cap)
	if err != nil {
		return nil, err
	}
	sc, err := capped.BriefScope(spec.Boards, spec.Lanes)
	if err != nil {
		return nil, err
	}
	date := spec.Date
	if date.IsZero() {
		date = time.Now()
	}
	rb := &RecordedBrief{Date: date.Format("2006-01-02"), By: strings.TrimSpace(spec.By), Annotations: !spec.NoAnnotations}
	if spec.Cap != nil {
		c := *spec.Cap
		rb.Cap = &c
	}
	for _, b := range spec.Boards {
		if strings.TrimSpace(b) != "" {
			rb.Chosen = true
		}
	}
	for _, l := range spec.Lanes {
		if l = strings.TrimSpace(l); l != "" {
			rb.Lanes = append(rb.Lanes, l)
		}
	}
	for _, b := range sc.Boards {
		rb.Boards = append(rb.Boards, BriefBoard{ID: b.ID, Title: b.Title, Role: b.Role})
	}
	rb.Cards = capped.digest(sc, rb.Annotations)
	if spec.Cap != nil {
		rb.TLP = *spec.Cap
	} else {
		rb.TLP = max(spec.Label, capped.printedMarking(sc, rb.Annotations))
	}
	return rb, nil
}

// digest lists what each card of the scope shows, in the brief's order.
func (s *Snapshot) digest(sc *BriefScope, annotations bool) []BriefCard {
	out := make([]BriefCard, 0, len(s.Cards))
	for _, bd := range sc.Boards {
		for _, l := range s.Lanes[bd.ID] {
			if !sc.IncludesLane(l) {
				continue
			}
			for _, c := range s.LaneCards[l.ID] {
				d := BriefCard{ID: c.ID, Title: c.Title, Board: bd.ID, BoardTitle: bd.Title, Lane: l.ID, LaneName: l.Name,
					Likelihood: c.Likelihood, Confidence: c.Confidence, TLP: s.markOf(prefixCard+c.ID, c), Body: BodyHash(c.Body)}
				if len(c.Positions) > 0 {
					d.Positions = make(map[string]Stance, len(c.Positions))
					for p, pos := range c.Positions {
						d.Positions[p] = pos.Stance
					}
				}
				if annotations {
					for _, a := range s.Annotations[c.ID] {
						if !a.Resolved {
							d.Open = append(d.Open, s.markOf(prefixAnn+a.Card+"/"+a.ID, a))
						}
					}
				}
				out = append(out, d)
			}
		}
	}
	return out
}

// markOf is the effective marking of a record of the snapshot under key:
// Marking without working the key out again.
func (s *Snapshot) markOf(key string, r Record) TLP {
	if t, ok := s.marks[key]; ok {
		return t
	}
	return s.Marking(r)
}

// printedMarking is the strictest marking of what a brief of the scope
// prints: the header, the boards and lanes, the cards, the sources they
// cite and the annotations.
func (s *Snapshot) printedMarking(sc *BriefScope, annotations bool) TLP {
	t := s.Marking(&s.Meta)
	for _, bd := range sc.Boards {
		t = max(t, s.Marking(bd))
		for _, l := range s.Lanes[bd.ID] {
			if !sc.IncludesLane(l) {
				continue
			}
			t = max(t, s.Marking(l))
			for _, c := range s.LaneCards[l.ID] {
				t = max(t, s.Marking(c))
				for _, ci := range c.Citations {
					if src := s.SourceByID[ci.Source]; src != nil {
						t = max(t, s.Marking(src))
					}
				}
				if annotations {
					for _, a := range s.Annotations[c.ID] {
						t = max(t, s.Marking(a))
					}
				}
			}
		}
	}
	return t
}

// scopeOf resolves a brief's boards and lanes leniently: boards by id or
// title and lanes by name, leaving out those the snapshot does not have
// (a baseline's board deleted since, a board that did not exist yet).
func (s *Snapshot) scopeOf(spec BriefSpec) *BriefScope {
	sc := &BriefScope{Boards: s.Boards}
	chosen := map[string]bool{}
	for _, want := range spec.Boards {
		if bd := s.FindBoard(want); bd != nil {
			chosen[bd.ID] = true
		} else if strings.TrimSpace(want) != "" {
			chosen["\x00"] = true // chose boards, none of them here
		}
	}
	if len(chosen) > 0 {
		sc.Boards = nil
		for _, bd := range s.Boards {
			if chosen[bd.ID] {
				sc.Boards = append(sc.Boards, bd)
			}
		}
	}
	for _, l := range spec.Lanes {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			if sc.lanes == nil {
				sc.lanes = map[string]bool{}
			}
			sc.lanes[l] = true
		}
	}
	return sc
}

// Spec returns the scope of a recorded brief as a spec at cap: what a
// comparison with it looks at now when no other brief is being made.
func (rb *RecordedBrief) Spec(cap *TLP) BriefSpec {
	spec := BriefSpec{Cap: cap, Lanes: rb.Lanes, NoAnnotations: !rb.Annotations}
	if rb.Chosen {
		for _, b := range rb.Boards {
			spec.Boards = append(spec.Boards, b.ID)
		}
	}
	return spec
}

// ChangesSince works out what changed since a baseline in a brief of the
// snapshot as spec describes it (boards and lanes resolved leniently, as
// for a baseline's own). Only baseline cards at or below the cap are
// compared; a card above the cap now is "removed" under the title its
// readers saw, and nothing of it now is told.
func (s *Snapshot) ChangesSince(base *Baseline, spec BriefSpec) (*Changes, error) {
	if base == nil {
		return nil, fmt.Errorf("changes since: no baseline")
	}
	capped, err := s.Capped(spec.Cap)
	if err != nil {
		return nil, err
	}
	now := capped.digest(capped.scopeOf(spec), !spec.NoAnnotations)
	return compareDigests(base, now, !spec.NoAnnotations, spec.Cap, s.Meta.Parties), nil
}

// compareDigests lists every difference between the baseline's cards at or
// below the cap and the cards now, each once.
func compareDigests(base *Baseline, now []BriefCard, nowAnnotations bool, cap *TLP, parties []Party) *Changes {
	ch := &Changes{Since: base, byCard: map[string][]int{}}
	was := make(map[string]*BriefCard, len(base.Cards))
	for i := range base.Cards {
		if c := &base.Cards[i]; Allows(cap, c.TLP) {
			was[c.ID] = c
		}
	}
	partyRank := map[string]int{}
	for i, p := range parties {
		partyRank[p.ID] = i
	}
	add := func(c CardChange) {
		ch.byCard[c.Card] = append(ch.byCard[c.Card], len(ch.List))
		ch.List = append(ch.List, c)
		ch.TLP = max(ch.TLP, c.TLP)
	}
	present := make(map[string]bool, len(now))
	for i := range now {
		n := &now[i]
		present[n.ID] = true
		b := was[n.ID]
		if b == nil {
			add(CardChange{Card: n.ID, Title: n.Title, Change: ChangeAdded, To: n.BoardTitle, ToLane: n.LaneName, TLP: n.TLP})
			continue
		}
		both := max(b.TLP, n.TLP)
		one := func(kind ChangeKind, field, from, to string) {
			add(CardChange{Card: n.ID, Title: n.Title, Change: kind, Field: field, From: from, To: to, TLP: both})
		}
		switch {
		case b.Board != n.Board:
			add(CardChange{Card: n.ID, Title: n.Title, Change: ChangeMoved, Field: "board", From: b.BoardTitle, To: n.BoardTitle,
				FromLane: b.LaneName, ToLane: n.LaneName, TLP: both})
		case b.Lane != n.Lane:
			one(ChangeMoved, "lane", b.LaneName, n.LaneName)
		}
		if !sameStances(b.Positions, n.Positions) {
			for _, p := range stanceParties(b.Positions, n.Positions, partyRank) {
				if b.Positions[p] != n.Positions[p] {
					add(CardChange{Card: n.ID, Title: n.Title, Change: ChangePosition, Field: "stance", Party: p,
						From: string(b.Positions[p]), To: string(n.Positions[p]), TLP: both})
				}
			}
		}
		if b.Likelihood != n.Likelihood {
			one(ChangeJudgment, "likelihood", string(b.Likelihood), string(n.Likelihood))
		}
		if b.Confidence != n.Confidence {
			one(ChangeJudgment, "confidence", string(b.Confidence), string(n.Confidence))
		}
		if b.Title != n.Title {
			one(ChangeEdited, "title", b.Title, n.Title)
		}
		if b.Body != n.Body {
			one(ChangeEdited, "body", "", "")
		}
		if was, is := b.openAt(cap), n.openAt(cap); base.annotations && nowAnnotations && was != is {
			one(ChangeEdited, "annotations", strconv.Itoa(was), strconv.Itoa(is))
		}
		if b.TLP != n.TLP {
			one(ChangeMarking, "tlp", b.TLP.Word(), n.TLP.Word())
		}
	}
	for i := range base.Cards {
		b := &base.Cards[i]
		if was[b.ID] == b && !present[b.ID] {
			add(CardChange{Card: b.ID, Title: b.Title, Change: ChangeRemoved, From: b.BoardTitle, FromLane: b.LaneName, TLP: b.TLP})
		}
	}
	return ch
}

// sameStances reports whether two cards' stances are the same.
func sameStances(a, b map[string]Stance) bool {
	if len(a) != len(b) {
		return false
	}
	for p, st := range a {
		if o, ok := b[p]; !ok || o != st {
			return false
		}
	}
	return true
}

// stanceParties lists the parties with a stance on either side, the
// workspace's parties in their order first, then others by id.
func stanceParties(a, b map[string]Stance, rank map[string]int) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]Stance{a, b} {
		for p := range m {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ri, oki := rank[out[i]]
		rj, okj := rank[out[j]]
		switch {
		case oki && okj:
			return ri < rj
		case oki != okj:
			return oki
		}
		return out[i] < out[j]
	})
	return out
}
