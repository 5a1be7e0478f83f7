package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// prefCap, followed by a workspace id, remembers the TLP cap of the last
// export or share of that workspace: "none" or a level's name.
const prefCap = "cap."

// capChoice is the TLP cap picker of the export and share dialogs, with a
// line under it that says what the chosen cap leaves out. It starts with
// the cap last used for the workspace; the first time, with the
// workspace's default marking; and never with no cap on a workspace that
// holds AMBER or RED material.
type capChoice struct {
	snap    *workspace.Snapshot
	noCap   string
	what    string
	sel     *widget.Select
	note    *widget.Label
	changed func()
}

// newCapChoice makes the picker; noCap labels the choice of no cap, what
// names the output in the note ("the brief").
func newCapChoice(snap *workspace.Snapshot, noCap, what string, changed func()) *capChoice {
	c := &capChoice{snap: snap, noCap: noCap, what: what, changed: changed}
	levels := []string{noCap}
	for _, t := range workspace.TLPLevels {
		levels = append(levels, t.String())
	}
	c.note = widget.NewLabel("")
	c.note.Wrapping = fyne.TextWrapWord
	c.sel = widget.NewSelect(levels, nil)
	if t := startingCap(snap); t == nil {
		c.sel.SetSelected(noCap)
	} else {
		c.sel.SetSelected(t.String())
	}
	c.describe()
	c.sel.OnChanged = func(string) {
		c.describe()
		if c.changed != nil {
			c.changed()
		}
	}
	return c
}

// startingCap is the cap a dialog starts with for a workspace.
func startingCap(snap *workspace.Snapshot) *workspace.TLP {
	holdsAmber := snap.MaxTLP().WantsEncryption()
	if a := fyne.CurrentApp(); a != nil {
		switch last := settingsOf(a).String(prefCap + snap.Meta.ID); {
		case last == "none" && !holdsAmber:
			return nil
		case last != "" && last != "none":
			if t, err := workspace.ParseTLP(last); err == nil && workspace.Allows(&t, snap.Marking(&snap.Meta)) {
				return &t
			}
		}
	}
	t := snap.Meta.DefaultTLP
	if header := snap.Marking(&snap.Meta); !workspace.Allows(&t, header) {
		// A cap below the header's marking refuses the whole output.
		t = header
	}
	return &t
}

// cap is the cap chosen, nil for none.
func (c *capChoice) cap() (*workspace.TLP, error) {
	if c.sel.Selected == c.noCap || c.sel.Selected == "" {
		return nil, nil
	}
	t, err := workspace.ParseTLP(c.sel.Selected)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// remember keeps the cap for the workspace's next export or share.
func (c *capChoice) remember() {
	a := fyne.CurrentApp()
	if a == nil {
		return
	}
	v := "none"
	if t, err := c.cap(); err == nil && t != nil {
		v = t.String()
	}
	settingsOf(a).SetString(prefCap+c.snap.Meta.ID, v)
}

// part is what an output capped as chosen may carry, or why the cap
// refuses the output.
func (c *capChoice) part() (*workspace.Snapshot, error) {
	t, err := c.cap()
	if err != nil {
		return nil, err
	}
	return c.snap.Capped(t)
}

// describe says what the chosen cap leaves out.
func (c *capChoice) describe() {
	c.note.SetText(c.leftOut())
}

// leftOut says, counting, what the output leaves out at the chosen cap.
func (c *capChoice) leftOut() string {
	t, _ := c.cap()
	part, err := c.part()
	switch {
	case errors.Is(err, workspace.ErrAboveCap):
		return fmt.Sprintf("The workspace's title and parties are marked %s: %s cannot be capped below that.",
			c.snap.Marking(&c.snap.Meta), c.what)
	case err != nil:
		return err.Error()
	case t == nil:
		return fmt.Sprintf("No cap: %s carries everything, marked up to %s.", c.what, c.snap.MaxTLP())
	}
	annotations := func(s *workspace.Snapshot) int {
		n := 0
		for _, list := range s.Annotations {
			n += len(list)
		}
		return n
	}
	var parts []string
	add := func(n, of int, one, many string) {
		if n > 0 {
			word := many
			if n == 1 {
				word = one
			}
			parts = append(parts, fmt.Sprintf("%d of %d %s", n, of, word))
		}
	}
	add(len(c.snap.Boards)-len(part.Boards), len(c.snap.Boards), "board", "boards")
	add(len(c.snap.Cards)-len(part.Cards), len(c.snap.Cards), "card", "cards")
	add(len(c.snap.Sources)-len(part.Sources), len(c.snap.Sources), "source", "sources")
	add(annotations(c.snap)-annotations(part), annotations(c.snap), "annotation", "annotations")
	if len(parts) == 0 {
		return fmt.Sprintf("Nothing is above %s: %s carries everything.", *t, c.what)
	}
	list := strings.Join(parts, ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		list = list[:i] + " and " + list[i+2:]
	}
	return fmt.Sprintf("Above %s, left out: %s.", *t, list)
}
