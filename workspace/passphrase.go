package workspace

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
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
