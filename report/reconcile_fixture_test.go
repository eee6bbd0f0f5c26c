package report

import (
	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// Hand-built reconciliation of five placements against ESR (the reconciler
// is written elsewhere; these are plain values). Placements, already in
// the reconciler's order (exceptions first):
//
//	P1001  NPN with letter O for zero: no position; two suggestions; hostile surname
//	P1002  NPN on two active positions
//	P1003  NPN only on an end-dated position
//	P1004  matched, exported
//	P1005  RECRUIT - VACANCY, matched, not yet due
const (
	deaneryEast   = "HEE East of England"
	deaneryLondon = "HEE London"
	bodyCambridge = "Cambridge University Hospitals NHS FT"
	bodySuffolk   = "West Suffolk NHS FT"
	bodyBarts     = "Barts Health NHS Trust"
	placementsCSV = "tis/placements.csv"
	positionsCSV  = "esr/positions.csv"
)

// Personal values that must never reach the JSON document or the table.
const (
	forenamesP1 = "Yaser Zebedee"
	gmcP1       = "7021070"
	forenamesP2 = "Gerlinke"
	gmcP2       = "7169605"
	surnameP2   = "Haukin-van der Cingel"
)

func reconcileResult() *reconcile.Result {
	pl := func(id, npn, body string, row int) reconcile.KeptPlacement {
		return reconcile.KeptPlacement{ID: id, NPN: npn, Surname: "Surname" + id, Forenames: "Forenames" + id,
			GMC: "7" + id[1:], DateFrom: day(2026, 12, 2), DateTo: day(2027, 8, 1),
			Grade: "FY1", Specialty: "General (internal) medicine", EmployingBody: body,
			TrainingBody: bodyCambridge, ManagingDeanery: deaneryEast, File: placementsCSV, Row: row}
	}
	p1 := pl("P1001", "EOE/RGT0O/021/FY1/010", bodyCambridge, 2)
	p1.Surname, p1.Forenames, p1.GMC = evil, forenamesP1, gmcP1
	p2 := pl("P1002", "EOE/RGT00/030/ST1/001", bodyCambridge, 3)
	p2.Surname, p2.Forenames, p2.GMC = surnameP2, forenamesP2, gmcP2
	p3 := pl("P1003", "EOE/RGT00/031/ST2/001", bodyCambridge, 4)
	p3.DateFrom = day(2026, 11, 20)
	p4 := pl("P1004", "EOE/RGT00/040/FY2/001", bodySuffolk, 5)
	p5 := pl("P1005", "LDN/R1H00/002/CT1/001", bodyBarts, 6)
	p5.Surname, p5.Forenames, p5.GMC = model.VacancySurname, "*****", model.VacancyGMC
	p5.ManagingDeanery = deaneryLondon
	p5.DateFrom, p5.DateTo = day(2027, 8, 4), day(2028, 8, 1)

	placements := []reconcile.PlacementResult{
		{Placement: &p1, Match: reconcile.MatchNone, Export: "BLOCKED: no ESR position",
			Suggestions: []reconcile.Suggestion{
				{DPN: "EOE/RGT00/021/FY1/010", PositionNumber: "10002345", VPD: "504", Kind: "letter O typed for zero"},
				{DPN: "EOE/RGT0O/021/FY1/010 ", PositionNumber: "10009999", VPD: "505",
					Kind: "same post with different spacing or case", EndDated: true},
			},
			Issue: "no active ESR position carries this NPN", Exception: true},
		{Placement: &p2, Match: reconcile.MatchMany, Export: "BLOCKED: several ESR positions",
			Positions: []reconcile.PositionRef{
				{VPD: "504", PositionNumber: "10000010", DPN: "EOE/RGT00/030/ST1/001"},
				{VPD: "504", PositionNumber: "10000011", DPN: "EOE/RGT00/030/ST1/001"},
			},
			Issue: "2 active ESR positions carry this NPN", Exception: true},
		{Placement: &p3, Match: reconcile.MatchEndDated, Export: "BLOCKED: ESR position end-dated",
			Positions: []reconcile.PositionRef{{VPD: "504", PositionNumber: "10000020",
				DPN: "EOE/RGT00/031/ST2/001", EndDated: true}},
			Issue: "the ESR position was end-dated on 31/07/2026", Exception: true},
		{Placement: &p4, Match: reconcile.MatchYes, Export: reconcile.ExportExported,
			Positions: []reconcile.PositionRef{{VPD: "504", PositionNumber: "10000030", DPN: "EOE/RGT00/040/FY2/001"}}},
		{Placement: &p5, Match: reconcile.MatchYes, Export: reconcile.ExportNotYetDue, Vacancy: true,
			Positions: []reconcile.PositionRef{{VPD: "R1H", PositionNumber: "30000001", DPN: "LDN/R1H00/002/CT1/001"}},
			Issue:     "RECRUIT - VACANCY placeholder"},
	}
	unplaced := []model.Position{{VPD: "504", Number: "10000040", Name: "10000040|FY1|001|Medicine",
		DPN: "EOE/RGT00/050/FY1/002", ManagingBody: "EOE", EffectiveFrom: day(2020, 8, 5), File: positionsCSV, Row: 41}}
	findings := []checks.Finding{
		{Rule: reconcile.RulePositionNoPlacement, Severity: checks.Info, VPD: "504", File: positionsCSV, Row: 41,
			Column: "Deanery Post Number", PositionNumber: "10000040", Value: "EOE/RGT00/050/FY1/002",
			Message: "no current or future placement, last one ended 01/08/2026"},
		{Rule: reconcile.RulePlacementNoPosition, Severity: checks.Error, File: placementsCSV, Row: 2,
			Column: "National Post Number", PlacementID: "P1001", Value: "EOE/RGT0O/021/FY1/010",
			Message: "no active ESR position carries it, did you mean EOE/RGT00/021/FY1/010"},
		{Rule: reconcile.RulePlacementManyPositions, Severity: checks.Error, VPD: "504", File: placementsCSV, Row: 3,
			Column: "National Post Number", PlacementID: "P1002", Value: "EOE/RGT00/030/ST1/001",
			Message: "carried by positions 10000010, 10000011"},
		{Rule: reconcile.RulePlacementNoPosition, Severity: checks.Error, VPD: "504", File: placementsCSV, Row: 4,
			Column: "National Post Number", PlacementID: "P1003", Value: "EOE/RGT00/031/ST2/001",
			Message: "only end-dated position 10000020 carries it"},
		{Rule: reconcile.RulePlacementVacancy, Severity: checks.Info, VPD: "R1H", File: placementsCSV, Row: 6,
			PlacementID: "P1005", Value: "LDN/R1H00/002/CT1/001", Message: "RECRUIT - VACANCY, comma"},
	}
	return &reconcile.Result{
		AsOf: asOf,
		PositionInputs: []model.Input{{Path: positionsCSV, Format: model.FormatCSV, Encoding: "utf-8", Rows: 40,
			ExtraColumns: []string{"Cost Centre"}}},
		PlacementInputs: []model.Input{{Path: placementsCSV, Format: model.FormatCSV, Encoding: "windows-1252", Rows: 5}},
		Rows: reconcile.Rows{
			Positions:  checks.PositionRows{Read: 40, ActiveWithDPN: 31, ActiveNoDPN: 5, Inactive: 4},
			Placements: reconcile.PlacementRows{Read: 5, InScope: 4, Vacancies: 1},
		},
		Totals: reconcile.Stats{Group: "must not appear", Placements: 5, Vacancies: 1, Matched: 2, NoPosition: 1,
			EndDated: 1, ManyPositions: 1, Exported: 1, NotYetDue: 1, Blocked: 3, Exceptions: 3, Unplaced: 1,
			ByRule: map[string]int{"position.no-placement": 1, "placement.no-position": 2,
				"placement.many-positions": 1, "placement.vacancy": 1}},
		// Deliberately not in Group order: the reports sort.
		ByManagingDeanery: []reconcile.Stats{
			{Group: deaneryLondon, Placements: 1, Vacancies: 1, Matched: 1, NotYetDue: 1},
			{Group: deaneryEast, Placements: 4, Matched: 1, NoPosition: 1, EndDated: 1, ManyPositions: 1,
				Exported: 1, Blocked: 3, Exceptions: 3},
		},
		ByEmployingBody: []reconcile.Stats{
			{Group: bodyBarts, Placements: 1, Vacancies: 1, Matched: 1, NotYetDue: 1},
			{Group: bodyCambridge, Placements: 3, NoPosition: 1, EndDated: 1, ManyPositions: 1, Blocked: 3, Exceptions: 3},
			{Group: bodySuffolk, Placements: 1, Matched: 1, Exported: 1},
		},
		ByVPD: []reconcile.Stats{
			{Group: "504", Placements: 3, Matched: 1, EndDated: 1, ManyPositions: 1, Exported: 1, Blocked: 2,
				Exceptions: 2, Unplaced: 1},
			{Group: "R1H", Placements: 1, Vacancies: 1, Matched: 1, NotYetDue: 1},
		},
		Placements: placements,
		Unplaced:   unplaced,
		Findings:   findings,
	}
}
