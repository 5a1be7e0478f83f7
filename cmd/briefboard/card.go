package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"briefboard/workspace"
)

func (e *env) cardCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "card",
		Short: "Add, edit, move or delete a card",
		Args:  exactArgs(0, "card add|edit|move|delete --workspace DIR ..."),
		RunE: func(cmd *cobra.Command, args []string) error {
			return &usageError{errors.New("usage: briefboard card add|edit|move|delete --workspace DIR ...")}
		},
	}
	cmd.AddCommand(e.cardAddCmd(), e.cardEditCmd(), e.cardMoveCmd(), e.cardDeleteCmd())
	return cmd
}

// cardFields are the flags add and edit share.
type cardFields struct {
	title, body, lane, tlp, tags, kind string
	likelihood, confidence             string
}

func (f *cardFields) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.title, "title", "", "card title")
	cmd.Flags().StringVar(&f.body, "body", "", "card body")
	cmd.Flags().StringVar(&f.lane, "lane", "", "lane name or id")
	cmd.Flags().StringVar(&f.tlp, "tlp", "", "TLP marking: clear, green, amber, amber+strict or red")
	cmd.Flags().StringVar(&f.tags, "tags", "", "comma-separated tags")
	cmd.Flags().StringVar(&f.kind, "kind", "", "note, fact, statement, judgment, question or risk")
	cmd.Flags().StringVar(&f.likelihood, "likelihood", "",
		"ICD 203 likelihood: almost-no-chance, very-unlikely, unlikely, roughly-even, likely, very-likely or almost-certain")
	cmd.Flags().StringVar(&f.confidence, "confidence", "", "confidence: low, moderate or high")
}

// estimate reads --likelihood and --confidence, refusing unknown words
// before the workspace is opened.
func (f *cardFields) estimate() (workspace.Likelihood, workspace.Confidence, error) {
	l, err := workspace.ParseLikelihood(f.likelihood)
	if err != nil {
		return "", "", &usageError{err}
	}
	c, err := workspace.ParseConfidence(f.confidence)
	if err != nil {
		return "", "", &usageError{err}
	}
	return l, c, nil
}

func splitTags(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(t)
		if t != "" && !seen[t] {
			out = append(out, t)
			seen[t] = true
		}
	}
	return out
}

func parseTLPFlag(s string) (*workspace.TLP, error) {
	if s == "" {
		return nil, nil
	}
	t, err := workspace.ParseTLP(s)
	if err != nil {
		return nil, &usageError{err}
	}
	return &t, nil
}

func (e *env) cardAddCmd() *cobra.Command {
	var f cardFields
	var board string
	cmd := &cobra.Command{
		Use:   "add --workspace DIR --board ID --title T",
		Short: "Add a card; prints its id",
		Args: exactArgs(0, "card add --workspace DIR --board ID --title T [--lane L] [--body B] [--tlp LEVEL] [--tags a,b] "+
			"[--kind K] [--likelihood W] [--confidence C]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if board == "" || !cmd.Flags().Changed("title") {
				return &usageError{errors.New("card add needs --board ID and --title T")}
			}
			tlp, err := parseTLPFlag(f.tlp)
			if err != nil {
				return err
			}
			likelihood, confidence, err := f.estimate()
			if err != nil {
				return err
			}
			return e.withStore(func(s *workspace.Store) error {
				boardID, err := resolveBoard(s, board)
				if err != nil {
					return err
				}
				var id string
				_, err = s.Do("Add card", func(tx *workspace.Tx) error {
					c, err := tx.AddCard(workspace.CardDraft{Board: boardID, Lane: f.lane, Title: f.title, Body: f.body,
						Kind: workspace.Kind(f.kind), Tags: splitTags(f.tags), TLP: tlp})
					if err != nil {
						return err
					}
					id = c.ID
					if likelihood == "" && confidence == "" {
						return nil
					}
					_, err = tx.UpdateCard(c.ID, func(c *workspace.Card) error {
						c.Likelihood, c.Confidence = likelihood, confidence
						return nil
					})
					return err
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
	cmd.Flags().StringVar(&board, "board", "", "board id or title")
	return cmd
}

// resolveBoard accepts a board id or its title.
func resolveBoard(s *workspace.Store, idOrTitle string) (string, error) {
	snap, err := s.Snapshot()
	if err != nil {
		return "", err
	}
	if b := snap.FindBoard(idOrTitle); b != nil {
		return b.ID, nil
	}
	return "", fmt.Errorf("board %q: %w", idOrTitle, workspace.ErrNotFound)
}

func (e *env) cardEditCmd() *cobra.Command {
	var f cardFields
	var id string
	cmd := &cobra.Command{
		Use:   "edit --workspace DIR --id ID",
		Short: "Change a card's fields",
		Args: exactArgs(0, "card edit --workspace DIR --id ID [--title T] [--body B] [--lane L] [--tlp LEVEL] [--tags a,b] "+
			"[--kind K] [--likelihood W] [--confidence C]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if id == "" {
				return &usageError{errors.New("card edit needs --id ID")}
			}
			set := cmd.Flags().Changed
			tlp, err := parseTLPFlag(f.tlp)
			if err != nil {
				return err
			}
			likelihood, confidence, err := f.estimate()
			if err != nil {
				return err
			}
			return e.withStore(func(s *workspace.Store) error {
				_, err := s.Do("Edit card", func(tx *workspace.Tx) error {
					if _, err := tx.UpdateCard(id, func(c *workspace.Card) error {
						if set("title") {
							c.Title = strings.TrimSpace(f.title)
						}
						if set("body") {
							c.Body = f.body
						}
						if set("tags") {
							c.Tags = splitTags(f.tags)
						}
						if set("kind") {
							c.Kind = workspace.Kind(f.kind)
						}
						if set("likelihood") {
							c.Likelihood = likelihood
						}
						if set("confidence") {
							c.Confidence = confidence
						}
						return nil
					}); err != nil {
						return err
					}
					// --tlp is a marking action, also to the value the card
					// has: it releases what this copy has seen (DESIGN 4a).
					if tlp != nil {
						c, err := tx.Card(id)
						if err != nil {
							return err
						}
						if err := tx.SetMarking(workspace.KeyOf(c), *tlp); err != nil {
							return err
						}
					}
					if set("lane") {
						return tx.MoveCard(id, workspace.Move{Lane: f.lane})
					}
					return nil
				})
				return err
			})
		},
	}
	e.workspaceFlag(cmd)
	f.flags(cmd)
	cmd.Flags().StringVar(&id, "id", "", "card id")
	return cmd
}

func (e *env) cardMoveCmd() *cobra.Command {
	var id string
	var to workspace.Move
	cmd := &cobra.Command{
		Use:   "move --workspace DIR --id ID",
		Short: "Move a card to another lane, board or place",
		Args:  exactArgs(0, "card move --workspace DIR --id ID [--board ID] [--lane L] [--before ID | --after ID]"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if id == "" {
				return &usageError{errors.New("card move needs --id ID")}
			}
			if to.Before != "" && to.After != "" {
				return &usageError{errors.New("give --before or --after, not both")}
			}
			return e.withStore(func(s *workspace.Store) error {
				if to.Board != "" {
					b, err := resolveBoard(s, to.Board)
					if err != nil {
						return err
					}
					to.Board = b
				}
				return s.MoveCard(id, to)
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&id, "id", "", "card id")
	cmd.Flags().StringVar(&to.Board, "board", "", "board id or title to move to")
	cmd.Flags().StringVar(&to.Lane, "lane", "", "lane name or id to move to")
	cmd.Flags().StringVar(&to.Before, "before", "", "place the card before this card")
	cmd.Flags().StringVar(&to.After, "after", "", "place the card after this card")
	return cmd
}

func (e *env) cardDeleteCmd() *cobra.Command {
	var id string
	cmd := &cobra.Command{
		Use:   "delete --workspace DIR --id ID",
		Short: "Delete a card (undo brings it back)",
		Args:  exactArgs(0, "card delete --workspace DIR --id ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if id == "" {
				return &usageError{errors.New("card delete needs --id ID")}
			}
			return e.withStore(func(s *workspace.Store) error { return s.DeleteCard(id) })
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&id, "id", "", "card id")
	return cmd
}
