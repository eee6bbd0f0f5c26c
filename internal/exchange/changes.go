package exchange

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// SeenDays: a placement is remembered for the next run
// (TISSeen.Placements) when it starts before as-of + SeenDays: the 13
// weeks the rules look ahead, and 5 weeks more for the days between two
// runs.
const SeenDays = 7 * 18

// A TIS export is refused as narrower than the last one (without
// Input.PartialExport) when it has no placement of a local office the
// last run's placements had, or when more than 1/narrowShare of the last
// run's placements that have not ended are missing from it, and at least
// narrowLeast of them.
const (
	narrowShare = 5
	narrowLeast = 20
)

// NarrowExportError refuses a TIS placement export that covers fewer local
// offices, or far fewer placements, than the one the last run saw: its
// missing placements would all be taken for withdrawals.
type NarrowExportError struct {
	Offices  []string // local offices the last run's placements had and today's export has none of, sorted
	Placed   []int    // the last run's placements, not yet ended, of each of Offices
	Missing  int      // the last run's placements, not yet ended, of the other offices, that today's export lacks
	Expected int      // the last run's placements, not yet ended, of the other offices
}

func (e *NarrowExportError) Error() string {
	var b strings.Builder
	b.WriteString("today's TIS placement export looks narrower than the last run's: ")
	if len(e.Offices) > 0 {
		b.WriteString("it has no placement of local office ")
		for i, o := range e.Offices {
			if i > 0 {
				b.WriteString(", ")
			}
			if e.Placed[i] == 1 {
				fmt.Fprintf(&b, "%q (the last run had 1 placement there that has not ended)", o)
			} else {
				fmt.Fprintf(&b, "%q (the last run had %d placements there that have not ended)", o, e.Placed[i])
			}
		}
	} else {
		fmt.Fprintf(&b, "%d of the %d placements the last run saw that have not ended are missing from it", e.Missing, e.Expected)
	}
	b.WriteString("; every missing placement would be taken for a withdrawal")
	return b.String()
}

// changeNote is a type 2 or 4 notification found by changes; its type 1
// is made once the MEDROT grid is known (changeHolders).
type changeNote struct {
	note    Notification
	post    *post
	holder  Holder // the placement: as it is now (type 4) or as it was (type 2)
	deleted bool
}

// todayOffices maps the local office of every in-scope placement, folded
// to lower case, to true: the offices today's export covers.
func (e *engine) todayOffices() map[string]bool {
	raw := make(map[string]bool)
	for i := range e.in.Reconcile.Placements {
		p := e.in.Reconcile.Placements[i].Placement
		o := model.TrimWhite(p.ManagingDeanery)
		if o == "" {
			o = officeOf("", model.NormalDPN(p.NPN))
		}
		raw[o] = true
	}
	covered := make(map[string]bool, len(raw))
	for o := range raw {
		covered[strings.ToLower(o)] = true
	}
	return covered
}

// postsOf lists the transferred posts carrying a normalised DPN, by VPD.
func (e *engine) postsOf(norm string) []*post {
	var out []*post
	for _, ap := range e.active[norm] {
		if po := e.byVPDNorm[vpdDPN{ap.vpd, norm}]; po != nil && (len(out) == 0 || out[len(out)-1] != po) {
			out = append(out, po)
		}
	}
	return out
}

// rulesApply reports whether a placement in scope today is one the rules
// compare: an approved trainee placement (pr.Vacancy is the reconciler's
// KeptPlacement.IsVacancy) of a type sent to ESR, its dates readable, its
// start known and its end not before its start (an end typed before the
// start is no change: the last dates that made sense are kept).
func rulesApply(pr *reconcile.PlacementResult) bool {
	return pr.Approved && pr.TypeSent && !pr.Vacancy && !pr.DateIssues && !pr.Placement.DateFrom.IsZero() &&
		!pr.Placement.DatesReversed()
}

// onPost reports whether a placement's NPN (normalised) is carried by a
// transferred post: one of the active positions the reconciliation
// matched it to (none for MatchNone and MatchEndDated) transfers. pr is
// the i-th placement result: a MatchYes one's posts are e.matched's (its
// positions carry its NPN, normalised, as the reconciliation matches).
func (e *engine) onPost(i int, pr *reconcile.PlacementResult, norm string) bool {
	switch pr.Match {
	case reconcile.MatchYes:
		return e.matched[i][0] >= 0
	case reconcile.MatchMany:
	default:
		return false
	}
	for _, ref := range pr.Positions {
		if e.byVPDNorm[vpdDPN{ref.VPD, norm}] != nil {
			return true
		}
	}
	return false
}

// changes compares the placements the last run saw (prev.TIS) with
// today's and finds TIS's withdrawals (type 2) and date changes (type 4),
// as TIS-TCS raises them on a placement's deletion or edit
// (docs/interface-rules.md), whether or not an applicant was sent:
//
//   - a placement gone from the export, whose local office the export
//     covers, that had not ended (by its remembered end date) and started
//     before as-of + 13 weeks: type 2, reason 3, with its dates and names
//     as remembered; one whose NPN changed counts as gone from its old
//     post;
//   - a placement whose start or end date changed, the old or the new
//     start before as-of + 13 weeks: type 4, the new end date always, the
//     new start (hire) date only when it is after the as-of date; an end
//     date moved before the as-of date (the placement then ended and is
//     out of scope) is found in Input.Export;
//   - nothing for a placement that is no longer approved, has an
//     unreadable date now, or whose other details changed.
//
// A notification goes to every transferred post carrying the NPN (none
// when no position transfers: ESR could not route it). The export is
// refused (*NarrowExportError in e.err) when it looks narrower than the
// last (narrowShare, narrowLeast), unless Input.PartialExport: then the
// placements of the offices it lacks are kept as they were. It sets the
// next state's placements. PlanRun calls it once, with e.placements indexed.
func (e *engine) changes(covered map[string]bool) {
	last := e.prev.TIS
	var prev map[string]SeenPlacement
	if last != nil {
		prev = last.Placements
	}
	e.nextSeen = e.storeToday(prev)
	if prev == nil {
		return
	}
	l, err := e.sortOut(prev, covered)
	if err == nil {
		err = e.narrow(l.missing, len(l.gone), l.present+len(l.gone))
	}
	if err != nil {
		e.err = err
		return
	}
	sort.Strings(l.gone)
	sort.Strings(l.differ)
	for _, id := range l.gone {
		if err := e.withdrawn(id, prev[id]); err != nil {
			e.err = err
			return
		}
	}
	for _, id := range l.differ {
		if err := e.compare(id, prev[id]); err != nil {
			e.err = err
			return
		}
	}
}

// sortedOut is the last run's placements sorted out against today's.
type sortedOut struct {
	gone    []string       // absent today, its office covered, not ended: withdrawn
	differ  []string       // present (or ended since), its record differs: compared field by field
	missing map[string]int // the last run's placements, not yet ended, of each office today's export lacks
	present int            // still in today's export, or ended since
}

// sortOut sorts out the last run's placements (changes). Those kept as
// they were (no longer approved, a date unreadable, their office missing)
// go into the next state's placements, the last among them into e.held.
func (e *engine) sortOut(prev map[string]SeenPlacement, covered map[string]bool) (sortedOut, error) {
	l := sortedOut{missing: map[string]int{}}
	fold := map[string]string{} // office -> lower case
	for id, y := range prev {
		if t, ok := e.nextSeen[id]; ok && t == y {
			l.present++ // the same today: the common case, one look-up
			continue
		}
		if pr := e.placements[id]; pr != nil {
			l.present++
			if rulesApply(pr) {
				l.differ = append(l.differ, id)
			} else {
				e.nextSeen[id] = y // not approved now, or a date unreadable: compared again later as it was
			}
			continue
		}
		if row, ok := e.in.Export.endedRowOf(id); ok {
			l.present++
			if row.counts {
				l.differ = append(l.differ, id)
			} else {
				e.nextSeen[id] = y
			}
			continue
		}
		end, err := seenEnd(y.Rec)
		if err != nil {
			return l, fmt.Errorf("run history: placement %s: %w", id, err)
		}
		if !end.IsZero() && end.Before(e.asOf) {
			continue // ended: left the export's scope
		}
		f, ok := fold[y.Office]
		if !ok {
			f = strings.ToLower(y.Office)
			fold[y.Office] = f
		}
		if !covered[f] {
			l.missing[y.Office]++
			e.nextSeen[id] = y
			e.held[id] = true
			continue
		}
		l.gone = append(l.gone, id)
	}
	return l, nil
}

// narrow returns the *NarrowExportError for an export that lacks whole
// offices (missing: the last run's placements of each, not yet ended) or
// lost placements of the expected ones, or nil when it is wide enough or
// Input.PartialExport accepts it.
func (e *engine) narrow(missing map[string]int, lost, expected int) error {
	if e.in.PartialExport {
		return nil
	}
	if len(missing) == 0 && (lost < narrowLeast || lost*narrowShare <= expected) {
		return nil
	}
	err := &NarrowExportError{Missing: lost, Expected: expected}
	for o := range missing {
		err.Offices = append(err.Offices, o)
	}
	sort.Strings(err.Offices)
	for _, o := range err.Offices {
		err.Placed = append(err.Placed, missing[o])
	}
	return err
}

// storeToday makes the next state's placements from today's (TISSeen):
// each record equal to the last run's is that record itself, so that the
// history sees it unchanged without comparing and no string is made.
func (e *engine) storeToday(prev map[string]SeenPlacement) map[string]SeenPlacement {
	horizon := e.asOf.AddDate(0, 0, SeenDays)
	size := len(prev) + len(prev)/8
	if prev == nil {
		size = len(e.placements) * 3 / 4 // most are current or start soon
	}
	next := make(map[string]SeenPlacement, size)
	offices := make(map[string]string) // as found -> a copy, once per office
	var buf []byte
	// The placements are taken in the reconciliation's order (in memory
	// order, unlike a walk of e.placements); a placement id met twice is
	// the first met, as in e.placements.
	dups := len(e.placements) != len(e.in.Reconcile.Placements)
	for i := range e.in.Reconcile.Placements {
		pr := &e.in.Reconcile.Placements[i]
		p := pr.Placement
		if !rulesApply(pr) || !p.DateFrom.Before(horizon) {
			continue
		}
		id := model.TrimWhite(p.ID)
		if dups && e.placements[id] != pr {
			continue
		}
		norm := model.NormalDPN(p.NPN)
		if !e.onPost(i, pr, norm) {
			continue
		}
		raw := officeOf(p.ManagingDeanery, norm)
		office, ok := offices[raw]
		if !ok {
			office = strings.Clone(raw)
			offices[raw] = office
		}
		buf = appendSeenRec(buf[:0], norm, p)
		if y, ok := prev[id]; ok && y.Rec == string(buf) && y.Office == office {
			next[id] = y
			continue
		}
		next[strings.Clone(id)] = SeenPlacement{Office: office, Rec: string(buf)}
	}
	return next
}

// withdrawn notifies a placement gone from the export (changes).
func (e *engine) withdrawn(id string, y SeenPlacement) error {
	f, err := unpackSeen(y.Rec)
	if err != nil {
		return fmt.Errorf("run history: placement %s: %w", id, err)
	}
	e.withdrawal(id, f)
	return nil
}

// withdrawal adds the type 2 of placement id, as remembered in f, when it
// started before as-of + 13 weeks.
func (e *engine) withdrawal(id string, f seenFields) {
	if !f.start.Before(e.asOf.AddDate(0, 0, MedrotDays)) {
		return
	}
	for _, po := range e.postsOf(f.npn) {
		n := Notification{Type: NotifyWithdrawn, VPD: po.vpd, Deanery: po.deanery, DeaneryNumber: po.norm,
			PositionNumber: po.number, PlacementID: id, NewStart: f.start, NewEnd: f.end, Reason: ReasonOther,
			ApplicantName: applicantName(f.last, f.first), GMC: f.gmc}
		if _, sent, wasSent := findSent(e.prev.Sent, id, po); wasSent && sent.VPD == po.vpd {
			n.ApplicantNumber = sent.ApplicantNumber
			if sent.GMC != "" {
				n.GMC = sent.GMC // as sent to ESR
			}
		}
		e.changeNotes = append(e.changeNotes, changeNote{note: n, post: po, deleted: true,
			holder: Holder{PlacementID: id, LastName: f.last, FirstName: f.first, GMC: f.gmc,
				ProjectedStart: f.start, ProjectedEnd: f.end}})
	}
}

// compare notifies what changed in a placement that is still in the
// export, or ended since (changes).
func (e *engine) compare(id string, y SeenPlacement) error {
	old, err := unpackSeen(y.Rec)
	if err != nil {
		return fmt.Errorf("run history: placement %s: %w", id, err)
	}
	var (
		now Holder
		npn string
	)
	if pr := e.placements[id]; pr != nil {
		now, npn = holderOf(pr.Placement), model.NormalDPN(pr.Placement.NPN)
	} else {
		row, _ := e.in.Export.endedRowOf(id) // ended since: the names are as remembered
		now = Holder{PlacementID: id, LastName: old.last, FirstName: old.first, GMC: old.gmc,
			ProjectedStart: row.from, ProjectedEnd: row.to}
		npn = old.npn
	}
	if npn != old.npn {
		e.withdrawal(id, old) // moved to another post: gone from its old one
		return nil
	}
	if now.ProjectedStart.Equal(old.start) && now.ProjectedEnd.Equal(old.end) {
		return nil
	}
	horizon := e.asOf.AddDate(0, 0, MedrotDays)
	if !old.start.Before(horizon) && !now.ProjectedStart.Before(horizon) {
		return nil
	}
	var hire time.Time
	if now.ProjectedStart.After(e.asOf) {
		hire = now.ProjectedStart
	}
	for _, po := range e.postsOf(npn) {
		n := Notification{Type: NotifyDateChange, VPD: po.vpd, Deanery: po.deanery, DeaneryNumber: po.norm,
			PositionNumber: po.number, PlacementID: id, OldStart: old.start, NewStart: hire, OldEnd: old.end,
			NewEnd: now.ProjectedEnd, ApplicantName: applicantName(now.LastName, now.FirstName), GMC: now.GMC}
		e.changeNotes = append(e.changeNotes, changeNote{note: n, post: po, holder: now})
	}
	return nil
}

// changeHolders adds each type 2 and 4 that changes found, and the type
// 1 that comes with it (TIS sends both), to the pending notifications.
// The type 1 is about the placement (PlacementID) and shows its post's
// holders as the MEDROT grid has them now: for a date change, the grid's
// row holding the placement, else the placement alone (as current holder
// if it has started, else as next); for a withdrawal, the post's first
// current holder and first next holder in grid order (TIS prefers those
// at the withdrawn placement's site; the site is not remembered, to keep
// the history small), none when it has none. PlanRun calls it once the grid
// is made.
func (e *engine) changeHolders() {
	if len(e.changeNotes) == 0 {
		return
	}
	want := make(map[*post][]int32, len(e.changeNotes))
	for _, c := range e.changeNotes {
		want[c.post] = nil
	}
	for x := range e.holderNotes {
		if rows, ok := want[e.holderNotes[x].post]; ok {
			want[e.holderNotes[x].post] = append(rows, int32(x))
		}
	}
	for i := range e.changeNotes {
		c := &e.changeNotes[i]
		po := c.post
		one := Notification{Type: NotifyHolders, VPD: po.vpd, Deanery: po.deanery, DeaneryNumber: po.norm,
			PositionNumber: po.number, PlacementID: c.holder.PlacementID}
		rows := want[po]
		if c.deleted {
			one.Current = e.firstHolder(rows, func(r *MedrotRow) *Holder { return r.Current })
			one.Next = e.firstHolder(rows, func(r *MedrotRow) *Holder { return r.Next })
		} else {
			found := false
			for _, x := range rows {
				r := &e.res.MEDROT[x]
				if (r.Current != nil && r.Current.PlacementID == c.holder.PlacementID) ||
					(r.Next != nil && r.Next.PlacementID == c.holder.PlacementID) {
					one.Current, one.Next, found = r.Current, r.Next, true
					break
				}
			}
			if !found {
				h := c.holder
				if h.ProjectedStart.After(e.asOf) {
					one.Next = &h
				} else {
					one.Current = &h
				}
			}
		}
		e.pending = append(e.pending, c.note, one)
	}
	e.changeNotes = nil
}

// firstHolder is the first holder side gives among the MEDROT rows, nil
// when none.
func (e *engine) firstHolder(rows []int32, side func(*MedrotRow) *Holder) *Holder {
	for _, x := range rows {
		if h := side(&e.res.MEDROT[x]); h != nil {
			return h
		}
	}
	return nil
}
