package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
)

// writeListingByMarshal is how `list --json` was written before cards were
// written by hand: every part through json.MarshalIndent. The listing
// must stay byte for byte the same.
func writeListingByMarshal(out io.Writer, snap *workspace.Snapshot) error {
	w := bufio.NewWriter(out)
	l := newListing(snap, false)
	put := func(indent string, v any) {
		b, err := json.MarshalIndent(v, indent, "  ")
		if err != nil {
			panic(err)
		}
		w.Write(b)
	}
	w.WriteString("{\n  \"workspace\": ")
	put("  ", l.Workspace)
	w.WriteString(",\n  \"boards\": [")
	for i, b := range snap.Boards {
		if i > 0 {
			w.WriteString(",")
		}
		lb := l.Boards[i]
		w.WriteString("\n    {\n      \"id\": ")
		put("", lb.ID)
		w.WriteString(",\n      \"title\": ")
		put("", lb.Title)
		w.WriteString(",\n      \"purpose\": ")
		put("", lb.Purpose)
		w.WriteString(",\n      \"role\": ")
		put("", lb.Role)
		w.WriteString(",\n      \"lanes\": ")
		put("      ", lb.Lanes)
		w.WriteString(",\n      \"laneIds\": ")
		put("      ", lb.LaneIDs)
		w.WriteString(",\n      \"tlp\": ")
		put("", lb.TLP)
		w.WriteString(",\n      \"cards\": [")
		for j, c := range snap.BoardCards(b.ID) {
			if j > 0 {
				w.WriteString(",")
			}
			w.WriteString("\n        ")
			put("        ", newListCard(snap, c))
		}
		w.WriteString("\n      ]\n    }")
	}
	w.WriteString("\n  ],\n  \"sources\": ")
	put("  ", l.Sources)
	w.WriteString(",\n  \"stray\": ")
	put("  ", l.Stray)
	w.WriteString("\n}\n")
	return w.Flush()
}

func TestListing_SameBytesAsMarshalIndent(t *testing.T) {
	a, b, tmp := colleagues(t)
	ids := cardIDs(listJSON(t, a))
	// Conflicts, a deletion, text that needs escaping, stances with and
	// without notes, a marking raised by a colleague.
	mustBB(t, "card", "edit", "--workspace", a, "--id", ids[0], "--title", "Title from A")
	mustBB(t, "card", "edit", "--workspace", b, "--id", ids[0], "--title", "Title from B")
	mustBB(t, "card", "edit", "--workspace", b, "--id", ids[1], "--tlp", "red")
	mustBB(t, "card", "delete", "--workspace", b, "--id", ids[2])
	board := listJSON(t, b)["boards"].([]any)[1].(map[string]any)["id"].(string)
	if s, err := workspace.Open(b, workspace.Options{}); err != nil {
		t.Fatal(err)
	} else {
		err := s.SetMarking("board/"+board, workspace.TLPAmberStrict)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewSource(seed))
	pieces := []string{"a", " ", `"`, `\`, "<", ">", "&", "\n", "\t", "é", "Київ", "\u2028", "😀", "\u00a0"}
	text := func(n int) string {
		var s strings.Builder
		for i := 0; i < n; i++ {
			s.WriteString(pieces[r.Intn(len(pieces))])
		}
		return s.String()
	}
	for i := 3; i < 8 && i < len(ids); i++ {
		mustBB(t, "card", "edit", "--workspace", b, "--id", ids[i], "--body", text(40), "--tags", "x,<é&>"+strings.Repeat("\u2028", r.Intn(2)))
	}
	file := filepath.Join(tmp, "b.briefboard")
	mustBB(t, "share", "--workspace", b, "-o", file)
	mustBB(t, "import", file, "--workspace", a)

	for _, dir := range []string{a, b} {
		s, err := workspace.Open(dir, workspace.Options{})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := s.Snapshot()
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got, want bytes.Buffer
		if err := writeListing(&got, snap); err != nil {
			t.Fatal(err)
		}
		if err := writeListingByMarshal(&want, snap); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			g, w := got.String(), want.String()
			i := 0
			for i < len(g) && i < len(w) && g[i] == w[i] {
				i++
			}
			t.Fatalf("listing of %s differs at byte %d:\n got %q\nwant %q", dir, i, g[max(0, i-80):min(len(g), i+80)], w[max(0, i-80):min(len(w), i+80)])
		}
		if dir == a && !strings.Contains(got.String(), "\"conflicts\": [\n            {") {
			t.Errorf("the listing of %s shows no card with a conflict", dir)
		}
		for _, want := range []string{`"tlpReason": "`, "\"annotations\": [\n            {", "\"positions\": {\n            \""} {
			if !strings.Contains(got.String(), want) {
				t.Errorf("the listing of %s has no %s", dir, want)
			}
		}
		if !strings.Contains(got.String(), `\u003c`) || !strings.Contains(got.String(), `\u2028`) {
			t.Errorf("the listing of %s holds no text that needs escaping", dir)
		}
	}
}

func TestAppendJSONString_AsMarshal(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.Intn(12))
		for j := range b {
			b[j] = byte(r.Intn(256))
			if r.Intn(3) == 0 {
				const special = "\xe2\x80\xa8\xa9<>&\"\\ \n"
				b[j] = special[r.Intn(len(special))]
			}
		}
		want, _ := json.Marshal(string(b))
		if got := workspace.AppendJSONString(nil, string(b)); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", b, got, want)
		}
	}
}
