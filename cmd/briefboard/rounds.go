package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"briefboard/workspace"
)

// timeLike tells a --since value meant as a time (a date, a clock time or
// a duration) from a brief id, so a malformed time is called one.
var timeLike = regexp.MustCompile(`^(\d{4}-|-?\d+(\.\d+)?(ns|us|µs|ms|s|m|h)\b)`)

// resolveSince reads --since or --changes-since: "last" (or empty) is the
// brief recorded last at the cap, "none" nothing (when allowed), else a
// recorded brief's id or a time. It returns nil when there is nothing to
// compare with.
func resolveSince(s *workspace.Store, snap *workspace.Snapshot, since, flag string, spec workspace.BriefSpec, allowNone bool) (*workspace.Baseline, error) {
	v := strings.TrimSpace(since)
	switch {
	case v == "" || v == "last":
		if rb := snap.LastBrief(spec.Cap); rb != nil {
			return workspace.BriefBaseline(rb), nil
		}
		return nil, nil
	case v == "none" && allowNone:
		return nil, nil
	}
	if rb := snap.Brief(v); rb != nil {
		return workspace.BriefBaseline(rb), nil
	}
	t, err := parseSince(v, time.Now())
	if err != nil {
		if timeLike.MatchString(v) {
			return nil, &usageError{fmt.Errorf("%s %q is not a time (use RFC 3339, YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or a duration such as 24h)", flag, v)}
		}
		what := "last, a recorded brief's id or a time"
		if allowNone {
			what = "last, none, a recorded brief's id or a time"
		}
		return nil, fmt.Errorf("%s %q names no recorded brief (give %s; briefboard briefs lists the briefs)", flag, v, what)
	}
	if t.After(time.Now()) {
		return nil, &usageError{fmt.Errorf("%s %s is in the future", flag, v)}
	}
	base, err := s.BaselineAt(t, spec)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, v, err)
	}
	return base, nil
}

// capWord writes a cap as its LEVEL word, or "none".
func capWord(t *workspace.TLP) string {
	if t == nil {
		return "none"
	}
	return t.Word()
}

func (e *env) briefsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "briefs --workspace DIR [--json]",
		Short: "List the recorded briefs, the latest first",
		Args:  exactArgs(0, "briefs --workspace DIR [--json] | briefs delete --workspace DIR --id ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withStore(func(s *workspace.Store) error {
				snap, err := s.Snapshot()
				if err != nil {
					return err
				}
				if asJSON {
					return writeBriefs(e, snap)
				}
				if len(snap.Briefs) == 0 {
					fmt.Fprintln(e.stdout, "No brief is recorded yet: export pdf records one unless it is a --draft.")
					return nil
				}
				for _, rb := range snap.Briefs {
					by := workspace.Printable(oneLine(rb.By))
					if by == "" {
						by = "-"
					}
					fmt.Fprintf(e.stdout, "%s  recorded %s  date %s  cap %-12s %-18s %4d cards  by %s\n", rb.ID,
						rb.Recorded.UTC().Format("2006-01-02 15:04 UTC"), rb.Date, capWord(rb.Cap), snap.Marking(rb).String(),
						len(rb.Cards), by)
				}
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.AddCommand(e.briefsDeleteCmd())
	return cmd
}

// The stable shape of `briefs --json`: names are a contract.
type briefsListing struct {
	Briefs []briefEntry `json:"briefs"`
}

type briefEntry struct {
	ID       string         `json:"id"`
	Recorded time.Time      `json:"recorded"`
	Date     string         `json:"date"`
	MaxTLP   *string        `json:"maxTlp"`
	TLP      string         `json:"tlp"`
	Boards   []briefBoardJS `json:"boards"`
	Lanes    []string       `json:"lanes"`
	By       string         `json:"by"`
	Cards    int            `json:"cards"`
}

type briefBoardJS struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Role  string `json:"role"`
}

func writeBriefs(e *env, snap *workspace.Snapshot) error {
	out := briefsListing{Briefs: []briefEntry{}}
	for _, rb := range snap.Briefs {
		be := briefEntry{ID: rb.ID, Recorded: rb.Recorded, Date: rb.Date, TLP: snap.Marking(rb).Word(),
			Boards: []briefBoardJS{}, Lanes: nonNil(rb.Lanes), By: rb.By, Cards: len(rb.Cards)}
		if rb.Cap != nil {
			w := rb.Cap.Word()
			be.MaxTLP = &w
		}
		for _, b := range rb.Boards {
			be.Boards = append(be.Boards, briefBoardJS{ID: b.ID, Title: b.Title, Role: b.Role.Word()})
		}
		out.Briefs = append(out.Briefs, be)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func (e *env) briefsDeleteCmd() *cobra.Command {
	var id string
	cmd := &cobra.Command{
		Use:   "delete --workspace DIR --id ID",
		Short: "Delete a recorded brief (undo brings it back)",
		Args:  exactArgs(0, "briefs delete --workspace DIR --id ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if id == "" {
				return &usageError{errors.New("briefs delete needs --id ID")}
			}
			return e.withStore(func(s *workspace.Store) error { return s.DeleteBrief(id) })
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&id, "id", "", "recorded brief id")
	return cmd
}

// The stable shape of `changes --json`: names are a contract.
type changesListing struct {
	Since   changesSince  `json:"since"`
	Changes []changeEntry `json:"changes"`
}

type changesSince struct {
	Brief  string  `json:"brief"`
	Date   string  `json:"date"`
	MaxTLP *string `json:"maxTlp"`
}

type changeEntry struct {
	Card     string `json:"card"`
	Title    string `json:"title"`
	Change   string `json:"change"`
	Field    string `json:"field"`
	Party    string `json:"party"`
	From     string `json:"from"`
	To       string `json:"to"`
	FromLane string `json:"fromLane,omitempty"`
	ToLane   string `json:"toLane,omitempty"`
}

func (e *env) changesCmd() *cobra.Command {
	var since, maxTLP string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "changes --workspace DIR [--since last|BRIEF|TIME] [--max-tlp LEVEL] [--json]",
		Short: "Say what changed, card by card, since a recorded brief or a time",
		Args:  exactArgs(0, "changes --workspace DIR [--since last|BRIEF|TIME] [--max-tlp LEVEL] [--json]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cap, err := parseTLPFlag(maxTLP)
			if err != nil {
				return err
			}
			if strings.TrimSpace(since) == "none" {
				return &usageError{errors.New("--since none compares with nothing: give last, a recorded brief's id or a time")}
			}
			return e.withStore(func(s *workspace.Store) error {
				snap, err := s.Snapshot()
				if err != nil {
					return err
				}
				base, err := resolveSince(s, snap, since, "--since", workspace.BriefSpec{Cap: cap}, false)
				if err != nil {
					return err
				}
				if base == nil {
					return fmt.Errorf("no brief is recorded at cap %s to compare with: give --since BRIEF or TIME (briefboard briefs lists the briefs)", capWord(cap))
				}
				spec := workspace.BriefSpec{Cap: cap}
				if base.Brief != nil {
					spec = base.Brief.Spec(cap)
				}
				ch, err := snap.ChangesSince(base, spec)
				if err != nil {
					return err
				}
				if asJSON {
					return writeChanges(e, ch, cap)
				}
				printChanges(e, snap, ch)
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&since, "since", "last", "last (the brief recorded last at the same cap), a recorded brief's id, or a time: RFC 3339, YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or a duration ago such as 24h")
	cmd.Flags().StringVar(&maxTLP, "max-tlp", "", "compare as a brief capped at LEVEL: clear, green, amber, amber+strict or red")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func writeChanges(e *env, ch *workspace.Changes, cap *workspace.TLP) error {
	out := changesListing{Changes: []changeEntry{}}
	base := ch.Since
	if base.Brief != nil {
		out.Since = changesSince{Brief: base.Brief.ID, Date: base.Brief.Date}
		cap = base.Brief.Cap
	} else {
		out.Since = changesSince{Date: base.At.UTC().Format(time.RFC3339)}
	}
	if cap != nil {
		w := cap.Word()
		out.Since.MaxTLP = &w
	}
	for _, c := range ch.List {
		out.Changes = append(out.Changes, changeEntry{Card: c.Card, Title: c.Title, Change: string(c.Change), Field: c.Field,
			Party: c.Party, From: c.From, To: c.To, FromLane: c.FromLane, ToLane: c.ToLane})
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func printChanges(e *env, snap *workspace.Snapshot, ch *workspace.Changes) {
	base := ch.Since
	if base.Brief != nil {
		fmt.Fprintf(e.stdout, "Changes since the brief of %s (%s, cap %s): %d\n", base.Brief.Date, base.Brief.ID, capWord(base.Brief.Cap), len(ch.List))
	} else {
		fmt.Fprintf(e.stdout, "Changes since %s: %d\n", base.At.UTC().Format("2006-01-02 15:04 UTC"), len(ch.List))
	}
	for _, c := range ch.List {
		var what string
		switch c.Change {
		case workspace.ChangeAdded:
			what = c.To + " / " + c.ToLane
		case workspace.ChangeRemoved:
			what = "was in " + c.From + " / " + c.FromLane
		case workspace.ChangeMoved:
			if c.Field == "board" {
				what = c.From + " / " + c.FromLane + " → " + c.To + " / " + c.ToLane
			} else {
				what = c.From + " → " + c.To
			}
		case workspace.ChangePosition:
			party := c.Party
			if p := snap.Party(c.Party); p != nil {
				party = p.Name
			}
			what = party + ": " + orNone(c.From) + " → " + orNone(c.To)
		case workspace.ChangeEdited:
			if c.Field == "body" {
				what = "body revised"
			} else {
				what = c.Field + ": " + c.From + " → " + c.To
			}
		default:
			what = c.Field + ": " + orNone(c.From) + " → " + orNone(c.To)
		}
		// Titles and names go through Printable: a colleague's text
		// cannot steer the terminal.
		fmt.Fprintf(e.stdout, "  %-9s %s  %s\n", c.Change, workspace.Printable(oneLine(c.Title)), workspace.Printable(oneLine(what)))
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
