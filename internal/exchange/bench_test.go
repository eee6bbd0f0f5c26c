package exchange

import (
	"fmt"
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// benchInput is a region's worth of data: posts over 50 VPDs, 2 placements
// per post spread over a year (about a quarter inside the transfer
// window), and ESR people, a tenth of them the trainees.
func benchInput(b *testing.B, posts, people int) (Input, []model.Person) {
	b.Helper()
	ps := make([]model.Position, posts)
	for i := range ps {
		vpd := fmt.Sprintf("%03d", 100+i%50)
		ps[i] = position(vpd, fmt.Sprint(900000+i), fmt.Sprint(10000000+i), fmt.Sprintf("KSS/R%04d/%03d/STR/%03d", i/1000, i%1000/10, i%10))
		ps[i].Row = i + 2
	}
	var pls []model.Placement
	for i := 0; i < posts; i++ {
		for j := 0; j < 2; j++ {
			n := 2*i + j
			start := day0(n%365 - 100)
			p := placement(fmt.Sprint(2000000+n), ps[i].DPN, "Surname"+fmt.Sprint(n%997), "First", gmcN(n), start, start.AddDate(0, 4, 0))
			p.NINumber, p.Disability, p.Row = fmt.Sprintf("QQ%06dA", n), "No", n+2
			pls = append(pls, p)
		}
	}
	pe := make([]model.Person, people)
	for i := range pe {
		pe[i] = model.Person{VPD: fmt.Sprintf("%03d", 100+i%50), PersonType: "Employee", LastName: "Surname" + fmt.Sprint(i%997),
			NINumber: fmt.Sprintf("QQ%06dA", i*10), GMC: gmcN(i * 10)}
	}
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	rec := reconcileAll(check, pls, reconcile.Options{AsOf: asOf, KeepFull: FullInWindow(asOf)})
	return Input{AsOf: asOf, Check: check, Reconcile: rec}, pe
}

// BenchmarkRun times a first run (everything new) and an identical re-run
// on its state (nothing new) for 20,000 posts, 40,000 placements and
// 200,000 ESR people.
func BenchmarkRun(b *testing.B) {
	in, people := benchInput(b, 20000, 200000)
	first, err := runAll(in, people, State{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("APP records %d, notifications %d, MEDROT rows %d", first.Totals.APPRecords, len(first.Notifications), len(first.MEDROT))
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := runAll(in, people, State{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rerun", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := runAll(in, people, first.Next); err != nil {
				b.Fatal(err)
			}
		}
	})
}
