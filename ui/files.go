package ui

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// chooseSavePath lets the analyst pick where a file will be written, with
// the file dialog opened where path already points, and puts the choice in
// path. The dialog creates an empty file there; the writer replaces it
// whole.
func chooseSavePath(win fyne.Window, path *widget.Entry, ext string) {
	d := dialog.NewFileSave(func(uc fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, win)
			return
		}
		if uc == nil {
			return
		}
		p := uc.URI().Path()
		uc.Close()
		path.SetText(p)
	}, win)
	d.SetFileName(filepath.Base(path.Text))
	if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(path.Text))); err == nil {
		d.SetLocation(dir)
	}
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Show()
}
