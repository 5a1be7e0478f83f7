package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"briefboard/resources"
	"briefboard/ui/appdata"
	"briefboard/workspace"
)

// run executes one command line and returns the exit code. Errors are one
// line on stderr; usage is printed only on request (--help).
func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(stderr, "briefboard: "+workspace.Printable(oneLine(err.Error())))
		var ue *usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

// usageError marks a command line that was malformed, as opposed to one
// that failed.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// env is what every command shares: where to print and the common flags.
type env struct {
	stdout, stderr io.Writer
	workspace      string
	storePassFile  string
	// sharePassFile holds the passphrase of a share file (share, import,
	// open FILE.briefboard).
	sharePassFile string
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	e := &env{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "briefboard [open] [PATH]",
		Short:         "Briefboard: boards of annotated cards for a negotiation brief, offline",
		Args:          cobra.MaximumNArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			return e.openWindow(path)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.PersistentFlags().StringVar(&e.storePassFile, "store-passphrase-file", "",
		"file whose first line is the passphrase of a workspace encrypted at rest")
	root.PersistentFlags().StringVar(&e.sharePassFile, "passphrase-file", "",
		"file whose first line is the passphrase of a share file (encrypts with share, decrypts with import and open)")
	root.CompletionOptions.DisableDefaultCmd = true

	open := &cobra.Command{
		Use:   "open [PATH]",
		Short: "Open the window on a workspace directory or share file",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			return e.openWindow(path)
		},
	}
	root.AddCommand(
		open,
		e.newCmd(),
		e.listCmd(),
		e.cardCmd(),
		e.logCmd(),
		e.undoCmd(true),
		e.undoCmd(false),
		e.exportCmd(),
		e.shareCmd(),
		e.importCmd(),
		e.canvasCmd(),
		e.checkCmd(),
		e.achCmd(),
		e.syncCmd(),
		e.boardCmd(),
		e.briefsCmd(),
		e.changesCmd(),
	)
	return root
}

// workspaceFlag adds the --workspace flag that every headless command on a
// workspace takes.
func (e *env) workspaceFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&e.workspace, "workspace", "", "workspace directory")
}

// storeOptions reads the store passphrase file, when one is given.
func (e *env) storeOptions() (workspace.Options, error) {
	var o workspace.Options
	if e.storePassFile != "" {
		p, err := workspace.ReadPassphraseFile(e.storePassFile)
		if err != nil {
			return o, err
		}
		o.Passphrase = p
	}
	return o, nil
}

// open opens the --workspace store read-write. Every CLI command does, so
// a workspace left by a crash is recovered rather than refused.
func (e *env) open() (*workspace.Store, error) {
	if e.workspace == "" {
		return nil, &usageError{errors.New("--workspace DIR is required")}
	}
	o, err := e.storeOptions()
	if err != nil {
		return nil, err
	}
	return workspace.Open(e.workspace, o)
}

// withStore opens the workspace, runs fn and closes it again.
func (e *env) withStore(fn func(s *workspace.Store) error) error {
	s, err := e.open()
	if err != nil {
		return err
	}
	err = fn(s)
	if cerr := s.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close workspace: %w", cerr)
	}
	return err
}

func (e *env) newCmd() *cobra.Command {
	var tpl string
	var encrypt bool
	cmd := &cobra.Command{
		Use:   "new DIR",
		Short: "Create a workspace from a template",
		Args:  exactArgs(1, "new DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := e.storeOptions()
			if err != nil {
				return err
			}
			if encrypt && len(o.Passphrase) == 0 {
				return &usageError{errors.New("--encrypt needs --store-passphrase-file F")}
			}
			if !encrypt {
				o.Passphrase = nil
			}
			s, err := createFromTemplate(args[0], tpl, o)
			if err != nil {
				return err
			}
			return s.Close()
		},
	}
	cmd.Flags().StringVar(&tpl, "template", resources.DemoTemplate,
		"template: "+strings.Join(resources.TemplateNames(), " or "))
	cmd.Flags().BoolVar(&encrypt, "encrypt", false, "encrypt the workspace at rest (needs --store-passphrase-file)")
	return cmd
}

func createFromTemplate(dir, name string, o workspace.Options) (*workspace.Store, error) {
	data, err := resources.Template(name)
	if err != nil {
		return nil, &usageError{err}
	}
	t, err := workspace.ParseTemplate(data)
	if err != nil {
		return nil, err
	}
	return workspace.Create(dir, t, o)
}

func exactArgs(n int, usage string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return &usageError{fmt.Errorf("usage: briefboard %s", usage)}
		}
		return nil
	}
}

func (e *env) undoCmd(undo bool) *cobra.Command {
	name, short := "undo", "Undo the last action"
	if !undo {
		name, short = "redo", "Redo the last undone action"
	}
	cmd := &cobra.Command{
		Use:   name + " --workspace DIR",
		Short: short,
		Args:  exactArgs(0, name+" --workspace DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withStore(func(s *workspace.Store) error {
				step := s.Undo
				if !undo {
					step = s.Redo
				}
				entry, err := step()
				if err != nil {
					return err
				}
				if entry != nil {
					fmt.Fprintln(e.stdout, workspace.Printable(entry.Action))
				}
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	return cmd
}

// defaultWorkspace is the workspace the window opens without a path: the
// last one opened, or on first run a new copy of the demo in the user's
// data directory.
func defaultWorkspace(o workspace.Options) (string, error) {
	if recent, _ := appdata.Recent(); len(recent) > 0 && workspace.Exists(recent[0]) {
		return recent[0], nil
	}
	data, err := appdata.DataDir()
	if err != nil {
		return "", err
	}
	dir := data + string(os.PathSeparator) + "workspaces" + string(os.PathSeparator) + "florida-talks-demo"
	if workspace.Exists(dir) {
		return dir, nil
	}
	s, err := createFromTemplate(dir, resources.DemoTemplate, workspace.Options{Now: o.Now})
	if err != nil {
		return "", fmt.Errorf("create the demo workspace: %w", err)
	}
	return dir, s.Close()
}
