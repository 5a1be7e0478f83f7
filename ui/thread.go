package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// threadView is a card's annotation thread: comments, questions, caveats
// and judgments with author and time, each resolvable and reopenable, and
// a composer to add one.
type threadView struct {
	mw           *MainWindow
	root         fyne.CanvasObject
	list         *fyne.Container
	summary      *widget.Label
	showResolved *widget.Check
	kind         *widget.Select
	tlp          *widget.Select
	text         *composeEntry
	add          *widget.Button
	err          *widget.Label
	card         *workspace.Card
	// rows by annotation id, for tests and for keeping state
	resolveButtons map[string]*widget.Button
	// markingMenus holds each row's menu of markings, by annotation id,
	// for tests.
	markingMenus map[string]*fyne.Menu
	// shown lists the annotations the rows show, and whether resolved
	// ones were, to skip rebuilding them when nothing changed.
	shown         []*workspace.Annotation
	shownMarks    []workspace.TLP
	shownResolved bool
}

var annotationKindLabels = map[workspace.AnnotationKind]string{
	workspace.AnnComment:  "Comment",
	workspace.AnnQuestion: "Question",
	workspace.AnnCaveat:   "Caveat",
	workspace.AnnJudgment: "Judgment",
}

func newThreadView(mw *MainWindow) *threadView {
	t := &threadView{mw: mw, resolveButtons: map[string]*widget.Button{}}
	t.list = container.NewVBox()
	t.summary = widget.NewLabel("")
	t.summary.Importance = widget.LowImportance
	t.showResolved = widget.NewCheck("Show resolved", func(bool) {
		if t.card != nil {
			t.bind(t.card, false)
		}
	})
	t.showResolved.SetChecked(true)
	var kinds []string
	for _, k := range workspace.AnnotationKinds {
		kinds = append(kinds, annotationKindLabels[k])
	}
	t.kind = widget.NewSelect(kinds, nil)
	t.kind.SetSelectedIndex(0)
	t.tlp = widget.NewSelect(nil, nil)
	for _, l := range workspace.TLPLevels {
		t.tlp.Options = append(t.tlp.Options, l.String())
	}
	t.text = newComposeEntry(t.submit)
	t.text.SetPlaceHolder("Add to the thread… (Ctrl+Enter adds)")
	t.text.SetMinRowsVisible(3)
	t.add = widget.NewButtonWithIcon("Add", theme.MailSendIcon(), t.submit)
	t.add.Importance = widget.HighImportance
	t.err = fieldError()
	composer := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, container.NewHBox(t.kind, t.tlp), t.add), t.text, t.err)
	head := container.NewBorder(nil, nil, nil, t.showResolved, soft(t.summary))
	t.root = container.NewBorder(container.NewPadded(head), container.NewPadded(composer), nil, nil,
		container.NewVScroll(container.NewPadded(t.list)))
	return t
}

func (t *threadView) bind(c *workspace.Card, fresh bool) {
	t.card = c
	if fresh {
		setFieldError(t.err, nil)
		// A new annotation takes the workspace's default marking unless
		// the analyst picks another.
		t.tlp.SetSelected(t.mw.snap.Meta.DefaultTLP.String())
	}
	anns := t.mw.snap.Annotations[c.ID]
	marks := make([]workspace.TLP, len(anns))
	for i, a := range anns {
		marks[i] = t.mw.snap.Marking(a)
	}
	if !fresh && t.shownResolved == t.showResolved.Checked && sameAnnotations(t.shown, anns) && equalTLPs(t.shownMarks, marks) {
		return
	}
	t.shown, t.shownMarks, t.shownResolved = anns, marks, t.showResolved.Checked
	open := 0
	t.list.Objects = nil
	t.resolveButtons = map[string]*widget.Button{}
	t.markingMenus = map[string]*fyne.Menu{}
	for _, a := range anns {
		if !a.Resolved {
			open++
		}
		if a.Resolved && !t.showResolved.Checked {
			continue
		}
		t.list.Objects = append(t.list.Objects, t.row(a))
	}
	switch {
	case len(anns) == 0:
		t.summary.SetText("No annotations yet")
	default:
		t.summary.SetText(fmt.Sprintf("%d open · %d resolved", open, len(anns)-open))
	}
	t.list.Refresh()
}

// sameAnnotations reports whether two threads hold the same records: a
// snapshot shares the records an action did not change.
func sameAnnotations(a, b []*workspace.Annotation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalTLPs(a, b []workspace.TLP) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (t *threadView) row(a *workspace.Annotation) fyne.CanvasObject {
	kind := canvas.NewText(strings.ToUpper(annotationKindLabels[a.Kind]), annotationColor(a.Kind))
	kind.TextStyle = fyne.TextStyle{Bold: true}
	kind.TextSize = theme.CaptionTextSize()
	author := a.Author
	if author == "" {
		author = "Unsigned"
	}
	who := canvas.NewText(fmt.Sprintf("%s  ·  %s", author, a.At.Local().Format("2 Jan 2006 15:04")), themeColor(colorNameMuted))
	who.TextSize = theme.CaptionTextSize()
	text := widget.NewLabel(a.Text)
	text.Wrapping = fyne.TextWrapWord
	if a.Resolved {
		text.Importance = widget.LowImportance
	}
	card, id := a.Card, a.ID
	var btn *widget.Button
	if a.Resolved {
		btn = widget.NewButtonWithIcon("Reopen", theme.ContentUndoIcon(), func() {
			t.mw.act(func() error { return t.mw.store.SetResolved(card, id, false) })
		})
	} else {
		btn = widget.NewButtonWithIcon("Resolve", theme.ConfirmIcon(), func() {
			t.mw.act(func() error { return t.mw.store.SetResolved(card, id, true) })
		})
	}
	btn.Importance = widget.LowImportance
	t.resolveButtons[a.ID] = btn
	state := canvas.NewText("", themeColor(colorNameMuted))
	state.TextSize = theme.CaptionTextSize()
	if a.Resolved {
		state.Text = "RESOLVED"
	}
	badge := newTLPBadge()
	badge.setMarking(markingOf(t.mw.snap, a, a.TLP))
	// The menu of markings: picking one is a marking action on the
	// annotation, also the level it has.
	var items []*fyne.MenuItem
	for _, level := range workspace.TLPLevels {
		level := level
		it := fyne.NewMenuItem(level.String(), func() {
			t.mw.setMarking(a, level, func(err error) { setFieldError(t.err, err) }, nil)
		})
		it.Checked = level == a.TLP
		items = append(items, it)
	}
	menu := fyne.NewMenu("", items...)
	t.markingMenus[a.ID] = menu
	var mark *widget.Button
	mark = widget.NewButtonWithIcon("", theme.MenuDropDownIcon(), func() {
		widget.ShowPopUpMenuAtPosition(menu, t.mw.win.Canvas(),
			fyne.CurrentApp().Driver().AbsolutePositionForObject(mark).AddXY(0, mark.Size().Height))
	})
	mark.Importance = widget.LowImportance
	head := container.NewBorder(nil, nil, container.NewHBox(kind, state), container.NewHBox(badge, mark))
	foot := container.NewBorder(nil, nil, who, btn)
	return container.NewVBox(head, soft(text), foot, widget.NewSeparator())
}

func annotationColor(k workspace.AnnotationKind) color.Color {
	switch k {
	case workspace.AnnQuestion:
		return kindColor(workspace.KindQuestion)
	case workspace.AnnCaveat:
		return kindColor(workspace.KindRisk)
	case workspace.AnnJudgment:
		return kindColor(workspace.KindJudgment)
	}
	return themeColor(colorNameMuted)
}

// submit adds the composed annotation, signed with the analyst's name.
func (t *threadView) submit() {
	if t.card == nil {
		return
	}
	kind := workspace.AnnotationKinds[max(0, t.kind.SelectedIndex())]
	text := t.text.Text
	card := t.card.ID
	var err error
	t.mw.flushEdits()
	var tlp *workspace.TLP
	if l, perr := workspace.ParseTLP(t.tlp.Selected); perr == nil {
		tlp = &l
	}
	_, err = t.mw.store.AddAnnotation(card, kind, text, tlp)
	setFieldError(t.err, err)
	if err == nil {
		t.text.SetText("")
	}
}

// composeEntry is the thread's text field: Ctrl+Enter adds.
type composeEntry struct {
	widget.Entry
	submit func()
}

func newComposeEntry(submit func()) *composeEntry {
	e := &composeEntry{submit: submit}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut adds the annotation on Ctrl+Enter, and types a tab on
// Ctrl+Tab.
func (e *composeEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) &&
		cs.Modifier == fyne.KeyModifierShortcutDefault {
		e.submit()
		return
	}
	if isLiteralTab(s) {
		e.TypedRune('\t')
		return
	}
	e.Entry.TypedShortcut(s)
}

// AcceptsTab is false: Tab and Shift+Tab move to the next and previous
// field (typing.go).
func (e *composeEntry) AcceptsTab() bool { return false }

// TypedKey leaves the field on Escape.
func (e *composeEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		leaveField(e)
		return
	}
	e.Entry.TypedKey(k)
}
