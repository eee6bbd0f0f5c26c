// Package model holds dpnkit's domain types: ESR positions (and later TIS
// placements, ESR people and applicants). It depends on the standard library
// only, so every other package can share it.
package model

import (
	"strings"
	"time"
)

// Format names the shape an input file arrived in.
type Format string

// The input shapes dpnkit loads.
const (
	FormatGO   Format = "go"   // ESR Generic Outbound .DAT file, '~' delimited
	FormatCSV  Format = "csv"  // delimited text: ',' '\t' ';' '~'
	FormatXLSX Format = "xlsx" // Excel workbook
)

// Position is one ESR position as read from an export. Strings hold the
// value exactly as decoded from the file (no trimming), because the checks
// must see stray white space and control characters.
//
// A Position handed to a batch sink by the loader may share memory with the
// loader's buffers; whoever keeps it beyond the call must Clone it.
type Position struct {
	VPD            string
	ID             string // ESR position id
	Number         string // position number
	Name           string // pipe-built position name
	EffectiveFrom  time.Time
	EffectiveTo    time.Time // zero when open-ended (or unreadable: see DateIssues)
	HiringStatus   string
	StaffGroup     string
	JobRole        string
	OccupationCode string
	DPN            string
	ManagingBody   string // Managing Deanery Body
	HostLead       string // Host/Lead Employer Status
	WorkplaceOrg   string
	Organisation   string
	Location       string

	// Extra holds the values of columns the toolkit does not know, in the
	// order of Input.ExtraColumns of the file the position came from.
	Extra []string

	// Provenance.
	File     string // path as given by the user
	Row      int    // 1-based line (GO) or record/sheet row (header = row 1) where the record starts
	Format   Format
	Repaired bool // a GO record split by an embedded linefeed was re-joined

	// DateIssues lists date cells that could not be read. The position is
	// still treated as active, and checks report each as input.date.
	DateIssues []DateIssue
}

// DateIssue is a date cell that parsed as none of the accepted forms.
type DateIssue struct {
	Column string // header as it appears in the file (or GO field name)
	Value  string
}

// HasDPN reports whether the position carries a DPN: the value is not empty
// after trimming white space (spaces, tabs, line breaks).
func (p *Position) HasDPN() bool { return TrimWhite(p.DPN) != "" }

// TrimWhite trims surrounding white space as checks.md means it: spaces,
// tabs and line breaks (not non-breaking spaces, which the rules report).
// It is called for most fields of every row, so it walks the bytes itself:
// strings.Trim with a cutset builds the set on every call.
func TrimWhite(s string) string {
	i, j := 0, len(s)
	for i < j && isWhite(s[i]) {
		i++
	}
	for j > i && isWhite(s[j-1]) {
		j--
	}
	return s[i:j]
}

func isWhite(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\v', '\f':
		return true
	}
	return false
}

// Active reports whether the position is active on asOf: its effective-to
// date is empty or on/after asOf, and its hiring status is not Eliminated or
// Deleted. A future-dated position is active. A position whose effective-to
// date could not be read is treated as active.
func (p *Position) Active(asOf time.Time) bool {
	return ActiveOn(p.HiringStatus, p.EffectiveTo, asOf)
}

// ActiveOn is Position.Active on the hiring status and the effective-to
// date alone (zero when open-ended or unreadable), for a caller that has
// not built the position.
func ActiveOn(status string, effectiveTo, asOf time.Time) bool {
	s := strings.TrimSpace(status)
	if strings.EqualFold(s, "Eliminated") || strings.EqualFold(s, "Deleted") {
		return false
	}
	return effectiveTo.IsZero() || !effectiveTo.Before(asOf)
}

// NormalDPN is the DPN as compared for duplicates and matching: surrounding
// white space trimmed and upper-cased.
func NormalDPN(dpn string) string { return strings.ToUpper(TrimWhite(dpn)) }

// Clone returns a copy of p that shares no memory with the loader's buffers.
func (p Position) Clone() Position {
	c := p
	cloneInto([]*string{&c.File, &c.VPD, &c.ID, &c.Number, &c.Name, &c.HiringStatus, &c.StaffGroup,
		&c.JobRole, &c.OccupationCode, &c.DPN, &c.ManagingBody, &c.HostLead, &c.WorkplaceOrg,
		&c.Organisation, &c.Location}, &c.Extra, &c.DateIssues)
	return c
}

// Input describes one file read in a run, for the report's summary and JSON.
type Input struct {
	Path         string   `json:"path"`
	Format       Format   `json:"format"`
	Encoding     string   `json:"encoding"` // utf-8, utf-8-bom, utf-16le, utf-16be, windows-1252
	Sheet        string   `json:"sheet,omitempty"`
	Rows         int      `json:"rows"`     // position records read
	Repaired     int      `json:"repaired"` // GO records re-joined after an embedded linefeed
	Skipped      int      `json:"skipped,omitempty"`
	Notes        []string `json:"notes,omitempty"` // e.g. "412 rows decoded as Windows-1252", "3 unknown GO record types skipped: XXA"
	ExtraColumns []string `json:"-"`
	Checksum     string   `json:"-"` // of the file's bytes, for the run history: "crc32c:" and 8 hex digits

	// The layout of a tabular input (delimited text or .xlsx); zero for a
	// GO file. Rows are numbered as Excel shows them. See SkippedLine.
	HeaderRow   int      `json:"header_row,omitempty"`    // the header's row
	TitleRows   int      `json:"title_rows,omitempty"`    // rows above the header (a report title, a run date, blank rows), skipped
	FooterRows  int      `json:"footer_rows,omitempty"`   // rows below the last record that are not records ("Total rows: 2"), skipped
	BlankRows   int      `json:"blank_rows,omitempty"`    // blank rows between the header and the last non-blank row, skipped
	StrayRows   int      `json:"stray_rows,omitempty"`    // rows inside the data that are not records (a subtotal line), skipped
	StrayRowsAt []int    `json:"stray_rows_at,omitempty"` // the first few of them
	Columns     []Column `json:"columns,omitempty"`       // every column of the header, in file order, and the field it fed
}
