package workspace

import (
	"errors"
	"fmt"
	"maps"
	"sort"
)

// ErrSnapshotGap says the entries given to Apply do not follow the
// snapshot: some action came between. Read a fresh snapshot instead.
var ErrSnapshotGap = errors.New("the journal entries do not follow the snapshot")

// Apply returns the snapshot as it is after the given journal entries
// (which must follow it, in order), working from the records each entry
// changed instead of reading the workspace again: a colleague's ten
// changed cards cost ten cards of work. The snapshot itself is not
// changed; the new one shares the records that did not change. A gap in
// the sequence is ErrSnapshotGap.
func (s *Snapshot) Apply(entries ...*Entry) (*Snapshot, error) {
	if len(entries) == 0 {
		return s, nil
	}
	out := s.clone()
	seq := s.Seq
	for _, e := range entries {
		if e == nil {
			continue
		}
		if e.Seq != seq+1 {
			return nil, fmt.Errorf("%w: entry %d after %d", ErrSnapshotGap, e.Seq, seq)
		}
		seq = e.Seq
		if err := out.applyEntry(e); err != nil {
			return nil, fmt.Errorf("apply journal entry %d: %w", e.Seq, err)
		}
	}
	out.Seq = seq
	return out, nil
}

// applyEntry puts an entry's records and redoes the views they touch.
func (s *Snapshot) applyEntry(e *Entry) error {
	var (
		recs         []Record
		boards       = map[string]bool{} // boards whose lanes or cards need placing anew
		structure    bool                // a board or lane changed
		sources      bool
		annCards     = map[string]bool{}
		cardChanges  []*Card
		oldPlaces    = map[string]string{}
		clonedBoards bool
		clonedLanes  bool
		clonedSrcs   bool
		achChanged   bool
		clonedACH    bool
		accsChanged  bool
	)
	for i := range e.Changes {
		c := &e.Changes[i]
		r := decodeOrNil(c.RecordKind, c.After)
		if r == nil {
			return fmt.Errorf("record %s in the journal is unreadable", c.Key)
		}
		recs = append(recs, r)
		switch x := r.(type) {
		case *Board:
			if !clonedBoards {
				s.boardRecs, clonedBoards = maps.Clone(s.boardRecs), true
			}
			structure = true
			boards[x.ID] = true
		case *Lane:
			if !clonedLanes {
				s.laneRecs, clonedLanes = maps.Clone(s.laneRecs), true
			}
			structure = true
			boards[x.Board] = true
			if old := s.laneRecs[x.ID]; old != nil {
				boards[old.Board] = true
			}
		case *Source:
			if !clonedSrcs {
				s.sourceRecs, clonedSrcs = maps.Clone(s.sourceRecs), true
			}
			sources = true
		case *Card:
			if old := s.Cards[x.ID]; old != nil {
				if _, ok := oldPlaces[x.ID]; !ok {
					oldPlaces[x.ID] = s.placeOf(old)
				}
			} else if _, ok := oldPlaces[x.ID]; !ok {
				oldPlaces[x.ID] = "-"
			}
			cardChanges = append(cardChanges, x)
			annCards[x.ID] = true
		case *Annotation:
			annCards[x.Card] = true
		case *Acceptance:
			if !accsChanged {
				s.accs, accsChanged = cloneAccs(s.accs), true
			}
		case *ACHMatrix, *ACHRow:
			if !clonedACH {
				s.ach, clonedACH = s.ach.clone(), true
			}
			achChanged = true
		}
	}
	// Cards leave their old places before anything moves.
	for id, place := range oldPlaces {
		old := s.Cards[id]
		if old == nil || place == "-" {
			continue
		}
		s.unplace(old, place)
	}
	for _, r := range recs {
		s.put(r)
	}
	if structure {
		s.buildBoards()
		for b := range boards {
			s.buildLanes(b)
		}
		for _, b := range s.boardRecs {
			if b.Deleted {
				delete(s.Lanes, b.ID)
			}
		}
	}
	// Cards of a board whose lanes changed are placed anew, all of them;
	// the others go where they belong now.
	if len(boards) > 0 && structure {
		for b := range boards {
			for _, l := range s.laneRecs {
				if l.Board == b {
					delete(s.LaneCards, l.ID)
				}
			}
		}
		kept := s.Stray[:0:0]
		for _, c := range s.Stray {
			if !boards[c.Board] {
				kept = append(kept, c)
			}
		}
		s.Stray = kept
		byBoard := map[string][]*Card{}
		for _, c := range s.Cards {
			if boards[c.Board] {
				byBoard[c.Board] = append(byBoard[c.Board], c)
			}
		}
		for b, cs := range byBoard {
			s.placeCards(b, cs)
		}
		sortStray(s.Stray)
	}
	seen := map[string]bool{}
	for i := len(cardChanges) - 1; i >= 0; i-- {
		c := cardChanges[i]
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		if cur := s.Cards[c.ID]; cur != nil && !(structure && boards[cur.Board]) {
			s.place(cur)
		}
	}
	if sources {
		s.buildSources()
	}
	for card := range annCards {
		if as := s.annsOf[card]; s.Cards[card] != nil && len(as) > 0 {
			s.Annotations[card] = as
		} else {
			delete(s.Annotations, card)
		}
	}
	// A card that is evidence shows in its matrices while it lives.
	for _, c := range cardChanges {
		if len(s.ach.byCard[c.ID]) > 0 {
			achChanged = true
			break
		}
	}
	if achChanged {
		s.buildACH()
	}
	if accsChanged || len(cardChanges) > 0 {
		s.buildAcceptances()
	}
	s.countConflicts()
	s.updateMarkings(recs)
	return nil
}

// unplace takes a card out of the lane (or the strays) it showed in.
func (s *Snapshot) unplace(c *Card, place string) {
	if place == "" {
		s.Stray = without(s.Stray, c.ID)
		return
	}
	if list := without(s.LaneCards[place], c.ID); len(list) > 0 {
		s.LaneCards[place] = list
	} else {
		delete(s.LaneCards, place)
	}
}

// place puts a live card into its lane (or among the strays) in order.
func (s *Snapshot) place(c *Card) {
	lane := s.placeOf(c)
	if lane == "" {
		list := without(s.Stray, c.ID)
		i := sort.Search(len(list), func(i int) bool {
			o := list[i]
			return o.Title > c.Title || o.Title == c.Title && o.ID >= c.ID
		})
		s.Stray = insertAt(list, i, c)
		return
	}
	list := without(s.LaneCards[lane], c.ID)
	i := sort.Search(len(list), func(i int) bool {
		o := list[i]
		return o.Order > c.Order || o.Order == c.Order && o.ID >= c.ID
	})
	s.LaneCards[lane] = insertAt(list, i, c)
}

// without returns a copy of list without the card id (list itself is
// shared with other snapshots and never changed).
func without(list []*Card, id string) []*Card {
	for i, c := range list {
		if c.ID == id {
			out := make([]*Card, 0, len(list)-1)
			out = append(out, list[:i]...)
			return append(out, list[i+1:]...)
		}
	}
	return list
}

func insertAt(list []*Card, i int, c *Card) []*Card {
	out := make([]*Card, 0, len(list)+1)
	out = append(out, list[:i]...)
	out = append(out, c)
	return append(out, list[i:]...)
}

// updateMarkings works out again the effective markings of the changed
// records and of every record that has one of them among its floors,
// down the floors.
func (s *Snapshot) updateMarkings(changed []Record) {
	dirty := map[string]bool{}
	var visit func(key string)
	visit = func(key string) {
		if dirty[key] {
			return
		}
		dirty[key] = true
		for _, d := range s.floorDependents(key) {
			visit(d)
		}
	}
	for _, r := range changed {
		visit(KeyOf(r))
	}
	for k := range dirty {
		delete(s.marks, k)
	}
	m := newMarkings(func(k string) Record { return s.records[k] })
	m.known = s.marks
	for k := range dirty {
		if s.records[k] != nil {
			m.of(k)
		}
	}
	for k, t := range m.memo {
		if s.records[k] != nil {
			s.marks[k] = t
		}
	}
}

// floorDependents lists the keys of the records in the snapshot that have
// the record under key among their floors.
func (s *Snapshot) floorDependents(key string) []string {
	spec := kindOfKey(key)
	if spec == nil {
		return nil
	}
	id := key[len(spec.prefix):]
	var out []string
	switch spec.kind {
	case RecBoard:
		for _, l := range s.laneRecs {
			if l.Board == id {
				out = append(out, string(laneKey(l.ID)))
			}
		}
		for _, c := range s.Cards {
			if c.Board == id {
				out = append(out, string(cardKey(c.ID)))
			}
		}
	case RecLane:
		for _, c := range s.Cards {
			if c.Lane == id {
				out = append(out, string(cardKey(c.ID)))
			}
		}
	case RecSource:
		for _, c := range s.Cards {
			for _, ci := range c.Citations {
				if ci.Source == id && ci.Quote != "" {
					out = append(out, string(cardKey(c.ID)))
					break
				}
			}
		}
	case RecCard:
		for _, a := range s.annsOf[id] {
			out = append(out, string(annKey(a.Card, a.ID)))
		}
	}
	if spec.kind == RecCard {
		out = append(out, s.acceptancesOn(id)...)
	}
	out = append(out, s.briefsOn(key)...)
	return append(out, s.achDependents(spec.kind, id)...)
}
