package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

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
	// Conflicts counts records with unresolved merge conflicts.
	Conflicts int

	// records holds every record by key, with the tombstones of boards,
	// lanes and sources (their markings still floor what shows their
	// text); marks holds the effective marking of each.
	records map[string]Record
	marks   map[string]TLP
}

// Snapshot reads the live workspace.
func (s *Store) Snapshot() (*Snapshot, error) {
	snap := &Snapshot{Replica: s.replica}
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	s.view.RLock()
	defer s.view.RUnlock()
	err := s.db.View(func(txn *badger.Txn) error { return loadSnapshot(txn, snap) })
	if err != nil {
		return nil, err
	}
	return snap, nil
}

func loadSnapshot(txn *badger.Txn, snap *Snapshot) error {
	if err := getJSON(txn, []byte(keyMeta), &snap.Meta); err != nil {
		return fmt.Errorf("workspace header: %w", err)
	}
	if err := getJSON(txn, []byte(keyProfile), &snap.Profile); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	snap.Lanes = map[string][]*Lane{}
	snap.LaneCards = map[string][]*Card{}
	snap.Cards = map[string]*Card{}
	snap.SourceByID = map[string]*Source{}
	snap.Annotations = map[string][]*Annotation{}
	snap.records = map[string]Record{keyMeta: &snap.Meta}
	count := func(b *Base) {
		if len(b.Conflicts) > 0 {
			snap.Conflicts++
		}
	}
	boards := map[string]*Board{}
	err := scan(txn, prefixBoard, func(v []byte) error {
		b, err := decode[Board](v)
		if err == nil {
			snap.records[KeyOf(b)] = b
		}
		if err == nil && !b.Deleted {
			snap.Boards = append(snap.Boards, b)
			boards[b.ID] = b
			count(&b.Base)
		}
		return err
	})
	if err != nil {
		return err
	}
	sortByOrder(snap.Boards, func(b *Board) (string, string) { return b.Order, b.ID })
	lanes := map[string]*Lane{}
	err = scan(txn, prefixLane, func(v []byte) error {
		l, err := decode[Lane](v)
		if err == nil {
			snap.records[KeyOf(l)] = l
		}
		if err == nil && !l.Deleted && boards[l.Board] != nil {
			snap.Lanes[l.Board] = append(snap.Lanes[l.Board], l)
			lanes[l.ID] = l
			count(&l.Base)
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, ls := range snap.Lanes {
		sortByOrder(ls, func(l *Lane) (string, string) { return l.Order, l.ID })
	}
	err = scan(txn, prefixCard, func(v []byte) error {
		c, err := decode[Card](v)
		if err != nil || c.Deleted {
			return err
		}
		snap.Cards[c.ID] = c
		snap.records[KeyOf(c)] = c
		count(&c.Base)
		switch {
		case boards[c.Board] == nil:
			snap.Stray = append(snap.Stray, c)
		case lanes[c.Lane] == nil || lanes[c.Lane].Board != c.Board:
			// Its lane was removed (by a concurrent edit): show it in the
			// board's first lane rather than lose it.
			if ls := snap.Lanes[c.Board]; len(ls) > 0 {
				snap.LaneCards[ls[0].ID] = append(snap.LaneCards[ls[0].ID], c)
			} else {
				snap.Stray = append(snap.Stray, c)
			}
		default:
			snap.LaneCards[c.Lane] = append(snap.LaneCards[c.Lane], c)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, cs := range snap.LaneCards {
		sortByOrder(cs, func(c *Card) (string, string) { return c.Order, c.ID })
	}
	sortByOrder(snap.Stray, func(c *Card) (string, string) { return c.Title, c.ID })
	err = scan(txn, prefixSource, func(v []byte) error {
		s, err := decode[Source](v)
		if err == nil {
			snap.records[KeyOf(s)] = s
		}
		if err == nil && !s.Deleted {
			snap.Sources = append(snap.Sources, s)
			snap.SourceByID[s.ID] = s
			count(&s.Base)
		}
		return err
	})
	if err != nil {
		return err
	}
	sort.SliceStable(snap.Sources, func(i, j int) bool {
		a, b := strings.ToLower(snap.Sources[i].Title), strings.ToLower(snap.Sources[j].Title)
		if a != b {
			return a < b
		}
		return snap.Sources[i].ID < snap.Sources[j].ID
	})
	err = scan(txn, prefixAnn, func(v []byte) error {
		a, err := decode[Annotation](v)
		if err == nil && !a.Deleted && snap.Cards[a.Card] != nil {
			snap.records[KeyOf(a)] = a
			snap.Annotations[a.Card] = append(snap.Annotations[a.Card], a)
			count(&a.Base)
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, as := range snap.Annotations {
		sort.SliceStable(as, func(i, j int) bool {
			if !as[i].At.Equal(as[j].At) {
				return as[i].At.Before(as[j].At)
			}
			return as[i].ID < as[j].ID
		})
	}
	count(&snap.Meta.Base)
	snap.workOutMarkings()
	return nil
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
	if err := json.Unmarshal(v, &r); err != nil {
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
