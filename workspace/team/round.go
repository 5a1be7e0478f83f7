package team

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"briefboard/workspace"
)

// Round writes this copy's changes since its last segment as a new segment,
// then merges every other copy's new segments, and reports what it did.
// Conflicts are not errors: they are kept for the analyst, as with
// imports. A segment still arriving waits for a later round; a damaged one
// stops its replica's chain (reported on every round until it is repaired
// or a snapshot replaces it) while the others go on. The error is for what
// stops the round: the folder gone or unwritable, a team file that
// loosens the cap, a workspace header above the cap (then the round still
// merges, and the report says what it could). The report is never nil.
func (f *Folder) Round(ctx context.Context) (*Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rep := &Report{Workspace: f.ws, Folder: f.root, At: f.now()}
	if err := f.refresh(rep); err != nil {
		return rep, err
	}
	rep.Cap = f.team.info.Cap
	if err := f.recoverOwn(rep); err != nil {
		return rep, err
	}
	werr := f.write(rep)
	if werr != nil && !errors.Is(werr, workspace.ErrAboveCap) {
		return rep, werr
	}
	if err := f.read(ctx, rep); err != nil {
		return rep, err
	}
	f.colleagues(rep)
	return rep, werr
}

// refresh checks the folder is there and takes the team file every member
// takes, refusing one that loosens the folder's protection.
func (f *Folder) refresh(rep *Report) error {
	if fi, err := os.Stat(f.root); err != nil || !fi.IsDir() {
		return fmt.Errorf("the team folder %s is not there (unmounted, moved or removed?)", f.root)
	}
	if fi, err := os.Stat(f.dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("%w: %s is gone from the team folder %s", ErrNoTeamFolder, filepath.Base(f.dir), f.root)
	}
	teams, errs, err := f.teams.load()
	if err != nil {
		return fmt.Errorf("team folder %s: %w", f.root, unwrapPath(err))
	}
	if len(teams) == 0 {
		if len(errs) > 0 {
			return errs[0]
		}
		return fmt.Errorf("%w: the team file in %s is gone", ErrNoTeamFolder, f.dir)
	}
	for _, e := range errs {
		rep.Damaged = append(rep.Damaged, Problem{Reason: e.Error()})
	}
	if err := f.elect(teams); err != nil {
		return err
	}
	return nil
}

// ownDir is this copy's folder.
func (f *Folder) ownDir() string { return filepath.Join(f.dir, f.store.Replica()) }

// links lists a replica's segment and snapshot files by number.
type links map[uint64]*linkFiles

type linkFiles struct{ seg, snap bool }

func (l links) max() uint64 {
	var m uint64
	for n := range l {
		m = max(m, n)
	}
	return m
}

// chainName is the file that is link n of the chain: the segment, or the
// snapshot where there is no segment.
func (l links) chainName(n uint64) (string, bool) {
	fl := l[n]
	if fl == nil {
		return "", false
	}
	return segName(n, !fl.seg), !fl.seg
}

func listLinks(dir string) (links, error) {
	entries, err := listDir(dir)
	if err != nil {
		return nil, err
	}
	out := links{}
	for _, e := range entries {
		n, snap, ok := parseSegName(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		if out[n] == nil {
			out[n] = &linkFiles{}
		}
		if snap {
			out[n].snap = true
		} else {
			out[n].seg = true
		}
	}
	return out, nil
}

// recoverOwn merges segments of this copy's own that the copy does not
// know of: written by an earlier state of it (a restored backup, a crash
// between writing a segment and noting it). Their writes come back, the
// clock moves past them, and no number is written twice.
func (f *Folder) recoverOwn(rep *Report) error {
	ls, err := listLinks(f.ownDir())
	if err != nil {
		return fmt.Errorf("team folder %s: %w", f.root, unwrapPath(err))
	}
	top := ls.max()
	if top < f.state.Next {
		return nil
	}
	var batch []*segment
	for n := f.state.Next; n <= top; n++ {
		name, snap := ls.chainName(n)
		if name == "" {
			continue
		}
		seg, err := f.readSegment(f.store.Replica(), n, snap)
		if err != nil {
			rep.Damaged = append(rep.Damaged, Problem{Replica: f.store.Replica(), File: name, Reason: err.Error()})
			continue
		}
		batch = append(batch, seg)
		f.state.Prev = seg.sum
	}
	if len(batch) > 0 {
		_, forward, err := f.store.MergeTeam(combine(batch), "Merge this copy's own segments found in the team folder")
		if err != nil {
			return err
		}
		f.state.Forward = append(f.state.Forward, forward...)
	}
	f.state.Next = top + 1
	return f.save()
}

// readSegment reads and checks one file of a replica's folder.
func (f *Folder) readSegment(replica string, n uint64, snap bool) (*segment, error) {
	path := filepath.Join(f.dir, replica, segName(n, snap))
	data, err := readLimited(path, maxSegmentFile)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: it was removed", errNotArrived)
		}
		return nil, damagedf("%v", unwrapPath(err))
	}
	return decodeSegment(data, where{f.ws, replica, n, snap}, f.teams.byName, f.team)
}

// write sends what changed since this copy's last segment.
func (f *Folder) write(rep *Report) error {
	needSnap := f.state.Next <= 1 && !f.state.Seeded
	if !needSnap && f.state.Snapshot > 0 {
		if _, err := os.Stat(filepath.Join(f.ownDir(), segName(f.state.Snapshot, true))); errors.Is(err, os.ErrNotExist) {
			// This copy's snapshot is gone from the folder: a new
			// colleague would miss what only it held.
			needSnap = true
		}
	}
	if f.state.Next == 0 {
		f.state.Next = 1
	}
	cap := f.team.info.Cap
	retry := append(append([]string(nil), f.state.Withheld...), f.state.Forward...)
	seg, err := f.store.ShareSegment(workspace.SegmentOptions{MaxTLP: &cap, All: needSnap, Since: f.state.Seq, Retry: retry})
	if errors.Is(err, workspace.ErrAboveCap) {
		return fmt.Errorf("nothing can go to the team folder: %w", err)
	}
	if err != nil {
		return err
	}
	rep.Withheld = seg.Withheld
	var withheld []string
	for _, w := range seg.Withheld {
		withheld = append(withheld, w.Key)
	}
	if len(seg.Keys) == 0 {
		f.state.Seq, f.state.Withheld, f.state.Forward = seg.Seq, withheld, nil
		return f.save()
	}
	n := f.state.Next
	h := header{Workspace: f.ws, Replica: f.store.Replica(), Number: n, Snapshot: needSnap, Prev: f.prevLink(), At: f.now().UnixMilli()}
	if needSnap {
		h.Covers, h.Complete = f.covers(), len(seg.Withheld) == 0
	}
	data, err := encodeSegment(h, seg.Data, keys{f.team})
	if err != nil {
		return err
	}
	name := segName(n, needSnap)
	if err := writeOnce(filepath.Join(f.ownDir(), name), data); err != nil {
		return fmt.Errorf("%w %s: %v", ErrUnwritable, f.root, unwrapPath(err))
	}
	f.state.Next, f.state.Prev, f.state.Seq = n+1, sumOf(data), seg.Seq
	f.state.Withheld, f.state.Forward = withheld, nil
	if needSnap {
		f.state.Snapshot = n
	}
	if err := f.save(); err != nil {
		return err
	}
	rep.Sent = &Sent{File: filepath.Join(f.store.Replica(), name), Number: n, Snapshot: needSnap,
		Records: len(seg.Keys), Counts: seg.Manifest.Counts}
	every := f.opts.SnapshotEvery
	if every <= 0 {
		every = DefaultSnapshotEvery
	}
	if !needSnap && n-f.state.Snapshot >= uint64(every) {
		return f.snapshot(n, h.Prev, rep)
	}
	return nil
}

func (f *Folder) prevLink() *link {
	if f.state.Next <= 1 {
		return nil
	}
	return &link{Number: f.state.Next - 1, SHA256: f.state.Prev}
}

// covers is what this copy has merged of every other replica.
func (f *Folder) covers() map[string]link {
	out := map[string]link{}
	for r, p := range f.state.Merged {
		out[r] = link{Number: p.Number, SHA256: p.SHA256}
	}
	return out
}

// snapshot writes everything as of segment n beside it, then folds: this
// copy's files before its previous snapshot go, since a reader that far
// behind takes a snapshot instead. Nobody removes another copy's files.
func (f *Folder) snapshot(n uint64, prev *link, rep *Report) error {
	cap := f.team.info.Cap
	seg, err := f.store.ShareSegment(workspace.SegmentOptions{MaxTLP: &cap, All: true})
	if err != nil {
		return err
	}
	h := header{Workspace: f.ws, Replica: f.store.Replica(), Number: n, Snapshot: true, Prev: prev,
		Link: f.state.Prev, Covers: f.covers(), Complete: len(seg.Withheld) == 0, At: f.now().UnixMilli()}
	data, err := encodeSegment(h, seg.Data, keys{f.team})
	if err != nil {
		return err
	}
	name := segName(n, true)
	if err := writeOnce(filepath.Join(f.ownDir(), name), data); err != nil {
		return fmt.Errorf("%w %s: %v", ErrUnwritable, f.root, unwrapPath(err))
	}
	before := f.state.Snapshot
	f.state.Snapshot = n
	if err := f.save(); err != nil {
		return err
	}
	rep.Sent.SnapshotFile = filepath.Join(f.store.Replica(), name)
	if before == 0 {
		return nil
	}
	ls, err := listLinks(f.ownDir())
	if err != nil {
		return nil
	}
	for m, fl := range ls {
		if m >= before {
			continue
		}
		if fl.seg {
			os.Remove(filepath.Join(f.ownDir(), segName(m, false)))
		}
		if fl.snap {
			os.Remove(filepath.Join(f.ownDir(), segName(m, true)))
		}
	}
	return nil
}

// read merges every other replica's new segments.
func (f *Folder) read(ctx context.Context, rep *Report) error {
	entries, err := listDir(f.dir)
	if err != nil {
		return fmt.Errorf("team folder %s: %w", f.root, unwrapPath(err))
	}
	var replicas []string
	from := map[string]position{}
	for _, e := range entries {
		r := e.Name()
		if e.IsDir() && workspace.ValidID(r) && r != f.store.Replica() {
			replicas = append(replicas, r)
			if p := f.state.Merged[r]; p != nil {
				from[r] = *p
			}
		}
	}
	// Reading and checking files costs about what merging them does: the
	// next copy's files are read while one copy's are merged.
	arrivals := make(chan *arrival, 1)
	stop := make(chan struct{})
	go func() {
		defer close(arrivals)
		for _, r := range replicas {
			select {
			case arrivals <- f.collect(r, from[r]):
			case <-stop:
				return
			}
		}
	}()
	defer func() {
		close(stop)
		for range arrivals {
		}
	}()
	for a := range arrivals {
		if err := ctx.Err(); err != nil {
			return err
		}
		rep.Waiting = append(rep.Waiting, a.waiting...)
		rep.Damaged = append(rep.Damaged, a.damaged...)
		if err := f.merge(a, rep); err != nil {
			return err
		}
	}
	return nil
}

// arrival is what a replica's chain holds that is new here, read and
// checked, and what stands in its way.
type arrival struct {
	replica          string
	batch            []*segment
	files            []string
	cur              position
	waiting, damaged []Problem
}

// collect follows one replica's chain from where it was merged to. It
// reads the folder only: merge takes what it found.
func (f *Folder) collect(r string, cur position) *arrival {
	a := &arrival{replica: r}
	ls, err := listLinks(filepath.Join(f.dir, r))
	if err != nil {
		a.waiting = append(a.waiting, Problem{Replica: r, Reason: unwrapPath(err).Error()})
		return a
	}
	for {
		n := cur.Number + 1
		name, snap := ls.chainName(n)
		var blocked error
		if name == "" {
			if ls.max() <= cur.Number {
				break
			}
			blocked = fmt.Errorf("%w, though later ones have", errNotArrived)
			name = segName(n, false)
		} else {
			seg, err := f.readSegment(r, n, snap)
			if err == nil {
				err = follows(seg.header, cur)
			}
			if err == nil {
				a.batch, a.files = append(a.batch, seg), append(a.files, name)
				cur = advance(cur, seg)
				continue
			}
			blocked = err
		}
		// A snapshot past the block replaces what is missing or damaged.
		if seg, sname := f.jump(r, ls, cur.Number, a); seg != nil {
			a.batch, a.files = append(a.batch, seg), append(a.files, sname)
			cur = advance(cur, seg)
			continue
		}
		p := Problem{Replica: r, File: filepath.Join(r, name), Reason: blocked.Error()}
		if errors.Is(blocked, errIncomplete) || errors.Is(blocked, errNotArrived) {
			a.waiting = append(a.waiting, p)
		} else {
			a.damaged = append(a.damaged, p)
		}
		break
	}
	a.cur = cur
	return a
}

// merge merges what arrived from one replica and notes how far its chain
// is merged.
func (f *Folder) merge(a *arrival, rep *Report) error {
	if len(a.batch) == 0 {
		return nil
	}
	r, cur := a.replica, a.cur
	name := cur.Name
	if name == "" {
		name = "a colleague"
	}
	res, forward, err := f.store.MergeTeam(combine(a.batch), "Merge changes from "+name)
	if err != nil {
		if errors.Is(err, workspace.ErrClosed) {
			return err
		}
		rep.Damaged = append(rep.Damaged, Problem{Replica: r, File: filepath.Join(r, a.files[0]),
			Reason: fmt.Sprintf("merging it failed: %v", err)})
		return nil
	}
	if f.state.Merged == nil {
		f.state.Merged = map[string]*position{}
	}
	f.state.Merged[r] = &cur
	f.state.Forward = append(f.state.Forward, forward...)
	if err := f.save(); err != nil {
		return err
	}
	rep.Received = append(rep.Received, Received{Replica: r, Name: cur.Name, Files: a.files, Result: res})
	rep.Conflicts = append(rep.Conflicts, res.Conflicts...)
	return nil
}

// follows checks that a link continues the chain as merged so far.
func follows(h *header, cur position) error {
	if cur.Number == 0 {
		if h.Prev != nil && h.Number == 1 {
			return damagedf("the first segment names one before it")
		}
		return nil
	}
	if h.Prev == nil || h.Prev.Number != cur.Number || cur.SHA256 != "" && h.Prev.SHA256 != cur.SHA256 {
		return damagedf("it does not follow segment %d as merged here: the replica's chain forked (a restored or copied folder?)", cur.Number)
	}
	return nil
}

// advance moves a position past a merged link.
func advance(cur position, seg *segment) position {
	h := seg.header
	sum := seg.sum
	if h.Snapshot && h.Link != "" {
		sum = h.Link
	}
	name := seg.share.Manifest.ExportedBy.Name
	if name == "" {
		name = cur.Name
	}
	return position{Number: h.Number, SHA256: sum, Name: name, At: h.at()}
}

// jump finds the latest snapshot past number after that reads whole.
func (f *Folder) jump(r string, ls links, after uint64, a *arrival) (*segment, string) {
	var nums []uint64
	for n, fl := range ls {
		if n > after && fl.snap {
			nums = append(nums, n)
		}
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] > nums[j] })
	for _, n := range nums {
		seg, err := f.readSegment(r, n, true)
		if err == nil {
			return seg, segName(n, true)
		}
		if !errors.Is(err, errIncomplete) && !errors.Is(err, errNotArrived) {
			a.damaged = append(a.damaged, Problem{Replica: r, File: filepath.Join(r, segName(n, true)), Reason: err.Error()})
		}
	}
	return nil, ""
}

// combine folds consecutive links of one replica's chain into one share
// file: a record's later version has everything its earlier one had, since
// a copy's state only grows.
func combine(batch []*segment) *workspace.ShareFile {
	if len(batch) == 1 {
		return batch[0].share
	}
	last := batch[len(batch)-1].share
	out := &workspace.ShareFile{Manifest: last.Manifest, Encrypted: last.Encrypted}
	byKey := map[string]workspace.ShareRecord{}
	for _, s := range batch {
		out.Manifest.Clock = max(out.Manifest.Clock, s.share.Manifest.Clock)
		out.Manifest.TLP = workspace.Stricter(out.Manifest.TLP, s.share.Manifest.TLP)
		for _, r := range s.share.Records {
			byKey[r.Key] = r
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out.Manifest.Counts = map[workspace.RecordKind]int{}
	out.Records = make([]workspace.ShareRecord, 0, len(keys))
	for _, k := range keys {
		r := byKey[k]
		out.Records = append(out.Records, r)
		out.Manifest.Counts[r.RecordKind]++
	}
	return out
}

// colleagues lists the other copies seen in the folder.
func (f *Folder) colleagues(rep *Report) {
	for r, p := range f.state.Merged {
		rep.Colleagues = append(rep.Colleagues, Colleague{Replica: r, Name: p.Name, Merged: p.Number, At: p.At})
	}
	sort.Slice(rep.Colleagues, func(i, j int) bool { return rep.Colleagues[i].Replica < rep.Colleagues[j].Replica })
}
