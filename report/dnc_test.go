package report

import (
	"bytes"
	"strings"
	"testing"

	"dpnkit/internal/exchange"
)

// dncResult: post 20000001 of VPD 999 held by Wiśniewski until 01/12/2026,
// next by 李 伟 (now at Elsewhere, VPD 888: the MEDROT found that site, so the
// next holder carries it as CurrentPlacement); a withdrawal on it; a new post.
func dncResult() *exchange.Result {
	cur := &exchange.Holder{PlacementID: "C1", LastName: "Wiśniewski", FirstName: "Zoë", GMC: "7544158",
		ProjectedEnd: rday(2026, 12, 1), Site: "General Hospital", WTE: "1"}
	next := &exchange.Holder{PlacementID: "N1", LastName: "李", FirstName: "伟", GMC: "7585938", Email: "wei.li@nhs.uk",
		WTE: "0.5", ProjectedStart: rday(2026, 12, 2), Site: "General Hospital", Grade: "ST4",
		CurrentPlacement: "Elsewhere"}
	pos := &exchange.PositionDetails{PositionID: "888888888", PositionNumber: "20000001", OccupationCode: "004",
		HostLead: "Host Employer", VPD: "999"}
	return &exchange.Result{AsOf: runAsOf,
		MEDROT: []exchange.MedrotRow{
			{VPD: "999", PositionNumber: "20000001", TPN: "KSS/RXX/001/F1/001", PlaceOfWork: "General Hospital", Current: cur, Next: next},
			{VPD: "888", PositionNumber: "30000001", TPN: "LDN/R1K01/IMT/001", PlaceOfWork: "Elsewhere",
				Current: &exchange.Holder{PlacementID: "C5", LastName: "李", FirstName: "伟", GMC: "7585938", Site: "Elsewhere"}},
		},
		Notifications: []exchange.Notification{
			{Type: exchange.NotifyHolders, VPD: "999", Deanery: "KSS", DeaneryNumber: "KSS/RXX/001/F1/001",
				PositionNumber: "20000001", PlacementID: "N1", Current: cur, Next: next, Specialty: "Paediatrics", Position: pos},
			{Type: exchange.NotifyWithdrawn, VPD: "999", Deanery: "KSS", DeaneryNumber: "KSS/RXX/001/F1/001",
				PositionNumber: "20000001", PlacementID: "P7", NewStart: rday(2027, 2, 3), Reason: "3",
				ApplicantName: "O'Brien,Siân", GMC: "7021070", Position: pos},
			{Type: exchange.NotifyNewPost, VPD: "999", Deanery: "KSS", DeaneryNumber: "KSS/RYY/002/ST1/004",
				Next: &exchange.Holder{Site: "Medical Centre"}, Specialty: "General Practice"},
		},
		NotificationFiles: []exchange.NotificationFile{{Name: "DE_KSS_DNC_20261125_00000003", Deanery: "KSS",
			Type: exchange.FileDNC, Seq: 3, Notes: []int32{0, 1, 2}}},
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

func TestDNCFile(t *testing.T) {
	r := dncResult()
	var buf bytes.Buffer
	if err := DNCFile(&buf, r.NotificationFiles[0], r.Notifications, exchange.NewDNCContext(r), runMeta()); err != nil {
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
		if n := strings.Count(line, ",") + 1; n != 35 && !strings.Contains(line, "\"") {
			t.Errorf("expected line %d has %d fields, want 35", i+1, n)
		}
	}
}

func TestDNCFileRedacted(t *testing.T) {
	r := dncResult()
	var buf bytes.Buffer
	if err := DNCFile(&buf, r.NotificationFiles[0], r.Notifications, exchange.NewDNCContext(r), redactMeta()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// (A one-character name, 李, is its own initial: RedactName keeps "李.".)
	for _, s := range []string{"Wiśniewski", "Zoë", "7544158", "7585938", "wei.li@nhs.uk", "O'Brien", "7021070"} {
		if strings.Contains(out, s) {
			t.Errorf("redacted DNC file holds %q:\n%s", s, out)
		}
	}
	if !strings.Contains(out, ",W.,Z.,***,2026-12-01,") || !strings.Contains(out, ",O.,S.,***,3,") {
		t.Errorf("redacted DNC file lacks the initials and masks:\n%s", out)
	}
}

// A file of more records than are made at a time: one header, every
// record once, in order.
func TestDNCFileChunks(t *testing.T) {
	r := dncResult()
	notes := make([]int32, 2*dncChunk+7)
	for i := range notes {
		notes[i] = int32(i % 3)
	}
	f := exchange.NotificationFile{Name: "DE_KSS_DNF_20261125_00000001", Deanery: "KSS", Type: exchange.FileDNF, Notes: notes}
	var buf bytes.Buffer
	if err := DNCFile(&buf, f, r.Notifications, exchange.NewDNCContext(r), runMeta()); err != nil {
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
	bad := f
	bad.Notes = []int32{3}
	if err := DNCFile(&bytes.Buffer{}, bad, r.Notifications, exchange.NewDNCContext(r), runMeta()); err == nil ||
		!strings.Contains(err.Error(), bad.Name) {
		t.Errorf("a record out of range: error %v, want one naming the file", err)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"López":                    "López",
		"Wiśniewski":               "Wiśniewski",
		"Ørsted, 李伟":               "Ørsted, 李伟",
		"a\tb\nc\rd":               `a\tb\nc\rd`,
		"nul\x00 del\x7f c1\u0085": `nul\u0000 del\u007f c1\u0085`,
		"zero\u200bwidth\u202e":    `zero\u200bwidth\u202e`,
		"bad\xffbyte":              `bad\xffbyte`,
		"nbsp\u00a0kept":           "nbsp\u00a0kept",
		"line\u2028sep":            `line\u2028sep`,
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}
