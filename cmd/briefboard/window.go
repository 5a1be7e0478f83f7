package main

import (
	"os"

	"briefboard/ui"
	"briefboard/ui/appdata"
	"briefboard/workspace"
)

// openWindow opens the window on a workspace: the one at path, or the
// default. The store's lock is held from before the window shows until it
// closes. A workspace that will not open (locked by another window, say)
// gets a window that says so and offers to open another; the error is also
// returned, so the exit code tells.
func (e *env) openWindow(path string) error {
	if err := ui.CheckDisplay(); err != nil {
		return err
	}
	o, err := e.storeOptions()
	if err != nil {
		return err
	}
	if path == "" {
		if path, err = defaultWorkspace(o); err != nil {
			return err
		}
	}
	// An encrypted share file opened without --passphrase-file (a double
	// click in a file manager) asks its passphrase in the window.
	if e.sharePassFile == "" {
		if encrypted, err := workspace.ShareEncrypted(path); err == nil && encrypted {
			if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
				return ui.RunShareFile(path)
			}
		}
	}
	if path, err = e.shareFileWorkspace(path, o); err != nil {
		return err
	}
	s, err := workspace.Open(path, o)
	if err != nil {
		return ui.RunOpenError(path, err)
	}
	defer s.Close()
	_ = appdata.NoteRecent(path)
	return ui.Run(s)
}
