package reconcile

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"dpnkit/internal/model"
)

// maxNamed is how many other placements an overlap finding names.
const maxNamed = 5

// witnessBudget is how many overlapping placements are looked at, at most,
// to find the ones an overlap finding names: with thousands of placements
// of one trainee (or job shares) on a post, finding names must not cost
// a look at each.
const witnessBudget = 64

// smallGroup is the largest group of one NPN whose pairs are compared one
// by one; larger ones are counted in n log n (overlapGroup.count).
const smallGroup = 32

// overlapNote is what placement.overlap found of one placement.
type overlapNote struct {
	n     int     // placements of other trainees it overlaps beyond a job share
	named []int32 // at most maxNamed of them (canonical indexes), first by start date
}

// overlapsIn finds the overlaps within each group of candidates (indexes
// into items, in canonical order) of one NPN. spans are the candidates'
// dates, by index.
//
// Two candidates overlap when their dates, both ends included, meet, they
// are of different trainees (sameTrainee), and their WTEs add up to more
// than 1. A small group compares its pairs; a larger one counts, for each
// candidate, the others that overlap it beyond a job share, minus those
// of the same trainee, with a Fenwick tree over the WTEs (overlapGroup):
// n log n, whatever the number of overlapping pairs. The named ones are
// the first in start-date order (then canonical order) among the first
// witnessBudget that overlap it.
func overlapsIn(items []*recItem, groups [][]int32, spans []span) map[int32]overlapNote {
	notes := make(map[int32]overlapNote)
	g := &overlapGroup{items: items} // reused from group to group: most have two members
	for _, group := range groups {
		g.reset(group, spans)
		var cnt []int32
		if len(g.idx) <= smallGroup {
			cnt = g.pairCounts()
		} else {
			cnt = g.sweepCounts()
		}
		for k, n := range cnt {
			if n > 0 {
				notes[g.idx[k]] = overlapNote{n: int(n), named: g.witnesses(k, int(n))}
			}
		}
	}
	return notes
}

// forever is the end of a placement with no end date.
var forever = instant{sec: math.MaxInt64}

// overlapGroup is the candidates of one NPN in start order: member k is
// items[idx[k]]. Its slices are reused by the next group (reset).
type overlapGroup struct {
	items    []*recItem
	idx      []int32   // canonical indexes, by start date then canonical order
	from, to []instant // to is forever when open
	rank     []int32   // of the member's WTE among the group's distinct WTEs
	thr      []int32   // the least rank of a WTE that, with the member's, adds up to more than 1
	nWTE     int       // distinct WTEs
	ws, vals []float64 // the members' WTEs; the distinct ones, sorted
	cnt      []int32   // pairCounts' or sweepCounts' result
	maxTo    []instant // segment tree of to over members (witnesses); built when first needed
	size     int       // leaves of maxTo; 0 until built
}

// grow returns s with length n, reusing its array when it can.
func grow[T any](s []T, n int) []T { return slices.Grow(s[:0], n)[:n] }

// reset makes g the group of candidates group (indexes into items),
// whose dates are spans[i].
func (g *overlapGroup) reset(group []int32, spans []span) {
	g.idx = append(g.idx[:0], group...)
	slices.SortStableFunc(g.idx, func(a, b int32) int { return spans[a].from.compare(spans[b].from) })
	s := len(g.idx)
	g.from, g.to, g.ws = grow(g.from, s), grow(g.to, s), grow(g.ws, s)
	for k, i := range g.idx {
		sp := spans[i]
		g.from[k], g.to[k] = sp.from, sp.to
		if sp.open {
			g.to[k] = forever
		}
		g.ws[k] = g.items[i].wte
	}
	g.vals = append(g.vals[:0], g.ws...)
	slices.Sort(g.vals)
	g.vals = slices.Compact(g.vals)
	vals := g.vals
	g.nWTE = len(vals)
	g.rank, g.thr = grow(g.rank, s), grow(g.thr, s)
	for k, w := range g.ws {
		r, _ := slices.BinarySearch(vals, w)
		g.rank[k] = int32(r)
		// Floating-point addition is monotone and commutative, so this
		// is exactly the pair's test, from either side.
		g.thr[k] = int32(sort.Search(len(vals), func(x int) bool { return vals[x]+w > 1+1e-9 }))
	}
	g.size = 0
}

// meet reports whether the dates of members a and b meet.
func (g *overlapGroup) meet(a, b int) bool {
	return g.from[a].compare(g.to[b]) <= 0 && g.from[b].compare(g.to[a]) <= 0
}

// beyondShare reports whether the WTEs of members a and b add up to more
// than 1.
func (g *overlapGroup) beyondShare(a, b int) bool { return g.rank[b] >= g.thr[a] }

// overlap reports whether members a and b (a != b) overlap (overlapsIn).
func (g *overlapGroup) overlap(a, b int) bool {
	return g.meet(a, b) && g.beyondShare(a, b) && !sameTrainee(g.items[g.idx[a]].p, g.items[g.idx[b]].p)
}

// pairCounts counts each member's overlaps by comparing every pair.
func (g *overlapGroup) pairCounts() []int32 {
	g.cnt = grow(g.cnt, len(g.idx))
	cnt := g.cnt
	clear(cnt)
	for a := range g.idx {
		for b := a + 1; b < len(g.idx); b++ {
			if g.overlap(a, b) {
				cnt[a]++
				cnt[b]++
			}
		}
	}
	return cnt
}

// sweepCounts counts each member's overlaps: those whose dates meet it
// beyond a job share, less those of the same trainee. sameTrainee is not
// transitive (a placement with no GMC number is the trainee of any with
// the same name), so the same trainee's are counted by three partitions:
// by GMC number among the members that have one, and by name among those
// that have none, for a member with a GMC number; by name among all, for
// one without.
func (g *overlapGroup) sweepCounts() []int32 {
	s := len(g.idx)
	g.cnt = grow(g.cnt, s)
	cnt := g.cnt
	clear(cnt)
	all := make([]int32, s)
	for k := range all {
		all[k] = int32(k)
	}
	g.count(all, all, cnt, 1)
	byGMC, byName := make(map[string][]int32), make(map[string][]int32)
	hasGMC := make([]bool, s)
	for k, i := range g.idx {
		p := g.items[i].p
		if gmc := model.TrimWhite(p.GMC); gmc != "" {
			hasGMC[k] = true
			key := model.FoldKey(gmc)
			byGMC[key] = append(byGMC[key], int32(k))
		}
		key := nameKey(p)
		byName[key] = append(byName[key], int32(k))
	}
	for _, c := range byGMC {
		g.count(c, c, cnt, -1)
	}
	for _, c := range byName {
		var with, without []int32
		for _, k := range c {
			if hasGMC[k] {
				with = append(with, k)
			} else {
				without = append(without, k)
			}
		}
		if len(without) == 0 {
			continue
		}
		g.count(without, without, cnt, -1) // one without: all of the name
		g.count(with, without, cnt, -1)
		g.count(without, with, cnt, -1) // one with: those of the name without
	}
	return cnt
}

// count adds sign times, for each query, the number of members whose
// dates meet it beyond a job share (the query itself included when it is
// a member) to cnt[query]. members and queries are in start order.
func (g *overlapGroup) count(members, queries []int32, cnt []int32, sign int32) {
	if len(members) == 0 || len(queries) == 0 {
		return
	}
	if len(members)*len(queries) <= 4*smallGroup {
		for _, q := range queries {
			for _, m := range members {
				if g.meet(int(q), int(m)) && g.beyondShare(int(q), int(m)) {
					cnt[q] += sign
				}
			}
		}
		return
	}
	// Members meeting q = those starting on or before q ends, less those
	// ending before q starts (they started before it too): two sweeps,
	// each adding members to a Fenwick tree of their WTE ranks.
	fw := make(fenwick, g.nWTE+1)
	qs := slices.Clone(queries)
	slices.SortFunc(qs, func(a, b int32) int { return g.to[a].compare(g.to[b]) })
	j := 0
	for _, q := range qs {
		for ; j < len(members) && g.from[members[j]].compare(g.to[q]) <= 0; j++ {
			fw.add(g.rank[members[j]])
		}
		cnt[q] += sign * (int32(j) - fw.below(g.thr[q]))
	}
	clear(fw)
	byTo := slices.Clone(members)
	slices.SortFunc(byTo, func(a, b int32) int { return g.to[a].compare(g.to[b]) })
	j = 0
	for _, q := range queries { // in start order
		for ; j < len(byTo) && g.to[byTo[j]].compare(g.from[q]) < 0; j++ {
			fw.add(g.rank[byTo[j]])
		}
		cnt[q] -= sign * (int32(j) - fw.below(g.thr[q]))
	}
}

// fenwick counts WTE ranks: element r+1 holds rank r.
type fenwick []int32

func (f fenwick) add(rank int32) {
	for i := int(rank) + 1; i < len(f); i += i & -i {
		f[i]++
	}
}

// below is how many ranks added are less than r.
func (f fenwick) below(r int32) int32 {
	var n int32
	for i := int(r); i > 0; i -= i & -i {
		n += f[i]
	}
	return n
}

// witnesses names at most maxNamed of the n placements member k
// overlaps: the first in start order among the first witnessBudget whose
// dates meet it; when those are not enough (the trainee's own placements,
// or job shares, came first), then the last in start order among the
// last witnessBudget.
func (g *overlapGroup) witnesses(k, n int) []int32 {
	want := min(n, maxNamed)
	named := make([]int32, 0, want)
	// The members starting on or before k ends are a prefix; of them, those
	// ending on or after k starts meet it.
	end := sort.Search(len(g.from), func(j int) bool { return g.from[j].compare(g.to[k]) > 0 })
	for _, reverse := range []bool{false, true} {
		looked := 0
		g.eachMeeting(end, g.from[k], reverse, func(j int) bool {
			if j == k {
				return true
			}
			looked++
			if g.beyondShare(k, j) && !sameTrainee(g.items[g.idx[k]].p, g.items[g.idx[j]].p) &&
				!slices.Contains(named, g.idx[j]) {
				named = append(named, g.idx[j])
			}
			return len(named) < want && looked < witnessBudget
		})
		if len(named) == want {
			break
		}
	}
	return named
}

// eachMeeting calls f, in order (reverse: in reverse order), for each
// member j < end whose to is on or after from, until f returns false.
// Each call costs log n, with a segment tree of the members' ends.
func (g *overlapGroup) eachMeeting(end int, from instant, reverse bool, f func(j int) bool) {
	if g.size == 0 {
		g.size = 1
		for g.size < len(g.to) {
			g.size *= 2
		}
		g.maxTo = grow(g.maxTo, 2*g.size)
		clear(g.maxTo) // the zero instant is before every date
		copy(g.maxTo[g.size:], g.to)
		for i := g.size - 1; i > 0; i-- {
			a, b := g.maxTo[2*i], g.maxTo[2*i+1]
			if a.compare(b) < 0 {
				a = b
			}
			g.maxTo[i] = a
		}
	}
	var visit func(node, lo, hi int) bool
	visit = func(node, lo, hi int) bool {
		if lo >= end || g.maxTo[node].compare(from) < 0 {
			return true
		}
		if hi-lo == 1 {
			return f(lo)
		}
		mid := (lo + hi) / 2
		if reverse {
			return visit(2*node+1, mid, hi) && visit(2*node, lo, mid)
		}
		return visit(2*node, lo, mid) && visit(2*node+1, mid, hi)
	}
	visit(1, 0, g.size)
}

// nameKey is a placement's trimmed surname and forenames, case folded as
// strings.EqualFold compares them, in one key.
func nameKey(p *KeptPlacement) string {
	s := model.FoldKey(model.TrimWhite(p.Surname))
	return strconv.Itoa(len(s)) + ":" + s + model.FoldKey(model.TrimWhite(p.Forenames))
}

// overlaps reports placement.overlap on each placement of notes (see
// findOverlaps): how many others it overlaps, and the few it names.
func (r *Reconciler) overlaps(items []*recItem, notes map[int32]overlapNote) {
	for i, note := range notes {
		it := items[i]
		p := it.p
		ids := make([]string, 0, len(note.named))
		for _, j := range note.named {
			ids = append(ids, placementRef(items[j].p))
		}
		sort.Strings(ids)
		if note.n <= maxNamed && len(ids) == note.n {
			it.addFinding(r.finding(it, RulePlacementOverlap, ColumnNPN, p.NPN, fmt.Sprintf(
				"%s overlaps %s of another trainee on %s, and their WTEs add up to more than 1. Check the dates in TIS, or record the job share's WTE.",
				model.Capitalise(placementRef(p)), model.JoinAnd(ids), npnText(p.NPN))))
			it.addIssue(fmt.Sprintf("Overlaps %s of another trainee on the same post.", model.JoinAnd(ids)))
			continue
		}
		among := ""
		if len(ids) > 0 {
			among = " (among them " + model.JoinAnd(ids) + ")"
		}
		it.addFinding(r.finding(it, RulePlacementOverlap, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s overlaps %d placements of other trainees%s on %s, and their WTEs add up to more than 1. Check the dates in TIS, or record the job shares' WTEs.",
			model.Capitalise(placementRef(p)), note.n, among, npnText(p.NPN))))
		it.addIssue(fmt.Sprintf("Overlaps %d placements of other trainees%s on the same post.", note.n, among))
	}
}
