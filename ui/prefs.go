package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/container"
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
	prefs := mw.app.Preferences()
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

// workspaceSettingsDialog edits the workspace's title and subtitle.
func (mw *MainWindow) workspaceSettingsDialog() {
	if mw.snap == nil {
		return
	}
	title := widget.NewEntry()
	title.SetText(mw.snap.Meta.Title)
	subtitle := widget.NewEntry()
	subtitle.SetText(mw.snap.Meta.Subtitle)
	parties := widget.NewLabel(partyList(mw.snap.Meta.Parties))
	parties.Wrapping = 2
	f := mw.newFormDialog("Workspace settings", "Save", []formRow{
		{"Title", title, "title"},
		{"Subtitle", subtitle, "subtitle"},
		{"Parties", container.NewVBox(parties), ""},
	}, func() error {
		return mw.store.UpdateMeta("Edit workspace title", func(m *workspace.Meta) error {
			m.Title, m.Subtitle = strings.TrimSpace(title.Text), strings.TrimSpace(subtitle.Text)
			return nil
		})
	})
	f.d.Show()
}

func partyList(ps []workspace.Party) string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		return "None"
	}
	return strings.Join(names, ", ")
}
