package report

import (
	"bytes"
	"encoding/csv"
	"testing"

	"dpnkit/checks"
	"dpnkit/reconcile"
)

// hostileCSV are values a spreadsheet would run, each with what the
// findings CSV must hold after reading it back.
var hostileCSV = []struct{ in, want string }{
	{`=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
	{"@SUM(1)", "'@SUM(1)"},
	{"+1+1", "'+1+1"},
	{"-1+1", "'-1+1"},
	{"-5", "'-5"}, // a leading - is prefixed even before digits: values are data, not numbers
	{"\t=1+1", "'\t=1+1"},
	{"\r=1+1", "'\r=1+1"},
	{"=", "'="},
	{"'=1+1", "'=1+1"}, // already text to a spreadsheet: left as it is
	{" =1+1", " =1+1"}, // not at the start: not run
	{"KSS/RJZ01/030/STR/001", "KSS/RJZ01/030/STR/001"},
	{"5", "5"},
	{"", ""},
	{"a=b", "a=b"},
	{"\n=1", "\n=1"}, // a line break first is quoted by the CSV writer, not a formula lead
}

func TestSafeCSVValue(t *testing.T) {
	for _, tc := range hostileCSV {
		if got := SafeCSVValue(tc.in); got != tc.want {
			t.Errorf("SafeCSVValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFindingsCSVNeutralised puts every hostile value in every text column
// of a finding, through CSV and ReconcileCSV, and reads the CSV back.
func TestFindingsCSVNeutralised(t *testing.T) {
	for _, tc := range hostileCSV {
		f := checks.Finding{Rule: "dpn.parts", Severity: checks.Error, VPD: tc.in, File: tc.in, Row: 2, Column: tc.in,
			PositionNumber: tc.in, PlacementID: tc.in, Value: tc.in, Message: tc.in}
		writers := map[string]func(*bytes.Buffer) error{
			"check": func(b *bytes.Buffer) error {
				return CSV(b, &checks.Result{VPDs: []checks.VPDResult{{Findings: []checks.Finding{f}}}})
			},
			"reconcile": func(b *bytes.Buffer) error {
				return ReconcileCSV(b, &reconcile.Result{Findings: []checks.Finding{f}})
			},
		}
		for name, write := range writers {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(&buf).ReadAll()
			if err != nil || len(recs) != 2 {
				t.Fatalf("%s %q: %d records (%v)", name, tc.in, len(recs), err)
			}
			row := recs[1]
			// rule, severity, vpd, file, row, column, position_number, value, message[, placement_id]
			want := []string{"dpn.parts", "error", tc.want, tc.want, "2", tc.want, tc.want, tc.want, tc.want}
			if name == "reconcile" {
				want = append(want, tc.want)
			}
			if len(row) != len(want) {
				t.Fatalf("%s %q: %d columns, want %d", name, tc.in, len(row), len(want))
			}
			for i := range want {
				if row[i] != want[i] {
					t.Errorf("%s %q: column %d = %q, want %q", name, tc.in, i, row[i], want[i])
				}
			}
		}
	}
}

// The interchange files keep hostile values exactly:
// internal/interchange/hostile_test.go.
