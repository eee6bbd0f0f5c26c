package reconcile

import (
	"strings"
	"testing"
	"time"

	"dpnkit/checks"
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
