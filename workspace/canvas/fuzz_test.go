package canvas

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that the reader never panics, that it refuses a file
// with one ErrInvalid line, and that what it accepts it writes back to
// bytes that read as the same canvas; and that working out boards, lanes
// and cards from any accepted canvas places every node exactly once.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.canvas"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{}`, `[]`, `{"nodes":[{"id":"a","type":"text","text":"x","x":1e2,"y":0,"width":1,"height":1}]}`,
		`{"nodes":[{"id":"g","type":"group","x":0,"y":0,"width":9,"height":9},{"id":"h","type":"group","x":0,"y":0,"width":9,"height":9},` +
			`{"id":"a","type":"link","url":"u","x":1,"y":1,"width":1,"height":1}],"edges":[{"id":"e","fromNode":"a","toNode":"g","toEnd":"none"}]}`,
		"\xEF\xBB\xBF{\"x\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q is not one ErrInvalid line", err)
			}
			return
		}
		var a, b bytes.Buffer
		if err := c.Write(&a); err != nil {
			t.Fatalf("write: %v", err)
		}
		again, err := Parse(bytes.NewReader(a.Bytes()))
		if err != nil {
			t.Fatalf("what was written does not read: %v\n%s", err, a.Bytes())
		}
		if err := again.Write(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("round trip differs:\n%s\n%s", a.Bytes(), b.Bytes())
		}
		p, err := makePlan(c)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("plan error %v is not ErrInvalid", err)
			}
			return
		}
		placed := map[*cardPlan]int{}
		for _, bp := range p.boards {
			for _, lp := range append(append([]*lanePlan(nil), bp.lanes...), bp.loose) {
				if lp != nil {
					for _, cp := range lp.cards {
						placed[cp]++
					}
				}
			}
		}
		for _, cp := range p.cards {
			if placed[cp] != 1 {
				t.Fatalf("node %q placed %d times", cp.node.ID, placed[cp])
			}
		}
		if len(placed) != len(p.cards) {
			t.Fatalf("%d placed, %d cards", len(placed), len(p.cards))
		}
	})
}
