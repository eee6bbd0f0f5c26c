package report

import (
	"bytes"
	"testing"

	"dpnkit/checks"
)

func TestTable(t *testing.T) {
	ready := &checks.Result{Totals: checks.Stats{Positions: 1, Active: 1, ActiveWithDPN: 1, Ready: true},
		VPDs: []checks.VPDResult{readyVPD("123")}}
	two := singleResult()
	two.VPDs = append(two.VPDs, readyVPD("123"))
	for _, tc := range []struct {
		name    string
		res     *checks.Result
		top     int
		want    []string
		notWant []string
	}{
		{"ready", ready, 10, []string{"Verdict: READY for go-live (no finding of severity error)\n", "No findings.", "25/11/2026", "dpnkit 1.2.3"},
			[]string{"NOT READY", "Total"}},
		{"not ready, top 1", singleResult(), 1,
			[]string{"Verdict: NOT READY for go-live (8 findings of severity error block go-live: dpn.parts 1, dpn.prefix 1, " +
				"dpn.chars 1, dpn.empty-part 1, name.parts 1, name.number 1, dpn.duplicate 2)\n",
				"Showing 1 of 10 findings", "dpn.duplicate", "NOT READY", "│ dpn.lowercase  │ warning  │     1 │"},
			[]string{"lower case"}},
		{"all findings", singleResult(), -1,
			[]string{`KSS/RJZ01\t030/STR/003`, `"kss/rjz01/030/str/002 "`, "name.parts"},
			[]string{"Showing"}},
		{"two VPDs", two, 0,
			[]string{"; 1 of 2 VPDs not ready: 504)\n", "Total", "Showing 0 of 10 findings"},
			[]string{"same DPN as position"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := checkTerm(&buf, tc.res, testMeta(), tc.top); err != nil {
				t.Fatal(err)
			}
			assertOutput(t, buf.String(), tc.want, tc.notWant)
		})
	}
}

func TestVisible(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"KSS/A/1/2", "KSS/A/1/2"},
		{"a\tb\nc\rd", `a\tb\nc\rd`},
		{"a\u00a0b", `a\u00a0b`},
		{"a–b", `a\u2013b`},
	} {
		if got := visible(tc.in); got != tc.want {
			t.Errorf("visible(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
