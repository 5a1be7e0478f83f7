package workspace

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The stage file holds a large action's writes between its commit and
// their copy into Badger (commit.go). It sits beside Badger's files:
//
//	"briefboard-stage 1\n", a flag byte (1: sealed with the workspace's
//	key), for a sealed file a 12-byte nonce base, then pieces: uvarint
//	length, the piece (writes as appendStaged lays them out, or those
//	sealed with AES-GCM under the nonce base and the piece's number), and
//	the CRC-32C of what was written; a piece of length 0 ends the file.
//
// It is written under stageTemp and synced; renaming it to stageFile is
// the commit.
const (
	stageFile  = "stage.commit"
	stageTemp  = "stage.tmp"
	stageMagic = "briefboard-stage 1\n"
)

var stageCRC = crc32.MakeTable(crc32.Castagnoli)

// stageSealer seals and opens pieces of a stage file of an encrypted
// workspace; nil for a plain one.
type stageSealer struct {
	aead cipher.AEAD
	base [12]byte
}

func newStageSealer(key []byte, base []byte) (*stageSealer, error) {
	if len(key) == 0 {
		return nil, nil
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	s := &stageSealer{aead: aead}
	copy(s.base[:], base)
	return s, nil
}

func (s *stageSealer) nonce(n uint64) []byte {
	nonce := s.base
	for i := 0; i < 8; i++ {
		nonce[4+i] ^= byte(n >> (8 * i))
	}
	return nonce[:]
}

// writeStageFile writes the writes to the stage file of dir and commits
// it: when it returns without error, the action has committed.
func writeStageFile(dir string, key []byte, w map[string]pending) error {
	tmp := filepath.Join(dir, stageTemp)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.WriteString(stageMagic)
	var sealer *stageSealer
	if len(key) > 0 {
		base := make([]byte, 12)
		if _, err := rand.Read(base); err != nil {
			return fail(err)
		}
		if sealer, err = newStageSealer(key, base); err != nil {
			return fail(err)
		}
		bw.WriteByte(1)
		bw.Write(base)
	} else {
		bw.WriteByte(0)
	}
	var n uint64
	var sealed []byte
	piece := make([]byte, 0, stageChunk)
	flush := func() {
		out := piece
		if sealer != nil {
			sealed = sealer.aead.Seal(sealed[:0], sealer.nonce(n), piece, nil)
			out = sealed
		}
		var head [binary.MaxVarintLen64]byte
		bw.Write(head[:binary.PutUvarint(head[:], uint64(len(out)))])
		bw.Write(out)
		var sum [4]byte
		binary.BigEndian.PutUint32(sum[:], crc32.Checksum(out, stageCRC))
		bw.Write(sum[:])
		n++
		piece = piece[:0]
	}
	for k, p := range w {
		if len(piece) > 0 && len(piece)+len(k)+len(p.val)+2*binary.MaxVarintLen64+1 > stageChunk {
			flush()
		}
		piece = appendStaged(piece, k, p)
	}
	if len(piece) > 0 {
		flush()
	}
	bw.WriteByte(0)
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, stageFile)); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

// readStageFile checks a stage file and calls fn with each write it
// holds; a damaged file is an error (fn may have seen part of it).
func readStageFile(path string, key []byte, fn func(k string, p pending) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	head := make([]byte, len(stageMagic)+1)
	if _, err := io.ReadFull(br, head); err != nil || string(head[:len(stageMagic)]) != stageMagic {
		return errors.New("the staged change is damaged: not a stage file")
	}
	var sealer *stageSealer
	switch head[len(stageMagic)] {
	case 0:
		if len(key) > 0 {
			return errors.New("the staged change of an encrypted workspace is not sealed")
		}
	case 1:
		base := make([]byte, 12)
		if _, err := io.ReadFull(br, base); err != nil {
			return errors.New("the staged change is damaged: cut short")
		}
		if len(key) == 0 {
			return errors.New("the staged change is sealed but the workspace has no key")
		}
		if sealer, err = newStageSealer(key, base); err != nil {
			return err
		}
	default:
		return errors.New("the staged change is damaged: unknown flag")
	}
	for n := uint64(0); ; n++ {
		size, err := binary.ReadUvarint(br)
		if err != nil {
			return errors.New("the staged change is damaged: cut short")
		}
		if size == 0 {
			return nil
		}
		if size > 2*stageChunk+1<<20 {
			return errors.New("the staged change is damaged: a piece is too large")
		}
		// A new piece each time: the writes handed to fn point into it.
		piece := make([]byte, size+4)
		if _, err := io.ReadFull(br, piece); err != nil {
			return errors.New("the staged change is damaged: cut short")
		}
		body := piece[:size]
		if crc32.Checksum(body, stageCRC) != binary.BigEndian.Uint32(piece[size:]) {
			return errors.New("the staged change is damaged: a checksum does not match")
		}
		if sealer != nil {
			if body, err = sealer.aead.Open(nil, sealer.nonce(n), body, nil); err != nil {
				return errors.New("the staged change is damaged: a sealed piece does not open")
			}
		}
		if err := decodeStaged(body, fn); err != nil {
			return err
		}
	}
}

// removeStageFile removes the stage file once its writes are in place,
// durably: a later action must never be overwritten by an old stage.
func removeStageFile(dir string) error {
	if err := os.Remove(filepath.Join(dir, stageFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the staged change: %w", err)
	}
	return syncDir(dir)
}

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
