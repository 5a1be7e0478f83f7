package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"
)

// Errors a caller can test for with errors.Is.
var (
	ErrNotFound           = errors.New("not found")
	ErrLocked             = errors.New("this workspace is open in another Briefboard window or process")
	ErrNoWorkspace        = errors.New("no workspace there")
	ErrNotWorkspace       = errors.New("not a Briefboard workspace")
	ErrExists             = errors.New("already exists and is not empty")
	ErrPassphraseRequired = errors.New("this workspace is encrypted: a passphrase is needed (--store-passphrase-file)")
	ErrWrongPassphrase    = errors.New("the passphrase does not open this workspace")
	ErrNewerSchema        = errors.New("this workspace was written by a newer Briefboard")
	ErrInvalid            = errors.New("invalid value")
	ErrNothingToUndo      = errors.New("nothing to undo")
	ErrNothingToRedo      = errors.New("nothing to redo")
	ErrClosed             = errors.New("the workspace is closed")
)

// SchemaVersion is the layout of records this Briefboard writes.
const SchemaVersion = 3

// markerFile sits beside Badger's files and says the directory is a
// Briefboard workspace; it holds what is needed before Badger can open,
// such as the key derivation parameters of an encrypted workspace.
const markerFile = "briefboard.json"

type marker struct {
	Format     string          `json:"format"`
	Version    int             `json:"version"`
	Encryption *encryptionInfo `json:"encryption,omitempty"`
}

const markerFormat = "briefboard-workspace"

// Options tune how a store opens.
type Options struct {
	// Passphrase opens (or, on Create, encrypts) a workspace encrypted at
	// rest. Ignored for plain workspaces.
	Passphrase []byte
	// Now gives the time of changes; tests pin it. Defaults to time.Now.
	Now func() time.Time
}

// Store is one open workspace. Its methods are safe for concurrent use;
// actions are applied one at a time.
type Store struct {
	db  *badger.DB
	dir string
	now func() time.Time
	mu  sync.Mutex
	// view is held for reading by whole-workspace reads and for writing
	// while a staged change is copied into place, so no reader sees half
	// of a large action.
	view    sync.RWMutex
	replica string
	// life is held for reading by every call that uses the database and
	// for writing by Close, which so waits for the calls in flight; a call
	// after Close gets ErrClosed.
	life   sync.RWMutex
	closed bool
	// recovered tells that opening found a large action a crash had
	// interrupted, and finished or dropped it.
	recovered bool
	// onChange callbacks hear of every committed action.
	listeners []listener
	nextID    int
}

// Recovered reports whether opening the workspace found a large action
// that a crash had interrupted: finished when it had committed, dropped
// when it had not.
func (s *Store) Recovered() bool { return s.recovered }

// Dir returns the workspace directory.
func (s *Store) Dir() string { return s.dir }

// Replica returns this copy's replica id.
func (s *Store) Replica() string { return s.replica }

// Now returns the store's current time.
func (s *Store) Now() time.Time { return s.now() }

func badgerOptions(dir string, key []byte) badger.Options {
	o := badger.DefaultOptions(dir).
		WithLogger(nil).
		WithSyncWrites(true).
		WithMemTableSize(4 << 20).
		WithNumMemtables(2).
		WithBaseTableSize(1 << 20).
		WithValueThreshold(64 << 10).
		WithValueLogFileSize(16 << 20).
		WithBlockCacheSize(8 << 20).
		WithIndexCacheSize(4 << 20).
		WithNumCompactors(2).
		WithNumLevelZeroTables(4).
		WithNumLevelZeroTablesStall(8).
		WithNumGoroutines(4)
	if key != nil {
		o = o.WithEncryptionKey(key)
	}
	return o
}

// Exists reports whether dir holds a Briefboard workspace.
func Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, markerFile))
	return err == nil
}

func readMarker(dir string) (*marker, error) {
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoWorkspace, dir)
	}
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%w: %s is a file, not a workspace directory", ErrNotWorkspace, dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, markerFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotWorkspace, dir)
	}
	if err != nil {
		return nil, err
	}
	var m marker
	if err := json.Unmarshal(b, &m); err != nil || m.Format != markerFormat {
		return nil, fmt.Errorf("%w: %s (its %s is damaged)", ErrNotWorkspace, dir, markerFile)
	}
	return &m, nil
}

// Open opens the workspace in dir, which must exist. It holds the
// directory's lock until Close: a second Open of the same directory, from
// this process or another, gets ErrLocked.
func Open(dir string, opts Options) (*Store, error) {
	m, err := readMarker(dir)
	if err != nil {
		return nil, err
	}
	var key []byte
	if m.Encryption != nil {
		if len(opts.Passphrase) == 0 {
			return nil, ErrPassphraseRequired
		}
		if key, err = m.Encryption.derive(opts.Passphrase); err != nil {
			return nil, err
		}
	}
	return openDB(dir, key, opts)
}

func openDB(dir string, key []byte, opts Options) (*Store, error) {
	db, err := badger.Open(badgerOptions(dir, key))
	// A crash between creating a memtable or value log file and writing
	// its first bytes leaves an empty file, which makes Open fail with
	// z.NewFile once, after sizing the file (dgraph-io/badger#2207): the
	// second Open succeeds.
	for i := 0; i < 2 && err != nil && strings.HasSuffix(err.Error(), z.NewFile.Error()); i++ {
		db, err = badger.Open(badgerOptions(dir, key))
	}
	if err != nil {
		return nil, mapOpenError(dir, err)
	}
	s := &Store{db: db, dir: dir, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	// A large action that a crash interrupted after it committed is
	// finished before anything reads the workspace; one it interrupted
	// before is dropped.
	if s.recovered, err = s.hasStage(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open workspace %s: %w", dir, err)
	}
	if err := s.finishStage(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open workspace %s: %w", dir, err)
	}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func mapOpenError(dir string, err error) error {
	switch {
	case errors.Is(err, badger.ErrEncryptionKeyMismatch):
		return ErrWrongPassphrase
	case strings.Contains(err.Error(), "Cannot acquire directory lock"):
		return fmt.Errorf("%w: %s", ErrLocked, dir)
	}
	return fmt.Errorf("open workspace %s: %w", dir, err)
}

// Create makes a new workspace in dir from a template. dir must not exist
// or be empty. With opts.Passphrase set, the workspace is encrypted at rest.
func Create(dir string, tpl *Template, opts Options) (*Store, error) {
	if err := tpl.Validate(); err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	return create(dir, opts, func(s *Store) error { return s.applyTemplate(tpl) })
}

// create makes a new workspace in dir, which must not exist or be empty,
// and fills it. When anything fails, nothing is left behind.
func create(dir string, opts Options, fill func(s *Store) error) (*Store, error) {
	made, err := makeEmptyDir(dir)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Store, error) {
		if made {
			os.RemoveAll(dir)
		} else {
			clearDir(dir)
		}
		return nil, err
	}
	m := marker{Format: markerFormat, Version: SchemaVersion}
	var key []byte
	if len(opts.Passphrase) > 0 {
		info, k, err := newEncryption(opts.Passphrase)
		if err != nil {
			return fail(err)
		}
		m.Encryption, key = info, k
	}
	if err := WriteFileSync(filepath.Join(dir, markerFile), mustJSON(m)); err != nil {
		return fail(err)
	}
	s, err := openDB(dir, key, opts)
	if err != nil {
		return fail(err)
	}
	if err := fill(s); err != nil {
		s.Close()
		return fail(err)
	}
	return s, nil
}

func makeEmptyDir(dir string) (made bool, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return false, err
		}
		return true, nil
	case err != nil:
		return false, err
	case len(entries) > 0:
		return false, fmt.Errorf("%s %w", dir, ErrExists)
	}
	return false, nil
}

func clearDir(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// WriteFileSync replaces path whole, synced to disk: a crash leaves the old
// file or the new one, never half of it.
func WriteFileSync(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

type replicaInfo struct {
	ID  string `json:"id"`
	Dir string `json:"dir"`
}

// init checks the schema and the replica id once Badger is open.
func (s *Store) init() error {
	var schema string
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		schema, err = getString(txn, keySchema)
		return err
	})
	switch {
	case errors.Is(err, ErrNotFound):
		schema = strconv.Itoa(SchemaVersion)
		err = s.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(keySchema), []byte(schema)) })
	case err == nil:
		n, perr := strconv.Atoi(schema)
		if perr != nil {
			return fmt.Errorf("schema version %q is damaged", schema)
		}
		err = s.migrate(n)
	}
	if err != nil {
		return err
	}
	return s.db.Update(func(txn *badger.Txn) error {
		// A copy of the directory, or a workspace restored elsewhere, must
		// not write under the replica id of the original.
		ident := dirIdentity(s.dir)
		var ri replicaInfo
		if err := getJSON(txn, []byte(keyReplica), &ri); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if ri.ID == "" || ri.Dir != ident {
			ri = replicaInfo{ID: NewID(), Dir: ident}
			if err := putJSON(txn, []byte(keyReplica), ri); err != nil {
				return err
			}
		}
		s.replica = ri.ID
		return nil
	})
}

// NewReplica gives this copy a fresh replica id. A workspace created from a
// colleague's file calls it, so that the copies never share an id.
func (s *Store) NewReplica() error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	s.mu.Lock()
	defer s.mu.Unlock()
	ri := replicaInfo{ID: NewID(), Dir: dirIdentity(s.dir)}
	err := s.db.Update(func(txn *badger.Txn) error { return putJSON(txn, []byte(keyReplica), ri) })
	if err == nil {
		s.replica = ri.ID
	}
	return err
}

// enter starts a call that uses the database; leave ends it.
func (s *Store) enter() error {
	s.life.RLock()
	if s.closed {
		s.life.RUnlock()
		return ErrClosed
	}
	return nil
}

func (s *Store) leave() { s.life.RUnlock() }

// Close releases the workspace and its lock once the calls in flight have
// finished; later calls get ErrClosed.
func (s *Store) Close() error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	// Reclaim value-log space that overwritten large values (big journal
	// entries, long bodies) left behind, so a workspace copied to a stick
	// stays small. A round that finds nothing to rewrite ends the loop.
	for i := 0; i < 3 && s.db.RunValueLogGC(0.5) == nil; i++ {
	}
	return s.db.Close()
}

// listener is one OnChange callback.
type listener struct {
	id int
	fn func(*Entry)
}

// OnChange registers fn to be called, outside any transaction, after every
// committed action, in the order of the journal for actions of one
// goroutine. It returns a function that stops the calls: a window that
// lets go of the store calls it.
func (s *Store) OnChange(fn func(*Entry)) (stop func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	id := s.nextID
	s.listeners = append(s.listeners, listener{id: id, fn: fn})
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i, l := range s.listeners {
			if l.id == id {
				s.listeners = append(s.listeners[:i:i], s.listeners[i+1:]...)
				return
			}
		}
	}
}

func getString(txn *badger.Txn, key string) (string, error) {
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", err
	}
	b, err := item.ValueCopy(nil)
	return string(b), err
}

func getJSON(txn *badger.Txn, key []byte, v any) error {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return item.Value(func(b []byte) error {
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("record %s is damaged: %w", key, err)
		}
		return nil
	})
}

func putJSON(txn *badger.Txn, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return txn.Set(key, b)
}

func unixMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
