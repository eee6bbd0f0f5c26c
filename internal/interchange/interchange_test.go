package interchange

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"dpnkit/internal/exchange"
	"dpnkit/internal/redact"
)

func TestWritePOR(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePOR(&buf, porRecords()); err != nil {
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

func TestWritePOREmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePOR(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "\n"); got != 1 || !strings.HasPrefix(buf.String(), "positionID,") {
		t.Errorf("empty POR file is %q, want the header only", buf.String())
	}
}

const appHeader = "effectiveDate,applicantEmailAddress,lastName,firstName,middleNames,title,dob,gender,address.address1,address.town," +
	"address.county,address.postcode,address.country,homeTel,mobileTel,ethnicOriginCode,professionalBodies.body," +
	"professionalBodies.regNumber,professionalBodies.expiryDate,sexualOrientation,religiousBelief,nationality," +
	"nationalTrainingNumber,ukNino,positionId,positionNumber,disability,projectedHireDate,projectedEndDate," +
	"maritalStatus,previousLastName,countryOfBirth,contactLastName,contactFirstName,contactTitle,contactGender,contactHomePhone"

func TestWriteAPPCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAPP(&buf, appFile(), CSV, keep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	want := []string{
		appHeader,
		`2026-12-02,ann.jones@nhs.uk,Jones,Ann,Mary Kate,Dr,1995-03-04,F,"1 High St, Flat 2",Leeds,West Yorkshire,LS1 1AA,,,,A,` +
			`GMC,7585938,,Heterosexual,None,British,,QQ123456C,1001,10508064,NO,2026-12-02,2027-08-03,Single,,England,,,,,`,
		`2026-12-09,,O'Neil,Bo,,,,,,,,,,,,,,,,,,,,,1002,10508065,,,,,,,,,,,`,
		"",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("APP CSV lines:\n%q\nwant:\n%q", lines, want)
	}
	if n := strings.Count(appHeader, ",") + 1; n != 37 {
		t.Errorf("the APP header has %d fields, want 37", n)
	}
}

func TestWriteAPPJSONLines(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAPP(&buf, appFile(), JSONLines, keep); err != nil {
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
	for k, want := range map[string]any{"lastName": "O'Neil", "dob": "", "effectiveDate": "2026-12-09", "positionId": "1002",
		"professionalBodies": []any{}} {
		got, _ := json.Marshal(rec[k])
		w, _ := json.Marshal(want)
		if string(got) != string(w) {
			t.Errorf("second record %s = %s, want %s", k, got, w)
		}
	}
}

// JSON lines keep HTML characters and names as they are, inside the
// professional body list too.
func TestWriteAPPJSONLinesUnescaped(t *testing.T) {
	f := appFile()
	f.Records = f.Records[:1]
	f.Records[0].GMC = "<7585938&>"
	f.Records[0].LastName = "Wiśniewski <b>"
	var buf bytes.Buffer
	if err := WriteAPP(&buf, f, JSONLines, keep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"lastName":"Wiśniewski <b>"`, `"professionalBodies":[{"body":"GMC","regNumber":"<7585938&>"}]`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("record lacks %s:\n%s", want, buf.String())
		}
	}
}

func TestWriteAPPRedacted(t *testing.T) {
	personal := []string{"ann.jones@nhs.uk", "Jones", "Ann", "Mary", "Kate", "1995-03-04", "High St", "Leeds",
		"West Yorkshire", "LS1 1AA", "7585938", "Heterosexual", "None", "British", "QQ123456C", "Single", "England",
		"O'Neil", ",Bo,"}
	var buf bytes.Buffer
	if err := WriteAPP(&buf, appFile(), CSV, mask); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if len(lines) != 4 || lines[3] != "" {
		t.Fatalf("redacted APP file has %d lines, want header, 2 records:\n%s", len(lines), buf.String())
	}
	want := "2026-12-02,***,J.,A.,M. K.,Dr,***,F,***,***,***,***,,,,***,GMC,***,,***,***,***,,***,1001,10508064,***," +
		"2026-12-02,2027-08-03,***,,***,,,,,"
	if lines[1] != want {
		t.Errorf("redacted APP record:\n%s\nwant:\n%s", lines[1], want)
	}
	if want := "2026-12-09,,O.,B.,,,,,,,,,,,,,,,,,,,,,1002,10508065,,,,,,,,,,,"; lines[2] != want {
		t.Errorf("redacted bare APP record (blanks stay blank):\n%s\nwant:\n%s", lines[2], want)
	}
	noneOf(t, "redacted APP CSV", buf.String(), personal...)

	buf.Reset()
	if err := WriteAPP(&buf, appFile(), JSONLines, mask); err != nil {
		t.Fatal(err)
	}
	noneOf(t, "redacted APP JSON lines", buf.String(), personal...)
	var rec struct {
		LastName, DOB, UKNino, Title, Gender string
		Address                              struct{ Postcode string }
		ProfessionalBodies                   []map[string]string
	}
	if err := json.NewDecoder(&buf).Decode(&rec); err != nil {
		t.Fatal(err)
	}
	if rec.LastName != "J." || rec.DOB != redact.Masked || rec.UKNino != redact.Masked || rec.Title != "Dr" ||
		rec.Gender != "F" || rec.Address.Postcode != redact.Masked || len(rec.ProfessionalBodies) != 1 ||
		rec.ProfessionalBodies[0]["body"] != "GMC" || rec.ProfessionalBodies[0]["regNumber"] != redact.Masked {
		t.Errorf("redacted APP JSON record = %+v", rec)
	}
}

func TestWriteAPC(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAPC(&buf, apcFile(), keep); err != nil {
		t.Fatal(err)
	}
	// The applicant's name, placement and VPD are not written.
	want := "esrVacancyId,vacancyRefNumber,deaneryNumber,loadStatusCode,messageType,messageText,applicantNumber,assignmentId,positionId,positionNumber\n" +
		"1,296-Vac1,WAL/1D9PL/527/TYU/987,FAIL,ERROR,Mandatory item LAST_NAME not supplied. Application rejected.,,,1001,10508064\n" +
		"2,296-Vac1,WAL/1D9PL/527/TYU/987,SUCCESS,WARNING,Value for DISABILITY does not exist in ESR. The value NO will be ignored.,4769163,4769163,1001,10508064\n" +
		"12,296-Vac1,WAL/1D9PL/527/TYU/987,SUCCESS,INFO,Application is from a NEW Applicant,4769163,A4769163,1001,10508064\n"
	if got := buf.String(); got != want {
		t.Errorf("APC file:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteAPCRedacted(t *testing.T) {
	f := apcFile()
	var buf bytes.Buffer
	if err := WriteAPC(&buf, f, mask); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "WARNING,Value for DISABILITY does not exist in ESR. The value *** will be ignored.,4769163") {
		t.Errorf("redacted APC file does not mask the coded value:\n%s", buf.String())
	}
	noneOf(t, "redacted APC file", buf.String(), "value NO ")
	if f.Records[1].MessageText != disabilityNo {
		t.Errorf("WriteAPC changed the record it was given: %q", f.Records[1].MessageText)
	}
}

const dncHeader = "notificationTitleCode,deaneryBody,deaneryPostNumber,managingDeaneryBodyCode,occupationCode," +
	"hostLeadEmployerStatus,newTrainingPositionLocation,currentTraineeLastName,currentTraineeFirstName," +
	"currentTraineeGmcNumber,currentTraineeProjectedEndDate,currentTraineeVpdForNextPlacement," +
	"currentTraineeWorkingHoursIndicator,nextAppointmentTraineeLastName,nextAppointmentTraineeFirstName," +
	"nextAppointmentTraineeGmcNumber,nextAppointmentCurrentPlacementVpd,nextAppointmentProjectedStartDate," +
	"nextAppointmentTraineeEmailAddress,nextAppointmentTraineeGrade,withdrawnTraineeLastName," +
	"withdrawnTraineeFirstName,withdrawnTraineeGmcNumber,withdrawalReason,replacementTraineeLastName," +
	"replacementTraineeFirstName,replacementTraineeGmcNumber,replacementTraineeCurrentPlacementVpd," +
	"replacementTraineeProjectedHireDate,changeOfProjectedHireDate,changeOfProjectedEndDate,postSpeciality," +
	"workingHourIndicator,postVacantAtNextRotation,medicalRotationPostDeleteIndicator\n"

func TestWriteDNC(t *testing.T) {
	r := dncResult()
	var buf bytes.Buffer
	if err := WriteDNC(&buf, r.NotificationFiles[0], r.Notifications, exchange.NewDNCContext(r), keep); err != nil {
		t.Fatal(err)
	}
	// 35 fields a record; written out field by field.
	want := dncHeader +
		// 1: the holders; 李's current placement is in VPD 888; Wiśniewski goes nowhere known.
		"1,KSS,KSS/RXX/001/F1/001,KSS,004,Host Employer,," +
		"Wiśniewski,Zoë,7544158,2026-12-01,NOT KNOWN,1.0," +
		"李,伟,7585938,Elsewhere,2026-12-02,wei.li@nhs.uk,ST4," +
		",,,," + ",,,,," + ",," + "Paediatrics,0.5,N,\n" +
		// 2: the current holder of the post, the withdrawn trainee, reason 3.
		"2,KSS,KSS/RXX/001/F1/001,KSS,004,Host Employer,," +
		"Wiśniewski,Zoë,7544158,2026-12-01,NOT KNOWN,1.0," +
		",,,,,,," +
		"O'Brien,Siân,7021070,3," + ",,,,," + ",," + ",,N,\n" +
		// 5: the new post and its site.
		"5,KSS,KSS/RYY/002/ST1/004,KSS,,,Medical Centre," +
		",,,,,," + ",,,,,,," + ",,,," + ",,,,," + ",," + "General Practice,,Y,\n"
	if got := buf.String(); got != want {
		t.Errorf("DNC file:\n%s\nwant:\n%s", got, want)
	}
	for i, line := range strings.Split(strings.TrimSuffix(want, "\n"), "\n") {
		if n := strings.Count(line, ",") + 1; n != 35 {
			t.Errorf("expected line %d has %d fields, want 35", i+1, n)
		}
	}
}

func TestWriteDNCRedacted(t *testing.T) {
	r := dncResult()
	var buf bytes.Buffer
	if err := WriteDNC(&buf, r.NotificationFiles[0], r.Notifications, exchange.NewDNCContext(r), mask); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	noneOf(t, "redacted DNC file", out, "Wiśniewski", "Zoë", "7544158", "7585938", "wei.li@nhs.uk", "O'Brien",
		"7021070", "李", "伟")
	// 李 伟, one letter each, are "*" and "*".
	for _, want := range []string{",W.,Z.,***,2026-12-01,", ",O.,S.,***,3,", ",*,*,***,Elsewhere,2026-12-02,***,ST4,"} {
		if !strings.Contains(out, want) {
			t.Errorf("redacted DNC file lacks %q:\n%s", want, out)
		}
	}
}

// A long file: one header, every record once, in order; an index that is
// not a notification of the run fails, naming the file.
func TestWriteDNCRecords(t *testing.T) {
	r := dncResult()
	notes := make([]int32, 1031)
	for i := range notes {
		notes[i] = int32(i % 3)
	}
	f := exchange.NotificationFile{Name: "DE_KSS_DNF_20261125_00000001", Deanery: "KSS", Type: exchange.FileDNF, Notes: notes}
	var buf bytes.Buffer
	if err := WriteDNC(&buf, f, r.Notifications, exchange.NewDNCContext(r), keep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(notes)+1 || strings.Count(buf.String(), "notificationTitleCode") != 1 {
		t.Fatalf("%d lines, want a header and %d records", len(lines), len(notes))
	}
	for i, x := range notes {
		if code := lines[i+1][:1]; code != [...]string{"1", "2", "5"}[x] {
			t.Fatalf("record %d has title code %s, want that of notification %d", i+1, code, x)
		}
	}
	for _, bad := range []int32{3, -1} {
		g := f
		g.Notes = []int32{0, bad}
		if err := WriteDNC(io.Discard, g, r.Notifications, exchange.NewDNCContext(r), keep); err == nil ||
			!strings.Contains(err.Error(), g.Name) {
			t.Errorf("record %d: error %v, want one naming the file", bad, err)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	r := dncResult()
	for _, tc := range []struct {
		name, wantInErr string
		write           func(io.Writer) error
	}{
		{"por", "write por file", func(w io.Writer) error { return WritePOR(w, porRecords()) }},
		{"app csv", "write app file DE_KSS_APP_20261125_00000007", func(w io.Writer) error { return WriteAPP(w, appFile(), CSV, keep) }},
		{"app jsonl", "write app file DE_KSS_APP_20261125_00000007", func(w io.Writer) error {
			return WriteAPP(w, appFile(), JSONLines, keep)
		}},
		{"apc", "write apc file DE_KSS_APC_20261125_00000007", func(w io.Writer) error { return WriteAPC(w, apcFile(), keep) }},
		{"dnc", "write DNC file DE_KSS_DNC_20261125_00000003", func(w io.Writer) error {
			return WriteDNC(w, r.NotificationFiles[0], r.Notifications, exchange.NewDNCContext(r), keep)
		}},
	} {
		err := tc.write(brokenWriter{})
		if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), tc.wantInErr) {
			t.Errorf("%s: error = %v, want one containing %q and the write error", tc.name, err, tc.wantInErr)
		}
	}
}

// noneOf fails if text contains any of values.
func noneOf(t *testing.T, what, text string, values ...string) {
	t.Helper()
	for _, v := range values {
		if strings.Contains(text, v) {
			t.Errorf("%s contains personal value %q", what, v)
		}
	}
}
