package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// A share file (.briefboard) is a zip archive of two entries, manifest.json
// and records.jsonl, optionally encrypted whole with age (a passphrase,
// scrypt). SHARE-FORMAT.md beside this file documents it for other
// programs.

// ShareFormat and ShareVersion identify the share files this Briefboard
// writes and reads.
const (
	ShareFormat  = "briefboard-share"
	ShareVersion = 2
	// ShareExt is the file name extension of share files.
	ShareExt = ".briefboard"
)

// Limits on what a share file may hold. A file past them is refused
// before it is read whole, so a hostile file cannot exhaust memory.
const (
	MaxShareFileSize    = 256 << 20 // the file as stored, and once decrypted
	MaxShareRecordsSize = 256 << 20 // records.jsonl, uncompressed
	maxManifestSize     = 1 << 20
	maxRecordLine       = 16 << 20
	maxClock            = 1 << 48
	// shareWorkFactor bounds the scrypt cost a file may ask for: age's
	// default, which is what Briefboard and the age tool write (2^18
	// iterations, 256 MiB). A file asking more is refused rather than
	// allowed to take gigabytes.
	shareWorkFactor = 18
)

const (
	manifestEntry = "manifest.json"
	recordsEntry  = "records.jsonl"
	ageMagic      = "age-encryption.org/"
	zipMagic      = "PK\x03\x04"
)

// Errors of share files, for errors.Is.
var (
	ErrNotShareFile            = errors.New("not a Briefboard share file")
	ErrShareVersion            = errors.New("this share file was written by a newer Briefboard")
	ErrShareDamaged            = errors.New("the share file is damaged")
	ErrShareTooLarge           = errors.New("the share file is too large")
	ErrSharePassphraseRequired = errors.New("the share file is encrypted: its passphrase is needed")
	ErrShareWrongPassphrase    = errors.New("the passphrase does not open this share file")
)

func damaged(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrShareDamaged, fmt.Sprintf(format, args...))
}

// Manifest describes a share file: which workspace, from whom, when, and
// what it holds.
type Manifest struct {
	Format     string            `json:"format"`
	Version    int               `json:"version"`
	Workspace  ManifestWorkspace `json:"workspace"`
	ExportedBy ManifestAuthor    `json:"exportedBy"`
	ExportedAt time.Time         `json:"exportedAt"`
	// MaxTLP is the cap the file was shared with; nil means everything.
	MaxTLP *TLP `json:"maxTlp,omitempty"`
	// TLP is the most restrictive marking among what the file holds.
	TLP TLP `json:"tlp"`
	// Clock is the highest logical clock of any write in the file.
	Clock uint64 `json:"clock"`
	// Counts gives the number of records of each kind.
	Counts  map[RecordKind]int `json:"counts"`
	Entries []ManifestEntry    `json:"entries"`
}

// ManifestWorkspace names the workspace a file holds.
type ManifestWorkspace struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// ManifestAuthor is who shared the file: the analyst and their copy.
type ManifestAuthor struct {
	Name    string `json:"name,omitempty"`
	Replica string `json:"replica"`
}

// ManifestEntry describes one other entry of the archive.
type ManifestEntry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ShareFile is a share file read and checked: its manifest and records.
type ShareFile struct {
	Manifest Manifest
	// Records are sorted by key, each key once.
	Records []ShareRecord
	// Encrypted tells whether the file was encrypted.
	Encrypted bool
}

// ShareRecord is one record of a share file with its merge stamps.
type ShareRecord struct {
	RecordKind RecordKind
	Key        string
	Record     Record
	Stamps     *Stamps
}

// shareLine is one line of records.jsonl.
type shareLine struct {
	Kind   RecordKind      `json:"kind"`
	Value  json.RawMessage `json:"value"`
	Stamps json.RawMessage `json:"stamps"`
}

// ShareOptions choose what a share file holds and how it is protected.
type ShareOptions struct {
	// MaxTLP leaves out every record marked above it (a card with its
	// annotations); nil includes everything.
	MaxTLP *TLP
	// Passphrase encrypts the file with age; empty writes it plain.
	Passphrase []byte
}
