package workspace_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/workspace"
)

// shareBytes shares a workspace into memory.
func shareBytes(tb testing.TB, s *workspace.Store, opts workspace.ShareOptions) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := s.Share(&buf, opts); err != nil {
		tb.Fatalf("share: %v", err)
	}
	return buf.Bytes()
}

func mustRead(tb testing.TB, data []byte, pass []byte) *workspace.ShareFile {
	tb.Helper()
	sf, err := workspace.ReadShare(bytes.NewReader(data), pass)
	if err != nil {
		tb.Fatalf("read share: %v", err)
	}
	return sf
}

// mustImport merges a share file held in memory.
func mustImport(tb testing.TB, s *workspace.Store, data []byte) *workspace.ImportResult {
	tb.Helper()
	res, err := s.Import(mustRead(tb, data, nil))
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	return res
}

// copyOf makes a colleague's copy of a workspace from its share file.
func copyOf(tb testing.TB, s *workspace.Store, opts workspace.Options) *workspace.Store {
	tb.Helper()
	if opts.Now == nil {
		opts.Now = fixedClock()
	}
	dir := filepath.Join(tb.TempDir(), "copy")
	c, _, err := workspace.CreateFromShare(dir, mustRead(tb, shareBytes(tb, s, workspace.ShareOptions{}), nil), opts)
	if err != nil {
		tb.Fatalf("create copy: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// unzipEntry returns one entry of a plain share file.
func unzipEntry(tb testing.TB, data []byte, name string) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				tb.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				tb.Fatal(err)
			}
			return b
		}
	}
	tb.Fatalf("no entry %s", name)
	return nil
}

// dump is the canonical form of a workspace's records and stamps: the
// records of an uncapped share file, which are sorted and normalised.
func dump(tb testing.TB, s *workspace.Store) string {
	tb.Helper()
	return string(unzipEntry(tb, shareBytes(tb, s, workspace.ShareOptions{}), "records.jsonl"))
}

// diffLines names the first line where two dumps differ.
func diffLines(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "first difference:\n  " + x + "\n  " + y
		}
	}
	return "no difference"
}

func firstCard(tb testing.TB, s *workspace.Store, tlp workspace.TLP) *workspace.Card {
	tb.Helper()
	snap := mustSnapshot(tb, s)
	for _, b := range snap.Boards {
		for _, c := range snap.BoardCards(b.ID) {
			if c.TLP == tlp {
				return c
			}
		}
	}
	tb.Fatalf("no card marked %s", tlp)
	return nil
}

func liveCard(tb testing.TB, s *workspace.Store, id string) *workspace.Card {
	tb.Helper()
	c := mustSnapshot(tb, s).Cards[id]
	if c == nil {
		tb.Fatalf("card %s is not live", id)
	}
	return c
}

func editCard(tb testing.TB, s *workspace.Store, id string, fn func(c *workspace.Card)) {
	tb.Helper()
	if _, err := s.UpdateCard(id, "Edit card", func(c *workspace.Card) error { fn(c); return nil }); err != nil {
		tb.Fatalf("edit card: %v", err)
	}
}

func conflictOf(c *workspace.Card, field string) *workspace.Conflict {
	for i := range c.Conflicts {
		if c.Conflicts[i].Field == field {
			return &c.Conflicts[i]
		}
	}
	return nil
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}
