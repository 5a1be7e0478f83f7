package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// The window shows every record's effective marking (DESIGN.md 4a), as
// workspace works it out: the badges of cards, sources and annotations
// say it, with a mark when it is stricter than the record's own marking
// (↑) or held there by a marking conflict (⚠); the detail pane says why.
// Setting a marking is a marking action, also to the value the record has,
// and one that would release held writes says first which.

// Marks on a badge.
const (
	markRaised   = "↑"
	markConflict = "⚠"
)

// badgeMark is the mark a badge carries for a record's marking: ↑ when
// it is stricter than the record's own field, ⚠ when a marking conflict
// holds it there.
func badgeMark(m workspace.Marking) string {
	switch {
	case len(m.Conflicts()) > 0:
		return markConflict
	case m.TLP != m.Own:
		return markRaised
	}
	return ""
}

// markingOf is a record's marking as a badge needs it: the effective
// level, and the reasons only for a record with held writes (the marking
// conflicts are among them), so a list of thousands of cards pays for a
// map lookup each.
func markingOf(snap *workspace.Snapshot, r workspace.Record, own workspace.TLP) workspace.Marking {
	if len(r.RecordBase().Held) > 0 {
		return snap.ExplainMarking(r)
	}
	return workspace.Marking{TLP: snap.Marking(r), Own: own}
}

// markingWhy says in a line why a record shows a stricter marking than its
// own, or "" when it does not.
func markingWhy(m workspace.Marking) string {
	if m.TLP == m.Own {
		return ""
	}
	return fmt.Sprintf("Shown as %s, though marked %s: %s.", m.TLP, m.Own, m.Reason())
}

// withoutConflicts is a marking without its marking conflicts among the
// reasons: what else raises it. With nothing else, it counts as the
// record's own marking.
func withoutConflicts(m workspace.Marking) workspace.Marking {
	out := workspace.Marking{TLP: m.Own, Own: m.Own}
	for _, r := range m.Reasons {
		if !r.Conflict {
			out.Reasons = append(out.Reasons, r)
			out.TLP = workspace.Stricter(out.TLP, r.TLP)
		}
	}
	return out
}

// heldText says who made a held write, when, which fields, and under what
// marking.
func heldText(h workspace.HeldWrite) string {
	who := h.Author
	if who == "" {
		who = "another copy"
		if h.Replica != "" {
			who = "copy " + h.Replica[:min(6, len(h.Replica))]
		}
	}
	fields := strings.Join(h.Fields, ", ")
	if fields == "" {
		fields = "its values"
	}
	return fmt.Sprintf("%s's write of %s on %s, made under %s", workspace.Printable(who), fields,
		h.At.Local().Format("2 Jan 2006 15:04"), h.TLP)
}

// releaseText says what setting a record's marking to level would
// release: its held writes, one a line.
func releaseText(title string, level workspace.TLP, held []workspace.HeldWrite) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Setting the marking of %q to %s releases what these writes hold at a stricter marking:\n",
		workspace.ShortTitle(workspace.Printable(title), 60), level)
	for _, h := range held {
		b.WriteString("\n• " + heldText(h))
	}
	b.WriteString("\n\nTheir text then counts as " + level.String() + " in every output capped at that level.")
	return b.String()
}

// markingConflict is a record held at a stricter marking than its own by
// writes no marking action has released.
type markingConflict struct {
	rec     workspace.Record
	marking workspace.Marking
}

// markingConflicts lists the records of a snapshot with marking conflicts
// (of every kind, in the workspace's order), each with its marking.
func markingConflicts(snap *workspace.Snapshot) []markingConflict {
	var out []markingConflict
	for _, r := range snap.MarkingConflicts() {
		out = append(out, markingConflict{rec: r, marking: snap.ExplainMarking(r)})
	}
	return out
}

// askRelease asks before a marking action that would release held writes;
// then runs when there are none or the analyst agrees, cancel when not.
// lastRelease keeps the question on show, for tests.
func askRelease(w fyne.Window, snap *workspace.Snapshot, r workspace.Record, level workspace.TLP, then, cancel func()) {
	held := snap.ExplainMarking(r).Conflicts()
	if len(held) == 0 {
		then()
		return
	}
	text := widget.NewLabel(releaseText(workspace.RecordTitle(r), level, held))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Release held writes?", "Set marking and release", "Cancel",
		container.NewVScroll(text), func(ok bool) {
			lastRelease = nil
			if ok {
				then()
			} else if cancel != nil {
				cancel()
			}
		}, w)
	d.Resize(fyne.NewSize(560, 320))
	lastRelease = &releaseQuestion{text: text.Text, dlg: d, answer: func(ok bool) {
		d.Hide()
		lastRelease = nil
		if ok {
			then()
		} else if cancel != nil {
			cancel()
		}
	}}
	d.Show()
}

// releaseQuestion is the question askRelease shows; answer answers it as
// its buttons do.
type releaseQuestion struct {
	text   string
	dlg    *dialog.ConfirmDialog
	answer func(ok bool)
}

var lastRelease *releaseQuestion

// setMarking is the marking action on a record shown in the window: it
// asks first when it would release held writes.
func (mw *MainWindow) setMarking(r workspace.Record, level workspace.TLP, done func(error), cancel func()) {
	if mw.store == nil || mw.snap == nil {
		return
	}
	store := mw.store
	askRelease(mw.win, mw.snap, r, level, func() {
		mw.flushEdits()
		err := store.SetMarking(workspace.KeyOf(r), level)
		if done != nil {
			done(err)
		}
	}, cancel)
}

// markingPicker is a picker of the five levels.
func markingPicker(selected workspace.TLP, changed func(string)) *widget.Select {
	s := widget.NewSelect(nil, changed)
	for _, t := range workspace.TLPLevels {
		s.Options = append(s.Options, t.String())
	}
	s.Selected = selected.String()
	return s
}
