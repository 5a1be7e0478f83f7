package export

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

// hostile is text that has broken PDF writers: emoji (beyond the Basic
// Multilingual Plane), check marks and stars (not in the Go fonts), Hebrew
// and Arabic (right to left, and Arabic joins), controls, invalid UTF-8.
var hostile = []string{
	"Deal agreed 🎉🇺🇦 👍🏽 ✅ done",
	"Check ✓ ✔ ✗ stars ★☆ warning ⚠ arrows ⟶ →",
	"שלום עולם and العربية لغة in one line",
	"Mixed: Київ, Zürich, Łódź, Ærø, İstanbul, Ελλάδα",
	"controls\x00\x01\x1b[31m\u200b\u202e reversed \u2066isolate\u2069",
	"bad utf8 \xff\xfe\xc3 here",
	strings.Repeat("Longwordwithoutanyspaces", 60),
	"",
	"   ",
	"\ufeff\ufe0f\U000E0001\U0010FFFF",
}

// TestLayout_EveryGlyphIsInItsFont checks that what layout hands to fpdf
// can be drawn: every character is in the face chosen for it, so nothing
// prints as an empty box.
func TestLayout_EveryGlyphIsInItsFont(t *testing.T) {
	for _, s := range hostile {
		for _, st := range []style{stBody, stBold, stItalic} {
			for _, l := range layout(text(st, s), 60) {
				for _, w := range l.words {
					for _, f := range w.frags {
						if !utf8.ValidString(f.text) {
							t.Fatalf("%q: invalid UTF-8 reached the page", s)
						}
						for _, r := range f.text {
							if r > 0xFFFF || !faces[f.font].has(r) {
								t.Errorf("%q: %U drawn in %s%s, which lacks it", s, r, faces[f.font].family, faces[f.font].style)
							}
						}
					}
				}
				if l.w > 60+1e-9 {
					t.Errorf("%q: a line is %.2f mm wide in a 60 mm column", s, l.w)
				}
			}
		}
	}
}

func TestLayout_FallbackAndReplacement(t *testing.T) {
	got := func(s string) (fonts map[fontID]string) {
		fonts = map[fontID]string{}
		for _, l := range layout(text(stBody, s), 500) {
			for _, w := range l.words {
				for _, f := range w.frags {
					fonts[f.font] += f.text
				}
			}
		}
		return fonts
	}
	if f := got("ok ✓"); !strings.Contains(f[fontFallback], "✓") || f[fontRegular] != "ok" {
		t.Errorf("check mark: %q", f)
	}
	if f := got("party 🎉"); !strings.ContainsRune(f[fontRegular], replacement) {
		t.Errorf("emoji: %q, want the replacement mark", f)
	}
	// Hebrew reads right to left: the first letter is drawn last.
	ls := layout(text(stBody, "שלום"), 500)
	if s := lineText(ls[0]); s != "םולש" {
		t.Errorf("Hebrew word drawn as %q", s)
	}
	// Arabic letters take their joined forms: alef-lam-arabic would be
	// the ligature and forms of presentation block B.
	if s := shapeArabic("بيت"); s != "\uFE91\uFEF4\uFE96" {
		t.Errorf("shaped %q as %U", "بيت", []rune(s))
	}
	if s := shapeArabic("لا"); s != "\uFEFB" {
		t.Errorf("lam-alef shaped as %U", []rune(s))
	}
}

func TestVisual_ReversesRightToLeftRuns(t *testing.T) {
	l := layout(text(stBody, "in שלום עולם today"), 500)[0]
	var got []string
	for _, w := range l.visual() {
		var b strings.Builder
		for _, f := range w.frags {
			b.WriteString(f.text)
		}
		got = append(got, b.String())
	}
	want := []string{"in", "םלוע", "םולש", "today"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("visual order %q, want %q", got, want)
	}
}

// TestWidths_MatchFpdf checks that layout measures text as fpdf does, so
// lines drawn as one string end where layout thinks they end.
func TestWidths_MatchFpdf(t *testing.T) {
	pdf := fpdf.New("P", "mm", "A4", "")
	sample := "The quick brown fox, Київ – “quoted” 123 ✓★ שלום"
	for id := fontID(0); id < numFonts; id++ {
		f := faces[id]
		pdf.AddUTF8FontFromBytes(f.family, f.style, f.ttf)
		pdf.SetFont(f.family, f.style, 10)
		var in strings.Builder
		for _, r := range sample {
			if f.has(r) {
				in.WriteRune(r)
			}
		}
		want := pdf.GetStringWidth(in.String())
		if got := stringWidth(id, in.String(), 10); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s%s: width %.4f, fpdf says %.4f", f.family, f.style, got, want)
		}
	}
	if err := pdf.Error(); err != nil {
		t.Fatal(err)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":           "plain",
		"a\tb\nc":         "a b c",
		"x\x00y\x1bz":     "xyz",
		"e\u0301":         "e\u0301",
		"🎉":               string(replacement),
		"\xff":            string(replacement),
		"zero\u200bwidth": "zerowidth",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}
