package exchange

import (
	"slices"
	"sort"
	"strings"

	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// holderCand is a placement that holds or will hold a post. Its Holder is
// made only for the row it lands in (holderOf).
type holderCand struct {
	p       *reconcile.KeptPlacement
	vacancy bool
}

// candAt is a holder candidate and its post's place in engine.posts.
type candAt struct {
	post int32
	holderCand
}

// medrot builds the MEDROT grid (interface-run.md "MEDROT pairing") and
// its type 1 notifications. docs/interface-rules-medrot.md lists each rule
// and where it comes from.
//
// Holders of a transferred post are its in-scope placements matched to it
// (MatchYes: alone, or as one of a host/lead employer pair, whose
// placements hold both positions, so that both trusts have the rows):
// trainees of a type that is sent, whatever their lifecycle state (TIS's
// findCurrentAndFuturePlacementsForPosts has no lifecycle filter), and
// RECRUIT - VACANCY placeholders. The current
// holders started on or before the as-of date and have not ended; the next
// holders start inside the transfer window (model.TransferWindow: after
// as-of + 2 days and before as-of + 13 weeks, both exclusive). A vacancy
// placeholder as a current holder is ignored (the post is simply empty).
// Currents are taken in start date, last name, placement id order; each is
// paired with the first unpaired next holder at the same site
// (case-insensitive, trimmed) by start date, then placement id. Unpaired
// currents and unpaired next holders get rows of their own, so a job share
// gives a row per sharer. A vacancy as the next holder leaves Next empty
// and sets Vacancy. Place of work is the current holder's site, else the
// next's, else the position's location.
//
// A current holder's NextPlacement and a next holder's CurrentPlacement
// are the sites of the trainee's next and current placements anywhere in
// TIS, any post, trust or local office (traineeSites).
//
// Rows are sorted by VPD, position number, current holder's last name,
// next holder's last name, then their placement ids. Each row is one type
// 1 notification (PlacementID: the next holder's placement, the vacancy
// placeholder's, or the current's).
func (e *engine) medrot() {
	found := e.medrotCandidates()
	rows, notes := e.medrotRows(found)
	sortMedrotRuns(rows, notes)
	e.res.MEDROT, e.holderNotes = rows, notes
}

// medrotCandidates gathers the holders of matched posts: each placement
// that has started and not ended, or starts within the transfer window, is
// a vacancy or was sent with its type, once by id. The candidates carry
// their post's place in e.posts and are sorted by it (stable: a post's
// candidates stay in placement order), so that each post's are side by
// side: one slice, not one per post.
func (e *engine) medrotCandidates() []candAt {
	seen := make(map[string]bool, len(e.in.Reconcile.Placements))
	found := make([]candAt, 0, len(e.in.Reconcile.Placements))
	for i := range e.in.Reconcile.Placements {
		pr := &e.in.Reconcile.Placements[i]
		p := pr.Placement
		posts, np := e.matchedAt(i)
		if np == 0 || p.DateFrom.IsZero() || p.Ended(e.asOf) {
			continue
		}
		vac := pr.Vacancy || p.IsVacancy()
		if !vac && !pr.TypeSent {
			continue
		}
		id := model.TrimWhite(p.ID)
		if seen[id] {
			continue
		}
		seen[id] = true
		if p.DateFrom.After(e.asOf) && !model.TransferWindow(p.DateFrom, e.asOf) {
			continue
		}
		for _, po := range posts[:np] { // a host/lead employer pair: a holder of both
			found = append(found, candAt{po.idx, holderCand{p: p, vacancy: vac}})
		}
	}
	return byPost(found, len(e.posts))
}

// byPost sorts found by post, stably, in linear time: a counting sort
// over the posts' places (0 to posts-1).
func byPost(found []candAt, posts int) []candAt {
	start := make([]int32, posts+1)
	for _, c := range found {
		start[c.post+1]++
	}
	for i := 1; i <= posts; i++ {
		start[i] += start[i-1]
	}
	out := make([]candAt, len(found))
	for _, c := range found {
		out[start[c.post]] = c
		start[c.post]++
	}
	return out
}

// medrotRows makes the rows, and their type 1 notifications' notes side by
// side, post by post: each current holder paired with a next holder at the
// same site, then the unpaired next holders.
func (e *engine) medrotRows(found []candAt) ([]MedrotRow, []holderNote) {
	// Each candidate is in one row at most, and has one Holder at most:
	// one allocation for each.
	rows := make([]MedrotRow, 0, len(found))
	notes := make([]holderNote, 0, len(found))
	holders := make([]Holder, 0, len(found))
	sites := e.traineeSites(found)
	holder := func(p *reconcile.KeptPlacement, current bool) *Holder {
		h := holderOf(p)
		if current {
			h.NextPlacement = sites.next(p)
		} else {
			h.CurrentPlacement = sites.current(p)
		}
		holders = append(holders, h)
		return &holders[len(holders)-1]
	}
	var cur, nxt []holderCand // reused from post to post
	var used []bool
	var pairs []int
	for len(found) > 0 {
		po := e.posts[found[0].post]
		n := 1
		for n < len(found) && found[n].post == found[0].post {
			n++
		}
		cur, nxt = e.splitHolders(found[:n], cur[:0], nxt[:0])
		found = found[n:]
		used = slices.Grow(used[:0], len(nxt))[:len(nxt)]
		clear(used)
		pairs = pairBySite(cur, nxt, used, pairs[:0])
		for i := range cur {
			var pair *holderCand
			if j := pairs[i]; j >= 0 {
				pair = &nxt[j]
			}
			row, note := medrotRow(po, &cur[i], pair, holder)
			rows, notes = append(rows, row), append(notes, note)
		}
		for j := range nxt {
			if !used[j] {
				row, note := medrotRow(po, nil, &nxt[j], holder)
				rows, notes = append(rows, row), append(notes, note)
			}
		}
	}
	return rows, notes
}

// splitHolders appends one post's candidates to cur (current holders, not
// vacancies; by start date, last name, placement id) or nxt (next holders;
// by start date, placement id).
func (e *engine) splitHolders(cands []candAt, cur, nxt []holderCand) ([]holderCand, []holderCand) {
	t := model.TrimWhite
	for _, c := range cands {
		if c.p.DateFrom.After(e.asOf) {
			nxt = append(nxt, c.holderCand)
		} else if !c.vacancy {
			cur = append(cur, c.holderCand)
		}
	}
	sort.Slice(cur, func(i, j int) bool {
		a, b := cur[i].p, cur[j].p
		if !a.DateFrom.Equal(b.DateFrom) {
			return a.DateFrom.Before(b.DateFrom)
		}
		if x, y := t(a.Surname), t(b.Surname); x != y {
			return x < y
		}
		return t(a.ID) < t(b.ID)
	})
	sort.Slice(nxt, func(i, j int) bool {
		a, b := nxt[i].p, nxt[j].p
		if !a.DateFrom.Equal(b.DateFrom) {
			return a.DateFrom.Before(b.DateFrom)
		}
		return t(a.ID) < t(b.ID)
	})
	return cur, nxt
}

// sortMedrotRuns sorts the rows (and their notes with them). The posts come
// in VPD and position number order, so the rows only need sorting within
// each run of one VPD and position number (a post with several holders, or
// posts sharing a number). The sort is stable, as a sort of all the rows
// at once would be.
func sortMedrotRuns(rows []MedrotRow, notes []holderNote) {
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].VPD == rows[i].VPD && rows[j].PositionNumber == rows[i].PositionNumber {
			j++
		}
		if j-i > 1 {
			sort.Stable(medrotRun{rows[i:j], notes[i:j]})
		}
		i = j
	}
}

// pairBySite pairs each current holder, in order, with the first
// unpaired next holder at the same site (case-insensitive, trimmed):
// pairs[i] is the index in nxt of cur[i]'s next holder, or -1, and used
// marks the next holders paired. A post with few holders compares them
// pair by pair; one with many (a bucket post with thousands) keeps a
// queue of next holders per site, so that it costs linear time.
func pairBySite(cur, nxt []holderCand, used []bool, pairs []int) []int {
	t := model.TrimWhite
	if len(cur)*len(nxt) <= 256 {
		for i := range cur {
			pair := -1
			for j := range nxt {
				if !used[j] && strings.EqualFold(t(cur[i].p.Site), t(nxt[j].p.Site)) {
					used[j], pair = true, j
					break
				}
			}
			pairs = append(pairs, pair)
		}
		return pairs
	}
	bySite := make(map[string][]int, len(nxt))
	for j := range nxt {
		k := model.FoldKey(t(nxt[j].p.Site))
		bySite[k] = append(bySite[k], j)
	}
	for i := range cur {
		k := model.FoldKey(t(cur[i].p.Site))
		pair := -1
		if q := bySite[k]; len(q) > 0 {
			pair, bySite[k] = q[0], q[1:]
			used[pair] = true
		}
		pairs = append(pairs, pair)
	}
	return pairs
}

// medrotRun sorts a run of MEDROT rows of one VPD and position number, and
// their notes with them: by current holder's last name, next holder's last
// name, current holder's placement id, then the placement the row's
// notification is about.
type medrotRun struct {
	rows  []MedrotRow
	notes []holderNote
}

func (r medrotRun) Len() int { return len(r.rows) }

func (r medrotRun) Swap(i, j int) {
	r.rows[i], r.rows[j] = r.rows[j], r.rows[i]
	r.notes[i], r.notes[j] = r.notes[j], r.notes[i]
}

func (r medrotRun) Less(i, j int) bool {
	a, b := &r.rows[i], &r.rows[j]
	if c := strings.Compare(holderField(a.Current, lastName), holderField(b.Current, lastName)); c != 0 {
		return c < 0
	}
	if c := strings.Compare(holderField(a.Next, lastName), holderField(b.Next, lastName)); c != 0 {
		return c < 0
	}
	if c := strings.Compare(holderField(a.Current, placementID), holderField(b.Current, placementID)); c != 0 {
		return c < 0
	}
	return r.notes[i].about < r.notes[j].about
}

// holderNote is what a MEDROT row's type 1 notification needs besides the
// row: its post and the placement it is about. A notification is ~260
// bytes and a first national run has ~90,000 rows; they are made only
// when notify keeps them (holderNotification).
type holderNote struct {
	post  *post
	about string
}

// holderNotification is the type 1 notification of MEDROT row x.
func (e *engine) holderNotification(x int) Notification {
	h, row := &e.holderNotes[x], &e.res.MEDROT[x]
	return Notification{Type: NotifyHolders, VPD: h.post.vpd, Deanery: h.post.deanery,
		DeaneryNumber: h.post.norm, PositionNumber: h.post.number, PlacementID: h.about,
		Current: row.Current, Next: row.Next}
}

// medrotRow makes the row of a post's current and next holders (either may
// be nil), their Holders made by holder, and its notification's note: the
// placement it is about is the next holder's (or the vacancy's), else the
// current holder's.
func medrotRow(po *post, cur, nxt *holderCand, holder func(p *reconcile.KeptPlacement, current bool) *Holder) (MedrotRow, holderNote) {
	row := MedrotRow{VPD: po.vpd, PositionNumber: po.number, TPN: po.dpn}
	var about string
	if cur != nil {
		h := holder(cur.p, true)
		row.Current = h
		about = h.PlacementID
		row.PlaceOfWork = h.Site
	}
	if nxt != nil {
		if nxt.vacancy {
			about = model.TrimWhite(nxt.p.ID)
			row.Vacancy = true
			if row.PlaceOfWork == "" {
				row.PlaceOfWork = model.TrimWhite(nxt.p.Site)
			}
		} else {
			h := holder(nxt.p, false)
			about = h.PlacementID
			row.Next = h
			if row.PlaceOfWork == "" {
				row.PlaceOfWork = h.Site
			}
		}
	}
	if row.PlaceOfWork == "" {
		row.PlaceOfWork = po.location
	}
	return row, holderNote{post: po, about: about}
}

func holderOf(p *reconcile.KeptPlacement) Holder {
	t := model.TrimWhite
	return Holder{PlacementID: t(p.ID), LastName: t(p.Surname), FirstName: t(p.Forenames), GMC: t(p.GMC),
		Email: t(p.Email), Site: t(p.Site), WTE: t(p.WTE), ProjectedStart: p.DateFrom, ProjectedEnd: p.DateTo,
		Grade: t(p.Grade)}
}

const (
	lastName = iota
	placementID
)

func holderField(h *Holder, f int) string {
	if h == nil {
		return ""
	}
	if f == lastName {
		return h.LastName
	}
	return h.PlacementID
}

// matchedNone reports whether a placement result found no ESR position at
// all (not even an end-dated one).
func matchedNone(pr *reconcile.PlacementResult) bool { return pr.Match == reconcile.MatchNone }
