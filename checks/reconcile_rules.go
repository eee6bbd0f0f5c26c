package checks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"dpnkit/internal/model"
)

// maxNamed is how many other placements an overlap finding names.
const maxNamed = 5

// overlaps reports placement.overlap. items are in canonical order; the
// findings go to st, by item.
func (r *Reconciler) overlaps(items []*recItem, canon []int32) {
	byNPN := make(map[string][]int32)
	for _, i := range canon {
		it := items[i]
		p := &it.res.Placement
		if it.res.Vacancy || it.norm == "" || p.DateFrom.IsZero() || (!p.DateTo.IsZero() && p.DateTo.Before(p.DateFrom)) {
			continue
		}
		byNPN[it.norm] = append(byNPN[it.norm], i)
	}
	others := make(map[int32][]int32)
	for _, group := range byNPN {
		if len(group) < 2 {
			continue
		}
		sort.SliceStable(group, func(a, b int) bool {
			return items[group[a]].res.Placement.DateFrom.Before(items[group[b]].res.Placement.DateFrom)
		})
		// Sweep in start order. open holds the placements still running
		// when the current one starts: each of them overlaps it, so the
		// inner loop costs one step per overlapping pair.
		var open []int32
		for _, i := range group {
			a := &items[i].res.Placement
			kept := open[:0]
			for _, j := range open {
				b := &items[j].res.Placement
				if !b.DateTo.IsZero() && b.DateTo.Before(a.DateFrom) {
					continue // ended before a starts
				}
				kept = append(kept, j)
				if sameTrainee(a, b) || wte(a.WTE)+wte(b.WTE) <= 1+1e-9 {
					continue
				}
				others[i] = append(others[i], j)
				others[j] = append(others[j], i)
			}
			open = append(kept, i)
		}
	}
	for i, os := range others {
		it := items[i]
		p := &it.res.Placement
		ids := make([]string, 0, len(os))
		for _, j := range os {
			ids = append(ids, placementRef(&items[j].res.Placement))
		}
		sort.Strings(ids)
		named := ids
		if len(ids) > maxNamed {
			named = append(append([]string(nil), ids[:maxNamed]...), fmt.Sprintf("%d more", len(ids)-maxNamed))
		}
		it.findings = append(it.findings, r.finding(it, RulePlacementOverlap, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s overlaps %s of another trainee on %s, and their WTEs add up to more than 1. Check the dates in TIS, or record the job share's WTE.",
			capitalise(placementRef(p)), joinAnd(named), npnText(p.NPN))))
		it.issues = append(it.issues, fmt.Sprintf("Overlaps %s of another trainee on the same post.", joinAnd(named)))
	}
}

// sameTrainee reports whether two placements are of one trainee: equal GMC
// numbers when both have one, else equal surname and forenames (case and
// surrounding white space ignored).
func sameTrainee(a, b *model.Placement) bool {
	ga, gb := model.TrimWhite(a.GMC), model.TrimWhite(b.GMC)
	if ga != "" && gb != "" {
		return strings.EqualFold(ga, gb)
	}
	return strings.EqualFold(model.TrimWhite(a.Surname), model.TrimWhite(b.Surname)) &&
		strings.EqualFold(model.TrimWhite(a.Forenames), model.TrimWhite(b.Forenames))
}

// wte reads a WTE; empty or not a number counts as full time (1).
func wte(s string) float64 {
	v, err := strconv.ParseFloat(model.TrimWhite(s), 64)
	if err != nil {
		return 1
	}
	return v
}

// bucketKey is one post in one APP file.
type bucketKey struct {
	deanery string
	pos     *model.Position
}

// buckets reports placement.bucket: more than MaxApplicantsPerPost
// sendable placements in the transfer window for one post and one managing
// deanery.
func (r *Reconciler) buckets(items []*recItem, canon []int32) {
	groups := make(map[bucketKey][]int32)
	for _, i := range canon {
		it := items[i]
		if !it.sendable || it.res.Match != MatchYes || !model.TransferWindow(it.res.Placement.DateFrom, r.opts.AsOf) {
			continue
		}
		k := bucketKey{strings.ToUpper(model.TrimWhite(it.res.Placement.ManagingDeanery)), it.positions[0]}
		groups[k] = append(groups[k], i)
	}
	for k, group := range groups {
		n := len(group)
		if n <= MaxApplicantsPerPost {
			continue
		}
		file := "managing deanery " + model.TrimWhite(items[group[0]].res.Placement.ManagingDeanery)
		if k.deanery == "" {
			file = "placements with no managing deanery"
		}
		first := items[group[0]]
		first.findings = append(first.findings, r.finding(first, RulePlacementBucket, ColumnNPN, first.res.Placement.NPN, fmt.Sprintf(
			"%d applicants for %s (VPD %s, DPN %s) start inside the transfer window and would go in one APP file for %s: more than %d, so ESR quarantines the whole file and sends no confirmations for any applicant in it. Use single-occupancy positions: one ESR position per trainee.",
			n, positionRef(k.pos), k.pos.VPD, npnText(k.pos.DPN), file, MaxApplicantsPerPost)))
		for _, i := range group {
			it := items[i]
			it.bucket = n
			it.late = fmt.Sprintf("post has %d applicants in one file (over %d): ESR quarantines the whole file", n, MaxApplicantsPerPost)
			it.issues = append(it.issues, fmt.Sprintf(
				"Post has %d applicants in one file (over %d): ESR quarantines the whole file.", n, MaxApplicantsPerPost))
		}
	}
}

// stats counts the reconciliation per managing deanery, employing body and
// VPD, and in total.
func (r *Reconciler) stats(res *ReconcileResult, items []*recItem, unplacedByVPD map[string]int) {
	md, eb, vpd := make(map[string]*ReconcileStats), make(map[string]*ReconcileStats), make(map[string]*ReconcileStats)
	get := func(m map[string]*ReconcileStats, key string) *ReconcileStats {
		if key == "" {
			key = NoGroup
		}
		s := m[key]
		if s == nil {
			s = &ReconcileStats{Group: key}
			m[key] = s
		}
		return s
	}
	for i := range items {
		it := items[i]
		pr := it.res
		groups := []*ReconcileStats{&res.Totals,
			get(md, model.TrimWhite(pr.Placement.ManagingDeanery)),
			get(eb, model.TrimWhite(pr.Placement.EmployingBody)),
			get(vpd, it.vpd)}
		for _, s := range groups {
			countPlacement(s, pr, it.findings)
		}
	}
	for v, n := range unplacedByVPD {
		for _, s := range []*ReconcileStats{&res.Totals, get(vpd, v)} {
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
func countPlacement(s *ReconcileStats, pr *PlacementResult, findings []Finding) {
	s.Placements++
	if pr.Vacancy {
		s.Vacancies++
	}
	switch pr.Match {
	case MatchYes:
		s.Matched++
	case MatchNone:
		s.NoPosition++
	case MatchEndDated:
		s.EndDated++
	case MatchMany:
		s.ManyPositions++
	}
	if !pr.Vacancy {
		switch {
		case pr.Export == ExportExported:
			s.Exported++
		case pr.Export == ExportNotYetDue:
			s.NotYetDue++
		case strings.HasPrefix(pr.Export, ExportBlocked):
			s.Blocked++
		}
	}
	if pr.Exception {
		s.Exceptions++
	}
	for _, f := range findings {
		if s.ByRule == nil {
			s.ByRule = make(map[string]int)
		}
		s.ByRule[f.Rule]++
	}
}

func sortedStats(m map[string]*ReconcileStats) []ReconcileStats {
	out := make([]ReconcileStats, 0, len(m))
	for _, s := range m {
		out = append(out, *s)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Group < out[b].Group })
	return out
}
