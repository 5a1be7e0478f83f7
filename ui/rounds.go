package ui

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/export"
	"briefboard/workspace"
)

// Round to round in the window (DESIGN.md 5): cards changed since the
// last recorded brief carry a change bar, the detail pane says what
// changed, Find can show only them, the export dialog says which brief the
// new one follows, and Workspace › Recorded briefs… lists the briefs. What
// changed is the workspace's own comparison (Snapshot.ChangesSince), the
// same as `briefboard changes --since last` without a cap.

// bigChanges is the number of cards above which the changes are worked
// out in the background: the window shows the last result meanwhile. The
// comparison costs about 6 ms per 1,000 cards (BenchmarkRounds_Changes10000),
// paid again after every action, as large a pause as the search index
// built at once below bigIndex.
const bigChanges = bigIndex

// roundsView is what the window keeps of the changes since the last
// brief: the result for one snapshot, worked out again when the window's
// snapshot moves on.
type roundsView struct {
	// snap is the snapshot ch was worked out from, of the store live
	// follows; ch is nil when no brief is recorded.
	snap *workspace.Snapshot
	live *follower
	ch   *workspace.Changes
	// computing is the snapshot whose changes are being worked out in the
	// background.
	computing *workspace.Snapshot
	// briefs is the Recorded briefs dialog while it is open.
	briefs *briefsDialog
}

// changesSinceLast works out what changed since the brief recorded last
// without a cap, in that brief's scope: nil when there is none.
func changesSinceLast(snap *workspace.Snapshot) (*workspace.Changes, error) {
	rb := snap.LastBrief(nil)
	if rb == nil {
		return nil, nil
	}
	return snap.ChangesSince(workspace.BriefBaseline(rb), rb.Spec(nil))
}

// sinceBrief returns the changes since the last brief for the window's
// snapshot. A small workspace works them out at once; a large one in the
// background, showing the last result of the same workspace meanwhile and
// drawing again when the new one lands.
func (mw *MainWindow) sinceBrief() *workspace.Changes {
	r := &mw.rounds
	snap := mw.snap
	if snap == nil || mw.live == nil {
		return nil
	}
	if r.snap == snap && r.live == mw.live {
		return r.ch
	}
	if len(snap.Cards) <= bigChanges || snap.LastBrief(nil) == nil {
		r.snap, r.live, r.ch = snap, mw.live, mustChanges(snap)
		return r.ch
	}
	// One comparison at a time: actions that come meanwhile are compared
	// once, with the snapshot they led to, when it lands.
	if r.computing == nil {
		r.computing = snap
		f := mw.live
		mw.background(func() {
			ch := mustChanges(snap)
			onUI(func() { mw.changesLanded(f, snap, ch) })
		})
	}
	if r.live != mw.live {
		return nil
	}
	return r.ch
}

// mustChanges is changesSinceLast with a failure shown as no changes: an
// uncapped comparison fails only on a workspace that cannot be read, which
// the window says elsewhere.
func mustChanges(snap *workspace.Snapshot) *workspace.Changes {
	ch, err := changesSinceLast(snap)
	if err != nil {
		return nil
	}
	return ch
}

// changesLanded takes the changes worked out in the background and draws
// again the cards whose changes differ from those shown, or works them out
// again for a snapshot that came meanwhile.
func (mw *MainWindow) changesLanded(f *follower, snap *workspace.Snapshot, ch *workspace.Changes) {
	r := &mw.rounds
	r.computing = nil
	if mw.winClosed {
		return
	}
	if mw.live != f {
		mw.sinceBrief() // the window shows another workspace now
		return
	}
	var old *workspace.Changes
	if r.live == f {
		old = r.ch
	}
	r.snap, r.live, r.ch = snap, f, ch
	if mw.snap != snap {
		mw.sinceBrief()
		return
	}
	differ := differentCards(old, ch)
	if len(differ) == 0 && sameBaseline(old, ch) {
		return
	}
	if mw.find.active() && mw.find.sinceBrief.Checked {
		mw.find.apply()
	}
	if !sameBaseline(old, ch) || mw.view != viewBoard || mw.currentBoard() == nil || len(differ) > bigEntry {
		mw.redraw()
		return
	}
	lanes := map[string]bool{}
	for id := range differ {
		if c := snap.Cards[id]; c != nil {
			lanes[c.Lane] = true
		}
	}
	mw.board.updateLanes(lanes)
	mw.sidebar.refreshCounts()
	if differ[mw.selected] {
		mw.detail.bind(snap.Cards[mw.selected])
	}
	mw.updateStatus()
}

// sameBaseline reports whether two results compare with the same brief.
func sameBaseline(a, b *workspace.Changes) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Since.Brief.ID == b.Since.Brief.ID
}

// differentCards lists the cards whose changes differ between two
// results.
func differentCards(a, b *workspace.Changes) map[string]bool {
	byCard := func(ch *workspace.Changes) map[string][]workspace.CardChange {
		m := map[string][]workspace.CardChange{}
		if ch != nil {
			for _, c := range ch.List {
				m[c.Card] = append(m[c.Card], c)
			}
		}
		return m
	}
	ga, gb := byCard(a), byCard(b)
	out := map[string]bool{}
	for id, la := range ga {
		if lb, ok := gb[id]; !ok || !slices.Equal(la, lb) {
			out[id] = true
		}
	}
	for id := range gb {
		if _, ok := ga[id]; !ok {
			out[id] = true
		}
	}
	return out
}

// cardChanged reports whether a card changed since the last brief.
func (mw *MainWindow) cardChanged(id string) bool { return mw.sinceBrief().Changed(id) }

// roundsRedrawn follows the window's snapshot in the Recorded briefs
// dialog; redraw calls it.
func (mw *MainWindow) roundsRedrawn() {
	if d := mw.rounds.briefs; d != nil && d.snap != mw.snap {
		d.fill()
	}
}

// installRounds puts the round-to-round entries into the Workspace menu.
func (mw *MainWindow) installRounds() {
	mw.menu.addFeature(item("Recorded briefs…", nil, func() {
		if mw.store != nil {
			mw.showBriefs()
		}
	}))
	mw.menu.addFeature(item("Show cards changed since the last brief", nil, func() {
		if mw.store == nil {
			return
		}
		mw.find.open(true)
		mw.find.sinceBrief.SetChecked(true)
	}))
}

// The filter of Find.

// changedFilterLabel names the Find filter.
const changedFilterLabel = "Changed since the last brief"

// newChangedFilter is Find's "Changed since the last brief" filter.
func newChangedFilter(f *findBar) *widget.Check {
	return widget.NewCheck(changedFilterLabel, func(bool) { f.changed() })
}

// narrowToChanged keeps, of Find's matches, the cards changed since the
// last brief when the filter is set, and counts them.
func (f *findBar) narrowToChanged() {
	if !f.sinceBrief.Checked {
		return
	}
	if _, set := f.query(); set && f.mw.index == nil {
		return // the index is being built: Find counts "Indexing…"
	}
	snap := f.mw.snap
	ch := f.mw.sinceBrief()
	out := map[string]bool{}
	here := 0
	if ch != nil {
		for _, c := range ch.List {
			card := snap.Cards[c.Card]
			if card == nil || out[c.Card] || (f.matches != nil && !f.matches[c.Card]) {
				continue
			}
			out[c.Card] = true
			if card.Board == f.mw.boardID {
				here++
			}
		}
	}
	f.matches = out
	switch {
	case ch == nil:
		f.count.SetText("No brief is recorded yet")
	case f.mw.view == viewBoard && f.mw.boardID != "":
		f.count.SetText(fmt.Sprintf("%d on this board · %d changed in all", here, len(out)))
	default:
		f.count.SetText(fmt.Sprintf("%d of %d cards changed", len(out), len(snap.Cards)))
	}
	f.sinceBrief.Text = changedFilterLabel
	if ch != nil {
		f.sinceBrief.Text += " (" + ch.Since.Brief.Date + ")"
	}
	f.sinceBrief.Refresh()
}

// The change bar of a card.

// newChangeBar is the bar a changed card carries at its right edge, as a
// changed card in the brief carries one in the margin.
func newChangeBar() *canvas.Rectangle {
	r := canvas.NewRectangle(theme.Color(theme.ColorNameWarning))
	r.CornerRadius = 2
	return r
}

// layoutChangeBar places the change bar along the card's right edge.
func layoutChangeBar(bar *canvas.Rectangle, size fyne.Size) {
	bar.FillColor = theme.Color(theme.ColorNameWarning)
	bar.Move(fyne.NewPos(size.Width-4, 6))
	bar.Resize(fyne.NewSize(3, size.Height-12))
}

// What changed, for the detail pane.

// newChangesNote is the detail pane's line of what changed since the last
// brief; hidden for a card that did not change.
func newChangesNote() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	l.Hide()
	return l
}

// showChanges says in the detail pane what changed on a card since the
// last brief.
func (d *detailPane) showChanges(c *workspace.Card) {
	ch := d.mw.sinceBrief()
	list := ch.Of(c.ID)
	if len(list) == 0 {
		if setShown(d.changes, false) {
			relayout(d.form)
		}
		return
	}
	since := "the brief of " + ch.Since.Brief.Date
	text := "New since " + since
	if list[0].Change != workspace.ChangeAdded {
		lines := []string{"Changed since " + since + ":"}
		for _, x := range list {
			lines = append(lines, changeLine(d.mw.snap, x))
		}
		text = strings.Join(lines, "\n")
	}
	d.changes.SetText(text)
	if setShown(d.changes, true) {
		relayout(d.form)
	}
}

// changeLine says one change of a card for people: "Moved: Bracketed →
// Agreed".
func changeLine(snap *workspace.Snapshot, c workspace.CardChange) string {
	p := workspace.Printable
	switch c.Change {
	case workspace.ChangeAdded:
		return "New: not in that brief"
	case workspace.ChangeRemoved:
		return "Not in what that brief covered any more (it was in " + p(c.From) + " › " + p(c.FromLane) + ")"
	case workspace.ChangeMoved:
		if c.Field == "board" {
			return "Moved: " + p(c.From) + " › " + p(c.FromLane) + " → " + p(c.To) + " › " + p(c.ToLane)
		}
		return "Moved: " + p(c.From) + " → " + p(c.To)
	case workspace.ChangePosition:
		party := c.Party
		if pt := snap.Party(c.Party); pt != nil {
			party = pt.Name
		}
		stance := func(s string) string {
			if s == "" {
				return "none"
			}
			return workspace.Stance(s).Label()
		}
		return "Position of " + p(party) + ": " + stance(c.From) + " → " + stance(c.To)
	case workspace.ChangeJudgment:
		if c.Field == "likelihood" {
			l := func(s string) string {
				if s == "" {
					return "none"
				}
				return workspace.Likelihood(s).Label()
			}
			return "Likelihood: " + l(c.From) + " → " + l(c.To)
		}
		return "Confidence: " + orNone(c.From) + " → " + orNone(c.To)
	case workspace.ChangeEdited:
		switch c.Field {
		case "title":
			return "Title edited: “" + p(c.From) + "” → “" + p(c.To) + "”"
		case "body":
			return "Body edited"
		case "annotations":
			return "Open annotations: " + c.From + " → " + c.To
		}
		return "Edited"
	case workspace.ChangeMarking:
		return "Marking: " + tlpWordLabel(c.From) + " → " + tlpWordLabel(c.To)
	}
	return string(c.Change)
}

// tlpWordLabel writes a LEVEL word as its label: "amber" is TLP:AMBER.
func tlpWordLabel(w string) string {
	t, err := workspace.ParseTLP(w)
	if err != nil {
		return w
	}
	return t.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// The export dialog.

// followsText says which recorded brief a brief at cap follows: the one
// its "Changes since" section compares with.
func followsText(snap *workspace.Snapshot, cap *workspace.TLP, draft bool) string {
	rb := snap.LastBrief(cap)
	var s string
	if rb == nil {
		s = "The first brief "
		if cap == nil {
			s += "without a cap"
		} else {
			s += "capped at " + cap.String()
		}
		s += ": it lists no changes"
		if len(snap.Briefs) > 0 {
			// Briefs follow the last one at the same cap, whose readers
			// saw what it printed.
			last := snap.Briefs[0]
			s += " (the last brief, of " + last.Date + ", had "
			if last.Cap == nil {
				s += "no cap)"
			} else {
				s += "the cap " + last.Cap.String() + ")"
			}
		}
		s += "."
	} else {
		s = "Follows the brief of " + rb.Date
		if by := workspace.Printable(rb.By); by != "" {
			s += " issued by " + by
		}
		s += " (recorded " + rb.Recorded.Local().Format("2 Jan 2006 15:04") + "): it says what changed since."
	}
	if draft {
		s += " A draft is not recorded: the next brief does not follow it."
	}
	return s
}

// newDraftCheck is the export dialog's Draft choice.
func newDraftCheck(onChanged func()) *widget.Check {
	return widget.NewCheck("Draft: do not record this brief", func(bool) { onChanged() })
}

// writeBrief writes the brief of the workspace as it is now, with what
// changed since the brief recorded last at its cap, and records it unless
// it is a draft, as `briefboard export pdf` does. It returns the workspace
// as it is afterwards.
func writeBrief(s *workspace.Store, path string, opts export.Options, draft bool) (*workspace.Snapshot, error) {
	snap, err := s.Snapshot()
	if err != nil {
		return nil, fmt.Errorf("read the workspace: %w", err)
	}
	if rb := snap.LastBrief(opts.MaxTLP); rb != nil {
		opts.Since = workspace.BriefBaseline(rb)
	}
	if err := export.WriteFile(path, func(w io.Writer) error { return export.Brief(w, snap, opts) }); err != nil {
		return nil, err
	}
	if draft {
		return snap, nil
	}
	rb, err := export.BriefRecord(snap, opts)
	if err == nil {
		err = s.RecordBrief(rb)
	}
	if err != nil {
		return nil, &notRecorded{path: path, err: err}
	}
	return s.Snapshot()
}

// notRecorded is the error of a brief that was written but could not be
// recorded: the file is there, and the next brief will not follow it.
type notRecorded struct {
	path string
	err  error
}

func (e *notRecorded) Error() string {
	return fmt.Sprintf("the brief is written to %s but could not be recorded: %v", e.path, e.err)
}

func (e *notRecorded) Unwrap() error { return e.err }

// updateFollows says which brief the one being exported follows.
func (e *exportPDF) updateFollows() {
	cap, err := e.caps.cap()
	if err != nil {
		e.follows.SetText("")
		return
	}
	e.follows.SetText(followsText(e.snap, cap, e.draft.Checked))
}

// recordedNote ends the line that says where a brief was saved: whether
// it was recorded.
func (e *exportPDF) recordedNote() string {
	if e.draft.Checked {
		return " (a draft: not recorded)"
	}
	return "; recorded: the next brief at this cap follows it"
}

// The Recorded briefs dialog.

// briefsDialog lists the recorded briefs, the latest first, each with a
// Delete button; deleting is one action that Undo takes back.
type briefsDialog struct {
	mw     *MainWindow
	snap   *workspace.Snapshot
	briefs []*workspace.RecordedBrief
	list   *widget.List
	empty  *widget.Label
	dlg    dialog.Dialog
}

// showBriefs opens Workspace › Recorded briefs….
func (mw *MainWindow) showBriefs() {
	if mw.rounds.briefs != nil {
		mw.rounds.briefs.dlg.Show()
		return
	}
	d := &briefsDialog{mw: mw}
	d.list = widget.NewList(
		func() int { return len(d.briefs) },
		func() fyne.CanvasObject {
			text := widget.NewLabel("")
			text.Wrapping = fyne.TextWrapWord
			del := widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), nil)
			return container.NewBorder(nil, nil, nil, container.NewCenter(del), text)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(d.briefs) {
				return
			}
			rb := d.briefs[i]
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Label).SetText(briefRow(d.snap, rb))
			del := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Button)
			id := rb.ID
			del.OnTapped = func() { d.delete(id) }
		})
	d.empty = widget.NewLabel("No brief is recorded yet: exporting a PDF brief records it, unless it is a draft.")
	d.empty.Wrapping = fyne.TextWrapWord
	note := widget.NewLabel("The next brief says what changed since the brief recorded last at its cap. Undo (Ctrl+Z) brings a deleted brief back.")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	scroll := container.NewStack(d.list, container.NewVBox(d.empty))
	content := container.NewBorder(nil, soft(note), nil, nil, container.New(&minHeightLayout{lines: 12}, scroll))
	d.dlg = dialog.NewCustom("Recorded briefs", "Close", content, mw.win)
	d.dlg.SetOnClosed(func() {
		if mw.rounds.briefs == d {
			mw.rounds.briefs = nil
		}
	})
	d.dlg.Resize(fyne.NewSize(640, 0))
	mw.rounds.briefs = d
	d.fill()
	d.dlg.Show()
}

// fill lists the briefs of the window's snapshot.
func (d *briefsDialog) fill() {
	d.snap = d.mw.snap
	d.briefs = nil
	if d.snap != nil {
		d.briefs = append(d.briefs, d.snap.Briefs...)
	}
	setShown(d.empty, len(d.briefs) == 0)
	d.list.Refresh()
}

// delete deletes a recorded brief through the store, as `briefboard
// briefs delete` does; the list follows when the action reaches the
// window.
func (d *briefsDialog) delete(id string) {
	d.mw.act(func() error { return d.mw.store.DeleteBrief(id) })
}

// briefRow describes a recorded brief in the list: its date, cap, marking
// and cards, who issued it and when it was recorded.
func briefRow(snap *workspace.Snapshot, rb *workspace.RecordedBrief) string {
	capText := "no cap"
	if rb.Cap != nil {
		capText = "capped at " + rb.Cap.String()
	}
	s := fmt.Sprintf("Brief of %s · %s · marked %s · %d cards", rb.Date, capText, snap.Marking(rb), len(rb.Cards))
	by := workspace.Printable(rb.By)
	if by == "" {
		by = "unknown"
	}
	s += "\nIssued by " + by + " · recorded " + rb.Recorded.Local().Format("2 Jan 2006 15:04")
	if snap.LastBrief(rb.Cap) == rb {
		s += " · the next brief at this cap follows it"
	}
	return s
}

// Board roles.

// Labels of the board roles in the board dialog.
const (
	rolePillarLabel     = "Pillar: a negotiating track, counted and numbered"
	roleBackgroundLabel = "Background: context for the reader, after the bottom line"
)

// rolePicker is the board dialog's choice of role.
func rolePicker(r workspace.BoardRole) *widget.RadioGroup {
	g := widget.NewRadioGroup([]string{rolePillarLabel, roleBackgroundLabel}, nil)
	g.Required = true
	if r == workspace.RoleBackground {
		g.SetSelected(roleBackgroundLabel)
	} else {
		g.SetSelected(rolePillarLabel)
	}
	return g
}

// pickedRole is the role a board gets from the picker: a board without a
// role stays without one (a pillar) while Pillar is picked.
func pickedRole(old workspace.BoardRole, g *widget.RadioGroup) workspace.BoardRole {
	if g.Selected == roleBackgroundLabel {
		return workspace.RoleBackground
	}
	if old == "" {
		return ""
	}
	return workspace.RolePillar
}
