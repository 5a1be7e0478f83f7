package ui

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// ErrNoDisplay says there is no screen to open the window on.
var ErrNoDisplay = errors.New("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); the headless commands work without one: see briefboard --help")

// CheckDisplay reports, as one clear error, an X display that cannot be
// reached: the GUI driver would otherwise panic with a stack trace when it
// starts. Only X11 displays of the usual forms (":0", ":0.0",
// "host:10.0") are checked; anything else is left to the driver.
func CheckDisplay() error {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return nil
	}
	d := os.Getenv("DISPLAY")
	if d == "" {
		if os.Getenv("WAYLAND_DISPLAY") != "" {
			return nil
		}
		return ErrNoDisplay
	}
	host, rest, ok := strings.Cut(d, ":")
	if !ok {
		return nil
	}
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if err != nil || strings.Contains(host, "/") {
		return nil
	}
	var conn net.Conn
	if host == "" || host == "unix" {
		conn, err = net.DialTimeout("unix", "/tmp/.X11-unix/X"+num, 3*time.Second)
		if err != nil {
			// Linux X servers also listen on an abstract socket.
			conn, err = net.DialTimeout("unix", "@/tmp/.X11-unix/X"+num, 3*time.Second)
		}
	} else {
		conn, err = net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)), 3*time.Second)
	}
	if err != nil {
		return fmt.Errorf("cannot reach the display %s to open the window on: is its X server running?", d)
	}
	conn.Close()
	return nil
}
