package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dpnkit/fixtures"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// The hand-made exports of fixtures/samples/real (see its README.md) are
// the clean samples' positions and placements re-shaped as trusts and HEE
// hold them. Each must give the same statistics as the clean file, and
// say what it skipped.

const realDir = "../../fixtures/samples/real"

// rowsSkipped are the skipped rows worked out by hand for a sample.
type rowsSkipped struct {
	header, title, footer, blank int
}

func skippedOf(in model.Input) rowsSkipped {
	return rowsSkipped{in.HeaderRow, in.TitleRows, in.FooterRows, in.BlankRows}
}

// TestRealPositionExportsAgree: positions_504_report.csv and .xlsx have
// the header on row 4 below 3 title rows (a title, a run date, a blank
// row), a blank row inside the data (after the 12th position) and, below
// the data, a blank row and 2 footer rows ("Total rows: 24", "Report run
// by: ..."): 2 blank rows, 2 footer rows. positions_504_aliases.csv has
// the header on row 1, in ESR reporting's names ("Org VPD", "Post Name",
// "Deanery", ...), two columns no field uses (Owner, Notes), dates as
// 05-AUG-26 and Excel serials.
func TestRealPositionExportsAgree(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("../../fixtures/samples", fixtures.SampleExpected))
	if err != nil {
		t.Fatal(err)
	}
	var want fixtures.Expected
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file   string
		rows   rowsSkipped
		notes  []string
		unused []string
	}{
		{"positions_504_report.csv", rowsSkipped{4, 3, 2, 2},
			[]string{"skipped 3 title rows above the header on row 4, 2 footer rows, 2 blank rows"}, nil},
		{"positions_504_report.xlsx", rowsSkipped{4, 3, 2, 2},
			[]string{"skipped 3 title rows above the header on row 4, 2 footer rows, 2 blank rows"}, nil},
		{"positions_504_aliases.csv", rowsSkipped{1, 0, 0, 0}, nil, []string{"Owner", "Notes"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res, err := checkFiles(context.Background(), CheckOptions{Files: []string{filepath.Join(realDir, tc.file)}, AsOf: asOf}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := normal(res.Totals), normal(want.Totals); !reflect.DeepEqual(got, want) {
				t.Errorf("\n got  %+v\n want %+v", got, want)
			}
			in := res.Inputs[0]
			if in.Rows != 24 || skippedOf(in) != tc.rows || !slices.Equal(in.Notes, tc.notes) ||
				!slices.Equal(model.Unused(in.Columns), tc.unused) || in.StrayRows != 0 {
				t.Errorf("input: rows %d, %+v, notes %q, unused %q, stray %d", in.Rows, skippedOf(in), in.Notes,
					model.Unused(in.Columns), in.StrayRows)
			}
		})
	}
}

// TestRealExportAliasesFeedTheRightFields: the ESR reporting names of
// positions_504_aliases.csv each feed the field the clean file's header
// does ("Deanery" is the managing deanery body: without the alias the 21
// positions that have one would lose it).
func TestRealExportAliasesFeedTheRightFields(t *testing.T) {
	res, err := checkFiles(context.Background(), CheckOptions{Files: []string{filepath.Join(realDir, "positions_504_aliases.csv")}, AsOf: asOf}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range res.Inputs[0].Columns {
		got[c.Header] = c.Field
	}
	want := map[string]string{"Org VPD": "vpd", "Post Name": "position_name", "Position Start Date": "effective_from",
		"Position End Date": "effective_to", "Deanery Post No": "dpn", "Deanery": "managing_deanery_body",
		"Lead Employer Status": "host_lead_status", "Owner": "", "Notes": ""}
	for h, f := range want {
		if got[h] != f {
			t.Errorf("header %q fed %q, want %q", h, got[h], f)
		}
	}
}

// TestRealPlacementExportAgrees: placements_504_report.csv holds the 8
// placements of placements_504.csv as a TIS export: TIS's headers ("Post
// Number", "Trainee Surname", "Date From", "Owner", ...), 3 title rows, a
// blank row after the 4th placement, a blank row and 2 footer rows below.
// Reconciled with the clean positions, both give the same result.
func TestRealPlacementExportAgrees(t *testing.T) {
	positions := []string{"../../fixtures/samples/positions_bom_crlf.csv"}
	reconcile := func(file string) *reconcile.Result {
		t.Helper()
		s, _, _ := iostreams.Test()
		res, _, err := Reconcile(context.Background(), s, ReconcileOptions{Positions: positions,
			Placements: []string{filepath.Join(realDir, file)}, AsOf: asOf, Format: FormatJSON})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	clean, reshaped := reconcile("placements_504.csv"), reconcile("placements_504_report.csv")
	if !reflect.DeepEqual(clean.Totals, reshaped.Totals) || !reflect.DeepEqual(clean.ByManagingDeanery, reshaped.ByManagingDeanery) {
		t.Errorf("totals differ:\n clean    %+v\n reshaped %+v", clean.Totals, reshaped.Totals)
	}
	if len(clean.Findings) != len(reshaped.Findings) || len(clean.Findings) == 0 {
		t.Errorf("%d findings from the clean file, %d from the export", len(clean.Findings), len(reshaped.Findings))
	}
	for i := range min(len(clean.Findings), len(reshaped.Findings)) {
		c, r := clean.Findings[i], reshaped.Findings[i]
		if c.Rule != r.Rule || c.Value != r.Value {
			t.Errorf("finding %d: %s %q, then %s %q", i, c.Rule, c.Value, r.Rule, r.Value)
		}
	}
	in := reshaped.PlacementInputs[0]
	if in.Rows != 8 || skippedOf(in) != (rowsSkipped{4, 3, 2, 2}) || !slices.Equal(model.Unused(in.Columns), []string{"Programme Name"}) {
		t.Errorf("input: rows %d, %+v, unused %q", in.Rows, skippedOf(in), model.Unused(in.Columns))
	}
	if c := clean.PlacementInputs[0]; c.Rows != 8 || skippedOf(c) != (rowsSkipped{1, 0, 0, 0}) {
		t.Errorf("clean input: rows %d, %+v", c.Rows, skippedOf(c))
	}
}

// TestRealExportSkippedRowsShown: the terminal shows one line per input
// with what was skipped, and the JSON the same counts and the columns.
func TestRealExportSkippedRowsShown(t *testing.T) {
	file := filepath.Join(realDir, "positions_504_report.csv")
	s, out, _ := iostreams.Test()
	if _, _, err := Check(context.Background(), s, CheckOptions{Files: []string{file}, AsOf: asOf, Format: FormatTable}); err != nil {
		t.Fatal(err)
	}
	line := "positions_504_report.csv: skipped 3 title rows above the header on row 4, 2 footer rows, 2 blank rows; all 16 columns used\n"
	if !strings.HasPrefix(out.String(), line) {
		t.Errorf("table output starts\n%.200s\nwant\n%s", out.String(), line)
	}
	s, out, _ = iostreams.Test()
	if _, _, err := Check(context.Background(), s, CheckOptions{Files: []string{file}, AsOf: asOf, Format: FormatJSON}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Inputs []struct {
			HeaderRow  int            `json:"header_row"`
			TitleRows  int            `json:"title_rows"`
			FooterRows int            `json:"footer_rows"`
			BlankRows  int            `json:"blank_rows"`
			Columns    []model.Column `json:"columns"`
		} `json:"inputs"`
	}
	if err := json.NewDecoder(bytes.NewReader(out.Bytes())).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	in := doc.Inputs[0]
	if in.HeaderRow != 4 || in.TitleRows != 3 || in.FooterRows != 2 || in.BlankRows != 2 || len(in.Columns) != 16 ||
		in.Columns[10] != (model.Column{Column: "K", Header: "Deanery Post Number", Field: "dpn"}) {
		t.Errorf("json input %+v", in)
	}
}
