package workspace

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"filippo.io/age"
)

// fuzzPassphrase opens the encrypted seeds.
const fuzzPassphrase = "fuzz"

// minimalShare builds a small valid share file by hand: a header, a board,
// a lane, a card with a competing title and an annotation.
func minimalShare(tb testing.TB) []byte {
	tb.Helper()
	st := func(c uint64, r string) Stamps {
		return Stamps{Base: Stamp{Clock: c, Replica: r, Author: "Ana", At: 1766912400000}}
	}
	at := time.Date(2025, 12, 28, 9, 0, 0, 0, time.UTC)
	cardSt := st(2, "ra")
	cardSt.Set("title", Stamp{Clock: 3, Replica: "rb", At: 1766912460000, Seen: VV{"ra": 2},
		Alt: []Sibling{{Value: json.RawMessage(`"Title by A"`), Stamp: Stamp{Clock: 3, Replica: "ra", At: 1766912460000}}}})
	recs := []struct {
		kind RecordKind
		rec  Record
		st   Stamps
	}{
		{RecAnnotation, &Annotation{Base: Base{ID: "a1"}, Card: "c1", Author: "Ana", Kind: AnnComment, Text: "Check this", TLP: TLPGreen, At: at}, st(2, "ra")},
		{RecBoard, &Board{Base: Base{ID: "b1"}, Title: "Peace framework", Order: "V"}, st(1, "ra")},
		{RecCard, &Card{Base: Base{ID: "c1"}, Board: "b1", Lane: "l1", Order: "V", Title: "Title by B", Kind: KindNote, TLP: TLPGreen, CreatedAt: at, UpdatedAt: at}, cardSt},
		{RecLane, &Lane{Base: Base{ID: "l1"}, Board: "b1", Name: "Open", Order: "V"}, st(1, "ra")},
		{RecMeta, &Meta{Base: Base{ID: "ws1"}, Title: "Talks", DefaultTLP: TLPGreen}, st(1, "ra")},
	}
	var records bytes.Buffer
	counts := map[RecordKind]int{}
	for _, r := range recs {
		if err := syncConflicts(r.rec, &r.st); err != nil {
			tb.Fatal(err)
		}
		v, _ := json.Marshal(r.rec)
		s, _ := json.Marshal(r.st)
		line, _ := json.Marshal(shareLine{Kind: r.kind, Value: v, Stamps: s})
		records.Write(append(line, '\n'))
		counts[r.kind]++
	}
	sum := sha256.Sum256(records.Bytes())
	m := Manifest{Format: ShareFormat, Version: ShareVersion, Workspace: ManifestWorkspace{ID: "ws1", Title: "Talks"},
		ExportedBy: ManifestAuthor{Name: "Ana", Replica: "ra"}, ExportedAt: at, TLP: TLPGreen, Clock: 3, Counts: counts,
		Entries: []ManifestEntry{{Name: recordsEntry, Size: int64(records.Len()), SHA256: hex.EncodeToString(sum[:])}}}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range []struct {
		name string
		data []byte
	}{{manifestEntry, mustJSONIndent(m)}, {recordsEntry, records.Bytes()}} {
		w, _ := zw.Create(e.name)
		w.Write(e.data)
	}
	zw.Close()
	return out.Bytes()
}

// cheapEncrypt encrypts with a low scrypt cost, so the fuzzer can afford
// to open it.
func cheapEncrypt(tb testing.TB, plain []byte) []byte {
	tb.Helper()
	r, err := age.NewScryptRecipient(fuzzPassphrase)
	if err != nil {
		tb.Fatal(err)
	}
	r.SetWorkFactor(4)
	var out bytes.Buffer
	w, err := age.Encrypt(&out, r)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(plain)
	w.Close()
	return out.Bytes()
}

func TestShare_MinimalFileReads(t *testing.T) {
	for _, data := range [][]byte{minimalShare(t), cheapEncrypt(t, minimalShare(t))} {
		sf, err := ReadShare(bytes.NewReader(data), []byte(fuzzPassphrase))
		if err != nil {
			t.Fatal(err)
		}
		checkAccepted(t, sf)
	}
}

// checkAccepted holds for everything the reader accepts: each record
// merges into an empty copy, and merging the result with itself or with
// the file again changes nothing.
func checkAccepted(t *testing.T, sf *ShareFile) {
	t.Helper()
	for _, r := range sf.Records {
		remote, err := newRecState(r.RecordKind, r.Key, r.Record, r.Stamps, nil)
		if err != nil {
			t.Fatalf("%s: %v", r.Key, err)
		}
		got, err := mergeRecord(r.RecordKind, nil, remote, nil)
		if err != nil {
			t.Fatalf("the reader accepted %s, which does not merge: %v", r.Key, err)
		}
		again, err := mergeRecord(r.RecordKind, got, remote, nil)
		if err != nil || !sameState(got, again) {
			t.Fatalf("merging %s twice changed it (%v)", r.Key, err)
		}
		self, err := mergeRecord(r.RecordKind, got, got, nil)
		if err != nil || !sameState(got, self) {
			t.Fatalf("merging %s with itself changed it (%v)", r.Key, err)
		}
	}
}

func FuzzReadShare(f *testing.F) {
	f.Add(minimalShare(f))
	f.Add(cheapEncrypt(f, minimalShare(f)))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("age-encryption.org/v1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := ReadShare(bytes.NewReader(data), []byte(fuzzPassphrase))
		if err != nil {
			if sf != nil {
				t.Fatal("a file refused with a result")
			}
			return
		}
		for i := 1; i < len(sf.Records); i++ {
			if sf.Records[i-1].Key >= sf.Records[i].Key {
				t.Fatal("records out of order or repeated")
			}
		}
		checkAccepted(t, sf)
	})
}

// FuzzShareRecord fuzzes the parser of one line of records.jsonl, which
// the archive's checksums keep FuzzReadShare from reaching often.
func FuzzShareRecord(f *testing.F) {
	for _, line := range bytes.Split(bytes.TrimSpace(minimalRecords(f)), []byte("\n")) {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		rec, err := parseRecord(line, ShareVersion)
		if err != nil {
			return
		}
		checkAccepted(t, &ShareFile{Records: []ShareRecord{*rec}})
	})
}

// minimalRecords returns the records.jsonl of minimalShare.
func minimalRecords(tb testing.TB) []byte {
	data := minimalShare(tb)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == recordsEntry {
			b, err := readEntry(f, 1<<20)
			if err != nil {
				tb.Fatal(err)
			}
			return b
		}
	}
	tb.Fatal("no records")
	return nil
}
