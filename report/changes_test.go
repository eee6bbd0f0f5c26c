package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
)

var previous = checks.CheckRef{ID: 3, AsOf: day(2026, 11, 18), Checked: time.Date(2026, 11, 18, 9, 30, 15, 0, time.UTC)}

// comparedResult is singleResult with VPD 504 compared with check 3: three
// findings of check 3 resolved (listed out of order), one new (name.parts on
// position 10000005, row 6), the other nine persisting.
func comparedResult() *checks.Result {
	res := singleResult()
	v := &res.VPDs[0]
	past := func(rule, num, value, msg, name, dpn string, sev checks.Severity, row int) checks.PastFinding {
		return checks.PastFinding{FindingKey: checks.FindingKey{Rule: rule, PositionNumber: num, Value: value},
			Severity: sev, Message: msg, PositionName: name, DPN: dpn, File: "old/positions.csv", Row: row}
	}
	var added []checks.Finding
	for _, f := range v.Findings {
		if f.Rule == "name.parts" {
			added = append(added, f)
		}
	}
	v.Changes = &checks.Changes{
		Previous:   previous,
		New:        added,
		Persisting: len(v.Findings) - len(added),
		Resolved: []checks.PastFinding{
			past("dpn.parts", "10000007", "KSS/RJZ01/031", "DPN has 3 parts", "10000007|FY1|001|Med", "KSS/RJZ01/031", checks.Error, 12),
			past("name.chars", "10000001", "10000001|Specialty\tRegistrar|123|Cardiology", "tab", "10000001|Specialty\tRegistrar|123|Cardiology",
				"KSS/RJZ01/030/STR/001", checks.Error, 2),
			past("dpn.body-missing", "10000001", "KSS/RJZ01/030/STR/001", "body empty", "10000001|Specialty\tRegistrar|123|Cardiology",
				"KSS/RJZ01/030/STR/001", checks.Warning, 2),
		},
	}
	return res
}

func TestDPNWorkbookChangesTab(t *testing.T) {
	f := openDPN(t, comparedResult(), 0)
	want := []string{"Summary", "Duplicate DPN", "All DPN Positions", "Findings", "Changes"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("tabs = %q, want %q", got, want)
	}
	rows, err := f.GetRows(TabChanges)
	if err != nil {
		t.Fatal(err)
	}
	wantRows := [][]string{
		{"Change", "Rule", "Severity", "Position Number", "Position Name", "DPN", "Value", "Message", "Row"},
		// Resolved first, by position number then rule; as check 3 recorded them.
		{"Resolved", "dpn.body-missing", "warning", "10000001", "10000001|Specialty\tRegistrar|123|Cardiology",
			"KSS/RJZ01/030/STR/001", "KSS/RJZ01/030/STR/001", "body empty", "2"},
		{"Resolved", "name.chars", "error", "10000001", "10000001|Specialty\tRegistrar|123|Cardiology",
			"KSS/RJZ01/030/STR/001", "10000001|Specialty\tRegistrar|123|Cardiology", "tab", "2"},
		{"Resolved", "dpn.parts", "error", "10000007", "10000007|FY1|001|Med", "KSS/RJZ01/031", "KSS/RJZ01/031",
			"DPN has 3 parts", "12"},
		// Then new, with the name and DPN of position 10000005 (row 6) now.
		{"New", "name.parts", "error", "10000005", "ABC|x|y", evil, "ABC|x|y", "3 parts", "6"},
	}
	if !slices.EqualFunc(rows, wantRows, slices.Equal) {
		t.Errorf("Changes rows:\n got  %q\n want %q", rows, wantRows)
	}
	// The hostile DPN stays text, and the row a number.
	if fx, _ := f.GetCellFormula(TabChanges, "F5"); fx != "" {
		t.Errorf("F5 became a formula: %q", fx)
	}
	if typ, _ := f.GetCellType(TabChanges, "I2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("Row is not a number: %v", typ)
	}
	if got := fillColour(t, f, TabChanges, "A1"); got != colourHeader {
		t.Errorf("header fill %q, want %q (styled as the other tabs)", got, colourHeader)
	}
}

func TestDPNWorkbookSinceLastCheck(t *testing.T) {
	first := singleResult()
	first.VPDs[0].Changes = &checks.Changes{}
	for _, tc := range []struct {
		name string
		res  *checks.Result
		want map[string]string // Summary label -> column B
		none []string          // labels that must not be there
		tabs int
	}{
		{"compared", comparedResult(), map[string]string{
			HeadingSinceLastCheck:         "",
			"Previous check":              "3",
			"Previous check's as-of date": "18/11/2026",
			"Previous check made":         "18/11/2026 09:30 UTC",
			"New findings":                "1",
			"Persisting findings":         "9",
			"Resolved findings":           "3",
		}, nil, 5},
		{"first check", first, map[string]string{HeadingSinceLastCheck: "", "Previous check": FirstCheckText},
			[]string{"New findings", "Resolved findings", "Previous check's as-of date"}, 4},
		{"no history", singleResult(), nil,
			[]string{HeadingSinceLastCheck, "Previous check", "New findings"}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := openDPN(t, tc.res, 0)
			for label, want := range tc.want {
				if got, _ := summaryValue(t, f, label); got != want {
					t.Errorf("%s = %q, want %q", label, got, want)
				}
			}
			rows, _ := f.GetRows(TabSummary)
			for _, r := range rows {
				if len(r) > 0 && slices.Contains(tc.none, r[0]) {
					t.Errorf("Summary has %q: %q", r[0], r)
				}
			}
			if n := len(f.GetSheetList()); n != tc.tabs {
				t.Errorf("%d tabs, want %d", n, tc.tabs)
			}
			// The statistics are where they always were.
			if got, _ := summaryValue(t, f, LabelDPNIssues); got != "2" {
				t.Errorf("%s = %q", LabelDPNIssues, got)
			}
		})
	}
	// Numbers stay numbers, the date a date.
	f := openDPN(t, comparedResult(), 0)
	for _, label := range []string{"Previous check", "New findings", "Persisting findings", "Resolved findings"} {
		_, cell := summaryValue(t, f, label)
		if typ, _ := f.GetCellType(TabSummary, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s (%s) is not a number: %v", label, cell, typ)
		}
	}
	_, cell := summaryValue(t, f, "Previous check's as-of date")
	if raw, _ := f.GetCellValue(TabSummary, cell, excelize.Options{RawCellValue: true}); raw != "46344" {
		t.Errorf("previous as-of date stored as %q, want the serial 46344 (2026-11-18)", raw)
	}
}

func TestDPNWorkbookChangesDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	res := comparedResult()
	if err := DPNWorkbook(&a, res, &res.VPDs[0], testMeta()); err != nil {
		t.Fatal(err)
	}
	if err := DPNWorkbook(&b, res, &res.VPDs[0], testMeta()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same compared result differ")
	}
}

func TestJSONChanges(t *testing.T) {
	two := comparedResult()
	two.VPDs = append(two.VPDs, readyVPD("123"))
	two.VPDs[1].Changes = &checks.Changes{} // first check of 123

	other := comparedResult()
	other.VPDs = append(other.VPDs, readyVPD("123"))
	other.VPDs[1].Changes = &checks.Changes{Previous: checks.CheckRef{ID: 5, AsOf: day(2026, 11, 20)}, Persisting: 2}

	type changes = map[string]any
	for _, tc := range []struct {
		name   string
		res    *checks.Result
		vpds   []changes // by VPD order in the JSON (sorted)
		totals changes
	}{
		{"no history", singleResult(), []changes{nil}, nil},
		{"one VPD compared", comparedResult(),
			[]changes{{"previous_as_of": "2026-11-18", "previous_check": 3.0, "new": 1.0, "persisting": 9.0, "resolved": 3.0}},
			changes{"previous_as_of": "2026-11-18", "previous_check": 3.0, "compared_vpds": 1.0, "new": 1.0, "persisting": 9.0, "resolved": 3.0}},
		{"a first check has no changes", two,
			[]changes{nil, {"previous_as_of": "2026-11-18", "previous_check": 3.0, "new": 1.0, "persisting": 9.0, "resolved": 3.0}},
			changes{"previous_as_of": "2026-11-18", "previous_check": 3.0, "compared_vpds": 1.0, "new": 1.0, "persisting": 9.0, "resolved": 3.0}},
		{"different previous checks", other,
			[]changes{{"previous_as_of": "2026-11-20", "previous_check": 5.0, "new": 0.0, "persisting": 2.0, "resolved": 0.0},
				{"previous_as_of": "2026-11-18", "previous_check": 3.0, "new": 1.0, "persisting": 9.0, "resolved": 3.0}},
			changes{"compared_vpds": 2.0, "new": 1.0, "persisting": 11.0, "resolved": 3.0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := JSON(&buf, tc.res, testMeta()); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Totals map[string]any   `json:"totals"`
				VPDs   []map[string]any `json:"vpds"`
			}
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			check := func(where string, obj map[string]any, want changes) {
				got, has := obj["changes"]
				if want == nil {
					if has {
						t.Errorf("%s has changes %v, want none", where, got)
					}
					return
				}
				gm, _ := got.(map[string]any)
				if len(gm) != len(want) {
					t.Errorf("%s changes = %v, want %v", where, got, want)
					return
				}
				for k, v := range want {
					if gm[k] != v {
						t.Errorf("%s changes.%s = %v, want %v", where, k, gm[k], v)
					}
				}
			}
			check("totals", doc.Totals, tc.totals)
			if len(doc.VPDs) != len(tc.vpds) {
				t.Fatalf("%d VPDs", len(doc.VPDs))
			}
			for i, w := range tc.vpds {
				check("VPD "+doc.VPDs[i]["vpd"].(string), doc.VPDs[i], w)
			}
			if strings.Contains(buf.String(), "09:30") {
				t.Error("the JSON carries the previous check's wall-clock time")
			}
		})
	}
	// The object follows the statistics, in a fixed key order.
	var buf bytes.Buffer
	if err := JSON(&buf, comparedResult(), testMeta()); err != nil {
		t.Fatal(err)
	}
	wantVPD := `      "by_rule": {
        "dpn.chars": 1,
        "dpn.duplicate": 2,
        "dpn.empty-part": 1,
        "dpn.lowercase": 1,
        "dpn.parts": 1,
        "dpn.prefix": 1,
        "dpn.whitespace": 1,
        "name.number": 1,
        "name.parts": 1
      },
      "changes": {
        "previous_as_of": "2026-11-18",
        "previous_check": 3,
        "new": 1,
        "persisting": 9,
        "resolved": 3
      }
    }
  ],`
	if !strings.Contains(buf.String(), wantVPD) {
		t.Errorf("JSON lacks\n%s\n in\n%s", wantVPD, buf.String())
	}
}

func TestTableChanges(t *testing.T) {
	two := comparedResult()
	two.VPDs = append(two.VPDs, readyVPD("123"))
	two.VPDs[1].Changes = &checks.Changes{}
	for _, tc := range []struct {
		name    string
		res     *checks.Result
		want    []string
		notWant []string
	}{
		{"no history", singleResult(), nil, []string{"Since last check", "Previous check"}},
		{"compared", comparedResult(), []string{"Since last check:\n", "check 3, as of 18/11/2026"}, []string{"Total"}},
		{"compared and first", two, []string{"none: first check recorded", "check 3, as of 18/11/2026"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := checkTerm(&buf, tc.res, testMeta(), 0); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			assertOutput(t, out, tc.want, tc.notWant)
			if tc.name != "no history" {
				// The compared VPD's row: new 1, persisting 9, resolved 3.
				var row string
				for _, l := range strings.Split(out, "\n") {
					if strings.Contains(l, "check 3, as of") {
						row = l
					}
				}
				if fields := strings.FieldsFunc(row, func(r rune) bool { return r == '│' || r == '|' }); len(fields) < 5 ||
					strings.TrimSpace(fields[2]) != "1" || strings.TrimSpace(fields[3]) != "9" || strings.TrimSpace(fields[4]) != "3" {
					t.Errorf("row %q, want 504 | check 3 ... | 1 | 9 | 3", row)
				}
			}
		})
	}
}

func TestNationalWorkbookChanges(t *testing.T) {
	res := nationalResult()
	for i := range res.VPDs {
		switch res.VPDs[i].VPD {
		case "504":
			res.VPDs[i].Changes = &checks.Changes{Previous: previous, New: make([]checks.Finding, 2),
				Resolved: make([]checks.PastFinding, 7), Persisting: 4}
		case "777":
			res.VPDs[i].Changes = &checks.Changes{Previous: previous, Resolved: make([]checks.PastFinding, 1)}
		case "100":
			res.VPDs[i].Changes = &checks.Changes{} // first check
		}
	}
	var buf bytes.Buffer
	if err := NationalWorkbook(&buf, res, testMeta()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(TabSummary)
	if err != nil {
		t.Fatal(err)
	}
	// Columns L and M; rows worst first as without a history.
	want := [][]string{
		{"VPD", "New since last check", "Resolved since last check"},
		{"504", "2", "7"}, {"999"}, {"777", "0", "1"}, {"100"}, {"123"}, {"Total", "2", "8"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		got := []string{rows[i][0]}
		if len(rows[i]) > 11 {
			got = append(got, rows[i][11:]...)
		}
		for len(got) > 1 && got[len(got)-1] == "" {
			got = got[:len(got)-1]
		}
		if !slices.Equal(got, w) {
			t.Errorf("row %d: VPD and change columns %q, want %q", i+1, got, w)
		}
	}
}
