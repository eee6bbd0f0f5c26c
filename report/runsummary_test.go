package report

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/exchange"
)

func TestRunSummaryName(t *testing.T) {
	if got, want := RunSummaryName(runAsOf), "Run_Summary_20261125.xlsx"; got != want {
		t.Errorf("RunSummaryName = %q, want %q", got, want)
	}
}

func openRunSummary(t *testing.T, r *exchange.Result) *excelize.File {
	t.Helper()
	return openRunWorkbook(t, func(b *bytes.Buffer) error { return RunSummaryWorkbook(b, r, runMeta()) })
}

func TestRunSummaryWorkbook(t *testing.T) {
	f := openRunSummary(t, runResult())
	wantTabs := []string{"Summary", "Run", "APP Files", "APC Files", "Quarantined", "Excluded Positions", "Notifications"}
	if got := f.GetSheetList(); !slices.Equal(got, wantTabs) {
		t.Fatalf("tabs = %q, want %q", got, wantTabs)
	}
	for _, tc := range []struct {
		tab  string
		row  int
		want []string
	}{
		{"Summary", 1, []string{"Grouping", "Group", "Positions Transferred", "Positions Excluded", "Placements In Window",
			"APP Records", "Success", "Fail", "Warnings", "Quarantined Files", "Type 1 Post Holders", "Type 2 Withdrawn",
			"Type 4 Date Changes", "Type 5 New Posts"}},
		{"Summary", 2, []string{"Total", "", "5", "2", "44", "44", "2", "1", "1", "1", "2", "1", "1", "0"}},
		// Groups sorted: KSS before LDN, 888 before 999.
		{"Summary", 3, []string{"Managing deanery", "KSS", "4", "1", "3", "3", "2", "1", "1", "0", "1", "1", "1", "0"}},
		{"Summary", 4, []string{"Managing deanery", "LDN", "1", "1", "41", "41", "0", "0", "0", "1", "1", "0", "0", "0"}},
		{"Summary", 5, []string{"VPD", "888", "1", "1", "41", "41", "0", "0", "0", "1", "0", "0", "0", "0"}},
		{"Summary", 6, []string{"VPD", "999", "4", "1", "3", "3", "2", "1", "1", "0", "1", "1", "1", "0"}},
		{"Summary", 7, []string{""}},
		{"Run", 1, []string{"Interface run summary"}},
		{"Run", 3, []string{"As-of date", "25/11/2026"}},
		{"Run", 4, []string{"Run", "changes since the previous run (RMC)"}},
		{"Run", 5, []string{"Produced by", "dpnkit 1.2.3"}},
		{"Run", 6, []string{"POR records", "3 (2 C, 1 D)"}},
		{"Run", 7, []string{"Excluded DPN positions", "2"}},
		{"Run", 8, []string{"APP files", "1"}},
		{"Run", 9, []string{"APC files", "1"}},
		{"Run", 10, []string{"Quarantined files", "1"}},
		{"Run", 12, []string{"Notification type", "Notification", "Count"}},
		{"Run", 13, []string{"1", "Current and next post holder (MEDROT)", "2"}},
		{"Run", 14, []string{"2", "Applicant(s) Withdrawn", "1"}},
		{"Run", 15, []string{"4", "Change to Projected Hire/End Date", "1"}},
		{"Run", 16, []string{"5", "New Training Post Created", "0"}},
		{"APP Files", 1, []string{"File", "Deanery", "Sequence", "Records"}},
		{"APP Files", 2, []string{"DE_KSS_APP_20261125_00000007", "KSS", "7", "3"}},
		{"APC Files", 1, []string{"File", "APP File", "Applicants", "Success", "Fail", "Warnings", "Messages"}},
		{"APC Files", 2, []string{"DE_KSS_APC_20261125_00000007", "DE_KSS_APP_20261125_00000007", "3", "2", "1", "1", "4"}},
		{"Quarantined", 1, []string{"APP File", "Deanery Number", "Position Number", "VPD", "Applicants"}},
		{"Quarantined", 2, []string{"DE_LDN_APP_20261125_00000002", "LDN/R1K01/IMT/001", "30000001", "888", "41"}},
		{"Excluded Positions", 1, []string{"VPD", "Position Number", "DPN", "Reason"}},
		{"Excluded Positions", 2, []string{"888", "30000009", "LDN/R1K01/IMT/O01", "DPN has characters that are not readable ASCII (dpn.chars)"}},
		{"Excluded Positions", 3, []string{"999", "10508070", "KSS/RXX/001/F1/009", "duplicate DPN (also on 10508071)"}},
		{"Notifications", 1, []string{"Notification Type", "Notification", "VPD", "Count"}},
		{"Notifications", 2, []string{"1", "Current and next post holder (MEDROT)", "888", "1"}},
		{"Notifications", 3, []string{"1", "Current and next post holder (MEDROT)", "999", "1"}},
		{"Notifications", 4, []string{"2", "Applicant(s) Withdrawn", "999", "1"}},
		{"Notifications", 5, []string{"4", "Change to Projected Hire/End Date", "999", "1"}},
		{"Notifications", 6, []string{""}},
	} {
		wantRow(t, f, tc.tab, tc.row, tc.want...)
	}
	wantTextCell(t, f, "Summary", "B5", "888")
	wantNumberCell(t, f, "Excluded Positions", "B2", "30000009")
}

func TestRunSummaryWorkbookFirstRunAndEmpty(t *testing.T) {
	f := openRunSummary(t, &exchange.Result{First: true})
	wantRow(t, f, "Summary", 2, "Total", "", "0")
	wantRow(t, f, "Summary", 3, "")
	wantRow(t, f, "Run", 4, "Run", "first run: full position set (RMF)")
	wantRow(t, f, "Run", 6, "POR records", "0 (0 C, 0 D)")
	wantRow(t, f, "Run", 16, "5", "New Training Post Created", "0")
	for _, tab := range []string{"APP Files", "APC Files", "Quarantined", "Excluded Positions", "Notifications"} {
		wantRow(t, f, tab, 2, "")
	}
}

func TestRunSummaryNoPersonalData(t *testing.T) {
	r := runResult()
	var xlsx, js, table bytes.Buffer
	if err := RunSummaryWorkbook(&xlsx, r, runMeta()); err != nil {
		t.Fatal(err)
	}
	if err := RunJSON(&js, r, runMeta()); err != nil {
		t.Fatal(err)
	}
	if err := runTerm(&table, r, runMeta()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var all strings.Builder
	for _, tab := range f.GetSheetList() {
		rows, err := f.GetRows(tab)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			all.WriteString(strings.Join(r, "|") + "\n")
		}
	}
	// Names, GMC number and NI number of the applicants and notifications.
	for name, out := range map[string]string{"workbook": all.String(), "json": js.String(), "table": table.String()} {
		for _, personal := range []string{"Jones", "Ann", "Smith", "Hunter", "7585938", "QQ123456C", "ann.jones"} {
			if strings.Contains(out, personal) {
				t.Errorf("%s contains personal value %q", name, personal)
			}
		}
	}
}

// runJSONGolden is RunJSON of runResult(), written out by hand.
const runJSONGolden = `{
  "tool": "dpnkit",
  "version": "1.2.3",
  "as_of": "2026-11-25",
  "first": false,
  "rows": {
    "positions": {
      "read": 9,
      "active_with_dpn": 7,
      "active_without_dpn": 1,
      "inactive": 1,
      "skipped": 1
    },
    "placements": {
      "read": 50,
      "in_scope": 44,
      "vacancies": 1,
      "ended": 3,
      "unreadable": 2,
      "skipped": 0
    },
    "people": {
      "read": 20,
      "kept": 3,
      "not_needed": 17,
      "skipped": 0
    }
  },
  "totals": {
    "positions_transferred": 5,
    "positions_excluded": 2,
    "placements_in_window": 44,
    "app_records": 44,
    "success": 2,
    "fail": 1,
    "warnings": 1,
    "quarantined_files": 1,
    "notifications_by_type": {
      "1": 2,
      "2": 1,
      "4": 1,
      "5": 0
    }
  },
  "by_deanery": [
    {
      "group": "KSS",
      "positions_transferred": 4,
      "positions_excluded": 1,
      "placements_in_window": 3,
      "app_records": 3,
      "success": 2,
      "fail": 1,
      "warnings": 1,
      "quarantined_files": 0,
      "notifications_by_type": {
        "1": 1,
        "2": 1,
        "4": 1,
        "5": 0
      }
    },
    {
      "group": "LDN",
      "positions_transferred": 1,
      "positions_excluded": 1,
      "placements_in_window": 41,
      "app_records": 41,
      "success": 0,
      "fail": 0,
      "warnings": 0,
      "quarantined_files": 1,
      "notifications_by_type": {
        "1": 1,
        "2": 0,
        "4": 0,
        "5": 0
      }
    }
  ],
  "by_vpd": [
    {
      "group": "888",
      "positions_transferred": 1,
      "positions_excluded": 1,
      "placements_in_window": 41,
      "app_records": 41,
      "success": 0,
      "fail": 0,
      "warnings": 0,
      "quarantined_files": 1,
      "notifications_by_type": {
        "1": 0,
        "2": 0,
        "4": 0,
        "5": 0
      }
    },
    {
      "group": "999",
      "positions_transferred": 4,
      "positions_excluded": 1,
      "placements_in_window": 3,
      "app_records": 3,
      "success": 2,
      "fail": 1,
      "warnings": 1,
      "quarantined_files": 0,
      "notifications_by_type": {
        "1": 1,
        "2": 1,
        "4": 1,
        "5": 0
      }
    }
  ],
  "app_files": [
    {
      "name": "DE_KSS_APP_20261125_00000007",
      "records": 3
    }
  ],
  "apc_files": [
    {
      "name": "DE_KSS_APC_20261125_00000007",
      "app_file": "DE_KSS_APP_20261125_00000007",
      "records": 4,
      "applicants": 3,
      "success": 2,
      "fail": 1,
      "warnings": 1
    }
  ],
  "quarantined": [
    {
      "app_file": "DE_LDN_APP_20261125_00000002",
      "posts": [
        {
          "deanery_number": "LDN/R1K01/IMT/001",
          "position_number": "30000001",
          "vpd": "888",
          "applicants": 41
        }
      ]
    }
  ],
  "notifications_by_type": {
    "1": 2,
    "2": 1,
    "4": 1,
    "5": 0
  },
  "excluded_positions": 2
}
`

func TestRunJSONGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := RunJSON(&buf, runResult(), runMeta()); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != runJSONGolden {
		t.Errorf("RunJSON:\n%s\nwant:\n%s", got, runJSONGolden)
	}
}

func TestRunJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := RunJSON(&buf, &exchange.Result{First: true}, runMeta()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`"first": true,`, `"by_deanery": [],`, `"by_vpd": [],`, `"app_files": [],`,
		`"apc_files": [],`, `"quarantined": [],`, `"excluded_positions": 0`,
		"\"notifications_by_type\": {\n    \"1\": 0,\n    \"2\": 0,\n    \"4\": 0,\n    \"5\": 0\n  },"} {
		if !strings.Contains(out, want) {
			t.Errorf("empty run JSON lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "null") {
		t.Errorf("empty run JSON has a null:\n%s", out)
	}
}

func TestRunTable(t *testing.T) {
	var buf bytes.Buffer
	if err := runTerm(&buf, runResult(), runMeta()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	wantInOrder := []string{
		"Interface run as of 25/11/2026, changes since the previous run (dpnkit 1.2.3)\n",
		"Managing deanery", "Transferred", "Notifications",
		"KSS", "4", "3",
		"LDN", "41",
		"Total", "44",
		"VPD", "888", "999",
		"POR records: 3 (2 C, 1 D); excluded DPN positions: 2.\n",
		"APP files: DE_KSS_APP_20261125_00000007 (3).\n",
		"APC files: DE_KSS_APC_20261125_00000007 (2 SUCCESS, 1 FAIL, 1 WARNING).\n",
		"Quarantined files, no APC: DE_LDN_APP_20261125_00000002 (30000001 LDN/R1K01/IMT/001: 41 applicants).\n",
		"Notifications by type: 1 Current and next post holder (MEDROT) 2, 2 Applicant(s) Withdrawn 1, " +
			"4 Change to Projected Hire/End Date 1, 5 New Training Post Created 0.\n",
	}
	if rest := assertInOrder(t, "table", out, wantInOrder); rest != "" {
		t.Errorf("unexpected output after the last line: %q", rest)
	}
}

func TestRunTableEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := runTerm(&buf, &exchange.Result{First: true}, runMeta()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"first run", "APP files: none.", "APC files: none.", "Quarantined files, no APC: none."} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("empty run table lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestRunReportsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, wantInErr string
		write           func(io.Writer, *exchange.Result) error
	}{
		{"workbook", "run summary workbook", func(w io.Writer, r *exchange.Result) error { return RunSummaryWorkbook(w, r, runMeta()) }},
		{"json", "run json report", func(w io.Writer, r *exchange.Result) error { return RunJSON(w, r, runMeta()) }},
		{"table", "run table report", func(w io.Writer, r *exchange.Result) error { return runTerm(w, r, runMeta()) }},
	} {
		if err := tc.write(io.Discard, nil); err == nil || !strings.Contains(err.Error(), tc.wantInErr) {
			t.Errorf("%s of nil: error = %v, want one containing %q", tc.name, err, tc.wantInErr)
		}
		if err := tc.write(brokenWriter{}, runResult()); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s to a broken writer: error = %v, want the write error", tc.name, err)
		}
	}
}

func TestRunSummaryWorkbookDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	for _, buf := range []*bytes.Buffer{&a, &b} {
		if err := RunSummaryWorkbook(buf, runResult(), runMeta()); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same result differ")
	}
}
