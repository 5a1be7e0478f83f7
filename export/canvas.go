package export

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"briefboard/workspace"
	"briefboard/workspace/canvas"
)

// CanvasOptions tune a JSON Canvas export.
type CanvasOptions struct {
	// ColorBy colours cards by "tlp" (the default) or by "kind".
	ColorBy string
	// MaxTLP caps the marking of what is included, as for the brief (see
	// Capped); nil includes everything.
	MaxTLP *workspace.TLP
}

// Colourings of cards on a canvas.
const (
	CanvasColorByTLP  = "tlp"
	CanvasColorByKind = "kind"
)

// CanvasReport says what a canvas export wrote, with a note for everything
// it could not show.
type CanvasReport struct {
	Boards, Lanes, Cards, Links int
	// TLP is the most restrictive marking among what the canvas includes:
	// its label.
	TLP   workspace.TLP
	Notes []string
}

// CanvasBannerID is the id of the text node that shows the canvas's TLP
// label above the boards.
const CanvasBannerID = canvas.BannerID

// Layout of a canvas, in canvas pixels.
const (
	canvasCardW      = 400
	canvasCardGap    = 20
	canvasLanePad    = 20
	canvasLaneW      = canvasCardW + 2*canvasLanePad
	canvasLaneGap    = 40
	canvasLaneMinH   = 240
	canvasBoardPadX  = 40
	canvasBoardPadT  = 80
	canvasBoardPadB  = 40
	canvasBoardGap   = 240
	canvasCardMinH   = 80
	canvasCardMaxH   = 1200
	canvasLineH      = 24
	canvasLineRunes  = 48
	canvasCardExtraH = 40
)

// Canvas writes the workspace as a JSON Canvas: boards as groups side by
// side, their lanes as groups inside, cards as text nodes (the title as a
// heading, the body, then a footer with the marking, kind, tags,
// positions and sources), links as labelled edges, and above the boards a
// banner with the most restrictive TLP label among what it includes. Every
// marking shown is the effective one (DESIGN.md 4a); cards are coloured by
// it. Briefboard's own fields ride under the "briefboard" key of the file,
// of each group and of each card, so that importing the file again, even
// after another canvas tool has edited it, gives back the workspace; the
// labels in the text carry the markings when another tool drops the keys.
// The canvas's unknown top-level keys that an import kept are written back
// when the cap allows their marking. The same snapshot always gives the
// same bytes.
func Canvas(w io.Writer, snap *workspace.Snapshot) error {
	_, err := CanvasWith(w, snap, CanvasOptions{})
	return err
}

// CanvasWith is Canvas with options; it also reports what it wrote.
func CanvasWith(w io.Writer, snap *workspace.Snapshot, opts CanvasOptions) (*CanvasReport, error) {
	c, rep, err := BuildCanvas(snap, opts)
	if err != nil {
		return nil, err
	}
	if err := c.Write(w); err != nil {
		return nil, fmt.Errorf("write canvas: %w", err)
	}
	return rep, nil
}

// BuildCanvas lays the workspace out as a canvas without writing it.
func BuildCanvas(snap *workspace.Snapshot, opts CanvasOptions) (*canvas.Canvas, *CanvasReport, error) {
	switch opts.ColorBy {
	case "", CanvasColorByTLP, CanvasColorByKind:
	default:
		return nil, nil, fmt.Errorf("canvas colours are by %q or %q, not %q", CanvasColorByTLP, CanvasColorByKind, opts.ColorBy)
	}
	snap, err := snap.Capped(opts.MaxTLP)
	if err != nil {
		return nil, nil, err
	}
	label := snap.MaxTLP()
	for _, x := range canvasExtras(snap) {
		label = workspace.Stricter(label, snap.Marking(x))
	}
	b := &canvasBuilder{snap: snap, opts: opts, c: &canvas.Canvas{}, rep: &CanvasReport{TLP: label}, rect: map[string]canvas.Rect{}}
	if err := b.build(); err != nil {
		return nil, nil, err
	}
	return b.c, b.rep, nil
}

type canvasBuilder struct {
	snap *workspace.Snapshot
	opts CanvasOptions
	c    *canvas.Canvas
	rep  *CanvasReport
	// rect is where each card's node lies, for the sides of edges.
	rect  map[string]canvas.Rect
	order []*workspace.Card
}

func (b *canvasBuilder) build() error {
	x, bottom := 0, 0
	for _, board := range b.snap.Boards {
		w, h, err := b.board(board, x, 0)
		if err != nil {
			return err
		}
		x += w + canvasBoardGap
		bottom = max(bottom, h)
	}
	// Cards whose board was deleted (by a colleague, say) are kept, outside
	// every board; an import puts them in its Inbox board.
	for i, c := range b.snap.Stray {
		if err := b.card(c, i*(canvasCardW+canvasCardGap), bottom+canvasBoardGap, canvasCardW); err != nil {
			return err
		}
		b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("card %q is on a deleted board; it is placed outside every board", c.Title))
	}
	for _, c := range b.order {
		if err := b.links(c); err != nil {
			return err
		}
	}
	b.banner()
	return b.top()
}

// banner writes the canvas's TLP label above the boards, where a reader
// sees it first. An import skips it.
func (b *canvasBuilder) banner() {
	label := b.rep.TLP
	text := "# " + label.String() + "\n\n" + canvasOneLine(b.snap.Meta.Title) + ": exported from Briefboard. " +
		"Nothing in this canvas is marked above " + label.String() + "."
	info, _ := json.Marshal(map[string]string{"banner": label.Word()})
	b.c.Nodes = append(b.c.Nodes, &canvas.Node{ID: CanvasBannerID, Type: canvas.TypeText, Text: text, X: 0, Y: -240,
		Width: 2 * canvasCardW, Height: 160, Color: canvas.TLPColor(label), Extra: map[string]json.RawMessage{canvas.Key: info}})
}

// board lays out a board at (x, y) and returns its width and height.
func (b *canvasBuilder) board(board *workspace.Board, x, y int) (int, int, error) {
	lanes := b.snap.Lanes[board.ID]
	group := &canvas.Node{ID: board.ID, Type: canvas.TypeGroup, Label: canvasOneLine(board.Title), X: x, Y: y}
	b.c.Nodes = append(b.c.Nodes, group)
	var laneNodes []*canvas.Node
	laneH := canvasLaneMinH
	lx := x + canvasBoardPadX
	ly := y + canvasBoardPadT
	for _, l := range lanes {
		ln := &canvas.Node{ID: l.ID, Type: canvas.TypeGroup, Label: canvasOneLine(l.Name), X: lx, Y: ly, Width: canvasLaneW}
		b.c.Nodes = append(b.c.Nodes, ln)
		laneNodes = append(laneNodes, ln)
		cy := ly + canvasLanePad
		for _, c := range b.snap.LaneCards[l.ID] {
			if err := b.card(c, lx+canvasLanePad, cy, canvasCardW); err != nil {
				return 0, 0, err
			}
			cy += b.rect[c.ID].H + canvasCardGap
		}
		laneH = max(laneH, cy-ly-canvasCardGap+canvasLanePad)
		tlp := l.TLP
		if err := canvasGroupKeys(ln, l.Extra, canvas.GroupInfo{Lane: l.ID, TLP: &tlp}); err != nil {
			return 0, 0, fmt.Errorf("lane %q: %w", l.Name, err)
		}
		lx += canvasLaneW + canvasLaneGap
		b.rep.Lanes++
	}
	for _, ln := range laneNodes {
		ln.Height = laneH
	}
	group.Width = max(lx-canvasLaneGap+canvasBoardPadX-x, canvasLaneW+2*canvasBoardPadX)
	group.Height = canvasBoardPadT + laneH + canvasBoardPadB
	tlp := board.TLP
	if err := canvasGroupKeys(group, board.Extra, canvas.GroupInfo{Board: board.ID, Purpose: board.Purpose, TLP: &tlp}); err != nil {
		return 0, 0, fmt.Errorf("board %q: %w", board.Title, err)
	}
	if x+group.Width > canvas.MaxCoord || y+group.Height > canvas.MaxCoord {
		return 0, 0, fmt.Errorf("board %q does not fit on a canvas (it would reach beyond %d pixels)", board.Title, canvas.MaxCoord)
	}
	b.rep.Boards++
	return group.Width, group.Height, nil
}

// canvasGroupKeys gives a group node the keys its board or lane kept from
// an imported canvas and Briefboard's own key.
func canvasGroupKeys(n *canvas.Node, extra json.RawMessage, info canvas.GroupInfo) error {
	if st := canvas.ReadStored(extra); st != nil {
		for k, v := range st.Keys {
			var s string
			switch k {
			case "background":
				if json.Unmarshal(v, &s) == nil {
					n.Background = s
				}
				continue
			case "backgroundStyle":
				if json.Unmarshal(v, &s) == nil && (s == canvas.BackgroundCover || s == canvas.BackgroundRatio || s == canvas.BackgroundRepeat) {
					n.BackgroundStyle = s
				}
				continue
			}
			canvasSetKey(n, k, v)
		}
	}
	raw, err := json.Marshal(info)
	if err != nil {
		return err
	}
	canvasSetKey(n, canvas.Key, raw)
	return nil
}

func canvasSetKey(n *canvas.Node, k string, v json.RawMessage) {
	if n.Extra == nil {
		n.Extra = map[string]json.RawMessage{}
	}
	n.Extra[k] = v
}

// card writes a card's text node at (x, y).
func (b *canvasBuilder) card(c *workspace.Card, x, y, w int) error {
	foot := b.footer(c)
	text, footLen := canvas.CardText(c.Title, c.Body, foot)
	tlp := c.TLP
	info := canvas.CardInfo{Card: c.ID, Title: c.Title, Digest: canvas.Digest(text), Foot: footLen, Kind: c.Kind, TLP: &tlp,
		Tags: c.Tags, Citations: c.Citations, Positions: c.Positions, Likelihood: c.Likelihood, Confidence: c.Confidence,
		CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt}
	for _, a := range b.snap.Annotations[c.ID] {
		info.Annotations = append(info.Annotations, canvas.AnnotationInfo{ID: a.ID, Author: a.Author, Kind: a.Kind,
			Text: a.Text, Resolved: a.Resolved, TLP: a.TLP, At: a.At})
	}
	n := &canvas.Node{ID: c.ID, Type: canvas.TypeText, Text: text, X: x, Y: y, Width: w, Height: canvasTextHeight(text)}
	if b.opts.ColorBy == CanvasColorByKind {
		n.Color = canvas.KindColor(c.Kind)
	} else {
		n.Color = canvas.TLPColor(b.snap.Marking(c))
	}
	if st := canvas.ReadStored(c.Extra); st != nil {
		for k, v := range st.Keys {
			canvasSetKey(n, k, v)
		}
	}
	raw, err := json.Marshal(info)
	if err != nil {
		return fmt.Errorf("card %q: %w", c.Title, err)
	}
	canvasSetKey(n, canvas.Key, raw)
	b.c.Nodes = append(b.c.Nodes, n)
	b.rect[c.ID] = n.Rect()
	b.order = append(b.order, c)
	b.rep.Cards++
	return nil
}

// footer is the generated end of a card's text: its marking, kind and
// estimate, then tags, positions and sources, one line each.
func (b *canvasBuilder) footer(c *workspace.Card) string {
	first := []string{b.snap.Marking(c).String(), canvasKindLabel(c.Kind)}
	if c.Likelihood != workspace.LikelihoodNone {
		first = append(first, canvasCapital(c.Likelihood.Label()))
	}
	if c.Confidence != workspace.ConfidenceNone {
		first = append(first, canvasCapital(string(c.Confidence))+" confidence")
	}
	lines := []string{"---", strings.Join(first, " · ")}
	if len(c.Tags) > 0 {
		tags := make([]string, len(c.Tags))
		for i, t := range c.Tags {
			tags[i] = canvasTag(t)
		}
		lines = append(lines, "Tags: "+strings.Join(tags, ", "))
	}
	var pos []string
	for _, p := range b.snap.Meta.Parties {
		if ps, ok := c.Positions[p.ID]; ok {
			name := p.Short
			if name == "" {
				name = p.Name
			}
			pos = append(pos, name+" "+strings.ToLower(ps.Stance.Label()))
		}
	}
	if len(pos) > 0 {
		lines = append(lines, "Positions: "+strings.Join(pos, "; "))
	}
	var srcs []string
	for _, ci := range c.Citations {
		src := b.snap.SourceByID[ci.Source]
		if src == nil {
			continue
		}
		title := canvasOneLine(src.Title)
		if u, err := url.Parse(src.Origin); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			title = "[" + canvasEscapeLink(title) + "](" + strings.ReplaceAll(src.Origin, " ", "%20") + ")"
		}
		srcs = append(srcs, title+" ("+src.Grade.String()+")")
	}
	if len(srcs) > 0 {
		lines = append(lines, "Sources: "+strings.Join(srcs, "; "))
	}
	return strings.Join(lines, "\n")
}

// links writes a card's links as edges; a link to a card the canvas does
// not show is left out with a note.
func (b *canvasBuilder) links(c *workspace.Card) error {
	st := canvas.ReadStored(c.Extra)
	used := map[int]bool{}
	for i, l := range c.Links {
		to, ok := b.rect[l.To]
		if !ok {
			b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("card %q links (%s) to a card that is not on the canvas (deleted); the link was left out", c.Title, l.Type))
			continue
		}
		from := b.rect[c.ID]
		e := &canvas.Edge{ID: fmt.Sprintf("%s-link-%d", c.ID, i), FromNode: c.ID, ToNode: l.To, Label: l.Type, Color: canvas.LinkColor(l.Type)}
		e.FromSide, e.ToSide = canvasSides(from, to)
		if st != nil {
			for j, se := range st.Edges {
				if !used[j] && se.To == l.To && se.Type == l.Type {
					used[j] = true
					canvasEdgeKeys(e, se.Keys)
					break
				}
			}
		}
		b.c.Edges = append(b.c.Edges, e)
		b.rep.Links++
	}
	return nil
}

// canvasEdgeKeys gives an edge what it kept from an imported canvas: its
// ends, colour, a label too long for a link type, and unknown keys.
func canvasEdgeKeys(e *canvas.Edge, keys map[string]json.RawMessage) {
	for k, v := range keys {
		var s string
		isStr := json.Unmarshal(v, &s) == nil
		switch k {
		case "fromEnd", "toEnd":
			if isStr && (s == canvas.EndNone || s == canvas.EndArrow) {
				if k == "fromEnd" {
					e.FromEnd = s
				} else {
					e.ToEnd = s
				}
			}
		case "color":
			if isStr && canvas.ValidColor(s) {
				e.Color = s
			}
		case "label":
			if isStr {
				e.Label = s
			}
		case "id", "fromNode", "toNode", "fromSide", "toSide":
		default:
			if e.Extra == nil {
				e.Extra = map[string]json.RawMessage{}
			}
			e.Extra[k] = v
		}
	}
}

// canvasSides picks the sides an edge leaves and enters by.
func canvasSides(a, b canvas.Rect) (from, to string) {
	switch {
	case b.X >= a.X+a.W:
		return canvas.SideRight, canvas.SideLeft
	case b.X+b.W <= a.X:
		return canvas.SideLeft, canvas.SideRight
	case b.Y >= a.Y:
		return canvas.SideBottom, canvas.SideTop
	}
	return canvas.SideTop, canvas.SideBottom
}

// top writes the file's own keys: those kept from imported canvases (in
// the header by earlier Briefboards, then as interchange data, each with
// its marking; the snapshot holds those the cap allows) and Briefboard's,
// with the workspace header and every source.
func (b *canvasBuilder) top() error {
	m := b.snap.Meta
	tlp := b.rep.TLP
	info := canvas.FileInfo{Format: canvas.Format, Version: canvas.FormatVersion, TLP: &tlp,
		Workspace: &canvas.WorkspaceInfo{ID: m.ID, Title: m.Title, Parties: m.Parties, DefaultTLP: m.DefaultTLP}}
	for _, s := range b.snap.Sources {
		cp := *s
		cp.Conflicts = nil
		info.Sources = append(info.Sources, &cp)
	}
	raw, err := json.Marshal(info)
	if err != nil {
		return err
	}
	b.c.Extra = map[string]json.RawMessage{}
	keep := func(keys map[string]json.RawMessage) {
		for k, v := range keys {
			if k != "nodes" && k != "edges" && k != canvas.Key {
				b.c.Extra[k] = v
			}
		}
	}
	if st := canvas.ReadStored(m.Extra); st != nil {
		keep(st.Keys)
	}
	for _, x := range canvasExtras(b.snap) {
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(x.Data, &keys); err != nil {
			b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("kept canvas keys %s are damaged; they were left out", x.ID))
			continue
		}
		keep(keys)
	}
	b.c.Extra[canvas.Key] = raw
	return nil
}

// canvasExtras lists the kept canvas data of a snapshot, by id: where two
// hold the same key, the later one's is written.
func canvasExtras(snap *workspace.Snapshot) []*workspace.Extra {
	var out []*workspace.Extra
	for _, x := range snap.Extras {
		if x.Format == canvas.ExtraFormat {
			out = append(out, x)
		}
	}
	return out
}

// canvasTextHeight guesses the height a text node needs to show its
// Markdown without scrolling, at the node width the export uses.
func canvasTextHeight(text string) int {
	lines := 0
	for _, l := range strings.Split(text, "\n") {
		lines += max(1, (utf8.RuneCountInString(l)+canvasLineRunes-1)/canvasLineRunes)
	}
	return min(max(canvasCardExtraH+lines*canvasLineH, canvasCardMinH), canvasCardMaxH)
}

func canvasKindLabel(k workspace.Kind) string {
	if k == workspace.KindJudgment {
		return "Key judgment"
	}
	return canvasCapital(string(k))
}

func canvasCapital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func canvasOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// canvasTag writes a tag as an Obsidian #tag when it can be one, else as
// it is.
func canvasTag(t string) string {
	digits := true
	for _, r := range t {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '/') {
			return t
		}
		if !unicode.IsDigit(r) {
			digits = false
		}
	}
	if digits {
		return t
	}
	return "#" + t
}

func canvasEscapeLink(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(s)
}
