package workspace_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"briefboard/workspace"
)

// refusedInLines are characters no title, tag or name may hold: samples of
// C0, DEL and C1, and every bidirectional embedding, override and isolate.
var refusedInLines = []rune{0x00, 0x07, '\t', '\n', '\r', 0x1b, 0x7f, 0x85, 0x9b,
	0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029}

func TestValidate_OneLineTextRefusesControlAndDirectionCharacters(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	lane := snap.Lanes[b.ID][0]
	card := snap.BoardCards(b.ID)[0]
	src := snap.Sources[0]
	fields := []struct {
		name, field, label string
		set                func(text string) error
	}{
		{"card title", "title", "The card title", func(text string) error {
			_, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: text})
			return err
		}},
		{"tag", "tags", "A tag", func(text string) error {
			_, err := s.UpdateCard(card.ID, "Edit tags", func(c *workspace.Card) error {
				c.Tags = []string{"fine", text}
				return nil
			})
			return err
		}},
		{"source title", "title", "The source title", func(text string) error {
			return s.UpdateSource(src.ID, func(x *workspace.Source) error {
				x.Title = text
				return nil
			})
		}},
		{"lane name", "name", "The lane name", func(text string) error { return s.RenameLane(lane.ID, text) }},
		{"board title", "title", "The board title", func(text string) error {
			_, err := s.AddBoard(text, "")
			return err
		}},
		{"workspace title", "title", "The workspace title", func(text string) error {
			return s.UpdateMeta("Edit workspace settings", func(m *workspace.Meta) error {
				m.Title = text
				return nil
			})
		}},
	}
	before := mustSnapshot(t, s)
	for _, f := range fields {
		// A positive control: the same field takes plain text in any script.
		if err := f.set("Київ الرياض 北京 — fine"); err != nil {
			t.Fatalf("%s: plain text refused: %v", f.name, err)
		}
		for _, r := range refusedInLines {
			text := "ab" + string(r) + "cd"
			err := f.set(text)
			if !errors.Is(err, workspace.ErrInvalid) {
				t.Errorf("%s with U+%04X: err %v, want a validation error", f.name, r, err)
				continue
			}
			if got := workspace.FieldOf(err); got != f.field {
				t.Errorf("%s with U+%04X: field %q, want %q", f.name, r, got, f.field)
			}
			want := fmt.Sprintf("%s contains %s at character 3.", f.label, workspace.CharName(r))
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%s with U+%04X: message %q, want it to start %q", f.name, r, err, want)
			}
			if strings.ContainsAny(err.Error(), "\n\r\t\x1b") || strings.ContainsRune(err.Error(), r) {
				t.Errorf("%s with U+%04X: the message holds the character itself: %q", f.name, r, err)
			}
		}
	}
	after := mustSnapshot(t, s)
	if len(after.Boards) != len(before.Boards)+1 || len(after.Cards) != len(before.Cards)+1 {
		t.Fatalf("a refused action left something behind: %d boards, %d cards", len(after.Boards), len(after.Cards))
	}
}

func TestValidate_BlocksKeepLineBreaksAndTabsOnly(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	b := snap.Boards[0]
	body := "First line\n\tindented line, שלום and Київ\n"
	c, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: "Body test", Body: body})
	if err != nil {
		t.Fatalf("a body with line breaks and a tab was refused: %v", err)
	}
	if got := mustSnapshot(t, s).Cards[c.ID].Body; got != body {
		t.Fatalf("body stored as %q, want %q", got, body)
	}
	for _, r := range []rune{0x00, 0x07, '\r', 0x1b, 0x7f, 0x85, 0x9b, 0x202a, 0x202e, 0x2066, 0x2069} {
		_, err := s.UpdateCard(c.ID, "Edit card body", func(c *workspace.Card) error {
			c.Body = "one\ntw" + string(r) + "o"
			return nil
		})
		want := fmt.Sprintf("The card body contains %s at line 2, character 3.", workspace.CharName(r))
		if workspace.FieldOf(err) != "body" || err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("body with U+%04X: err %v, want one starting %q", r, err, want)
		}
		_, err = s.AddAnnotation(c.ID, workspace.AnnComment, "x"+string(r)+"y", nil)
		if workspace.FieldOf(err) != "text" {
			t.Errorf("annotation with U+%04X: err %v, want a refusal of the text", r, err)
		}
	}
	if got := mustSnapshot(t, s).Cards[c.ID].Body; got != body {
		t.Fatalf("a refused body changed the card: %q", got)
	}
}

func TestCharName_NamesWhatItIs(t *testing.T) {
	for r, want := range map[rune]string{
		0x202e: "a right-to-left override (U+202E)",
		'\t':   "a tab (U+0009)",
		0x07:   "a control character (U+0007)",
		0x9b:   "a control sequence introducer (U+009B)",
	} {
		if got := workspace.CharName(r); got != want {
			t.Errorf("CharName(U+%04X) = %q, want %q", r, got, want)
		}
	}
}

func TestSource_InfoDateThatIsNoDateSaysSo(t *testing.T) {
	s := mustOpenStore(t)
	for date, want := range map[string]string{
		"2025-13-45": `the date of the information "2025-13-45" is not a real date`,
		"2025-02-30": `the date of the information "2025-02-30" is not a real date`,
		"late 2025":  `must be YYYY, YYYY-MM or YYYY-MM-DD, not "late 2025"`,
	} {
		_, err := s.AddSource(workspace.Source{Title: "x", InfoDate: date}, true)
		if workspace.FieldOf(err) != "infoDate" || !strings.Contains(err.Error(), want) {
			t.Errorf("date %q: %v, want %q", date, err, want)
		}
	}
	if _, err := s.AddSource(workspace.Source{Title: "x", InfoDate: "2024-02-29"}, true); err != nil {
		t.Fatalf("a real date was refused: %v", err)
	}
}
