package history

import (
	"database/sql"
	"fmt"
	"reflect"
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
	want := map[string]exchange.POR{
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
	next := exchange.State{Positions: map[string]exchange.POR{"k": p}, Sent: map[string]exchange.SentApplicant{},
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
	st := exchange.State{Positions: map[string]exchange.POR{}, Sent: map[string]exchange.SentApplicant{},
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
