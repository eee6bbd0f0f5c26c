package checks

import "dpnkit/internal/model"

// RowCount is one category of an input's rows and how many fell in it,
// for the reports' "every row accounted for" lines.
type RowCount struct {
	Label string // in words, read after the count: "in scope", "ended (out of scope)", ...
	N     int
}

// PositionRows accounts for every position record read: each is counted
// in exactly one of ActiveWithDPN (what placements are matched against),
// ActiveNoDPN (not a training post) and Inactive (end-dated, eliminated
// or deleted on the as-of date; those still carrying a DPN are kept to
// say "ESR Position End-Dated"), which add up to Read. Skipped are the
// rows the loader set aside and did not read as positions (rows of other
// VPDs with --vpd, empty rows, and whatever else model.Input.Skipped
// counts): they are not in Read.
type PositionRows struct {
	Read          int `json:"read"`
	ActiveWithDPN int `json:"active_with_dpn"`
	ActiveNoDPN   int `json:"active_without_dpn"`
	Inactive      int `json:"inactive"`
	Skipped       int `json:"skipped"`
}

// Parts lists the categories of r that add up to Read, in report order.
func (r PositionRows) Parts() []RowCount {
	return []RowCount{{"active with a DPN", r.ActiveWithDPN}, {"active without a DPN", r.ActiveNoDPN},
		{"end-dated, eliminated or deleted", r.Inactive}}
}

// Sum is the total of the categories: Read when every row is accounted for.
func (r PositionRows) Sum() int { return r.ActiveWithDPN + r.ActiveNoDPN + r.Inactive }

// PositionRowsOf accounts for the positions of a DPN check: Read is the
// positions the check was given (Totals.Positions), and Skipped sums the
// inputs' model.Input.Skipped. A nil check has read nothing.
func PositionRowsOf(res *Result) PositionRows {
	if res == nil {
		return PositionRows{}
	}
	t := res.Totals
	return PositionRows{Read: t.Positions, ActiveWithDPN: t.ActiveWithDPN, ActiveNoDPN: t.Active - t.ActiveWithDPN,
		Inactive: t.Positions - t.Active, Skipped: SkippedRows(res.Inputs)}
}

// SkippedRows sums the rows the loader skipped in inputs.
func SkippedRows(inputs []model.Input) int {
	n := 0
	for _, in := range inputs {
		n += in.Skipped
	}
	return n
}
