package exchange

import (
	"sort"
	"strings"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// count fills the summary (step 8) per managing deanery, per VPD and in
// total. A transferred position counts under its DPN prefix; an excluded
// one under its DPN's first part when that is a deanery code dpnkit knows,
// else its Managing Deanery Body's code, else reconcile.NoGroup. Placements
// in the window are those step 4 considered (sent now or earlier); one on
// a host/lead employer pair counts once in its deanery and the total, and
// in each of the pair's VPDs. APP records, SUCCESS and FAIL count records
// (quarantined records are neither); Warnings counts WARNING APC rows. A quarantined file counts
// once under its deanery and once under each VPD with records in it.
// Notifications count this run's emitted ones by type.
func (e *engine) count() {
	dean := make(map[string]*Counts)
	vpd := make(map[string]*Counts)
	tot := newCounts("")
	get := func(m map[string]*Counts, g string) *Counts {
		c := m[g]
		if c == nil {
			c = newCounts(g)
			m[g] = c
		}
		return c
	}
	both := func(d, v string, f func(*Counts)) {
		f(get(dean, d))
		f(get(vpd, v))
		f(tot)
	}
	for _, po := range e.posts {
		both(po.deanery, po.vpd, func(c *Counts) { c.PositionsTransferred++ })
	}
	for _, x := range e.res.Excluded {
		both(e.excludedDeanery(x), x.VPD, func(c *Counts) { c.PositionsExcluded++ })
	}
	for _, po := range e.inWindow {
		both(po.deanery, po.vpd, func(c *Counts) { c.PlacementsInWindow++ })
	}
	for _, po := range e.inWindowAlso { // a host/lead employer pair's placement counts in both VPDs
		get(vpd, po.vpd).PlacementsInWindow++
	}
	for _, r := range e.fresh {
		a := r.app
		both(a.ManagingDeanery, a.VPD, func(c *Counts) {
			c.APPRecords++
			switch r.status {
			case StatusSuccess:
				c.Success++
			case StatusFail:
				c.Fail++
			}
			c.Warnings += r.warnings
		})
	}
	for _, q := range e.res.Quarantined {
		var f *APPFile
		for i := range e.res.APPFiles {
			if e.res.APPFiles[i].Name == q.APPFile {
				f = &e.res.APPFiles[i]
			}
		}
		if f == nil {
			continue
		}
		get(dean, f.Deanery).QuarantinedFiles++
		tot.QuarantinedFiles++
		vs := make(map[string]bool)
		for i := range f.Records {
			vs[f.Records[i].VPD] = true
		}
		for v := range vs {
			get(vpd, v).QuarantinedFiles++
		}
	}
	for _, n := range e.res.Notifications {
		both(n.Deanery, n.VPD, func(c *Counts) { c.NotificationsByType[n.Type]++ })
	}
	e.res.Totals = *tot
	e.res.ByDeanery = sortedCounts(dean)
	e.res.ByVPD = sortedCounts(vpd)
	e.res.Rows.People.Kept = len(e.people)
}

// runRows are the rows a reconciliation counted, as the run's.
func runRows(rec *reconcile.Result) RunRows {
	if rec == nil {
		return RunRows{}
	}
	return RunRows{Positions: rec.Rows.Positions, Placements: rec.Rows.Placements}
}

// PeopleRowsOf accounts for the people read from inputs, of whom kept
// were handed to the run: the loader hands on every person it counts in
// model.Input.Rows unless load.Options.KeepPerson refuses them, so the
// rest were not needed.
func PeopleRowsOf(inputs []model.Input, kept int) PeopleRows {
	r := PeopleRows{Kept: kept, Skipped: checks.SkippedRows(inputs)}
	for _, in := range inputs {
		r.Read += in.Rows
	}
	r.NotNeeded = r.Read - kept
	return r
}

func newCounts(g string) *Counts { return &Counts{Group: g, NotificationsByType: make(map[int]int)} }

func sortedCounts(m map[string]*Counts) []Counts {
	out := make([]Counts, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group })
	return out
}

// excludedDeanery is the deanery group of an excluded position.
func (e *engine) excludedDeanery(x Exclusion) string {
	first := strings.ToUpper(strings.TrimSpace(strings.SplitN(x.DPN, "/", 2)[0]))
	if e.in.LocalOffices.Known(first) {
		return first
	}
	if code, ok := e.in.LocalOffices.Code(e.excludedBody[x.VPD+"\x00"+x.PositionNumber+"\x00"+x.DPN]); ok {
		return code
	}
	return reconcile.NoGroup
}
