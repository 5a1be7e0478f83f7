package canvas

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"briefboard/workspace"
)

// Key is the one key under which Briefboard keeps its own fields: on the
// top level (FileInfo), on group nodes (GroupInfo) and on card text nodes
// (CardInfo). Other canvas tools keep it as a key they do not know.
const Key = "briefboard"

// Format and FormatVersion identify the top-level FileInfo.
const (
	Format        = "briefboard-canvas"
	FormatVersion = 1
)

// FileInfo is the top-level Briefboard key: the workspace a canvas came
// from and the sources its cards cite.
type FileInfo struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// TLP is the most restrictive marking among what the canvas holds.
	TLP       *workspace.TLP      `json:"tlp,omitempty"`
	Workspace *WorkspaceInfo      `json:"workspace,omitempty"`
	Sources   []*workspace.Source `json:"sources,omitempty"`
}

// WorkspaceInfo is the header of the workspace a canvas came from.
type WorkspaceInfo struct {
	ID         string            `json:"id"`
	Title      string            `json:"title"`
	Parties    []workspace.Party `json:"parties,omitempty"`
	DefaultTLP workspace.TLP     `json:"defaultTlp"`
}

// GroupInfo is the Briefboard key of a group node: the board or lane it
// shows, with its own marking.
type GroupInfo struct {
	Board   string         `json:"board,omitempty"`
	Purpose string         `json:"purpose,omitempty"`
	Lane    string         `json:"lane,omitempty"`
	TLP     *workspace.TLP `json:"tlp,omitempty"`
}

// CardInfo is the Briefboard key of a card's text node: the card's fields
// that its Markdown does not carry. Title and body live in the text; the
// title is also kept here, with a digest of the text as written, so that
// an unedited node gives back the card exactly.
type CardInfo struct {
	Card        string                        `json:"card"`
	Title       string                        `json:"title"`
	Digest      string                        `json:"digest,omitempty"`
	Foot        int                           `json:"foot,omitempty"`
	Kind        workspace.Kind                `json:"kind"`
	TLP         *workspace.TLP                `json:"tlp,omitempty"`
	Tags        []string                      `json:"tags,omitempty"`
	Citations   []workspace.Citation          `json:"citations,omitempty"`
	Positions   map[string]workspace.Position `json:"positions,omitempty"`
	Likelihood  workspace.Likelihood          `json:"likelihood,omitempty"`
	Confidence  workspace.Confidence          `json:"confidence,omitempty"`
	Annotations []AnnotationInfo              `json:"annotations,omitempty"`
	CreatedBy   string                        `json:"createdBy,omitempty"`
	CreatedAt   time.Time                     `json:"createdAt"`
}

// BannerInfo is the Briefboard key of the text node that shows the
// canvas's TLP label: the level's word. An import takes no card from that
// node; its label is a floor for what the import writes.
type BannerInfo struct {
	Banner string `json:"banner"`
}

// BannerID is the id of the banner node an export writes, which tells the
// banner once another tool has dropped its key.
const BannerID = "briefboard-tlp"

// ExtraFormat names canvas data kept as workspace.Extra: the canvas's
// top-level keys that neither JSON Canvas nor Briefboard defines, as one
// JSON object.
const ExtraFormat = "canvas"

// AnnotationInfo is one entry of a card's thread.
type AnnotationInfo struct {
	ID       string                   `json:"id"`
	Author   string                   `json:"author,omitempty"`
	Kind     workspace.AnnotationKind `json:"kind"`
	Text     string                   `json:"text"`
	Resolved bool                     `json:"resolved,omitempty"`
	TLP      workspace.TLP            `json:"tlp"`
	At       time.Time                `json:"at"`
}

// Stored is what a record keeps of a canvas in its Extra, under "canvas":
// the keys of its node (or the top level, for the workspace header) that
// Briefboard does not model, and for a card the styling and unknown keys
// of the edges that became its links.
type Stored struct {
	Keys  map[string]json.RawMessage `json:"keys,omitempty"`
	Edges []StoredEdge               `json:"edges,omitempty"`
}

// StoredEdge is what an edge kept: the link it became and its keys.
type StoredEdge struct {
	To   string                     `json:"to"`
	Type string                     `json:"type"`
	Keys map[string]json.RawMessage `json:"keys"`
}

// extraKey is the namespace of canvas data in a record's Extra.
const extraKey = "canvas"

// ReadStored returns the canvas part of a record's Extra, or nil.
func ReadStored(extra json.RawMessage) *Stored {
	if len(extra) == 0 {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(extra, &obj) != nil || obj[extraKey] == nil {
		return nil
	}
	var st Stored
	if json.Unmarshal(obj[extraKey], &st) != nil {
		return nil
	}
	return &st
}

// WithStored returns extra with its canvas part replaced by st (removed
// when st is empty), keeping what other formats stored.
func WithStored(extra json.RawMessage, st *Stored) (json.RawMessage, error) {
	obj := map[string]json.RawMessage{}
	if len(extra) > 0 {
		if err := json.Unmarshal(extra, &obj); err != nil || obj == nil {
			obj = map[string]json.RawMessage{}
		}
	}
	delete(obj, extraKey)
	if st != nil && (len(st.Keys) > 0 || len(st.Edges) > 0) {
		b, err := json.Marshal(st)
		if err != nil {
			return nil, err
		}
		obj[extraKey] = b
	}
	if len(obj) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	if len(b) > workspace.MaxExtra {
		return nil, fmt.Errorf("the canvas keys Briefboard keeps for it are %d bytes; the limit is %d", len(b), workspace.MaxExtra)
	}
	return b, nil
}

// Digest is the digest of a node's text that CardInfo keeps.
func Digest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:8])
}

// FootMark starts the generated footer of a card's text: a thematic break
// and the TLP label, such as "\n\n---\nTLP:AMBER".
const FootMark = "\n\n---\nTLP:"

// Heading is the first line of a card's text: the title as a level-one
// Markdown heading, on one line.
func Heading(title string) string {
	return "# " + strings.Join(strings.Fields(title), " ")
}

// CardText writes a card as Markdown: its title as a heading, the body,
// then the footer (which must start with "---\nTLP:"), each part separated
// by a blank line. It returns the text and the length of the footer part.
func CardText(title, body, footer string) (text string, foot int) {
	var b strings.Builder
	b.WriteString(Heading(title))
	if body != "" {
		b.WriteString("\n\n")
		b.WriteString(body)
	}
	if footer != "" {
		n := b.Len()
		b.WriteString("\n\n")
		b.WriteString(footer)
		foot = b.Len() - n
	}
	return b.String(), foot
}

// SplitCard recovers a card's title and body from a text node that carries
// a CardInfo. An unedited node (the digest matches) gives them back
// exactly; an edited one is read like any text node, without the
// generated footer.
func SplitCard(text string, info *CardInfo) (title, body string) {
	if info.Digest != "" && info.Digest == Digest(text) {
		head := Heading(info.Title)
		if strings.HasPrefix(text, head) && info.Foot >= 0 && len(head)+info.Foot <= len(text) {
			body = text[len(head) : len(text)-info.Foot]
			if body == "" || strings.HasPrefix(body, "\n\n") {
				return info.Title, strings.TrimPrefix(body, "\n\n")
			}
		}
	}
	if i := strings.LastIndex(text, FootMark); i >= 0 {
		text = text[:i]
	}
	return SplitText(text)
}

// UntitledCard titles a card whose text has no words.
const UntitledCard = "Untitled card"

// SplitText reads a text node as a card: the first non-blank line is the
// title (a Markdown heading loses its marks, a setext underline is
// dropped), the rest is the body. A title longer than the model allows is
// shortened, and then the body keeps the whole text, so nothing is lost.
func SplitText(text string) (title, body string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.TrimLeft(text, " \t\n\r")
	line, rest, _ := strings.Cut(text, "\n")
	title = headingText(line)
	if next, after, _ := strings.Cut(rest, "\n"); isSetextUnderline(next) {
		rest = after
	}
	body = strings.TrimRight(strings.TrimLeft(rest, "\n"), " \t\n\r")
	if title == "" {
		title = UntitledCard
	}
	if utf8.RuneCountInString(title) > workspace.MaxTitle {
		title = strings.TrimSpace(cut(title, 200)) + "…"
		body = strings.TrimRight(text, " \t\n\r")
	}
	return title, body
}

// headingText strips an ATX heading's marks ("## Title ##") and spaces.
func headingText(line string) string {
	s := strings.TrimSpace(line)
	if h := strings.TrimLeft(s, "#"); len(s)-len(h) >= 1 && len(s)-len(h) <= 6 && (h == "" || h[0] == ' ' || h[0] == '\t') {
		h = strings.TrimSpace(h)
		if t := strings.TrimRight(h, "#"); t != h && (t == "" || strings.HasSuffix(t, " ")) {
			h = strings.TrimSpace(t)
		}
		s = h
	}
	return strings.Join(strings.Fields(s), " ")
}

func isSetextUnderline(line string) bool {
	s := strings.TrimSpace(line)
	return len(s) >= 2 && (strings.Trim(s, "=") == "" || strings.Trim(s, "-") == "")
}

// cut returns at most n runes of s.
func cut(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
