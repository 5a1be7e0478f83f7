package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// teamSetup makes a demo workspace, a passphrase file and an empty team
// folder.
func teamSetup(t *testing.T) (a, shared, pass string) {
	t.Helper()
	a = newDemo(t)
	tmp := t.TempDir()
	shared = filepath.Join(tmp, "shared")
	if err := os.Mkdir(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	pass = filepath.Join(tmp, "pass")
	if err := os.WriteFile(pass, []byte("team passphrase\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return a, shared, pass
}

func TestCLI_SyncSendsAndReceives(t *testing.T) {
	a, shared, pass := teamSetup(t)
	out := mustBB(t, "sync", "--workspace", a, "--folder", shared, "--passphrase-file", pass)
	for _, want := range []string{"capped at TLP:AMBER, encrypted", "in a snapshot in", "Withheld  5 records", "marked TLP:RED, above the cap TLP:AMBER"} {
		if !strings.Contains(out, want) {
			t.Fatalf("first sync: no %q in:\n%s", want, out)
		}
	}
	// A colleague's copy, made from the folder.
	b := filepath.Join(t.TempDir(), "b")
	out = mustBB(t, "sync", "--workspace", b, "--folder", shared, "--passphrase-file", pass)
	if !strings.Contains(out, "Created "+b+" from the team folder") || !strings.Contains(out, "Up to date") {
		t.Fatalf("sync into a new directory printed:\n%s", out)
	}
	la := listJSON(t, a)
	board := la["boards"].([]any)[0].(map[string]any)["id"].(string)
	id := strings.TrimSpace(mustBB(t, "card", "add", "--workspace", a, "--board", board, "--title", "A title from A"))
	out = mustBB(t, "sync", "--workspace", a, "--folder", shared, "--passphrase-file", pass)
	if !strings.Contains(out, "Sent 1 record changed") {
		t.Fatalf("sync after an edit printed:\n%s", out)
	}
	out = mustBB(t, "sync", "--workspace", b, "--folder", shared, "--passphrase-file", pass)
	if !strings.Contains(out, "Received from") || !strings.Contains(out, "1 added") || !strings.Contains(out, id) {
		t.Fatalf("the colleague's sync printed:\n%s", out)
	}
	if findCard(t, listJSON(t, b), id) == nil {
		t.Fatal("the card did not arrive")
	}
	// Both edit its title: a conflict, reported, and still exit 0.
	mustBB(t, "card", "edit", "--workspace", a, "--id", id, "--title", "A's title")
	mustBB(t, "card", "edit", "--workspace", b, "--id", id, "--title", "B's title")
	mustBB(t, "sync", "--workspace", a, "--folder", shared, "--passphrase-file", pass)
	out, errs, code := bb(t, "sync", "--workspace", b, "--folder", shared, "--passphrase-file", pass)
	if code != 0 || !strings.Contains(out, "conflict  card") || !strings.Contains(out, "(title)") {
		t.Fatalf("a sync with a conflict: exit %d, %s\n%s", code, errs, out)
	}
}

func TestCLI_SyncCapAndErrors(t *testing.T) {
	a, shared, pass := teamSetup(t)
	// The cap is chosen when the folder is set up.
	out := mustBB(t, "sync", "--workspace", a, "--folder", shared, "--passphrase-file", pass, "--max-tlp", "green")
	if !strings.Contains(out, "capped at TLP:GREEN") {
		t.Fatalf("sync --max-tlp green printed:\n%s", out)
	}
	b := filepath.Join(t.TempDir(), "b")
	wrong := filepath.Join(t.TempDir(), "wrong")
	os.WriteFile(wrong, []byte("not it\n"), 0o600)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sync", "--workspace", a, "--folder", shared, "--passphrase-file", pass, "--max-tlp", "amber"}, 1, "capped at TLP:GREEN"},
		{[]string{"sync", "--workspace", a, "--folder", shared, "--passphrase-file", wrong}, 1, "passphrase does not open"},
		{[]string{"sync", "--workspace", a, "--folder", shared}, 1, "--passphrase-file"},
		{[]string{"sync", "--workspace", a, "--folder", shared, "--no-encryption"}, 1, "is encrypted"},
		{[]string{"sync", "--workspace", b, "--folder", shared, "--passphrase-file", wrong}, 1, "passphrase does not open"},
		{[]string{"sync", "--workspace", a}, 2, "--folder SHARED is required"},
		{[]string{"sync", "--workspace", a, "--folder", filepath.Join(a, "inside"), "--passphrase-file", pass}, 1, "inside"},
		{[]string{"sync", "--workspace", a, "--folder", shared, "--passphrase-file", pass, "--no-encryption"}, 2, "not both"},
	} {
		if len(tc.args) > 4 && strings.HasSuffix(tc.args[4], "inside") {
			os.MkdirAll(tc.args[4], 0o755)
		}
		out, errs, code := bb(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("briefboard %s: exit %d, stderr %q, stdout %q; want exit %d and %q", strings.Join(tc.args, " "), code, errs, out, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(b); err == nil {
		t.Fatal("a failed sync left a workspace behind")
	}
	// A folder set up without encryption.
	c := newDemo(t)
	plain := filepath.Join(t.TempDir(), "plain")
	os.Mkdir(plain, 0o755)
	out = mustBB(t, "sync", "--workspace", c, "--folder", plain, "--no-encryption")
	if !strings.Contains(out, "not encrypted") {
		t.Fatalf("sync --no-encryption printed:\n%s", out)
	}
	if _, errs, code := bb(t, "sync", "--workspace", c, "--folder", plain, "--passphrase-file", pass); code != 1 || !strings.Contains(errs, "without encryption") {
		t.Fatalf("a passphrase for a plain folder: exit %d, %s", code, errs)
	}
}

// syncBuffer is a stdout that a test may read while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestCLI_SyncWatch(t *testing.T) {
	bin := buildBinary(t)
	a, shared, pass := teamSetup(t)
	mustBB(t, "sync", "--workspace", a, "--folder", shared, "--passphrase-file", pass)
	b := filepath.Join(t.TempDir(), "b")
	var stdout, stderr syncBuffer
	cmd := exec.Command(bin, "sync", "--workspace", b, "--folder", shared, "--passphrase-file", pass, "--watch")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = withoutDisplay(os.Environ())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFor := func(what string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(stdout.String(), what) {
			if time.Now().After(deadline) {
				t.Fatalf("no %q within 30 s:\n%s\n%s", what, stdout.String(), stderr.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("Watching the team folder")
	board := listJSON(t, a)["boards"].([]any)[0].(map[string]any)["id"].(string)
	id := strings.TrimSpace(mustBB(t, "card", "add", "--workspace", a, "--board", board, "--title", "Arrives by itself"))
	start := time.Now()
	mustBB(t, "sync", "--workspace", a, "--folder", shared, "--passphrase-file", pass)
	waitFor(id)
	t.Logf("the card reached the watching copy %v after the sync that sent it", time.Since(start).Round(100*time.Millisecond))
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("sync --watch ended with %v:\n%s", err, stderr.String())
	}
	if findCard(t, listJSON(t, b), id) == nil {
		t.Fatal("the card is not in the watching copy")
	}
}
