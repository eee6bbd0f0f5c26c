package checks

import (
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

func TestDPNFormat(t *testing.T) {
	format := ruleSet(RuleDPNParts, RuleDPNPrefix, RuleDPNChars, RuleDPNEmptyPart)
	tests := []struct {
		name string
		dpn  string
		want []string
		msg  string // the dpn.chars or first finding's message must contain this
	}{
		{"seed empty middle part", "MER//123/123", []string{RuleDPNEmptyPart}, `"MER//123/123" has an empty part (part 2 of 4)`},
		{"seed valid WAL", "WAL/1D9PL/527/TYU/987", nil, ""},
		{"seed valid brackets", "KSS/RJZ01/030/STR(H)/001", nil, ""},
		{"seed valid six parts", "NTH/RTD01/007/STR/001/M", nil, ""},
		{"seed valid EOE", "EOE/RGT00/021/FY1/010", nil, ""},
		{"commas and brackets fine", "KSS/A,B/(1)/2", nil, ""},
		{"trailing slash", "KSS/A/1/2/", []string{RuleDPNEmptyPart}, "an empty part (part 5 of 5)"},
		{"part of only spaces", "KSS/ /1/2", []string{RuleDPNEmptyPart}, "(part 2 of 4)"},
		{"two empty parts", "KSS//1//2", []string{RuleDPNEmptyPart}, "empty parts (parts 2 and 4 of 5)"},
		{"tab", "KSS/RJZ01/030\tSTR/001", []string{RuleDPNChars}, "tab (U+0009) at character 14"},
		{"non-breaking space", "KSS/RJZ01\u00a0/030/STR/001", []string{RuleDPNChars}, "non-breaking space (U+00A0) at character 10"},
		{"en dash", "KSS/RJZ01/030/STR\u2013H/001", []string{RuleDPNChars}, "en dash (U+2013) at character 18"},
		{"trailing line feed", "KSS/A/1/2\n", []string{RuleDPNChars}, "line feed (U+000A) at character 10"},
		{"accented prefix is 3 characters", "\u00c9OE/A/1/2", []string{RuleDPNChars}, "character U+00C9 at character 1"},
		{"three parts", "KSS/RJZ01/030", []string{RuleDPNParts}, "DPN has 3 parts"},
		{"one part", "KSS", []string{RuleDPNParts}, "DPN has 1 part;"},
		{"short prefix", "KS/A/1/2", []string{RuleDPNPrefix}, `first part "KS" has 2 characters`},
		{"long prefix", "KSSX/A/1/2", []string{RuleDPNPrefix}, "has 4 characters"},
		{"empty prefix", "/A/B/C", []string{RuleDPNPrefix, RuleDPNEmptyPart}, ""},
		{"few parts and an empty one", "KSS//1", []string{RuleDPNParts, RuleDPNEmptyPart}, ""},
		// Only U+0020 is trimmed before splitting: a leading tab is part of the prefix.
		{"leading tab", "\tKSS/A/1/2", []string{RuleDPNPrefix, RuleDPNChars}, "tab (U+0009) at character 1"},
		{"surrounding spaces pass", "  KSS/A/1/2 ", nil, ""},
		{"lower case passes", "kss/a/1/2", nil, ""},
		{"lone non-breaking space is a DPN", "\u00a0", []string{RuleDPNParts, RuleDPNPrefix, RuleDPNChars}, ""},
		{"white space only is no DPN", " \t\r\n ", nil, ""},
		{"empty is no DPN", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checkRules(t, []model.Position{pos("10000016", "10000016|x|y|z", tt.dpn)}, format, tt.want)
			fs := res.Findings()
			if tt.msg == "" {
				return
			}
			for _, f := range fs {
				if format[f.Rule] && strings.Contains(f.Message, tt.msg) {
					if f.Value != tt.dpn || f.Column != ColumnDPN || f.PositionNumber != "10000016" || f.VPD != "504" {
						t.Errorf("finding fields = %+v", f)
					}
					if !strings.Contains(f.Message, "position 10000016") {
						t.Errorf("message %q does not name the position", f.Message)
					}
					return
				}
			}
			t.Errorf("no DPN format finding message contains %q", tt.msg)
		})
	}
}

func TestDPNRulesOnlyForActivePositions(t *testing.T) {
	format := ruleSet(RuleDPNParts, RuleDPNPrefix, RuleDPNChars, RuleDPNEmptyPart,
		RuleNameParts, RuleNameNumber, RuleNameChars, RuleDPNInactive)
	day := 24 * time.Hour
	tests := []struct {
		name string
		edit func(p *model.Position)
		want []string
	}{
		{"open-ended", func(p *model.Position) {}, []string{RuleDPNParts, RuleNameNumber}},
		{"end-dated on the as-of date is active", func(p *model.Position) { p.EffectiveTo = asOf }, []string{RuleDPNParts, RuleNameNumber}},
		{"end-dated the day before", func(p *model.Position) { p.EffectiveTo = asOf.Add(-day) }, []string{RuleDPNInactive}},
		{"eliminated", func(p *model.Position) { p.HiringStatus = "Eliminated" }, []string{RuleDPNInactive}},
		{"deleted, any case", func(p *model.Position) { p.HiringStatus = " DELETED " }, []string{RuleDPNInactive}},
		{"future-dated is active", func(p *model.Position) {
			p.EffectiveFrom = asOf.Add(300 * day)
			p.EffectiveTo = asOf.Add(600 * day)
		}, []string{RuleDPNParts, RuleNameNumber}},
		{"frozen status is active", func(p *model.Position) { p.HiringStatus = "Frozen" }, []string{RuleDPNParts, RuleNameNumber}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pos("1", "X|y|z|w", "KSS/A")
			tt.edit(&p)
			checkRules(t, []model.Position{p}, format, tt.want)
		})
	}
}
