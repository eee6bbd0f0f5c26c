package reconcile_test

import (
	"fmt"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

func ExampleSuggestIndex_Suggest() {
	active := []model.Position{
		{VPD: "504", Number: "10002345", DPN: "EOE/RGT00/021/FY1/010"},
		{VPD: "504", Number: "10002346", DPN: "EOE/RGT00/021/FY1/011/M"},
	}
	ix := reconcile.NewSuggestIndex(active, nil)
	for _, npn := range []string{"EOE/RGT00/021/FY1/O10", "EOE/RGT00/021/FY1/011"} {
		for _, s := range ix.Suggest(npn) {
			fmt.Printf("%s -> %s (position %s: %s)\n", npn, s.DPN, s.PositionNumber, s.Kind)
		}
	}
	// Output:
	// EOE/RGT00/021/FY1/O10 -> EOE/RGT00/021/FY1/010 (position 10002345: letter O typed for zero)
	// EOE/RGT00/021/FY1/011 -> EOE/RGT00/021/FY1/011/M (position 10002346: missing suffix part)
	// EOE/RGT00/021/FY1/011 -> EOE/RGT00/021/FY1/010 (position 10002345: one character mistyped)
}

func ExampleReconciler() {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	positions := []model.Position{{VPD: "504", Number: "10002345", Name: "10002345|FY1|010|", DPN: "EOE/RGT00/021/FY1/010",
		ManagingBody: "EOE", File: "positions.csv", Row: 2}}
	runner := checks.NewRunner(checks.Options{AsOf: asOf, KeepInactive: true})
	runner.Add(positions)
	check := runner.Finish(nil)
	placements := []model.Placement{{ID: "1716002", NPN: "EOE/RGT00/021/FY1/O10", Surname: "Ghani", Forenames: "Sara",
		DateFrom: asOf.AddDate(0, 0, 30), DateTo: asOf.AddDate(1, 0, 30), File: "placements.csv", Row: 2}}
	opts := reconcile.Options{AsOf: asOf}
	buf := reconcile.NewPlacementBuffer(opts)
	buf.Add(placements)
	rec := reconcile.New(check, opts)
	rec.AddBuffer(buf, 1)
	res := rec.Finish(check.Inputs, nil)
	p := res.Placements[0]
	fmt.Println(p.Match)
	fmt.Println(p.Export)
	fmt.Println(p.Issue)
	// Output:
	// No ESR Position - Check DPN in ESR Position
	// BLOCKED: no ESR position carries the NPN
	// No ESR position carries EOE/RGT00/021/FY1/O10. Did you mean EOE/RGT00/021/FY1/010 (position 10002345, VPD 504: letter O typed for zero)?
}
