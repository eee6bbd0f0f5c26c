// Command compare shows that a change to dpnkit changes no output: it
// builds dpnkit at two revisions, runs both on one generated data set (check
// as JSON and CSV, report, reconcile as JSON and with its workbook, two
// interface run days on a fresh history each) and compares the two output
// trees file by file. It exits 0 only when every output is identical, 1
// when something differs, 2 when it could not run. See docs/compare.md.
//
//	go run ./internal/bench/compare -base main            # main against the working tree
//	go run ./internal/bench/compare -self                 # HEAD against itself: the sanity check
//	go run ./internal/bench/compare -base HEAD~3 -scale national
package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout)) }

type config struct {
	base, new string
	self      bool
	scale     string
	data      string
	keep      bool
	verbose   bool
	seed      int
	asOf      string
	ignore    []string
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.StringVar(&c.base, "base", "", "revision to compare from (default: the merge-base of HEAD with main, or HEAD~1)")
	fs.StringVar(&c.new, "new", "", "revision to compare to (default: the working tree, uncommitted changes included)")
	fs.BoolVar(&c.self, "self", false, "compare HEAD with itself (one build run twice): the comparison's own sanity check")
	fs.StringVar(&c.scale, "scale", "trust", "data set: trust (one VPD, quick) or national (200 VPDs, about 290 MB)")
	fs.StringVar(&c.data, "data", "", "folder for the generated data, kept and reused when it holds a data set (default: a temporary folder)")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary folder (binaries, data, both output trees) and print its path")
	fs.BoolVar(&c.verbose, "v", false, "list the identical files too")
	fs.IntVar(&c.seed, "seed", 1, "dpnkit gen's random seed")
	fs.StringVar(&c.asOf, "as-of", "2026-11-25", "as-of date of the checks and the first run day (the second is the day after)")
	fs.Func("ignore", "also ignore this database column, table.column (repeatable)", func(s string) error {
		if t, col, ok := strings.Cut(s, "."); !ok || t == "" || col == "" {
			return fmt.Errorf("want table.column, got %q", s)
		}
		c.ignore = append(c.ignore, s)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.scale != "trust" && c.scale != "national" {
		return c, fmt.Errorf("-scale %q: want trust or national", c.scale)
	}
	if c.self {
		if c.base != "" || c.new != "" {
			return c, fmt.Errorf("-self compares HEAD with itself: no -base or -new")
		}
		c.base, c.new = "HEAD", "HEAD"
	}
	return c, nil
}

func run(args []string, w io.Writer) int {
	c, err := parseFlags(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		return 2
	}
	identical, err := compareBuilds(c, w)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		return 2
	}
	if !identical {
		return 1
	}
	return 0
}

// side is one build of dpnkit and where its outputs go.
type side struct {
	label string // what was built, for the summary
	bin   string
	out   string // the output tree compared
}

// compareBuilds builds both sides, runs them on one data set and compares
// their outputs.
func compareBuilds(c config, w io.Writer) (bool, error) {
	day1, err := time.Parse(time.DateOnly, c.asOf)
	if err != nil {
		return false, fmt.Errorf("-as-of: %w", err)
	}
	root, err := git(".", "rev-parse", "--show-toplevel")
	if err != nil {
		return false, err
	}
	tmp, err := os.MkdirTemp("", "dpnkit-compare-")
	if err != nil {
		return false, err
	}
	if c.keep {
		defer fmt.Fprintln(os.Stderr, "kept", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	base, nw, err := buildSides(c, root, tmp)
	if err != nil {
		return false, err
	}
	dataDir := c.data
	if dataDir == "" {
		dataDir = filepath.Join(tmp, "data")
	}
	data, err := generate(nw.bin, dataDir, c.scale, c.seed, day1)
	if err != nil {
		return false, err
	}
	all := steps(data, day1)
	for _, s := range []side{base, nw} {
		fmt.Fprintf(os.Stderr, "running %s\n", s.label)
		if err := runSteps(s.bin, s.out, filepath.Join(filepath.Dir(s.out), "stderr"), all); err != nil {
			return false, err
		}
	}
	ignore := map[string]bool{}
	for _, col := range append(slices.Clone(timeColumns), c.ignore...) {
		ignore[col] = true
	}
	results, err := compareTrees(base.out, nw.out, compareOptions{
		base: normaliser{base.out}, new: normaliser{nw.out}, ignore: ignore,
	})
	if err != nil {
		return false, err
	}
	fmt.Fprintf(w, "\n%s data set; base %s; new %s\n", c.scale, base.label, nw.label)
	return summarise(w, results, slices.Sorted(maps.Keys(ignore)), c.verbose), nil
}

// buildSides builds the base and the new binary into tmp/bin; one build
// serves both when they are the same commit.
func buildSides(c config, root, tmp string) (base, nw side, err error) {
	baseRev := c.base
	if baseRev == "" {
		baseRev, err = defaultBase(root)
		if err != nil {
			return base, nw, fmt.Errorf("default base: %w", err)
		}
	}
	baseCommit, err := resolve(root, baseRev)
	if err != nil {
		return base, nw, fmt.Errorf("-base %s: not a commit", baseRev)
	}
	base = side{label: describe(root, baseRev, baseCommit), bin: filepath.Join(tmp, "bin", "dpnkit-base"),
		out: filepath.Join(tmp, "base", "out")}
	nw = side{bin: filepath.Join(tmp, "bin", "dpnkit-new"), out: filepath.Join(tmp, "new", "out")}
	fmt.Fprintf(os.Stderr, "building base %s\n", base.label)
	if err := buildCommit(root, baseCommit, base.bin, tmp); err != nil {
		return base, nw, err
	}
	if c.new == "" {
		nw.label = worktreeLabel(root)
		fmt.Fprintf(os.Stderr, "building new %s\n", nw.label)
		return base, nw, goBuild(root, nw.bin)
	}
	newCommit, err := resolve(root, c.new)
	if err != nil {
		return base, nw, fmt.Errorf("-new %s: not a commit", c.new)
	}
	nw.label = describe(root, c.new, newCommit)
	if newCommit == baseCommit {
		nw.bin = base.bin
		return base, nw, nil
	}
	fmt.Fprintf(os.Stderr, "building new %s\n", nw.label)
	return base, nw, buildCommit(root, newCommit, nw.bin, tmp)
}

func describe(root, rev, commit string) string {
	subject, _ := git(root, "log", "-1", "--format=%s", commit)
	return fmt.Sprintf("%s (%s %s)", rev, commit[:min(len(commit), 9)], clip(subject, 60))
}

func worktreeLabel(root string) string {
	head, _ := git(root, "rev-parse", "--short=9", "HEAD")
	if st, _ := git(root, "status", "--porcelain", "--untracked-files=no"); st != "" {
		return fmt.Sprintf("the working tree (HEAD %s with uncommitted changes)", head)
	}
	return fmt.Sprintf("the working tree (HEAD %s)", head)
}

// summarise prints the comparison and reports whether everything is
// identical.
func summarise(w io.Writer, results []fileResult, ignored []string, verbose bool) bool {
	var counts [4]int
	kinds := map[string]int{}
	parts := map[string]int{}
	for _, r := range results {
		counts[r.status]++
		kinds[r.kind]++
		parts[r.kind] += r.parts
		if r.status != same || verbose {
			line := fmt.Sprintf("  %-12s %s", r.status, r.path)
			if r.detail != "" {
				line += ": " + r.detail
			}
			fmt.Fprintln(w, line)
		}
	}
	compared := len(results) - counts[onlyBase] - counts[onlyNew]
	fmt.Fprintf(w, "%d files compared: %d identical, %d differ; %d only in base, %d only in new\n",
		compared, counts[same], counts[differ], counts[onlyBase], counts[onlyNew])
	fmt.Fprintf(w, "  by kind: %d workbooks (%d parts compared one by one), %d JSON, %d databases (%d tables), %d other\n",
		kinds["xlsx"], parts["xlsx"], kinds["json"], kinds["sqlite"], parts["sqlite"], kinds["bytes"])
	fmt.Fprintf(w, "  not compared: the JSON top-level \"version\" value; database columns %s; each side's folder is $OUT\n",
		strings.Join(ignored, ", "))
	ok := compared == counts[same] && counts[onlyBase] == 0 && counts[onlyNew] == 0 && len(results) > 0
	if ok {
		fmt.Fprintln(w, "IDENTICAL")
	} else {
		fmt.Fprintln(w, "DIFFERENT")
	}
	return ok
}
