package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"briefboard/workspace"
)

// Theme modes an analyst can choose in the preferences.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Colour names of Briefboard's own surfaces, answered by boardTheme and
// falling back to neutral greys under any other theme.
const (
	colorNameLane       fyne.ThemeColorName = "briefboard-lane"
	colorNameCard       fyne.ThemeColorName = "briefboard-card"
	colorNameCardBorder fyne.ThemeColorName = "briefboard-card-border"
	colorNameSidebar    fyne.ThemeColorName = "briefboard-sidebar"
	colorNameMuted      fyne.ThemeColorName = "briefboard-muted"
	colorNameDropTarget fyne.ThemeColorName = "briefboard-drop"
)

// boardTheme is Fyne's default theme with Briefboard's surfaces and a
// variant the analyst can force to light or dark.
type boardTheme struct {
	mode string
}

func newBoardTheme(mode string) fyne.Theme { return &boardTheme{mode: mode} }

func (t *boardTheme) variant(v fyne.ThemeVariant) fyne.ThemeVariant {
	switch t.mode {
	case ThemeLight:
		return theme.VariantLight
	case ThemeDark:
		return theme.VariantDark
	}
	return v
}

// Color answers Briefboard's colour names and passes the rest to the
// default theme in the chosen variant.
func (t *boardTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	v = t.variant(v)
	if c, ok := surfaceColor(n, v == theme.VariantDark); ok {
		return c
	}
	if n == theme.ColorNamePrimary {
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x5b, G: 0x9b, B: 0xf0, A: 0xff}
		}
		return color.NRGBA{R: 0x1f, G: 0x5f, B: 0xbf, A: 0xff}
	}
	if n == theme.ColorNameBackground && v == theme.VariantLight {
		return color.NRGBA{R: 0xfa, G: 0xfa, B: 0xfb, A: 0xff}
	}
	if n == theme.ColorNameSelection && v == theme.VariantLight {
		// A lighter tint than Fyne's keeps counts on a selected row
		// readable.
		return color.NRGBA{R: 0x1f, G: 0x5f, B: 0xbf, A: 0x20}
	}
	if n == theme.ColorNamePlaceHolder && v == theme.VariantLight {
		// Fyne's grey placeholder reads at 3.2:1 on a light field: one a
		// shade lighter than the muted text still reaches 4.5:1.
		return color.NRGBA{R: 0x68, G: 0x6e, B: 0x7a, A: 0xff}
	}
	return theme.DefaultTheme().Color(n, v)
}

// Font is the default theme's.
func (t *boardTheme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon is the default theme's.
func (t *boardTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size is the default theme's.
func (t *boardTheme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }

func surfaceColor(n fyne.ThemeColorName, dark bool) (color.Color, bool) {
	pick := func(light, darkC color.NRGBA) (color.Color, bool) {
		if dark {
			return darkC, true
		}
		return light, true
	}
	switch n {
	case colorNameLane:
		return pick(color.NRGBA{0xec, 0xee, 0xf2, 0xff}, color.NRGBA{0x22, 0x24, 0x29, 0xff})
	case colorNameCard:
		return pick(color.NRGBA{0xff, 0xff, 0xff, 0xff}, color.NRGBA{0x31, 0x33, 0x3a, 0xff})
	case colorNameCardBorder:
		return pick(color.NRGBA{0xd3, 0xd7, 0xde, 0xff}, color.NRGBA{0x45, 0x48, 0x50, 0xff})
	case colorNameSidebar:
		return pick(color.NRGBA{0xf1, 0xf2, 0xf5, 0xff}, color.NRGBA{0x1c, 0x1d, 0x21, 0xff})
	case colorNameMuted:
		// At least 4.5:1 (WCAG AA) on every surface, selected rows too
		// (theme_test.go).
		return pick(color.NRGBA{0x56, 0x5c, 0x68, 0xff}, color.NRGBA{0xa4, 0xaa, 0xb5, 0xff})
	case colorNameDropTarget:
		return pick(color.NRGBA{0x1f, 0x5f, 0xbf, 0x30}, color.NRGBA{0x5b, 0x9b, 0xf0, 0x40})
	}
	return nil, false
}

// themeColor looks a colour up in the current theme and variant; under a
// theme that does not know Briefboard's names (the test theme, say) it
// still gives a sensible colour.
func themeColor(n fyne.ThemeColorName) color.Color {
	app := fyne.CurrentApp()
	if app == nil {
		c, _ := surfaceColor(n, false)
		return c
	}
	th := app.Settings().Theme()
	v := app.Settings().ThemeVariant()
	if _, ok := th.(*boardTheme); !ok {
		if c, ok := surfaceColor(n, v == theme.VariantDark); ok {
			return c
		}
	}
	return th.Color(n, v)
}

// TLP 2.0 colours: each label is written in its colour on black.
var (
	tlpRed   = color.NRGBA{R: 0xff, G: 0x2b, B: 0x2b, A: 0xff}
	tlpAmber = color.NRGBA{R: 0xff, G: 0xc0, B: 0x00, A: 0xff}
	tlpGreen = color.NRGBA{R: 0x33, G: 0xff, B: 0x00, A: 0xff}
	tlpClear = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	tlpBlack = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
)

// tlpColor is the colour TLP 2.0 gives a level's label.
func tlpColor(t workspace.TLP) color.Color {
	switch t {
	case workspace.TLPRed:
		return tlpRed
	case workspace.TLPAmber, workspace.TLPAmberStrict:
		return tlpAmber
	case workspace.TLPGreen:
		return tlpGreen
	}
	return tlpClear
}

// stanceColor gives each stance a colour that reads on light and dark
// cards alike, from green (supports) to red (red line).
func stanceColor(s workspace.Stance) color.Color {
	switch s {
	case workspace.StanceSupports:
		return color.NRGBA{R: 0x2e, G: 0x9e, B: 0x44, A: 0xff}
	case workspace.StanceConditional:
		return color.NRGBA{R: 0x8f, G: 0xc1, B: 0x3e, A: 0xff}
	case workspace.StanceUndecided:
		return color.NRGBA{R: 0xe8, G: 0xb4, B: 0x1c, A: 0xff}
	case workspace.StanceOpposes:
		return color.NRGBA{R: 0xf0, G: 0x74, B: 0x1c, A: 0xff}
	case workspace.StanceRedLine:
		return color.NRGBA{R: 0xc6, G: 0x1f, B: 0x1f, A: 0xff}
	}
	return color.NRGBA{R: 0x9a, G: 0xa0, B: 0xa8, A: 0xff}
}

// kindColor tints a card's kind label.
func kindColor(k workspace.Kind) color.Color {
	switch k {
	case workspace.KindJudgment:
		return color.NRGBA{R: 0x7b, G: 0x4f, B: 0xc9, A: 0xff}
	case workspace.KindFact:
		return color.NRGBA{R: 0x1f, G: 0x7a, B: 0x8c, A: 0xff}
	case workspace.KindStatement:
		return color.NRGBA{R: 0x3a, G: 0x6e, B: 0xc4, A: 0xff}
	case workspace.KindQuestion:
		return color.NRGBA{R: 0xb0, G: 0x6a, B: 0x00, A: 0xff}
	case workspace.KindRisk:
		return color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	}
	return color.NRGBA{R: 0x6b, G: 0x72, B: 0x80, A: 0xff}
}

// markColor is the highlight behind words the find bar matched: amber, as
// a highlighter pen, light enough under dark text and dark enough under
// light text (theme_test.go).
func markColor() color.Color {
	if darkVariant() {
		return color.NRGBA{R: 0x52, G: 0x3d, B: 0x00, A: 0xc0}
	}
	return color.NRGBA{R: 0xff, G: 0xcc, B: 0x33, A: 0x90}
}

// darkVariant reports whether the window is drawn dark: the theme's
// choice when the analyst forced one, else the system's.
func darkVariant() bool {
	a := fyne.CurrentApp()
	if a == nil {
		return false
	}
	v := a.Settings().ThemeVariant()
	if bt, ok := a.Settings().Theme().(*boardTheme); ok {
		v = bt.variant(v)
	}
	return v == theme.VariantDark
}

// weakGradeColor marks a weakest grade of D to F, or an ungraded source.
var weakGradeColor = color.NRGBA{R: 0xd9, G: 0x5d, B: 0x00, A: 0xff}

// soft shows low-importance labels inside obj in a readable muted grey:
// Fyne draws them in the disabled colour, which is too faint for text an
// analyst reads (an origin, a date, a hint).
func soft(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(obj, softTheme{})
}

type softTheme struct{}

func (softTheme) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

// Color gives the disabled colour the muted grey and passes the rest on.
func (s softTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	th := s.current()
	if n == theme.ColorNameDisabled {
		if bt, ok := th.(*boardTheme); ok {
			v = bt.variant(v)
		}
		c, _ := surfaceColor(colorNameMuted, v == theme.VariantDark)
		return c
	}
	return th.Color(n, v)
}

// Font is the app theme's.
func (s softTheme) Font(st fyne.TextStyle) fyne.Resource { return s.current().Font(st) }

// Icon is the app theme's.
func (s softTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return s.current().Icon(n) }

// Size is the app theme's.
func (s softTheme) Size(n fyne.ThemeSizeName) float32 { return s.current().Size(n) }
