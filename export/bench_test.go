package export_test

import (
	"io"
	"testing"

	"briefboard/export"
)

func benchmarkBrief(b *testing.B, n int) {
	st, _ := bigWorkspace(b, n)
	snap := mustSnapshot(b, st)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := export.Brief(io.Discard, snap, export.Options{Date: pinned}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBrief_90Cards(b *testing.B)  { benchmarkBrief(b, 90) }
func BenchmarkBrief_900Cards(b *testing.B) { benchmarkBrief(b, 900) }

func BenchmarkMarkdown_900Cards(b *testing.B) {
	st, _ := bigWorkspace(b, 900)
	snap := mustSnapshot(b, st)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := export.Markdown(io.Discard, snap, export.Options{Date: pinned}); err != nil {
			b.Fatal(err)
		}
	}
}
