//go:build unix

package workspace

import (
	"fmt"
	"os"
	"syscall"
)

// dirIdentity names the directory itself, not its path: a copy of the
// directory gets a new identity, a rename on the same disk keeps it.
func dirIdentity(dir string) string {
	st, err := os.Stat(dir)
	if err != nil {
		return ""
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprintf("%d:%d", sys.Dev, sys.Ino)
	}
	return ""
}
