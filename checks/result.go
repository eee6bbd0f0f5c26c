package checks

import "dpnkit/internal/model"

// Stats are the DPN report's statistics (checks.md "Statistics") for one VPD
// or for the whole run. JSON names follow reports.md §3.
type Stats struct {
	VPD                   string `json:"vpd,omitempty"`
	Positions             int    `json:"positions"`               // position records read
	Active                int    `json:"active"`                  // active on the as-of date
	ActiveWithDPN         int    `json:"active_with_dpn"`         // No. of ESR Records with Deanery Records
	DuplicateDPNs         int    `json:"duplicate_dpns"`          // No. of Deanery Records linked to multiple Positions
	PositionsInDuplicates int    `json:"positions_in_duplicates"` // positions in duplicate groups
	DPNIssues             int    `json:"dpn_issues"`              // No. of data quality issues with DPN
	PositionNameIssues    int    `json:"position_name_issues"`    // No. of data quality issues with Position Name
	Errors                int    `json:"errors"`                  // findings of severity error: each blocks go-live (BlocksGoLive)
	Warnings              int    `json:"warnings"`                // findings of severity warning
	Infos                 int    `json:"infos"`                   // findings of severity info
	InputErrors           int    `json:"input_errors"`            // input.* error findings (unreadable dates)
	Ready                 bool   `json:"ready"`                   // ready for go-live: Errors is zero (see BlocksGoLive)
	// ByRule counts findings per rule id (every severity).
	ByRule map[string]int `json:"by_rule,omitempty"`
	// Accepted counts the findings matching an accepted exception of the
	// configuration (Policy): listed apart, not counted above, never
	// blocking go-live. ExpiredAcceptances counts the findings whose
	// acceptance has expired: they are counted above again.
	Accepted           int `json:"accepted,omitempty"`
	ExpiredAcceptances int `json:"expired_acceptances,omitempty"`
	// RulesOff lists the rules the configuration switched off (in the
	// totals only): their findings are in no output.
	RulesOff []string `json:"rules_off,omitempty"`
}

// DuplicateGroup is one DPN carried by more than one active position of a VPD.
type DuplicateGroup struct {
	DPN       string // normalised (trimmed, upper case)
	Positions []int  // indexes into VPDResult.Positions, ordered by position number
}

// VPDResult is everything found for one VPD.
type VPDResult struct {
	Stats
	// Positions are the VPD's active positions carrying a DPN, sorted by
	// position number, then file and row.
	Positions []model.Position
	// Duplicates are sorted by DPN; a group's number in the report is its index + 1.
	Duplicates []DuplicateGroup
	// Findings are sorted by row, rule, file, value.
	Findings []Finding
	// Inactive are the VPD's end-dated or eliminated positions that still
	// carry a DPN, sorted like Positions; kept only with Options.KeepInactive
	// (reconciliation needs them to say "ESR Position End-Dated").
	Inactive []model.Position
	// Changes compares Findings with the VPD's previous recorded check
	// (check and report with --db); nil when no history was used.
	Changes *Changes
	// AcceptedFindings match an unexpired accepted exception (ApplyPolicy),
	// in Findings order: not in Findings. ExpiredFindings are those whose
	// acceptance has expired, which are in Findings too.
	AcceptedFindings []AcceptedFinding
	ExpiredFindings  []AcceptedFinding
}

// Result is the outcome of checking a run's positions.
type Result struct {
	Inputs []model.Input
	Totals Stats       // sums over VPDs; Totals.VPD is empty
	VPDs   []VPDResult // sorted by VPD
	// Unused are the accepted exceptions of the policy that matched no
	// finding (ApplyPolicy): perhaps fixed, perhaps mistyped.
	Unused []Acceptance
}

// Findings returns every finding of the run: by VPD, then row, rule, file, value.
func (r *Result) Findings() []Finding {
	var all []Finding
	for i := range r.VPDs {
		all = append(all, r.VPDs[i].Findings...)
	}
	return all
}

// Worst returns the highest severity among the findings, or 0 when there are none.
func (r *Result) Worst() Severity {
	var w Severity
	for i := range r.VPDs {
		for _, f := range r.VPDs[i].Findings {
			if f.Severity > w {
				w = f.Severity
			}
		}
	}
	return w
}
