package workspace

// QuotesAbove lists the sources in the snapshot that a card quotes (cites
// with a quote) and that are marked above the card, in the order the card
// cites them, each once. By the rule of section 4a such a card is treated
// as at least as restricted as those sources; the tradecraft checks tell
// the analyst to mark it so.
func (s *Snapshot) QuotesAbove(c *Card) []*Source {
	var out []*Source
	for _, ci := range c.Citations {
		if ci.Quote == "" {
			continue
		}
		src := s.SourceByID[ci.Source]
		if src == nil || src.TLP <= c.TLP {
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
