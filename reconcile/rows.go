package reconcile

import (
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// PlacementRows accounts for every placement record a reconciliation was
// given: each is counted in exactly one of InScope, Vacancies, Ended and
// Unreadable, which add up to Read. The categories are decided in that
// order of precedence: Unreadable first, then Ended, then Vacancies.
//
//   - Unreadable: a start or end date that could not be read, or an end
//     date before the start date. Whether such a placement has ended cannot
//     be told, so it is never dropped as ended: it is reconciled like any
//     other (it is in Result.Placements and the exception
//     workbook, with its input.date or placement.dates finding and any
//     other, e.g. placement.missing-field) and counted here. An unreadable
//     date of birth does not make a placement unreadable: it is an
//     input.date finding on a placement counted in its usual category.
//   - Ended: ended before the as-of date (readable dates): out of scope,
//     not reconciled, nothing else reported.
//   - Vacancies: RECRUIT - VACANCY placeholders in scope.
//   - InScope: trainee placements current or future on the as-of date.
//
// InScope + Vacancies + Unreadable is Stats.Placements of the
// totals: the placements reconciled. Skipped are the rows the loader set
// aside and did not read as placements (empty rows, and whatever else
// model.Input.Skipped counts): they are not in Read.
type PlacementRows struct {
	Read       int `json:"read"`
	InScope    int `json:"in_scope"`
	Vacancies  int `json:"vacancies"`
	Ended      int `json:"ended"`
	Unreadable int `json:"unreadable"`
	Skipped    int `json:"skipped"`
}

// Parts lists the categories of r, in the order the reports show them.
func (r PlacementRows) Parts() []checks.RowCount {
	return []checks.RowCount{{Label: "in scope", N: r.InScope}, {Label: "vacant (RECRUIT - VACANCY)", N: r.Vacancies},
		{Label: "ended (out of scope)", N: r.Ended}, {Label: "unreadable (bad or reversed dates)", N: r.Unreadable}}
}

// Sum is the total of the categories: Read when every row is accounted for.
func (r PlacementRows) Sum() int { return r.InScope + r.Vacancies + r.Ended + r.Unreadable }

// Rows account for the rows of a reconciliation's inputs.
type Rows struct {
	Positions  checks.PositionRows `json:"positions"`
	Placements PlacementRows       `json:"placements"`
}

// datesUnusable reports whether a placement's dates cannot place it in
// time: its start or end date could not be read, or it ends before it
// starts (PlacementRows.Unreadable). The loader records an unreadable date
// as a DateIssue naming the file's header; the date of birth's is told
// from the others by what must be true of it: it can only be the date of
// birth when the file has that column and the date is empty, and when
// both the start and end dates were read, or the header names a birth
// date (dateColumnKind).
func datesUnusable(p *model.Placement) bool {
	if !p.DateFrom.IsZero() && !p.DateTo.IsZero() && p.DateTo.Before(p.DateFrom) {
		return true
	}
	switch n := len(p.DateIssues); {
	case n == 0:
		return false
	case !p.HasDOBColumn || !p.DOB.IsZero() || n > 1:
		return true // at most one issue is the date of birth's
	}
	d := p.DateIssues[0]
	return dateColumnKind(d.Column) != 2 && (p.DateFrom.IsZero() || p.DateTo.IsZero())
}

// outOfScope reports whether a placement is left out of a reconciliation
// as of asOf: it ended before then, and its dates are usable.
func outOfScope(p *model.Placement, asOf time.Time) bool {
	return p.Ended(asOf) && !datesUnusable(p)
}
