package workspace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"
)

// RecordKind names a kind of record, as journal changes and share files
// write it. (A card's own kind, note or judgment, is a Kind.)
type RecordKind string

// The record kinds.
const (
	RecMeta       RecordKind = "meta"
	RecBoard      RecordKind = "board"
	RecLane       RecordKind = "lane"
	RecCard       RecordKind = "card"
	RecSource     RecordKind = "source"
	RecAnnotation RecordKind = "annotation"
	RecAcceptance RecordKind = "acceptance"
	RecACH        RecordKind = "ach"
	RecACHRow     RecordKind = "ach-row"
	RecExtra      RecordKind = "extra"
	RecBrief      RecordKind = "brief"
)

// Record is a record of any kind: a pointer to one of the record types,
// such as *Card. Every record embeds Base and validates itself.
type Record interface {
	Validate() error
	RecordBase() *Base
}

// RecordBase returns the record's Base; every record type has it through
// its embedded Base.
func (b *Base) RecordBase() *Base { return b }

// kindSpec is everything Briefboard knows about one record kind, in one
// place: adding a kind adds one entry to recordKinds.
type kindSpec struct {
	kind RecordKind
	// prefix is the key prefix of the kind's records; for a kind with a
	// single record (the workspace header), its whole key.
	prefix string
	single bool
	// label names the kind for people: "Card", "Workspace".
	label string
	// new returns a pointer to a zero record.
	new func() Record
	// id returns the part of the key after the prefix.
	id func(r Record) string
	// title names a record for people (journal, import summary,
	// conflicts).
	title func(r Record) string
	// tlp points at the record's own marking field.
	tlp func(r Record) *TLP
	// parents lists the keys of the records this one belongs to: a share
	// file holding it must hold them, and an action writing it checks
	// they exist.
	parents func(r Record) []string
	// floors lists the keys of the records whose effective marking this
	// one's can never be below (DESIGN.md 4a): it shows or derives from
	// their text.
	floors func(r Record) []string
	// depth orders kinds by their floors: a kind's floors are of lower
	// depth, so markings are worked out in order of depth.
	depth int
	// dependents lists the keys of the live records that have this one
	// among their floors: those a lowering of its marking may release.
	dependents func(tx *Tx, r Record) ([]string, error)
	// put writes the record through its typed Tx method, so the checks
	// and indexes of that kind apply (undo, redo and imports use it).
	put func(tx *Tx, r Record) error
	// fields says how the record's JSON divides into stamped fields.
	fields fieldSpec
	// mergeFixed sets the unstamped fields of dst (a copy of remote) from
	// both sides; sameFixed reports whether that leaves remote's as they
	// are. Nil when the kind has no unstamped fields of its own.
	mergeFixed func(dst, local, remote Record)
	sameFixed  func(local, remote Record) bool

	// Worked out once from the Go type.
	goType   reflect.Type
	jsonKeys map[string]bool
}

// fieldSpec says how a record kind's JSON object divides into the fields
// that carry stamps.
type fieldSpec struct {
	// fixed keys are set once, at creation, or derived; they carry no
	// stamp. Base's derived keys (id, conflicts, held) are fixed for
	// every kind.
	fixed []string
	// groups are keys that change together and merge as one field.
	groups map[string][]string
	// keyed objects merge per key: "positions" becomes "positions.<party>".
	keyed []string
}

// baseFixed are Base's keys that carry no stamp: the id and what is
// derived from the stamps.
var baseFixed = []string{"id", "conflicts", "held"}

// recordKinds is the table of record kinds, in the order an import
// merges them: what a record belongs to or rests on comes before it, and
// a card's annotations come before the card, since they count as work on
// it when it is deleted.
var recordKinds = []*kindSpec{
	{
		kind: RecMeta, label: "Workspace", prefix: keyMeta, single: true,
		new:   func() Record { return &Meta{} },
		id:    func(Record) string { return "" },
		title: func(r Record) string { return r.(*Meta).Title },
		tlp:   func(r Record) *TLP { return &r.(*Meta).TLP },
		put:   func(tx *Tx, r Record) error { return tx.PutMeta(r.(*Meta)) },
	},
	{
		kind: RecBoard, label: "Board", prefix: prefixBoard,
		new:   func() Record { return &Board{} },
		id:    func(r Record) string { return r.(*Board).ID },
		title: func(r Record) string { return r.(*Board).Title },
		tlp:   func(r Record) *TLP { return &r.(*Board).TLP },
		put:   func(tx *Tx, r Record) error { return tx.PutBoard(r.(*Board)) },
		dependents: func(tx *Tx, r Record) ([]string, error) {
			lanes, err := tx.Lanes(r.(*Board).ID)
			if err != nil {
				return nil, err
			}
			var out []string
			for _, l := range lanes {
				out = append(out, string(laneKey(l.ID)))
			}
			for _, l := range lanes {
				for _, o := range tx.laneOrder(l.ID) {
					out = append(out, string(cardKey(o.Card)))
				}
			}
			return out, nil
		},
	},
	{
		kind: RecLane, label: "Lane", prefix: prefixLane,
		new:     func() Record { return &Lane{} },
		id:      func(r Record) string { return r.(*Lane).ID },
		title:   func(r Record) string { return r.(*Lane).Name },
		tlp:     func(r Record) *TLP { return &r.(*Lane).TLP },
		parents: func(r Record) []string { return []string{string(boardKey(r.(*Lane).Board))} },
		floors:  func(r Record) []string { return []string{string(boardKey(r.(*Lane).Board))} },
		put:     func(tx *Tx, r Record) error { return tx.PutLane(r.(*Lane)) },
		depth:   1,
		dependents: func(tx *Tx, r Record) ([]string, error) {
			var out []string
			for _, o := range tx.laneOrder(r.(*Lane).ID) {
				out = append(out, string(cardKey(o.Card)))
			}
			return out, nil
		},
		fields: fieldSpec{fixed: []string{"board"}},
		mergeFixed: func(dst, local, _ Record) {
			if l, d := local.(*Lane), dst.(*Lane); l.Board < d.Board {
				d.Board = l.Board
			}
		},
		sameFixed: func(local, remote Record) bool { return local.(*Lane).Board == remote.(*Lane).Board },
	},
	{
		kind: RecSource, label: "Source", prefix: prefixSource,
		new:   func() Record { return &Source{} },
		id:    func(r Record) string { return r.(*Source).ID },
		title: func(r Record) string { return r.(*Source).Title },
		tlp:   func(r Record) *TLP { return &r.(*Source).TLP },
		put:   func(tx *Tx, r Record) error { return tx.PutSource(r.(*Source)) },
		dependents: func(tx *Tx, r Record) ([]string, error) {
			id := r.(*Source).ID
			var out []string
			err := tx.scan(prefixCard, func(v []byte) error {
				c, err := decode[Card](v)
				if err != nil {
					return err
				}
				for _, ci := range c.Citations {
					if ci.Source == id && ci.Quote != "" && !c.Deleted {
						out = append(out, string(cardKey(c.ID)))
						break
					}
				}
				return nil
			})
			return out, err
		},
	},
	{
		kind: RecExtra, label: "Interchange data", prefix: prefixExtra,
		new:   func() Record { return &Extra{} },
		id:    func(r Record) string { return r.(*Extra).ID },
		title: func(r Record) string { return r.(*Extra).Format + " data" },
		tlp:   func(r Record) *TLP { return &r.(*Extra).TLP },
		put:   func(tx *Tx, r Record) error { return tx.PutExtra(r.(*Extra)) },
	},
	{
		// A recorded brief holds what it printed, marked as it printed
		// it, and is at least as restricted as the boards, lanes and cards
		// its digest names (brief.go).
		kind: RecBrief, label: "Recorded brief", prefix: prefixBrief,
		new:    func() Record { return &RecordedBrief{} },
		id:     func(r Record) string { return r.(*RecordedBrief).ID },
		title:  func(r Record) string { return r.(*RecordedBrief).Title() },
		tlp:    func(r Record) *TLP { return &r.(*RecordedBrief).TLP },
		floors: func(r Record) []string { return r.(*RecordedBrief).floorKeys() },
		put:    func(tx *Tx, r Record) error { return tx.PutBrief(r.(*RecordedBrief)) },
		depth:  3,
	},
	{
		kind: RecAnnotation, label: "Annotation", prefix: prefixAnn,
		new:     func() Record { return &Annotation{} },
		id:      func(r Record) string { a := r.(*Annotation); return a.Card + "/" + a.ID },
		title:   func(r Record) string { return ShortTitle(r.(*Annotation).Text, 60) },
		tlp:     func(r Record) *TLP { return &r.(*Annotation).TLP },
		parents: func(r Record) []string { return []string{string(cardKey(r.(*Annotation).Card))} },
		floors:  func(r Record) []string { return []string{string(cardKey(r.(*Annotation).Card))} },
		put:     func(tx *Tx, r Record) error { return tx.PutAnnotation(r.(*Annotation)) },
		depth:   3,
		fields:  fieldSpec{fixed: []string{"card", "author", "at"}},
		mergeFixed: func(dst, local, _ Record) {
			l, d := local.(*Annotation), dst.(*Annotation)
			if l.At.Before(d.At) || l.At.Equal(d.At) && l.Author < d.Author {
				d.At, d.Author = l.At, l.Author
			}
		},
		sameFixed: func(local, remote Record) bool {
			l, o := local.(*Annotation), remote.(*Annotation)
			return l.At.Equal(o.At) && l.Author == o.Author && l.Card == o.Card
		},
	},
	{
		kind: RecACH, label: "ACH matrix", prefix: prefixACH,
		new:   func() Record { return &ACHMatrix{} },
		id:    func(r Record) string { return r.(*ACHMatrix).ID },
		title: func(r Record) string { return r.(*ACHMatrix).Question },
		tlp:   func(r Record) *TLP { return &r.(*ACHMatrix).TLP },
		put:   func(tx *Tx, r Record) error { return tx.PutACHMatrix(r.(*ACHMatrix)) },
		dependents: func(tx *Tx, r Record) ([]string, error) {
			var out []string
			err := tx.iter(string(achRowKey(r.(*ACHMatrix).ID, "")), false, func(key, _ []byte) error {
				out = append(out, string(key))
				return nil
			})
			return out, err
		},
		fields: fieldSpec{fixed: []string{"createdBy", "createdAt"}, keyed: []string{"indicators"}},
		mergeFixed: func(dst, local, _ Record) {
			l, d := local.(*ACHMatrix), dst.(*ACHMatrix)
			if l.CreatedAt.Before(d.CreatedAt) || l.CreatedAt.Equal(d.CreatedAt) && l.CreatedBy < d.CreatedBy {
				d.CreatedAt, d.CreatedBy = l.CreatedAt, l.CreatedBy
			}
		},
		sameFixed: func(local, remote Record) bool {
			l, o := local.(*ACHMatrix), remote.(*ACHMatrix)
			return l.CreatedAt.Equal(o.CreatedAt) && l.CreatedBy == o.CreatedBy
		},
	},
	{
		kind: RecCard, label: "Card", prefix: prefixCard,
		new:   func() Record { return &Card{} },
		id:    func(r Record) string { return r.(*Card).ID },
		title: func(r Record) string { return r.(*Card).Title },
		tlp:   func(r Record) *TLP { return &r.(*Card).TLP },
		parents: func(r Record) []string {
			c := r.(*Card)
			return []string{string(boardKey(c.Board)), string(laneKey(c.Lane))}
		},
		floors: func(r Record) []string {
			c := r.(*Card)
			out := []string{string(boardKey(c.Board)), string(laneKey(c.Lane))}
			for _, ci := range c.Citations {
				if ci.Quote != "" {
					out = append(out, string(sourceKey(ci.Source)))
				}
			}
			return out
		},
		put:   func(tx *Tx, r Record) error { return tx.PutCard(r.(*Card)) },
		depth: 2,
		dependents: func(tx *Tx, r Record) ([]string, error) {
			var out []string
			err := tx.iter(string(annKey(r.(*Card).ID, "")), false, func(key, _ []byte) error {
				out = append(out, string(key))
				return nil
			})
			if err != nil {
				return nil, err
			}
			rows, err := tx.evidenceOnCard(r.(*Card).ID)
			if err != nil {
				return nil, err
			}
			out = append(out, rows...)
			err = tx.iter(string(acceptanceKey(r.(*Card).ID, "")), false, func(key, _ []byte) error {
				out = append(out, string(key))
				return nil
			})
			return out, err
		},
		fields: fieldSpec{
			fixed:  []string{"createdBy", "createdAt", "updatedBy", "updatedAt"},
			groups: map[string][]string{"place": {"board", "lane", "order"}},
			keyed:  []string{"positions"},
		},
		mergeFixed: func(dst, local, _ Record) {
			l, d := local.(*Card), dst.(*Card)
			if l.CreatedAt.Before(d.CreatedAt) || l.CreatedAt.Equal(d.CreatedAt) && l.CreatedBy < d.CreatedBy {
				d.CreatedAt, d.CreatedBy = l.CreatedAt, l.CreatedBy
			}
			if l.UpdatedAt.After(d.UpdatedAt) || l.UpdatedAt.Equal(d.UpdatedAt) && l.UpdatedBy > d.UpdatedBy {
				d.UpdatedAt, d.UpdatedBy = l.UpdatedAt, l.UpdatedBy
			}
		},
		sameFixed: func(local, remote Record) bool {
			l, o := local.(*Card), remote.(*Card)
			return l.CreatedAt.Equal(o.CreatedAt) && l.CreatedBy == o.CreatedBy &&
				(o.UpdatedAt.After(l.UpdatedAt) || o.UpdatedAt.Equal(l.UpdatedAt) && o.UpdatedBy >= l.UpdatedBy)
		},
	},
	{
		// An evidence row shows its card's title and derives from the
		// matrix's hypotheses: it travels with both and is at least as
		// restricted as either, so a row on a card above a cap stays
		// behind with its card.
		kind: RecACHRow, label: "Evidence row", prefix: prefixACHRow,
		new:   func() Record { return &ACHRow{} },
		id:    func(r Record) string { x := r.(*ACHRow); return x.Matrix + "/" + x.Card },
		title: func(r Record) string { return "evidence " + r.(*ACHRow).Card },
		tlp:   func(r Record) *TLP { return &r.(*ACHRow).TLP },
		parents: func(r Record) []string {
			x := r.(*ACHRow)
			return []string{string(achKey(x.Matrix)), string(cardKey(x.Card))}
		},
		floors: func(r Record) []string {
			x := r.(*ACHRow)
			return []string{string(achKey(x.Matrix)), string(cardKey(x.Card))}
		},
		put:    func(tx *Tx, r Record) error { return tx.PutACHRow(r.(*ACHRow)) },
		depth:  3,
		fields: fieldSpec{fixed: []string{"matrix", "card", "at"}, keyed: []string{"cells"}},
		mergeFixed: func(dst, local, _ Record) {
			if l, d := local.(*ACHRow), dst.(*ACHRow); l.At.Before(d.At) {
				d.At = l.At
			}
		},
		sameFixed: func(local, remote Record) bool {
			l, o := local.(*ACHRow), remote.(*ACHRow)
			return l.At.Equal(o.At) && l.Matrix == o.Matrix && l.Card == o.Card
		},
	},
	{
		kind: RecAcceptance, label: "Accepted finding", prefix: prefixAcceptance,
		new:     func() Record { return &Acceptance{} },
		id:      func(r Record) string { a := r.(*Acceptance); return a.Card + "/" + a.ID },
		title:   func(r Record) string { return "Accepted finding " + r.(*Acceptance).ID },
		tlp:     func(r Record) *TLP { return &r.(*Acceptance).TLP },
		parents: func(r Record) []string { return []string{string(cardKey(r.(*Acceptance).Card))} },
		floors:  func(r Record) []string { return []string{string(cardKey(r.(*Acceptance).Card))} },
		depth:   3,
		put:     func(tx *Tx, r Record) error { return tx.PutAcceptance(r.(*Acceptance)) },
		fields:  fieldSpec{fixed: []string{"card"}},
		mergeFixed: func(dst, local, _ Record) {
			if l, d := local.(*Acceptance), dst.(*Acceptance); l.Card < d.Card {
				d.Card = l.Card
			}
		},
		sameFixed: func(local, remote Record) bool { return local.(*Acceptance).Card == remote.(*Acceptance).Card },
	},
}

var (
	kindByName = map[RecordKind]*kindSpec{}
	kindByType = map[reflect.Type]*kindSpec{}
)

func init() {
	for _, k := range recordKinds {
		k.goType = reflect.TypeOf(k.new())
		k.jsonKeys = jsonKeysOf(k.goType.Elem())
		k.fields.fixed = append(append([]string(nil), baseFixed...), k.fields.fixed...)
		kindByName[k.kind] = k
		kindByType[k.goType] = k
	}
}

// jsonKeysOf lists the JSON keys of a struct type, those of embedded
// structs included.
func jsonKeysOf(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k := range jsonKeysOf(f.Type) {
				out[k] = true
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = true
	}
	return out
}

// RecordKinds lists every record kind, in the order an import merges them.
func RecordKinds() []RecordKind {
	out := make([]RecordKind, len(recordKinds))
	for i, k := range recordKinds {
		out[i] = k.kind
	}
	return out
}

// Label names the kind for people: "Card", "Workspace" (the header).
func (k RecordKind) Label() string {
	if s := kindByName[k]; s != nil {
		return s.label
	}
	return string(k)
}

// Valid reports whether k is a known record kind.
func (k RecordKind) Valid() bool { return kindByName[k] != nil }

// specOf returns a kind's table entry, or an error for an unknown kind.
func specOf(k RecordKind) (*kindSpec, error) {
	if s := kindByName[k]; s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("unknown record kind %q", string(k))
}

// specOfRecord returns the table entry of a record's type.
func specOfRecord(r Record) (*kindSpec, error) {
	if s := kindByType[reflect.TypeOf(r)]; s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("unknown record type %T", r)
}

// KindOf returns the kind of a record.
func KindOf(r Record) RecordKind {
	if s, err := specOfRecord(r); err == nil {
		return s.kind
	}
	return ""
}

// kindOfKey tells a record's kind from its key; nil when the key is not a
// record's.
func kindOfKey(key string) *kindSpec {
	for _, k := range recordKinds {
		if k.single && key == k.prefix || !k.single && strings.HasPrefix(key, k.prefix) {
			return k
		}
	}
	return nil
}

// KeyOf returns the key a record is stored under.
func KeyOf(r Record) string {
	s, err := specOfRecord(r)
	if err != nil {
		return ""
	}
	if s.single {
		return s.prefix
	}
	return s.prefix + s.id(r)
}

// RecordTitle names a record for people: a card's title, a lane's name,
// the start of an annotation.
func RecordTitle(r Record) string {
	s, err := specOfRecord(r)
	if err != nil {
		return ""
	}
	return s.title(r)
}

// NewRecord returns a pointer to a zero record of the kind, or nil for an
// unknown kind.
func NewRecord(k RecordKind) Record {
	if s := kindByName[k]; s != nil {
		return s.new()
	}
	return nil
}

// decodeOrNil decodes a record's JSON, or returns nil for an empty value.
func decodeOrNil(k RecordKind, raw json.RawMessage) Record {
	if len(raw) == 0 {
		return nil
	}
	r := NewRecord(k)
	if r == nil || unmarshal(raw, r) != nil {
		return nil
	}
	return r
}

// decodeStored reads a stored record of a kind, leniently (as stored by
// this Briefboard or an earlier one).
func decodeStored(k RecordKind, raw []byte) (Record, error) {
	return decodeStoredWith(k, raw, nil)
}

// decodeStoredWith is decodeStored sharing the strings that repeat from
// record to record (ids of boards and lanes, kinds, authors) through in.
func decodeStoredWith(k RecordKind, raw []byte, in *interner) (Record, error) {
	r := NewRecord(k)
	if r == nil {
		return nil, fmt.Errorf("unknown record kind %q", string(k))
	}
	if decodeFastWith(raw, r, in) {
		return r, nil
	}
	if err := json.Unmarshal(raw, r); err != nil {
		return nil, fmt.Errorf("damaged record: %w", err)
	}
	return r, nil
}

// DecodeRecord strictly decodes a record of the given kind from JSON: an
// unknown field, a wrong type or trailing data is an error, and the record
// must pass its Validate.
func DecodeRecord(k RecordKind, raw []byte) (Record, error) {
	r := NewRecord(k)
	if r == nil {
		return nil, fmt.Errorf("unknown record kind %q", string(k))
	}
	if !decodeFast(raw, r) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(r); err != nil {
			return nil, fmt.Errorf("decode %s: %w", k, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("decode %s: trailing data after the record", k)
		}
	}
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("decode %s: %w", k, err)
	}
	return r, nil
}

// putRecord writes a record of any kind through its typed Put, so the same
// checks and indexes apply.
func (tx *Tx) putRecord(r Record) error {
	s, err := specOfRecord(r)
	if err != nil {
		return err
	}
	return s.put(tx, r)
}

// validFieldName reports whether a stamped field name exists for a kind.
func (k *kindSpec) validFieldName(name string) bool {
	if _, ok := k.fields.groups[name]; ok {
		return true
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		return contains(k.fields.keyed, name[:i]) && ValidID(name[i+1:])
	}
	if contains(k.fields.fixed, name) || contains(k.fields.keyed, name) {
		return false
	}
	for _, members := range k.fields.groups {
		if contains(members, name) {
			return false
		}
	}
	return k.jsonKeys[name]
}

// sortedKinds lists the kinds in the order of their keys, the order of a
// share file's records.
func sortedKinds() []*kindSpec {
	out := append([]*kindSpec(nil), recordKinds...)
	sort.Slice(out, func(i, j int) bool { return out[i].prefix < out[j].prefix })
	return out
}

// ShortTitle shortens text to at most n characters (runes), cutting at the
// last space before the limit when there is one and marking the cut with
// an ellipsis. Line breaks become spaces.
func ShortTitle(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return cut + "…"
}

// FixedFields lists a kind's JSON keys that carry no stamp: set once at
// creation or derived from the stamps. Every other key is a stamped field
// (see Fields).
func FixedFields(k RecordKind) []string {
	s := kindByName[k]
	if s == nil {
		return nil
	}
	return append([]string(nil), s.fields.fixed...)
}
