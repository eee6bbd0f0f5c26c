package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"dpnkit/internal/exchange"
	"dpnkit/internal/model"
)

// The interface files of a run (interface-run.md): the outbound POR records,
// the APP applicant files and ESR's APC confirmations. They are interchange
// files, not reports: values are written exactly as held (no formula
// guarding, no trimming) so a reader gets back what the run sent. Only
// the findings CSV goes through SafeCSVValue (docs/outputs.md). Records
// are written in the order given, which is the order of the run's result.

// PORHeader is the header of a POR file: the POR field names of
// interface-run.md, in its order.
var PORHeader = []string{"positionID", "changeDeleteIndicator", "positionNumber", "positionTitle",
	"deaneryNumber", "managingOffice", "hostLeadIndicator", "odsCode", "employingOrgVPDCode",
	"esrOrganisation", "esrLocation"}

// PORFile writes POR records as RFC 4180 CSV with PORHeader as the header,
// in the order given.
func PORFile(w io.Writer, recs []exchange.POR) error {
	cw := csv.NewWriter(w)
	rows := func(yield func([]string) bool) {
		var row [11]string // one row, reused: the writer keeps none
		for _, r := range recs {
			row = [...]string{r.PositionID, r.ChangeDeleteIndicator, r.PositionNumber, r.PositionTitle,
				r.DeaneryNumber, r.ManagingOffice, r.HostLeadIndicator, r.ODSCode, r.EmployingOrgVPDCode,
				r.ESROrganisation, r.ESRLocation}
			if !yield(row[:]) {
				return
			}
		}
	}
	if err := writeCSV(cw, PORHeader, rows); err != nil {
		return fmt.Errorf("write por file: %w", err)
	}
	return nil
}

// APPHeader is the header of an APP file in CSV: the APP field names of
// interface-run.md in its order, the nested ones flattened with a dot
// (address.address1 ... address.country; professionalBodies.body,
// professionalBodies.regNumber, professionalBodies.expiryDate for the one
// GMC registration an applicant carries).
var APPHeader = []string{"effectiveDate", "applicantEmailAddress", "lastName", "firstName", "middleNames",
	"title", "dob", "gender", "address.address1", "address.town", "address.county", "address.postcode",
	"address.country", "homeTel", "mobileTel", "ethnicOriginCode", "professionalBodies.body",
	"professionalBodies.regNumber", "professionalBodies.expiryDate", "sexualOrientation", "religiousBelief",
	"nationality", "nationalTrainingNumber", "ukNino", "positionId", "positionNumber", "disability",
	"projectedHireDate", "projectedEndDate", "maritalStatus", "previousLastName", "countryOfBirth",
	"contactLastName", "contactFirstName", "contactTitle", "contactGender", "contactHomePhone"}

// appDate is an APP date: YYYY-MM-DD, "" when unknown.
func appDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// gmcBody is the professional body of an applicant's GMC number: "GMC"
// when there is one.
func gmcBody(a *model.Applicant) string {
	if a.GMC == "" {
		return ""
	}
	return "GMC"
}

// APPFileCSV writes an APP file as RFC 4180 CSV with APPHeader as the
// header, one row per applicant in file order. Dates are YYYY-MM-DD. Items
// model.Applicant does not hold (telephones, national training number,
// previous last name, the contact's details, address country, registration
// expiry) are empty. The file holds personal data by design (see
// APPFileCSVMeta to mask it).
func APPFileCSV(w io.Writer, f exchange.APPFile) error { return APPFileCSVMeta(w, f, Meta{}) }

// APPFileCSVMeta is APPFileCSV masking every personal field when
// meta.Redact (names to initials; GMC and NI numbers, date of birth,
// e-mail, address and the sensitive coded items to "***"; see Meta).
func APPFileCSVMeta(w io.Writer, f exchange.APPFile, meta Meta) error {
	cw := csv.NewWriter(w)
	rows := func(yield func([]string) bool) {
		var row [37]string // one row, reused: the writer keeps none
		for i := range f.Records {
			a := redactApplicant(&f.Records[i], meta)
			row = [...]string{appDate(a.EffectiveDate), a.Email, a.LastName, a.FirstName, a.MiddleNames,
				a.Title, dobText(a.DOB, time.DateOnly, meta), a.Gender, a.Address1, a.Town, a.County, a.Postcode,
				"", "", "", a.EthnicOrigin, gmcBody(a), a.GMC, "", a.SexualOrientation, a.Religion,
				a.Nationality, "", a.UKNINO, a.PositionID, a.PositionNumber, a.Disability,
				appDate(a.ProjectedHireDate), appDate(a.ProjectedEndDate), a.MaritalStatus, "", a.CountryOfBirth,
				"", "", "", "", ""}
			if !yield(row[:]) {
				return
			}
		}
	}
	if err := writeCSV(cw, APPHeader, rows); err != nil {
		return fmt.Errorf("write app file %s: %w", f.Name, err)
	}
	return nil
}

type appAddress struct {
	Address1 string `json:"address1"`
	Town     string `json:"town"`
	County   string `json:"county"`
	Postcode string `json:"postcode"`
	Country  string `json:"country"`
}

type appBody struct {
	Body       string `json:"body"`
	RegNumber  string `json:"regNumber"`
	ExpiryDate string `json:"expiryDate,omitempty"`
}

// appRecord is one APP record in JSON, members in the spec's order.
type appRecord struct {
	EffectiveDate          string     `json:"effectiveDate"`
	ApplicantEmailAddress  string     `json:"applicantEmailAddress"`
	LastName               string     `json:"lastName"`
	FirstName              string     `json:"firstName"`
	MiddleNames            string     `json:"middleNames"`
	Title                  string     `json:"title"`
	DOB                    string     `json:"dob"`
	Gender                 string     `json:"gender"`
	Address                appAddress `json:"address"`
	HomeTel                string     `json:"homeTel"`
	MobileTel              string     `json:"mobileTel"`
	EthnicOriginCode       string     `json:"ethnicOriginCode"`
	ProfessionalBodies     []appBody  `json:"professionalBodies"`
	SexualOrientation      string     `json:"sexualOrientation"`
	ReligiousBelief        string     `json:"religiousBelief"`
	Nationality            string     `json:"nationality"`
	NationalTrainingNumber string     `json:"nationalTrainingNumber"`
	UKNino                 string     `json:"ukNino"`
	PositionID             string     `json:"positionId"`
	PositionNumber         string     `json:"positionNumber"`
	Disability             string     `json:"disability"`
	ProjectedHireDate      string     `json:"projectedHireDate"`
	ProjectedEndDate       string     `json:"projectedEndDate"`
	MaritalStatus          string     `json:"maritalStatus"`
	PreviousLastName       string     `json:"previousLastName"`
	CountryOfBirth         string     `json:"countryOfBirth"`
	ContactLastName        string     `json:"contactLastName"`
	ContactFirstName       string     `json:"contactFirstName"`
	ContactTitle           string     `json:"contactTitle"`
	ContactGender          string     `json:"contactGender"`
	ContactHomePhone       string     `json:"contactHomePhone"`
}

// APPFileJSONL writes an APP file as JSON lines: one object per applicant in
// file order, members named and ordered as the spec's APP fields, address as
// an object {address1, town, county, postcode, country} and
// professionalBodies as [{"body":"GMC","regNumber":"..."}] ([] without a GMC
// number). Dates are YYYY-MM-DD, unknown items "". The file holds personal
// data by design (see APPFileJSONLMeta to mask it).
func APPFileJSONL(w io.Writer, f exchange.APPFile) error { return APPFileJSONLMeta(w, f, Meta{}) }

// APPFileJSONLMeta is APPFileJSONL masking every personal field when
// meta.Redact, as APPFileCSVMeta.
func APPFileJSONLMeta(w io.Writer, f exchange.APPFile, meta Meta) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range f.Records {
		a := redactApplicant(&f.Records[i], meta)
		rec := appRecord{
			EffectiveDate:         appDate(a.EffectiveDate),
			ApplicantEmailAddress: a.Email,
			LastName:              a.LastName,
			FirstName:             a.FirstName,
			MiddleNames:           a.MiddleNames,
			Title:                 a.Title,
			DOB:                   dobText(a.DOB, time.DateOnly, meta),
			Gender:                a.Gender,
			Address:               appAddress{Address1: a.Address1, Town: a.Town, County: a.County, Postcode: a.Postcode},
			EthnicOriginCode:      a.EthnicOrigin,
			ProfessionalBodies:    []appBody{},
			SexualOrientation:     a.SexualOrientation,
			ReligiousBelief:       a.Religion,
			Nationality:           a.Nationality,
			UKNino:                a.UKNINO,
			PositionID:            a.PositionID,
			PositionNumber:        a.PositionNumber,
			Disability:            a.Disability,
			ProjectedHireDate:     appDate(a.ProjectedHireDate),
			ProjectedEndDate:      appDate(a.ProjectedEndDate),
			MaritalStatus:         a.MaritalStatus,
			CountryOfBirth:        a.CountryOfBirth,
		}
		if a.GMC != "" {
			rec.ProfessionalBodies = []appBody{{Body: "GMC", RegNumber: a.GMC}}
		}
		if err := enc.Encode(&rec); err != nil {
			return fmt.Errorf("write app file %s: record %d: %w", f.Name, i+1, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write app file %s: %w", f.Name, err)
	}
	return nil
}

// APCHeader is the header of an APC file: the APC field names of
// interface-run.md, in its order.
var APCHeader = []string{"esrVacancyId", "vacancyRefNumber", "deaneryNumber", "loadStatusCode", "messageType",
	"messageText", "applicantNumber", "assignmentId", "positionId", "positionNumber"}

// APCFileCSV writes an APC file as RFC 4180 CSV with APCHeader as the
// header, one row per confirmation message in the order given. The
// applicant's name, placement and VPD (not APC fields) are not written.
func APCFileCSV(w io.Writer, f exchange.APCFile) error { return APCFileCSVMeta(w, f, Meta{}) }

// APCFileCSVMeta is APCFileCSV masking, when meta.Redact, the sensitive
// coded value a WARNING message quotes ("... The value *** will be
// ignored."; see Meta).
func APCFileCSVMeta(w io.Writer, f exchange.APCFile, meta Meta) error {
	cw := csv.NewWriter(w)
	rows := func(yield func([]string) bool) {
		var row [10]string // one row, reused: the writer keeps none
		for _, r := range f.Records {
			row = [...]string{strconv.Itoa(r.ESRVacancyID), r.VacancyRefNumber, r.DeaneryNumber, r.LoadStatusCode,
				r.MessageType, apcMessage(r.MessageText, meta), r.ApplicantNumber, r.AssignmentID, r.PositionID, r.PositionNumber}
			if !yield(row[:]) {
				return
			}
		}
	}
	if err := writeCSV(cw, APCHeader, rows); err != nil {
		return fmt.Errorf("write apc file %s: %w", f.Name, err)
	}
	return nil
}

// writeCSV writes a header and rows, then flushes.
func writeCSV(cw *csv.Writer, header []string, rows func(yield func([]string) bool)) error {
	if err := cw.Write(header); err != nil {
		return err
	}
	var err error
	rows(func(r []string) bool {
		err = cw.Write(r)
		return err == nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
