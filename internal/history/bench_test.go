package history

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkCommit commits a national-scale state (50,000 positions and
// applicants, 100,000 notification keys) over the previous one, which
// differs in 1% of its entries, as a daily run's does.
func BenchmarkCommit(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "dpnkit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	st := richState(50000, "a")
	for i := range 50000 {
		st.Notified[fmt.Sprintf("4|%d", i)] = true
	}
	if _, err := commitRun(ctx, s, run(day(2026, 11, 25)), st); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		for i := range 500 {
			k := fmt.Sprintf("P%05d", (n*500+i)%50000)
			a := st.Sent[k]
			a.Status = fmt.Sprint("S", n)
			st.Sent[k] = a
			st.Notified[fmt.Sprintf("2|%d|%d", n, i)] = true
		}
		n++
		if _, err := commitRun(ctx, s, run(day(2026, 11, 25)), st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkState reads the state BenchmarkCommit writes.
func BenchmarkState(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "dpnkit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	st := richState(50000, "a")
	for i := range 50000 {
		st.Notified[fmt.Sprintf("4|%d", i)] = true
	}
	if _, err := commitRun(ctx, s, run(day(2026, 11, 25)), st); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.State(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
