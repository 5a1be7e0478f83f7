package check

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a text: a run of letters and digits, with
// apostrophes inside it ("isn't", "Kyiv's").
type token struct {
	// word is the word in lower case with curly apostrophes made straight.
	word string
	// raw is the word as written.
	raw        string
	start, end int
	// tight says that only spaces or hyphens stand between this word and
	// the one before it, so the two can form a phrase.
	tight bool
	// hyphenAfter says that a hyphen joins this word to the next one, as
	// in "confidence-building".
	hyphenAfter bool
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

// tokenize splits a text into words. Offsets are bytes into s.
func tokenize(s string) []token {
	out := make([]token, 0, len(s)/6+1)
	tight := true
	hyphen := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			switch {
			case isHyphen(r):
				hyphen = true
			case unicode.IsSpace(r) && r != '\n' && r != '\r':
			default:
				tight = false
			}
			i += n
			continue
		}
		start := i
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if isWordRune(r) {
				i += n
				continue
			}
			// An apostrophe between two letters belongs to the word.
			if isApostrophe(r) && i+n < len(s) {
				if next, _ := utf8.DecodeRuneInString(s[i+n:]); unicode.IsLetter(next) {
					i += n
					continue
				}
			}
			break
		}
		if len(out) > 0 && hyphen && tight && out[len(out)-1].end+1 == start {
			out[len(out)-1].hyphenAfter = true
		}
		raw := s[start:i]
		word := raw
		if !lowerASCII(raw) {
			word = strings.ToLower(raw)
			if strings.ContainsRune(word, '’') {
				word = strings.ReplaceAll(word, "’", "'")
			}
		}
		out = append(out, token{word: word, raw: raw, start: start, end: i, tight: tight && len(out) > 0})
		tight, hyphen = true, false
	}
	return out
}

// lowerASCII reports whether a word is lower-case ASCII already, as most
// are, so it needs no copy.
func lowerASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// quotePairs maps each opening quotation mark to the marks that close it.
var quotePairs = map[rune]string{
	'"': `"`,
	'“': "”",
	'„': "“”",
	'«': "»",
	'‹': "›",
	'‘': "’",
	'‚': "‘’",
}

// stripQuotes blanks out the text inside quotation marks (straight, curly,
// low-9 and guillemets), marks included, keeping every byte offset: the
// words a source said are not the analyst's. A quote that ends a sentence
// ("... cannot.") keeps its full stop, so sentences still end where they
// did. A mark that is never closed quotes nothing.
func stripQuotes(s string) string {
	if !strings.ContainsAny(s, "\"“„«‹‘‚") {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		closers, ok := quotePairs[r]
		if !ok {
			i += n
			continue
		}
		end := findCloser(s, i+n, closers)
		if end < 0 {
			i += n
			continue
		}
		_, cn := utf8.DecodeRuneInString(s[end:])
		inner := strings.TrimSpace(s[i+n : end])
		for k := i; k < end+cn; k++ {
			b[k] = ' '
		}
		if last, _ := utf8.DecodeLastRuneInString(inner); strings.ContainsRune(".!?…", last) {
			b[end] = '.'
		}
		i = end + cn
	}
	return string(b)
}

// findCloser finds the first closing mark at or after from. A closing ’
// between two letters is an apostrophe ("Kyiv’s"), not the end of a quote.
func findCloser(s string, from int, closers string) int {
	for j := from; j < len(s); {
		r, n := utf8.DecodeRuneInString(s[j:])
		if strings.ContainsRune(closers, r) {
			if r == '’' && j > 0 && j+n < len(s) {
				prev, _ := utf8.DecodeLastRuneInString(s[:j])
				next, _ := utf8.DecodeRuneInString(s[j+n:])
				if unicode.IsLetter(prev) && unicode.IsLetter(next) {
					j += n
					continue
				}
			}
			return j
		}
		j += n
	}
	return -1
}

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "no": true, "vs": true, "etc": true,
	"gen": true, "gov": true, "sen": true, "rep": true, "jr": true, "sr": true, "prof": true,
	"approx": true, "cf": true, "fig": true, "e.g": true, "i.e": true, "col": true, "lt": true, "adm": true,
}

// sentences splits a text (its quotes already blanked) into sentences,
// returned as byte ranges. A sentence ends at a full stop, question or
// exclamation mark or ellipsis followed by a space or the end, or at a line
// break. Abbreviations ("U.S.", "Dr.", "e.g.") do not end one.
func sentences(s string) [][2]int {
	var out [][2]int
	start := 0
	add := func(end int) {
		if strings.TrimSpace(s[start:end]) != "" {
			out = append(out, [2]int{start, end})
		}
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n' || r == '\r':
			add(i)
			start = i + n
		case r == '.' || r == '!' || r == '?' || r == '…':
			j := i + n
			for j < len(s) && strings.ContainsRune(".!?…)]", rune(s[j])) {
				j++
			}
			if j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' {
				break
			}
			if r == '.' && abbreviated(s[start:i]) {
				break
			}
			add(j)
			start = j
			i = j
			continue
		}
		i += n
	}
	add(len(s))
	return out
}

// abbreviated reports whether the text before a full stop ends in an
// abbreviation: dotted letters ("U.S") or a known short form.
func abbreviated(before string) bool {
	k := len(before)
	for k > 0 {
		r, n := utf8.DecodeLastRuneInString(before[:k])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		k -= n
	}
	w := strings.ToLower(before[k:])
	if abbreviations[w] {
		return true
	}
	// "U.S": single letters, each followed by a stop.
	dot := strings.LastIndexByte(w, '.')
	return dot >= 0 && utf8.RuneCountInString(w[dot+1:]) == 1
}

// firstSentence returns the first sentence of a text whose quotes are
// blanked, or "".
func firstSentence(s string) string {
	ss := sentences(s)
	if len(ss) == 0 {
		return ""
	}
	return s[ss[0][0]:ss[0][1]]
}
