package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The check against DuckDB and the ReuseRecord baseline (issue: national
// check faster than DuckDB). The three are run in rounds, their order
// rotated from round to round, and compared round by round: on a machine
// shared with other work a minute's drift moves all three alike, so the
// median of the per-round ratios is what is judged, not best against best.

// pairedRounds is the least number of rounds.
const pairedRounds = 5

// paired is the outcome of the rounds.
type paired struct {
	check, duck, reuse  []time.Duration // per round
	checkCPU, duckCPU   []time.Duration // per round
	checkPeak, duckPeak int64
	toDuck, toReuse     []float64 // check's wall over the other's, per round
	duckErr             string    // why DuckDB was not measured ("" when it was)
	duckCounts          string    // DuckDB's line of counts
}

// buildDuck builds the DuckDB comparison (a module of its own in dir) into
// out, or says why it cannot.
func buildDuck(dir, out string) (string, error) {
	bin := filepath.Join(out, "duckdb-bench")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	msg, err := cmd.CombinedOutput()
	if err != nil {
		first, _, _ := strings.Cut(strings.TrimSpace(string(msg)), "\n")
		return "", fmt.Errorf("%w: %s", err, first)
	}
	return bin, nil
}

// measurePaired runs rounds (at least pairedRounds) of check --format
// json, the DuckDB count (when duck is not "") and the single-threaded
// encoding/csv ReuseRecord read, each round in a rotated order.
func measurePaired(bin, duck, file, day string, rounds int) (paired, error) {
	var p paired
	steps := []func() error{
		func() error {
			m, err := child("dpnkit check --format json", bin, checkArgs(day, file)...)
			p.check, p.checkPeak = append(p.check, m.wall), max(p.checkPeak, m.peakRSS)
			p.checkCPU = append(p.checkCPU, m.cpu)
			return err
		},
		func() error {
			if duck == "" {
				return nil
			}
			m, out, err := childOut("duckdb", duck, "-as-of", day, file)
			p.duck, p.duckPeak, p.duckCounts = append(p.duck, m.wall), max(p.duckPeak, m.peakRSS), out
			p.duckCPU = append(p.duckCPU, m.cpu)
			return err
		},
		func() error {
			start := time.Now()
			_, err := baseline(file, true)
			p.reuse = append(p.reuse, time.Since(start))
			return err
		},
	}
	for r := range max(rounds, pairedRounds) {
		for i := range steps {
			if err := steps[(r+i)%len(steps)](); err != nil {
				return p, err
			}
		}
		p.toReuse = append(p.toReuse, p.check[r].Seconds()/p.reuse[r].Seconds())
		if duck != "" {
			p.toDuck = append(p.toDuck, p.check[r].Seconds()/p.duck[r].Seconds())
		}
	}
	return p, nil
}

// median is the middle value of xs (the upper middle for an even count).
func median[T time.Duration | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// printPaired prints the rounds and the targets: check at most 0.7x
// DuckDB's wall time and 1.0x the ReuseRecord read, peak under 100 MiB.
func printPaired(p paired) {
	fmt.Printf("\ncheck against DuckDB and the ReuseRecord read, %d rounds in rotated order (medians):\n", len(p.check))
	ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	fmt.Printf("  %-44s %9s %9s %10s\n", "step", "wall", "CPU", "peak MiB")
	fmt.Printf("  %-44s %9s %9s %10.1f\n", "dpnkit check --format json", ms(median(p.check)), ms(median(p.checkCPU)), float64(p.checkPeak)/(1<<20))
	if p.duckErr == "" {
		fmt.Printf("  %-44s %9s %9s %10.1f\n", "DuckDB read_csv + duplicate/regex counts", ms(median(p.duck)), ms(median(p.duckCPU)), float64(p.duckPeak)/(1<<20))
		fmt.Printf("    DuckDB: %s\n", strings.TrimSpace(p.duckCounts))
	} else {
		fmt.Printf("  DuckDB not measured: %s\n", p.duckErr)
	}
	fmt.Printf("  %-44s %9s %9s %10s\n", "encoding/csv ReuseRecord read (in process)", ms(median(p.reuse)), "-", "-")
	ratios := func(xs []float64) string {
		var s []string
		for _, x := range xs {
			s = append(s, fmt.Sprintf("%.2f", x))
		}
		return strings.Join(s, " ")
	}
	if p.duckErr == "" {
		m := median(p.toDuck)
		fmt.Printf("targets: check <= 0.70x DuckDB (rounds %s; median %.2fx: %s)\n", ratios(p.toDuck), m, verdict(m <= 0.7))
	}
	m := median(p.toReuse)
	fmt.Printf("         check <= 1.00x ReuseRecord read (rounds %s; median %.2fx: %s), check peak < 100 MiB (%s)\n",
		ratios(p.toReuse), m, verdict(m <= 1), verdict(p.checkPeak < 100<<20))
}

// comparePaired builds the DuckDB comparison and measures the rounds.
func comparePaired(bin, duckDir, file, day string, rounds int) error {
	tmp, err := os.MkdirTemp("", "dpnkit-bench-duckdb-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	duck, derr := buildDuck(duckDir, tmp)
	p, err := measurePaired(bin, duck, file, day, rounds)
	if derr != nil {
		p.duckErr = "the Go bindings did not build: " + derr.Error()
	}
	if err != nil {
		return err
	}
	printPaired(p)
	return nil
}

// childOut is child, keeping the standard output.
func childOut(name, bin string, args ...string) (measure, string, error) {
	var out strings.Builder
	m, err := childTo(&out, name, bin, args...)
	return m, out.String(), err
}
