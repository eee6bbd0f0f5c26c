package pipeline

import (
	"context"
	"io"
	"os"
	"testing"

	"dpnkit/internal/iostreams"
)

// BenchmarkCheckFile profiles `check --format json` in process on the file
// named by DPNKIT_BENCH_FILE (e.g. bench-data/positions_national.csv from
// `make bench`); it is skipped when the variable is unset.
func BenchmarkCheckFile(b *testing.B) {
	file := os.Getenv("DPNKIT_BENCH_FILE")
	if file == "" {
		b.Skip("DPNKIT_BENCH_FILE not set")
	}
	s := &iostreams.Streams{Out: io.Discard, Err: io.Discard}
	for b.Loop() {
		if _, _, err := Check(context.Background(), s, CheckOptions{Files: []string{file}, AsOf: asOf, Format: FormatJSON}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReconcileFiles profiles `reconcile --format json` in process on
// DPNKIT_BENCH_FILE and DPNKIT_BENCH_PLACEMENTS; skipped when unset.
func BenchmarkReconcileFiles(b *testing.B) {
	file, plac := os.Getenv("DPNKIT_BENCH_FILE"), os.Getenv("DPNKIT_BENCH_PLACEMENTS")
	if file == "" || plac == "" {
		b.Skip("DPNKIT_BENCH_FILE or DPNKIT_BENCH_PLACEMENTS not set")
	}
	s := &iostreams.Streams{Out: io.Discard, Err: io.Discard}
	for b.Loop() {
		if _, _, err := Reconcile(context.Background(), s, ReconcileOptions{Positions: []string{file},
			Placements: []string{plac}, AsOf: asOf, Format: FormatJSON}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunFiles profiles one `run` in process on DPNKIT_BENCH_FILE,
// DPNKIT_BENCH_PLACEMENTS and DPNKIT_BENCH_PEOPLE with a fresh history;
// skipped when unset.
func BenchmarkRunFiles(b *testing.B) {
	file, plac, people := os.Getenv("DPNKIT_BENCH_FILE"), os.Getenv("DPNKIT_BENCH_PLACEMENTS"), os.Getenv("DPNKIT_BENCH_PEOPLE")
	if file == "" || plac == "" || people == "" {
		b.Skip("DPNKIT_BENCH_FILE, DPNKIT_BENCH_PLACEMENTS or DPNKIT_BENCH_PEOPLE not set")
	}
	s := &iostreams.Streams{Out: io.Discard, Err: io.Discard}
	for b.Loop() {
		dir := b.TempDir()
		if _, err := Run(context.Background(), s, RunOptions{Positions: []string{file}, Placements: []string{plac},
			People: []string{people}, AsOf: asOf, DB: dir + "/h.db", Out: dir, Format: FormatJSON}); err != nil {
			b.Fatal(err)
		}
	}
}
