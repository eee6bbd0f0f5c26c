package checks

import (
	"strings"
	"testing"

	"dpnkit/internal/model"
)

func TestInputIssues(t *testing.T) {
	// An unreadable end date: the position is active (checked) and the date is reported.
	unreadable := pos("10", "10|x|y|z", "KSS/A")
	unreadable.DateIssues = []model.DateIssue{{Column: "Effective To Date", Value: "31/02/20x6"}}

	// Two bad dates on an eliminated position without a DPN: both reported.
	twoDates := pos("11", "", "")
	twoDates.HiringStatus, twoDates.ManagingBody = "Eliminated", ""
	twoDates.DateIssues = []model.DateIssue{{Column: "Date From", Value: "soon"}, {Column: "Date To", Value: "never"}}

	repaired := pos("12", "12|x|y|z", "")
	repaired.ManagingBody, repaired.Format, repaired.Repaired = "", model.FormatGO, true

	tests := []struct {
		name string
		p    model.Position
		want []string
	}{
		{"unreadable date on an active DPN position", unreadable, []string{RuleInputDate, RuleDPNParts}},
		{"two dates, out of scope", twoDates, []string{RuleInputDate, RuleInputDate}},
		{"repaired record", repaired, []string{RuleInputRepaired}},
		{"clean", pos("13", "13|x|y|z", "KSS/A/1/2"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checkRules(t, []model.Position{tt.p}, nil, tt.want)
			fs := findingsOf(res, RuleInputDate)
			for _, d := range tt.p.DateIssues {
				n := 0
				for _, f := range fs {
					if f.Column == d.Column && f.Value == d.Value && f.Severity == Error && strings.Contains(f.Message, d.Column) {
						n++
						active := tt.p.HiringStatus == ""
						if strings.Contains(f.Message, "checked as active") != active {
							t.Errorf("message %q: active = %v", f.Message, active)
						}
					}
				}
				if n != 1 {
					t.Errorf("%d input.date findings for %+v, want 1", n, d)
				}
			}
		})
	}

	res := checkAll([]model.Position{unreadable, twoDates, repaired}, nil, opts)
	st := res.VPDs[0].Stats
	if st.InputErrors != 3 || st.Active != 2 || st.ActiveWithDPN != 1 || st.Infos != 1 {
		t.Errorf("stats = %+v; want 3 input errors, 2 active, 1 with DPN, 1 info", st)
	}
	// Unreadable dates block go-live on their own, even on a position out
	// of scope: they are errors, and the message says so and how to fix it.
	res = checkAll([]model.Position{twoDates}, nil, opts)
	if res.Totals.Ready || res.VPDs[0].Ready || res.Totals.InputErrors != 2 || res.Totals.Errors != 2 {
		t.Errorf("totals = %+v; want not ready with 2 input errors, 2 errors", res.Totals)
	}
	for _, f := range res.Findings() {
		if !strings.Contains(f.Message, "blocks go-live") || !strings.Contains(f.Message, "correct the date") {
			t.Errorf("message %q does not say it blocks go-live and how to fix it", f.Message)
		}
	}
}
