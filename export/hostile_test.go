package export_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefboard/export"
	"briefboard/workspace"
)

// hostileTexts are card texts that have broken PDF writers.
var hostileTexts = []string{
	"Deal agreed 🎉🇺🇦 👍🏽 ✅ done",
	"Check ✓ ✔ ✗ stars ★☆ warning ⚠",
	"שלום עולם and العربية لغة in one line",
	"Mixed: Київ, Zürich, Łódź, Ærø, İstanbul, Ελλάδα",
	strings.Repeat("Longwordwithoutanyspaces", 20),
	"zero\u200bwidth, word\u2060joiner and soft\u00adhyphen",
}

// hostileWorkspace is the demo with cards full of emoji, right-to-left
// text, check marks, 10,000-character bodies, very long words and empty
// fields.
func hostileWorkspace(t *testing.T) *workspace.Snapshot {
	t.Helper()
	st := mustCreate(t, "three-pillars")
	snap := mustSnapshot(t, st)
	board := snap.Boards[0].ID
	long := strings.Repeat("The parties restated their positions at length 🎉 and with reservations. ", 140)[:10000]
	word := strings.Repeat("Unbrokenwordwithoutanyspace", 120)
	err := st.UpdateMeta("Rename", func(m *workspace.Meta) error {
		m.Title = strings.Repeat("A very long workspace title 🎉 שלום ", 12)
		m.Parties = append(m.Parties, workspace.Party{ID: "il", Name: "ישראל ✓", Short: "🇮🇱"})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	red := workspace.TLPRed
	_, err = st.Do("Hostile cards", func(tx *workspace.Tx) error {
		for i, s := range append(hostileTexts, long, word, "x") {
			c, err := tx.AddCard(workspace.CardDraft{Board: board, Title: "Hostile " + firstRunes(strings.Repeat(s, 1+i%2), 400) + " end",
				Body: s, Kind: workspace.KindJudgment, Tags: []string{"🎉", "שלום"}, TLP: &red})
			if err != nil {
				return err
			}
			if _, err := tx.UpdateCard(c.ID, func(c *workspace.Card) error {
				c.Positions = map[string]workspace.Position{"il": {Stance: workspace.StanceRedLine, Note: firstRunes(s, 3000)}}
				c.Likelihood = workspace.LikelihoodAlmostNoChance
				return nil
			}); err != nil {
				return err
			}
			a := &workspace.Annotation{Base: workspace.Base{ID: workspace.NewID()}, Card: c.ID, Author: "אנליסט 🎉", Kind: workspace.AnnCaveat, Text: s + " .", TLP: red}
			if err := tx.PutAnnotation(a); err != nil {
				return err
			}
		}
		src := &workspace.Source{Base: workspace.Base{ID: workspace.NewID()}, Title: "مصدر ✓ 🎉", Origin: firstRunes(word, 1500), TLP: red}
		return tx.PutSource(src)
	})
	if err != nil {
		t.Fatal(err)
	}
	return mustSnapshot(t, st)
}

func TestBrief_HostileContent(t *testing.T) {
	snap := hostileWorkspace(t)
	for _, paper := range []string{"a4", "letter"} {
		pdf := brief(t, snap, export.Options{Paper: paper})
		text := strings.Join(pdfText(t, pdf), " ")
		for _, want := range []string{"✓", "★", "Київ", "Łódź", "\uFFFD"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q does not extract", paper, want)
			}
		}
		if !strings.ContainsAny(text, "שלוםעולם") {
			t.Errorf("%s: no Hebrew letter extracts", paper)
		}
		f := filepath.Join(t.TempDir(), "h.pdf")
		os.WriteFile(f, pdf, 0o644)
		fonts, err := exec.Command("pdffonts", f).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(fonts), "utf8fallback") {
			t.Errorf("%s: the fallback font is not embedded:\n%s", paper, fonts)
		}
		var md bytes.Buffer
		if err := export.Markdown(&md, snap, export.Options{Date: pinned}); err != nil {
			t.Fatal(err)
		}
	}
}

// fuzzSnapshot builds a small snapshot around fuzzed text, without a store.
func fuzzSnapshot(title, body, note string, grade byte) *workspace.Snapshot {
	at := time.Date(2025, 12, 28, 0, 0, 0, 0, time.UTC)
	b := &workspace.Board{Base: workspace.Base{ID: "b1"}, Title: title, Purpose: body, Order: "V"}
	l := &workspace.Lane{Base: workspace.Base{ID: "l1"}, Board: "b1", Name: note, Order: "V"}
	g := workspace.Grade{Reliability: workspace.Reliability(string(rune('A' + grade%7))), Credibility: workspace.Credibility(grade % 7)}
	src := &workspace.Source{Base: workspace.Base{ID: "s1"}, Title: note, Origin: body, InfoDate: title, Grade: g, TLP: workspace.TLP(grade % 5), Notes: body}
	c := &workspace.Card{Base: workspace.Base{ID: "c1"}, Board: "b1", Lane: "l1", Order: "V", Title: title, Body: body,
		Kind: workspace.KindJudgment, Tags: []string{note, title}, TLP: workspace.TLP(grade % 5),
		Citations:  []workspace.Citation{{Source: "s1", Quote: note}, {Source: "missing", Quote: body}},
		Positions:  map[string]workspace.Position{"p1": {Stance: workspace.Stance(note), Note: body}, note: {Stance: workspace.StanceOpposes}},
		Likelihood: workspace.Likelihood(note), Confidence: workspace.Confidence(title),
		Links: []workspace.Link{{To: "c2", Type: note}}}
	c2 := &workspace.Card{Base: workspace.Base{ID: "c2"}, Board: "b1", Lane: "l1", Order: "W", Title: body, Kind: workspace.Kind(note), TLP: workspace.TLPRed}
	return &workspace.Snapshot{
		Meta:        workspace.Meta{Title: title, Subtitle: body, Parties: []workspace.Party{{ID: "p1", Name: note, Short: title}}},
		Profile:     workspace.Profile{Name: note},
		Boards:      []*workspace.Board{b},
		Lanes:       map[string][]*workspace.Lane{"b1": {l}},
		LaneCards:   map[string][]*workspace.Card{"l1": {c, c2}},
		Cards:       map[string]*workspace.Card{"c1": c, "c2": c2},
		Sources:     []*workspace.Source{src},
		SourceByID:  map[string]*workspace.Source{"s1": src},
		Annotations: map[string][]*workspace.Annotation{"c1": {{Base: workspace.Base{ID: "a1"}, Card: "c1", Author: title, Text: body, At: at}}},
	}
}

// FuzzBrief lays out fuzzed text: the brief must come out, whatever the
// text, with no error and no panic.
func FuzzBrief(f *testing.F) {
	for _, s := range hostileTexts {
		f.Add(s, s, s, byte(3))
	}
	f.Add("", "", "", byte(0))
	f.Add("Title", strings.Repeat("body ", 500), "note", byte(9))
	f.Add("\xff\xfe", "\x00\x01", "\U0010FFFF", byte(255))
	f.Fuzz(func(t *testing.T, title, body, note string, grade byte) {
		snap := fuzzSnapshot(title, body, note, grade)
		for _, paper := range []string{"a4", "letter"} {
			var b bytes.Buffer
			if err := export.Brief(&b, snap, export.Options{Date: pinned, Paper: paper}); err != nil {
				t.Fatalf("Brief: %v", err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
				t.Fatal("not a PDF")
			}
		}
		if err := export.Markdown(&bytes.Buffer{}, snap, export.Options{Date: pinned}); err != nil {
			t.Fatalf("Markdown: %v", err)
		}
	})
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}
