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
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/resources"
	"briefboard/ui/appdata"
	"briefboard/workspace"
)

// templateLabels name the built-in templates in pickers.
var templateLabels = map[string]string{
	"three-pillars": "Florida talks, December 2025 (demo: three pillars)",
	"empty":         "Empty workspace",
}

func templateLabel(name string) string {
	if l, ok := templateLabels[name]; ok {
		return l
	}
	return name
}

// openDir opens the workspace in dir in this window, asking for a
// passphrase if it is encrypted. The current workspace stays open until
// the other has opened, then is closed, so the window always holds the
// lock of the workspace it shows.
func (mw *MainWindow) openDir(dir string) {
	mw.openDirWith(dir, workspace.Options{})
}

func (mw *MainWindow) openDirWith(dir string, o workspace.Options) {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if mw.store != nil && sameDir(mw.store.Dir(), dir) {
		return
	}
	if mw.opening != nil && sameDir(mw.opening.s.Dir(), dir) {
		return
	}
	// The workspace is opened and read off the UI goroutine; one this
	// window is still closing is waited for, so its lock is free.
	wait := mw.closed(dir)
	mw.status.busy("Opening " + tildePath(dir) + "…")
	mw.background(func() {
		if wait != nil {
			<-wait
		}
		s, err := workspace.Open(dir, o)
		onUI(func() {
			switch {
			case errors.Is(err, workspace.ErrPassphraseRequired) || errors.Is(err, workspace.ErrWrongPassphrase) && len(o.Passphrase) > 0:
				mw.restoreStatus()
				mw.askPassphrase(dir, err, func(p []byte) {
					o.Passphrase = p
					mw.openDirWith(dir, o)
				})
			case err != nil:
				mw.restoreStatus()
				mw.showOpenFailure(dir, err)
			default:
				mw.adopt(s)
			}
		})
	})
}

// adopt shows a freshly opened store, once read, and closes the old one.
func (mw *MainWindow) adopt(s *workspace.Store) {
	mw.open(s, func() {
		_ = appdata.NoteRecent(s.Dir())
		mw.menu.rebuild()
	})
}

func sameDir(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// openErrorText says why a workspace could not be opened, naming it.
func openErrorText(dir string, err error) string {
	switch {
	case errors.Is(err, workspace.ErrLocked):
		return fmt.Sprintf("The workspace\n\n%s\n\nis already open in another Briefboard window or process. "+
			"Close it there first, or open another workspace.", dir)
	case errors.Is(err, workspace.ErrNoWorkspace):
		return fmt.Sprintf("There is no workspace at\n\n%s", dir)
	case errors.Is(err, workspace.ErrNotWorkspace):
		return fmt.Sprintf("The folder\n\n%s\n\nis not a Briefboard workspace.", dir)
	case errors.Is(err, workspace.ErrNewerSchema):
		return fmt.Sprintf("The workspace\n\n%s\n\nwas written by a newer Briefboard. Update Briefboard to open it.", dir)
	}
	return fmt.Sprintf("The workspace\n\n%s\n\ncould not be opened: %v", dir, err)
}

// showOpenFailure reports a workspace that would not open: in a dialog
// over the open workspace, or on the page shown when none is open.
func (mw *MainWindow) showOpenFailure(dir string, err error) {
	if mw.store != nil {
		msg := widget.NewLabel(openErrorText(dir, err))
		msg.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustom("Cannot open the workspace", "Close", msg, mw.win)
		d.Resize(fyne.NewSize(520, 260))
		d.Show()
		return
	}
	mw.showOpenError(dir, err)
}

// showOpenError shows the page of a window without a workspace, saying why
// dir did not open.
func (mw *MainWindow) showOpenError(dir string, err error) {
	mw.openErrorText = openErrorText(dir, err)
	mw.showEmpty()
}

// showEmpty shows the page of a window without a workspace: why, and ways
// to open one.
func (mw *MainWindow) showEmpty() {
	mw.body.Hide()
	mw.win.SetTitle("Briefboard")
	icon := widget.NewIcon(theme.WarningIcon())
	text := mw.openErrorText
	heading := "Cannot open the workspace"
	if text == "" {
		heading = "No workspace is open"
		text = "Open a workspace folder, or make a new one from a template."
		icon = widget.NewIcon(boardIconThemed())
	}
	title := widget.NewLabelWithStyle(heading, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	msg.Alignment = fyne.TextAlignCenter
	open := widget.NewButtonWithIcon("Open another workspace…", theme.FolderOpenIcon(), mw.openWorkspaceDialog)
	open.Importance = widget.HighImportance
	create := widget.NewButtonWithIcon("New workspace from template…", theme.FolderNewIcon(), mw.newWorkspaceDialog)
	quit := widget.NewButtonWithIcon("Quit", theme.LogoutIcon(), mw.quit)
	box := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(64, 64), icon)), title, msg,
		container.NewHBox(layout.NewSpacer(), open, create, quit, layout.NewSpacer()))
	if recent, _ := appdata.Recent(); len(recent) > 0 {
		box.Add(widget.NewSeparator())
		box.Add(label("RECENT WORKSPACES"))
		for _, r := range recent {
			if !workspace.Exists(r) {
				continue
			}
			dir := r
			b := widget.NewButtonWithIcon(tildePath(dir), theme.FolderIcon(), func() { mw.openDir(dir) })
			b.Alignment = widget.ButtonAlignLeading
			b.Importance = widget.LowImportance
			box.Add(b)
		}
	}
	mw.emptyPage.Objects = []fyne.CanvasObject{container.NewCenter(container.NewGridWrap(fyne.NewSize(640, box.MinSize().Height), box))}
	mw.emptyPage.Show()
	mw.emptyPage.Refresh()
	mw.menu.updateLabels()
}

// askPassphrase asks for the passphrase of an encrypted workspace.
func (mw *MainWindow) askPassphrase(dir string, why error, then func([]byte)) {
	pass := widget.NewPasswordEntry()
	msg := "This workspace is encrypted. Its passphrase opens it:\n" + tildePath(dir)
	if errors.Is(why, workspace.ErrWrongPassphrase) {
		msg = "That passphrase does not open\n" + tildePath(dir) + "\nTry again."
	}
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	submit := func(ok bool) {
		if ok && pass.Text != "" {
			then([]byte(pass.Text))
		}
	}
	d := dialog.NewCustomConfirm("Passphrase", "Open", "Cancel", container.NewVBox(text, pass), submit, mw.win)
	pass.OnSubmitted = func(string) {
		d.Hide()
		submit(true)
	}
	d.Resize(fyne.NewSize(460, 220))
	d.Show()
	mw.win.Canvas().Focus(pass)
	mw.lastPassEntry = pass
}

// openWorkspaceDialog picks a workspace folder to open.
func (mw *MainWindow) openWorkspaceDialog() {
	showOpenPath(mw.win, "Open workspace", "Open", nil, true, mw.openDir)
}

// recentMenu lists the recent workspaces.
func (mw *MainWindow) recentMenu() *fyne.Menu {
	recent, _ := appdata.Recent()
	var items []*fyne.MenuItem
	for _, r := range recent {
		if !workspace.Exists(r) {
			continue
		}
		dir := r
		it := fyne.NewMenuItem(tildePath(dir), func() { mw.openDir(dir) })
		it.Checked = mw.store != nil && sameDir(mw.store.Dir(), dir)
		items = append(items, it)
	}
	if len(items) == 0 {
		it := fyne.NewMenuItem("No recent workspaces", nil)
		it.Disabled = true
		items = append(items, it)
	}
	return fyne.NewMenu("", items...)
}

// NewWorkspace is the new-workspace form; tests fill it and call Create.
type NewWorkspace struct {
	Template *widget.Select
	Folder   *widget.Entry
	Pass     *widget.Entry
	form     *formDialog
}

// Create makes the workspace as the Create button does.
func (n *NewWorkspace) Create() { n.form.trySave() }

// newWorkspaceDialog makes a workspace from a template and opens it here.
func (mw *MainWindow) newWorkspaceDialog() {
	mw.newWorkspaceForm()
}

func (mw *MainWindow) newWorkspaceForm() *NewWorkspace {
	n := &NewWorkspace{}
	names := resources.TemplateNames()
	var labels []string
	for _, name := range names {
		labels = append(labels, templateLabel(name))
	}
	n.Template = widget.NewSelect(labels, nil)
	n.Folder = widget.NewEntry()
	base := ""
	if dd, err := appdata.DataDir(); err == nil {
		base = filepath.Join(dd, "workspaces")
	}
	suggest := func(name string) string {
		for i := 1; ; i++ {
			p := filepath.Join(base, name)
			if i > 1 {
				p = fmt.Sprintf("%s-%d", p, i)
			}
			if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
				return p
			}
		}
	}
	n.Template.OnChanged = func(string) {
		if i := n.Template.SelectedIndex(); i >= 0 {
			n.Folder.SetText(suggest(names[i]))
		}
	}
	for i, name := range names {
		if name == resources.DemoTemplate {
			n.Template.SetSelectedIndex(i)
		}
	}
	if n.Template.SelectedIndex() < 0 && len(names) > 0 {
		n.Template.SetSelectedIndex(0)
	}
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() {
		dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				n.Folder.SetText(filepath.Join(u.Path(), filepath.Base(n.Folder.Text)))
			}
		}, mw.win)
	})
	n.Pass = widget.NewPasswordEntry()
	n.Pass.SetPlaceHolder("Optional: encrypts the workspace at rest")
	hint := widget.NewLabel("Leave the passphrase empty for a workspace that is not encrypted. A lost passphrase cannot be recovered.")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	hint.SizeName = theme.SizeNameCaptionText
	n.form = mw.newFormDialog("New workspace", "Create", []formRow{
		{"Template", n.Template, "template"},
		{"Folder (a new or empty folder)", container.NewBorder(nil, nil, nil, choose, n.Folder), "folder"},
		{"Passphrase", container.NewVBox(n.Pass, soft(hint)), "passphrase"},
	}, func() error {
		i := n.Template.SelectedIndex()
		if i < 0 {
			return &workspace.ValidationError{Field: "template", Reason: "choose a template"}
		}
		dir := strings.TrimSpace(n.Folder.Text)
		if dir == "" {
			return &workspace.ValidationError{Field: "folder", Reason: "give a folder for the workspace"}
		}
		data, err := resources.Template(names[i])
		if err != nil {
			return &workspace.ValidationError{Field: "template", Reason: err.Error()}
		}
		tpl, err := workspace.ParseTemplate(data)
		if err != nil {
			return &workspace.ValidationError{Field: "template", Reason: err.Error()}
		}
		var o workspace.Options
		if n.Pass.Text != "" {
			o.Passphrase = []byte(n.Pass.Text)
		}
		s, err := workspace.Create(dir, tpl, o)
		if err != nil {
			return &workspace.ValidationError{Field: "folder", Reason: err.Error()}
		}
		mw.adopt(s)
		return nil
	})
	// Enter in the folder or passphrase field creates, as Create does.
	n.Folder.OnSubmitted = func(string) { n.form.trySave() }
	n.Pass.OnSubmitted = func(string) { n.form.trySave() }
	n.form.Resize(fyne.NewSize(620, 380))
	n.form.d.Show()
	return n
}
