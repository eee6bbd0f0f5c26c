package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"dpnkit/checks"
	"dpnkit/internal/model"
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

// positionIssues is what the All DPN Positions tab says about one position.
type positionIssues struct {
	dpnBad, nameBad     bool
	dpn, name, warnings string // words of its findings, "; " between them
}

// addWords appends words to *s, "; " between.
func addWords(s *string, words string) {
	if *s == "" {
		*s = words
	} else {
		*s += "; " + words
	}
}

// issueTable finds the findings of each position of one VPD, to say them in
// words row by row: the findings' indexes ordered by position (number,
// file, row, as VPDResult.Positions is) and where each position's run of
// them starts. It holds two integers per position and per finding, and
// no text: a row's words are made when the row is written.
type issueTable struct {
	v     *checks.VPDResult
	order []int32 // indexes into v.Findings, by position
	start []int32 // position i's findings are order[start[i]:start[i+1]]
	dup   []string
}

// issueIndex builds the issueTable of v. A finding is a position's when it
// has the position's number and was read from its file and row.
func issueIndex(v *checks.VPDResult) *issueTable {
	t := &issueTable{v: v, start: make([]int32, len(v.Positions)+1), dup: duplicateWordsByPosition(v)}
	key := func(f *checks.Finding) posKey { return posKey{f.PositionNumber, f.File, f.Row} }
	order := make([]int32, 0, len(v.Findings))
	for i := range v.Findings {
		order = append(order, int32(i))
	}
	slices.SortStableFunc(order, func(a, b int32) int { return key(&v.Findings[a]).compare(key(&v.Findings[b])) })
	// Merge: both lists ascend by (number, file, row).
	fi := 0
	for pi := range v.Positions {
		p := &v.Positions[pi]
		pk := posKey{p.Number, p.File, p.Row}
		for fi < len(order) && key(&v.Findings[order[fi]]).compare(pk) < 0 {
			fi++ // a finding of no kept position
		}
		t.start[pi] = int32(len(t.order))
		for fi < len(order) && key(&v.Findings[order[fi]]).compare(pk) == 0 {
			t.order = append(t.order, order[fi])
			fi++
		}
	}
	t.start[len(v.Positions)] = int32(len(t.order))
	return t
}

// posKey is what joins a finding to its position.
type posKey struct {
	number, file string
	row          int
}

func (a posKey) compare(b posKey) int {
	return cmp.Or(strings.Compare(a.number, b.number), strings.Compare(a.file, b.file), cmp.Compare(a.row, b.row))
}

// of returns the words of position i's findings, one mention per rule and
// column.
func (t *issueTable) of(i int) positionIssues {
	var iss positionIssues
	v := t.v
	p := &v.Positions[i]
	fs := t.order[t.start[i]:t.start[i+1]]
	for k, fi := range fs {
		f := &v.Findings[fi]
		if mentioned(v.Findings, fs[:k], f) {
			continue // one mention per rule and column is enough
		}
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
				if t.dup[i] != "" {
					words = t.dup[i]
				}
			}
			addWords(&iss.dpn, words)
		case nameRules[f.Rule]:
			iss.nameBad = true
			if f.Rule == checks.RuleNameChars {
				if d := describeBadChars(p.Name); len(d) > 0 {
					words = strings.Join(d, "; ")
				}
			}
			addWords(&iss.name, words)
		default:
			if f.Rule == checks.RuleInputDate && f.Column != "" {
				words += " in " + f.Column
			}
			if checks.BlocksGoLive(f.Severity) {
				words += " (blocks go-live)"
			}
			addWords(&iss.warnings, words)
		}
	}
	return iss
}

// mentioned reports whether one of the findings before (indexes into all)
// has f's rule and column.
func mentioned(all []checks.Finding, before []int32, f *checks.Finding) bool {
	for _, j := range before {
		if all[j].Rule == f.Rule && all[j].Column == f.Column {
			return true
		}
	}
	return false
}

// duplicateWordsByPosition is, by index into v.Positions, the issue words
// of each member of a duplicate group ("" for other positions). Members
// after the first listedDuplicates name the same others and share one
// string, so a group of any size costs linear time and memory.
func duplicateWordsByPosition(v *checks.VPDResult) []string {
	out := make([]string, len(v.Positions))
	for _, g := range v.Duplicates {
		shared := ""
		for k, i := range g.Positions {
			if i < 0 || i >= len(out) {
				continue
			}
			if k < listedDuplicates || shared == "" {
				out[i] = duplicateWords(v, g.Positions, i)
				if k >= listedDuplicates {
					shared = out[i]
				}
				continue
			}
			out[i] = shared
		}
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
			names = append(names, model.Clip(v.Positions[j].Number, 40))
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
