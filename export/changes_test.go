package export_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"briefboard/export"
	"briefboard/workspace"
)

// firstRound is the date of the brief the second round follows.
var firstRound = time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)

// secondRoundDate is the date of the brief that follows it.
var secondRoundDate = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

func cardTitled(tb testing.TB, snap *workspace.Snapshot, title string) *workspace.Card {
	tb.Helper()
	for _, c := range snap.Cards {
		if c.Title == title {
			return c
		}
	}
	tb.Fatalf("no card %q", title)
	return nil
}

// recordBrief records the brief export writes with opts.
func recordBrief(tb testing.TB, s *workspace.Store, opts export.Options) *workspace.RecordedBrief {
	tb.Helper()
	rb, err := export.BriefRecord(mustSnapshot(tb, s), opts)
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.RecordBrief(rb); err != nil {
		tb.Fatal(err)
	}
	return rb
}

// playSecondRound makes the changes of a second round: a card moved to
// Agreed, a stance change, a revised likelihood, a new card, a deleted
// card, a card raised above GREEN and retitled (SECRET-NEW), a card above
// GREEN edited (SECRET-EDIT).
func playSecondRound(tb testing.TB, s *workspace.Store) {
	tb.Helper()
	snap := mustSnapshot(tb, s)
	edit := func(title string, fn func(c *workspace.Card)) {
		tb.Helper()
		if _, err := s.UpdateCard(cardTitled(tb, snap, title).ID, "Edit card", func(c *workspace.Card) error { fn(c); return nil }); err != nil {
			tb.Fatal(err)
		}
	}
	if err := s.MoveCard(cardTitled(tb, snap, "Zelenskyy: some things neither side is ready for").ID, workspace.Move{Lane: "Agreed"}); err != nil {
		tb.Fatal(err)
	}
	edit("20-point blueprint developed further; text not yet settled", func(c *workspace.Card) {
		c.Positions["ru"] = workspace.Position{Stance: workspace.StanceOpposes}
	})
	edit("Moscow unlikely to accept the Florida revisions as drafted", func(c *workspace.Card) {
		c.Likelihood = workspace.LikelihoodVeryUnlikely
	})
	clear := workspace.TLPClear
	if _, err := s.AddCard(workspace.CardDraft{Board: snap.FindBoard("20-point peace blueprint").ID, Title: "Moscow answers through Dmitriev",
		TLP: &clear}); err != nil {
		tb.Fatal(err)
	}
	if err := s.DeleteCard(cardTitled(tb, snap, "Entrenched positions could stall the process").ID); err != nil {
		tb.Fatal(err)
	}
	raised := cardTitled(tb, snap, "How will the blueprint treat territorial concessions?")
	edit(raised.Title, func(c *workspace.Card) { c.Title = "SECRET-NEW territorial concessions" })
	if err := s.SetMarking(workspace.KeyOf(raised), workspace.TLPAmber); err != nil {
		tb.Fatal(err)
	}
	edit("Chokepoint: Washington as gatekeeper of Russian objections", func(c *workspace.Card) {
		c.Body += " SECRET-EDIT"
		c.Confidence = workspace.ConfidenceHigh
	})
}

// changesSection cuts the section "Changes since" out of a brief's text:
// from its heading to the heading next.
func changesSection(tb testing.TB, text, next string) string {
	tb.Helper()
	i := strings.Index(text, "What changed since")
	if i < 0 {
		tb.Fatalf("no section \"Changes since\" in:\n%.2000s", text)
	}
	i = strings.LastIndex(text[:i], "Changes since")
	end := strings.Index(text[i:], next)
	if end < 0 {
		tb.Fatalf("the section \"Changes since\" does not end with %q", next)
	}
	return text[i : i+end]
}

// pageLines drops the header and footer lines pdftotext repeats on every
// page, so a section reads as one text.
func pageLines(pages []string) string {
	var out []string
	for _, p := range pages {
		for _, l := range strings.Split(p, "\n") {
			if strings.Contains(l, "Florida talks on ending the war in Ukraine") && strings.Contains(l, "TLP:") ||
				strings.Contains(l, "Page ") && strings.Contains(l, " of ") && strings.Contains(l, "As of") {
				continue
			}
			out = append(out, strings.TrimRight(l, " "))
		}
	}
	return strings.Join(out, "\n")
}

var mdAnchor = regexp.MustCompile(`card-[a-z2-7]{26}`)

// stableAnchors numbers the card anchors of a Markdown brief in order of
// appearance: card ids are random.
func stableAnchors(md string) string {
	n := map[string]string{}
	return mdAnchor.ReplaceAllStringFunc(md, func(a string) string {
		if _, ok := n[a]; !ok {
			n[a] = fmt.Sprintf("card-%d", len(n)+1)
		}
		return n[a]
	})
}

func TestBrief_ChangesSection_SecondRound(t *testing.T) {
	s := mustCreate(t, "three-pillars")
	green := workspace.TLPGreen
	full := recordBrief(t, s, export.Options{Date: firstRound})
	capped := recordBrief(t, s, export.Options{Date: firstRound, MaxTLP: &green})
	playSecondRound(t, s)
	snap := mustSnapshot(t, s)

	for _, c := range []struct {
		name string
		base *workspace.RecordedBrief
		cap  *workspace.TLP
	}{{"uncapped", full, nil}, {"green", capped, &green}} {
		opts := export.Options{Date: secondRoundDate, MaxTLP: c.cap, Since: workspace.BriefBaseline(c.base)}
		pdf := brief(t, snap, opts)
		pages := pdfText(t, pdf)
		text := pageLines(pages)
		section := changesSection(t, text, "Background: Context")
		golden(t, "changes-"+c.name+".txt", []byte(strings.TrimSpace(section)+"\n"))
		if !strings.Contains(pages[0], "FOLLOWS  The brief of 29 December 2025") && !strings.Contains(squash(pages[0]), "FOLLOWS The brief of 29 December 2025") {
			t.Errorf("%s: the cover does not say which brief it follows:\n%s", c.name, pages[0])
		}
		var md bytes.Buffer
		if err := export.Markdown(&md, snap, opts); err != nil {
			t.Fatal(err)
		}
		mdText := stableAnchors(md.String())
		mdSection := mdText[strings.Index(mdText, "## Changes since"):strings.Index(mdText, "## Background: Context")]
		golden(t, "changes-"+c.name+".md", []byte(mdSection))

		// The card raised above the cap is named by its old title only;
		// the card edited above the cap is not mentioned. Uncapped, the
		// same searches find both (the positive control).
		for _, out := range []string{squash(text), mdText} {
			secret := strings.Contains(out, "SECRET-NEW") || strings.Contains(out, "SECRET-EDIT")
			if c.cap != nil && secret || c.cap == nil && !secret {
				t.Errorf("%s: SECRET-NEW or SECRET-EDIT in the brief: %v", c.name, secret)
			}
		}
		chokepoint := strings.Contains(section, "Chokepoint")
		if chokepoint != (c.cap == nil) {
			t.Errorf("%s: the edited RED card in the section: %v", c.name, chokepoint)
		}
		if !strings.Contains(mdSection, "“How will the blueprint treat territorial concessions?”") {
			t.Errorf("%s: the section does not name the raised card by its old title", c.name)
		}
	}
}

// TestBrief_ChangesSection_PointsToThePages checks every page number of
// the section against the page the card's title is on, and that the
// section is left out without a baseline.
func TestBrief_ChangesSection_PointsToThePages(t *testing.T) {
	s := mustCreate(t, "three-pillars")
	rb := recordBrief(t, s, export.Options{Date: firstRound})
	playSecondRound(t, s)
	snap := mustSnapshot(t, s)
	pages := pdfText(t, brief(t, snap, export.Options{Date: secondRoundDate, Since: workspace.BriefBaseline(rb)}))
	ref := regexp.MustCompile(`^“(.+?)”.*?\s(\d+)$`)
	checked := 0
	for _, p := range pages {
		if !strings.Contains(p, "What changed since") && checked == 0 {
			continue
		}
		for _, l := range strings.Split(p, "\n") {
			m := ref.FindStringSubmatch(strings.TrimSpace(l))
			if m == nil {
				continue
			}
			n, _ := strconv.Atoi(m[2])
			title := m[1]
			if !strings.Contains(squash(pages[n-1]), squash(title)) {
				t.Errorf("%q points to page %d, which does not show it", title, n)
			}
			checked++
		}
		if checked > 0 && strings.Contains(p, "Background: Context") {
			break
		}
	}
	if checked < 5 {
		t.Fatalf("only %d sentences point to a page", checked)
	}
	for _, p := range pdfText(t, brief(t, snap, export.Options{Date: secondRoundDate})) {
		if strings.Contains(p, "Changes since") || strings.Contains(p, "FOLLOWS") {
			t.Fatal("a brief without a baseline prints a section \"Changes since\"")
		}
	}
}

// TestBrief_ChangeBars renders the pages and looks for the bar in the left
// margin: beside the changed cards, and nowhere without a baseline.
func TestBrief_ChangeBars(t *testing.T) {
	s := mustCreate(t, "three-pillars")
	rb := recordBrief(t, s, export.Options{Date: firstRound})
	playSecondRound(t, s)
	snap := mustSnapshot(t, s)
	bars := func(pdf []byte) map[int]bool {
		dir := t.TempDir()
		f := filepath.Join(dir, "b.pdf")
		os.WriteFile(f, pdf, 0o644)
		if out, err := exec.Command("pdftoppm", "-r", "36", "-png", f, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		found := map[int]bool{}
		names, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
		for _, name := range names {
			fh, _ := os.Open(name)
			img, err := png.Decode(fh)
			fh.Close()
			if err != nil {
				t.Fatal(err)
			}
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(name), "p-"), ".png"))
			found[n] = hasBar(img)
		}
		return found
	}
	with := bars(brief(t, snap, export.Options{Date: secondRoundDate, Since: workspace.BriefBaseline(rb)}))
	without := bars(brief(t, snap, export.Options{Date: secondRoundDate}))
	pages := pdfText(t, brief(t, snap, export.Options{Date: secondRoundDate, Since: workspace.BriefBaseline(rb)}))
	for i, p := range pages {
		// A card's own title stands beside its TLP label; a table row's
		// does not.
		changed := strings.Contains(squash(p), "Moscow answers through Dmitriev TLP:CLEAR") ||
			strings.Contains(squash(p), "Zelenskyy: some things neither side is ready for TLP:CLEAR")
		if changed && !with[i+1] {
			t.Errorf("page %d shows a changed card but no change bar", i+1)
		}
	}
	n := 0
	for pg, ok := range with {
		if ok {
			n++
		}
		if without[pg] {
			t.Errorf("page %d has a change bar in a brief that follows none", pg)
		}
	}
	if n < 3 {
		t.Errorf("only %d pages carry a change bar", n)
	}
}

// hasBar looks for the bar's colour in the left margin of a page.
func hasBar(img image.Image) bool {
	b := img.Bounds()
	w := float64(b.Dx())
	// The bar is 15-16 mm from the left edge of a 210 mm page.
	x0, x1 := int(w*14/210), int(w*17/210)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := x0; x <= x1; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 > 0xA0 && g>>8 > 0x40 && g>>8 < 0x70 && bl>>8 < 0x30 {
				return true
			}
		}
	}
	return false
}
