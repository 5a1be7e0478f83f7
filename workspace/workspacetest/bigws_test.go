package workspacetest_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/export"
	"briefboard/workspace"
	"briefboard/workspace/canvas"
	"briefboard/workspace/workspacetest"
)

// The speed targets are measured on whole processes, so the generated
// workspace is also written out as files:
//
//	go test ./workspace/workspacetest -run TestWriteBigFixtures -bigdir DIR [-bigcards N]
//
// writes, for N generated cards (10,000 by default):
//
//	DIR/ws                 the workspace (list, share, export)
//	DIR/big.canvas         its JSON Canvas (canvas import)
//	DIR/big.briefboard     its share file (import into a new directory, or
//	                       into a copy of DIR/ws: nothing changed)
//	DIR/edited.briefboard  a colleague's copy in which every card was
//	                       edited (import into a copy of DIR/ws)
//	DIR/edited-ws          that colleague's copy
//
// and prints where the store's bytes go. Without -bigdir the test writes a
// small set to a temporary directory and checks it.
var (
	bigDir   = flag.String("bigdir", "", "write the benchmark fixtures to this directory (must not exist or be empty)")
	bigCards = flag.Int("bigcards", workspacetest.BigCards, "number of generated cards with -bigdir")
	keysOf   = flag.String("keybytes", "", "print where the bytes of this closed workspace go (TestKeyBytes)")
)

// TestKeyBytes prints where a store's bytes go, by key group:
//
//	go test ./workspace/workspacetest -run TestKeyBytes -keybytes DIR -v
//
// Without -keybytes it checks the count on a small generated workspace.
func TestKeyBytes(t *testing.T) {
	dir := *keysOf
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "ws")
		s, err := workspacetest.CreateBig(dir, 30, workspacetest.BigSeed, workspace.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	groups, err := workspacetest.KeyBytes(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	workspacetest.WriteKeyBytes(&b, groups)
	t.Logf("bytes by key group of %s:\n%s", dir, b.String())
	if *keysOf != "" {
		return
	}
	keys := map[string]int{}
	for _, g := range groups {
		keys[g.Group] = g.Keys
		if g.Keys > 0 && g.Bytes() <= 0 {
			t.Errorf("group %s has %d keys and no bytes", g.Group, g.Keys)
		}
	}
	for group, want := range map[string]int{"card/": 30, "stamp/card/": 30, "ann/": 60, "ix/": 30, "board/": 3, "lane/": 15} {
		if keys[group] != want {
			t.Errorf("group %s has %d keys, want %d", group, keys[group], want)
		}
	}
}

func TestWriteBigFixtures(t *testing.T) {
	dir, n := *bigDir, *bigCards
	if dir == "" {
		dir, n = t.TempDir(), 90
	}
	t.Logf("%d cards, seed %d, in %s", n, workspacetest.BigSeed, dir)
	writeBigFixtures(t, dir, n)

	// The workspace holds what the issue asks for: n cards of about 80
	// words on three boards of the default lanes, each with two
	// annotations and one to three quoted citations of graded sources.
	s, err := workspace.Open(filepath.Join(dir, "ws"), workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap := workspacetest.Snapshot(t, s)
	s.Close()
	if len(snap.Cards) != n || len(snap.Boards) != 3 {
		t.Fatalf("%d cards on %d boards, want %d on 3", len(snap.Cards), len(snap.Boards), n)
	}
	for _, b := range snap.Boards {
		var names []string
		for _, l := range snap.Lanes[b.ID] {
			names = append(names, l.Name)
		}
		if strings.Join(names, ",") != strings.Join(workspace.DefaultLanes, ",") {
			t.Errorf("board %q has lanes %v", b.Title, names)
		}
	}
	totalWords, bodies := 0, map[string]bool{}
	for _, c := range snap.Cards {
		w := len(strings.Fields(c.Body))
		if w < 60 || w > 110 {
			t.Errorf("card %q has %d words", c.Title, w)
		}
		totalWords += w
		bodies[c.Body] = true
		if len(c.Citations) < 1 || len(c.Citations) > 3 {
			t.Errorf("card %q has %d citations", c.Title, len(c.Citations))
		}
		for _, ci := range c.Citations {
			src := snap.SourceByID[ci.Source]
			if ci.Quote == "" || src == nil || src.Grade.IsZero() {
				t.Errorf("card %q cites %q without a quote or a graded source", c.Title, ci.Source)
			}
		}
		if got := len(snap.Annotations[c.ID]); got != 2 {
			t.Errorf("card %q has %d annotations", c.Title, got)
		}
	}
	if avg := totalWords / n; avg < 75 || avg > 85 {
		t.Errorf("cards average %d words, want about 80", avg)
	}
	if len(bodies) != n {
		t.Errorf("%d distinct bodies among %d cards", len(bodies), n)
	}

	// The canvas and the share files carry every card; the edited file
	// changed every body.
	f, err := os.Open(filepath.Join(dir, "big.canvas"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := canvas.Parse(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	cardNodes := 0
	for _, node := range c.Nodes {
		if node.Type == canvas.TypeText && bytes.Contains(node.Extra[canvas.Key], []byte(`"card"`)) {
			cardNodes++
		}
	}
	if cardNodes != n {
		t.Errorf("the canvas has %d card nodes, want %d", cardNodes, n)
	}
	plain := readShare(t, filepath.Join(dir, "big.briefboard"))
	edited := readShare(t, filepath.Join(dir, "edited.briefboard"))
	if plain.Manifest.Counts[workspace.RecCard] != n || plain.Manifest.Counts[workspace.RecAnnotation] != 2*n {
		t.Errorf("the share file counts %v", plain.Manifest.Counts)
	}
	before := cardBodies(plain)
	after := cardBodies(edited)
	if len(after) != n {
		t.Fatalf("the edited file has %d cards, want %d", len(after), n)
	}
	for id, body := range after {
		if before[id] == "" || before[id] == body {
			t.Errorf("card %s was not edited in the colleague's copy", id)
		}
	}
}

// TestBigTemplate_Deterministic checks that a seed gives the same text and
// another seed different text.
func TestBigTemplate_Deterministic(t *testing.T) {
	text := func(seed uint64) string {
		var b strings.Builder
		for _, board := range workspacetest.BigTemplate(30, seed).Boards {
			for _, c := range board.Cards {
				fmt.Fprintln(&b, c.Title, c.Body, c.Annotations[0].Text, c.Citations[0].Quote)
			}
		}
		return b.String()
	}
	if a, b := text(1), text(1); a != b {
		t.Error("the same seed gave different cards")
	}
	if a, b := text(1), text(2); a == b {
		t.Error("two seeds gave the same cards")
	}
}

func writeBigFixtures(t *testing.T, dir string, n int) {
	t.Helper()
	opts := workspace.Options{Now: workspacetest.Clock(workspacetest.Start)}
	s, err := workspacetest.CreateBig(filepath.Join(dir, "ws"), n, workspacetest.BigSeed, opts)
	if err != nil {
		t.Fatal(err)
	}
	snap := workspacetest.Snapshot(t, s)
	err = export.WriteFile(filepath.Join(dir, "big.canvas"), func(w io.Writer) error { return export.Canvas(w, snap) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ShareToFile(filepath.Join(dir, "big.briefboard"), workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	sf := readShare(t, filepath.Join(dir, "big.briefboard"))
	other, _, err := workspace.CreateFromShare(filepath.Join(dir, "edited-ws"), sf, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := workspacetest.ReviseAll(other, workspacetest.BigSeed); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ShareToFile(filepath.Join(dir, "edited.briefboard"), workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}

	groups, err := workspacetest.KeyBytes(filepath.Join(dir, "ws"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	workspacetest.WriteKeyBytes(&b, groups)
	t.Logf("bytes by key group of %s:\n%s", filepath.Join(dir, "ws"), b.String())
}

func readShare(t *testing.T, path string) *workspace.ShareFile {
	t.Helper()
	sf, err := workspace.ReadShareFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sf
}

func cardBodies(sf *workspace.ShareFile) map[string]string {
	out := map[string]string{}
	for _, r := range sf.Records {
		if c, ok := r.Record.(*workspace.Card); ok {
			out[c.ID] = c.Body
		}
	}
	return out
}
