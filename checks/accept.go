package checks

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Policy is a trust's own settings for the rules (dpnkit.toml): rules
// switched off, rules given another severity, and accepted exceptions.
// ApplyPolicy applies it to a result, between the checks and the writers,
// so that every output shows the same thing.
type Policy struct {
	Off        map[string]bool     // rule id -> switched off
	Severities map[string]Severity // rule id -> severity instead of the catalogue's
	Accepted   []Acceptance
}

// Acceptance is one accepted exception: a finding the trust has reviewed
// and accepts until a date.
type Acceptance struct {
	Rule      string
	VPD       string // "" = any VPD
	Position  string // position number; "" when Placement names the finding
	Placement string // TIS placement id (reconciliation findings)
	Value     string // the finding's value, exactly, when HasValue
	HasValue  bool   // false: any value
	Reason    string
	Who       string
	Until     time.Time // last day it applies (UTC midnight)
	Source    string    // where it is written, e.g. "dpnkit.toml line 12"
}

// AcceptedFinding is a finding matched by an acceptance: accepted (not
// counted towards the verdict) or, when the acceptance has expired, listed
// again as a finding and here as Expired.
type AcceptedFinding struct {
	Finding
	Reason  string    `json:"reason"`
	Who     string    `json:"who"`
	Until   time.Time `json:"until"`
	Expired bool      `json:"expired,omitempty"`
	Source  string    `json:"source,omitempty"`
}

// MarshalJSON writes the finding's fields, then reason, who, until
// (YYYY-MM-DD), expired and source.
func (a AcceptedFinding) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Finding
		Reason  string `json:"reason"`
		Who     string `json:"who"`
		Until   string `json:"until"`
		Expired bool   `json:"expired,omitempty"`
		Source  string `json:"source,omitempty"`
	}{a.Finding, a.Reason, a.Who, a.Until.Format(time.DateOnly), a.Expired, a.Source})
}

// Empty reports whether p changes nothing.
func (p *Policy) Empty() bool {
	return p == nil || len(p.Off) == 0 && len(p.Severities) == 0 && len(p.Accepted) == 0
}

// RulesOff lists the rules p switches off, sorted.
func (p *Policy) RulesOff() []string {
	if p == nil {
		return nil
	}
	var ids []string
	for id, off := range p.Off {
		if off {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// acceptKey finds the acceptances that may match a finding.
type acceptKey struct{ rule, position, placement string }

// acceptIndex is p's acceptances by rule and position or placement, so
// that matching a finding costs one lookup whatever their number.
type acceptIndex map[acceptKey][]int

func (p *Policy) index() acceptIndex {
	idx := make(acceptIndex, len(p.Accepted))
	for i, a := range p.Accepted {
		k := acceptKey{rule: a.Rule, position: a.Position}
		if a.Position == "" {
			k = acceptKey{rule: a.Rule, placement: a.Placement}
		}
		idx[k] = append(idx[k], i)
	}
	return idx
}

// match returns the acceptance matching f: an unexpired one if any
// (expired false), else an expired one, else -1.
func (p *Policy) match(idx acceptIndex, f *Finding, asOf time.Time) (i int, expired bool) {
	found := -1
	for _, k := range [2]acceptKey{{rule: f.Rule, position: strings.TrimSpace(f.PositionNumber)},
		{rule: f.Rule, placement: strings.TrimSpace(f.PlacementID)}} {
		if k.position == "" && k.placement == "" {
			continue
		}
		for _, ai := range idx[k] {
			a := &p.Accepted[ai]
			if a.VPD != "" && a.VPD != f.VPD || a.HasValue && a.Value != f.Value {
				continue
			}
			if !a.Until.Before(asOf) {
				return ai, false
			}
			found = ai
		}
	}
	return found, found >= 0
}

// ApplyPolicy applies p to res as of asOf (the run's as-of date): the
// findings of a rule switched off are removed, with the duplicate groups
// when dpn.duplicate is off; a rule given another severity has its findings
// changed; a finding matching an acceptance whose Until is not before asOf
// moves from Findings to AcceptedFindings and no longer counts towards the
// verdict or the exit status; one matching only an expired acceptance
// stays a finding, says so in its message, and is listed in
// ExpiredFindings too. The statistics are made again, with Accepted,
// ExpiredAcceptances and (in the totals) RulesOff. Unused lists the acceptances that matched no finding.
// An empty policy changes nothing.
func ApplyPolicy(res *Result, p *Policy, asOf time.Time) {
	if p.Empty() || res == nil {
		return
	}
	idx := p.index()
	used := make([]bool, len(p.Accepted))
	for i := range res.VPDs {
		applyVPD(&res.VPDs[i], p, idx, asOf, used)
	}
	res.Totals = totals(res.VPDs)
	res.Totals.RulesOff = slices.DeleteFunc(p.RulesOff(), func(id string) bool { return !checkRule(id) })
	res.Unused = nil
	for i, u := range used {
		if !u && checkRule(p.Accepted[i].Rule) { // the reconciliation's: ApplyToFindings
			res.Unused = append(res.Unused, p.Accepted[i])
		}
	}
}

// checkRule reports whether id is a rule of the DPN check (Catalogue);
// a policy also holds the reconciliation's (placement.* and
// position.no-placement), which only ApplyToFindings applies.
func checkRule(id string) bool {
	_, ok := severityOf[id]
	return ok
}

// applyVPD applies p to one VPD's findings (filtered in place) and
// statistics.
func applyVPD(v *VPDResult, p *Policy, idx acceptIndex, asOf time.Time, used []bool) {
	kept, accepted, expired, dropped := p.sortFindings(v.Findings, idx, asOf, used)
	v.Findings = kept
	v.AcceptedFindings = append(v.AcceptedFindings, accepted...)
	v.ExpiredFindings = append(v.ExpiredFindings, expired...)
	issuesTouched, dupAccepted := false, false
	for i := range dropped {
		issuesTouched = issuesTouched || isDPNIssue(dropped[i].Rule) || isNameIssue(dropped[i].Rule)
	}
	for _, a := range accepted {
		dupAccepted = dupAccepted || a.Rule == RuleDPNDuplicate
	}
	if issuesTouched {
		v.DPNIssues, v.PositionNameIssues = issueCounts(kept)
	}
	switch {
	case p.Off[RuleDPNDuplicate]:
		v.Duplicates = nil
	case dupAccepted:
		v.Duplicates = openDuplicates(v)
	}
	v.Stats = vpdStats(v.Stats, v.Duplicates, v.Findings)
	v.Stats.Accepted, v.Stats.ExpiredAcceptances = len(v.AcceptedFindings), len(v.ExpiredFindings)
}

// sortFindings applies p to fs (filtered in place): a rule switched off
// drops its findings, a severity set changes them, an unexpired acceptance
// moves a finding to accepted, an expired one keeps it (saying so) and
// lists it in expired too. dropped are the findings removed (off or
// accepted). used marks the acceptances that matched.
func (p *Policy) sortFindings(fs []Finding, idx acceptIndex, asOf time.Time, used []bool) (kept []Finding, accepted, expired []AcceptedFinding, dropped []Finding) {
	kept = fs[:0]
	for _, f := range fs {
		if p.Off[f.Rule] {
			dropped = append(dropped, f)
			continue
		}
		if sev, ok := p.Severities[f.Rule]; ok {
			f.Severity = sev
		}
		ai, isExpired := p.match(idx, &f, asOf)
		if ai < 0 {
			kept = append(kept, f)
			continue
		}
		used[ai] = true
		a := &p.Accepted[ai]
		af := AcceptedFinding{Finding: f, Reason: a.Reason, Who: a.Who, Until: a.Until, Expired: isExpired, Source: a.Source}
		if isExpired {
			f.Message += fmt.Sprintf(" (Its acceptance by %s expired on %s.)", a.Who, a.Until.Format(time.DateOnly))
			af.Message = f.Message
			expired = append(expired, af)
			kept = append(kept, f)
			continue
		}
		dropped = append(dropped, f)
		accepted = append(accepted, af)
	}
	clear(fs[len(kept):])
	return kept, accepted, expired, dropped
}

// ApplyToFindings applies p to a list of findings outside a DPN check (the
// reconciliation's placement findings) as ApplyPolicy does to a check's:
// it returns the findings kept (fs filtered in place), those accepted,
// those whose acceptance expired (also kept), the findings removed (off or
// accepted), and the acceptances naming a placement that matched none.
func ApplyToFindings(fs []Finding, p *Policy, asOf time.Time) (kept []Finding, accepted, expired []AcceptedFinding, dropped []Finding, unused []Acceptance) {
	if p.Empty() {
		return fs, nil, nil, nil, nil
	}
	used := make([]bool, len(p.Accepted))
	kept, accepted, expired, dropped = p.sortFindings(fs, p.index(), asOf, used)
	for i, u := range used {
		if !u && !checkRule(p.Accepted[i].Rule) { // the DPN check's: ApplyPolicy
			unused = append(unused, p.Accepted[i])
		}
	}
	return kept, accepted, expired, dropped, unused
}

// issueCounts counts the positions with a DPN issue and those with a
// position-name issue among findings, as Runner.Add does.
func issueCounts(findings []Finding) (dpn, name int) {
	dpnAt, nameAt := map[posAt]bool{}, map[posAt]bool{}
	for i := range findings {
		f := &findings[i]
		at := posAt{f.File, f.Row}
		if isDPNIssue(f.Rule) && !dpnAt[at] {
			dpnAt[at] = true
			dpn++
		}
		if isNameIssue(f.Rule) && !nameAt[at] {
			nameAt[at] = true
			name++
		}
	}
	return dpn, name
}

// openDuplicates keeps the duplicate groups of v with at least one
// position whose dpn.duplicate finding is still open (not accepted).
// Without positions (released) the groups are kept.
func openDuplicates(v *VPDResult) []DuplicateGroup {
	if len(v.Duplicates) == 0 || len(v.Positions) == 0 {
		return v.Duplicates
	}
	open := map[posAt]bool{}
	for i := range v.Findings {
		if f := &v.Findings[i]; f.Rule == RuleDPNDuplicate {
			open[posAt{f.File, f.Row}] = true
		}
	}
	var out []DuplicateGroup
	for _, g := range v.Duplicates {
		for _, pi := range g.Positions {
			if p := &v.Positions[pi]; open[posAt{p.File, p.Row}] {
				out = append(out, g)
				break
			}
		}
	}
	return out
}
