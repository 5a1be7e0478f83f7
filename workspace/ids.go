package workspace

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// idEncoding is lower-case base32 without padding: ids are short, safe in
// keys, file names and URLs, and easy to read aloud.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns a new random id of 128 bits, 26 characters.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("briefboard: no randomness: " + err.Error())
	}
	return idEncoding.EncodeToString(b[:])
}

// ValidID reports whether s can serve as a record id: 1 to 64 characters of
// lower-case letters, digits, '-' and '_'. Template and imported ids may be
// readable words; new ids are random.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}
