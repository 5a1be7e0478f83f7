package workspace

import (
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// ErrBeforeJournal says a time is earlier than the workspace's journal
// reaches: the workspace as it was then cannot be told.
var ErrBeforeJournal = errors.New("the journal does not reach back that far")

// SnapshotAt returns the live workspace as it was at time t, worked back
// from the records as they are now through the journal: every action made
// after t is taken back, its records given the values (and markings) they
// had before it. A time before the journal's first action is
// ErrBeforeJournal.
func (s *Store) SnapshotAt(t time.Time) (*Snapshot, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	s.view.RLock()
	defer s.view.RUnlock()
	var snap *Snapshot
	err := s.db.View(func(txn *badger.Txn) error {
		raw := map[string][]byte{}
		for _, spec := range recordKinds {
			p := []byte(spec.prefix)
			it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: true, PrefetchSize: 100})
			for it.Seek(p); it.ValidForPrefix(p); it.Next() {
				item := it.Item()
				if spec.single && string(item.Key()) != spec.prefix {
					continue
				}
				v, err := item.ValueCopy(nil)
				if err != nil {
					it.Close()
					return err
				}
				raw[string(item.KeyCopy(nil))] = v
			}
			it.Close()
		}
		seq, err := s.revertAfter(txn, t, raw)
		if err != nil {
			return err
		}
		snap = newSnapshot(s.replica)
		snap.Seq = seq
		if err := getJSON(txn, []byte(keyProfile), &snap.Profile); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		for key, v := range raw {
			spec := kindOfKey(key)
			if spec == nil {
				continue
			}
			r, err := decodeStored(spec.kind, v)
			if err != nil {
				return fmt.Errorf("record %s as it was: %w", key, err)
			}
			snap.put(r)
		}
		if _, ok := raw[keyMeta]; !ok {
			return fmt.Errorf("%w: the workspace had no header then", ErrBeforeJournal)
		}
		snap.build()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// revertAfter takes back, in raw (record values by key), every journal
// entry made after t, newest first, and returns the sequence number of
// the last entry it leaves.
func (s *Store) revertAfter(txn *badger.Txn, t time.Time, raw map[string][]byte) (uint64, error) {
	p := []byte(prefixLog)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p, Reverse: true})
	defer it.Close()
	var first time.Time
	for it.Seek(append(append([]byte(nil), p...), 0xff)); it.ValidForPrefix(p); it.Next() {
		seq, err := seqOfLogKey(it.Item().Key())
		if err != nil {
			return 0, err
		}
		e, err := getEntry(txnGetter(txn), seq)
		if err != nil {
			return 0, fmt.Errorf("journal entry %d is damaged: %w", seq, err)
		}
		if !e.At.After(t) {
			return seq, nil
		}
		for i := len(e.Changes) - 1; i >= 0; i-- {
			c := &e.Changes[i]
			if c.Created() {
				delete(raw, c.Key)
			} else {
				raw[c.Key] = c.Before
			}
		}
		first = e.At
	}
	if first.IsZero() {
		return 0, fmt.Errorf("%w: the workspace has no journal", ErrBeforeJournal)
	}
	return 0, fmt.Errorf("%w: its first action was at %s", ErrBeforeJournal, first.UTC().Format("2006-01-02 15:04:05 UTC"))
}

// BaselineAt is the workspace as it was at time t as a baseline: what a
// brief of spec (its boards, lanes and cap) would have shown then. A time
// after the last action is the workspace as it is.
func (s *Store) BaselineAt(t time.Time, spec BriefSpec) (*Baseline, error) {
	if t.After(s.now()) {
		return nil, fmt.Errorf("%s is in the future", t.Format("2006-01-02 15:04:05 MST"))
	}
	past, err := s.SnapshotAt(t)
	if err != nil {
		return nil, err
	}
	// Boards named by title are found as they are now, then looked for
	// by id then.
	if len(spec.Boards) > 0 {
		cur, err := s.Snapshot()
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, b := range spec.Boards {
			if bd := cur.FindBoard(b); bd != nil {
				ids = append(ids, bd.ID)
			} else {
				ids = append(ids, b)
			}
		}
		spec.Boards = ids
	}
	capped, err := past.Capped(spec.Cap)
	if err != nil {
		return nil, fmt.Errorf("the workspace as it was at %s: %w", t.Format("2006-01-02 15:04"), err)
	}
	return &Baseline{At: t, Cards: capped.digest(capped.scopeOf(spec), !spec.NoAnnotations), annotations: !spec.NoAnnotations}, nil
}
