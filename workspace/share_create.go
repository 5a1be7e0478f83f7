package workspace

// CreateFromShare makes a new workspace in dir (missing or empty) from a
// share file: a copy of the colleague's workspace, with the same records
// and stamps, that later files of theirs merge into. The copy gets its own
// replica id. With opts.Passphrase set it is encrypted at rest. On error
// nothing is left behind.
func CreateFromShare(dir string, sf *ShareFile, opts Options) (*Store, *ImportResult, error) {
	res := &ImportResult{Manifest: sf.Manifest}
	s, err := create(dir, opts, func(s *Store) error {
		entry, err := s.run("Create workspace from a shared file", EntryCreate, 0, func(tx *Tx) error {
			// A new copy has nothing to merge with and nobody reads it
			// yet: its records go straight in, the header last. Should
			// the fill fail, create removes the directory.
			tx.writeDirect(keyMeta)
			return tx.importShare(sf, res, false)
		})
		res.Entry = entry
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return s, res, nil
}
