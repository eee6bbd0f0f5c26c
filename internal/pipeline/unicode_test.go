package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dpnkit/internal/iostreams"
)

// Two days of a run on trainees whose names are not ASCII: López (A's
// current holder), Wiśniewski (A's next, withdrawn on day 2), Ørsted (B's
// next, re-dated on day 2) and 李 伟 (C's next). Every text file the run
// writes holds the names as they are, UTF-8, never escaped.
const (
	uniPositions = "VPD,Position ID,Position Number,Position Name,Deanery Post Number,Managing Deanery Body,Job Staff Group,Host/Lead Employer Status\n" +
		"504,9001,10000016,10000016|Specialty Registrar|ST3|Cardiology,KSS/RJZ01/030/STR/001,KSS,Medical and Dental,Lead Employer\n" +
		"504,9002,10000017,10000017|Specialty Registrar|ST3|Cardiology,KSS/RJZ01/030/STR/002,KSS,Medical and Dental,Lead Employer\n" +
		"504,9003,10000018,10000018|Specialty Registrar|ST3|Cardiology,KSS/RJZ01/030/STR/003,NHS England Workforce Training and Education Kent Surrey and Sussex,Medical and Dental,Lead Employer\n"
	uniHeader = "Placement TIS ID,National Post Number,Surname,Forenames,GMC Number,Date of Birth,Start Date,End Date,Placement Type,Site,Specialty\n"
	uniLopez  = "PA1,KSS/RJZ01/030/STR/001,López,Ana,7000001,1990-04-01,2026-08-17,2026-12-05,In post,General Hospital,Cardiology\n"
	uniWis    = "PA2,KSS/RJZ01/030/STR/001,Wiśniewski,Jan,7000002,1990-04-01,2026-12-25,2027-12-25,In post,General Hospital,Cardiology\n"
	uniOrsted = "PB1,KSS/RJZ01/030/STR/002,Ørsted,Hans,7000003,1990-04-01,2027-01-04,2027-09-21,In post,General Hospital,Cardiology\n"
	uniMoved  = "PB1,KSS/RJZ01/030/STR/002,Ørsted,Hans,7000003,1990-04-01,2027-01-11,2027-10-01,In post,General Hospital,Cardiology\n"
	uniLi     = "PC1,KSS/RJZ01/030/STR/003,李,伟,7000004,1990-04-01,2027-01-04,2027-09-21,In post,General Hospital,Cardiology\n"
)

// escaped is what an escaped non-ASCII character looks like in any of the
// forms strconv, %q, JSON or the terminal tables would give.
var escaped = regexp.MustCompile(`\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|\\x[0-9a-fA-F]{2}`)

func TestNamesUnescapedInEveryTextFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	positions := write("positions.csv", uniPositions)
	day1 := write("day1.csv", uniHeader+uniLopez+uniWis+uniOrsted+uniLi)
	day2 := write("day2.csv", uniHeader+uniLopez+uniMoved+uniLi)
	run := func(db, out string, placements string, day int, jsonl bool) {
		t.Helper()
		s, _, _ := iostreams.Test()
		if _, err := Run(context.Background(), s, RunOptions{Positions: []string{positions}, Placements: []string{placements},
			AsOf: asOf.AddDate(0, 0, day), DB: filepath.Join(dir, db), Out: filepath.Join(dir, out), JSONLines: jsonl}); err != nil {
			t.Fatal(err)
		}
	}
	run("h.db", "d1", day1, 0, false)
	run("h.db", "d2", day2, 1, false)
	run("jl.db", "jl", day1, 0, true)
	// Each file and the names it must hold as they are.
	want := map[string][]string{
		"d1/2026-11-25_01/DE_KSS_APP_20261125_00000001.DAT": {"Wiśniewski,Jan", "Ørsted,Hans", "李,伟"},
		"d1/2026-11-25_01/DE_KSS_DNF_20261125_00000001.DAT": {"López,Ana", "Wiśniewski,Jan", "Ørsted,Hans", "李,伟"},
		"d1/2026-11-25_01/Notifications_504_20261125.txt":   {"Wiśniewski,Jan", "Ørsted,Hans", "李,伟"},
		"d2/2026-11-26_01/DE_KSS_DNC_20261126_00000001.DAT": {"López,Ana", "Wiśniewski,Jan", "Ørsted,Hans"},
		"d2/2026-11-26_01/Notifications_504_20261126.txt":   {"Wiśniewski  Jan", "Ørsted     Hans"},
		"jl/2026-11-25_01/DE_KSS_APP_20261125_00000001.DAT": {`"lastName":"Wiśniewski","firstName":"Jan"`, `"lastName":"李","firstName":"伟"`},
	}
	for name, names := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, n := range names {
			if !strings.Contains(string(b), n) {
				t.Errorf("%s lacks %q:\n%s", name, n, b)
			}
		}
	}
	// Every file but the workbooks: no escape at all.
	texts := 0
	for _, sub := range []string{"d1/2026-11-25_01", "d2/2026-11-26_01", "jl/2026-11-25_01"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".xlsx") {
				continue
			}
			texts++
			b, err := os.ReadFile(filepath.Join(dir, sub, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if m := escaped.Find(b); m != nil {
				t.Errorf("%s/%s holds the escape %s:\n%s", sub, e.Name(), m, b)
			}
		}
	}
	if texts < 12 { // per day: POR, APP, APC, DNF or DNC, notices; the JSON lines run's five
		t.Errorf("only %d text files checked", texts)
	}
}
