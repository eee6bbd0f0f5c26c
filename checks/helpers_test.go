package checks

import (
	"sort"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// asOf is the as-of date of every test.
var asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

var opts = Options{AsOf: asOf}

// pos is an active CSV position of VPD 504 whose every field passes, apart
// from what the test sets.
func pos(number, name, dpn string) model.Position {
	return model.Position{
		VPD:          "504",
		Number:       number,
		Name:         name,
		DPN:          dpn,
		ManagingBody: "KSS",
		StaffGroup:   "Medical and Dental",
		File:         "positions.csv",
		Row:          2,
		Format:       model.FormatCSV,
	}
}

// ruleSet turns rule ids into a filter.
func ruleSet(ids ...string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// rules lists the rule ids of res's findings that pass the filter (every
// finding when it is nil), sorted.
func rules(res *Result, filter map[string]bool) []string {
	var out []string
	for _, f := range res.Findings() {
		if filter == nil || filter[f.Rule] {
			out = append(out, f.Rule)
		}
	}
	sort.Strings(out)
	return out
}

// findingsOf returns res's findings of one rule.
func findingsOf(res *Result, rule string) []Finding {
	var out []Finding
	for _, f := range res.Findings() {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

// checkRules runs ps and compares the filtered, sorted rule ids with want.
func checkRules(t *testing.T, ps []model.Position, filter map[string]bool, want []string) *Result {
	t.Helper()
	res := checkAll(ps, nil, opts)
	if got := rules(res, filter); !equalStrings(got, sortedCopy(want)) {
		t.Errorf("rules = %q, want %q", got, sortedCopy(want))
		for _, f := range res.Findings() {
			t.Logf("  %s: %s", f.Rule, f.Message)
		}
	}
	return res
}

// checkAll checks ps in one batch: NewRunner, Add, Finish.
func checkAll(ps []model.Position, inputs []model.Input, opts Options) *Result {
	r := NewRunner(opts)
	r.Add(ps)
	return r.Finish(inputs)
}
