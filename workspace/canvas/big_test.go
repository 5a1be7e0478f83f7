package canvas_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"briefboard/workspace/canvas"
)

// bigCanvas writes a canvas of n text nodes of about 1,450 bytes each (15
// MB for 10,000): two boards of two lanes each hold three quarters of
// them, the rest lie outside every group; every tenth node links to the
// next.
func bigCanvas(n int) []byte {
	var b bytes.Buffer
	b.WriteString("{\"nodes\":[\n")
	rows := n/4 + 1
	h := rows*220 + 200
	for i := 0; i < 2; i++ {
		bx := i * 2000
		fmt.Fprintf(&b, `{"id":"board%d","type":"group","label":"Pillar %d","x":%d,"y":0,"width":1800,"height":%d},`+"\n", i, i+1, bx, h)
		for j := 0; j < 2; j++ {
			fmt.Fprintf(&b, `{"id":"lane%d-%d","type":"group","label":"Lane %d","x":%d,"y":80,"width":800,"height":%d},`+"\n", i, j, j+1, bx+40+j*880, h-100)
		}
	}
	para := strings.Repeat("The delegations met again on the draft text and agreed to return to it after consultations in capitals. ", 14)
	for i := 0; i < n; i++ {
		x, y := 0, 0
		switch q := i % 4; q {
		case 3:
			x, y = 5000+(i%40)*420, h+500+(i/40)*220
		default:
			board, lane := q/2, q%2
			if q == 2 {
				board, lane = 1, i/4%2
			}
			x, y = board*2000+60+lane*880, 100+(i/4)*220
		}
		text, _ := json.Marshal(fmt.Sprintf("# Point %d of the draft\n\n%s", i, para))
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id":"n%d","type":"text","text":%s,"x":%d,"y":%d,"width":400,"height":200}`, i, text, x, y)
	}
	b.WriteString("\n],\"edges\":[\n")
	first := true
	for i := 0; i+1 < n; i += 10 {
		if !first {
			b.WriteString(",\n")
		}
		first = false
		fmt.Fprintf(&b, `{"id":"e%d","fromNode":"n%d","toNode":"n%d","label":"depends-on"}`, i, i, i+1)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

// A 15 MB canvas of 10,000 text nodes imports whole, as one action, and
// undoes as one.
func TestImport_10000Nodes(t *testing.T) {
	data := bigCanvas(10_000)
	if len(data) < 15_000_000 {
		t.Fatalf("canvas is %d bytes, want 15 MB", len(data))
	}
	c, err := canvas.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	s := mustCreate(t, "empty")
	logBefore, _ := s.Log(time.Time{})
	sum := mustImport(t, s, c)
	if sum.CardsCreated != 10_000 || sum.Links != 1000 || sum.BoardsCreated != 3 {
		t.Errorf("summary %+v", sum)
	}
	logAfter, _ := s.Log(time.Time{})
	if len(logAfter) != len(logBefore)+1 || logAfter[len(logAfter)-1].Action != "Import canvas" {
		t.Fatalf("%d journal entries after %d", len(logAfter), len(logBefore))
	}
	snap := mustSnapshot(t, s)
	if len(snap.Cards) != 10_000 {
		t.Fatalf("%d cards", len(snap.Cards))
	}
	// Lanes keep the canvas's top-down order.
	p1 := boardTitled(t, snap, "Pillar 1")
	got := cardsIn(snap, p1.ID, "Lane 1")
	if len(got) != 2500 || got[0] != "Point 0 of the draft" || got[1] != "Point 4 of the draft" || got[2499] != "Point 9996 of the draft" {
		t.Errorf("Pillar 1 / Lane 1 has %d cards: %q ... %q", len(got), got[:3], got[len(got)-1])
	}
	inbox := boardTitled(t, snap, canvas.InboxBoard)
	if n := len(snap.BoardCards(inbox.ID)); n != 2500 {
		t.Errorf("Inbox board has %d cards", n)
	}
	for _, c := range snap.Cards {
		if len(c.Order) > 3 {
			t.Fatalf("order key %q is long", c.Order)
		}
	}
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if n := len(mustSnapshot(t, s).Cards); n != 0 {
		t.Errorf("undo left %d cards", n)
	}
}

func BenchmarkParse_10000Nodes(b *testing.B) {
	data := bigCanvas(10_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := canvas.Parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImport_10000Nodes(b *testing.B) {
	data := bigCanvas(10_000)
	c, err := canvas.Parse(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := mustCreate(b, "empty")
		b.StartTimer()
		if _, err := canvas.Import(s, c); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

func BenchmarkWrite_10000Nodes(b *testing.B) {
	c, err := canvas.Parse(bytes.NewReader(bigCanvas(10_000)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := c.Write(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport_10000NodesMarked is BenchmarkImport_10000Nodes with a
// banner and a stricter label on every fifth node: the markings to work
// out and raise.
func BenchmarkImport_10000NodesMarked(b *testing.B) {
	data := bigCanvas(10_000)
	data = bytes.Replace(data, []byte("{\"nodes\":[\n"),
		[]byte("{\"nodes\":[\n"+`{"id":"banner","type":"text","text":"TLP:GREEN","x":0,"y":-400,"width":200,"height":60},`+"\n"), 1)
	data = bytes.ReplaceAll(data, []byte("5 of the draft"), []byte("5 of the draft TLP:AMBER"))
	data = bytes.ReplaceAll(data, []byte("0 of the draft"), []byte("0 of the draft TLP:AMBER"))
	c, err := canvas.Parse(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := mustCreate(b, "empty")
		b.StartTimer()
		if _, err := canvas.Import(s, c); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
