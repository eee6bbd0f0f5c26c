package checks

import (
	"strings"
	"testing"

	"dpnkit/internal/model"
)

func TestHostLeadRoleOf(t *testing.T) {
	tests := []struct {
		status string
		want   HostLeadRole
	}{
		{"Host Employer", RoleHost},
		{"Lead Employer", RoleLead},
		{" host employer ", RoleHost},
		{"LEAD EMPLOYER", RoleLead},
		{"Host", RoleHost},
		{"lead", RoleLead},
		{"", RoleNone},
		{"Host/Lead Employer", RoleNone}, // names both
		{"Honorary", RoleNone},
		{"Employer", RoleNone},
	}
	for _, tt := range tests {
		if got := HostLeadRoleOf(tt.status); got != tt.want {
			t.Errorf("HostLeadRoleOf(%q) = %d, want %d", tt.status, got, tt.want)
		}
	}
}

// containsFold must answer as the plain formula it replaces.
func TestContainsFoldAsToLower(t *testing.T) {
	for _, s := range []string{"", "Host", "HOST EMPLOYER", "Lead Employer", "lead", "hos", "ghost", "H o s t",
		"Ĥost", "hoſt", "ſhost", "\u212Aost", "Höst", "Lead/Host", "Trust (LEAD)", "le ad", "LEA"} {
		for _, sub := range []string{"host", "lead"} {
			if got, want := containsFold(s, sub), strings.Contains(strings.ToLower(s), sub); got != want {
				t.Errorf("containsFold(%q, %q) = %v, want %v", s, sub, got, want)
			}
		}
	}
}

func TestHostLeadPair(t *testing.T) {
	p := func(vpd, status string) *model.Position { return &model.Position{VPD: vpd, HostLead: status} }
	tests := []struct {
		name string
		ps   []*model.Position
		want bool
	}{
		{"host and lead in two VPDs", []*model.Position{p("504", "Host Employer"), p("505", "Lead Employer")}, true},
		{"lead first", []*model.Position{p("504", "lead employer"), p("505", "HOST EMPLOYER")}, true},
		{"one position", []*model.Position{p("504", "Host Employer")}, false},
		{"two hosts", []*model.Position{p("504", "Host Employer"), p("505", "Host Employer")}, false},
		{"two leads", []*model.Position{p("504", "Lead Employer"), p("505", "Lead Employer")}, false},
		{"one unmarked", []*model.Position{p("504", "Host Employer"), p("505", "")}, false},
		{"unmarked", []*model.Position{p("504", ""), p("505", "")}, false},
		{"host and lead in one VPD", []*model.Position{p("504", "Host Employer"), p("504", "Lead Employer")}, false},
		{"two hosts and a lead", []*model.Position{p("504", "Host Employer"), p("505", "Host Employer"), p("506", "Lead Employer")}, false},
		{"a host and two leads", []*model.Position{p("504", "Host Employer"), p("505", "Lead Employer"), p("506", "Lead Employer")}, false},
	}
	for _, tt := range tests {
		if got := HostLeadPair(tt.ps); got != tt.want {
			t.Errorf("%s: HostLeadPair = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// hostLeadPositions: one DPN per case, numbered so that a finding names
// its case. VPDs 504, 505 and 506.
const (
	dpnPair     = "KSS/RJZ01/030/STR/001" // 504 host, 505 lead: one post
	dpnUnmarked = "KSS/RJZ01/030/STR/002" // 504 and 505, no status
	dpnHosts    = "KSS/RJZ01/030/STR/003" // 504 host, 505 host
	dpnThree    = "KSS/RJZ01/030/STR/004" // 504 host, 505 host, 506 lead
	dpnOneVPD   = "KSS/RJZ01/030/STR/005" // 504 host and 504 lead: a duplicate
)

func hostLeadPositions() []model.Position {
	at := func(vpd, number, dpn, status string) model.Position {
		p := pos(number, number+"|Specialty Registrar|N1L|Cardiology", dpn)
		p.VPD, p.HostLead, p.ID = vpd, status, "9"+number
		return p
	}
	ps := []model.Position{
		at("504", "1001", dpnPair, "Host Employer"), at("505", "2001", dpnPair, "Lead Employer"),
		at("504", "1002", dpnUnmarked, ""), at("505", "2002", dpnUnmarked, ""),
		at("504", "1003", dpnHosts, "Host Employer"), at("505", "2003", dpnHosts, "Host Employer"),
		at("504", "1004", dpnThree, "Host Employer"), at("505", "2004", dpnThree, "Host Employer"), at("506", "3004", dpnThree, "Lead Employer"),
		at("504", "1005", dpnOneVPD, "Host Employer"), at("504", "1006", dpnOneVPD, "Lead Employer"),
	}
	for i := range ps {
		ps[i].Row = i + 2
	}
	return ps
}

func TestCrossVPDHostLeadPair(t *testing.T) {
	res := checkAll(hostLeadPositions(), nil, opts)
	got := map[string]string{}
	for _, f := range findingsOf(res, RuleDPNCrossVPD) {
		got[f.VPD+"/"+f.PositionNumber] = f.Message
	}
	// The pair (1001, 2001) and the one-VPD duplicate (1005, 1006) have
	// none; every position of the other three DPNs has one.
	want := []string{"504/1002", "505/2002", "504/1003", "505/2003", "504/1004", "505/2004", "506/3004"}
	if len(got) != len(want) {
		t.Errorf("cross-VPD findings on %d positions, want %d: %v", len(got), len(want), got)
	}
	for _, k := range want {
		msg, ok := got[k]
		if !ok {
			t.Errorf("no dpn.cross-vpd on %s", k)
			continue
		}
		if !strings.Contains(msg, "set Host/Lead Employer Status on both (Host Employer on one, Lead Employer on the other)") ||
			!strings.Contains(msg, "otherwise check with the local office") {
			t.Errorf("%s: message %q has no host/lead advice", k, msg)
		}
	}
	if n := res.Totals.ByRule[RuleDPNCrossVPD]; n != 7 {
		t.Errorf("ByRule[dpn.cross-vpd] = %d, want 7", n)
	}
	if n := len(findingsOf(res, RuleDPNDuplicate)); n != 2 {
		t.Errorf("%d dpn.duplicate findings, want 2 (host and lead in one VPD)", n)
	}
}
