package workspace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// VV is a version vector: for each replica, the highest logical clock of its
// writes that a value has seen.
type VV map[string]uint64

// Dominates reports whether v has seen everything o has (v >= o).
func (v VV) Dominates(o VV) bool {
	for r, c := range o {
		if v[r] < c {
			return false
		}
	}
	return true
}

// Join returns the entry-wise maximum of v and o as a new vector.
func (v VV) Join(o VV) VV {
	out := make(VV, len(v)+len(o))
	for r, c := range v {
		out[r] = c
	}
	for r, c := range o {
		if out[r] < c {
			out[r] = c
		}
	}
	return out
}

// Stamp records one write of one field: the replica and logical clock it was
// made at, who made it and when, and what it had seen of the field before.
type Stamp struct {
	Clock   uint64 `json:"c"`
	Replica string `json:"r"`
	Author  string `json:"a,omitempty"`
	// At is the wall-clock time of the write in Unix milliseconds. It is for
	// people; ordering uses Clock and Seen.
	At int64 `json:"t"`
	// Seen is the version vector the write overwrote, without the write's
	// own (Replica, Clock) entry.
	Seen VV `json:"v,omitempty"`
	// M is the effective marking of the record when the write was made
	// (after its action): the value it wrote keeps it (DESIGN.md 4a).
	M TLP `json:"m,omitempty"`
	// Rel, on a write of the "tlp" field by a marking action, is the
	// record's version vector on the author's copy: the writes whose
	// values the action saw, and so released to its marking.
	Rel VV `json:"rel,omitempty"`
	// Alt holds concurrent writes of the field that the analyst has not
	// resolved yet; the field's value is the deterministic winner.
	Alt []Sibling `json:"x,omitempty"`
}

// Sibling is a concurrent write that lost the deterministic choice but is
// kept until the analyst resolves the conflict.
type Sibling struct {
	Value json.RawMessage `json:"val"`
	Stamp
}

// VV returns the version vector of the write itself (not of its siblings).
func (s Stamp) VV() VV {
	v := make(VV, len(s.Seen)+1)
	for r, c := range s.Seen {
		v[r] = c
	}
	if v[s.Replica] < s.Clock {
		v[s.Replica] = s.Clock
	}
	return v
}

// FullVV joins the write's version vector with its siblings'.
func (s Stamp) FullVV() VV {
	v := s.VV()
	for _, a := range s.Alt {
		v = v.Join(a.Stamp.VV())
	}
	return v
}

// Beats is the deterministic order among concurrent writes: the higher
// clock wins, then the higher replica id. Every copy picks the same winner.
func (s Stamp) Beats(o Stamp) bool {
	if s.Clock != o.Clock {
		return s.Clock > o.Clock
	}
	return s.Replica > o.Replica
}

// Stamps holds the stamps of one record's fields. A field without an entry
// in Fields was last written when the record was created, by Base.
type Stamps struct {
	Base   Stamp            `json:"base"`
	Fields map[string]Stamp `json:"f,omitempty"`
}

// Of returns the stamp of a field.
func (s *Stamps) Of(field string) Stamp {
	if st, ok := s.Fields[field]; ok {
		return st
	}
	return s.Base
}

// Set records the stamp of a field.
func (s *Stamps) Set(field string, st Stamp) {
	if s.Fields == nil {
		s.Fields = map[string]Stamp{}
	}
	s.Fields[field] = st
}

// RecordVV joins the version vectors of every field: what the record as a
// whole has seen. A deletion carries it, so an edit the deleter never saw
// can be told from one it did.
func (s *Stamps) RecordVV() VV {
	v := s.Base.FullVV()
	for _, st := range s.Fields {
		v = v.Join(st.FullVV())
	}
	return v
}

// MaxClock is the highest logical clock anywhere in the stamps.
func (s *Stamps) MaxClock() uint64 {
	m := uint64(0)
	for _, c := range s.RecordVV() {
		if c > m {
			m = c
		}
	}
	return m
}

// localWrite returns the stamp of a new local write of a field whose
// previous stamp is prev (siblings included, so the write resolves them).
func localWrite(prev Stamp, fieldVV VV, clock uint64, replica, author string, at int64) Stamp {
	seen := prev.FullVV().Join(fieldVV)
	delete(seen, replica)
	if len(seen) == 0 {
		seen = nil
	}
	return Stamp{Clock: clock, Replica: replica, Author: author, At: at, Seen: seen}
}

var jsonNull = json.RawMessage("null")

// Fields splits a record into its stamped fields, each as canonical JSON. A
// field at its zero value is absent, so "absent" and "zero" compare equal.
func Fields(rec Record) (map[string]json.RawMessage, error) {
	k, err := specOfRecord(rec)
	if err != nil {
		return nil, err
	}
	spec := k.fields
	raw, err := marshal(rec)
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	for _, k := range spec.fixed {
		delete(obj, k)
	}
	for group, members := range spec.groups {
		g := map[string]json.RawMessage{}
		for _, m := range members {
			if v, ok := obj[m]; ok {
				g[m] = v
				delete(obj, m)
			}
		}
		if len(g) > 0 {
			b, err := json.Marshal(g)
			if err != nil {
				return nil, err
			}
			obj[group] = b
		}
	}
	for _, k := range spec.keyed {
		v, ok := obj[k]
		if !ok {
			continue
		}
		delete(obj, k)
		var sub map[string]json.RawMessage
		if err := json.Unmarshal(v, &sub); err != nil {
			return nil, fmt.Errorf("field %s: %w", k, err)
		}
		for sk, sv := range sub {
			obj[k+"."+sk] = sv
		}
	}
	for k, v := range obj {
		if isZeroJSON(v) {
			delete(obj, k)
		}
	}
	return obj, nil
}

func isZeroJSON(v json.RawMessage) bool {
	switch string(v) {
	case "null", `""`, "false", "0", "[]", "{}":
		return true
	}
	return false
}

// ChangedFields lists the fields whose values differ between two records of
// one kind, sorted. A nil record has every field at its zero value.
func ChangedFields(before, after Record) ([]string, error) {
	var a, b map[string]json.RawMessage
	var err error
	if !isNil(before) {
		if a, err = Fields(before); err != nil {
			return nil, err
		}
	}
	if !isNil(after) {
		if b, err = Fields(after); err != nil {
			return nil, err
		}
	}
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out, nil
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// SetFields writes field values into rec: each named field takes the given
// value, or its zero value when the value is null or missing from values.
// Other fields are left as they are.
func SetFields(rec Record, names []string, values map[string]json.RawMessage) error {
	k, err := specOfRecord(rec)
	if err != nil {
		return err
	}
	spec := k.fields
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return err
	}
	for _, name := range names {
		v, ok := values[name]
		if !ok {
			v = jsonNull
		}
		if members, ok := spec.groups[name]; ok {
			var g map[string]json.RawMessage
			if string(v) != "null" {
				if err := json.Unmarshal(v, &g); err != nil {
					return fmt.Errorf("field %s: %w", name, err)
				}
			}
			for _, m := range members {
				if mv, ok := g[m]; ok {
					obj[m] = mv
				} else {
					delete(obj, m)
				}
			}
			continue
		}
		if i := strings.IndexByte(name, '.'); i > 0 && contains(spec.keyed, name[:i]) {
			parent, sub := name[:i], name[i+1:]
			var m map[string]json.RawMessage
			if pv, ok := obj[parent]; ok && string(pv) != "null" {
				if err := json.Unmarshal(pv, &m); err != nil {
					return fmt.Errorf("field %s: %w", parent, err)
				}
			}
			if m == nil {
				m = map[string]json.RawMessage{}
			}
			if string(v) == "null" {
				delete(m, sub)
			} else {
				m[sub] = v
			}
			b, err := json.Marshal(m)
			if err != nil {
				return err
			}
			obj[parent] = b
			continue
		}
		if string(v) == "null" {
			delete(obj, name)
		} else {
			obj[name] = v
		}
	}
	raw, err = json.Marshal(obj)
	if err != nil {
		return err
	}
	// Decode into a fresh value so removed keys become zero values.
	fresh := reflect.New(reflect.TypeOf(rec).Elem())
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(fresh.Interface()); err != nil {
		return fmt.Errorf("set fields of %s: %w", k.kind, err)
	}
	reflect.ValueOf(rec).Elem().Set(fresh.Elem())
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// syncConflicts rewrites a record's Conflicts from its stamps, listing every
// field that holds unresolved siblings with all competing values, the
// current winner first.
func syncConflicts(rec Record, st *Stamps) error {
	base := rec.RecordBase()
	base.Conflicts = nil
	if len(st.Fields) == 0 {
		return nil
	}
	var names []string
	for f, s := range st.Fields {
		if len(s.Alt) > 0 {
			names = append(names, f)
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	vals, err := Fields(rec)
	if err != nil {
		return err
	}
	for _, f := range names {
		s := st.Fields[f]
		cur, ok := vals[f]
		if !ok {
			cur = jsonNull
		}
		// Concurrent writes of the same value leave nothing to choose.
		if allValuesEqual(cur, s.Alt) {
			continue
		}
		c := Conflict{Field: f, Values: []ConflictValue{conflictValue(cur, s)}}
		for _, a := range s.Alt {
			c.Values = append(c.Values, conflictValue(a.Value, a.Stamp))
		}
		base.Conflicts = append(base.Conflicts, c)
	}
	return nil
}

// allValuesEqual reports whether every sibling holds the value cur (a
// missing or zero value counting as null).
func allValuesEqual(cur json.RawMessage, alt []Sibling) bool {
	for _, a := range alt {
		v := a.Value
		if len(v) == 0 || isZeroJSON(v) {
			v = jsonNull
		}
		if !bytes.Equal(v, cur) {
			return false
		}
	}
	return true
}

func conflictValue(v json.RawMessage, s Stamp) ConflictValue {
	return ConflictValue{Value: v, Author: s.Author, Replica: s.Replica, Clock: s.Clock, At: unixMilli(s.At)}
}
