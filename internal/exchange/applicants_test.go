package exchange

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

const (
	dpnA = "KSS/RJZ01/030/STR/001"
	dpnB = "KSS/RJZ01/030/STR/002"
	dpnC = "KSS/RJZ01/030/STR/003"
)

func TestTransferWindowEdges(t *testing.T) {
	tests := []struct {
		name  string
		start time.Time
		sent  int
	}{
		{"as-of + 2 days: window closed", day0(2), 0},
		{"as-of + 3 days: sent", day0(3), 1},
		{"as-of + 90 days: sent", day0(90), 1},
		{"as-of + 13 weeks: not yet released", day0(91), 0},
		{"started yesterday: too late", day0(-1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scenario{positions: []model.Position{position("504", "9001", "10000016", dpnA)},
				placements: []model.Placement{placement("P1", dpnA, "Smith", "Anna", gmcN(1), tt.start, tt.start.AddDate(1, 0, 0))}}
			r := s.run(t, State{})
			if got := appRecords(r); got != tt.sent {
				t.Fatalf("APP records = %d, want %d", got, tt.sent)
			}
			if r.Totals.PlacementsInWindow != tt.sent {
				t.Errorf("PlacementsInWindow = %d, want %d", r.Totals.PlacementsInWindow, tt.sent)
			}
		})
	}
}

func TestNotSentPlacements(t *testing.T) {
	vac := placement("V1", dpnA, "RECRUIT - VACANCY", "", "9999978", day0(10), day0(100))
	oop := placement("P2", dpnA, "Jones", "Ben", gmcN(2), day0(10), day0(100))
	oop.PlacementType = "OOPR"
	draft := placement("P3", dpnA, "Khan", "Aisha", gmcN(3), day0(10), day0(100))
	draft.Lifecycle, draft.HasLifecycleColumn = "DRAFT", true
	approved := placement("P4", dpnA, "Patel", "Ravi", gmcN(4), day0(10), day0(100))
	approved.Lifecycle, approved.HasLifecycleColumn = "approved", true
	unmatched := placement("P5", "KSS/RJZ01/030/STR/999", "Lee", "Mei", gmcN(5), day0(10), day0(100))
	tests := []struct {
		name string
		p    model.Placement
		sent int
	}{
		{"vacancy placeholder", vac, 0},
		{"type not sent", oop, 0},
		{"not approved", draft, 0},
		{"approved in any case", approved, 1},
		{"NPN with no ESR position", unmatched, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scenario{positions: []model.Position{position("504", "9001", "10000016", dpnA)}, placements: []model.Placement{tt.p}}
			if got := appRecords(s.run(t, State{})); got != tt.sent {
				t.Errorf("APP records = %d, want %d", got, tt.sent)
			}
		})
	}
}

func TestQuarantine(t *testing.T) {
	tests := []struct {
		name        string
		n           int
		quarantined bool
	}{
		{"40 records for one post load", 40, false},
		{"41 records for one post quarantine the file", 41, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scenario{positions: []model.Position{position("504", "9001", "10000016", dpnA), position("504", "9002", "10000017", dpnB)}}
			for i := 0; i < tt.n; i++ {
				s.placements = append(s.placements, placement(fmt.Sprintf("P%03d", i), dpnA, "Trainee", fmt.Sprintf("N%d", i), gmcN(i), day0(30), day0(395)))
			}
			// Another post in the same file: quarantined with it.
			s.placements = append(s.placements, placement("Q1", dpnB, "Other", "One", gmcN(900), day0(30), day0(395)))
			r := s.run(t, State{})
			if len(r.APPFiles) != 1 || len(r.APPFiles[0].Records) != tt.n+1 {
				t.Fatalf("APP files = %d, want one with %d records", len(r.APPFiles), tt.n+1)
			}
			if !tt.quarantined {
				if len(r.Quarantined) != 0 || len(r.APCFiles) != 1 || len(apcRows(r)) != tt.n+1 {
					t.Fatalf("quarantined %d, APC files %d, APC rows %d; want 0, 1, %d", len(r.Quarantined), len(r.APCFiles), len(apcRows(r)), tt.n+1)
				}
				if r.Totals.Success != tt.n+1 || r.Totals.QuarantinedFiles != 0 {
					t.Errorf("success %d quarantined files %d, want %d and 0", r.Totals.Success, r.Totals.QuarantinedFiles, tt.n+1)
				}
				return
			}
			want := []Quarantine{{APPFile: "DE_KSS_APP_20261125_00000001",
				Posts: []QuarantinedPost{{DeaneryNumber: dpnA, PositionNumber: "10000016", VPD: "504", Applicants: 41}}}}
			if !reflect.DeepEqual(r.Quarantined, want) {
				t.Fatalf("Quarantined = %+v, want %+v", r.Quarantined, want)
			}
			if len(r.APCFiles) != 0 {
				t.Errorf("APC files = %d, want none", len(r.APCFiles))
			}
			if len(r.Next.Sent) != 42 {
				t.Fatalf("Next.Sent = %d, want 42", len(r.Next.Sent))
			}
			for id, s := range r.Next.Sent {
				if s.Status != StatusQuarantined || s.ApplicantNumber != "" {
					t.Errorf("Sent[%s] = %s %q, want QUARANTINED with no number", id, s.Status, s.ApplicantNumber)
				}
			}
			if r.Next.NextApplicantNumber != FirstApplicantNumber {
				t.Errorf("NextApplicantNumber = %d, want %d (none handed out)", r.Next.NextApplicantNumber, FirstApplicantNumber)
			}
			if r.Totals.QuarantinedFiles != 1 || r.Totals.Success != 0 || r.Totals.Fail != 0 || r.Totals.APPRecords != 42 {
				t.Errorf("totals %+v", r.Totals)
			}
		})
	}
}

func TestMandatoryItems(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *model.Placement)
		want   string
	}{
		{"last name", func(p *model.Placement) { p.Surname = " " }, "Mandatory item LAST_NAME not supplied. Application rejected."},
		{"first name", func(p *model.Placement) { p.Forenames = "" }, "Mandatory item FIRST_NAME not supplied. Application rejected."},
		{"date of birth", func(p *model.Placement) { p.DOB = time.Time{} }, "Mandatory item DATE_OF_BIRTH not supplied. Application rejected."},
		{"last and first name: the first in ESR's order", func(p *model.Placement) { p.Surname, p.Forenames = "", "" },
			"Mandatory item LAST_NAME not supplied. Application rejected."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := placement("P1", dpnA, "Smith", "Anna", gmcN(1), day0(30), day0(395))
			tt.change(&p)
			s := scenario{positions: []model.Position{position("504", "9001", "10000016", dpnA)}, placements: []model.Placement{p}}
			r := s.run(t, State{})
			rows := apcRows(r)
			if len(rows) != 1 {
				t.Fatalf("APC rows = %d, want 1", len(rows))
			}
			got := rows[0]
			if got.LoadStatusCode != "FAIL" || got.MessageType != "ERROR" || got.MessageText != tt.want || got.ApplicantNumber != "" {
				t.Errorf("APC = %s %s %q number %q; want FAIL ERROR %q, no number", got.LoadStatusCode, got.MessageType, got.MessageText, got.ApplicantNumber, tt.want)
			}
			if got.ESRVacancyID != 1 || got.VacancyRefNumber != "504-KSSVac1" || got.PositionID != "9001" || got.PositionNumber != "10000016" {
				t.Errorf("APC identity = %d %q %q %q", got.ESRVacancyID, got.VacancyRefNumber, got.PositionID, got.PositionNumber)
			}
			if s := r.Next.Sent["P1"]; s.Status != "FAIL" {
				t.Errorf("Sent status = %q, want FAIL", s.Status)
			}
			if r.Totals.Fail != 1 || r.Totals.Success != 0 {
				t.Errorf("fail %d success %d, want 1 and 0", r.Totals.Fail, r.Totals.Success)
			}
			if len(r.MSO) != 1 || len(r.MSO[0].Failed) != 1 || len(r.MSO[0].Successful) != 0 {
				t.Errorf("MSO = %+v, want one failed row for 504", r.MSO)
			}
		})
	}
}

func TestCodedValueWarnings(t *testing.T) {
	custom, err := ReadValues(strings.NewReader("[TITLE]\nDr\nMr\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(p *model.Placement)
		values *Values
		want   []string // message types and texts, in order
	}{
		{"disability NO loads with a warning", func(p *model.Placement) { p.Disability = "NO" }, nil, []string{
			"WARNING Value for DISABILITY does not exist in ESR. The value NO will be ignored.",
			"INFO Application is from a NEW Applicant"}},
		{"the value is shown upper case", func(p *model.Placement) { p.Disability = "No" }, nil, []string{
			"WARNING Value for DISABILITY does not exist in ESR. The value NO will be ignored.",
			"INFO Application is from a NEW Applicant"}},
		{"an ESR code loads clean", func(p *model.Placement) { p.Disability, p.Title, p.Gender = "N", "dr", "Female" }, nil, []string{
			"INFO Application is from a NEW Applicant"}},
		{"two bad values: one warning each, title first", func(p *model.Placement) { p.Disability, p.Title = "Prefer not to say", "Doctor" }, nil, []string{
			"WARNING Value for TITLE does not exist in ESR. The value DOCTOR will be ignored.",
			"WARNING Value for DISABILITY does not exist in ESR. The value PREFER NOT TO SAY will be ignored.",
			"INFO Application is from a NEW Applicant"}},
		{"a replaced title list", func(p *model.Placement) { p.Title = "Mrs" }, custom, []string{
			"WARNING Value for TITLE does not exist in ESR. The value MRS will be ignored.",
			"INFO Application is from a NEW Applicant"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := placement("P1", dpnA, "Smith", "Anna", gmcN(1), day0(30), day0(395))
			tt.change(&p)
			s := scenario{positions: []model.Position{position("504", "9001", "10000016", dpnA)}, placements: []model.Placement{p}, values: tt.values}
			r := s.run(t, State{})
			var got []string
			for _, a := range apcRows(r) {
				got = append(got, a.MessageType+" "+a.MessageText)
				if a.LoadStatusCode != "SUCCESS" || a.ApplicantNumber != "4769160" {
					t.Errorf("row %q: status %s number %q, want SUCCESS 4769160", a.MessageText, a.LoadStatusCode, a.ApplicantNumber)
				}
				if a.ApplicantName != "Smith,Anna" {
					t.Errorf("ApplicantName = %q, want Smith,Anna", a.ApplicantName)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("APC messages\n got %q\nwant %q", got, tt.want)
			}
			if r.Totals.Warnings != len(tt.want)-1 || r.Totals.Success != 1 {
				t.Errorf("warnings %d success %d, want %d and 1", r.Totals.Warnings, r.Totals.Success, len(tt.want)-1)
			}
			if s := r.Next.Sent["P1"]; s.Status != "SUCCESS" || s.ApplicantNumber != "4769160" {
				t.Errorf("Sent = %s %q", s.Status, s.ApplicantNumber)
			}
		})
	}
}

func TestPersonMatching(t *testing.T) {
	const ni = "QQ123456A"
	tests := []struct {
		name   string
		people []model.Person
		want   string
	}{
		{"nobody in ESR", nil, "Application is from a NEW Applicant"},
		{"employee by NI number and last name", []model.Person{{VPD: "504", PersonType: "Employee", LastName: "SMITH", NINumber: "qq 12 34 56 a"}},
			"Application is from an EXISTING Employee"},
		{"GO person type EMP_APL", []model.Person{{VPD: "504", PersonType: "EMP_APL", LastName: "Smith", NINumber: ni}},
			"Application is from an EXISTING Employee"},
		{"an applicant only is not an employee", []model.Person{{VPD: "504", PersonType: "Applicant", LastName: "Smith", NINumber: ni}},
			"Application is from a NEW Applicant"},
		{"an ex-employee has no assignment to action", []model.Person{{VPD: "504", PersonType: "Ex-Employee", LastName: "Smith", NINumber: ni}},
			"Application is from a NEW Applicant"},
		{"employee by GMC number when NI does not match", []model.Person{{VPD: "504", PersonType: "Employee", LastName: "Smith-Jones", GMC: "7000001"}},
			"Application is from an EXISTING Employee"},
		{"NI number with another last name, no GMC", []model.Person{{VPD: "504", PersonType: "Employee", LastName: "Jones", NINumber: ni}},
			"Application is from a NEW Applicant"},
		{"NI match wins over GMC: a non-employee by NI", []model.Person{
			{VPD: "504", PersonType: "Applicant", LastName: "Smith", NINumber: ni},
			{VPD: "504", PersonType: "Employee", LastName: "Other", GMC: "7000001"}},
			"Application is from a NEW Applicant"},
		{"an employee of another VPD", []model.Person{{VPD: "999", PersonType: "Employee", LastName: "Smith", NINumber: ni, GMC: "7000001"}},
			"Application is from a NEW Applicant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := placement("P1", dpnA, "Smith", "Anna", gmcN(1), day0(30), day0(395))
			p.NINumber = ni
			s := scenario{positions: []model.Position{position("504", "9001", "10000016", dpnA)}, placements: []model.Placement{p}, people: tt.people}
			rows := apcRows(s.run(t, State{}))
			if len(rows) != 1 || rows[0].MessageType != "INFO" || rows[0].MessageText != tt.want {
				t.Errorf("APC = %+v, want one INFO %q", rows, tt.want)
			}
		})
	}
}

func TestDuplicateApplication(t *testing.T) {
	pos := []model.Position{position("504", "9001", "10000016", dpnA)}
	first := placement("P1", dpnA, "Smith", "Anna", gmcN(1), day0(8), day0(373))
	again := placement("P2", dpnA, "Smith", "Anna", gmcN(1), day0(8), day0(373)) // the same person, a second placement id
	const dup = "Duplicate application for position 10000016 starting 03-DEC-2026. Application rejected."

	t.Run("twice in one file", func(t *testing.T) {
		r := scenario{positions: pos, placements: []model.Placement{again, first}}.run(t, State{})
		rows := apcRows(r)
		if len(rows) != 2 {
			t.Fatalf("APC rows = %d, want 2", len(rows))
		}
		if rows[0].PlacementID != "P1" || rows[0].LoadStatusCode != "SUCCESS" {
			t.Errorf("first row = %s %s, want P1 SUCCESS", rows[0].PlacementID, rows[0].LoadStatusCode)
		}
		if rows[1].PlacementID != "P2" || rows[1].LoadStatusCode != "FAIL" || rows[1].MessageText != dup || rows[1].ESRVacancyID != 2 {
			t.Errorf("second row = %+v, want P2 FAIL %q", rows[1], dup)
		}
	})
	t.Run("twice in one file, known by NI number alone", func(t *testing.T) {
		a, b := first, again
		a.GMC, b.GMC = "", ""
		a.NINumber, b.NINumber = "QQ123456A", "qq 12 34 56 a" // the same number, written two ways
		rows := apcRows(scenario{positions: pos, placements: []model.Placement{b, a}}.run(t, State{}))
		if len(rows) != 2 || rows[0].PlacementID != "P1" || rows[0].LoadStatusCode != "SUCCESS" ||
			rows[1].PlacementID != "P2" || rows[1].LoadStatusCode != "FAIL" || rows[1].MessageText != dup {
			t.Errorf("APC rows = %+v, want P1 SUCCESS then P2 rejected as a duplicate", rows)
		}
	})
	t.Run("already held from an earlier run", func(t *testing.T) {
		r1 := scenario{positions: pos, placements: []model.Placement{first}}.run(t, State{})
		r2 := scenario{positions: pos, placements: []model.Placement{first, again}}.run(t, r1.Next)
		rows := apcRows(r2)
		if len(rows) != 1 || rows[0].PlacementID != "P2" || rows[0].MessageText != dup {
			t.Fatalf("APC rows = %+v, want P2 rejected as a duplicate", rows)
		}
	})
	t.Run("another start date is no duplicate", func(t *testing.T) {
		later := placement("P2", dpnA, "Smith", "Anna", gmcN(1), day0(60), day0(373))
		r := scenario{positions: pos, placements: []model.Placement{first, later}}.run(t, State{})
		if r.Totals.Success != 2 {
			t.Errorf("success = %d, want 2", r.Totals.Success)
		}
	})
}

func TestPositionResolution(t *testing.T) {
	// Step 4 only sends records for a post it matched alone, so ESR's own
	// position resolution is tested on a record handed straight to it.
	e := newEngine(Input{AsOf: asOf}, State{})
	p1, p2 := position("504", "1", "100", dpnA), position("505", "2", "200", dpnA)
	ref := func(p *model.Position) activePos { return activePos{vpd: p.VPD, label: positionLabel(p)} }
	e.active[dpnA] = []activePos{ref(&p2), ref(&p1)}
	tests := []struct {
		dpn, want string
	}{
		{dpnA, "Deanery number KSS/RJZ01/030/STR/001 is held by 2 active ESR positions (VPD 504 position 100, VPD 505 position 200). Application rejected."},
		{dpnB, "No active ESR position holds deanery number KSS/RJZ01/030/STR/002. Application rejected."},
	}
	for _, tt := range tests {
		if got := e.resolve(&model.Applicant{DeaneryNumber: tt.dpn}); got != tt.want {
			t.Errorf("resolve(%s) = %q, want %q", tt.dpn, got, tt.want)
		}
	}
	e.active[dpnC] = []activePos{ref(&p1)}
	if got := e.resolve(&model.Applicant{DeaneryNumber: dpnC}); got != "" {
		t.Errorf("one position: %q, want no message", got)
	}
}

func TestAPPRecordFields(t *testing.T) {
	pos := position("504", "", "10000016", dpnA) // no position id: the number stands in
	p := placement("P1", " kss/rjz01/030/str/001 ", " Smith ", "Anna Maria", gmcN(1), day0(30), day0(395))
	p.NINumber, p.Site, p.WTE, p.Disability = "QQ123456A", "Royal Hospital", "0.6", "N"
	r := scenario{positions: []model.Position{pos}, placements: []model.Placement{p}}.run(t, State{})
	if len(r.APPFiles) != 1 {
		t.Fatalf("APP files = %d, want 1", len(r.APPFiles))
	}
	f := r.APPFiles[0]
	if f.Name != "DE_KSS_APP_20261125_00000001" || f.Deanery != "KSS" || f.Seq != 1 {
		t.Errorf("file = %q %q %d", f.Name, f.Deanery, f.Seq)
	}
	want := model.Applicant{PlacementID: "P1", ManagingDeanery: "KSS", VPD: "504", DeaneryNumber: dpnA, EffectiveDate: asOf,
		LastName: "Smith", FirstName: "Anna Maria", DOB: time.Date(1990, 4, 1, 0, 0, 0, 0, time.UTC), GMC: "7000001",
		UKNINO: "QQ123456A", PositionID: "10000016", PositionNumber: "10000016", Disability: "N",
		ProjectedHireDate: day0(30), ProjectedEndDate: day0(395), Site: "Royal Hospital", WTE: "0.6"}
	if !reflect.DeepEqual(f.Records[0], want) {
		t.Errorf("record\n got %+v\nwant %+v", f.Records[0], want)
	}
	if len(r.APCFiles) != 1 || r.APCFiles[0].Name != "DE_KSS_APC_20261125_00000001" || r.APCFiles[0].APPFile != f.Name {
		t.Errorf("APC files = %+v", r.APCFiles)
	}
}

func TestFilesPerDeanery(t *testing.T) {
	s := scenario{
		positions: []model.Position{position("504", "1", "100", dpnA), position("504", "2", "101", dpnB),
			position("600", "3", "300", "EOE/RGT00/021/FY1/010")},
		placements: []model.Placement{
			placement("P3", dpnB, "Brown", "Cara", gmcN(3), day0(20), day0(200)),
			placement("P1", dpnA, "Young", "Adam", gmcN(1), day0(30), day0(200)),
			placement("P2", dpnA, "Abbot", "Ben", gmcN(2), day0(20), day0(200)),
			placement("P4", "EOE/RGT00/021/FY1/010", "Green", "Dan", gmcN(4), day0(20), day0(200)),
		},
	}
	prev := State{Sequences: map[string]int{"KSS_APP": 2688}, NextApplicantNumber: 100}
	r := s.run(t, prev)
	var got []string
	for _, f := range r.APPFiles {
		for _, a := range f.Records {
			got = append(got, f.Name+" "+a.PlacementID)
		}
	}
	want := []string{"DE_EOE_APP_20261125_00000001 P4", "DE_KSS_APP_20261125_00002689 P2", "DE_KSS_APP_20261125_00002689 P1",
		"DE_KSS_APP_20261125_00002689 P3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files and records\n got %q\nwant %q", got, want)
	}
	// Numbers follow file order: EOE first, then KSS's records in order.
	wantNumbers := map[string]string{"P4": "100", "P2": "101", "P1": "102", "P3": "103"}
	for id, n := range wantNumbers {
		if s := r.Next.Sent[id]; s.ApplicantNumber != n {
			t.Errorf("%s applicant number %q, want %s", id, s.ApplicantNumber, n)
		}
	}
	if r.Next.Sequences["KSS_APP"] != 2689 || r.Next.Sequences["EOE_APP"] != 1 || r.Next.NextApplicantNumber != 104 {
		t.Errorf("next sequences %v number %d", r.Next.Sequences, r.Next.NextApplicantNumber)
	}
	if prev.Sequences["KSS_APP"] != 2688 {
		t.Errorf("prev was modified: %v", prev.Sequences)
	}
	if len(r.ByDeanery) != 2 || r.ByDeanery[0].Group != "EOE" || r.ByDeanery[0].APPRecords != 1 ||
		r.ByDeanery[1].Group != "KSS" || r.ByDeanery[1].APPRecords != 3 || r.ByDeanery[1].PositionsTransferred != 2 {
		t.Errorf("ByDeanery = %+v", r.ByDeanery)
	}
	if len(r.ByVPD) != 2 || r.ByVPD[0].Group != "504" || r.ByVPD[0].Success != 3 || r.ByVPD[1].Group != "600" || r.ByVPD[1].Success != 1 {
		t.Errorf("ByVPD = %+v", r.ByVPD)
	}
	if r.Totals.APPRecords != 4 || r.Totals.Success != 4 || r.Totals.PositionsTransferred != 3 || r.Totals.PlacementsInWindow != 4 {
		t.Errorf("Totals = %+v", r.Totals)
	}
}
