// Package team keeps a workspace in step with colleagues' copies through a
// folder that a sync engine the team already runs carries between their
// machines (Syncthing, Nextcloud, Dropbox, an SMB share, a git repository,
// a USB stick). Each copy writes only its own numbered, immutable segment
// files, never one another's, so the engines never have a file edited on
// two machines to turn into a "conflicted copy"; reading merges the other
// copies' new segments with the merge of share files. TEAM-FOLDER.md (in
// workspace/) documents the layout for other programs.
//
// A Folder is one workspace joined to one team folder. Round writes what
// changed and merges what arrived; the window calls it when the folder
// changes and after the analyst's edits, the command line once (or on a
// timer with --watch).
package team

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"briefboard/workspace"
)

// DefaultCap is the cap of a new team folder.
const DefaultCap = workspace.TLPAmber

// DefaultSnapshotEvery is how many segments a copy writes between two
// snapshots.
const DefaultSnapshotEvery = 50

// Options say how to open a team folder.
type Options struct {
	// Passphrase opens the team file (and sets up a new, encrypted
	// folder).
	Passphrase []byte
	// NoEncryption sets up a folder without encryption, for folders that
	// are already protected; segments still carry a checksum. Joining an
	// encrypted folder with it is an error.
	NoEncryption bool
	// Cap is the cap of a new folder (default AMBER). Given when joining
	// an existing folder, it must be the folder's.
	Cap *workspace.TLP
	// SnapshotEvery is how many segments this copy writes between two
	// snapshots (DefaultSnapshotEvery when zero).
	SnapshotEvery int
	// Now gives the time; tests pin it. Defaults to the store's clock.
	Now func() time.Time
}

// Errors of setting up, for errors.Is.
var (
	// ErrNoTeamFolder says a folder has no team file for the workspace:
	// Join needs one set up.
	ErrNoTeamFolder = errors.New("no team folder for this workspace there yet")
	// ErrExists says Create found the folder already set up.
	ErrExists = errors.New("the team folder is already set up")
	// ErrUnwritable says the folder cannot be written.
	ErrUnwritable = errors.New("cannot write in the team folder")
	// ErrNoSnapshot says a folder has no snapshot a new copy could start
	// from yet.
	ErrNoSnapshot = errors.New("the team folder holds no snapshot to start from yet")
)

// stateName is where a copy keeps its progress in its store.
const stateName = "team"

// state is what a copy remembers of its team folder, in its own store.
type state struct {
	// Cap is the folder's cap as this workspace joined it, and Encrypted
	// whether the folder was: a team file that loosens either is refused.
	// Both stay when the copy's replica id changes.
	Cap       *workspace.TLP `json:"cap,omitempty"`
	Encrypted *bool          `json:"encrypted,omitempty"`
	Folder    string         `json:"folder,omitempty"`
	// Replica is the copy the rest belongs to: a copied directory gets a
	// new replica id, and starts its chain afresh.
	Replica string `json:"replica,omitempty"`
	// Seeded is set on a copy made from the folder: its first segment
	// holds only its own changes, not a snapshot.
	Seeded bool `json:"seeded,omitempty"`
	// Next is the number of the next segment to write; Prev the checksum
	// of the last one; Seq the journal sequence number it covered.
	Next uint64 `json:"next,omitempty"`
	Prev string `json:"prev,omitempty"`
	Seq  uint64 `json:"seq,omitempty"`
	// Snapshot is the number of this copy's last snapshot.
	Snapshot uint64 `json:"snapshot,omitempty"`
	// Withheld lists the records the cap kept out, to look at again;
	// Forward the records whose merged state nobody has sent (see
	// workspace.Store.MergeTeam), for the next segment.
	Withheld []string `json:"withheld,omitempty"`
	Forward  []string `json:"forward,omitempty"`
	// Merged says, per other replica, the last link of its chain merged.
	Merged map[string]*position `json:"merged,omitempty"`
}

// position is how far a replica's chain was merged.
type position struct {
	Number uint64 `json:"number"`
	SHA256 string `json:"sha256"`
	// Name is the analyst's name on its last segment, At when it was
	// written: for the report.
	Name string    `json:"name,omitempty"`
	At   time.Time `json:"at,omitempty"`
}

// Folder is a workspace joined to a team folder. Its methods are safe for
// concurrent use; rounds run one at a time. A store has one Folder at a
// time: two would keep the store's progress apart.
type Folder struct {
	mu    sync.Mutex
	store *workspace.Store
	root  string
	dir   string
	ws    string
	opts  Options
	teams *teamFiles
	team  *team
	state state
	// saved is the state as last kept in the store.
	saved []byte
}

// Root returns the team folder (SHARED).
func (f *Folder) Root() string { return f.root }

// Dir returns the folder of the workspace inside it (SHARED/<workspace id>).
func (f *Folder) Dir() string { return f.dir }

// Cap returns the folder's cap.
func (f *Folder) Cap() workspace.TLP {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.team.info.Cap
}

// Encrypted reports whether the folder is encrypted.
func (f *Folder) Encrypted() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.team.info.Encrypted
}

func (f *Folder) now() time.Time {
	if f.opts.Now != nil {
		return f.opts.Now()
	}
	return f.store.Now()
}

// Open joins the workspace to the team folder at root, setting the folder
// up when it has no team file for the workspace yet (Create), joining it
// otherwise (Join). Nothing is sent or merged until Round.
func Open(s *workspace.Store, root string, opts Options) (*Folder, error) {
	return open(s, root, opts, modeEither, nil)
}

// Create sets up a team folder for the workspace at root: the team file
// (with opts.Cap, AMBER by default). ErrExists when it is set up already.
func Create(s *workspace.Store, root string, opts Options) (*Folder, error) {
	return open(s, root, opts, modeCreate, nil)
}

// Join joins the workspace to a team folder set up before.
// ErrNoTeamFolder when it is not.
func Join(s *workspace.Store, root string, opts Options) (*Folder, error) {
	return open(s, root, opts, modeJoin, nil)
}

type mode int

const (
	modeEither mode = iota
	modeCreate
	modeJoin
)

// open joins or sets up; tf, when not nil, holds the team files read
// already (a passphrase goes through scrypt once).
func open(s *workspace.Store, root string, opts Options, m mode, tf *teamFiles) (*Folder, error) {
	if opts.Cap != nil && !opts.Cap.Valid() {
		return nil, fmt.Errorf("cap %d is not a TLP level", int(*opts.Cap))
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if err := checkRoot(root, abs); err != nil {
		return nil, err
	}
	if err := CheckPlaces(abs, s.Dir()); err != nil {
		return nil, err
	}
	meta, err := s.Header()
	if err != nil {
		return nil, err
	}
	f := &Folder{store: s, root: abs, dir: filepath.Join(abs, meta.ID), ws: meta.ID, opts: opts}
	f.teams = tf
	if tf == nil || tf.dir != f.dir {
		f.teams = &teamFiles{dir: f.dir, ws: meta.ID, passphrase: opts.Passphrase, read: map[string]*team{}, failed: map[string]failedTeam{}}
	}
	if _, err := s.LocalState(stateName, &f.state); err != nil {
		return nil, err
	}
	teams, errs, err := f.teams.load()
	if err != nil {
		return nil, fmt.Errorf("team folder %s: %w", root, err)
	}
	switch {
	case len(teams) == 0 && len(errs) > 0 && opts.NoEncryption && errors.Is(errs[0], ErrPassphraseRequired):
		return nil, fmt.Errorf("the team folder %s is encrypted: give its passphrase with --passphrase-file F instead of --no-encryption", root)
	case len(teams) == 0 && len(errs) > 0:
		return nil, errs[0]
	case len(teams) == 0 && m == modeJoin:
		return nil, fmt.Errorf("%w: %s has no team file for %q", ErrNoTeamFolder, root, meta.Title)
	case len(teams) == 0:
		if err := f.create(); err != nil {
			return nil, err
		}
	case m == modeCreate:
		return nil, fmt.Errorf("%w: %s (%s)", ErrExists, root, teams[0].name)
	default:
		if err := f.elect(teams); err != nil {
			return nil, err
		}
		if opts.Cap != nil && *opts.Cap != f.team.info.Cap {
			return nil, fmt.Errorf("the team folder is capped at %s; a cap is chosen only when a folder is set up", f.team.info.Cap)
		}
	}
	if err := f.checkWritable(); err != nil {
		return nil, err
	}
	f.resetIfCopied()
	if f.state.Folder != "" && f.state.Folder != abs {
		// Another folder (or the same one by another path): its chains
		// start afresh. A copy's own files already there are found again
		// by the first round, and merging twice changes nothing.
		f.state = state{Cap: f.state.Cap, Encrypted: f.state.Encrypted, Replica: f.store.Replica(), Next: 1}
	}
	f.state.Folder = abs
	return f, f.save()
}

// checkRoot says clearly when the team folder is missing or not a folder:
// it is made by the sync engine (or by hand), never by Briefboard, so a
// mistyped path is not taken for a new folder.
func checkRoot(root, abs string) error {
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("the team folder %s does not exist: make it (or check the path) first", root)
	case err != nil:
		return fmt.Errorf("team folder %s: %v", root, unwrapPath(err))
	case !fi.IsDir():
		return fmt.Errorf("the team folder %s is a file, not a folder", root)
	}
	return nil
}

// create sets the folder up: this copy's team file.
func (f *Folder) create() error {
	if !f.opts.NoEncryption && len(f.opts.Passphrase) == 0 {
		return errors.New("a new team folder needs a passphrase (--passphrase-file F), or --no-encryption for a folder that is already protected")
	}
	if f.opts.NoEncryption && len(f.opts.Passphrase) > 0 {
		return errors.New("choose a passphrase or --no-encryption, not both")
	}
	cap := DefaultCap
	if f.opts.Cap != nil {
		cap = *f.opts.Cap
	}
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return fmt.Errorf("%w %s: %v", ErrUnwritable, f.root, unwrapPath(err))
	}
	t, err := newTeam(f.ws, f.store.Replica(), f.now(), cap, !f.opts.NoEncryption)
	if err != nil {
		return err
	}
	if err := f.checkProtection(t); err != nil {
		return err
	}
	data, err := t.encode(f.opts.Passphrase)
	if err != nil {
		return err
	}
	if err := writeOnce(filepath.Join(f.dir, t.name), data); err != nil {
		return fmt.Errorf("%w %s: %v", ErrUnwritable, f.root, unwrapPath(err))
	}
	teams, _, err := f.teams.load()
	if err != nil {
		return err
	}
	// Someone may have set the folder up at the same moment: every
	// member takes the same team file.
	return f.elect(teams)
}

// elect takes the team file every member takes: the earliest, then the
// lowest replica id. It refuses one that loosens what this workspace
// joined with.
func (f *Folder) elect(teams []*team) error {
	t := teams[0]
	if err := f.checkProtection(t); err != nil {
		return err
	}
	if !t.info.Encrypted && len(f.opts.Passphrase) > 0 {
		return fmt.Errorf("the team folder %s was set up without encryption; leave out --passphrase-file", f.root)
	}
	if t.info.Encrypted && f.opts.NoEncryption {
		return fmt.Errorf("the team folder %s is encrypted: give its passphrase with --passphrase-file F instead of --no-encryption", f.root)
	}
	f.team = t
	c, e := t.info.Cap, t.info.Encrypted
	f.state.Cap, f.state.Encrypted = &c, &e
	return nil
}

// checkProtection refuses a team file whose cap is looser than the one
// this workspace joined with, or that is plain where the folder was
// encrypted.
func (f *Folder) checkProtection(t *team) error {
	if c := f.state.Cap; c != nil && !workspace.Allows(c, t.info.Cap) {
		return fmt.Errorf("%w: %s caps the folder at %s, looser than the %s this workspace joined it with; Briefboard never loosens a cap",
			ErrLoosened, t.name, t.info.Cap, *c)
	}
	if e := f.state.Encrypted; e != nil && *e && !t.info.Encrypted {
		return fmt.Errorf("%w: %s is not encrypted, but the folder was when this workspace joined it", ErrLoosened, t.name)
	}
	return nil
}

// checkWritable makes this copy's folder and tries a file in it.
func (f *Folder) checkWritable() error {
	own := filepath.Join(f.dir, f.store.Replica())
	if err := os.MkdirAll(own, 0o755); err != nil {
		return fmt.Errorf("%w %s: %v", ErrUnwritable, f.root, unwrapPath(err))
	}
	tmp, err := os.CreateTemp(own, tmpPrefix+"*")
	if err != nil {
		return fmt.Errorf("%w %s: %v", ErrUnwritable, f.root, unwrapPath(err))
	}
	tmp.Close()
	os.Remove(tmp.Name())
	return nil
}

// unwrapPath drops the path from a file system error: the message names it
// already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// resetIfCopied starts the chain afresh when the state belongs to another
// replica id (the directory was copied): the cap and encryption stay.
func (f *Folder) resetIfCopied() {
	if f.state.Replica == f.store.Replica() {
		return
	}
	f.state = state{Cap: f.state.Cap, Encrypted: f.state.Encrypted, Replica: f.store.Replica(), Next: 1}
}

// save keeps the state in the store, when it changed.
func (f *Folder) save() error {
	b, err := json.Marshal(&f.state)
	if err != nil {
		return err
	}
	if bytes.Equal(b, f.saved) {
		return nil
	}
	if err := f.store.SetLocalState(stateName, &f.state); err != nil {
		return err
	}
	f.saved = b
	return nil
}

// NewWorkspace makes a new colleague's workspace in dir (missing or empty)
// from the team folder at root: from the latest snapshot, joined to the
// folder; the first Round merges what follows it. The folder must hold a
// single workspace.
func NewWorkspace(dir, root string, opts Options, storeOpts workspace.Options) (*workspace.Store, *Folder, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, nil, err
	}
	if err := CheckPlaces(abs, dir); err != nil {
		return nil, nil, err
	}
	if err := checkRoot(root, abs); err != nil {
		return nil, nil, err
	}
	ws, err := onlyWorkspace(abs)
	if err != nil {
		return nil, nil, err
	}
	tf := &teamFiles{dir: filepath.Join(abs, ws), ws: ws, passphrase: opts.Passphrase, read: map[string]*team{}, failed: map[string]failedTeam{}}
	teams, errs, err := tf.load()
	if err != nil {
		return nil, nil, err
	}
	if len(teams) == 0 {
		if len(errs) > 0 && opts.NoEncryption && errors.Is(errs[0], ErrPassphraseRequired) {
			return nil, nil, fmt.Errorf("the team folder %s is encrypted: give its passphrase with --passphrase-file F instead of --no-encryption", root)
		}
		if len(errs) > 0 {
			return nil, nil, errs[0]
		}
		return nil, nil, fmt.Errorf("%w: %s", ErrNoTeamFolder, root)
	}
	elected := teams[0]
	if elected.info.Encrypted && opts.NoEncryption {
		return nil, nil, fmt.Errorf("the team folder %s is encrypted: give its passphrase with --passphrase-file F instead of --no-encryption", root)
	}
	if !elected.info.Encrypted && len(opts.Passphrase) > 0 {
		return nil, nil, fmt.Errorf("the team folder %s was set up without encryption; leave out --passphrase-file", root)
	}
	if opts.Cap != nil && *opts.Cap != elected.info.Cap {
		return nil, nil, fmt.Errorf("the team folder is capped at %s; a cap is chosen only when a folder is set up", elected.info.Cap)
	}
	snap, err := latestSnapshot(tf, elected)
	if err != nil {
		return nil, nil, err
	}
	s, _, err := workspace.CreateFromShare(dir, snap.share, storeOpts)
	if err != nil {
		return nil, nil, err
	}
	h := snap.header
	c, e := elected.info.Cap, elected.info.Encrypted
	st := state{Cap: &c, Encrypted: &e, Replica: s.Replica(), Seeded: true, Next: 1, Merged: map[string]*position{}}
	from := snap.sum
	if h.Link != "" {
		from = h.Link
	}
	st.Merged[h.Replica] = &position{Number: h.Number, SHA256: from, Name: snap.share.Manifest.ExportedBy.Name, At: h.at()}
	if h.Complete {
		for r, l := range h.Covers {
			if r != h.Replica && r != s.Replica() {
				st.Merged[r] = &position{Number: l.Number, SHA256: l.SHA256}
			}
		}
	}
	if err := s.SetLocalState(stateName, &st); err != nil {
		s.Close()
		return nil, nil, err
	}
	f, err := open(s, abs, opts, modeJoin, tf)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, f, nil
}

// onlyWorkspace returns the id of the one workspace a team folder holds.
func onlyWorkspace(root string) (string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return "", fmt.Errorf("team folder %s: %w", root, unwrapPath(err))
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && workspace.ValidID(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	sort.Strings(ids)
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("%w: %s holds no workspace", ErrNoTeamFolder, root)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("the team folder %s holds several workspaces (%s): open one of them first and sync it", root, strings.Join(ids, ", "))
}

// latestSnapshot finds the newest snapshot in the folder that reads
// whole and checks out.
func latestSnapshot(tf *teamFiles, elected *team) (*segment, error) {
	type cand struct {
		replica, path string
		number        uint64
		at            int64
	}
	var cands []cand
	entries, err := listDir(tf.dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !e.IsDir() || !workspace.ValidID(e.Name()) {
			continue
		}
		files, _ := listDir(filepath.Join(tf.dir, e.Name()))
		for _, fe := range files {
			n, snap, ok := parseSegName(fe.Name())
			if !ok || !snap {
				continue
			}
			path := filepath.Join(tf.dir, e.Name(), fe.Name())
			at := int64(0)
			if h, _, err := readHeader(readHead(path)); err == nil {
				at = h.At
			}
			cands = append(cands, cand{e.Name(), path, n, at})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.at != b.at {
			return a.at > b.at
		}
		if a.replica != b.replica {
			return a.replica < b.replica
		}
		return a.number > b.number
	})
	var firstErr error
	for _, c := range cands {
		data, err := readLimited(c.path, maxSegmentFile)
		if err == nil {
			var seg *segment
			seg, err = decodeSegment(data, where{tf.ws, c.replica, c.number, true}, tf.byName, elected)
			if err == nil {
				return seg, nil
			}
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("%s/%s: %w", c.replica, filepath.Base(c.path), err)
		}
	}
	if firstErr != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoSnapshot, firstErr)
	}
	return nil, ErrNoSnapshot
}

// Info is what a team folder tells of itself before anyone joins it:
// enough for a dialog to offer to join or to set up, and to ask for the
// passphrase only when one is needed.
type Info struct {
	// Workspaces lists the ids of the workspaces the folder holds.
	Workspaces []string
	// SetUp is set when the folder has a team file for the workspace
	// asked about; Encrypted when one of them is encrypted.
	SetUp     bool
	Encrypted bool
	// Cap is the cap of a folder set up without encryption; an encrypted
	// folder tells it only to the passphrase.
	Cap *workspace.TLP
}

// Inspect looks at a team folder without a passphrase and without writing:
// which workspaces it holds and how the one with id ws is set up (ws may
// be empty).
func Inspect(root, ws string) (*Info, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if err := checkRoot(root, abs); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, fmt.Errorf("team folder %s: %w", root, unwrapPath(err))
	}
	info := &Info{}
	for _, e := range entries {
		if e.IsDir() && workspace.ValidID(e.Name()) {
			info.Workspaces = append(info.Workspaces, e.Name())
		}
	}
	if ws == "" {
		return info, nil
	}
	tf := &teamFiles{dir: filepath.Join(abs, ws), ws: ws, read: map[string]*team{}, failed: map[string]failedTeam{}}
	teams, errs, err := tf.load()
	if err != nil {
		return nil, fmt.Errorf("team folder %s: %w", root, unwrapPath(err))
	}
	for _, e := range errs {
		if errors.Is(e, ErrPassphraseRequired) {
			info.SetUp, info.Encrypted = true, true
		}
	}
	if len(teams) > 0 {
		info.SetUp = true
		if !info.Encrypted {
			c := teams[0].info.Cap
			info.Cap = &c
		}
	}
	return info, nil
}
