package reconcile

import (
	"fmt"
	"strings"
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// hostLeadPositions: one DPN per case, numbered so that a finding names
// its case. VPDs 504, 505 and 506.
const (
	dpnPair     = "KSS/RJZ01/030/STR/001" // 504 host, 505 lead: one post
	dpnUnmarked = "KSS/RJZ01/030/STR/002" // 504 and 505, no status
	dpnHosts    = "KSS/RJZ01/030/STR/003" // 504 host, 505 host
	dpnThree    = "KSS/RJZ01/030/STR/004" // 504 host, 505 host, 506 lead
	dpnOneVPD   = "KSS/RJZ01/030/STR/005" // 504 host and 504 lead: a duplicate
)

func hostLeadPositions() []model.Position {
	at := func(vpd, number, dpn, status string) model.Position {
		p := pos(number, number+"|Specialty Registrar|N1L|Cardiology", dpn)
		p.VPD, p.HostLead, p.ID = vpd, status, "9"+number
		return p
	}
	ps := []model.Position{
		at("504", "1001", dpnPair, "Host Employer"), at("505", "2001", dpnPair, "Lead Employer"),
		at("504", "1002", dpnUnmarked, ""), at("505", "2002", dpnUnmarked, ""),
		at("504", "1003", dpnHosts, "Host Employer"), at("505", "2003", dpnHosts, "Host Employer"),
		at("504", "1004", dpnThree, "Host Employer"), at("505", "2004", dpnThree, "Host Employer"), at("506", "3004", dpnThree, "Lead Employer"),
		at("504", "1005", dpnOneVPD, "Host Employer"), at("504", "1006", dpnOneVPD, "Lead Employer"),
	}
	for i := range ps {
		ps[i].Row = i + 2
	}
	return ps
}

func TestReconcileHostLeadPair(t *testing.T) {
	check := checkPositions(hostLeadPositions(), nil, checks.Options{AsOf: asOf, KeepInactive: true})
	start := asOf.AddDate(0, 0, 30)
	pl := func(id, npn string) model.Placement {
		return model.Placement{ID: id, NPN: npn, Surname: "Smith" + id, Forenames: "Anna", GMC: "70000" + id,
			DateFrom: start, DateTo: start.AddDate(1, 0, 0), PlacementType: "In post", WTE: "0.5",
			ManagingDeanery: "Health Education England Kent, Surrey and Sussex", File: "placements.csv"}
	}
	pls := []model.Placement{pl("11", dpnPair), pl("12", dpnPair), pl("21", dpnUnmarked), pl("31", dpnHosts), pl("51", dpnOneVPD)}
	for i := range pls {
		pls[i].Row = i + 2
	}
	res := reconcileAll(check, pls, Options{AsOf: asOf})
	byID := map[string]*PlacementResult{}
	for i := range res.Placements {
		byID[res.Placements[i].Placement.ID] = &res.Placements[i]
	}
	wantPair := []PositionRef{{VPD: "504", PositionNumber: "1001", DPN: dpnPair}, {VPD: "505", PositionNumber: "2001", DPN: dpnPair}}
	for _, id := range []string{"11", "12"} {
		pr := byID[id]
		if pr.Match != MatchYes || pr.Export != ExportExported || pr.Exception || pr.Issue != "" {
			t.Errorf("placement %s on the pair: match %q export %q exception %v issue %q; want Yes, EXPORTED, none",
				id, pr.Match, pr.Export, pr.Exception, pr.Issue)
		}
		if fmt.Sprint(pr.Positions) != fmt.Sprint(wantPair) {
			t.Errorf("placement %s positions %v, want %v", id, pr.Positions, wantPair)
		}
	}
	for _, f := range res.Findings {
		if f.Value == dpnPair {
			t.Errorf("a finding on the pair: %+v", f)
		}
	}
	for _, p := range res.Unplaced {
		if p.DPN == dpnPair {
			t.Errorf("pair position %s listed as unplaced", p.Number)
		}
	}
	if res.Totals.Matched != 2 || res.Totals.ManyPositions != 3 {
		t.Errorf("matched %d, many positions %d; want 2 and 3", res.Totals.Matched, res.Totals.ManyPositions)
	}

	// Not pairs: Multiple ESR Positions, with advice by where the
	// positions are.
	hostLead := "If one trust hosts the post and another is its lead employer, keep the DPN on exactly those two positions and set Host/Lead Employer Status on both"
	for _, tt := range []struct {
		id       string
		hostLead bool
	}{{"21", true}, {"31", true}, {"51", false}} {
		pr := byID[tt.id]
		if pr.Match != MatchMany || !strings.HasPrefix(pr.Export, ExportBlocked+": NPN is on 2 ESR positions") {
			t.Errorf("placement %s: match %q export %q, want Multiple ESR Positions, blocked", tt.id, pr.Match, pr.Export)
		}
		var msg string
		for _, f := range res.Findings {
			if f.Rule == RulePlacementManyPositions && f.PlacementID == tt.id {
				msg = f.Message
			}
		}
		if got := strings.Contains(msg, hostLead); got != tt.hostLead {
			t.Errorf("placement %s: host/lead advice %v, want %v: %q", tt.id, got, tt.hostLead, msg)
		}
		if got := strings.Contains(pr.Issue, "If the trusts are host and lead employer, set Host/Lead Employer Status on both positions"); got != tt.hostLead {
			t.Errorf("placement %s: Issue host/lead advice %v, want %v: %q", tt.id, got, tt.hostLead, pr.Issue)
		}
		if !tt.hostLead && !strings.HasSuffix(msg, "Keep the DPN on one position in ESR.") {
			t.Errorf("placement %s (one VPD): %q", tt.id, msg)
		}
	}
}

// A placement on a host/lead employer pair makes two applicant records in
// its deanery's one APP file: 20 placements make 40, the most a post may
// have; 21 make 42, and ESR quarantines the file.
func TestBucketHostLeadPair(t *testing.T) {
	check := checkPositions(hostLeadPositions(), nil, checks.Options{AsOf: asOf, KeepInactive: true})
	placements := func(n int, npn string) []model.Placement {
		out := make([]model.Placement, n)
		for i := range out {
			start := asOf.AddDate(0, 0, 20+i)
			out[i] = model.Placement{ID: fmt.Sprint(100 + i), NPN: npn, Surname: fmt.Sprint("Trainee", i), Forenames: "A",
				GMC: fmt.Sprint(7100000 + i), DateFrom: start, DateTo: start.AddDate(0, 1, 0), PlacementType: "In post", WTE: "0.1",
				ManagingDeanery: "Health Education England Kent, Surrey and Sussex", File: "placements.csv", Row: i + 2}
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		n      int
		bucket bool
	}{{"20 applicants, 40 records", 20, false}, {"21 applicants, 42 records", 21, true}} {
		t.Run(tt.name, func(t *testing.T) {
			res := reconcileAll(check, placements(tt.n, dpnPair), Options{AsOf: asOf})
			fs := 0
			for _, f := range res.Findings {
				if f.Rule != RulePlacementBucket {
					continue
				}
				fs++
				if !strings.Contains(f.Message, "21 applicants for the host/lead employer post "+dpnPair) ||
					!strings.Contains(f.Message, "42 applicant records would go in one APP file") ||
					!strings.Contains(f.Message, "position 1001 (VPD 504) and position 2001 (VPD 505)") {
					t.Errorf("bucket message %q", f.Message)
				}
			}
			if (fs == 1) != tt.bucket || fs > 1 {
				t.Fatalf("%d placement.bucket findings, want bucket %v", fs, tt.bucket)
			}
			wantExport := ExportExported
			if tt.bucket {
				wantExport = ExportBlocked + ": post has 42 applicant records in one file (21 applicants, host and lead employer; over 40): ESR quarantines the whole file"
			}
			for _, pr := range res.Placements {
				if pr.Export != wantExport || pr.Match != MatchYes || pr.Exception != tt.bucket {
					t.Errorf("placement %s: export %q match %q exception %v; want %q", pr.Placement.ID, pr.Export, pr.Match, pr.Exception, wantExport)
				}
			}
		})
	}
	// 21 on a post with one position are 21 records: no bucket.
	single := []model.Position{pos("1001", "1001|Specialty Registrar|N1L|Cardiology", dpnPair)}
	res := reconcileAll(checkPositions(single, nil, checks.Options{AsOf: asOf, KeepInactive: true}), placements(21, dpnPair), Options{AsOf: asOf})
	if n := res.Totals.ByRule[RulePlacementBucket]; n != 0 {
		t.Errorf("21 applicants on one position: %d bucket findings", n)
	}
}
