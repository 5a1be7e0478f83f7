package canvas

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"briefboard/workspace"
)

// How a canvas's geometry becomes boards, lanes and cards:
//
//   - A group that no other group contains is a board, titled by its label.
//   - A group inside a board's group is one of its lanes, left to right.
//   - Groups nested deeper are not lanes: their cards go to the lane around
//     them and carry the deeper groups' labels as tags.
//   - A node belongs to the smallest group whose rectangle holds it whole.
//   - A board group without lane groups gets Briefboard's default lanes
//     (an existing board keeps its own) and its cards go to the first.
//   - Cards that sit in a board group but in none of its lane groups go to
//     a lane named "Inbox" of that board.
//   - Nodes outside every group go to a board named "Inbox", as a board
//     group without lane groups would.
//
// Boards are matched to the workspace's by the id Briefboard wrote on the
// group, then by title; lanes by id, then by name within their board.

// Names of what an import makes for cards that no group places.
const (
	InboxBoard = "Inbox"
	InboxLane  = "Inbox"
)

// Titles for groups without a label.
const (
	UntitledBoard = "Untitled board"
	UntitledLane  = "Untitled lane"
)

// MaxGroups bounds the groups of a canvas an import accepts: boards and
// lanes are for people to read, and matching nodes to groups costs time in
// their number.
const MaxGroups = 5000

// plan is what a canvas will become, worked out from its geometry and keys
// alone, before the store is touched.
type plan struct {
	c      *Canvas
	info   *FileInfo
	boards []*boardPlan
	cards  []*cardPlan
	byNode map[string]*cardPlan
	top    map[string]json.RawMessage
	// floor is the canvas's marking (see marking.go), CLEAR when it
	// states none; marked says whether it states one.
	floor  workspace.TLP
	marked bool
}

type boardPlan struct {
	group *Node // nil for the Inbox board
	info  GroupInfo
	title string
	keys  map[string]json.RawMessage
	// label is the marking in the group's label, if any.
	label *workspace.TLP
	// lanes are the lane groups, left to right; loose takes the cards
	// that sit in no lane group: the Inbox lane of a board with lane
	// groups, the first lane of one without.
	lanes []*lanePlan
	loose *lanePlan
}

type lanePlan struct {
	group *Node // nil for a loose lane
	info  GroupInfo
	name  string
	keys  map[string]json.RawMessage
	label *workspace.TLP
	// first marks the loose lane of a board without lane groups: the
	// board's first lane, whatever its name.
	first bool
	cards []*cardPlan
}

type cardPlan struct {
	node *Node
	info *CardInfo
	lane *lanePlan
	tags []string
	keys map[string]json.RawMessage
	// label is the marking in the node's text, if any.
	label *workspace.TLP
}

func makePlan(c *Canvas) (*plan, error) {
	p := &plan{c: c, byNode: map[string]*cardPlan{}}
	if raw, ok := c.Extra[Key]; ok {
		var fi FileInfo
		if err := json.Unmarshal(raw, &fi); err != nil {
			return nil, bad("its top-level %q key is damaged: %v", Key, err)
		}
		if fi.Format != Format {
			return nil, bad("its top-level %q key has format %q, not %q", Key, fi.Format, Format)
		}
		if fi.Version > FormatVersion {
			return nil, bad("it was written by a newer Briefboard (canvas format version %d; this one reads %d)", fi.Version, FormatVersion)
		}
		p.info = &fi
		if fi.TLP != nil {
			p.floor, p.marked = *fi.TLP, true
		}
	}
	p.top = without(c.Extra, Key)

	var groups []*gnode
	for i, n := range c.Nodes {
		if n.Type == TypeGroup {
			groups = append(groups, &gnode{n: n, z: i, r: n.Rect(), area: n.Rect().Area()})
		}
	}
	if len(groups) > MaxGroups {
		return nil, bad("the canvas has %d groups; Briefboard imports at most %d (they become boards and lanes)", len(groups), MaxGroups)
	}
	// Smallest first; among equal rectangles the one drawn later is the
	// inner one.
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].area != groups[j].area {
			return groups[i].area < groups[j].area
		}
		return groups[i].z > groups[j].z
	})
	for i, g := range groups {
		for _, h := range groups[i+1:] {
			if h.r.Contains(g.r) {
				g.parent = h
				break
			}
		}
	}
	for _, g := range groups {
		g.depth = depth(g)
	}

	boardOf := map[*gnode]*boardPlan{}
	laneOf := map[*gnode]*lanePlan{}
	// Boards and lanes in reading order: left to right, then top down.
	byPlace := append([]*gnode(nil), groups...)
	sort.SliceStable(byPlace, func(i, j int) bool {
		a, b := byPlace[i], byPlace[j]
		if a.r.X != b.r.X {
			return a.r.X < b.r.X
		}
		if a.r.Y != b.r.Y {
			return a.r.Y < b.r.Y
		}
		return a.z < b.z
	})
	for _, g := range byPlace {
		if g.depth != 1 {
			continue
		}
		bp := &boardPlan{group: g.n, title: oneLine(g.n.Label, workspace.MaxTitle, UntitledBoard), keys: groupKeys(g.n), label: labelOf(g.n.Label)}
		if err := groupInfo(g.n, &bp.info); err != nil {
			return nil, err
		}
		boardOf[g] = bp
		p.boards = append(p.boards, bp)
	}
	for _, g := range byPlace {
		if g.depth != 2 {
			continue
		}
		bp := boardOf[g.parent]
		lp := &lanePlan{group: g.n, name: oneLine(g.n.Label, workspace.MaxName, UntitledLane), keys: groupKeys(g.n), label: labelOf(g.n.Label)}
		if err := groupInfo(g.n, &lp.info); err != nil {
			return nil, err
		}
		laneOf[g] = lp
		bp.lanes = append(bp.lanes, lp)
	}

	var inbox *boardPlan
	for _, n := range c.Nodes {
		if n.Type == TypeGroup {
			continue
		}
		if t, ok := bannerMarking(n); ok {
			// The label of the canvas, not a card.
			p.floor, p.marked = workspace.Stricter(p.floor, t), true
			continue
		}
		cp := &cardPlan{node: n, keys: without(n.Extra, Key)}
		if n.Type == TypeText {
			cp.label = labelOf(n.Text)
		}
		if raw, ok := n.Extra[Key]; ok && n.Type == TypeText {
			var ci CardInfo
			if err := json.Unmarshal(raw, &ci); err != nil {
				return nil, bad("the %q key of node %q is damaged: %v", Key, n.ID, err)
			}
			cp.info = &ci
		}
		var home *gnode
		r := n.Rect()
		for _, g := range groups {
			if g.r.Contains(r) {
				home = g
				break
			}
		}
		var lane *lanePlan
		switch {
		case home == nil:
			if inbox == nil {
				inbox = &boardPlan{title: InboxBoard}
			}
			lane = inbox.looseLane()
		case home.depth == 1:
			lane = boardOf[home].looseLane()
		default:
			g := home
			var tags []string
			for g.depth > 2 {
				if t := oneLine(strings.ReplaceAll(g.n.Label, ",", " "), workspace.MaxTag, ""); t != "" {
					tags = append([]string{t}, tags...)
				}
				g = g.parent
			}
			lane, cp.tags = laneOf[g], tags
		}
		cp.lane = lane
		lane.cards = append(lane.cards, cp)
		p.cards = append(p.cards, cp)
		p.byNode[n.ID] = cp
	}
	if inbox != nil {
		p.boards = append(p.boards, inbox)
	}
	// Cards of a lane in reading order: top down, then left to right.
	for _, bp := range p.boards {
		for _, lp := range append(append([]*lanePlan(nil), bp.lanes...), bp.loose) {
			if lp == nil {
				continue
			}
			sort.SliceStable(lp.cards, func(i, j int) bool {
				a, b := lp.cards[i].node, lp.cards[j].node
				if a.Y != b.Y {
					return a.Y < b.Y
				}
				return a.X < b.X
			})
		}
	}
	return p, nil
}

// labelOf returns the marking of the labels in text, or nil.
func labelOf(text string) *workspace.TLP {
	if t, ok := TextMarking(text); ok {
		return &t
	}
	return nil
}

// gnode is a group node with its place in the nesting.
type gnode struct {
	n      *Node
	z      int
	r      Rect
	area   int64
	parent *gnode
	depth  int
}

func depth(g *gnode) int {
	d := 1
	for p := g.parent; p != nil; p = p.parent {
		d++
	}
	return d
}

// looseLane returns the lane for cards of the board that no lane group
// holds.
func (bp *boardPlan) looseLane() *lanePlan {
	if bp.loose == nil {
		if len(bp.lanes) > 0 {
			bp.loose = &lanePlan{name: InboxLane}
		} else {
			bp.loose = &lanePlan{first: true}
		}
	}
	return bp.loose
}

// groupKeys is what a board or lane keeps of its group: its unknown keys
// and its background, which Briefboard does not model.
func groupKeys(n *Node) map[string]json.RawMessage {
	keys := without(n.Extra, Key)
	add := func(k, v string) {
		if v != "" {
			if keys == nil {
				keys = map[string]json.RawMessage{}
			}
			keys[k] = jsonString(v)
		}
	}
	add("background", n.Background)
	add("backgroundStyle", n.BackgroundStyle)
	return keys
}

func groupInfo(n *Node, gi *GroupInfo) error {
	raw, ok := n.Extra[Key]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, gi); err != nil {
		return bad("the %q key of group %q is damaged: %v", Key, n.ID, err)
	}
	return nil
}

// without returns m without key, or nil when nothing is left.
func without(m map[string]json.RawMessage, key string) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	for k, v := range m {
		if k != key {
			if out == nil {
				out = make(map[string]json.RawMessage, len(m))
			}
			out[k] = v
		}
	}
	return out
}

// oneLine folds s onto one line of single spaces, at most n runes, or
// gives def when nothing is left.
func oneLine(s string, n int, def string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\x00", " ")), " ")
	if utf8.RuneCountInString(s) > n {
		s = strings.TrimSpace(cut(s, n-1)) + "…"
	}
	if s == "" {
		return def
	}
	return s
}

func (cp *cardPlan) describe() string {
	return fmt.Sprintf("node %q", cp.node.ID)
}
