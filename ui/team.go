package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
	"briefboard/workspace/team"
)

// A workspace joined to a team folder (DESIGN.md 9) syncs by itself while
// the window shows it: a round runs a little after files arrive in the
// folder (the system tells of them), a little after the analyst's own
// changes stop, and on a slow timer. Rounds run off the UI goroutine; what
// they merge reaches the window as journal entries, like every action, so
// the board changes card by card and the card under the pointer stays
// where it is. The status bar sums up every round: colleagues seen, the
// last change received, and what waits, is damaged or is withheld.

// prefTeamFolder, followed by a workspace id, remembers the team folder
// the workspace syncs with: opening the workspace again joins it again.
const prefTeamFolder = "teamFolder."

// teamSettle is how long the folder and the workspace stay quiet before a
// round: a burst of arriving files, or of edits, makes one round.
var teamSettle = 2 * time.Second

// teamPoll is the slow timer: a round runs at least this often, also when
// the system tells nothing of the folder (a network share).
var teamPoll = time.Minute

// teamSession is the window's side of team folders: the passphrases given
// this session (in memory only, by the folder of the workspace in the team
// folder), the sync running and its line in the status bar.
type teamSession struct {
	pass   map[string][]byte
	sync   *teamSync
	status *teamStatus
	// released are syncs stopped when the window let go of their store,
	// whose round in flight may not have ended yet.
	released []*teamSync
	// note says why the workspace shown does not sync with the folder it
	// remembers (no passphrase given, the folder gone), for the status bar.
	note string
	// dialog is the Team folder… dialog last shown, and change the button
	// of the details that leads to it, for tests.
	dialog *teamDialog
	// joinNew is the new-workspace-from-a-team-folder dialog last shown.
	joinNew *joinNewDialog
	change  *widget.Button
}

// teamSync is one workspace syncing with one team folder in the
// background. Its fields past done belong to the UI goroutine.
type teamSync struct {
	store  *workspace.Store
	folder *team.Folder
	cancel context.CancelFunc
	done   chan struct{}
	// open counts the records in conflict as last read, for the sync's
	// goroutine to read them again while there are any.
	open atomic.Int64

	last *team.Report
	err  error
	// received is when a colleague's change was last merged, and from
	// whom; conflicts counts the records left with competing values.
	received  time.Time
	from      string
	conflicts int
}

// installTeam puts Team folder… into the Workspace menu and its line into
// the status bar.
func (mw *MainWindow) installTeam() {
	mw.team.status = newTeamStatus(func() { mw.teamDetails() })
	mw.menu.addFeature(item("Team folder…", nil, func() {
		if mw.store == nil {
			return
		}
		mw.flushEdits()
		mw.teamDetails()
	}))
	mw.menu.addFeature(item("New workspace from a team folder…", nil, func() { mw.newFromTeamDialog() }))
	mw.menu.rebuild()
	mw.showTeamStatus()
}

// teamKey names a workspace's place in a team folder: the passphrase
// given for it is kept under it for the session.
func teamKey(root, ws string) string { return filepath.Join(root, ws) }

// teamPassphrase is the passphrase given this session for a workspace's
// team folder, or nil.
func (mw *MainWindow) teamPassphrase(root, ws string) []byte {
	return mw.team.pass[teamKey(root, ws)]
}

func (mw *MainWindow) keepTeamPassphrase(root, ws string, pass []byte) {
	if mw.team.pass == nil {
		mw.team.pass = map[string][]byte{}
	}
	if len(pass) == 0 {
		delete(mw.team.pass, teamKey(root, ws))
		return
	}
	mw.team.pass[teamKey(root, ws)] = pass
}

// rememberedTeamFolder is the team folder the workspace syncs with, or "".
func (mw *MainWindow) rememberedTeamFolder(ws string) string {
	return settingsOf(mw.app).String(prefTeamFolder + ws)
}

// teamOpened joins the workspace just shown to the team folder it
// remembers: in the background, asking the passphrase of an encrypted
// folder unless it was given this session.
func (mw *MainWindow) teamOpened() {
	mw.team.note = ""
	s, f := mw.store, mw.live
	if s == nil || mw.snap == nil || f == nil {
		mw.showTeamStatus()
		return
	}
	ws := mw.snap.Meta.ID
	root := mw.rememberedTeamFolder(ws)
	if root == "" {
		mw.showTeamStatus()
		return
	}
	mw.team.note = "joining " + tildePath(root) + "…"
	mw.showTeamStatus()
	mw.background(func() {
		info, err := team.Inspect(root, ws)
		onUI(func() {
			if mw.live != f || mw.winClosed {
				return
			}
			if err != nil {
				mw.team.note = "not syncing: " + teamOneLine(err.Error())
				mw.showTeamStatus()
				return
			}
			opts := team.Options{NoEncryption: !info.Encrypted}
			if info.Encrypted {
				opts.Passphrase = mw.teamPassphrase(root, ws)
				if opts.Passphrase == nil {
					mw.askTeamPassphrase(f, root, ws, nil)
					return
				}
			}
			mw.resumeTeam(f, root, ws, opts)
		})
	})
}

// resumeTeam joins a remembered folder with the options found for it.
func (mw *MainWindow) resumeTeam(f *follower, root, ws string, opts team.Options) {
	mw.joinTeam(f, root, ws, opts, false, func(err error) {
		if err == nil {
			return
		}
		if errors.Is(err, team.ErrWrongPassphrase) {
			mw.keepTeamPassphrase(root, ws, nil)
			mw.askTeamPassphrase(f, root, ws, err)
			return
		}
		mw.team.note = "not syncing: " + teamOneLine(err.Error())
		mw.showTeamStatus()
	})
}

// askTeamPassphrase asks for the passphrase of the encrypted team folder
// the workspace remembers; without one it does not sync, and the status
// bar says so.
func (mw *MainWindow) askTeamPassphrase(f *follower, root, ws string, why error) {
	pass := widget.NewPasswordEntry()
	msg := "This workspace syncs with an encrypted team folder. Its passphrase opens it:\n" + tildePath(root)
	if errors.Is(why, team.ErrWrongPassphrase) {
		msg = "That passphrase does not open the team folder\n" + tildePath(root) + "\nTry again."
	}
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	submit := func(ok bool) {
		if mw.live != f || mw.winClosed {
			return
		}
		if !ok || pass.Text == "" {
			mw.team.note = "not syncing: the team folder's passphrase was not given (Workspace › Team folder…)"
			mw.showTeamStatus()
			return
		}
		mw.resumeTeam(f, root, ws, team.Options{Passphrase: []byte(pass.Text)})
	}
	d := dialog.NewCustomConfirm("Team folder passphrase", "Sync", "Not now", container.NewVBox(text, pass), submit, mw.win)
	pass.OnSubmitted = func(string) {
		d.Hide()
		submit(true)
	}
	d.Resize(fyne.NewSize(460, 220))
	d.Show()
	mw.win.Canvas().Focus(pass)
	mw.lastPassEntry = pass
}

// joinTeam joins the workspace of f to a team folder in the background
// (setting the folder up when create is set) and starts syncing; done
// hears the outcome on the UI goroutine. The window must still show the
// workspace when the join ends; nothing of a failed join is kept.
func (mw *MainWindow) joinTeam(f *follower, root, ws string, opts team.Options, create bool, done func(error)) {
	mw.team.note = "joining " + tildePath(root) + "…"
	mw.showTeamStatus()
	mw.background(func() {
		var folder *team.Folder
		var err error
		if create {
			folder, err = team.Create(f.s, root, opts)
		} else {
			folder, err = team.Join(f.s, root, opts)
		}
		onUI(func() {
			if mw.live != f || mw.winClosed {
				err = errors.New("the workspace was closed before it joined the team folder")
			}
			if err != nil {
				if mw.live == f {
					mw.team.note = ""
					mw.showTeamStatus()
				}
				done(err)
				return
			}
			mw.team.note = ""
			settingsOf(mw.app).SetString(prefTeamFolder+ws, folder.Root())
			mw.keepTeamPassphrase(folder.Root(), ws, opts.Passphrase)
			mw.startTeam(f, folder)
			done(nil)
		})
	})
}

// startTeam syncs a joined folder until the window lets go of the store:
// a round at once, then whenever the folder or the workspace changes (and
// on the slow timer).
func (mw *MainWindow) startTeam(f *follower, folder *team.Folder) {
	mw.stopTeam()
	ctx, cancel := context.WithCancel(context.Background())
	ts := &teamSync{store: f.s, folder: folder, cancel: cancel, done: make(chan struct{})}
	mw.team.sync = ts
	// The window lets go of a store by stopping its follower (another
	// workspace shown, the window closed): the sync stops with it, and
	// the store is closed only once the round in flight has ended.
	stop := f.stop
	f.stop = func() {
		stop()
		mw.releaseTeam(ts)
	}
	report := func(rep *team.Report, err error) { mw.teamReported(ts, rep, err) }
	go func() {
		defer close(ts.done)
		rep, err := folder.Round(ctx)
		if ctx.Err() != nil {
			return
		}
		report(rep, err)
		_ = team.Watch(ctx, folder, team.WatchOptions{Poll: teamPoll, Settle: teamSettle}, report)
	}()
	mw.showTeamStatus()
}

// releaseTeam stops a sync whose store the window lets go of. Closing the
// store in the background waits for the round in flight: the sync is
// entered among the stores still closing.
func (mw *MainWindow) releaseTeam(ts *teamSync) {
	ts.cancel()
	if mw.team.sync == ts {
		mw.team.sync = nil
		mw.showTeamStatus()
	}
	mw.team.released = append(mw.team.released, ts)
	dir := ts.store.Dir()
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if mw.closing == nil {
		mw.closing = map[string]chan struct{}{}
	}
	prev := mw.closing[dir]
	done := make(chan struct{})
	mw.closing[dir] = done
	go func() {
		if prev != nil {
			<-prev
		}
		<-ts.done
		close(done)
	}()
}

// stopTeam stops the sync running, if any, and waits for its round in
// flight and for those of syncs stopped before; the workspace stays
// joined.
func (mw *MainWindow) stopTeam() {
	for _, ts := range mw.team.released {
		<-ts.done
	}
	mw.team.released = nil
	ts := mw.team.sync
	if ts == nil {
		return
	}
	mw.team.sync = nil
	ts.cancel()
	<-ts.done
	mw.showTeamStatus()
}

// leaveTeam stops syncing the workspace shown and forgets its folder: the
// workspace no longer joins it when it opens.
func (mw *MainWindow) leaveTeam() {
	mw.stopTeam()
	if mw.snap != nil {
		settingsOf(mw.app).SetString(prefTeamFolder+mw.snap.Meta.ID, "")
	}
	mw.team.note = ""
	mw.showTeamStatus()
}

// syncNow runs a round at once, in the background.
func (mw *MainWindow) syncNow() {
	ts := mw.team.sync
	if ts == nil {
		return
	}
	go func() {
		rep, err := ts.folder.Round(context.Background())
		mw.teamReported(ts, rep, err)
	}()
}

// teamReported hands a round's report to the UI goroutine, from the
// sync's, with the number of records in conflict when the round may have
// changed it (-1 otherwise): merges that brought conflicts, or the
// analyst's choices that resolved some.
func (mw *MainWindow) teamReported(ts *teamSync, rep *team.Report, err error) {
	conflicts := -1
	if rep != nil && (len(rep.Conflicts) > 0 || len(rep.Received) > 0 || ts.open.Load() > 0) {
		if recs, cerr := ts.store.ConflictRecords(); cerr == nil {
			conflicts = len(recs)
			ts.open.Store(int64(conflicts))
		}
	}
	onUI(func() { mw.teamRound(ts, rep, err, conflicts) })
}

// teamRound takes in a round's report, on the UI goroutine. The merges
// themselves reached the window as journal entries already.
func (mw *MainWindow) teamRound(ts *teamSync, rep *team.Report, err error, conflicts int) {
	if mw.winClosed {
		return
	}
	ts.err = err
	if rep != nil {
		ts.last = rep
		if len(rep.Received) > 0 {
			ts.received = rep.At
			var names []string
			for _, rc := range rep.Received {
				names = append(names, colleagueName(rc.Name))
			}
			ts.from = joinNames(names, 2)
		}
	}
	if conflicts >= 0 {
		ts.conflicts = conflicts
	}
	if mw.team.sync == ts {
		mw.showTeamStatus()
	}
}

func colleagueName(name string) string {
	if name = strings.TrimSpace(workspace.Printable(name)); name != "" {
		return name
	}
	return "a colleague"
}

// joinNames lists names, at most n of them, then how many more.
func joinNames(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

func teamOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// teamLine is the team's state in a few words for the status bar, and
// whether it asks for the analyst's attention (something waits, is
// damaged or withheld, or a round failed): what needs attention first,
// then the colleagues seen and the last change received. Empty when the
// workspace has no team folder.
func (mw *MainWindow) teamLine() (string, bool) {
	ts := mw.team.sync
	if ts == nil {
		if mw.team.note != "" {
			return "Team folder: " + mw.team.note, strings.HasPrefix(mw.team.note, "not syncing")
		}
		return "", false
	}
	if ts.last == nil && ts.err == nil {
		return "Team folder: first sync…", false
	}
	var alerts, parts []string
	if ts.err != nil {
		alerts = append(alerts, "sync failed: "+teamOneLine(ts.err.Error()))
	}
	rep := ts.last
	if rep != nil {
		if w := withheldLine(rep); w != "" {
			alerts = append(alerts, w)
		}
		if len(rep.Damaged) > 0 {
			alerts = append(alerts, fmt.Sprintf("%s damaged (%s)", teamPlural(len(rep.Damaged), "file", "files"), problemNames(rep.Damaged)))
		}
		if len(rep.Waiting) > 0 {
			alerts = append(alerts, fmt.Sprintf("%s waiting (%s)", teamPlural(len(rep.Waiting), "file", "files"), problemNames(rep.Waiting)))
		}
	}
	if ts.conflicts > 0 {
		parts = append(parts, teamPlural(ts.conflicts, "conflict", "conflicts"))
	}
	if rep != nil {
		// Colleagues are named when their segments carry a name.
		var names []string
		for _, c := range rep.Colleagues {
			if name := strings.TrimSpace(workspace.Printable(c.Name)); name != "" {
				names = append(names, name)
			}
		}
		who := "no colleague yet"
		if n := len(rep.Colleagues); n > 0 {
			who = teamPlural(n, "colleague", "colleagues")
			if len(names) > 0 {
				who += " (" + joinNames(names, 2) + ")"
			}
		}
		parts = append(parts, who)
		if !ts.received.IsZero() {
			parts = append(parts, fmt.Sprintf("last change %s from %s", ts.received.Local().Format("15:04"), ts.from))
		} else {
			parts = append(parts, "synced "+rep.At.Local().Format("15:04"))
		}
	}
	return "Team: " + strings.Join(append(alerts, parts...), " · "), len(alerts) > 0
}

// withheldLine names what the cap keeps out of the folder, counting.
func withheldLine(rep *team.Report) string {
	if len(rep.Withheld) == 0 {
		return ""
	}
	above, held := 0, 0
	var names []string
	for _, w := range rep.Withheld {
		if w.Conflict {
			held++
		} else {
			above++
		}
		names = append(names, "“"+workspace.ShortTitle(workspace.Printable(w.Title), 30)+"”")
	}
	why := fmt.Sprintf("above the %s cap", rep.Cap)
	switch {
	case above == 0:
		why = "held by a marking conflict"
	case held > 0:
		why = fmt.Sprintf("(%d above the %s cap, %d held by a marking conflict)", above, rep.Cap, held)
	}
	return fmt.Sprintf("%d withheld %s: %s", len(rep.Withheld), why, joinNames(names, 2))
}

// problemNames names the files of problems, at most two.
func problemNames(ps []team.Problem) string {
	var names []string
	for _, p := range ps {
		n := p.File
		if n == "" {
			n = "team file"
		}
		names = append(names, workspace.Printable(n))
	}
	return joinNames(names, 2)
}

func teamPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// showTeamStatus puts the team's state into the status bar, or takes its
// line away when the workspace has no team folder.
func (mw *MainWindow) showTeamStatus() {
	st := mw.team.status
	if st == nil || mw.status == nil || mw.status.extra == nil {
		return
	}
	// Hidden, the slot takes no room in the status bar: not even the
	// padding between its neighbours.
	extra := mw.status.extra
	text, warn := mw.teamLine()
	if text == "" {
		if extra.Visible() {
			extra.Objects = nil
			extra.Hide()
		}
		return
	}
	st.set(text, warn)
	if !extra.Visible() || len(extra.Objects) == 0 {
		extra.Objects = []fyne.CanvasObject{widget.NewSeparator(), st}
		extra.Show()
		extra.Refresh()
	}
}

// teamStatusWidth is the most room the team's line takes in the status
// bar; the whole of it is in the dialog that a click on it opens.
const teamStatusWidth = 420

// teamStatus is the team's line in the status bar; a click on it shows
// the last round in full.
type teamStatus struct {
	widget.BaseWidget
	text  *canvas.Text
	full  string
	onTap func()
}

func newTeamStatus(onTap func()) *teamStatus {
	t := &teamStatus{onTap: onTap}
	t.text = canvas.NewText("", themeColor(colorNameMuted))
	t.text.TextSize = theme.CaptionTextSize()
	t.ExtendBaseWidget(t)
	return t
}

// set shows a line, shortened to the room it has; warn draws it in the
// warning colour.
func (t *teamStatus) set(s string, warn bool) {
	col := themeColor(colorNameMuted)
	if warn {
		col = themeColor(theme.ColorNameWarning)
	}
	if s == t.full && col == t.text.Color {
		return
	}
	t.full = s
	t.text.Text = fitText(s, t.text.TextSize, t.text.TextStyle, teamStatusWidth)
	t.text.Color = col
	t.text.Refresh()
	t.Refresh()
}

// fitText shortens s with an ellipsis to what fits in width.
func fitText(s string, size float32, style fyne.TextStyle, width float32) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // r[:lo]+"…" fits; r[:hi]+"…" may not
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(r[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ·") + "…"
}

// Text is the whole line, also the part the status bar has no room for.
func (t *teamStatus) Text() string { return t.full }

func (t *teamStatus) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.text) }

// Tapped shows the last round in full.
func (t *teamStatus) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap()
	}
}

// Cursor says the line can be clicked.
func (t *teamStatus) Cursor() desktop.Cursor { return desktop.PointerCursor }

// teamDetails shows the last round in full: colleagues, what was received,
// and each file waiting or damaged and each record withheld, with the
// reason; with Sync now, Resolve conflicts… and the way to change folder.
// Without a sync running it is the Team folder… dialog.
func (mw *MainWindow) teamDetails() {
	ts := mw.team.sync
	if ts == nil {
		mw.teamDialog()
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Team folder %s, capped at %s", tildePath(ts.folder.Root()), ts.folder.Cap())
	if !ts.folder.Encrypted() {
		b.WriteString(", not encrypted")
	}
	b.WriteString("\n")
	if ts.err != nil {
		fmt.Fprintf(&b, "\nThe last sync failed: %s\n", teamOneLine(ts.err.Error()))
	}
	if rep := ts.last; rep != nil {
		fmt.Fprintf(&b, "\nLast sync %s: %s\n", rep.At.Local().Format("15:04:05"), rep.Summary())
		for _, c := range rep.Colleagues {
			at := ""
			if !c.At.IsZero() {
				at = ", last change written " + c.At.Local().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(&b, "Colleague: %s (copy %s)%s\n", colleagueName(c.Name), c.Replica, at)
		}
		for _, p := range rep.Waiting {
			fmt.Fprintf(&b, "Waiting: %s: %s\n", workspace.Printable(p.File), workspace.Printable(p.Reason))
		}
		for _, p := range rep.Damaged {
			fmt.Fprintf(&b, "Damaged: %s: %s\n", workspace.Printable(p.File), workspace.Printable(p.Reason))
		}
		for _, w := range rep.Withheld {
			fmt.Fprintf(&b, "Withheld: %s “%s”: %s\n", w.RecordKind.Label(), workspace.Printable(w.Title), workspace.Printable(w.Reason))
		}
	}
	if !ts.received.IsZero() {
		fmt.Fprintf(&b, "\nLast change received %s from %s\n", ts.received.Local().Format("15:04:05"), ts.from)
	}
	if ts.conflicts > 0 {
		fmt.Fprintf(&b, "\n%s to resolve (Workspace › Resolve conflicts…)\n", teamPlural(ts.conflicts, "record has a conflict", "records have conflicts"))
	}
	text := widget.NewLabel(strings.TrimSpace(b.String()))
	text.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(text)
	scroll.SetMinSize(fyne.NewSize(560, 260))
	var d dialog.Dialog
	syncBtn := widget.NewButtonWithIcon("Sync now", theme.ViewRefreshIcon(), func() { d.Hide(); mw.syncNow() })
	conflictsBtn := widget.NewButton("Resolve conflicts…", func() { d.Hide(); mw.showConflictsAction() })
	settingsBtn := widget.NewButton("Change folder or stop…", func() { d.Hide(); mw.teamDialog() })
	mw.team.change = settingsBtn
	closeBtn := widget.NewButton("Close", func() { d.Hide() })
	buttons := container.NewHBox(settingsBtn, layoutSpacer(), conflictsBtn, syncBtn, closeBtn)
	d = dialog.NewCustomWithoutButtons("Team folder", container.NewBorder(nil, buttons, nil, nil, scroll), mw.win)
	d.Resize(fyne.NewSize(640, 400))
	d.Show()
}

// teamDialog is Workspace › Team folder…: the folder, and for a folder not
// set up yet its cap and its passphrase (or none); for one set up, the
// passphrase that opens it. A refusal (a wrong passphrase, a team file
// that loosens the cap) is said in the dialog, and the workspace stays as
// it was.
type teamDialog struct {
	mw   *MainWindow
	f    *follower
	ws   string
	info *team.Info

	path     *widget.Entry
	about    *widget.Label
	capLabel *canvas.Text
	tlp      *widget.Select
	encrypt  *widget.Check
	pass     *widget.Entry
	confirm  *widget.Entry
	problem  *widget.Label
	progress *widget.ProgressBarInfinite
	joinBtn  *widget.Button
	leaveBtn *widget.Button
	dlg      dialog.Dialog
	// done hears the end of each join; tests wait on it.
	done func(error)
}

func (mw *MainWindow) teamDialog() *teamDialog {
	if mw.store == nil || mw.snap == nil || mw.live == nil {
		return nil
	}
	d := &teamDialog{mw: mw, f: mw.live, ws: mw.snap.Meta.ID}
	mw.team.dialog = d
	d.path = widget.NewEntry()
	d.path.SetPlaceHolder("The folder your sync engine carries (Syncthing, Nextcloud, a share…)")
	d.path.OnChanged = func(string) { d.inspect() }
	d.path.OnSubmitted = func(string) { d.submit() }
	choose := widget.NewButtonWithIcon("Folder…", theme.FolderOpenIcon(), func() {
		showOpenPath(mw.win, "Choose the team folder", "Choose", nil, true, func(p string) { d.path.SetText(p) })
	})
	recent := recentButton(mw.win, func(dir string) { d.path.SetText(dir) })
	d.about = widget.NewLabel("")
	d.about.Wrapping = fyne.TextWrapWord
	var levels []string
	for _, t := range workspace.TLPLevels {
		levels = append(levels, t.String())
	}
	d.capLabel = label("").(*canvas.Text)
	d.tlp = widget.NewSelect(levels, nil)
	d.tlp.SetSelected(team.DefaultCap.String())
	d.pass = widget.NewPasswordEntry()
	d.pass.OnSubmitted = func(string) { d.submit() }
	d.confirm = widget.NewPasswordEntry()
	d.confirm.SetPlaceHolder("The passphrase again")
	d.confirm.OnSubmitted = func(string) { d.submit() }
	d.encrypt = widget.NewCheck("Encrypt with a team passphrase (leave off only for a folder protected otherwise)", nil)
	d.encrypt.SetChecked(true)
	d.problem = widget.NewLabel("")
	d.problem.Importance = widget.DangerImportance
	d.problem.Wrapping = fyne.TextWrapWord
	d.progress = widget.NewProgressBarInfinite()
	d.progress.Stop()
	d.progress.Hide()
	d.joinBtn = widget.NewButtonWithIcon("Join", theme.ConfirmIcon(), d.submit)
	d.joinBtn.Importance = widget.HighImportance
	d.leaveBtn = widget.NewButton("Stop syncing", func() {
		mw.leaveTeam()
		d.dlg.Hide()
	})
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dlg.Hide() })
	root := mw.rememberedTeamFolder(d.ws)
	if root == "" {
		d.leaveBtn.Hide()
	}
	intro := widget.NewLabel("Colleagues who share a folder through a sync engine get each other's changes by themselves. " +
		"Each copy writes only its own files there; nothing marked above the folder's cap leaves this workspace.")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(
		intro,
		label("TEAM FOLDER"),
		container.NewBorder(nil, nil, nil, container.NewHBox(choose, recent), d.path),
		d.about,
		d.capLabel,
		d.tlp,
		d.encrypt,
		label("PASSPHRASE"),
		d.pass,
		d.confirm,
		container.New(&minHeightLayout{lines: 2}, d.problem),
		d.progress,
		container.NewHBox(d.leaveBtn, layoutSpacer(), cancel, d.joinBtn),
	)
	d.dlg = dialog.NewCustomWithoutButtons("Team folder", content, mw.win)
	d.dlg.Resize(fyne.NewSize(640, 0))
	d.encrypt.OnChanged = func(bool) { d.showFields() }
	d.path.SetText(root)
	if root == "" {
		d.inspect()
	}
	d.dlg.Show()
	mw.win.Canvas().Focus(d.path)
	return d
}

// folder is the path typed, made absolute.
func (d *teamDialog) folder() string { return typedFolder(d.path.Text) }

// typedFolder is a team folder's path as typed, made absolute ("" when
// none is typed).
func typedFolder(text string) string {
	p := expandHome(strings.TrimSpace(text))
	if abs, err := filepath.Abs(p); err == nil && p != "" {
		p = abs
	}
	return p
}

// inspect looks at the folder typed: set up for this workspace already
// (join it), or not (set it up).
func (d *teamDialog) inspect() {
	d.problem.SetText("")
	d.info = nil
	p := d.folder()
	if fi, err := os.Stat(p); p == "" || err != nil || !fi.IsDir() {
		d.about.SetText("")
		d.showFields()
		return
	}
	info, err := team.Inspect(p, d.ws)
	if err != nil {
		d.about.SetText("")
		d.problem.SetText(teamOneLine(err.Error()))
		d.showFields()
		return
	}
	d.info = info
	switch {
	case info.SetUp && info.Encrypted:
		d.about.SetText("This folder is set up for this workspace and encrypted: its passphrase joins it.")
	case info.SetUp && info.Cap != nil:
		d.about.SetText(fmt.Sprintf("This folder is set up for this workspace without encryption, capped at %s.", *info.Cap))
	case info.SetUp:
		d.about.SetText("This folder is set up for this workspace.")
	case len(info.Workspaces) > 0:
		d.about.SetText("This folder holds another team's workspace; this one will be set up beside it. " +
			"To work on theirs, use Workspace › New workspace from a team folder….")
	default:
		d.about.SetText("This folder is not a team folder yet: Briefboard sets it up for this workspace.")
	}
	d.showFields()
}

// joining reports whether the folder is set up already.
func (d *teamDialog) joining() bool { return d.info != nil && d.info.SetUp }

// showFields shows what the folder needs: a cap and encryption choice to
// set one up, a passphrase twice for a new encrypted one, once to join.
func (d *teamDialog) showFields() {
	if d.joining() {
		d.joinBtn.SetText("Join")
		d.capLabel.Text = "THE FOLDER'S CAP (SET WHEN IT WAS SET UP)"
		d.tlp.Disable()
		if d.info.Cap != nil {
			d.tlp.SetSelected(d.info.Cap.String())
		} else {
			// An encrypted folder tells its cap to the passphrase only.
			d.tlp.PlaceHolder = "(told by the passphrase)"
			d.tlp.ClearSelected()
		}
		d.encrypt.SetChecked(d.info.Encrypted)
		d.encrypt.Disable()
		d.confirm.Hide()
		if d.info.Encrypted {
			d.pass.Show()
		} else {
			d.pass.Hide()
		}
	} else {
		d.joinBtn.SetText("Set up and sync")
		d.capLabel.Text = "CAP OF THE NEW FOLDER: NOTHING MARKED ABOVE IT IS SENT"
		d.tlp.Enable()
		if d.tlp.Selected == "" {
			d.tlp.SetSelected(team.DefaultCap.String())
		}
		d.encrypt.Enable()
		if d.encrypt.Checked {
			d.pass.Show()
			d.confirm.Show()
		} else {
			d.pass.Hide()
			d.confirm.Hide()
		}
	}
	d.capLabel.Refresh()
	if d.dlg != nil {
		d.dlg.Resize(fyne.NewSize(640, 0))
	}
}

// submit joins or sets up the folder, or says what is missing.
func (d *teamDialog) submit() {
	if d.progress.Visible() {
		return
	}
	mw := d.mw
	if mw.live != d.f {
		d.dlg.Hide()
		return
	}
	p := d.folder()
	if p == "" {
		d.problem.SetText("Give the team folder's path, or choose it with Folder…")
		return
	}
	d.inspect()
	if d.problem.Text != "" {
		return
	}
	if d.info == nil {
		d.problem.SetText(fmt.Sprintf("The team folder %s does not exist: make it (or check the path) first.", tildePath(p)))
		return
	}
	create := !d.joining()
	opts := team.Options{}
	switch {
	case create && d.encrypt.Checked:
		if d.pass.Text == "" {
			d.problem.SetText("Choose the team's passphrase, or leave encryption off for a folder protected otherwise.")
			return
		}
		if d.pass.Text != d.confirm.Text {
			d.problem.SetText("The two passphrases differ.")
			return
		}
		opts.Passphrase = []byte(d.pass.Text)
	case create:
		opts.NoEncryption = true
	case d.info.Encrypted:
		if d.pass.Text == "" {
			d.problem.SetText("Give the team folder's passphrase.")
			return
		}
		opts.Passphrase = []byte(d.pass.Text)
	default:
		opts.NoEncryption = true
	}
	if create {
		t, err := workspace.ParseTLP(d.tlp.Selected)
		if err != nil {
			d.problem.SetText("Choose the folder's cap.")
			return
		}
		opts.Cap = &t
	}
	d.busy(true)
	// A store syncs with one folder at a time.
	was := mw.team.sync
	mw.stopTeam()
	mw.joinTeam(d.f, p, d.ws, opts, create, func(err error) {
		d.busy(false)
		if err != nil {
			d.problem.SetText(joinError(err))
			if was != nil && mw.team.sync == nil && mw.live == d.f {
				// The folder joined before goes on syncing.
				mw.startTeam(d.f, was.folder)
			}
		} else {
			d.dlg.Hide()
		}
		if d.done != nil {
			d.done(err)
		}
	})
}

// joinError says why a join was refused, in one sentence.
func joinError(err error) string {
	switch {
	case errors.Is(err, team.ErrWrongPassphrase):
		return "That passphrase does not open the team folder. Nothing was changed; try again."
	case errors.Is(err, team.ErrLoosened):
		return teamOneLine(err.Error()) + ". Nothing was changed."
	}
	return teamOneLine(err.Error())
}

func (d *teamDialog) busy(on bool) { showBusy(on, d.problem, d.progress, d.joinBtn) }

// showBusy shows a join's progress: the bar runs and the button waits
// while it does.
func showBusy(on bool, problem *widget.Label, progress *widget.ProgressBarInfinite, btn *widget.Button) {
	if on {
		problem.SetText("")
		progress.Show()
		progress.Start()
		btn.Disable()
		return
	}
	progress.Stop()
	progress.Hide()
	btn.Enable()
}
