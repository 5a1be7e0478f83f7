package canvas_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"briefboard/export"
	"briefboard/workspace"
	"briefboard/workspace/canvas"
	"briefboard/workspace/workspacetest"
)

// BenchmarkImport_Big10000 imports the JSON Canvas of the generated
// benchmark workspace (10,000 cards of about 80 words, with annotations
// and quoted citations) into a new empty workspace, as `canvas import`
// does. Parsing is measured apart.
func BenchmarkImport_Big10000(b *testing.B) {
	s, _ := workspacetest.Big(b, workspacetest.BigCards)
	var buf bytes.Buffer
	if err := export.Canvas(&buf, workspacetest.Snapshot(b, s)); err != nil {
		b.Fatal(err)
	}
	b.Logf("canvas of %d bytes", buf.Len())
	b.Run("Parse", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := canvas.Parse(bytes.NewReader(buf.Bytes())); err != nil {
				b.Fatal(err)
			}
		}
	})
	c, err := canvas.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Import", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dst, err := workspace.Create(filepath.Join(b.TempDir(), "ws"), workspacetest.Template(b, "empty"), workspace.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			sum, err := canvas.Import(dst, c)
			if err != nil {
				b.Fatal(err)
			}
			if sum.CardsCreated != workspacetest.BigCards {
				b.Fatalf("imported %d cards", sum.CardsCreated)
			}
			b.StopTimer()
			dst.Close()
			b.StartTimer()
		}
	})
}
