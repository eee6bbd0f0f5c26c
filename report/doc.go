// Package report writes every output of a DPN check from one
// *checks.Result: the DPN report workbook per VPD, the national workbook,
// JSON, CSV, the terminal table, and the safe (temp file + rename, 0600)
// file writing behind them. It never writes to os.Stdout or os.Stderr:
// every output goes to the io.Writer or folder it is given.
package report

import (
	"regexp"
	"time"
)

// Meta describes the run a report is written for.
type Meta struct {
	Tool, Version string
	AsOf          time.Time
	Redact        bool   // reserved: mask personal fields (not implemented yet; ignored)
	Password      string // reserved: encrypt .xlsx output (not implemented yet; ignored)
}

func (m Meta) tool() string {
	if m.Tool == "" {
		return "dpnkit"
	}
	return m.Tool
}

// toolVersion is "dpnkit 1.2.3", or just the tool when no version is known.
func (m Meta) toolVersion() string {
	if m.Version == "" {
		return m.tool()
	}
	return m.tool() + " " + m.Version
}

var unsafeNameChars = regexp.MustCompile(`[^A-Za-z0-9-]`)

// safeVPD makes a VPD code safe to use in a file name: anything but ASCII
// letters, digits and '-' becomes '_' (a VPD is data from the input file).
func safeVPD(vpd string) string {
	if vpd == "" {
		return "UNKNOWN"
	}
	return unsafeNameChars.ReplaceAllString(vpd, "_")
}

// DPNWorkbookName is the file name of a VPD's DPN report:
// "DPN_Report_<VPD>_<YYYYMMDD>.xlsx". Characters of the VPD that are not
// ASCII letters, digits or '-' are replaced by '_'.
func DPNWorkbookName(vpd string, asOf time.Time) string {
	return "DPN_Report_" + safeVPD(vpd) + "_" + asOf.Format("20060102") + ".xlsx"
}

// NationalWorkbookName is the file name of the national summary workbook:
// "DPN_Report_National_<YYYYMMDD>.xlsx".
func NationalWorkbookName(asOf time.Time) string {
	return "DPN_Report_National_" + asOf.Format("20060102") + ".xlsx"
}
