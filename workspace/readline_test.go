package workspace

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// readLineOld is readLine as it was before it handed out the reader's
// buffer.
func readLineOld(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxRecordLine {
			return nil, fmt.Errorf("a record is over %d MiB", maxRecordLine>>20)
		}
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(line) == 0:
			return nil, io.EOF
		case err == io.EOF:
			return nil, errors.New("the last record is cut short")
		default:
			return nil, err
		}
	}
}

// readLine gives the lines, and the errors, it gave when it copied each.
func TestReadLine_AsBefore(t *testing.T) {
	long := strings.Repeat("x", 100<<10)
	for _, in := range []string{"", "\n", "a\nb\n", "a\nb", "a\n\n\nb\n", long + "\n" + long, long + "\nshort\n" + long + long + "\n",
		strings.Repeat("y", maxRecordLine+10) + "\n", "z"} {
		read := func(f func(*bufio.Reader) ([]byte, error)) string {
			br := bufio.NewReaderSize(strings.NewReader(in), 64<<10)
			var out bytes.Buffer
			for {
				line, err := f(br)
				if err != nil {
					if errors.Is(err, io.EOF) {
						out.WriteString("EOF")
					} else {
						out.WriteString("error " + err.Error())
					}
					return out.String()
				}
				fmt.Fprintf(&out, "%d:%q|", len(line), line[:min(len(line), 8)])
			}
		}
		if got, want := read(readLine), read(readLineOld); got != want {
			t.Errorf("input of %d bytes: %s, want %s", len(in), got, want)
		}
	}
}
