package workspace

import (
	"fmt"
	"strings"
)

// BoardRole says what a board is to a brief: a pillar (a negotiating
// track, counted and numbered) or background (context the reader needs,
// printed after the bottom line).
type BoardRole string

// The board roles. A board without a role is a pillar.
const (
	RolePillar     BoardRole = "pillar"
	RoleBackground BoardRole = "background"
)

// Valid reports whether r is a role a board can have ("" is a pillar).
func (r BoardRole) Valid() bool { return r == "" || r == RolePillar || r == RoleBackground }

// ParseBoardRole reads a role from its word, in any case.
func ParseBoardRole(s string) (BoardRole, error) {
	switch r := BoardRole(strings.ToLower(strings.TrimSpace(s))); r {
	case RolePillar, RoleBackground:
		return r, nil
	}
	return "", fmt.Errorf("board role %q is not pillar or background", s)
}

// Word is the role's command-line and JSON word: pillar or background.
func (r BoardRole) Word() string {
	if r == RoleBackground {
		return string(RoleBackground)
	}
	return string(RolePillar)
}

// IsBackground reports whether the board is background rather than a
// pillar.
func (b *Board) IsBackground() bool { return b.Role == RoleBackground }
