package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/ui/appdata"
)

// prefRecentFolders lists the folders files were last saved to or opened
// from, newest first.
const prefRecentFolders = "recentFolders"

const maxRecentFolders = 6

// recentFolders lists the folders files were last saved to or opened
// from that still exist, newest first, then the documents folder.
func recentFolders() []string {
	var out []string
	seen := map[string]bool{}
	add := func(d string) {
		if d == "" || seen[d] {
			return
		}
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			seen[d] = true
			out = append(out, d)
		}
	}
	if a := fyne.CurrentApp(); a != nil {
		for _, d := range settingsOf(a).StringList(prefRecentFolders) {
			add(d)
		}
	}
	add(appdata.DocumentsDir())
	return out
}

// noteFolder puts the folder of a file just saved or opened first among
// the recent folders.
func noteFolder(dir string) {
	a := fyne.CurrentApp()
	if a == nil || dir == "" {
		return
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	list := []string{dir}
	for _, d := range settingsOf(a).StringList(prefRecentFolders) {
		if d != dir && len(list) < maxRecentFolders {
			list = append(list, d)
		}
	}
	settingsOf(a).SetStringList(prefRecentFolders, list)
}

// folderLabel names a folder for a menu: the home and documents folders
// by name, others by their path from the home folder.
func folderLabel(dir string) string {
	if home, err := os.UserHomeDir(); err == nil && dir == home {
		return "Home folder  (" + tildePath(dir) + ")"
	}
	if dir == appdata.DocumentsDir() {
		return "Documents  (" + tildePath(dir) + ")"
	}
	return tildePath(dir)
}

// recentButton is a button that opens a menu of the recent folders and
// the documents folder; picking one hands it to pick.
func recentButton(win fyne.Window, pick func(dir string)) *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon("Recent", theme.HistoryIcon(), func() {
		var items []*fyne.MenuItem
		for _, d := range recentFolders() {
			dir := d
			items = append(items, fyne.NewMenuItem(folderLabel(dir), func() { pick(dir) }))
		}
		c := win.Canvas()
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b).AddXY(0, b.Size().Height)
		widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos)
	})
	return b
}

// openPath is the dialog that opens a file (or a workspace folder): a
// field for a typed or pasted path, Browse… for the file dialog, and the
// recent folders one click away, each opening the file dialog there.
type openPath struct {
	win     fyne.Window
	exts    []string
	folder  bool
	path    *widget.Entry
	problem *widget.Label
	recent  *fyne.Container
	dlg     dialog.Dialog
	open    func(path string)
	// browse shows the file dialog in a folder; tests replace it.
	browse func(dir string)
}

// lastOpenPath is the open dialog on show, for tests.
var lastOpenPath *openPath

// showOpenPath shows the dialog; open hears the path chosen. exts lists
// the file endings taken (".briefboard"); folder asks for a folder
// instead of a file.
func showOpenPath(win fyne.Window, title, confirm string, exts []string, folder bool, open func(path string)) *openPath {
	o := &openPath{win: win, exts: exts, folder: folder, open: open}
	o.browse = o.showFileDialog
	o.problem = widget.NewLabel("")
	o.problem.Importance = widget.DangerImportance
	o.problem.Wrapping = fyne.TextWrapWord
	o.path = widget.NewEntry()
	what := "file"
	if folder {
		what = "folder"
	}
	o.path.SetPlaceHolder(fmt.Sprintf("Type or paste the %s's path, or Browse", what))
	o.path.OnSubmitted = func(string) { o.submit() }
	o.path.OnChanged = func(string) { o.problem.SetText("") }
	browse := widget.NewButtonWithIcon("Browse…", theme.FolderOpenIcon(), func() { o.browse(o.startDir()) })
	o.recent = container.NewVBox()
	for _, d := range recentFolders() {
		dir := d
		b := widget.NewButtonWithIcon(folderLabel(dir), theme.FolderIcon(), func() { o.browse(dir) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		o.recent.Add(b)
	}
	openBtn := widget.NewButtonWithIcon(confirm, theme.ConfirmIcon(), o.submit)
	openBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { o.dlg.Hide() })
	problemBox := container.New(&minHeightLayout{lines: 2}, o.problem)
	content := container.NewVBox(
		label(strings.ToUpper(what)),
		container.NewBorder(nil, nil, nil, browse, o.path),
		problemBox,
		label("RECENT FOLDERS  (one click browses there)"),
		o.recent,
		container.NewHBox(layoutSpacer(), cancel, openBtn),
	)
	o.dlg = dialog.NewCustomWithoutButtons(title, content, win)
	o.dlg.Resize(fyne.NewSize(620, 0))
	o.dlg.Show()
	win.Canvas().Focus(o.path)
	lastOpenPath = o
	return o
}

// startDir is where Browse starts: the folder of the typed path, else the
// most recent folder, else the documents folder.
func (o *openPath) startDir() string {
	if p := strings.TrimSpace(o.path.Text); p != "" {
		p = expandHome(p)
		for _, d := range []string{p, filepath.Dir(p)} {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				return d
			}
		}
	}
	if r := recentFolders(); len(r) > 0 {
		return r[0]
	}
	return appdata.DocumentsDir()
}

// check says what is wrong with a path, or nil.
func (o *openPath) check(p string) error {
	if p == "" {
		if o.folder {
			return errors.New("give the folder's path, or Browse")
		}
		return errors.New("give the file's path, or Browse")
	}
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("there is nothing at %s", tildePath(p))
	case err != nil:
		return err
	case o.folder && !fi.IsDir():
		return fmt.Errorf("%s is a file, not a folder", tildePath(p))
	case !o.folder && fi.IsDir():
		return fmt.Errorf("%s is a folder: give a file in it, or Browse", tildePath(p))
	}
	if len(o.exts) > 0 && !o.folder {
		for _, ext := range o.exts {
			if strings.EqualFold(filepath.Ext(p), ext) {
				return nil
			}
		}
		return fmt.Errorf("%s is not a %s file", filepath.Base(p), strings.Join(o.exts, " or "))
	}
	return nil
}

// submit opens the typed path, or says why it cannot.
func (o *openPath) submit() {
	p := expandHome(strings.TrimSpace(o.path.Text))
	if abs, err := filepath.Abs(p); err == nil && p != "" {
		p = abs
	}
	if err := o.check(p); err != nil {
		o.problem.SetText(err.Error())
		return
	}
	o.dlg.Hide()
	// A workspace's own folder is not where files are found: note the
	// folder that holds it, as for a file.
	noteFolder(filepath.Dir(p))
	o.open(p)
}

// showFileDialog is Browse: Fyne's file (or folder) dialog opened in dir;
// a choice fills the path and opens it.
func (o *openPath) showFileDialog(dir string) {
	picked := func(p string) {
		o.path.SetText(p)
		o.submit()
	}
	var d *dialog.FileDialog
	if o.folder {
		d = dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				picked(u.Path())
			}
		}, o.win)
	} else {
		d = dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				p := r.URI().Path()
				r.Close()
				picked(p)
			}
		}, o.win)
		if len(o.exts) > 0 {
			d.SetFilter(storage.NewExtensionFileFilter(o.exts))
		}
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// expandHome reads a leading ~ as the home folder, as a shell would.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}
