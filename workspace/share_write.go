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
// fills in the manifest.
func (s *Store) writeRecords(txn *badger.Txn, out *bytes.Buffer, m *Manifest, maxTLP *TLP) error {
	var prof Profile
	if err := getJSON(txn, []byte(keyProfile), &prof); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	// Every record once, for the markings.
	recs := map[string]Record{}
	for _, spec := range recordKinds {
		err := scanKeys(txn, spec.prefix, func(key, v []byte) error {
			r, err := decodeStored(spec.kind, v)
			if err != nil {
				return fmt.Errorf("record %s: %w", key, err)
			}
			recs[string(key)] = r
			return nil
		})
		if err != nil {
			return err
		}
	}
	meta, ok := recs[keyMeta].(*Meta)
	if !ok {
		return fmt.Errorf("workspace header: %w", ErrNotFound)
	}
	m.Workspace = ManifestWorkspace{ID: meta.ID, Title: meta.Title}
	m.ExportedBy = ManifestAuthor{Name: prof.Name, Replica: s.replica}
	marks := newMarkings(func(k string) Record { return recs[k] })
	if t := marks.of(keyMeta); !Allows(maxTLP, t) {
		return fmt.Errorf("%w: the workspace title, subtitle and parties are marked %s, above %s", ErrAboveCap, t, *maxTLP)
	}
	for _, spec := range sortedKinds() {
		kind := spec.kind
		err := scanKeys(txn, spec.prefix, func(key, v []byte) error {
			t := marks.of(string(key))
			if !Allows(maxTLP, t) {
				return nil
			}
			var st Stamps
			if err := getJSON(txn, stampKey(key), &st); err != nil {
				return fmt.Errorf("stamps of %s: %w", key, err)
			}
			m.TLP = max(m.TLP, t)
			m.Clock = max(m.Clock, st.MaxClock())
			sj, err := json.Marshal(normalStamps(&st))
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
