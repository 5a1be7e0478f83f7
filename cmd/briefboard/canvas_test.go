package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/workspace/canvas"
)

func TestCLI_CanvasExportThenImport(t *testing.T) {
	demo := newDemo(t)
	out := filepath.Join(t.TempDir(), "demo.canvas")
	if stdout := mustBB(t, "canvas", "export", "--workspace", demo, "-o", out); stdout != "" {
		t.Errorf("export printed %q", stdout)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	c, err := canvas.Parse(f)
	f.Close()
	if err != nil {
		t.Fatalf("the export does not read back: %v", err)
	}
	if len(c.Nodes) != 4+20+34+1 || len(c.Edges) != 10 {
		t.Errorf("%d nodes, %d edges", len(c.Nodes), len(c.Edges))
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("the export left %d files beside it", len(entries)-1)
	}

	empty := filepath.Join(t.TempDir(), "empty")
	mustBB(t, "new", empty, "--template", "empty")
	// The file may come before or after the flags.
	stdout := mustBB(t, "canvas", "import", "--workspace", empty, out)
	if stdout != "Imported 34 new cards, 4 new boards, 20 new lanes, 7 new sources, 10 links, 13 annotations.\n" {
		t.Errorf("import printed %q", stdout)
	}
	l := listJSON(t, empty)
	if n := len(l["boards"].([]any)); n != 3+4 {
		t.Errorf("%d boards after the import", n)
	}
	// Importing it again where it came from changes nothing.
	if stdout := mustBB(t, "canvas", "import", out, "--workspace", demo); !strings.HasPrefix(stdout, "Nothing to import") {
		t.Errorf("re-import printed %q", stdout)
	}
	log := mustBB(t, "log", "--workspace", empty)
	if !strings.Contains(log, "Import canvas") {
		t.Errorf("log lacks the import:\n%s", log)
	}
}

func TestCLI_CanvasColourAndNotes(t *testing.T) {
	demo := newDemo(t)
	l := listJSON(t, demo)
	// Delete a card another links to: the export notes the link it leaves
	// out.
	var target string
	for _, b := range l["boards"].([]any) {
		for _, c := range b.(map[string]any)["cards"].([]any) {
			for _, ln := range c.(map[string]any)["links"].([]any) {
				if target == "" {
					target = ln.(map[string]any)["to"].(string)
				}
			}
		}
	}
	mustBB(t, "card", "delete", "--workspace", demo, "--id", target)
	out := filepath.Join(t.TempDir(), "kind.canvas")
	stdout, stderr, code := bb(t, "canvas", "export", "--workspace", demo, "-o", out, "--color-by", "kind")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "briefboard: note: card ") || !strings.Contains(stderr, "the link was left out") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	data, _ := os.ReadFile(out)
	if !strings.Contains(string(data), `"color":"6"`) {
		t.Errorf("no key judgment in purple")
	}
	if _, stderr, code := bb(t, "canvas", "export", "--workspace", demo, "-o", out, "--color-by", "mood"); code != 2 || !strings.Contains(stderr, "--color-by is tlp or kind") {
		t.Errorf("bad colouring: exit %d, %q", code, stderr)
	}
	if _, stderr, code := bb(t, "canvas", "export", "--workspace", demo, "-o", out, "--max-tlp", "pink"); code != 2 || !strings.Contains(stderr, `unknown TLP level "pink"`) {
		t.Errorf("bad cap: exit %d, %q", code, stderr)
	}
	// A capped canvas carries the cap's label and nothing above it: no
	// label, no marking in Briefboard's keys, and no text of the AMBER,
	// AMBER+STRICT and RED cards and annotations. The same file uncapped
	// has them all, and the capped one keeps a GREEN card.
	above := []string{"TLP:AMBER", "TLP:RED", `"tlp":"amber"`, `"tlp":"amber+strict"`, `"tlp":"red"`,
		"Chokepoint", "gatekeeper over how Russian objections", "Tripwire", "Unhedged", "Bottleneck",
		"Fallback: a decoupled economic track", "Anchoring tactic", "whip hand"}
	green := "Moscow unlikely to accept the Florida revisions"
	uncapped := filepath.Join(t.TempDir(), "all.canvas")
	mustBB(t, "canvas", "export", "--workspace", demo, "-o", uncapped)
	data, _ = os.ReadFile(uncapped)
	for _, w := range append(above, green) {
		if !strings.Contains(string(data), w) {
			t.Errorf("the uncapped canvas lacks %q, so its absence below proves nothing", w)
		}
	}
	mustBB(t, "canvas", "export", "--workspace", demo, "-o", out, "--max-tlp", "green")
	data, _ = os.ReadFile(out)
	if !strings.Contains(string(data), `"text":"# TLP:GREEN\n`) || !strings.Contains(string(data), green) {
		t.Errorf("the GREEN canvas lacks its banner or a GREEN card")
	}
	for _, w := range above {
		if strings.Contains(string(data), w) {
			t.Errorf("the GREEN canvas carries %q", w)
		}
	}
}

func TestCLI_CanvasBadInputChangesNothing(t *testing.T) {
	demo := newDemo(t)
	before := mustBB(t, "list", "--json", "--workspace", demo)
	logBefore := mustBB(t, "log", "--workspace", demo)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"canvas", "import", write("a.canvas", "not json"), "--workspace", demo}, 1, "a.canvas: not a valid JSON Canvas: not JSON"},
		{[]string{"canvas", "import", write("b.canvas", `{"nodes":[{"id":"x","type":"text","text":"t","x":0,"y":0,"width":1,"height":1},{"id":"x","type":"text","text":"u","x":0,"y":0,"width":1,"height":1}]}`), "--workspace", demo}, 1, `two nodes have the id "x"`},
		{[]string{"canvas", "import", write("c.canvas", `{"nodes":[{"id":"x","type":"text","text":"t","x":0,"y":0,"width":1,"height":1}],"edges":[{"id":"e","fromNode":"x","toNode":"gone"}]}`), "--workspace", demo}, 1, `edge "e" joins node "gone"`},
		{[]string{"canvas", "import", write("d.canvas", `{"nodes":[{"id":"x","type":"text","text":"t","x":99999999,"y":0,"width":1,"height":1}]}`), "--workspace", demo}, 1, `beyond ±10000000`},
		{[]string{"canvas", "import", write("e.canvas", `{"nodes":[{"id":"x","type":"text","text":"t","x":0,"y":0,"width":1,"height":1,"briefboard":{"card":"c","title":"t","kind":"rumour"}}]}`), "--workspace", demo}, 1, `card kind "rumour" is not one of`},
		{[]string{"canvas", "import", filepath.Join(dir, "missing.canvas"), "--workspace", demo}, 1, "no such file"},
		{[]string{"canvas", "import", "--workspace", demo}, 2, "usage: briefboard canvas import FILE.canvas --workspace DIR"},
		{[]string{"canvas", "import", filepath.Join(dir, "a.canvas")}, 2, "--workspace DIR is required"},
		{[]string{"canvas", "export", "--workspace", demo}, 2, "canvas export needs -o FILE.canvas"},
		{[]string{"canvas", "export", "--workspace", demo, "-o", filepath.Join(dir, "no", "x.canvas")}, 1, "no such file or directory"},
		{[]string{"canvas"}, 2, "usage: briefboard canvas import"},
	}
	for _, tc := range cases {
		stdout, stderr, code := bb(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || !strings.HasPrefix(stderr, "briefboard: ") || strings.Count(stderr, "\n") != 1 || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, stdout, stderr, tc.code, tc.want)
		}
	}
	if after := mustBB(t, "list", "--json", "--workspace", demo); after != before {
		t.Errorf("the workspace changed")
	}
	if logAfter := mustBB(t, "log", "--workspace", demo); logAfter != logBefore {
		t.Errorf("the journal changed")
	}
}
