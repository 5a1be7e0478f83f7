package export

import (
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"briefboard/resources"
)

// fontID names one embedded face.
type fontID uint8

const (
	fontRegular fontID = iota
	fontBold
	fontItalic
	fontFallback
	numFonts
)

// replacement is drawn for a character no embedded font has: a visible
// mark (the Go fonts have it), never an empty box.
const replacement = '\uFFFD'

// face is one embedded TrueType font with the glyph table and advance
// widths that layout needs. Widths are in thousandths of an em, rounded
// as fpdf rounds them, so measured lines match drawn lines.
type face struct {
	family, style string
	ttf           []byte

	once  sync.Once
	sf    *sfnt.Font
	scale float64
	err   error

	mu sync.Mutex
	// widths caches a rune's width; 0 means not looked up yet, -1 missing.
	widths []int32
}

var faces = [numFonts]*face{
	fontRegular:  {family: "go", style: "", ttf: goregular.TTF},
	fontBold:     {family: "go", style: "B", ttf: gobold.TTF},
	fontItalic:   {family: "go", style: "I", ttf: goitalic.TTF},
	fontFallback: {family: "fallback", style: "", ttf: resources.FallbackFont},
}

func (f *face) load() error {
	f.once.Do(func() {
		f.sf, f.err = sfnt.Parse(f.ttf)
		if f.err != nil {
			return
		}
		f.scale = 1000 / float64(f.sf.UnitsPerEm())
		f.widths = make([]int32, 0x10000)
	})
	return f.err
}

// width returns the advance of r in thousandths of an em, or -1 when the
// font has no glyph for it.
func (f *face) width(r rune) int32 {
	if r < 0 || r > 0xFFFF || f.load() != nil {
		return -1
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if w := f.widths[r]; w != 0 {
		return w
	}
	w := int32(-1)
	var buf sfnt.Buffer
	if gi, err := f.sf.GlyphIndex(&buf, r); err == nil && gi != 0 {
		upem := fixed.Int26_6(f.sf.UnitsPerEm()) << 6
		if adv, err := f.sf.GlyphAdvance(&buf, gi, upem, font.HintingNone); err == nil {
			w = int32(math.Round(f.scale * float64(adv>>6)))
			if w <= 0 {
				// Zero-width glyphs (combining marks) are kept as 1 so
				// that 0 can mean "not looked up".
				w = 1
			}
		}
	}
	f.widths[r] = w
	return w
}

// has reports whether the face has a glyph for r.
func (f *face) has(r rune) bool { return f.width(r) >= 0 }

// stringWidth measures s (already sanitised for this face) at size points,
// in millimetres.
func stringWidth(id fontID, s string, size float64) float64 {
	f := faces[id]
	total := 0
	for _, r := range s {
		if w := f.width(r); w > 1 {
			total += int(w)
		}
	}
	return float64(total) * size / 1000 * ptToMM
}

const ptToMM = 25.4 / 72

// dropped reports characters that carry no visible text and that a PDF
// reader would only trip over: controls, bidi and zero-width format
// characters, variation selectors, private use and non-characters.
func dropped(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7F && r < 0xA0:
		return true
	case r >= 0xFE00 && r <= 0xFE0F: // variation selectors
		return true
	case r == 0xFEFF, r == 0xFFFE, r == 0xFFFF:
		return true
	case unicode.Is(unicode.Cf, r):
		return true
	}
	return false
}

// clean makes user text safe for layout: invalid UTF-8 and characters no
// font can show become the replacement mark, invisible control and format
// characters go, tabs and line breaks become spaces (callers split
// paragraphs before they clean).
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7F {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := rune(-1)
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				r = 0x110000 // invalid: shown as the replacement mark
			}
		}
		if r > 0xFFFF || (r >= 0x1F3FB && r <= 0x1F3FF) {
			// fpdf cannot take characters beyond the Basic Multilingual
			// Plane (emoji and the like): they fail or panic at output.
			// A flag or an emoji sequence shows as one mark, not several.
			if last != replacement {
				b.WriteRune(replacement)
				last = replacement
			}
			continue
		}
		if r == 0x200D && last == replacement {
			continue // a zero-width joiner inside an emoji sequence
		}
		if !dropped(r) {
			last = r
		}
		switch {
		case r == '\t', r == '\n', r == '\r', r == 0x2028, r == 0x2029, r == 0xA0:
			b.WriteByte(' ')
		case dropped(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// paragraphs splits text into its non-empty paragraphs (lines), cleaned.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == 0x2029 }) {
		if p = strings.TrimSpace(clean(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// single makes text one cleaned line.
func single(s string) string { return strings.Join(strings.Fields(clean(s)), " ") }

// pickFont chooses the face that draws r in a text of the given face: the
// face itself when it has the glyph, else the fallback, else none (the
// caller draws the replacement mark in the face).
func pickFont(base fontID, r rune) (fontID, bool) {
	if faces[base].has(r) {
		return base, true
	}
	if faces[fontFallback].has(r) {
		return fontFallback, true
	}
	return base, false
}

// isRTL reports whether r is a strong right-to-left character (Hebrew or
// Arabic script and their presentation forms).
func isRTL(r rune) bool {
	return (r >= 0x0590 && r <= 0x08FF) || (r >= 0xFB1D && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF)
}

// isLTR reports whether r is a strong left-to-right character.
func isLTR(r rune) bool { return unicode.IsLetter(r) && !isRTL(r) }

// reverseClusters reverses s for right-to-left display, keeping each
// combining mark after its base character.
func reverseClusters(s string) string {
	var clusters []string
	start := 0
	for i, r := range s {
		if i > 0 && !unicode.Is(unicode.Mn, r) {
			clusters = append(clusters, s[start:i])
			start = i
		}
	}
	clusters = append(clusters, s[start:])
	var b strings.Builder
	b.Grow(len(s))
	for i := len(clusters) - 1; i >= 0; i-- {
		b.WriteString(clusters[i])
	}
	return b.String()
}

// arabicForms gives a letter's presentation forms: isolated, final,
// initial, medial (0 where the letter has none: it joins only on its right).
var arabicForms = map[rune][4]rune{
	0x0621: {0xFE80, 0, 0, 0},
	0x0622: {0xFE81, 0xFE82, 0, 0},
	0x0623: {0xFE83, 0xFE84, 0, 0},
	0x0624: {0xFE85, 0xFE86, 0, 0},
	0x0625: {0xFE87, 0xFE88, 0, 0},
	0x0626: {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C},
	0x0627: {0xFE8D, 0xFE8E, 0, 0},
	0x0628: {0xFE8F, 0xFE90, 0xFE91, 0xFE92},
	0x0629: {0xFE93, 0xFE94, 0, 0},
	0x062A: {0xFE95, 0xFE96, 0xFE97, 0xFE98},
	0x062B: {0xFE99, 0xFE9A, 0xFE9B, 0xFE9C},
	0x062C: {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0},
	0x062D: {0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4},
	0x062E: {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8},
	0x062F: {0xFEA9, 0xFEAA, 0, 0},
	0x0630: {0xFEAB, 0xFEAC, 0, 0},
	0x0631: {0xFEAD, 0xFEAE, 0, 0},
	0x0632: {0xFEAF, 0xFEB0, 0, 0},
	0x0633: {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4},
	0x0634: {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8},
	0x0635: {0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC},
	0x0636: {0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0},
	0x0637: {0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4},
	0x0638: {0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8},
	0x0639: {0xFEC9, 0xFECA, 0xFECB, 0xFECC},
	0x063A: {0xFECD, 0xFECE, 0xFECF, 0xFED0},
	0x0641: {0xFED1, 0xFED2, 0xFED3, 0xFED4},
	0x0642: {0xFED5, 0xFED6, 0xFED7, 0xFED8},
	0x0643: {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC},
	0x0644: {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0},
	0x0645: {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4},
	0x0646: {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8},
	0x0647: {0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC},
	0x0648: {0xFEED, 0xFEEE, 0, 0},
	0x0649: {0xFEEF, 0xFEF0, 0, 0},
	0x064A: {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4},
}

// lamAlef gives the lam-alef ligature (isolated, final) for each alef.
var lamAlef = map[rune][2]rune{
	0x0622: {0xFEF5, 0xFEF6},
	0x0623: {0xFEF7, 0xFEF8},
	0x0625: {0xFEF9, 0xFEFA},
	0x0627: {0xFEFB, 0xFEFC},
}

const tatweel = 0x0640

// joinsLeft reports whether r connects to the letter after it.
func joinsLeft(r rune) bool {
	if r == tatweel {
		return true
	}
	f, ok := arabicForms[r]
	return ok && f[2] != 0
}

// joins reports whether r connects to the letter before it.
func joins(r rune) bool {
	if r == tatweel {
		return true
	}
	f, ok := arabicForms[r]
	return ok && f[1] != 0
}

// shapeArabic turns the basic Arabic letters of a word into their
// contextual presentation forms, since fpdf draws characters one by one
// with no shaping of its own. Other characters pass through.
func shapeArabic(s string) string {
	rs := []rune(s)
	has := false
	for _, r := range rs {
		if _, ok := arabicForms[r]; ok {
			has = true
			break
		}
	}
	if !has {
		return s
	}
	transparent := func(r rune) bool { return unicode.Is(unicode.Mn, r) }
	prevLetter := func(i int) rune {
		for j := i - 1; j >= 0; j-- {
			if !transparent(rs[j]) {
				return rs[j]
			}
		}
		return 0
	}
	nextLetter := func(i int) (rune, int) {
		for j := i + 1; j < len(rs); j++ {
			if !transparent(rs[j]) {
				return rs[j], j
			}
		}
		return 0, -1
	}
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		forms, ok := arabicForms[r]
		if !ok {
			out = append(out, r)
			continue
		}
		before := joinsLeft(prevLetter(i))
		next, ni := nextLetter(i)
		if r == 0x0644 && ni == i+1 {
			if lig, ok := lamAlef[next]; ok {
				if before {
					out = append(out, lig[1])
				} else {
					out = append(out, lig[0])
				}
				i++
				continue
			}
		}
		after := forms[2] != 0 && joins(next)
		var g rune
		switch {
		case before && after:
			g = forms[3]
		case before:
			g = forms[1]
		case after:
			g = forms[2]
		default:
			g = forms[0]
		}
		if g == 0 {
			g = forms[0]
		}
		out = append(out, g)
	}
	return string(out)
}
