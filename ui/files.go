package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"briefboard/ui/appdata"
	"briefboard/workspace"
)

// prefSaveFolder, followed by a workspace id, is the preference that
// remembers where the analyst last saved an output of that workspace.
const prefSaveFolder = "saveFolder."

// fileNameOf makes a title safe as a file name: characters that file
// systems refuse or give meaning to become dashes, invisible ones go, and
// it is cut to 60 characters. An empty result gives fallback.
func fileNameOf(title, fallback string) string {
	name := strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\', ':', '*', '?', '"', '<', '>', '|':
			return '-'
		}
		if r != ' ' && (!unicode.IsGraphic(r) || unicode.Is(unicode.Cf, r)) {
			return -1
		}
		return r
	}, title)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if r := []rune(name); len(r) > 60 {
		name = string(r[:60])
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return fallback
	}
	return name
}

// saveFolder is the folder a workspace's outputs are proposed in: where
// the analyst last saved one, or the documents folder. Never a workspace
// directory, nor the app's data folder where workspaces live.
func saveFolder(workspaceID string) string {
	if a := fyne.CurrentApp(); a != nil && workspaceID != "" {
		if d := settingsOf(a).String(prefSaveFolder + workspaceID); d != "" && usableSaveFolder(d) {
			return d
		}
	}
	return appdata.DocumentsDir()
}

// usableSaveFolder reports whether d is a folder outputs may be proposed
// in.
func usableSaveFolder(d string) bool {
	if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
		return false
	}
	if workspace.CheckOutputPath(filepath.Join(d, "output")) != nil {
		return false
	}
	if data, err := appdata.DataDir(); err == nil {
		if rel, err := filepath.Rel(data, d); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return false
		}
	}
	return true
}

// rememberSaveFolder notes the folder of a file just written, as where the
// workspace's next output is proposed.
func rememberSaveFolder(workspaceID, path string) {
	a := fyne.CurrentApp()
	if a == nil || workspaceID == "" {
		return
	}
	if abs, err := filepath.Abs(path); err == nil {
		settingsOf(a).SetString(prefSaveFolder+workspaceID, filepath.Dir(abs))
		noteFolder(filepath.Dir(abs))
	}
}

// defaultSavePath proposes where an output of the workspace goes: in its
// save folder, named after the workspace with suffix (such as ".canvas").
func defaultSavePath(snap *workspace.Snapshot, suffix string) string {
	return filepath.Join(saveFolder(snap.Meta.ID), fileNameOf(snap.Meta.Title, "workspace")+suffix)
}

// chooseSaveFolder lets the analyst pick the folder a file will be written
// to, with the folder dialog opened where path points, and puts the file's
// name under the chosen folder into path. It asks for a folder, not a
// file: Fyne's save dialog empties the file it hands back, so choosing one
// of a workspace's own files there would destroy it before anything could
// refuse it. A workspace directory, or a folder inside one, is refused on
// the spot.
func chooseSaveFolder(win fyne.Window, path *widget.Entry, fallback string) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, win)
			return
		}
		if dir != nil {
			useSaveFolder(win, path, fallback, dir.Path())
		}
	}, win)
	if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(path.Text))); err == nil {
		d.SetLocation(dir)
	}
	d.SetConfirmText("Save here")
	d.Show()
}

// useSaveFolder puts the file named in path (or fallback) under folder
// into path, unless that lands inside a workspace: then it says so and
// leaves path as it was.
func useSaveFolder(win fyne.Window, path *widget.Entry, fallback, folder string) {
	p := chosenSavePath(folder, path.Text, fallback)
	if err := workspace.CheckOutputPath(p); err != nil {
		dialog.ShowError(err, win)
		return
	}
	path.SetText(p)
}

// chosenSavePath is the file named in current (or fallback) in folder.
func chosenSavePath(folder, current, fallback string) string {
	name := filepath.Base(strings.TrimSpace(current))
	if name == "." || name == string(filepath.Separator) || strings.HasSuffix(strings.TrimSpace(current), string(filepath.Separator)) {
		name = fallback
	}
	return filepath.Join(folder, name)
}

// replaceAsk is the question before a file is overwritten, while on show;
// tests answer it.
var replaceAsk *dialog.ConfirmDialog

// confirmReplace runs write at once when nothing is at path, and asks
// first when a file is: an output never replaces a file silently.
func confirmReplace(win fyne.Window, path string, write func()) {
	fi, err := os.Stat(path)
	if err != nil {
		write()
		return
	}
	if fi.IsDir() {
		dialog.ShowError(fmt.Errorf("%s is a folder: give a file name", path), win)
		return
	}
	replaceAsk = dialog.NewConfirm("Replace the file?",
		fmt.Sprintf("%s already exists in\n%s.\n\nReplace it?", filepath.Base(path), tildePath(filepath.Dir(path))),
		func(ok bool) {
			replaceAsk = nil
			if ok {
				write()
			}
		}, win)
	replaceAsk.SetConfirmText("Replace")
	replaceAsk.SetDismissText("Cancel")
	replaceAsk.Show()
}
