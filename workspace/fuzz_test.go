package workspace_test

import (
	"encoding/json"
	"testing"

	"briefboard/workspace"
)

var recordKinds = workspace.RecordKinds()

// FuzzDecodeRecord feeds arbitrary bytes to the strict record decoder: it
// must return an error or a valid record, never panic, and a record it
// accepts must survive a round trip through its fields unchanged.
func FuzzDecodeRecord(f *testing.F) {
	f.Add(0, []byte(`{"id":"abc","title":"T","defaultTlp":"green","parties":[{"id":"us","name":"US"}]}`))
	f.Add(3, []byte(`{"id":"c1","board":"b1","lane":"l1","order":"V","title":"Київ","kind":"judgment","tlp":"amber+strict","positions":{"ua":{"stance":"red-line","note":"n"}},"likelihood":"likely","confidence":"low","createdAt":"2025-12-28T09:00:00Z","updatedAt":"2025-12-28T09:00:00Z"}`))
	f.Add(4, []byte(`{"id":"s1","title":"S","grade":{"reliability":"F","credibility":6},"tlp":"red","infoDate":"2025-12"}`))
	f.Add(5, []byte(`{"id":"a1","card":"c1","author":"A","kind":"caveat","text":"x","tlp":"clear","at":"2025-12-28T09:00:00Z"}`))
	f.Add(3, []byte(`{"id":"c1","board":"b1","lane":"l1","order":"V0","title":"t","kind":"note","tlp":"white"}`))
	f.Add(1, []byte(`{"id":"b","title":"x","order":"V"} trailing`))
	f.Add(2, []byte("\xff\xfe"))
	kindIndex := func(k workspace.RecordKind) int {
		for i, x := range recordKinds {
			if x == k {
				return i
			}
		}
		return 0
	}
	f.Add(kindIndex(workspace.RecACH), []byte(`{"id":"m1","question":"Q?","hypotheses":[{"id":"h1","title":"A"},{"id":"h2","title":"B"}],"indicators":{"h1":[{"text":"t","status":"seen","card":"c1"}],"h2":[]},"tlp":"green","createdAt":"2025-12-28T09:00:00Z"}`))
	f.Add(kindIndex(workspace.RecACHRow), []byte(`{"id":"c1","matrix":"m1","card":"c1","weight":"high","cells":{"h1":"II","h2":"CC"},"tlp":"clear","at":"2025-12-28T09:00:00Z"}`))
	f.Fuzz(func(t *testing.T, k int, data []byte) {
		if k < 0 {
			k = -k
		}
		kind := recordKinds[k%len(recordKinds)]
		rec, err := workspace.DecodeRecord(kind, data)
		if err != nil {
			return
		}
		fields, err := workspace.Fields(rec)
		if err != nil {
			t.Fatalf("fields of an accepted %s: %v", kind, err)
		}
		names := make([]string, 0, len(fields))
		for n := range fields {
			names = append(names, n)
		}
		// Rebuild the record from its unstamped keys and its stamped
		// fields alone: a key that neither carries is lost, and the
		// whole JSON differs.
		raw, _ := json.Marshal(rec)
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			t.Fatal(err)
		}
		fixed := map[string]json.RawMessage{}
		for _, k := range workspace.FixedFields(kind) {
			if v, ok := obj[k]; ok {
				fixed[k] = v
			}
		}
		fixedJSON, _ := json.Marshal(fixed)
		fresh := workspace.NewRecord(kind)
		if err := json.Unmarshal(fixedJSON, fresh); err != nil {
			t.Fatal(err)
		}
		if err := workspace.SetFields(fresh, names, fields); err != nil {
			t.Fatalf("set fields of an accepted %s: %v", kind, err)
		}
		again, _ := json.Marshal(fresh)
		if string(again) != string(raw) {
			t.Fatalf("round trip through fields changed the %s:\n%s\n%s", kind, raw, again)
		}
		changed, err := workspace.ChangedFields(rec, fresh)
		if err != nil || len(changed) > 0 {
			t.Fatalf("round trip through fields changed %v (%v)", changed, err)
		}
	})
}
