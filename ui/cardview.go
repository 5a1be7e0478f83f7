package ui

import (
	"fmt"
	"image/color"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// cardFacts is what a card on a board shows besides the card itself, taken
// from the snapshot once per binding.
type cardFacts struct {
	// Open counts unresolved annotations.
	Open int
	// Grade is the weakest grade of the cited sources; Cited says whether
	// the card cites any.
	Grade workspace.Grade
	Cited bool
	// Parties lists every party of the workspace with its stance here.
	Parties []partyDot
	// Lane names the card's lane, shown where lanes are not columns.
	Lane string
	// Marking is the card's effective marking, which its badge shows;
	// nil shows the card's own field.
	Marking *workspace.Marking
	// Evidence counts the ACH matrices the card is evidence in.
	Evidence int
}

// partyDot is one party's dot on a card.
type partyDot struct {
	Short  string
	Stance workspace.Stance
	Has    bool
}

// factsOf gathers a card's facts from a snapshot.
func factsOf(snap *workspace.Snapshot, c *workspace.Card) cardFacts {
	m := markingOf(snap, c, c.TLP)
	f := cardFacts{Open: snap.OpenAnnotations(c.ID), Marking: &m, Evidence: len(snap.EvidenceIn(c.ID))}
	f.Grade, f.Cited = snap.WeakestGrade(c)
	for _, p := range snap.Meta.Parties {
		pos, ok := c.Positions[p.ID]
		short := p.Short
		if short == "" {
			short = firstRunes(p.Name, 3)
		}
		f.Parties = append(f.Parties, partyDot{Short: short, Stance: pos.Stance, Has: ok})
	}
	return f
}

func firstRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// CardView is a card as a board shows it: kind, TLP badge, title, tags, a
// dot per party in its stance colour, the open annotations and the weakest
// source grade. It is a list row, so it is rebound to other cards as lists
// scroll: whoever drags it must keep the card id from the start.
type CardView struct {
	widget.BaseWidget

	card     *workspace.Card
	facts    cardFacts
	selected bool
	hovered  bool
	// lifted marks the card being dragged: its place shows as an outline.
	lifted bool
	// ShowLane adds the lane's name to the kind line (the overview).
	ShowLane bool
	// highlight holds the find bar's words, folded (workspace.Fold): the
	// title's and tags' words that hold one are marked.
	highlight []string
	// changed marks a card changed since the last brief with a bar at its
	// right edge.
	changed bool

	// OnTapped, OnSecondary and the drag callbacks are set by the view
	// that holds the card.
	OnTapped    func(id string)
	OnSecondary func(id string, at fyne.Position)
	OnDragged   func(id string, ev *fyne.DragEvent)
	OnDragEnd   func(id string)
	dragID      string
	// openErrors counts the open errors of the checks on a card; a card
	// with any is marked.
	openErrors func(id string) int
}

// NewCardView makes an empty card view; SetCard binds it to a card.
func NewCardView() *CardView {
	v := &CardView{}
	v.ExtendBaseWidget(v)
	return v
}

// SetCard shows a card with its facts.
func (v *CardView) SetCard(c *workspace.Card, f cardFacts, selected bool) {
	v.card, v.facts, v.selected = c, f, selected
	v.Refresh()
}

// CardID is the id of the card shown, or "".
func (v *CardView) CardID() string {
	if v.card == nil {
		return ""
	}
	return v.card.ID
}

// Tapped selects the card.
func (v *CardView) Tapped(*fyne.PointEvent) {
	if v.card != nil && v.OnTapped != nil {
		v.OnTapped(v.card.ID)
	}
}

// TappedSecondary opens the card's menu.
func (v *CardView) TappedSecondary(ev *fyne.PointEvent) {
	if v.card != nil && v.OnSecondary != nil {
		v.OnSecondary(v.card.ID, ev.AbsolutePosition)
	}
}

// Dragged moves the card with the pointer; the card id is taken at the
// start of the drag, since the row may be rebound while it goes on.
func (v *CardView) Dragged(ev *fyne.DragEvent) {
	if v.dragID == "" {
		if v.card == nil {
			return
		}
		v.dragID = v.card.ID
	}
	if v.OnDragged != nil {
		v.OnDragged(v.dragID, ev)
	}
}

// DragEnd drops the card where the pointer is.
func (v *CardView) DragEnd() {
	id := v.dragID
	v.dragID = ""
	if id != "" && v.OnDragEnd != nil {
		v.OnDragEnd(id)
	}
}

// MouseIn highlights the card under the pointer.
func (v *CardView) MouseIn(*desktop.MouseEvent) { v.hovered = true; v.Refresh() }

// MouseMoved is part of desktop.Hoverable.
func (v *CardView) MouseMoved(*desktop.MouseEvent) {}

// MouseOut ends the highlight.
func (v *CardView) MouseOut() { v.hovered = false; v.Refresh() }

// MinSize is the fixed size of a card: lists of cards are virtualised and
// need one row height.
func (v *CardView) MinSize() fyne.Size {
	return fyne.NewSize(180, cardHeight())
}

// Card metrics.
const (
	cardPad       = float32(8)
	cardTitleSize = float32(14)
	cardSmallSize = float32(11)
	cardDot       = float32(9)
)

func lineHeight(size float32, style fyne.TextStyle) float32 {
	return fyne.MeasureText("Ág", size, style).Height
}

func cardHeight() float32 {
	small := lineHeight(cardSmallSize, fyne.TextStyle{Bold: true})
	title := lineHeight(cardTitleSize, fyne.TextStyle{})
	return cardPad + small + 4 + 2*title + 2 + small + 6 + small + 2 + cardPad
}

// CreateRenderer builds the card's canvas objects once; Refresh rebinds
// them.
func (v *CardView) CreateRenderer() fyne.WidgetRenderer {
	r := &cardRenderer{v: v}
	r.bg = canvas.NewRectangle(color.Transparent)
	r.bg.CornerRadius = 6
	r.bg.StrokeWidth = 1
	r.accent = canvas.NewRectangle(color.Transparent)
	r.accent.CornerRadius = 2
	r.change = newChangeBar()
	r.kind = canvas.NewText("", color.Black)
	r.kind.TextSize = cardSmallSize
	r.kind.TextStyle = fyne.TextStyle{Bold: true}
	r.tlpBg = canvas.NewRectangle(tlpBlack)
	r.tlpBg.CornerRadius = 3
	r.tlp = canvas.NewText("", tlpClear)
	r.tlp.TextSize = cardSmallSize - 1
	r.tlp.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	for i := range r.title {
		r.title[i] = canvas.NewText("", color.Black)
		r.title[i].TextSize = cardTitleSize
	}
	r.tags = canvas.NewText("", color.Black)
	r.tags.TextSize = cardSmallSize
	r.ann = canvas.NewText("", color.Black)
	r.ann.TextSize = cardSmallSize
	r.ann.TextStyle = fyne.TextStyle{Bold: true}
	r.annIcon = canvas.NewImageFromResource(theme.NewThemedResource(commentIcon))
	r.annIcon.FillMode = canvas.ImageFillContain
	r.ach = canvas.NewText("", color.Black)
	r.ach.TextSize = cardSmallSize - 1
	r.ach.TextStyle = fyne.TextStyle{Bold: true}
	r.gradeBg = canvas.NewRectangle(color.Transparent)
	r.gradeBg.CornerRadius = 3
	r.gradeBg.StrokeWidth = 1
	r.grade = canvas.NewText("", color.Black)
	r.grade.TextSize = cardSmallSize
	r.grade.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	r.errMark = canvas.NewCircle(color.Transparent)
	r.refreshContent()
	return r
}

type cardRenderer struct {
	v       *CardView
	bg      *canvas.Rectangle
	accent  *canvas.Rectangle
	change  *canvas.Rectangle
	kind    *canvas.Text
	tlpBg   *canvas.Rectangle
	tlp     *canvas.Text
	title   [2]*canvas.Text
	tags    *canvas.Text
	dots    []*canvas.Circle
	shorts  []*canvas.Text
	annIcon *canvas.Image
	ann     *canvas.Text
	ach     *canvas.Text
	gradeBg *canvas.Rectangle
	grade   *canvas.Text
	// errMark marks a card with open errors of the checks.
	errMark *canvas.Circle
	objects []fyne.CanvasObject
	// marks highlight the words the find bar matched, behind the text.
	marks []*canvas.Rectangle
	// full texts before fitting to the width
	titleText, tagText, kindText string
}

// Destroy has nothing to release.
func (r *cardRenderer) Destroy() {}

// MinSize is the card's fixed size.
func (r *cardRenderer) MinSize() fyne.Size { return r.v.MinSize() }

// Objects lists what is drawn.
func (r *cardRenderer) Objects() []fyne.CanvasObject { return r.objects }

// Refresh rebinds the texts and colours and lays them out again.
func (r *cardRenderer) Refresh() {
	r.refreshContent()
	r.Layout(r.v.Size())
	canvas.Refresh(r.v)
}

// refreshContent sets texts and colours from the bound card.
func (r *cardRenderer) refreshContent() {
	v := r.v
	fg := theme.Color(theme.ColorNameForeground)
	muted := themeColor(colorNameMuted)
	r.bg.FillColor = themeColor(colorNameCard)
	r.bg.StrokeColor = themeColor(colorNameCardBorder)
	r.bg.StrokeWidth = 1
	if v.hovered {
		r.bg.StrokeColor = muted
	}
	if v.selected {
		r.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
		r.bg.StrokeWidth = 2
	}
	if v.lifted {
		r.bg.FillColor = color.Transparent
		fg = muted
	}
	c := v.card
	if c == nil {
		r.kindText, r.tlp.Text, r.titleText, r.tagText, r.ann.Text, r.grade.Text = "", "", "", "", "", ""
		r.objects = []fyne.CanvasObject{r.bg}
		return
	}
	kc := kindColor(c.Kind)
	r.accent.FillColor = kc
	r.kind.Color = kc
	r.kindText = kindLine(c, v.facts, v.ShowLane)
	// The badge shows the effective marking, with a mark when it is
	// stricter than the card's own or held by a marking conflict.
	tlp, mark := c.TLP, ""
	if m := v.facts.Marking; m != nil {
		tlp, mark = m.TLP, badgeMark(*m)
	}
	r.tlp.Text = tlp.String() + mark
	r.tlp.Color = tlpColor(tlp)
	r.titleText = workspace.Printable(c.Title)
	for _, t := range r.title {
		t.Color = fg
	}
	r.tagText = tagLine(c.Tags)
	r.tags.Color = muted
	// One dot per party, in the party's stance colour; a party without a
	// position is an empty ring.
	for len(r.dots) < len(v.facts.Parties) {
		d := canvas.NewCircle(color.Transparent)
		d.StrokeWidth = 1.5
		s := canvas.NewText("", muted)
		s.TextSize = cardSmallSize
		r.dots = append(r.dots, d)
		r.shorts = append(r.shorts, s)
	}
	for i, d := range r.dots {
		if i >= len(v.facts.Parties) {
			d.Hide()
			r.shorts[i].Hide()
			continue
		}
		p := v.facts.Parties[i]
		d.Show()
		r.shorts[i].Show()
		col := stanceColor(p.Stance)
		if p.Has {
			d.FillColor, d.StrokeColor = col, col
		} else {
			d.FillColor, d.StrokeColor = color.Transparent, themeColor(colorNameCardBorder)
		}
		r.shorts[i].Text = p.Short
		r.shorts[i].Color = muted
	}
	// The count and its icon show only for open annotations; hidden, they
	// keep no place or colour from a card the view showed before (list
	// rows are reused), so a card draws the same whatever came before.
	r.ann.Text = ""
	r.ann.Color = fg
	r.ann.Hide()
	r.annIcon.Hide()
	if v.facts.Open > 0 {
		r.ann.Text = fmt.Sprint(v.facts.Open)
		r.ann.Show()
		r.annIcon.Show()
	}
	// A small mark says the card is evidence in an ACH matrix.
	r.ach.Text, r.ach.Color = "", muted
	r.ach.Hide()
	if n := v.facts.Evidence; n > 0 {
		r.ach.Text = "ACH"
		if n > 1 {
			r.ach.Text = fmt.Sprintf("ACH×%d", n)
		}
		r.ach.Show()
	}
	switch {
	case !v.facts.Cited:
		r.grade.Text = "no source"
		r.grade.TextStyle = fyne.TextStyle{Italic: true}
		r.grade.Color = muted
		r.gradeBg.StrokeColor = color.Transparent
	default:
		r.grade.Text = v.facts.Grade.String()
		r.grade.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
		r.grade.Color = fg
		r.gradeBg.StrokeColor = themeColor(colorNameCardBorder)
		if v.facts.Grade.Weak() {
			r.grade.Color = weakGradeColor
			r.gradeBg.StrokeColor = weakGradeColor
		}
	}
	r.gradeBg.FillColor = color.Transparent
	r.objects = r.objects[:0]
	r.objects = append(r.objects, r.bg, r.accent)
	// Marks are laid out with the text; as many as the find bar can need.
	if len(v.highlight) > 0 {
		for len(r.marks) < 12 {
			r.marks = append(r.marks, canvas.NewRectangle(color.Transparent))
		}
		for _, m := range r.marks {
			m.FillColor = markColor()
			m.CornerRadius = 2
			r.objects = append(r.objects, m)
		}
	}
	r.objects = append(r.objects, r.kind, r.tlpBg, r.tlp, r.title[0], r.title[1], r.tags)
	for i := range r.dots {
		r.objects = append(r.objects, r.dots[i], r.shorts[i])
	}
	r.objects = append(r.objects, r.annIcon, r.ann, r.ach, r.gradeBg, r.grade)
	// Only a marked card draws the mark: others are drawn as before.
	r.errMark.Hide()
	if v.openErrors != nil && v.openErrors(c.ID) > 0 {
		r.errMark.FillColor = theme.Color(theme.ColorNameError)
		r.errMark.Show()
		r.objects = append(r.objects, r.errMark)
	}
	if v.changed {
		r.objects = append(r.objects, r.change)
	}
}

// kindLine is the small line above the title: the kind, and for a key
// judgment its likelihood and confidence.
func kindLine(c *workspace.Card, f cardFacts, lane bool) string {
	s := strings.ToUpper(string(c.Kind))
	if c.Kind == workspace.KindJudgment && c.Likelihood != "" {
		s += " · " + c.Likelihood.Label()
		if c.Confidence != "" {
			s += ", " + string(c.Confidence)[:3] + ". conf."
		}
	}
	if lane && f.Lane != "" {
		s = f.Lane + " · " + s
	}
	return s
}

func tagLine(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return "#" + strings.Join(tags, "  #")
}

// Layout places the kind line and badge, two lines of title, the tags,
// and the footer of party dots, open annotations and weakest grade.
func (r *cardRenderer) Layout(size fyne.Size) {
	if r.v.card == nil {
		r.bg.Resize(size)
		return
	}
	r.bg.Move(fyne.NewPos(0, 0))
	r.bg.Resize(size)
	r.accent.Move(fyne.NewPos(1, 6))
	r.accent.Resize(fyne.NewSize(3, size.Height-12))
	layoutChangeBar(r.change, size)
	small := lineHeight(cardSmallSize, fyne.TextStyle{Bold: true})
	titleH := lineHeight(cardTitleSize, fyne.TextStyle{})
	left := cardPad + 4
	inner := size.Width - left - cardPad
	y := cardPad

	tlpSize := fyne.MeasureText(r.tlp.Text, r.tlp.TextSize, r.tlp.TextStyle)
	badgeW := tlpSize.Width + 8
	r.tlpBg.Resize(fyne.NewSize(badgeW, small))
	r.tlpBg.Move(fyne.NewPos(size.Width-cardPad-badgeW, y))
	r.tlp.Move(fyne.NewPos(size.Width-cardPad-badgeW+4, y+(small-tlpSize.Height)/2))
	r.tlp.Resize(tlpSize)
	// The evidence mark sits left of the badge.
	if r.ach.Text != "" {
		es := fyne.MeasureText(r.ach.Text, r.ach.TextSize, r.ach.TextStyle)
		badgeW += es.Width + 6
		r.ach.Move(fyne.NewPos(size.Width-cardPad-badgeW, y+(small-es.Height)/2))
		r.ach.Resize(es)
	}
	if r.errMark.Visible() {
		// The mark sits left of the badge; the kind line gives way.
		r.errMark.Resize(fyne.NewSize(cardDot, cardDot))
		r.errMark.Move(fyne.NewPos(size.Width-cardPad-badgeW-4-cardDot, y+(small-cardDot)/2))
		badgeW += cardDot + 4
	}
	r.kind.Text = fitLine(r.kindText, r.kind.TextSize, r.kind.TextStyle, inner-badgeW-6)
	r.kind.Move(fyne.NewPos(left, y))
	r.kind.Resize(fyne.NewSize(inner-badgeW-6, small))
	y += small + 4

	lines := wrapLines(r.titleText, cardTitleSize, fyne.TextStyle{}, inner, 2)
	for i, t := range r.title {
		t.Text = ""
		if i < len(lines) {
			t.Text = lines[i]
		}
		t.Move(fyne.NewPos(left, y+float32(i)*titleH))
		t.Resize(fyne.NewSize(inner, titleH))
	}
	marked := 0
	if len(r.v.highlight) > 0 {
		for i, t := range r.title {
			marked = r.markWords(marked, t.Text, cardTitleSize, t.TextStyle, left, y+float32(i)*titleH, titleH)
		}
	}
	y += 2*titleH + 2

	r.tags.Text = fitLine(r.tagText, cardSmallSize, fyne.TextStyle{}, inner)
	r.tags.Move(fyne.NewPos(left, y))
	r.tags.Resize(fyne.NewSize(inner, small))
	if len(r.v.highlight) > 0 {
		marked = r.markWords(marked, r.tags.Text, cardSmallSize, r.tags.TextStyle, left, y, small)
	}
	for _, m := range r.marks[marked:] {
		m.Hide()
	}
	y += small + 6

	// Footer: annotations and grade on the right, party dots on the left;
	// the parties' short names go when a narrow card has no room for them.
	right := size.Width - cardPad
	gs := fyne.MeasureText(r.grade.Text, r.grade.TextSize, r.grade.TextStyle)
	r.gradeBg.Resize(fyne.NewSize(gs.Width+8, small+2))
	r.gradeBg.Move(fyne.NewPos(right-gs.Width-8, y-1))
	r.grade.Move(fyne.NewPos(right-gs.Width-4, y+(small-gs.Height)/2))
	r.grade.Resize(gs)
	right -= gs.Width + 8 + 8
	if r.ann.Text != "" {
		as := fyne.MeasureText(r.ann.Text, r.ann.TextSize, r.ann.TextStyle)
		r.ann.Move(fyne.NewPos(right-as.Width, y+(small-as.Height)/2))
		r.ann.Resize(as)
		r.annIcon.Resize(fyne.NewSize(small, small))
		r.annIcon.Move(fyne.NewPos(right-as.Width-small-2, y))
		right -= as.Width + small + 2 + 6
	}
	parties := len(r.v.facts.Parties)
	need := float32(0)
	for i := 0; i < parties && i < len(r.shorts); i++ {
		s := r.shorts[i]
		need += cardDot + 3 + fyne.MeasureText(s.Text, s.TextSize, s.TextStyle).Width + 7
	}
	named := left+need-7 <= right
	x := left
	for i, d := range r.dots {
		if i >= parties {
			continue
		}
		d.Move(fyne.NewPos(x, y+(small-cardDot)/2))
		d.Resize(fyne.NewSize(cardDot, cardDot))
		x += cardDot + 3
		s := r.shorts[i]
		if !named {
			s.Hide()
			x += 2
			continue
		}
		s.Show()
		sw := fyne.MeasureText(s.Text, s.TextSize, s.TextStyle).Width
		s.Move(fyne.NewPos(x, y))
		s.Resize(fyne.NewSize(sw, small))
		x += sw + 7
	}
}

// markWords puts marks behind the words of a line of text drawn at (x, y)
// that hold one of the find bar's words, from mark i on, and returns the
// next free mark.
func (r *cardRenderer) markWords(i int, line string, size float32, style fyne.TextStyle, x, y, h float32) int {
	offset := 0
	for _, w := range strings.Split(line, " ") {
		start := offset
		offset += len(w) + 1
		if w == "" || i >= len(r.marks) || !wordMatches(w, r.v.highlight) {
			continue
		}
		before := fyne.MeasureText(line[:start], size, style).Width
		width := fyne.MeasureText(w, size, style).Width
		m := r.marks[i]
		m.Move(fyne.NewPos(x+before-1, y))
		m.Resize(fyne.NewSize(width+2, h))
		m.Show()
		i++
	}
	return i
}

// wordMatches reports whether a word holds one of the folded terms, as
// the find bar matches them.
func wordMatches(word string, terms []string) bool {
	f := workspace.Fold(strings.TrimSuffix(word, "…"))
	for _, t := range terms {
		if t != "" && strings.Contains(f, t) {
			return true
		}
	}
	return false
}

// fitLine shortens s with an ellipsis until it fits width.
func fitLine(s string, size float32, style fyne.TextStyle, width float32) string {
	if s == "" || fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(strings.TrimRight(string(r[:mid]), " ")+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}

// wrapLines breaks s into at most max lines that fit width, at spaces
// where it can; the last line ends with an ellipsis when text is left.
func wrapLines(s string, size float32, style fyne.TextStyle, width float32, max int) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for i := 0; i < len(words); i++ {
		w := words[i]
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if fyne.MeasureText(try, size, style).Width <= width {
			cur = try
			continue
		}
		if cur == "" {
			// One word wider than the line: cut it.
			cur = fitLine(w, size, style, width)
			lines = append(lines, cur)
			cur = ""
		} else {
			lines = append(lines, cur)
			cur = ""
			i--
		}
		if len(lines) == max {
			rest := strings.Join(words[i+1:], " ")
			if rest != "" || cur != "" {
				lines[max-1] = fitLine(lines[max-1]+" "+rest, size, style, width)
			}
			return lines
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
