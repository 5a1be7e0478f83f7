package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// outputCommands are the commands that write a file given by -o.
var outputCommands = map[string][]string{
	"export md":     {"export", "md"},
	"export pdf":    {"export", "pdf"},
	"share":         {"share"},
	"canvas export": {"canvas", "export"},
}

// Case 7 of the markings issue: -o aimed at the workspace's own files, at
// a path inside it or at the workspace itself is refused with one line,
// and the workspace is left as it was.
func TestCLI_OutputsNeverLandInsideAWorkspace(t *testing.T) {
	ws := newDemo(t)
	sst, _ := filepath.Glob(filepath.Join(ws, "*.sst"))
	if len(sst) == 0 {
		t.Fatal("the workspace has no table file to aim at")
	}
	if err := os.Mkdir(filepath.Join(ws, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	link := filepath.Join(outside, "brief.md")
	if err := os.Symlink(filepath.Join(ws, "briefboard.json"), link); err != nil {
		t.Fatal(err)
	}
	linkedDir := filepath.Join(outside, "ws-link")
	if err := os.Symlink(ws, linkedDir); err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{
		"the marker":                 filepath.Join(ws, "briefboard.json"),
		"MANIFEST":                   filepath.Join(ws, "MANIFEST"),
		"KEYREGISTRY":                filepath.Join(ws, "KEYREGISTRY"),
		"a table file":               sst[0],
		"a subdirectory":             filepath.Join(ws, "sub", "brief.out"),
		"a new file":                 filepath.Join(ws, "brief.out"),
		"the workspace itself":       ws,
		"a link to the marker":       link,
		"through a linked workspace": filepath.Join(linkedDir, "MANIFEST"),
	}
	marker, _ := os.ReadFile(filepath.Join(ws, "briefboard.json"))
	tables := map[string][]byte{}
	for _, f := range sst {
		tables[f], _ = os.ReadFile(f)
	}
	listing := mustBB(t, "list", "--json", "--workspace", ws)
	for cname, cmd := range outputCommands {
		for tname, target := range targets {
			args := append(append([]string{}, cmd...), "--workspace", ws, "-o", target)
			stdout, stderr, code := bb(t, args...)
			if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 ||
				!strings.Contains(stderr, "never written inside a workspace directory") {
				t.Errorf("%s -o %s: exit %d, stdout %q, stderr %q", cname, tname, code, stdout, stderr)
			}
		}
	}
	if got, _ := os.ReadFile(filepath.Join(ws, "briefboard.json")); !bytes.Equal(got, marker) {
		t.Fatal("the workspace's marker changed")
	}
	for f, want := range tables {
		if got, _ := os.ReadFile(f); !bytes.Equal(got, want) {
			t.Fatalf("table file %s changed", filepath.Base(f))
		}
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the link was replaced")
	}
	for _, name := range []string{"brief.out", filepath.Join("sub", "brief.out")} {
		if _, err := os.Stat(filepath.Join(ws, name)); err == nil {
			t.Fatalf("%s was written inside the workspace", name)
		}
	}
	if after := mustBB(t, "list", "--json", "--workspace", ws); after != listing {
		t.Fatal("the workspace's content changed")
	}

	// Positive control: each command writes a file outside the workspace,
	// also one beside it in the workspace's parent directory.
	for cname, cmd := range outputCommands {
		for _, dir := range []string{outside, filepath.Dir(ws)} {
			out := filepath.Join(dir, strings.ReplaceAll(cname, " ", "-")+".out")
			args := append(append([]string{}, cmd...), "--workspace", ws, "-o", out)
			if _, stderr, code := bb(t, args...); code != 0 {
				t.Errorf("%s -o %s: exit %d, %q", cname, out, code, stderr)
			} else if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
				t.Errorf("%s wrote no %s", cname, out)
			}
		}
	}
}

// Case 9 of the markings issue: a title carrying ESC, CR, newline and a
// bidi override is refused where it is typed (card add), with one line that
// names the character without printing it, and leaves the workspace as it
// was; error lines that quote what the analyst typed print it escaped.
func TestCLI_ControlCharactersAreRefusedAndPrintEscaped(t *testing.T) {
	hostile := "Harmless\x1b[2K\rTLP:CLEAR\nsecond line \u202eDER:PLT"
	raw := func(what, s string) {
		t.Helper()
		if strings.ContainsAny(s, "\x1b\r\u202e") {
			t.Errorf("%s prints control characters raw: %q", what, s)
		}
	}
	a, _, tmp := colleagues(t)
	board := listJSON(t, a)["boards"].([]any)[0].(map[string]any)["id"].(string)
	before := mustBB(t, "list", "--workspace", a)

	_, stderr, code := bb(t, "card", "add", "--workspace", a, "--board", board, "--title", hostile, "--tlp", "red")
	raw("the refusal", stderr)
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "U+001B") || !strings.Contains(stderr, "character 9") {
		t.Errorf("card add of a hostile title: exit %d, %q", code, stderr)
	}
	if after := mustBB(t, "list", "--workspace", a); after != before {
		t.Errorf("a refused card add changed the workspace:\n%s", after)
	}
	// Positive control: the same title without its controls is stored.
	clean := "Harmless TLP:CLEAR second line DER:PLT"
	id := strings.TrimSpace(mustBB(t, "card", "add", "--workspace", a, "--board", board, "--title", clean, "--tlp", "red"))
	if c := findCard(t, listJSON(t, a), id); c == nil || c["title"] != clean {
		t.Errorf("the clean title was not stored: %v", c)
	}

	// Error lines.
	_, stderr, code = bb(t, "list", "--workspace", filepath.Join(tmp, "no\x1b[8m such\rworkspace"))
	raw("an error line", stderr)
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `\x1b[8m`) {
		t.Errorf("error line %q (exit %d)", stderr, code)
	}
}

// A share file carrying AMBER or stricter, written without a passphrase,
// gets a one-line warning on stderr; an encrypted one, or one capped below
// AMBER, none.
func TestCLI_ShareWarnsWhenAmberGoesUnencrypted(t *testing.T) {
	ws := newDemo(t)
	tmp := t.TempDir()
	pass := filepath.Join(tmp, "pass")
	os.WriteFile(pass, []byte("desk\n"), 0o600)
	for _, c := range []struct {
		args []string
		warn string
	}{
		{nil, "TLP:RED"},
		{[]string{"--max-tlp", "amber"}, "TLP:AMBER"},
		{[]string{"--max-tlp", "amber+strict"}, "TLP:AMBER+STRICT"},
		{[]string{"--max-tlp", "green"}, ""},
		{[]string{"--passphrase-file", pass}, ""},
	} {
		out := filepath.Join(tmp, "x.briefboard")
		args := append([]string{"share", "--workspace", ws, "-o", out}, c.args...)
		stdout, stderr, code := bb(t, args...)
		if code != 0 || !strings.HasPrefix(stdout, "Shared") {
			t.Fatalf("%v: exit %d, %q %q", c.args, code, stdout, stderr)
		}
		if c.warn == "" {
			if stderr != "" {
				t.Errorf("%v: warned %q", c.args, stderr)
			}
			continue
		}
		if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "briefboard: warning: ") ||
			!strings.Contains(stderr, c.warn+" material unencrypted") || !strings.Contains(stderr, "--passphrase-file") {
			t.Errorf("%v: stderr %q, want one warning about %s", c.args, stderr, c.warn)
		}
	}
}
