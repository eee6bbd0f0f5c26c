package report

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/atomicfile"
	"dpnkit/internal/serve/assets"
	"dpnkit/reconcile"
)

// HTMLReportName is the file name of the HTML report:
// "DPN_Report_<YYYYMMDD>.html".
func HTMLReportName(asOf time.Time) string {
	return "DPN_Report_" + asOf.Format("20060102") + ".html"
}

// HTML writes one self-contained HTML page with the views of `dpnkit
// serve` (verdict, per-VPD table, findings by rule, findings sortable and
// filterable; with rec the placements and the "did you mean" list) for
// res and, when not nil, rec. The page embeds its style, script and data
// (the JSON documents of JSON and ReconcileJSON) and loads nothing, so it
// can be e-mailed or put on an intranet.
func HTML(w io.Writer, res *checks.Result, rec *reconcile.Result, meta Meta) error {
	if res == nil {
		return fmt.Errorf("html report: no result to write")
	}
	var data bytes.Buffer
	data.WriteString(`{"check": `)
	if err := JSON(&data, res, meta); err != nil {
		return err
	}
	data.WriteString(`, "reconcile": `)
	if rec == nil {
		data.WriteString("null")
	} else if err := ReconcileJSON(&data, rec, meta); err != nil {
		return err
	}
	data.WriteString("}")
	title := "dpnkit: DPN report as of " + meta.AsOf.Format("2 January 2006")
	_, err := w.Write(assets.ReportPage(title, data.Bytes()))
	return err
}

// WriteHTML writes the HTML report (HTML) into dir as HTMLReportName,
// whole or not at all, and returns its path.
func WriteHTML(dir string, res *checks.Result, rec *reconcile.Result, meta Meta) (string, error) {
	return atomicfile.WriteFile(dir, HTMLReportName(meta.AsOf), func(w io.Writer) error {
		return HTML(w, res, rec, meta)
	})
}
