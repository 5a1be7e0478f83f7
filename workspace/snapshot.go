package workspace

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// Snapshot is the whole live workspace read at one moment: what a window
// shows and a brief prints. Deleted records are left out. It is a plain
// value: reading it never changes the store.
type Snapshot struct {
	Meta    Meta
	Profile Profile
	Replica string
	// Boards are the live boards in order.
	Boards []*Board
	// Lanes maps a board id to its live lanes in order.
	Lanes map[string][]*Lane
	// LaneCards maps a lane id to its live cards in order.
	LaneCards map[string][]*Card
	// Cards maps a card id to every live card.
	Cards map[string]*Card
	// Stray lists live cards whose board was deleted (by a colleague, say,
	// while this copy edited them): kept, never dropped.
	Stray []*Card
	// Sources lists live sources by title; SourceByID has the same.
	Sources    []*Source
	SourceByID map[string]*Source
	// Annotations maps a card id to its live annotations, oldest first.
	Annotations map[string][]*Annotation
	// Matrices lists the live ACH matrices, oldest first; Evidence maps a
	// matrix id to its live evidence rows on live cards, in the order the
	// cards became evidence.
	Matrices []*ACHMatrix
	// Acceptances maps a live card's id to its accepted findings, by rule
	// (see Accepted, which says whether one still holds).
	Acceptances map[string][]*Acceptance
	Evidence    map[string][]*ACHRow
	// Extras lists the live interchange data kept for exports, by id.
	Extras []*Extra
	// Briefs lists the live recorded briefs, the latest recorded first.
	Briefs []*RecordedBrief
	// Conflicts counts records with unresolved merge conflicts.
	Conflicts int

	// Seq is the journal sequence number of the last action the snapshot
	// holds: Apply takes the entries that follow it.
	Seq uint64

	// records holds every record by key: the header, every board, lane
	// and source with their tombstones (their markings still floor what
	// shows their text), the live cards, annotations and extras. marks
	// holds the effective marking of each. The rest index them for Apply.
	records    map[string]Record
	marks      map[string]TLP
	boardRecs  map[string]*Board
	laneRecs   map[string]*Lane
	sourceRecs map[string]*Source
	// annsOf holds the live annotations of every card, live or not, in
	// thread order; Annotations shows those of live cards.
	annsOf map[string][]*Annotation
	// accs holds the live acceptances by key, of live cards or not.
	accs map[string]*Acceptance
	// ach holds the matrices (tombstones too) and the live evidence rows
	// the ACH views are worked out from (ach_snapshot.go).
	ach achRecords
	// order places each live card for Search results: board, lane and
	// position; worked out when first needed.
	order     map[string]cardPlace
	orderOnce sync.Once
}

// Snapshot reads the live workspace.
func (s *Store) Snapshot() (*Snapshot, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	s.view.RLock()
	defer s.view.RUnlock()
	var snap *Snapshot
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		snap, err = loadSnapshot(txn, s.replica)
		return err
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// Headers reads what a listing of boards and cards shows: the live
// workspace as Snapshot reads it, but without annotations and with every
// card's Body empty. Neither raises a card's marking, so its markings are
// those of a full snapshot. Anything that prints or exports text, or
// counts what an output holds (MaxTLP), reads a Snapshot instead.
func (s *Store) Headers() (*Snapshot, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	s.view.RLock()
	defer s.view.RUnlock()
	var snap *Snapshot
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		snap, err = loadSnapshotOf(txn, s.replica, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// scan calls fn with the value of every key under prefix, in key order.
func scan(txn *badger.Txn, prefix string, fn func(v []byte) error) error {
	p := []byte(prefix)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: true, PrefetchSize: 100})
	defer it.Close()
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		item := it.Item()
		if err := item.Value(fn); err != nil {
			return fmt.Errorf("record %s: %w", item.Key(), err)
		}
	}
	return nil
}

// decode reads one stored record. The value is not kept.
func decode[T any](v []byte) (*T, error) {
	var r T
	if err := unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("damaged record: %w", err)
	}
	return &r, nil
}

// sortByOrder sorts records by order key, then id, so every copy shows
// the same order even when two keys are equal.
func sortByOrder[T any](list []*T, key func(*T) (string, string)) {
	sort.SliceStable(list, func(i, j int) bool {
		oi, ii := key(list[i])
		oj, ij := key(list[j])
		if oi != oj {
			return oi < oj
		}
		return ii < ij
	})
}

// Board returns a live board, or nil.
func (s *Snapshot) Board(id string) *Board {
	for _, b := range s.Boards {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// Lane returns a live lane of any board, or nil.
func (s *Snapshot) Lane(id string) *Lane {
	for _, ls := range s.Lanes {
		for _, l := range ls {
			if l.ID == id {
				return l
			}
		}
	}
	return nil
}

// LaneName returns the name of a card's lane as the snapshot shows it.
func (s *Snapshot) LaneName(c *Card) string {
	if l := s.Lane(c.Lane); l != nil && l.Board == c.Board {
		return l.Name
	}
	if ls := s.Lanes[c.Board]; len(ls) > 0 {
		return ls[0].Name
	}
	return ""
}

// BoardCards lists a board's cards lane by lane, in order.
func (s *Snapshot) BoardCards(board string) []*Card {
	var out []*Card
	for _, l := range s.Lanes[board] {
		out = append(out, s.LaneCards[l.ID]...)
	}
	return out
}

// FindBoard finds a live board by id or, ignoring case, by title.
func (s *Snapshot) FindBoard(idOrTitle string) *Board {
	if b := s.Board(idOrTitle); b != nil {
		return b
	}
	for _, b := range s.Boards {
		if strings.EqualFold(b.Title, strings.TrimSpace(idOrTitle)) {
			return b
		}
	}
	return nil
}

// Party returns a party of the workspace by id, or nil.
func (s *Snapshot) Party(id string) *Party {
	for i := range s.Meta.Parties {
		if s.Meta.Parties[i].ID == id {
			return &s.Meta.Parties[i]
		}
	}
	return nil
}

// OpenAnnotations counts a card's unresolved annotations.
func (s *Snapshot) OpenAnnotations(card string) int {
	n := 0
	for _, a := range s.Annotations[card] {
		if !a.Resolved {
			n++
		}
	}
	return n
}

// WeakestGrade returns the weakest Admiralty grade among the live sources a
// card cites (the highest letter, then the highest number), and false when
// it cites none.
func (s *Snapshot) WeakestGrade(c *Card) (Grade, bool) {
	var worst Grade
	found := false
	for _, ci := range c.Citations {
		src := s.SourceByID[ci.Source]
		if src == nil {
			continue
		}
		g := src.Grade
		if !found || gradeRank(g) > gradeRank(worst) {
			worst, found = g, true
		}
	}
	return worst, found
}

func gradeRank(g Grade) int {
	if g.IsZero() {
		return 100
	}
	return int(g.Reliability[0]-'A')*10 + int(g.Credibility)
}

// LinkRef is a link seen from its target: which card points here, and how.
type LinkRef struct {
	From string
	Type string
}

// Backlinks lists the live cards that link to a card, by id.
func (s *Snapshot) Backlinks(card string) []LinkRef {
	var out []LinkRef
	for _, c := range s.Cards {
		for _, l := range c.Links {
			if l.To == card {
				out = append(out, LinkRef{From: c.ID, Type: l.Type})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].Type < out[j].Type
	})
	return out
}
