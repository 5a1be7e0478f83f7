package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestSettings_TakeOverTheOldPreferencesAndReplaceTheFileWhole(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	legacy := legacyPreferences()
	if len(legacy) != 1 || legacy[0] != filepath.Join(config, "fyne", legacyAppID, "preferences.json") {
		t.Fatalf("legacy preferences looked for at %v", legacy)
	}
	old := map[string]any{"theme": "dark", "analystName": "Оксана", "saveFolder.ws1": "/srv/out", "fyne:fileDialogLastFolder": "file:///x"}
	b, _ := json.Marshal(old)
	os.MkdirAll(filepath.Dir(legacy[0]), 0o700)
	if err := os.WriteFile(legacy[0], b, 0o600); err != nil {
		t.Fatal(err)
	}
	path, err := settingsPath()
	if err != nil || path != filepath.Join(config, "briefboard", "settings.json") {
		t.Fatalf("settings at %s (%v)", path, err)
	}
	a := test.NewTempApp(t)
	useSettingsFile(a, path, legacy)
	s := settingsOf(a)
	if s.String(prefTheme) != "dark" || s.String(prefName) != "Оксана" || s.String(prefSaveFolder+"ws1") != "/srv/out" {
		t.Fatalf("not taken over: %v", s.values)
	}
	if s.String("fyne:fileDialogLastFolder") != "" {
		t.Error("Fyne's own keys were taken over")
	}
	s.SetFloat(prefLaneWidth, 240)
	s.SetStringList(prefRecentFolders, []string{"/a", "/b"})
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Error("the file written aside was left behind")
	}
	// A later start reads the file, and no longer the old preferences.
	os.Remove(legacy[0])
	b2 := test.NewTempApp(t)
	useSettingsFile(b2, path, legacy)
	s2 := settingsOf(b2)
	if s2.String(prefTheme) != "dark" || s2.FloatWithFallback(prefLaneWidth, 0) != 240 || len(s2.StringList(prefRecentFolders)) != 2 {
		t.Fatalf("read back: %v", s2.values)
	}
	// A damaged file is not worth stopping for.
	os.WriteFile(path, []byte("{not json"), 0o600)
	c := test.NewTempApp(t)
	useSettingsFile(c, path, legacy)
	if got := settingsOf(c).StringWithFallback(prefTheme, ThemeSystem); got != ThemeSystem {
		t.Fatalf("a damaged file gave theme %q", got)
	}
}
