package workspace

import (
	"encoding/json"
	"fmt"
)

// Extra is data an interchange file carried that Briefboard does not model
// and keeps for a later export of that format: the unknown top-level keys
// of a JSON Canvas, say. It has its own marking, that of the file it came
// from, so an output capped below it leaves it out (DESIGN.md 4a).
// Briefboard itself never acts on it.
//
// (Data that belongs to one record, such as a canvas node's unknown keys,
// rides in that record's own Extra field, at its marking.)
type Extra struct {
	Base
	// Format names the interchange format, such as "canvas".
	Format string `json:"format"`
	// Data is a JSON object, as the format's reader and writer define it.
	Data json.RawMessage `json:"data,omitempty"`
	TLP  TLP             `json:"tlp"`
}

// Validate checks kept interchange data.
func (x *Extra) Validate() error {
	if err := checkID("id", "Interchange data id", x.ID); err != nil {
		return err
	}
	if !ValidID(x.Format) {
		return invalid("format", "the interchange format %s is not a valid name", jsonString(x.Format))
	}
	if err := checkExtra(x.Data); err != nil {
		return &ValidationError{Field: "data", Reason: err.Error()}
	}
	return checkTLP("tlp", x.TLP)
}

// Extra returns kept interchange data, deleted or not.
func (tx *Tx) Extra(id string) (*Extra, error) {
	var x Extra
	if err := tx.get([]byte(prefixExtra+id), &x); err != nil {
		return nil, fmt.Errorf("interchange data %s: %w", id, ErrNotFound)
	}
	return &x, nil
}

// PutExtra creates or updates kept interchange data.
func (tx *Tx) PutExtra(x *Extra) error {
	old, err := tx.Extra(x.ID)
	if err != nil {
		old = nil
	}
	return tx.put(nilIfNil(old), x)
}
