package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// dataset is the generated input both binaries read.
type dataset struct {
	positions  []string // absolute paths
	placements string
	day2       string // the next day's placements
	people     string
}

// generate writes the data set with bin's `dpnkit gen` into dir, unless dir
// already holds one (the next day's placements are written last).
func generate(bin, dir, scale string, seed int, asOf time.Time) (dataset, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dataset{}, err
	}
	d := dataset{
		placements: filepath.Join(abs, "placements.csv"),
		day2:       filepath.Join(abs, "placements_day2.csv"),
		people:     filepath.Join(abs, "people.csv"),
	}
	if _, err := os.Stat(d.day2); err == nil {
		fmt.Fprintf(os.Stderr, "using the data set already in %s\n", abs)
	} else {
		fmt.Fprintf(os.Stderr, "generating the %s data set into %s\n", scale, abs)
		cmd := exec.Command(bin, "gen", "-q", "--scale", scale, "--seed", fmt.Sprint(seed),
			"--as-of", asOf.Format(time.DateOnly), "--out", abs)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return d, fmt.Errorf("dpnkit gen: %w", err)
		}
	}
	all, err := filepath.Glob(filepath.Join(abs, "positions*.csv"))
	// The bench's 200,000-positions-sharing-one-DPN file (make bench-dup)
	// lives beside the national data but is not `gen`'s: left out.
	for _, p := range all {
		if filepath.Base(p) != "positions_dup200k.csv" {
			d.positions = append(d.positions, p)
		}
	}
	if err != nil || len(d.positions) == 0 {
		return d, fmt.Errorf("no positions*.csv in %s", abs)
	}
	slices.Sort(d.positions)
	return d, nil
}

// step is one dpnkit command; its standard output is kept in the output
// tree as stdout.
type step struct {
	name   string
	stdout string
	args   []string
}

// steps are the commands each binary runs, in its own output folder (the
// working directory, so every output path is relative and the same on both
// sides), on the same inputs: check as JSON and CSV, report's workbooks,
// reconcile as JSON and with its workbook, and two interface run days on a
// fresh history.
func steps(d dataset, day1 time.Time) []step {
	d1, d2 := day1.Format(time.DateOnly), day1.AddDate(0, 0, 1).Format(time.DateOnly)
	pos := d.positions
	var posFlags []string
	for _, p := range pos {
		posFlags = append(posFlags, "--positions", p)
	}
	rec := append(slices.Clone(posFlags), "--placements", d.placements)
	run := func(day, placements, out string) []string {
		return append([]string{"run", "-q", "--as-of", day, "--db", "history.db", "--out", out,
			"--placements", placements, "--people", d.people}, posFlags...)
	}
	return []step{
		{"check json", "check.json", append([]string{"check", "-q", "--as-of", d1, "--format", "json"}, pos...)},
		{"check csv", "check.csv", append([]string{"check", "-q", "--as-of", d1, "--format", "csv"}, pos...)},
		{"report", "report.txt", append([]string{"report", "-q", "--as-of", d1, "--out", "report"}, pos...)},
		{"reconcile json", "reconcile.json", append([]string{"reconcile", "-q", "--as-of", d1, "--format", "json"}, rec...)},
		{"reconcile --out", "reconcile.txt", append([]string{"reconcile", "-q", "--as-of", d1, "--out", "reconcile"}, rec...)},
		{"run day 1", "run-day1.txt", run(d1, d.placements, "run-day1")},
		{"run day 2", "run-day2.txt", run(d2, d.day2, "run-day2")},
	}
}

// runSteps runs every step with bin in out (created), keeping each step's
// standard output there and its standard error in errDir, and writes the
// exit statuses to out/exit-status.txt: they are compared like any output.
// A step that could not run (exit status 2 or more) is reported and the
// others still run.
func runSteps(bin, out, errDir string, all []step) error {
	if err := os.MkdirAll(out, 0o700); err != nil {
		return err
	}
	if err := os.MkdirAll(errDir, 0o700); err != nil {
		return err
	}
	var status bytes.Buffer
	for i, s := range all {
		cmd := exec.Command(bin, s.args...)
		cmd.Dir = out
		cmd.Env = childEnv()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := errors.AsType[*exec.ExitError](err); ok {
			code = ee.ExitCode()
		} else if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Fprintf(&status, "%s: %d\n", s.name, code)
		if code >= 2 || code < 0 {
			fmt.Fprintf(os.Stderr, "  %s: exit status %d: %s\n", s.name, code, lastLine(stderr.Bytes()))
		}
		if err := os.WriteFile(filepath.Join(out, s.stdout), stdout.Bytes(), 0o600); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(errDir, fmt.Sprintf("%d-%s.txt", i+1, strings.ReplaceAll(s.name, " ", "-"))),
			stderr.Bytes(), 0o600); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(out, "exit-status.txt"), status.Bytes(), 0o600)
}

// childEnv is this process's environment without DPNKIT_PASSWORD: an
// encrypted workbook could not be compared part by part.
func childEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "DPNKIT_PASSWORD=")
	})
}

func lastLine(b []byte) string {
	b = bytes.TrimSpace(b)
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[i+1:]
	}
	return clip(string(b), 200)
}
