package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/iostreams"
)

// TestOneVerdict runs check, report and reconcile on hand-made exports
// with every kind of finding (none, a warning only, an info only, an
// unreadable date, one error, and two VPDs of which one is not ready) and
// requires every output to give the same go-live verdict: the exit status
// (default --fail-on error), the terminal's verdict line, the JSON ready
// flags (total and per VPD), the DPN workbook's Summary, the national
// workbook's rows, and reconcile's report of the position check.
//
// The expected verdicts are worked out from the rules: warnings and info
// never block go-live; an unreadable date and a malformed DPN are of
// severity error and do.
func TestOneVerdict(t *testing.T) {
	const header = "VPD,Position Number,Position Name,Deanery Post Number,Managing Deanery Body,Job Staff Group,Effective From Date,Effective To Date\n"
	// 10000002 is clean in every case: the placement below matches it.
	const matched = "504,10000002,10000002|Specialty Registrar|123|Cardiology,KSS/RJZ01/030/STR/002,KSS,Medical and Dental,2020-08-05,\n"
	row := func(vpd, dpn, staff, to string) string {
		return vpd + ",10000001,10000001|Specialty Registrar|123|Cardiology," + dpn + ",KSS," + staff + ",2020-08-05," + to + "\n"
	}
	const dpn = "KSS/RJZ01/030/STR/001"
	tests := []struct {
		name      string
		csv       string
		rule      string          // the one finding of 10000001 ("" = none)
		vpdsReady map[string]bool // by VPD
	}{
		{"no finding", row("504", dpn, "Medical and Dental", ""), "", map[string]bool{"504": true}},
		{"a warning only", row("504", dpn, "Nursing", ""), "dpn.non-medical", map[string]bool{"504": true}},
		{"an info only", row("504", dpn, "Medical and Dental", "2025-01-31"), "dpn.inactive", map[string]bool{"504": true}},
		{"an unreadable date", row("504", dpn, "Medical and Dental", "31/02/2026"), "input.date", map[string]bool{"504": false}},
		{"one error", row("504", "KSS/RJZ01/030", "Medical and Dental", ""), "dpn.parts", map[string]bool{"504": false}},
		{"two VPDs (one with an unreadable date)", row("505", "KSS/RJZ01/030/STR/003", "Medical and Dental", "soon"),
			"input.date", map[string]bool{"504": true, "505": false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ready := true
			for _, r := range tc.vpdsReady {
				ready = ready && r
			}
			wantExit, wantWord := exitOK, "READY for go-live"
			if !ready {
				wantExit, wantWord = exitFindings, "NOT READY for go-live"
			}
			dir := t.TempDir()
			positions := filepath.Join(dir, "positions.csv")
			placements := filepath.Join(dir, "placements.csv")
			writeFile(t, positions, header+matched+tc.csv)
			writeFile(t, placements, "Placement TIS ID,National Post Number,Surname,Forenames,GMC Number,Date of Birth,Start Date,End Date,Placement Type,Managing Deanery\n"+
				"1716002,KSS/RJZ01/030/STR/002,Patel,Aarti,7455687,1985-03-04,2026-08-05,2027-08-04,In post,Health Education England Kent Surrey and Sussex\n")
			day := []string{"--as-of", "2026-11-25"}

			// check, table: exit status and verdict line.
			code, out := runCLI(t, append([]string{"check", positions}, day...)...)
			if code != wantExit {
				t.Errorf("check: exit %d, want %d\n%s", code, wantExit, out)
			}
			if !strings.Contains(out, "\nVerdict: "+wantWord+" (") {
				t.Errorf("check: no line %q:\n%s", "Verdict: "+wantWord, out)
			}
			if tc.rule != "" && !strings.Contains(out, tc.rule) {
				t.Errorf("check: the %s finding is not shown:\n%s", tc.rule, out)
			}

			// check, JSON: the ready flags.
			code, out = runCLI(t, append([]string{"check", positions, "--format", "json"}, day...)...)
			if code != wantExit {
				t.Errorf("check --format json: exit %d, want %d", code, wantExit)
			}
			var doc struct {
				Totals struct {
					Ready  bool           `json:"ready"`
					Errors int            `json:"errors"`
					ByRule map[string]int `json:"by_rule"`
				} `json:"totals"`
				VPDs []struct {
					VPD   string `json:"vpd"`
					Ready bool   `json:"ready"`
				} `json:"vpds"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("check --format json: %v\n%s", err, out)
			}
			wantRules := map[string]int{}
			if tc.rule != "" {
				wantRules[tc.rule] = 1 // the case's one finding, and nothing else
			}
			if len(doc.Totals.ByRule) != len(wantRules) || doc.Totals.ByRule[tc.rule] != wantRules[tc.rule] {
				t.Errorf("JSON findings by rule %v, want %v", doc.Totals.ByRule, wantRules)
			}
			if doc.Totals.Ready != ready || (doc.Totals.Errors == 0) != ready {
				t.Errorf("JSON totals: ready %v, %d errors; want ready %v", doc.Totals.Ready, doc.Totals.Errors, ready)
			}
			if len(doc.VPDs) != len(tc.vpdsReady) {
				t.Errorf("JSON: %d VPDs, want %d", len(doc.VPDs), len(tc.vpdsReady))
			}
			for _, v := range doc.VPDs {
				if want, ok := tc.vpdsReady[v.VPD]; !ok || v.Ready != want {
					t.Errorf("JSON VPD %s: ready %v, want %v", v.VPD, v.Ready, want)
				}
			}

			// check, CSV: the same exit status.
			if code, _ = runCLI(t, append([]string{"check", positions, "--format", "csv"}, day...)...); code != wantExit {
				t.Errorf("check --format csv: exit %d, want %d", code, wantExit)
			}

			// report: exit status and every workbook's verdict.
			reports := filepath.Join(dir, "reports")
			code, out = runCLI(t, append([]string{"report", positions, "--out", reports}, day...)...)
			if code != wantExit {
				t.Errorf("report: exit %d, want %d", code, wantExit)
			}
			if !strings.Contains(out, "\nVerdict: "+wantWord+" (") {
				t.Errorf("report: no line %q:\n%s", "Verdict: "+wantWord, out)
			}
			for vpd, want := range tc.vpdsReady {
				checkDPNWorkbook(t, filepath.Join(reports, "DPN_Report_"+vpd+"_20261125.xlsx"), want, tc.rule)
			}
			if len(tc.vpdsReady) > 1 {
				checkNationalWorkbook(t, filepath.Join(reports, "DPN_Report_National_20261125.xlsx"), tc.vpdsReady, ready)
			}

			// reconcile: the positions' verdict in the table and the JSON,
			// and the exit status (the placement itself matches a clean post).
			rec := append([]string{"reconcile", "--positions", positions, "--placements", placements}, day...)
			code, out = runCLI(t, rec...)
			if code != wantExit {
				t.Errorf("reconcile: exit %d, want %d\n%s", code, wantExit, out)
			}
			if !strings.Contains(out, "DPN check of the positions: "+wantWord+" (") {
				t.Errorf("reconcile: no %q:\n%s", "DPN check of the positions: "+wantWord, out)
			}
			code, out = runCLI(t, append(rec, "--format", "json")...)
			var rdoc struct {
				PositionCheck *struct {
					Ready bool `json:"ready"`
				} `json:"position_check"`
			}
			if err := json.Unmarshal([]byte(out), &rdoc); err != nil {
				t.Fatalf("reconcile --format json: %v", err)
			}
			if code != wantExit || rdoc.PositionCheck == nil || rdoc.PositionCheck.Ready != ready {
				t.Errorf("reconcile --format json: exit %d, position_check %+v; want exit %d, ready %v",
					code, rdoc.PositionCheck, wantExit, ready)
			}
		})
	}
}

// runCLI runs dpnkit as main does and returns its exit status and stdout.
func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	s, out, errOut := iostreams.Test()
	code := execute(args, s)
	if code == exitUsage || code == exitCannot {
		t.Fatalf("%q: exit %d: %s", args, code, errOut)
	}
	return code, out.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkDPNWorkbook opens a DPN report: its Summary verdict (B3) must be
// ready's, no tab may be called Warnings, and the Findings tab must hold
// the rule with its severity.
func checkDPNWorkbook(t *testing.T, path string, ready bool, rule string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := "READY for go-live"
	if !ready {
		want = "NOT READY for go-live"
	}
	if got, _ := f.GetCellValue("Summary", "B3"); got != want {
		t.Errorf("%s: Summary!B3 = %q, want %q", filepath.Base(path), got, want)
	}
	if slices.Contains(f.GetSheetList(), "Warnings") {
		t.Errorf("%s: a tab is called Warnings: %q", filepath.Base(path), f.GetSheetList())
	}
	rows, err := f.GetRows("Findings")
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	errorsListed := 0
	for _, r := range rows[1:] {
		if len(r) > 2 && r[1] == "error" {
			errorsListed++
			if r[2] != "Yes" {
				t.Errorf("%s: error finding %q does not block go-live", filepath.Base(path), r)
			}
		}
	}
	if (errorsListed == 0) != ready {
		t.Errorf("%s: %d error findings listed, verdict %q", filepath.Base(path), errorsListed, want)
	}
}

// checkNationalWorkbook requires the national summary's verdict column to
// say each VPD's verdict and the total's.
func checkNationalWorkbook(t *testing.T, path string, vpds map[string]bool, ready bool) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "Verdict")
	if col < 0 {
		t.Fatalf("national summary has no Verdict column: %q", rows[0])
	}
	want := func(r bool) string {
		if r {
			return "READY for go-live"
		}
		return "NOT READY for go-live"
	}
	seen := 0
	for _, r := range rows[1:] {
		exp, ok := vpds[r[0]]
		if r[0] == "Total" {
			exp, ok = ready, true
		}
		if !ok {
			t.Errorf("national summary row %q", r)
			continue
		}
		seen++
		if r[col] != want(exp) {
			t.Errorf("national summary %s: %q, want %q", r[0], r[col], want(exp))
		}
	}
	if seen != len(vpds)+1 {
		t.Errorf("national summary: %d rows, want %d VPDs and the total", seen, len(vpds))
	}
}
