package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"dpnkit/checks"
)

// csvHeader is the header row of CSV.
var csvHeader = []string{"rule", "severity", "vpd", "file", "row", "column", "position_number", "value", "message"}

// CSV writes the findings (res.Findings() order) as RFC 4180 CSV with the
// header rule,severity,vpd,file,row,column,position_number,value,message.
// Every cell goes through SafeCSVValue: a value a spreadsheet would run
// (leading =, +, -, @, tab or CR) starts with an apostrophe; otherwise
// values are written exactly as found (quoted when they hold a comma,
// quote or line break). The JSON has every value unchanged.
func CSV(w io.Writer, res *checks.Result) error {
	if res == nil {
		return fmt.Errorf("csv report: no result to write")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	rec := make([]string, len(csvHeader))
	for i := range res.VPDs {
		for j := range res.VPDs[i].Findings {
			f := &res.VPDs[i].Findings[j]
			rec = append(rec[:0], f.Rule, f.Severity.String(), f.VPD, f.File, strconv.Itoa(f.Row), f.Column,
				f.PositionNumber, f.Value, f.Message)
			if err := cw.Write(safeCSVRecord(rec)); err != nil {
				return fmt.Errorf("write csv report: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}
