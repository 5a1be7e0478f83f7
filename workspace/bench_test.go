package workspace_test

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"briefboard/workspace"
)

var benchWords = strings.Fields(`negotiators worked on the twenty point blueprint security guarantee framework
economic development plan recovery stability prosperity ceasefire territory concessions Kyiv Київ Moscow
Washington Florida Anchorage baseline feedback drafts bracketed agreed capitals sequencing reconstruction`)

func benchText(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = benchWords[r.Intn(len(benchWords))]
	}
	return strings.Join(w, " ")
}

// makeBig fills a new workspace with n cards of about 80 words, spread over
// the demo's boards and lanes, each citing a source and carrying tags, in
// actions of 250 cards. It returns the closed workspace's directory.
func makeBig(tb testing.TB, n int) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "big")
	s, err := workspace.Create(dir, loadTemplate(tb, "three-pillars"), workspace.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	snap := mustSnapshot(tb, s)
	src := snap.Sources[0].ID
	r := rand.New(rand.NewSource(7))
	for done := 0; done < n; {
		batch := min(250, n-done)
		_, err := s.Do("Add cards", func(tx *workspace.Tx) error {
			for i := 0; i < batch; i++ {
				b := snap.Boards[(done+i)%len(snap.Boards)]
				lanes := snap.Lanes[b.ID]
				c, err := tx.AddCard(workspace.CardDraft{Board: b.ID, Lane: lanes[(done+i)%len(lanes)].ID,
					Title: fmt.Sprintf("Card %d %s", done+i, benchText(r, 6)), Body: benchText(r, 80),
					Tags: []string{"t" + fmt.Sprint(r.Intn(20)), "guarantees"}})
				if err != nil {
					return err
				}
				if _, err := tx.UpdateCard(c.ID, func(c *workspace.Card) error {
					c.Citations = []workspace.Citation{{Source: src, Quote: benchText(r, 5)}}
					return nil
				}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
		done += batch
	}
	return dir
}

// BenchmarkStore_Open10000Cards opens a 10,000-card workspace and loads all
// of it, as the window and `list` do.
func BenchmarkStore_Open10000Cards(b *testing.B) {
	dir := makeBig(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := workspace.Open(dir, workspace.Options{})
		if err != nil {
			b.Fatal(err)
		}
		snap, err := s.Snapshot()
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Cards) < 10000 {
			b.Fatalf("%d cards", len(snap.Cards))
		}
		s.Close()
	}
}

// BenchmarkIndex_Search10000Cards runs live-filter queries over 10,000
// cards; building the index is measured apart.
func BenchmarkIndex_Search10000Cards(b *testing.B) {
	dir := makeBig(b, 10000)
	s, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	snap := mustSnapshot(b, s)
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			workspace.NewIndex(snap)
		}
	})
	ix := workspace.NewIndex(snap)
	queries := []string{"kyiv", "Київ guarantee", "anchorage baseline", "nothing matches this", "zelenskyy"}
	b.Run("query", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ix.Search(workspace.Query{Text: queries[i%len(queries)]})
		}
	})
}

// BenchmarkStore_EditCard persists one card edit, synced to disk, in a
// 10,000-card workspace.
func BenchmarkStore_EditCard(b *testing.B) {
	dir := makeBig(b, 10000)
	s, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	snap := mustSnapshot(b, s)
	var ids []string
	for id := range snap.Cards {
		ids = append(ids, id)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, err := s.UpdateCard(ids[i%len(ids)], "Edit card", func(c *workspace.Card) error {
			c.Body = fmt.Sprintf("edited %d", i)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
