package workspace_test

import (
	"testing"

	"briefboard/workspace"
)

func TestPrintable(t *testing.T) {
	cases := map[string]string{
		"Witkoff: peace must be durable":          "Witkoff: peace must be durable",
		"Андрій Єрмак, « citation », 10 €":        "Андрій Єрмак, « citation », 10 €",
		"non\u00a0breaking space":                 "non\u00a0breaking space",
		"hidden\x1b[8mTLP:RED\x1b[0m":             `hidden\x1b[8mTLP:RED\x1b[0m`,
		"line one\nline two\rover":                `line one\nline two\rover`,
		"tab\tand bell\a and DEL\x7f":             `tab\tand bell\x07 and DEL\x7f`,
		"C1 CSI \u009b2J":                         `C1 CSI \x9b2J`,
		"\u202eDER:PLT\u202c and \u2066iso\u2069": `\u202eDER:PLT\u202c and \u2066iso\u2069`,
		"zero\u200bwidth":                         `zero\u200bwidth`,
		"bad \x9b byte":                           `bad \x9b byte`,
		"tag \U000E0041":                          `tag \U000e0041`,
	}
	for in, want := range cases {
		if got := workspace.Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkPrintable(b *testing.B) {
	for name, s := range map[string]string{
		"clean":   "Moscow unlikely to accept the Florida revisions as drafted; Володимир Зеленський",
		"hostile": "Harmless\x1b[2K\rTLP:CLEAR\nsecond line \u202eDER:PLT and more text after it",
	} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				workspace.Printable(s)
			}
		})
	}
}
