package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"briefboard/workspace"
)

func (e *env) achCmd() *cobra.Command {
	usage := "ach new|evidence|rate|edit|hypothesis|indicator|list|show --workspace DIR ..."
	cmd := &cobra.Command{
		Use:   "ach",
		Short: "Analysis of Competing Hypotheses: matrices of cards rated against hypotheses",
		Args:  exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			return &usageError{errors.New("usage: briefboard " + usage)}
		},
	}
	cmd.AddCommand(e.achNewCmd(), e.achEvidenceCmd(), e.achRateCmd(), e.achEditCmd(), e.achHypothesisCmd(),
		e.achIndicatorCmd(), e.achListCmd(), e.achShowCmd())
	return cmd
}

func (e *env) achNewCmd() *cobra.Command {
	var question, hypotheses, tlpFlag string
	usage := `ach new --workspace DIR --question Q --hypotheses "H1;H2;..." [--tlp LEVEL]`
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "ach "),
		Short: "Add a matrix; prints its id",
		Args:  exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("question") || !cmd.Flags().Changed("hypotheses") {
				return &usageError{errors.New(`ach new needs --question Q and --hypotheses "H1;H2;..."`)}
			}
			tlp, err := parseTLPFlag(tlpFlag)
			if err != nil {
				return err
			}
			var hs []string
			for _, h := range strings.Split(hypotheses, ";") {
				if h = strings.TrimSpace(h); h != "" {
					hs = append(hs, h)
				}
			}
			return e.withStore(func(s *workspace.Store) error {
				m, err := s.AddACHMatrix(workspace.ACHDraft{Question: question, Hypotheses: hs, TLP: tlp})
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, m.ID)
				return nil
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&question, "question", "", "the question the hypotheses answer")
	cmd.Flags().StringVar(&hypotheses, "hypotheses", "", "the hypotheses, separated by semicolons (at least two)")
	cmd.Flags().StringVar(&tlpFlag, "tlp", "", "TLP marking of the matrix (default the workspace's): clear, green, amber, amber+strict or red")
	return cmd
}

func (e *env) achEvidenceCmd() *cobra.Command {
	var id, card, weight string
	usage := "ach evidence --workspace DIR --id ACH --card CARD [--weight low|medium|high]"
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "ach "),
		Short: "Make a card evidence in a matrix, or change its weight",
		Args:  exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			if id == "" || card == "" {
				return &usageError{errors.New("ach evidence needs --id ACH and --card CARD")}
			}
			var w workspace.ACHWeight
			if cmd.Flags().Changed("weight") {
				var err error
				if w, err = workspace.ParseACHWeight(weight); err != nil {
					return &usageError{err}
				}
			}
			return e.withStore(func(s *workspace.Store) error {
				_, err := s.SetACHEvidence(id, card, w)
				return err
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&id, "id", "", "matrix id")
	cmd.Flags().StringVar(&card, "card", "", "card id")
	cmd.Flags().StringVar(&weight, "weight", "", "how much the evidence counts: low, medium (a new row's default) or high")
	return cmd
}

func (e *env) achRateCmd() *cobra.Command {
	var id, card, hypothesis, rating string
	usage := "ach rate --workspace DIR --id ACH --card CARD --hypothesis N --rating CC|C|N|I|II|NA"
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "ach "),
		Short: "Rate a card's evidence against a hypothesis",
		Args:  exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			if id == "" || card == "" || hypothesis == "" || rating == "" {
				return &usageError{errors.New("ach rate needs --id ACH, --card CARD, --hypothesis N and --rating R")}
			}
			r, err := workspace.ParseACHRating(rating)
			if err != nil {
				return &usageError{err}
			}
			return e.withStore(func(s *workspace.Store) error {
				h, err := storedHypothesis(s, id, hypothesis)
				if err != nil {
					return err
				}
				return s.RateACH(id, card, h, r)
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&id, "id", "", "matrix id")
	cmd.Flags().StringVar(&card, "card", "", "card id")
	cmd.Flags().StringVar(&hypothesis, "hypothesis", "", "the hypothesis: its 1-based position or its id")
	cmd.Flags().StringVar(&rating, "rating", "", "CC, C, N, I, II or NA")
	return cmd
}

func (e *env) achEditCmd() *cobra.Command {
	var id, question, conclusion string
	usage := "ach edit --workspace DIR --id ACH [--question Q] [--conclusion C]"
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "ach "),
		Short: "Change a matrix's question or conclusion",
		Long:  "Change a matrix's question or conclusion, or both, as one action. --conclusion \"\" clears the conclusion.",
		Args:  exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			set := cmd.Flags().Changed
			if id == "" || !set("question") && !set("conclusion") {
				return &usageError{errors.New("ach edit needs --id ACH and --question Q or --conclusion C")}
			}
			action := "Edit ACH matrix"
			switch {
			case !set("conclusion"):
				action = "Edit ACH question"
			case !set("question"):
				action = "Edit ACH conclusion"
			}
			return e.withStore(func(s *workspace.Store) error {
				return s.UpdateACHMatrix(id, action, func(m *workspace.ACHMatrix) error {
					if set("question") {
						m.Question = strings.TrimSpace(question)
					}
					if set("conclusion") {
						m.Conclusion = strings.TrimSpace(conclusion)
					}
					return nil
				})
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&id, "id", "", "matrix id")
	cmd.Flags().StringVar(&question, "question", "", "the question the hypotheses answer")
	cmd.Flags().StringVar(&conclusion, "conclusion", "", `what the analysis concludes ("" clears it)`)
	return cmd
}

func (e *env) achHypothesisCmd() *cobra.Command {
	var id, add, hypothesis, title string
	var position int
	var remove bool
	usage := "ach hypothesis --workspace DIR --id ACH (--add TITLE | --hypothesis N [--title T] [--position K] | --hypothesis N --remove)"
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "ach "),
		Short: "Add, rename, move or remove a hypothesis of a matrix",
		Long: "Add a hypothesis (--add prints its id), rename it (--title), move it to the 1-based --position K\n" +
			"(past the end puts it last), or remove it with its indicators and ratings (--remove; a matrix keeps\n" +
			"at least two). A renamed or moved hypothesis keeps its id, its ratings and its indicators.\n" +
			"Each command is one action: undo takes it back whole.",
		Args: exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			set := cmd.Flags().Changed
			edit := set("title") || set("position")
			switch {
			case id == "":
				return &usageError{errors.New("ach hypothesis needs --id ACH")}
			case set("add") && (set("hypothesis") || edit || remove):
				return &usageError{errors.New("ach hypothesis --add TITLE takes no --hypothesis, --title, --position or --remove")}
			case set("add"):
			case hypothesis == "" || !edit && !remove:
				return &usageError{errors.New("ach hypothesis needs --add TITLE, or --hypothesis N with --title T, --position K or --remove")}
			case remove && edit:
				return &usageError{errors.New("ach hypothesis --remove takes no --title or --position")}
			case set("position") && position < 1:
				return &usageError{fmt.Errorf("--position %d: positions start at 1", position)}
			}
			return e.withStore(func(s *workspace.Store) error {
				switch {
				case set("add"):
					var h string
					err := s.UpdateACHMatrix(id, "Add ACH hypothesis", func(m *workspace.ACHMatrix) error {
						var err error
						h, err = m.AddHypothesis(add)
						return err
					})
					if err != nil {
						return err
					}
					fmt.Fprintln(e.stdout, h)
					return nil
				case remove:
					h, err := storedHypothesis(s, id, hypothesis)
					if err != nil {
						return err
					}
					return s.RemoveACHHypothesis(id, h)
				}
				action := "Edit ACH hypothesis"
				switch {
				case !set("position"):
					action = "Rename ACH hypothesis"
				case !set("title"):
					action = "Move ACH hypothesis"
				}
				return s.UpdateACHMatrix(id, action, func(m *workspace.ACHMatrix) error {
					h, err := resolveHypothesis(m, hypothesis)
					if err != nil {
						return err
					}
					if set("title") {
						if err := m.RenameHypothesis(h, title); err != nil {
							return err
						}
					}
					if set("position") {
						return m.MoveHypothesis(h, position-1)
					}
					return nil
				})
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&id, "id", "", "matrix id")
	cmd.Flags().StringVar(&add, "add", "", "add a hypothesis with this title; prints its id")
	cmd.Flags().StringVar(&hypothesis, "hypothesis", "", "the hypothesis: its 1-based position or its id")
	cmd.Flags().StringVar(&title, "title", "", "the hypothesis's new title")
	cmd.Flags().IntVar(&position, "position", 0, "move the hypothesis to this 1-based position")
	cmd.Flags().BoolVar(&remove, "remove", false, "remove the hypothesis with its indicators and ratings")
	return cmd
}

func (e *env) achIndicatorCmd() *cobra.Command {
	var id, hypothesis, add, text, status, card string
	var indicator int
	var remove bool
	usage := "ach indicator --workspace DIR --id ACH --hypothesis N (--add TEXT [--status S] [--card CARD] | " +
		"--indicator K [--text T] [--status S] [--card CARD] | --indicator K --remove)"
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "ach "),
		Short: "Add, change or remove an indicator to watch for a hypothesis",
		Long: "Add an indicator to a hypothesis's list (--add; its status is not-seen unless given), change the\n" +
			"hypothesis's 1-based --indicator K (the fields not given stay as they are; --card \"\" clears the card)\n" +
			"or remove it (--remove). S is not-seen, seen or contradicted. Each command is one action.",
		Args: exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			set := cmd.Flags().Changed
			fields := set("text") || set("status") || set("card")
			switch {
			case id == "" || hypothesis == "":
				return &usageError{errors.New("ach indicator needs --id ACH and --hypothesis N")}
			case set("add") && set("indicator"):
				return &usageError{errors.New("give --add TEXT or --indicator K, not both")}
			case set("add") && (set("text") || remove):
				return &usageError{errors.New("ach indicator --add TEXT takes no --text or --remove")}
			case set("add"):
			case !set("indicator") || !fields && !remove:
				return &usageError{errors.New("ach indicator needs --add TEXT, or --indicator K with --text T, --status S, --card CARD or --remove")}
			case remove && fields:
				return &usageError{errors.New("ach indicator --remove takes no --text, --status or --card")}
			}
			var st workspace.IndicatorStatus
			if set("status") {
				var err error
				if st, err = workspace.ParseIndicatorStatus(status); err != nil {
					return &usageError{err}
				}
			}
			card = strings.TrimSpace(card)
			action := "Edit ACH indicator"
			switch {
			case set("add"):
				action = "Add ACH indicator"
			case remove:
				action = "Remove ACH indicator"
			}
			return e.withStore(func(s *workspace.Store) error {
				return s.UpdateACHMatrix(id, action, func(m *workspace.ACHMatrix) error {
					h, err := resolveHypothesis(m, hypothesis)
					if err != nil {
						return err
					}
					switch {
					case set("add"):
						return m.AddIndicator(h, workspace.Indicator{Text: add, Status: st, Card: card})
					case remove:
						return m.RemoveIndicator(h, indicator-1)
					}
					// The fields not given stay; SetIndicator checks that
					// there is an indicator K.
					var in workspace.Indicator
					if list := m.Indicators[h]; indicator >= 1 && indicator <= len(list) {
						in = list[indicator-1]
					}
					if set("text") {
						in.Text = text
					}
					if set("status") {
						in.Status = st
					}
					if set("card") {
						in.Card = card
					}
					return m.SetIndicator(h, indicator-1, in)
				})
			})
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&id, "id", "", "matrix id")
	cmd.Flags().StringVar(&hypothesis, "hypothesis", "", "the hypothesis: its 1-based position or its id")
	cmd.Flags().StringVar(&add, "add", "", "add an indicator with this text")
	cmd.Flags().IntVar(&indicator, "indicator", 0, "the indicator: its 1-based place in the hypothesis's list")
	cmd.Flags().StringVar(&text, "text", "", "the indicator's new text")
	cmd.Flags().StringVar(&status, "status", "", "not-seen, seen or contradicted")
	cmd.Flags().StringVar(&card, "card", "", `a card the indicator rests on or was seen in ("" clears it)`)
	cmd.Flags().BoolVar(&remove, "remove", false, "remove the indicator")
	return cmd
}

// storedHypothesis reads --hypothesis against the matrix as stored.
func storedHypothesis(s *workspace.Store, id, hypothesis string) (string, error) {
	snap, err := s.Snapshot()
	if err != nil {
		return "", err
	}
	m := snap.Matrix(id)
	if m == nil {
		return "", fmt.Errorf("ACH matrix %s: %w", id, workspace.ErrNotFound)
	}
	return resolveHypothesis(m, hypothesis)
}

// resolveHypothesis reads --hypothesis: a 1-based position or an id.
func resolveHypothesis(m *workspace.ACHMatrix, s string) (string, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(m.Hypotheses) {
		return m.Hypotheses[n-1].ID, nil
	}
	if h, _ := m.Hypothesis(s); h != nil {
		return h.ID, nil
	}
	return "", &usageError{fmt.Errorf("--hypothesis %q is neither a position 1 to %d nor a hypothesis id of the matrix", s, len(m.Hypotheses))}
}

// achSnapshot reads the workspace, capped at --max-tlp when given.
func (e *env) achSnapshot(maxTLP *workspace.TLP) (*workspace.Snapshot, error) {
	var snap *workspace.Snapshot
	err := e.withStore(func(s *workspace.Store) error {
		var err error
		if snap, err = s.Snapshot(); err != nil {
			return err
		}
		snap, err = snap.Capped(maxTLP)
		return err
	})
	return snap, err
}

// The stable shapes of `ach list --json` and `ach show --json` (DESIGN.md
// section 7): add fields, never rename them.
type achListing struct {
	Matrices []achListItem `json:"matrices"`
}

type achListItem struct {
	ID         string `json:"id"`
	Question   string `json:"question"`
	Hypotheses int    `json:"hypotheses"`
	Evidence   int    `json:"evidence"`
	TLP        string `json:"tlp"`
}

type achShow struct {
	ID         string           `json:"id"`
	Question   string           `json:"question"`
	TLP        string           `json:"tlp"`
	Conclusion string           `json:"conclusion"`
	Hypotheses []achShowHyp     `json:"hypotheses"`
	Evidence   []achShowRow     `json:"evidence"`
	Top        []string         `json:"top"`
	Formula    string           `json:"formula"`
	Indicators []achShowWatched `json:"indicators"`
}

type achShowHyp struct {
	ID            string  `json:"id"`
	Title         string  `json:"title"`
	Inconsistency float64 `json:"inconsistency"`
	Rank          int     `json:"rank"`
	// Unrated counts the evidence rows that do not rate the hypothesis.
	Unrated int `json:"unrated"`
}

type achShowRow struct {
	Card       string            `json:"card"`
	Title      string            `json:"title"`
	Weight     string            `json:"weight"`
	Diagnostic bool              `json:"diagnostic"`
	ChangesTop bool              `json:"changesTop"`
	Spread     float64           `json:"spread"`
	Factor     float64           `json:"credibility"`
	TLP        string            `json:"tlp"`
	Ratings    map[string]string `json:"ratings"`
}

type achShowWatched struct {
	Hypothesis string `json:"hypothesis"`
	Text       string `json:"text"`
	Status     string `json:"status"`
	Card       string `json:"card,omitempty"`
}

func (e *env) achListCmd() *cobra.Command {
	var asJSON bool
	var maxTLP string
	usage := "ach list --workspace DIR [--json] [--max-tlp LEVEL]"
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "ach "),
		Short: "List the matrices",
		Args:  exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := parseTLPFlag(maxTLP)
			if err != nil {
				return err
			}
			snap, err := e.achSnapshot(t)
			if err != nil {
				return err
			}
			out := achListing{Matrices: []achListItem{}}
			for _, m := range snap.Matrices {
				out.Matrices = append(out.Matrices, achListItem{ID: m.ID, Question: m.Question, Hypotheses: len(m.Hypotheses),
					Evidence: len(snap.Evidence[m.ID]), TLP: snap.Marking(m).Word()})
			}
			if asJSON {
				return writeJSON(e.stdout, out)
			}
			w := bufio.NewWriter(e.stdout)
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			for _, m := range out.Matrices {
				fmt.Fprintf(tw, "%s\t%s\t%d hypotheses, %d evidence\t%s\n", m.ID, strings.ToUpper(m.TLP), m.Hypotheses, m.Evidence, pline(m.Question))
			}
			tw.Flush()
			if len(out.Matrices) == 0 {
				fmt.Fprintln(w, "No ACH matrices.")
			}
			return w.Flush()
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, `print one JSON object: {"matrices": [...]}`)
	cmd.Flags().StringVar(&maxTLP, "max-tlp", "", "list only what an output capped at this level includes")
	return cmd
}

func (e *env) achShowCmd() *cobra.Command {
	var asJSON bool
	var id, maxTLP string
	usage := "ach show --workspace DIR [--id ACH] [--json] [--max-tlp LEVEL]"
	cmd := &cobra.Command{
		Use:   strings.TrimPrefix(usage, "ach "),
		Short: "Show a matrix with its ratings and scores",
		Long: "Show a matrix: its hypotheses ranked by weighted inconsistency, its evidence with the ratings,\n" +
			"which rows are non-diagnostic and which would change the top hypothesis if left out, the conclusion\n" +
			"and the indicators. With --max-tlp, rows above the cap are left out and the scores use the rest.\n" +
			"Without --id the workspace must hold one matrix.\n\n" + workspace.ACHFormula,
		Args: exactArgs(0, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := parseTLPFlag(maxTLP)
			if err != nil {
				return err
			}
			snap, err := e.achSnapshot(t)
			if err != nil {
				return err
			}
			var m *workspace.ACHMatrix
			switch {
			case id != "":
				if m = snap.Matrix(id); m == nil {
					return fmt.Errorf("ACH matrix %s: %w", id, workspace.ErrNotFound)
				}
			case len(snap.Matrices) == 1:
				m = snap.Matrices[0]
			default:
				return &usageError{fmt.Errorf("the workspace holds %d ACH matrices; give --id ACH (see ach list)", len(snap.Matrices))}
			}
			show := achShowOf(snap, m)
			if asJSON {
				return writeJSON(e.stdout, show)
			}
			return printACH(e.stdout, show)
		},
	}
	e.workspaceFlag(cmd)
	cmd.Flags().StringVar(&id, "id", "", "matrix id (needed when the workspace holds more than one)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().StringVar(&maxTLP, "max-tlp", "", "show and score only what an output capped at this level includes")
	return cmd
}

// achShowOf is a matrix with its scores, as `ach show` prints it.
func achShowOf(snap *workspace.Snapshot, m *workspace.ACHMatrix) achShow {
	sc := snap.ScoreACH(m)
	out := achShow{ID: m.ID, Question: m.Question, TLP: snap.Marking(m).Word(), Conclusion: m.Conclusion,
		Hypotheses: []achShowHyp{}, Evidence: []achShowRow{}, Top: sc.Top, Formula: workspace.ACHFormula,
		Indicators: []achShowWatched{}}
	for _, h := range sc.Hypotheses {
		out.Hypotheses = append(out.Hypotheses, achShowHyp{ID: h.ID, Title: h.Title, Inconsistency: h.Inconsistency, Rank: h.Rank, Unrated: h.Unrated})
		for _, in := range m.Indicators[h.ID] {
			st := in.Status
			if st == "" {
				st = workspace.IndicatorNotSeen
			}
			out.Indicators = append(out.Indicators, achShowWatched{Hypothesis: h.ID, Text: in.Text, Status: string(st), Card: in.Card})
		}
	}
	rows := snap.Evidence[m.ID]
	for i, r := range sc.Rows {
		row := achShowRow{Card: r.Card, Weight: string(rows[i].Weight.Or()), Diagnostic: r.Diagnostic, ChangesTop: r.ChangesTop, Spread: r.Spread,
			Factor: r.Factor, TLP: snap.Marking(rows[i]).Word(), Ratings: map[string]string{}}
		if c := snap.Cards[r.Card]; c != nil {
			row.Title = c.Title
		}
		for _, h := range m.Hypotheses {
			if v, ok := rows[i].Cells[h.ID]; ok {
				row.Ratings[h.ID] = string(v)
			}
		}
		out.Evidence = append(out.Evidence, row)
	}
	return out
}

// pline is user text on one line of plain output, through
// workspace.Printable: a colleague's text cannot steer the terminal.
func pline(s string) string { return workspace.Printable(oneLine(s)) }

// printACH writes a matrix for people: the ranking, the ratings (H1, H2 …
// across), the conclusion, the indicators and the formula.
func printACH(out io.Writer, a achShow) error {
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "%s\n%s · %s\n\n", pline(a.Question), a.ID, strings.ToUpper(a.TLP))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Rank\tInconsistency\tHypothesis")
	pos := map[string]int{}
	for i, h := range a.Hypotheses {
		pos[h.ID] = i
	}
	// Hypotheses come in the matrix's order: a stable sort by rank keeps
	// it among ties.
	ranked := append([]achShowHyp(nil), a.Hypotheses...)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Rank < ranked[j].Rank })
	for _, h := range ranked {
		fmt.Fprintf(tw, "%d\t%s\tH%d %s\n", h.Rank, workspace.ScoreText(h.Inconsistency), pos[h.ID]+1, pline(h.Title))
	}
	tw.Flush()
	fmt.Fprintln(w)
	if len(a.Evidence) == 0 {
		fmt.Fprintln(w, "No evidence yet: add cards with `briefboard ach evidence`.")
	} else {
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprint(tw, "Evidence\tWeight\tCred.")
		for i := range a.Hypotheses {
			fmt.Fprintf(tw, "\tH%d", i+1)
		}
		fmt.Fprintln(tw, "\t")
		for _, r := range a.Evidence {
			title := workspace.Printable(workspace.ShortTitle(r.Title, 48))
			if !r.Diagnostic {
				title += " (non-diagnostic)"
			}
			if r.ChangesTop {
				title = "* " + title
			}
			fmt.Fprintf(tw, "%s\t%s\t%s", title, r.Weight, workspace.ScoreText(r.Factor))
			for _, h := range a.Hypotheses {
				v := r.Ratings[h.ID]
				if v == "" {
					v = "·"
				}
				fmt.Fprintf(tw, "\t%s", v)
			}
			fmt.Fprintln(tw, "\t")
		}
		tw.Flush()
		fmt.Fprintln(w, "* leaving this row out would change the top hypothesis")
	}
	if c := strings.TrimSpace(a.Conclusion); c != "" {
		fmt.Fprintf(w, "\nConclusion: %s\n", pline(c))
	}
	if len(a.Indicators) > 0 {
		fmt.Fprintln(w, "\nIndicators to watch:")
		for _, in := range a.Indicators {
			fmt.Fprintf(w, "  H%d [%s] %s\n", pos[in.Hypothesis]+1, workspace.IndicatorStatus(in.Status).Label(), pline(in.Text))
		}
	}
	fmt.Fprintf(w, "\n%s\n", a.Formula)
	return w.Flush()
}

// writeJSON writes one indented JSON object.
func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
