package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefboard/workspace"
)

// The window tests run the real binary in a real X server (Xvfb), drive it
// with xdotool and look at it with ImageMagick's import. They fail, never
// skip, when those tools are missing: `make test` installs them.

// newCardButton is where the toolbar's New card button sits in the
// window: first in the toolbar, under the menu bar.
var newCardButton = [2]int{60, 53}

func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: the window test needs the Debian packages xvfb, xdotool and imagemagick (make test-deps installs them)", tool)
		}
	}
}

// startXvfb starts an X server on a free display and returns its name.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb did not say which display it took")
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start within 20 s")
	}
	return ""
}

// xdo runs xdotool on the display.
func xdo(t *testing.T, display string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// screenshot saves the whole screen as a PNG.
func screenshot(t *testing.T, display, path string) image.Image {
	t.Helper()
	cmd := exec.Command("import", "-display", display, "-window", "root", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	return img
}

// blankness describes how much of a picture is one colour: a window that
// drew nothing is one colour, a board of cards is many.
func blankness(img image.Image) (colours int, dominant float64) {
	counts := map[uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[(r>>11)<<10|(g>>11)<<5|bl>>11]++
		}
	}
	total, most := 0, 0
	for _, n := range counts {
		total += n
		most = max(most, n)
	}
	return len(counts), float64(most) / float64(total)
}

// waitDrawn takes screenshots until the window has drawn itself.
func waitDrawn(t *testing.T, display, path string, maxDominant float64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		colours, dominant := blankness(screenshot(t, display, path))
		if colours >= 40 && dominant < maxDominant {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window stayed blank: %d colours, %.0f%% one colour (see %s)", colours, dominant*100, path)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// running is a started window process.
type running struct {
	exited chan struct{}
	err    error
}

// waitChanged takes screenshots until the screen differs from before in
// at least a tenth of its pixels (a dialog opening dims the window).
func waitChanged(t *testing.T, display, path string, before image.Image) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		now := screenshot(t, display, path)
		b := now.Bounds()
		diff, total := 0, 0
		for y := b.Min.Y; y < b.Max.Y; y += 4 {
			for x := b.Min.X; x < b.Max.X; x += 4 {
				r1, g1, b1, _ := now.At(x, y).RGBA()
				r2, g2, b2, _ := before.At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 {
					diff++
				}
				total++
			}
		}
		if diff*10 >= total {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen did not change (%d of %d pixels differ; see %s)", diff, total, path)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// startWindow runs the app on a workspace in the X server.
func startWindow(t *testing.T, bin, display string, args ...string) (*exec.Cmd, *bytes.Buffer, *running) {
	t.Helper()
	return startWindowIn(t, bin, display, t.TempDir(), t.TempDir(), args...)
}

// startWindowIn runs the app with its data and settings in given folders.
func startWindowIn(t *testing.T, bin, display, data, config string, args ...string) (*exec.Cmd, *bytes.Buffer, *running) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(withoutDisplay(os.Environ()), "DISPLAY="+display, "LANG=en_US.UTF-8",
		"XDG_DATA_HOME="+data, "XDG_CONFIG_HOME="+config, "FYNE_THEME=light")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &running{exited: make(chan struct{})}
	go func() {
		r.err = cmd.Wait()
		close(r.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-r.exited:
		default:
			cmd.Process.Kill()
			<-r.exited
		}
	})
	return cmd, &stderr, r
}

func waitExit(t *testing.T, r *running, stderr *bytes.Buffer) error {
	t.Helper()
	select {
	case <-r.exited:
		return r.err
	case <-time.After(30 * time.Second):
		t.Fatalf("the window did not close within 30 s; output:\n%s", stderr)
	}
	return nil
}

// keepShot copies a screenshot to $BRIEFBOARD_SHOTS, when set, to look at.
func keepShot(t *testing.T, path, name string) {
	if dir := os.Getenv("BRIEFBOARD_SHOTS"); dir != "" {
		b, err := os.ReadFile(path)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), b, 0o644)
		}
		if err != nil {
			t.Logf("keep screenshot: %v", err)
		}
	}
}

func TestWindowE2E_NewCardUnderXvfb(t *testing.T) {
	needTools(t)
	bin := buildBinary(t)
	dir := newDemo(t)
	display := startXvfb(t)
	_, stderr, done := startWindow(t, bin, display, dir)

	wid := xdo(t, display, "search", "--sync", "--name", "Briefboard")
	if i := strings.IndexByte(wid, '\n'); i > 0 {
		wid = wid[:i]
	}
	shots := t.TempDir()
	waitDrawn(t, display, filepath.Join(shots, "board.png"), 0.8)
	keepShot(t, filepath.Join(shots, "board.png"), "e2e-board.png")
	board := screenshot(t, display, filepath.Join(shots, "board.png"))

	xdo(t, display, "windowfocus", "--sync", wid)
	xdo(t, display, "mousemove", "--window", wid, fmt.Sprint(newCardButton[0]), fmt.Sprint(newCardButton[1]), "click", "1")
	// The New card dialog dims the window when it opens.
	waitChanged(t, display, filepath.Join(shots, "opening.png"), board)
	title := "Typed in a real window under Xvfb"
	xdo(t, display, "type", "--delay", "30", title)
	time.Sleep(300 * time.Millisecond)
	screenshot(t, display, filepath.Join(shots, "dialog.png"))
	keepShot(t, filepath.Join(shots, "dialog.png"), "e2e-dialog.png")
	xdo(t, display, "key", "Return")
	time.Sleep(800 * time.Millisecond)
	screenshot(t, display, filepath.Join(shots, "added.png"))
	keepShot(t, filepath.Join(shots, "added.png"), "e2e-added.png")
	xdo(t, display, "key", "ctrl+q")
	if err := waitExit(t, done, stderr); err != nil {
		t.Fatalf("the window exited with %v; output:\n%s", err, stderr)
	}
	if strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "goroutine ") {
		t.Fatalf("the window printed a stack trace:\n%s", stderr)
	}

	out, err := exec.Command(bin, "list", "--json", "--workspace", dir).Output()
	if err != nil {
		t.Fatalf("list --json after the window closed: %v", err)
	}
	var listing struct {
		Boards []struct {
			Title string `json:"title"`
			Cards []struct {
				Title string `json:"title"`
				Lane  string `json:"lane"`
			} `json:"cards"`
		} `json:"boards"`
	}
	if err := json.Unmarshal(out, &listing); err != nil {
		t.Fatalf("list --json: %v", err)
	}
	for _, b := range listing.Boards {
		for _, c := range b.Cards {
			if c.Title == title {
				if b.Title != listing.Boards[0].Title || c.Lane != "Open" {
					t.Errorf("card went to %s / %s, want the first board's Open lane", b.Title, c.Lane)
				}
				return
			}
		}
	}
	t.Fatalf("the card typed in the window is not in the workspace; output of the window:\n%s", stderr)
}

func TestWindowE2E_LockedWorkspaceShowsWhyAndNamesIt(t *testing.T) {
	needTools(t)
	bin := buildBinary(t)
	dir := newDemo(t)
	s, err := workspace.Open(dir, workspace.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	display := startXvfb(t)
	_, stderr, done := startWindow(t, bin, display, dir)
	wid := xdo(t, display, "search", "--sync", "--name", "Briefboard")
	if i := strings.IndexByte(wid, '\n'); i > 0 {
		wid = wid[:i]
	}
	shot := filepath.Join(t.TempDir(), "locked.png")
	waitDrawn(t, display, shot, 0.985)
	keepShot(t, shot, "e2e-locked.png")
	select {
	case <-done.exited:
		t.Fatalf("the window on a locked workspace went away (%v):\n%s", done.err, stderr)
	default:
	}
	xdo(t, display, "windowfocus", "--sync", wid)
	xdo(t, display, "key", "ctrl+q")
	err = waitExit(t, done, stderr)
	if err == nil {
		t.Fatal("closing the window on a locked workspace exited 0")
	}
	want := "briefboard: this workspace is open in another Briefboard window or process: " + dir
	if !strings.Contains(stderr.String(), want) {
		t.Fatalf("stderr %q does not say %q", stderr, want)
	}
	if strings.Contains(stderr.String(), "goroutine ") {
		t.Fatalf("stack trace on a locked workspace:\n%s", stderr)
	}
}

// windowID finds the window's id on the display.
func windowID(t *testing.T, display string) string {
	t.Helper()
	wid := xdo(t, display, "search", "--sync", "--name", "Briefboard")
	if i := strings.IndexByte(wid, '\n'); i > 0 {
		wid = wid[:i]
	}
	return wid
}

// waitTitle waits until the window's title holds want.
func waitTitle(t *testing.T, display, wid, want string, stderr *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		name := xdo(t, display, "getwindowname", wid)
		if strings.Contains(name, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window is titled %q, not %q; output:\n%s", name, want, stderr)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// A share file given on the command line, as the desktop entry passes a
// file opened from a file manager (Exec=briefboard %f), opens as a new
// workspace; an encrypted one asks its passphrase in the window first,
// and Enter in the prompt opens it. Changing the theme and quitting logs
// no preferences error.
func TestWindowE2E_OpensAShareFileFromTheCommandLine(t *testing.T) {
	needTools(t)
	bin := buildBinary(t)
	demo := newDemo(t)
	files := t.TempDir()
	plain := filepath.Join(files, "from colleague.briefboard")
	mustBB(t, "share", "--workspace", demo, "-o", plain)
	passFile := filepath.Join(files, "pass")
	if err := os.WriteFile(passFile, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(files, "amber for the desk.briefboard")
	mustBB(t, "share", "--workspace", demo, "-o", locked, "--passphrase-file", passFile)

	for _, tc := range []struct {
		name, file string
		encrypted  bool
	}{{"plain", plain, false}, {"encrypted", locked, true}} {
		t.Run(tc.name, func(t *testing.T) {
			display := startXvfb(t)
			data, config := t.TempDir(), t.TempDir()
			_, stderr, done := startWindowIn(t, bin, display, data, config, tc.file)
			wid := windowID(t, display)
			shots := t.TempDir()
			waitDrawn(t, display, filepath.Join(shots, "open.png"), 0.985)
			xdo(t, display, "windowfocus", "--sync", wid)
			if tc.encrypted {
				// The passphrase prompt has the cursor: type, then Enter.
				time.Sleep(500 * time.Millisecond)
				keepShot(t, screenshotPath(t, display, shots, "prompt.png"), "e2e-share-prompt.png")
				xdo(t, display, "type", "--delay", "30", "correct horse")
				xdo(t, display, "key", "Return")
			}
			waitTitle(t, display, wid, "Florida talks", stderr)
			keepShot(t, screenshotPath(t, display, shots, "opened.png"), "e2e-share-opened-"+tc.name+".png")

			// View > Theme: dark (most of the screen changes), then quit.
			light := screenshot(t, display, filepath.Join(shots, "light.png"))
			xdo(t, display, "mousemove", "--window", wid, fmt.Sprint(viewMenu[0]), fmt.Sprint(viewMenu[1]), "click", "1")
			time.Sleep(time.Second)
			xdo(t, display, "mousemove", "--window", wid, fmt.Sprint(viewMenu[0]+40), fmt.Sprint(themeDarkItem), "click", "1")
			waitChanged(t, display, filepath.Join(shots, "dark.png"), light)
			time.Sleep(time.Second)
			keepShot(t, screenshotPath(t, display, shots, "dark.png"), "e2e-share-dark-"+tc.name+".png")
			xdo(t, display, "key", "ctrl+q")
			if err := waitExit(t, done, stderr); err != nil {
				t.Fatalf("the window exited with %v; output:\n%s", err, stderr)
			}
			out := stderr.String()
			if strings.Contains(out, "Preferences load error") || strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
				t.Fatalf("the window logged an error:\n%s", out)
			}
			settings, err := os.ReadFile(filepath.Join(config, "briefboard", "settings.json"))
			if err != nil || !strings.Contains(string(settings), `"theme": "dark"`) {
				t.Errorf("the theme chosen is not in the settings (%v):\n%s", err, settings)
			}
			made, _ := filepath.Glob(filepath.Join(data, "briefboard", "workspaces", "*", "MANIFEST"))
			if len(made) != 1 {
				t.Fatalf("%d workspaces made from the file, want 1; output:\n%s", len(made), out)
			}
		})
	}
}

// Where the View menu and its Theme: dark entry are in the window.
var (
	viewMenu      = [2]int{279, 14}
	themeDarkItem = 245
)

// screenshotPath takes a screenshot into dir/name and returns its path.
func screenshotPath(t *testing.T, display, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	screenshot(t, display, p)
	return p
}
