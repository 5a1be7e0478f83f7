package workspace

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/dgraph-io/badger/v4"
)

// A share file (.briefboard) is a zip archive of two entries, manifest.json
// and records.jsonl, optionally encrypted whole with age (a passphrase,
// scrypt). SHARE-FORMAT.md beside this file documents it for other
// programs.

// ShareFormat and ShareVersion identify the share files this Briefboard
// writes and reads.
const (
	ShareFormat  = "briefboard-share"
	ShareVersion = 1
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
	Counts  map[string]int  `json:"counts"`
	Entries []ManifestEntry `json:"entries"`
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
	Kind   string
	Key    string
	Record validator
	Stamps *Stamps
}

// shareLine is one line of records.jsonl.
type shareLine struct {
	Kind   string          `json:"kind"`
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

// recordKey returns the key a record of a kind is stored under.
func recordKey(kind string, rec any) string {
	switch r := rec.(type) {
	case *Meta:
		return keyMeta
	case *Board:
		return string(boardKey(r.ID))
	case *Lane:
		return string(laneKey(r.ID))
	case *Card:
		return string(cardKey(r.ID))
	case *Source:
		return string(sourceKey(r.ID))
	case *Annotation:
		return string(annKey(r.Card, r.ID))
	}
	return ""
}

// Share writes the workspace as a share file to w.
func (s *Store) Share(w io.Writer, opts ShareOptions) (*Manifest, error) {
	var records bytes.Buffer
	m := &Manifest{Format: ShareFormat, Version: ShareVersion, MaxTLP: opts.MaxTLP, Counts: map[string]int{},
		ExportedAt: s.now().UTC().Truncate(time.Second)}
	s.view.RLock()
	err := s.db.View(func(txn *badger.Txn) error { return s.writeRecords(txn, &records, m, opts.MaxTLP) })
	s.view.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	sum := sha256.Sum256(records.Bytes())
	m.Entries = []ManifestEntry{{Name: recordsEntry, Size: int64(records.Len()), SHA256: hex.EncodeToString(sum[:])}}
	out := w
	var enc io.WriteCloser
	if len(opts.Passphrase) > 0 {
		r, err := age.NewScryptRecipient(string(opts.Passphrase))
		if err != nil {
			return nil, fmt.Errorf("share: %w", err)
		}
		if enc, err = age.Encrypt(w, r); err != nil {
			return nil, fmt.Errorf("share: encrypt: %w", err)
		}
		out = enc
	}
	zw := zip.NewWriter(out)
	for _, e := range []struct {
		name string
		data []byte
	}{{manifestEntry, mustJSONIndent(m)}, {recordsEntry, records.Bytes()}} {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: m.ExportedAt})
		if err != nil {
			return nil, fmt.Errorf("share: %w", err)
		}
		if _, err := f.Write(e.data); err != nil {
			return nil, fmt.Errorf("share: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	if enc != nil {
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("share: encrypt: %w", err)
		}
	}
	return m, nil
}

func mustJSONIndent(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// tlpProbe reads what the cap needs from a record without decoding it all.
type tlpProbe struct {
	TLP  *TLP   `json:"tlp"`
	Card string `json:"card"`
}

// recordTLP returns the most restrictive marking a record carries: its
// own and every competing value of its "tlp" field.
func recordTLP(probe *tlpProbe, st *Stamps) TLP {
	t := TLPClear
	if probe.TLP != nil {
		t = *probe.TLP
	}
	for _, a := range st.Of("tlp").Alt {
		var alt TLP
		if json.Unmarshal(a.Value, &alt) == nil && alt > t {
			t = alt
		}
	}
	return t
}

// writeRecords writes records.jsonl in key order, leaving out what is
// above the cap, and fills in the manifest.
func (s *Store) writeRecords(txn *badger.Txn, out *bytes.Buffer, m *Manifest, maxTLP *TLP) error {
	var meta Meta
	if err := getJSON(txn, []byte(keyMeta), &meta); err != nil {
		return fmt.Errorf("workspace header: %w", err)
	}
	var prof Profile
	if err := getJSON(txn, []byte(keyProfile), &prof); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	m.Workspace = ManifestWorkspace{ID: meta.ID, Title: meta.Title}
	m.ExportedBy = ManifestAuthor{Name: prof.Name, Replica: s.replica}
	stamps := func(key []byte) (*Stamps, error) {
		var st Stamps
		if err := getJSON(txn, stampKey(key), &st); err != nil {
			return nil, fmt.Errorf("stamps of %s: %w", key, err)
		}
		return &st, nil
	}
	// Cards above the cap take their annotations with them; annotations
	// sort before cards, so find those cards first.
	omitted := map[string]bool{}
	if maxTLP != nil {
		err := scanKeys(txn, prefixCard, func(key, v []byte) error {
			var p tlpProbe
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("record %s is damaged: %w", key, err)
			}
			st, err := stamps(key)
			if err != nil {
				return err
			}
			if recordTLP(&p, st) > *maxTLP {
				omitted[idOfKey(string(key))] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// Key order: ann/ < board/ < card/ < lane/ < meta < src/.
	for _, p := range []string{prefixAnn, prefixBoard, prefixCard, prefixLane, keyMeta, prefixSource} {
		kind := kindOfKey(p)
		err := scanKeys(txn, p, func(key, v []byte) error {
			st, err := stamps(key)
			if err != nil {
				return err
			}
			if kind == KindCard || kind == KindSource || kind == KindAnnotation {
				var probe tlpProbe
				if err := json.Unmarshal(v, &probe); err != nil {
					return fmt.Errorf("record %s is damaged: %w", key, err)
				}
				t := recordTLP(&probe, st)
				if maxTLP != nil && (t > *maxTLP || kind == KindAnnotation && omitted[probe.Card] ||
					kind == KindCard && omitted[idOfKey(string(key))]) {
					return nil
				}
				m.TLP = max(m.TLP, t)
			}
			m.Clock = max(m.Clock, st.MaxClock())
			sj, err := json.Marshal(normalStamps(st))
			if err != nil {
				return err
			}
			line, err := json.Marshal(shareLine{Kind: kind, Value: v, Stamps: sj})
			if err != nil {
				return fmt.Errorf("record %s: %w", key, err)
			}
			out.Write(line)
			out.WriteByte('\n')
			m.Counts[kind]++
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ShareToFile writes a share file at path, replacing it whole: a failure
// leaves no half-written file.
func (s *Store) ShareToFile(path string, opts ShareOptions) (*Manifest, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".briefboard-share-*")
	if err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	bw := bufio.NewWriterSize(f, 256<<10)
	m, err := s.Share(bw, opts)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	return m, nil
}

// ShareEncrypted reads the start of a file and tells whether it is an
// encrypted share file (so its passphrase must be asked for), a plain one,
// or not a share file at all (ErrNotShareFile).
func ShareEncrypted(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	return sniff(head[:n])
}

func sniff(head []byte) (encrypted bool, err error) {
	switch {
	case bytes.HasPrefix(head, []byte(ageMagic)), bytes.HasPrefix(head, []byte(armor.Header)):
		return true, nil
	case bytes.HasPrefix(head, []byte(zipMagic)):
		return false, nil
	}
	return false, ErrNotShareFile
}

// ReadShareFile reads and checks a share file. passphrase may be nil for a
// plain file.
func ReadShareFile(path string, passphrase []byte) (*ShareFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%w: %s is a directory", ErrNotShareFile, path)
	}
	return ReadShare(f, passphrase)
}

// ReadShare reads and checks a share file: every error says what is wrong
// and nothing of a bad file is returned.
func ReadShare(r io.Reader, passphrase []byte) (*ShareFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxShareFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read share file: %w", err)
	}
	if len(data) > MaxShareFileSize {
		return nil, fmt.Errorf("%w: over %d MiB", ErrShareTooLarge, MaxShareFileSize>>20)
	}
	encrypted, err := sniff(data)
	if err != nil {
		return nil, err
	}
	if encrypted {
		if len(passphrase) == 0 {
			return nil, ErrSharePassphraseRequired
		}
		if data, err = decryptShare(data, passphrase); err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(data, []byte(zipMagic)) {
			return nil, fmt.Errorf("%w: it decrypts to something else", ErrNotShareFile)
		}
	}
	sf, err := readZip(data)
	if err != nil {
		return nil, err
	}
	sf.Encrypted = encrypted
	return sf, nil
}

func decryptShare(data, passphrase []byte) ([]byte, error) {
	id, err := age.NewScryptIdentity(string(passphrase))
	if err != nil {
		return nil, err
	}
	id.SetMaxWorkFactor(shareWorkFactor)
	var src io.Reader = bytes.NewReader(data)
	if bytes.HasPrefix(data, []byte(armor.Header)) {
		src = armor.NewReader(src)
	}
	dec, err := age.Decrypt(src, id)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		switch {
		case errors.As(err, &nomatch), errors.Is(err, age.ErrIncorrectIdentity):
			return nil, ErrShareWrongPassphrase
		case strings.Contains(err.Error(), "work factor"):
			return nil, damaged("its encryption asks for more work than Briefboard allows (%v)", err)
		}
		return nil, damaged("cannot decrypt: %v", err)
	}
	plain, err := io.ReadAll(io.LimitReader(dec, MaxShareFileSize+1))
	if err != nil {
		return nil, damaged("cannot decrypt: %v", err)
	}
	if len(plain) > MaxShareFileSize {
		return nil, fmt.Errorf("%w: over %d MiB once decrypted", ErrShareTooLarge, MaxShareFileSize>>20)
	}
	return plain, nil
}

// checkEntryName refuses names that could write outside a folder if the
// archive were unpacked, and any name that is not one of ours.
func checkEntryName(name string) error {
	if name == manifestEntry || name == recordsEntry {
		return nil
	}
	if strings.ContainsAny(name, "\\\x00:") || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return damaged("entry %q tries to leave the archive", name)
	}
	return damaged("unexpected entry %q", name)
}

func readZip(data []byte) (*ShareFile, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, damaged("not a readable archive (%v)", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if err := checkEntryName(f.Name); err != nil {
			return nil, err
		}
		if files[f.Name] != nil {
			return nil, damaged("entry %q appears twice", f.Name)
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, damaged("entry %q uses an unsupported compression method %d", f.Name, f.Method)
		}
		if f.Flags&0x1 != 0 {
			return nil, damaged("entry %q uses zip encryption", f.Name)
		}
		files[f.Name] = f
	}
	mf, rf := files[manifestEntry], files[recordsEntry]
	if mf == nil {
		return nil, fmt.Errorf("%w: it has no %s", ErrNotShareFile, manifestEntry)
	}
	mdata, err := readEntry(mf, maxManifestSize)
	if err != nil {
		return nil, err
	}
	m, err := parseManifest(mdata)
	if err != nil {
		return nil, err
	}
	if rf == nil {
		return nil, damaged("it has no %s", recordsEntry)
	}
	var want *ManifestEntry
	for i := range m.Entries {
		if m.Entries[i].Name == recordsEntry {
			want = &m.Entries[i]
		}
	}
	if want == nil || len(m.Entries) != 1 {
		return nil, damaged("the manifest does not list %s alone", recordsEntry)
	}
	if want.Size < 0 || want.Size > MaxShareRecordsSize || rf.UncompressedSize64 > MaxShareRecordsSize {
		return nil, fmt.Errorf("%w: %s claims %d bytes; the limit is %d MiB", ErrShareTooLarge, recordsEntry,
			max(uint64(max(want.Size, 0)), rf.UncompressedSize64), MaxShareRecordsSize>>20)
	}
	if uint64(want.Size) != rf.UncompressedSize64 {
		return nil, damaged("%s is %d bytes in the archive but %d in the manifest", recordsEntry, rf.UncompressedSize64, want.Size)
	}
	rc, err := rf.Open()
	if err != nil {
		return nil, damaged("%s: %v", recordsEntry, err)
	}
	defer rc.Close()
	h := sha256.New()
	lr := &io.LimitedReader{R: io.TeeReader(rc, h), N: want.Size + 1}
	recs, err := parseRecords(lr, m)
	if err != nil {
		return nil, err
	}
	// Read to the end, so the archive's own checksum is verified too.
	if _, err := io.Copy(io.Discard, lr); err != nil {
		return nil, damaged("%s: %v", recordsEntry, err)
	}
	if lr.N <= 0 {
		return nil, damaged("%s is longer than it claims", recordsEntry)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want.SHA256 {
		return nil, damaged("%s does not match its checksum in the manifest", recordsEntry)
	}
	sf := &ShareFile{Manifest: *m, Records: recs}
	if err := checkStructure(sf); err != nil {
		return nil, err
	}
	return sf, nil
}

// readEntry reads a small entry whole, refusing more than limit bytes
// whatever its header claims.
func readEntry(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, damaged("entry %q claims %d bytes; the limit is %d", f.Name, f.UncompressedSize64, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, damaged("entry %q: %v", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, damaged("entry %q: %v", f.Name, err)
	}
	if int64(len(b)) > limit {
		return nil, damaged("entry %q is larger than it claims", f.Name)
	}
	return b, nil
}

func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

func parseManifest(data []byte) (*Manifest, error) {
	if !utf8.Valid(data) {
		return nil, damaged("the manifest is not valid UTF-8")
	}
	// Format and version first, so a newer file gets the right message
	// even when it has fields this Briefboard does not know.
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, damaged("the manifest is not valid JSON (%v)", err)
	}
	if head.Format != ShareFormat {
		return nil, fmt.Errorf("%w: its manifest says format %q", ErrNotShareFile, head.Format)
	}
	if head.Version > ShareVersion {
		return nil, fmt.Errorf("%w (format version %d; this one reads up to %d)", ErrShareVersion, head.Version, ShareVersion)
	}
	if head.Version < 1 {
		return nil, damaged("format version %d is not a version", head.Version)
	}
	var m Manifest
	if err := strictJSON(data, &m); err != nil {
		return nil, damaged("manifest: %v", err)
	}
	if !ValidID(m.Workspace.ID) {
		return nil, damaged("manifest: workspace id %q is not valid", m.Workspace.ID)
	}
	if m.ExportedBy.Replica != "" && !ValidID(m.ExportedBy.Replica) {
		return nil, damaged("manifest: replica id %q is not valid", m.ExportedBy.Replica)
	}
	if m.MaxTLP != nil && !m.MaxTLP.Valid() || !m.TLP.Valid() {
		return nil, damaged("manifest: invalid TLP marking")
	}
	if m.Clock > maxClock {
		return nil, damaged("manifest: clock %d is out of range", m.Clock)
	}
	if err := checkText("title", "The workspace title", m.Workspace.Title, MaxTitle, false); err != nil {
		return nil, damaged("manifest: %v", err)
	}
	if err := checkText("name", "The analyst's name", m.ExportedBy.Name, MaxName, false); err != nil {
		return nil, damaged("manifest: %v", err)
	}
	return &m, nil
}

// parseRecords reads records.jsonl line by line, strictly.
func parseRecords(r io.Reader, m *Manifest) ([]ShareRecord, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []ShareRecord
	counts := map[string]int{}
	var clock uint64
	prev := ""
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, damaged("%s line %d: %v", recordsEntry, n, err)
		}
		rec, err := parseRecord(line)
		if err != nil {
			return nil, damaged("%s line %d: %v", recordsEntry, n, err)
		}
		if rec.Key <= prev {
			if rec.Key == prev {
				return nil, damaged("%s line %d: record %s appears twice", recordsEntry, n, rec.Key)
			}
			return nil, damaged("%s line %d: record %s is out of order", recordsEntry, n, rec.Key)
		}
		prev = rec.Key
		counts[rec.Kind]++
		clock = max(clock, rec.Stamps.MaxClock())
		out = append(out, *rec)
	}
	if clock > m.Clock {
		return nil, damaged("a record's clock %d is past the manifest's %d", clock, m.Clock)
	}
	for _, k := range []string{KindMeta, KindBoard, KindLane, KindCard, KindSource, KindAnnotation} {
		if counts[k] != m.Counts[k] {
			return nil, damaged("it holds %d records of kind %s; the manifest says %d", counts[k], k, m.Counts[k])
		}
	}
	for k := range m.Counts {
		if _, ok := fieldSpecs[k]; !ok {
			return nil, damaged("the manifest counts records of unknown kind %q", k)
		}
	}
	return out, nil
}

// readLine reads one line without its newline; the last line must end in
// one too, so a cut file is noticed.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxRecordLine {
			return nil, fmt.Errorf("a record is over %d MiB", maxRecordLine>>20)
		}
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(line) == 0:
			return nil, io.EOF
		case err == io.EOF:
			return nil, errors.New("the last record is cut short")
		default:
			return nil, err
		}
	}
}

func parseRecord(line []byte) (*ShareRecord, error) {
	if !utf8.Valid(line) {
		return nil, errors.New("not valid UTF-8")
	}
	var sl shareLine
	if err := strictJSON(line, &sl); err != nil {
		return nil, err
	}
	if _, ok := fieldSpecs[sl.Kind]; !ok {
		return nil, fmt.Errorf("unknown record kind %q", sl.Kind)
	}
	if len(sl.Value) == 0 || len(sl.Stamps) == 0 {
		return nil, errors.New("a record needs a value and stamps")
	}
	v, err := DecodeRecord(sl.Kind, sl.Value)
	if err != nil {
		return nil, err
	}
	rec := v.(validator)
	if m, ok := rec.(*Meta); ok && !ValidID(m.ID) {
		return nil, fmt.Errorf("workspace id %q is not valid", m.ID)
	}
	var st Stamps
	if err := strictJSON(sl.Stamps, &st); err != nil {
		return nil, fmt.Errorf("stamps: %w", err)
	}
	key := recordKey(sl.Kind, rec)
	if err := checkStamps(sl.Kind, &st); err != nil {
		return nil, fmt.Errorf("stamps of %s: %w", key, err)
	}
	if err := checkSiblings(sl.Kind, sl.Value, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return &ShareRecord{Kind: sl.Kind, Key: key, Record: rec, Stamps: &st}, nil
}

// checkSiblings checks that every competing value would make a valid
// record if it won, as a merge may make it.
func checkSiblings(kind string, raw []byte, st *Stamps) error {
	for f, s := range st.Fields {
		for _, a := range s.Alt {
			rec, _ := newRecord(kind)
			if err := json.Unmarshal(raw, rec); err != nil {
				return err
			}
			if err := SetFields(kind, rec, []string{f}, map[string]json.RawMessage{f: canonicalValue(a.Value)}); err != nil {
				return fmt.Errorf("a competing value of %s: %w", f, err)
			}
			if err := rec.Validate(); err != nil {
				return fmt.Errorf("a competing value of %s: %w", f, err)
			}
		}
	}
	return nil
}

// checkStamps refuses stamps no Briefboard writes.
func checkStamps(kind string, st *Stamps) error {
	if err := checkStamp(st.Base, false); err != nil {
		return fmt.Errorf("creation stamp: %w", err)
	}
	if len(st.Base.Alt) > 0 {
		return errors.New("the creation stamp has competing values")
	}
	for f, s := range st.Fields {
		if !validFieldName(kind, f) {
			return fmt.Errorf("%s has no field %q", kind, f)
		}
		implied := f == "deleted"
		if err := checkStamp(s, implied); err != nil {
			return fmt.Errorf("field %s: %w", f, err)
		}
		if len(s.Alt) > maxSiblings {
			return fmt.Errorf("field %s has %d competing values; the limit is %d", f, len(s.Alt), maxSiblings)
		}
		for _, a := range s.Alt {
			if len(a.Alt) > 0 {
				return fmt.Errorf("field %s: a competing value has its own", f)
			}
			if err := checkStamp(a.Stamp, implied); err != nil {
				return fmt.Errorf("field %s: %w", f, err)
			}
		}
	}
	return nil
}

// maxSiblings bounds the competing values of one field in a file.
const maxSiblings = 256

func checkStamp(s Stamp, impliedOK bool) error {
	if s.Replica == "" && impliedOK && s.Clock == 0 && len(s.Seen) == 0 {
		return nil
	}
	if !ValidID(s.Replica) {
		return fmt.Errorf("replica id %q is not valid", s.Replica)
	}
	if s.Clock == 0 || s.Clock > maxClock {
		return fmt.Errorf("clock %d is out of range", s.Clock)
	}
	if err := checkText("author", "The author", s.Author, MaxName, false); err != nil {
		return err
	}
	for r, c := range s.Seen {
		if !validSeenKey(r) || c == 0 || c > maxClock {
			return fmt.Errorf("version vector entry %q:%d is not valid", r, c)
		}
	}
	return nil
}

// validSeenKey accepts a replica id, or an annotation's entry in a card
// deletion's version vector (annSeenKey).
func validSeenKey(k string) bool {
	if i := strings.IndexByte(k, '~'); i >= 0 {
		return ValidID(k[:i]) && ValidID(k[i+1:])
	}
	return ValidID(k)
}

// validFieldName reports whether a stamped field name exists for a kind.
func validFieldName(kind, name string) bool {
	spec := fieldSpecs[kind]
	if _, ok := spec.groups[name]; ok {
		return true
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		return contains(spec.keyed, name[:i]) && ValidID(name[i+1:])
	}
	if contains(spec.fixed, name) || contains(spec.keyed, name) {
		return false
	}
	for _, members := range spec.groups {
		if contains(members, name) {
			return false
		}
	}
	return contains(jsonKeys(kind), name)
}

// jsonKeys lists the JSON keys of a record kind.
func jsonKeys(kind string) []string {
	rec, _ := newRecord(kind)
	raw, _ := json.Marshal(rec)
	var obj map[string]json.RawMessage
	json.Unmarshal(raw, &obj)
	keys := []string{"deleted", "conflicts"}
	for k := range obj {
		keys = append(keys, k)
	}
	// omitempty keys do not show on a zero record.
	switch kind {
	case KindMeta:
		keys = append(keys, "subtitle", "parties")
	case KindBoard:
		keys = append(keys, "purpose")
	case KindCard:
		keys = append(keys, "body", "tags", "citations", "likelihood", "confidence", "links", "createdBy", "updatedBy")
	case KindSource:
		keys = append(keys, "origin", "infoDate", "notes")
	case KindAnnotation:
		keys = append(keys, "resolved")
	}
	return keys
}

// checkStructure checks what ties a file's records together: one header,
// of the workspace the manifest names, and every lane, card and
// annotation with the board, lane or card it belongs to.
func checkStructure(sf *ShareFile) error {
	keys := make(map[string]*ShareRecord, len(sf.Records))
	for i := range sf.Records {
		keys[sf.Records[i].Key] = &sf.Records[i]
	}
	meta := keys[keyMeta]
	if meta == nil {
		return damaged("it has no workspace header")
	}
	if id := meta.Record.(*Meta).ID; id != sf.Manifest.Workspace.ID {
		return damaged("its header is of workspace %s; the manifest says %s", id, sf.Manifest.Workspace.ID)
	}
	for _, r := range sf.Records {
		switch rec := r.Record.(type) {
		case *Lane:
			if keys[string(boardKey(rec.Board))] == nil {
				return damaged("lane %s belongs to board %s, which the file does not hold", rec.ID, rec.Board)
			}
		case *Card:
			if keys[string(boardKey(rec.Board))] == nil || keys[string(laneKey(rec.Lane))] == nil {
				return damaged("card %s is on a board or lane the file does not hold", rec.ID)
			}
		case *Annotation:
			if keys[string(cardKey(rec.Card))] == nil {
				return damaged("annotation %s belongs to card %s, which the file does not hold", rec.ID, rec.Card)
			}
		}
	}
	return nil
}
