package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
	"briefboard/workspace/check"
)

// demoFindings runs the checks on the store as the window does: the whole
// workspace, for today.
func demoFindings(t *testing.T, s *workspace.Store) (open, accepted []check.Finding) {
	t.Helper()
	snap := snapOf(t, s)
	fs, err := check.Run(snap, check.Options{Date: today()})
	if err != nil {
		t.Fatal(err)
	}
	return check.Split(snap, fs)
}

// openChecks opens the Checks panel with its keyboard shortcut.
func openChecks(t *testing.T, mw *MainWindow) *checksPanel {
	t.Helper()
	press(mw, key(fyne.KeyK, ctrl|shift))
	if !mw.checks.shown || !mw.checks.root.Visible() {
		t.Fatal("Ctrl+Shift+K did not open the Checks panel")
	}
	return mw.checks
}

// panelFindings lists the findings the panel shows, open and accepted, as
// "rule card".
func panelFindings(p *checksPanel) (open, accepted []string) {
	for _, r := range p.rows {
		if r.f == nil {
			continue
		}
		if r.f.Accepted != nil {
			accepted = append(accepted, r.f.Rule+" "+r.f.Card)
		} else {
			open = append(open, r.f.Rule+" "+r.f.Card)
		}
	}
	return open, accepted
}

func ids(fs []check.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Card)
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rowOf finds the panel's row of a finding.
func rowOf(t *testing.T, p *checksPanel, rule, card string) int {
	t.Helper()
	for i, r := range p.rows {
		if r.f != nil && r.f.Rule == rule && r.f.Card == card {
			return i
		}
	}
	t.Fatalf("the panel does not list %s on %s", rule, card)
	return -1
}

// shownTexts collects the texts of the labels the panel draws.
func shownTexts(p *checksPanel) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(p.root)
	return out
}

func TestChecks_PanelListsTheDemosFindingsGroupedByRule(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	open, accepted := demoFindings(t, s)
	if len(open) == 0 || check.Errors(open) != 0 {
		t.Fatalf("the demo has %d open findings, %d errors: want warnings only", len(open), check.Errors(open))
	}
	if got, want := mw.checks.btn.Text, fmt.Sprintf("Checks: %d", len(open)); got != want {
		t.Fatalf("toolbar says %q, want %q", got, want)
	}
	p := openChecks(t, mw)
	gotOpen, gotAcc := panelFindings(p)
	if strings.Join(gotOpen, "\n") != strings.Join(ids(open), "\n") || len(gotAcc) != len(accepted) {
		t.Fatalf("panel lists\n%s\nwant\n%s", strings.Join(gotOpen, "\n"), strings.Join(ids(open), "\n"))
	}
	// Each rule's findings follow its heading, which names the rule, its
	// severity and its count.
	rule := ""
	for _, r := range p.rows {
		if r.f == nil {
			rule = strings.Fields(r.heading)[0]
			continue
		}
		if r.f.Rule != rule {
			t.Fatalf("%s on %s listed under %q", r.f.Rule, r.f.Card, rule)
		}
	}
	n := 0
	for _, f := range open {
		if f.Rule == check.RuleHedge {
			n++
		}
	}
	want := fmt.Sprintf("hedge · warning · %d", n)
	if !hasHeading(p, want) {
		t.Fatalf("no heading %q", want)
	}
	// The list draws the first rows: a heading, a card's title and its
	// message.
	texts := strings.Join(shownTexts(p), "\n")
	first := p.rows[1].f
	for _, w := range []string{p.rows[0].heading, workspace.ShortTitle(first.Title, 60), first.Message, "Accept…"} {
		if !strings.Contains(texts, w) {
			t.Fatalf("the panel does not show %q; it shows:\n%s", w, texts)
		}
	}
	// The shortcut closes it again.
	press(mw, key(fyne.KeyK, ctrl|shift))
	if p.root.Visible() {
		t.Fatal("Ctrl+Shift+K left the panel open")
	}
}

func hasHeading(p *checksPanel, h string) bool {
	for _, r := range p.rows {
		if r.f == nil && r.heading == h {
			return true
		}
	}
	return false
}

func TestChecks_ClickSelectsTheCardAndFocusesTheField(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	p := openChecks(t, mw)
	inBody := cardByTitle(t, s, "Moscow unlikely to accept")
	inTitle := cardByTitle(t, s, "Unhedged: concessions")
	single := cardByTitle(t, s, "Ushakov: Moscow will decide")
	d := mw.detail
	for _, c := range []struct {
		rule, card string
		field      fyne.Focusable
		tab        string
	}{
		{check.RuleHedge, inBody.ID, d.body, "Card"},
		{check.RuleHedge, inTitle.ID, d.title, "Card"},
		{check.RuleSingleSource, single.ID, nil, "Sources"},
	} {
		p.list.Select(rowOf(t, p, c.rule, c.card))
		if mw.selected != c.card {
			t.Fatalf("%s: selected %q, want %s", c.rule, mw.selected, c.card)
		}
		if d.card == nil || d.card.ID != c.card {
			t.Fatalf("%s: the detail pane does not show the card", c.rule)
		}
		if got := d.tabs.Selected().Text; !strings.HasPrefix(got, c.tab) {
			t.Fatalf("%s: tab %q, want %q", c.rule, got, c.tab)
		}
		focused := mw.win.Canvas().Focused()
		want := c.field
		if want == nil {
			// A citation's quote.
			want = d.sources.cards[0].quote
		}
		if focused != want {
			t.Fatalf("%s on %s: focus on %T, want the field %q", c.rule, c.card, focused, c.tab)
		}
		if got := viewOf(t, mw, c.card); !got.selected {
			t.Fatalf("%s: the card is not selected on the board", c.rule)
		}
	}
}

func TestChecks_AcceptRecordsAnAcceptanceAndReopenWithdrawsIt(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	p := openChecks(t, mw)
	card := cardByTitle(t, s, "Unhedged: concessions").ID
	open, _ := demoFindings(t, s)
	entries := journalLen(t, s)

	// A reason is required.
	f := p.rows[rowOf(t, p, check.RuleHedge, card)].f
	p.askAccept(f)
	p.lastAccept.Submit()
	if journalLen(t, s) != entries || snapOf(t, s).Accepted(card, check.RuleHedge) != nil {
		t.Fatal("Accept without a reason recorded an acceptance")
	}
	p.lastAccept.Hide()

	// The row's button asks for it.
	test.Tap(rowButton(t, p, rowOf(t, p, check.RuleHedge, card), "Accept…"))
	p.acceptReason.SetText("The title quotes the analyst's own hedge on purpose")
	p.lastAccept.Submit()
	a := snapOf(t, s).Accepted(card, check.RuleHedge)
	if a == nil || a.Reason != "The title quotes the analyst's own hedge on purpose" || a.By != "Olena Test" || a.Field != "title" {
		t.Fatalf("acceptance read back: %+v", a)
	}
	if journalLen(t, s) != entries+1 || lastAction(t, s) != "Accept finding" {
		t.Fatalf("accepting made %d actions, the last %q", journalLen(t, s)-entries, lastAction(t, s))
	}
	gotOpen, gotAcc := panelFindings(p)
	if has(gotOpen, check.RuleHedge+" "+card) || !has(gotAcc, check.RuleHedge+" "+card) {
		t.Fatalf("the finding did not move to accepted: open %v, accepted %v", gotOpen, gotAcc)
	}
	if !hasHeading(p, "Accepted (1)") || mw.checks.btn.Text != fmt.Sprintf("Checks: %d", len(open)-1) {
		t.Fatalf("toolbar %q, headings without Accepted (1)", mw.checks.btn.Text)
	}
	row := p.rows[rowOf(t, p, check.RuleHedge, card)]
	if row.f.Accepted == nil || !strings.Contains(row.f.Accepted.Reason, "on purpose") {
		t.Fatalf("accepted row %+v", row.f)
	}

	// One action: Undo takes it back.
	mw.undo()
	if snapOf(t, s).Accepted(card, check.RuleHedge) != nil {
		t.Fatal("Undo left the acceptance")
	}
	if gotOpen, _ := panelFindings(p); !has(gotOpen, check.RuleHedge+" "+card) {
		t.Fatal("after Undo the finding is not open again")
	}
	mw.redo()
	if _, gotAcc := panelFindings(p); !has(gotAcc, check.RuleHedge+" "+card) {
		t.Fatal("after Redo the finding is not accepted again")
	}

	// Reopen withdraws it.
	test.Tap(rowButton(t, p, rowOf(t, p, check.RuleHedge, card), "Reopen"))
	if snapOf(t, s).Accepted(card, check.RuleHedge) != nil || lastAction(t, s) != "Reopen finding" {
		t.Fatalf("Reopen left the acceptance (last action %q)", lastAction(t, s))
	}
	if gotOpen, gotAcc := panelFindings(p); !has(gotOpen, check.RuleHedge+" "+card) || len(gotAcc) != 0 {
		t.Fatalf("after Reopen: open %v, accepted %v", gotOpen, gotAcc)
	}
}

// rowButton scrolls the panel to a row and returns its button, checking
// its label.
func rowButton(t *testing.T, p *checksPanel, row int, label string) *widget.Button {
	t.Helper()
	p.list.ScrollTo(row)
	o := test.WidgetRenderer(p.list)
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *fyne.Container:
			if l, ok := w.Layout.(*checkRowLayout); ok {
				if l.v.row == row && l.v.btn.Visible() {
					found = l.v.btn
				}
				return
			}
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	for _, c := range o.Objects() {
		walk(c)
	}
	if found == nil || found.Text != label {
		t.Fatalf("row %d has no button %q", row, label)
	}
	return found
}

func TestChecks_AnEditThatFixesAFindingRemovesItAndErrorsMarkTheCard(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	p := openChecks(t, mw)
	card := cardByTitle(t, s, "Moscow unlikely to accept")
	open, _ := demoFindings(t, s)
	rowOf(t, p, check.RuleHedge, card.ID)

	// The body's "could" goes: the hedge goes from the panel.
	if _, err := s.UpdateCard(card.ID, "Edit card", func(c *workspace.Card) error {
		c.Body = strings.ReplaceAll(c.Body, "could", "will")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := panelFindings(p); has(got, check.RuleHedge+" "+card.ID) {
		t.Fatal("the hedge fixed is still listed")
	}
	if now, _ := demoFindings(t, s); len(now) != len(open)-1 || mw.checks.btn.Text != fmt.Sprintf("Checks: %d", len(now)) {
		t.Fatalf("toolbar %q after the fix; the checks find %d (were %d)", mw.checks.btn.Text, len(now), len(open))
	}
	if mw.wholeReads != 0 {
		t.Fatalf("the window read the workspace whole %d times", mw.wholeReads)
	}

	// Without a likelihood the judgment has an error: the card is marked
	// and the toolbar says so.
	mw.selectCard(card.ID)
	if viewOf(t, mw, card.ID).openErrors(card.ID) != 0 || markShown(t, mw, card.ID) {
		t.Fatal("a card without open errors is marked")
	}
	if _, err := s.UpdateCard(card.ID, "Edit card", func(c *workspace.Card) error {
		c.Likelihood = workspace.LikelihoodNone
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rowOf(t, p, check.RuleLikelihoodMissing, card.ID)
	if !markShown(t, mw, card.ID) {
		t.Fatal("the card with an open error is not marked")
	}
	if !strings.Contains(mw.checks.btn.Text, "(1 error)") {
		t.Fatalf("toolbar %q", mw.checks.btn.Text)
	}
	mw.undo()
	if markShown(t, mw, card.ID) {
		t.Fatal("the mark stayed after Undo")
	}
	if got, _ := panelFindings(p); has(got, check.RuleLikelihoodMissing+" "+card.ID) {
		t.Fatal("the error stayed in the panel after Undo")
	}
}

// markShown says whether a card on the board draws its mark of open
// errors.
func markShown(t *testing.T, mw *MainWindow, id string) bool {
	t.Helper()
	r := test.WidgetRenderer(viewOf(t, mw, id)).(*cardRenderer)
	for _, o := range r.Objects() {
		if o == r.errMark {
			return r.errMark.Visible()
		}
	}
	return false
}

// openFindingsOf runs the checks as the export dialog's choices ask, on
// the store as it is now, and returns the open findings.
func openFindingsOf(t *testing.T, s *workspace.Store, e *exportPDF) []check.Finding {
	t.Helper()
	o, err := e.options()
	if err != nil {
		t.Fatal(err)
	}
	capped, err := snapOf(t, s).Capped(o.MaxTLP)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := check.Run(capped, check.Options{Date: o.Date, Boards: o.Boards, Lanes: o.Lanes})
	if err != nil {
		t.Fatal(err)
	}
	open, _ := check.Split(capped, fs)
	return open
}

func TestChecks_ExportDialogCountsOpenFindingsAndOpensThePanel(t *testing.T) {
	s := winStore(t)
	mw := winOpen(t, s)
	menuItem(t, mw, "Export PDF brief…").Action()
	e := mw.checks.lastExport
	if e == nil {
		t.Fatal("no export dialog")
	}
	open := openFindingsOf(t, s, e)
	want := fmt.Sprintf("0 errors and %d warnings open", len(open))
	if len(open) == 0 || !strings.Contains(e.findings.label.Text, want) {
		t.Fatalf("the dialog says %q, want %q", e.findings.label.Text, want)
	}
	if e.exportBtn.Disabled() || e.exportBtn.Text != "Export" {
		t.Fatalf("with warnings open the button reads %q (disabled %v)", e.exportBtn.Text, e.exportBtn.Disabled())
	}
	// Fewer lanes, fewer findings.
	e.lanes.SetSelected(e.lanes.Options[:1])
	if strings.Contains(e.findings.label.Text, want) {
		t.Fatalf("the count did not follow the lanes chosen: %q", e.findings.label.Text)
	}
	if !e.findings.show.Visible() {
		t.Fatal("no Show checks button")
	}
	test.Tap(e.findings.show)
	if !mw.checks.shown || !mw.checks.root.Visible() {
		t.Fatal("Show checks did not open the panel")
	}

	// With an error open, Export says it exports anyway.
	card := cardByTitle(t, s, "Moscow unlikely to accept")
	if _, err := s.UpdateCard(card.ID, "Edit card", func(c *workspace.Card) error {
		c.Confidence = workspace.ConfidenceNone
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	menuItem(t, mw, "Export PDF brief…").Action()
	e = mw.checks.lastExport
	e.tlp.SetSelected(noCap)
	if !strings.Contains(e.findings.label.Text, "1 error and") || e.exportBtn.Text != "Export anyway" || e.exportBtn.Disabled() {
		t.Fatalf("with an error open the dialog says %q and the button %q", e.findings.label.Text, e.exportBtn.Text)
	}
}

// BenchmarkChecks_RefreshAfterEditAt10000 measures the Checks panel after
// one edit in the benchmark workspace of 10,000 cards, the panel open: a
// key judgment that cards support is retitled, so its supporters are
// checked again too. Panel is the panel's own work (the findings brought
// up to date, the marks worked out again, the count and the list); Edit is
// the whole edit, from the store to the redrawn window, panel included.
func BenchmarkChecks_RefreshAfterEditAt10000(b *testing.B) {
	mw, s, _ := bigWindow(b)
	p := mw.checks
	p.open()
	if p.index == nil {
		b.Fatal("the findings were not made")
	}
	judgment := ""
	for _, c := range mw.snap.Cards {
		if c.IsKeyJudgment() && len(mw.snap.Backlinks(c.ID)) > 0 {
			judgment = c.ID
			break
		}
	}
	if judgment == "" {
		b.Fatal("no key judgment with backlinks")
	}
	var last *workspace.Entry
	stop := s.OnChange(func(e *workspace.Entry) { last = e })
	defer stop()
	// Each edit gets a title of its own: an edit that changes nothing
	// makes no entry.
	edits := 0
	retitle := func() *workspace.Entry {
		edits++
		i := edits
		if _, err := s.UpdateCard(judgment, "Edit card", func(c *workspace.Card) error {
			c.Title = fmt.Sprintf("Talks likely resume, take %d", i)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		return last
	}
	b.Run("Edit", func(b *testing.B) {
		measureCPU(b, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				retitle()
			}
		})
		open, _ := p.index.Count()
		b.ReportMetric(float64(open), "open")
	})
	b.Run("Panel", func(b *testing.B) {
		// The window stops following the store: the benchmark hands the
		// panel each entry itself, and times the panel alone.
		mw.live.stop()
		var cpu time.Duration
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			e := retitle()
			snap, err := mw.snap.Apply(e)
			if err != nil {
				b.Fatal(err)
			}
			mw.snap = snap
			cards := map[string]bool{}
			start := cpuClock()
			b.StartTimer()
			p.apply([]*workspace.Entry{e}, cards)
			b.StopTimer()
			cpu += cpuClock() - start
		}
		b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
		if got := p.index.Snapshot().Cards[judgment].Title; got != fmt.Sprintf("Talks likely resume, take %d", edits) {
			b.Fatalf("the findings are of a card titled %q", got)
		}
	})
}

// A large workspace is checked in the background; the count comes when
// the findings do, and follows edits after.
func TestChecks_LargeWorkspaceIsCheckedInTheBackground(t *testing.T) {
	s := winStore(t)
	seedCards(t, s, bigIndex+100)
	mw := winOpen(t, s)
	settle(mw)
	open, _ := demoFindings(t, s)
	if mw.checks.index == nil || mw.checks.building != nil {
		t.Fatal("the findings of a large workspace were not made")
	}
	if got, want := mw.checks.btn.Text, fmt.Sprintf("Checks: %d", len(open)); got != want {
		t.Fatalf("toolbar %q, want %q", got, want)
	}
	card := cardByTitle(t, s, "Generated card 7 ")
	if _, err := s.UpdateCard(card.ID, "Edit card", func(c *workspace.Card) error {
		c.Kind = workspace.KindFact
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	p := openChecks(t, mw)
	rowOf(t, p, check.RuleUncited, card.ID)
	if got, want := mw.checks.btn.Text, fmt.Sprintf("Checks: %d", len(open)+1); got != want {
		t.Fatalf("toolbar %q after the edit, want %q", got, want)
	}
}

// Above bigChecks cards the export dialog counts its findings in the
// background: it says it is counting, then shows the count for the
// choices made last, whatever order the counts end in.
func TestChecks_ExportDialogCountsABigWorkspaceInTheBackground(t *testing.T) {
	l := newUILoop(t)
	test.NewTempApp(t)
	s := winStore(t)
	seedCards(t, s, bigChecks)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	e, err := newExportPDF(w, s, "a4")
	if err != nil {
		t.Fatal(err)
	}
	counting := func() bool { return strings.Contains(e.findings.label.Text, "counting") }
	if !counting() {
		t.Fatalf("at %d cards the dialog says %q at once", len(e.snap.Cards), e.findings.label.Text)
	}
	l.until(t, "the count", func() bool { return !counting() })
	want := func() string {
		t.Helper()
		open := openFindingsOf(t, s, e)
		return fmt.Sprintf("%s and %s open", plural(check.Errors(open), "error", "errors"),
			plural(len(open)-check.Errors(open), "warning", "warnings"))
	}
	all := want()
	if !strings.Contains(e.findings.label.Text, all) {
		t.Fatalf("the dialog says %q, want %q", e.findings.label.Text, all)
	}
	// Two changes in a row: the count shown is the last one's.
	e.lanes.SetSelected(e.lanes.Options[:1])
	one := want()
	if one == all {
		t.Fatal("one lane has as many findings as all: the test proves nothing")
	}
	e.lanes.SetSelected(e.lanes.Options)
	l.until(t, "the counts", func() bool { return !counting() })
	l.run(200*time.Millisecond, nil)
	if !strings.Contains(e.findings.label.Text, all) {
		t.Fatalf("after choosing one lane and then all again the dialog says %q, want %q", e.findings.label.Text, all)
	}
}
