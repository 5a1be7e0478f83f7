package export_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"briefboard/export"
	"briefboard/workspace"
)

// wordBoxes returns every word pdftotext finds with its right edge, and
// the page width, in points.
func wordBoxes(t *testing.T, pdf []byte) (words []string, right []float64, width float64) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "b.pdf")
	os.WriteFile(f, pdf, 0o644)
	out, err := exec.Command("pdftotext", "-bbox", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	page := regexp.MustCompile(`<page width="([\d.]+)"`).FindSubmatch(out)
	width, _ = strconv.ParseFloat(string(page[1]), 64)
	for _, m := range regexp.MustCompile(`<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`).FindAllSubmatch(out, -1) {
		x, _ := strconv.ParseFloat(string(m[1]), 64)
		words = append(words, string(m[2]))
		right = append(right, x)
	}
	return words, right, width
}

// manyParties is a snapshot with ten parties and long card titles: the
// positions matrix must still fit across the page.
func manyParties() *workspace.Snapshot {
	snap := fuzzSnapshot("Ten parties", "A board with many parties.", "note", 2)
	snap.Meta.Parties = nil
	c := snap.Cards["c1"]
	c.Title = strings.Repeat("A very long card title that has to wrap inside its cell ", 4)
	c.Positions = map[string]workspace.Position{}
	for i := 0; i < 10; i++ {
		id := fmt.Sprintf("p%d", i)
		snap.Meta.Parties = append(snap.Meta.Parties, workspace.Party{ID: id, Name: fmt.Sprintf("Party number %d", i), Short: fmt.Sprintf("Party%d", i)})
		c.Positions[id] = workspace.Position{Stance: workspace.Stances[i%len(workspace.Stances)]}
	}
	return snap
}

func TestBrief_FitsThePage(t *testing.T) {
	cases := map[string]*workspace.Snapshot{"demo": demo(t), "ten parties": manyParties()}
	for name, snap := range cases {
		for _, paper := range []string{"a4", "letter"} {
			words, right, width := wordBoxes(t, brief(t, snap, export.Options{Paper: paper}))
			if len(words) < 50 {
				t.Fatalf("%s %s: only %d words", name, paper, len(words))
			}
			margin := 20 / 25.4 * 72 // the right margin, 20 mm
			for i, w := range words {
				if right[i] > width-margin+0.5 {
					t.Errorf("%s %s: %q ends at %.1f pt, past the margin at %.1f", name, paper, w, right[i], width-margin)
				}
			}
		}
	}
	// Ten parties do not fit as words: the matrix uses codes, and says so.
	text := strings.Join(pdfText(t, brief(t, manyParties(), export.Options{})), " ")
	for _, want := range []string{"SUP", "RED", "Red line", "Party9"} {
		if !strings.Contains(text, want) {
			t.Errorf("ten-party brief lacks %q", want)
		}
	}
}
