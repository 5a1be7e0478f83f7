package canvas_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/canvas"
)

func mustImport(tb testing.TB, s *workspace.Store, c *canvas.Canvas) *canvas.Summary {
	tb.Helper()
	sum, err := canvas.Import(s, c)
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	return sum
}

func TestImport_EveryNodeType(t *testing.T) {
	s := mustCreate(t, "empty")
	before := mustSnapshot(t, s)
	sum := mustImport(t, s, readCanvas(t, "every-node.canvas"))
	snap := mustSnapshot(t, s)

	// A group holding groups is a board whose inner groups are lanes, in
	// reading order, plus an Inbox lane for what sits in no lane.
	sec := boardTitled(t, snap, "Security guarantees")
	if got, want := laneNames(snap, sec.ID), []string{"Open", "Bracketed", "Ad ref", "Agreed", "Dropped", "Inbox"}; !reflect.DeepEqual(got, want) {
		t.Errorf("lanes of the matched board: %q, want %q", got, want)
	}
	if got := cardsIn(snap, sec.ID, "Open"); !reflect.DeepEqual(got, []string{"Article 5-style guarantee", "Phased sanctions relief"}) {
		t.Errorf("Open lane: %q", got)
	}
	if got := cardsIn(snap, sec.ID, "Agreed"); !reflect.DeepEqual(got, []string{"Monitoring mission agreed in principle", "Reuters 2025-12-28.pdf#Page 2"}) {
		t.Errorf("Agreed lane: %q", got)
	}
	if got := cardsIn(snap, sec.ID, "Inbox"); !reflect.DeepEqual(got, []string{"Not sorted yet"}) {
		t.Errorf("Inbox lane: %q", got)
	}
	// The first heading or line is the title, the rest the body.
	t1 := cardTitled(t, snap, "Article 5-style guarantee")
	if t1.Body != "The US offers a guarantee modelled on Article 5." || t1.Kind != workspace.KindNote || t1.TLP != before.Meta.DefaultTLP {
		t.Errorf("text card: %+v", t1)
	}
	// A group nested deeper than a lane tags its cards.
	t2 := cardTitled(t, snap, "Phased sanctions relief")
	if t2.Body != "Tied to verified compliance." || !reflect.DeepEqual(t2.Tags, []string{"Sanctions relief"}) {
		t.Errorf("card in a nested group: body %q tags %q", t2.Body, t2.Tags)
	}
	// File and link nodes become cards that cite them as sources.
	f := cardTitled(t, snap, "Reuters 2025-12-28.pdf#Page 2")
	if len(f.Citations) != 1 || snap.SourceByID[f.Citations[0].Source].Origin != "Sources/Reuters 2025-12-28.pdf#Page 2" {
		t.Errorf("file card cites %+v", f.Citations)
	}
	// A board matched by title keeps its lanes; a new top-level group
	// without inner groups gets the default lanes.
	l := cardTitled(t, snap, "example.org/news/florida-talks")
	if len(l.Citations) != 1 || snap.SourceByID[l.Citations[0].Source].Origin != "https://www.example.org/news/florida-talks/" {
		t.Errorf("link card cites %+v", l.Citations)
	}
	econ := boardTitled(t, snap, "Economic plan")
	if got := cardsIn(snap, econ.ID, "Open"); !reflect.DeepEqual(got, []string{"example.org/news/florida-talks"}) {
		t.Errorf("Economic plan / Open: %q", got)
	}
	// Nodes outside every group go to an Inbox board.
	inbox := boardTitled(t, snap, canvas.InboxBoard)
	if got := laneNames(snap, inbox.ID); !reflect.DeepEqual(got, workspace.DefaultLanes) {
		t.Errorf("Inbox board lanes %q", got)
	}
	if got := cardsIn(snap, inbox.ID, "Open"); !reflect.DeepEqual(got, []string{"Ask the delegation about timing?"}) {
		t.Errorf("Inbox board: %q", got)
	}
	if len(snap.Boards) != 4 {
		t.Errorf("%d boards, want the 3 of the template and Inbox", len(snap.Boards))
	}
	// Edges become links: the label is the type, no label is "related";
	// an edge from a group is left out with a note.
	if want := []workspace.Link{{To: cardTitled(t, snap, "Monitoring mission agreed in principle").ID, Type: "depends-on"}}; !reflect.DeepEqual(t1.Links, want) {
		t.Errorf("links of t1: %+v", t1.Links)
	}
	if want := []workspace.Link{{To: l.ID, Type: workspace.LinkRelated}}; !reflect.DeepEqual(t2.Links, want) {
		t.Errorf("links of t2: %+v", t2.Links)
	}
	if sum.Links != 2 || len(sum.Notes) != 1 || !strings.Contains(sum.Notes[0], `edge "e3" does not join two cards`) {
		t.Errorf("summary links %d, notes %q", sum.Links, sum.Notes)
	}
	if sum.CardsCreated != 7 || sum.BoardsCreated != 1 || sum.SourcesCreated != 2 || sum.LanesCreated != 6 || sum.BoardsUpdated != 1 {
		t.Errorf("summary %+v", sum)
	}
	if !strings.HasPrefix(sum.String(), "Imported 7 new cards, 1 new board, 1 board updated, 6 new lanes, 2 new sources, 2 links") {
		t.Errorf("summary line %q", sum.String())
	}
	// Unknown keys are kept on the records they came with.
	if st := canvas.ReadStored(t1.Extra); st == nil || string(st.Keys["myplugin"]) != `{"pinned":true}` {
		t.Errorf("card extra %s", t1.Extra)
	}
	if st := canvas.ReadStored(t2.Extra); st == nil || len(st.Edges) != 1 || string(st.Edges[0].Keys["weight"]) != "3" ||
		string(st.Edges[0].Keys["fromEnd"]) != `"arrow"` || string(st.Edges[0].Keys["toEnd"]) != `"none"` || string(st.Edges[0].Keys["color"]) != `"2"` {
		t.Errorf("edge keys kept on its card: %s", t2.Extra)
	}
	if st := canvas.ReadStored(sec.Extra); st == nil || string(st.Keys["x-tool-layer"]) != "2" || string(st.Keys["background"]) != `"maps/ukraine.png"` {
		t.Errorf("board extra %s", sec.Extra)
	}
	if len(snap.Extras) != 1 || snap.Extras[0].Format != canvas.ExtraFormat || !strings.Contains(string(snap.Extras[0].Data), "Some canvas tool") ||
		len(snap.Meta.Extra) != 0 {
		t.Errorf("top-level keys %+v, header extra %s", snap.Extras, snap.Meta.Extra)
	}
}

// An import is one action: one journal entry, undone in one step.
func TestImport_OneActionUndoneWhole(t *testing.T) {
	s := mustCreate(t, "empty")
	before := state(t, s)
	beforeSnap := mustSnapshot(t, s)
	mustImport(t, s, readCanvas(t, "every-node.canvas"))
	log, err := s.Log(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if last := log[len(log)-1]; last.Action != "Import canvas" {
		t.Errorf("last action %q", last.Action)
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	after := mustSnapshot(t, s)
	if len(after.Cards) != len(beforeSnap.Cards) || len(after.Boards) != len(beforeSnap.Boards) || len(after.Sources) != len(beforeSnap.Sources) {
		t.Errorf("undo left %d cards, %d boards, %d sources", len(after.Cards), len(after.Boards), len(after.Sources))
	}
	if state(t, s) == before {
		t.Errorf("undo is a new journal entry; the state should show it")
	}
}

func TestImport_EmptyAndMinimal(t *testing.T) {
	s := mustCreate(t, "empty")
	before := state(t, s)
	sum := mustImport(t, s, readCanvas(t, "empty.canvas"))
	if sum.Changed() || sum.String() != "Nothing to import: the workspace already holds this canvas." {
		t.Errorf("empty canvas: %+v %q", sum, sum.String())
	}
	if state(t, s) != before {
		t.Errorf("an empty canvas changed the store")
	}
	sum = mustImport(t, s, readCanvas(t, "minimal.canvas"))
	snap := mustSnapshot(t, s)
	inbox := boardTitled(t, snap, canvas.InboxBoard)
	if got := cardsIn(snap, inbox.ID, "Open"); !reflect.DeepEqual(got, []string{"Hello"}) || sum.CardsCreated != 1 {
		t.Errorf("minimal canvas gave %q, %+v", got, sum)
	}
	// A second import of the same foreign canvas adds again, into the
	// Inbox board it made the first time.
	mustImport(t, s, readCanvas(t, "minimal.canvas"))
	snap = mustSnapshot(t, s)
	if got := cardsIn(snap, inbox.ID, "Open"); !reflect.DeepEqual(got, []string{"Hello", "Hello"}) || len(snap.Boards) != 4 {
		t.Errorf("second import gave %q in %d boards", got, len(snap.Boards))
	}
}

func TestImport_GroupRules(t *testing.T) {
	c, err := parseString(`{"nodes":[
		{"id":"b","type":"group","label":"  New\npillar ","x":0,"y":0,"width":1000,"height":1000},
		{"id":"l2","type":"group","label":"Later","x":500,"y":50,"width":400,"height":900},
		{"id":"l1","type":"group","x":50,"y":50,"width":400,"height":900},
		{"id":"d3","type":"group","label":"Deep","x":60,"y":300,"width":380,"height":600},
		{"id":"d4","type":"group","label":"Deeper","x":70,"y":500,"width":360,"height":300},
		{"id":"same","type":"group","label":"Same","x":70,"y":500,"width":360,"height":300},
		{"id":"c3","type":"text","text":"third","x":80,"y":600,"width":100,"height":50},
		{"id":"c1","type":"text","text":"first","x":80,"y":60,"width":100,"height":50},
		{"id":"c2","type":"text","text":"## second ##\nbody","x":80,"y":320,"width":100,"height":50},
		{"id":"c4","type":"text","text":"later","x":520,"y":60,"width":100,"height":50},
		{"id":"empty","type":"group","label":"","x":3000,"y":0,"width":10,"height":10},
		{"id":"overlap","type":"text","text":"half in","x":950,"y":950,"width":100,"height":100}
	]}`)
	if err != nil {
		t.Fatal(err)
	}
	s := mustCreate(t, "empty")
	mustImport(t, s, c)
	snap := mustSnapshot(t, s)
	b := boardTitled(t, snap, "New pillar")
	if got := laneNames(snap, b.ID); !reflect.DeepEqual(got, []string{canvas.UntitledLane, "Later"}) {
		t.Errorf("lanes %q", got)
	}
	if got := cardsIn(snap, b.ID, canvas.UntitledLane); !reflect.DeepEqual(got, []string{"first", "second", "third"}) {
		t.Errorf("cards of the first lane %q", got)
	}
	// Of two identical rectangles the one drawn later is the inner one;
	// every level below the lane adds its label as a tag.
	if got := cardTitled(t, snap, "third").Tags; !reflect.DeepEqual(got, []string{"Deep", "Deeper", "Same"}) {
		t.Errorf("tags of the deepest card %q", got)
	}
	if got := cardTitled(t, snap, "second"); !reflect.DeepEqual(got.Tags, []string{"Deep"}) || got.Body != "body" {
		t.Errorf("second: %+v", got)
	}
	// An empty group is an empty board; a node only half in a group is
	// outside it.
	if u := boardTitled(t, snap, canvas.UntitledBoard); len(snap.BoardCards(u.ID)) != 0 {
		t.Errorf("empty group has cards")
	}
	inbox := boardTitled(t, snap, canvas.InboxBoard)
	if got := cardsIn(snap, inbox.ID, "Open"); !reflect.DeepEqual(got, []string{"half in"}) {
		t.Errorf("Inbox %q", got)
	}
}

func TestImport_TextToTitle(t *testing.T) {
	long := strings.Repeat("word ", 150)
	cases := []struct{ text, title, body string }{
		{"# Heading\n\nBody", "Heading", "Body"},
		{"\n\n  First line  \nsecond\n\n", "First line", "second"},
		{"Setext title\n=====\nrest", "Setext title", "rest"},
		{"### Closed heading ###", "Closed heading", ""},
		{"#hashtag start", "#hashtag start", ""},
		{"", canvas.UntitledCard, ""},
		{"   \n ", canvas.UntitledCard, ""},
		{"a\x00b\nc", "a b", "c"},
		{long, strings.TrimSpace(long[:200]) + "…", strings.TrimSpace(long)},
	}
	for _, tc := range cases {
		title, body := canvas.SplitText(tc.text)
		title = strings.ReplaceAll(title, "\x00", " ")
		if title != tc.title || body != tc.body {
			t.Errorf("SplitText(%q) = %q, %q; want %q, %q", tc.text, title, body, tc.title, tc.body)
		}
	}
}

// Files that are valid JSON Canvas but carry a damaged Briefboard key, or
// records Briefboard refuses, import nothing: the store is as it was.
func TestImport_BadFilesImportNothing(t *testing.T) {
	card := func(info string) string {
		return `{"nodes":[{"id":"ok","type":"text","text":"fine","x":0,"y":0,"width":10,"height":10},` +
			`{"id":"n","type":"text","text":"# T","x":0,"y":100,"width":10,"height":10,"briefboard":` + info + `}]}`
	}
	var groups strings.Builder
	groups.WriteString(`{"nodes":[`)
	for i := 0; i <= canvas.MaxGroups; i++ {
		if i > 0 {
			groups.WriteByte(',')
		}
		fmt.Fprintf(&groups, `{"id":"g%d","type":"group","x":%d,"y":0,"width":10,"height":10}`, i, i*20)
	}
	groups.WriteString(`]}`)
	cases := []struct{ name, in, want string }{
		{"damaged card key", card(`"x"`), `the "briefboard" key of node "n" is damaged`},
		{"unknown kind", card(`{"card":"x","title":"T","kind":"gossip"}`), `node "n": card kind "gossip" is not one of`},
		{"bad TLP", card(`{"card":"x","title":"T","tlp":"purple"}`), `the "briefboard" key of node "n" is damaged`},
		{"bad likelihood", card(`{"card":"x","title":"T","likelihood":"maybe"}`), `likelihood "maybe" is not an ICD 203 term`},
		{"bad tag", card(`{"card":"x","title":"T","tags":["a,b"]}`), `tag "a,b" contains a comma`},
		{"damaged group key", `{"nodes":[{"id":"g","type":"group","x":0,"y":0,"width":10,"height":10,"briefboard":[1]}]}`, `the "briefboard" key of group "g" is damaged`},
		{"damaged top key", `{"briefboard":{"format":"other"}}`, `has format "other"`},
		{"newer format", `{"briefboard":{"format":"briefboard-canvas","version":9}}`, "written by a newer Briefboard"},
		{"bad source", `{"briefboard":{"format":"briefboard-canvas","version":1,"sources":[{"id":"s1","title":"","grade":{},"tlp":"clear"}]}}`, `source "": The source title cannot be empty`},
		{"source without id", `{"briefboard":{"format":"briefboard-canvas","version":1,"sources":[{"title":"x"}]}}`, "source #1 of the top-level"},
		{"too many groups", groups.String(), "the canvas has 5001 groups; Briefboard imports at most 5000"},
	}
	s := mustCreate(t, "three-pillars")
	before := state(t, s)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseString(tc.in)
			if err != nil {
				t.Fatalf("the reader refused it: %v", err)
			}
			sum, err := canvas.Import(s, c)
			if err == nil {
				t.Fatalf("imported: %+v", sum)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\n does not say %q", err, tc.want)
			}
			if state(t, s) != before {
				t.Errorf("the store changed")
			}
		})
	}
	if !errors.Is(func() error {
		c, _ := parseString(card(`{"card":"x","title":"T","kind":"gossip"}`))
		_, err := canvas.Import(s, c)
		return err
	}(), workspace.ErrInvalid) {
		t.Errorf("a refused card is not workspace.ErrInvalid")
	}
}

// What an import cannot keep as it is, it keeps another way or notes.
func TestImport_NotesWhatItChanges(t *testing.T) {
	longLabel := strings.Repeat("conditional on ", 6)
	var edges []string
	for i := 0; i < workspace.MaxLinks+1; i++ {
		edges = append(edges, fmt.Sprintf(`{"id":"m%d","fromNode":"a","toNode":"b","label":"x%d"}`, i, i))
	}
	c, err := parseString(`{"nodes":[
		{"id":"a","type":"text","text":"A","x":0,"y":0,"width":10,"height":10},
		{"id":"b","type":"text","text":"B","x":0,"y":100,"width":10,"height":10},
		{"id":"big","type":"text","text":"Big\n` + strings.Repeat("y", workspace.MaxBody+10) + `","x":0,"y":200,"width":10,"height":10},
		{"id":"u","type":"link","url":"http://exa mple.com/%zz","x":0,"y":300,"width":10,"height":10}
	],"edges":[
		{"id":"self","fromNode":"a","toNode":"a"},
		{"id":"long","fromNode":"b","toNode":"a","label":"` + longLabel + `"},
		` + strings.Join(edges, ",") + `]}`)
	if err != nil {
		t.Fatal(err)
	}
	s := mustCreate(t, "empty")
	sum := mustImport(t, s, c)
	notes := strings.Join(sum.Notes, "\n")
	for _, want := range []string{`edge "self" joins node "a" to itself`, `edge "long": its label is longer than a link type may be`,
		`edge "m200": node "a" already has 200 links`, `node "big": its text is 100010 characters long; the card keeps the first 100000`,
		`node "u": its address does not fit a source's origin`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	snap := mustSnapshot(t, s)
	b := cardTitled(t, snap, "B")
	if len(b.Links) != 1 || b.Links[0].Type != strings.TrimSpace(longLabel[:workspace.MaxTag]) {
		t.Errorf("long label link %+v", b.Links)
	}
	if st := canvas.ReadStored(b.Extra); st == nil || string(st.Edges[0].Keys["label"]) != fmt.Sprintf("%q", longLabel) {
		t.Errorf("the full label is not kept: %s", b.Extra)
	}
	if a := cardTitled(t, snap, "A"); len(a.Links) != workspace.MaxLinks {
		t.Errorf("A has %d links", len(a.Links))
	}
	u := cardTitled(t, snap, "http://exa mple.com/%zz")
	if src := snap.SourceByID[u.Citations[0].Source]; src.Origin != "" || src.Notes != "http://exa mple.com/%zz" {
		t.Errorf("odd address kept as %+v", src)
	}
}

// The same file or address cited by several nodes is one source, and a
// source the workspace has already is reused.
func TestImport_SourcesAreShared(t *testing.T) {
	s := mustCreate(t, "empty")
	src, err := s.AddSource(workspace.Source{Title: "Known", Origin: "https://example.com/a"}, true)
	if err != nil {
		t.Fatal(err)
	}
	c, err := parseString(`{"nodes":[
		{"id":"a","type":"link","url":"https://example.com/a","x":0,"y":0,"width":10,"height":10},
		{"id":"b","type":"file","file":"notes/x.md","x":0,"y":100,"width":10,"height":10},
		{"id":"c","type":"file","file":"notes/x.md","x":0,"y":200,"width":10,"height":10}]}`)
	if err != nil {
		t.Fatal(err)
	}
	sum := mustImport(t, s, c)
	snap := mustSnapshot(t, s)
	if sum.SourcesCreated != 1 || len(snap.Sources) != 2 {
		t.Errorf("%d sources created, %d in all", sum.SourcesCreated, len(snap.Sources))
	}
	if a := cardTitled(t, snap, "example.com/a"); a.Citations[0].Source != src.ID {
		t.Errorf("link card cites %s, not the known source", a.Citations[0].Source)
	}
	var cited []string
	for _, c := range snap.Cards {
		if c.Title == "x.md" {
			cited = append(cited, c.Citations[0].Source)
		}
	}
	if len(cited) != 2 || cited[0] != cited[1] {
		t.Errorf("file cards cite %q", cited)
	}
}

// A canvas's own fields under the Briefboard key survive being moved
// between workspaces: parties are added for positions, sources created.
func TestImport_BriefboardKeys(t *testing.T) {
	info := canvas.CardInfo{Card: "from-elsewhere", Title: "Keyed", Kind: workspace.KindJudgment,
		Likelihood: workspace.LikelihoodLikely, Confidence: workspace.ConfidenceModerate,
		Tags: []string{"ceasefire"}, Citations: []workspace.Citation{{Source: "s1", Quote: "we are close"}, {Source: "gone"}},
		Positions:   map[string]workspace.Position{"us": {Stance: workspace.StanceSupports}, "xx": {Stance: workspace.StanceOpposes, Note: "n"}, "zz": {Stance: workspace.StanceUnknown}},
		Annotations: []canvas.AnnotationInfo{{ID: "a1", Author: "K. L.", Kind: workspace.AnnCaveat, Text: "Single source", TLP: workspace.TLPAmber, At: time.Date(2025, 12, 28, 10, 0, 0, 0, time.UTC)}},
		CreatedBy:   "K. L.", CreatedAt: time.Date(2025, 12, 27, 8, 0, 0, 0, time.UTC)}
	red := workspace.TLPRed
	info.TLP = &red
	raw, _ := json.Marshal(info)
	top := canvas.FileInfo{Format: canvas.Format, Version: 1,
		Workspace: &canvas.WorkspaceInfo{ID: "w", Title: "Other", Parties: []workspace.Party{{ID: "xx", Name: "Xland", Short: "XL"}}},
		Sources:   []*workspace.Source{{Base: workspace.Base{ID: "s1"}, Title: "Cable", Origin: "Embassy", Grade: workspace.Grade{Reliability: "B", Credibility: 2}, TLP: workspace.TLPAmber}}}
	topRaw, _ := json.Marshal(top)
	c := &canvas.Canvas{Nodes: []*canvas.Node{{ID: "n", Type: canvas.TypeText, Text: "# Keyed\n\nEdited elsewhere, so the digest does not match.\n\n---\nTLP:RED · old footer",
		Width: 10, Height: 10, Extra: map[string]json.RawMessage{canvas.Key: raw}}},
		Extra: map[string]json.RawMessage{canvas.Key: topRaw}}
	s := mustCreate(t, "empty")
	sum := mustImport(t, s, c)
	snap := mustSnapshot(t, s)
	k := cardTitled(t, snap, "Keyed")
	if k.ID == "from-elsewhere" {
		t.Errorf("a card from another workspace kept its id")
	}
	if k.Body != "Edited elsewhere, so the digest does not match." || k.Kind != workspace.KindJudgment || k.TLP != workspace.TLPRed ||
		k.Likelihood != workspace.LikelihoodLikely || k.Confidence != workspace.ConfidenceModerate || !reflect.DeepEqual(k.Tags, []string{"ceasefire"}) ||
		k.CreatedBy != "K. L." || !k.CreatedAt.Equal(info.CreatedAt) {
		t.Errorf("keyed card %+v", k)
	}
	if len(k.Citations) != 1 || k.Citations[0].Quote != "we are close" {
		t.Fatalf("citations %+v", k.Citations)
	}
	if src := snap.SourceByID[k.Citations[0].Source]; src.Title != "Cable" || src.Grade.String() != "B2" || src.TLP != workspace.TLPAmber || src.ID == "s1" {
		t.Errorf("source %+v", src)
	}
	if len(k.Positions) != 2 || k.Positions["xx"].Note != "n" || snap.Party("xx") == nil || snap.Party("xx").Name != "Xland" || sum.PartiesAdded != 1 {
		t.Errorf("positions %+v, parties %+v", k.Positions, snap.Meta.Parties)
	}
	anns := snap.Annotations[k.ID]
	if len(anns) != 1 || anns[0].Text != "Single source" || anns[0].Author != "K. L." || anns[0].TLP != workspace.TLPAmber || !anns[0].At.Equal(info.Annotations[0].At) {
		t.Errorf("annotations %+v", anns)
	}
	notes := strings.Join(sum.Notes, "\n")
	if !strings.Contains(notes, `cites source "gone"`) || !strings.Contains(notes, `position for party "zz"`) {
		t.Errorf("notes %q", sum.Notes)
	}
}
