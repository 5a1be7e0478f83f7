package workspace

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The rule for the characters text may hold. A title, a tag, a name or any
// other one-line text refuses every control character (C0, DEL and C1:
// line breaks, tabs, ESC...), the bidirectional embeddings, overrides and
// isolates (U+202A to U+202E, U+2066 to U+2069) and the Unicode line and
// paragraph separators: with them a title can reverse or hide its own
// words on screen, in a brief or in a terminal, and pass for another. A
// block of text (a card's body, a quote, a note, an annotation) keeps line
// breaks and tabs, and refuses the other control characters and the
// bidirectional controls. Validate applies the rule, so the window, the
// command line, share files and canvas imports all obey it.

// textKind tells one-line text from blocks of text.
type textKind int

const (
	lineText textKind = iota
	blockText
)

// refusedChar reports whether a text of the kind may not hold r.
func refusedChar(r rune, kind textKind) bool {
	switch {
	case r == '\n' || r == '\t':
		return kind == lineText
	case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028 || r == 0x2029:
		return kind == lineText
	}
	return false
}

// charNames says what the refused characters that have a name are.
var charNames = map[rune]string{
	0x00:   "a NUL character",
	'\t':   "a tab",
	'\n':   "a line break",
	'\r':   "a carriage return",
	0x1b:   "an escape character",
	0x7f:   "a delete character",
	0x9b:   "a control sequence introducer",
	0x202a: "a left-to-right embedding",
	0x202b: "a right-to-left embedding",
	0x202c: "a pop directional formatting",
	0x202d: "a left-to-right override",
	0x202e: "a right-to-left override",
	0x2066: "a left-to-right isolate",
	0x2067: "a right-to-left isolate",
	0x2068: "a first strong isolate",
	0x2069: "a pop directional isolate",
	0x2028: "a line separator",
	0x2029: "a paragraph separator",
}

// CharName names a character for a message: "a right-to-left override
// (U+202E)", "a control character (U+0007)".
func CharName(r rune) string {
	name, ok := charNames[r]
	if !ok {
		name = "a control character"
	}
	return fmt.Sprintf("%s (U+%04X)", name, r)
}

// checkChars refuses the first character s may not hold, naming it and
// where it is: its place counted from 1, and in a block of several lines
// the line too.
func checkChars(field, label, s string, kind textKind) error {
	multi := false
	for i := 0; kind == blockText && i < len(s); i++ {
		multi = multi || s[i] == '\n'
	}
	line, col := 1, 0
	for _, r := range s {
		col++
		if refusedChar(r, kind) {
			where := fmt.Sprintf("character %d", col)
			if multi {
				where = fmt.Sprintf("line %d, character %d", line, col)
			}
			if kind == lineText {
				return invalid(field, "%s contains %s at %s. Remove it: a title, name or tag cannot hold line breaks, tabs, "+
					"other control characters or text-direction controls", label, CharName(r), where)
			}
			return invalid(field, "%s contains %s at %s. Remove it: text keeps line breaks and tabs, "+
				"but no other control character and no text-direction control", label, CharName(r), where)
		}
		if r == '\n' {
			line, col = line+1, 0
		}
	}
	return nil
}

// checkText checks one line of text: a title, a name, a tag.
func checkText(field, label, s string, max int, required bool) error {
	return checkTextOf(field, label, s, max, required, lineText)
}

// checkBlock checks a block of text, which may hold line breaks and tabs:
// a body, a quote, a note.
func checkBlock(field, label, s string, max int, required bool) error {
	return checkTextOf(field, label, s, max, required, blockText)
}

func checkTextOf(field, label, s string, max int, required bool, kind textKind) error {
	if !utf8.ValidString(s) {
		return invalid(field, "%s is not valid UTF-8 text", label)
	}
	if required && strings.TrimSpace(s) == "" {
		return invalid(field, "%s cannot be empty", label)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return invalid(field, "%s is %d characters long; the limit is %d", label, n, max)
	}
	return checkChars(field, label, s, kind)
}
