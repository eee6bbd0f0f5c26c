package exchange

import (
	"strings"

	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// Windows of a trainee's placements elsewhere (TIS-TCS
// EsrNotificationServiceImpl getNextPlacementForTrainee), in days after the
// as-of date, both ends included.
const (
	nextPlacementFrom = 2
	nextPlacementTo   = 7 * 13
)

// siteIndex is, for each trainee holding a MEDROT row (by GMC number,
// traineeKey), their current and next placement anywhere in TIS: 1 + the
// placement's place in the reconciliation's Placements, 0 for none. It
// holds no site text: a holder takes it from the placement while the
// reconciliation is still there (medrot).
type siteIndex struct {
	pls   []reconcile.PlacementResult
	found map[string][2]int32 // [0] current, [1] next
}

// traineeKey is the key of a placement's trainee in a siteIndex: the GMC
// number trimmed and upper-cased; "" (no key) when there is none, or it is
// the RECRUIT - VACANCY placeholder's.
func traineeKey(gmc string) string {
	k := strings.ToUpper(model.TrimWhite(gmc)) // no copy unless it has lower case
	if k == model.VacancyGMC {
		return ""
	}
	return k
}

// traineeSites finds the current and next placement of the trainee of
// every holder candidate, on any post, in any trust or local office, as
// TIS's getCurrentPlacementForTrainee and getNextPlacementForTrainee do:
//
//   - current: started on or before the as-of date and ending after it
//     (strictly; a placement ending on the as-of date is not current);
//   - next: starting between as-of + 2 days and as-of + 13 weeks, both
//     included (wider by a day at each end than the transfer window the
//     next holders are chosen from);
//
// among the in-scope placements of a type that is sent, whatever their
// lifecycle state, vacancy placeholders aside. TIS takes whichever its
// query returns first; here, when a trainee has several, the earliest
// start wins, then the lowest placement id. A placement with no end date
// runs on (as for the holders); one with no start date is left out.
// Trainees are known by their GMC number: one without any gets none.
//
// The index holds only the holders' trainees (at most one entry per
// candidate), found in one pass over the reconciliation.
func (e *engine) traineeSites(found []candAt) siteIndex {
	pls := e.in.Reconcile.Placements
	idx := siteIndex{pls: pls, found: make(map[string][2]int32, len(found))}
	for i := range found {
		if c := &found[i]; !c.vacancy {
			if k := traineeKey(c.p.GMC); k != "" {
				idx.found[k] = [2]int32{}
			}
		}
	}
	if len(idx.found) == 0 {
		return idx
	}
	from, to := e.asOf.AddDate(0, 0, nextPlacementFrom), e.asOf.AddDate(0, 0, nextPlacementTo)
	for i := range pls {
		pr := &pls[i]
		p := pr.Placement
		if !pr.TypeSent || p.DateFrom.IsZero() {
			continue
		}
		k := traineeKey(p.GMC)
		at, ok := idx.found[k]
		if !ok || pr.Vacancy || p.IsVacancy() {
			continue
		}
		var slot int
		switch {
		case !p.DateFrom.After(e.asOf) && (p.DateTo.IsZero() || p.DateTo.After(e.asOf)):
			slot = 0
		case !p.DateFrom.Before(from) && !p.DateFrom.After(to):
			slot = 1
		default:
			continue
		}
		if at[slot] == 0 || earlier(p, pls[at[slot]-1].Placement) {
			at[slot] = int32(i + 1)
			idx.found[k] = at
		}
	}
	return idx
}

// earlier reports whether a starts before b, or on the same day with a
// lower placement id.
func earlier(a, b *reconcile.KeptPlacement) bool {
	if !a.DateFrom.Equal(b.DateFrom) {
		return a.DateFrom.Before(b.DateFrom)
	}
	return model.TrimWhite(a.ID) < model.TrimWhite(b.ID)
}

// current is the site of the current placement of p's trainee, "" when
// TIS has none (or it has no site).
func (x siteIndex) current(p *reconcile.KeptPlacement) string { return x.site(p, 0) }

// next is the site of the next placement of p's trainee, "" when TIS has
// none (or it has no site).
func (x siteIndex) next(p *reconcile.KeptPlacement) string { return x.site(p, 1) }

func (x siteIndex) site(p *reconcile.KeptPlacement, slot int) string {
	k := traineeKey(p.GMC)
	if k == "" {
		return ""
	}
	if at := x.found[k][slot]; at != 0 {
		return model.TrimWhite(x.pls[at-1].Placement.Site)
	}
	return ""
}
