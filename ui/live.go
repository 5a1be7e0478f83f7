package ui

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"

	"fyne.io/fyne/v2"

	"briefboard/workspace"
)

// The window follows its workspace action by action. Each committed
// action's journal entry is applied to the window's snapshot and search
// index (Snapshot.Apply, Index.Apply), in the order of the journal, and
// only the parts of the window it touched are drawn again: an edit in a
// workspace of 10,000 cards costs one card of work, and so does a
// colleague's card arriving. Opening a workspace, switching to another, a
// gap in the entries and a very large entry (a big import) read the
// workspace whole instead, off the UI goroutine, and hand the result over
// with fyne.Do.

// onUI runs fn on the UI goroutine. Tests whose window must live on a
// goroutine of their own (typing while an import runs) replace it with a
// queue that they drain, as the driver's event loop does.
var onUI = fyne.Do

// bigEntry is the number of changed records above which an entry is not
// applied on the UI goroutine: the workspace is read whole in the
// background instead.
const bigEntry = 1000

// bigIndex is the number of cards above which the search index is built in
// the background; smaller workspaces build it at once.
const bigIndex = 1500

// follower hears a store's actions for the window. The store calls it on
// whatever goroutine made the action; the entries are handed to the UI
// goroutine in one batch per turn of the event loop.
type follower struct {
	s    *workspace.Store
	stop func()

	mu     sync.Mutex
	queued []*workspace.Entry
	posted bool

	// early holds, on the UI goroutine, the entries not applied yet: they
	// wait for a whole read in flight, or for an entry missing before
	// them.
	early []*workspace.Entry
}

// follow starts hearing a store's actions.
func (mw *MainWindow) follow(s *workspace.Store) *follower {
	f := &follower{s: s}
	f.stop = s.OnChange(func(e *workspace.Entry) {
		f.mu.Lock()
		f.queued = append(f.queued, e)
		post := !f.posted
		f.posted = true
		f.mu.Unlock()
		if post {
			onUI(func() { mw.take(f) })
		}
	})
	return f
}

// take moves the entries the store has sent into the follower's list, in
// journal order, and applies them if the follower's store is the one
// shown.
func (mw *MainWindow) take(f *follower) {
	f.mu.Lock()
	in := f.queued
	f.queued, f.posted = nil, false
	f.mu.Unlock()
	f.early = mergeEntries(f.early, in)
	if f == mw.live && !mw.applying && !mw.winClosed {
		mw.catchUp()
	}
}

// mergeEntries adds entries to a list sorted by Seq, without doubles.
func mergeEntries(list, in []*workspace.Entry) []*workspace.Entry {
	for _, e := range in {
		if e != nil {
			list = append(list, e)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Seq < list[j].Seq })
	out := list[:0]
	for _, e := range list {
		if len(out) > 0 && out[len(out)-1].Seq == e.Seq {
			continue
		}
		out = append(out, e)
	}
	return out
}

// catchUp applies the entries that follow the window's snapshot. A gap
// (an action whose entry has not come yet, or was lost) or a very large
// entry has the workspace read whole in the background instead.
func (mw *MainWindow) catchUp() {
	f := mw.live
	if f == nil || mw.snap == nil || mw.reading {
		return
	}
	mw.applying = true
	defer func() { mw.applying = false }()
	for {
		next := mw.snap.Seq + 1
		i := 0
		for i < len(f.early) && f.early[i].Seq < next {
			i++
		}
		f.early = f.early[i:]
		var run []*workspace.Entry
		size := 0
		for len(f.early) > 0 && f.early[0].Seq == next {
			size += len(f.early[0].Changes)
			run = append(run, f.early[0])
			f.early = f.early[1:]
			next++
		}
		if len(run) == 0 {
			break
		}
		if size > bigEntry {
			mw.lastEntry = run[len(run)-1]
			mw.readWhole()
			return
		}
		snap, err := mw.snap.Apply(run...)
		if err != nil {
			mw.readWhole()
			return
		}
		mw.applyRun(snap, run)
		// Entries may have come while the window drew (a nested
		// action in the test driver, say): go round again.
	}
	if len(f.early) > 0 {
		mw.readWhole()
	}
}

// applyRun shows a snapshot that entries led to, drawing again what they
// touched.
func (mw *MainWindow) applyRun(snap *workspace.Snapshot, run []*workspace.Entry) {
	old := mw.snap
	mw.snap = snap
	if mw.index != nil {
		mw.index.Apply(snap, run...)
	}
	if mw.indexing != nil {
		mw.indexing.since = append(mw.indexing.since, run...)
	}
	mw.lastEntry = run[len(run)-1]
	mw.refreshFor(old, touchedBy(run))
}

// touched is what a run of entries changed, as the window draws it.
type touched struct {
	// cards lists the cards written, and the cards whose annotations were.
	cards map[string]bool
	// structure is set when the header, a board or a lane changed; sources
	// when a source did (cards show their grades); ach when a matrix or an
	// evidence row did (its card is among cards: cards show a mark).
	structure, sources, ach bool
}

func touchedBy(run []*workspace.Entry) touched {
	t := touched{cards: map[string]bool{}}
	for _, e := range run {
		for _, c := range e.Changes {
			switch c.RecordKind {
			case workspace.RecCard:
				t.cards[c.ID] = true
			case workspace.RecAnnotation:
				// An annotation's key is ann/<card>/<id>.
				if card, ok := annotationCard(c.Key); ok {
					t.cards[card] = true
				} else {
					t.structure = true
				}
			case workspace.RecSource:
				t.sources = true
			case workspace.RecACH, workspace.RecACHRow:
				t.ach = true
				if card, ok := evidenceCard(c.Key); ok {
					t.cards[card] = true
				}
			default:
				t.structure = true
			}
		}
	}
	return t
}

// annotationCard reads the card id from an annotation's record key.
func annotationCard(key string) (string, bool) {
	const prefix = "ann/"
	if len(key) <= len(prefix) || key[:len(prefix)] != prefix {
		return "", false
	}
	rest := key[len(prefix):]
	for i := 0; i < len(rest); i++ {
		if rest[i] == '/' {
			return rest[:i], i > 0
		}
	}
	return "", false
}

// refreshFor draws again what changed between two snapshots: a change of
// the header, a board, a lane or a source redraws everything; cards
// redraw their lanes, the counts and, when it shows one of them, the
// detail pane.
func (mw *MainWindow) refreshFor(old *workspace.Snapshot, t touched) {
	snap := mw.snap
	mw.find.apply()
	if mw.selected != "" && snap.Cards[mw.selected] == nil {
		mw.selected = ""
	}
	if mw.view == viewACH && !t.structure && !t.sources {
		mw.achRefresh(old, t)
		return
	}
	if t.structure || t.sources || mw.view != viewBoard || snap.Board(mw.boardID) == nil {
		mw.settleBoard()
		mw.win.SetTitle(workspace.Printable(snap.Meta.Title) + " — Briefboard")
		mw.sidebar.countsChanged(old, t)
		mw.redraw()
		mw.revealIfPending()
		return
	}
	mw.sidebar.countsChanged(old, t)
	mw.sidebar.refreshCounts()
	if t.ach {
		mw.sidebar.matrices.update()
	}
	lanes := map[string]bool{}
	for id := range t.cards {
		if c := old.Cards[id]; c != nil {
			lanes[c.Lane] = true
		}
		if c := snap.Cards[id]; c != nil {
			lanes[c.Lane] = true
		}
	}
	mw.board.updateLanes(lanes)
	if mw.detailTouched(old, t) {
		mw.detail.bind(snap.Cards[mw.selected])
	}
	mw.menu.updateLabels()
	mw.updateStatus()
	mw.revealIfPending()
}

// detailTouched reports whether the detail pane shows something the
// entries changed: the card itself, its annotations, or a card that links
// to it.
func (mw *MainWindow) detailTouched(old *workspace.Snapshot, t touched) bool {
	if mw.selected == "" {
		return mw.detail.card != nil
	}
	if t.cards[mw.selected] || mw.detail.card == nil || mw.detail.card.ID != mw.selected {
		return true
	}
	links := func(c *workspace.Card) bool {
		if c == nil {
			return false
		}
		for _, l := range c.Links {
			if l.To == mw.selected {
				return true
			}
		}
		return false
	}
	for id := range t.cards {
		if links(old.Cards[id]) || links(mw.snap.Cards[id]) {
			return true
		}
	}
	return false
}

// settleBoard picks the first board when the board shown is gone.
func (mw *MainWindow) settleBoard() {
	snap := mw.snap
	if mw.view == viewBoard && snap.Board(mw.boardID) == nil {
		mw.boardID = ""
		if len(snap.Boards) > 0 {
			mw.boardID = snap.Boards[0].ID
		}
	}
	if mw.selected != "" && snap.Cards[mw.selected] == nil {
		mw.selected = ""
	}
}

func (mw *MainWindow) revealIfPending() {
	if mw.revealPending {
		mw.revealPending = false
		mw.revealSelected()
	}
}

// readWhole reads the shown workspace whole in the background, and the
// search index with it when one is kept; entries that come meanwhile are
// applied after it.
func (mw *MainWindow) readWhole() {
	if mw.reading || mw.live == nil {
		return
	}
	mw.reading = true
	mw.wholeReads++
	mw.readGen++
	gen, f, withIndex := mw.readGen, mw.live, mw.index != nil || mw.indexing != nil
	mw.status.busy("Reading the workspace…")
	mw.background(func() {
		snap, ix, err := readWorkspace(f.s, withIndex)
		onUI(func() {
			if mw.live != f || gen != mw.readGen {
				return
			}
			mw.reading = false
			if err != nil {
				mw.readFailed(err)
				return
			}
			mw.snap = snap
			mw.index = ix
			mw.indexing = nil
			mw.sidebar.recount()
			mw.settleBoard()
			mw.find.refreshOptions()
			mw.find.apply()
			mw.win.SetTitle(workspace.Printable(snap.Meta.Title) + " — Briefboard")
			mw.redraw()
			mw.revealIfPending()
			mw.catchUp()
		})
		paceCollector()
	})
}

// readWorkspace reads a workspace whole, and builds its search index when
// asked.
func readWorkspace(s *workspace.Store, withIndex bool) (*workspace.Snapshot, *workspace.Index, error) {
	snap, err := s.Snapshot()
	if err != nil {
		return nil, nil, err
	}
	var ix *workspace.Index
	if withIndex {
		ix = workspace.NewIndex(snap)
	}
	return snap, ix, nil
}

// paceCollector sets the collector's pace for what the window holds, once
// a workspace has been read whole and shown: a workspace of 10,000 cards
// keeps about 40 MB more alive than the demo, and at the app's usual pace
// (a heap half again as large as what is alive) that alone would take the
// window past its memory budget. The heap may grow by about heapHeadroom
// over what is alive, never by less than a fifth nor more than half of it.
// It runs in the background, after the hand-over, so the first frame does
// not wait for its collection.
func paceCollector() {
	// FreeOSMemory collects first, so the heap counted is what is alive,
	// and hands the garbage of the read back to the system.
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	debug.SetGCPercent(gcPercentFor(ms.HeapAlloc))
}

// heapHeadroom is how far the heap may grow over what is alive before the
// collector runs, once a large workspace is open.
const heapHeadroom = 24 << 20

// gcPercentFor is the collector's pace for a live heap of the given size.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return 50
	}
	return int(min(50, max(20, heapHeadroom*100/live)))
}

// readFailed reports a whole read that failed. A store closed meanwhile
// (the window switched to another workspace) is no news to the analyst.
func (mw *MainWindow) readFailed(err error) {
	mw.updateStatus()
	if errors.Is(err, workspace.ErrClosed) {
		return
	}
	mw.showError(fmt.Errorf("read the workspace: %w", err))
}

// background runs fn on a goroutine of its own; tests wait for such work
// with mw.jobs.
func (mw *MainWindow) background(fn func()) {
	mw.jobs.Add(1)
	go func() {
		defer mw.jobs.Done()
		fn()
	}()
}

// indexBuild is a search index being built in the background from one
// snapshot; since collects the entries applied meanwhile, to bring it up
// to date when it lands.
type indexBuild struct {
	snap  *workspace.Snapshot
	since []*workspace.Entry
}

// ensureIndex makes the search index: at once for a small workspace, in
// the background for a large one (Find counts "Indexing…" meanwhile).
func (mw *MainWindow) ensureIndex() {
	if mw.index != nil || mw.indexing != nil || mw.snap == nil {
		return
	}
	if len(mw.snap.Cards) <= bigIndex || mw.live == nil {
		mw.index = workspace.NewIndex(mw.snap)
		return
	}
	b := &indexBuild{snap: mw.snap}
	mw.indexing = b
	f := mw.live
	mw.background(func() {
		ix := workspace.NewIndex(b.snap)
		onUI(func() {
			if mw.indexing != b || mw.live != f {
				return
			}
			mw.indexing = nil
			if len(b.since) > 0 {
				ix.Apply(mw.snap, b.since...)
			}
			mw.index = ix
			if mw.find.active() {
				mw.find.apply()
				mw.redraw()
			}
		})
	})
}
