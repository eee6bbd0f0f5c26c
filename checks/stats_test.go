package checks

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// statsFixture is a small two-VPD run whose statistics are counted by hand
// in TestStatistics.
func statsFixture() []model.Position {
	mk := func(vpd, num, name, dpn string, row int) model.Position {
		p := pos(num, name, dpn)
		p.VPD, p.Row = vpd, row
		return p
	}
	a2 := mk("123", "2", "2|x|y|z", "", 3)
	a2.ManagingBody = ""
	a3 := mk("123", "3", "3|x|y|z", "KSS/A/1/2", 4)
	a3.EffectiveTo = asOf.Add(-24 * time.Hour)
	b6 := mk("504", "16", "16|x|y|z", "", 8)
	b7 := mk("504", "17", "17|x|y|z", "", 9)
	b7.HiringStatus, b7.ManagingBody = "Eliminated", ""
	b7.DateIssues = []model.DateIssue{{Column: "Effective To Date", Value: "2026-13-01"}}
	b8 := mk("504", "15", "99|x|y|z", "KSS/E/1/2", 10)
	b8.StaffGroup, b8.ManagingBody = "Nursing", ""
	return []model.Position{
		mk("123", "1", "1|x|y|z", "KSS/A/1/2", 2), // clean, but cross-VPD with b1
		a2, // active, no DPN, no body: nothing
		a3, // end-dated: dpn.inactive
		mk("504", "10", "10|x|y|z", "KSS/A/1/2", 2),   // cross-VPD with a1
		mk("504", "11", "ABC|x|y", "KSS//1/2", 3),     // empty-part, name.parts, name.number
		mk("504", "12", "12|x|y|z", "KSS/B\t/1/2", 4), // chars
		mk("504", "13", "13|x|y|z", "KSS/C/1/2", 5),   // duplicate
		mk("504", "14", "14|x|y|z", "kss/c/1/2", 6),   // duplicate, lowercase
		b6, // no DPN, body KSS: body.without-dpn
		b7, // eliminated, no DPN, bad date: input.date
		b8, // number-mismatch, non-medical, body-missing
	}
}

func TestStatistics(t *testing.T) {
	res := checkAll(statsFixture(), []model.Input{{Path: "positions.csv", Rows: 11}}, opts)
	want123 := Stats{
		VPD: "123", Positions: 3, Active: 2, ActiveWithDPN: 1,
		Warnings: 1, Infos: 1, Ready: true,
		ByRule: map[string]int{RuleDPNCrossVPD: 1, RuleDPNInactive: 1},
	}
	want504 := Stats{
		VPD: "504", Positions: 8, Active: 7, ActiveWithDPN: 6,
		DuplicateDPNs: 1, PositionsInDuplicates: 2, DPNIssues: 2, PositionNameIssues: 1,
		Errors:   7, // empty-part, name.parts, name.number, chars, 2 duplicates, input.date
		Warnings: 6, InputErrors: 1, Ready: false,
		ByRule: map[string]int{
			RuleDPNCrossVPD: 1, RuleDPNEmptyPart: 1, RuleNameParts: 1, RuleNameNumber: 1, RuleDPNChars: 1,
			RuleDPNDuplicate: 2, RuleDPNLowercase: 1, RuleBodyWithoutDPN: 1, RuleInputDate: 1,
			RuleNameNumberMismatch: 1, RuleDPNNonMedical: 1, RuleDPNBodyMissing: 1,
		},
	}
	wantTotals := Stats{
		Positions: 11, Active: 9, ActiveWithDPN: 7,
		DuplicateDPNs: 1, PositionsInDuplicates: 2, DPNIssues: 2, PositionNameIssues: 1,
		Errors: 7, Warnings: 7, Infos: 1, InputErrors: 1, Ready: false,
		ByRule: map[string]int{
			RuleDPNCrossVPD: 2, RuleDPNInactive: 1, RuleDPNEmptyPart: 1, RuleNameParts: 1, RuleNameNumber: 1,
			RuleDPNChars: 1, RuleDPNDuplicate: 2, RuleDPNLowercase: 1, RuleBodyWithoutDPN: 1, RuleInputDate: 1,
			RuleNameNumberMismatch: 1, RuleDPNNonMedical: 1, RuleDPNBodyMissing: 1,
		},
	}
	if len(res.VPDs) != 2 {
		t.Fatalf("got %d VPDs, want 2", len(res.VPDs))
	}
	for i, want := range []Stats{want123, want504} {
		if got := res.VPDs[i].Stats; !reflect.DeepEqual(got, want) {
			t.Errorf("VPD %s stats\n got %+v\nwant %+v", want.VPD, got, want)
		}
	}
	if !reflect.DeepEqual(res.Totals, wantTotals) {
		t.Errorf("totals\n got %+v\nwant %+v", res.Totals, wantTotals)
	}
	if len(res.Inputs) != 1 || res.Inputs[0].Path != "positions.csv" {
		t.Errorf("inputs = %+v", res.Inputs)
	}
	// The 504 duplicate group points at positions 13 and 14 (indexes 3, 4 of 10..15).
	v := res.VPDs[1]
	if len(v.Duplicates) != 1 || !reflect.DeepEqual(v.Duplicates[0], DuplicateGroup{DPN: "KSS/C/1/2", Positions: []int{3, 4}}) {
		t.Errorf("duplicates = %+v", v.Duplicates)
	}
}

func TestStatisticsEmptyRun(t *testing.T) {
	res := checkAll(nil, nil, opts)
	if len(res.VPDs) != 0 || !res.Totals.Ready || res.Totals.Positions != 0 || res.Totals.ByRule != nil {
		t.Errorf("empty run = %+v; want no VPDs, ready", res)
	}
	if res.Worst() != 0 {
		t.Errorf("empty run worst = %v", res.Worst())
	}
}

// TestReadyFromSeverities: READY for go-live exactly when no finding is of
// severity error; warnings and info never block, an unreadable date does.
func TestReadyFromSeverities(t *testing.T) {
	ended := pos("1", "1|x|y|z", "KSS/A/1/2")
	ended.EffectiveTo = asOf.Add(-24 * time.Hour) // dpn.inactive (info)
	badDate := pos("1", "1|x|y|z", "KSS/A/1/2")
	badDate.DateIssues = []model.DateIssue{{Column: "Effective To Date", Value: "TBC"}}
	tests := []struct {
		name   string
		ps     []model.Position
		ready  bool
		errors int
	}{
		{"clean", []model.Position{pos("1", "1|x|y|z", "KSS/A/1/2")}, true, 0},
		{"warnings only", []model.Position{pos("1", "2|x|y|z", " kss/a/1/2")}, true, 0},
		{"info only", []model.Position{ended}, true, 0},
		{"unreadable date", []model.Position{badDate}, false, 1},
		{"one DPN issue", []model.Position{pos("1", "1|x|y|z", "KSS/A/1")}, false, 1},
		{"one name issue", []model.Position{pos("1", "1|x|y", "KSS/A/1/2")}, false, 1},
		{"one duplicate", []model.Position{pos("1", "1|x|y|z", "KSS/A/1/2"), pos("2", "2|x|y|z", "KSS/A/1/2")}, false, 2},
	}
	for _, tt := range tests {
		res := checkAll(tt.ps, nil, opts)
		if res.Totals.Ready != tt.ready || res.VPDs[0].Ready != tt.ready {
			t.Errorf("%s: ready = %v/%v, want %v", tt.name, res.Totals.Ready, res.VPDs[0].Ready, tt.ready)
		}
		if res.Totals.Errors != tt.errors || res.VPDs[0].Errors != tt.errors {
			t.Errorf("%s: errors = %d/%d, want %d", tt.name, res.Totals.Errors, res.VPDs[0].Errors, tt.errors)
		}
		if blocks := BlocksGoLive(res.Worst()); blocks == tt.ready {
			t.Errorf("%s: worst severity %v blocks = %v, but ready = %v", tt.name, res.Worst(), blocks, tt.ready)
		}
	}
}

func TestFindingsOrder(t *testing.T) {
	fs := []Finding{
		{Row: 5, Rule: "dpn.parts", File: "a", Value: "x"},
		{Row: 2, Rule: "name.parts", File: "a", Value: "x"},
		{Row: 2, Rule: "dpn.parts", File: "b", Value: "x"},
		{Row: 2, Rule: "dpn.parts", File: "a", Value: "y"},
		{Row: 2, Rule: "dpn.parts", File: "a", Value: "x", Column: "B"},
		{Row: 2, Rule: "dpn.parts", File: "a", Value: "x", Column: "A"},
	}
	sortFindings(fs)
	want := []string{"2 dpn.parts a x A", "2 dpn.parts a x B", "2 dpn.parts a y ", "2 dpn.parts b x ", "2 name.parts a x ", "5 dpn.parts a x "}
	for i, f := range fs {
		if got := fmt.Sprintf("%d %s %s %s %s", f.Row, f.Rule, f.File, f.Value, f.Column); got != want[i] {
			t.Errorf("finding %d = %q, want %q", i, got, want[i])
		}
	}
}
