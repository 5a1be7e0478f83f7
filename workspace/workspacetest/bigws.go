package workspacetest

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"briefboard/workspace"
)

// Benchmark data the size analysts write: cards of about 80 words of
// negotiation prose, each with two annotations, one to three citations of
// graded sources with quotes, positions and tags, on three boards with the
// default lanes. The text is drawn from a seed, so the same seed gives the
// same workspace apart from its random record ids.

// BigCards is the size of the workspace the speed targets speak of.
const BigCards = 10000

// BigSeed is the seed the benchmarks and fixtures use.
const BigSeed = 1

// bigSources is how many graded sources the cards cite.
const bigSources = 60

// BigTemplate returns a template of n generated cards, drawn from seed.
// Creating a workspace from it writes every record in one action.
func BigTemplate(n int, seed uint64) *workspace.Template {
	g := &prose{r: rand.New(rand.NewPCG(seed, 0x6272696566))}
	t := &workspace.Template{
		Title:      "Florida talks: generated benchmark workspace",
		Subtitle:   fmt.Sprintf("%d generated cards, seed %d", n, seed),
		DefaultTLP: workspace.TLPGreen,
	}
	for _, p := range bigParties {
		t.Parties = append(t.Parties, workspace.TemplateParty{Key: p[0], Name: p[1], Short: p[2]})
	}
	sourceTLP := map[string]workspace.TLP{}
	for i := 0; i < bigSources; i++ {
		s := g.source(i)
		sourceTLP[s.Key] = s.TLP
		t.Sources = append(t.Sources, s)
	}
	for _, b := range bigBoards {
		t.Boards = append(t.Boards, workspace.TemplateBoard{Key: b[0], Title: b[1], Purpose: b[2],
			Lanes: append([]string(nil), workspace.DefaultLanes...)})
	}
	for i := 0; i < n; i++ {
		b := &t.Boards[i%len(t.Boards)]
		c := g.card(i, t.Sources, sourceTLP)
		// A link points back at an earlier card of any board, so every
		// target exists whatever n is.
		if i >= 20 && g.r.IntN(20) == 0 {
			to := g.r.IntN(i)
			c.Links = []workspace.Link{{To: cardKey(to), Type: workspace.LinkTypes[g.r.IntN(len(workspace.LinkTypes))]}}
		}
		b.Cards = append(b.Cards, c)
	}
	return t
}

// CreateBig makes a workspace of n generated cards in dir, which must not
// exist or be empty.
func CreateBig(dir string, n int, seed uint64, opts workspace.Options) (*workspace.Store, error) {
	return workspace.Create(dir, BigTemplate(n, seed), opts)
}

// Big makes a workspace of n generated cards (BigSeed) in a temporary
// directory and closes it when the test ends.
func Big(tb testing.TB, n int) (*workspace.Store, string) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "big")
	s, err := CreateBig(dir, n, BigSeed, workspace.Options{Now: Clock(Start)})
	if err != nil {
		tb.Fatalf("create a workspace of %d generated cards: %v", n, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, dir
}

// ReviseAll edits every live card's body in one action, as a colleague's
// copy that touched every card would: one sentence is replaced by a new
// one drawn from seed.
func ReviseAll(s *workspace.Store, seed uint64) error {
	snap, err := s.Snapshot()
	if err != nil {
		return err
	}
	g := &prose{r: rand.New(rand.NewPCG(seed, 0x726576697365))}
	_, err = s.Do("Revise every card", func(tx *workspace.Tx) error {
		for _, b := range snap.Boards {
			for _, c := range snap.BoardCards(b.ID) {
				if _, err := tx.UpdateCard(c.ID, func(c *workspace.Card) error {
					c.Body = g.revise(c.Body)
					return nil
				}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return err
}

func cardKey(i int) string { return fmt.Sprintf("c%05d", i) }

var bigParties = [][3]string{
	{"us", "United States", "US"},
	{"ua", "Ukraine", "UA"},
	{"ru", "Russia", "RU"},
	{"eu", "European partners", "EU"},
}

var bigBoards = [][3]string{
	{"blueprint", "20-point peace blueprint", "The framework text for ending hostilities, point by point."},
	{"guarantees", "US security guarantee framework", "What the United States and Europe would commit to Ukraine's defence, and how it is triggered."},
	{"economy", "Economic development plan", "Recovery, reconstruction finance and long-term prosperity."},
}

// prose draws negotiation text: sentences from patterns whose slots are
// filled from word banks, so cards read like an analyst's notes and differ
// from each other.
type prose struct{ r *rand.Rand }

func (g *prose) pick(list []string) string { return list[g.r.IntN(len(list))] }

var (
	actors = []string{"The US delegation", "Ukraine's negotiators", "Rustem Umerov", "Steve Witkoff", "Jared Kushner",
		"The European security advisers", "Moscow", "The Kremlin", "Yuri Ushakov", "Kyiv", "The mediators",
		"Washington", "The drafting group", "Berlin and Paris", "The Polish delegation", "Ankara",
		"The Gulf intermediaries", "The British national security adviser", "Zelenskyy", "Kirill Dmitriev",
		"The Nordic-Baltic group", "Київ", "Володимир Зеленський", "The Ukrainian general staff"}
	topics = []string{"the ceasefire line", "monitoring of the contact line", "the Zaporizhzhia nuclear plant",
		"sanctions relief", "the frozen central bank assets", "a reconstruction fund", "the size of Ukraine's armed forces",
		"a guarantee modelled on Article 5", "prisoner exchanges", "the return of deported children",
		"elections after a ceasefire", "a demilitarised zone in Donetsk", "Black Sea shipping lanes",
		"strikes on energy infrastructure", "the status of the Russian language", "amnesty provisions",
		"a European reassurance force", "NATO membership", "the sequencing of the twenty points",
		"access to the Dnipro river", "a joint investment vehicle", "critical minerals", "the oversight board",
		"air defence deliveries", "the Kinburn spit", "war crimes accountability", "gas transit through Ukraine",
		"the Kakhovka reservoir", "humanitarian corridors", "the verification mechanism", "the EU accession timetable",
		"insurance for foreign investors", "the grain export guarantees", "territorial concessions", "Донбас"}
	places = []string{"Florida", "Miami", "Geneva", "Abu Dhabi", "Berlin", "Kyiv", "Moscow", "Istanbul", "Riyadh",
		"Anchorage", "Brussels", "Paris", "London", "Warsaw", "Doha"}
	whens = []string{"on 28 December", "by mid-January", "after the holiday break", "before the next round",
		"within two weeks", "at the last session", "over the weekend", "late on Sunday", "ahead of the leaders' call",
		"in the first week of January"}
	moves = []string{"tabled revised language on", "pressed for firmer wording on", "rejected the current draft on",
		"asked for more time on", "signalled flexibility on", "kept brackets around", "sought written assurances on",
		"proposed a phased approach to", "walked back its earlier position on", "refused to discuss",
		"circulated a non-paper on", "accepted in principle the text on"}
	adjs = []string{"productive", "constructive", "difficult", "premature", "encouraging", "one-sided",
		"substantive", "frank", "stalled", "useful"}
	analysts = []string{"A. Analyst", "M. Reviewer", "J. Okafor", "K. Lindqvist", "Олена Петренко", "S. Moreau",
		"T. Nakamura", "R. Haddad"}
	tagBank = []string{"ceasefire", "guarantees", "sequencing", "sanctions", "reconstruction", "territory",
		"energy", "nuclear-safety", "humanitarian", "elections", "verification", "black-sea", "minerals", "assets",
		"accountability", "europe", "russia-feedback", "kyiv", "київ", "point-7", "point-12", "point-18", "red-lines",
		"timing", "finance", "monitoring", "prisoners", "children", "language", "nato"}
	quotes = []string{"we are not ready for this yet", "the basic block of all documents is ready",
		"a dignified foundation for a stable future", "stop the killing and ensure guaranteed security",
		"this is not a final text", "nothing is agreed until everything is agreed",
		"the guarantee must be as strong as Article 5", "we will not trade territory for promises",
		"the package can only move as a whole", "there are things the Russians are not ready for",
		"feedback will come after the US talks with Moscow", "the money must follow the security arrangements",
		"we expect written answers, not statements", "the draft still needs work at the level of capitals"}
)

// words counts the words of s.
func words(s string) int { return len(strings.Fields(s)) }

func (g *prose) sentence() string {
	a, b := g.pick(actors), g.pick(actors)
	for b == a {
		b = g.pick(actors)
	}
	t, u := g.pick(topics), g.pick(topics)
	for u == t {
		u = g.pick(topics)
	}
	lower := func(s string) string {
		if strings.HasPrefix(s, "The ") {
			return "the " + s[4:]
		}
		return s
	}
	switch g.r.IntN(14) {
	case 0:
		return fmt.Sprintf("%s %s %s during the %s round.", a, g.pick(moves), t, g.pick(places))
	case 1:
		return fmt.Sprintf("According to %s, %s remains the hardest open point, and %s has not said whether it would accept a phased approach.", lower(a), t, lower(b))
	case 2:
		return fmt.Sprintf("%s described the exchange on %s as %s but gave no detail on timing.", a, t, g.pick(adjs))
	case 3:
		return fmt.Sprintf("The current draft of point %d still brackets the reference to %s.", 1+g.r.IntN(20), t)
	case 4:
		return fmt.Sprintf("Officials familiar with the text said %s would accept %s only if %s is settled first.", lower(a), t, u)
	case 5:
		return fmt.Sprintf("%s is expected to return from %s with written feedback on %s %s.", a, g.pick(places), t, g.pick(whens))
	case 6:
		return fmt.Sprintf("A second option, floated by %s, would tie %s to %s under independent verification.", lower(a), t, u)
	case 7:
		return fmt.Sprintf("This matters for the brief because %s shapes how %s reads every other provision.", t, lower(b))
	case 8:
		lo := 5 + g.r.IntN(60)
		return fmt.Sprintf("No party has put figures on %s; estimates heard in %s range from %d to %d billion dollars.", t, g.pick(places), lo, lo+10+g.r.IntN(200))
	case 9:
		return fmt.Sprintf("The language agreed %s refers to %s without naming a date or a guarantor.", g.pick(whens), t)
	case 10:
		return fmt.Sprintf("Analysts in %s doubt that %s can deliver on %s before the spring.", g.pick(places), lower(a), t)
	case 11:
		return fmt.Sprintf("%s told reporters that %q, which we read as a hint on %s.", a, g.pick(quotes), t)
	case 12:
		return fmt.Sprintf("%s and %s met separately %s to narrow the gap on %s.", a, lower(b), g.pick(whens), t)
	default:
		return fmt.Sprintf("Until %s is settled, %s will not move on %s, and the mediators know it.", u, lower(a), t)
	}
}

// text draws sentences until it has about want words.
func (g *prose) text(want int) string {
	var b strings.Builder
	n := 0
	for n < want-8 {
		s := g.sentence()
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		n += words(s)
	}
	return b.String()
}

func (g *prose) title(i int) string {
	t := g.pick(topics)
	switch g.r.IntN(5) {
	case 0:
		return fmt.Sprintf("Point %d: %s", 1+g.r.IntN(20), t)
	case 1:
		return fmt.Sprintf("%s %s %s", g.pick(actors), g.pick(moves), t)
	case 2:
		r, n := utf8.DecodeRuneInString(t)
		return string(unicode.ToUpper(r)) + t[n:] + " still bracketed"
	case 3:
		return fmt.Sprintf("What %s wants on %s", g.pick(actors), t)
	default:
		return fmt.Sprintf("Readout %d from %s on %s", i+1, g.pick(places), t)
	}
}

func (g *prose) source(i int) workspace.TemplateSource {
	rel := []workspace.Reliability{"A", "B", "B", "C", "C", "D", "E", "F"}
	cred := []workspace.Credibility{1, 2, 2, 3, 3, 4, 5, 6}
	tlp := workspace.TLPClear
	if g.r.IntN(4) == 0 {
		tlp = workspace.TLPGreen
	}
	day := 1 + g.r.IntN(28)
	return workspace.TemplateSource{Key: fmt.Sprintf("s%02d", i),
		Title:       fmt.Sprintf("%s on %s", strings.TrimPrefix(g.pick(actors), "The "), g.pick(topics)),
		Origin:      fmt.Sprintf("Statement reported from %s", g.pick(places)),
		Date:        fmt.Sprintf("2025-12-%02d", day),
		Reliability: rel[g.r.IntN(len(rel))], Credibility: cred[g.r.IntN(len(cred))], TLP: tlp,
		Notes: g.text(20)}
}

func (g *prose) card(i int, sources []workspace.TemplateSource, sourceTLP map[string]workspace.TLP) workspace.TemplateCard {
	lanes := workspace.DefaultLanes
	laneWeights := []int{30, 25, 15, 20, 10}
	lane := lanes[weighted(g.r, laneWeights)]
	kinds := []workspace.Kind{workspace.KindNote, workspace.KindFact, workspace.KindStatement, workspace.KindJudgment,
		workspace.KindQuestion, workspace.KindRisk}
	kind := kinds[weighted(g.r, []int{20, 30, 20, 15, 8, 7})]
	tlp := workspace.TLPLevels[weighted(g.r, []int{40, 30, 20, 5, 5})]
	c := workspace.TemplateCard{Key: cardKey(i), Lane: lane, Title: g.title(i), Body: g.text(72 + g.r.IntN(17)),
		Kind: kind}
	seen := map[string]bool{}
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		s := sources[g.r.IntN(len(sources))].Key
		if seen[s] {
			continue
		}
		seen[s] = true
		// A card that quotes a source is at least as restricted as it.
		tlp = max(tlp, sourceTLP[s])
		c.Citations = append(c.Citations, workspace.Citation{Source: s, Quote: g.pick(quotes)})
	}
	c.TLP = tlp
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		t := g.pick(tagBank)
		if !contains(c.Tags, t) {
			c.Tags = append(c.Tags, t)
		}
	}
	if g.r.IntN(10) < 6 {
		c.Positions = map[string]workspace.Position{}
		for _, p := range bigParties {
			if g.r.IntN(2) == 0 {
				st := workspace.Stances[g.r.IntN(len(workspace.Stances))]
				c.Positions[p[0]] = workspace.Position{Stance: st, Note: fmt.Sprintf("as stated %s", g.pick(whens))}
			}
		}
	}
	if kind == workspace.KindJudgment {
		c.Likelihood = workspace.Likelihoods[g.r.IntN(len(workspace.Likelihoods))]
		c.Confidence = workspace.Confidences[g.r.IntN(len(workspace.Confidences))]
	}
	for k := 0; k < 2; k++ {
		c.Annotations = append(c.Annotations, workspace.TemplateAnnotation{Author: g.pick(analysts),
			Kind: workspace.AnnotationKinds[g.r.IntN(len(workspace.AnnotationKinds))], Text: g.note(),
			Resolved: g.r.IntN(3) == 0, TLP: max(tlp, workspace.TLPLevels[weighted(g.r, []int{50, 30, 15, 3, 2})])})
	}
	return c
}

func (g *prose) note() string {
	t := g.pick(topics)
	switch g.r.IntN(5) {
	case 0:
		return fmt.Sprintf("Check this against the readout from %s before the brief goes out; the wording on %s changed twice.", g.pick(places), t)
	case 1:
		return fmt.Sprintf("Is the position on %s confirmed by a second source? We only have the word of %s so far.", t, g.pick(analysts))
	case 2:
		return fmt.Sprintf("Caveat: the only source for this is %s, which has an interest in how %s is read.", g.pick(actors), t)
	case 3:
		return "Judgment: " + g.sentence()
	default:
		return g.sentence() + " Worth a line in the bottom line up front."
	}
}

// revise replaces one sentence of body with a new one.
func (g *prose) revise(body string) string {
	parts := strings.SplitAfter(body, ". ")
	i := g.r.IntN(len(parts))
	s := g.sentence()
	if i < len(parts)-1 {
		s += " "
	}
	parts[i] = s
	return strings.Join(parts, "")
}

func weighted(r *rand.Rand, w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
