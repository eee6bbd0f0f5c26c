package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/fixtures"
	"dpnkit/internal/iostreams"
)

var asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// withoutRule returns s with one rule's count removed from ByRule and from
// the severity total it fed.
func withoutRule(s checks.Stats, rule string, sev checks.Severity) checks.Stats {
	n := s.ByRule[rule]
	by := map[string]int{}
	for k, v := range s.ByRule {
		if k != rule {
			by[k] = v
		}
	}
	s.ByRule = by
	switch sev {
	case checks.Info:
		s.Infos -= n
	case checks.Warning:
		s.Warnings -= n
	}
	return s
}

func normal(s checks.Stats) checks.Stats {
	if s.ByRule == nil {
		s.ByRule = map[string]int{}
	}
	return s
}

// TestGeneratedDataMatchesExpected runs the loader and the checks on data
// the generator planted defects in, and compares every statistic and every
// per-rule count with the generator's own bookkeeping, in every shape.
func TestGeneratedDataMatchesExpected(t *testing.T) {
	cases := []fixtures.Options{
		{Scale: fixtures.Trust, Rows: 20000, Seed: 1, Format: "csv"},
		{Scale: fixtures.Trust, Rows: 20000, VPDs: 4, Seed: 2, Format: "csv"},
		{Scale: fixtures.Trust, Rows: 8000, Seed: 3, Format: "dat"},
		{Scale: fixtures.Trust, Rows: 8000, Seed: 4, Format: "xlsx"},
		{Scale: fixtures.Trust, Rows: 8000, Seed: 5, Format: "tsv-1252"},
		{Scale: fixtures.National, Rows: 60000, VPDs: 20, Seed: 6, Format: "csv"},
	}
	for _, o := range cases {
		o.AsOf = asOf
		t.Run(string(o.Scale)+"-"+string(o.Format), func(t *testing.T) {
			dir := t.TempDir()
			m, err := fixtures.Generate(dir, o)
			if err != nil {
				t.Fatal(err)
			}
			res, err := checkFiles(context.Background(), CheckOptions{Files: m.Files, AsOf: asOf}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(res.VPDs), len(m.Expected.VPDs); got != want {
				t.Fatalf("%d VPDs, generator planted %d", got, want)
			}
			for i := range res.VPDs {
				got, want := normal(res.VPDs[i].Stats), normal(m.Expected.VPDs[i])
				if !reflect.DeepEqual(got, want) {
					t.Errorf("VPD %s:\n got  %+v\n want %+v", want.VPD, got, want)
				}
			}
			if got, want := normal(res.Totals), normal(m.Expected.Totals); !reflect.DeepEqual(got, want) {
				t.Errorf("totals:\n got  %+v\n want %+v", got, want)
			}
			if m.Expected.Totals.Ready {
				t.Errorf("generated data should not be ready for go-live")
			}
		})
	}
}

// TestSampleShapesAgree loads the committed hand-made samples — the same
// positions as a GO file, a BOM+CRLF CSV, a Windows-1252 TSV and an .xlsx —
// and requires the statistics worked out by hand in
// fixtures/samples/EXPECTED.md from every one of them. Only the GO file can
// have a record re-joined after a linefeed, so its input.repaired info
// finding is set aside before comparing.
func TestSampleShapesAgree(t *testing.T) {
	dir := "../../fixtures/samples"
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want fixtures.Expected
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	wantTotals := normal(withoutRule(want.Totals, checks.RuleInputRepaired, checks.Info))
	for _, f := range []string{"positions.DAT", "positions_bom_crlf.csv", "positions_1252.tsv", "positions_excel_dates.xlsx"} {
		t.Run(f, func(t *testing.T) {
			res, err := checkFiles(context.Background(), CheckOptions{Files: []string{filepath.Join(dir, f)}, AsOf: asOf}, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := normal(withoutRule(res.Totals, checks.RuleInputRepaired, checks.Info))
			if !reflect.DeepEqual(got, wantTotals) {
				t.Errorf("\n got  %+v\n want %+v", got, wantTotals)
			}
			if f == "positions.DAT" && res.Totals.ByRule[checks.RuleInputRepaired] != 1 {
				t.Errorf("GO file: %d input.repaired findings, want 1", res.Totals.ByRule[checks.RuleInputRepaired])
			}
		})
	}
}

// TestJSONIsDeterministic runs check twice on the same multi-VPD input and
// requires byte-identical JSON.
func TestJSONIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	m, err := fixtures.Generate(dir, fixtures.Options{Scale: fixtures.Trust, Rows: 20000, VPDs: 3, Seed: 9, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	var outs [2][]byte
	for i := range outs {
		s, out, _ := iostreams.Test()
		if _, _, err := Check(context.Background(), s, CheckOptions{Files: m.Files, AsOf: asOf, Format: FormatJSON}); err != nil {
			t.Fatal(err)
		}
		outs[i] = out.Bytes()
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("two runs on the same input gave different JSON")
	}
	var doc struct {
		Findings []checks.Finding `json:"findings"`
	}
	if err := json.Unmarshal(outs[0], &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(doc.Findings) == 0 {
		t.Fatal("generated data gave no findings")
	}
}

// TestReportRefusesUnwritableFolder checks that nothing is written, and the
// input is not even read, when the output folder is a file.
func TestReportRefusesUnwritableFolder(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "reports")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _, _ := iostreams.Test()
	_, _, err := Check(context.Background(), s, CheckOptions{Files: []string{"does-not-exist.csv"}, AsOf: asOf, OutDir: filepath.Join(blocker, "sub")})
	if err == nil {
		t.Fatal("want an error for an output folder under a file")
	}
}
