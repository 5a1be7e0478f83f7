package team

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"briefboard/workspace"
)

// Report says what a round did and what stands in its way: the command
// line prints it, the window's status bar sums it up. Waiting, damaged and
// withheld items are reported on every round for as long as they last.
type Report struct {
	// Workspace is the workspace id, Folder the team folder, Cap its cap.
	Workspace string
	Folder    string
	Cap       workspace.TLP
	At        time.Time
	// Sent is the segment this round wrote; nil when nothing changed.
	Sent *Sent
	// Received lists what was merged, per colleague's copy.
	Received []Received
	// Conflicts are the records the merges left with competing values
	// (new or changed by this round).
	Conflicts []workspace.RecordChange
	// Waiting are files not merged yet that will be once they arrive
	// whole; Damaged are files that stop their copy's chain until they
	// are repaired or a snapshot replaces them.
	Waiting []Problem
	Damaged []Problem
	// Withheld are this copy's records the cap keeps out of the folder:
	// marked above it, or held back by an open marking conflict.
	Withheld []workspace.Withheld
	// Colleagues are the other copies seen in the folder.
	Colleagues []Colleague
}

// Sent is a segment written.
type Sent struct {
	// File is the segment's path inside the workspace's folder.
	File   string
	Number uint64
	// Snapshot is set when the segment is a snapshot (a copy's first).
	Snapshot bool
	// Records counts the changed records it holds; Counts every record
	// it holds (with the header and the boards and lanes they belong
	// to), by kind.
	Records int
	Counts  map[workspace.RecordKind]int
	// SnapshotFile is a snapshot written beside it, if any.
	SnapshotFile string
}

// Received is what was merged from one colleague's copy.
type Received struct {
	Replica string
	// Name is the analyst's name on the copy's last segment.
	Name string
	// Files are the segments merged, in order.
	Files  []string
	Result *workspace.ImportResult
}

// Problem is a file that could not be merged, and why.
type Problem struct {
	Replica string
	// File is the file's path inside the workspace's folder; empty for a
	// problem of the folder itself.
	File   string
	Reason string
}

// Colleague is another copy seen in the folder.
type Colleague struct {
	Replica string
	Name    string
	// Merged is the number of its last segment merged here, At when it
	// was written.
	Merged uint64
	At     time.Time
}

// Counts sums a report up.
type Counts struct {
	Sent, Received, Conflicts, Waiting, Damaged, Withheld int
}

// Counts returns how many records were sent, received (added, updated or
// deleted here) and left in conflict, and how many files wait, are damaged
// and records are withheld.
func (r *Report) Counts() Counts {
	c := Counts{Conflicts: len(r.Conflicts), Waiting: len(r.Waiting), Damaged: len(r.Damaged), Withheld: len(r.Withheld)}
	if r.Sent != nil {
		c.Sent = r.Sent.Records
	}
	for _, rc := range r.Received {
		c.Received += len(rc.Result.Added) + len(rc.Result.Updated) + len(rc.Result.Deleted)
	}
	return c
}

// Summary is one line for a status bar: "sent 3, received 12 from 2
// colleagues, 1 conflict, 2 withheld".
func (r *Report) Summary() string {
	c := r.Counts()
	var parts []string
	if c.Sent > 0 {
		parts = append(parts, fmt.Sprintf("sent %d", c.Sent))
	}
	if c.Received > 0 {
		parts = append(parts, fmt.Sprintf("received %d from %s", c.Received, plural(len(r.Received), "colleague", "colleagues")))
	}
	if c.Conflicts > 0 {
		parts = append(parts, plural(c.Conflicts, "conflict", "conflicts"))
	}
	if c.Waiting > 0 {
		parts = append(parts, plural(c.Waiting, "file waiting", "files waiting"))
	}
	if c.Damaged > 0 {
		parts = append(parts, plural(c.Damaged, "damaged file", "damaged files"))
	}
	if c.Withheld > 0 {
		parts = append(parts, fmt.Sprintf("%d withheld by the %s cap", c.Withheld, r.Cap))
	}
	if len(parts) == 0 {
		return "up to date"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func sumOf(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}
