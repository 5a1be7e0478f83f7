package resources

import _ "embed" // the fallback font is embedded

// FallbackFont is a small subset of DejaVu Sans with the glyphs the Go fonts
// lack: Hebrew, Arabic, check marks, stars and other symbols. Its licence is
// in fonts/LICENSE-DejaVu.txt.
//
//go:embed fonts/DejaVuSans-Subset.ttf
var FallbackFont []byte
