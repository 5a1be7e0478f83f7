package workspace_test

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
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
)

// The property test runs random edit histories on three copies of one
// workspace and checks every state the real stores reach against a
// reference model: a plain record of every write with the full set of
// writes it had seen, merged by union. The model knows nothing of version
// vectors, Lamport clocks or stamps; it learns each write's identity from
// the store after the action, and says which writes of each field must
// survive (none that some other known write had seen, all others). The
// stores must agree with it field by field, keep the same winner on every
// copy, be idempotent and commutative on import, and converge once
// everyone has everyone's files.

var (
	mergeHistories = flag.Int("merge.histories", envInt("BRIEFBOARD_MERGE_HISTORIES", 100), "random edit histories in TestMerge_Property")
	mergeSteps     = flag.Int("merge.steps", envInt("BRIEFBOARD_MERGE_STEPS", 40), "steps per history")
	mergeSeed      = flag.Int64("merge.seed", int64(envInt("BRIEFBOARD_MERGE_SEED", 0)), "seed of TestMerge_Property (0: from the clock)")
	mergeHistory   = flag.Int64("merge.history", 0, "run only the history of this seed (as a failure names it)")
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// evID names one write: the record, the field ("*" for the creation of the
// record, which sets every field), and its replica and clock.
type evID struct {
	rec, field string
	rep        string
	clock      uint64
}

type mevent struct {
	id   evID
	val  string
	past map[evID]bool
}

type mrec struct {
	kind     workspace.RecordKind
	card     string // an annotation's card
	creation *mevent
	vals     map[string]string // field values at creation
	fields   map[string]map[evID]*mevent
}

func (r *mrec) clone() *mrec {
	c := &mrec{kind: r.kind, card: r.card, creation: r.creation, vals: r.vals, fields: map[string]map[evID]*mevent{}}
	for f, evs := range r.fields {
		c.fields[f] = map[evID]*mevent{}
		for k, e := range evs {
			c.fields[f][k] = e
		}
	}
	return c
}

// events lists the writes of a field this copy knows, creation included.
func (r *mrec) events(field string) []*mevent {
	out := []*mevent{r.creationAs(field)}
	for _, e := range r.fields[field] {
		out = append(out, e)
	}
	return out
}

func (r *mrec) creationAs(field string) *mevent {
	v, ok := r.vals[field]
	if !ok {
		v = "null"
	}
	return &mevent{id: r.creation.id, val: v, past: r.creation.past}
}

// allEvents lists every write of the record.
func (r *mrec) allEvents() []*mevent {
	out := []*mevent{r.creation}
	for _, evs := range r.fields {
		for _, e := range evs {
			out = append(out, e)
		}
	}
	return out
}

// maximal is the model's answer: the writes of a field that no other known
// write had seen.
func maximal(evs []*mevent) []*mevent {
	var out []*mevent
	for _, e := range evs {
		seen := false
		for _, o := range evs {
			if o.id != e.id && o.past[e.id] {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, e)
		}
	}
	return out
}

type mcopy struct {
	recs map[string]*mrec
}

func (m *mcopy) annotationsOf(card string) []*mrec {
	var out []*mrec
	for _, r := range m.recs {
		if r.kind == workspace.RecAnnotation && r.card == card {
			out = append(out, r)
		}
	}
	return out
}

// deletedState is the model's verdict on a record: deleted or not, and
// whether it is kept alive only because a deletion missed some write.
func (m *mcopy) deletedState(key string) (deleted, kept bool) {
	r := m.recs[key]
	var dels []*mevent
	for _, e := range maximal(r.events("deleted")) {
		if e.val != "true" {
			return false, false
		}
		dels = append(dels, e)
	}
	// A write is seen by a deletion that had it in its past or was made
	// in the same action (the same replica and clock).
	seenByAll := func(e *mevent) bool {
		for _, d := range dels {
			if d.past[e.id] || d.id.rep == e.id.rep && d.id.clock == e.id.clock {
				return true
			}
		}
		return false
	}
	var work []*mevent
	for f := range r.fields {
		if f != "deleted" {
			work = appendEvents(work, r.fields[f])
		}
	}
	work = append(work, r.creation)
	if r.kind == workspace.RecCard {
		for _, a := range m.annotationsOf(idOf(key)) {
			work = append(work, a.allEvents()...)
		}
	}
	for _, e := range work {
		if !seenByAll(e) {
			return false, true
		}
	}
	return true, false
}

func idOf(key string) string { return key[strings.LastIndexByte(key, '/')+1:] }

// helper so a map of events appends as a slice.
type evmap = map[evID]*mevent

func appendEvents(out []*mevent, m evmap) []*mevent {
	for _, e := range m {
		out = append(out, e)
	}
	return out
}

// realRecord is one record of a dump.
type realRecord struct {
	kind   workspace.RecordKind
	rec    workspace.Record
	vals   map[string]json.RawMessage
	stamps workspace.Stamps
}

func parseDump(tb testing.TB, d string) map[string]*realRecord {
	tb.Helper()
	out := map[string]*realRecord{}
	for _, line := range strings.Split(strings.TrimSpace(d), "\n") {
		var l struct {
			Kind   workspace.RecordKind `json:"kind"`
			Value  json.RawMessage      `json:"value"`
			Stamps json.RawMessage      `json:"stamps"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			tb.Fatal(err)
		}
		rec, err := workspace.DecodeRecord(l.Kind, l.Value)
		if err != nil {
			tb.Fatal(err)
		}
		vals, err := workspace.Fields(rec)
		if err != nil {
			tb.Fatal(err)
		}
		r := &realRecord{kind: l.Kind, rec: rec, vals: vals}
		if err := json.Unmarshal(l.Stamps, &r.stamps); err != nil {
			tb.Fatal(err)
		}
		out[workspace.KeyOf(rec)] = r
	}
	return out
}

func valOf(r *realRecord, field string) string {
	if v, ok := r.vals[field]; ok {
		return string(v)
	}
	return "null"
}

// learn records, in the model of a copy, the writes its last action made:
// every stamp the model does not know yet.
func (m *mcopy) learn(tb testing.TB, d map[string]*realRecord) { m.learnFrom(tb, d, false) }

// learnFrom with initial set takes a copy's starting state as known
// writes, whoever made them.
func (m *mcopy) learnFrom(tb testing.TB, d map[string]*realRecord, initial bool) {
	tb.Helper()
	type pending struct {
		key, field string
		e          *mevent
	}
	var fieldsFirst, deletes []pending
	for key, r := range d {
		mr := m.recs[key]
		if mr == nil {
			base := r.stamps.Base
			vals := map[string]string{}
			for f, v := range r.vals {
				vals[f] = string(v)
			}
			mr = &mrec{kind: r.kind, vals: vals, fields: map[string]map[evID]*mevent{},
				creation: &mevent{id: evID{rec: key, field: "*", rep: base.Replica, clock: base.Clock}, past: map[evID]bool{}}}
			if a, ok := r.rec.(*workspace.Annotation); ok {
				mr.card = a.Card
			}
			m.recs[key] = mr
			if !initial {
				for f, s := range r.stamps.Fields {
					if s.Replica != base.Replica || s.Clock != base.Clock {
						tb.Fatalf("new record %s has a field %s written apart from its creation", key, f)
					}
				}
				continue
			}
		}
		for f, s := range r.stamps.Fields {
			if s.Replica == "" {
				continue
			}
			id := evID{rec: key, field: f, rep: s.Replica, clock: s.Clock}
			if id.rep == mr.creation.id.rep && id.clock == mr.creation.id.clock {
				continue
			}
			if _, ok := mr.fields[f][id]; ok {
				continue
			}
			if len(s.Alt) > 0 {
				tb.Fatalf("a local write of %s %s left competing values", key, f)
			}
			p := pending{key: key, field: f, e: &mevent{id: id, val: valOf(r, f), past: map[evID]bool{}}}
			if f == "deleted" {
				deletes = append(deletes, p)
			} else {
				fieldsFirst = append(fieldsFirst, p)
			}
		}
	}
	// A write has seen every write of its field the copy knew; a
	// deletion every write of its record and, for a card, of its
	// annotations (including those of the same action).
	for _, p := range fieldsFirst {
		mr := m.recs[p.key]
		for _, e := range mr.events(p.field) {
			p.e.past[e.id] = true
			for k := range e.past {
				p.e.past[k] = true
			}
		}
	}
	for _, p := range fieldsFirst {
		mr := m.recs[p.key]
		if mr.fields[p.field] == nil {
			mr.fields[p.field] = map[evID]*mevent{}
		}
		mr.fields[p.field][p.e.id] = p.e
	}
	for _, p := range deletes {
		mr := m.recs[p.key]
		work := mr.allEvents()
		if mr.kind == workspace.RecCard {
			for _, a := range m.annotationsOf(idOf(p.key)) {
				work = append(work, a.allEvents()...)
			}
		}
		for _, e := range work {
			p.e.past[e.id] = true
			for k := range e.past {
				p.e.past[k] = true
			}
		}
	}
	for _, p := range deletes {
		mr := m.recs[p.key]
		if mr.fields["deleted"] == nil {
			mr.fields["deleted"] = map[evID]*mevent{}
		}
		mr.fields["deleted"][p.e.id] = p.e
	}
}

// receive merges the model of the records a file carried.
func (m *mcopy) receive(keys []string, from map[string]*mrec) {
	for _, k := range keys {
		src := from[k]
		mr := m.recs[k]
		if mr == nil {
			m.recs[k] = src.clone()
			continue
		}
		for f, evs := range src.fields {
			if mr.fields[f] == nil {
				mr.fields[f] = map[evID]*mevent{}
			}
			for id, e := range evs {
				mr.fields[f][id] = e
			}
		}
	}
}

func (m *mcopy) snapshot() map[string]*mrec {
	out := map[string]*mrec{}
	for k, r := range m.recs {
		out[k] = r.clone()
	}
	return out
}

// check compares a store's state with the model, field by field.
func (m *mcopy) check(tb testing.TB, name string, d map[string]*realRecord) {
	tb.Helper()
	if len(d) != len(m.recs) {
		tb.Fatalf("%s holds %d records; the model %d", name, len(d), len(m.recs))
	}
	for key, r := range d {
		mr := m.recs[key]
		if mr == nil {
			tb.Fatalf("%s holds %s, unknown to the model", name, key)
		}
		names := map[string]bool{"deleted": true}
		for f := range r.vals {
			names[f] = true
		}
		for f := range r.stamps.Fields {
			names[f] = true
		}
		for f := range mr.fields {
			names[f] = true
		}
		for f := range mr.vals {
			names[f] = true
		}
		for f := range names {
			want := map[string]string{}
			for _, e := range maximal(mr.events(f)) {
				want[fmt.Sprintf("%s@%d", e.id.rep, e.id.clock)] = e.val
			}
			got := map[string]string{}
			s := r.stamps.Of(f)
			if s.Replica != "" {
				got[fmt.Sprintf("%s@%d", s.Replica, s.Clock)] = valOf(r, f)
			}
			for _, a := range s.Alt {
				got[fmt.Sprintf("%s@%d", a.Replica, a.Clock)] = string(a.Value)
			}
			if !sameMap(want, got) {
				tb.Fatalf("%s: %s field %s: the store keeps %v; the model says %v", name, key, f, got, want)
			}
		}
		deleted, kept := m.deletedState(key)
		implied := r.stamps.Of("deleted").Replica == ""
		if isDeleted(r.rec) != deleted || implied != kept {
			tb.Fatalf("%s: %s deleted=%v (implied live value %v); the model says deleted=%v kept=%v",
				name, key, isDeleted(r.rec), implied, deleted, kept)
		}
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func isDeleted(rec any) bool {
	switch r := rec.(type) {
	case *workspace.Meta:
		return r.Deleted
	case *workspace.Board:
		return r.Deleted
	case *workspace.Lane:
		return r.Deleted
	case *workspace.Card:
		return r.Deleted
	case *workspace.Source:
		return r.Deleted
	case *workspace.Annotation:
		return r.Deleted
	}
	return false
}

// seedFile is a small workspace's share file, made once.
func seedFile(tb testing.TB) []byte {
	tb.Helper()
	s, _ := mustCreate(tb, "empty", workspace.Options{})
	snap := mustSnapshot(tb, s)
	src, err := s.AddSource(workspace.Source{Title: "Readout", Grade: workspace.Grade{Reliability: "B", Credibility: 2}}, true)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		b := snap.Boards[i%len(snap.Boards)]
		c, err := s.AddCard(workspace.CardDraft{Board: b.ID, Title: fmt.Sprintf("Card %d", i)})
		if err != nil {
			tb.Fatal(err)
		}
		if i == 0 {
			editCard(tb, s, c.ID, func(c *workspace.Card) {
				c.Citations = []workspace.Citation{{Source: src.ID, Quote: "as quoted"}}
			})
		}
	}
	return shareBytes(tb, s, workspace.ShareOptions{})
}

type colleague struct {
	name  string
	s     *workspace.Store
	model *mcopy
}

// history is one random run on three copies.
type history struct {
	tb    testing.TB
	rng   *rand.Rand
	cs    []*colleague
	steps []string
}

func (h *history) logf(format string, args ...any) {
	h.steps = append(h.steps, fmt.Sprintf(format, args...))
}

func (h *history) fatalf(format string, args ...any) {
	h.tb.Helper()
	h.tb.Fatalf("%s\nsteps:\n  %s", fmt.Sprintf(format, args...), strings.Join(h.steps, "\n  "))
}

func newHistory(tb testing.TB, rng *rand.Rand, seed []byte) *history {
	h := &history{tb: tb, rng: rng}
	sf := mustRead(tb, seed, nil)
	for i, name := range []string{"A", "B", "C"} {
		dir := filepath.Join(fastDir(tb), name)
		clock := time.Date(2025, 12, 28, 9, i, 0, 0, time.UTC)
		s, _, err := workspace.CreateFromShare(dir, sf, workspace.Options{Now: func() time.Time { clock = clock.Add(time.Second); return clock }})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { s.Close() })
		if err := s.SetProfile(workspace.Profile{Name: "Analyst " + name}); err != nil {
			tb.Fatal(err)
		}
		c := &colleague{name: name, s: s, model: &mcopy{recs: map[string]*mrec{}}}
		c.model.learnFrom(tb, parseDump(tb, dump(tb, s)), true)
		h.cs = append(h.cs, c)
	}
	return h
}

var titles = []string{"Ceasefire line", "Security guarantee", "Reconstruction fund", "Ceasefire line"}

// act does one random local action on a copy.
func (h *history) act(c *colleague) {
	h.tb.Helper()
	rng := h.rng
	snap := mustSnapshot(h.tb, c.s)
	var cards []*workspace.Card
	for _, b := range snap.Boards {
		cards = append(cards, snap.BoardCards(b.ID)...)
	}
	cards = append(cards, snap.Stray...)
	sort.Slice(cards, func(i, j int) bool { return cards[i].ID < cards[j].ID })
	pick := func() *workspace.Card { return cards[rng.Intn(len(cards))] }
	var err error
	op := rng.Intn(16)
	if len(cards) == 0 && op < 12 {
		op = 12
	}
	switch op {
	case 0, 1:
		card, t := pick(), titles[rng.Intn(len(titles))]
		h.logf("%s: title of %s = %q", c.name, card.ID[:6], t)
		_, err = c.s.UpdateCard(card.ID, "Edit card", func(x *workspace.Card) error { x.Title = t; return nil })
	case 2:
		card := pick()
		h.logf("%s: body of %s", c.name, card.ID[:6])
		_, err = c.s.UpdateCard(card.ID, "Edit card", func(x *workspace.Card) error { x.Body = "Body by " + c.name + strconv.Itoa(rng.Intn(3)); return nil })
	case 3:
		card, t := pick(), workspace.TLPLevels[rng.Intn(3)]
		h.logf("%s: tlp of %s = %s", c.name, card.ID[:6], t)
		_, err = c.s.UpdateCard(card.ID, "Edit card", func(x *workspace.Card) error { x.TLP = t; return nil })
	case 4:
		card, party := pick(), snap.Meta.Parties[rng.Intn(2)].ID
		st := workspace.Stances[rng.Intn(len(workspace.Stances))]
		h.logf("%s: position %s of %s = %s", c.name, party, card.ID[:6], st)
		_, err = c.s.UpdateCard(card.ID, "Edit card", func(x *workspace.Card) error {
			if x.Positions == nil {
				x.Positions = map[string]workspace.Position{}
			}
			x.Positions[party] = workspace.Position{Stance: st}
			return nil
		})
	case 5, 6:
		card := pick()
		b := snap.Boards[rng.Intn(len(snap.Boards))]
		lanes := snap.Lanes[b.ID]
		l := lanes[rng.Intn(len(lanes))]
		h.logf("%s: move %s to %s/%s", c.name, card.ID[:6], b.Title, l.Name)
		err = c.s.MoveCard(card.ID, workspace.Move{Board: b.ID, Lane: l.ID})
	case 7:
		card := pick()
		h.logf("%s: delete %s", c.name, card.ID[:6])
		err = c.s.DeleteCard(card.ID)
	case 8:
		card := pick()
		h.logf("%s: annotate %s", c.name, card.ID[:6])
		tlp := workspace.TLPLevels[rng.Intn(3)]
		_, err = c.s.AddAnnotation(card.ID, workspace.AnnComment, "Note by "+c.name, &tlp)
	case 9:
		card := pick()
		as := snap.Annotations[card.ID]
		if len(as) == 0 {
			return
		}
		a := as[rng.Intn(len(as))]
		switch rng.Intn(3) {
		case 0:
			h.logf("%s: resolve annotation %s", c.name, a.ID[:6])
			err = c.s.SetResolved(a.Card, a.ID, !a.Resolved)
		case 1:
			h.logf("%s: delete annotation %s", c.name, a.ID[:6])
			err = c.s.UpdateAnnotation(a.Card, a.ID, "Delete annotation", func(x *workspace.Annotation) error { x.Deleted = true; return nil })
		default:
			h.logf("%s: edit annotation %s", c.name, a.ID[:6])
			err = c.s.UpdateAnnotation(a.Card, a.ID, "Edit annotation", func(x *workspace.Annotation) error { x.Text = "Edited by " + c.name; return nil })
		}
	case 10:
		b := snap.Boards[rng.Intn(len(snap.Boards))]
		l := snap.Lanes[b.ID][rng.Intn(len(snap.Lanes[b.ID]))]
		h.logf("%s: rename lane %s", c.name, l.Name)
		err = c.s.RenameLane(l.ID, "Lane by "+c.name)
	case 11:
		h.logf("%s: undo", c.name)
		_, err = c.s.Undo()
		if errors.Is(err, workspace.ErrNothingToUndo) {
			err = nil
		}
	case 12:
		b := snap.Boards[rng.Intn(len(snap.Boards))]
		h.logf("%s: add card to %s", c.name, b.Title)
		_, err = c.s.AddCard(workspace.CardDraft{Board: b.ID, Title: "New by " + c.name})
	case 13:
		h.logf("%s: subtitle", c.name)
		err = c.s.UpdateMeta("Edit workspace", func(m *workspace.Meta) error { m.Subtitle = "Subtitle by " + c.name; return nil })
	default:
		recs, rerr := c.s.ConflictRecords()
		if rerr != nil {
			h.fatalf("conflict records: %v", rerr)
		}
		if len(recs) == 0 {
			return
		}
		r := recs[rng.Intn(len(recs))]
		cf := r.Conflicts[rng.Intn(len(r.Conflicts))]
		v := cf.Values[rng.Intn(len(cf.Values))]
		h.logf("%s: resolve %s %s = %s", c.name, r.Key, cf.Field, v.Value)
		_, err = c.s.ResolveConflict(r.Key, cf.Field, v.Value)
	}
	if err != nil && !errors.Is(err, workspace.ErrInvalid) {
		h.fatalf("%s: %v", c.name, err)
	}
	c.model.learn(h.tb, parseDump(h.tb, dump(h.tb, c.s)))
}

// exchange shares from one copy (capped or not) and imports into another,
// checking the result against the model and that a second import of the
// same file changes nothing.
func (h *history) exchange(from, to *colleague, capped bool) {
	h.tb.Helper()
	opts := workspace.ShareOptions{}
	if capped {
		t := workspace.TLPGreen
		opts.MaxTLP = &t
	}
	file := shareBytes(h.tb, from.s, opts)
	sf := mustRead(h.tb, file, nil)
	keys := make([]string, len(sf.Records))
	for i, r := range sf.Records {
		keys[i] = r.Key
	}
	carried := from.model.snapshot()
	h.logf("%s -> %s (capped %v, %d records)", from.name, to.name, capped, len(keys))
	res, err := to.s.Import(sf)
	if err != nil {
		h.fatalf("import: %v", err)
	}
	_ = res
	to.model.receive(keys, carried)
	after := dump(h.tb, to.s)
	to.model.check(h.tb, to.name, parseDump(h.tb, after))
	again, err := to.s.Import(mustRead(h.tb, file, nil))
	if err != nil {
		h.fatalf("second import: %v", err)
	}
	if again.Changed() || dump(h.tb, to.s) != after {
		h.fatalf("importing the same file twice changed %s: %s", to.name, again.Summary())
	}
}

// commutes checks that two files give the same result in either order, on
// two fresh copies of one state.
func (h *history) commutes(base, x, y *colleague) {
	h.tb.Helper()
	seed := shareBytes(h.tb, base.s, workspace.ShareOptions{})
	t := workspace.TLPGreen
	fx := shareBytes(h.tb, x.s, workspace.ShareOptions{MaxTLP: &t})
	fy := shareBytes(h.tb, y.s, workspace.ShareOptions{})
	var dumps []string
	for i, files := range [][][]byte{{fx, fy}, {fy, fx}} {
		dir := filepath.Join(fastDir(h.tb), fmt.Sprintf("order%d", i))
		s, _, err := workspace.CreateFromShare(dir, mustRead(h.tb, seed, nil), workspace.Options{Now: fixedClock()})
		if err != nil {
			h.fatalf("copy: %v", err)
		}
		for _, f := range files {
			if _, err := s.Import(mustRead(h.tb, f, nil)); err != nil {
				s.Close()
				h.fatalf("import: %v", err)
			}
		}
		dumps = append(dumps, dump(h.tb, s))
		s.Close()
	}
	if dumps[0] != dumps[1] {
		h.fatalf("imports do not commute: %s", diffLines(dumps[0], dumps[1]))
	}
	h.logf("commutes: %s then %s into %s", x.name, y.name, base.name)
}

// fastDir is a temporary directory in memory (/dev/shm) where the machine
// has one, so the thousands of small stores of the property test do not
// wait on the disk; elsewhere the test's own temporary directory.
func fastDir(tb testing.TB) string {
	tb.Helper()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "briefboard-test-"); err == nil {
			tb.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return tb.TempDir()
}

func (h *history) run(steps int) {
	h.tb.Helper()
	commuteAt := -1
	if h.rng.Intn(3) == 0 {
		commuteAt = h.rng.Intn(steps)
	}
	for i := 0; i < steps; i++ {
		if i == commuteAt {
			p := h.rng.Perm(3)
			h.commutes(h.cs[p[0]], h.cs[p[1]], h.cs[p[2]])
		}
		if h.rng.Intn(3) == 0 {
			p := h.rng.Perm(3)
			h.exchange(h.cs[p[0]], h.cs[p[1]], h.rng.Intn(4) == 0)
			continue
		}
		h.act(h.cs[h.rng.Intn(3)])
	}
	// Everyone imports everyone's file, in a random order, twice over.
	for round := 0; round < 2; round++ {
		for _, i := range h.rng.Perm(3) {
			for _, j := range h.rng.Perm(3) {
				if i != j {
					h.exchange(h.cs[i], h.cs[j], false)
				}
			}
		}
	}
	d0 := dump(h.tb, h.cs[0].s)
	for _, c := range h.cs[1:] {
		if d := dump(h.tb, c.s); d != d0 {
			h.fatalf("copies did not converge: A and %s: %s", c.name, diffLines(d0, d))
		}
	}
	// No write is lost: every write any copy made is still shown, kept as
	// a competing value, or was seen by a write that is (the model's
	// check above, on the converged state).
	for _, c := range h.cs {
		c.model.check(h.tb, c.name, parseDump(h.tb, d0))
	}
}

func TestMerge_Property(t *testing.T) {
	seed := *mergeSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -merge.seed=%d or BRIEFBOARD_MERGE_SEED=%d), %d histories of %d steps", seed, seed, seed, *mergeHistories, *mergeSteps)
	file := seedFile(t)
	rng := rand.New(rand.NewSource(seed))
	var mu sync.Mutex
	conflicts, deletions := 0, 0
	t.Run("histories", func(t *testing.T) {
		for i := 0; i < *mergeHistories; i++ {
			hseed := rng.Int63()
			if *mergeHistory != 0 {
				if i > 0 {
					break
				}
				hseed = *mergeHistory
			}
			t.Run(fmt.Sprintf("history%d-seed%d", i, hseed), func(t *testing.T) {
				t.Parallel()
				h := newHistory(t, rand.New(rand.NewSource(hseed)), file)
				t.Cleanup(func() {
					if t.Failed() {
						t.Logf("steps:\n  %s", strings.Join(h.steps, "\n  "))
					}
				})
				h.run(*mergeSteps)
				snap := mustSnapshot(t, h.cs[0].s)
				mu.Lock()
				defer mu.Unlock()
				conflicts += snap.Conflicts
				for _, s := range h.steps {
					if strings.Contains(s, ": delete ") {
						deletions++
					}
				}
			})
		}
	})
	t.Logf("records left in conflict at the end: %d; deletions: %d", conflicts, deletions)
	if *mergeHistory == 0 && *mergeHistories >= 50 && (conflicts == 0 || deletions == 0) {
		t.Fatal("the histories made no conflicts or no deletions: the test exercises too little")
	}
}
