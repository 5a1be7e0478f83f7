package team

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// Benchmarks of a team of ten copies of a 10,000-card workspace. Run them
// one iteration at a time: the setup (ten workspaces, a hundred segments
// per iteration) takes far longer than what is measured.
//
//	go test ./workspace/team -run X -bench . -benchtime 1x

const (
	benchCopies   = 10
	benchCards    = 10000
	benchSegments = 100
	benchChanged  = 20
)

type benchFixture struct {
	base   string
	ws     string
	roots  []string // each copy's own view of the folder; roots[0] is the one copy 0 reads
	dirs   []string
	stores []*workspace.Store
	folder []*Folder
	cards  []string
	rng    *rand.Rand
}

var (
	fixtureOnce sync.Once
	fixture     *benchFixture
	fixtureErr  error
)

// teamFixture builds, once per run, ten copies joined to a folder: copy 0
// made the workspace and the folder's snapshot, the others joined from it.
// Each copy has a folder of its own, so what they send reaches copy 0 only
// when a benchmark hands it over.
func teamFixture(b *testing.B) *benchFixture {
	b.Helper()
	fixtureOnce.Do(func() { fixture, fixtureErr = buildFixture(b) })
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixture
}

func buildFixture(b *testing.B) (*benchFixture, error) {
	base, err := os.MkdirTemp("", "briefboard-team-bench-")
	if err != nil {
		return nil, err
	}
	// Not b.Cleanup: the fixture outlives the benchmark that built it.
	fx := &benchFixture{base: base, rng: rand.New(rand.NewSource(1))}
	a, err := workspace.Create(filepath.Join(base, "ws0"), workspacetest.Template(b, "empty"), workspace.Options{})
	if err != nil {
		return nil, err
	}
	snap, err := a.Snapshot()
	if err != nil {
		return nil, err
	}
	body := strings.Repeat("An assessment of the provision and what each party said of it. ", 4)
	for done := 0; done < benchCards; done += 1000 {
		_, err := a.Do("Add cards", func(tx *workspace.Tx) error {
			for i := done; i < done+1000; i++ {
				board := snap.Boards[i%len(snap.Boards)]
				lane := snap.Lanes[board.ID][i%5]
				c, err := tx.AddCard(workspace.CardDraft{Board: board.ID, Lane: lane.ID, Title: fmt.Sprintf("Provision %d", i), Body: body})
				if err != nil {
					return err
				}
				fx.cards = append(fx.cards, c.ID)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	m, _ := a.Header()
	fx.ws = m.ID
	// The team file at the real scrypt cost: the RSS benchmark opens it.
	teamWorkFactor = defaultWorkFactor
	defer func() { teamWorkFactor = 10 }()
	root0 := filepath.Join(base, "shared0")
	os.Mkdir(root0, 0o755)
	f0, err := Open(a, root0, Options{Passphrase: testPass})
	if err != nil {
		return nil, err
	}
	if _, err := f0.Round(context.Background()); err != nil {
		return nil, err
	}
	fx.roots, fx.dirs = []string{root0}, []string{a.Dir()}
	fx.stores, fx.folder = []*workspace.Store{a}, []*Folder{f0}
	for i := 1; i < benchCopies; i++ {
		root := filepath.Join(base, fmt.Sprintf("shared%d", i))
		if err := exec.Command("cp", "-a", root0, root).Run(); err != nil {
			return nil, err
		}
		dir := filepath.Join(base, fmt.Sprintf("ws%d", i))
		s, f, err := NewWorkspace(dir, root, Options{Passphrase: testPass}, workspace.Options{})
		if err != nil {
			return nil, err
		}
		fx.roots, fx.dirs = append(fx.roots, root), append(fx.dirs, dir)
		fx.stores, fx.folder = append(fx.stores, s), append(fx.folder, f)
	}
	return fx, nil
}

// closeFixture removes what the benchmarks built.
func closeFixture() {
	if fixture == nil {
		return
	}
	for _, s := range fixture.stores {
		s.Close()
	}
	os.RemoveAll(fixture.base)
}

// send has copies 1 to 9 write a hundred segments of twenty changed cards
// each between them, and hands them to copy 0's folder.
func (fx *benchFixture) send(b *testing.B, round int) {
	b.Helper()
	for k := 0; k < benchSegments; k++ {
		i := 1 + k%(benchCopies-1)
		s := fx.stores[i]
		_, err := s.Do("Edit cards", func(tx *workspace.Tx) error {
			for j := 0; j < benchChanged; j++ {
				id := fx.cards[fx.rng.Intn(len(fx.cards))]
				if _, err := tx.UpdateCard(id, func(c *workspace.Card) error {
					c.Body = fmt.Sprintf("Edited by copy %d in round %d, segment %d.", i, round, k)
					return nil
				}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := fx.folder[i].Round(context.Background())
		if err != nil || rep.Sent == nil {
			b.Fatalf("copy %d: %v, sent %+v", i, err, rep.Sent)
		}
	}
	for i := 1; i < benchCopies; i++ {
		r := fx.stores[i].Replica()
		src := filepath.Join(fx.roots[i], fx.ws, r)
		if err := exec.Command("cp", "-a", src, filepath.Join(fx.roots[0], fx.ws)).Run(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRound_Merge100SegmentsOf20Cards_10000Cards(b *testing.B) {
	fx := teamFixture(b)
	var cpu time.Duration
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		fx.send(b, n)
		c0 := cpuTime()
		b.StartTimer()
		rep, err := fx.folder[0].Round(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - c0
		files := 0
		for _, r := range rep.Received {
			files += len(r.Files)
		}
		if files != benchSegments || len(rep.Waiting)+len(rep.Damaged) > 0 {
			b.Fatalf("merged %d segments, want %d; waiting %v, damaged %v", files, benchSegments, rep.Waiting, rep.Damaged)
		}
		b.StartTimer()
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

func BenchmarkJoin_FromSnapshot_10000Cards(b *testing.B) {
	fx := teamFixture(b)
	// What follows the snapshot: a hundred segments.
	fx.send(b, -1)
	var cpu time.Duration
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		c0 := cpuTime()
		dir := filepath.Join(b.TempDir(), "ws")
		s, f, err := NewWorkspace(dir, fx.roots[0], Options{Passphrase: testPass}, workspace.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Round(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - c0
		snap, err := s.Snapshot()
		if err != nil || len(snap.Cards) != benchCards {
			b.Fatalf("the new copy has %d cards (%v)", len(snap.Cards), err)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the processor time the process has used, all threads: a
// figure the other work on a shared machine does not inflate as it does
// the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var maxRSS = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)

// BenchmarkSync_PeakRSS runs the briefboard binary under /usr/bin/time -v:
// a sync of copy 0 that merges a hundred segments, and a new colleague's
// sync that makes a workspace from the folder. It reports their peak
// resident sizes.
func BenchmarkSync_PeakRSS(b *testing.B) {
	fx := teamFixture(b)
	bin := filepath.Join(b.TempDir(), "briefboard")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/briefboard").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	pass := filepath.Join(b.TempDir(), "pass")
	os.WriteFile(pass, append(testPass, '\n'), 0o600)
	measure := func(args ...string) float64 {
		cmd := exec.Command("/usr/bin/time", append([]string{"-v", bin}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		m := maxRSS.FindSubmatch(out)
		if m == nil {
			b.Fatalf("no peak RSS in:\n%s", out)
		}
		kb, _ := strconv.Atoi(string(m[1]))
		return float64(kb) / 1024
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		fx.send(b, 1000+n)
		// The copy's own workspace is closed while the binary works on it.
		fx.stores[0].Close()
		b.StartTimer()
		round := measure("sync", "--workspace", fx.dirs[0], "--folder", fx.roots[0], "--passphrase-file", pass)
		join := measure("sync", "--workspace", filepath.Join(b.TempDir(), "new"), "--folder", fx.roots[0], "--passphrase-file", pass)
		b.StopTimer()
		s, err := workspace.Open(fx.dirs[0], workspace.Options{})
		if err != nil {
			b.Fatal(err)
		}
		f, err := Open(s, fx.roots[0], Options{Passphrase: testPass})
		if err != nil {
			b.Fatal(err)
		}
		fx.stores[0], fx.folder[0] = s, f
		b.ReportMetric(round, "MB-RSS-round")
		b.ReportMetric(join, "MB-RSS-join")
		b.StartTimer()
	}
}

// BenchmarkWatch_EditReachesTheFolder measures how long an analyst's edit
// takes to reach the folder as a segment under Watch with its default
// settling time, on the 10,000-card workspace.
func BenchmarkWatch_EditReachesTheFolder(b *testing.B) {
	fx := teamFixture(b)
	s, f := fx.stores[1], fx.folder[1]
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Watch(ctx, f, WatchOptions{Poll: time.Hour}, func(rep *Report, err error) {
			if err != nil {
				b.Error(err)
			}
		})
	}()
	defer func() { cancel(); <-done }()
	time.Sleep(200 * time.Millisecond)
	own := filepath.Join(fx.roots[1], fx.ws, s.Replica())
	var total time.Duration
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		ls, _ := listLinks(own)
		next := ls.max() + 1
		start := time.Now()
		if _, err := s.UpdateCard(fx.cards[n], "Edit", func(c *workspace.Card) error {
			c.Title = fmt.Sprintf("Edited at %d", time.Now().UnixNano())
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(own, segName(next, false))); err == nil {
				break
			}
			if time.Since(start) > time.Minute {
				b.Fatal("the edit did not reach the folder within a minute")
			}
			time.Sleep(10 * time.Millisecond)
		}
		total += time.Since(start)
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s-to-folder")
}
