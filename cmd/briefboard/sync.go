package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"briefboard/workspace"
	"briefboard/workspace/team"
)

const syncUsage = "sync --workspace DIR --folder SHARED [--max-tlp LEVEL] [--passphrase-file F] [--no-encryption] [--watch]"

// syncPoll is how often --watch looks at the folder when nothing wakes it
// sooner.
const syncPoll = 30 * time.Second

func (e *env) syncCmd() *cobra.Command {
	var folder, maxTLP string
	var noEncryption, watch bool
	cmd := &cobra.Command{
		Use:   syncUsage,
		Short: "Send the workspace's changes to a team folder and merge colleagues' (sets the folder up on first use)",
		Long: "sync keeps a workspace in step with colleagues' copies through a folder that a sync engine carries " +
			"(Syncthing, Nextcloud, Dropbox, an SMB share, a git repository). The first sync sets the folder up, " +
			"with its TLP cap (--max-tlp, AMBER by default) and the team passphrase; a DIR that does not exist is " +
			"made from the folder. Each run writes what changed, then merges what arrived, and says what it sent " +
			"and received; --watch keeps going until interrupted.",
		Args: exactArgs(0, syncUsage),
		RunE: func(cmd *cobra.Command, args []string) error {
			if e.workspace == "" {
				return &usageError{errors.New("--workspace DIR is required")}
			}
			if folder == "" {
				return &usageError{errors.New("--folder SHARED is required")}
			}
			capTLP, err := parseTLPFlag(maxTLP)
			if err != nil {
				return err
			}
			pass, err := e.sharePassphrase()
			if err != nil {
				return err
			}
			if noEncryption && len(pass) > 0 {
				return &usageError{errors.New("give --passphrase-file or --no-encryption, not both")}
			}
			// A round may hold a snapshot, both states of every record it
			// merges and the journal entry at once: collect sooner.
			defer debug.SetGCPercent(debug.SetGCPercent(50))
			opts := team.Options{Passphrase: pass, NoEncryption: noEncryption, Cap: capTLP}
			s, f, err := e.openTeam(folder, opts)
			if err != nil {
				return err
			}
			defer s.Close()
			fmt.Fprintf(e.stdout, "Team folder %s: capped at %s, %s\n", workspace.Printable(f.Root()), f.Cap(), protection(f))
			ctx := context.Background()
			if watch {
				var stop context.CancelFunc
				ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
				defer stop()
			}
			rep, err := f.Round(ctx)
			printSync(e.stdout, rep, true)
			if err != nil || !watch {
				return err
			}
			return e.watchTeam(ctx, f)
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&folder, "folder", "", "the team folder that the sync engine carries")
	cmd.Flags().StringVar(&maxTLP, "max-tlp", "", "cap of a new team folder: clear, green, amber (the default), amber+strict or red")
	cmd.Flags().BoolVar(&noEncryption, "no-encryption", false, "set up a folder without encryption (one already protected); segments are still checksummed")
	cmd.Flags().BoolVar(&watch, "watch", false, "keep syncing as the folder changes, until interrupted")
	return cmd
}

// openTeam opens the workspace and joins it to the team folder, or makes
// the workspace from the folder when DIR does not exist yet.
func (e *env) openTeam(folder string, opts team.Options) (*workspace.Store, *team.Folder, error) {
	if newDir(e.workspace) {
		o, err := e.storeOptions()
		if err != nil {
			return nil, nil, err
		}
		s, f, err := team.NewWorkspace(e.workspace, folder, opts, o)
		if err != nil {
			return nil, nil, fmt.Errorf("make %s from the team folder: %w", e.workspace, err)
		}
		m, err := s.Header()
		if err != nil {
			s.Close()
			return nil, nil, err
		}
		fmt.Fprintf(e.stdout, "Created %s from the team folder: a copy of \"%s\" with its own replica id %s\n",
			workspace.Printable(e.workspace), workspace.Printable(m.Title), s.Replica())
		return s, f, nil
	}
	s, err := e.open()
	if err != nil {
		return nil, nil, err
	}
	f, err := team.Open(s, folder, opts)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, f, nil
}

// watchTeam runs rounds whenever the folder or the workspace changes (and
// on a slow timer) until ctx ends, printing the rounds that did something
// or that changed what waits, is damaged or withheld.
func (e *env) watchTeam(ctx context.Context, f *team.Folder) error {
	fmt.Fprintln(e.stdout, "Watching the team folder; interrupt to stop.")
	last := ""
	return team.Watch(ctx, f, team.WatchOptions{Poll: syncPoll}, func(rep *team.Report, err error) {
		var b strings.Builder
		printSync(&b, rep, false)
		if out := b.String(); out != "" && (out != last || rep.Sent != nil || len(rep.Received) > 0) {
			fmt.Fprintf(e.stdout, "%s\n%s", rep.At.Format("15:04:05"), out)
			last = out
		}
		if err != nil {
			fmt.Fprintln(e.stderr, "briefboard: "+oneLine(err.Error()))
		}
	})
}

func protection(f *team.Folder) string {
	if f.Encrypted() {
		return "encrypted"
	}
	return "not encrypted (the folder is protected otherwise)"
}

// printSync says what a round did. quiet rounds print "Up to date" when
// always is set, nothing otherwise.
func printSync(w io.Writer, rep *team.Report, always bool) {
	if rep == nil {
		return
	}
	if s := rep.Sent; s != nil {
		what := "changed"
		if s.Snapshot {
			what = "in a snapshot"
		}
		fmt.Fprintf(w, "Sent %s %s in %s\n", plural(s.Records, "record", "records"), what, workspace.Printable(s.File))
		if s.SnapshotFile != "" {
			fmt.Fprintf(w, "Wrote a snapshot of the workspace in %s\n", workspace.Printable(s.SnapshotFile))
		}
	}
	for _, rc := range rep.Received {
		who := rc.Name
		if who == "" {
			who = "a colleague"
		}
		fmt.Fprintf(w, "Received from \"%s\" (replica %s), %s: %s\n", workspace.Printable(who), rc.Replica,
			plural(len(rc.Files), "segment", "segments"), rc.Result.Summary())
		for _, c := range rc.Result.Added {
			syncLine(w, "added", c)
		}
		for _, c := range rc.Result.Updated {
			syncLine(w, "updated", c)
		}
		for _, c := range rc.Result.Deleted {
			syncLine(w, "deleted", c)
		}
	}
	for _, c := range rep.Conflicts {
		syncLine(w, "conflict", c)
	}
	if len(rep.Conflicts) > 0 {
		fmt.Fprintln(w, "The conflicting values are kept; each field shows one of them until you choose (list --json shows them all).")
	}
	for _, p := range rep.Waiting {
		fmt.Fprintf(w, "Waiting   %s: %s\n", workspace.Printable(problemFile(p)), workspace.Printable(p.Reason))
	}
	for _, p := range rep.Damaged {
		fmt.Fprintf(w, "Damaged   %s: %s\n", workspace.Printable(problemFile(p)), workspace.Printable(p.Reason))
	}
	if n := len(rep.Withheld); n > 0 {
		fmt.Fprintf(w, "Withheld  %s from the team folder (cap %s):\n", plural(n, "record", "records"), rep.Cap)
		for _, h := range rep.Withheld {
			fmt.Fprintf(w, "          %-10s %s  \"%s\": %s\n", h.RecordKind, h.ID, workspace.Printable(h.Title), workspace.Printable(h.Reason))
		}
	}
	if always && rep.Sent == nil && len(rep.Received) == 0 && len(rep.Waiting)+len(rep.Damaged)+len(rep.Withheld) == 0 {
		fmt.Fprintln(w, "Up to date: nothing to send, nothing new")
	}
}

func problemFile(p team.Problem) string {
	if p.File != "" {
		return p.File
	}
	return "team folder"
}

func syncLine(w io.Writer, what string, c workspace.RecordChange) {
	fields := ""
	if len(c.Fields) > 0 {
		fields = " (" + strings.Join(c.Fields, ", ") + ")"
	}
	fmt.Fprintf(w, "%-9s %-10s %s  \"%s\"%s\n", what, c.RecordKind, c.ID, workspace.Printable(c.Title), workspace.Printable(fields))
}
