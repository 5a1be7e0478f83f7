package workspace_test

import (
	"syscall"
	"testing"
	"time"

	"briefboard/workspace"
	"briefboard/workspace/workspacetest"
)

// BenchmarkChanges_10000Cards measures what a brief and the window pay to
// say what changed: the comparison of a recorded brief of 10,000 cards
// with the workspace now, after a round that edited, moved, raised and
// deleted cards. The snapshot is read once, outside the timing.
func BenchmarkChanges_10000Cards(b *testing.B) {
	s, _ := workspacetest.Big(b, workspacetest.BigCards)
	day := time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC)
	rb := record(b, s, workspace.BriefSpec{Date: day})
	snap := mustSnapshot(b, s)
	n := 0
	for id := range snap.Cards {
		if n++; n > 200 {
			break
		}
		var err error
		switch n % 4 {
		case 0:
			_, err = s.UpdateCard(id, "Edit", func(c *workspace.Card) error { c.Title += " (revised)"; return nil })
		case 1:
			err = s.MoveCard(id, workspace.Move{Lane: "Agreed"})
		case 2:
			err = s.SetMarking("card/"+id, workspace.TLPRed)
		default:
			err = s.DeleteCard(id)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	snap = mustSnapshot(b, s)
	base := workspace.BriefBaseline(rb)
	green := workspace.TLPGreen
	for _, c := range []struct {
		name string
		spec workspace.BriefSpec
	}{{"uncapped", rb.Spec(nil)}, {"green", rb.Spec(&green)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for i := 0; i < b.N; i++ {
				ch, err := snap.ChangesSince(base, c.spec)
				if err != nil {
					b.Fatal(err)
				}
				if len(ch.List) < 100 {
					b.Fatalf("only %d changes", len(ch.List))
				}
			}
		})
	}
	b.Run("digest", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		for i := 0; i < b.N; i++ {
			if _, err := snap.NewBrief(workspace.BriefSpec{Date: day}); err != nil {
				b.Fatal(err)
			}
		}
	})
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
