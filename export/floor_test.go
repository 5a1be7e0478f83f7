package export_test

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"

	"briefboard/export"
	"briefboard/workspace"
)

// BenchmarkFloor_900Cards is the floor for BenchmarkBrief_900Cards: the
// same text in the same fonts, printed by floorBrief. The brief's target
// is to stay within 1.2 times it; run both in one go:
//
//	go test ./export -run '^$' -bench '(Brief|Floor)_900Cards' -count 5
func BenchmarkFloor_900Cards(b *testing.B) {
	st, _ := bigWorkspace(b, 900)
	snap := mustSnapshot(b, st)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := floorBrief(io.Discard, snap, pinned); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFloor_PrintsTheBriefsText checks that the floor prints what the
// brief prints: the words of both PDFs, as pdftotext reads them, differ
// only by the few that are not text of the workspace (page numbers,
// contents numbers).
func TestFloor_PrintsTheBriefsText(t *testing.T) {
	st, _ := bigWorkspace(t, 60)
	snap := mustSnapshot(t, st)
	var floor bytes.Buffer
	if err := floorBrief(&floor, snap, pinned); err != nil {
		t.Fatal(err)
	}
	bw := wordBag(pdfText(t, brief(t, snap, export.Options{Date: pinned})))
	fw := wordBag(pdfText(t, floor.Bytes()))
	total, missing, extra := 0, 0, 0
	var diff []string
	for w, n := range bw {
		total += n
		if d := n - fw[w]; d > 0 {
			missing += d
			diff = append(diff, fmt.Sprintf("-%s×%d", w, d))
		}
	}
	for w, n := range fw {
		if d := n - bw[w]; d > 0 {
			extra += d
			diff = append(diff, fmt.Sprintf("+%s×%d", w, d))
		}
	}
	sort.Strings(diff)
	t.Logf("brief %d words; the floor misses %d and adds %d: %s", total, missing, extra, strings.Join(diff, " "))
	if total < 60*100 {
		t.Fatalf("the brief of 60 cards has only %d words", total)
	}
	if missing > total/100 || extra > total/100 {
		t.Errorf("the floor's text differs from the brief's by more than 1%%")
	}
}

// wordBag counts the words of pages.
func wordBag(pages []string) map[string]int {
	bag := map[string]int{}
	for _, p := range pages {
		for _, w := range strings.Fields(p) {
			bag[w]++
		}
	}
	return bag
}

// floorBrief is the floor the brief's speed is measured against: a plain
// fpdf program, with none of Briefboard's layout code, that prints the
// text of the brief of snap (every card, source and annotation, in the
// brief's order) in the same fonts and sizes. Paragraphs go through fpdf's
// own MultiCell and Write, table rows through CellFormat, header and footer
// through fpdf's callbacks with its page-count alias. It leaves out what
// is not text: colour fills, rules, bookmarks and the contents' page
// numbers and links.
func floorBrief(w io.Writer, snap *workspace.Snapshot, date time.Time) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetCompression(true)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes("go", "I", goitalic.TTF)
	pdf.SetMargins(20, 24, 20)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AliasNbPages("")
	pw, _ := pdf.GetPageSize()
	width := pw - 40

	// What the brief includes, in its order: boards, their cards lane by
	// lane, the key judgments, and the cited sources numbered by first
	// citation.
	type pillar struct {
		board *workspace.Board
		cards []*workspace.Card
	}
	var pillars []pillar
	var judgments []*workspace.Card
	var sources []*workspace.Source
	num, citedBy := map[string]int{}, map[string]int{}
	// The label is the strictest effective marking of the workspace,
	// which is what the uncapped brief prints.
	label, cards, open := snap.MaxTLP(), 0, 0
	for _, b := range snap.Boards {
		p := pillar{board: b}
		for _, l := range snap.Lanes[b.ID] {
			for _, c := range snap.LaneCards[l.ID] {
				p.cards = append(p.cards, c)
				cards++
				if c.Kind == workspace.KindJudgment {
					judgments = append(judgments, c)
				}
				cited := map[string]bool{}
				for _, ci := range c.Citations {
					if s := snap.SourceByID[ci.Source]; s != nil {
						if num[s.ID] == 0 {
							sources = append(sources, s)
							num[s.ID] = len(sources)
						}
						if !cited[s.ID] {
							cited[s.ID] = true
							citedBy[s.ID]++
						}
					}
				}
				for _, a := range snap.Annotations[c.ID] {
					if !a.Resolved {
						open++
					}
				}
			}
		}
		pillars = append(pillars, p)
	}
	boardTitle := map[string]string{}
	for _, b := range snap.Boards {
		boardTitle[b.ID] = b.Title
	}
	asOf := date.Format("2 January 2006")
	title := snap.Meta.Title

	font := func(style string, size float64) { pdf.SetFont("go", style, size) }
	// Paragraphs are followed by the brief's spacing, so the floor
	// fills about as many pages.
	para := func(style string, size float64, s string, after float64) {
		font(style, size)
		pdf.MultiCell(0, size*25.4/72*1.32, s, "", "L", false)
		pdf.Ln(after)
	}
	// spans writes pieces of text in their own styles on one flowing line.
	type span struct {
		style string
		size  float64
		text  string
	}
	spans := func(indent, after float64, ss ...span) {
		pdf.SetLeftMargin(20 + indent)
		pdf.SetX(20 + indent)
		h := 0.0
		for _, s := range ss {
			h = max(h, s.size*25.4/72*1.32)
		}
		for _, s := range ss {
			font(s.style, s.size)
			pdf.Write(h, s.text)
		}
		pdf.Ln(h + after)
		pdf.SetLeftMargin(20)
	}
	pdf.SetHeaderFunc(func() {
		font("", 8)
		pdf.SetXY(20, 11)
		pdf.CellFormat(width-30, 4, title, "", 0, "L", false, 0, "")
		font("B", 8)
		pdf.CellFormat(30, 4, label.String(), "", 0, "R", false, 0, "")
		pdf.SetXY(20, 24)
	})
	pdf.SetFooterFunc(func() {
		font("B", 8)
		pdf.SetXY(20, -14)
		pdf.CellFormat(width/3, 4, label.String(), "", 0, "L", false, 0, "")
		font("", 8)
		pdf.CellFormat(width/3, 4, "As of "+asOf, "", 0, "C", false, 0, "")
		pdf.CellFormat(width/3, 4, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})

	// Cover.
	pdf.AddPage()
	font("B", 20)
	pdf.CellFormat(width, 16, label.String(), "", 1, "C", false, 0, "")
	para("", 8, floorMeaning[label], 28)
	para("B", 26, title, 4)
	para("", 13, snap.Meta.Subtitle, 8)
	var parties []string
	for _, p := range snap.Meta.Parties {
		parties = append(parties, p.Name)
	}
	spans(0, 2, span{"B", 8, "AS OF  "}, span{"", 11, asOf})
	spans(0, 2, span{"B", 8, "PARTIES  "}, span{"", 11, strings.Join(parties, ", ")})
	para("", 10, fmt.Sprintf("%d pillars · %d cards · %d key judgments · %d graded sources · %d open annotations",
		len(pillars), cards, len(judgments), len(sources), open), 2)

	// Contents.
	pdf.AddPage()
	para("B", 17, "Contents", 6)
	para("B", 10.5, "Bottom line up front", 2.2)
	for i, p := range pillars {
		spans(7, 2.2, span{"", 10.5, fmt.Sprintf("%d. %s", i+1, p.board.Title)})
	}
	para("B", 10.5, "Positions matrix", 2.2)
	para("B", 10.5, "Sources", 2.2)

	sourcing := func(c *workspace.Card) string {
		strong, seen := false, map[string]bool{}
		for _, ci := range c.Citations {
			seen[ci.Source] = true
			if s := snap.SourceByID[ci.Source]; s != nil && !s.Grade.Weak() {
				strong = true
			}
		}
		switch {
		case len(seen) == 0:
			return "cites no source"
		case len(seen) == 1 && !strong:
			return "rests on a single source, graded D-F or ungraded"
		case len(seen) == 1:
			return "rests on a single source"
		case !strong:
			return "rests only on sources graded D-F or ungraded"
		}
		return ""
	}
	estimate := func(c *workspace.Card) string {
		var s []string
		if l := c.Likelihood.Standard(); l != "" {
			s = append(s, l)
		}
		if f := c.Confidence.Standard(); f != "" {
			s = append(s, f)
		}
		return strings.Join(s, " · ")
	}

	// Bottom line up front.
	pdf.AddPage()
	para("B", 17, "Bottom line up front", 4)
	para("", 9.5, fmt.Sprintf("This brief draws %d key judgments from %d cards on %d pillars. Each likelihood is an ICD 203 term with its probability range; the confidence in it stands beside it.",
		len(judgments), cards, len(pillars)), 5)
	for i, c := range judgments {
		para("B", 9.5, fmt.Sprintf("%d.  %s", i+1, c.Title), 1)
		spans(6, 1, span{"", 9.5, estimate(c) + " "}, span{"", 8, "(" + boardTitle[c.Board] + ")"})
		if f := sourcing(c); f != "" {
			spans(6, 1, span{"B", 8.5, "Sourcing: " + f + "."})
		}
		pdf.Ln(2.5)
	}

	// The pillars: summary table, then every card.
	for n, p := range pillars {
		pdf.AddPage()
		para("B", 17, fmt.Sprintf("%d. %s", n+1, p.board.Title), 2)
		para("", 8, fmt.Sprintf("Pillar %d of %d · %d cards", n+1, len(pillars), len(p.cards)), 3)
		if p.board.Purpose != "" {
			para("B", 8, "PURPOSE", 0.5)
			para("", 9.5, p.board.Purpose, 3.5)
		}
		para("B", 8, "SUMMARY", 1)
		// A row is as high as the brief's: a line and its padding.
		const rowH = 5.9
		row := func(style string, cells ...string) {
			font(style, 7.5)
			pdf.CellFormat(width-18-4*22, rowH, cells[0], "", 0, "L", false, 0, "")
			pdf.CellFormat(18, rowH, cells[1], "", 0, "L", false, 0, "")
			for _, s := range cells[2:] {
				pdf.CellFormat(22, rowH, s, "", 0, "L", false, 0, "")
			}
			pdf.Ln(rowH)
		}
		head := []string{"Card", "Lane"}
		for _, pt := range snap.Meta.Parties {
			head = append(head, pt.Short)
		}
		row("B", head...)
		for _, c := range p.cards {
			cells := []string{c.Title, snap.LaneName(c)}
			for _, pt := range snap.Meta.Parties {
				cells = append(cells, floorStance(c, pt.ID))
			}
			row("", cells...)
		}
		pdf.Ln(6)
		for _, c := range p.cards {
			pdf.Ln(3.5)
			font("B", 11.5)
			pdf.CellFormat(width-25, 5.3, "", "", 0, "L", false, 0, "")
			font("B", 7)
			pdf.CellFormat(25, 5.3, snap.Marking(c).String(), "", 0, "R", false, 0, "")
			pdf.SetX(20)
			para("B", 11.5, c.Title, 0)
			kind := "Key judgment"
			if c.Kind != workspace.KindJudgment {
				kind = strings.ToUpper(string(c.Kind[:1])) + string(c.Kind[1:])
			}
			meta := " · Lane: " + snap.LaneName(c)
			if len(c.Tags) > 0 {
				meta += " · Tags: " + strings.Join(c.Tags, ", ")
			}
			spans(0, 1.5, span{"B", 8, kind}, span{"", 8, meta})
			if e := estimate(c); e != "" {
				para("B", 9.5, e, 1.5)
			}
			para("", 9.5, c.Body, 1.5)
			if c.Kind == workspace.KindJudgment {
				if f := sourcing(c); f != "" {
					para("B", 8.5, "Sourcing: this judgment "+f+".", 1.5)
				}
			}
			if len(c.Positions) > 0 {
				pdf.Ln(1)
				para("B", 8, "POSITIONS", 0.3)
				for _, pt := range snap.Meta.Parties {
					if ps, ok := c.Positions[pt.ID]; ok {
						ss := []span{{"B", 8, pt.Name + ": "}, {"B", 8, ps.Stance.Label()}}
						if ps.Note != "" {
							ss = append(ss, span{"", 8, " — " + ps.Note})
						}
						spans(3, 0.6, ss...)
					}
				}
			}
			if len(c.Citations) > 0 {
				pdf.Ln(2)
				para("B", 8, "SOURCES", 0.3)
				for _, ci := range c.Citations {
					s := snap.SourceByID[ci.Source]
					ss := []span{{"B", 8, fmt.Sprintf("[%d] %s", num[s.ID], s.Grade)}, {"", 8, " · " + s.Title}}
					if ci.Quote != "" {
						ss = append(ss, span{"I", 8, ": “" + ci.Quote + "”"})
					}
					spans(3, 0.6, ss...)
				}
			}
			if as := snap.Annotations[c.ID]; len(as) > 0 {
				open := 0
				for _, a := range as {
					if !a.Resolved {
						open++
					}
				}
				para("B", 8, fmt.Sprintf("ANNOTATIONS (%d, %d OPEN)", len(as), open), 0.3)
				for _, a := range as {
					state := "OPEN "
					if a.Resolved {
						state = "Resolved "
					}
					kind := strings.ToUpper(string(a.Kind[:1])) + string(a.Kind[1:])
					who := kind + " · " + a.Author + " · " + a.At.UTC().Format("2 Jan 2006")
					if am := snap.Marking(a); am != snap.Marking(c) {
						who += " · " + am.String()
					}
					spans(3, 0.8, span{"B", 8, state}, span{"B", 8, who + ": "}, span{"", 8, a.Text})
				}
			}
			pdf.Ln(3)
		}
	}

	// Positions matrix.
	pdf.AddPage()
	para("B", 17, "Positions matrix", 3)
	para("", 9.5, "Where each party stands on the cards that record positions. Each cell gives the stance in words and in colour; a dash means no position is recorded.", 3)
	var legend []span
	for _, s := range workspace.Stances {
		legend = append(legend, span{"B", 8, "■ "}, span{"", 8, s.Label() + "    "})
	}
	spans(0, 3, legend...)
	for _, p := range pillars {
		para("B", 8, p.board.Title, 0)
		for _, c := range p.cards {
			if len(c.Positions) == 0 {
				continue
			}
			font("", 7.5)
			pdf.CellFormat(width-4*22, 5.9, c.Title, "", 0, "L", false, 0, "")
			for _, pt := range snap.Meta.Parties {
				pdf.CellFormat(22, 5.9, floorStance(c, pt.ID), "", 0, "L", false, 0, "")
			}
			pdf.Ln(5.9)
		}
	}

	// Sources appendix.
	pdf.AddPage()
	para("B", 17, "Sources", 3)
	para("", 9.5, "Sources cited in this brief, numbered as the cards cite them. Grades follow the Admiralty code: reliability of the source A-F, credibility of the information 1-6; F and 6 mean the grade cannot be judged.", 4)
	for _, s := range sources {
		para("B", 9.5, fmt.Sprintf("[%d] %s", num[s.ID], s.Title), 0.5)
		grade := s.Grade.String()
		if r, c := workspace.ReliabilityMeanings[s.Grade.Reliability], workspace.CredibilityMeanings[s.Grade.Credibility]; r != "" && c != "" {
			grade = fmt.Sprintf("%s (%s; %s)", s.Grade, strings.ToLower(r[:1])+r[1:], strings.ToLower(c))
		}
		spans(10, 0.5, span{"", 8, s.Origin + ". Information dated " + s.InfoDate + ". "}, span{"B", 8, "Grade " + grade + ". "},
			span{"", 8, snap.Marking(s).String() + ". Cited by " + fmt.Sprint(citedBy[s.ID]) + " cards."})
		if s.Notes != "" {
			pdf.SetLeftMargin(30)
			para("I", 8, s.Notes, 0.5)
			pdf.SetLeftMargin(20)
		}
		pdf.Ln(2.5)
	}
	para("B", 11.5, "Judgments on thin sourcing", 2)
	for _, c := range judgments {
		if f := sourcing(c); f != "" {
			spans(0, 0.3, span{"B", 9.5, c.Title}, span{"", 8, " (" + boardTitle[c.Board] + ")"})
			spans(3, 2, span{"B", 8.5, "This judgment " + f + "."})
		}
	}
	return pdf.Output(w)
}

// floorMeaning is the cover's line under the TLP label.
var floorMeaning = map[workspace.TLP]string{
	workspace.TLPClear:       "Disclosure is not limited.",
	workspace.TLPGreen:       "Limited disclosure: recipients may share it within their community, not publicly.",
	workspace.TLPAmber:       "Limited disclosure: recipients may share it only on a need-to-know basis within their organisation and its clients.",
	workspace.TLPAmberStrict: "Limited disclosure, restricted to the recipient's organisation only.",
	workspace.TLPRed:         "For the eyes and ears of individual recipients only, no further disclosure.",
}

// floorStance is a matrix cell: the stance in words, or a dash.
func floorStance(c *workspace.Card, party string) string {
	p, ok := c.Positions[party]
	if !ok {
		return "—"
	}
	if p.Stance == workspace.StanceConditional {
		return "Conditional"
	}
	return p.Stance.Label()
}
