package checks

import (
	"strings"
	"testing"

	"dpnkit/internal/model"
)

func TestNameFormat(t *testing.T) {
	format := ruleSet(RuleNameParts, RuleNameNumber, RuleNameChars)
	tests := []struct {
		name   string
		format model.Format
		pname  string
		want   []string
		msg    string
	}{
		{"seed valid", model.FormatCSV, "84682|S.H.O. - ENT|023|Otolaryn", nil, ""},
		{"seed empty fourth part", model.FormatCSV, "84682|S.H.O. - ENT|023|", nil, ""},
		{"GO terminator is not a part", model.FormatGO, "3560241|Consultant|021|General Surgery|", nil, ""},
		{"GO name without terminator", model.FormatGO, "3560241|Consultant|021|General Surgery", nil, ""},
		{"same name in CSV has 5 parts", model.FormatCSV, "3560241|Consultant|021|General Surgery|", []string{RuleNameParts}, "has 5 parts"},
		{"same name in xlsx has 5 parts", model.FormatXLSX, "3560241|Consultant|021|General Surgery|", []string{RuleNameParts}, "has 5 parts"},
		{"GO strips only one terminator", model.FormatGO, "3560241|Consultant|021|General Surgery||", []string{RuleNameParts}, "not counting ESR's closing |"},
		{"three parts", model.FormatCSV, "84682|S.H.O.|023", []string{RuleNameParts}, "has 3 parts"},
		{"seed letters first", model.FormatCSV, "ABC|x|y|z", []string{RuleNameNumber}, `first part "ABC" is not a number`},
		{"space in number", model.FormatCSV, "84682 |x|y|z", []string{RuleNameNumber}, ""},
		{"empty number", model.FormatCSV, "|x|y|z", []string{RuleNameNumber}, ""},
		{"tab in number is a number fault only", model.FormatCSV, "8468\t2|x|y|z", []string{RuleNameNumber}, ""},
		{"empty name", model.FormatCSV, "", []string{RuleNameParts, RuleNameNumber}, ""},
		{"tab in part 2", model.FormatCSV, "84682|S.H.O.\t- ENT|023|Otolaryn", []string{RuleNameChars}, "tab (U+0009) at character 13"},
		{"line feed in part 4", model.FormatCSV, "84682|x|y|z\n", []string{RuleNameChars}, "line feed (U+000A) at character 12"},
		{"accent in part 2", model.FormatCSV, "84682|Caf\u00e9|y|z", []string{RuleNameChars}, "character U+00E9 at character 10"},
		{"brackets and dashes fine", model.FormatCSV, "1|Specialty Registrar (StR) - A, B|0|", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pos("84682", tt.pname, "KSS/A/1/2")
			p.Format = tt.format
			res := checkRules(t, []model.Position{p}, format, tt.want)
			if tt.msg == "" {
				return
			}
			for _, f := range res.Findings() {
				if format[f.Rule] && strings.Contains(f.Message, tt.msg) {
					if f.Value != tt.pname || f.Column != ColumnName {
						t.Errorf("finding value/column = %q/%q", f.Value, f.Column)
					}
					return
				}
			}
			t.Errorf("no name finding message contains %q", tt.msg)
		})
	}
}

func TestNameNumberMismatch(t *testing.T) {
	only := ruleSet(RuleNameNumberMismatch)
	tests := []struct {
		name, number, pname string
		format              model.Format
		want                []string
	}{
		{"matches", "84682", "84682|x|y|z", model.FormatCSV, nil},
		{"number with spaces matches", " 84682 ", "84682|x|y|z", model.FormatCSV, nil},
		{"different number", "84683", "84682|x|y|z", model.FormatCSV, []string{RuleNameNumberMismatch}},
		{"leading zero differs", "84682", "084682|x|y|z", model.FormatCSV, []string{RuleNameNumberMismatch}},
		{"not numeric: name.number's job", "84682", "ABC|x|y|z", model.FormatCSV, nil},
		{"GO name", "3560241", "3560241|Consultant|021|General Surgery|", model.FormatGO, nil},
		{"GO name, other number", "3560242", "3560241|Consultant|021|General Surgery|", model.FormatGO, []string{RuleNameNumberMismatch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pos(tt.number, tt.pname, "KSS/A/1/2")
			p.Format = tt.format
			checkRules(t, []model.Position{p}, only, tt.want)
		})
	}
}
