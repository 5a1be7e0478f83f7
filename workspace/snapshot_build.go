package workspace

import (
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// A snapshot is built in two steps, both used by loading and by Apply:
// the records are gathered by kind (put), then the views a window and a
// brief read are worked out from them (build, or the parts Apply redoes).

// loadSnapshot reads every record of the workspace and builds the views.
func loadSnapshot(txn *badger.Txn, replica string) (*Snapshot, error) {
	return loadSnapshotOf(txn, replica, false)
}

// loadSnapshotOf reads the workspace; headers leaves out what a listing of
// cards does not show: annotations, and the bodies of cards.
func loadSnapshotOf(txn *badger.Txn, replica string, headers bool) (*Snapshot, error) {
	snap := newSnapshot(replica)
	if err := getJSON(txn, []byte(keyMeta), &snap.Meta); err != nil {
		return nil, fmt.Errorf("workspace header: %w", err)
	}
	if err := getJSON(txn, []byte(keyProfile), &snap.Profile); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	seq, err := getString(txn, keySeq)
	if err == nil {
		fmt.Sscan(seq, &snap.Seq)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	snap.records[keyMeta] = &snap.Meta
	// Every record first, so the maps are made at their size.
	var recs []Record
	in := newInterner()
	in.noBody = headers
	for _, spec := range recordKinds {
		if spec.single || headers && spec.kind == RecAnnotation {
			continue
		}
		err := scan(txn, spec.prefix, func(v []byte) error {
			r, err := decodeStoredWith(spec.kind, v, in)
			if err != nil {
				return err
			}
			if c, ok := r.(*Card); ok && headers {
				c.Body = ""
			}
			recs = append(recs, r)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	snap.records = make(map[string]Record, len(recs)+1)
	snap.records[keyMeta] = &snap.Meta
	snap.Cards = make(map[string]*Card, len(recs)/3)
	snap.annsOf = make(map[string][]*Annotation, len(recs)/3)
	for _, r := range recs {
		snap.put(r)
	}
	snap.build()
	return snap, nil
}

func newSnapshot(replica string) *Snapshot {
	return &Snapshot{
		Replica: replica, Lanes: map[string][]*Lane{}, LaneCards: map[string][]*Card{}, Cards: map[string]*Card{},
		SourceByID: map[string]*Source{}, Annotations: map[string][]*Annotation{},
		records: map[string]Record{}, boardRecs: map[string]*Board{}, laneRecs: map[string]*Lane{},
		sourceRecs: map[string]*Source{}, annsOf: map[string][]*Annotation{}, ach: newACHRecords(),
		accs: map[string]*Acceptance{},
	}
}

// put files one record under its kind; tombstones of cards,
// annotations, extras and recorded briefs are left out. It does not touch the views.
func (s *Snapshot) put(r Record) {
	if s.putBrief(r) {
		return
	}
	if s.putAcceptance(r) {
		return
	}
	if s.putACH(r) {
		return
	}
	key := KeyOf(r)
	switch x := r.(type) {
	case *Meta:
		s.Meta = *x
		s.records[keyMeta] = &s.Meta
		return
	case *Board:
		s.boardRecs[x.ID] = x
	case *Lane:
		s.laneRecs[x.ID] = x
	case *Source:
		s.sourceRecs[x.ID] = x
	case *Card:
		if x.Deleted {
			delete(s.records, key)
			delete(s.Cards, x.ID)
			return
		}
		s.Cards[x.ID] = x
	case *Annotation:
		list := s.annsOf[x.Card]
		for i, a := range list {
			if a.ID == x.ID {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if x.Deleted {
			delete(s.records, key)
			s.annsOf[x.Card] = list
			return
		}
		i := sort.Search(len(list), func(i int) bool { return annBefore(x, list[i]) })
		list = append(list[:i:i], append([]*Annotation{x}, list[i:]...)...)
		s.annsOf[x.Card] = list
	case *Extra:
		// A new list each time: a snapshot Apply made from shares it.
		list := s.Extras[:0:0]
		for _, o := range s.Extras {
			if o.ID != x.ID {
				list = append(list, o)
			}
		}
		if x.Deleted {
			delete(s.records, key)
			s.Extras = list
			return
		}
		i := sort.Search(len(list), func(i int) bool { return list[i].ID >= x.ID })
		s.Extras = append(list[:i:i], append([]*Extra{x}, list[i:]...)...)
	}
	s.records[key] = r
}

// annBefore is the order of a thread: oldest first, then by id.
func annBefore(a, b *Annotation) bool {
	if !a.At.Equal(b.At) {
		return a.At.Before(b.At)
	}
	return a.ID < b.ID
}

// build works out every view from the records.
func (s *Snapshot) build() {
	s.buildBoards()
	s.Lanes = map[string][]*Lane{}
	for _, b := range s.Boards {
		s.buildLanes(b.ID)
	}
	s.LaneCards = map[string][]*Card{}
	s.Stray = nil
	byBoard := map[string][]*Card{}
	for _, c := range s.Cards {
		byBoard[c.Board] = append(byBoard[c.Board], c)
	}
	for board, cs := range byBoard {
		s.placeCards(board, cs)
	}
	sortStray(s.Stray)
	s.buildSources()
	s.Annotations = map[string][]*Annotation{}
	for card, as := range s.annsOf {
		if s.Cards[card] != nil && len(as) > 0 {
			s.Annotations[card] = as
		}
	}
	s.buildACH()
	s.buildAcceptances()
	s.countConflicts()
	s.workOutMarkings()
}

func (s *Snapshot) buildBoards() {
	s.Boards = s.Boards[:0:0]
	for _, b := range s.boardRecs {
		if !b.Deleted {
			s.Boards = append(s.Boards, b)
		}
	}
	sortByOrder(s.Boards, func(b *Board) (string, string) { return b.Order, b.ID })
}

// buildLanes works out the live lanes of a live board.
func (s *Snapshot) buildLanes(board string) {
	var ls []*Lane
	for _, l := range s.laneRecs {
		if l.Board == board && !l.Deleted {
			ls = append(ls, l)
		}
	}
	sortByOrder(ls, func(l *Lane) (string, string) { return l.Order, l.ID })
	if len(ls) == 0 {
		delete(s.Lanes, board)
		return
	}
	s.Lanes[board] = ls
}

// placeOf is the lane a live card shows in: its own, or the first lane of
// its board when its lane was removed (by a concurrent edit), or "" when
// its board is gone or has no lanes (a stray card, kept, never dropped).
func (s *Snapshot) placeOf(c *Card) string {
	if b := s.boardRecs[c.Board]; b == nil || b.Deleted {
		return ""
	}
	if l := s.laneRecs[c.Lane]; l != nil && !l.Deleted && l.Board == c.Board {
		return c.Lane
	}
	if ls := s.Lanes[c.Board]; len(ls) > 0 {
		return ls[0].ID
	}
	return ""
}

// placeCards puts the cards of one board (all of them) into their lanes,
// or among the strays.
func (s *Snapshot) placeCards(board string, cs []*Card) {
	touched := map[string]bool{}
	for _, c := range cs {
		lane := s.placeOf(c)
		if lane == "" {
			s.Stray = append(s.Stray, c)
			continue
		}
		s.LaneCards[lane] = append(s.LaneCards[lane], c)
		touched[lane] = true
	}
	for lane := range touched {
		sortCards(s.LaneCards[lane])
	}
}

func sortCards(cs []*Card) { sortByOrder(cs, func(c *Card) (string, string) { return c.Order, c.ID }) }

func sortStray(cs []*Card) { sortByOrder(cs, func(c *Card) (string, string) { return c.Title, c.ID }) }

func (s *Snapshot) buildSources() {
	s.Sources = s.Sources[:0:0]
	s.SourceByID = map[string]*Source{}
	for _, src := range s.sourceRecs {
		if !src.Deleted {
			s.Sources = append(s.Sources, src)
			s.SourceByID[src.ID] = src
		}
	}
	sort.SliceStable(s.Sources, func(i, j int) bool { return sourceBefore(s.Sources[i], s.Sources[j]) })
}

func sourceBefore(a, b *Source) bool {
	x, y := strings.ToLower(a.Title), strings.ToLower(b.Title)
	if x != y {
		return x < y
	}
	return a.ID < b.ID
}

// countConflicts counts the records the snapshot shows that hold
// unresolved conflicts.
func (s *Snapshot) countConflicts() {
	n := 0
	count := func(b *Base) {
		if len(b.Conflicts) > 0 {
			n++
		}
	}
	count(&s.Meta.Base)
	for _, b := range s.Boards {
		count(&b.Base)
		for _, l := range s.Lanes[b.ID] {
			count(&l.Base)
		}
	}
	for _, c := range s.Cards {
		count(&c.Base)
	}
	for _, src := range s.Sources {
		count(&src.Base)
	}
	for _, as := range s.Annotations {
		for _, a := range as {
			count(&a.Base)
		}
	}
	for _, m := range s.Matrices {
		count(&m.Base)
		for _, r := range s.Evidence[m.ID] {
			count(&r.Base)
		}
	}
	for _, x := range s.Extras {
		count(&x.Base)
	}
	for _, as := range s.Acceptances {
		for _, a := range as {
			count(&a.Base)
		}
	}
	for _, rb := range s.Briefs {
		count(&rb.Base)
	}
	s.Conflicts = n
}

// clone copies the snapshot's maps (not the records, which are never
// changed in place), so Apply can change the copy while the original is
// read elsewhere.
func (s *Snapshot) clone() *Snapshot {
	out := &Snapshot{
		Meta: s.Meta, Profile: s.Profile, Replica: s.Replica, Seq: s.Seq, Conflicts: s.Conflicts,
		Boards: s.Boards, Stray: s.Stray, Sources: s.Sources, Extras: s.Extras, Briefs: s.Briefs,
		Lanes: maps.Clone(s.Lanes), LaneCards: maps.Clone(s.LaneCards), Cards: maps.Clone(s.Cards),
		SourceByID: s.SourceByID, Annotations: maps.Clone(s.Annotations),
		records: maps.Clone(s.records), marks: maps.Clone(s.marks), boardRecs: s.boardRecs,
		laneRecs: s.laneRecs, sourceRecs: s.sourceRecs, annsOf: maps.Clone(s.annsOf),
		Matrices: s.Matrices, Evidence: s.Evidence, ach: s.ach,
		Acceptances: s.Acceptances, accs: s.accs,
	}
	out.records[keyMeta] = &out.Meta
	return out
}
