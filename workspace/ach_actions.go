package workspace

import (
	"errors"
	"fmt"
	"strings"
)

// ACHMatrix returns a matrix, deleted or not.
func (tx *Tx) ACHMatrix(id string) (*ACHMatrix, error) {
	var m ACHMatrix
	if err := tx.get(achKey(id), &m); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("ACH matrix %s: %w", id, ErrNotFound)
		}
		return nil, err
	}
	return &m, nil
}

// LiveACHMatrix returns a matrix that is not deleted.
func (tx *Tx) LiveACHMatrix(id string) (*ACHMatrix, error) {
	m, err := tx.ACHMatrix(id)
	if err != nil {
		return nil, err
	}
	if m.Deleted {
		return nil, fmt.Errorf("ACH matrix %s: %w (it was deleted)", id, ErrNotFound)
	}
	return m, nil
}

// PutACHMatrix creates or updates a matrix, checking that the cards its
// indicators newly name exist.
func (tx *Tx) PutACHMatrix(m *ACHMatrix) error {
	old, err := tx.ACHMatrix(m.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if old == nil {
		if m.CreatedAt.IsZero() {
			m.CreatedAt, m.CreatedBy = tx.at, tx.author
		}
	} else {
		m.CreatedAt, m.CreatedBy = old.CreatedAt, old.CreatedBy
	}
	// A hypothesis whose last indicator went has none: no empty list.
	for h, list := range m.Indicators {
		if len(list) == 0 {
			delete(m.Indicators, h)
		}
	}
	if !tx.merging && !m.Deleted {
		had := map[string]bool{}
		if old != nil {
			for _, list := range old.Indicators {
				for _, in := range list {
					had[in.Card] = true
				}
			}
		}
		for _, list := range m.Indicators {
			for _, in := range list {
				if in.Card == "" || had[in.Card] {
					continue
				}
				if _, err := tx.LiveCard(in.Card); err != nil {
					return invalid("indicators", "the indicator's card %s does not exist", in.Card)
				}
			}
		}
	}
	return tx.put(nilIfNil(old), m)
}

// ACHRow returns the evidence row of a card in a matrix, deleted or not.
func (tx *Tx) ACHRow(matrix, card string) (*ACHRow, error) {
	var r ACHRow
	if err := tx.get(achRowKey(matrix, card), &r); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("evidence row of card %s: %w", card, ErrNotFound)
		}
		return nil, err
	}
	return &r, nil
}

// PutACHRow creates or updates an evidence row. A row that is new or comes
// back from deletion needs a live matrix and a live card.
func (tx *Tx) PutACHRow(r *ACHRow) error {
	old, err := tx.ACHRow(r.Matrix, r.Card)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if !tx.merging && !r.Deleted && (old == nil || old.Deleted) {
		if _, err := tx.LiveACHMatrix(r.Matrix); err != nil {
			return invalid("matrix", "ACH matrix %s does not exist", r.Matrix)
		}
		if _, err := tx.LiveCard(r.Card); err != nil {
			return invalid("card", "card %s does not exist", r.Card)
		}
	}
	if old == nil {
		if r.At.IsZero() {
			r.At = tx.at
		}
	} else {
		r.At = old.At
	}
	return tx.put(nilIfNil(old), r)
}

// evidenceOnCard lists the keys of the evidence rows on a card, in every
// matrix, deleted or not. A row's key is its matrix's and its card's, so
// this looks each matrix's row up rather than reading every row: a
// lowering that releases many cards stays cheap.
func (tx *Tx) evidenceOnCard(card string) ([]string, error) {
	var out []string
	err := tx.iter(prefixACH, false, func(key, _ []byte) error {
		rk := achRowKey(string(key[len(prefixACH):]), card)
		if _, err := tx.getRaw(rk); err == nil {
			out = append(out, string(rk))
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		return nil
	})
	return out, err
}

// ACHDraft is what a new matrix starts from. A nil TLP takes the
// workspace default.
type ACHDraft struct {
	Question   string
	Hypotheses []string
	TLP        *TLP
}

// AddACHMatrix creates a matrix in one action and returns it.
func (s *Store) AddACHMatrix(d ACHDraft) (*ACHMatrix, error) {
	var m *ACHMatrix
	_, err := s.Do("Add ACH matrix", func(tx *Tx) error {
		var err error
		m, err = tx.AddACHMatrix(d)
		return err
	})
	return m, err
}

// AddACHMatrix creates a matrix within the action; every hypothesis gets
// a new id.
func (tx *Tx) AddACHMatrix(d ACHDraft) (*ACHMatrix, error) {
	meta, err := tx.Meta()
	if err != nil {
		return nil, err
	}
	m := &ACHMatrix{Base: Base{ID: NewID()}, Question: strings.TrimSpace(d.Question), TLP: meta.DefaultTLP}
	if d.TLP != nil {
		m.TLP = *d.TLP
	}
	for _, h := range d.Hypotheses {
		m.Hypotheses = append(m.Hypotheses, Hypothesis{ID: NewID(), Title: strings.TrimSpace(h)})
	}
	if err := tx.PutACHMatrix(m); err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateACHMatrix changes a live matrix (its question, hypotheses,
// conclusion or indicators) in one action named action. Use SetMarking
// for its marking.
func (s *Store) UpdateACHMatrix(id, action string, fn func(m *ACHMatrix) error) error {
	_, err := s.Do(action, func(tx *Tx) error {
		m, err := tx.LiveACHMatrix(id)
		if err != nil {
			return err
		}
		if err := fn(m); err != nil {
			return err
		}
		return tx.PutACHMatrix(m)
	})
	return err
}

// DeleteACHMatrix deletes a matrix and its evidence rows in one action
// (undo brings them back).
func (s *Store) DeleteACHMatrix(id string) error {
	_, err := s.Do("Delete ACH matrix", func(tx *Tx) error {
		m, err := tx.LiveACHMatrix(id)
		if err != nil {
			return err
		}
		var rows []*ACHRow
		err = tx.scan(string(achRowKey(id, "")), func(v []byte) error {
			r, err := decode[ACHRow](v)
			if err == nil && !r.Deleted {
				rows = append(rows, r)
			}
			return err
		})
		if err != nil {
			return err
		}
		for _, r := range rows {
			r.Deleted = true
			if err := tx.PutACHRow(r); err != nil {
				return err
			}
		}
		m.Deleted = true
		return tx.PutACHMatrix(m)
	})
	return err
}

// SetACHEvidence makes a card evidence in a matrix with the weight, in one
// action: it adds the row, brings back a removed one, or changes the
// weight of one already there. An empty weight keeps the row's weight
// (medium for a new row).
func (s *Store) SetACHEvidence(matrix, card string, w ACHWeight) (*ACHRow, error) {
	var r *ACHRow
	_, err := s.Do("Add ACH evidence", func(tx *Tx) error {
		var err error
		r, err = tx.SetACHEvidence(matrix, card, w)
		return err
	})
	return r, err
}

// SetACHEvidence is SetACHEvidence within the action.
func (tx *Tx) SetACHEvidence(matrix, card string, w ACHWeight) (*ACHRow, error) {
	if w != "" && !enumCheck(w, ACHWeights) {
		return nil, invalid("weight", "weight %s is not low, medium or high", jsonString(string(w)))
	}
	if _, err := tx.LiveACHMatrix(matrix); err != nil {
		return nil, err
	}
	if _, err := tx.LiveCard(card); err != nil {
		return nil, err
	}
	r, err := tx.ACHRow(matrix, card)
	if errors.Is(err, ErrNotFound) {
		r, err = &ACHRow{Base: Base{ID: card}, Matrix: matrix, Card: card, Weight: WeightMedium}, nil
	}
	if err != nil {
		return nil, err
	}
	r.Deleted = false
	if w != "" {
		r.Weight = w
	}
	if err := tx.PutACHRow(r); err != nil {
		return nil, err
	}
	return r, nil
}

// RemoveACHEvidence takes a card out of a matrix's evidence in one action.
func (s *Store) RemoveACHEvidence(matrix, card string) error {
	_, err := s.Do("Remove ACH evidence", func(tx *Tx) error {
		r, err := tx.ACHRow(matrix, card)
		if err != nil || r.Deleted {
			return fmt.Errorf("card %s is not evidence in matrix %s: %w", card, matrix, ErrNotFound)
		}
		r.Deleted = true
		return tx.PutACHRow(r)
	})
	return err
}

// RateACH rates a card's evidence against one hypothesis (by id) in one
// action; an empty rating clears the cell. The card must be evidence in
// the matrix already.
func (s *Store) RateACH(matrix, card, hypothesis string, rating ACHRating) error {
	_, err := s.Do("Rate ACH evidence", func(tx *Tx) error { return tx.RateACH(matrix, card, hypothesis, rating) })
	return err
}

// RateACH is RateACH within the action.
func (tx *Tx) RateACH(matrix, card, hypothesis string, rating ACHRating) error {
	if rating != "" && !enumCheck(rating, ACHRatings) {
		return invalid("cells", "rating %s is not one of CC, C, N, I, II, NA", jsonString(string(rating)))
	}
	m, err := tx.LiveACHMatrix(matrix)
	if err != nil {
		return err
	}
	if h, _ := m.Hypothesis(hypothesis); h == nil {
		return invalid("cells", "the matrix has no hypothesis %s", jsonString(hypothesis))
	}
	r, err := tx.ACHRow(matrix, card)
	if err != nil || r.Deleted {
		return invalid("card", "card %s is not evidence in this matrix; add it as evidence first", card)
	}
	cells := make(map[string]ACHRating, len(r.Cells)+1)
	for h, v := range r.Cells {
		cells[h] = v
	}
	if rating == "" {
		delete(cells, hypothesis)
	} else {
		cells[hypothesis] = rating
	}
	r.Cells = cells
	return tx.PutACHRow(r)
}
