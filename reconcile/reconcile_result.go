package reconcile

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// Placement reconciliation rule ids (checks.md "Placement reconciliation").
const (
	RulePlacementNoPosition    = "placement.no-position"
	RulePlacementManyPositions = "placement.many-positions"
	RulePlacementBucket        = "placement.bucket"
	RulePlacementOverlap       = "placement.overlap"
	RulePlacementMissingField  = "placement.missing-field"
	RulePlacementDates         = "placement.dates"
	RulePositionNoPlacement    = "position.no-placement"
	RulePlacementVacancy       = "placement.vacancy"
)

// Catalogue lists the reconciliation rules, in checks.md order.
var Catalogue = []checks.Rule{
	{ID: RulePlacementNoPosition, Severity: checks.Error, Description: "no active ESR position carries the placement's NPN"},
	{ID: RulePlacementManyPositions, Severity: checks.Error, Description: "more than one active ESR position carries the placement's NPN (a host/lead employer pair excepted: the placement matches both)"},
	{ID: RulePlacementBucket, Severity: checks.Error, Description: "more than 40 applicant records would go to one post in one file: ESR quarantines the whole file"},
	{ID: RulePlacementOverlap, Severity: checks.Warning, Description: "placements of different trainees on one NPN overlap in time (beyond a job share of WTE <= 1)"},
	{ID: RulePlacementMissingField, Severity: checks.Error, Description: "a field the applicant record needs is empty"},
	{ID: RulePlacementDates, Severity: checks.Error, Description: "placement end date before its start date"},
	{ID: RulePositionNoPlacement, Severity: checks.Info, Description: "an active ESR DPN position with no current or future placement"},
	{ID: RulePlacementVacancy, Severity: checks.Info, Description: "a RECRUIT - VACANCY placeholder on the post"},
}

// PositionMatch wording (reports.md §2, HEE's exception report).
const (
	MatchYes      = "Yes"
	MatchNone     = "No ESR Position - Check DPN in ESR Position"
	MatchMany     = "Multiple ESR Positions"
	MatchEndDated = "ESR Position End-Dated"
)

// ApplicantExport values (reports.md §2); Blocked is followed by ": <reason>".
const (
	ExportExported  = "EXPORTED"
	ExportNotYetDue = "NOT YET DUE"
	ExportBlocked   = "BLOCKED"
)

// Suggestion is an ESR DPN a placement's NPN most likely meant.
type Suggestion struct {
	DPN            string `json:"dpn"` // raw, as in ESR
	PositionNumber string `json:"position_number"`
	VPD            string `json:"vpd"`
	Kind           string `json:"kind"` // in words: "same post with different spacing or case", "letter O typed for zero", ...
	EndDated       bool   `json:"end_dated,omitempty"`
}

// MaxPositionRefs is how many of the positions carrying its NPN a
// placement's result lists (PlacementResult.Positions): one DPN typed
// into thousands of posts must not list them all for each placement.
const MaxPositionRefs = 10

// PositionRef names an ESR position a placement matched.
type PositionRef struct {
	VPD            string `json:"vpd"`
	PositionNumber string `json:"position_number"`
	DPN            string `json:"dpn"`
	EndDated       bool   `json:"end_dated,omitempty"`
}

// KeptPlacement is what a reconciliation keeps of a TIS placement: the
// fields its rules, the JSON document, the exception workbook and the
// MEDROT use, as in model.Placement (strings as read, untrimmed). The
// applicant record's other personal details (date of birth, address, NI
// number, ...), the type, lifecycle and extra columns are in
// PlacementResult.Full (not kept with Options.Lean, and only for
// the placements Options.KeepFull accepts: a national run holds
// ~150,000 placements).
type KeptPlacement struct {
	ID              string // Placement TIS ID
	NPN             string // National Post Number
	Surname         string
	Forenames       string
	GMC             string
	DateFrom        time.Time // zero when empty or unreadable
	DateTo          time.Time
	Grade           string
	Specialty       string
	EmployingBody   string
	TrainingBody    string
	ManagingDeanery string
	Site            string // the placement's site (MEDROT's place of work)
	WTE             string // as written
	Email           string
	File            string
	Row             int
}

// Ended reports whether the placement ended before asOf (as
// model.Placement.Ended).
func (p *KeptPlacement) Ended(asOf time.Time) bool {
	return !p.DateTo.IsZero() && p.DateTo.Before(asOf)
}

// DatesReversed reports whether the placement ends before it starts
// (placement.dates).
func (p *KeptPlacement) DatesReversed() bool {
	return !p.DateFrom.IsZero() && !p.DateTo.IsZero() && p.DateTo.Before(p.DateFrom)
}

// IsVacancy reports whether the placement is TIS's RECRUIT - VACANCY
// placeholder rather than a trainee (as model.Placement.IsVacancy).
func (p *KeptPlacement) IsVacancy() bool {
	return strings.EqualFold(model.TrimWhite(p.Surname), model.VacancySurname) || model.TrimWhite(p.GMC) == model.VacancyGMC
}

// PlacementResult is one in-scope placement and how it reconciles.
type PlacementResult struct {
	Placement   *KeptPlacement   // never nil
	Full        *model.Placement // every field of the placement as loaded; nil with Options.Lean
	Match       string           // one of the Match* values
	Positions   []PositionRef    // active positions carrying the NPN (or the end-dated ones for MatchEndDated), by VPD, number; at most MaxPositionRefs
	Export      string           // EXPORTED, NOT YET DUE, or "BLOCKED: <reason>"
	Vacancy     bool
	TypeSent    bool         // its placement type is sent to ESR (model.Placement.TypeSent)
	Approved    bool         // APPROVED, or no lifecycle column (model.Placement.Approved)
	DateIssues  bool         // a start, end or birth date could not be read
	Suggestions []Suggestion // at most three, best first; only for Match != MatchYes
	Issue       string       // the row's problems in words, "" when none
	Exception   bool         // any error or warning finding on this placement
	// PositionCount is how many positions carry the NPN: Positions lists
	// at most MaxPositionRefs of them. 0 for MatchNone.
	PositionCount int
}

// Stats count a reconciliation, for one group or in total.
type Stats struct {
	Group         string         `json:"group,omitempty"` // managing deanery, employing body or VPD
	Placements    int            `json:"placements"`      // placements reconciled: in scope, vacancies, unreadable (PlacementRows)
	Vacancies     int            `json:"vacancies"`
	Matched       int            `json:"matched"`
	NoPosition    int            `json:"no_position"`
	EndDated      int            `json:"end_dated"`
	ManyPositions int            `json:"many_positions"`
	Exported      int            `json:"exported"`
	NotYetDue     int            `json:"not_yet_due"`
	Blocked       int            `json:"blocked"`
	Exceptions    int            `json:"exceptions"`
	Unplaced      int            `json:"unplaced_positions"` // position.no-placement findings
	ByRule        map[string]int `json:"by_rule,omitempty"`
}

// Result is TIS placements reconciled against ESR positions.
type Result struct {
	AsOf              time.Time
	PositionInputs    []model.Input
	PlacementInputs   []model.Input
	Totals            Stats
	ByManagingDeanery []Stats // sorted by Group
	ByEmployingBody   []Stats
	ByVPD             []Stats
	Placements        []PlacementResult // exceptions first, then by managing deanery, NPN, start date, placement id
	Unplaced          []model.Position  // active DPN positions with no current or future placement, by VPD, number
	Findings          []checks.Finding  // every placement.* and position.no-placement finding, sorted by file, row, rule
	PositionCheck     *checks.Result    // the DPN check of the same positions
	// Rows account for every position of the check and every placement
	// given to the reconciliation (PositionRows, PlacementRows).
	Rows Rows
	// Accepted are the placement findings an acceptance of the policy
	// matched (ApplyPolicy); ExpiredAcceptances those whose acceptance has
	// expired (they stay in Findings too); UnusedAcceptances the
	// acceptances of placements that matched none.
	Accepted           []checks.AcceptedFinding
	ExpiredAcceptances []checks.AcceptedFinding
	UnusedAcceptances  []checks.Acceptance
}

// ApplyPolicy applies a trust's policy (dpnkit.toml) to the placement
// findings, as checks.ApplyPolicy does to the DPN check's: a placement rule
// switched off is gone, one given another severity changes, and a finding
// matching an unexpired acceptance of its placement moves from Findings to
// Accepted (out of the exit status; the placement's own status, e.g.
// BLOCKED, is what it is). The per-rule counts of the totals and of the
// placement's groups lose the findings removed.
func ApplyPolicy(res *Result, p *checks.Policy) {
	if p.Empty() || res == nil {
		return
	}
	kept, accepted, expired, dropped, unused := checks.ApplyToFindings(res.Findings, p, res.AsOf)
	res.Findings, res.Accepted, res.ExpiredAcceptances, res.UnusedAcceptances = kept, accepted, expired, unused
	if len(dropped) == 0 {
		return
	}
	byID := make(map[string]*PlacementResult, len(res.Placements))
	for i := range res.Placements {
		byID[model.TrimWhite(res.Placements[i].Placement.ID)] = &res.Placements[i]
	}
	for i := range dropped {
		f := &dropped[i]
		uncount(&res.Totals, f.Rule)
		pr := byID[f.PlacementID]
		if pr == nil {
			continue // a position's finding (position.no-placement): totals only
		}
		vpd := NoGroup
		if len(pr.Positions) > 0 {
			vpd = pr.Positions[0].VPD
		}
		for _, g := range [...]struct {
			stats []Stats
			key   string
		}{{res.ByManagingDeanery, model.TrimWhite(pr.Placement.ManagingDeanery)},
			{res.ByEmployingBody, model.TrimWhite(pr.Placement.EmployingBody)}, {res.ByVPD, vpd}} {
			key := cmp.Or(g.key, NoGroup) // as stats groups them
			if k := slices.IndexFunc(g.stats, func(s Stats) bool { return s.Group == key }); k >= 0 {
				uncount(&g.stats[k], f.Rule)
			}
		}
	}
}

// uncount takes one finding of rule from s's per-rule counts.
func uncount(s *Stats, rule string) {
	if _, ok := s.ByRule[rule]; !ok {
		return
	}
	if s.ByRule[rule]--; s.ByRule[rule] <= 0 {
		delete(s.ByRule, rule)
	}
}
