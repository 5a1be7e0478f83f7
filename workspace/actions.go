package workspace

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// The analyst's actions. Each Store method is one transaction around the Tx
// method of the same name, so several steps can be composed into one
// action with Store.Do.

// Profile returns the analyst profile of this copy.
func (s *Store) Profile() (Profile, error) {
	if err := s.enter(); err != nil {
		return Profile{}, err
	}
	defer s.leave()
	var p Profile
	err := s.db.View(func(txn *badger.Txn) error { return getJSON(txn, []byte(keyProfile), &p) })
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return p, err
}

// SetProfile sets the analyst profile of this copy. It is a preference of
// the copy, not a change to the workspace: it is not journaled or shared.
func (s *Store) SetProfile(p Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.Update(func(txn *badger.Txn) error { return putJSON(txn, []byte(keyProfile), p) })
}

// UpdateMeta changes the workspace header in one action.
func (s *Store) UpdateMeta(action string, fn func(m *Meta) error) error {
	_, err := s.Do(action, func(tx *Tx) error {
		m, err := tx.Meta()
		if err != nil {
			return err
		}
		if err := fn(m); err != nil {
			return err
		}
		return tx.PutMeta(m)
	})
	return err
}

// CardDraft is what a new card starts from. Lane is a lane id or a lane
// name of the board; empty means the board's first lane. A nil TLP takes the
// workspace default.
type CardDraft struct {
	Board string
	Lane  string
	Title string
	Body  string
	Kind  Kind
	Tags  []string
	TLP   *TLP
	// After places the card after this card of the lane; empty means at the
	// end.
	After string
}

// AddCard creates a card and returns it.
func (s *Store) AddCard(d CardDraft) (*Card, error) {
	var c *Card
	_, err := s.Do("Add card", func(tx *Tx) error {
		var err error
		c, err = tx.AddCard(d)
		return err
	})
	return c, err
}

// AddCard creates a card within the action.
func (tx *Tx) AddCard(d CardDraft) (*Card, error) {
	b, err := tx.Board(d.Board)
	if err != nil || b.Deleted {
		return nil, invalid("board", "board %s does not exist", jsonString(d.Board))
	}
	lane, err := tx.ResolveLane(b.ID, d.Lane)
	if err != nil {
		return nil, err
	}
	m, err := tx.Meta()
	if err != nil {
		return nil, err
	}
	c := &Card{Base: Base{ID: NewID()}, Board: b.ID, Lane: lane.ID, Title: strings.TrimSpace(d.Title), Body: d.Body,
		Kind: d.Kind, Tags: d.Tags, TLP: m.DefaultTLP}
	if c.Kind == "" {
		c.Kind = KindNote
	}
	if d.TLP != nil {
		c.TLP = *d.TLP
	}
	if err := c.validateDraft(); err != nil {
		return nil, err
	}
	if err := tx.place(c, lane.ID, "", d.After); err != nil {
		return nil, err
	}
	return c, nil
}

// validateDraft checks what a draft sets before a place is chosen, so an
// empty title is reported as such rather than as a missing order key.
func (c *Card) validateDraft() error {
	probe := *c
	probe.Order = "V"
	return probe.Validate()
}

// ResolveLane finds a live lane of a board by id or, ignoring case, by
// name; an empty name gives the board's first lane.
func (tx *Tx) ResolveLane(board, nameOrID string) (*Lane, error) {
	lanes, err := tx.Lanes(board)
	if err != nil {
		return nil, err
	}
	if len(lanes) == 0 {
		return nil, invalid("lane", "the board has no lanes")
	}
	if nameOrID == "" {
		return lanes[0], nil
	}
	for _, l := range lanes {
		if l.ID == nameOrID {
			return l, nil
		}
	}
	for _, l := range lanes {
		if strings.EqualFold(strings.TrimSpace(l.Name), strings.TrimSpace(nameOrID)) {
			return l, nil
		}
	}
	names := make([]string, len(lanes))
	for i, l := range lanes {
		names[i] = l.Name
	}
	return nil, invalid("lane", "the board has no lane %s (its lanes: %s)", jsonString(nameOrID), strings.Join(names, ", "))
}

// Lanes lists a board's live lanes in order.
func (tx *Tx) Lanes(board string) ([]*Lane, error) {
	var out []*Lane
	err := tx.scan(prefixLane, func(v []byte) error {
		l, err := decode[Lane](v)
		if err != nil {
			return err
		}
		if l.Board == board && !l.Deleted {
			out = append(out, l)
		}
		return nil
	})
	sortByOrder(out, func(l *Lane) (string, string) { return l.Order, l.ID })
	return out, err
}

// UpdateCard changes a card in one action named action, such as "Edit
// card". fn edits the card in place; returning an error cancels the action.
func (s *Store) UpdateCard(id, action string, fn func(c *Card) error) (*Card, error) {
	var c *Card
	_, err := s.Do(action, func(tx *Tx) error {
		var err error
		c, err = tx.UpdateCard(id, fn)
		return err
	})
	return c, err
}

// UpdateCard changes a live card within the action. Its place (board, lane,
// order) changes only through MoveCard.
func (tx *Tx) UpdateCard(id string, fn func(c *Card) error) (*Card, error) {
	c, err := tx.LiveCard(id)
	if err != nil {
		return nil, err
	}
	board, lane, order := c.Board, c.Lane, c.Order
	if err := fn(c); err != nil {
		return nil, err
	}
	if c.Board != board || c.Lane != lane || c.Order != order {
		target := Move{Board: c.Board, Lane: c.Lane}
		c.Board, c.Lane, c.Order = board, lane, order
		if err := tx.PutCard(c); err != nil {
			return nil, err
		}
		return c, tx.MoveCard(id, target)
	}
	return c, tx.PutCard(c)
}

// Move says where a card goes: a board (empty keeps the card's), a lane of
// that board by id or name (empty keeps the card's lane when the board is
// unchanged, else the first lane), and a neighbour: Before or After a card
// of that lane, or else the end of the lane.
type Move struct {
	Board  string
	Lane   string
	Before string
	After  string
}

// MoveCard moves a card in one action.
func (s *Store) MoveCard(id string, to Move) error {
	_, err := s.Do("Move card", func(tx *Tx) error { return tx.MoveCard(id, to) })
	return err
}

// MoveCard moves a card within the action. Only the moved card is
// rewritten, unless its new order key would outgrow the limit: then its lane
// is renumbered in the same action.
func (tx *Tx) MoveCard(id string, to Move) error {
	c, err := tx.LiveCard(id)
	if err != nil {
		return err
	}
	if to.Before != "" && to.After != "" {
		return invalid("order", "give a card to move before or one to move after, not both")
	}
	board := c.Board
	if to.Board != "" {
		b, err := tx.Board(to.Board)
		if err != nil || b.Deleted {
			return invalid("board", "board %s does not exist", jsonString(to.Board))
		}
		board = b.ID
	}
	laneArg := to.Lane
	if laneArg == "" && board == c.Board {
		laneArg = c.Lane
	}
	lane, err := tx.ResolveLane(board, laneArg)
	if err != nil {
		return err
	}
	c.Board = board
	return tx.place(c, lane.ID, to.Before, to.After)
}

// place gives c an order key in lane, before or after a neighbour or at
// the end, and writes it. Only the neighbours are looked up, so placing a
// card costs the same in a lane of ten cards or ten thousand. When no short
// key fits, the lane is renumbered.
func (tx *Tx) place(c *Card, lane, before, after string) error {
	var lo, hi string
	anchor := before
	if after != "" {
		anchor = after
	}
	if anchor != "" {
		a, err := tx.LiveCard(anchor)
		if err != nil || a.Lane != lane || anchor == c.ID {
			return invalid("order", "card %s is not in that lane", jsonString(anchor))
		}
		at := string(orderIndexKey(lane, a.Order, a.ID))
		if before != "" {
			hi = a.Order
			if r, ok := tx.laneNeighbour(lane, at, c.ID, true); ok {
				lo = r.Order
			}
		} else {
			lo = a.Order
			if r, ok := tx.laneNeighbour(lane, at, c.ID, false); ok {
				hi = r.Order
			}
		}
	} else if r, ok := tx.laneNeighbour(lane, "", c.ID, true); ok {
		lo = r.Order
	}
	key, err := KeyBetween(lo, hi)
	if err == nil && len(key) <= MaxOrderKey {
		c.Lane, c.Order = lane, key
		return tx.PutCard(c)
	}
	var list []orderRef
	for _, r := range tx.laneOrder(lane) {
		if r.Card != c.ID {
			list = append(list, r)
		}
	}
	pos := len(list)
	if anchor != "" {
		for i, r := range list {
			if r.Card == anchor {
				pos = i
				if after != "" {
					pos++
				}
				break
			}
		}
	}
	return tx.renumber(c, lane, list, pos)
}

// renumber spreads the lane's keys evenly, with c inserted at pos.
func (tx *Tx) renumber(c *Card, lane string, list []orderRef, pos int) error {
	ids := make([]string, 0, len(list)+1)
	for _, r := range list[:pos] {
		ids = append(ids, r.Card)
	}
	ids = append(ids, c.ID)
	for _, r := range list[pos:] {
		ids = append(ids, r.Card)
	}
	keys := SpreadKeys(len(ids))
	for i, id := range ids {
		if id == c.ID {
			c.Lane, c.Order = lane, keys[i]
			if err := tx.PutCard(c); err != nil {
				return err
			}
			continue
		}
		other, err := tx.Card(id)
		if err != nil {
			return err
		}
		if other.Order != keys[i] {
			other.Order = keys[i]
			if err := tx.PutCard(other); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeleteCard deletes a card in one action. It leaves a tombstone, so the
// deletion travels to colleagues and can be undone; its annotations stay
// with it.
func (s *Store) DeleteCard(id string) error {
	_, err := s.Do("Delete card", func(tx *Tx) error { return tx.DeleteCard(id) })
	return err
}

// DeleteCard deletes a card within the action.
func (tx *Tx) DeleteCard(id string) error {
	c, err := tx.LiveCard(id)
	if err != nil {
		return err
	}
	c.Deleted = true
	return tx.PutCard(c)
}

// AddBoard creates a board with the default lanes at the end of the list.
func (s *Store) AddBoard(title, purpose string) (*Board, error) {
	var b *Board
	_, err := s.Do("Add board", func(tx *Tx) error {
		var err error
		b, err = tx.AddBoard(title, purpose, DefaultLanes)
		return err
	})
	return b, err
}

// AddBoard creates a board with the given lanes within the action.
func (tx *Tx) AddBoard(title, purpose string, lanes []string) (*Board, error) {
	boards, err := tx.Boards()
	if err != nil {
		return nil, err
	}
	last := ""
	if n := len(boards); n > 0 {
		last = boards[n-1].Order
	}
	key, err := KeyBetween(last, "")
	if err != nil {
		return nil, err
	}
	b := &Board{Base: Base{ID: NewID()}, Title: strings.TrimSpace(title), Purpose: purpose, Order: key}
	if err := tx.PutBoard(b); err != nil {
		return nil, err
	}
	for i, k := range SpreadKeys(len(lanes)) {
		if err := tx.PutLane(&Lane{Base: Base{ID: NewID()}, Board: b.ID, Name: lanes[i], Order: k}); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Boards lists the live boards in order.
func (tx *Tx) Boards() ([]*Board, error) {
	var out []*Board
	err := tx.scan(prefixBoard, func(v []byte) error {
		b, err := decode[Board](v)
		if err == nil && !b.Deleted {
			out = append(out, b)
		}
		return err
	})
	sortByOrder(out, func(b *Board) (string, string) { return b.Order, b.ID })
	return out, err
}

// UpdateBoard changes a board's title or purpose in one action.
func (s *Store) UpdateBoard(id string, fn func(b *Board) error) error {
	_, err := s.Do("Edit board", func(tx *Tx) error {
		b, err := tx.Board(id)
		if err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		return tx.PutBoard(b)
	})
	return err
}

// DeleteBoard deletes a board and its cards in one action.
func (s *Store) DeleteBoard(id string) error {
	_, err := s.Do("Delete board", func(tx *Tx) error {
		b, err := tx.Board(id)
		if err != nil || b.Deleted {
			return fmt.Errorf("board %s: %w", id, ErrNotFound)
		}
		lanes, err := tx.Lanes(id)
		if err != nil {
			return err
		}
		for _, l := range lanes {
			for _, r := range tx.laneOrder(l.ID) {
				if err := tx.DeleteCard(r.Card); err != nil {
					return err
				}
			}
		}
		b.Deleted = true
		return tx.PutBoard(b)
	})
	return err
}

// AddLane adds a lane at the end of a board.
func (s *Store) AddLane(board, name string) (*Lane, error) {
	var l *Lane
	_, err := s.Do("Add lane", func(tx *Tx) error {
		lanes, err := tx.Lanes(board)
		if err != nil {
			return err
		}
		last := ""
		for _, x := range lanes {
			if strings.EqualFold(x.Name, strings.TrimSpace(name)) {
				return invalid("name", "the board already has a lane %s", jsonString(x.Name))
			}
			last = x.Order
		}
		key, err := KeyBetween(last, "")
		if err != nil {
			return err
		}
		l = &Lane{Base: Base{ID: NewID()}, Board: board, Name: strings.TrimSpace(name), Order: key}
		return tx.PutLane(l)
	})
	return l, err
}

// RenameLane renames a lane in one action.
func (s *Store) RenameLane(id, name string) error {
	_, err := s.Do("Rename lane", func(tx *Tx) error {
		l, err := tx.Lane(id)
		if err != nil {
			return err
		}
		l.Name = strings.TrimSpace(name)
		return tx.PutLane(l)
	})
	return err
}

// DeleteLane removes an empty lane in one action; a lane with cards must be
// emptied first, so no card is left without a place.
func (s *Store) DeleteLane(id string) error {
	_, err := s.Do("Delete lane", func(tx *Tx) error {
		l, err := tx.Lane(id)
		if err != nil || l.Deleted {
			return fmt.Errorf("lane %s: %w", id, ErrNotFound)
		}
		if n := len(tx.laneOrder(id)); n > 0 {
			return invalid("lane", "lane %s still holds %d cards; move them first", jsonString(l.Name), n)
		}
		lanes, err := tx.Lanes(l.Board)
		if err != nil {
			return err
		}
		if len(lanes) == 1 {
			return invalid("lane", "a board needs at least one lane")
		}
		l.Deleted = true
		return tx.PutLane(l)
	})
	return err
}

// AddSource creates a source in one action. A zero TLP on the draft takes
// the workspace default when defaultTLP is set.
func (s *Store) AddSource(src Source, defaultTLP bool) (*Source, error) {
	_, err := s.Do("Add source", func(tx *Tx) error {
		if defaultTLP {
			m, err := tx.Meta()
			if err != nil {
				return err
			}
			src.TLP = m.DefaultTLP
		}
		src.ID = NewID()
		return tx.PutSource(&src)
	})
	return &src, err
}

// UpdateSource changes a source in one action.
func (s *Store) UpdateSource(id string, fn func(src *Source) error) error {
	_, err := s.Do("Edit source", func(tx *Tx) error {
		src, err := tx.Source(id)
		if err != nil {
			return err
		}
		if err := fn(src); err != nil {
			return err
		}
		return tx.PutSource(src)
	})
	return err
}

// DeleteSource deletes a source that no live card cites.
func (s *Store) DeleteSource(id string) error {
	_, err := s.Do("Delete source", func(tx *Tx) error {
		src, err := tx.Source(id)
		if err != nil || src.Deleted {
			return fmt.Errorf("source %s: %w", id, ErrNotFound)
		}
		n := 0
		err = tx.scan(prefixCard, func(v []byte) error {
			c, err := decode[Card](v)
			if err != nil {
				return err
			}
			if !c.Deleted {
				for _, ci := range c.Citations {
					if ci.Source == id {
						n++
						break
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if n > 0 {
			return invalid("source", "the source is cited by %d cards; remove the citations first", n)
		}
		src.Deleted = true
		return tx.PutSource(src)
	})
	return err
}

// AddAnnotation adds an annotation to a card's thread in one action; the
// author is the analyst profile's name and a nil TLP takes the workspace
// default.
func (s *Store) AddAnnotation(card string, kind AnnotationKind, text string, tlp *TLP) (*Annotation, error) {
	var a *Annotation
	_, err := s.Do("Add annotation", func(tx *Tx) error {
		if _, err := tx.LiveCard(card); err != nil {
			return err
		}
		m, err := tx.Meta()
		if err != nil {
			return err
		}
		a = &Annotation{Base: Base{ID: NewID()}, Card: card, Author: tx.author, Kind: kind, Text: strings.TrimSpace(text), TLP: m.DefaultTLP}
		if tlp != nil {
			a.TLP = *tlp
		}
		return tx.PutAnnotation(a)
	})
	return a, err
}

// UpdateAnnotation changes an annotation in one action named action, such
// as "Resolve annotation".
func (s *Store) UpdateAnnotation(card, id, action string, fn func(a *Annotation) error) error {
	_, err := s.Do(action, func(tx *Tx) error {
		a, err := tx.Annotation(card, id)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
		return tx.PutAnnotation(a)
	})
	return err
}

// SetResolved resolves or reopens an annotation.
func (s *Store) SetResolved(card, id string, resolved bool) error {
	action := "Reopen annotation"
	if resolved {
		action = "Resolve annotation"
	}
	return s.UpdateAnnotation(card, id, action, func(a *Annotation) error {
		a.Resolved = resolved
		return nil
	})
}
