package checks

import (
	"fmt"
	"sort"
	"strings"

	"dpnkit/internal/model"
)

// duplicates reports dpn.duplicate: within one VPD, two or more active
// positions whose DPNs are equal after model.NormalDPN. Every position of a
// group gets one finding naming the others.
type duplicates struct{}

func (duplicates) Rules() []string { return []string{RuleDPNDuplicate} }

func (duplicates) CheckSet(set *Set) []Finding {
	var out []Finding
	for vi := range set.VPDs {
		v := &set.VPDs[vi]
		for _, g := range v.Duplicates {
			for _, i := range g.Positions {
				p := &v.Positions[i]
				others := make([]string, 0, len(g.Positions)-1)
				for _, j := range g.Positions {
					if j != i {
						others = append(others, positionLabel(&v.Positions[j]))
					}
				}
				noun := "position"
				if len(others) > 1 {
					noun = "positions"
				}
				out = append(out, newFinding(RuleDPNDuplicate, p, ColumnDPN, p.DPN, fmt.Sprintf(
					"DPN %q is also on active %s %s in VPD %s. A DPN must be on one active position only: end-date the post or remove the DPN from the other %s so there is a 1:1 mapping.",
					g.DPN, noun, joinAnd(others), v.VPD, noun)))
			}
		}
	}
	return out
}

// positionLabel is the position number for lists, or "row N" without one.
func positionLabel(p *model.Position) string {
	if n := model.TrimWhite(p.Number); n != "" {
		return n
	}
	return fmt.Sprintf("(no number, row %d)", p.Row)
}

// groupDuplicates finds the normalised DPNs carried by more than one of
// v's positions. Groups are sorted by DPN; indexes ascend, and since
// v.Positions is sorted by number they are in position-number order.
func groupDuplicates(v *VPDSet) []DuplicateGroup {
	idx := make(map[string][]int, len(v.Normal))
	for i, n := range v.Normal {
		idx[n] = append(idx[n], i)
	}
	var gs []DuplicateGroup
	for n, is := range idx {
		if len(is) > 1 {
			gs = append(gs, DuplicateGroup{DPN: n, Positions: is})
		}
	}
	sort.Slice(gs, func(a, b int) bool { return gs[a].DPN < gs[b].DPN })
	return gs
}

// crossVPD reports dpn.cross-vpd: a normalised DPN active in more than one
// VPD, unless a host/lead employer pair carries it (HostLeadPair). Every
// such position gets one finding naming the other VPDs.
type crossVPD struct{}

func (crossVPD) Rules() []string { return []string{RuleDPNCrossVPD} }

func (crossVPD) CheckSet(set *Set) []Finding {
	if len(set.VPDs) < 2 {
		return nil
	}
	// VPDs are visited in sorted order, so each list is sorted and unique.
	vpds := make(map[string][]string)
	for vi := range set.VPDs {
		v := &set.VPDs[vi]
		for _, n := range v.Normal {
			l := vpds[n]
			if len(l) == 0 || l[len(l)-1] != v.VPD {
				vpds[n] = append(l, v.VPD)
			}
		}
	}
	pairs := hostLeadPairDPNs(set, vpds) // one post, two positions: no finding
	var out []Finding
	for vi := range set.VPDs {
		v := &set.VPDs[vi]
		for i, n := range v.Normal {
			l := vpds[n]
			if len(l) < 2 || pairs[n] {
				continue
			}
			others := make([]string, 0, len(l)-1)
			for _, o := range l {
				if o != v.VPD {
					others = append(others, o)
				}
			}
			p := &v.Positions[i]
			noun := "VPD"
			if len(others) > 1 {
				noun = "VPDs"
			}
			out = append(out, newFinding(RuleDPNCrossVPD, p, ColumnDPN, p.DPN, fmt.Sprintf(
				"DPN %q on %s is also active in %s %s. %s",
				n, positionRef(p), noun, strings.Join(others, ", "), crossVPDAdvice)))
		}
	}
	return out
}
