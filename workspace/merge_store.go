package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/dgraph-io/badger/v4"
)

// ErrOtherWorkspace says a share file holds a different workspace than the
// one it is imported into.
var ErrOtherWorkspace = errors.New("the file holds another workspace")

// RecordChange is one record an import added, updated, deleted or left in
// conflict.
type RecordChange struct {
	RecordKind RecordKind `json:"kind"`
	ID         string     `json:"id"`
	Key        string     `json:"key"`
	Title      string     `json:"title"`
	// Fields lists the fields that changed, or for a conflict the fields
	// with competing values.
	Fields []string `json:"fields,omitempty"`
}

// ImportResult says what merging a share file did, or would do.
type ImportResult struct {
	Manifest Manifest `json:"manifest"`
	// Added are records this copy did not have; Updated changed; Deleted
	// were live here and are deleted now; Conflicts hold competing values
	// the analyst has to choose between (new or changed by this import).
	Added     []RecordChange `json:"added"`
	Updated   []RecordChange `json:"updated"`
	Deleted   []RecordChange `json:"deleted"`
	Conflicts []RecordChange `json:"conflicts"`
	// Unchanged counts records this copy already had as the file has them;
	// Tombstones counts deleted records that were new here (kept, so the
	// deletion is known if the record arrives later from someone else).
	Unchanged  int `json:"unchanged"`
	Tombstones int `json:"tombstones"`
	// Entry is the journal entry of the import; nil when nothing changed
	// or for a preview.
	Entry *Entry `json:"-"`
}

// Changed reports whether the import changed anything.
func (r *ImportResult) Changed() bool {
	return len(r.Added)+len(r.Updated)+len(r.Deleted)+len(r.Conflicts)+r.Tombstones > 0
}

// Summary is one line for people: "3 added, 1 updated, 0 deleted, 1 conflict".
func (r *ImportResult) Summary() string {
	if !r.Changed() {
		return "nothing new: this copy already has everything the file holds"
	}
	conflicts := fmt.Sprintf("%d conflicts", len(r.Conflicts))
	if len(r.Conflicts) == 1 {
		conflicts = "1 conflict"
	}
	return fmt.Sprintf("%d added, %d updated, %d deleted, %s", len(r.Added), len(r.Updated), len(r.Deleted), conflicts)
}

// errPreview ends a preview's action after the merge, so nothing commits.
var errPreview = errors.New("preview")

// Import merges a share file into the workspace as one action, which
// Undo can take back. Conflicts are not errors: they are kept for the
// analyst and listed in the result.
func (s *Store) Import(sf *ShareFile) (*ImportResult, error) {
	res := &ImportResult{Manifest: sf.Manifest}
	entry, err := s.run(importAction(sf), EntryImport, 0, func(tx *Tx) error {
		return tx.importShare(sf, res, true)
	})
	if err != nil {
		return nil, err
	}
	res.Entry = entry
	return res, nil
}

// PreviewImport works out what Import would do, without changing anything.
func (s *Store) PreviewImport(sf *ShareFile) (*ImportResult, error) {
	res := &ImportResult{Manifest: sf.Manifest}
	_, err := s.run(importAction(sf), EntryImport, 0, func(tx *Tx) error {
		if err := tx.importShare(sf, res, true); err != nil {
			return err
		}
		return errPreview
	})
	if err != nil && !errors.Is(err, errPreview) {
		return nil, err
	}
	return res, nil
}

func importAction(sf *ShareFile) string {
	who := sf.Manifest.ExportedBy.Name
	if who == "" {
		who = "a colleague"
	}
	return "Import from " + who
}

// importShare merges every record of the file. checkID refuses a file of
// another workspace (a new copy has none yet).
func (tx *Tx) importShare(sf *ShareFile, res *ImportResult, checkID bool) error {
	tx.merging = true
	tx.AdvanceClock(sf.Manifest.Clock)
	if checkID {
		m, err := tx.Meta()
		if err != nil {
			return err
		}
		if m.ID != sf.Manifest.Workspace.ID {
			return fmt.Errorf("%w: %q (id %s), not this workspace %q (id %s); open it as a new workspace instead",
				ErrOtherWorkspace, sf.Manifest.Workspace.Title, sf.Manifest.Workspace.ID, m.Title, m.ID)
		}
	}
	byKind := map[RecordKind][]*ShareRecord{}
	if len(tx.changed) == 0 {
		tx.changed = make(map[string]int, len(sf.Records))
	}
	for i := range sf.Records {
		r := &sf.Records[i]
		byKind[r.RecordKind] = append(byKind[r.RecordKind], r)
	}
	// The merged annotations of each card, for its deletion.
	annMerged := map[string]map[string]*Stamps{}
	for _, spec := range recordKinds {
		kind := spec.kind
		// This copy's records of the kind are read in step with the
		// file's, which come in key order; a new copy has none.
		var local *stateReader
		if checkID && len(byKind[kind]) > 0 {
			local = tx.newStateReader(spec.prefix)
		}
		for _, r := range byKind[kind] {
			tx.AdvanceClock(stampsMaxClock(r.Stamps))
			var others func() ([]annWrite, error)
			if kind == RecCard {
				id := r.Record.(*Card).ID
				others = func() ([]annWrite, error) { return tx.annotationWrites(id, annMerged[id]) }
			}
			after, err := tx.mergeOne(r, local, others, res, !checkID)
			if err != nil {
				local.close()
				return fmt.Errorf("merge %s: %w", r.Key, err)
			}
			if kind == RecAnnotation {
				card := r.Record.(*Annotation).Card
				if annMerged[card] == nil {
					annMerged[card] = map[string]*Stamps{}
				}
				annMerged[card][r.Key] = after.st
			}
		}
		local.close()
	}
	return nil
}

// mergeOne merges one record of a file with this copy's (read through
// stored) and writes the result when it differs.
// newCopy is set when the import makes a new copy: it holds nothing yet,
// and its journal entry is not a step to undo, so it does not list each
// record's fields.
func (tx *Tx) mergeOne(r *ShareRecord, stored *stateReader, others func() ([]annWrite, error), res *ImportResult, newCopy bool) (*recState, error) {
	remote, err := newRecState(r.RecordKind, r.Key, r.Record, r.Stamps, nil)
	if err != nil {
		return nil, err
	}
	var local *recState
	switch {
	case newCopy:
	case stored != nil:
		raw, st, err := stored.get(r.Key)
		if err != nil {
			return nil, err
		}
		if raw != nil && bytes.Equal(raw, remote.raw) && bytes.Equal(st, remote.normalJSON()) {
			// The same record with the same stamps: nothing to merge.
			var sts Stamps
			if err := unmarshal(st, &sts); err != nil {
				return nil, fmt.Errorf("stamps of %s are damaged: %w", r.Key, err)
			}
			res.Unchanged++
			return &recState{kind: remote.kind, key: remote.key, rec: remote.rec, base: remote.base, st: &sts, raw: raw}, nil
		}
		if raw != nil {
			if local, err = stateOf(r.RecordKind, r.Key, raw, st); err != nil {
				return nil, err
			}
		}
	default:
		if local, err = tx.loadState(r.RecordKind, r.Key); err != nil {
			return nil, err
		}
	}
	if local != nil && sameState(local, remote) {
		res.Unchanged++
		return local, nil
	}
	after, ok := fastMerge(local, remote)
	if !ok {
		if after, err = mergeRecord(r.RecordKind, local, remote, others); err != nil {
			return nil, err
		}
	}
	if local != nil && sameState(local, after) {
		res.Unchanged++
		return local, nil
	}
	var fields, rewritten []string
	if !newCopy {
		if fields, rewritten, err = changedStampFields(local, after); err != nil {
			return nil, err
		}
	}
	title := RecordTitle(after.rec)
	if err := tx.writeState(local, after, fields, title); err != nil {
		return nil, err
	}
	if r.RecordKind == RecCard {
		var old *Card
		if local != nil {
			old = local.rec.(*Card)
		}
		if err := tx.reindex(old, after.rec.(*Card)); err != nil {
			return nil, err
		}
	}
	res.note(r.RecordKind, r.Key, title, local, after, rewritten)
	return after, nil
}

// writeState stores a merged record and its stamps and notes the change
// for the journal, as write does, from the JSON the states already hold.
func (tx *Tx) writeState(before, after *recState, fields []string, title string) error {
	key := after.key
	if _, ok := tx.changed[key]; ok {
		return fmt.Errorf("record %s merged twice", key)
	}
	st, err := marshal(after.st)
	if err != nil {
		return err
	}
	tx.set([]byte(key), after.raw)
	tx.set(stampKey([]byte(key)), st)
	var prev json.RawMessage
	if before != nil {
		prev = before.raw
	}
	tx.changed[key] = len(tx.entry.Changes)
	if tx.entry.Op == EntryCreate {
		// The entry that makes a workspace lists its records, as the
		// journal keeps it (putEntry): it is never undone or applied.
		tx.entry.Changes = append(tx.entry.Changes, Change{RecordKind: after.kind, ID: idOfKey(key), Key: key, Title: title})
		return nil
	}
	c := Change{RecordKind: after.kind, ID: idOfKey(key), Key: key, Title: title, Fields: fields, Before: prev, After: after.raw}
	if len(fields) > 0 {
		c.MarkAfter = maxMarkOf(after.st, fields)
		if before != nil {
			c.MarkBefore = maxMarkOf(before.st, fields)
		}
		if contains(fields, "tlp") {
			c.RelAfter = after.st.Of("tlp").Rel
			if before != nil {
				c.RelBefore = before.st.Of("tlp").Rel
			}
		}
	}
	tx.entry.Changes = append(tx.entry.Changes, c)
	return nil
}

// note files one written record under what happened to it; rewritten
// lists the fields whose shown value now comes from another write.
func (res *ImportResult) note(kind RecordKind, key, title string, local, after *recState, rewritten []string) {
	ch := RecordChange{RecordKind: kind, ID: idOfKey(key), Key: key, Title: title}
	if kind == RecMeta {
		ch.ID = after.base.ID
	}
	switch {
	case local == nil && after.base.Deleted:
		res.Tombstones++
	case local == nil:
		res.Added = append(res.Added, ch)
	case !local.base.Deleted && after.base.Deleted:
		res.Deleted = append(res.Deleted, ch)
	case len(rewritten) > 0 && !(local.base.Deleted && after.base.Deleted):
		ch.Fields = rewritten
		res.Updated = append(res.Updated, ch)
	}
	if len(after.base.Conflicts) > 0 && !after.base.Deleted {
		before, _ := json.Marshal(local.conflicts())
		now, _ := json.Marshal(after.base.Conflicts)
		if !bytes.Equal(before, now) {
			c := RecordChange{RecordKind: kind, ID: ch.ID, Key: key, Title: title}
			for _, cf := range after.base.Conflicts {
				c.Fields = append(c.Fields, cf.Field)
			}
			res.Conflicts = append(res.Conflicts, c)
		}
	}
}

func (r *recState) conflicts() []Conflict {
	if r == nil {
		return nil
	}
	return r.base.Conflicts
}

// loadState reads a record and its stamps as the action sees them, or nil.
func (tx *Tx) loadState(kind RecordKind, key string) (*recState, error) {
	raw, err := tx.getRaw([]byte(key))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := tx.getRaw(stampKey([]byte(key)))
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("record %s has no merge stamps", key)
	}
	if err != nil {
		return nil, err
	}
	return stateOf(kind, key, raw, st)
}

// stateOf decodes a stored record and its stamps.
func stateOf(kind RecordKind, key string, raw, stamps []byte) (*recState, error) {
	rec := NewRecord(kind)
	if rec == nil {
		return nil, fmt.Errorf("unknown record kind %q", kind)
	}
	if err := unmarshal(raw, rec); err != nil {
		return nil, fmt.Errorf("record %s is damaged: %w", key, err)
	}
	var st Stamps
	if err := unmarshal(stamps, &st); err != nil {
		return nil, fmt.Errorf("record %s is damaged: %w", stampKey([]byte(key)), err)
	}
	return newRecState(kind, key, rec, &st, raw)
}

// stateReader reads the stored records of one prefix and their stamps in
// key order, as an action sees them: one pair of iterators instead of two
// look-ups per record.
type stateReader struct {
	tx              *Tx
	recs, stamps    *badger.Iterator
	prefix, sprefix []byte
}

func (tx *Tx) newStateReader(prefix string) *stateReader {
	r := &stateReader{tx: tx, prefix: []byte(prefix), sprefix: stampKey([]byte(prefix))}
	r.recs = tx.view.NewIterator(badger.IteratorOptions{Prefix: r.prefix, PrefetchValues: true, PrefetchSize: 100})
	r.recs.Seek(r.prefix)
	r.stamps = tx.view.NewIterator(badger.IteratorOptions{Prefix: r.sprefix, PrefetchValues: true, PrefetchSize: 100})
	r.stamps.Seek(r.sprefix)
	return r
}

// get returns the JSON of the record under key and of its stamps, or nils
// when there is no such record. Keys must be asked for in order.
func (r *stateReader) get(key string) (raw, stamps []byte, err error) {
	if _, written := r.tx.writes[key]; written {
		// Written by this action already: read through it.
		if raw, err = r.tx.getRaw([]byte(key)); errors.Is(err, ErrNotFound) {
			return nil, nil, nil
		} else if err != nil {
			return nil, nil, err
		}
		stamps, err = r.tx.getRaw(stampKey([]byte(key)))
	} else {
		if raw, err = seekValue(r.recs, r.prefix, []byte(key)); raw == nil || err != nil {
			return nil, nil, err
		}
		sk := stampKey([]byte(key))
		if _, written := r.tx.writes[string(sk)]; written {
			stamps, err = r.tx.getRaw(sk)
		} else if stamps, err = seekValue(r.stamps, r.sprefix, sk); stamps == nil && err == nil {
			err = ErrNotFound
		}
	}
	if errors.Is(err, ErrNotFound) {
		return nil, nil, fmt.Errorf("record %s has no merge stamps", key)
	}
	return raw, stamps, err
}

// seekValue moves it forward to key and returns its value, or nil when
// the key is not there.
func seekValue(it *badger.Iterator, prefix, key []byte) ([]byte, error) {
	for ; it.ValidForPrefix(prefix); it.Next() {
		switch c := bytes.Compare(it.Item().Key(), key); {
		case c == 0:
			return it.Item().ValueCopy(nil)
		case c > 0:
			return nil, nil
		}
	}
	return nil, nil
}

func (r *stateReader) close() {
	if r != nil {
		r.recs.Close()
		r.stamps.Close()
	}
}

// annotationWrites lists every write of a card's annotations: those the
// import merged (merged, by key) and the others this copy has.
func (tx *Tx) annotationWrites(card string, merged map[string]*Stamps) ([]annWrite, error) {
	var out []annWrite
	add := func(key string, st *Stamps) {
		id := idOfKey(key)
		for _, s := range allStamps(st) {
			out = append(out, annWrite{ann: id, st: s})
		}
	}
	for k, st := range merged {
		add(k, st)
	}
	p := stampKey(annKey(card, ""))
	err := tx.iter(string(p), true, func(k, v []byte) error {
		key := string(k[len(prefixStamp):])
		if _, ok := merged[key]; ok {
			return nil
		}
		var st Stamps
		if err := unmarshal(v, &st); err != nil {
			return fmt.Errorf("stamps %s are damaged: %w", k, err)
		}
		add(key, &st)
		return nil
	})
	return out, err
}

// deletionVV is what a write of a record's "deleted" field has seen: every
// field of the record and, for a card, every write of its annotations
// (under annSeenKey entries), so an annotation the deleter never saw keeps
// the card alive on merge.
func (tx *Tx) deletionVV(kind RecordKind, key []byte, st *Stamps) (VV, error) {
	v := st.RecordVV()
	if kind != RecCard {
		return v, nil
	}
	writes, err := tx.annotationWrites(idOfKey(string(key)), nil)
	if err != nil {
		return nil, err
	}
	for _, w := range writes {
		for r, c := range w.st.VV() {
			if k := annSeenKey(w.ann, r); v[k] < c {
				v[k] = c
			}
		}
	}
	return v, nil
}

// forceFields adds the fields the action must stamp on a record even
// when their values are unchanged.
func (tx *Tx) forceFields(key string, fields []string) []string {
	extra := tx.force[key]
	if len(extra) == 0 {
		return fields
	}
	out := append([]string(nil), fields...)
	for _, f := range extra {
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// ConflictRecord is a live record with competing values for the analyst to
// choose between.
type ConflictRecord struct {
	RecordKind RecordKind
	Key        string
	ID         string
	Title      string
	// Card is the card an annotation belongs to, or the card itself.
	Card      string
	Conflicts []Conflict
	// Unseen lists, for a conflict on "deleted", the writes the deletion
	// had not seen: the reason the record is kept meanwhile.
	Unseen []ConflictValue
}

// ConflictRecords lists every live record with unresolved conflicts, in key
// order.
func (s *Store) ConflictRecords() ([]ConflictRecord, error) {
	var out []ConflictRecord
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	s.view.RLock()
	defer s.view.RUnlock()
	err := s.db.View(func(txn *badger.Txn) error {
		for _, spec := range recordKinds {
			kind := spec.kind
			err := scanKeys(txn, spec.prefix, func(key, v []byte) error {
				if !bytes.Contains(v, []byte(`"conflicts":`)) {
					return nil
				}
				rec, err := decodeStored(kind, v)
				if err != nil {
					return fmt.Errorf("record %s: %w", key, err)
				}
				b := rec.RecordBase()
				if b.Deleted || len(b.Conflicts) == 0 {
					return nil
				}
				cr := ConflictRecord{RecordKind: kind, Key: string(key), ID: b.ID, Title: RecordTitle(rec), Conflicts: b.Conflicts}
				switch r := rec.(type) {
				case *Card:
					cr.Card = r.ID
				case *Annotation:
					cr.Card = r.Card
				}
				for _, c := range b.Conflicts {
					if c.Field == "deleted" {
						unseen, err := unseenWrites(txn, kind, string(key))
						if err != nil {
							return err
						}
						cr.Unseen = unseen
					}
				}
				out = append(out, cr)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// unseenWrites lists the writes of a record (and a card's annotations)
// that none of its competing deletions had seen, newest first.
func unseenWrites(txn *badger.Txn, kind RecordKind, key string) ([]ConflictValue, error) {
	var st Stamps
	if err := getJSON(txn, stampKey([]byte(key)), &st); err != nil {
		return nil, err
	}
	var dels []Stamp
	for _, a := range st.Of("deleted").Alt {
		if isTrue(canonicalValue(a.Value)) {
			dels = append(dels, a.Stamp)
		}
	}
	var writes []annWrite
	for _, w := range allStamps(&st) {
		writes = append(writes, annWrite{st: w})
	}
	if kind == RecCard {
		p := string(stampKey(annKey(idOfKey(key), "")))
		err := scanKeys(txn, p, func(k, v []byte) error {
			var as Stamps
			if err := unmarshal(v, &as); err != nil {
				return err
			}
			for _, w := range allStamps(&as) {
				writes = append(writes, annWrite{ann: idOfKey(string(k)), st: w})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	seen := map[dot]bool{}
	var out []ConflictValue
	for _, w := range writes {
		if w.st.Replica == "" || seen[dot{w.st.Replica, w.st.Clock}] {
			continue
		}
		covered := false
		for _, d := range dels {
			if w.ann == "" && covers(d, w.st) || w.ann != "" && coversAnn(d, w) {
				covered = true
				break
			}
		}
		if !covered {
			seen[dot{w.st.Replica, w.st.Clock}] = true
			out = append(out, conflictValue(nil, w.st))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Clock != out[j].Clock {
			return out[i].Clock > out[j].Clock
		}
		return out[i].Replica > out[j].Replica
	})
	return out, nil
}

// scanKeys calls fn with every key and value under prefix (a whole key when
// prefix is one, such as "meta").
func scanKeys(txn *badger.Txn, prefix string, fn func(key, v []byte) error) error {
	p := []byte(prefix)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: true, PrefetchSize: 100})
	defer it.Close()
	for it.Seek(p); it.ValidForPrefix(p); it.Next() {
		item := it.Item()
		key := item.KeyCopy(nil)
		if prefix == keyMeta && string(key) != keyMeta {
			continue
		}
		err := item.Value(func(v []byte) error { return fn(key, v) })
		if err != nil {
			return err
		}
	}
	return nil
}

// ErrConflictChanged says the value chosen is no longer one of a field's
// competing values: a merge or another window settled it meanwhile.
var ErrConflictChanged = errors.New("the conflict changed meanwhile; look at it again")

// ResolveConflict settles a conflict by keeping one of the competing
// values of a field (value as listed in the record's Conflicts). It is one
// action: the value is written as a new change that has seen every
// competing one, so it settles the conflict on every copy it reaches.
// Keeping "true" for "deleted" deletes the record; "null" keeps it.
func (s *Store) ResolveConflict(key, field string, value json.RawMessage) (*Entry, error) {
	return s.run("Resolve conflict", EntryDo, 0, func(tx *Tx) error {
		return tx.ResolveConflict(key, field, value)
	})
}

// ResolveConflict settles a conflict within the action.
func (tx *Tx) ResolveConflict(key, field string, value json.RawMessage) error {
	spec := kindOfKey(key)
	if spec == nil {
		return fmt.Errorf("resolve conflict: %q is not a record key", key)
	}
	kind := spec.kind
	state, err := tx.loadState(kind, key)
	if err != nil {
		return err
	}
	if state == nil {
		return fmt.Errorf("resolve conflict: %s: %w", key, ErrNotFound)
	}
	want := canonicalValue(value)
	found := false
	for _, c := range state.base.Conflicts {
		if c.Field != field {
			continue
		}
		for _, v := range c.Values {
			if bytes.Equal(canonicalValue(v.Value), want) {
				found = true
			}
		}
	}
	if !found {
		return fmt.Errorf("resolve %s of %q: %w", field, RecordTitle(state.rec), ErrConflictChanged)
	}
	rec := spec.new()
	if err := unmarshal(state.raw, rec); err != nil {
		return err
	}
	if err := SetFields(rec, []string{field}, map[string]json.RawMessage{field: want}); err != nil {
		return err
	}
	if c, ok := rec.(*Card); ok {
		c.UpdatedAt, c.UpdatedBy = tx.at, tx.author
	}
	return tx.putForced(kind, key, state, rec, field)
}

// putForced writes a record like put, stamping field as a new local write
// even when its value is unchanged: choosing the value that already shows
// still settles the conflict.
func (tx *Tx) putForced(kind RecordKind, key string, before *recState, after Record, field string) error {
	if err := after.Validate(); err != nil {
		return err
	}
	st := before.st
	mark := prevMark{maxMarkOf(st, []string{field}), st.Of("tlp").Rel}
	s, err := tx.newWrite(kind, []byte(key), st, field)
	if err != nil {
		return err
	}
	st.Set(field, s)
	tx.noteMarking(key, []string{field})
	tx.local[key] = tx.clock
	if err := syncDerived(after, st); err != nil {
		return err
	}
	fields, err := ChangedFields(before.rec, after)
	if err != nil {
		return err
	}
	if !contains(fields, field) {
		fields = append(fields, field)
		sort.Strings(fields)
	}
	if err := tx.write([]byte(key), before.rec, after, st, fields, mark); err != nil {
		return err
	}
	if c, ok := after.(*Card); ok {
		return tx.reindex(before.rec.(*Card), c)
	}
	return nil
}
