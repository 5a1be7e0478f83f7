package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"briefboard/workspace"
)

func (e *env) listCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list --workspace DIR [--json]",
		Short: "List the workspace's boards and cards",
		Args:  exactArgs(0, "list --workspace DIR [--json]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withStore(func(s *workspace.Store) error {
				if !asJSON {
					// Titles and markings only: no thread or body is read.
					snap, err := s.Headers()
					if err != nil {
						return err
					}
					return printListing(e.stdout, snap)
				}
				snap, err := s.Snapshot()
				if err != nil {
					return err
				}
				return writeListing(e.stdout, snap)
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// The stable shape of `list --json`. Names here are a contract that outside
// checks read: add fields, never rename them.
type listing struct {
	Workspace listWorkspace `json:"workspace"`
	Boards    []listBoard   `json:"boards"`
	Sources   []listSource  `json:"sources"`
	// Stray cards belong to a board that a colleague deleted.
	Stray []listCard `json:"stray"`
}

type listWorkspace struct {
	ID         string            `json:"id"`
	Title      string            `json:"title"`
	Subtitle   string            `json:"subtitle"`
	Parties    []workspace.Party `json:"parties"`
	DefaultTLP string            `json:"defaultTlp"`
	MaxTLP     string            `json:"maxTlp"`
	// TLP is the header's effective marking: an output capped below it
	// is refused.
	TLP       string            `json:"tlp"`
	Analyst   workspace.Profile `json:"analyst"`
	Replica   string            `json:"replica"`
	Conflicts int               `json:"conflicts"`
}

type listBoard struct {
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Purpose string     `json:"purpose"`
	Role    string     `json:"role"`
	Lanes   []string   `json:"lanes"`
	LaneIDs []string   `json:"laneIds"`
	TLP     string     `json:"tlp"`
	Cards   []listCard `json:"cards"`
}

type listCard struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Board  string `json:"board"`
	Lane   string `json:"lane"`
	LaneID string `json:"laneId"`
	Order  string `json:"order"`
	Kind   string `json:"kind"`
	// TLP is the card's effective marking (DESIGN.md 4a), what every
	// output uses; OwnTLP its own marking field, and TLPReason why the
	// two differ.
	TLP         string                        `json:"tlp"`
	OwnTLP      string                        `json:"ownTlp"`
	TLPReason   string                        `json:"tlpReason,omitempty"`
	Tags        []string                      `json:"tags"`
	Body        string                        `json:"body"`
	Citations   []listCitation                `json:"citations"`
	Positions   map[string]workspace.Position `json:"positions"`
	Likelihood  string                        `json:"likelihood"`
	Confidence  string                        `json:"confidence"`
	Links       []workspace.Link              `json:"links"`
	Annotations []listAnnotation              `json:"annotations"`
	CreatedBy   string                        `json:"createdBy"`
	CreatedAt   time.Time                     `json:"createdAt"`
	UpdatedBy   string                        `json:"updatedBy"`
	UpdatedAt   time.Time                     `json:"updatedAt"`
	Conflicts   []listConflict                `json:"conflicts"`
}

// listConflict is a field with competing values, or a marking conflict: a
// write held at a stricter marking than any marking action released
// (field "tlp", with the reason and the write's replica and time).
type listConflict struct {
	workspace.Conflict
	Reason  string     `json:"reason,omitempty"`
	Replica string     `json:"replica,omitempty"`
	Clock   uint64     `json:"clock,omitempty"`
	Author  string     `json:"author,omitempty"`
	At      *time.Time `json:"at,omitempty"`
	TLP     string     `json:"tlp,omitempty"`
	Fields  []string   `json:"fields,omitempty"`
}

// conflictsOf lists a record's conflicts: its competing values and its
// marking conflicts.
func conflictsOf(snap *workspace.Snapshot, r workspace.Record) []listConflict {
	return conflictsExplained(r, snap.ExplainMarking(r))
}

// conflictsExplained is conflictsOf with the record's marking worked out.
func conflictsExplained(r workspace.Record, m workspace.Marking) []listConflict {
	out := []listConflict{}
	for _, c := range r.RecordBase().Conflicts {
		lc := listConflict{Conflict: c}
		if c.Field == "tlp" {
			lc.Reason = "competing markings from different copies: the strictest counts until one is chosen"
		}
		out = append(out, lc)
	}
	for _, h := range m.Conflicts() {
		at := h.At
		out = append(out, listConflict{
			Conflict: workspace.Conflict{Field: "tlp", Values: []workspace.ConflictValue{}},
			Reason: fmt.Sprintf("a write made under %s that no marking action has released; setting the marking again releases it",
				h.TLP),
			Replica: h.Replica, Clock: h.Clock, Author: h.Author, At: &at, TLP: h.TLP.Word(), Fields: h.Fields,
		})
	}
	return out
}

type listCitation struct {
	Source string `json:"source"`
	Title  string `json:"title"`
	Grade  string `json:"grade"`
	Quote  string `json:"quote"`
}

type listAnnotation struct {
	ID       string    `json:"id"`
	Author   string    `json:"author"`
	Kind     string    `json:"kind"`
	Text     string    `json:"text"`
	Resolved bool      `json:"resolved"`
	TLP      string    `json:"tlp"`
	At       time.Time `json:"at"`
}

type listSource struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Origin    string         `json:"origin"`
	InfoDate  string         `json:"infoDate"`
	Grade     string         `json:"grade"`
	TLP       string         `json:"tlp"`
	Conflicts []listConflict `json:"conflicts"`
}

// writeListing writes the listing one card at a time, so a workspace of
// ten thousand cards is never held as one big JSON value in memory. The
// cards are written by hand (writeCard), in the bytes json.MarshalIndent
// gives them.
func writeListing(out io.Writer, snap *workspace.Snapshot) error {
	w := bufio.NewWriterSize(out, 64<<10)
	l := newListing(snap, false)
	put := func(indent string, v any) {
		b, err := json.MarshalIndent(v, indent, "  ")
		if err != nil {
			panic(err) // the listing types always marshal
		}
		w.Write(b)
	}
	w.WriteString("{\n  \"workspace\": ")
	put("  ", l.Workspace)
	w.WriteString(",\n  \"boards\": [")
	var buf []byte
	for i, b := range snap.Boards {
		if i > 0 {
			w.WriteString(",")
		}
		lb := l.Boards[i]
		w.WriteString("\n    {\n      \"id\": ")
		put("", lb.ID)
		w.WriteString(",\n      \"title\": ")
		put("", lb.Title)
		w.WriteString(",\n      \"purpose\": ")
		put("", lb.Purpose)
		w.WriteString(",\n      \"role\": ")
		put("", lb.Role)
		w.WriteString(",\n      \"lanes\": ")
		put("      ", lb.Lanes)
		w.WriteString(",\n      \"laneIds\": ")
		put("      ", lb.LaneIDs)
		w.WriteString(",\n      \"tlp\": ")
		put("", lb.TLP)
		w.WriteString(",\n      \"cards\": [")
		for j, c := range snap.BoardCards(b.ID) {
			if j > 0 {
				w.WriteString(",")
			}
			w.WriteString("\n        ")
			m := snap.ExplainMarking(c)
			if len(c.Conflicts) > 0 || len(m.Conflicts()) > 0 {
				// Competing values are raw JSON, indented as they nest:
				// json.MarshalIndent writes them.
				put("        ", newListCard(snap, c))
				continue
			}
			buf = writeCard(buf[:0], snap, c, m, "        ")
			w.Write(buf)
		}
		w.WriteString("\n      ]\n    }")
	}
	w.WriteString("\n  ],\n  \"sources\": ")
	put("  ", l.Sources)
	w.WriteString(",\n  \"stray\": ")
	put("  ", l.Stray)
	w.WriteString("\n}\n")
	return w.Flush()
}

// indenter appends JSON as json.MarshalIndent(v, prefix, "  ") writes it.
type indenter struct {
	b      []byte
	prefix string
	depth  int
	// empty is true right after an object or array opens.
	empty bool
}

func (w *indenter) newline() {
	w.b = append(w.b, '\n')
	w.b = append(w.b, w.prefix...)
	for i := 0; i < w.depth; i++ {
		w.b = append(w.b, "  "...)
	}
}

func (w *indenter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.empty = true
}

func (w *indenter) close(c byte) {
	w.depth--
	if !w.empty {
		w.newline()
	}
	w.b = append(w.b, c)
	w.empty = false
}

// elem starts an array element or an object member.
func (w *indenter) elem() {
	if !w.empty {
		w.b = append(w.b, ',')
	}
	w.empty = false
	w.newline()
}

func (w *indenter) key(k string) {
	w.elem()
	w.b = workspace.AppendJSONString(w.b, k)
	w.b = append(w.b, ':', ' ')
}

func (w *indenter) str(k, v string) {
	w.key(k)
	w.b = workspace.AppendJSONString(w.b, v)
}

func (w *indenter) time(k string, t time.Time) {
	w.key(k)
	j, err := t.MarshalJSON()
	if err != nil {
		panic(err) // a stored time always marshals
	}
	w.b = append(w.b, j...)
}

func (w *indenter) strings(k string, list []string) {
	w.key(k)
	w.open('[')
	for _, s := range list {
		w.elem()
		w.b = workspace.AppendJSONString(w.b, s)
	}
	w.close(']')
}

// writeCard appends a card of the listing, as newListCard makes it and
// json.MarshalIndent writes it, for a card without conflicts; m is its
// marking.
func writeCard(b []byte, snap *workspace.Snapshot, c *workspace.Card, m workspace.Marking, prefix string) []byte {
	w := indenter{b: b, prefix: prefix}
	w.open('{')
	w.str("id", c.ID)
	w.str("title", c.Title)
	w.str("board", c.Board)
	w.str("lane", snap.LaneName(c))
	w.str("laneId", c.Lane)
	w.str("order", c.Order)
	w.str("kind", string(c.Kind))
	w.str("tlp", m.TLP.Word())
	w.str("ownTlp", c.TLP.Word())
	if r := m.Reason(); r != "" {
		w.str("tlpReason", r)
	}
	w.strings("tags", c.Tags)
	w.str("body", c.Body)
	w.key("citations")
	w.open('[')
	for _, ci := range c.Citations {
		w.elem()
		w.open('{')
		w.str("source", ci.Source)
		title, grade := "", ""
		if src := snap.SourceByID[ci.Source]; src != nil {
			title, grade = src.Title, src.Grade.String()
		}
		w.str("title", title)
		w.str("grade", grade)
		w.str("quote", ci.Quote)
		w.close('}')
	}
	w.close(']')
	w.key("positions")
	w.open('{')
	parties := make([]string, 0, len(c.Positions))
	for p := range c.Positions {
		parties = append(parties, p)
	}
	sort.Strings(parties)
	for _, p := range parties {
		pos := c.Positions[p]
		w.key(p)
		w.open('{')
		w.str("stance", string(pos.Stance))
		if pos.Note != "" {
			w.str("note", pos.Note)
		}
		w.close('}')
	}
	w.close('}')
	w.str("likelihood", string(c.Likelihood))
	w.str("confidence", string(c.Confidence))
	w.key("links")
	w.open('[')
	for _, l := range c.Links {
		w.elem()
		w.open('{')
		w.str("to", l.To)
		w.str("type", l.Type)
		w.close('}')
	}
	w.close(']')
	w.key("annotations")
	w.open('[')
	for _, a := range snap.Annotations[c.ID] {
		w.elem()
		w.open('{')
		w.str("id", a.ID)
		w.str("author", a.Author)
		w.str("kind", string(a.Kind))
		w.str("text", a.Text)
		w.key("resolved")
		w.b = strconv.AppendBool(w.b, a.Resolved)
		w.str("tlp", snap.Marking(a).Word())
		w.time("at", a.At)
		w.close('}')
	}
	w.close(']')
	w.str("createdBy", c.CreatedBy)
	w.time("createdAt", c.CreatedAt)
	w.str("updatedBy", c.UpdatedBy)
	w.time("updatedAt", c.UpdatedAt)
	w.key("conflicts")
	w.open('[')
	w.close(']')
	w.close('}')
	return w.b
}

func newListing(snap *workspace.Snapshot, withCards bool) listing {
	l := listing{
		Workspace: listWorkspace{
			ID: snap.Meta.ID, Title: snap.Meta.Title, Subtitle: snap.Meta.Subtitle,
			Parties: nonNil(snap.Meta.Parties), DefaultTLP: snap.Meta.DefaultTLP.Word(),
			MaxTLP: snap.MaxTLP().Word(), TLP: snap.Marking(&snap.Meta).Word(), Analyst: snap.Profile,
			Replica: snap.Replica, Conflicts: snap.Conflicts,
		},
		Boards:  []listBoard{},
		Sources: []listSource{},
		Stray:   []listCard{},
	}
	for _, b := range snap.Boards {
		lb := listBoard{ID: b.ID, Title: b.Title, Purpose: b.Purpose, Role: b.Role.Word(), Lanes: []string{}, LaneIDs: []string{},
			TLP: snap.Marking(b).Word(), Cards: []listCard{}}
		for _, ln := range snap.Lanes[b.ID] {
			lb.Lanes = append(lb.Lanes, ln.Name)
			lb.LaneIDs = append(lb.LaneIDs, ln.ID)
		}
		if withCards {
			for _, c := range snap.BoardCards(b.ID) {
				lb.Cards = append(lb.Cards, newListCard(snap, c))
			}
		}
		l.Boards = append(l.Boards, lb)
	}
	for _, c := range snap.Stray {
		l.Stray = append(l.Stray, newListCard(snap, c))
	}
	for _, s := range snap.Sources {
		l.Sources = append(l.Sources, listSource{ID: s.ID, Title: s.Title, Origin: s.Origin, InfoDate: s.InfoDate,
			Grade: s.Grade.String(), TLP: snap.Marking(s).Word(), Conflicts: conflictsOf(snap, s)})
	}
	return l
}

func newListCard(snap *workspace.Snapshot, c *workspace.Card) listCard {
	m := snap.ExplainMarking(c)
	lc := listCard{
		ID: c.ID, Title: c.Title, Board: c.Board, Lane: snap.LaneName(c), LaneID: c.Lane, Order: c.Order,
		Kind: string(c.Kind), TLP: m.TLP.Word(), OwnTLP: c.TLP.Word(), TLPReason: m.Reason(),
		Tags: nonNil(c.Tags), Body: c.Body,
		Citations: []listCitation{}, Positions: c.Positions, Likelihood: string(c.Likelihood),
		Confidence: string(c.Confidence), Links: nonNil(c.Links), Annotations: []listAnnotation{},
		CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt, UpdatedBy: c.UpdatedBy, UpdatedAt: c.UpdatedAt,
		Conflicts: conflictsExplained(c, m),
	}
	if lc.Positions == nil {
		lc.Positions = map[string]workspace.Position{}
	}
	for _, ci := range c.Citations {
		x := listCitation{Source: ci.Source, Quote: ci.Quote}
		if src := snap.SourceByID[ci.Source]; src != nil {
			x.Title, x.Grade = src.Title, src.Grade.String()
		}
		lc.Citations = append(lc.Citations, x)
	}
	for _, a := range snap.Annotations[c.ID] {
		lc.Annotations = append(lc.Annotations, listAnnotation{ID: a.ID, Author: a.Author, Kind: string(a.Kind),
			Text: a.Text, Resolved: a.Resolved, TLP: snap.Marking(a).Word(), At: a.At})
	}
	return lc
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// printListing prints the workspace for people. Titles and names go
// through workspace.Printable: a colleague's text cannot steer the
// terminal or hide the marking printed beside it.
func printListing(out io.Writer, snap *workspace.Snapshot) error {
	w := bufio.NewWriterSize(out, 64<<10)
	p := workspace.Printable
	fmt.Fprintf(w, "%s\n", p(snap.Meta.Title))
	for _, b := range snap.Boards {
		fmt.Fprintf(w, "\n%s  [board %s]\n", p(b.Title), p(b.ID))
		for _, ln := range snap.Lanes[b.ID] {
			cards := snap.LaneCards[ln.ID]
			fmt.Fprintf(w, "  %s (%d)\n", p(ln.Name), len(cards))
			for _, c := range cards {
				mark := ""
				if cs := conflictsOf(snap, c); len(cs) > 0 {
					mark = "  (conflict: " + p(conflictFields(cs)) + ")"
				}
				fmt.Fprintf(w, "    %s  %-18s %s%s\n", p(c.ID), snap.Marking(c).String(), p(c.Title), mark)
			}
		}
	}
	if len(snap.Stray) > 0 {
		fmt.Fprintf(w, "\nCards whose board was deleted\n")
		for _, c := range snap.Stray {
			fmt.Fprintf(w, "    %s  %-18s %s\n", p(c.ID), snap.Marking(c).String(), p(c.Title))
		}
	}
	return w.Flush()
}

func conflictFields(cs []listConflict) string {
	var names []string
	for _, c := range cs {
		if !contains(names, c.Field) {
			names = append(names, c.Field)
		}
	}
	return strings.Join(names, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
