package ui

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// uiLoop makes the test's goroutine the window's UI goroutine, as the
// desktop driver's event loop is: what background work hands over with
// onUI waits in a queue until the test runs it. (The test driver's
// fyne.Do runs it at once on the calling goroutine instead, which is no
// UI goroutine at all once work runs in the background.)
type uiLoop struct {
	q chan func()
}

func newUILoop(t *testing.T) *uiLoop {
	l := &uiLoop{q: make(chan func(), 4096)}
	old := onUI
	onUI = func(fn func()) { l.q <- fn }
	t.Cleanup(func() { onUI = old })
	return l
}

// run runs what is queued for the UI goroutine for a while; each step's
// duration is reported to step, when set.
func (l *uiLoop) run(d time.Duration, step func(time.Duration)) {
	deadline := time.After(d)
	for {
		select {
		case fn := <-l.q:
			start := time.Now()
			fn()
			if step != nil {
				step(time.Since(start))
			}
		case <-deadline:
			return
		}
	}
}

// until runs the loop until cond holds.
func (l *uiLoop) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		l.run(10*time.Millisecond, nil)
	}
}

// openOn opens the window on a store with the loop as its UI goroutine.
func (l *uiLoop) openOn(t *testing.T, s *workspace.Store) *MainWindow {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	mw := NewMainWindow(a, s)
	l.until(t, "the workspace to open", func() bool { return mw.store == s && mw.snap != nil })
	mw.win.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() {
		l.until(t, "the window's background work", func() bool {
			done := make(chan struct{})
			go func() { mw.jobs.Wait(); close(done) }()
			select {
			case <-done:
				return true
			case <-time.After(20 * time.Millisecond):
				return false
			}
		})
		mw.win.Close()
	})
	return mw
}

func TestWindow_TypingWhileA10000CardImportRuns(t *testing.T) {
	old := editPause
	editPause = 40 * time.Millisecond
	t.Cleanup(func() { editPause = old })
	s, dir := workspacetest.Big(t, workspacetest.BigCards)
	// A colleague's copy in which every card was revised: its file merges
	// 10,000 changed cards.
	var plain bytes.Buffer
	if _, err := s.Share(&plain, workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	sf, err := workspace.ReadShare(bytes.NewReader(plain.Bytes()), nil)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := workspace.CreateFromShare(filepath.Join(filepath.Dir(dir), "colleague"), sf, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.SetProfile(workspace.Profile{Name: "Colleague"}); err != nil {
		t.Fatal(err)
	}
	if err := workspacetest.ReviseAll(other, 2); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "colleague.briefboard")
	if _, err := other.ShareToFile(file, workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	other.Close()

	loop := newUILoop(t)
	mw := loop.openOn(t, s)
	card := firstShown(mw)
	mw.selectCard(card)
	body := mw.detail.body
	mw.win.Canvas().Focus(body)
	start := body.Text
	entries := journalLen(t, s)

	// The import: its preview, then the merge, each in the background.
	f := newImportFlow(mw.win, s, nil)
	steps := map[string]error{}
	f.finished = func(step string, err error) { steps[step] = err }
	f.open(file)

	typed := ""
	var longest time.Duration
	// during counts the keystrokes typed while the merge held the store.
	during := 0
	typeSome := func(text string) {
		for _, r := range text {
			if longWriteRunning() {
				during++
			}
			begin := time.Now()
			test.Type(body, string(r))
			longest = max(longest, time.Since(begin))
			typed += string(r)
			// Between keystrokes the window runs what comes in, as its
			// event loop would: the pause flushes among it.
			loop.run(60*time.Millisecond, func(d time.Duration) { longest = max(longest, d) })
		}
	}
	typeSome("Read during the preview. ")
	loop.until(t, "the preview", func() bool { _, ok := steps["read"]; return ok })
	if err := steps["read"]; err != nil {
		t.Fatalf("the preview: %v", err)
	}
	// Every card changed: updated, or in conflict with the typing here.
	var updated, conflicts int
	fmt.Sscanf(after(f.details.Text, "Updated ("), "%d", &updated)
	fmt.Sscanf(after(f.details.Text, "Conflicts to resolve ("), "%d", &conflicts)
	if updated+conflicts != workspacetest.BigCards {
		t.Fatalf("the preview does not merge 10,000 changed cards: %.200s", f.details.Text)
	}
	deferredBefore := body.deferred
	test.Tap(f.mergeBtn)
	merging := longWriteRunning()
	mergeStart := time.Now()
	during = 0
	typeSome("Typed while the merge ran.")
	loop.until(t, "the merge", func() bool { _, ok := steps["merge"]; return ok })
	mergeTook := time.Since(mergeStart)
	if err := steps["merge"]; err != nil {
		t.Fatalf("the merge: %v", err)
	}
	t.Logf("merge took %v; %d keys typed during it; the longest step of the window's goroutine while typing took %v; %d pause flushes waited for the merge",
		mergeTook, during, longest, body.deferred-deferredBefore)
	// However fast the merge, it must have held the store while several
	// keys were typed, or the test proves nothing.
	if !merging || during < 3 {
		t.Fatalf("the merge was not running while the test typed (at the start: %v; %d keys typed during it); the test proves nothing", merging, during)
	}
	// Every keystroke arrived in the field, where the cursor was: at the
	// start of the card's text.
	if body.Text != typed+start {
		t.Fatalf("the field holds %.120q, want the typed %q before the card's text", body.Text, typed)
	}
	// The pause that stores typing came while the merge held the store,
	// and waited for it instead of blocking the field.
	if body.deferred == deferredBefore {
		t.Fatal("no pause came during the merge: the test proves nothing")
	}
	// The typing is stored once the merge is done.
	loop.until(t, "the typing to be stored", func() bool {
		return strings.HasPrefix(snapOf(t, s).Cards[card].Body, typed)
	})
	log, err := s.Log(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	imported := false
	for _, e := range log[entries:] {
		if e.Op == workspace.EntryImport {
			imported = true
		}
	}
	if !imported {
		t.Fatal("the journal holds no import")
	}
	loop.until(t, "the window to show the merge", func() bool { return !mw.reading && mw.snap.Seq == snapOf(t, s).Seq })
	if got := mw.snap.Cards[card].Body; !strings.HasPrefix(got, typed) {
		t.Errorf("the window's card reads %.80q…", got)
	}
}

func TestWindow_SwitchWhileShareAndExportRun(t *testing.T) {
	loop := newUILoop(t)
	a := winStore(t)
	seedCards(t, a, 300)
	b := winStore(t)
	bDir := b.Dir()
	b.Close()
	mw := loop.openOn(t, a)
	out := t.TempDir()

	// A share, a PDF export and a canvas export start in the background.
	sd, err := newShareDialog(mw.win, a)
	if err != nil {
		t.Fatal(err)
	}
	shared := make(chan error, 1)
	sd.done = func(_ *workspace.Manifest, err error) { shared <- err }
	sharePath := filepath.Join(out, "a.briefboard")
	sd.write(sharePath, workspace.ShareOptions{})

	pdf, err := newExportPDF(mw.win, a, "a4")
	if err != nil {
		t.Fatal(err)
	}
	pdfPath := filepath.Join(out, "a.pdf")
	pdf.path.SetText(pdfPath)
	exported := make(chan error, 1)
	pdf.done = func(err error) { exported <- err }
	test.Tap(pdf.exportBtn)

	ce := newCanvasExport(mw.win, a)
	canvasPath := filepath.Join(out, "a.canvas")
	ce.path.SetText(canvasPath)
	canvased := make(chan error, 1)
	ce.done = func(err error) { canvased <- err }
	test.Tap(ce.exportBtn)

	// The window switches to another workspace at once.
	mw.openDir(bDir)
	results := map[string]error{}
	loop.until(t, "the switch and the three jobs", func() bool {
		for name, ch := range map[string]chan error{"share": shared, "pdf": exported, "canvas": canvased} {
			select {
			case err := <-ch:
				results[name] = err
			default:
			}
		}
		return len(results) == 3 && mw.store != a && mw.store != nil
	})
	if !sameDir(mw.store.Dir(), bDir) || mw.snap == nil {
		t.Fatal("the window did not switch")
	}
	t.Logf("share: %v; pdf: %v; canvas: %v", results["share"], results["pdf"], results["canvas"])
	// Each job either finished on the store it began with (Close waits
	// for it) or found the store closed and says so quietly.
	quiet := map[string]string{"share": sd.status.Text, "pdf": pdf.status.Text, "canvas": ce.status.Text}
	files := map[string]string{"share": sharePath, "pdf": pdfPath, "canvas": canvasPath}
	for name, err := range results {
		switch {
		case err == nil:
			info, serr := os.Stat(files[name])
			if serr != nil || info.Size() == 0 {
				t.Errorf("%s reported success but wrote %v", name, serr)
			}
		case name == "pdf" && errors.As(err, new(*notRecorded)) && closedMeanwhile(err):
			// Written, then the store closed before the brief was
			// recorded: the file is there and the dialog says so.
			if info, serr := os.Stat(files[name]); serr != nil || info.Size() == 0 {
				t.Errorf("pdf says it was saved but wrote %v", serr)
			}
			if !strings.Contains(quiet[name], "but not recorded: the workspace was closed first") {
				t.Errorf("pdf was written, then found its store closed, and says %q", quiet[name])
			}
		case closedMeanwhile(err):
			if !strings.HasPrefix(quiet[name], "Not written: this workspace was closed") {
				t.Errorf("%s found its store closed and says %q", name, quiet[name])
			}
		default:
			t.Errorf("%s failed: %v", name, err)
		}
	}
	if results["share"] == nil {
		if _, err := workspace.ReadShareFile(sharePath, nil); err != nil {
			t.Errorf("the share file written across the switch does not read: %v", err)
		}
	}
	// The share dialog still open over the window tries again, on the
	// store now closed: it says so, without an error dialog.
	sd.write(filepath.Join(out, "again.briefboard"), workspace.ShareOptions{})
	var again error
	loop.until(t, "the second share", func() bool {
		select {
		case again = <-shared:
			return true
		default:
			return false
		}
	})
	if !closedMeanwhile(again) || !strings.HasPrefix(sd.status.Text, "Not written: this workspace was closed") {
		t.Errorf("a share on the closed store: %v, saying %q", again, sd.status.Text)
	}
	errorShown := func() bool {
		for _, o := range mw.win.Canvas().Overlays().List() {
			if strings.Contains(markupOf(o), ">Error<") {
				return true
			}
		}
		return false
	}
	if errorShown() {
		t.Error("an error dialog is shown")
	}
	// The old workspace is closed once its jobs are done: it opens again.
	loop.until(t, "the old store to close", func() bool { return mw.closed(a.Dir()) == nil })
	reopened, err := workspace.Open(a.Dir(), workspace.Options{})
	if err != nil {
		t.Fatalf("the old workspace is still held: %v", err)
	}
	reopened.Close()
	// Positive control: an error dialog is seen where there is one.
	dialog.ShowError(errors.New("a real failure"), mw.win)
	if !errorShown() {
		t.Error("the check for error dialogs does not see one")
	}
}

// after is the text after the first sep, or "".
func after(s, sep string) string {
	if _, rest, ok := strings.Cut(s, sep); ok {
		return rest
	}
	return ""
}

// markupOf renders an object as the test driver's markup.
func markupOf(o fyne.CanvasObject) string { return test.RenderObjectToMarkup(o) }
