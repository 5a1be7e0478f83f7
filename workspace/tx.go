package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Entry is one action in the change journal: what the analyst (or an
// import, undo or redo) did, and every record it changed.
type Entry struct {
	Seq    uint64 `json:"seq"`
	Action string `json:"action"`
	// Op says what made the entry: an action of the analyst's (EntryDo),
	// an undo, a redo, an import, or the creation of the workspace.
	Op EntryOp `json:"kind"`
	// Target is the entry an undo or redo acted on.
	Target  uint64    `json:"target,omitempty"`
	At      time.Time `json:"at"`
	Author  string    `json:"author,omitempty"`
	Replica string    `json:"replica"`
	Clock   uint64    `json:"clock"`
	Changes []Change  `json:"changes"`
	// Chunks counts the pieces a large entry's changes are stored in.
	Chunks int `json:"chunks,omitempty"`
}

// EntryOp says what made a journal entry.
type EntryOp string

// Journal entry ops.
const (
	EntryDo     EntryOp = "do"
	EntryUndo   EntryOp = "undo"
	EntryRedo   EntryOp = "redo"
	EntryImport EntryOp = "import"
	// EntryCreate made the workspace; it is not a step to undo.
	EntryCreate EntryOp = "create"
)

// Change is one record as it was before an action and after it.
type Change struct {
	RecordKind RecordKind `json:"kind"`
	ID         string     `json:"id"`
	Key        string     `json:"key"`
	// Title names the record for people: a card's title, a lane's name.
	Title string `json:"title,omitempty"`
	// Fields lists the stamped fields the action changed.
	Fields []string `json:"fields"`
	// Before is the record before the action; empty when it created it.
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after"`
	// MarkBefore and MarkAfter are the strictest markings the changed
	// fields' values were written under, before and after the action:
	// undo and redo restore a value with its marking.
	MarkBefore TLP `json:"mb,omitempty"`
	MarkAfter  TLP `json:"ma,omitempty"`
	// RelBefore and RelAfter are what the marking field's write released,
	// when the action changed it (see Stamp.Rel).
	RelBefore VV `json:"rb,omitempty"`
	RelAfter  VV `json:"ra,omitempty"`
}

// Created reports whether the change made a new record.
func (c *Change) Created() bool { return len(c.Before) == 0 }

// Deleted reports whether the change turned the record into a tombstone.
func (c *Change) Deleted() bool {
	if !contains(c.Fields, "deleted") {
		return false
	}
	var after Base
	return json.Unmarshal(c.After, &after) == nil && after.Deleted
}

// Tx is one action in progress: every read and write inside it lands whole
// or not at all. Writes are stamped for merging and captured for the
// journal.
type Tx struct {
	overlay
	s       *Store
	clock   uint64
	at      time.Time
	author  string
	entry   *Entry
	changed map[string]int
	// merging is set by imports, whose records come with their own stamps
	// and may refer to records the file did not carry, and by undo and
	// redo, which restore states that were valid when they were made:
	// neither asks for the references a new edit needs.
	merging bool
	// force lists, by record key, fields that put stamps even when their
	// value is unchanged: undoing an import must also settle the
	// conflicts it brought (see forceFields), and a marking action is a
	// write even to the value the record has.
	force map[string][]string
	// local holds, by record key, the clock of the action's own writes,
	// whose markings are set when the action ends (finishMarkings).
	local map[string]uint64
	// marked lists the records whose marking an action set: a lowering
	// releases what depended on them (cascadeMarkings).
	marked []string
	// restoreM and restoreRel carry, for undo and redo, the marking a
	// restored value was written under and what the restored marking
	// field's write had released.
	restoreM   map[string]TLP
	restoreRel map[string]VV
}

// At returns the time of the action.
func (tx *Tx) At() time.Time { return tx.at }

// Author returns the analyst's name for this action.
func (tx *Tx) Author() string { return tx.author }

// Clock returns the logical clock of the action.
func (tx *Tx) Clock() uint64 { return tx.clock }

// Replica returns the replica id the action writes under.
func (tx *Tx) Replica() string { return tx.s.replica }

// errNoChange aborts an action that changed nothing, so it leaves no
// journal entry.
var errNoChange = errors.New("no change")

// Do runs fn as one action named action ("Move card"): it commits whole,
// with one journal entry, or not at all. An action that changes nothing
// returns a nil entry and no error.
func (s *Store) Do(action string, fn func(tx *Tx) error) (*Entry, error) {
	return s.run(action, EntryDo, 0, fn)
}

func (s *Store) run(action string, op EntryOp, target uint64, fn func(tx *Tx) error) (*Entry, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	entry, err := s.runLocked(action, op, target, fn)
	listeners := append([]listener(nil), s.listeners...)
	s.mu.Unlock()
	s.leave()
	if errors.Is(err, errNoChange) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, l := range listeners {
		l.fn(entry)
	}
	return entry, nil
}

func (s *Store) runLocked(action string, op EntryOp, target uint64, fn func(tx *Tx) error) (*Entry, error) {
	view := s.db.NewTransaction(false)
	defer view.Discard()
	tx := &Tx{overlay: newOverlay(view), s: s, changed: map[string]int{}, local: map[string]uint64{},
		restoreM: map[string]TLP{}, restoreRel: map[string]VV{}}
	clock, err := tx.readUint(keyClock)
	if err != nil {
		return nil, err
	}
	var prof Profile
	if err := tx.getJSON([]byte(keyProfile), &prof); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	tx.clock, tx.at, tx.author = clock+1, s.now().UTC().Truncate(time.Millisecond), prof.Name
	tx.entry = &Entry{Action: action, Op: op, Target: target, At: tx.at, Author: tx.author, Replica: s.replica, Clock: tx.clock}
	defer tx.cancelDirect()
	if err := fn(tx); err != nil {
		return nil, err
	}
	if err := tx.finishMarkings(); err != nil {
		return nil, err
	}
	// An undo or redo whose values are already in place (a colleague made
	// the same change) still moves the step between the stacks.
	if len(tx.entry.Changes) == 0 && op != EntryUndo && op != EntryRedo {
		return nil, errNoChange
	}
	tx.set([]byte(keyClock), []byte(strconv.FormatUint(tx.clock, 10)))
	seq, err := tx.readUint(keySeq)
	if err != nil {
		return nil, err
	}
	tx.entry.Seq = seq + 1
	tx.set([]byte(keySeq), []byte(strconv.FormatUint(seq+1, 10)))
	if err := tx.putEntry(tx.entry); err != nil {
		return nil, err
	}
	if err := tx.updateStacks(tx.entry); err != nil {
		return nil, err
	}
	if err := tx.flushDirect(); err != nil {
		return nil, fmt.Errorf("%s: %w", strings.ToLower(action), err)
	}
	if err := s.commit(tx.writes, tx.size); err != nil {
		return nil, fmt.Errorf("%s: %w", strings.ToLower(action), err)
	}
	return tx.entry, nil
}

func (tx *Tx) readUint(key string) (uint64, error) {
	b, err := tx.getRaw([]byte(key))
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	v := string(b)
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is damaged: %q", key, v)
	}
	return n, nil
}

// AdvanceClock moves the action's logical clock past c: a merge calls it
// with every clock it has seen, so later local writes come after them.
func (tx *Tx) AdvanceClock(c uint64) {
	if c >= tx.clock {
		tx.clock = c + 1
		tx.entry.Clock = tx.clock
	}
}

// get decodes the record under key into v, mapping a missing key to
// ErrNotFound.
func (tx *Tx) get(key []byte, v any) error {
	err := tx.getJSON(key, v)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return err
}

func (tx *Tx) getStamps(key []byte) (*Stamps, error) {
	var st Stamps
	err := tx.getJSON(stampKey(key), &st)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// put writes a record: after replaces before (nil when the record is new).
// It stamps each changed field with this action's clock and records the
// change for the journal. Writing a record unchanged is a no-op.
func (tx *Tx) put(before, after Record) error {
	fields, err := ChangedFields(before, after)
	if err != nil {
		return err
	}
	return tx.putChanged(before, after, fields)
}

// putChanged is put with the changed fields already known.
func (tx *Tx) putChanged(before, after Record, fields []string) error {
	if err := after.Validate(); err != nil {
		return err
	}
	k, err := specOfRecord(after)
	if err != nil {
		return err
	}
	key := []byte(KeyOf(after))
	created := isNil(before)
	fields = tx.forceFields(string(key), fields)
	if !created && len(fields) == 0 {
		return nil
	}
	st, err := tx.getStamps(key)
	if err != nil {
		return err
	}
	var mark prevMark
	if st == nil {
		st = &Stamps{Base: Stamp{Clock: tx.clock, Replica: tx.s.replica, Author: tx.author, At: tx.at.UnixMilli()}}
	} else {
		mark = prevMark{maxMarkOf(st, fields), st.Of("tlp").Rel}
		for _, f := range fields {
			s, err := tx.newWrite(k.kind, key, st, f)
			if err != nil {
				return err
			}
			st.Set(f, s)
		}
		tx.noteMarking(string(key), fields)
	}
	tx.local[string(key)] = tx.clock
	if err := syncDerived(after, st); err != nil {
		return err
	}
	return tx.write(key, before, after, st, fields, mark)
}

// prevMark is what the journal keeps of the markings a change replaced.
type prevMark struct {
	mark TLP
	rel  VV
}

// newWrite stamps a new local write of a field: a deletion carries what it
// had seen of the record, a marking action what it releases.
func (tx *Tx) newWrite(kind RecordKind, key []byte, st *Stamps, field string) (Stamp, error) {
	var extra VV
	if field == "deleted" {
		var err error
		if extra, err = tx.deletionVV(kind, key, st); err != nil {
			return Stamp{}, err
		}
	}
	s := localWrite(st.Of(field), extra, tx.clock, tx.s.replica, tx.author, tx.at.UnixMilli())
	if field == "tlp" {
		if rel, ok := tx.restoreRel[string(key)]; ok {
			s.Rel = rel
		} else {
			s.Rel = tx.releaseVV(st)
		}
	}
	return s, nil
}

// noteMarking queues a record whose marking field the action wrote as a
// marking action (not an undo or redo, which restore what was released).
func (tx *Tx) noteMarking(key string, fields []string) {
	if _, restoring := tx.restoreRel[key]; !restoring && contains(fields, "tlp") {
		tx.marked = append(tx.marked, key)
	}
}

// write stores a record and its stamps and notes the change.
func (tx *Tx) write(key []byte, before, after Record, st *Stamps, fields []string, mark prevMark) error {
	val, err := marshal(after)
	if err != nil {
		return err
	}
	tx.set(key, val)
	if err := tx.setJSON(stampKey(key), st); err != nil {
		return err
	}
	kind, title := KindOf(after), RecordTitle(after)
	k := string(key)
	if i, ok := tx.changed[k]; ok {
		c := &tx.entry.Changes[i]
		c.After = val
		c.Title = title
		c.Fields, err = ChangedFields(decodeOrNil(kind, c.Before), after)
		return err
	}
	var prev json.RawMessage
	if !isNil(before) {
		if prev, err = marshal(before); err != nil {
			return err
		}
	}
	tx.changed[k] = len(tx.entry.Changes)
	c := Change{RecordKind: kind, ID: idOfKey(k), Key: k, Title: title, Fields: fields, Before: prev, After: val,
		MarkBefore: mark.mark}
	if contains(fields, "tlp") {
		c.RelBefore = mark.rel
	}
	tx.entry.Changes = append(tx.entry.Changes, c)
	return nil
}

func idOfKey(k string) string { return k[strings.LastIndexByte(k, '/')+1:] }

// Meta returns the workspace header.
func (tx *Tx) Meta() (*Meta, error) {
	var m Meta
	return &m, tx.get([]byte(keyMeta), &m)
}

// PutMeta writes the workspace header.
func (tx *Tx) PutMeta(m *Meta) error {
	old, err := tx.Meta()
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if errors.Is(err, ErrNotFound) {
		old = nil
	}
	if m.ID == "" {
		m.ID = NewID()
	}
	return tx.put(nilIfNil(old), m)
}

// nilIfNil turns a typed nil pointer into an untyped nil interface.
func nilIfNil[T any](p *T) Record {
	if p == nil {
		return nil
	}
	if v, ok := any(p).(Record); ok {
		return v
	}
	return nil
}

// Board returns a board, deleted or not.
func (tx *Tx) Board(id string) (*Board, error) {
	var b Board
	if err := tx.get(boardKey(id), &b); err != nil {
		return nil, fmt.Errorf("board %s: %w", id, ErrNotFound)
	}
	return &b, nil
}

// PutBoard creates or updates a board.
func (tx *Tx) PutBoard(b *Board) error {
	old, err := tx.Board(b.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return tx.put(nilIfNil(old), b)
}

// Lane returns a lane, deleted or not.
func (tx *Tx) Lane(id string) (*Lane, error) {
	var l Lane
	if err := tx.get(laneKey(id), &l); err != nil {
		return nil, fmt.Errorf("lane %s: %w", id, ErrNotFound)
	}
	return &l, nil
}

// PutLane creates or updates a lane.
func (tx *Tx) PutLane(l *Lane) error {
	old, err := tx.Lane(l.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if !tx.merging {
		if b, err := tx.Board(l.Board); err != nil || b.Deleted {
			return invalid("board", "the lane's board %s does not exist", l.Board)
		}
		if old != nil && old.Board != l.Board {
			return invalid("board", "a lane cannot move to another board")
		}
	}
	return tx.put(nilIfNil(old), l)
}

// Card returns a card, deleted or not.
func (tx *Tx) Card(id string) (*Card, error) {
	var c Card
	if err := tx.get(cardKey(id), &c); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("card %s: %w", id, ErrNotFound)
		}
		return nil, err
	}
	return &c, nil
}

// LiveCard returns a card that is not deleted.
func (tx *Tx) LiveCard(id string) (*Card, error) {
	c, err := tx.Card(id)
	if err != nil {
		return nil, err
	}
	if c.Deleted {
		return nil, fmt.Errorf("card %s: %w (it was deleted)", id, ErrNotFound)
	}
	return c, nil
}

// PutCard creates or updates a card, checking that its board, lane, sources,
// parties and linked cards exist, and keeping the lane's order index.
func (tx *Tx) PutCard(c *Card) error {
	old, err := tx.Card(c.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if !tx.merging && !c.Deleted {
		if err := tx.checkCardRefs(old, c); err != nil {
			return err
		}
	}
	if old == nil {
		if c.CreatedAt.IsZero() {
			c.CreatedAt, c.CreatedBy = tx.at, tx.author
		}
	} else {
		c.CreatedAt, c.CreatedBy = old.CreatedAt, old.CreatedBy
	}
	before := nilIfNil(old)
	// The update time is not a stamped field, so the changed fields can be
	// found before it is set.
	fields, err := ChangedFields(before, c)
	if err != nil {
		return err
	}
	c.UpdatedAt, c.UpdatedBy = tx.at, tx.author
	if old != nil && len(fields) == 0 {
		// An unchanged card keeps its update time.
		c.UpdatedAt, c.UpdatedBy = old.UpdatedAt, old.UpdatedBy
	}
	if err := tx.putChanged(before, c, fields); err != nil {
		return err
	}
	return tx.reindex(old, c)
}

// reindex keeps ix/<lane>/<order>/<card> in step with a card's place.
func (tx *Tx) reindex(old, c *Card) error {
	if old != nil && !old.Deleted {
		if old.Lane == c.Lane && old.Order == c.Order && !c.Deleted {
			return nil
		}
		tx.del(orderIndexKey(old.Lane, old.Order, old.ID))
	}
	if !c.Deleted {
		tx.set(orderIndexKey(c.Lane, c.Order, c.ID), []byte{})
	}
	return nil
}

// checkCardRefs checks the references a write adds to a card (all of them
// for a new card). References the card already had are left alone: a
// merge can leave one dangling (a colleague deleted the source meanwhile,
// or shared a file capped below its marking), and the card must stay
// editable.
func (tx *Tx) checkCardRefs(old, c *Card) error {
	if old != nil && old.Deleted {
		old = nil
	}
	if old == nil || old.Board != c.Board || old.Lane != c.Lane {
		b, err := tx.Board(c.Board)
		if err != nil || b.Deleted {
			return invalid("board", "board %s does not exist", c.Board)
		}
		l, err := tx.Lane(c.Lane)
		if err != nil || l.Deleted {
			return invalid("lane", "lane %s does not exist", c.Lane)
		}
		if l.Board != c.Board {
			return invalid("lane", "lane %s belongs to another board", jsonString(l.Name))
		}
	}
	had := map[string]bool{}
	if old != nil {
		for _, ci := range old.Citations {
			had["s"+ci.Source] = true
		}
		for _, ln := range old.Links {
			had["c"+ln.To] = true
		}
		for p := range old.Positions {
			had["p"+p] = true
		}
	}
	for _, ci := range c.Citations {
		if had["s"+ci.Source] {
			continue
		}
		s, err := tx.Source(ci.Source)
		if err != nil || s.Deleted {
			return invalid("citations", "cited source %s does not exist", ci.Source)
		}
	}
	for _, ln := range c.Links {
		if had["c"+ln.To] {
			continue
		}
		if _, err := tx.Card(ln.To); err != nil {
			return invalid("links", "linked card %s does not exist", ln.To)
		}
	}
	if len(c.Positions) > 0 {
		m, err := tx.Meta()
		if err != nil {
			return err
		}
		for party := range c.Positions {
			if !had["p"+party] && !m.HasParty(party) {
				return invalid("positions", "party %s is not a party of this workspace", party)
			}
		}
	}
	return nil
}

// HasParty reports whether the workspace lists the party id.
func (m *Meta) HasParty(id string) bool {
	for _, p := range m.Parties {
		if p.ID == id {
			return true
		}
	}
	return false
}

// Source returns a source, deleted or not.
func (tx *Tx) Source(id string) (*Source, error) {
	var s Source
	if err := tx.get(sourceKey(id), &s); err != nil {
		return nil, fmt.Errorf("source %s: %w", id, ErrNotFound)
	}
	return &s, nil
}

// PutSource creates or updates a source.
func (tx *Tx) PutSource(s *Source) error {
	old, err := tx.Source(s.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return tx.put(nilIfNil(old), s)
}

// Annotation returns an annotation of a card, deleted or not.
func (tx *Tx) Annotation(card, id string) (*Annotation, error) {
	var a Annotation
	if err := tx.get(annKey(card, id), &a); err != nil {
		return nil, fmt.Errorf("annotation %s: %w", id, ErrNotFound)
	}
	return &a, nil
}

// PutAnnotation creates or updates an annotation.
func (tx *Tx) PutAnnotation(a *Annotation) error {
	old, err := tx.Annotation(a.Card, a.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if !tx.merging {
		if _, err := tx.Card(a.Card); err != nil {
			return invalid("card", "card %s does not exist", a.Card)
		}
	}
	if old == nil && a.At.IsZero() {
		a.At = tx.at
	}
	return tx.put(nilIfNil(old), a)
}

// orderRef is one card's place in a lane.
type orderRef struct{ Order, Card string }

// laneOrder lists the live cards of a lane in order (by key, then id).
func (tx *Tx) laneOrder(lane string) []orderRef {
	p := orderIndexPrefix(lane)
	var out []orderRef
	tx.iter(string(p), false, func(key, _ []byte) error {
		rest := string(key[len(p):])
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			out = append(out, orderRef{Order: rest[:i], Card: rest[i+1:]})
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Card < out[j].Card
	})
	return out
}

// scan calls fn with the value of every record under prefix, as the action
// sees them.
func (tx *Tx) scan(prefix string, fn func(v []byte) error) error {
	return tx.iter(prefix, true, func(key, val []byte) error {
		if err := fn(val); err != nil {
			return fmt.Errorf("record %s: %w", key, err)
		}
		return nil
	})
}

// laneNeighbour returns the place next to a key of a lane's order index:
// the card before it (reverse) or after it, skipping the card being moved.
// An empty key means the end (reverse) or the start of the lane.
func (tx *Tx) laneNeighbour(lane, key, skipCard string, reverse bool) (orderRef, bool) {
	p := string(orderIndexPrefix(lane))
	k, ok := tx.nearest(p, key, reverse, func(k string) bool { return strings.HasSuffix(k, "/"+skipCard) })
	if !ok {
		return orderRef{}, false
	}
	rest := k[len(p):]
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return orderRef{}, false
	}
	return orderRef{Order: rest[:i], Card: rest[i+1:]}, true
}
