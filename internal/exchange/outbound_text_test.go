package exchange

import (
	"strings"
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// containsLower and positionTitle avoid allocating; they must answer as
// the plain formulas they replace do.
func TestContainsLowerAsToLower(t *testing.T) {
	for _, s := range []string{"", "Host", "HOST EMPLOYER", "Lead Employer", "lead", "hos", "ghost", "H o s t",
		"Ĥost", "hoſt", "ſhost", "\u212Aost", "Höst", "Lead/Host", "Trust (LEAD)", "le ad", "LEA"} {
		for _, sub := range []string{"host", "lead"} {
			if got, want := containsLower(s, sub), strings.Contains(strings.ToLower(s), sub); got != want {
				t.Errorf("containsLower(%q, %q) = %v, want %v", s, sub, got, want)
			}
		}
	}
}

func TestPositionTitleParts(t *testing.T) {
	split := func(p *model.Position) string { // the formula it replaces
		parts := strings.Split(p.Name, "|")
		if len(parts) >= 2 {
			if s := model.TrimWhite(parts[1]); s != "" {
				return s
			}
		}
		return model.TrimWhite(p.JobRole)
	}
	for _, name := range []string{"", "84682|S.H.O. - ENT|023|Otolaryn", "a|b", "a|", "|b|", "a| |c", "no pipe", "||", " x | y "} {
		p := &model.Position{Name: name, JobRole: " Registrar "}
		if got, want := positionTitle(p), split(p); got != want {
			t.Errorf("positionTitle(%q) = %q, want %q", name, got, want)
		}
	}
	if got := positionTitle(&model.Position{Name: "84682|S.H.O. - ENT|023|Otolaryn"}); got != "S.H.O. - ENT" {
		t.Errorf("seed name: %q, want S.H.O. - ENT", got)
	}
}

// outbound lists every active position of each DPN, across VPDs: the
// first of each comes from one shared slice, so a second must not be
// written over another DPN's first.
func TestActivePositionsByDPN(t *testing.T) {
	ps := []model.Position{
		position("504", "1", "100", dpnA), position("504", "2", "200", dpnB), position("505", "3", "300", dpnA),
		position("504", "4", "400", dpnC), position("505", "5", "500", dpnB), position("506", "6", "600", dpnA),
	}
	for i := range ps {
		ps[i].Row = i + 2
	}
	e := newEngine(Input{AsOf: asOf, Check: checks.Run(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})}, State{})
	e.outbound()
	labels := func(dpn string) string {
		var s []string
		for _, a := range e.active[dpn] {
			s = append(s, a.vpd+"/"+a.label)
		}
		return strings.Join(s, " ")
	}
	for dpn, want := range map[string]string{dpnA: "504/100 505/300 506/600", dpnB: "504/200 505/500", dpnC: "504/400"} {
		if got := labels(dpn); got != want {
			t.Errorf("active positions of %s = %q, want %q", dpn, got, want)
		}
	}
}
