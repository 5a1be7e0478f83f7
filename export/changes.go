package export

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"briefboard/workspace"
)

// The section "Changes since the brief of DATE", worded once for the PDF
// and the Markdown writers: short sentences grouped by kind, what moved to
// Agreed first.

// changeGroup is one kind of change, with a sentence per change.
type changeGroup struct {
	heading string
	items   []changeItem
}

// changeItem is one sentence: the card's title in quotes, then what
// changed. The title is the card's now, or for a card no longer in the
// brief the one its readers saw.
type changeItem struct {
	card  string
	title string
	// rest is what follows the title; user text in it goes through esc,
	// so each writer escapes it its own way.
	rest func(esc func(string) string) string
	// inBrief is set when the card is in this brief: the sentence points
	// to its page.
	inBrief bool
}

// sinceText names the baseline: "the brief of 15 December 2025".
func sinceText(base *workspace.Baseline) string {
	if base.Brief == nil {
		return "the workspace as of " + base.At.UTC().Format("2 January 2006, 15:04 UTC")
	}
	if d, err := time.Parse("2006-01-02", base.Brief.Date); err == nil {
		return "the brief of " + dateText(d)
	}
	return "the brief of " + base.Brief.Date
}

// sinceTitle is the section's heading.
func (b *brief) sinceTitle() string {
	if b.changes.Since.Brief == nil {
		return "Changes since " + strings.TrimPrefix(sinceText(b.changes.Since), "the workspace as of ")
	}
	return "Changes since " + sinceText(b.changes.Since)
}

// follows says on the cover which brief this one follows.
func (b *brief) follows() string {
	base := b.changes.Since
	s := sinceText(base)
	if base.Brief != nil && single(base.Brief.By) != "" {
		s += ", by " + single(base.Brief.By)
	}
	return capitalise(s)
}

// changeSummary counts the changes by kind, for the section's first
// sentence: "1 moved to Agreed, 2 new cards".
func changeSummary(groups []changeGroup) string {
	var parts []string
	for _, g := range groups {
		n := len(g.items)
		switch g.heading {
		case "New cards":
			parts = append(parts, plural(n, "new card"))
		case "Positions":
			parts = append(parts, plural(n, "stance change"))
		case "Judgments":
			parts = append(parts, plural(n, "revised estimate"))
		case "Edited":
			parts = append(parts, plural(n, "edit"))
		case "Markings":
			parts = append(parts, plural(n, "marking change"))
		default:
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ToLower(g.heading[:1])+g.heading[1:]))
		}
	}
	return strings.Join(parts, ", ")
}

// changeIntro is the section's opening paragraph.
func (b *brief) changeIntro(groups []changeGroup) string {
	if len(groups) == 0 {
		return "No card of this brief changed since " + sinceText(b.changes.Since) + "."
	}
	return "What changed since " + sinceText(b.changes.Since) + ", as its readers saw it (" + changeSummary(groups) +
		"). Each changed card carries a bar in the margin."
}

// changeGroups words the changes, grouped by kind.
func (b *brief) changeGroups() []changeGroup {
	if b.changes == nil {
		return nil
	}
	order := []string{"Moved to Agreed", "New cards", "Moved", "Positions", "Judgments", "Edited", "Markings", "No longer in this brief"}
	byHeading := map[string]*changeGroup{}
	add := func(heading string, c workspace.CardChange, rest func(esc func(string) string) string) {
		g := byHeading[heading]
		if g == nil {
			g = &changeGroup{heading: heading}
			byHeading[heading] = g
		}
		g.items = append(g.items, changeItem{card: c.Card, title: c.Title, rest: rest, inBrief: b.included[c.Card] != nil})
	}
	for _, c := range b.changes.List {
		c := c
		switch c.Change {
		case workspace.ChangeMoved:
			heading := "Moved"
			if c.MovedToAgreed() {
				heading = "Moved to Agreed"
			}
			add(heading, c, func(esc func(string) string) string {
				if c.Field == "board" {
					return fmt.Sprintf(": %s (%s) → %s (%s).", esc(c.From), esc(c.FromLane), esc(c.To), esc(c.ToLane))
				}
				return fmt.Sprintf(": %s → %s.", esc(c.From), esc(c.To))
			})
		case workspace.ChangeAdded:
			add("New cards", c, func(esc func(string) string) string {
				return fmt.Sprintf(", in %s on %s.", esc(c.ToLane), esc(c.To))
			})
		case workspace.ChangePosition:
			party := c.Party
			if p := b.snap.Party(c.Party); p != nil {
				party = p.Name
			}
			add("Positions", c, func(esc func(string) string) string {
				return fmt.Sprintf(": %s, %s → %s.", esc(party), stanceText(c.From), stanceText(c.To))
			})
		case workspace.ChangeJudgment:
			from, to := judgmentText(c.Field, c.From), judgmentText(c.Field, c.To)
			add("Judgments", c, func(func(string) string) string { return fmt.Sprintf(": %s → %s.", from, to) })
		case workspace.ChangeEdited:
			add("Edited", c, func(esc func(string) string) string {
				switch c.Field {
				case "title":
					return ": retitled; it was “" + esc(c.From) + "”."
				case "annotations":
					return fmt.Sprintf(": open annotations %s → %s.", c.From, c.To)
				}
				return ": text revised."
			})
		case workspace.ChangeMarking:
			from, to := tlpText(c.From), tlpText(c.To)
			add("Markings", c, func(func(string) string) string { return fmt.Sprintf(": %s → %s.", from, to) })
		case workspace.ChangeRemoved:
			add("No longer in this brief", c, func(esc func(string) string) string {
				return fmt.Sprintf(", was in %s on %s.", esc(c.FromLane), esc(c.From))
			})
		}
	}
	// Sentences follow the brief's own order: background boards first,
	// then the pillars; cards no longer in it keep the baseline's order.
	rank := map[string]int{}
	for _, bp := range b.boards {
		for _, c := range bp.cards {
			rank[c.ID] = len(rank)
		}
	}
	var out []changeGroup
	for _, h := range order {
		if g := byHeading[h]; g != nil {
			sort.SliceStable(g.items, func(i, j int) bool {
				ri, oki := rank[g.items[i].card]
				rj, okj := rank[g.items[j].card]
				return oki && okj && ri < rj || oki && !okj
			})
			out = append(out, *g)
		}
	}
	return out
}

// stanceText writes a stance word as a reader does; none is "no position".
func stanceText(w string) string {
	if w == "" {
		return "no position"
	}
	if s := workspace.Stance(w); s == workspace.StanceConditional {
		return "accepts with conditions"
	}
	return strings.ToLower(workspace.Stance(w).Label())
}

// judgmentText writes a likelihood with its range, or a confidence.
func judgmentText(field, w string) string {
	if field == "confidence" {
		if s := workspace.Confidence(w).Standard(); s != "" {
			return s
		}
		return "no confidence given"
	}
	if s := workspace.Likelihood(w).Standard(); s != "" {
		return s
	}
	return "no likelihood given"
}

// tlpText writes a TLP word as its label.
func tlpText(w string) string {
	if t, err := workspace.ParseTLP(w); err == nil {
		return t.String()
	}
	return w
}

// boardsText says what the brief's cards are on: "3 pillars" or "3
// pillars and 1 background board".
func (b *brief) boardsText() string {
	s := plural(len(b.pillars), "pillar")
	if len(b.background) > 0 {
		s += " and " + plural(len(b.background), "background board")
	}
	return s
}

// changeBarColour marks changed cards in the margin.
var changeBarColour = rgb{0xC0, 0x56, 0x00}

// changesSection draws "Changes since": an opening sentence, then the
// sentences of each kind, each with the page of its card on the right.
func (p *pdfBrief) changesSection() {
	b := p.b
	p.heading(b.sinceTitle(), stH1, 4)
	groups := b.changeGroups()
	p.para(text(stBody, b.changeIntro(groups)), paraOpts{after: 4})
	numW := 12.0
	for _, g := range groups {
		p.heading(g.heading, stH2, 1.5)
		for _, it := range g.items {
			spans := []span{{stBold, "“" + it.title + "”"}, {stBody, it.rest(single)}}
			lines := layout(spans, p.width-numW-3)
			h := linesHeight(lines) + 1.2
			p.need(h)
			if it.inBrief {
				if _, ok := p.cardLinks[it.card]; !ok {
					p.cardLinks[it.card] = p.pdf.AddLink()
				}
				p.changeRefs = append(p.changeRefs, changeRef{card: it.card, page: p.pdf.PageNo(), y: p.y, height: h})
			}
			y := p.y
			for _, l := range lines {
				p.drawLine(l, p.left, y)
				y += lineHeight(l.size)
			}
			p.y += h
		}
		p.y += 3
	}
	p.progress()
}

// fillChangePages writes, beside each sentence of "Changes since", the
// page its card starts on, and links the sentence to the card.
func (p *pdfBrief) fillChangePages() {
	if len(p.changeRefs) == 0 {
		return
	}
	last := p.pdf.PageNo()
	for _, r := range p.changeRefs {
		page, ok := p.cardPages[r.card]
		if !ok {
			continue
		}
		p.pdf.SetPage(r.page)
		p.fontSet = false
		num := fmt.Sprint(page)
		p.setFont(stBody.font, stBody.size)
		p.setText(grey)
		p.pdf.Text(p.right-stringWidth(stBody.font, num, stBody.size), r.y+stBody.size*ptToMM, num)
		p.pdf.Link(p.left, r.y, p.width, r.height, p.cardLinks[r.card])
	}
	p.pdf.SetPage(last)
	p.fontSet = false
}

// changeBar draws a bar in the left margin beside a changed card, from
// where it starts to where it ends, page by page.
func (p *pdfBrief) changeBar(fromPage int, fromY float64, toPage int, toY float64) {
	last := p.pdf.PageNo()
	x := p.left - 5
	for pg := fromPage; pg <= toPage; pg++ {
		y0, y1 := p.top, p.bottom
		if pg == fromPage {
			y0 = fromY
		}
		if pg == toPage {
			y1 = toY
		}
		if y1 <= y0 {
			continue
		}
		p.pdf.SetPage(pg)
		p.setFill(changeBarColour)
		p.pdf.Rect(x, y0, 1.2, y1-y0, "F")
	}
	p.pdf.SetPage(last)
	p.fontSet = false
}
