package history

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dpnkit/internal/exchange"
)

func TestPackRoundTrip(t *testing.T) {
	for _, c := range []struct {
		fields []string
		packed string
	}{
		{[]string{"a", "b", "c"}, "a\tb\tc"},
		{[]string{"", "", ""}, "\t\t"},
		{[]string{`C:\dir`, "tab\there", "two\nlines\r"}, `C:\\dir` + "\t" + `tab\there` + "\t" + `two\nlines\r`},
		{[]string{"84682|S.H.O. - ENT|023|Otolaryn", `\t is not a tab`, "Zoë"}, "84682|S.H.O. - ENT|023|Otolaryn\t" + `\\t is not a tab` + "\tZoë"},
	} {
		got := string(appendPacked(nil, c.fields...))
		if got != c.packed {
			t.Errorf("appendPacked(%q) = %q, want %q", c.fields, got, c.packed)
			continue
		}
		back := make([]string, len(c.fields))
		ptrs := make([]*string, len(back))
		for i := range back {
			ptrs[i] = &back[i]
		}
		if err := unpack(got, ptrs...); err != nil || !reflect.DeepEqual(back, c.fields) {
			t.Errorf("unpack(%q) = %q, %v; want %q", got, back, err, c.fields)
		}
	}
}

func TestUnpackRefusesBadRecords(t *testing.T) {
	var a, b, c string
	for packed, want := range map[string]string{
		"a\tb":           "2 fields, want 3",
		"a\tb\tc\td":     "more than 3 fields",
		`a\` + "\tb\tc":  "lone backslash",
		`a\x` + "\tb\tc": `unknown escape \x`,
	} {
		if err := unpack(packed, &a, &b, &c); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("unpack(%q) = %v, want an error saying %q", packed, err, want)
		}
	}
}

// Every POR field is stored and read back in its own place.
func TestPositionsRoundTrip(t *testing.T) {
	s := openT(t, t.TempDir()+"/dpnkit.db")
	stateT(t, s)
	p := exchange.POR{PositionID: "id", ChangeDeleteIndicator: "D", PositionNumber: "num", PositionTitle: "title\twith tab",
		DeaneryNumber: "npn", ManagingOffice: "office", HostLeadIndicator: "host", ODSCode: "ods",
		EmployingOrgVPDCode: "vpd", ESROrganisation: `org\`, ESRLocation: "loc"}
	next := exchange.State{Positions: map[string]*exchange.POR{"k": &p}, Sent: map[string]exchange.SentApplicant{},
		Sequences: map[string]int{}, Notified: map[string]bool{}}
	if _, err := commitRun(t.Context(), s, Run{AsOf: day(2026, 11, 25)}, next); err != nil {
		t.Fatal(err)
	}
	s.Close()
	got := stateT(t, openT(t, s.path))
	if !reflect.DeepEqual(got.Positions, next.Positions) {
		t.Errorf("positions read back = %+v, want %+v", got.Positions, next.Positions)
	}
}

func TestNotifiedGroup(t *testing.T) {
	for key, want := range map[string]string{
		"1|504|KSS/RXH01/001/ST3|P1|||": "1|504",
		"5|504|":                        "5|504",
		"2||x":                          "2|",
		"4|999":                         "4|999",
		"no bar":                        "no bar",
		"":                              "",
	} {
		if got := notifiedGroup(key); got != want {
			t.Errorf("notifiedGroup(%q) = %q, want %q", key, got, want)
		}
	}
}

// Notification keys round-trip through their groups, awkward characters
// included, and an unchanged set rewrites no group.
func TestNotifiedRoundTrip(t *testing.T) {
	s := openT(t, t.TempDir()+"/dpnkit.db")
	stateT(t, s)
	st := exchange.State{Positions: map[string]*exchange.POR{}, Sent: map[string]exchange.SentApplicant{},
		Sequences: map[string]int{}, Notified: map[string]bool{
			"1|504|a": true, "1|504|b\tc": true, "1|504|line\nfeed": true, "2|504|x": true, "1|999|y": true, "z": true}}
	commitT(t, s, run(day(2026, 11, 25)), st)
	s.Close()
	s = openT(t, s.path)
	if got := stateT(t, s); !reflect.DeepEqual(got.Notified, st.Notified) {
		t.Errorf("notified read back = %v, want %v", got.Notified, st.Notified)
	}
	commitT(t, s, run(day(2026, 11, 26)), st)
	var changed int
	if err := s.db.QueryRow("SELECT count(*) FROM notified WHERE run_id = 2").Scan(&changed); err != nil || changed != 0 {
		t.Errorf("an unchanged set rewrote %d groups (%v)", changed, err)
	}
}

// awkwardPositions are positions over three VPDs, one of them with a tab
// in its code, with keys and fields that need escaping.
func awkwardPositions() map[string]*exchange.POR {
	por := func(id, vpd, title string) *exchange.POR {
		return &exchange.POR{PositionID: id, ChangeDeleteIndicator: "C", PositionNumber: id + "0", PositionTitle: title,
			DeaneryNumber: "KSS/RJZ01/030/STR/" + id, ManagingOffice: "KSS", HostLeadIndicator: "H", ODSCode: "RJZ",
			EmployingOrgVPDCode: vpd, ESROrganisation: `Medicine\Surgery`, ESRLocation: "Site\nB"}
	}
	return map[string]*exchange.POR{
		"20":       por("20", "504", "S.H.O. - ENT\tx"),
		"3":        por("3", "504", "Registrar"),
		"504:1000": por("", "504", ""),
		"key\nnl":  por("7", "100", "FY1"),
		"9":        por("9", "10\t0", "odd VPD"),
		"10":       por("10", "100", `back\slash`),
	}
}

// awkwardSent are applicants sent over two VPDs, one of them with a line
// feed in its code, with fields that need escaping.
func awkwardSent() map[string]exchange.SentApplicant {
	d := day(2026, 12, 9)
	return map[string]exchange.SentApplicant{
		"P1": {PlacementID: "P1", NPN: "KSS/RXH01/001/ST3", PositionID: "9000001", PositionNumber: "1000", VPD: "504",
			Deanery: "KSS", Start: d, End: d.AddDate(0, 8, 0), ApplicantNumber: "5000001", Status: "SUCCESS",
			File: "DE_KSS_APP_20261125_00000001", LastName: "O'Brien\tx", FirstName: `Siân\`, GMC: "7000001"},
		"P2":   {PlacementID: "P2", VPD: "504", Deanery: "KSS", Status: "QUARANTINED"},
		"P\n3": {PlacementID: "P\n3", VPD: "10\n0", Deanery: "WAL", Start: d, Status: "FAIL", LastName: "Jones"},
	}
}

// groupRuns is, for a table stored a VPD a row, the run that last wrote
// each VPD's row.
func groupRuns(t *testing.T, s *Store, table string) map[string]int {
	return queryMap[int](t, s, "SELECT vpd, run_id FROM "+table)
}

// queryMap reads a two-column query into a map of the first column to the
// second.
func queryMap[V any](t *testing.T, s *Store, query string) map[string]V {
	t.Helper()
	rows, err := s.db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]V{}
	for rows.Next() {
		var k string
		var v V
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Only the VPDs whose positions changed are rewritten; a position moved
// to another VPD leaves the old one, and a VPD left with none goes.
func TestWritePositionsRewritesChangedVPDs(t *testing.T) {
	s := openT(t, t.TempDir()+"/dpnkit.db")
	stateT(t, s)
	first := awkwardPositions()
	first["70"] = &exchange.POR{PositionID: "70", EmployingOrgVPDCode: "700"}
	commitT(t, s, run(day(2026, 11, 25)), exchange.State{Positions: first})

	next := awkwardPositions()
	moved := *next["3"]
	moved.EmployingOrgVPDCode = "100" // from 504
	next["3"] = &moved
	changed := *next["9"]
	changed.ChangeDeleteIndicator = "D"
	next["9"] = &changed
	// 70 is gone, and with it VPD 700.
	commitT(t, s, run(day(2026, 11, 26)), exchange.State{Positions: next})
	if got := stateT(t, s); !reflect.DeepEqual(got.Positions, next) {
		t.Errorf("positions read back = %+v\nwant %+v", got.Positions, next)
	}
	got := groupRuns(t, s, "positions")
	if want := map[string]int{"504": 2, "100": 2, "10\\t0": 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("VPD rows and the run that wrote them = %v, want %v", got, want)
	}

	// A third run changing only VPD 100 leaves the others' rows alone.
	third := maps.Clone(next)
	p := *third["10"]
	p.PositionTitle = "renamed"
	third["10"] = &p
	commitT(t, s, run(day(2026, 11, 27)), exchange.State{Positions: third})
	var rewritten []string
	for g, id := range groupRuns(t, s, "positions") {
		if id == 3 {
			rewritten = append(rewritten, g)
		}
	}
	if !slices.Equal(rewritten, []string{"100"}) {
		t.Errorf("third run rewrote VPDs %q, want only 100", rewritten)
	}
	if got := stateT(t, s); !reflect.DeepEqual(got.Positions, third) {
		t.Errorf("positions after the third run = %+v\nwant %+v", got.Positions, third)
	}
}

// A changed applicant rewrites its VPD's row of sent and no other.
func TestWriteSentRewritesChangedVPDs(t *testing.T) {
	s := openT(t, t.TempDir()+"/dpnkit.db")
	stateT(t, s)
	first := awkwardSent()
	commitT(t, s, run(day(2026, 11, 25)), exchange.State{Sent: first})
	next := maps.Clone(first)
	a := next["P2"]
	a.Status = "FAIL"
	next["P2"] = a
	commitT(t, s, run(day(2026, 11, 26)), exchange.State{Sent: next})
	if got := stateT(t, s); !reflect.DeepEqual(got.Sent, next) {
		t.Errorf("sent read back = %+v\nwant %+v", got.Sent, next)
	}
	if got, want := groupRuns(t, s, "sent"), map[string]int{"504": 2, `10\n0`: 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("VPD rows and the run that wrote them = %v, want %v", got, want)
	}
}
