// Package localefix keeps Fyne from logging a locale error at start-up
// when the system locale is C.UTF-8 (Debian's default in containers and
// minimal installs), which Fyne reads as the invalid language tag "C".
//
// It must run before Fyne's lang package initialises: Go initialises
// packages in import-path order once their imports are ready, and
// "briefboard/..." sorts before "fyne.io/...", so importing this package
// from ui is enough.
package localefix

import (
	"os"
	"strings"
)

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if (strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.")) && os.Getenv("LANGUAGE") == "" {
			// LANGUAGE only names the language of messages; English is
			// what the C locale means anyway.
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
