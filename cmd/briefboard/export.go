package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"briefboard/export"
	"briefboard/workspace"
)

func (e *env) exportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export the brief as PDF or Markdown",
		Args:  exactArgs(0, "export pdf|md --workspace DIR -o FILE ..."),
		RunE: func(cmd *cobra.Command, args []string) error {
			return &usageError{errors.New("usage: briefboard export pdf|md --workspace DIR -o FILE ...")}
		},
	}
	cmd.AddCommand(e.exportFormatCmd("pdf"), e.exportFormatCmd("md"))
	return cmd
}

// exportFlags are what both export formats take.
type exportFlags struct {
	out, maxTLP, boards, lanes, paper, date string
	noAnnotations                           bool
	// changesSince is what the brief's "Changes since" section compares
	// with; draft leaves a PDF brief unrecorded.
	changesSince string
	draft        bool
}

// options turns the flags into export options, refusing malformed values
// before the workspace is opened.
func (f *exportFlags) options() (export.Options, error) {
	var o export.Options
	if strings.TrimSpace(f.out) == "" {
		return o, &usageError{errors.New("-o FILE is required")}
	}
	if err := workspace.CheckOutputPath(f.out); err != nil {
		return o, err
	}
	t, err := parseTLPFlag(f.maxTLP)
	if err != nil {
		return o, err
	}
	o.MaxTLP = t
	o.Boards = splitList(f.boards)
	o.Lanes = splitList(f.lanes)
	o.NoAnnotations = f.noAnnotations
	switch p := strings.ToLower(strings.TrimSpace(f.paper)); p {
	case "", "a4", "letter":
		o.Paper = p
	default:
		return o, &usageError{fmt.Errorf("--paper must be a4 or letter, not %q", f.paper)}
	}
	if f.date != "" {
		d, err := time.Parse("2006-01-02", strings.TrimSpace(f.date))
		if err != nil {
			return o, &usageError{fmt.Errorf("--date must be YYYY-MM-DD, not %q", f.date)}
		}
		o.Date = d
	} else {
		// One date for the brief and its record, read once.
		o.Date = time.Now()
	}
	return o, nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (e *env) exportFormatCmd(format string) *cobra.Command {
	var f exportFlags
	usage := "export " + format + " --workspace DIR -o FILE." + format + " [--max-tlp LEVEL] [--boards ID,...] [--lanes NAME,...] [--no-annotations]"
	short := "Write the brief as Markdown"
	if format == "pdf" {
		usage += " [--paper a4|letter] [--date YYYY-MM-DD] [--draft] [--changes-since last|none|BRIEF|TIME]"
		short = "Write the PDF brief and record it (unless --draft)"
	} else {
		usage += " [--date YYYY-MM-DD] [--changes-since last|none|BRIEF|TIME]"
	}
	cmd := &cobra.Command{
		Use:   format + " --workspace DIR -o FILE",
		Short: short,
		Args:  exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := f.options()
			if err != nil {
				return err
			}
			write := export.Brief
			if format == "md" {
				write = export.Markdown
			}
			// Read the workspace and what the brief follows, then let it
			// go before the brief is laid out: the store's caches need not
			// stay in memory meanwhile.
			var snap *workspace.Snapshot
			err = e.withStore(func(s *workspace.Store) error {
				if snap, err = s.Snapshot(); err != nil {
					return err
				}
				spec := workspace.BriefSpec{Cap: opts.MaxTLP, Boards: opts.Boards, Lanes: opts.Lanes, NoAnnotations: opts.NoAnnotations}
				opts.Since, err = resolveSince(s, snap, f.changesSince, "--changes-since", spec, true)
				return err
			})
			if err != nil {
				return err
			}
			if err := export.WriteFile(f.out, func(w io.Writer) error { return write(w, snap, opts) }); err != nil {
				return err
			}
			if format != "pdf" || f.draft {
				return nil
			}
			// The brief is issued: record what it printed, so the next one
			// can say what changed since.
			rb, err := export.BriefRecord(snap, opts)
			if err != nil {
				return err
			}
			if err := e.withStore(func(s *workspace.Store) error { return s.RecordBrief(rb) }); err != nil {
				return fmt.Errorf("the brief is written to %s but could not be recorded: %w", f.out, err)
			}
			return nil
		},
	}
	e.workspaceFlag(cmd)
	fl := cmd.Flags()
	fl.StringVarP(&f.out, "output", "o", "", "file to write")
	fl.StringVar(&f.maxTLP, "max-tlp", "", "leave out records marked above LEVEL: clear, green, amber, amber+strict or red")
	fl.StringVar(&f.boards, "boards", "", "comma-separated board ids or titles (default: all)")
	fl.StringVar(&f.lanes, "lanes", "", "comma-separated lane names (default: all)")
	fl.BoolVar(&f.noAnnotations, "no-annotations", false, "leave the annotation threads out")
	fl.StringVar(&f.date, "date", "", "date of the brief, YYYY-MM-DD (default: today)")
	fl.StringVar(&f.changesSince, "changes-since", "last",
		"what \"Changes since\" compares with: last (the brief recorded last at the same cap), none, a recorded brief's id, or a time")
	if format == "pdf" {
		fl.StringVar(&f.paper, "paper", "a4", "paper size: a4 or letter")
		fl.BoolVar(&f.draft, "draft", false, "do not record the brief (the next brief does not follow it)")
	}
	return cmd
}
