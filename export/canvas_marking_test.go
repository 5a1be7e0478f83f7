package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefboard/export"
	"briefboard/workspace"
	"briefboard/workspace/canvas"
)

// stripKeys is a canvas as a tool that drops the keys it does not know
// saves it: without any "briefboard" key, on the top level, nodes or
// edges.
func stripKeys(tb testing.TB, data []byte) []byte {
	tb.Helper()
	if !bytes.Contains(data, []byte(`"`+canvas.Key+`"`)) {
		tb.Fatal("the export has no Briefboard key to drop")
	}
	c := canvasParse(tb, data)
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

// withoutNode returns the canvas without one node.
func withoutNode(tb testing.TB, data []byte, id string) []byte {
	tb.Helper()
	c := canvasParse(tb, data)
	kept := c.Nodes[:0]
	for _, n := range c.Nodes {
		if n.ID != id {
			kept = append(kept, n)
		}
	}
	if len(kept) == len(c.Nodes) {
		tb.Fatalf("no node %s", id)
	}
	c.Nodes = kept
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func canvasAt(tb testing.TB, s *workspace.Store, cap *workspace.TLP) ([]byte, *export.CanvasReport) {
	tb.Helper()
	var buf bytes.Buffer
	rep, err := export.CanvasWith(&buf, canvasSnap(tb, s), export.CanvasOptions{MaxTLP: cap})
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), rep
}

func shareAt(tb testing.TB, s *workspace.Store, cap *workspace.TLP) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := s.Share(&buf, workspace.ShareOptions{MaxTLP: cap}); err != nil {
		tb.Fatalf("share: %v", err)
	}
	return buf.Bytes()
}

// shareRecords is the records entry of a plain share file, unzipped.
func shareRecords(tb testing.TB, data []byte) string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "records.jsonl" {
			rc, err := f.Open()
			if err != nil {
				tb.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				tb.Fatal(err)
			}
			return string(b)
		}
	}
	tb.Fatal("no records in the share file")
	return ""
}

func copyFromShare(tb testing.TB, data []byte) *workspace.Store {
	tb.Helper()
	sf, err := workspace.ReadShare(bytes.NewReader(data), nil)
	if err != nil {
		tb.Fatal(err)
	}
	c, _, err := workspace.CreateFromShare(filepath.Join(tb.TempDir(), "copy"), sf, workspace.Options{Now: fixedClock()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

func cardNamed(snap *workspace.Snapshot, title string) *workspace.Card {
	for _, c := range snap.Cards {
		if c.Title == title {
			return c
		}
	}
	return nil
}

// Case 5: a canvas exported at a cap, saved by a tool that drops
// Briefboard's keys and imported again, gives each card its marking back
// from the label in its text (its own marking field), raised to the
// banner's; without the banner, each card is at its marking exactly.
func TestCanvas_MarkingsSurviveAToolThatDropsTheKeys(t *testing.T) {
	src := canvasStore(t, "three-pillars")
	snap := canvasSnap(t, src)
	for _, cap := range []workspace.TLP{workspace.TLPRed, workspace.TLPAmber} {
		data, rep := canvasAt(t, src, &cap)
		stripped := stripKeys(t, data)
		for _, banner := range []bool{true, false} {
			in := stripped
			if !banner {
				in = withoutNode(t, stripped, export.CanvasBannerID)
			}
			dst := canvasStore(t, "empty")
			before := len(canvasSnap(t, dst).Cards)
			canvasImport(t, dst, in)
			got := canvasSnap(t, dst)
			if n := len(got.Cards) - before; n != rep.Cards {
				t.Errorf("cap %s, banner %v: %d cards came back, %d were written", cap, banner, n, rep.Cards)
			}
			lower := 0
			for _, c := range snap.Cards {
				want := snap.Marking(c)
				if !workspace.Allows(&cap, want) {
					continue
				}
				g := cardNamed(got, c.Title)
				if g == nil {
					t.Errorf("card %q did not come back", c.Title)
					continue
				}
				eff := want
				if banner {
					eff = workspace.Stricter(want, rep.TLP)
				}
				if g.TLP != want || got.Marking(g) != eff {
					t.Errorf("cap %s, banner %v: card %q came back at %s (own %s), want %s (own %s)", cap, banner, c.Title,
						got.Marking(g), g.TLP, eff, want)
				}
				if want != rep.TLP {
					lower++
				}
			}
			if lower == 0 {
				t.Errorf("cap %s: every card is at the banner's marking; the test shows nothing", cap)
			}
		}
	}
}

// A canvas whose banner says TLP:RED and whose top level carries an
// unknown key: the key's text stays out of every output capped below RED
// (canvas, share file, and what a copy made from that file exports),
// which still hold the workspace's GREEN card; outputs without a cap hold
// the key.
func TestCanvas_RedBannerKeepsTopLevelKeysOutOfGreenOutputs(t *testing.T) {
	const secret, partner, control = "SECRET-TOP-LEVEL-TEXT", "PARTNER-NOTE-TEXT", "GREEN-CONTROL-TEXT"
	s := canvasStore(t, "empty")
	board := canvasSnap(t, s).Boards[0]
	_, err := s.Do("Add", func(tx *workspace.Tx) error {
		green := workspace.TLPGreen
		_, err := tx.AddCard(workspace.CardDraft{Board: board.ID, Title: "Green control", Body: control, TLP: &green})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	canvasImport(t, s, []byte(`{"nodes":[
		{"id":"b","type":"text","text":"# TLP:RED\n\nFrom a partner","x":0,"y":-300,"width":400,"height":100,"briefboard":{"banner":"red"}},
		{"id":"n","type":"text","text":"# Partner note\n\n`+partner+`","x":0,"y":0,"width":400,"height":100}
	],"edges":[],"xtop":{"note":"`+secret+`"}}`))

	type output struct {
		name string
		text func(cap *workspace.TLP) string
	}
	outputs := []output{
		{"canvas", func(cap *workspace.TLP) string { b, _ := canvasAt(t, s, cap); return string(b) }},
		{"share file", func(cap *workspace.TLP) string { return shareRecords(t, shareAt(t, s, cap)) }},
		{"canvas of a copy made from the share file", func(cap *workspace.TLP) string {
			b, _ := canvasAt(t, copyFromShare(t, shareAt(t, s, cap)), nil)
			return string(b)
		}},
	}
	for _, o := range outputs {
		all := o.text(nil)
		if !strings.Contains(all, secret) || !strings.Contains(all, partner) || !strings.Contains(all, control) {
			t.Errorf("%s without a cap lacks the key, the partner's note or the control card", o.name)
		}
		for _, cap := range []workspace.TLP{workspace.TLPGreen, workspace.TLPAmber, workspace.TLPAmberStrict} {
			out := o.text(&cap)
			if strings.Contains(out, secret) {
				t.Errorf("%s at %s holds the top-level key of a RED canvas", o.name, cap)
			}
			if strings.Contains(out, partner) {
				t.Errorf("%s at %s holds a note of a RED canvas", o.name, cap)
			}
			if !strings.Contains(out, control) {
				t.Errorf("%s at %s lacks the GREEN card", o.name, cap)
			}
		}
	}
}

// Boards above the cap are left out whole (group, lanes, cards); the
// banner is the strictest effective marking the canvas holds, not the
// cap; a card shows its effective marking in its label and colour.
func TestCanvas_BoardsAboveTheCapAndTheBanner(t *testing.T) {
	s := canvasStore(t, "empty")
	snap := canvasSnap(t, s)
	open := snap.Boards[0]
	var redBoard *workspace.Board
	var amberLane *workspace.Lane
	_, err := s.Do("Set up", func(tx *workspace.Tx) error {
		var err error
		if redBoard, err = tx.AddBoard("Board marked red", "A purpose of the red board", []string{"Red lane one"}); err != nil {
			return err
		}
		clear, green := workspace.TLPClear, workspace.TLPGreen
		if _, err := tx.AddCard(workspace.CardDraft{Board: redBoard.ID, Title: "Clear card on the red board", TLP: &clear}); err != nil {
			return err
		}
		if _, err := tx.AddCard(workspace.CardDraft{Board: open.ID, Title: "Green card", TLP: &green}); err != nil {
			return err
		}
		amberLane = snap.Lanes[open.ID][1]
		_, err = tx.AddCard(workspace.CardDraft{Board: open.ID, Lane: amberLane.ID, Title: "Green card in an amber lane", TLP: &green})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetMarking(workspace.KeyOf(redBoard), workspace.TLPRed); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMarking(workspace.KeyOf(amberLane), workspace.TLPAmber); err != nil {
		t.Fatal(err)
	}
	snap = canvasSnap(t, s)
	redLanes := snap.Lanes[redBoard.ID]

	all, rep := canvasAt(t, s, nil)
	if rep.TLP != workspace.TLPRed {
		t.Errorf("uncapped banner %s", rep.TLP)
	}
	c := canvasParse(t, all)
	for _, n := range c.Nodes {
		if n.ID == cardNamed(snap, "Clear card on the red board").ID {
			if !strings.Contains(n.Text, "\n---\nTLP:RED") || n.Color != canvas.TLPColor(workspace.TLPRed) {
				t.Errorf("a CLEAR card on a RED board shows %q in colour %q", n.Text, n.Color)
			}
		}
		if n.ID == redBoard.ID {
			var gi canvas.GroupInfo
			if err := json.Unmarshal(n.Extra[canvas.Key], &gi); err != nil || gi.TLP == nil || *gi.TLP != workspace.TLPRed {
				t.Errorf("the group of the red board carries %s", n.Extra[canvas.Key])
			}
		}
	}

	amber := workspace.TLPAmber
	capped, rep := canvasAt(t, s, &amber)
	out := string(capped)
	for _, text := range []string{redBoard.ID, redBoard.Title, "A purpose of the red board", redLanes[0].ID, "Red lane one", "Clear card on the red board"} {
		if !strings.Contains(string(all), text) {
			t.Errorf("the uncapped canvas lacks %q", text)
		}
		if strings.Contains(out, text) {
			t.Errorf("the canvas capped at AMBER holds %q of the RED board", text)
		}
	}
	if !strings.Contains(out, "Green card in an amber lane") || !strings.Contains(out, `"text":"# Green card\n`) {
		t.Errorf("the capped canvas lacks the green cards")
	}
	if rep.TLP != workspace.TLPAmber || !strings.Contains(out, `"text":"# TLP:AMBER\n`) {
		t.Errorf("capped banner %s", rep.TLP)
	}
	green := workspace.TLPGreen
	_, rep = canvasAt(t, s, &green)
	if rep.TLP != workspace.TLPGreen {
		t.Errorf("the banner of a canvas capped at GREEN, which holds nothing above GREEN, is %s", rep.TLP)
	}

	// Without its banner and the file's own key, a board's marking comes
	// back from its group's key.
	c = canvasParse(t, withoutNode(t, all, export.CanvasBannerID))
	delete(c.Extra, canvas.Key)
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	dst := canvasStore(t, "empty")
	canvasImport(t, dst, buf.Bytes())
	got := canvasSnap(t, dst)
	for _, b := range got.Boards {
		if b.Title == redBoard.Title && b.TLP != workspace.TLPRed {
			t.Errorf("the red board came back %s", b.TLP)
		}
	}
}

// Importing an export into the workspace it came from changes nothing,
// also in a workspace with boards, lanes and cards at every marking.
func TestCanvas_ReimportWithMarkingsChangesNothing(t *testing.T) {
	s := canvasStore(t, "three-pillars")
	snap := canvasSnap(t, s)
	if err := s.SetMarking(workspace.KeyOf(snap.Boards[0]), workspace.TLPAmber); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMarking(workspace.KeyOf(snap.Lanes[snap.Boards[1].ID][0]), workspace.TLPAmberStrict); err != nil {
		t.Fatal(err)
	}
	for _, cap := range []*workspace.TLP{nil, func() *workspace.TLP { t := workspace.TLPAmber; return &t }()} {
		data, _ := canvasAt(t, s, cap)
		log1, _ := s.Log(time.Time{})
		sum := canvasImport(t, s, data)
		log2, _ := s.Log(time.Time{})
		if sum.Changed() || len(log2) != len(log1) || len(sum.Notes) != 0 {
			t.Errorf("re-import at cap %v changed something: %+v %q", cap, sum, sum.Notes)
		}
	}
}

// Top-level keys an earlier Briefboard kept in the workspace header are
// still written (at the header's marking); kept interchange data of the
// same key comes after them, and one above the cap is left out.
func TestCanvas_TopLevelKeysOfOlderWorkspaces(t *testing.T) {
	s := canvasStore(t, "empty")
	_, err := s.Do("Keep canvas keys", func(tx *workspace.Tx) error {
		m, err := tx.Meta()
		if err != nil {
			return err
		}
		m.Extra = json.RawMessage(`{"canvas":{"keys":{"x-old":"from the header","x-both":"header"}}}`)
		return tx.PutMeta(m)
	})
	if err != nil {
		t.Fatal(err)
	}
	top := func(cap *workspace.TLP) map[string]json.RawMessage {
		data, _ := canvasAt(t, s, cap)
		return canvasParse(t, data).Extra
	}
	if got := top(nil); string(got["x-old"]) != `"from the header"` || string(got["x-both"]) != `"header"` {
		t.Errorf("header keys %v", got)
	}
	canvasImport(t, s, []byte(`{"nodes":[{"id":"b","type":"text","text":"TLP:AMBER","x":0,"y":0,"width":10,"height":10}],`+
		`"edges":[],"x-both":"kept","x-new":"amber text"}`))
	green := workspace.TLPGreen
	got := top(nil)
	if string(got["x-old"]) != `"from the header"` || string(got["x-both"]) != `"kept"` || string(got["x-new"]) != `"amber text"` {
		t.Errorf("keys %v", got)
	}
	got = top(&green)
	if string(got["x-old"]) != `"from the header"` || string(got["x-both"]) != `"header"` || got["x-new"] != nil {
		t.Errorf("keys at GREEN %v", got)
	}
}
