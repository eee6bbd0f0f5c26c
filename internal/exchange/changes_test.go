package exchange

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// notesOf returns a result's notifications of one type about a placement.
func notesOf(r *Result, typ int, placementID string) []Notification {
	var out []Notification
	for _, n := range r.Notifications {
		if n.Type == typ && n.PlacementID == placementID {
			n.Position = nil // the position's details are tested with the notices and DNC records
			out = append(out, n)
		}
	}
	return out
}

// holderID is a holder's placement id, "" for none.
func holderID(h *Holder) string {
	if h == nil {
		return ""
	}
	return h.PlacementID
}

// A hand-made day 1 and day 2 (TIS as TIS-TCS notifies it,
// docs/interface-rules.md). As-of day 1 is 25 November 2026; day 2 is the
// 26th, so "before as-of + 13 weeks" is before 25 February 2027
// (day0(92)).
//
// Posts (VPD 504): A (dpnA) holds Smith now (PC, ends day0(30)) and Jones
// next (PN, day0(40)); B (dpnB) holds Brown now (PB0) and Khan next (PD,
// day0(20)); C (dpnC) has Lee next (PG, day0(2): too close to be sent)
// and Shah (PS, day0(60)). Unmatched NPNs: a typo of dpnA with the letter
// O for zero (PT) and a post no ESR position knows (PU). Day 1 sends PN,
// PD and PS (inside the transfer window).
//
// Day 2: PD and PG are deleted, PC's end moves to day0(45), PS's start to
// day0(70), a new typo of dpnB appears (PT2, one character extra) and a
// new post (PE).
func TestChangesDayTwo(t *testing.T) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA), position("504", "9002", "10000017", dpnB),
		position("504", "9003", "10000018", dpnC)}
	pc := placement("PC", dpnA, "Smith", "Anna", "7000001", day0(-100), day0(30))
	pn := placement("PN", dpnA, "Jones", "Ben", "7000002", day0(40), day0(400))
	pb0 := placement("PB0", dpnB, "Brown", "Cara", "7000003", day0(-50), day0(100))
	pd := placement("PD", dpnB, "Khan", "Aisha", "7000004", day0(20), day0(200))
	pg := placement("PG", dpnC, "Lee", "Mei", "7000005", day0(2), day0(180))
	ps := placement("PS", dpnC, "Shah", "Ravi", "7000006", day0(60), day0(400))
	pt := placement("PT", "KSS/RJZO1/030/STR/001", "Patel", "Raj", "7000007", day0(10), day0(300))
	pu := placement("PU", "EOE/XYZ00/001/F1/001", "Ng", "Lin", "7000008", day0(30), day0(300))
	pu.EmployingBody = "Nowhere Trust"
	day1 := []model.Placement{pc, pn, pb0, pd, pg, ps, pt, pu}

	pc2, ps2 := pc, ps
	pc2.DateTo = day0(45)
	ps2.DateFrom = day0(70)
	pt2 := placement("PT2", "KSS/RJZ01/030/STR/0002", "Okafor", "Ada", "7000009", day0(15), day0(300))
	pe := placement("PE", "KSS/RJZ02/200/STR/001", "Evans", "Rhys", "7000010", day0(50), day0(300))
	day2 := []model.Placement{pc2, pn, pb0, ps2, pt, pu, pt2, pe}

	for _, noSuggestions := range []bool{false, true} {
		name := "suggestions from the reconciliation"
		if noSuggestions {
			name = "near misses found by the exchange"
		}
		t.Run(name, func(t *testing.T) {
			r1 := scenario{positions: pos, placements: day1, noSuggestions: noSuggestions}.run(t, State{})
			if got := byType(r1); got[NotifyNewPost] != 0 || got[NotifyWithdrawn] != 0 || got[NotifyDateChange] != 0 {
				t.Fatalf("day 1 notifications by type = %v, want type 1 only (a first run)", got)
			}
			if appRecords(r1) != 3 || r1.Next.Sent["PD"].ApplicantNumber != "4769161" {
				t.Fatalf("day 1 sent %d records, PD numbered %q; want 3 (PN, PD, PS) and 4769161",
					appRecords(r1), r1.Next.Sent["PD"].ApplicantNumber)
			}
			if _, sent := r1.Next.Sent["PG"]; sent {
				t.Fatal("PG was sent: the test needs a placement never sent")
			}
			wantSeen := []string{"PB0", "PC", "PD", "PG", "PN", "PS"} // approved trainees on transferred posts
			if got := sortedKeys(r1.Next.TIS.Placements); !reflect.DeepEqual(got, wantSeen) {
				t.Errorf("day 1 remembers %v, want %v", got, wantSeen)
			}
			if got := r1.Next.TIS.Placements["PD"]; got != (SeenPlacement{Office: "Health Education England Kent, Surrey and Sussex",
				Rec: "KSS/RJZ01/030/STR/002\t20261215\t20270613\tKhan\tAisha\t7000004"}) {
				t.Errorf("PD remembered as %+v", got)
			}

			r2 := scenario{at: day0(1), positions: pos, placements: day2, noSuggestions: noSuggestions}.run(t, r1.Next)
			// A type 1 with each change (4); the MEDROT's type 1 of posts B and C,
			// whose holders those already tell, is not sent again (notify).
			want := map[int]int{NotifyHolders: 4, NotifyWithdrawn: 2, NotifyDateChange: 2, NotifyNewPost: 1}
			if got := byType(r2); !reflect.DeepEqual(got, want) {
				t.Errorf("day 2 notifications by type = %v, want %v", got, want)
			}
			wantW := []Notification{
				// (a) deleted, sent on day 1: its dates, names and applicant number.
				{Type: NotifyWithdrawn, VPD: "504", Deanery: "KSS", DeaneryNumber: dpnB, PositionNumber: "10000017",
					PlacementID: "PD", NewStart: day0(20), NewEnd: day0(200), Reason: "3", ApplicantName: "Khan,Aisha",
					GMC: "7000004", ApplicantNumber: "4769161"},
				// (g) deleted, never sent: withdrawn all the same, with no applicant number.
				{Type: NotifyWithdrawn, VPD: "504", Deanery: "KSS", DeaneryNumber: dpnC, PositionNumber: "10000018",
					PlacementID: "PG", NewStart: day0(2), NewEnd: day0(180), Reason: "3", ApplicantName: "Lee,Mei",
					GMC: "7000005"},
			}
			if got := withdrawals(r2); !reflect.DeepEqual(got, wantW) {
				t.Errorf("withdrawals\n got %+v\nwant %+v", got, wantW)
			}
			// (b) a current holder's end date: the new end, no new hire date.
			wantC := Notification{Type: NotifyDateChange, VPD: "504", Deanery: "KSS", DeaneryNumber: dpnA,
				PositionNumber: "10000016", PlacementID: "PC", OldStart: day0(-100), OldEnd: day0(30), NewEnd: day0(45),
				ApplicantName: "Smith,Anna", GMC: "7000001"}
			if got := notesOf(r2, NotifyDateChange, "PC"); len(got) != 1 || !reflect.DeepEqual(got[0], wantC) {
				t.Errorf("PC's date change\n got %+v\nwant %+v", got, wantC)
			}
			// (c) a start moved to a later date: the new hire date, and the end.
			wantS := Notification{Type: NotifyDateChange, VPD: "504", Deanery: "KSS", DeaneryNumber: dpnC,
				PositionNumber: "10000018", PlacementID: "PS", OldStart: day0(60), NewStart: day0(70), OldEnd: day0(400),
				NewEnd: day0(400), ApplicantName: "Shah,Ravi", GMC: "7000006"}
			if got := notesOf(r2, NotifyDateChange, "PS"); len(got) != 1 || !reflect.DeepEqual(got[0], wantS) {
				t.Errorf("PS's date change\n got %+v\nwant %+v", got, wantS)
			}
			// Each comes with a type 1 about the placement, holding the
			// post's holders now.
			type holders struct{ cur, next string }
			wantOne := map[string]holders{
				"PD": {"PB0", ""}, // B's current holder; no next holder left
				"PG": {"", "PS"},  // C: no current holder; PS next
				"PC": {"PC", "PN"},
				"PS": {"", "PS"},
			}
			for id, h := range wantOne {
				got := notesOf(r2, NotifyHolders, id)
				if len(got) != 1 || holderID(got[0].Current) != h.cur || holderID(got[0].Next) != h.next {
					t.Errorf("type 1 about %s = %+v, want current %q, next %q", id, got, h.cur, h.next)
					continue
				}
				if id == "PC" && !got[0].Current.ProjectedEnd.Equal(day0(45)) {
					t.Errorf("type 1 about PC shows its end %v, want the new one", got[0].Current.ProjectedEnd)
				}
			}
			// (d, e) new posts: PE, first seen today; never the typos PT
			// (seen yesterday too) and PT2 (new today), nor PU (seen yesterday).
			wantNew := []Notification{{Type: NotifyNewPost, VPD: "504", Deanery: "KSS", DeaneryNumber: "KSS/RJZ02/200/STR/001",
				Next: &Holder{Site: "General Hospital"}}}
			var gotNew []Notification
			for _, n := range r2.Notifications {
				if n.Type == NotifyNewPost {
					gotNew = append(gotNew, n)
				}
			}
			if !reflect.DeepEqual(gotNew, wantNew) {
				t.Errorf("day 2 new posts\n got %+v\nwant %+v", gotNew, wantNew)
			}
			if len(r2.MSO) != 1 || len(r2.MSO[0].Withdrawn) != 2 || len(r2.MSO[0].DateChanges) != 2 || len(r2.MSO[0].NewPosts) != 1 {
				t.Errorf("504's MSO notices = %+v", r2.MSO)
			}
			// The applicants: PD is forgotten, PS keeps its number with its new start.
			if _, still := r2.Next.Sent["PD"]; still {
				t.Error("PD, deleted, is still among the applicants sent")
			}
			if s := r2.Next.Sent["PS"]; !s.Start.Equal(day0(70)) || s.ApplicantNumber != r1.Next.Sent["PS"].ApplicantNumber {
				t.Errorf("PS in the state = %+v", s)
			}
			if appRecords(r2) != 0 {
				t.Errorf("day 2 sent %d records, want none (PE's post has no ESR position)", appRecords(r2))
			}
			wantSeen2 := []string{"PB0", "PC", "PN", "PS"}
			if got := sortedKeys(r2.Next.TIS.Placements); !reflect.DeepEqual(got, wantSeen2) {
				t.Errorf("day 2 remembers %v, want %v", got, wantSeen2)
			}
			if r2.Next.TIS.Placements["PN"] != r1.Next.TIS.Placements["PN"] {
				t.Error("PN, unchanged, is remembered anew")
			}
			for _, npn := range []string{"KSS/RJZ01/030/STR/0002", "KSS/RJZ02/200/STR/001", "KSS/RJZO1/030/STR/001", dpnA} {
				if !r2.Next.TIS.NPNs[npn] {
					t.Errorf("NPN %s not remembered as seen", npn)
				}
			}

			// The same day-2 inputs again: nothing new.
			r3 := scenario{at: day0(1), positions: pos, placements: day2, noSuggestions: noSuggestions}.run(t, r2.Next)
			if len(r3.Notifications) != 0 || appRecords(r3) != 0 {
				t.Errorf("day 2 again: %d notifications, %d records; want none: %+v", len(r3.Notifications), appRecords(r3), r3.Notifications)
			}
			if !reflect.DeepEqual(r3.Next.TIS, r2.Next.TIS) {
				t.Error("day 2 again changed what is remembered of TIS")
			}
		})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// (f) A day-2 export without one local office's placements is refused; as
// a partial export, that office's placements are kept as they were, not
// withdrawn, and come back the day after as if nothing had happened.
func TestNarrowerExport(t *testing.T) {
	eoe := position("600", "6001", "60000001", "EOE/RGT00/021/FY1/010")
	pos := []model.Position{position("504", "9001", "10000016", dpnA), eoe}
	k1 := placement("K1", dpnA, "Smith", "Anna", "7000001", day0(-30), day0(200))
	e1 := placement("E1", "EOE/RGT00/021/FY1/010", "Jones", "Ben", "7000002", day0(20), day0(300))
	e1.ManagingDeanery = "Health Education England East of England"
	r1 := scenario{positions: pos, placements: []model.Placement{k1, e1}}.run(t, State{})
	if r1.Next.Sent["E1"].Status != StatusSuccess {
		t.Fatalf("E1 not loaded on day 1: %+v", r1.Next.Sent["E1"])
	}

	narrow := scenario{at: day0(1), positions: pos, placements: []model.Placement{k1}}
	_, err := narrow.try(r1.Next)
	var ne *NarrowExportError
	if !errors.As(err, &ne) {
		t.Fatalf("narrower export: error %v, want a *NarrowExportError", err)
	}
	if !reflect.DeepEqual(ne.Offices, []string{"Health Education England East of England"}) || !reflect.DeepEqual(ne.Placed, []int{1}) {
		t.Errorf("refusal names offices %q with %v placements, want the East of England's one", ne.Offices, ne.Placed)
	}
	const wantMsg = `today's TIS placement export looks narrower than the last run's: it has no placement of local office ` +
		`"Health Education England East of England" (the last run had 1 placement there that has not ended); every missing placement would be taken for a withdrawal`
	if err.Error() != wantMsg {
		t.Errorf("message\n got %s\nwant %s", err, wantMsg)
	}

	narrow.partial = true
	r2 := narrow.run(t, r1.Next)
	if w := withdrawals(r2); len(w) != 0 {
		t.Errorf("partial export: withdrawals %+v, want none", w)
	}
	if r2.Next.TIS.Placements["E1"] != r1.Next.TIS.Placements["E1"] || r2.Next.Sent["E1"] != r1.Next.Sent["E1"] {
		t.Errorf("E1 not kept as it was: remembered %+v, sent %+v", r2.Next.TIS.Placements["E1"], r2.Next.Sent["E1"])
	}
	r3 := scenario{at: day0(2), positions: pos, placements: []model.Placement{k1, e1}}.run(t, r2.Next)
	if n := byType(r3); n[NotifyWithdrawn] != 0 || n[NotifyDateChange] != 0 || appRecords(r3) != 0 {
		t.Errorf("E1 back: notifications %v, %d records; want no withdrawal, change or record", n, appRecords(r3))
	}

	t.Run("far fewer placements of the same offices", func(t *testing.T) {
		var many []model.Placement
		for i := range 25 {
			many = append(many, placement("M"+gmcN(i), dpnA, "Trainee", gmcN(i), gmcN(i), day0(-30), day0(200)))
		}
		ra := scenario{positions: pos, placements: append(many, k1)}.run(t, State{})
		_, err := scenario{at: day0(1), positions: pos, placements: []model.Placement{k1}}.try(ra.Next)
		if !errors.As(err, &ne) || len(ne.Offices) != 0 || ne.Missing != 25 || ne.Expected != 26 {
			t.Fatalf("error %v, want 25 of 26 missing", err)
		}
		rb := scenario{at: day0(1), positions: pos, placements: []model.Placement{k1}, partial: true}.run(t, ra.Next)
		if n := len(withdrawals(rb)); n != 25 {
			t.Errorf("as a partial export: %d withdrawals, want 25 (every office is there)", n)
		}
		// 19 missing is below the least that refuses.
		_, err = scenario{at: day0(1), positions: pos, placements: append(many[:6:6], k1)}.try(ra.Next)
		if err != nil {
			t.Errorf("19 of 26 missing: %v, want no refusal", err)
		}
	})
}

// An end date moved before the as-of date takes the placement out of the
// reconciliation's scope: the export's ended rows (Input.Export) tell it
// from a deletion.
func TestEndMovedIntoThePast(t *testing.T) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA)}
	pc := placement("PC", dpnA, "Smith", "Anna", "7000001", day0(-100), day0(30))
	r1 := scenario{positions: pos, placements: []model.Placement{pc}}.run(t, State{})
	left := pc
	left.DateTo = day0(-1)
	r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{left}}.run(t, r1.Next)
	if w := withdrawals(r2); len(w) != 0 {
		t.Errorf("withdrawals %+v, want none", w)
	}
	want := Notification{Type: NotifyDateChange, VPD: "504", Deanery: "KSS", DeaneryNumber: dpnA, PositionNumber: "10000016",
		PlacementID: "PC", OldStart: day0(-100), OldEnd: day0(30), NewEnd: day0(-1), ApplicantName: "Smith,Anna", GMC: "7000001"}
	if got := notesOf(r2, NotifyDateChange, "PC"); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("date change\n got %+v\nwant %+v", got, want)
	}
	if one := notesOf(r2, NotifyHolders, "PC"); len(one) != 1 || holderID(one[0].Current) != "PC" || one[0].Next != nil {
		t.Errorf("type 1 about PC = %+v, want PC alone as current holder", one)
	}
	if _, kept := r2.Next.TIS.Placements["PC"]; kept {
		t.Error("PC, ended, is still remembered")
	}
}

// A placement no longer approved is neither withdrawn nor re-dated; the
// day it is approved again it is compared with its last approved dates.
func TestNoLongerApproved(t *testing.T) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA)}
	pn := placement("PN", dpnA, "Jones", "Ben", "7000002", day0(40), day0(400))
	pn.HasLifecycleColumn, pn.Lifecycle = true, "APPROVED"
	r1 := scenario{positions: pos, placements: []model.Placement{pn}}.run(t, State{})
	draft := pn
	draft.Lifecycle, draft.DateFrom = "DRAFT", day0(50)
	r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{draft}}.run(t, r1.Next)
	if n := byType(r2); n[NotifyWithdrawn] != 0 || n[NotifyDateChange] != 0 {
		t.Errorf("DRAFT: notifications by type %v, want no withdrawal or date change", n)
	}
	if r2.Next.TIS.Placements["PN"] != r1.Next.TIS.Placements["PN"] {
		t.Error("the last approved version is not kept")
	}
	again := draft
	again.Lifecycle = "APPROVED"
	r3 := scenario{at: day0(2), positions: pos, placements: []model.Placement{again}}.run(t, r2.Next)
	got := notesOf(r3, NotifyDateChange, "PN")
	if len(got) != 1 || !got[0].OldStart.Equal(day0(40)) || !got[0].NewStart.Equal(day0(50)) {
		t.Errorf("approved again: date changes %+v, want day0(40) -> day0(50)", got)
	}
}

// A post-created column decides which posts are new, on a first run too:
// created on the as-of date (first run), then on or after the last run's
// as-of date. A near miss of an ESR DPN is never new.
func TestPostCreatedColumn(t *testing.T) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA)}
	made := func(id, npn string, created time.Time) model.Placement {
		p := placement(id, npn, "Trainee", id, gmcN(len(id)), day0(30), day0(300))
		p.HasPostCreatedColumn, p.PostCreated = true, created
		return p
	}
	today := made("P1", "KSS/NEW00/001/STR/001", asOf)
	old := made("P2", "KSS/OLD00/001/STR/001", day0(-400))
	typo := made("P3", "KSS/RJZ01/030/STR/01", asOf) // dpnA less a character
	undated := made("P4", "KSS/UND00/001/STR/001", time.Time{})
	r1 := scenario{positions: pos, placements: []model.Placement{today, old, typo, undated}}.run(t, State{})
	var got []string
	for _, n := range r1.Notifications {
		if n.Type == NotifyNewPost {
			got = append(got, n.DeaneryNumber)
		}
	}
	if want := []string{"KSS/NEW00/001/STR/001"}; !reflect.DeepEqual(got, want) {
		t.Errorf("first run new posts %q, want %q", got, want)
	}
	// Day 2: a post created the day before (the last run's as-of date,
	// after that export) is new; the one notified yesterday is not again.
	late := made("P5", "KSS/LAT00/001/STR/001", asOf)
	r2 := scenario{at: day0(1), positions: pos, placements: []model.Placement{today, old, typo, undated, late}}.run(t, r1.Next)
	got = nil
	for _, n := range r2.Notifications {
		if n.Type == NotifyNewPost {
			got = append(got, n.DeaneryNumber)
		}
	}
	if want := []string{"KSS/LAT00/001/STR/001"}; !reflect.DeepEqual(got, want) {
		t.Errorf("day 2 new posts %q, want %q", got, want)
	}
}
