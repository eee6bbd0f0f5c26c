package report

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/exchange"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// Hand-built interface-run values for the run*, notify*, medrot* and
// interface* tests.

var runAsOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func runMeta() Meta { return Meta{Tool: "dpnkit", Version: "1.2.3", AsOf: runAsOf} }

const (
	lastNameMissing = "Mandatory item LAST_NAME not supplied. Application rejected."
	disabilityNo    = "Value for DISABILITY does not exist in ESR. The value NO will be ignored."
	newApplicant    = "Application is from a NEW Applicant"
	formulaName     = `=HYPERLINK("http://evil","x")`
	seedDPN         = "WAL/1D9PL/527/TYU/987"
)

// notices999 is VPD 999's MSO notices: one failed load, a success with a
// warning and an info, a success whose name looks like a formula, one of
// each notification and a host-employer starter.
func notices999() exchange.MSONotices {
	return exchange.MSONotices{
		VPD: "999",
		Failed: []exchange.APC{{ESRVacancyID: 1, VacancyRefNumber: "296-Vac1", DeaneryNumber: seedDPN,
			LoadStatusCode: "FAIL", MessageType: "ERROR", MessageText: lastNameMissing, PositionID: "1001",
			PositionNumber: "10508064", PlacementID: "P1", VPD: "999", ApplicantName: ",Sam"}},
		Successful: []exchange.APC{
			{ESRVacancyID: 2, VacancyRefNumber: "296-Vac1", DeaneryNumber: seedDPN, LoadStatusCode: "SUCCESS",
				MessageType: "WARNING", MessageText: disabilityNo, ApplicantNumber: "4769163", PositionID: "1001",
				PositionNumber: "10508064", PlacementID: "P2", VPD: "999", ApplicantName: "Jones,Ann"},
			{ESRVacancyID: 2, VacancyRefNumber: "296-Vac1", DeaneryNumber: seedDPN, LoadStatusCode: "SUCCESS",
				MessageType: "INFO", MessageText: newApplicant, ApplicantNumber: "4769163", PositionID: "1001",
				PositionNumber: "10508064", PlacementID: "P2", VPD: "999", ApplicantName: "Jones,Ann"},
			{ESRVacancyID: 3, VacancyRefNumber: "296-Vac1", DeaneryNumber: seedDPN, LoadStatusCode: "SUCCESS",
				MessageType: "INFO", MessageText: newApplicant, ApplicantNumber: "4769164", PositionID: "1001",
				PositionNumber: "10508064", PlacementID: "P3", VPD: "999", ApplicantName: formulaName + ",Eve"},
		},
		Withdrawn: []exchange.Notification{{Type: exchange.NotifyWithdrawn, VPD: "999", Deanery: "KSS",
			DeaneryNumber: "KSS/RXX/001/F1/001", PositionNumber: "10000001", PlacementID: "P7",
			NewStart: time.Date(2027, 2, 3, 0, 0, 0, 0, time.UTC), ApplicantName: "Smith,Frederick", GMC: "7021070",
			ApplicantNumber: "4769159", Position: &exchange.PositionDetails{PositionID: "888888888", PositionNumber: "10000001",
				Title: "Foundation Doctor - Year 1", OccupationCode: "004", Job: "Foundation Doctor - Year 1",
				HostLead: "Host Employer", Organisation: "123 MED Foundation Programme", Location: "General Hospital", VPD: "999"}}},
		DateChanges: []exchange.Notification{{Type: exchange.NotifyDateChange, VPD: "999", Deanery: "KSS",
			DeaneryNumber: "KSS/RXX/001/F1/002", PositionNumber: "10000002", PlacementID: "P8",
			OldStart: time.Date(2027, 2, 3, 0, 0, 0, 0, time.UTC), NewStart: time.Date(2027, 2, 10, 0, 0, 0, 0, time.UTC),
			OldEnd: time.Date(2027, 8, 3, 0, 0, 0, 0, time.UTC), NewEnd: time.Date(2027, 8, 3, 0, 0, 0, 0, time.UTC),
			ApplicantName: "Hunter,Keith", GMC: "7455687", Specialty: "Obstetrics and Gynaecology"}},
		NewPosts: []exchange.Notification{{Type: exchange.NotifyNewPost, VPD: "999", Deanery: "KSS",
			DeaneryNumber: "KSS/RYY/002/ST1/004", PlacementID: "P9", Next: &exchange.Holder{PlacementID: "P9", Site: "Medical Centre"},
			Specialty: "General Practice"}},
		Starters: []exchange.Starter{{ApplicantNumber: "4769160", ApplicantName: "Heathcliffe,Simon", PositionNumber: "32557334",
			DeaneryNumber: "KSS/RXX/001/F1/003", GMC: "7123456", ProjectedHireDate: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), HostEmployer: true}},
	}
}

func rday(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// medrotRows: a job share on post 20000001 (two rows), a vacancy on
// 20000002 whose current holder's name looks like a formula, a post whose
// current holder (GMC 7585938) is the next holder of the job share's
// first row, and a row of another VPD.
func medrotRows() []exchange.MedrotRow {
	return []exchange.MedrotRow{
		{VPD: "999", PositionNumber: "20000001", TPN: "KSS/RXX/001/F1/001", PlaceOfWork: "General Hospital",
			Current: &exchange.Holder{PlacementID: "C1", LastName: "Ysa", FirstName: "Dak", GMC: "7544158",
				ProjectedStart: rday(2026, 8, 5), ProjectedEnd: rday(2026, 12, 1), Site: "General Hospital", Grade: "F1"},
			Next: &exchange.Holder{PlacementID: "N1", LastName: "Chik", FirstName: "Jakob", GMC: "7585938",
				Email: "jakob.chik@nhs.uk", WTE: "0.5", ProjectedStart: rday(2026, 12, 2), ProjectedEnd: rday(2027, 4, 6),
				Site: "General Hospital", Grade: "ST4", CurrentPlacement: "District Hospital"}},
		{VPD: "999", PositionNumber: "20000001", TPN: "KSS/RXX/001/F1/001", PlaceOfWork: "General Hospital",
			Current: &exchange.Holder{PlacementID: "C2", LastName: "Hahara", FirstName: "Cy", GMC: "7549317",
				ProjectedEnd: rday(2026, 12, 1), Site: "General Hospital"},
			Next: &exchange.Holder{PlacementID: "N2", LastName: "Wkralaar", FirstName: "Roa", GMC: "7582148",
				Email: "roa.w@nhs.uk", WTE: "0.5", ProjectedStart: rday(2026, 12, 2), Site: "General Hospital", Grade: "ST4",
				CurrentPlacement: " "}},
		{VPD: "999", PositionNumber: "20000002", TPN: "KSS/RXX/001/F1/002", PlaceOfWork: "District Hospital",
			Current: &exchange.Holder{PlacementID: "C3", LastName: "=1+2", FirstName: "Evil", GMC: "7000001",
				ProjectedEnd: rday(2027, 2, 2), Site: "District Hospital", NextPlacement: "Royal Infirmary (another trust)"},
			Vacancy: true, Next: &exchange.Holder{PlacementID: "V1", LastName: "RECRUIT - VACANCY", ProjectedStart: rday(2027, 2, 3)}},
		{VPD: "999", PositionNumber: "20000003", TPN: "KSS/RXX/001/F1/003", PlaceOfWork: "District Hospital",
			Current: &exchange.Holder{PlacementID: "C4", LastName: "Chik", FirstName: "Jakob", GMC: "7585938",
				ProjectedEnd: rday(2026, 12, 1), Site: "District Hospital", NextPlacement: "General Hospital"}},
		{VPD: "888", PositionNumber: "30000001", TPN: "LDN/R1K01/IMT/001", PlaceOfWork: "Elsewhere",
			Current: &exchange.Holder{PlacementID: "C5", LastName: "Other", FirstName: "Vpd", GMC: "7000002"}},
	}
}

// applicant is one APP record with every field model.Applicant holds.
func applicant() model.Applicant {
	return model.Applicant{
		PlacementID: "P2", ManagingDeanery: "KSS", VPD: "999", DeaneryNumber: seedDPN,
		EffectiveDate: rday(2026, 12, 2), Email: "ann.jones@nhs.uk", LastName: "Jones", FirstName: "Ann",
		MiddleNames: "Mary Kate", Title: "Dr", DOB: rday(1995, 3, 4), Gender: "F", Address1: "1 High St, Flat 2",
		Town: "Leeds", County: "West Yorkshire", Postcode: "LS1 1AA", EthnicOrigin: "A", GMC: "7585938",
		SexualOrientation: "Heterosexual", Religion: "None", Nationality: "British", UKNINO: "QQ123456C",
		PositionID: "1001", PositionNumber: "10508064", Disability: "NO", ProjectedHireDate: rday(2026, 12, 2),
		ProjectedEndDate: rday(2027, 8, 3), MaritalStatus: "Single", CountryOfBirth: "England",
		Site: "General Hospital", WTE: "1.0",
	}
}

// runResult is a small second-day run: 2 C and 1 D POR records, two
// excluded positions (given out of order), one APP file of three applicants
// with its APC file (one FAIL, two SUCCESS, one WARNING), one quarantined
// file and four notifications (types 1, 1, 2, 4).
func runResult() *exchange.Result {
	app := exchange.APPFile{Name: "DE_KSS_APP_20261125_00000007", Deanery: "KSS", Seq: 7,
		Records: []model.Applicant{applicant(), applicant(), applicant()}}
	return &exchange.Result{
		AsOf:  runAsOf,
		First: false,
		Rows: exchange.RunRows{
			Positions:  checks.PositionRows{Read: 9, ActiveWithDPN: 7, ActiveNoDPN: 1, Inactive: 1, Skipped: 1},
			Placements: reconcile.PlacementRows{Read: 50, InScope: 44, Vacancies: 1, Ended: 3, Unreadable: 2},
			People:     exchange.PeopleRows{Read: 20, Kept: 3, NotNeeded: 17},
		},
		Outbound: []exchange.POR{
			{PositionID: "1001", ChangeDeleteIndicator: "C", PositionNumber: "10508064", DeaneryNumber: seedDPN},
			{PositionID: "1002", ChangeDeleteIndicator: "C", PositionNumber: "10508065", DeaneryNumber: "KSS/RXX/001/F1/002"},
			{PositionID: "1003", ChangeDeleteIndicator: "D", PositionNumber: "10508066", DeaneryNumber: "KSS/RXX/001/F1/003"},
		},
		Excluded: []exchange.Exclusion{
			{VPD: "999", PositionNumber: "10508070", DPN: "KSS/RXX/001/F1/009", Reason: "duplicate DPN (also on 10508071)"},
			{VPD: "888", PositionNumber: "30000009", DPN: "LDN/R1K01/IMT/O01", Reason: "DPN breaks dpn.chars"},
		},
		APPFiles: []exchange.APPFile{app},
		APCFiles: []exchange.APCFile{{Name: "DE_KSS_APC_20261125_00000007", APPFile: app.Name, Records: []exchange.APC{
			{ESRVacancyID: 1, LoadStatusCode: "FAIL", MessageType: "ERROR", MessageText: lastNameMissing},
			{ESRVacancyID: 2, LoadStatusCode: "SUCCESS", MessageType: "WARNING", MessageText: disabilityNo, ApplicantNumber: "4769163"},
			{ESRVacancyID: 2, LoadStatusCode: "SUCCESS", MessageType: "INFO", MessageText: newApplicant, ApplicantNumber: "4769163"},
			{ESRVacancyID: 3, LoadStatusCode: "SUCCESS", MessageType: "INFO", MessageText: newApplicant, ApplicantNumber: "4769164"},
		}}},
		Quarantined: []exchange.Quarantine{{APPFile: "DE_LDN_APP_20261125_00000002", Posts: []exchange.QuarantinedPost{
			{DeaneryNumber: "LDN/R1K01/IMT/001", PositionNumber: "30000001", VPD: "888", Applicants: 41}}}},
		Notifications: []exchange.Notification{
			{Type: exchange.NotifyHolders, VPD: "999", ApplicantName: "Jones,Ann"},
			{Type: exchange.NotifyHolders, VPD: "888"},
			{Type: exchange.NotifyWithdrawn, VPD: "999", ApplicantName: "Smith,Frederick"},
			{Type: exchange.NotifyDateChange, VPD: "999", ApplicantName: "Hunter,Keith"},
		},
		Totals: exchange.Counts{Group: "all", PositionsTransferred: 5, PositionsExcluded: 2, PlacementsInWindow: 44,
			APPRecords: 44, Success: 2, Fail: 1, Warnings: 1, QuarantinedFiles: 1,
			NotificationsByType: map[int]int{1: 2, 2: 1, 4: 1}},
		ByDeanery: []exchange.Counts{
			{Group: "LDN", PositionsTransferred: 1, PositionsExcluded: 1, PlacementsInWindow: 41, APPRecords: 41,
				QuarantinedFiles: 1, NotificationsByType: map[int]int{1: 1}},
			{Group: "KSS", PositionsTransferred: 4, PositionsExcluded: 1, PlacementsInWindow: 3, APPRecords: 3,
				Success: 2, Fail: 1, Warnings: 1, NotificationsByType: map[int]int{1: 1, 2: 1, 4: 1}},
		},
		ByVPD: []exchange.Counts{
			{Group: "999", PositionsTransferred: 4, PositionsExcluded: 1, PlacementsInWindow: 3, APPRecords: 3,
				Success: 2, Fail: 1, Warnings: 1, NotificationsByType: map[int]int{1: 1, 2: 1, 4: 1}},
			{Group: "888", PositionsTransferred: 1, PositionsExcluded: 1, PlacementsInWindow: 41, APPRecords: 41,
				QuarantinedFiles: 1},
		},
	}
}

// openRunWorkbook writes a workbook with write and opens it again.
func openRunWorkbook(t *testing.T, write func(*bytes.Buffer) error) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatalf("write workbook: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func runCell(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	return v
}

// wantTextCell fails unless sheet!cell holds want as a string, not a formula.
func wantTextCell(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	if got := runCell(t, f, sheet, cell); got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
	}
	if formula, err := f.GetCellFormula(sheet, cell); err != nil || formula != "" {
		t.Errorf("%s!%s formula = %q (%v), want none", sheet, cell, formula, err)
	}
	typ, err := f.GetCellType(sheet, cell)
	if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
		t.Errorf("%s!%s type = %v (%v), want a string cell", sheet, cell, typ, err)
	}
}

// wantRow fails unless the cells of sheet's row from column A are want.
func wantRow(t *testing.T, f *excelize.File, sheet string, row int, want ...string) {
	t.Helper()
	for i, w := range want {
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		if got := runCell(t, f, sheet, cell); got != w {
			t.Errorf("%s!%s = %q, want %q", sheet, cell, got, w)
		}
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
