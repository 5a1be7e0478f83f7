package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
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
				snap, err := s.Snapshot()
				if err != nil {
					return err
				}
				if asJSON {
					return writeListing(e.stdout, snap)
				}
				printListing(e, snap)
				return nil
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
	out := []listConflict{}
	for _, c := range r.RecordBase().Conflicts {
		lc := listConflict{Conflict: c}
		if c.Field == "tlp" {
			lc.Reason = "competing markings from different copies: the strictest counts until one is chosen"
		}
		out = append(out, lc)
	}
	for _, h := range snap.ExplainMarking(r).Conflicts() {
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
// ten thousand cards is never held as one big JSON value in memory.
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
			put("        ", newListCard(snap, c))
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
	lc := listCard{
		ID: c.ID, Title: c.Title, Board: c.Board, Lane: snap.LaneName(c), LaneID: c.Lane, Order: c.Order,
		Kind: string(c.Kind), TLP: snap.Marking(c).Word(), OwnTLP: c.TLP.Word(), TLPReason: snap.ExplainMarking(c).Reason(),
		Tags: nonNil(c.Tags), Body: c.Body,
		Citations: []listCitation{}, Positions: c.Positions, Likelihood: string(c.Likelihood),
		Confidence: string(c.Confidence), Links: nonNil(c.Links), Annotations: []listAnnotation{},
		CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt, UpdatedBy: c.UpdatedBy, UpdatedAt: c.UpdatedAt,
		Conflicts: conflictsOf(snap, c),
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
func printListing(e *env, snap *workspace.Snapshot) {
	p := workspace.Printable
	fmt.Fprintf(e.stdout, "%s\n", p(snap.Meta.Title))
	for _, b := range snap.Boards {
		fmt.Fprintf(e.stdout, "\n%s  [board %s]\n", p(b.Title), p(b.ID))
		for _, ln := range snap.Lanes[b.ID] {
			cards := snap.LaneCards[ln.ID]
			fmt.Fprintf(e.stdout, "  %s (%d)\n", p(ln.Name), len(cards))
			for _, c := range cards {
				mark := ""
				if cs := conflictsOf(snap, c); len(cs) > 0 {
					mark = "  (conflict: " + p(conflictFields(cs)) + ")"
				}
				fmt.Fprintf(e.stdout, "    %s  %-18s %s%s\n", p(c.ID), snap.Marking(c).String(), p(c.Title), mark)
			}
		}
	}
	if len(snap.Stray) > 0 {
		fmt.Fprintf(e.stdout, "\nCards whose board was deleted\n")
		for _, c := range snap.Stray {
			fmt.Fprintf(e.stdout, "    %s  %-18s %s\n", p(c.ID), snap.Marking(c).String(), p(c.Title))
		}
	}
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
