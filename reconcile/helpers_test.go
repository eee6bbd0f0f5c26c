package reconcile

import (
	"strings"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// asOf is the as-of date of every test.
var asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// pos is an active CSV position of VPD 504 whose every field passes, apart
// from what the test sets.
func pos(number, name, dpn string) model.Position {
	return model.Position{
		VPD:          "504",
		Number:       number,
		Name:         name,
		DPN:          dpn,
		ManagingBody: "KSS",
		StaffGroup:   "Medical and Dental",
		File:         "positions.csv",
		Row:          2,
		Format:       model.FormatCSV,
	}
}

// equalStrings reports whether a and b hold the same strings in order.
func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

// checkPositions runs the position rules on ps in one batch, as the
// pipeline does before a reconciliation.
func checkPositions(ps []model.Position, inputs []model.Input, opts checks.Options) *checks.Result {
	r := checks.NewRunner(opts)
	r.Add(ps)
	return r.Finish(inputs)
}

// addPlacements gives r one batch of placements the way the pipeline
// does: kept in a PlacementBuffer, then reconciled.
func addPlacements(r *Reconciler, batch []model.Placement) {
	b := NewPlacementBuffer(r.opts)
	b.Add(batch)
	r.AddBuffer(b, 1)
}

// reconcileAll reconciles placements against pos in one batch.
func reconcileAll(pos *checks.Result, placements []model.Placement, opts Options) *Result {
	r := New(pos, opts)
	addPlacements(r, placements)
	return r.Finish(pos.Inputs, nil)
}
