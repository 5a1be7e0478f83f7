package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutputInWorkspace says an output (a brief, a share file, a canvas)
// was to be written into a workspace directory, where it could replace the
// workspace's own files.
var ErrOutputInWorkspace = errors.New("outputs are never written inside a workspace directory; choose a file outside it")

// maxLinks bounds how many symbolic links CheckOutputPath follows, as the
// system does, so a loop of links ends.
const maxLinks = 40

// CheckOutputPath refuses a path to write an output to when it is a
// workspace directory or lies inside one (at any depth). The path is
// resolved as the system would when the file is written: symbolic links
// are followed, of the path itself and of its directories, and the part
// that does not exist yet is taken under the nearest directory that does.
func CheckOutputPath(path string) error {
	if strings.TrimSpace(path) == "" {
		return errors.New("no file to write to")
	}
	abs := path
	if !filepath.IsAbs(abs) {
		wd, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("check %s: %w", path, err)
		}
		// Not filepath.Join: it would fold "link/.." before the link is
		// followed.
		abs = wd + string(filepath.Separator) + path
	}
	real := resolvePath(abs, maxLinks)
	for dir := real; ; dir = filepath.Dir(dir) {
		if Exists(dir) {
			if dir == real {
				return fmt.Errorf("%s is a workspace directory: %w", path, ErrOutputInWorkspace)
			}
			return fmt.Errorf("%s lies inside the workspace %s: %w", path, dir, ErrOutputInWorkspace)
		}
		if filepath.Dir(dir) == dir {
			return nil
		}
	}
}

// resolvePath follows the symbolic links of an absolute path. Where the
// path does not exist, its nearest existing ancestor is resolved and the
// rest is joined under it; a dangling link at the end is followed to where
// it points, since creating the file would create its target.
func resolvePath(abs string, links int) string {
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	if links > 0 {
		if fi, err := os.Lstat(abs); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			if target, err := os.Readlink(abs); err == nil {
				if !filepath.IsAbs(target) {
					target = filepath.Dir(filepath.Clean(abs)) + string(filepath.Separator) + target
				}
				return resolvePath(target, links-1)
			}
		}
	}
	// Walk up, unfolding nothing, to the nearest ancestor that resolves.
	dir, rest := abs, ""
	for {
		i := strings.LastIndexByte(strings.TrimRight(dir, string(filepath.Separator)), filepath.Separator)
		if i <= 0 {
			return filepath.Clean(abs)
		}
		base := strings.TrimRight(dir, string(filepath.Separator))[i+1:]
		dir = dir[:i]
		if rest == "" {
			rest = base
		} else {
			rest = base + string(filepath.Separator) + rest
		}
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest)
		}
	}
}
