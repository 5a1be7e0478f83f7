package workspace

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The hand-written JSON of codec.go must give exactly what encoding/json
// gives: the same bytes written, the same values read, an error where it
// errs.

func TestCodec_TypesUnchanged(t *testing.T) {
	if got := typesFingerprint(); got != codecFingerprint {
		t.Fatalf("the types codec.go reads and writes changed: teach it the new fields and update codecFingerprint to\n%q", got)
	}
	if !fastCodec {
		t.Fatal("the fast codec is off")
	}
}

var codecPieces = []string{"a", "Z", "0", " ", "word ", `"`, `\`, "/", "<", ">", "&", "\n", "\t", "\r", "\b", "\f", "\x01",
	"\x1f", "\x7f", "é", "Ж", "Київ", "\u2028", "\u2029", "😀", "\xff", "\xc3", "\xed\xa0\x80", "\u00a0", "TLP:AMBER"}

func codecString(r *rand.Rand, max int) string {
	var b strings.Builder
	for n := r.Intn(max + 1); n > 0; n-- {
		b.WriteString(codecPieces[r.Intn(len(codecPieces))])
	}
	return b.String()
}

func codecTime(r *rand.Rand) time.Time {
	switch r.Intn(4) {
	case 0:
		return time.Time{}
	case 1:
		return time.Date(2025, 12, 28, 9, 0, r.Intn(60), r.Intn(1000)*1e6, time.UTC)
	case 2:
		return time.Date(1990+r.Intn(60), time.Month(1+r.Intn(12)), 1+r.Intn(28), r.Intn(24), 0, 0, r.Intn(1e9), time.FixedZone("x", 3600*(r.Intn(25)-12)))
	}
	return time.Unix(r.Int63n(1<<34), 0).UTC()
}

func codecCard(r *rand.Rand) *Card {
	c := &Card{Base: Base{ID: codecString(r, 3), Deleted: r.Intn(5) == 0}, Board: codecString(r, 2), Lane: codecString(r, 2),
		Order: codecString(r, 2), Title: codecString(r, 6), Body: codecString(r, 30), Kind: Kind(codecString(r, 1)),
		Likelihood: Likelihood(codecString(r, 1)), Confidence: Confidence(codecString(r, 1)), TLP: TLP(r.Intn(5)),
		CreatedBy: codecString(r, 2), CreatedAt: codecTime(r), UpdatedBy: codecString(r, 2), UpdatedAt: codecTime(r)}
	if r.Intn(2) == 0 {
		c.Tags = []string{}
		for n := r.Intn(4); n > 0; n-- {
			c.Tags = append(c.Tags, codecString(r, 3))
		}
	}
	if r.Intn(2) == 0 {
		for n := r.Intn(4); n > 0; n-- {
			c.Citations = append(c.Citations, Citation{Source: codecString(r, 2), Quote: codecString(r, 5)})
		}
	}
	if r.Intn(2) == 0 {
		c.Positions = map[string]Position{}
		for n := r.Intn(4); n > 0; n-- {
			c.Positions[codecString(r, 2)] = Position{Stance: Stance(codecString(r, 1)), Note: codecString(r, 3)}
		}
	}
	if r.Intn(2) == 0 {
		for n := r.Intn(3); n > 0; n-- {
			c.Links = append(c.Links, Link{To: codecString(r, 2), Type: codecString(r, 2)})
		}
	}
	switch r.Intn(6) {
	case 0:
		c.Extra = json.RawMessage(`{"canvas": {"x": 10, "y": -2.5e3, "t": "<a & b>\u2028", "l": [true, false, null, {}], "e": "\u00e9\ud83d\ude00"}}`)
	case 1:
		c.Extra = json.RawMessage(`{"bad": }`)
	case 2:
		c.Extra = json.RawMessage(`[1, 2 ,3 ]`)
	}
	switch r.Intn(12) {
	case 0:
		c.Conflicts = []Conflict{{Field: "title", Values: []ConflictValue{{Value: json.RawMessage(`"x"`), Replica: "r", Clock: 2}}}}
	case 1:
		c.Held = []HeldWrite{{TLP: TLPRed, Replica: "r", Clock: 3, Fields: []string{"body"}}}
	case 2:
		c.TLP = TLP(9)
	case 3:
		c.CreatedAt = time.Date(10001, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return c
}

func codecAnnotation(r *rand.Rand) *Annotation {
	a := &Annotation{Base: Base{ID: codecString(r, 3), Deleted: r.Intn(5) == 0}, Card: codecString(r, 2),
		Author: codecString(r, 2), Kind: AnnotationKind(codecString(r, 1)), Text: codecString(r, 20),
		Resolved: r.Intn(2) == 0, TLP: TLP(r.Intn(5)), At: codecTime(r)}
	if r.Intn(12) == 0 {
		a.TLP = TLP(-1)
	}
	return a
}

func codecStamp(r *rand.Rand, depth int) Stamp {
	s := Stamp{Clock: uint64(r.Int63()), Replica: codecString(r, 2), Author: codecString(r, 2), At: r.Int63() - r.Int63(),
		M: TLP(r.Intn(5))}
	vv := func() VV {
		if r.Intn(2) == 0 {
			return nil
		}
		v := VV{}
		for n := r.Intn(3); n > 0; n-- {
			v[codecString(r, 2)] = uint64(r.Int63())
		}
		return v
	}
	s.Seen, s.Rel = vv(), vv()
	if depth == 0 && r.Intn(3) == 0 {
		for n := r.Intn(3); n > 0; n-- {
			sib := Sibling{Stamp: codecStamp(r, depth+1)}
			switch r.Intn(3) {
			case 0:
				sib.Value = json.RawMessage(`"some <value>"`)
			case 1:
				sib.Value = json.RawMessage(`{ "stance" : "supports" }`)
			}
			s.Alt = append(s.Alt, sib)
		}
	}
	if r.Intn(20) == 0 {
		s.M = TLP(7)
	}
	return s
}

func codecStamps(r *rand.Rand) *Stamps {
	st := &Stamps{Base: codecStamp(r, 0)}
	if r.Intn(3) > 0 {
		st.Fields = map[string]Stamp{}
		for n := r.Intn(4); n > 0; n-- {
			st.Fields[codecString(r, 2)] = codecStamp(r, 0)
		}
	}
	return st
}

// checkMarshal compares marshal with json.Marshal.
func checkMarshal(t *testing.T, v any) []byte {
	t.Helper()
	want, werr := json.Marshal(v)
	got, gerr := marshal(v)
	if (werr != nil) != (gerr != nil) || !bytes.Equal(got, want) {
		t.Fatalf("marshal %#v:\n got %s (%v)\nwant %s (%v)", v, got, gerr, want, werr)
	}
	return want
}

// checkUnmarshal compares unmarshal with json.Unmarshal on data, for a
// new value of v's type.
func checkUnmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	typ := reflect.TypeOf(v).Elem()
	want := reflect.New(typ).Interface()
	got := reflect.New(typ).Interface()
	werr := json.Unmarshal(data, want)
	gerr := unmarshal(data, got)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("unmarshal %q: error %v, encoding/json %v", data, gerr, werr)
	}
	if werr != nil {
		if werr.Error() != gerr.Error() {
			t.Fatalf("unmarshal %q: error %q, encoding/json %q", data, gerr, werr)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("unmarshal %q:\n got %#v\nwant %#v", data, got, want)
	}
}

// mutations change valid JSON in the ways a hand-written reader could
// get wrong.
var codecMutations = []func(r *rand.Rand, s string) string{
	func(r *rand.Rand, s string) string { return s },
	func(r *rand.Rand, s string) string { return " \n\t" + strings.ReplaceAll(s, ":", " : ") + "\r\n" },
	func(r *rand.Rand, s string) string { return strings.ReplaceAll(s, ",", " ,\n") },
	func(r *rand.Rand, s string) string { return s + "x" },
	func(r *rand.Rand, s string) string { return s + "{}" },
	func(r *rand.Rand, s string) string { return s[:r.Intn(len(s))] },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"title"`, `"Title"`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `{"id"`, `{"id":"dup","id"`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `{`, `{"unknown":[1,{"a":null}],`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"tlp":"`, `"tlp":"TLP:`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"tlp":"`, `"tlp":"x`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"tlp":"amber"`, `"tlp":2`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"title":`, `"title":null,"x":`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"deleted":true`, `"deleted":false`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"c":`, `"c":-`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"c":`, `"c":0`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"t":`, `"t":1.5e`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"c":`, `"c":99999999999999999999`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"v":{`, `"v":{"a":1,"a":2,`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"v":{`, `"v":{},"x":[],"w":{`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"base":{`, `"base":{"val":"x",`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"x":[{`, `"x":[{"x":[],`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `a`, `\u0061`, 2) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `a`, `\ud83d\ude00\ud800\/\"`, 2) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `a`, `\ud800\u0041`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `a`, "\xff\xfe", 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `a`, "\x01", 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `a`, `\x`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"tags":[`, `"tags":[ ]  ,"x":[`, 1) },
	func(r *rand.Rand, s string) string {
		return strings.Replace(s, `"positions":{`, `"positions":{ },"y":{`, 1)
	},
	func(r *rand.Rand, s string) string {
		return strings.Replace(s, `"positions":{"`, "\"positions\":{\"\xff", 1)
	},
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"extra":`, `"extra":null,"z":`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"createdAt":"`, `"createdAt":"x`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"at":"`, `"at":1,"q":"`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `"resolved":true`, `"resolved":tru`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `}`, `,}`, 1) },
	func(r *rand.Rand, s string) string { return strings.Replace(s, `]`, `,]`, 1) },
	func(r *rand.Rand, s string) string { return "[" + s + "]" },
	func(r *rand.Rand, s string) string { return "null" },
}

func TestCodec_MatchesEncodingJSON(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewSource(seed))
	for i := 0; i < 1000; i++ {
		for _, v := range []any{codecCard(r), codecAnnotation(r), codecStamps(r)} {
			data := checkMarshal(t, v)
			if data == nil {
				continue
			}
			for _, m := range codecMutations {
				checkUnmarshal(t, []byte(m(r, string(data))), v)
			}
		}
	}
}

// The fast paths really are taken: a plain card, annotation and stamps
// read and write without encoding/json.
func TestCodec_TakesPlainValues(t *testing.T) {
	c := &Card{Base: Base{ID: "c1"}, Board: "b", Lane: "l", Order: "5", Title: "T <x>", Body: "a \"b\"\n",
		Kind: KindNote, Tags: []string{"x"}, Citations: []Citation{{Source: "s", Quote: "q"}},
		Positions: map[string]Position{"us": {Stance: StanceSupports}}, TLP: TLPAmber,
		Links: []Link{{To: "c2", Type: "supports"}}, CreatedAt: time.Now().UTC(), Extra: json.RawMessage(`{"a":1}`)}
	b, ok := appendCard(nil, c)
	if !ok {
		t.Fatal("appendCard left a plain card to encoding/json")
	}
	var back Card
	if !decodeCard(b, &back, newInterner()) || !reflect.DeepEqual(&back, c) {
		t.Fatalf("decodeCard: %#v", back)
	}
	st := &Stamps{Base: Stamp{Clock: 1, Replica: "r", At: 5, M: TLPGreen},
		Fields: map[string]Stamp{"title": {Clock: 2, Replica: "r", Seen: VV{"q": 1}, Alt: []Sibling{{Value: json.RawMessage(`"x"`), Stamp: Stamp{Clock: 2, Replica: "q"}}}}}}
	b, ok = appendStamps(nil, st)
	if !ok {
		t.Fatal("appendStamps left plain stamps to encoding/json")
	}
	var sb Stamps
	if !decodeStamps(b, &sb) || !reflect.DeepEqual(&sb, st) {
		t.Fatalf("decodeStamps: %#v", sb)
	}
	// A conflict list is left to encoding/json, and still read right.
	c.Conflicts = []Conflict{{Field: "title", Values: []ConflictValue{{Value: json.RawMessage(`"x"`), Replica: "r", Clock: 1}}}}
	if _, ok := appendCard(nil, c); ok {
		t.Fatal("appendCard wrote a conflict list itself")
	}
	checkUnmarshal(t, checkMarshal(t, c), c)
}

func FuzzCodec_Card(f *testing.F) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		b, _ := json.Marshal(codecCard(r))
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkUnmarshal(t, data, &Card{})
		checkUnmarshal(t, data, &Annotation{})
	})
}

func FuzzCodec_Stamps(f *testing.F) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		b, _ := json.Marshal(codecStamps(r))
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkUnmarshal(t, data, &Stamps{})
	})
}

// A journal entry's changes are written as json.Marshal writes them.
func TestCodec_ChangesAsMarshal(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	var cs []Change
	for i := 0; i < 500; i++ {
		c := Change{RecordKind: RecCard, ID: codecString(r, 2), Key: codecString(r, 3), Title: codecString(r, 4),
			MarkBefore: TLP(r.Intn(5)), MarkAfter: TLP(r.Intn(5))}
		if r.Intn(3) > 0 {
			c.Fields = []string{"body", codecString(r, 2)}
		}
		rec := codecCard(r)
		rec.Conflicts, rec.Held, rec.TLP, rec.CreatedAt = nil, nil, TLPAmber, time.Time{}
		if b, err := marshal(rec); err == nil {
			c.After = b
			if r.Intn(2) == 0 {
				c.Before = b
			}
		}
		if r.Intn(4) == 0 {
			c.RelBefore, c.RelAfter = VV{"r": 3}, VV{codecString(r, 2): 5, "q": 1}
		}
		if r.Intn(10) == 0 {
			c.After = json.RawMessage(`{ "spaced" : "<b>" }`)
		}
		cs = append(cs, c)
		want, werr := json.Marshal(cs)
		got, gerr := marshalChanges(cs)
		if (werr != nil) != (gerr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("changes %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func TestStampsMaxClock_AsMaxClock(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 2000; i++ {
		st := codecStamps(r)
		if got, want := stampsMaxClock(st), st.MaxClock(); got != want {
			t.Fatalf("stamps %+v: %d, want %d", st, got, want)
		}
	}
}

func TestStampJSON_AsMarshal(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	for i := 0; i < 2000; i++ {
		s := codecStamp(r, 0)
		want, _ := json.Marshal(s)
		if got := stampJSON(s); !bytes.Equal(got, want) {
			t.Fatalf("stamp %+v:\n got %s\nwant %s", s, got, want)
		}
	}
}
