package team

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// errTaken says a file of the layout already exists: each is written once.
var errTaken = errors.New("already exists")

// writeOnce writes a file of the layout: under a temporary name first,
// synced, then put in place under its final name only if that name is
// free, so a reader or a sync engine never sees half a file under the
// final name and nothing is ever overwritten.
func writeOnce(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	// Colleagues read the file through the folder: readable as other
	// files there are (its content is encrypted, or the folder protected).
	err = f.Chmod(0o644)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// A hard link fails when the name is taken; a file system without
	// hard links (FAT on a stick, some network shares) gets a check and a
	// rename instead.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w", filepath.Base(path), errTaken)
		}
		if _, serr := os.Lstat(path); serr == nil {
			return fmt.Errorf("%s %w", filepath.Base(path), errTaken)
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename durable where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// readLimited reads a whole file, refusing one larger than limit.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("it is over %d MiB", limit>>20)
	}
	return data, nil
}

// readHead reads the start of a file, enough for a segment's header.
func readHead(path string) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, len(segMagic)+maxHeaderSize)
	n, _ := io.ReadFull(f, buf)
	return buf[:n]
}
