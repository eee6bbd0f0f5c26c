package report

import (
	"bytes"
	"strings"
	"testing"

	"dpnkit/internal/model"
)

func TestInputLine(t *testing.T) {
	cols := []model.Column{{Column: "A", Header: "VPD", Field: "vpd"}, {Column: "B", Header: "Post Ref", Field: "dpn", Mapped: true},
		{Column: "C", Header: "Owner"}, {Column: "D", Header: "Notes"}}
	tests := []struct {
		in   model.Input
		want string
	}{
		{model.Input{Path: "dir/positions.csv", Format: model.FormatCSV, HeaderRow: 1, Columns: cols},
			"positions.csv: header row 1; 2 of 4 columns used, unused: Owner, Notes"},
		{model.Input{Path: "positions.csv", Format: model.FormatCSV, HeaderRow: 4, TitleRows: 3, FooterRows: 2, BlankRows: 1, Columns: cols[:2]},
			"positions.csv: skipped 3 title rows above the header on row 4, 2 footer rows, 1 blank row; all 2 columns used"},
		{model.Input{Path: "p.xlsx", Format: model.FormatXLSX, Sheet: "Report", HeaderRow: 1, FooterRows: 1, Columns: cols[:1]},
			"p.xlsx: sheet Report, header row 1; skipped 1 footer row; its one column used"},
		{model.Input{Path: "GO_504.DAT", Format: model.FormatGO}, "GO_504.DAT: ESR GO file (fixed fields)"},
	}
	for _, tc := range tests {
		if got := InputLine(tc.in); got != tc.want {
			t.Errorf("\n got %q\nwant %q", got, tc.want)
		}
	}
	// Many unused columns: the first 8 named; a long header cut.
	var many []model.Column
	for i := range 12 {
		many = append(many, model.Column{Column: string(rune('A' + i)), Header: "Extra " + string(rune('a'+i))})
	}
	many[0].Header = strings.Repeat("x", 100)
	got := InputLine(model.Input{Path: "p.csv", HeaderRow: 1, Columns: many})
	want := "p.csv: header row 1; 0 of 12 columns used, unused: " + strings.Repeat("x", 39) + "…, Extra b, Extra c, Extra d, Extra e, Extra f, Extra g, Extra h and 4 more (-v lists them)"
	if got != want {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
}

func TestWriteInputsVerbose(t *testing.T) {
	in := model.Input{Path: "positions.csv", HeaderRow: 1, Columns: []model.Column{
		{Column: "A", Header: "VPD", Field: "vpd"}, {Column: "B", Header: "Post Ref", Field: "dpn", Mapped: true}, {Column: "C", Header: "Owner"}}}
	var b bytes.Buffer
	if err := WriteInputs(&b, []model.Input{in}, true); err != nil {
		t.Fatal(err)
	}
	want := "positions.csv: header row 1; 2 of 3 columns used, unused: Owner\n" +
		"  A   VPD       -> vpd\n" +
		"  B   Post Ref  -> dpn (--map)\n" +
		"  C   Owner     (not used)\n"
	if b.String() != want {
		t.Errorf("\n got %q\nwant %q", b.String(), want)
	}
	if cell := ColumnsCell(in); cell != "2 of 3 columns used (header row 1): A VPD → vpd; B Post Ref → dpn (--map); C Owner (not used)" {
		t.Errorf("cell %q", cell)
	}
}
