package checks

import (
	"testing"

	"dpnkit/internal/model"
)

func TestChecksCoverCatalogueInOrder(t *testing.T) {
	var got []string
	for _, c := range Checks {
		_, pc := c.(PositionCheck)
		_, sc := c.(SetCheck)
		if pc == sc {
			t.Errorf("%T must be exactly one of PositionCheck and SetCheck", c)
		}
		got = append(got, c.Rules()...)
	}
	var want []string
	for _, r := range Catalogue {
		want = append(want, r.ID)
	}
	if !equalStrings(got, want) {
		t.Errorf("rules of Checks =\n%q\nwant catalogue order\n%q", got, want)
	}
}

func TestFindingSeverityFromCatalogue(t *testing.T) {
	// One position breaking an error, a warning and an info rule.
	p := pos("1", "1|x|y|z", "kss/A/1/2")
	p.Repaired = true
	res := checkAll([]model.Position{p}, nil, opts)
	want := map[string]Severity{RuleDPNLowercase: Warning, RuleInputRepaired: Info}
	q := pos("2", "ABC|x|y|z", "KSS/B/1/2")
	res2 := checkAll([]model.Position{q}, nil, opts)
	for _, f := range append(res.Findings(), res2.Findings()...) {
		w, ok := want[f.Rule]
		if f.Rule == RuleNameNumber {
			w, ok = Error, true
		}
		if !ok {
			t.Errorf("unexpected finding %s", f.Rule)
			continue
		}
		if f.Severity != w {
			t.Errorf("%s severity = %v, want %v", f.Rule, f.Severity, w)
		}
	}
	if n := len(res.Findings()) + len(res2.Findings()); n != 3 {
		t.Errorf("got %d findings, want 3", n)
	}
}
