package canvas

import "briefboard/workspace"

// Colour presets of JSON Canvas 1.0; each tool picks its own shade.
const (
	PresetRed    = "1"
	PresetOrange = "2"
	PresetYellow = "3"
	PresetGreen  = "4"
	PresetCyan   = "5"
	PresetPurple = "6"
)

// TLPColor is the preset a card of the marking is drawn in: none for
// CLEAR, then green, yellow (AMBER), orange (AMBER+STRICT) and red.
func TLPColor(t workspace.TLP) string {
	switch t {
	case workspace.TLPGreen:
		return PresetGreen
	case workspace.TLPAmber:
		return PresetYellow
	case workspace.TLPAmberStrict:
		return PresetOrange
	case workspace.TLPRed:
		return PresetRed
	}
	return ""
}

// KindColor is the preset a card of the kind is drawn in when cards are
// coloured by kind: key judgments purple, risks red, questions yellow,
// facts cyan, statements green, notes plain.
func KindColor(k workspace.Kind) string {
	switch k {
	case workspace.KindJudgment:
		return PresetPurple
	case workspace.KindRisk:
		return PresetRed
	case workspace.KindQuestion:
		return PresetYellow
	case workspace.KindFact:
		return PresetCyan
	case workspace.KindStatement:
		return PresetGreen
	}
	return ""
}

// LinkColor is the preset of a link's edge: conflicts red, support green,
// dependence cyan, anything else plain.
func LinkColor(typ string) string {
	switch typ {
	case workspace.LinkConflictsWith:
		return PresetRed
	case workspace.LinkSupports:
		return PresetGreen
	case workspace.LinkDependsOn:
		return PresetCyan
	}
	return ""
}
