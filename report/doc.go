// Package report writes every output of a DPN check from one
// *checks.Result: the DPN report workbook per VPD, the national workbook,
// JSON, CSV, the terminal table, and the safe (temp file + rename, 0600)
// file writing behind them. It never writes to os.Stdout or os.Stderr:
// every output goes to the io.Writer or folder it is given.
package report

import (
	"time"

	"dpnkit/internal/filename"
)

// Meta describes the run a report is written for.
//
// Redact masks the personal fields of every output that carries any:
//
//   - names (surname / last name, forenames / first name, middle names, and
//     the "LastName,FirstName" applicant name of the notifications) become
//     initials: "Mary-Jane O'Brien" is "M.-J. O.", "Smith,John" is "S.,J."
//     (RedactName);
//   - GMC numbers, NI numbers, dates of birth (text, and date cells, which
//     become the text "***", never a serial number), e-mail addresses, the
//     address (address line, town, county, postcode), telephone numbers,
//     and the special-category and other sensitive items of the APP record
//     (disability, ethnic origin, religious belief, sexual orientation,
//     nationality, country of birth, marital status) become "***"
//     (Masked), including the coded value an APC warning quotes ("Value
//     for DISABILITY does not exist in ESR. The value *** will be
//     ignored.");
//   - kept: title and gender, the TIS placement id, ESR applicant and
//     position numbers, NPNs/DPNs, grades, sites, WTE and the placement's
//     dates, which locate a record without naming the person, and TIS's
//     vacancy placeholder (surname RECRUIT - VACANCY, GMC 9999978), which
//     names no one.
//
// A blank value stays blank, so a reader still sees what is missing.
// Masking is a pure function of the value, so the same person gets the
// same mask in every tab and file of a run: a reader can follow a trainee
// through the notifications by initials, placement id and applicant
// number. No hash or other function of a personal value is ever written (a
// 7-digit GMC number's hash is reversed by trying them all). Outputs that
// carry no personal data are the same with or without Redact: the DPN
// reports and the check's JSON, CSV and table (positions only), the
// reconciliation's JSON, CSV and table (placements named by TIS id; a date
// of birth is never quoted), the POR file and the run summary workbook,
// JSON and table.
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
