package ui

import (
	"fmt"
	"math/rand"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"briefboard/workspace"
)

// achBenchWindow opens the window on a matrix of 10 hypotheses by 200
// evidence rows, rated at random, and shows it.
func achBenchWindow(b *testing.B) (*MainWindow, *workspace.ACHMatrix) {
	b.Helper()
	s := winStore(b)
	seedCards(b, s, 200)
	var hs []string
	for i := range 10 {
		hs = append(hs, fmt.Sprintf("Hypothesis %d on how the talks end", i+1))
	}
	m, err := s.AddACHMatrix(workspace.ACHDraft{Question: "How will the talks end?", Hypotheses: hs})
	if err != nil {
		b.Fatal(err)
	}
	seed := int64(14)
	b.Logf("seed %d", seed)
	rnd := rand.New(rand.NewSource(seed))
	snap, err := s.Snapshot()
	if err != nil {
		b.Fatal(err)
	}
	_, err = s.Do("Rate", func(tx *workspace.Tx) error {
		n := 0
		for _, c := range snap.Cards {
			if n == 200 {
				break
			}
			n++
			if _, err := tx.SetACHEvidence(m.ID, c.ID, workspace.ACHWeights[rnd.Intn(3)]); err != nil {
				return err
			}
			for _, h := range m.Hypotheses {
				if err := tx.RateACH(m.ID, c.ID, h.ID, workspace.ACHRatings[rnd.Intn(6)]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	a := test.NewTempApp(b)
	a.Settings().SetTheme(newBoardTheme(ThemeLight))
	mw := NewMainWindow(a, s)
	settle(mw)
	mw.win.Resize(fyne.NewSize(1280, 800))
	b.Cleanup(func() {
		settle(mw)
		mw.win.Close()
	})
	mw.showACH(m.ID)
	if len(mw.ach.lines) != 200 {
		b.Fatalf("the view shows %d rows", len(mw.ach.lines))
	}
	return mw, m
}

// BenchmarkACH_View10x200 draws the matrix again from the snapshot:
// scores, sensitivity, rows bound.
func BenchmarkACH_View10x200(b *testing.B) {
	mw, _ := achBenchWindow(b)
	b.ResetTimer()
	for range b.N {
		mw.ach.update()
	}
}

// BenchmarkACH_Rate10x200 is a rating from the keyboard: the action
// stored, its journal entry applied and the matrix drawn again.
func BenchmarkACH_Rate10x200(b *testing.B) {
	mw, _ := achBenchWindow(b)
	b.ResetTimer()
	for i := range b.N {
		mw.ach.grid.TypedRune(rune('1' + i%6))
	}
}

// BenchmarkACH_Scroll10x200 scrolls the rows by a screen at a time.
func BenchmarkACH_Scroll10x200(b *testing.B) {
	mw, _ := achBenchWindow(b)
	l := mw.ach.list
	b.ResetTimer()
	for i := range b.N {
		l.ScrollToOffset(float32(i%20) * 300)
	}
}
