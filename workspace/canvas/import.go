package canvas

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"briefboard/workspace"
)

// Summary says what an import did, with a note for everything it had to
// leave out or change on the way in.
type Summary struct {
	BoardsCreated  int
	BoardsUpdated  int
	LanesCreated   int
	LanesUpdated   int
	CardsCreated   int
	CardsUpdated   int
	SourcesCreated int
	PartiesAdded   int
	// Links counts the edges that became links.
	Links       int
	Annotations int
	// TopKeys counts the canvas's unknown top-level keys the import kept
	// (replacing those an earlier canvas left).
	TopKeys int
	// Marked says the canvas states a marking (a banner, or Briefboard's
	// top-level key); Floor is that marking: everything the import wrote
	// is marked at least that.
	Marked bool
	Floor  workspace.TLP
	// Notes lists, in order, what the import left out or changed (an edge
	// between groups, a link type cut short...). NotesOmitted counts notes
	// beyond MaxNotes.
	Notes        []string
	NotesOmitted int
}

// MaxNotes bounds the notes a Summary lists.
const MaxNotes = 100

func (s *Summary) note(format string, args ...any) {
	if len(s.Notes) >= MaxNotes {
		s.NotesOmitted++
		return
	}
	s.Notes = append(s.Notes, fmt.Sprintf(format, args...))
}

// Changed reports whether the import changed the workspace.
func (s *Summary) Changed() bool {
	return s.BoardsCreated+s.BoardsUpdated+s.LanesCreated+s.LanesUpdated+s.CardsCreated+s.CardsUpdated+
		s.SourcesCreated+s.PartiesAdded+s.Annotations+s.TopKeys > 0
}

// String sums the import up in one line, without the notes.
func (s *Summary) String() string {
	if !s.Changed() {
		return "Nothing to import: the workspace already holds this canvas."
	}
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	add(s.CardsCreated, "new card", "new cards")
	add(s.CardsUpdated, "card updated", "cards updated")
	add(s.BoardsCreated, "new board", "new boards")
	add(s.BoardsUpdated, "board updated", "boards updated")
	add(s.LanesCreated, "new lane", "new lanes")
	add(s.LanesUpdated, "lane updated", "lanes updated")
	add(s.SourcesCreated, "new source", "new sources")
	add(s.PartiesAdded, "party added", "parties added")
	add(s.Links, "link", "links")
	add(s.Annotations, "annotation", "annotations")
	add(s.TopKeys, "top-level canvas key kept", "top-level canvas keys kept")
	return "Imported " + strings.Join(parts, ", ") + "."
}

// Import brings a canvas into the store as one action, "Import canvas",
// which lands whole or not at all and is undone in one step. Text nodes
// become cards, file and link nodes cards that cite them as sources, groups
// boards and lanes (see the rules at the top of plan.go), edges links.
// A node that carries a card id of the workspace (an export of it, edited
// elsewhere) updates that card instead of adding one. Keys the canvas has
// that Briefboard does not model are kept in the records' Extra (the
// top-level ones as a workspace.Extra of format ExtraFormat), so an export
// writes them again. Markings follow the rules in marking.go: labels in
// the text count, the canvas's marking is a floor for everything the
// import writes, and no marking is ever lowered.
//
// An import that would change nothing returns a Summary that says so.
func Import(s *workspace.Store, c *Canvas) (*Summary, error) {
	p, err := makePlan(c)
	if err != nil {
		return nil, err
	}
	var sum *Summary
	_, err = s.Do("Import canvas", func(tx *workspace.Tx) error {
		// The action holds the store's lock, so this snapshot is the
		// state the action starts from.
		snap, err := s.Snapshot()
		if err != nil {
			return err
		}
		im := &importer{tx: tx, snap: snap, p: p, sum: &Summary{Marked: p.marked, Floor: p.floor}}
		if err := im.run(); err != nil {
			return err
		}
		sum = im.sum
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("import canvas: %w", err)
	}
	return sum, nil
}

type importer struct {
	tx   *workspace.Tx
	snap *workspace.Snapshot
	p    *plan
	sum  *Summary
	meta *workspace.Meta

	sources  map[string]string // canvas source id -> workspace source id
	byOrigin map[string]string // origin -> workspace source id
	targets  map[*lanePlan]*laneTarget
	lanes    []*laneTarget // in order of first use
	cards    []*cardTarget
	cardOf   map[*cardPlan]*cardTarget
	imported map[string]bool // workspace ids of the canvas's cards
}

type boardTarget struct {
	board   *workspace.Board
	isNew   bool
	changed bool
	lanes   []*laneTarget // existing lanes in order, then new ones
	byID    bool
	// need is the marking the canvas's keys and labels ask for; one the
	// import writes also needs the canvas's.
	need workspace.TLP
}

type laneTarget struct {
	board   *boardTarget
	lane    *workspace.Lane
	isNew   bool
	changed bool
	cards   []*cardTarget
	need    workspace.TLP
}

type cardTarget struct {
	plan  *cardPlan
	card  *workspace.Card
	old   *workspace.Card // nil for a new card
	lane  *laneTarget
	links []workspace.Link
	edges []StoredEdge
	// keep is the card's old links to cards outside the canvas.
	keep []workspace.Link
	anns []AnnotationInfo
	// need: see boardTarget; written says the import wrote the card.
	need    workspace.TLP
	written bool
}

func (im *importer) run() error {
	var err error
	if im.meta, err = im.tx.Meta(); err != nil {
		return err
	}
	if err := im.importMeta(); err != nil {
		return err
	}
	if err := im.importTop(); err != nil {
		return err
	}
	if err := im.importSources(); err != nil {
		return err
	}
	if err := im.placeBoards(); err != nil {
		return err
	}
	if err := im.buildCards(); err != nil {
		return err
	}
	im.buildLinks()
	if err := im.orderLanes(); err != nil {
		return err
	}
	return im.writeCards()
}

// importMeta adds the parties the canvas's cards take positions for. The
// header then holds text of the canvas: it is marked at least as the
// canvas is.
func (im *importer) importMeta() error {
	m := *im.meta
	m.Parties = append([]workspace.Party(nil), im.meta.Parties...)
	if fi := im.p.info; fi != nil && fi.Workspace != nil {
		used := map[string]bool{}
		for _, cp := range im.p.cards {
			if cp.info != nil {
				for party := range cp.info.Positions {
					used[party] = true
				}
			}
		}
		for _, party := range fi.Workspace.Parties {
			if used[party.ID] && !m.HasParty(party.ID) {
				m.Parties = append(m.Parties, party)
				im.sum.PartiesAdded++
			}
		}
	}
	if reflect.DeepEqual(&m, im.meta) {
		return nil
	}
	if err := im.tx.PutMeta(&m); err != nil {
		return fmt.Errorf("workspace header: %w", err)
	}
	raised, err := im.settle(workspace.KeyOf(&m), im.p.floor)
	if err != nil {
		return fmt.Errorf("workspace header: %w", err)
	}
	if raised {
		im.sum.note("the workspace header is now marked %s: the parties added to it come from a canvas marked %s", im.p.floor, im.p.floor)
	}
	if im.meta, err = im.tx.Meta(); err != nil {
		return err
	}
	return nil
}

// importTop keeps the canvas's unknown top-level keys as the workspace's
// canvas data, replacing what an earlier canvas left: at the canvas's
// marking (the workspace's default for new records when the canvas states
// none), never lower than the data was.
func (im *importer) importTop() error {
	if len(im.p.top) == 0 {
		return nil
	}
	data, err := json.Marshal(im.p.top)
	if err != nil {
		return fmt.Errorf("top-level keys: %w", err)
	}
	if len(data) > workspace.MaxExtra {
		return fmt.Errorf("the canvas's top-level keys that Briefboard keeps are %d bytes; the limit is %d", len(data), workspace.MaxExtra)
	}
	var kept []*workspace.Extra
	for _, x := range im.snap.Extras {
		if x.Format == ExtraFormat {
			kept = append(kept, x)
		}
	}
	if len(kept) == 1 && string(kept[0].Data) == string(data) {
		return nil
	}
	var x *workspace.Extra
	if len(kept) > 0 {
		// Copies that imported canvases at the same time each kept their
		// own; one takes the new keys, the others go.
		cp := *kept[0]
		x = &cp
		for _, o := range kept[1:] {
			d := *o
			d.Deleted = true
			if err := im.tx.PutExtra(&d); err != nil {
				return fmt.Errorf("top-level keys: %w", err)
			}
		}
	} else {
		t := im.meta.DefaultTLP
		if im.p.marked {
			t = im.p.floor
		}
		x = &workspace.Extra{Base: workspace.Base{ID: workspace.NewID()}, Format: ExtraFormat, TLP: t}
	}
	x.Data = data
	if err := im.tx.PutExtra(x); err != nil {
		return fmt.Errorf("top-level keys: %w", err)
	}
	if _, err := im.settle(workspace.KeyOf(x), im.p.floor); err != nil {
		return fmt.Errorf("top-level keys: %w", err)
	}
	im.sum.TopKeys = len(im.p.top)
	return nil
}

// settle makes sure a record is at least as restricted as need, after the
// import wrote it (or found that its canvas asks for a stricter marking):
// when its effective marking falls short, a marking action raises its own
// marking to need. Nothing it has is marked above its effective marking,
// so raising it releases nothing. It reports whether it raised it.
func (im *importer) settle(key string, need workspace.TLP) (bool, error) {
	if covers(im.tx.Marking(key), need) {
		return false, nil
	}
	return true, im.tx.SetMarking(key, need)
}

// lowerNote notes a marking the canvas gives a record that is below the
// one it has.
func (im *importer) lowerNote(what string, own workspace.TLP, asked *workspace.TLP) {
	if asked != nil && !covers(*asked, own) {
		im.sum.note("%s: the canvas marks it %s, below its marking %s here; an import never lowers a marking (set it in Briefboard)",
			what, *asked, own)
	}
}

// importSources brings in the sources of the top-level key: a source the
// workspace has (same id, or same title and origin) is used as it is.
func (im *importer) importSources() error {
	im.sources = map[string]string{}
	im.byOrigin = map[string]string{}
	type titled struct{ title, origin string }
	byTitle := map[titled]string{}
	for _, src := range im.snap.Sources {
		if src.Origin != "" && im.byOrigin[src.Origin] == "" {
			im.byOrigin[src.Origin] = src.ID
		}
		k := titled{strings.ToLower(src.Title), src.Origin}
		if byTitle[k] == "" {
			byTitle[k] = src.ID
		}
	}
	if im.p.info == nil {
		return nil
	}
	for i, src := range im.p.info.Sources {
		if src == nil || src.ID == "" {
			return bad("source #%d of the top-level %q key has no id", i+1, Key)
		}
		if im.snap.SourceByID[src.ID] != nil {
			im.sources[src.ID] = src.ID
			continue
		}
		k := titled{strings.ToLower(src.Title), src.Origin}
		if id := byTitle[k]; id != "" {
			im.sources[src.ID] = id
			continue
		}
		n := *src
		n.Base = workspace.Base{ID: workspace.NewID()}
		if err := im.tx.PutSource(&n); err != nil {
			return fmt.Errorf("source %q: %w", src.Title, err)
		}
		if _, err := im.settle(workspace.KeyOf(&n), im.p.floor); err != nil {
			return fmt.Errorf("source %q: %w", src.Title, err)
		}
		im.sources[src.ID] = n.ID
		byTitle[k] = n.ID
		if n.Origin != "" && im.byOrigin[n.Origin] == "" {
			im.byOrigin[n.Origin] = n.ID
		}
		im.sum.SourcesCreated++
	}
	return nil
}

// placeBoards finds or makes the board and lane of every board and lane
// plan.
func (im *importer) placeBoards() error {
	byID := map[string]*boardTarget{}
	byTitle := map[string]*boardTarget{}
	var order []*boardTarget
	target := func(b *workspace.Board) *boardTarget {
		if t := byID[b.ID]; t != nil {
			return t
		}
		t := &boardTarget{board: b}
		for _, l := range im.snap.Lanes[b.ID] {
			t.lanes = append(t.lanes, &laneTarget{board: t, lane: l})
		}
		byID[b.ID] = t
		return t
	}
	for _, b := range im.snap.Boards {
		if k := strings.ToLower(b.Title); byTitle[k] == nil {
			byTitle[k] = target(b)
		}
	}
	im.targets = map[*lanePlan]*laneTarget{}
	var newBoards []*boardTarget
	for _, bp := range im.p.boards {
		var bt *boardTarget
		if id := bp.info.Board; id != "" && im.snap.Board(id) != nil {
			bt = target(im.snap.Board(id))
			if bp.group != nil && bt.board.Title != bp.title {
				nb := *bt.board
				nb.Title = bp.title
				bt.board, bt.changed = &nb, true
			}
		} else if bt = byTitle[strings.ToLower(bp.title)]; bt == nil {
			bt = &boardTarget{isNew: true, board: &workspace.Board{Base: workspace.Base{ID: workspace.NewID()},
				Title: bp.title, Purpose: bp.info.Purpose, TLP: ownMarking(bp.info.TLP, bp.label, workspace.TLPClear)}}
			byID[bt.board.ID] = bt
			newBoards = append(newBoards, bt)
			if len(bp.lanes) == 0 {
				for _, name := range workspace.DefaultLanes {
					bt.lanes = append(bt.lanes, &laneTarget{board: bt, isNew: true, lane: &workspace.Lane{
						Base: workspace.Base{ID: workspace.NewID()}, Board: bt.board.ID, Name: name}})
				}
			}
		}
		byTitle[strings.ToLower(bt.board.Title)] = bt
		if bp.group != nil {
			if err := bt.setKeys(bp.keys); err != nil {
				return fmt.Errorf("group %q: %w", bp.group.ID, err)
			}
			bt.need = stricter(stricter(bt.need, bp.info.TLP), bp.label)
			if !bt.isNew {
				im.lowerNote(fmt.Sprintf("group %q", bp.group.ID), bt.board.TLP, bp.info.TLP)
			}
		}
		order = append(order, bt)
		for _, lp := range bp.lanes {
			lt, err := bt.lane(lp)
			if err != nil {
				return err
			}
			im.targets[lp] = lt
			if !lt.isNew {
				im.lowerNote(fmt.Sprintf("group %q", lp.group.ID), lt.lane.TLP, lp.info.TLP)
			}
		}
		if lp := bp.loose; lp != nil {
			lt, err := bt.lane(lp)
			if err != nil {
				return err
			}
			im.targets[lp] = lt
		}
	}
	// Order keys for the new boards after the last one, and for new
	// lanes after their board's last.
	last := ""
	if n := len(im.snap.Boards); n > 0 {
		last = im.snap.Boards[n-1].Order
	}
	keys, err := keysBetween(last, "", len(newBoards))
	if err != nil {
		return fmt.Errorf("place the new boards: %w", err)
	}
	for i, bt := range newBoards {
		bt.board.Order = keys[i]
	}
	done := map[*boardTarget]bool{}
	for _, bt := range order {
		if done[bt] {
			continue
		}
		done[bt] = true
		if err := im.writeBoard(bt); err != nil {
			return err
		}
	}
	return nil
}

func (bt *boardTarget) setKeys(keys map[string]json.RawMessage) error {
	extra, err := WithStored(bt.board.Extra, &Stored{Keys: keys})
	if err != nil {
		return err
	}
	if string(extra) != string(bt.board.Extra) {
		nb := *bt.board
		nb.Extra = extra
		bt.board, bt.changed = &nb, true
	}
	return nil
}

// lane finds or makes the lane of the board a lane plan goes to.
func (bt *boardTarget) lane(lp *lanePlan) (*laneTarget, error) {
	var lt *laneTarget
	switch {
	case lp.first:
		if len(bt.lanes) > 0 {
			return bt.lanes[0], nil
		}
	case lp.info.Lane != "":
		for _, t := range bt.lanes {
			if t.lane.ID == lp.info.Lane {
				lt = t
				if lp.group != nil && t.lane.Name != lp.name {
					nl := *t.lane
					nl.Name = lp.name
					t.lane, t.changed = &nl, true
				}
				break
			}
		}
	}
	name := lp.name
	if lp.first {
		name = workspace.DefaultLanes[0]
	}
	if lt == nil {
		for _, t := range bt.lanes {
			if strings.EqualFold(t.lane.Name, name) {
				lt = t
				break
			}
		}
	}
	if lt == nil {
		lt = &laneTarget{board: bt, isNew: true, lane: &workspace.Lane{Base: workspace.Base{ID: workspace.NewID()},
			Board: bt.board.ID, Name: name, TLP: ownMarking(lp.info.TLP, lp.label, workspace.TLPClear)}}
		bt.lanes = append(bt.lanes, lt)
	}
	if lp.group != nil {
		lt.need = stricter(stricter(lt.need, lp.info.TLP), lp.label)
		extra, err := WithStored(lt.lane.Extra, &Stored{Keys: lp.keys})
		if err != nil {
			return nil, fmt.Errorf("group %q: %w", lp.group.ID, err)
		}
		if string(extra) != string(lt.lane.Extra) {
			nl := *lt.lane
			nl.Extra = extra
			lt.lane, lt.changed = &nl, true
		}
	}
	return lt, nil
}

func (im *importer) writeBoard(bt *boardTarget) error {
	written := bt.isNew || bt.changed
	need := bt.need
	if written {
		if err := im.tx.PutBoard(bt.board); err != nil {
			return fmt.Errorf("board %q: %w", bt.board.Title, err)
		}
		need = workspace.Stricter(need, im.p.floor)
	}
	raised, err := im.settle(workspace.KeyOf(bt.board), need)
	if err != nil {
		return fmt.Errorf("board %q: %w", bt.board.Title, err)
	}
	switch {
	case bt.isNew:
		im.sum.BoardsCreated++
	case bt.changed || raised:
		im.sum.BoardsUpdated++
	}
	last := ""
	var fresh []*laneTarget
	for _, lt := range bt.lanes {
		if lt.isNew {
			fresh = append(fresh, lt)
		} else {
			last = lt.lane.Order
		}
	}
	keys, err := keysBetween(last, "", len(fresh))
	if err != nil {
		return fmt.Errorf("place the new lanes of %q: %w", bt.board.Title, err)
	}
	for i, lt := range fresh {
		lt.lane.Order = keys[i]
	}
	for _, lt := range bt.lanes {
		written := lt.isNew || lt.changed
		need := lt.need
		if written {
			if err := im.tx.PutLane(lt.lane); err != nil {
				return fmt.Errorf("lane %q of %q: %w", lt.lane.Name, bt.board.Title, err)
			}
			need = workspace.Stricter(need, im.p.floor)
		}
		raised, err := im.settle(workspace.KeyOf(lt.lane), need)
		if err != nil {
			return fmt.Errorf("lane %q of %q: %w", lt.lane.Name, bt.board.Title, err)
		}
		switch {
		case lt.isNew:
			im.sum.LanesCreated++
		case lt.changed || raised:
			im.sum.LanesUpdated++
		}
	}
	return nil
}

// ownMarking is the marking a new record takes: its Briefboard key's, or
// without one the label in its text, or def.
func ownMarking(key, label *workspace.TLP, def workspace.TLP) workspace.TLP {
	switch {
	case key != nil:
		return *key
	case label != nil:
		return *label
	}
	return def
}

// buildCards works out every card's fields, new or updated.
func (im *importer) buildCards() error {
	im.cardOf = map[*cardPlan]*cardTarget{}
	im.imported = map[string]bool{}
	seen := map[*laneTarget]bool{}
	for _, cp := range im.p.cards {
		ct := &cardTarget{plan: cp, lane: im.targets[cp.lane]}
		if cp.info != nil && cp.info.Card != "" && !im.imported[cp.info.Card] {
			if old := im.snap.Cards[cp.info.Card]; old != nil {
				ct.old = old
			}
		}
		if err := im.fill(ct); err != nil {
			return fmt.Errorf("%s: %w", cp.describe(), err)
		}
		im.imported[ct.card.ID] = true
		im.cardOf[cp] = ct
		im.cards = append(im.cards, ct)
		if !seen[ct.lane] {
			seen[ct.lane] = true
			im.lanes = append(im.lanes, ct.lane)
		}
	}
	// Cards of a lane in the canvas's reading order, lane plan by lane
	// plan.
	for _, bp := range im.p.boards {
		for _, lp := range append(append([]*lanePlan(nil), bp.lanes...), bp.loose) {
			if lp == nil {
				continue
			}
			for _, cp := range lp.cards {
				ct := im.cardOf[cp]
				ct.lane.cards = append(ct.lane.cards, ct)
			}
		}
	}
	return nil
}

func (im *importer) fill(ct *cardTarget) error {
	cp, n, info := ct.plan, ct.plan.node, ct.plan.info
	c := &workspace.Card{Base: workspace.Base{ID: workspace.NewID()}, Kind: workspace.KindNote, TLP: im.meta.DefaultTLP}
	if ct.old != nil {
		oc := *ct.old
		c = &oc
		c.Conflicts = nil
	}
	var title, body string
	switch n.Type {
	case TypeText:
		if info != nil {
			title, body = SplitCard(n.Text, info)
		} else {
			title, body = SplitText(n.Text)
		}
	case TypeFile, TypeLink:
		id, t, err := im.sourceFor(n)
		if err != nil {
			return err
		}
		title = t
		c.Citations = []workspace.Citation{{Source: id}}
	}
	c.Title = strings.ReplaceAll(title, "\x00", "\uFFFD")
	c.Body = strings.ReplaceAll(body, "\x00", "\uFFFD")
	if k := utf8.RuneCountInString(c.Body); k > workspace.MaxBody {
		c.Body = cut(c.Body, workspace.MaxBody)
		im.sum.note("%s: its text is %d characters long; the card keeps the first %d", cp.describe(), k, workspace.MaxBody)
	}
	var key *workspace.TLP
	if info != nil {
		key = info.TLP
	}
	ct.need = stricter(stricter(workspace.TLPClear, key), cp.label)
	if ct.old == nil {
		c.TLP = ownMarking(key, cp.label, im.meta.DefaultTLP)
	} else {
		im.lowerNote(cp.describe(), ct.old.TLP, key)
	}
	if info != nil {
		if info.Kind != "" {
			c.Kind = info.Kind
		}
		c.Tags = append([]string(nil), info.Tags...)
		c.Likelihood, c.Confidence = info.Likelihood, info.Confidence
		c.Citations = nil
		for _, ci := range info.Citations {
			id := im.sources[ci.Source]
			if id == "" && im.snap.SourceByID[ci.Source] != nil {
				id = ci.Source
			}
			if id == "" {
				im.sum.note("%s: it cites source %q, which neither the canvas nor the workspace has; the citation was left out", cp.describe(), ci.Source)
				continue
			}
			c.Citations = append(c.Citations, workspace.Citation{Source: id, Quote: ci.Quote})
		}
		c.Positions = nil
		for _, party := range sortedParties(info.Positions) {
			if !im.meta.HasParty(party) {
				im.sum.note("%s: it gives a position for party %q, which the workspace does not have; the position was left out", cp.describe(), party)
				continue
			}
			if c.Positions == nil {
				c.Positions = map[string]workspace.Position{}
			}
			c.Positions[party] = info.Positions[party]
		}
		if ct.old == nil {
			c.CreatedBy, c.CreatedAt = info.CreatedBy, info.CreatedAt
			ct.anns = info.Annotations
		} else {
			ct.anns = im.newAnnotations(ct.old.ID, info.Annotations)
		}
	}
	for _, t := range cp.tags {
		if !containsFold(c.Tags, t) {
			c.Tags = append(c.Tags, t)
		}
	}
	if len(c.Tags) > workspace.MaxTags {
		im.sum.note("%s: it has %d tags; the card keeps the first %d", cp.describe(), len(c.Tags), workspace.MaxTags)
		c.Tags = c.Tags[:workspace.MaxTags]
	}
	ct.card = c
	return nil
}

// newAnnotations lists the annotations of the canvas that an existing card
// does not have yet.
func (im *importer) newAnnotations(card string, anns []AnnotationInfo) []AnnotationInfo {
	var out []AnnotationInfo
	for _, a := range anns {
		if a.ID != "" {
			if _, err := im.tx.Annotation(card, a.ID); err == nil {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// sourceFor finds or makes the source a file or link node cites, and
// returns it with a title for the card.
func (im *importer) sourceFor(n *Node) (id, title string, err error) {
	origin := n.URL
	if n.Type == TypeFile {
		origin = n.File + n.Subpath
		title = path.Base(n.File) + n.Subpath
	} else {
		title = urlTitle(n.URL)
	}
	title = oneLineTitle(title)
	if id := im.byOrigin[origin]; id != "" {
		return id, title, nil
	}
	src := &workspace.Source{Base: workspace.Base{ID: workspace.NewID()}, Title: title, Origin: origin, TLP: im.meta.DefaultTLP}
	if utf8.RuneCountInString(origin) > workspace.MaxTitle*4 || src.Validate() != nil {
		// Too long or not a well-formed address: keep it in the notes.
		src.Origin, src.Notes = "", origin
		im.sum.note("node %q: its address does not fit a source's origin; the source keeps it in its notes", n.ID)
	}
	if err := im.tx.PutSource(src); err != nil {
		return "", "", fmt.Errorf("source for %q: %w", title, err)
	}
	if _, err := im.settle(workspace.KeyOf(src), im.p.floor); err != nil {
		return "", "", fmt.Errorf("source for %q: %w", title, err)
	}
	im.byOrigin[origin] = src.ID
	im.sum.SourcesCreated++
	return src.ID, title, nil
}

func urlTitle(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.") + strings.TrimRight(u.EscapedPath(), "/")
}

func oneLineTitle(s string) string {
	return oneLine(s, workspace.MaxTitle, UntitledCard)
}

// buildLinks turns edges into links. An edge that does not join two cards
// is left out with a note.
func (im *importer) buildLinks() {
	for _, e := range im.p.c.Edges {
		from, to := im.p.byNode[e.FromNode], im.p.byNode[e.ToNode]
		if from == nil || to == nil {
			im.sum.note("edge %q does not join two cards (an end is a group, which became a board or lane, or the TLP banner); it was left out", e.ID)
			continue
		}
		if from == to {
			im.sum.note("edge %q joins node %q to itself; it was left out", e.ID, e.FromNode)
			continue
		}
		src, dst := im.cardOf[from], im.cardOf[to]
		typ := strings.Join(strings.Fields(e.Label), " ")
		keys := without(e.Extra, Key)
		set := func(k, v string) {
			if keys == nil {
				keys = map[string]json.RawMessage{}
			}
			keys[k] = jsonString(v)
		}
		if typ == "" {
			typ = workspace.LinkRelated
		} else if utf8.RuneCountInString(typ) > workspace.MaxTag {
			set("label", e.Label)
			typ = strings.TrimSpace(cut(typ, workspace.MaxTag))
			im.sum.note("edge %q: its label is longer than a link type may be; the link type is its first %d characters and the label is kept for export", e.ID, workspace.MaxTag)
		}
		if e.FromEnd != "" && e.FromEnd != EndNone {
			set("fromEnd", e.FromEnd)
		}
		if e.ToEnd != "" && e.ToEnd != EndArrow {
			set("toEnd", e.ToEnd)
		}
		if e.Color != "" && e.Color != LinkColor(typ) {
			set("color", e.Color)
		}
		if len(src.links) >= workspace.MaxLinks {
			im.sum.note("edge %q: node %q already has %d links, the most a card may have; it was left out", e.ID, e.FromNode, workspace.MaxLinks)
			continue
		}
		src.links = append(src.links, workspace.Link{To: dst.card.ID, Type: typ})
		src.need = stricter(src.need, labelOf(e.Label))
		if len(keys) > 0 {
			src.edges = append(src.edges, StoredEdge{To: dst.card.ID, Type: typ, Keys: keys})
		}
		im.sum.Links++
	}
	for _, ct := range im.cards {
		if ct.old == nil {
			continue
		}
		// Links to cards the canvas does not show stay as they were; those
		// between cards of the canvas follow its edges.
		var inside []workspace.Link
		for _, l := range ct.old.Links {
			if im.imported[l.To] {
				inside = append(inside, l)
			} else {
				ct.keep = append(ct.keep, l)
			}
		}
		if reflect.DeepEqual(inside, ct.links) || len(inside) == 0 && len(ct.links) == 0 {
			ct.links = append([]workspace.Link(nil), ct.old.Links...)
			ct.keep = nil
		} else if len(ct.keep)+len(ct.links) > workspace.MaxLinks {
			im.sum.note("%s: with the links it has outside the canvas it would have more than %d; some canvas links were left out", ct.plan.describe(), workspace.MaxLinks)
			ct.links = ct.links[:workspace.MaxLinks-len(ct.keep)]
		}
	}
}

// orderLanes gives every card an order key in its lane, in the canvas's
// order. Cards already in the lane keep their keys where the order allows
// (the longest run already in order), so re-importing an unchanged export
// rewrites nothing.
func (im *importer) orderLanes() error {
	for _, lt := range im.lanes {
		for _, ct := range lt.cards {
			ct.card.Board, ct.card.Lane = lt.board.board.ID, lt.lane.ID
		}
		keep := map[*cardTarget]bool{}
		var in []*cardTarget
		for _, ct := range lt.cards {
			if ct.old != nil && ct.old.Lane == lt.lane.ID && ct.old.Board == lt.board.board.ID {
				in = append(in, ct)
			}
		}
		for _, ct := range increasingRun(in) {
			keep[ct] = true
		}
		// New cards of a lane without kept cards go after what the lane
		// holds already.
		lo := ""
		if len(keep) == 0 {
			for _, c := range im.snap.LaneCards[lt.lane.ID] {
				if !im.imported[c.ID] && c.Order > lo {
					lo = c.Order
				}
			}
		}
		ok := true
		for i := 0; i < len(lt.cards) && ok; {
			if keep[lt.cards[i]] {
				lt.cards[i].card.Order = lt.cards[i].old.Order
				lo = lt.cards[i].old.Order
				i++
				continue
			}
			j := i
			for j < len(lt.cards) && !keep[lt.cards[j]] {
				j++
			}
			hi := ""
			if j < len(lt.cards) {
				hi = lt.cards[j].old.Order
			}
			keys, err := keysBetween(lo, hi, j-i)
			if err != nil {
				ok = false
				break
			}
			for k, key := range keys {
				lt.cards[i+k].card.Order = key
			}
			i = j
		}
		if !ok {
			if err := im.renumber(lt); err != nil {
				return err
			}
		}
	}
	return nil
}

// renumber spreads the keys of a whole lane: its other cards first, in
// their order, then the canvas's. It is the way out when no short key
// fits between neighbours.
func (im *importer) renumber(lt *laneTarget) error {
	var others []*workspace.Card
	for _, c := range im.snap.LaneCards[lt.lane.ID] {
		if !im.imported[c.ID] {
			others = append(others, c)
		}
	}
	keys := workspace.SpreadKeys(len(others) + len(lt.cards))
	for i, c := range others {
		if c.Order == keys[i] {
			continue
		}
		nc, err := im.tx.Card(c.ID)
		if err != nil {
			return err
		}
		nc.Order = keys[i]
		if err := im.tx.PutCard(nc); err != nil {
			return fmt.Errorf("renumber lane %q: %w", lt.lane.Name, err)
		}
	}
	for i, ct := range lt.cards {
		ct.card.Order = keys[len(others)+i]
	}
	return nil
}

// increasingRun returns the longest run of cards, in the given order,
// whose current order keys increase: those can keep their keys.
func increasingRun(cards []*cardTarget) []*cardTarget {
	if len(cards) == 0 {
		return nil
	}
	// Patience sorting: tails[k] is the index ending the best run of
	// length k+1 found so far.
	tails := []int{}
	prev := make([]int, len(cards))
	for i, ct := range cards {
		key := ct.old.Order
		k := sort.Search(len(tails), func(k int) bool { return cards[tails[k]].old.Order >= key })
		if k > 0 {
			prev[i] = tails[k-1]
		} else {
			prev[i] = -1
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	out := make([]*cardTarget, len(tails))
	for i, k := len(tails)-1, tails[len(tails)-1]; i >= 0; i, k = i-1, prev[k] {
		out[i] = cards[k]
	}
	return out
}

// keysBetween returns n increasing order keys strictly between lo and hi
// (empty for the ends): evenly spread over an empty list, by halving
// otherwise, so they stay short.
func keysBetween(lo, hi string, n int) ([]string, error) {
	if lo == "" && hi == "" {
		return workspace.SpreadKeys(n), nil
	}
	out := make([]string, 0, n)
	var fill func(lo, hi string, n int) error
	fill = func(lo, hi string, n int) error {
		if n == 0 {
			return nil
		}
		mid, err := workspace.KeyBetween(lo, hi)
		if err != nil {
			return err
		}
		if err := workspace.ValidOrderKey(mid); err != nil {
			return err
		}
		if err := fill(lo, mid, n/2); err != nil {
			return err
		}
		out = append(out, mid)
		return fill(mid, hi, n-n/2-1)
	}
	if err := fill(lo, hi, n); err != nil {
		return nil, err
	}
	return out, nil
}

// writeCards writes every card, then the links that point to cards the
// import made, then the annotations.
func (im *importer) writeCards() error {
	var later []*cardTarget
	for _, ct := range im.cards {
		c := ct.card
		links := append(append([]workspace.Link(nil), ct.keep...), ct.links...)
		extra, err := WithStored(c.Extra, &Stored{Keys: ct.plan.keys, Edges: ct.edges})
		if err != nil {
			return fmt.Errorf("%s: %w", ct.plan.describe(), err)
		}
		c.Extra = extra
		// A link to a card this import makes waits until that card is
		// written.
		c.Links = nil
		deferred := false
		for _, l := range links {
			if im.exists(l.To) {
				c.Links = append(c.Links, l)
			} else {
				deferred = true
			}
		}
		if deferred {
			later = append(later, ct)
		}
		if ct.old != nil {
			if !deferred {
				f, err := workspace.ChangedFields(ct.old, c)
				if err != nil {
					return err
				}
				if len(f) == 0 {
					continue
				}
			}
			im.sum.CardsUpdated++
		} else {
			im.sum.CardsCreated++
		}
		if err := im.tx.PutCard(c); err != nil {
			return fmt.Errorf("%s: %w", ct.plan.describe(), err)
		}
		ct.card.Links = links
		ct.written = true
	}
	for _, ct := range later {
		ct.card.Links = append(append([]workspace.Link(nil), ct.keep...), ct.links...)
		if err := im.tx.PutCard(ct.card); err != nil {
			return fmt.Errorf("links of %s: %w", ct.plan.describe(), err)
		}
	}
	for _, ct := range im.cards {
		need := ct.need
		if ct.written {
			need = workspace.Stricter(need, im.p.floor)
		}
		raised, err := im.settle(workspace.KeyOf(ct.card), need)
		if err != nil {
			return fmt.Errorf("%s: %w", ct.plan.describe(), err)
		}
		if raised && !ct.written {
			im.sum.CardsUpdated++
			ct.written = true
		}
	}
	for _, ct := range im.cards {
		// A thread shows entries of the same time by id: new ids in
		// increasing order keep the canvas's order.
		ids := make([]string, len(ct.anns))
		for i := range ids {
			ids[i] = workspace.NewID()
		}
		sort.Strings(ids)
		for i, a := range ct.anns {
			ann := &workspace.Annotation{Base: workspace.Base{ID: ids[i]}, Card: ct.card.ID, Author: a.Author,
				Kind: a.Kind, Text: a.Text, Resolved: a.Resolved, TLP: a.TLP, At: a.At}
			if ann.Kind == "" {
				ann.Kind = workspace.AnnComment
			}
			if err := im.tx.PutAnnotation(ann); err != nil {
				return fmt.Errorf("annotation on %s: %w", ct.plan.describe(), err)
			}
			if _, err := im.settle(workspace.KeyOf(ann), stricter(im.p.floor, labelOf(ann.Text))); err != nil {
				return fmt.Errorf("annotation on %s: %w", ct.plan.describe(), err)
			}
			im.sum.Annotations++
		}
	}
	return nil
}

// exists reports whether a card record (live, deleted, or written by this
// import already) has the id.
func (im *importer) exists(id string) bool {
	if im.snap.Cards[id] != nil {
		return true
	}
	_, err := im.tx.Card(id)
	return err == nil
}

func sortedParties(m map[string]workspace.Position) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
