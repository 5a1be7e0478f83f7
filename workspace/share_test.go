package workspace_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"briefboard/workspace"
)

// entry is one file of a hand-made archive.
type entry struct {
	name string
	data []byte
	// header, when set, is written as is with data as the raw
	// (already compressed) content.
	header *zip.FileHeader
}

func zipOf(tb testing.TB, entries ...entry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		var w io.Writer
		var err error
		if e.header != nil {
			w, err = zw.CreateRaw(e.header)
		} else {
			w, err = zw.Create(e.name)
		}
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// recraft rebuilds a valid share file with its manifest and records
// changed by edit, the manifest's size and checksum made to match the new
// records, so only what edit broke is wrong.
func recraft(tb testing.TB, file []byte, edit func(m map[string]any, records []byte) []byte) []byte {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(unzipEntry(tb, file, "manifest.json"), &m); err != nil {
		tb.Fatal(err)
	}
	records := edit(m, unzipEntry(tb, file, "records.jsonl"))
	sum := sha256.Sum256(records)
	m["entries"] = []any{map[string]any{"name": "records.jsonl", "size": len(records), "sha256": hex.EncodeToString(sum[:])}}
	mj, _ := json.Marshal(m)
	return zipOf(tb, entry{name: "manifest.json", data: mj}, entry{name: "records.jsonl", data: records})
}

func demoFile(tb testing.TB) (*workspace.Store, []byte) {
	tb.Helper()
	s := mustOpenStore(tb)
	if err := s.SetProfile(workspace.Profile{Name: "Olena Koval"}); err != nil {
		tb.Fatal(err)
	}
	return s, shareBytes(tb, s, workspace.ShareOptions{})
}

func TestShare_RoundTrip(t *testing.T) {
	s, file := demoFile(t)
	sf := mustRead(t, file, nil)
	snap := mustSnapshot(t, s)
	m := sf.Manifest
	if m.Format != workspace.ShareFormat || m.Version != workspace.ShareVersion || m.Workspace.ID != snap.Meta.ID ||
		m.Workspace.Title != snap.Meta.Title || m.ExportedBy.Name != "Olena Koval" || m.ExportedBy.Replica != s.Replica() ||
		m.ExportedAt.IsZero() || m.MaxTLP != nil || m.TLP != workspace.TLPRed {
		t.Fatalf("manifest %+v", m)
	}
	if m.Counts["card"] != len(snap.Cards) || m.Counts["meta"] != 1 || m.Counts["source"] != len(snap.Sources) {
		t.Fatalf("counts %v", m.Counts)
	}
	for i := 1; i < len(sf.Records); i++ {
		if sf.Records[i-1].Key >= sf.Records[i].Key {
			t.Fatal("records are not sorted by key")
		}
	}
	// The same workspace shares to the same bytes.
	if again := shareBytes(t, s, workspace.ShareOptions{}); !bytes.Equal(unzipEntry(t, again, "records.jsonl"), unzipEntry(t, file, "records.jsonl")) {
		t.Fatal("sharing twice gave different records")
	}
	// Nothing local travels.
	for _, word := range []string{"local/", "log/", "ix/", "profile"} {
		if bytes.Contains(unzipEntry(t, file, "records.jsonl"), []byte(`"`+word)) {
			t.Errorf("records carry %q", word)
		}
	}
}

func TestShare_EncryptedFileIsPlainAge(t *testing.T) {
	s, _ := demoFile(t)
	pass := []byte("correct horse battery staple")
	enc := shareBytes(t, s, workspace.ShareOptions{Passphrase: pass})
	if !bytes.HasPrefix(enc, []byte("age-encryption.org/v1\n-> scrypt ")) {
		t.Fatalf("not a binary age file with an scrypt stanza: %q", enc[:40])
	}
	// Any age implementation opens it with the passphrase alone, and finds
	// an ordinary share file inside.
	id, err := age.NewScryptIdentity(string(pass))
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(enc), id)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := workspace.ReadShare(bytes.NewReader(plain), nil); err != nil {
		t.Fatalf("decrypted content is not a share file: %v", err)
	}
	path := filepath.Join(t.TempDir(), "x.briefboard")
	os.WriteFile(path, enc, 0o600)
	if e, err := workspace.ShareEncrypted(path); err != nil || !e {
		t.Fatalf("ShareEncrypted: %v %v", e, err)
	}
	if _, err := workspace.ReadShareFile(path, nil); !errors.Is(err, workspace.ErrSharePassphraseRequired) {
		t.Fatalf("no passphrase: %v", err)
	}
	if _, err := workspace.ReadShareFile(path, []byte("wrong")); !errors.Is(err, workspace.ErrShareWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	sf, err := workspace.ReadShareFile(path, pass)
	if err != nil || !sf.Encrypted {
		t.Fatalf("right passphrase: %v", err)
	}
}

// badFiles are share files each broken in one way, with what the error
// must say.
func badFiles(t *testing.T, file []byte) map[string]struct {
	data []byte
	want error
	text string
} {
	t.Helper()
	lines := func(records []byte) [][]byte {
		return bytes.Split(bytes.TrimSuffix(records, []byte("\n")), []byte("\n"))
	}
	join := func(ls [][]byte) []byte { return append(bytes.Join(ls, []byte("\n")), '\n') }
	cardLine := func(records []byte) int {
		for i, l := range lines(records) {
			if bytes.HasPrefix(l, []byte(`{"kind":"card"`)) {
				return i
			}
		}
		t.Fatal("no card")
		return 0
	}
	huge := &zip.FileHeader{Name: "records.jsonl", Method: zip.Deflate, UncompressedSize64: 6 << 30, CompressedSize64: 2, CRC32: 0}
	out := map[string]struct {
		data []byte
		want error
		text string
	}{
		"empty":     {nil, workspace.ErrNotShareFile, ""},
		"text file": {[]byte("just some notes\n"), workspace.ErrNotShareFile, ""},
		"newer version": {recraft(t, file, func(m map[string]any, r []byte) []byte { m["version"] = workspace.ShareVersion + 1; return r }),
			workspace.ErrShareVersion, fmt.Sprintf("version %d", workspace.ShareVersion+1)},
		"other format": {recraft(t, file, func(m map[string]any, r []byte) []byte { m["format"] = "something-else"; return r }),
			workspace.ErrNotShareFile, "something-else"},
		"escaping path": {zipOf(t, entry{name: "../../etc/cron.d/x", data: []byte("x")}), workspace.ErrShareDamaged, "tries to leave"},
		"absolute path": {zipOf(t, entry{name: "/etc/passwd", data: []byte("x")}), workspace.ErrShareDamaged, "tries to leave"},
		"duplicate entry": {zipOf(t, entry{name: "manifest.json", data: unzipEntry(t, file, "manifest.json")},
			entry{name: "manifest.json", data: []byte("{}")}), workspace.ErrShareDamaged, "twice"},
		"claims gigabytes": {zipOf(t, entry{name: "manifest.json", data: unzipEntry(t, file, "manifest.json")},
			entry{header: huge, data: []byte{3, 0}}), workspace.ErrShareTooLarge, "claims"},
		"duplicate id": {recraft(t, file, func(m map[string]any, r []byte) []byte {
			ls := lines(r)
			i := cardLine(r)
			ls = append(ls[:i+1], ls[i:]...)
			return join(ls)
		}), workspace.ErrShareDamaged, "appears twice"},
		"invalid UTF-8": {recraft(t, file, func(m map[string]any, r []byte) []byte {
			ls := lines(r)
			i := cardLine(r)
			ls[i] = bytes.Replace(ls[i], []byte(`"title":"`), []byte("\"title\":\"\xff\xfe"), 1)
			return join(ls)
		}), workspace.ErrShareDamaged, "UTF-8"},
		"unknown field": {recraft(t, file, func(m map[string]any, r []byte) []byte {
			ls := lines(r)
			i := cardLine(r)
			ls[i] = bytes.Replace(ls[i], []byte(`"title":`), []byte(`"secret":1,"title":`), 1)
			return join(ls)
		}), workspace.ErrShareDamaged, "secret"},
		"invalid record": {recraft(t, file, func(m map[string]any, r []byte) []byte {
			ls := lines(r)
			i := cardLine(r)
			ls[i] = bytes.Replace(ls[i], []byte(`"title":"`), []byte(`"title":"   `), 1)
			ls[i] = []byte(strings.Replace(string(ls[i]), `"title":"   `, `"title":"`+strings.Repeat("x", 600), 1))
			return join(ls)
		}), workspace.ErrShareDamaged, "limit is 500"},
		"forged stamps": {recraft(t, file, func(m map[string]any, r []byte) []byte {
			ls := lines(r)
			i := cardLine(r)
			ls[i] = bytes.Replace(ls[i], []byte(`"base":{"c":`), []byte(`"base":{"c":0,"z":`), 1)
			return join(ls)
		}), workspace.ErrShareDamaged, "stamps"},
		"cut record": {recraft(t, file, func(m map[string]any, r []byte) []byte { return r[:len(r)-10] }),
			workspace.ErrShareDamaged, "cut short"},
		"missing record": {recraft(t, file, func(m map[string]any, r []byte) []byte {
			ls := lines(r)
			i := cardLine(r)
			return join(append(ls[:i], ls[i+1:]...))
		}), workspace.ErrShareDamaged, "manifest says"},
		"tampered records": {func() []byte {
			// Change the records but not the manifest's checksum.
			good := recraft(t, file, func(m map[string]any, r []byte) []byte { return r })
			r := unzipEntry(t, good, "records.jsonl")
			i := bytes.Index(r, []byte(`"title":"`)) + 9
			r[i] ^= 0x01
			return zipOf(t, entry{name: "manifest.json", data: unzipEntry(t, good, "manifest.json")}, entry{name: "records.jsonl", data: r})
		}(), workspace.ErrShareDamaged, "checksum"},
		"orphan lane": {recraft(t, file, func(m map[string]any, r []byte) []byte {
			var out [][]byte
			for _, l := range lines(r) {
				if !bytes.HasPrefix(l, []byte(`{"kind":"board"`)) {
					out = append(out, l)
				}
			}
			m["counts"].(map[string]any)["board"] = 0
			return join(out)
		}), workspace.ErrShareDamaged, "does not hold"},
	}
	return out
}

func TestShare_BadFilesGetOneClearError(t *testing.T) {
	_, file := demoFile(t)
	for name, bf := range badFiles(t, file) {
		t.Run(name, func(t *testing.T) {
			_, err := workspace.ReadShare(bytes.NewReader(bf.data), nil)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, bf.want) || !strings.Contains(err.Error(), bf.text) {
				t.Fatalf("error %q; want %v mentioning %q", err, bf.want, bf.text)
			}
			t.Logf("%s: %v", name, err)
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
		})
	}
}

func TestShare_TruncatedAtAnyOffset(t *testing.T) {
	s, plain := demoFile(t)
	enc := shareBytes(t, s, workspace.ShareOptions{Passphrase: []byte("pw")})
	for _, f := range []struct {
		name string
		data []byte
		pass []byte
	}{{"plain", plain, nil}, {"encrypted", enc, []byte("pw")}} {
		step := max(1, len(f.data)/400)
		tail := 30
		if f.pass != nil {
			// Each try past the header costs a key derivation (about a
			// second): a few cuts, in the header, the body and the end.
			step, tail = max(1, len(f.data)/5), 3
		}
		for n := 0; n < len(f.data); n += step {
			if _, err := workspace.ReadShare(bytes.NewReader(f.data[:n]), f.pass); err == nil {
				t.Fatalf("%s cut at %d of %d bytes was accepted", f.name, n, len(f.data))
			}
		}
		// The last bytes matter too.
		for n := len(f.data) - 1; n > len(f.data)-tail && n > 0; n-- {
			if _, err := workspace.ReadShare(bytes.NewReader(f.data[:n]), f.pass); err == nil {
				t.Fatalf("%s cut at %d of %d bytes was accepted", f.name, n, len(f.data))
			}
		}
	}
}

func TestShare_FlippedBitsAreRefusedOrHarmless(t *testing.T) {
	_, file := demoFile(t)
	want := mustRead(t, file, nil)
	rng := rand.New(rand.NewSource(1))
	refused := 0
	for i := 0; i < 600; i++ {
		data := append([]byte(nil), file...)
		pos := rng.Intn(len(data))
		data[pos] ^= 1 << rng.Intn(8)
		sf, err := workspace.ReadShare(bytes.NewReader(data), nil)
		if err != nil {
			refused++
			continue
		}
		// A flip the reader accepts may only touch what carries no
		// content, such as a zip header's file time.
		if !reflect.DeepEqual(sf.Records, want.Records) || !reflect.DeepEqual(sf.Manifest, want.Manifest) {
			t.Fatalf("bit flip at byte %d of %d changed the content silently", pos, len(data))
		}
	}
	if refused < 500 {
		t.Fatalf("only %d of 600 flipped files were refused", refused)
	}
}

func TestShare_HugeEntryIsRefusedWithBoundedMemory(t *testing.T) {
	_, file := demoFile(t)
	// A deflate stream of 300 MiB of zeros, in an entry whose header and
	// manifest claim a few hundred bytes.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	manifest := unzipEntry(t, file, "manifest.json")
	var m map[string]any
	json.Unmarshal(manifest, &m)
	m["entries"] = []any{map[string]any{"name": "records.jsonl", "size": 300, "sha256": strings.Repeat("0", 64)}}
	mj, _ := json.Marshal(m)
	w, _ := zw.Create("manifest.json")
	w.Write(mj)
	var raw bytes.Buffer
	{
		fz, _ := flate.NewWriter(&raw, flate.BestCompression)
		zero := make([]byte, 1<<20)
		for i := 0; i < 300; i++ {
			fz.Write(zero)
		}
		fz.Close()
	}
	rw, err := zw.CreateRaw(&zip.FileHeader{Name: "records.jsonl", Method: zip.Deflate, UncompressedSize64: 300,
		CompressedSize64: uint64(raw.Len())})
	if err != nil {
		t.Fatal(err)
	}
	rw.Write(raw.Bytes())
	zw.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err = workspace.ReadShare(bytes.NewReader(bomb.Bytes()), nil)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, workspace.ErrShareDamaged) {
		t.Fatalf("bomb: %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Fatalf("reading the bomb allocated %d MiB", grew>>20)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("reading the bomb took %v", time.Since(start))
	}
}

// A file of format version 1 knew no markings of writes: each counts as
// written under the strictest marking its record has in the file, so a
// lowering that arrives later from this copy's own colleague cannot
// release them unseen.
func TestShare_Version1WritesTakeTheirRecordsMarking(t *testing.T) {
	s, file := demoFile(t)
	v1 := recraft(t, file, func(m map[string]any, records []byte) []byte {
		m["version"] = 1
		if counts, ok := m["counts"].(map[string]any); ok {
			delete(counts, "brief")
		}
		var out bytes.Buffer
		for _, line := range bytes.Split(bytes.TrimSpace(records), []byte("\n")) {
			var l struct {
				Kind   string                     `json:"kind"`
				Value  map[string]json.RawMessage `json:"value"`
				Stamps workspace.Stamps           `json:"stamps"`
			}
			if err := json.Unmarshal(line, &l); err != nil {
				t.Fatal(err)
			}
			if l.Kind == "brief" {
				// Version 1 knew no recorded briefs.
				continue
			}
			delete(l.Value, "held")
			if l.Kind != "card" && l.Kind != "source" && l.Kind != "annotation" {
				delete(l.Value, "tlp")
			}
			strip := func(s *workspace.Stamp) { s.M, s.Rel = 0, nil }
			strip(&l.Stamps.Base)
			for f, st := range l.Stamps.Fields {
				strip(&st)
				for i := range st.Alt {
					strip(&st.Alt[i].Stamp)
				}
				l.Stamps.Fields[f] = st
			}
			b, _ := json.Marshal(l)
			out.Write(append(b, '\n'))
		}
		return out.Bytes()
	})
	sf := mustRead(t, v1, nil)
	if sf.Manifest.Version != 1 {
		t.Fatalf("version %d", sf.Manifest.Version)
	}
	reds := 0
	for _, r := range sf.Records {
		c, ok := r.Record.(*workspace.Card)
		if !ok || c.TLP != workspace.TLPRed {
			continue
		}
		reds++
		if r.Stamps.Base.M != workspace.TLPRed {
			t.Fatalf("a RED card's creation in a version 1 file counts as %s", r.Stamps.Base.M)
		}
		for f, st := range r.Stamps.Fields {
			if st.M != workspace.TLPRed {
				t.Fatalf("a RED card's %s in a version 1 file counts as %s", f, st.M)
			}
		}
	}
	if reds == 0 {
		t.Fatal("the demo file holds no RED card")
	}
	// It merges into the copy it came from without changing anything.
	if res := mustImport(t, s, v1); res.Changed() {
		t.Fatalf("a version 1 file of the same state changed the workspace: %s", res.Summary())
	}
}
