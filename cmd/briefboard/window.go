package main

import (
	"briefboard/ui"
	"briefboard/workspace"
)

// openWindow opens the window on a workspace: the one at path, or the
// default. The store's lock is held from before the window shows until it
// closes.
func (e *env) openWindow(path string) error {
	o, err := e.storeOptions()
	if err != nil {
		return err
	}
	if path == "" {
		if path, err = defaultWorkspace(o); err != nil {
			return err
		}
	}
	s, err := workspace.Open(path, o)
	if err != nil {
		return err
	}
	defer s.Close()
	_ = workspace.NoteRecent(path)
	return ui.Run(s)
}
