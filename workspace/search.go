package workspace

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold turns text into the form search compares: Ukrainian Cyrillic
// transliterated with the national system (KMU 2010), then diacritics
// removed, then lower case, with runs of space and punctuation turned into
// one space. Transliteration comes before folding diacritics, or "Андрій"
// would not become "andrii". A Latin query thus finds its Cyrillic spelling:
// "Kyiv" finds "Київ".
func Fold(s string) string {
	if !isASCII(s) {
		if !norm.NFC.IsNormalString(s) {
			s = norm.NFC.String(s)
		}
		s = Transliterate(s)
		t := stripMarks.Get().(transform.Transformer)
		t.Reset()
		if out, _, err := transform.String(t, s); err == nil {
			s = out
		}
		stripMarks.Put(t)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case r == '+' || r == '#' || r == '@':
			// Kept: "amber+strict", "#tag" and handles search as typed.
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// stripMarks decomposes text and drops its combining marks: "é" becomes
// "e". The transformers keep buffers, so they are pooled.
var stripMarks = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)))
}}

// Ukrainian national transliteration (Cabinet of Ministers resolution 55 of
// 2010). Letters with two forms take the first at the start of a word.
var translitUA = map[rune][2]string{
	'а': {"a", "a"}, 'б': {"b", "b"}, 'в': {"v", "v"}, 'г': {"h", "h"}, 'ґ': {"g", "g"},
	'д': {"d", "d"}, 'е': {"e", "e"}, 'є': {"ye", "ie"}, 'ж': {"zh", "zh"}, 'з': {"z", "z"},
	'и': {"y", "y"}, 'і': {"i", "i"}, 'ї': {"yi", "i"}, 'й': {"y", "i"}, 'к': {"k", "k"},
	'л': {"l", "l"}, 'м': {"m", "m"}, 'н': {"n", "n"}, 'о': {"o", "o"}, 'п': {"p", "p"},
	'р': {"r", "r"}, 'с': {"s", "s"}, 'т': {"t", "t"}, 'у': {"u", "u"}, 'ф': {"f", "f"},
	'х': {"kh", "kh"}, 'ц': {"ts", "ts"}, 'ч': {"ch", "ch"}, 'ш': {"sh", "sh"}, 'щ': {"shch", "shch"},
	'ь': {"", ""}, 'ю': {"yu", "iu"}, 'я': {"ya", "ia"}, '\'': {"", ""}, '’': {"", ""}, 'ʼ': {"", ""},
	// Russian letters that Ukrainian lacks, so Russian names fold too.
	'ы': {"y", "y"}, 'э': {"e", "e"}, 'ё': {"yo", "io"}, 'ъ': {"", ""},
}

// Transliterate writes Cyrillic letters in Latin by the Ukrainian national
// system and leaves every other character alone. Apostrophes inside a
// Cyrillic word are dropped, as the system asks.
func Transliterate(s string) string {
	if !hasCyrillic(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	prevLetter := false
	var prev rune
	for i, r := range s {
		if r < 0x400 && r != '\'' {
			// Not Cyrillic: most characters take this short way.
			b.WriteRune(r)
			prevLetter = r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') || r >= utf8.RuneSelf && unicode.IsLetter(r)
			prev = r
			continue
		}
		lower := unicode.ToLower(r)
		forms, ok := translitUA[lower]
		if ok && (r == '\'' || r == '’' || r == 'ʼ') {
			// An apostrophe is a letter-separator only between Cyrillic
			// letters; elsewhere it stays.
			next, _ := utf8.DecodeRuneInString(s[i+len(string(r)):])
			if !(isCyrillic(prev) && isCyrillic(next)) {
				ok = false
			}
		}
		if !ok {
			b.WriteRune(r)
			prevLetter = unicode.IsLetter(r)
			prev = r
			continue
		}
		out := forms[1]
		if !prevLetter {
			out = forms[0]
		}
		// "зг" is written "zgh", to tell it from "ж".
		if lower == 'г' && unicode.ToLower(prev) == 'з' {
			out = "gh"
		}
		if r != lower && out != "" {
			out = strings.ToUpper(out[:1]) + out[1:]
		}
		b.WriteString(out)
		prevLetter = true
		prev = r
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }

func hasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 0x400 && r <= 0x52F {
			return true
		}
	}
	return false
}

// Query is a search with filters; empty fields do not filter.
type Query struct {
	// Text must occur, word by word, in a card's title, body, tags,
	// annotations or the titles of the sources it cites.
	Text   string
	Board  string
	Lane   string // lane id, or a lane name on any board
	Tag    string
	Party  string // with Stance: cards where this party takes that stance
	Stance Stance
	// TLP keeps cards marked exactly this level when HasTLP is set.
	TLP    TLP
	HasTLP bool
	// Author keeps cards created or last changed by this person, or with
	// an annotation of theirs.
	Author string
}

// Index is a search index over a snapshot's cards: each card's searchable
// text, folded once, so a query is a scan of plain strings.
type Index struct {
	snap  *Snapshot
	ids   []string
	texts []string
}

// NewIndex builds the index of a snapshot.
func NewIndex(snap *Snapshot) *Index {
	ix := &Index{snap: snap}
	for _, b := range snap.Boards {
		for _, c := range snap.BoardCards(b.ID) {
			ix.add(c)
		}
	}
	for _, c := range snap.Stray {
		ix.add(c)
	}
	return ix
}

func (ix *Index) add(c *Card) {
	var b strings.Builder
	b.WriteString(c.Title)
	b.WriteByte('\n')
	b.WriteString(c.Body)
	for _, t := range c.Tags {
		b.WriteString("\n#")
		b.WriteString(t)
	}
	for _, a := range ix.snap.Annotations[c.ID] {
		b.WriteByte('\n')
		b.WriteString(a.Text)
	}
	for _, ci := range c.Citations {
		if src := ix.snap.SourceByID[ci.Source]; src != nil {
			b.WriteByte('\n')
			b.WriteString(src.Title)
		}
		b.WriteByte('\n')
		b.WriteString(ci.Quote)
	}
	ix.ids = append(ix.ids, c.ID)
	ix.texts = append(ix.texts, " "+Fold(b.String())+" ")
}

// Search returns the cards that match q, in board and lane order.
func (ix *Index) Search(q Query) []*Card {
	words := strings.Fields(Fold(q.Text))
	var out []*Card
	for i, text := range ix.texts {
		ok := true
		for _, w := range words {
			if !strings.Contains(text, w) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		c := ix.snap.Cards[ix.ids[i]]
		if c != nil && ix.filter(c, q) {
			out = append(out, c)
		}
	}
	return out
}

func (ix *Index) filter(c *Card, q Query) bool {
	s := ix.snap
	if q.Board != "" && c.Board != q.Board {
		return false
	}
	if q.Lane != "" && c.Lane != q.Lane && !strings.EqualFold(s.LaneName(c), q.Lane) {
		return false
	}
	if q.Tag != "" && !c.HasTag(q.Tag) {
		return false
	}
	if q.Party != "" {
		p, ok := c.Positions[q.Party]
		if !ok || q.Stance != "" && p.Stance != q.Stance {
			return false
		}
	} else if q.Stance != "" {
		found := false
		for _, p := range c.Positions {
			found = found || p.Stance == q.Stance
		}
		if !found {
			return false
		}
	}
	if q.HasTLP && c.TLP != q.TLP {
		return false
	}
	if q.Author != "" {
		a := Fold(q.Author)
		match := Fold(c.CreatedBy) == a || Fold(c.UpdatedBy) == a
		for _, an := range s.Annotations[c.ID] {
			match = match || Fold(an.Author) == a
		}
		if !match {
			return false
		}
	}
	return true
}

// Tags lists every tag in use, sorted, for filter pickers.
func (s *Snapshot) Tags() []string {
	set := map[string]bool{}
	for _, c := range s.Cards {
		for _, t := range c.Tags {
			set[t] = true
		}
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Authors lists everyone who created, changed or annotated a card, sorted.
func (s *Snapshot) Authors() []string {
	set := map[string]bool{}
	for _, c := range s.Cards {
		set[c.CreatedBy], set[c.UpdatedBy] = true, true
	}
	for _, as := range s.Annotations {
		for _, a := range as {
			set[a.Author] = true
		}
	}
	delete(set, "")
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}
