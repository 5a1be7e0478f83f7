package workspace_test

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
)

// The marking rule of DESIGN.md 4a through merges, undo and outputs. Each
// test that finds a text absent from a capped output first finds it in the
// uncapped one (the positive control), and finds a GREEN card of the same
// workspace in the capped one, so an empty output cannot pass.

// twoCopies returns the demo workspace and a colleague's copy of it, each
// signed by its analyst.
func twoCopies(t *testing.T) (a, b *workspace.Store) {
	t.Helper()
	a = mustOpenStore(t)
	if err := a.SetProfile(workspace.Profile{Name: "Ana"}); err != nil {
		t.Fatal(err)
	}
	b = copyOf(t, a, workspace.Options{})
	if err := b.SetProfile(workspace.Profile{Name: "Bohdan"}); err != nil {
		t.Fatal(err)
	}
	return a, b
}

func setMarking(t *testing.T, s *workspace.Store, r workspace.Record, level workspace.TLP) {
	t.Helper()
	if err := s.SetMarking(workspace.KeyOf(r), level); err != nil {
		t.Fatalf("set marking: %v", err)
	}
}

func marking(t *testing.T, s *workspace.Store, id string) workspace.Marking {
	t.Helper()
	snap := mustSnapshot(t, s)
	c := snap.Cards[id]
	if c == nil {
		t.Fatalf("card %s is not live", id)
	}
	return snap.ExplainMarking(c)
}

// outputs is every capped output the workspace package makes, as text: the
// share file's records and manifest, and the capped snapshot's cards,
// sources and annotations.
func outputs(t *testing.T, s *workspace.Store, cap *workspace.TLP) string {
	t.Helper()
	file := shareBytes(t, s, workspace.ShareOptions{MaxTLP: cap})
	var b strings.Builder
	b.Write(unzipEntry(t, file, "manifest.json"))
	b.Write(unzipEntry(t, file, "records.jsonl"))
	snap, err := mustSnapshot(t, s).Capped(cap)
	if err != nil {
		t.Fatalf("capped snapshot: %v", err)
	}
	for _, c := range snap.Cards {
		b.WriteString(c.Title + "\n" + c.Body + "\n")
		for _, ci := range c.Citations {
			b.WriteString(ci.Quote + "\n")
		}
		for _, a := range snap.Annotations[c.ID] {
			b.WriteString(a.Text + "\n")
		}
	}
	for _, src := range snap.Sources {
		b.WriteString(src.Title + "\n" + src.Notes + "\n")
	}
	for _, bd := range snap.Boards {
		b.WriteString(bd.Title + "\n" + bd.Purpose + "\n")
	}
	return b.String()
}

// assertWithheld checks that secret is in every uncapped output and in no
// GREEN one, and that a GREEN card's title is in the GREEN ones.
func assertWithheld(t *testing.T, s *workspace.Store, secret string) {
	t.Helper()
	if !strings.Contains(outputs(t, s, nil), secret) {
		t.Fatalf("positive control: the uncapped outputs lack %q", secret)
	}
	green := workspace.TLPGreen
	capped := outputs(t, s, &green)
	if strings.Contains(capped, secret) {
		t.Errorf("a GREEN output holds %q", secret)
	}
	control := greenControl(t, s)
	if !strings.Contains(capped, control) {
		t.Errorf("the GREEN outputs lack the GREEN card %q: nothing was output", control)
	}
}

// greenControl is the title of a card that is GREEN by every rule.
func greenControl(t *testing.T, s *workspace.Store) string {
	t.Helper()
	snap := mustSnapshot(t, s)
	for _, b := range snap.Boards {
		for _, c := range snap.BoardCards(b.ID) {
			if snap.Marking(c) == workspace.TLPGreen {
				return c.Title
			}
		}
	}
	t.Fatal("no GREEN card in the workspace")
	return ""
}

func TestMarking_ConcurrentLoweringLoses(t *testing.T) {
	a, b := twoCopies(t)
	card := firstCard(t, a, workspace.TLPGreen)
	const secret = "SECRET-ONE the negotiators' fallback line"
	editCard(t, a, card.ID, func(c *workspace.Card) { c.Body = secret })
	setMarking(t, a, card, workspace.TLPRed)
	setMarking(t, b, card, workspace.TLPClear)
	mustImport(t, b, shareBytes(t, a, workspace.ShareOptions{}))

	m := marking(t, b, card.ID)
	if m.TLP != workspace.TLPRed {
		t.Fatalf("the card is %s after a concurrent raise and lowering; want RED (%+v)", m.TLP, m)
	}
	if c := liveCard(t, b, card.ID); conflictOf(c, "tlp") == nil {
		t.Fatalf("no marking conflict listed: %+v", c.Conflicts)
	}
	assertWithheld(t, b, secret)
}

func TestMarking_LoweringCoversOnlyWhatItSaw(t *testing.T) {
	a, b := twoCopies(t)
	card := firstCard(t, a, workspace.TLPRed)
	const secret = "SECRET-TWO written while the card was RED"
	setMarking(t, a, card, workspace.TLPGreen)
	editCard(t, b, card.ID, func(c *workspace.Card) { c.Body = secret })
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))

	m := marking(t, a, card.ID)
	if m.TLP != workspace.TLPRed {
		t.Fatalf("a lowering released a write it never saw: the card is %s (%+v)", m.TLP, m)
	}
	held := m.Conflicts()
	if len(held) != 1 || held[0].Author != "Bohdan" || held[0].TLP != workspace.TLPRed || !contains(held[0].Fields, "body") {
		t.Fatalf("marking conflict %+v; want Bohdan's body write under RED", held)
	}
	if !strings.Contains(m.Reason(), "Bohdan") {
		t.Errorf("the reason does not name the write: %q", m.Reason())
	}
	assertWithheld(t, a, secret)

	// Setting the marking again, to the value it has, releases what A has
	// now seen...
	setMarking(t, a, card, workspace.TLPGreen)
	if m := marking(t, a, card.ID); m.TLP != workspace.TLPGreen || len(m.Conflicts()) != 0 {
		t.Fatalf("after setting GREEN again: %+v", m)
	}
	green := workspace.TLPGreen
	if !strings.Contains(outputs(t, a, &green), secret) {
		t.Fatal("the released body is not in the GREEN outputs")
	}
	// ...and only that: B's next write under RED is held again.
	const later = "SECRET-TWO-B a later RED write"
	editCard(t, b, card.ID, func(c *workspace.Card) { c.Title = later })
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))
	if m := marking(t, a, card.ID); m.TLP != workspace.TLPRed {
		t.Fatalf("a write made after the marking action was released: %+v", m)
	}
	assertWithheld(t, a, later)
}

func TestMarking_LosingSideOfConflictStaysHome(t *testing.T) {
	a, b := twoCopies(t)
	card := firstCard(t, a, workspace.TLPGreen)
	const secret = "SECRET-THREE title under RED"
	setMarking(t, b, card, workspace.TLPRed)
	editCard(t, b, card.ID, func(c *workspace.Card) { c.Title = secret })
	editCard(t, a, card.ID, func(c *workspace.Card) { c.Title = "A's public title" })
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))
	if c := liveCard(t, a, card.ID); conflictOf(c, "title") == nil {
		t.Fatalf("no title conflict: %+v", c.Conflicts)
	}
	assertWithheld(t, a, secret)
	// The stamps travel with the record or not at all: B's author name is
	// nowhere in a GREEN file of A's but for records B wrote under GREEN.
	green := workspace.TLPGreen
	sf := mustRead(t, shareBytes(t, a, workspace.ShareOptions{MaxTLP: &green}), nil)
	for _, r := range sf.Records {
		if r.Key == workspace.KeyOf(card) {
			t.Fatalf("the card is in the GREEN file")
		}
	}
}

func TestMarking_QuoteOfCappedSourceTravelsNot(t *testing.T) {
	a := mustOpenStore(t)
	src, err := a.AddSource(workspace.Source{Title: "Closed readout", Grade: workspace.Grade{Reliability: "B", Credibility: 2},
		TLP: workspace.TLPRed, Notes: "SOURCE-NOTE read out in confidence"}, false)
	if err != nil {
		t.Fatal(err)
	}
	quoting := firstCard(t, a, workspace.TLPGreen)
	const quote = "VERBATIM-FOUR the words of the readout"
	editCard(t, a, quoting.ID, func(c *workspace.Card) {
		c.Citations = append(c.Citations, workspace.Citation{Source: src.ID, Quote: quote})
	})
	if m := marking(t, a, quoting.ID); m.TLP != workspace.TLPRed || m.Own != workspace.TLPGreen {
		t.Fatalf("a GREEN card quoting a RED source is %+v", m)
	}
	assertWithheld(t, a, quote)
	assertWithheld(t, a, "SOURCE-NOTE")

	// A citation without a quote shows none of the source's words: the
	// card stays GREEN and travels with the bare id.
	var citing *workspace.Card
	for _, c := range mustSnapshot(t, a).Cards {
		if c.TLP == workspace.TLPGreen && c.ID != quoting.ID {
			citing = c
			break
		}
	}
	editCard(t, a, citing.ID, func(c *workspace.Card) {
		c.Citations = append(c.Citations, workspace.Citation{Source: src.ID})
	})
	if m := marking(t, a, citing.ID); m.TLP != workspace.TLPGreen {
		t.Fatalf("a bare citation raised the card to %s", m.TLP)
	}
	green := workspace.TLPGreen
	if !strings.Contains(outputs(t, a, &green), citing.Title) {
		t.Fatal("the card citing without a quote is not in the GREEN outputs")
	}
}

func TestMarking_BoardsAndHeader(t *testing.T) {
	a := mustOpenStore(t)
	snap := mustSnapshot(t, a)
	board := snap.Boards[0]
	const purpose = "SECRET-SIX the board's purpose"
	if err := a.UpdateBoard(board.ID, func(b *workspace.Board) error { b.Purpose = purpose; return nil }); err != nil {
		t.Fatal(err)
	}
	setMarking(t, a, board, workspace.TLPRed)
	snap = mustSnapshot(t, a)
	for _, c := range snap.BoardCards(board.ID) {
		if snap.Marking(c) != workspace.TLPRed {
			t.Fatalf("card %q on a RED board is %s", c.Title, snap.Marking(c))
		}
	}
	for _, l := range snap.Lanes[board.ID] {
		if snap.Marking(l) != workspace.TLPRed {
			t.Fatalf("lane %q of a RED board is %s", l.Name, snap.Marking(l))
		}
	}
	assertWithheld(t, a, purpose)
	assertWithheld(t, a, board.Title)

	// Lowering the board releases the cards whose marking came from it,
	// in the same action.
	before := len(mustLog(t, a))
	setMarking(t, a, board, workspace.TLPGreen)
	if n := len(mustLog(t, a)); n != before+1 {
		t.Fatalf("lowering the board took %d actions", n-before)
	}
	snap = mustSnapshot(t, a)
	for _, c := range snap.BoardCards(board.ID) {
		if want := max(c.TLP, workspace.TLPGreen); snap.Marking(c) != want {
			t.Errorf("card %q (own %s) is %s after the board was lowered to GREEN", c.Title, c.TLP, snap.Marking(c))
		}
	}

	// The header: an output capped below it is refused.
	setMarking(t, a, &snap.Meta, workspace.TLPAmber)
	green := workspace.TLPGreen
	if _, err := mustSnapshot(t, a).Capped(&green); !errors.Is(err, workspace.ErrAboveCap) {
		t.Fatalf("capped below the header: %v", err)
	}
	if _, err := a.Share(&strings.Builder{}, workspace.ShareOptions{MaxTLP: &green}); !errors.Is(err, workspace.ErrAboveCap) {
		t.Fatalf("share capped below the header: %v", err)
	}
	amber := workspace.TLPAmber
	if _, err := mustSnapshot(t, a).Capped(&amber); err != nil {
		t.Fatalf("capped at the header's marking: %v", err)
	}
}

func TestMarking_MoveAndQuoteRemovalReleaseNothing(t *testing.T) {
	a := mustOpenStore(t)
	snap := mustSnapshot(t, a)
	red, green := snap.Boards[0], snap.Boards[1]
	setMarking(t, a, red, workspace.TLPRed)
	var card *workspace.Card
	for _, c := range mustSnapshot(t, a).BoardCards(red.ID) {
		if c.TLP == workspace.TLPGreen {
			card = c
			break
		}
	}
	if card == nil {
		t.Fatal("no GREEN card on the first board")
	}
	const secret = "SECRET-MOVE written on the RED board"
	editCard(t, a, card.ID, func(c *workspace.Card) { c.Body = secret })
	if err := a.MoveCard(card.ID, workspace.Move{Board: green.ID}); err != nil {
		t.Fatal(err)
	}
	m := marking(t, a, card.ID)
	if m.TLP != workspace.TLPRed || len(m.Conflicts()) == 0 {
		t.Fatalf("moving the card off the RED board released it: %+v", m)
	}
	assertWithheld(t, a, secret)

	// A quote removed: what was written while the card quoted a RED source
	// stays RED, the list of citations left by the removal too (it was
	// written, with any quote in it, while the card was RED), until the
	// analyst sets the card's marking again.
	src, err := a.AddSource(workspace.Source{Title: "Red source", TLP: workspace.TLPRed}, false)
	if err != nil {
		t.Fatal(err)
	}
	var quiet, busy *workspace.Card
	snap = mustSnapshot(t, a)
	for _, c := range snap.Cards {
		if c.ID != card.ID && snap.Marking(c) == workspace.TLPGreen {
			if quiet == nil {
				quiet = c
			} else if busy == nil {
				busy = c
			}
		}
	}
	if busy == nil {
		t.Fatal("the demo has fewer than two GREEN cards off the RED board")
	}
	for _, c := range []*workspace.Card{quiet, busy} {
		editCard(t, a, c.ID, func(x *workspace.Card) {
			x.Citations = append(x.Citations, workspace.Citation{Source: src.ID, Quote: "quoted words"})
		})
	}
	const secret2 = "SECRET-QUOTE written while quoting"
	editCard(t, a, busy.ID, func(x *workspace.Card) { x.Body = secret2 })
	for _, c := range []*workspace.Card{quiet, busy} {
		editCard(t, a, c.ID, func(x *workspace.Card) { x.Citations = x.Citations[:len(x.Citations)-1] })
	}
	if m := marking(t, a, busy.ID); m.TLP != workspace.TLPRed {
		t.Fatalf("removing the quote released the body written under it: %+v", m)
	}
	if m := marking(t, a, quiet.ID); m.TLP != workspace.TLPRed || len(m.Conflicts()) == 0 {
		t.Fatalf("removing the quote released the citations written with it: %+v", m)
	}
	setMarking(t, a, quiet, workspace.TLPGreen)
	if m := marking(t, a, quiet.ID); m.TLP != workspace.TLPGreen {
		t.Fatalf("setting the marking again left the card at %+v", m)
	}
	assertWithheld(t, a, secret2)
}

func TestMarking_UndoRestoresWithItsMarking(t *testing.T) {
	a, b := twoCopies(t)
	card := firstCard(t, a, workspace.TLPRed)
	const secret = "SECRET-UNDO the RED-era body"
	editCard(t, a, card.ID, func(c *workspace.Card) { c.Body = secret })
	editCard(t, a, card.ID, func(c *workspace.Card) { c.Body = "A bland body" })
	mustImport(t, b, shareBytes(t, a, workspace.ShareOptions{}))
	setMarking(t, b, card, workspace.TLPGreen)
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))
	if m := marking(t, a, card.ID); m.TLP != workspace.TLPGreen {
		t.Fatalf("after B's lowering arrived: %+v", m)
	}
	editCard(t, a, card.ID, func(c *workspace.Card) { c.Body = "A newer body" })
	// Undo brings back the body the lowering saw; undo again (the import)
	// and redo; then step back to the RED-era body.
	if _, err := a.Undo(); err != nil {
		t.Fatal(err)
	}
	if c := liveCard(t, a, card.ID); c.Body != "A bland body" {
		t.Fatalf("body %q", c.Body)
	}
	if m := marking(t, a, card.ID); m.TLP != workspace.TLPRed {
		t.Fatalf("an undo restored a value written under RED at %s", m.TLP)
	}
	for i := 0; i < 2; i++ {
		if _, err := a.Undo(); err != nil {
			t.Fatal(err)
		}
	}
	if c := liveCard(t, a, card.ID); c.Body != secret {
		t.Fatalf("body %q after undoing to the RED-era edit", c.Body)
	}
	setMarking(t, a, card, workspace.TLPGreen) // releases what A sees now
	if _, err := a.Undo(); err != nil {        // undo that marking action
		t.Fatal(err)
	}
	if _, err := a.Redo(); err != nil { // and redo it
		t.Fatal(err)
	}
	green := workspace.TLPGreen
	if !strings.Contains(outputs(t, a, &green), secret) {
		t.Fatal("a marking action's redo did not release what it had released")
	}
	// An undo of a body edit after the marking action brings back text the
	// action had released, with its own marking: RED.
	editCard(t, a, card.ID, func(c *workspace.Card) { c.Body = "yet another body" })
	if _, err := a.Undo(); err != nil {
		t.Fatal(err)
	}
	if m := marking(t, a, card.ID); m.TLP != workspace.TLPRed {
		t.Fatalf("undo released a RED-era value: %+v", m)
	}
	assertWithheld(t, a, secret)
}

func mustLog(t *testing.T, s *workspace.Store) []workspace.Entry {
	t.Helper()
	log, err := s.Log(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return log
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The marking conflicts of a snapshot cover every kind of record: an ACH
// matrix's held write is listed beside a card's.
func TestMarking_ConflictsListEveryKind(t *testing.T) {
	a := mustOpenStore(t)
	card := firstCard(t, a, workspace.TLPGreen)
	snap := mustSnapshot(t, a)
	if len(snap.Matrices) == 0 {
		t.Fatal("the demo has no ACH matrix")
	}
	matrix := snap.Matrices[0]
	for _, r := range []workspace.Record{card, matrix} {
		setMarking(t, a, r, workspace.TLPRed)
	}
	b := copyOf(t, a, workspace.Options{})
	if err := b.SetProfile(workspace.Profile{Name: "Bohdan"}); err != nil {
		t.Fatal(err)
	}
	// A lowers both; B, meanwhile, edits both while they are RED.
	for _, r := range []workspace.Record{card, matrix} {
		setMarking(t, a, r, workspace.TLPGreen)
	}
	editCard(t, b, card.ID, func(c *workspace.Card) { c.Body = "written under RED" })
	if err := b.UpdateACHMatrix(matrix.ID, "Edit conclusion", func(m *workspace.ACHMatrix) error {
		m.Conclusion = "concluded under RED"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := mustSnapshot(t, a).MarkingConflicts(); len(got) != 0 {
		t.Fatalf("marking conflicts before the import: %v", got)
	}
	mustImport(t, a, shareBytes(t, b, workspace.ShareOptions{}))
	var keys []string
	for _, r := range mustSnapshot(t, a).MarkingConflicts() {
		keys = append(keys, workspace.KeyOf(r))
	}
	want := []string{workspace.KeyOf(card), workspace.KeyOf(matrix)}
	sort.Strings(keys)
	sort.Strings(want)
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Fatalf("marking conflicts %v, want the card and the matrix %v", keys, want)
	}
}
