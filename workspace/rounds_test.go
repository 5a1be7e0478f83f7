package workspace_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// changeKeys writes a comparison's changes as sortable lines.
func changeKeys(ch *workspace.Changes) []string {
	var out []string
	for _, c := range ch.List {
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s→%s", c.Change, c.Title, c.Field, c.Party, c.From, c.To))
	}
	sort.Strings(out)
	return out
}

func cardNamed(tb testing.TB, snap *workspace.Snapshot, title string) *workspace.Card {
	tb.Helper()
	for _, c := range snap.Cards {
		if c.Title == title {
			return c
		}
	}
	tb.Fatalf("no card %q", title)
	return nil
}

func record(tb testing.TB, s *workspace.Store, spec workspace.BriefSpec) *workspace.RecordedBrief {
	tb.Helper()
	rb, err := mustSnapshot(tb, s).NewBrief(spec)
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.RecordBrief(rb); err != nil {
		tb.Fatal(err)
	}
	return rb
}

func changesSince(tb testing.TB, s *workspace.Store, rb *workspace.RecordedBrief, cap *workspace.TLP) *workspace.Changes {
	tb.Helper()
	ch, err := mustSnapshot(tb, s).ChangesSince(workspace.BriefBaseline(rb), rb.Spec(cap))
	if err != nil {
		tb.Fatal(err)
	}
	return ch
}

func tlp(t workspace.TLP) *workspace.TLP { return &t }

func TestDemo_FollowsTheBriefBeforeTheFloridaRound(t *testing.T) {
	s := mustOpenStore(t)
	snap := mustSnapshot(t, s)
	if len(snap.Briefs) != 2 {
		t.Fatalf("the demo has %d recorded briefs, want 2", len(snap.Briefs))
	}
	// The brief of 15 December, as issued uncapped and at GREEN: the next
	// brief at either follows it, so the export dialog's GREEN default
	// tells what changed too.
	rb, green := snap.Briefs[1], snap.Briefs[0]
	if rb.Cap != nil || rb.Date != "2025-12-15" || snap.Marking(rb) != workspace.TLPClear || len(rb.Boards) != 4 || rb.Chosen {
		t.Fatalf("the demo's brief: cap %v, date %s, marking %s, %d boards", rb.Cap, rb.Date, snap.Marking(rb), len(rb.Boards))
	}
	if green.Cap == nil || *green.Cap != workspace.TLPGreen || green.Date != rb.Date || snap.Marking(green) != workspace.TLPGreen ||
		len(green.Cards) != len(rb.Cards) {
		t.Fatalf("the demo's GREEN brief: cap %v, date %s, marking %s, %d cards", green.Cap, green.Date, snap.Marking(green), len(green.Cards))
	}
	if snap.LastBrief(nil) != rb || snap.LastBrief(tlp(workspace.TLPGreen)) != green || snap.LastBrief(tlp(workspace.TLPAmber)) != nil {
		t.Error("the next uncapped brief should follow the demo's uncapped brief, a GREEN one its GREEN brief, and an AMBER one none")
	}
	capped, err := snap.Capped(tlp(workspace.TLPGreen))
	if err != nil {
		t.Fatal(err)
	}
	added := 0
	for _, c := range changesSince(t, s, green, tlp(workspace.TLPGreen)).List {
		if c.Change == workspace.ChangeAdded {
			added++
		}
	}
	if added != len(capped.Cards)-3 || len(capped.Cards) == len(snap.Cards) {
		t.Errorf("at GREEN, %d cards added since the GREEN brief; the GREEN workspace holds %d (all: %d)", added, len(capped.Cards), len(snap.Cards))
	}
	var titles []string
	for _, c := range rb.Cards {
		titles = append(titles, c.Title)
	}
	want := []string{"Existing 20-point peace blueprint", "Full-scale invasion began in February 2022",
		"Anchorage summit (August 2025) is Moscow's stated baseline"}
	if !reflect.DeepEqual(titles, want) {
		t.Errorf("the demo's brief showed %q, want %q", titles, want)
	}
	if ctx := boardNamed(t, snap, "Context"); !ctx.IsBackground() {
		t.Error("the demo's Context board is not background")
	}
	for _, b := range snap.Boards {
		if b.Title != "Context" && b.IsBackground() {
			t.Errorf("pillar %q is background", b.Title)
		}
	}

	ch := changesSince(t, s, rb, nil)
	count := map[workspace.ChangeKind]int{}
	for _, c := range ch.List {
		count[c.Change]++
		if c.Change != workspace.ChangeAdded && c.Title != "20-point blueprint developed further; text not yet settled" {
			t.Errorf("unexpected change %+v", c)
		}
	}
	if want := (map[workspace.ChangeKind]int{workspace.ChangeAdded: len(snap.Cards) - 3, workspace.ChangePosition: 4,
		workspace.ChangeEdited: 2}); !reflect.DeepEqual(count, want) {
		t.Errorf("changes since the demo's brief: %v, want %v", count, want)
	}
}

func TestStore_RecordBrief_IsOneUndoableAction(t *testing.T) {
	s := mustOpenStore(t)
	rb := record(t, s, workspace.BriefSpec{Date: time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), By: "A. Analyst"})
	snap := mustSnapshot(t, s)
	if got := snap.LastBrief(nil); got == nil || got.ID != rb.ID || got.By != "A. Analyst" || got.Date != "2025-12-29" {
		t.Fatalf("the recorded brief is not the last one: %+v", got)
	}
	if len(got(snap).Cards) != len(snap.Cards) {
		t.Errorf("the digest holds %d cards of %d", len(got(snap).Cards), len(snap.Cards))
	}
	log, _ := s.Log(time.Time{})
	if last := log[len(log)-1]; last.Action != "Record brief of 2025-12-29" || len(last.Changes) != 1 {
		t.Errorf("recording made the action %q with %d changes", last.Action, len(last.Changes))
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if snap := mustSnapshot(t, s); snap.Brief(rb.ID) != nil || snap.LastBrief(nil).Date != "2025-12-15" {
		t.Fatal("undo left the recorded brief")
	}
	if _, err := s.Redo(); err != nil {
		t.Fatal(err)
	}
	if mustSnapshot(t, s).Brief(rb.ID) == nil {
		t.Fatal("redo did not bring the recorded brief back")
	}
	if err := s.DeleteBrief(rb.ID); err != nil {
		t.Fatal(err)
	}
	if snap := mustSnapshot(t, s); snap.Brief(rb.ID) != nil || snap.LastBrief(nil).Date != "2025-12-15" {
		t.Fatal("a deleted brief is still the last one")
	}
	if err := s.DeleteBrief(rb.ID); !errors.Is(err, workspace.ErrNotFound) {
		t.Errorf("deleting it again: %v", err)
	}
	if err := s.DeleteBrief("nosuchbrief"); !errors.Is(err, workspace.ErrNotFound) {
		t.Errorf("deleting no brief: %v", err)
	}
	if _, err := s.Undo(); err != nil || mustSnapshot(t, s).Brief(rb.ID) == nil {
		t.Errorf("undoing the deletion: %v", err)
	}
}

func got(snap *workspace.Snapshot) *workspace.RecordedBrief { return snap.LastBrief(nil) }

// secondRound plays a scripted round after a brief: a card moved to
// Agreed, a stance change, a revised likelihood, a new card, a deleted
// card, a card raised above GREEN and retitled, a card above GREEN
// edited.
func secondRound(tb testing.TB, s *workspace.Store) {
	tb.Helper()
	snap := mustSnapshot(tb, s)
	peace := boardNamed(tb, snap, "20-point peace blueprint")
	notReady := cardNamed(tb, snap, "Zelenskyy: some things neither side is ready for")
	if err := s.MoveCard(notReady.ID, workspace.Move{Lane: "Agreed"}); err != nil {
		tb.Fatal(err)
	}
	edit := func(title string, fn func(c *workspace.Card)) {
		tb.Helper()
		if _, err := s.UpdateCard(cardNamed(tb, snap, title).ID, "Edit card", func(c *workspace.Card) error { fn(c); return nil }); err != nil {
			tb.Fatal(err)
		}
	}
	edit("20-point blueprint developed further; text not yet settled", func(c *workspace.Card) {
		c.Positions["ru"] = workspace.Position{Stance: workspace.StanceOpposes, Note: "Rejects the revisions."}
	})
	edit("Moscow unlikely to accept the Florida revisions as drafted", func(c *workspace.Card) {
		c.Likelihood = workspace.LikelihoodVeryUnlikely
	})
	if _, err := s.AddCard(workspace.CardDraft{Board: peace.ID, Title: "Moscow answers through Dmitriev", TLP: tlp(workspace.TLPClear)}); err != nil {
		tb.Fatal(err)
	}
	if err := s.DeleteCard(cardNamed(tb, snap, "Entrenched positions could stall the process").ID); err != nil {
		tb.Fatal(err)
	}
	raised := cardNamed(tb, snap, "How will the blueprint treat territorial concessions?")
	edit(raised.Title, func(c *workspace.Card) { c.Title = "SECRET-NEW territorial concessions title" })
	if err := s.SetMarking(workspace.KeyOf(raised), workspace.TLPAmber); err != nil {
		tb.Fatal(err)
	}
	edit("Chokepoint: Washington as gatekeeper of Russian objections", func(c *workspace.Card) {
		c.Body += " SECRET-EDIT"
		c.Confidence = workspace.ConfidenceHigh
	})
}

func TestChanges_SecondRound(t *testing.T) {
	s, _ := mustCreate(t, "three-pillars", workspace.Options{Now: fixedClock()})
	green := tlp(workspace.TLPGreen)
	full := record(t, s, workspace.BriefSpec{Date: time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)})
	capped := record(t, s, workspace.BriefSpec{Date: time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), Cap: green})
	secondRound(t, s)

	common := []string{
		"moved|Zelenskyy: some things neither side is ready for|lane||Bracketed→Agreed",
		"position|20-point blueprint developed further; text not yet settled|stance|ru|undecided→opposes",
		"judgment|Moscow unlikely to accept the Florida revisions as drafted|likelihood||unlikely→very-unlikely",
		"added|Moscow answers through Dmitriev|||→20-point peace blueprint",
		"removed|Entrenched positions could stall the process|||20-point peace blueprint→",
	}
	sort.Strings(common)
	// At GREEN the raised card is removed under its old title, and the
	// RED card's edits are not mentioned.
	gotGreen := changeKeys(changesSince(t, s, capped, green))
	wantGreen := append(append([]string(nil), common...),
		"removed|How will the blueprint treat territorial concessions?|||20-point peace blueprint→")
	sort.Strings(wantGreen)
	if !reflect.DeepEqual(gotGreen, wantGreen) {
		t.Errorf("changes at GREEN:\n%s\nwant\n%s", strings.Join(gotGreen, "\n"), strings.Join(wantGreen, "\n"))
	}
	// Uncapped (the positive control), both show.
	gotFull := changeKeys(changesSince(t, s, full, nil))
	wantFull := append(append([]string(nil), common...),
		"edited|SECRET-NEW territorial concessions title|title||How will the blueprint treat territorial concessions?→SECRET-NEW territorial concessions title",
		"marking|SECRET-NEW territorial concessions title|tlp||green→amber",
		"edited|Chokepoint: Washington as gatekeeper of Russian objections|body||→",
		"judgment|Chokepoint: Washington as gatekeeper of Russian objections|confidence||moderate→high")
	sort.Strings(wantFull)
	if !reflect.DeepEqual(gotFull, wantFull) {
		t.Errorf("changes uncapped:\n%s\nwant\n%s", strings.Join(gotFull, "\n"), strings.Join(wantFull, "\n"))
	}
	// The uncapped brief at GREEN compares its cards at or below GREEN
	// only: the same as the GREEN brief.
	if got := changeKeys(changesSince(t, s, full, green)); !reflect.DeepEqual(got, wantGreen) {
		t.Errorf("the uncapped brief compared at GREEN:\n%s", strings.Join(got, "\n"))
	}
}

func TestChanges_SinceATime(t *testing.T) {
	s, _ := mustCreate(t, "three-pillars", workspace.Options{Now: fixedClock()})
	rb := record(t, s, workspace.BriefSpec{Date: time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)})
	at := mustSnapshot(t, s).LastBrief(nil).Recorded
	secondRound(t, s)
	snap := mustSnapshot(t, s)
	for _, cap := range []*workspace.TLP{nil, tlp(workspace.TLPGreen), tlp(workspace.TLPAmber)} {
		base, err := s.BaselineAt(at, workspace.BriefSpec{Cap: cap})
		if err != nil {
			t.Fatal(err)
		}
		byTime, err := snap.ChangesSince(base, workspace.BriefSpec{Cap: cap})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := changeKeys(byTime), changeKeys(changesSince(t, s, rb, cap)); !reflect.DeepEqual(got, want) {
			t.Errorf("cap %v: since the time of the brief:\n%s\nsince the brief:\n%s", cap, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	// The workspace as it was then is the workspace as the brief saw it.
	past, err := s.SnapshotAt(at)
	if err != nil {
		t.Fatal(err)
	}
	if c := cardNamed(t, past, "How will the blueprint treat territorial concessions?"); past.Marking(c) != workspace.TLPGreen {
		t.Errorf("the raised card was %s then", past.Marking(c))
	}
	if len(past.Cards) != len(snap.Cards) || past.Briefs[0].ID != rb.ID {
		t.Errorf("then: %d cards (now %d), last brief %s", len(past.Cards), len(snap.Cards), past.Briefs[0].ID)
	}
	if _, err := s.SnapshotAt(workspacetest.Start.Add(-time.Hour)); !errors.Is(err, workspace.ErrBeforeJournal) {
		t.Errorf("a time before the journal: %v", err)
	}
	if _, err := s.BaselineAt(time.Now().Add(24*time.Hour), workspace.BriefSpec{}); err == nil || !strings.Contains(err.Error(), "future") {
		t.Errorf("a time in the future: %v", err)
	}
}

func TestChanges_LastPicksByRecordingTimeAndCap(t *testing.T) {
	s := mustOpenStore(t)
	green := tlp(workspace.TLPGreen)
	// Recorded in this order, dated the other way round.
	a := record(t, s, workspace.BriefSpec{Date: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)})
	b := record(t, s, workspace.BriefSpec{Date: time.Date(2025, 12, 30, 0, 0, 0, 0, time.UTC), Cap: green})
	c := record(t, s, workspace.BriefSpec{Date: time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)})
	snap := mustSnapshot(t, s)
	if snap.LastBrief(nil).ID != c.ID || snap.LastBrief(green).ID != b.ID || snap.LastBrief(tlp(workspace.TLPAmber)) != nil {
		t.Errorf("last: uncapped %s (want %s), GREEN %s (want %s)", snap.LastBrief(nil).ID, c.ID, snap.LastBrief(green).ID, b.ID)
	}
	if ids := []string{snap.Briefs[0].ID, snap.Briefs[1].ID, snap.Briefs[2].ID}; !reflect.DeepEqual(ids, []string{c.ID, b.ID, a.ID}) {
		t.Errorf("briefs are not newest first: %v", ids)
	}
}

func TestBrief_MarkingFloorsOnWhatItNames(t *testing.T) {
	s := mustOpenStore(t)
	green := tlp(workspace.TLPGreen)
	rb := record(t, s, workspace.BriefSpec{Date: time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), Cap: green})
	shared := func() []byte {
		var buf bytes.Buffer
		if _, err := s.Share(&buf, workspace.ShareOptions{MaxTLP: green}); err != nil {
			t.Fatal(err)
		}
		sf, err := workspace.ReadShare(&buf, nil)
		if err != nil {
			t.Fatal(err)
		}
		var ids []byte
		for _, r := range sf.Records {
			if r.RecordKind == workspace.RecBrief {
				ids = append(ids, r.Key...)
			}
		}
		return ids
	}
	snap := mustSnapshot(t, s)
	if m := snap.Marking(snap.Brief(rb.ID)); m != workspace.TLPGreen || !bytes.Contains(shared(), []byte(rb.ID)) {
		t.Fatalf("a GREEN brief is %s, or is not in a GREEN share file", m)
	}
	named := cardNamed(t, snap, "Who met in Florida")
	if err := s.SetMarking(workspace.KeyOf(named), workspace.TLPRed); err != nil {
		t.Fatal(err)
	}
	snap = mustSnapshot(t, s)
	if m := snap.Marking(snap.Brief(rb.ID)); m != workspace.TLPRed {
		t.Errorf("the brief naming a RED card is %s", m)
	}
	if bytes.Contains(shared(), []byte(rb.ID)) {
		t.Error("a GREEN share file carries a brief that names a RED card")
	}
	if c, _ := snap.Capped(green); c.Brief(rb.ID) != nil {
		t.Error("a GREEN output holds the brief")
	}
	// The next GREEN brief still follows it, and names the card removed
	// under the title its readers saw.
	if snap.LastBrief(green).ID != rb.ID {
		t.Error("the next GREEN brief does not follow it")
	}
	ch := changesSince(t, s, rb, green)
	if len(ch.List) != 1 || ch.List[0].Change != workspace.ChangeRemoved || ch.List[0].Title != "Who met in Florida" {
		t.Errorf("changes: %+v", ch.List)
	}
}

func TestBrief_Validate(t *testing.T) {
	snap := mustSnapshot(t, mustOpenStore(t))
	good, err := snap.NewBrief(workspace.BriefSpec{Date: time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), Cap: tlp(workspace.TLPAmber)})
	if err != nil {
		t.Fatal(err)
	}
	good.ID, good.Recorded = workspace.NewID(), time.Now()
	if err := good.Validate(); err != nil {
		t.Fatalf("a brief as made: %v", err)
	}
	for name, spoil := range map[string]func(rb *workspace.RecordedBrief){
		"marked below its cap":  func(rb *workspace.RecordedBrief) { rb.TLP = workspace.TLPGreen },
		"card above its cap":    func(rb *workspace.RecordedBrief) { rb.Cards[0].TLP = workspace.TLPRed },
		"bad date":              func(rb *workspace.RecordedBrief) { rb.Date = "29.12.2025" },
		"no recording time":     func(rb *workspace.RecordedBrief) { rb.Recorded = time.Time{} },
		"card twice":            func(rb *workspace.RecordedBrief) { rb.Cards = append(rb.Cards, rb.Cards[0]) },
		"unknown stance":        func(rb *workspace.RecordedBrief) { rb.Cards[0].Positions = map[string]workspace.Stance{"us": "maybe"} },
		"body that is no hash":  func(rb *workspace.RecordedBrief) { rb.Cards[0].Body = "the text itself" },
		"uncapped below a card": func(rb *workspace.RecordedBrief) { rb.Cap = nil; rb.TLP = workspace.TLPClear },
	} {
		rb := *good
		rb.Cards = append([]workspace.BriefCard(nil), good.Cards...)
		spoil(&rb)
		if err := rb.Validate(); !errors.Is(err, workspace.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBriefs_MergeTwoCopies(t *testing.T) {
	clock := fixedClock()
	a, _ := mustCreate(t, "three-pillars", workspace.Options{Now: clock})
	share := func(from *workspace.Store) *workspace.ShareFile {
		var buf bytes.Buffer
		if _, err := from.Share(&buf, workspace.ShareOptions{}); err != nil {
			t.Fatal(err)
		}
		sf, err := workspace.ReadShare(&buf, nil)
		if err != nil {
			t.Fatal(err)
		}
		return sf
	}
	b, _, err := workspace.CreateFromShare(filepath.Join(t.TempDir(), "b"), share(a), workspace.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	green := tlp(workspace.TLPGreen)
	day := time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)
	a1 := record(t, a, workspace.BriefSpec{Date: day, By: "Ana"})
	b1 := record(t, b, workspace.BriefSpec{Date: day, By: "Bo"})
	a2 := record(t, a, workspace.BriefSpec{Date: day.AddDate(0, 0, -3), Cap: green, By: "Ana"})
	for _, x := range []struct{ from, to *workspace.Store }{{a, b}, {b, a}, {a, b}} {
		if _, err := x.to.Import(share(x.from)); err != nil {
			t.Fatal(err)
		}
	}
	// Newest recording first: the three recorded here, then the demo's
	// two of 15 December.
	want := []string{a2.ID, b1.ID, a1.ID}
	for _, rb := range mustSnapshot(t, a).Briefs[3:] {
		want = append(want, rb.ID)
	}
	if len(want) != 5 {
		t.Fatalf("copy a holds %d briefs, want the demo's two and three more", len(want))
	}
	for name, s := range map[string]*workspace.Store{"a": a, "b": b} {
		snap := mustSnapshot(t, s)
		var ids []string
		for _, rb := range snap.Briefs {
			ids = append(ids, rb.ID)
		}
		if !reflect.DeepEqual(ids, want) {
			t.Errorf("copy %s holds briefs %v, want %v", name, ids, want)
		}
		if snap.LastBrief(nil).ID != b1.ID || snap.LastBrief(green).ID != a2.ID {
			t.Errorf("copy %s: last uncapped %s (want Bo's %s), last GREEN %s", name, snap.LastBrief(nil).By, b1.ID, snap.LastBrief(green).By)
		}
		if snap.Conflicts != 0 {
			t.Errorf("copy %s has %d conflicts", name, snap.Conflicts)
		}
	}
	// Importing the same file again changes nothing.
	before := len(mustSnapshot(t, b).Briefs)
	if _, err := b.Import(share(a)); err != nil || len(mustSnapshot(t, b).Briefs) != before {
		t.Errorf("a second import: %v", err)
	}
}
