package canvas_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefboard/export"
	"briefboard/workspace"
	"briefboard/workspace/canvas"
)

var (
	canvasSeed   = flag.Int64("canvas.seed", 0, "seed of the canvas share property test (0: from the clock)")
	canvasRounds = flag.Int("canvas.rounds", 12, "workspaces the canvas share property test builds")
)

func shareOf(tb testing.TB, s *workspace.Store, cap *workspace.TLP) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := s.Share(&buf, workspace.ShareOptions{MaxTLP: cap}); err != nil {
		tb.Fatalf("share: %v", err)
	}
	return buf.Bytes()
}

func readShare(tb testing.TB, data []byte) *workspace.ShareFile {
	tb.Helper()
	sf, err := workspace.ReadShare(bytes.NewReader(data), nil)
	if err != nil {
		tb.Fatalf("read the share file: %v", err)
	}
	return sf
}

// newCopy makes a new workspace from a share file, as `import` into a new
// directory does.
func newCopy(tb testing.TB, data []byte) *workspace.Store {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "copy")
	c, _, err := workspace.CreateFromShare(dir, readShare(tb, data), workspace.Options{Now: fixedClock()})
	if err != nil {
		tb.Fatalf("create a copy from the share file: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// listing is what `list --json` shows of a workspace, and more: every
// live record whole, with its effective marking and why, the kept
// interchange data; without what belongs to one copy (replica, analyst,
// journal).
func listing(tb testing.TB, s *workspace.Store) string {
	tb.Helper()
	snap := mustSnapshot(tb, s)
	marks := map[string]string{}
	note := func(r workspace.Record) {
		m := snap.ExplainMarking(r)
		marks[workspace.KeyOf(r)] = m.TLP.Word() + " " + m.Reason()
	}
	note(&snap.Meta)
	for _, b := range snap.Boards {
		note(b)
		for _, l := range snap.Lanes[b.ID] {
			note(l)
		}
	}
	for _, c := range snap.Cards {
		note(c)
	}
	for _, src := range snap.Sources {
		note(src)
	}
	for _, as := range snap.Annotations {
		for _, a := range as {
			note(a)
		}
	}
	for _, x := range snap.Extras {
		note(x)
	}
	snap.Replica, snap.Profile, snap.Seq = "", workspace.Profile{}, 0
	b, err := json.MarshalIndent(struct {
		Snap  *workspace.Snapshot
		Marks map[string]string
	}{snap, marks}, "", " ")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// stripKeys is a canvas as a tool that drops the keys it does not know
// saves it: without any "briefboard" key, on the top level, nodes or
// edges.
func stripKeys(tb testing.TB, data []byte) []byte {
	tb.Helper()
	c, err := canvas.Parse(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	delete(c.Extra, canvas.Key)
	for _, n := range c.Nodes {
		delete(n.Extra, canvas.Key)
	}
	for _, e := range c.Edges {
		delete(e.Extra, canvas.Key)
	}
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte(`"`+canvas.Key+`"`)) {
		tb.Fatal("a Briefboard key is left")
	}
	return buf.Bytes()
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			from := max(0, i-12)
			ctx := strings.Join(la[from:min(i, len(la))], "\n")
			return fmt.Sprintf("line %d, after\n%s\n  %s\n  %s", i+1, ctx, x, y)
		}
	}
	return "none"
}

// Case 8: a canvas with an unknown top-level key, imported, then shared,
// imports into another copy and makes a new one; the key travels.
func TestImport_TopLevelKeyThenShare(t *testing.T) {
	a := mustCreate(t, "three-pillars")
	b := newCopy(t, shareOf(t, a, nil))
	c, err := parseString(`{"nodes":[{"id":"n","type":"text","text":"# From a plugin canvas","x":0,"y":0,"width":10,"height":10}],` +
		`"edges":[],"xtop":"v"}`)
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, a, c)
	data := shareOf(t, a, nil)
	if _, err := b.Import(readShare(t, data)); err != nil {
		t.Fatalf("import into the other copy: %v", err)
	}
	fresh := newCopy(t, data)
	want := listing(t, a)
	for name, s := range map[string]*workspace.Store{"the other copy": b, "a new copy": fresh} {
		if got := listing(t, s); got != want {
			t.Errorf("%s differs: %s", name, firstDiff(want, got))
		}
		if x := mustSnapshot(t, s).Extras; len(x) != 1 || string(x[0].Data) != `{"xtop":"v"}` {
			t.Errorf("%s lost the top-level key: %+v", name, x)
		}
	}
	// And again from the copy: every later file imports too.
	if _, err := a.Import(readShare(t, shareOf(t, b, nil))); err != nil {
		t.Fatalf("import back: %v", err)
	}
}

// A workspace that kept a canvas's top-level keys in its header (as
// Briefboard did before) shares and imports too.
func TestImport_HeaderExtraShares(t *testing.T) {
	a := mustCreate(t, "three-pillars")
	b := newCopy(t, shareOf(t, a, nil))
	_, err := a.Do("Keep canvas keys", func(tx *workspace.Tx) error {
		m, err := tx.Meta()
		if err != nil {
			return err
		}
		m.Extra = json.RawMessage(`{"canvas":{"keys":{"xtop":"v"}}}`)
		return tx.PutMeta(m)
	})
	if err != nil {
		t.Fatal(err)
	}
	data := shareOf(t, a, nil)
	if _, err := b.Import(readShare(t, data)); err != nil {
		t.Fatalf("import into the other copy: %v", err)
	}
	if got := string(mustSnapshot(t, b).Meta.Extra); got != `{"canvas":{"keys":{"xtop":"v"}}}` {
		t.Errorf("header extra in the copy: %s", got)
	}
	if got, want := listing(t, newCopy(t, data)), listing(t, a); got != want {
		t.Errorf("a new copy differs: %s", firstDiff(want, got))
	}
}

// canvasGen makes random canvases: groups that become boards and lanes,
// text, file and link nodes, edges, banners and TLP labels now and then,
// and unknown keys at every level.
type canvasGen struct {
	rng *rand.Rand
	n   int
}

var genWords = []string{"ceasefire", "TLP:AMBER", "Zaporizhzhia", "guarantee", "tlp:green", "TLP:RED", "TLP:AMBER+STRICT",
	"sanctions", "\"quoted\"", "<b>", "emoji 🕊️", "line\nbreak", "TLP:REDACTED", "# heading", "---", "TLP:CLEAR", "a\\b"}

func (g *canvasGen) words(n int) string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, genWords[g.rng.Intn(len(genWords))])
	}
	return strings.Join(out, " ")
}

// value is a random JSON value for an unknown key.
func (g *canvasGen) value(depth int) any {
	switch k := g.rng.Intn(7); {
	case k == 0:
		return g.words(1 + g.rng.Intn(3))
	case k == 1:
		return g.rng.Intn(1000) - 500
	case k == 2:
		return g.rng.Intn(2) == 0
	case k == 3:
		return nil
	case k == 4 && depth < 2:
		return []any{g.value(depth + 1), g.value(depth + 1)}
	case depth < 2:
		return map[string]any{"k" + fmt.Sprint(g.rng.Intn(9)): g.value(depth + 1), "text": g.words(2)}
	}
	return 1.5
}

func (g *canvasGen) keys(into map[string]any, n int) {
	for i := 0; i < n; i++ {
		into[fmt.Sprintf("x-%s-%d", []string{"plugin", "tool", "layer"}[g.rng.Intn(3)], g.rng.Intn(5))] = g.value(0)
	}
}

func (g *canvasGen) id(prefix string) string {
	g.n++
	return fmt.Sprintf("%s%d", prefix, g.n)
}

// canvas returns a random canvas as JSON.
func (g *canvasGen) canvas() []byte {
	var nodes, edges []map[string]any
	var texts []string
	place := func(x, y, w, h int) (int, int) {
		return x + 20 + g.rng.Intn(max(1, w-160)), y + 60 + g.rng.Intn(max(1, h-140))
	}
	addNode := func(x, y int) {
		n := map[string]any{"x": x, "y": y, "width": 100, "height": 60}
		switch g.rng.Intn(6) {
		case 0:
			n["id"], n["type"], n["file"] = g.id("f"), "file", "Sources/"+g.words(1)+".pdf"
		case 1:
			n["id"], n["type"], n["url"] = g.id("u"), "link", fmt.Sprintf("https://example.org/%d", g.rng.Intn(20))
		default:
			id := g.id("t")
			n["id"], n["type"], n["text"] = id, "text", "# "+g.words(1+g.rng.Intn(3))+"\n\n"+g.words(g.rng.Intn(8))
			texts = append(texts, id)
		}
		if g.rng.Intn(2) == 0 {
			n["color"] = fmt.Sprint(1 + g.rng.Intn(6))
		}
		if g.rng.Intn(2) == 0 {
			g.keys(n, 1+g.rng.Intn(2))
		}
		nodes = append(nodes, n)
	}
	for b := 0; b < g.rng.Intn(3); b++ {
		bx := b * 3000
		board := map[string]any{"id": g.id("g"), "type": "group", "label": g.words(1 + g.rng.Intn(2)), "x": bx, "y": 0, "width": 2600, "height": 2000}
		if g.rng.Intn(2) == 0 {
			g.keys(board, 1)
		}
		if g.rng.Intn(3) == 0 {
			board["background"] = "maps/" + g.words(1) + ".png"
		}
		nodes = append(nodes, board)
		lanes := g.rng.Intn(4)
		for l := 0; l < lanes; l++ {
			lx := bx + 40 + l*600
			lane := map[string]any{"id": g.id("l"), "type": "group", "label": g.words(1), "x": lx, "y": 80, "width": 560, "height": 1800}
			if g.rng.Intn(2) == 0 {
				g.keys(lane, 1)
			}
			nodes = append(nodes, lane)
			for c := 0; c < g.rng.Intn(4); c++ {
				addNode(place(lx, 80, 560, 1800))
			}
		}
		for c := 0; c < g.rng.Intn(3); c++ {
			addNode(place(bx+40+lanes*600, 80, 400, 1800))
		}
	}
	for c := 0; c < g.rng.Intn(4); c++ {
		addNode(20000+c*200, 0)
	}
	if g.rng.Intn(3) == 0 {
		label := workspace.TLPLevels[g.rng.Intn(len(workspace.TLPLevels))].String()
		nodes = append(nodes, map[string]any{"id": g.id("banner"), "type": "text", "text": label, "x": 0, "y": -400, "width": 200, "height": 60})
	}
	for e := 0; len(texts) > 1 && e < g.rng.Intn(5); e++ {
		edge := map[string]any{"id": g.id("e"), "fromNode": texts[g.rng.Intn(len(texts))], "toNode": texts[g.rng.Intn(len(texts))]}
		if g.rng.Intn(2) == 0 {
			edge["label"] = g.words(1)
		}
		if g.rng.Intn(2) == 0 {
			g.keys(edge, 1+g.rng.Intn(2))
		}
		edges = append(edges, edge)
	}
	top := map[string]any{"nodes": nodes, "edges": edges}
	if nodes == nil {
		top["nodes"] = []any{}
	}
	if edges == nil {
		top["edges"] = []any{}
	}
	if g.rng.Intn(4) != 0 {
		g.keys(top, 1+g.rng.Intn(3))
	}
	b, err := json.Marshal(top)
	if err != nil {
		panic(err)
	}
	return b
}

// Every state canvas imports reach can be shared: after random canvases
// with unknown keys at every level are imported (and sometimes the
// workspace's own export, or that export saved by a tool that drops
// Briefboard's keys, and sometimes an undo), a
// share file imports into a new directory and into another copy, and
// both show what the original shows.
func TestImport_CanvasesThenShare_Property(t *testing.T) {
	seed := *canvasSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -canvas.seed=%d)", seed, seed)
	rng := rand.New(rand.NewSource(seed))
	for round := 0; round < *canvasRounds; round++ {
		g := &canvasGen{rng: rng}
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d round %d: %s", seed, round, fmt.Sprintf(format, args...))
		}
		// step imports a random canvas into s, or s's own export (through
		// a tool that drops Briefboard's keys, now and then), and may undo.
		step := func(s *workspace.Store) {
			data := g.canvas()
			if rng.Intn(3) == 0 {
				var buf bytes.Buffer
				if err := export.Canvas(&buf, mustSnapshot(t, s)); err != nil {
					fail("export: %v", err)
				}
				if data = buf.Bytes(); rng.Intn(2) == 0 {
					data = stripKeys(t, data)
				}
			}
			c, err := canvas.Parse(bytes.NewReader(data))
			if err != nil {
				fail("a bad canvas: %v\n%s", err, data)
			}
			sum, err := canvas.Import(s, c)
			if err != nil {
				fail("import: %v\n%s", err, data)
			}
			// Undo the import (only an import that changed something
			// made a step to undo).
			if sum.Changed() && rng.Intn(4) == 0 {
				if _, err := s.Undo(); err != nil {
					fail("undo: %v", err)
				}
			}
		}
		// exchange imports from's share file into to.
		exchange := func(from, to *workspace.Store) {
			if _, err := to.Import(readShare(t, shareOf(t, from, nil))); err != nil {
				fail("import a share file: %v", err)
			}
		}
		a := mustCreate(t, []string{"empty", "three-pillars"}[rng.Intn(2)])
		other := newCopy(t, shareOf(t, a, nil))
		for i := 1 + rng.Intn(3); i > 0; i-- {
			step(a)
		}
		// The other copy imports canvases of its own meanwhile, now and
		// then: both keep top-level keys, and the copies must converge.
		concurrent := rng.Intn(2) == 0
		if concurrent {
			step(other)
		}
		want := listing(t, a)
		data := shareOf(t, a, nil)
		if got := listing(t, newCopy(t, data)); got != want {
			if d := os.Getenv("CANVAS_DUMP"); d != "" {
				os.WriteFile(d+".want", []byte(want), 0o644)
				os.WriteFile(d+".got", []byte(got), 0o644)
			}
			fail("a new copy differs at %s", firstDiff(want, got))
		}
		exchange(a, other)
		if concurrent {
			exchange(other, a)
		}
		if got, want := listing(t, other), listing(t, a); got != want {
			fail("the other copy differs at %s", firstDiff(want, got))
		}
		// A later import replaces the top-level keys both kept; the
		// copies converge again.
		step(a)
		exchange(a, other)
		if got, want := listing(t, other), listing(t, a); got != want {
			fail("after another import, the other copy differs at %s", firstDiff(want, got))
		}
		if got, want := listing(t, newCopy(t, shareOf(t, a, nil))), listing(t, a); got != want {
			fail("after another import, a new copy differs at %s", firstDiff(want, got))
		}
		// A capped file of the same state imports into a new directory
		// too.
		cap := workspace.TLPLevels[rng.Intn(len(workspace.TLPLevels))]
		var buf bytes.Buffer
		_, err := a.Share(&buf, workspace.ShareOptions{MaxTLP: &cap})
		switch {
		case err == nil:
			newCopy(t, buf.Bytes())
		case !errors.Is(err, workspace.ErrAboveCap):
			fail("share at %s: %v", cap, err)
		}
	}
}

// Two copies that import canvases at the same time each keep the
// top-level keys; merged, both are kept, and the next canvas's keys
// replace them on every copy.
func TestImport_TopLevelKeysOfTwoCopies(t *testing.T) {
	a := mustCreate(t, "empty")
	b := newCopy(t, shareOf(t, a, nil))
	top := func(s *workspace.Store, keys string) {
		c, err := parseString(`{"nodes":[],"edges":[],` + keys + `}`)
		if err != nil {
			t.Fatal(err)
		}
		if sum := mustImport(t, s, c); sum.TopKeys == 0 || !sum.Changed() {
			t.Errorf("summary %+v", sum)
		}
	}
	top(a, `"x-a":1`)
	top(b, `"x-b":2`)
	if _, err := b.Import(readShare(t, shareOf(t, a, nil))); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(readShare(t, shareOf(t, b, nil))); err != nil {
		t.Fatal(err)
	}
	if x := mustSnapshot(t, a).Extras; len(x) != 2 {
		t.Fatalf("merged: %+v", x)
	}
	top(a, `"x-c":3`)
	if _, err := b.Import(readShare(t, shareOf(t, a, nil))); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*workspace.Store{"a": a, "b": b} {
		if x := mustSnapshot(t, s).Extras; len(x) != 1 || string(x[0].Data) != `{"x-c":3}` {
			t.Errorf("%s keeps %+v", name, x)
		}
	}
	if got, want := listing(t, b), listing(t, a); got != want {
		t.Errorf("copies differ at %s", firstDiff(want, got))
	}
}

// A snapshot brought up to date from the journal (as the window does)
// holds the kept top-level keys as a fresh read does, through imports,
// replacements, undo and redo.
func TestImport_SnapshotApplyKeepsTopLevelKeys(t *testing.T) {
	s := mustCreate(t, "empty")
	var entries []*workspace.Entry
	s.OnChange(func(e *workspace.Entry) { entries = append(entries, e) })
	snap := mustSnapshot(t, s)
	check := func(what string) {
		t.Helper()
		next, err := snap.Apply(entries...)
		if err != nil {
			t.Fatalf("%s: apply: %v", what, err)
		}
		entries = nil
		fresh := mustSnapshot(t, s)
		a, _ := json.Marshal(next.Extras)
		b, _ := json.Marshal(fresh.Extras)
		if string(a) != string(b) {
			t.Fatalf("%s: applied %s, fresh %s", what, a, b)
		}
		for _, x := range fresh.Extras {
			if next.Marking(x) != fresh.Marking(x) {
				t.Errorf("%s: marking %s, fresh %s", what, next.Marking(x), fresh.Marking(x))
			}
		}
		snap = next
	}
	for i, keys := range []string{`"x-a":1`, `"x-b":2`} {
		c, err := parseString(`{"nodes":[{"id":"b","type":"text","text":"TLP:AMBER","x":0,"y":0,"width":10,"height":10}],"edges":[],` + keys + `}`)
		if err != nil {
			t.Fatal(err)
		}
		mustImport(t, s, c)
		check(fmt.Sprintf("import %d", i))
	}
	if len(snap.Extras) != 1 || string(snap.Extras[0].Data) != `{"x-b":2}` {
		t.Fatalf("extras %+v", snap.Extras)
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	check("undo")
	if _, err := s.Redo(); err != nil {
		t.Fatal(err)
	}
	check("redo")
}
