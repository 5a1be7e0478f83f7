package workspace

import (
	"fmt"
	"strconv"

	"github.com/dgraph-io/badger/v4"
)

// migrations[v] upgrades a workspace from schema v to v+1, inside the
// transaction that opens it. Version 1 is the first released layout, so the
// list starts empty; every later layout adds one step here and a test that
// opens a workspace of the earlier version.
var migrations = map[int]func(txn *badger.Txn) error{}

func migrate(txn *badger.Txn, from int) error {
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
		if err := step(txn); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	if from != SchemaVersion {
		return txn.Set([]byte(keySchema), []byte(strconv.Itoa(SchemaVersion)))
	}
	return nil
}
