package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Limits on text an analyst types, generous enough for real work and small
// enough that one card cannot swamp a transaction or a page.
const (
	MaxTitle    = 500
	MaxBody     = 100_000
	MaxTag      = 64
	MaxTags     = 50
	MaxQuote    = 2_000
	MaxNote     = 4_000
	MaxName     = 200
	MaxLinks    = 200
	MaxCites    = 200
	MaxOrderKey = 63
	// MaxExtra bounds the Extra of one record, in bytes.
	MaxExtra = 64 << 10
)

// Party is one side of the negotiation.
type Party struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Short string `json:"short,omitempty"`
}

// Profile is the analyst working in this copy of the workspace. It is kept
// with the copy and never travels in a share file.
type Profile struct {
	Name     string `json:"name,omitempty"`
	Initials string `json:"initials,omitempty"`
}

// Base holds what every record has besides its own fields.
type Base struct {
	// ID is stable and random; it never changes.
	ID string `json:"id"`
	// Deleted marks a tombstone: deletions are records too, so that they
	// travel to colleagues and can be undone.
	Deleted bool `json:"deleted,omitempty"`
	// Conflicts lists fields whose concurrent values from different copies
	// have not been resolved yet. The field itself shows the deterministic
	// winner meanwhile.
	Conflicts []Conflict `json:"conflicts,omitempty"`
	// Held lists writes whose values keep the record stricter than its
	// own marking: written under a stricter marking that no marking
	// action has released since (DESIGN.md 4a). Derived from the stamps,
	// like Conflicts.
	Held []HeldWrite `json:"held,omitempty"`
}

// RecordID returns the record's id.
func (b *Base) RecordID() string { return b.ID }

// Conflict is one field with more than one concurrent value.
type Conflict struct {
	Field  string          `json:"field"`
	Values []ConflictValue `json:"values"`
}

// ConflictValue is one competing value of a field and where it came from.
type ConflictValue struct {
	Value   json.RawMessage `json:"value"`
	Author  string          `json:"author,omitempty"`
	Replica string          `json:"replica"`
	Clock   uint64          `json:"clock"`
	At      time.Time       `json:"at"`
}

// HeldWrite is one write whose values are held at a stricter marking than
// the record's own: an analyst who sets the record's marking again, having
// seen it, releases it.
type HeldWrite struct {
	TLP     TLP       `json:"tlp"`
	Replica string    `json:"replica"`
	Clock   uint64    `json:"clock"`
	Author  string    `json:"author,omitempty"`
	At      time.Time `json:"at"`
	// Fields lists the fields whose values the write made.
	Fields []string `json:"fields"`
}

// Meta is the workspace's own header record.
type Meta struct {
	Base
	Title      string  `json:"title"`
	Subtitle   string  `json:"subtitle,omitempty"`
	Parties    []Party `json:"parties,omitempty"`
	DefaultTLP TLP     `json:"defaultTlp"`
	// TLP marks the header's own text: title, subtitle and parties. An
	// output capped below it is refused.
	TLP TLP `json:"tlp"`
	// Extra: see Card.Extra.
	Extra json.RawMessage `json:"extra,omitempty"`
}

// Board is a pillar of the negotiation: a board of cards in lanes.
type Board struct {
	Base
	Title   string `json:"title"`
	Purpose string `json:"purpose,omitempty"`
	Order   string `json:"order"`
	// Role says whether the board is a pillar (a negotiating track, the
	// default) or background (board_role.go).
	Role BoardRole `json:"role,omitempty"`
	// TLP marks the board's own text (title, purpose); its lanes and cards
	// are at least as restricted.
	TLP TLP `json:"tlp"`
	// Extra: see Card.Extra.
	Extra json.RawMessage `json:"extra,omitempty"`
}

// Lane is a named column of a board, such as "Bracketed".
type Lane struct {
	Base
	Board string `json:"board"`
	Name  string `json:"name"`
	Order string `json:"order"`
	// TLP marks the lane's name; a lane is at least as restricted as its
	// board, and lowering the board sets it.
	TLP TLP `json:"tlp"`
	// Extra: see Card.Extra.
	Extra json.RawMessage `json:"extra,omitempty"`
}

// DefaultLanes are the negotiators' own status words.
var DefaultLanes = []string{"Open", "Bracketed", "Ad ref", "Agreed", "Dropped"}

// Citation is a card's reference to a source, with the words it rests on.
type Citation struct {
	Source string `json:"source"`
	Quote  string `json:"quote,omitempty"`
}

// Position is a party's stance on a card.
type Position struct {
	Stance Stance `json:"stance"`
	Note   string `json:"note,omitempty"`
}

// Link is a typed reference from one card to another, possibly on another
// board.
type Link struct {
	To   string `json:"to"`
	Type string `json:"type"`
}

// Card is one annotated card on a board.
type Card struct {
	Base
	Board      string              `json:"board"`
	Lane       string              `json:"lane"`
	Order      string              `json:"order"`
	Title      string              `json:"title"`
	Body       string              `json:"body,omitempty"`
	Kind       Kind                `json:"kind"`
	Tags       []string            `json:"tags,omitempty"`
	Citations  []Citation          `json:"citations,omitempty"`
	Positions  map[string]Position `json:"positions,omitempty"`
	Likelihood Likelihood          `json:"likelihood,omitempty"`
	Confidence Confidence          `json:"confidence,omitempty"`
	TLP        TLP                 `json:"tlp"`
	Links      []Link              `json:"links,omitempty"`
	CreatedBy  string              `json:"createdBy,omitempty"`
	CreatedAt  time.Time           `json:"createdAt"`
	UpdatedBy  string              `json:"updatedBy,omitempty"`
	UpdatedAt  time.Time           `json:"updatedAt"`
	// Extra keeps what an interchange file (a JSON Canvas, say) carried
	// for the record that Briefboard does not model, so that an export can
	// write it back: a JSON object keyed by format, such as {"canvas": ...}.
	// Briefboard itself never acts on it.
	Extra json.RawMessage `json:"extra,omitempty"`
}

// Source is a record of where information came from, graded once and cited
// by many cards.
type Source struct {
	Base
	Title string `json:"title"`
	// Origin says who or where: a publication, a person, a URL.
	Origin string `json:"origin,omitempty"`
	// InfoDate is the date of the information, as precise as known:
	// "2025", "2025-12" or "2025-12-28".
	InfoDate string `json:"infoDate,omitempty"`
	Grade    Grade  `json:"grade"`
	TLP      TLP    `json:"tlp"`
	Notes    string `json:"notes,omitempty"`
}

// Annotation is one entry of a card's comment thread.
type Annotation struct {
	Base
	Card     string         `json:"card"`
	Author   string         `json:"author"`
	Kind     AnnotationKind `json:"kind"`
	Text     string         `json:"text"`
	Resolved bool           `json:"resolved,omitempty"`
	TLP      TLP            `json:"tlp"`
	At       time.Time      `json:"at"`
}

// ValidationError is a value the model refuses, with the field it concerns,
// so a form can show the reason next to that field.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return e.Reason }

// Is lets errors.Is(err, ErrInvalid) match every validation error.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// FieldOf returns the field a validation error concerns, or "".
func FieldOf(err error) string {
	var v *ValidationError
	if errors.As(err, &v) {
		return v.Field
	}
	return ""
}

func checkID(field, label, id string) error {
	if !ValidID(id) {
		return invalid(field, "%s %s is not a valid id", label, jsonString(id))
	}
	return nil
}

func checkOrder(field, key string) error {
	if err := ValidOrderKey(key); err != nil {
		return invalid(field, "%v", err)
	}
	return nil
}

// checkExtra accepts an empty Extra or a JSON object of at most MaxExtra
// bytes.
func checkExtra(raw json.RawMessage) error {
	if len(raw) == 0 {
		return nil
	}
	if len(raw) > MaxExtra {
		return invalid("extra", "the extra data is %d bytes; the limit is %d", len(raw), MaxExtra)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return invalid("extra", "the extra data is not a JSON object")
	}
	return nil
}

func checkTLP(field string, t TLP) error {
	if !t.Valid() {
		return invalid(field, "TLP marking %d is not a TLP 2.0 level", int(t))
	}
	return nil
}

// Validate checks the workspace header.
func (m *Meta) Validate() error {
	if err := checkText("title", "The workspace title", m.Title, MaxTitle, true); err != nil {
		return err
	}
	if err := checkText("subtitle", "The subtitle", m.Subtitle, MaxTitle, false); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range m.Parties {
		if err := checkID("parties", "Party id", p.ID); err != nil {
			return err
		}
		if seen[p.ID] {
			return invalid("parties", "party %s is listed twice", jsonString(p.Name))
		}
		seen[p.ID] = true
		if err := checkText("parties", "A party's name", p.Name, MaxName, true); err != nil {
			return err
		}
		if err := checkText("parties", "A party's short name", p.Short, MaxName, false); err != nil {
			return err
		}
	}
	if err := checkExtra(m.Extra); err != nil {
		return err
	}
	if err := checkTLP("tlp", m.TLP); err != nil {
		return err
	}
	return checkTLP("defaultTlp", m.DefaultTLP)
}

// Validate checks a board.
func (b *Board) Validate() error {
	if err := checkID("id", "Board id", b.ID); err != nil {
		return err
	}
	if err := checkText("title", "The board title", b.Title, MaxTitle, true); err != nil {
		return err
	}
	if err := checkBlock("purpose", "The purpose", b.Purpose, MaxBody, false); err != nil {
		return err
	}
	if !b.Role.Valid() {
		return invalid("role", "board role %s is not pillar or background", jsonString(string(b.Role)))
	}
	if err := checkExtra(b.Extra); err != nil {
		return err
	}
	if err := checkTLP("tlp", b.TLP); err != nil {
		return err
	}
	return checkOrder("order", b.Order)
}

// Validate checks a lane.
func (l *Lane) Validate() error {
	if err := checkID("id", "Lane id", l.ID); err != nil {
		return err
	}
	if err := checkID("board", "Board id", l.Board); err != nil {
		return err
	}
	if err := checkText("name", "The lane name", l.Name, MaxName, true); err != nil {
		return err
	}
	if err := checkExtra(l.Extra); err != nil {
		return err
	}
	if err := checkTLP("tlp", l.TLP); err != nil {
		return err
	}
	return checkOrder("order", l.Order)
}

// Validate checks a card. It does not look up the board, lane, sources or
// linked cards: the store does, since that needs the other records.
func (c *Card) Validate() error {
	if err := checkID("id", "Card id", c.ID); err != nil {
		return err
	}
	if err := checkID("board", "Board id", c.Board); err != nil {
		return err
	}
	if err := checkID("lane", "Lane id", c.Lane); err != nil {
		return err
	}
	if err := checkOrder("order", c.Order); err != nil {
		return err
	}
	if err := checkText("title", "The card title", c.Title, MaxTitle, true); err != nil {
		return err
	}
	if err := checkBlock("body", "The card body", c.Body, MaxBody, false); err != nil {
		return err
	}
	if !enumCheck(c.Kind, Kinds) {
		return invalid("kind", "card kind %s is not one of note, fact, statement, judgment, question, risk", jsonString(string(c.Kind)))
	}
	if len(c.Tags) > MaxTags {
		return invalid("tags", "a card can carry at most %d tags", MaxTags)
	}
	seenTag := map[string]bool{}
	for _, t := range c.Tags {
		if err := checkText("tags", "A tag", t, MaxTag, true); err != nil {
			return err
		}
		if strings.ContainsAny(t, ",\n\r\t") {
			return invalid("tags", "tag %s contains a comma or line break", jsonString(t))
		}
		if seenTag[t] {
			return invalid("tags", "tag %s is given twice", jsonString(t))
		}
		seenTag[t] = true
	}
	if len(c.Citations) > MaxCites {
		return invalid("citations", "a card can cite at most %d sources", MaxCites)
	}
	for _, ci := range c.Citations {
		if err := checkID("citations", "Cited source", ci.Source); err != nil {
			return err
		}
		if err := checkBlock("citations", "A quote", ci.Quote, MaxQuote, false); err != nil {
			return err
		}
	}
	for party, p := range c.Positions {
		if err := checkID("positions", "Party id", party); err != nil {
			return err
		}
		if !enumCheck(p.Stance, Stances) {
			return invalid("positions", "stance %s is not one of supports, conditional, undecided, opposes, red-line, unknown", jsonString(string(p.Stance)))
		}
		if err := checkBlock("positions", "A position note", p.Note, MaxNote, false); err != nil {
			return err
		}
	}
	if c.Likelihood != LikelihoodNone && !enumCheck(c.Likelihood, Likelihoods) {
		return invalid("likelihood", "likelihood %s is not an ICD 203 term", jsonString(string(c.Likelihood)))
	}
	if c.Confidence != ConfidenceNone && !enumCheck(c.Confidence, Confidences) {
		return invalid("confidence", "confidence %s is not low, moderate or high", jsonString(string(c.Confidence)))
	}
	if err := checkTLP("tlp", c.TLP); err != nil {
		return err
	}
	if len(c.Links) > MaxLinks {
		return invalid("links", "a card can carry at most %d links", MaxLinks)
	}
	for _, l := range c.Links {
		if err := checkID("links", "Linked card", l.To); err != nil {
			return err
		}
		if l.To == c.ID {
			return invalid("links", "a card cannot link to itself")
		}
		if err := checkText("links", "A link type", l.Type, MaxTag, true); err != nil {
			return err
		}
	}
	return checkExtra(c.Extra)
}

// Validate checks a source.
func (s *Source) Validate() error {
	if err := checkID("id", "Source id", s.ID); err != nil {
		return err
	}
	if err := checkText("title", "The source title", s.Title, MaxTitle, true); err != nil {
		return err
	}
	if err := checkText("origin", "The origin", s.Origin, MaxTitle*4, false); err != nil {
		return err
	}
	if strings.Contains(s.Origin, "://") {
		if _, err := url.Parse(strings.TrimSpace(s.Origin)); err != nil {
			return invalid("origin", "the origin looks like an address but is not a valid URL")
		}
	}
	if s.InfoDate != "" && !validInfoDate(s.InfoDate) {
		if datelike(s.InfoDate) {
			return invalid("infoDate", "the date of the information %s is not a real date", jsonString(s.InfoDate))
		}
		return invalid("infoDate", "the date of the information must be YYYY, YYYY-MM or YYYY-MM-DD, not %s", jsonString(s.InfoDate))
	}
	if err := s.Grade.Validate(); err != nil {
		return invalid("grade", "%v", err)
	}
	if err := checkBlock("notes", "The notes", s.Notes, MaxBody, false); err != nil {
		return err
	}
	return checkTLP("tlp", s.TLP)
}

// datelike reports whether s has the shape of YYYY-MM or YYYY-MM-DD,
// real date or not ("2025-13-45").
func datelike(s string) bool {
	if len(s) != 7 && len(s) != 10 {
		return false
	}
	for i, r := range s {
		if (i == 4 || i == 7) != (r == '-') || r != '-' && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func validInfoDate(s string) bool {
	for _, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// Validate checks an annotation.
func (a *Annotation) Validate() error {
	if err := checkID("id", "Annotation id", a.ID); err != nil {
		return err
	}
	if err := checkID("card", "Card id", a.Card); err != nil {
		return err
	}
	if err := checkText("author", "The author", a.Author, MaxName, false); err != nil {
		return err
	}
	if !enumCheck(a.Kind, AnnotationKinds) {
		return invalid("kind", "annotation kind %s is not comment, question, caveat or judgment", jsonString(string(a.Kind)))
	}
	if err := checkBlock("text", "The annotation", a.Text, MaxBody, true); err != nil {
		return err
	}
	return checkTLP("tlp", a.TLP)
}

// Validate checks the analyst profile.
func (p *Profile) Validate() error {
	if err := checkText("name", "The analyst's name", p.Name, MaxName, false); err != nil {
		return err
	}
	return checkText("initials", "The initials", p.Initials, 8, false)
}

// IsKeyJudgment reports whether the card is a key judgment.
func (c *Card) IsKeyJudgment() bool { return c.Kind == KindJudgment }

// HasTag reports whether the card carries the tag, ignoring case.
func (c *Card) HasTag(tag string) bool {
	for _, t := range c.Tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}
