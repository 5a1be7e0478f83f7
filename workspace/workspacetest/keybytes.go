package workspacetest

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// KeyGroup is what the keys of one group hold: how many keys and how many
// bytes of keys and values, counting the latest version of each key.
type KeyGroup struct {
	Group       string
	Keys        int
	KeyBytes    int64
	ValueBytes  int64
	MaxValue    int64
	StaleValues int
}

// Bytes is the group's keys and values together.
func (g KeyGroup) Bytes() int64 { return g.KeyBytes + g.ValueBytes }

// KeyBytes opens the workspace's Badger directory read-only and sums key
// and value sizes by group: the key up to its first '/', and for merge
// stamps (stamp/card/...) up to the second, so the bytes of records,
// stamps, journal, order index and local state can be told apart. Older
// versions that Badger has not compacted away yet are counted in
// StaleValues only. The workspace must not be open elsewhere; an
// encrypted one cannot be read this way.
func KeyBytes(dir string) ([]KeyGroup, error) {
	db, err := badger.Open(badger.DefaultOptions(dir).WithReadOnly(true).WithLogger(nil).
		WithBlockCacheSize(8 << 20).WithIndexCacheSize(4 << 20))
	if err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", dir, err)
	}
	defer db.Close()
	groups := map[string]*KeyGroup{}
	err = db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.AllVersions = true
		it := txn.NewIterator(opts)
		defer it.Close()
		var last []byte
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			k := item.Key()
			g := groups[keyGroup(k)]
			if g == nil {
				g = &KeyGroup{Group: keyGroup(k)}
				groups[g.Group] = g
			}
			if last != nil && string(last) == string(k) {
				g.StaleValues++
				continue
			}
			last = item.KeyCopy(last[:0])
			if item.IsDeletedOrExpired() {
				continue
			}
			n := item.ValueSize()
			g.Keys++
			g.KeyBytes += int64(len(k))
			g.ValueBytes += n
			g.MaxValue = max(g.MaxValue, n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]KeyGroup, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Bytes() > out[j].Bytes() })
	return out, nil
}

func keyGroup(k []byte) string {
	s := string(k)
	i := strings.IndexByte(s, '/')
	if i < 0 {
		return s
	}
	if s[:i+1] == "stamp/" {
		if j := strings.IndexByte(s[i+1:], '/'); j >= 0 {
			return s[:i+1+j+1]
		}
	}
	return s[:i+1]
}

// WriteKeyBytes prints groups as a table, with each group's share of the
// total.
func WriteKeyBytes(w io.Writer, groups []KeyGroup) {
	var total int64
	for _, g := range groups {
		total += g.Bytes()
	}
	fmt.Fprintf(w, "%-14s %8s %12s %12s %6s %10s %8s\n", "group", "keys", "key bytes", "value bytes", "share", "max value", "stale")
	for _, g := range groups {
		fmt.Fprintf(w, "%-14s %8d %12d %12d %5.1f%% %10d %8d\n", g.Group, g.Keys, g.KeyBytes, g.ValueBytes,
			100*float64(g.Bytes())/float64(max(total, 1)), g.MaxValue, g.StaleValues)
	}
	fmt.Fprintf(w, "%-14s %8s %12s %12d\n", "total", "", "", total)
}
