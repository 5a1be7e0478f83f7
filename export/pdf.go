package export

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/go-pdf/fpdf"

	"briefboard/workspace"
)

// Text styles of the brief, in points.
var (
	stBody    = style{fontRegular, 9.5, ink}
	stBold    = style{fontBold, 9.5, ink}
	stItalic  = style{fontItalic, 9.5, ink}
	stSmall   = style{fontRegular, 8, grey}
	stSmallB  = style{fontBold, 8, ink}
	stH1      = style{fontBold, 17, navy}
	stH2      = style{fontBold, 11.5, ink}
	stLabel   = style{fontBold, 8, grey}
	stAlert   = style{fontBold, 8.5, alert}
	stCell    = style{fontRegular, 7.5, ink}
	stCellB   = style{fontBold, 7.5, ink}
	stContent = style{fontRegular, 10.5, ink}
)

// tlpColour is the TLP 2.0 colour of a label's text; labels are drawn on
// black.
func tlpColour(t workspace.TLP) rgb {
	switch t {
	case workspace.TLPRed:
		return rgb{0xFF, 0x2B, 0x2B}
	case workspace.TLPAmber, workspace.TLPAmberStrict:
		return rgb{0xFF, 0xC0, 0x00}
	case workspace.TLPGreen:
		return rgb{0x33, 0xFF, 0x00}
	}
	return white
}

// tlpMeaning is what a TLP 2.0 label tells the reader about sharing.
func tlpMeaning(t workspace.TLP) string {
	switch t {
	case workspace.TLPRed:
		return "For the eyes and ears of individual recipients only, no further disclosure."
	case workspace.TLPAmberStrict:
		return "Limited disclosure, restricted to the recipient's organisation only."
	case workspace.TLPAmber:
		return "Limited disclosure: recipients may share it only on a need-to-know basis within their organisation and its clients."
	case workspace.TLPGreen:
		return "Limited disclosure: recipients may share it within their community, not publicly."
	}
	return "Disclosure is not limited."
}

// stanceColour is the colour of a stance in tables: a dark colour for the
// swatch and a light tint for the cell.
func stanceColour(s workspace.Stance) (dark, tint rgb) {
	switch s {
	case workspace.StanceSupports:
		return rgb{0x2E, 0x7D, 0x32}, rgb{0xDC, 0xF0, 0xDD}
	case workspace.StanceConditional:
		return rgb{0x1E, 0x6B, 0x8F}, rgb{0xD9, 0xEB, 0xF4}
	case workspace.StanceUndecided:
		return rgb{0x8A, 0x6D, 0x00}, rgb{0xF6, 0xEE, 0xC8}
	case workspace.StanceOpposes:
		return rgb{0xC0, 0x56, 0x00}, rgb{0xFB, 0xE3, 0xCF}
	case workspace.StanceRedLine:
		return rgb{0xB0, 0x00, 0x20}, rgb{0xF8, 0xD4, 0xDA}
	}
	return rgb{0x60, 0x60, 0x60}, rgb{0xEC, 0xEC, 0xEC}
}

// contentsEntry is a line of the contents, filled in with its page number
// once the body is laid out.
type contentsEntry struct {
	title  string
	level  int
	link   int
	page   int // where the section starts
	cpage  int // the contents page the entry is on
	y      float64
	height float64
}

// pdfBrief is one brief being drawn.
type pdfBrief struct {
	*doc
	b        *brief
	opts     Options
	contents []*contentsEntry
	done     int
	total    int
	// cardLinks holds the link to each card a sentence of "Changes
	// since" points at, and cardPages the page the card starts on;
	// changeRefs are those sentences, numbered once the cards are placed.
	cardLinks  map[string]int
	cardPages  map[string]int
	changeRefs []changeRef
}

// changeRef is a sentence of "Changes since" that points at a card's
// page: where to write the page number once it is known.
type changeRef struct {
	card   string
	page   int
	y      float64
	height float64
}

// section is one entry of the contents and the part of the brief it
// names, drawn from a new page.
type section struct {
	title    string // in the contents, and the section's heading
	bookmark string // in the outline
	level    int    // in the contents
	draw     func()
}

// Brief writes the PDF brief of a snapshot. The same snapshot and options
// (with a fixed Date) give the same bytes.
func Brief(w io.Writer, snap *workspace.Snapshot, opts Options) error {
	b, err := plan(snap, opts)
	if err != nil {
		return err
	}
	return renderPDF(w, b, opts)
}

// renderPDF draws the brief. fpdf panics on some inputs it cannot take;
// those become errors rather than crashes.
func renderPDF(w io.Writer, b *brief, opts Options) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lay out the brief: %v", r)
		}
	}()
	size := "A4"
	switch strings.ToLower(strings.TrimSpace(opts.Paper)) {
	case "", "a4":
	case "letter":
		size = "Letter"
	default:
		return fmt.Errorf("paper %q is not a4 or letter", opts.Paper)
	}
	pdf := fpdf.New("P", "mm", size, "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(b.date)
	pdf.SetModificationDate(b.date)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCompression(true)
	pw, ph := pdf.GetPageSize()
	p := &pdfBrief{
		doc: &doc{pdf: pdf, pw: pw, ph: ph, left: 20, right: pw - 20, top: 24, bottom: ph - 20},
		b:   b, opts: opts, cardLinks: map[string]int{}, cardPages: map[string]int{},
	}
	p.width = p.right - p.left
	p.total = b.cards + len(b.matrices) + 4
	p.metadata()

	p.cover()
	secs := p.sections()
	p.reserveContents(secs)
	for i, sec := range secs {
		p.startSection(i, sec.bookmark, 0)
		sec.draw()
	}
	p.fillChangePages()
	p.fillContents()
	p.frame()
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("lay out the brief: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write the brief: %w", err)
	}
	p.progress()
	return nil
}

func (p *pdfBrief) progress() {
	p.done++
	if p.opts.Progress != nil {
		p.opts.Progress(min(p.done, p.total), p.total)
	}
}

// metadata fills the document information from what the brief includes.
func (p *pdfBrief) metadata() {
	b := p.b
	p.pdf.SetTitle(b.title, true)
	if b.author != "" {
		p.pdf.SetAuthor(b.author, true)
	}
	subject := b.subtitle
	if subject == "" {
		subject = "Brief"
	}
	p.pdf.SetSubject(subject+" ("+b.label.String()+")", true)
	keys := []string{b.label.String()}
	for _, bp := range append(append([]*boardPlan(nil), b.pillars...), b.background...) {
		keys = append(keys, single(bp.board.Title))
	}
	p.pdf.SetKeywords(strings.Join(keys, "; "), true)
	p.pdf.SetCreator("Briefboard", true)
	p.pdf.SetProducer("Briefboard", true)
	p.pdf.SetLang("en")
}

// bookmark adds an outline entry at the current point.
func (p *pdfBrief) bookmark(title string, level int) {
	p.setFont(fontRegular, stBody.size)
	t := single(title)
	var b strings.Builder
	for _, r := range t {
		if !faces[fontRegular].has(r) && !faces[fontFallback].has(r) {
			r = replacement
		}
		b.WriteRune(r)
	}
	p.pdf.Bookmark(b.String(), level, p.y)
}

// chip draws a TLP label as one string on black, right-aligned at x when
// right is set. It returns the chip's width.
func (p *pdfBrief) chip(t workspace.TLP, x, y, size float64, right bool) float64 {
	label := t.String()
	tw := stringWidth(fontBold, label, size)
	pad := size * ptToMM * 0.45
	w := tw + 2*pad
	h := size * ptToMM * 1.45
	if right {
		x -= w
	}
	p.setFill(black)
	p.pdf.Rect(x, y, w, h, "F")
	p.setFont(fontBold, size)
	p.setText(tlpColour(t))
	p.pdf.Text(x+pad, y+h*0.72, label)
	return w
}

// heading draws a heading, moving to a new page unless it fits with a
// few lines of what follows.
func (p *pdfBrief) heading(title string, st style, after float64) {
	lines := layout(text(st, title), p.width)
	p.need(linesHeight(lines) + 3*lineHeight(stBody.size))
	for _, l := range lines {
		p.drawLine(l, p.left, p.y)
		p.y += lineHeight(l.size)
	}
	p.y += after
}

// hrule draws a thin rule across the text block.
func (p *pdfBrief) hrule(c rgb, width float64) {
	p.setDraw(c)
	p.pdf.SetLineWidth(width)
	p.pdf.Line(p.left, p.y, p.right, p.y)
}

// cover draws the title page.
func (p *pdfBrief) cover() {
	b := p.b
	p.newPage()
	// The TLP banner.
	p.y = 34
	label := b.label.String()
	size := 20.0
	tw := stringWidth(fontBold, label, size)
	p.setFill(black)
	p.pdf.Rect(p.left, p.y, p.width, 16, "F")
	p.setFont(fontBold, size)
	p.setText(tlpColour(b.label))
	p.pdf.Text(p.left+(p.width-tw)/2, p.y+10.6, label)
	p.y += 20
	p.para(text(stSmall, tlpMeaning(b.label)), paraOpts{align: "C", after: 28})

	p.para(text(style{fontBold, 26, navy}, b.title), paraOpts{after: 4})
	if b.subtitle != "" {
		p.para(text(style{fontRegular, 13, grey}, b.subtitle), paraOpts{after: 8})
	}
	p.y += 2
	p.hrule(navy, 0.6)
	p.y += 6
	p.para([]span{{stLabel, "AS OF  "}, {style{fontRegular, 11, ink}, dateText(b.date)}}, paraOpts{after: 2})
	if b.author != "" {
		p.para([]span{{stLabel, "PREPARED BY  "}, {style{fontRegular, 11, ink}, b.author}}, paraOpts{after: 2})
	}
	var parties []string
	for _, pt := range b.parties {
		parties = append(parties, single(pt.Name))
	}
	if len(parties) > 0 {
		p.para([]span{{stLabel, "PARTIES  "}, {style{fontRegular, 11, ink}, strings.Join(parties, ", ")}}, paraOpts{after: 2})
	}
	if b.changes != nil {
		p.para([]span{{stLabel, "FOLLOWS  "}, {style{fontRegular, 11, ink}, b.follows()}}, paraOpts{after: 2})
	}
	p.y += 8
	stats := plural(len(b.pillars), "pillar")
	if len(b.background) > 0 {
		stats += " · " + plural(len(b.background), "background board")
	}
	stats += fmt.Sprintf(" · %s · %s · %s", plural(b.cards, "card"),
		plural(len(b.judgments), "key judgment"), plural(len(b.sources), "graded source"))
	if b.annotations {
		stats += " · " + plural(b.open, "open annotation")
	}
	p.para(text(style{fontRegular, 10, grey}, stats), paraOpts{after: 2})
	if p.opts.MaxTLP != nil {
		p.para(text(stSmall, fmt.Sprintf("Prepared for release at %s: records marked above it are left out.", p.opts.MaxTLP.String())), paraOpts{})
	}
	p.progress()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// sections lists the parts of the brief in order: the bottom line, what
// changed since the brief it follows, the background boards, the pillars
// (numbered), the positions matrix and the sources.
func (p *pdfBrief) sections() []section {
	b := p.b
	secs := []section{{title: "Bottom line up front", bookmark: "Bottom line up front", draw: p.bluf}}
	if b.changes != nil {
		t := b.sinceTitle()
		secs = append(secs, section{title: t, bookmark: t, draw: p.changesSection})
	}
	for _, bp := range b.background {
		bp := bp
		title := single(bp.board.Title)
		secs = append(secs, section{title: "Background: " + title, bookmark: title, level: 1, draw: func() {
			p.boardSection(bp, "Background: "+title, "Background · "+plural(len(bp.cards), "card"), "No cards of this board are included.")
		}})
	}
	for i, bp := range b.pillars {
		bp, n := bp, i+1
		title := single(bp.board.Title)
		secs = append(secs, section{title: fmt.Sprintf("%d. %s", n, title), bookmark: title, level: 1, draw: func() {
			p.boardSection(bp, fmt.Sprintf("%d. %s", n, title),
				fmt.Sprintf("Pillar %d of %d · %s", n, len(b.pillars), plural(len(bp.cards), "card")),
				"No cards of this pillar are included.")
		}})
	}
	for _, mp := range b.matrices {
		mp := mp
		title := matrixTitle(mp.matrix)
		secs = append(secs, section{title: title, bookmark: title, draw: func() { p.competingHypotheses(mp) }})
	}
	secs = append(secs, section{title: "Positions matrix", bookmark: "Positions matrix", draw: p.matrix},
		section{title: "Sources", bookmark: "Sources", draw: p.sourcesAppendix})
	return secs
}

// reserveContents lays out the contents pages now, with their page numbers
// left to fill in once the sections are placed.
func (p *pdfBrief) reserveContents(secs []section) {
	for _, sec := range secs {
		p.contents = append(p.contents, &contentsEntry{title: sec.title, level: sec.level, link: p.pdf.AddLink()})
	}
	p.newPage()
	p.bookmark("Contents", 0)
	p.heading("Contents", stH1, 6)
	numW := 14.0
	for _, e := range p.contents {
		indent := float64(e.level) * 7
		st := stContent
		if e.level == 0 {
			st = style{fontBold, 10.5, ink}
		}
		lines := layout(text(st, e.title), p.width-indent-numW)
		h := linesHeight(lines) + 2.2
		p.need(h)
		e.cpage, e.y, e.height = p.pdf.PageNo(), p.y, h
		y := p.y
		for _, l := range lines {
			p.drawLine(l, p.left+indent, y)
			y += lineHeight(l.size)
		}
		p.y += h
	}
}

// startSection begins a contents entry's section on a new page.
func (p *pdfBrief) startSection(i int, title string, level int) {
	e := p.contents[i]
	p.newPage()
	e.page = p.pdf.PageNo()
	p.pdf.SetLink(e.link, p.y, e.page)
	p.bookmark(title, level)
}

// fillContents writes the page numbers into the contents, now known.
func (p *pdfBrief) fillContents() {
	last := p.pdf.PageNo()
	for _, e := range p.contents {
		p.pdf.SetPage(e.cpage)
		p.fontSet = false
		p.setFill(white)
		num := fmt.Sprint(e.page)
		st := stContent
		if e.level == 0 {
			st = style{fontBold, 10.5, ink}
		}
		p.setFont(st.font, st.size)
		p.setText(st.color)
		w := stringWidth(st.font, num, st.size)
		p.pdf.Text(p.right-w, e.y+st.size*ptToMM, num)
		// A dotted leader from the title to the number.
		p.setDraw(lightGrey)
		p.pdf.SetLineWidth(0.2)
		p.pdf.SetDashPattern([]float64{0.4, 1.2}, 0)
		p.pdf.Line(p.right-50, e.y+st.size*ptToMM, p.right-w-2, e.y+st.size*ptToMM)
		p.pdf.SetDashPattern(nil, 0)
		p.pdf.Link(p.left, e.y, p.width, e.height, e.link)
	}
	p.pdf.SetPage(last)
	p.fontSet = false
}

// frame draws the header and footer of every page: the brief's title, its
// TLP label at the top and bottom, and page X of Y.
func (p *pdfBrief) frame() {
	n := p.pdf.PageCount()
	title := layout(text(style{fontRegular, 8, grey}, p.b.title), p.width-40)
	head := line{}
	if len(title) > 0 {
		head = title[0]
		// Shorten a long title to one line ending in an ellipsis.
		for words := strings.Fields(lineText(head)); len(title) > 1 && len(words) > 0; words = words[:len(words)-1] {
			if short := layout(text(style{fontRegular, 8, grey}, strings.Join(words, " ")+" …"), p.width-40); len(short) == 1 {
				head = short[0]
				break
			}
		}
	}
	for i := 1; i <= n; i++ {
		p.pdf.SetPage(i)
		p.fontSet = false
		p.setFill(white)
		p.drawLine(head, p.left, 11)
		p.chip(p.b.label, p.right, 10, 8, true)
		p.setDraw(rule)
		p.pdf.SetLineWidth(0.2)
		p.pdf.Line(p.left, 16.5, p.right, 16.5)

		fy := p.ph - 14
		p.pdf.Line(p.left, fy-2.5, p.right, fy-2.5)
		p.chip(p.b.label, p.left, fy, 8, false)
		pg := fmt.Sprintf("Page %d of %d", i, n)
		p.setFont(fontRegular, 8)
		p.setText(grey)
		p.pdf.Text(p.right-stringWidth(fontRegular, pg, 8), fy+3.4, pg)
		asof := "As of " + dateText(p.b.date)
		p.pdf.Text(p.left+(p.width-stringWidth(fontRegular, asof, 8))/2, fy+3.4, asof)
	}
	p.pdf.SetPage(n)
	p.fontSet = false
}

// lineText returns a line's text in logical order.
func lineText(l line) string {
	var b strings.Builder
	for i, w := range l.words {
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, f := range w.frags {
			b.WriteString(f.text)
		}
	}
	return b.String()
}

// bluf draws the bottom line up front: the key judgments.
func (p *pdfBrief) bluf() {
	b := p.b
	p.heading("Bottom line up front", stH1, 4)
	if len(b.judgments) == 0 {
		p.para(text(stItalic, "This brief includes no key judgments."), paraOpts{after: 4})
	} else {
		p.para(text(stBody, fmt.Sprintf("This brief draws %s from %s on %s. Each likelihood is an ICD 203 term with its probability range; the confidence in it stands beside it.",
			plural(len(b.judgments), "key judgment"), plural(b.cards, "card"), b.boardsText())), paraOpts{after: 5})
	}
	for i, c := range b.judgments {
		spans := []span{{stBold, fmt.Sprintf("%d.  %s", i+1, c.Title)}}
		p.para(spans, paraOpts{keep: 3, after: 1})
		var est []span
		if s := estimateText(c); s != "" {
			est = append(est, span{stBody, s + " "})
		}
		if len(est) == 0 {
			est = append(est, span{stItalic, "No likelihood or confidence given. "})
		}
		est = append(est, span{stSmall, "(" + single(p.boardOf(c)) + ")"})
		p.para(est, paraOpts{indent: 6, after: 1})
		if f := b.sourcing(c); f != "" {
			p.para(text(stAlert, "Sourcing: "+f+"."), paraOpts{indent: 6, after: 1})
		}
		p.y += 2.5
	}
}

// boardOf returns the title of a card's board.
func (p *pdfBrief) boardOf(c *workspace.Card) string {
	if bd := p.b.snap.Board(c.Board); bd != nil {
		return bd.Title
	}
	return ""
}

// tableCell is one cell of a table.
type tableCell struct {
	spans []span
	fill  *rgb
	// swatch draws a small colour square before the text.
	swatch *rgb
}

// table draws rows with a repeated header. A row of one cell spans the
// table's width.
func (p *pdfBrief) table(cols []float64, header []tableCell, rows [][]tableCell) {
	const pad = 1.2
	total := 0.0
	for _, c := range cols {
		total += c
	}
	cellLines := func(row []tableCell) ([][]line, float64) {
		out := make([][]line, len(row))
		h := 0.0
		for i, c := range row {
			w := total
			if len(row) > 1 {
				w = cols[i]
			}
			w -= 2 * pad
			if c.swatch != nil {
				w -= 3
			}
			out[i] = layout(c.spans, w)
			h = max(h, linesHeight(out[i]))
		}
		return out, h + 2*pad
	}
	drawRow := func(row []tableCell, ls [][]line, h float64) {
		x := p.left
		for i, c := range row {
			w := total
			if len(row) > 1 {
				w = cols[i]
			}
			if c.fill != nil {
				p.setFill(*c.fill)
				p.pdf.Rect(x, p.y, w, h, "F")
			}
			tx := x + pad
			if c.swatch != nil {
				p.setFill(*c.swatch)
				p.pdf.Rect(tx, p.y+pad+0.6, 2, 2, "F")
				tx += 3
			}
			y := p.y + pad
			for _, l := range ls[i] {
				if y+lineHeight(l.size) > p.bottom {
					break
				}
				p.drawLine(l, tx, y)
				y += lineHeight(l.size)
			}
			x += w
		}
		p.setDraw(lightGrey)
		p.pdf.SetLineWidth(0.2)
		p.pdf.Line(p.left, p.y+h, p.left+total, p.y+h)
	}
	hl, hh := cellLines(header)
	drawHeader := func() {
		drawRow(header, hl, hh)
		p.y += hh
	}
	p.need(hh + 8)
	drawHeader()
	for _, row := range rows {
		ls, h := cellLines(row)
		if p.y+h > p.bottom {
			p.newPage()
			drawHeader()
		}
		if p.y+h > p.bottom {
			h = p.bottom - p.y
		}
		drawRow(row, ls, h)
		p.y += h
	}
	p.y += 4
}

var headFill = rgb{0xE4, 0xE8, 0xEE}

// stanceCell is a matrix or summary cell for a party's stance on a card.
func stanceCell(c *workspace.Card, party string, short bool) tableCell {
	pos, ok := c.Positions[party]
	if !ok {
		return tableCell{spans: text(style{fontRegular, 7.5, lightGrey}, "—")}
	}
	dark, tint := stanceColour(pos.Stance)
	return tableCell{spans: text(style{fontBold, 7.5, dark}, stanceWord(pos.Stance, short)), fill: &tint, swatch: &dark}
}

// boardSection draws one board, a pillar or background: purpose, summary
// table, then every card.
func (p *pdfBrief) boardSection(bp *boardPlan, heading, sub, empty string) {
	b := p.b
	p.heading(heading, stH1, 2)
	p.para(text(stSmall, sub), paraOpts{after: 3})
	if ps := paragraphs(bp.board.Purpose); len(ps) > 0 {
		p.para(text(stLabel, "PURPOSE"), paraOpts{after: 0.5})
		for _, para := range ps {
			p.para(text(stBody, para), paraOpts{after: 1.5})
		}
		p.y += 2
	}
	if len(bp.cards) == 0 {
		p.para(text(stItalic, empty), paraOpts{})
		return
	}
	// The summary table.
	p.para(text(stLabel, "SUMMARY"), paraOpts{after: 1})
	parties := b.parties
	colW, short, wide := stanceColumns(len(parties), p.width-18-55)
	cols := []float64{}
	header := []tableCell{{spans: text(stCellB, "Card"), fill: &headFill}, {spans: text(stCellB, "Lane"), fill: &headFill}}
	if wide {
		cols = append(cols, p.width-18-colW*float64(len(parties)), 18)
		for _, pt := range parties {
			cols = append(cols, colW)
			header = append(header, tableCell{spans: text(stCellB, partyShort(pt)), fill: &headFill})
		}
	} else {
		cols = append(cols, p.width*0.45, 18, p.width*0.55-18)
		header = append(header, tableCell{spans: text(stCellB, "Positions"), fill: &headFill})
	}
	if wide && short {
		p.para(legendSpans(true), paraOpts{after: 1.5})
	}
	var rows [][]tableCell
	for _, c := range bp.cards {
		row := []tableCell{{spans: text(stCell, c.Title)}, {spans: text(stCell, b.snap.LaneName(c))}}
		if wide {
			for _, pt := range parties {
				row = append(row, stanceCell(c, pt.ID, short))
			}
		} else {
			var parts []string
			for _, pt := range parties {
				if pos, ok := c.Positions[pt.ID]; ok {
					parts = append(parts, partyShort(pt)+": "+stanceWord(pos.Stance, false))
				}
			}
			row = append(row, tableCell{spans: text(stCell, strings.Join(parts, "; "))})
		}
		rows = append(rows, row)
	}
	p.table(cols, header, rows)
	p.y += 2
	for _, c := range bp.cards {
		p.card(c)
		p.progress()
	}
}

// card draws one card in full, with a change bar in the margin when it
// changed since the brief this one follows.
func (p *pdfBrief) card(c *workspace.Card) {
	b := p.b
	p.need(lineHeight(stH2.size) + 3*lineHeight(stBody.size) + 4)
	p.y += 1
	p.hrule(lightGrey, 0.3)
	p.y += 2.5
	p.bookmark(c.Title, 1)
	p.cardPages[c.ID] = p.pdf.PageNo()
	if link, ok := p.cardLinks[c.ID]; ok {
		p.pdf.SetLink(link, p.y, -1)
	}
	if b.changes.Changed(c.ID) {
		page, y := p.pdf.PageNo(), p.y
		// The bar ends where the card's text does, before the gap below it.
		defer func() { p.changeBar(page, y, p.pdf.PageNo(), p.y-3) }()
	}
	// Title, with the card's marking on the right.
	mark := p.b.mark(c)
	chipW := stringWidth(fontBold, mark.String(), 7) + 3
	lines := layout(text(stH2, c.Title), p.width-chipW-4)
	p.chip(mark, p.right, p.y+0.6, 7, true)
	for _, l := range lines {
		p.need(lineHeight(l.size))
		p.drawLine(l, p.left, p.y)
		p.y += lineHeight(l.size)
	}
	meta := []span{{stSmallB, kindLabel(c.Kind)}, {stSmall, " · Lane: " + b.snap.LaneName(c)}}
	if len(c.Tags) > 0 {
		meta = append(meta, span{stSmall, " · Tags: " + strings.Join(c.Tags, ", ")})
	}
	p.para(meta, paraOpts{after: 1.5})
	if c.IsKeyJudgment() || c.Likelihood != "" || c.Confidence != "" {
		if s := estimateText(c); s != "" {
			p.para(text(stBold, s), paraOpts{after: 1.5})
		}
	}
	for _, para := range paragraphs(c.Body) {
		p.para(text(stBody, para), paraOpts{after: 1.5})
	}
	if c.IsKeyJudgment() {
		if f := b.sourcing(c); f != "" {
			p.para(text(stAlert, "Sourcing: this judgment "+f+"."), paraOpts{after: 1.5})
		}
	}
	// Positions, in the workspace's party order, then any others by id.
	var pos []span
	addPos := func(name string, ps workspace.Position) {
		dark, _ := stanceColour(ps.Stance)
		pos = append(pos, span{stSmallB, name + ": "}, span{style{fontBold, 8, dark}, ps.Stance.Label()})
		if note := single(ps.Note); note != "" {
			pos = append(pos, span{stSmall, " — " + note})
		}
	}
	var posLines [][]span
	for _, pt := range b.parties {
		if ps, ok := c.Positions[pt.ID]; ok {
			pos = nil
			addPos(single(pt.Name), ps)
			posLines = append(posLines, pos)
		}
	}
	var others []string
	for id := range c.Positions {
		if b.snap.Party(id) == nil {
			others = append(others, id)
		}
	}
	sort.Strings(others)
	for _, id := range others {
		pos = nil
		addPos(id, c.Positions[id])
		posLines = append(posLines, pos)
	}
	if len(posLines) > 0 {
		p.y += 1
		p.para(text(stLabel, "POSITIONS"), paraOpts{keep: 2, after: 0.3})
		for _, l := range posLines {
			p.para(l, paraOpts{indent: 3, after: 0.6})
		}
		p.y += 1
	}
	if len(c.Citations) > 0 {
		p.y += 1
		p.para(text(stLabel, "SOURCES"), paraOpts{keep: 2, after: 0.3})
		for _, ci := range c.Citations {
			s := b.snap.SourceByID[ci.Source]
			if s == nil {
				continue
			}
			sp := []span{{stSmallB, fmt.Sprintf("[%d] %s", b.num[s.ID], s.Grade)}, {stSmall, " · " + s.Title}}
			if q := single(ci.Quote); q != "" {
				sp = append(sp, span{style{fontItalic, 8, grey}, ": “" + q + "”"})
			}
			p.para(sp, paraOpts{indent: 3, after: 0.6})
		}
		p.y += 1
	}
	var links [][]span
	for _, l := range c.Links {
		if to := b.included[l.To]; to != nil {
			links = append(links, []span{{stSmallB, linkLabel(l.Type) + ": "}, {stSmall, to.Title}})
		}
	}
	if len(links) > 0 {
		p.para(text(stLabel, "LINKS"), paraOpts{keep: 2, after: 0.3})
		for _, l := range links {
			p.para(l, paraOpts{indent: 3, after: 0.6})
		}
		p.y += 1
	}
	if as := b.annotationsOf(c); len(as) > 0 {
		open := 0
		for _, a := range as {
			if !a.Resolved {
				open++
			}
		}
		p.para(text(stLabel, fmt.Sprintf("ANNOTATIONS (%d, %d OPEN)", len(as), open)), paraOpts{keep: 2, after: 0.3})
		for _, a := range as {
			var sp []span
			if a.Resolved {
				sp = append(sp, span{style{fontBold, 8, grey}, "Resolved "})
			} else {
				sp = append(sp, span{style{fontBold, 8, alert}, "OPEN "})
			}
			who := annotationLabel(a.Kind)
			if au := single(a.Author); au != "" {
				who += " · " + au
			}
			if !a.At.IsZero() {
				who += " · " + a.At.UTC().Format("2 Jan 2006")
			}
			if am := p.b.mark(a); am != p.b.mark(c) {
				who += " · " + am.String()
			}
			sp = append(sp, span{stSmallB, who + ": "})
			for i, para := range paragraphs(a.Text) {
				if i > 0 {
					para = " ¶ " + para
				}
				sp = append(sp, span{stSmall, para})
			}
			p.para(sp, paraOpts{indent: 3, after: 0.8})
		}
	}
	p.y += 3
}

// matrix draws the positions matrix: cards by parties.
func (p *pdfBrief) matrix() {
	b := p.b
	p.heading("Positions matrix", stH1, 3)
	p.para(text(stBody, "Where each party stands on the cards that record positions. Each cell gives the stance in words and in colour; a dash means no position is recorded."), paraOpts{after: 3})
	parties := b.parties
	if len(parties) == 0 {
		p.para(text(stItalic, "The workspace names no parties."), paraOpts{})
		p.progress()
		return
	}
	colW, short, ok := stanceColumns(len(parties), p.width-50)
	if !ok {
		// Too many parties for one table across the page: narrow columns
		// of codes, wrapped as need be.
		colW, short = (p.width-50)/float64(len(parties)), true
	}
	p.para(legendSpans(short), paraOpts{after: 3})
	titleW := p.width - colW*float64(len(parties))
	cols := []float64{titleW}
	header := []tableCell{{spans: text(stCellB, "Card"), fill: &headFill}}
	for _, pt := range parties {
		cols = append(cols, colW)
		header = append(header, tableCell{spans: text(stCellB, partyShort(pt)), fill: &headFill})
	}
	var rows [][]tableCell
	for _, bp := range b.boards {
		var group [][]tableCell
		for _, c := range bp.cards {
			if !b.hasPositions(c) {
				continue
			}
			row := []tableCell{{spans: text(stCell, c.Title)}}
			for _, pt := range parties {
				row = append(row, stanceCell(c, pt.ID, short))
			}
			group = append(group, row)
		}
		if len(group) > 0 {
			fill := rgb{0xF3, 0xF5, 0xF8}
			rows = append(rows, []tableCell{{spans: text(style{fontBold, 8, navy}, single(bp.board.Title)), fill: &fill}})
			rows = append(rows, group...)
		}
	}
	if len(rows) == 0 {
		p.para(text(stItalic, "No included card records a party's position."), paraOpts{})
	} else {
		p.table(cols, header, rows)
	}
	p.progress()
}

// sourcesAppendix lists the cited sources, numbered, and flags judgments
// on thin sourcing.
func (p *pdfBrief) sourcesAppendix() {
	b := p.b
	p.heading("Sources", stH1, 3)
	p.para(text(stBody, "Sources cited in this brief, numbered as the cards cite them. Grades follow the Admiralty code: reliability of the source A-F, credibility of the information 1-6; F and 6 mean the grade cannot be judged."), paraOpts{after: 4})
	if len(b.sources) == 0 {
		p.para(text(stItalic, "No included card cites a source."), paraOpts{after: 4})
	}
	for _, s := range b.sources {
		n := b.num[s.ID]
		lines := layout(text(stBold, s.Title), p.width-10)
		p.need(linesHeight(lines) + lineHeight(stBody.size))
		p.setFont(fontBold, stBold.size)
		p.setText(ink)
		p.pdf.Text(p.left, p.y+stBold.size*ptToMM, fmt.Sprintf("[%d]", n))
		p.para(text(stBold, s.Title), paraOpts{indent: 10, after: 0.5})
		var sp []span
		if o := single(s.Origin); o != "" {
			sp = append(sp, span{stSmall, o + ". "})
		}
		if s.InfoDate != "" {
			sp = append(sp, span{stSmall, "Information dated " + s.InfoDate + ". "})
		}
		sp = append(sp, span{stSmallB, "Grade " + gradeText(s.Grade) + ". "}, span{stSmall, p.b.mark(s).String() + ". "})
		sp = append(sp, span{stSmall, "Cited by " + plural(b.citedBy[s.ID], "card") + "."})
		p.para(sp, paraOpts{indent: 10, after: 0.5})
		for _, para := range paragraphs(s.Notes) {
			p.para(text(style{fontItalic, 8, grey}, para), paraOpts{indent: 10, after: 0.5})
		}
		p.y += 2.5
	}
	p.y += 3
	p.heading("Judgments on thin sourcing", stH2, 2)
	flagged := 0
	for _, c := range b.judgments {
		if f := b.sourcing(c); f != "" {
			flagged++
			p.para([]span{{stBold, c.Title}, {stSmall, " (" + single(p.boardOf(c)) + ")"}}, paraOpts{keep: 2, after: 0.3})
			p.para(text(stAlert, "This judgment "+f+"."), paraOpts{indent: 3, after: 2})
		}
	}
	if flagged == 0 {
		p.para(text(stBody, "No key judgment rests on a single source or only on sources graded D-F."), paraOpts{})
	}
	p.progress()
}

// stanceColumns chooses the width of a party's column for a table with n
// parties and room for them: full stance words when they fit, else
// three-letter codes; ok is false when not even codes fit.
func stanceColumns(n int, room float64) (w float64, short, ok bool) {
	if n == 0 {
		return 0, false, true
	}
	widest := func(short bool) float64 {
		m := 0.0
		for _, s := range workspace.Stances {
			m = max(m, stringWidth(fontBold, stanceWord(s, short), 7.5))
		}
		return m + 2*1.2 + 3 + 0.6
	}
	if w := widest(false); w*float64(n) <= room {
		return w, false, true
	}
	if w := widest(true); w*float64(n) <= room {
		return w, true, true
	}
	return 0, true, false
}

// legendSpans explains the stance colours (and codes, when used).
func legendSpans(short bool) []span {
	var legend []span
	for _, s := range workspace.Stances {
		dark, _ := stanceColour(s)
		legend = append(legend, span{style{fontBold, 8, dark}, "■ "})
		if short {
			legend = append(legend, span{style{fontBold, 8, dark}, stanceWord(s, true) + " "})
		}
		legend = append(legend, span{stSmall, s.Label() + "    "})
	}
	return legend
}
