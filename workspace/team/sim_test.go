package team

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// The simulated sync engine: five copies of one workspace, each with its
// own copy of the team folder, and a deliverer that copies every file a
// copy writes into the others' folders in random order, late, twice,
// sometimes first as a partial temporary file or a partial file under its
// final name, sometimes with a conflicted copy beside it. After the edits
// stop and the deliveries run dry, every copy syncs twice more: all five
// must then hold the same records with the same stamps, and every write
// any copy acknowledged must be there or seen by a later one.

// simSeeds is how many seeds TestSim runs: 100, or BRIEFBOARD_TEAM_SEEDS.
func simSeeds(tb testing.TB) int {
	if v := os.Getenv("BRIEFBOARD_TEAM_SEEDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			tb.Fatalf("BRIEFBOARD_TEAM_SEEDS=%q is not a positive number", v)
		}
		return n
	}
	return 100
}

func TestSim_FiveCopiesConvergeThroughARandomEngine(t *testing.T) {
	n := simSeeds(t)
	base := time.Now().UnixNano()
	if v := os.Getenv("BRIEFBOARD_TEAM_SEED"); v != "" {
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		base, n = s, 1
	}
	t.Logf("seeds %d to %d (BRIEFBOARD_TEAM_SEED=N runs one)", base, base+int64(n)-1)
	for i := 0; i < n; i++ {
		seed := base + int64(i)
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			t.Parallel()
			runSim(t, seed)
		})
	}
}

const simCopies = 5

type simCopy struct {
	i      int
	root   string
	dir    string
	store  *workspace.Store
	folder *Folder
}

// write is one write a copy acknowledged: a field of a record, stamped
// with the copy's replica id and the action's clock.
type write struct {
	key, field, replica string
	clock               uint64
}

type delivery struct {
	to     int
	rel    string
	data   []byte
	due    int
	mode   int // 0: at once; 1: a partial temporary file first; 2: a partial file under its final name first
	stage  int
	remove bool
}

type sim struct {
	t      *testing.T
	rng    *rand.Rand
	copies []*simCopy
	step   int
	// queued[j][rel] is the checksum of what was handed to the deliverer
	// for copy j.
	queued []map[string]string
	queue  []*delivery
	mu     sync.Mutex
	ledger []write
	opts   Options
	// delivered counts files put in place, to tell when deliveries ran dry.
	delivered int
}

func runSim(t *testing.T, seed int64) {
	s := &sim{t: t, rng: rand.New(rand.NewSource(seed)), opts: Options{Passphrase: testPass, SnapshotEvery: 4}}
	for i := 0; i < simCopies; i++ {
		s.copies = append(s.copies, &simCopy{i: i, root: fastDir(t), dir: filepath.Join(fastDir(t), "ws")})
		s.queued = append(s.queued, map[string]string{})
	}
	// The first copy sets the folder up.
	c0 := s.copies[0]
	store, err := workspace.Create(c0.dir, workspacetest.Template(t, "empty"), workspace.Options{Now: workspacetest.Clock(workspacetest.Start)})
	if err != nil {
		t.Fatal(err)
	}
	s.attach(c0, store)
	if c0.folder, err = Open(store, c0.root, s.opts); err != nil {
		t.Fatal(err)
	}
	for s.step = 0; s.step < 30; s.step++ {
		for _, c := range s.copies {
			switch {
			case c.store == nil:
				if s.rng.Intn(3) == 0 {
					s.join(c)
				}
			default:
				if s.rng.Intn(2) == 0 {
					s.edit(c)
				}
				if s.rng.Intn(2) == 0 {
					s.round(c)
				}
			}
		}
		s.collect()
		s.deliver(false)
	}
	// The edits stop; the engine delivers everything, the copies sync,
	// until nothing more moves.
	quiet := false
	for pass := 0; pass < 20 && !quiet; pass++ {
		before := s.delivered
		moved := false
		for _, c := range s.copies {
			if c.store == nil {
				s.join(c)
				if c.store == nil {
					continue
				}
			}
			if rep := s.round(c); rep.Sent != nil || len(rep.Received) > 0 {
				moved = true
			}
		}
		s.collect()
		s.deliver(true)
		s.collect()
		s.deliver(true)
		quiet = !moved && s.delivered == before && s.allJoined()
	}
	if !quiet {
		t.Fatalf("seed %d: the copies still send or deliver after 20 passes", seed)
	}
	// Delivery has stopped: every copy syncs twice.
	for k := 0; k < 2; k++ {
		for _, c := range s.copies {
			rep := s.round(c)
			if rep.Sent != nil || len(rep.Received) > 0 || len(rep.Waiting) > 0 {
				t.Fatalf("seed %d: copy %d still moves after delivery stopped: sent %+v, received %d, waiting %+v",
					seed, c.i, rep.Sent, len(rep.Received), rep.Waiting)
			}
		}
	}
	want := dumpAll(t, s.copies[0].store)
	for _, c := range s.copies[1:] {
		if d := diffDumps(want, dumpAll(t, c.store)); d != "" {
			t.Fatalf("seed %d: copy %d differs from copy 0:\n%s", seed, c.i, d)
		}
	}
	s.checkLedger(seed)
}

func (s *sim) allJoined() bool {
	for _, c := range s.copies {
		if c.store == nil {
			return false
		}
	}
	return true
}

// attach notes every write of a copy's own actions in the ledger.
func (s *sim) attach(c *simCopy, store *workspace.Store) {
	c.store = store
	s.t.Cleanup(func() { store.Close() })
	if err := store.SetProfile(workspace.Profile{Name: fmt.Sprintf("Analyst %d", c.i)}); err != nil {
		s.t.Fatal(err)
	}
	store.OnChange(func(e *workspace.Entry) {
		if e.Op == workspace.EntrySync || e.Op == workspace.EntryCreate {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, ch := range e.Changes {
			for _, f := range ch.Fields {
				s.ledger = append(s.ledger, write{ch.Key, f, e.Replica, e.Clock})
			}
		}
	})
}

// join makes a copy's workspace from its folder, once a snapshot and the
// team file have arrived whole.
func (s *sim) join(c *simCopy) {
	store, f, err := NewWorkspace(c.dir, c.root, s.opts, workspace.Options{Now: workspacetest.Clock(workspacetest.Start.Add(time.Duration(c.i) * time.Hour))})
	if err != nil {
		os.RemoveAll(c.dir)
		return
	}
	s.attach(c, store)
	c.folder = f
}

func (s *sim) round(c *simCopy) *Report {
	rep, err := c.folder.Round(context.Background())
	if err != nil {
		s.t.Fatalf("step %d: copy %d: round: %v", s.step, c.i, err)
	}
	if len(rep.Damaged) > 0 || len(rep.Withheld) > 0 {
		s.t.Fatalf("step %d: copy %d: damaged %+v, withheld %+v", s.step, c.i, rep.Damaged, rep.Withheld)
	}
	return rep
}

// edit makes one random change.
func (s *sim) edit(c *simCopy) {
	snap, err := c.store.Snapshot()
	if err != nil {
		s.t.Fatal(err)
	}
	var cards []*workspace.Card
	for _, b := range snap.Boards {
		cards = append(cards, snap.BoardCards(b.ID)...)
	}
	sort.Slice(cards, func(i, j int) bool { return cards[i].ID < cards[j].ID })
	board := snap.Boards[s.rng.Intn(len(snap.Boards))]
	lanes := snap.Lanes[board.ID]
	lane := lanes[s.rng.Intn(len(lanes))]
	label := fmt.Sprintf("c%d-s%d", c.i, s.step)
	tlp := []workspace.TLP{workspace.TLPClear, workspace.TLPGreen, workspace.TLPAmber}[s.rng.Intn(3)]
	op := s.rng.Intn(10)
	if len(cards) == 0 {
		op = 0
	}
	switch op {
	case 0, 1:
		_, err = c.store.AddCard(workspace.CardDraft{Board: board.ID, Lane: lane.ID, Title: "Card " + label, Body: "Body " + label})
	case 2, 3:
		card := cards[s.rng.Intn(len(cards))]
		_, err = c.store.UpdateCard(card.ID, "Edit card", func(cd *workspace.Card) error {
			if s.rng.Intn(2) == 0 {
				cd.Title = "Title " + label
			} else {
				cd.Body = "Body " + label
			}
			return nil
		})
	case 4:
		card := cards[s.rng.Intn(len(cards))]
		err = c.store.MoveCard(card.ID, workspace.Move{Board: board.ID, Lane: lane.ID})
	case 5:
		card := cards[s.rng.Intn(len(cards))]
		err = c.store.DeleteCard(card.ID)
	case 6:
		card := cards[s.rng.Intn(len(cards))]
		_, err = c.store.AddAnnotation(card.ID, workspace.AnnComment, "Note "+label, &tlp)
	case 7:
		card := cards[s.rng.Intn(len(cards))]
		err = c.store.SetMarking("card/"+card.ID, tlp)
	case 8:
		err = c.store.UpdateBoard(board.ID, func(b *workspace.Board) error { b.Purpose = "Purpose " + label; return nil })
	case 9:
		_, err = c.store.Undo()
		if err != nil && strings.Contains(err.Error(), "nothing to undo") {
			err = nil
		}
	}
	if err != nil {
		// A card a colleague deleted meanwhile, or an undo that the
		// journal no longer allows: the action did nothing, which is fine.
		s.t.Logf("step %d: copy %d: op %d: %v", s.step, c.i, op, err)
	}
}

// collect hands the deliverer every file a copy wrote that another copy
// has not been given, and every removal.
func (s *sim) collect() {
	for _, c := range s.copies {
		if c.store == nil {
			continue
		}
		own := map[string][]byte{}
		ws := c.folder.ws
		r := c.store.Replica()
		_ = filepath.WalkDir(filepath.Join(c.root, ws), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(c.root, path)
			parts := strings.Split(rel, string(filepath.Separator))
			mine := len(parts) == 2 && parts[1] == teamPrefix+r || len(parts) == 3 && parts[1] == r
			if mine && !strings.HasPrefix(d.Name(), ".") {
				data, err := os.ReadFile(path)
				if err == nil {
					own[rel] = data
				}
			}
			return nil
		})
		for j := range s.copies {
			if j == c.i {
				continue
			}
			for rel, data := range own {
				sum := sha256.Sum256(data)
				h := hex.EncodeToString(sum[:])
				if s.queued[j][rel] == h {
					continue
				}
				s.queued[j][rel] = h
				s.queue = append(s.queue, &delivery{to: j, rel: rel, data: data, due: s.step + s.rng.Intn(6), mode: s.rng.Intn(3)})
			}
			// Files the copy removed (folded into a snapshot) go
			// everywhere else too.
			for rel := range s.queued[j] {
				parts := strings.Split(rel, string(filepath.Separator))
				if len(parts) == 3 && parts[1] == r && own[rel] == nil {
					delete(s.queued[j], rel)
					kept := s.queue[:0]
					for _, d := range s.queue {
						if !(d.to == j && d.rel == rel) {
							kept = append(kept, d)
						}
					}
					s.queue = kept
					s.queue = append(s.queue, &delivery{to: j, rel: rel, due: s.step + s.rng.Intn(6), remove: true})
				}
			}
		}
	}
}

// deliver carries out the deliveries that are due (all of them, whole,
// when flush is set), in random order.
func (s *sim) deliver(flush bool) {
	s.rng.Shuffle(len(s.queue), func(i, j int) { s.queue[i], s.queue[j] = s.queue[j], s.queue[i] })
	var later []*delivery
	for _, d := range s.queue {
		if !flush && d.due > s.step {
			later = append(later, d)
			continue
		}
		dst := filepath.Join(s.copies[d.to].root, d.rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			s.t.Fatal(err)
		}
		if d.remove {
			os.Remove(dst)
			s.delivered++
			continue
		}
		if d.mode != 0 && d.stage == 0 && !flush {
			cut := s.rng.Intn(len(d.data))
			target := dst
			if d.mode == 1 {
				target = filepath.Join(filepath.Dir(dst), ".syncthing."+filepath.Base(dst)+".tmp")
			}
			mustWrite(s.t, target, d.data[:cut])
			d.stage, d.due = 1, s.step+1+s.rng.Intn(3)
			later = append(later, d)
			continue
		}
		if d.mode == 1 {
			os.Remove(filepath.Join(filepath.Dir(dst), ".syncthing."+filepath.Base(dst)+".tmp"))
		}
		tmp := filepath.Join(filepath.Dir(dst), ".syncthing."+filepath.Base(dst)+".tmp")
		mustWrite(s.t, tmp, d.data)
		if err := os.Rename(tmp, dst); err != nil {
			s.t.Fatal(err)
		}
		s.delivered++
		if flush {
			continue
		}
		switch s.rng.Intn(10) {
		case 0: // delivered again later
			later = append(later, &delivery{to: d.to, rel: d.rel, data: d.data, due: s.step + 1 + s.rng.Intn(4)})
		case 1: // a conflicted copy beside it, of the same bytes or of others
			stem, ext := strings.TrimSuffix(dst, filepath.Ext(dst)), filepath.Ext(dst)
			junk := d.data
			if s.rng.Intn(2) == 0 {
				junk = bytes.Repeat([]byte{byte(s.rng.Intn(256))}, 1+s.rng.Intn(500))
			}
			mustWrite(s.t, stem+" (conflicted copy 2025-12-28)"+ext, junk)
			mustWrite(s.t, stem+".sync-conflict-20251228-090000-ABCDEFG"+ext, junk)
		case 2: // what editors and other engines leave
			dir := filepath.Dir(dst)
			mustWrite(s.t, filepath.Join(dir, "~$"+filepath.Base(dst)), []byte("lock"))
			mustWrite(s.t, filepath.Join(dir, ".~lock."+filepath.Base(dst)+"#"), []byte("lock"))
			mustWrite(s.t, dst+"~", d.data)
			mustWrite(s.t, dst+".part", d.data[:len(d.data)/2])
		}
	}
	s.queue = later
}

func mustWrite(tb testing.TB, path string, data []byte) {
	tb.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// checkLedger checks that no acknowledged write is lost: each is among a
// field's writes as merged, or a write that stands there had seen it.
func (s *sim) checkLedger(seed int64) {
	var buf bytes.Buffer
	if _, err := s.copies[0].store.Share(&buf, workspace.ShareOptions{}); err != nil {
		s.t.Fatal(err)
	}
	sf, err := workspace.ReadShare(&buf, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	stamps := map[string]*workspace.Stamps{}
	for _, r := range sf.Records {
		stamps[r.Key] = r.Stamps
	}
	lost := 0
	for _, w := range s.ledger {
		st := stamps[w.key]
		if st == nil {
			s.t.Errorf("seed %d: record %s of an acknowledged write is gone", seed, w.key)
			lost++
			continue
		}
		shown := st.Of(w.field)
		ok := false
		for _, x := range append([]workspace.Stamp{shown}, siblings(shown)...) {
			if x.Replica == w.replica && x.Clock >= w.clock || x.Seen[w.replica] >= w.clock {
				ok = true
				break
			}
		}
		if !ok {
			s.t.Errorf("seed %d: write of %s.%s by %s at %d is lost: %+v", seed, w.key, w.field, w.replica, w.clock, shown)
			lost++
		}
		if lost > 5 {
			s.t.FailNow()
		}
	}
	if len(s.ledger) < 20 {
		s.t.Fatalf("seed %d: only %d writes were made: the simulation tests too little", seed, len(s.ledger))
	}
}

func siblings(s workspace.Stamp) []workspace.Stamp {
	var out []workspace.Stamp
	for _, a := range s.Alt {
		out = append(out, a.Stamp)
	}
	return out
}

// dumpAll is dump without a cap.
func dumpAll(tb testing.TB, s *workspace.Store) map[string]string {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := s.Share(&buf, workspace.ShareOptions{}); err != nil {
		tb.Fatal(err)
	}
	sf, err := workspace.ReadShare(&buf, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return recordsOf(sf)
}
