package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// Labels of the card kinds in pickers.
var kindLabels = map[workspace.Kind]string{
	workspace.KindNote:      "Note",
	workspace.KindFact:      "Fact",
	workspace.KindStatement: "Statement",
	workspace.KindJudgment:  "Key judgment",
	workspace.KindQuestion:  "Question",
	workspace.KindRisk:      "Risk",
}

// likelihoodRanges are the ICD 203 probability ranges of each term.
var likelihoodRanges = map[workspace.Likelihood]string{
	workspace.LikelihoodAlmostNoChance: "01-05%",
	workspace.LikelihoodVeryUnlikely:   "05-20%",
	workspace.LikelihoodUnlikely:       "20-45%",
	workspace.LikelihoodRoughlyEven:    "45-55%",
	workspace.LikelihoodLikely:         "55-80%",
	workspace.LikelihoodVeryLikely:     "80-95%",
	workspace.LikelihoodAlmostCertain:  "95-99%",
}

const noneOption = "— none —"

func likelihoodOption(l workspace.Likelihood) string {
	if l == "" {
		return noneOption
	}
	return fmt.Sprintf("%s (%s)", l.Label(), likelihoodRanges[l])
}

func confidenceOption(c workspace.Confidence) string {
	if c == "" {
		return noneOption
	}
	return strings.ToUpper(string(c)[:1]) + string(c)[1:]
}

// detailPane is the editor of the selected card: every field of the model
// in tabs (card, sources, positions, links, thread). Typing is stored as
// one action per field visit or pause; pickers store at once.
type detailPane struct {
	mw          *MainWindow
	root        *fyne.Container
	placeholder fyne.CanvasObject
	tabs        *container.AppTabs
	card        *workspace.Card
	binding     bool

	crumb    *widget.Label
	form     *fyne.Container
	conflict *fyne.Container
	// changes says what changed since the last brief (rounds.go).
	changes  *widget.Label
	title    *fieldEntry
	kind     *widget.Select
	tlp      *widget.Select
	tlpBadge *tlpBadge
	board    *widget.Select
	lane     *widget.Select
	placeErr *widget.Label
	markErr  *widget.Label
	// markWhy says why the card shows a stricter marking than its own;
	// markHeld lists the writes a marking conflict holds, with the
	// button that sets the marking again.
	markWhy    *widget.Label
	markHeld   *fyne.Container
	heldText   *widget.Label
	release    *widget.Button
	tags       *fieldEntry
	judgment   *fyne.Container
	likelihood *widget.Select
	confidence *widget.Select
	judgeErr   *widget.Label
	body       *fieldEntry
	meta       *widget.Label

	sources   *sourcesEditor
	positions *positionsEditor
	links     *linksEditor
	thread    *threadView

	// theme is the theme the pane was last drawn in.
	theme fyne.Theme

	tabCard, tabSources, tabPositions, tabLinks, tabThread *container.TabItem
	boardIDs                                               []string
	laneIDs                                                []string
}

func newDetailPane(mw *MainWindow) *detailPane {
	d := &detailPane{mw: mw}
	d.crumb = widget.NewLabel("")
	d.crumb.Importance = widget.LowImportance
	d.crumb.Truncation = fyne.TextTruncateEllipsis
	d.title = newTitleEntry(workspace.MaxTitle, "A card title", d.commitTitle)
	d.title.SetPlaceHolder("Title")
	d.kind = widget.NewSelect(nil, d.commitKind)
	for _, k := range workspace.Kinds {
		d.kind.Options = append(d.kind.Options, kindLabels[k])
	}
	d.tlp = widget.NewSelect(nil, d.commitTLP)
	for _, t := range workspace.TLPLevels {
		d.tlp.Options = append(d.tlp.Options, t.String())
	}
	d.tlpBadge = newTLPBadge()
	d.board = widget.NewSelect(nil, d.commitBoard)
	d.lane = widget.NewSelect(nil, d.commitLane)
	d.placeErr, d.markErr, d.judgeErr = fieldError(), fieldError(), fieldError()
	d.markWhy = widget.NewLabel("")
	d.markWhy.Wrapping = fyne.TextWrapWord
	d.markWhy.Importance = widget.LowImportance
	d.markWhy.SizeName = theme.SizeNameCaptionText
	d.markWhy.Hide()
	d.heldText = widget.NewLabel("")
	d.heldText.Wrapping = fyne.TextWrapWord
	d.heldText.Importance = widget.WarningImportance
	d.release = widget.NewButtonWithIcon("Set marking again…", theme.WarningIcon(), d.setMarkingAgain)
	d.markHeld = container.NewVBox(d.heldText, container.NewHBox(d.release))
	d.markHeld.Hide()
	d.tags = newFieldEntry(false, d.commitTags)
	d.tags.SetPlaceHolder("Tags, separated by commas")
	d.likelihood = widget.NewSelect([]string{noneOption}, d.commitLikelihood)
	for _, l := range workspace.Likelihoods {
		d.likelihood.Options = append(d.likelihood.Options, likelihoodOption(l))
	}
	d.confidence = widget.NewSelect([]string{noneOption}, d.commitConfidence)
	for _, c := range workspace.Confidences {
		d.confidence.Options = append(d.confidence.Options, confidenceOption(c))
	}
	d.body = newFieldEntry(true, d.commitBody)
	d.body.max, d.body.what = workspace.MaxBody, "A card body"
	d.body.SetMinRowsVisible(8)
	d.body.SetPlaceHolder("What the card says: the text, context, what it rests on")
	d.meta = widget.NewLabel("")
	d.meta.Importance = widget.LowImportance
	d.meta.Wrapping = fyne.TextWrapWord
	d.meta.SizeName = theme.SizeNameCaptionText

	conflictText := widget.NewLabel("This card has changes from colleagues that conflict. Both values are kept until you choose.")
	conflictText.Wrapping = fyne.TextWrapWord
	conflictBtn := widget.NewButtonWithIcon("Resolve…", theme.WarningIcon(), mw.showConflictsAction)
	d.conflict = container.NewBorder(nil, nil, nil, conflictBtn, conflictText)
	d.conflict.Hide()

	d.changes = newChangesNote()
	d.judgment = container.NewVBox(
		label("Likelihood (ICD 203)"), d.likelihood,
		label("Confidence"), d.confidence, d.judgeErr)
	d.form = container.NewVBox(
		d.conflict, d.changes,
		label("Title"), d.title.withError(),
		container.NewGridWithColumns(2,
			container.NewVBox(label("Kind"), narrow(d.kind)),
			container.NewVBox(label("Marking"), narrow(d.tlp))),
		d.markErr, d.markWhy, d.markHeld,
		container.NewGridWithColumns(2,
			container.NewVBox(label("Board"), narrow(d.board)),
			container.NewVBox(label("Lane"), narrow(d.lane))),
		d.placeErr,
		label("Tags"), d.tags.withError(),
		d.judgment,
		label("Body"), d.body.withError(),
		soft(d.meta),
	)
	d.sources = newSourcesEditor(mw)
	d.positions = newPositionsEditor(mw)
	d.links = newLinksEditor(mw)
	d.thread = newThreadView(mw)
	d.tabCard = container.NewTabItem("Card", container.NewVScroll(container.NewPadded(d.form)))
	d.tabSources = container.NewTabItem("Sources", d.sources.root)
	d.tabPositions = container.NewTabItem("Positions", d.positions.root)
	d.tabLinks = container.NewTabItem("Links", d.links.root)
	d.tabThread = container.NewTabItem("Thread", d.thread.root)
	d.tabs = container.NewAppTabs(d.tabCard, d.tabSources, d.tabPositions, d.tabLinks, d.tabThread)
	hint := widget.NewLabel("Select a card to read and edit it.\n\nNew card: Ctrl+N    Find: Ctrl+F\nArrows: select    Alt+arrows: move\nEnter: edit title")
	hint.Alignment = fyne.TextAlignCenter
	hint.Importance = widget.LowImportance
	d.placeholder = container.NewCenter(soft(hint))
	top := container.NewPadded(container.NewBorder(nil, nil, nil, d.tlpBadge, soft(d.crumb)))
	d.root = container.NewStack(d.placeholder, container.NewBorder(top, nil, nil, nil, d.tabs))
	d.root.Objects[1].Hide()
	return d
}

// setShown shows or hides obj and reports whether that changed anything.
func setShown(obj fyne.CanvasObject, on bool) bool {
	if obj.Visible() == on {
		return false
	}
	if on {
		obj.Show()
	} else {
		obj.Hide()
	}
	return true
}

func label(s string) fyne.CanvasObject {
	t := canvas.NewText(s, themeColor(colorNameMuted))
	t.TextSize = theme.CaptionTextSize()
	t.TextStyle = fyne.TextStyle{Bold: true}
	return t
}

// flush stores every pending edit of the pane.
func (d *detailPane) flush() {
	d.title.Flush()
	d.tags.Flush()
	d.body.Flush()
	d.sources.flush()
	d.positions.flush()
}

// bind shows a card, or the placeholder for nil. Binding the card already
// shown refreshes its values without touching a field being typed in.
func (d *detailPane) bind(c *workspace.Card) {
	defer d.mw.updateDetailPane()
	if c == nil {
		d.card = nil
		d.placeholder.Show()
		d.root.Objects[1].Hide()
		return
	}
	snap := d.mw.snap
	// Another theme draws every row anew, in its colours.
	th := fyne.CurrentApp().Settings().Theme()
	same := d.card != nil && d.card.ID == c.ID && th == d.theme
	d.theme = th
	d.card = c
	d.placeholder.Hide()
	d.root.Objects[1].Show()
	d.binding = true
	defer func() { d.binding = false }()

	if same {
		d.title.setValue(c.Title)
		d.tags.setValue(strings.Join(c.Tags, ", "))
		d.body.setValue(c.Body)
	} else {
		d.title.reset(c.Title)
		d.tags.reset(strings.Join(c.Tags, ", "))
		d.body.reset(c.Body)
		setFieldError(d.placeErr, nil)
		setFieldError(d.markErr, nil)
		setFieldError(d.judgeErr, nil)
	}
	board := snap.Board(c.Board)
	boardTitle := "(deleted board)"
	if board != nil {
		boardTitle = board.Title
	}
	d.crumb.SetText(workspace.Printable(boardTitle) + "  ›  " + workspace.Printable(snap.LaneName(c)))
	setSelected(d.kind, kindLabels[c.Kind])
	setSelected(d.tlp, c.TLP.String())
	d.showMarking(snap.ExplainMarking(c))

	d.boardIDs = d.boardIDs[:0]
	var boards []string
	for _, b := range snap.Boards {
		boards = append(boards, workspace.Printable(b.Title))
		d.boardIDs = append(d.boardIDs, b.ID)
	}
	d.board.Options = boards
	setSelected(d.board, workspace.Printable(boardTitle))
	d.laneIDs = d.laneIDs[:0]
	var lanes []string
	for _, l := range snap.Lanes[c.Board] {
		lanes = append(lanes, workspace.Printable(l.Name))
		d.laneIDs = append(d.laneIDs, l.ID)
	}
	d.lane.Options = lanes
	setSelected(d.lane, workspace.Printable(snap.LaneName(c)))

	moved := setShown(d.judgment, c.Kind == workspace.KindJudgment || c.Likelihood != "" || c.Confidence != "")
	setSelected(d.likelihood, likelihoodOption(c.Likelihood))
	setSelected(d.confidence, confidenceOption(c.Confidence))
	moved = setShown(d.conflict, len(c.Conflicts) > 0) || moved
	if moved {
		// The form closes up over a part that went, or makes room.
		relayout(d.form)
		d.form.Refresh()
	}
	d.meta.SetText(metaLine(c))
	d.showChanges(c)

	d.sources.bind(c, !same)
	d.positions.bind(c, !same)
	d.links.bind(c, !same)
	d.thread.bind(c, !same)
	d.updateTabs(c)
}

func (d *detailPane) updateTabs(c *workspace.Card) {
	snap := d.mw.snap
	set := func(t *container.TabItem, text string) {
		if t.Text != text {
			t.Text = text
			d.tabs.Refresh()
		}
	}
	set(d.tabSources, counted("Sources", len(c.Citations)))
	set(d.tabPositions, counted("Positions", len(c.Positions)))
	set(d.tabLinks, counted("Links", len(c.Links)+d.links.backCount))
	// The thread's count is of open annotations: what still needs an
	// answer.
	set(d.tabThread, counted("Thread", snap.OpenAnnotations(c.ID)))
}

func counted(s string, n int) string {
	if n == 0 {
		return s
	}
	return fmt.Sprintf("%s %d", s, n)
}

func metaLine(c *workspace.Card) string {
	when := func(by string, at string) string {
		if by == "" {
			return at
		}
		return by + ", " + at
	}
	s := "Created " + when(c.CreatedBy, c.CreatedAt.Local().Format("2 Jan 2006 15:04"))
	if !c.UpdatedAt.Equal(c.CreatedAt) {
		s += "  ·  Changed " + when(c.UpdatedBy, c.UpdatedAt.Local().Format("2 Jan 2006 15:04"))
	}
	return s
}

// setSelected shows a picker's value without running its OnChanged.
func setSelected(s *widget.Select, v string) {
	if s.Selected == v {
		return
	}
	fn := s.OnChanged
	s.OnChanged = nil
	s.SetSelected(v)
	s.OnChanged = fn
}

// update changes the shown card in one named action and reports a refusal
// next to the field.
func (d *detailPane) update(action string, fn func(c *workspace.Card) error) error {
	if d.card == nil || d.mw.store == nil {
		return nil
	}
	_, err := d.mw.store.UpdateCard(d.card.ID, action, fn)
	return err
}

func (d *detailPane) commitTitle(text string) error {
	return d.update("Edit card title", func(c *workspace.Card) error {
		c.Title = strings.TrimSpace(text)
		return nil
	})
}

func (d *detailPane) commitBody(text string) error {
	return d.update("Edit card body", func(c *workspace.Card) error {
		c.Body = text
		return nil
	})
}

func (d *detailPane) commitTags(text string) error {
	return d.update("Edit tags", func(c *workspace.Card) error {
		c.Tags = parseTags(text)
		return nil
	})
}

// parseTags reads tags separated by commas; blanks are dropped.
func parseTags(text string) []string {
	var tags []string
	for _, t := range strings.Split(text, ",") {
		if t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#")); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

func (d *detailPane) commitKind(label string) {
	if d.binding {
		return
	}
	for k, l := range kindLabels {
		if l == label {
			kind := k
			err := d.update("Change card kind", func(c *workspace.Card) error {
				c.Kind = kind
				return nil
			})
			setFieldError(d.markErr, err)
		}
	}
}

// commitTLP sets the card's marking: a marking action, also when the
// level is the one it has (it releases what this copy has seen of the
// card). When it would release held writes it says which first.
func (d *detailPane) commitTLP(label string) {
	if d.binding || d.card == nil {
		return
	}
	t, err := workspace.ParseTLP(label)
	if err != nil {
		setFieldError(d.markErr, err)
		return
	}
	card := d.card
	d.mw.setMarking(card, t, func(err error) { setFieldError(d.markErr, err) }, func() {
		// Cancelled: the picker shows the card's own marking again.
		if d.card != nil && d.card.ID == card.ID {
			setSelected(d.tlp, d.card.TLP.String())
		}
	})
}

// setMarkingAgain sets the card's marking to the level it has, which
// releases the writes held by a marking conflict, after saying which.
func (d *detailPane) setMarkingAgain() {
	if d.card == nil {
		return
	}
	d.mw.setMarking(d.card, d.card.TLP, func(err error) { setFieldError(d.markErr, err) }, nil)
}

// showMarking shows the card's effective marking on the badge, why it is
// stricter than the card's own, and the writes a marking conflict holds.
func (d *detailPane) showMarking(m workspace.Marking) {
	d.tlpBadge.setMarking(m)
	// The held writes are listed below; the line says the other reasons.
	if why := markingWhy(withoutConflicts(m)); why != "" {
		setLabel(d.markWhy, why)
		d.markWhy.Show()
	} else {
		d.markWhy.Hide()
	}
	held := m.Conflicts()
	if len(held) == 0 {
		d.markHeld.Hide()
		return
	}
	var b strings.Builder
	b.WriteString("Marking conflict: these writes were made under a stricter marking that no marking action here has released, so the card counts as " + m.TLP.String() + ":")
	for _, h := range held {
		b.WriteString("\n• " + heldText(h))
	}
	b.WriteString("\nSetting the marking again releases them.")
	setLabel(d.heldText, b.String())
	d.markHeld.Show()
}

func (d *detailPane) commitBoard(string) {
	if d.binding || d.card == nil {
		return
	}
	i := d.board.SelectedIndex()
	if i < 0 || i >= len(d.boardIDs) || d.boardIDs[i] == d.card.Board {
		return
	}
	id, board := d.card.ID, d.boardIDs[i]
	m := d.mw.moveToBoard(id, board)
	err := d.mw.store.MoveCard(id, m)
	setFieldError(d.placeErr, err)
}

func (d *detailPane) commitLane(string) {
	if d.binding || d.card == nil {
		return
	}
	i := d.lane.SelectedIndex()
	if i < 0 || i >= len(d.laneIDs) || d.laneIDs[i] == d.card.Lane {
		return
	}
	err := d.mw.store.MoveCard(d.card.ID, workspace.Move{Board: d.card.Board, Lane: d.laneIDs[i]})
	setFieldError(d.placeErr, err)
}

func (d *detailPane) commitLikelihood(string) {
	if d.binding {
		return
	}
	var l workspace.Likelihood
	if i := d.likelihood.SelectedIndex(); i > 0 {
		l = workspace.Likelihoods[i-1]
	}
	err := d.update("Set likelihood", func(c *workspace.Card) error {
		c.Likelihood = l
		return nil
	})
	setFieldError(d.judgeErr, err)
}

func (d *detailPane) commitConfidence(string) {
	if d.binding {
		return
	}
	var conf workspace.Confidence
	if i := d.confidence.SelectedIndex(); i > 0 {
		conf = workspace.Confidences[i-1]
	}
	err := d.update("Set confidence", func(c *workspace.Card) error {
		c.Confidence = conf
		return nil
	})
	setFieldError(d.judgeErr, err)
}

// narrow lets a control be narrower than its widest option, so a long
// board title in a picker never widens the pane; the picker shortens its
// text with an ellipsis.
func narrow(o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(narrowLayout{}, o)
}

type narrowLayout struct{}

// MinSize is the tallest child's height at a small width.
func (narrowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(60, h)
}

// Layout gives every child the whole space.
func (narrowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// tlpBadge is a TLP label in its colour on black.
type tlpBadge struct {
	widget.BaseWidget
	bg   *canvas.Rectangle
	text *canvas.Text
}

func newTLPBadge() *tlpBadge {
	b := &tlpBadge{bg: canvas.NewRectangle(tlpBlack), text: canvas.NewText("", tlpClear)}
	b.bg.CornerRadius = 3
	b.text.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	b.text.TextSize = theme.CaptionTextSize()
	b.ExtendBaseWidget(b)
	return b
}

func (b *tlpBadge) set(t workspace.TLP) {
	b.text.Text = t.String()
	b.text.Color = tlpColor(t)
	b.Refresh()
}

// setMarking shows an effective marking, marked when it is stricter than
// the record's own (↑) or held by a marking conflict (⚠).
func (b *tlpBadge) setMarking(m workspace.Marking) {
	b.text.Text = m.TLP.String() + badgeMark(m)
	b.text.Color = tlpColor(m.TLP)
	b.Refresh()
}

// CreateRenderer centres the label on its black plate.
func (b *tlpBadge) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewCenter(container.NewStack(b.bg,
		container.New(layout.NewCustomPaddedLayout(3, 3, 6, 6), b.text))))
}
