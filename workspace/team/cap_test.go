package team

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"briefboard/workspace"
)

// The cap: nothing above it reaches the folder, whatever the copies do.
// Every file of the folder is opened the way an outsider with the
// passphrase would (age, then zip) and searched.

func TestCap_RedNeverReachesTheFolder(t *testing.T) {
	root := t.TempDir()
	opts := Options{Passphrase: testPass, SnapshotEvery: 2}
	a := newStore(t)
	fa := mustOpen(t, a, root, opts)
	snap, _ := a.Snapshot()
	board := snap.Boards[0].ID
	red, amber, green := workspace.TLPRed, workspace.TLPAmber, workspace.TLPGreen
	secret := []string{}
	add := func(title string, tlp *workspace.TLP, boardID string) *workspace.Card {
		c, err := a.AddCard(workspace.CardDraft{Board: boardID, Title: title, Body: title + " body", TLP: tlp})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// A RED card, edited several times.
	redCard := add("RED-MARKER card", &red, board)
	secret = append(secret, "RED-MARKER", redCard.ID)
	mustRound(t, fa)
	for _, body := range []string{"RED-MARKER edit one", "RED-MARKER edit two"} {
		if _, err := a.UpdateCard(redCard.ID, "Edit", func(c *workspace.Card) error { c.Body = body; return nil }); err != nil {
			t.Fatal(err)
		}
		mustRound(t, fa)
	}
	// A GREEN card on a RED board: the board is its floor.
	rb, err := a.AddBoard("RED-BOARD-MARKER", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetMarking("board/"+rb.ID, red); err != nil {
		t.Fatal(err)
	}
	floored := add("FLOOR-MARKER card", &green, rb.ID)
	secret = append(secret, "RED-BOARD-MARKER", "FLOOR-MARKER", rb.ID, floored.ID)
	mustRound(t, fa)
	// An AMBER card sent, then raised to RED and edited: the edit stays.
	raised := add("AMBER card later raised", &amber, board)
	mustRound(t, fa)
	if err := a.SetMarking("card/"+raised.ID, red); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UpdateCard(raised.ID, "Edit", func(c *workspace.Card) error { c.Body = "RAISED-MARKER"; return nil }); err != nil {
		t.Fatal(err)
	}
	secret = append(secret, "RAISED-MARKER")
	// A RED annotation on a GREEN card.
	greenCard := add("GREEN-MARKER card", &green, board)
	if _, err := a.AddAnnotation(greenCard.ID, workspace.AnnComment, "ANNOTATION-MARKER", &red); err != nil {
		t.Fatal(err)
	}
	secret = append(secret, "ANNOTATION-MARKER")
	rep := mustRound(t, fa)
	// A colleague joins and works; the withheld stay withheld.
	b, fb := newCopy(t, root, opts)
	mustRound(t, fb)
	if _, err := b.UpdateCard(greenCard.ID, "Edit", func(c *workspace.Card) error { c.Body = "GREEN-MARKER from B"; return nil }); err != nil {
		t.Fatal(err)
	}
	mustRound(t, fb)
	for i := 0; i < 3; i++ {
		rep = mustRound(t, fa)
		mustRound(t, fb)
	}
	// Withheld by name and count on every round.
	names := map[string]bool{}
	for _, w := range rep.Withheld {
		names[w.Title] = true
	}
	for _, want := range []string{"RED-MARKER card", "FLOOR-MARKER card", "AMBER card later raised", "ANNOTATION-MARKER", "RED-BOARD-MARKER"} {
		if !names[want] {
			t.Errorf("the round does not report %q withheld: %+v", want, rep.Withheld)
		}
	}
	if c := rep.Counts(); c.Withheld != len(rep.Withheld) || !strings.Contains(rep.Summary(), "withheld") {
		t.Errorf("counts %+v, summary %q", c, rep.Summary())
	}

	found := searchFolder(t, root, testPass, append(secret, "GREEN-MARKER from B", "GREEN-MARKER card"), 5)
	for _, s := range secret {
		if found[s] {
			t.Errorf("%q reached the team folder", s)
		}
	}
	// Positive controls: the same search finds what is allowed, and finds
	// the secrets in an uncapped share file of the same workspace.
	if !found["GREEN-MARKER from B"] || !found["GREEN-MARKER card"] {
		t.Fatalf("the search does not find the GREEN card in the folder: %v", found)
	}
	share := filepath.Join(t.TempDir(), "all.briefboard")
	if _, err := a.ShareToFile(share, workspace.ShareOptions{}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(share)
	inShare := searchBytes(t, "share", data, nil, secret)
	for _, s := range secret {
		if !inShare[s] {
			t.Errorf("the uncapped share file should hold %q", s)
		}
	}
}

// searchFolder opens every file of a team folder as an outsider with the
// passphrase would and reports which of the words it holds.
func searchFolder(t *testing.T, root string, pass []byte, words []string, minSegments int) map[string]bool {
	t.Helper()
	found := map[string]bool{}
	var ids []age.Identity
	// Team files first: their keys open the segments.
	var files []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	for _, p := range files {
		if !strings.HasPrefix(filepath.Base(p), teamPrefix) {
			continue
		}
		sid, _ := age.NewScryptIdentity(string(pass))
		data, _ := os.ReadFile(p)
		r, err := age.Decrypt(bytes.NewReader(data), sid)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		plain, _ := io.ReadAll(r)
		var info struct {
			Identity string `json:"identity"`
		}
		json.Unmarshal(plain, &info)
		id, err := age.ParseX25519Identity(info.Identity)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		ids = append(ids, id)
		mark(found, plain, words)
	}
	segments := 0
	for _, p := range files {
		data, _ := os.ReadFile(p)
		mark(found, data, words)
		if !bytes.HasPrefix(data, []byte(segMagic)) {
			continue
		}
		segments++
		rest := data[len(segMagic):]
		line := rest[:bytes.IndexByte(rest, '\n')]
		var h struct {
			Size int `json:"size"`
		}
		if err := json.Unmarshal(line[:bytes.LastIndexByte(line, ' ')], &h); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		start := len(segMagic) + len(line) + 1
		body := data[start : start+h.Size]
		for k, v := range searchBytes(t, p, body, ids, words) {
			found[k] = found[k] || v
		}
	}
	if segments < minSegments {
		t.Fatalf("only %d segments in the folder", segments)
	}
	return found
}

// searchBytes decrypts (when it is age) and unzips a share file, and
// reports which words its entries hold.
func searchBytes(t *testing.T, name string, data []byte, ids []age.Identity, words []string) map[string]bool {
	t.Helper()
	if bytes.HasPrefix(data, []byte(ageHeader)) {
		r, err := age.Decrypt(bytes.NewReader(data), ids...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, _ = io.ReadAll(r)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	found := map[string]bool{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		mark(found, b, words)
	}
	return found
}

func mark(found map[string]bool, data []byte, words []string) {
	for _, w := range words {
		if bytes.Contains(data, []byte(w)) {
			found[w] = true
		}
	}
}

func TestCap_HeaderAboveTheCapStopsSendingNotReceiving(t *testing.T) {
	p := newPair(t)
	// B marks the workspace header RED: nothing of B's can go out now.
	if err := p.b.SetMarking("meta", workspace.TLPRed); err != nil {
		t.Fatal(err)
	}
	rep, err := p.fb.Round(context.Background())
	if !errors.Is(err, workspace.ErrAboveCap) || !strings.Contains(err.Error(), "TLP:RED") {
		t.Fatalf("round: %v, want the header above the cap", err)
	}
	t.Log(err)
	if rep.Sent != nil || len(rep.Received) != 1 || !p.hasCard(t) {
		t.Fatalf("B should still receive A's segment: sent %+v, received %+v", rep.Sent, rep.Received)
	}
	// A receives nothing of B's.
	if rep := mustRound(t, p.fa); len(rep.Received) != 0 {
		t.Fatalf("A received %+v", rep.Received)
	}
}

func TestFolder_AnotherFolderStartsAfresh(t *testing.T) {
	p := newPair(t)
	// The same folder by another path: a symbolic link to it.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(p.root, link); err != nil {
		t.Fatal(err)
	}
	fb, err := Open(p.b, link, Options{Passphrase: testPass})
	if err != nil {
		t.Fatal(err)
	}
	rep := mustRound(t, fb)
	if len(rep.Damaged)+len(rep.Waiting) != 0 || !p.hasCard(t) {
		t.Fatalf("through the link: %+v", rep)
	}
	// A folder of its own for B alone: its first segment is a snapshot.
	other := t.TempDir()
	fo, err := Open(p.b, other, Options{Passphrase: testPass})
	if err != nil {
		t.Fatal(err)
	}
	if rep := mustRound(t, fo); rep.Sent == nil || !rep.Sent.Snapshot {
		t.Fatalf("a new folder should get a snapshot first: %+v", rep.Sent)
	}
}
