package workspace

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// An action reads from a Badger snapshot and collects its writes in memory;
// they are committed together when the action ends. Most actions are small
// and commit in one Badger transaction. A large one (an import of thousands
// of cards, say) would exceed Badger's transaction limit, about 15% of a
// memtable, so it is staged instead: its writes are written to a file
// beside Badger's (stageFile), synced, and committed by renaming that file
// into place. The writes are then copied to their keys and the file
// removed. A crash in between is finished on the next open, from the file;
// a file not yet renamed is a stage that never committed and is dropped.
// Either way the action lands whole or not at all. An encrypted workspace
// encrypts the file with its key.
//
// Workspaces written by an earlier Briefboard staged inside Badger (stage/
// keys): a stage left there by a crash is finished the same way.

const (
	// stageChunk bounds one piece of a stage: a staged value inside Badger
	// (well under the value log file size that caps a single value), or a
	// sealed piece of the stage file.
	stageChunk = 4 << 20
	// smallCommit is what goes in one ordinary transaction: under the
	// limit Badger derives from the 4 MB memtable (about 600 KB).
	smallCommit = 400 << 10
	smallCount  = 5000
)

// stageHook, when set (by crash tests), runs once a large action's stage
// has committed and before it is copied into place: the window a crash
// must survive.
var stageHook func()

// pending is one write of an action: a value, or a deletion.
type pending struct {
	val []byte
	del bool
}

// overlay is the set of an action's writes, consulted before the snapshot
// so the action reads what it wrote.
type overlay struct {
	view   *badger.Txn
	writes map[string]pending
	size   int
	// byPrefix indexes the written keys, sorted, under every prefix that
	// ends in '/', so a look into one lane does not visit every write of a
	// large action.
	byPrefix map[string][]string
	// direct, when set, takes the writes at once instead of holding them:
	// for the first fill of a new workspace, which nothing reads
	// meanwhile and which the action never reads back. The keys in held
	// still wait for the commit (the header, so a fill cut short leaves
	// no workspace that opens as if whole).
	direct    *badger.WriteBatch
	held      map[string]bool
	directErr error
}

func newOverlay(view *badger.Txn) overlay {
	return overlay{view: view, writes: map[string]pending{}, byPrefix: map[string][]string{}}
}

func (o *overlay) note(k string) {
	if _, ok := o.writes[k]; ok {
		return
	}
	for i := 0; i < len(k); i++ {
		if k[i] == '/' {
			p := k[:i+1]
			list := o.byPrefix[p]
			j := sort.SearchStrings(list, k)
			list = append(list, "")
			copy(list[j+1:], list[j:])
			list[j] = k
			o.byPrefix[p] = list
		}
	}
}

// own lists the written keys under prefix, sorted.
func (o *overlay) own(prefix string) []string {
	var out []string
	if strings.HasSuffix(prefix, "/") {
		out = append(out, o.byPrefix[prefix]...)
	} else {
		for k := range o.writes {
			if strings.HasPrefix(k, prefix) {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (o *overlay) getRaw(key []byte) ([]byte, error) {
	if p, ok := o.writes[string(key)]; ok {
		if p.del {
			return nil, ErrNotFound
		}
		return p.val, nil
	}
	item, err := o.view.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return item.ValueCopy(nil)
}

func (o *overlay) getJSON(key []byte, v any) error {
	b, err := o.getRaw(key)
	if err != nil {
		return err
	}
	if err := unmarshal(b, v); err != nil {
		return fmt.Errorf("record %s is damaged: %w", key, err)
	}
	return nil
}

func (o *overlay) set(key, val []byte) {
	if o.direct != nil && !o.held[string(key)] {
		if err := o.direct.Set(append([]byte(nil), key...), val); err != nil && o.directErr == nil {
			o.directErr = err
		}
		return
	}
	o.note(string(key))
	o.writes[string(key)] = pending{val: val}
	o.size += len(key) + len(val) + 16
}

func (o *overlay) setJSON(key []byte, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	o.set(key, b)
	return nil
}

func (o *overlay) del(key []byte) {
	if o.direct != nil && !o.held[string(key)] {
		if err := o.direct.Delete(append([]byte(nil), key...)); err != nil && o.directErr == nil {
			o.directErr = err
		}
		return
	}
	o.note(string(key))
	o.writes[string(key)] = pending{del: true}
	o.size += len(key) + 16
}

// iter calls fn for every key under prefix in key order, as the action
// sees it: the snapshot with the action's own writes laid over it. With
// values false, fn gets a nil value.
func (o *overlay) iter(prefix string, values bool, fn func(key, val []byte) error) error {
	p := []byte(prefix)
	own := o.own(prefix)
	it := o.view.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: values, PrefetchSize: 100})
	defer it.Close()
	it.Seek(p)
	i := 0
	emitOwn := func(k string) error {
		w := o.writes[k]
		if w.del {
			return nil
		}
		return fn([]byte(k), w.val)
	}
	for ; it.ValidForPrefix(p); it.Next() {
		item := it.Item()
		key := item.Key()
		for i < len(own) && own[i] < string(key) {
			if err := emitOwn(own[i]); err != nil {
				return err
			}
			i++
		}
		if i < len(own) && own[i] == string(key) {
			if err := emitOwn(own[i]); err != nil {
				return err
			}
			i++
			continue
		}
		var val []byte
		if values {
			var err error
			if val, err = item.ValueCopy(nil); err != nil {
				return err
			}
		}
		if err := fn(key, val); err != nil {
			return err
		}
	}
	for ; i < len(own); i++ {
		if err := emitOwn(own[i]); err != nil {
			return err
		}
	}
	return nil
}

// writeDirect starts writing straight to Badger (see overlay.direct),
// holding back the keys given.
func (tx *Tx) writeDirect(held ...string) {
	tx.direct = tx.s.db.NewWriteBatch()
	tx.held = map[string]bool{}
	for _, k := range held {
		tx.held[k] = true
	}
}

// flushDirect lands the writes made straight to Badger.
func (o *overlay) flushDirect() error {
	if o.direct == nil {
		return nil
	}
	wb, err := o.direct, o.directErr
	o.direct = nil
	if err != nil {
		wb.Cancel()
		return err
	}
	return wb.Flush()
}

// cancelDirect drops direct writes not landed yet, when the action fails.
func (o *overlay) cancelDirect() {
	if o.direct != nil {
		o.direct.Cancel()
		o.direct = nil
	}
}

// commit writes the action's writes whole: in one transaction when they
// fit, staged otherwise.
func (s *Store) commit(w map[string]pending, size int) error {
	if size < smallCommit && len(w) < smallCount {
		err := s.db.Update(func(txn *badger.Txn) error {
			for _, k := range sortedKeys(w) {
				if err := applyOne(txn, k, w[k]); err != nil {
					return err
				}
			}
			return nil
		})
		if !errors.Is(err, badger.ErrTxnTooBig) {
			return err
		}
	}
	s.view.Lock()
	defer s.view.Unlock()
	return s.commitStaged(w)
}

func sortedKeys(w map[string]pending) []string {
	keys := make([]string, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func applyOne(txn *badger.Txn, k string, p pending) error {
	if p.del {
		return txn.Delete([]byte(k))
	}
	return txn.Set([]byte(k), p.val)
}

// commitStaged writes the stage file, commits it by renaming it into
// place, then copies the writes into Badger and removes the file.
func (s *Store) commitStaged(w map[string]pending) error {
	key := s.db.Opts().EncryptionKey
	if err := writeStageFile(s.dir, key, w); err != nil {
		return fmt.Errorf("stage the change: %w", err)
	}
	if stageHook != nil {
		stageHook()
	}
	if err := applyWrites(s.db, func(put func(k string, p pending) error) error {
		for k, p := range w {
			if err := put(k, p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("apply staged change: %w", err)
	}
	return removeStageFile(s.dir)
}

// applyWrites copies writes into Badger in batches.
func applyWrites(db *badger.DB, each func(put func(k string, p pending) error) error) error {
	wb := db.NewWriteBatch()
	err := each(func(k string, p pending) error {
		if p.del {
			return wb.Delete([]byte(k))
		}
		return wb.Set([]byte(k), p.val)
	})
	if err != nil {
		wb.Cancel()
		return err
	}
	return wb.Flush()
}

// appendStaged writes one key and its value or deletion:
// uvarint key length, key, one flag byte, uvarint value length, value.
func appendStaged(out []byte, k string, p pending) []byte {
	out = binary.AppendUvarint(out, uint64(len(k)))
	out = append(out, k...)
	if p.del {
		return append(out, 1)
	}
	out = append(out, 0)
	out = binary.AppendUvarint(out, uint64(len(p.val)))
	return append(out, p.val...)
}

func decodeStaged(b []byte, fn func(k string, p pending) error) error {
	for len(b) > 0 {
		n, m := binary.Uvarint(b)
		if m <= 0 || uint64(len(b)-m) < n+1 {
			return errors.New("staged change is damaged")
		}
		k := string(b[m : m+int(n)])
		b = b[m+int(n):]
		flag := b[0]
		b = b[1:]
		if flag == 1 {
			if err := fn(k, pending{del: true}); err != nil {
				return err
			}
			continue
		}
		n, m = binary.Uvarint(b)
		if m <= 0 || uint64(len(b)-m) < n {
			return errors.New("staged change is damaged")
		}
		if err := fn(k, pending{val: b[m : m+int(n)]}); err != nil {
			return err
		}
		b = b[m+int(n):]
	}
	return nil
}

// finishStage copies a committed stage into place and removes it. It runs
// on open, where it finishes one that a crash interrupted (copying twice
// writes the same values) and drops one that never committed.
func (s *Store) finishStage() error {
	if err := s.finishStageFile(); err != nil {
		return err
	}
	return s.finishBadgerStage()
}

// finishStageFile finishes a committed stage file and drops an
// uncommitted one.
func (s *Store) finishStageFile() error {
	if err := os.Remove(filepath.Join(s.dir, stageTemp)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("drop an uncommitted stage: %w", err)
	}
	path := filepath.Join(s.dir, stageFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	key := s.db.Opts().EncryptionKey
	// Read it whole once to check it, then again to apply it: a damaged
	// stage must not land in part.
	if err := readStageFile(path, key, func(string, pending) error { return nil }); err != nil {
		return fmt.Errorf("read staged change: %w", err)
	}
	err := applyWrites(s.db, func(put func(k string, p pending) error) error {
		return readStageFile(path, key, put)
	})
	if err != nil {
		return fmt.Errorf("apply staged change: %w", err)
	}
	return removeStageFile(s.dir)
}

// finishBadgerStage finishes a stage that an earlier Briefboard left in
// Badger, or drops one that never committed.
func (s *Store) finishBadgerStage() error {
	var n int
	err := s.db.View(func(txn *badger.Txn) error {
		v, err := getString(txn, keyStageDone)
		if err != nil {
			return err
		}
		n, err = strconv.Atoi(v)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return s.dropStage()
	}
	if err != nil {
		return fmt.Errorf("read staged change: %w", err)
	}
	for i := 0; i < n; i++ {
		var chunk []byte
		err := s.db.View(func(txn *badger.Txn) error {
			item, err := txn.Get(stageKey(i))
			if err != nil {
				return err
			}
			chunk, err = item.ValueCopy(nil)
			return err
		})
		if err != nil {
			return fmt.Errorf("read staged change %d: %w", i, err)
		}
		err = applyWrites(s.db, func(put func(k string, p pending) error) error {
			return decodeStaged(chunk, put)
		})
		if err != nil {
			return fmt.Errorf("apply staged change: %w", err)
		}
	}
	return s.dropStage()
}

// dropStage removes stage chunks, committed or left over from a stage that
// never committed.
func (s *Store) dropStage() error {
	var keys [][]byte
	err := s.db.View(func(txn *badger.Txn) error {
		p := []byte(prefixStage)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p})
		defer it.Close()
		for it.Seek(p); it.ValidForPrefix(p); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		return nil
	})
	if err != nil || len(keys) == 0 {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error {
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// nearest finds the written or stored key under prefix that comes first
// after from (or last before it, with reverse), skipping keys for which
// skip is true. An empty from means the start (or, reversed, the end).
func (o *overlay) nearest(prefix, from string, reverse bool, skip func(k string) bool) (string, bool) {
	beyond := func(k string) bool {
		switch {
		case from == "":
			return true
		case reverse:
			return k < from
		default:
			return k > from
		}
	}
	best, found := "", false
	list := o.byPrefix[prefix]
	if reverse {
		i := len(list) - 1
		if from != "" {
			i = sort.SearchStrings(list, from) - 1
		}
		for ; i >= 0; i-- {
			if k := list[i]; !o.writes[k].del && beyond(k) && !skip(k) {
				best, found = k, true
				break
			}
		}
	} else {
		i := 0
		if from != "" {
			i = sort.SearchStrings(list, from)
		}
		for ; i < len(list); i++ {
			if k := list[i]; !o.writes[k].del && beyond(k) && !skip(k) {
				best, found = k, true
				break
			}
		}
	}
	p := []byte(prefix)
	it := o.view.NewIterator(badger.IteratorOptions{Prefix: p, Reverse: reverse})
	defer it.Close()
	start := []byte(from)
	switch {
	case from == "" && reverse:
		start = append([]byte(prefix), 0xff)
	case from == "":
		start = p
	}
	for it.Seek(start); it.ValidForPrefix(p); it.Next() {
		k := string(it.Item().Key())
		if _, written := o.writes[k]; written || !beyond(k) || skip(k) {
			continue
		}
		if !found || reverse && k > best || !reverse && k < best {
			best, found = k, true
		}
		break
	}
	return best, found
}

// hasStage reports whether a stage is there: a stage file, committed or
// not, or a stage key in the store.
func (s *Store) hasStage() (bool, error) {
	for _, name := range []string{stageFile, stageTemp} {
		if _, err := os.Stat(filepath.Join(s.dir, name)); err == nil {
			return true, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return false, err
		}
	}
	found := false
	err := s.db.View(func(txn *badger.Txn) error {
		p := []byte(prefixStage)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: false})
		defer it.Close()
		it.Seek(p)
		found = it.ValidForPrefix(p)
		return nil
	})
	return found, err
}
