package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/exchange"
)

func openMEDROT(t *testing.T, vpd string, rows []exchange.MedrotRow) *excelize.File {
	t.Helper()
	return openRunWorkbook(t, func(b *bytes.Buffer) error { return MEDROTWorkbook(b, vpd, rows, runMeta()) })
}

// The grid's row array is sized by medrotCols: the headers must fill it.
func TestMEDROTColumns(t *testing.T) {
	if n := len(medrotCurrentHeader) + len(medrotNextHeader); n != medrotCols {
		t.Fatalf("%d headers, medrotCols = %d", n, medrotCols)
	}
}

func TestMEDROTName(t *testing.T) {
	for _, tc := range []struct{ vpd, want string }{
		{"999", "DE_999_MEDROT_20261125.xlsx"},
		{"../9", "DE____9_1d231aad_MEDROT_20261125.xlsx"},
	} {
		if got := MEDROTName(tc.vpd, runAsOf); got != tc.want {
			t.Errorf("MEDROTName(%q) = %q, want %q", tc.vpd, got, tc.want)
		}
	}
}

func TestMEDROTWorkbookHeader(t *testing.T) {
	f := openMEDROT(t, "999", medrotRows())
	if got, want := f.GetSheetList(), []string{"Medical Rotation"}; !slices.Equal(got, want) {
		t.Errorf("tabs = %q, want %q", got, want)
	}
	const tab = "Medical Rotation"
	wantRow(t, f, tab, 1, "Date generated : 2026/11/25")
	// A merged range reads its value in every cell: H2 is still "Current".
	for cell, want := range map[string]string{"A2": "Current Post Holder", "H2": "Current Post Holder",
		"I2": "Next Post Holder", "P2": "Next Post Holder", "Q2": ""} {
		if got := runCell(t, f, tab, cell); got != want {
			t.Errorf("%s!%s = %q, want %q", tab, cell, got, want)
		}
	}
	wantRow(t, f, tab, 3, "ESR Position", "TPN Number", "Place of Work", "Last Name", "First Name", "GMC Number",
		"Projected End Date", "Next Placement", "Last Name", "First Name", "GMC Number", "Current Placement",
		"Email Address", "Projected Working", "Projected Start Date", "Grade")
	merges, err := f.GetMergeCells(tab)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range merges {
		got = append(got, m.GetStartAxis()+":"+m.GetEndAxis()+"="+m.GetCellValue())
	}
	slices.Sort(got)
	if want := []string{"A2:H2=Current Post Holder", "I2:P2=Next Post Holder"}; !slices.Equal(got, want) {
		t.Errorf("merged cells = %q, want %q", got, want)
	}
}

func TestMEDROTWorkbookRows(t *testing.T) {
	f := openMEDROT(t, "999", medrotRows())
	const tab = "Medical Rotation"
	for _, tc := range []struct {
		row  int
		want []string
	}{
		// The job share: two rows for post 20000001. Chik (next holder of
		// the first) is now at District Hospital; Wkralaar's current site
		// is blank: NOT KNOWN.
		{4, []string{"20000001", "KSS/RXX/001/F1/001", "General Hospital", "Ysa", "Dak", "7544158", "1 December 2026",
			"NOT KNOWN", "Chik", "Jakob", "7585938", "District Hospital", "jakob.chik@nhs.uk", "0.5", "2 December 2026", "ST4"}},
		{5, []string{"20000001", "KSS/RXX/001/F1/001", "General Hospital", "Hahara", "Cy", "7549317", "1 December 2026",
			"NOT KNOWN", "Wkralaar", "Roa", "7582148", "NOT KNOWN", "roa.w@nhs.uk", "0.5", "2 December 2026", "ST4"}},
		// The vacancy: the placeholder's name is not shown. The current
		// holder moves to a site no row of this grid has (another trust).
		{6, []string{"20000002", "KSS/RXX/001/F1/002", "District Hospital", "=1+2", "Evil", "7000001", "2 February 2027",
			"Royal Infirmary (another trust)", "VACANCY", "", "", "", "", "", "3 February 2027", ""}},
		// No next holder: blank; the current holder moves to General Hospital.
		{7, []string{"20000003", "KSS/RXX/001/F1/003", "District Hospital", "Chik", "Jakob", "7585938", "1 December 2026",
			"General Hospital", "", "", "", "", "", "", "", ""}},
		// VPD 888's row is not in 999's grid.
		{8, []string{"", "", ""}},
	} {
		wantRow(t, f, tab, tc.row, tc.want...)
	}
	wantTextCell(t, f, tab, "D6", "=1+2")
	wantTextCell(t, f, tab, "F4", "7544158")
	wantNumberCell(t, f, tab, "A4", "20000001") // a position number of digits is a number
	if typ, _ := f.GetCellType(tab, "G4"); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("G4 (projected end date) is a string cell, want a date")
	}
	panes, err := f.GetPanes(tab)
	if err != nil || !panes.Freeze || panes.YSplit != 3 {
		t.Errorf("panes = %+v (%v), want the three header rows frozen", panes, err)
	}
}

func TestMEDROTWorkbookOtherVPD(t *testing.T) {
	f := openMEDROT(t, "888", medrotRows())
	wantRow(t, f, "Medical Rotation", 4, "30000001", "LDN/R1K01/IMT/001", "Elsewhere", "Other", "Vpd", "7000002", "")
	wantRow(t, f, "Medical Rotation", 5, "")
}

func TestMEDROTWorkbookEmpty(t *testing.T) {
	f := openMEDROT(t, "999", nil)
	wantRow(t, f, "Medical Rotation", 3, "ESR Position")
	wantRow(t, f, "Medical Rotation", 4, "")
}

func TestMEDROTWorkbookDeterministicAndErrors(t *testing.T) {
	var a, b bytes.Buffer
	for _, buf := range []*bytes.Buffer{&a, &b} {
		if err := MEDROTWorkbook(buf, "999", medrotRows(), runMeta()); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same grid differ")
	}
	err := MEDROTWorkbook(brokenWriter{}, "999", medrotRows(), runMeta())
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "medrot workbook 999") {
		t.Errorf("error = %v, want one naming the workbook and wrapping the write error", err)
	}
}
