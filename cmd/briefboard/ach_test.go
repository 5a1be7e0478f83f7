package main

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// achShowJSON runs `ach show --json` and decodes it, failing on anything
// but the contract's shape.
func achShowJSON(t *testing.T, dir string, flags ...string) map[string]any {
	t.Helper()
	out := mustBB(t, append([]string{"ach", "show", "--workspace", dir, "--json"}, flags...)...)
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("ach show --json printed %q: %v", out, err)
	}
	for _, k := range []string{"id", "question", "hypotheses", "evidence"} {
		if _, ok := v[k]; !ok {
			t.Fatalf("ach show --json lacks %q", k)
		}
	}
	for _, h := range v["hypotheses"].([]any) {
		hm := h.(map[string]any)
		for _, k := range []string{"id", "title", "inconsistency", "rank"} {
			if _, ok := hm[k]; !ok {
				t.Fatalf("hypothesis lacks %q: %v", k, hm)
			}
		}
	}
	for _, r := range v["evidence"].([]any) {
		rm := r.(map[string]any)
		for _, k := range []string{"card", "title", "weight", "diagnostic", "ratings"} {
			if _, ok := rm[k]; !ok {
				t.Fatalf("evidence lacks %q: %v", k, rm)
			}
		}
	}
	return v
}

func achListJSON(t *testing.T, dir string) []map[string]any {
	t.Helper()
	var v struct {
		Matrices []map[string]any `json:"matrices"`
	}
	out := mustBB(t, "ach", "list", "--workspace", dir, "--json")
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Matrices == nil {
		t.Fatalf("ach list --json printed %q: %v", out, err)
	}
	for _, m := range v.Matrices {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range []string{"evidence", "hypotheses", "id", "question"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("matrix lacks %q: %v", k, ks)
			}
		}
	}
	return v.Matrices
}

// cardIDTitled finds a card of the demo by the start of its title.
func cardIDTitled(t *testing.T, dir, prefix string) string {
	t.Helper()
	for _, b := range listJSON(t, dir)["boards"].([]any) {
		for _, c := range b.(map[string]any)["cards"].([]any) {
			if cm := c.(map[string]any); strings.HasPrefix(cm["title"].(string), prefix) {
				return cm["id"].(string)
			}
		}
	}
	t.Fatalf("no card titled %q…", prefix)
	return ""
}

var idLine = regexp.MustCompile(`^[a-z2-7]{26}\n$`)

func TestCLI_ACHLifecycle(t *testing.T) {
	dir := newDemo(t)
	if ms := achListJSON(t, dir); len(ms) != 1 || ms[0]["evidence"] != 8.0 || ms[0]["hypotheses"] != 4.0 {
		t.Fatalf("demo matrices %v", ms)
	}
	out := mustBB(t, "ach", "new", "--workspace", dir, "--question", "Will the grid hold this winter?",
		"--hypotheses", "It holds; It fails in the east;  It fails everywhere ;")
	if !idLine.MatchString(out) {
		t.Fatalf("ach new printed %q, want the id alone", out)
	}
	id := strings.TrimSpace(out)
	// A card citing no source counts with a factor of 1.
	plain := cardIDTitled(t, dir, "What does the plan contain")
	graded := cardIDTitled(t, dir, "Ushakov: Moscow will decide") // Ushakov, B2: 0.72
	mustBB(t, "ach", "evidence", "--workspace", dir, "--id", id, "--card", plain, "--weight", "high")
	mustBB(t, "ach", "evidence", "--workspace", dir, "--id", id, "--card", graded)
	show := achShowJSON(t, dir, "--id", id)
	hs := show["hypotheses"].([]any)
	if len(hs) != 3 || hs[2].(map[string]any)["title"] != "It fails everywhere" {
		t.Fatalf("hypotheses %v", hs)
	}
	h3 := hs[2].(map[string]any)["id"].(string)
	mustBB(t, "ach", "rate", "--workspace", dir, "--id", id, "--card", plain, "--hypothesis", "1", "--rating", "ii")
	mustBB(t, "ach", "rate", "--workspace", dir, "--id", id, "--card", plain, "--hypothesis", h3, "--rating", "C")
	mustBB(t, "ach", "rate", "--workspace", dir, "--id", id, "--card", graded, "--hypothesis", "2", "--rating", "I")
	mustBB(t, "ach", "rate", "--workspace", dir, "--id", id, "--card", graded, "--hypothesis", "3", "--rating", "I")
	show = achShowJSON(t, dir, "--id", id)
	// 1: II × high × 1 = 4; 2: I × medium × 0.72 = 0.72; 3: the same.
	want := []struct {
		score float64
		rank  float64
	}{{4, 3}, {0.72, 1}, {0.72, 1}}
	for i, h := range show["hypotheses"].([]any) {
		hm := h.(map[string]any)
		if hm["inconsistency"] != want[i].score || hm["rank"] != want[i].rank {
			t.Errorf("hypothesis %d: %v, want %v", i+1, hm, want[i])
		}
	}
	rows := show["evidence"].([]any)
	if len(rows) != 2 {
		t.Fatalf("evidence %v", rows)
	}
	r0 := rows[0].(map[string]any)
	if r0["card"] != plain || r0["weight"] != "high" || r0["diagnostic"] != true {
		t.Fatalf("first row %v", r0)
	}
	ratings := r0["ratings"].(map[string]any)
	if ratings[hs[0].(map[string]any)["id"].(string)] != "II" || ratings[h3] != "C" || len(ratings) != 2 {
		t.Fatalf("ratings %v", ratings)
	}
	// The weight changes on a second `ach evidence`.
	mustBB(t, "ach", "evidence", "--workspace", dir, "--id", id, "--card", plain, "--weight", "low")
	if s := achShowJSON(t, dir, "--id", id)["hypotheses"].([]any)[0].(map[string]any)["inconsistency"]; s != 1.0 {
		t.Fatalf("after lowering the weight: %v", s)
	}
	if ms := achListJSON(t, dir); len(ms) != 2 || ms[1]["id"] != id || ms[1]["evidence"] != 2.0 {
		t.Fatalf("ach list %v", ms)
	}
	text := mustBB(t, "ach", "show", "--workspace", dir, "--id", id)
	for _, s := range []string{"Will the grid hold this winter?", "H1 It holds", "Weighted inconsistency of a hypothesis", "0.72"} {
		if !strings.Contains(text, s) {
			t.Errorf("ach show lacks %q:\n%s", s, text)
		}
	}
	// Undo takes the last rating back.
	mustBB(t, "undo", "--workspace", dir)
	mustBB(t, "undo", "--workspace", dir)
	if s := achShowJSON(t, dir, "--id", id)["hypotheses"].([]any)[2].(map[string]any)["inconsistency"]; s != 0.0 {
		t.Fatalf("after two undos: %v", s)
	}
}

// TestCLI_ACHShowCapped: at GREEN, the amber note is not evidence and its
// rating counts for nothing.
func TestCLI_ACHShowCapped(t *testing.T) {
	dir := newDemo(t)
	anchoring := cardIDTitled(t, dir, "Anchoring tactic")
	has := func(v map[string]any) bool {
		for _, r := range v["evidence"].([]any) {
			if r.(map[string]any)["card"] == anchoring {
				return true
			}
		}
		return false
	}
	full, green := achShowJSON(t, dir), achShowJSON(t, dir, "--max-tlp", "green")
	if !has(full) || has(green) {
		t.Fatalf("the amber row is in the full matrix: %v; at GREEN: %v", has(full), has(green))
	}
	score := func(v map[string]any) any { return v["hypotheses"].([]any)[1].(map[string]any)["inconsistency"] }
	if score(full) != 0.36 || score(green) != 0.0 {
		t.Fatalf("scores %v and %v", score(full), score(green))
	}
}

func TestCLI_ACHErrorsAreOneLineAndChangeNothing(t *testing.T) {
	dir := newDemo(t)
	id := achListJSON(t, dir)[0]["id"].(string)
	card := cardIDTitled(t, dir, "Anchorage summit")
	other := cardIDTitled(t, dir, "What does the plan contain")
	before := mustBB(t, "log", "--workspace", dir) + mustBB(t, "ach", "show", "--workspace", dir, "--json")
	cases := [][]string{
		{"ach", "new", "--workspace", dir, "--question", "Q", "--hypotheses", "Only one"},
		{"ach", "new", "--workspace", dir, "--question", " ", "--hypotheses", "A;B"},
		{"ach", "new", "--workspace", dir, "--hypotheses", "A;B"},
		{"ach", "new", "--workspace", dir, "--question", "Q", "--hypotheses", "A;B", "--tlp", "white"},
		{"ach", "evidence", "--workspace", dir, "--id", id, "--card", "nosuchcard"},
		{"ach", "evidence", "--workspace", dir, "--id", "nosuchmatrix", "--card", card},
		{"ach", "evidence", "--workspace", dir, "--id", id, "--card", card, "--weight", "heavy"},
		{"ach", "evidence", "--workspace", dir, "--id", id},
		{"ach", "rate", "--workspace", dir, "--id", id, "--card", card, "--hypothesis", "5", "--rating", "C"},
		{"ach", "rate", "--workspace", dir, "--id", id, "--card", card, "--hypothesis", "0", "--rating", "C"},
		{"ach", "rate", "--workspace", dir, "--id", id, "--card", card, "--hypothesis", "nosuch", "--rating", "C"},
		{"ach", "rate", "--workspace", dir, "--id", id, "--card", card, "--hypothesis", "1", "--rating", "X"},
		{"ach", "rate", "--workspace", dir, "--id", id, "--card", other, "--hypothesis", "1", "--rating", "C"},
		{"ach", "rate", "--workspace", dir, "--id", "nosuchmatrix", "--card", card, "--hypothesis", "1", "--rating", "C"},
		{"ach", "rate", "--workspace", dir, "--id", id, "--card", card, "--rating", "C"},
		{"ach", "show", "--workspace", dir, "--id", "nosuchmatrix"},
		{"ach", "show", "--workspace", dir, "--max-tlp", "white"},
		{"ach", "list"},
		{"ach", "bogus", "--workspace", dir},
		{"ach", "--workspace", dir},
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
	if after := mustBB(t, "log", "--workspace", dir) + mustBB(t, "ach", "show", "--workspace", dir, "--json"); after != before {
		t.Fatal("failed commands changed the workspace")
	}
	// With two matrices, show needs --id.
	mustBB(t, "ach", "new", "--workspace", dir, "--question", "Q", "--hypotheses", "A;B")
	if _, errs, code := bb(t, "ach", "show", "--workspace", dir); code == 0 || !strings.Contains(errs, "--id") {
		t.Fatalf("show without --id among two matrices: exit %d, %q", code, errs)
	}
}
