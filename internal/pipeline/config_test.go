package pipeline

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/config"
	"dpnkit/internal/iostreams"
	"dpnkit/report"
)

// Positions 100 and 101 share a DPN (dpn.duplicate on each, errors);
// 103 is not Medical and Dental (dpn.non-medical, a warning).
const policyCSV = `VPD,Position Number,Position Name,Deanery Post Number,Managing Deanery Body,Job Staff Group
504,100,100|Registrar|X|Y,KSS/RJZ01/001/A,KSS,Medical and Dental
504,101,101|Registrar|X|Y,KSS/RJZ01/001/A,KSS,Medical and Dental
504,103,103|Registrar|X|Y,KSS/RJZ01/003/A,KSS,Allied Health
`

// policyTOML accepts both duplicates until 31 January 2027 and switches
// dpn.non-medical off.
const policyTOML = `[trusts]
"504" = "Example NHS Foundation Trust"

[rules]
"dpn.non-medical" = "off"

[[accept]]
rule = "dpn.duplicate"
position = "100"
reason = "Shared rotation post"
who = "A. Person"
until = 2027-01-31

[[accept]]
rule = "dpn.duplicate"
position = "101"
value = "KSS/RJZ01/001/A"
reason = "Shared rotation post"
who = "A. Person"
until = 2027-01-31
`

type policyJSON struct {
	Totals             checks.Stats      `json:"totals"`
	Accepted           []json.RawMessage `json:"accepted"`
	ExpiredAcceptances []json.RawMessage `json:"expired_acceptances"`
	Findings           []checks.Finding  `json:"findings"`
}

// checkWithPolicy runs check --format json --out on the sample with the
// configuration, and returns the JSON and the VPD's workbook.
func checkWithPolicy(t *testing.T, asOf time.Time) (policyJSON, string, *checks.Result) {
	t.Helper()
	dir := t.TempDir()
	in := writeFile(t, dir, "positions.csv", policyCSV)
	cfg, err := config.Parse("dpnkit.toml", []byte(policyTOML))
	if err != nil {
		t.Fatal(err)
	}
	s, out, _ := iostreams.Test()
	outDir := filepath.Join(dir, "out")
	res, _, err := Check(context.Background(), s, CheckOptions{Files: []string{in}, AsOf: asOf, Format: FormatJSON,
		OutDir: outDir, Config: cfg.Path, TrustNames: cfg.Trusts, Policy: &cfg.Policy})
	if err != nil {
		t.Fatal(err)
	}
	var doc policyJSON
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc, filepath.Join(outDir, report.DPNWorkbookName("504", asOf)), res
}

func TestCheckAcceptedExceptions(t *testing.T) {
	doc, wb, res := checkWithPolicy(t, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	st := doc.Totals
	if st.Errors != 0 || st.Warnings != 0 || !st.Ready || st.Accepted != 2 || len(doc.Findings) != 0 || res.Worst() != 0 {
		t.Errorf("totals %+v, %d findings: want both duplicates accepted, nothing counted, ready", st, len(doc.Findings))
	}
	if !slices.Equal(st.RulesOff, []string{"dpn.non-medical"}) {
		t.Errorf("rules_off %q, want dpn.non-medical", st.RulesOff)
	}
	if len(doc.Accepted) != 2 || !strings.Contains(string(doc.Accepted[0]), `"reason": "Shared rotation post"`) ||
		!strings.Contains(string(doc.Accepted[0]), `"until": "2027-01-31"`) || !strings.Contains(string(doc.Accepted[0]), `"who": "A. Person"`) {
		t.Errorf("accepted list: %s", doc.Accepted)
	}
	f := openWorkbook(t, wb)
	rows, err := f.GetRows(report.TabAccepted)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("Accepted tab has %d rows, want a header and 2", len(rows))
	}
	for i, pos := range []string{"100", "101"} {
		r := strings.Join(rows[i+1], "|")
		if !strings.HasPrefix(r, "Accepted: not counted|dpn.duplicate|error|504|"+pos+"|") ||
			!strings.Contains(r, "|Shared rotation post|A. Person|") {
			t.Errorf("Accepted tab row %d: %s", i+2, r)
		}
	}
	if fr, _ := f.GetRows(report.TabFindings); len(fr) != 1 {
		t.Errorf("Findings tab has %d rows, want the header only", len(fr))
	}
	assertNoRule(t, f, "dpn.non-medical")
	if got := summaryCell(t, f, report.LabelRulesOff); got != "dpn.non-medical" {
		t.Errorf("Summary: %s %q", report.LabelRulesOff, got)
	}
	if got := summaryCell(t, f, report.LabelAccepted); got != "2" {
		t.Errorf("Summary: %s %q, want 2", report.LabelAccepted, got)
	}
}

// After the until date both duplicates are findings again, saying their
// acceptance expired, and listed as such on the Accepted tab.
func TestCheckExpiredAcceptances(t *testing.T) {
	doc, wb, res := checkWithPolicy(t, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC))
	st := doc.Totals
	if st.Errors != 2 || st.Ready || st.Accepted != 0 || st.ExpiredAcceptances != 2 || res.Worst() != checks.Error ||
		len(doc.Accepted) != 0 || len(doc.ExpiredAcceptances) != 2 {
		t.Errorf("totals %+v, %d accepted, %d expired: want 2 errors, 0 accepted, 2 expired", st, len(doc.Accepted), len(doc.ExpiredAcceptances))
	}
	for _, fd := range doc.Findings {
		if fd.Rule != "dpn.duplicate" || !strings.Contains(fd.Message, "acceptance by A. Person expired on 2027-01-31") {
			t.Errorf("finding %+v: want a duplicate saying its acceptance expired", fd)
		}
	}
	f := openWorkbook(t, wb)
	rows, err := f.GetRows(report.TabAccepted)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][0] != "Expired: counted again" || rows[2][0] != "Expired: counted again" {
		t.Errorf("Accepted tab: %q", rows)
	}
	if got := summaryCell(t, f, report.LabelExpired); got != "2" {
		t.Errorf("Summary: %s %q, want 2", report.LabelExpired, got)
	}
	assertNoRule(t, f, "dpn.non-medical")
}

// assertNoRule fails when any cell of any tab of f names rule.
func assertNoRule(t *testing.T, f *excelize.File, rule string) {
	t.Helper()
	for _, tab := range f.GetSheetList() {
		rows, err := f.GetRows(tab)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if tab == report.TabSummary && len(r) > 1 && r[0] == report.LabelRulesOff {
				if r[1] != rule {
					t.Errorf("Summary: %s %q, want %s", report.LabelRulesOff, r[1], rule)
				}
				continue // the statistics say it was off
			}
			if strings.Contains(strings.Join(r, "|"), rule) {
				t.Errorf("tab %s row %d names %s, a rule switched off: %q", tab, i+1, rule, r)
			}
		}
	}
}
