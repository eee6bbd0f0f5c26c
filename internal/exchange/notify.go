package exchange

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// newPosts finds the type 5 notifications, which TIS raises when a post
// is created, and the next state's NPNs (TISSeen.NPNs). An NPN of an
// in-scope placement (a vacancy placeholder too) is a new post when
//   - the export has a post-created column (Input.Export): its post was
//     created on or after the last run's as-of date (on a first run, on
//     the as-of date) and not after this run's;
//   - else: the run history has seen NPNs before (not a first run, nor
//     the first since it kept them) and never this one;
//
// and, either way, no ESR position, active or end-dated, carries it
// (reconcile.MatchNone: a post ESR holds is no news to its MSO) and it is no
// near miss of an ESR DPN ("did you mean": the reconciliation's
// suggestions, else reconcile.SuggestIndex over check's positions, built only
// when there is a candidate): a near miss is a typo to fix, never a new
// post. One per NPN. Its VPD is the trust whose employing body the
// placements name: each placement's employing body votes for the VPD most
// of the matched placements of that body were placed in (ties: the lowest
// VPD); the NPN goes to the VPD with most votes (ties: the lowest), or
// reconcile.NoGroup when no body is known. Deanery is the NPN's prefix, upper
// case. Next carries only the site of the NPN's first placement (by start
// date, then id), for the seed's Site/Location column. PlacementID, the
// dates and Next's placement id are left empty, so the key is the VPD and
// NPN alone and the post is notified once however its placements change.
func (e *engine) newPosts(check *checks.Result) {
	npns, bodyVotes := e.newPostCandidates()
	keys := make([]string, 0, len(npns))
	for k, ni := range npns {
		if !ni.nearMiss {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	near := nearMisses{check: check}
	e.newPostNotes = make([]Notification, 0, len(keys))
	for _, npn := range keys {
		if near.of(npn) {
			continue
		}
		votes := make(map[string]int)
		for _, b := range npns[npn].bodies {
			if v := best(bodyVotes[b]); v != "" {
				votes[v]++
			}
		}
		vpd := best(votes)
		if vpd == "" {
			vpd = reconcile.NoGroup
		}
		n := Notification{Type: NotifyNewPost, VPD: vpd,
			Deanery: strings.TrimSpace(strings.SplitN(npn, "/", 2)[0]), DeaneryNumber: npn}
		if site := npns[npn].site; site != "" {
			n.Next = &Holder{Site: site}
		}
		e.newPostNotes = append(e.newPostNotes, n)
	}
}

// npnInfo is a candidate new post (newPostCandidates).
type npnInfo struct {
	bodies   []string // its placements' employing bodies, lower case
	site     string   // of the first placement by start date, then id
	first    *reconcile.KeptPlacement
	nearMiss bool // the reconciliation suggested an ESR DPN for it
}

// newPostCandidates returns the NPNs that are new posts but for near
// misses the reconciliation did not suggest for, and the employing
// bodies' votes for VPDs (newPosts); it sets the next state's NPNs.
func (e *engine) newPostCandidates() (map[string]*npnInfo, map[string]map[string]int) {
	var (
		seen     map[string]bool
		since    = e.asOf
		recorded = false
	)
	if t := e.prev.TIS; t != nil {
		seen, since, recorded = t.NPNs, t.AsOf, true
	}
	bodyVotes := make(map[string]map[string]int)
	npns := make(map[string]*npnInfo)
	added := make(map[string]bool)
	if seen == nil { // every NPN is added: about one a post, two placements a post
		added = make(map[string]bool, len(e.in.Reconcile.Placements)/2)
	}
	for i := range e.in.Reconcile.Placements {
		pr := &e.in.Reconcile.Placements[i]
		body := strings.ToLower(model.TrimWhite(pr.Placement.EmployingBody))
		if pr.Match == reconcile.MatchYes && len(pr.Positions) > 0 && body != "" {
			m := bodyVotes[body]
			if m == nil {
				m = make(map[string]int)
				bodyVotes[body] = m
			}
			m[pr.Positions[0].VPD]++
		}
		norm := model.NormalDPN(pr.Placement.NPN)
		if norm == "" {
			continue
		}
		if !seen[norm] && !added[norm] {
			added[strings.Clone(norm)] = true
		}
		if !matchedNone(pr) {
			continue
		}
		column, created := e.in.Export.createdIn(norm, since)
		if !created && (column || !recorded || seen[norm]) {
			continue
		}
		ni := npns[norm]
		if ni == nil {
			ni = &npnInfo{}
			npns[norm] = ni
		}
		ni.bodies = append(ni.bodies, body)
		ni.nearMiss = ni.nearMiss || len(pr.Suggestions) > 0
		if p := pr.Placement; ni.first == nil || p.DateFrom.Before(ni.first.DateFrom) ||
			(p.DateFrom.Equal(ni.first.DateFrom) && p.ID < ni.first.ID) {
			ni.first, ni.site = p, model.TrimWhite(p.Site)
		}
	}
	e.nextNPNs = unionNPNs(seen, added)
	return npns, bodyVotes
}

// unionNPNs is seen and added together: seen itself when added is empty
// (the last state's own set, which no one changes), added itself when
// seen is nil.
func unionNPNs(seen, added map[string]bool) map[string]bool {
	switch {
	case seen == nil:
		return added
	case len(added) == 0:
		return seen
	}
	m := make(map[string]bool, len(seen)+len(added))
	for k := range seen {
		m[k] = true
	}
	for k := range added {
		m[k] = true
	}
	return m
}

// nearMisses tells an NPN that is a near miss of an ESR DPN, through
// reconcile.SuggestIndex over the positions of check (built on the first
// call: one per VPD, as the check keeps them).
type nearMisses struct {
	check *checks.Result
	ixs   []*reconcile.SuggestIndex
}

func (n *nearMisses) of(npn string) bool {
	if n.ixs == nil && n.check != nil {
		n.ixs = make([]*reconcile.SuggestIndex, 0, len(n.check.VPDs))
		for vi := range n.check.VPDs {
			v := &n.check.VPDs[vi]
			n.ixs = append(n.ixs, reconcile.NewSuggestIndex(v.Positions, v.Inactive))
		}
	}
	for _, ix := range n.ixs {
		if len(ix.Suggest(npn)) > 0 {
			return true
		}
	}
	return false
}

// best is the key with the highest count, ties to the lowest key; "" for none.
func best(m map[string]int) string {
	k, n := "", 0
	for x, c := range m {
		if c > n || (c == n && x < k) {
			k, n = x, c
		}
	}
	return k
}

// notify orders every notification found, drops those emitted before
// (prev.Notified) or twice in this run, and keeps the rest (step 6).
// Order: type, VPD, deanery number, position number, placement id, key.
func (e *engine) notify() {
	order, keys := e.notificationOrder()
	keep, n := e.keepNotifications(order, keys)
	// Two passes, so the kept notifications are copied once into a slice
	// of their exact size instead of regrown.
	e.res.Notifications = slices.Grow(e.res.Notifications, n)
	for x, i := range order {
		if keep[x] {
			e.res.Notifications = append(e.res.Notifications, e.notification(i))
		}
	}
	e.pending, e.holderNotes, e.newPostNotes = nil, nil, nil
}

// notification is the i-th notification found: the pending ones, then
// the type 1 ones made from their MEDROT rows, then the new posts'.
func (e *engine) notification(i int32) Notification {
	switch x := int(i); {
	case x < len(e.pending):
		return e.pending[x]
	case x < len(e.pending)+len(e.holderNotes):
		return e.holderNotification(x - len(e.pending))
	default:
		return e.newPostNotes[x-len(e.pending)-len(e.holderNotes)]
	}
}

// notificationOrder returns the notifications' indexes in order, and each
// one's key (by index). The notifications are not gathered: the indexes
// are sorted by a compact view of each (a Notification is ~260 bytes, and
// a first national run finds ~90,000), and the type 1 ones are made from
// their MEDROT rows only when kept.
func (e *engine) notificationOrder() (order []int32, keys []string) {
	type view struct {
		typ                int
		vpd, npn, pos, pid string
	}
	total := len(e.pending) + len(e.holderNotes) + len(e.newPostNotes)
	views := make([]view, 0, total)
	keys = make([]string, 0, total)
	for i := range int32(total) {
		n := e.notification(i)
		views = append(views, view{typ: n.Type, vpd: n.VPD, npn: n.DeaneryNumber, pos: n.PositionNumber, pid: n.PlacementID})
		keys = append(keys, n.Key())
	}
	order = make([]int32, total)
	for i := range order {
		order[i] = int32(i)
	}
	// Ties are broken by the index: the order a stable sort gives, at the
	// cost of an unstable one.
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &views[i], &views[j]
		if c := cmp.Compare(a.typ, b.typ); c != 0 {
			return c
		}
		if c := strings.Compare(a.vpd, b.vpd); c != 0 {
			return c
		}
		if c := strings.Compare(a.npn, b.npn); c != 0 {
			return c
		}
		if c := strings.Compare(a.pos, b.pos); c != 0 {
			return c
		}
		if c := strings.Compare(a.pid, b.pid); c != 0 {
			return c
		}
		if c := strings.Compare(keys[i], keys[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	return order, keys
}

// keepNotifications records every key found in e.found (in order) and
// marks which notifications are kept: not notified before, not twice in
// this run, and not a MEDROT type 1 that a change's type 1 already tells.
// It returns the marks, by place in order, and how many are kept.
func (e *engine) keepNotifications(order []int32, keys []string) (keep []bool, n int) {
	// TIS raises a type 1 with each change (changes.go: its placement id is
	// the changed placement's); the MEDROT's type 1 of a post whose
	// holders a change's type 1 already tells is the same record to ESR.
	fromMEDROT := func(i int) bool { return i >= len(e.pending) && i < len(e.pending)+len(e.holderNotes) }
	told := make(map[string]bool)
	for i := range e.pending {
		if e.pending[i].Type == NotifyHolders {
			told[holdersKey(keys[i])] = true
		}
	}
	seen := make(map[string]bool, len(order))
	e.found = make([]string, len(order))
	keep = make([]bool, len(order))
	for x, i := range order {
		k := keys[i]
		e.found[x] = k
		if e.prev.Notified[k] || seen[k] {
			continue
		}
		seen[k] = true
		if fromMEDROT(int(i)) && told[holdersKey(k)] {
			continue
		}
		keep[x] = true
		n++
	}
	return keep, n
}

// mso gathers each VPD's MSO notices (step 7): the APC rows of its
// applicants (FAIL rows under Failed, SUCCESS rows under Successful, in
// file order), this run's type 2, 4 and 5 notifications of the VPD, and
// the new starters. Starters are the applicants loaded with SUCCESS, in
// this run or an earlier one and still held, whose projected hire date
// falls after the as-of date and at most 5 days after it; they are a view
// of the state (ESR's own reminder, not a DNC notification), so a re-run
// lists them again. HostEmployer comes from the post's Host/Lead status.
// Only VPDs with something to say are listed, sorted by VPD; starters are
// sorted by hire date, position number, name, applicant number.
func (e *engine) mso() {
	by := make(map[string]*MSONotices)
	get := func(vpd string) *MSONotices {
		m := by[vpd]
		if m == nil {
			m = &MSONotices{VPD: vpd}
			by[vpd] = m
		}
		return m
	}
	for fi := range e.res.APCFiles {
		for _, r := range e.res.APCFiles[fi].Records {
			m := get(r.VPD)
			if r.LoadStatusCode == StatusFail {
				m.Failed = append(m.Failed, r)
			} else {
				m.Successful = append(m.Successful, r)
			}
		}
	}
	for _, n := range e.res.Notifications {
		switch n.Type {
		case NotifyWithdrawn:
			get(n.VPD).Withdrawn = append(get(n.VPD).Withdrawn, n)
		case NotifyDateChange:
			get(n.VPD).DateChanges = append(get(n.VPD).DateChanges, n)
		case NotifyNewPost:
			get(n.VPD).NewPosts = append(get(n.VPD).NewPosts, n)
		}
	}
	horizon := e.asOf.AddDate(0, 0, StarterDays)
	add := func(vpd, npn, number, name, gmc, posNumber string, start time.Time, po *post) {
		if !start.After(e.asOf) || start.After(horizon) {
			return
		}
		m := get(vpd)
		m.Starters = append(m.Starters, Starter{ApplicantNumber: number, ApplicantName: name, PositionNumber: posNumber,
			DeaneryNumber: npn, GMC: gmc, ProjectedHireDate: start, HostEmployer: po != nil && po.host})
	}
	for _, r := range e.fresh {
		if r.status == StatusSuccess {
			a := r.app
			add(a.VPD, a.DeaneryNumber, r.number, applicantName(a.LastName, a.FirstName), a.GMC, a.PositionNumber,
				a.ProjectedHireDate, r.post)
		}
	}
	for _, s := range e.kept {
		if s.Status == StatusSuccess {
			add(s.VPD, s.NPN, s.ApplicantNumber, applicantName(s.LastName, s.FirstName), s.GMC, s.PositionNumber, s.Start,
				e.byVPDNorm[vpdDPN{s.VPD, s.NPN}])
		}
	}
	vpds := make([]string, 0, len(by))
	for v := range by {
		vpds = append(vpds, v)
	}
	sort.Strings(vpds)
	for _, v := range vpds {
		m := by[v]
		sort.Slice(m.Starters, func(i, j int) bool {
			a, b := &m.Starters[i], &m.Starters[j]
			if !a.ProjectedHireDate.Equal(b.ProjectedHireDate) {
				return a.ProjectedHireDate.Before(b.ProjectedHireDate)
			}
			if a.PositionNumber != b.PositionNumber {
				return a.PositionNumber < b.PositionNumber
			}
			if a.ApplicantName != b.ApplicantName {
				return a.ApplicantName < b.ApplicantName
			}
			return a.ApplicantNumber < b.ApplicantNumber
		})
		e.res.MSO = append(e.res.MSO, *m)
	}
}
