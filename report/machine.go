package report

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// jsonDoc is the JSON document of reports.md §3; field order is key order.
type jsonDoc struct {
	Tool     string           `json:"tool"`
	Version  string           `json:"version"`
	AsOf     string           `json:"as_of"`
	Inputs   []model.Input    `json:"inputs"`
	Totals   checks.Stats     `json:"totals"`
	VPDs     []checks.Stats   `json:"vpds"`
	Findings []checks.Finding `json:"findings"`
}

// JSON writes the result as the JSON document of reports.md §3: keys tool,
// version, as_of (YYYY-MM-DD), inputs, totals (no vpd key), vpds (sorted by
// VPD) and findings (res.Findings() order); empty lists are [], never null.
// Two-space indentation and a trailing newline; the same result always
// gives the same bytes.
func JSON(w io.Writer, res *checks.Result, meta Meta) error {
	if res == nil {
		return fmt.Errorf("json report: no result to write")
	}
	doc := jsonDoc{
		Tool:     meta.tool(),
		Version:  meta.Version,
		AsOf:     meta.AsOf.Format("2006-01-02"),
		Inputs:   slices.Clip(res.Inputs),
		Totals:   res.Totals,
		VPDs:     make([]checks.Stats, len(res.VPDs)),
		Findings: res.Findings(),
	}
	if doc.Inputs == nil {
		doc.Inputs = []model.Input{}
	}
	doc.Totals.VPD = ""
	for i := range res.VPDs {
		doc.VPDs[i] = res.VPDs[i].Stats
	}
	slices.SortStableFunc(doc.VPDs, func(a, b checks.Stats) int { return cmp.Compare(a.VPD, b.VPD) })
	if doc.Findings == nil {
		doc.Findings = []checks.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

// csvHeader is the header row of CSV.
var csvHeader = []string{"rule", "severity", "vpd", "file", "row", "column", "position_number", "value", "message"}

// CSV writes the findings (res.Findings() order) as RFC 4180 CSV with the
// header rule,severity,vpd,file,row,column,position_number,value,message.
// Values are written exactly as found (quoted when they hold a comma,
// quote or line break).
func CSV(w io.Writer, res *checks.Result) error {
	if res == nil {
		return fmt.Errorf("csv report: no result to write")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	for _, f := range res.Findings() {
		rec := []string{f.Rule, f.Severity.String(), f.VPD, f.File, strconv.Itoa(f.Row), f.Column,
			f.PositionNumber, f.Value, f.Message}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}
