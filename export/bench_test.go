package export_test

import (
	"io"
	"syscall"
	"testing"
	"time"

	"briefboard/export"
)

func benchmarkBrief(b *testing.B, n int) {
	st, _ := bigWorkspace(b, n)
	snap := mustSnapshot(b, st)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
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

// BenchmarkBrief_900CardsRecorded is BenchmarkBrief_900Cards with what an
// issued brief adds: its record worked out (BriefRecord) and stored
// (Store.RecordBrief, one action). Compare the two.
func BenchmarkBrief_900CardsRecorded(b *testing.B) {
	st, _ := bigWorkspace(b, 900)
	snap := mustSnapshot(b, st)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		opts := export.Options{Date: pinned}
		if err := export.Brief(io.Discard, snap, opts); err != nil {
			b.Fatal(err)
		}
		rb, err := export.BriefRecord(snap, opts)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.RecordBrief(rb); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBriefRecord_900Cards is the recording alone: what
// BenchmarkBrief_900CardsRecorded adds to BenchmarkBrief_900Cards.
func BenchmarkBriefRecord_900Cards(b *testing.B) {
	st, _ := bigWorkspace(b, 900)
	snap := mustSnapshot(b, st)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		rb, err := export.BriefRecord(snap, export.Options{Date: pinned})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.RecordBrief(rb); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU reports the process's CPU time per operation (user and
// system, garbage collection included) beside the wall time, which on a
// busy machine says more about the machine than about the code.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() { b.ReportMetric(float64(cpu()-start)/float64(b.N)/1e6, "cpu-ms/op") }
}
