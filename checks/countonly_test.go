package checks_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/fixtures"
	"dpnkit/internal/load"
	"dpnkit/internal/model"
)

// guardFiles are the position files the count-only guard reads: a
// generated trust export in each format the generator writes, the
// committed samples, and the national data set when DPNKIT_NATIONAL_DATA
// names its folder (make bench's; positions_national.csv and
// positions_dup200k.csv).
func guardFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, f := range []fixtures.Format{fixtures.FormatCSV, fixtures.FormatDAT, fixtures.FormatTSV1252} {
		dir := t.TempDir()
		m, err := fixtures.Generate(dir, fixtures.Options{Scale: fixtures.Trust, Format: f, Rows: 20000, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m.Files...)
	}
	samples, err := filepath.Glob(filepath.Join("..", "fixtures", "samples", "positions*"))
	if err != nil || len(samples) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	files = append(files, samples...)
	real, _ := filepath.Glob(filepath.Join("..", "fixtures", "samples", "real", "positions_*"))
	files = append(files, real...)
	if dir := os.Getenv("DPNKIT_NATIONAL_DATA"); dir != "" {
		for _, f := range []string{"positions_national.csv", "positions_dup200k.csv"} {
			files = append(files, filepath.Join(dir, f))
		}
	}
	return files
}

// guardDates are as-of dates around the generator's (2026-11-25), so that
// end-dated positions fall on both sides.
var guardDates = []time.Time{
	time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
	time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC),
	time.Date(2031, 6, 30, 0, 0, 0, 0, time.UTC),
}

// TestCountOnlyGuard runs every position rule of checks.Checks on each
// position CountOnly marks count-only (its dates readable, not a repaired
// record: what the loader's scan path establishes before asking) and
// fails if any rule reports on one, or if the Runner would keep it (with
// KeepInactive too). A rule that can report on a position without a DPN
// fails it until CountOnly knows of it.
func TestCountOnlyGuard(t *testing.T) {
	var pcs []checks.PositionCheck
	for _, c := range checks.Checks {
		if pc, ok := c.(checks.PositionCheck); ok {
			pcs = append(pcs, pc)
		}
	}
	var allCounted, allBuilt int
	for _, file := range guardFiles(t) {
		var (
			mu                   sync.Mutex
			counted, built, seen int
			failed               int
		)
		_, err := load.Positions(context.Background(), []string{file}, load.Options{}, func(batch []model.Position) {
			var out []checks.Finding
			for i := range batch {
				p := &batch[i]
				if len(p.DateIssues) > 0 || p.Repaired {
					continue
				}
				for _, asOf := range guardDates {
					countOnly, active := checks.CountOnly(p.DPN, p.ManagingBody, p.HiringStatus, p.EffectiveTo, asOf)
					mu.Lock()
					seen++
					if active != p.Active(asOf) && failed < 5 {
						failed++
						t.Errorf("%s:%d as of %s: CountOnly says active %v, Position.Active %v", file, p.Row, asOf.Format(time.DateOnly), active, !active)
					}
					if !countOnly {
						built++
						mu.Unlock()
						continue
					}
					counted++
					mu.Unlock()
					s := checks.NewSubject(p, asOf)
					out = out[:0]
					for _, pc := range pcs {
						out = pc.CheckPosition(&s, out)
					}
					mu.Lock()
					if len(out) > 0 && failed < 5 {
						failed++
						t.Errorf("%s:%d as of %s: marked count-only, but rule %s reports: %s", file, p.Row, asOf.Format(time.DateOnly), out[0].Rule, out[0].Message)
					}
					if s.HasDPN && failed < 5 {
						failed++
						t.Errorf("%s:%d: marked count-only, but carries a DPN (a Runner keeps it)", file, p.Row)
					}
					mu.Unlock()
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d position-dates, %d count-only, %d built", filepath.Base(file), seen, counted, built)
		allCounted, allBuilt = allCounted+counted, allBuilt+built
	}
	if allCounted < 1000 || allBuilt < 1000 {
		t.Errorf("%d count-only and %d built: the guard saw too little of one side", allCounted, allBuilt)
	}
}

// TestCounterSameResult checks each guard file with a Runner fed every
// position and with one that counts the count-only rows of delimited files
// without their being built (load.Options.Counter): the results must be
// equal, statistics, findings and kept positions alike. The first as-of
// date runs without KeepInactive, the second (2019) with it.
func TestCounterSameResult(t *testing.T) {
	for _, file := range guardFiles(t) {
		for _, asOf := range guardDates[:2] {
			var res [2]*checks.Result
			for i := range res {
				r := checks.NewRunner(checks.Options{AsOf: asOf, KeepInactive: asOf.Year() < 2020})
				opts := load.Options{}
				if i == 1 {
					opts.Counter = r
				}
				in, err := load.Positions(context.Background(), []string{file}, opts, r.Add)
				if err != nil {
					t.Fatal(err)
				}
				res[i] = r.Finish(in)
			}
			if !reflect.DeepEqual(res[0], res[1]) {
				t.Errorf("%s as of %s: the result with a Counter differs from the one without", file, asOf.Format(time.DateOnly))
			}
		}
	}
}
