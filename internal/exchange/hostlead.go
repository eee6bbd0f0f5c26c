package exchange

import (
	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// A host/lead employer pair (checks.HostLeadPair) is one post with two
// positions carrying its DPN, in two VPDs: one marked Host Employer, one
// Lead Employer. The reconciliation matches its placements to both
// (MatchYes, two positions), and a run treats each position as a post of
// its own trust: a placement gives an APP record for each position (both
// in the one APP file of the DPN's deanery), ESR loads each against its
// own position, and each trust gets the MEDROT rows, type 1 notifications
// and MSO notices of its position. The records of both positions count
// towards the post's 40 in the file (overLimit). docs/host-lead.md has
// the sources.

// markPairs marks the posts whose DPN a host/lead employer pair carries.
// e.active lists every active position carrying each DPN; only posts
// marked host or lead are looked up, so the cost is one map look-up per
// marked post.
func (e *engine) markPairs() {
	for _, po := range e.posts {
		if po.role != checks.RoleNone && isPair(e.active[po.norm]) {
			po.paired = true
		}
	}
}

// isPair applies checks.HostLeadPair to the active positions carrying a
// DPN.
func isPair(ps []activePos) bool {
	return len(ps) == 2 && checks.IsHostLeadPair(ps[0].vpd, ps[0].role, ps[1].vpd, ps[1].role)
}

// pairHolds reports whether ps, the active positions carrying a deanery
// number, are a host/lead employer pair with a position in vpd: ESR loads
// a record of either trust against that trust's own position.
func pairHolds(ps []activePos, vpd string) bool {
	return isPair(ps) && (ps[0].vpd == vpd || ps[1].vpd == vpd)
}

// matchedPosts returns the transferred posts a placement result matched
// (MatchYes): its one position's, or both of a host/lead employer pair's
// (in the reconciliation's order: by VPD, then number), leaving out any
// that does not transfer. n is how many of ps are set.
func (e *engine) matchedPosts(pr *reconcile.PlacementResult) (ps [2]*post, n int) {
	if pr.Match != reconcile.MatchYes || len(pr.Positions) > len(ps) {
		return ps, 0
	}
	for _, ref := range pr.Positions {
		if po := e.byVPDNorm[vpdDPN{ref.VPD, model.NormalDPN(ref.DPN)}]; po != nil {
			ps[n] = po
			n++
		}
	}
	return ps, n
}

// placementPosts are the transferred posts each placement result of the
// reconciliation matched (matchedPosts), by its place in
// Reconcile.Placements: up to two indexes into engine.posts, -1 for none.
// Worked out once after outbound, they spare the steps that go over every
// placement (MEDROT, applicants) a look-up of each position by VPD and
// DPN.
type placementPosts [][2]int32

// indexMatches sets e.matched (placementPosts).
func (e *engine) indexMatches() {
	pls := e.in.Reconcile.Placements
	e.matched = make(placementPosts, len(pls))
	for i := range pls {
		ps, n := e.matchedPosts(&pls[i])
		m := [2]int32{-1, -1}
		for j := range n {
			m[j] = ps[j].idx
		}
		e.matched[i] = m
	}
}

// matchedAt is matchedPosts of the i-th placement result (indexMatches).
func (e *engine) matchedAt(i int) (ps [2]*post, n int) {
	for _, k := range e.matched[i] {
		if k >= 0 {
			ps[n] = e.posts[k]
			n++
		}
	}
	return ps, n
}

// hasPost reports whether one of posts has the POR position id id.
func hasPost(posts []*post, id string) bool {
	for _, po := range posts {
		if po.id == id {
			return true
		}
	}
	return false
}

// pairKeySep joins a placement id and a position id in a State.Sent key.
const pairKeySep = "@"

// sentKey is the State.Sent key of the applicant record of placement id
// on post po: the placement id; for a post of a host/lead employer pair,
// whose placements have a record per position, the placement id, "@" and
// the position id.
func sentKey(id string, po *post) string {
	if po != nil && po.paired {
		return id + pairKeySep + po.id
	}
	return id
}

// findSent finds the record of placement id on post po in m (a State.Sent
// or engine.kept) under either form of key, and returns the key it is
// held under, so that a post that becomes one of a pair, or stops being
// one, keeps its record: the plain id holds it unless po is paired and
// the record is of the pair's other position.
func findSent(m map[string]SentApplicant, id string, po *post) (string, SentApplicant, bool) {
	if s, ok := m[id]; ok && (po == nil || !po.paired || s.PositionID == po.id) {
		return id, s, true
	}
	if po != nil {
		k := id + pairKeySep + po.id
		if s, ok := m[k]; ok {
			return k, s, true
		}
	}
	return "", SentApplicant{}, false
}

// sentPlacement is the placement id of the State.Sent record s held under
// key: its PlacementID, or the key for a record that has none.
func sentPlacement(key string, s SentApplicant) string {
	if s.PlacementID != "" {
		return s.PlacementID
	}
	return key
}

// overLimit lists the posts with more than reconcile.MaxApplicantsPerPost
// records in one APP file, which make ESR quarantine the whole file. A
// post is its deanery number: the records of both positions of a
// host/lead employer pair count towards its 40 (HEE: 20+ applicants on a
// post set up with host and lead employer reach the limit). Each position
// of such a post is listed once, with the post's count. The list is in
// file order.
func overLimit(recs []model.Applicant) []QuarantinedPost {
	perPost := make(map[string]int)
	for i := range recs {
		perPost[recs[i].DeaneryNumber]++
	}
	type vpdPos struct{ vpd, id string }
	var over []QuarantinedPost
	var listed map[vpdPos]bool
	for i := range recs {
		a := &recs[i]
		n := perPost[a.DeaneryNumber]
		if n <= reconcile.MaxApplicantsPerPost {
			continue
		}
		if listed == nil {
			listed = make(map[vpdPos]bool)
		}
		if k := (vpdPos{a.VPD, a.PositionID}); !listed[k] {
			listed[k] = true
			over = append(over, QuarantinedPost{DeaneryNumber: a.DeaneryNumber, PositionNumber: a.PositionNumber, VPD: a.VPD, Applicants: n})
		}
	}
	return over
}
