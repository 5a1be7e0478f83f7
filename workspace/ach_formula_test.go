package workspace

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestACHFormula_MatchesTheDocComment keeps the formula the window and the
// brief print in step with ScoreACH's doc comment.
func TestACHFormula_MatchesTheDocComment(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "ach_score.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "ScoreACH" {
			doc = fn.Doc.Text()
		}
	}
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if doc == "" || !strings.Contains(norm(doc), norm(ACHFormula)) {
		t.Fatalf("ScoreACH's doc comment does not state ACHFormula:\n%s\n---\n%s", norm(doc), norm(ACHFormula))
	}
}
