package exchange

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"dpnkit/internal/model"
)

// hostLeadPosts are one post set up for a host and a lead employer: dpnA
// on a position of VPD 504 marked Host Employer and one of VPD 505 marked
// Lead Employer.
func hostLeadPosts() []model.Position {
	host := position("504", "9001", "10000016", dpnA)
	host.HostLead = "Host Employer"
	lead := position("505", "9002", "20000016", dpnA)
	lead.HostLead = "Lead Employer"
	return []model.Position{host, lead}
}

// recordsOf lists the APP records of r as "placement vpd position-id
// position-number", in file order, with each file's name first.
func recordsOf(r *Result) []string {
	var out []string
	for _, f := range r.APPFiles {
		out = append(out, f.Name)
		for _, a := range f.Records {
			out = append(out, fmt.Sprintf("%s %s %s %s", a.PlacementID, a.VPD, a.PositionID, a.PositionNumber))
		}
	}
	return out
}

func sentKeys(st State) []string {
	var ks []string
	for k := range st.Sent {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// A placement on a host/lead employer pair is sent to both positions,
// ESR loads both, and both trusts get the MEDROT rows and the notices.
func TestHostLeadPairRun(t *testing.T) {
	cur := placement("C1", dpnA, "Current", "Cara", gmcN(1), day0(-100), day0(20))
	p1 := placement("P1", dpnA, "Next", "Nia", gmcN(2), day0(4), day0(369))
	p2 := placement("P2", dpnA, "Later", "Leo", gmcN(3), day0(30), day0(395))
	for _, p := range []*model.Placement{&cur, &p1, &p2} {
		p.WTE = "0.5" // a job share: no overlap
	}
	s := scenario{positions: hostLeadPosts(), placements: []model.Placement{cur, p1, p2}}
	r := s.run(t, State{})

	// Two placements in the window, a record per position: four records in
	// KSS's one APP file, by start date, then placement id, then VPD.
	want := []string{"DE_KSS_APP_20261125_00000001",
		"P1 504 9001 10000016", "P1 505 9002 20000016", "P2 504 9001 10000016", "P2 505 9002 20000016"}
	if got := recordsOf(r); !reflect.DeepEqual(got, want) {
		t.Fatalf("APP records\n got %q\nwant %q", got, want)
	}
	// ESR loads each against its own position.
	var loaded []string
	for _, a := range apcRows(r) {
		loaded = append(loaded, fmt.Sprintf("%s %s %s %s", a.PlacementID, a.VPD, a.LoadStatusCode, a.ApplicantNumber))
	}
	wantLoaded := []string{"P1 504 SUCCESS 4769160", "P1 505 SUCCESS 4769161", "P2 504 SUCCESS 4769162", "P2 505 SUCCESS 4769163"}
	if !reflect.DeepEqual(loaded, wantLoaded) {
		t.Errorf("APC rows\n got %q\nwant %q", loaded, wantLoaded)
	}
	if r.Totals.APPRecords != 4 || r.Totals.Success != 4 || r.Totals.Fail != 0 || r.Totals.PlacementsInWindow != 2 {
		t.Errorf("totals: %d records, %d success, %d fail, %d in window; want 4, 4, 0, 2",
			r.Totals.APPRecords, r.Totals.Success, r.Totals.Fail, r.Totals.PlacementsInWindow)
	}
	for _, c := range r.ByVPD {
		if c.APPRecords != 2 || c.Success != 2 || c.PlacementsInWindow != 2 || c.NotificationsByType[NotifyHolders] != 2 {
			t.Errorf("VPD %s counts %+v; want 2 records, 2 success, 2 in window, 2 type 1", c.Group, c)
		}
	}
	if len(r.ByVPD) != 2 {
		t.Errorf("%d VPD groups, want 504 and 505", len(r.ByVPD))
	}

	// MEDROT: in each trust, the current holder paired with the first next
	// one at the same site, and the second next holder on a row of its own
	// (rows by current holder's last name: none first).
	var rows []string
	for _, m := range r.MEDROT {
		c, n := "-", "-"
		if m.Current != nil {
			c = m.Current.PlacementID
		}
		if m.Next != nil {
			n = m.Next.PlacementID
		}
		rows = append(rows, fmt.Sprintf("%s %s %s %s>%s", m.VPD, m.PositionNumber, m.TPN, c, n))
	}
	wantRows := []string{"504 10000016 " + dpnA + " ->P2", "504 10000016 " + dpnA + " C1>P1",
		"505 20000016 " + dpnA + " ->P2", "505 20000016 " + dpnA + " C1>P1"}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("MEDROT\n got %q\nwant %q", rows, wantRows)
	}
	if byType(r)[NotifyHolders] != 4 {
		t.Errorf("type 1 notifications %d, want 4 (2 rows in each trust)", byType(r)[NotifyHolders])
	}

	// MSO notices: each trust is told of its two applicants, and of P1
	// starting within 5 days, the host to hire as Honorary.
	if len(r.MSO) != 2 {
		t.Fatalf("MSO notices for %d VPDs, want 2", len(r.MSO))
	}
	for _, m := range r.MSO {
		var ok []string
		for _, a := range m.Successful {
			if a.MessageType == MessageInfo {
				ok = append(ok, a.PlacementID)
			}
		}
		if !reflect.DeepEqual(ok, []string{"P1", "P2"}) {
			t.Errorf("VPD %s successful %q, want P1 and P2", m.VPD, ok)
		}
		if len(m.Starters) != 1 || m.Starters[0].DeaneryNumber != dpnA || m.Starters[0].HostEmployer != (m.VPD == "504") {
			t.Errorf("VPD %s starters %+v, want P1, host employer only in 504", m.VPD, m.Starters)
		}
	}

	// The state holds each record under its own key; a re-run sends and
	// notifies nothing.
	if got, want := sentKeys(r.Next), []string{"P1@9001", "P1@9002", "P2@9001", "P2@9002"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Next.Sent keys %q, want %q", got, want)
	}
	r2 := s.run(t, r.Next)
	if appRecords(r2) != 0 || len(r2.Notifications) != 0 {
		t.Errorf("identical re-run: %d records, %d notifications; want none", appRecords(r2), len(r2.Notifications))
	}
}

// The records of both positions count towards the post's 40 in the one
// APP file (HEE: 20+ applicants on a post set up with host and lead
// employer reach the limit): 20 applicants load, 21 quarantine the file.
func TestHostLeadPairQuarantine(t *testing.T) {
	for _, tt := range []struct {
		applicants  int
		quarantined bool
	}{{20, false}, {21, true}} {
		t.Run(fmt.Sprint(tt.applicants, " applicants"), func(t *testing.T) {
			s := scenario{positions: hostLeadPosts()}
			for i := 0; i < tt.applicants; i++ {
				s.placements = append(s.placements, placement(fmt.Sprintf("P%02d", i), dpnA, "Trainee", fmt.Sprintf("N%d", i), gmcN(i), day0(30), day0(395)))
			}
			r := s.run(t, State{})
			records := 2 * tt.applicants
			if len(r.APPFiles) != 1 || len(r.APPFiles[0].Records) != records {
				t.Fatalf("APP files %q, want one with %d records", recordsOf(r), records)
			}
			if !tt.quarantined {
				if len(r.Quarantined) != 0 || r.Totals.Success != 40 {
					t.Errorf("quarantined %+v, success %d; want none and 40", r.Quarantined, r.Totals.Success)
				}
				return
			}
			want := []Quarantine{{APPFile: "DE_KSS_APP_20261125_00000001", Posts: []QuarantinedPost{
				{DeaneryNumber: dpnA, PositionNumber: "10000016", VPD: "504", Applicants: 42},
				{DeaneryNumber: dpnA, PositionNumber: "20000016", VPD: "505", Applicants: 42}}}}
			if !reflect.DeepEqual(r.Quarantined, want) {
				t.Errorf("Quarantined %+v, want %+v", r.Quarantined, want)
			}
			if len(r.APCFiles) != 0 || r.Totals.Success != 0 || r.Totals.QuarantinedFiles != 1 || len(r.Next.Sent) != 42 {
				t.Errorf("APC files %d, success %d, quarantined files %d, sent %d; want 0, 0, 1, 42",
					len(r.APCFiles), r.Totals.Success, r.Totals.QuarantinedFiles, len(r.Next.Sent))
			}
		})
	}
}

// The same DPN in two VPDs without one host and one lead is not one post:
// nothing is sent, and no MEDROT row is written.
func TestNotHostLeadPair(t *testing.T) {
	mark := func(ps []model.Position, status ...string) []model.Position {
		for i := range ps {
			ps[i].HostLead = status[i]
		}
		return ps
	}
	three := append(hostLeadPosts(), position("506", "9003", "30000016", dpnA))
	tests := []struct {
		name      string
		positions []model.Position
	}{
		{"unmarked", mark(hostLeadPosts(), "", "")},
		{"two hosts", mark(hostLeadPosts(), "Host Employer", "Host Employer")},
		{"two leads", mark(hostLeadPosts(), "Lead Employer", "Lead Employer")},
		{"two hosts and a lead", mark(three, "Host Employer", "Host Employer", "Lead Employer")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scenario{positions: tt.positions, placements: []model.Placement{
				placement("C1", dpnA, "Current", "Cara", gmcN(1), day0(-100), day0(20)),
				placement("P1", dpnA, "Next", "Nia", gmcN(2), day0(30), day0(395))}}
			r := s.run(t, State{})
			if appRecords(r) != 0 || len(r.MEDROT) != 0 || byType(r)[NotifyHolders] != 0 {
				t.Errorf("%d records, %d MEDROT rows, %d type 1; want none", appRecords(r), len(r.MEDROT), byType(r)[NotifyHolders])
			}
		})
	}
}

// A post that becomes one of a pair keeps the record it had: only the new
// position's is sent, with a number of its own; one that stops being one
// sends nothing again.
func TestHostLeadPairAppears(t *testing.T) {
	pls := []model.Placement{placement("P1", dpnA, "Next", "Nia", gmcN(2), day0(30), day0(395))}
	pair := hostLeadPosts()
	r1 := scenario{positions: pair[:1], placements: pls}.run(t, State{})
	if got, want := recordsOf(r1), []string{"DE_KSS_APP_20261125_00000001", "P1 504 9001 10000016"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("day 1 records %q, want %q", got, want)
	}
	r2 := scenario{at: day0(1), positions: pair, placements: pls}.run(t, r1.Next)
	if got, want := recordsOf(r2), []string{"DE_KSS_APP_20261126_00000002", "P1 505 9002 20000016"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("day 2 records %q, want %q", got, want)
	}
	if got, want := sentKeys(r2.Next), []string{"P1", "P1@9002"}; !reflect.DeepEqual(got, want) {
		t.Errorf("day 2 Next.Sent keys %q, want %q", got, want)
	}
	if a, b := r2.Next.Sent["P1"].ApplicantNumber, r2.Next.Sent["P1@9002"].ApplicantNumber; a != "4769160" || b != "4769161" {
		t.Errorf("applicant numbers %q and %q, want 4769160 and 4769161", a, b)
	}
	if byType(r2)[NotifyWithdrawn] != 0 || byType(r2)[NotifyDateChange] != 0 {
		t.Errorf("day 2 notifications %v: nothing was withdrawn or re-dated", byType(r2))
	}
	r3 := scenario{at: day0(2), positions: pair, placements: pls}.run(t, r2.Next)
	if appRecords(r3) != 0 {
		t.Errorf("day 3 (same pair) records %q, want none", recordsOf(r3))
	}
	r4 := scenario{at: day0(3), positions: pair[:1], placements: pls}.run(t, r3.Next)
	if appRecords(r4) != 0 {
		t.Errorf("day 4 (the lead position gone) records %q, want none", recordsOf(r4))
	}
}
