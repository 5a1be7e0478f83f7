package workspace

import (
	"fmt"
	"sort"
	"strings"
)

// BriefScope is what a brief includes: boards chosen by id or title and
// lanes chosen by name. Empty choices include everything.
type BriefScope struct {
	// Boards are the chosen boards, in the workspace's order.
	Boards []*Board
	lanes  map[string]bool
}

// BriefScope resolves a choice of boards (ids or titles) and lanes (names,
// any case). A board or lane name that matches nothing is an error, so a
// typo never yields a silently smaller brief.
func (s *Snapshot) BriefScope(boards, lanes []string) (*BriefScope, error) {
	sc := &BriefScope{Boards: s.Boards}
	chosen := map[string]bool{}
	for _, want := range boards {
		if strings.TrimSpace(want) == "" {
			continue
		}
		bd := s.FindBoard(want)
		if bd == nil {
			return nil, fmt.Errorf("no board %q in this workspace", want)
		}
		chosen[bd.ID] = true
	}
	if len(chosen) > 0 {
		sc.Boards = nil
		for _, bd := range s.Boards {
			if chosen[bd.ID] {
				sc.Boards = append(sc.Boards, bd)
			}
		}
	}
	for _, l := range lanes {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			if sc.lanes == nil {
				sc.lanes = map[string]bool{}
			}
			sc.lanes[l] = true
		}
	}
	if len(sc.lanes) > 0 {
		known := map[string]bool{}
		for _, bd := range sc.Boards {
			for _, l := range s.Lanes[bd.ID] {
				known[strings.ToLower(l.Name)] = true
			}
		}
		var missing []string
		for l := range sc.lanes {
			if !known[l] {
				missing = append(missing, fmt.Sprintf("%q", l))
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			return nil, fmt.Errorf("no lane named %s on the boards chosen", strings.Join(missing, ", "))
		}
	}
	return sc, nil
}

// IncludesLane reports whether the scope includes a lane's cards.
func (sc *BriefScope) IncludesLane(l *Lane) bool {
	return len(sc.lanes) == 0 || sc.lanes[strings.ToLower(l.Name)]
}

// Cards lists the snapshot's cards in the scope, board by board and lane by
// lane, in the order a brief prints them.
func (sc *BriefScope) Cards(s *Snapshot) []*Card {
	var out []*Card
	for _, bd := range sc.Boards {
		for _, l := range s.Lanes[bd.ID] {
			if sc.IncludesLane(l) {
				out = append(out, s.LaneCards[l.ID]...)
			}
		}
	}
	return out
}
