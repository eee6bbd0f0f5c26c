package exchange

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

func TestRerunIsIdempotent(t *testing.T) {
	s := scenario{
		positions: []model.Position{position("504", "9001", "10000016", dpnA), position("504", "9002", "10000017", dpnB)},
		placements: []model.Placement{
			placement("P1", dpnA, "Smith", "Anna", gmcN(1), day0(-100), day0(10)),
			placement("P2", dpnA, "Jones", "Ben", gmcN(2), day0(11), day0(300)),
			placement("P3", dpnB, "Khan", "Aisha", gmcN(3), day0(40), day0(300)),
			placement("P4", "KSS/NEW00/001/STR/001", "Lee", "Mei", gmcN(4), day0(40), day0(300)),
		},
	}
	r1 := s.run(t, State{})
	if appRecords(r1) != 2 || len(r1.Notifications) == 0 || !r1.First || len(r1.Outbound) != 2 {
		t.Fatalf("first run: %d APP records, %d notifications, first %v, %d POR; want 2, some, true, 2",
			appRecords(r1), len(r1.Notifications), r1.First, len(r1.Outbound))
	}
	wantTypes := map[int]int{1: 2} // post A: Smith now, Jones next; post B: Khan next; the NEW00 post is no news on a first run
	if got := byType(r1); !reflect.DeepEqual(got, wantTypes) {
		t.Errorf("first run notifications by type = %v, want %v", got, wantTypes)
	}
	r2 := s.run(t, r1.Next)
	if appRecords(r2) != 0 || len(r2.APCFiles) != 0 || len(r2.Notifications) != 0 || len(r2.Outbound) != 0 || r2.First {
		t.Errorf("re-run: %d APP records, %d APC files, %d notifications, %d POR, first %v; want nothing",
			appRecords(r2), len(r2.APCFiles), len(r2.Notifications), len(r2.Outbound), r2.First)
	}
	if !reflect.DeepEqual(r2.Next, r1.Next) {
		t.Errorf("re-run changed the state\n got %+v\nwant %+v", r2.Next, r1.Next)
	}
	if len(r2.MEDROT) != 2 || r2.Totals.PositionsTransferred != 2 || r2.Totals.PlacementsInWindow != 2 {
		t.Errorf("re-run still shows the grid and counts: MEDROT %d, transferred %d, in window %d", len(r2.MEDROT),
			r2.Totals.PositionsTransferred, r2.Totals.PlacementsInWindow)
	}
}

func TestDeterministic(t *testing.T) {
	s := scenario{positions: []model.Position{position("504", "1", "100", dpnA), position("505", "2", "200", dpnB)}}
	for i := 0; i < 30; i++ {
		npn := dpnA
		if i%2 == 1 {
			npn = dpnB
		}
		p := placement("P"+gmcN(i), npn, "Name", gmcN(i), gmcN(i), day0(5+i), day0(300))
		p.Site = []string{"A", "B", "C"}[i%3]
		s.placements = append(s.placements, p)
	}
	a, b := s.run(t, State{}), s.run(t, State{})
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs on the same input differ")
	}
}

func TestWithdrawalAndDateChange(t *testing.T) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA), position("504", "9002", "10000017", dpnB)}
	pA := placement("PA", dpnA, "Smith", "Anna", gmcN(1), day0(30), day0(395))
	pB := placement("PB", dpnA, "Jones", "Ben", gmcN(2), day0(30), day0(395))
	r1 := scenario{positions: pos, placements: []model.Placement{pA, pB}}.run(t, State{})
	if r1.Totals.Success != 2 {
		t.Fatalf("first run success = %d, want 2", r1.Totals.Success)
	}
	numA := r1.Next.Sent["PA"].ApplicantNumber
	if g := r1.Next.Sent["PA"].GMC; g != "7000001" {
		t.Errorf("PA's GMC in the state = %q, want 7000001 (as sent)", g)
	}

	t.Run("gone from TIS and start moved", func(t *testing.T) {
		moved := pB
		moved.DateFrom = day0(37)
		moved.GMC = " 7000099 " // corrected in TIS meanwhile
		r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{moved}}.run(t, r1.Next)
		if appRecords(r2) != 0 {
			t.Errorf("APP records = %d, want 0 (a date change is not sent again)", appRecords(r2))
		}
		want := map[int]int{1: 2, 2: 1, 4: 1} // each comes with a type 1; PB's is its MEDROT row's
		if got := byType(r2); !reflect.DeepEqual(got, want) {
			t.Fatalf("notifications by type = %v, want %v", got, want)
		}
		var w, c Notification
		for _, n := range r2.Notifications {
			switch n.Type {
			case NotifyWithdrawn:
				w = n
			case NotifyDateChange:
				c = n
			}
		}
		if w.PlacementID != "PA" || w.Reason != "3" || w.ApplicantName != "Smith,Anna" || w.VPD != "504" ||
			w.DeaneryNumber != dpnA || w.PositionNumber != "10000016" || !w.NewStart.Equal(day0(30)) {
			t.Errorf("withdrawal = %+v", w)
		}
		// The GMC number sent and the number ESR gave, from the state.
		if w.GMC != "7000001" || w.ApplicantNumber != numA || numA != "4769160" {
			t.Errorf("withdrawal GMC %q, applicant number %q; want 7000001 and 4769160", w.GMC, w.ApplicantNumber)
		}
		if c.PlacementID != "PB" || !c.OldStart.Equal(day0(30)) || !c.NewStart.Equal(day0(37)) ||
			!c.OldEnd.Equal(day0(395)) || !c.NewEnd.Equal(day0(395)) || c.ApplicantName != "Jones,Ben" {
			t.Errorf("date change = %+v", c)
		}
		// The date change carries the GMC number TIS holds now, trimmed.
		if c.GMC != "7000099" || c.ApplicantNumber != "" {
			t.Errorf("date change GMC %q, applicant number %q; want 7000099 and none", c.GMC, c.ApplicantNumber)
		}
		// The keys are those of the fields that were always keyed (keys
		// stored before the GMC number was carried stay valid).
		if k := w.Key(); k != "2|504|KSS/RJZ01/030/STR/001|PA||||20261225||20271225" {
			t.Errorf("withdrawal key = %q", k)
		}
		if k := c.Key(); k != "4|504|KSS/RJZ01/030/STR/001|PB|||20261225|20270101|20271225|20271225" {
			t.Errorf("date change key = %q", k)
		}
		if _, still := r2.Next.Sent["PA"]; still {
			t.Error("withdrawn PA still in the state")
		}
		if s := r2.Next.Sent["PB"]; !s.Start.Equal(day0(37)) || s.ApplicantNumber != r1.Next.Sent["PB"].ApplicantNumber || s.GMC != "7000099" {
			t.Errorf("PB in state = %+v, want start moved, number kept and GMC 7000099", s)
		}
		if len(r2.MSO) != 1 || len(r2.MSO[0].Withdrawn) != 1 || len(r2.MSO[0].DateChanges) != 1 {
			t.Errorf("MSO = %+v, want one withdrawal and one date change for 504", r2.MSO)
		}
		if r2.Totals.NotificationsByType[2] != 1 || r2.Totals.NotificationsByType[4] != 1 {
			t.Errorf("totals by type = %v", r2.Totals.NotificationsByType)
		}
		// And the day after: nothing new.
		r3 := scenario{at: day0(1), positions: pos, placements: []model.Placement{moved}}.run(t, r2.Next)
		if len(r3.Notifications) != 0 {
			t.Errorf("third run notifications = %+v, want none", r3.Notifications)
		}
		// The remembered keys are what a run found, not everything ever
		// emitted: the withdrawal and the date change are forgotten once
		// their cause is gone (PA left the state, PB's dates were taken),
		// and day 1's MEDROT row of PA with it; PB's current row stays.
		for _, n := range r2.Notifications {
			if n.Type == NotifyWithdrawn || n.Type == NotifyDateChange {
				if r3.Next.Notified[n.Key()] {
					t.Errorf("type %d key still remembered after its cause went: %s", n.Type, n.Key())
				}
			}
		}
		for _, n := range r1.Notifications {
			if n.Type == NotifyHolders && n.PlacementID == "PA" && r3.Next.Notified[n.Key()] {
				t.Errorf("PA's old MEDROT key still remembered: %s", n.Key())
			}
		}
		if len(r3.Next.Notified) != 1 {
			t.Errorf("remembered %d keys after day 3, want 1 (PB's MEDROT row): %v", len(r3.Next.Notified), r3.Next.Notified)
		}
	})
	t.Run("moved to another NPN: withdrawn and sent anew with its number", func(t *testing.T) {
		moved := pA
		moved.NPN = dpnB
		r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{moved, pB}}.run(t, r1.Next)
		if got := byType(r2)[2]; got != 1 {
			t.Errorf("withdrawals = %d, want 1", got)
		}
		if appRecords(r2) != 1 || r2.APPFiles[0].Records[0].PlacementID != "PA" || r2.APPFiles[0].Records[0].PositionNumber != "10000017" {
			t.Fatalf("APP files = %+v, want PA on 10000017", r2.APPFiles)
		}
		if s := r2.Next.Sent["PA"]; s.ApplicantNumber != numA || s.NPN != dpnB || s.File != "DE_KSS_APP_20261126_00000002" {
			t.Errorf("PA in state = %+v, want number %s kept, NPN %s, file DE_KSS_APP_20261126_00000002", s, numA, dpnB)
		}
	})
	t.Run("withdrawn with the GMC number sent", func(t *testing.T) {
		prev := r1.Next
		prev.Sent = map[string]SentApplicant{}
		for id, s := range r1.Next.Sent {
			s.GMC = "7000555" // as sent; TIS's was 7000001 the day before
			prev.Sent[id] = s
		}
		r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{pB}}.run(t, prev)
		if len(r2.MSO) != 1 || len(r2.MSO[0].Withdrawn) != 1 {
			t.Fatalf("MSO = %+v, want PA's withdrawal", r2.MSO)
		}
		if w := r2.MSO[0].Withdrawn[0]; w.PlacementID != "PA" || w.GMC != "7000555" || w.ApplicantNumber != numA {
			t.Errorf("withdrawal = %+v, want PA with GMC 7000555 and number %s", w, numA)
		}
		if g := r1.Next.Sent["PA"].GMC; g != "7000001" {
			t.Errorf("the earlier state was modified: PA's GMC %q", g)
		}
	})
	t.Run("a history from before the TIS placements were kept: nothing withdrawn", func(t *testing.T) {
		prev := r1.Next
		prev.TIS = nil
		r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{pB}}.run(t, prev)
		if n := byType(r2); n[NotifyWithdrawn] != 0 || n[NotifyDateChange] != 0 {
			t.Errorf("notifications by type = %v, want no withdrawal or date change", n)
		}
		if _, still := r2.Next.Sent["PA"]; still {
			t.Error("PA, gone from TIS, still in the state")
		}
		if r2.Next.TIS == nil || len(r2.Next.TIS.Placements) != 1 || r2.Next.TIS.Placements["PB"].Rec == "" {
			t.Errorf("next TIS placements = %+v, want PB's", r2.Next.TIS)
		}
	})
	t.Run("an unreadable start date is no change", func(t *testing.T) {
		blurred := pB
		blurred.DateFrom = time.Time{}
		blurred.DateIssues = []model.DateIssue{{Column: "Start Date", Value: "31/02/2027"}}
		r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{pA, blurred}}.run(t, r1.Next)
		if n := byType(r2); n[NotifyDateChange] != 0 || n[NotifyWithdrawn] != 0 {
			t.Errorf("notifications by type = %v, want no date change or withdrawal", n)
		}
		if s := r2.Next.Sent["PB"]; !s.Start.Equal(day0(30)) {
			t.Errorf("PB start in state = %v, want the last readable one", s.Start)
		}
	})
	t.Run("an end date typed before the start is no change", func(t *testing.T) {
		// The end date now passed and before the start: the placement is
		// still in scope (its dates cannot say it ended), so it is neither
		// withdrawn nor given impossible dates.
		reversed := pB
		reversed.DateTo = day0(-300)
		r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{pA, reversed}}.run(t, r1.Next)
		if n := byType(r2); n[NotifyDateChange] != 0 || n[NotifyWithdrawn] != 0 {
			t.Errorf("notifications by type = %v, want no date change or withdrawal", n)
		}
		if s, ok := r2.Next.Sent["PB"]; !ok || !s.End.Equal(day0(395)) {
			t.Errorf("PB in state = %+v, want kept with the last end date that made sense", s)
		}
	})
	t.Run("ended since: forgotten quietly", func(t *testing.T) {
		short := placement("PS", dpnA, "Short", "Stay", gmcN(9), day0(10), day0(20))
		ra := scenario{positions: pos, placements: []model.Placement{short}}.run(t, State{})
		rb := scenario{at: day0(25), positions: pos, placements: []model.Placement{short}}.run(t, ra.Next)
		if len(rb.Notifications) != 0 || len(rb.Next.Sent) != 0 {
			t.Errorf("notifications %+v, sent %+v; want none", rb.Notifications, rb.Next.Sent)
		}
	})
}

func TestPORFullThenChanges(t *testing.T) {
	p1 := position("504", "9001", "10000016", dpnA)
	p2 := position("504", "9002", "10000017", dpnB)
	p3 := position("504", "9003", "10000018", dpnC)
	bad := position("504", "9004", "10000019", "KSS/RJZ01/030")
	dupA := position("504", "9005", "10000020", "KSS/RJZ01/031/STR/001")
	dupB := position("504", "9006", "10000021", "kss/rjz01/031/str/001")
	p1.HostLead = "Host"
	r1 := scenario{positions: []model.Position{p1, p2, p3, bad, dupA, dupB}}.run(t, State{})
	want1 := []POR{
		{PositionID: "9001", ChangeDeleteIndicator: "C", PositionNumber: "10000016", PositionTitle: "Specialty Registrar",
			DeaneryNumber: dpnA, ManagingOffice: "KSS", HostLeadIndicator: "Host Employer", ODSCode: "RJZ01",
			EmployingOrgVPDCode: "504", ESROrganisation: "504 MED Cardiology", ESRLocation: "General Hospital"},
		{PositionID: "9002", ChangeDeleteIndicator: "C", PositionNumber: "10000017", PositionTitle: "Specialty Registrar",
			DeaneryNumber: dpnB, ManagingOffice: "KSS", HostLeadIndicator: "Lead Employer", ODSCode: "RJZ01",
			EmployingOrgVPDCode: "504", ESROrganisation: "504 MED Cardiology", ESRLocation: "General Hospital"},
		{PositionID: "9003", ChangeDeleteIndicator: "C", PositionNumber: "10000018", PositionTitle: "Specialty Registrar",
			DeaneryNumber: dpnC, ManagingOffice: "KSS", HostLeadIndicator: "Lead Employer", ODSCode: "RJZ01",
			EmployingOrgVPDCode: "504", ESROrganisation: "504 MED Cardiology", ESRLocation: "General Hospital"},
	}
	if !r1.First || !reflect.DeepEqual(r1.Outbound, want1) {
		t.Fatalf("first run POR (first %v)\n got %+v\nwant %+v", r1.First, r1.Outbound, want1)
	}
	wantEx := []Exclusion{
		{VPD: "504", PositionNumber: "10000019", DPN: "KSS/RJZ01/030", Reason: "DPN breaks dpn.parts"},
		{VPD: "504", PositionNumber: "10000020", DPN: "KSS/RJZ01/031/STR/001", Reason: "duplicate DPN (also on 10000021)"},
		{VPD: "504", PositionNumber: "10000021", DPN: "kss/rjz01/031/str/001", Reason: "duplicate DPN (also on 10000020)"},
	}
	if !reflect.DeepEqual(r1.Excluded, wantEx) {
		t.Errorf("excluded\n got %+v\nwant %+v", r1.Excluded, wantEx)
	}
	if r1.Totals.PositionsTransferred != 3 || r1.Totals.PositionsExcluded != 3 {
		t.Errorf("transferred %d excluded %d, want 3 and 3", r1.Totals.PositionsTransferred, r1.Totals.PositionsExcluded)
	}

	// Day two: p2 moves location, p3 is gone, a new post appears.
	p2.Location = "City Clinic"
	p4 := position("504", "9007", "10000022", "KSS/RJZ01/030/STR/004")
	r2 := scenario{at: day0(1), positions: []model.Position{p1, p2, p4}}.run(t, r1.Next)
	var got []string
	for _, p := range r2.Outbound {
		got = append(got, p.ChangeDeleteIndicator+" "+p.PositionID+" "+p.ESRLocation)
	}
	want2 := []string{"C 9002 City Clinic", "D 9003 General Hospital", "C 9007 General Hospital"}
	if r2.First || !reflect.DeepEqual(got, want2) {
		t.Errorf("second run POR (first %v)\n got %q\nwant %q", r2.First, got, want2)
	}
	if len(r2.Next.Positions) != 3 || r2.Next.Positions["9002"].ESRLocation != "City Clinic" || r2.Next.Positions["9007"].ChangeDeleteIndicator != "C" {
		t.Errorf("next positions = %+v", r2.Next.Positions)
	}
	if _, gone := r2.Next.Positions["9003"]; gone {
		t.Error("deleted position still in the state")
	}
	// An unchanged post keeps the last state's record itself (the history
	// then sees it unchanged without comparing); a changed one does not.
	if r2.Next.Positions["9001"] != r1.Next.Positions["9001"] {
		t.Error("unchanged 9001: the next state holds a new record, not the last one")
	}
	if r2.Next.Positions["9002"] == r1.Next.Positions["9002"] || r1.Next.Positions["9002"].ESRLocation != "General Hospital" {
		t.Errorf("changed 9002: next %+v, last %+v", r2.Next.Positions["9002"], r1.Next.Positions["9002"])
	}
}

func TestNewPost(t *testing.T) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA)}
	matched := placement("P1", dpnA, "Smith", "Anna", gmcN(1), day0(30), day0(300))
	matched.EmployingBody = "Kent Hospitals NHS Trust"
	newHere := placement("P2", "KSS/RJZ99/100/STR/001", "Jones", "Ben", gmcN(2), day0(200), day0(300)) // outside the window: still a new post
	newHere.EmployingBody = "KENT HOSPITALS NHS TRUST "
	newHere2 := placement("P3", "KSS/RJZ99/100/STR/001", "Khan", "Aisha", gmcN(3), day0(150), day0(300)) // the first: its site is shown
	newHere2.Site = "Medical Centre"
	unknown := placement("P4", "EOE/XYZ00/001/F1/001", "Lee", "Mei", gmcN(4), day0(30), day0(300))
	unknown.EmployingBody = "Nowhere Trust"
	vacancyOnly := placement("V1", "KSS/VAC00/001/STR/001", "RECRUIT - VACANCY", "", "9999978", day0(30), day0(300))
	r1 := scenario{positions: pos, placements: []model.Placement{matched}}.run(t, State{})
	r := scenario{at: day0(1), positions: pos, placements: []model.Placement{matched, newHere, newHere2, unknown, vacancyOnly}}.run(t, r1.Next)
	var got []Notification
	for _, n := range r.Notifications {
		if n.Type == NotifyNewPost {
			got = append(got, n)
		}
	}
	want := []Notification{
		{Type: 5, VPD: "(none)", Deanery: "EOE", DeaneryNumber: "EOE/XYZ00/001/F1/001", Next: &Holder{Site: "General Hospital"}},
		{Type: 5, VPD: "504", Deanery: "KSS", DeaneryNumber: "KSS/RJZ99/100/STR/001", Next: &Holder{Site: "Medical Centre"}},
		{Type: 5, VPD: "504", Deanery: "KSS", DeaneryNumber: "KSS/VAC00/001/STR/001", Next: &Holder{Site: "General Hospital"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("new posts\n got %+v\nwant %+v", got, want)
	}
	if len(r.MSO) != 2 || r.MSO[0].VPD != "(none)" || len(r.MSO[0].NewPosts) != 1 || r.MSO[1].VPD != "504" || len(r.MSO[1].NewPosts) != 2 {
		t.Errorf("MSO = %+v", r.MSO)
	}
	r2 := scenario{at: day0(2), positions: pos, placements: []model.Placement{matched, newHere, unknown}}.run(t, r.Next) // site now General Hospital
	if byType(r2)[5] != 0 {
		t.Errorf("new posts notified again: %+v", r2.Notifications)
	}
}

func TestStarters(t *testing.T) {
	pos := position("504", "9001", "10000016", dpnA)
	pos.HostLead = "Host Employer"
	lead := position("504", "9002", "10000017", dpnB)
	tests := []struct {
		name    string
		first   time.Time // as-of of the run that sends
		second  time.Time // as-of of the run that looks (zero: none)
		start   time.Time
		dpn     string
		starter bool
		host    bool
	}{
		{"sent and starting in 4 days", asOf, time.Time{}, day0(4), dpnA, true, true},
		{"sent and starting in 5 days", asOf, time.Time{}, day0(5), dpnB, true, false},
		{"sent and starting in 6 days", asOf, time.Time{}, day0(6), dpnA, false, false},
		{"sent weeks ago, 5 days out now", asOf, day0(25), day0(30), dpnA, true, true},
		{"sent weeks ago, 6 days out now", asOf, day0(24), day0(30), dpnA, false, false},
		{"sent weeks ago, starts today", asOf, day0(30), day0(30), dpnA, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := placement("P1", tt.dpn, "Heathcliffe", "Simon", "1234567", tt.start, tt.start.AddDate(0, 6, 0))
			s := scenario{at: tt.first, positions: []model.Position{pos, lead}, placements: []model.Placement{pl}}
			r := s.run(t, State{})
			if r.Totals.Success != 1 {
				t.Fatalf("success = %d, want 1", r.Totals.Success)
			}
			if !tt.second.IsZero() {
				s.at = tt.second
				r = s.run(t, r.Next)
			}
			var got []Starter
			for _, m := range r.MSO {
				got = append(got, m.Starters...)
			}
			if !tt.starter {
				if len(got) != 0 {
					t.Errorf("starters = %+v, want none", got)
				}
				return
			}
			num := "10000016"
			if tt.dpn == dpnB {
				num = "10000017"
			}
			want := []Starter{{ApplicantNumber: "4769160", ApplicantName: "Heathcliffe,Simon", PositionNumber: num,
				DeaneryNumber: tt.dpn, GMC: "1234567", ProjectedHireDate: tt.start, HostEmployer: tt.host}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("starters\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestSequencesAndNumbersContinue(t *testing.T) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA)}
	p1 := placement("P1", dpnA, "Smith", "Anna", gmcN(1), day0(30), day0(300))
	p2 := placement("P2", dpnA, "Jones", "Ben", gmcN(2), day0(31), day0(300))
	r1 := scenario{positions: pos, placements: []model.Placement{p1}}.run(t, State{})
	r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{p1, p2}}.run(t, r1.Next)
	if len(r2.APPFiles) != 1 || r2.APPFiles[0].Name != "DE_KSS_APP_20261126_00000002" || len(r2.APPFiles[0].Records) != 1 {
		t.Fatalf("second run files = %+v, want one record in DE_KSS_APP_20261126_00000002", r2.APPFiles)
	}
	if r2.Next.Sent["P1"].ApplicantNumber != "4769160" || r2.Next.Sent["P2"].ApplicantNumber != "4769161" {
		t.Errorf("numbers P1 %q P2 %q, want 4769160 and 4769161", r2.Next.Sent["P1"].ApplicantNumber, r2.Next.Sent["P2"].ApplicantNumber)
	}
	if r2.Next.Sequences["KSS_APP"] != 2 || r2.Next.NextApplicantNumber != 4769162 {
		t.Errorf("sequences %v next number %d", r2.Next.Sequences, r2.Next.NextApplicantNumber)
	}
	if r2.Next.Sent["P1"].File != "DE_KSS_APP_20261125_00000001" {
		t.Errorf("P1 file = %q, want the first run's", r2.Next.Sent["P1"].File)
	}
}

func TestRunNeedsInputs(t *testing.T) {
	tests := []struct {
		name string
		in   Input
	}{
		{"no check", Input{AsOf: asOf, Reconcile: &reconcile.Result{}}},
		{"no reconciliation", Input{AsOf: asOf, Check: &checks.Result{}}},
		{"no as-of", Input{Check: &checks.Result{}, Reconcile: &reconcile.Result{}}},
	}
	for _, tt := range tests {
		if _, err := PlanRun(tt.in, State{}); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestFixedRecordsAreSentAgain(t *testing.T) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA), position("504", "9002", "10000017", dpnB)}
	t.Run("a FAIL loads once its last name is supplied", func(t *testing.T) {
		bad := placement("P1", dpnA, "", "Anna", gmcN(1), day0(30), day0(300))
		r1 := scenario{positions: pos, placements: []model.Placement{bad}}.run(t, State{})
		r2 := scenario{positions: pos, placements: []model.Placement{bad}}.run(t, r1.Next)
		if appRecords(r2) != 0 {
			t.Fatalf("identical re-run sent %d records, want 0", appRecords(r2))
		}
		good := bad
		good.Surname = "Smith"
		r3 := scenario{at: day0(1), positions: pos, placements: []model.Placement{good}}.run(t, r2.Next)
		if appRecords(r3) != 1 || r3.Totals.Success != 1 || r3.Next.Sent["P1"].Status != "SUCCESS" || r3.Next.Sent["P1"].ApplicantNumber != "4769160" {
			t.Errorf("fixed record: %d sent, %d success, state %+v", appRecords(r3), r3.Totals.Success, r3.Next.Sent["P1"])
		}
		if len(r3.Notifications) != 0 {
			t.Errorf("notifications %+v, want none (the MEDROT row is unchanged)", r3.Notifications)
		}
	})
	t.Run("a quarantined file is sent again once its post has 40", func(t *testing.T) {
		var pls []model.Placement
		for i := 0; i < 41; i++ {
			pls = append(pls, placement(fmt.Sprintf("P%03d", i), dpnA, "Trainee", fmt.Sprintf("N%d", i), gmcN(i), day0(30), day0(395)))
		}
		pls = append(pls, placement("Q1", dpnB, "Other", "One", gmcN(900), day0(30), day0(395)))
		r1 := scenario{positions: pos, placements: pls}.run(t, State{})
		if len(r1.Quarantined) != 1 {
			t.Fatalf("first run quarantined %d files, want 1", len(r1.Quarantined))
		}
		r2 := scenario{positions: pos, placements: pls}.run(t, r1.Next)
		if appRecords(r2) != 0 || len(r2.Notifications) != 0 {
			t.Fatalf("identical re-run: %d records, %d notifications; want none", appRecords(r2), len(r2.Notifications))
		}
		r3 := scenario{at: day0(1), positions: pos, placements: pls[1:]}.run(t, r2.Next) // P000 withdrawn in TIS
		if len(r3.APPFiles) != 1 || r3.APPFiles[0].Name != "DE_KSS_APP_20261126_00000002" || len(r3.APPFiles[0].Records) != 41 {
			t.Fatalf("third run files = %d, want DE_KSS_APP_20261126_00000002 with 40 + 1 records", len(r3.APPFiles))
		}
		if r3.Totals.Success != 41 || len(r3.Quarantined) != 0 {
			t.Errorf("third run success %d quarantined %d, want 41 and 0", r3.Totals.Success, len(r3.Quarantined))
		}
		// TIS notifies the deletion whether or not ESR held the record.
		if w := withdrawals(r3); len(w) != 1 || w[0].PlacementID != "P000" || w[0].ApplicantNumber != "" {
			t.Errorf("withdrawals = %+v, want P000's, with no applicant number (ESR never held it)", w)
		}
		if _, kept := r3.Next.Sent["P000"]; kept {
			t.Error("P000 left TIS but is still in the state")
		}
	})
}

// A first run's POR records are the posts' own, in the posts' order (VPD,
// number, state key); where the POR file's order (VPD, number, position id)
// differs, as for a post without an ESR id (its id is then its number, its
// key "VPD:number"), the file is sorted in a copy and the next state still
// holds each post's own record.
func TestFirstRunPOROrderDiffersFromPosts(t *testing.T) {
	withID := position("504", "2", "100", dpnA)
	noID := position("504", "", "100", dpnB)
	withID.Row, noID.Row = 2, 3
	r := scenario{positions: []model.Position{withID, noID}}.run(t, State{})
	var got []string
	for _, p := range r.Outbound {
		got = append(got, p.PositionID+" "+p.DeaneryNumber)
	}
	if want := []string{"100 " + dpnB, "2 " + dpnA}; !reflect.DeepEqual(got, want) {
		t.Errorf("POR order %q, want %q", got, want)
	}
	if p := r.Next.Positions["2"]; p == nil || p.DeaneryNumber != dpnA {
		t.Errorf("next state's 2 = %+v, want the record of %s", p, dpnA)
	}
	if p := r.Next.Positions["504:100"]; p == nil || p.DeaneryNumber != dpnB || p.PositionID != "100" {
		t.Errorf("next state's 504:100 = %+v, want the record of %s", p, dpnB)
	}
}
