//go:build !unix

package workspace

import "path/filepath"

// dirIdentity falls back to the absolute path where the file system offers
// no inode: a copy elsewhere still gets a new replica id.
func dirIdentity(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}
