package canvas

import (
	"encoding/json"
	"strings"

	"briefboard/workspace"
)

// How an import reads markings (DESIGN.md 4a). A canvas may have lost
// Briefboard's keys in another tool; its text keeps what people wrote:
//
//   - A TLP label in a node's text is one of the five TLP 2.0 labels
//     (TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED) in any
//     case, whole: not preceded by a letter or digit, not followed by a
//     letter, digit, '+' or '-' (so TLP:AMBER+STRICT is not TLP:AMBER and
//     TLP:REDACTED is no label). Several labels in one text: the
//     strictest counts.
//   - A card's marking is its Briefboard key's, or without the key the
//     label in its text (the workspace's default without either); where
//     key and text disagree, the stricter counts. The same goes for a
//     group's label and the board or lane it becomes, for an edge's label
//     and the card its link belongs to, and for an annotation's text.
//   - The canvas's marking is the strictest of its banners and of the
//     marking in its top-level Briefboard key. A banner is a text node
//     that is not a card: the one an export writes (Briefboard's banner
//     key, or, once a tool dropped the key, the export's banner id with a
//     label as its first line), or any text node whose whole text is one
//     label, as a heading or not ("TLP:AMBER", "# TLP:AMBER"). A banner
//     counts wherever it lies on the canvas.
//   - The canvas's marking is a floor for every record the import writes:
//     cards, boards and lanes from groups, the cards that hold links from
//     edges, sources, annotations, the workspace header when parties are
//     added to it, and the canvas's unknown top-level keys, which are kept
//     at that marking (as workspace.Extra). A label can only raise it.
//   - An import never lowers a marking; a record it leaves as it is keeps
//     its marking unless a label or key asks for a stricter one.

// TextMarking returns the strictest TLP 2.0 label in text, and false when
// text has none.
func TextMarking(text string) (workspace.TLP, bool) {
	var out workspace.TLP
	found := false
	for i := 0; i+4 <= len(text); i++ {
		if !prefixFold(text[i:], "tlp:") || i > 0 && isAlnum(text[i-1]) {
			continue
		}
		j := i + 4
		for j < len(text) && (isAlnum(text[j]) || text[j] == '+' || text[j] == '-') {
			j++
		}
		t, err := workspace.ParseTLP(text[i+4 : j])
		if j == i+4 || err != nil {
			continue
		}
		out, found = workspace.Stricter(out, t), true
	}
	return out, found
}

// prefixFold reports whether s starts with the ASCII lower-case prefix,
// ignoring ASCII case only.
func prefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// onlyLabel returns the marking of a line that is one TLP label and
// nothing else: a heading's marks and emphasis around it allowed.
func onlyLabel(line string) (workspace.TLP, bool) {
	s := strings.Trim(headingText(line), "*_ ")
	if !prefixFold(s, "tlp:") {
		return 0, false
	}
	t, err := workspace.ParseTLP(s)
	return t, err == nil
}

// bannerMarking tells whether a node is a banner and, if so, its marking.
func bannerMarking(n *Node) (workspace.TLP, bool) {
	if n.Type != TypeText {
		return 0, false
	}
	text := strings.TrimSpace(strings.ReplaceAll(n.Text, "\r\n", "\n"))
	first, _, _ := strings.Cut(text, "\n")
	var t workspace.TLP
	switch raw, keyed := n.Extra[Key]; {
	case keyed:
		var bi BannerInfo
		if json.Unmarshal(raw, &bi) != nil || bi.Banner == "" {
			return 0, false
		}
		var err error
		if t, err = workspace.ParseTLP(bi.Banner); err != nil {
			// A banner word Briefboard does not know: the strictest.
			t = workspace.TLPRed
		}
	case n.ID == BannerID:
		var ok bool
		if t, ok = onlyLabel(first); !ok {
			return 0, false
		}
	default:
		var ok bool
		if t, ok = onlyLabel(text); !ok || strings.Contains(text, "\n") {
			return 0, false
		}
	}
	if l, ok := TextMarking(n.Text); ok {
		t = workspace.Stricter(t, l)
	}
	return t, true
}

// covers reports whether a record at marking have is at least as
// restricted as need.
func covers(have, need workspace.TLP) bool { return workspace.Stricter(have, need) == have }

// stricter is the strictest of a marking and an optional one.
func stricter(t workspace.TLP, o *workspace.TLP) workspace.TLP {
	if o == nil {
		return t
	}
	return workspace.Stricter(t, *o)
}
