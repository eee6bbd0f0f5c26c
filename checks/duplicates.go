package checks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"dpnkit/internal/model"
)

// duplicates reports dpn.duplicate: within one VPD, two or more active
// positions whose DPNs are equal after model.NormalDPN. Every position of a
// group gets one finding naming the others: all of them up to maxListed,
// else the group's size, the first maxListed and how many more, so that a
// group of any size costs linear time and memory (a trust that typed "TBC"
// into every post makes one group of every position). The report's
// Duplicate DPN tab lists every member.
type duplicates struct{}

func (duplicates) Rules() []string { return []string{RuleDPNDuplicate} }

func (duplicates) CheckSet(set *Set) []Finding {
	n := 0
	for vi := range set.VPDs {
		for gi := range set.VPDs[vi].Duplicates {
			n += len(set.VPDs[vi].Duplicates[gi].Positions)
		}
	}
	out := make([]Finding, 0, n)
	for vi := range set.VPDs {
		v := &set.VPDs[vi]
		for gi := range v.Duplicates {
			g := &v.Duplicates[gi]
			// Every member after the first maxListed names the same
			// others: they share one message.
			var shared string
			for k, i := range g.Positions {
				p := &v.Positions[i]
				msg := shared
				if k < maxListed || shared == "" {
					msg = duplicateMessage(v, g, i)
					if k >= maxListed {
						shared = msg
					}
				}
				out = append(out, newFinding(RuleDPNDuplicate, p, ColumnDPN, p.DPN, msg))
			}
		}
	}
	return out
}

// maxListed is how many other positions (or VPDs) one message names; the
// rest are counted.
const maxListed = 3

// maxLabel is the most characters of a position number or VPD that a
// message about another position quotes: one absurd value must not be
// copied into every message of its group.
const maxLabel = 40

// duplicateMessage is the dpn.duplicate message of position self of g.
func duplicateMessage(v *VPDSet, g *DuplicateGroup, self int) string {
	others := len(g.Positions) - 1
	names := make([]string, 0, min(others, maxListed))
	for _, j := range g.Positions {
		if len(names) == cap(names) {
			break
		}
		if j != self {
			names = append(names, positionLabel(&v.Positions[j]))
		}
	}
	const advice = " A DPN must be on one active position only: end-date the post or remove the DPN from the other %s so there is a 1:1 mapping."
	if others <= maxListed {
		noun := "position"
		if others > 1 {
			noun = "positions"
		}
		return fmt.Sprintf("DPN %q is also on active %s %s in VPD %s."+advice,
			g.DPN, noun, model.JoinAnd(names), model.Clip(v.VPD, maxLabel), noun)
	}
	return fmt.Sprintf("DPN %q is also on %s other active positions in VPD %s: %s and %s more (%s positions share it; the report's Duplicate DPN tab lists them all)."+advice,
		g.DPN, thousands(others), model.Clip(v.VPD, maxLabel), strings.Join(names, ", "), thousands(others-len(names)),
		thousands(len(g.Positions)), "positions")
}

// positionLabel is the position number for lists, or "row N" without one,
// cut to maxLabel characters.
func positionLabel(p *model.Position) string {
	if n := model.TrimWhite(p.Number); n != "" {
		return model.Clip(n, maxLabel)
	}
	return fmt.Sprintf("(no number, row %d)", p.Row)
}

// thousands writes n with comma thousands separators: 9,997.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
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
	// The map is sized for every kept DPN at once: grown step by step, a
	// national run spent a fifth of Finish rehashing it.
	n := 0
	for vi := range set.VPDs {
		n += len(set.VPDs[vi].Normal)
	}
	vpds := make(map[string][]string, n)
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
			p := &v.Positions[i]
			out = append(out, newFinding(RuleDPNCrossVPD, p, ColumnDPN, p.DPN, crossVPDMessage(n, p, v.VPD, l)))
		}
	}
	return out
}

// crossVPDMessage is the dpn.cross-vpd message of p, in VPD vpd, whose
// normalised DPN n is active in the VPDs l (sorted, vpd among them). It
// names at most maxListed other VPDs and counts the rest, so that its cost
// does not grow with the number of VPDs.
func crossVPDMessage(n string, p *model.Position, vpd string, l []string) string {
	others := len(l) - 1
	names := make([]string, 0, min(others, maxListed))
	for _, o := range l {
		if len(names) == cap(names) {
			break
		}
		if o != vpd {
			names = append(names, model.Clip(o, maxLabel))
		}
	}
	noun := "VPD"
	if others > 1 {
		noun = "VPDs"
	}
	list := strings.Join(names, ", ")
	if others > len(names) {
		list = fmt.Sprintf("%s other VPDs: %s and %s more", thousands(others), list, thousands(others-len(names)))
	} else {
		list = noun + " " + list
	}
	return fmt.Sprintf("DPN %q on %s is also active in %s. %s", n, model.PositionRef(p), list, crossVPDAdvice)
}
