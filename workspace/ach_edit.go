package workspace

import (
	"fmt"
	"strings"
)

// Changes to a matrix's hypotheses and indicators. Each works on a matrix
// read within an action (UpdateACHMatrix) and checks what it is given;
// the window and the command line both use these, so a hypothesis keeps
// its id, and with it its ratings and indicators, through a rename or a
// move.

// AddHypothesis appends a hypothesis with a new id and returns the id.
func (m *ACHMatrix) AddHypothesis(title string) (string, error) {
	title = strings.TrimSpace(title)
	if len(m.Hypotheses) >= MaxHypotheses {
		return "", invalid("hypotheses", "a matrix can weigh at most %d hypotheses", MaxHypotheses)
	}
	if err := checkText("hypotheses", "A hypothesis", title, MaxTitle, true); err != nil {
		return "", err
	}
	h := Hypothesis{ID: NewID(), Title: title}
	m.Hypotheses = append(append([]Hypothesis(nil), m.Hypotheses...), h)
	return h.ID, nil
}

// RenameHypothesis gives a hypothesis a new title; its id, ratings and
// indicators stay.
func (m *ACHMatrix) RenameHypothesis(id, title string) error {
	title = strings.TrimSpace(title)
	_, i := m.Hypothesis(id)
	if i < 0 {
		return noHypothesis(id)
	}
	if err := checkText("hypotheses", "A hypothesis", title, MaxTitle, true); err != nil {
		return err
	}
	m.Hypotheses = append([]Hypothesis(nil), m.Hypotheses...)
	m.Hypotheses[i].Title = title
	return nil
}

// MoveHypothesis puts a hypothesis at the 0-based position to (clamped to
// the list).
func (m *ACHMatrix) MoveHypothesis(id string, to int) error {
	h, i := m.Hypothesis(id)
	if i < 0 {
		return noHypothesis(id)
	}
	moved := *h
	list := append(append([]Hypothesis(nil), m.Hypotheses[:i]...), m.Hypotheses[i+1:]...)
	to = max(0, min(to, len(list)))
	m.Hypotheses = append(append(append([]Hypothesis(nil), list[:to]...), moved), list[to:]...)
	return nil
}

// removeHypothesis drops a hypothesis and its indicators; a matrix keeps
// at least two. Its ratings are in the rows: RemoveACHHypothesis clears
// them in the same action.
func (m *ACHMatrix) removeHypothesis(id string) error {
	_, i := m.Hypothesis(id)
	if i < 0 {
		return noHypothesis(id)
	}
	if len(m.Hypotheses) <= 2 {
		return invalid("hypotheses", "a matrix weighs at least two hypotheses; add another before removing this one")
	}
	m.Hypotheses = append(append([]Hypothesis(nil), m.Hypotheses[:i]...), m.Hypotheses[i+1:]...)
	m.dropIndicators(map[string]bool{id: true})
	return nil
}

// dropIndicators leaves out the indicators of the hypotheses given, in a
// copy of the map.
func (m *ACHMatrix) dropIndicators(gone map[string]bool) {
	found := false
	for h := range m.Indicators {
		found = found || gone[h]
	}
	if !found {
		return
	}
	ind := make(map[string][]Indicator, len(m.Indicators))
	for h, list := range m.Indicators {
		if !gone[h] {
			ind[h] = list
		}
	}
	m.Indicators = ind
}

// AddIndicator appends an indicator to a hypothesis's list. A new
// indicator's status is not seen unless given.
func (m *ACHMatrix) AddIndicator(hyp string, in Indicator) error {
	if h, _ := m.Hypothesis(hyp); h == nil {
		return noHypothesis(hyp)
	}
	in.Text = strings.TrimSpace(in.Text)
	if in.Status == "" {
		in.Status = IndicatorNotSeen
	}
	if err := checkIndicator(in); err != nil {
		return err
	}
	if len(m.Indicators[hyp]) >= MaxIndicators {
		return invalid("indicators", "a hypothesis can list at most %d indicators", MaxIndicators)
	}
	m.setIndicators(hyp, append(append([]Indicator(nil), m.Indicators[hyp]...), in))
	return nil
}

// SetIndicator replaces the i-th (0-based) indicator of a hypothesis.
func (m *ACHMatrix) SetIndicator(hyp string, i int, in Indicator) error {
	list, err := m.indicatorsAt(hyp, i)
	if err != nil {
		return err
	}
	in.Text = strings.TrimSpace(in.Text)
	if in.Status == "" {
		in.Status = IndicatorNotSeen
	}
	if err := checkIndicator(in); err != nil {
		return err
	}
	list[i] = in
	m.setIndicators(hyp, list)
	return nil
}

// RemoveIndicator drops the i-th (0-based) indicator of a hypothesis.
func (m *ACHMatrix) RemoveIndicator(hyp string, i int) error {
	list, err := m.indicatorsAt(hyp, i)
	if err != nil {
		return err
	}
	m.setIndicators(hyp, append(list[:i], list[i+1:]...))
	return nil
}

// indicatorsAt returns a copy of a hypothesis's indicators after checking
// that the list has an i-th one.
func (m *ACHMatrix) indicatorsAt(hyp string, i int) ([]Indicator, error) {
	if h, _ := m.Hypothesis(hyp); h == nil {
		return nil, noHypothesis(hyp)
	}
	list := m.Indicators[hyp]
	if i < 0 || i >= len(list) {
		return nil, invalid("indicators", "the hypothesis has no indicator %d (it lists %d)", i+1, len(list))
	}
	return append([]Indicator(nil), list...), nil
}

// setIndicators sets one hypothesis's list in a copy of the map, so that
// a matrix read from a snapshot is never changed underneath it; an empty
// list leaves the hypothesis out.
func (m *ACHMatrix) setIndicators(hyp string, list []Indicator) {
	ind := make(map[string][]Indicator, len(m.Indicators)+1)
	for h, l := range m.Indicators {
		ind[h] = l
	}
	if len(list) == 0 {
		delete(ind, hyp)
	} else {
		ind[hyp] = list
	}
	m.Indicators = ind
}

func checkIndicator(in Indicator) error {
	if err := checkText("indicators", "An indicator", in.Text, MaxTitle, true); err != nil {
		return err
	}
	if !enumCheck(in.Status, IndicatorStatuses) {
		return invalid("indicators", "indicator status %s is not not-seen, seen or contradicted", jsonString(string(in.Status)))
	}
	if in.Card != "" {
		return checkID("indicators", "The indicator's card", in.Card)
	}
	return nil
}

func noHypothesis(id string) error {
	return invalid("hypotheses", "the matrix has no hypothesis %s", jsonString(id))
}

// RemoveACHHypothesis drops a hypothesis from a matrix in one action,
// with its indicators and every rating against it (undo brings them
// back).
func (s *Store) RemoveACHHypothesis(matrix, hyp string) error {
	_, err := s.Do("Remove ACH hypothesis", func(tx *Tx) error {
		m, err := tx.LiveACHMatrix(matrix)
		if err != nil {
			return err
		}
		if err := m.removeHypothesis(hyp); err != nil {
			return err
		}
		if err := tx.clearRatings(matrix, map[string]bool{hyp: true}); err != nil {
			return err
		}
		return tx.PutACHMatrix(m)
	})
	return err
}

// ReviseACHMatrix sets a matrix's question and its hypotheses in one
// action, as the window's matrix dialog edits them: hs lists the
// hypotheses in their new order, an empty ID for a new one, a known ID
// keeping its ratings and indicators under the title given. A hypothesis
// left out is removed with its indicators and ratings. Undo brings back
// the matrix as it was.
func (s *Store) ReviseACHMatrix(matrix, question string, hs []Hypothesis) error {
	_, err := s.Do("Edit ACH matrix", func(tx *Tx) error {
		m, err := tx.LiveACHMatrix(matrix)
		if err != nil {
			return err
		}
		m.Question = strings.TrimSpace(question)
		kept := map[string]bool{}
		var list []Hypothesis
		for _, h := range hs {
			title := strings.TrimSpace(h.Title)
			if h.ID == "" {
				list = append(list, Hypothesis{ID: NewID(), Title: title})
				continue
			}
			if old, _ := m.Hypothesis(h.ID); old == nil {
				return noHypothesis(h.ID)
			}
			if kept[h.ID] {
				return invalid("hypotheses", "hypothesis id %s is listed twice", h.ID)
			}
			kept[h.ID] = true
			list = append(list, Hypothesis{ID: h.ID, Title: title})
		}
		gone := map[string]bool{}
		for _, h := range m.Hypotheses {
			if !kept[h.ID] {
				gone[h.ID] = true
			}
		}
		m.Hypotheses = list
		if len(gone) > 0 {
			m.dropIndicators(gone)
			if err := tx.clearRatings(matrix, gone); err != nil {
				return err
			}
		}
		return tx.PutACHMatrix(m)
	})
	return err
}

// clearRatings drops every rating of the matrix's rows against the
// hypotheses given.
func (tx *Tx) clearRatings(matrix string, hyps map[string]bool) error {
	var rows []*ACHRow
	err := tx.scan(string(achRowKey(matrix, "")), func(v []byte) error {
		r, err := decode[ACHRow](v)
		if err != nil || r.Deleted {
			return err
		}
		for h := range r.Cells {
			if hyps[h] {
				rows = append(rows, r)
				break
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range rows {
		cells := make(map[string]ACHRating, len(r.Cells))
		for h, v := range r.Cells {
			if !hyps[h] {
				cells[h] = v
			}
		}
		r.Cells = cells
		if err := tx.PutACHRow(r); err != nil {
			return fmt.Errorf("clear the ratings of card %s: %w", r.Card, err)
		}
	}
	return nil
}
