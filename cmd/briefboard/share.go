package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"briefboard/ui/appdata"
	"briefboard/workspace"
)

// sharePassphrase reads --passphrase-file, when given.
func (e *env) sharePassphrase() ([]byte, error) {
	if e.sharePassFile == "" {
		return nil, nil
	}
	return workspace.ReadPassphraseFile(e.sharePassFile)
}

func (e *env) shareCmd() *cobra.Command {
	var out, maxTLP string
	cmd := &cobra.Command{
		Use:   "share --workspace DIR -o FILE.briefboard [--max-tlp LEVEL] [--passphrase-file F]",
		Short: "Write the workspace as a share file for colleagues to import",
		Args:  exactArgs(0, "share --workspace DIR -o FILE.briefboard [--max-tlp LEVEL] [--passphrase-file F]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return &usageError{errors.New("share needs -o FILE.briefboard")}
			}
			if err := workspace.CheckOutputPath(out); err != nil {
				return err
			}
			capTLP, err := parseTLPFlag(maxTLP)
			if err != nil {
				return err
			}
			pass, err := e.sharePassphrase()
			if err != nil {
				return err
			}
			return e.withStore(func(s *workspace.Store) error {
				m, err := s.ShareToFile(out, workspace.ShareOptions{MaxTLP: capTLP, Passphrase: pass})
				if err != nil {
					return err
				}
				if len(pass) == 0 && m.TLP.WantsEncryption() {
					fmt.Fprintf(e.stderr, "briefboard: warning: %s carries %s material unencrypted; give --passphrase-file F to encrypt it\n", workspace.Printable(out), m.TLP)
				}
				fmt.Fprintf(e.stdout, "Shared \"%s\" to %s: %s, marked %s", workspace.Printable(m.Workspace.Title), workspace.Printable(out), countWords(m.Counts), m.TLP)
				if capTLP != nil {
					fmt.Fprintf(e.stdout, " (capped at %s)", *capTLP)
				}
				if len(pass) > 0 {
					fmt.Fprint(e.stdout, ", encrypted")
				}
				fmt.Fprintln(e.stdout)
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "share file to write")
	cmd.Flags().StringVar(&maxTLP, "max-tlp", "", "leave out everything marked above LEVEL: clear, green, amber, amber+strict or red")
	return cmd
}

// countWords says how many cards, sources and annotations a file holds.
func countWords(c map[workspace.RecordKind]int) string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	return plural(c[workspace.RecCard], "card", "cards") + ", " + plural(c[workspace.RecSource], "source", "sources") +
		", " + plural(c[workspace.RecAnnotation], "annotation", "annotations")
}

func (e *env) importCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE --workspace DIR [--passphrase-file F]",
		Short: "Merge a colleague's share file into a workspace (or make their copy in a new DIR)",
		Args:  exactArgs(1, "import FILE --workspace DIR [--passphrase-file F]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if e.workspace == "" {
				return &usageError{errors.New("--workspace DIR is required")}
			}
			// A large import holds the file, both states of every record
			// and the journal entry at once: collect garbage sooner, so a
			// 10,000-card import stays under 200 MB.
			defer debug.SetGCPercent(debug.SetGCPercent(50))
			sf, err := e.readShare(args[0])
			if err != nil {
				return err
			}
			if newDir(e.workspace) {
				o, err := e.storeOptions()
				if err != nil {
					return err
				}
				s, res, err := workspace.CreateFromShare(e.workspace, sf, o)
				if err != nil {
					return fmt.Errorf("import %s: %w", args[0], err)
				}
				defer s.Close()
				fmt.Fprintf(e.stdout, "Created %s, a copy of \"%s\" %s, with its own replica id %s: %s\n",
					workspace.Printable(e.workspace), workspace.Printable(sf.Manifest.Workspace.Title), sharedBy(sf.Manifest, nil), s.Replica(), countWords(sf.Manifest.Counts))
				if n := len(res.Conflicts); n > 0 {
					fmt.Fprintf(e.stdout, "%d records hold a conflict to resolve\n", n)
				}
				return nil
			}
			return e.withStore(func(s *workspace.Store) error {
				res, err := s.Import(sf)
				if err != nil {
					return fmt.Errorf("import %s: %w", args[0], err)
				}
				printImport(e.stdout, args[0], res, s)
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	return cmd
}

// newDir reports whether dir does not exist yet or is an empty directory:
// where import makes a new copy.
func newDir(dir string) bool {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return true
	}
	return err == nil && len(entries) == 0
}

// readShare reads a share file with --passphrase-file.
func (e *env) readShare(path string) (*workspace.ShareFile, error) {
	pass, err := e.sharePassphrase()
	if err != nil {
		return nil, err
	}
	sf, err := workspace.ReadShareFile(path, pass)
	switch {
	case errors.Is(err, workspace.ErrSharePassphraseRequired):
		return nil, fmt.Errorf("%s is encrypted: give its passphrase with --passphrase-file F", path)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sf, nil
}

// sharedBy says who shared a file and when: the analyst's name, or, for a
// file without one, which copy of the workspace it came from when s (the
// store it is imported into, or nil) tells.
func sharedBy(m workspace.Manifest, s *workspace.Store) string {
	who := "by an analyst who gave no name"
	switch {
	case m.ExportedBy.Name != "":
		who = "by " + workspace.Printable(m.ExportedBy.Name)
	case s != nil && m.ExportedBy.Replica != "" && m.ExportedBy.Replica == s.Replica():
		who = "from this copy of the workspace"
	case s != nil:
		if snap, err := s.Snapshot(); err == nil && snap.Meta.ID == m.Workspace.ID {
			who = "by another copy of this workspace"
		}
	}
	return fmt.Sprintf("shared %s on %s", who, m.ExportedAt.Format("2006-01-02 15:04 MST"))
}

// printImport says what an import into s did, a line per record.
func printImport(w io.Writer, file string, res *workspace.ImportResult, s *workspace.Store) {
	fmt.Fprintf(w, "Imported %s (%s): %s\n", workspace.Printable(file), sharedBy(res.Manifest, s), res.Summary())
	line := func(what string, c workspace.RecordChange) {
		fields := ""
		if len(c.Fields) > 0 {
			fields = " (" + strings.Join(c.Fields, ", ") + ")"
		}
		fmt.Fprintf(w, "%-9s %-10s %s  \"%s\"%s\n", what, c.RecordKind, workspace.Printable(c.ID), workspace.Printable(c.Title), workspace.Printable(fields))
	}
	for _, c := range res.Added {
		line("added", c)
	}
	for _, c := range res.Updated {
		line("updated", c)
	}
	for _, c := range res.Deleted {
		line("deleted", c)
	}
	for _, c := range res.Conflicts {
		line("conflict", c)
	}
	if n := len(res.Conflicts); n > 0 {
		fmt.Fprintf(w, "The conflicting values are kept; each field shows one of them until you choose (list --json shows them all).\n")
	}
}

// shareFileWorkspace turns a share file given to open into a new workspace
// under the data directory and returns its directory; any other path is
// returned as it is.
func (e *env) shareFileWorkspace(path string, o workspace.Options) (string, error) {
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() {
		return path, nil
	}
	if _, err := workspace.ShareEncrypted(path); err != nil {
		return path, nil
	}
	sf, err := e.readShare(path)
	if err != nil {
		return "", err
	}
	dir, err := appdata.NewWorkspaceDir(sf.Manifest.Workspace.Title)
	if err != nil {
		return "", err
	}
	s, _, err := workspace.CreateFromShare(dir, sf, o)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", path, err)
	}
	fmt.Fprintf(e.stderr, "Opened %s as a new workspace in %s\n", workspace.Printable(path), workspace.Printable(dir))
	return dir, s.Close()
}
