// Package canvas reads and writes JSON Canvas 1.0 files (jsoncanvas.org,
// the format of Obsidian Canvas) and imports them into a workspace.
//
// The reader is strict about what the format defines (types, ids, edge
// ends, colours, sizes) and keeps every key it does not know, on the top
// level, on each node and on each edge, so that writing a canvas back
// loses nothing. Briefboard's own fields travel under one namespaced key,
// "briefboard" (see Key), that other canvas tools keep as an unknown key.
package canvas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Node types of JSON Canvas 1.0.
const (
	TypeText  = "text"
	TypeFile  = "file"
	TypeLink  = "link"
	TypeGroup = "group"
)

// Edge sides and ends of JSON Canvas 1.0.
const (
	SideTop    = "top"
	SideRight  = "right"
	SideBottom = "bottom"
	SideLeft   = "left"
	EndNone    = "none"
	EndArrow   = "arrow"
)

// Group background styles of JSON Canvas 1.0.
const (
	BackgroundCover  = "cover"
	BackgroundRatio  = "ratio"
	BackgroundRepeat = "repeat"
)

// Limits of the reader. Coordinates and sizes beyond MaxCoord are refused
// as nonsense (no screen or tool draws them); the counts and the file size
// bound what one import may hold in memory.
const (
	MaxCoord    = 10_000_000
	MaxNodes    = 100_000
	MaxEdges    = 200_000
	MaxFileSize = 64 << 20
)

// Canvas is a JSON Canvas document. Nodes are in z-order: the first is
// drawn lowest.
type Canvas struct {
	Nodes []*Node
	Edges []*Edge
	// Extra holds the top-level keys the format does not define, as read.
	Extra map[string]json.RawMessage
}

// Node is one node of a canvas. Which of the type-specific fields apply
// depends on Type; an empty optional string is absent.
type Node struct {
	ID     string
	Type   string
	X, Y   int
	Width  int
	Height int
	// Color is a preset "1" to "6" or a hex colour such as "#FF0000".
	Color string
	// Text is the Markdown of a text node.
	Text string
	// File is the path of a file node; Subpath, optional, starts with '#'.
	File    string
	Subpath string
	// URL is the address of a link node.
	URL string
	// Label, Background and BackgroundStyle belong to a group node.
	Label           string
	Background      string
	BackgroundStyle string
	// Extra holds the node's keys the format does not define for its type.
	Extra map[string]json.RawMessage
}

// Edge is one edge between two nodes.
type Edge struct {
	ID       string
	FromNode string
	ToNode   string
	// FromSide and ToSide are top, right, bottom, left or empty.
	FromSide string
	ToSide   string
	// FromEnd and ToEnd are none, arrow or empty for the default (none at
	// the start, arrow at the end).
	FromEnd string
	ToEnd   string
	Color   string
	Label   string
	// Extra holds the edge's keys the format does not define.
	Extra map[string]json.RawMessage
}

// FromEndOrDefault returns the start's end shape, none by default.
func (e *Edge) FromEndOrDefault() string {
	if e.FromEnd == "" {
		return EndNone
	}
	return e.FromEnd
}

// ToEndOrDefault returns the end's shape, arrow by default.
func (e *Edge) ToEndOrDefault() string {
	if e.ToEnd == "" {
		return EndArrow
	}
	return e.ToEnd
}

// Rect is a node's rectangle.
type Rect struct{ X, Y, W, H int }

// Rect returns the node's rectangle.
func (n *Node) Rect() Rect { return Rect{n.X, n.Y, n.Width, n.Height} }

// Contains reports whether o lies wholly inside r, edges included.
func (r Rect) Contains(o Rect) bool {
	return o.X >= r.X && o.Y >= r.Y && o.X+o.W <= r.X+r.W && o.Y+o.H <= r.Y+r.H
}

// Area returns the rectangle's area.
func (r Rect) Area() int64 { return int64(r.W) * int64(r.H) }

// ErrInvalid is matched (errors.Is) by every error Parse returns for a file
// that is not a valid JSON Canvas.
var ErrInvalid = errors.New("not a valid JSON Canvas")

// FormatError says what is wrong with a canvas file.
type FormatError struct{ Reason string }

func (e *FormatError) Error() string { return "not a valid JSON Canvas: " + e.Reason }

// Is lets errors.Is(err, ErrInvalid) match.
func (e *FormatError) Is(target error) bool { return target == ErrInvalid }

func bad(format string, args ...any) error {
	return &FormatError{Reason: fmt.Sprintf(format, args...)}
}

// Parse reads a JSON Canvas strictly: anything the format defines must have
// the right type and a valid value, ids must be unique, edges must join
// nodes of the canvas, and coordinates and sizes must lie within
// ±MaxCoord. Keys the format does not define are kept. It reports the
// first problem it finds as one *FormatError.
func Parse(r io.Reader) (*Canvas, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read canvas: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, bad("the file is larger than %d MB", MaxFileSize>>20)
	}
	return parseBytes(data)
}

func parseBytes(data []byte) (*Canvas, error) {
	// A byte order mark, which some editors write, is not JSON.
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, bad("the file is empty")
	}
	if !utf8.Valid(data) {
		line, col := position(data, int64(invalidUTF8(data))+1)
		return nil, bad("the file is not UTF-8 text (line %d, column %d)", line, col)
	}
	// The file is read as a stream, one node at a time, so that a large
	// canvas is held in memory once as bytes and once as nodes.
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(data, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, bad("the top level must be a JSON object, not %s", tokenType(tok))
	}
	c := &Canvas{}
	byID := map[string]*Node{}
	var edges []json.RawMessage
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(data, err)
		}
		key, _ := tok.(string)
		if seen[key] && (key == "nodes" || key == "edges") {
			return nil, bad("the key %q appears twice", key)
		}
		seen[key] = true
		switch key {
		case "nodes":
			err = streamArray(data, dec, key, MaxNodes, func(i int, raw json.RawMessage) error {
				n, err := parseNode(i, raw)
				if err != nil {
					return err
				}
				if byID[n.ID] != nil {
					return bad("two nodes have the id %q", n.ID)
				}
				byID[n.ID] = n
				c.Nodes = append(c.Nodes, n)
				return nil
			})
		case "edges":
			err = streamArray(data, dec, key, MaxEdges, func(_ int, raw json.RawMessage) error {
				edges = append(edges, raw)
				return nil
			})
		default:
			var raw json.RawMessage
			if err = dec.Decode(&raw); err != nil {
				err = syntaxError(data, err)
				break
			}
			if c.Extra == nil {
				c.Extra = map[string]json.RawMessage{}
			}
			c.Extra[key] = raw
		}
		if err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad("unexpected data after the top-level object (at byte %d)", dec.InputOffset())
	}
	ids := make(map[string]bool, len(edges))
	for i, er := range edges {
		e, err := parseEdge(i, er, byID)
		if err != nil {
			return nil, err
		}
		if ids[e.ID] {
			return nil, bad("two edges have the id %q", e.ID)
		}
		ids[e.ID] = true
		c.Edges = append(c.Edges, e)
	}
	return c, nil
}

// streamArray reads an optional top-level array (null counts as absent)
// element by element.
func streamArray(data []byte, dec *json.Decoder, key string, limit int, fn func(i int, raw json.RawMessage) error) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(data, err)
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return bad("%q must be an array, not %s", key, tokenType(tok))
	}
	for i := 0; dec.More(); i++ {
		if i == limit {
			return bad("the canvas has more than %d %s, the most Briefboard reads", limit, key)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return syntaxError(data, err)
		}
		if err := fn(i, raw); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return syntaxError(data, err)
	}
	return nil
}

// tokenType names the JSON type that starts with a decoder token.
func tokenType(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a number"
}

// invalidUTF8 returns the offset of the first byte that is not UTF-8.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// syntaxError turns a decoder error into a message with a line and column.
func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// A stream decoder's offsets are not from the start of the file;
		// a whole-file check finds the same error with its place.
		var whole *json.SyntaxError
		if errors.As(json.Unmarshal(data, new(json.RawMessage)), &whole) {
			se = whole
		}
		line, col := position(data, se.Offset)
		return bad("not JSON: %v (line %d, column %d)", se, line, col)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return bad("not JSON: the file ends in the middle of a value")
	}
	return bad("not JSON: %v", err)
}

func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// jsonType names the JSON type of a raw value for messages.
func jsonType(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// object is one node or edge being read, with what names it in messages.
type object struct {
	keys map[string]json.RawMessage
	what string
}

func newObject(kind string, i int, raw json.RawMessage) (*object, error) {
	if t := jsonType(raw); t != "an object" {
		return nil, bad("%s #%d must be a JSON object, not %s", kind, i+1, t)
	}
	o := &object{what: fmt.Sprintf("%s #%d", kind, i+1)}
	if err := json.Unmarshal(raw, &o.keys); err != nil {
		return nil, bad("%s: %v", o.what, err)
	}
	return o, nil
}

// str reads a string key; a missing or null optional key is "".
func (o *object) str(key string, required bool) (string, error) {
	raw, ok := o.keys[key]
	if !ok || isNull(raw) {
		if required {
			return "", bad("%s has no %q", o.what, key)
		}
		return "", nil
	}
	if t := jsonType(raw); t != "a string" {
		return "", bad("%q of %s must be a string, not %s", key, o.what, t)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", bad("%q of %s: %v", key, o.what, err)
	}
	return s, nil
}

// integer reads a required integer key within [lo, hi]. Integral numbers
// written with a fraction or exponent (100.0, 1e2) are accepted.
func (o *object) integer(key string, lo, hi int) (int, error) {
	raw, ok := o.keys[key]
	if !ok || isNull(raw) {
		return 0, bad("%s has no %q", o.what, key)
	}
	if t := jsonType(raw); t != "a number" {
		return 0, bad("%q of %s must be an integer, not %s", key, o.what, t)
	}
	s := string(bytes.TrimSpace(raw))
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, bad("%q of %s is not a number: %s", key, o.what, s)
	}
	if f != math.Trunc(f) {
		return 0, bad("%q of %s must be an integer, not %s", key, o.what, s)
	}
	if f < float64(lo) || f > float64(hi) || math.IsInf(f, 0) {
		if lo < 0 {
			return 0, bad("%q of %s is %s, beyond ±%d", key, o.what, s, hi)
		}
		if f < 0 {
			return 0, bad("%q of %s is negative (%s)", key, o.what, s)
		}
		return 0, bad("%q of %s is %s, beyond %d", key, o.what, s, hi)
	}
	return int(f), nil
}

func (o *object) id() (string, error) {
	id, err := o.str("id", true)
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", bad("%s has an empty id", o.what)
	}
	return id, nil
}

// rest returns the keys not in known, or nil.
func (o *object) rest(known ...string) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	for k, v := range o.keys {
		if !contains(known, k) {
			if out == nil {
				out = map[string]json.RawMessage{}
			}
			out[k] = v
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ValidColor reports whether s is a canvas colour: a preset "1" to "6", or
// a hex colour "#RGB" or "#RRGGBB".
func ValidColor(s string) bool {
	if len(s) == 1 {
		return s[0] >= '1' && s[0] <= '6'
	}
	if (len(s) != 4 && len(s) != 7) || s[0] != '#' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func (o *object) color() (string, error) {
	c, err := o.str("color", false)
	if err != nil {
		return "", err
	}
	if c != "" && !ValidColor(c) {
		return "", bad("colour %q of %s is neither a preset \"1\" to \"6\" nor a hex colour such as \"#FF0000\"", c, o.what)
	}
	return c, nil
}

func (o *object) oneOf(key string, allowed ...string) (string, error) {
	v, err := o.str(key, false)
	if err != nil {
		return "", err
	}
	if v != "" && !contains(allowed, v) {
		return "", bad("%q of %s is %q; use %s", key, o.what, v, orList(allowed))
	}
	return v, nil
}

func orList(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

var (
	commonKeys = []string{"id", "type", "x", "y", "width", "height", "color"}
	typeKeys   = map[string][]string{
		TypeText:  {"text"},
		TypeFile:  {"file", "subpath"},
		TypeLink:  {"url"},
		TypeGroup: {"label", "background", "backgroundStyle"},
	}
	edgeKeys = []string{"id", "fromNode", "fromSide", "fromEnd", "toNode", "toSide", "toEnd", "color", "label"}
)

func parseNode(i int, raw json.RawMessage) (*Node, error) {
	o, err := newObject("node", i, raw)
	if err != nil {
		return nil, err
	}
	n := &Node{}
	if n.ID, err = o.id(); err != nil {
		return nil, err
	}
	o.what = fmt.Sprintf("node %q", n.ID)
	if n.Type, err = o.str("type", true); err != nil {
		return nil, err
	}
	if typeKeys[n.Type] == nil {
		return nil, bad("%s has type %q; JSON Canvas 1.0 knows text, file, link and group", o.what, n.Type)
	}
	if n.X, err = o.integer("x", -MaxCoord, MaxCoord); err != nil {
		return nil, err
	}
	if n.Y, err = o.integer("y", -MaxCoord, MaxCoord); err != nil {
		return nil, err
	}
	if n.Width, err = o.integer("width", 0, MaxCoord); err != nil {
		return nil, err
	}
	if n.Height, err = o.integer("height", 0, MaxCoord); err != nil {
		return nil, err
	}
	if n.Color, err = o.color(); err != nil {
		return nil, err
	}
	switch n.Type {
	case TypeText:
		o.what = fmt.Sprintf("text node %q", n.ID)
		n.Text, err = o.str("text", true)
	case TypeFile:
		o.what = fmt.Sprintf("file node %q", n.ID)
		if n.File, err = o.str("file", true); err != nil {
			return nil, err
		}
		if n.File == "" {
			return nil, bad("%s has an empty \"file\"", o.what)
		}
		if n.Subpath, err = o.str("subpath", false); err == nil && n.Subpath != "" && !strings.HasPrefix(n.Subpath, "#") {
			err = bad("\"subpath\" of %s must start with \"#\", not %q", o.what, n.Subpath)
		}
	case TypeLink:
		o.what = fmt.Sprintf("link node %q", n.ID)
		if n.URL, err = o.str("url", true); err == nil && strings.TrimSpace(n.URL) == "" {
			err = bad("%s has an empty \"url\"", o.what)
		}
	case TypeGroup:
		o.what = fmt.Sprintf("group %q", n.ID)
		if n.Label, err = o.str("label", false); err != nil {
			return nil, err
		}
		if n.Background, err = o.str("background", false); err != nil {
			return nil, err
		}
		n.BackgroundStyle, err = o.oneOf("backgroundStyle", BackgroundCover, BackgroundRatio, BackgroundRepeat)
	}
	if err != nil {
		return nil, err
	}
	n.Extra = o.rest(append(append([]string{}, commonKeys...), typeKeys[n.Type]...)...)
	return n, nil
}

func parseEdge(i int, raw json.RawMessage, nodes map[string]*Node) (*Edge, error) {
	o, err := newObject("edge", i, raw)
	if err != nil {
		return nil, err
	}
	e := &Edge{}
	if e.ID, err = o.id(); err != nil {
		return nil, err
	}
	o.what = fmt.Sprintf("edge %q", e.ID)
	if e.FromNode, err = o.str("fromNode", true); err != nil {
		return nil, err
	}
	if e.ToNode, err = o.str("toNode", true); err != nil {
		return nil, err
	}
	for _, end := range []string{e.FromNode, e.ToNode} {
		if nodes[end] == nil {
			return nil, bad("%s joins node %q, which the canvas does not have", o.what, end)
		}
	}
	sides := []string{SideTop, SideRight, SideBottom, SideLeft}
	if e.FromSide, err = o.oneOf("fromSide", sides...); err != nil {
		return nil, err
	}
	if e.ToSide, err = o.oneOf("toSide", sides...); err != nil {
		return nil, err
	}
	if e.FromEnd, err = o.oneOf("fromEnd", EndNone, EndArrow); err != nil {
		return nil, err
	}
	if e.ToEnd, err = o.oneOf("toEnd", EndNone, EndArrow); err != nil {
		return nil, err
	}
	if e.Color, err = o.color(); err != nil {
		return nil, err
	}
	if e.Label, err = o.str("label", false); err != nil {
		return nil, err
	}
	e.Extra = o.rest(edgeKeys...)
	return e, nil
}

// Write writes the canvas as JSON, one node or edge per line, keys in a
// fixed order and unknown keys sorted after them: the same canvas always
// gives the same bytes.
func (c *Canvas) Write(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("{\n\t\"nodes\":[")
	for i, n := range c.Nodes {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n\t\t")
		if err := n.encode(&b); err != nil {
			return err
		}
		if b.Len() > 1<<20 {
			if _, err := w.Write(b.Bytes()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	if len(c.Nodes) > 0 {
		b.WriteString("\n\t")
	}
	b.WriteString("],\n\t\"edges\":[")
	for i, e := range c.Edges {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n\t\t")
		if err := e.encode(&b); err != nil {
			return err
		}
	}
	if len(c.Edges) > 0 {
		b.WriteString("\n\t")
	}
	b.WriteByte(']')
	for _, k := range sortedKeys(c.Extra) {
		if k == "nodes" || k == "edges" {
			continue
		}
		b.WriteString(",\n\t")
		if err := writeKV(&b, k, c.Extra[k]); err != nil {
			return err
		}
	}
	b.WriteString("\n}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// fields writes "key":value pairs in order, skipping empty optional ones.
type fields struct {
	b     *bytes.Buffer
	first bool
	err   error
}

func (f *fields) raw(k string, v []byte) {
	if f.err != nil {
		return
	}
	if !f.first {
		f.b.WriteByte(',')
	}
	f.first = false
	f.err = writeKV(f.b, k, v)
}

func (f *fields) str(k, v string, always bool) {
	if v == "" && !always {
		return
	}
	f.raw(k, jsonString(v))
}

func (f *fields) int(k string, v int) { f.raw(k, []byte(strconv.Itoa(v))) }

func (f *fields) extra(m map[string]json.RawMessage, known []string) {
	for _, k := range sortedKeys(m) {
		if !contains(known, k) {
			f.raw(k, m[k])
		}
	}
}

func (n *Node) encode(b *bytes.Buffer) error {
	f := &fields{b: b, first: true}
	b.WriteByte('{')
	f.str("id", n.ID, true)
	f.str("type", n.Type, true)
	switch n.Type {
	case TypeText:
		f.str("text", n.Text, true)
	case TypeFile:
		f.str("file", n.File, true)
		f.str("subpath", n.Subpath, false)
	case TypeLink:
		f.str("url", n.URL, true)
	case TypeGroup:
		f.str("label", n.Label, false)
		f.str("background", n.Background, false)
		f.str("backgroundStyle", n.BackgroundStyle, false)
	}
	f.int("x", n.X)
	f.int("y", n.Y)
	f.int("width", n.Width)
	f.int("height", n.Height)
	f.str("color", n.Color, false)
	f.extra(n.Extra, append(append([]string{}, commonKeys...), typeKeys[n.Type]...))
	b.WriteByte('}')
	return f.err
}

func (e *Edge) encode(b *bytes.Buffer) error {
	f := &fields{b: b, first: true}
	b.WriteByte('{')
	f.str("id", e.ID, true)
	f.str("fromNode", e.FromNode, true)
	f.str("fromSide", e.FromSide, false)
	f.str("fromEnd", e.FromEnd, false)
	f.str("toNode", e.ToNode, true)
	f.str("toSide", e.ToSide, false)
	f.str("toEnd", e.ToEnd, false)
	f.str("color", e.Color, false)
	f.str("label", e.Label, false)
	f.extra(e.Extra, edgeKeys)
	b.WriteByte('}')
	return f.err
}

// writeKV writes "key":value with the value compacted onto one line.
func writeKV(b *bytes.Buffer, k string, v []byte) error {
	b.Write(jsonString(k))
	b.WriteByte(':')
	if err := json.Compact(b, v); err != nil {
		return fmt.Errorf("write canvas key %q: %w", k, err)
	}
	return nil
}

// jsonString encodes s as a JSON string without HTML escaping, so that
// Markdown such as "a < b & c" stays readable in the file.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		// A Go string always encodes; invalid UTF-8 becomes U+FFFD.
		panic(err)
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
