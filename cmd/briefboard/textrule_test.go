package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/workspace"
)

// disguising are characters titles, tags, lane and board names refuse:
// control characters and every bidirectional embedding, override and
// isolate.
var disguising = []rune{0x07, '\t', '\n', '\r', 0x1b, 0x7f, 0x9b,
	0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069}

func TestCLI_RefusesControlAndDirectionCharactersWithTheirName(t *testing.T) {
	dir := newDemo(t)
	l := listJSON(t, dir)
	board := l["boards"].([]any)[0].(map[string]any)["id"].(string)
	card := l["boards"].([]any)[0].(map[string]any)["cards"].([]any)[0].(map[string]any)["id"].(string)
	before := mustBB(t, "list", "--json", "--workspace", dir)
	// A positive control: the same commands take text in other scripts.
	mustBB(t, "card", "edit", "--workspace", dir, "--id", card, "--tags", "київ,الرياض")
	before = mustBB(t, "list", "--json", "--workspace", dir)
	for _, r := range disguising {
		bad := "ab" + string(r) + "cd"
		for _, tc := range []struct {
			args  []string
			label string
		}{
			{[]string{"card", "add", "--workspace", dir, "--board", board, "--title", bad}, "The card title"},
			{[]string{"card", "edit", "--workspace", dir, "--id", card, "--title", bad}, "The card title"},
			{[]string{"card", "edit", "--workspace", dir, "--id", card, "--tags", "fine," + bad}, "A tag"},
		} {
			stdout, stderr, code := bb(t, tc.args...)
			want := fmt.Sprintf("%s contains %s at character 3.", tc.label, workspace.CharName(r))
			if code == 0 || stdout != "" || !strings.HasPrefix(stderr, "briefboard: ") || !strings.Contains(stderr, want) ||
				strings.Count(stderr, "\n") != 1 || strings.ContainsRune(stderr, r) && r != '\n' {
				t.Errorf("%s with U+%04X: exit %d, stderr %q; want one line saying %q", tc.args[:2], r, code, stderr, want)
			}
		}
	}
	if after := mustBB(t, "list", "--json", "--workspace", dir); after != before {
		t.Fatal("a refused command changed the workspace")
	}
}

func TestCLI_CanvasImportObeysTheCharacterRule(t *testing.T) {
	dir := newDemo(t)
	before := mustBB(t, "list", "--json", "--workspace", dir)
	canvasOf := func(text string) string {
		node := map[string]any{"id": "n1", "type": "text", "text": text, "x": 0, "y": 0, "width": 250, "height": 60}
		b, err := json.Marshal(map[string]any{"nodes": []any{node}})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "in.canvas")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, r := range disguising {
		if r == '\n' || r == '\r' || r == '\t' {
			continue // a text node's first line is its title: these end or pad it
		}
		_, stderr, code := bb(t, "canvas", "import", canvasOf("ab"+string(r)+"cd\nThe body."), "--workspace", dir)
		want := fmt.Sprintf("contains %s at character 3.", workspace.CharName(r))
		if code != 1 || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("canvas with U+%04X in a title: exit %d, stderr %q; want %q", r, code, stderr, want)
		}
	}
	if after := mustBB(t, "list", "--json", "--workspace", dir); after != before {
		t.Fatal("a refused canvas changed the workspace")
	}
	// The positive control: the same canvas with a plain title imports.
	mustBB(t, "canvas", "import", canvasOf("Plain title, Київ\nThe body."), "--workspace", dir)
	if !strings.Contains(mustBB(t, "list", "--json", "--workspace", dir), "Plain title, Київ") {
		t.Fatal("the plain canvas card is not in the workspace")
	}
}
