package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"briefboard/ui"
	"briefboard/workspace"
)

// The package's metadata makes Briefboard a desktop citizen: a reverse-DNS
// app id (the desktop entry is named after it), no website it does not
// own, a desktop entry that takes the file it is asked to open, and a
// shared-mime-info type for share files that the package installs.
func TestDesktop_AppIDEntryAndMimeType(t *testing.T) {
	root := filepath.Join("..", "..")
	toml, err := os.ReadFile(filepath.Join(root, "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*ID\s*=\s*"([^"]+)"`).FindSubmatch(toml)
	if m == nil || string(m[1]) != ui.AppID {
		t.Fatalf("FyneApp.toml's ID %q differs from the app's %q", m, ui.AppID)
	}
	if !regexp.MustCompile(`^[a-z][a-z0-9]*(\.[a-z0-9-]+){2,}\.[A-Za-z][A-Za-z0-9]*$`).MatchString(ui.AppID) || strings.HasSuffix(ui.AppID, ".desktop") {
		t.Errorf("app id %q is not reverse DNS ending in the app's name", ui.AppID)
	}
	if regexp.MustCompile(`(?mi)^\s*Website\s*=`).Match(toml) {
		t.Error("FyneApp.toml names a website")
	}
	if !regexp.MustCompile(`(?m)^\s*ExecParams\s*=\s*" %f"`).Match(toml) {
		t.Error("the desktop entry's Exec line takes no file")
	}

	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	mt := regexp.MustCompile(`(?m)^MIME_TYPE\s*:=\s*(\S+)`).FindSubmatch(mk)
	if mt == nil || !strings.Contains(string(mk), "add-mime.sh") {
		t.Fatal("the Makefile's package target adds no MIME type")
	}
	raw, err := os.ReadFile(filepath.Join(root, "resources", "linux", "briefboard-mime.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Types []struct {
			Type  string `xml:"type,attr"`
			Globs []struct {
				Pattern string `xml:"pattern,attr"`
			} `xml:"glob"`
		} `xml:"mime-type"`
	}
	if err := xml.Unmarshal(raw, &info); err != nil {
		t.Fatalf("the MIME definition: %v", err)
	}
	if len(info.Types) != 1 || info.Types[0].Type != string(mt[1]) ||
		len(info.Types[0].Globs) != 1 || info.Types[0].Globs[0].Pattern != "*"+workspace.ShareExt {
		t.Fatalf("the MIME definition %+v does not give %s to *%s", info, mt[1], workspace.ShareExt)
	}
}
