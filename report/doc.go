// Package report writes every output of a DPN check from one
// *checks.Result: the DPN report workbook per VPD, the national workbook,
// JSON, CSV and the terminal table; files are written all or nothing
// through package atomicfile. It never writes to os.Stdout or os.Stderr:
// every output goes to the io.Writer or folder it is given.
package report

import (
	"time"

	"dpnkit/internal/filename"
	"dpnkit/internal/redact"
)

// Meta describes the run a report is written for.
//
// Redact masks the personal fields of every output that carries any, by
// the one policy of package redact (names to initials; GMC and NI
// numbers, dates of birth, e-mail, address and the sensitive items of the
// APP record to "***"). Outputs that carry no personal data are the same
// with or without Redact: the DPN reports and the check's JSON, CSV and
// table (positions only), the reconciliation's JSON, CSV and table
// (placements named by TIS id; a date of birth is never quoted), the POR
// file and the run summary workbook, JSON and table.
//
// Password, when not empty, encrypts every .xlsx workbook written (DPN
// reports, national, exception, notifications, MEDROT, run summary) with
// ECMA-376 standard encryption (AES-128), which Excel opens after asking
// for the password. The workbook is built whole in memory to be encrypted,
// and its bytes differ on every write (a random salt), unlike an
// unencrypted workbook's. Other outputs (CSV, JSON, JSON lines, text, the
// terminal) are NOT encrypted: with personal data in them, use Redact, or
// keep them as protected as the inputs.
type Meta struct {
	Tool, Version string
	AsOf          time.Time
	Redact        bool   // mask personal fields (see above)
	Password      string // encrypt .xlsx output (see above); "" = not encrypted

	// TrustNames names the trust of a VPD (VPD code -> name, from dpnkit.toml
	// [trusts]): shown beside the VPD code on the workbooks' Summary
	// tabs. A VPD not named here is named by its positions' organisation
	// column when every position names the same one.
	TrustNames map[string]string
}

// policy is the redaction policy of Redact.
func (m Meta) policy() redact.Policy { return redact.Policy{Mask: m.Redact} }

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

// safeVPD makes a VPD code safe in a file name (a VPD is data from the
// input file): filename.Part.
func safeVPD(vpd string) string { return filename.Part(vpd) }

// DPNWorkbookName is the file name of a VPD's DPN report:
// "DPN_Report_<VPD>_<YYYYMMDD>.xlsx", the VPD made safe by filename.Part
// ("504" stays; "a/b" becomes "a_b_" and its hash).
func DPNWorkbookName(vpd string, asOf time.Time) string {
	return "DPN_Report_" + safeVPD(vpd) + "_" + asOf.Format("20060102") + ".xlsx"
}

// NationalWorkbookName is the file name of the national summary workbook:
// "DPN_Report_National_<YYYYMMDD>.xlsx".
func NationalWorkbookName(asOf time.Time) string {
	return "DPN_Report_National_" + asOf.Format("20060102") + ".xlsx"
}
