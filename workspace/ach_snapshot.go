package workspace

import (
	"maps"
	"sort"
)

// achRecords holds what a snapshot's ACH views are worked out from. Its
// maps are shared between snapshots and never changed in place once
// shared: Apply clones them before it puts records (see clone).
type achRecords struct {
	// matrices holds every matrix by id, tombstones too: a row's marking
	// floors on its matrix's.
	matrices map[string]*ACHMatrix
	// rows holds the live evidence rows by key, on live cards or not.
	rows map[string]*ACHRow
	// byCard lists the keys of the live rows on each card, worked out
	// with the views.
	byCard map[string][]string
}

func newACHRecords() achRecords {
	return achRecords{matrices: map[string]*ACHMatrix{}, rows: map[string]*ACHRow{}, byCard: map[string][]string{}}
}

func (a achRecords) clone() achRecords {
	return achRecords{matrices: maps.Clone(a.matrices), rows: maps.Clone(a.rows), byCard: a.byCard}
}

// putACH files a matrix or an evidence row, as put does the other kinds;
// it reports false for a record of another kind.
func (s *Snapshot) putACH(r Record) bool {
	key := KeyOf(r)
	switch x := r.(type) {
	case *ACHMatrix:
		s.ach.matrices[x.ID] = x
	case *ACHRow:
		if x.Deleted {
			delete(s.ach.rows, key)
			delete(s.records, key)
			return true
		}
		s.ach.rows[key] = x
	default:
		return false
	}
	s.records[key] = r
	return true
}

// buildACH works out the ACH views: the live matrices in order and the
// evidence each shows. It makes new maps and slices, never changing
// those an earlier snapshot shares.
func (s *Snapshot) buildACH() {
	s.Matrices = nil
	for _, m := range s.ach.matrices {
		if !m.Deleted {
			s.Matrices = append(s.Matrices, m)
		}
	}
	sort.Slice(s.Matrices, func(i, j int) bool {
		a, b := s.Matrices[i], s.Matrices[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	s.Evidence = map[string][]*ACHRow{}
	byCard := map[string][]string{}
	for key, r := range s.ach.rows {
		byCard[r.Card] = append(byCard[r.Card], key)
		if m := s.ach.matrices[r.Matrix]; m != nil && !m.Deleted && s.Cards[r.Card] != nil {
			s.Evidence[r.Matrix] = append(s.Evidence[r.Matrix], r)
		}
	}
	for _, rows := range s.Evidence {
		sortRows(rows)
	}
	for _, keys := range byCard {
		sort.Strings(keys)
	}
	s.ach.byCard = byCard
}

// sortRows orders evidence rows as a matrix lists them: by the time the
// card became evidence, then by card id.
func sortRows(rows []*ACHRow) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		return a.Card < b.Card
	})
}

// achDependents lists the keys of the rows that have the record under key
// among their floors: a matrix's rows, a card's rows.
func (s *Snapshot) achDependents(kind RecordKind, id string) []string {
	switch kind {
	case RecACH:
		var out []string
		for key, r := range s.ach.rows {
			if r.Matrix == id {
				out = append(out, key)
			}
		}
		return out
	case RecCard:
		return s.ach.byCard[id]
	}
	return nil
}

// Matrix returns a live matrix, or nil.
func (s *Snapshot) Matrix(id string) *ACHMatrix {
	for _, m := range s.Matrices {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// EvidenceIn lists the live matrices a card is evidence in, in order: a
// card shows a mark for each.
func (s *Snapshot) EvidenceIn(card string) []*ACHMatrix {
	var out []*ACHMatrix
	for _, m := range s.Matrices {
		for _, r := range s.Evidence[m.ID] {
			if r.Card == card {
				out = append(out, m)
				break
			}
		}
	}
	return out
}
