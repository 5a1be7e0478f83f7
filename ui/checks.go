package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/export"
	"briefboard/workspace"
	"briefboard/workspace/check"
)

// The Checks panel lists what the tradecraft checks find in the
// workspace (package check): estimative language, sourcing, markings and
// open questions, grouped by rule, open findings first and accepted ones
// apart. It sits under the board, opened from the toolbar, whose button
// counts the open findings; cards with open errors carry a mark on the
// board. The findings are kept in a check.Index that each journal entry
// the window applies brings up to date, checking again only the cards the
// entry can have touched.

// checksPanelHeight is the height of the panel under the board.
const checksPanelHeight = 260

// checksPanel is the Checks panel and the findings it shows.
type checksPanel struct {
	mw   *MainWindow
	root *fyne.Container
	// btn is the toolbar's button, with the count of open findings.
	btn     *widget.Button
	heading *widget.Label
	list    *widget.List
	rows    []checkRow
	shown   bool

	// index holds the findings of the window's snapshot; nil while it is
	// built in the background (building) or no workspace is open.
	index    *check.Index
	building *checksBuild
	// err says why the checks could not run.
	err error
	// day is the brief's date the findings were made for: today.
	day time.Time
	// marked lists the cards with open errors, as the board marks them.
	marked map[string]bool

	// lastAccept is the last Accept dialog opened, and acceptReason its
	// field, for tests.
	lastAccept   *dialog.FormDialog
	acceptReason *widget.Entry
	// lastExport is the last Export PDF dialog opened, for tests.
	lastExport *exportPDF
}

// checksBuild is an index being built in the background from one
// snapshot; since collects the entries applied meanwhile.
type checksBuild struct {
	snap  *workspace.Snapshot
	since []*workspace.Entry
}

// checkRow is a line of the panel: a heading (f nil) or a finding.
type checkRow struct {
	heading, note string
	f             *check.Finding
}

func newChecksPanel(mw *MainWindow) *checksPanel {
	p := &checksPanel{mw: mw, marked: map[string]bool{}}
	p.heading = widget.NewLabelWithStyle("Checks", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.heading.Truncation = fyne.TextTruncateEllipsis
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), p.toggle)
	closeBtn.Importance = widget.LowImportance
	p.list = widget.NewList(func() int { return len(p.rows) }, newCheckRowView, p.bindRow)
	p.list.OnSelected = func(id widget.ListItemID) {
		p.list.UnselectAll()
		if id < len(p.rows) && p.rows[id].f != nil {
			p.reveal(p.rows[id].f)
		}
	}
	top := container.NewBorder(nil, nil, nil, closeBtn, p.heading)
	body := container.NewBorder(container.NewVBox(widget.NewSeparator(), top), nil, nil, nil, p.list)
	p.root = container.New(&fixedHeightLayout{height: checksPanelHeight}, body)
	p.root.Hide()
	return p
}

// install puts the panel's button into the toolbar and its entry into the
// Workspace menu.
func (p *checksPanel) install() {
	p.btn = p.mw.toolbar.addFeature("Checks", theme.ConfirmIcon(), p.toggle)
	p.mw.menu.addFeature(item("Tradecraft checks", key(fyne.KeyK, ctrl|shift), p.toggle))
	p.mw.menu.rebuild()
}

// toggle opens the panel, or closes it.
func (p *checksPanel) toggle() {
	if p.shown {
		p.shown = false
		p.root.Hide()
		relayout(p.root)
		return
	}
	p.open()
}

// open shows the panel.
func (p *checksPanel) open() {
	if p.mw.store == nil {
		return
	}
	p.mw.flushEdits()
	p.shown = true
	p.root.Show()
	relayout(p.root)
	p.refresh()
}

// today is the brief's date the window checks for: today, as the command
// line's check takes it by default.
func today() time.Time {
	now := time.Now()
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// reset checks the window's snapshot whole: a workspace opened or read
// again. A large workspace is checked in the background.
func (p *checksPanel) reset() {
	mw := p.mw
	p.index, p.building, p.err = nil, nil, nil
	if mw.snap == nil {
		p.refresh()
		return
	}
	p.day = today()
	opts := check.Options{Date: p.day}
	if len(mw.snap.Cards) <= bigIndex || mw.live == nil {
		x, err := check.NewIndex(mw.snap, opts)
		if err != nil {
			p.failed(err)
			return
		}
		p.index = x
		p.markedChanged()
		p.refresh()
		return
	}
	b := &checksBuild{snap: mw.snap}
	p.building = b
	f := mw.live
	p.refresh()
	mw.background(func() {
		x, err := check.NewIndex(b.snap, opts)
		onUI(func() {
			if p.building != b || mw.live != f || mw.winClosed {
				return
			}
			p.building = nil
			if err == nil && len(b.since) > 0 {
				err = x.Update(mw.snap, check.TouchedBy(b.since...))
			}
			if err != nil {
				p.failed(err)
				return
			}
			p.index = x
			p.markedChanged()
			p.refresh()
			mw.redraw()
		})
	})
}

// apply brings the findings up to the window's snapshot after a run of
// journal entries, and adds to cards those whose mark on the board
// changed, for the board to draw them again.
func (p *checksPanel) apply(run []*workspace.Entry, cards map[string]bool) {
	if p.building != nil {
		p.building.since = append(p.building.since, run...)
		return
	}
	if p.index == nil {
		return
	}
	if !today().Equal(p.day) {
		// A new day: sources may have gone stale.
		p.reset()
		return
	}
	if err := p.index.Update(p.mw.snap, check.TouchedBy(run...)); err != nil {
		p.failed(err)
	}
	for id := range p.markedChanged() {
		cards[id] = true
	}
	p.refresh()
}

// failed shows why the checks could not run; the next whole read tries
// again.
func (p *checksPanel) failed(err error) {
	p.index, p.err = nil, err
	p.refresh()
}

// markedChanged works out the cards with open errors again and returns
// those that gained or lost the mark.
func (p *checksPanel) markedChanged() map[string]bool {
	now := map[string]bool{}
	if p.index != nil {
		for i, r := range check.Rules {
			if r.Severity != check.Error {
				continue
			}
			for _, f := range p.index.Open(i) {
				now[f.Card] = true
			}
		}
	}
	changed := map[string]bool{}
	for id := range now {
		if !p.marked[id] {
			changed[id] = true
		}
	}
	for id := range p.marked {
		if !now[id] {
			changed[id] = true
		}
	}
	p.marked = now
	return changed
}

// errorsOn counts the open errors on a card, for its mark on the board.
func (p *checksPanel) errorsOn(card string) int {
	if p.index == nil {
		return 0
	}
	n := 0
	for _, f := range p.index.Of(card) {
		if f.Severity == check.Error && f.Accepted == nil {
			n++
		}
	}
	return n
}

// refresh shows the count in the toolbar and, when the panel is open,
// lists the findings again.
func (p *checksPanel) refresh() {
	if p.btn != nil {
		p.updateButton()
	}
	if !p.shown {
		return
	}
	p.rows = p.rows[:0]
	switch {
	case p.building != nil:
		showLabel(p.heading, "Checks: checking the workspace…", p.heading.TextStyle, p.heading.Importance)
	case p.err != nil:
		showLabel(p.heading, "Checks: the checks could not run: "+workspace.Printable(p.err.Error()),
			p.heading.TextStyle, p.heading.Importance)
	case p.index == nil:
		showLabel(p.heading, "Checks", p.heading.TextStyle, p.heading.Importance)
	default:
		open, errs := p.index.Count()
		accepted := 0
		for i := range check.Rules {
			accepted += len(p.index.Accepted(i))
		}
		showLabel(p.heading, fmt.Sprintf("Checks: %s and %s open, %d accepted — click a finding to go to its card",
			plural(errs, "error", "errors"), plural(open-errs, "warning", "warnings"), accepted), p.heading.TextStyle, p.heading.Importance)
		p.addGroups(p.index.Open, "")
		if accepted > 0 {
			p.rows = append(p.rows, checkRow{heading: fmt.Sprintf("Accepted (%d)", accepted),
				note: "Raised again when the card's text changes"})
			p.addGroups(p.index.Accepted, "Accepted · ")
		}
		if open == 0 && accepted == 0 {
			p.rows = append(p.rows, checkRow{heading: "No findings", note: "Nothing in this workspace for the checks to raise"})
		}
	}
	p.list.Refresh()
}

// addGroups adds a heading and the findings of each rule that has any,
// errors first.
func (p *checksPanel) addGroups(of func(int) []*check.Finding, prefix string) {
	for _, sev := range []check.Severity{check.Error, check.Warning} {
		for i, r := range check.Rules {
			fs := of(i)
			if r.Severity != sev || len(fs) == 0 {
				continue
			}
			p.rows = append(p.rows, checkRow{heading: fmt.Sprintf("%s%s · %s · %d", prefix, r.ID, r.Severity, len(fs)), note: r.Summary})
			for _, f := range fs {
				p.rows = append(p.rows, checkRow{f: f})
			}
		}
	}
}

// updateButton shows the count of open findings in the toolbar.
func (p *checksPanel) updateButton() {
	text, imp := "Checks", widget.LowImportance
	if p.index != nil {
		open, errs := p.index.Count()
		text = fmt.Sprintf("Checks: %d", open)
		if errs > 0 {
			text = fmt.Sprintf("Checks: %d (%s)", open, plural(errs, "error", "errors"))
			imp = widget.WarningImportance
		}
	}
	if p.btn.Text != text || p.btn.Importance != imp {
		p.btn.Importance = imp
		p.btn.SetText(text)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// checkRowView is the template of a line: an icon, the card's title (or a
// rule's heading), the message and a button.
type checkRowView struct {
	// row is the line shown.
	row   int
	icon  *widget.Icon
	title *widget.Label
	msg   *widget.Label
	btn   *widget.Button
}

func newCheckRowView() fyne.CanvasObject {
	v := &checkRowView{icon: widget.NewIcon(nil), title: widget.NewLabel(""), msg: widget.NewLabel(""),
		btn: widget.NewButton("Accept…", nil)}
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.msg.Truncation = fyne.TextTruncateEllipsis
	v.btn.Importance = widget.LowImportance
	return container.New(&checkRowLayout{v: v}, v.icon, v.title, v.msg, v.btn)
}

func (p *checksPanel) bindRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(p.rows) {
		return
	}
	v := o.(*fyne.Container).Layout.(*checkRowLayout).v
	v.row = id
	row := p.rows[id]
	if row.f == nil {
		v.icon.Hide()
		v.btn.Hide()
		showLabel(v.title, row.heading, fyne.TextStyle{Bold: true}, widget.MediumImportance)
		showLabel(v.msg, row.note, fyne.TextStyle{}, widget.LowImportance)
		return
	}
	f := row.f
	v.icon.Show()
	v.btn.Show()
	if f.Severity == check.Error {
		v.icon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
	} else {
		v.icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	}
	showLabel(v.title, workspace.ShortTitle(workspace.Printable(f.Title), 60), fyne.TextStyle{}, widget.MediumImportance)
	msg, imp := workspace.Printable(f.Message), widget.MediumImportance
	if a := f.Accepted; a != nil {
		by := a.By
		if by == "" {
			by = "someone"
		}
		msg = fmt.Sprintf("Accepted by %s: %s", workspace.Printable(by), workspace.Printable(oneLineText(a.Reason)))
		imp = widget.LowImportance
		v.btn.SetText("Reopen")
		v.btn.OnTapped = func() { p.reopen(f) }
	} else {
		v.btn.SetText("Accept…")
		v.btn.OnTapped = func() { p.askAccept(f) }
	}
	showLabel(v.msg, msg, fyne.TextStyle{}, imp)
}

// showLabel shows a text in a label, drawing it again only when it
// changed: fitting a text to its width is the costly part of a refresh.
func showLabel(l *widget.Label, text string, style fyne.TextStyle, imp widget.Importance) {
	if l.Text == text && l.TextStyle == style && l.Importance == imp {
		return
	}
	l.TextStyle, l.Importance = style, imp
	l.SetText(text)
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkRowLayout lays a line out: the icon, the title in a third of the
// width, the message in the rest, the button on the right.
type checkRowLayout struct{ v *checkRowView }

func (l *checkRowLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	h := max(l.v.title.MinSize().Height, l.v.btn.MinSize().Height)
	return fyne.NewSize(300, h)
}

func (l *checkRowLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	v, pad := l.v, theme.Padding()
	x := float32(0)
	iconW := theme.IconInlineSize()
	if v.icon.Visible() {
		v.icon.Move(fyne.NewPos(pad, (size.Height-iconW)/2))
		v.icon.Resize(fyne.NewSize(iconW, iconW))
		x = iconW + pad
	}
	right := size.Width
	if v.btn.Visible() {
		bw := v.btn.MinSize().Width
		right -= bw
		v.btn.Move(fyne.NewPos(right, 0))
		v.btn.Resize(fyne.NewSize(bw, size.Height))
	}
	titleW := (right - x) / 3
	if !v.icon.Visible() {
		titleW = (right - x) * 2 / 5
	}
	v.title.Move(fyne.NewPos(x, 0))
	v.title.Resize(fyne.NewSize(titleW, size.Height))
	v.msg.Move(fyne.NewPos(x+titleW, 0))
	v.msg.Resize(fyne.NewSize(max(right-x-titleW, 0), size.Height))
}

// fixedHeightLayout gives its content the whole width and a fixed height.
type fixedHeightLayout struct{ height float32 }

func (l *fixedHeightLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, l.height)
}

func (l *fixedHeightLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// reveal selects a finding's card and puts the cursor in the field the
// finding concerns.
func (p *checksPanel) reveal(f *check.Finding) {
	mw := p.mw
	if mw.snap == nil || mw.snap.Cards[f.Card] == nil {
		return
	}
	c := mw.snap.Cards[f.Card]
	if mw.view == viewBoard && c.Board != mw.boardID {
		mw.showBoard(c.Board)
	}
	mw.selectCard(f.Card)
	mw.showDetail()
	d := mw.detail
	var focus fyne.Focusable
	tab := d.tabCard
	switch f.Field {
	case "title":
		focus = d.title
	case "body":
		focus = d.body
	case "likelihood":
		focus = d.likelihood
	case "confidence":
		focus = d.confidence
	case "tlp":
		focus = d.tlp
	case "citations":
		// The first citation without a quote, or the first.
		tab = d.tabSources
		for _, r := range d.sources.cards {
			if focus == nil || strings.TrimSpace(r.quote.Text) == "" {
				focus = r.quote
			}
			if strings.TrimSpace(r.quote.Text) == "" {
				break
			}
		}
	case "annotations":
		tab = d.tabThread
		focus = d.thread.text
	}
	d.tabs.Select(tab)
	if focus != nil {
		mw.win.Canvas().Focus(focus)
	}
}

// askAccept asks why a finding stands and records its acceptance, one
// action, as `briefboard check accept` does.
func (p *checksPanel) askAccept(f *check.Finding) {
	mw := p.mw
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder("Why the finding stands, for the reviewer")
	reason.Wrapping = fyne.TextWrapWord
	reason.SetMinRowsVisible(3)
	reason.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("say why the finding stands")
		}
		return nil
	}
	intro := widget.NewLabel(fmt.Sprintf("%s on “%s”: %s\n\nAn accepted finding is listed apart until the card's text changes.",
		f.Rule, workspace.ShortTitle(workspace.Printable(f.Title), 60), workspace.Printable(f.Message)))
	intro.Wrapping = fyne.TextWrapWord
	card, rule, field := f.Card, f.Rule, f.Field
	d := dialog.NewForm("Accept finding", "Accept", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", intro),
		widget.NewFormItem("Reason", reason),
	}, func(ok bool) {
		if !ok {
			return
		}
		mw.act(func() error {
			_, err := mw.store.AcceptFinding(card, rule, field, reason.Text)
			return err
		})
	}, mw.win)
	d.Resize(fyne.NewSize(560, 0))
	p.lastAccept, p.acceptReason = d, reason
	d.Show()
	mw.win.Canvas().Focus(reason)
}

// reopen withdraws a finding's acceptance.
func (p *checksPanel) reopen(f *check.Finding) {
	card, rule := f.Card, f.Rule
	p.mw.act(func() error { return p.mw.store.ReopenFinding(card, rule) })
}

// exportChecks is the line of the Export PDF dialog that counts the open
// findings in what the brief holds, with a button that opens the Checks
// panel.
type exportChecks struct {
	label *widget.Label
	show  *widget.Button
	root  fyne.CanvasObject
	// key is the choices the count was made for; open and errors the
	// count.
	key          string
	open, errors int
	// gen numbers the counts asked for: a background count shows only if
	// it is still the last.
	gen int
}

func newExportChecks(e *exportPDF) *exportChecks {
	x := &exportChecks{label: widget.NewLabel("")}
	x.label.Wrapping = fyne.TextWrapWord
	x.show = widget.NewButtonWithIcon("Show checks", theme.ConfirmIcon(), func() {
		if e.showChecks != nil {
			e.dlg.Hide()
			e.showChecks()
		}
	})
	x.show.Hide()
	x.root = container.NewBorder(nil, nil, nil, container.NewCenter(x.show), x.label)
	return x
}

// bigChecks is the number of cards above which the export dialog counts
// its findings in the background: at 10,000 cards a count takes 80–150 ms.
const bigChecks = 1500

// update counts the open findings of a brief made with the options, unless
// they are those last counted. A large workspace is counted in the
// background, and only the count for the choices made last is shown.
func (x *exportChecks) update(e *exportPDF, o export.Options) {
	tlp := "all"
	if o.MaxTLP != nil {
		tlp = o.MaxTLP.String()
	}
	key := fmt.Sprint(o.Boards, o.Lanes, tlp, o.Date.Format("2006-01-02"))
	if key == x.key {
		return
	}
	x.key = key
	x.gen++
	snap := e.snap
	if len(snap.Cards) <= bigChecks {
		open, errs, err := countFindings(snap, o)
		x.apply(e, open, errs, err)
		return
	}
	gen := x.gen
	x.label.SetText("Checks: counting the open findings in what this brief holds…")
	x.show.Hide()
	go func() {
		open, errs, err := countFindings(snap, o)
		onUI(func() {
			if gen == x.gen {
				x.apply(e, open, errs, err)
			}
		})
	}()
}

// countFindings counts the open findings, and the errors among them, of a
// brief made from the snapshot with the options.
func countFindings(snap *workspace.Snapshot, o export.Options) (open, errs int, err error) {
	capped, err := snap.Capped(o.MaxTLP)
	if err != nil {
		return 0, 0, err
	}
	fs, err := check.Run(capped, check.Options{Date: o.Date, Boards: o.Boards, Lanes: o.Lanes})
	if err != nil {
		return 0, 0, err
	}
	list, _ := check.Split(capped, fs)
	return len(list), check.Errors(list), nil
}

// apply shows a count.
func (x *exportChecks) apply(e *exportPDF, open, errs int, err error) {
	if err != nil {
		x.open, x.errors = 0, 0
		e.exportBtn.SetText("Export")
		x.label.SetText("The checks could not run: " + workspace.Printable(err.Error()))
		x.show.Hide()
		return
	}
	x.open, x.errors = open, errs
	// With errors open, the button says what it does.
	label := "Export"
	if x.errors > 0 {
		label = "Export anyway"
	}
	if e.exportBtn.Text != label {
		e.exportBtn.SetText(label)
	}
	if x.open == 0 {
		x.label.SetText("Checks: no open findings in what this brief holds.")
		x.show.Hide()
		return
	}
	x.label.SetText(fmt.Sprintf("Checks: %s and %s open in what this brief holds. Look at them first, or export anyway.",
		plural(x.errors, "error", "errors"), plural(x.open-x.errors, "warning", "warnings")))
	if e.showChecks != nil {
		x.show.Show()
	}
}

// showExportPDF opens the Export PDF dialog with its count of open
// findings and the way to the Checks panel.
func (mw *MainWindow) showExportPDF() {
	e, err := newExportPDF(mw.win, mw.store, paper(mw.app))
	if err != nil {
		dialog.ShowError(err, mw.win)
		return
	}
	e.showChecks = mw.checks.open
	if e.findings.open > 0 {
		e.findings.show.Show()
	}
	mw.checks.lastExport = e
	e.dlg.Show()
}
