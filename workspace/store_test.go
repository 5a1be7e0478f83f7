package workspace_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/workspace"
)

func TestStore_DemoTemplate(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	if len(snap.Boards) < 3 {
		t.Fatalf("demo has %d boards, want the three pillars at least", len(snap.Boards))
	}
	if n := len(snap.Cards); n < 20 || n > 40 {
		t.Fatalf("demo has %d cards, want 20 to 40", n)
	}
	if len(snap.Meta.Parties) != 4 {
		t.Fatalf("demo has %d parties, want 4", len(snap.Meta.Parties))
	}
	levels := map[workspace.TLP]int{}
	judgments := 0
	for _, c := range snap.Cards {
		levels[c.TLP]++
		if c.IsKeyJudgment() {
			judgments++
			if c.Likelihood == "" || c.Confidence == "" {
				t.Errorf("key judgment %q lacks likelihood or confidence", c.Title)
			}
		}
	}
	if levels[workspace.TLPAmber] == 0 || levels[workspace.TLPRed] == 0 {
		t.Errorf("demo TLP levels %v: want at least one AMBER and one RED card", levels)
	}
	if judgments == 0 {
		t.Error("demo has no key judgments")
	}
	for _, b := range snap.Boards {
		var names []string
		for _, l := range snap.Lanes[b.ID] {
			names = append(names, l.Name)
		}
		if got := strings.Join(names, ","); got != strings.Join(workspace.DefaultLanes, ",") {
			t.Errorf("board %q lanes %s", b.Title, got)
		}
	}
	if len(snap.Sources) == 0 {
		t.Error("demo has no sources")
	}
	// Threads read in the template's order.
	byTitle := map[string]*workspace.Card{}
	for _, c := range snap.Cards {
		byTitle[c.Title] = c
	}
	threads := 0
	for _, tb := range loadTemplate(t, "three-pillars").Boards {
		for _, tc := range tb.Cards {
			got := snap.Annotations[byTitle[tc.Title].ID]
			if len(got) != len(tc.Annotations) {
				t.Fatalf("card %q has %d annotations, want %d", tc.Title, len(got), len(tc.Annotations))
			}
			for i := range got {
				if got[i].Text != tc.Annotations[i].Text {
					t.Errorf("card %q annotation %d out of order", tc.Title, i)
				}
			}
			if len(got) > 1 {
				threads++
			}
		}
	}
	if threads == 0 {
		t.Error("the demo has no card with a thread of two or more")
	}
	// Creating the workspace is not a step to undo.
	if _, err := s.Undo(); !errors.Is(err, workspace.ErrNothingToUndo) {
		t.Errorf("undo on a new workspace: %v, want ErrNothingToUndo", err)
	}
}

func TestStore_EmptyTemplate(t *testing.T) {
	s, _ := mustCreate(t, "empty", workspace.Options{})
	snap := mustSnapshot(t, s)
	if len(snap.Boards) != 3 || len(snap.Cards) != 0 {
		t.Fatalf("empty template: %d boards, %d cards; want 3 and 0", len(snap.Boards), len(snap.Cards))
	}
}

func TestStore_OpenMissingDirIsAnError(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	_, err := workspace.Open(dir, workspace.Options{})
	if !errors.Is(err, workspace.ErrNoWorkspace) {
		t.Fatalf("open of a missing dir: %v, want ErrNoWorkspace", err)
	}
	if _, serr := os.Stat(dir); !errors.Is(serr, os.ErrNotExist) {
		t.Fatal("opening a missing workspace created its directory")
	}
	plain := t.TempDir()
	if _, err := workspace.Open(plain, workspace.Options{}); !errors.Is(err, workspace.ErrNotWorkspace) {
		t.Fatalf("open of a plain dir: %v, want ErrNotWorkspace", err)
	}
}

func TestStore_CreateRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)
	_, err := workspace.Create(dir, loadTemplate(t, "empty"), workspace.Options{})
	if !errors.Is(err, workspace.ErrExists) {
		t.Fatalf("create in a non-empty dir: %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
		t.Fatal("create touched the files already there")
	}
}

func TestStore_SecondOpenIsLocked(t *testing.T) {
	_, dir := mustCreate(t, "empty", workspace.Options{})
	_, err := workspace.Open(dir, workspace.Options{})
	if !errors.Is(err, workspace.ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "open in another Briefboard window or process") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("lock message %q does not say what and where", err)
	}
}

func TestStore_ReopenKeepsEverything(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	s, err := workspace.Create(dir, loadTemplate(t, "three-pillars"), workspace.Options{Now: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	before := mustSnapshot(t, s)
	replica := s.Replica()
	s.Close()
	s2, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	after := mustSnapshot(t, s2)
	if len(after.Cards) != len(before.Cards) || after.Meta.Title != before.Meta.Title {
		t.Fatal("reopen lost records")
	}
	if s2.Replica() != replica {
		t.Fatal("reopening the same directory changed the replica id")
	}
}

func TestStore_CopiedDirectoryGetsNewReplica(t *testing.T) {
	s, dir := mustCreate(t, "empty", workspace.Options{})
	replica := s.Replica()
	s.Close()
	cp := filepath.Join(t.TempDir(), "copy")
	copyDir(t, dir, cp)
	c, err := workspace.Open(cp, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Replica() == replica {
		t.Fatal("a copied workspace kept the original's replica id")
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// fillSecrets writes a card whose title and long body hold secret; the
// body is past Badger's value threshold, so it lands in the value log.
func fillSecrets(t *testing.T, s *workspace.Store, secret string) {
	t.Helper()
	b := mustSnapshot(t, s).Boards[0]
	body := strings.Repeat("Words of the negotiation text, repeated to pass the value threshold. ", 1200) + secret
	if _, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: secret, Body: body}); err != nil {
		t.Fatal(err)
	}
}

// plainNeedles lists the needles found anywhere in the files under dir.
func plainNeedles(t *testing.T, dir string, needles []string) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, needle := range needles {
			if bytes.Contains(data, []byte(needle)) {
				found[needle] = append(found[needle], filepath.Base(p))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestStore_EncryptionAtRest(t *testing.T) {
	secret := "Zaporizhzhia-unmistakable-marker-7731"
	needles := []string{secret, "Witkoff", "Umerov"}
	// Positive control: the same writes to a plain workspace put every
	// needle on disk, the long body in the value log (.vlog) too.
	plain, plainDir := mustCreate(t, "three-pillars", workspace.Options{})
	fillSecrets(t, plain, secret)
	plain.Close()
	found := plainNeedles(t, plainDir, needles)
	for _, n := range needles {
		if len(found[n]) == 0 {
			t.Fatalf("positive control: %q is not on disk in a plain workspace", n)
		}
	}
	inVlog := false
	for _, f := range found[secret] {
		inVlog = inVlog || strings.HasSuffix(f, ".vlog")
	}
	if !inVlog {
		t.Fatalf("positive control: the long body did not reach the value log (found in %v)", found[secret])
	}

	pass := []byte("correct horse battery staple")
	s, dir := mustCreate(t, "three-pillars", workspace.Options{Passphrase: pass})
	fillSecrets(t, s, secret)
	s.Close()
	for n, files := range plainNeedles(t, dir, needles) {
		t.Errorf("%v hold %q in the clear", files, n)
	}
	if _, err := workspace.Open(dir, workspace.Options{Passphrase: []byte("wrong")}); !errors.Is(err, workspace.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
	if _, err := workspace.Open(dir, workspace.Options{}); !errors.Is(err, workspace.ErrPassphraseRequired) {
		t.Fatalf("no passphrase: %v, want ErrPassphraseRequired", err)
	}
	s2, err := workspace.Open(dir, workspace.Options{Passphrase: pass})
	if err != nil {
		t.Fatalf("right passphrase: %v", err)
	}
	defer s2.Close()
	found2 := false
	for _, c := range mustSnapshot(t, s2).Cards {
		found2 = found2 || c.Title == secret && strings.HasSuffix(c.Body, secret)
	}
	if !found2 {
		t.Fatal("the card written to the encrypted workspace is gone")
	}
}

// A kill between creating a memtable file and writing to it leaves an
// empty .mem file; the workspace still opens.
func TestStore_OpensWithAnEmptyMemtableFileLeftByACrash(t *testing.T) {
	s, dir := mustCreate(t, "three-pillars", workspace.Options{})
	want := len(mustSnapshot(t, s).Cards)
	s.Close()
	for _, name := range []string{"00099.mem", "000099.vlog"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s2, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		t.Fatalf("open after a crash left empty memtable and value log files: %v", err)
	}
	defer s2.Close()
	if got := len(mustSnapshot(t, s2).Cards); got != want {
		t.Fatalf("%d cards, want %d", got, want)
	}
}
