package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/history"
	"dpnkit/internal/iostreams"
	"dpnkit/report"
)

const positionsHeader = "VPD,Position Number,Position Name,Deanery Post Number,Managing Deanery Body,Job Staff Group\n"

// week1 has seven findings, worked out by hand (row = CSV row, header = 1):
//
//	row 3, 4  10000002, 10000003  dpn.duplicate (the same DPN), one each
//	row 5     10000004            dpn.empty-part (MER//123/123)
//	row 6     10000005            dpn.parts (3 parts)
//	row 7     10000006            dpn.whitespace (trailing space)
//	row 8     10000007            name.parts (5 parts)
//	row 9     10000008            dpn.lowercase
const week1 = positionsHeader +
	"504,10000001,10000001|Foundation Year 1|N6A|General Medicine,EOE/RGT00/021/FY1/010,EOE,Medical and Dental\n" +
	"504,10000002,10000002|Specialty Registrar|N1L|Cardiology,EOE/RGT00/100/STR/123,EOE,Medical and Dental\n" +
	"504,10000003,10000003|Specialty Registrar|N1L|Cardiology,EOE/RGT00/100/STR/123,EOE,Medical and Dental\n" +
	"504,10000004,10000004|Core Training|N5A|Anaesthetics,MER//123/123,MER,Medical and Dental\n" +
	"504,10000005,10000005|Specialty Registrar|N1L|Surgery,EOE/RGT00/110,EOE,Medical and Dental\n" +
	"504,10000006,10000006|Specialty Registrar|N1L|Obstetrics,\"EOE/RGT01/140/ST3/005 \",EOE,Medical and Dental\n" +
	"504,10000007,10000007|Specialty Registrar|N1L|Obstetrics|Gynaecology,EOE/RGT01/140/STR/009,EOE,Medical and Dental\n" +
	"504,10000008,10000008|Core Training|N5A|Psychiatry,eoe/rgt01/420/ct1/002,EOE,Medical and Dental\n"

// week2 fixes three findings (10000004's empty part, 10000005's parts,
// 10000006's space), breaks 10000001 (a lower-case DPN: new) and keeps the
// duplicate pair, 10000007's name and 10000008's lower case (4 persisting).
// 10000008 moved to the top: its row changed, its finding did not.
const week2 = positionsHeader +
	"504,10000008,10000008|Core Training|N5A|Psychiatry,eoe/rgt01/420/ct1/002,EOE,Medical and Dental\n" +
	"504,10000001,10000001|Foundation Year 1|N6A|General Medicine,EOE/RGT00/021/fy1/010,EOE,Medical and Dental\n" +
	"504,10000002,10000002|Specialty Registrar|N1L|Cardiology,EOE/RGT00/100/STR/123,EOE,Medical and Dental\n" +
	"504,10000003,10000003|Specialty Registrar|N1L|Cardiology,EOE/RGT00/100/STR/123,EOE,Medical and Dental\n" +
	"504,10000004,10000004|Core Training|N5A|Anaesthetics,MER/RGT00/123/123,MER,Medical and Dental\n" +
	"504,10000005,10000005|Specialty Registrar|N1L|Surgery,EOE/RGT00/110/ST3/007,EOE,Medical and Dental\n" +
	"504,10000006,10000006|Specialty Registrar|N1L|Obstetrics,EOE/RGT01/140/ST3/005,EOE,Medical and Dental\n" +
	"504,10000007,10000007|Specialty Registrar|N1L|Obstetrics|Gynaecology,EOE/RGT01/140/STR/009,EOE,Medical and Dental\n"

// otherVPD is one clean position of another VPD.
const otherVPD = positionsHeader +
	"999,20000001,20000001|Foundation Year 1|N6A|General Medicine,KSS/RXH01/021/FY1/001,KSS,Medical and Dental\n"

type checkDoc struct {
	Totals   jsonStats        `json:"totals"`
	VPDs     []jsonStats      `json:"vpds"`
	Findings []checks.Finding `json:"findings"`
}

type jsonStats struct {
	VPD     string       `json:"vpd"`
	Changes *jsonChanges `json:"changes"`
}

type jsonChanges struct {
	PreviousAsOf  string `json:"previous_as_of"`
	PreviousCheck int64  `json:"previous_check"`
	ComparedVPDs  int    `json:"compared_vpds"`
	New           int    `json:"new"`
	Persisting    int    `json:"persisting"`
	Resolved      int    `json:"resolved"`
}

// reportWithDB runs `dpnkit report FILES --db DB --format json --as-of D
// --out OUT`, the check recorded as made at made, and returns the JSON
// document and stderr.
func reportWithDB(t *testing.T, files []string, db, out string, asOf, made time.Time) (checkDoc, string) {
	t.Helper()
	s, stdout, stderr := iostreams.Test()
	if _, _, err := Check(context.Background(), s, CheckOptions{Files: files, AsOf: asOf, Format: FormatJSON,
		OutDir: out, DB: db, Clock: func() time.Time { return made }}); err != nil {
		t.Fatal(err)
	}
	var doc checkDoc
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	return doc, stderr.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type findingKey struct{ rule, position string }

func keysOf(fs []checks.Finding) []findingKey {
	var out []findingKey
	for _, f := range fs {
		out = append(out, findingKey{f.Rule, f.PositionNumber})
	}
	slices.SortFunc(out, func(a, b findingKey) int { return strings.Compare(a.position+a.rule, b.position+b.rule) })
	return out
}

// TestCheckComparesWithLastCheck is issue 5's must-show: two checks of the
// same VPD where three findings are fixed and one is new.
func TestCheckComparesWithLastCheck(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "history.db")
	f1 := writeFile(t, dir, "week1.csv", week1)
	f2 := writeFile(t, dir, "week2.csv", week2)
	day1, day2 := asOf, asOf.AddDate(0, 0, 7)
	made := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

	// Check 1: the first recorded check of VPD 504 — nothing to compare.
	doc1, stderr1 := reportWithDB(t, []string{f1}, db, filepath.Join(dir, "out1"), day1, made)
	want1 := []findingKey{{"dpn.duplicate", "10000002"}, {"dpn.duplicate", "10000003"}, {"dpn.empty-part", "10000004"},
		{"dpn.parts", "10000005"}, {"dpn.whitespace", "10000006"}, {"name.parts", "10000007"}, {"dpn.lowercase", "10000008"}}
	if got := keysOf(doc1.Findings); !slices.Equal(got, want1) {
		t.Fatalf("week 1 findings %v, want %v (worked out by hand)", got, want1)
	}
	if doc1.VPDs[0].Changes != nil || doc1.Totals.Changes != nil {
		t.Errorf("a first check has changes: %+v, %+v", doc1.VPDs[0].Changes, doc1.Totals.Changes)
	}
	if !strings.Contains(stderr1, "recorded check 1 in "+db) {
		t.Errorf("stderr does not say the check was recorded:\n%s", stderr1)
	}
	wb1 := openWorkbook(t, filepath.Join(dir, "out1", "DPN_Report_504_20261125.xlsx"))
	if got := summaryCell(t, wb1, report.LabelPreviousCheck); got != report.FirstCheckText {
		t.Errorf("week 1 Summary: Previous check = %q, want %q", got, report.FirstCheckText)
	}
	if slices.Contains(wb1.GetSheetList(), report.TabChanges) {
		t.Error("week 1 workbook has a Changes tab")
	}

	// Check 2, a week later: three fixed, one new, four persisting.
	doc2, _ := reportWithDB(t, []string{f2}, db, filepath.Join(dir, "out2"), day2, made.AddDate(0, 0, 7))
	want := jsonChanges{PreviousAsOf: "2026-11-25", PreviousCheck: 1, New: 1, Persisting: 4, Resolved: 3}
	if c := doc2.VPDs[0].Changes; c == nil || *c != want {
		t.Errorf("VPD 504 changes %+v, want %+v", c, want)
	}
	want.ComparedVPDs = 1
	if c := doc2.Totals.Changes; c == nil || *c != want {
		t.Errorf("totals changes %+v, want %+v", c, want)
	}

	wb2 := openWorkbook(t, filepath.Join(dir, "out2", "DPN_Report_504_20261202.xlsx"))
	for label, want := range map[string]string{
		report.LabelPreviousCheck:       "1",
		report.LabelPreviousAsOf:        "25/11/2026",
		report.LabelPreviousMade:        "25/11/2026 10:00 UTC",
		report.LabelNewFindings:         "1",
		report.LabelPersisting:          "4",
		report.LabelResolved:            "3",
		"Verdict":                       report.VerdictNotReady,
		report.LabelDPNIssues:           "0",
		"Positions in duplicate groups": "2",
	} {
		if got := summaryCell(t, wb2, label); got != want {
			t.Errorf("week 2 Summary: %s = %q, want %q", label, got, want)
		}
	}
	rows, err := wb2.GetRows(report.TabChanges)
	if err != nil {
		t.Fatalf("week 2 workbook: %v", err)
	}
	// Messages are the checks' own wording: taken from each week's findings.
	msg := func(fs []checks.Finding, rule, pos string) string {
		for _, f := range fs {
			if f.Rule == rule && f.PositionNumber == pos {
				return f.Message
			}
		}
		t.Fatalf("no %s finding on %s", rule, pos)
		return ""
	}
	wantRows := [][]string{
		{"Change", "Rule", "Severity", "Position Number", "Position Name", "DPN", "Value", "Message", "Row"},
		// Resolved: as week 1 had them (DPN, name and row of week1.csv).
		{"Resolved", "dpn.empty-part", "error", "10000004", "10000004|Core Training|N5A|Anaesthetics",
			"MER//123/123", "MER//123/123", msg(doc1.Findings, "dpn.empty-part", "10000004"), "5"},
		{"Resolved", "dpn.parts", "error", "10000005", "10000005|Specialty Registrar|N1L|Surgery",
			"EOE/RGT00/110", "EOE/RGT00/110", msg(doc1.Findings, "dpn.parts", "10000005"), "6"},
		{"Resolved", "dpn.whitespace", "warning", "10000006", "10000006|Specialty Registrar|N1L|Obstetrics",
			"EOE/RGT01/140/ST3/005 ", "EOE/RGT01/140/ST3/005 ", msg(doc1.Findings, "dpn.whitespace", "10000006"), "7"},
		// New: as week 2 has it (row 3 of week2.csv).
		{"New", "dpn.lowercase", "warning", "10000001", "10000001|Foundation Year 1|N6A|General Medicine",
			"EOE/RGT00/021/fy1/010", "EOE/RGT00/021/fy1/010", msg(doc2.Findings, "dpn.lowercase", "10000001"), "3"},
	}
	if !slices.EqualFunc(rows, wantRows, slices.Equal) {
		t.Errorf("Changes tab:\n got  %q\n want %q", rows, wantRows)
	}
	if n := len(doc2.Findings); n != 5 {
		t.Errorf("week 2 has %d findings, want 5 (4 persisting + 1 new)", n)
	}

	// Check 3: week 2 again, with a VPD checked for the first time. 504 is
	// compared with check 2 (nothing changed); 999 has no comparison.
	f3 := writeFile(t, dir, "other.csv", otherVPD)
	doc3, stderr3 := reportWithDB(t, []string{f2, f3}, db, filepath.Join(dir, "out3"), day2.AddDate(0, 0, 1), made.AddDate(0, 0, 7))
	want = jsonChanges{PreviousAsOf: "2026-12-02", PreviousCheck: 2, Persisting: 5}
	if len(doc3.VPDs) != 2 || doc3.VPDs[0].VPD != "504" || doc3.VPDs[0].Changes == nil || *doc3.VPDs[0].Changes != want {
		t.Errorf("check 3, VPD 504: %+v, want changes %+v", doc3.VPDs, want)
	}
	if len(doc3.VPDs) == 2 && doc3.VPDs[1].Changes != nil {
		t.Errorf("check 3, VPD 999 (first check) has changes %+v", doc3.VPDs[1].Changes)
	}
	want.ComparedVPDs = 1
	if c := doc3.Totals.Changes; c == nil || *c != want {
		t.Errorf("check 3 totals %+v, want %+v", c, want)
	}
	if !strings.Contains(stderr3, "recorded check 3 in ") {
		t.Errorf("check 3 stderr:\n%s", stderr3)
	}
	wb3 := openWorkbook(t, filepath.Join(dir, "out3", "DPN_Report_999_20261203.xlsx"))
	if got := summaryCell(t, wb3, report.LabelPreviousCheck); got != report.FirstCheckText {
		t.Errorf("VPD 999's first check: Previous check = %q", got)
	}

	// The history holds the checks, and the run history part is untouched.
	store, err := history.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	last, err := store.LastChecks(context.Background(), []string{"504", "999"})
	if err != nil {
		t.Fatal(err)
	}
	if last["504"].ID != 3 || len(last["504"].Findings) != 5 || last["999"].ID != 3 || len(last["999"].Findings) != 0 {
		t.Errorf("history: 504 at check %d with %d findings, 999 at %d with %d; want 3/5 and 3/0",
			last["504"].ID, len(last["504"].Findings), last["999"].ID, len(last["999"].Findings))
	}
	if runs, err := store.Runs(context.Background()); err != nil || len(runs) != 0 {
		t.Errorf("checks made runs: %d, %v", len(runs), err)
	}
}

// TestCheckTableShowsChanges: the terminal table says what changed.
func TestCheckTableShowsChanges(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	for i, content := range []string{week1, week2} {
		s, out, _ := iostreams.Test()
		f := writeFile(t, dir, "p.csv", content)
		if _, _, err := Check(context.Background(), s, CheckOptions{Files: []string{f}, AsOf: asOf.AddDate(0, 0, 7*i),
			Format: FormatTable, DB: db}); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		var want []string
		if i == 0 {
			want = []string{"Since last check:", "none: first check recorded", "recorded check 1 in " + db}
		} else {
			want = []string{"Since last check:", "check 1, as of 25/11/2026", "recorded check 2 in " + db}
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("check %d: table lacks %q:\n%s", i+1, w, text)
			}
		}
		if i == 1 {
			var row []string
			for _, l := range strings.Split(text, "\n") {
				if strings.Contains(l, "check 1, as of") {
					row = strings.FieldsFunc(l, func(r rune) bool { return r == '│' })
				}
			}
			if len(row) != 5 || strings.TrimSpace(row[2]) != "1" || strings.TrimSpace(row[3]) != "4" || strings.TrimSpace(row[4]) != "3" {
				t.Errorf("changes row %q, want new 1, persisting 4, resolved 3", row)
			}
		}
	}
}

// TestCheckWithoutDBRecordsNothing and refuses a database that is not ours
// before doing any work, leaving it as it was.
func TestCheckDBRefusals(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, dir, "p.csv", week1)
	s, _, _ := iostreams.Test()
	if _, _, err := Check(context.Background(), s, CheckOptions{Files: []string{f}, AsOf: asOf, Format: FormatJSON}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a check without --db left files: %v", entries)
	}

	notes := writeFile(t, dir, "notes.db", "not a database\n")
	out := filepath.Join(dir, "out")
	_, _, err := Check(context.Background(), s, CheckOptions{Files: []string{f}, AsOf: asOf, Format: FormatJSON,
		OutDir: out, DB: notes})
	if !errors.Is(err, history.ErrNotDpnkit) || !strings.Contains(err.Error(), notes) {
		t.Errorf("a foreign database: %v, want ErrNotDpnkit naming the file", err)
	}
	if b, _ := os.ReadFile(notes); string(b) != "not a database\n" {
		t.Error("the foreign file was changed")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("reports written despite the refused database: %v", entries)
	}
}

func openWorkbook(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// summaryCell is column B of the Summary row whose column A is label.
func summaryCell(t *testing.T, f *excelize.File, label string) string {
	t.Helper()
	rows, err := f.GetRows(report.TabSummary)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 1 && r[0] == label {
			return r[1]
		}
	}
	t.Fatalf("no Summary row %q", label)
	return ""
}
