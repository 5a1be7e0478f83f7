package workspace

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// What a team folder (package workspace/team, TEAM-FOLDER.md) needs of a
// workspace: segments of the records changed since the previous one, in
// the share-file format and capped by the rule of DESIGN.md 4a; merges
// that are not steps to undo; and a little state of the copy's own.

// EntrySync is the op of a journal entry that merged segments from a team
// folder. It is not a step to undo (a colleague's change is taken back by a
// new change, never by unmerging it), and what it merged is not sent to the
// folder again: its authors sent it.
const EntrySync EntryOp = "sync"

// MergeTeam merges records read from a team folder as one action, with the
// merge of Import (idempotent, order-free, conflicts kept for the analyst).
// action names the journal entry.
//
// forward lists the records whose merged state is new: neither what this
// copy had nor what the file holds, so nobody has published it. The team
// folder sends them on, so that every copy reaches the same state even
// where a merge joins values that carry no stamps of their own (a card's
// time of last change, which clocks that disagree can set back).
func (s *Store) MergeTeam(sf *ShareFile, action string) (res *ImportResult, forward []string, err error) {
	res = &ImportResult{Manifest: sf.Manifest}
	entry, err := s.run(action, EntrySync, 0, func(tx *Tx) error {
		forward = nil
		// The file's states, taken before the merge works on them.
		remote := make([]*recState, len(sf.Records))
		for i := range sf.Records {
			r := &sf.Records[i]
			st, err := newRecState(r.RecordKind, r.Key, r.Record, r.Stamps, nil)
			if err != nil {
				return err
			}
			st.normalJSON()
			remote[i] = st
		}
		if err := tx.importShare(sf, res, true); err != nil {
			return err
		}
		for i, r := range remote {
			if _, ok := tx.changed[r.key]; !ok {
				continue
			}
			after, err := tx.loadState(r.kind, r.key)
			if err != nil {
				return err
			}
			if !sameState(after, r) {
				forward = append(forward, r.key)
			}
			remote[i] = nil
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	res.Entry = entry
	return res, forward, nil
}

// SegmentOptions choose what a segment holds.
type SegmentOptions struct {
	// MaxTLP is the folder's cap: a record whose effective marking is
	// above it stays out, whole, and is listed as withheld.
	MaxTLP *TLP
	// All writes every record (a snapshot). Otherwise the segment holds
	// the records changed by journal entries after Since, except merges
	// from the team folder (EntrySync) and the creation of the workspace
	// (a copy's first segment is a snapshot), and the records of Retry.
	All   bool
	Since uint64
	// Retry lists records withheld from earlier segments, to look at
	// again: a marking lowered or a marking conflict settled lets them go.
	Retry []string
}

// Withheld is a record a capped output left out.
type Withheld struct {
	RecordKind RecordKind `json:"kind"`
	Key        string     `json:"key"`
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	// TLP is the record's effective marking.
	TLP TLP `json:"tlp"`
	// Conflict is set when an open marking conflict holds the record back:
	// its own marking is within the cap, but a write made under a stricter
	// marking has not been released.
	Conflict bool `json:"conflict,omitempty"`
	// Reason says why, for people.
	Reason string `json:"reason"`
}

// Segment is a share file of what changed, ready to be written.
type Segment struct {
	Manifest Manifest
	// Data is the share file: a zip archive, not encrypted.
	Data []byte
	// Seq is the journal sequence number the segment covers: pass it as
	// Since for the next one.
	Seq uint64
	// Keys are the changed records the segment holds (it also holds the
	// header and the boards, lanes and cards they belong to). Empty when
	// nothing is to be sent.
	Keys []string
	// Withheld lists what the cap kept out, in key order.
	Withheld []Withheld
}

// ShareSegment works out a segment: the records changed since opts.Since
// (or all of them), capped. It reads one consistent state of the
// workspace; nothing is written.
func (s *Store) ShareSegment(opts SegmentOptions) (*Segment, error) {
	if opts.MaxTLP != nil && !opts.MaxTLP.Valid() {
		return nil, fmt.Errorf("TLP cap %d is not a TLP 2.0 level", int(*opts.MaxTLP))
	}
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	s.view.RLock()
	defer s.view.RUnlock()
	seg := &Segment{}
	err := s.db.View(func(txn *badger.Txn) error { return s.segment(txn, opts, seg) })
	if errors.Is(err, ErrAboveCap) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("team segment: %w", err)
	}
	return seg, nil
}

func (s *Store) segment(txn *badger.Txn, opts SegmentOptions, seg *Segment) error {
	seqText, err := getString(txn, keySeq)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if seqText != "" {
		if seg.Seq, err = strconv.ParseUint(seqText, 10, 64); err != nil {
			return fmt.Errorf("%s is damaged: %q", keySeq, seqText)
		}
	}
	all := opts.All || opts.Since > seg.Seq
	// The records, read once each, and their stored JSON.
	recs := map[string]Record{}
	raws := map[string][]byte{}
	var readErr error
	get := func(key string) Record {
		if r, ok := recs[key]; ok {
			return r
		}
		recs[key] = nil
		spec := kindOfKey(key)
		if spec == nil {
			return nil
		}
		item, err := txn.Get([]byte(key))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		var v []byte
		if err == nil {
			v, err = item.ValueCopy(nil)
		}
		var r Record
		if err == nil {
			r, err = decodeStored(spec.kind, v)
		}
		if err != nil {
			if readErr == nil {
				readErr = fmt.Errorf("record %s: %w", key, err)
			}
			return nil
		}
		recs[key], raws[key] = r, v
		return r
	}
	var candidates []string
	if all {
		for _, spec := range recordKinds {
			err := scanKeys(txn, spec.prefix, func(key, v []byte) error {
				r, err := decodeStored(spec.kind, v)
				if err != nil {
					return fmt.Errorf("record %s: %w", key, err)
				}
				k := string(key)
				recs[k], raws[k] = r, append([]byte(nil), v...)
				candidates = append(candidates, k)
				return nil
			})
			if err != nil {
				return err
			}
		}
	} else {
		keys, err := changedSince(txn, opts.Since, seg.Seq)
		if err != nil {
			return err
		}
		candidates = append(keys, opts.Retry...)
	}
	sort.Strings(candidates)
	marks := newMarkings(get)
	meta, _ := get(keyMeta).(*Meta)
	if readErr != nil {
		return readErr
	}
	if meta == nil {
		return fmt.Errorf("workspace header: %w", ErrNotFound)
	}
	if t := marks.of(keyMeta); !Allows(opts.MaxTLP, t) {
		return fmt.Errorf("%w: the workspace title, subtitle and parties are marked %s, above %s", ErrAboveCap, t, *opts.MaxTLP)
	}
	include := map[string]bool{keyMeta: true}
	var addParents func(r Record) bool
	addParents = func(r Record) bool {
		spec, err := specOfRecord(r)
		if err != nil || spec.parents == nil {
			return err == nil
		}
		for _, p := range spec.parents(r) {
			if include[p] {
				continue
			}
			pr := get(p)
			if pr == nil || !Allows(opts.MaxTLP, marks.of(p)) {
				return false
			}
			if !addParents(pr) {
				return false
			}
			include[p] = true
		}
		return true
	}
	for i, key := range candidates {
		if i > 0 && key == candidates[i-1] {
			continue
		}
		r := get(key)
		if r == nil {
			continue
		}
		if t := marks.of(key); !Allows(opts.MaxTLP, t) || !addParents(r) {
			seg.Withheld = append(seg.Withheld, withheld(marks, key, r, opts.MaxTLP))
			continue
		}
		seg.Keys = append(seg.Keys, key)
		include[key] = true
	}
	if readErr != nil {
		return readErr
	}
	if len(seg.Keys) == 0 {
		return nil
	}
	return s.writeSegment(txn, seg, include, marks, raws, opts.MaxTLP)
}

// withheld says why a record stays out of a capped output.
func withheld(marks *markings, key string, r Record, maxTLP *TLP) Withheld {
	m := marks.explain(key)
	w := Withheld{RecordKind: KindOf(r), Key: key, ID: idOfKey(key), Title: RecordTitle(r), TLP: m.TLP}
	if w.RecordKind == RecMeta {
		w.ID = r.(*Meta).ID
	}
	conflicts := m.Conflicts()
	switch {
	case len(conflicts) > 0 && Allows(maxTLP, m.Own):
		w.Conflict = true
		who := conflicts[0].Author
		if who == "" {
			who = "another copy"
		}
		w.Reason = fmt.Sprintf("held back by an open marking conflict: a write by %s made under %s; set its marking again to settle it",
			who, conflicts[0].TLP)
	case Allows(maxTLP, m.TLP):
		w.Reason = "it belongs to a record above the cap"
	default:
		w.Reason = fmt.Sprintf("marked %s, above the cap %s", m.TLP, *maxTLP)
		if why := m.Reason(); why != "" {
			w.Reason += ": " + why
		}
	}
	return w
}

// changedSince lists the records changed by journal entries after since,
// up to seq, leaving out team merges and the creation of the workspace.
func changedSince(txn *badger.Txn, since, seq uint64) ([]string, error) {
	type keyOnly struct {
		Key string `json:"key"`
	}
	var head struct {
		Op      EntryOp   `json:"kind"`
		Changes []keyOnly `json:"changes"`
		Chunks  int       `json:"chunks"`
	}
	seen := map[string]bool{}
	var out []string
	for n := since + 1; n <= seq; n++ {
		head.Op, head.Changes, head.Chunks = "", nil, 0
		if err := getJSON(txn, logKey(n), &head); err != nil {
			if errors.Is(err, ErrNotFound) {
				continue
			}
			return nil, fmt.Errorf("journal entry %d: %w", n, err)
		}
		if head.Op == EntrySync || head.Op == EntryCreate {
			continue
		}
		changes := head.Changes
		for i := 0; i < head.Chunks; i++ {
			var part []keyOnly
			if err := getJSON(txn, logChunkKey(n, i), &part); err != nil {
				return nil, fmt.Errorf("journal entry %d, part %d: %w", n, i, err)
			}
			changes = append(changes, part...)
		}
		for _, c := range changes {
			if !seen[c.Key] && kindOfKey(c.Key) != nil {
				seen[c.Key] = true
				out = append(out, c.Key)
			}
		}
	}
	return out, nil
}

// writeSegment writes the share file of the included records.
func (s *Store) writeSegment(txn *badger.Txn, seg *Segment, include map[string]bool, marks *markings,
	raws map[string][]byte, maxTLP *TLP) error {
	var prof Profile
	if err := getJSON(txn, []byte(keyProfile), &prof); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	meta := marks.get(keyMeta).(*Meta)
	m := &seg.Manifest
	*m = Manifest{Format: ShareFormat, Version: ShareVersion, MaxTLP: maxTLP, Counts: map[RecordKind]int{},
		ExportedAt: s.now().UTC().Truncate(time.Second),
		Workspace:  ManifestWorkspace{ID: meta.ID, Title: meta.Title},
		ExportedBy: ManifestAuthor{Name: prof.Name, Replica: s.replica}}
	keys := make([]string, 0, len(include))
	for k := range include {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var records bytes.Buffer
	for _, key := range keys {
		r := marks.get(key)
		spec, err := specOfRecord(r)
		if err != nil {
			return err
		}
		var st Stamps
		if err := getJSON(txn, stampKey([]byte(key)), &st); err != nil {
			return fmt.Errorf("stamps of %s: %w", key, err)
		}
		m.TLP = max(m.TLP, marks.of(key))
		m.Clock = max(m.Clock, st.MaxClock())
		sj, err := json.Marshal(normalStamps(&st))
		if err != nil {
			return err
		}
		line, err := json.Marshal(shareLine{Kind: spec.kind, Value: raws[key], Stamps: sj})
		if err != nil {
			return fmt.Errorf("record %s: %w", key, err)
		}
		records.Write(line)
		records.WriteByte('\n')
		m.Counts[spec.kind]++
	}
	sum := sha256.Sum256(records.Bytes())
	m.Entries = []ManifestEntry{{Name: recordsEntry, Size: int64(records.Len()), SHA256: hex.EncodeToString(sum[:])}}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range []struct {
		name string
		data []byte
	}{{manifestEntry, mustJSONIndent(m)}, {recordsEntry, records.Bytes()}} {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: m.ExportedAt})
		if err != nil {
			return err
		}
		if _, err := f.Write(e.data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	seg.Data = out.Bytes()
	return nil
}

// Header returns the workspace header (its id, title, parties) without
// reading the rest of the workspace.
func (s *Store) Header() (*Meta, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	var m Meta
	err := s.db.View(func(txn *badger.Txn) error { return getJSON(txn, []byte(keyMeta), &m) })
	if err != nil {
		return nil, fmt.Errorf("workspace header: %w", err)
	}
	return &m, nil
}

// localNames are the names LocalState takes: a few lower-case words.
var localNames = regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)

// LocalState reads a value this copy keeps for itself under name (a team
// folder's progress, say): never journaled, shared or undone. It reports
// false when nothing is kept under the name.
func (s *Store) LocalState(name string, v any) (bool, error) {
	if !localNames.MatchString(name) {
		return false, fmt.Errorf("local state name %q is not valid", name)
	}
	if err := s.enter(); err != nil {
		return false, err
	}
	defer s.leave()
	err := s.db.View(func(txn *badger.Txn) error { return getJSON(txn, []byte(prefixLocal+"x/"+name), v) })
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("local state %s: %w", name, err)
	}
	return true, nil
}

// SetLocalState keeps a value of this copy's own under name (see
// LocalState).
func (s *Store) SetLocalState(name string, v any) error {
	if !localNames.MatchString(name) {
		return fmt.Errorf("local state name %q is not valid", name)
	}
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.Update(func(txn *badger.Txn) error { return putJSON(txn, []byte(prefixLocal+"x/"+name), v) })
}
