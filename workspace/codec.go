package workspace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON for the records that come by the thousand: cards, annotations and
// merge stamps. A workspace of ten thousand cards reads and writes tens of
// megabytes of them, and encoding/json spends most of a snapshot or an
// import on reflection. The code here reads and writes those types by
// hand, with exactly encoding/json's results:
//
//   - Decoding takes the plain case only: keys as the types name them,
//     each once, no null, nothing past the value but spaces. Anything
//     else (a conflict list, a key in another case, a damaged value) is
//     handed to encoding/json, which gives its own result or error. The
//     target must be a zero value, as it is everywhere the store decodes.
//   - Encoding writes the bytes json.Marshal writes; a value it does not
//     take (conflicts, held writes, an invalid marking or time) goes to
//     json.Marshal.
//
// codecFingerprint pins the Go types the code was written for: when a
// field is added to one of them, the fast paths switch themselves off
// (and TestCodec_TypesUnchanged fails) until this file learns the field.

// fastCodec is true while the types are those the code here knows.
var fastCodec = typesFingerprint() == codecFingerprint

const codecFingerprint = "Card{Base:Base:;Board:string:board;Lane:string:lane;Order:string:order;Title:string:title;" +
	"Body:string:body,omitempty;Kind:Kind:kind;Tags:[]string:tags,omitempty;" +
	"Citations:[]workspace.Citation:citations,omitempty;" +
	"Positions:map[string]workspace.Position:positions,omitempty;" +
	"Likelihood:Likelihood:likelihood,omitempty;Confidence:Confidence:confidence,omitempty;TLP:TLP:tlp;" +
	"Links:[]workspace.Link:links,omitempty;CreatedBy:string:createdBy,omitempty;" +
	"CreatedAt:Time:createdAt;UpdatedBy:string:updatedBy,omitempty;UpdatedAt:Time:updatedAt;" +
	"Extra:RawMessage:extra,omitempty}" +
	"Annotation{Base:Base:;Card:string:card;Author:string:author;Kind:AnnotationKind:kind;" +
	"Text:string:text;Resolved:bool:resolved,omitempty;TLP:TLP:tlp;At:Time:at}" +
	"Base{ID:string:id;Deleted:bool:deleted,omitempty;Conflicts:[]workspace.Conflict:conflicts,omitempty;" +
	"Held:[]workspace.HeldWrite:held,omitempty}" +
	"Citation{Source:string:source;Quote:string:quote,omitempty}" +
	"Position{Stance:Stance:stance;Note:string:note,omitempty}" +
	"Link{To:string:to;Type:string:type}" +
	"Stamps{Base:Stamp:base;Fields:map[string]workspace.Stamp:f,omitempty}" +
	"Stamp{Clock:uint64:c;Replica:string:r;Author:string:a,omitempty;At:int64:t;Seen:VV:v,omitempty;" +
	"M:TLP:m,omitempty;Rel:VV:rel,omitempty;Alt:[]workspace.Sibling:x,omitempty}" +
	"Sibling{Value:RawMessage:val;Stamp:Stamp:}" +
	"Change{RecordKind:RecordKind:kind;ID:string:id;Key:string:key;Title:string:title,omitempty;" +
	"Fields:[]string:fields;Before:RawMessage:before,omitempty;After:RawMessage:after;" +
	"MarkBefore:TLP:mb,omitempty;MarkAfter:TLP:ma,omitempty;RelBefore:VV:rb,omitempty;" +
	"RelAfter:VV:ra,omitempty}"

// typesFingerprint describes the fields of the types the fast codec reads
// and writes.
func typesFingerprint() string {
	var b bytes.Buffer
	for _, v := range []any{Card{}, Annotation{}, Base{}, Citation{}, Position{}, Link{}, Stamps{}, Stamp{}, Sibling{}, Change{}} {
		t := reflect.TypeOf(v)
		b.WriteString(t.Name() + "{")
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if i > 0 {
				b.WriteByte(';')
			}
			name := f.Type.Name()
			if name == "" {
				name = f.Type.String()
			}
			fmt.Fprintf(&b, "%s:%s:%s", f.Name, name, f.Tag.Get("json"))
		}
		b.WriteString("}")
	}
	return b.String()
}

// unmarshal decodes JSON into v as json.Unmarshal does, by hand for the
// types of this file.
func unmarshal(data []byte, v any) error {
	if decodeFast(data, v) {
		return nil
	}
	return json.Unmarshal(data, v)
}

// decodeFast decodes the plain case of the types of this file into a zero
// value and reports whether it did; when it did not, v is as it was. A
// strict decoder (unknown fields refused, nothing after the value) agrees
// with it wherever it succeeds.
func decodeFast(data []byte, v any) bool { return decodeFastWith(data, v, nil) }

// decodeFastWith is decodeFast sharing repeated strings through in (nil
// for none).
func decodeFastWith(data []byte, v any, in *interner) bool {
	if !fastCodec {
		return false
	}
	switch p := v.(type) {
	case *Card:
		return isZeroCard(p) && decodeCard(data, p, in)
	case *Annotation:
		return isZeroAnnotation(p) && decodeAnnotation(data, p, in)
	case *Stamps:
		return p.Fields == nil && stampIsZero(&p.Base) && decodeStamps(data, p)
	}
	return false
}

// marshal encodes v as json.Marshal does, by hand for the types of this
// file.
func marshal(v any) ([]byte, error) {
	if fastCodec {
		var out []byte
		ok := false
		switch x := v.(type) {
		case *Card:
			out, ok = appendCard(make([]byte, 0, 256+len(x.Body)+len(x.Title)), x)
		case *Annotation:
			out, ok = appendAnnotation(make([]byte, 0, 192+len(x.Text)), x)
		case *Stamps:
			out, ok = appendStamps(make([]byte, 0, 96), x)
		}
		if ok {
			return out, nil
		}
	}
	return json.Marshal(v)
}

func isZeroCard(c *Card) bool {
	return c.ID == "" && !c.Deleted && c.Conflicts == nil && c.Held == nil && c.Board == "" && c.Lane == "" &&
		c.Order == "" && c.Title == "" && c.Body == "" && c.Kind == "" && c.Tags == nil && c.Citations == nil &&
		c.Positions == nil && c.Likelihood == "" && c.Confidence == "" && c.TLP == 0 && c.Links == nil &&
		c.CreatedBy == "" && c.CreatedAt.IsZero() && c.CreatedAt.Location() == time.UTC && c.UpdatedBy == "" &&
		c.UpdatedAt.IsZero() && c.UpdatedAt.Location() == time.UTC && c.Extra == nil
}

func isZeroAnnotation(a *Annotation) bool {
	return a.ID == "" && !a.Deleted && a.Conflicts == nil && a.Held == nil && a.Card == "" && a.Author == "" &&
		a.Kind == "" && a.Text == "" && !a.Resolved && a.TLP == 0 && a.At.IsZero() && a.At.Location() == time.UTC
}

func stampIsZero(s *Stamp) bool {
	return s.Clock == 0 && s.Replica == "" && s.Author == "" && s.At == 0 && s.Seen == nil && s.M == 0 &&
		s.Rel == nil && s.Alt == nil
}

// ---- reading ----

// jsonReader reads one JSON value by hand; any step it does not take
// returns false, and the caller hands the whole value to encoding/json.
type jsonReader struct {
	b  []byte
	i  int
	in *interner
}

// interner hands out one string for each short text read many times,
// such as the ids of a workspace's boards and lanes, so a snapshot does
// not hold ten thousand copies of each.
type interner struct {
	m map[string]string
	// noBody skips the text of card bodies (Headers); marksOnly also
	// that of titles and annotations, for a pass that works out markings.
	noBody, marksOnly bool
}

func newInterner() *interner { return &interner{m: map[string]string{}} }

// short reads a string that is likely to repeat (an id, a kind, a name).
func (r *jsonReader) short() (string, bool) {
	if r.in == nil {
		return r.str()
	}
	raw, plain, ok := r.rawString()
	if !ok {
		return "", false
	}
	if !plain {
		return string(unescapeJSON(raw)), true
	}
	if s, ok := r.in.m[string(raw)]; ok {
		return s, true
	}
	s := string(raw)
	if len(s) <= 64 && len(r.in.m) < 4096 {
		r.in.m[s] = s
	}
	return s, true
}

func (r *jsonReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// next skips spaces and consumes c when it comes next.
func (r *jsonReader) next(c byte) bool {
	r.space()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// peek skips spaces and returns the next byte, or 0 at the end.
func (r *jsonReader) peek() byte {
	r.space()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// end reports whether nothing but spaces is left.
func (r *jsonReader) end() bool {
	r.space()
	return r.i == len(r.b)
}

// key reads an object key without escapes and the colon after it.
func (r *jsonReader) key() ([]byte, bool) {
	r.space()
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		return nil, false
	}
	start := r.i + 1
	ascii := true
	for j := start; j < len(r.b); j++ {
		c := r.b[j]
		switch {
		case c == '"':
			r.i = j + 1
			k := r.b[start:j]
			if !ascii && !utf8.Valid(k) {
				return nil, false
			}
			return k, r.next(':')
		case c == '\\' || c < ' ':
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// more reads what follows a member of an object or array: true with a
// comma, false at the closing byte (ok true) or anything else (ok false).
func (r *jsonReader) more(closing byte) (more, ok bool) {
	r.space()
	if r.i < len(r.b) {
		switch r.b[r.i] {
		case ',':
			r.i++
			return true, true
		case closing:
			r.i++
			return false, true
		}
	}
	return false, false
}

// rawString reads a string and returns its contents as they stand in the
// input, and whether they hold escapes or bytes that are not plain UTF-8.
func (r *jsonReader) rawString() (raw []byte, plain, ok bool) {
	r.space()
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		return nil, false, false
	}
	start := r.i + 1
	plain, ascii := true, true
	for j := start; j < len(r.b); j++ {
		c := r.b[j]
		switch {
		case c == '"':
			r.i = j + 1
			raw = r.b[start:j]
			if !ascii && !utf8.Valid(raw) {
				plain = false
			}
			return raw, plain, true
		case c == '\\':
			plain = false
			j++
			if j >= len(r.b) {
				return nil, false, false
			}
			switch r.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(r.b) || !isHex(r.b[j+1]) || !isHex(r.b[j+2]) || !isHex(r.b[j+3]) || !isHex(r.b[j+4]) {
					return nil, false, false
				}
				j += 4
			default:
				return nil, false, false
			}
		case c < ' ':
			return nil, false, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false, false
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// str reads a string value as encoding/json decodes it.
func (r *jsonReader) str() (string, bool) {
	raw, plain, ok := r.rawString()
	if !ok {
		return "", false
	}
	if plain {
		return string(raw), true
	}
	return string(unescapeJSON(raw)), true
}

// unescapeJSON turns the checked contents of a JSON string into its text,
// as encoding/json does: escapes resolved, malformed UTF-8 and lone
// surrogates replaced by U+FFFD.
func unescapeJSON(s []byte) []byte {
	b := make([]byte, 0, len(s)+utf8.UTFMax)
	for r := 0; r < len(s); {
		// A run of text up to the next escape, copied at once when it is
		// well-formed UTF-8.
		n := bytes.IndexByte(s[r:], '\\')
		if n < 0 {
			n = len(s) - r
		}
		if run := s[r : r+n]; utf8.Valid(run) {
			b = append(b, run...)
		} else {
			for len(run) > 0 {
				rr, size := utf8.DecodeRune(run)
				b = utf8.AppendRune(b, rr)
				run = run[size:]
			}
		}
		r += n
		if r == len(s) {
			break
		}
		r++ // the backslash
		switch s[r] {
		case 'b':
			b = append(b, '\b')
			r++
		case 'f':
			b = append(b, '\f')
			r++
		case 'n':
			b = append(b, '\n')
			r++
		case 'r':
			b = append(b, '\r')
			r++
		case 't':
			b = append(b, '\t')
			r++
		case 'u':
			rr := hex4(s[r+1:])
			r += 5
			if utf16.IsSurrogate(rr) {
				if r+6 <= len(s) && s[r] == '\\' && s[r+1] == 'u' {
					if dec := utf16.DecodeRune(rr, hex4(s[r+2:])); dec != unicode.ReplacementChar {
						r += 6
						b = utf8.AppendRune(b, dec)
						break
					}
				}
				rr = unicode.ReplacementChar
			}
			b = utf8.AppendRune(b, rr)
		default: // '"', '\\', '/'
			b = append(b, s[r])
			r++
		}
	}
	return b
}

func hex4(s []byte) rune {
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r*16 + rune(c)
	}
	return r
}

// quoted reads a string value and returns it with its quotes, as
// encoding/json hands it to an UnmarshalJSON method.
func (r *jsonReader) quoted() ([]byte, bool) {
	r.space()
	start := r.i
	if _, _, ok := r.rawString(); !ok {
		return nil, false
	}
	return r.b[start:r.i], true
}

func (r *jsonReader) boolean() (bool, bool) {
	r.space()
	switch {
	case bytes.HasPrefix(r.b[r.i:], []byte("true")):
		r.i += 4
		return true, true
	case bytes.HasPrefix(r.b[r.i:], []byte("false")):
		r.i += 5
		return false, true
	}
	return false, false
}

// digits reads an integer without sign, fraction or exponent.
func (r *jsonReader) digits() ([]byte, bool) {
	r.space()
	start := r.i
	for r.i < len(r.b) && '0' <= r.b[r.i] && r.b[r.i] <= '9' {
		r.i++
	}
	d := r.b[start:r.i]
	if len(d) == 0 || len(d) > 1 && d[0] == '0' {
		return nil, false
	}
	if r.i < len(r.b) {
		switch r.b[r.i] {
		case '.', 'e', 'E':
			return nil, false
		}
	}
	return d, true
}

func (r *jsonReader) uint() (uint64, bool) {
	d, ok := r.digits()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d), 10, 64)
	return n, err == nil
}

func (r *jsonReader) int() (int64, bool) {
	neg := r.next('-')
	d, ok := r.digits()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d), 10, 64)
	if err != nil || !neg && n > 1<<63-1 || neg && n > 1<<63 {
		return 0, false
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

func (r *jsonReader) tlp(t *TLP) bool {
	raw, plain, ok := r.rawString()
	if !ok {
		return false
	}
	if plain {
		for i, w := range tlpWords {
			if string(raw) == w {
				*t = TLP(i)
				return true
			}
		}
	} else {
		raw = unescapeJSON(raw)
	}
	return t.UnmarshalText(raw) == nil
}

func (r *jsonReader) time(t *time.Time) bool {
	q, ok := r.quoted()
	return ok && t.UnmarshalJSON(q) == nil
}

// raw reads any valid JSON value and returns it as it stands.
func (r *jsonReader) raw() ([]byte, bool) {
	r.space()
	start := r.i
	if !r.skip(0) {
		return nil, false
	}
	return r.b[start:r.i], true
}

// span returns the object or array that starts here, finding its end by
// its brackets and strings alone: a caller that reads it whole later
// checks the rest.
func (r *jsonReader) span() ([]byte, bool) {
	r.space()
	start, depth := r.i, 0
	for i := r.i; i < len(r.b); i++ {
		switch r.b[i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				r.i = i + 1
				return r.b[start:r.i], true
			}
			if depth < 0 {
				return nil, false
			}
		case '"':
			for i++; i < len(r.b) && r.b[i] != '"'; i++ {
				if r.b[i] == '\\' {
					i++
				}
			}
		default:
			if depth == 0 {
				return nil, false
			}
		}
	}
	return nil, false
}

// skip reads over one valid JSON value.
func (r *jsonReader) skip(depth int) bool {
	if depth > 1000 {
		return false
	}
	switch c := r.peek(); {
	case c == '"':
		_, _, ok := r.rawString()
		return ok
	case c == '{':
		r.i++
		if r.next('}') {
			return true
		}
		for {
			if _, _, ok := r.rawString(); !ok || !r.next(':') || !r.skip(depth+1) {
				return false
			}
			more, ok := r.more('}')
			if !ok {
				return false
			}
			if !more {
				return true
			}
		}
	case c == '[':
		r.i++
		if r.next(']') {
			return true
		}
		for {
			if !r.skip(depth + 1) {
				return false
			}
			more, ok := r.more(']')
			if !ok {
				return false
			}
			if !more {
				return true
			}
		}
	case c == 't', c == 'f':
		_, ok := r.boolean()
		return ok
	case c == 'n':
		if bytes.HasPrefix(r.b[r.i:], []byte("null")) {
			r.i += 4
			return true
		}
		return false
	case c == '-' || '0' <= c && c <= '9':
		return r.number()
	}
	return false
}

// number reads over a JSON number.
func (r *jsonReader) number() bool {
	b, i := r.b, r.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	r.i = i
	return true
}

// object reads an object, calling member for each key; member reads the
// value. A key twice, or one member refuses, ends it with false.
func (r *jsonReader) object(member func(key []byte) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	for {
		k, ok := r.key()
		if !ok || !member(k) {
			return false
		}
		more, ok := r.more('}')
		if !ok {
			return false
		}
		if !more {
			return true
		}
	}
}

// array reads an array, calling elem for each element.
func (r *jsonReader) array(elem func() bool) bool {
	if !r.next('[') {
		return false
	}
	if r.next(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		more, ok := r.more(']')
		if !ok {
			return false
		}
		if !more {
			return true
		}
	}
}

// once notes a member's bit and refuses one seen before.
func once(seen *uint32, bit uint32) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

// base reads the members of Base; handled is false for other keys.
func (r *jsonReader) base(b *Base, k []byte, seen *uint32) (handled, ok bool) {
	switch string(k) {
	case "id":
		if !once(seen, 1<<31) {
			return true, false
		}
		b.ID, ok = r.str()
		return true, ok
	case "deleted":
		if !once(seen, 1<<30) {
			return true, false
		}
		b.Deleted, ok = r.boolean()
		return true, ok
	}
	return false, false
}

// decodeCard reads a card into the zero card c. Unknown keys and trailing
// data are left to encoding/json, strict or not, as everything else.
func decodeCard(data []byte, c *Card, in *interner) bool {
	r := jsonReader{b: data, in: in}
	var seen uint32
	ok := r.object(func(k []byte) bool {
		if handled, ok := r.base(&c.Base, k, &seen); handled {
			return ok
		}
		var ok bool
		switch string(k) {
		case "board":
			if ok = once(&seen, 1<<0); ok {
				c.Board, ok = r.short()
			}
		case "lane":
			if ok = once(&seen, 1<<1); ok {
				c.Lane, ok = r.short()
			}
		case "order":
			if ok = once(&seen, 1<<2); ok {
				c.Order, ok = r.str()
			}
		case "title":
			if ok = once(&seen, 1<<3); ok {
				if r.in != nil && r.in.marksOnly {
					_, _, ok = r.rawString()
				} else {
					c.Title, ok = r.str()
				}
			}
		case "body":
			if ok = once(&seen, 1<<4); ok {
				if r.in != nil && (r.in.noBody || r.in.marksOnly) {
					_, _, ok = r.rawString()
				} else {
					c.Body, ok = r.str()
				}
			}
		case "kind":
			if ok = once(&seen, 1<<5); ok {
				var s string
				s, ok = r.short()
				c.Kind = Kind(s)
			}
		case "tags":
			if ok = once(&seen, 1<<6); ok {
				c.Tags = []string{}
				ok = r.array(func() bool {
					s, ok := r.short()
					c.Tags = append(c.Tags, s)
					return ok
				})
			}
		case "citations":
			if ok = once(&seen, 1<<7); ok {
				c.Citations = []Citation{}
				ok = r.array(func() bool {
					var ci Citation
					var cs uint32
					ok := r.object(func(k []byte) bool {
						var ok bool
						switch string(k) {
						case "source":
							if ok = once(&cs, 1); ok {
								ci.Source, ok = r.short()
							}
						case "quote":
							if ok = once(&cs, 2); ok {
								ci.Quote, ok = r.str()
							}
						}
						return ok
					})
					c.Citations = append(c.Citations, ci)
					return ok
				})
			}
		case "positions":
			if ok = once(&seen, 1<<8); ok {
				c.Positions = map[string]Position{}
				ok = r.object(func(party []byte) bool {
					if _, dup := c.Positions[string(party)]; dup {
						return false
					}
					var p Position
					var ps uint32
					ok := r.object(func(k []byte) bool {
						var ok bool
						switch string(k) {
						case "stance":
							if ok = once(&ps, 1); ok {
								var s string
								s, ok = r.short()
								p.Stance = Stance(s)
							}
						case "note":
							if ok = once(&ps, 2); ok {
								p.Note, ok = r.str()
							}
						}
						return ok
					})
					c.Positions[string(party)] = p
					return ok
				})
			}
		case "likelihood":
			if ok = once(&seen, 1<<9); ok {
				var s string
				s, ok = r.str()
				c.Likelihood = Likelihood(s)
			}
		case "confidence":
			if ok = once(&seen, 1<<10); ok {
				var s string
				s, ok = r.str()
				c.Confidence = Confidence(s)
			}
		case "tlp":
			if ok = once(&seen, 1<<11); ok {
				ok = r.tlp(&c.TLP)
			}
		case "links":
			if ok = once(&seen, 1<<12); ok {
				c.Links = []Link{}
				ok = r.array(func() bool {
					var l Link
					var ls uint32
					ok := r.object(func(k []byte) bool {
						var ok bool
						switch string(k) {
						case "to":
							if ok = once(&ls, 1); ok {
								l.To, ok = r.str()
							}
						case "type":
							if ok = once(&ls, 2); ok {
								l.Type, ok = r.str()
							}
						}
						return ok
					})
					c.Links = append(c.Links, l)
					return ok
				})
			}
		case "createdBy":
			if ok = once(&seen, 1<<13); ok {
				c.CreatedBy, ok = r.short()
			}
		case "createdAt":
			if ok = once(&seen, 1<<14); ok {
				ok = r.time(&c.CreatedAt)
			}
		case "updatedBy":
			if ok = once(&seen, 1<<15); ok {
				c.UpdatedBy, ok = r.short()
			}
		case "updatedAt":
			if ok = once(&seen, 1<<16); ok {
				ok = r.time(&c.UpdatedAt)
			}
		case "extra":
			if ok = once(&seen, 1<<17); ok {
				var raw []byte
				if raw, ok = r.raw(); ok && raw[0] != 'n' {
					c.Extra = append(json.RawMessage(nil), raw...)
				} else {
					ok = false
				}
			}
		}
		return ok
	})
	if ok && r.end() {
		return true
	}
	*c = Card{}
	return false
}

// decodeAnnotation reads an annotation into the zero annotation a.
func decodeAnnotation(data []byte, a *Annotation, in *interner) bool {
	r := jsonReader{b: data, in: in}
	var seen uint32
	ok := r.object(func(k []byte) bool {
		if handled, ok := r.base(&a.Base, k, &seen); handled {
			return ok
		}
		var ok bool
		switch string(k) {
		case "card":
			if ok = once(&seen, 1<<0); ok {
				a.Card, ok = r.str()
			}
		case "author":
			if ok = once(&seen, 1<<1); ok {
				a.Author, ok = r.short()
			}
		case "kind":
			if ok = once(&seen, 1<<2); ok {
				var s string
				s, ok = r.short()
				a.Kind = AnnotationKind(s)
			}
		case "text":
			if ok = once(&seen, 1<<3); ok {
				if r.in != nil && r.in.marksOnly {
					_, _, ok = r.rawString()
				} else {
					a.Text, ok = r.str()
				}
			}
		case "resolved":
			if ok = once(&seen, 1<<4); ok {
				a.Resolved, ok = r.boolean()
			}
		case "tlp":
			if ok = once(&seen, 1<<5); ok {
				ok = r.tlp(&a.TLP)
			}
		case "at":
			if ok = once(&seen, 1<<6); ok {
				ok = r.time(&a.At)
			}
		}
		return ok
	})
	if ok && r.end() {
		return true
	}
	*a = Annotation{}
	return false
}

// decodeStamps reads stamps into the zero stamps st.
func decodeStamps(data []byte, st *Stamps) bool {
	r := jsonReader{b: data}
	var seen uint32
	ok := r.object(func(k []byte) bool {
		var ok bool
		switch string(k) {
		case "base":
			if ok = once(&seen, 1); ok {
				ok = r.stamp(&st.Base, nil)
			}
		case "f":
			if ok = once(&seen, 2); ok {
				st.Fields = map[string]Stamp{}
				ok = r.object(func(f []byte) bool {
					if _, dup := st.Fields[string(f)]; dup {
						return false
					}
					var s Stamp
					ok := r.stamp(&s, nil)
					st.Fields[string(f)] = s
					return ok
				})
			}
		}
		return ok
	})
	if ok && r.end() {
		return true
	}
	*st = Stamps{}
	return false
}

// stamp reads a stamp; val, when set, takes a sibling's value.
func (r *jsonReader) stamp(s *Stamp, val *json.RawMessage) bool {
	var seen uint32
	return r.object(func(k []byte) bool {
		var ok bool
		switch string(k) {
		case "c":
			if ok = once(&seen, 1<<0); ok {
				s.Clock, ok = r.uint()
			}
		case "r":
			if ok = once(&seen, 1<<1); ok {
				s.Replica, ok = r.str()
			}
		case "a":
			if ok = once(&seen, 1<<2); ok {
				s.Author, ok = r.str()
			}
		case "t":
			if ok = once(&seen, 1<<3); ok {
				s.At, ok = r.int()
			}
		case "v":
			if ok = once(&seen, 1<<4); ok {
				s.Seen, ok = r.vv()
			}
		case "m":
			if ok = once(&seen, 1<<5); ok {
				ok = r.tlp(&s.M)
			}
		case "rel":
			if ok = once(&seen, 1<<6); ok {
				s.Rel, ok = r.vv()
			}
		case "x":
			if ok = once(&seen, 1<<7); ok {
				s.Alt = []Sibling{}
				ok = r.array(func() bool {
					var sib Sibling
					ok := r.stamp(&sib.Stamp, &sib.Value)
					s.Alt = append(s.Alt, sib)
					return ok
				})
			}
		case "val":
			if ok = val != nil && once(&seen, 1<<8); ok {
				var raw []byte
				if raw, ok = r.raw(); ok && raw[0] != 'n' {
					*val = append(json.RawMessage(nil), raw...)
				} else {
					ok = false
				}
			}
		}
		return ok
	})
}

func (r *jsonReader) vv() (VV, bool) {
	v := VV{}
	ok := r.object(func(k []byte) bool {
		if _, dup := v[string(k)]; dup {
			return false
		}
		n, ok := r.uint()
		v[string(k)] = n
		return ok
	})
	return v, ok
}

// ---- writing ----

// AppendJSONString writes s as a JSON string, as json.Marshal does (HTML
// characters, U+2028 and U+2029 escaped; malformed UTF-8 as U+FFFD).
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if htmlSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// htmlSafe holds the ASCII bytes json.Marshal writes as they are.
var htmlSafe = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return
}()

// jsonWriter appends members of one object, commas between them.
type jsonWriter struct {
	b     []byte
	first bool
	ok    bool
}

func (w *jsonWriter) open() { w.b, w.first = append(w.b, '{'), true }

func (w *jsonWriter) close() { w.b = append(w.b, '}') }

func (w *jsonWriter) name(n string) {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.b = append(w.b, '"')
	w.b = append(w.b, n...)
	w.b = append(w.b, '"', ':')
}

func (w *jsonWriter) str(n, v string) {
	w.name(n)
	w.b = AppendJSONString(w.b, v)
}

func (w *jsonWriter) strOmit(n, v string) {
	if v != "" {
		w.str(n, v)
	}
}

func (w *jsonWriter) tlp(n string, t TLP) {
	if !t.Valid() {
		w.ok = false
		return
	}
	w.name(n)
	w.b = append(w.b, '"')
	w.b = append(w.b, tlpWords[t]...)
	w.b = append(w.b, '"')
}

func (w *jsonWriter) time(n string, t time.Time) {
	j, err := t.MarshalJSON()
	if err != nil {
		w.ok = false
		return
	}
	w.name(n)
	w.b = append(w.b, j...)
}

// rawValue writes a RawMessage as json.Marshal does: compacted, with
// HTML characters escaped.
func (w *jsonWriter) rawValue(n string, v json.RawMessage) {
	if v == nil {
		w.name(n)
		w.b = append(w.b, "null"...)
		return
	}
	var c bytes.Buffer
	if err := json.Compact(&c, v); err != nil {
		w.ok = false
		return
	}
	w.name(n)
	if bytes.ContainsAny(c.Bytes(), "<>&\u2028\u2029") {
		var e bytes.Buffer
		json.HTMLEscape(&e, c.Bytes())
		w.b = append(w.b, e.Bytes()...)
		return
	}
	w.b = append(w.b, c.Bytes()...)
}

// base writes Base's members; held writes and conflicts go to json.Marshal.
func (w *jsonWriter) base(b *Base) {
	if len(b.Conflicts) > 0 || len(b.Held) > 0 {
		w.ok = false
		return
	}
	w.str("id", b.ID)
	if b.Deleted {
		w.name("deleted")
		w.b = append(w.b, "true"...)
	}
}

// appendCard writes a card as json.Marshal does; false when it leaves
// the card to json.Marshal.
func appendCard(dst []byte, c *Card) ([]byte, bool) {
	w := jsonWriter{b: dst, ok: true}
	w.open()
	w.base(&c.Base)
	w.str("board", c.Board)
	w.str("lane", c.Lane)
	w.str("order", c.Order)
	w.str("title", c.Title)
	w.strOmit("body", c.Body)
	w.str("kind", string(c.Kind))
	if len(c.Tags) > 0 {
		w.name("tags")
		w.b = append(w.b, '[')
		for i, t := range c.Tags {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = AppendJSONString(w.b, t)
		}
		w.b = append(w.b, ']')
	}
	if len(c.Citations) > 0 {
		w.name("citations")
		w.b = append(w.b, '[')
		for i, ci := range c.Citations {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = append(w.b, `{"source":`...)
			w.b = AppendJSONString(w.b, ci.Source)
			if ci.Quote != "" {
				w.b = append(w.b, `,"quote":`...)
				w.b = AppendJSONString(w.b, ci.Quote)
			}
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, ']')
	}
	if len(c.Positions) > 0 {
		w.name("positions")
		w.b = append(w.b, '{')
		for i, party := range sortedKeysOf(c.Positions) {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			p := c.Positions[party]
			w.b = AppendJSONString(w.b, party)
			w.b = append(w.b, `:{"stance":`...)
			w.b = AppendJSONString(w.b, string(p.Stance))
			if p.Note != "" {
				w.b = append(w.b, `,"note":`...)
				w.b = AppendJSONString(w.b, p.Note)
			}
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, '}')
	}
	w.strOmit("likelihood", string(c.Likelihood))
	w.strOmit("confidence", string(c.Confidence))
	w.tlp("tlp", c.TLP)
	if len(c.Links) > 0 {
		w.name("links")
		w.b = append(w.b, '[')
		for i, l := range c.Links {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = append(w.b, `{"to":`...)
			w.b = AppendJSONString(w.b, l.To)
			w.b = append(w.b, `,"type":`...)
			w.b = AppendJSONString(w.b, l.Type)
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, ']')
	}
	w.strOmit("createdBy", c.CreatedBy)
	w.time("createdAt", c.CreatedAt)
	w.strOmit("updatedBy", c.UpdatedBy)
	w.time("updatedAt", c.UpdatedAt)
	if len(c.Extra) > 0 {
		w.rawValue("extra", c.Extra)
	}
	w.close()
	return w.b, w.ok
}

// appendAnnotation writes an annotation as json.Marshal does.
func appendAnnotation(dst []byte, a *Annotation) ([]byte, bool) {
	w := jsonWriter{b: dst, ok: true}
	w.open()
	w.base(&a.Base)
	w.str("card", a.Card)
	w.str("author", a.Author)
	w.str("kind", string(a.Kind))
	w.str("text", a.Text)
	if a.Resolved {
		w.name("resolved")
		w.b = append(w.b, "true"...)
	}
	w.tlp("tlp", a.TLP)
	w.time("at", a.At)
	w.close()
	return w.b, w.ok
}

// appendStamps writes stamps as json.Marshal does.
func appendStamps(dst []byte, st *Stamps) ([]byte, bool) {
	w := jsonWriter{b: dst, ok: true}
	w.open()
	w.name("base")
	w.stamp(&st.Base, nil)
	if len(st.Fields) > 0 {
		w.name("f")
		w.b = append(w.b, '{')
		for i, f := range sortedKeysOf(st.Fields) {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = AppendJSONString(w.b, f)
			w.b = append(w.b, ':')
			s := st.Fields[f]
			w.stamp(&s, nil)
		}
		w.b = append(w.b, '}')
	}
	w.close()
	return w.b, w.ok
}

// stamp writes one stamp as an object, or a sibling when val is set.
func (w *jsonWriter) stamp(s *Stamp, val *json.RawMessage) {
	outer := w.first
	w.open()
	if val != nil {
		w.rawValue("val", *val)
	}
	w.name("c")
	w.b = strconv.AppendUint(w.b, s.Clock, 10)
	w.str("r", s.Replica)
	w.strOmit("a", s.Author)
	w.name("t")
	w.b = strconv.AppendInt(w.b, s.At, 10)
	w.vv("v", s.Seen)
	if s.M != 0 {
		w.tlp("m", s.M)
	}
	w.vv("rel", s.Rel)
	if len(s.Alt) > 0 {
		w.name("x")
		w.b = append(w.b, '[')
		for i := range s.Alt {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.stamp(&s.Alt[i].Stamp, &s.Alt[i].Value)
		}
		w.b = append(w.b, ']')
	}
	w.close()
	w.first = outer
}

func (w *jsonWriter) vv(n string, v VV) {
	if len(v) == 0 {
		return
	}
	w.name(n)
	w.b = append(w.b, '{')
	for i, r := range sortedKeysOf(v) {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = AppendJSONString(w.b, r)
		w.b = append(w.b, ':')
		w.b = strconv.AppendUint(w.b, v[r], 10)
	}
	w.b = append(w.b, '}')
}

func sortedKeysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// marshalChanges writes a journal entry's changes as json.Marshal does.
// Their record values are the JSON marshal made (or the store holds, which
// marshal made): compact, escaped, written as they are.
func marshalChanges(cs []Change) ([]byte, error) {
	if !fastCodec {
		return json.Marshal(cs)
	}
	size := 2
	for i := range cs {
		size += changeSize(&cs[i])
	}
	w := jsonWriter{b: make([]byte, 0, size), ok: true}
	w.b = append(w.b, '[')
	for i := range cs {
		c := &cs[i]
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.open()
		w.str("kind", string(c.RecordKind))
		w.str("id", c.ID)
		w.str("key", c.Key)
		w.strOmit("title", c.Title)
		w.name("fields")
		if c.Fields == nil {
			w.b = append(w.b, "null"...)
		} else {
			w.b = append(w.b, '[')
			for j, f := range c.Fields {
				if j > 0 {
					w.b = append(w.b, ',')
				}
				w.b = AppendJSONString(w.b, f)
			}
			w.b = append(w.b, ']')
		}
		if len(c.Before) > 0 {
			w.record("before", c.Before)
		}
		w.record("after", c.After)
		if c.MarkBefore != 0 {
			w.tlp("mb", c.MarkBefore)
		}
		if c.MarkAfter != 0 {
			w.tlp("ma", c.MarkAfter)
		}
		w.vv("rb", c.RelBefore)
		w.vv("ra", c.RelAfter)
		w.close()
	}
	w.b = append(w.b, ']')
	if !w.ok {
		return json.Marshal(cs)
	}
	return w.b, nil
}

// record writes a record's JSON as marshal made it; anything else is left
// to json.Marshal.
func (w *jsonWriter) record(n string, v json.RawMessage) {
	if v == nil {
		w.name(n)
		w.b = append(w.b, "null"...)
		return
	}
	if !marshalled(v) {
		w.ok = false
		return
	}
	w.name(n)
	w.b = append(w.b, v...)
}

// marshalled reports whether a record's JSON has the form marshal gives:
// an object, with no raw line break, tab or character json.Marshal
// escapes.
func marshalled(v []byte) bool {
	if len(v) < 2 || v[0] != '{' || v[len(v)-1] != '}' {
		return false
	}
	for _, c := range []byte("<>&\n\r\t") {
		if bytes.IndexByte(v, c) >= 0 {
			return false
		}
	}
	return !bytes.Contains(v, []byte("\u2028")) && !bytes.Contains(v, []byte("\u2029"))
}

// stampJSON is json.Marshal of one stamp (nil when it does not marshal).
func stampJSON(s Stamp) []byte {
	if fastCodec {
		w := jsonWriter{ok: true}
		w.stamp(&s, nil)
		if w.ok {
			return w.b
		}
	}
	b, _ := json.Marshal(s)
	return b
}
