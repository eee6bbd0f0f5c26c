package report

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// syntheticReconcile builds n placements over 20 deaneries, 200 employing
// bodies and VPDs: every tenth with no position and two suggestions, every
// fiftieth on two positions, the rest matched; n/10 unplaced positions and
// a finding per exception.
func syntheticReconcile(n int) *reconcile.Result {
	res := &reconcile.Result{AsOf: asOf,
		PlacementInputs: []model.Input{{Path: "placements.csv", Format: model.FormatCSV, Encoding: "utf-8", Rows: n}}}
	res.Placements = make([]reconcile.PlacementResult, 0, n)
	for i := range n {
		vpd := fmt.Sprintf("%03d", 100+i%200)
		npn := fmt.Sprintf("KSS/R%s0/%03d/STR/%03d", vpd, i/1000%1000, i%1000)
		p := reconcile.KeptPlacement{ID: fmt.Sprintf("%07d", 1700000+i), NPN: npn, Surname: fmt.Sprintf("Surname%d", i),
			Forenames: "Forename", GMC: fmt.Sprintf("%07d", 7000000+i), DateFrom: day(2026, 12, 2),
			DateTo: day(2027, 8, 1), Grade: "ST3", Specialty: "General (internal) medicine",
			EmployingBody: "Employing body " + vpd, TrainingBody: "Training body " + vpd,
			ManagingDeanery: fmt.Sprintf("HEE local office %02d", i%20), File: "placements.csv", Row: i + 2}
		pr := reconcile.PlacementResult{Placement: &p, Match: reconcile.MatchYes, Export: reconcile.ExportExported,
			Positions: []reconcile.PositionRef{{VPD: vpd, PositionNumber: fmt.Sprintf("%08d", 10000000+i), DPN: npn}}}
		switch {
		case i%10 == 0:
			pr.Match, pr.Export, pr.Positions, pr.Exception = reconcile.MatchNone, "BLOCKED: no ESR position", nil, true
			pr.Issue = "no active ESR position carries this NPN"
			pr.Suggestions = []reconcile.Suggestion{
				{DPN: npn + " ", PositionNumber: "10000001", VPD: vpd, Kind: "same post with different spacing or case"},
				{DPN: npn + "/M", PositionNumber: "10000002", VPD: vpd, Kind: "extra suffix part /M"}}
		case i%50 == 1:
			pr.Match, pr.Export, pr.Exception = reconcile.MatchMany, "BLOCKED: several ESR positions", true
			pr.Positions = append(pr.Positions, reconcile.PositionRef{VPD: vpd, PositionNumber: "19999999", DPN: npn})
		}
		if pr.Exception {
			res.Findings = append(res.Findings, checks.Finding{Rule: reconcile.RulePlacementNoPosition,
				Severity: checks.Error, VPD: vpd, File: "placements.csv", Row: i + 2, PlacementID: p.ID, Value: npn,
				Message: "no active ESR position carries it"})
		}
		res.Placements = append(res.Placements, pr)
	}
	for i := range n / 10 {
		res.Unplaced = append(res.Unplaced, model.Position{VPD: "100", Number: fmt.Sprintf("%08d", 20000000+i),
			Name: "x|y|z|w", DPN: fmt.Sprintf("KSS/U%06d/001/STR/001", i), EffectiveFrom: day(2020, 8, 5)})
	}
	for g := range 20 {
		res.ByManagingDeanery = append(res.ByManagingDeanery, reconcile.Stats{
			Group: fmt.Sprintf("HEE local office %02d", g), Placements: n / 20})
	}
	for v := range 200 {
		res.ByEmployingBody = append(res.ByEmployingBody, reconcile.Stats{
			Group: fmt.Sprintf("Employing body %03d", 100+v), Placements: n / 200})
		res.ByVPD = append(res.ByVPD, reconcile.Stats{Group: fmt.Sprintf("%03d", 100+v), Placements: n / 200})
	}
	res.Totals.Placements = n
	return res
}

// BenchmarkExceptionWorkbook writes the national exception workbook of
// 150,000 placements (the issue's national scale) and reports the peak
// heap in use as peak-MiB.
func BenchmarkExceptionWorkbook(b *testing.B) {
	res := syntheticReconcile(150000)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	peak := newHeapPeak()
	for b.Loop() {
		if err := ExceptionWorkbook(discard{}, res, testMeta()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak.stop()-base.HeapInuse)/(1<<20), "peak-MiB")
}

func BenchmarkReconcileJSON(b *testing.B) {
	res := syntheticReconcile(150000)
	for b.Loop() {
		if err := ReconcileJSON(discard{}, res, testMeta()); err != nil {
			b.Fatal(err)
		}
	}
}

// heapPeak samples the heap in use until stopped and returns the largest
// value seen (bytes).
type heapPeak struct {
	done chan struct{}
	peak chan uint64
}

func newHeapPeak() *heapPeak {
	h := &heapPeak{done: make(chan struct{}), peak: make(chan uint64)}
	go func() {
		var m runtime.MemStats
		var peak uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-h.done:
				h.peak <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

func (h *heapPeak) stop() uint64 {
	close(h.done)
	return <-h.peak
}
