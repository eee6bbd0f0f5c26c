package exchange

import (
	"reflect"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// medrotLine is what these tests read of a MEDROT row: the post, the
// current holder and where TIS has them next, the next holder and where
// TIS has them now.
type medrotLine struct {
	vpd, pos        string
	current, nextAt string
	next, currentAt string
}

func medrotLines(r *Result) []medrotLine {
	var out []medrotLine
	for _, m := range r.MEDROT {
		x := medrotLine{vpd: m.VPD, pos: m.PositionNumber}
		if m.Current != nil {
			x.current, x.nextAt = m.Current.LastName, m.Current.NextPlacement
		}
		if m.Next != nil {
			x.next, x.currentAt = m.Next.LastName, m.Next.CurrentPlacement
		}
		out = append(out, x)
	}
	return out
}

// sited is a placement of the n-th trainee at a site.
func sited(id, npn, surname string, n int, site string, from, to time.Time) model.Placement {
	p := placement(id, npn, surname, "Dr", gmcN(n), from, to)
	p.Site = site
	return p
}

// TestMedrotAcrossTrusts: trust A is VPD 504, trust B VPD 612; each post
// has one DPN in one trust.
func TestMedrotAcrossTrusts(t *testing.T) {
	const (
		a1, a2, a3 = "KSS/RJZ01/030/STR/101", "KSS/RJZ01/030/STR/102", "KSS/RJZ01/030/STR/103"
		b1, b2, b3 = "KSS/RVV01/040/STR/101", "KSS/RVV01/040/STR/102", "KSS/RVV01/040/STR/103"
	)
	draft := sited("P7", b3, "Dray", 7, "Surrey General", day0(30), day0(200))
	draft.Lifecycle, draft.HasLifecycleColumn = "DRAFT", true
	pls := []model.Placement{
		// Moss moves from trust A to trust B.
		sited("P1", a1, "Moss", 1, "Kent Royal", day0(-60), day0(20)),
		sited("P2", b1, "Moss", 1, "Surrey General", day0(21), day0(200)),
		// Rota rotates inside trust A, from one post to another.
		sited("P3", a2, "Rota", 2, "Kent Royal", day0(-60), day0(20)),
		sited("P4", a3, "Rota", 2, "Kent Annexe", day0(21), day0(200)),
		// Solo has no other placement.
		sited("P5", b2, "Solo", 3, "Surrey General", day0(-30), day0(100)),
		// The next holder window: as-of + 2 days is out, + 3 days and
		// + 90 days are in, + 91 days is out; a DRAFT placement is in.
		sited("P6a", b3, "Edge2", 4, "Surrey General", day0(2), day0(200)),
		sited("P6b", b3, "Edge3", 5, "Surrey General", day0(3), day0(200)),
		sited("P6c", b3, "Late90", 6, "Surrey General", day0(90), day0(200)),
		sited("P6d", b3, "Late91", 8, "Surrey General", day0(91), day0(200)),
		draft,
	}
	ps := []model.Position{position("504", "9101", "10000101", a1), position("504", "9102", "10000102", a2),
		position("504", "9103", "10000103", a3), position("612", "9201", "20000101", b1),
		position("612", "9202", "20000102", b2), position("612", "9203", "20000103", b3)}
	r := scenario{positions: ps, placements: pls}.run(t, State{})

	want := []medrotLine{
		{"504", "10000101", "Moss", "Surrey General", "", ""},
		{"504", "10000102", "Rota", "Kent Annexe", "", ""},
		{"504", "10000103", "", "", "Rota", "Kent Royal"},
		{"612", "20000101", "", "", "Moss", "Kent Royal"},
		{"612", "20000102", "Solo", "", "", ""},
		{"612", "20000103", "", "", "Dray", ""},
		{"612", "20000103", "", "", "Edge3", ""},
		{"612", "20000103", "", "", "Late90", ""},
	}
	if got := medrotLines(r); !reflect.DeepEqual(got, want) {
		t.Fatalf("MEDROT rows\n got %+v\nwant %+v", got, want)
	}
	// The type 1 notifications carry the same holders (the DNC's
	// currentTraineeVpdForNextPlacement and nextAppointmentCurrentPlacementVpd).
	var moss []string
	for _, n := range r.Notifications {
		if n.Type != NotifyHolders {
			continue
		}
		if n.Current != nil && n.Current.LastName == "Moss" {
			moss = append(moss, n.VPD+" current, next at "+n.Current.NextPlacement)
		}
		if n.Next != nil && n.Next.LastName == "Moss" {
			moss = append(moss, n.VPD+" next, now at "+n.Next.CurrentPlacement)
		}
	}
	if want := []string{"504 current, next at Surrey General", "612 next, now at Kent Royal"}; !reflect.DeepEqual(moss, want) {
		t.Errorf("Moss's type 1 notifications %q, want %q", moss, want)
	}
}

// TestMedrotSitesWindows: where TIS has a trainee now and next, on posts
// ESR does not carry (anywhere in TIS), at the edges of TIS's look-up
// windows: next = start from as-of + 2 days to as-of + 13 weeks, both
// included; current = started by the as-of date and ending after it.
func TestMedrotSitesWindows(t *testing.T) {
	const (
		dpnCur, dpnNext = "KSS/RJZ01/030/STR/201", "KSS/RJZ01/030/STR/202"
		away            = "KSS/RXX99/999/STR/001" // no ESR position carries it
	)
	cur := func(id, surname string, n int) model.Placement {
		return sited(id, dpnCur, surname, n, "Kent Royal", day0(-100), day0(100))
	}
	nxt := func(id, surname string, n int) model.Placement {
		return sited(id, dpnNext, surname, n, "Kent Royal", day0(30), day0(300))
	}
	elsewhere := func(id string, n int, site string, from, to time.Time) model.Placement {
		return sited(id, away, "Away", n, site, from, to)
	}
	observer := elsewhere("X10b", 10, "Observer Site", day0(-200), day0(50))
	observer.PlacementType = "Observer" // not a type TIS sends: not looked at
	draft := elsewhere("X10a", 10, "Draft Ward", day0(-10), day0(50))
	draft.Lifecycle, draft.HasLifecycleColumn = "DRAFT", true
	noGMC := nxt("C12", "Lowe", 12)
	noGMC.GMC = ""
	noGMCAway := elsewhere("X12", 12, "Lowe Ward", day0(-10), day0(50))
	noGMCAway.GMC = ""
	pls := []model.Placement{
		cur("C1", "Adair", 1), elsewhere("X1", 1, "Site D1", day0(1), day0(200)),
		cur("C2", "Baird", 2), elsewhere("X2", 2, "Site D2", day0(2), day0(200)),
		cur("C3", "Cobb", 3), elsewhere("X3", 3, "Site D91", day0(91), day0(200)),
		cur("C4", "Dodd", 4), elsewhere("X4", 4, "Site D92", day0(92), day0(200)),
		cur("C5", "Eck", 5), elsewhere("X5a", 5, "Later", day0(40), day0(200)),
		elsewhere("X5b", 5, "Sooner", day0(30), day0(200)),
		cur("C6", "Finn", 6), elsewhere("X6b", 6, "Second", day0(30), day0(200)),
		elsewhere("X6a", 6, "First", day0(30), day0(200)),
		nxt("C7", "Gale", 7), elsewhere("X7", 7, "Ends Today", day0(-100), day0(0)),
		nxt("C8", "Hart", 8), elsewhere("X8", 8, "Ends Tomorrow", day0(-100), day0(1)),
		nxt("C9", "Ives", 9), elsewhere("X9", 9, "Starts Today", day0(0), day0(20)),
		nxt("C10", "Jory", 10), observer, draft,
		nxt("C11", "Kemp", 11), elsewhere("X11", 11, "Open Ward", day0(-10), time.Time{}),
		noGMC, noGMCAway,
	}
	ps := []model.Position{position("504", "9301", "10000201", dpnCur), position("504", "9302", "10000202", dpnNext)}
	r := scenario{positions: ps, placements: pls}.run(t, State{})

	want := []medrotLine{
		{"504", "10000201", "Adair", "", "", ""},        // starts as-of + 1: too soon
		{"504", "10000201", "Baird", "Site D2", "", ""}, // as-of + 2: in
		{"504", "10000201", "Cobb", "Site D91", "", ""}, // as-of + 13 weeks: in
		{"504", "10000201", "Dodd", "", "", ""},         // as-of + 92: too late
		{"504", "10000201", "Eck", "Sooner", "", ""},    // the earliest start
		{"504", "10000201", "Finn", "First", "", ""},    // same start: the lower placement id (X6a)
		{"504", "10000202", "", "", "Gale", ""},         // ends on the as-of date: not current
		{"504", "10000202", "", "", "Hart", "Ends Tomorrow"},
		{"504", "10000202", "", "", "Ives", "Starts Today"},
		{"504", "10000202", "", "", "Jory", "Draft Ward"}, // DRAFT counts; an Observer placement does not
		{"504", "10000202", "", "", "Kemp", "Open Ward"},  // no end date: runs on
		{"504", "10000202", "", "", "Lowe", ""},           // no GMC number: not looked up
	}
	if got := medrotLines(r); !reflect.DeepEqual(got, want) {
		t.Fatalf("MEDROT rows\n got %+v\nwant %+v", got, want)
	}
}
