package team

import (
	"testing"
	"time"

	"briefboard/workspace"
)

// Fuzz targets for the two parsers of a team folder. Neither may panic or
// accept what it did not check: a segment that decodes names the
// workspace, replica and number it was asked for.

func FuzzSegment(f *testing.F) {
	s := newStore(f)
	m, _ := s.Header()
	tm, err := newTeam(m.ID, s.Replica(), time.Now(), DefaultCap, false)
	if err != nil {
		f.Fatal(err)
	}
	cap := DefaultCap
	seg, err := s.ShareSegment(workspace.SegmentOptions{All: true, MaxTLP: &cap})
	if err != nil {
		f.Fatal(err)
	}
	good, err := encodeSegment(header{Workspace: m.ID, Replica: s.Replica(), Number: 1, Snapshot: true}, seg.Data, keys{tm})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(segMagic + "{}\n"))
	teams := func(string) (*team, error) { return tm, nil }
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeSegment(data, where{m.ID, s.Replica(), 1, true}, teams, tm)
		if err != nil {
			return
		}
		h := got.header
		if h.Workspace != m.ID || h.Replica != s.Replica() || h.Number != 1 || !h.Snapshot || got.share.Manifest.Workspace.ID != m.ID {
			t.Fatalf("accepted a segment of somewhere else: %+v", h)
		}
	})
}

func FuzzTeamFile(f *testing.F) {
	tm, err := newTeam("ws", "creator", time.Now(), DefaultCap, false)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := tm.encode(nil)
	f.Add(good)
	f.Add([]byte(`{"format":"briefboard-team","version":2}`))
	f.Add([]byte("age-encryption.org/v1\n-> scrypt AAAA 40\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseTeam("team-creator", "creator", "ws", data, testPass)
		if err != nil {
			return
		}
		if got.info.Workspace != "ws" || got.info.Creator != "creator" || !got.info.Cap.Valid() {
			t.Fatalf("accepted %+v", got.info)
		}
	})
}
