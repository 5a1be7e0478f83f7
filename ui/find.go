package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"briefboard/workspace"
)

// findBar is the live filter (Ctrl+F): text that must occur, and filters
// by lane, tag, party and stance, TLP and author. Boards, the overview and
// the sidebar show only matching cards while it is open, and it counts
// them.
type findBar struct {
	mw      *MainWindow
	root    *fyne.Container
	entry   *findEntry
	filters *fyne.Container
	lane    *widget.Select
	tag     *widget.Select
	party   *widget.Select
	stance  *widget.Select
	tlp     *widget.Select
	author  *widget.Select
	// sinceBrief shows only the cards changed since the last brief.
	sinceBrief *widget.Check
	count      *widget.Label
	// matches holds the ids of matching cards while a query is set;
	// terms holds the query's words, folded, which the cards highlight.
	matches map[string]bool
	terms   []string
	total   int
	// partyIDs maps the party select's options to ids.
	partyIDs map[string]string
	updating bool
}

const (
	anyLane   = "Any lane"
	anyTag    = "Any tag"
	anyParty  = "Any party"
	anyStance = "Any stance"
	anyTLP    = "Any TLP"
	anyAuthor = "Any author"
)

func newFindBar(mw *MainWindow) *findBar {
	f := &findBar{mw: mw, partyIDs: map[string]string{}}
	f.entry = newFindEntry(f)
	f.entry.SetPlaceHolder("Find cards: words in title, body, tags, annotations or sources")
	f.entry.OnChanged = func(string) { f.changed() }
	mk := func(placeholder string) *widget.Select {
		s := widget.NewSelect([]string{placeholder}, func(string) { f.changed() })
		s.PlaceHolder = placeholder
		return s
	}
	f.lane, f.tag, f.party = mk(anyLane), mk(anyTag), mk(anyParty)
	f.stance, f.tlp, f.author = mk(anyStance), mk(anyTLP), mk(anyAuthor)
	f.sinceBrief = newChangedFilter(f)
	f.count = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), f.close)
	closeBtn.Importance = widget.LowImportance
	clearBtn := widget.NewButton("Clear filters", f.clearFilters)
	clearBtn.Importance = widget.LowImportance
	// Narrow pickers: the bar must never widen the board beyond the window.
	f.filters = container.NewVBox(container.NewGridWithColumns(4, narrow(f.lane), narrow(f.tag), narrow(f.party),
		narrow(f.stance), narrow(f.tlp), narrow(f.author), narrow(clearBtn)), f.sinceBrief)
	f.filters.Hide()
	top := container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()),
		container.NewHBox(f.count, closeBtn), f.entry)
	f.root = container.NewVBox(container.NewPadded(container.NewVBox(top, f.filters)), widget.NewSeparator())
	f.root.Hide()
	return f
}

// active reports whether the bar is open.
func (f *findBar) active() bool { return f.root.Visible() }

// open shows the bar and puts the cursor in the search field; with
// filters it shows the filter pickers too.
func (f *findBar) open(filters bool) {
	if f.mw.store == nil {
		return
	}
	if !f.root.Visible() {
		f.root.Show()
		f.refreshOptions()
	}
	if (filters || f.hasFilters()) && !f.filters.Visible() {
		f.filters.Show()
	}
	relayout(f.root)
	f.mw.win.Canvas().Focus(f.entry)
	f.changed()
}

// close hides the bar and shows every card again. The search index is
// kept, and kept up to date, for the next search.
func (f *findBar) close() {
	f.clear()
	f.mw.redraw()
}

// clear resets the bar without redrawing.
func (f *findBar) clear() {
	f.updating = true
	f.entry.SetText("")
	for _, s := range f.selects() {
		s.ClearSelected()
	}
	f.sinceBrief.SetChecked(false)
	f.updating = false
	f.matches, f.terms = nil, nil
	if f.root.Visible() {
		f.filters.Hide()
		f.root.Hide()
		// The board takes back the bar's band.
		relayout(f.root)
	}
	if c := f.mw.win.Canvas(); c != nil && c.Focused() == f.entry {
		c.Unfocus()
	}
}

func (f *findBar) clearFilters() {
	f.updating = true
	for _, s := range f.selects() {
		s.ClearSelected()
	}
	f.sinceBrief.SetChecked(false)
	f.updating = false
	f.changed()
}

func (f *findBar) selects() []*widget.Select {
	return []*widget.Select{f.lane, f.tag, f.party, f.stance, f.tlp, f.author}
}

func (f *findBar) hasFilters() bool {
	if f.sinceBrief.Checked {
		return true
	}
	for _, s := range f.selects() {
		if s.SelectedIndex() > 0 {
			return true
		}
	}
	return false
}

// changed re-runs the query after any change in the bar.
func (f *findBar) changed() {
	if f.updating || f.mw.snap == nil {
		return
	}
	f.mw.ensureIndex()
	f.apply()
	f.mw.redraw()
}

// query reads the bar into a workspace query.
func (f *findBar) query() (workspace.Query, bool) {
	q := workspace.Query{Text: f.entry.Text}
	pick := func(s *widget.Select) string {
		if s.SelectedIndex() <= 0 {
			return ""
		}
		return s.Selected
	}
	q.Lane = pick(f.lane)
	q.Tag = pick(f.tag)
	q.Party = f.partyIDs[pick(f.party)]
	if st := pick(f.stance); st != "" {
		for _, s := range workspace.Stances {
			if s.Label() == st {
				q.Stance = s
			}
		}
	}
	if t := pick(f.tlp); t != "" {
		if level, err := workspace.ParseTLP(t); err == nil {
			q.TLP, q.HasTLP = level, true
		}
	}
	q.Author = pick(f.author)
	set := strings.TrimSpace(q.Text) != "" || q.Lane != "" || q.Tag != "" || q.Party != "" ||
		q.Stance != "" || q.HasTLP || q.Author != ""
	return q, set
}

// apply runs the query over the index built from the current snapshot.
func (f *findBar) apply() {
	if !f.active() {
		f.matches, f.terms = nil, nil
		return
	}
	defer f.narrowToChanged()
	q, set := f.query()
	f.total = len(f.mw.snap.Cards)
	if f.mw.index == nil {
		// A large workspace's index is being built in the background.
		f.matches = nil
		f.count.SetText(fmt.Sprintf("Indexing %d cards…", f.total))
		return
	}
	f.terms = strings.Fields(workspace.Fold(q.Text))
	if !set {
		f.matches = nil
		f.count.SetText(fmt.Sprintf("%d cards", f.total))
		return
	}
	found := f.mw.index.Search(q)
	f.matches = make(map[string]bool, len(found))
	here := 0
	for _, c := range found {
		f.matches[c.ID] = true
		if c.Board == f.mw.boardID {
			here++
		}
	}
	switch {
	case f.mw.view == viewBoard && f.mw.boardID != "":
		f.count.SetText(fmt.Sprintf("%d on this board · %d of %d in all", here, len(found), f.total))
	default:
		f.count.SetText(fmt.Sprintf("%d of %d cards", len(found), f.total))
	}
}

// matchCount is the number of matches, or -1 when nothing filters.
func (f *findBar) matchCount() int {
	if f.matches == nil {
		return -1
	}
	return len(f.matches)
}

// shows reports whether a card passes the filter.
func (f *findBar) shows(id string) bool { return f.matches == nil || f.matches[id] }

// refreshOptions fills the pickers from the workspace.
func (f *findBar) refreshOptions() {
	snap := f.mw.snap
	if snap == nil {
		return
	}
	f.updating = true
	defer func() { f.updating = false }()
	var lanes []string
	seen := map[string]bool{}
	for _, b := range snap.Boards {
		for _, l := range snap.Lanes[b.ID] {
			if k := strings.ToLower(l.Name); !seen[k] {
				seen[k] = true
				lanes = append(lanes, l.Name)
			}
		}
	}
	setOptions(f.lane, anyLane, lanes)
	setOptions(f.tag, anyTag, snap.Tags())
	var parties []string
	f.partyIDs = map[string]string{}
	for _, p := range snap.Meta.Parties {
		parties = append(parties, p.Name)
		f.partyIDs[p.Name] = p.ID
	}
	setOptions(f.party, anyParty, parties)
	var stances []string
	for _, s := range workspace.Stances {
		stances = append(stances, s.Label())
	}
	setOptions(f.stance, anyStance, stances)
	var tlps []string
	for _, t := range workspace.TLPLevels {
		tlps = append(tlps, t.String())
	}
	setOptions(f.tlp, anyTLP, tlps)
	setOptions(f.author, anyAuthor, snap.Authors())
}

// setOptions replaces a picker's options, keeping the choice when it is
// still offered.
func setOptions(s *widget.Select, any string, opts []string) {
	all := append([]string{any}, opts...)
	if equalStrings(s.Options, all) {
		return
	}
	cur := s.Selected
	s.Options = all
	s.ClearSelected()
	for _, o := range all {
		if o == cur && o != any {
			s.SetSelected(o)
		}
	}
	s.Refresh()
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// filterParty is the party the filter is set to, or "".
func (f *findBar) filterParty() string {
	if !f.active() {
		return ""
	}
	return f.partyIDs[f.party.Selected]
}

// toggleParty filters by a party's positions, or stops doing so.
func (f *findBar) toggleParty(id string) {
	if f.filterParty() == id {
		f.updating = true
		f.party.ClearSelected()
		f.updating = false
		f.changed()
		return
	}
	f.open(true)
	for name, pid := range f.partyIDs {
		if pid == id {
			f.party.SetSelected(name)
		}
	}
}

// findEntry is the search field: Escape closes the bar, Down goes to the
// cards.
type findEntry struct {
	widget.Entry
	f *findBar
}

func newFindEntry(f *findBar) *findEntry {
	e := &findEntry{f: f}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey closes the bar on Escape and hands the arrows to the board.
func (e *findEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		e.f.close()
		return
	case fyne.KeyDown, fyne.KeyReturn, fyne.KeyEnter:
		e.f.mw.win.Canvas().Unfocus()
		e.f.mw.selectFirstVisible()
		return
	}
	e.Entry.TypedKey(k)
}
