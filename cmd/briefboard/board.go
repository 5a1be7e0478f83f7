package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"briefboard/workspace"
)

func (e *env) boardCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "board",
		Short: "Add or edit a board",
		Args:  exactArgs(0, "board add|edit --workspace DIR ..."),
		RunE: func(cmd *cobra.Command, args []string) error {
			return &usageError{errors.New("usage: briefboard board add|edit --workspace DIR ...")}
		},
	}
	cmd.AddCommand(e.boardAddCmd(), e.boardEditCmd())
	return cmd
}

// boardFields are the flags add and edit share.
type boardFields struct {
	title, purpose, role, tlp string
}

func (f *boardFields) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.title, "title", "", "board title")
	cmd.Flags().StringVar(&f.purpose, "purpose", "", "what the board tracks")
	cmd.Flags().StringVar(&f.role, "role", "", "pillar (a negotiating track) or background (context for the reader)")
	cmd.Flags().StringVar(&f.tlp, "tlp", "", "TLP marking: clear, green, amber, amber+strict or red")
}

// parse reads --role and --tlp, refusing unknown words before the
// workspace is opened.
func (f *boardFields) parse() (workspace.BoardRole, *workspace.TLP, error) {
	var role workspace.BoardRole
	if f.role != "" {
		r, err := workspace.ParseBoardRole(f.role)
		if err != nil {
			return "", nil, &usageError{err}
		}
		role = r
	}
	tlp, err := parseTLPFlag(f.tlp)
	return role, tlp, err
}

func (e *env) boardAddCmd() *cobra.Command {
	var f boardFields
	cmd := &cobra.Command{
		Use:   "add --workspace DIR --title T",
		Short: "Add a board with the default lanes; prints its id",
		Args:  exactArgs(0, "board add --workspace DIR --title T [--purpose P] [--role pillar|background] [--tlp LEVEL]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("title") {
				return &usageError{errors.New("board add needs --title T")}
			}
			role, tlp, err := f.parse()
			if err != nil {
				return err
			}
			return e.withStore(func(s *workspace.Store) error {
				var id string
				_, err := s.Do("Add board", func(tx *workspace.Tx) error {
					b, err := tx.AddBoard(f.title, f.purpose, workspace.DefaultLanes)
					if err != nil {
						return err
					}
					id = b.ID
					if role == "" && tlp == nil {
						return nil
					}
					b.Role = role
					if tlp != nil {
						b.TLP = *tlp
					}
					return tx.PutBoard(b)
				})
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, id)
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	f.flags(cmd)
	return cmd
}

func (e *env) boardEditCmd() *cobra.Command {
	var f boardFields
	var id string
	cmd := &cobra.Command{
		Use:   "edit --workspace DIR --id ID",
		Short: "Change a board's title, purpose, role or marking",
		Args:  exactArgs(0, "board edit --workspace DIR --id ID [--title T] [--purpose P] [--role pillar|background] [--tlp LEVEL]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if id == "" {
				return &usageError{errors.New("board edit needs --id ID")}
			}
			set := cmd.Flags().Changed
			role, tlp, err := f.parse()
			if err != nil {
				return err
			}
			return e.withStore(func(s *workspace.Store) error {
				boardID, err := resolveBoard(s, id)
				if err != nil {
					return err
				}
				_, err = s.Do("Edit board", func(tx *workspace.Tx) error {
					b, err := tx.Board(boardID)
					if err != nil {
						return err
					}
					if set("title") {
						b.Title = strings.TrimSpace(f.title)
					}
					if set("purpose") {
						b.Purpose = f.purpose
					}
					if set("role") {
						b.Role = role
					}
					if err := tx.PutBoard(b); err != nil {
						return err
					}
					// Setting the marking is a marking action, also to the
					// value the board has (DESIGN.md 4a).
					if tlp != nil {
						return tx.SetMarking(workspace.KeyOf(b), *tlp)
					}
					return nil
				})
				return err
			})
		},
	}
	e.workspaceFlag(cmd)
	f.flags(cmd)
	cmd.Flags().StringVar(&id, "id", "", "board id or title")
	return cmd
}
