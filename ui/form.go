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
	d       dialog.Dialog
	errs    map[string]*widget.Label
	save    func() error
	submit  *widget.Button
	content fyne.CanvasObject
	width   float32
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
	f.content, f.width = content, 480
	f.d = dialog.NewCustomWithoutButtons(title, content, mw.win)
	f.fit()
	return f
}

// Resize gives the dialog a width, and the height its content needs.
func (f *formDialog) Resize(s fyne.Size) {
	f.width = s.Width
	f.d.Resize(fyne.NewSize(s.Width, max(s.Height, f.content.MinSize().Height+80)))
}

// fit grows or shrinks the dialog to its content, so an error line under a
// field never slides the fields below over the buttons.
func (f *formDialog) fit() {
	f.d.Resize(fyne.NewSize(f.width, f.content.MinSize().Height+80))
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
	f.fit()
}
