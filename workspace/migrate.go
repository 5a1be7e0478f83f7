package workspace

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/dgraph-io/badger/v4"
)

// migrations[v] upgrades a workspace from schema v to v+1: it reads the
// workspace as it is and returns the writes that upgrade it. Each step is
// committed whole with the new schema version (staged when large, like
// any big action), so a crash leaves the workspace at one version or the
// next. Every step has a test that opens a workspace of the earlier
// version.
var migrations = map[int]func(txn *badger.Txn, w *overlay) error{
	1: migrateMarkings,
	2: migrateJournalPieces,
}

func (s *Store) migrate(from int) error {
	if from > SchemaVersion {
		return fmt.Errorf("%w (schema %d; this one reads up to %d)", ErrNewerSchema, from, SchemaVersion)
	}
	if from < 1 {
		return fmt.Errorf("schema version %d is damaged", from)
	}
	for v := from; v < SchemaVersion; v++ {
		step, ok := migrations[v]
		if !ok {
			return fmt.Errorf("no migration from schema %d", v)
		}
		err := func() error {
			view := s.db.NewTransaction(false)
			defer view.Discard()
			w := newOverlay(view)
			if err := step(view, &w); err != nil {
				return err
			}
			w.set([]byte(keySchema), []byte(strconv.Itoa(v+1)))
			return s.commit(w.writes, w.size)
		}()
		if err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	return nil
}

// migrateMarkings (schema 1 to 2) gives every write the marking of its
// record: schema 1 kept no marking per write, so each counts as written
// under the strictest marking its record has (its marking field and every
// competing value of it). Boards, lanes and the header, which had no
// marking, are CLEAR.
func migrateMarkings(txn *badger.Txn, w *overlay) error {
	for _, spec := range recordKinds {
		err := scanKeys(txn, spec.prefix, func(key, v []byte) error {
			rec, err := decodeStored(spec.kind, v)
			if err != nil {
				return fmt.Errorf("record %s: %w", key, err)
			}
			var st Stamps
			if err := getJSON(txn, stampKey(key), &st); err != nil {
				return fmt.Errorf("stamps of %s: %w", key, err)
			}
			if err := assumeMarking(rec, &st); err != nil {
				return err
			}
			if err := syncDerived(rec, &st); err != nil {
				return err
			}
			raw, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			w.set(append([]byte(nil), key...), raw)
			return w.setJSON(stampKey(key), &st)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// migrateJournalPieces (schema 2 to 3) rewrites nothing: schema 3 stores
// the pieces of large journal entries compressed (pieceS2) and stages
// large actions in a file beside Badger's (stagefile.go), and it reads the
// pieces and stages of schema 2 as they are, so old entries still undo.
// The new version number keeps an earlier Briefboard, which can read
// neither, from opening the workspace.
func migrateJournalPieces(*badger.Txn, *overlay) error { return nil }
