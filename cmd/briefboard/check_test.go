package main

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// checkJSON runs `check --json` with extra flags and returns the exit code
// and the decoded findings, failing on anything but the contract's shape.
func checkJSON(t *testing.T, dir string, flags ...string) (int, []map[string]any, string) {
	t.Helper()
	out, errs, code := bb(t, append([]string{"check", "--workspace", dir, "--json"}, flags...)...)
	var v map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("check --json printed %q: %v (stderr %q)", out, err, errs)
	}
	if len(v) != 2 || v["findings"] == nil || v["accepted"] == nil {
		t.Fatalf("check --json keys: %v, want findings and accepted", keys(v))
	}
	var fs []map[string]any
	if err := json.Unmarshal(v["findings"], &fs); err != nil || fs == nil {
		t.Fatalf("findings is not an array: %s", v["findings"])
	}
	for _, f := range fs {
		var ks []string
		for k, val := range f {
			ks = append(ks, k)
			if _, ok := val.(string); !ok {
				t.Errorf("finding field %s is %T, want a string", k, val)
			}
		}
		sort.Strings(ks)
		if strings.Join(ks, ",") != "card,field,message,rule,severity,title" {
			t.Fatalf("finding keys %v", ks)
		}
		if s := f["severity"]; s != "error" && s != "warning" {
			t.Fatalf("severity %q", s)
		}
	}
	return code, fs, errs
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func findingsOf(fs []map[string]any, rule, card string) int {
	n := 0
	for _, f := range fs {
		if f["rule"] == rule && (card == "" || f["card"] == card) {
			n++
		}
	}
	return n
}

func TestCLI_CheckDemoJSONShape(t *testing.T) {
	dir := newDemo(t)
	code, fs, _ := checkJSON(t, dir, "--strict", "--date", "2025-12-30")
	if code != 0 {
		t.Fatalf("the demo fails --strict: exit %d", code)
	}
	for _, rule := range []string{"single-source", "quote-missing", "open-question"} {
		if findingsOf(fs, rule, "") == 0 {
			t.Errorf("the demo shows no %s warning", rule)
		}
	}
	if findingsOf(fs, "stale-source", "") != 0 {
		t.Error("a brief dated two days after the talks finds stale sources")
	}
	// A year later the same sources are stale.
	if _, fs, _ := checkJSON(t, dir, "--date", "2026-12-28"); findingsOf(fs, "stale-source", "") == 0 {
		t.Error("a brief a year later finds no stale source")
	}
}

func TestCLI_CheckStrictExitCodes(t *testing.T) {
	dir := newDemo(t)
	board := listJSON(t, dir)["boards"].([]any)[0].(map[string]any)["id"].(string)
	id := strings.TrimSpace(mustBB(t, "card", "add", "--workspace", dir, "--board", board, "--kind", "judgment",
		"--title", "Talks unlikely to resume before spring", "--likelihood", "likely", "--confidence", "moderate", "--tlp", "amber"))
	card := findCard(t, listJSON(t, dir), id)
	if card["likelihood"] != "likely" || card["confidence"] != "moderate" {
		t.Fatalf("card add --likelihood --confidence: %v %v", card["likelihood"], card["confidence"])
	}

	// Without --strict: exit 0 with the error listed.
	code, fs, _ := checkJSON(t, dir, "--date", "2025-12-30")
	if code != 0 || findingsOf(fs, "wep-mismatch", id) != 1 {
		t.Fatalf("check: exit %d, %d wep-mismatch findings on the new card", code, findingsOf(fs, "wep-mismatch", id))
	}
	// With --strict: exit 1, the findings still printed, one line on stderr.
	code, fs, errs := checkJSON(t, dir, "--date", "2025-12-30", "--strict")
	if code != 1 || findingsOf(fs, "wep-mismatch", id) != 1 {
		t.Fatalf("check --strict: exit %d, findings %v", code, fs)
	}
	if strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, "1 error-severity finding open") {
		t.Errorf("check --strict stderr %q", errs)
	}
	// Text output says the same.
	out, _, code := bb(t, "check", "--workspace", dir, "--date", "2025-12-30", "--strict")
	if code != 1 || !regexp.MustCompile(`(?m)^error +wep-mismatch +`+id).MatchString(out) || !strings.Contains(out, "1 error and") {
		t.Errorf("check --strict (text): exit %d\n%s", code, out)
	}
	// A brief capped at GREEN leaves the AMBER judgment out, and passes.
	if code, fs, _ := checkJSON(t, dir, "--date", "2025-12-30", "--strict", "--max-tlp", "green"); code != 0 || findingsOf(fs, "", id) != 0 {
		t.Errorf("check --max-tlp green --strict: exit %d, %d findings on the AMBER card", code, findingsOf(fs, "", id))
	}
	// Setting the likelihood the words say clears the error.
	mustBB(t, "card", "edit", "--workspace", dir, "--id", id, "--likelihood", "unlikely")
	if code, fs, _ := checkJSON(t, dir, "--date", "2025-12-30", "--strict"); code != 0 || findingsOf(fs, "wep-mismatch", id) != 0 {
		t.Errorf("after card edit --likelihood unlikely: exit %d", code)
	}
	// Clearing the confidence makes a new error.
	mustBB(t, "card", "edit", "--workspace", dir, "--id", id, "--confidence", "")
	if code, fs, _ := checkJSON(t, dir, "--date", "2025-12-30", "--strict"); code != 1 || findingsOf(fs, "confidence-missing", id) != 1 {
		t.Errorf("after clearing the confidence: exit %d", code)
	}
}

func TestCLI_CheckAndCardRefuseBadInput(t *testing.T) {
	dir := newDemo(t)
	before := mustBB(t, "list", "--json", "--workspace", dir)
	board := listJSON(t, dir)["boards"].([]any)[0].(map[string]any)["id"].(string)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--workspace", dir, "--date", "30/12/2025"}, `--date must be YYYY-MM-DD, not "30/12/2025"`},
		{[]string{"check", "--workspace", dir, "--max-tlp", "purple"}, `unknown TLP level "purple"`},
		{[]string{"check", "--workspace", dir, "--boards", "No such pillar"}, `no board "No such pillar"`},
		{[]string{"check"}, "--workspace DIR is required"},
		{[]string{"card", "add", "--workspace", dir, "--board", board, "--title", "T", "--likelihood", "probable"}, `likelihood "probable" is not an ICD 203 term`},
		{[]string{"card", "add", "--workspace", dir, "--board", board, "--title", "T", "--confidence", "total"}, `confidence "total" is not low, moderate or high`},
		{[]string{"card", "edit", "--workspace", dir, "--id", "x", "--likelihood", "maybe"}, `likelihood "maybe"`},
	} {
		out, errs, code := bb(t, tc.args...)
		if code == 0 || out != "" || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want one line with %q", tc.args, code, out, errs, tc.want)
		}
	}
	if after := mustBB(t, "list", "--json", "--workspace", dir); after != before {
		t.Error("refused commands changed the workspace")
	}
	// Positive control: the words as `list --json` writes them work.
	mustBB(t, "card", "add", "--workspace", dir, "--board", board, "--title", "T", "--likelihood", "almost-no-chance", "--confidence", "HIGH")
}

// An accepted finding leaves the open ones (and --strict) and is listed
// apart with its reason, until the card's text changes.
func TestCLI_CheckAcceptAndReopen(t *testing.T) {
	dir := newDemo(t)
	board := listJSON(t, dir)["boards"].([]any)[0].(map[string]any)["id"].(string)
	id := strings.TrimSpace(mustBB(t, "card", "add", "--workspace", dir, "--board", board, "--kind", "judgment",
		"--title", "Talks unlikely to resume before spring", "--likelihood", "likely", "--confidence", "moderate"))
	if code, _, _ := checkJSON(t, dir, "--date", "2025-12-30", "--strict"); code != 1 {
		t.Fatalf("check --strict before accepting: exit %d", code)
	}
	mustBB(t, "check", "accept", "--workspace", dir, "--card", id, "--rule", "wep-mismatch", "--reason", "The words quote the delegation")
	out, _, code := bb(t, "check", "--workspace", dir, "--date", "2025-12-30", "--strict", "--json")
	if code != 0 {
		t.Fatalf("check --strict after accepting the only error: exit %d", code)
	}
	var v struct{ Findings, Accepted []map[string]any }
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if findingsOf(v.Findings, "wep-mismatch", id) != 0 || findingsOf(v.Accepted, "wep-mismatch", id) != 1 {
		t.Fatalf("open %v, accepted %v", v.Findings, v.Accepted)
	}
	if acc := v.Accepted[0]["accepted"].(map[string]any); acc["reason"] != "The words quote the delegation" {
		t.Fatalf("acceptance %v", acc)
	}
	// Editing the card's text raises it again.
	mustBB(t, "card", "edit", "--workspace", dir, "--id", id, "--title", "Talks unlikely to resume before the spring")
	if code, fs, _ := checkJSON(t, dir, "--date", "2025-12-30", "--strict"); code != 1 || findingsOf(fs, "wep-mismatch", id) != 1 {
		t.Fatalf("after an edit: exit %d", code)
	}
	// Accept again, then reopen.
	mustBB(t, "check", "accept", "--workspace", dir, "--card", id, "--rule", "wep-mismatch", "--reason", "Still quoting")
	mustBB(t, "check", "reopen", "--workspace", dir, "--card", id, "--rule", "wep-mismatch")
	if code, _, _ := checkJSON(t, dir, "--date", "2025-12-30", "--strict"); code != 1 {
		t.Fatalf("after reopening: exit %d", code)
	}
	before := mustBB(t, "list", "--json", "--workspace", dir)
	for _, args := range [][]string{
		{"check", "accept", "--workspace", dir, "--card", id, "--rule", "no-such-rule", "--reason", "x"},
		{"check", "accept", "--workspace", dir, "--card", id, "--rule", "hedge"},
		{"check", "accept", "--workspace", dir, "--card", "nosuchcard", "--rule", "hedge", "--reason", "x"},
		{"check", "reopen", "--workspace", dir, "--card", id, "--rule", "hedge"},
	} {
		if _, errs, code := bb(t, args...); code == 0 || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	if after := mustBB(t, "list", "--json", "--workspace", dir); after != before {
		t.Error("refused commands changed the workspace")
	}
}
