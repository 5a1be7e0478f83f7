package workspace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Template is a workspace to start from, as JSON: boards with lanes and
// cards, sources, parties. Its keys are readable names that tie records
// together inside the file; every record gets a fresh random id when a
// workspace is made from it, so two workspaces from one template never
// share ids.
type Template struct {
	Title      string           `json:"title"`
	Subtitle   string           `json:"subtitle"`
	DefaultTLP TLP              `json:"defaultTlp"`
	Parties    []TemplateParty  `json:"parties"`
	Sources    []TemplateSource `json:"sources"`
	Boards     []TemplateBoard  `json:"boards"`
	Matrices   []TemplateMatrix `json:"matrices"`
	// Briefs are briefs recorded before the workspace's present state
	// (template_briefs.go).
	Briefs []TemplateBrief `json:"briefs,omitempty"`
}

// TemplateParty is a party of a template; its key is kept as the party id.
type TemplateParty struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Short string `json:"short"`
}

// TemplateSource is a graded source of a template.
type TemplateSource struct {
	Key         string      `json:"key"`
	Title       string      `json:"title"`
	Origin      string      `json:"origin"`
	Date        string      `json:"date"`
	Reliability Reliability `json:"reliability"`
	Credibility Credibility `json:"credibility"`
	TLP         TLP         `json:"tlp"`
	Notes       string      `json:"notes"`
}

// TemplateBoard is a pillar of a template with its lanes and cards.
type TemplateBoard struct {
	Key     string         `json:"key"`
	Title   string         `json:"title"`
	Purpose string         `json:"purpose"`
	Role    BoardRole      `json:"role,omitempty"`
	Lanes   []string       `json:"lanes"`
	Cards   []TemplateCard `json:"cards"`
}

// TemplateCard is a card of a template; cards of a lane are listed in order.
type TemplateCard struct {
	Key         string               `json:"key"`
	Lane        string               `json:"lane"`
	Title       string               `json:"title"`
	Body        string               `json:"body"`
	Kind        Kind                 `json:"kind"`
	Tags        []string             `json:"tags"`
	TLP         TLP                  `json:"tlp"`
	Citations   []Citation           `json:"citations"`
	Positions   map[string]Position  `json:"positions"`
	Likelihood  Likelihood           `json:"likelihood"`
	Confidence  Confidence           `json:"confidence"`
	Links       []Link               `json:"links"`
	Annotations []TemplateAnnotation `json:"annotations"`
}

// TemplateAnnotation is an annotation of a template card.
type TemplateAnnotation struct {
	Author   string         `json:"author"`
	Kind     AnnotationKind `json:"kind"`
	Text     string         `json:"text"`
	Resolved bool           `json:"resolved"`
	TLP      TLP            `json:"tlp"`
}

// TemplateMatrix is an ACH matrix of a template; its evidence and
// indicators name the template's cards by key.
type TemplateMatrix struct {
	Question   string               `json:"question"`
	Conclusion string               `json:"conclusion"`
	TLP        TLP                  `json:"tlp"`
	Hypotheses []TemplateHypothesis `json:"hypotheses"`
	Evidence   []TemplateEvidence   `json:"evidence"`
}

// TemplateHypothesis is a hypothesis of a template matrix; its key ties
// the evidence's ratings to it.
type TemplateHypothesis struct {
	Key        string      `json:"key"`
	Title      string      `json:"title"`
	Indicators []Indicator `json:"indicators"`
}

// TemplateEvidence is a card used as evidence in a template matrix, with
// its ratings by hypothesis key.
type TemplateEvidence struct {
	Card    string               `json:"card"`
	Weight  ACHWeight            `json:"weight"`
	Ratings map[string]ACHRating `json:"ratings"`
}

// ParseTemplate reads a template strictly: unknown keys are errors.
func ParseTemplate(data []byte) (*Template, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Template
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

// Validate checks that every key a template uses is defined in it.
func (t *Template) Validate() error {
	if t == nil {
		return fmt.Errorf("no template")
	}
	if strings.TrimSpace(t.Title) == "" {
		return fmt.Errorf("the template has no title")
	}
	parties := map[string]bool{}
	for _, p := range t.Parties {
		if !ValidID(p.Key) || parties[p.Key] {
			return fmt.Errorf("party key %q is invalid or repeated", p.Key)
		}
		parties[p.Key] = true
	}
	sources := map[string]bool{}
	for _, s := range t.Sources {
		if s.Key == "" || sources[s.Key] {
			return fmt.Errorf("source key %q is empty or repeated", s.Key)
		}
		sources[s.Key] = true
	}
	cards := map[string]bool{}
	for _, b := range t.Boards {
		for _, c := range b.Cards {
			if c.Key == "" || cards[c.Key] {
				return fmt.Errorf("card key %q is empty or repeated", c.Key)
			}
			cards[c.Key] = true
		}
	}
	for _, b := range t.Boards {
		if len(b.Lanes) == 0 {
			return fmt.Errorf("board %q has no lanes", b.Title)
		}
		for _, c := range b.Cards {
			if !contains(b.Lanes, c.Lane) {
				return fmt.Errorf("card %q is in lane %q, which board %q does not have", c.Key, c.Lane, b.Title)
			}
			for _, ci := range c.Citations {
				if !sources[ci.Source] {
					return fmt.Errorf("card %q cites unknown source %q", c.Key, ci.Source)
				}
			}
			for _, l := range c.Links {
				if !cards[l.To] {
					return fmt.Errorf("card %q links to unknown card %q", c.Key, l.To)
				}
			}
			for p := range c.Positions {
				if !parties[p] {
					return fmt.Errorf("card %q gives a position for unknown party %q", c.Key, p)
				}
			}
		}
	}
	for _, m := range t.Matrices {
		hyps := map[string]bool{}
		for _, h := range m.Hypotheses {
			if h.Key == "" || hyps[h.Key] {
				return fmt.Errorf("matrix %q: hypothesis key %q is empty or repeated", m.Question, h.Key)
			}
			hyps[h.Key] = true
			for _, in := range h.Indicators {
				if in.Card != "" && !cards[in.Card] {
					return fmt.Errorf("matrix %q: an indicator names unknown card %q", m.Question, in.Card)
				}
			}
		}
		evidence := map[string]bool{}
		for _, e := range m.Evidence {
			if !cards[e.Card] || evidence[e.Card] {
				return fmt.Errorf("matrix %q: evidence card %q is unknown or repeated", m.Question, e.Card)
			}
			evidence[e.Card] = true
			for h := range e.Ratings {
				if !hyps[h] {
					return fmt.Errorf("matrix %q: card %q is rated against unknown hypothesis %q", m.Question, e.Card, h)
				}
			}
		}
	}
	return t.validateBriefs(cards)
}

// applyTemplate fills a new, empty store from a template in one action.
func (s *Store) applyTemplate(t *Template) error {
	_, err := s.run("Create workspace", EntryCreate, 0, func(tx *Tx) error {
		m := &Meta{Title: t.Title, Subtitle: t.Subtitle, DefaultTLP: t.DefaultTLP}
		for _, p := range t.Parties {
			m.Parties = append(m.Parties, Party{ID: p.Key, Name: p.Name, Short: p.Short})
		}
		if err := tx.PutMeta(m); err != nil {
			return err
		}
		srcID := map[string]string{}
		for _, ts := range t.Sources {
			src := &Source{Base: Base{ID: NewID()}, Title: ts.Title, Origin: ts.Origin, InfoDate: ts.Date,
				Grade: Grade{Reliability: ts.Reliability, Credibility: ts.Credibility}, TLP: ts.TLP, Notes: ts.Notes}
			if err := tx.PutSource(src); err != nil {
				return fmt.Errorf("source %q: %w", ts.Key, err)
			}
			srcID[ts.Key] = src.ID
		}
		cardID := map[string]string{}
		for _, b := range t.Boards {
			for _, c := range b.Cards {
				cardID[c.Key] = NewID()
			}
		}
		boardKeys := SpreadKeys(len(t.Boards))
		var linked []*Card
		for i, tb := range t.Boards {
			b := &Board{Base: Base{ID: NewID()}, Title: tb.Title, Purpose: tb.Purpose, Order: boardKeys[i], Role: tb.Role}
			if err := tx.PutBoard(b); err != nil {
				return fmt.Errorf("board %q: %w", tb.Key, err)
			}
			laneID := map[string]string{}
			for j, lk := range SpreadKeys(len(tb.Lanes)) {
				l := &Lane{Base: Base{ID: NewID()}, Board: b.ID, Name: tb.Lanes[j], Order: lk}
				if err := tx.PutLane(l); err != nil {
					return fmt.Errorf("lane %q: %w", tb.Lanes[j], err)
				}
				laneID[l.Name] = l.ID
			}
			perLane := map[string][]TemplateCard{}
			for _, c := range tb.Cards {
				perLane[c.Lane] = append(perLane[c.Lane], c)
			}
			for _, lane := range tb.Lanes {
				cards := perLane[lane]
				for k, key := range SpreadKeys(len(cards)) {
					tc := cards[k]
					c := &Card{Base: Base{ID: cardID[tc.Key]}, Board: b.ID, Lane: laneID[lane], Order: key,
						Title: tc.Title, Body: tc.Body, Kind: tc.Kind, Tags: tc.Tags, TLP: tc.TLP,
						Positions: tc.Positions, Likelihood: tc.Likelihood, Confidence: tc.Confidence}
					if c.Kind == "" {
						c.Kind = KindNote
					}
					for _, ci := range tc.Citations {
						c.Citations = append(c.Citations, Citation{Source: srcID[ci.Source], Quote: ci.Quote})
					}
					if err := tx.PutCard(c); err != nil {
						return fmt.Errorf("card %q: %w", tc.Key, err)
					}
					for n, ta := range tc.Annotations {
						// A thread reads in the template's order: each entry
						// a millisecond after the one before.
						a := &Annotation{Base: Base{ID: NewID()}, Card: c.ID, Author: ta.Author, Kind: ta.Kind,
							Text: ta.Text, Resolved: ta.Resolved, TLP: ta.TLP, At: tx.At().Add(time.Duration(n) * time.Millisecond)}
						if err := tx.PutAnnotation(a); err != nil {
							return fmt.Errorf("annotation on %q: %w", tc.Key, err)
						}
					}
					if len(tc.Links) > 0 {
						for _, l := range tc.Links {
							c.Links = append(c.Links, Link{To: cardID[l.To], Type: l.Type})
						}
						linked = append(linked, c)
					}
				}
			}
		}
		// Links go in once every card exists.
		for _, c := range linked {
			if err := tx.PutCard(c); err != nil {
				return fmt.Errorf("links of %q: %w", c.Title, err)
			}
		}
		for _, tm := range t.Matrices {
			if err := tx.applyTemplateMatrix(tm, cardID); err != nil {
				return fmt.Errorf("matrix %q: %w", tm.Question, err)
			}
		}
		return tx.putTemplateBriefs(t, cardID)
	})
	return err
}

// applyTemplateMatrix makes a template's matrix and its evidence rows;
// rows list in the template's order, each a millisecond after the one
// before.
func (tx *Tx) applyTemplateMatrix(tm TemplateMatrix, cardID map[string]string) error {
	m := &ACHMatrix{Base: Base{ID: NewID()}, Question: tm.Question, Conclusion: tm.Conclusion, TLP: tm.TLP}
	hypID := map[string]string{}
	for _, th := range tm.Hypotheses {
		h := Hypothesis{ID: NewID(), Title: th.Title}
		hypID[th.Key] = h.ID
		m.Hypotheses = append(m.Hypotheses, h)
		for _, in := range th.Indicators {
			if in.Card != "" {
				in.Card = cardID[in.Card]
			}
			if m.Indicators == nil {
				m.Indicators = map[string][]Indicator{}
			}
			m.Indicators[h.ID] = append(m.Indicators[h.ID], in)
		}
	}
	if err := tx.PutACHMatrix(m); err != nil {
		return err
	}
	for n, te := range tm.Evidence {
		card := cardID[te.Card]
		r := &ACHRow{Base: Base{ID: card}, Matrix: m.ID, Card: card, Weight: te.Weight.Or(),
			At: tx.At().Add(time.Duration(n) * time.Millisecond)}
		for hk, v := range te.Ratings {
			if r.Cells == nil {
				r.Cells = map[string]ACHRating{}
			}
			r.Cells[hypID[hk]] = v
		}
		if err := tx.PutACHRow(r); err != nil {
			return fmt.Errorf("evidence %q: %w", te.Card, err)
		}
	}
	return nil
}
