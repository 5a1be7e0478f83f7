package canvas_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"briefboard/workspace/canvas"
)

func readCanvas(tb testing.TB, name string) *canvas.Canvas {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	c, err := canvas.Parse(f)
	if err != nil {
		tb.Fatalf("parse %s: %v", name, err)
	}
	return c
}

func parseString(s string) (*canvas.Canvas, error) { return canvas.Parse(strings.NewReader(s)) }

func nodeByID(tb testing.TB, c *canvas.Canvas, id string) *canvas.Node {
	tb.Helper()
	for _, n := range c.Nodes {
		if n.ID == id {
			return n
		}
	}
	tb.Fatalf("no node %q", id)
	return nil
}

func TestParse_EveryNodeType(t *testing.T) {
	c := readCanvas(t, "every-node.canvas")
	if len(c.Nodes) != 12 || len(c.Edges) != 3 {
		t.Fatalf("got %d nodes and %d edges, want 12 and 3", len(c.Nodes), len(c.Edges))
	}
	g := nodeByID(t, c, "g-sec")
	if g.Type != canvas.TypeGroup || g.Label != "Security guarantees" || g.Background != "maps/ukraine.png" ||
		g.BackgroundStyle != canvas.BackgroundCover || g.Color != "5" || g.Width != 1200 || g.Height != 900 {
		t.Errorf("group read as %+v", g)
	}
	if string(g.Extra["x-tool-layer"]) != "2" || len(g.Extra) != 1 {
		t.Errorf("group's unknown keys: %v", g.Extra)
	}
	t1 := nodeByID(t, c, "t1")
	if t1.Type != canvas.TypeText || !strings.HasPrefix(t1.Text, "# Article 5") || t1.Color != "1" {
		t.Errorf("text node read as %+v", t1)
	}
	if string(t1.Extra["myplugin"]) != `{"pinned":true}` {
		t.Errorf("text node's unknown keys: %v", t1.Extra)
	}
	if t3 := nodeByID(t, c, "t3"); t3.Color != "#FF0000" {
		t.Errorf("hex colour read as %q", t3.Color)
	}
	f := nodeByID(t, c, "f1")
	if f.Type != canvas.TypeFile || f.File != "Sources/Reuters 2025-12-28.pdf" || f.Subpath != "#Page 2" {
		t.Errorf("file node read as %+v", f)
	}
	l := nodeByID(t, c, "l1")
	if l.Type != canvas.TypeLink || l.URL != "https://www.example.org/news/florida-talks/" {
		t.Errorf("link node read as %+v", l)
	}
	e1, e2 := c.Edges[0], c.Edges[1]
	if e1.FromEndOrDefault() != canvas.EndNone || e1.ToEndOrDefault() != canvas.EndArrow || e1.Label != "depends-on" {
		t.Errorf("edge without ends: %+v, ends %s/%s", e1, e1.FromEndOrDefault(), e1.ToEndOrDefault())
	}
	if e2.FromEndOrDefault() != canvas.EndArrow || e2.ToEndOrDefault() != canvas.EndNone || e2.FromSide != canvas.SideRight ||
		e2.ToSide != canvas.SideLeft || e2.Color != "2" || string(e2.Extra["weight"]) != "3" {
		t.Errorf("edge with ends: %+v", e2)
	}
	if string(c.Extra["x-app"]) != `{"name":"Some canvas tool","version":"2.1"}` {
		t.Errorf("top-level unknown keys: %v", c.Extra)
	}
}

// A canvas written back and read again is the same canvas, unknown keys
// included, and writing is deterministic.
func TestParse_WriteRoundTrip(t *testing.T) {
	for _, name := range []string{"every-node.canvas", "minimal.canvas", "empty.canvas"} {
		t.Run(name, func(t *testing.T) {
			c := readCanvas(t, name)
			var a, b bytes.Buffer
			if err := c.Write(&a); err != nil {
				t.Fatal(err)
			}
			again, err := canvas.Parse(bytes.NewReader(a.Bytes()))
			if err != nil {
				t.Fatalf("reading what was written: %v\n%s", err, a.String())
			}
			if !reflect.DeepEqual(c, again) {
				t.Errorf("round trip changed the canvas:\n%s", a.String())
			}
			if err := again.Write(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("two writes differ")
			}
			if !json.Valid(a.Bytes()) {
				t.Errorf("wrote invalid JSON")
			}
		})
	}
}

func TestParse_EmptyAndMinimal(t *testing.T) {
	for _, s := range []string{`{}`, ` { } `, "\xEF\xBB\xBF{}", `{"nodes":[],"edges":[]}`, `{"nodes":null,"edges":null}`} {
		c, err := parseString(s)
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		if len(c.Nodes) != 0 || len(c.Edges) != 0 || len(c.Extra) != 0 {
			t.Errorf("%s read as %+v", s, c)
		}
	}
	c := readCanvas(t, "minimal.canvas")
	if len(c.Nodes) != 1 || c.Nodes[0].Text != "Hello" || c.Nodes[0].Width != 250 {
		t.Errorf("minimal canvas read as %+v", c.Nodes)
	}
	// Integral numbers in other spellings are integers.
	c, err := parseString(`{"nodes":[{"id":"a","type":"text","text":"","x":1e2,"y":-20.0,"width":0,"height":10000000}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Nodes[0]; n.X != 100 || n.Y != -20 || n.Height != canvas.MaxCoord {
		t.Errorf("numbers read as %+v", n)
	}
}

func TestParse_BadFiles(t *testing.T) {
	node := func(extra string) string {
		return `{"nodes":[{"id":"a","type":"text","text":"x","x":0,"y":0,"width":10,"height":10` + extra + `}]}`
	}
	two := `{"nodes":[{"id":"a","type":"text","text":"x","x":0,"y":0,"width":10,"height":10},` +
		`{"id":"b","type":"text","text":"y","x":0,"y":0,"width":10,"height":10}],"edges":[`
	cases := []struct{ name, in, want string }{
		{"empty file", "", "the file is empty"},
		{"blank file", " \n\t", "the file is empty"},
		{"not JSON", "nodes: []", "not JSON: invalid character 'o' in literal null (expecting 'u') (line 1, column 2)"},
		{"truncated", `{"nodes":[{"id":"a"`, "not JSON"},
		{"syntax on line 3", "{\n\"nodes\": [\n  {,}\n]}", "(line 3, column 4)"},
		{"trailing data", `{} {}`, "unexpected data after the top-level object"},
		{"array at top", `[]`, "the top level must be a JSON object, not an array"},
		{"string at top", `"canvas"`, "the top level must be a JSON object, not a string"},
		{"nodes not array", `{"nodes":{}}`, `"nodes" must be an array, not an object`},
		{"nodes a number", `{"nodes":3}`, `"nodes" must be an array, not a number`},
		{"nodes twice", `{"nodes":[],"edges":[],"nodes":[]}`, `the key "nodes" appears twice`},
		{"missing colon", `{"nodes" []}`, "not JSON: invalid character '[' after object key (line 1, column 10)"},
		{"bad value late", "{\"nodes\":[],\n\"x\": [1,,2]}", "(line 2, column 9)"},
		{"not UTF-8", "{\"x\":\"\xff\"}", "the file is not UTF-8 text (line 1, column 7)"},
		{"edges not array", `{"edges":"e"}`, `"edges" must be an array, not a string`},
		{"node not object", `{"nodes":[3]}`, "node #1 must be a JSON object, not a number"},
		{"no id", `{"nodes":[{"type":"text"}]}`, `node #1 has no "id"`},
		{"numeric id", `{"nodes":[{"id":7}]}`, `"id" of node #1 must be a string, not a number`},
		{"empty id", `{"nodes":[{"id":""}]}`, "node #1 has an empty id"},
		{"no type", `{"nodes":[{"id":"a"}]}`, `node "a" has no "type"`},
		{"unknown type", `{"nodes":[{"id":"a","type":"sticker"}]}`, `node "a" has type "sticker"; JSON Canvas 1.0 knows text, file, link and group`},
		{"x missing", `{"nodes":[{"id":"a","type":"text","text":""}]}`, `node "a" has no "x"`},
		{"x as string", node(`,"x":"12"`), `"x" of node "a" must be an integer, not a string`},
		{"x fractional", node(`,"x":12.5`), `"x" of node "a" must be an integer, not 12.5`},
		{"x too far", node(`,"x":10000001`), `"x" of node "a" is 10000001, beyond ±10000000`},
		{"y too far negative", node(`,"y":-10000001`), `"y" of node "a" is -10000001, beyond ±10000000`},
		{"y huge", node(`,"y":1e400`), `"y" of node "a" is 1e400, beyond ±10000000`},
		{"width negative", node(`,"width":-5`), `"width" of node "a" is negative (-5)`},
		{"height too big", node(`,"height":20000000`), `"height" of node "a" is 20000000, beyond 10000000`},
		{"colour name", node(`,"color":"red"`), `colour "red" of node "a" is neither a preset "1" to "6" nor a hex colour such as "#FF0000"`},
		{"colour preset 7", node(`,"color":"7"`), `colour "7" of node "a"`},
		{"colour bad hex", node(`,"color":"#GG0000"`), `colour "#GG0000" of node "a"`},
		{"colour number", node(`,"color":1`), `"color" of node "a" must be a string, not a number`},
		{"text missing", `{"nodes":[{"id":"a","type":"text","x":0,"y":0,"width":1,"height":1}]}`, `text node "a" has no "text"`},
		{"text not string", node(`,"text":["x"]`), `"text" of text node "a" must be a string, not an array`},
		{"file missing", `{"nodes":[{"id":"f","type":"file","x":0,"y":0,"width":1,"height":1}]}`, `file node "f" has no "file"`},
		{"subpath without #", `{"nodes":[{"id":"f","type":"file","file":"a.md","subpath":"Heading","x":0,"y":0,"width":1,"height":1}]}`, `"subpath" of file node "f" must start with "#", not "Heading"`},
		{"url missing", `{"nodes":[{"id":"l","type":"link","x":0,"y":0,"width":1,"height":1}]}`, `link node "l" has no "url"`},
		{"url empty", `{"nodes":[{"id":"l","type":"link","url":" ","x":0,"y":0,"width":1,"height":1}]}`, `link node "l" has an empty "url"`},
		{"bad background style", `{"nodes":[{"id":"g","type":"group","backgroundStyle":"tile","x":0,"y":0,"width":1,"height":1}]}`, `"backgroundStyle" of group "g" is "tile"; use cover, ratio or repeat`},
		{"label not string", `{"nodes":[{"id":"g","type":"group","label":false,"x":0,"y":0,"width":1,"height":1}]}`, `"label" of group "g" must be a string, not a boolean`},
		{"duplicate node id", `{"nodes":[{"id":"a","type":"text","text":"x","x":0,"y":0,"width":1,"height":1},{"id":"a","type":"text","text":"y","x":0,"y":0,"width":1,"height":1}]}`, `two nodes have the id "a"`},
		{"edge to missing node", two + `{"id":"e","fromNode":"a","toNode":"zz"}]}`, `edge "e" joins node "zz", which the canvas does not have`},
		{"edge from missing node", two + `{"id":"e","fromNode":"q","toNode":"a"}]}`, `edge "e" joins node "q", which the canvas does not have`},
		{"edge without toNode", two + `{"id":"e","fromNode":"a"}]}`, `edge "e" has no "toNode"`},
		{"edge bad side", two + `{"id":"e","fromNode":"a","toNode":"b","fromSide":"middle"}]}`, `"fromSide" of edge "e" is "middle"; use top, right, bottom or left`},
		{"edge bad end", two + `{"id":"e","fromNode":"a","toNode":"b","toEnd":"dot"}]}`, `"toEnd" of edge "e" is "dot"; use none or arrow`},
		{"edge bad colour", two + `{"id":"e","fromNode":"a","toNode":"b","color":"blue"}]}`, `colour "blue" of edge "e"`},
		{"edge label number", two + `{"id":"e","fromNode":"a","toNode":"b","label":5}]}`, `"label" of edge "e" must be a string, not a number`},
		{"duplicate edge id", two + `{"id":"e","fromNode":"a","toNode":"b"},{"id":"e","fromNode":"b","toNode":"a"}]}`, `two edges have the id "e"`},
		{"edge not object", two + `null]}`, "edge #1 must be a JSON object, not null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseString(tc.in)
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			if !errors.Is(err, canvas.ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\n does not say %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestParse_Limits(t *testing.T) {
	huge := bytes.Repeat([]byte(" "), canvas.MaxFileSize+1)
	if _, err := canvas.Parse(bytes.NewReader(huge)); err == nil || !strings.Contains(err.Error(), "larger than 64 MB") {
		t.Errorf("oversized file: %v", err)
	}
	var b strings.Builder
	b.WriteString(`{"nodes":[`)
	for i := 0; i <= canvas.MaxNodes; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"n%d","type":"text","text":"","x":0,"y":0,"width":0,"height":0}`, i)
	}
	b.WriteString(`]}`)
	if _, err := parseString(b.String()); err == nil || !strings.Contains(err.Error(), "the canvas has more than 100000 nodes, the most Briefboard reads") {
		t.Errorf("too many nodes: %v", err)
	}
}

func TestValidColor(t *testing.T) {
	for _, ok := range []string{"1", "6", "#fff", "#FF0000", "#a1B2c3"} {
		if !canvas.ValidColor(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "0", "7", "red", "#ff", "#fffff", "FF0000", "#ff00000", "#12345g", "11"} {
		if canvas.ValidColor(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
