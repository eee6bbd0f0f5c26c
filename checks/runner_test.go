package checks

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"
	"unsafe"

	"dpnkit/internal/model"
)

// synthetic returns n realistic positions over a few VPDs: most without a
// DPN, about 4% with one, a few defects of every kind (broken DPNs and
// names, duplicates, lower case, end-dated DPN posts, unreadable dates).
func synthetic(n int, seed uint64) []model.Position {
	rng := rand.New(rand.NewPCG(seed, 42))
	vpds := []string{"123", "504", "505", "RX1"}
	defects := []string{"KSS/A/1", "KS/A/1/2", "KSS/A\t/1/2", "MER//123/123", "KSS/A/1/2/", "EOE/R\u00a0/1/2"}
	ps := make([]model.Position, n)
	for i := range ps {
		num := fmt.Sprint(10000000 + i)
		p := model.Position{
			VPD:          vpds[i*len(vpds)/n],
			ID:           fmt.Sprint(500000 + i),
			Number:       num,
			Name:         num + "|Staff Nurse|N0A|Ward 7",
			HiringStatus: "Active",
			StaffGroup:   "Nursing and Midwifery Registered",
			File:         "positions.csv",
			Row:          i + 2,
			Format:       model.FormatCSV,
		}
		if rng.IntN(100) < 4 {
			p.StaffGroup = "Medical and Dental"
			p.Name = num + "|Specialty Registrar|M1A|Cardiology"
			p.DPN = fmt.Sprintf("KSS/RJZ%02d/%03d/STR/%03d", rng.IntN(20), rng.IntN(1000), rng.IntN(1000))
			p.ManagingBody = "KSS"
			switch r := rng.IntN(100); {
			case r < 3:
				p.DPN = defects[rng.IntN(len(defects))]
			case r < 5:
				p.Name = num + "|Specialty\tRegistrar|M1A|Cardiology|"
			case r < 7:
				p.DPN = "KSS/DUP/001/STR/001" // duplicates within and across VPDs
			case r < 8:
				p.DPN = " kss/rjz01/030/str/001"
			case r < 10:
				p.EffectiveTo = asOf.AddDate(0, -1, 0)
			case r < 11:
				p.ManagingBody = "Wales"
			}
		}
		if rng.IntN(1000) == 0 {
			p.DateIssues = []model.DateIssue{{Column: "Effective To Date", Value: "31/02/2026x"}}
		}
		if rng.IntN(1000) == 0 {
			p.EffectiveTo = asOf.AddDate(-1, 0, 0)
		}
		ps[i] = p
	}
	return ps
}

func TestRunnerConcurrentMatchesRun(t *testing.T) {
	ps := synthetic(20000, 1)
	want := checkAll(ps, nil, opts)
	if want.Totals.DuplicateDPNs == 0 || want.Totals.DPNIssues == 0 || want.Totals.PositionNameIssues == 0 ||
		want.Totals.ByRule[RuleDPNCrossVPD] == 0 || want.Totals.Infos == 0 || want.Totals.InputErrors == 0 {
		t.Fatalf("synthetic data lacks defects: %+v", want.Totals)
	}
	if want.Totals.Positions != len(ps) || len(want.VPDs) != 4 {
		t.Fatalf("totals %+v over %d VPDs", want.Totals, len(want.VPDs))
	}

	for _, batchSize := range []int{1, 7, 500, 20000} {
		var batches [][]model.Position
		for i := 0; i < len(ps); i += batchSize {
			batches = append(batches, ps[i:min(i+batchSize, len(ps))])
		}
		// Feed the batches in reverse order from 8 goroutines.
		r := NewRunner(opts)
		ch := make(chan []model.Position)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := range ch {
					r.Add(b)
				}
			}()
		}
		for i := len(batches) - 1; i >= 0; i-- {
			ch <- batches[i]
		}
		close(ch)
		wg.Wait()
		got := r.Finish(nil)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("batch size %d: concurrent result differs from Run (totals %+v vs %+v)", batchSize, got.Totals, want.Totals)
		}
		if again := r.Finish(nil); !reflect.DeepEqual(again, want) {
			t.Errorf("batch size %d: a second Finish differs", batchSize)
		}
	}
}

// TestRunnerCopiesWhatItKeeps backs a batch's strings with one buffer and
// overwrites it after Add, as a loader reusing its buffers would.
func TestRunnerCopiesWhatItKeeps(t *testing.T) {
	buf := []byte("504positions.csv12345KSS/A/1\t12345|x|y|zKSS")
	str := func(from, to int) string { return unsafe.String(&buf[from], to-from) }
	p := model.Position{
		VPD: str(0, 3), File: str(3, 16), Number: str(16, 21), DPN: str(21, 29),
		Name: str(29, 40), ManagingBody: str(40, 43), Row: 2, Format: model.FormatCSV,
		DateIssues: []model.DateIssue{{Column: str(3, 12), Value: str(21, 24)}},
	}
	if p.DPN != "KSS/A/1\t" || p.Name != "12345|x|y|z" || p.ManagingBody != "KSS" {
		t.Fatalf("test setup: %+v", p)
	}
	r := NewRunner(opts)
	r.Add([]model.Position{p})
	for i := range buf {
		buf[i] = '#'
	}
	res := r.Finish(nil)
	if len(res.VPDs) != 1 || res.VPDs[0].VPD != "504" {
		t.Fatalf("VPDs = %+v", res.VPDs)
	}
	kept := res.VPDs[0].Positions
	if len(kept) != 1 || kept[0].DPN != "KSS/A/1\t" || kept[0].Number != "12345" || kept[0].File != "positions.csv" ||
		kept[0].DateIssues[0].Value != "KSS" {
		t.Errorf("kept position changed with the buffer: %+v", kept)
	}
	fs := res.Findings()
	if got := rules(res, nil); !equalStrings(got, []string{RuleDPNChars, RuleDPNParts, RuleInputDate}) {
		t.Errorf("rules = %q", got)
	}
	for _, f := range fs {
		if f.VPD != "504" || f.File != "positions.csv" || f.PositionNumber != "12345" {
			t.Errorf("finding changed with the buffer: %+v", f)
		}
		if f.Rule == RuleInputDate && (f.Column != "positions" || f.Value != "KSS") {
			t.Errorf("input.date changed with the buffer: %+v", f)
		}
		if f.Rule == RuleDPNParts && f.Value != "KSS/A/1\t" {
			t.Errorf("dpn.parts value changed with the buffer: %q", f.Value)
		}
	}
}

func TestRunnerKeepsOnlyActiveDPNPositions(t *testing.T) {
	ps := synthetic(5000, 2)
	r := NewRunner(opts)
	r.Add(ps)
	want := 0
	for i := range ps {
		if ps[i].Active(asOf) && ps[i].HasDPN() {
			want++
		}
	}
	kept := 0
	for _, runs := range r.kept {
		for _, run := range runs {
			kept += len(run)
		}
	}
	if kept != want || want == 0 || want > len(ps)/10 {
		t.Errorf("kept %d positions, want the %d active ones with a DPN", kept, want)
	}
}

func TestRunnerAddAllocations(t *testing.T) {
	// Positions without a DPN and without defects: the per-batch
	// bookkeeping may allocate, the positions must not.
	var ps []model.Position
	for _, p := range synthetic(5000, 3) {
		if !p.HasDPN() && len(p.DateIssues) == 0 {
			ps = append(ps, p)
		}
	}
	r := NewRunner(opts)
	allocs := testing.AllocsPerRun(10, func() { r.Add(ps) })
	if allocs > 10 {
		t.Errorf("Add of %d clean positions made %.0f allocations, want at most 10 (per batch, not per position)", len(ps), allocs)
	}
	// Valid active DPN positions: only the copy that is kept allocates.
	var dpn []model.Position
	for i := 0; i < 1000; i++ {
		p := pos(fmt.Sprint(i), fmt.Sprintf("%d|x|y|z", i), fmt.Sprintf("KSS/A/%d/2", i))
		dpn = append(dpn, p)
	}
	allocs = testing.AllocsPerRun(5, func() { NewRunner(opts).Add(dpn) })
	if perPos := allocs / float64(len(dpn)); perPos > 12 {
		t.Errorf("%.1f allocations per valid DPN position, want only the kept copy's", perPos)
	}
}

func BenchmarkRunnerAdd(b *testing.B) {
	ps := synthetic(100000, 7)
	const batch = 1000
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		r := NewRunner(opts)
		for i := 0; i < len(ps); i += batch {
			r.Add(ps[i:min(i+batch, len(ps))])
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*len(ps)), "ns/position")
}

func BenchmarkRunnerFinish(b *testing.B) {
	ps := synthetic(100000, 7)
	r := NewRunner(opts)
	r.Add(ps)
	b.ReportAllocs()
	for b.Loop() {
		r.Finish(nil)
	}
}
