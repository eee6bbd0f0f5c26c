package report

import (
	"strings"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

var asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func testMeta() Meta { return Meta{Tool: "dpnkit", Version: "1.2.3", AsOf: asOf} }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

const evil = `=HYPERLINK("http://evil","x")`

// vpd504 is a hand-built, not-ready VPD: a duplicate pair (rows 3 and 4),
// a DPN with a tab (row 5) and a hostile DPN and name (row 6).
func vpd504() checks.VPDResult {
	pos := func(num, name, dpn string, row int) model.Position {
		return model.Position{VPD: "504", Number: num, Name: name, DPN: dpn, ManagingBody: "KSS",
			HostLead: "Host", EffectiveFrom: day(2020, 8, 5), File: "in/positions.csv", Row: row,
			Format: model.FormatCSV, Extra: []string{"CC" + num}}
	}
	ps := []model.Position{
		pos("10000001", "10000001|Specialty Registrar|123|Cardiology", "KSS/RJZ01/030/STR/001", 2),
		pos("10000002", "10000002|Specialty Registrar|123|Cardiology", "KSS/RJZ01/030/STR/002", 3),
		pos("10000003", "10000003|Specialty Registrar|123|Cardiology", "kss/rjz01/030/str/002 ", 4),
		pos("10000004", "10000004|SHO|023|ENT", "KSS/RJZ01\t030/STR/003", 5),
		pos("10000005", "ABC|x|y", evil, 6),
	}
	ps[1].EffectiveTo = day(2027, 1, 31)
	ps[4].ManagingBody = "-1"
	ps[4].HostLead = "@SUM(A1)"
	ps[4].Extra = []string{"+44"}
	f := func(rule string, sev checks.Severity, row int, col, num, val, msg string) checks.Finding {
		return checks.Finding{Rule: rule, Severity: sev, VPD: "504", File: "in/positions.csv", Row: row,
			Column: col, PositionNumber: num, Value: val, Message: msg}
	}
	const dpnCol, nameCol = "Deanery Post Number", "Position Name"
	return checks.VPDResult{
		Stats: checks.Stats{VPD: "504", Positions: 7, Active: 6, ActiveWithDPN: 5, DuplicateDPNs: 1,
			PositionsInDuplicates: 2, DPNIssues: 2, PositionNameIssues: 1, Errors: 8, Warnings: 2, Ready: false,
			ByRule: map[string]int{"dpn.duplicate": 2, "dpn.lowercase": 1, "dpn.whitespace": 1, "dpn.chars": 1,
				"dpn.empty-part": 1, "dpn.parts": 1, "dpn.prefix": 1, "name.number": 1, "name.parts": 1}},
		Positions:  ps,
		Duplicates: []checks.DuplicateGroup{{DPN: "KSS/RJZ01/030/STR/002", Positions: []int{1, 2}}},
		Findings: []checks.Finding{
			f("dpn.duplicate", checks.Error, 3, dpnCol, "10000002", ps[1].DPN, "same DPN as position 10000003"),
			f("dpn.duplicate", checks.Error, 4, dpnCol, "10000003", ps[2].DPN, "same DPN as position 10000002"),
			f("dpn.lowercase", checks.Warning, 4, dpnCol, "10000003", ps[2].DPN, "lower case"),
			f("dpn.whitespace", checks.Warning, 4, dpnCol, "10000003", ps[2].DPN, "trailing space"),
			f("dpn.chars", checks.Error, 5, dpnCol, "10000004", ps[3].DPN, "tab"),
			f("dpn.empty-part", checks.Error, 6, dpnCol, "10000005", evil, "empty part"),
			f("dpn.parts", checks.Error, 6, dpnCol, "10000005", evil, "3 parts"),
			f("dpn.prefix", checks.Error, 6, dpnCol, "10000005", evil, "prefix"),
			f("name.number", checks.Error, 6, nameCol, "10000005", "ABC|x|y", "not numeric"),
			f("name.parts", checks.Error, 6, nameCol, "10000005", "ABC|x|y", "3 parts"),
		},
	}
}

// readyVPD is a VPD with one clean position and no findings.
func readyVPD(vpd string) checks.VPDResult {
	return checks.VPDResult{
		Stats: checks.Stats{VPD: vpd, Positions: 1, Active: 1, ActiveWithDPN: 1, Ready: true},
		Positions: []model.Position{{VPD: vpd, Number: "20000001", Name: "20000001|FY1|001|Medicine",
			DPN: "EOE/RGT00/021/FY1/010", ManagingBody: "EOE", File: "in/positions.csv", Row: 9}},
	}
}

// statsOnly is a not-ready VPD given by its statistics alone: one error
// finding per issue.
func statsOnly(vpd string, dpnIssues, nameIssues int) checks.VPDResult {
	return checks.VPDResult{Stats: checks.Stats{VPD: vpd, Positions: 10, Active: 8, ActiveWithDPN: 6,
		DPNIssues: dpnIssues, PositionNameIssues: nameIssues, Errors: dpnIssues + nameIssues, Warnings: 1}}
}

func singleResult() *checks.Result {
	v := vpd504()
	totals := v.Stats
	totals.VPD = ""
	return &checks.Result{
		Inputs: []model.Input{{Path: "in/positions.csv", Format: model.FormatCSV, Encoding: "utf-8", Rows: 7,
			ExtraColumns: []string{"Cost Centre"}}},
		Totals: totals,
		VPDs:   []checks.VPDResult{v},
	}
}

// assertOutput reports each of want that out lacks and each of notWant it
// has.
func assertOutput(t *testing.T, out string, want, notWant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	for _, w := range notWant {
		if strings.Contains(out, w) {
			t.Errorf("output has %q:\n%s", w, out)
		}
	}
}

// assertInOrder fails unless out (the what) holds parts in this order, and
// returns what follows the last of them.
func assertInOrder(t *testing.T, what, out string, parts []string) string {
	t.Helper()
	rest := out
	for _, w := range parts {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("%s lacks %q after the earlier parts; whole %s:\n%s", what, w, what, out)
		}
		rest = rest[i+len(w):]
	}
	return rest
}
