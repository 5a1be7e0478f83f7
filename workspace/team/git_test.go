package team

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// git as the sync engine: the team folder is the working tree of a clone
// (so git's own .git sits inside it); three copies commit, pull and push in
// turn through a local bare repository. They converge, and git never
// meets a merge conflict: no file is ever written by two copies.

type gitClone struct {
	dir    string
	store  *workspace.Store
	folder *Folder
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Briefboard test", "-c", "user.email=test@example.org",
		"-c", "pull.rebase=false", "-c", "init.defaultBranch=main", "-c", "advice.detachedHead=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "CONFLICT") {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

func TestGit_ThreeClonesConvergeWithoutConflicts(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	base := t.TempDir()
	bare := filepath.Join(base, "team.git")
	git(t, base, "init", "--bare", "-b", "main", bare)
	opts := Options{Passphrase: testPass, SnapshotEvery: 3}
	var clones []*gitClone
	for i := 0; i < 3; i++ {
		c := &gitClone{dir: filepath.Join(base, fmt.Sprintf("clone%d", i))}
		git(t, base, "clone", "-q", bare, c.dir)
		clones = append(clones, c)
	}
	// The first copy sets the folder up and pushes it.
	a, err := workspace.Create(filepath.Join(t.TempDir(), "ws"), workspacetest.Template(t, "empty"), workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	clones[0].store = a
	clones[0].folder = mustOpen(t, a, clones[0].dir, opts)
	mustRound(t, clones[0].folder)
	publish(t, clones[0])
	merges := 0
	for turn := 0; turn < 6; turn++ {
		// Everyone pulls, works and commits; then each pushes in turn,
		// merging what the others pushed first.
		for _, c := range clones {
			git(t, c.dir, "pull", "-q", "--no-edit", "origin", "main")
			if c.store == nil {
				c.store, c.folder = newCopy(t, c.dir, opts)
			}
			mustRound(t, c.folder)
			for k := rng.Intn(4); k >= 0; k-- {
				gitEdit(t, rng, c.store, fmt.Sprintf("turn %d", turn))
			}
			mustRound(t, c.folder)
			commit(t, c)
		}
		rng.Shuffle(len(clones), func(i, j int) { clones[i], clones[j] = clones[j], clones[i] })
		for _, c := range clones {
			if out := git(t, c.dir, "pull", "--no-edit", "origin", "main"); strings.Contains(out, "Merge made") {
				merges++
			}
			git(t, c.dir, "push", "-q", "origin", "main")
		}
	}
	for pass := 0; pass < 4; pass++ {
		for _, c := range clones {
			git(t, c.dir, "pull", "-q", "--no-edit", "origin", "main")
			mustRound(t, c.folder)
			commit(t, c)
			git(t, c.dir, "pull", "-q", "--no-edit", "origin", "main")
			git(t, c.dir, "push", "-q", "origin", "main")
		}
	}
	for _, c := range clones {
		git(t, c.dir, "pull", "-q", "--no-edit", "origin", "main")
		if rep := mustRound(t, c.folder); rep.Sent != nil || len(rep.Received) > 0 || len(rep.Waiting)+len(rep.Damaged) > 0 {
			t.Fatalf("%s still moves: %+v", c.dir, rep)
		}
	}
	want := dumpAll(t, clones[0].store)
	for _, c := range clones[1:] {
		if d := diffDumps(want, dumpAll(t, c.store)); d != "" {
			t.Fatalf("%s differs from %s:\n%s", c.dir, clones[0].dir, d)
		}
	}
	if merges == 0 {
		t.Fatal("git made no merge: the test did not exercise one")
	}
	t.Logf("git made %d merges without a conflict", merges)
}

// publish commits and pushes a clone's folder.
func publish(t *testing.T, c *gitClone) {
	t.Helper()
	commit(t, c)
	git(t, c.dir, "push", "-q", "origin", "main")
}

// commit commits what the copy wrote (and removed), and checks it left
// no temporary file behind.
func commit(t *testing.T, c *gitClone) {
	t.Helper()
	git(t, c.dir, "add", "-A")
	if strings.TrimSpace(git(t, c.dir, "status", "--porcelain")) != "" {
		git(t, c.dir, "commit", "-q", "-m", "sync")
	}
	out := git(t, c.dir, "ls-files")
	if strings.Contains(out, tmpPrefix) {
		t.Fatalf("a temporary file was committed:\n%s", out)
	}
}

func gitEdit(t *testing.T, rng *rand.Rand, s *workspace.Store, label string) {
	t.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var cards []*workspace.Card
	for _, b := range snap.Boards {
		cards = append(cards, snap.BoardCards(b.ID)...)
	}
	board := snap.Boards[rng.Intn(len(snap.Boards))]
	switch {
	case len(cards) == 0 || rng.Intn(3) == 0:
		_, err = s.AddCard(workspace.CardDraft{Board: board.ID, Title: "Card " + label})
	case rng.Intn(2) == 0:
		c := cards[rng.Intn(len(cards))]
		_, err = s.UpdateCard(c.ID, "Edit", func(c *workspace.Card) error { c.Body = "Body " + label; return nil })
	default:
		c := cards[rng.Intn(len(cards))]
		_, err = s.AddAnnotation(c.ID, workspace.AnnComment, "Note "+label, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
}
