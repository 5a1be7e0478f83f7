package export

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"briefboard/workspace"
)

// Options choose what a brief includes and how it looks.
type Options struct {
	// MaxTLP caps the marking of what is included: every card, source
	// and annotation marked above it is left out. Nil includes everything.
	MaxTLP *workspace.TLP
	// Boards are the ids (or titles) of the boards to include; empty
	// includes all.
	Boards []string
	// Lanes are the names of the lanes to include, case-insensitive;
	// empty includes all.
	Lanes []string
	// NoAnnotations leaves the annotation threads out.
	NoAnnotations bool
	// Paper is "a4" (the default) or "letter".
	Paper string
	// Date is the brief's "as of" date and both PDF dates; zero is now.
	Date time.Time
	// Author goes on the cover and in the metadata; empty takes the
	// analyst's name from the workspace profile.
	Author string
	// Progress, when set, hears how far the brief has got.
	Progress func(done, total int)
	// Since is what the section "Changes since" compares with: a recorded
	// brief (workspace.BriefBaseline) or the workspace at a time
	// (Store.BaselineAt). Nil leaves the section out.
	Since *workspace.Baseline
}

// brief is what a brief says, chosen and ordered once for both the PDF and
// the Markdown writers.
type brief struct {
	snap        *workspace.Snapshot
	title       string
	subtitle    string
	author      string
	date        time.Time
	label       workspace.TLP
	annotations bool
	parties     []workspace.Party
	// boards are the included boards in the order the brief prints them,
	// background first; pillars and background divide them by role.
	boards     []*boardPlan
	pillars    []*boardPlan
	background []*boardPlan
	// changes are what changed since opts.Since; nil without it.
	changes *workspace.Changes
	// judgments are the key-judgment cards, in the order of the boards.
	judgments []*workspace.Card
	// sources are the cited sources, numbered from 1 in order of first
	// citation; num maps a source id to its number.
	sources []*workspace.Source
	num     map[string]int
	// citedBy counts the included cards that cite each source.
	citedBy map[string]int
	// included maps the id of every included card to its card.
	included map[string]*workspace.Card
	// matrices are the ACH matrices, scored over what the brief may carry.
	matrices []*matrixPlan
	cards    int
	open     int
}

// matrixPlan is one ACH matrix of a brief: its evidence rows that the cap
// lets through and the scores worked out from them alone.
type matrixPlan struct {
	matrix *workspace.ACHMatrix
	rows   []*workspace.ACHRow
	scores *workspace.ACHScores
}

// cardTitle is the title of a card the capped snapshot holds, or "".
func (b *brief) cardTitle(id string) string {
	if c := b.snap.Cards[id]; c != nil {
		return c.Title
	}
	return ""
}

// matrixTitle is a matrix's heading and contents entry.
func matrixTitle(m *workspace.ACHMatrix) string {
	return "Competing hypotheses: " + single(m.Question)
}

// boardPlan is one pillar of a brief.
type boardPlan struct {
	board *workspace.Board
	cards []*workspace.Card
}

// mark is the effective marking a record is printed with.
func (b *brief) mark(r workspace.Record) workspace.TLP { return b.snap.Marking(r) }

// sourcing says what is thin about a judgment's sources: "" when nothing.
func (b *brief) sourcing(c *workspace.Card) string {
	n := len(c.Citations)
	if n == 0 {
		return "cites no source"
	}
	strong := false
	seen := map[string]bool{}
	for _, ci := range c.Citations {
		seen[ci.Source] = true
		if s := b.snap.SourceByID[ci.Source]; s != nil && !s.Grade.Weak() {
			strong = true
		}
	}
	switch {
	case len(seen) == 1 && !strong:
		return "rests on a single source, graded D-F or ungraded"
	case len(seen) == 1:
		return "rests on a single source"
	case !strong:
		return "rests only on sources graded D-F or ungraded"
	}
	return ""
}

// annotations returns the annotations the brief shows for a card.
func (b *brief) annotationsOf(c *workspace.Card) []*workspace.Annotation {
	if !b.annotations {
		return nil
	}
	return b.snap.Annotations[c.ID]
}

// plan chooses what a brief includes.
func plan(snap *workspace.Snapshot, opts Options) (*brief, error) {
	if snap == nil {
		return nil, fmt.Errorf("no workspace to export")
	}
	uncapped := snap
	snap, err := snap.Capped(opts.MaxTLP)
	if err != nil {
		return nil, err
	}
	b := &brief{
		snap:        snap,
		title:       single(snap.Meta.Title),
		subtitle:    single(snap.Meta.Subtitle),
		author:      single(opts.Author),
		date:        opts.Date,
		annotations: !opts.NoAnnotations,
		parties:     snap.Meta.Parties,
		num:         map[string]int{},
		citedBy:     map[string]int{},
		included:    map[string]*workspace.Card{},
	}
	if b.title == "" {
		b.title = "Brief"
	}
	if b.author == "" {
		b.author = single(snap.Profile.Name)
	}
	if b.date.IsZero() {
		b.date = time.Now()
	}
	scope, err := snap.BriefScope(opts.Boards, opts.Lanes)
	if err != nil {
		return nil, err
	}
	// The brief prints the background boards first, after the bottom
	// line, then the pillars: sources are numbered in that order.
	var printed []*workspace.Board
	for _, bd := range scope.Boards {
		if bd.IsBackground() {
			printed = append(printed, bd)
		}
	}
	for _, bd := range scope.Boards {
		if !bd.IsBackground() {
			printed = append(printed, bd)
		}
	}
	label := snap.Marking(&snap.Meta)
	for _, bd := range printed {
		bp := &boardPlan{board: bd}
		label = max(label, snap.Marking(bd))
		for _, l := range snap.Lanes[bd.ID] {
			if !scope.IncludesLane(l) {
				continue
			}
			label = max(label, snap.Marking(l))
			for _, c := range snap.LaneCards[l.ID] {
				bp.cards = append(bp.cards, c)
				b.included[c.ID] = c
				label = max(label, snap.Marking(c))
				b.cards++
				if c.IsKeyJudgment() {
					b.judgments = append(b.judgments, c)
				}
				for _, ci := range c.Citations {
					s := snap.SourceByID[ci.Source]
					if s == nil {
						continue
					}
					if b.num[s.ID] == 0 {
						b.sources = append(b.sources, s)
						b.num[s.ID] = len(b.sources)
						label = max(label, snap.Marking(s))
					}
				}
				seen := map[string]bool{}
				for _, ci := range c.Citations {
					if snap.SourceByID[ci.Source] != nil && !seen[ci.Source] {
						seen[ci.Source] = true
						b.citedBy[ci.Source]++
					}
				}
				for _, a := range b.annotationsOf(c) {
					label = max(label, snap.Marking(a))
					if !a.Resolved {
						b.open++
					}
				}
			}
		}
		b.boards = append(b.boards, bp)
		if bd.IsBackground() {
			b.background = append(b.background, bp)
		} else {
			b.pillars = append(b.pillars, bp)
		}
	}
	if opts.Since != nil {
		// Worked out on the whole snapshot: the comparison applies the
		// cap itself, and leaves out what the baseline had above it.
		b.changes, err = uncapped.ChangesSince(opts.Since, b.spec(opts))
		if err != nil {
			return nil, err
		}
		label = max(label, b.changes.TLP)
	}
	// Every matrix goes in after the pillars, whichever boards and lanes
	// are chosen: its evidence may come from any board. The snapshot is
	// capped, so rows above the cap are not there and the scores use the
	// rest.
	for _, m := range snap.Matrices {
		mp := &matrixPlan{matrix: m, rows: snap.Evidence[m.ID], scores: snap.ScoreACH(m)}
		label = max(label, snap.Marking(m))
		for _, r := range mp.rows {
			label = max(label, snap.Marking(r))
		}
		b.matrices = append(b.matrices, mp)
	}
	b.label = label
	return b, nil
}

// spec is the brief as its record describes it.
func (b *brief) spec(opts Options) workspace.BriefSpec {
	return workspace.BriefSpec{Date: b.date, Cap: opts.MaxTLP, Boards: opts.Boards, Lanes: opts.Lanes,
		NoAnnotations: opts.NoAnnotations, By: b.author, Label: b.label}
}

// BriefRecord returns the record of the brief that Brief writes with the
// same snapshot and options (the same Date): what it printed, card by
// card, for Store.RecordBrief to keep unless the brief is a draft.
func BriefRecord(snap *workspace.Snapshot, opts Options) (*workspace.RecordedBrief, error) {
	b, err := plan(snap, opts)
	if err != nil {
		return nil, err
	}
	return snap.NewBrief(b.spec(opts))
}

// linkLabel is how a link type reads in a brief.
func linkLabel(t string) string {
	switch t {
	case workspace.LinkDependsOn:
		return "Depends on"
	case workspace.LinkConflictsWith:
		return "Conflicts with"
	case workspace.LinkSupports:
		return "Supports"
	case workspace.LinkRelated:
		return "Related to"
	}
	t = single(t)
	if t == "" {
		return "Linked to"
	}
	return capitalise(t)
}

// kindLabel is a card kind as a reader writes it.
func kindLabel(k workspace.Kind) string {
	switch k {
	case workspace.KindJudgment:
		return "Key judgment"
	case "":
		return "Note"
	}
	return capitalise(single(string(k)))
}

// annotationLabel is an annotation's kind as a reader writes it: a
// judgment annotation is a "Judgment", not a "Key judgment" (a card kind).
func annotationLabel(k workspace.AnnotationKind) string {
	if k == "" {
		return "Comment"
	}
	return capitalise(single(string(k)))
}

// estimateText states a judgment's estimate the standard way: the ICD 203
// term with its range, and the confidence beside it, as in "Unlikely
// (20–45%) · Moderate confidence". It is "" when neither is given.
func estimateText(c *workspace.Card) string {
	var parts []string
	if s := c.Likelihood.Standard(); s != "" {
		parts = append(parts, s)
	}
	if s := c.Confidence.Standard(); s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, " · ")
}

// gradeText writes a source's Admiralty grade with its meaning.
func gradeText(g workspace.Grade) string {
	if g.IsZero() {
		return "ungraded"
	}
	r, c := workspace.ReliabilityMeanings[g.Reliability], workspace.CredibilityMeanings[g.Credibility]
	if r == "" || c == "" {
		return single(g.String())
	}
	return fmt.Sprintf("%s (%s; %s)", g, strings.ToLower(r[:1])+r[1:], strings.ToLower(c))
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// partyName returns a party's short name, or its name.
func partyShort(p workspace.Party) string {
	if s := single(p.Short); s != "" {
		return s
	}
	return single(p.Name)
}

// stanceWord is the word a matrix cell shows, or its three-letter code
// where columns are narrow.
func stanceWord(s workspace.Stance, short bool) string {
	if short {
		switch s {
		case workspace.StanceSupports:
			return "SUP"
		case workspace.StanceConditional:
			return "CON"
		case workspace.StanceUndecided:
			return "UND"
		case workspace.StanceOpposes:
			return "OPP"
		case workspace.StanceRedLine:
			return "RED"
		}
		return "UNK"
	}
	if s == workspace.StanceConditional {
		return "Conditional"
	}
	return s.Label()
}

// dateText writes a date as a brief does: 28 December 2025.
func dateText(t time.Time) string { return t.Format("2 January 2006") }

// hasPositions reports whether any party with a position on the card is
// one of the workspace's parties.
func (b *brief) hasPositions(c *workspace.Card) bool {
	for _, p := range b.parties {
		if _, ok := c.Positions[p.ID]; ok {
			return true
		}
	}
	return false
}
