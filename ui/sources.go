package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// sourcesEditor lists the sources a card cites, each with its Admiralty
// grade and the quote the card rests on, and cites further sources.
type sourcesEditor struct {
	mw       *MainWindow
	root     fyne.CanvasObject
	rows     *fyne.Container
	scroll   *container.Scroll
	cards    []*citationRow
	empty    *widget.Label
	emptyBox fyne.CanvasObject
	err      *widget.Label
	card     *workspace.Card
}

type citationRow struct {
	source *workspace.Source
	srcID  string
	title  *widget.Label
	grade  *widget.Label
	origin *widget.Label
	quote  *fieldEntry
	root   fyne.CanvasObject
}

func newSourcesEditor(mw *MainWindow) *sourcesEditor {
	e := &sourcesEditor{mw: mw}
	e.rows = container.NewVBox()
	e.empty = widget.NewLabel("This card cites no source yet. A card without sources is flagged in the brief.")
	e.empty.Wrapping = fyne.TextWrapWord
	e.empty.Importance = widget.LowImportance
	e.err = fieldError()
	cite := widget.NewButtonWithIcon("Cite a source…", theme.ContentAddIcon(), e.pick)
	newSrc := widget.NewButtonWithIcon("New source…", theme.DocumentCreateIcon(), func() {
		mw.sourceDialog(nil, func(src *workspace.Source) { e.cite(src.ID) })
	})
	// The hint is hidden with its colour wrapper, so it leaves no band.
	e.emptyBox = soft(e.empty)
	e.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(
		e.emptyBox, e.rows, e.err, container.NewHBox(cite, newSrc))))
	e.root = e.scroll
	return e
}

func (e *sourcesEditor) flush() {
	for _, r := range e.cards {
		r.quote.Flush()
	}
}

// bind shows a card's citations; rows are rebuilt only when the list of
// cited sources changes, so a quote being typed keeps its field.
func (e *sourcesEditor) bind(c *workspace.Card, fresh bool) {
	e.card = c
	snap := e.mw.snap
	same := !fresh && len(e.cards) == len(c.Citations)
	for i := 0; same && i < len(c.Citations); i++ {
		same = e.cards[i].srcID == c.Citations[i].Source
	}
	if fresh {
		setFieldError(e.err, nil)
	}
	if !same {
		e.cards = e.cards[:0]
		e.rows.Objects = nil
		for i, ci := range c.Citations {
			r := e.newRow(i, ci.Source)
			e.cards = append(e.cards, r)
			e.rows.Objects = append(e.rows.Objects, r.root)
		}
		e.rows.Refresh()
	}
	for i, ci := range c.Citations {
		r := e.cards[i]
		r.source = snap.SourceByID[ci.Source]
		if r.source == nil {
			setLabel(r.title, "(source deleted)")
			setLabel(r.grade, "")
			setLabel(r.origin, "")
		} else {
			setLabel(r.title, workspace.Printable(r.source.Title))
			setLabel(r.grade, gradeText(r.source.Grade))
			setLabel(r.origin, sourceLine(r.source, snap))
		}
		if same {
			r.quote.setValue(ci.Quote)
		} else {
			r.quote.reset(ci.Quote)
		}
	}
	if setShown(e.emptyBox, len(c.Citations) == 0) || !same {
		relayout(e.rows)
	}
	if fresh {
		// Another card's sources start at the top.
		e.scroll.ScrollToTop()
	}
}

// setLabel changes a label's text, leaving it be when it has it: a
// wrapped label measures its text again on every change.
func setLabel(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// gradeText writes a grade with what it means, as an analyst reads it.
func gradeText(g workspace.Grade) string {
	if g.IsZero() {
		return "Ungraded"
	}
	return fmt.Sprintf("%s  ·  %s source; %s", g, strings.ToLower(workspace.ReliabilityMeanings[g.Reliability]),
		strings.ToLower(workspace.CredibilityMeanings[g.Credibility]))
}

// sourceLine says where a source comes from, when, and its effective
// marking, with a mark when that is stricter than its own.
func sourceLine(s *workspace.Source, snap *workspace.Snapshot) string {
	var parts []string
	if s.Origin != "" {
		parts = append(parts, s.Origin)
	}
	if s.InfoDate != "" {
		parts = append(parts, s.InfoDate)
	}
	m := markingOf(snap, s, s.TLP)
	parts = append(parts, m.TLP.String()+badgeMark(m))
	return strings.Join(parts, "  ·  ")
}

func (e *sourcesEditor) newRow(i int, srcID string) *citationRow {
	r := &citationRow{srcID: srcID}
	r.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.title.Wrapping = fyne.TextWrapWord
	r.grade = widget.NewLabel("")
	r.grade.Wrapping = fyne.TextWrapWord
	r.grade.SizeName = theme.SizeNameCaptionText
	r.origin = widget.NewLabel("")
	r.origin.Wrapping = fyne.TextWrapWord
	r.origin.Importance = widget.LowImportance
	r.origin.SizeName = theme.SizeNameCaptionText
	index := i
	r.quote = newFieldEntry(true, func(text string) error {
		return e.mw.detail.update("Edit quote", func(c *workspace.Card) error {
			if index >= len(c.Citations) || c.Citations[index].Source != srcID {
				return fmt.Errorf("the citations changed meanwhile; the quote was not stored")
			}
			c.Citations[index].Quote = text
			return nil
		})
	})
	r.quote.SetMinRowsVisible(2)
	r.quote.SetPlaceHolder("Quote: the words this card rests on")
	edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() {
		if r.source != nil {
			e.mw.sourceDialog(r.source, nil)
		}
	})
	edit.Importance = widget.LowImportance
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		err := e.mw.detail.update("Remove citation", func(c *workspace.Card) error {
			if index >= len(c.Citations) || c.Citations[index].Source != srcID {
				return fmt.Errorf("the citations changed meanwhile")
			}
			c.Citations = append(c.Citations[:index:index], c.Citations[index+1:]...)
			return nil
		})
		setFieldError(e.err, err)
	})
	remove.Importance = widget.LowImportance
	head := container.NewBorder(nil, nil, nil, container.NewHBox(edit, remove), r.title)
	r.root = container.NewVBox(head, r.grade, soft(r.origin), r.quote.withError(), widget.NewSeparator())
	return r
}

// cite adds a citation of a source to the card.
func (e *sourcesEditor) cite(id string) {
	err := e.mw.detail.update("Cite source", func(c *workspace.Card) error {
		for _, ci := range c.Citations {
			if ci.Source == id {
				return fmt.Errorf("the card already cites this source")
			}
		}
		c.Citations = append(c.Citations, workspace.Citation{Source: id})
		return nil
	})
	setFieldError(e.err, err)
}

// pick opens a searchable list of the workspace's sources.
func (e *sourcesEditor) pick() {
	mw := e.mw
	var d dialog.Dialog
	picker := newPicker(
		func(text string) []pickItem {
			q := workspace.Fold(text)
			var out []pickItem
			for _, s := range mw.snap.Sources {
				if q == "" || strings.Contains(workspace.Fold(s.Title+" "+s.Origin), q) {
					out = append(out, pickItem{id: s.ID, title: workspace.Printable(s.Title),
						detail: s.Grade.String() + "  ·  " + sourceLine(s, mw.snap)})
				}
			}
			return out
		},
		func(id string) {
			d.Hide()
			e.cite(id)
		})
	newSrc := widget.NewButtonWithIcon("New source…", theme.ContentAddIcon(), func() {
		d.Hide()
		mw.sourceDialog(nil, func(src *workspace.Source) { e.cite(src.ID) })
	})
	mw.lastPicker = picker
	content := container.NewBorder(nil, newSrc, nil, nil, picker.root)
	d = dialog.NewCustom("Cite a source", "Cancel", content, mw.win)
	d.Resize(fyne.NewSize(560, 480))
	d.Show()
	mw.win.Canvas().Focus(picker.search)
}

// Admiralty pickers: each grade with its standard meaning.
func reliabilityOptions() []string {
	out := []string{"Ungraded"}
	for _, r := range []workspace.Reliability{"A", "B", "C", "D", "E", "F"} {
		out = append(out, fmt.Sprintf("%s — %s", r, workspace.ReliabilityMeanings[r]))
	}
	return out
}

func credibilityOptions() []string {
	out := []string{"Ungraded"}
	for c := workspace.Credibility(1); c <= 6; c++ {
		out = append(out, fmt.Sprintf("%d — %s", c, workspace.CredibilityMeanings[c]))
	}
	return out
}

// sourceDialog edits a source, or creates one when src is nil; done hears
// of a created source. Refused values are shown under their fields and
// the dialog stays open.
func (mw *MainWindow) sourceDialog(src *workspace.Source, done func(*workspace.Source)) *sourceForm {
	creating := src == nil
	draft := workspace.Source{TLP: mw.snap.Meta.DefaultTLP}
	if !creating {
		draft = *src
	}
	title := widget.NewEntry()
	title.SetText(draft.Title)
	title.SetPlaceHolder("For example: Reuters report of 28 December 2025")
	origin := widget.NewEntry()
	origin.SetText(draft.Origin)
	origin.SetPlaceHolder("Who or where: a publication, a person, a URL")
	date := widget.NewEntry()
	date.SetText(draft.InfoDate)
	date.SetPlaceHolder("YYYY, YYYY-MM or YYYY-MM-DD")
	rel := widget.NewSelect(reliabilityOptions(), nil)
	cred := widget.NewSelect(credibilityOptions(), nil)
	rel.SetSelectedIndex(0)
	cred.SetSelectedIndex(0)
	if draft.Grade.Reliability != "" {
		rel.SetSelectedIndex(int(draft.Grade.Reliability[0]-'A') + 1)
	}
	if draft.Grade.Credibility != 0 {
		cred.SetSelectedIndex(int(draft.Grade.Credibility))
	}
	meaning := widget.NewLabel("")
	meaning.Wrapping = fyne.TextWrapWord
	meaning.Importance = widget.LowImportance
	showMeaning := func(string) {
		g := readGrade(rel, cred)
		switch {
		case rel.SelectedIndex() > 0 && cred.SelectedIndex() > 0:
			meaning.SetText("Grade " + gradeText(g) + ".")
		default:
			meaning.SetText("Reliability grades the source (A best; F means it cannot be judged, not that it is the worst). " +
				"Credibility grades this information (1 best; 6 means its truth cannot be judged).")
		}
	}
	rel.OnChanged, cred.OnChanged = showMeaning, showMeaning
	showMeaning("")
	// Picking a marking for a source that exists is a marking action,
	// also when the level is the one it has.
	marked := false
	tlp := markingPicker(draft.TLP, func(string) { marked = true })
	released := false
	notes := widget.NewMultiLineEntry()
	notes.SetText(draft.Notes)
	notes.Wrapping = fyne.TextWrapWord
	notes.SetMinRowsVisible(3)
	errs := map[string]*widget.Label{}
	for _, f := range []string{"title", "origin", "infoDate", "grade", "tlp", "notes", ""} {
		errs[f] = fieldError()
	}
	form := container.NewVBox(
		label("Title"), title, errs["title"],
		label("Origin"), origin, errs["origin"],
		label("Date of the information"), date, errs["infoDate"],
		container.NewGridWithColumns(2,
			container.NewVBox(label("Source reliability (A-F)"), rel),
			container.NewVBox(label("Information credibility (1-6)"), cred)),
		soft(meaning), errs["grade"],
		label("Marking"), tlp, errs["tlp"],
		label("Notes"), notes, errs["notes"], errs[""],
	)
	var d dialog.Dialog
	var save func()
	save = func() {
		for _, l := range errs {
			setFieldError(l, nil)
		}
		s := draft
		s.Title = strings.TrimSpace(title.Text)
		s.Origin = strings.TrimSpace(origin.Text)
		s.InfoDate = strings.TrimSpace(date.Text)
		s.Grade = readGrade(rel, cred)
		if (rel.SelectedIndex() > 0) != (cred.SelectedIndex() > 0) {
			setFieldError(errs["grade"], fmt.Errorf("give both parts of the grade, or neither"))
			return
		}
		level, perr := workspace.ParseTLP(tlp.Selected)
		if perr == nil {
			s.TLP = level
		}
		if !creating && marked && !released {
			// Setting the marking releases the source's held writes:
			// say which, and save once the analyst agrees.
			if held := mw.snap.ExplainMarking(src).Conflicts(); len(held) > 0 {
				askRelease(mw.win, mw.snap, src, level, func() {
					released = true
					save()
				}, nil)
				return
			}
		}
		s.Notes = notes.Text
		if s.ID == "" {
			s.ID = workspace.NewID()
		}
		err := s.Validate()
		var created *workspace.Source
		if err == nil {
			if creating {
				s.ID = ""
				created, err = mw.store.AddSource(s, false)
			} else {
				_, err = mw.store.Do("Edit source", func(tx *workspace.Tx) error {
					cur, err := tx.Source(s.ID)
					if err != nil {
						return err
					}
					cur.Title, cur.Origin, cur.InfoDate, cur.Grade, cur.Notes = s.Title, s.Origin, s.InfoDate, s.Grade, s.Notes
					if err := tx.PutSource(cur); err != nil {
						return err
					}
					if marked {
						return tx.SetMarking(workspace.KeyOf(cur), s.TLP)
					}
					return nil
				})
			}
		}
		if err != nil {
			l := errs[workspace.FieldOf(err)]
			if l == nil {
				l = errs[""]
			}
			setFieldError(l, err)
			return
		}
		d.Hide()
		if created != nil && done != nil {
			done(created)
		}
	}
	heading := "Edit source"
	if creating {
		heading = "New source"
	}
	saveBtn := widget.NewButtonWithIcon("Save", theme.ConfirmIcon(), save)
	saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	title.OnSubmitted = func(string) { save() }
	body := container.NewBorder(nil, container.NewHBox(layoutSpacer(), cancel, saveBtn), nil, nil,
		container.NewVScroll(form))
	d = dialog.NewCustomWithoutButtons(heading, body, mw.win)
	d.Resize(fyne.NewSize(600, 640))
	d.Show()
	mw.win.Canvas().Focus(title)
	return &sourceForm{title: title, date: date, rel: rel, cred: cred, tlp: tlp, meaning: meaning, errs: errs, save: save}
}

// sourceForm is the source dialog's fields, for tests.
type sourceForm struct {
	title, date *widget.Entry
	rel, cred   *widget.Select
	tlp         *widget.Select
	meaning     *widget.Label
	errs        map[string]*widget.Label
	save        func()
}

func readGrade(rel, cred *widget.Select) workspace.Grade {
	var g workspace.Grade
	if i := rel.SelectedIndex(); i > 0 {
		g.Reliability = workspace.Reliability(rune('A' + i - 1))
	}
	if i := cred.SelectedIndex(); i > 0 {
		g.Credibility = workspace.Credibility(i)
	}
	return g
}

// pickItem is one row of a searchable picker.
type pickItem struct {
	id, title, detail string
}

// picker is a search field over a list: typing narrows the list, Enter or
// a tap picks.
type picker struct {
	root   fyne.CanvasObject
	search *widget.Entry
	list   *widget.List
	items  []pickItem
}

func newPicker(find func(text string) []pickItem, picked func(id string)) *picker {
	p := &picker{}
	p.search = widget.NewEntry()
	p.search.SetPlaceHolder("Type to search")
	p.list = widget.NewList(
		func() int { return len(p.items) },
		func() fyne.CanvasObject {
			t := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			t.Truncation = fyne.TextTruncateEllipsis
			d := widget.NewLabel("")
			d.Truncation = fyne.TextTruncateEllipsis
			d.Importance = widget.LowImportance
			d.SizeName = theme.SizeNameCaptionText
			return container.NewVBox(t, soft(d))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(p.items[i].title)
			box.Objects[1].(*container.ThemeOverride).Content.(*widget.Label).SetText(p.items[i].detail)
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		if i < len(p.items) {
			picked(p.items[i].id)
		}
	}
	count := widget.NewLabel("")
	count.Importance = widget.LowImportance
	refresh := func(text string) {
		p.items = find(text)
		p.list.UnselectAll()
		p.list.Refresh()
		count.SetText(fmt.Sprintf("%d found", len(p.items)))
	}
	p.search.OnChanged = refresh
	p.search.OnSubmitted = func(string) {
		if len(p.items) > 0 {
			picked(p.items[0].id)
		}
	}
	refresh("")
	p.root = container.NewBorder(container.NewBorder(nil, nil, nil, soft(count), p.search), nil, nil, nil, p.list)
	return p
}
