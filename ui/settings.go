package ui

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
)

// settings are the analyst's choices that outlive a window: theme, paper,
// name, where outputs were saved, the layout of the window. They are kept
// in a file of Briefboard's own, replaced whole on each change (written
// aside, then renamed), so no reader ever sees it half written. Fyne's
// preferences file is written in place and watched: a change just before
// a read (a theme change, a quit) could log "Preferences load error: EOF".
type settings struct {
	mu     sync.Mutex
	path   string // "" keeps them in memory (tests)
	values map[string]any
}

var (
	settingsMu    sync.Mutex
	settingsByApp = map[fyne.App]*settings{}
)

// settingsOf gives the settings of an app: from the file the app was
// given with useSettingsFile, else kept in memory.
func settingsOf(a fyne.App) *settings {
	settingsMu.Lock()
	defer settingsMu.Unlock()
	s := settingsByApp[a]
	if s == nil {
		s = &settings{values: map[string]any{}}
		settingsByApp[a] = s
	}
	return s
}

// useSettingsFile backs an app's settings with a file, reading what it
// holds. A file that does not exist yet starts from the preferences an
// earlier Briefboard kept with Fyne (under the app id it had then).
func useSettingsFile(a fyne.App, path string, legacy []string) {
	s := &settings{path: path, values: map[string]any{}}
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if json.Unmarshal(b, &s.values) != nil || s.values == nil {
			// A damaged settings file is not worth stopping for.
			s.values = map[string]any{}
		}
	case errors.Is(err, fs.ErrNotExist):
		for _, p := range legacy {
			if b, err := os.ReadFile(p); err == nil {
				var old map[string]any
				if json.Unmarshal(b, &old) == nil {
					for k, v := range old {
						if !strings.HasPrefix(k, "fyne:") {
							s.values[k] = v
						}
					}
					s.save()
					break
				}
			}
		}
	}
	settingsMu.Lock()
	settingsByApp[a] = s
	settingsMu.Unlock()
}

// settingsPath is where the settings live: $XDG_CONFIG_HOME/briefboard,
// or ~/.config/briefboard.
func settingsPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "briefboard", "settings.json"), nil
}

// legacyPreferences are the Fyne preferences files of the app ids
// Briefboard had before.
func legacyPreferences() []string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return nil
	}
	return []string{filepath.Join(dir, "fyne", legacyAppID, "preferences.json")}
}

// save writes the settings aside and renames them into place.
func (s *settings) save() {
	if s.path == "" {
		return
	}
	b, err := json.MarshalIndent(s.values, "", "  ")
	if err != nil {
		fyne.LogError("Settings not saved", err)
		return
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		fyne.LogError("Settings not saved", err)
		return
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		fyne.LogError("Settings not saved", err)
		return
	}
	if err := os.Rename(tmp, s.path); err != nil {
		fyne.LogError("Settings not saved", err)
	}
}

func (s *settings) set(key string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.values[key]; ok && old == v {
		return
	}
	s.values[key] = v
	s.save()
}

// String is the text stored under key, or "".
func (s *settings) String(key string) string { return s.StringWithFallback(key, "") }

// StringWithFallback is the text stored under key, or fallback.
func (s *settings) StringWithFallback(key, fallback string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.values[key].(string); ok {
		return v
	}
	return fallback
}

// SetString stores text under key.
func (s *settings) SetString(key, v string) { s.set(key, v) }

// Bool is the switch stored under key, or false.
func (s *settings) Bool(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, _ := s.values[key].(bool)
	return v
}

// SetBool stores a switch under key.
func (s *settings) SetBool(key string, v bool) { s.set(key, v) }

// FloatWithFallback is the number stored under key, or fallback.
func (s *settings) FloatWithFallback(key string, fallback float64) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.values[key].(float64); ok {
		return v
	}
	return fallback
}

// SetFloat stores a number under key.
func (s *settings) SetFloat(key string, v float64) { s.set(key, v) }

// StringList is the list of texts stored under key, or nil.
func (s *settings) StringList(key string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch v := s.values[key].(type) {
	case []string:
		return append([]string(nil), v...)
	case []any:
		var out []string
		for _, x := range v {
			if t, ok := x.(string); ok {
				out = append(out, t)
			}
		}
		return out
	}
	return nil
}

// SetStringList stores a list of texts under key.
func (s *settings) SetStringList(key string, v []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[key] = append([]string(nil), v...)
	s.save()
}
