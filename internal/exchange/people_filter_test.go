package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

func TestPeopleKeepKeepsOnlyPossibleMatches(t *testing.T) {
	rec := &reconcile.Result{Placements: []reconcile.PlacementResult{
		{Placement: &reconcile.KeptPlacement{GMC: "7021070"}, Full: &model.Placement{NINumber: "ab 12 34 56 c", GMC: "7021070"}},
		{Placement: &reconcile.KeptPlacement{GMC: "7455687"}}, // not in the window: no full record, cannot be an applicant
		{Placement: &reconcile.KeptPlacement{GMC: "7300001"}, Full: &model.Placement{GMC: " 7300001 "}},
		{Placement: &reconcile.KeptPlacement{}},
	}}
	test := PeopleKeep(rec)
	keep := func(p *model.Person) bool { return test(p.GMC, p.NINumber) }
	for _, c := range []struct {
		p    model.Person
		want bool
	}{
		{model.Person{NINumber: "AB123456C"}, true},        // NI, normalised
		{model.Person{GMC: " 7300001"}, true},              // GMC, trimmed
		{model.Person{GMC: "7455687"}, false},              // a placement outside the window
		{model.Person{GMC: "7021070", NINumber: ""}, true}, // GMC of a placement with an NI too
		{model.Person{NINumber: "ZZ999999Z", GMC: "1234567"}, false},
		{model.Person{}, false},
	} {
		if got := keep(&c.p); got != c.want {
			t.Errorf("keep(%+v) = %v, want %v", c.p, got, c.want)
		}
	}
}

// The loader calls its sink, and so the filter, from several goroutines:
// run with -race this fails if the filter shares a buffer between calls.
func TestPeopleKeepIsSafeForConcurrentUse(t *testing.T) {
	rec := &reconcile.Result{Placements: []reconcile.PlacementResult{
		{Placement: &reconcile.KeptPlacement{}, Full: &model.Placement{NINumber: "AB123456C"}},
	}}
	test := PeopleKeep(rec)
	keep := func(p *model.Person) bool { return test(p.GMC, p.NINumber) }
	done := make(chan bool)
	for g := range 4 {
		go func() {
			ok := true
			for i := range 1000 {
				p := model.Person{NINumber: "ab 12 34 56 c"}
				if (i+g)%2 == 1 {
					p.NINumber = "ZZ 99 99 99 Z"
				}
				ok = ok && keep(&p) == ((i+g)%2 == 0)
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("a concurrent call got another call's answer")
		}
	}
}

// A reconciliation that dropped the full record of a placement the run
// could send is refused, not turned into an applicant with no details.
func TestRunRefusesAnApplicantWithoutItsFullRecord(t *testing.T) {
	ps := []model.Position{position("504", "654321", "10508064", "KSS/RJZ01/030/STR/001")}
	pls := []model.Placement{placement("1716002", "KSS/RJZ01/030/STR/001", "Ghani", "Yaser", gmcN(1), day0(10), day0(200))}
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	rec := reconcileAll(check, pls, reconcile.Options{AsOf: asOf, Lean: true})
	if _, err := Run(Input{AsOf: asOf, Check: check, Reconcile: rec}, State{}); err == nil ||
		!strings.Contains(err.Error(), "1716002") || !strings.Contains(err.Error(), "KeepFull") {
		t.Fatalf("err = %v, want the placement named and KeepFull", err)
	}
	// With the window's records kept, the same input runs.
	rec = reconcileAll(check, pls, reconcile.Options{AsOf: asOf, KeepFull: FullInWindow(asOf)})
	res, err := Run(Input{AsOf: asOf, Check: check, Reconcile: rec}, State{})
	if err != nil || appRecords(res) != 1 {
		t.Fatalf("err %v, %d APP records, want 1", err, appRecords(res))
	}
}

// TestSieve: the sieve never says no to a number added (the filter would
// lose a match), and says no to most others (else it saves nothing): with
// 100,000 numbers in 2^21 bits about 5% of the others are false alarms.
func TestSieve(t *testing.T) {
	var s sieve
	for i := 0; i < 100000; i++ {
		s.add(fmt.Sprint(7000000 + 3*i))
	}
	alarms := 0
	for i := 0; i < 100000; i++ {
		if !s.may(fmt.Sprint(7000000 + 3*i)) {
			t.Fatalf("%d was added but may says no", 7000000+3*i)
		}
		if s.may(fmt.Sprint(7000001 + 3*i)) {
			alarms++
		}
	}
	if alarms > 10000 {
		t.Errorf("%d false alarms in 100,000, want about 5,000", alarms)
	}
}

// Ready is handed the result so far once, before the people are asked
// for: its positions are the Next state's, its POR, APP files and MEDROT
// rows those of the finished run.
func TestRunReadyBeforePeople(t *testing.T) {
	ps := []model.Position{position("504", "654321", "10508064", "KSS/RJZ01/030/STR/001"),
		position("504", "654322", "10508065", "KSS/RJZ01/030/STR/002")}
	pls := []model.Placement{placement("1716002", "KSS/RJZ01/030/STR/001", "Ghani", "Yaser", gmcN(1), day0(10), day0(200))}
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	rec := reconcileAll(check, pls, reconcile.Options{AsOf: asOf, KeepFull: FullInWindow(asOf)})
	var calls []string
	var (
		handed map[string]*POR
		early  []byte // what Ready was handed, as it was then
	)
	final := func(r *Result) []byte {
		b, err := json.Marshal([]any{r.AsOf, r.First, r.Outbound, r.Excluded, r.APPFiles, r.MEDROT, r.Next.Positions})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	res, err := Run(Input{AsOf: asOf, Check: check, Reconcile: rec,
		Ready: func(r *Result) {
			calls = append(calls, "ready")
			handed = r.Next.Positions
			early = final(r)
		},
		WaitPeople: func() ([]model.Person, error) { calls = append(calls, "people"); return nil, nil },
	}, State{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(calls, []string{"ready", "people"}) {
		t.Errorf("calls = %v, want ready then people", calls)
	}
	if late := final(res); !bytes.Equal(early, late) || len(res.Outbound) != 2 || len(res.APPFiles) != 1 || len(res.MEDROT) != 1 {
		t.Errorf("Ready was handed\n%s\nthe run ends with\n%s", early, late)
	}
	if len(handed) != 2 || !maps.Equal(handed, res.Next.Positions) {
		t.Errorf("handed %v, Next.Positions %v", handed, res.Next.Positions)
	}
	if p := handed["654321"]; p.DeaneryNumber != "KSS/RJZ01/030/STR/001" || p.ChangeDeleteIndicator != "C" {
		t.Errorf("position 654321 handed as %+v", p)
	}
}
