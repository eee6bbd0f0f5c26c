package report

import (
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// A placement on a host/lead employer pair is a match (Yes, not filled)
// and the workbook lists both positions and both VPDs.
func TestExceptionWorkbookHostLeadPair(t *testing.T) {
	const dpn = "KSS/RJZ01/030/STR/001"
	pos := func(vpd, number, status string, row int) model.Position {
		return model.Position{VPD: vpd, ID: "9" + number, Number: number, Name: number + "|Specialty Registrar|N1L|Cardiology",
			DPN: dpn, ManagingBody: "KSS", HostLead: status, StaffGroup: "Medical and Dental", File: "positions.csv", Row: row,
			Format: model.FormatCSV}
	}
	check := checkPositions([]model.Position{pos("504", "10508064", "Host Employer", 2), pos("505", "20508064", "Lead Employer", 3)},
		nil, checks.Options{AsOf: asOf, KeepInactive: true})
	start := asOf.AddDate(0, 0, 30)
	pl := model.Placement{ID: "1716002", NPN: dpn, Surname: "Ghani", Forenames: "Yaser", GMC: "7021070", DateFrom: start,
		DateTo: start.AddDate(1, 0, 0), PlacementType: "In post", DOB: time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC),
		HasDOBColumn: true, File: "placements.csv", Row: 2}
	f := openException(t, reconcileAll(check, []model.Placement{pl}, reconcile.Options{AsOf: asOf}))
	for _, tc := range []struct{ cell, want string }{
		{"G2", "EXPORTED"}, {"H2", "Yes"}, {"M2", "1716002"}, {"N2", "10508064, 20508064"}, {"O2", "504, 505"}, {"P2", ""},
	} {
		if got := cellValue(t, f, TabPlacementCheck, tc.cell); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.cell, got, tc.want)
		}
	}
	if got := fillColour(t, f, TabPlacementCheck, "H2"); got != "" {
		t.Errorf("PositionMatch fill = %q, want none", got)
	}
	rows, err := f.GetRows(TabUnplaced)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) > 1 {
		t.Errorf("unplaced positions %q, want none", rows[1:])
	}
}

// checkPositions runs the position rules on ps in one batch, as the
// pipeline does: checks.NewRunner, Add, Finish.
func checkPositions(ps []model.Position, inputs []model.Input, opts checks.Options) *checks.Result {
	r := checks.NewRunner(opts)
	r.Add(ps)
	return r.Finish(inputs)
}

// reconcileAll reconciles placements against pos in one batch, as the
// pipeline does: through a reconcile.PlacementBuffer.
func reconcileAll(pos *checks.Result, placements []model.Placement, opts reconcile.Options) *reconcile.Result {
	b := reconcile.NewPlacementBuffer(opts)
	b.Add(placements)
	r := reconcile.New(pos, opts)
	r.AddBuffer(b, 1)
	return r.Finish(pos.Inputs, nil)
}
