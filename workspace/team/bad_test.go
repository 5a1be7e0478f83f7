package team

import (
	"context"
	"errors"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
)

// A bad folder gets one clear message, nothing of the bad file is merged,
// and the workspace stays as it was; once the file is good again, the
// round merges it (the positive control: the test could fail).

// pair is a folder with two copies: A has just sent segment 2, holding a
// new card, that B has not merged yet.
type pair struct {
	root   string
	a, b   *workspace.Store
	fa, fb *Folder
	card   string
	seg2   string
}

func newPair(t *testing.T) *pair {
	t.Helper()
	p := &pair{root: t.TempDir()}
	p.a = newStore(t)
	p.fa = mustOpen(t, p.a, p.root, Options{Passphrase: testPass})
	mustRound(t, p.fa)
	p.b, p.fb = newCopy(t, p.root, Options{Passphrase: testPass})
	mustRound(t, p.fb)
	snap, err := p.a.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.a.AddCard(workspace.CardDraft{Board: snap.Boards[0].ID, Title: "Only in segment 2"})
	if err != nil {
		t.Fatal(err)
	}
	p.card = c.ID
	if rep := mustRound(t, p.fa); rep.Sent == nil || rep.Sent.Number != 2 {
		t.Fatalf("A sent %+v, want segment 2", rep.Sent)
	}
	p.seg2 = filepath.Join(p.fa.Dir(), p.a.Replica(), segName(2, false))
	return p
}

// look is what must not change: B's records and journal.
type look struct {
	records map[string]string
	entries int
}

func lookAt(t *testing.T, s *workspace.Store) look {
	t.Helper()
	log, err := s.Log(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return look{dumpAll(t, s), len(log)}
}

func (p *pair) unchanged(t *testing.T, before look) {
	t.Helper()
	after := lookAt(t, p.b)
	if d := diffDumps(before.records, after.records); d != "" || after.entries != before.entries {
		t.Fatalf("B changed (journal %d -> %d entries):\n%s", before.entries, after.entries, d)
	}
	if p.hasCard(t) {
		t.Fatal("B has the card of the bad segment")
	}
}

func (p *pair) hasCard(t *testing.T) bool {
	t.Helper()
	snap, err := p.b.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return snap.Cards[p.card] != nil
}

// repairedMerges puts the good segment back and checks B merges it.
func (p *pair) repairedMerges(t *testing.T, good []byte) {
	t.Helper()
	if good != nil {
		if err := os.WriteFile(p.seg2, good, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep := mustRound(t, p.fb)
	if len(rep.Damaged)+len(rep.Waiting) > 0 || !p.hasCard(t) {
		t.Fatalf("after the repair B should merge segment 2: damaged %+v, waiting %+v", rep.Damaged, rep.Waiting)
	}
}

// oneProblem checks a round reports exactly one problem, about the file,
// with the words given, and that it does so again on the next round.
func oneProblem(t *testing.T, f *Folder, damaged bool, file string, words ...string) {
	t.Helper()
	for i := 0; i < 2; i++ {
		rep := mustRound(t, f)
		list, other := rep.Damaged, rep.Waiting
		if !damaged {
			list, other = other, list
		}
		if len(list) != 1 || len(other) != 0 || len(rep.Received) != 0 {
			t.Fatalf("round %d: want one problem with %s: damaged %+v, waiting %+v, received %d", i, file, rep.Damaged, rep.Waiting, len(rep.Received))
		}
		if !strings.HasSuffix(list[0].File, file) {
			t.Fatalf("the problem names %s, want %s", list[0].File, file)
		}
		for _, w := range words {
			if !strings.Contains(list[0].Reason, w) {
				t.Fatalf("reason %q does not say %q", list[0].Reason, w)
			}
		}
		t.Logf("%s: %s", list[0].File, list[0].Reason)
	}
}

func TestBadFolder_FlippedBit(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	p := newPair(t)
	good, err := os.ReadFile(p.seg2)
	if err != nil {
		t.Fatal(err)
	}
	_, start, err := readHeader(good)
	if err != nil {
		t.Fatal(err)
	}
	// A bit in the header, in the body, in the tag: each is damage.
	for _, at := range []int{len(segMagic) + rng.Intn(start-len(segMagic)-1), start + rng.Intn(len(good)-start-tagSize), len(good) - 1 - rng.Intn(tagSize)} {
		before := lookAt(t, p.b)
		bad := append([]byte(nil), good...)
		bad[at] ^= 1 << rng.Intn(8)
		if err := os.WriteFile(p.seg2, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		oneProblem(t, p.fb, true, segName(2, false), "damaged")
		p.unchanged(t, before)
	}
	p.repairedMerges(t, good)
}

func TestBadFolder_Truncated(t *testing.T) {
	p := newPair(t)
	good, err := os.ReadFile(p.seg2)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 10, len(segMagic) + 20, len(good) / 2, len(good) - 1} {
		before := lookAt(t, p.b)
		if err := os.WriteFile(p.seg2, good[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		// Cut short or still arriving: it waits, said so every round.
		oneProblem(t, p.fb, false, segName(2, false), "incomplete")
		p.unchanged(t, before)
	}
	p.repairedMerges(t, good)
}

func TestBadFolder_SegmentOfAnotherWorkspace(t *testing.T) {
	p := newPair(t)
	good, _ := os.ReadFile(p.seg2)
	// Another workspace's folder, with the same passphrase.
	other := newStore(t)
	fo := mustOpen(t, other, t.TempDir(), Options{Passphrase: testPass})
	mustRound(t, fo)
	snap, _ := other.Snapshot()
	if _, err := other.AddCard(workspace.CardDraft{Board: snap.Boards[0].ID, Title: "Other workspace"}); err != nil {
		t.Fatal(err)
	}
	mustRound(t, fo)
	foreign, err := os.ReadFile(filepath.Join(fo.Dir(), other.Replica(), segName(2, false)))
	if err != nil {
		t.Fatal(err)
	}
	before := lookAt(t, p.b)
	if err := os.WriteFile(p.seg2, foreign, 0o644); err != nil {
		t.Fatal(err)
	}
	oneProblem(t, p.fb, true, segName(2, false), "belongs to workspace")
	p.unchanged(t, before)
	p.repairedMerges(t, good)
}

func TestBadFolder_ForgedMAC(t *testing.T) {
	p := newPair(t)
	good, _ := os.ReadFile(p.seg2)
	h, _, err := readHeader(good)
	if err != nil {
		t.Fatal(err)
	}
	// Someone without the passphrase writes a segment with keys of their
	// own under the team file's name.
	forger, err := newTeam(p.fa.ws, p.a.Replica(), time.Now(), DefaultCap, true)
	if err != nil {
		t.Fatal(err)
	}
	forger.name = h.Team
	seg, err := p.a.ShareSegment(workspace.SegmentOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	h.Covers, h.Complete = nil, false
	forged, err := encodeSegment(*h, seg.Data, keys{forger})
	if err != nil {
		t.Fatal(err)
	}
	before := lookAt(t, p.b)
	if err := os.WriteFile(p.seg2, forged, 0o644); err != nil {
		t.Fatal(err)
	}
	oneProblem(t, p.fb, true, segName(2, false), "MAC does not match", "without the team key")
	p.unchanged(t, before)
	p.repairedMerges(t, good)
}

func TestBadFolder_TeamFileLoosensTheCap(t *testing.T) {
	p := newPair(t)
	name := teamPrefix + p.a.Replica()
	path := filepath.Join(p.fa.Dir(), name)
	good, _ := os.ReadFile(path)
	t.Run("rewritten", func(t *testing.T) {
		loose := *p.fa.team
		loose.info.Cap = workspace.TLPRed
		data, err := loose.encode(testPass)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		before := lookAt(t, p.b)
		_, err = p.fb.Round(context.Background())
		if !errors.Is(err, ErrLoosened) || !strings.Contains(err.Error(), "TLP:RED") || !strings.Contains(err.Error(), "TLP:AMBER") {
			t.Fatalf("round: %v, want a loosened cap refused", err)
		}
		t.Log(err)
		p.unchanged(t, before)
		// A copy opening the folder afresh refuses it too: it remembers.
		if _, err := Open(p.b, p.root, Options{Passphrase: testPass}); !errors.Is(err, ErrLoosened) {
			t.Fatalf("open: %v, want a loosened cap refused", err)
		}
		if err := os.WriteFile(path, good, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an earlier one beside it", func(t *testing.T) {
		early, err := newTeam(p.fa.ws, "aaaaaaaa", p.fa.team.info.Created.Add(-time.Hour), workspace.TLPRed, true)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := early.encode(testPass)
		if err := writeOnce(filepath.Join(p.fa.Dir(), early.name), data); err != nil {
			t.Fatal(err)
		}
		before := lookAt(t, p.b)
		if _, err := p.fb.Round(context.Background()); !errors.Is(err, ErrLoosened) {
			t.Fatalf("round: %v, want a loosened cap refused", err)
		}
		p.unchanged(t, before)
		os.Remove(filepath.Join(p.fa.Dir(), early.name))
	})
	t.Run("plain where it was encrypted", func(t *testing.T) {
		plain := *p.fa.team
		plain.info.Encrypted, plain.info.Identity, plain.info.MAC = false, "", nil
		data, _ := plain.encode(nil)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		before := lookAt(t, p.b)
		if _, err := p.fb.Round(context.Background()); !errors.Is(err, ErrLoosened) {
			t.Fatalf("round: %v, want a dropped encryption refused", err)
		}
		p.unchanged(t, before)
		if err := os.WriteFile(path, good, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	p.repairedMerges(t, nil)
}

func TestBadFolder_WrongPassphrase(t *testing.T) {
	p := newPair(t)
	before := lookAt(t, p.b)
	_, err := Open(p.b, p.root, Options{Passphrase: []byte("not the team passphrase")})
	if !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("open: %v, want the wrong passphrase", err)
	}
	t.Log(err)
	p.unchanged(t, before)
	_, _, err = NewWorkspace(filepath.Join(t.TempDir(), "ws"), p.root, Options{Passphrase: []byte("wrong")}, workspace.Options{})
	if !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("new workspace: %v, want the wrong passphrase", err)
	}
	if _, _, err = NewWorkspace(filepath.Join(t.TempDir(), "ws"), p.root, Options{}, workspace.Options{}); !errors.Is(err, ErrPassphraseRequired) {
		t.Fatalf("new workspace without a passphrase: %v", err)
	}
	// The right one opens it.
	newCopy(t, p.root, Options{Passphrase: testPass})
}

func TestBadFolder_TeamFileThatIsNotOne(t *testing.T) {
	for _, tc := range []struct{ name, content string }{
		{"garbage", "\x00\x01 not a team file at all"},
		{"json", `{"format": "something-else"}`},
		{"age of something else", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			s := newStore(t)
			m, _ := s.Header()
			dir := filepath.Join(root, m.ID)
			os.MkdirAll(dir, 0o755)
			content := []byte(tc.content)
			if len(content) == 0 {
				// An age file for the passphrase that holds something else.
				t1, _ := newTeam(m.ID, "bbbbbbbb", time.Now(), DefaultCap, true)
				t1.info.Format = "not-briefboard"
				content, _ = t1.encode(testPass)
			}
			mustWrite(t, filepath.Join(dir, teamPrefix+"bbbbbbbb"), content)
			before := lookAt(t, s)
			_, err := Open(s, root, Options{Passphrase: testPass})
			if !errors.Is(err, ErrNotTeamFile) {
				t.Fatalf("open: %v, want not a team file", err)
			}
			t.Log(err)
			if d := diffDumps(before.records, lookAt(t, s).records); d != "" {
				t.Fatal(d)
			}
		})
	}
}

func TestBadFolder_Unwritable(t *testing.T) {
	p := newPair(t)
	c := newStore(t)
	undo := readOnly(t, p.root, p.fa.Dir())
	before := lookAt(t, c)
	_, err := Open(c, p.root, Options{Passphrase: testPass})
	if !errors.Is(err, ErrUnwritable) {
		t.Fatalf("open: %v, want the folder unwritable", err)
	}
	t.Log(err)
	if d := diffDumps(before.records, lookAt(t, c).records); d != "" {
		t.Fatal(d)
	}
	// A copy joined before cannot write its segment: one clear error.
	undo()
	fc := mustOpen(t, c, p.root, Options{Passphrase: testPass})
	undo = readOnly(t, filepath.Join(fc.Dir(), c.Replica()))
	if _, err := fc.Round(context.Background()); !errors.Is(err, ErrUnwritable) {
		t.Fatalf("round: %v, want the folder unwritable", err)
	}
	undo()
	if rep := mustRound(t, fc); rep.Sent == nil {
		t.Fatal("once writable, the copy should send its snapshot")
	}
}

// readOnly makes folders unwritable, also for root (the immutable flag),
// until the returned function is called.
func readOnly(t *testing.T, dirs ...string) func() {
	t.Helper()
	var undo []func()
	for _, d := range dirs {
		if os.Geteuid() == 0 {
			if out, err := exec.Command("chattr", "+i", d).CombinedOutput(); err != nil {
				t.Fatalf("chattr +i %s: %v %s", d, err, out)
			}
			d := d
			undo = append(undo, func() { exec.Command("chattr", "-i", d).Run() })
			continue
		}
		if err := os.Chmod(d, 0o555); err != nil {
			t.Fatal(err)
		}
		d := d
		undo = append(undo, func() { os.Chmod(d, 0o755) })
	}
	done := false
	f := func() {
		if !done {
			done = true
			for _, u := range undo {
				u()
			}
		}
	}
	t.Cleanup(f)
	return f
}

func TestBadFolder_Places(t *testing.T) {
	s := newStore(t)
	before := lookAt(t, s)
	inside := filepath.Join(s.Dir(), "shared")
	os.MkdirAll(inside, 0o755)
	if _, err := Open(s, inside, Options{Passphrase: testPass}); !errors.Is(err, ErrInsideWorkspace) {
		t.Fatalf("a team folder inside the workspace: %v", err)
	} else {
		t.Log(err)
	}
	// Inside another workspace too.
	other := newStore(t)
	inOther := filepath.Join(other.Dir(), "x", "shared")
	os.MkdirAll(inOther, 0o755)
	if _, err := Open(s, inOther, Options{Passphrase: testPass}); !errors.Is(err, ErrInsideWorkspace) {
		t.Fatalf("a team folder inside another workspace: %v", err)
	}
	// A workspace inside the team folder.
	root := t.TempDir()
	if _, err := Open(s, filepath.Dir(s.Dir()), Options{Passphrase: testPass}); !errors.Is(err, ErrWorkspaceInside) {
		t.Fatalf("the workspace inside the team folder: %v", err)
	}
	if _, _, err := NewWorkspace(filepath.Join(root, "ws"), root, Options{Passphrase: testPass}, workspace.Options{}); !errors.Is(err, ErrWorkspaceInside) {
		t.Fatalf("a new workspace inside the team folder: %v", err)
	} else {
		t.Log(err)
	}
	if d := diffDumps(before.records, lookAt(t, s).records); d != "" {
		t.Fatal(d)
	}
	for _, d := range []string{inside, root} {
		if entries, _ := os.ReadDir(d); len(entries) != 0 {
			t.Fatalf("%s: something was written: %v", d, entries)
		}
	}
}
