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

// achHyp is a hypothesis as `ach show --json` lists it.
type achHyp struct {
	id, title     string
	inconsistency float64
}

func achHypsOf(t *testing.T, show map[string]any) []achHyp {
	t.Helper()
	var hs []achHyp
	for _, h := range show["hypotheses"].([]any) {
		hm := h.(map[string]any)
		hs = append(hs, achHyp{id: hm["id"].(string), title: hm["title"].(string), inconsistency: hm["inconsistency"].(float64)})
	}
	return hs
}

func achTitles(hs []achHyp) string {
	var ts []string
	for _, h := range hs {
		ts = append(ts, h.title)
	}
	return strings.Join(ts, "|")
}

// achInd is an indicator as `ach show --json` lists it.
type achInd struct{ hyp, text, status, card string }

func achIndicatorsOf(t *testing.T, show map[string]any) []achInd {
	t.Helper()
	list, ok := show["indicators"].([]any)
	if !ok {
		t.Fatalf("ach show --json lacks the indicators list: %v", show["indicators"])
	}
	var out []achInd
	for _, in := range list {
		m := in.(map[string]any)
		card, _ := m["card"].(string)
		out = append(out, achInd{hyp: m["hypothesis"].(string), text: m["text"].(string), status: m["status"].(string), card: card})
	}
	return out
}

// achRatingsOf is a card's ratings by hypothesis id.
func achRatingsOf(t *testing.T, show map[string]any, card string) map[string]any {
	t.Helper()
	for _, r := range show["evidence"].([]any) {
		if rm := r.(map[string]any); rm["card"] == card {
			return rm["ratings"].(map[string]any)
		}
	}
	t.Fatalf("card %s is not evidence: %v", card, show["evidence"])
	return nil
}

// achNew adds a matrix with the hypotheses and returns its id and theirs.
func achNew(t *testing.T, dir, hypotheses string) (string, []string) {
	t.Helper()
	id := strings.TrimSpace(mustBB(t, "ach", "new", "--workspace", dir, "--question", "Will the grid hold?", "--hypotheses", hypotheses))
	var hs []string
	for _, h := range achHypsOf(t, achShowJSON(t, dir, "--id", id)) {
		hs = append(hs, h.id)
	}
	return id, hs
}

// achState is what a failed or undone command must leave as it was.
func achState(t *testing.T, dir, id string) string {
	t.Helper()
	return mustBB(t, "log", "--workspace", dir) + mustBB(t, "ach", "show", "--workspace", dir, "--id", id, "--json")
}

func TestCLI_ACHHypothesisAddRenameMoveRemove(t *testing.T) {
	dir := newDemo(t)
	id, hs := achNew(t, dir, "A;B;C")
	hA, hB, hC := hs[0], hs[1], hs[2]
	ach := func(args ...string) string {
		return mustBB(t, append([]string{"ach", "hypothesis", "--workspace", dir, "--id", id}, args...)...)
	}
	show := func() map[string]any { return achShowJSON(t, dir, "--id", id) }

	out := ach("--add", "  D ")
	if !idLine.MatchString(out) {
		t.Fatalf("ach hypothesis --add printed %q, want the id alone", out)
	}
	hD := strings.TrimSpace(out)
	got := achHypsOf(t, show())
	if achTitles(got) != "A|B|C|D" || got[3].id != hD {
		t.Fatalf("after --add: %v, want A|B|C|D with D's id %s", got, hD)
	}

	// Ratings on A and C, and an indicator on A, to follow A around.
	card := cardIDTitled(t, dir, "What does the plan contain") // cites no source: factor 1
	mustBB(t, "ach", "evidence", "--workspace", dir, "--id", id, "--card", card, "--weight", "high")
	mustBB(t, "ach", "rate", "--workspace", dir, "--id", id, "--card", card, "--hypothesis", "1", "--rating", "II")
	mustBB(t, "ach", "rate", "--workspace", dir, "--id", id, "--card", card, "--hypothesis", "3", "--rating", "C")
	mustBB(t, "ach", "indicator", "--workspace", dir, "--id", id, "--hypothesis", "1", "--add", "A's sign")

	// Rename by position: the id stays.
	if out := ach("--hypothesis", "2", "--title", " B renamed "); out != "" {
		t.Errorf("rename printed %q", out)
	}
	if got = achHypsOf(t, show()); achTitles(got) != "A|B renamed|C|D" || got[1].id != hB {
		t.Fatalf("after the rename: %v", got)
	}

	// Move A, named by its id, to position 3: its ratings and indicator
	// follow it, as its score shows.
	ach("--hypothesis", hA, "--position", "3")
	s := show()
	got = achHypsOf(t, s)
	if achTitles(got) != "B renamed|C|A|D" || got[2].id != hA || got[1].id != hC {
		t.Fatalf("after moving A to 3: %v", got)
	}
	if got[2].inconsistency != 4 || got[0].inconsistency != 0 { // II × high × 1 on A only
		t.Errorf("scores after the move: %v", got)
	}
	if r := achRatingsOf(t, s, card); len(r) != 2 || r[hA] != "II" || r[hC] != "C" {
		t.Errorf("ratings after the move: %v", r)
	}
	// The one row rates A and C: B renamed and D are unrated in it.
	for i, want := range []float64{1, 0, 0, 1} {
		if got := s["hypotheses"].([]any)[i].(map[string]any)["unrated"]; got != want {
			t.Errorf("hypothesis %d: unrated %v, want %v", i+1, got, want)
		}
	}
	if ins := achIndicatorsOf(t, s); len(ins) != 1 || ins[0].hyp != hA || ins[0].text != "A's sign" {
		t.Errorf("indicators after the move: %v", ins)
	}

	// --title and --position together are one action: one undo takes
	// both back.
	before := mustBB(t, "ach", "show", "--workspace", dir, "--id", id, "--json")
	ach("--hypothesis", "4", "--title", "D first", "--position", "1")
	if got = achHypsOf(t, show()); achTitles(got) != "D first|B renamed|C|A" || got[0].id != hD {
		t.Fatalf("after renaming and moving D: %v", got)
	}
	mustBB(t, "undo", "--workspace", dir)
	if after := mustBB(t, "ach", "show", "--workspace", dir, "--id", id, "--json"); after != before {
		t.Fatalf("one undo did not take back the rename and the move:\n%s", after)
	}

	// A position past the end puts the hypothesis last.
	ach("--hypothesis", "1", "--position", "99")
	if got = achHypsOf(t, show()); achTitles(got) != "C|A|D|B renamed" {
		t.Fatalf("after moving B past the end: %v", got)
	}

	// Removing A takes its ratings and indicator with it, in one action.
	before = mustBB(t, "ach", "show", "--workspace", dir, "--id", id, "--json")
	if out := ach("--hypothesis", "2", "--remove"); out != "" {
		t.Errorf("remove printed %q", out)
	}
	s = show()
	if got = achHypsOf(t, s); achTitles(got) != "C|D|B renamed" {
		t.Fatalf("after removing A: %v", got)
	}
	if r := achRatingsOf(t, s, card); len(r) != 1 || r[hC] != "C" {
		t.Errorf("ratings after removing A: %v", r)
	}
	if ins := achIndicatorsOf(t, s); len(ins) != 0 {
		t.Errorf("indicators after removing A: %v", ins)
	}
	mustBB(t, "undo", "--workspace", dir)
	if after := mustBB(t, "ach", "show", "--workspace", dir, "--id", id, "--json"); after != before {
		t.Fatalf("one undo did not bring A back with its ratings and indicator:\n%s", after)
	}
}

func TestCLI_ACHRemoveHypothesisKeepsTwo(t *testing.T) {
	dir := newDemo(t)
	id, hs := achNew(t, dir, "A;B;C")
	mustBB(t, "ach", "hypothesis", "--workspace", dir, "--id", id, "--hypothesis", hs[2], "--remove")
	before := achState(t, dir, id)
	if got := achTitles(achHypsOf(t, achShowJSON(t, dir, "--id", id))); got != "A|B" {
		t.Fatalf("after removing C: %s", got)
	}
	out, errs, code := bb(t, "ach", "hypothesis", "--workspace", dir, "--id", id, "--hypothesis", "1", "--remove")
	if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "at least two") {
		t.Fatalf("removing below two hypotheses: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if after := achState(t, dir, id); after != before {
		t.Fatalf("the refused removal changed the workspace:\n%s", after)
	}
}

func TestCLI_ACHIndicatorAddChangeRemove(t *testing.T) {
	dir := newDemo(t)
	id, hs := achNew(t, dir, "A;B")
	hA, hB := hs[0], hs[1]
	card := cardIDTitled(t, dir, "Anchorage summit")
	ind := func(args ...string) {
		t.Helper()
		if out := mustBB(t, append([]string{"ach", "indicator", "--workspace", dir, "--id", id}, args...)...); out != "" {
			t.Errorf("ach indicator %v printed %q", args, out)
		}
	}
	check := func(when string, want ...achInd) {
		t.Helper()
		got := achIndicatorsOf(t, achShowJSON(t, dir, "--id", id))
		if len(got) != len(want) {
			t.Fatalf("%s: indicators %v, want %v", when, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: indicators %v, want %v", when, got, want)
			}
		}
	}

	ind("--hypothesis", "1", "--add", " Watch one ")
	ind("--hypothesis", hB, "--add", "Watch two", "--status", "Seen", "--card", card)
	ind("--hypothesis", "1", "--add", "Watch three", "--status", "contradicted")
	check("after adding three",
		achInd{hA, "Watch one", "not-seen", ""}, achInd{hA, "Watch three", "contradicted", ""}, achInd{hB, "Watch two", "seen", card})

	// Changing keeps the fields not given.
	ind("--hypothesis", "1", "--indicator", "2", "--status", "seen")
	ind("--hypothesis", "1", "--indicator", "1", "--text", "Watch 1", "--card", card)
	ind("--hypothesis", "2", "--indicator", "1", "--card", "")
	check("after the changes",
		achInd{hA, "Watch 1", "not-seen", card}, achInd{hA, "Watch three", "seen", ""}, achInd{hB, "Watch two", "seen", ""})

	before := mustBB(t, "ach", "show", "--workspace", dir, "--id", id, "--json")
	ind("--hypothesis", "1", "--indicator", "1", "--remove")
	check("after removing the first of A", achInd{hA, "Watch three", "seen", ""}, achInd{hB, "Watch two", "seen", ""})
	ind("--hypothesis", "2", "--indicator", "1", "--remove")
	check("after removing B's only one", achInd{hA, "Watch three", "seen", ""})
	mustBB(t, "undo", "--workspace", dir)
	mustBB(t, "undo", "--workspace", dir)
	if after := mustBB(t, "ach", "show", "--workspace", dir, "--id", id, "--json"); after != before {
		t.Fatalf("two undos did not bring back the two indicators:\n%s", after)
	}

	// A number the hypothesis does not have: exit 1, one clear line,
	// nothing changed.
	state := achState(t, dir, id)
	for _, args := range [][]string{
		{"--hypothesis", "1", "--indicator", "3", "--status", "seen"},
		{"--hypothesis", "2", "--indicator", "0", "--remove"},
		{"--hypothesis", "1", "--indicator", "-1", "--text", "x"},
	} {
		out, errs, code := bb(t, append([]string{"ach", "indicator", "--workspace", dir, "--id", id}, args...)...)
		if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "has no indicator") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	if after := achState(t, dir, id); after != state {
		t.Fatalf("a bad --indicator changed the workspace:\n%s", after)
	}
}

func TestCLI_ACHEditQuestionAndConclusion(t *testing.T) {
	dir := newDemo(t)
	id, _ := achNew(t, dir, "A;B")
	edit := func(args ...string) map[string]any {
		t.Helper()
		if out := mustBB(t, append([]string{"ach", "edit", "--workspace", dir, "--id", id}, args...)...); out != "" {
			t.Errorf("ach edit %v printed %q", args, out)
		}
		return achShowJSON(t, dir, "--id", id)
	}
	if s := edit("--conclusion", " It holds. "); s["conclusion"] != "It holds." || s["question"] != "Will the grid hold?" {
		t.Fatalf("after --conclusion: %q, %q", s["question"], s["conclusion"])
	}
	if s := edit("--question", "Will the grid hold in January?"); s["question"] != "Will the grid hold in January?" || s["conclusion"] != "It holds." {
		t.Fatalf("after --question: %q, %q", s["question"], s["conclusion"])
	}
	if s := edit("--conclusion", ""); s["conclusion"] != "" || s["question"] != "Will the grid hold in January?" {
		t.Fatalf(`after --conclusion "": %q, %q`, s["question"], s["conclusion"])
	}
	before := mustBB(t, "ach", "show", "--workspace", dir, "--id", id, "--json")
	if s := edit("--question", "Q2", "--conclusion", "C2"); s["question"] != "Q2" || s["conclusion"] != "C2" {
		t.Fatalf("after both: %q, %q", s["question"], s["conclusion"])
	}
	mustBB(t, "undo", "--workspace", dir)
	if after := mustBB(t, "ach", "show", "--workspace", dir, "--id", id, "--json"); after != before {
		t.Fatalf("one undo did not take back the question and the conclusion:\n%s", after)
	}
}

func TestCLI_ACHEditErrorsChangeNothing(t *testing.T) {
	dir := newDemo(t)
	id := achListJSON(t, dir)[0]["id"].(string)
	before := achState(t, dir, id)
	for _, tc := range []struct {
		code int
		want string
		args []string
	}{
		{2, "--question Q or --conclusion C", []string{"edit", "--id", id}},
		{2, "--id ACH", []string{"edit", "--conclusion", "x"}},
		{1, "question", []string{"edit", "--id", id, "--question", " "}},
		{1, "not found", []string{"edit", "--id", "nosuchmatrix", "--conclusion", "x"}},
		{2, "--add TITLE", []string{"hypothesis", "--id", id}},
		{2, "--add TITLE", []string{"hypothesis", "--id", id, "--hypothesis", "1"}},
		{2, "--id ACH", []string{"hypothesis", "--add", "E"}},
		{2, "--add TITLE takes no", []string{"hypothesis", "--id", id, "--add", "E", "--hypothesis", "1"}},
		{2, "--remove takes no", []string{"hypothesis", "--id", id, "--hypothesis", "1", "--remove", "--title", "x"}},
		{2, "positions start at 1", []string{"hypothesis", "--id", id, "--hypothesis", "1", "--position", "0"}},
		{2, "--position", []string{"hypothesis", "--id", id, "--hypothesis", "1", "--position", "last"}},
		{2, "--hypothesis", []string{"hypothesis", "--id", id, "--hypothesis", "9", "--title", "x"}},
		{2, "--hypothesis", []string{"hypothesis", "--id", id, "--hypothesis", "nosuch", "--remove"}},
		{1, "hypothesis", []string{"hypothesis", "--id", id, "--hypothesis", "1", "--title", " "}},
		{1, "hypothesis", []string{"hypothesis", "--id", id, "--add", " "}},
		{1, "not found", []string{"hypothesis", "--id", "nosuchmatrix", "--hypothesis", "1", "--remove"}},
		{2, "--hypothesis N", []string{"indicator", "--id", id, "--add", "x"}},
		{2, "not both", []string{"indicator", "--id", id, "--hypothesis", "1", "--add", "x", "--indicator", "1"}},
		{2, "--indicator K with", []string{"indicator", "--id", id, "--hypothesis", "1", "--indicator", "1"}},
		{2, "--add TEXT takes no", []string{"indicator", "--id", id, "--hypothesis", "1", "--add", "x", "--remove"}},
		{2, "--remove takes no", []string{"indicator", "--id", id, "--hypothesis", "1", "--indicator", "1", "--remove", "--status", "seen"}},
		{2, "maybe", []string{"indicator", "--id", id, "--hypothesis", "1", "--add", "x", "--status", "maybe"}},
		{2, "--indicator", []string{"indicator", "--id", id, "--hypothesis", "1", "--indicator", "first", "--remove"}},
		{2, "--hypothesis", []string{"indicator", "--id", id, "--hypothesis", "9", "--add", "x"}},
		{1, "has no indicator 9 (it lists 2)", []string{"indicator", "--id", id, "--hypothesis", "1", "--indicator", "9", "--remove"}},
		{1, "indicator", []string{"indicator", "--id", id, "--hypothesis", "1", "--add", " "}},
		{1, "does not exist", []string{"indicator", "--id", id, "--hypothesis", "1", "--add", "x", "--card", "aaaaaaaaaaaaaaaaaaaaaaaaaa"}},
		{1, "not found", []string{"indicator", "--id", "nosuchmatrix", "--hypothesis", "1", "--add", "x"}},
	} {
		args := append([]string{"ach", tc.args[0], "--workspace", dir}, tc.args[1:]...)
		out, errs, code := bb(t, args...)
		if code != tc.code || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "briefboard: ") ||
			strings.Contains(errs, "Usage:") || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and one line with %q", args, code, out, errs, tc.code, tc.want)
		}
	}
	if after := achState(t, dir, id); after != before {
		t.Fatal("failed commands changed the workspace")
	}
	if _, errs, code := bb(t, "ach"); code != 2 || !strings.Contains(errs, "edit|hypothesis|indicator") {
		t.Errorf("ach alone: exit %d, %q", code, errs)
	}
}
