package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
	"briefboard/workspace/team"
)

const teamPass = "a team passphrase for the desk"

// teamStore makes a demo workspace on the real clock (a team folder's
// copies compare clocks) with the analyst's name.
func teamStore(t *testing.T, name string) *workspace.Store {
	t.Helper()
	s := shareStore(t, "ws")
	if err := s.SetProfile(workspace.Profile{Name: name}); err != nil {
		t.Fatal(err)
	}
	return s
}

// teamWindow opens the window on a store with the test's goroutine as its
// UI goroutine; the sync is stopped (and its round in flight waited for)
// before the test's folders go.
func teamWindow(t *testing.T, s *workspace.Store) (*uiLoop, *MainWindow) {
	t.Helper()
	l := newUILoop(t)
	mw := l.openOn(t, s)
	t.Cleanup(mw.stopTeam)
	return l, mw
}

// openTeamDialog opens Workspace › Team folder… on a folder (while the
// workspace syncs, through the details the entry shows then).
func openTeamDialog(t *testing.T, mw *MainWindow, root string) *teamDialog {
	t.Helper()
	mw.team.dialog, mw.team.change = nil, nil
	menuItem(t, mw, "Team folder…").Action()
	if mw.team.sync != nil {
		if mw.team.change == nil {
			t.Fatal("Team folder… showed no details while syncing")
		}
		test.Tap(mw.team.change)
	}
	d := mw.team.dialog
	if d == nil {
		t.Fatal("Team folder… showed no dialog")
	}
	d.path.SetText(root)
	return d
}

// submitTeam taps the dialog's button and runs the window until the join
// ends.
func submitTeam(t *testing.T, l *uiLoop, d *teamDialog) error {
	t.Helper()
	var got error
	ended := false
	d.done = func(err error) { got, ended = err, true }
	test.Tap(d.joinBtn)
	l.until(t, "the join to end", func() bool { return ended })
	return got
}

// segments lists a copy's segment and snapshot files in the team folder.
func segments(t *testing.T, root, ws, replica string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, ws, replica))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".seg") || strings.HasSuffix(e.Name(), ".snap") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestTeam_SetUpFromTheWindowThenAColleaguesCardArrives(t *testing.T) {
	s := teamStore(t, "Olena Window")
	seedCards(t, s, 240)
	l, mw := teamWindow(t, s)
	ws := mw.snap.Meta.ID
	root := t.TempDir()

	d := openTeamDialog(t, mw, root)
	if d.joining() || d.joinBtn.Text != "Set up and sync" || d.tlp.Selected != workspace.TLPAmber.String() || !d.encrypt.Checked {
		t.Fatalf("a new folder offers %q, cap %q, encryption %v; want to set it up at AMBER, encrypted",
			d.joinBtn.Text, d.tlp.Selected, d.encrypt.Checked)
	}
	test.Type(d.pass, teamPass)
	test.Type(d.confirm, teamPass)
	if err := submitTeam(t, l, d); err != nil {
		t.Fatalf("set up: %v (dialog says %q)", err, d.problem.Text)
	}
	l.until(t, "the first round", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	if got := settingsOf(mw.app).String(prefTeamFolder + ws); got != root {
		t.Errorf("the workspace remembers the team folder %q, want %q", got, root)
	}
	if segs := segments(t, root, ws, s.Replica()); len(segs) != 1 || segs[0] != "00000001.snap" {
		t.Fatalf("the window's copy wrote %v to the folder, want its first snapshot", segs)
	}
	if got := mw.team.status.Text(); !strings.Contains(got, "no colleague yet") {
		t.Errorf("the status bar says %q before any colleague joined", got)
	}

	// A colleague makes a copy from the folder and adds a card at the top
	// of the first lane, above the card under the analyst's pointer.
	cs, cf, err := team.NewWorkspace(filepath.Join(t.TempDir(), "colleague"), root,
		team.Options{Passphrase: []byte(teamPass)}, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	if err := cs.SetProfile(workspace.Profile{Name: "Colleague Two"}); err != nil {
		t.Fatal(err)
	}
	lv := mw.board.lanes[0]
	lv.list.ScrollToOffset(20 * rowPitch())
	under := lv.visibleViews()[2]
	id := under.CardID()
	under.MouseIn(&desktop.MouseEvent{})
	drv := fyne.CurrentApp().Driver()
	y := drv.AbsolutePositionForObject(under).Y
	reads := mw.wholeReads
	top := lv.cards[0].ID
	var added *workspace.Card
	_, err = cs.Do("Add card", func(tx *workspace.Tx) error {
		c, err := tx.AddCard(workspace.CardDraft{Board: mw.boardID, Lane: lv.lane.ID, Title: "From the colleague: the convoy left at dawn"})
		if err != nil {
			return err
		}
		added = c
		return tx.MoveCard(c.ID, workspace.Move{Board: mw.boardID, Lane: lv.lane.ID, Before: top})
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := cf.Round(context.Background())
	if err != nil || rep.Sent == nil {
		t.Fatalf("the colleague's round sent %v: %v", rep.Sent, err)
	}
	sent := time.Now()

	// Without anything done in the window, the card arrives on the board
	// and the status bar names the colleague.
	l.until(t, "the colleague's card on the board", func() bool { return laneShows(lv, added.ID) })
	arrived := time.Since(sent)
	l.until(t, "the status bar to name the colleague", func() bool {
		return strings.Contains(mw.team.status.Text(), "last change")
	})
	t.Logf("a colleague's segment reached the board %v after it was written", arrived.Round(time.Millisecond))
	got := mw.team.status.Text()
	if !strings.Contains(got, "1 colleague (Colleague Two)") || !strings.Contains(got, "from Colleague Two") {
		t.Errorf("the status bar says %q", got)
	}
	if len(mw.status.extra.Objects) == 0 || !mw.status.extra.Visible() {
		t.Error("the team's line is not in the status bar")
	}
	if mw.wholeReads != reads {
		t.Errorf("the arrival read the workspace whole %d times; it should come as a journal entry", mw.wholeReads-reads)
	}
	if lv.cards[0].ID != added.ID {
		t.Errorf("the colleague's card is not at the top of the lane")
	}
	for _, v := range lv.visibleViews() {
		if v.CardID() == id {
			if got := drv.AbsolutePositionForObject(v).Y; got != y {
				t.Errorf("the card under the pointer moved from y=%v to y=%v", y, got)
			}
			return
		}
	}
	t.Error("the card under the pointer is no longer shown")
}

func TestTeam_TheWindowsEditReachesTheFolderByItself(t *testing.T) {
	old := editPause
	editPause = 1200 * time.Millisecond // as in the application
	t.Cleanup(func() { editPause = old })
	s := teamStore(t, "Olena Window")
	l, mw := teamWindow(t, s)
	ws := mw.snap.Meta.ID
	root := t.TempDir()
	d := openTeamDialog(t, mw, root)
	d.encrypt.SetChecked(false)
	if err := submitTeam(t, l, d); err != nil {
		t.Fatalf("set up: %v (dialog says %q)", err, d.problem.Text)
	}
	l.until(t, "the first round", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	before := len(segments(t, root, ws, s.Replica()))

	// The analyst types a card's new title and stops.
	c := firstShown(mw)
	mw.selectCard(c)
	mw.win.Canvas().Focus(mw.detail.title)
	mw.detail.title.SetText("")
	const title = "Convoy reached the crossing at noon"
	test.Type(mw.detail.title, title)
	stopped := time.Now()
	l.until(t, "a segment with the edit", func() bool { return len(segments(t, root, ws, s.Replica())) > before })
	took := time.Since(stopped)
	t.Logf("the window's edit reached the team folder %v after the last key (typing pause %v, team settle %v)",
		took.Round(time.Millisecond), editPause, teamSettle)
	if took > 5*time.Second {
		t.Errorf("the edit took %v to reach the folder, over the 5 s it may", took)
	}
	if mw.win.Canvas().Focused() != mw.detail.title {
		t.Error("sending the edit took the cursor away")
	}

	// The segment carries it: a colleague's copy made from the folder has
	// the new title.
	cs, _, err := team.NewWorkspace(filepath.Join(t.TempDir(), "colleague"), root, team.Options{NoEncryption: true}, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	cf, err := team.Join(cs, root, team.Options{NoEncryption: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cf.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := snapOf(t, cs).Cards[c].Title; got != title {
		t.Fatalf("the colleague's copy has the title %q, want %q", got, title)
	}
}

func TestTeam_WrongPassphraseIsOneClearErrorAndChangesNothing(t *testing.T) {
	// A colleague set the folder up; the analyst's copy of the workspace
	// came by a share file and has never joined it.
	a := teamStore(t, "Colleague One")
	root := t.TempDir()
	fa, err := team.Create(a, root, team.Options{Passphrase: []byte(teamPass)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fa.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := colleagueCopy(t, a)
	l, mw := teamWindow(t, b)
	ws := mw.snap.Meta.ID
	entries := journalLen(t, b)

	d := openTeamDialog(t, mw, root)
	if !d.joining() || d.joinBtn.Text != "Join" || d.confirm.Visible() || !d.pass.Visible() {
		t.Fatalf("a folder set up for the workspace offers %q (confirm shown %v)", d.joinBtn.Text, d.confirm.Visible())
	}
	test.Type(d.pass, "not the passphrase")
	err = submitTeam(t, l, d)
	if !errors.Is(err, team.ErrWrongPassphrase) {
		t.Fatalf("a wrong passphrase gave %v", err)
	}
	if want := "That passphrase does not open the team folder. Nothing was changed; try again."; d.problem.Text != want {
		t.Errorf("the dialog says %q, want %q", d.problem.Text, want)
	}
	if n := len(mw.win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d overlays on show; want the dialog alone, with its one message", n)
	}
	var st map[string]any
	if ok, err := b.LocalState("team", &st); err != nil || ok {
		t.Errorf("the workspace keeps team state after a refused join (%v, %v)", ok, err)
	}
	if journalLen(t, b) != entries {
		t.Error("a refused join left a journal entry")
	}
	if mw.team.sync != nil || settingsOf(mw.app).String(prefTeamFolder+ws) != "" || mw.status.extra.Visible() {
		t.Error("a refused join syncs, is remembered or shows in the status bar")
	}
	if segs := segments(t, root, ws, b.Replica()); len(segs) != 0 {
		t.Errorf("a refused join wrote %v", segs)
	}

	// The right passphrase joins, and the copy syncs.
	d.pass.SetText("")
	test.Type(d.pass, teamPass)
	if err := submitTeam(t, l, d); err != nil {
		t.Fatalf("the right passphrase: %v", err)
	}
	l.until(t, "the first round", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	if got := mw.team.status.Text(); !strings.Contains(got, "1 colleague (Colleague One)") {
		t.Errorf("the status bar says %q", got)
	}
	if mw.teamPassphrase(root, ws) == nil {
		t.Error("the passphrase is not kept for the session")
	}
}

func TestTeam_StatusLineNamesWhatIsWithheldWaitingAndDamaged(t *testing.T) {
	mw := &MainWindow{}
	at := time.Date(2026, 12, 2, 9, 30, 0, 0, time.Local)
	mw.team.sync = &teamSync{last: &team.Report{
		Cap: workspace.TLPAmber,
		At:  at,
		Withheld: []workspace.Withheld{
			{RecordKind: workspace.RecCard, Title: "Source in the ministry", TLP: workspace.TLPRed},
			{RecordKind: workspace.RecCard, Title: "Talks venue", Conflict: true},
			{RecordKind: workspace.RecCard, Title: "Third one"},
		},
		Waiting:    []team.Problem{{File: "r2/00000003.seg", Reason: "still arriving"}},
		Damaged:    []team.Problem{{File: "r3/00000007.seg", Reason: "bad tag"}},
		Colleagues: []team.Colleague{{Name: "Ana"}, {Name: "Ben"}, {Name: ""}},
	}}
	got, warn := mw.teamLine()
	for _, want := range []string{
		"3 colleagues (Ana, Ben)",
		"synced " + at.Format("15:04"),
		"Team: 3 withheld (2 above the TLP:AMBER cap, 1 held by a marking conflict): “Source in the ministry”, “Talks venue” and 1 more",
		"1 file waiting (r2/00000003.seg)",
		"1 file damaged (r3/00000007.seg)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the status line %q does not say %q", got, want)
		}
	}
	if !warn {
		t.Error("the status line does not ask for attention")
	}
	// Positive control: a clean round says none of it.
	mw.team.sync.last = &team.Report{Cap: workspace.TLPAmber, At: at}
	got, warn = mw.teamLine()
	if warn || strings.Contains(got, "withheld") || strings.Contains(got, "waiting") || got != fmt.Sprintf("Team: no colleague yet · synced %s", at.Format("15:04")) {
		t.Errorf("a clean round says %q (attention %v)", got, warn)
	}
}

func TestTeam_ReopenedWorkspaceSyncsAgainAskingThePassphraseOncePerSession(t *testing.T) {
	s := teamStore(t, "Olena Window")
	dir := s.Dir()
	l, mw := teamWindow(t, s)
	ws := mw.snap.Meta.ID
	root := t.TempDir()
	d := openTeamDialog(t, mw, root)
	test.Type(d.pass, teamPass)
	test.Type(d.confirm, teamPass)
	if err := submitTeam(t, l, d); err != nil {
		t.Fatalf("set up: %v", err)
	}
	l.until(t, "the first round", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	first := mw.team.sync

	// Another workspace shown: the sync stops, its line goes.
	other := teamStore(t, "Olena Window")
	switchTo := func(open func(), want func() bool) {
		t.Helper()
		open()
		l.until(t, "the workspace to be shown", want)
	}
	switchTo(func() { mw.adopt(other) }, func() bool { return mw.store == other })
	l.until(t, "the sync to stop", func() bool {
		select {
		case <-first.done:
			return true
		default:
			return false
		}
	})
	if mw.team.sync != nil || mw.status.extra.Visible() {
		t.Fatal("the workspace without a team folder shows a sync")
	}

	// Opened again in the same session, it syncs without asking.
	shown := func() bool { return mw.store != nil && sameDir(mw.store.Dir(), dir) }
	switchTo(func() { mw.openDir(dir) }, shown)
	l.until(t, "the sync to start again", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	if mw.lastPassEntry != nil {
		t.Error("the passphrase given this session was asked again")
	}

	// In a new session (no passphrase in memory), opening it asks once; a
	// wrong one is asked again, the right one syncs.
	switchTo(func() { mw.adopt(teamStore(t, "Olena Window")) }, func() bool { return mw.store != nil && !shown() })
	mw.team.pass = nil
	switchTo(func() { mw.openDir(dir) }, shown)
	l.until(t, "the passphrase to be asked", func() bool { return mw.lastPassEntry != nil })
	if mw.team.sync != nil {
		t.Fatal("an encrypted folder syncs without its passphrase")
	}
	answer := func(pass string) {
		t.Helper()
		e := mw.lastPassEntry
		mw.lastPassEntry = nil
		test.Type(e, pass)
		e.OnSubmitted(e.Text)
	}
	answer("wrong")
	l.until(t, "the passphrase to be asked again", func() bool { return mw.lastPassEntry != nil })
	answer(teamPass)
	l.until(t, "the sync to start after the passphrase", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	if got := settingsOf(mw.app).String(prefTeamFolder + ws); got != root {
		t.Errorf("the workspace remembers %q", got)
	}

}

func TestTeam_ATeamFileThatLoosensTheCapIsRefusedAndChangesNothing(t *testing.T) {
	// The analyst's copy joined the team's folder capped at GREEN; another
	// folder for the workspace is capped at AMBER.
	a := teamStore(t, "Colleague One")
	green, amber := t.TempDir(), t.TempDir()
	capGreen := workspace.TLPGreen
	if _, err := team.Create(a, green, team.Options{NoEncryption: true, Cap: &capGreen}); err != nil {
		t.Fatal(err)
	}
	b := colleagueCopy(t, a)
	if _, err := team.Join(b, green, team.Options{NoEncryption: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := team.Create(colleagueCopy(t, a), amber, team.Options{NoEncryption: true}); err != nil {
		t.Fatal(err)
	}
	var before, after map[string]any
	if _, err := b.LocalState("team", &before); err != nil {
		t.Fatal(err)
	}
	l, mw := teamWindow(t, b)
	entries := journalLen(t, b)

	d := openTeamDialog(t, mw, amber)
	if !d.joining() || d.tlp.Selected != workspace.TLPAmber.String() || d.pass.Visible() {
		t.Fatalf("a plain folder set up at AMBER offers %q at %q (passphrase shown %v)", d.joinBtn.Text, d.tlp.Selected, d.pass.Visible())
	}
	err := submitTeam(t, l, d)
	if !errors.Is(err, team.ErrLoosened) {
		t.Fatalf("joining a looser folder gave %v", err)
	}
	if !strings.Contains(d.problem.Text, "TLP:AMBER, looser than the TLP:GREEN") || !strings.HasSuffix(d.problem.Text, "Nothing was changed.") {
		t.Errorf("the dialog says %q", d.problem.Text)
	}
	if n := len(mw.win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d overlays on show; want the dialog alone", n)
	}
	if _, err := b.LocalState("team", &after); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(before) != fmt.Sprint(after) || journalLen(t, b) != entries || mw.team.sync != nil {
		t.Errorf("the refused join changed the workspace or syncs: state %v, now %v", before, after)
	}
	// Positive control: the folder it joined with joins.
	d.path.SetText(green)
	if err := submitTeam(t, l, d); err != nil {
		t.Fatalf("joining the GREEN folder again: %v", err)
	}
	l.until(t, "the first round", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })

	// Refused while syncing, the folder joined before goes on syncing.
	d = openTeamDialog(t, mw, amber)
	if err := submitTeam(t, l, d); !errors.Is(err, team.ErrLoosened) {
		t.Fatalf("joining a looser folder while syncing gave %v", err)
	}
	if ts := mw.team.sync; ts == nil || ts.folder.Root() != green {
		t.Fatal("a refused join stopped the sync of the folder joined before")
	}
}

func TestTeam_StatusBarNamesARecordAboveTheCap(t *testing.T) {
	s := teamStore(t, "Olena Window")
	l, mw := teamWindow(t, s)
	d := openTeamDialog(t, mw, t.TempDir())
	d.encrypt.SetChecked(false)
	if err := submitTeam(t, l, d); err != nil {
		t.Fatalf("set up: %v", err)
	}
	l.until(t, "the first round", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	// The demo holds material above AMBER: the line counts it, names it
	// and asks for attention.
	first := mw.team.sync.last.Withheld
	if len(first) == 0 {
		t.Fatal("the demo's material above AMBER was not withheld")
	}
	line := mw.team.status.Text()
	if !strings.Contains(line, fmt.Sprintf("Team: %d withheld above the TLP:AMBER cap: “%s”", len(first), workspace.ShortTitle(first[0].Title, 30))) {
		t.Errorf("the status bar says %q", line)
	}
	if mw.team.status.text.Color != themeColor(theme.ColorNameWarning) {
		t.Error("the status bar's team line does not ask for attention")
	}

	// A card the analyst marks RED is withheld from the next round on,
	// without a click; set back, it goes.
	amber := workspace.TLPAmber
	var c *workspace.Card
	for _, x := range mw.snap.BoardCards(mw.boardID) {
		if workspace.Allows(&amber, mw.snap.Marking(x)) {
			c = x
			break
		}
	}
	own := c.TLP
	mark := func(tlp workspace.TLP) {
		t.Helper()
		if !mw.act(func() error { return mw.store.SetMarking(workspace.KeyOf(c), tlp) }) {
			t.Fatal("setting the marking failed")
		}
	}
	withheld := func(n int) func() bool {
		return func() bool { return strings.Contains(mw.team.status.Text(), fmt.Sprintf("%d withheld", n)) }
	}
	mark(workspace.TLPRed)
	l.until(t, "the RED card to be withheld", withheld(len(first)+1))
	named := false
	for _, w := range mw.team.sync.last.Withheld {
		named = named || w.Title == c.Title
	}
	if !named {
		t.Errorf("the round does not name the RED card among %d withheld", len(mw.team.sync.last.Withheld))
	}
	mark(own)
	l.until(t, "the card to go out", withheld(len(first)))
}

func TestTeam_ConflictingEditsShowInTheConflictsViewAndTheStatusBar(t *testing.T) {
	// Rounds run only when asked, so both copies edit before either sees
	// the other's change.
	old := teamSettle
	teamSettle = time.Hour
	t.Cleanup(func() { teamSettle = old })
	s := teamStore(t, "Olena Window")
	l, mw := teamWindow(t, s)
	root := t.TempDir()
	d := openTeamDialog(t, mw, root)
	d.encrypt.SetChecked(false)
	if err := submitTeam(t, l, d); err != nil {
		t.Fatalf("set up: %v", err)
	}
	l.until(t, "the first round", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	cs, cf, err := team.NewWorkspace(filepath.Join(t.TempDir(), "colleague"), root, team.Options{NoEncryption: true}, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if err := cs.SetProfile(workspace.Profile{Name: "Colleague Two"}); err != nil {
		t.Fatal(err)
	}

	c := firstShown(mw)
	if !mw.act(func() error {
		_, err := mw.store.UpdateCard(c, "Edit card title", func(c *workspace.Card) error { c.Title = "The window's title"; return nil })
		return err
	}) {
		t.Fatal("the window's edit failed")
	}
	setTitle(t, cs, c, "The colleague's title")
	if _, err := cf.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	reads := mw.wholeReads
	mw.syncNow()
	l.until(t, "the conflict in the status bar", func() bool { return strings.Contains(mw.team.status.Text(), "1 conflict") })
	if mw.wholeReads != reads {
		t.Error("the merge was not applied as a journal entry")
	}
	v := newConflictsView(mw.win, mw.store, nil)
	if err := v.refresh(); err != nil {
		t.Fatal(err)
	}
	row := rowFor(t, v, c, "title")
	if got := strings.Join(row.choices.Options, "\n"); !strings.Contains(got, "The window's title") || !strings.Contains(got, "The colleague's title") {
		t.Errorf("the conflicts view offers %q", got)
	}

	// A click on the team's line tells it all, with the way to resolve.
	test.Tap(mw.team.status)
	top := mw.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("a click on the team's line showed nothing")
	}
	var all []string
	for _, o := range test.LaidOutObjects(top) {
		if lbl, ok := o.(*widget.Label); ok {
			all = append(all, lbl.Text)
		}
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"Colleague: Colleague Two", "1 record has a conflict to resolve", "Last change received"} {
		if !strings.Contains(text, want) {
			t.Errorf("the team's details do not say %q:\n%s", want, text)
		}
	}
}

func TestTeam_StatusLineIsShortenedToItsRoom(t *testing.T) {
	test.NewTempApp(t)
	size := theme.CaptionTextSize()
	long := strings.Repeat("Team: 12 withheld above the TLP:AMBER cap · ", 6)
	got := fitText(long, size, fyne.TextStyle{}, teamStatusWidth)
	if !strings.HasSuffix(got, "…") || len(got) >= len(long) {
		t.Fatalf("a long line was not shortened: %q", got)
	}
	if w := fyne.MeasureText(got, size, fyne.TextStyle{}).Width; w > teamStatusWidth {
		t.Errorf("the shortened line is %v wide, over %v", w, teamStatusWidth)
	}
	// Positive control: a short line stays whole.
	if short := "Team: no colleague yet · synced 09:30"; fitText(short, size, fyne.TextStyle{}, teamStatusWidth) != short {
		t.Error("a short line was shortened")
	}
}

func TestTeam_StatusBarSaysWhatWaitsAndWhatIsDamagedUntilItIsRepaired(t *testing.T) {
	// Rounds run only when asked: the test changes the colleague's file
	// between them.
	old := teamSettle
	teamSettle = time.Hour
	t.Cleanup(func() { teamSettle = old })
	s := teamStore(t, "Olena Window")
	l, mw := teamWindow(t, s)
	root := t.TempDir()
	d := openTeamDialog(t, mw, root)
	d.encrypt.SetChecked(false)
	if err := submitTeam(t, l, d); err != nil {
		t.Fatalf("set up: %v", err)
	}
	l.until(t, "the first round", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	cs, cf, err := team.NewWorkspace(filepath.Join(t.TempDir(), "colleague"), root, team.Options{NoEncryption: true}, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	added, err := cs.AddCard(workspace.CardDraft{Board: mw.boardID, Title: "Sent in a segment that travels badly"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := cf.Round(context.Background())
	if err != nil || rep.Sent == nil {
		t.Fatalf("the colleague's round sent %v: %v", rep.Sent, err)
	}
	path := filepath.Join(cf.Dir(), rep.Sent.File)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.ToSlash(rep.Sent.File)
	round := func(what string, ok func(string) bool) {
		t.Helper()
		before := mw.team.sync.last
		mw.syncNow()
		l.until(t, what, func() bool { return mw.team.sync.last != before })
		if got := mw.team.status.Text(); !ok(got) {
			t.Fatalf("%s: the status bar says %q", what, got)
		}
	}
	onBoard := func() bool { return mw.snap.Cards[added.ID] != nil }

	// Half arrived: it waits, named.
	if err := os.WriteFile(path, good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	round("a file half arrived", func(got string) bool {
		return strings.Contains(got, "1 file waiting ("+name+")")
	})
	// Arrived whole but damaged: it is reported, named, and nothing of it
	// is merged.
	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 0x40
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	round("a damaged file", func(got string) bool {
		return strings.Contains(got, "1 file damaged ("+name+")") && !strings.Contains(got, "waiting")
	})
	if onBoard() {
		t.Fatal("a damaged file was merged")
	}
	// Reported on every round for as long as it lasts.
	round("the next round", func(got string) bool { return strings.Contains(got, "1 file damaged") })
	// Repaired, it is merged and the line clears.
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	round("the repaired file", func(got string) bool {
		return !strings.Contains(got, "damaged") && !strings.Contains(got, "waiting")
	})
	if !onBoard() {
		t.Error("the repaired segment's card did not arrive")
	}
}

func TestTeam_ClosingTheWindowStopsTheSync(t *testing.T) {
	s := teamStore(t, "Olena Window")
	l := newUILoop(t)
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	mw := NewMainWindow(a, s)
	l.until(t, "the workspace to open", func() bool { return mw.store == s && mw.snap != nil })
	d := openTeamDialog(t, mw, t.TempDir())
	d.encrypt.SetChecked(false)
	if err := submitTeam(t, l, d); err != nil {
		t.Fatalf("set up: %v", err)
	}
	l.until(t, "the first round", func() bool { return mw.team.sync != nil && mw.team.sync.last != nil })
	ts := mw.team.sync
	mw.win.Close()
	l.until(t, "the sync to stop with the window", func() bool {
		select {
		case <-ts.done:
			return true
		default:
			return false
		}
	})
	if mw.team.sync != nil {
		t.Error("the closed window still holds a sync")
	}
	// Closing the store after it waits for nothing: the store closes.
	mw.closeStore()
	if _, err := s.Snapshot(); !errors.Is(err, workspace.ErrClosed) {
		t.Errorf("the store was not closed: %v", err)
	}
}

// TestTeam_NewColleagueOpensTheTeamsWorkspaceFromTheWindow: a colleague
// who has no copy yet makes one from the team folder with Workspace › New
// workspace from a team folder…: a wrong passphrase is one clear error
// that leaves nothing behind; the right one opens the team's workspace,
// cards and all, and it syncs with the folder from then on.
func TestTeam_NewColleagueOpensTheTeamsWorkspaceFromTheWindow(t *testing.T) {
	root := t.TempDir()
	src := teamStore(t, "Olena Source")
	seedCards(t, src, 30)
	folder, err := team.Create(src, root, team.Options{Passphrase: []byte(teamPass)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := folder.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A card added after the snapshot arrives through the first round.
	late, err := src.AddCard(workspace.CardDraft{Board: snapOf(t, src).Boards[0].ID, Lane: workspace.DefaultLanes[0], Title: "After the snapshot: talks resume"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := folder.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	// What the folder carries: the workspace at the folder's cap.
	fcap := folder.Cap()
	want, err := snapOf(t, src).Capped(&fcap)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Cards) == len(snapOf(t, src).Cards) {
		t.Fatal("the source holds no card above the folder's cap: the count below proves little")
	}

	l, mw := teamWindow(t, teamStore(t, "New Colleague"))
	data := os.Getenv("XDG_DATA_HOME")
	menuItem(t, mw, "New workspace from a team folder…").Action()
	d := mw.team.joinNew
	if d == nil {
		t.Fatal("the menu item showed no dialog")
	}
	d.path.SetText(root)
	if !strings.Contains(d.about.Text, "encrypted") {
		t.Errorf("the dialog says %q of an encrypted team folder", d.about.Text)
	}
	join := func() (string, error) {
		t.Helper()
		var dir string
		var got error
		ended := false
		d.done = func(p string, err error) { dir, got, ended = p, err, true }
		test.Tap(d.joinBtn)
		l.until(t, "the join to end", func() bool { return ended })
		return dir, got
	}
	// No passphrase: asked for, nothing started.
	test.Tap(d.joinBtn)
	if !strings.Contains(d.problem.Text, "passphrase") || d.progress.Visible() {
		t.Fatalf("without a passphrase the dialog says %q", d.problem.Text)
	}
	test.Type(d.pass, "not the team's passphrase")
	if _, err := join(); !errors.Is(err, team.ErrWrongPassphrase) || !strings.Contains(d.problem.Text, "does not open") {
		t.Fatalf("a wrong passphrase: %v, the dialog says %q", err, d.problem.Text)
	}
	if entries, _ := os.ReadDir(filepath.Join(data, "briefboard", "workspaces")); len(entries) != 0 {
		t.Fatalf("a refused join left %d directories behind", len(entries))
	}
	if mw.store.Dir() == "" || mw.snap.Meta.ID == want.Meta.ID {
		t.Fatal("the window left its workspace on a refused join")
	}

	// Cancelled while it runs: nothing is opened or kept. (The window's
	// goroutine is the test's, so the join cannot end before the tap.)
	d.pass.SetText(teamPass)
	var cancelErr error
	cancelled := false
	d.done = func(_ string, err error) { cancelErr, cancelled = err, true }
	test.Tap(d.joinBtn)
	if !d.progress.Visible() {
		t.Fatal("the join shows no progress")
	}
	test.Tap(d.cancelBtn)
	l.until(t, "the cancelled join to end", func() bool { return cancelled })
	if !errors.Is(cancelErr, errJoinCancelled) {
		t.Fatalf("a cancelled join ended with %v", cancelErr)
	}
	if entries, _ := os.ReadDir(filepath.Join(data, "briefboard", "workspaces")); len(entries) != 0 {
		t.Fatalf("a cancelled join left %d directories behind", len(entries))
	}
	if mw.snap.Meta.ID == want.Meta.ID {
		t.Fatal("a cancelled join opened the team's workspace")
	}
	d.dlg.Show()

	dir, err := join()
	if err != nil {
		t.Fatalf("join: %v (the dialog says %q)", err, d.problem.Text)
	}
	if !strings.HasPrefix(dir, filepath.Join(data, "briefboard", "workspaces")) {
		t.Errorf("the new workspace is at %s, outside the data directory", dir)
	}
	l.until(t, "the team's workspace to open", func() bool {
		return mw.store != nil && sameDir(mw.store.Dir(), dir) && mw.snap != nil
	})
	if mw.snap.Meta.ID != want.Meta.ID {
		t.Fatalf("the window shows workspace %s, want the team's %s", mw.snap.Meta.ID, want.Meta.ID)
	}
	l.until(t, "the sync to start and merge what followed the snapshot", func() bool {
		return mw.team.sync != nil && mw.team.sync.last != nil && mw.snap.Cards[late.ID] != nil
	})
	if len(mw.snap.Cards) != len(want.Cards) {
		t.Errorf("the new copy shows %d cards, the team's has %d at the folder's cap", len(mw.snap.Cards), len(want.Cards))
	}
	if got := settingsOf(mw.app).String(prefTeamFolder + want.Meta.ID); got != root {
		t.Errorf("the new workspace remembers the team folder %q, want %q", got, root)
	}
	if mw.store.Replica() == src.Replica() {
		t.Error("the new copy has the source's replica id")
	}
}
