package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/klauspost/compress/s2"
)

// MaxUndo is how many steps back undo reaches; older steps stay in the
// journal but drop off the undo stack.
const MaxUndo = 500

// updateStacks keeps the undo and redo stacks in step with a new entry: an
// action of the analyst's (or an import) can be undone and clears what
// could be redone; undo moves its target to the redo stack, redo back.
func (tx *Tx) updateStacks(e *Entry) error {
	undo, err := tx.readStack(keyUndo)
	if err != nil {
		return err
	}
	redo, err := tx.readStack(keyRedo)
	if err != nil {
		return err
	}
	switch e.Op {
	case EntryDo, EntryImport:
		undo = append(undo, e.Seq)
		redo = nil
	case EntryUndo:
		if n := len(undo); n > 0 && undo[n-1] == e.Target {
			undo = undo[:n-1]
		}
		redo = append(redo, e.Target)
	case EntryRedo:
		if n := len(redo); n > 0 && redo[n-1] == e.Target {
			redo = redo[:n-1]
		}
		undo = append(undo, e.Target)
	default:
		return nil
	}
	if len(undo) > MaxUndo {
		undo = undo[len(undo)-MaxUndo:]
	}
	if err := tx.setJSON([]byte(keyUndo), undo); err != nil {
		return err
	}
	return tx.setJSON([]byte(keyRedo), redo)
}

func (tx *Tx) readStack(key string) ([]uint64, error) {
	var s []uint64
	if err := tx.getJSON([]byte(key), &s); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return s, nil
}

func readStack(txn *badger.Txn, key string) ([]uint64, error) {
	var s []uint64
	if err := getJSON(txn, []byte(key), &s); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return s, nil
}

// entryChunk bounds one stored piece of a journal entry: a big import's
// entry is kept as a header and pieces, since one value cannot outgrow
// Badger's value log file. Pieces are stored compressed (pieceS2).
const entryChunk = 1 << 20

// pieceS2 starts a piece of a journal entry stored as an S2 block of its
// JSON; a piece that starts with '[' is the JSON itself (schema 2).
const pieceS2 = 0x01

// putEntry stores a journal entry, in compressed pieces when it is large.
// The entry that made the workspace is not a step to undo: it keeps what
// the journal lists (which records, by title), not their values.
func (tx *Tx) putEntry(e *Entry) error {
	stored := e
	if e.Op == EntryCreate {
		slim := *e
		slim.Changes = make([]Change, len(e.Changes))
		for i, c := range e.Changes {
			slim.Changes[i] = Change{RecordKind: c.RecordKind, ID: c.ID, Key: c.Key, Title: c.Title}
		}
		stored = &slim
	}
	size := 0
	for i := range stored.Changes {
		size += changeSize(&stored.Changes[i])
	}
	if size <= entryChunk {
		b, err := json.Marshal(stored)
		if err != nil {
			return err
		}
		if len(b) <= entryChunk {
			tx.set(logKey(e.Seq), b)
			return nil
		}
	}
	head := *stored
	head.Changes = nil
	var group []Change
	var scratch []byte
	size = 0
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		b, err := marshalChanges(group)
		if err != nil {
			return err
		}
		if n := 1 + s2.MaxEncodedLen(len(b)); cap(scratch) < n {
			scratch = make([]byte, n)
		}
		enc := s2.Encode(scratch[1:cap(scratch)], b)
		piece := make([]byte, 1+len(enc))
		piece[0] = pieceS2
		copy(piece[1:], enc)
		tx.set(logChunkKey(e.Seq, head.Chunks), piece)
		head.Chunks++
		group, size = nil, 0
		return nil
	}
	for _, c := range stored.Changes {
		n := changeSize(&c)
		if size+n > entryChunk {
			if err := flush(); err != nil {
				return err
			}
		}
		group = append(group, c)
		size += n
	}
	if err := flush(); err != nil {
		return err
	}
	return tx.setJSON(logKey(e.Seq), head)
}

// changeSize estimates the JSON of a change.
func changeSize(c *Change) int {
	n := len(c.Before) + len(c.After) + len(c.Title) + len(c.Key) + 160
	for _, f := range c.Fields {
		n += len(f) + 3
	}
	return n
}

// getEntry reads a journal entry and its pieces.
func getEntry(get func(key []byte) ([]byte, error), seq uint64) (*Entry, error) {
	var e Entry
	b, err := get(logKey(seq))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("journal entry %d is damaged: %w", seq, err)
	}
	for i := 0; i < e.Chunks; i++ {
		b, err := get(logChunkKey(seq, i))
		if err != nil {
			return nil, fmt.Errorf("journal entry %d, part %d: %w", seq, i, err)
		}
		if len(b) > 0 && b[0] == pieceS2 {
			if b, err = s2.Decode(nil, b[1:]); err != nil {
				return nil, fmt.Errorf("journal entry %d, part %d is damaged: %w", seq, i, err)
			}
		}
		var group []Change
		if err := json.Unmarshal(b, &group); err != nil {
			return nil, fmt.Errorf("journal entry %d, part %d is damaged: %w", seq, i, err)
		}
		e.Changes = append(e.Changes, group...)
	}
	e.Chunks = 0
	return &e, nil
}

// Entry returns one journal entry.
func (s *Store) Entry(seq uint64) (*Entry, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	var e *Entry
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		e, err = getEntry(txnGetter(txn), seq)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("journal entry %d: %w", seq, ErrNotFound)
	}
	return e, err
}

// Log returns the journal entries made after since (all when since is
// zero), oldest first.
func (s *Store) Log(since time.Time) ([]Entry, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	var out []Entry
	err := s.db.View(func(txn *badger.Txn) error {
		p := []byte(prefixLog)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
		defer it.Close()
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			seq, err := seqOfLogKey(it.Item().Key())
			if err != nil {
				return err
			}
			e, err := getEntry(txnGetter(txn), seq)
			if err != nil {
				return fmt.Errorf("journal entry %d is damaged: %w", seq, err)
			}
			if since.IsZero() || e.At.After(since) {
				out = append(out, *e)
			}
		}
		return nil
	})
	return out, err
}

// UndoRedoLabels names what Undo and Redo would do next, such as "Undo
// move card"; an empty label means there is nothing to undo or redo.
func (s *Store) UndoRedoLabels() (undo, redo string, err error) {
	if err := s.enter(); err != nil {
		return "", "", err
	}
	defer s.leave()
	err = s.db.View(func(txn *badger.Txn) error {
		label := func(key, verb string) (string, error) {
			st, err := readStack(txn, key)
			if err != nil || len(st) == 0 {
				return "", err
			}
			e, err := getEntry(txnGetter(txn), st[len(st)-1])
			if err != nil {
				return "", err
			}
			return verb + " " + lowerFirst(e.Action), nil
		}
		if undo, err = label(keyUndo, "Undo"); err != nil {
			return err
		}
		redo, err = label(keyRedo, "Redo")
		return err
	})
	return
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Undo reverts the most recent action that can be undone, as a new action
// of its own: the fields it changed get their earlier values back with new
// stamps, so the undo travels to colleagues like any edit.
func (s *Store) Undo() (*Entry, error) { return s.step(keyUndo, EntryUndo) }

// Redo applies again the most recently undone action.
func (s *Store) Redo() (*Entry, error) { return s.step(keyRedo, EntryRedo) }

func (s *Store) step(stackKey string, op EntryOp) (*Entry, error) {
	var target *Entry
	if err := s.enter(); err != nil {
		return nil, err
	}
	err := s.db.View(func(txn *badger.Txn) error {
		st, err := readStack(txn, stackKey)
		if err != nil {
			return err
		}
		if len(st) == 0 {
			if op == EntryUndo {
				return ErrNothingToUndo
			}
			return ErrNothingToRedo
		}
		target, err = getEntry(txnGetter(txn), st[len(st)-1])
		return err
	})
	s.leave()
	if err != nil {
		return nil, err
	}
	verb := "Undo"
	if op == EntryRedo {
		verb = "Redo"
	}
	e, err := s.run(verb+" "+lowerFirst(target.Action), op, target.Seq, func(tx *Tx) error {
		// The stack may have changed since the read above: check again
		// inside the transaction.
		st, err := tx.readStack(stackKey)
		if err != nil {
			return err
		}
		if len(st) == 0 || st[len(st)-1] != target.Seq {
			return fmt.Errorf("%s: the journal changed meanwhile; try again", strings.ToLower(verb))
		}
		tx.merging = true
		changes := target.Changes
		// An import's changes may be new competing values alone, with the
		// shown value unchanged: undoing or redoing it stamps every field
		// it touched, so the step settles them too.
		if target.Op == EntryImport {
			tx.force = map[string][]string{}
			for _, c := range changes {
				tx.force[c.Key] = c.Fields
			}
		}
		for i := range changes {
			c := changes[i]
			if op == EntryUndo {
				c = changes[len(changes)-1-i]
			}
			if err := tx.revert(&c, op == EntryUndo); err != nil {
				return fmt.Errorf("%s %s: %w", strings.ToLower(verb), strings.ToLower(target.Action), err)
			}
		}
		return nil
	})
	return e, err
}

// revert writes one change's earlier (undo) or later (redo) field values
// onto the record as it is now.
func (tx *Tx) revert(c *Change, undo bool) error {
	key := []byte(c.Key)
	cur := NewRecord(c.RecordKind)
	if cur == nil {
		return fmt.Errorf("unknown record kind %q in the journal", c.RecordKind)
	}
	if err := tx.get(key, cur); err != nil {
		return err
	}
	var err error
	var names []string
	var values map[string]json.RawMessage
	switch {
	case c.Created() && undo:
		names, values = []string{"deleted"}, map[string]json.RawMessage{"deleted": json.RawMessage("true")}
	case c.Created():
		if values, err = Fields(decodeOrNil(c.RecordKind, c.After)); err != nil {
			return err
		}
		names = append(append(names, c.Fields...), "deleted")
	default:
		src := c.After
		if undo {
			src = c.Before
		}
		if values, err = Fields(decodeOrNil(c.RecordKind, src)); err != nil {
			return err
		}
		names = c.Fields
	}
	if err := SetFields(cur, names, values); err != nil {
		return err
	}
	// A restored value keeps the marking it was written under: what the
	// journal noted, and at least its record's own marking then.
	mark, rel, src := c.MarkAfter, c.RelAfter, c.After
	if undo {
		mark, rel, src = c.MarkBefore, c.RelBefore, c.Before
	}
	if r := decodeOrNil(c.RecordKind, src); r != nil {
		mark = max(mark, ownValues(kindByName[c.RecordKind], r))
	}
	tx.restoreM[c.Key] = max(tx.restoreM[c.Key], mark)
	if contains(names, "tlp") {
		tx.restoreRel[c.Key] = rel
	}
	return tx.putRecord(cur)
}

func txnGetter(txn *badger.Txn) func(key []byte) ([]byte, error) {
	return func(key []byte) ([]byte, error) {
		item, err := txn.Get(key)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil, ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		return item.ValueCopy(nil)
	}
}
