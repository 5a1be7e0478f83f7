package ui

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"briefboard/resources"
	"briefboard/ui/appdata"
	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// shareStore makes a demo workspace for the share tests.
func shareStore(t *testing.T, dir string) *workspace.Store {
	t.Helper()
	s, _ := workspacetest.Create(t, resources.DemoTemplate, workspace.Options{Now: time.Now})
	return s
}

// colleagueCopy makes a colleague's copy of a store.
func colleagueCopy(t *testing.T, s *workspace.Store) *workspace.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.briefboard")
	if _, err := s.ShareToFile(path, workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	sf, err := workspace.ReadShareFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := workspace.CreateFromShare(filepath.Join(t.TempDir(), "copy"), sf, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetProfile(workspace.Profile{Name: "Colleague"}); err != nil {
		t.Fatal(err)
	}
	return c
}

func shareWindow(t *testing.T) fyne.Window {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel("board"))
	w.Resize(fyne.NewSize(1000, 700))
	return w
}

// wait waits for a step to report back through a channel.
func wait[T any](t *testing.T, ch chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatal("timed out")
		var zero T
		return zero
	}
}

func firstLiveCard(t *testing.T, s *workspace.Store) *workspace.Card {
	t.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return snap.BoardCards(snap.Boards[0].ID)[0]
}

func setTitle(t *testing.T, s *workspace.Store, id, title string) {
	t.Helper()
	if _, err := s.UpdateCard(id, "Edit card", func(c *workspace.Card) error { c.Title = title; return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestShareDialog_WritesCappedEncryptedFile(t *testing.T) {
	w := shareWindow(t)
	s := shareStore(t, "ws")
	d, err := newShareDialog(w, s)
	if err != nil {
		t.Fatal(err)
	}
	d.dlg.Show()
	path := filepath.Join(t.TempDir(), "for the desk")
	d.path.SetText(path)
	d.tlp.SetSelected(workspace.TLPGreen.String())
	test.Type(d.pass, "shared secret")
	test.Type(d.confirm, "shared secret")
	done := make(chan error, 1)
	d.done = func(_ *workspace.Manifest, err error) { done <- err }
	test.Tap(d.shareBtn)
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	path += workspace.ShareExt
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("age-encryption.org/v1")) {
		t.Fatalf("share file: %v", err)
	}
	sf, err := workspace.ReadShareFile(path, []byte("shared secret"))
	if err != nil {
		t.Fatal(err)
	}
	if sf.Manifest.MaxTLP == nil || *sf.Manifest.MaxTLP != workspace.TLPGreen {
		t.Fatalf("cap %v", sf.Manifest.MaxTLP)
	}
	if !strings.Contains(d.status.Text, "Saved") || !strings.Contains(d.status.Text, "Encrypted") || !strings.Contains(d.status.Text, "left out") {
		t.Fatalf("status %q", d.status.Text)
	}
}

func TestShareDialog_PassphrasesMustMatch(t *testing.T) {
	w := shareWindow(t)
	d, err := newShareDialog(w, shareStore(t, "ws"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.briefboard")
	d.path.SetText(path)
	test.Type(d.pass, "one")
	test.Type(d.confirm, "two")
	test.Tap(d.shareBtn)
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a file was written with mismatched passphrases")
	}
	if top := w.Canvas().Overlays().Top(); top == nil {
		t.Fatal("no error shown")
	}
}

func TestImportFlow_SummaryBeforeMergeThenMerge(t *testing.T) {
	w := shareWindow(t)
	a := shareStore(t, "a")
	b := colleagueCopy(t, a)
	card := firstLiveCard(t, a)
	setTitle(t, a, card.ID, "Title from A")
	setTitle(t, b, card.ID, "Title from B")
	path := filepath.Join(t.TempDir(), "from b.briefboard")
	if _, err := b.ShareToFile(path, workspace.ShareOptions{Passphrase: []byte("right")}); err != nil {
		t.Fatal(err)
	}
	merged := 0
	f := newImportFlow(w, a, func() { merged++ })
	steps := make(chan error, 4)
	f.finished = func(step string, err error) { steps <- err }
	f.open(path)
	if lastPrompt == nil {
		t.Fatal("no passphrase asked for an encrypted file")
	}
	// A wrong passphrase is said so and asked again.
	first := lastPrompt
	test.Type(first.entry, "wrong")
	first.dlg.Submit()
	if err := wait(t, steps); err == nil || !strings.Contains(err.Error(), "passphrase does not open") {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if lastPrompt == first {
		t.Fatal("the passphrase was not asked again")
	}
	test.Type(lastPrompt.entry, "right")
	lastPrompt.dlg.Submit()
	if err := wait(t, steps); err != nil {
		t.Fatal(err)
	}
	// The summary is on show, and nothing has changed yet.
	if !strings.Contains(f.summary.Text, "1 conflict") || !strings.Contains(f.details.Text, "Title from") {
		t.Fatalf("summary %q / %q", f.summary.Text, f.details.Text)
	}
	if c := firstLiveCard(t, a); c.Title != "Title from A" || len(c.Conflicts) != 0 || merged != 0 {
		t.Fatal("the workspace changed before the merge was confirmed")
	}
	test.Tap(f.mergeBtn)
	if err := wait(t, steps); err != nil {
		t.Fatal(err)
	}
	c := firstLiveCard(t, a)
	if len(c.Conflicts) != 1 || merged != 1 {
		t.Fatalf("after the merge: conflicts %v, done called %d times", c.Conflicts, merged)
	}
}

func TestImportFlow_BadFileIsAnErrorAndChangesNothing(t *testing.T) {
	w := shareWindow(t)
	a := shareStore(t, "a")
	path := filepath.Join(t.TempDir(), "notes.briefboard")
	os.WriteFile(path, []byte("PK\x03\x04 not really a zip"), 0o600)
	before, _ := a.ShareToFile(filepath.Join(t.TempDir(), "before.briefboard"), workspace.ShareOptions{})
	f := newImportFlow(w, a, func() { t.Fatal("done called") })
	steps := make(chan error, 2)
	f.finished = func(step string, err error) { steps <- err }
	f.open(path)
	if err := wait(t, steps); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("bad file: %v", err)
	}
	if top := w.Canvas().Overlays().Top(); top == nil {
		t.Fatal("no error shown")
	}
	after, _ := a.ShareToFile(filepath.Join(t.TempDir(), "after.briefboard"), workspace.ShareOptions{})
	if before.Clock != after.Clock || before.Counts["card"] != after.Counts["card"] {
		t.Fatal("a bad file changed the workspace")
	}
}

func TestConflictsView_ChoosePerField(t *testing.T) {
	w := shareWindow(t)
	a := shareStore(t, "a")
	b := colleagueCopy(t, a)
	snap, _ := a.Snapshot()
	cards := snap.BoardCards(snap.Boards[0].ID)
	titled, deleted := cards[0].ID, cards[1].ID
	setTitle(t, a, titled, "Title from A")
	setTitle(t, b, titled, "Title from B")
	if err := a.DeleteCard(deleted); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UpdateCard(deleted, "Edit card", func(c *workspace.Card) error { c.Body = "B kept at it"; return nil }); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.briefboard")
	b.ShareToFile(path, workspace.ShareOptions{})
	sf, _ := workspace.ReadShareFile(path, nil)
	if _, err := a.Import(sf); err != nil {
		t.Fatal(err)
	}
	calls := 0
	v := newConflictsView(w, a, func() { calls++ })
	if err := v.refresh(); err != nil {
		t.Fatal(err)
	}
	v.dlg.Show()
	if len(v.rows) != 2 {
		t.Fatalf("%d conflict rows", len(v.rows))
	}
	for _, row := range v.rows {
		if !strings.Contains(row.choices.Options[0], "(shown)") {
			t.Fatalf("first value not marked shown: %v", row.choices.Options)
		}
	}
	// Keep A's title, whichever shows now.
	row := rowFor(t, v, titled, "title")
	pick := ""
	for _, o := range row.choices.Options {
		if strings.HasPrefix(o, "Title from A") {
			pick = o
		}
	}
	row.choices.SetSelected(pick)
	test.Tap(row.keep)
	if c := liveCardIn(t, a, titled); c == nil || c.Title != "Title from A" || len(c.Conflicts) != 0 {
		t.Fatalf("after keeping A's title: %+v", c)
	}
	// Keep the deletion.
	row = rowFor(t, v, deleted, "deleted")
	for _, o := range row.choices.Options {
		if strings.HasPrefix(o, "Delete it") {
			row.choices.SetSelected(o)
		}
	}
	test.Tap(row.keep)
	if liveCardIn(t, a, deleted) != nil {
		t.Fatal("the card is still there")
	}
	if calls != 2 || len(v.rows) != 0 || v.list.Objects[0] != v.empty {
		t.Fatalf("done called %d times; %d rows left", calls, len(v.rows))
	}
	// The choices travel: B ends with the same.
	a.ShareToFile(path, workspace.ShareOptions{})
	sf, _ = workspace.ReadShareFile(path, nil)
	if _, err := b.Import(sf); err != nil {
		t.Fatal(err)
	}
	if c := liveCardIn(t, b, titled); c.Title != "Title from A" || liveCardIn(t, b, deleted) != nil {
		t.Fatal("the choices did not travel")
	}
}

func rowFor(t *testing.T, v *conflictsView, id, field string) *conflictRow {
	t.Helper()
	for _, r := range v.rows {
		if r.rec.ID == id && r.field == field {
			return r
		}
	}
	t.Fatalf("no row for %s %s", id, field)
	return nil
}

func liveCardIn(t *testing.T, s *workspace.Store, id string) *workspace.Card {
	t.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return snap.Cards[id]
}

func TestOpenShareFile_MakesANewWorkspace(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	w := shareWindow(t)
	a := shareStore(t, "a")
	path := filepath.Join(t.TempDir(), "talks.briefboard")
	if _, err := a.ShareToFile(path, workspace.ShareOptions{Passphrase: []byte("pw")}); err != nil {
		t.Fatal(err)
	}
	opened := make(chan string, 1)
	finished := make(chan error, 1)
	openShareFile(w, path, func(dir string) { opened <- dir }, func(err error) { finished <- err })
	test.Type(lastPrompt.entry, "pw")
	lastPrompt.dlg.Submit()
	if err := wait(t, finished); err != nil {
		t.Fatal(err)
	}
	dir := wait(t, opened)
	data, _ := appdata.DataDir()
	if !strings.HasPrefix(dir, filepath.Join(data, "workspaces")) {
		t.Fatalf("new workspace in %s", dir)
	}
	s, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sa, _ := a.Snapshot()
	sb, _ := s.Snapshot()
	if sa.Meta.ID != sb.Meta.ID || s.Replica() == a.Replica() || len(sa.Cards) != len(sb.Cards) {
		t.Fatal("the new workspace is not a copy with its own replica")
	}
	// Opening it again makes another directory, never overwrites.
	openShareFile(w, path, func(d string) { opened <- d }, func(err error) { finished <- err })
	test.Type(lastPrompt.entry, "pw")
	lastPrompt.dlg.Submit()
	wait(t, finished)
	if d2 := wait(t, opened); d2 == dir {
		t.Fatal("the second copy went into the first one's directory")
	}
}

func TestConflictValueText(t *testing.T) {
	snap := &workspace.Snapshot{Meta: workspace.Meta{Parties: []workspace.Party{{ID: "us", Name: "United States"}}}}
	for _, c := range []struct {
		field, raw, want string
	}{
		{"title", `"Ceasefire"`, "Ceasefire"},
		{"body", `null`, "(empty)"},
		{"deleted", `true`, "Delete it"},
		{"deleted", `null`, "Keep it"},
		{"tlp", `"amber"`, "TLP:AMBER"},
		{"tags", `["a","b"]`, "a, b"},
		{"positions.us", `{"stance":"opposes","note":"not now"}`, "opposes: not now"},
	} {
		if got := conflictValueText(snap, c.field, json.RawMessage(c.raw)); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.field, c.raw, got, c.want)
		}
	}
	if got := conflictFieldLabel(snap, "positions.us"); got != "Position of United States" {
		t.Errorf("label %q", got)
	}
}

// A file that would carry AMBER or stricter is encrypted by default, and
// writing it plain is asked about first; a GREEN file is not.
func TestShareDialog_EncryptsAmberByDefaultAndAsksBeforePlain(t *testing.T) {
	w := shareWindow(t)
	withDocumentsFolder(t)
	s := shareStore(t, "ws")
	d, err := newShareDialog(w, s)
	if err != nil {
		t.Fatal(err)
	}
	d.dlg.Show()
	if got := snapOf(t, s).MaxTLP(); got != workspace.TLPRed {
		t.Fatalf("the demo's strictest marking is %s; the test needs RED", got)
	}
	checks := []struct {
		cap     string
		encrypt bool
	}{{shareNoCap, true}, {"TLP:GREEN", false}, {"TLP:AMBER", true}, {"TLP:CLEAR", false}, {"TLP:AMBER+STRICT", true}}
	for _, c := range checks {
		d.tlp.SetSelected(c.cap)
		if d.encrypt.Checked != c.encrypt {
			t.Errorf("cap %s: encrypt %v, want %v", c.cap, d.encrypt.Checked, c.encrypt)
		}
	}
	done := make(chan error, 1)
	d.done = func(_ *workspace.Manifest, err error) { done <- err }
	dir := t.TempDir()

	// Encrypt on without a passphrase: refused, nothing written.
	d.tlp.SetSelected("TLP:AMBER")
	d.path.SetText(filepath.Join(dir, "amber"))
	test.Tap(d.shareBtn)
	if _, err := os.Stat(filepath.Join(dir, "amber.briefboard")); err == nil || w.Canvas().Overlays().Top() == nil {
		t.Fatal("encryption without a passphrase wrote a file or said nothing")
	}

	// Untick Encrypt: the analyst's choice holds when the cap changes, and
	// Share asks first. Cancel writes nothing.
	d.encrypt.SetChecked(false)
	d.tlp.SetSelected(shareNoCap)
	d.tlp.SetSelected("TLP:AMBER")
	if d.encrypt.Checked {
		t.Fatal("changing the cap overrode the analyst's choice")
	}
	test.Tap(d.shareBtn)
	if d.askPlain == nil || d.shareBtn.Disabled() {
		t.Fatal("an unencrypted AMBER file was not asked about")
	}
	d.askPlain.Dismiss()
	if _, err := os.Stat(filepath.Join(dir, "amber.briefboard")); err == nil {
		t.Fatal("Cancel wrote the file")
	}
	// Confirm writes it, plain, marked AMBER.
	test.Tap(d.shareBtn)
	d.askPlain.Confirm()
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	sf, err := workspace.ReadShareFile(filepath.Join(dir, "amber.briefboard"), nil)
	if err != nil || sf.Encrypted || sf.Manifest.TLP != workspace.TLPAmber {
		t.Fatalf("plain AMBER file: %v", err)
	}

	// A GREEN file goes out plain without a question.
	d.tlp.SetSelected("TLP:GREEN")
	d.path.SetText(filepath.Join(dir, "green"))
	test.Tap(d.shareBtn)
	if d.askPlain != nil {
		t.Fatal("a GREEN file was asked about")
	}
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	if sf, err := workspace.ReadShareFile(filepath.Join(dir, "green.briefboard"), nil); err != nil || sf.Manifest.TLP != workspace.TLPGreen {
		t.Fatalf("plain GREEN file: %v", err)
	}
}
