package checks

import (
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

// HostLeadAdvice is the advice for a DPN active in several VPDs when the
// trusts share the post as host and lead employer.
const HostLeadAdvice = "If one trust hosts the post and another is its lead employer, keep the DPN on exactly those two positions and set Host/Lead Employer Status on both (Host Employer on one, Lead Employer on the other)"

// crossVPDAdvice ends a dpn.cross-vpd message.
const crossVPDAdvice = "A DPN identifies one post nationally. " + HostLeadAdvice +
	"; otherwise check with the local office which organisation's position should carry it, and remove it where it does not belong."

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
