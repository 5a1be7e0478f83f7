package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
)

type briefsOut struct {
	Briefs []struct {
		ID       string  `json:"id"`
		Recorded string  `json:"recorded"`
		Date     string  `json:"date"`
		MaxTLP   *string `json:"maxTlp"`
		TLP      string  `json:"tlp"`
		Boards   []struct {
			ID, Title, Role string
		} `json:"boards"`
		By    string `json:"by"`
		Cards int    `json:"cards"`
	} `json:"briefs"`
}

func briefsJSON(t *testing.T, dir string) briefsOut {
	t.Helper()
	var v briefsOut
	if err := json.Unmarshal([]byte(mustBB(t, "briefs", "--json", "--workspace", dir)), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

type changesOut struct {
	Since struct {
		Brief  string  `json:"brief"`
		Date   string  `json:"date"`
		MaxTLP *string `json:"maxTlp"`
	} `json:"since"`
	Changes []struct {
		Card, Title, Change, Field, Party, From, To string
	} `json:"changes"`
}

func changesJSON(t *testing.T, args ...string) changesOut {
	t.Helper()
	var v changesOut
	out := mustBB(t, append([]string{"changes", "--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return v
}

func TestCLI_BoardAddEdit(t *testing.T) {
	dir := newDemo(t)
	id := strings.TrimSpace(mustBB(t, "board", "add", "--workspace", dir, "--title", "Humanitarian track",
		"--purpose", "Prisoner exchanges", "--role", "background", "--tlp", "amber"))
	board := func() map[string]any {
		for _, b := range listJSON(t, dir)["boards"].([]any) {
			if b := b.(map[string]any); b["id"] == id {
				return b
			}
		}
		t.Fatalf("board %s is not listed", id)
		return nil
	}
	b := board()
	if b["title"] != "Humanitarian track" || b["role"] != "background" || b["tlp"] != "amber" || len(b["lanes"].([]any)) != 5 {
		t.Fatalf("the new board: %v", b)
	}
	mustBB(t, "board", "edit", "--workspace", dir, "--id", id, "--role", "pillar", "--title", "Humanitarian pillar")
	if b := board(); b["role"] != "pillar" || b["title"] != "Humanitarian pillar" || b["purpose"] != "Prisoner exchanges" {
		t.Fatalf("after edit: %v", b)
	}
	// --tlp is a marking action, also to the value it has.
	mustBB(t, "board", "edit", "--workspace", dir, "--id", "Humanitarian pillar", "--tlp", "amber")
	log := mustBB(t, "log", "--workspace", dir)
	if !strings.HasSuffix(strings.TrimSpace(log), `board "Humanitarian pillar": changed tlp`) {
		t.Errorf("setting the same marking did not write it:\n%s", log)
	}
	mustBB(t, "board", "edit", "--workspace", dir, "--id", id, "--tlp", "green")
	if b := board(); b["tlp"] != "green" {
		t.Errorf("lowered board is %v", b["tlp"])
	}
	if role := board(); listJSON(t, dir)["boards"].([]any)[3].(map[string]any)["role"] != "background" || role == nil {
		t.Error("the demo's Context board is not listed as background")
	}
	before := mustBB(t, "list", "--json", "--workspace", dir)
	for _, args := range [][]string{
		{"board", "add", "--workspace", dir},
		{"board", "add", "--workspace", dir, "--title", "X", "--role", "sideshow"},
		{"board", "add", "--workspace", dir, "--title", " "},
		{"board", "add", "--workspace", dir, "--title", "X", "--tlp", "white"},
		{"board", "edit", "--workspace", dir, "--id", "nosuchboard", "--title", "X"},
		{"board", "edit", "--workspace", dir, "--id", id, "--title", ""},
		{"board", "edit", "--workspace", dir, "--title", "X"},
	} {
		assertOneLineError(t, args)
	}
	if after := mustBB(t, "list", "--json", "--workspace", dir); after != before {
		t.Error("failed board commands changed the workspace")
	}
}

// assertOneLineError runs a command that must fail with one clear line.
func assertOneLineError(t *testing.T, args []string) {
	t.Helper()
	out, errs, code := bb(t, args...)
	if code == 0 {
		t.Errorf("%v succeeded", args)
		return
	}
	if out != "" {
		t.Errorf("%v printed on stdout: %q", args, out)
	}
	if strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "briefboard: ") || strings.Contains(errs, "Usage:") {
		t.Errorf("%v: stderr is not one clear line: %q", args, errs)
	}
}

func TestCLI_ExportRecordsTheBriefAndTheNextFollowsIt(t *testing.T) {
	dir := newDemo(t)
	tmp := t.TempDir()
	first := filepath.Join(tmp, "first.pdf")
	mustBB(t, "export", "pdf", "--workspace", dir, "-o", first, "--date", "2025-12-29")
	text := pdftotext(t, first)
	if !strings.Contains(text, "Changes since the brief of 15 December 2025") || !strings.Contains(text, "The brief of 15 December 2025, by A. Analyst") {
		t.Error("the first brief of the demo does not follow the demo's recorded brief")
	}
	if !strings.Contains(text, "3 pillars · 1 background board") || !strings.Contains(text, "Background: Context") {
		t.Error("the demo brief does not count three pillars and one background board")
	}
	bs := briefsJSON(t, dir).Briefs
	if len(bs) != 3 || bs[0].Date != "2025-12-29" || bs[0].MaxTLP != nil || bs[0].TLP != "red" || bs[0].Cards != 34 ||
		bs[1].Date != "2025-12-15" || bs[1].MaxTLP == nil || *bs[1].MaxTLP != "green" || bs[2].Date != "2025-12-15" || bs[2].MaxTLP != nil {
		t.Fatalf("briefs after the export: %+v", bs)
	}
	if len(bs[0].Boards) != 4 || bs[0].Boards[3].Role != "background" {
		t.Errorf("the recorded boards: %+v", bs[0].Boards)
	}

	// The next brief follows the one just recorded; nothing changed.
	second := filepath.Join(tmp, "second.pdf")
	mustBB(t, "export", "pdf", "--workspace", dir, "-o", second, "--date", "2026-01-05", "--draft")
	text = pdftotext(t, second)
	if !strings.Contains(text, "Changes since the brief of 29 December 2025") || !strings.Contains(text, "No card of this brief changed since the brief of 29 December 2025.") {
		t.Errorf("the second brief does not follow the first:\n%.1500s", text)
	}
	if n := len(briefsJSON(t, dir).Briefs); n != 3 {
		t.Errorf("a draft was recorded: %d briefs", n)
	}
	// A GREEN brief follows the demo's GREEN brief, not the uncapped one
	// just recorded.
	greenPDF := filepath.Join(tmp, "green.pdf")
	mustBB(t, "export", "pdf", "--workspace", dir, "-o", greenPDF, "--draft", "--max-tlp", "green")
	if text := pdftotext(t, greenPDF); !strings.Contains(text, "Changes since the brief of 15 December 2025") {
		t.Errorf("the GREEN brief does not follow the demo's GREEN brief:\n%.1500s", text)
	}
	// --changes-since none leaves the section out; so does a cap with no
	// brief recorded at it.
	for _, args := range [][]string{{"--changes-since", "none"}, {"--max-tlp", "amber"}} {
		out := filepath.Join(tmp, "none.pdf")
		mustBB(t, append([]string{"export", "pdf", "--workspace", dir, "-o", out, "--draft"}, args...)...)
		if text := pdftotext(t, out); strings.Contains(text, "Changes since") || strings.Contains(text, "FOLLOWS") {
			t.Errorf("%v: the brief prints a section \"Changes since\"", args)
		}
	}
	// A brief id and a time work too; Markdown has the section and
	// records nothing.
	md := filepath.Join(tmp, "b.md")
	mustBB(t, "export", "md", "--workspace", dir, "-o", md, "--changes-since", bs[2].ID)
	raw, _ := os.ReadFile(md)
	if !strings.Contains(string(raw), "## Changes since the brief of 15 December 2025") {
		t.Error("the Markdown brief lacks the section")
	}
	mustBB(t, "export", "md", "--workspace", dir, "-o", md, "--changes-since", time.Now().UTC().Format(time.RFC3339Nano))
	raw, _ = os.ReadFile(md)
	if !strings.Contains(string(raw), "## Changes since ") || !strings.Contains(string(raw), "No card of this brief changed since the workspace as of") {
		t.Errorf("the Markdown brief since now:\n%.600s", raw)
	}
	if n := len(briefsJSON(t, dir).Briefs); n != 3 {
		t.Errorf("a Markdown export was recorded: %d briefs", n)
	}
	// Recording is undoable; a brief can be deleted.
	mustBB(t, "undo", "--workspace", dir)
	if bs := briefsJSON(t, dir).Briefs; len(bs) != 2 {
		t.Fatalf("undo left %d briefs", len(bs))
	}
	mustBB(t, "redo", "--workspace", dir)
	mustBB(t, "briefs", "delete", "--workspace", dir, "--id", bs[0].ID)
	if bs := briefsJSON(t, dir).Briefs; len(bs) != 2 || bs[0].Date != "2025-12-15" || bs[1].Date != "2025-12-15" {
		t.Fatalf("after delete: %+v", bs)
	}
	if out := mustBB(t, "briefs", "--workspace", dir); !strings.Contains(out, "2025-12-15") || !strings.Contains(out, "A. Analyst") {
		t.Errorf("briefs: %q", out)
	}
}

func TestCLI_ChangesBadInput(t *testing.T) {
	dir := newDemo(t)
	mustBB(t, "export", "pdf", "--workspace", dir, "-o", filepath.Join(t.TempDir(), "b.pdf"), "--max-tlp", "green")
	before := mustBB(t, "list", "--json", "--workspace", dir) + mustBB(t, "briefs", "--json", "--workspace", dir)
	out := filepath.Join(t.TempDir(), "x.pdf")
	for _, args := range [][]string{
		{"changes", "--workspace", dir, "--since", "nosuchbrief"},
		{"changes", "--workspace", dir, "--since", "2999-01-01"},
		{"changes", "--workspace", dir, "--since", "2025-13-45"},
		{"changes", "--workspace", dir, "--since", "-3h"},
		{"changes", "--workspace", dir, "--since", "2020-01-01"},
		{"changes", "--workspace", dir, "--since", "none"},
		{"changes", "--workspace", dir, "--max-tlp", "white"},
		{"changes", "--workspace", dir, "--max-tlp", "amber"},
		{"changes", "--since", "last"},
		{"briefs", "delete", "--workspace", dir, "--id", "nosuchbrief"},
		{"briefs", "delete", "--workspace", dir},
		{"export", "pdf", "--workspace", dir, "-o", out, "--changes-since", "nosuchbrief"},
		{"export", "pdf", "--workspace", dir, "-o", out, "--changes-since", "2999-01-01"},
		{"export", "md", "--workspace", dir, "-o", out, "--changes-since", "2025-02-30 10:00"},
	} {
		assertOneLineError(t, args)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a failed export wrote its file")
	}
	if after := mustBB(t, "list", "--json", "--workspace", dir) + mustBB(t, "briefs", "--json", "--workspace", dir); after != before {
		t.Error("failed commands changed the workspace")
	}
	// Each names what was wrong.
	for args, want := range map[string]string{
		"nosuchbrief": "names no recorded brief", "2999-01-01": "in the future", "2025-13-45": "is not a time",
		"2020-01-01": "journal does not reach back that far",
	} {
		_, errs, _ := bb(t, "changes", "--workspace", dir, "--since", args)
		if !strings.Contains(errs, want) {
			t.Errorf("--since %s: %q lacks %q", args, errs, want)
		}
	}
	// The positive control: the GREEN brief just recorded is "last" at
	// GREEN.
	if ch := changesJSON(t, "--workspace", dir, "--max-tlp", "green"); ch.Since.MaxTLP == nil || *ch.Since.MaxTLP != "green" || len(ch.Changes) != 0 {
		t.Errorf("changes since the GREEN brief: %+v", ch)
	}
}

// oracleCard is what list --json says of a card, as a brief at cap shows
// it.
type oracleCard struct {
	board, boardTitle, lane, laneName, title, body, tlp, likelihood, confidence string
	stances                                                                     map[string]string
	open                                                                        int
}

var tlpRank = map[string]int{"clear": 0, "green": 1, "amber": 2, "amber+strict": 3, "red": 4}

// oracleView reads list --json as a brief capped at cap ("" for none)
// would show it.
func oracleView(t *testing.T, dir, cap string) map[string]oracleCard {
	t.Helper()
	var l struct {
		Boards []struct {
			ID, Title string
			Cards     []struct {
				ID, Title, Lane, Body, Likelihood, Confidence, TLP string
				LaneID                                             string `json:"laneId"`
				Positions                                          map[string]struct{ Stance string }
				Annotations                                        []struct {
					Resolved bool
					TLP      string
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(mustBB(t, "list", "--json", "--workspace", dir)), &l); err != nil {
		t.Fatal(err)
	}
	allows := func(w string) bool { return cap == "" || tlpRank[w] <= tlpRank[cap] }
	out := map[string]oracleCard{}
	for _, b := range l.Boards {
		for _, c := range b.Cards {
			if !allows(c.TLP) {
				continue
			}
			oc := oracleCard{board: b.ID, boardTitle: b.Title, lane: c.LaneID, laneName: c.Lane, title: c.Title, body: c.Body,
				tlp: c.TLP, likelihood: c.Likelihood, confidence: c.Confidence, stances: map[string]string{}}
			for p, pos := range c.Positions {
				oc.stances[p] = pos.Stance
			}
			for _, a := range c.Annotations {
				if !a.Resolved && allows(a.TLP) {
					oc.open++
				}
			}
			out[c.ID] = oc
		}
	}
	return out
}

// oracleChanges lists every field that differs between two views, once.
func oracleChanges(was, is map[string]oracleCard) []string {
	var out []string
	add := func(card, change, field, party, from, to string) {
		out = append(out, strings.Join([]string{card, change, field, party, from, to}, "|"))
	}
	for id, n := range is {
		b, ok := was[id]
		if !ok {
			add(id, "added", "", "", "", n.boardTitle)
			continue
		}
		if b.board != n.board {
			add(id, "moved", "board", "", b.boardTitle, n.boardTitle)
		} else if b.lane != n.lane {
			add(id, "moved", "lane", "", b.laneName, n.laneName)
		}
		parties := map[string]bool{}
		for p := range b.stances {
			parties[p] = true
		}
		for p := range n.stances {
			parties[p] = true
		}
		for p := range parties {
			if b.stances[p] != n.stances[p] {
				add(id, "position", "stance", p, b.stances[p], n.stances[p])
			}
		}
		if b.likelihood != n.likelihood {
			add(id, "judgment", "likelihood", "", b.likelihood, n.likelihood)
		}
		if b.confidence != n.confidence {
			add(id, "judgment", "confidence", "", b.confidence, n.confidence)
		}
		if b.title != n.title {
			add(id, "edited", "title", "", b.title, n.title)
		}
		if b.body != n.body {
			add(id, "edited", "body", "", "", "")
		}
		if b.open != n.open {
			add(id, "edited", "annotations", "", fmt.Sprint(b.open), fmt.Sprint(n.open))
		}
		if b.tlp != n.tlp {
			add(id, "marking", "tlp", "", b.tlp, n.tlp)
		}
	}
	for id, b := range was {
		if _, ok := is[id]; !ok {
			add(id, "removed", "", "", b.boardTitle, "")
		}
	}
	sort.Strings(out)
	return out
}

// TestCLI_ChangesJSON_AgainstAnOracle plays random histories on the demo,
// records briefs at random caps along the way (export pdf) and keeps what
// list --json said then; at the end, changes --json since each brief, at
// its cap and at another, must report every field that differs between
// then and now once, and nothing else.
func TestCLI_ChangesJSON_AgainstAnOracle(t *testing.T) {
	seed := time.Now().UnixNano()
	if v := os.Getenv("BRIEFBOARD_SEED"); v != "" {
		fmt.Sscan(v, &seed)
	}
	t.Logf("seed %d (BRIEFBOARD_SEED reruns it)", seed)
	r := rand.New(rand.NewSource(seed))
	levels := []string{"clear", "green", "amber", "amber+strict", "red"}
	words := strings.Fields("ceasefire guarantee sanctions monitoring reconstruction referendum corridor")
	for history := 0; history < 3; history++ {
		dir := newDemo(t)
		type recorded struct {
			id, cap string
			views   map[string]map[string]oracleCard // by compare cap
		}
		var briefs []recorded
		act := func(fn func(s *workspace.Store, snap *workspace.Snapshot) error) {
			s, err := workspace.Open(dir, workspace.Options{})
			if err != nil {
				t.Fatal(err)
			}
			snap, err := s.Snapshot()
			if err == nil {
				err = fn(s, snap)
			}
			s.Close()
			if err != nil && !strings.Contains(err.Error(), "nothing to") {
				t.Fatalf("history %d: %v", history, err)
			}
		}
		anyCard := func(snap *workspace.Snapshot) *workspace.Card {
			var ids []string
			for id := range snap.Cards {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			return snap.Cards[ids[r.Intn(len(ids))]]
		}
		step := func(k int) {
			switch k {
			case 0:
				cap := levels[r.Intn(len(levels))]
				args := []string{"export", "pdf", "--workspace", dir, "-o", filepath.Join(t.TempDir(), "b.pdf"), "--date", "2025-12-30"}
				if cap != "red" {
					args = append(args, "--max-tlp", cap)
				}
				mustBB(t, args...)
				rb := briefsJSON(t, dir).Briefs[0]
				rec := recorded{id: rb.ID, cap: cap, views: map[string]map[string]oracleCard{}}
				for _, l := range levels {
					if tlpRank[l] <= tlpRank[cap] {
						rec.views[l] = oracleView(t, dir, l)
					}
				}
				briefs = append(briefs, rec)
			case 1:
				act(func(s *workspace.Store, snap *workspace.Snapshot) error {
					b := snap.Boards[r.Intn(len(snap.Boards))]
					tl := workspace.TLPLevels[r.Intn(3)]
					_, err := s.AddCard(workspace.CardDraft{Board: b.ID, Lane: workspace.DefaultLanes[r.Intn(5)], Title: "New " + words[r.Intn(len(words))], TLP: &tl})
					return err
				})
			case 2:
				act(func(s *workspace.Store, snap *workspace.Snapshot) error {
					c := anyCard(snap)
					_, err := s.UpdateCard(c.ID, "Edit", func(c *workspace.Card) error {
						switch r.Intn(3) {
						case 0:
							c.Title = c.Title + " " + words[r.Intn(len(words))]
						case 1:
							c.Body = c.Body + " " + words[r.Intn(len(words))]
						default:
							c.Tags = append(c.Tags[:0:0], words[r.Intn(len(words))]) // not in a digest
						}
						return nil
					})
					return err
				})
			case 3:
				act(func(s *workspace.Store, snap *workspace.Snapshot) error {
					c := anyCard(snap)
					party := snap.Meta.Parties[r.Intn(len(snap.Meta.Parties))].ID
					_, err := s.UpdateCard(c.ID, "Stance", func(c *workspace.Card) error {
						if c.Positions == nil {
							c.Positions = map[string]workspace.Position{}
						}
						if r.Intn(4) == 0 {
							delete(c.Positions, party)
						} else {
							c.Positions[party] = workspace.Position{Stance: workspace.Stances[r.Intn(len(workspace.Stances))]}
						}
						return nil
					})
					return err
				})
			case 4:
				act(func(s *workspace.Store, snap *workspace.Snapshot) error {
					c := anyCard(snap)
					_, err := s.UpdateCard(c.ID, "Estimate", func(c *workspace.Card) error {
						c.Likelihood = workspace.Likelihoods[r.Intn(len(workspace.Likelihoods))]
						if r.Intn(2) == 0 {
							c.Confidence = workspace.Confidences[r.Intn(len(workspace.Confidences))]
						}
						return nil
					})
					return err
				})
			case 5:
				act(func(s *workspace.Store, snap *workspace.Snapshot) error {
					c := anyCard(snap)
					b := snap.Boards[r.Intn(len(snap.Boards))]
					return s.MoveCard(c.ID, workspace.Move{Board: b.ID, Lane: workspace.DefaultLanes[r.Intn(5)]})
				})
			case 6:
				act(func(s *workspace.Store, snap *workspace.Snapshot) error { return s.DeleteCard(anyCard(snap).ID) })
			case 7:
				act(func(s *workspace.Store, snap *workspace.Snapshot) error {
					return s.SetMarking(workspace.KeyOf(anyCard(snap)), workspace.TLPLevels[r.Intn(len(workspace.TLPLevels))])
				})
			case 8:
				b := listJSON(t, dir)["boards"].([]any)[r.Intn(4)].(map[string]any)["id"].(string)
				mustBB(t, "board", "edit", "--workspace", dir, "--id", b, "--tlp", levels[r.Intn(3)])
			case 9:
				act(func(s *workspace.Store, snap *workspace.Snapshot) error {
					c := anyCard(snap)
					if as := snap.Annotations[c.ID]; len(as) > 0 && r.Intn(2) == 0 {
						a := as[r.Intn(len(as))]
						return s.SetResolved(c.ID, a.ID, !a.Resolved)
					}
					tl := workspace.TLPLevels[r.Intn(len(workspace.TLPLevels))]
					_, err := s.AddAnnotation(c.ID, workspace.AnnQuestion, "Why "+words[r.Intn(len(words))]+"?", &tl)
					return err
				})
			case 10:
				bb(t, "undo", "--workspace", dir)
			default:
				bb(t, "redo", "--workspace", dir)
			}
		}
		for i := 0; i < 40; i++ {
			step(r.Intn(12))
		}
		live := map[string]bool{}
		for _, b := range briefsJSON(t, dir).Briefs {
			live[b.ID] = true
		}
		kept := false
		for _, rb := range briefs {
			kept = kept || live[rb.id]
		}
		if !kept {
			// Undo took every recording back: record one, then change
			// things without undoing.
			step(0)
			for i := 0; i < 15; i++ {
				step(1 + r.Intn(9))
			}
			live[briefs[len(briefs)-1].id] = true
		}
		compared, reported := 0, 0
		for _, rb := range briefs {
			if !live[rb.id] {
				continue // an undo took its recording back
			}
			for at, was := range rb.views {
				args := []string{"--workspace", dir, "--since", rb.id}
				if at != "red" {
					args = append(args, "--max-tlp", at)
				}
				ch := changesJSON(t, args...)
				if ch.Since.Brief != rb.id {
					t.Fatalf("changes since %s compared with %s", rb.id, ch.Since.Brief)
				}
				var got []string
				for _, c := range ch.Changes {
					from, to := c.From, c.To
					switch c.Change {
					case "added":
						from = ""
					case "removed":
						to = ""
					}
					got = append(got, strings.Join([]string{c.Card, c.Change, c.Field, c.Party, from, to}, "|"))
				}
				sort.Strings(got)
				want := oracleChanges(was, oracleView(t, dir, map[bool]string{true: "", false: at}[at == "red"]))
				if !reflect.DeepEqual(nonNilStrings(got), nonNilStrings(want)) {
					t.Fatalf("history %d, brief at %s compared at %s:\ngot  %s\nwant %s", history, rb.cap, at,
						strings.Join(got, "\n     "), strings.Join(want, "\n     "))
				}
				compared++
				reported += len(got)
			}
		}
		if compared == 0 {
			t.Fatalf("history %d compared nothing", history)
		}
		t.Logf("history %d: %d comparisons, %d changes reported as the oracle says", history, compared, reported)
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
