package report

import (
	"fmt"
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// syntheticResult builds vpds VPDs of n active DPN positions each, every
// tenth with a broken DPN and every twentieth pair duplicated.
func syntheticResult(vpds, n int) *checks.Result {
	res := &checks.Result{Inputs: []model.Input{{Path: "national.dat", Format: model.FormatGO, Encoding: "utf-8",
		Rows: vpds * n}}}
	for v := range vpds {
		vpd := fmt.Sprintf("%03d", v+100)
		r := checks.VPDResult{Stats: checks.Stats{VPD: vpd, Positions: n, Active: n, ActiveWithDPN: n}}
		for i := range n {
			num := fmt.Sprintf("%08d", 10000000+i)
			dpn := fmt.Sprintf("KSS/R%04d/%03d/STR/%03d", v, i/100, i%100)
			if i%20 == 1 {
				dpn = fmt.Sprintf("KSS/R%04d/%03d/STR/%03d", v, (i-1)/100, (i-1)%100) // duplicate of i-1
			}
			if i%10 == 5 {
				dpn = "KSS/R\t" + num + "/STR"
			}
			row := i + 2
			r.Positions = append(r.Positions, model.Position{VPD: vpd, Number: num,
				Name: num + "|Specialty Registrar|123|Cardiology", DPN: dpn, ManagingBody: "KSS",
				EffectiveFrom: day(2020, 8, 5), File: "national.dat", Row: row})
			if i%20 == 1 {
				r.Duplicates = append(r.Duplicates, checks.DuplicateGroup{DPN: dpn, Positions: []int{i - 1, i}})
				for _, j := range []int{i - 1, i} {
					r.Findings = append(r.Findings, checks.Finding{Rule: checks.RuleDPNDuplicate, Severity: checks.Error,
						VPD: vpd, File: "national.dat", Row: j + 2, PositionNumber: r.Positions[j].Number, Value: dpn,
						Message: "duplicate"})
				}
			}
			if i%10 == 5 {
				r.DPNIssues++
				r.Findings = append(r.Findings,
					checks.Finding{Rule: checks.RuleDPNChars, Severity: checks.Error, VPD: vpd, File: "national.dat",
						Row: row, PositionNumber: num, Value: dpn, Message: "tab"},
					checks.Finding{Rule: checks.RuleDPNWhitespace, Severity: checks.Warning, VPD: vpd,
						File: "national.dat", Row: row, PositionNumber: num, Value: dpn, Message: "spaces"})
				r.Warnings++
			}
		}
		r.DuplicateDPNs = len(r.Duplicates)
		r.PositionsInDuplicates = 2 * len(r.Duplicates)
		res.VPDs = append(res.VPDs, r)
		res.Totals.Positions += n
	}
	return res
}

// BenchmarkDPNReports writes 200 VPD workbooks of 400 positions each plus
// the national workbook, in parallel over VPDs. The target is well under
// 10 s per operation on 2 cores.
func BenchmarkDPNReports(b *testing.B) {
	res := syntheticResult(200, 400)
	for b.Loop() {
		dir := b.TempDir()
		paths, err := DPNReports(dir, res, testMeta(), 0)
		if err != nil {
			b.Fatal(err)
		}
		if len(paths) != 201 {
			b.Fatalf("%d files, want 201", len(paths))
		}
	}
}

func BenchmarkDPNWorkbook(b *testing.B) {
	res := syntheticResult(1, 400)
	for b.Loop() {
		if err := DPNWorkbook(discard{}, res, &res.VPDs[0], testMeta()); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
