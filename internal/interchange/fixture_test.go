package interchange

import (
	"errors"
	"time"

	"dpnkit/internal/exchange"
	"dpnkit/internal/model"
	"dpnkit/internal/redact"
)

// Hand-built records for the tests.

var (
	asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	mask = redact.Policy{Mask: true}
	keep = redact.Policy{}
)

const (
	lastNameMissing = "Mandatory item LAST_NAME not supplied. Application rejected."
	disabilityNo    = "Value for DISABILITY does not exist in ESR. The value NO will be ignored."
	newApplicant    = "Application is from a NEW Applicant"
	seedDPN         = "WAL/1D9PL/527/TYU/987"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// applicant is one APP record with every field model.Applicant holds.
func applicant() model.Applicant {
	return model.Applicant{
		PlacementID: "P2", ManagingDeanery: "KSS", VPD: "999", DeaneryNumber: seedDPN,
		EffectiveDate: day(2026, 12, 2), Email: "ann.jones@nhs.uk", LastName: "Jones", FirstName: "Ann",
		MiddleNames: "Mary Kate", Title: "Dr", DOB: day(1995, 3, 4), Gender: "F", Address1: "1 High St, Flat 2",
		Town: "Leeds", County: "West Yorkshire", Postcode: "LS1 1AA", EthnicOrigin: "A", GMC: "7585938",
		SexualOrientation: "Heterosexual", Religion: "None", Nationality: "British", UKNINO: "QQ123456C",
		PositionID: "1001", PositionNumber: "10508064", Disability: "NO", ProjectedHireDate: day(2026, 12, 2),
		ProjectedEndDate: day(2027, 8, 3), MaritalStatus: "Single", CountryOfBirth: "England",
		Site: "General Hospital", WTE: "1.0",
	}
}

// appFile: the full applicant and a bare one (no GMC, no date of birth).
func appFile() exchange.APPFile {
	bare := model.Applicant{LastName: "O'Neil", FirstName: "Bo", PositionID: "1002", PositionNumber: "10508065",
		EffectiveDate: day(2026, 12, 9)}
	return exchange.APPFile{Name: "DE_KSS_APP_20261125_00000007", Deanery: "KSS", Seq: 7,
		Records: []model.Applicant{applicant(), bare}}
}

// apcFile: a FAIL, then a SUCCESS with a warning quoting a coded value and
// an INFO.
func apcFile() exchange.APCFile {
	return exchange.APCFile{Name: "DE_KSS_APC_20261125_00000007", APPFile: "DE_KSS_APP_20261125_00000007", Records: []exchange.APC{
		{ESRVacancyID: 1, VacancyRefNumber: "296-Vac1", DeaneryNumber: seedDPN, LoadStatusCode: "FAIL", MessageType: "ERROR",
			MessageText: lastNameMissing, PositionID: "1001", PositionNumber: "10508064", ApplicantName: ",Sam", PlacementID: "P1", VPD: "999"},
		{ESRVacancyID: 2, VacancyRefNumber: "296-Vac1", DeaneryNumber: seedDPN, LoadStatusCode: "SUCCESS", MessageType: "WARNING",
			MessageText: disabilityNo, ApplicantNumber: "4769163", AssignmentID: "4769163", PositionID: "1001",
			PositionNumber: "10508064", ApplicantName: "Jones,Ann"},
		{ESRVacancyID: 12, VacancyRefNumber: "296-Vac1", DeaneryNumber: seedDPN, LoadStatusCode: "SUCCESS", MessageType: "INFO",
			MessageText: newApplicant, ApplicantNumber: "4769163", AssignmentID: "A4769163", PositionID: "1001",
			PositionNumber: "10508064", ApplicantName: "Jones,Ann"},
	}}
}

func porRecords() []exchange.POR {
	return []exchange.POR{
		{PositionID: "1001", ChangeDeleteIndicator: "C", PositionNumber: "10508064", PositionTitle: "Foundation Year 1, Surgery",
			DeaneryNumber: seedDPN, ManagingOffice: "KSS", HostLeadIndicator: "Host Employer", ODSCode: "RXX",
			EmployingOrgVPDCode: "999", ESROrganisation: "999 General Hospital NHS Trust", ESRLocation: "Main Site"},
		{PositionID: "1003", ChangeDeleteIndicator: "D", PositionNumber: "10508066"},
	}
}

// dncResult: post 20000001 of VPD 999 held by Wiśniewski until 01/12/2026,
// next by 李 伟 (now at Elsewhere, VPD 888: the MEDROT found that site, so the
// next holder carries it as CurrentPlacement); a withdrawal on it; a new post.
func dncResult() *exchange.Result {
	cur := &exchange.Holder{PlacementID: "C1", LastName: "Wiśniewski", FirstName: "Zoë", GMC: "7544158",
		ProjectedEnd: day(2026, 12, 1), Site: "General Hospital", WTE: "1"}
	next := &exchange.Holder{PlacementID: "N1", LastName: "李", FirstName: "伟", GMC: "7585938", Email: "wei.li@nhs.uk",
		WTE: "0.5", ProjectedStart: day(2026, 12, 2), Site: "General Hospital", Grade: "ST4",
		CurrentPlacement: "Elsewhere"}
	pos := &exchange.PositionDetails{PositionID: "888888888", PositionNumber: "20000001", OccupationCode: "004",
		HostLead: "Host Employer", VPD: "999"}
	return &exchange.Result{AsOf: asOf,
		MEDROT: []exchange.MedrotRow{
			{VPD: "999", PositionNumber: "20000001", TPN: "KSS/RXX/001/F1/001", PlaceOfWork: "General Hospital", Current: cur, Next: next},
			{VPD: "888", PositionNumber: "30000001", TPN: "LDN/R1K01/IMT/001", PlaceOfWork: "Elsewhere",
				Current: &exchange.Holder{PlacementID: "C5", LastName: "李", FirstName: "伟", GMC: "7585938", Site: "Elsewhere"}},
		},
		Notifications: []exchange.Notification{
			{Type: exchange.NotifyHolders, VPD: "999", Deanery: "KSS", DeaneryNumber: "KSS/RXX/001/F1/001",
				PositionNumber: "20000001", PlacementID: "N1", Current: cur, Next: next, Specialty: "Paediatrics", Position: pos},
			{Type: exchange.NotifyWithdrawn, VPD: "999", Deanery: "KSS", DeaneryNumber: "KSS/RXX/001/F1/001",
				PositionNumber: "20000001", PlacementID: "P7", NewStart: day(2027, 2, 3), Reason: "3",
				ApplicantName: "O'Brien,Siân", GMC: "7021070", Position: pos},
			{Type: exchange.NotifyNewPost, VPD: "999", Deanery: "KSS", DeaneryNumber: "KSS/RYY/002/ST1/004",
				Next: &exchange.Holder{Site: "Medical Centre"}, Specialty: "General Practice"},
		},
		NotificationFiles: []exchange.NotificationFile{{Name: "DE_KSS_DNC_20261125_00000003", Deanery: "KSS",
			Type: exchange.FileDNC, Seq: 3, Notes: []int32{0, 1, 2}}},
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
