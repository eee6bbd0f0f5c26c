package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

func tinyResult() *checks.Result {
	stats := checks.Stats{Positions: 3, Active: 2, ActiveWithDPN: 2, DPNIssues: 1, Errors: 1,
		ByRule: map[string]int{"dpn.chars": 1}}
	v := checks.VPDResult{Stats: stats}
	v.VPD = "504"
	v.Findings = []checks.Finding{{Rule: "dpn.chars", Severity: checks.Error, VPD: "504", File: "positions.csv",
		Row: 3, Column: "Deanery Post Number", PositionNumber: "10000016", Value: "KSS/RJZ01/030\tSTR/001",
		Message: "tab (U+0009) at character 14 <&>"}}
	totals := stats
	totals.VPD = "must not appear"
	return &checks.Result{
		Inputs: []model.Input{{Path: "positions.csv", Format: model.FormatCSV, Encoding: "utf-8", Rows: 3,
			ExtraColumns: []string{"Cost Centre"}}},
		Totals: totals,
		VPDs:   []checks.VPDResult{v},
	}
}

// Written by hand from reports.md §3 and the checks.Stats JSON tags.
const tinyJSON = `{
  "tool": "dpnkit",
  "version": "1.2.3",
  "as_of": "2026-11-25",
  "inputs": [
    {
      "path": "positions.csv",
      "format": "csv",
      "encoding": "utf-8",
      "rows": 3,
      "repaired": 0
    }
  ],
  "totals": {
    "positions": 3,
    "active": 2,
    "active_with_dpn": 2,
    "duplicate_dpns": 0,
    "positions_in_duplicates": 0,
    "dpn_issues": 1,
    "position_name_issues": 0,
    "errors": 1,
    "warnings": 0,
    "infos": 0,
    "input_errors": 0,
    "ready": false,
    "by_rule": {
      "dpn.chars": 1
    }
  },
  "vpds": [
    {
      "vpd": "504",
      "positions": 3,
      "active": 2,
      "active_with_dpn": 2,
      "duplicate_dpns": 0,
      "positions_in_duplicates": 0,
      "dpn_issues": 1,
      "position_name_issues": 0,
      "errors": 1,
      "warnings": 0,
      "infos": 0,
      "input_errors": 0,
      "ready": false,
      "by_rule": {
        "dpn.chars": 1
      }
    }
  ],
  "findings": [
    {
      "rule": "dpn.chars",
      "severity": "error",
      "vpd": "504",
      "file": "positions.csv",
      "row": 3,
      "column": "Deanery Post Number",
      "position_number": "10000016",
      "value": "KSS/RJZ01/030\tSTR/001",
      "message": "tab (U+0009) at character 14 <&>"
    }
  ]
}
`

const emptyJSON = `{
  "tool": "dpnkit",
  "version": "",
  "as_of": "2026-11-25",
  "inputs": [],
  "totals": {
    "positions": 0,
    "active": 0,
    "active_with_dpn": 0,
    "duplicate_dpns": 0,
    "positions_in_duplicates": 0,
    "dpn_issues": 0,
    "position_name_issues": 0,
    "errors": 0,
    "warnings": 0,
    "infos": 0,
    "input_errors": 0,
    "ready": true
  },
  "vpds": [],
  "findings": []
}
`

func TestJSONGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  *checks.Result
		meta Meta
		want string
	}{
		{"tiny", tinyResult(), testMeta(), tinyJSON},
		{"empty", &checks.Result{Totals: checks.Stats{Ready: true}}, Meta{AsOf: asOf}, emptyJSON},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := JSON(&a, tc.res, tc.meta); err != nil {
				t.Fatal(err)
			}
			if got := a.String(); got != tc.want {
				t.Errorf("JSON =\n%s\nwant\n%s", got, tc.want)
			}
			if err := JSON(&b, tc.res, tc.meta); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("two calls gave different bytes")
			}
		})
	}
}

func TestJSONVPDsSorted(t *testing.T) {
	res := &checks.Result{VPDs: []checks.VPDResult{readyVPD("504"), readyVPD("123"), readyVPD("300")}}
	var buf bytes.Buffer
	if err := JSON(&buf, res, testMeta()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		VPDs []struct{ VPD string }
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range doc.VPDs {
		got = append(got, v.VPD)
	}
	if want := []string{"123", "300", "504"}; !slices.Equal(got, want) {
		t.Errorf("vpds order = %q, want %q", got, want)
	}
	if res.VPDs[0].VPD != "504" {
		t.Errorf("JSON reordered the caller's result")
	}
}
