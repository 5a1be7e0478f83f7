package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"briefboard/workspace"
)

func TestCardView_Markup(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	at := time.Date(2025, 12, 28, 9, 0, 0, 0, time.UTC)
	c := &workspace.Card{Base: workspace.Base{ID: "card1"}, Title: "Moscow unlikely to accept the Florida revisions as drafted, say officials in Kyiv",
		Kind: workspace.KindJudgment, Likelihood: workspace.LikelihoodLikely, Confidence: workspace.ConfidenceModerate,
		TLP: workspace.TLPAmberStrict, Tags: []string{"russia-feedback", "київ", "sequencing"}, CreatedAt: at, UpdatedAt: at}
	f := cardFacts{Open: 2, Cited: true, Grade: workspace.Grade{Reliability: "D", Credibility: 3}, Parties: []partyDot{
		{Short: "US", Stance: workspace.StanceSupports, Has: true},
		{Short: "UA", Stance: workspace.StanceConditional, Has: true},
		{Short: "RU", Stance: workspace.StanceRedLine, Has: true},
		{Short: "EU"},
	}}
	cv := NewCardView()
	cv.SetCard(c, f, true)
	w := test.NewTempWindow(t, cv)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(260, cardHeight()))
	test.AssertRendersToMarkup(t, "card_judgment.xml", w.Canvas())

	// A plain note without sources or positions, not selected.
	c2 := &workspace.Card{Base: workspace.Base{ID: "card2"}, Title: "Note", Kind: workspace.KindNote, TLP: workspace.TLPRed}
	cv.SetCard(c2, cardFacts{}, false)
	test.AssertRendersToMarkup(t, "card_note.xml", w.Canvas())
}

func TestBoard_Markup(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	mw.win.Resize(fyne.NewSize(1280, 800))
	test.AssertObjectRendersToMarkup(t, "board_demo.xml", mw.board.root)
}
