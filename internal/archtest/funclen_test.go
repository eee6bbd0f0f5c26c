package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxFuncLines is the longest a function outside the tests may be, counted
// from its func keyword to its closing brace, unless its doc comment says
// why it cannot be split.
const maxFuncLines = 80

// longReason returns the reason a doc comment gives for a long function:
// the text after "Long:" on one of its lines, continued on the lines below
// it, or "" when there is none.
func longReason(doc *ast.CommentGroup) string {
	if doc == nil {
		return ""
	}
	_, after, ok := strings.Cut(doc.Text(), "Long:")
	if !ok {
		return ""
	}
	return strings.Join(strings.Fields(after), " ")
}

// TestFunctionLength fails for every function of the module's own code (no
// _test.go file, no testdata) longer than maxFuncLines whose doc comment has
// no "Long: <why it cannot be split>" line. A reason is a few words at least.
func TestFunctionLength(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(root, path)
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			lines := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
			if lines <= maxFuncLines {
				continue
			}
			if why := longReason(fd.Doc); len(strings.Fields(why)) < 3 {
				t.Errorf("%s:%d: %s is %d lines (over %d): split it into named steps, or say why it cannot be split in a \"Long: <reason>\" line of its doc comment",
					filepath.ToSlash(rel), fset.Position(fd.Pos()).Line, fd.Name.Name, lines, maxFuncLines)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("only %d Go files found under %s: the walk is not seeing the module", files, root)
	}
}

func TestLongReason(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want string
	}{
		{"// run does things.\n", ""},
		{"// run does things.\n//\n// Long: one table written\n// in order.\n", "one table written in order."},
		{"// Long:\n", ""},
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package x\n"+tc.doc+"func run() {}\n", parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if got := longReason(f.Decls[0].(*ast.FuncDecl).Doc); got != tc.want {
			t.Errorf("longReason(%q) = %q, want %q", tc.doc, got, tc.want)
		}
	}
}
