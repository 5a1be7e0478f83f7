package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"briefboard/workspace"
	"briefboard/workspace/check"
)

// checkFlags are what `check` takes.
type checkFlags struct {
	maxTLP, date, boards, lanes string
	staleDays                   int
	asJSON, strict              bool
}

// options turns the flags into check options, refusing malformed values
// before the workspace is opened.
func (f *checkFlags) options() (check.Options, *workspace.TLP, error) {
	var o check.Options
	t, err := parseTLPFlag(f.maxTLP)
	if err != nil {
		return o, nil, err
	}
	if f.date != "" {
		d, err := time.Parse("2006-01-02", strings.TrimSpace(f.date))
		if err != nil {
			return o, nil, &usageError{fmt.Errorf("--date must be YYYY-MM-DD, not %q", f.date)}
		}
		o.Date = d
	} else {
		now := time.Now()
		o.Date = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	if f.staleDays < 0 {
		return o, nil, &usageError{fmt.Errorf("--stale-days must be 0 or more, not %d", f.staleDays)}
	}
	o.StaleDays = f.staleDays
	if f.staleDays == 0 {
		o.StaleDays = -1
	}
	o.Boards = splitList(f.boards)
	o.Lanes = splitList(f.lanes)
	return o, t, nil
}

func (e *env) checkCmd() *cobra.Command {
	var f checkFlags
	usage := "check --workspace DIR [--max-tlp LEVEL] [--date YYYY-MM-DD] [--json] [--strict]"
	cmd := &cobra.Command{
		Use:   usage,
		Short: "Check what would go into the brief: estimative language, sourcing, markings, open questions",
		Long: "Check what would go into a brief at the given cap the way a reviewer would: estimative words that\n" +
			"contradict a judgment's likelihood, hedges, missing likelihood or confidence, single or weak sources,\n" +
			"stale sources, facts without a source, citations without a quote, cards marked below a source they\n" +
			"quote, and open questions. Exits 0 whatever it finds; with --strict, 1 when an error is open.",
		Args: exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, maxTLP, err := f.options()
			if err != nil {
				return err
			}
			var findings, accepted []check.Finding
			var checked int
			err = e.withStore(func(s *workspace.Store) error {
				snap, err := s.Snapshot()
				if err != nil {
					return err
				}
				if snap, err = snap.Capped(maxTLP); err != nil {
					return err
				}
				if findings, err = check.Run(snap, opts); err != nil {
					return err
				}
				findings, accepted = check.Split(snap, findings)
				checked = countCards(snap, opts)
				return nil
			})
			if err != nil {
				return err
			}
			if f.asJSON {
				err = writeFindings(e.stdout, findings, accepted)
			} else {
				err = printFindings(e.stdout, findings, accepted, checked)
			}
			if err != nil {
				return err
			}
			if n := check.Errors(findings); f.strict && n > 0 {
				return fmt.Errorf("%s open (--strict)", plural(n, "error-severity finding", "error-severity findings"))
			}
			return nil
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&f.maxTLP, "max-tlp", "", "check only what a brief capped at this level includes: clear, green, amber, amber+strict or red")
	cmd.Flags().StringVar(&f.date, "date", "", "the brief's date, YYYY-MM-DD (default today)")
	cmd.Flags().IntVar(&f.staleDays, "stale-days", check.DefaultStaleDays, "flag sources whose information is older than this many days before the brief's date (0 turns it off)")
	cmd.Flags().StringVar(&f.boards, "boards", "", "comma-separated ids or titles of the boards the brief includes (default all)")
	cmd.Flags().StringVar(&f.lanes, "lanes", "", "comma-separated names of the lanes the brief includes (default all)")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, `print one JSON object: {"findings": [...]}`)
	cmd.Flags().BoolVar(&f.strict, "strict", false, "exit 1 when an error-severity finding is open")
	cmd.AddCommand(e.checkAcceptCmd(), e.checkReopenCmd())
	return cmd
}

// checkAcceptCmd accepts a finding with a reason: it is listed apart
// until the card's text changes.
func (e *env) checkAcceptCmd() *cobra.Command {
	var card, rule, field, reason string
	usage := "check accept --workspace DIR --card ID --rule RULE --reason TEXT [--field F]"
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "check "),
		Short: "Accept a finding on a card with a reason; it is raised again when the card's text changes",
		Args:  exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			if card == "" || rule == "" || strings.TrimSpace(reason) == "" {
				return &usageError{fmt.Errorf("check accept needs --card, --rule and --reason")}
			}
			if _, ok := check.RuleByID(rule); !ok {
				return &usageError{fmt.Errorf("no check rule %q (see briefboard check --help)", rule)}
			}
			return e.withStore(func(s *workspace.Store) error {
				_, err := s.AcceptFinding(card, rule, field, reason)
				return err
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&card, "card", "", "the card's id")
	cmd.Flags().StringVar(&rule, "rule", "", "the rule id, such as single-source")
	cmd.Flags().StringVar(&field, "field", "", "the card's field the finding concerns")
	cmd.Flags().StringVar(&reason, "reason", "", "why the finding stands")
	return cmd
}

// checkReopenCmd withdraws an acceptance.
func (e *env) checkReopenCmd() *cobra.Command {
	var card, rule string
	usage := "check reopen --workspace DIR --card ID --rule RULE"
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "check "),
		Short: "Withdraw the acceptance of a finding",
		Args:  exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			if card == "" || rule == "" {
				return &usageError{fmt.Errorf("check reopen needs --card and --rule")}
			}
			return e.withStore(func(s *workspace.Store) error { return s.ReopenFinding(card, rule) })
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&card, "card", "", "the card's id")
	cmd.Flags().StringVar(&rule, "rule", "", "the rule id")
	return cmd
}

// countCards counts the cards a check looked at.
func countCards(snap *workspace.Snapshot, o check.Options) int {
	sc, err := snap.BriefScope(o.Boards, o.Lanes)
	if err != nil {
		return 0
	}
	return len(sc.Cards(snap))
}

// writeFindings writes the findings one to a line, so that the output
// reads and greps well and a long list is written as it goes.
func writeFindings(out io.Writer, fs, accepted []check.Finding) error {
	w := bufio.NewWriterSize(out, 64<<10)
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	list := func(name string, fs []check.Finding) error {
		w.WriteString(`"` + name + `": [`)
		for i, f := range fs {
			line.Reset()
			if err := enc.Encode(f); err != nil {
				return err
			}
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString("\n  ")
			w.Write(bytes.TrimSuffix(line.Bytes(), []byte("\n")))
		}
		if len(fs) > 0 {
			w.WriteString("\n")
		}
		w.WriteString("]")
		return nil
	}
	w.WriteString("{")
	if err := list("findings", fs); err != nil {
		return err
	}
	w.WriteString(", ")
	if err := list("accepted", accepted); err != nil {
		return err
	}
	w.WriteString("}\n")
	return w.Flush()
}

// printFindings writes one line per finding, errors first, then a count.
func printFindings(out io.Writer, fs, accepted []check.Finding, checked int) error {
	w := bufio.NewWriterSize(out, 64<<10)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range fs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s: %s\n", f.Severity, f.Rule, f.Card, workspace.Printable(oneLine(f.Title)), workspace.Printable(f.Message))
	}
	tw.Flush()
	if len(accepted) > 0 {
		fmt.Fprintf(w, "\nAccepted (%d):\n", len(accepted))
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, f := range accepted {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s: accepted by %s: %s\n", f.Severity, f.Rule, f.Card, workspace.Printable(oneLine(f.Title)),
				workspace.Printable(f.Accepted.By), workspace.Printable(oneLine(f.Accepted.Reason)))
		}
		tw.Flush()
	}
	if len(fs) == 0 {
		fmt.Fprintf(w, "No findings in %s.\n", plural(checked, "card", "cards"))
		return w.Flush()
	}
	errs := check.Errors(fs)
	fmt.Fprintf(w, "%s and %s in %s.\n", plural(errs, "error", "errors"),
		plural(len(fs)-errs, "warning", "warnings"), plural(checked, "card", "cards"))
	return w.Flush()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
