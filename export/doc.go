// Package export writes what leaves Briefboard: the PDF brief, the same
// brief as Markdown, and JSON Canvas files. Its writers are pure: they read
// a workspace snapshot and write to an io.Writer, and never import Fyne.
package export
