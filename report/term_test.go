package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/termtable"
	"dpnkit/reconcile"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of the terminal output in testdata/terminal")

// termResult is a not-ready check of one VPD whose findings come in file
// order info, warning, error, warning, error, info, with the long messages
// the checks write, and (compared) one finding new since the last check.
func termResult(compared bool) *checks.Result {
	f := func(rule string, sev checks.Severity, row int, num, val, msg string) checks.Finding {
		return checks.Finding{Rule: rule, Severity: sev, VPD: "842", File: "data/positions_842.csv", Row: row,
			PositionNumber: num, Value: val, Message: msg}
	}
	fs := []checks.Finding{
		f("dpn.inactive", checks.Info, 131, "17282103", "LDN/R1V00/527/FY1/001",
			`Position 17282103 is end-dated (21 May 2022) but still carries DPN "LDN/R1V00/527/FY1/001". It will not transfer to TIS; nothing to do unless the post should still be active.`),
		f("body.without-dpn", checks.Warning, 87, "17278657", "LDN",
			`Position 17278657 has Managing Deanery Body "LDN" but no DPN. Positions that are not training posts must not have the DPN or Managing Deanery Body populated: clear the Managing Deanery Body, or add the DPN if this is a training post.`),
		f("dpn.parts", checks.Error, 96, "17279340", "LDN/R1V00/360-SPR-002",
			"DPN has 3 parts; it needs at least 4 separated by / (e.g. KSS/RJZ01/030/STR/001). Correct the Deanery Post Number on position 17279340."),
		f("body.without-dpn", checks.Warning, 94, "17279182", "LDN",
			`Position 17279182 has Managing Deanery Body "LDN" but no DPN. Positions that are not training posts must not have the DPN or Managing Deanery Body populated: clear the Managing Deanery Body, or add the DPN if this is a training post.`),
		f("dpn.duplicate", checks.Error, 359, "17299198", "LDN/R1V00/GPV/IMT/022",
			`DPN "LDN/R1V00/GPV/IMT/022" is also on active position 17938628 in VPD 842. A DPN must be on one active position only: end-date the post or remove the DPN from the other position so there is a 1:1 mapping.`),
		f("dpn.inactive", checks.Info, 294, "17294115", "LDN/R1V00/110/STR(H)/003",
			`Position 17294115 is end-dated (30 April 2025) but still carries DPN "LDN/R1V00/110/STR(H)/003". It will not transfer to TIS; nothing to do unless the post should still be active.`),
	}
	v := checks.VPDResult{
		Stats: checks.Stats{VPD: "842", Positions: 20000, Active: 18246, ActiveWithDPN: 3649, DuplicateDPNs: 27,
			DPNIssues: 81, PositionNameIssues: 36, Errors: 2, Warnings: 2, Infos: 2, Ready: false,
			ByRule: map[string]int{"dpn.parts": 1, "dpn.duplicate": 1, "body.without-dpn": 2, "dpn.inactive": 2}},
		Findings: fs,
	}
	if compared {
		v.Changes = &checks.Changes{Previous: checks.CheckRef{ID: 3, AsOf: day(2026, 11, 18)},
			New: []checks.Finding{fs[4]}, Persisting: 5, Resolved: nil}
	}
	totals := v.Stats
	totals.VPD = ""
	return &checks.Result{Totals: totals, VPDs: []checks.VPDResult{v}}
}

// checkGolden compares got with testdata/terminal/name (rewritten with
// -update; read the diff before committing it).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "terminal", name)
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./report -run %s -update writes it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the output:\n%s", path, got)
	}
}

// checkWidth fails on a line wider than width (escape sequences not counted).
func checkWidth(t *testing.T, out string, width int) {
	t.Helper()
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if n := termtable.Len(l); n > width {
			t.Errorf("line %d is %d wide, more than %d: %q", i+1, n, width, l)
		}
	}
}

// lineOf is the index of the first line holding s after the line holding
// after, or -1.
func lineOf(out, after, s string) int {
	lines := strings.Split(out, "\n")
	start := 0
	for i, l := range lines {
		if strings.Contains(l, after) {
			start = i
			break
		}
	}
	for i := start; i < len(lines); i++ {
		if strings.Contains(lines[i], s) {
			return i
		}
	}
	return -1
}

func TestTerminalGolden(t *testing.T) {
	for _, width := range []int{80, 200} {
		for _, color := range []bool{false, true} {
			for _, compared := range []bool{false, true} {
				name := fmt.Sprintf("check_%d", width)
				if compared {
					name += "_db"
				}
				if color {
					name += "_color"
				}
				t.Run(name, func(t *testing.T) {
					var buf bytes.Buffer
					o := Term{Top: 5, Width: width, Color: color}
					if err := Terminal(&buf, termResult(compared), testMeta(), o); err != nil {
						t.Fatal(err)
					}
					out := buf.String()
					checkGolden(t, name+".golden", out)
					checkWidth(t, out, width)
					assertCheckTerminal(t, out, color, compared)
				})
			}
		}
	}
}

// assertCheckTerminal checks what every width shows: the per-rule summary
// (errors first), the findings errors first and the info left out (top 5 of
// 6), colour only when asked, NEW only when compared.
func assertCheckTerminal(t *testing.T, out string, color, compared bool) {
	t.Helper()
	plain := strings.NewReplacer("\x1b[31m", "", "\x1b[33m", "", "\x1b[0m", "").Replace(out)
	if !strings.Contains(plain, "Findings by rule:") {
		t.Errorf("no per-rule summary")
	}
	for _, rule := range []string{"dpn.duplicate", "dpn.parts", "body.without-dpn", "dpn.inactive"} {
		if lineOf(plain, "Findings by rule:", rule) < 0 {
			t.Errorf("per-rule summary lacks %s", rule)
		}
	}
	if a, b := lineOf(plain, "Findings by rule:", "dpn.duplicate"), lineOf(plain, "Findings by rule:", "body.without-dpn"); a > b {
		t.Errorf("per-rule summary lists a warning (line %d) before an error (line %d)", b, a)
	}
	list := "Count" // the findings list is after the summary's last rule
	lastErr := lineOf(plain, "dpn.inactive", "positions_842.csv:359")
	firstErr := lineOf(plain, "dpn.inactive", "positions_842.csv:96")
	firstWarn := lineOf(plain, "dpn.inactive", "positions_842.csv:87")
	if firstErr < 0 || lastErr < 0 || firstWarn < 0 || !(firstErr < lastErr && lastErr < firstWarn) {
		t.Errorf("findings not errors first, then by row (%s): row 96 on line %d, row 359 on %d, warning row 87 on %d",
			list, firstErr, lastErr, firstWarn)
	}
	if !strings.Contains(plain, "Showing 5 of 6 findings, errors first") {
		t.Errorf("no count of the findings shown")
	}
	if got := strings.Contains(out, "\x1b["); got != color {
		t.Errorf("colour escapes present %v, want %v", got, color)
	}
	if color && !strings.Contains(out, "\x1b[31mNOT READY\x1b[0m") {
		t.Errorf("NOT READY not in red")
	}
	if got := strings.Contains(plain, "NEW"); got != compared {
		t.Errorf("NEW marks present %v, want %v", got, compared)
	}
}

// A reconciliation's exceptions never repeat the "Did you mean" of their
// own column in the Issue column, and fit the width.
func TestReconcileTerminalGolden(t *testing.T) {
	for _, width := range []int{80, 200} {
		name := fmt.Sprintf("reconcile_%d", width)
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := ReconcileTerminal(&buf, reconcileResult(), testMeta(), Term{Top: 20, Width: width}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			checkGolden(t, name+".golden", out)
			checkWidth(t, out, width)
			if n := strings.Count(out, "Did you mean"); n > 1 && width >= oneLineWidth {
				t.Errorf("\"Did you mean\" %d times: the Issue column repeats it", n)
			}
		})
	}
}

// The top findings are the first n in severity, file and row order, equal
// ones in the input's order, without sorting them all.
func TestTopFindings(t *testing.T) {
	res := termResult(false)
	var rows []int
	for _, f := range topFindings(res, 4) {
		rows = append(rows, f.Row)
	}
	// errors 96, 359; warnings 87, 94; the infos left out.
	if fmt.Sprint(rows) != "[96 359 87 94]" {
		t.Errorf("top 4 rows %v, want [96 359 87 94]", rows)
	}
	if n := len(topFindings(res, -1)); n != 6 {
		t.Errorf("all: %d findings, want 6", n)
	}
	if n := len(topFindings(res, 0)); n != 0 {
		t.Errorf("none: %d findings, want 0", n)
	}
}

// report names the workbook it wrote instead of other formats.
func TestTerminalPointsAtWorkbook(t *testing.T) {
	var buf bytes.Buffer
	o := Term{Top: 1, Workbooks: []string{"reports/DPN_Report_842_20261125.xlsx"}}
	if err := Terminal(&buf, termResult(false), testMeta(), o); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "Showing 1 of 6 findings, errors first; every one is on the Findings tab of reports/DPN_Report_842_20261125.xlsx.") {
		t.Errorf("does not point at the workbook:\n%s", out)
	}
	if strings.Contains(out, "--format") {
		t.Errorf("points at other formats although a workbook was written:\n%s", out)
	}
}

// The Issue column drops the "Did you mean" sentence the reconciliation
// appends when the suggestions are in their own column, and only then; the
// placement's other sentences, before or after it, stay.
func TestIssueWithoutSuggestions(t *testing.T) {
	issue := "No ESR position carries LDN/R1V00/023/STR/507. Did you mean LDN/R1V00/023/STR/057 (position 18359075, VPD 842: two characters swapped)?"
	suggestions := []reconcile.Suggestion{{DPN: "LDN/R1V00/023/STR/057", PositionNumber: "18359075", VPD: "842", Kind: reconcile.SuggestSwapped}}
	pr := &reconcile.PlacementResult{Issue: issue, Suggestions: suggestions}
	if got, want := issueWithoutSuggestions(pr), "No ESR position carries LDN/R1V00/023/STR/507."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	pr.Issue = issue + " Missing first name. Overlaps P2 (1 August 2026 to 6 August 2026)."
	if got, want := issueWithoutSuggestions(pr), "No ESR position carries LDN/R1V00/023/STR/507. Missing first name. Overlaps P2 (1 August 2026 to 6 August 2026)."; got != want {
		t.Errorf("with sentences after the suggestion: got %q, want %q", got, want)
	}
	pr.Issue, pr.Suggestions = issue, nil
	if got := issueWithoutSuggestions(pr); got != issue {
		t.Errorf("without suggestions the issue changed: %q", got)
	}
}
