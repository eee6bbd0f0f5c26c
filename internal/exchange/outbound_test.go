package exchange

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

func TestExclusionReasonsAndGroups(t *testing.T) {
	withBody := func(p model.Position, body string) model.Position {
		p.ManagingBody = body
		return p
	}
	r := scenario{positions: []model.Position{
		withBody(position("504", "1", "100", "KSSX/RJZ01/030"), "KSS"),           // parts and prefix
		withBody(position("504", "2", "101", "K/RJZ01/030/STR/001"), "Wales"),    // prefix: the body decides
		withBody(position("504", "3", "102", "KS1/RJZ01//STR/001"), ""),          // empty part, no body
		withBody(position("504", "4", "103", "EOE/RJZ01/030/ST\u00a0R/001"), ""), // chars: the prefix is a code
		position("504", "5", "104", dpnA),
	}}.run(t, State{})
	var got []string
	for _, x := range r.Excluded {
		got = append(got, x.PositionNumber+" "+x.Reason)
	}
	want := []string{"100 DPN breaks dpn.parts, dpn.prefix", "101 DPN breaks dpn.prefix", "102 DPN breaks dpn.empty-part",
		"103 DPN breaks dpn.chars"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("exclusions\n got %q\nwant %q", got, want)
	}
	groups := map[string][2]int{}
	for _, c := range r.ByDeanery {
		groups[c.Group] = [2]int{c.PositionsTransferred, c.PositionsExcluded}
	}
	wantGroups := map[string][2]int{"KSS": {1, 1}, "WAL": {0, 1}, "(none)": {0, 1}, "EOE": {0, 1}}
	if !reflect.DeepEqual(groups, wantGroups) {
		t.Errorf("deanery groups (transferred, excluded) = %v, want %v", groups, wantGroups)
	}
}

func TestMissingItem(t *testing.T) {
	full := model.Applicant{EffectiveDate: asOf, LastName: "Smith", FirstName: "Anna", DOB: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
		PositionID: "9001", PositionNumber: "100"}
	tests := []struct {
		change func(a *model.Applicant)
		want   string
	}{
		{func(a *model.Applicant) {}, ""},
		{func(a *model.Applicant) { a.EffectiveDate = time.Time{}; a.LastName = "" }, "EFFECTIVE_DATE"},
		{func(a *model.Applicant) { a.LastName = "  " }, "LAST_NAME"},
		{func(a *model.Applicant) { a.FirstName = "" }, "FIRST_NAME"},
		{func(a *model.Applicant) { a.DOB = time.Time{}; a.PositionID = "" }, "DATE_OF_BIRTH"},
		{func(a *model.Applicant) { a.PositionID = "" }, "POSITION_ID"},
		{func(a *model.Applicant) { a.PositionNumber = "" }, "POSITION_NUMBER"},
	}
	for _, tt := range tests {
		a := full
		tt.change(&a)
		if got := missingItem(&a); got != tt.want {
			t.Errorf("missingItem = %q, want %q", got, tt.want)
		}
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc"},
		{"Siân Zoë", 4, "Siân"},
	}
	for _, tt := range tests {
		if got := cut(tt.s, tt.n); got != tt.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// positionTitle avoids allocating; it must answer as the plain formula it
// replaces does.
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
	e := newEngine(Input{AsOf: asOf, Check: checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})}, State{})
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
