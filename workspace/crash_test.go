package workspace

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"briefboard/resources"
)

// TestCrashChild is the child of TestStore_SurvivesSIGKILL: it applies
// edits to the workspace in BB_CRASH_DIR and reports each one on stdout once
// the store has acknowledged it, until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("BB_CRASH_DIR")
	if dir == "" {
		return // only runs as a child process
	}
	s, err := Open(dir, Options{})
	if err != nil {
		fmt.Println("open failed:", err)
		os.Exit(3)
	}
	snap, err := s.Snapshot()
	if err != nil {
		fmt.Println("read failed:", err)
		os.Exit(3)
	}
	b := snap.Boards[0]
	trial := os.Getenv("BB_CRASH_TRIAL")
	// Say when a large action's stage has committed, and give the parent
	// a moment to kill inside the window before it is copied into place.
	// An ordinary add is staged too when its lane is renumbered: only the
	// bulk action's stage is said.
	inBulk := false
	stageHook = func() {
		if !inBulk {
			return
		}
		fmt.Printf("staged %s\n", trial)
		time.Sleep(50 * time.Millisecond)
	}
	for i := 0; ; i++ {
		if i%40 == 39 {
			// A large action, staged: it must land whole or not at all.
			inBulk = true
			_, err := s.Do("Add many", func(tx *Tx) error {
				for j := 0; j < 1500; j++ {
					if _, err := tx.AddCard(CardDraft{Board: b.ID, Title: "bulk " + trial, Body: strings.Repeat("b", 300)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				fmt.Println("bulk failed:", err)
				os.Exit(3)
			}
			inBulk = false
			fmt.Printf("bulk %s\n", trial)
			continue
		}
		title := fmt.Sprintf("crash %s %d", trial, i)
		c, err := s.AddCard(CardDraft{Board: b.ID, Title: title})
		if err != nil {
			fmt.Println("add failed:", err)
			os.Exit(3)
		}
		fmt.Printf("done %s %s\n", c.ID, title)
	}
}

// TestStore_SurvivesSIGKILL kills a child process that is writing, at random
// moments, and checks on reopen that every edit it reported as done is
// there, that large actions landed whole or not at all, and that the store
// opens cleanly.
func TestStore_SurvivesSIGKILL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	data, err := resources.Template("empty")
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := ParseTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Create(dir, tpl, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewSource(seed))
	inWindow := 0
	done := map[string]string{}
	bulkDone := map[string]bool{}
	const trials = 24
	for trial := 0; trial < trials; trial++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BB_CRASH_DIR="+dir, fmt.Sprintf("BB_CRASH_TRIAL=%d", trial))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 10000)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Every third trial kills the child as soon as a large action's
		// stage has committed; the others wait for the first acknowledged
		// edit, then kill at a random moment.
		var seen []string
		var delay time.Duration
		if trial%3 == 2 {
			for l := range lines {
				seen = append(seen, l)
				if strings.HasPrefix(l, "staged ") {
					break
				}
			}
		} else {
			seen = append(seen, <-lines)
			delay = time.Duration(r.Intn(400)) * time.Millisecond
			time.Sleep(delay)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		staged := false
		for _, l := range append(seen, drain(lines)...) {
			f := strings.SplitN(l, " ", 3)
			switch {
			case len(f) == 3 && f[0] == "done":
				done[f[1]] = f[2]
			case len(f) == 2 && f[0] == "bulk":
				bulkDone[f[1]] = true
				staged = false
			case len(f) == 2 && f[0] == "staged":
				staged = true
			case l != "":
				t.Fatalf("trial %d: child said %q", trial, l)
			}
		}
		s, err := Open(dir, Options{})
		if err != nil {
			t.Fatalf("trial %d (killed after %v): reopen: %v", trial, delay, err)
		}
		if s.Recovered() {
			inWindow++
		}
		stagedTrials := map[string]bool{}
		if staged {
			stagedTrials[fmt.Sprint(trial)] = true
		}
		snap, err := s.Snapshot()
		if err != nil {
			t.Fatalf("trial %d: read after crash: %v", trial, err)
		}
		for id, title := range done {
			c := snap.Cards[id]
			if c == nil || c.Title != title {
				t.Fatalf("trial %d: acknowledged card %s %q is missing after SIGKILL", trial, id, title)
			}
		}
		bulk := map[string]int{}
		for _, c := range snap.Cards {
			if strings.HasPrefix(c.Title, "bulk ") {
				bulk[strings.TrimPrefix(c.Title, "bulk ")]++
			}
		}
		for tr, n := range bulk {
			if n%1500 != 0 {
				t.Fatalf("trial %s: a large action landed in part: %d cards", tr, n)
			}
		}
		for tr := range bulkDone {
			if bulk[tr] == 0 {
				t.Fatalf("trial %s: an acknowledged large action is missing", tr)
			}
		}
		// A large action whose stage had committed lands whole, though
		// the kill came before it was acknowledged.
		for tr := range stagedTrials {
			if bulk[tr] != 1500 {
				t.Fatalf("trial %s: a large action killed after its stage committed left %d cards, not 1500", tr, bulk[tr])
			}
		}
		s.Close()
	}
	if inWindow == 0 {
		t.Fatal("no kill landed inside a large action's staged commit")
	}
	t.Logf("%d trials, %d kills inside a staged commit, %d acknowledged cards, %d acknowledged large actions, all present",
		trials, inWindow, len(done), len(bulkDone))
}

func drain(c chan string) []string {
	var out []string
	for l := range c {
		out = append(out, l)
	}
	return out
}
