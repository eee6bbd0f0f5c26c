package interchange

import (
	"fmt"
	"io"
	"testing"

	"dpnkit/internal/exchange"
)

// BenchmarkWritePOR writes a national first run's POR file: ~350,000
// records (2,000,000 positions, about one in six transferred).
func BenchmarkWritePOR(b *testing.B) {
	recs := make([]exchange.POR, 350_000)
	for i := range recs {
		recs[i] = porRecords()[0]
		recs[i].PositionID = fmt.Sprint(100000 + i)
		recs[i].PositionNumber = fmt.Sprint(20000000 + i)
	}
	for b.Loop() {
		if err := WritePOR(io.Discard, recs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteDNC writes the records of a national first run's DNF
// files: ~90,000.
func BenchmarkWriteDNC(b *testing.B) {
	r := dncResult()
	f := r.NotificationFiles[0]
	f.Notes = make([]int32, 90_000)
	for i := range f.Notes {
		f.Notes[i] = int32(i % len(r.Notifications))
	}
	ctx := exchange.NewDNCContext(r)
	for b.Loop() {
		if err := WriteDNC(io.Discard, f, r.Notifications, ctx, keep); err != nil {
			b.Fatal(err)
		}
	}
}
