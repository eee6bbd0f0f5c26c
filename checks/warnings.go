package checks

import (
	"fmt"
	"sort"
	"strings"

	"dpnkit/internal/model"
)

// dpnStyle reports DPNs that pass the format rules but will not match the
// TIS National Post Number exactly: dpn.whitespace (leading or trailing
// U+0020) and dpn.lowercase (any of a-z).
type dpnStyle struct{}

func (dpnStyle) Rules() []string { return []string{RuleDPNWhitespace, RuleDPNLowercase} }

func (dpnStyle) CheckPosition(s *Subject, out []Finding) []Finding {
	if !s.InScope() {
		return out
	}
	p := s.P
	if len(s.DPN) != len(p.DPN) {
		var where string
		switch lead, trail := p.DPN[0] == ' ', p.DPN[len(p.DPN)-1] == ' '; {
		case lead && trail:
			where = "leading and trailing spaces"
		case lead:
			where = "leading spaces"
		default:
			where = "trailing spaces"
		}
		out = append(out, newFinding(RuleDPNWhitespace, p, ColumnDPN, p.DPN, fmt.Sprintf(
			"DPN %q has %s; it passes the format rules but will not match the TIS National Post Number exactly. Remove the spaces from the Deanery Post Number on %s.",
			p.DPN, where, model.PositionRef(p))))
	}
	if hasLowerASCII(p.DPN) {
		out = append(out, newFinding(RuleDPNLowercase, p, ColumnDPN, p.DPN, fmt.Sprintf(
			"DPN %q contains lower-case letters; TIS National Post Numbers are upper case (%q). Change the Deanery Post Number on %s to upper case.",
			p.DPN, strings.ToUpper(s.DPN), model.PositionRef(p))))
	}
	return out
}

// hasLowerASCII reports whether s contains any of a-z.
func hasLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return true
		}
	}
	return false
}

// bodyPresence reports dpn.body-missing (an active DPN position with no
// Managing Deanery Body) and body.without-dpn (an active position with a
// Managing Deanery Body and no DPN).
type bodyPresence struct{}

func (bodyPresence) Rules() []string { return []string{RuleDPNBodyMissing, RuleBodyWithoutDPN} }

func (bodyPresence) CheckPosition(s *Subject, out []Finding) []Finding {
	if !s.Active {
		return out
	}
	p := s.P
	body := model.TrimWhite(p.ManagingBody)
	switch {
	case s.HasDPN && body == "":
		out = append(out, newFinding(RuleDPNBodyMissing, p, ColumnBody, p.ManagingBody, fmt.Sprintf(
			"%s carries DPN %q but its Managing Deanery Body is empty. Set the Managing Deanery Body to the local office that manages the post (the DPN's prefix says %s).",
			model.Capitalise(model.PositionRef(p)), s.DPN, dpnPrefix(s.DPN))))
	case !s.HasDPN && body != "":
		out = append(out, newFinding(RuleBodyWithoutDPN, p, ColumnBody, p.ManagingBody, fmt.Sprintf(
			"%s has Managing Deanery Body %q but no DPN. Positions that are not training posts must not have the DPN or Managing Deanery Body populated: clear the Managing Deanery Body, or add the DPN if this is a training post.",
			model.Capitalise(model.PositionRef(p)), p.ManagingBody)))
	}
	return out
}

// dpnPrefix is the upper-cased first "/" part of a trimmed DPN.
func dpnPrefix(d string) string {
	first, _, _ := strings.Cut(d, "/")
	return strings.ToUpper(first)
}

// bodyMismatch reports dpn.body-mismatch: the DPN's prefix is not the code
// of the Managing Deanery Body. A body given as a name is mapped to its code
// with set.LocalOffices (model.LocalOffices.Code); a body dpnkit does not know is reported once per
// VPD and value, on its first position by file and row, with a count. It is
// a SetCheck only for that once-per-VPD finding.
type bodyMismatch struct{}

func (bodyMismatch) Rules() []string { return []string{RuleDPNBodyMismatch} }

func (bodyMismatch) CheckSet(set *Set) []Finding {
	var out []Finding
	type unknownBody struct {
		count int
		first int // index of the first position by file, row
	}
	for vi := range set.VPDs {
		v := &set.VPDs[vi]
		var unknown map[string]*unknownBody
		for i := range v.Positions {
			p := &v.Positions[i]
			body := model.TrimWhite(p.ManagingBody)
			if body == "" {
				continue
			}
			prefix := dpnPrefix(strings.Trim(p.DPN, " "))
			upper := strings.ToUpper(body)
			if upper == prefix {
				continue
			}
			if code, ok := set.LocalOffices.Code(body); ok {
				if code == prefix {
					continue
				}
				what := fmt.Sprintf("is %s", code)
				if upper != code {
					what = fmt.Sprintf("%q is %s", body, code)
				}
				out = append(out, newFinding(RuleDPNBodyMismatch, p, ColumnBody, p.ManagingBody, fmt.Sprintf(
					"DPN %q starts with %q but the Managing Deanery Body %s. Check which local office manages the post and correct the DPN or the Managing Deanery Body on %s.",
					strings.Trim(p.DPN, " "), prefix, what, model.PositionRef(p))))
				continue
			}
			if unknown == nil {
				unknown = make(map[string]*unknownBody)
			}
			u := unknown[upper]
			if u == nil {
				u = &unknownBody{first: i}
				unknown[upper] = u
			}
			u.count++
			if f := &v.Positions[u.first]; p.File < f.File || (p.File == f.File && p.Row < f.Row) {
				u.first = i
			}
		}
		keys := make([]string, 0, len(unknown))
		for k := range unknown {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			u := unknown[k]
			p := &v.Positions[u.first]
			out = append(out, newFinding(RuleDPNBodyMismatch, p, ColumnBody, p.ManagingBody, fmt.Sprintf(
				"Managing Deanery Body %q is not a local office dpnkit knows, so it cannot be compared with the DPN prefix; %s in VPD %s %s it (this is the first, DPN %q). Use the local office's code (e.g. KSS) or name (e.g. Wales), or add the name with --local-offices.",
				model.TrimWhite(p.ManagingBody), plural(u.count, "active DPN position"), v.VPD, hasHave(u.count), strings.Trim(p.DPN, " "))))
		}
	}
	return out
}

// hasHave is "has" for one, "have" otherwise.
func hasHave(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

// nameNumberMismatch reports name.number-mismatch: the position name's
// first part is numeric but is not the position number.
type nameNumberMismatch struct{}

func (nameNumberMismatch) Rules() []string { return []string{RuleNameNumberMismatch} }

func (nameNumberMismatch) CheckPosition(s *Subject, out []Finding) []Finding {
	if !s.InScope() {
		return out
	}
	p := s.P
	first, _, _ := strings.Cut(splitName(p), "|")
	if allDigits(first) && first != model.TrimWhite(p.Number) {
		out = append(out, newFinding(RuleNameNumberMismatch, p, ColumnName, p.Name, fmt.Sprintf(
			"Position name starts with %s but the position number is %q. Correct the Position Name so its first part is the position number.",
			first, model.TrimWhite(p.Number))))
	}
	return out
}

// nonMedical reports dpn.non-medical: a DPN on a position whose staff group
// is given and is not Medical and Dental.
type nonMedical struct{}

func (nonMedical) Rules() []string { return []string{RuleDPNNonMedical} }

func (nonMedical) CheckPosition(s *Subject, out []Finding) []Finding {
	if !s.InScope() {
		return out
	}
	p := s.P
	if g := model.TrimWhite(p.StaffGroup); g != "" && !strings.EqualFold(g, "Medical and Dental") {
		out = append(out, newFinding(RuleDPNNonMedical, p, ColumnStaffGroup, p.StaffGroup, fmt.Sprintf(
			"%s carries DPN %q but its staff group is %q, not Medical and Dental. If this is not a doctor-in-training post, remove the DPN and Managing Deanery Body.",
			model.Capitalise(model.PositionRef(p)), s.DPN, g)))
	}
	return out
}

// inactive reports dpn.inactive: a position that is not active on the as-of
// date (end-dated, eliminated or deleted) and still carries a DPN.
type inactive struct{}

func (inactive) Rules() []string { return []string{RuleDPNInactive} }

func (inactive) CheckPosition(s *Subject, out []Finding) []Finding {
	if s.Active || !s.HasDPN {
		return out
	}
	p := s.P
	why := "is end-dated (" + p.EffectiveTo.Format("2 January 2006") + ")"
	if st := strings.TrimSpace(p.HiringStatus); strings.EqualFold(st, "Eliminated") || strings.EqualFold(st, "Deleted") {
		why = "has hiring status " + st
	}
	return append(out, newFinding(RuleDPNInactive, p, ColumnDPN, p.DPN, fmt.Sprintf(
		"%s %s but still carries DPN %q. It will not transfer to TIS; nothing to do unless the post should still be active.",
		model.Capitalise(model.PositionRef(p)), why, model.TrimWhite(p.DPN))))
}
