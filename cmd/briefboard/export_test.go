package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func pdftotext(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func TestCLI_ExportPDF(t *testing.T) {
	dir := newDemo(t)
	before := mustBB(t, "log", "--workspace", dir)
	out := filepath.Join(t.TempDir(), "brief.pdf")
	// Flags before and after the subcommand's name, titles for boards.
	mustBB(t, "export", "pdf", "-o", out, "--workspace", dir, "--max-tlp", "green", "--paper", "letter",
		"--date", "2025-12-29", "--boards", "20-point peace blueprint,Context", "--lanes", "open,bracketed", "--no-annotations", "--draft")
	info, err := exec.Command("pdfinfo", out).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"letter", "Dec 29", "2025", "TLP:GREEN"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	text := pdftotext(t, out)
	for _, want := range []string{"TLP:GREEN", "20-point peace blueprint", "Context", "Who met in Florida"} {
		if !strings.Contains(text, want) {
			t.Errorf("the brief lacks %q", want)
		}
	}
	// Left out by the cap (a RED card's title and body, an AMBER card), by
	// --boards, by --lanes, and by --no-annotations (a GREEN card's GREEN
	// question).
	for _, not := range []string{"TLP:RED", "Chokepoint", "gatekeeper", "Anchoring", "Economic development plan",
		"Three-pillar work plan", "ANNOTATIONS", "Zelenskyy mean"} {
		if strings.Contains(text, not) {
			t.Errorf("the brief has %q, which the options leave out", not)
		}
	}
	// With annotations, the GREEN question is there and the RED comment on
	// a CLEAR card is not; without a cap the RED comment is there too.
	withNotes := filepath.Join(t.TempDir(), "notes.pdf")
	mustBB(t, "export", "pdf", "-o", withNotes, "--workspace", dir, "--max-tlp", "green",
		"--boards", "20-point peace blueprint", "--lanes", "open", "--draft")
	text = pdftotext(t, withNotes)
	if !strings.Contains(text, "Zelenskyy mean") || strings.Contains(text, "whip") {
		t.Errorf("with annotations, capped at GREEN: GREEN question %v, RED comment %v",
			strings.Contains(text, "Zelenskyy mean"), strings.Contains(text, "whip"))
	}
	uncapped := filepath.Join(t.TempDir(), "uncapped.pdf")
	mustBB(t, "export", "pdf", "-o", uncapped, "--workspace", dir, "--boards", "20-point peace blueprint", "--lanes", "open", "--draft")
	if text := pdftotext(t, uncapped); !strings.Contains(text, "whip") || !strings.Contains(text, "gatekeeper") {
		t.Error("without a cap the RED comment or the RED card is missing, so their absence above proves nothing")
	}
	if after := mustBB(t, "log", "--workspace", dir); after != before {
		t.Errorf("a draft export changed the workspace's journal:\n%s\n---\n%s", before, after)
	}
	// The same workspace and options give the same bytes.
	again := filepath.Join(t.TempDir(), "again.pdf")
	mustBB(t, "export", "pdf", "--workspace", dir, "-o", again, "--max-tlp", "green", "--paper", "letter",
		"--date", "2025-12-29", "--boards", "20-point peace blueprint,Context", "--lanes", "open,bracketed", "--no-annotations", "--draft")
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) {
		t.Error("two exports of one workspace with one date differ")
	}
}

func TestCLI_ExportMarkdown(t *testing.T) {
	dir := newDemo(t)
	out := filepath.Join(t.TempDir(), "brief.md")
	mustBB(t, "export", "md", "--workspace", dir, "-o", out, "--max-tlp", "amber")
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(md)
	if !strings.HasPrefix(s, "**TLP:AMBER**") || !strings.Contains(s, "# Florida talks on ending the war in Ukraine") {
		t.Errorf("the Markdown brief starts %q", s[:min(200, len(s))])
	}
	if !strings.Contains(s, "Володимир Зеленський") || strings.Contains(s, "whip") || strings.Contains(s, "Tripwire") {
		t.Error("the Markdown brief's content does not follow the cap")
	}
}

func TestCLI_ExportRefusesBadInputAndKeepsFiles(t *testing.T) {
	dir := newDemo(t)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "brief.pdf")
	if err := os.WriteFile(out, []byte("the last good brief"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--max-tlp", "purple"}, 2, "unknown TLP level"},
		{[]string{"--paper", "a3"}, 2, "--paper"},
		{[]string{"--date", "29/12/2025"}, 2, "--date"},
		{[]string{"--boards", "no such board"}, 1, "no board"},
		{[]string{"--lanes", "nowhere"}, 1, "no lane"},
	} {
		args := append([]string{"export", "pdf", "--workspace", dir, "-o", out}, c.args...)
		_, errs, code := bb(t, args...)
		if code != c.code || !strings.Contains(errs, c.msg) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with one line about %q", c.args, code, errs, c.code, c.msg)
		}
	}
	if _, errs, code := bb(t, "export", "pdf", "--workspace", dir); code != 2 || !strings.Contains(errs, "-o FILE") {
		t.Errorf("no -o: exit %d, %q", code, errs)
	}
	if _, _, code := bb(t, "export", "pdf", "-o", out); code != 2 {
		t.Errorf("no --workspace: exit %d", code)
	}
	got, _ := os.ReadFile(out)
	if string(got) != "the last good brief" {
		t.Error("a failed export replaced the existing file")
	}
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 1 {
		t.Errorf("a failed export left files behind: %v", entries)
	}
}
