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
	"strings"
	"unicode/utf8"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/klauspost/compress/flate"
)

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
	// klauspost's inflate reads the same format, faster.
	zr.RegisterDecompressor(zip.Deflate, flate.NewReader)
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
	counts := map[RecordKind]int{}
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
		rec, err := parseRecord(line, m.Version)
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
		counts[rec.RecordKind]++
		clock = max(clock, rec.Stamps.MaxClock())
		out = append(out, *rec)
	}
	if clock > m.Clock {
		return nil, damaged("a record's clock %d is past the manifest's %d", clock, m.Clock)
	}
	for _, k := range recordKinds {
		if counts[k.kind] != m.Counts[k.kind] {
			return nil, damaged("it holds %d records of kind %s; the manifest says %d", counts[k.kind], k.kind, m.Counts[k.kind])
		}
	}
	for k := range m.Counts {
		if !k.Valid() {
			return nil, damaged("the manifest counts records of unknown kind %q", string(k))
		}
	}
	return out, nil
}

// readLine reads one line without its newline; the last line must end in
// one too, so a cut file is noticed. The line is valid until the next
// read.
func readLine(br *bufio.Reader) ([]byte, error) {
	chunk, err := br.ReadSlice('\n')
	if err == nil {
		return chunk[:len(chunk)-1], nil
	}
	line := append([]byte(nil), chunk...)
	for {
		if len(line) > maxRecordLine {
			return nil, fmt.Errorf("a record is over %d MiB", maxRecordLine>>20)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
		case err == io.EOF && len(line) == 0:
			return nil, io.EOF
		case err == io.EOF:
			return nil, errors.New("the last record is cut short")
		default:
			return nil, err
		}
		chunk, err = br.ReadSlice('\n')
		line = append(line, chunk...)
		if err == nil {
			if len(line) > maxRecordLine {
				return nil, fmt.Errorf("a record is over %d MiB", maxRecordLine>>20)
			}
			return line[:len(line)-1], nil
		}
	}
}

func parseRecord(line []byte, version int) (*ShareRecord, error) {
	if !utf8.Valid(line) {
		return nil, errors.New("not valid UTF-8")
	}
	// The plain case, read once; anything else, errors included, as
	// strictJSON reads the whole line.
	if sl, ok := splitShareLine(line); ok {
		if rec, err := parseLine(sl, version); err == nil {
			return rec, nil
		}
	}
	var sl shareLine
	if err := strictJSON(line, &sl); err != nil {
		return nil, err
	}
	return parseLine(sl, version)
}

// parseLine reads the record of a line.
func parseLine(sl shareLine, version int) (*ShareRecord, error) {
	spec, err := specOf(sl.Kind)
	if err != nil {
		return nil, err
	}
	if len(sl.Value) == 0 || len(sl.Stamps) == 0 {
		return nil, errors.New("a record needs a value and stamps")
	}
	rec, err := DecodeRecord(sl.Kind, sl.Value)
	if err != nil {
		return nil, err
	}
	if m, ok := rec.(*Meta); ok && !ValidID(m.ID) {
		return nil, fmt.Errorf("workspace id %q is not valid", m.ID)
	}
	var st Stamps
	if !decodeFast(sl.Stamps, &st) {
		if err := strictJSON(sl.Stamps, &st); err != nil {
			return nil, fmt.Errorf("stamps: %w", err)
		}
	}
	key := KeyOf(rec)
	if err := checkStamps(spec, &st); err != nil {
		return nil, fmt.Errorf("stamps of %s: %w", key, err)
	}
	if err := checkSiblings(spec, sl.Value, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	// Version 1 knew no markings of writes: each counts as written under
	// the strictest marking its record has in the file.
	if version < 2 {
		if err := assumeMarking(rec, &st); err != nil {
			return nil, err
		}
	}
	// What a record derives from its stamps is worked out here, never
	// taken from the file.
	if err := syncDerived(rec, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return &ShareRecord{RecordKind: sl.Kind, Key: key, Record: rec, Stamps: &st}, nil
}

// splitShareLine reads the plain case of a line: its three members, each
// once, into a shareLine (value and stamps as they stand in the line,
// checked only as far as finding their end: parseLine reads them whole).
// Anything else is left to strictJSON.
func splitShareLine(line []byte) (shareLine, bool) {
	var sl shareLine
	r := jsonReader{b: line}
	var seen uint32
	ok := r.object(func(k []byte) bool {
		var ok bool
		switch string(k) {
		case "kind":
			if ok = once(&seen, 1); ok {
				var s string
				s, ok = r.str()
				sl.Kind = RecordKind(s)
			}
		case "value":
			if ok = once(&seen, 2); ok {
				sl.Value, ok = r.span()
			}
		case "stamps":
			if ok = once(&seen, 4); ok {
				sl.Stamps, ok = r.span()
			}
		}
		return ok
	})
	return sl, ok && r.end()
}

// checkSiblings checks that every competing value would make a valid
// record if it won, as a merge may make it.
func checkSiblings(spec *kindSpec, raw []byte, st *Stamps) error {
	for f, s := range st.Fields {
		for _, a := range s.Alt {
			rec := spec.new()
			if err := json.Unmarshal(raw, rec); err != nil {
				return err
			}
			if err := SetFields(rec, []string{f}, map[string]json.RawMessage{f: canonicalValue(a.Value)}); err != nil {
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
func checkStamps(spec *kindSpec, st *Stamps) error {
	if err := checkStamp(st.Base, false); err != nil {
		return fmt.Errorf("creation stamp: %w", err)
	}
	if st.Base.Rel != nil {
		return errors.New("the creation stamp claims to release writes")
	}
	if len(st.Base.Alt) > 0 {
		return errors.New("the creation stamp has competing values")
	}
	for f, s := range st.Fields {
		if !spec.validFieldName(f) {
			return fmt.Errorf("%s has no field %q", spec.kind, f)
		}
		implied := f == "deleted"
		if err := checkStamp(s, implied); err != nil {
			return fmt.Errorf("field %s: %w", f, err)
		}
		if f != "tlp" && s.Rel != nil {
			return fmt.Errorf("field %s: only a write of the marking releases writes", f)
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
	if !s.M.Valid() {
		return fmt.Errorf("marking %d is not a TLP 2.0 level", int(s.M))
	}
	for r, c := range s.Rel {
		if !validSeenKey(r) || c == 0 || c > maxClock {
			return fmt.Errorf("released version vector entry %q:%d is not valid", r, c)
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
		spec, err := specOfRecord(r.Record)
		if err != nil {
			return damaged("%v", err)
		}
		if spec.parents == nil {
			continue
		}
		for _, p := range spec.parents(r.Record) {
			if keys[p] == nil {
				return damaged("%s %s belongs to %s, which the file does not hold", spec.kind, r.Record.RecordBase().ID, p)
			}
		}
	}
	return nil
}
