package export_test

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"briefboard/export"
	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// The leak property of DESIGN.md 4a: over random histories on three copies
// of one workspace (edits, markings raised, lowered and set concurrently,
// moves, undo and redo, exchanges of share files capped and not), no
// output capped at a level (share file, Markdown, JSON Canvas, PDF brief)
// carries text written under a stricter marking, unless a later marking
// action that had seen it released it.
//
// Every text a history writes is a unique token. The oracle knows nothing
// of stamps, version vectors or held writes. It keeps, for each token, a
// lower bound of the effective marking its record had when it was
// written, worked out by the floors of 4a from marking fields it reads
// (the record's own values, competing ones included; its board, lane and
// quoted sources; an annotation's card; the tokens each holds), and, for
// each copy, which tokens and which marking actions it knows of each
// record: a marking action on a copy sees what that copy knows of the
// record then, as a per-record version vector would. A token may be in an
// output of a copy capped at c only if
//
//   - its marking, lowered to the level of every marking action known to
//     the copy that saw it, is at most c, and
//   - its record on the copy is not provably above c by the same bound.
//
// The claims are one-sided: where the rule may be stricter than the
// oracle (an undo restores a value with the marking it was written under,
// while the oracle counts every marking action that saw its first write)
// the oracle claims less, never more.
//
// Run many histories with -property.histories=N or
// BRIEFBOARD_PROPERTY_HISTORIES=N (steps: BRIEFBOARD_PROPERTY_STEPS). A
// failure prints the history, shrunk, and the seed to run it again with
// -property.history.

var (
	propHistories = flag.Int("property.histories", propEnv("BRIEFBOARD_PROPERTY_HISTORIES", 2), "random histories in TestMarking_NoLeakProperty")
	propSteps     = flag.Int("property.steps", propEnv("BRIEFBOARD_PROPERTY_STEPS", 30), "steps per history")
	propSeed      = flag.Int64("property.seed", int64(propEnv("BRIEFBOARD_PROPERTY_SEED", 0)), "seed of the histories (0: from the clock)")
	propHistory   = flag.Int64("property.history", 0, "run only the history of this seed (as a failure names it)")
	propShrink    = flag.Bool("property.shrink", true, "on a failure, look for a shorter history that fails too")
)

func propEnv(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// lkCaps are the caps every output is checked at; nil is the uncapped
// output, the positive control.
var lkCaps = []workspace.TLP{workspace.TLPClear, workspace.TLPGreen, workspace.TLPAmber, workspace.TLPAmberStrict}

var lkTokenRE = regexp.MustCompile(`vq\d{6}x`)

// lkToken is one text a history wrote.
type lkToken struct {
	text string
	key  string // the record it was written to
	what string
	// m is a lower bound of the record's effective marking after the
	// action that wrote it.
	m    workspace.TLP
	step int
	copy int
}

// lkMark is one marking action: a write of a record's marking field.
type lkMark struct {
	id    int
	key   string
	level workspace.TLP
	// seen are the tokens of the record its copy knew before the action.
	seen    map[string]bool
	step    int
	copy    int
	cascade bool
}

type lkCopy struct {
	name  string
	s     *workspace.Store
	known map[string]map[string]bool // record key -> "t:TOKEN" and "m:ID"
}

func (c *lkCopy) learn(key, event string) {
	if c.known[key] == nil {
		c.known[key] = map[string]bool{}
	}
	c.known[key][event] = true
}

// lkOp is one step of a history, as data, so that a failing history can
// be replayed with steps left out. Records are named by handles, the same
// on every replay.
type lkOp struct {
	Copy  int
	Kind  string
	A, B  string // handles
	New   string // handle of the record the step creates
	Level workspace.TLP
	N     int
	Flag  bool
	// Secret encrypts a share file with a passphrase.
	Secret bool
	// Field names the conflict a "resolve" settles.
	Field string
}

func (op lkOp) String() string {
	s := fmt.Sprintf("%c %s", 'A'+op.Copy, op.Kind)
	for _, p := range [][2]string{{"", op.A}, {"", op.B}, {"new ", op.New}, {"", op.Field}} {
		if p[1] != "" {
			s += " " + p[0] + p[1]
		}
	}
	switch op.Kind {
	case "mark", "cardtlp", "anntlp", "srctlp", "addcard", "annotate", "addsource":
		s += " " + op.Level.Word()
	case "share":
		s = fmt.Sprintf("%c -> %c", 'A'+op.Copy, 'A'+op.N)
		if op.Flag {
			s += " capped " + op.Level.Word()
		}
		if op.Secret {
			s += ", encrypted"
		}
	}
	if op.Flag && op.Kind != "share" {
		s += " (+body)"
	}
	return s
}

// lkRun is one history being run.
type lkRun struct {
	tb      testing.TB
	dir     string
	cs      []*lkCopy
	handles map[string]string // handle -> record key
	tokens  map[string]*lkToken
	order   []string // tokens in the order written
	marks   []*lkMark
	next    int
	step    int
	log     []string
	// ctlClear and ctlGreen are the titles of the control cards: CLEAR
	// and GREEN by every rule, on a CLEAR board nothing else touches.
	ctlClear, ctlGreen string
	stats              lkStats
	pdfN               int
}

type lkStats struct {
	checks, claims, nonVacuous, refused, marks, cascades, exchanges, capped int
}

func (s *lkStats) add(o lkStats) {
	s.checks += o.checks
	s.claims += o.claims
	s.nonVacuous += o.nonVacuous
	s.refused += o.refused
	s.marks += o.marks
	s.cascades += o.cascades
	s.exchanges += o.exchanges
	s.capped += o.capped
}

func (r *lkRun) logf(format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf("%3d ", r.step)+fmt.Sprintf(format, args...))
}

func (r *lkRun) failf(format string, args ...any) error {
	return fmt.Errorf("step %d: %s", r.step, fmt.Sprintf(format, args...))
}

func (r *lkRun) newToken() string {
	r.next++
	return fmt.Sprintf("vq%06dx", r.next)
}

// --- reading a copy ---

// lkRec is one record of a copy, as its uncapped share file carries it.
type lkRec struct {
	kind   workspace.RecordKind
	rec    workspace.Record
	line   string
	tlpDot string
	tokens []string
}

type lkState map[string]*lkRec

func lkUnzip(file []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		out[f.Name] = b
	}
	return out, nil
}

func (r *lkRun) state(c *lkCopy) (lkState, error) {
	var buf bytes.Buffer
	if _, err := c.s.Share(&buf, workspace.ShareOptions{}); err != nil {
		return nil, fmt.Errorf("share %s: %w", c.name, err)
	}
	entries, err := lkUnzip(buf.Bytes())
	if err != nil {
		return nil, err
	}
	return lkParse(entries["records.jsonl"])
}

func lkParse(records []byte) (lkState, error) {
	st := lkState{}
	for _, line := range strings.Split(strings.TrimSpace(string(records)), "\n") {
		if line == "" {
			continue
		}
		var l struct {
			Kind   workspace.RecordKind `json:"kind"`
			Value  json.RawMessage      `json:"value"`
			Stamps workspace.Stamps     `json:"stamps"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			return nil, err
		}
		rec, err := workspace.DecodeRecord(l.Kind, l.Value)
		if err != nil {
			return nil, err
		}
		s := l.Stamps.Of("tlp")
		st[workspace.KeyOf(rec)] = &lkRec{kind: l.Kind, rec: rec, line: line,
			tlpDot: fmt.Sprintf("%s@%d", s.Replica, s.Clock), tokens: lkTokenRE.FindAllString(line, -1)}
	}
	return st, nil
}

// ownTLP is a record's marking field; with competing values, the
// strictest of them (a value that does not read counts as RED).
func ownTLP(rec workspace.Record) (own, strictest workspace.TLP) {
	switch x := rec.(type) {
	case *workspace.Meta:
		own = x.TLP
	case *workspace.Board:
		own = x.TLP
	case *workspace.Lane:
		own = x.TLP
	case *workspace.Card:
		own = x.TLP
	case *workspace.Source:
		own = x.TLP
	case *workspace.Annotation:
		own = x.TLP
	}
	strictest = own
	for _, c := range rec.RecordBase().Conflicts {
		if c.Field != "tlp" {
			continue
		}
		for _, v := range c.Values {
			var t workspace.TLP
			if json.Unmarshal(v.Value, &t) != nil {
				t = workspace.TLPRed
			}
			strictest = max(strictest, t)
		}
	}
	return own, strictest
}

// The keys of records by id.
func boardKey(id string) string     { return workspace.KeyOf(&workspace.Board{Base: base(id)}) }
func laneKey(id string) string      { return workspace.KeyOf(&workspace.Lane{Base: base(id)}) }
func cardKey(id string) string      { return workspace.KeyOf(&workspace.Card{Base: base(id)}) }
func sourceKey(id string) string    { return workspace.KeyOf(&workspace.Source{Base: base(id)}) }
func base(id string) workspace.Base { return workspace.Base{ID: id} }

// floorsOf lists, by DESIGN.md 4a, the records a record's marking can
// never be below: a card's board, lane and the sources it quotes; a
// lane's board; an annotation's card.
func floorsOf(rec workspace.Record) []string {
	switch x := rec.(type) {
	case *workspace.Card:
		out := []string{boardKey(x.Board), laneKey(x.Lane)}
		for _, ci := range x.Citations {
			if ci.Quote != "" {
				out = append(out, sourceKey(ci.Source))
			}
		}
		return out
	case *workspace.Lane:
		return []string{boardKey(x.Board)}
	case *workspace.Annotation:
		return []string{cardKey(x.Card)}
	}
	return nil
}

// dependentsOf lists what a marking action on key may release with it:
// the records that have it among their floors.
func dependentsOf(st lkState, key string) []string {
	var out []string
	for k, r := range st {
		for _, f := range floorsOf(r.rec) {
			if f == key {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// allowed is the lowest marking the rule lets token t carry on copy c: the
// marking it was written under, lowered by every marking action c knows
// of that saw it.
func (r *lkRun) allowed(c *lkCopy, t *lkToken) (workspace.TLP, string) {
	a, why := t.m, fmt.Sprintf("written under %s at step %d on %c", t.m.Word(), t.step, 'A'+t.copy)
	for ev := range c.known[t.key] {
		if !strings.HasPrefix(ev, "m:") {
			continue
		}
		id, _ := strconv.Atoi(ev[2:])
		m := r.marks[id]
		if m.seen[t.text] && m.level < a {
			a = m.level
			why = fmt.Sprintf("released to %s by the marking action of step %d on %c", m.level.Word(), m.step, 'A'+m.copy)
		}
	}
	return a, why
}

// effLo is a lower bound of a record's effective marking on copy c: its
// marking values, its floors and the tokens it holds. exclude names
// tokens not to count (those of the action being judged).
type lkEff struct {
	r       *lkRun
	c       *lkCopy
	st      lkState
	exclude map[string]bool
	memo    map[string]workspace.TLP
	why     map[string]string
}

func (r *lkRun) eff(c *lkCopy, st lkState, exclude map[string]bool) *lkEff {
	return &lkEff{r: r, c: c, st: st, exclude: exclude, memo: map[string]workspace.TLP{}, why: map[string]string{}}
}

func (e *lkEff) of(key string) workspace.TLP {
	if t, ok := e.memo[key]; ok {
		return t
	}
	e.memo[key] = workspace.TLPRed // a cycle cannot happen; be safe
	rec := e.st[key]
	if rec == nil {
		e.memo[key] = workspace.TLPClear
		return workspace.TLPClear
	}
	_, t := ownTLP(rec.rec)
	why := "its marking values"
	for _, f := range floorsOf(rec.rec) {
		if ft := e.of(f); ft > t {
			t, why = ft, "its floor "+f+" ("+e.why[f]+")"
		}
	}
	for _, tx := range rec.tokens {
		tok := e.r.tokens[tx]
		if tok == nil || tok.key != key || e.exclude[tx] {
			continue
		}
		if a, w := e.r.allowed(e.c, tok); a > t {
			t, why = a, "it holds "+tx+", "+w
		}
	}
	e.memo[key], e.why[key] = t, why
	return t
}

// lkClaim is the oracle's verdict on a token for one copy: absent from
// every output capped below level.
type lkClaim struct {
	level workspace.TLP
	why   string
}

func (r *lkRun) claims(c *lkCopy, st lkState) map[string]lkClaim {
	e := r.eff(c, st, nil)
	out := map[string]lkClaim{}
	for _, text := range r.order {
		t := r.tokens[text]
		a, why := r.allowed(c, t)
		if ef := e.of(t.key); ef > a {
			a, why = ef, fmt.Sprintf("its record %s is at least %s: %s", t.key, ef.Word(), e.why[t.key])
		}
		out[text] = lkClaim{level: a, why: why}
	}
	return out
}

// --- outputs ---

const (
	lkShare  = "share file"
	lkMD     = "Markdown"
	lkCanvas = "JSON Canvas"
	lkPDF    = "PDF"
)

var lkFormats = []string{lkShare, lkMD, lkCanvas, lkPDF}

// outputs renders every output of a copy at a cap, as lower-case text to
// search. refused is set when every output refused for the header's
// marking.
func (r *lkRun) outputs(c *lkCopy, snap *workspace.Snapshot, cap *workspace.TLP) (out map[string]string, refused bool, err error) {
	out = map[string]string{}
	nrefused := 0
	note := func(format string, e error) error {
		if errors.Is(e, workspace.ErrAboveCap) {
			nrefused++
			return nil
		}
		if e != nil {
			return fmt.Errorf("%s of %s: %w", format, c.name, e)
		}
		return nil
	}
	var buf bytes.Buffer
	if _, e := c.s.Share(&buf, workspace.ShareOptions{MaxTLP: cap}); e == nil {
		text, e := lkShareText(buf.Bytes())
		if e != nil {
			return nil, false, e
		}
		out[lkShare] = text
	} else if e := note(lkShare, e); e != nil {
		return nil, false, e
	}
	buf.Reset()
	if e := export.Markdown(&buf, snap, export.Options{MaxTLP: cap, Date: pinned}); e == nil {
		out[lkMD] = strings.ToLower(buf.String())
	} else if e := note(lkMD, e); e != nil {
		return nil, false, e
	}
	buf.Reset()
	if _, e := export.CanvasWith(&buf, snap, export.CanvasOptions{MaxTLP: cap}); e == nil {
		out[lkCanvas] = strings.ToLower(buf.String())
	} else if e := note(lkCanvas, e); e != nil {
		return nil, false, e
	}
	buf.Reset()
	if e := export.Brief(&buf, snap, export.Options{MaxTLP: cap, Date: pinned}); e == nil {
		text, e := r.pdfSearchText(buf.Bytes())
		if e != nil {
			return nil, false, e
		}
		out[lkPDF] = text
	} else if e := note(lkPDF, e); e != nil {
		return nil, false, e
	}
	if nrefused != 0 && nrefused != len(lkFormats) {
		return nil, false, fmt.Errorf("at cap %s on %s, %d of the %d outputs were refused for the header's marking, the others were not",
			cap.Word(), c.name, nrefused, len(lkFormats))
	}
	return out, nrefused > 0, nil
}

// lkShareText is a share file's manifest and records, lower case.
func lkShareText(file []byte) (string, error) {
	entries, err := lkUnzip(file)
	if err != nil {
		return "", fmt.Errorf("unzip share file: %w", err)
	}
	return strings.ToLower(string(entries["manifest.json"]) + "\n" + string(entries["records.jsonl"])), nil
}

// pdfSearchText is everything a PDF says that a reader or a tool could
// get at: its text as pdftotext extracts it, the raw file, and every
// Flate stream inflated (the page content, the outline, the metadata, the
// font subsets), each also with NUL bytes dropped so that UTF-16BE text
// strings read as ASCII. Lower case.
func (r *lkRun) pdfSearchText(pdf []byte) (string, error) {
	r.pdfN++
	f := filepath.Join(r.dir, fmt.Sprintf("brief%d.pdf", r.pdfN))
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		return "", err
	}
	defer os.Remove(f)
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		return "", fmt.Errorf("pdftotext: %w", err)
	}
	var b bytes.Buffer
	b.Write(text)
	b.WriteByte('\n')
	raw := [][]byte{pdf}
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			break
		}
		body := rest[i+len("stream"):]
		if bytes.HasPrefix(body, []byte("\r\n")) {
			body = body[2:]
		} else if bytes.HasPrefix(body, []byte("\n")) {
			body = body[1:]
		}
		end := bytes.Index(body, []byte("endstream"))
		if end < 0 {
			break
		}
		if zr, err := zlib.NewReader(bytes.NewReader(body[:end])); err == nil {
			if inflated, err := io.ReadAll(zr); err == nil || len(inflated) > 0 {
				raw = append(raw, inflated)
			}
		}
		rest = body[end+len("endstream"):]
	}
	for _, x := range raw {
		b.Write(x)
		b.WriteByte('\n')
		b.Write(bytes.ReplaceAll(x, []byte{0}, nil))
		b.WriteByte('\n')
	}
	return strings.ToLower(b.String()), nil
}

// expected lists, per format, the tokens an uncapped output must show:
// the search's own positive control, so a token the search cannot find
// (a PDF that lays text out as glyphs, say) fails loudly instead of
// passing every leak check.
func lkExpected(snap *workspace.Snapshot) map[string][]string {
	toks := func(ss ...string) []string {
		var out []string
		for _, s := range ss {
			out = append(out, lkTokenRE.FindAllString(s, -1)...)
		}
		return out
	}
	out := map[string][]string{}
	brief := toks(snap.Meta.Title, snap.Meta.Subtitle)
	canvas := toks(snap.Meta.Title)
	cited := map[string]bool{}
	for _, b := range snap.Boards {
		brief = append(brief, toks(b.Title, b.Purpose)...)
		canvas = append(canvas, toks(b.Title, b.Purpose)...)
		for _, l := range snap.Lanes[b.ID] {
			canvas = append(canvas, toks(l.Name)...)
			if len(snap.LaneCards[l.ID]) > 0 {
				brief = append(brief, toks(l.Name)...)
			}
			for _, c := range snap.LaneCards[l.ID] {
				ct := toks(c.Title, c.Body, strings.Join(c.Tags, " "))
				for _, ci := range c.Citations {
					if snap.SourceByID[ci.Source] != nil {
						ct = append(ct, toks(ci.Quote)...)
						cited[ci.Source] = true
					}
				}
				for _, a := range snap.Annotations[c.ID] {
					ct = append(ct, toks(a.Text)...)
				}
				brief = append(brief, ct...)
				canvas = append(canvas, ct...)
			}
		}
	}
	for _, s := range snap.Sources {
		st := toks(s.Title, s.Notes, s.Origin)
		canvas = append(canvas, st...)
		if cited[s.ID] {
			brief = append(brief, st...)
		}
	}
	out[lkMD], out[lkPDF], out[lkCanvas] = brief, brief, canvas
	return out
}

// checkCopy checks every output of a copy at every cap against the
// oracle's claims.
func (r *lkRun) checkCopy(c *lkCopy, when string) error {
	snap, err := c.s.Snapshot()
	if err != nil {
		return err
	}
	st, err := r.state(c)
	if err != nil {
		return err
	}
	claims := r.claims(c, st)
	full, refused, err := r.outputs(c, snap, nil)
	if err != nil {
		return err
	}
	if refused {
		return r.failf("%s: the uncapped outputs of %s were refused", when, c.name)
	}
	for f, list := range lkExpected(snap) {
		for _, t := range list {
			if !strings.Contains(full[f], t) {
				return r.failf("%s: positive control: the uncapped %s of %s lacks %s, which the workspace shows", when, f, c.name, t)
			}
		}
	}
	for _, f := range lkFormats {
		for _, ctl := range []string{r.ctlClear, r.ctlGreen} {
			if !strings.Contains(full[f], ctl) {
				return r.failf("%s: positive control: the uncapped %s of %s lacks the control card %s", when, f, c.name, ctl)
			}
		}
	}
	header := r.eff(c, st, nil).of("meta")
	for _, cp := range lkCaps {
		cp := cp
		out, refused, err := r.outputs(c, snap, &cp)
		if err != nil {
			return err
		}
		r.stats.checks++
		if refused {
			// The header is never marked above GREEN: only CLEAR outputs
			// may be refused.
			if cp != workspace.TLPClear {
				return r.failf("%s: the %s outputs of %s were refused for the header's marking", when, cp.Word(), c.name)
			}
			r.stats.refused++
			continue
		}
		if header > cp {
			return r.failf("%s: %s outputs at %s, although its header is at least %s (%s)", when, c.name, cp.Word(), header.Word(), r.eff(c, st, nil).why["meta"])
		}
		if err := r.checkOutputs(c, out, full, claims, &cp, when); err != nil {
			return err
		}
	}
	return nil
}

// checkOutputs checks the outputs at one cap: the control cards where the
// cap allows them, and no token the oracle says must be absent.
func (r *lkRun) checkOutputs(c *lkCopy, out, full map[string]string, claims map[string]lkClaim, cp *workspace.TLP, when string) error {
	for f, text := range out {
		if !strings.Contains(text, r.ctlClear) {
			return r.failf("%s: the %s %s of %s lacks the CLEAR control card %s: nothing was output", when, cp.Word(), f, c.name, r.ctlClear)
		}
		hasGreen := strings.Contains(text, r.ctlGreen)
		if *cp >= workspace.TLPGreen && !hasGreen {
			return r.failf("%s: the %s %s of %s lacks the GREEN control card %s: nothing was output", when, cp.Word(), f, c.name, r.ctlGreen)
		}
		if *cp < workspace.TLPGreen && hasGreen {
			return r.failf("%s: the %s %s of %s holds the GREEN control card %s", when, cp.Word(), f, c.name, r.ctlGreen)
		}
		var leaks []string
		for _, t := range r.order {
			cl := claims[t]
			if cl.level <= *cp {
				continue
			}
			r.stats.claims++
			if full != nil && strings.Contains(full[f], t) {
				r.stats.nonVacuous++
			}
			if strings.Contains(text, t) {
				tok := r.tokens[t]
				leaks = append(leaks, fmt.Sprintf("%s (%s of %s), which must be at least %s: %s", t, tok.what, tok.key, cl.level.Word(), cl.why))
			}
		}
		if len(leaks) > 0 {
			return r.failf("%s: LEAK: the %s %s of %s holds\n    %s", when, cp.Word(), f, c.name, strings.Join(leaks, "\n    "))
		}
	}
	return nil
}

// --- running steps ---

type lkNew struct{ text, key, what string }

// exec runs one step.
func (r *lkRun) exec(op lkOp) error {
	r.step++
	if op.Kind == "share" {
		return r.exchange(op)
	}
	c := r.cs[op.Copy]
	key := func(h string) string { return r.handles[h] }
	before, err := r.state(c)
	if err != nil {
		return err
	}
	var made []lkNew
	tok := func(what string) string {
		t := r.newToken()
		made = append(made, lkNew{text: t, what: what})
		return t
	}
	live := func(h string) workspace.Record {
		rec := before[key(h)]
		if rec == nil || rec.rec.RecordBase().Deleted {
			return nil
		}
		return rec.rec
	}
	liveCard := func(h string) *workspace.Card {
		if x, ok := live(h).(*workspace.Card); ok {
			return x
		}
		return nil
	}
	var explicit []string // records whose marking the step sets
	var newKey string
	skip := func() error { r.logf("%s: skipped (its records are not there)", op); return nil }
	edit := func(h string, fn func(x *workspace.Card)) error {
		x := liveCard(h)
		if x == nil {
			return errSkip
		}
		_, err := c.s.UpdateCard(x.ID, "Edit card", func(x *workspace.Card) error { fn(x); return nil })
		return err
	}
	switch op.Kind {
	case "title":
		err = edit(op.A, func(x *workspace.Card) { x.Title = tok("card title") })
	case "body":
		err = edit(op.A, func(x *workspace.Card) {
			if op.Flag && x.Body != "" {
				x.Body += " " + tok("card body")
			} else {
				x.Body = tok("card body")
			}
		})
	case "tag":
		err = edit(op.A, func(x *workspace.Card) { x.Tags = append(x.Tags, tok("card tag")) })
	case "quote":
		if live(op.B) == nil {
			err = errSkip
			break
		}
		err = edit(op.A, func(x *workspace.Card) {
			x.Citations = append(x.Citations, workspace.Citation{Source: live(op.B).RecordBase().ID, Quote: tok("quote")})
		})
	case "unquote":
		err = edit(op.A, func(x *workspace.Card) {
			if n := len(x.Citations); n > 0 {
				i := op.N % n
				x.Citations = append(x.Citations[:i:i], x.Citations[i+1:]...)
			}
		})
	case "cardtlp":
		explicit = []string{key(op.A)}
		err = edit(op.A, func(x *workspace.Card) {
			x.TLP = op.Level
			if op.Flag {
				x.Body += " " + tok("card body")
			}
		})
	case "move":
		x, b := liveCard(op.A), live(op.B)
		if x == nil || b == nil {
			err = errSkip
			break
		}
		var lanes []*workspace.Lane
		for _, rec := range before {
			if l, ok := rec.rec.(*workspace.Lane); ok && l.Board == b.RecordBase().ID && !l.Deleted {
				lanes = append(lanes, l)
			}
		}
		if len(lanes) == 0 {
			err = errSkip
			break
		}
		sort.Slice(lanes, func(i, j int) bool { return lanes[i].Order < lanes[j].Order })
		err = c.s.MoveCard(x.ID, workspace.Move{Board: b.RecordBase().ID, Lane: lanes[op.N%len(lanes)].ID})
	case "addcard":
		b := live(op.B)
		if b == nil {
			err = errSkip
			break
		}
		level := op.Level
		var x *workspace.Card
		x, err = c.s.AddCard(workspace.CardDraft{Board: b.RecordBase().ID, Title: tok("card title"), Body: tok("card body"), TLP: &level})
		if err == nil {
			newKey = workspace.KeyOf(x)
		}
	case "delete":
		x := liveCard(op.A)
		if x == nil {
			err = errSkip
			break
		}
		err = c.s.DeleteCard(x.ID)
	case "annotate":
		x := liveCard(op.A)
		if x == nil {
			err = errSkip
			break
		}
		level := op.Level
		var a *workspace.Annotation
		a, err = c.s.AddAnnotation(x.ID, workspace.AnnComment, tok("annotation"), &level)
		if err == nil {
			newKey = workspace.KeyOf(a)
		}
	case "anntext", "anntlp":
		a, ok := live(op.A).(*workspace.Annotation)
		if !ok || before[cardKey(a.Card)] == nil || before[cardKey(a.Card)].rec.RecordBase().Deleted {
			err = errSkip
			break
		}
		if op.Kind == "anntlp" {
			explicit = []string{key(op.A)}
		}
		err = c.s.UpdateAnnotation(a.Card, a.ID, "Edit annotation", func(x *workspace.Annotation) error {
			if op.Kind == "anntlp" {
				x.TLP = op.Level
			} else {
				x.Text = tok("annotation")
			}
			return nil
		})
	case "addsource":
		var src *workspace.Source
		src, err = c.s.AddSource(workspace.Source{Title: tok("source title"), Notes: tok("source notes"), TLP: op.Level,
			Grade: workspace.Grade{Reliability: "B", Credibility: 2}}, false)
		if err == nil {
			newKey = workspace.KeyOf(src)
		}
	case "srctext", "srctlp":
		src, ok := live(op.A).(*workspace.Source)
		if !ok {
			err = errSkip
			break
		}
		if op.Kind == "srctlp" {
			explicit = []string{key(op.A)}
		}
		err = c.s.UpdateSource(src.ID, func(x *workspace.Source) error {
			switch {
			case op.Kind == "srctlp":
				x.TLP = op.Level
			case op.N%2 == 0:
				x.Title = tok("source title")
			default:
				x.Notes = tok("source notes")
			}
			return nil
		})
	case "board":
		b, ok := live(op.A).(*workspace.Board)
		if !ok {
			err = errSkip
			break
		}
		err = c.s.UpdateBoard(b.ID, func(x *workspace.Board) error {
			if op.N%2 == 0 {
				x.Title = tok("board title")
			} else {
				x.Purpose = tok("board purpose")
			}
			return nil
		})
	case "lane":
		l, ok := live(op.A).(*workspace.Lane)
		if !ok {
			err = errSkip
			break
		}
		err = c.s.RenameLane(l.ID, tok("lane name"))
	case "addlane":
		b, ok := live(op.B).(*workspace.Board)
		if !ok {
			err = errSkip
			break
		}
		var l *workspace.Lane
		l, err = c.s.AddLane(b.ID, tok("lane name"))
		if err == nil {
			newKey = workspace.KeyOf(l)
		}
	case "subtitle":
		err = c.s.UpdateMeta("Edit workspace", func(m *workspace.Meta) error { m.Subtitle = tok("subtitle"); return nil })
	case "metatitle":
		err = c.s.UpdateMeta("Edit workspace", func(m *workspace.Meta) error { m.Title = tok("workspace title"); return nil })
	case "mark":
		if live(op.A) == nil {
			err = errSkip
			break
		}
		explicit = []string{key(op.A)}
		err = c.s.SetMarking(key(op.A), op.Level)
	case "undo":
		_, err = c.s.Undo()
	case "redo":
		_, err = c.s.Redo()
	case "resolve":
		rec := live(op.A)
		if rec == nil {
			err = errSkip
			break
		}
		var values []workspace.ConflictValue
		for _, cf := range rec.RecordBase().Conflicts {
			if cf.Field == op.Field {
				values = cf.Values
			}
		}
		if len(values) == 0 {
			err = errSkip
			break
		}
		if op.Field == "tlp" {
			explicit = []string{key(op.A)}
		}
		_, err = c.s.ResolveConflict(key(op.A), op.Field, values[op.N%len(values)].Value)
	default:
		return fmt.Errorf("unknown step %q", op.Kind)
	}
	switch {
	case errors.Is(err, errSkip):
		return skip()
	case errors.Is(err, workspace.ErrInvalid), errors.Is(err, workspace.ErrNothingToUndo), errors.Is(err, workspace.ErrNothingToRedo):
		r.logf("%s: refused: %v", op, err)
		made = nil
	case err != nil:
		return r.failf("%s: %v", op, err)
	default:
		r.logf("%s", op)
	}
	if op.New != "" && newKey != "" {
		r.handles[op.New] = newKey
	}
	after, err := r.state(c)
	if err != nil {
		return err
	}
	return r.learnAction(c, op, before, after, explicit, made, newKey)
}

var errSkip = errors.New("skip")

// learnAction records in the oracle what a local action did: the marking
// actions it made (the records whose marking field it wrote: those it set
// and, for a lowering, their dependents) and the tokens it wrote, each
// with a lower bound of the marking of its record after the action.
func (r *lkRun) learnAction(c *lkCopy, op lkOp, before, after lkState, explicit []string, made []lkNew, newKey string) error {
	restoring := op.Kind == "undo" || op.Kind == "redo"
	// The records the step may write the marking of: what it set, and
	// everything whose marking may come from those.
	may := map[string]bool{}
	queue := append([]string(nil), explicit...)
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if may[k] {
			continue
		}
		may[k] = true
		queue = append(queue, dependentsOf(before, k)...)
		queue = append(queue, dependentsOf(after, k)...)
	}
	var wrote []string
	for k, a := range after {
		b := before[k]
		if b == nil || b.tlpDot == a.tlpDot {
			continue
		}
		wrote = append(wrote, k)
	}
	sort.Strings(wrote)
	if !restoring {
		for _, k := range wrote {
			if !may[k] {
				return r.failf("%s wrote the marking of %s, which nothing it set floors", op, k)
			}
		}
	}
	if restoring {
		// An undo or redo restores markings with what they released: it is
		// no new marking action.
		wrote = nil
	}
	for _, k := range wrote {
		own, _ := ownTLP(after[k].rec)
		m := &lkMark{id: len(r.marks), key: k, level: own, seen: map[string]bool{}, step: r.step, copy: indexOf(r.cs, c)}
		for ev := range c.known[k] {
			if strings.HasPrefix(ev, "t:") {
				m.seen[ev[2:]] = true
			}
		}
		m.cascade = !contains(explicit, k)
		r.marks = append(r.marks, m)
		c.learn(k, fmt.Sprintf("m:%d", m.id))
		r.stats.marks++
		if m.cascade {
			r.stats.cascades++
			r.logf("    cascade: marking of %s set to %s", k, own.Word())
		}
	}
	if len(made) == 0 {
		return nil
	}
	// Which record each token went to.
	exclude := map[string]bool{}
	for _, n := range made {
		exclude[n.text] = true
	}
	for i := range made {
		for k, a := range after {
			if contains(a.tokens, made[i].text) {
				made[i].key = k
				break
			}
		}
		if made[i].key == "" {
			return r.failf("%s: the token %s it wrote is in no record", op, made[i].text)
		}
	}
	e := r.eff(c, after, exclude)
	for _, n := range made {
		t := &lkToken{text: n.text, key: n.key, what: n.what, m: e.of(n.key), step: r.step, copy: indexOf(r.cs, c)}
		r.tokens[n.text] = t
		r.order = append(r.order, n.text)
		c.learn(n.key, "t:"+n.text)
	}
	return nil
}

func indexOf(cs []*lkCopy, c *lkCopy) int {
	for i, x := range cs {
		if x == c {
			return i
		}
	}
	return -1
}

// exchange shares from one copy to another, capped or not, checks the
// file as an output of its sender, imports it and checks every output of
// the receiver.
func (r *lkRun) exchange(op lkOp) error {
	from, to := r.cs[op.Copy], r.cs[op.N]
	var cap *workspace.TLP
	if op.Flag {
		level := op.Level
		cap = &level
	}
	r.stats.exchanges++
	var pass []byte
	if op.Secret {
		pass = []byte("property test passphrase")
	}
	var buf bytes.Buffer
	_, err := from.s.Share(&buf, workspace.ShareOptions{MaxTLP: cap, Passphrase: pass})
	if errors.Is(err, workspace.ErrAboveCap) {
		r.logf("%s: refused (the header is above the cap)", op)
		return nil
	}
	if err != nil {
		return r.failf("%s: %v", op, err)
	}
	zipped := buf.Bytes()
	if op.Secret {
		id, err := age.NewScryptIdentity(string(pass))
		if err != nil {
			return err
		}
		dec, err := age.Decrypt(bytes.NewReader(zipped), id)
		if err != nil {
			return r.failf("%s: decrypt with age: %v", op, err)
		}
		if zipped, err = io.ReadAll(dec); err != nil {
			return r.failf("%s: decrypt with age: %v", op, err)
		}
	}
	if cap != nil {
		r.stats.capped++
		st, err := r.state(from)
		if err != nil {
			return err
		}
		text, err := lkShareText(zipped)
		if err != nil {
			return err
		}
		var fullText strings.Builder
		for _, rec := range st {
			fullText.WriteString(strings.ToLower(rec.line))
		}
		if err := r.checkOutputs(from, map[string]string{lkShare: text}, map[string]string{lkShare: fullText.String()},
			r.claims(from, st), cap, "the file of "+op.String()); err != nil {
			return err
		}
	}
	sf, err := workspace.ReadShare(bytes.NewReader(zipped), nil)
	if err != nil {
		return r.failf("%s: read: %v", op, err)
	}
	if _, err := to.s.Import(sf); err != nil {
		return r.failf("%s: import: %v", op, err)
	}
	r.logf("%s (%d records)", op, len(sf.Records))
	for _, rec := range sf.Records {
		for ev := range from.known[rec.Key] {
			to.learn(rec.Key, ev)
		}
	}
	return r.checkCopy(to, "after "+op.String())
}

// --- making histories ---

// newRun makes the first copy and returns the run; setup and fork follow.
func newLkRun(tb testing.TB) (*lkRun, error) {
	r := &lkRun{tb: tb, dir: tb.TempDir(), handles: map[string]string{}, tokens: map[string]*lkToken{}}
	dir := filepath.Join(lkFastDir(tb), "A")
	s, err := workspace.Create(dir, workspacetest.Template(tb, "empty"), workspace.Options{Now: lkClock(0)})
	if err != nil {
		return nil, err
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.SetProfile(workspace.Profile{Name: "Analyst A"}); err != nil {
		return nil, err
	}
	r.cs = append(r.cs, &lkCopy{name: "A", s: s, known: map[string]map[string]bool{}})
	snap, err := s.Snapshot()
	if err != nil {
		return nil, err
	}
	r.handles["meta"] = "meta"
	for i, b := range snap.Boards {
		h := fmt.Sprintf("b%d", i)
		r.handles[h] = workspace.KeyOf(b)
		for j, l := range snap.Lanes[b.ID] {
			r.handles[fmt.Sprintf("%s.l%d", h, j)] = workspace.KeyOf(l)
		}
	}
	// The control board and cards: CLEAR and GREEN, never touched.
	ctl, err := s.AddBoard("Control board", "")
	if err != nil {
		return nil, err
	}
	r.ctlClear, r.ctlGreen = r.newToken(), r.newToken()
	for _, x := range []struct {
		title string
		tlp   workspace.TLP
	}{{r.ctlClear, workspace.TLPClear}, {r.ctlGreen, workspace.TLPGreen}} {
		level := x.tlp
		c, err := s.AddCard(workspace.CardDraft{Board: ctl.ID, Title: x.title, TLP: &level})
		if err != nil {
			return nil, err
		}
		r.tokens[x.title] = &lkToken{text: x.title, key: workspace.KeyOf(c), what: "control card title", m: x.tlp}
		r.order = append(r.order, x.title)
	}
	return r, nil
}

func lkClock(i int) func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 12, 28, 9, i, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// lkFastDir is a temporary directory in memory where the machine has one.
func lkFastDir(tb testing.TB) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "briefboard-test-"); err == nil {
			tb.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return tb.TempDir()
}

// fork makes B and C, copies of A from its uncapped share file: they
// know what A knows.
func (r *lkRun) fork() error {
	a := r.cs[0]
	var buf bytes.Buffer
	if _, err := a.s.Share(&buf, workspace.ShareOptions{}); err != nil {
		return err
	}
	for i, name := range []string{"B", "C"} {
		sf, err := workspace.ReadShare(bytes.NewReader(buf.Bytes()), nil)
		if err != nil {
			return err
		}
		dir := filepath.Join(lkFastDir(r.tb), name)
		s, _, err := workspace.CreateFromShare(dir, sf, workspace.Options{Now: lkClock(i + 1)})
		if err != nil {
			return err
		}
		r.tb.Cleanup(func() { s.Close() })
		if err := s.SetProfile(workspace.Profile{Name: "Analyst " + name}); err != nil {
			return err
		}
		c := &lkCopy{name: name, s: s, known: map[string]map[string]bool{}}
		for _, rec := range sf.Records {
			for ev := range a.known[rec.Key] {
				c.learn(rec.Key, ev)
			}
		}
		r.cs = append(r.cs, c)
	}
	r.logf("B and C are copies of A")
	return nil
}

// lkGen makes the steps of a history from a seed, looking at the copies
// as they are when each step is chosen.
type lkGen struct {
	r   *lkRun
	rng *rand.Rand
	n   int
}

func (g *lkGen) handle(prefix string) string {
	g.n++
	return fmt.Sprintf("%s%d", prefix, g.n)
}

func (g *lkGen) level() workspace.TLP {
	return workspace.TLPLevels[g.rng.Intn(len(workspace.TLPLevels))]
}

// setup is the start of every history, on A: a title, three sources, a
// few cards with quotes and annotations, boards marked at random.
func (g *lkGen) setup() []lkOp {
	rng := g.rng
	ops := []lkOp{{Kind: "metatitle"}}
	for i := 0; i < 3; i++ {
		ops = append(ops, lkOp{Kind: "board", A: fmt.Sprintf("b%d", i), N: 0}, lkOp{Kind: "board", A: fmt.Sprintf("b%d", i), N: 1})
	}
	var srcs, cards []string
	for i := 0; i < 3; i++ {
		h := g.handle("s")
		srcs = append(srcs, h)
		ops = append(ops, lkOp{Kind: "addsource", New: h, Level: g.level()})
	}
	for i := 0; i < 5; i++ {
		h := g.handle("c")
		cards = append(cards, h)
		ops = append(ops, lkOp{Kind: "addcard", New: h, B: fmt.Sprintf("b%d", rng.Intn(3)), Level: g.level()})
	}
	for i := 0; i < 3; i++ {
		ops = append(ops, lkOp{Kind: "quote", A: cards[rng.Intn(len(cards))], B: srcs[rng.Intn(len(srcs))]})
		ops = append(ops, lkOp{Kind: "annotate", A: cards[rng.Intn(len(cards))], New: g.handle("a"), Level: g.level()})
		ops = append(ops, lkOp{Kind: "lane", A: fmt.Sprintf("b%d.l%d", rng.Intn(3), rng.Intn(5))})
	}
	for i := 0; i < 3; i++ {
		if rng.Intn(2) == 0 {
			ops = append(ops, lkOp{Kind: "mark", A: fmt.Sprintf("b%d", i), Level: g.level()})
		}
	}
	return ops
}

// next chooses a step from the state of the copies.
func (g *lkGen) next() (lkOp, error) {
	r, rng := g.r, g.rng
	x := rng.Intn(3)
	if rng.Intn(3) == 0 {
		op := lkOp{Kind: "share", Copy: x, N: (x + 1 + rng.Intn(2)) % 3}
		if rng.Intn(2) == 0 {
			op.Flag, op.Level = true, g.level()
		}
		return op, nil
	}
	st, err := r.state(r.cs[x])
	if err != nil {
		return lkOp{}, err
	}
	byKey := map[string]string{}
	for h, k := range r.handles {
		byKey[k] = h
	}
	pick := func(kind workspace.RecordKind) string {
		var hs []string
		for k, rec := range st {
			h := byKey[k]
			if rec.kind != kind || rec.rec.RecordBase().Deleted || h == "" || h == "meta" {
				continue
			}
			if c, ok := rec.rec.(*workspace.Card); ok && (byKey[boardKey(c.Board)] == "" || st[boardKey(c.Board)] == nil) {
				continue
			}
			if a, ok := rec.rec.(*workspace.Annotation); ok && (byKey[cardKey(a.Card)] == "" || st[cardKey(a.Card)] == nil || st[cardKey(a.Card)].rec.RecordBase().Deleted) {
				continue
			}
			if l, ok := rec.rec.(*workspace.Lane); ok && byKey[boardKey(l.Board)] == "" {
				continue
			}
			hs = append(hs, h)
		}
		if len(hs) == 0 {
			return ""
		}
		sort.Strings(hs)
		// Most steps work on a few records, so that histories pile
		// writes, markings and exchanges on the same ones.
		if len(hs) > 3 && rng.Intn(4) != 0 {
			hs = hs[:3]
		}
		return hs[rng.Intn(len(hs))]
	}
	card, src, board := pick(workspace.RecCard), pick(workspace.RecSource), fmt.Sprintf("b%d", rng.Intn(3))
	// Now and then the step writes again a field of a card whose earlier
	// write the store holds at a stricter marking: the edits that carry
	// text on (an appended body, a list of tags or quotes, a conflict
	// resolved) are where a release by a mere edit would show. The store's
	// held writes only steer the choice; the oracle never reads them.
	if rng.Intn(3) == 0 {
		if op, ok := g.rewriteHeld(x, st, byKey); ok {
			return op, nil
		}
	}
	op := lkOp{Copy: x, A: card}
	switch k := rng.Intn(100); {
	case k < 6:
		op.Kind = "title"
	case k < 14:
		op.Kind, op.Flag = "body", rng.Intn(3) != 0
	case k < 18:
		op.Kind = "tag"
	case k < 24:
		op.Kind, op.B = "quote", src
	case k < 27:
		op.Kind, op.N = "unquote", rng.Intn(4)
	case k < 33:
		op.Kind, op.Level, op.Flag = "cardtlp", g.level(), rng.Intn(3) == 0
	case k < 39:
		op.Kind, op.B, op.N = "move", board, rng.Intn(5)
	case k < 42:
		op.Kind, op.A, op.B, op.New, op.Level = "addcard", "", board, g.handle("c"), g.level()
	case k < 43:
		op.Kind = "delete"
	case k < 47:
		op.Kind, op.New, op.Level = "annotate", g.handle("a"), g.level()
	case k < 49:
		op.Kind, op.A = "anntext", pick(workspace.RecAnnotation)
	case k < 52:
		op.Kind, op.A, op.Level = "anntlp", pick(workspace.RecAnnotation), g.level()
	case k < 53:
		op.Kind, op.A, op.New, op.Level = "addsource", "", g.handle("s"), g.level()
	case k < 55:
		op.Kind, op.A, op.N = "srctext", src, rng.Intn(2)
	case k < 57:
		op.Kind, op.A, op.Level = "srctlp", src, g.level()
	case k < 60:
		op.Kind, op.A, op.N = "board", board, rng.Intn(2)
	case k < 62:
		op.Kind, op.A = "lane", pick(workspace.RecLane)
	case k < 63:
		op.Kind, op.A, op.B, op.New = "addlane", "", board, g.handle("l")
	case k < 64:
		op.Kind, op.A = "subtitle", ""
	case k < 86:
		// A marking action on any kind of record: raising, lowering or
		// setting the same value.
		op.Kind, op.Level = "mark", g.level()
		switch rng.Intn(7) {
		case 0:
			op.A, op.Level = "meta", workspace.TLPLevels[rng.Intn(2)] // the header stays at most GREEN
		case 1:
			op.A = board
		case 2:
			op.A = pick(workspace.RecLane)
		case 3:
			op.A = src
		case 4:
			op.A = pick(workspace.RecAnnotation)
		}
	case k < 92:
		op.Kind, op.A = "undo", ""
	case k < 95:
		op.Kind, op.A = "redo", ""
	default:
		recs, err := r.cs[x].s.ConflictRecords()
		if err != nil {
			return lkOp{}, err
		}
		if len(recs) == 0 {
			op.Kind, op.A = "undo", ""
			break
		}
		sort.Slice(recs, func(i, j int) bool { return byKey[recs[i].Key] < byKey[recs[j].Key] })
		cr := recs[rng.Intn(len(recs))]
		if len(cr.Conflicts) == 0 || byKey[cr.Key] == "" {
			op.Kind, op.A = "undo", ""
			break
		}
		op.Kind, op.A = "resolve", byKey[cr.Key]
		op.Field, op.N = cr.Conflicts[rng.Intn(len(cr.Conflicts))].Field, rng.Intn(3)
	}
	return op, nil
}

// rewriteHeld chooses a step that writes again a held field of a card.
func (g *lkGen) rewriteHeld(x int, st lkState, byKey map[string]string) (lkOp, bool) {
	var hs []string
	for k, rec := range st {
		if c, ok := rec.rec.(*workspace.Card); ok && !c.Deleted && len(c.Held) > 0 && byKey[k] != "" && byKey[boardKey(c.Board)] != "" {
			hs = append(hs, byKey[k])
		}
	}
	if len(hs) == 0 {
		return lkOp{}, false
	}
	sort.Strings(hs)
	h0 := hs[g.rng.Intn(len(hs))]
	c := st[g.r.handles[h0]].rec.(*workspace.Card)
	var fields []string
	for _, h := range c.Held {
		fields = append(fields, h.Fields...)
	}
	sort.Strings(fields)
	h := workspace.HeldWrite{Fields: fields}
	op := lkOp{Copy: x, A: h0}
	for _, cf := range c.Conflicts {
		if contains(h.Fields, cf.Field) && g.rng.Intn(2) == 0 {
			op.Kind, op.Field, op.N = "resolve", cf.Field, g.rng.Intn(3)
			return op, true
		}
	}
	switch f := h.Fields[g.rng.Intn(len(h.Fields))]; f {
	case "title":
		op.Kind = "title"
	case "tags":
		op.Kind = "tag"
	case "citations":
		op.Kind, op.N = "unquote", g.rng.Intn(3)
		if g.rng.Intn(2) == 0 {
			op.Kind = "quote"
			var srcs []string
			for k, rec := range st {
				if rec.kind == workspace.RecSource && byKey[k] != "" {
					srcs = append(srcs, byKey[k])
				}
			}
			sort.Strings(srcs)
			if len(srcs) > 0 {
				op.B = srcs[g.rng.Intn(len(srcs))]
			}
		}
	default:
		op.Kind, op.Flag = "body", true
	}
	return op, true
}

// lkHistory is a history as data: its setup, then its steps.
type lkHistory struct {
	seed  int64
	setup []lkOp
	steps []lkOp
}

// play runs a history on new copies and returns its first failure. With
// gen set, the steps are chosen as the history goes and recorded.
func playLk(tb testing.TB, h *lkHistory, gen *lkGen, nsteps int, encrypt bool) (r *lkRun, err error) {
	r, err = newLkRun(tb)
	if err != nil {
		return r, err
	}
	if gen != nil {
		gen.r = r
		h.setup = gen.setup()
	}
	for _, op := range h.setup {
		if err := r.exec(op); err != nil {
			return r, err
		}
	}
	if err := r.fork(); err != nil {
		return r, err
	}
	if err := r.checkCopy(r.cs[1], "after the fork"); err != nil {
		return r, err
	}
	if gen == nil {
		for _, op := range h.steps {
			if err := r.exec(op); err != nil {
				return r, err
			}
		}
	} else {
		for i := 0; i < nsteps; i++ {
			op, err := gen.next()
			if err != nil {
				return r, err
			}
			h.steps = append(h.steps, op)
			if err := r.exec(op); err != nil {
				return r, err
			}
		}
		// One capped file encrypted (in the first history: scrypt costs a
		// second and 256 MB): what is checked is what age decrypts.
		if encrypt {
			op := lkOp{Kind: "share", Copy: gen.rng.Intn(3), Flag: true, Level: lkCaps[gen.rng.Intn(len(lkCaps))], Secret: true}
			op.N = (op.Copy + 1) % 3
			h.steps = append(h.steps, op)
			if err := r.exec(op); err != nil {
				return r, err
			}
		}
	}
	// Everyone sends everyone an uncapped file, then every copy is
	// checked once more.
	for _, i := range []int{0, 1, 2, 0} {
		if err := r.exec(lkOp{Kind: "share", Copy: i, N: (i + 1) % 3}); err != nil {
			return r, err
		}
	}
	return r, nil
}

// shrink looks for a shorter history that still fails: it leaves steps
// out one at a time, the setup's too, keeping every removal after which a
// failure remains. (Record ids and replica ids are random, so a replay
// may take another turn where the winner of a conflict decides.)
func shrinkLk(t *testing.T, h *lkHistory) *lkHistory {
	best := &lkHistory{seed: h.seed, setup: append([]lkOp(nil), h.setup...), steps: append([]lkOp(nil), h.steps...)}
	fails := func(try *lkHistory) bool {
		failed := false
		t.Run("shrink", func(t *testing.T) {
			_, err := playLk(t, try, nil, 0, false)
			failed = err != nil
		})
		return failed
	}
	for i := len(best.steps) - 1; i >= 0; i-- {
		try := &lkHistory{seed: h.seed, setup: best.setup}
		try.steps = append(append([]lkOp(nil), best.steps[:i]...), best.steps[i+1:]...)
		if fails(try) {
			best = try
		}
	}
	for i := len(best.setup) - 1; i >= 0; i-- {
		try := &lkHistory{seed: h.seed, steps: best.steps}
		try.setup = append(append([]lkOp(nil), best.setup[:i]...), best.setup[i+1:]...)
		if fails(try) {
			best = try
		}
	}
	return best
}

func TestMarking_NoLeakProperty(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed to read the briefs back")
	}
	seed := *propSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -property.seed=%d or BRIEFBOARD_PROPERTY_SEED=%d), %d histories of %d steps",
		seed, seed, seed, *propHistories, *propSteps)
	rng := rand.New(rand.NewSource(seed))
	var mu sync.Mutex
	var total lkStats
	start := time.Now()
	t.Run("histories", func(t *testing.T) {
		for i := 0; i < *propHistories; i++ {
			hseed := rng.Int63()
			if *propHistory != 0 {
				if i > 0 {
					break
				}
				hseed = *propHistory
			}
			t.Run(fmt.Sprintf("history%d-seed%d", i, hseed), func(t *testing.T) {
				t.Parallel()
				h := &lkHistory{seed: hseed}
				r, err := playLk(t, h, &lkGen{rng: rand.New(rand.NewSource(hseed))}, *propSteps, i == 0)
				if err != nil {
					msg := fmt.Sprintf("history seed %d (rerun with -property.history=%d): %v\nsteps:\n  %s", hseed, hseed, err,
						strings.Join(r.log, "\n  "))
					if *propShrink {
						small := shrinkLk(t, h)
						r2, err2 := playLk(t, small, nil, 0, false)
						if err2 != nil {
							msg += fmt.Sprintf("\n\nshrunk to %d of %d steps: %v\nsteps:\n  %s", len(small.setup)+len(small.steps), len(h.setup)+len(h.steps), err2,
								strings.Join(r2.log, "\n  "))
						}
					}
					t.Fatal(msg)
				}
				mu.Lock()
				total.add(r.stats)
				mu.Unlock()
			})
		}
	})
	t.Logf("%v: %d output checks at a cap (%d refused for the header), %d claims of absence, %d of them on tokens the uncapped output shows; %d marking actions (%d cascaded), %d exchanges (%d capped)",
		time.Since(start).Round(time.Millisecond), total.checks, total.refused, total.claims, total.nonVacuous,
		total.marks, total.cascades, total.exchanges, total.capped)
	if !t.Failed() && total.nonVacuous == 0 {
		t.Fatal("no claim of absence was about a token the uncapped outputs show: the test checks nothing")
	}
}
