package workspace

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable returns s with every character that is not visible text
// written as a Go escape: control characters (C0 and C1, among them ESC,
// CR, newline and tab), the bidirectional embeddings, overrides and
// isolates (U+202A to U+202E, U+2066 to U+2069) and other invisible
// formatting characters. Text that came from a colleague's file then
// cannot move a terminal's cursor, recolour or erase what is printed
// beside it (a TLP label), nor reorder a line. Plain-text outputs (the
// command line's listings, summaries and error lines) and the window's
// one-line labels print titles and names through it. Bytes that are not
// UTF-8 are escaped too (a lone 0x9b is a control sequence to some
// terminals).
func Printable(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case visible(r):
			b.WriteString(s[:n])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		s = s[n:]
	}
	return b.String()
}

// needsEscape reports whether s holds anything Printable escapes. ASCII,
// nearly all of what analysts type, is told apart byte by byte.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !visible(r) {
			return true
		}
		i += n
	}
	return false
}

// visible reports whether r shows as itself: letters, marks, numbers,
// punctuation, symbols and spaces, but no control or format character.
func visible(r rune) bool {
	return r == ' ' || unicode.IsGraphic(r) && !unicode.Is(unicode.Cf, r)
}
