package workspace

// WeakSupport reports whether a judgment should not rest on sources of
// this grade alone: ungraded, reliability D to F (not usually reliable,
// unreliable, cannot be judged), or credibility 5 or 6 (improbable, cannot
// be judged).
func (g Grade) WeakSupport() bool {
	if g.IsZero() {
		return true
	}
	switch g.Reliability {
	case "D", "E", "F":
		return true
	}
	return g.Credibility >= 5
}
