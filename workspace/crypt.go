package workspace

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/scrypt"
)

// encryptionInfo is what an encrypted workspace keeps in the clear: how to
// derive Badger's key from the passphrase. The key itself is never stored.
type encryptionInfo struct {
	KDF  string `json:"kdf"`
	Salt []byte `json:"salt"`
	N    int    `json:"n"`
	R    int    `json:"r"`
	P    int    `json:"p"`
}

// scrypt parameters: about 50 ms on a laptop, paid once per open.
const (
	scryptN = 1 << 15
	scryptR = 8
	scryptP = 1
)

func newEncryption(passphrase []byte) (*encryptionInfo, []byte, error) {
	info := &encryptionInfo{KDF: "scrypt", Salt: make([]byte, 16), N: scryptN, R: scryptR, P: scryptP}
	if _, err := rand.Read(info.Salt); err != nil {
		return nil, nil, err
	}
	key, err := info.derive(passphrase)
	return info, key, err
}

// derive returns the 32-byte AES-256 key for Badger.
func (e *encryptionInfo) derive(passphrase []byte) ([]byte, error) {
	if e.KDF != "scrypt" || len(e.Salt) < 8 || e.N < 2 || e.N > 1<<22 || e.R < 1 || e.R > 64 || e.P < 1 || e.P > 16 {
		return nil, fmt.Errorf("%w: its encryption settings are damaged", ErrNotWorkspace)
	}
	return scrypt.Key(passphrase, e.Salt, e.N, e.R, e.P, 32)
}

// Encrypted reports whether the workspace in dir is encrypted at rest.
func Encrypted(dir string) (bool, error) {
	m, err := readMarker(dir)
	if err != nil {
		return false, err
	}
	return m.Encryption != nil, nil
}
