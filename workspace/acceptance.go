package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"
)

// Acceptance is an analyst's acceptance of a tradecraft finding on a card,
// with the reason: the finding is listed apart from the open ones while
// the card reads as it did when it was accepted, and raised again once its
// text changes. It is a record like any other: it travels in share files
// and merges, and it is at least as restricted as its card (DESIGN.md 4a).
// There is one per card and rule; its id is the rule's.
type Acceptance struct {
	Base
	Card string `json:"card"`
	// Field is the card's field the finding concerned, for people.
	Field  string    `json:"field,omitempty"`
	Reason string    `json:"reason"`
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at"`
	// Digest is CardDigest of the card when the finding was accepted.
	Digest string `json:"digest"`
	TLP    TLP    `json:"tlp"`
}

// Rule returns the id of the rule whose finding was accepted.
func (a *Acceptance) Rule() string { return a.ID }

// Validate checks an acceptance.
func (a *Acceptance) Validate() error {
	if err := checkID("id", "Rule id", a.ID); err != nil {
		return err
	}
	if err := checkID("card", "Card id", a.Card); err != nil {
		return err
	}
	if err := checkText("field", "The field", a.Field, MaxTag, false); err != nil {
		return err
	}
	if err := checkText("reason", "The reason", a.Reason, MaxNote, true); err != nil {
		return err
	}
	if err := checkText("by", "Who accepted it", a.By, MaxName, false); err != nil {
		return err
	}
	if b, err := hex.DecodeString(a.Digest); err != nil || len(b) != sha256.Size {
		return invalid("digest", "the card digest %s is not a SHA-256 in hex", jsonString(a.Digest))
	}
	return checkTLP("tlp", a.TLP)
}

// CardDigest is a hash of what a card says: its title, body, kind, tags,
// likelihood, confidence and citations. An accepted finding is raised
// again when it changes.
func CardDigest(c *Card) string {
	b, _ := json.Marshal(struct {
		Title, Body            string
		Kind                   Kind
		Tags                   []string
		Likelihood, Confidence string
		Citations              []Citation
	}{c.Title, c.Body, c.Kind, c.Tags, string(c.Likelihood), string(c.Confidence), c.Citations})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func acceptanceKey(card, rule string) []byte { return []byte(prefixAcceptance + card + "/" + rule) }

// Acceptance returns the acceptance of a rule's finding on a card, deleted
// or not.
func (tx *Tx) Acceptance(card, rule string) (*Acceptance, error) {
	var a Acceptance
	if err := tx.get(acceptanceKey(card, rule), &a); err != nil {
		return nil, fmt.Errorf("acceptance of %s on card %s: %w", rule, card, ErrNotFound)
	}
	return &a, nil
}

// PutAcceptance creates or updates an acceptance.
func (tx *Tx) PutAcceptance(a *Acceptance) error {
	old, err := tx.Acceptance(a.Card, a.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if !tx.merging && !a.Deleted {
		if _, err := tx.LiveCard(a.Card); err != nil {
			return invalid("card", "card %s does not exist", a.Card)
		}
	}
	return tx.put(nilIfNil(old), a)
}

// AcceptFinding accepts the finding of a rule on a card, with a reason, in
// one action: it holds while the card reads as it does now.
func (s *Store) AcceptFinding(card, rule, field, reason string) (*Acceptance, error) {
	var a *Acceptance
	_, err := s.Do("Accept finding", func(tx *Tx) error {
		c, err := tx.LiveCard(card)
		if err != nil {
			return err
		}
		a, err = tx.Acceptance(card, rule)
		if err != nil {
			a = &Acceptance{Base: Base{ID: rule}, Card: card}
		}
		a.Deleted = false
		a.Field, a.Reason, a.By, a.At, a.Digest = field, strings.TrimSpace(reason), tx.author, tx.at, CardDigest(c)
		return tx.PutAcceptance(a)
	})
	return a, err
}

// ReopenFinding withdraws the acceptance of a rule's finding on a card.
func (s *Store) ReopenFinding(card, rule string) error {
	_, err := s.Do("Reopen finding", func(tx *Tx) error {
		a, err := tx.Acceptance(card, rule)
		if err != nil || a.Deleted {
			return fmt.Errorf("no accepted finding of %s on card %s: %w", rule, card, ErrNotFound)
		}
		a.Deleted = true
		return tx.PutAcceptance(a)
	})
	return err
}

// Accepted returns the acceptance of a rule's finding on a card when it
// still holds: the card reads as it did when it was accepted. Nil when
// there is none, or the card changed since (the finding is raised again).
func (s *Snapshot) Accepted(card, rule string) *Acceptance {
	c := s.Cards[card]
	if c == nil {
		return nil
	}
	for _, a := range s.Acceptances[card] {
		if a.ID == rule && a.Digest == CardDigest(c) {
			return a
		}
	}
	return nil
}

// buildAcceptances works out the acceptances of the live cards, by card,
// in rule order.
func (s *Snapshot) buildAcceptances() {
	s.Acceptances = map[string][]*Acceptance{}
	for _, a := range s.accs {
		if s.Cards[a.Card] != nil {
			s.Acceptances[a.Card] = append(s.Acceptances[a.Card], a)
		}
	}
	for _, as := range s.Acceptances {
		sort.Slice(as, func(i, j int) bool { return as[i].ID < as[j].ID })
	}
}

// putAcceptance files an acceptance, as put does the other kinds; it
// reports false for a record of another kind.
func (s *Snapshot) putAcceptance(r Record) bool {
	a, ok := r.(*Acceptance)
	if !ok {
		return false
	}
	key := KeyOf(a)
	if a.Deleted {
		delete(s.accs, key)
		delete(s.records, key)
		return true
	}
	s.accs[key] = a
	s.records[key] = a
	return true
}

// acceptancesOn lists the keys of the acceptances on a card.
func (s *Snapshot) acceptancesOn(card string) []string {
	var out []string
	for key, a := range s.accs {
		if a.Card == card {
			out = append(out, key)
		}
	}
	return out
}

func cloneAccs(m map[string]*Acceptance) map[string]*Acceptance { return maps.Clone(m) }
