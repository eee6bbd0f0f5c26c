package checks

import (
	"time"

	"dpnkit/internal/model"
)

// CountOnly is the loader's question "can any rule report on this row, or
// must it be kept?", asked before a position is built, from the raw cells
// of the few columns it needs: the Deanery Post Number, the Managing
// Deanery Body, the hiring status (each as in the file, untrimmed) and the
// effective-to date (zero when open). The caller has established that the
// row's dates are readable (no input.date finding) and that it is not a
// repaired GO record (no input.repaired finding).
//
// countOnly is true when no position rule can report on such a position
// and a Runner would not keep it: it carries no DPN (every dpn.* and name.*
// rule, dpn.inactive and the kept set need one), and it is inactive or has
// no Managing Deanery Body (body.without-dpn). active is whether it counts
// as active on asOf (model.Position.Active).
//
// A rule added to Checks that can report on a position without a DPN must
// be reflected here: TestCountOnlyGuard runs every position rule on the
// rows this marks count-only and fails if any reports one.
func CountOnly(dpn, body, status string, effectiveTo, asOf time.Time) (countOnly, active bool) {
	active = model.ActiveOn(status, effectiveTo, asOf)
	if model.TrimWhite(dpn) != "" {
		return false, active
	}
	if active && model.TrimWhite(body) != "" {
		return false, active
	}
	return true, active
}

// CountOnly is the package's CountOnly for the Runner's as-of date; with
// Count, it lets a loader count the rows it marks count-only without
// building them (load.Options.Counter).
func (r *Runner) CountOnly(dpn, body, status string, effectiveTo time.Time) (countOnly, active bool) {
	return CountOnly(dpn, body, status, effectiveTo, r.opts.AsOf)
}

// Count adds positions of vpd that a loader counted without building them
// (CountOnly said so) to the statistics: positions of them, active of them
// active. It is safe for concurrent use with Add.
func (r *Runner) Count(vpd string, positions, active int) {
	if positions == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.statsOf(vpd)
	st.Positions += positions
	st.Active += active
}
