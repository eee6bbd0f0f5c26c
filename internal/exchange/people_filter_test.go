package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
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
	if _, err := runAll(Input{AsOf: asOf, Check: check, Reconcile: rec}, nil, State{}); err == nil ||
		!strings.Contains(err.Error(), "1716002") || !strings.Contains(err.Error(), "KeepFull") {
		t.Fatalf("err = %v, want the placement named and KeepFull", err)
	}
	// With the window's records kept, the same input runs.
	rec = reconcileAll(check, pls, reconcile.Options{AsOf: asOf, KeepFull: FullInWindow(asOf)})
	res, err := runAll(Input{AsOf: asOf, Check: check, Reconcile: rec}, nil, State{})
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

// A plan's files and next positions are final: Finish, with the people,
// leaves them as they were and its result holds the same.
func TestPlanFinalBeforePeople(t *testing.T) {
	ps := []model.Position{position("504", "654321", "10508064", "KSS/RJZ01/030/STR/001"),
		position("504", "654322", "10508065", "KSS/RJZ01/030/STR/002")}
	pls := []model.Placement{placement("1716002", "KSS/RJZ01/030/STR/001", "Ghani", "Yaser", gmcN(1), day0(10), day0(200))}
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	rec := reconcileAll(check, pls, reconcile.Options{AsOf: asOf, KeepFull: FullInWindow(asOf)})
	plan, err := PlanRun(Input{AsOf: asOf, Check: check, Reconcile: rec}, State{})
	if err != nil {
		t.Fatal(err)
	}
	final := func(outbound []POR, app []APPFile, medrot []MedrotRow, positions map[string]*POR, tis *TISSeen) []byte {
		b, err := json.Marshal([]any{outbound, app, medrot, positions, tis})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	early := final(plan.Outbound, plan.APPFiles, plan.MEDROT, plan.Positions, plan.TIS)
	if len(plan.Outbound) != 2 || len(plan.APPFiles) != 1 || len(plan.MEDROT) != 1 || len(plan.Positions) != 2 {
		t.Fatalf("plan: %d POR, %d APP files, %d MEDROT rows, %d positions; want 2, 1, 1, 2",
			len(plan.Outbound), len(plan.APPFiles), len(plan.MEDROT), len(plan.Positions))
	}
	if p := plan.Positions["654321"]; p.DeaneryNumber != "KSS/RJZ01/030/STR/001" || p.ChangeDeleteIndicator != "C" {
		t.Errorf("position 654321 planned as %+v", p)
	}
	res := plan.Finish([]model.Person{{VPD: "504", LastName: "Ghani", GMC: gmcN(1), PersonType: "Employee"}})
	if again := final(plan.Outbound, plan.APPFiles, plan.MEDROT, plan.Positions, plan.TIS); !bytes.Equal(early, again) {
		t.Errorf("Finish changed the plan:\n%s\nnow\n%s", early, again)
	}
	if late := final(res.Outbound, res.APPFiles, res.MEDROT, res.Next.Positions, res.Next.TIS); !bytes.Equal(early, late) {
		t.Errorf("planned\n%s\nthe run ends with\n%s", early, late)
	}
	if !maps.Equal(plan.Positions, res.Next.Positions) || plan.TIS != res.Next.TIS {
		t.Error("the result's next positions or TIS are not the plan's")
	}
	if res.Rows.People.Kept != 1 {
		t.Errorf("people kept %d, want the 1 handed to Finish", res.Rows.People.Kept)
	}
	defer func() {
		if recover() == nil {
			t.Error("a second Finish did not panic")
		}
	}()
	plan.Finish(nil)
}
