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
	for _, spec := range sortedKinds() {
		kind := spec.kind
		err := scanKeys(txn, spec.prefix, func(key, v []byte) error {
			st, err := stamps(key)
			if err != nil {
				return err
			}
			if kind == RecCard || kind == RecSource || kind == RecAnnotation {
				var probe tlpProbe
				if err := json.Unmarshal(v, &probe); err != nil {
					return fmt.Errorf("record %s is damaged: %w", key, err)
				}
				t := recordTLP(&probe, st)
				if maxTLP != nil && (t > *maxTLP || kind == RecAnnotation && omitted[probe.Card] ||
					kind == RecCard && omitted[idOfKey(string(key))]) {
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
