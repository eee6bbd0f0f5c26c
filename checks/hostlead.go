package checks

import (
	"fmt"

	"dpnkit/internal/model"
)

// HostLeadRole is what a position's Host/Lead Employer Status says of it.
type HostLeadRole uint8

// The roles a Host/Lead Employer Status can give.
const (
	RoleNone HostLeadRole = iota // empty, or neither or both words
	RoleHost                     // Host Employer
	RoleLead                     // Lead Employer
)

// HostLeadRoleOf reads a Host/Lead Employer Status (the GO POA record's
// field, the tabular column or a POR hostLeadIndicator): RoleHost when it
// names the host and not the lead ("Host Employer", "host"), RoleLead the
// other way round, else RoleNone (empty, or a value such as "Host/Lead"
// that names both). Case is ignored.
func HostLeadRoleOf(status string) HostLeadRole {
	host, lead := containsFold(status, "host"), containsFold(status, "lead")
	switch {
	case host && !lead:
		return RoleHost
	case lead && !host:
		return RoleLead
	}
	return RoleNone
}

// IsHostLeadPair is the host/lead employer pair test on two positions
// that carry one DPN, given their VPDs and roles: the positions are in
// different VPDs, one is marked host and the other lead employer. Such a
// pair is one post with two positions (HEE's "Post sharing and
// quarantine": "separate positions for host and lead employer"), not a
// DPN on two posts.
func IsHostLeadPair(vpdA string, roleA HostLeadRole, vpdB string, roleB HostLeadRole) bool {
	return vpdA != vpdB && roleA != RoleNone && roleB != RoleNone && roleA != roleB
}

// HostLeadPair reports whether ps, every active position carrying one
// normalised DPN, are a host/lead employer pair: exactly two positions
// that pass IsHostLeadPair. Anything else (one host and two leads, two
// hosts, a marked and an unmarked position, a pair within one VPD) is not
// a pair: the DPN stays on several posts.
func HostLeadPair(ps []*model.Position) bool {
	return len(ps) == 2 &&
		IsHostLeadPair(ps[0].VPD, HostLeadRoleOf(ps[0].HostLead), ps[1].VPD, HostLeadRoleOf(ps[1].HostLead))
}

// hostLeadPairDPNs returns the normalised DPNs of set that are carried by
// a host/lead employer pair. vpds maps each normalised DPN to the VPDs it
// is active in (crossVPD's map): only DPNs in exactly two VPDs are looked
// at, so the cost is one map look-up per position.
func hostLeadPairDPNs(set *Set, vpds map[string][]string) map[string]bool {
	type seen struct {
		n     int // positions carrying the DPN
		first *model.Position
		pair  bool // the first two are a pair
	}
	var cand map[string]*seen
	for vi := range set.VPDs {
		v := &set.VPDs[vi]
		for i, n := range v.Normal {
			if len(vpds[n]) != 2 {
				continue
			}
			if cand == nil {
				cand = make(map[string]*seen)
			}
			s := cand[n]
			if s == nil {
				s = &seen{}
				cand[n] = s
			}
			p := &v.Positions[i]
			s.n++
			switch s.n {
			case 1:
				s.first = p
			case 2:
				s.pair = IsHostLeadPair(s.first.VPD, HostLeadRoleOf(s.first.HostLead), p.VPD, HostLeadRoleOf(p.HostLead))
			}
		}
	}
	var out map[string]bool
	for n, s := range cand {
		if s.n == 2 && s.pair {
			if out == nil {
				out = make(map[string]bool)
			}
			out[n] = true
		}
	}
	return out
}

// hostLeadIf is the advice for a DPN active in several VPDs when the
// trusts share the post as host and lead employer.
const hostLeadIf = "If one trust hosts the post and another is its lead employer, keep the DPN on exactly those two positions and set Host/Lead Employer Status on both (Host Employer on one, Lead Employer on the other)"

// crossVPDAdvice ends a dpn.cross-vpd message.
const crossVPDAdvice = "A DPN identifies one post nationally. " + hostLeadIf +
	"; otherwise check with the local office which organisation's position should carry it, and remove it where it does not belong."

// manyPositionsAdvice ends a placement.many-positions message, and
// manyPositionsIssue the Issue's sentence: when the positions are in more
// than one VPD, how to mark a post shared by a host and a lead employer;
// always, to keep the DPN on one position otherwise.
func manyPositionsAdvice(ps []*model.Position) string {
	if inSeveralVPDs(ps) {
		return hostLeadIf + "; otherwise keep the DPN on one position in ESR."
	}
	return "Keep the DPN on one position in ESR."
}

func manyPositionsIssue(ps []*model.Position) string {
	if inSeveralVPDs(ps) {
		return "If the trusts are host and lead employer, set Host/Lead Employer Status on both positions; otherwise keep the DPN on one position only."
	}
	return "Keep the DPN on one position only."
}

func inSeveralVPDs(ps []*model.Position) bool {
	for _, p := range ps[1:] {
		if p.VPD != ps[0].VPD {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains sub, a lower-case ASCII word,
// ignoring the case of ASCII letters.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// bucketRecords counts the applicant records the placements of a bucket
// group (indexes into items) make: one per matched position, so two for
// each placement on a host/lead employer pair. pair says whether the
// group's post is such a pair.
func bucketRecords(items []*recItem, group []int32) (records int, pair bool) {
	for _, i := range group {
		records += len(items[i].positions)
	}
	return records, len(group) > 0 && len(items[group[0]].positions) == 2
}

// bucketTexts are a bucket post's finding message, its placements' export
// reason (late) and Issue sentence, and the records counted.
type bucketTexts struct {
	message, late, issue string
	records              int
}

// bucketTextsOf words the placement.bucket finding of g, whose APP file is
// described by file ("managing deanery X").
func bucketTextsOf(items []*recItem, g bucketGroup, file string) bucketTexts {
	n := len(g.items)
	records, pair := bucketRecords(items, g.items)
	k := g.key
	t := bucketTexts{records: records}
	if !pair {
		t.message = fmt.Sprintf(
			"%d applicants for %s (VPD %s, DPN %s) start inside the transfer window and would go in one APP file for %s: more than %d, so ESR quarantines the whole file and sends no confirmations for any applicant in it. Use single-occupancy positions: one ESR position per trainee.",
			n, positionRef(k.pos), k.pos.VPD, npnText(k.pos.DPN), file, MaxApplicantsPerPost)
		t.late = fmt.Sprintf("post has %d applicants in one file (over %d): ESR quarantines the whole file", n, MaxApplicantsPerPost)
		t.issue = fmt.Sprintf("Post has %d applicants in one file (over %d): ESR quarantines the whole file.", n, MaxApplicantsPerPost)
		return t
	}
	ps := items[g.items[0]].positions
	t.message = fmt.Sprintf(
		"%d applicants for the host/lead employer post %s (%s) start inside the transfer window; with a record for each position, %d applicant records would go in one APP file for %s: more than %d, so ESR quarantines the whole file and sends no confirmations for any applicant in it. Use single-occupancy posts: one post per trainee.",
		n, npnText(k.pos.DPN), positionList(ps), records, file, MaxApplicantsPerPost)
	t.late = fmt.Sprintf("post has %d applicant records in one file (%d applicants, host and lead employer; over %d): ESR quarantines the whole file",
		records, n, MaxApplicantsPerPost)
	t.issue = fmt.Sprintf("Post has %d applicant records in one file (%d applicants, a record each for host and lead employer; over %d): ESR quarantines the whole file.",
		records, n, MaxApplicantsPerPost)
	return t
}
