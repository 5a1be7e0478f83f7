package export

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"briefboard/workspace"
)

// Markdown writes the brief as Markdown: the same sections as the PDF, in
// the same order, under the same TLP cap and label. Paper has no effect.
func Markdown(w io.Writer, snap *workspace.Snapshot, opts Options) error {
	b, err := plan(snap, opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	m := &mdBrief{w: bw, b: b, opts: opts, total: b.cards + len(b.matrices) + 2}
	m.write()
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write brief: %w", err)
	}
	return nil
}

type mdBrief struct {
	w     *bufio.Writer
	b     *brief
	opts  Options
	done  int
	total int
}

func (m *mdBrief) progress() {
	m.done++
	if m.opts.Progress != nil {
		m.opts.Progress(min(m.done, m.total), m.total)
	}
}

func (m *mdBrief) p(format string, args ...any) { fmt.Fprintf(m.w, format, args...) }

// mdEscape makes user text inline Markdown that renders as typed.
func mdEscape(s string) string {
	s = single(s)
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~':
			b.WriteByte('\\')
		case '#', '+', '-', '!':
			if i == 0 {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	out := b.String()
	// A leading "1." would start an ordered list.
	if n := strings.IndexFunc(out, func(r rune) bool { return r < '0' || r > '9' }); n > 0 && strings.HasPrefix(out[n:], ".") {
		out = out[:n] + "\\" + out[n:]
	}
	return out
}

func (m *mdBrief) write() {
	b := m.b
	m.p("**%s**\n\n", b.label)
	m.p("# %s\n\n", mdEscape(b.title))
	if b.subtitle != "" {
		m.p("%s\n\n", mdEscape(b.subtitle))
	}
	m.p("- As of: %s\n", dateText(b.date))
	if b.author != "" {
		m.p("- Prepared by: %s\n", mdEscape(b.author))
	}
	var parties []string
	for _, pt := range b.parties {
		parties = append(parties, mdEscape(pt.Name))
	}
	if len(parties) > 0 {
		m.p("- Parties: %s\n", strings.Join(parties, ", "))
	}
	m.p("- Marking: %s. %s\n", b.label, tlpMeaning(b.label))
	if m.opts.MaxTLP != nil {
		m.p("- Prepared for release at %s: records marked above it are left out.\n", m.opts.MaxTLP.String())
	}
	if b.changes != nil {
		m.p("- Follows: %s\n", mdEscape(b.follows()))
	}
	m.p("\n## Contents\n\n- [Bottom line up front](#bottom-line-up-front)\n")
	if b.changes != nil {
		m.p("- %s\n", mdEscape(b.sinceTitle()))
	}
	for _, bp := range b.background {
		m.p("  - Background: %s\n", mdEscape(bp.board.Title))
	}
	for i, bp := range b.pillars {
		m.p("  - %d\\. %s\n", i+1, mdEscape(bp.board.Title))
	}
	for _, mp := range b.matrices {
		m.p("- %s\n", mdEscape(matrixTitle(mp.matrix)))
	}
	m.p("- [Positions matrix](#positions-matrix)\n- [Sources](#sources)\n\n")
	m.progress()

	m.p("## Bottom line up front\n\n")
	if len(b.judgments) == 0 {
		m.p("This brief includes no key judgments.\n\n")
	}
	for i, c := range b.judgments {
		m.p("%d. **%s**", i+1, mdEscape(c.Title))
		if s := estimateText(c); s != "" {
			m.p(" — %s.", s)
		}
		m.p(" (%s)", mdEscape(m.boardOf(c)))
		if f := b.sourcing(c); f != "" {
			m.p(" *Sourcing: %s.*", f)
		}
		m.p("\n")
	}
	m.p("\n")

	if b.changes != nil {
		m.changes()
	}
	for _, bp := range b.background {
		m.board("Background: "+mdEscape(bp.board.Title), bp, "No cards of this board are included.")
	}
	for i, bp := range b.pillars {
		m.board(fmt.Sprintf("%d\\. %s", i+1, mdEscape(bp.board.Title)), bp, "No cards of this pillar are included.")
	}
	for _, mp := range b.matrices {
		m.competingHypotheses(mp)
	}
	m.matrix()
	m.sources()
	m.p("\n---\n\n**%s**\n", b.label)
	m.progress()
}

func (m *mdBrief) boardOf(c *workspace.Card) string {
	if bd := m.b.snap.Board(c.Board); bd != nil {
		return bd.Title
	}
	return ""
}

// board writes one board, a pillar or background, under its heading.
func (m *mdBrief) board(heading string, bp *boardPlan, empty string) {
	b := m.b
	m.p("## %s\n\n", heading)
	for _, para := range paragraphs(bp.board.Purpose) {
		m.p("%s\n\n", mdEscape(para))
	}
	if len(bp.cards) == 0 {
		m.p("%s\n\n", empty)
		return
	}
	m.p("| Card | Lane |")
	for _, pt := range b.parties {
		m.p(" %s |", mdEscape(partyShort(pt)))
	}
	m.p("\n|---|---|%s\n", strings.Repeat("---|", len(b.parties)))
	for _, c := range bp.cards {
		m.p("| %s | %s |", mdEscape(c.Title), mdEscape(b.snap.LaneName(c)))
		for _, pt := range b.parties {
			if pos, ok := c.Positions[pt.ID]; ok {
				m.p(" %s |", stanceWord(pos.Stance, false))
			} else {
				m.p(" — |")
			}
		}
		m.p("\n")
	}
	m.p("\n")
	for _, c := range bp.cards {
		m.card(c)
		m.progress()
	}
}

func (m *mdBrief) card(c *workspace.Card) {
	b := m.b
	if b.changes.Changed(c.ID) {
		// The anchor "Changes since" links to.
		m.p("<a id=\"card-%s\"></a>\n\n", c.ID)
	}
	m.p("### %s\n\n", mdEscape(c.Title))
	meta := fmt.Sprintf("*%s · Lane: %s · %s", kindLabel(c.Kind), mdEscape(b.snap.LaneName(c)), b.mark(c))
	if len(c.Tags) > 0 {
		var tags []string
		for _, t := range c.Tags {
			tags = append(tags, mdEscape(t))
		}
		meta += " · Tags: " + strings.Join(tags, ", ")
	}
	m.p("%s*\n\n", meta)
	if s := estimateText(c); s != "" {
		m.p("**%s**\n\n", s)
	}
	for _, para := range paragraphs(c.Body) {
		m.p("%s\n\n", mdEscape(para))
	}
	if c.IsKeyJudgment() {
		if f := b.sourcing(c); f != "" {
			m.p("**Sourcing:** this judgment %s.\n\n", f)
		}
	}
	var pos []string
	for _, pt := range b.parties {
		if ps, ok := c.Positions[pt.ID]; ok {
			pos = append(pos, positionLine(pt.Name, ps))
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
		pos = append(pos, positionLine(id, c.Positions[id]))
	}
	if len(pos) > 0 {
		m.p("Positions:\n\n%s\n", strings.Join(pos, ""))
	}
	var cites []string
	for _, ci := range c.Citations {
		s := b.snap.SourceByID[ci.Source]
		if s == nil {
			continue
		}
		line := fmt.Sprintf("- [%d] %s · %s", b.num[s.ID], s.Grade, mdEscape(s.Title))
		if q := single(ci.Quote); q != "" {
			line += ": “" + mdEscape(q) + "”"
		}
		cites = append(cites, line+"\n")
	}
	if len(cites) > 0 {
		m.p("Sources:\n\n%s\n", strings.Join(cites, ""))
	}
	var links []string
	for _, l := range c.Links {
		if to := b.included[l.To]; to != nil {
			links = append(links, fmt.Sprintf("- %s: %s\n", linkLabel(l.Type), mdEscape(to.Title)))
		}
	}
	if len(links) > 0 {
		m.p("Links:\n\n%s\n", strings.Join(links, ""))
	}
	if as := b.annotationsOf(c); len(as) > 0 {
		m.p("Annotations:\n\n")
		for _, a := range as {
			state := "**OPEN**"
			if a.Resolved {
				state = "Resolved"
			}
			who := annotationLabel(a.Kind)
			if au := single(a.Author); au != "" {
				who += " · " + mdEscape(au)
			}
			if !a.At.IsZero() {
				who += " · " + a.At.UTC().Format("2 Jan 2006")
			}
			if am := b.mark(a); am != b.mark(c) {
				who += " · " + am.String()
			}
			m.p("- %s %s: %s\n", state, who, strings.Join(mdAll(paragraphs(a.Text)), " ¶ "))
		}
		m.p("\n")
	}
}

// changes writes "Changes since": the opening sentence, then the
// sentences of each kind; the title of a card in this brief links to it.
func (m *mdBrief) changes() {
	b := m.b
	m.p("## %s\n\n", mdEscape(b.sinceTitle()))
	groups := b.changeGroups()
	m.p("%s\n\n", mdEscape(b.changeIntro(groups)))
	for _, g := range groups {
		m.p("### %s\n\n", g.heading)
		for _, it := range g.items {
			title := "“" + mdEscape(it.title) + "”"
			if it.inBrief {
				title = "[" + title + "](#card-" + it.card + ")"
			}
			m.p("- %s%s\n", title, it.rest(mdEscape))
		}
		m.p("\n")
	}
}

func mdAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = mdEscape(s)
	}
	return out
}

func positionLine(party string, ps workspace.Position) string {
	l := fmt.Sprintf("- %s: **%s**", mdEscape(party), ps.Stance.Label())
	if n := single(ps.Note); n != "" {
		l += " — " + mdEscape(n)
	}
	return l + "\n"
}

func (m *mdBrief) matrix() {
	b := m.b
	m.p("## Positions matrix\n\n")
	m.p("| Pillar | Card |")
	for _, pt := range b.parties {
		m.p(" %s |", mdEscape(partyShort(pt)))
	}
	m.p("\n|---|---|%s\n", strings.Repeat("---|", len(b.parties)))
	rows := 0
	for _, bp := range b.boards {
		for _, c := range bp.cards {
			if !b.hasPositions(c) {
				continue
			}
			rows++
			m.p("| %s | %s |", mdEscape(bp.board.Title), mdEscape(c.Title))
			for _, pt := range b.parties {
				if pos, ok := c.Positions[pt.ID]; ok {
					m.p(" %s |", stanceWord(pos.Stance, false))
				} else {
					m.p(" — |")
				}
			}
			m.p("\n")
		}
	}
	if rows == 0 {
		m.p("\nNo included card records a party's position.\n")
	}
	m.p("\n")
}

func (m *mdBrief) sources() {
	b := m.b
	m.p("## Sources\n\n")
	if len(b.sources) == 0 {
		m.p("No included card cites a source.\n\n")
	}
	for _, s := range b.sources {
		m.p("%d. **%s**.", b.num[s.ID], mdEscape(s.Title))
		if o := single(s.Origin); o != "" {
			m.p(" %s.", mdEscape(o))
		}
		if s.InfoDate != "" {
			m.p(" Information dated %s.", s.InfoDate)
		}
		m.p(" Grade %s. %s. Cited by %s.", gradeText(s.Grade), b.mark(s), plural(b.citedBy[s.ID], "card"))
		if ns := paragraphs(s.Notes); len(ns) > 0 {
			m.p(" *%s*", strings.Join(mdAll(ns), " "))
		}
		m.p("\n")
	}
	m.p("\n### Judgments on thin sourcing\n\n")
	flagged := 0
	for _, c := range b.judgments {
		if f := b.sourcing(c); f != "" {
			flagged++
			m.p("- **%s** (%s): this judgment %s.\n", mdEscape(c.Title), mdEscape(m.boardOf(c)), f)
		}
	}
	if flagged == 0 {
		m.p("No key judgment rests on a single source or only on sources graded D-F.\n")
	}
}
