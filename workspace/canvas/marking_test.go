package canvas_test

import (
	"encoding/json"
	"strings"
	"testing"

	"briefboard/workspace"
	"briefboard/workspace/canvas"
)

// The five TLP 2.0 labels, in any case and only whole: AMBER+STRICT is not
// AMBER, REDACTED is not RED; several labels give the strictest.
func TestTextMarking(t *testing.T) {
	cases := []struct {
		text string
		want workspace.TLP
		ok   bool
	}{
		{"TLP:RED", workspace.TLPRed, true},
		{"tlp:red", workspace.TLPRed, true},
		{"Tlp:Green.", workspace.TLPGreen, true},
		{"(TLP:CLEAR)", workspace.TLPClear, true},
		{"TLP:AMBER", workspace.TLPAmber, true},
		{"TLP:AMBER+STRICT", workspace.TLPAmberStrict, true},
		{"tlp:amber+strict, then TLP:AMBER", workspace.TLPAmberStrict, true},
		{"**TLP:AMBER**", workspace.TLPAmber, true},
		{"_TLP:GREEN_", workspace.TLPGreen, true},
		{"#TLP:RED", workspace.TLPRed, true},
		{"# Title\n\nBody\n\n---\nTLP:AMBER+STRICT · Note", workspace.TLPAmberStrict, true},
		{"TLP:GREEN here and TLP:RED there and tlp:clear", workspace.TLPRed, true},
		{"TLP:REDACTED", 0, false},
		{"XTLP:RED", 0, false},
		{"TLP2:RED", 0, false},
		{"TLP:AMBER+STRICTLY", 0, false},
		{"TLP:AMBER+", 0, false},
		{"TLP:WHITE", 0, false},
		{"TLP: RED", 0, false},
		{"TLP:RЕD", 0, false}, // a Cyrillic Е
		{"İTLP:RED", workspace.TLPRed, true},
		{"no label at all", 0, false},
		{"", 0, false},
	}
	for _, tc := range cases {
		got, ok := canvas.TextMarking(tc.text)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("TextMarking(%q) = %s, %v; want %s, %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}

// homeOf returns group nodes, with Briefboard's keys, for a card's board
// and lane: a node at (40, 40) lies in them.
func homeOf(snap *workspace.Snapshot, c *workspace.Card) string {
	b, l := snap.Board(c.Board), snap.Lane(c.Lane)
	bi, _ := json.Marshal(canvas.GroupInfo{Board: b.ID, Purpose: b.Purpose})
	li, _ := json.Marshal(canvas.GroupInfo{Lane: l.ID})
	bl, _ := json.Marshal(b.Title)
	ll, _ := json.Marshal(l.Name)
	return `{"id":"gb","type":"group","label":` + string(bl) + `,"x":0,"y":0,"width":1000,"height":1000,"briefboard":` + string(bi) + `},` +
		`{"id":"gl","type":"group","label":` + string(ll) + `,"x":20,"y":20,"width":400,"height":900,"briefboard":` + string(li) + `},`
}

// cardOwnAndEffective returns a card's own marking and its effective one.
func cardOwnAndEffective(tb testing.TB, snap *workspace.Snapshot, title string) (own, eff workspace.TLP) {
	tb.Helper()
	c := cardTitled(tb, snap, title)
	return c.TLP, snap.Marking(c)
}

// Without Briefboard's key, a label in a node's text is the card's
// marking; with the key, the stricter of key and text counts.
func TestImport_LabelInTextIsTheMarking(t *testing.T) {
	green := workspace.TLPGreen
	red := workspace.TLPRed
	key := func(title string, t *workspace.TLP) string {
		b, _ := json.Marshal(canvas.CardInfo{Card: "x-" + strings.ToLower(title), Title: title, Kind: workspace.KindNote, TLP: t})
		return string(b)
	}
	c, err := parseString(`{"nodes":[
		{"id":"a","type":"text","text":"# Strict\n\nTLP:AMBER+STRICT","x":0,"y":0,"width":100,"height":50},
		{"id":"b","type":"text","text":"# Lower case\n\nshared as tlp:red only","x":0,"y":100,"width":100,"height":50},
		{"id":"c","type":"text","text":"# Two labels\n\nTLP:GREEN, later TLP:AMBER","x":0,"y":200,"width":100,"height":50},
		{"id":"d","type":"text","text":"# No label\n\nTLP:REDACTED is not a label","x":0,"y":300,"width":100,"height":50},
		{"id":"e","type":"text","text":"# Clear\n\nTLP:CLEAR","x":0,"y":400,"width":100,"height":50},
		{"id":"f","type":"text","text":"# Key green text red\n\nTLP:RED","x":0,"y":500,"width":100,"height":50,"briefboard":` + key("Key green text red", &green) + `},
		{"id":"g","type":"text","text":"# Key red text green\n\nTLP:GREEN","x":0,"y":600,"width":100,"height":50,"briefboard":` + key("Key red text green", &red) + `}
	],"edges":[]}`)
	if err != nil {
		t.Fatal(err)
	}
	s := mustCreate(t, "empty")
	def := mustSnapshot(t, s).Meta.DefaultTLP
	mustImport(t, s, c)
	snap := mustSnapshot(t, s)
	for _, tc := range []struct {
		title string
		want  workspace.TLP
	}{
		{"Strict", workspace.TLPAmberStrict},
		{"Lower case", workspace.TLPRed},
		{"Two labels", workspace.TLPAmber},
		{"No label", def},
		{"Clear", workspace.TLPClear},
		{"Key green text red", workspace.TLPRed},
		{"Key red text green", workspace.TLPRed},
	} {
		if _, eff := cardOwnAndEffective(t, snap, tc.title); eff != tc.want {
			t.Errorf("card %q is %s, want %s", tc.title, eff, tc.want)
		}
	}
	// The label is the card's own marking when there is no key.
	if own, _ := cardOwnAndEffective(t, snap, "Strict"); own != workspace.TLPAmberStrict {
		t.Errorf("own marking %s", own)
	}
}

// A banner (the export's, or a text node that is nothing but a label) is
// no card, and floors everything the import writes: boards from groups,
// lanes, cards, links, sources and the canvas's unknown top-level keys. A
// node's own label can only raise it.
func TestImport_BannerFloorsEverything(t *testing.T) {
	for _, banner := range []string{
		`{"id":"banner","type":"text","text":"TLP:AMBER","x":0,"y":-300,"width":100,"height":50}`,
		`{"id":"banner","type":"text","text":"## tlp:amber","x":0,"y":-300,"width":100,"height":50}`,
		`{"id":"briefboard-tlp","type":"text","text":"# TLP:AMBER\n\nExported from Briefboard.","x":0,"y":-300,"width":100,"height":50}`,
		`{"id":"banner","type":"text","text":"# TLP:AMBER","x":0,"y":-300,"width":100,"height":50,"briefboard":{"banner":"amber"}}`,
	} {
		c, err := parseString(`{"nodes":[` + banner + `,
			{"id":"g","type":"group","label":"Pillar from the canvas","x":0,"y":0,"width":1000,"height":1000},
			{"id":"l","type":"group","label":"Lane from the canvas","x":20,"y":20,"width":400,"height":900},
			{"id":"n1","type":"text","text":"# Plain note\n\nno label","x":40,"y":40,"width":100,"height":50},
			{"id":"n2","type":"text","text":"# Green note\n\nTLP:GREEN","x":40,"y":140,"width":100,"height":50},
			{"id":"n3","type":"text","text":"# Red note\n\nTLP:RED","x":40,"y":240,"width":100,"height":50},
			{"id":"f","type":"link","url":"https://example.org/a","x":40,"y":340,"width":100,"height":50},
			{"id":"out","type":"text","text":"Outside every group","x":3000,"y":0,"width":100,"height":50}
		],"edges":[{"id":"e1","fromNode":"n1","toNode":"n3","label":"depends-on","x-weight":2}],
		"xtop":{"secret":"top-level text"}}`)
		if err != nil {
			t.Fatal(err)
		}
		s := mustCreate(t, "empty")
		sum := mustImport(t, s, c)
		snap := mustSnapshot(t, s)
		amber := workspace.TLPAmber
		atLeast := func(what string, r workspace.Record, want workspace.TLP) {
			t.Helper()
			if got := snap.Marking(r); workspace.Stricter(got, want) != got {
				t.Errorf("banner %s: %s is %s, want at least %s", banner, what, got, want)
			}
		}
		b := boardTitled(t, snap, "Pillar from the canvas")
		atLeast("the board", b, amber)
		for _, l := range snap.Lanes[b.ID] {
			atLeast("lane "+l.Name, l, amber)
		}
		atLeast("the Inbox board", boardTitled(t, snap, canvas.InboxBoard), amber)
		for _, title := range []string{"Plain note", "Green note", "Outside every group", "example.org/a"} {
			atLeast("card "+title, cardTitled(t, snap, title), amber)
		}
		if _, eff := cardOwnAndEffective(t, snap, "Red note"); eff != workspace.TLPRed {
			t.Errorf("a node's own label raises the banner's: %s", eff)
		}
		for _, src := range snap.Sources {
			atLeast("source "+src.Title, src, amber)
		}
		if len(snap.Extras) != 1 || !strings.Contains(string(snap.Extras[0].Data), "top-level text") {
			t.Fatalf("the unknown top-level key is not kept: %+v", snap.Extras)
		}
		if got := snap.Marking(snap.Extras[0]); got != amber {
			t.Errorf("top-level keys kept at %s, want the banner's %s", got, amber)
		}
		// The banner is no card.
		if sum.CardsCreated != 5 {
			t.Errorf("banner %s: %d cards created, want 5", banner, sum.CardsCreated)
		}
		for _, card := range snap.Cards {
			if strings.Contains(strings.ToUpper(card.Title), "TLP:AMBER") {
				t.Errorf("the banner became card %q", card.Title)
			}
		}
		// And the workspace header is left at its marking: the canvas
		// added nothing to it.
		if got := snap.Marking(&snap.Meta); got != workspace.TLPClear {
			t.Errorf("header is %s", got)
		}
	}
}

// A canvas without a banner, without labels and without keys imports as
// before: cards at the workspace's default marking, boards and lanes
// CLEAR; the top-level keys are kept at the default marking.
func TestImport_NoMarkingsGivesTheDefaults(t *testing.T) {
	c, err := parseString(`{"nodes":[
		{"id":"g","type":"group","label":"Board","x":0,"y":0,"width":1000,"height":1000},
		{"id":"n1","type":"text","text":"# Plain","x":40,"y":40,"width":100,"height":50}
	],"edges":[],"xtop":1}`)
	if err != nil {
		t.Fatal(err)
	}
	s := mustCreate(t, "empty")
	mustImport(t, s, c)
	snap := mustSnapshot(t, s)
	b := boardTitled(t, snap, "Board")
	if snap.Marking(b) != workspace.TLPClear {
		t.Errorf("board %s", snap.Marking(b))
	}
	if own, eff := cardOwnAndEffective(t, snap, "Plain"); own != snap.Meta.DefaultTLP || eff != own {
		t.Errorf("card %s / %s", own, eff)
	}
	if len(snap.Extras) != 1 || snap.Extras[0].TLP != snap.Meta.DefaultTLP || string(snap.Extras[0].Data) != `{"xtop":1}` ||
		snap.Extras[0].Format != canvas.ExtraFormat {
		t.Errorf("extras %+v", snap.Extras)
	}
}

// An import never lowers a marking: a canvas that marks a card lower than
// the workspace does leaves it at its marking, with a note.
func TestImport_NeverLowersAMarking(t *testing.T) {
	s := mustCreate(t, "empty")
	snap := mustSnapshot(t, s)
	board := snap.Boards[0]
	var id string
	_, err := s.Do("Add", func(tx *workspace.Tx) error {
		red := workspace.TLPRed
		c, err := tx.AddCard(workspace.CardDraft{Board: board.ID, Title: "Held red", Body: "Secret body", TLP: &red})
		id = c.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	snap = mustSnapshot(t, s)
	green := workspace.TLPGreen
	info, _ := json.Marshal(canvas.CardInfo{Card: id, Title: "Held red", Kind: workspace.KindNote, TLP: &green})
	c, err := parseString(`{"nodes":[` + homeOf(snap, snap.Cards[id]) + `{"id":"` + id + `","type":"text","text":"# Held red\n\nSecret body, edited\n\nTLP:GREEN",` +
		`"x":40,"y":40,"width":100,"height":50,"briefboard":` + string(info) + `}],"edges":[]}`)
	if err != nil {
		t.Fatal(err)
	}
	sum := mustImport(t, s, c)
	snap = mustSnapshot(t, s)
	got := snap.Cards[id]
	if got.TLP != workspace.TLPRed || snap.Marking(got) != workspace.TLPRed || !strings.Contains(got.Body, "edited") {
		t.Errorf("card %s (own %s): %q", snap.Marking(got), got.TLP, got.Body)
	}
	if !strings.Contains(strings.Join(sum.Notes, "\n"), "never lowers") {
		t.Errorf("notes %q", sum.Notes)
	}
}

// A label added to the text of a card the import would otherwise leave
// as it is raises it; a label the card's marking already covers changes
// nothing.
func TestImport_LabelRaisesAnUnchangedCard(t *testing.T) {
	s := mustCreate(t, "empty")
	snap := mustSnapshot(t, s)
	board := snap.Boards[0]
	var id string
	_, err := s.Do("Add", func(tx *workspace.Tx) error {
		green := workspace.TLPGreen
		c, err := tx.AddCard(workspace.CardDraft{Board: board.ID, Title: "Was green", Body: "Body", TLP: &green})
		id = c.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	snap = mustSnapshot(t, s)
	green := workspace.TLPGreen
	node := func(label string) *canvas.Canvas {
		info, _ := json.Marshal(canvas.CardInfo{Card: id, Title: "Was green", Kind: workspace.KindNote, TLP: &green})
		c, err := parseString(`{"nodes":[` + homeOf(snap, snap.Cards[id]) + `{"id":"` + id + `","type":"text","text":"# Was green\n\nBody\n\n---\n` + label + `",` +
			`"x":40,"y":40,"width":100,"height":50,"briefboard":` + string(info) + `}],"edges":[]}`)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	before := state(t, s)
	if sum := mustImport(t, s, node("TLP:GREEN")); sum.Changed() || state(t, s) != before {
		t.Errorf("a label the marking covers changed something: %+v", sum)
	}
	sum := mustImport(t, s, node("TLP:AMBER"))
	snap = mustSnapshot(t, s)
	if got := snap.Marking(snap.Cards[id]); got != workspace.TLPAmber || sum.CardsUpdated != 1 {
		t.Errorf("card %s, summary %+v", got, sum)
	}
}
