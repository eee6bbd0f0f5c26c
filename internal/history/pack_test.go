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
