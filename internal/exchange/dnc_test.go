package exchange

import (
	"reflect"
	"slices"
	"testing"

	"dpnkit/internal/model"
)

const dpnOther = "KSS/RJZ02/030/STR/003" // a post of another trust (VPD 505)

// dncScenario is a two-day scenario written out by hand: KSS posts A and B
// in VPD 504 and C in VPD 505.
//
// Day 1 (25/11/2026): López holds A until 05/12/2026 and then moves to C
// in the other trust (from 06/12/2026, District Hospital); Wiśniewski is
// A's next holder from 25/12/2026; Ørsted is B's from 04/01/2027.
//
// Day 2 (26/11/2026): Wiśniewski's placement is deleted, Ørsted's is
// re-dated to 11/01/2027-01/10/2027, and a post first seen in TIS,
// KSS/NEWSITE/101/GP/001, has a placement (李 伟, Health Centre).
func dncScenario() (day1, day2 scenario) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA), position("504", "9002", "10000017", dpnB),
		position("505", "9003", "20000001", dpnOther)}
	for i := range pos {
		pos[i].OccupationCode = "N1L"
	}
	lopez := placement("PA1", dpnA, "López", "Ana", gmcN(1), day0(-100), day0(10))
	lopez.Specialty = "Cardiology"
	lopezNext := placement("PC1", dpnOther, "López", "Ana", gmcN(1), day0(11), day0(200))
	lopezNext.Site = "District Hospital"
	wis := placement("PA2", dpnA, "Wiśniewski", "Jan", gmcN(2), day0(30), day0(395))
	wis.Specialty, wis.Email, wis.WTE = "Cardiology", "jan.w@nhs.uk", "0.8"
	orsted := placement("PB1", dpnB, "Ørsted", "Hans", gmcN(3), day0(40), day0(300))
	day1 = scenario{positions: pos, placements: []model.Placement{lopez, lopezNext, wis, orsted}}
	moved := orsted
	moved.DateFrom, moved.DateTo = day0(47), day0(310)
	li := placement("P5", "KSS/NEWSITE/101/GP/001", "李", "伟", gmcN(5), day0(60), day0(400))
	li.Site, li.Specialty = "Health Centre", "General Practice"
	day2 = scenario{at: day0(1), positions: pos, placements: []model.Placement{lopez, lopezNext, moved, li}}
	return day1, day2
}

// dncRecords are the records of a result's notification files, by file name.
func dncRecords(r *Result) map[string][]DNCRecord {
	c := NewDNCContext(r)
	out := make(map[string][]DNCRecord)
	for _, f := range r.NotificationFiles {
		for _, x := range f.Notes {
			out[f.Name] = append(out[f.Name], c.Record(&r.Notifications[x], f.Deanery))
		}
	}
	return out
}

func TestDNFListsEveryHolder(t *testing.T) {
	day1, _ := dncScenario()
	r := day1.run(t, State{})
	want := []NotificationFile{{Name: "DE_KSS_DNF_20261125_00000001", Deanery: "KSS", Type: FileDNF, Seq: 1,
		Notes: []int32{0, 1, 2}}}
	if !reflect.DeepEqual(r.NotificationFiles, want) {
		t.Fatalf("first run's files = %+v, want %+v", r.NotificationFiles, want)
	}
	got := dncRecords(r)["DE_KSS_DNF_20261125_00000001"]
	wantRecs := []DNCRecord{
		{NotificationTitleCode: "1", DeaneryBody: "KSS", DeaneryPostNumber: dpnA, ManagingDeaneryBodyCode: "KSS",
			OccupationCode: "N1L", HostLeadEmployerStatus: "Lead Employer",
			CurrentTraineeLastName: "López", CurrentTraineeFirstName: "Ana", CurrentTraineeGmcNumber: "7000001",
			CurrentTraineeProjectedEndDate: "2026-12-05", CurrentTraineeVpdForNextPlacement: "District Hospital",
			CurrentTraineeWorkingHoursIndicator: "1.0",
			NextAppointmentTraineeLastName:      "Wiśniewski", NextAppointmentTraineeFirstName: "Jan",
			NextAppointmentTraineeGmcNumber: "7000002", NextAppointmentCurrentPlacementVpd: NotKnown,
			NextAppointmentProjectedStartDate: "2026-12-25", NextAppointmentTraineeEmailAddress: "jan.w@nhs.uk",
			NextAppointmentTraineeGrade: "ST3", PostSpeciality: "Cardiology", WorkingHourIndicator: "0.8",
			PostVacantAtNextRotation: "N"},
		{NotificationTitleCode: "1", DeaneryBody: "KSS", DeaneryPostNumber: dpnB, ManagingDeaneryBodyCode: "KSS",
			OccupationCode: "N1L", HostLeadEmployerStatus: "Lead Employer",
			NextAppointmentTraineeLastName: "Ørsted", NextAppointmentTraineeFirstName: "Hans",
			NextAppointmentTraineeGmcNumber: "7000003", NextAppointmentCurrentPlacementVpd: NotKnown,
			NextAppointmentProjectedStartDate: "2027-01-04", NextAppointmentTraineeGrade: "ST3",
			WorkingHourIndicator: "1.0", PostVacantAtNextRotation: "N"},
		// López next holder in the other trust: her current placement is A's site.
		{NotificationTitleCode: "1", DeaneryBody: "KSS", DeaneryPostNumber: dpnOther, ManagingDeaneryBodyCode: "KSS",
			OccupationCode: "N1L", HostLeadEmployerStatus: "Lead Employer",
			NextAppointmentTraineeLastName: "López", NextAppointmentTraineeFirstName: "Ana",
			NextAppointmentTraineeGmcNumber: "7000001", NextAppointmentCurrentPlacementVpd: "General Hospital",
			NextAppointmentProjectedStartDate: "2026-12-06", NextAppointmentTraineeGrade: "ST3",
			PostSpeciality: "", WorkingHourIndicator: "1.0", PostVacantAtNextRotation: "N"},
	}
	if !reflect.DeepEqual(got, wantRecs) {
		t.Errorf("DNF records:\n got %+v\nwant %+v", got, wantRecs)
	}
	if r.Next.Sequences["KSS_DNF"] != 1 || r.Next.Sequences["KSS_DNC"] != 0 {
		t.Errorf("sequences = %v, want KSS_DNF 1 and no DNC", r.Next.Sequences)
	}
}

func TestDNCOfTheNextDay(t *testing.T) {
	day1, day2 := dncScenario()
	r1 := day1.run(t, State{})
	r2 := day2.run(t, r1.Next)
	if len(r2.NotificationFiles) != 1 {
		t.Fatalf("second run's files = %+v, want one DNC", r2.NotificationFiles)
	}
	f := r2.NotificationFiles[0]
	if f.Name != "DE_KSS_DNC_20261126_00000001" || f.Type != FileDNC || f.Seq != 1 || len(f.Notes) != len(r2.Notifications) {
		t.Fatalf("second run's file = %+v, want DE_KSS_DNC_20261126_00000001 with all %d notifications", f, len(r2.Notifications))
	}
	byCode := make(map[string][]DNCRecord)
	for _, rec := range dncRecords(r2)[f.Name] {
		byCode[rec.NotificationTitleCode] = append(byCode[rec.NotificationTitleCode], rec)
	}
	// Type 1: the one that comes with Wiśniewski's withdrawal (about PA2:
	// A's holders now, López and no next holder), which A's new MEDROT row
	// would only repeat (notify), and B's new row, which is also the type 1
	// of Ørsted's date change (one key).
	if n := [...]int{len(byCode["1"]), len(byCode["2"]), len(byCode["4"]), len(byCode["5"])}; n != [...]int{2, 1, 1, 1} {
		t.Fatalf("records by title code 1, 2, 4, 5 = %v, want 2, 1, 1, 1", n)
	}
	wantWithdrawn := DNCRecord{NotificationTitleCode: "2", DeaneryBody: "KSS", DeaneryPostNumber: dpnA,
		ManagingDeaneryBodyCode: "KSS", OccupationCode: "N1L", HostLeadEmployerStatus: "Lead Employer",
		CurrentTraineeLastName: "López", CurrentTraineeFirstName: "Ana", CurrentTraineeGmcNumber: "7000001",
		CurrentTraineeProjectedEndDate: "2026-12-05", CurrentTraineeVpdForNextPlacement: "District Hospital",
		CurrentTraineeWorkingHoursIndicator: "1.0",
		WithdrawnTraineeLastName:            "Wiśniewski", WithdrawnTraineeFirstName: "Jan", WithdrawnTraineeGmcNumber: "7000002",
		WithdrawalReason: "3", PostSpeciality: "Cardiology", PostVacantAtNextRotation: "Y"}
	if got := byCode["2"][0]; got != wantWithdrawn {
		t.Errorf("withdrawal:\n got %+v\nwant %+v", got, wantWithdrawn)
	}
	wantChange := DNCRecord{NotificationTitleCode: "4", DeaneryBody: "KSS", DeaneryPostNumber: dpnB,
		ManagingDeaneryBodyCode: "KSS", OccupationCode: "N1L", HostLeadEmployerStatus: "Lead Employer",
		NextAppointmentTraineeLastName: "Ørsted", NextAppointmentTraineeFirstName: "Hans",
		NextAppointmentTraineeGmcNumber: "7000003", NextAppointmentCurrentPlacementVpd: NotKnown,
		NextAppointmentProjectedStartDate: "2027-01-11", NextAppointmentTraineeGrade: "ST3",
		ChangeOfProjectedHireDate: "2027-01-11", ChangeOfProjectedEndDate: "2027-10-01",
		WorkingHourIndicator: "1.0", PostVacantAtNextRotation: "N"}
	if got := byCode["4"][0]; got != wantChange {
		t.Errorf("date change:\n got %+v\nwant %+v", got, wantChange)
	}
	wantNew := DNCRecord{NotificationTitleCode: "5", DeaneryBody: "KSS", DeaneryPostNumber: "KSS/NEWSITE/101/GP/001",
		ManagingDeaneryBodyCode: "KSS", NewTrainingPositionLocation: "Health Centre", PostSpeciality: "General Practice",
		PostVacantAtNextRotation: "Y"}
	if got := byCode["5"][0]; got != wantNew {
		t.Errorf("new post:\n got %+v\nwant %+v", got, wantNew)
	}
	// A's holders now: López alone, the post vacant at the next rotation.
	if got := byCode["1"][0]; got.DeaneryPostNumber != dpnA || got.CurrentTraineeLastName != "López" ||
		got.NextAppointmentTraineeLastName != "" || got.PostVacantAtNextRotation != "Y" {
		t.Errorf("post A's holders = %+v", got)
	}
	// The notices carry the specialty and, but for the new post, the position.
	for _, n := range r2.Notifications {
		if n.Type == NotifyWithdrawn && (n.Specialty != "Cardiology" || n.Position == nil ||
			n.Position.PositionID != "9001" || n.Position.Title != "Specialty Registrar" || n.Position.Location != "General Hospital") {
			t.Errorf("withdrawal's specialty %q, position %+v", n.Specialty, n.Position)
		}
		if n.Type == NotifyNewPost && (n.Specialty != "General Practice" || n.Position != nil) {
			t.Errorf("new post's specialty %q, position %+v", n.Specialty, n.Position)
		}
	}
	// The same day again: nothing new, no file.
	if r3 := day2.run(t, r2.Next); len(r3.NotificationFiles) != 0 || r3.Next.Sequences["KSS_DNC"] != 1 {
		t.Errorf("re-run files = %+v, DNC sequence %d; want none, 1", r3.NotificationFiles, r3.Next.Sequences["KSS_DNC"])
	}
}

// A current holder's end date moved: the record is the current trainee's,
// without a projected end date; the new end date always, the hire date
// only when it is after the as-of date.
func TestDNCRecordCurrentHolderEndDate(t *testing.T) {
	res := &Result{AsOf: asOf}
	n := Notification{Type: NotifyDateChange, VPD: "504", Deanery: "KSS", DeaneryNumber: dpnA, PositionNumber: "1",
		PlacementID: "PX", OldStart: day0(-30), NewStart: day0(-30), OldEnd: day0(60), NewEnd: day0(90),
		ApplicantName: "Kowalczyk,Zoë", GMC: "7000009"}
	got := NewDNCContext(res).Record(&n, "KSS")
	want := DNCRecord{NotificationTitleCode: "4", DeaneryBody: "KSS", DeaneryPostNumber: dpnA, ManagingDeaneryBodyCode: "KSS",
		CurrentTraineeLastName: "Kowalczyk", CurrentTraineeFirstName: "Zoë", CurrentTraineeGmcNumber: "7000009",
		CurrentTraineeVpdForNextPlacement: NotKnown, ChangeOfProjectedEndDate: "2027-02-23", PostVacantAtNextRotation: "Y"}
	if got != want {
		t.Errorf("record:\n got %+v\nwant %+v", got, want)
	}
}

func TestNonNumericVPDs(t *testing.T) {
	r := &Result{Next: State{Positions: map[string]*POR{
		"a": {EmployingOrgVPDCode: "504"}, "b": {EmployingOrgVPDCode: "RZH"}, "c": {EmployingOrgVPDCode: "12345"},
		"d": {EmployingOrgVPDCode: "RZH"}, "e": {EmployingOrgVPDCode: "0999"}, "f": {EmployingOrgVPDCode: "５０４"},
	}}}
	if got, want := r.NonNumericVPDs(), []string{"12345", "RZH", "５０４"}; !slices.Equal(got, want) {
		t.Errorf("NonNumericVPDs = %q, want %q", got, want)
	}
}

func TestDNCWTE(t *testing.T) {
	for in, want := range map[string]string{"1": "1.0", " 0.75 ": "0.8", "0.5": "0.5", "": "", "full": "full"} {
		if got := dncWTE(in); got != want {
			t.Errorf("dncWTE(%q) = %q, want %q", in, got, want)
		}
	}
}
