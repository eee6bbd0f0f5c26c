package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
)

// A rule says what the packages matching pkg may depend on. Paths are
// relative to the module ("checks", "internal/model"); a pattern ending in
// "/..." matches that package and every package below it, and "..." matches
// every package. stdOnly and forbid are about every dependency, direct or
// not (go list's Deps): a package that may not depend on report may not
// reach it through another package either. Only the packages' own code
// counts, not their tests.
type rule struct {
	pkg string

	// stdOnly: the standard library only, no module package and no
	// third-party one.
	stdOnly bool
	// only, when not nil, lists every module package the package may
	// import itself; importing any other breaks the rule (what those
	// import is their own rules' business; third-party packages are not
	// restricted).
	only []string
	// forbid lists module packages the package must not depend on.
	forbid []string
	// direct restricts forbid to the package's own imports: for a command,
	// which reaches everything through the pipeline but must not do the
	// pipeline's work itself.
	direct bool
	// planned: the package may not exist yet; its rule is there for when it
	// does. Any other rule that matches no package fails the test, so a
	// removed or renamed package takes its rule with it.
	planned bool

	why string
}

// noModulePackages is the only list of a leaf: it depends on no package of
// the module.
var noModulePackages = []string{}

// rules is the module's import policy. Every package must be matched by a
// rule other than the "..." one (TestEveryPackageHasARule), so a new
// package gets its rule by adding a line here.
var rules = []rule{
	{pkg: "...", forbid: []string{"cmd/..."},
		why: "the commands sit on top; nothing depends on them"},

	{pkg: "internal/model", stdOnly: true,
		why: "the domain types are the standard library's alone"},
	{pkg: "checks", only: []string{"internal/model"},
		why: "the position rules see positions, not files, outputs, runs or history; nor placements (reconcile sits above them)"},
	{pkg: "reconcile", only: []string{"checks", "internal/model"},
		why: "placement matching is a domain beside the position rules: it runs on their result and sees nothing else"},
	{pkg: "internal/load", forbid: []string{"checks", "report", "internal/exchange", "internal/history",
		"internal/pipeline", "fixtures"},
		why: "loading turns files into model rows and knows nothing of what is done with them"},
	{pkg: "internal/exchange", forbid: []string{"report", "internal/pipeline", "internal/history",
		"internal/load", "fixtures"},
		why: "the interface simulation works on loaded rows and the last state, and writes nothing"},
	{pkg: "report", forbid: []string{"internal/pipeline", "internal/history", "internal/load",
		"internal/xlsx", "fixtures"},
		why: "the writers take results; they neither load inputs nor keep state"},
	{pkg: "internal/history", forbid: []string{"report", "internal/pipeline", "internal/load", "fixtures"},
		why: "the run history stores state; it does not write outputs or drive runs"},
	{pkg: "fixtures", forbid: []string{"report", "internal/pipeline", "internal/exchange", "internal/history"},
		why: "the generator writes inputs and the answers a correct check gives, independently of the writers"},
	{pkg: "internal/pipeline",
		why: "the pipeline joins the layers below the commands; the \"...\" rule keeps it off cmd"},
	{pkg: "cmd/...", direct: true, forbid: []string{"report", "internal/exchange", "internal/history", "internal/xlsx"},
		why: "commands stay thin: they parse flags and call the pipeline, which does the work"},

	{pkg: "internal/config", only: []string{"checks", "reconcile", "internal/model", "internal/atomicfile"},
		why: "the configuration file is parsed into the rules' own policy and plain values (both catalogues name the rules, model the local office codes); the commands merge it with their flags; init's example is written like every other file"},
	{pkg: "internal/xlsx", stdOnly: true,
		why: "the .xlsx reader is the standard library's alone"},
	{pkg: "internal/filename", stdOnly: true,
		why: "file-name sanitising is a leaf"},
	{pkg: "internal/progress", stdOnly: true,
		why: "the progress bar is a leaf"},
	{pkg: "internal/termtable", only: noModulePackages,
		why: "the terminal table formatter is a leaf every printer uses"},
	{pkg: "internal/hugepages", stdOnly: true,
		why: "a system call and nothing else"},
	{pkg: "internal/iostreams", only: []string{"internal/progress"},
		why: "the streams carry a progress bar and nothing else of the module"},
	{pkg: "internal/bench", only: []string{"fixtures"},
		why: "the national measurement runs the binary; it generates its data with fixtures"},
	{pkg: "internal/bench/xlsxread", only: []string{"internal/xlsx"},
		why: "measures internal/xlsx against excelize's reader, nothing else"},
	{pkg: "internal/bench/compare", only: noModulePackages,
		why: "compare builds two revisions of dpnkit and must not depend on either"},
	{pkg: "internal/serve", direct: true, forbid: []string{"internal/history", "internal/xlsx", "internal/exchange", "fixtures"},
		why: "the web page runs the pipeline's jobs as the commands do, and keeps nothing"},
	{pkg: "internal/serve/assets", stdOnly: true,
		why: "the web page's embedded files, which the server and the HTML report share"},
	{pkg: "internal/archtest", only: noModulePackages,
		why: "these tests read go list, not the packages"},

	// Packages planned by the renovation (issue 18). They may be absent.
	{pkg: "internal/interchange", forbid: []string{"report", "internal/pipeline", "internal/history",
		"internal/load", "fixtures"},
		why: "the interchange records are written from the exchange's results, by the pipeline"},
	{pkg: "internal/redact", only: []string{"internal/model"},
		why: "redaction is a policy every writer uses"},
	{pkg: "internal/atomicfile", only: noModulePackages,
		why: "the all-or-nothing file batch is a leaf every writer uses (golang.org/x/sys/unix for syncfs, which the standard library lacks)"},
}

// pkg is what go list -json says of one package.
type pkg struct {
	ImportPath string
	Standard   bool
	DepOnly    bool
	Imports    []string
	Deps       []string
}

// module is the module's path, its packages (relative paths, sorted) and
// every package go list saw, standard ones included, by import path.
type module struct {
	path string
	dir  string
	own  []string
	all  map[string]*pkg
}

// listModule runs go list on every package of the module, once for all
// the tests.
func listModule(t *testing.T) *module {
	t.Helper()
	m, err := listOnce()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var listOnce = sync.OnceValues(func() (*module, error) {
	out, err := goCmd("list", "-m", "-f", "{{.Path}}\t{{.Dir}}")
	if err != nil {
		return nil, err
	}
	path, dir, ok := strings.Cut(strings.TrimSpace(out), "\t")
	if !ok {
		return nil, fmt.Errorf("go list -m: unexpected output %q", out)
	}
	m := &module{path: path, dir: dir, all: map[string]*pkg{}}
	// -pgo=off: with the profile-guided build, go list names the
	// command's dependencies as variants ("checks [dpnkit/cmd/dpnkit]").
	if out, err = goCmd("list", "-pgo=off", "-deps", "-json", path+"/..."); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		p := new(pkg)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list -json: %w", err)
		}
		m.all[p.ImportPath] = p
		if !p.DepOnly {
			m.own = append(m.own, m.rel(p.ImportPath))
		}
	}
	slices.Sort(m.own)
	if len(m.own) == 0 {
		return nil, errors.New("go list found no package in the module")
	}
	return m, nil
})

func goCmd(args ...string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.Command("go", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}

// rel is p relative to the module, or "" for a package outside it.
func (m *module) rel(p string) string {
	if p == m.path {
		return "."
	}
	if r, ok := strings.CutPrefix(p, m.path+"/"); ok {
		return r
	}
	return ""
}

// matches reports whether the module-relative path p matches pattern.
func matches(pattern, p string) bool {
	if pattern == "..." {
		return true
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == base || strings.HasPrefix(p, base+"/")
	}
	return p == pattern
}

func matchesAny(patterns []string, p string) bool {
	return slices.ContainsFunc(patterns, func(pat string) bool { return matches(pat, p) })
}

// violations lists, one line each, how the packages of m break r.
func (m *module) violations(r rule) []string {
	var out []string
	for _, name := range m.own {
		if !matches(r.pkg, name) {
			continue
		}
		p := m.all[m.path+"/"+name]
		deps := p.Deps
		if r.direct {
			deps = p.Imports
		}
		for _, d := range deps {
			if why := m.breaks(r, d, slices.Contains(p.Imports, d)); why != "" {
				out = append(out, name+" depends on "+d+m.via(p, d)+": "+why)
			}
		}
	}
	return out
}

// breaks says why depending on import path d (imported directly or not)
// breaks r, or "" when it does not.
func (m *module) breaks(r rule, d string, direct bool) string {
	if dp := m.all[d]; dp != nil && dp.Standard {
		return ""
	}
	rel := m.rel(d)
	switch {
	case r.stdOnly:
		return "only the standard library is allowed"
	case rel == "":
		return ""
	case r.only != nil && direct && !slices.Contains(r.only, rel):
		return "not among the module packages it may import " + listOrNone(r.only)
	case matchesAny(r.forbid, rel):
		return "forbidden"
	}
	return ""
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// via names the chain of imports from p to d when d is not a direct import.
func (m *module) via(p *pkg, d string) string {
	if slices.Contains(p.Imports, d) {
		return ""
	}
	prev := map[string]string{p.ImportPath: ""}
	queue := []string{p.ImportPath}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == d {
			var chain []string
			for x := prev[d]; x != p.ImportPath; x = prev[x] {
				chain = append(chain, x)
			}
			slices.Reverse(chain)
			return " (through " + strings.Join(chain, " -> ") + ")"
		}
		if q := m.all[cur]; q != nil {
			for _, i := range q.Imports {
				if _, seen := prev[i]; !seen {
					prev[i] = cur
					queue = append(queue, i)
				}
			}
		}
	}
	return ""
}

func TestImportRules(t *testing.T) {
	m := listModule(t)
	for _, r := range rules {
		matched := slices.ContainsFunc(m.own, func(p string) bool { return matches(r.pkg, p) })
		if !matched && !r.planned {
			t.Errorf("rule for %q matches no package: remove it or mark it planned", r.pkg)
		}
		for _, v := range m.violations(r) {
			t.Errorf("%s (rule %q: %s)", v, r.pkg, r.why)
		}
	}
}

func TestEveryPackageHasARule(t *testing.T) {
	m := listModule(t)
	for _, p := range m.own {
		if !slices.ContainsFunc(rules, func(r rule) bool { return r.pkg != "..." && matches(r.pkg, p) }) {
			t.Errorf("package %s has no import rule: add a line to rules in internal/archtest/imports_test.go", p)
		}
	}
}

// TestRuleCheckerCatches runs the checker on a made-up module, so that a
// checker that finds nothing cannot pass unnoticed.
func TestRuleCheckerCatches(t *testing.T) {
	m := &module{path: "x", own: []string{"a", "b", "c", "cmd/x"}, all: map[string]*pkg{
		"x/a":     {ImportPath: "x/a", Imports: []string{"fmt", "x/b"}, Deps: []string{"fmt", "x/b", "x/c"}},
		"x/b":     {ImportPath: "x/b", Imports: []string{"x/c"}, Deps: []string{"x/c"}},
		"x/c":     {ImportPath: "x/c", Imports: []string{"ext.org/y"}, Deps: []string{"ext.org/y"}},
		"x/cmd/x": {ImportPath: "x/cmd/x", Imports: []string{"x/a"}, Deps: []string{"fmt", "x/a", "x/b", "x/c"}},
		"fmt":     {ImportPath: "fmt", Standard: true},
	}}
	for _, tc := range []struct {
		r    rule
		want []string
	}{
		{rule{pkg: "a", forbid: []string{"c"}}, []string{"a depends on x/c (through x/b): forbidden"}},
		{rule{pkg: "a", forbid: []string{"c"}, direct: true}, nil},
		{rule{pkg: "cmd/...", forbid: []string{"b"}, direct: true}, nil},
		{rule{pkg: "cmd/...", forbid: []string{"a"}, direct: true}, []string{"cmd/x depends on x/a: forbidden"}},
		{rule{pkg: "b", only: []string{"a"}}, []string{"b depends on x/c: not among the module packages it may import (a)"}},
		{rule{pkg: "b", only: noModulePackages}, []string{"b depends on x/c: not among the module packages it may import (none)"}},
		{rule{pkg: "a", only: []string{"b"}}, nil},
		{rule{pkg: "cmd/...", only: []string{"b"}}, []string{"cmd/x depends on x/a: not among the module packages it may import (b)"}},
		{rule{pkg: "c", only: noModulePackages}, nil},
		{rule{pkg: "c", stdOnly: true}, []string{"c depends on ext.org/y: only the standard library is allowed"}},
		{rule{pkg: "...", forbid: []string{"cmd/..."}}, nil},
		{rule{pkg: "...", forbid: []string{"b/..."}}, []string{
			"a depends on x/b: forbidden", "cmd/x depends on x/b (through x/a): forbidden"}},
	} {
		if got := m.violations(tc.r); !slices.Equal(got, tc.want) {
			t.Errorf("rule %+v:\n got %q\nwant %q", tc.r, got, tc.want)
		}
	}
}
