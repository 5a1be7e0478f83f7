package workspace

import (
	"fmt"
	"sort"
	"time"
)

// TemplateBrief is a brief recorded before the template's present state:
// the cards it showed, each as the template has it unless the entry says
// how it showed then. A new workspace's first brief follows it.
type TemplateBrief struct {
	Recorded time.Time `json:"recorded"`
	Date     string    `json:"date"`
	Cap      *TLP      `json:"cap"`
	By       string    `json:"by"`
	// NoAnnotations says the brief printed no annotation threads.
	NoAnnotations bool                `json:"noAnnotations"`
	Cards         []TemplateBriefCard `json:"cards"`
}

// TemplateBriefCard is a card as a template brief showed it: its title,
// body, lane and stances then, where they differ from the card's now (a
// Positions object, even empty, replaces the card's stances).
type TemplateBriefCard struct {
	Card      string            `json:"card"`
	Title     string            `json:"title"`
	Body      *string           `json:"body"`
	Lane      string            `json:"lane"`
	Positions map[string]Stance `json:"positions"`
}

// validateBriefs checks that a template's briefs name its cards.
func (t *Template) validateBriefs(cards map[string]bool) error {
	for _, b := range t.Briefs {
		if b.Recorded.IsZero() {
			return fmt.Errorf("a recorded brief of the template has no recording time")
		}
		if _, err := time.Parse("2006-01-02", b.Date); err != nil {
			return fmt.Errorf("the template brief's date %q is not YYYY-MM-DD", b.Date)
		}
		seen := map[string]bool{}
		for _, c := range b.Cards {
			if !cards[c.Card] || seen[c.Card] {
				return fmt.Errorf("the template brief of %s names card %q, which is unknown or named twice", b.Date, c.Card)
			}
			seen[c.Card] = true
		}
	}
	return nil
}

// putTemplateBriefs records a template's briefs once its cards exist;
// cardID maps the template's card keys to the new ids.
func (tx *Tx) putTemplateBriefs(t *Template, cardID map[string]string) error {
	if len(t.Briefs) == 0 {
		return nil
	}
	boards, err := tx.Boards()
	if err != nil {
		return err
	}
	boardRank, laneRank := map[string]int{}, map[string]int{}
	for i, b := range boards {
		boardRank[b.ID] = i
		lanes, err := tx.Lanes(b.ID)
		if err != nil {
			return err
		}
		for j, l := range lanes {
			laneRank[l.ID] = j
		}
	}
	for _, tb := range t.Briefs {
		rb := &RecordedBrief{Base: Base{ID: NewID()}, Recorded: tb.Recorded.UTC(), Date: tb.Date, Cap: tb.Cap, By: tb.By,
			Annotations: !tb.NoAnnotations}
		printed := tx.Marking(keyMeta)
		for _, b := range boards {
			rb.Boards = append(rb.Boards, BriefBoard{ID: b.ID, Title: b.Title, Role: b.Role})
			printed = max(printed, tx.Marking(string(boardKey(b.ID))))
		}
		order := map[string]string{}
		for _, tc := range tb.Cards {
			c, err := tx.Card(cardID[tc.Card])
			if err != nil {
				return err
			}
			lane, err := tx.Lane(c.Lane)
			if err != nil {
				return err
			}
			if tc.Lane != "" {
				if lane, err = tx.ResolveLane(c.Board, tc.Lane); err != nil {
					return fmt.Errorf("template brief card %q: %w", tc.Card, err)
				}
			}
			board, err := tx.Board(c.Board)
			if err != nil {
				return err
			}
			d := BriefCard{ID: c.ID, Title: c.Title, Board: board.ID, BoardTitle: board.Title, Lane: lane.ID, LaneName: lane.Name,
				Likelihood: c.Likelihood, Confidence: c.Confidence, TLP: tx.Marking(string(cardKey(c.ID))), Body: BodyHash(c.Body)}
			if tc.Title != "" {
				d.Title = tc.Title
			}
			if tc.Body != nil {
				d.Body = BodyHash(*tc.Body)
			}
			if len(c.Positions) > 0 {
				d.Positions = map[string]Stance{}
				for p, pos := range c.Positions {
					d.Positions[p] = pos.Stance
				}
			}
			if tc.Positions != nil {
				d.Positions = nil
				for p, st := range tc.Positions {
					if d.Positions == nil {
						d.Positions = map[string]Stance{}
					}
					d.Positions[p] = st
				}
			}
			printed = max(printed, d.TLP, tx.Marking(string(laneKey(lane.ID))))
			for _, ci := range c.Citations {
				printed = max(printed, tx.Marking(string(sourceKey(ci.Source))))
			}
			if rb.Annotations {
				err := tx.scan(string(annKey(c.ID, "")), func(v []byte) error {
					a, err := decode[Annotation](v)
					if err != nil || a.Deleted {
						return err
					}
					m := tx.Marking(string(annKey(a.Card, a.ID)))
					printed = max(printed, m)
					if !a.Resolved {
						d.Open = append(d.Open, m)
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
			order[c.ID] = c.Order
			rb.Cards = append(rb.Cards, d)
		}
		sort.SliceStable(rb.Cards, func(i, j int) bool {
			a, b := rb.Cards[i], rb.Cards[j]
			if boardRank[a.Board] != boardRank[b.Board] {
				return boardRank[a.Board] < boardRank[b.Board]
			}
			if laneRank[a.Lane] != laneRank[b.Lane] {
				return laneRank[a.Lane] < laneRank[b.Lane]
			}
			return order[a.ID] < order[b.ID]
		})
		rb.TLP = printed
		if tb.Cap != nil {
			rb.TLP = *tb.Cap
		}
		if err := tx.PutBrief(rb); err != nil {
			return fmt.Errorf("template brief of %s: %w", tb.Date, err)
		}
	}
	return nil
}
