package team

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"briefboard/workspace"
)

// WatchOptions tune Watch.
type WatchOptions struct {
	// Poll is the slow timer: a round runs at least this often, also when
	// the system tells nothing of the folder (a network share, a full
	// watch table). One minute when zero.
	Poll time.Duration
	// Settle is how long the folder and the workspace must stay quiet
	// before a round, so a burst of arriving files or of keystrokes makes
	// one round. Two seconds when zero.
	Settle time.Duration
}

// Watch runs rounds until ctx ends: a little after files arrive in the
// team folder, a little after the analyst changes the workspace (not after
// the team merges of its own rounds), and on a slow timer. report hears of
// every round, with its error; an error does not end the watch (a folder
// that is gone for a while may come back), the end of ctx does, and Watch
// then returns nil. Rounds before the first event are the caller's to run.
func Watch(ctx context.Context, f *Folder, opts WatchOptions, report func(*Report, error)) error {
	if opts.Poll <= 0 {
		opts.Poll = time.Minute
	}
	if opts.Settle <= 0 {
		opts.Settle = 2 * time.Second
	}
	wake := make(chan struct{}, 1)
	poke := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	stop := f.store.OnChange(func(e *workspace.Entry) {
		if e.Op != workspace.EntrySync {
			poke()
		}
	})
	defer stop()
	var events <-chan fsnotify.Event
	var errs <-chan error
	w, err := fsnotify.NewWatcher()
	if err == nil {
		defer w.Close()
		_ = os.MkdirAll(f.dir, 0o755)
		watchTree(w, f.dir)
		events, errs = w.Events, w.Errors
	}
	poll := time.NewTicker(opts.Poll)
	defer poll.Stop()
	settle := time.NewTimer(opts.Settle)
	settle.Stop()
	round := func() {
		rep, err := f.Round(ctx)
		if ctx.Err() == nil {
			report(rep, err)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					watchTree(w, ev.Name)
				}
			}
			if interesting(ev.Name) {
				settle.Reset(opts.Settle)
			}
		case <-errs:
			// An overflowing queue loses events; the timer catches up.
		case <-wake:
			settle.Reset(opts.Settle)
		case <-settle.C:
			round()
		case <-poll.C:
			round()
		}
	}
}

// watchTree watches a folder and the folders in it: the workspace's folder
// and each copy's.
func watchTree(w *fsnotify.Watcher, dir string) {
	if err := w.Add(dir); err != nil {
		return
	}
	entries, _ := listDir(dir)
	for _, e := range entries {
		if e.IsDir() && workspace.ValidID(e.Name()) {
			_ = w.Add(filepath.Join(dir, e.Name()))
		}
	}
}

// interesting reports whether a change to a file may matter to a round:
// a segment, a snapshot or a team file under its final name, or a copy's
// new folder.
func interesting(path string) bool {
	name := filepath.Base(path)
	if _, _, ok := parseSegName(name); ok {
		return true
	}
	if _, ok := teamFileReplica(name); ok {
		return true
	}
	return workspace.ValidID(name)
}
