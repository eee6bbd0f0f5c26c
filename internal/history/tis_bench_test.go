package history

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"dpnkit/internal/exchange"
)

// benchTIS is a national run's TISSeen at its largest: 150,000 placements
// (every placement of the national export; a run remembers ~100,000, the
// current holders and those starting within 18 weeks) over 13 local
// offices and 75,000 NPNs.
func benchTIS(asOf time.Time) *exchange.TISSeen {
	t := &exchange.TISSeen{AsOf: asOf, Placements: make(map[string]exchange.SeenPlacement, 150000),
		NPNs: make(map[string]bool, 75000)}
	offices := make([]string, 13)
	for i := range offices {
		offices[i] = fmt.Sprintf("Health Education England Local Office %02d", i)
	}
	for i := range 150000 {
		j := i / 2 // two placements a post
		npn := fmt.Sprintf("D%02d/RJZ%02d/%03d/STR/%03d", j%13, j%97, j%1000, j/1000)
		t.Placements[fmt.Sprint(1600000+i)] = exchange.SeenPlacement{Office: offices[i%13],
			Rec: fmt.Sprintf("%s\t2026%02d%02d\t2027%02d%02d\tSurname%d\tForename\t%d",
				npn, 1+i%12, 1+i%28, 1+i%12, 1+i%28, i%5000, 7000000+i)}
		t.NPNs[npn] = true
	}
	return t
}

// BenchmarkTISFirstRun is BenchmarkCommitFirstRun without and with the
// TIS the run saw: the history's share of a national first run before
// and after it kept TIS.
func BenchmarkTISFirstRun(b *testing.B) {
	for _, withTIS := range []bool{false, true} {
		b.Run(tisName(withTIS), func(b *testing.B) {
			next := benchState()
			if withTIS {
				next.TIS = benchTIS(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				s, err := Open(ctx, filepath.Join(b.TempDir(), "h.db"))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.State(ctx); err != nil {
					b.Fatal(err)
				}
				if _, err := commitRun(ctx, s, Run{AsOf: time.Now()}, next); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}

func tisName(withTIS bool) string {
	if withTIS {
		return "with TIS"
	}
	return "without TIS"
}

// BenchmarkTISDay2 measures a national day 2 against day 1's history,
// without and with TIS: reading the state back (State, as the run does
// while it loads) and staging the next, in which 3% of the placements
// changed (a part of its own for each office) and 100 NPNs are new.
func BenchmarkTISDay2(b *testing.B) {
	ctx := context.Background()
	for _, withTIS := range []bool{false, true} {
		path := filepath.Join(b.TempDir(), "h.db")
		s, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		first := benchState()
		if withTIS {
			first.TIS = benchTIS(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
		}
		if _, err := commitRun(ctx, s, Run{AsOf: time.Now()}, first); err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.Run("State "+tisName(withTIS), func(b *testing.B) {
			s, err := Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.State(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Stage "+tisName(withTIS), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				s, err := Open(ctx, path)
				if err != nil {
					b.Fatal(err)
				}
				cur, err := s.State(ctx)
				if err != nil {
					b.Fatal(err)
				}
				next := cur
				if withTIS {
					next.TIS = day2TIS(cur.TIS)
				}
				b.StartTimer()
				st, err := stageRun(ctx, s, Run{AsOf: time.Now()}, next)
				if err != nil {
					b.Fatal(err)
				}
				st.Abort() // each iteration stages over day 1 again
				s.Close()
			}
		})
	}
}

// day2TIS is cur with 3% of its placements changed and 100 new NPNs.
func day2TIS(cur *exchange.TISSeen) *exchange.TISSeen {
	next := &exchange.TISSeen{AsOf: cur.AsOf.AddDate(0, 0, 1), Placements: make(map[string]exchange.SeenPlacement, len(cur.Placements)),
		NPNs: make(map[string]bool, len(cur.NPNs)+100)}
	i := 0
	for k, v := range cur.Placements {
		if i%33 == 0 {
			v.Rec += " changed"
		}
		next.Placements[k] = v
		i++
	}
	for k := range cur.NPNs {
		next.NPNs[k] = true
	}
	for j := range 100 {
		next.NPNs[fmt.Sprintf("D%02d/NEW/%d", j%13, j)] = true
	}
	return next
}
