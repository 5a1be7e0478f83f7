package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// formDialog is a modal form whose Save keeps it open while the store
// refuses a value, with the reason under the field it concerns.
type formDialog struct {
	d      dialog.Dialog
	errs   map[string]*widget.Label
	save   func() error
	submit *widget.Button
}

// newFormDialog shows rows (label, field, error key) and a confirm button.
// save returns a validation error to keep the dialog open.
func (mw *MainWindow) newFormDialog(title, confirm string, rows []formRow, save func() error) *formDialog {
	f := &formDialog{errs: map[string]*widget.Label{"": fieldError()}, save: save}
	box := container.NewVBox()
	for _, r := range rows {
		if r.label != "" {
			box.Add(label(r.label))
		}
		box.Add(r.field)
		if r.err != "" {
			l := fieldError()
			f.errs[r.err] = l
			box.Add(l)
		}
	}
	box.Add(f.errs[""])
	f.submit = widget.NewButtonWithIcon(confirm, theme.ConfirmIcon(), f.trySave)
	f.submit.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { f.d.Hide() })
	content := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, f.submit), nil, nil, box)
	f.d = dialog.NewCustomWithoutButtons(title, content, mw.win)
	f.d.Resize(fyne.NewSize(480, content.MinSize().Height+80))
	return f
}

type formRow struct {
	label string
	field fyne.CanvasObject
	err   string
}

func (f *formDialog) trySave() {
	for _, l := range f.errs {
		setFieldError(l, nil)
	}
	err := f.save()
	if err == nil {
		f.d.Hide()
		return
	}
	l := f.errs[workspace.FieldOf(err)]
	if l == nil {
		l = f.errs[""]
	}
	setFieldError(l, err)
}
