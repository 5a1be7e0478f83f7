package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/workspace"
)

// bb runs one command line in-process and returns stdout, stderr and the
// exit code.
func bb(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return out.String(), errb.String(), code
}

func mustBB(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := bb(t, args...)
	if code != 0 {
		t.Fatalf("briefboard %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// newDemo makes a copy of the demo workspace; flags come after the
// positional argument, as an analyst would type them.
func newDemo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	mustBB(t, "new", dir, "--template", "three-pillars")
	return dir
}

func listJSON(t *testing.T, dir string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(mustBB(t, "list", "--json", "--workspace", dir)), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCLI_NewWithFlagAfterDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	mustBB(t, "new", dir, "--template", "empty")
	l := listJSON(t, dir)
	boards := l["boards"].([]any)
	if len(boards) != 3 {
		t.Fatalf("--template empty after DIR: %d boards", len(boards))
	}
	for _, b := range boards {
		if n := len(b.(map[string]any)["cards"].([]any)); n != 0 {
			t.Fatalf("empty template has %d cards on a board", n)
		}
	}
}

func TestCLI_ListJSONShape(t *testing.T) {
	dir := newDemo(t)
	l := listJSON(t, dir)
	ws := l["workspace"].(map[string]any)
	for _, k := range []string{"id", "title", "parties"} {
		if _, ok := ws[k]; !ok {
			t.Errorf("workspace lacks %q", k)
		}
	}
	levels := map[string]bool{}
	for _, b := range l["boards"].([]any) {
		bm := b.(map[string]any)
		for _, k := range []string{"id", "title", "lanes", "cards"} {
			if _, ok := bm[k]; !ok {
				t.Errorf("board lacks %q", k)
			}
		}
		for _, c := range bm["cards"].([]any) {
			cm := c.(map[string]any)
			for _, k := range []string{"id", "title", "lane", "tlp", "tags", "body", "conflicts"} {
				if _, ok := cm[k]; !ok {
					t.Errorf("card lacks %q", k)
				}
			}
			levels[cm["tlp"].(string)] = true
		}
	}
	for lvl := range levels {
		if _, err := workspace.ParseTLP(lvl); err != nil || strings.Contains(lvl, ":") || strings.ToLower(lvl) != lvl {
			t.Errorf("tlp %q is not a LEVEL word", lvl)
		}
	}
	if !levels["red"] || !levels["amber"] {
		t.Errorf("demo TLP levels %v", levels)
	}
}

func findCard(t *testing.T, l map[string]any, id string) map[string]any {
	t.Helper()
	for _, b := range l["boards"].([]any) {
		for _, c := range b.(map[string]any)["cards"].([]any) {
			if cm := c.(map[string]any); cm["id"] == id {
				return cm
			}
		}
	}
	return nil
}

func TestCLI_CardLifecycle(t *testing.T) {
	dir := newDemo(t)
	board := listJSON(t, dir)["boards"].([]any)[1].(map[string]any)
	out := mustBB(t, "card", "add", "--workspace", dir, "--board", board["id"].(string), "--title", "Air defence for the grid",
		"--lane", "Bracketed", "--body", "First line", "--tlp", "amber+strict", "--tags", "energy, guarantees")
	id := strings.TrimSpace(out)
	if !workspace.ValidID(id) || strings.Contains(out, " ") || strings.Count(out, "\n") != 1 {
		t.Fatalf("card add printed %q, want the id alone", out)
	}
	c := findCard(t, listJSON(t, dir), id)
	if c == nil || c["lane"] != "Bracketed" || c["tlp"] != "amber+strict" || c["body"] != "First line" {
		t.Fatalf("added card: %v", c)
	}
	if tags := c["tags"].([]any); len(tags) != 2 || tags[0] != "energy" || tags[1] != "guarantees" {
		t.Fatalf("tags %v", tags)
	}
	mustBB(t, "card", "edit", "--id", id, "--title", "Air defence", "--tlp", "red", "--workspace", dir)
	mustBB(t, "card", "move", "--workspace", dir, "--id", id, "--lane", "Agreed")
	c = findCard(t, listJSON(t, dir), id)
	if c["title"] != "Air defence" || c["tlp"] != "red" || c["lane"] != "Agreed" || c["body"] != "First line" {
		t.Fatalf("after edit and move: %v", c)
	}
	// Move to another board, before a card there.
	other := listJSON(t, dir)["boards"].([]any)[0].(map[string]any)
	firstThere := other["cards"].([]any)[0].(map[string]any)
	mustBB(t, "card", "move", "--workspace", dir, "--id", id, "--board", other["id"].(string), "--before", firstThere["id"].(string))
	l := listJSON(t, dir)
	moved := l["boards"].([]any)[0].(map[string]any)["cards"].([]any)[0].(map[string]any)
	if moved["id"] != id || moved["lane"] != firstThere["lane"] {
		t.Fatalf("move to another board, before its first card: first is now %v", moved["title"])
	}
	log := mustBB(t, "log", "--workspace", dir, "--since", "1h")
	for _, want := range []string{"Add card", "Edit card", "Move card"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	mustBB(t, "card", "delete", "--workspace", dir, "--id", id)
	if findCard(t, listJSON(t, dir), id) != nil {
		t.Fatal("deleted card still listed")
	}
	if out := mustBB(t, "undo", "--workspace", dir); !strings.Contains(out, "Undo delete card") {
		t.Fatalf("undo printed %q", out)
	}
	if findCard(t, listJSON(t, dir), id) == nil {
		t.Fatal("undo did not bring the card back")
	}
	mustBB(t, "redo", "--workspace", dir)
	if findCard(t, listJSON(t, dir), id) != nil {
		t.Fatal("redo did not delete the card again")
	}
}

func TestCLI_ErrorsAreOneLineAndChangeNothing(t *testing.T) {
	dir := newDemo(t)
	before := mustBB(t, "list", "--json", "--workspace", dir)
	board := listJSON(t, dir)["boards"].([]any)[0].(map[string]any)["id"].(string)
	typo := filepath.Join(t.TempDir(), "typo")
	cases := [][]string{
		{"list", "--workspace", typo},
		{"card", "add", "--workspace", dir, "--board", board, "--title", ""},
		{"card", "add", "--workspace", dir, "--board", board, "--title", "x", "--tlp", "white"},
		{"card", "add", "--workspace", dir, "--board", "nosuchboard", "--title", "x"},
		{"card", "add", "--workspace", dir, "--board", board, "--title", "x", "--lane", "Nowhere"},
		{"card", "edit", "--workspace", dir, "--id", "nosuchcard", "--title", "x"},
		{"card", "move", "--workspace", dir, "--id", "nosuchcard", "--lane", "Open"},
		{"card", "delete", "--workspace", dir},
		{"card", "add", "--workspace", dir, "--bogus-flag"},
		{"new", dir},
		{"list"},
	}
	for _, args := range cases {
		out, errs, code := bb(t, args...)
		if code == 0 {
			t.Errorf("%v succeeded", args)
			continue
		}
		if out != "" {
			t.Errorf("%v printed on stdout: %q", args, out)
		}
		if strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "briefboard: ") || strings.Contains(errs, "Usage:") {
			t.Errorf("%v: stderr is not one clear line: %q", args, errs)
		}
	}
	if after := mustBB(t, "list", "--json", "--workspace", dir); after != before {
		t.Fatal("failed commands changed the workspace")
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Fatalf("a --workspace typo created a directory: %v", err)
	}
	// The same check sees a workspace directory where there is one.
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the check cannot see a directory that exists: %v", err)
	}
}

func TestCLI_EncryptedWorkspace(t *testing.T) {
	tmp := t.TempDir()
	pass := filepath.Join(tmp, "pass.txt")
	os.WriteFile(pass, []byte("stick of butter\r\nsecond line ignored\n"), 0o600)
	wrong := filepath.Join(tmp, "wrong.txt")
	os.WriteFile(wrong, []byte("stick of margarine\n"), 0o600)
	dir := filepath.Join(tmp, "ws")
	mustBB(t, "new", dir, "--encrypt", "--store-passphrase-file", pass)
	if _, errs, code := bb(t, "list", "--workspace", dir); code == 0 || !strings.Contains(errs, "encrypted") {
		t.Fatalf("list without passphrase: %d %q", code, errs)
	}
	if _, errs, code := bb(t, "list", "--workspace", dir, "--store-passphrase-file", wrong); code == 0 || !strings.Contains(errs, "passphrase does not open") {
		t.Fatalf("list with the wrong passphrase: %d %q", code, errs)
	}
	out := mustBB(t, "list", "--workspace", dir, "--store-passphrase-file", pass)
	if !strings.Contains(out, "Florida") {
		t.Fatalf("encrypted demo lists %q", out)
	}
	if _, errs, code := bb(t, "new", filepath.Join(tmp, "ws2"), "--encrypt"); code == 0 || !strings.Contains(errs, "--store-passphrase-file") {
		t.Fatalf("--encrypt without a passphrase file: %q", errs)
	}
}

// TestCLI_LockedWorkspace runs the real binary against a workspace this
// process holds open: the clear message, a non-zero exit, no stack trace.
func TestCLI_LockedWorkspace(t *testing.T) {
	bin := buildBinary(t)
	dir := newDemo(t)
	s, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cmd := exec.Command(bin, "list", "--workspace", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if err == nil {
		t.Fatal("list on a locked workspace succeeded")
	}
	want := "briefboard: this workspace is open in another Briefboard window or process: " + dir + "\n"
	if stderr.String() != want {
		t.Fatalf("stderr %q, want %q", stderr.String(), want)
	}
	s.Close()
	// Headless commands never start the GUI driver: they work without a
	// display, and print nothing but their output.
	cmd = exec.Command(bin, "list", "--workspace", dir)
	cmd.Env = append(withoutDisplay(os.Environ()), "LANG=C.UTF-8")
	var out bytes.Buffer
	stderr.Reset()
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 || !strings.Contains(out.String(), "Florida") {
		t.Fatalf("list without a display: %v, stderr %q", err, stderr.String())
	}
}

func withoutDisplay(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") && !strings.HasPrefix(kv, "LANG=") {
			out = append(out, kv)
		}
	}
	return out
}

var builtBinary, binaryDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
	os.Exit(code)
}

// buildBinary builds briefboard once per test run, for tests that need a
// real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	if builtBinary != "" {
		return builtBinary
	}
	dir, err := os.MkdirTemp("", "briefboard-bin")
	if err != nil {
		t.Fatal(err)
	}
	binaryDir = dir
	bin := filepath.Join(dir, "briefboard")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	builtBinary = bin
	return bin
}
