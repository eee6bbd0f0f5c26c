package checks

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// policyPositions: 100 and 101 share a DPN (dpn.duplicate on both), 102's
// DPN prefix has two letters (dpn.prefix, and dpn.body-mismatch: KS is not
// its body KSS), 103 is not Medical and Dental (dpn.non-medical).
func policyPositions() []model.Position {
	ps := []model.Position{
		pos("100", "100|Registrar|X|Y", "KSS/RJZ01/001/A"),
		pos("101", "101|Registrar|X|Y", "KSS/RJZ01/001/A"),
		pos("102", "102|Registrar|X|Y", "KS/RJZ01/002/A"),
		pos("103", "103|Registrar|X|Y", "KSS/RJZ01/003/A"),
	}
	for i := range ps {
		ps[i].Row = i + 2
	}
	ps[3].StaffGroup = "Allied Health"
	return ps
}

func testPolicy() *Policy {
	acc := func(rule, position string, until time.Time) Acceptance {
		return Acceptance{Rule: rule, Position: position, Reason: "reviewed", Who: "A. Person", Until: until, Source: "dpnkit.toml line 1"}
	}
	prefix := acc(RuleDPNPrefix, "102", day(2027, 3, 31))
	prefix.Value, prefix.HasValue = "KS/RJZ01/002/A", true
	return &Policy{
		Off:        map[string]bool{RuleDPNNonMedical: true},
		Severities: map[string]Severity{RuleDPNBodyMismatch: Info},
		Accepted: []Acceptance{
			acc(RuleDPNDuplicate, "100", day(2027, 1, 1)),
			acc(RuleDPNDuplicate, "101", day(2026, 11, 24)),
			prefix,
			acc(RuleDPNParts, "999", day(2027, 1, 1)), // matches nothing
		},
	}
}

func TestPolicyBaseline(t *testing.T) {
	res := checkAll(policyPositions(), nil, opts)
	want := []string{RuleDPNBodyMismatch, RuleDPNDuplicate, RuleDPNDuplicate, RuleDPNNonMedical, RuleDPNPrefix}
	if got := rules(res, nil); !slices.Equal(got, want) {
		t.Fatalf("without a policy: rules %q, want %q", got, want)
	}
}

func TestApplyPolicy(t *testing.T) {
	res := checkAll(policyPositions(), nil, opts)
	ApplyPolicy(res, testPolicy(), asOf)
	v := &res.VPDs[0]
	if got, want := rules(res, nil), []string{RuleDPNBodyMismatch, RuleDPNDuplicate}; !slices.Equal(got, want) {
		t.Fatalf("rules %q, want %q", got, want)
	}
	for _, f := range res.Findings() {
		switch f.Rule {
		case RuleDPNBodyMismatch:
			if f.Severity != Info {
				t.Errorf("dpn.body-mismatch severity %s, want info (changed by the policy)", f.Severity)
			}
		case RuleDPNDuplicate:
			if f.PositionNumber != "101" || !strings.Contains(f.Message, "expired on 2026-11-24") {
				t.Errorf("the duplicate left should be 101's, saying its acceptance expired: %+v", f)
			}
		}
	}
	var accepted []string
	for _, a := range v.AcceptedFindings {
		accepted = append(accepted, a.Rule+" "+a.PositionNumber+" "+a.Who)
	}
	if want := []string{"dpn.duplicate 100 A. Person", "dpn.prefix 102 A. Person"}; !slices.Equal(accepted, want) {
		t.Errorf("accepted %q, want %q", accepted, want)
	}
	if len(v.ExpiredFindings) != 1 || v.ExpiredFindings[0].PositionNumber != "101" || !v.ExpiredFindings[0].Expired {
		t.Errorf("expired %+v, want 101's duplicate", v.ExpiredFindings)
	}
	st := res.Totals
	if st.Errors != 1 || st.Warnings != 0 || st.Infos != 1 || st.Accepted != 2 || st.ExpiredAcceptances != 1 ||
		st.DPNIssues != 0 || st.DuplicateDPNs != 1 || st.Ready {
		t.Errorf("totals %+v: want 1 error (101's duplicate), 0 warnings, 1 info, 2 accepted, 1 expired, "+
			"no DPN issue (102's accepted), the duplicate group kept (101 open), not ready", st)
	}
	if !slices.Equal(st.RulesOff, []string{RuleDPNNonMedical}) || st.ByRule[RuleDPNNonMedical] != 0 {
		t.Errorf("rules off %q, by rule %v: want dpn.non-medical off and uncounted", st.RulesOff, st.ByRule)
	}
	if len(res.Unused) != 1 || res.Unused[0].Position != "999" {
		t.Errorf("unused %+v, want the dpn.parts acceptance of 999", res.Unused)
	}
	b, err := json.Marshal(v.AcceptedFindings[0])
	if err != nil || !strings.Contains(string(b), `"until":"2027-01-01"`) || !strings.Contains(string(b), `"rule":"dpn.duplicate"`) {
		t.Errorf("accepted finding as JSON: %s, %v", b, err)
	}
}

// On the until date the acceptance still applies; with both duplicates
// accepted the group is gone and nothing blocks go-live.
func TestApplyPolicyUntilInclusive(t *testing.T) {
	on := day(2026, 11, 24)
	res := checkAll(policyPositions(), nil, Options{AsOf: on})
	ApplyPolicy(res, testPolicy(), on)
	st := res.Totals
	if st.Errors != 0 || !st.Ready || st.Accepted != 3 || st.ExpiredAcceptances != 0 || st.DuplicateDPNs != 0 ||
		st.PositionsInDuplicates != 0 || len(res.VPDs[0].Duplicates) != 0 {
		t.Errorf("totals %+v, duplicate groups %d: want ready, 3 accepted, no duplicate group", st, len(res.VPDs[0].Duplicates))
	}
}

// A value that differs from the acceptance's is a finding again; a rule
// switched off takes its duplicate groups with it.
func TestApplyPolicyValueAndOff(t *testing.T) {
	res := checkAll(policyPositions(), nil, opts)
	p := testPolicy()
	p.Accepted[2].Value = "KS/RJZ01/002/B"
	p.Off[RuleDPNDuplicate] = true
	ApplyPolicy(res, p, asOf)
	if got, want := rules(res, nil), []string{RuleDPNBodyMismatch, RuleDPNPrefix}; !slices.Equal(got, want) {
		t.Errorf("rules %q, want %q", got, want)
	}
	st := res.Totals
	if st.DPNIssues != 1 || st.DuplicateDPNs != 0 || st.Accepted != 0 || len(res.Unused) != 4 ||
		!slices.Equal(st.RulesOff, []string{RuleDPNDuplicate, RuleDPNNonMedical}) {
		t.Errorf("totals %+v, %d unused: want 1 DPN issue, no duplicate, none accepted, all 4 unused, 2 rules off", st, len(res.Unused))
	}
}

func TestApplyPolicyEmptyChangesNothing(t *testing.T) {
	a, b := checkAll(policyPositions(), nil, opts), checkAll(policyPositions(), nil, opts)
	ApplyPolicy(b, &Policy{}, asOf)
	ApplyPolicy(b, nil, asOf)
	if !slices.Equal(rules(a, nil), rules(b, nil)) || a.Totals.Errors != b.Totals.Errors || b.Totals.RulesOff != nil {
		t.Errorf("an empty policy changed the result")
	}
}

// A policy's settings of the reconciliation's rules are not the DPN
// check's business: an acceptance of position.no-placement (or of a
// placement) is never reported unused by the check, and a reconciliation
// rule switched off is not among the check's rules off.
func TestApplyPolicyLeavesReconciliationRules(t *testing.T) {
	res := checkAll(policyPositions(), nil, opts)
	p := testPolicy()
	p.Off["position.no-placement"] = true
	p.Accepted = append(p.Accepted,
		Acceptance{Rule: "position.no-placement", Position: "100", Reason: "frozen", Who: "B", Until: day(2027, 1, 1)},
		Acceptance{Rule: "placement.no-position", Placement: "1716009", Reason: "closing", Who: "B", Until: day(2027, 1, 1)})
	ApplyPolicy(res, p, asOf)
	if len(res.Unused) != 1 || res.Unused[0].Position != "999" {
		t.Errorf("unused %+v, want only the dpn.parts acceptance of 999", res.Unused)
	}
	if !slices.Equal(res.Totals.RulesOff, []string{RuleDPNNonMedical}) {
		t.Errorf("rules off %q, want dpn.non-medical only", res.Totals.RulesOff)
	}
}
