// Command bench measures dpnkit on national-scale data (issue: DPN go-live
// checks, "Performance"). It is run by `make bench`, never by `make test`.
//
// It generates the national data set once (about 2,000,000 positions over
// 200 VPDs, about 310 MB of CSV) into -data, then in one run measures:
//
//   - baseline: a plain single-threaded encoding/csv loop that only reads
//     every record of the file, in this process (and the same loop with
//     ReuseRecord);
//   - check:    `dpnkit check --format json` on the file, as a child process;
//   - report:   `dpnkit report --out DIR` for every VPD plus the national workbook;
//   - reconcile: `dpnkit reconcile` of about 145,000 TIS placements against the
//     same positions, with suggestions and the exception workbook;
//   - run:      two consecutive `dpnkit run` days (positions, placements,
//     about 1.4M ESR people) on a fresh run history, and its size;
//   - dup200k:  200,000 positions of one VPD sharing one DPN, checked with
//     --format json and --format csv and reported (dup.go): wall, CPU time,
//     peak memory and output size, against its targets (10 s, 300 MiB).
//     `-only dup200k` runs this case alone;
//   - duckdb:   check against DuckDB doing the same counts (the module in
//     internal/bench/duckdb, built here; skipped with a note when it cannot
//     be built) and against the ReuseRecord read, in at least five rounds
//     of rotated order, judged by the median of the per-round ratios
//     (paired.go). `-only duckdb` runs this case alone.
//
// For each it prints wall time, rows/s, MB/s, peak resident memory (the
// child's maximum RSS from rusage) and the ratio of its wall time to the
// baseline's, so machine noise cancels out. Each step runs -n times and the
// fastest run is kept (the two run days as a pair, each on a fresh history;
// their peak memory is the highest of every repetition). The run's pairs
// are at least three, each after a check of its own; the run's ratio to
// check is given pair by pair (the slower day against that check, and the
// median of the pairs) as well as best against best.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"dpnkit/fixtures"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type measure struct {
	name    string
	wall    time.Duration
	peakRSS int64         // bytes; 0 when not measured
	cpu     time.Duration // user + system time of a child; 0 when not measured
}

// benchFlags are the command line's settings.
type benchFlags struct {
	bin, dir, only, duckDir, pgo string
	n, rounds                    int
}

// run measures what the flags ask: every step, or one case (-only).
func run() error {
	var f benchFlags
	flag.StringVar(&f.bin, "bin", "bin/dpnkit", "dpnkit binary to measure")
	flag.StringVar(&f.dir, "data", "bench-data", "folder for the generated national data (kept between runs)")
	flag.IntVar(&f.n, "n", 2, "runs per step; the fastest is kept")
	flag.StringVar(&f.only, "only", "", "run one case only: dup200k (200,000 positions sharing one DPN), duckdb (check against DuckDB and the ReuseRecord read), or pgo (write the profile-guided build's profile, -pgo)")
	flag.StringVar(&f.duckDir, "duckdb", filepath.Join("internal", "bench", "duckdb"), "folder of the DuckDB comparison module")
	flag.IntVar(&f.rounds, "rounds", pairedRounds, "rounds of check, DuckDB and the ReuseRecord read (at least 5)")
	flag.StringVar(&f.pgo, "pgo", filepath.Join("cmd", "dpnkit", "default.pgo"), "with -only pgo: the profile to write")
	flag.Parse()
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	switch f.only {
	case "":
		return runAll(f, asOf)
	case "dup200k":
		return runDup(f.bin, f.dir, f.n)
	case "duckdb":
		if err := ensureNational(f.bin, f.dir, asOf); err != nil {
			return err
		}
		return comparePaired(f.bin, f.duckDir, filepath.Join(f.dir, "positions_national.csv"), asOf.Format("2006-01-02"), f.rounds)
	case "pgo":
		return makePGO(f.bin, f.dir, f.pgo, asOf)
	}
	return fmt.Errorf("-only %q: the cases are dup200k, duckdb and pgo", f.only)
}

// runAll measures the national data set (generated into -data if missing):
// the encoding/csv baselines, check, report, reconcile and two days of run,
// then prints the table and the targets, then check against DuckDB, then
// the dup200k case.
func runAll(f benchFlags, asOf time.Time) error {
	file := filepath.Join(f.dir, "positions_national.csv")
	placements := filepath.Join(f.dir, fixtures.PlacementsFile)
	if err := ensureNational(f.bin, f.dir, asOf); err != nil {
		return err
	}
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	size := st.Size()

	var rows int
	base, err := best(f.n, func() (measure, error) {
		start := time.Now()
		r, err := baseline(file, false)
		rows = r
		return measure{name: "baseline encoding/csv read", wall: time.Since(start)}, err
	})
	if err != nil {
		return err
	}
	out, err := os.MkdirTemp("", "dpnkit-bench-report-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)
	day := asOf.Format("2006-01-02")
	check, err := best(f.n, func() (measure, error) {
		return child("dpnkit check --format json", f.bin, checkArgs(day, file)...)
	})
	if err != nil {
		return err
	}
	rep, err := best(f.n, func() (measure, error) {
		return child("dpnkit report (all VPDs + national)", f.bin, reportArgs(day, file, out)...)
	})
	if err != nil {
		return err
	}
	workbooks, _ := filepath.Glob(filepath.Join(out, "*.xlsx"))
	rec, err := best(f.n, func() (measure, error) {
		return child("dpnkit reconcile (150k placements)", f.bin, reconcileArgs(day, file, placements, "")...)
	})
	if err != nil {
		return err
	}
	recOut, err := best(f.n, func() (measure, error) {
		return child("  ... and the exception workbook", f.bin, reconcileArgs(day, file, placements, out)...)
	})
	if err != nil {
		return err
	}
	rs, err := measureRunDays(f.bin, f.dir, out, asOf, f.n)
	if err != nil {
		return err
	}

	reuse, err := best(f.n, func() (measure, error) {
		start := time.Now()
		_, err := baseline(file, true)
		return measure{name: "  ... with ReuseRecord", wall: time.Since(start)}, err
	})
	if err != nil {
		return err
	}
	printTable(file, rows, size, len(workbooks), []measure{base, reuse, check, rep, rec, recOut, rs.days[0], rs.days[1]})
	printTargets(base, check, rep, rec, rs)
	if err := comparePaired(f.bin, f.duckDir, file, day, f.rounds); err != nil {
		return err
	}
	return runDup(f.bin, f.dir, f.n)
}

// ensureNational generates the national data set into dir unless it is
// there (its day-2 placements file is the last one written).
func ensureNational(bin, dir string, asOf time.Time) error {
	if _, err := os.Stat(filepath.Join(dir, fixtures.Day2PlacementsFile)); err == nil {
		return nil
	}
	fmt.Printf("generating national data into %s ...\n", dir)
	start := time.Now()
	// In a child process: on Linux a child's peak RSS starts from its
	// parent's, so this process must stay small.
	gen := exec.Command(bin, "gen", "--scale", "national", "--seed", "1", "--as-of", asOf.Format("2006-01-02"), "--out", dir)
	gen.Stderr = os.Stderr
	if err := gen.Run(); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	fmt.Printf("generated in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// checkArgs is the command line of check --format json on positions.
func checkArgs(day, positions string) []string {
	return []string{"check", "--format", "json", "--fail-on", "none", "--as-of", day, positions}
}

// reportArgs is the command line of report --format json on positions,
// its workbooks written into out.
func reportArgs(day, positions, out string) []string {
	return []string{"report", "--format", "json", "--fail-on", "none", "--as-of", day, "--out", out, positions}
}

// reconcileArgs is the command line of reconcile --format json, with the
// exception workbook written into out unless out is "".
func reconcileArgs(day, positions, placements, out string) []string {
	args := []string{"reconcile", "--format", "json", "--fail-on", "none", "--as-of", day, "--positions", positions,
		"--placements", placements}
	if out != "" {
		args = append(args, "--out", out)
	}
	return args
}

// runArgs is the command line of one interface run day.
func runArgs(day time.Time, positions, placements, people, db, out string) []string {
	return []string{"run", "--format", "json", "--as-of", day.Format("2006-01-02"), "--positions", positions,
		"--placements", placements, "--people", people, "--db", db, "--out", out}
}

// runDays is the measurement of two consecutive interface runs.
type runDays struct {
	days         [2]measure // each day's fastest wall time, its highest peak memory
	paired       []float64  // the slower day against the check beside it, sorted
	pairedMedian float64
	dbSize       int64
}

// measureRunDays runs two consecutive interface days on a fresh history,
// the pair repeated like the other steps: each day keeps its fastest wall
// time, and the highest peak memory of any of its runs.
func measureRunDays(bin, dir, out string, asOf time.Time, n int) (runDays, error) {
	var rs runDays
	file := filepath.Join(dir, "positions_national.csv")
	placements := filepath.Join(dir, fixtures.PlacementsFile)
	people := filepath.Join(dir, fixtures.PeopleFile)
	day2 := filepath.Join(dir, fixtures.Day2PlacementsFile)
	day := asOf.Format("2006-01-02")
	db := filepath.Join(out, "bench.db")
	// Each pair of run days is measured right after a check of its own:
	// on a noisy machine check's time drifts by a third from one minute to
	// the next, so the run's ratio is taken pair by pair against the check
	// beside it (the median of an odd number of pairs), as well as best
	// against best.
	reps := max(n, 3) | 1
	for rep := 0; rep < reps; rep++ {
		pc, err := child("dpnkit check (beside the run)", bin, checkArgs(day, file)...)
		if err != nil {
			return rs, err
		}
		var worstDay time.Duration
		for _, f := range []string{db, db + "-wal", db + "-shm"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return rs, err
			}
		}
		for i, pl := range []string{placements, day2} {
			m, err := child(fmt.Sprintf("dpnkit run, day %d (+people)", i+1), bin,
				runArgs(asOf.AddDate(0, 0, i), file, pl, people, db, filepath.Join(out, fmt.Sprintf("run%d_%d", i+1, rep+1)))...)
			if err != nil {
				return rs, err
			}
			peak := max(m.peakRSS, rs.days[i].peakRSS)
			if rep == 0 || m.wall < rs.days[i].wall {
				rs.days[i] = m
			}
			rs.days[i].peakRSS = peak
			worstDay = max(worstDay, m.wall)
		}
		rs.paired = append(rs.paired, worstDay.Seconds()/pc.wall.Seconds())
	}
	slices.Sort(rs.paired) // printed in order
	rs.pairedMedian = median(rs.paired)
	if st, err := os.Stat(db); err == nil {
		rs.dbSize = st.Size()
	}
	return rs, nil
}

// printTable prints the input and one line per measured step, ms[0] the
// baseline.
func printTable(file string, rows int, size int64, workbooks int, ms []measure) {
	fmt.Printf("\ninput: %s, %d data rows, %.1f MB; %d workbooks written\n\n", file, rows-1, float64(size)/1e6, workbooks)
	fmt.Printf("%-38s %10s %12s %9s %10s %9s\n", "step", "wall", "rows/s", "MB/s", "peak MiB", "x base")
	for _, m := range ms {
		secs := m.wall.Seconds()
		peak := "-"
		if m.peakRSS > 0 {
			peak = fmt.Sprintf("%.1f", float64(m.peakRSS)/(1<<20))
		}
		fmt.Printf("%-38s %10s %12.0f %9.1f %10s %9.2f\n", m.name, m.wall.Round(time.Millisecond),
			float64(rows-1)/secs, float64(size)/1e6/secs, peak, m.wall.Seconds()/ms[0].wall.Seconds())
	}
}

// printTargets prints each target and whether it was met.
func printTargets(base, check, rep, rec measure, rs runDays) {
	fmt.Printf("\ntargets: check <= 1.00x baseline (%s), check peak < 150 MiB (%s), report < 10 s (%s)\n",
		verdict(check.wall <= base.wall), verdict(check.peakRSS < 150<<20), verdict(rep.wall < 10*time.Second))
	fmt.Printf("         reconcile <= 1.50x check (%.2fx: %s), reconcile peak < 250 MiB (%s)\n",
		rec.wall.Seconds()/check.wall.Seconds(), verdict(rec.wall.Seconds() <= 1.5*check.wall.Seconds()),
		verdict(rec.peakRSS < 250<<20))
	worst := max(rs.days[0].wall, rs.days[1].wall)
	var pairs []string
	for _, r := range rs.paired {
		pairs = append(pairs, fmt.Sprintf("%.2f", r))
	}
	fmt.Printf("         run <= 3.00x check (pair by pair, the slower day against the check beside it: %s, median %.2fx: %s;\n",
		strings.Join(pairs, ", "), rs.pairedMedian, verdict(rs.pairedMedian <= 3))
	fmt.Printf("           best against best: %.2fx), run peak < 500 MiB (%s); history database %.1f MB\n",
		worst.Seconds()/check.wall.Seconds(), verdict(max(rs.days[0].peakRSS, rs.days[1].peakRSS) < 500<<20), float64(rs.dbSize)/1e6)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// best runs f n times and keeps the fastest run.
func best(n int, f func() (measure, error)) (measure, error) {
	var b measure
	for i := 0; i < n; i++ {
		m, err := f()
		if err != nil {
			return m, err
		}
		if i == 0 || m.wall < b.wall {
			b = m
		}
	}
	return b, nil
}

// baseline reads every record with encoding/csv, single-threaded, and does
// nothing else: the floor any CSV-reading tool pays. With reuse the reader
// reuses one record (ReuseRecord) instead of allocating one per row.
func baseline(path string, reuse bool) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.ReuseRecord = reuse
	rows := 0
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows++
	}
}

// child runs the binary, discarding stdout, and reads its peak RSS.
func child(name, bin string, args ...string) (measure, error) {
	return childTo(io.Discard, name, bin, args...)
}

// childTo is child with stdout written to w.
func childTo(w io.Writer, name, bin string, args ...string) (measure, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdout = w
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return measure{}, fmt.Errorf("%s: %w", name, err)
	}
	m := measure{name: name, wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.peakRSS = ru.Maxrss * 1024 // Linux reports KiB
		m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return m, nil
}
