package ui

import (
	"bytes"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// cpuClock reads the CPU time the process has used: on a machine shared
// with other work, the CPU an operation costs says more than the wall
// clock. Each benchmark reports it as cpu-ms/op beside ns/op.
func cpuClock() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureCPU runs the benchmark's loop and reports its CPU time per op.
func measureCPU(b *testing.B, loop func(b *testing.B)) {
	b.Helper()
	start := cpuClock()
	loop(b)
	b.ReportMetric(float64(cpuClock()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// bigWindow opens the window, in the test driver, on the generated
// benchmark workspace (10,000 cards of about 80 words with annotations
// and quoted citations), read whole.
func bigWindow(b *testing.B) (*MainWindow, *workspace.Store, string) {
	b.Helper()
	b.Setenv("XDG_DATA_HOME", b.TempDir())
	s, dir := workspacetest.Big(b, workspacetest.BigCards)
	a := test.NewTempApp(b)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	mw := NewMainWindow(a, s)
	settle(mw)
	mw.win.Resize(fyne.NewSize(1280, 800))
	b.Cleanup(func() {
		settle(mw)
		mw.win.Close()
	})
	return mw, s, dir
}

// firstShown is the first card of the board's first lane.
func firstShown(mw *MainWindow) string {
	return mw.snap.LaneCards[mw.snap.Lanes[mw.boardID][0].ID][0].ID
}

// BenchmarkWindow_Big10000 measures the window's whole-workspace paths on
// the benchmark workspace: reading it whole in the background and
// showing it (as after a large import), and building the window on it
// (the first frame, less the painting).
func BenchmarkWindow_Big10000(b *testing.B) {
	mw, s, _ := bigWindow(b)
	b.Run("Reload", func(b *testing.B) {
		measureCPU(b, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				mw.reload()
				settle(mw)
			}
		})
	})
	b.Run("Open", func(b *testing.B) {
		measureCPU(b, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				mw := NewMainWindow(mw.app, s)
				settle(mw)
				mw.win.Resize(fyne.NewSize(1280, 800))
				b.StopTimer()
				// The store stays open: it is the other window's too.
				mw.live.stop()
				mw.live = nil
				mw.store = nil
				mw.win.Close()
				b.StartTimer()
			}
		})
	})
}

// BenchmarkWindow_EditAt10000 is one edit in a workspace of 10,000 cards,
// from the store to the redrawn window: the action, its journal entry
// applied to the window's snapshot (and search index), the lane, the
// counts and the detail pane drawn again. With Find closed, with Find
// open on a query, and with the card edited selected in the detail pane.
func BenchmarkWindow_EditAt10000(b *testing.B) {
	mw, s, _ := bigWindow(b)
	card := firstShown(mw)
	edit := func(b *testing.B) {
		measureCPU(b, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_, err := s.UpdateCard(card, "Edit card", func(c *workspace.Card) error {
					c.Title = fmt.Sprintf("Edited title %d", i)
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		if mw.snap.Cards[card].Title != fmt.Sprintf("Edited title %d", b.N-1) || mw.reading {
			b.Fatalf("the window shows %q", mw.snap.Cards[card].Title)
		}
	}
	b.Run("FindClosed", edit)
	mw.selectCard(card)
	b.Run("Selected", edit)
	mw.selectCard("")
	mw.find.open(false)
	mw.find.entry.SetText("sanctions relief")
	settle(mw)
	if mw.index == nil || len(mw.find.matches) == 0 {
		b.Fatalf("find shows no matches for %q", mw.find.entry.Text)
	}
	b.Run("FindOpen", edit)
}

// BenchmarkWindow_Search10000 is a query typed into Find on a workspace of
// 10,000 cards: the search, and the board, lanes and counts drawn again
// with the matches. Each op alternates two queries, so each runs a search.
func BenchmarkWindow_Search10000(b *testing.B) {
	mw, _, _ := bigWindow(b)
	mw.find.open(false)
	mw.find.entry.SetText("x")
	settle(mw)
	for _, q := range []struct{ name, text string }{
		{"grain_treaty", "grain treaty"}, {"kyiv", "kyiv"}, {"Київ_guarantee", "Київ guarantee"},
		{"sanctions_relief", "sanctions relief"}, {"no_match", "nothing matches this"},
	} {
		b.Run("Window/"+q.name, func(b *testing.B) {
			measureCPU(b, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					mw.find.entry.SetText(q.text)
					mw.find.entry.SetText("")
				}
			})
		})
		b.Run("Index/"+q.name, func(b *testing.B) {
			n := 0
			measureCPU(b, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					n = len(mw.index.Search(workspace.Query{Text: q.text}))
				}
			})
			b.ReportMetric(float64(n), "matches")
		})
	}
}

// BenchmarkWindow_Merge10At10000 is a colleague's ten changed cards merged
// into a window open on 10,000 cards: the import of a file that holds the
// ten cards whole (as a team-folder segment will), its journal entry
// applied to the window, and the lanes redrawn. Each op merges ten other
// edits.
func BenchmarkWindow_Merge10At10000(b *testing.B) {
	mw, s, dir := bigWindow(b)
	var plain bytes.Buffer
	if _, err := s.Share(&plain, workspace.ShareOptions{}); err != nil {
		b.Fatal(err)
	}
	sf, err := workspace.ReadShare(bytes.NewReader(plain.Bytes()), nil)
	if err != nil {
		b.Fatal(err)
	}
	other, _, err := workspace.CreateFromShare(filepath.Join(filepath.Dir(dir), "colleague"), sf,
		workspace.Options{Now: workspacetest.Clock(workspacetest.Start.Add(time.Hour))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { other.Close() })
	// Ten cards of the board shown, spread over its lanes.
	var ten []string
	for _, l := range mw.snap.Lanes[mw.boardID] {
		for _, c := range mw.snap.LaneCards[l.ID] {
			if len(ten) < 10 && len(ten) < 2*(1+indexOfLane(mw, l.ID)) {
				ten = append(ten, c.ID)
			}
		}
	}
	round := 0
	segment := func(b *testing.B) *workspace.ShareFile {
		b.Helper()
		round++
		for _, id := range ten {
			_, err := other.UpdateCard(id, "Edit card", func(c *workspace.Card) error {
				c.Body = fmt.Sprintf("Revised in round %d: %s", round, c.Body)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if _, err := other.Share(&buf, workspace.ShareOptions{}); err != nil {
			b.Fatal(err)
		}
		all, err := workspace.ReadShare(bytes.NewReader(buf.Bytes()), nil)
		if err != nil {
			b.Fatal(err)
		}
		return onlyCards(all, ten)
	}
	// The CPU time counts the merges only, not the making of the files.
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		seg := segment(b)
		b.StartTimer()
		start := cpuClock()
		res, err := s.Import(seg)
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuClock() - start
		if len(res.Updated) != len(ten) {
			b.Fatalf("the merge updated %d cards, want %d", len(res.Updated), len(ten))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
	if mw.reading || mw.snap.Seq != lastSeq(b, s) {
		b.Fatal("the window did not follow the merges card by card")
	}
}

func indexOfLane(mw *MainWindow, id string) int {
	for i, l := range mw.snap.Lanes[mw.boardID] {
		if l.ID == id {
			return i
		}
	}
	return -1
}

// onlyCards keeps of a share file the header, boards, lanes and the cards
// named: what a file of a colleague's changes to those cards holds.
func onlyCards(sf *workspace.ShareFile, ids []string) *workspace.ShareFile {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := &workspace.ShareFile{Manifest: sf.Manifest}
	for _, r := range sf.Records {
		switch r.RecordKind {
		case workspace.RecMeta, workspace.RecBoard, workspace.RecLane:
			out.Records = append(out.Records, r)
		case workspace.RecCard:
			if want[r.Record.RecordBase().ID] {
				out.Records = append(out.Records, r)
			}
		}
	}
	return out
}

// lastSeq is the store's newest journal entry.
func lastSeq(tb testing.TB, s *workspace.Store) uint64 {
	tb.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		tb.Fatal(err)
	}
	return snap.Seq
}
