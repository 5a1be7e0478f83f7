package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"briefboard/export"
	"briefboard/workspace"
	"briefboard/workspace/canvas"
)

func (e *env) canvasCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "canvas",
		Short: "Import or export a JSON Canvas (.canvas) file",
		Args:  exactArgs(0, "canvas import|export ..."),
		RunE: func(cmd *cobra.Command, args []string) error {
			return &usageError{errors.New("usage: briefboard canvas import FILE.canvas --workspace DIR | canvas export --workspace DIR -o FILE.canvas")}
		},
	}
	cmd.AddCommand(e.canvasImportCmd(), e.canvasExportCmd())
	return cmd
}

func (e *env) canvasImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE.canvas --workspace DIR",
		Short: "Import a JSON Canvas into the workspace as one action; prints what it did",
		Args:  exactArgs(1, "canvas import FILE.canvas --workspace DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if e.workspace == "" {
				return &usageError{errors.New("--workspace DIR is required")}
			}
			c, err := readCanvasFile(args[0])
			if err != nil {
				return err
			}
			return e.withStore(func(s *workspace.Store) error {
				sum, err := canvas.Import(s, c)
				if err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				fmt.Fprintln(e.stdout, workspace.Printable(sum.String()))
				for _, n := range sum.Notes {
					fmt.Fprintln(e.stdout, "note: "+workspace.Printable(n))
				}
				if sum.NotesOmitted > 0 {
					fmt.Fprintf(e.stdout, "note: and %d more like these\n", sum.NotesOmitted)
				}
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	return cmd
}

func readCanvasFile(path string) (*canvas.Canvas, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := canvas.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func (e *env) canvasExportCmd() *cobra.Command {
	var out, colorBy, maxTLP string
	cmd := &cobra.Command{
		Use:   "export --workspace DIR -o FILE.canvas",
		Short: "Export the workspace as a JSON Canvas",
		Args:  exactArgs(0, "canvas export --workspace DIR -o FILE.canvas [--max-tlp LEVEL] [--color-by tlp|kind]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return &usageError{errors.New("canvas export needs -o FILE.canvas")}
			}
			if err := workspace.CheckOutputPath(out); err != nil {
				return err
			}
			opts := export.CanvasOptions{ColorBy: colorBy}
			if colorBy != export.CanvasColorByTLP && colorBy != export.CanvasColorByKind {
				return &usageError{fmt.Errorf("--color-by is %s or %s, not %q", export.CanvasColorByTLP, export.CanvasColorByKind, colorBy)}
			}
			var err error
			if opts.MaxTLP, err = parseTLPFlag(maxTLP); err != nil {
				return err
			}
			return e.withStore(func(s *workspace.Store) error {
				snap, err := s.Snapshot()
				if err != nil {
					return err
				}
				var rep *export.CanvasReport
				err = export.WriteFile(out, func(w io.Writer) error {
					rep, err = export.CanvasWith(w, snap, opts)
					return err
				})
				if err != nil {
					return err
				}
				for _, n := range rep.Notes {
					fmt.Fprintln(e.stderr, "briefboard: note: "+workspace.Printable(n))
				}
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "canvas file to write")
	cmd.Flags().StringVar(&colorBy, "color-by", export.CanvasColorByTLP, "colour cards by tlp or kind")
	cmd.Flags().StringVar(&maxTLP, "max-tlp", "", "leave out what is marked above LEVEL: clear, green, amber, amber+strict or red")
	return cmd
}
