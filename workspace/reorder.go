package workspace

import "fmt"

// MoveBoard moves a board delta places in the list of boards (negative:
// up, towards the first) in one action. A move past either end stops at
// that end; a board already there stays put and no action is recorded.
func (s *Store) MoveBoard(id string, delta int) error {
	_, err := s.Do("Move board", func(tx *Tx) error { return tx.MoveBoard(id, delta) })
	return err
}

// MoveBoard moves a board delta places within the action.
func (tx *Tx) MoveBoard(id string, delta int) error {
	boards, err := tx.Boards()
	if err != nil {
		return err
	}
	at := -1
	for i, b := range boards {
		if b.ID == id {
			at = i
		}
	}
	if at < 0 {
		return fmt.Errorf("board %s: %w", id, ErrNotFound)
	}
	return reorder(boards, at, delta, func(b *Board) *string { return &b.Order }, tx.PutBoard)
}

// MoveLane moves a lane delta places among its board's lanes (negative:
// left, towards the first) in one action. A move past either end stops at
// that end; a lane already there stays put and no action is recorded.
func (s *Store) MoveLane(id string, delta int) error {
	_, err := s.Do("Move lane", func(tx *Tx) error { return tx.MoveLane(id, delta) })
	return err
}

// MoveLane moves a lane delta places within the action.
func (tx *Tx) MoveLane(id string, delta int) error {
	l, err := tx.Lane(id)
	if err != nil || l.Deleted {
		return fmt.Errorf("lane %s: %w", id, ErrNotFound)
	}
	lanes, err := tx.Lanes(l.Board)
	if err != nil {
		return err
	}
	at := -1
	for i, x := range lanes {
		if x.ID == id {
			at = i
		}
	}
	if at < 0 {
		return fmt.Errorf("lane %s: %w", id, ErrNotFound)
	}
	return reorder(lanes, at, delta, func(l *Lane) *string { return &l.Order }, tx.PutLane)
}

// reorder moves items[at] (items sorted by their order keys) delta places,
// clamped to the ends. Only the moved item gets a new key, unless no short
// key fits between its new neighbours (equal keys after a merge, or a key
// that would outgrow the limit): then the whole list is renumbered.
func reorder[T any](items []*T, at, delta int, order func(*T) *string, put func(*T) error) error {
	to := min(max(at+delta, 0), len(items)-1)
	if to == at {
		return nil
	}
	rest := make([]*T, 0, len(items))
	rest = append(rest, items[:at]...)
	rest = append(rest, items[at+1:]...)
	var lo, hi string
	if to > 0 {
		lo = *order(rest[to-1])
	}
	if to < len(rest) {
		hi = *order(rest[to])
	}
	moved := items[at]
	if key, err := KeyBetween(lo, hi); err == nil && len(key) <= MaxOrderKey {
		*order(moved) = key
		return put(moved)
	}
	list := make([]*T, 0, len(items))
	list = append(list, rest[:to]...)
	list = append(list, moved)
	list = append(list, rest[to:]...)
	for i, key := range SpreadKeys(len(list)) {
		if *order(list[i]) != key {
			*order(list[i]) = key
			if err := put(list[i]); err != nil {
				return err
			}
		}
	}
	return nil
}
