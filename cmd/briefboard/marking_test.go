package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// listedCard returns a card of list --json by id.
func listedCard(t *testing.T, l map[string]any, id string) map[string]any {
	t.Helper()
	for _, b := range l["boards"].([]any) {
		for _, c := range b.(map[string]any)["cards"].([]any) {
			if cm := c.(map[string]any); cm["id"] == id {
				return cm
			}
		}
	}
	t.Fatalf("card %s not listed", id)
	return nil
}

// A lowering that had not seen a colleague's write under RED leaves the
// card RED with a marking conflict naming that write; `card edit --tlp`
// to the same level again is a marking action that releases it.
func TestCLI_MarkingConflictAndRelease(t *testing.T) {
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	mustBB(t, "new", a)
	board := listJSON(t, a)["boards"].([]any)[0].(map[string]any)["id"].(string)
	id := strings.TrimSpace(mustBB(t, "card", "add", "--workspace", a, "--board", board, "--title", "Closed talks", "--tlp", "red"))
	file := filepath.Join(tmp, "a.briefboard")
	mustBB(t, "share", "--workspace", a, "-o", file)
	mustBB(t, "import", file, "--workspace", b)

	mustBB(t, "card", "edit", "--workspace", a, "--id", id, "--tlp", "green")
	mustBB(t, "card", "edit", "--workspace", b, "--id", id, "--body", "SECRET written while RED")
	back := filepath.Join(tmp, "b.briefboard")
	mustBB(t, "share", "--workspace", b, "-o", back)
	mustBB(t, "import", back, "--workspace", a)

	c := listedCard(t, listJSON(t, a), id)
	if c["tlp"] != "red" || c["ownTlp"] != "green" {
		t.Fatalf("after the colleague's RED-era edit arrived: tlp %v, own %v", c["tlp"], c["ownTlp"])
	}
	var conflict map[string]any
	for _, x := range c["conflicts"].([]any) {
		if xm := x.(map[string]any); xm["field"] == "tlp" {
			conflict = xm
		}
	}
	if conflict == nil || conflict["reason"] == "" || conflict["replica"] == "" || conflict["at"] == nil || conflict["tlp"] != "red" {
		t.Fatalf("marking conflict %v in %v", conflict, c["conflicts"])
	}
	mustBB(t, "export", "md", "--workspace", a, "-o", filepath.Join(tmp, "all.md"))
	mustBB(t, "export", "md", "--workspace", a, "-o", filepath.Join(tmp, "green.md"), "--max-tlp", "green")
	if all, _ := os.ReadFile(filepath.Join(tmp, "all.md")); !strings.Contains(string(all), "SECRET") {
		t.Fatal("positive control: the uncapped export lacks the body")
	}
	if green, _ := os.ReadFile(filepath.Join(tmp, "green.md")); strings.Contains(string(green), "SECRET") {
		t.Fatal("the GREEN export printed the body")
	}

	before := len(strings.Split(strings.TrimSpace(mustBB(t, "log", "--workspace", a)), "\n"))
	mustBB(t, "card", "edit", "--workspace", a, "--id", id, "--tlp", "green")
	if after := len(strings.Split(strings.TrimSpace(mustBB(t, "log", "--workspace", a)), "\n")); after <= before {
		t.Fatal("setting the marking it already had recorded no action")
	}
	c = listedCard(t, listJSON(t, a), id)
	if c["tlp"] != "green" {
		t.Fatalf("after setting GREEN again: %v", c["tlp"])
	}
	for _, x := range c["conflicts"].([]any) {
		t.Fatalf("a conflict is left: %v", x)
	}
}
