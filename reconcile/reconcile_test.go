package reconcile

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

var recOpts = Options{AsOf: asOf}

// day returns the as-of date plus n days.
func day(n int) time.Time { return asOf.AddDate(0, 0, n) }

// place is an approved In post placement of a trainee of its own, starting
// 30 days after the as-of date (inside the transfer window) for a year,
// whose every field is filled, apart from what the test sets.
func place(id, npn string, row int) model.Placement {
	return model.Placement{
		ID: id, NPN: npn, Surname: "Trainee" + id, Forenames: "Anna", GMC: "70" + id,
		DateFrom: day(30), DateTo: day(30).AddDate(1, 0, -1),
		PlacementType: "In post", Lifecycle: "APPROVED", HasLifecycleColumn: true, WTE: "1",
		ManagingDeanery: "Health Education England East of England", EmployingBody: "Trust A",
		DOB: time.Date(1995, 3, 1, 0, 0, 0, 0, time.UTC), HasDOBColumn: true,
		File: "placements.csv", Row: row,
	}
}

// vacancy is TIS's RECRUIT - VACANCY placeholder on npn.
func vacancy(id, npn string, row int) model.Placement {
	p := place(id, npn, row)
	p.Surname, p.Forenames, p.GMC, p.DOB = model.VacancySurname, "*****", model.VacancyGMC, time.Time{}
	return p
}

// reconcile checks ps with KeepInactive and reconciles pls against them.
func reconcile(ps []model.Position, pls []model.Placement) *Result {
	return reconcileAll(checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true}), pls, recOpts)
}

// placementByID finds a placement of res by id.
func placementByID(t *testing.T, res *Result, id string) PlacementResult {
	t.Helper()
	for _, p := range res.Placements {
		if p.Placement.ID == id {
			return p
		}
	}
	t.Fatalf("placement %s not in the result", id)
	return PlacementResult{}
}

// placementRules lists the rules of the findings on one placement, sorted.
func placementRules(res *Result, id string) []string {
	var out []string
	for _, f := range res.Findings {
		if f.PlacementID == id {
			out = append(out, f.Rule)
		}
	}
	sort.Strings(out)
	return out
}

// findingOn returns the finding of rule on placement id, or fails.
func findingOn(t *testing.T, res *Result, id, rule string) checks.Finding {
	t.Helper()
	for _, f := range res.Findings {
		if f.PlacementID == id && f.Rule == rule {
			return f
		}
	}
	t.Fatalf("no %s finding on placement %s", rule, id)
	return checks.Finding{}
}

func TestRunnerKeepInactive(t *testing.T) {
	ps := []model.Position{pos("3", "", "A/B/C/3"), endDated("2", "A/B/C/2"), endDated("1", "A/B/C/1"), endDated("4", " ")}
	elim := pos("5", "", "A/B/C/5")
	elim.HiringStatus = "Eliminated"
	ps = append(ps, elim)
	for _, keep := range []bool{false, true} {
		res := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: keep})
		var got []string
		for _, p := range res.VPDs[0].Inactive {
			got = append(got, p.Number)
		}
		var want []string
		if keep {
			want = []string{"1", "2", "5"} // position 4 has no DPN
		}
		if !equalStrings(got, want) || len(res.VPDs[0].Positions) != 1 {
			t.Errorf("KeepInactive=%v: inactive %q, want %q; active %d, want 1", keep, got, want, len(res.VPDs[0].Positions))
		}
	}
}

func TestReconcileMatch(t *testing.T) {
	const dpn = "EOE/RGT00/021/FY1/010"
	dupe := pos("10002346", "", dpn)
	dupe.VPD = "505"
	elim := pos("10002347", "", dpn)
	elim.HiringStatus = "Eliminated"
	for _, c := range []struct {
		name        string
		positions   []model.Position
		npn         string
		match       string
		export      string
		rules       []string
		issue       string   // exact, when set
		contains    []string // in Issue, in order
		msgContains []string // in the placement's first finding's message
		suggestions []string
		refs        []string
	}{
		{name: "exact", positions: []model.Position{pos("10002345", "", dpn)}, npn: dpn,
			match: MatchYes, export: ExportExported, issue: "", refs: []string{"504/10002345/" + dpn}},
		{name: "ESR DPN with a trailing space", positions: []model.Position{pos("10002345", "", dpn+" ")}, npn: dpn,
			match: MatchYes, export: ExportExported,
			issue: `Matched, but the texts differ: NPN "EOE/RGT00/021/FY1/010" in TIS, DPN "EOE/RGT00/021/FY1/010 " in ESR; correct the DPN of position 10002345 (VPD 504) in ESR to EOE/RGT00/021/FY1/010.`,
			refs:  []string{"504/10002345/" + dpn + " "}},
		{name: "NPN in lower case", positions: []model.Position{pos("10002345", "", dpn)}, npn: "eoe/rgt00/021/fy1/010",
			match: MatchYes, export: ExportExported, contains: []string{"correct the NPN in TIS to " + dpn}},
		{name: "two positions", positions: []model.Position{pos("10002345", "", dpn), dupe}, npn: dpn,
			match: MatchMany, export: "BLOCKED: NPN is on 2 ESR positions", rules: []string{RulePlacementManyPositions},
			contains:    []string{"2 ESR positions carry " + dpn + ": position 10002345 (VPD 504) and position 10002346 (VPD 505)."},
			msgContains: []string{"Multiple ESR Positions: 2 active ESR positions carry " + dpn, "position 10002345 (VPD 504) and position 10002346 (VPD 505)"},
			refs:        []string{"504/10002345/" + dpn, "505/10002346/" + dpn}},
		{name: "only end-dated", positions: []model.Position{endDated("10002345", dpn)}, npn: dpn,
			match: MatchEndDated, export: "BLOCKED: the only ESR position carrying the NPN is end-dated",
			rules:       []string{RulePlacementNoPosition},
			issue:       "The only ESR position carrying EOE/RGT00/021/FY1/010 is position 10002345 (VPD 504), end-dated on 31 July 2026: re-open it or move the DPN to the live position. Did you mean EOE/RGT00/021/FY1/010 (position 10002345, VPD 504: end-dated position still carries it)?",
			msgContains: []string{"No ESR Position - Check DPN in ESR Position: no active ESR position carries"},
			suggestions: []string{dpn + "|10002345|" + SuggestEndDated + "|end-dated"},
			refs:        []string{"504/10002345/" + dpn + "/end-dated"}},
		{name: "only eliminated", positions: []model.Position{elim}, npn: dpn,
			match: MatchEndDated, export: "BLOCKED: the only ESR position carrying the NPN is end-dated",
			rules: []string{RulePlacementNoPosition}, contains: []string{"position 10002347 (VPD 504), eliminated: re-open it"},
			suggestions: []string{dpn + "|10002347|" + SuggestEndDated + "|end-dated"},
			refs:        []string{"504/10002347/" + dpn + "/end-dated"}},
		{name: "two end-dated", positions: []model.Position{endDated("10002345", dpn), elim}, npn: dpn,
			match: MatchEndDated, export: "BLOCKED: the only ESR position carrying the NPN is end-dated",
			rules:       []string{RulePlacementNoPosition},
			contains:    []string{"The only ESR positions carrying " + dpn + " are position 10002345 (VPD 504), end-dated on 31 July 2026 and position 10002347 (VPD 504), eliminated: re-open one"},
			suggestions: []string{dpn + "|10002345|" + SuggestEndDated + "|end-dated", dpn + "|10002347|" + SuggestEndDated + "|end-dated"}},
		{name: "letter O for zero", positions: []model.Position{pos("10002345", "", dpn)}, npn: "EOE/RGT00/021/FY1/O10",
			match: MatchNone, export: "BLOCKED: no ESR position carries the NPN", rules: []string{RulePlacementNoPosition},
			issue:       "No ESR position carries EOE/RGT00/021/FY1/O10. Did you mean EOE/RGT00/021/FY1/010 (position 10002345, VPD 504: letter O typed for zero)?",
			msgContains: []string{"No ESR Position - Check DPN in ESR Position: no ESR position carries EOE/RGT00/021/FY1/O10. Did you mean", "Correct the NPN in TIS or the DPN in ESR"},
			suggestions: []string{dpn + "|10002345|" + SuggestOForZero}},
		{name: "nothing near", positions: []model.Position{pos("10002345", "", dpn)}, npn: "SCO/XYZ99/999/ZZ9/999",
			match: MatchNone, export: "BLOCKED: no ESR position carries the NPN", rules: []string{RulePlacementNoPosition},
			issue:       "No ESR position carries SCO/XYZ99/999/ZZ9/999.",
			msgContains: []string{"No ESR Position - Check DPN in ESR Position", "ask for the post to be created in ESR"}},
		{name: "no NPN", positions: []model.Position{pos("10002345", "", dpn)}, npn: " ",
			match: MatchNone, export: "BLOCKED: no National Post Number", rules: []string{RulePlacementNoPosition},
			issue: "The placement has no National Post Number."},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := reconcile(c.positions, []model.Placement{place("1716002", c.npn, 2)})
			pr := placementByID(t, res, "1716002")
			if pr.Match != c.match || pr.Export != c.export {
				t.Errorf("match %q export %q, want %q %q", pr.Match, pr.Export, c.match, c.export)
			}
			if got := placementRules(res, "1716002"); !equalStrings(got, c.rules) {
				t.Errorf("rules %q, want %q", got, c.rules)
			}
			if c.issue != "" || (c.contains == nil && c.issue == "") {
				if pr.Issue != c.issue {
					t.Errorf("issue\n  %q\nwant\n  %q", pr.Issue, c.issue)
				}
			}
			rest := pr.Issue
			for _, s := range c.contains {
				i := strings.Index(rest, s)
				if i < 0 {
					t.Errorf("issue %q lacks %q", pr.Issue, s)
					break
				}
				rest = rest[i+len(s):]
			}
			if len(c.msgContains) > 0 {
				f := findingOn(t, res, "1716002", c.rules[0])
				for _, s := range c.msgContains {
					if !strings.Contains(f.Message, s) {
						t.Errorf("message %q lacks %q", f.Message, s)
					}
				}
			}
			var sugg []string
			for _, s := range pr.Suggestions {
				sugg = append(sugg, suggestionText(s))
			}
			if !equalStrings(sugg, c.suggestions) {
				t.Errorf("suggestions %q, want %q", sugg, c.suggestions)
			}
			var refs []string
			for _, r := range pr.Positions {
				s := r.VPD + "/" + r.PositionNumber + "/" + r.DPN
				if r.EndDated {
					s += "/end-dated"
				}
				refs = append(refs, s)
			}
			if c.refs != nil && !equalStrings(refs, c.refs) {
				t.Errorf("positions %q, want %q", refs, c.refs)
			}
			wantException := len(c.rules) > 0
			if pr.Exception != wantException {
				t.Errorf("exception %v, want %v", pr.Exception, wantException)
			}
		})
	}
}

func TestReconcilePlacementRules(t *testing.T) {
	const dpn = "KSS/RJZ01/030/STR/001"
	for _, c := range []struct {
		name      string
		edit      func(p *model.Placement)
		inScope   bool
		rules     []string
		export    string
		exception bool
		column    string // of the first finding, when set
		message   string // in the first finding's message, when set
		issue     string // exact, when set
	}{
		{name: "clean", edit: func(p *model.Placement) {}, inScope: true, export: ExportExported},
		{name: "missing last name and date of birth", edit: func(p *model.Placement) { p.Surname, p.DOB = " ", time.Time{} },
			inScope: true, rules: []string{RulePlacementMissingField}, export: "BLOCKED: missing last name, date of birth", exception: true,
			column: "Surname, Date of Birth", message: "Placement 1 has no last name and date of birth: ESR cannot create the applicant record without them.",
			issue: "Missing last name and date of birth."},
		{name: "every field missing", edit: func(p *model.Placement) {
			p.Surname, p.Forenames, p.DOB, p.DateFrom, p.DateTo = "", "", time.Time{}, time.Time{}, time.Time{}
		}, inScope: true, rules: []string{RulePlacementMissingField}, export: "BLOCKED: missing last name, first name, date of birth, start date, end date",
			exception: true, issue: "Missing last name, first name, date of birth, start date and end date."},
		{name: "no date of birth column", edit: func(p *model.Placement) { p.DOB, p.HasDOBColumn = time.Time{}, false },
			inScope: true, export: ExportExported},
		{name: "missing end date", edit: func(p *model.Placement) { p.DateTo = time.Time{} },
			inScope: true, rules: []string{RulePlacementMissingField}, export: "BLOCKED: missing end date", exception: true,
			column: "End Date", message: "Placement 1 has no end date: ESR cannot create the applicant record without it."},
		{name: "end before start", edit: func(p *model.Placement) { p.DateFrom, p.DateTo = day(40), day(35) },
			inScope: true, rules: []string{RulePlacementDates}, export: "BLOCKED: end date before start date", exception: true,
			issue: "End date 30 December 2026 is before start date 4 January 2027."},
		{name: "unreadable start date", edit: func(p *model.Placement) {
			p.DateFrom = time.Time{}
			p.DateIssues = []model.DateIssue{{Column: "Placement Start Date", Value: "31/02/2027"}}
		}, inScope: true, rules: []string{checks.RuleInputDate}, export: "BLOCKED: a date could not be read", exception: true,
			column: "Placement Start Date", message: `Placement Start Date "31/02/2027" on placement 1 could not be read as a date`},
		{name: "unreadable date of birth is not repeated", edit: func(p *model.Placement) {
			p.DOB = time.Time{}
			p.DateIssues = []model.DateIssue{{Column: "DOB", Value: "1995-02-30"}}
		}, inScope: true, rules: []string{checks.RuleInputDate}, export: "BLOCKED: a date could not be read", exception: true,
			column: "DOB", message: "DOB on placement 1 could not be read as a date.", issue: "DOB is not a date."},
		{name: "unreadable end date", edit: func(p *model.Placement) {
			p.DateTo = time.Time{}
			p.DateIssues = []model.DateIssue{{Column: "Date To", Value: "soon"}}
		}, inScope: true, rules: []string{checks.RuleInputDate}, export: "BLOCKED: a date could not be read", exception: true,
			issue: `Date To "soon" is not a date.`},
		{name: "vacancy", edit: func(p *model.Placement) { *p = vacancy("1", dpn, 2) },
			inScope: true, rules: []string{RulePlacementVacancy}, export: "BLOCKED: RECRUIT - VACANCY placeholder is not a trainee",
			issue: "Vacancy placeholder (RECRUIT - VACANCY), not a trainee."},
		{name: "vacancy by GMC only", edit: func(p *model.Placement) { p.GMC = " 9999978" },
			inScope: true, rules: []string{RulePlacementVacancy}, export: "BLOCKED: RECRUIT - VACANCY placeholder is not a trainee"},
		{name: "out of programme", edit: func(p *model.Placement) { p.PlacementType = "OOPR" },
			inScope: true, export: "BLOCKED: placement type OOPR is not sent to ESR", issue: "Placement type OOPR is not sent to ESR."},
		{name: "type in another case", edit: func(p *model.Placement) { p.PlacementType = "in POST - acting up" },
			inScope: true, export: ExportExported},
		{name: "draft", edit: func(p *model.Placement) { p.Lifecycle = "DRAFT" },
			inScope: true, export: "BLOCKED: placement is DRAFT, not APPROVED"},
		{name: "no lifecycle column", edit: func(p *model.Placement) { p.Lifecycle, p.HasLifecycleColumn = "", false },
			inScope: true, export: ExportExported},
		{name: "type blocks before missing field", edit: func(p *model.Placement) { p.PlacementType, p.Forenames = "OOPE", "" },
			inScope: true, rules: []string{RulePlacementMissingField}, export: "BLOCKED: placement type OOPE is not sent to ESR", exception: true},
		{name: "ended yesterday", edit: func(p *model.Placement) { p.DateFrom, p.DateTo = day(-300), day(-1) }},
		{name: "ends on the as-of date", edit: func(p *model.Placement) { p.DateFrom, p.DateTo = day(-300), day(0) },
			inScope: true, export: ExportExported},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := place("1", dpn, 2)
			c.edit(&p)
			res := reconcile([]model.Position{pos("10000016", "", dpn)}, []model.Placement{p})
			if !c.inScope {
				if len(res.Placements) != 0 || len(placementRules(res, "1")) != 0 || res.Totals.Placements != 0 {
					t.Fatalf("out-of-scope placement reported: %+v", res.Placements)
				}
				return
			}
			pr := placementByID(t, res, "1")
			if got := placementRules(res, "1"); !equalStrings(got, c.rules) {
				t.Errorf("rules %q, want %q", got, c.rules)
			}
			if pr.Export != c.export || pr.Exception != c.exception {
				t.Errorf("export %q exception %v, want %q %v", pr.Export, pr.Exception, c.export, c.exception)
			}
			if pr.Match != MatchYes {
				t.Errorf("match %q, want Yes", pr.Match)
			}
			if c.issue != "" && pr.Issue != c.issue {
				t.Errorf("issue %q, want %q", pr.Issue, c.issue)
			}
			if c.column != "" || c.message != "" {
				f := findingOn(t, res, "1", c.rules[0])
				if c.column != "" && f.Column != c.column {
					t.Errorf("column %q, want %q", f.Column, c.column)
				}
				if !strings.Contains(f.Message, c.message) {
					t.Errorf("message %q lacks %q", f.Message, c.message)
				}
				if f.VPD != "504" || f.PositionNumber != "10000016" || f.File != "placements.csv" || f.Row != 2 {
					t.Errorf("finding placed at %s/%s %s:%d", f.VPD, f.PositionNumber, f.File, f.Row)
				}
			}
		})
	}
}

func TestReconcileExportWindow(t *testing.T) {
	const dpn = "KSS/RJZ01/030/STR/001"
	for _, c := range []struct {
		start int
		want  string
	}{
		{-200, ExportExported}, // started: sent while the window was open
		{0, ExportExported},
		{2, ExportExported}, // the window has closed for it
		{3, ExportExported}, // inside the window
		{90, ExportExported},
		{91, ExportNotYetDue}, // as-of + 13 weeks
		{200, ExportNotYetDue},
	} {
		p := place("1", dpn, 2)
		p.DateFrom, p.DateTo = day(c.start), day(c.start+365)
		res := reconcile([]model.Position{pos("10000016", "", dpn)}, []model.Placement{p})
		if got := placementByID(t, res, "1").Export; got != c.want {
			t.Errorf("start as-of%+d days: export %q, want %q", c.start, got, c.want)
		}
	}
}

func TestReconcileBucket(t *testing.T) {
	const dpn = "KSS/RJZ01/030/STR/001"
	many := func(n int, edit func(i int, p *model.Placement)) []model.Placement {
		out := make([]model.Placement, n)
		for i := range out {
			// rows in reverse, so the first by row is the last made
			out[i] = place(fmt.Sprint(1000+i), dpn, 100-i)
			out[i].DateFrom = day(3)
			if edit != nil {
				edit(i, &out[i])
			}
		}
		return out
	}
	const blocked41 = "BLOCKED: post has 41 applicants in one file (over 40): ESR quarantines the whole file"
	for _, c := range []struct {
		name     string
		pls      []model.Placement
		findings int
		blocked  int    // placements with the bucket export
		firstID  string // placement carrying the finding
	}{
		{name: "40 in the window", pls: many(40, nil)},
		{name: "41 in the window", pls: many(41, nil), findings: 1, blocked: 41, firstID: "1040"},
		{name: "41, one starting at as-of + 2 days", pls: many(41, func(i int, p *model.Placement) {
			if i == 7 {
				p.DateFrom = day(2)
			}
		})},
		{name: "41, one starting at as-of + 13 weeks", pls: many(41, func(i int, p *model.Placement) {
			if i == 7 {
				p.DateFrom = day(91)
			}
		})},
		{name: "41, one out of programme", pls: many(41, func(i int, p *model.Placement) {
			if i == 0 {
				p.PlacementType = "OOPT"
			}
		})},
		{name: "41, one draft", pls: many(41, func(i int, p *model.Placement) {
			if i == 0 {
				p.Lifecycle = "DRAFT"
			}
		})},
		{name: "41, one vacancy", pls: many(41, func(i int, p *model.Placement) {
			if i == 0 {
				*p = vacancy(p.ID, dpn, p.Row)
				p.DateFrom = day(3)
			}
		})},
		{name: "41 over two managing deaneries", pls: many(41, func(i int, p *model.Placement) {
			if i%2 == 0 {
				p.ManagingDeanery = "Health Education England Kent, Surrey and Sussex"
			}
		})},
		{name: "41, deanery in another case is one file", pls: many(41, func(i int, p *model.Placement) {
			if i%2 == 0 {
				p.ManagingDeanery = strings.ToUpper(p.ManagingDeanery) + " "
			}
		}), findings: 1, blocked: 41, firstID: "1040"},
		{name: "41, one missing a first name is still in the file", pls: many(41, func(i int, p *model.Placement) {
			if i == 3 {
				p.Forenames = ""
			}
		}), findings: 1, blocked: 40, firstID: "1040"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := reconcile([]model.Position{pos("10000016", "", dpn)}, c.pls)
			var fs []checks.Finding
			for _, f := range res.Findings {
				if f.Rule == RulePlacementBucket {
					fs = append(fs, f)
				}
			}
			blocked, exceptions := 0, 0
			for _, pr := range res.Placements {
				if pr.Export == blocked41 {
					blocked++
					if !pr.Exception || !strings.Contains(pr.Issue, "Post has 41 applicants in one file (over 40)") {
						t.Errorf("bucket placement %s: exception %v, issue %q", pr.Placement.ID, pr.Exception, pr.Issue)
					}
				}
				if pr.Exception {
					exceptions++
				}
			}
			if len(fs) != c.findings || blocked != c.blocked {
				t.Fatalf("%d bucket findings, %d blocked; want %d, %d", len(fs), blocked, c.findings, c.blocked)
			}
			if c.findings == 1 {
				f := fs[0]
				if f.PlacementID != c.firstID || f.Row != 60 || f.Severity != checks.Error ||
					!strings.Contains(f.Message, "41 applicants for position 10000016 (VPD 504, DPN "+dpn+")") {
					t.Errorf("finding %+v", f)
				}
				if exceptions != 41 {
					t.Errorf("%d exceptions, want 41", exceptions)
				}
			}
		})
	}
}

func TestReconcileOverlap(t *testing.T) {
	const dpn = "KSS/RJZ01/030/STR/001"
	mk := func(id string, from, to int, wte string) model.Placement {
		row, _ := strconv.Atoi(id)
		p := place(id, dpn, row+1)
		p.DateFrom, p.DateTo, p.WTE = day(from), day(to), wte
		return p
	}
	for _, c := range []struct {
		name string
		pls  []model.Placement
		want map[string]string // placement id -> the others named, "" for none
	}{
		{name: "job share 0.5 + 0.5", pls: []model.Placement{mk("1", 10, 100, "0.5"), mk("2", 10, 100, "0.5")}},
		{name: "0.6 + 0.6", pls: []model.Placement{mk("1", 10, 100, "0.6"), mk("2", 50, 200, "0.6")},
			want: map[string]string{"1": "placement 2", "2": "placement 1"}},
		{name: "WTE empty or unreadable counts as 1", pls: []model.Placement{mk("1", 10, 100, ""), mk("2", 10, 100, "half")},
			want: map[string]string{"1": "placement 2", "2": "placement 1"}},
		{name: "0.4 + empty", pls: []model.Placement{mk("1", 10, 100, "0.4"), mk("2", 10, 100, " ")},
			want: map[string]string{"1": "placement 2", "2": "placement 1"}},
		{name: "one after the other", pls: []model.Placement{mk("1", 10, 100, "1"), mk("2", 101, 200, "1")}},
		{name: "sharing one day", pls: []model.Placement{mk("1", 10, 100, "1"), mk("2", 100, 200, "1")},
			want: map[string]string{"1": "placement 2", "2": "placement 1"}},
		{name: "same trainee by GMC", pls: func() []model.Placement {
			a, b := mk("1", 10, 100, "1"), mk("2", 10, 100, "1")
			b.GMC, b.Surname = a.GMC, "Other"
			return []model.Placement{a, b}
		}()},
		{name: "same trainee by name", pls: func() []model.Placement {
			a, b := mk("1", 10, 100, "1"), mk("2", 10, 100, "1")
			a.GMC, b.GMC, b.Surname, b.Forenames = "", "", strings.ToUpper(a.Surname)+" ", "anna"
			return []model.Placement{a, b}
		}()},
		{name: "different GMC, same name", pls: func() []model.Placement {
			a, b := mk("1", 10, 100, "1"), mk("2", 10, 100, "1")
			b.Surname = a.Surname
			return []model.Placement{a, b}
		}(), want: map[string]string{"1": "placement 2", "2": "placement 1"}},
		{name: "one long, two inside it", pls: []model.Placement{mk("1", 0, 300, "1"), mk("3", 150, 250, "1"), mk("2", 10, 100, "1")},
			want: map[string]string{"1": "placement 2 and placement 3", "2": "placement 1", "3": "placement 1"}},
		{name: "no end date runs on", pls: func() []model.Placement {
			a := mk("1", 0, 0, "1")
			a.DateTo = time.Time{}
			return []model.Placement{a, mk("2", 400, 500, "1")}
		}(),
			want: map[string]string{"1": "placement 2", "2": "placement 1"}},
		{name: "vacancy is not a trainee", pls: func() []model.Placement {
			v := vacancy("2", dpn, 3)
			v.DateFrom, v.DateTo = day(10), day(100)
			return []model.Placement{mk("1", 10, 100, "1"), v}
		}()},
		{name: "other post", pls: func() []model.Placement {
			b := mk("2", 10, 100, "1")
			b.NPN = "KSS/RJZ01/030/STR/002"
			return []model.Placement{mk("1", 10, 100, "1"), b}
		}()},
		{name: "same post in other spacing and case", pls: func() []model.Placement {
			b := mk("2", 10, 100, "1")
			b.NPN = strings.ToLower(dpn) + " "
			return []model.Placement{mk("1", 10, 100, "1"), b}
		}(), want: map[string]string{"1": "placement 2", "2": "placement 1"}},
		{name: "end before start is left out", pls: []model.Placement{mk("1", 10, 100, "1"), mk("2", 60, 50, "1")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps := []model.Position{pos("10000016", "", dpn), pos("10000017", "", "KSS/RJZ01/030/STR/002")}
			res := reconcile(ps, c.pls)
			got := make(map[string]string)
			for _, f := range res.Findings {
				if f.Rule != RulePlacementOverlap {
					continue
				}
				if f.Severity != checks.Warning {
					t.Errorf("severity %s", f.Severity)
				}
				if _, dup := got[f.PlacementID]; dup {
					t.Errorf("two overlap findings on placement %s", f.PlacementID)
				}
				m := strings.TrimPrefix(f.Message, "Placement "+f.PlacementID+" overlaps ")
				got[f.PlacementID] = m[:strings.Index(m, " of another trainee")]
			}
			want := c.want
			if want == nil {
				want = map[string]string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("overlaps %q, want %q", got, want)
			}
			for _, pr := range res.Placements {
				if _, over := want[pr.Placement.ID]; over && !pr.Exception {
					t.Errorf("overlapping placement %s is not an exception", pr.Placement.ID)
				}
			}
		})
	}
}

func TestReconcileOverlapNamesAtMostFive(t *testing.T) {
	const dpn = "KSS/RJZ01/030/STR/001"
	var pls []model.Placement
	for i := range 8 {
		pls = append(pls, place(fmt.Sprint(i+1), dpn, i+2))
	}
	res := reconcile([]model.Position{pos("10000016", "", dpn)}, pls)
	f := findingOn(t, res, "1", RulePlacementOverlap)
	// Seven others: the count, and five of them (the first by start date,
	// here all the same, then by row).
	want := "Placement 1 overlaps 7 placements of other trainees (among them placement 2, placement 3, placement 4, placement 5 and placement 6) on " + dpn + ", and their WTEs"
	if !strings.HasPrefix(f.Message, want) {
		t.Errorf("message %q, want it to start %q", f.Message, want)
	}
}

func TestReconcileNoPlacement(t *testing.T) {
	ps := []model.Position{
		pos("1", "", "A/B/C/1"), // a trainee
		pos("2", "", "A/B/C/2"), // only a vacancy
		pos("3", "", "A/B/C/3"), // nothing
		pos("4", "", "A/B/C/4"), // a placement that has ended
		pos("5", "", "A/B/C/5"), // one of two positions an NPN matches
		pos("6", "", "a/b/c/5"),
		pos("7", "", "A/B/C/7"), // an out-of-programme trainee still counts
		pos("8", "", "A/B/C/8"), // a trainee starting next year
		endDated("9", "A/B/C/9"),
	}
	for i := range ps {
		ps[i].Row = i + 2
	}
	old := place("40", "A/B/C/4", 5)
	old.DateFrom, old.DateTo = day(-400), day(-40)
	oop := place("70", "A/B/C/7", 7)
	oop.PlacementType = "OOPC"
	next := place("80", "A/B/C/8", 8)
	next.DateFrom, next.DateTo = day(300), day(600)
	pls := []model.Placement{place("10", "A/B/C/1", 2), vacancy("20", "A/B/C/2", 3), old, place("50", "A/B/C/5", 6), oop, next,
		place("90", "A/B/C/9", 9)}
	res := reconcile(ps, pls)
	var unplaced []string
	for _, p := range res.Unplaced {
		unplaced = append(unplaced, p.Number)
	}
	if want := []string{"2", "3", "4"}; !equalStrings(unplaced, want) {
		t.Fatalf("unplaced %q, want %q", unplaced, want)
	}
	var got []string
	for _, f := range res.Findings {
		if f.Rule == RulePositionNoPlacement {
			got = append(got, f.PositionNumber+": "+f.Message)
			if f.Severity != checks.Info || f.VPD != "504" || f.File != "positions.csv" || f.Column != checks.ColumnDPN {
				t.Errorf("finding %+v", f)
			}
		}
	}
	want := []string{
		"2: Position 2 (DPN A/B/C/2) has only a RECRUIT - VACANCY placeholder in TIS: a vacancy, or a DPN that is no longer used. If the post is no longer a training post, end-date it or remove the DPN.",
		"3: Position 3 (DPN A/B/C/3) has no current or future TIS placement: a vacancy, or a DPN that is no longer used. If the post is no longer a training post, end-date it or remove the DPN.",
		"4: Position 4 (DPN A/B/C/4) has no current or future TIS placement: a vacancy, or a DPN that is no longer used. If the post is no longer a training post, end-date it or remove the DPN.",
	}
	if !equalStrings(got, want) {
		t.Errorf("findings\n  %q\nwant\n  %q", got, want)
	}
	if res.Totals.Unplaced != 3 || res.ByVPD[0].Group != "504" || res.ByVPD[0].Unplaced != 3 {
		t.Errorf("unplaced counts: totals %d, by VPD %+v", res.Totals.Unplaced, res.ByVPD)
	}
}

func TestReconcileStats(t *testing.T) {
	ps := []model.Position{pos("1", "", "A/B/C/1"), pos("2", "", "A/B/C/2"), pos("3", "", "A/B/C/3"), endDated("4", "A/B/C/4")}
	ps[1].VPD = "505"
	ps[2].VPD = "505"
	const east, kent = "HEE East", "HEE Kent"
	mk := func(id, npn, deanery, body string, row int) model.Placement {
		p := place(id, npn, row)
		p.ManagingDeanery, p.EmployingBody = deanery, body
		return p
	}
	later := mk("6", "A/B/C/2", kent, "Trust B", 7)
	later.DateFrom, later.DateTo = day(400), day(700) // after placement 5: no overlap
	noName := mk("7", "A/B/C/1", "", "Trust A", 8)
	noName.Forenames, noName.GMC = "", "701" // placement 1's trainee: no overlap
	pls := []model.Placement{
		mk("1", "A/B/C/1", east, "Trust A", 2), // 504, exported
		vacancy("2", "A/B/C/2", 3),             // 505, vacancy (deanery East, Trust A)
		mk("3", "A/B/C/9", east, "Trust B", 4), // no position
		mk("4", "A/B/C/4", kent, "", 5),        // end-dated, 504
		mk("5", "a/b/c/2", kent, "Trust B", 6), // 505, exported
		later,                                  // 505, not yet due
		noName,                                 // 504, blocked, exception
	}
	pls[1].ManagingDeanery, pls[1].EmployingBody = east, "Trust A"
	res := reconcile(ps, pls)

	type row struct {
		group                                              string
		placements, vacancies, matched, none, ended, many  int
		exported, notYetDue, blocked, exceptions, unplaced int
	}
	view := func(s Stats) row {
		return row{s.Group, s.Placements, s.Vacancies, s.Matched, s.NoPosition, s.EndDated, s.ManyPositions,
			s.Exported, s.NotYetDue, s.Blocked, s.Exceptions, s.Unplaced}
	}
	views := func(ss []Stats) []row {
		var out []row
		for _, s := range ss {
			out = append(out, view(s))
		}
		return out
	}
	// position 3 (505) has no placement: unplaced.
	if got, want := view(res.Totals), (row{"", 7, 1, 5, 1, 1, 0, 2, 1, 3, 3, 1}); got != want {
		t.Errorf("totals\n  %+v\nwant\n  %+v", got, want)
	}
	wantMD := []row{
		{"(none)", 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0},
		{east, 3, 1, 2, 1, 0, 0, 1, 0, 1, 1, 0},
		{kent, 3, 0, 2, 0, 1, 0, 1, 1, 1, 1, 0},
	}
	if got := views(res.ByManagingDeanery); !reflect.DeepEqual(got, wantMD) {
		t.Errorf("by managing deanery\n  %+v\nwant\n  %+v", got, wantMD)
	}
	wantEB := []row{
		{"(none)", 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0},
		{"Trust A", 3, 1, 3, 0, 0, 0, 1, 0, 1, 1, 0},
		{"Trust B", 3, 0, 2, 1, 0, 0, 1, 1, 1, 1, 0},
	}
	if got := views(res.ByEmployingBody); !reflect.DeepEqual(got, wantEB) {
		t.Errorf("by employing body\n  %+v\nwant\n  %+v", got, wantEB)
	}
	wantVPD := []row{
		{"(none)", 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0},
		{"504", 3, 0, 2, 0, 1, 0, 1, 0, 2, 2, 0},
		{"505", 3, 1, 3, 0, 0, 0, 1, 1, 0, 0, 1},
	}
	if got := views(res.ByVPD); !reflect.DeepEqual(got, wantVPD) {
		t.Errorf("by VPD\n  %+v\nwant\n  %+v", got, wantVPD)
	}
	wantRules := map[string]int{RulePlacementNoPosition: 2, RulePlacementMissingField: 1, RulePlacementVacancy: 1, RulePositionNoPlacement: 1}
	if !reflect.DeepEqual(res.Totals.ByRule, wantRules) {
		t.Errorf("by rule %v, want %v", res.Totals.ByRule, wantRules)
	}
	if r := res.ByVPD[2].ByRule; r[RulePositionNoPlacement] != 1 || r[RulePlacementVacancy] != 1 || len(r) != 2 {
		t.Errorf("VPD 505 by rule %v", r)
	}
}

func TestReconcileOrder(t *testing.T) {
	ps := []model.Position{pos("1", "", "A/B/C/1"), pos("2", "", "A/B/C/2"), pos("3", "", "A/B/C/3")}
	mk := func(id, npn, deanery string, from, row int) model.Placement {
		p := place(id, npn, row)
		p.ManagingDeanery, p.DateFrom, p.DateTo = deanery, day(from), day(from+100)
		return p
	}
	pls := []model.Placement{
		mk("1", "A/B/C/1", "Y", 10, 9),
		mk("2", "A/B/C/9", "Z", 10, 8), // exception
		mk("3", "A/B/C/2", "X", 10, 7),
		mk("4", "A/B/C/1", "Y", 5, 6),
		mk("5", "A/B/C/8", "A", 10, 5), // exception
		mk("6", "A/B/C/3", "Y", 10, 4),
	}
	pls[0].GMC, pls[3].GMC = "1", "1" // one trainee, no overlap
	res := reconcile(ps, pls)
	var ids []string
	for _, p := range res.Placements {
		ids = append(ids, p.Placement.ID)
	}
	if want := []string{"5", "2", "3", "4", "1", "6"}; !equalStrings(ids, want) {
		t.Errorf("order %q, want %q", ids, want)
	}
	var rows []string
	for _, f := range res.Findings {
		rows = append(rows, fmt.Sprintf("%s:%d:%s", f.File, f.Row, f.Rule))
	}
	want := []string{"placements.csv:5:placement.no-position", "placements.csv:8:placement.no-position"}
	if !equalStrings(rows, want) {
		t.Errorf("findings %q, want %q", rows, want)
	}
}

// manyPlacements makes n placements over a few posts with every kind of
// finding, for the determinism test.
func manyPlacements(n int) ([]model.Position, []model.Placement) {
	var ps []model.Position
	for i := range 30 {
		p := pos(fmt.Sprint(10000000+i), "", fmt.Sprintf("KSS/RJZ%02d/030/STR/%03d", i%3, i))
		p.Row = i + 2
		if i%10 == 9 {
			p.EffectiveTo = ended
		}
		ps = append(ps, p)
	}
	r := rand.New(rand.NewPCG(7, 7))
	pls := make([]model.Placement, n)
	for i := range pls {
		npn := ps[r.IntN(len(ps))].DPN
		switch r.IntN(10) {
		case 0:
			npn = strings.Replace(npn, "0", "O", 1)
		case 1:
			npn += "/M"
		}
		p := place(fmt.Sprint(i), npn, i+2)
		p.GMC = fmt.Sprint(r.IntN(n))
		p.DateFrom = day(r.IntN(200) - 50)
		p.DateTo = p.DateFrom.AddDate(0, 0, r.IntN(400)-10)
		p.WTE = []string{"1", "0.5", "0.6", ""}[r.IntN(4)]
		p.ManagingDeanery = []string{"X", "Y", ""}[r.IntN(3)]
		if r.IntN(20) == 0 {
			p.Forenames = ""
		}
		pls[i] = p
	}
	for i := range 45 { // a bucket post
		p := place(fmt.Sprint(n+i), ps[0].DPN, n+i+2)
		p.DateFrom, p.ManagingDeanery = day(10), "X"
		pls = append(pls, p)
	}
	return ps, pls
}

func TestReconcileDeterministicUnderConcurrentAdd(t *testing.T) {
	ps, pls := manyPlacements(3000)
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	want := reconcileAll(check, pls, recOpts)
	if len(want.Findings) == 0 || want.Totals.Exceptions == 0 || want.Totals.ByRule[RulePlacementBucket] == 0 {
		t.Fatalf("fixture too tame: %+v", want.Totals)
	}
	for seed := range uint64(3) {
		shuffled := append([]model.Placement(nil), pls...)
		rand.New(rand.NewPCG(seed, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		rec := New(check, recOpts)
		var wg sync.WaitGroup
		for start := 0; start < len(shuffled); start += 97 {
			batch := append([]model.Placement(nil), shuffled[start:min(start+97, len(shuffled))]...)
			wg.Go(func() { addPlacements(rec, batch) })
		}
		wg.Wait()
		got := rec.Finish(check.Inputs, nil)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: concurrent result differs from Reconcile", seed)
		}
		if again := rec.Finish(check.Inputs, nil); !reflect.DeepEqual(again, got) {
			t.Fatalf("seed %d: second Finish differs", seed)
		}
	}
}

// loaderBatch copies pls into one buffer and returns placements whose
// strings are views of it, as the CSV loader's are, and the buffer.
func loaderBatch(pls []model.Placement) ([]model.Placement, []byte) {
	var buf []byte
	type span struct{ at, n int }
	var spans []span
	fields := func(p *model.Placement) []*string {
		return []*string{&p.ID, &p.NPN, &p.Surname, &p.Forenames, &p.GMC, &p.PlacementType, &p.Lifecycle,
			&p.WTE, &p.Grade, &p.Specialty, &p.Site, &p.EmployingBody, &p.TrainingBody, &p.ManagingDeanery,
			&p.Email, &p.Postcode, &p.File}
	}
	out := append([]model.Placement(nil), pls...)
	for i := range out {
		for _, f := range fields(&out[i]) {
			spans = append(spans, span{len(buf), len(*f)})
			buf = append(buf, *f...)
		}
		for _, d := range out[i].DateIssues {
			spans = append(spans, span{len(buf), len(d.Column)}, span{len(buf) + len(d.Column), len(d.Value)})
			buf = append(buf, d.Column+d.Value...)
		}
	}
	view := func() string {
		sp := spans[0]
		spans = spans[1:]
		if sp.n == 0 {
			return ""
		}
		return unsafe.String(&buf[sp.at], sp.n)
	}
	for i := range out {
		for _, f := range fields(&out[i]) {
			*f = view()
		}
		if len(out[i].DateIssues) == 0 {
			continue
		}
		ds := make([]model.DateIssue, len(out[i].DateIssues))
		for j := range ds {
			ds[j] = model.DateIssue{Column: view(), Value: view()}
		}
		out[i].DateIssues = ds
	}
	return out, buf
}

func TestReconcileKeepsNothingOfTheBatch(t *testing.T) {
	ps, pls := manyPlacements(500)
	pls[3].DateIssues = []model.DateIssue{{Column: "Placement Start Date", Value: "31/02/2027"}}
	pls[3].DateFrom = time.Time{}
	pls[4].Email, pls[4].Postcode = "a@b.nhs.uk", "CB2 0QQ"
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	for _, lean := range []bool{false, true} {
		opts := Options{AsOf: asOf, Lean: lean}
		want := reconcileAll(check, pls, opts)
		rec := New(check, opts)
		batch, buf := loaderBatch(pls)
		addPlacements(rec, batch[:250])
		addPlacements(rec, batch[250:])
		for i := range buf { // the loader reuses its buffer
			buf[i] = '#'
		}
		got := rec.Finish(check.Inputs, nil)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("lean %v: the result changed when the loader's buffer was reused", lean)
		}
	}
}

// KeepFull keeps Full only where it says; nothing else of the result changes.
func TestReconcileKeepFullKeepsOnlyWhatItAccepts(t *testing.T) {
	ps, pls := manyPlacements(300)
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	all := reconcileAll(check, pls, recOpts)
	even := func(p *model.Placement) bool { n, _ := strconv.Atoi(p.ID); return n%2 == 0 }
	opts := recOpts
	opts.KeepFull = even
	some := reconcileAll(check, pls, opts)
	if len(all.Placements) != len(some.Placements) || len(all.Placements) < 100 {
		t.Fatalf("%d placements, %d with KeepFull", len(all.Placements), len(some.Placements))
	}
	kept := 0
	for i := range some.Placements {
		a, s := all.Placements[i], some.Placements[i]
		if wantFull := even(a.Full); (s.Full != nil) != wantFull {
			t.Fatalf("placement %s: Full kept = %v, want %v", a.Placement.ID, s.Full != nil, wantFull)
		}
		if s.Full != nil {
			kept++
			if !reflect.DeepEqual(*s.Full, *a.Full) {
				t.Fatalf("placement %s: Full %+v, want %+v", a.Placement.ID, *s.Full, *a.Full)
			}
		}
		a.Full, s.Full = nil, nil
		if !reflect.DeepEqual(a, s) {
			t.Fatalf("placement %s reconciles differently with KeepFull: %+v, %+v", a.Placement.ID, a, s)
		}
	}
	if kept == 0 || kept == len(some.Placements) {
		t.Errorf("kept %d of %d full placements: the filter was not applied", kept, len(some.Placements))
	}
}

func TestReconcileLeanKeepsOnlyKeptPlacement(t *testing.T) {
	ps, pls := manyPlacements(300)
	pls[0].Email, pls[0].NINumber, pls[0].Postcode = "a@b.nhs.uk", "QQ123456C", "CB2 0QQ"
	pls[0].Extra = []string{"extra"}
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	full := reconcileAll(check, pls, recOpts)
	lean := reconcileAll(check, pls, Options{AsOf: asOf, Lean: true})
	if len(full.Placements) != len(lean.Placements) || len(full.Placements) == 0 {
		t.Fatalf("%d placements full, %d lean", len(full.Placements), len(lean.Placements))
	}
	byID := map[string]model.Placement{}
	for _, p := range pls {
		byID[p.ID] = p
	}
	for i := range full.Placements {
		f, l := full.Placements[i], lean.Placements[i]
		if l.Full != nil {
			t.Fatalf("lean placement %s keeps the full placement", l.Placement.ID)
		}
		src := byID[f.Placement.ID]
		if f.Full == nil || !reflect.DeepEqual(*f.Full, src) {
			t.Fatalf("placement %s: Full = %+v, want the placement as added", f.Placement.ID, f.Full)
		}
		want := KeptPlacement{ID: src.ID, NPN: src.NPN, Surname: src.Surname, Forenames: src.Forenames, GMC: src.GMC,
			DateFrom: src.DateFrom, DateTo: src.DateTo, Grade: src.Grade, Specialty: src.Specialty,
			EmployingBody: src.EmployingBody, TrainingBody: src.TrainingBody, ManagingDeanery: src.ManagingDeanery,
			Site: src.Site, WTE: src.WTE, Email: src.Email, File: src.File, Row: src.Row}
		if *l.Placement != want || *f.Placement != want {
			t.Fatalf("placement %s kept as %+v (lean) and %+v, want %+v", src.ID, *l.Placement, *f.Placement, want)
		}
		f.Full, f.Placement, l.Placement = nil, nil, nil
		if !reflect.DeepEqual(f, l) {
			t.Fatalf("placement %s reconciles differently when lean: %+v, %+v", src.ID, f, l)
		}
	}
	if !reflect.DeepEqual(full.Findings, lean.Findings) || !reflect.DeepEqual(full.Totals, lean.Totals) {
		t.Error("lean findings or totals differ")
	}
}

func TestPlacementBufferMatchesAdd(t *testing.T) {
	ps, pls := manyPlacements(2000)
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	opts := Options{AsOf: asOf, Lean: true}
	want := reconcileAll(check, pls, opts)
	fill := func(pls []model.Placement) *PlacementBuffer {
		buf := NewPlacementBuffer(opts)
		var wg sync.WaitGroup
		for start := 0; start < len(pls); start += 300 {
			batch := pls[start:min(start+300, len(pls))]
			wg.Go(func() { buf.Add(batch) })
		}
		wg.Wait()
		return buf
	}
	for _, c := range []struct {
		name    string
		workers int
		prepare bool
		split   int // placements from split on are added with Add after the buffer
	}{
		{"one worker", 1, false, 0},
		{"three workers", 3, false, 0},
		{"zero workers, prepared", 0, true, 0},
		{"prepared, then more added", 2, true, 1500},
		{"not prepared, then more added", 2, false, 1500},
	} {
		t.Run(c.name, func(t *testing.T) {
			head := pls
			if c.split > 0 {
				head = pls[:c.split]
			}
			buf := fill(head)
			if c.prepare {
				buf.Prepare()
			}
			rec := New(check, opts)
			rec.AddBuffer(buf, c.workers)
			if c.split > 0 {
				addPlacements(rec, pls[c.split:])
			}
			if got := rec.Finish(check.Inputs, nil); !reflect.DeepEqual(got, want) {
				t.Errorf("result differs from Reconcile")
			}
			rec = New(check, opts)
			rec.AddBuffer(buf, c.workers) // emptied by the first
			if got := rec.Finish(check.Inputs, nil); len(got.Placements) != 0 {
				t.Errorf("the buffer still held %d placements", len(got.Placements))
			}
		})
	}
}

func TestReconcileOverlapHashCollisions(t *testing.T) {
	ps, pls := manyPlacements(1500)
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	want := reconcileAll(check, pls, recOpts)
	if want.Totals.ByRule[RulePlacementOverlap] == 0 {
		t.Fatal("fixture has no overlap")
	}
	defer func(h func(maphash.Seed, string) uint64) { overlapHash = h }(overlapHash)
	for name, h := range map[string]func(maphash.Seed, string) uint64{
		"every NPN one hash": func(maphash.Seed, string) uint64 { return 42 << 32 },
		"two hashes":         func(_ maphash.Seed, s string) uint64 { return uint64(len(s)%2) << 40 },
	} {
		overlapHash = h
		if got := reconcileAll(check, pls, recOpts); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: result differs", name)
		}
	}
}

// NoSuggestions changes only the suggestions (and the words that quote
// them): every placement matches the same positions and exports the same.
func TestReconcileNoSuggestions(t *testing.T) {
	const dpn = "EOE/RGT00/021/FY1/010"
	ps := []model.Position{pos("10002345", "", dpn), endDated("10002399", "WES/RDZ01/001/CT1/004")}
	pls := []model.Placement{
		place("1", dpn, 2),
		place("2", "EOE/RGT00/021/FY1/O10", 3), // letter O for zero: a suggestion
		place("3", "WES/RDZ01/001/CT1/004", 4), // end-dated only
		place("4", "NWN/RBT01/030/STR/001", 5), // nothing like it
	}
	check := checkPositions(ps, nil, checks.Options{AsOf: asOf, KeepInactive: true})
	with := reconcileAll(check, pls, recOpts)
	opts := recOpts
	opts.NoSuggestions = true
	without := reconcileAll(check, pls, opts)
	if s := placementByID(t, with, "2").Suggestions; len(s) != 1 || s[0].PositionNumber != "10002345" {
		t.Fatalf("with suggestions, placement 2 got %+v; want position 10002345", s)
	}
	for _, id := range []string{"1", "2", "3", "4"} {
		a, b := placementByID(t, with, id), placementByID(t, without, id)
		if b.Suggestions != nil {
			t.Errorf("placement %s: suggestions %+v with NoSuggestions", id, b.Suggestions)
		}
		if a.Match != b.Match || a.Export != b.Export || !reflect.DeepEqual(a.Positions, b.Positions) ||
			a.Vacancy != b.Vacancy || a.TypeSent != b.TypeSent || a.Approved != b.Approved || !reflect.DeepEqual(a.Full, b.Full) {
			t.Errorf("placement %s reconciles differently without suggestions:\n%+v\n%+v", id, a, b)
		}
	}
}
