package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// relativeLuminance is WCAG 2's relative luminance of an opaque colour.
func relativeLuminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	channel := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*channel(n.R) + 0.7152*channel(n.G) + 0.0722*channel(n.B)
}

// contrast is WCAG 2's contrast ratio of two colours, 1 to 21.
func contrast(a, b color.Color) float64 {
	la, lb := relativeLuminance(a), relativeLuminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over lays a translucent colour on an opaque one, as the screen does.
func over(top, base color.Color) color.Color { return blend(base, top) }

func TestTheme_MutedTextReachesWCAGAAInBothThemes(t *testing.T) {
	if got := contrast(color.Black, color.White); math.Abs(got-21) > 0.01 {
		t.Fatalf("contrast of black on white = %v, want 21: the formula is wrong", got)
	}
	if got := contrast(color.NRGBA{0x77, 0x77, 0x77, 0xff}, color.White); got > 4.5 {
		t.Fatalf("#777 on white computes %.2f: a known failure passes", got)
	}
	for _, mode := range []string{ThemeLight, ThemeDark} {
		th := newBoardTheme(mode)
		v := theme.VariantLight
		if mode == ThemeDark {
			v = theme.VariantDark
		}
		col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
		backgrounds := map[string]color.Color{
			"window":   col(theme.ColorNameBackground),
			"lane":     col(colorNameLane),
			"card":     col(colorNameCard),
			"sidebar":  col(colorNameSidebar),
			"field":    col(theme.ColorNameInputBackground),
			"dialog":   col(theme.ColorNameOverlayBackground),
			"menu":     col(theme.ColorNameMenuBackground),
			"selected": over(col(theme.ColorNameSelection), col(colorNameSidebar)),
			"hovered":  over(col(theme.ColorNameHover), col(theme.ColorNameBackground)),
		}
		// The small muted texts: counts, hints, "7 found" (low-importance
		// labels in soft() take the muted colour), and placeholders.
		a := test.NewTempApp(t)
		a.Settings().SetTheme(th)
		texts := map[string]color.Color{
			"muted":       col(colorNameMuted),
			"soft label":  softTheme{}.Color(theme.ColorNameDisabled, v),
			"placeholder": col(theme.ColorNamePlaceHolder),
		}
		// Words the find bar matched sit on a highlighter mark on a card:
		// the title (foreground) and the tags (muted) stay readable.
		mark := over(markColor(), col(colorNameCard))
		for tn, fg := range map[string]color.Color{"title": col(theme.ColorNameForeground), "tag": col(colorNameMuted)} {
			if r := contrast(fg, mark); r < 4.5 {
				t.Errorf("%s theme: a marked %s word is %.2f:1 on its mark", mode, tn, r)
			}
		}
		for tn, fg := range texts {
			for bn, bg := range backgrounds {
				if tn == "placeholder" && bn != "field" {
					continue // placeholders show in fields only
				}
				if r := contrast(fg, bg); r < 4.5 {
					t.Errorf("%s theme: %s text on the %s background is %.2f:1, under WCAG AA's 4.5:1", mode, tn, bn, r)
				}
			}
		}
	}
}
