package export_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"briefboard/export"
	"briefboard/resources"
	"briefboard/workspace"
	"briefboard/workspace/canvas"
)

// canvasStore makes a real workspace from a template, closed with the test.
func canvasStore(tb testing.TB, template string) *workspace.Store {
	tb.Helper()
	data, err := resources.Template(template)
	if err != nil {
		tb.Fatal(err)
	}
	tpl, err := workspace.ParseTemplate(data)
	if err != nil {
		tb.Fatal(err)
	}
	at := time.Date(2025, 12, 29, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { at = at.Add(time.Second); return at }
	s, err := workspace.Create(filepath.Join(tb.TempDir(), "ws"), tpl, workspace.Options{Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func canvasSnap(tb testing.TB, s *workspace.Store) *workspace.Snapshot {
	tb.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		tb.Fatal(err)
	}
	return snap
}

func canvasExport(tb testing.TB, s *workspace.Store) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := export.Canvas(&b, canvasSnap(tb, s)); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func canvasParse(tb testing.TB, data []byte) *canvas.Canvas {
	tb.Helper()
	c, err := canvas.Parse(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("the export does not read back: %v", err)
	}
	return c
}

func canvasImport(tb testing.TB, s *workspace.Store, data []byte) *canvas.Summary {
	tb.Helper()
	sum, err := canvas.Import(s, canvasParse(tb, data))
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	return sum
}

// canvasView is a workspace's boards as a person compares them: by titles
// and names, not ids.
type canvasView struct {
	Boards  []viewBoard
	Sources []string
}

type viewBoard struct {
	Title, Purpose string
	Lanes          []viewLane
}

type viewLane struct {
	Name  string
	Cards []viewCard
}

type viewCard struct {
	Title, Body, Kind, TLP, Likelihood, Confidence, CreatedBy string
	CreatedAt                                                 time.Time
	Tags, Citations, Positions, Links, Annotations            []string
}

func viewOf(snap *workspace.Snapshot, boards []string) canvasView {
	return viewAtLeast(snap, boards, workspace.TLPClear)
}

// viewAtLeast is viewOf as an import of the workspace's canvas, marked
// floor, makes it: the sources it creates are marked at least floor (the
// boards too, which the view does not show; a card keeps its own
// marking, and is at least floor through its board).
func viewAtLeast(snap *workspace.Snapshot, boards []string, floor workspace.TLP) canvasView {
	var v canvasView
	for _, b := range snap.Boards {
		if boards != nil && !contains(boards, b.Title) {
			continue
		}
		vb := viewBoard{Title: b.Title, Purpose: b.Purpose}
		for _, l := range snap.Lanes[b.ID] {
			vl := viewLane{Name: l.Name}
			for _, c := range snap.LaneCards[l.ID] {
				vc := viewCard{Title: c.Title, Body: c.Body, Kind: string(c.Kind), TLP: c.TLP.Word(), Likelihood: string(c.Likelihood),
					Confidence: string(c.Confidence), CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt, Tags: c.Tags}
				for _, ci := range c.Citations {
					vc.Citations = append(vc.Citations, snap.SourceByID[ci.Source].Title+" / "+ci.Quote)
				}
				for p, ps := range c.Positions {
					vc.Positions = append(vc.Positions, p+"="+string(ps.Stance)+" "+ps.Note)
				}
				sort.Strings(vc.Positions)
				for _, l := range c.Links {
					vc.Links = append(vc.Links, l.Type+" -> "+snap.Cards[l.To].Title)
				}
				for _, a := range snap.Annotations[c.ID] {
					vc.Annotations = append(vc.Annotations, fmt.Sprintf("%s %s %s %v %s %s", a.Author, a.Kind, a.Text, a.Resolved, a.TLP.Word(), a.At))
				}
				vl.Cards = append(vl.Cards, vc)
			}
			vb.Lanes = append(vb.Lanes, vl)
		}
		v.Boards = append(v.Boards, vb)
	}
	for _, s := range snap.Sources {
		v.Sources = append(v.Sources, fmt.Sprintf("%s|%s|%s|%s|%s|%s", s.Title, s.Origin, s.InfoDate, s.Grade,
			workspace.Stricter(s.TLP, floor).Word(), s.Notes))
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func boardTitles(snap *workspace.Snapshot) []string {
	var out []string
	for _, b := range snap.Boards {
		out = append(out, b.Title)
	}
	return out
}

func diffViews(t *testing.T, want, got canvasView) {
	t.Helper()
	if reflect.DeepEqual(want, got) {
		return
	}
	w, _ := json.MarshalIndent(want, "", " ")
	g, _ := json.MarshalIndent(got, "", " ")
	wl, gl := strings.Split(string(w), "\n"), strings.Split(string(g), "\n")
	for i := 0; i < len(wl) && i < len(gl); i++ {
		if wl[i] != gl[i] {
			t.Fatalf("round trip differs at line %d:\nwant %s\n got %s", i+1, wl[i], gl[i])
		}
	}
	t.Fatalf("round trip differs in length: %d lines, want %d", len(gl), len(wl))
}

// Export then import into an empty workspace reproduces the boards, cards,
// their fields, sources, annotations and links.
func TestCanvas_RoundTripIntoEmptyWorkspace(t *testing.T) {
	src := canvasStore(t, "three-pillars")
	data := canvasExport(t, src)
	dst := canvasStore(t, "empty")
	emptyBoards := boardTitles(canvasSnap(t, dst))
	sum := canvasImport(t, dst, data)
	if len(sum.Notes) != 0 {
		t.Errorf("notes: %q", sum.Notes)
	}
	want := canvasSnap(t, src)
	got := canvasSnap(t, dst)
	// The export's banner is RED: everything the import makes is RED at
	// least.
	diffViews(t, viewAtLeast(want, nil, want.MaxTLP()), viewOf(got, boardTitles(want)))
	for _, b := range got.Boards {
		if contains(boardTitles(want), b.Title) && got.Marking(b) != workspace.TLPRed {
			t.Errorf("board %q is %s, below the canvas's marking", b.Title, got.Marking(b))
		}
	}
	if !reflect.DeepEqual(boardTitles(got), append(emptyBoards, boardTitles(want)...)) {
		t.Errorf("boards %q", boardTitles(got))
	}
	if sum.CardsCreated != len(want.Cards) || sum.SourcesCreated != len(want.Sources) || sum.Links != 10 || sum.Annotations != 13 {
		t.Errorf("summary %+v", sum)
	}
	for _, p := range want.Meta.Parties {
		if got.Party(p.ID) == nil {
			t.Errorf("party %s missing", p.ID)
		}
	}
	// The ids are the new workspace's own.
	for id := range want.Cards {
		if got.Cards[id] != nil {
			t.Errorf("card %s kept its id in another workspace", id)
		}
	}
	// And exporting the copy gives the same cards again, each now
	// labelled with the canvas's marking.
	again := canvasParse(t, canvasExport(t, dst))
	texts := map[string]bool{}
	for _, n := range again.Nodes {
		texts[n.Text] = true
	}
	label := regexp.MustCompile(`\n---\nTLP:[A-Z+]+`)
	for _, n := range canvasParse(t, data).Nodes {
		text := label.ReplaceAllString(n.Text, "\n---\n"+want.MaxTLP().String())
		if n.Type == canvas.TypeText && n.ID != export.CanvasBannerID && !texts[text] {
			t.Errorf("card text not reproduced: %q", text)
		}
	}
}

// Importing an export into the workspace it came from changes nothing;
// into one with boards of the same titles, it fills those boards.
func TestCanvas_ReimportIntoWorkspaceWithTheBoards(t *testing.T) {
	s := canvasStore(t, "three-pillars")
	data := canvasExport(t, s)
	log1, _ := s.Log(time.Time{})
	sum := canvasImport(t, s, data)
	log2, _ := s.Log(time.Time{})
	if sum.Changed() || len(log2) != len(log1) {
		t.Errorf("re-import changed something: %+v, %d journal entries after %d", sum, len(log2), len(log1))
	}

	other := canvasStore(t, "three-pillars")
	before := canvasSnap(t, other)
	sum = canvasImport(t, other, data)
	after := canvasSnap(t, other)
	if !reflect.DeepEqual(boardTitles(after), boardTitles(before)) {
		t.Errorf("boards %q, want the same as before", boardTitles(after))
	}
	if sum.BoardsCreated != 0 || sum.LanesCreated != 0 || sum.CardsCreated != len(before.Cards) || sum.SourcesCreated != 0 {
		t.Errorf("summary %+v", sum)
	}
	for _, b := range before.Boards {
		for _, l := range before.Lanes[b.ID] {
			if n, m := len(after.LaneCards[l.ID]), 2*len(before.LaneCards[l.ID]); n != m {
				t.Errorf("lane %s/%s has %d cards, want %d", b.Title, l.Name, n, m)
			}
		}
	}
}

// A canvas edited in another tool comes back with the edits, and the keys
// the other tool added survive the next export.
func TestCanvas_RoundTripThroughAnotherTool(t *testing.T) {
	s := canvasStore(t, "three-pillars")
	snap := canvasSnap(t, s)
	c := canvasParse(t, canvasExport(t, s))

	board := snap.Boards[0]
	var lane *workspace.Lane
	for _, l := range snap.Lanes[board.ID] {
		if len(snap.LaneCards[l.ID]) >= 3 {
			lane = l
			break
		}
	}
	if lane == nil {
		t.Fatal("no lane with three cards")
	}
	cards := snap.LaneCards[lane.ID]
	first, second, third := cards[0], cards[1], cards[2]
	node := func(id string) *canvas.Node {
		for _, n := range c.Nodes {
			if n.ID == id {
				return n
			}
		}
		t.Fatalf("no node %s", id)
		return nil
	}
	// Swap the first two cards, edit the third's text, add a node and an
	// unknown key here and there, as another canvas tool might.
	n1, n2 := node(first.ID), node(second.ID)
	n1.Y, n2.Y = n2.Y, n1.Y
	n3 := node(third.ID)
	n3.Text = strings.Replace(n3.Text, "# "+third.Title, "# Renamed elsewhere", 1)
	n3.Text = strings.Replace(n3.Text, "\n\n---\nTLP:", "\n\nA line added elsewhere.\n\n---\nTLP:", 1)
	n3.Extra["x-plugin"] = json.RawMessage(`{"pinned":true}`)
	ln := node(lane.ID)
	c.Nodes = append(c.Nodes, &canvas.Node{ID: "new1", Type: canvas.TypeText, Text: "Sketched in the other tool",
		X: ln.X + 20, Y: ln.Y + ln.Height - 100, Width: 300, Height: 60})
	c.Extra["x-app"] = json.RawMessage(`"other"`)
	var dropped workspace.Link
	var droppedFrom *workspace.Card
	kept := c.Edges[:0]
	for i, e := range c.Edges {
		if i == 0 {
			droppedFrom = snap.Cards[e.FromNode]
			dropped = workspace.Link{To: e.ToNode, Type: e.Label}
			continue
		}
		if i == 1 {
			e.Label = "contradicts"
			e.Extra = map[string]json.RawMessage{"x-weight": json.RawMessage("2")}
		}
		kept = append(kept, e)
	}
	c.Edges = kept
	relabelled := c.Edges[0]
	// Leave one linked card out of the canvas: the card stays, and so does
	// the link to it.
	var outside *canvas.Edge
	for _, e := range c.Edges[1:] {
		if !contains([]string{first.ID, second.ID, third.ID, relabelled.FromNode, relabelled.ToNode, e.FromNode}, e.ToNode) {
			outside = e
			break
		}
	}
	if outside == nil {
		t.Fatal("no edge to leave out")
	}
	nodes := c.Nodes[:0]
	for _, n := range c.Nodes {
		if n.ID != outside.ToNode {
			nodes = append(nodes, n)
		}
	}
	c.Nodes = nodes
	edges := c.Edges[:0]
	for _, e := range c.Edges {
		if e.ToNode != outside.ToNode && e.FromNode != outside.ToNode {
			edges = append(edges, e)
		}
	}
	c.Edges = edges
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}

	sum := canvasImport(t, s, buf.Bytes())
	after := canvasSnap(t, s)
	titles := func(l string) []string {
		var out []string
		for _, c := range after.LaneCards[l] {
			out = append(out, c.Title)
		}
		return out
	}
	got := titles(lane.ID)
	if got[0] != second.Title || got[1] != first.Title || got[2] != "Renamed elsewhere" || got[len(got)-1] != "Sketched in the other tool" {
		t.Errorf("lane after the edits: %q", got)
	}
	ed := after.Cards[third.ID]
	// Its text now comes from a canvas marked RED.
	if ed.Body != strings.TrimSpace(third.Body+"\n\nA line added elsewhere.") || ed.Kind != third.Kind ||
		after.Marking(ed) != workspace.Stricter(snap.Marking(third), snap.MaxTLP()) ||
		!reflect.DeepEqual(ed.Tags, third.Tags) || !reflect.DeepEqual(ed.Positions, third.Positions) {
		t.Errorf("edited card: %+v", ed)
	}
	for _, l := range after.Cards[droppedFrom.ID].Links {
		if l == dropped {
			t.Errorf("the deleted edge is still a link")
		}
	}
	found := false
	for _, l := range after.Cards[relabelled.FromNode].Links {
		found = found || l == workspace.Link{To: relabelled.ToNode, Type: "contradicts"}
	}
	if !found {
		t.Errorf("the relabelled edge: %+v", after.Cards[relabelled.FromNode].Links)
	}
	if after.Cards[outside.ToNode] == nil {
		t.Errorf("a card left out of the canvas was deleted")
	}
	found = false
	for _, l := range after.Cards[outside.FromNode].Links {
		found = found || l == workspace.Link{To: outside.ToNode, Type: outside.Label}
	}
	if !found {
		t.Errorf("the link to a card outside the canvas was dropped: %+v", after.Cards[outside.FromNode].Links)
	}
	// Only what was edited changed: the swapped pair (one of them needs a
	// new key), the edited card, the cards whose links changed, and the
	// new card.
	if sum.CardsCreated != 1 || sum.CardsUpdated > 5 || sum.BoardsCreated+sum.LanesCreated+sum.SourcesCreated != 0 {
		t.Errorf("summary %+v", sum)
	}
	out := canvasParse(t, canvasExport(t, s))
	if string(out.Extra["x-app"]) != `"other"` {
		t.Errorf("top-level key lost: %v", out.Extra)
	}
	for _, n := range out.Nodes {
		if n.ID == third.ID && string(n.Extra["x-plugin"]) != `{"pinned":true}` {
			t.Errorf("node key lost: %v", n.Extra)
		}
	}
	var weighted bool
	for _, e := range out.Edges {
		if e.FromNode == relabelled.FromNode && e.Label == "contradicts" {
			weighted = string(e.Extra["x-weight"]) == "2"
		}
	}
	if !weighted {
		t.Errorf("edge key lost")
	}
}

func TestCanvas_Deterministic(t *testing.T) {
	s := canvasStore(t, "three-pillars")
	a, b := canvasExport(t, s), canvasExport(t, s)
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of the same workspace differ")
	}
	if !json.Valid(a) {
		t.Fatal("not JSON")
	}
}

// Boards lie side by side, lanes inside their board, cards inside their
// lane; colours follow TLP, or kind on request; links are labelled edges.
func TestCanvas_LayoutAndColours(t *testing.T) {
	s := canvasStore(t, "three-pillars")
	snap := canvasSnap(t, s)
	c, rep, err := export.BuildCanvas(snap, export.CanvasOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Boards != len(snap.Boards) || rep.Cards != len(snap.Cards) || rep.Links != 10 || len(rep.Notes) != 0 {
		t.Errorf("report %+v", rep)
	}
	rects := map[string]canvas.Rect{}
	nodes := map[string]*canvas.Node{}
	for _, n := range c.Nodes {
		rects[n.ID], nodes[n.ID] = n.Rect(), n
	}
	for i, b := range snap.Boards {
		br := rects[b.ID]
		if nodes[b.ID].Label != b.Title || nodes[b.ID].Type != canvas.TypeGroup {
			t.Errorf("board group %+v", nodes[b.ID])
		}
		if i > 0 && rects[snap.Boards[i-1].ID].X+rects[snap.Boards[i-1].ID].W >= br.X {
			t.Errorf("board %q overlaps the one before", b.Title)
		}
		for j, l := range snap.Lanes[b.ID] {
			lr := rects[l.ID]
			if !br.Contains(lr) || nodes[l.ID].Label != l.Name {
				t.Errorf("lane %q not inside its board", l.Name)
			}
			if j > 0 && rects[snap.Lanes[b.ID][j-1].ID].X >= lr.X {
				t.Errorf("lanes out of order")
			}
			for k, card := range snap.LaneCards[l.ID] {
				cr := rects[card.ID]
				if !lr.Contains(cr) {
					t.Errorf("card %q not inside its lane", card.Title)
				}
				if k > 0 && rects[snap.LaneCards[l.ID][k-1].ID].Y+rects[snap.LaneCards[l.ID][k-1].ID].H > cr.Y {
					t.Errorf("card %q overlaps the one above", card.Title)
				}
				n := nodes[card.ID]
				if n.Color != canvas.TLPColor(snap.Marking(card)) {
					t.Errorf("card %q (%s) has colour %q", card.Title, snap.Marking(card), n.Color)
				}
				if !strings.HasPrefix(n.Text, "# "+strings.Join(strings.Fields(card.Title), " ")+"\n") ||
					!strings.Contains(n.Text, "\n---\n"+snap.Marking(card).String()) {
					t.Errorf("card text %q", n.Text)
				}
				for _, tag := range card.Tags {
					if !strings.Contains(n.Text, tag) {
						t.Errorf("card %q text lacks tag %q", card.Title, tag)
					}
				}
			}
		}
	}
	colours := map[string]bool{}
	for _, n := range c.Nodes {
		colours[n.Color] = true
	}
	for _, want := range []string{"", "1", "2", "3", "4"} {
		if !colours[want] {
			t.Errorf("no card in colour %q", want)
		}
	}
	for _, e := range c.Edges {
		from := snap.Cards[e.FromNode]
		if from == nil || snap.Cards[e.ToNode] == nil || e.Label == "" || e.Color != canvas.LinkColor(e.Label) {
			t.Errorf("edge %+v", e)
		}
	}
	byKind, _, err := export.BuildCanvas(snap, export.CanvasOptions{ColorBy: export.CanvasColorByKind})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range byKind.Nodes {
		if card := snap.Cards[n.ID]; card != nil && n.Color != canvas.KindColor(card.Kind) {
			t.Errorf("card %q of kind %s has colour %q", card.Title, card.Kind, n.Color)
		}
	}
	if _, _, err := export.BuildCanvas(snap, export.CanvasOptions{ColorBy: "mood"}); err == nil {
		t.Errorf("an unknown colouring was accepted")
	}
}

// The canvas carries its TLP label, in a banner and in its key; with a cap
// nothing above it is written at all.
func TestCanvas_LabelAndCap(t *testing.T) {
	s := canvasStore(t, "three-pillars")
	// A source above the cap, cited without a quote by a card below it:
	// the card stays in a capped canvas, the source does not.
	grade, err := workspace.ParseGrade("B2")
	if err != nil {
		t.Fatal(err)
	}
	secret, err := s.AddSource(workspace.Source{Title: "Liaison channel Kestrel", Origin: "Embassy back channel",
		Grade: grade, TLP: workspace.TLPRed}, false)
	if err != nil {
		t.Fatal(err)
	}
	var citing *workspace.Card
	for _, c := range canvasSnap(t, s).Cards {
		if strings.HasPrefix(c.Title, "Moscow unlikely to accept the Florida revisions") {
			citing = c
		}
	}
	if citing == nil || citing.TLP != workspace.TLPGreen {
		t.Fatal("the demo has no GREEN card to cite the source")
	}
	if _, err := s.UpdateCard(citing.ID, "Cite", func(c *workspace.Card) error {
		c.Citations = append(c.Citations, workspace.Citation{Source: secret.ID})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	snap := canvasSnap(t, s)
	c, rep, err := export.BuildCanvas(snap, export.CanvasOptions{})
	if err != nil {
		t.Fatal(err)
	}
	banner := func(c *canvas.Canvas) *canvas.Node {
		for _, n := range c.Nodes {
			if n.ID == export.CanvasBannerID {
				return n
			}
		}
		t.Fatal("no banner")
		return nil
	}
	if b := banner(c); rep.TLP != workspace.TLPRed || !strings.HasPrefix(b.Text, "# TLP:RED\n") || b.Color != canvas.TLPColor(workspace.TLPRed) {
		t.Errorf("label %s, banner %+v", rep.TLP, b)
	}
	var info canvas.FileInfo
	if err := json.Unmarshal(c.Extra[canvas.Key], &info); err != nil || info.TLP == nil || *info.TLP != workspace.TLPRed {
		t.Errorf("file key %s", c.Extra[canvas.Key])
	}

	amber := workspace.TLPAmber
	var buf bytes.Buffer
	rep, err = export.CanvasWith(&buf, snap, export.CanvasOptions{MaxTLP: &amber})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if rep.TLP != workspace.TLPAmber || !strings.Contains(out, `"text":"# TLP:AMBER\n`) {
		t.Errorf("capped label %s", rep.TLP)
	}
	above := 0
	for _, card := range snap.Cards {
		if card.TLP > amber {
			above++
			if strings.Contains(out, card.ID) || strings.Contains(out, jsonText(card.Title)) {
				t.Errorf("card %q above the cap is in the canvas", card.Title)
			}
		}
	}
	var uncapped bytes.Buffer
	if _, err := export.CanvasWith(&uncapped, snap, export.CanvasOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{secret.ID, secret.Title} {
		if !strings.Contains(uncapped.String(), w) {
			t.Fatalf("the uncapped canvas lacks the RED source's %q, so its absence below proves nothing", w)
		}
		if strings.Contains(out, w) {
			t.Errorf("the RED source's %q is in the canvas capped at AMBER", w)
		}
	}
	if !strings.Contains(out, citing.ID) {
		t.Error("the GREEN card citing the RED source is missing from the capped canvas")
	}
	for _, as := range snap.Annotations {
		for _, a := range as {
			if a.TLP > amber && strings.Contains(out, jsonText(a.Text)) {
				t.Errorf("annotation %q above the cap is in the canvas", a.Text)
			}
		}
	}
	if above == 0 || rep.Cards != len(snap.Cards)-above {
		t.Errorf("%d cards written, %d above the cap of %d", rep.Cards, above, len(snap.Cards))
	}
	// The banner is not a card when the canvas comes back.
	dst := canvasStore(t, "empty")
	if sum := canvasImport(t, dst, buf.Bytes()); sum.CardsCreated != rep.Cards {
		t.Errorf("%d cards imported, %d written", sum.CardsCreated, rep.Cards)
	}
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.Trim(strings.TrimSpace(b.String()), `"`)
}

// A link to a card the canvas does not show is left out with a note, and
// a card without a board is kept outside every group.
func TestCanvas_NotesWhatItLeavesOut(t *testing.T) {
	s := canvasStore(t, "three-pillars")
	snap := canvasSnap(t, s)
	var from *workspace.Card
	for _, c := range snap.Cards {
		if len(c.Links) > 0 {
			from = c
			break
		}
	}
	target := snap.Cards[from.Links[0].To]
	if err := s.DeleteCard(target.ID); err != nil {
		t.Fatal(err)
	}
	snap = canvasSnap(t, s)
	// Make one card a stray, as a merge can when a board is deleted
	// elsewhere.
	b := snap.Boards[len(snap.Boards)-1]
	l := snap.Lanes[b.ID][0]
	var stray *workspace.Card
	for _, lane := range snap.Lanes[b.ID] {
		if cs := snap.LaneCards[lane.ID]; len(cs) > 0 && cs[0].ID != from.ID {
			l, stray = lane, cs[0]
			break
		}
	}
	snap.LaneCards[l.ID] = snap.LaneCards[l.ID][1:]
	snap.Stray = append(snap.Stray, stray)

	var buf bytes.Buffer
	rep, err := export.CanvasWith(&buf, snap, export.CanvasOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "\n")
	if !strings.Contains(notes, fmt.Sprintf("card %q links (%s) to a card that is not on the canvas", from.Title, from.Links[0].Type)) ||
		!strings.Contains(notes, fmt.Sprintf("card %q is on a deleted board", stray.Title)) {
		t.Errorf("notes %q", rep.Notes)
	}
	c := canvasParse(t, buf.Bytes())
	for _, e := range c.Edges {
		if e.ToNode == target.ID {
			t.Errorf("edge to the deleted card")
		}
	}
	// Imported elsewhere, the stray lands in the Inbox board.
	dst := canvasStore(t, "empty")
	if _, err := canvas.Import(dst, c); err != nil {
		t.Fatal(err)
	}
	got := canvasSnap(t, dst)
	var inbox *workspace.Board
	for _, b := range got.Boards {
		if b.Title == canvas.InboxBoard {
			inbox = b
		}
	}
	if inbox == nil || len(got.BoardCards(inbox.ID)) != 1 || got.BoardCards(inbox.ID)[0].Title != stray.Title {
		t.Errorf("stray not in the Inbox board")
	}
}

// Cards whose text is awkward for Markdown come back exactly.
func TestCanvas_AwkwardCardsRoundTrip(t *testing.T) {
	s := canvasStore(t, "empty")
	snap := canvasSnap(t, s)
	board := snap.Boards[0]
	_, err := s.Do("Awkward cards", func(tx *workspace.Tx) error {
		drafts := []workspace.CardDraft{
			{Title: "Two  lines  and  spaces", Body: "  indented start\n\n---\nTLP:RED a footer-like line\n\n"},
			{Title: "# Already a heading #", Body: ""},
			{Title: "Кириллица и emoji 🕊️", Body: "Текст <b>&amp;</b> \\ \"quotes\"", Tags: []string{"мир", "red line", "2025"}},
			{Title: "Only title"},
		}
		var ids []string
		for i, d := range drafts {
			d.Board = board.ID
			tlp := workspace.TLPLevels[i%len(workspace.TLPLevels)]
			d.TLP = &tlp
			c, err := tx.AddCard(d)
			if err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		_, err := tx.UpdateCard(ids[0], func(c *workspace.Card) error {
			c.Kind, c.Likelihood, c.Confidence = workspace.KindJudgment, workspace.LikelihoodAlmostNoChance, workspace.ConfidenceHigh
			c.Positions = map[string]workspace.Position{"ru": {Stance: workspace.StanceRedLine, Note: "never"}}
			c.Links = []workspace.Link{{To: ids[1], Type: "a very particular relation"}, {To: ids[2], Type: workspace.LinkConflictsWith}}
			return nil
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	data := canvasExport(t, s)
	dst := canvasStore(t, "empty")
	canvasImport(t, dst, data)
	want := canvasSnap(t, s)
	// The cards land on a board the workspace has, which the import does
	// not write: the cards themselves are marked at least as the canvas
	// is. The first card's body holds a TLP:RED label: where key and text
	// disagree, the stricter counts.
	floor := want.MaxTLP()
	for _, c := range want.Cards {
		c.TLP = workspace.Stricter(c.TLP, floor)
		if strings.Contains(c.Body, "TLP:RED") {
			c.TLP = workspace.TLPRed
		}
	}
	diffViews(t, viewAtLeast(want, nil, want.MaxTLP()), viewOf(canvasSnap(t, dst), nil))
}

// canvasFill adds n cards spread over the demo's lanes in one action.
func canvasFill(tb testing.TB, s *workspace.Store, n int) {
	tb.Helper()
	snap := canvasSnap(tb, s)
	_, err := s.Do("Fill", func(tx *workspace.Tx) error {
		for i := 0; i < n; i++ {
			b := snap.Boards[i%len(snap.Boards)]
			lanes := snap.Lanes[b.ID]
			tlp := workspace.TLPLevels[i%len(workspace.TLPLevels)]
			if _, err := tx.AddCard(workspace.CardDraft{Board: b.ID, Lane: lanes[i%len(lanes)].ID, Title: fmt.Sprintf("Card %d on the draft", i),
				Body: strings.Repeat("The delegations met again on the text and agreed to return to it. ", 4), Kind: workspace.KindFact,
				Tags: []string{"bulk", fmt.Sprintf("t%d", i%7)}, TLP: &tlp}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func TestCanvas_2000CardsRoundTrip(t *testing.T) {
	s := canvasStore(t, "three-pillars")
	canvasFill(t, s, 2000)
	data := canvasExport(t, s)
	dst := canvasStore(t, "empty")
	canvasImport(t, dst, data)
	want := canvasSnap(t, s)
	diffViews(t, viewAtLeast(want, nil, want.MaxTLP()), viewOf(canvasSnap(t, dst), boardTitles(want)))
}

func BenchmarkCanvas_Demo(b *testing.B) {
	s := canvasStore(b, "three-pillars")
	snap := canvasSnap(b, s)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		var buf bytes.Buffer
		if err := export.Canvas(&buf, snap); err != nil {
			b.Fatal(err)
		}
		n = buf.Len()
	}
	b.ReportMetric(float64(n), "bytes/file")
}

func BenchmarkCanvas_2000Cards(b *testing.B) {
	s := canvasStore(b, "three-pillars")
	canvasFill(b, s, 2000)
	snap := canvasSnap(b, s)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		var buf bytes.Buffer
		if err := export.Canvas(&buf, snap); err != nil {
			b.Fatal(err)
		}
		n = buf.Len()
	}
	b.ReportMetric(float64(n), "bytes/file")
}
