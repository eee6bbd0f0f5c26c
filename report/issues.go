package report

import (
	"strconv"
	"strings"

	"dpnkit/checks"
)

// describeBadChars makes invisible characters visible:
// "tab (U+0009) at character 18".
var describeBadChars = checks.DescribeBadChars

// dpnRules are the rules whose breach fills the DPN cell red.
var dpnRules = map[string]bool{
	checks.RuleDPNParts:     true,
	checks.RuleDPNPrefix:    true,
	checks.RuleDPNChars:     true,
	checks.RuleDPNEmptyPart: true,
	checks.RuleDPNDuplicate: true,
}

// nameRules are the rules whose breach fills the Position Name cell red.
var nameRules = map[string]bool{
	checks.RuleNameParts:  true,
	checks.RuleNameNumber: true,
	checks.RuleNameChars:  true,
}

// ruleWords says what a rule's breach means, in a few words, for the issue
// columns of the All DPN Positions tab.
var ruleWords = map[string]string{
	checks.RuleDPNParts:           "fewer than 4 parts",
	checks.RuleDPNPrefix:          "first part is not 3 characters",
	checks.RuleDPNChars:           "unreadable character",
	checks.RuleDPNEmptyPart:       "a part is empty",
	checks.RuleDPNDuplicate:       "duplicate DPN",
	checks.RuleNameParts:          "not exactly 4 parts",
	checks.RuleNameNumber:         "first part is not numeric",
	checks.RuleNameChars:          "unreadable character",
	checks.RuleDPNWhitespace:      "leading or trailing spaces",
	checks.RuleDPNLowercase:       "lower-case letters",
	checks.RuleDPNBodyMissing:     "Managing Deanery Body empty",
	checks.RuleBodyWithoutDPN:     "Managing Deanery Body without a DPN",
	checks.RuleDPNBodyMismatch:    "DPN prefix differs from Managing Deanery Body",
	checks.RuleDPNCrossVPD:        "DPN also active in another VPD",
	checks.RuleNameNumberMismatch: "name's number is not the position number",
	checks.RuleDPNNonMedical:      "staff group is not Medical and Dental",
	checks.RuleDPNInactive:        "end-dated position carries a DPN",
	checks.RuleInputDate:          "unreadable date",
	checks.RuleInputRepaired:      "record re-joined after a line break",
}

// posKey finds a position's findings: the file and row it was read from.
type posKey struct {
	file string
	row  int
}

// positionIssues is what the All DPN Positions tab says about one position.
type positionIssues struct {
	dpnBad, nameBad           bool
	dpn, name, warnings       string
	dpnParts, nameParts, warn []string
}

// issueIndex gathers, for every position of v, the words of its findings.
func issueIndex(v *checks.VPDResult) map[posKey]*positionIssues {
	// Each position's duplicate group: its words are made from the group's
	// first members, so a group of any size costs linear time and memory.
	dupGroup := map[int]int{}
	for gi, g := range v.Duplicates {
		for _, i := range g.Positions {
			dupGroup[i] = gi
		}
	}
	byKey := map[posKey]int{}
	for i := range v.Positions {
		p := &v.Positions[i]
		k := posKey{p.File, p.Row}
		if _, ok := byKey[k]; !ok {
			byKey[k] = i
		}
	}
	out := map[posKey]*positionIssues{}
	seen := map[posKey]map[string]bool{}
	for _, f := range v.Findings {
		k := posKey{f.File, f.Row}
		pi, ok := byKey[k]
		if !ok {
			continue
		}
		p := &v.Positions[pi]
		iss := out[k]
		if iss == nil {
			iss = &positionIssues{}
			out[k] = iss
			seen[k] = map[string]bool{}
		}
		if seen[k][f.Rule+"\x00"+f.Column] {
			continue // one mention per rule and column is enough
		}
		seen[k][f.Rule+"\x00"+f.Column] = true
		words := ruleWords[f.Rule]
		if words == "" {
			words = f.Message
		}
		switch {
		case dpnRules[f.Rule]:
			iss.dpnBad = true
			switch f.Rule {
			case checks.RuleDPNChars:
				if d := describeBadChars(p.DPN); len(d) > 0 {
					words = strings.Join(d, "; ")
				}
			case checks.RuleDPNDuplicate:
				if gi, ok := dupGroup[pi]; ok {
					words = duplicateWords(v, v.Duplicates[gi].Positions, pi)
				}
			}
			iss.dpnParts = append(iss.dpnParts, words)
		case nameRules[f.Rule]:
			iss.nameBad = true
			if f.Rule == checks.RuleNameChars {
				if d := describeBadChars(p.Name); len(d) > 0 {
					words = strings.Join(d, "; ")
				}
			}
			iss.nameParts = append(iss.nameParts, words)
		default:
			if f.Rule == checks.RuleInputDate && f.Column != "" {
				words += " in " + f.Column
			}
			iss.warn = append(iss.warn, words)
		}
	}
	for _, iss := range out {
		iss.dpn = strings.Join(iss.dpnParts, "; ")
		iss.name = strings.Join(iss.nameParts, "; ")
		iss.warnings = strings.Join(iss.warn, "; ")
	}
	return out
}

// listedDuplicates is how many other members of its duplicate group a
// position's issue text names; the rest are counted (the Duplicate DPN tab
// lists every member).
const listedDuplicates = 3

// duplicateWords is "duplicate of 2, 3 and 4", or "duplicate of 2, 3, 4
// and 9,996 more" for a bigger group: position self's words in the issue
// column, made from group's first members whatever its size.
func duplicateWords(v *checks.VPDResult, group []int, self int) string {
	others := len(group) - 1 // group holds self
	var names []string
	for _, j := range group {
		if len(names) == listedDuplicates {
			break
		}
		if j != self && j >= 0 && j < len(v.Positions) {
			names = append(names, clipRunes(v.Positions[j].Number, 40))
		}
	}
	switch {
	case len(names) == 0:
		return ruleWords[checks.RuleDPNDuplicate]
	case others > len(names):
		return "duplicate of " + strings.Join(names, ", ") + " and " + thousands(others-len(names)) + " more"
	case len(names) == 1:
		return "duplicate of " + names[0]
	}
	return "duplicate of " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// thousands writes n with comma thousands separators: 9,996.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
