package export

import (
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// rgb is a colour.
type rgb struct{ r, g, b uint8 }

var (
	black     = rgb{0, 0, 0}
	ink       = rgb{0x1a, 0x1a, 0x1a}
	grey      = rgb{0x5f, 0x63, 0x68}
	lightGrey = rgb{0xd0, 0xd4, 0xd9}
	rule      = rgb{0x9a, 0xa0, 0xa6}
	navy      = rgb{0x1f, 0x3a, 0x5f}
	alert     = rgb{0xa3, 0x1d, 0x1d}
	white     = rgb{0xff, 0xff, 0xff}
)

// style is how a run of text is drawn.
type style struct {
	font  fontID
	size  float64 // points
	color rgb
}

// span is a run of text in one style. Text is cleaned when it is laid out.
type span struct {
	st   style
	text string
}

// frag is a piece of a word drawn in one face.
type frag struct {
	font  fontID
	size  float64
	color rgb
	text  string
	w     float64
}

// word is what a line breaks between.
type word struct {
	frags []frag
	w     float64
	// space is the width of the space after the word, if any.
	space float64
	rtl   bool
}

// line is a laid-out line of words.
type line struct {
	words []word
	w     float64
	// size is the largest font size on the line, in points.
	size float64
}

// lineHeight gives the height of a line of text at size points, in mm.
func lineHeight(size float64) float64 { return size * ptToMM * 1.32 }

// layout breaks spans into lines no wider than width (mm). Words longer
// than a line are broken between characters.
func layout(spans []span, width float64) []line {
	words := toWords(spans)
	var lines []line
	var cur line
	flush := func() {
		if len(cur.words) > 0 {
			lines = append(lines, cur)
		}
		cur = line{}
	}
	// fits reports whether w fits after the line's words and the space
	// that follows the last of them.
	fits := func(w word) bool {
		n := len(cur.words)
		return n == 0 || cur.w+cur.words[n-1].space+w.w <= width
	}
	for _, w := range words {
		if w.w > width {
			for _, piece := range splitWord(w, width) {
				if !fits(piece) {
					flush()
				}
				cur.add(piece)
			}
			continue
		}
		if !fits(w) {
			flush()
		}
		cur.add(w)
	}
	flush()
	return lines
}

func (l *line) add(w word) {
	if n := len(l.words); n > 0 {
		l.w += l.words[n-1].space
	}
	l.words = append(l.words, w)
	l.w += w.w
	for _, f := range w.frags {
		l.size = max(l.size, f.size)
	}
}

// toWords cleans and shapes the spans' text and splits it into words, each
// in the faces that have its characters.
func toWords(spans []span) []word {
	var words []word
	var cur word
	var buf strings.Builder
	curFont, curSet := fontID(0), false
	var curSpan style
	endFrag := func() {
		if buf.Len() == 0 {
			return
		}
		f := frag{font: curFont, size: curSpan.size, color: curSpan.color, text: buf.String()}
		f.w = stringWidth(f.font, f.text, f.size)
		cur.frags = append(cur.frags, f)
		cur.w += f.w
		buf.Reset()
	}
	endWord := func(space bool) {
		endFrag()
		if len(cur.frags) > 0 {
			if space {
				// The fallback face has no space of its own: spaces are
				// always the span's Go face.
				cur.space = stringWidth(curSpan.font, " ", curSpan.size)
			}
			finishWord(&cur)
			words = append(words, cur)
		} else if space && len(words) > 0 && words[len(words)-1].space == 0 {
			words[len(words)-1].space = stringWidth(curSpan.font, " ", curSpan.size)
		}
		cur = word{}
		curSet = false
	}
	for _, sp := range spans {
		endFrag()
		curSpan = sp.st
		curSet = false
		for _, token := range splitKeep(clean(sp.text)) {
			if token == " " {
				endWord(true)
				continue
			}
			token = shapeArabic(token)
			for _, r := range token {
				id, ok := pickFont(sp.st.font, r)
				if !ok {
					r = replacement
				}
				if !curSet || id != curFont {
					endFrag()
					curFont, curSet = id, true
				}
				buf.WriteRune(r)
			}
			endFrag()
			curSet = false
		}
	}
	endWord(false)
	return words
}

// splitKeep splits s into words and single spaces between them.
func splitKeep(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if r == ' ' || unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			out = append(out, " ")
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// finishWord marks a word right-to-left when it has right-to-left letters
// and no left-to-right ones, and turns its text into display order.
func finishWord(w *word) {
	rtl, ltr := false, false
	for _, f := range w.frags {
		for _, r := range f.text {
			if isRTL(r) {
				rtl = true
			} else if isLTR(r) {
				ltr = true
			}
		}
	}
	if !rtl {
		return
	}
	w.rtl = !ltr
	if !w.rtl {
		return
	}
	for i, j := 0, len(w.frags)-1; i < j; i, j = i+1, j-1 {
		w.frags[i], w.frags[j] = w.frags[j], w.frags[i]
	}
	for i := range w.frags {
		w.frags[i].text = reverseClusters(w.frags[i].text)
	}
}

// splitWord breaks a word too long for a line into pieces that fit.
func splitWord(w word, width float64) []word {
	var out []word
	var cur word
	for _, f := range w.frags {
		var b strings.Builder
		bw := 0.0
		for _, r := range f.text {
			rw := stringWidth(f.font, string(r), f.size)
			if cur.w+bw+rw > width && (cur.w+bw) > 0 {
				if b.Len() > 0 {
					cur.frags = append(cur.frags, frag{font: f.font, size: f.size, color: f.color, text: b.String(), w: bw})
					cur.w += bw
				}
				out = append(out, cur)
				cur = word{rtl: w.rtl}
				b.Reset()
				bw = 0
			}
			b.WriteRune(r)
			bw += rw
		}
		if b.Len() > 0 {
			cur.frags = append(cur.frags, frag{font: f.font, size: f.size, color: f.color, text: b.String(), w: bw})
			cur.w += bw
		}
	}
	cur.space = w.space
	cur.rtl = w.rtl
	out = append(out, cur)
	return out
}

// visual returns a line's words in display order: runs of right-to-left
// words are reversed, so a Hebrew or Arabic phrase inside a left-to-right
// paragraph reads right to left.
func (l line) visual() []word {
	hasRTL := false
	for _, w := range l.words {
		if w.rtl {
			hasRTL = true
			break
		}
	}
	if !hasRTL {
		return l.words
	}
	out := append([]word(nil), l.words...)
	for i := 0; i < len(out); {
		if !out[i].rtl {
			i++
			continue
		}
		j := i
		for j < len(out) && out[j].rtl {
			j++
		}
		// Keep the spacing of the run's last word after the reversed run.
		tail := out[j-1].space
		for a, b := i, j-1; a < b; a, b = a+1, b-1 {
			out[a], out[b] = out[b], out[a]
		}
		for k := i; k < j-1; k++ {
			if out[k].space == 0 {
				out[k].space = tail
			}
		}
		out[j-1].space = tail
		i = j
	}
	return out
}

// doc is a brief being drawn: fpdf plus the state it does not track for
// us (the face currently set on the page, where we are, page geometry).
type doc struct {
	pdf         *fpdf.Fpdf
	pw, ph      float64
	left, right float64
	top, bottom float64
	y           float64
	font        fontID
	size        float64
	fontSet     bool
	added       [numFonts]bool
	width       float64
	// text is the text colour last given to fpdf, which keeps it across
	// pages.
	text    rgb
	textSet bool
}

// setFont selects a face and size on the page when it is not already set.
func (d *doc) setFont(id fontID, size float64) {
	if d.fontSet && d.font == id && d.size == size {
		return
	}
	if !d.added[id] {
		f := faces[id]
		d.pdf.AddUTF8FontFromBytes(f.family, f.style, f.ttf)
		d.added[id] = true
	}
	d.pdf.SetFont(faces[id].family, faces[id].style, size)
	d.font, d.size, d.fontSet = id, size, true
}

func (d *doc) setText(c rgb) {
	if d.textSet && d.text == c {
		return
	}
	d.pdf.SetTextColor(int(c.r), int(c.g), int(c.b))
	d.text, d.textSet = c, true
}
func (d *doc) setFill(c rgb) { d.pdf.SetFillColor(int(c.r), int(c.g), int(c.b)) }
func (d *doc) setDraw(c rgb) { d.pdf.SetDrawColor(int(c.r), int(c.g), int(c.b)) }

// newPage starts a page and moves to its top.
func (d *doc) newPage() {
	d.pdf.AddPage()
	d.fontSet = false
	d.y = d.top
}

// need starts a new page unless h millimetres fit below the current point.
func (d *doc) need(h float64) {
	if d.y+h > d.bottom {
		d.newPage()
	}
}

// drawLine draws one laid-out line with its top at y, starting at x.
// Neighbouring pieces in the same face and colour go out as one string,
// which keeps the page streams small and lets readers extract whole
// phrases.
func (d *doc) drawLine(l line, x, y float64) {
	base := y + l.size*ptToMM
	var run strings.Builder
	var runFrag frag
	runX := x
	flush := func() {
		if run.Len() == 0 {
			return
		}
		d.setFont(runFrag.font, runFrag.size)
		d.setText(runFrag.color)
		d.pdf.Text(runX, base, run.String())
		run.Reset()
	}
	pendingSpace := 0.0
	for _, w := range l.visual() {
		for _, f := range w.frags {
			same := run.Len() > 0 && f.font == runFrag.font && f.size == runFrag.size && f.color == runFrag.color
			if same && pendingSpace > 0 {
				// Join across the space only when a space in this face is
				// exactly the gap the layout left.
				same = pendingSpace == stringWidth(f.font, " ", f.size)
				if same {
					run.WriteByte(' ')
				}
			}
			if !same {
				flush()
				runFrag, runX = f, x
			}
			run.WriteString(f.text)
			x += f.w
			pendingSpace = 0
		}
		x += w.space
		pendingSpace = w.space
	}
	flush()
}

// paraOpts tune a paragraph.
type paraOpts struct {
	indent float64 // mm from the left margin
	after  float64 // space below, mm
	keep   int     // lines that must stay together at the start
	align  string  // "" left, "R" right, "C" centre
}

// para lays out and draws a paragraph at the current point, breaking
// pages between lines.
func (d *doc) para(spans []span, o paraOpts) {
	width := d.width - o.indent
	lines := layout(spans, width)
	for i, l := range lines {
		h := lineHeight(l.size)
		if i == 0 && o.keep > 1 {
			need := 0.0
			for k := 0; k < o.keep && k < len(lines); k++ {
				need += lineHeight(lines[k].size)
			}
			d.need(need)
		} else {
			d.need(h)
		}
		x := d.left + o.indent
		switch o.align {
		case "R":
			x += width - l.w
		case "C":
			x += (width - l.w) / 2
		}
		d.drawLine(l, x, d.y)
		d.y += h
	}
	d.y += o.after
}

// linesHeight adds up the heights of lines.
func linesHeight(ls []line) float64 {
	h := 0.0
	for _, l := range ls {
		h += lineHeight(l.size)
	}
	return h
}

// text is a one-span helper.
func text(st style, s string) []span { return []span{{st, s}} }
