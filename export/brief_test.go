package export_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"briefboard/export"
	"briefboard/workspace"
)

// stableDemo is the demo workspace: its threads are in template order,
// so the brief does not depend on the random ids of a new copy.
func stableDemo(tb testing.TB) *workspace.Snapshot { return demo(tb) }

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		bad := filepath.Join(t.TempDir(), name)
		os.WriteFile(bad, got, 0o644)
		t.Errorf("%s differs from the golden file (%d bytes, want %d); this run's output is %s", name, len(got), len(want), bad)
	}
}

func TestBrief_Golden(t *testing.T) {
	snap := stableDemo(t)
	golden(t, "demo-a4.pdf", brief(t, snap, export.Options{}))
	golden(t, "demo-letter-green.pdf", brief(t, snap, export.Options{Paper: "letter", MaxTLP: tlpPtr(workspace.TLPGreen)}))
	var md bytes.Buffer
	if err := export.Markdown(&md, snap, export.Options{Date: pinned}); err != nil {
		t.Fatal(err)
	}
	golden(t, "demo.md", md.Bytes())
}

func TestBrief_SameInputSameBytes(t *testing.T) {
	snap := demo(t)
	for _, paper := range []string{"a4", "letter"} {
		a := brief(t, snap, export.Options{Paper: paper})
		b := brief(t, snap, export.Options{Paper: paper})
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs on one snapshot differ", paper)
		}
	}
}

// squash collapses white space, so text that wrapped still matches.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestBrief_EveryCardTitleAppears(t *testing.T) {
	snap := demo(t)
	text := squash(strings.Join(pdfText(t, brief(t, snap, export.Options{})), " "))
	if len(snap.Cards) < 30 {
		t.Fatalf("the demo has only %d cards", len(snap.Cards))
	}
	for _, c := range snap.Cards {
		if !strings.Contains(text, squash(c.Title)) {
			t.Errorf("card title %q is not in the brief", c.Title)
		}
	}
	for _, want := range []string{"Володимир Зеленський", "Київ", "Bottom line up front", "Positions matrix", "Sources"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q does not extract from the brief", want)
		}
	}
}

// aboveGreen are words that only the demo's AMBER and RED records use.
var aboveGreen = []string{"chokepoint", "gatekeeper", "unhedged", "front-loaded", "tripwire", "bottleneck",
	"readout", "fallback", "decoupled", "anchoring", "whip"}

// utf16BE encodes s as PDF text strings in the outline and metadata are.
func utf16BE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

func TestBrief_CapLeavesOutEverythingAbove(t *testing.T) {
	snap := demo(t)
	// The words are there without a cap, so their absence below means
	// something.
	full := strings.ToLower(strings.Join(pdfText(t, brief(t, snap, export.Options{})), " "))
	for _, w := range aboveGreen {
		if !strings.Contains(full, w) {
			t.Fatalf("%q is not in the uncapped brief", w)
		}
	}
	for _, paper := range []string{"a4", "letter"} {
		pdf := brief(t, snap, export.Options{MaxTLP: tlpPtr(workspace.TLPGreen), Paper: paper})
		pages := pdfText(t, pdf)
		text := strings.ToLower(strings.Join(pages, " "))
		lowerRaw := bytes.ToLower(pdf)
		for _, w := range aboveGreen {
			if strings.Contains(text, w) {
				t.Errorf("%s: %q from a record above TLP:GREEN is in the text", paper, w)
			}
			// The outline and the metadata are plain or UTF-16 strings
			// outside the compressed page streams.
			for _, enc := range [][]byte{[]byte(w), bytes.ToLower(utf16BE(w)), utf16BE(strings.ToUpper(w[:1]) + w[1:])} {
				if bytes.Contains(lowerRaw, bytes.ToLower(enc)) {
					t.Errorf("%s: %q is in the file outside the page text", paper, w)
				}
			}
		}
		for i, p := range pages {
			if strings.Contains(p, "TLP:RED") || strings.Contains(p, "TLP:AMBER") {
				t.Errorf("%s: page %d carries a marking above the cap", paper, i+1)
			}
		}
		info := pdfInfo(t, pdf)
		if !strings.Contains(info, "TLP:GREEN") {
			t.Errorf("%s: the metadata does not carry the label:\n%s", paper, info)
		}
	}
	// At CLEAR, even the GREEN source and annotations go.
	text := strings.Join(pdfText(t, brief(t, snap, export.Options{MaxTLP: tlpPtr(workspace.TLPClear)})), " ")
	if strings.Contains(text, "US officials' description of the meetings") || strings.Contains(text, "TLP:GREEN") {
		t.Error("a GREEN source or label is in the brief capped at TLP:CLEAR")
	}
}

func pdfInfo(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "b.pdf")
	os.WriteFile(f, pdf, 0o644)
	cmd := exec.Command("pdfinfo", "-enc", "UTF-8", f)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestBrief_LabelOnEveryPageTopAndBottom(t *testing.T) {
	snap := demo(t)
	for _, c := range []struct {
		cap  *workspace.TLP
		want string
	}{{nil, "TLP:RED"}, {tlpPtr(workspace.TLPAmberStrict), "TLP:AMBER+STRICT"}, {tlpPtr(workspace.TLPGreen), "TLP:GREEN"}} {
		pages := pdfText(t, brief(t, snap, export.Options{MaxTLP: c.cap}))
		if len(pages) < 8 {
			t.Fatalf("only %d pages", len(pages))
		}
		for i, p := range pages {
			lines := strings.Split(strings.TrimSpace(p), "\n")
			first, last := lines[0], lines[len(lines)-1]
			if !regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(c.want) + `(\s|$)`).MatchString(first) {
				t.Errorf("%s: page %d header %q lacks the label", c.want, i+1, first)
			}
			if !strings.Contains(last, c.want) || !strings.Contains(last, "Page "+strconv.Itoa(i+1)+" of "+strconv.Itoa(len(pages))) {
				t.Errorf("%s: page %d footer is %q", c.want, i+1, last)
			}
			if !strings.Contains(first, "Florida talks on ending the war in Ukraine") {
				t.Errorf("page %d header lacks the title: %q", i+1, first)
			}
		}
	}
}

func TestBrief_ContentsPageNumbersMatch(t *testing.T) {
	snap := demo(t)
	for _, opts := range []export.Options{{}, {Paper: "letter", NoAnnotations: true}, {MaxTLP: tlpPtr(workspace.TLPClear)}} {
		pages := pdfText(t, brief(t, snap, opts))
		entry := regexp.MustCompile(`^\s*(.+?)\s+(\d+)\s*$`)
		var found int
		for _, l := range strings.Split(pages[1], "\n") {
			m := entry.FindStringSubmatch(l)
			if m == nil || strings.Contains(l, "Page ") {
				continue
			}
			title, n := m[1], m[2]
			p, _ := strconv.Atoi(n)
			if p < 1 || p > len(pages) {
				t.Fatalf("contents entry %q points at page %d of %d", title, p, len(pages))
			}
			// The section's heading is the first line under the page header.
			body := strings.Split(strings.TrimSpace(pages[p-1]), "\n")[1:]
			for len(body) > 0 && strings.TrimSpace(body[0]) == "" {
				body = body[1:]
			}
			// A long heading wraps: its first two lines start with the title.
			head := ""
			if len(body) > 0 {
				head = strings.TrimSpace(body[0])
			}
			if len(body) > 1 && head != title {
				head = squash(head + " " + body[1])
			}
			if !strings.HasPrefix(head, title) {
				t.Errorf("contents says %q starts on page %d, which starts with %q", title, p, head)
			}
			found++
		}
		// Each ACH matrix the cap lets through has a section.
		capped, err := snap.Capped(opts.MaxTLP)
		if err != nil {
			t.Fatal(err)
		}
		if want := len(snap.Boards) + len(capped.Matrices) + 3; found != want {
			t.Errorf("found %d contents entries, want %d:\n%s", found, want, pages[1])
		}
	}
}

func TestBrief_BLUFStatesLikelihoodAndConfidenceApart(t *testing.T) {
	snap := demo(t)
	text := squash(strings.Join(pdfText(t, brief(t, snap, export.Options{})), " "))
	for _, want := range []string{
		"Moscow unlikely to accept the Florida revisions as drafted Unlikely (20–45%) · Moderate confidence",
		"Roughly even chance (45–55%) · Low confidence",
		"Likely (55–80%) · Low confidence",
		"This judgment rests on a single source.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the brief does not say %q", want)
		}
	}
	// The estimate is no longer a generated sentence that can read against
	// the judgment's own words.
	for _, not := range []string{"We judge this unlikely.", "confidence in this judgment", "We judge there is"} {
		if strings.Contains(text, not) {
			t.Errorf("the brief still says %q", not)
		}
	}
}

func TestBrief_OptionsChooseWhatIsIncluded(t *testing.T) {
	snap := demo(t)
	guarantee := snap.FindBoard("US security-guarantee framework")
	text := squash(strings.Join(pdfText(t, brief(t, snap, export.Options{Boards: []string{guarantee.ID}, Lanes: []string{"bracketed"}, NoAnnotations: true})), " "))
	if !strings.Contains(text, "US security guarantee framework for Ukraine's future defense") {
		t.Error("the bracketed guarantee card is missing")
	}
	for _, not := range []string{"20-point peace blueprint", "Witkoff: \"ensure guaranteed security\"", "ANNOTATIONS", "Economic development plan"} {
		if strings.Contains(text, not) {
			t.Errorf("%q is in a brief of one board's Bracketed lane without annotations", not)
		}
	}
	// Titles work as well as ids.
	if _, err := pdfBytes(snap, export.Options{Boards: []string{"economic development plan"}}); err != nil {
		t.Errorf("board by title: %v", err)
	}
	for _, o := range []export.Options{{Boards: []string{"no such board"}}, {Lanes: []string{"Nowhere"}}, {Paper: "a3"}, {MaxTLP: tlpPtr(9)}} {
		if _, err := pdfBytes(snap, o); err == nil {
			t.Errorf("options %+v were accepted", o)
		}
	}
}

func pdfBytes(snap *workspace.Snapshot, o export.Options) ([]byte, error) {
	var b bytes.Buffer
	err := export.Brief(&b, snap, o)
	return b.Bytes(), err
}

func TestBrief_Progress(t *testing.T) {
	snap := demo(t)
	var calls [][2]int
	brief(t, snap, export.Options{Progress: func(d, n int) { calls = append(calls, [2]int{d, n}) }})
	if len(calls) < len(snap.Cards) {
		t.Fatalf("%d progress calls for %d cards", len(calls), len(snap.Cards))
	}
	last := calls[len(calls)-1]
	if last[0] != last[1] {
		t.Errorf("progress ends at %d of %d", last[0], last[1])
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] < calls[i-1][0] {
			t.Fatalf("progress went back: %v", calls)
		}
	}
}

func TestBrief_DoesNotChangeTheSnapshot(t *testing.T) {
	snap := demo(t)
	before := len(snap.Cards)
	var anns int
	for _, as := range snap.Annotations {
		anns += len(as)
	}
	brief(t, snap, export.Options{MaxTLP: tlpPtr(workspace.TLPClear)})
	after := 0
	for _, as := range snap.Annotations {
		after += len(as)
	}
	if len(snap.Cards) != before || after != anns {
		t.Error("capping the brief changed the snapshot it was given")
	}
}

func TestBrief_OutlineAndMetadata(t *testing.T) {
	snap := demo(t)
	pdf := brief(t, snap, export.Options{Author: "Олена Аналітик"})
	if !bytes.Contains(pdf, []byte("/Outlines")) {
		t.Fatal("the brief has no outline")
	}
	for _, title := range []string{"Contents", "Bottom line up front", "20-point peace blueprint", "Positions matrix", "Sources",
		"Володимир Зеленський: a just peace and \"at least\" a diplomatic victory"} {
		if !bytes.Contains(pdf, utf16BE(title)) {
			t.Errorf("no bookmark %q", title)
		}
	}
	info := pdfInfo(t, pdf)
	for _, want := range []string{
		"Title:           Florida talks on ending the war in Ukraine",
		"Author:          Олена Аналітик",
		"Subject:         Demo workspace: the three pillars discussed in Florida, December 2025 (TLP:RED)",
		"Keywords:        TLP:RED; 20-point peace blueprint; US security-guarantee framework; Economic development plan; Context",
		"Creator:         Briefboard",
		"CreationDate:    Mon Dec 29 00:00:00 2025 UTC",
		"ModDate:         Mon Dec 29 00:00:00 2025 UTC",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("metadata lacks %q:\n%s", want, info)
		}
	}
	if !strings.Contains(strings.Join(pdfText(t, pdf)[:1], ""), "Олена Аналітик") {
		t.Error("the cover does not name the author")
	}
}
