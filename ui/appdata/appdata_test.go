package appdata

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRecent_NewestFirstWithoutDuplicates(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	if list, err := Recent(); err != nil || len(list) != 0 {
		t.Fatalf("a fresh data directory lists %v, %v", list, err)
	}
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b, a} {
		if err := NoteRecent(d); err != nil {
			t.Fatal(err)
		}
	}
	list, err := Recent()
	if err != nil || len(list) != 2 || list[0] != a || list[1] != b {
		t.Fatalf("recent %v, %v; want [%s %s]", list, err, a, b)
	}
	for i := 0; i < MaxRecent+3; i++ {
		if err := NoteRecent(filepath.Join(a, "w", string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	if list, _ := Recent(); len(list) != MaxRecent {
		t.Fatalf("%d recent workspaces remembered, want %d", len(list), MaxRecent)
	}
}

func TestNewWorkspaceDir_NamedAfterTheTitleAndFree(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	dir, err := NewWorkspaceDir("Переговори у Флориді: раунд 2")
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(data, "briefboard", "workspaces", "perehovory-u-florydi-raund-2")
	if dir != want {
		t.Fatalf("dir %s, want %s", dir, want)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if again, _ := NewWorkspaceDir("Переговори у Флориді: раунд 2"); again != want+"-2" {
		t.Fatalf("second dir %s", again)
	}
	if d, _ := NewWorkspaceDir("::: "); filepath.Base(d) != "workspace" {
		t.Fatalf("a title without letters gives %s", d)
	}
}

func TestDocumentsDir(t *testing.T) {
	home := t.TempDir()
	config := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("XDG_DOCUMENTS_DIR", "")
	// No user dirs file: home.
	if got := DocumentsDir(); got != home {
		t.Fatalf("without user dirs: %s, want %s", got, home)
	}
	docs := filepath.Join(home, "Dokumente")
	os.Mkdir(docs, 0o700)
	file := "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\nXDG_DOCUMENTS_DIR=\"$HOME/Dokumente\"\n"
	if err := os.WriteFile(filepath.Join(config, "user-dirs.dirs"), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := DocumentsDir(); got != docs {
		t.Fatalf("with user dirs: %s, want %s", got, docs)
	}
	// A folder that does not exist falls back to home.
	os.Remove(docs)
	if got := DocumentsDir(); got != home {
		t.Fatalf("missing documents folder: %s, want %s", got, home)
	}
	// An absolute path with an escaped quote.
	abs := filepath.Join(t.TempDir(), `My "docs"`)
	os.Mkdir(abs, 0o700)
	file = "XDG_DOCUMENTS_DIR=\"" + filepath.Dir(abs) + `/My \"docs\"` + "\"\n"
	os.WriteFile(filepath.Join(config, "user-dirs.dirs"), []byte(file), 0o600)
	if got := DocumentsDir(); got != abs {
		t.Fatalf("absolute documents folder: %s, want %s", got, abs)
	}
}
