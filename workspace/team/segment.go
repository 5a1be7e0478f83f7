package team

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"filippo.io/age"

	"briefboard/workspace"
)

// A segment file is
//
//	briefboard-team-segment\n
//	HEADER-JSON SP SHA-256-OF-HEADER-JSON-IN-HEX\n
//	BODY   (header.size bytes: the share file, age-encrypted to the team key unless the folder is plain)
//	TAG    (32 bytes: HMAC-SHA256 with the team's MAC key, or SHA-256 in a plain folder, of all that comes before)
//
// The header says where the segment stands in its replica's chain; its own
// checksum tells a damaged header from one still arriving.

const (
	segMagic        = "briefboard-team-segment\n"
	segVersion      = 1
	maxHeaderSize   = 64 << 10
	tagSize         = sha256.Size
	protectAgeHMAC  = "age-x25519+hmac-sha256"
	protectChecksum = "sha256"
	maxSegmentFile  = workspace.MaxShareFileSize + maxHeaderSize + 1024
)

// link names one file of a chain by number and the SHA-256 of its bytes.
type link struct {
	Number uint64 `json:"number"`
	SHA256 string `json:"sha256"`
}

// header is a segment's plain header.
type header struct {
	Version   int    `json:"version"`
	Workspace string `json:"workspace"`
	Replica   string `json:"replica"`
	Number    uint64 `json:"number"`
	// Snapshot is set on a snapshot: every record (under the cap) as of
	// segment Number, not only what changed.
	Snapshot bool `json:"snapshot,omitempty"`
	// Prev is the link before this one in the chain; absent on the first.
	Prev *link `json:"prev,omitempty"`
	// Link is, on a snapshot written beside segment Number, that
	// segment's checksum: a reader that takes the snapshot instead
	// continues the chain from it. Empty when the snapshot is itself the
	// link (a copy's first).
	Link string `json:"link,omitempty"`
	// Covers is, on a snapshot, what its writer had merged of every other
	// replica; Complete says the snapshot left nothing out under the cap,
	// so a new copy made from it has everything Covers names.
	Covers   map[string]link `json:"covers,omitempty"`
	Complete bool            `json:"complete,omitempty"`
	// Team names the team file whose keys protect the segment.
	Team       string `json:"team"`
	Protection string `json:"protection"`
	At         int64  `json:"at"`
	Size       int64  `json:"size"`
}

// keys protect segments: the team's, or none in a plain folder.
type keys struct {
	team *team
}

// encodeSegment writes a segment file: header, body (encrypted to the team
// key when the folder is encrypted) and tag.
func encodeSegment(h header, share []byte, k keys) ([]byte, error) {
	body := share
	h.Team = k.team.name
	h.Protection = protectChecksum
	if k.team.info.Encrypted {
		h.Protection = protectAgeHMAC
		var buf bytes.Buffer
		w, err := age.Encrypt(&buf, k.team.identity.Recipient())
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(share); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		body = buf.Bytes()
	}
	h.Version = segVersion
	h.Size = int64(len(body))
	hj, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	hs := sha256.Sum256(hj)
	var out bytes.Buffer
	out.Grow(len(segMagic) + len(hj) + 66 + len(body) + tagSize)
	out.WriteString(segMagic)
	out.Write(hj)
	out.WriteByte(' ')
	out.WriteString(hex.EncodeToString(hs[:]))
	out.WriteByte('\n')
	out.Write(body)
	out.Write(tag(k.team, out.Bytes()))
	return out.Bytes(), nil
}

// tag is the MAC (encrypted folder) or checksum (plain folder) of data.
func tag(t *team, data []byte) []byte {
	if t.info.Encrypted {
		m := hmac.New(sha256.New, t.info.MAC)
		m.Write(data)
		return m.Sum(nil)
	}
	s := sha256.Sum256(data)
	return s[:]
}

// Why a segment cannot be merged (yet): errIncomplete and errNotArrived
// wait for the next round, errDamaged stops the replica's chain.
var (
	errIncomplete = errors.New("incomplete: still arriving, or cut short")
	errNotArrived = errors.New("has not arrived yet")
	errDamaged    = errors.New("damaged")
)

func damagedf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errDamaged, fmt.Sprintf(format, args...))
}

// readHeader reads a segment's header, checking its checksum; end is where
// the body starts.
func readHeader(data []byte) (*header, int, error) {
	if len(data) < len(segMagic) {
		if bytes.HasPrefix([]byte(segMagic), data) {
			return nil, 0, fmt.Errorf("%w (%d bytes so far)", errIncomplete, len(data))
		}
		return nil, 0, damagedf("not a Briefboard segment")
	}
	if !bytes.HasPrefix(data, []byte(segMagic)) {
		return nil, 0, damagedf("not a Briefboard segment")
	}
	rest := data[len(segMagic):]
	nl := bytes.IndexByte(rest[:min(len(rest), maxHeaderSize)], '\n')
	if nl < 0 {
		if len(rest) < maxHeaderSize {
			return nil, 0, fmt.Errorf("%w (%d bytes so far)", errIncomplete, len(data))
		}
		return nil, 0, damagedf("its header is too long")
	}
	line := rest[:nl]
	sp := bytes.LastIndexByte(line, ' ')
	if sp < 0 {
		return nil, 0, damagedf("its header has no checksum")
	}
	hj, sumHex := line[:sp], string(line[sp+1:])
	s := sha256.Sum256(hj)
	if sumHex != hex.EncodeToString(s[:]) {
		return nil, 0, damagedf("its header does not match its checksum")
	}
	var head struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(hj, &head); err != nil {
		return nil, 0, damagedf("its header is not valid JSON")
	}
	if head.Version > segVersion {
		return nil, 0, fmt.Errorf("%w (segment version %d; this one reads up to %d)", ErrNewer, head.Version, segVersion)
	}
	var h header
	dec := json.NewDecoder(bytes.NewReader(hj))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, 0, damagedf("its header: %v", err)
	}
	if h.Version < 1 || h.Size < 0 || h.Size > workspace.MaxShareFileSize+(1<<20) {
		return nil, 0, damagedf("its header is not valid")
	}
	return &h, len(segMagic) + nl + 1, nil
}

// segment is a segment file read and checked.
type segment struct {
	header *header
	sum    string
	share  *workspace.ShareFile
}

// where says which file a segment should be, to check its header against.
type where struct {
	workspace, replica string
	number             uint64
	snapshot           bool
}

// decodeSegment checks a segment file and reads its share file: the tag
// first (nothing of an unauthenticated file is decrypted or parsed), then
// the body. teams finds the team file the header names; cap is the
// folder's.
func decodeSegment(data []byte, w where, teams func(name string) (*team, error), elected *team) (*segment, error) {
	h, start, err := readHeader(data)
	if err != nil {
		return nil, err
	}
	switch {
	case h.Workspace != w.workspace:
		return nil, damagedf("it belongs to workspace %s, not %s", h.Workspace, w.workspace)
	case h.Replica != w.replica:
		return nil, damagedf("it was written by replica %s, not %s", h.Replica, w.replica)
	case h.Number != w.number || h.Snapshot != w.snapshot:
		return nil, damagedf("its header says it is number %d", h.Number)
	}
	total := int64(start) + h.Size + tagSize
	if int64(len(data)) < total {
		return nil, fmt.Errorf("%w (%d of %d bytes)", errIncomplete, len(data), total)
	}
	if int64(len(data)) > total {
		return nil, damagedf("it is longer than its header says")
	}
	t, err := teams(h.Team)
	if err != nil {
		if errors.Is(err, errNotArrived) {
			return nil, err
		}
		return nil, damagedf("its team file: %v", err)
	}
	if elected.info.Encrypted && !t.info.Encrypted {
		return nil, damagedf("it is not encrypted, but the team folder is")
	}
	want := protectChecksum
	if t.info.Encrypted {
		want = protectAgeHMAC
	}
	if h.Protection != want {
		return nil, damagedf("its protection %q is not the team file's", h.Protection)
	}
	body, got := data[start:start+int(h.Size)], data[start+int(h.Size):]
	if !hmac.Equal(got, tag(t, data[:start+int(h.Size)])) {
		if t.info.Encrypted {
			return nil, damagedf("its MAC does not match: it was changed, or written without the team key")
		}
		return nil, damagedf("its checksum does not match")
	}
	if t.info.Encrypted {
		r, err := age.Decrypt(bytes.NewReader(body), t.identity)
		if err != nil {
			return nil, damagedf("it does not decrypt with the team key (%v)", err)
		}
		if body, err = io.ReadAll(io.LimitReader(r, workspace.MaxShareFileSize+1)); err != nil {
			return nil, damagedf("it does not decrypt with the team key (%v)", err)
		}
	}
	sf, err := workspace.ReadShare(bytes.NewReader(body), nil)
	if err != nil {
		return nil, damagedf("%v", err)
	}
	m := sf.Manifest
	switch {
	case m.Workspace.ID != w.workspace:
		return nil, damagedf("it holds workspace %s, not %s", m.Workspace.ID, w.workspace)
	case m.ExportedBy.Replica != w.replica:
		return nil, damagedf("it holds changes of replica %s, not %s", m.ExportedBy.Replica, w.replica)
	case !workspace.Allows(&elected.info.Cap, m.TLP):
		return nil, damagedf("it holds records marked %s, above the folder's cap %s", m.TLP, elected.info.Cap)
	}
	s := sha256.Sum256(data)
	return &segment{header: h, sum: hex.EncodeToString(s[:]), share: sf}, nil
}

// at is a header's time.
func (h *header) at() time.Time { return time.UnixMilli(h.At).UTC() }
