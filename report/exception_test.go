package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dpnkit/reconcile"
)

// openException writes the exception workbook of res and opens it again.
func openException(t *testing.T, res *reconcile.Result) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := ExceptionWorkbook(&buf, res, testMeta()); err != nil {
		t.Fatalf("ExceptionWorkbook: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestExceptionWorkbookName(t *testing.T) {
	if got, want := ExceptionWorkbookName(asOf), "Placement_ESR_Check_20261125.xlsx"; got != want {
		t.Errorf("ExceptionWorkbookName = %q, want %q", got, want)
	}
}

func TestExceptionWorkbookNil(t *testing.T) {
	var buf bytes.Buffer
	if err := ExceptionWorkbook(&buf, nil, testMeta()); err == nil {
		t.Error("ExceptionWorkbook(nil) succeeded, want an error")
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes for a nil result", buf.Len())
	}
}

func TestExceptionWorkbookTabs(t *testing.T) {
	f := openException(t, reconcileResult())
	want := []string{"Placement ESR Check", "Summary", "Fix List", "Unplaced DPN Positions", "Findings"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("tabs = %q, want %q", got, want)
	}
}

func TestExceptionWorkbookPlacements(t *testing.T) {
	f := openException(t, reconcileResult())
	const tab = TabPlacementCheck
	rows, err := f.GetRows(tab)
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"ManagingDeanery", "EmployingBodyKnownAs", "TrainingBodyKnownAs", "PostSpecialty",
		"GradeAbbreviation", "StartDate", "ApplicantExport", "PositionMatch", "NationalPostNumber", "Surname",
		"Forenames", "ReferenceNumber", "PlacementTisID", "ESR Position Number(s)", "VPD", "Issue", "Did You Mean", "Top Suggestion"}
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header = %q, want %q", rows[0], wantHeader)
	}
	// Exceptions first, in the result's order: column M is PlacementTisID.
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[12])
	}
	if want := []string{"P1001", "P1002", "P1003", "P1004", "P1005"}; !slices.Equal(ids, want) {
		t.Errorf("placement order = %q, want %q", ids, want)
	}
	const didYouMean = "EOE/RGT00/021/FY1/010 (position 10002345, VPD 504): letter O typed for zero; " +
		`"EOE/RGT0O/021/FY1/010 " (position 10009999, VPD 505, end-dated): same post with different spacing or case`
	for _, tc := range []struct {
		cell, want, fill string
	}{
		{"A2", "HEE East of England", ""},
		{"F2", "02/12/2026", ""},
		{"G2", "BLOCKED: no ESR position", ""},
		{"H2", "No ESR Position - Check DPN in ESR Position", colourRed},
		{"I2", "EOE/RGT0O/021/FY1/010", ""},
		{"K2", "Yaser Zebedee", ""},
		{"L2", "7021070", ""},
		{"N2", "", ""},
		{"P2", "no active ESR position carries this NPN", ""},
		{"Q2", didYouMean, ""},
		{"H3", "Multiple ESR Positions", colourRed},
		{"N3", "10000010, 10000011", ""},
		{"O3", "504", ""},
		{"H4", "ESR Position End-Dated", colourAmber},
		{"N4", "10000020", ""},
		{"F4", "20/11/2026", ""},
		{"H5", "Yes", ""},
		{"G5", "EXPORTED", ""},
		{"Q5", "", ""},
		{"J6", "RECRUIT - VACANCY", ""},
		{"A6", "HEE London", ""},
		{"G6", "NOT YET DUE", ""},
		{"O6", "R1H", ""},
	} {
		if got := cellValue(t, f, tab, tc.cell); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.cell, got, tc.want)
		}
		if got := fillColour(t, f, tab, tc.cell); got != tc.fill {
			t.Errorf("%s fill = %q, want %q", tc.cell, got, tc.fill)
		}
	}
}

func TestExceptionWorkbookUntrustedText(t *testing.T) {
	f := openException(t, reconcileResult())
	for _, tc := range []struct {
		sheet, cell, want string
	}{
		{TabPlacementCheck, "J2", evil},      // a surname that looks like a formula
		{TabPlacementCheck, "L2", "7021070"}, // a GMC number stays text
		{TabPlacementCheck, "M2", "P1001"},
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

func TestExceptionWorkbookPositionNumbers(t *testing.T) {
	f := openException(t, reconcileResult())
	wantNumberCell(t, f, TabUnplaced, "B2", "10000040")
}

func TestExceptionWorkbookFilters(t *testing.T) {
	f := openException(t, reconcileResult())
	filters := map[string]string{}
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm._FilterDatabase" {
			filters[n.Scope] = n.RefersTo
		}
	}
	for _, tc := range []struct{ tab, filter string }{
		{TabPlacementCheck, "'Placement ESR Check'!$A$1:$R$6"}, // 18 columns, header + 5 placements
		{TabSummary, "'Summary'!$A$1:$M$9"},                    // header, total, 2 deaneries, 3 bodies, 2 VPDs
		{TabUnplaced, "'Unplaced DPN Positions'!$A$1:$G$2"},    // Effective To empty, left out
		{TabFindings, "'Findings'!$A$1:$I$6"},
	} {
		t.Run(tc.tab, func(t *testing.T) {
			if got := filters[tc.tab]; got != tc.filter {
				t.Errorf("autofilter = %q, want %q", got, tc.filter)
			}
			panes, err := f.GetPanes(tc.tab)
			if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
				t.Errorf("panes = %+v (%v), want header row frozen", panes, err)
			}
			id, _ := f.GetCellStyle(tc.tab, "A1")
			st, _ := f.GetStyle(id)
			if st == nil || st.Font == nil || !st.Font.Bold {
				t.Errorf("header A1 not bold")
			}
		})
	}
	// Widths fit: the suggestion column is long text, wrapped at wrapWidth.
	if w, _ := f.GetColWidth(TabPlacementCheck, "Q"); w != wrapWidth {
		t.Errorf("Did You Mean width = %v, want the wrap width %d", w, wrapWidth)
	}
	if w, _ := f.GetColWidth(TabPlacementCheck, "M"); w < 17 || w > 20 {
		t.Errorf("PlacementTisID width = %v, want the header's 14 runes + 4", w)
	}
}

func TestExceptionWorkbookSummary(t *testing.T) {
	f := openException(t, reconcileResult())
	rows, err := f.GetRows(TabSummary)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Grouping", "Group", "Placements", "Vacancies", "Matched", "No ESR Position", "End-Dated",
			"Multiple Positions", "Exported", "Not Yet Due", "Blocked", "Exceptions", "Unplaced DPN Positions"},
		{"Total", "", "5", "1", "2", "1", "1", "1", "1", "1", "3", "3", "1"},
		{"Managing deanery", "HEE East of England", "4", "0", "1", "1", "1", "1", "1", "0", "3", "3", "0"},
		{"Managing deanery", "HEE London", "1", "1", "1", "0", "0", "0", "0", "1", "0", "0", "0"},
		{"Employing body", "Barts Health NHS Trust", "1", "1", "1", "0", "0", "0", "0", "1", "0", "0", "0"},
		{"Employing body", "Cambridge University Hospitals NHS FT", "3", "0", "0", "1", "1", "1", "0", "0", "3", "3", "0"},
		{"Employing body", "West Suffolk NHS FT", "1", "0", "1", "0", "0", "0", "1", "0", "0", "0", "0"},
		{"VPD", "504", "3", "0", "1", "0", "1", "1", "1", "0", "2", "2", "1"},
		{"VPD", "R1H", "1", "1", "1", "0", "0", "0", "0", "1", "0", "0", "0"},
	}
	if len(rows) < len(want) {
		t.Fatalf("%d summary rows, want at least %d", len(rows), len(want))
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("summary row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
	if typ, _ := f.GetCellType(TabSummary, "C2"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("count C2 stored as text, want a number")
	}
	// Below the table: as-of date, producer and both inputs.
	labels := map[string]string{}
	for _, r := range rows[len(want):] {
		if len(r) >= 2 && r[0] != "" {
			labels[r[0]] = r[1]
		}
	}
	for label, w := range map[string]string{
		"As-of date":        "25/11/2026",
		"Produced by":       "dpnkit 1.2.3",
		"Position file(s)":  "positions.csv (csv, utf-8, 40 rows)",
		"Placement file(s)": "placements.csv (csv, windows-1252, 5 rows)",
	} {
		if got := labels[label]; got != w {
			t.Errorf("summary %q = %q, want %q", label, got, w)
		}
	}
	if _, ok := labels[reconcile.MatchNone]; !ok {
		t.Errorf("summary legend does not explain %q", reconcile.MatchNone)
	}
}

func TestExceptionWorkbookUnplacedAndFindings(t *testing.T) {
	f := openException(t, reconcileResult())
	unplaced, err := f.GetRows(TabUnplaced)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		// No unplaced position has an end date: that column is left out.
		{"VPD", "Position Number", "Position Name", "DPN", "Managing Deanery Body", "Effective From", "Note"},
		{"504", "10000040", "10000040|FY1|001|Medicine", "EOE/RGT00/050/FY1/002", "EOE", "05/08/2020",
			"no current or future placement, last one ended 01/08/2026"},
	}
	if len(unplaced) != len(want) {
		t.Fatalf("%d unplaced rows, want %d", len(unplaced), len(want))
	}
	for i := range want {
		// GetRows drops trailing empty cells but keeps inner ones.
		if !slices.Equal(unplaced[i], want[i]) {
			t.Errorf("unplaced row %d = %q, want %q", i+1, unplaced[i], want[i])
		}
	}
	findings, err := f.GetRows(TabFindings)
	if err != nil {
		t.Fatal(err)
	}
	wantF := [][]string{
		{"Rule", "Severity", "Placement ID", "NPN/Value", "VPD", "Position Number", "Message", "File", "Row"},
		{"position.no-placement", "info", "", "EOE/RGT00/050/FY1/002", "504", "10000040",
			"no current or future placement, last one ended 01/08/2026", "esr/positions.csv", "41"},
		{"placement.no-position", "error", "P1001", "EOE/RGT0O/021/FY1/010", "", "",
			"no active ESR position carries it, did you mean EOE/RGT00/021/FY1/010", "tis/placements.csv", "2"},
	}
	if len(findings) != 6 {
		t.Errorf("%d finding rows, want header + 5", len(findings))
	}
	for i := range wantF {
		if i < len(findings) && !slices.Equal(findings[i], wantF[i]) {
			t.Errorf("findings row %d = %q, want %q", i+1, findings[i], wantF[i])
		}
	}
}

func TestExceptionWorkbookUnplacedNoteDefault(t *testing.T) {
	res := reconcileResult()
	res.Findings = nil
	f := openException(t, res)
	if got := cellValue(t, f, TabUnplaced, "G2"); got != defaultUnplacedNote { // no Effective To column
		t.Errorf("note = %q, want the default %q", got, defaultUnplacedNote)
	}
	if rows, _ := f.GetRows(TabFindings); len(rows) != 1 {
		t.Errorf("findings tab has %d rows, want the header only", len(rows))
	}
}

func TestExceptionWorkbookEmpty(t *testing.T) {
	f := openException(t, &reconcile.Result{})
	if got := f.GetSheetList(); len(got) != 5 {
		t.Errorf("tabs = %q, want all five even when empty", got)
	}
	rows, _ := f.GetRows(TabPlacementCheck)
	if len(rows) != 1 || len(rows[0]) != len(placementHeader) {
		t.Errorf("placement tab rows = %q, want the header only", rows)
	}
	if got := cellValue(t, f, TabSummary, "A2"); got != GroupTotal {
		t.Errorf("Summary!A2 = %q, want %q", got, GroupTotal)
	}
}

func TestExceptionWorkbookRowSplit(t *testing.T) {
	old := MaxRows
	MaxRows = 2
	t.Cleanup(func() { MaxRows = old })
	f := openException(t, reconcileResult())
	want := []string{"Placement ESR Check", "Placement ESR Check (2)", "Placement ESR Check (3)", "Summary",
		"Fix List", "Fix List (2)", "Unplaced DPN Positions", "Findings", "Findings (2)", "Findings (3)"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("tabs = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		tab  string
		rows int
		m2   string
	}{
		{"Placement ESR Check", 3, "P1001"},
		{"Placement ESR Check (2)", 3, "P1003"},
		{"Placement ESR Check (3)", 2, "P1005"},
	} {
		rows, _ := f.GetRows(tc.tab)
		if len(rows) != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.tab, len(rows), tc.rows)
		}
		if got := cellValue(t, f, tc.tab, "M2"); got != tc.m2 {
			t.Errorf("%s!M2 = %q, want %q", tc.tab, got, tc.m2)
		}
	}
	rows, _ := f.GetRows(TabSummary)
	var notes []string
	for _, r := range rows {
		if len(r) >= 2 && r[0] == "Note" {
			notes = append(notes, r[1])
		}
	}
	if len(notes) != 3 || !strings.Contains(notes[0], "'Placement ESR Check' has 5 rows") ||
		!strings.Contains(notes[0], "Placement ESR Check (3)") || !strings.Contains(notes[1], "'Fix List' has 3 rows") ||
		!strings.Contains(notes[2], "Findings (3)") {
		t.Errorf("summary notes = %q, want one per split tab", notes)
	}
}

func TestExceptionWorkbookDeterministic(t *testing.T) {
	res := reconcileResult()
	var a, b bytes.Buffer
	if err := ExceptionWorkbook(&a, res, testMeta()); err != nil {
		t.Fatal(err)
	}
	if err := ExceptionWorkbook(&b, res, testMeta()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two writes of the same result differ (%d and %d bytes)", a.Len(), b.Len())
	}
}

func TestSuggestionText(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []reconcile.Suggestion
		want string
	}{
		{"none", nil, ""},
		{"letter O", []reconcile.Suggestion{{DPN: "EOE/RGT00/021/FY1/010", PositionNumber: "10002345", VPD: "504",
			Kind: "letter O typed for zero"}},
			"EOE/RGT00/021/FY1/010 (position 10002345, VPD 504): letter O typed for zero"},
		{"trailing space quoted", []reconcile.Suggestion{{DPN: "EOE/RGT00/021/FY1/010 ", PositionNumber: "1", VPD: "504",
			Kind: "same post with different spacing or case"}},
			`"EOE/RGT00/021/FY1/010 " (position 1, VPD 504): same post with different spacing or case`},
		{"tab made visible, end-dated, no VPD", []reconcile.Suggestion{{DPN: "EOE/RGT00\t021/FY1/010", PositionNumber: "2",
			Kind: "end-dated position still carries it", EndDated: true}},
			`EOE/RGT00[tab]021/FY1/010 (position 2, end-dated): end-dated position still carries it`},
		{"two, best first", []reconcile.Suggestion{
			{DPN: "A/B/C/D/M", PositionNumber: "3", VPD: "504", Kind: "extra suffix part /M"},
			{DPN: "A/B/D/C", PositionNumber: "4", VPD: "505", Kind: "transposed characters"}},
			"A/B/C/D/M (position 3, VPD 504): extra suffix part /M; A/B/D/C (position 4, VPD 505): transposed characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := suggestionsText(tc.in); got != tc.want {
				t.Errorf("suggestionsText = %q, want %q", got, tc.want)
			}
		})
	}
}
