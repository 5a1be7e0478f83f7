package workspace

import (
	"math/bits"
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
// text, folded once (transliterated, without diacritics, lower case), and
// an index of its words, so a query looks at the words that contain its
// own instead of scanning every card. It is updated card by card as
// actions arrive (Apply). An Index is not safe for concurrent use.
type Index struct {
	snap  *Snapshot
	slots []indexSlot
	// slotOf maps a card id to its slot; free lists slots to reuse.
	slotOf map[string]int32
	free   []int32
	// postings maps each word to the slots of the cards that hold it,
	// sorted.
	postings map[string][]int32
}

type indexSlot struct {
	id string
	// text is the folded text with a space at each end.
	text  string
	words []string
	// authors are the folded names of who created, changed or annotated
	// the card.
	authors []string
}

// NewIndex builds the index of a snapshot.
func NewIndex(snap *Snapshot) *Index {
	ix := &Index{snap: snap, slotOf: make(map[string]int32, len(snap.Cards)), postings: map[string][]int32{}}
	ids := make([]string, 0, len(snap.Cards))
	for id := range snap.Cards {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		ix.set(snap.Cards[id])
	}
	return ix
}

// Apply brings the index up to a snapshot that the entries led to (see
// Snapshot.Apply), redoing only the cards whose text changed: the cards
// the entries wrote, those whose annotations they wrote, and those citing
// a source they wrote.
func (ix *Index) Apply(snap *Snapshot, entries ...*Entry) {
	ix.snap = snap
	cards := map[string]bool{}
	sources := map[string]bool{}
	for _, e := range entries {
		if e == nil {
			continue
		}
		for _, c := range e.Changes {
			switch c.RecordKind {
			case RecCard:
				cards[c.ID] = true
			case RecAnnotation:
				if a, ok := decodeOrNil(RecAnnotation, c.After).(*Annotation); ok {
					cards[a.Card] = true
				}
			case RecSource:
				sources[c.ID] = true
			}
		}
	}
	if len(sources) > 0 {
		for _, c := range snap.Cards {
			for _, ci := range c.Citations {
				if sources[ci.Source] {
					cards[c.ID] = true
					break
				}
			}
		}
	}
	for id := range cards {
		ix.remove(id)
		if c := snap.Cards[id]; c != nil {
			ix.set(c)
		}
	}
}

// searchText is what a query looks in for a card: its title, body and
// tags, its annotations, the titles of the sources it cites and its
// quotes.
func searchText(snap *Snapshot, c *Card) string {
	var b strings.Builder
	b.WriteString(c.Title)
	b.WriteByte('\n')
	b.WriteString(c.Body)
	for _, t := range c.Tags {
		b.WriteString("\n#")
		b.WriteString(t)
	}
	for _, a := range snap.Annotations[c.ID] {
		b.WriteByte('\n')
		b.WriteString(a.Text)
	}
	for _, ci := range c.Citations {
		if src := snap.SourceByID[ci.Source]; src != nil {
			b.WriteByte('\n')
			b.WriteString(src.Title)
		}
		b.WriteByte('\n')
		b.WriteString(ci.Quote)
	}
	return Fold(b.String())
}

func (ix *Index) set(c *Card) {
	folded := searchText(ix.snap, c)
	slot := indexSlot{id: c.ID, text: " " + folded + " "}
	seen := map[string]bool{}
	for _, w := range strings.Fields(folded) {
		if !seen[w] {
			seen[w] = true
			slot.words = append(slot.words, w)
		}
	}
	authors := map[string]bool{Fold(c.CreatedBy): true, Fold(c.UpdatedBy): true}
	for _, a := range ix.snap.Annotations[c.ID] {
		authors[Fold(a.Author)] = true
	}
	delete(authors, "")
	for a := range authors {
		slot.authors = append(slot.authors, a)
	}
	var i int32
	if n := len(ix.free); n > 0 {
		i, ix.free = ix.free[n-1], ix.free[:n-1]
		ix.slots[i] = slot
	} else {
		i = int32(len(ix.slots))
		ix.slots = append(ix.slots, slot)
	}
	ix.slotOf[c.ID] = i
	for _, w := range slot.words {
		list := ix.postings[w]
		j := sort.Search(len(list), func(j int) bool { return list[j] >= i })
		list = append(list, 0)
		copy(list[j+1:], list[j:])
		list[j] = i
		ix.postings[w] = list
	}
}

func (ix *Index) remove(id string) {
	i, ok := ix.slotOf[id]
	if !ok {
		return
	}
	for _, w := range ix.slots[i].words {
		list := ix.postings[w]
		j := sort.Search(len(list), func(j int) bool { return list[j] >= i })
		if j < len(list) && list[j] == i {
			list = append(list[:j], list[j+1:]...)
		}
		if len(list) == 0 {
			delete(ix.postings, w)
		} else {
			ix.postings[w] = list
		}
	}
	ix.slots[i] = indexSlot{}
	delete(ix.slotOf, id)
	ix.free = append(ix.free, i)
}

// Search returns the cards that match q, in board and lane order.
func (ix *Index) Search(q Query) []*Card {
	words := strings.Fields(Fold(q.Text))
	var hits bitset
	for n, w := range words {
		var these bitset
		if len(w) <= 2 {
			// Short words are in too many words to look up: scan.
			these = newBitset(len(ix.slots))
			for i := range ix.slots {
				if ix.slots[i].id != "" && strings.Contains(ix.slots[i].text, w) {
					these.set(int32(i))
				}
			}
		} else {
			these = newBitset(len(ix.slots))
			for word, list := range ix.postings {
				if strings.Contains(word, w) {
					for _, i := range list {
						these.set(i)
					}
				}
			}
		}
		if n == 0 {
			hits = these
		} else {
			hits.and(these)
		}
	}
	var out []*Card
	keep := func(c *Card) {
		if slot, ok := ix.slotOf[c.ID]; ok && ix.filter(c, &ix.slots[slot], q) {
			out = append(out, c)
		}
	}
	if len(words) > 0 && hits.count()*16 < len(ix.slots) {
		// Few hits: take them and put them in board and lane order.
		hits.each(func(i int32) {
			if slot := &ix.slots[i]; slot.id != "" {
				if c := ix.snap.Cards[slot.id]; c != nil {
					keep(c)
				}
			}
		})
		place := ix.snap.places()
		sort.Slice(out, func(i, j int) bool { return place[out[i].ID].before(place[out[j].ID]) })
		return out
	}
	// Many: walk the cards in board and lane order.
	ix.snap.eachInOrder(func(c *Card) {
		if len(words) > 0 {
			slot, ok := ix.slotOf[c.ID]
			if !ok || !hits.has(slot) {
				return
			}
		}
		keep(c)
	})
	return out
}

// eachInOrder calls fn with every live card in board and lane order, the
// strays last.
func (s *Snapshot) eachInOrder(fn func(c *Card)) {
	for _, b := range s.Boards {
		for _, l := range s.Lanes[b.ID] {
			for _, c := range s.LaneCards[l.ID] {
				fn(c)
			}
		}
	}
	for _, c := range s.Stray {
		fn(c)
	}
}

func (ix *Index) filter(c *Card, slot *indexSlot, q Query) bool {
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
	if q.HasTLP && s.Marking(c) != q.TLP {
		return false
	}
	if q.Author != "" && !contains(slot.authors, Fold(q.Author)) {
		return false
	}
	return true
}

// bitset is a set of index slots.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int32) { b[i/64] |= 1 << (uint(i) % 64) }

func (b bitset) has(i int32) bool { return b[i/64]&(1<<(uint(i)%64)) != 0 }

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) each(fn func(i int32)) {
	for w, word := range b {
		for word != 0 {
			t := word & -word
			fn(int32(w*64 + bits.TrailingZeros64(word)))
			word ^= t
		}
	}
}

// cardPlace is where a card shows: its board, lane and position, for
// putting search results in board and lane order.
type cardPlace struct{ board, lane, pos int }

func (p cardPlace) before(o cardPlace) bool {
	if p.board != o.board {
		return p.board < o.board
	}
	if p.lane != o.lane {
		return p.lane < o.lane
	}
	return p.pos < o.pos
}

// places works out, once per snapshot, where each live card shows; stray
// cards come after every board.
func (s *Snapshot) places() map[string]cardPlace {
	s.orderOnce.Do(func() {
		s.order = make(map[string]cardPlace, len(s.Cards))
		for bi, b := range s.Boards {
			for li, l := range s.Lanes[b.ID] {
				for pi, c := range s.LaneCards[l.ID] {
					s.order[c.ID] = cardPlace{bi, li, pi}
				}
			}
		}
		for pi, c := range s.Stray {
			s.order[c.ID] = cardPlace{len(s.Boards), 0, pi}
		}
	})
	return s.order
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
