// Package resources holds what Briefboard embeds: the app icon and the
// workspace templates, among them the demo.
package resources

import (
	"embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed templates/*.json
var templates embed.FS

// Icon is the application icon, a 512 by 512 PNG.
//
//go:embed icon.png
var Icon []byte

// DemoTemplate is the template that a first run opens: the December 2025
// Florida talks.
const DemoTemplate = "three-pillars"

// Template returns the JSON of a named template.
func Template(name string) ([]byte, error) {
	b, err := templates.ReadFile("templates/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("no template %q (templates: %s)", name, strings.Join(TemplateNames(), ", "))
	}
	return b, nil
}

// TemplateNames lists the embedded templates.
func TemplateNames() []string {
	entries, _ := templates.ReadDir("templates")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}
