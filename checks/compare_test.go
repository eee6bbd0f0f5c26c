package checks

import (
	"reflect"
	"testing"

	"dpnkit/internal/model"
)

func TestCompare(t *testing.T) {
	f := func(rule, pos, value string, row int) Finding {
		return Finding{Rule: rule, Severity: Error, VPD: "504", File: "p.csv", Row: row, PositionNumber: pos,
			Value: value, Message: rule + " at " + pos}
	}
	past := func(rule, pos, value string, row int) PastFinding {
		x := f(rule, pos, value, row)
		return PastFinding{FindingKey: KeyOf(&x), Severity: Error, Message: x.Message, File: "p.csv", Row: row}
	}
	for _, tc := range []struct {
		name       string
		prev       []PastFinding
		cur        []Finding
		new        []Finding
		persisting int
		resolved   []PastFinding
	}{
		{name: "nothing either time"},
		{
			name: "no earlier findings: all new",
			cur:  []Finding{f("dpn.parts", "1", "A/B", 2), f("name.parts", "2", "x", 3)},
			new:  []Finding{f("dpn.parts", "1", "A/B", 2), f("name.parts", "2", "x", 3)},
		},
		{
			name:     "everything fixed: all resolved",
			prev:     []PastFinding{past("dpn.parts", "1", "A/B", 2)},
			resolved: []PastFinding{past("dpn.parts", "1", "A/B", 2)},
		},
		{
			name: "three fixed, one new, two kept",
			prev: []PastFinding{
				past("dpn.duplicate", "1", "A/B/C/D", 2), past("dpn.duplicate", "2", "A/B/C/D", 3),
				past("dpn.parts", "3", "A/B", 4), past("dpn.whitespace", "4", "A/B/C/E ", 5),
				past("name.parts", "5", "5|x", 6),
			},
			cur: []Finding{
				f("name.chars", "0", "0|a\tb|c|d", 2),
				f("dpn.duplicate", "1", "A/B/C/D", 3), f("dpn.duplicate", "2", "A/B/C/D", 4),
			},
			new:        []Finding{f("name.chars", "0", "0|a\tb|c|d", 2)},
			persisting: 2,
			resolved: []PastFinding{past("dpn.parts", "3", "A/B", 4), past("dpn.whitespace", "4", "A/B/C/E ", 5),
				past("name.parts", "5", "5|x", 6)},
		},
		{
			name:       "a moved row is the same finding",
			prev:       []PastFinding{past("dpn.parts", "1", "A/B", 2)},
			cur:        []Finding{f("dpn.parts", "1", "A/B", 40)},
			persisting: 1,
		},
		{
			name:     "a changed value is a new finding and a resolved one",
			prev:     []PastFinding{past("dpn.whitespace", "1", "A/B/C/D ", 2)},
			cur:      []Finding{f("dpn.whitespace", "1", " A/B/C/D", 2)},
			new:      []Finding{f("dpn.whitespace", "1", " A/B/C/D", 2)},
			resolved: []PastFinding{past("dpn.whitespace", "1", "A/B/C/D ", 2)},
		},
		{
			name:     "the same finding on another position",
			prev:     []PastFinding{past("dpn.parts", "1", "A/B", 2)},
			cur:      []Finding{f("dpn.parts", "2", "A/B", 2)},
			new:      []Finding{f("dpn.parts", "2", "A/B", 2)},
			resolved: []PastFinding{past("dpn.parts", "1", "A/B", 2)},
		},
		{
			name:       "a key twice before, once now: one persists, the last resolves",
			prev:       []PastFinding{past("input.date", "1", "TBC", 2), past("input.date", "1", "TBC", 3)},
			cur:        []Finding{f("input.date", "1", "TBC", 2)},
			persisting: 1,
			resolved:   []PastFinding{past("input.date", "1", "TBC", 3)},
		},
		{
			name:       "a key once before, twice now: one persists, the last is new",
			prev:       []PastFinding{past("input.date", "1", "TBC", 2)},
			cur:        []Finding{f("input.date", "1", "TBC", 2), f("input.date", "1", "TBC", 3)},
			new:        []Finding{f("input.date", "1", "TBC", 3)},
			persisting: 1,
		},
		{
			name: "no position number: keyed by rule and value",
			prev: []PastFinding{past("input.repaired", "", "x", 2), past("input.repaired", "", "y", 9)},
			cur:  []Finding{f("input.repaired", "", "y", 3), f("input.repaired", "", "z", 4)},
			new:  []Finding{f("input.repaired", "", "z", 4)}, persisting: 1,
			resolved: []PastFinding{past("input.repaired", "", "x", 2)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Compare(tc.prev, tc.cur)
			if !reflect.DeepEqual(got.New, tc.new) {
				t.Errorf("new = %+v\nwant %+v", got.New, tc.new)
			}
			if got.Persisting != tc.persisting {
				t.Errorf("persisting = %d, want %d", got.Persisting, tc.persisting)
			}
			if !reflect.DeepEqual(got.Resolved, tc.resolved) {
				t.Errorf("resolved = %+v\nwant %+v", got.Resolved, tc.resolved)
			}
			if n := len(got.New) + got.Persisting; n != len(tc.cur) {
				t.Errorf("new + persisting = %d, want every current finding (%d)", n, len(tc.cur))
			}
			if n := len(got.Resolved) + got.Persisting; n != len(tc.prev) {
				t.Errorf("resolved + persisting = %d, want every earlier finding (%d)", n, len(tc.prev))
			}
			if got.Compared() {
				t.Error("Compare set Previous; the caller does")
			}
		})
	}
}

func TestPositionsPast(t *testing.T) {
	v := &VPDResult{
		Positions: []model.Position{{Number: "1", Name: "1|FY1|N6A|Med", DPN: "EOE/A/1/2", File: "a.csv", Row: 2}},
		Inactive:  []model.Position{{Number: "2", Name: "2|FY2|N6A|Med", DPN: "EOE/A/1/3", File: "a.csv", Row: 3}},
	}
	p := IndexPositions(v)
	for _, tc := range []struct {
		f          Finding
		name, dpn  string
		wantLookup bool
	}{
		{Finding{Rule: RuleNameParts, File: "a.csv", Row: 2, PositionNumber: "1", Value: "v"}, "1|FY1|N6A|Med", "EOE/A/1/2", true},
		{Finding{Rule: RuleDPNInactive, File: "a.csv", Row: 3, PositionNumber: "2", Value: "EOE/A/1/3"}, "2|FY2|N6A|Med", "EOE/A/1/3", true},
		{Finding{Rule: RuleNameParts, File: "b.csv", Row: 2, PositionNumber: "1", Value: "v"}, "", "", false},
		{Finding{Rule: RuleBodyWithoutDPN, File: "a.csv", Row: 9, PositionNumber: "9", Value: "EOE"}, "", "", false},
	} {
		got := p.Past(&tc.f)
		want := PastFinding{FindingKey: KeyOf(&tc.f), Severity: tc.f.Severity, Message: tc.f.Message,
			PositionName: tc.name, DPN: tc.dpn, File: tc.f.File, Row: tc.f.Row}
		if got != want {
			t.Errorf("Past(%s %s:%d) = %+v, want %+v", tc.f.Rule, tc.f.File, tc.f.Row, got, want)
		}
	}
}

func TestChangeTotals(t *testing.T) {
	ref := func(id int64) CheckRef { return CheckRef{ID: id} }
	ch := func(id int64, newN, persisting, resolved int) *Changes {
		return &Changes{Previous: ref(id), New: make([]Finding, newN), Persisting: persisting,
			Resolved: make([]PastFinding, resolved)}
	}
	for _, tc := range []struct {
		name    string
		changes []*Changes
		want    ChangeTotals
		ok      bool
	}{
		{"no history", []*Changes{nil, nil}, ChangeTotals{}, false},
		{"first checks only", []*Changes{{}, {}}, ChangeTotals{}, false},
		{"one previous check", []*Changes{ch(4, 1, 2, 3), nil, ch(4, 10, 20, 30), {}},
			ChangeTotals{VPDs: 2, New: 11, Persisting: 22, Resolved: 33, Previous: ref(4)}, true},
		{"different previous checks", []*Changes{ch(4, 1, 2, 3), ch(5, 1, 1, 1)},
			ChangeTotals{VPDs: 2, New: 2, Persisting: 3, Resolved: 4}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r Result
			for _, c := range tc.changes {
				r.VPDs = append(r.VPDs, VPDResult{Changes: c})
			}
			got, ok := r.ChangeTotals()
			if got != tc.want || ok != tc.ok {
				t.Errorf("ChangeTotals = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
