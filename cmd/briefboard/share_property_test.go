package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"briefboard/export"
	"briefboard/workspace"
	"briefboard/workspace/canvas"
	"briefboard/workspace/workspacetest"
)

// Every reachable state can be shared: over random command sequences on
// three copies of a workspace (card, board, lane and source edits,
// markings, canvas imports of random canvases with unknown keys at every
// level, shares and imports among the copies, undo, redo), after every
// step `share` of the copy that changed, then `import` of that file into
// a new directory, succeed, and `list --json` of the new copy equals the
// original's but for what belongs to a copy (its replica id and analyst),
// as do the records and stamps of their share files.
//
// Run many histories with BRIEFBOARD_PROPERTY_HISTORIES=N (and
// BRIEFBOARD_PROPERTY_STEPS, BRIEFBOARD_PROPERTY_SEED) or the
// -shareprop.* flags.

var (
	sharePropHistories = flag.Int("shareprop.histories", envDefault("BRIEFBOARD_PROPERTY_HISTORIES", 2), "random histories in TestShare_EveryStateShares")
	sharePropSteps     = flag.Int("shareprop.steps", envDefault("BRIEFBOARD_PROPERTY_STEPS", 30), "steps per history")
	sharePropSeed      = flag.Int64("shareprop.seed", int64(envDefault("BRIEFBOARD_PROPERTY_SEED", 0)), "seed (0: from the clock)")
	sharePropHistory   = flag.Int64("shareprop.history", 0, "run only the history of this seed (as a failure names it)")
)

func envDefault(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

type spCopy struct {
	name string
	s    *workspace.Store
}

type spRun struct {
	t    *testing.T
	rng  *rand.Rand
	dir  string
	cs   []*spCopy
	log  []string
	n    int // files and directories made
	word int
	// counts of what the history did, for the log
	imports, importsRefused, canvases, canvasesRefused, roundTrips int
}

func (r *spRun) logf(format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf(format, args...))
}

func (r *spRun) fatalf(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("%s\nsteps:\n  %s", fmt.Sprintf(format, args...), strings.Join(r.log, "\n  "))
}

func (r *spRun) path(name string) string {
	r.n++
	return filepath.Join(r.dir, fmt.Sprintf("%03d-%s", r.n, name))
}

// text is a short random text: words, now and then a TLP label, Unicode
// or Markdown.
func (r *spRun) text() string {
	pieces := []string{"ceasefire", "guarantee", "Zaporizhzhia", "«reconstruction»", "TLP:RED", "tlp:amber", "TLP:CLEAR",
		"# heading", "**bold**", "line\nbreak", "[[wiki link]]", "€ 50bn", "Андрій", "—", "#tag"}
	n := 1 + r.rng.Intn(4)
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, pieces[r.rng.Intn(len(pieces))])
	}
	r.word++
	out = append(out, fmt.Sprintf("w%d", r.word))
	return strings.Join(out, " ")
}

func (r *spRun) level() workspace.TLP {
	return workspace.TLPLevels[r.rng.Intn(len(workspace.TLPLevels))]
}

// randomJSON is a random JSON value for an unknown key.
func (r *spRun) randomJSON(depth int) any {
	switch k := r.rng.Intn(8); {
	case k == 0:
		return nil
	case k == 1:
		return r.rng.Intn(2) == 0
	case k == 2:
		return r.rng.Intn(1000) - 500
	case k == 3 && depth < 2:
		var a []any
		for i := 0; i < r.rng.Intn(3); i++ {
			a = append(a, r.randomJSON(depth+1))
		}
		return a
	case k == 4 && depth < 2:
		o := map[string]any{}
		for i := 0; i < 1+r.rng.Intn(3); i++ {
			o[r.unknownKey()] = r.randomJSON(depth + 1)
		}
		return o
	}
	return r.text()
}

// unknownKey names a key no part of JSON Canvas or Briefboard defines on
// the objects it is put on.
func (r *spRun) unknownKey() string {
	keys := []string{"xtop", "extra", "plugin", "styleAttributes", "zIndex", "x-data", "meta", "tlp", "title", "keys", "nodes2", "canvas"}
	return keys[r.rng.Intn(len(keys))]
}

func (r *spRun) addUnknown(obj map[string]any, known ...string) {
	for i := 0; i < r.rng.Intn(3); i++ {
		k := r.unknownKey()
		if contains(known, k) {
			continue
		}
		obj[k] = r.randomJSON(0)
	}
}

var nodeKeys = []string{"id", "type", "x", "y", "width", "height", "color", "text", "file", "subpath", "url", "label",
	"background", "backgroundStyle", canvas.Key}

// randomCanvas makes a JSON Canvas as another tool might: boards as groups
// with lane groups inside, or none, cards inside and outside them, file
// and link nodes, edges between cards, a TLP banner now and then, and
// unknown keys on the top level, on nodes and on edges.
func (r *spRun) randomCanvas() []byte {
	rng := r.rng
	var nodes, edges []map[string]any
	var texts []string
	id := 0
	next := func() string { id++; return fmt.Sprintf("n%d", id) }
	node := func(typ string, x, y, w, h int) map[string]any {
		n := map[string]any{"id": next(), "type": typ, "x": x, "y": y, "width": w, "height": h}
		if rng.Intn(3) == 0 {
			n["color"] = strconv.Itoa(1 + rng.Intn(6))
		}
		r.addUnknown(n, nodeKeys...)
		nodes = append(nodes, n)
		return n
	}
	card := func(x, y int) {
		n := node(canvas.TypeText, x, y, 400, 120)
		t := r.text()
		if rng.Intn(2) == 0 {
			t = "# " + strings.ReplaceAll(r.text(), "\n", " ") + "\n\n" + t
		}
		n["text"] = t
		texts = append(texts, n["id"].(string))
	}
	x := 0
	for b := 0; b < rng.Intn(3); b++ {
		lanes := rng.Intn(3)
		w := max(1, lanes)*480 + 80
		g := node(canvas.TypeGroup, x, 0, w, 900)
		if rng.Intn(4) != 0 {
			g["label"] = r.text()
		}
		for l := 0; l < lanes; l++ {
			lg := node(canvas.TypeGroup, x+40+l*480, 60, 440, 800)
			if rng.Intn(4) != 0 {
				lg["label"] = r.text()
			}
			for c := 0; c < rng.Intn(3); c++ {
				card(x+60+l*480, 100+c*150)
			}
		}
		if lanes == 0 {
			for c := 0; c < rng.Intn(3); c++ {
				card(x+60, 100+c*150)
			}
		}
		x += w + 200
	}
	for c := 0; c < rng.Intn(3); c++ {
		card(c*450, 1200)
	}
	if rng.Intn(3) == 0 {
		n := node(canvas.TypeFile, 0, 1500, 300, 100)
		n["file"] = "notes/" + strconv.Itoa(rng.Intn(5)) + ".md"
	}
	if rng.Intn(3) == 0 {
		n := node(canvas.TypeLink, 400, 1500, 300, 100)
		n["url"] = "https://example.org/" + strconv.Itoa(rng.Intn(5))
	}
	if rng.Intn(3) == 0 {
		level := r.level()
		n := node(canvas.TypeText, 0, -300, 800, 160)
		n["text"] = "# " + level.String() + "\n\nA banner " + r.text()
		if rng.Intn(2) == 0 {
			n["id"] = export.CanvasBannerID
			n[canvas.Key] = map[string]string{"banner": level.Word()}
		}
	}
	for e := 0; len(texts) > 1 && e < rng.Intn(4); e++ {
		from, to := texts[rng.Intn(len(texts))], texts[rng.Intn(len(texts))]
		if from == to {
			continue
		}
		ed := map[string]any{"id": fmt.Sprintf("e%d", e), "fromNode": from, "toNode": to}
		if rng.Intn(2) == 0 {
			ed["label"] = []string{"supports", "depends on", "contradicts", r.text()}[rng.Intn(4)]
		}
		r.addUnknown(ed, "id", "fromNode", "toNode", "fromSide", "toSide", "fromEnd", "toEnd", "color", "label")
		edges = append(edges, ed)
	}
	top := map[string]any{"nodes": nodes, "edges": edges}
	r.addUnknown(top, "nodes", "edges", canvas.Key)
	if rng.Intn(2) == 0 {
		top["xtop"] = r.randomJSON(0)
	}
	b, err := json.Marshal(top)
	if err != nil {
		r.fatalf("canvas: %v", err)
	}
	return b
}

// exportedCanvas is the copy's own canvas export, as another tool might
// give it back: unknown keys added everywhere, a card's text edited, a
// node moved.
func (r *spRun) exportedCanvas(s *workspace.Store) []byte {
	snap, err := s.Snapshot()
	if err != nil {
		r.fatalf("snapshot: %v", err)
	}
	var opts export.CanvasOptions
	if r.rng.Intn(3) == 0 {
		level := r.level()
		opts.MaxTLP = &level
	}
	var buf bytes.Buffer
	if _, err := export.CanvasWith(&buf, snap, opts); err != nil {
		if errors.Is(err, workspace.ErrAboveCap) {
			return r.randomCanvas()
		}
		r.fatalf("canvas export: %v", err)
	}
	var top map[string]any
	if err := json.Unmarshal(buf.Bytes(), &top); err != nil {
		r.fatalf("canvas export: %v", err)
	}
	nodes, _ := top["nodes"].([]any)
	for _, x := range nodes {
		n := x.(map[string]any)
		switch r.rng.Intn(6) {
		case 0:
			r.addUnknown(n, nodeKeys...)
		case 1:
			if t, ok := n["text"].(string); ok && n["id"] != export.CanvasBannerID {
				n["text"] = t + "\n\n" + r.text()
			}
		case 2:
			if n["type"] == canvas.TypeText {
				n["y"] = n["y"].(float64) + 20
			}
		}
	}
	edges, _ := top["edges"].([]any)
	for _, x := range edges {
		if r.rng.Intn(2) == 0 {
			r.addUnknown(x.(map[string]any), "id", "fromNode", "toNode", "fromSide", "toSide", "fromEnd", "toEnd", "color", "label")
		}
	}
	r.addUnknown(top, "nodes", "edges", canvas.Key)
	b, err := json.Marshal(top)
	if err != nil {
		r.fatalf("canvas: %v", err)
	}
	return b
}

// dumpOf is the records and stamps of a store's uncapped share file.
func dumpOf(t *testing.T, s *workspace.Store) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.Share(&buf, workspace.ShareOptions{}); err != nil {
		t.Fatalf("share: %v", err)
	}
	return recordsOf(t, buf.Bytes())
}

func recordsOf(t *testing.T, file []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "records.jsonl" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatal("no records.jsonl")
	return ""
}

// listingOf is `list --json` of a snapshot without what belongs to one
// copy: the replica id and the analyst.
func listingOf(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("list --json: %v\n%s", err, raw)
	}
	ws := v["workspace"].(map[string]any)
	delete(ws, "replica")
	delete(ws, "analyst")
	return v
}

func firstDiff(a, b any) string {
	ja, _ := json.MarshalIndent(a, "", " ")
	jb, _ := json.MarshalIndent(b, "", " ")
	la, lb := strings.Split(string(ja), "\n"), strings.Split(string(jb), "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			from := max(0, i-3)
			return fmt.Sprintf("at line %d:\n  original: %s\n  copy:     %s\ncontext: %s", i+1, x, y, strings.Join(la[from:i], "\n"))
		}
	}
	return "no difference"
}

// roundTrip shares a copy to a file, imports it into a new directory with
// the command line, and compares the new copy's `list --json` and records
// with the original's.
func (r *spRun) roundTrip(c *spCopy) {
	r.t.Helper()
	file := r.path(c.name + ".briefboard")
	if _, err := c.s.ShareToFile(file, workspace.ShareOptions{}); err != nil {
		r.fatalf("share %s: %v", c.name, err)
	}
	dir := r.path(c.name + "-copy")
	if out, errs, code := bb(r.t, "import", file, "--workspace", dir); code != 0 {
		r.fatalf("import of %s's share file into a new directory: exit %d: %s%s", c.name, code, errs, out)
	}
	snap, err := c.s.Snapshot()
	if err != nil {
		r.fatalf("snapshot: %v", err)
	}
	var orig bytes.Buffer
	if err := writeListing(&orig, snap); err != nil {
		r.fatalf("listing: %v", err)
	}
	out, errs, code := bb(r.t, "list", "--json", "--workspace", dir)
	if code != 0 {
		r.fatalf("list --json of the copy of %s: exit %d: %s", c.name, code, errs)
	}
	want, got := listingOf(r.t, orig.Bytes()), listingOf(r.t, []byte(out))
	if !reflect.DeepEqual(want, got) {
		r.fatalf("list --json of the copy of %s differs from the original's %s", c.name, firstDiff(want, got))
	}
	again := r.path(c.name + "-again.briefboard")
	if _, errs, code := bb(r.t, "share", "--workspace", dir, "-o", again); code != 0 {
		r.fatalf("share of the copy of %s: exit %d: %s", c.name, code, errs)
	}
	data, err := os.ReadFile(again)
	if err != nil {
		r.fatalf("%v", err)
	}
	if a, b := dumpOf(r.t, c.s), recordsOf(r.t, data); a != b {
		r.fatalf("the copy of %s shares other records than the original: %s", c.name, firstDiff(strings.Split(a, "\n"), strings.Split(b, "\n")))
	}
	// The copy's records themselves, with what the outputs do not show
	// (the keys a canvas carried, held writes, competing values), and the
	// effective marking of each.
	copied, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		r.fatalf("open the copy of %s: %v", c.name, err)
	}
	csnap, err := copied.Snapshot()
	copied.Close()
	if err != nil {
		r.fatalf("snapshot of the copy of %s: %v", c.name, err)
	}
	if a, b := snapshotView(snap), snapshotView(csnap); !reflect.DeepEqual(a, b) {
		r.fatalf("the copy of %s holds other records than the original: %s", c.name, firstDiff(a, b))
	}
	os.RemoveAll(dir)
	os.Remove(file)
	os.Remove(again)
	r.roundTrips++
}

// snapshotView is a snapshot as plain JSON without what belongs to one
// copy (its replica id, analyst and journal), with every record's
// effective marking and the reasons for it.
func snapshotView(snap *workspace.Snapshot) any {
	marks := map[string]workspace.Marking{}
	note := func(r workspace.Record) { marks[workspace.KeyOf(r)] = snap.ExplainMarking(r) }
	note(&snap.Meta)
	for _, b := range snap.Boards {
		note(b)
		for _, l := range snap.Lanes[b.ID] {
			note(l)
		}
	}
	for _, c := range snap.Cards {
		note(c)
		for _, a := range snap.Annotations[c.ID] {
			note(a)
		}
	}
	for _, src := range snap.Sources {
		note(src)
	}
	for _, m := range snap.Matrices {
		note(m)
		for _, row := range snap.Evidence[m.ID] {
			note(row)
		}
	}
	for _, x := range snap.Extras {
		note(x)
	}
	raw, err := json.Marshal(map[string]any{
		"meta": snap.Meta, "boards": snap.Boards, "lanes": snap.Lanes, "laneCards": snap.LaneCards,
		"cards": snap.Cards, "stray": snap.Stray, "sources": snap.Sources, "annotations": snap.Annotations,
		"matrices": snap.Matrices, "evidence": snap.Evidence, "extras": snap.Extras, "conflicts": snap.Conflicts,
		"markings": marks,
	})
	if err != nil {
		panic(err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		panic(err)
	}
	return v
}

// cards lists a copy's live cards, boards, lanes, sources and annotations.
type spView struct {
	snap    *workspace.Snapshot
	cards   []*workspace.Card
	lanes   []*workspace.Lane
	anns    []*workspace.Annotation
	sources []*workspace.Source
}

func (r *spRun) view(c *spCopy) *spView {
	snap, err := c.s.Snapshot()
	if err != nil {
		r.fatalf("snapshot: %v", err)
	}
	v := &spView{snap: snap, sources: snap.Sources}
	for _, b := range snap.Boards {
		v.cards = append(v.cards, snap.BoardCards(b.ID)...)
		v.lanes = append(v.lanes, snap.Lanes[b.ID]...)
	}
	v.cards = append(v.cards, snap.Stray...)
	sort.Slice(v.cards, func(i, j int) bool { return v.cards[i].ID < v.cards[j].ID })
	for _, c := range v.cards {
		v.anns = append(v.anns, snap.Annotations[c.ID]...)
	}
	return v
}

// step does one random command on a copy and returns the copy to check.
func (r *spRun) step() *spCopy {
	rng := r.rng
	c := r.cs[rng.Intn(len(r.cs))]
	v := r.view(c)
	var err error
	what := ""
	pickCard := func() *workspace.Card {
		if len(v.cards) == 0 {
			return nil
		}
		return v.cards[rng.Intn(len(v.cards))]
	}
	pickBoard := func() *workspace.Board {
		if len(v.snap.Boards) == 0 {
			return nil
		}
		return v.snap.Boards[rng.Intn(len(v.snap.Boards))]
	}
	editCard := func(fn func(x *workspace.Card)) {
		card := pickCard()
		if card == nil {
			return
		}
		_, err = c.s.UpdateCard(card.ID, "Edit card", func(x *workspace.Card) error { fn(x); return nil })
	}
	switch k := rng.Intn(100); {
	case k < 5:
		if b := pickBoard(); b != nil {
			what = "card add"
			level := r.level()
			_, err = c.s.AddCard(workspace.CardDraft{Board: b.ID, Title: r.text(), Body: r.text(), TLP: &level,
				Kind: workspace.Kinds[rng.Intn(len(workspace.Kinds))]})
		}
	case k < 14:
		what = "card edit"
		editCard(func(x *workspace.Card) {
			switch rng.Intn(6) {
			case 0:
				x.Title = r.text()
			case 1:
				x.Body = r.text()
			case 2:
				x.Tags = append(x.Tags, fmt.Sprintf("tag%d", rng.Intn(20)))
			case 3:
				x.Kind = workspace.Kinds[rng.Intn(len(workspace.Kinds))]
			case 4:
				x.TLP = r.level()
			default:
				if len(v.sources) > 0 {
					x.Citations = append(x.Citations, workspace.Citation{Source: v.sources[rng.Intn(len(v.sources))].ID, Quote: r.text()})
				}
			}
		})
	case k < 19:
		if card, b := pickCard(), pickBoard(); card != nil && b != nil {
			what = "card move"
			err = c.s.MoveCard(card.ID, workspace.Move{Board: b.ID})
		}
	case k < 21:
		if card := pickCard(); card != nil {
			what = "card delete"
			err = c.s.DeleteCard(card.ID)
		}
	case k < 24:
		what = "board add"
		_, err = c.s.AddBoard(r.text(), r.text())
	case k < 28:
		if b := pickBoard(); b != nil {
			what = "board edit"
			err = c.s.UpdateBoard(b.ID, func(x *workspace.Board) error {
				if rng.Intn(2) == 0 {
					x.Title = r.text()
				} else {
					x.Purpose = r.text()
				}
				return nil
			})
		}
	case k < 31:
		if b := pickBoard(); b != nil {
			what = "lane add"
			_, err = c.s.AddLane(b.ID, r.text())
		}
	case k < 34:
		if len(v.lanes) > 0 {
			what = "lane rename"
			err = c.s.RenameLane(v.lanes[rng.Intn(len(v.lanes))].ID, r.text())
		}
	case k < 36:
		if len(v.lanes) > 0 {
			what = "lane delete"
			err = c.s.DeleteLane(v.lanes[rng.Intn(len(v.lanes))].ID)
		}
	case k < 39:
		what = "source add"
		_, err = c.s.AddSource(workspace.Source{Title: r.text(), Origin: "https://example.org/" + strconv.Itoa(rng.Intn(9)),
			TLP: r.level(), Grade: workspace.Grade{Reliability: "C", Credibility: 3}}, false)
	case k < 41:
		if len(v.sources) > 0 {
			what = "source edit"
			err = c.s.UpdateSource(v.sources[rng.Intn(len(v.sources))].ID, func(x *workspace.Source) error { x.Notes = r.text(); return nil })
		}
	case k < 44:
		if card := pickCard(); card != nil {
			what = "annotate"
			level := r.level()
			_, err = c.s.AddAnnotation(card.ID, workspace.AnnComment, r.text(), &level)
		}
	case k < 52:
		// A marking action on a record of any kind.
		var keys []string
		keys = append(keys, "meta")
		for _, b := range v.snap.Boards {
			keys = append(keys, workspace.KeyOf(b))
		}
		for _, l := range v.lanes {
			keys = append(keys, workspace.KeyOf(l))
		}
		for _, x := range v.cards {
			keys = append(keys, workspace.KeyOf(x))
		}
		for _, s := range v.sources {
			keys = append(keys, workspace.KeyOf(s))
		}
		for _, a := range v.anns {
			keys = append(keys, workspace.KeyOf(a))
		}
		key, level := keys[rng.Intn(len(keys))], r.level()
		if key == "meta" {
			level = workspace.TLPLevels[rng.Intn(3)]
		}
		what = "set marking of " + key + " to " + level.Word()
		err = c.s.SetMarking(key, level)
	case k < 56:
		what = "subtitle"
		err = c.s.UpdateMeta("Edit workspace", func(m *workspace.Meta) error { m.Subtitle = r.text(); return nil })
	case k < 66:
		data := r.randomCanvas()
		what = "canvas import (random)"
		if rng.Intn(3) == 0 {
			data = r.exportedCanvas(c.s)
			what = "canvas import (own export, edited elsewhere)"
		}
		r.canvases++
		cv, perr := canvas.Parse(bytes.NewReader(data))
		if perr != nil {
			r.fatalf("%s: the canvas made does not parse: %v\n%s", what, perr, data)
		}
		before := dumpOf(r.t, c.s)
		if _, err = canvas.Import(c.s, cv); err != nil {
			r.canvasesRefused++
			if after := dumpOf(r.t, c.s); after != before {
				r.fatalf("%s on %s failed (%v) and changed the workspace", what, c.name, err)
			}
			r.logf("%s: %s refused: %v", c.name, what, err)
			return c
		}
	case k < 80:
		to := r.cs[rng.Intn(len(r.cs))]
		if to == c {
			return nil
		}
		var opts workspace.ShareOptions
		if rng.Intn(3) == 0 {
			level := r.level()
			opts.MaxTLP = &level
		}
		what = fmt.Sprintf("share to %s (cap %v)", to.name, opts.MaxTLP)
		var buf bytes.Buffer
		if _, err := c.s.Share(&buf, opts); err != nil {
			if errors.Is(err, workspace.ErrAboveCap) {
				r.logf("%s: %s refused: %v", c.name, what, err)
				return nil
			}
			r.fatalf("%s: %s: %v", c.name, what, err)
		}
		sf, err := workspace.ReadShare(bytes.NewReader(buf.Bytes()), nil)
		if err != nil {
			r.fatalf("%s: %s: the file does not read: %v", c.name, what, err)
		}
		r.imports++
		if _, err := to.s.Import(sf); err != nil {
			r.fatalf("%s: %s: import: %v", c.name, what, err)
		}
		r.logf("%s: %s", c.name, what)
		return to
	case k < 87:
		what = "undo"
		_, err = c.s.Undo()
	case k < 92:
		what = "redo"
		_, err = c.s.Redo()
	default:
		recs, rerr := c.s.ConflictRecords()
		if rerr != nil {
			r.fatalf("conflicts: %v", rerr)
		}
		if len(recs) == 0 || len(recs[0].Conflicts) == 0 {
			return nil
		}
		cr := recs[rng.Intn(len(recs))]
		if len(cr.Conflicts) == 0 {
			return nil
		}
		cf := cr.Conflicts[rng.Intn(len(cr.Conflicts))]
		what = "resolve " + cr.Key + " " + cf.Field
		_, err = c.s.ResolveConflict(cr.Key, cf.Field, cf.Values[rng.Intn(len(cf.Values))].Value)
	}
	if what == "" {
		return nil
	}
	switch {
	case err == nil:
		r.logf("%s: %s", c.name, what)
	case errors.Is(err, workspace.ErrInvalid), errors.Is(err, workspace.ErrNothingToUndo), errors.Is(err, workspace.ErrNothingToRedo),
		errors.Is(err, workspace.ErrNotFound):
		r.logf("%s: %s refused: %v", c.name, what, err)
	default:
		r.fatalf("%s: %s: %v", c.name, what, err)
	}
	return c
}

func TestShare_EveryStateShares(t *testing.T) {
	seed := *sharePropSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -shareprop.seed=%d or BRIEFBOARD_PROPERTY_SEED=%d), %d histories of %d steps",
		seed, seed, seed, *sharePropHistories, *sharePropSteps)
	rng := rand.New(rand.NewSource(seed))
	start := time.Now()
	var total spRun
	for i := 0; i < *sharePropHistories; i++ {
		hseed := rng.Int63()
		if *sharePropHistory != 0 {
			if i > 0 {
				break
			}
			hseed = *sharePropHistory
		}
		t.Run(fmt.Sprintf("history%d-seed%d", i, hseed), func(t *testing.T) {
			r := &spRun{t: t, rng: rand.New(rand.NewSource(hseed)), dir: t.TempDir()}
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("history seed %d: rerun with -shareprop.history=%d", hseed, hseed)
				}
			})
			a, _ := workspacetest.Create(t, "three-pillars", workspace.Options{})
			if err := a.SetProfile(workspace.Profile{Name: "Analyst A"}); err != nil {
				t.Fatal(err)
			}
			r.cs = append(r.cs, &spCopy{name: "A", s: a})
			var buf bytes.Buffer
			if _, err := a.Share(&buf, workspace.ShareOptions{}); err != nil {
				t.Fatal(err)
			}
			for j, name := range []string{"B", "C"} {
				sf, err := workspace.ReadShare(bytes.NewReader(buf.Bytes()), nil)
				if err != nil {
					t.Fatal(err)
				}
				s, _, err := workspace.CreateFromShare(r.path(name), sf, workspace.Options{Now: workspacetest.Clock(workspacetest.Start.Add(time.Duration(j+1) * time.Minute))})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				if err := s.SetProfile(workspace.Profile{Name: "Analyst " + name}); err != nil {
					t.Fatal(err)
				}
				r.cs = append(r.cs, &spCopy{name: name, s: s})
			}
			r.roundTrip(r.cs[0])
			for j := 0; j < *sharePropSteps; j++ {
				if c := r.step(); c != nil {
					r.roundTrip(c)
				}
			}
			total.imports += r.imports
			total.canvases += r.canvases
			total.canvasesRefused += r.canvasesRefused
			total.roundTrips += r.roundTrips
		})
	}
	t.Logf("%v: %d round trips through share and import into a new directory; %d imports among the copies; %d canvas imports (%d refused)",
		time.Since(start).Round(time.Millisecond), total.roundTrips, total.imports, total.canvases, total.canvasesRefused)
}
