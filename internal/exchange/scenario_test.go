package exchange

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"dpnkit/internal/model"
)

// The two-day scenario of issue 17, written out by hand. Day 1 is
// Wednesday 25/11/2026 (asOf), day 2 Thursday 26/11/2026 (day0(1)).
// Trust A is VPD 504 (Kent Hospitals), trust B VPD 612 (Surrey Hospitals).
//
// ESR positions (all KSS, occupation code N1L):
//
//	504 9001 10000016 dpnA  Host Employer  } one post, a host/lead pair
//	505 9002 20000016 dpnA  Lead Employer  }
//	504 9003 10000017 dpnB  (trust A)
//	612 9201 20000101 dpnT  (trust B)
//
// TIS placements on day 1:
//
//	PH  dpnA  Hale, Hana   gmcN(1)  day0(30)..day0(395)   next holder of the pair
//	PM1 dpnB  Moss, Mo     gmcN(2)  day0(-60)..day0(20)   Kent Royal: current in trust A
//	PM2 dpnT  Moss, Mo     gmcN(2)  day0(21)..day0(200)   Surrey General: next in trust B
//	PD  dpnB  Dean, Dora   gmcN(3)  day0(40)..day0(300)   Kent Royal: next in trust A
//	PE  dpnT  Evans, Eve   gmcN(4)  day0(-200)..day0(20)  Surrey General: current in trust B
//	PT  typoB Tait, Tom    gmcN(5)  day0(10)..day0(300)   typo of dpnB (letter O for zero)
//
// Day 2: PD is deleted; PE's end moves from day0(20) to day0(18); a new
// typo of dpnT appears (PT2, letter O for zero); a post TIS never showed
// before, newNPN, has a placement (PN, Surrey Hospitals, Health Centre).
const (
	dpnT    = "KSS/RVV01/040/STR/101"
	typoB   = "KSS/RJZO1/030/STR/002" // dpnB with the letter O for the zero of RJZ01
	typoT   = "KSS/RVV01/040/STR/1O1" // dpnT with the letter O for the zero of 101
	newNPN  = "KSS/NEW01/500/GP/001"  // no ESR position carries it; first seen on day 2
	kentNHS = "Kent Hospitals NHS Trust"
	surrey  = "Surrey Hospitals NHS Trust"
)

// twoDays returns the scenario's two days.
func twoDays(noSuggestions bool) (day1, day2 scenario) {
	pos := append(hostLeadPosts(), position("504", "9003", "10000017", dpnB), position("612", "9201", "20000101", dpnT))
	for i := range pos {
		pos[i].OccupationCode = "N1L"
	}
	at := func(p model.Placement, site, body string) model.Placement {
		p.Site, p.EmployingBody = site, body
		return p
	}
	ph := placement("PH", dpnA, "Hale", "Hana", gmcN(1), day0(30), day0(395))
	pm1 := at(placement("PM1", dpnB, "Moss", "Mo", gmcN(2), day0(-60), day0(20)), "Kent Royal", kentNHS)
	pm2 := at(placement("PM2", dpnT, "Moss", "Mo", gmcN(2), day0(21), day0(200)), "Surrey General", surrey)
	pd := at(placement("PD", dpnB, "Dean", "Dora", gmcN(3), day0(40), day0(300)), "Kent Royal", kentNHS)
	pe := at(placement("PE", dpnT, "Evans", "Eve", gmcN(4), day0(-200), day0(20)), "Surrey General", surrey)
	pt := placement("PT", typoB, "Tait", "Tom", gmcN(5), day0(10), day0(300))
	day1 = scenario{positions: pos, placements: []model.Placement{ph, pm1, pm2, pd, pe, pt}, noSuggestions: noSuggestions}

	pe2 := pe
	pe2.DateTo = day0(18)
	pt2 := placement("PT2", typoT, "Tully", "Tess", gmcN(7), day0(15), day0(300))
	pn := at(placement("PN", newNPN, "Nash", "Nia", gmcN(6), day0(50), day0(400)), "Health Centre", surrey)
	pn.Specialty = "General Practice"
	day2 = scenario{at: day0(1), positions: pos, placements: []model.Placement{ph, pm1, pm2, pe2, pt, pt2, pn},
		noSuggestions: noSuggestions}
	return day1, day2
}

// newPostNotes returns a result's type 5 notifications.
func newPostNotes(r *Result) []Notification {
	var out []Notification
	for _, n := range r.Notifications {
		if n.Type == NotifyNewPost {
			out = append(out, n)
		}
	}
	return out
}

func TestTwoDayScenario(t *testing.T) {
	for _, noSuggestions := range []bool{false, true} {
		t.Run(fmt.Sprint("noSuggestions=", noSuggestions), func(t *testing.T) {
			testTwoDays(t, noSuggestions)
		})
	}
}

func testTwoDays(t *testing.T, noSuggestions bool) {
	day1, day2 := twoDays(noSuggestions)
	r1 := day1.run(t, State{})

	// Day 1, APP: the transfer window is after day0(2) and before day0(91).
	// In it: PH (day0(30), on the pair: a record per position), PD
	// (day0(40)) and PM2 (day0(21)); PM1 and PE have started, PT matches no
	// position. One KSS file, by NPN (dpnA < dpnB < dpnT), start,
	// placement id, VPD.
	want := []string{"DE_KSS_APP_20261125_00000001",
		"PH 504 9001 10000016", "PH 505 9002 20000016", "PD 504 9003 10000017", "PM2 612 9201 20000101"}
	if got := recordsOf(r1); !reflect.DeepEqual(got, want) {
		t.Fatalf("day 1 APP records\n got %q\nwant %q", got, want)
	}
	// The pair's placement is held under a key per position; applicant
	// numbers go in file order from 4769160.
	if got, want := sentKeys(r1.Next), []string{"PD", "PH@9001", "PH@9002", "PM2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("day 1 Next.Sent keys %q, want %q", got, want)
	}
	if a, b := r1.Next.Sent["PH@9001"].ApplicantNumber, r1.Next.Sent["PH@9002"].ApplicantNumber; a != "4769160" || b != "4769161" {
		t.Errorf("PH's applicant numbers %q and %q, want 4769160 and 4769161", a, b)
	}
	// A first run with no post-created column: no type 5, not even for the
	// typo PT, and no type 2 or 4.
	if got := byType(r1); got[NotifyNewPost] != 0 || got[NotifyWithdrawn] != 0 || got[NotifyDateChange] != 0 {
		t.Errorf("day 1 notifications by type %v, want type 1 only", got)
	}

	// Day 1, MEDROT (by VPD, position number). The pair's next holder Hale
	// has a row in both trusts. Moss is A's current holder (paired with
	// Dean, same site Kent Royal), next at trust B's Surrey General; and
	// B's next holder (paired with Evans, same site), now at trust A's Kent
	// Royal. Hale, Dean and Evans have no other placement.
	wantRows := []medrotLine{
		{"504", "10000016", "", "", "Hale", ""},
		{"504", "10000017", "Moss", "Surrey General", "Dean", ""},
		{"505", "20000016", "", "", "Hale", ""},
		{"612", "20000101", "Evans", "", "Moss", "Kent Royal"},
	}
	if got := medrotLines(r1); !reflect.DeepEqual(got, wantRows) {
		t.Errorf("day 1 MEDROT\n got %+v\nwant %+v", got, wantRows)
	}

	r2 := day2.run(t, r1.Next)

	// Day 2, notifications: PD's deletion (type 2 and its type 1), PE's
	// end date (type 4 and its type 1), the new post (type 5). The MEDROT
	// rows of dpnB and dpnT changed, but their type 1 is the one that comes
	// with the change; the pair's rows did not change.
	if got, want := byType(r2), map[int]int{NotifyHolders: 2, NotifyWithdrawn: 1, NotifyDateChange: 1, NotifyNewPost: 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("day 2 notifications by type %v, want %v", got, want)
	}
	if appRecords(r2) != 0 {
		t.Errorf("day 2 APP records %q, want none", recordsOf(r2))
	}
	// PD deleted, start day0(40) before day0(1)+91: type 2, reason 3, its
	// dates, names and GMC as remembered, and the applicant number ESR
	// gave it on day 1 (third record of the file: 4769162).
	wantW := []Notification{{Type: NotifyWithdrawn, VPD: "504", Deanery: "KSS", DeaneryNumber: dpnB,
		PositionNumber: "10000017", PlacementID: "PD", NewStart: day0(40), NewEnd: day0(300), Reason: "3",
		ApplicantName: "Dean,Dora", GMC: "7000003", ApplicantNumber: "4769162"}}
	if got := withdrawals(r2); !reflect.DeepEqual(got, wantW) {
		t.Errorf("withdrawals\n got %+v\nwant %+v", got, wantW)
	}
	// PE's end day0(20) -> day0(18); its start day0(-200) is past: no new
	// hire date.
	wantC := []Notification{{Type: NotifyDateChange, VPD: "612", Deanery: "KSS", DeaneryNumber: dpnT,
		PositionNumber: "20000101", PlacementID: "PE", OldStart: day0(-200), OldEnd: day0(20), NewEnd: day0(18),
		ApplicantName: "Evans,Eve", GMC: "7000004"}}
	if got := notesOf(r2, NotifyDateChange, "PE"); !reflect.DeepEqual(got, wantC) {
		t.Errorf("PE's date change\n got %+v\nwant %+v", got, wantC)
	}
	// The type 1 with each: dpnB's holders now (Moss, no next holder);
	// dpnT's row holding PE (Evans with the new end, Moss next).
	if one := notesOf(r2, NotifyHolders, "PD"); len(one) != 1 || holderID(one[0].Current) != "PM1" || one[0].Next != nil {
		t.Errorf("type 1 about PD = %+v, want PM1 current, no next holder", one)
	}
	one := notesOf(r2, NotifyHolders, "PE")
	if len(one) != 1 || holderID(one[0].Current) != "PE" || holderID(one[0].Next) != "PM2" {
		t.Fatalf("type 1 about PE = %+v, want PE current, PM2 next", one)
	}
	if !one[0].Current.ProjectedEnd.Equal(day0(18)) {
		t.Errorf("type 1 about PE shows its end %v, want day0(18)", one[0].Current.ProjectedEnd)
	}
	// Type 5: newNPN only, in trust B (its placement's employing body,
	// Surrey Hospitals, placed its matched placements in 612). Never the
	// typos: PT (seen on day 1 too) nor PT2 (new today, a near miss).
	wantNew := []Notification{{Type: NotifyNewPost, VPD: "612", Deanery: "KSS", DeaneryNumber: newNPN,
		Next: &Holder{Site: "Health Centre"}, Specialty: "General Practice"}}
	if got := newPostNotes(r2); !reflect.DeepEqual(got, wantNew) {
		t.Errorf("day 2 new posts\n got %+v\nwant %+v", got, wantNew)
	}

	// Day 2, MEDROT: Dean is gone from A's row; Moss still goes to Surrey
	// General, and is still at Kent Royal for B's row.
	wantRows2 := []medrotLine{
		{"504", "10000016", "", "", "Hale", ""},
		{"504", "10000017", "Moss", "Surrey General", "", ""},
		{"505", "20000016", "", "", "Hale", ""},
		{"612", "20000101", "Evans", "", "Moss", "Kent Royal"},
	}
	if got := medrotLines(r2); !reflect.DeepEqual(got, wantRows2) {
		t.Errorf("day 2 MEDROT\n got %+v\nwant %+v", got, wantRows2)
	}
}

// holderTuple is a DNF record's post, current and next holders' GMC numbers.
type holderTuple struct{ dpn, current, next string }

func TestTwoDayScenarioDNC(t *testing.T) {
	day1, day2 := twoDays(true)
	r1 := day1.run(t, State{})

	// Day 1: one DNF for KSS, a type 1 record per MEDROT row, i.e. per
	// position with holders (the pair's post twice, once per trust).
	if len(r1.NotificationFiles) != 1 || r1.NotificationFiles[0].Name != "DE_KSS_DNF_20261125_00000001" {
		t.Fatalf("day 1 files %+v, want DE_KSS_DNF_20261125_00000001 alone", r1.NotificationFiles)
	}
	var got []holderTuple
	var pair []string // the pair's records' host/lead status, in file order (VPD 504, then 505)
	for _, rec := range dncRecords(r1)["DE_KSS_DNF_20261125_00000001"] {
		if rec.NotificationTitleCode != "1" {
			t.Errorf("DNF record with title code %q, want 1", rec.NotificationTitleCode)
		}
		if rec.DeaneryPostNumber == dpnA {
			pair = append(pair, rec.HostLeadEmployerStatus)
		}
		got = append(got, holderTuple{rec.DeaneryPostNumber, rec.CurrentTraineeGmcNumber, rec.NextAppointmentTraineeGmcNumber})
	}
	sort.Slice(got, func(i, j int) bool {
		a, b := got[i], got[j]
		if a.dpn != b.dpn {
			return a.dpn < b.dpn
		}
		if a.current != b.current {
			return a.current < b.current
		}
		return a.next < b.next
	})
	wantHolders := []holderTuple{
		{dpnA, "", "7000001"},        // Hale next, host position
		{dpnA, "", "7000001"},        // Hale next, lead position
		{dpnB, "7000002", "7000003"}, // Moss now, Dean next
		{dpnT, "7000004", "7000002"}, // Evans now, Moss next
	}
	if !reflect.DeepEqual(got, wantHolders) {
		t.Errorf("DNF holders\n got %+v\nwant %+v", got, wantHolders)
	}
	if want := []string{"Host Employer", "Lead Employer"}; !reflect.DeepEqual(pair, want) {
		t.Errorf("the pair's DNF records say %q, want %q", pair, want)
	}

	// Day 2: one DNC for KSS with every notification.
	r2 := day2.run(t, r1.Next)
	if len(r2.NotificationFiles) != 1 || r2.NotificationFiles[0].Name != "DE_KSS_DNC_20261126_00000001" ||
		r2.NotificationFiles[0].Type != FileDNC || len(r2.NotificationFiles[0].Notes) != len(r2.Notifications) {
		t.Fatalf("day 2 files %+v, want DE_KSS_DNC_20261126_00000001 with all %d notifications",
			r2.NotificationFiles, len(r2.Notifications))
	}
	byCode := make(map[string][]DNCRecord)
	for _, rec := range dncRecords(r2)["DE_KSS_DNC_20261126_00000001"] {
		byCode[rec.NotificationTitleCode] = append(byCode[rec.NotificationTitleCode], rec)
	}
	if n := [...]int{len(byCode["1"]), len(byCode["2"]), len(byCode["4"]), len(byCode["5"])}; n != [...]int{2, 1, 1, 1} {
		t.Fatalf("records by title code 1, 2, 4, 5 = %v, want 2, 1, 1, 1", n)
	}
	// The withdrawal of Dean from dpnB: the post's current holder Moss
	// (ends day0(20) = 15/12/2026, next at Surrey General), no next holder
	// left (vacant at next rotation), reason 3.
	wantW := DNCRecord{NotificationTitleCode: "2", DeaneryBody: "KSS", DeaneryPostNumber: dpnB,
		ManagingDeaneryBodyCode: "KSS", OccupationCode: "N1L", HostLeadEmployerStatus: "Lead Employer",
		CurrentTraineeLastName: "Moss", CurrentTraineeFirstName: "Mo", CurrentTraineeGmcNumber: "7000002",
		CurrentTraineeProjectedEndDate: "2026-12-15", CurrentTraineeVpdForNextPlacement: "Surrey General",
		CurrentTraineeWorkingHoursIndicator: "1.0",
		WithdrawnTraineeLastName:            "Dean", WithdrawnTraineeFirstName: "Dora", WithdrawnTraineeGmcNumber: "7000003",
		WithdrawalReason: "3", PostVacantAtNextRotation: "Y"}
	if got := byCode["2"][0]; got != wantW {
		t.Errorf("withdrawal\n got %+v\nwant %+v", got, wantW)
	}
	// Evans's end date: the current trainee without a projected end date,
	// Moss next (from day0(21) = 16/12/2026, now at Kent Royal), the new
	// end day0(18) = 13/12/2026, no change of hire date.
	wantC := DNCRecord{NotificationTitleCode: "4", DeaneryBody: "KSS", DeaneryPostNumber: dpnT,
		ManagingDeaneryBodyCode: "KSS", OccupationCode: "N1L", HostLeadEmployerStatus: "Lead Employer",
		CurrentTraineeLastName: "Evans", CurrentTraineeFirstName: "Eve", CurrentTraineeGmcNumber: "7000004",
		CurrentTraineeVpdForNextPlacement: NotKnown, CurrentTraineeWorkingHoursIndicator: "1.0",
		NextAppointmentTraineeLastName: "Moss", NextAppointmentTraineeFirstName: "Mo",
		NextAppointmentTraineeGmcNumber: "7000002", NextAppointmentCurrentPlacementVpd: "Kent Royal",
		NextAppointmentProjectedStartDate: "2026-12-16", NextAppointmentTraineeGrade: "ST3",
		ChangeOfProjectedEndDate: "2026-12-13", WorkingHourIndicator: "1.0", PostVacantAtNextRotation: "N"}
	if got := byCode["4"][0]; got != wantC {
		t.Errorf("date change\n got %+v\nwant %+v", got, wantC)
	}
	// The new post: its number and site, vacant, no ESR position.
	wantN := DNCRecord{NotificationTitleCode: "5", DeaneryBody: "KSS", DeaneryPostNumber: newNPN,
		ManagingDeaneryBodyCode: "KSS", NewTrainingPositionLocation: "Health Centre",
		PostSpeciality: "General Practice", PostVacantAtNextRotation: "Y"}
	if got := byCode["5"][0]; got != wantN {
		t.Errorf("new post\n got %+v\nwant %+v", got, wantN)
	}
	// The two type 1 records: dpnB with Moss alone, dpnT with Evans (new
	// end 13/12/2026) and Moss.
	var ones []holderTuple
	for _, rec := range byCode["1"] {
		ones = append(ones, holderTuple{rec.DeaneryPostNumber + " " + rec.CurrentTraineeProjectedEndDate,
			rec.CurrentTraineeGmcNumber, rec.NextAppointmentTraineeGmcNumber})
	}
	wantOnes := []holderTuple{{dpnB + " 2026-12-15", "7000002", ""}, {dpnT + " 2026-12-13", "7000004", "7000002"}}
	if !reflect.DeepEqual(ones, wantOnes) {
		t.Errorf("day 2 type 1 records %+v, want %+v", ones, wantOnes)
	}
}
