package interchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"dpnkit/internal/exchange"
	"dpnkit/internal/model"
	"dpnkit/internal/redact"
)

// Encoding is how an APP file is written.
type Encoding int

const (
	CSV       Encoding = iota // RFC 4180 CSV, APPRecord's csv layout
	JSONLines                 // one JSON object a line, APPRecord's json layout
)

// APPRecord is one APP record as written: its csv tags are the CSV layout
// (the nested items flattened with a dot: address.town), its json tags
// the JSON lines layout (address an object, professionalBodies a list),
// both in the field order of the interface specification
// (docs/interface-files.md). Dates are YYYY-MM-DD; an item unknown or not
// held by model.Applicant (telephones, national training number, previous
// last name, the contact's details, address country, registration expiry)
// is "".
type APPRecord struct {
	EffectiveDate          string     `csv:"effectiveDate" json:"effectiveDate"`
	ApplicantEmailAddress  string     `csv:"applicantEmailAddress" json:"applicantEmailAddress"`
	LastName               string     `csv:"lastName" json:"lastName"`
	FirstName              string     `csv:"firstName" json:"firstName"`
	MiddleNames            string     `csv:"middleNames" json:"middleNames"`
	Title                  string     `csv:"title" json:"title"`
	DOB                    string     `csv:"dob" json:"dob"`
	Gender                 string     `csv:"gender" json:"gender"`
	Address                APPAddress `csv:"address" json:"address"`
	HomeTel                string     `csv:"homeTel" json:"homeTel"`
	MobileTel              string     `csv:"mobileTel" json:"mobileTel"`
	EthnicOriginCode       string     `csv:"ethnicOriginCode" json:"ethnicOriginCode"`
	ProfessionalBodies     APPBody    `csv:"professionalBodies" json:"professionalBodies"`
	SexualOrientation      string     `csv:"sexualOrientation" json:"sexualOrientation"`
	ReligiousBelief        string     `csv:"religiousBelief" json:"religiousBelief"`
	Nationality            string     `csv:"nationality" json:"nationality"`
	NationalTrainingNumber string     `csv:"nationalTrainingNumber" json:"nationalTrainingNumber"`
	UKNino                 string     `csv:"ukNino" json:"ukNino"`
	PositionID             string     `csv:"positionId" json:"positionId"`
	PositionNumber         string     `csv:"positionNumber" json:"positionNumber"`
	Disability             string     `csv:"disability" json:"disability"`
	ProjectedHireDate      string     `csv:"projectedHireDate" json:"projectedHireDate"`
	ProjectedEndDate       string     `csv:"projectedEndDate" json:"projectedEndDate"`
	MaritalStatus          string     `csv:"maritalStatus" json:"maritalStatus"`
	PreviousLastName       string     `csv:"previousLastName" json:"previousLastName"`
	CountryOfBirth         string     `csv:"countryOfBirth" json:"countryOfBirth"`
	ContactLastName        string     `csv:"contactLastName" json:"contactLastName"`
	ContactFirstName       string     `csv:"contactFirstName" json:"contactFirstName"`
	ContactTitle           string     `csv:"contactTitle" json:"contactTitle"`
	ContactGender          string     `csv:"contactGender" json:"contactGender"`
	ContactHomePhone       string     `csv:"contactHomePhone" json:"contactHomePhone"`
}

// APPAddress is an APP record's address.
type APPAddress struct {
	Address1 string `csv:"address1" json:"address1"`
	Town     string `csv:"town" json:"town"`
	County   string `csv:"county" json:"county"`
	Postcode string `csv:"postcode" json:"postcode"`
	Country  string `csv:"country" json:"country"`
}

// APPBody is an APP record's professional body registration: the one GMC
// registration an applicant carries, or none (every item ""). In JSON it
// is the list professionalBodies: [] for none, else
// [{"body":"GMC","regNumber":"..."}] (expiryDate only when known).
type APPBody struct {
	Body       string `csv:"body" json:"body"`
	RegNumber  string `csv:"regNumber" json:"regNumber"`
	ExpiryDate string `csv:"expiryDate" json:"expiryDate,omitempty"`
}

// MarshalJSON writes b as the list professionalBodies, HTML characters
// unescaped as in the rest of the record.
func (b APPBody) MarshalJSON() ([]byte, error) {
	if b == (APPBody{}) {
		return []byte("[]"), nil
	}
	type body APPBody // the same fields, without this method
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode([]body{body(b)}); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// appRecord is the APP record of applicant a, masked by pol.
func appRecord(a *model.Applicant, pol redact.Policy) APPRecord {
	dob := pol.DOB(a.DOB, time.DateOnly)
	a = pol.Applicant(a)
	r := APPRecord{
		EffectiveDate:         appDate(a.EffectiveDate),
		ApplicantEmailAddress: a.Email,
		LastName:              a.LastName,
		FirstName:             a.FirstName,
		MiddleNames:           a.MiddleNames,
		Title:                 a.Title,
		DOB:                   dob,
		Gender:                a.Gender,
		Address:               APPAddress{Address1: a.Address1, Town: a.Town, County: a.County, Postcode: a.Postcode},
		EthnicOriginCode:      a.EthnicOrigin,
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
		r.ProfessionalBodies = APPBody{Body: "GMC", RegNumber: a.GMC}
	}
	return r
}

// appDate is an APP date: YYYY-MM-DD, "" when unknown.
func appDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// WriteAPP writes an APP file in enc, one record per applicant in file
// order (JSON lines keep UTF-8 unescaped). The file names trainees by
// design; pol masks every personal item (names to initials; GMC and NI
// numbers, date of birth, e-mail, address and the sensitive coded items to
// redact.Masked).
func WriteAPP(w io.Writer, f exchange.APPFile, enc Encoding, pol redact.Policy) error {
	var err error
	if enc == JSONLines {
		err = writeAPPJSON(w, f, pol)
	} else {
		err = writeAPPCSV(w, f, pol)
	}
	if err != nil {
		return fmt.Errorf("write app file %s: %w", f.Name, err)
	}
	return nil
}

func writeAPPCSV(w io.Writer, f exchange.APPFile, pol redact.Policy) error {
	c := newCSVRecords[APPRecord](w)
	if err := c.header(); err != nil {
		return err
	}
	for i := range f.Records {
		r := appRecord(&f.Records[i], pol)
		if err := c.write(&r); err != nil {
			return err
		}
	}
	return c.flush()
}

func writeAPPJSON(w io.Writer, f exchange.APPFile, pol redact.Policy) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range f.Records {
		r := appRecord(&f.Records[i], pol)
		if err := enc.Encode(&r); err != nil {
			return fmt.Errorf("record %d: %w", i+1, err)
		}
	}
	return bw.Flush()
}
