// Package appdata holds what Briefboard keeps for the analyst outside any
// workspace: the data directory where new workspaces go, the list of
// recent workspaces, and where the user's documents folder is.
package appdata

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"briefboard/workspace"
)

// DataDir is where Briefboard keeps its workspaces and its list of recent
// ones: $XDG_DATA_HOME/briefboard, or ~/.local/share/briefboard.
func DataDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "briefboard"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the data directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", "briefboard"), nil
}

// MaxRecent is how many recent workspaces are remembered.
const MaxRecent = 10

// Recent lists the workspaces opened most recently, newest first.
func Recent() ([]string, error) {
	dir, err := DataDir()
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "recent.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		// A damaged list of recent files is not worth an error.
		return nil, nil
	}
	return list, nil
}

// NoteRecent puts a workspace first in the recent list.
func NoteRecent(workspaceDir string) error {
	abs, err := filepath.Abs(workspaceDir)
	if err != nil {
		return err
	}
	list, _ := Recent()
	out := []string{abs}
	for _, d := range list {
		if d != abs && len(out) < MaxRecent {
			out = append(out, d)
		}
	}
	dir, err := DataDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return workspace.WriteFileSync(filepath.Join(dir, "recent.json"), b)
}

// NewWorkspaceDir picks a directory that does not exist yet under the data
// directory's workspaces folder, named after a workspace title: where a
// share file opened as a new workspace goes.
func NewWorkspaceDir(title string) (string, error) {
	data, err := DataDir()
	if err != nil {
		return "", err
	}
	parent := filepath.Join(data, "workspaces")
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return "", err
	}
	base := slug(title)
	for i := 1; i < 10000; i++ {
		name := base
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		dir := filepath.Join(parent, name)
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no free directory name for %q in %s", title, parent)
}

// slug turns a title into a short file name: lower-case ASCII letters and
// digits joined by dashes.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(workspace.Transliterate(title)) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Mn, r):
		default:
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	if b.Len() == 0 {
		return "workspace"
	}
	return b.String()
}

// DocumentsDir is the user's documents folder, where outputs are saved by
// default: XDG_DOCUMENTS_DIR from the XDG user dirs file
// ($XDG_CONFIG_HOME/user-dirs.dirs, or ~/.config/user-dirs.dirs), then
// from the environment, when it names a directory that exists; otherwise
// the home directory.
func DocumentsDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	config := os.Getenv("XDG_CONFIG_HOME")
	if config == "" {
		config = filepath.Join(home, ".config")
	}
	var candidates []string
	if b, err := os.ReadFile(filepath.Join(config, "user-dirs.dirs")); err == nil {
		if v, ok := userDir(string(b), "XDG_DOCUMENTS_DIR"); ok {
			candidates = append(candidates, v)
		}
	}
	if v := os.Getenv("XDG_DOCUMENTS_DIR"); v != "" {
		candidates = append(candidates, v)
	}
	for _, v := range candidates {
		if v == "$HOME" || v == "$HOME/" {
			return home // the spec's way of saying "no such folder"
		}
		if rest, ok := strings.CutPrefix(v, "$HOME/"); ok {
			v = filepath.Join(home, rest)
		}
		if !filepath.IsAbs(v) {
			continue
		}
		if fi, err := os.Stat(v); err == nil && fi.IsDir() {
			return filepath.Clean(v)
		}
	}
	return home
}

// userDir reads one NAME="VALUE" line of a user-dirs.dirs file. The file
// is shell syntax, but the spec allows only this form: a value that is an
// absolute path or starts with $HOME, in double quotes, with backslash
// escapes.
func userDir(file, name string) (string, bool) {
	found, value := false, ""
	for _, line := range strings.Split(file, "\n") {
		line = strings.TrimSpace(line)
		v, ok := strings.CutPrefix(line, name+"=")
		if !ok {
			continue
		}
		if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			continue
		}
		var b strings.Builder
		v = v[1 : len(v)-1]
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) {
				i++
			}
			b.WriteByte(v[i])
		}
		found, value = true, b.String() // the last line wins, as in a shell
	}
	return value, found
}
