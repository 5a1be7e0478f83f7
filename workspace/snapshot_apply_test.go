package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"briefboard/resources"
)

var applySteps = flag.Int("apply-steps", 0, "steps of the incremental snapshot property test (default 150; BRIEFBOARD_APPLY_STEPS too)")

// snapshotDiff says how two snapshots differ, or "" when they show the same.
func snapshotDiff(a, b *Snapshot) string {
	j := func(v any) string {
		raw, _ := json.Marshal(v)
		if string(raw) == "null" {
			return "[]"
		}
		return string(raw)
	}
	type part struct {
		name string
		a, b any
	}
	parts := []part{
		{"meta", a.Meta, b.Meta}, {"seq", a.Seq, b.Seq}, {"boards", a.Boards, b.Boards},
		{"stray", a.Stray, b.Stray}, {"sources", a.Sources, b.Sources}, {"conflicts", a.Conflicts, b.Conflicts},
		{"briefs", a.Briefs, b.Briefs},
		{"cards", len(a.Cards), len(b.Cards)}, {"sourceByID", len(a.SourceByID), len(b.SourceByID)},
		{"matrices", a.Matrices, b.Matrices},
	}
	for _, p := range parts {
		if x, y := j(p.a), j(p.b); x != y {
			return fmt.Sprintf("%s: %.300s\n  vs %.300s", p.name, x, y)
		}
	}
	mapDiff := func(name string, x, y any) string {
		xv, yv := reflect.ValueOf(x), reflect.ValueOf(y)
		keys := map[string]bool{}
		for _, k := range xv.MapKeys() {
			keys[k.String()] = true
		}
		for _, k := range yv.MapKeys() {
			keys[k.String()] = true
		}
		for k := range keys {
			kv := reflect.ValueOf(k)
			var ex, ey any
			if v := xv.MapIndex(kv); v.IsValid() {
				ex = v.Interface()
			}
			if v := yv.MapIndex(kv); v.IsValid() {
				ey = v.Interface()
			}
			if jx, jy := j(ex), j(ey); jx != jy {
				return fmt.Sprintf("%s[%s]: %.300s\n  vs %.300s", name, k, jx, jy)
			}
		}
		return ""
	}
	for _, d := range []string{
		mapDiff("lanes", a.Lanes, b.Lanes), mapDiff("laneCards", a.LaneCards, b.LaneCards),
		mapDiff("cardsByID", a.Cards, b.Cards), mapDiff("annotations", a.Annotations, b.Annotations),
		mapDiff("records", a.records, b.records), mapDiff("marks", a.marks, b.marks),
		mapDiff("annsOf", a.annsOf, b.annsOf), mapDiff("acceptances", a.Acceptances, b.Acceptances),
		mapDiff("accs", a.accs, b.accs), mapDiff("evidence", a.Evidence, b.Evidence),
		mapDiff("achMatrices", a.ach.matrices, b.ach.matrices), mapDiff("achRows", a.ach.rows, b.ach.rows),
		mapDiff("achByCard", a.ach.byCard, b.ach.byCard),
	} {
		if d != "" {
			return d
		}
	}
	return ""
}

// indexDiff says how two indexes differ in what they hold, slot numbers
// aside, or "".
func indexDiff(a, b *Index) string {
	norm := func(ix *Index) (map[string]string, map[string][]string) {
		texts := map[string]string{}
		for id, i := range ix.slotOf {
			s := ix.slots[i]
			au := append([]string(nil), s.authors...)
			sort.Strings(au)
			texts[id] = s.text + "|" + strings.Join(au, ",")
		}
		post := map[string][]string{}
		for w, list := range ix.postings {
			for _, i := range list {
				post[w] = append(post[w], ix.slots[i].id)
			}
			sort.Strings(post[w])
		}
		return texts, post
	}
	ta, pa := norm(a)
	tb, pb := norm(b)
	if !reflect.DeepEqual(ta, tb) {
		for id := range ta {
			if ta[id] != tb[id] {
				return fmt.Sprintf("card %s: %.200q vs %.200q", id, ta[id], tb[id])
			}
		}
		return fmt.Sprintf("%d cards vs %d", len(ta), len(tb))
	}
	if !reflect.DeepEqual(pa, pb) {
		for w := range pa {
			if !reflect.DeepEqual(pa[w], pb[w]) {
				return fmt.Sprintf("word %q: %v vs %v", w, pa[w], pb[w])
			}
		}
		return fmt.Sprintf("%d words vs %d", len(pa), len(pb))
	}
	return ""
}

// TestSnapshot_ApplyEqualsAFreshRead runs random actions (edits, moves,
// deletes, markings, boards and lanes, sources, annotations, ACH matrices
// and their evidence, accepted findings, recorded briefs, undo, redo,
// imports) and checks after every one that the snapshot and search index
// brought up to date from its journal entry equal a freshly read snapshot
// and a freshly built index.
func TestSnapshot_ApplyEqualsAFreshRead(t *testing.T) {
	steps := 150
	if *applySteps > 0 {
		steps = *applySteps
	} else if v := os.Getenv("BRIEFBOARD_APPLY_STEPS"); v != "" {
		fmt.Sscan(v, &steps)
	}
	seed := time.Now().UnixNano()
	if v := os.Getenv("BRIEFBOARD_SEED"); v != "" {
		fmt.Sscan(v, &seed)
	}
	t.Logf("seed %d (BRIEFBOARD_SEED reruns it), %d steps", seed, steps)
	r := rand.New(rand.NewSource(seed))

	data, err := resources.Template("three-pillars")
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := ParseTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2025, 12, 28, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	s, err := Create(filepath.Join(t.TempDir(), "a"), tpl, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var other bytes.Buffer
	if _, err := s.Share(&other, ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	sf, err := ReadShare(&other, nil)
	if err != nil {
		t.Fatal(err)
	}
	colleague, _, err := CreateFromShare(filepath.Join(t.TempDir(), "b"), sf, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer colleague.Close()

	var entries []*Entry
	s.OnChange(func(e *Entry) { entries = append(entries, e) })
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(snap)
	words := strings.Fields("ceasefire guarantee zaporizhzhia sanctions Київ monitoring reconstruction referendum")
	word := func() string { return words[r.Intn(len(words))] }
	anyCard := func(sn *Snapshot) *Card {
		ids := make([]string, 0, len(sn.Cards))
		for id := range sn.Cards {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		if len(ids) == 0 {
			return nil
		}
		return sn.Cards[ids[r.Intn(len(ids))]]
	}
	levels := TLPLevels
	anyMatrix := func(sn *Snapshot) *ACHMatrix {
		if len(sn.Matrices) == 0 {
			return nil
		}
		return sn.Matrices[r.Intn(len(sn.Matrices))]
	}
	// rateSomething rates a random cell of a random row of a store's
	// matrices, adding the card as evidence first when it is not.
	rateSomething := func(st *Store, sn *Snapshot) error {
		m, c := anyMatrix(sn), anyCard(sn)
		if m == nil || c == nil {
			return nil
		}
		h := m.Hypotheses[r.Intn(len(m.Hypotheses))].ID
		_, err := st.Do("Rate", func(tx *Tx) error {
			if _, err := tx.SetACHEvidence(m.ID, c.ID, ""); err != nil {
				return err
			}
			return tx.RateACH(m.ID, c.ID, h, ACHRatings[r.Intn(len(ACHRatings))])
		})
		return err
	}
	for step := 0; step < steps; step++ {
		cur, err := s.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		c := anyCard(cur)
		b := cur.Boards[r.Intn(len(cur.Boards))]
		var what string
		var aerr error
		m := anyMatrix(cur)
		switch k := r.Intn(26); {
		case k == 0 || c == nil:
			what = "add card"
			_, aerr = s.AddCard(CardDraft{Board: b.ID, Title: "New " + word(), Body: word() + " " + word()})
		case k == 1:
			what = "edit card"
			_, aerr = s.UpdateCard(c.ID, "Edit card", func(x *Card) error {
				x.Title, x.Body, x.Tags = word()+" "+word(), x.Body+" "+word(), []string{word()}
				return nil
			})
		case k == 2:
			what = "move card"
			lanes := cur.Lanes[b.ID]
			aerr = s.MoveCard(c.ID, Move{Board: b.ID, Lane: lanes[r.Intn(len(lanes))].ID})
		case k == 3:
			what = "delete card"
			aerr = s.DeleteCard(c.ID)
		case k == 4:
			what = "mark card"
			aerr = s.SetMarking(KeyOf(c), levels[r.Intn(len(levels))])
		case k == 5:
			what = "mark board"
			aerr = s.SetMarking(KeyOf(b), levels[r.Intn(len(levels))])
		case k == 6:
			what = "annotate"
			_, aerr = s.AddAnnotation(c.ID, AnnComment, "note on "+word(), nil)
		case k == 7:
			what = "quote a source"
			src := cur.Sources[r.Intn(len(cur.Sources))]
			_, aerr = s.UpdateCard(c.ID, "Cite", func(x *Card) error {
				x.Citations = append(x.Citations[:0:0], Citation{Source: src.ID, Quote: word()})
				return nil
			})
		case k == 8:
			what = "edit source"
			src := cur.Sources[r.Intn(len(cur.Sources))]
			aerr = s.UpdateSource(src.ID, func(x *Source) error { x.Title = "Source " + word(); return nil })
		case k == 9:
			what = "mark source"
			src := cur.Sources[r.Intn(len(cur.Sources))]
			aerr = s.SetMarking(KeyOf(src), levels[r.Intn(len(levels))])
		case k == 10:
			what = "add lane"
			_, aerr = s.AddLane(b.ID, fmt.Sprintf("Lane %d", step))
		case k == 11:
			what = "rename lane"
			lanes := cur.Lanes[b.ID]
			aerr = s.RenameLane(lanes[r.Intn(len(lanes))].ID, "Renamed "+word())
		case k == 12:
			what = "add or delete board"
			if r.Intn(2) == 0 || len(cur.Boards) < 3 {
				_, aerr = s.AddBoard("Board "+word(), "")
			} else {
				aerr = s.DeleteBoard(b.ID)
			}
		case k == 13:
			what = "undo"
			_, aerr = s.Undo()
		case k == 14:
			what = "redo"
			_, aerr = s.Redo()
		case k == 15 || m == nil:
			what = "add ACH matrix"
			_, aerr = s.AddACHMatrix(ACHDraft{Question: "Will " + word() + " hold?", Hypotheses: []string{word(), word(), word()}})
		case k == 16:
			what = "add or rate ACH evidence"
			aerr = rateSomething(s, cur)
		case k == 17:
			what = "remove ACH evidence"
			if rows := cur.Evidence[m.ID]; len(rows) > 0 {
				aerr = s.RemoveACHEvidence(m.ID, rows[r.Intn(len(rows))].Card)
			}
		case k == 18:
			what = "mark ACH matrix"
			aerr = s.SetMarking(KeyOf(m), levels[r.Intn(len(levels))])
		case k == 19:
			what = "edit ACH matrix"
			aerr = s.UpdateACHMatrix(m.ID, "Edit matrix", func(x *ACHMatrix) error {
				h := x.Hypotheses[r.Intn(len(x.Hypotheses))].ID
				x.Indicators = map[string][]Indicator{h: {{Text: "Watch " + word(), Status: IndicatorSeen, Card: c.ID}}}
				x.Conclusion = word()
				return nil
			})
		case k == 20:
			what = "delete ACH matrix"
			if len(cur.Matrices) > 1 {
				aerr = s.DeleteACHMatrix(m.ID)
			}
		case k == 21:
			what = "accept a finding"
			_, aerr = s.AcceptFinding(c.ID, []string{"hedge", "single-source", "quote-missing"}[r.Intn(3)], "body", "because "+word())
		case k == 22:
			what = "reopen a finding"
			aerr = s.ReopenFinding(c.ID, []string{"hedge", "single-source", "quote-missing"}[r.Intn(3)])
		case k == 23:
			what = "record a brief"
			var cap *TLP
			if l := r.Intn(len(levels) + 1); l < len(levels) {
				cap = &levels[l]
			}
			var boards []string
			if Allows(cap, cur.Marking(b)) && r.Intn(2) == 0 {
				boards = []string{b.ID}
			}
			var rb *RecordedBrief
			if rb, aerr = cur.NewBrief(BriefSpec{Date: clock, Cap: cap, Boards: boards}); aerr == nil {
				aerr = s.RecordBrief(rb)
			} else if errors.Is(aerr, ErrAboveCap) {
				aerr = nil
			}
		case k == 24 && len(cur.Briefs) > 0:
			what = "delete a brief"
			aerr = s.DeleteBrief(cur.Briefs[r.Intn(len(cur.Briefs))].ID)
		default:
			what = "import a colleague's edits"
			csnap, err := colleague.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			if cc := anyCard(csnap); cc != nil {
				colleague.UpdateCard(cc.ID, "Edit", func(x *Card) error { x.Body = "colleague " + word(); return nil })
			}
			if err := rateSomething(colleague, csnap); err != nil && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotFound) {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := colleague.Share(&buf, ShareOptions{}); err != nil {
				t.Fatal(err)
			}
			csf, err := ReadShare(&buf, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, aerr = s.Import(csf)
		}
		if aerr != nil && !errors.Is(aerr, ErrInvalid) && !errors.Is(aerr, ErrNothingToUndo) && !errors.Is(aerr, ErrNothingToRedo) &&
			!errors.Is(aerr, ErrNotFound) {
			t.Fatalf("step %d (%s): %v", step, what, aerr)
		}
		next, err := snap.Apply(entries...)
		if err != nil {
			t.Fatalf("step %d (%s): apply: %v", step, what, err)
		}
		ix.Apply(next, entries...)
		entries = nil
		fresh, err := s.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if d := snapshotDiff(next, fresh); d != "" {
			t.Fatalf("step %d (%s): the applied snapshot differs from a fresh read: %s", step, what, d)
		}
		if d := indexDiff(ix, NewIndex(fresh)); d != "" {
			t.Fatalf("step %d (%s): the updated index differs from a fresh one: %s", step, what, d)
		}
		q := Query{Text: word()}
		if got, want := ids(ix.Search(q)), ids(NewIndex(fresh).Search(q)); !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d (%s): search %q gives %v, a fresh index %v", step, what, q.Text, got, want)
		}
		snap = next
	}
}

func ids(cs []*Card) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}
