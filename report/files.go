package report

import (
	"fmt"
	"io"

	"dpnkit/checks"
	"dpnkit/internal/atomicfile"
	"dpnkit/internal/filename"
)

// dpnWorkbook writes one VPD's workbook for DPNReports; tests replace it
// to make one workbook fail.
var dpnWorkbook = DPNWorkbook

// DPNReports writes one DPN report workbook per VPD of res, plus the
// national workbook when res holds more than one VPD, into dir, using up to
// workers goroutines (0 or less = GOMAXPROCS). All or nothing
// (atomicfile.WriteFiles): on error no new file remains. It returns the
// paths written, sorted. A result with no VPD writes nothing.
func DPNReports(dir string, res *checks.Result, meta Meta, workers int) ([]string, error) {
	if res == nil {
		return nil, fmt.Errorf("write DPN reports to %s: no result", dir)
	}
	files := make([]atomicfile.File, 0, len(res.VPDs)+1)
	names := map[string]string{}
	for i := range res.VPDs {
		v := &res.VPDs[i]
		name := DPNWorkbookName(v.VPD, meta.AsOf)
		if other, dup := names[name]; dup {
			return nil, fmt.Errorf("write DPN reports to %s: VPDs %s and %s both map to file %s", dir,
				filename.Quote(other), filename.Quote(v.VPD), name)
		}
		names[name] = v.VPD
		files = append(files, atomicfile.File{Name: name, Write: func(w io.Writer) error { return dpnWorkbook(w, res, v, meta) }})
	}
	if len(res.VPDs) > 1 {
		files = append(files, atomicfile.File{Name: NationalWorkbookName(meta.AsOf),
			Write: func(w io.Writer) error { return NationalWorkbook(w, res, meta) }})
	}
	return atomicfile.WriteFiles(dir, files, workers)
}
