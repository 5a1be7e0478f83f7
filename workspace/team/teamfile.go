package team

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"filippo.io/age"

	"briefboard/workspace"
)

// A team file (team-<replica>) is written once by the copy that set the
// folder up. Encrypted, it is an age file for the team passphrase (scrypt)
// holding a JSON object: the team key (an age X25519 identity that segments
// are encrypted to), a separate key for the MAC every segment carries, and
// the folder's cap. A folder set up without encryption has a plain JSON
// team file without keys.

const (
	teamFormat  = "briefboard-team"
	teamVersion = 1
	// defaultWorkFactor is the scrypt cost of the team passphrase, 2^17
	// (128 MiB, a fraction of a second). The team file is opened once per
	// session, so the cost is paid once; age's default of 2^18 would take
	// 256 MiB of memory, more than a sync may use. A team file asking
	// more is refused rather than allowed to take gigabytes.
	defaultWorkFactor = 17
	maxTeamWorkFactor = 18
	maxTeamFileSize   = 64 << 10
	macKeySize        = 32
	ageHeader         = "age-encryption.org/"
)

// teamWorkFactor is the scrypt cost new team files are written with; tests
// lower it.
var teamWorkFactor = defaultWorkFactor

// Errors of team files, for errors.Is.
var (
	// ErrNotTeamFile says a team-<replica> file is not a Briefboard team
	// file (or is damaged).
	ErrNotTeamFile = errors.New("not a Briefboard team file")
	// ErrPassphraseRequired says the folder is encrypted and no passphrase
	// was given.
	ErrPassphraseRequired = errors.New("the team folder is encrypted: its passphrase is needed (--passphrase-file)")
	// ErrWrongPassphrase says the passphrase does not open the team file.
	ErrWrongPassphrase = errors.New("the passphrase does not open the team folder")
	// ErrLoosened says a team file sets a looser cap than the one this
	// workspace joined the folder with, or drops its encryption.
	ErrLoosened = errors.New("the team file loosens the folder's protection")
	// ErrNewer says a team file or segment was written by a newer Briefboard.
	ErrNewer = errors.New("written by a newer Briefboard")
)

// teamInfo is the content of a team file.
type teamInfo struct {
	Format    string        `json:"format"`
	Version   int           `json:"version"`
	Workspace string        `json:"workspace"`
	Creator   string        `json:"creator"`
	Created   time.Time     `json:"created"`
	Cap       workspace.TLP `json:"cap"`
	Encrypted bool          `json:"encrypted"`
	// Identity is the team key, an age X25519 identity ("AGE-SECRET-KEY-1…").
	Identity string `json:"identity,omitempty"`
	// MAC is the key of the HMAC-SHA256 every segment carries.
	MAC []byte `json:"mac,omitempty"`
}

// team is a team file read and checked, with its keys.
type team struct {
	name     string
	sum      string
	info     teamInfo
	identity *age.X25519Identity
}

// earlier orders team files for the election: the earliest, then the
// lowest replica id.
func (t *team) earlier(o *team) bool {
	if !t.info.Created.Equal(o.info.Created) {
		return t.info.Created.Before(o.info.Created)
	}
	return t.info.Creator < o.info.Creator
}

// newTeam makes the team file of a new folder.
func newTeam(ws, creator string, at time.Time, cap workspace.TLP, encrypted bool) (*team, error) {
	info := teamInfo{Format: teamFormat, Version: teamVersion, Workspace: ws, Creator: creator,
		Created: at.UTC().Truncate(time.Millisecond), Cap: cap, Encrypted: encrypted}
	t := &team{name: teamPrefix + creator, info: info}
	if encrypted {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			return nil, err
		}
		t.identity = id
		t.info.Identity = id.String()
		t.info.MAC = make([]byte, macKeySize)
		if _, err := rand.Read(t.info.MAC); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// encode writes the team file's bytes: encrypted with the passphrase, or
// plain JSON.
func (t *team) encode(passphrase []byte) ([]byte, error) {
	js, err := json.MarshalIndent(t.info, "", "  ")
	if err != nil {
		return nil, err
	}
	js = append(js, '\n')
	if !t.info.Encrypted {
		return js, nil
	}
	r, err := age.NewScryptRecipient(string(passphrase))
	if err != nil {
		return nil, err
	}
	r.SetWorkFactor(teamWorkFactor)
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(js); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	freeScrypt()
	return buf.Bytes(), nil
}

// freeScrypt hands scrypt's working memory back to the system at once:
// opening a team file is the one moment a sync needs that much. (Tests,
// which lower the cost, skip the full collection it takes.)
func freeScrypt() {
	if teamWorkFactor >= 16 {
		debug.FreeOSMemory()
	}
}

// readTeam reads and checks the team file at path for workspace ws.
func readTeam(path, ws string, passphrase []byte) (*team, error) {
	name := filepath.Base(path)
	creator, ok := teamFileReplica(name)
	if !ok {
		return nil, fmt.Errorf("%s: %w: its name is not team-<replica id>", name, ErrNotTeamFile)
	}
	data, err := readLimited(path, maxTeamFileSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrNotTeamFile, err)
	}
	return parseTeam(name, creator, ws, data, passphrase)
}

func parseTeam(name, creator, ws string, data, passphrase []byte) (*team, error) {
	sum := sha256.Sum256(data)
	encrypted := false
	switch {
	case bytes.HasPrefix(data, []byte(ageHeader)):
		if len(passphrase) == 0 {
			return nil, fmt.Errorf("%w (team file %s)", ErrPassphraseRequired, name)
		}
		plain, err := decryptTeam(data, passphrase)
		if err != nil {
			return nil, fmt.Errorf("team file %s: %w", name, err)
		}
		data, encrypted = plain, true
	case bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")):
	default:
		return nil, fmt.Errorf("%s: %w", name, ErrNotTeamFile)
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.Format != teamFormat {
		return nil, fmt.Errorf("%s: %w", name, ErrNotTeamFile)
	}
	if head.Version > teamVersion {
		return nil, fmt.Errorf("team file %s: %w (version %d; this one reads up to %d)", name, ErrNewer, head.Version, teamVersion)
	}
	var info teamInfo
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&info); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrNotTeamFile, err)
	}
	t := &team{name: name, sum: hex.EncodeToString(sum[:]), info: info}
	bad := func(why string) error { return fmt.Errorf("%s: %w: %s", name, ErrNotTeamFile, why) }
	switch {
	case info.Version < 1:
		return nil, bad(fmt.Sprintf("version %d is not a version", info.Version))
	case info.Workspace != ws:
		return nil, bad(fmt.Sprintf("it is of workspace %s, not %s", info.Workspace, ws))
	case info.Creator != creator:
		return nil, bad(fmt.Sprintf("it names creator %s", info.Creator))
	case !info.Cap.Valid():
		return nil, bad("its cap is not a TLP level")
	case info.Created.IsZero():
		return nil, bad("it has no creation time")
	case info.Encrypted != encrypted:
		return nil, bad("it says it is encrypted but is not, or the other way round")
	case encrypted && len(info.MAC) != macKeySize:
		return nil, bad("its MAC key is missing or of the wrong size")
	case !encrypted && (info.Identity != "" || len(info.MAC) > 0):
		return nil, bad("a plain team file holds keys")
	}
	if encrypted {
		id, err := age.ParseX25519Identity(info.Identity)
		if err != nil {
			return nil, bad("its team key is not an age X25519 identity")
		}
		t.identity = id
	}
	return t, nil
}

func decryptTeam(data, passphrase []byte) ([]byte, error) {
	id, err := age.NewScryptIdentity(string(passphrase))
	if err != nil {
		return nil, err
	}
	id.SetMaxWorkFactor(maxTeamWorkFactor)
	defer freeScrypt()
	dec, err := age.Decrypt(bytes.NewReader(data), id)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		switch {
		case errors.As(err, &nomatch), errors.Is(err, age.ErrIncorrectIdentity):
			return nil, ErrWrongPassphrase
		case strings.Contains(err.Error(), "work factor"):
			return nil, fmt.Errorf("%w: its encryption asks for more work than Briefboard allows", ErrNotTeamFile)
		}
		return nil, fmt.Errorf("%w: cannot decrypt it (%v)", ErrNotTeamFile, err)
	}
	plain, err := io.ReadAll(io.LimitReader(dec, maxTeamFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: cannot decrypt it (%v)", ErrNotTeamFile, err)
	}
	if len(plain) > maxTeamFileSize {
		return nil, fmt.Errorf("%w: it is too large", ErrNotTeamFile)
	}
	return plain, nil
}

// teamFiles keeps the team files of a folder read so far, by name, so a
// passphrase is worked through scrypt once per file and session.
type teamFiles struct {
	dir        string
	ws         string
	passphrase []byte
	read       map[string]*team
	// failed remembers the files that could not be read, with their
	// content's checksum: they are tried again only once they change.
	failed map[string]failedTeam
}

type failedTeam struct {
	sum string
	err error
}

// load reads the team files of the folder, new or changed ones only. It
// returns every one that opens, in election order, and the errors of the
// others.
func (tf *teamFiles) load() ([]*team, []error, error) {
	entries, err := listDir(tf.dir)
	if err != nil {
		return nil, nil, err
	}
	var out []*team
	var errs []error
	for _, e := range entries {
		if _, ok := teamFileReplica(e.Name()); !ok || e.IsDir() {
			continue
		}
		path := filepath.Join(tf.dir, e.Name())
		data, err := readLimited(path, maxTeamFileSize)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w: %v", e.Name(), ErrNotTeamFile, err))
			continue
		}
		s := sha256.Sum256(data)
		sum := hex.EncodeToString(s[:])
		if t := tf.read[e.Name()]; t != nil && t.sum == sum {
			out = append(out, t)
			continue
		}
		var t *team
		if f, ok := tf.failed[e.Name()]; ok && f.sum == sum {
			err = f.err
		} else {
			creator, _ := teamFileReplica(e.Name())
			t, err = parseTeam(e.Name(), creator, tf.ws, data, tf.passphrase)
			// A missing passphrase is not remembered: it may be given later.
			if err != nil && !errors.Is(err, ErrPassphraseRequired) {
				tf.failed[e.Name()] = failedTeam{sum, err}
			}
		}
		if err != nil {
			if prev := tf.read[e.Name()]; prev != nil {
				// Team files never change: one that does is being
				// rewritten by a sync engine, or tampered with. The copy
				// read before stands.
				out = append(out, prev)
				err = fmt.Errorf("team file %s changed and does not read now (%v); the copy read before is used", e.Name(), err)
			}
			errs = append(errs, err)
			continue
		}
		tf.read[e.Name()] = t
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].earlier(out[j]) })
	return out, errs, nil
}

// byName returns a team file by name, reading it when it was not yet.
func (tf *teamFiles) byName(name string) (*team, error) {
	if t := tf.read[name]; t != nil {
		return t, nil
	}
	if f, ok := tf.failed[name]; ok {
		return nil, f.err
	}
	if _, ok := teamFileReplica(name); !ok {
		return nil, fmt.Errorf("%s: %w", name, ErrNotTeamFile)
	}
	path := filepath.Join(tf.dir, name)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%w: team file %s", errNotArrived, name)
	}
	t, err := readTeam(path, tf.ws, tf.passphrase)
	if err != nil {
		return nil, err
	}
	tf.read[name] = t
	return t, nil
}
