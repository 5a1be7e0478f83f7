package ui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// conflictsView lists the records whose fields hold competing values from
// colleagues and lets the analyst keep one value per field.
type conflictsView struct {
	win   fyne.Window
	store *workspace.Store
	done  func()

	list  *fyne.Container
	empty *widget.Label
	dlg   dialog.Dialog
	// rows are the fields on show, for tests; marks the marking
	// conflicts.
	rows  []*conflictRow
	marks []*markingRow
}

// markingRow is a record held at a stricter marking by writes no marking
// action has released: the writes, a picker of the marking to set and the
// button that sets it (after saying what it releases).
type markingRow struct {
	rec  workspace.Record
	held []workspace.HeldWrite
	tlp  *widget.Select
	set  *widget.Button
}

// conflictRow is one field in conflict: its competing values and the
// button that keeps the chosen one.
type conflictRow struct {
	rec     workspace.ConflictRecord
	field   string
	choices *widget.RadioGroup
	values  []json.RawMessage // parallel to choices.Options
	keep    *widget.Button
}

// ShowConflicts shows the conflicts view over a window: every record with
// competing values, field by field, each value with who wrote it and when;
// the analyst picks one per field. Until then each field shows the same
// value on every copy. done is called after each choice.
func ShowConflicts(w fyne.Window, s *workspace.Store, done func()) {
	v := newConflictsView(w, s, done)
	if err := v.refresh(); err != nil {
		dialog.ShowError(err, w)
		return
	}
	v.dlg.Show()
}

func newConflictsView(w fyne.Window, s *workspace.Store, done func()) *conflictsView {
	v := &conflictsView{win: w, store: s, done: done}
	v.list = container.NewVBox()
	v.empty = widget.NewLabel("No conflicts: every field has one value.")
	intro := widget.NewLabel("Colleagues changed these fields at the same time. Every value is kept; the one marked “shown” " +
		"is what every copy shows until you choose. Your choice travels with your next share file. " +
		"A marking conflict keeps a record at a stricter marking until you set its marking again.")
	intro.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(v.list)
	scroll.SetMinSize(fyne.NewSize(620, 420))
	v.dlg = dialog.NewCustom("Conflicts", "Close", container.NewBorder(intro, nil, nil, nil, scroll), w)
	v.dlg.Resize(fyne.NewSize(700, 560))
	return v
}

// refresh reads the conflicts again and rebuilds the list.
func (v *conflictsView) refresh() error {
	recs, err := v.store.ConflictRecords()
	if err != nil {
		return fmt.Errorf("read the conflicts: %w", err)
	}
	snap, err := v.store.Snapshot()
	if err != nil {
		return fmt.Errorf("read the workspace: %w", err)
	}
	v.rows, v.marks = nil, nil
	v.list.RemoveAll()
	held := markingConflicts(snap)
	if len(recs) == 0 && len(held) == 0 {
		v.list.Add(v.empty)
	}
	for _, mc := range held {
		v.list.Add(v.markingCard(snap, mc))
	}
	for _, r := range recs {
		box := container.NewVBox()
		for _, c := range r.Conflicts {
			row := v.newRow(snap, r, c)
			v.rows = append(v.rows, row)
			label := widget.NewLabelWithStyle(conflictFieldLabel(snap, c.Field), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			box.Add(label)
			if c.Field == "deleted" && len(r.Unseen) > 0 {
				note := widget.NewLabel(conflictUnseenNote(r.Unseen))
				note.Wrapping = fyne.TextWrapWord
				box.Add(note)
			}
			box.Add(row.choices)
			box.Add(container.NewHBox(row.keep))
		}
		title := workspace.Printable(r.Title)
		if title == "" {
			title = r.ID
		}
		v.list.Add(widget.NewCard(title, r.RecordKind.Label(), box))
	}
	v.list.Refresh()
	return nil
}

func (v *conflictsView) newRow(snap *workspace.Snapshot, r workspace.ConflictRecord, c workspace.Conflict) *conflictRow {
	row := &conflictRow{rec: r, field: c.Field}
	var opts []string
	seen := map[string]int{}
	for i, val := range c.Values {
		text := conflictValueText(snap, c.Field, val.Value)
		if i == 0 {
			text += "  (shown)"
		}
		if by := conflictWrittenBy(val); by != "" {
			text += " — " + by
		}
		if n := seen[text]; n > 0 {
			text += fmt.Sprintf(" [%d]", n+1)
		}
		seen[text]++
		opts = append(opts, text)
		row.values = append(row.values, val.Value)
	}
	row.choices = widget.NewRadioGroup(opts, nil)
	row.choices.Required = true
	row.choices.SetSelected(opts[0])
	row.keep = widget.NewButton("Keep this value", func() { v.resolve(row) })
	return row
}

// markingCard shows a marking conflict: the writes held, and the way to
// release them by setting the record's marking again.
func (v *conflictsView) markingCard(snap *workspace.Snapshot, mc markingConflict) fyne.CanvasObject {
	m := mc.marking
	row := &markingRow{rec: mc.rec, held: m.Conflicts()}
	v.marks = append(v.marks, row)
	var b strings.Builder
	fmt.Fprintf(&b, "Marked %s, it counts as %s: these writes were made under a stricter marking that no marking action here has released.", m.Own, m.TLP)
	for _, h := range row.held {
		b.WriteString("\n• " + heldText(h))
	}
	b.WriteString("\nSetting its marking again, to any level, releases them at that level.")
	text := widget.NewLabel(b.String())
	text.Wrapping = fyne.TextWrapWord
	row.tlp = markingPicker(m.Own, nil)
	row.set = widget.NewButton("Set marking…", func() { v.setMarking(snap, row) })
	title := workspace.Printable(workspace.RecordTitle(mc.rec))
	if title == "" {
		title = mc.rec.RecordBase().ID
	}
	return widget.NewCard(title, "Marking conflict · "+workspace.KindOf(mc.rec).Label(),
		container.NewVBox(text, container.NewHBox(row.tlp, row.set)))
}

// setMarking sets a held record's marking, after saying what it releases.
func (v *conflictsView) setMarking(snap *workspace.Snapshot, row *markingRow) {
	level, err := workspace.ParseTLP(row.tlp.Selected)
	if err != nil {
		dialog.ShowError(err, v.win)
		return
	}
	askRelease(v.win, snap, row.rec, level, func() {
		if err := v.store.SetMarking(workspace.KeyOf(row.rec), level); err != nil {
			dialog.ShowError(err, v.win)
		}
		if err := v.refresh(); err != nil {
			dialog.ShowError(err, v.win)
		}
		if v.done != nil {
			v.done()
		}
	}, nil)
}

// resolve keeps the chosen value of a row's field.
func (v *conflictsView) resolve(row *conflictRow) {
	i := -1
	for j, o := range row.choices.Options {
		if o == row.choices.Selected {
			i = j
		}
	}
	if i < 0 {
		dialog.ShowError(fmt.Errorf("choose one of the values first"), v.win)
		return
	}
	if _, err := v.store.ResolveConflict(row.rec.Key, row.field, row.values[i]); err != nil {
		dialog.ShowError(err, v.win)
	}
	if err := v.refresh(); err != nil {
		dialog.ShowError(err, v.win)
	}
	if v.done != nil {
		v.done()
	}
}

// conflictFieldLabel names a field for people.
func conflictFieldLabel(snap *workspace.Snapshot, field string) string {
	switch {
	case field == "deleted":
		return "Deleted on one copy, changed on another"
	case field == "place":
		return "Place (board and lane)"
	case field == "tlp":
		return "TLP marking"
	case strings.HasPrefix(field, "positions."):
		id := strings.TrimPrefix(field, "positions.")
		if p := snap.Party(id); p != nil {
			return "Position of " + workspace.Printable(p.Name)
		}
		return "Position of " + id
	}
	return strings.ToUpper(field[:1]) + field[1:]
}

// conflictValueText shows one competing value in words.
func conflictValueText(snap *workspace.Snapshot, field string, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		if field == "deleted" {
			return "Keep it"
		}
		return "(empty)"
	}
	switch field {
	case "deleted":
		if string(raw) == "true" {
			return "Delete it"
		}
		return "Keep it"
	case "place":
		var p struct{ Board, Lane string }
		if json.Unmarshal(raw, &p) == nil {
			board, lane := p.Board, p.Lane
			if b := snap.Board(p.Board); b != nil {
				board = b.Title
			}
			if l := snap.Lane(p.Lane); l != nil {
				lane = l.Name
			}
			return workspace.Printable(board + " › " + lane)
		}
	case "tlp":
		var t workspace.TLP
		if json.Unmarshal(raw, &t) == nil {
			return t.String()
		}
	}
	if strings.HasPrefix(field, "positions.") {
		var p workspace.Position
		if json.Unmarshal(raw, &p) == nil {
			if p.Note != "" {
				return string(p.Stance) + ": " + conflictClip(p.Note, 120)
			}
			return string(p.Stance)
		}
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return conflictClip(s, 240)
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return conflictClip(strings.Join(list, ", "), 240)
	}
	return conflictClip(string(raw), 240)
}

func conflictClip(s string, n int) string {
	s = workspace.Printable(strings.Join(strings.Fields(s), " "))
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// conflictWrittenBy says who wrote a value and when.
func conflictWrittenBy(v workspace.ConflictValue) string {
	var parts []string
	switch {
	case v.Author != "":
		parts = append(parts, v.Author)
	case v.Replica != "":
		parts = append(parts, "copy "+v.Replica[:min(6, len(v.Replica))])
	}
	if !v.At.IsZero() {
		parts = append(parts, v.At.Local().Format("2 Jan 15:04"))
	}
	return strings.Join(parts, ", ")
}

// conflictUnseenNote says what a deletion had not seen: the work that keeps the
// record meanwhile.
func conflictUnseenNote(unseen []workspace.ConflictValue) string {
	who := map[string]bool{}
	var last time.Time
	for _, u := range unseen {
		name := u.Author
		if name == "" {
			name = "a colleague"
		}
		who[name] = true
		if u.At.After(last) {
			last = u.At
		}
	}
	var names []string
	for n := range who {
		names = append(names, n)
	}
	sort.Strings(names)
	return fmt.Sprintf("It is kept for now: %s changed it (last on %s) without having seen the deletion.",
		strings.Join(names, ", "), last.Local().Format("2 Jan 15:04"))
}
