package reconcile

import (
	"slices"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// The issue's five rows: one current, one future, one vacancy, one ended
// and one ended that ends before it starts and has no surname. Each is
// counted once, by hand: 2 in scope, 1 vacancy, 1 ended, 1 unreadable,
// adding up to the 5 read; the fifth is reconciled, an exception with its
// findings, not dropped as ended.
func TestReconcileRowsAddUp(t *testing.T) {
	const dpn = "KSS/RJZ01/030/STR/001"
	current := place("1", dpn, 2)
	current.DateFrom, current.DateTo = day(-100), day(200)
	future := place("2", dpn, 3)
	future.DateFrom, future.DateTo = day(250), day(600) // after the current one: no overlap
	vac := vacancy("3", dpn, 4)
	old := place("4", dpn, 5)
	old.DateFrom, old.DateTo = day(-400), day(-40)
	broken := place("5", dpn, 6)
	broken.DateFrom, broken.DateTo, broken.Surname = day(-10), day(-375), ""
	ps := []model.Position{pos("10000016", "", dpn), pos("10000017", "", ""), endDated("10000018", "A/B/C/1")}
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	rec := New(check, recOpts)
	addPlacements(rec, []model.Placement{current, future})
	addPlacements(rec, []model.Placement{vac, old, broken})
	res := rec.Finish([]model.Input{{Rows: 3, Skipped: 2}}, []model.Input{{Rows: 5, Skipped: 1}})

	// Positions: one active with a DPN, one without, one end-dated; the
	// loader's two skipped rows beside them.
	if want := (checks.PositionRows{Read: 3, ActiveWithDPN: 1, ActiveNoDPN: 1, Inactive: 1, Skipped: 2}); res.Rows.Positions != want {
		t.Errorf("position rows %+v, want %+v", res.Rows.Positions, want)
	}

	want := PlacementRows{Read: 5, InScope: 2, Vacancies: 1, Ended: 1, Unreadable: 1, Skipped: 1}
	if res.Rows.Placements != want {
		t.Errorf("rows %+v, want %+v", res.Rows.Placements, want)
	}
	if res.Rows.Placements.Sum() != res.Rows.Placements.Read {
		t.Errorf("categories add up to %d, not the %d read", res.Rows.Placements.Sum(), res.Rows.Placements.Read)
	}
	if res.Totals.Placements != 4 || res.Totals.Vacancies != 1 {
		t.Errorf("totals: %d placements, %d vacancies; want 4 and 1", res.Totals.Placements, res.Totals.Vacancies)
	}
	var ids []string
	for _, pr := range res.Placements {
		ids = append(ids, pr.Placement.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"1", "2", "3", "5"}) {
		t.Errorf("placements reconciled %v, want all but the ended 4", ids)
	}
	if got := placementRules(res, "5"); !slices.Equal(got, []string{RulePlacementDates, RulePlacementMissingField}) {
		t.Errorf("row 5 findings %v", got)
	}
	if pr := placementByID(t, res, "5"); !pr.Exception || pr.Export != ExportBlocked+": missing last name" {
		t.Errorf("row 5: exception %v, export %q", pr.Exception, pr.Export)
	}
	if got := placementRules(res, "4"); len(got) != 0 {
		t.Errorf("the ended row has findings %v", got)
	}
}

// Which dates make a placement unreadable, and so always in scope.
func TestDatesUnusable(t *testing.T) {
	dob := time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC)
	issue := func(col string) []model.DateIssue { return []model.DateIssue{{Column: col, Value: "32/13/2026"}} }
	for _, c := range []struct {
		name      string
		p         model.Placement
		unusable  bool
		dropAsOld bool // ended, as of asOf, and left out
	}{
		{name: "both dates, in order", p: model.Placement{DateFrom: day(-10), DateTo: day(10)}},
		{name: "ended, in order", p: model.Placement{DateFrom: day(-100), DateTo: day(-10)}, dropAsOld: true},
		{name: "end before start, both past", p: model.Placement{DateFrom: day(-10), DateTo: day(-100)}, unusable: true},
		{name: "end before start, both future", p: model.Placement{DateFrom: day(100), DateTo: day(10)}, unusable: true},
		{name: "same day", p: model.Placement{DateFrom: day(-10), DateTo: day(-10)}, dropAsOld: true},
		{name: "no end date", p: model.Placement{DateFrom: day(-10)}},
		{name: "start unreadable, end past", p: model.Placement{DateTo: day(-10), DateIssues: issue("Start Date")},
			unusable: true},
		{name: "end unreadable", p: model.Placement{DateFrom: day(-10), DateIssues: issue("End Date")}, unusable: true},
		{name: "start unreadable under a mapped header, no DOB column",
			p: model.Placement{DateTo: day(-10), DateIssues: issue("Began")}, unusable: true},
		{name: "DOB unreadable, ended", p: model.Placement{DateFrom: day(-100), DateTo: day(-10), HasDOBColumn: true,
			DateIssues: issue("Date of Birth")}, dropAsOld: true},
		{name: "DOB unreadable under a mapped header, both dates read", p: model.Placement{DateFrom: day(-100),
			DateTo: day(-10), HasDOBColumn: true, DateIssues: issue("Born")}, dropAsOld: true},
		{name: "an issue beside a readable DOB is a start or end date", p: model.Placement{DateTo: day(-10),
			HasDOBColumn: true, DOB: dob, DateIssues: issue("Born")}, unusable: true},
		{name: "two issues: one is not the DOB", p: model.Placement{DateTo: day(-10), HasDOBColumn: true,
			DateIssues: append(issue("Began"), issue("Born")...)}, unusable: true},
	} {
		if got := datesUnusable(&c.p); got != c.unusable {
			t.Errorf("%s: unusable %v, want %v", c.name, got, c.unusable)
		}
		if got := outOfScope(&c.p, asOf); got != c.dropAsOld {
			t.Errorf("%s: out of scope %v, want %v", c.name, got, c.dropAsOld)
		}
	}
}

// Added in batches, kept in a buffer or not, the rows add up the same.
func TestReconcileRowsBatches(t *testing.T) {
	ps, pls := manyPlacements(600)
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	want := reconcileAll(check, pls, recOpts).Rows.Placements
	if want.Read != len(pls) || want.Sum() != len(pls) || want.Ended == 0 || want.Unreadable == 0 {
		t.Fatalf("fixture rows %+v", want)
	}
	rec := New(check, recOpts)
	buf := NewPlacementBuffer(recOpts)
	buf.Add(pls[:100])
	buf.Add(nil)
	buf.Add(pls[100:400])
	buf.Prepare()
	rec.AddBuffer(buf, 2)
	addPlacements(rec, pls[400:])
	if got := rec.Finish(nil, nil).Rows.Placements; got != want {
		t.Errorf("rows %+v, want %+v", got, want)
	}
}
