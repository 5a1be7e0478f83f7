package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// CreateFromShare makes a new workspace in dir (missing or empty) from a
// share file: a copy of the colleague's workspace, with the same records
// and stamps, that later files of theirs merge into. The copy gets its own
// replica id. With opts.Passphrase set it is encrypted at rest. On error
// nothing is left behind.
func CreateFromShare(dir string, sf *ShareFile, opts Options) (*Store, *ImportResult, error) {
	res := &ImportResult{Manifest: sf.Manifest}
	s, err := create(dir, opts, func(s *Store) error {
		entry, err := s.run("Create workspace from a shared file", EntryCreate, 0, func(tx *Tx) error {
			return tx.importShare(sf, res, false)
		})
		res.Entry = entry
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return s, res, nil
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
	for _, r := range norm.NFD.String(Transliterate(title)) {
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
