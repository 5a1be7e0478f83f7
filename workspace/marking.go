package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The marking rule of DESIGN.md section 4a, in one place. A TLP marking
// protects text, so it follows the text:
//
//   - Every write remembers the effective marking of its record after the
//     action that made it (Stamp.M); undo and redo restore a value with
//     the marking it was written under.
//   - A record's own marking is the strictest of its marking field's
//     values (the winner and every competing value) and of the markings of
//     the writes no marking action has released (Base.Held).
//   - Only a marking action releases a write: a write of the "tlp" field
//     carrying the record's version vector on its author's copy
//     (Stamp.Rel). It releases the writes in that vector and no other.
//   - The effective marking is the own marking raised to the floors: what
//     the record shows or derives from (a card's board, lane and the
//     sources it quotes; an annotation's card), each at its effective
//     marking (kindSpec.floors).
//
// Every capped output and the window ask Effective (through a Snapshot or
// a store) and compare nothing themselves.

// ErrAboveCap says an output was asked for at a cap below the marking of
// the workspace header, whose title and parties every output prints.
var ErrAboveCap = errors.New("the workspace header is marked above the cap")

// Allows reports whether an output capped at cap may carry something
// marked t; a nil cap allows everything.
func Allows(cap *TLP, t TLP) bool { return cap == nil || t <= *cap }

// Stricter returns the stricter of two markings.
func Stricter(a, b TLP) TLP { return max(a, b) }

// tlpValue reads a marking from a field value; null, a missing value and
// anything unreadable count as the strictest level, never as a release.
func tlpValue(v json.RawMessage) TLP {
	if len(v) == 0 || string(v) == "null" {
		return TLPClear
	}
	var t TLP
	if err := json.Unmarshal(v, &t); err != nil || !t.Valid() {
		return TLPRed
	}
	return t
}

// ownValues is the strictest of a record's marking field values: the one
// it shows and every competing value of a conflict.
func ownValues(spec *kindSpec, rec Record) TLP {
	t := *spec.tlp(rec)
	for _, c := range rec.RecordBase().Conflicts {
		if c.Field != "tlp" {
			continue
		}
		for _, v := range c.Values {
			t = max(t, tlpValue(canonicalValue(v.Value)))
		}
	}
	return t
}

// ownMarking is a record's marking before its floors: its marking values
// and its held writes.
func ownMarking(spec *kindSpec, rec Record) TLP {
	t := ownValues(spec, rec)
	for _, h := range rec.RecordBase().Held {
		t = max(t, h.TLP)
	}
	return t
}

// syncHeld works out a record's Held from its stamps: every write marked
// above the strictest of the record's marking values that no write of the
// marking field released.
func syncHeld(spec *kindSpec, rec Record, st *Stamps) {
	base := rec.RecordBase()
	base.Held = nil
	own := *spec.tlp(rec)
	ts := st.Of("tlp")
	rels := []VV{ts.Rel}
	for _, a := range ts.Alt {
		own = max(own, tlpValue(canonicalValue(a.Value)))
		rels = append(rels, a.Rel)
	}
	released := func(s Stamp) bool {
		for _, r := range rels {
			if r[s.Replica] >= s.Clock {
				return true
			}
		}
		return false
	}
	var held map[dot]*HeldWrite
	note := func(field string, s Stamp) {
		if s.Replica == "" || s.M <= own || released(s) {
			return
		}
		if held == nil {
			held = map[dot]*HeldWrite{}
		}
		d := dot{s.Replica, s.Clock}
		h := held[d]
		if h == nil {
			h = &HeldWrite{TLP: s.M, Replica: s.Replica, Clock: s.Clock, Author: s.Author, At: unixMilli(s.At)}
			held[d] = h
		}
		h.TLP = max(h.TLP, s.M)
		if !contains(h.Fields, field) {
			h.Fields = append(h.Fields, field)
		}
	}
	note("created", st.Base)
	for f, s := range st.Fields {
		if len(s.Alt) == 0 && stampEqual(s, st.Base) {
			// Written by the action that made the record: share files
			// leave such a stamp out (normalStamps), so every copy
			// names that write "created" alone.
			continue
		}
		note(f, s)
		for _, a := range s.Alt {
			note(f, a.Stamp)
		}
	}
	for _, h := range held {
		sort.Strings(h.Fields)
		base.Held = append(base.Held, *h)
	}
	sort.Slice(base.Held, func(i, j int) bool {
		a, b := base.Held[i], base.Held[j]
		if a.Clock != b.Clock {
			return a.Clock > b.Clock
		}
		return a.Replica > b.Replica
	})
}

// syncDerived rewrites what a record derives from its stamps: its
// conflicts and its held writes.
func syncDerived(rec Record, st *Stamps) error {
	spec, err := specOfRecord(rec)
	if err != nil {
		return err
	}
	if err := syncConflicts(rec, st); err != nil {
		return err
	}
	syncHeld(spec, rec, st)
	return nil
}

// assumeMarking gives every write of a record that came without markings
// (a share file of format version 1, a workspace of schema 1) the
// strictest marking the record has: that of the strictest of its marking
// values.
func assumeMarking(rec Record, st *Stamps) error {
	spec, err := specOfRecord(rec)
	if err != nil {
		return err
	}
	t := *spec.tlp(rec)
	for _, a := range st.Of("tlp").Alt {
		t = max(t, tlpValue(canonicalValue(a.Value)))
	}
	st.Base.M = max(st.Base.M, t)
	for f, s := range st.Fields {
		s.M = max(s.M, t)
		for i := range s.Alt {
			s.Alt[i].M = max(s.Alt[i].M, t)
		}
		st.Fields[f] = s
	}
	return nil
}

// markings works out effective markings over one state of a workspace,
// each record once. get returns a record by key (a tombstone too: its
// marking still floors what quotes it), or nil.
type markings struct {
	get  func(key string) Record
	memo map[string]TLP
	// known holds markings worked out before (a snapshot's), read only.
	known map[string]TLP
	// working lists the records being worked out, to notice a cycle.
	working []string
	// inputs, when set, holds what each record brings instead of get: a
	// pass over the whole store keeps these, not the records.
	inputs map[string]markInput
}

func newMarkings(get func(key string) Record) *markings {
	return &markings{get: get, memo: map[string]TLP{}}
}

// markInput is what a record brings to effective markings: its own
// marking (ownMarking) and the keys of its floors.
type markInput struct {
	own    TLP
	floors []string
}

// inputOf works out a record's markInput.
func inputOf(r Record) markInput {
	spec, err := specOfRecord(r)
	if err != nil {
		return markInput{own: TLPRed}
	}
	in := markInput{own: ownMarking(spec, r)}
	if spec.floors != nil {
		in.floors = spec.floors(r)
	}
	return in
}

// newMarkingsOf works out markings from the records' inputs, by key.
func newMarkingsOf(inputs map[string]markInput) *markings {
	return &markings{memo: make(map[string]TLP, len(inputs)), inputs: inputs}
}

// of returns the effective marking of the record under key. A record this
// copy does not hold counts as CLEAR: nothing of it is here to protect.
func (m *markings) of(key string) TLP {
	if t, ok := m.memo[key]; ok {
		return t
	}
	if t, ok := m.known[key]; ok {
		return t
	}
	// A cycle cannot happen (floors point at kinds of lower depth); should
	// damaged data make one, the strictest level is the safe answer.
	for _, k := range m.working {
		if k == key {
			return TLPRed
		}
	}
	m.working = append(m.working, key)
	t := m.ownAndFloors(key)
	m.working = m.working[:len(m.working)-1]
	m.memo[key] = t
	return t
}

// ownAndFloors works a record's effective marking out from the record and
// the effective markings of its floors.
func (m *markings) ownAndFloors(key string) TLP {
	if m.inputs != nil {
		in, ok := m.inputs[key]
		if !ok {
			return TLPClear
		}
		t := in.own
		for _, f := range in.floors {
			if f != key {
				t = max(t, m.of(f))
			}
		}
		return t
	}
	r := m.get(key)
	if r == nil {
		return TLPClear
	}
	spec, err := specOfRecord(r)
	if err != nil {
		return TLPRed
	}
	t := ownMarking(spec, r)
	if spec.floors != nil {
		for _, f := range spec.floors(r) {
			if f != key {
				t = max(t, m.of(f))
			}
		}
	}
	return t
}

// Marking is a record's effective marking and why it is stricter than the
// record's own marking field.
type Marking struct {
	// TLP is the effective marking: what every output and badge uses.
	TLP TLP
	// Own is the record's own marking field.
	Own TLP
	// Reasons say what raises TLP above Own; empty when nothing does.
	Reasons []MarkingReason
}

// MarkingReason is one thing that raises a record's marking.
type MarkingReason struct {
	TLP TLP
	// Floor is the key of the record whose marking is a floor (a board, a
	// lane, a quoted source, a card); empty for the others.
	Floor      string
	FloorKind  RecordKind
	FloorTitle string
	// Competing is set for a competing value of the marking field.
	Competing bool
	// Held is a write that keeps the record stricter until an analyst sets
	// its marking again.
	Held *HeldWrite
	// Conflict is set on a held write that nothing else accounts for: a
	// marking conflict the analyst resolves by setting the marking again,
	// having been shown what that would release.
	Conflict bool
}

// String says the reason for people.
func (r MarkingReason) String() string {
	switch {
	case r.Floor != "":
		how := "is on " + strings.ToLower(r.FloorKind.Label())
		switch r.FloorKind {
		case RecSource:
			how = "quotes source"
		case RecACH:
			how = "is evidence in ACH matrix"
		}
		return fmt.Sprintf("%s %q, marked %s", how, r.FloorTitle, r.TLP)
	case r.Competing:
		return fmt.Sprintf("a competing marking %s from another copy", r.TLP)
	case r.Held != nil:
		who := r.Held.Author
		if who == "" {
			who = "another copy"
		}
		return fmt.Sprintf("%s of a write by %s on %s, made under %s, which no marking action has released",
			strings.Join(r.Held.Fields, ", "), who, r.Held.At.Format("2006-01-02 15:04"), r.TLP)
	}
	return r.TLP.String()
}

// Reason says in one line why the marking is stricter than the record's
// own field, or "" when it is not.
func (m Marking) Reason() string {
	var parts []string
	for _, r := range m.Reasons {
		if r.TLP == m.TLP {
			parts = append(parts, r.String())
		}
	}
	return strings.Join(parts, "; ")
}

// Conflicts lists the held writes that nothing else accounts for: each a
// marking conflict until an analyst sets the record's marking again.
func (m Marking) Conflicts() []HeldWrite {
	var out []HeldWrite
	for _, r := range m.Reasons {
		if r.Conflict {
			out = append(out, *r.Held)
		}
	}
	return out
}

// explain works out a record's Marking.
func (m *markings) explain(key string) Marking {
	r := m.get(key)
	if r == nil {
		return Marking{}
	}
	spec, err := specOfRecord(r)
	if err != nil {
		return Marking{TLP: TLPRed, Own: TLPRed}
	}
	out := Marking{TLP: m.of(key), Own: *spec.tlp(r)}
	values := ownValues(spec, r)
	if values > out.Own {
		out.Reasons = append(out.Reasons, MarkingReason{TLP: values, Competing: true})
	}
	floor := TLPClear
	if spec.floors != nil {
		for _, f := range spec.floors(r) {
			t := m.of(f)
			floor = max(floor, t)
			if t > out.Own {
				fr := m.get(f)
				out.Reasons = append(out.Reasons, MarkingReason{TLP: t, Floor: f, FloorKind: KindOf(fr), FloorTitle: RecordTitle(fr)})
			}
		}
	}
	for i := range r.RecordBase().Held {
		h := r.RecordBase().Held[i]
		out.Reasons = append(out.Reasons, MarkingReason{TLP: h.TLP, Held: &h, Conflict: h.TLP > max(values, floor)})
	}
	return out
}

// releaseVV is what a marking action by this action releases: the
// record's version vector as this copy has it, without the action's own
// writes (they are made under the marking the action sets).
func (tx *Tx) releaseVV(st *Stamps) VV {
	v := st.RecordVV()
	if v[tx.s.replica] >= tx.clock {
		v[tx.s.replica] = tx.clock - 1
		if v[tx.s.replica] == 0 {
			delete(v, tx.s.replica)
		}
	}
	if len(v) == 0 {
		return nil
	}
	return v
}

// record reads a record of any kind as the action sees it, tombstones
// included; nil when there is none or it cannot be read.
func (tx *Tx) record(key string) Record {
	return tx.recordFrom(key, tx.getRaw)
}

// viewRecord reads a record as it was before the action.
func (tx *Tx) viewRecord(key string) Record {
	return tx.recordFrom(key, func(k []byte) ([]byte, error) {
		item, err := tx.view.Get(k)
		if err != nil {
			return nil, err
		}
		return item.ValueCopy(nil)
	})
}

func (tx *Tx) recordFrom(key string, get func([]byte) ([]byte, error)) Record {
	spec := kindOfKey(key)
	if spec == nil {
		return nil
	}
	raw, err := get([]byte(key))
	if err != nil {
		return nil
	}
	r, err := decodeStored(spec.kind, raw)
	if err != nil {
		return nil
	}
	return r
}

// Marking returns the effective marking of a record as the action sees it.
func (tx *Tx) Marking(key string) TLP { return newMarkings(tx.record).of(key) }

// SetMarking is a marking action: it sets a record's own marking, as a
// write even when the value is unchanged, releasing the writes this copy
// has seen of the record (DESIGN.md 4a). A lowering also releases the
// records whose marking came from this one: a board's lanes and cards, a
// lane's cards, the cards quoting a source, a card's annotations.
func (s *Store) SetMarking(key string, t TLP) error {
	spec := kindOfKey(key)
	if spec == nil {
		return fmt.Errorf("set marking: %q is not a record key", key)
	}
	_, err := s.Do("Set marking of "+strings.ToLower(spec.label), func(tx *Tx) error { return tx.SetMarking(key, t) })
	return err
}

// SetMarking is the marking action within an action.
func (tx *Tx) SetMarking(key string, t TLP) error {
	if !t.Valid() {
		return invalid("tlp", "TLP marking %d is not a TLP 2.0 level", int(t))
	}
	r := tx.record(key)
	if r == nil || r.RecordBase().Deleted {
		return fmt.Errorf("set marking: %s: %w", key, ErrNotFound)
	}
	spec, err := specOfRecord(r)
	if err != nil {
		return err
	}
	*spec.tlp(r) = t
	return tx.forcePut(key, r, "tlp")
}

// forcePut writes a record through its typed Put with field stamped as a
// new write even when its value is unchanged.
func (tx *Tx) forcePut(key string, r Record, field string) error {
	if tx.force == nil {
		tx.force = map[string][]string{}
	}
	if !contains(tx.force[key], field) {
		tx.force[key] = append(tx.force[key], field)
	}
	return tx.putRecord(r)
}

// cascadeMarkings releases, after marking actions that lowered a record,
// the records whose marking came from it: their marking is set again, to
// its own value, and so on down.
func (tx *Tx) cascadeMarkings() error {
	if len(tx.marked) == 0 {
		return nil
	}
	before := newMarkings(tx.viewRecord)
	done := map[string]bool{}
	for len(tx.marked) > 0 {
		key := tx.marked[0]
		tx.marked = tx.marked[1:]
		if done[key] {
			continue
		}
		done[key] = true
		old, cur := before.of(key), newMarkings(tx.record).of(key)
		if cur >= old {
			continue
		}
		spec := kindOfKey(key)
		parent := tx.record(key)
		if spec == nil || spec.dependents == nil || parent == nil {
			continue
		}
		deps, err := spec.dependents(tx, parent)
		if err != nil {
			return err
		}
		for _, dk := range deps {
			d := tx.record(dk)
			if d == nil || d.RecordBase().Deleted || done[dk] || before.of(dk) != old {
				continue
			}
			dspec, err := specOfRecord(d)
			if err != nil {
				return err
			}
			// What holds it besides this record and its own held writes.
			now := newMarkings(tx.record)
			rest := ownValues(dspec, d)
			for _, f := range dspec.floors(d) {
				if f != key {
					rest = max(rest, now.of(f))
				}
			}
			if rest >= old {
				continue
			}
			if err := tx.forcePut(dk, d, "tlp"); err != nil {
				return fmt.Errorf("release %s: %w", RecordTitle(d), err)
			}
		}
	}
	return nil
}

// finishMarkings runs when an action's writes are done: it releases what
// lowered marking actions release, then gives every local write of the
// action the effective marking of its record after the action (or the
// marking an undone or redone value was written under, when stricter), and
// works out held writes again.
func (tx *Tx) finishMarkings() error {
	if err := tx.cascadeMarkings(); err != nil {
		return err
	}
	if len(tx.local) == 0 {
		return nil
	}
	keys := make([]string, 0, len(tx.local))
	for k := range tx.local {
		keys = append(keys, k)
	}
	depth := func(k string) int {
		if s := kindOfKey(k); s != nil {
			return s.depth
		}
		return 0
	}
	sort.Slice(keys, func(i, j int) bool {
		if di, dj := depth(keys[i]), depth(keys[j]); di != dj {
			return di < dj
		}
		return keys[i] < keys[j]
	})
	m := newMarkings(tx.record)
	for _, key := range keys {
		clock := tx.local[key]
		r := tx.record(key)
		st, err := tx.getStamps([]byte(key))
		if err != nil {
			return err
		}
		if r == nil || st == nil {
			return fmt.Errorf("marking of %s: the record is missing", key)
		}
		delete(m.memo, key)
		e := max(m.of(key), tx.restoreM[key], tx.overwrittenHeld(key, st, clock))
		mark := func(s *Stamp) {
			if s.Replica == tx.s.replica && s.Clock == clock {
				s.M = e
			}
		}
		mark(&st.Base)
		for f, s := range st.Fields {
			mark(&s)
			st.Fields[f] = s
		}
		if err := syncDerived(r, st); err != nil {
			return err
		}
		// Its held writes are at most e now, and its floors were, so e is
		// its effective marking after the action.
		m.memo[key] = e
		val, err := marshal(r)
		if err != nil {
			return err
		}
		tx.set([]byte(key), val)
		if err := tx.setJSON(stampKey([]byte(key)), st); err != nil {
			return err
		}
		if i, ok := tx.changed[key]; ok {
			c := &tx.entry.Changes[i]
			c.After = val
			c.MarkAfter = maxMarkOf(st, c.Fields)
			if contains(c.Fields, "tlp") {
				c.RelAfter = st.Of("tlp").Rel
			}
		}
	}
	return nil
}

// overwrittenHeld is the strictest marking among the held writes of a
// record that this action wrote over without a marking action: an edit
// may carry their text on (an appended body, a list of tags or quotes
// with one removed, a conflict resolved for the held value), so what it
// writes keeps their marking. A marking action on the record releases
// what it wrote over, as it releases everything else it saw.
func (tx *Tx) overwrittenHeld(key string, st *Stamps, clock uint64) TLP {
	ours := func(s Stamp) bool { return s.Replica == tx.s.replica && s.Clock == clock }
	if s, ok := st.Fields["tlp"]; ok && ours(s) {
		if _, restoring := tx.restoreRel[key]; !restoring {
			return TLPClear
		}
	}
	prev := tx.viewRecord(key)
	if prev == nil {
		return TLPClear
	}
	t := TLPClear
	for _, h := range prev.RecordBase().Held {
		for _, f := range h.Fields {
			if s, ok := st.Fields[f]; ok && ours(s) {
				t = max(t, h.TLP)
			}
		}
	}
	return t
}

// maxMarkOf is the strictest marking among the writes of some fields (a
// record's creation when the list names none it has).
func maxMarkOf(st *Stamps, fields []string) TLP {
	if st == nil {
		return TLPClear
	}
	t := TLPClear
	for _, f := range fields {
		s := st.Of(f)
		t = max(t, s.M)
		for _, a := range s.Alt {
			t = max(t, a.M)
		}
	}
	if len(fields) == 0 {
		t = st.Base.M
	}
	return t
}

// workOutMarkings works out the effective marking of every record of the
// snapshot once, so that reading it later is a lookup.
func (s *Snapshot) workOutMarkings() {
	m := newMarkings(func(k string) Record { return s.records[k] })
	m.memo = make(map[string]TLP, len(s.records))
	for k := range s.records {
		m.of(k)
	}
	// Only the snapshot's records keep a marking: a floor it does not
	// hold (a deleted card under a row) counts as CLEAR when asked again.
	for k := range m.memo {
		if s.records[k] == nil {
			delete(m.memo, k)
		}
	}
	s.marks = m.memo
}

// Marking returns a record's effective marking (DESIGN.md 4a): what every
// output and the window's badges use.
func (s *Snapshot) Marking(r Record) TLP {
	key := KeyOf(r)
	if t, ok := s.marks[key]; ok {
		return t
	}
	// A record from elsewhere: work it out against this snapshot.
	return newMarkings(func(k string) Record {
		if k == key {
			return r
		}
		return s.records[k]
	}).of(key)
}

// ExplainMarking returns a record's effective marking with the reasons it
// is stricter than the record's own field.
func (s *Snapshot) ExplainMarking(r Record) Marking {
	key := KeyOf(r)
	if s.records[key] == r && len(r.RecordBase().Held) == 0 {
		// A record of the snapshot at its own marking has nothing to
		// explain: its competing values and floors are at most that.
		if spec, err := specOfRecord(r); err == nil {
			if t, ok := s.marks[key]; ok && t == *spec.tlp(r) {
				return Marking{TLP: t, Own: t}
			}
		}
	}
	m := newMarkings(func(k string) Record {
		if k == key {
			return r
		}
		return s.records[k]
	})
	m.known = s.marks
	m.memo[key] = m.ownAndFloors(key)
	return m.explain(key)
}

// MaxTLP returns the most restrictive effective marking among what the
// snapshot holds: the header, boards, lanes, cards, sources, annotations,
// ACH matrices and their evidence rows. It labels an output that includes
// them all. Kept interchange data (Extras) is not counted: an output that
// writes some back counts their markings too.
func (s *Snapshot) MaxTLP() TLP {
	t := s.Marking(&s.Meta)
	for _, b := range s.Boards {
		t = max(t, s.Marking(b))
		for _, l := range s.Lanes[b.ID] {
			t = max(t, s.Marking(l))
		}
	}
	for _, c := range s.Cards {
		t = max(t, s.Marking(c))
	}
	for _, src := range s.Sources {
		t = max(t, s.Marking(src))
	}
	for _, as := range s.Annotations {
		for _, a := range as {
			t = max(t, s.Marking(a))
		}
	}
	for _, m := range s.Matrices {
		t = max(t, s.Marking(m))
		for _, r := range s.Evidence[m.ID] {
			t = max(t, s.Marking(r))
		}
	}
	for _, as := range s.Acceptances {
		for _, a := range as {
			t = max(t, s.Marking(a))
		}
	}
	return t
}

// Capped returns the part of the snapshot that an output capped at cap may
// carry: every record whose effective marking is at or below the cap,
// whole. Citations of sources left out and links to cards left out are
// dropped from the copies of the cards that stay (an output prints them;
// a share file carries them as bare ids), and so are the cards of
// indicators from the copies of the matrices. Evidence rows above the cap
// are left out whole, so scores worked out on the capped snapshot derive
// from nothing above it. A nil cap returns the snapshot
// as it is. A header marked above the cap is ErrAboveCap: every output
// prints it.
func (s *Snapshot) Capped(cap *TLP) (*Snapshot, error) {
	if cap == nil {
		return s, nil
	}
	if !cap.Valid() {
		return nil, fmt.Errorf("TLP cap %d is not a TLP 2.0 level", int(*cap))
	}
	if t := s.Marking(&s.Meta); !Allows(cap, t) {
		return nil, fmt.Errorf("%w: the workspace title, subtitle and parties are marked %s, above %s", ErrAboveCap, t, *cap)
	}
	ok := func(r Record) bool { return Allows(cap, s.Marking(r)) }
	out := &Snapshot{
		Meta: s.Meta, Profile: s.Profile, Replica: s.Replica,
		Lanes: map[string][]*Lane{}, LaneCards: map[string][]*Card{}, Cards: map[string]*Card{},
		SourceByID: map[string]*Source{}, Annotations: map[string][]*Annotation{},
		records: s.records, marks: s.marks,
	}
	for _, src := range s.Sources {
		if ok(src) {
			out.Sources = append(out.Sources, src)
			out.SourceByID[src.ID] = src
		}
	}
	for id, c := range s.Cards {
		if ok(c) {
			out.Cards[id] = c
		}
	}
	ids := make([]string, 0, len(out.Cards))
	for id := range out.Cards {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := out.Cards[id]
		cp := *c
		cp.Citations, cp.Links = nil, nil
		for _, ci := range c.Citations {
			if out.SourceByID[ci.Source] != nil {
				cp.Citations = append(cp.Citations, ci)
			}
		}
		for _, l := range c.Links {
			if out.Cards[l.To] != nil {
				cp.Links = append(cp.Links, l)
			}
		}
		out.Cards[id] = &cp
	}
	for _, b := range s.Boards {
		if !ok(b) {
			continue
		}
		out.Boards = append(out.Boards, b)
		for _, l := range s.Lanes[b.ID] {
			if !ok(l) {
				continue
			}
			out.Lanes[b.ID] = append(out.Lanes[b.ID], l)
			for _, c := range s.LaneCards[l.ID] {
				if kept := out.Cards[c.ID]; kept != nil {
					out.LaneCards[l.ID] = append(out.LaneCards[l.ID], kept)
				}
			}
		}
	}
	for _, c := range s.Stray {
		if kept := out.Cards[c.ID]; kept != nil {
			out.Stray = append(out.Stray, kept)
		}
	}
	for card, as := range s.Annotations {
		if out.Cards[card] == nil {
			continue
		}
		for _, a := range as {
			if ok(a) {
				out.Annotations[card] = append(out.Annotations[card], a)
			}
		}
	}
	out.Evidence = map[string][]*ACHRow{}
	for _, m := range s.Matrices {
		if !ok(m) {
			continue
		}
		out.Matrices = append(out.Matrices, cappedMatrix(m, out.Cards))
		for _, r := range s.Evidence[m.ID] {
			if ok(r) && out.Cards[r.Card] != nil {
				out.Evidence[m.ID] = append(out.Evidence[m.ID], r)
			}
		}
	}
	out.Acceptances = map[string][]*Acceptance{}
	for card, as := range s.Acceptances {
		if out.Cards[card] == nil {
			continue
		}
		for _, a := range as {
			if ok(a) {
				out.Acceptances[card] = append(out.Acceptances[card], a)
			}
		}
	}
	for _, x := range s.Extras {
		if ok(x) {
			out.Extras = append(out.Extras, x)
		}
	}
	for _, rb := range s.Briefs {
		if ok(rb) {
			out.Briefs = append(out.Briefs, rb)
		}
	}
	out.Conflicts = 0
	count := func(b *Base) {
		if len(b.Conflicts) > 0 {
			out.Conflicts++
		}
	}
	count(&out.Meta.Base)
	for _, b := range out.Boards {
		count(&b.Base)
		for _, l := range out.Lanes[b.ID] {
			count(&l.Base)
		}
	}
	for _, c := range out.Cards {
		count(&c.Base)
	}
	for _, src := range out.Sources {
		count(&src.Base)
	}
	for _, as := range out.Annotations {
		for _, a := range as {
			count(&a.Base)
		}
	}
	for _, m := range out.Matrices {
		count(&m.Base)
		for _, r := range out.Evidence[m.ID] {
			count(&r.Base)
		}
	}
	for _, as := range out.Acceptances {
		for _, a := range as {
			count(&a.Base)
		}
	}
	for _, x := range out.Extras {
		count(&x.Base)
	}
	for _, rb := range out.Briefs {
		count(&rb.Base)
	}
	return out, nil
}

// cappedMatrix is a matrix as a capped output holds it: its indicators
// keep their text and drop the cards the output leaves out.
func cappedMatrix(m *ACHMatrix, cards map[string]*Card) *ACHMatrix {
	drop := false
	for _, list := range m.Indicators {
		for _, in := range list {
			if in.Card != "" && cards[in.Card] == nil {
				drop = true
			}
		}
	}
	if !drop {
		return m
	}
	cp := *m
	cp.Indicators = make(map[string][]Indicator, len(m.Indicators))
	for h, list := range m.Indicators {
		kept := make([]Indicator, len(list))
		for i, in := range list {
			if in.Card != "" && cards[in.Card] == nil {
				in.Card = ""
			}
			kept[i] = in
		}
		cp.Indicators[h] = kept
	}
	return &cp
}

// MarkingConflicts returns the records of the snapshot, of every kind,
// that writes no marking action has released hold at a stricter marking
// than their own: in the order of the record table (the header, boards,
// lanes, ...), then by title and key.
func (s *Snapshot) MarkingConflicts() []Record {
	var out []Record
	for _, r := range s.records {
		if len(r.RecordBase().Held) > 0 && len(s.ExplainMarking(r).Conflicts()) > 0 {
			out = append(out, r)
		}
	}
	rank := map[RecordKind]int{}
	for i, k := range recordKinds {
		rank[k.kind] = i
	}
	sort.Slice(out, func(i, j int) bool {
		ki, kj := rank[KindOf(out[i])], rank[KindOf(out[j])]
		if ki != kj {
			return ki < kj
		}
		ti, tj := RecordTitle(out[i]), RecordTitle(out[j])
		if ti != tj {
			return ti < tj
		}
		return KeyOf(out[i]) < KeyOf(out[j])
	})
	return out
}
