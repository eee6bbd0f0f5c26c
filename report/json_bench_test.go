package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// syntheticFindings is a check result of 200 VPDs with per findings each.
func syntheticFindings(per int) *checks.Result {
	res := &checks.Result{Inputs: []model.Input{{Path: "national.dat", Format: model.FormatGO, Encoding: "utf-8"}}}
	for v := range 200 {
		vpd := fmt.Sprintf("%03d", v+100)
		r := checks.VPDResult{Stats: checks.Stats{VPD: vpd}}
		for i := range per {
			r.Findings = append(r.Findings, checks.Finding{Rule: checks.RuleDPNDuplicate, Severity: checks.Error,
				VPD: vpd, File: "national.dat", Row: i + 2, PositionNumber: fmt.Sprintf("%08d", 10000000+i),
				Value: "KSS/R\t0001/STR", Message: "DPN shared with position 10000001 (row 3)"})
		}
		res.VPDs = append(res.VPDs, r)
	}
	return res
}

// encodeWhole is encoding/json writing v at once, as jsonStream would.
func encodeWhole(w io.Writer, v any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return bw.Flush()
}

// wholeCheckDoc is jsonDoc with its findings, for encodeWhole.
type wholeCheckDoc struct {
	Tool     string            `json:"tool"`
	Version  string            `json:"version"`
	AsOf     string            `json:"as_of"`
	Inputs   []model.Input     `json:"inputs"`
	Totals   statsJSON         `json:"totals"`
	VPDs     []statsJSON       `json:"vpds"`
	Findings []*checks.Finding `json:"findings"`
}

// BenchmarkJSON writes a check result of 200,000 findings as JSON, with
// jsonStream (what JSON does) and, for comparison, with encoding/json
// encoding the whole document at once (docs/performance.md, "JSON output").
func BenchmarkJSON(b *testing.B) {
	res := syntheticFindings(1000) // 200,000 findings
	b.Run("stream", func(b *testing.B) {
		for b.Loop() {
			if err := JSON(discard{}, res, testMeta()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-whole", func(b *testing.B) {
		for b.Loop() {
			doc := wholeCheckDoc{Tool: "dpnkit", Inputs: res.Inputs, VPDs: make([]statsJSON, len(res.VPDs)), Findings: findingRefs(res)}
			if err := encodeWhole(discard{}, &doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
