package report

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
)

// acceptedFixture: one finding accepted until 31 March 2027, one whose
// acceptance ended on 1 November 2026 (a finding again).
func acceptedFixture() (accepted, expired []checks.AcceptedFinding) {
	f := checks.Finding{Rule: checks.RuleDPNDuplicate, Severity: checks.Error, VPD: "504", File: "positions.csv", Row: 2,
		Column: "Deanery Post Number", PositionNumber: "100", Value: "KSS/RJZ01/001/A", Message: "DPN is also on 101."}
	g := f
	g.Row, g.PositionNumber = 3, "101"
	g.Message = "DPN is also on 100. (Its acceptance by B. Person expired on 2026-11-01.)"
	return []checks.AcceptedFinding{{Finding: f, Reason: "Shared post", Who: "A. Person",
			Until: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), Source: "dpnkit.toml line 14"}},
		[]checks.AcceptedFinding{{Finding: g, Reason: "Old agreement", Who: "B. Person",
			Until: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Expired: true, Source: "dpnkit.toml line 21"}}
}

func TestAcceptedTabDPNAndException(t *testing.T) {
	res := singleResult()
	res.VPDs[0].AcceptedFindings, res.VPDs[0].ExpiredFindings = acceptedFixture()
	rec := reconcileResult()
	rec.PositionCheck = res
	dpn, exc := openDPN(t, res, 0), openException(t, rec)
	for name, f := range map[string]*excelize.File{"DPN": dpn, "exception": exc} {
		if !slices.Contains(f.GetSheetList(), TabAccepted) {
			t.Fatalf("%s workbook tabs %q: no %s tab", name, f.GetSheetList(), TabAccepted)
		}
		rows, err := f.GetRows(TabAccepted)
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			// Position findings only: the Placement TIS ID column, empty on
			// every row, is left out.
			slices.DeleteFunc(slices.Clone(acceptedHeader), func(h string) bool { return h == "Placement TIS ID" }),
			{"Accepted: not counted", "dpn.duplicate", "error", "504", "100", "KSS/RJZ01/001/A", "DPN is also on 101.",
				"Shared post", "A. Person", "", "positions.csv", "2", "dpnkit.toml line 14"},
			{"Expired: counted again", "dpn.duplicate", "error", "504", "101", "KSS/RJZ01/001/A",
				"DPN is also on 100. (Its acceptance by B. Person expired on 2026-11-01.)",
				"Old agreement", "B. Person", "", "positions.csv", "3", "dpnkit.toml line 21"},
		}
		if len(rows) != len(want) {
			t.Fatalf("%s: %d rows on %s, want %d: %q", name, len(rows), TabAccepted, len(want), rows)
		}
		for i := range want {
			got := slices.Clone(rows[i])
			if i > 0 {
				// The until date is a date cell, shown in the workbook's date format.
				if !strings.Contains(got[9], map[int]string{1: "2027", 2: "2026"}[i]) {
					t.Errorf("%s row %d until %q", name, i+1, got[9])
				}
				got[9] = ""
			}
			if !slices.Equal(got, want[i]) {
				t.Errorf("%s row %d:\n got  %q\n want %q", name, i+1, got, want[i])
			}
		}
	}
}

// Without accepted findings there is no Accepted tab.
func TestNoAcceptedTab(t *testing.T) {
	if tabs := openDPN(t, singleResult(), 0).GetSheetList(); slices.Contains(tabs, TabAccepted) {
		t.Errorf("tabs %q: an Accepted tab with nothing accepted", tabs)
	}
}

// The JSON document lists them after the VPDs, before the findings.
func TestAcceptedJSON(t *testing.T) {
	res := singleResult()
	res.VPDs[0].AcceptedFindings, res.VPDs[0].ExpiredFindings = acceptedFixture()
	var buf strings.Builder
	if err := JSON(&buf, res, testMeta()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Accepted []map[string]any `json:"accepted"`
		Expired  []map[string]any `json:"expired_acceptances"`
	}
	if err := json.Unmarshal([]byte(buf.String()), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if len(doc.Accepted) != 1 || doc.Accepted[0]["until"] != "2027-03-31" || doc.Accepted[0]["who"] != "A. Person" ||
		doc.Accepted[0]["position_number"] != "100" || doc.Accepted[0]["expired"] != nil {
		t.Errorf("accepted: %v", doc.Accepted)
	}
	if len(doc.Expired) != 1 || doc.Expired[0]["expired"] != true || doc.Expired[0]["until"] != "2026-11-01" {
		t.Errorf("expired_acceptances: %v", doc.Expired)
	}
	s := buf.String()
	if v, a, e, f := strings.Index(s, `"vpds"`), strings.Index(s, `"accepted": [`), strings.Index(s, `"expired_acceptances"`),
		strings.Index(s, `"findings"`); !(v < a && a < e && e < f) {
		t.Errorf("key order: vpds %d, accepted %d, expired_acceptances %d, findings %d", v, a, e, f)
	}
}
