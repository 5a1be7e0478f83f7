package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/ui/appdata"
	"briefboard/workspace"
	"briefboard/workspace/team"
)

// A new colleague's first step: the team's workspace, made from its team
// folder (the latest snapshot plus what follows it) in a new directory
// under the data directory, opened here and synced from then on.

// joinNewDialog is the dialog on show, for tests.
type joinNewDialog struct {
	path, pass *widget.Entry
	passLabel  fyne.CanvasObject
	about      *widget.Label
	problem    *widget.Label
	progress   *widget.ProgressBarInfinite
	joinBtn    *widget.Button
	cancelBtn  *widget.Button
	dlg        dialog.Dialog
	// done hears the outcome of a join, for tests.
	done func(dir string, err error)
	info *team.Info
	// cancelled is set when the dialog is cancelled while a join runs:
	// the copy it makes is removed instead of opened.
	cancelled bool
}

// newFromTeamDialog asks for a team folder and its passphrase and opens
// the team's workspace as a new workspace.
func (mw *MainWindow) newFromTeamDialog() *joinNewDialog {
	d := &joinNewDialog{}
	d.path = widget.NewEntry()
	d.path.SetPlaceHolder("The team folder your sync engine carries")
	d.pass = widget.NewPasswordEntry()
	d.pass.SetPlaceHolder("The team's passphrase (none for a folder set up without encryption)")
	d.passLabel = label("PASSPHRASE")
	d.about = widget.NewLabel("")
	d.about.Wrapping = fyne.TextWrapWord
	d.problem = widget.NewLabel("")
	d.problem.Importance = widget.DangerImportance
	d.problem.Wrapping = fyne.TextWrapWord
	d.progress = widget.NewProgressBarInfinite()
	d.progress.Stop()
	d.progress.Hide()
	choose := widget.NewButtonWithIcon("Folder…", theme.FolderOpenIcon(), func() {
		showOpenPath(mw.win, "Choose the team folder", "Choose", nil, true, func(p string) { d.path.SetText(p) })
	})
	recent := recentButton(mw.win, func(dir string) { d.path.SetText(dir) })
	d.joinBtn = widget.NewButtonWithIcon("Open the team's workspace", theme.ConfirmIcon(), func() { mw.joinNew(d) })
	d.joinBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {
		d.cancelled = d.progress.Visible()
		d.dlg.Hide()
	})
	d.cancelBtn = cancel
	d.path.OnChanged = func(string) { d.inspect() }
	d.path.OnSubmitted = func(string) { mw.joinNew(d) }
	d.pass.OnSubmitted = func(string) { mw.joinNew(d) }
	intro := widget.NewLabel("A colleague's team folder holds the team's workspace. Briefboard makes your copy of it " +
		"from the folder, in a new workspace of your own, and keeps it in sync through the folder from then on.")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(
		intro,
		label("TEAM FOLDER"),
		container.NewBorder(nil, nil, nil, container.NewHBox(choose, recent), d.path),
		d.about,
		d.passLabel,
		d.pass,
		container.New(&minHeightLayout{lines: 2}, d.problem),
		d.progress,
		container.NewHBox(layoutSpacer(), cancel, d.joinBtn),
	)
	d.dlg = dialog.NewCustomWithoutButtons("New workspace from a team folder", content, mw.win)
	d.dlg.Resize(fyne.NewSize(640, 0))
	d.dlg.Show()
	mw.win.Canvas().Focus(d.path)
	mw.team.joinNew = d
	return d
}

// folder is the path typed, made absolute.
func (d *joinNewDialog) folder() string { return typedFolder(d.path.Text) }

// inspect says what the folder typed holds, without the passphrase.
func (d *joinNewDialog) inspect() {
	d.problem.SetText("")
	d.info = nil
	p := d.folder()
	if fi, err := os.Stat(p); p == "" || err != nil || !fi.IsDir() {
		d.about.SetText("")
		d.pass.Show()
		d.passLabel.Show()
		return
	}
	info, err := team.Inspect(p, "")
	if err == nil && len(info.Workspaces) == 1 {
		info, err = team.Inspect(p, info.Workspaces[0])
	}
	switch {
	case err != nil:
		d.about.SetText("")
		d.problem.SetText(teamOneLine(err.Error()))
	case len(info.Workspaces) == 0:
		d.about.SetText("This folder holds no team's workspace yet: a colleague sets it up first (Workspace › Team folder…).")
	case len(info.Workspaces) > 1:
		d.about.SetText(fmt.Sprintf("This folder holds %d workspaces; open each from the folder that holds it alone.", len(info.Workspaces)))
	case info.Encrypted:
		d.about.SetText("This folder holds a team's workspace, encrypted: the team's passphrase opens it.")
	default:
		d.about.SetText("This folder holds a team's workspace, set up without encryption.")
	}
	d.info = info
	// The passphrase is asked of an encrypted folder only.
	if err == nil && len(info.Workspaces) == 1 && !info.Encrypted {
		d.pass.Hide()
		d.passLabel.Hide()
	} else {
		d.pass.Show()
		d.passLabel.Show()
	}
}

func (d *joinNewDialog) busy(on bool) { showBusy(on, d.problem, d.progress, d.joinBtn) }

// errJoinCancelled is the outcome of a join cancelled while it ran.
var errJoinCancelled = errors.New("cancelled: no workspace was made")

// joinNew makes the workspace from the folder in the background and opens
// it; the folder is remembered for it, so it syncs at once, and the
// passphrase is kept for the session.
func (mw *MainWindow) joinNew(d *joinNewDialog) {
	if d.progress.Visible() {
		return
	}
	root := d.folder()
	if root == "" {
		d.problem.SetText("Give the team folder's path, or choose it with Folder…")
		return
	}
	d.inspect()
	if d.problem.Text != "" {
		return
	}
	switch {
	case d.info == nil:
		d.problem.SetText(fmt.Sprintf("The team folder %s does not exist: check the path, or wait until your sync engine has brought it.", tildePath(root)))
		return
	case len(d.info.Workspaces) != 1:
		d.problem.SetText(d.about.Text)
		return
	case d.info.Encrypted && d.pass.Text == "":
		d.problem.SetText("Give the team's passphrase.")
		mw.win.Canvas().Focus(d.pass)
		return
	}
	opts := team.Options{NoEncryption: !d.info.Encrypted}
	if d.info.Encrypted {
		opts.Passphrase = []byte(d.pass.Text)
	}
	d.busy(true)
	d.cancelled = false
	mw.background(func() {
		dir, ws, err := func() (string, string, error) {
			dir, err := appdata.NewWorkspaceDir("team " + filepath.Base(root))
			if err != nil {
				return "", "", err
			}
			s, folder, err := team.NewWorkspace(dir, root, opts, workspace.Options{})
			if err != nil {
				os.RemoveAll(dir)
				return "", "", err
			}
			ws := ""
			if snap, err := s.Snapshot(); err == nil {
				ws = snap.Meta.ID
			}
			root = folder.Root()
			return dir, ws, s.Close()
		}()
		onUI(func() {
			d.busy(false)
			if err == nil && ws == "" {
				err = errors.New("the new workspace could not be read back")
			}
			if err == nil && d.cancelled {
				// Cancelled while it ran: nothing of it is kept.
				os.RemoveAll(dir)
				err = errJoinCancelled
			}
			if err != nil {
				d.problem.SetText(joinError(err))
			} else {
				settingsOf(mw.app).SetString(prefTeamFolder+ws, root)
				mw.keepTeamPassphrase(root, ws, opts.Passphrase)
				d.dlg.Hide()
				mw.openDir(dir)
			}
			if d.done != nil {
				d.done(dir, err)
			}
		})
	})
}
