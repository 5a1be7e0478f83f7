package team

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"briefboard/workspace"
)

// The layout of a team folder (TEAM-FOLDER.md):
//
//	SHARED/<workspace id>/team-<replica id>          a team file per creator
//	SHARED/<workspace id>/<replica id>/00000001.snap  a copy's first segment, a snapshot
//	SHARED/<workspace id>/<replica id>/00000002.seg   what changed since 1
//	SHARED/<workspace id>/<replica id>/00000050.snap  everything as of segment 50
//
// Every other name is ignored: what sync engines leave behind (temporary
// and partial files, conflicted copies, locks, git's own files) never
// matches.

const (
	teamPrefix = "team-"
	segExt     = ".seg"
	snapExt    = ".snap"
	// tmpPrefix starts the temporary name a file is written under before it
	// is renamed into place; hidden, so engines and readers skip it.
	tmpPrefix = ".briefboard-tmp-"
	// numberDigits is the width numbers are written at, so names sort.
	numberDigits = 8
)

var fileName = regexp.MustCompile(`^([0-9]{8,19})\.(seg|snap)$`)

// segName is the name of segment number n, or of the snapshot as of it.
func segName(n uint64, snapshot bool) string {
	ext := segExt
	if snapshot {
		ext = snapExt
	}
	return fmt.Sprintf("%0*d%s", numberDigits, n, ext)
}

// parseSegName reads a segment's or snapshot's name; ok is false for every
// other name.
func parseSegName(name string) (n uint64, snapshot, ok bool) {
	m := fileName.FindStringSubmatch(name)
	if m == nil {
		return 0, false, false
	}
	n, err := strconv.ParseUint(m[1], 10, 64)
	if err != nil || n == 0 || segName(n, m[2] == "snap") != name {
		return 0, false, false
	}
	return n, m[2] == "snap", true
}

// teamFileReplica reads the creator from a team file's name.
func teamFileReplica(name string) (string, bool) {
	r, ok := strings.CutPrefix(name, teamPrefix)
	return r, ok && workspace.ValidID(r)
}

// Ignored reports whether a file name in a team folder is one that sync
// engines and editors leave behind: Briefboard never reads such a file.
// (It reads only the exact names of the layout; this names what it skips
// for people and tests.)
func Ignored(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "."): // .syncthing.*.tmp, .~lock.*#, .git, .stfolder, our own temporary files
		return true
	case strings.HasPrefix(name, "~$"), strings.HasSuffix(name, "~"):
		return true
	case strings.Contains(lower, ".sync-conflict-"), strings.Contains(lower, "conflicted copy"),
		strings.Contains(lower, "(conflict"):
		return true
	case strings.HasSuffix(lower, ".part"), strings.HasSuffix(lower, ".tmp"), strings.HasSuffix(lower, ".partial"),
		strings.HasSuffix(lower, ".crdownload"):
		return true
	}
	return false
}

// Errors of places, for errors.Is.
var (
	// ErrInsideWorkspace says a team folder would lie inside a workspace.
	ErrInsideWorkspace = errors.New("a team folder cannot be inside a workspace")
	// ErrWorkspaceInside says a workspace would lie inside a team folder.
	ErrWorkspaceInside = errors.New("a workspace cannot be inside a team folder")
)

// realPath makes a path absolute and resolves the symbolic links of its
// longest existing part, so two names of one place compare equal.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	cur := abs
	for {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// within reports whether p is dir or lies under it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// CheckPlaces refuses a team folder inside a workspace directory (this one
// or any other) and a workspace inside a team folder (DESIGN.md 4a): a sync
// engine would carry a live database, or a workspace would copy the folder.
func CheckPlaces(folder, workspaceDir string) error {
	f, err := realPath(folder)
	if err != nil {
		return err
	}
	if workspaceDir != "" {
		w, err := realPath(workspaceDir)
		if err != nil {
			return err
		}
		if within(f, w) {
			return fmt.Errorf("%w: %s is inside the workspace %s; choose a folder outside it", ErrInsideWorkspace, folder, workspaceDir)
		}
		if within(w, f) {
			return fmt.Errorf("%w: the workspace %s is inside the team folder %s; keep them apart", ErrWorkspaceInside, workspaceDir, folder)
		}
	}
	for d := f; ; d = filepath.Dir(d) {
		if workspace.Exists(d) {
			return fmt.Errorf("%w: %s is inside the workspace %s; choose a folder outside it", ErrInsideWorkspace, folder, d)
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

// listDir lists the names in a directory; a missing one is empty.
func listDir(dir string) ([]os.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return entries, err
}
