package report

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"dpnkit/internal/exchange"
	"dpnkit/internal/model"
)

func TestPORFile(t *testing.T) {
	recs := []exchange.POR{
		{PositionID: "1001", ChangeDeleteIndicator: "C", PositionNumber: "10508064", PositionTitle: "Foundation Year 1, Surgery",
			DeaneryNumber: seedDPN, ManagingOffice: "KSS", HostLeadIndicator: "Host Employer", ODSCode: "RXX",
			EmployingOrgVPDCode: "999", ESROrganisation: "999 General Hospital NHS Trust", ESRLocation: "Main Site"},
		{PositionID: "1003", ChangeDeleteIndicator: "D", PositionNumber: "10508066"},
	}
	var buf bytes.Buffer
	if err := PORFile(&buf, recs); err != nil {
		t.Fatal(err)
	}
	// The published POR schema's order: odsCode (RXX) before
	// hostLeadIndicator (Host Employer).
	want := "positionID,changeDeleteIndicator,positionNumber,positionTitle,deaneryNumber,managingOffice,odsCode,hostLeadIndicator,employingOrgVPDCode,esrOrganisation,esrLocation\n" +
		`1001,C,10508064,"Foundation Year 1, Surgery",WAL/1D9PL/527/TYU/987,KSS,RXX,Host Employer,999,999 General Hospital NHS Trust,Main Site` + "\n" +
		"1003,D,10508066,,,,,,,,\n"
	if got := buf.String(); got != want {
		t.Errorf("POR file:\n%s\nwant:\n%s", got, want)
	}
}

func TestPORFileEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := PORFile(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "\n"); got != 1 {
		t.Errorf("empty POR file has %d lines, want the header only", got)
	}
}

func appFile() exchange.APPFile {
	bare := model.Applicant{LastName: "O'Neil", FirstName: "Bo", PositionID: "1002", PositionNumber: "10508065",
		EffectiveDate: rday(2026, 12, 9)}
	return exchange.APPFile{Name: "DE_KSS_APP_20261125_00000007", Deanery: "KSS", Seq: 7,
		Records: []model.Applicant{applicant(), bare}}
}

func TestAPPFileCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := APPFileCSV(&buf, appFile()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	want := []string{
		"effectiveDate,applicantEmailAddress,lastName,firstName,middleNames,title,dob,gender,address.address1,address.town," +
			"address.county,address.postcode,address.country,homeTel,mobileTel,ethnicOriginCode,professionalBodies.body," +
			"professionalBodies.regNumber,professionalBodies.expiryDate,sexualOrientation,religiousBelief,nationality," +
			"nationalTrainingNumber,ukNino,positionId,positionNumber,disability,projectedHireDate,projectedEndDate," +
			"maritalStatus,previousLastName,countryOfBirth,contactLastName,contactFirstName,contactTitle,contactGender,contactHomePhone",
		`2026-12-02,ann.jones@nhs.uk,Jones,Ann,Mary Kate,Dr,1995-03-04,F,"1 High St, Flat 2",Leeds,West Yorkshire,LS1 1AA,,,,A,` +
			`GMC,7585938,,Heterosexual,None,British,,QQ123456C,1001,10508064,NO,2026-12-02,2027-08-03,Single,,England,,,,,`,
		`2026-12-09,,O'Neil,Bo,,,,,,,,,,,,,,,,,,,,,1002,10508065,,,,,,,,,,,`,
		"",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("APP CSV lines:\n%q\nwant:\n%q", lines, want)
	}
}

func TestAPPFileJSONL(t *testing.T) {
	var buf bytes.Buffer
	if err := APPFileJSONL(&buf, appFile()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if len(lines) != 3 || lines[2] != "" {
		t.Fatalf("APP JSONL has lines %q, want two records and a final newline", lines)
	}
	want0 := `{"effectiveDate":"2026-12-02","applicantEmailAddress":"ann.jones@nhs.uk","lastName":"Jones","firstName":"Ann",` +
		`"middleNames":"Mary Kate","title":"Dr","dob":"1995-03-04","gender":"F","address":{"address1":"1 High St, Flat 2",` +
		`"town":"Leeds","county":"West Yorkshire","postcode":"LS1 1AA","country":""},"homeTel":"","mobileTel":"",` +
		`"ethnicOriginCode":"A","professionalBodies":[{"body":"GMC","regNumber":"7585938"}],"sexualOrientation":"Heterosexual",` +
		`"religiousBelief":"None","nationality":"British","nationalTrainingNumber":"","ukNino":"QQ123456C","positionId":"1001",` +
		`"positionNumber":"10508064","disability":"NO","projectedHireDate":"2026-12-02","projectedEndDate":"2027-08-03",` +
		`"maritalStatus":"Single","previousLastName":"","countryOfBirth":"England","contactLastName":"","contactFirstName":"",` +
		`"contactTitle":"","contactGender":"","contactHomePhone":""}`
	if lines[0] != want0 {
		t.Errorf("first record:\n%s\nwant:\n%s", lines[0], want0)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &rec); err != nil {
		t.Fatalf("second record is not JSON: %v", err)
	}
	// The spec's APP field names, top level.
	wantKeys := []string{"effectiveDate", "applicantEmailAddress", "lastName", "firstName", "middleNames", "title", "dob",
		"gender", "address", "homeTel", "mobileTel", "ethnicOriginCode", "professionalBodies", "sexualOrientation",
		"religiousBelief", "nationality", "nationalTrainingNumber", "ukNino", "positionId", "positionNumber", "disability",
		"projectedHireDate", "projectedEndDate", "maritalStatus", "previousLastName", "countryOfBirth", "contactLastName",
		"contactFirstName", "contactTitle", "contactGender", "contactHomePhone"}
	var keys []string
	for k := range rec {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	slices.Sort(wantKeys)
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("record keys = %q, want %q", keys, wantKeys)
	}
	for k, want := range map[string]any{"lastName": "O'Neil", "dob": "", "effectiveDate": "2026-12-09", "positionId": "1002",
		"professionalBodies": []any{}} {
		got, _ := json.Marshal(rec[k])
		w, _ := json.Marshal(want)
		if string(got) != string(w) {
			t.Errorf("second record %s = %s, want %s", k, got, w)
		}
	}
}

func TestAPCFileCSV(t *testing.T) {
	f := exchange.APCFile{Name: "DE_KSS_APC_20261125_00000007", APPFile: "DE_KSS_APP_20261125_00000007", Records: []exchange.APC{
		{ESRVacancyID: 1, VacancyRefNumber: "296-Vac1", DeaneryNumber: seedDPN, LoadStatusCode: "FAIL", MessageType: "ERROR",
			MessageText: lastNameMissing, PositionID: "1001", PositionNumber: "10508064", ApplicantName: ",Sam", PlacementID: "P1", VPD: "999"},
		{ESRVacancyID: 2, VacancyRefNumber: "296-Vac1", DeaneryNumber: seedDPN, LoadStatusCode: "SUCCESS", MessageType: "INFO",
			MessageText: newApplicant, ApplicantNumber: "4769163", AssignmentID: "A4769163", PositionID: "1001",
			PositionNumber: "10508064", ApplicantName: "Jones,Ann"},
	}}
	var buf bytes.Buffer
	if err := APCFileCSV(&buf, f); err != nil {
		t.Fatal(err)
	}
	want := "esrVacancyId,vacancyRefNumber,deaneryNumber,loadStatusCode,messageType,messageText,applicantNumber,assignmentId,positionId,positionNumber\n" +
		"1,296-Vac1,WAL/1D9PL/527/TYU/987,FAIL,ERROR,Mandatory item LAST_NAME not supplied. Application rejected.,,,1001,10508064\n" +
		"2,296-Vac1,WAL/1D9PL/527/TYU/987,SUCCESS,INFO,Application is from a NEW Applicant,4769163,A4769163,1001,10508064\n"
	if got := buf.String(); got != want {
		t.Errorf("APC file:\n%s\nwant:\n%s", got, want)
	}
}

func TestInterfaceFilesWriteErrors(t *testing.T) {
	for _, tc := range []struct {
		name, wantInErr string
		write           func(io.Writer) error
	}{
		{"por", "write por file", func(w io.Writer) error { return PORFile(w, runResult().Outbound) }},
		{"app csv", "DE_KSS_APP_20261125_00000007", func(w io.Writer) error { return APPFileCSV(w, appFile()) }},
		{"app jsonl", "DE_KSS_APP_20261125_00000007", func(w io.Writer) error { return APPFileJSONL(w, appFile()) }},
		{"apc", "DE_KSS_APC_20261125_00000007", func(w io.Writer) error { return APCFileCSV(w, runResult().APCFiles[0]) }},
	} {
		err := tc.write(brokenWriter{})
		if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), tc.wantInErr) {
			t.Errorf("%s: error = %v, want one containing %q and the write error", tc.name, err, tc.wantInErr)
		}
	}
}
