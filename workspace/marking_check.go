package workspace

// QuotesAbove lists the sources in the snapshot that a card quotes (cites
// with a quote) whose effective marking is above the card's own marking
// field, in the order the card cites them, each once. By the rule of
// section 4a such a card is already treated as at least as restricted as
// those sources; the tradecraft checks tell the analyst to mark it so.
func (s *Snapshot) QuotesAbove(c *Card) []*Source {
	var out []*Source
	for _, ci := range c.Citations {
		if ci.Quote == "" {
			continue
		}
		src := s.SourceByID[ci.Source]
		if src == nil || s.Marking(src) <= c.TLP {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == src
		}
		if !dup {
			out = append(out, src)
		}
	}
	return out
}
