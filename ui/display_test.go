package ui

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestCheckDisplay(t *testing.T) {
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("DISPLAY", "")
	if err := CheckDisplay(); !errors.Is(err, ErrNoDisplay) {
		t.Fatalf("no display: %v", err)
	}
	// A display number that nothing listens on is a clear error, not a
	// panic in the driver later.
	t.Setenv("DISPLAY", ":4093")
	if err := CheckDisplay(); err == nil || !strings.Contains(err.Error(), ":4093") {
		t.Fatalf("unreachable display: %v", err)
	}
	// A TCP display that answers passes.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		if c, err := l.Accept(); err == nil {
			c.Close()
		}
	}()
	port := l.Addr().(*net.TCPAddr).Port
	if port > 6000 && port < 6000+65535 {
		t.Setenv("DISPLAY", "127.0.0.1:"+strconv.Itoa(port-6000))
		if err := CheckDisplay(); err != nil {
			t.Fatalf("listening display: %v", err)
		}
	}
	// Wayland alone is left to the driver.
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", filepath.Join(os.TempDir(), "wayland-0"))
	if err := CheckDisplay(); err != nil {
		t.Fatalf("wayland: %v", err)
	}
}
