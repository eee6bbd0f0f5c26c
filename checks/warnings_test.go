package checks

import (
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

func TestDPNStyle(t *testing.T) {
	tests := []struct {
		dpn  string
		want []string
		msg  string
	}{
		{"KSS/A/1/2", nil, ""},
		{" KSS/A/1/2", []string{RuleDPNWhitespace}, "leading spaces"},
		{"KSS/A/1/2 ", []string{RuleDPNWhitespace}, "trailing spaces"},
		{"  KSS/A/1/2  ", []string{RuleDPNWhitespace}, "leading and trailing spaces"},
		{"KSS/A/1/2\t", nil, ""}, // a tab is dpn.chars, not a space
		{"KSS/A /1/2", nil, ""},  // inner spaces are not surrounding
		{"kss/a/1/2", []string{RuleDPNLowercase}, `upper case ("KSS/A/1/2")`},
		{"KSS/RJZ01/030/STR(H)/001", nil, ""},
		{"KSS/\u00e9/1/2", nil, ""}, // é is not a-z
		{" KSS/a/1/2", []string{RuleDPNWhitespace, RuleDPNLowercase}, ""},
	}
	for _, tt := range tests {
		res := checkRules(t, []model.Position{pos("7", "7|x|y|z", tt.dpn)}, ruleSet(RuleDPNWhitespace, RuleDPNLowercase), tt.want)
		if tt.msg != "" && !strings.Contains(res.Findings()[0].Message, tt.msg) {
			t.Errorf("%q: message %q does not contain %q", tt.dpn, res.Findings()[0].Message, tt.msg)
		}
	}
	// Out of scope: an end-dated position.
	p := pos("7", "7|x|y|z", " kss/a/1/2")
	p.EffectiveTo = asOf.Add(-time.Hour)
	checkRules(t, []model.Position{p}, ruleSet(RuleDPNWhitespace, RuleDPNLowercase), nil)
}

func TestBodyPresence(t *testing.T) {
	tests := []struct {
		name     string
		dpn      string
		body     string
		inactive bool
		want     []string
	}{
		{"DPN and body", "KSS/A/1/2", "KSS", false, nil},
		{"DPN, empty body", "KSS/A/1/2", "", false, []string{RuleDPNBodyMissing}},
		{"DPN, blank body", "KSS/A/1/2", " \t\n", false, []string{RuleDPNBodyMissing}},
		{"inactive DPN, empty body", "KSS/A/1/2", "", true, nil},
		{"no DPN, no body", "", "", false, nil},
		{"no DPN, body", "", "KSS", false, []string{RuleBodyWithoutDPN}},
		{"blank DPN, body", " \t ", "Wales", false, []string{RuleBodyWithoutDPN}},
		{"no DPN, blank body", "", "  ", false, nil},
		{"inactive, no DPN, body", "", "KSS", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pos("7", "7|x|y|z", tt.dpn)
			p.ManagingBody = tt.body
			if tt.inactive {
				p.HiringStatus = "Eliminated"
			}
			res := checkRules(t, []model.Position{p}, ruleSet(RuleDPNBodyMissing, RuleBodyWithoutDPN), tt.want)
			for _, f := range res.Findings() {
				if f.Rule == RuleDPNInactive {
					continue
				}
				if f.Column != ColumnBody || f.Value != tt.body {
					t.Errorf("column/value = %q/%q, want %q/%q", f.Column, f.Value, ColumnBody, tt.body)
				}
			}
		})
	}
}

func TestBodyMismatch(t *testing.T) {
	only := ruleSet(RuleDPNBodyMismatch)
	tests := []struct {
		name, dpn, body string
		want            []string
		msg             string
	}{
		{"code", "KSS/A/1/2", "KSS", nil, ""},
		{"code lower case", "KSS/A/1/2", "kss", nil, ""},
		{"lower-case prefix", "kss/A/1/2", "KSS", nil, ""},
		{"code with white space", "KSS/A/1/2", " KSS\t", nil, ""},
		{"short name", "KSS/A/1/2", "Kent, Surrey and Sussex", nil, ""},
		{"full name", "KSS/A/1/2", "Health Education England Kent, Surrey and Sussex", nil, ""},
		{"Wales by name", "WAL/1D9PL/527/TYU/987", "Wales", nil, ""},
		{"Wales for a KSS DPN", "KSS/A/1/2", "Wales", []string{RuleDPNBodyMismatch}, `"Wales" is WAL`},
		{"other code", "KSS/A/1/2", "EOE", []string{RuleDPNBodyMismatch}, `starts with "KSS" but the Managing Deanery Body is EOE`},
		{"unknown body", "KSS/A/1/2", "Nowhere", []string{RuleDPNBodyMismatch}, "1 active DPN position in VPD 504 has it"},
		{"unknown code equal to prefix", "XYZ/A/1/2", "xyz", nil, ""},
		{"empty body is body-missing's", "KSS/A/1/2", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pos("7", "7|x|y|z", tt.dpn)
			p.ManagingBody = tt.body
			res := checkRules(t, []model.Position{p}, only, tt.want)
			if tt.msg != "" {
				f := findingsOf(res, RuleDPNBodyMismatch)[0]
				if !strings.Contains(f.Message, tt.msg) || f.Value != tt.body || f.Column != ColumnBody {
					t.Errorf("finding %+v; want message containing %q", f, tt.msg)
				}
			}
		})
	}
}

func TestBodyMismatchUnknownOncePerVPD(t *testing.T) {
	mk := func(vpd, num, body, file string, row int) model.Position {
		p := pos(num, num+"|x|y|z", "KSS/"+num+"/1/2")
		p.VPD, p.ManagingBody, p.File, p.Row = vpd, body, file, row
		return p
	}
	ps := []model.Position{
		mk("504", "1", "Nowhere", "b.csv", 2),
		mk("504", "2", "NOWHERE", "a.csv", 9),
		mk("504", "3", "nowhere ", "a.csv", 5), // first by file, row
		mk("504", "4", "Elsewhere", "a.csv", 3),
		mk("504", "5", "EOE", "a.csv", 4), // known: its own finding
		mk("505", "6", "Nowhere", "c.csv", 7),
	}
	inactive := mk("504", "8", "Nowhere", "a.csv", 1)
	inactive.HiringStatus = "Deleted"
	ps = append(ps, inactive)
	res := checkAll(ps, nil, opts)
	got := map[string]string{}
	for _, f := range findingsOf(res, RuleDPNBodyMismatch) {
		got[f.VPD+"/"+f.PositionNumber] = f.Message
	}
	want := map[string]string{
		"504/3": "3 active DPN positions in VPD 504 have it",
		"504/4": `"Elsewhere" is not a local office`,
		"504/5": "Managing Deanery Body is EOE",
		"505/6": "1 active DPN position in VPD 505 has it",
	}
	if len(got) != len(want) {
		t.Errorf("findings on %v, want %v", got, want)
	}
	for k, w := range want {
		if !strings.Contains(got[k], w) {
			t.Errorf("%s: message %q does not contain %q", k, got[k], w)
		}
	}
}

func TestNonMedical(t *testing.T) {
	tests := []struct {
		group string
		want  []string
	}{
		{"Medical and Dental", nil},
		{" medical AND dental\t", nil},
		{"", nil},
		{" \t", nil},
		{"Nursing and Midwifery Registered", []string{RuleDPNNonMedical}},
		{"Medical", []string{RuleDPNNonMedical}},
	}
	for _, tt := range tests {
		p := pos("7", "7|x|y|z", "KSS/A/1/2")
		p.StaffGroup = tt.group
		res := checkRules(t, []model.Position{p}, ruleSet(RuleDPNNonMedical), tt.want)
		for _, f := range res.Findings() {
			if f.Column != ColumnStaffGroup || f.Value != tt.group {
				t.Errorf("column/value = %q/%q", f.Column, f.Value)
			}
		}
	}
	// No DPN: not in scope.
	p := pos("7", "7|x|y|z", "")
	p.StaffGroup, p.ManagingBody = "Estates", ""
	checkRules(t, []model.Position{p}, nil, nil)
}

func TestInactive(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name   string
		dpn    string
		to     time.Time
		status string
		want   []string
		msg    string
	}{
		{"end-dated", "KSS/A/1/2", asOf.Add(-day), "", []string{RuleDPNInactive}, "is end-dated (24 November 2026)"},
		{"eliminated", "KSS/A/1/2", time.Time{}, "ELIMINATED", []string{RuleDPNInactive}, "has hiring status ELIMINATED"},
		{"active", "KSS/A/1/2", asOf, "", nil, ""},
		{"end-dated without DPN", " ", asOf.Add(-day), "", nil, ""},
		// An inactive position's broken DPN is not checked, only noted.
		{"end-dated broken DPN", "KSS//\t", asOf.Add(-day), "", []string{RuleDPNInactive}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pos("7", "X", tt.dpn)
			p.EffectiveTo, p.HiringStatus, p.ManagingBody = tt.to, tt.status, ""
			res := checkRules(t, []model.Position{p}, ruleSet(RuleDPNInactive), tt.want)
			if tt.msg != "" && !strings.Contains(res.Findings()[0].Message, tt.msg) {
				t.Errorf("message %q does not contain %q", res.Findings()[0].Message, tt.msg)
			}
			if len(tt.want) == 0 {
				return
			}
			if fs := res.Findings(); len(fs) != 1 {
				t.Errorf("an inactive position gets only dpn.inactive, got %d findings", len(fs))
			}
			if len(res.VPDs) != 1 || len(res.VPDs[0].Positions) != 0 {
				t.Errorf("an inactive position must not be kept: %+v", res.VPDs)
			}
		})
	}
}
