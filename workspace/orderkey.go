package workspace

import (
	"errors"
	"fmt"
	"strings"
)

// Order keys are fractional indexes: strings that sort between their
// neighbours, so moving a card rewrites that card alone. The digits are
// base 62 in ASCII order; a key never ends in the zero digit, so there is
// always room before it.
const orderDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

const orderBase = len(orderDigits)

// ErrNoRoom says there is no key strictly between two keys (they are equal,
// or out of order); the caller renumbers the lane.
var ErrNoRoom = errors.New("no order key fits between these neighbours")

func orderDigit(c byte) int { return strings.IndexByte(orderDigits, c) }

// ValidOrderKey checks that key is a usable order key.
func ValidOrderKey(key string) error {
	if key == "" {
		return errors.New("order key is empty")
	}
	if len(key) > MaxOrderKey {
		return fmt.Errorf("order key is %d bytes long; the limit is %d", len(key), MaxOrderKey)
	}
	for i := 0; i < len(key); i++ {
		if orderDigit(key[i]) < 0 {
			return fmt.Errorf("order key %q has a character outside 0-9, A-Z, a-z", key)
		}
	}
	if key[len(key)-1] == '0' {
		return fmt.Errorf("order key %q ends in 0", key)
	}
	return nil
}

// KeyBetween returns a key that sorts strictly after a and before b. An empty
// a means the start of the list, an empty b its end.
func KeyBetween(a, b string) (string, error) {
	if b != "" && a >= b {
		return "", ErrNoRoom
	}
	if a != "" && a[len(a)-1] == '0' || b != "" && b[len(b)-1] == '0' {
		return "", ErrNoRoom
	}
	return midpoint(a, b), nil
}

// midpoint works digit by digit. a < b; a is padded with zero digits, an empty
// b stands for one past the largest key.
func midpoint(a, b string) string {
	if b != "" {
		n := 0
		for n < len(b) {
			ca := byte('0')
			if n < len(a) {
				ca = a[n]
			}
			if ca != b[n] {
				break
			}
			n++
		}
		if n > 0 {
			rest := ""
			if n < len(a) {
				rest = a[n:]
			}
			return b[:n] + midpoint(rest, b[n:])
		}
	}
	da := 0
	if a != "" {
		da = orderDigit(a[0])
	}
	db := orderBase
	if b != "" {
		db = orderDigit(b[0])
	}
	switch {
	case b == "" && a != "" && da+1 < orderBase:
		// Appending: step by one digit, so keys grow slowly at the end.
		return string(orderDigits[da+1])
	case a == "" && b != "" && db > 1:
		// Prepending: one digit down, for the same reason.
		return string(orderDigits[db-1])
	case db-da > 1:
		return string(orderDigits[(da+db)/2])
	}
	// Neighbouring digits: b's first digit alone sorts between when b goes
	// on; otherwise keep a's digit and look further.
	if len(b) > 1 {
		return b[:1]
	}
	rest := ""
	if len(a) > 1 {
		rest = a[1:]
	}
	return string(orderDigits[da]) + midpoint(rest, "")
}

// SpreadKeys returns n keys in increasing order, evenly spaced and as short
// as n allows: what a lane is renumbered with.
func SpreadKeys(n int) []string {
	if n <= 0 {
		return nil
	}
	width, room := 1, orderBase
	for room-1 < n {
		width++
		room *= orderBase
	}
	keys := make([]string, n)
	buf := make([]byte, width)
	for i := range keys {
		v := (i + 1) * room / (n + 1)
		for j := width - 1; j >= 0; j-- {
			buf[j] = orderDigits[v%orderBase]
			v /= orderBase
		}
		k := strings.TrimRight(string(buf), "0")
		if k == "" {
			k = "V"
		}
		keys[i] = k
	}
	return keys
}
