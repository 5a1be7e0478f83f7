package workspace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Merging works field by field. The state of one field is the set of its
// concurrent writes: the value the record shows (the deterministic winner)
// and, in its stamp's Alt, the others. Two states merge by taking every
// write of both and dropping each write that another one had seen (its
// version vector reaches the dropped write's clock on its replica). That is
// a union followed by a pure function, so merging is idempotent,
// commutative and associative, and every copy that has seen the same
// writes holds the same state, byte for byte.
//
// The "deleted" field follows the same rule, with two additions, so a
// deletion never hides work its author had not seen:
//
//   - A live value (false) wins over a deletion (true) among concurrent
//     writes: the record stays visible while the conflict is open.
//   - When a deletion is among the surviving writes and some write of the
//     record (or, for a card, of its annotations) was not seen by any
//     surviving deletion, the record is kept alive by an implied write: a
//     version with an empty stamp (no replica, clock 0) and the live value.
//     It is never written by anyone; merging drops it and works it out
//     again from the other fields, and it depends only on whether such an
//     unseen write exists, which no local action can undo.

// version is one write of one field: its value and its stamp, without
// siblings.
type version struct {
	val json.RawMessage
	st  Stamp
}

// implied reports whether the version is the implied live value that keeps
// a record alive during a delete-versus-edit conflict.
func (v version) implied() bool { return v.st.Replica == "" }

type dot struct {
	replica string
	clock   uint64
}

func (v version) dot() dot { return dot{v.st.Replica, v.st.Clock} }

// covers reports whether the write stamped w had seen the write stamped v.
// A replica's writes of one record follow each other, so a later clock of
// the same replica has seen the earlier one.
func covers(w, v Stamp) bool {
	if v.Replica == "" {
		return false
	}
	if w.Replica == v.Replica {
		return w.Clock >= v.Clock
	}
	return w.Seen[v.Replica] >= v.Clock
}

// bare returns a stamp without its siblings.
func bare(s Stamp) Stamp {
	s.Alt = nil
	return s
}

// canonicalValue puts a field value into the form Fields gives it: compact
// JSON, with every zero value as null.
func canonicalValue(v json.RawMessage) json.RawMessage {
	if len(v) == 0 || isZeroJSON(v) {
		return jsonNull
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return v
	}
	if isZeroJSON(buf.Bytes()) {
		return jsonNull
	}
	return buf.Bytes()
}

// fieldVersions lists one side's writes of a field: the value it shows and
// its siblings. The implied live value of "deleted" is left out.
func fieldVersions(field string, vals map[string]json.RawMessage, st *Stamps) []version {
	s := st.Of(field)
	cur, ok := vals[field]
	if !ok {
		cur = jsonNull
	}
	out := make([]version, 0, 1+len(s.Alt))
	out = append(out, version{val: canonicalValue(cur), st: bare(s)})
	for _, a := range s.Alt {
		out = append(out, version{val: canonicalValue(a.Value), st: bare(a.Stamp)})
	}
	if field == "deleted" {
		kept := out[:0]
		for _, v := range out {
			if !v.implied() {
				kept = append(kept, v)
			}
		}
		out = kept
	}
	return out
}

// mergeVersions returns the writes of a and b that no other write of
// either had seen. The same write (same replica and clock) appearing twice
// is kept once; should two copies of it differ, which honest files never
// do, the larger one by its JSON is kept, so the choice is the same on
// every copy.
func mergeVersions(a, b []version) []version {
	all := make([]version, 0, len(a)+len(b))
	index := make(map[dot]int, len(a)+len(b))
	for _, list := range [][]version{a, b} {
		for _, v := range list {
			if i, ok := index[v.dot()]; ok {
				// Two copies of one write keep its strictest marking: a
				// file of an older format assumed one for it.
				m := max(all[i].st.M, v.st.M)
				if versionLess(all[i], v) {
					all[i] = v
				}
				all[i].st.M = m
				continue
			}
			index[v.dot()] = len(all)
			all = append(all, v)
		}
	}
	out := all[:0:0]
	for i, v := range all {
		seen := false
		for j, w := range all {
			if i != j && covers(w.st, v.st) {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, v)
		}
	}
	return out
}

// versionLess orders two copies of the same write by their JSON.
func versionLess(a, b version) bool {
	if c := bytes.Compare(a.val, b.val); c != 0 {
		return c < 0
	}
	return bytes.Compare(stampJSON(a.st), stampJSON(b.st)) < 0
}

// orderVersions puts the winner first and the rest in a fixed order: the
// higher clock, then the higher replica id. For "deleted", a live value
// comes before a deletion.
func orderVersions(field string, vs []version) {
	sort.SliceStable(vs, func(i, j int) bool {
		if field == "deleted" {
			ti, tj := isTrue(vs[i].val), isTrue(vs[j].val)
			if ti != tj {
				return tj
			}
		}
		return vs[i].st.Beats(vs[j].st)
	})
}

func isTrue(v json.RawMessage) bool { return string(v) == "true" }

// recState is one record with its merge metadata, as the store or a share
// file holds it.
type recState struct {
	kind RecordKind
	key  string
	rec  Record
	base *Base
	st   *Stamps
	raw  []byte
	// vals and stampsJSON are worked out when first needed.
	vals       map[string]json.RawMessage
	stampsJSON []byte
}

// newRecState fills in the derived parts of a record state. raw, the
// record's JSON, is marshalled when nil.
func newRecState(kind RecordKind, key string, rec Record, st *Stamps, raw []byte) (*recState, error) {
	if raw == nil {
		var err error
		if raw, err = marshal(rec); err != nil {
			return nil, err
		}
	}
	return &recState{kind: kind, key: key, rec: rec, base: rec.RecordBase(), st: st, raw: raw}, nil
}

// values returns the record's stamped fields (Fields).
func (r *recState) values() (map[string]json.RawMessage, error) {
	if r.vals == nil {
		vals, err := Fields(r.rec)
		if err != nil {
			return nil, err
		}
		r.vals = vals
	}
	return r.vals, nil
}

// normalJSON returns the JSON of the normalised stamps.
func (r *recState) normalJSON() []byte {
	if r.stampsJSON == nil {
		r.stampsJSON, _ = marshal(normalStamps(r.st))
	}
	return r.stampsJSON
}

// annWrite is one write of one of a card's annotations.
type annWrite struct {
	ann string
	st  Stamp
}

// annSeenKey is the version vector entry under which a card's deletion
// records what it had seen of one annotation's writes by one replica. The
// entries are per annotation because a share file capped by TLP can carry
// a card and leave out one of its annotations: knowing a colleague's later
// writes does not mean knowing that one.
func annSeenKey(ann, replica string) string { return ann + "~" + replica }

// coversAnn reports whether a card's deletion d had seen an annotation's
// write.
func coversAnn(d Stamp, w annWrite) bool {
	if w.st.Replica == "" {
		return true
	}
	if d.Replica == w.st.Replica {
		return d.Clock >= w.st.Clock
	}
	return d.Seen[annSeenKey(w.ann, w.st.Replica)] >= w.st.Clock
}

// mergeRecord merges two states of one record (either may be nil, not
// both). others returns every write that also counts as work on the record
// when it is deleted: for a card, its annotations'. It is called only when
// the answer matters.
func mergeRecord(kind RecordKind, local, remote *recState, others func() ([]annWrite, error)) (*recState, error) {
	var sides []*recState
	for _, s := range []*recState{local, remote} {
		if s != nil {
			if _, err := s.values(); err != nil {
				return nil, err
			}
			sides = append(sides, s)
		}
	}
	if len(sides) == 0 {
		return nil, fmt.Errorf("merge: no record")
	}
	base := sides[0].st.Base
	for _, s := range sides[1:] {
		if b := bare(s.st.Base); !stampEqual(b, bare(base)) && stampLess(b, bare(base)) {
			base = b
		}
	}
	base = bare(base)
	for _, s := range sides {
		if s.st.Base.Replica == base.Replica && s.st.Base.Clock == base.Clock {
			base.M = max(base.M, s.st.Base.M)
		}
	}

	nameSet := map[string]bool{"deleted": true}
	for _, s := range sides {
		for f := range s.vals {
			nameSet[f] = true
		}
		for f := range s.st.Fields {
			nameSet[f] = true
		}
	}
	names := make([]string, 0, len(nameSet))
	for f := range nameSet {
		names = append(names, f)
	}
	sort.Strings(names)

	merged := make(map[string][]version, len(names))
	for _, f := range names {
		var vs []version
		for _, s := range sides {
			vs = mergeVersions(vs, fieldVersions(f, s.vals, s.st))
		}
		if len(vs) == 0 {
			vs = []version{{val: jsonNull, st: base}}
		}
		orderVersions(f, vs)
		merged[f] = vs
	}
	dv, err := settleDeleted(merged, others)
	if err != nil {
		return nil, err
	}
	merged["deleted"] = dv

	spec, err := specOf(kind)
	if err != nil {
		return nil, err
	}
	rec := spec.new()
	if err := mergeFixed(spec, rec, local, remote); err != nil {
		return nil, err
	}
	winners := make(map[string]json.RawMessage, len(names))
	for _, f := range names {
		winners[f] = merged[f][0].val
	}
	if err := SetFields(rec, names, winners); err != nil {
		return nil, err
	}
	st := &Stamps{Base: base}
	for _, f := range names {
		vs := merged[f]
		s := vs[0].st
		for _, o := range vs[1:] {
			s.Alt = append(s.Alt, Sibling{Value: o.val, Stamp: o.st})
		}
		if len(s.Alt) == 0 && stampEqual(s, base) {
			continue
		}
		st.Set(f, s)
	}
	if err := syncDerived(rec, st); err != nil {
		return nil, err
	}
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	return newRecState(kind, sides[0].key, rec, st, nil)
}

// fastMerge gives the merge without working it out field by field when
// the answer is plain: remote holds no competing values, no deletion and
// every write local holds (if any). The result is then remote itself, as
// mergeRecord would make it; ok is false when the case is not plain.
func fastMerge(local, remote *recState) (*recState, bool) {
	if remote.base.Deleted || len(remote.base.Conflicts) > 0 || remote.st.Of("deleted").Replica == "" {
		return nil, false
	}
	for _, s := range remote.st.Fields {
		if len(s.Alt) > 0 {
			return nil, false
		}
	}
	out := &recState{kind: remote.kind, key: remote.key, rec: remote.rec, base: remote.base, raw: remote.raw,
		vals: remote.vals, st: normalStamps(remote.st)}
	if local == nil {
		return out, true
	}
	if !stampEqual(bare(local.st.Base), bare(remote.st.Base)) || !sameFixed(local.rec, remote.rec) {
		return nil, false
	}
	for _, st := range []*Stamps{local.st, remote.st} {
		for f := range st.Fields {
			r := remote.st.Of(f)
			l := local.st.Of(f)
			for _, v := range append([]Sibling{{Stamp: bare(l)}}, l.Alt...) {
				if v.Replica == "" && f == "deleted" {
					continue
				}
				same := v.Replica == r.Replica && v.Clock == r.Clock
				if !same && !covers(r, v.Stamp) || same && v.M > r.M {
					return nil, false
				}
			}
		}
	}
	return out, true
}

// sameFixed reports whether merging the unstamped fields of local into
// remote leaves remote's (see mergeFixed).
func sameFixed(local, remote Record) bool {
	spec, err := specOfRecord(remote)
	if err != nil || spec.sameFixed == nil {
		return err == nil
	}
	return spec.sameFixed(local, remote)
}

// settleDeleted decides the "deleted" field once the others are merged: a
// surviving deletion that missed some write of the record gets the implied
// live value in front of it.
func settleDeleted(merged map[string][]version, others func() ([]annWrite, error)) ([]version, error) {
	dv := merged["deleted"]
	var dels []Stamp
	for _, v := range dv {
		if !isTrue(v.val) {
			return dv, nil // a live value already wins
		}
		dels = append(dels, v.st)
	}
	unseen := func(s Stamp) bool {
		if s.Replica == "" {
			return false
		}
		for _, d := range dels {
			if covers(d, s) {
				return false
			}
		}
		return true
	}
	missed := false
	for f, vs := range merged {
		if f == "deleted" {
			continue
		}
		for _, v := range vs {
			if unseen(v.st) {
				missed = true
				break
			}
		}
		if missed {
			break
		}
	}
	if !missed && others != nil {
		writes, err := others()
		if err != nil {
			return nil, err
		}
		for _, w := range writes {
			seen := false
			for _, d := range dels {
				if coversAnn(d, w) {
					seen = true
					break
				}
			}
			if !seen {
				missed = true
				break
			}
		}
	}
	if !missed {
		return dv, nil
	}
	return append([]version{{val: jsonNull}}, dv...), nil
}

// allStamps lists every write in a record's stamps, siblings included.
func allStamps(st *Stamps) []Stamp {
	out := []Stamp{bare(st.Base)}
	for _, s := range st.Fields {
		out = append(out, bare(s))
		for _, a := range s.Alt {
			out = append(out, bare(a.Stamp))
		}
	}
	return out
}

func stampEqual(a, b Stamp) bool {
	if a.Clock != b.Clock || a.Replica != b.Replica || a.Author != b.Author || a.At != b.At || a.M != b.M ||
		len(a.Alt)+len(b.Alt) > 0 {
		return false
	}
	return vvEqual(a.Seen, b.Seen) && vvEqual(a.Rel, b.Rel)
}

func vvEqual(a, b VV) bool {
	if len(a) != len(b) {
		return false
	}
	for r, c := range a {
		if b[r] != c {
			return false
		}
	}
	return true
}

// stampLess is a fixed order on stamps, for choosing between two copies
// of what should be the same stamp.
func stampLess(a, b Stamp) bool {
	return bytes.Compare(stampJSON(a), stampJSON(b)) < 0
}

// mergeFixed sets the fields that carry no stamp: those set once at
// creation take the earlier of the two, a card's last update the later.
// They agree on honest copies; the rule keeps the choice the same
// everywhere when they do not.
func mergeFixed(spec *kindSpec, rec Record, local, remote *recState) error {
	src := remote
	if src == nil {
		src = local
	}
	if err := unmarshal(src.raw, rec); err != nil {
		return err
	}
	if local == nil || remote == nil || spec.mergeFixed == nil {
		return nil
	}
	spec.mergeFixed(rec, local.rec, remote.rec)
	return nil
}

// normalStamps is the stored form of stamps compared across copies:
// fields whose stamp is the creation stamp carry no entry.
func normalStamps(st *Stamps) *Stamps {
	out := &Stamps{Base: st.Base}
	for f, s := range st.Fields {
		if len(s.Alt) == 0 && stampEqual(s, st.Base) {
			continue
		}
		out.Set(f, s)
	}
	return out
}

// sameState reports whether two states of a record are identical.
func sameState(a, b *recState) bool {
	return a != nil && b != nil && bytes.Equal(a.raw, b.raw) && bytes.Equal(a.normalJSON(), b.normalJSON())
}

// changedStampFields lists the fields whose stamp (and so possibly value)
// differs between two states, sorted, and among them those whose shown
// value now comes from another write. A value cannot change without its
// stamp. For a new record it lists its fields.
func changedStampFields(before, after *recState) (changed, rewritten []string, err error) {
	if before == nil {
		vals, err := after.values()
		if err != nil {
			return nil, nil, err
		}
		for f := range vals {
			changed = append(changed, f)
		}
		sort.Strings(changed)
		return changed, changed, nil
	}
	set := map[string]bool{}
	for _, st := range []*Stamps{before.st, after.st} {
		for f := range st.Fields {
			set[f] = true
		}
	}
	for f := range set {
		a, b := before.st.Of(f), after.st.Of(f)
		if a.Replica != b.Replica || a.Clock != b.Clock {
			changed = append(changed, f)
			rewritten = append(rewritten, f)
			continue
		}
		if !bytes.Equal(stampJSON(a), stampJSON(b)) {
			changed = append(changed, f)
		}
	}
	sort.Strings(changed)
	sort.Strings(rewritten)
	return changed, rewritten, nil
}
