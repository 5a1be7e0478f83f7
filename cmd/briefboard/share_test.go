package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"briefboard/workspace"
)

// colleagues makes a demo workspace and a colleague's copy of it, made the
// way the colleague would: import into a directory that does not exist.
func colleagues(t *testing.T) (a, b, tmp string) {
	t.Helper()
	tmp = t.TempDir()
	a = newDemo(t)
	file := filepath.Join(tmp, "a.briefboard")
	mustBB(t, "share", "--workspace", a, "-o", file)
	b = filepath.Join(tmp, "b")
	out := mustBB(t, "import", file, "--workspace", b)
	if !strings.Contains(out, "Created "+b) || !strings.Contains(out, "replica id") {
		t.Fatalf("import into a new directory printed %q", out)
	}
	return a, b, tmp
}

func cardIDs(l map[string]any) []string {
	var ids []string
	for _, b := range l["boards"].([]any) {
		for _, c := range b.(map[string]any)["cards"].([]any) {
			ids = append(ids, c.(map[string]any)["id"].(string))
		}
	}
	return ids
}

func TestCLI_ShareAndImportIntoNewDirectory(t *testing.T) {
	a, b, _ := colleagues(t)
	la, lb := listJSON(t, a), listJSON(t, b)
	wa, wb := la["workspace"].(map[string]any), lb["workspace"].(map[string]any)
	if wa["id"] != wb["id"] || wa["replica"] == wb["replica"] {
		t.Fatalf("copy: workspace %v/%v, replica %v/%v", wa["id"], wb["id"], wa["replica"], wb["replica"])
	}
	if strings.Join(cardIDs(la), ",") != strings.Join(cardIDs(lb), ",") {
		t.Fatal("the copy holds other cards, or in another order")
	}
}

func TestCLI_ImportReportsConflictsAndExitsZero(t *testing.T) {
	a, b, tmp := colleagues(t)
	ids := cardIDs(listJSON(t, a))
	mustBB(t, "card", "edit", "--workspace", a, "--id", ids[0], "--title", "Title from A")
	mustBB(t, "card", "edit", "--workspace", b, "--id", ids[0], "--title", "Title from B")
	mustBB(t, "card", "edit", "--workspace", b, "--id", ids[1], "--body", "B's body")
	mustBB(t, "card", "delete", "--workspace", b, "--id", ids[2])
	mustBB(t, "card", "add", "--workspace", b, "--board", listJSON(t, b)["boards"].([]any)[0].(map[string]any)["id"].(string), "--title", "B's new card")
	fromB := filepath.Join(tmp, "b.briefboard")
	mustBB(t, "share", "--workspace", b, "-o", fromB)
	out, errs, code := bb(t, "import", fromB, "--workspace", a)
	if code != 0 || errs != "" {
		t.Fatalf("import with a conflict: exit %d, %q", code, errs)
	}
	for _, want := range []string{"1 added", "1 deleted", "1 conflict", "conflict  card       " + ids[0],
		"updated   card       " + ids[1], "deleted   card       " + ids[2], "B's new card"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	c := findCard(t, listJSON(t, a), ids[0])
	cfs := c["conflicts"].([]any)
	if len(cfs) != 1 {
		t.Fatalf("conflicts %v", cfs)
	}
	var values []string
	for _, v := range cfs[0].(map[string]any)["values"].([]any) {
		values = append(values, v.(map[string]any)["value"].(string))
	}
	if len(values) != 2 || values[0] != c["title"] || !strings.Contains(strings.Join(values, "|"), "Title from A") ||
		!strings.Contains(strings.Join(values, "|"), "Title from B") {
		t.Fatalf("competing values %v, shown %v", values, c["title"])
	}
	// The same file again changes nothing.
	before := mustBB(t, "list", "--json", "--workspace", a)
	out = mustBB(t, "import", fromB, "--workspace", a)
	if !strings.Contains(out, "nothing new") || mustBB(t, "list", "--json", "--workspace", a) != before {
		t.Fatalf("second import: %s", out)
	}
	// Undo takes the whole import back.
	if out := mustBB(t, "undo", "--workspace", a); !strings.Contains(out, "Undo import") {
		t.Fatalf("undo printed %q", out)
	}
	l := listJSON(t, a)
	if c := findCard(t, l, ids[0]); c["title"] != "Title from A" || len(c["conflicts"].([]any)) != 0 {
		t.Fatalf("after undo: %v", c)
	}
	if findCard(t, l, ids[2]) == nil || len(cardIDs(l)) != len(ids) {
		t.Fatal("undo did not bring back the deleted card or remove the added one")
	}
}

func TestCLI_EncryptedAndCappedShare(t *testing.T) {
	a, b, tmp := colleagues(t)
	pass := filepath.Join(tmp, "pass")
	os.WriteFile(pass, []byte("shared with the desk\r\nsecond line is ignored\n"), 0o600)
	file := filepath.Join(tmp, "green.briefboard")
	out := mustBB(t, "share", "--workspace", a, "-o", file, "--max-tlp", "green", "--passphrase-file", pass)
	if !strings.Contains(out, "capped at TLP:GREEN") || !strings.Contains(out, "encrypted") {
		t.Fatalf("share printed %q", out)
	}
	data, _ := os.ReadFile(file)
	if !bytes.HasPrefix(data, []byte("age-encryption.org/v1\n")) {
		t.Fatal("not an age file")
	}
	if _, errs, code := bb(t, "import", file, "--workspace", b); code != 1 || !strings.Contains(errs, "--passphrase-file") {
		t.Fatalf("import without the passphrase: %d %q", code, errs)
	}
	out = mustBB(t, "import", file, "--workspace", b, "--passphrase-file", pass)
	if !strings.Contains(out, "nothing new") {
		t.Fatalf("capped import into an equal copy: %s", out)
	}
	// A copy made from the capped file holds nothing above GREEN.
	c := filepath.Join(tmp, "c")
	mustBB(t, "import", file, "--workspace", c, "--passphrase-file", pass)
	// Every marking in the copy's listing is CLEAR or GREEN, and the text
	// of the stricter records is gone; the original holds all of them, and
	// the copy keeps its GREEN cards.
	above := []string{"chokepoint", "whip", "Tripwire", "Bottleneck"}
	orig := mustBB(t, "list", "--json", "--workspace", a)
	if got := tlpWords(t, orig); !got["amber"] || !got["amber+strict"] || !got["red"] || !got["green"] {
		t.Fatalf("the original's markings %v lack a level this test needs", got)
	}
	for _, w := range above {
		if !strings.Contains(orig, w) {
			t.Fatalf("the original lacks %q, so its absence below proves nothing", w)
		}
	}
	listing := mustBB(t, "list", "--json", "--workspace", c)
	got := tlpWords(t, listing)
	for level := range got {
		if level != "clear" && level != "green" {
			t.Errorf("the GREEN copy holds a record marked %s", level)
		}
	}
	if !got["green"] {
		t.Error("the GREEN copy has no GREEN record")
	}
	for _, w := range above {
		if strings.Contains(listing, w) {
			t.Errorf("the GREEN copy holds %s", w)
		}
	}
}

// tlpWords collects the values of every "tlp" key in a JSON document.
func tlpWords(t *testing.T, doc string) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				if s, ok := y.(string); ok && k == "tlp" {
					out[s] = true
				}
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	return out
}

// craft rebuilds a share file with its records edited, the manifest's
// size and checksum made to match.
func craft(t *testing.T, file []byte, edit func(manifest map[string]any, records []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		entries[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	var m map[string]any
	json.Unmarshal(entries["manifest.json"], &m)
	records := edit(m, entries["records.jsonl"])
	sum := sha256.Sum256(records)
	m["entries"] = []any{map[string]any{"name": "records.jsonl", "size": len(records), "sha256": hex.EncodeToString(sum[:])}}
	mj, _ := json.Marshal(m)
	return zipFiles(t, [][2]any{{"manifest.json", mj}, {"records.jsonl", records}})
}

func zipFiles(t *testing.T, files [][2]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		switch h := f[0].(type) {
		case string:
			w, _ := zw.Create(h)
			w.Write(f[1].([]byte))
		case *zip.FileHeader:
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(f[1].([]byte))
		}
	}
	zw.Close()
	return buf.Bytes()
}

func TestCLI_BadShareFilesChangeNothing(t *testing.T) {
	a, b, tmp := colleagues(t)
	ids := cardIDs(listJSON(t, a))
	// B has something new for A, so a wrongly accepted file would show.
	mustBB(t, "card", "edit", "--workspace", b, "--id", ids[0], "--title", "B's edit")
	good := filepath.Join(tmp, "good.briefboard")
	mustBB(t, "share", "--workspace", b, "-o", good)
	data, _ := os.ReadFile(good)
	pass := filepath.Join(tmp, "pass")
	os.WriteFile(pass, []byte("right\n"), 0o600)
	wrong := filepath.Join(tmp, "wrong")
	os.WriteFile(wrong, []byte("wrong\n"), 0o600)
	enc := filepath.Join(tmp, "enc.briefboard")
	mustBB(t, "share", "--workspace", b, "-o", enc, "--passphrase-file", pass)
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)/2] ^= 0x10
	firstCard := func(r []byte) int { return bytes.Index(r, []byte(`{"kind":"card"`)) }
	bad := map[string][]byte{
		"truncated":     data[:len(data)*2/3],
		"flipped bit":   flipped,
		"not a share":   []byte("%PDF-1.7\n"),
		"newer version": craft(t, data, func(m map[string]any, r []byte) []byte { m["version"] = 7; return r }),
		"escaping path": zipFiles(t, [][2]any{{"../../outside.txt", []byte("x")}}),
		"huge entry": zipFiles(t, [][2]any{{"manifest.json", craftManifest(t, data)},
			{&zip.FileHeader{Name: "records.jsonl", Method: zip.Deflate, UncompressedSize64: 8 << 30, CompressedSize64: 2}, []byte{3, 0}}}),
		"duplicate id": craft(t, data, func(m map[string]any, r []byte) []byte {
			i := firstCard(r)
			end := i + bytes.IndexByte(r[i:], '\n') + 1
			return append(append(append([]byte(nil), r[:end]...), r[i:end]...), r[end:]...)
		}),
		"invalid UTF-8": craft(t, data, func(m map[string]any, r []byte) []byte {
			i := firstCard(r) + bytes.Index(r[firstCard(r):], []byte(`"title":"`)) + 9
			return append(append(append([]byte(nil), r[:i]...), 0xc3, 0x28), r[i:]...)
		}),
	}
	before := mustBB(t, "list", "--json", "--workspace", a)
	for name, content := range bad {
		path := filepath.Join(tmp, strings.ReplaceAll(name, " ", "-")+".briefboard")
		os.WriteFile(path, content, 0o600)
		_, errs, code := bb(t, "import", path, "--workspace", a)
		if code != 1 || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "briefboard: ") {
			t.Errorf("%s: exit %d, stderr %q", name, code, errs)
		}
		t.Logf("%s: %s", name, strings.TrimSpace(errs))
		if after := mustBB(t, "list", "--json", "--workspace", a); after != before {
			t.Errorf("%s changed the workspace", name)
		}
	}
	_, errs, code := bb(t, "import", enc, "--workspace", a, "--passphrase-file", wrong)
	if code != 1 || !strings.Contains(errs, "passphrase does not open") {
		t.Errorf("wrong passphrase: %d %q", code, errs)
	}
	// A file of another workspace is refused too.
	other := newDemo(t)
	otherFile := filepath.Join(tmp, "other.briefboard")
	mustBB(t, "share", "--workspace", other, "-o", otherFile)
	if _, errs, code := bb(t, "import", otherFile, "--workspace", a); code != 1 || !strings.Contains(errs, "another workspace") {
		t.Errorf("other workspace: %d %q", code, errs)
	}
	if after := mustBB(t, "list", "--json", "--workspace", a); after != before {
		t.Error("a refused file changed the workspace")
	}
	// And the good file still imports.
	if out := mustBB(t, "import", good, "--workspace", a); !strings.Contains(out, "1 updated") {
		t.Errorf("good file: %s", out)
	}
}

func craftManifest(t *testing.T, file []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "manifest.json" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return b
		}
	}
	t.Fatal("no manifest")
	return nil
}

func TestCLI_ShareUsage(t *testing.T) {
	dir := newDemo(t)
	if _, errs, code := bb(t, "share", "--workspace", dir); code != 2 || !strings.Contains(errs, "-o") {
		t.Errorf("share without -o: %d %q", code, errs)
	}
	if _, errs, code := bb(t, "share", "--workspace", dir, "-o", filepath.Join(t.TempDir(), "x.briefboard"), "--max-tlp", "purple"); code != 2 || !strings.Contains(errs, "purple") {
		t.Errorf("bad --max-tlp: %d %q", code, errs)
	}
	if _, errs, code := bb(t, "import", "--workspace", dir); code != 2 {
		t.Errorf("import without a file: %d %q", code, errs)
	}
	if _, _, code := bb(t, "import", filepath.Join(t.TempDir(), "missing.briefboard"), "--workspace", dir); code != 1 {
		t.Errorf("import of a missing file: %d", code)
	}
}

// TestCLI_ImportSurvivesAKill kills the real binary at moments spread
// over a 10,000-card import: the workspace then opens with all of the
// import or none of it, and importing again completes it.
func TestCLI_ImportSurvivesAKill(t *testing.T) {
	bin := buildBinary(t)
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	mustBB(t, "new", src, "--template", "empty")
	base := filepath.Join(tmp, "base.briefboard")
	mustBB(t, "share", "--workspace", src, "-o", base)
	s, err := workspace.Open(src, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot()
	for done := 0; done < 10000; done += 500 {
		_, err = s.Do("Add cards", func(tx *workspace.Tx) error {
			for i := done; i < done+500; i++ {
				b := snap.Boards[i%len(snap.Boards)]
				if _, err := tx.AddCard(workspace.CardDraft{Board: b.ID, Lane: workspace.DefaultLanes[i%5], Title: fmt.Sprintf("Card %d", i),
					Body: strings.Repeat("Monitoring mission and guarantee terms. ", 8)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	file := filepath.Join(tmp, "full.briefboard")
	mustBB(t, "share", "--workspace", src, "-o", file)
	copyAt := func(name string) string {
		dir := filepath.Join(tmp, name)
		mustBB(t, "import", base, "--workspace", dir)
		return dir
	}
	// How long a whole import takes here, to spread the kills over it.
	dir := copyAt("timed")
	start := time.Now()
	if out, err := exec.Command(bin, "import", file, "--workspace", dir).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	whole := time.Since(start)
	outcomes := map[int]int{}
	// killAt runs an import into a fresh copy and kills it when stop says
	// so, then checks that the copy holds all of the import or none of it
	// and that importing again completes it. It returns the cards found
	// after the kill and whether opening finished a stage the kill left.
	killAt := func(name string, stop func(dir string, exited <-chan struct{}) bool) (int, bool) {
		dir := copyAt(name)
		cmd := exec.Command(bin, "import", file, "--workspace", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		if stop(dir, exited) {
			cmd.Process.Signal(syscall.SIGKILL)
		}
		<-exited
		s, err := workspace.Open(dir, workspace.Options{})
		if err != nil {
			t.Fatalf("%s: reopen: %v", name, err)
		}
		recovered := s.Recovered()
		s.Close()
		n := len(cardIDs(listJSON(t, dir)))
		if n != 0 && n != 10000 {
			t.Fatalf("%s: the workspace holds %d cards, neither before (0) nor after (10000)", name, n)
		}
		outcomes[n]++
		mustBB(t, "import", file, "--workspace", dir)
		if n := len(cardIDs(listJSON(t, dir))); n != 10000 {
			t.Fatalf("%s: after importing again: %d cards", name, n)
		}
		return n, recovered
	}
	// Kills spread over the import's time.
	for i, f := range []float64{0.25, 0.5, 0.8, 0.95, 1.05} {
		killAt(fmt.Sprintf("timed%d", i), func(string, <-chan struct{}) bool {
			time.Sleep(time.Duration(f * float64(whole)))
			return true
		})
	}
	// Kills at the two moments that matter, found by watching the
	// workspace's directory rather than by timing: while the stage file is
	// being written (the import has not committed: none of it) and once it
	// is committed, while its writes are copied into Badger (all of it,
	// finished on reopen). A kill can miss when the process gets past the
	// moment first, so each is tried a few times.
	seen := func(path string) func(string, <-chan struct{}) bool {
		return func(dir string, exited <-chan struct{}) bool {
			for deadline := time.Now().Add(4 * whole); time.Now().Before(deadline); {
				if _, err := os.Stat(filepath.Join(dir, path)); err == nil {
					return true
				}
				select {
				case <-exited:
					return false
				case <-time.After(200 * time.Microsecond):
				}
			}
			return true
		}
	}
	for _, moment := range []struct {
		file  string
		cards int
	}{{"stage.tmp", 0}, {"stage.commit", 10000}} {
		landed := false
		for try := 0; try < 6 && !landed; try++ {
			n, recovered := killAt(fmt.Sprintf("%s-%d", moment.file, try), seen(moment.file))
			if !recovered {
				t.Logf("try %d: the import got past %s before the kill", try, moment.file)
			} else {
				if n != moment.cards {
					t.Fatalf("killed with %s written: %d cards after reopening, want %d", moment.file, n, moment.cards)
				}
				landed = true
			}
		}
		if !landed {
			t.Fatalf("no kill landed while %s was there (whole import %v)", moment.file, whole)
		}
		t.Logf("a kill landed while %s was there", moment.file)
	}
	t.Logf("a whole import took %v; kills that found it not done: %d, done: %d",
		whole, outcomes[0], outcomes[10000])
}
