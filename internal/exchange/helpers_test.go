package exchange

import (
	"strconv"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// asOf is the as-of date of every scenario: Wednesday 25 November 2026.
var asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// day0 is asOf moved by n days.
func day0(n int) time.Time { return asOf.AddDate(0, 0, n) }

// position builds an ESR training post; rows are numbered by the caller.
func position(vpd, id, number, dpn string) model.Position {
	return model.Position{VPD: vpd, ID: id, Number: number, Name: number + "|Specialty Registrar|ST3|Cardiology",
		DPN: dpn, ManagingBody: dpn[:3], HostLead: "Lead Employer", StaffGroup: "Medical and Dental",
		WorkplaceOrg: "RJZ01", Organisation: vpd + " MED Cardiology", Location: "General Hospital",
		File: "positions.csv", Format: model.FormatCSV}
}

// placement builds a trainee placement with every mandatory item filled.
func placement(id, npn, surname, forenames, gmc string, from, to time.Time) model.Placement {
	return model.Placement{ID: id, NPN: npn, Surname: surname, Forenames: forenames, GMC: gmc,
		DateFrom: from, DateTo: to, PlacementType: "In post", WTE: "1.0", Grade: "ST3", Site: "General Hospital",
		EmployingBody: "Kent Hospitals NHS Trust", ManagingDeanery: "Health Education England Kent, Surrey and Sussex",
		DOB: time.Date(1990, 4, 1, 0, 0, 0, 0, time.UTC), HasDOBColumn: true, File: "placements.csv"}
}

// scenario is one run's hand-made input.
type scenario struct {
	at         time.Time // zero: asOf
	positions  []model.Position
	placements []model.Placement
	people     []model.Person
	values     *Values
	partial    bool // Input.PartialExport
	// noSuggestions reconciles as the interface run does
	// (ReconcileOptions.NoSuggestions): near misses are then found by the
	// exchange itself.
	noSuggestions bool
}

// run checks, reconciles and runs the exchange; it numbers rows itself.
func (s scenario) run(t testing.TB, prev State) *Result {
	t.Helper()
	res, err := s.try(prev)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// try is run, returning Run's error; the whole placement export is seen as
// the loader would show it (Input.Export).
func (s scenario) try(prev State) (*Result, error) {
	at := s.at
	if at.IsZero() {
		at = asOf
	}
	ps := append([]model.Position(nil), s.positions...)
	for i := range ps {
		ps[i].Row = i + 2
	}
	pls := append([]model.Placement(nil), s.placements...)
	for i := range pls {
		pls[i].Row = i + 2
	}
	view := NewExportView(at)
	view.Add(pls)
	check := checkPositions(ps, nil, checks.Options{AsOf: at, KeepInactive: true})
	rec := reconcileAll(check, pls, reconcile.Options{AsOf: at, KeepFull: FullInWindow(at), NoSuggestions: s.noSuggestions})
	return runAll(Input{AsOf: at, Check: check, Reconcile: rec, Values: s.values, Export: view,
		PartialExport: s.partial}, s.people, prev)
}

// runAll plans a run and finishes it with people, as the pipeline does.
func runAll(in Input, people []model.Person, prev State) (*Result, error) {
	p, err := PlanRun(in, prev)
	if err != nil {
		return nil, err
	}
	return p.Finish(people), nil
}

// appRecords counts the APP records of a result.
func appRecords(r *Result) int {
	n := 0
	for _, f := range r.APPFiles {
		n += len(f.Records)
	}
	return n
}

// apcRows returns every APC row of a result, in file order.
func apcRows(r *Result) []APC {
	var out []APC
	for _, f := range r.APCFiles {
		out = append(out, f.Records...)
	}
	return out
}

// byType counts a result's notifications by type.
func byType(r *Result) map[int]int {
	m := make(map[int]int)
	for _, n := range r.Notifications {
		m[n.Type]++
	}
	return m
}

// gmcN is a distinct GMC number for the n-th trainee.
func gmcN(n int) string { return strconv.Itoa(7000000 + n) }

// withdrawals returns a result's type 2 notifications, in order.
func withdrawals(r *Result) []Notification {
	var out []Notification
	for _, n := range r.Notifications {
		if n.Type == NotifyWithdrawn {
			n.Position = nil // the position's details are tested with the notices and DNC records
			out = append(out, n)
		}
	}
	return out
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
