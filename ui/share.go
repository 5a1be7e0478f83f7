package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"briefboard/ui/appdata"
	"briefboard/workspace"
)

// shareNoCap is the TLP choice that shares everything.
const shareNoCap = "No cap: share everything"

// shareDialog is the Share… dialog: where to save the share file, a TLP
// cap, encryption with a passphrase, progress and the result. Encryption
// is on by default when the file would carry TLP:AMBER or stricter, and
// writing such a file plain is asked about first.
type shareDialog struct {
	win   fyne.Window
	store *workspace.Store
	snap  *workspace.Snapshot

	path     *widget.Entry
	choose   *widget.Button
	recent   *widget.Button
	caps     *capChoice
	tlp      *widget.Select
	encrypt  *widget.Check
	pass     *widget.Entry
	confirm  *widget.Entry
	progress *widget.ProgressBarInfinite
	status   *widget.Label
	shareBtn *widget.Button
	// askPlain is the question before an AMBER or stricter file is
	// written unencrypted, while it is on show.
	askPlain *dialog.ConfirmDialog

	// encryptChosen is set once the analyst ticks or unticks Encrypt
	// (or types a passphrase): the default no longer follows the cap.
	encryptChosen bool
	settingChoice bool

	dlg dialog.Dialog
	// done hears the end of each share; tests wait on it.
	done func(*workspace.Manifest, error)
}

// ShowShare shows the Share… dialog over a window: it writes the workspace
// as a share file (.briefboard) for colleagues to import.
func ShowShare(w fyne.Window, s *workspace.Store) {
	d, err := newShareDialog(w, s)
	if err != nil {
		dialog.ShowError(err, w)
		return
	}
	d.dlg.Show()
}

func newShareDialog(w fyne.Window, s *workspace.Store) (*shareDialog, error) {
	snap, err := s.Snapshot()
	if err != nil {
		return nil, fmt.Errorf("read the workspace: %w", err)
	}
	d := &shareDialog{win: w, store: s, snap: snap}
	d.path = widget.NewEntry()
	d.path.SetText(defaultSavePath(snap, workspace.ShareExt))
	d.choose = widget.NewButton("Folder…", d.chooseFile)
	d.recent = recentButton(w, func(dir string) {
		useSaveFolder(w, d.path, fileNameOf(snap.Meta.Title, "workspace")+workspace.ShareExt, dir)
	})
	d.encrypt = widget.NewCheck("Encrypt with a passphrase", func(bool) {
		if !d.settingChoice {
			d.encryptChosen = true
		}
	})
	d.pass = widget.NewPasswordEntry()
	d.pass.SetPlaceHolder("Give it to your colleague apart from the file")
	d.pass.OnChanged = func(text string) {
		if text != "" && !d.encrypt.Checked {
			d.encrypt.SetChecked(true)
		}
	}
	d.confirm = widget.NewPasswordEntry()
	d.confirm.SetPlaceHolder("The passphrase again")
	d.progress = widget.NewProgressBarInfinite()
	d.progress.Stop()
	d.progress.Hide()
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.caps = newCapChoice(snap, shareNoCap, "the file", d.capChanged)
	d.tlp = d.caps.sel
	d.capChanged()
	d.shareBtn = widget.NewButton("Share", d.start)
	// Enter in the passphrase fields shares, as the Share button does.
	d.pass.OnSubmitted = func(string) { d.start() }
	d.confirm.OnSubmitted = func(string) { d.start() }
	d.shareBtn.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Save as", container.NewBorder(nil, nil, nil, container.NewHBox(d.choose, d.recent), d.path)),
		widget.NewFormItem("TLP cap", container.NewVBox(d.tlp, soft(d.caps.note))),
		widget.NewFormItem("", d.encrypt),
		widget.NewFormItem("Passphrase", d.pass),
		widget.NewFormItem("Confirm", d.confirm),
	)
	content := container.NewVBox(form, d.progress, d.status, container.NewHBox(d.shareBtn))
	d.dlg = dialog.NewCustom("Share workspace", "Close", content, w)
	d.dlg.Resize(fyne.NewSize(560, 0))
	return d, nil
}

// capTLP is the cap chosen, or nil for none.
func (d *shareDialog) capTLP() (*workspace.TLP, error) { return d.caps.cap() }

// carried is what the file would carry with the cap chosen: the part of
// the workspace the cap lets through, or an error when the cap refuses
// the workspace's header.
func (d *shareDialog) carried() (*workspace.Snapshot, error) { return d.caps.part() }

// carries is the strictest marking the file would carry with the cap
// chosen; when the cap refuses the file, that of the whole workspace.
func (d *shareDialog) carries() workspace.TLP {
	if part, err := d.carried(); err == nil {
		return part.MaxTLP()
	}
	return d.snap.MaxTLP()
}

// capChanged says what the file would carry, and turns encryption on or
// off to match unless the analyst has chosen.
func (d *shareDialog) capChanged() {
	part, err := d.carried()
	if err != nil {
		d.status.SetText(err.Error())
	} else {
		d.status.SetText(fmt.Sprintf("The file will carry %d cards, %d sources and their annotations, marked up to %s.",
			len(part.Cards), len(part.Sources), part.MaxTLP()))
	}
	if !d.encryptChosen {
		d.settingChoice = true
		d.encrypt.SetChecked(d.carries().WantsEncryption())
		d.settingChoice = false
	}
}

// chooseFile picks the folder to save in.
func (d *shareDialog) chooseFile() {
	chooseSaveFolder(d.win, d.path, fileNameOf(d.snap.Meta.Title, "workspace")+workspace.ShareExt)
}

// options reads the dialog into share options and the file to write.
func (d *shareDialog) options() (string, workspace.ShareOptions, error) {
	var o workspace.ShareOptions
	path := strings.TrimSpace(d.path.Text)
	if path == "" {
		return "", o, errors.New("choose where to save the share file")
	}
	if !strings.HasSuffix(strings.ToLower(path), workspace.ShareExt) {
		path += workspace.ShareExt
	}
	if err := workspace.CheckOutputPath(path); err != nil {
		return "", o, err
	}
	c, err := d.capTLP()
	if err != nil {
		return "", o, err
	}
	o.MaxTLP = c
	if d.encrypt.Checked {
		if d.pass.Text == "" {
			return "", o, errors.New("type a passphrase to encrypt the file with, or untick Encrypt")
		}
		if d.pass.Text != d.confirm.Text {
			return "", o, errors.New("the two passphrases differ")
		}
		o.Passphrase = []byte(d.pass.Text)
	}
	return path, o, nil
}

// start checks the dialog and writes the file, asking first when an
// AMBER or stricter file would go out unencrypted.
func (d *shareDialog) start() {
	path, opts, err := d.options()
	if err != nil {
		dialog.ShowError(err, d.win)
		return
	}
	confirmReplace(d.win, path, func() { d.askThenWrite(path, opts) })
}

// askThenWrite writes the file, asking first when an AMBER or stricter
// file would go out unencrypted.
func (d *shareDialog) askThenWrite(path string, opts workspace.ShareOptions) {
	if t := d.carries(); len(opts.Passphrase) == 0 && t.WantsEncryption() {
		msg := fmt.Sprintf("This file will carry %s material.\nWithout encryption, anyone who finds it on a stick,\na shared drive or in a mailbox can read it.\n\nWrite it without encryption?", t)
		d.askPlain = dialog.NewConfirm("Share without encryption?", msg, func(ok bool) {
			d.askPlain = nil
			if ok {
				d.write(path, opts)
			}
		}, d.win)
		d.askPlain.SetConfirmText("Write unencrypted")
		d.askPlain.SetDismissText("Cancel")
		d.askPlain.Show()
		return
	}
	d.write(path, opts)
}

// write writes the file off the UI goroutine.
func (d *shareDialog) write(path string, opts workspace.ShareOptions) {
	d.shareBtn.Disable()
	d.progress.Show()
	d.progress.Start()
	d.status.SetText("Writing " + path + "…")
	store := d.store
	go func() {
		m, err := store.ShareToFile(path, opts)
		onUI(func() { d.finish(path, m, err, opts) })
	}()
}

func (d *shareDialog) finish(path string, m *workspace.Manifest, err error, opts workspace.ShareOptions) {
	d.progress.Stop()
	d.progress.Hide()
	d.shareBtn.Enable()
	switch {
	case closedMeanwhile(err):
		d.status.SetText("Not written: this workspace was closed before the file was begun. Open it again to share it.")
	case err != nil:
		d.status.SetText("The share file was not written.")
		dialog.ShowError(err, d.win)
	default:
		rememberSaveFolder(d.snap.Meta.ID, path)
		d.caps.remember()
		text := fmt.Sprintf("Saved %s: %d cards, %d sources, %d annotations, marked %s.", path,
			m.Counts[workspace.RecCard], m.Counts[workspace.RecSource], m.Counts[workspace.RecAnnotation], m.TLP)
		if opts.MaxTLP != nil {
			text += fmt.Sprintf(" Everything above %s was left out.", *opts.MaxTLP)
		}
		if len(opts.Passphrase) > 0 {
			text += " Encrypted: give the passphrase to your colleague apart from the file."
		}
		d.status.SetText(text)
	}
	if d.done != nil {
		d.done(m, err)
	}
}

// importFlow is Import/merge…: pick a file, ask its passphrase when it is
// encrypted, show what merging would do, then merge.
type importFlow struct {
	win   fyne.Window
	store *workspace.Store
	// done is called after a merge that changed something.
	done func()

	// The summary shown before merging, and its buttons.
	summary  *widget.Label
	details  *widget.Label
	mergeBtn *widget.Button
	progress *widget.ProgressBarInfinite
	status   *widget.Label
	dlg      *dialog.CustomDialog

	file *workspace.ShareFile
	// wait is the dialog shown while the file is read.
	wait *dialog.CustomDialog
	// finished hears the outcome of each step; tests wait on it.
	finished func(step string, err error)
}

// ShowImport shows Import/merge…: the analyst picks a colleague's share
// file; if it is encrypted its passphrase is asked for; a summary of what
// merging would add, update, delete and leave in conflict is shown before
// anything changes; the merge then runs off the UI goroutine. done is
// called after a merge.
func ShowImport(w fyne.Window, s *workspace.Store, done func()) {
	f := newImportFlow(w, s, done)
	showOpenPath(w, "Import and merge a share file", "Import", []string{workspace.ShareExt}, false, f.open)
}

func newImportFlow(w fyne.Window, s *workspace.Store, done func()) *importFlow {
	f := &importFlow{win: w, store: s, done: done}
	f.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.summary.Wrapping = fyne.TextWrapWord
	f.details = widget.NewLabel("")
	f.details.Wrapping = fyne.TextWrapWord
	f.progress = widget.NewProgressBarInfinite()
	f.progress.Stop()
	f.progress.Hide()
	return f
}

// errImportCancelled tells that the analyst cancelled reading a file.
var errImportCancelled = errors.New("cancelled")

func (f *importFlow) report(step string, err error) {
	if err != nil && !errors.Is(err, errImportCancelled) {
		dialog.ShowError(err, f.win)
	}
	if f.finished != nil {
		f.finished(step, err)
	}
}

// open looks at a picked file: an encrypted one needs its passphrase
// first.
func (f *importFlow) open(path string) {
	encrypted, err := workspace.ShareEncrypted(path)
	if err != nil {
		f.report("read", fmt.Errorf("%s: %w", filepath.Base(path), err))
		return
	}
	if !encrypted {
		f.read(path, nil)
		return
	}
	askSharePassphrase(f.win, path, func(pass []byte) { f.read(path, pass) })
}

// read reads and checks the file and works out the summary, off the UI
// goroutine.
func (f *importFlow) read(path string, pass []byte) {
	// Reading and previewing change nothing: Cancel drops the result.
	cancelled, ended := false, false
	msg := widget.NewLabel("Reading the file and working out what merging would do. The workspace stays usable meanwhile.")
	msg.Wrapping = fyne.TextWrapWord
	bar := widget.NewProgressBarInfinite()
	wait := dialog.NewCustom("Reading "+filepath.Base(path)+"…", "Cancel", container.NewVBox(msg, bar), f.win)
	wait.SetOnClosed(func() {
		cancelled = !ended
		bar.Stop()
	})
	wait.Resize(fyne.NewSize(460, 0))
	wait.Show()
	f.wait = wait
	store := f.store
	go func() {
		sf, err := workspace.ReadShareFile(path, pass)
		var res *workspace.ImportResult
		if err == nil {
			done := beginLongWrite()
			res, err = store.PreviewImport(sf)
			done()
		}
		onUI(func() {
			if cancelled {
				f.report("read", errImportCancelled)
				return
			}
			ended = true
			wait.Hide()
			if closedMeanwhile(err) {
				f.report("read", nil)
				return
			}
			if errors.Is(err, workspace.ErrShareWrongPassphrase) {
				askSharePassphrase(f.win, path, func(pass []byte) { f.read(path, pass) })
				f.report("read", err)
				return
			}
			if err != nil {
				f.report("read", fmt.Errorf("%s: %w", filepath.Base(path), err))
				return
			}
			f.showSummary(path, sf, res)
			f.report("read", nil)
		})
	}()
}

// showSummary says what merging would do and asks before doing it.
func (f *importFlow) showSummary(path string, sf *workspace.ShareFile, res *workspace.ImportResult) {
	f.file = sf
	m := sf.Manifest
	f.summary.SetText(fmt.Sprintf("%s, shared %s on %s (%s): %s.", workspace.Printable(filepath.Base(path)), f.sharedBy(m),
		m.ExportedAt.Local().Format("2 Jan 2006 15:04"), m.TLP, res.Summary()))
	f.details.SetText(describeImport(res))
	f.mergeBtn = widget.NewButton("Merge", f.merge)
	f.mergeBtn.Importance = widget.HighImportance
	if !res.Changed() {
		f.mergeBtn.Disable()
	}
	scroll := container.NewVScroll(f.details)
	scroll.SetMinSize(fyne.NewSize(0, 180))
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	f.status.Hide()
	content := container.NewBorder(container.NewVBox(f.summary, f.progress, f.status), container.NewHBox(f.mergeBtn), nil, nil, scroll)
	f.dlg = dialog.NewCustom("Import and merge", "Cancel", content, f.win)
	f.dlg.Resize(fyne.NewSize(580, 380))
	f.dlg.Show()
}

// sharedBy says who shared a file: the analyst's name, or, for a file
// without one, which copy of the workspace it came from.
func (f *importFlow) sharedBy(m workspace.Manifest) string {
	switch {
	case m.ExportedBy.Name != "":
		return "by " + workspace.Printable(m.ExportedBy.Name)
	case m.ExportedBy.Replica != "" && m.ExportedBy.Replica == f.store.Replica():
		return "from this copy of the workspace"
	}
	if snap, err := f.store.Snapshot(); err == nil && m.Workspace.ID == snap.Meta.ID {
		return "by another copy of this workspace"
	}
	return "by an analyst who gave no name"
}

// describeImport lists what an import adds, updates, deletes and leaves
// in conflict, a line per record (the first few of each).
func describeImport(res *workspace.ImportResult) string {
	var b strings.Builder
	group := func(title string, list []workspace.RecordChange) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(&b, "%s (%d)\n", title, len(list))
		for i, c := range list {
			if i == 12 {
				fmt.Fprintf(&b, "  … and %d more\n", len(list)-i)
				break
			}
			line := fmt.Sprintf("  %s: %s", c.RecordKind, workspace.Printable(c.Title))
			if len(c.Fields) > 0 && title != "Added" {
				line += " (" + strings.Join(c.Fields, ", ") + ")"
			}
			b.WriteString(line + "\n")
		}
	}
	group("Conflicts to resolve", res.Conflicts)
	group("Added", res.Added)
	group("Updated", res.Updated)
	group("Deleted", res.Deleted)
	if len(res.Conflicts) > 0 {
		b.WriteString("\nConflicting values are all kept; each field shows one of them until you choose in Conflicts.")
	}
	// A file with nothing new says so once, in the summary line above.
	return strings.TrimSpace(b.String())
}

// merge commits the import off the UI goroutine.
// Once it has begun, a merge cannot be cancelled (Undo takes it back
// whole), so the dialog offers no Cancel meanwhile.
func (f *importFlow) merge() {
	f.mergeBtn.Disable()
	f.progress.Show()
	f.progress.Start()
	if f.dlg != nil {
		f.dlg.SetButtons(nil)
	}
	f.status.SetText("Merging. You can go on working; Undo takes the whole merge back.")
	f.status.Show()
	sf, store := f.file, f.store
	done := beginLongWrite()
	go func() {
		res, err := store.Import(sf)
		done()
		onUI(func() {
			f.progress.Stop()
			f.progress.Hide()
			if f.dlg != nil {
				f.dlg.Hide()
			}
			if closedMeanwhile(err) {
				f.report("merge", nil)
				return
			}
			if err != nil {
				f.report("merge", fmt.Errorf("merge: %w", err))
				return
			}
			msg := "Merged: " + res.Summary() + "."
			if len(res.Conflicts) > 0 {
				msg += "\nResolve the conflicts from the Conflicts view. Undo takes the whole merge back."
			} else {
				msg += "\nUndo takes the whole merge back."
			}
			dialog.ShowInformation("Import and merge", msg, f.win)
			if f.done != nil {
				f.done()
			}
			f.report("merge", nil)
		})
	}()
}

// passPrompt is the question for a share file's passphrase.
type passPrompt struct {
	entry *widget.Entry
	dlg   *dialog.FormDialog
}

// lastPrompt is the passphrase prompt on show, for tests.
var lastPrompt *passPrompt

// askSharePassphrase asks for a share file's passphrase.
func askSharePassphrase(w fyne.Window, path string, then func(pass []byte)) {
	p := &passPrompt{entry: widget.NewPasswordEntry()}
	items := []*widget.FormItem{widget.NewFormItem("Passphrase", p.entry)}
	p.dlg = dialog.NewForm(filepath.Base(path)+" is encrypted", "Open", "Cancel", items, func(ok bool) {
		if ok && p.entry.Text != "" {
			then([]byte(p.entry.Text))
		}
	}, w)
	// Enter in the field opens the file, as the Open button does.
	p.entry.OnSubmitted = func(string) { p.dlg.Submit() }
	p.dlg.Resize(fyne.NewSize(420, 0))
	p.dlg.Show()
	w.Canvas().Focus(p.entry)
	lastPrompt = p
}

// OpenShareFile opens a share file as a new workspace: it asks the
// passphrase of an encrypted file, makes a copy of the colleague's
// workspace under the data directory (with its own replica id) and hands
// its directory to open.
func OpenShareFile(w fyne.Window, path string, open func(dir string)) {
	openShareFile(w, path, open, nil)
}

func openShareFile(w fyne.Window, path string, open func(dir string), finished func(error)) {
	report := func(err error) {
		if err != nil {
			dialog.ShowError(err, w)
		}
		if finished != nil {
			finished(err)
		}
	}
	encrypted, err := workspace.ShareEncrypted(path)
	if err != nil {
		report(fmt.Errorf("%s: %w", filepath.Base(path), err))
		return
	}
	var load func(pass []byte)
	load = func(pass []byte) {
		bar := widget.NewProgressBarInfinite()
		wait := dialog.NewCustomWithoutButtons("Opening "+filepath.Base(path)+"…", bar, w)
		wait.Show()
		go func() {
			dir, err := func() (string, error) {
				sf, err := workspace.ReadShareFile(path, pass)
				if err != nil {
					return "", err
				}
				dir, err := appdata.NewWorkspaceDir(sf.Manifest.Workspace.Title)
				if err != nil {
					return "", err
				}
				s, _, err := workspace.CreateFromShare(dir, sf, workspace.Options{})
				if err != nil {
					return "", err
				}
				return dir, s.Close()
			}()
			onUI(func() {
				bar.Stop()
				wait.Hide()
				if errors.Is(err, workspace.ErrShareWrongPassphrase) {
					askSharePassphrase(w, path, load)
					report(err)
					return
				}
				if err != nil {
					report(fmt.Errorf("open %s: %w", filepath.Base(path), err))
					return
				}
				open(dir)
				report(nil)
			})
		}()
	}
	if encrypted {
		askSharePassphrase(w, path, load)
		return
	}
	load(nil)
}
