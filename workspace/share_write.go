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
	"time"

	"filippo.io/age"
	"github.com/dgraph-io/badger/v4"
	"github.com/klauspost/compress/flate"
)

// Share writes the workspace as a share file to w.
func (s *Store) Share(w io.Writer, opts ShareOptions) (*Manifest, error) {
	var records bytes.Buffer
	m := &Manifest{Format: ShareFormat, Version: ShareVersion, MaxTLP: opts.MaxTLP, Counts: map[RecordKind]int{},
		ExportedAt: s.now().UTC().Truncate(time.Second)}
	if err := s.enter(); err != nil {
		return nil, err
	}
	s.view.RLock()
	err := s.db.View(func(txn *badger.Txn) error { return s.writeRecords(txn, &records, m, opts.MaxTLP) })
	s.view.RUnlock()
	s.leave()
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
	// klauspost's deflate writes the standard format at about twice the
	// speed of compress/flate's default level, a few percent larger.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, 5) })
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

// writeRecords writes records.jsonl in key order, leaving out every record
// whose effective marking is above the cap (whole: DESIGN.md 4a), and
// fills in the manifest. A first pass works out every record's marking,
// keeping only what markings need; the second writes the lines from the
// stored JSON, reading each record's stamps alongside it.
func (s *Store) writeRecords(txn *badger.Txn, out *bytes.Buffer, m *Manifest, maxTLP *TLP) error {
	var prof Profile
	if err := getJSON(txn, []byte(keyProfile), &prof); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	var meta *Meta
	inputs := map[string]markInput{}
	size := 0
	in := newInterner()
	in.marksOnly = true
	for _, spec := range recordKinds {
		err := scanKeys(txn, spec.prefix, func(key, v []byte) error {
			r, err := decodeStoredWith(spec.kind, v, in)
			if err != nil {
				return fmt.Errorf("record %s: %w", key, err)
			}
			if x, ok := r.(*Meta); ok {
				meta = x
			}
			inputs[string(key)] = inputOf(r)
			size += len(v) + 160
			return nil
		})
		if err != nil {
			return err
		}
	}
	if meta == nil {
		return fmt.Errorf("workspace header: %w", ErrNotFound)
	}
	m.Workspace = ManifestWorkspace{ID: meta.ID, Title: meta.Title}
	m.ExportedBy = ManifestAuthor{Name: prof.Name, Replica: s.replica}
	marks := newMarkingsOf(inputs)
	if t := marks.of(keyMeta); !Allows(maxTLP, t) {
		return fmt.Errorf("%w: the workspace title, subtitle and parties are marked %s, above %s", ErrAboveCap, t, *maxTLP)
	}
	out.Grow(size)
	var line []byte
	for _, spec := range sortedKinds() {
		kind := spec.kind
		stamps := newStampReader(txn, spec.prefix)
		err := scanKeys(txn, spec.prefix, func(key, v []byte) error {
			t := marks.of(string(key))
			if !Allows(maxTLP, t) {
				return nil
			}
			sv, err := stamps.of(key)
			if err != nil {
				return fmt.Errorf("stamps of %s: %w", key, err)
			}
			var st Stamps
			if err := unmarshal(sv, &st); err != nil {
				return fmt.Errorf("stamps of %s: record %s is damaged: %w", key, stampKey(key), err)
			}
			m.TLP = max(m.TLP, t)
			m.Clock = max(m.Clock, stampsMaxClock(&st))
			// The stored JSON is what marshal wrote; the stamps are
			// written again only when normalising drops a field.
			if norm := normalStamps(&st); len(norm.Fields) != len(st.Fields) || !marshalled(sv) {
				if sv, err = marshal(norm); err != nil {
					return err
				}
			}
			if !marshalled(v) {
				if v, err = compactJSON(v); err != nil {
					return fmt.Errorf("record %s: %w", key, err)
				}
			}
			line = append(line[:0], `{"kind":`...)
			line = AppendJSONString(line, string(kind))
			line = append(line, `,"value":`...)
			line = append(line, v...)
			line = append(line, `,"stamps":`...)
			line = append(line, sv...)
			line = append(line, "}\n"...)
			out.Write(line)
			m.Counts[kind]++
			return nil
		})
		stamps.close()
		if err != nil {
			return err
		}
	}
	return nil
}

// compactJSON gives a JSON value as json.Marshal writes a RawMessage:
// compact, with HTML characters escaped.
func compactJSON(v []byte) ([]byte, error) {
	var c bytes.Buffer
	if err := json.Compact(&c, v); err != nil {
		return nil, err
	}
	var e bytes.Buffer
	json.HTMLEscape(&e, c.Bytes())
	return e.Bytes(), nil
}

// stampReader reads the stamps of a prefix's records in key order, in
// step with a scan of the records: one iterator instead of a look-up per
// record.
type stampReader struct {
	it     *badger.Iterator
	prefix []byte
}

func newStampReader(txn *badger.Txn, prefix string) *stampReader {
	p := stampKey([]byte(prefix))
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p, PrefetchValues: true, PrefetchSize: 100})
	it.Seek(p)
	return &stampReader{it: it, prefix: p}
}

// of returns the stamps of the record under key, which must come after
// the keys asked for before; the value is valid until the next call.
func (r *stampReader) of(key []byte) ([]byte, error) {
	want := stampKey(key)
	for ; r.it.ValidForPrefix(r.prefix); r.it.Next() {
		switch c := bytes.Compare(r.it.Item().Key(), want); {
		case c == 0:
			return r.it.Item().ValueCopy(nil)
		case c > 0:
			return nil, ErrNotFound
		}
	}
	return nil, ErrNotFound
}

func (r *stampReader) close() { r.it.Close() }

// stampsMaxClock is the highest logical clock anywhere in the stamps, as
// MaxClock gives it, without building version vectors.
func stampsMaxClock(st *Stamps) uint64 {
	m := uint64(0)
	one := func(s *Stamp) {
		m = max(m, s.Clock)
		for _, c := range s.Seen {
			m = max(m, c)
		}
	}
	each := func(s *Stamp) {
		one(s)
		for i := range s.Alt {
			one(&s.Alt[i].Stamp)
		}
	}
	each(&st.Base)
	for _, s := range st.Fields {
		each(&s)
	}
	return m
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
