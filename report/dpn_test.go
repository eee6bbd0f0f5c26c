package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
)

// openDPN writes the DPN workbook of res.VPDs[i] and opens it again.
func openDPN(t *testing.T, res *checks.Result, i int) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := DPNWorkbook(&buf, res, &res.VPDs[i], testMeta()); err != nil {
		t.Fatalf("DPNWorkbook: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func cellValue(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	return v
}

// fillColour is the pattern fill colour of a cell, "" when it has none.
func fillColour(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatalf("style of %s!%s: %v", sheet, cell, err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatalf("style %d: %v", id, err)
	}
	if st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
		return ""
	}
	c := strings.ToUpper(st.Fill.Color[0])
	if len(c) == 8 { // ARGB
		c = c[2:]
	}
	return c
}

// summaryValue finds the row whose column A is label and returns column B.
func summaryValue(t *testing.T, f *excelize.File, label string) (string, string) {
	t.Helper()
	rows, err := f.GetRows(TabSummary)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == label {
			cell, _ := excelize.CoordinatesToCellName(2, i+1)
			if len(r) < 2 {
				return "", cell
			}
			return r[1], cell
		}
	}
	t.Fatalf("no summary row labelled %q", label)
	return "", ""
}

func TestDPNWorkbookTabs(t *testing.T) {
	f := openDPN(t, singleResult(), 0)
	want := []string{"Summary", "Duplicate DPN", "All DPN Positions", "Findings"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("tabs = %q, want %q", got, want)
	}
}

func TestDPNWorkbookStatistics(t *testing.T) {
	f := openDPN(t, singleResult(), 0)
	for _, tc := range []struct {
		label  string
		want   string
		number bool
	}{
		{"No. of ESR Records with Deanery Records", "5", true},
		{"No. of Deanery Records linked to multiple Positions", "1", true},
		{"No. of data quality issues with DPN", "2", true},
		{"No. of data quality issues with Position Name", "1", true},
		{"Positions read", "7", true},
		{"Active positions", "6", true},
		{"Positions in duplicate groups", "2", true},
		{"Errors (each blocks go-live)", "8", true},
		{"Warnings", "2", true},
		{"Info", "0", true},
		{"Unreadable dates", "0", true},
		{"dpn.duplicate", "2", true},
		{"name.parts", "1", true},
		{"VPD", "504", false},
		{"Input file(s)", "positions.csv (csv, utf-8, 7 rows)", false},
		{"As-of date", "25/11/2026", false},
		{"Produced by", "dpnkit 1.2.3", false},
	} {
		t.Run(tc.label, func(t *testing.T) {
			got, cell := summaryValue(t, f, tc.label)
			if got != tc.want {
				t.Errorf("%s = %q, want %q", tc.label, got, tc.want)
			}
			if tc.number { // numbers are stored as numbers
				typ, err := f.GetCellType(TabSummary, cell)
				if err != nil || typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
					t.Errorf("%s: cell type %v (%v), want a number", cell, typ, err)
				}
				if raw, _ := f.GetCellValue(TabSummary, cell, excelize.Options{RawCellValue: true}); raw != tc.want {
					t.Errorf("%s raw = %q", cell, raw)
				}
			}
		})
	}
	// A rule with no findings is not listed.
	rows, _ := f.GetRows(TabSummary)
	for _, r := range rows {
		if len(r) > 0 && r[0] == "dpn.cross-vpd" {
			t.Errorf("dpn.cross-vpd listed with no findings: %q", r)
		}
	}
}

func TestDPNWorkbookVerdict(t *testing.T) {
	res := singleResult()
	res.VPDs = append(res.VPDs, readyVPD("123"))
	for _, tc := range []struct {
		vpd             int
		want, fill, why string
	}{
		{0, "NOT READY for go-live", colourRed, "8 findings of severity error block go-live: dpn.parts 1, dpn.prefix 1, " +
			"dpn.chars 1, dpn.empty-part 1, name.parts 1, name.number 1, dpn.duplicate 2"},
		{1, "READY for go-live", colourGreen, "no finding of severity error"},
	} {
		f := openDPN(t, res, tc.vpd)
		if got := cellValue(t, f, TabSummary, "B3"); got != tc.want {
			t.Errorf("VPD %s: B3 = %q, want %q", res.VPDs[tc.vpd].VPD, got, tc.want)
		}
		if got := cellValue(t, f, TabSummary, "C3"); got != tc.why {
			t.Errorf("VPD %s: C3 = %q, want %q", res.VPDs[tc.vpd].VPD, got, tc.why)
		}
		if got := cellValue(t, f, TabSummary, "A3"); got != "Verdict" {
			t.Errorf("A3 = %q, want Verdict", got)
		}
		if got := fillColour(t, f, TabSummary, "B3"); got != tc.fill {
			t.Errorf("VPD %s: verdict fill = %q, want %q", res.VPDs[tc.vpd].VPD, got, tc.fill)
		}
	}
}

func TestDPNWorkbookAllPositions(t *testing.T) {
	f := openDPN(t, singleResult(), 0)
	const tab = TabAllPositions
	header, err := f.GetRows(tab)
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"VPD", "Position Number", "Position Name", "DPN", "Managing Deanery Body",
		"Host/Lead Employer Status", "Effective From", "Effective To", "DPN Issues", "Position Name Issues",
		"Other Findings", "Cost Centre"}
	if !slices.Equal(header[0], wantHeader) {
		t.Errorf("header = %q, want %q", header[0], wantHeader)
	}
	if len(header) != 6 {
		t.Errorf("%d rows, want header + 5", len(header))
	}
	for _, tc := range []struct {
		cell, want, fill string
	}{
		{"B2", "10000001", ""},
		{"D2", "KSS/RJZ01/030/STR/001", ""}, // a good DPN: no fill
		{"C2", "10000001|Specialty Registrar|123|Cardiology", ""},
		{"I2", "", ""},
		{"G2", "05/08/2020", ""},
		{"H2", "", ""},
		{"H3", "31/01/2027", ""},
		{"D3", "KSS/RJZ01/030/STR/002", colourRed},
		{"I3", "duplicate of 10000003", ""},
		{"I4", "duplicate of 10000002", ""},
		{"D4", "kss/rjz01/030/str/002 ", colourRed},
		{"I4", "duplicate of 10000002", ""},
		{"K4", "lower-case letters; leading or trailing spaces", ""},
		{"D5", "KSS/RJZ01\t030/STR/003", colourRed}, // raw value kept, tab and all
		{"I5", "tab (U+0009) at character 10", ""},
		{"C5", "10000004|SHO|023|ENT", ""},
		{"I6", "a part is empty; fewer than 4 parts; first part is not 3 characters", ""},
		{"C6", "ABC|x|y", colourRed},
		{"J6", "first part is not numeric; not exactly 4 parts", ""},
		{"L2", "CC10000001", ""},
	} {
		if got := cellValue(t, f, tab, tc.cell); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.cell, got, tc.want)
		}
		if got := fillColour(t, f, tab, tc.cell); got != tc.fill {
			t.Errorf("%s fill = %q, want %q", tc.cell, got, tc.fill)
		}
	}
}

func TestDPNWorkbookUntrustedText(t *testing.T) {
	f := openDPN(t, singleResult(), 0)
	for _, tc := range []struct {
		sheet, cell, want string
	}{
		{TabAllPositions, "D6", evil},
		{TabAllPositions, "E6", "-1"},
		{TabAllPositions, "F6", "@SUM(A1)"},
		{TabAllPositions, "L6", "+44"},
		{TabFindings, "G3", "kss/rjz01/030/str/002 "},
		{TabFindings, "G5", evil},
	} {
		if got := cellValue(t, f, tc.sheet, tc.cell); got != tc.want {
			t.Errorf("%s!%s = %q, want %q", tc.sheet, tc.cell, got, tc.want)
		}
		formula, err := f.GetCellFormula(tc.sheet, tc.cell)
		if err != nil || formula != "" {
			t.Errorf("%s!%s formula = %q (%v), want none", tc.sheet, tc.cell, formula, err)
		}
		typ, err := f.GetCellType(tc.sheet, tc.cell)
		if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
			t.Errorf("%s!%s type = %v (%v), want a string cell", tc.sheet, tc.cell, typ, err)
		}
	}
}

// TestDPNWorkbookPositionNumbers: a position number of digits is a number
// cell (a lookup against a numeric ESR export finds it).
func TestDPNWorkbookPositionNumbers(t *testing.T) {
	f := openDPN(t, singleResult(), 0)
	wantNumberCell(t, f, TabAllPositions, "B2", "10000001")
}

func TestDPNWorkbookDuplicates(t *testing.T) {
	f := openDPN(t, singleResult(), 0)
	rows, err := f.GetRows(TabDuplicates)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"VPD", "Position Number", "Position Name", "DPN", "Managing Deanery Body", "Effective From", "Effective To",
			"Duplicate Group", "Positions In Group"},
		{"504", "10000002", "10000002|Specialty Registrar|123|Cardiology", "KSS/RJZ01/030/STR/002", "KSS",
			"05/08/2020", "31/01/2027", "1", "2"},
		{"504", "10000003", "10000003|Specialty Registrar|123|Cardiology", "kss/rjz01/030/str/002 ", "KSS",
			"05/08/2020", "", "1", "2"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		// GetRows drops trailing empty cells; compare what is there.
		got := rows[i]
		w := want[i]
		for len(got) < len(w) {
			got = append(got, "")
		}
		if !slices.Equal(got, w) {
			t.Errorf("row %d = %q, want %q", i+1, got, w)
		}
	}
	if typ, _ := f.GetCellType(TabDuplicates, "H2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("group number stored as text")
	}
}

// TestDPNWorkbookFindings: every finding is on the Findings tab with its
// severity, those that block go-live (errors) first; no tab is called
// Warnings.
func TestDPNWorkbookFindings(t *testing.T) {
	res := singleResult()
	v := &res.VPDs[0]
	v.Findings = append(v.Findings, checks.Finding{Rule: "dpn.inactive", Severity: checks.Info, VPD: "504",
		File: "in/positions.csv", Row: 2, PositionNumber: "10000009", Value: "KSS/X/1/2", Message: "end-dated"})
	f := openDPN(t, res, 0)
	if slices.Contains(f.GetSheetList(), "Warnings") {
		t.Errorf("a tab is called Warnings: %q", f.GetSheetList())
	}
	rows, err := f.GetRows(TabFindings)
	if err != nil {
		t.Fatal(err)
	}
	const dpn, name, file = "Deanery Post Number", "Position Name", "in/positions.csv"
	want := [][]string{
		{"Rule", "Severity", "Blocks Go-Live", "VPD", "Position Number", "Column", "Value", "Message", "File", "Row"},
		{"dpn.duplicate", "error", "Yes", "504", "10000002", dpn, "KSS/RJZ01/030/STR/002", "same DPN as position 10000003", file, "3"},
		{"dpn.duplicate", "error", "Yes", "504", "10000003", dpn, "kss/rjz01/030/str/002 ", "same DPN as position 10000002", file, "4"},
		{"dpn.chars", "error", "Yes", "504", "10000004", dpn, "KSS/RJZ01\t030/STR/003", "tab", file, "5"},
		{"dpn.empty-part", "error", "Yes", "504", "10000005", dpn, evil, "empty part", file, "6"},
		{"dpn.parts", "error", "Yes", "504", "10000005", dpn, evil, "3 parts", file, "6"},
		{"dpn.prefix", "error", "Yes", "504", "10000005", dpn, evil, "prefix", file, "6"},
		{"name.number", "error", "Yes", "504", "10000005", name, "ABC|x|y", "not numeric", file, "6"},
		{"name.parts", "error", "Yes", "504", "10000005", name, "ABC|x|y", "3 parts", file, "6"},
		{"dpn.lowercase", "warning", "No", "504", "10000003", dpn, "kss/rjz01/030/str/002 ", "lower case", file, "4"},
		{"dpn.whitespace", "warning", "No", "504", "10000003", dpn, "kss/rjz01/030/str/002 ", "trailing space", file, "4"},
		{"dpn.inactive", "info", "No", "504", "10000009", "", "KSS/X/1/2", "end-dated", file, "2"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
}

func TestRowTabsFormatting(t *testing.T) {
	f := openDPN(t, singleResult(), 0)
	names := f.GetDefinedName()
	filters := map[string]string{}
	for _, n := range names {
		if n.Name == "_xlnm._FilterDatabase" {
			filters[n.Scope] = n.RefersTo
		}
	}
	for _, tc := range []struct {
		tab, filter string
		width       string // a column expected wider than the default
	}{
		{TabDuplicates, "'Duplicate DPN'!$A$1:$I$3", "C"},
		{TabAllPositions, "'All DPN Positions'!$A$1:$L$6", "C"},
		{TabFindings, "'Findings'!$A$1:$J$11", "H"},
	} {
		t.Run(tc.tab, func(t *testing.T) {
			panes, err := f.GetPanes(tc.tab)
			if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
				t.Errorf("panes = %+v (%v), want header row frozen", panes, err)
			}
			if got := filters[tc.tab]; got != tc.filter {
				t.Errorf("autofilter = %q, want %q", got, tc.filter)
			}
			id, _ := f.GetCellStyle(tc.tab, "A1")
			st, _ := f.GetStyle(id)
			if st == nil || st.Font == nil || !st.Font.Bold {
				t.Errorf("header A1 not bold")
			}
			if w, _ := f.GetColWidth(tc.tab, tc.width); w < 20 || w > maxColWidth {
				t.Errorf("column %s width %v, want fitted to content (20..%d)", tc.width, w, maxColWidth)
			}
		})
	}
	// Summary: title and verdict frozen in view.
	if p, _ := f.GetPanes(TabSummary); !p.Freeze || p.YSplit != 3 {
		t.Errorf("summary panes = %+v", p)
	}
	for _, cell := range []string{"A1", "B3"} {
		if formula, _ := f.GetCellFormula(TabSummary, cell); formula != "" {
			t.Errorf("formula in %s", cell)
		}
	}
}

func TestDPNWorkbookRowSplit(t *testing.T) {
	old := MaxRows
	MaxRows = 3
	t.Cleanup(func() { MaxRows = old })
	f := openDPN(t, singleResult(), 0)
	want := []string{"Summary", "Duplicate DPN", "All DPN Positions", "All DPN Positions (2)",
		"Findings", "Findings (2)", "Findings (3)", "Findings (4)"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("tabs = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		tab  string
		rows int
		b2   string
	}{
		{TabAllPositions, 4, "10000001"},
		{TabAllPositions + " (2)", 3, "10000004"},
	} {
		rows, _ := f.GetRows(tc.tab)
		if len(rows) != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.tab, len(rows), tc.rows)
		}
		if got := cellValue(t, f, tc.tab, "B2"); got != tc.b2 {
			t.Errorf("%s!B2 = %q, want %q", tc.tab, got, tc.b2)
		}
		if got := cellValue(t, f, tc.tab, "A1"); got != "VPD" {
			t.Errorf("%s!A1 = %q, want the header", tc.tab, got)
		}
	}
	note, _ := summaryValue(t, f, "Note")
	if !strings.Contains(note, "All DPN Positions (2)") || !strings.Contains(note, "5 rows") {
		t.Errorf("summary note = %q, want it to name the split", note)
	}
}

func TestDPNWorkbookDeterministic(t *testing.T) {
	res := singleResult()
	var a, b bytes.Buffer
	if err := DPNWorkbook(&a, res, &res.VPDs[0], testMeta()); err != nil {
		t.Fatal(err)
	}
	if err := DPNWorkbook(&b, res, &res.VPDs[0], testMeta()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two writes of the same result differ (%d and %d bytes)", a.Len(), b.Len())
	}
	f, err := excelize.OpenReader(&a)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := f.GetDocProps()
	if err != nil || p.Created != "2026-11-25T00:00:00Z" {
		t.Errorf("created = %q (%v), want the as-of date", p.Created, err)
	}
}

func TestDPNWorkbookNames(t *testing.T) {
	for _, tc := range []struct{ vpd, want string }{
		{"504", "DPN_Report_504_20261125.xlsx"},
		{"../x", "DPN_Report____x_5c237dda_20261125.xlsx"},
		{"", "DPN_Report_UNKNOWN_20261125.xlsx"},
	} {
		if got := DPNWorkbookName(tc.vpd, asOf); got != tc.want {
			t.Errorf("DPNWorkbookName(%q) = %q, want %q", tc.vpd, got, tc.want)
		}
	}
	if got := NationalWorkbookName(asOf); got != "DPN_Report_National_20261125.xlsx" {
		t.Errorf("NationalWorkbookName = %q", got)
	}
}

// The DPN cell keeps the raw value: white space, line breaks, non-ASCII and
// text that looks like Excel's own _xHHHH_ escapes.
func TestDPNWorkbookRawValues(t *testing.T) {
	for _, dpn := range []string{
		"KSS/RJZ01/030/STR/001\r\n",
		" KSS/RJZ01/030/STR/001",
		"KSS/RJZ01/030/STR\u00a0001",
		"KSS/RJZ01/030–STR/001",
		"KSS/A_x0041_B/1/2",
		"0123",
		"1E5",
		"TRUE",
	} {
		res := singleResult()
		res.VPDs[0].Positions[0].DPN = dpn
		f := openDPN(t, res, 0)
		if got := cellValue(t, f, TabAllPositions, "D2"); got != dpn {
			t.Errorf("DPN cell = %q, want %q", got, dpn)
		}
	}
}
