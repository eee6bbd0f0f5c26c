package reconcile

import (
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"dpnkit/internal/model"
)

// findOverlaps finds the placements that overlap others of another
// trainee on their NPN (placement.overlap): for each, by canonical index,
// how many others and a few of them (overlapNote). items are in canonical
// order; only what is known when a placement is kept is read, so this can
// run before the matching.
//
// Each candidate is one number: the top bits a hash of its normalised NPN,
// the low ones its canonical index. One sort of plain numbers puts the
// candidates of an NPN together, in canonical order, and no map is needed;
// a run of equal hashes is then split by NPN, in case two collide.
func findOverlaps(items []*recItem) map[int32]overlapNote {
	cands, norms, spans := overlapCandidates(items)
	sortCandidates(cands, len(items))
	return overlapsIn(items, npnGroups(cands, norms), spans)
}

// overlapCand is a placement that may overlap others: the hash of its
// normalised NPN and its canonical index.
type overlapCand struct {
	hash uint64
	i    int32
}

// overlapCandidates lists the trainee placements with an NPN and a usable
// start, with (by canonical index) their normalised NPNs and spans, read
// here in order so that the sweep need not look at items.
func overlapCandidates(items []*recItem) (cands []overlapCand, norms []string, spans []span) {
	seed := maphash.MakeSeed()
	norms = make([]string, len(items))
	spans = make([]span, len(items))
	cands = make([]overlapCand, 0, len(items))
	for i, it := range items {
		p := it.p
		if it.vacancy || p.DateFrom.IsZero() || (!p.DateTo.IsZero() && p.DateTo.Before(p.DateFrom)) {
			continue
		}
		norm := model.NormalDPN(p.NPN)
		if norm == "" {
			continue
		}
		norms[i] = norm
		spans[i] = span{from: instantOf(p.DateFrom), to: instantOf(p.DateTo), open: p.DateTo.IsZero()}
		cands = append(cands, overlapCand{overlapHash(seed, norm), int32(i)})
	}
	return cands, norms, spans
}

// sortCandidates sorts cands by hash, then canonical index, and leaves in
// each hash only its top bits (those that are the NPN's). n is how many
// placements there are.
func sortCandidates(cands []overlapCand, n int) {
	if n < 1<<idxBits {
		// As plain numbers, the sort is several times faster.
		keys := make([]uint64, len(cands))
		for k, c := range cands {
			keys[k] = c.hash&^(1<<idxBits-1) | uint64(c.i)
		}
		slices.Sort(keys)
		for k, key := range keys {
			cands[k] = overlapCand{key >> idxBits, int32(key & (1<<idxBits - 1))}
		}
		return
	}
	slices.SortFunc(cands, func(a, b overlapCand) int {
		if c := cmp.Compare(a.hash>>idxBits, b.hash>>idxBits); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	for k := range cands {
		cands[k].hash >>= idxBits
	}
}

// npnGroups cuts the sorted candidates into the groups of two or more on
// one NPN, each in canonical order: the runs of one hash, and the parts of
// a run where two NPNs share a hash.
func npnGroups(cands []overlapCand, norms []string) [][]int32 {
	flat := make([]int32, len(cands))
	for k, c := range cands {
		flat[k] = c.i
	}
	var bounds []int32 // the runs of one NPN, as bounds into flat
	var split [][]int32
	for lo := 0; lo < len(cands); {
		hi := lo + 1
		for hi < len(cands) && cands[hi].hash == cands[lo].hash {
			hi++
		}
		run := flat[lo:hi:hi]
		lo = hi
		switch {
		case len(run) < 2:
		case !mixedNPNs(run, norms):
			bounds = append(bounds, int32(hi-len(run)), int32(hi))
		default:
			split = append(split, splitByNPN(run, norms)...)
		}
	}
	groups := make([][]int32, 0, len(bounds)/2+len(split))
	for k := 0; k < len(bounds); k += 2 {
		groups = append(groups, flat[bounds[k]:bounds[k+1]:bounds[k+1]])
	}
	return append(groups, split...)
}

// mixedNPNs reports whether the run of one hash holds more than one NPN.
func mixedNPNs(run []int32, norms []string) bool {
	for _, i := range run[1:] {
		if norms[i] != norms[run[0]] {
			return true
		}
	}
	return false
}

// splitByNPN splits a run of two NPNs with one hash by NPN, each part of
// two or more in canonical order.
func splitByNPN(run []int32, norms []string) [][]int32 {
	var parts [][]int32
	for len(run) > 0 {
		var same, rest []int32
		for _, i := range run {
			if norms[i] == norms[run[0]] {
				same = append(same, i)
			} else {
				rest = append(rest, i)
			}
		}
		if len(same) > 1 {
			parts = append(parts, same)
		}
		run = rest
	}
	return parts
}

// instant is a time.Time as plain numbers, for comparing without the
// location.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

func (a instant) compare(b instant) int {
	if c := cmp.Compare(a.sec, b.sec); c != 0 {
		return c
	}
	return cmp.Compare(a.nsec, b.nsec)
}

// span is a placement's dates; open when it has no end date.
type span struct {
	from, to instant
	open     bool
}

// idxBits is how many low bits of an overlap sort key hold the canonical
// index; the hash keeps the rest.
const idxBits = 24

// overlapHash hashes a normalised NPN for overlaps; a variable so that a
// test can make every NPN collide.
var overlapHash = maphash.String

// sameTrainee reports whether two placements are of one trainee: equal GMC
// numbers when both have one, else equal surname and forenames (case and
// surrounding white space ignored).
func sameTrainee(a, b *KeptPlacement) bool {
	ga, gb := model.TrimWhite(a.GMC), model.TrimWhite(b.GMC)
	if ga != "" && gb != "" {
		return strings.EqualFold(ga, gb)
	}
	return strings.EqualFold(model.TrimWhite(a.Surname), model.TrimWhite(b.Surname)) &&
		strings.EqualFold(model.TrimWhite(a.Forenames), model.TrimWhite(b.Forenames))
}

// wte reads a WTE; empty or not a number counts as full time (1), and so
// do NaN and the infinities (which ParseFloat reads, and which would make
// the job-share test depend on the order of the sum).
func wte(s string) float64 {
	v, err := strconv.ParseFloat(model.TrimWhite(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	return v
}

// bucketKey is one post in one APP file.
type bucketKey struct {
	deanery string
	pos     *model.Position
}

// bucketGroup is the placements (indexes into items) of one post in one
// APP file.
type bucketGroup struct {
	key   bucketKey
	items []int32
}

// bucketGroups finds the posts with more than MaxApplicantsPerPost
// sendable placements in the transfer window for one managing deanery. It
// only reads the items.
func (r *Reconciler) bucketGroups(items []*recItem) []bucketGroup {
	// model.TransferWindow, with the window's ends worked out once.
	windowFrom, windowTo := r.opts.AsOf.AddDate(0, 0, 2), r.opts.AsOf.AddDate(0, 0, 7*13)
	inWindow := func(start time.Time) bool { return start.After(windowFrom) && start.Before(windowTo) }
	groups := make(map[bucketKey][]int32)
	deanery := make(map[string]string) // managing deanery as written -> as compared
	for i, it := range items {
		if !it.sendable() || it.match != matchYes || !inWindow(it.p.DateFrom) {
			continue
		}
		md := it.p.ManagingDeanery
		d, ok := deanery[md]
		if !ok {
			d = strings.ToUpper(model.TrimWhite(md))
			deanery[md] = d
		}
		k := bucketKey{d, it.positions[0]}
		groups[k] = append(groups[k], int32(i))
	}
	var over []bucketGroup
	for k, group := range groups {
		if records, _ := bucketRecords(items, group); records > MaxApplicantsPerPost {
			over = append(over, bucketGroup{k, group})
		}
	}
	return over
}

// buckets reports placement.bucket for the groups bucketGroups found.
func (r *Reconciler) buckets(items []*recItem, groups []bucketGroup) {
	for _, g := range groups {
		k, group := g.key, g.items
		first := items[group[0]]
		file := "managing deanery " + model.TrimWhite(first.p.ManagingDeanery)
		if k.deanery == "" {
			file = "placements with no managing deanery"
		}
		t := bucketTextsOf(items, g, file)
		first.addFinding(r.finding(first, RulePlacementBucket, ColumnNPN, first.p.NPN, t.message))
		for _, i := range group {
			it := items[i]
			m := it.moreOf()
			m.bucket = t.records
			m.late = t.late
			it.addIssue(t.issue)
		}
	}
}

// stats counts the reconciliation per managing deanery, employing body and
// VPD, and in total.
func (r *Reconciler) stats(res *Result, items []*recItem, unplacedByVPD map[string]int) {
	md, eb, vpd := make(map[string]*Stats), make(map[string]*Stats), make(map[string]*Stats)
	get := func(m map[string]*Stats, key string) *Stats {
		if key == "" {
			key = NoGroup
		}
		s := m[key]
		if s == nil {
			s = &Stats{Group: key}
			m[key] = s
		}
		return s
	}
	// The groups by the text as written, which repeats: trimmed once.
	mdRaw, ebRaw := make(map[string]*Stats), make(map[string]*Stats)
	for _, it := range items {
		p := it.p
		m, ok := mdRaw[p.ManagingDeanery]
		if !ok {
			m = get(md, model.TrimWhite(p.ManagingDeanery))
			mdRaw[p.ManagingDeanery] = m
		}
		e, ok := ebRaw[p.EmployingBody]
		if !ok {
			e = get(eb, model.TrimWhite(p.EmployingBody))
			ebRaw[p.EmployingBody] = e
		}
		for _, s := range [...]*Stats{&res.Totals, m, e, get(vpd, it.group())} {
			countPlacement(s, it)
		}
	}
	for v, n := range unplacedByVPD {
		for _, s := range []*Stats{&res.Totals, get(vpd, v)} {
			s.Unplaced += n
			if s.ByRule == nil {
				s.ByRule = make(map[string]int)
			}
			s.ByRule[RulePositionNoPlacement] += n
		}
	}
	res.ByManagingDeanery, res.ByEmployingBody, res.ByVPD = sortedStats(md), sortedStats(eb), sortedStats(vpd)
}

// countPlacement adds one placement and its findings to s. The export
// counts are of trainees: vacancies are never sent.
func countPlacement(s *Stats, it *recItem) {
	s.Placements++
	if it.vacancy {
		s.Vacancies++
	}
	switch it.match {
	case matchYes:
		s.Matched++
	case matchNone:
		s.NoPosition++
	case matchEndDated:
		s.EndDated++
	case matchMany:
		s.ManyPositions++
	}
	if !it.vacancy {
		switch it.export {
		case exportExported:
			s.Exported++
		case exportNotYetDue:
			s.NotYetDue++
		case exportBlocked:
			s.Blocked++
		}
	}
	if it.exception {
		s.Exceptions++
	}
	for _, f := range it.findings() {
		if s.ByRule == nil {
			s.ByRule = make(map[string]int)
		}
		s.ByRule[f.Rule]++
	}
}

func sortedStats(m map[string]*Stats) []Stats {
	out := make([]Stats, 0, len(m))
	for _, s := range m {
		out = append(out, *s)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Group < out[b].Group })
	return out
}
