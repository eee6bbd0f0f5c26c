// Package checks holds dpnkit's position rules, their catalogue, and the
// Runner that applies them to ESR positions; the findings, statistics and
// run-over-run comparison of a check. Placements are package reconcile's.
// A Finding is data about the input; an error returned by this package
// means the tool itself failed.
package checks

import (
	"encoding/json"
	"fmt"
)

// Severity orders findings: Info < Warning < Error.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalJSON writes the severity as its lower-case name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity written by MarshalJSON ("error",
// "warning" or "info"), so a JSON report can be read back into Findings.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return fmt.Errorf("severity: %w", err)
	}
	v, err := ParseSeverity(name)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Finding is one broken rule at one place in the input. Field order is the
// JSON order of reports.md §3.
type Finding struct {
	Rule           string   `json:"rule"`
	Severity       Severity `json:"severity"`
	VPD            string   `json:"vpd"`
	File           string   `json:"file"`
	Row            int      `json:"row"`
	Column         string   `json:"column,omitempty"`
	PositionNumber string   `json:"position_number,omitempty"`
	PlacementID    string   `json:"placement_id,omitempty"` // TIS placement, for reconciliation findings
	Value          string   `json:"value"`
	Message        string   `json:"message"`
}

// Rule describes one rule of the catalogue (checks.md).
type Rule struct {
	ID          string
	Severity    Severity
	Description string
}

// Rule ids, stable: they appear in JSON, CSV and the workbooks.
const (
	RuleDPNParts           = "dpn.parts"
	RuleDPNPrefix          = "dpn.prefix"
	RuleDPNChars           = "dpn.chars"
	RuleDPNEmptyPart       = "dpn.empty-part"
	RuleNameParts          = "name.parts"
	RuleNameNumber         = "name.number"
	RuleNameChars          = "name.chars"
	RuleDPNDuplicate       = "dpn.duplicate"
	RuleDPNWhitespace      = "dpn.whitespace"
	RuleDPNLowercase       = "dpn.lowercase"
	RuleDPNBodyMissing     = "dpn.body-missing"
	RuleBodyWithoutDPN     = "body.without-dpn"
	RuleDPNBodyMismatch    = "dpn.body-mismatch"
	RuleDPNCrossVPD        = "dpn.cross-vpd"
	RuleNameNumberMismatch = "name.number-mismatch"
	RuleDPNNonMedical      = "dpn.non-medical"
	RuleDPNInactive        = "dpn.inactive"
	RuleInputDate          = "input.date"
	RuleInputRepaired      = "input.repaired"
)

// Catalogue lists every rule dpnkit applies, in the order of checks.md.
var Catalogue = []Rule{
	{RuleDPNParts, Error, "DPN must contain at least 4 parts separated by /"},
	{RuleDPNPrefix, Error, "DPN's first part must be exactly 3 characters (the deanery prefix, e.g. MER)"},
	{RuleDPNChars, Error, "DPN must contain only readable ASCII (no tabs, linefeeds, non-breaking spaces, smart quotes)"},
	{RuleDPNEmptyPart, Error, "every part of the DPN must have a value (MER//123/123 fails, so does a trailing /)"},
	{RuleNameParts, Error, "position name must contain exactly 4 parts separated by |"},
	{RuleNameNumber, Error, "position name's first part must be numeric"},
	{RuleNameChars, Error, "position name's parts 2-4 must be empty or readable ASCII"},
	{RuleDPNDuplicate, Error, "no two active positions in one VPD may carry the same DPN"},
	{RuleDPNWhitespace, Warning, "DPN has leading or trailing spaces and will not match TIS's NPN exactly"},
	{RuleDPNLowercase, Warning, "DPN contains lower-case letters; TIS NPNs are upper case"},
	{RuleDPNBodyMissing, Warning, "DPN present but Managing Deanery Body empty"},
	{RuleBodyWithoutDPN, Warning, "Managing Deanery Body filled on a position with no DPN"},
	{RuleDPNBodyMismatch, Warning, "DPN prefix differs from the Managing Deanery Body code"},
	{RuleDPNCrossVPD, Warning, "the same DPN is active in more than one VPD, unless a host/lead employer pair carries it (one position marked Host Employer, one Lead Employer: one post)"},
	{RuleNameNumberMismatch, Warning, "position name's first part is numeric but is not the position number"},
	{RuleDPNNonMedical, Warning, "DPN on a position whose staff group is not Medical and Dental"},
	{RuleDPNInactive, Info, "an end-dated or eliminated position still carries a DPN"},
	{RuleInputDate, Error, "a date that cannot be read: blocks go-live until corrected (the position is still checked, as active)"},
	{RuleInputRepaired, Info, "a GO record split by an embedded linefeed was re-joined"},
}
