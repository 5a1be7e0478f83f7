package workspace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadPassphraseFile reads a passphrase: the file's first line, without its
// line ending. An empty first line is an error, never an empty key.
func ReadPassphraseFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("passphrase file: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	line, err := r.ReadBytes('\n')
	if err != nil && len(line) == 0 {
		return nil, fmt.Errorf("passphrase file %s is empty", path)
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) == 0 {
		return nil, fmt.Errorf("passphrase file %s has an empty first line", path)
	}
	return line, nil
}

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
	return writeFileSync(filepath.Join(dir, "recent.json"), mustJSON(out))
}
