package exchange

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// ExcludedForRules starts the reason of a position excluded for breaking
// DPN rules (Exclusion.Reason), their ids after it joined by ", ":
// "DPN breaks dpn.prefix, dpn.chars".
const ExcludedForRules = "DPN breaks "

// blockingRules are the dpn.* rules that stop a position transferring, in
// catalogue order.
var blockingRules = []string{checks.RuleDPNParts, checks.RuleDPNPrefix, checks.RuleDPNChars, checks.RuleDPNEmptyPart}

// POR field lengths (interface-run.md "POR fields").
const (
	maxTitle = 60
	maxOrg   = 240
)

// outbound works out the transferred positions, the exclusions and the POR
// records (step 2).
func (e *engine) outbound() {
	from := e.collectPosts()
	e.markPairs()
	sort.SliceStable(e.posts, func(i, j int) bool {
		a, b := e.posts[i], e.posts[j]
		if a.vpd != b.vpd {
			return a.vpd < b.vpd
		}
		if a.number != b.number {
			return a.number < b.number
		}
		return a.key < b.key
	})
	// The POR records are made in the posts' order, into one slice: on a
	// first run that order is nearly always the POR file's, and the slice
	// is the Outbound list itself (~73,000 records of 176 bytes on a
	// national run, not copied).
	pors := make([]POR, len(e.posts))
	for i, po := range e.posts {
		pors[i] = porOf(po, from[po.idx])
		po.por = &pors[i]
		po.idx = int32(i)
	}
	sort.SliceStable(e.res.Excluded, func(i, j int) bool {
		a, b := &e.res.Excluded[i], &e.res.Excluded[j]
		if a.VPD != b.VPD {
			return a.VPD < b.VPD
		}
		if a.PositionNumber != b.PositionNumber {
			return a.PositionNumber < b.PositionNumber
		}
		return a.DPN < b.DPN
	})

	e.res.First = len(e.prev.Positions) == 0
	if e.res.First {
		// The records are the posts' own: sorted, they would no longer be
		// where the posts point, so an order other than the POR file's
		// (possible when an id is missing) is sorted in a copy.
		e.res.Outbound = pors
		if !slices.IsSortedFunc(pors, comparePOR) {
			e.res.Outbound = slices.Clone(pors)
			slices.SortStableFunc(e.res.Outbound, comparePOR)
		}
		return
	}
	e.changedPORs()
}

// collectPosts records every position with a DPN as active under its
// normalised DPN, excludes those whose DPN is broken or duplicated, and
// makes a post of each of the others, in input order. It returns each
// post's position, by the post's idx.
func (e *engine) collectPosts() []*model.Position {
	// The maps are sized once: grown from empty, a national run's ~75,000
	// positions rehash them a dozen times.
	n := 0
	for vi := range e.in.Check.VPDs {
		n += len(e.in.Check.VPDs[vi].Positions)
	}
	e.active = make(map[string][]activePos, n)
	// A DPN's first active position comes from one slice of them all,
	// its list capped at that one element: nearly every DPN has only one,
	// and a second is appended into a list of its own.
	firsts := make([]activePos, 0, n)
	e.byVPDNorm = make(map[vpdDPN]*post, n)
	e.posts = slices.Grow(e.posts, n)
	// Each post's position, by the post's place in e.posts before the
	// sort in outbound (its idx until then): the POR records are made
	// after it.
	from := make([]*model.Position, 0, n)
	for vi := range e.in.Check.VPDs {
		v := &e.in.Check.VPDs[vi]
		broken := brokenRules(v.Findings)
		dupOf := duplicateOthers(v)
		for i := range v.Positions {
			p := &v.Positions[i]
			if !p.HasDPN() {
				continue
			}
			norm := model.NormalDPN(p.DPN)
			ap := activePos{vpd: p.VPD, label: positionLabel(p), role: checks.HostLeadRoleOf(p.HostLead)}
			if held, ok := e.active[norm]; ok {
				e.active[norm] = append(held, ap)
			} else {
				firsts = append(firsts, ap)
				e.active[norm] = firsts[len(firsts)-1 : len(firsts) : len(firsts)]
			}
			reason := ""
			if rules := broken[findingKey(p.File, p.Row, p.Number)]; len(rules) > 0 {
				reason = ExcludedForRules + strings.Join(rules, ", ")
			} else if others, dup := dupOf[i]; dup {
				reason = "duplicate DPN (also on " + strings.Join(others, ", ") + ")"
			}
			if reason != "" {
				e.excludedBody[p.VPD+"\x00"+model.TrimWhite(p.Number)+"\x00"+model.TrimWhite(p.DPN)] = p.ManagingBody
				e.res.Excluded = append(e.res.Excluded, Exclusion{VPD: p.VPD, PositionNumber: model.TrimWhite(p.Number),
					DPN: model.TrimWhite(p.DPN), Reason: reason})
				continue
			}
			po := newPost(p)
			po.idx = int32(len(from))
			from = append(from, p)
			e.posts = append(e.posts, po)
			e.byVPDNorm[vpdDPN{po.vpd, po.norm}] = po
		}
	}
	return from
}

// duplicateOthers maps each position of one of v's duplicate groups (by
// its index) to the labels of the group's other positions.
func duplicateOthers(v *checks.VPDResult) map[int][]string {
	dupOf := make(map[int][]string, 0)
	for _, g := range v.Duplicates {
		for _, i := range g.Positions {
			var others []string
			for _, j := range g.Positions {
				if j != i && j >= 0 && j < len(v.Positions) {
					others = append(others, positionLabel(&v.Positions[j]))
				}
			}
			dupOf[i] = others
		}
	}
	return dupOf
}

// changedPORs is the Outbound list of a run after the first: the records
// of new and changed posts, and a "D" of each post that is gone.
func (e *engine) changedPORs() {
	now := make(map[string]bool, len(e.posts))
	for _, po := range e.posts {
		now[po.key] = true
		old, had := e.prev.Positions[po.key]
		switch {
		case !had:
			e.res.Outbound = append(e.res.Outbound, *po.por)
		case *old == *po.por: // unchanged: the next state keeps the last record
			po.por = old
		case !samePOR(old, po.por):
			e.res.Outbound = append(e.res.Outbound, *po.por)
		}
	}
	for k, old := range e.prev.Positions {
		if !now[k] {
			gone := *old
			gone.ChangeDeleteIndicator = "D"
			e.res.Outbound = append(e.res.Outbound, gone)
		}
	}
	slices.SortStableFunc(e.res.Outbound, comparePOR) // the deletions come in map order
}

// samePOR reports whether a position's last record, old, is its record
// now, p (a "C"), whatever old's change/delete indicator.
func samePOR(old, p *POR) bool {
	o := *old
	o.ChangeDeleteIndicator = p.ChangeDeleteIndicator
	return o == *p
}

// comparePOR orders POR records by VPD, position number, position id and
// change/delete indicator.
func comparePOR(a, b POR) int {
	if c := strings.Compare(a.EmployingOrgVPDCode, b.EmployingOrgVPDCode); c != 0 {
		return c
	}
	if c := strings.Compare(a.PositionNumber, b.PositionNumber); c != 0 {
		return c
	}
	if c := strings.Compare(a.PositionID, b.PositionID); c != 0 {
		return c
	}
	return strings.Compare(a.ChangeDeleteIndicator, b.ChangeDeleteIndicator)
}

// brokenRules maps each position (by file, row and number) to the
// blocking dpn.* rules its findings break, in catalogue order.
func brokenRules(fs []checks.Finding) map[string][]string {
	out := make(map[string][]string)
	for _, f := range fs {
		for _, r := range blockingRules {
			if f.Rule != r {
				continue
			}
			k := findingKey(f.File, f.Row, f.PositionNumber)
			have := false
			for _, x := range out[k] {
				have = have || x == r
			}
			if !have {
				out[k] = append(out[k], r)
			}
		}
	}
	for k, rules := range out {
		sort.Slice(rules, func(i, j int) bool { return ruleOrder(rules[i]) < ruleOrder(rules[j]) })
		out[k] = rules
	}
	return out
}

func ruleOrder(r string) int {
	for i, x := range blockingRules {
		if x == r {
			return i
		}
	}
	return len(blockingRules)
}

func findingKey(file string, row int, number string) string {
	return file + "\x00" + itoa(row) + "\x00" + number
}

// positionLabel names a position in an exclusion reason.
func positionLabel(p *model.Position) string {
	if n := model.TrimWhite(p.Number); n != "" {
		return n
	}
	return "row " + itoa(p.Row)
}

// activePos is what resolving a deanery number needs of an active ESR
// position that carries it.
type activePos struct {
	vpd   string
	label string // positionLabel
	role  checks.HostLeadRole
}

// newPost builds a transferred post, but for its POR record (porOf).
func newPost(p *model.Position) *post {
	t := model.TrimWhite
	po := &post{location: t(p.Location), vpd: p.VPD, number: t(p.Number), dpn: t(p.DPN), norm: model.NormalDPN(p.DPN)}
	po.id = t(p.ID)
	po.key = po.id
	if po.id == "" {
		po.id = po.number
		po.key = p.VPD + ":" + po.number
	}
	prefix, _, _ := strings.Cut(po.norm, "/")
	po.deanery = strings.ToUpper(strings.TrimSpace(prefix))
	po.hostLead = t(p.HostLead)
	po.occupation, po.job = t(p.OccupationCode), t(p.JobRole)
	po.role = checks.HostLeadRoleOf(po.hostLead)
	switch po.role {
	case checks.RoleHost:
		po.hostLead, po.host = "Host Employer", true
	case checks.RoleLead:
		po.hostLead = "Lead Employer"
	}
	return po
}

// porOf is the POR record of post po, of position p.
func porOf(po *post, p *model.Position) POR {
	t := model.TrimWhite
	return POR{
		PositionID:            po.id,
		ChangeDeleteIndicator: "C",
		PositionNumber:        po.number,
		PositionTitle:         cut(positionTitle(p), maxTitle),
		DeaneryNumber:         po.dpn,
		ManagingOffice:        po.deanery,
		HostLeadIndicator:     po.hostLead,
		ODSCode:               cut(t(p.WorkplaceOrg), 30),
		EmployingOrgVPDCode:   p.VPD,
		ESROrganisation:       cut(t(p.Organisation), maxOrg),
		ESRLocation:           cut(t(p.Location), maxOrg),
	}
}

// positionTitle is the name's second part (the job title), else the job role.
func positionTitle(p *model.Position) string {
	if _, rest, ok := strings.Cut(p.Name, "|"); ok {
		second, _, _ := strings.Cut(rest, "|")
		if s := model.TrimWhite(second); s != "" {
			return s
		}
	}
	return model.TrimWhite(p.JobRole)
}

// cut shortens s to at most n characters (runes).
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
