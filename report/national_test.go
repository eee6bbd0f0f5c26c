package report

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
)

// nationalResult holds five VPDs: three not ready (504 with 8 errors, 999
// with 5, 777 with 4) and two ready, plus three dpn.cross-vpd findings.
func nationalResult() *checks.Result {
	cross := func(vpd, num, dpn string, row int) checks.Finding {
		return checks.Finding{Rule: checks.RuleDPNCrossVPD, Severity: checks.Warning, VPD: vpd, File: "national.dat",
			Row: row, Column: "DeaneryPostNumber", PositionNumber: num, Value: dpn, Message: "also active in another VPD"}
	}
	r100 := readyVPD("100")
	r100.Findings = append(r100.Findings, cross("100", "20000001", "NTH/RTD01/007/STR/001", 9))
	r504 := vpd504()
	r504.Findings = append(r504.Findings, cross("504", "10000009", "EOE/RGT00/021/FY1/010", 20))
	r777 := statsOnly("777", 0, 4)
	r777.Findings = append(r777.Findings, cross("777", "3", "eoe/rgt00/021/fy1/010", 30))
	return &checks.Result{
		Totals: checks.Stats{Positions: 29, Active: 24, ActiveWithDPN: 19, DuplicateDPNs: 1, DPNIssues: 7,
			PositionNameIssues: 5, Errors: 17, Warnings: 4},
		VPDs: []checks.VPDResult{r100, readyVPD("123"), r504, r777, statsOnly("999", 5, 0)},
	}
}

func TestNationalWorkbook(t *testing.T) {
	var buf bytes.Buffer
	if err := NationalWorkbook(&buf, nationalResult(), testMeta()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Summary", "Cross-VPD DPNs"}; !slices.Equal(got, want) {
		t.Errorf("tabs = %q, want %q", got, want)
	}
	rows, err := f.GetRows(TabSummary)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"VPD", "No. of ESR Records with Deanery Records", "No. of Deanery Records linked to multiple Positions",
			"No. of data quality issues with DPN", "No. of data quality issues with Position Name",
			"Positions", "Active", "Errors (each blocks go-live)", "Warnings", "Verdict", "Why"},
		{"504", "5", "1", "2", "1", "7", "6", "8", "2", "NOT READY for go-live",
			"8 findings of severity error block go-live: dpn.parts 1, dpn.prefix 1, dpn.chars 1, dpn.empty-part 1, name.parts 1, name.number 1, dpn.duplicate 2"},
		{"999", "6", "0", "5", "0", "10", "8", "5", "1", "NOT READY for go-live", "5 findings of severity error block go-live"},
		{"777", "6", "0", "0", "4", "10", "8", "4", "1", "NOT READY for go-live", "4 findings of severity error block go-live"},
		{"100", "1", "0", "0", "0", "1", "1", "0", "0", "READY for go-live", "no finding of severity error"},
		{"123", "1", "0", "0", "0", "1", "1", "0", "0", "READY for go-live", "no finding of severity error"},
		{"Total", "19", "1", "7", "5", "29", "24", "17", "4", "NOT READY for go-live", "17 findings of severity error block go-live"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
	for _, tc := range []struct{ cell, fill string }{
		{"J2", colourRed}, {"J5", colourGreen}, {"J7", colourRed}, {"A2", ""},
	} {
		if got := fillColour(t, f, TabSummary, tc.cell); got != tc.fill {
			t.Errorf("%s fill = %q, want %q", tc.cell, got, tc.fill)
		}
	}
	if p, _ := f.GetPanes(TabSummary); !p.Freeze || p.YSplit != 1 {
		t.Errorf("summary header not frozen: %+v", p)
	}

	cross, err := f.GetRows(TabCrossVPD)
	if err != nil {
		t.Fatal(err)
	}
	wantCross := [][]string{
		{"VPD", "Position Number", "DPN", "Message", "File", "Row"},
		{"504", "10000009", "EOE/RGT00/021/FY1/010", "also active in another VPD", "national.dat", "20"},
		{"777", "3", "eoe/rgt00/021/fy1/010", "also active in another VPD", "national.dat", "30"},
		{"100", "20000001", "NTH/RTD01/007/STR/001", "also active in another VPD", "national.dat", "9"},
	}
	if len(cross) != len(wantCross) {
		t.Fatalf("cross-VPD: %d rows, want %d: %q", len(cross), len(wantCross), cross)
	}
	for i := range wantCross {
		if !slices.Equal(cross[i], wantCross[i]) {
			t.Errorf("cross-VPD row %d = %q, want %q", i+1, cross[i], wantCross[i])
		}
	}
}

func TestWorstFirst(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b checks.Stats
		want int
	}{
		{"not ready before ready", checks.Stats{VPD: "900"}, checks.Stats{VPD: "100", Ready: true}, -1},
		{"more errors first", checks.Stats{VPD: "100", DPNIssues: 1, Errors: 1}, checks.Stats{VPD: "200", DuplicateDPNs: 1, Errors: 2}, 1},
		{"tie by VPD", checks.Stats{VPD: "100", PositionNameIssues: 2, Errors: 2}, checks.Stats{VPD: "200", InputErrors: 2, Errors: 2}, -1},
		{"warnings do not count", checks.Stats{VPD: "300", Ready: true, Warnings: 9}, checks.Stats{VPD: "200", Ready: true}, 1},
	} {
		if got := worstFirst(&tc.a, &tc.b); got != tc.want {
			t.Errorf("%s: worstFirst = %d, want %d", tc.name, got, tc.want)
		}
	}
}
