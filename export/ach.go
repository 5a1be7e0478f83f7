package export

import (
	"fmt"
	"strings"

	"briefboard/workspace"
)

// The "Competing hypotheses" sections of a brief: one per ACH matrix,
// after the pillars. Both writers print what the plan holds: the rows the
// cap lets through and the scores worked out from them alone.

const (
	achIntro = "Each piece of evidence is rated against each hypothesis. The hypothesis with the least weighted " +
		"evidence against it ranks first: evidence consistent with several hypotheses cannot tell them apart, " +
		"so only inconsistency counts."
	achLegend   = "CC very consistent · C consistent · N neutral · I inconsistent · II very inconsistent · NA not applicable · — not rated."
	achGreyNote = "Grey rows are non-diagnostic: rated alike for every hypothesis."
	// achItalicNote is achGreyNote where there is no grey (Markdown).
	achItalicNote = "Rows in italics are non-diagnostic: rated alike for every hypothesis."
	achDagger     = "†"
	achDaggerKey  = "† Leaving this row out would change the top hypothesis."
)

// achCapNote says what a capped brief did to the evidence, without
// saying anything about what it left out.
func achCapNote(cap *workspace.TLP) string {
	if cap == nil {
		return ""
	}
	return fmt.Sprintf("Prepared for release at %s: evidence marked above it is left out, and the scores are worked out from the evidence shown.", cap)
}

// ratingColour is the colour of a rating in the matrix: a dark colour for
// the text and a tint for the cell.
func ratingColour(r workspace.ACHRating) (dark rgb, tint *rgb) {
	switch r {
	case workspace.RatingCC:
		return rgb{0x1B, 0x5E, 0x20}, &rgb{0xC8, 0xE6, 0xC9}
	case workspace.RatingC:
		return rgb{0x2E, 0x7D, 0x32}, &rgb{0xE6, 0xF4, 0xE7}
	case workspace.RatingI:
		return rgb{0xC0, 0x56, 0x00}, &rgb{0xFB, 0xE3, 0xCF}
	case workspace.RatingII:
		return rgb{0xB0, 0x00, 0x20}, &rgb{0xF8, 0xD4, 0xDA}
	case workspace.RatingNA:
		return rgb{0x90, 0x90, 0x90}, nil
	}
	return grey, nil
}

// indicatorColour is the colour of an indicator's status.
func indicatorColour(s workspace.IndicatorStatus) rgb {
	switch s {
	case workspace.IndicatorSeen:
		return rgb{0x2E, 0x7D, 0x32}
	case workspace.IndicatorContradicted:
		return alert
	}
	return grey
}

// hypothesesText counts hypotheses.
func hypothesesText(n int) string {
	if n == 1 {
		return "1 hypothesis"
	}
	return fmt.Sprintf("%d hypotheses", n)
}

// hypLabel is a hypothesis's short name in the matrix: H1, H2 …
func hypLabel(i int) string { return fmt.Sprintf("H%d", i+1) }

// isTop reports whether a hypothesis is among the least inconsistent.
func (mp *matrixPlan) isTop(id string) bool {
	for _, t := range mp.scores.Top {
		if t == id {
			return true
		}
	}
	return false
}

// competingHypotheses draws one matrix's section.
func (p *pdfBrief) competingHypotheses(mp *matrixPlan) {
	b := p.b
	m, sc := mp.matrix, mp.scores
	title := matrixTitle(m)
	p.heading(title, stH1, 2)
	p.para([]span{{stSmallB, "Analysis of Competing Hypotheses"}, {stSmall, fmt.Sprintf(" · %s · %s · %s",
		hypothesesText(len(m.Hypotheses)), plural(len(mp.rows), "piece")+" of evidence", b.mark(m))}}, paraOpts{after: 3})
	p.para(text(stBody, achIntro), paraOpts{after: 3})
	if note := achCapNote(p.opts.MaxTLP); note != "" {
		p.para(text(stSmall, note), paraOpts{after: 3})
	}

	// The ranking.
	p.para(text(stLabel, "HYPOTHESES, LEAST INCONSISTENT FIRST"), paraOpts{keep: 2, after: 1})
	header := []tableCell{{spans: text(stCellB, "Rank"), fill: &headFill}, {spans: text(stCellB, ""), fill: &headFill},
		{spans: text(stCellB, "Hypothesis"), fill: &headFill}, {spans: text(stCellB, "Weighted inconsistency"), fill: &headFill}}
	var rows [][]tableCell
	topFill := rgb{0xE6, 0xF4, 0xE7}
	for _, i := range sc.Ranking {
		h := sc.Hypotheses[i]
		st := stCell
		var fill *rgb
		if mp.isTop(h.ID) {
			st, fill = stCellB, &topFill
		}
		title := text(st, h.Title)
		if note := h.UnratedNote(len(sc.Rows)); note != "" {
			title = append(title, text(style{fontItalic, stCell.size, grey}, " ("+note+")")...)
		}
		rows = append(rows, []tableCell{{spans: text(st, fmt.Sprint(h.Rank)), fill: fill}, {spans: text(stCellB, hypLabel(i)), fill: fill},
			{spans: title, fill: fill}, {spans: text(st, workspace.ScoreText(h.Inconsistency)), fill: fill}})
	}
	p.table([]float64{11, 9, p.width - 11 - 9 - 38, 38}, header, rows)

	// The matrix: hypotheses across, evidence down.
	p.para(text(stLabel, "EVIDENCE AND RATINGS"), paraOpts{keep: 2, after: 1})
	if len(mp.rows) == 0 {
		p.para(text(stItalic, "No evidence is included in this brief."), paraOpts{after: 3})
	} else {
		p.para(text(stSmall, achLegend+" "+achGreyNote+" "+achDaggerKey), paraOpts{after: 1.5})
		n := len(m.Hypotheses)
		const weightW, credW = 15.0, 11.0
		hypW := min(12, max(7.5, (p.width-60-weightW-credW)/float64(n)))
		cols := []float64{p.width - weightW - credW - hypW*float64(n), weightW, credW}
		header := []tableCell{{spans: text(stCellB, "Evidence"), fill: &headFill}, {spans: text(stCellB, "Weight"), fill: &headFill},
			{spans: text(stCellB, "Cred."), fill: &headFill}}
		for i, h := range m.Hypotheses {
			cols = append(cols, hypW)
			st := stCellB
			if mp.isTop(h.ID) {
				st = style{fontBold, 7.5, navy}
			}
			header = append(header, tableCell{spans: text(st, hypLabel(i)), fill: &headFill})
		}
		var rows [][]tableCell
		greyFill := rgb{0xF1, 0xF2, 0xF4}
		greyText := style{fontRegular, 7.5, rgb{0x8a, 0x8e, 0x94}}
		for i, r := range mp.rows {
			rs := sc.Rows[i]
			title := b.cardTitle(r.Card)
			if rs.ChangesTop {
				title += " " + achDagger
			}
			st, fill := stCell, (*rgb)(nil)
			if !rs.Diagnostic {
				st, fill = greyText, &greyFill
			}
			row := []tableCell{{spans: text(st, title), fill: fill},
				{spans: text(st, capitalise(string(r.Weight.Or()))), fill: fill},
				{spans: text(st, workspace.ScoreText(rs.Factor)), fill: fill}}
			for _, h := range m.Hypotheses {
				v, ok := r.Cells[h.ID]
				switch {
				case !ok:
					row = append(row, tableCell{spans: text(style{fontRegular, 7.5, lightGrey}, "—"), fill: fill})
				case !rs.Diagnostic:
					row = append(row, tableCell{spans: text(style{fontBold, 7.5, greyText.color}, string(v)), fill: fill})
				default:
					dark, tint := ratingColour(v)
					row = append(row, tableCell{spans: text(style{fontBold, 7.5, dark}, string(v)), fill: tint})
				}
			}
			rows = append(rows, row)
		}
		score := []tableCell{{spans: text(stCellB, "Weighted inconsistency"), fill: &headFill}, {fill: &headFill}, {fill: &headFill}}
		rank := []tableCell{{spans: text(stCellB, "Rank"), fill: &headFill}, {fill: &headFill}, {fill: &headFill}}
		for _, h := range sc.Hypotheses {
			score = append(score, tableCell{spans: text(stCellB, workspace.ScoreText(h.Inconsistency)), fill: &headFill})
			rank = append(rank, tableCell{spans: text(stCellB, fmt.Sprint(h.Rank)), fill: &headFill})
		}
		rows = append(rows, score, rank)
		p.table(cols, header, rows)
	}
	p.para(text(stLabel, "HOW THE SCORES ARE WORKED OUT"), paraOpts{keep: 2, after: 0.5})
	p.para(text(stSmall, workspace.ACHFormula), paraOpts{after: 4})

	if cs := paragraphs(m.Conclusion); len(cs) > 0 {
		p.para(text(stLabel, "CONCLUSION"), paraOpts{keep: 2, after: 0.5})
		for _, c := range cs {
			p.para(text(stBody, c), paraOpts{after: 1.5})
		}
		p.y += 2
	}

	var watched bool
	for i, h := range m.Hypotheses {
		list := m.Indicators[h.ID]
		if len(list) == 0 {
			continue
		}
		if !watched {
			p.para(text(stLabel, "INDICATORS TO WATCH"), paraOpts{keep: 2, after: 0.5})
			watched = true
		}
		p.para([]span{{stSmallB, hypLabel(i) + "  "}, {stSmallB, h.Title}}, paraOpts{keep: 2, after: 0.5})
		for _, in := range list {
			sp := []span{{style{fontBold, 8, indicatorColour(in.Status)}, in.Status.Label()}, {stSmall, " · " + in.Text}}
			if t := b.cardTitle(in.Card); t != "" {
				sp = append(sp, span{style{fontItalic, 8, grey}, " (card: " + t + ")"})
			}
			p.para(sp, paraOpts{indent: 8, after: 0.6})
		}
		p.y += 1
	}
	if watched {
		p.y += 1.5
	}
	p.progress()
}

// competingHypotheses writes one matrix's section in Markdown. Markdown
// has no grey: non-diagnostic rows are set in italics and say so.
func (m *mdBrief) competingHypotheses(mp *matrixPlan) {
	b := m.b
	x, sc := mp.matrix, mp.scores
	m.p("## %s\n\n", mdEscape(matrixTitle(x)))
	m.p("*Analysis of Competing Hypotheses · %s · %s of evidence · %s*\n\n",
		hypothesesText(len(x.Hypotheses)), plural(len(mp.rows), "piece"), b.mark(x))
	m.p("%s\n\n", achIntro)
	if note := achCapNote(m.opts.MaxTLP); note != "" {
		m.p("%s\n\n", note)
	}
	m.p("### Hypotheses, least inconsistent first\n\n| Rank | | Hypothesis | Weighted inconsistency |\n|---|---|---|---|\n")
	for _, i := range sc.Ranking {
		h := sc.Hypotheses[i]
		title, score := mdEscape(h.Title), workspace.ScoreText(h.Inconsistency)
		if mp.isTop(h.ID) {
			title, score = "**"+title+"**", "**"+score+"**"
		}
		if note := h.UnratedNote(len(sc.Rows)); note != "" {
			title += " *(" + note + ")*"
		}
		m.p("| %d | %s | %s | %s |\n", h.Rank, hypLabel(i), title, score)
	}
	m.p("\n### Evidence and ratings\n\n")
	if len(mp.rows) == 0 {
		m.p("No evidence is included in this brief.\n\n")
	} else {
		m.p("| Evidence | Weight | Cred. |")
		for i := range x.Hypotheses {
			m.p(" %s |", hypLabel(i))
		}
		m.p("\n|---|---|---|%s\n", strings.Repeat("---|", len(x.Hypotheses)))
		for i, r := range mp.rows {
			rs := sc.Rows[i]
			title := mdEscape(b.cardTitle(r.Card))
			if rs.ChangesTop {
				title += " " + achDagger
			}
			cell := func(s string) string { return s }
			if !rs.Diagnostic {
				title += " (non-diagnostic)"
				cell = func(s string) string { return "*" + s + "*" }
			}
			m.p("| %s | %s | %s |", cell(title), cell(capitalise(string(r.Weight.Or()))), cell(workspace.ScoreText(rs.Factor)))
			for _, h := range x.Hypotheses {
				if v, ok := r.Cells[h.ID]; ok {
					m.p(" %s |", cell(string(v)))
				} else {
					m.p(" — |")
				}
			}
			m.p("\n")
		}
		m.p("| **Weighted inconsistency** | | |")
		for _, h := range sc.Hypotheses {
			m.p(" %s |", workspace.ScoreText(h.Inconsistency))
		}
		m.p("\n| **Rank** | | |")
		for _, h := range sc.Hypotheses {
			m.p(" %d |", h.Rank)
		}
		m.p("\n\n%s %s %s\n\n", achLegend, achItalicNote, achDaggerKey)
	}
	m.p("*How the scores are worked out:* %s\n\n", workspace.ACHFormula)
	if cs := paragraphs(x.Conclusion); len(cs) > 0 {
		m.p("### Conclusion\n\n")
		for _, c := range cs {
			m.p("%s\n\n", mdEscape(c))
		}
	}
	var watched bool
	for i, h := range x.Hypotheses {
		list := x.Indicators[h.ID]
		if len(list) == 0 {
			continue
		}
		if !watched {
			m.p("### Indicators to watch\n\n")
			watched = true
		}
		m.p("- %s %s\n", hypLabel(i), mdEscape(h.Title))
		for _, in := range list {
			m.p("  - **%s**: %s", in.Status.Label(), mdEscape(in.Text))
			if t := b.cardTitle(in.Card); t != "" {
				m.p(" (card: %s)", mdEscape(t))
			}
			m.p("\n")
		}
	}
	if watched {
		m.p("\n")
	}
	m.progress()
}
