package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

func TestVerdictReason(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    checks.Stats
		want string
	}{
		{"clean", checks.Stats{Ready: true}, "no finding of severity error"},
		{"warnings and info", checks.Stats{Ready: true, Warnings: 2, Infos: 1},
			"no finding of severity error; 2 warnings and 1 info to review"},
		{"one warning", checks.Stats{Ready: true, Warnings: 1}, "no finding of severity error; 1 warning to review"},
		{"one unreadable date", checks.Stats{Errors: 1, InputErrors: 1, ByRule: map[string]int{"input.date": 1}},
			"1 finding of severity error blocks go-live: input.date 1"},
		{"by rule, catalogue order, warnings left out", checks.Stats{Errors: 3, Warnings: 1,
			ByRule: map[string]int{"input.date": 1, "dpn.duplicate": 2, "dpn.lowercase": 1}},
			"3 findings of severity error block go-live: dpn.duplicate 2, input.date 1"},
	} {
		if got := verdictReason(&tc.s); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestJSONStreamed: the streamed JSON document is byte for byte what
// encoding/json writes for jsonDoc with every finding, whatever the number
// of findings (one block, or blocks formatted in parallel) and the bytes
// in them.
func TestJSONStreamed(t *testing.T) {
	many := singleResult()
	v := &many.VPDs[0]
	for i := range 3*jsonBlock + 5 {
		v.Findings = append(v.Findings, checks.Finding{Rule: "dpn.duplicate", Severity: checks.Error, VPD: "504",
			File: "in/positions.csv", Row: i + 10, Column: "Deanery Post Number", PositionNumber: fmt.Sprint(i),
			Value: "TBC\u2028<&>\xff", Message: fmt.Sprintf("message %d \"quoted\" \\ \t", i)})
	}
	two := nationalResult()
	two.Inputs = []model.Input{{Path: "a.csv", Format: model.FormatCSV, Rows: 3, Notes: []string{"note"}}}
	two.VPDs[0].Changes = &checks.Changes{Previous: previous, New: two.VPDs[0].Findings, Persisting: 1}
	for name, res := range map[string]*checks.Result{"single": singleResult(), "national": two, "many": many,
		"empty": {}} {
		var got bytes.Buffer
		if err := JSON(&got, res, testMeta()); err != nil {
			t.Fatal(err)
		}
		doc := jsonDoc{Tool: "dpnkit", Version: "1.2.3", AsOf: "2026-11-25", Inputs: res.Inputs,
			Totals: statsJSON{Stats: res.Totals, Changes: totalChangesJSON(res)}, Findings: res.Findings()}
		if doc.Inputs == nil {
			doc.Inputs = []model.Input{}
		}
		if doc.Findings == nil {
			doc.Findings = []checks.Finding{}
		}
		doc.Totals.VPD = ""
		doc.VPDs = []statsJSON{}
		byVPD := map[string]*checks.VPDResult{}
		var names []string
		for i := range res.VPDs {
			byVPD[res.VPDs[i].VPD] = &res.VPDs[i]
			names = append(names, res.VPDs[i].VPD)
		}
		sortStrings(names)
		for _, n := range names {
			doc.VPDs = append(doc.VPDs, statsJSON{Stats: byVPD[n].Stats, Changes: vpdChangesJSON(byVPD[n].Changes)})
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: streamed JSON (%d bytes) differs from encoding/json's (%d bytes)", name, got.Len(), want.Len())
		}
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestTableCutsLongValues: a 1 MB value without spaces (and a message
// quoting it) does not widen the terminal table; the verdict line and the
// counts are still there.
func TestTableCutsLongValues(t *testing.T) {
	long := strings.Repeat("X", 1<<20)
	res := singleResult()
	v := &res.VPDs[0]
	v.VPD = "504" + long
	v.Findings[0].Value = long
	v.Findings[0].PositionNumber = long
	v.Findings[0].File = long + "/positions.csv"
	v.Findings[0].Message = "DPN " + long + " is wrong " + strings.Repeat("word ", 1000)
	v.Findings[1].Value = " " + long + " " // spaces around: quoted
	for i := range v.Findings {
		v.Findings[i].VPD = v.VPD
	}
	var buf bytes.Buffer
	if err := checkTerm(&buf, res, testMeta(), -1); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if buf.Len() > 64<<10 {
		t.Fatalf("table of 10 findings is %d bytes", buf.Len())
	}
	for _, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > 400 {
			t.Fatalf("line of %d characters: %.120q", n, line)
		}
	}
	for _, want := range []string{"Verdict: NOT READY for go-live", strings.Repeat("X", termWidth-1) + "…",
		`" ` + strings.Repeat("X", termWidth-6) + `…"`, "…" + strings.Repeat("X", termWidth-1-len("/positions.csv:3")) + "/positions.csv:3",
		"504" + strings.Repeat("X", termWidth-4) + "…", "is wrong word word"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTermCell(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 5, "abcd…"},
		{"a\tb", 5, `a\tb`},
		{"a\t\t\tb", 5, `a\t\…`}, // cut after making visible
		{"ab\u00a0cdefgh", 8, `ab\u00a…`},
		{"éééééé", 4, `\u0…`},
	} {
		if got := termCell(tc.in, tc.n); got != tc.want {
			t.Errorf("termCell(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
	if got := termText("short message"); got != "short message" {
		t.Errorf("termText = %q", got)
	}
	if got := termText("a " + strings.Repeat("y", 60) + " b"); got != "a "+strings.Repeat("y", termWidth-1)+"… b" {
		t.Errorf("termText long word = %q", got)
	}
}

// TestDuplicateGroupOfAnySize: a group of 10,000 positions gives every
// member a row on the Duplicate DPN tab, and each position's issue text
// names three others and counts the rest.
func TestDuplicateGroupOfAnySize(t *testing.T) {
	const n = 10000
	v := checks.VPDResult{Stats: checks.Stats{VPD: "504", Positions: n, Active: n, ActiveWithDPN: n,
		DuplicateDPNs: 1, PositionsInDuplicates: n, Errors: n}}
	g := checks.DuplicateGroup{DPN: "TBC"}
	for i := range n {
		num := fmt.Sprintf("%05d", i+1)
		v.Positions = append(v.Positions, model.Position{VPD: "504", Number: num, Name: num + "|x|y|z", DPN: "TBC",
			File: "p.csv", Row: i + 2})
		v.Findings = append(v.Findings, checks.Finding{Rule: checks.RuleDPNDuplicate, Severity: checks.Error, VPD: "504",
			File: "p.csv", Row: i + 2, PositionNumber: num, Value: "TBC", Message: "duplicate"})
		g.Positions = append(g.Positions, i)
	}
	v.Duplicates = []checks.DuplicateGroup{g}
	res := &checks.Result{Totals: v.Stats, VPDs: []checks.VPDResult{v}}
	f := openDPN(t, res, 0)
	rows, err := f.GetRows(TabDuplicates)
	if err != nil {
		t.Fatal(err)
	}
	// No input has a body or dates: those columns are left out.
	if len(rows) != n+1 || rows[n][1] != "10000" || rows[n][5] != "10000" || rows[0][5] != "Positions In Group" {
		t.Fatalf("Duplicate DPN tab: %d rows, last %q", len(rows), rows[len(rows)-1])
	}
	for cell, want := range map[string]string{ // E: DPN Issues
		"E2":     "duplicate of 00002, 00003, 00004 and 9,996 more",
		"E3":     "duplicate of 00001, 00003, 00004 and 9,996 more",
		"E10001": "duplicate of 00001, 00002, 00003 and 9,996 more",
	} {
		if got := cellValue(t, f, TabAllPositions, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if got := cellValue(t, f, TabFindings, "A10001"); got != checks.RuleDPNDuplicate {
		t.Errorf("Findings!A10001 = %q", got)
	}
}

// TestReconcileJSONPositionCheck: the DPN check of the positions is in the
// reconcile JSON with its ready flag, the verdict the table prints.
func TestReconcileJSONPositionCheck(t *testing.T) {
	res := smallReconcile()
	res.PositionCheck = singleResult()
	var buf bytes.Buffer
	if err := ReconcileJSON(&buf, res, testMeta()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		PositionCheck *struct {
			VPD    *string `json:"vpd"`
			Ready  *bool   `json:"ready"`
			Errors int     `json:"errors"`
		} `json:"position_check"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if pc := doc.PositionCheck; pc == nil || pc.Ready == nil || *pc.Ready || pc.Errors != 8 || pc.VPD != nil {
		t.Errorf("position_check = %+v, want not ready with 8 errors and no vpd key", pc)
	}
	buf.Reset()
	if err := ReconcileJSON(&buf, smallReconcile(), testMeta()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "position_check") {
		t.Error("position_check written with no position check")
	}
}

// TestOtherFindingsColumn: an unreadable date on a position is in the All
// DPN Positions tab's Other Findings column, said to block go-live; a
// warning is not.
func TestOtherFindingsColumn(t *testing.T) {
	res := singleResult()
	v := &res.VPDs[0]
	v.Findings = append(v.Findings, checks.Finding{Rule: checks.RuleInputDate, Severity: checks.Error, VPD: "504",
		File: "in/positions.csv", Row: 2, Column: "Effective To Date", PositionNumber: "10000001", Value: "TBC",
		Message: "unreadable"})
	f := openDPN(t, res, 0)
	if got := cellValue(t, f, TabAllPositions, "K1"); got != "Other Findings" {
		t.Errorf("K1 = %q", got)
	}
	for cell, want := range map[string]string{
		"K2": "unreadable date in Effective To Date (blocks go-live)",
		"K4": "lower-case letters; leading or trailing spaces",
	} {
		if got := cellValue(t, f, TabAllPositions, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
}
