package check_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"briefboard/workspace"
	"briefboard/workspace/check"
	"briefboard/workspace/workspacetest"
)

// bigWorkspace fills a store with n cards over the template's boards, a
// tenth of them key judgments with estimative words, hedges and supporting
// cards, the rest facts, statements and notes citing a pool of sources,
// some with open questions. The mix is fixed by seed.
func bigWorkspace(tb testing.TB, s *workspace.Store, n int, seed int64) {
	tb.Helper()
	rng := rand.New(rand.NewSource(seed))
	snap, err := s.Snapshot()
	if err != nil {
		tb.Fatal(err)
	}
	var srcs []string
	for i := 0; i < 200; i++ {
		g := workspace.Grade{Reliability: workspace.Reliability("ABCDEF"[rng.Intn(6)]), Credibility: workspace.Credibility(1 + rng.Intn(6))}
		src, err := s.AddSource(workspace.Source{Title: fmt.Sprintf("Source %d", i), Grade: g,
			InfoDate: fmt.Sprintf("2025-%02d", 1+rng.Intn(12)), TLP: workspace.TLP(rng.Intn(3))}, false)
		if err != nil {
			tb.Fatal(err)
		}
		srcs = append(srcs, src.ID)
	}
	bodies := []string{
		"We judge it likely that talks resume in January, because both sides say so. Moscow could still stall.",
		"It is unlikely that the text settles before spring; Ushakov said “what absolutely cannot.” Kyiv may wait.",
		"There is a roughly even chance that guarantees come first. We have moderate confidence in this.",
		"Officials described the meetings as productive and said the drafts were ready for review in capitals.",
		"Зеленський said the basic block of documents is ready. Умєров returned to Kyiv with the first drafts.",
	}
	kinds := []workspace.Kind{workspace.KindFact, workspace.KindStatement, workspace.KindNote, workspace.KindRisk, workspace.KindQuestion}
	var judgments []string
	const batch = 250
	for done := 0; done < n; done += batch {
		_, err := s.Do("Add cards", func(tx *workspace.Tx) error {
			for i := done; i < min(done+batch, n); i++ {
				bd := snap.Boards[i%len(snap.Boards)]
				kind := kinds[rng.Intn(len(kinds))]
				if i%10 == 0 {
					kind = workspace.KindJudgment
				}
				tlp := workspace.TLP(rng.Intn(3))
				c, err := tx.AddCard(workspace.CardDraft{Board: bd.ID, Lane: snap.Lanes[bd.ID][i%3].ID,
					Title: fmt.Sprintf("Card %d likely on track", i), Body: bodies[rng.Intn(len(bodies))], Kind: kind, TLP: &tlp})
				if err != nil {
					return err
				}
				_, err = tx.UpdateCard(c.ID, func(c *workspace.Card) error {
					for k := rng.Intn(4); k > 0; k-- {
						quote := ""
						if rng.Intn(3) > 0 {
							quote = "the words it rests on"
						}
						c.Citations = append(c.Citations, workspace.Citation{Source: srcs[rng.Intn(len(srcs))], Quote: quote})
					}
					if kind == workspace.KindJudgment {
						c.Likelihood = workspace.Likelihoods[rng.Intn(len(workspace.Likelihoods))]
						if rng.Intn(4) > 0 {
							c.Confidence = workspace.Confidences[rng.Intn(3)]
						}
					} else if len(judgments) > 0 && rng.Intn(5) == 0 {
						c.Links = []workspace.Link{{To: judgments[rng.Intn(len(judgments))], Type: workspace.LinkSupports}}
					}
					return nil
				})
				if err != nil {
					return err
				}
				if kind == workspace.KindJudgment {
					judgments = append(judgments, c.ID)
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

var (
	bigOnce sync.Once
	bigSnap *workspace.Snapshot
)

// bigSnapshot is a snapshot of a 10,000-card workspace, made once per
// process; the store behind it is closed and removed straight away.
func bigSnapshot(b *testing.B) *workspace.Snapshot {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "check-bench-")
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
		s, err := workspace.Create(filepath.Join(dir, "ws"), workspacetest.Template(b, "empty"),
			workspace.Options{Now: workspacetest.Clock(workspacetest.Start)})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		const seed = 20251228
		b.Logf("seed %d", seed)
		bigWorkspace(b, s, 10_000, seed)
		if bigSnap, err = s.Snapshot(); err != nil {
			b.Fatal(err)
		}
	})
	if bigSnap == nil {
		b.Fatal("no big workspace")
	}
	return bigSnap
}

func BenchmarkCheck_10000Cards(b *testing.B) {
	snap := bigSnapshot(b)
	if len(snap.Cards) != 10_000 {
		b.Fatalf("%d cards", len(snap.Cards))
	}
	opts := check.Options{Date: briefDate}
	fs, err := check.Run(snap, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := check.Run(snap, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(fs)), "findings")
}

// BenchmarkIndex_EditOf10000Cards brings an index of 10,000 cards up to
// date after one card's edit (a key judgment's title, so its supporters
// are checked again too) and counts the open ones: the work a window's
// Checks panel does per edit. The snapshot read is not counted.
func BenchmarkIndex_EditOf10000Cards(b *testing.B) {
	dir := b.TempDir()
	s, err := workspace.Create(filepath.Join(dir, "ws"), workspacetest.Template(b, "empty"),
		workspace.Options{Now: workspacetest.Clock(workspacetest.Start)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	bigWorkspace(b, s, 10_000, 20251228)
	snap := workspacetest.Snapshot(b, s)
	opts := check.Options{Date: briefDate}
	x, err := check.NewIndex(snap, opts)
	if err != nil {
		b.Fatal(err)
	}
	var judgment string
	for _, c := range snap.Cards {
		if c.IsKeyJudgment() && len(snap.Backlinks(c.ID)) > 0 {
			judgment = c.ID
			break
		}
	}
	var last *workspace.Entry
	stop := s.OnChange(func(e *workspace.Entry) { last = e })
	defer stop()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, err := s.UpdateCard(judgment, "Edit", func(c *workspace.Card) error {
			c.Title = fmt.Sprintf("Talks likely resume, take %d", i)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		cur := workspacetest.Snapshot(b, s)
		b.StartTimer()
		if err := x.Update(cur, check.TouchedBy(last)); err != nil {
			b.Fatal(err)
		}
		x.Count()
	}
	open, _ := x.Count()
	b.ReportMetric(float64(open), "open")
}
