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
	Exception   bool         // any error or warning finding on this placement, or a bucket post
	bucket      bool         // one of a bucket post's applicants (an exception whatever its findings)
	rank        int32        // its place by managing deanery, NPN, start date, placement id, file and row (resultOrder)
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
// placement's groups lose the findings removed, and a placement is an
// exception, counted and listed first, only as its findings now say. A
// position.no-placement finding accepted (by position) or switched off
// takes its position off Unplaced.
func ApplyPolicy(res *Result, p *checks.Policy) {
	if p.Empty() || res == nil {
		return
	}
	kept, accepted, expired, dropped, unused := checks.ApplyToFindings(res.Findings, p, res.AsOf)
	res.Findings, res.Accepted, res.ExpiredAcceptances, res.UnusedAcceptances = kept, accepted, expired, unused
	byID := make(map[string]*PlacementResult, len(res.Placements))
	for i := range res.Placements {
		byID[model.TrimWhite(res.Placements[i].Placement.ID)] = &res.Placements[i]
	}
	type at struct {
		file string
		row  int
	}
	groups := newGroupIndex(res)
	unlisted := make(map[at]bool) // positions whose position.no-placement finding is gone
	for i := range dropped {
		f := &dropped[i]
		uncountFinding(res, groups, f, byID[f.PlacementID])
		if f.Rule == RulePositionNoPlacement {
			unlisted[at{f.File, f.Row}] = true
		}
	}
	if len(unlisted) > 0 {
		res.Unplaced = slices.DeleteFunc(res.Unplaced, func(p model.Position) bool { return unlisted[at{p.File, p.Row}] })
	}
	resettleExceptions(res, groups, byID)
}

// uncountFinding takes the dropped finding f off the per-rule counts of
// the totals and of its groups: those of pr, its placement, or for a
// position's finding (position.no-placement, pr nil) its VPD's, with the
// unplaced positions counted there.
func uncountFinding(res *Result, groups groupIndex, f *checks.Finding, pr *PlacementResult) {
	uncount(&res.Totals, f.Rule)
	if pr == nil {
		if f.Rule != RulePositionNoPlacement {
			return
		}
		res.Totals.Unplaced--
		if s := groups.vpd(f.VPD); s != nil {
			s.Unplaced--
			uncount(s, f.Rule)
		}
		return
	}
	for _, s := range groups.of(pr) {
		if s != nil {
			uncount(s, f.Rule)
		}
	}
}

// groupIndex finds a result's group counts by name: by managing
// deanery, employing body and VPD.
type groupIndex [3]map[string]*Stats

func newGroupIndex(res *Result) groupIndex {
	var g groupIndex
	for i, stats := range [...][]Stats{res.ByManagingDeanery, res.ByEmployingBody, res.ByVPD} {
		g[i] = make(map[string]*Stats, len(stats))
		for k := range stats {
			g[i][stats[k].Group] = &stats[k]
		}
	}
	return g
}

// vpd is the counts of the VPD group named vpd ("" as NoGroup, as the
// reconciliation groups them), or nil.
func (g groupIndex) vpd(vpd string) *Stats { return g[2][cmp.Or(vpd, NoGroup)] }

// of are the group counts pr is in: its managing deanery's, employing
// body's and VPD's (nil where there is none).
func (g groupIndex) of(pr *PlacementResult) [3]*Stats {
	vpd := NoGroup
	if len(pr.Positions) > 0 {
		vpd = pr.Positions[0].VPD
	}
	return [3]*Stats{g[0][cmp.Or(model.TrimWhite(pr.Placement.ManagingDeanery), NoGroup)],
		g[1][cmp.Or(model.TrimWhite(pr.Placement.EmployingBody), NoGroup)], g.vpd(vpd)}
}

// resettleExceptions marks each placement an exception as its findings
// (after the policy) and its bucket post say, moves the Exceptions counts
// of those that changed, and puts the exceptions first again.
func resettleExceptions(res *Result, groups groupIndex, byID map[string]*PlacementResult) {
	flagged := make(map[*PlacementResult]bool)
	for i := range res.Findings {
		f := &res.Findings[i]
		if pr := byID[f.PlacementID]; pr != nil && f.Severity >= checks.Warning {
			flagged[pr] = true
		}
	}
	changed := false
	for i := range res.Placements {
		pr := &res.Placements[i]
		now := pr.bucket || flagged[pr]
		if now == pr.Exception {
			continue
		}
		changed = true
		pr.Exception = now
		d := -1
		if now {
			d = 1
		}
		res.Totals.Exceptions += d
		for _, s := range groups.of(pr) {
			if s != nil {
				s.Exceptions += d
			}
		}
	}
	if changed {
		slices.SortFunc(res.Placements, comparePlacementResults)
	}
}

// comparePlacementResults orders results as the reconciliation does:
// exceptions first, each part in the result's order (rank).
func comparePlacementResults(a, b PlacementResult) int {
	if a.Exception != b.Exception {
		if a.Exception {
			return -1
		}
		return 1
	}
	return cmp.Compare(a.rank, b.rank)
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
