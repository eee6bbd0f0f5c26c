package reconcile

import (
	"strings"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// TestApplyPolicy: a placement finding accepted by its placement id leaves
// the findings and every per-rule count it was in (totals, its managing
// deanery, employing body and VPD groups); another placement's finding of
// the same rule stays; an expired acceptance keeps its finding, saying so;
// an acceptance of a placement with no finding is reported unused.
func TestApplyPolicy(t *testing.T) {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	byRule := func(n int) map[string]int { return map[string]int{RulePlacementNoPosition: n} }
	res := &Result{
		AsOf: asOf,
		Placements: []PlacementResult{
			{Placement: &KeptPlacement{ID: " P1 ", ManagingDeanery: "KSS", EmployingBody: "Trust A"}},
			{Placement: &KeptPlacement{ID: "P2", ManagingDeanery: "KSS", EmployingBody: "Trust B"}},
			{Placement: &KeptPlacement{ID: "P3", ManagingDeanery: "KSS", EmployingBody: "Trust B"}},
		},
		Findings: []checks.Finding{
			{Rule: RulePlacementNoPosition, Severity: checks.Error, PlacementID: "P1", Value: "X/1", Message: "m1"},
			{Rule: RulePlacementNoPosition, Severity: checks.Error, PlacementID: "P2", Value: "X/2", Message: "m2"},
			{Rule: RulePlacementNoPosition, Severity: checks.Error, PlacementID: "P3", Value: "X/3", Message: "m3"},
		},
		Totals:            Stats{ByRule: byRule(3)},
		ByManagingDeanery: []Stats{{Group: "KSS", ByRule: byRule(3)}},
		ByEmployingBody:   []Stats{{Group: "Trust A", ByRule: byRule(1)}, {Group: "Trust B", ByRule: byRule(2)}},
		ByVPD:             []Stats{{Group: NoGroup, ByRule: byRule(3)}},
	}
	until := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	p := &checks.Policy{Accepted: []checks.Acceptance{
		{Rule: RulePlacementNoPosition, Placement: "P1", Reason: "closing", Who: "B", Until: until},
		{Rule: RulePlacementNoPosition, Placement: "P3", Reason: "old", Who: "C", Until: asOf.AddDate(0, 0, -1)},
		{Rule: RulePlacementNoPosition, Placement: "P9", Reason: "none", Who: "D", Until: until, Source: "dpnkit.toml line 30"},
	}}
	ApplyPolicy(res, p)

	if len(res.Findings) != 2 || res.Findings[0].PlacementID != "P2" || res.Findings[1].PlacementID != "P3" {
		t.Fatalf("findings = %+v, want P2 and P3", res.Findings)
	}
	if !strings.Contains(res.Findings[1].Message, "acceptance by C expired on 2026-11-24") {
		t.Errorf("expired finding's message = %q", res.Findings[1].Message)
	}
	if len(res.Accepted) != 1 || res.Accepted[0].PlacementID != "P1" || res.Accepted[0].Reason != "closing" {
		t.Errorf("accepted = %+v, want P1's", res.Accepted)
	}
	if len(res.ExpiredAcceptances) != 1 || res.ExpiredAcceptances[0].PlacementID != "P3" {
		t.Errorf("expired = %+v, want P3's", res.ExpiredAcceptances)
	}
	if len(res.UnusedAcceptances) != 1 || res.UnusedAcceptances[0].Placement != "P9" {
		t.Errorf("unused = %+v, want P9's", res.UnusedAcceptances)
	}
	for name, got := range map[string]int{
		"totals":  res.Totals.ByRule[RulePlacementNoPosition],
		"KSS":     res.ByManagingDeanery[0].ByRule[RulePlacementNoPosition],
		"Trust B": res.ByEmployingBody[1].ByRule[RulePlacementNoPosition],
		"no VPD":  res.ByVPD[0].ByRule[RulePlacementNoPosition],
	} {
		want := 2 // P2 and P3 (its acceptance expired) still count; P1 does not
		if got != want {
			t.Errorf("%s: %s = %d, want %d", name, RulePlacementNoPosition, got, want)
		}
	}
	if _, ok := res.ByEmployingBody[0].ByRule[RulePlacementNoPosition]; ok {
		t.Errorf("Trust A still counts %s after its only finding was accepted", RulePlacementNoPosition)
	}
}

// TestApplyPolicyExceptions: a placement is an exception only as long as
// its findings say so. P1's one error is accepted, so it is no longer an
// exception: the Exceptions counts of the totals and of its groups lose it
// and it moves behind the exceptions, into its place by managing deanery.
// P2 keeps its warning. P3, a bucket post's applicant without a finding of
// its own, stays an exception. P4's info finding raised to a warning makes
// it one. The position.no-placement rule switched off takes its finding
// off the unplaced counts of the totals and of its VPD.
func TestApplyPolicyExceptions(t *testing.T) {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	ref := func(vpd string) []PositionRef { return []PositionRef{{VPD: vpd, PositionNumber: "1", DPN: "X/1"}} }
	res := &Result{
		AsOf: asOf,
		// Exceptions first, each part in the reconciliation's order (rank:
		// by managing deanery, then placement id).
		Placements: []PlacementResult{
			{Placement: &KeptPlacement{ID: "P2", ManagingDeanery: "KSS", EmployingBody: "Trust B"}, Exception: true, Positions: ref("RA1"), rank: 1},
			{Placement: &KeptPlacement{ID: "P3", ManagingDeanery: "KSS", EmployingBody: "Trust B"}, Exception: true, bucket: true, Positions: ref("RA1"), rank: 2},
			{Placement: &KeptPlacement{ID: "P1", ManagingDeanery: "LDN", EmployingBody: "Trust A"}, Exception: true, Positions: ref("RA2"), rank: 4},
			{Placement: &KeptPlacement{ID: "P0", ManagingDeanery: "EMD", EmployingBody: "Trust A"}, Positions: ref("RA2"), rank: 0},
			{Placement: &KeptPlacement{ID: "P4", ManagingDeanery: "KSS", EmployingBody: "Trust B"}, Positions: ref("RA1"), rank: 3},
			{Placement: &KeptPlacement{ID: "P5", ManagingDeanery: "WMD", EmployingBody: "Trust A"}, Positions: ref("RA2"), rank: 5},
		},
		Findings: []checks.Finding{
			{Rule: RulePlacementNoPosition, Severity: checks.Error, PlacementID: "P1", Value: "X/1"},
			{Rule: RulePlacementOverlap, Severity: checks.Warning, PlacementID: "P2", Value: "X/2"},
			{Rule: RulePlacementVacancy, Severity: checks.Info, PlacementID: "P4", Value: "X/4"},
			{Rule: RulePositionNoPlacement, Severity: checks.Info, VPD: "RA1", PositionNumber: "9", Value: "X/9"},
		},
		Totals: Stats{Exceptions: 3, Unplaced: 1, ByRule: map[string]int{RulePlacementNoPosition: 1, RulePlacementOverlap: 1,
			RulePlacementVacancy: 1, RulePositionNoPlacement: 1}},
		ByManagingDeanery: []Stats{{Group: "EMD"}, {Group: "KSS", Exceptions: 2}, {Group: "LDN", Exceptions: 1}, {Group: "WMD"}},
		ByEmployingBody:   []Stats{{Group: "Trust A", Exceptions: 1}, {Group: "Trust B", Exceptions: 2}},
		ByVPD: []Stats{{Group: "RA1", Exceptions: 2, Unplaced: 1, ByRule: map[string]int{RulePositionNoPlacement: 1}},
			{Group: "RA2", Exceptions: 1}},
	}
	p := &checks.Policy{
		Off:        map[string]bool{RulePositionNoPlacement: true},
		Severities: map[string]checks.Severity{RulePlacementVacancy: checks.Warning},
		Accepted: []checks.Acceptance{{Rule: RulePlacementNoPosition, Placement: "P1", Reason: "closing", Who: "B",
			Until: asOf.AddDate(0, 1, 0)}},
	}
	ApplyPolicy(res, p)

	var order []string
	var exceptions []string
	for _, pr := range res.Placements {
		order = append(order, pr.Placement.ID)
		if pr.Exception {
			exceptions = append(exceptions, pr.Placement.ID)
		}
	}
	if got, want := strings.Join(order, " "), "P2 P3 P4 P0 P1 P5"; got != want {
		t.Errorf("order %s, want %s", got, want)
	}
	if got, want := strings.Join(exceptions, " "), "P2 P3 P4"; got != want {
		t.Errorf("exceptions %s, want %s", got, want)
	}
	for name, c := range map[string][2]int{
		"totals":                            {res.Totals.Exceptions, 3},
		"KSS":                               {res.ByManagingDeanery[1].Exceptions, 3},
		"LDN":                               {res.ByManagingDeanery[2].Exceptions, 0},
		"Trust A":                           {res.ByEmployingBody[0].Exceptions, 0},
		"Trust B":                           {res.ByEmployingBody[1].Exceptions, 3},
		"RA1":                               {res.ByVPD[0].Exceptions, 3},
		"RA2":                               {res.ByVPD[1].Exceptions, 0},
		"unplaced totals":                   {res.Totals.Unplaced, 0},
		"unplaced RA1":                      {res.ByVPD[0].Unplaced, 0},
		"RA1 " + RulePositionNoPlacement:    {res.ByVPD[0].ByRule[RulePositionNoPlacement], 0},
		"totals " + RulePositionNoPlacement: {res.Totals.ByRule[RulePositionNoPlacement], 0},
	} {
		if c[0] != c[1] {
			t.Errorf("%s: %d, want %d", name, c[0], c[1])
		}
	}
}

// TestApplyPolicyUnplaced: position.no-placement is accepted by position
// like a rule of the DPN check. Position 100's finding is accepted: it
// leaves the findings, the unplaced counts and the Unplaced list, and is
// listed as accepted; position 200's stays. An acceptance of position 300,
// which has no such finding, is reported unused by the reconciliation.
func TestApplyPolicyUnplaced(t *testing.T) {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	finding := func(number string, row int) checks.Finding {
		return checks.Finding{Rule: RulePositionNoPlacement, Severity: checks.Info, VPD: "RA1", File: "pos.csv", Row: row,
			PositionNumber: number, Value: "KSS/RA1/" + number}
	}
	res := &Result{
		AsOf: asOf,
		Unplaced: []model.Position{
			{VPD: "RA1", Number: "100", File: "pos.csv", Row: 2},
			{VPD: "RA1", Number: "200", File: "pos.csv", Row: 3},
		},
		Findings: []checks.Finding{finding("100", 2), finding("200", 3)},
		Totals:   Stats{Unplaced: 2, ByRule: map[string]int{RulePositionNoPlacement: 2}},
		ByVPD:    []Stats{{Group: "RA1", Unplaced: 2, ByRule: map[string]int{RulePositionNoPlacement: 2}}},
	}
	until := asOf.AddDate(0, 1, 0)
	p := &checks.Policy{Accepted: []checks.Acceptance{
		{Rule: RulePositionNoPlacement, VPD: "RA1", Position: "100", Reason: "frozen post", Who: "B", Until: until},
		{Rule: RulePositionNoPlacement, VPD: "RA1", Position: "300", Reason: "gone", Who: "C", Until: until},
	}}
	ApplyPolicy(res, p)

	if len(res.Findings) != 1 || res.Findings[0].PositionNumber != "200" {
		t.Errorf("findings %+v, want position 200's only", res.Findings)
	}
	if len(res.Unplaced) != 1 || res.Unplaced[0].Number != "200" {
		t.Errorf("unplaced %+v, want position 200 only", res.Unplaced)
	}
	if len(res.Accepted) != 1 || res.Accepted[0].PositionNumber != "100" || res.Accepted[0].Reason != "frozen post" {
		t.Errorf("accepted %+v, want position 100's", res.Accepted)
	}
	if len(res.UnusedAcceptances) != 1 || res.UnusedAcceptances[0].Position != "300" {
		t.Errorf("unused %+v, want position 300's", res.UnusedAcceptances)
	}
	if res.Totals.Unplaced != 1 || res.ByVPD[0].Unplaced != 1 || res.ByVPD[0].ByRule[RulePositionNoPlacement] != 1 ||
		res.Totals.ByRule[RulePositionNoPlacement] != 1 {
		t.Errorf("counts: totals %+v, RA1 %+v; want one unplaced each", res.Totals, res.ByVPD[0])
	}
}
