package workspace

import (
	"os"
	"testing"
)

func BenchmarkZZSnapshot(b *testing.B) {
	dir := os.Getenv("ZZ_WS")
	if dir == "" {
		b.Skip()
	}
	s, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.Snapshot(); err != nil {
			b.Fatal(err)
		}
	}
}
