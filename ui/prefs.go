package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// Preferences is the preferences form; tests fill it and call Save.
type Preferences struct {
	Name     *widget.Entry
	Initials *widget.Entry
	TLP      *widget.Select
	Theme    *widget.RadioGroup
	Paper    *widget.RadioGroup
	form     *formDialog
}

// Save stores the preferences as the Save button does.
func (p *Preferences) Save() { p.form.trySave() }

var themeLabels = map[string]string{ThemeSystem: "Follow the system", ThemeLight: "Light", ThemeDark: "Dark"}
var paperLabels = map[string]string{PaperA4: "A4", PaperLetter: "US Letter"}

// preferencesDialog edits the analyst's name and initials (kept with this
// copy of the workspace and as the default for others), the workspace's
// default TLP, the theme and the paper size of briefs.
func (mw *MainWindow) preferencesDialog() *Preferences {
	prefs := settingsOf(mw.app)
	p := &Preferences{}
	var prof workspace.Profile
	if mw.store != nil {
		prof, _ = mw.store.Profile()
	}
	if prof.Name == "" {
		prof.Name = prefs.String(prefName)
		prof.Initials = prefs.String(prefInitials)
	}
	p.Name = widget.NewEntry()
	p.Name.SetText(prof.Name)
	p.Name.SetPlaceHolder("Signs your cards and annotations")
	p.Initials = widget.NewEntry()
	p.Initials.SetText(prof.Initials)
	p.TLP = widget.NewSelect(nil, nil)
	for _, t := range workspace.TLPLevels {
		p.TLP.Options = append(p.TLP.Options, t.String())
	}
	if mw.snap != nil {
		p.TLP.SetSelected(mw.snap.Meta.DefaultTLP.String())
	} else {
		p.TLP.Disable()
	}
	p.Theme = widget.NewRadioGroup([]string{themeLabels[ThemeSystem], themeLabels[ThemeLight], themeLabels[ThemeDark]}, nil)
	p.Theme.Horizontal = true
	p.Theme.Required = true
	p.Theme.SetSelected(themeLabels[prefs.StringWithFallback(prefTheme, ThemeSystem)])
	p.Paper = widget.NewRadioGroup([]string{paperLabels[PaperA4], paperLabels[PaperLetter]}, nil)
	p.Paper.Horizontal = true
	p.Paper.Required = true
	p.Paper.SetSelected(paperLabels[paper(mw.app)])
	save := func() error {
		prof := workspace.Profile{Name: strings.TrimSpace(p.Name.Text), Initials: strings.TrimSpace(p.Initials.Text)}
		if err := prof.Validate(); err != nil {
			return err
		}
		if mw.store != nil {
			if err := mw.store.SetProfile(prof); err != nil {
				return err
			}
			if t, err := workspace.ParseTLP(p.TLP.Selected); err == nil && mw.snap != nil && t != mw.snap.Meta.DefaultTLP {
				err := mw.store.UpdateMeta("Set default TLP", func(m *workspace.Meta) error {
					m.DefaultTLP = t
					return nil
				})
				if err != nil {
					var v *workspace.ValidationError
					if errors.As(err, &v) {
						v.Field = "tlp"
					}
					return err
				}
			}
		}
		prefs.SetString(prefName, prof.Name)
		prefs.SetString(prefInitials, prof.Initials)
		for k, v := range themeLabels {
			if v == p.Theme.Selected {
				prefs.SetString(prefTheme, k)
			}
		}
		for k, v := range paperLabels {
			if v == p.Paper.Selected {
				prefs.SetString(prefPaper, k)
			}
		}
		applyTheme(mw.app)
		mw.reload()
		return nil
	}
	p.form = mw.newFormDialog("Preferences", "Save", []formRow{
		{"Your name", p.Name, "name"},
		{"Initials", p.Initials, "initials"},
		{"Default TLP for new cards, sources and annotations in this workspace", p.TLP, "tlp"},
		{"Theme", p.Theme, ""},
		{"Paper size of briefs", p.Paper, ""},
	}, save)
	p.form.d.Show()
	mw.win.Canvas().Focus(p.Name)
	return p
}

// WorkspaceSettings is the workspace settings form; tests fill it.
type WorkspaceSettings struct {
	Title    *widget.Entry
	Subtitle *widget.Entry
	// TLP is the marking of the header: title, subtitle and parties.
	// Picking one is a marking action, also the level it has.
	TLP *widget.Select
	// Parties holds a name and a short-name field per party, in order;
	// AddParty adds an empty pair.
	Parties  [][2]*widget.Entry
	AddParty func()
	form     *formDialog
}

// Save stores the settings as the Save button does.
func (w *WorkspaceSettings) Save() { w.form.trySave() }

// workspaceSettingsDialog edits the workspace's title and subtitle, and
// names and adds parties. A party cannot be removed here: cards record
// positions by party.
func (mw *MainWindow) workspaceSettingsDialog() *WorkspaceSettings {
	if mw.snap == nil {
		return nil
	}
	ws := &WorkspaceSettings{}
	ws.Title = widget.NewEntry()
	ws.Title.SetText(mw.snap.Meta.Title)
	ws.Subtitle = widget.NewEntry()
	ws.Subtitle.SetText(mw.snap.Meta.Subtitle)
	ids := []string{}
	rows := container.NewVBox()
	addRow := func(p workspace.Party) {
		name, short := widget.NewEntry(), widget.NewEntry()
		name.SetText(p.Name)
		name.SetPlaceHolder("Party name")
		short.SetText(p.Short)
		short.SetPlaceHolder("Short")
		ws.Parties = append(ws.Parties, [2]*widget.Entry{name, short})
		ids = append(ids, p.ID)
		rows.Add(container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(90, name.MinSize().Height), short), name))
	}
	for _, p := range mw.snap.Meta.Parties {
		addRow(p)
	}
	ws.AddParty = func() { addRow(workspace.Party{}) }
	add := widget.NewButtonWithIcon("Add party", theme.ContentAddIcon(), ws.AddParty)
	add.Importance = widget.LowImportance
	// editMeta puts the title, subtitle and parties into the header.
	editMeta := func(m *workspace.Meta) error {
		m.Title, m.Subtitle = strings.TrimSpace(ws.Title.Text), strings.TrimSpace(ws.Subtitle.Text)
		var parties []workspace.Party
		for i, pair := range ws.Parties {
			name, short := strings.TrimSpace(pair[0].Text), strings.TrimSpace(pair[1].Text)
			if ids[i] == "" && name == "" && short == "" {
				continue
			}
			id := ids[i]
			if id == "" {
				id = workspace.NewID()
			}
			parties = append(parties, workspace.Party{ID: id, Name: name, Short: short})
		}
		m.Parties = parties
		return nil
	}
	marked, released := false, false
	ws.TLP = markingPicker(mw.snap.Meta.TLP, func(string) { marked = true })
	hint := widget.NewLabel("Outputs capped below this marking are refused: the header travels with every one.")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	hint.SizeName = theme.SizeNameCaptionText
	ws.form = mw.newFormDialog("Workspace settings", "Save", []formRow{
		{"Title", ws.Title, "title"},
		{"Subtitle", ws.Subtitle, "subtitle"},
		{"Parties", container.NewVBox(rows, container.NewHBox(add)), "parties"},
		{"Marking of the title, subtitle and parties", container.NewVBox(ws.TLP, soft(hint)), "tlp"},
	}, func() error {
		level, err := workspace.ParseTLP(ws.TLP.Selected)
		if err != nil {
			return err
		}
		if marked && !released && len(mw.snap.ExplainMarking(&mw.snap.Meta).Conflicts()) > 0 {
			askRelease(mw.win, mw.snap, &mw.snap.Meta, level, func() {
				released = true
				ws.form.trySave()
			}, nil)
			return &workspace.ValidationError{Field: "tlp", Reason: "confirm what setting the marking releases"}
		}
		_, err = mw.store.Do("Edit workspace settings", func(tx *workspace.Tx) error {
			m, err := tx.Meta()
			if err != nil {
				return err
			}
			if err := editMeta(m); err != nil {
				return err
			}
			if err := tx.PutMeta(m); err != nil {
				return err
			}
			if marked {
				return tx.SetMarking(workspace.KeyOf(m), level)
			}
			return nil
		})
		return err
	})
	ws.form.Resize(fyne.NewSize(520, 620))
	ws.form.d.Show()
	return ws
}
