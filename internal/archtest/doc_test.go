package archtest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// docTable reads the package table of docs/architecture.md: every line
// of the form "| `pkg` | job | `a`, `b` |" (or "—" for no import), as
// package -> imports.
func docTable(t *testing.T, text string) map[string][]string {
	t.Helper()
	table := map[string][]string{}
	for n, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 3 {
			t.Errorf("docs/architecture.md:%d: a package row needs 3 cells (package, job, imports), has %d", n+1, len(cells))
			continue
		}
		name := strings.Trim(cells[0], "`")
		if _, dup := table[name]; dup {
			t.Errorf("docs/architecture.md:%d: %s listed twice", n+1, name)
		}
		imports := []string{}
		if c := strings.TrimSpace(cells[2]); c != "—" {
			for _, i := range strings.Split(c, ", ") {
				imports = append(imports, strings.Trim(i, "`"))
			}
		}
		table[name] = imports
	}
	return table
}

// moduleImports is p's direct imports of module packages, relative and sorted.
func (m *module) moduleImports(p string) []string {
	out := []string{}
	for _, i := range m.all[m.path+"/"+p].Imports {
		if r := m.rel(i); r != "" {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

func TestArchitectureDoc(t *testing.T) {
	m := listModule(t)
	b, err := os.ReadFile(filepath.Join(m.dir, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := docTable(t, string(b))
	for _, p := range m.own {
		got, ok := doc[p]
		want := m.moduleImports(p)
		switch {
		case !ok:
			t.Errorf("docs/architecture.md does not list package %s; add its row: | `%s` | <its one job> | %s |",
				p, p, importsCell(want))
		case !slices.Equal(got, want):
			t.Errorf("docs/architecture.md says %s imports %s; go list says %s", p, importsCell(got), importsCell(want))
		}
	}
	for name := range doc {
		if !slices.Contains(m.own, name) {
			t.Errorf("docs/architecture.md lists %s, which is not a package of the module", name)
		}
	}
}

func importsCell(imports []string) string {
	if len(imports) == 0 {
		return "—"
	}
	return "`" + strings.Join(imports, "`, `") + "`"
}

func TestDocTableParse(t *testing.T) {
	got := docTable(t, "intro\n| package | job | imports |\n|---|---|---|\n"+
		"| `a` | does a | — |\n| `b/c` | does b, c and d | `a`, `d/e` |\n")
	want := map[string][]string{"a": {}, "b/c": {"a", "d/e"}}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
}
