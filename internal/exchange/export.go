package exchange

import (
	"strings"
	"sync"
	"time"

	"dpnkit/internal/model"
)

// ExportView gathers, from every row of the TIS placement export as it is
// loaded, what a run needs beyond the in-scope placements the
// reconciliation keeps: the posts' created dates (a post_created column)
// and the placements that have ended lately (an end date moved before the
// as-of date is a date change, not a withdrawal). It keeps only rows that
// say something: a national export costs it a few map entries, or none.
// Add may be called from several goroutines at once; a run reads the view
// once every Add has returned.
type ExportView struct {
	asOf       time.Time
	mu         sync.Mutex
	hasCreated bool
	created    map[string]time.Time // normalised NPN -> its latest post-created date within SeenDays before as-of
	ended      map[string]endedRow  // placement id (trimmed) -> its dates (of two rows, the later end, then start)
}

// endedRow is a placement that ended before the as-of date, within
// SeenDays of it.
type endedRow struct {
	from, to time.Time
	counts   bool // an approved trainee placement of a type sent to ESR, its dates readable
}

// NewExportView starts a view of the export a run on asOf reads.
func NewExportView(asOf time.Time) *ExportView {
	return &ExportView{asOf: asOf, created: map[string]time.Time{}, ended: map[string]endedRow{}}
}

// Add looks at a batch of placements. It keeps nothing of the batch's
// memory (the loader's strings are copied).
func (v *ExportView) Add(batch []model.Placement) {
	since := v.asOf.AddDate(0, 0, -SeenDays)
	type created struct {
		npn string
		at  time.Time
	}
	type ended struct {
		id  string
		row endedRow
	}
	var (
		hasCreated bool
		cs         []created
		es         []ended
	)
	for i := range batch {
		p := &batch[i]
		if p.HasPostCreatedColumn {
			hasCreated = true
			if at := p.PostCreated; !at.IsZero() && !at.Before(since) && !at.After(v.asOf) {
				if npn := model.NormalDPN(p.NPN); npn != "" {
					cs = append(cs, created{npn, at})
				}
			}
		}
		if p.Ended(v.asOf) && !p.DateTo.Before(since) {
			if id := model.TrimWhite(p.ID); id != "" {
				es = append(es, ended{id, endedRow{from: p.DateFrom, to: p.DateTo,
					counts: !p.IsVacancy() && p.Approved() && p.TypeSent() && len(p.DateIssues) == 0 && !p.DateFrom.IsZero()}})
			}
		}
	}
	if !hasCreated && len(es) == 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.hasCreated = v.hasCreated || hasCreated
	for _, c := range cs {
		if at, ok := v.created[c.npn]; !ok || c.at.After(at) {
			v.created[strings.Clone(c.npn)] = c.at // a map assignment replaces a string key too
		}
	}
	for _, e := range es {
		old, ok := v.ended[e.id]
		switch {
		case !ok:
			v.ended[strings.Clone(e.id)] = e.row
		case e.row.to.After(old.to) || (e.row.to.Equal(old.to) && e.row.from.After(old.from)):
			v.ended[strings.Clone(e.id)] = e.row // a map assignment replaces a string key too
		}
	}
}

// createdIn reports whether the export has a post-created column and, if
// so, whether npn's post was created on or after from and not after the
// as-of date.
func (v *ExportView) createdIn(npn string, from time.Time) (column, created bool) {
	if v == nil || !v.hasCreated {
		return false, false
	}
	at, ok := v.created[npn]
	return true, ok && !at.Before(from)
}

// endedRowOf is the row of a placement that has ended, if the export has
// one within SeenDays.
func (v *ExportView) endedRowOf(id string) (endedRow, bool) {
	if v == nil {
		return endedRow{}, false
	}
	r, ok := v.ended[id]
	return r, ok
}
