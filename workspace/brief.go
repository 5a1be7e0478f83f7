package workspace

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// RecordedBrief is a brief as it was issued: when, for which date, at
// which cap, on which boards and lanes, by whom, and a digest of what each
// card showed. The next brief says what changed since it (rounds.go).
//
// Its own marking is its cap, or for an uncapped brief the strictest
// marking it printed, so it is never below the text it holds as printed.
// Its effective marking also floors on the boards, lanes and cards its
// digest names (DESIGN.md 4a: a digest is at least as restricted as what
// it refers to): raising a card it names keeps the record out of outputs
// and share files capped below, as the card is. A comparison still names a
// card that rose above its output's cap as "removed", under the title its
// readers saw, and tells nothing of it now.
type RecordedBrief struct {
	Base
	// Recorded is when the brief was recorded: "last" is the latest.
	Recorded time.Time `json:"recorded"`
	// Date is the brief's "as of" date, YYYY-MM-DD.
	Date string `json:"date"`
	// Cap is the brief's --max-tlp; nil for an uncapped brief.
	Cap *TLP `json:"cap,omitempty"`
	// Boards are the boards the brief included, in its order.
	Boards []BriefBoard `json:"boards"`
	// Chosen is set when the boards were chosen (--boards); otherwise the
	// brief included every board there was.
	Chosen bool `json:"chosen,omitempty"`
	// Lanes are the lane names the brief was limited to; empty is every
	// lane.
	Lanes []string `json:"lanes,omitempty"`
	// Annotations is set when the brief printed the annotation threads.
	Annotations bool `json:"annotations,omitempty"`
	// By names who issued the brief.
	By string `json:"by,omitempty"`
	// Cards is the digest: what each card showed, in the brief's order.
	Cards []BriefCard `json:"cards"`
	// TLP is the record's own marking: the cap, or the strictest marking
	// the brief printed.
	TLP TLP `json:"tlp"`

	// refs holds the keys of floorKeys once the record is in a snapshot,
	// so the snapshot finds the briefs that name a changed record.
	refs map[string]bool
}

// BriefBoard is a board as a brief printed it.
type BriefBoard struct {
	ID    string    `json:"id"`
	Title string    `json:"title"`
	Role  BoardRole `json:"role,omitempty"`
}

// BriefCard is what one card showed in a brief: enough to say later what
// changed, and the title its readers saw.
type BriefCard struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Board      string `json:"board"`
	BoardTitle string `json:"boardTitle"`
	Lane       string `json:"lane"`
	LaneName   string `json:"laneName"`
	// Positions holds each party's stance, by party id.
	Positions  map[string]Stance `json:"positions,omitempty"`
	Likelihood Likelihood        `json:"likelihood,omitempty"`
	Confidence Confidence        `json:"confidence,omitempty"`
	// TLP is the card's effective marking as printed.
	TLP TLP `json:"tlp"`
	// Body is a hash of the card's body (BodyHash); empty for no body.
	Body string `json:"body,omitempty"`
	// Open holds the marking, as printed, of each open annotation the
	// brief printed on the card: a comparison at a cap counts those at or
	// below it.
	Open []TLP `json:"open,omitempty"`
}

// Limits of a recorded brief.
const (
	// MaxBriefCards bounds a brief's digest.
	MaxBriefCards = 200_000
	// MaxBriefBoards bounds the boards a brief names.
	MaxBriefBoards = 10_000
)

// Validate checks a recorded brief: its fields, and that its marking is
// at least as strict as every card it holds and, when capped, that no card
// is above the cap.
func (rb *RecordedBrief) Validate() error {
	if err := checkID("id", "Recorded brief id", rb.ID); err != nil {
		return err
	}
	if rb.Recorded.IsZero() {
		return invalid("recorded", "a recorded brief needs the time it was recorded")
	}
	if _, err := time.Parse("2006-01-02", rb.Date); err != nil {
		return invalid("date", "the brief's date %s is not YYYY-MM-DD", jsonString(rb.Date))
	}
	if err := checkTLP("tlp", rb.TLP); err != nil {
		return err
	}
	if rb.Cap != nil {
		if err := checkTLP("cap", *rb.Cap); err != nil {
			return err
		}
		if rb.TLP < *rb.Cap {
			return invalid("tlp", "a brief capped at %s is marked %s, below its cap", *rb.Cap, rb.TLP)
		}
	}
	if len(rb.Boards) > MaxBriefBoards {
		return invalid("boards", "a recorded brief names at most %d boards", MaxBriefBoards)
	}
	for _, b := range rb.Boards {
		if err := checkID("boards", "Board id", b.ID); err != nil {
			return err
		}
		if err := checkText("boards", "A board title", b.Title, MaxTitle, false); err != nil {
			return err
		}
		if !b.Role.Valid() {
			return invalid("boards", "board role %s is not pillar or background", jsonString(string(b.Role)))
		}
	}
	for _, l := range rb.Lanes {
		if err := checkText("lanes", "A lane name", l, MaxName, true); err != nil {
			return err
		}
	}
	if err := checkText("by", "Who issued the brief", rb.By, MaxName, false); err != nil {
		return err
	}
	if len(rb.Cards) > MaxBriefCards {
		return invalid("cards", "a recorded brief holds at most %d cards", MaxBriefCards)
	}
	seen := make(map[string]bool, len(rb.Cards))
	for i := range rb.Cards {
		c := &rb.Cards[i]
		if seen[c.ID] {
			return invalid("cards", "card %s is in the digest twice", c.ID)
		}
		seen[c.ID] = true
		if err := c.validate(); err != nil {
			return err
		}
		// The record is at least as restricted as what it holds, and a
		// capped brief printed nothing above its cap.
		if t := c.printedAt(); t > rb.TLP {
			return invalid("tlp", "the brief is marked %s but holds a card printed at %s", rb.TLP, t)
		}
		if t := c.printedAt(); rb.Cap != nil && t > *rb.Cap {
			return invalid("cards", "a brief capped at %s holds a card printed at %s", *rb.Cap, t)
		}
	}
	return nil
}

func (c *BriefCard) validate() error {
	for _, id := range []string{c.ID, c.Board, c.Lane} {
		if err := checkID("cards", "A digest's id", id); err != nil {
			return err
		}
	}
	if err := checkText("cards", "A card title", c.Title, MaxTitle, true); err != nil {
		return err
	}
	if err := checkText("cards", "A board title", c.BoardTitle, MaxTitle, false); err != nil {
		return err
	}
	if err := checkText("cards", "A lane name", c.LaneName, MaxName, false); err != nil {
		return err
	}
	for party, st := range c.Positions {
		if err := checkID("cards", "Party id", party); err != nil {
			return err
		}
		if !enumCheck(st, Stances) {
			return invalid("cards", "stance %s is not a stance", jsonString(string(st)))
		}
	}
	if c.Likelihood != LikelihoodNone && !enumCheck(c.Likelihood, Likelihoods) {
		return invalid("cards", "likelihood %s is not an ICD 203 term", jsonString(string(c.Likelihood)))
	}
	if c.Confidence != ConfidenceNone && !enumCheck(c.Confidence, Confidences) {
		return invalid("cards", "confidence %s is not low, moderate or high", jsonString(string(c.Confidence)))
	}
	if err := checkTLP("cards", c.TLP); err != nil {
		return err
	}
	if len(c.Body) > 64 || strings.Trim(c.Body, "0123456789abcdef") != "" {
		return invalid("cards", "a digest's body hash %s is not a hash", jsonString(c.Body))
	}
	for _, t := range c.Open {
		if err := checkTLP("cards", t); err != nil {
			return err
		}
	}
	return nil
}

// printedAt is the strictest marking a digest card holds: its own and
// that of its open annotations.
func (c *BriefCard) printedAt() TLP {
	t := c.TLP
	for _, a := range c.Open {
		t = max(t, a)
	}
	return t
}

// openAt counts a digest card's open annotations at or below cap.
func (c *BriefCard) openAt(cap *TLP) int {
	n := 0
	for _, t := range c.Open {
		if Allows(cap, t) {
			n++
		}
	}
	return n
}

// floorKeys lists the keys of the boards, lanes and cards the brief names:
// its floors.
func (rb *RecordedBrief) floorKeys() []string {
	seen := make(map[string]bool, len(rb.Boards)+2*len(rb.Cards))
	var out []string
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, b := range rb.Boards {
		add(string(boardKey(b.ID)))
	}
	for i := range rb.Cards {
		c := &rb.Cards[i]
		add(string(boardKey(c.Board)))
		add(string(laneKey(c.Lane)))
		add(string(cardKey(c.ID)))
	}
	return out
}

// Title names a recorded brief for people: "Brief of 2025-12-29".
func (rb *RecordedBrief) Title() string { return "Brief of " + rb.Date }

// Uncapped reports whether the brief was issued without a cap.
func (rb *RecordedBrief) Uncapped() bool { return rb.Cap == nil }

// SameCap reports whether two caps are the same: both none, or the same
// level. Briefs follow the latest brief of the same cap, whose readers
// saw what they saw.
func SameCap(a, b *TLP) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// Brief returns a recorded brief, deleted or not.
func (tx *Tx) Brief(id string) (*RecordedBrief, error) {
	var rb RecordedBrief
	if err := tx.get([]byte(prefixBrief+id), &rb); err != nil {
		return nil, fmt.Errorf("recorded brief %s: %w", id, ErrNotFound)
	}
	return &rb, nil
}

// PutBrief creates or updates a recorded brief.
func (tx *Tx) PutBrief(rb *RecordedBrief) error {
	old, err := tx.Brief(rb.ID)
	if err != nil {
		old = nil
	}
	return tx.put(nilIfNil(old), rb)
}

// RecordBrief records an issued brief in one action (undo takes it back).
// A brief without an id gets one; its Recorded time is the action's.
func (s *Store) RecordBrief(rb *RecordedBrief) error {
	_, err := s.Do("Record brief of "+rb.Date, func(tx *Tx) error {
		if rb.ID == "" {
			rb.ID = NewID()
		} else if old, err := tx.Brief(rb.ID); err == nil && !old.Deleted {
			return invalid("id", "a brief %s is already recorded", rb.ID)
		}
		rb.Recorded = tx.At()
		rb.Deleted = false
		return tx.PutBrief(rb)
	})
	return err
}

// DeleteBrief deletes a recorded brief in one action; the next brief then
// follows the one recorded before it.
func (s *Store) DeleteBrief(id string) error {
	_, err := s.Do("Delete recorded brief", func(tx *Tx) error {
		rb, err := tx.Brief(id)
		if err != nil || rb.Deleted {
			return fmt.Errorf("recorded brief %q: %w", id, ErrNotFound)
		}
		rb.Deleted = true
		return tx.PutBrief(rb)
	})
	return err
}

// putBrief files a recorded brief in a snapshot, keeping Briefs newest
// first; it reports whether r was one. A new list each time: a snapshot
// Apply made from shares the old one.
func (s *Snapshot) putBrief(r Record) bool {
	x, ok := r.(*RecordedBrief)
	if !ok {
		return false
	}
	list := s.Briefs[:0:0]
	for _, o := range s.Briefs {
		if o.ID != x.ID {
			list = append(list, o)
		}
	}
	key := KeyOf(x)
	if x.Deleted {
		delete(s.records, key)
		s.Briefs = list
		return true
	}
	if x.refs == nil {
		x.refs = map[string]bool{}
		for _, k := range x.floorKeys() {
			x.refs[k] = true
		}
	}
	i := sort.Search(len(list), func(i int) bool { return briefBefore(x, list[i]) })
	s.Briefs = append(list[:i:i], append([]*RecordedBrief{x}, list[i:]...)...)
	s.records[key] = x
	return true
}

// briefBefore is the order of Snapshot.Briefs: the latest recorded first,
// then by id.
func briefBefore(a, b *RecordedBrief) bool {
	if !a.Recorded.Equal(b.Recorded) {
		return a.Recorded.After(b.Recorded)
	}
	return a.ID < b.ID
}

// briefsOn lists the keys of the live briefs that name the record under
// key: those whose marking floors on it.
func (s *Snapshot) briefsOn(key string) []string {
	var out []string
	for _, rb := range s.Briefs {
		if rb.refs[key] {
			out = append(out, KeyOf(rb))
		}
	}
	return out
}

// Brief returns a live recorded brief by id, or nil.
func (s *Snapshot) Brief(id string) *RecordedBrief {
	for _, rb := range s.Briefs {
		if rb.ID == id {
			return rb
		}
	}
	return nil
}

// LastBrief returns the brief the next brief at cap follows: the live
// brief recorded last (by recording time, not its date) with the same cap,
// or nil when there is none. No cap is a cap of its own.
func (s *Snapshot) LastBrief(cap *TLP) *RecordedBrief {
	for _, rb := range s.Briefs {
		if SameCap(rb.Cap, cap) {
			return rb
		}
	}
	return nil
}
