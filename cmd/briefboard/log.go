package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"briefboard/workspace"
)

func (e *env) logCmd() *cobra.Command {
	var since string
	cmd := &cobra.Command{
		Use:   "log --workspace DIR [--since TIME]",
		Short: "List the changes, oldest first",
		Args:  exactArgs(0, "log --workspace DIR [--since TIME]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := parseSince(since, time.Now())
			if err != nil {
				return &usageError{err}
			}
			return e.withStore(func(s *workspace.Store) error {
				entries, err := s.Log(t)
				if err != nil {
					return err
				}
				for _, en := range entries {
					who := en.Author
					if who == "" {
						who = "replica " + en.Replica[:min(8, len(en.Replica))]
					}
					fmt.Fprintf(e.stdout, "%d  %s  %s  %s\n", en.Seq, en.At.Local().Format("2006-01-02 15:04:05"), workspace.Printable(who), workspace.Printable(en.Action))
					for _, c := range en.Changes {
						fmt.Fprintf(e.stdout, "      %s\n", describeChange(c))
					}
				}
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&since, "since", "", "only changes after TIME: RFC 3339, YYYY-MM-DD, 'YYYY-MM-DD HH:MM', or a duration ago such as 24h")
	return cmd
}

func describeChange(c workspace.Change) string {
	verb := "changed " + strings.Join(c.Fields, ", ")
	switch {
	case c.Created():
		verb = "created"
	case c.Deleted():
		verb = "deleted"
	case len(c.Fields) == 1 && c.Fields[0] == "deleted":
		verb = "restored"
	}
	return workspace.Printable(fmt.Sprintf("%s \"%s\": %s", c.RecordKind, c.Title, verb))
}

// parseSince reads --since: a time or a duration before now.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--since %q is not a time (use RFC 3339, YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or a duration such as 24h)", s)
}
