package history

import (
	"database/sql"
	"fmt"
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

// The SQL that migrates old rows packs exactly as appendPacked does.
func TestPackSQLAgreesWithAppendPacked(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	vals := []string{`back\slash`, "tab\tin", "line\nfeed", "cr\rhere", "", "plain", `\n`}
	cols := make([]string, len(vals))
	args := make([]any, len(vals))
	for i, v := range vals {
		cols[i] = fmt.Sprintf("c%d", i)
		args[i] = v
	}
	var got string
	q := "SELECT " + packSQL(cols...) + " FROM (SELECT ? AS " + strings.Join(cols, ", ? AS ") + ")"
	if err := db.QueryRow(q, args...).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := string(appendPacked(nil, vals...)); got != want {
		t.Errorf("packSQL gives %q, appendPacked %q", got, want)
	}
}

// TestMigratesVersion3 opens a database whose positions were stored a
// column a field by the schema-3 build: they come back as they were sent,
// awkward characters included.
func TestMigratesVersion3(t *testing.T) {
	path := t.TempDir() + "/dpnkit.db"
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		migrations[0], migrations[1], migrations[2],
		fmt.Sprintf("PRAGMA application_id = %d", applicationID),
		"INSERT INTO meta VALUES ('application', 'dpnkit'), ('schema_version', '3')",
		`INSERT INTO runs VALUES (1, '2026-11-25', '2026-11-25T09:00:00Z', '2026-11-25T09:00:01Z', '{}', '[]', '[]', 0)`,
		`INSERT INTO positions VALUES ('10508064', '10508064', 'C', '1000', 'S.H.O. - ENT' || char(9) || 'x\y', 'KSS/RJZ01/030/STR/001',
			'KSS', 'H', 'RJZ', '504', 'Medicine', 'Site' || char(10) || 'B', 1)`,
		`INSERT INTO positions VALUES ('504:2000', '', 'C', '2000', '', 'KSS/RJZ01/030/STR/002', 'KSS', '', '', '504', '', '', 1)`,
		`INSERT INTO sent VALUES ('P1', 'P1', 'KSS/RXH01/001/ST3', '9000001', '1000', '504', 'KSS',
			'2026-12-09', '2027-08-04', '5000001', 'SUCCESS', 'DE_KSS_APP_20261125_00000001', 'O''Brien' || char(9) || 'x', 'Siân\', 1, '7000001')`,
		`INSERT INTO sent VALUES ('P2', 'P2', '', '', '', '504', 'KSS', '', '', '', 'QUARANTINED', '', '', '', 1, '')`,
		`INSERT INTO notified VALUES ('1|504|KSS/RXH01/001/ST3|P1|P1@20261209-20270804||||||', 1),
			('1|504|KSS/RXH01/002/ST3|P3|P3@20261209-20270804||||||', 1), ('5|504|KSS/NEW/001|P9||||||', 1),
			('2|999|tab' || char(9) || 'in key|P7||||||', 1), ('odd key', 1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("building the schema-3 file: %v", err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s := openT(t, path)
	got := stateT(t, s)
	want := map[string]*exchange.POR{
		"10508064": {PositionID: "10508064", ChangeDeleteIndicator: "C", PositionNumber: "1000", PositionTitle: "S.H.O. - ENT\tx\\y",
			DeaneryNumber: "KSS/RJZ01/030/STR/001", ManagingOffice: "KSS", HostLeadIndicator: "H", ODSCode: "RJZ",
			EmployingOrgVPDCode: "504", ESROrganisation: "Medicine", ESRLocation: "Site\nB"},
		"504:2000": {ChangeDeleteIndicator: "C", PositionNumber: "2000", DeaneryNumber: "KSS/RJZ01/030/STR/002",
			ManagingOffice: "KSS", EmployingOrgVPDCode: "504"},
	}
	if !reflect.DeepEqual(got.Positions, want) {
		t.Errorf("positions after migration = %+v, want %+v", got.Positions, want)
	}
	wantSent := map[string]exchange.SentApplicant{
		"P1": {PlacementID: "P1", NPN: "KSS/RXH01/001/ST3", PositionID: "9000001", PositionNumber: "1000", VPD: "504",
			Deanery: "KSS", Start: day(2026, 12, 9), End: day(2027, 8, 4), ApplicantNumber: "5000001", Status: "SUCCESS",
			File: "DE_KSS_APP_20261125_00000001", LastName: "O'Brien\tx", FirstName: `Siân\`, GMC: "7000001"},
		"P2": {PlacementID: "P2", VPD: "504", Deanery: "KSS", Status: "QUARANTINED"},
	}
	if !reflect.DeepEqual(got.Sent, wantSent) {
		t.Errorf("sent after migration = %+v, want %+v", got.Sent, wantSent)
	}
	wantNotified := map[string]bool{"1|504|KSS/RXH01/001/ST3|P1|P1@20261209-20270804||||||": true,
		"1|504|KSS/RXH01/002/ST3|P3|P3@20261209-20270804||||||": true, "5|504|KSS/NEW/001|P9||||||": true,
		"2|999|tab\tin key|P7||||||": true, "odd key": true}
	if !reflect.DeepEqual(got.Notified, wantNotified) {
		t.Errorf("notified after migration = %v, want %v", got.Notified, wantNotified)
	}
	// The keys are stored by type and VPD.
	var groups int
	if err := s.db.QueryRow("SELECT count(*) FROM notified").Scan(&groups); err != nil || groups != 4 {
		t.Errorf("%d notified groups (%v), want 4", groups, err)
	}
	integrityOK(t, s)
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
	if _, err := s.Commit(t.Context(), Run{AsOf: day(2026, 11, 25)}, next); err != nil {
		t.Fatal(err)
	}
	s.Close()
	got := stateT(t, openT(t, s.path))
	if !reflect.DeepEqual(got.Positions, next.Positions) {
		t.Errorf("positions read back = %+v, want %+v", got.Positions, next.Positions)
	}
}

func TestNotifiedGroup(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
		var sqlGot string
		if err := db.QueryRow("SELECT "+groupSQL("k")+" FROM (SELECT ? AS k)", key).Scan(&sqlGot); err != nil || sqlGot != want {
			t.Errorf("groupSQL(%q) = %q, %v; want %q", key, sqlGot, err, want)
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

// TestMigratesVersion4Checksums opens a database whose run inputs carry
// SHA-256 checksums (schema 4): they come back marked as SHA-256, and a
// new run's inputs are stored as given beside them.
func TestMigratesVersion4Checksums(t *testing.T) {
	path := t.TempDir() + "/dpnkit.db"
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	sum := strings.Repeat("9f", 32)
	for _, q := range []string{
		migrations[0], migrations[1], migrations[2], migrations[3],
		fmt.Sprintf("PRAGMA application_id = %d", applicationID),
		"INSERT INTO meta VALUES ('application', 'dpnkit'), ('schema_version', '4')",
		`INSERT INTO runs VALUES (1, '2026-11-25', '2026-11-25T09:00:00Z', '2026-11-25T09:00:01Z', '{}', '[]', '[]', 0)`,
		`INSERT INTO run_inputs VALUES (1, 0, 'positions.csv', '` + sum + `', 120)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("building the schema-4 file: %v", err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s := openT(t, path)
	commitT(t, s, Run{AsOf: day(2026, 11, 26), Inputs: []InputFile{{Path: "positions.csv", Checksum: "crc32c:e3069283", Rows: 121}}},
		exchange.State{})
	rs := runsT(t, s)
	if len(rs) != 2 {
		t.Fatalf("%d runs, want 2", len(rs))
	}
	want := [][]InputFile{
		{{Path: "positions.csv", Checksum: "sha256:" + sum, Rows: 120}},
		{{Path: "positions.csv", Checksum: "crc32c:e3069283", Rows: 121}},
	}
	for i, r := range rs {
		if !reflect.DeepEqual(r.Inputs, want[i]) {
			t.Errorf("run %d inputs = %+v, want %+v", r.ID, r.Inputs, want[i])
		}
	}
	integrityOK(t, s)
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

// The VPD of a record is the field porVPDField, sentVPDField says, as the
// migration reads it.
func TestVPDFieldPlaces(t *testing.T) {
	var p exchange.POR
	var a exchange.SentApplicant
	var start, end string
	if porFields(&p)[porVPDField] != &p.EmployingOrgVPDCode || sentFields(&a, &start, &end)[sentVPDField] != &a.VPD {
		t.Error("porVPDField or sentVPDField does not point at the VPD")
	}
}

// rawGroups is a table stored a VPD a row as it stands: VPD -> recs.
func rawGroups(t *testing.T, s *Store, table string) map[string]string {
	return queryMap[string](t, s, "SELECT vpd, recs FROM "+table)
}

// TestMigratesVersion5Positions opens a database whose positions are a
// row each (schema 5): they come back as they were, and the rows SQL
// grouped them into are byte for byte those writePositions writes for the
// same positions.
func TestMigratesVersion5Positions(t *testing.T) {
	path := t.TempDir() + "/dpnkit.db"
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	qs := []string{migrations[0], migrations[1], migrations[2], migrations[3], migrations[4],
		fmt.Sprintf("PRAGMA application_id = %d", applicationID),
		"INSERT INTO meta VALUES ('application', 'dpnkit'), ('schema_version', '5')",
		`INSERT INTO runs VALUES (1, '2026-11-25', '2026-11-25T09:00:00Z', '2026-11-25T09:00:01Z', '{}', '[]', '[]', 0)`,
		`INSERT INTO runs VALUES (2, '2026-11-26', '2026-11-26T09:00:00Z', '2026-11-26T09:00:01Z', '{}', '[]', '[]', 0)`,
	}
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("building the schema-5 file: %v", err)
		}
	}
	want := awkwardPositions()
	runOf := map[string]int{"504": 1, "100": 2, "10\\t0": 1}
	for k, p := range want {
		runID := 1
		if k == "10" { // VPD 100's newest row
			runID = 2
		}
		if _, err := db.Exec("INSERT INTO positions (key, por, run_id) VALUES (?, ?, ?)",
			k, string(appendPackedFields(nil, porFields(p))), runID); err != nil {
			t.Fatal(err)
		}
	}
	wantSent := awkwardSent()
	for k, a := range wantSent {
		start, end := encodeTime(a.Start), encodeTime(a.End)
		if _, err := db.Exec("INSERT INTO sent (key, sent, run_id) VALUES (?, ?, 1)",
			k, string(appendPackedFields(nil, sentFields(&a, &start, &end)))); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s := openT(t, path)
	got := stateT(t, s)
	if !reflect.DeepEqual(got.Positions, want) {
		t.Errorf("positions after migration = %+v\nwant %+v", got.Positions, want)
	}
	if !reflect.DeepEqual(got.Sent, wantSent) {
		t.Errorf("sent after migration = %+v\nwant %+v", got.Sent, wantSent)
	}
	migrated := rawGroups(t, s, "positions")
	if got := groupRuns(t, s, "positions"); !reflect.DeepEqual(got, runOf) {
		t.Errorf("VPD rows and their run_id after migration = %v, want %v (each its newest position's)", got, runOf)
	}
	if len(migrated) != len(runOf) {
		t.Errorf("%d VPD rows after migration, want %d: %q", len(migrated), len(runOf), migrated)
	}

	fresh := openT(t, t.TempDir()+"/dpnkit.db")
	stateT(t, fresh)
	commitT(t, fresh, run(day(2026, 11, 25)), exchange.State{Positions: want, Sent: wantSent})
	if written := rawGroups(t, fresh, "positions"); !reflect.DeepEqual(written, migrated) {
		t.Errorf("writePositions stores\n%q\nthe migration\n%q", written, migrated)
	}
	if written, migrated := rawGroups(t, fresh, "sent"), rawGroups(t, s, "sent"); !reflect.DeepEqual(written, migrated) ||
		len(migrated) != 2 {
		t.Errorf("writeState stores the sent applicants\n%q\nthe migration\n%q", written, migrated)
	}
	integrityOK(t, s)
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
