package load

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"dpnkit/internal/model"
)

// loadPeople runs People and returns the people sorted by file and row.
func loadPeople(t testing.TB, opts Options, files ...string) ([]model.Person, []model.Input, error) {
	t.Helper()
	var (
		mu  sync.Mutex
		all []model.Person
	)
	in, err := People(context.Background(), files, opts, func(b []model.Person) {
		mu.Lock()
		defer mu.Unlock()
		for i := range b {
			all = append(all, b[i].Clone()) // the batch's strings are the loader's
		}
	})
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].File != all[j].File {
			return all[i].File < all[j].File
		}
		return all[i].Row < all[j].Row
	})
	return all, in, err
}

func TestPeopleAliases(t *testing.T) {
	// Each alias of the spec selects its field; the value lands in the
	// field it names.
	tests := []struct {
		header string
		get    func(p model.Person) string
	}{
		{"Employee Number", func(p model.Person) string { return p.EmployeeNumber }},
		{"Assignment Number", func(p model.Person) string { return p.EmployeeNumber }},
		{"applicant_number", func(p model.Person) string { return p.EmployeeNumber }},
		{"Person Type", func(p model.Person) string { return p.PersonType }},
		{"User Person Type", func(p model.Person) string { return p.PersonType }},
		{"First Name", func(p model.Person) string { return p.FirstName }},
		{"NI Number", func(p model.Person) string { return p.NINumber }},
		{"NINO", func(p model.Person) string { return p.NINumber }},
		{"National Insurance Number", func(p model.Person) string { return p.NINumber }},
		{"GMC Number", func(p model.Person) string { return p.GMC }},
		{"Professional Registration Number", func(p model.Person) string { return p.GMC }},
		{"Position Number", func(p model.Person) string { return p.PositionNumber }},
		{"Assignment Status", func(p model.Person) string { return p.AssignmentStatus }},
		{"Person ID", func(p model.Person) string { return p.PersonID }},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			path := writeTemp(t, "people.csv", "Last Name,VPD,"+tc.header+"\nSmith,504,VALUE\n")
			got, _, err := loadPeople(t, Options{}, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || tc.get(got[0]) != "VALUE" || got[0].LastName != "Smith" || got[0].VPD != "504" {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

func TestPeopleCSV(t *testing.T) {
	data := "\ufeffEmployee Number,Person Type,Last Name,First Name,Date of Birth,NI Number,GMC Number,VPD,Position Number,Assignment Status,Cost Centre\r\n" +
		"12345678, Employee ,Smith,Jane,02-MAR-1990,QQ123456A,7012345,504,3560241,Active Assignment,X1\r\n" +
		",,,,,,,,,,\r\n" + // blank row: skipped and counted
		"A0001,Applicant,\"O'Neil, Jr\",Tom,1991-12-31,,,504,,Active Application,\r\n" +
		"87654321,Employee,Jones,Ann,8 August 1985,QQ654321B,,123,999,Active Assignment,\r\n"
	path := writeTemp(t, "people.csv", data)
	got, in, err := loadPeople(t, Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Person{
		{VPD: "504", EmployeeNumber: "12345678", PersonType: "Employee", LastName: "Smith", FirstName: "Jane",
			DOB: day(1990, 3, 2), NINumber: "QQ123456A", GMC: "7012345", PositionNumber: "3560241",
			AssignmentStatus: "Active Assignment", File: path, Row: 2},
		{VPD: "504", EmployeeNumber: "A0001", PersonType: "Applicant", LastName: "O'Neil, Jr", FirstName: "Tom",
			DOB: day(1991, 12, 31), AssignmentStatus: "Active Application", File: path, Row: 4},
		{VPD: "123", EmployeeNumber: "87654321", PersonType: "Employee", LastName: "Jones", FirstName: "Ann",
			DOB: day(1985, 8, 8), NINumber: "QQ654321B", PositionNumber: "999", AssignmentStatus: "Active Assignment",
			File: path, Row: 5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
	if in[0].Rows != 3 || in[0].Skipped != 0 || in[0].BlankRows != 1 || in[0].Format != model.FormatCSV || in[0].Encoding != "utf-8-bom" ||
		!reflect.DeepEqual(in[0].ExtraColumns, []string{"Cost Centre"}) {
		t.Errorf("input %+v", in[0])
	}

	// --vpd keeps one VPD's people.
	got, in, err = loadPeople(t, Options{VPD: "123"}, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].LastName != "Jones" || in[0].Rows != 1 || in[0].Skipped != 2 || in[0].BlankRows != 1 { // 2 of VPD 504; the blank row is no person
		t.Errorf("--vpd 123: %+v %+v", got, in[0])
	}
}

func TestPeopleEmployeeNumberColumns(t *testing.T) {
	// ESR reports often carry both numbers: the employee number wins, the
	// assignment number stands in when it is blank, then the applicant number.
	data := "Employee Number,Assignment Number,Applicant Number,Last Name,VPD\n" +
		"11111111,11111111-2,,A,504\n" +
		" ,22222222,,B,504\n" +
		",,A333,C,504\n" +
		",,,D,504\n"
	got, _, err := loadPeople(t, Options{}, writeTemp(t, "people.csv", data))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"11111111", "22222222", "A333", ""}
	if len(got) != len(want) {
		t.Fatalf("%d people", len(got))
	}
	for i, w := range want {
		if got[i].EmployeeNumber != w {
			t.Errorf("row %d: employee number %q, want %q", got[i].Row, got[i].EmployeeNumber, w)
		}
	}
}

func TestPeopleVPDFromOptions(t *testing.T) {
	path := writeTemp(t, "people.csv", "Surname,Forenames\nSmith,Jane\nJones,Ann\n")
	got, _, err := loadPeople(t, Options{VPD: "504"}, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].VPD != "504" || got[1].VPD != "504" || got[1].FirstName != "Ann" {
		t.Fatalf("got %+v", got)
	}
}

func TestPeopleErrors(t *testing.T) {
	tests := []struct {
		name, data string
		opts       Options
		want       []string // substrings of the message
	}{
		{"no last name", "Employee Number,First Name,VPD\n1,Jane,504\n", Options{},
			[]string{"people.csv:1: no column for required field last_name", `"Last Name"`}},
		{"no vpd", "Last Name,First Name\nSmith,Jane\n", Options{},
			[]string{"no column for required field vpd", "--vpd"}},
		{"blank vpd", "Last Name,VPD\nSmith,504\nJones,\n", Options{},
			[]string{"people.csv:3: column VPD: expected a VPD code, found a blank cell"}},
		{"two last names", "Last Name,Surname,VPD\nSmith,Smith,504\n", Options{},
			[]string{`columns A ("Last Name") and B ("Surname") are both last_name`}},
		{"field count", "Last Name,VPD\nSmith,504\nJones,504,extra\n", Options{},
			[]string{"people.csv:3: expected 2 fields as in the header (row 1), found 3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := loadPeople(t, tc.opts, writeTemp(t, "people.csv", tc.data))
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("error %v, want a *Error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestPeopleErrorsQuoteNoPersonalData(t *testing.T) {
	// Personal values appear in each file; no error may repeat them.
	secret := []string{"Zanzibar", "Quentin", "QQ999999Z", "7777777", "1977"}
	tests := []struct{ name, data string }{
		{"no header row", "Zanzibar,Quentin,QQ999999Z,7777777,01/01/1977\n"},
		{"bare quote", "Last Name,First Name,NI Number,GMC Number,DOB,VPD\nZanzi\"bar,Quentin,QQ999999Z,7777777,01/01/1977,504\n"},
		{"unclosed quote", "Last Name,First Name,NI Number,GMC Number,DOB,VPD\n\"Zanzibar,Quentin,QQ999999Z,7777777,01/01/1977,504\n"},
		{"field count", "Last Name,First Name,NI Number,GMC Number,DOB,VPD\nZanzibar,Quentin,QQ999999Z,7777777,01/01/1977\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := loadPeople(t, Options{}, writeTemp(t, "people.csv", tc.data))
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range secret {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q quotes %q", err, s)
				}
			}
		})
	}
}

func TestPeopleUnreadableDOB(t *testing.T) {
	// Rows 3 and 5 have dates of birth that are no date: they load with a
	// zero DOB and the note names the rows, not the values.
	data := "Last Name,DOB,VPD\nA,01/02/1990,504\nB,31/02/1990,504\nC,,504\nD,TBC,504\n"
	got, in, err := loadPeople(t, Options{}, writeTemp(t, "people.csv", data))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || !got[0].DOB.Equal(day(1990, 2, 1)) || !got[1].DOB.IsZero() || !got[2].DOB.IsZero() || !got[3].DOB.IsZero() {
		t.Fatalf("got %+v", got)
	}
	want := []string{"2 unreadable dates of birth left empty (rows 3, 5; values not shown)"}
	if !reflect.DeepEqual(in[0].Notes, want) {
		t.Errorf("notes %q, want %q", in[0].Notes, want)
	}
}

func TestPeopleChunkBoundaries(t *testing.T) {
	defer func(c int) { chunkSize = c }(chunkSize)
	var b strings.Builder
	b.WriteString("Last Name,First Name,DOB,VPD\n")
	const n = 2000
	for i := range n {
		name := fmt.Sprintf("Name%d", i)
		if i%9 == 4 {
			name = fmt.Sprintf("\"Two\nLines %d\"", i)
		}
		dob := "01/01/1990"
		if i%500 == 7 { // rows 9, 509, 1009, 1509
			dob = "99/99/1990"
		}
		fmt.Fprintf(&b, "%s,F%d,%s,504\n", name, i, dob)
	}
	for _, size := range []int{64, 1000, 1 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			chunkSize = size
			got, in, err := loadPeople(t, Options{Workers: 4}, writeTemp(t, "people.csv", b.String()))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("%d people, want %d", len(got), n)
			}
			for i, p := range got {
				if p.FirstName != fmt.Sprintf("F%d", i) || p.Row != i+2 {
					t.Fatalf("person %d: %+v", i, p)
				}
			}
			want := []string{"4 unreadable dates of birth left empty (rows 9, 509, 1009, 1509; values not shown)"}
			if !reflect.DeepEqual(in[0].Notes, want) {
				t.Errorf("notes %q, want %q", in[0].Notes, want)
			}
		})
	}
}

func TestPeopleXLSX(t *testing.T) {
	// DOB as an Excel date cell (32874 = 1990-01-01, so 32937 = 1990-03-05)
	// and as text.
	rows := xrow(1, "Employee Number", "Last Name", "First Name", "Date of Birth", "VPD") +
		xrow(2, "1", "Smith", "Jane", "@32937", "504") +
		xrow(3, "2", "Jones", "Ann", "31/12/1991", "504") +
		xrow(4, "3", "Brown", "Bob", "someday", "504")
	path := workbook(t, "People", rows)
	got, in, err := loadPeople(t, Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !got[0].DOB.Equal(day(1990, 3, 5)) || !got[1].DOB.Equal(day(1991, 12, 31)) ||
		got[1].LastName != "Jones" || got[2].Row != 4 || !got[2].DOB.IsZero() {
		t.Fatalf("got %+v", got)
	}
	want := []string{"1 unreadable dates of birth left empty (rows 4; values not shown)"}
	if in[0].Format != model.FormatXLSX || in[0].Sheet != "People" || !reflect.DeepEqual(in[0].Notes, want) {
		t.Errorf("input %+v", in[0])
	}
}

// praRec builds a PRA record of 44 fields with the given fields set
// (1-based numbers as in inputs.md §1a).
func praRec(set map[int]string) string { return goRec("PRA", 44, set) }

// asaRec builds an ASA record of 50 fields.
func asaRec(set map[int]string) string { return goRec("ASA", 50, set) }

func goRec(typ string, n int, set map[int]string) string {
	f := make([]string, n)
	f[0] = typ
	for k, v := range set {
		f[k-1] = v
	}
	return strings.Join(f, "~")
}

func TestPeopleGO(t *testing.T) {
	// Person 101: an employee with an old (date-tracked) PRA record, a
	// terminated primary assignment and an active non-primary one, and an
	// active primary one that wins. Person 102: an applicant with no
	// employee number; their application's number stands in. Person 103:
	// an ex-employee whose only assignment is terminated: status, no
	// position. Person 104: no assignment; the PRA record is split by a
	// linefeed in the last name and re-joined. An ASA of person 999 has no
	// PRA.
	pra := func(id, start, empNo, last, first, dob, ni, typ string) string {
		return praRec(map[int]string{2: id, 3: start, 5: empNo, 7: last, 8: first, 14: dob, 15: ni, 34: typ, 35: "User " + typ})
	}
	asa := func(person, start, number, status, primary, posName string) string {
		return asaRec(map[int]string{2: person, 4: start, 8: number, 9: status, 22: primary, 30: posName})
	}
	lines := []string{
		goHDR,
		pra("101", "20100101", "11111111", "Oldname", "Jane", "19900302", "QQ123456A", "EMP"),
		goPOA1,
		asa("101", "20150101", "11111111", "TERM_ASSIGN", "Y", "1000001|Consultant|021|Surgery|"),
		pra("101", "20200101", "11111111", "Smith", "Jane", "19900302", "QQ123456A", "EMP"),
		asa("101", "20200101", "11111111-2", "ACTIVE_ASSIGN", "N", "1000002|FY2|021|Surgery|"),
		asa("101", "20190101", "11111111-3", "ACTIVE_ASSIGN", "Y", " 3560241 |FY1|021|Surgery|"),
		pra("102", "20260101", "", "Jones", "Ann", "19951231", "", "APL"),
		asa("102", "20260101", "A123", "ACTIVE_APL", "Y", "3560242|FY1|021|Surgery|"),
		pra("103", "20000101", "33333333", "Brown", "Bob", "notadate", "QQ111111C", "EX_EMP"),
		asa("103", "20000101", "33333333", "TERM_ASSIGN", "Y", "4000000|Nurse|N01|Ward|"),
		pra("104", "20000101", "44444444", "Gr\neen", "Gail", "19800101", "", "EMP_APL"),
		asa("999", "20000101", "9", "ACTIVE_ASSIGN", "Y", "5|x|y|z|"),
		"PRD~105",
		"TRL~15", // the split PRA record counts once
	}
	path := writeTemp(t, "GO_504_PER_GOF_20261125_00000001.DAT", goFile(lines...))
	got, in, err := loadPeople(t, Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Person{
		{VPD: "504", PersonID: "101", EmployeeNumber: "11111111", PersonType: "EMP", LastName: "Smith", FirstName: "Jane",
			DOB: day(1990, 3, 2), NINumber: "QQ123456A", PositionNumber: "3560241", AssignmentStatus: "ACTIVE_ASSIGN",
			File: path, Row: 5},
		{VPD: "504", PersonID: "102", EmployeeNumber: "A123", PersonType: "APL", LastName: "Jones", FirstName: "Ann",
			DOB: day(1995, 12, 31), PositionNumber: "3560242", AssignmentStatus: "ACTIVE_APL", File: path, Row: 8},
		{VPD: "504", PersonID: "103", EmployeeNumber: "33333333", PersonType: "EX_EMP", LastName: "Brown", FirstName: "Bob",
			NINumber: "QQ111111C", AssignmentStatus: "TERM_ASSIGN", File: path, Row: 10},
		{VPD: "504", PersonID: "104", EmployeeNumber: "44444444", PersonType: "EMP_APL", LastName: "Gr\neen", FirstName: "Gail",
			DOB: day(1980, 1, 1), File: path, Row: 12},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
	wantIn := model.Input{Path: path, Format: model.FormatGO, Encoding: "utf-8", Rows: 4, Repaired: 1,
		Notes: []string{
			"1 unreadable dates of birth left empty (lines 10; values not shown)",
			"1 assignments (ASA) with no person record (PRA) not loaded",
			"1 person deletes (PRD) not loaded",
			"1 non-person records (POA)",
		}}
	if !reflect.DeepEqual(in[0], wantIn) {
		t.Errorf("input\n%+v\nwant\n%+v", in[0], wantIn)
	}

	// --vpd of another VPD skips the file's people.
	got, in, err = loadPeople(t, Options{VPD: "123"}, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 || in[0].Skipped != 4 || in[0].Notes[0] != "4 people of VPD 504 skipped (--vpd 123)" {
		t.Errorf("--vpd 123: %d people, input %+v", len(got), in[0])
	}
}

func TestPeopleGOFaults(t *testing.T) {
	good := praRec(map[int]string{2: "1", 7: "Zanzibar"})
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"truncated", []string{goHDR, good, "TRL~4"}, "x.DAT:3: trailer says 4 records, file has 3: truncated or corrupted"},
		{"no trailer", []string{goHDR, good}, "x.DAT:2: expected a TRL trailer record as the last line, found none"},
		{"short PRA", []string{goHDR, "PRA~1~Zanzibar", "TRL~3"}, "x.DAT:2: PRA record: expected 44 fields"},
		{"long ASA", []string{goHDR, goRec("ASA", 51, nil), "TRL~3"}, "x.DAT:2: ASA record: expected 50 fields, found 51"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := loadPeople(t, Options{}, writeTemp(t, "x.DAT", goFile(tc.lines...)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "Zanzibar") {
				t.Errorf("error %q quotes a name", err)
			}
		})
	}
}

func TestPeopleGODoesNotChangePositions(t *testing.T) {
	// A GO file with people and positions: Positions still loads its POA
	// records and counts PRA/ASA as non-position records.
	lines := []string{goHDR, praRec(map[int]string{2: "1", 7: "Smith"}), goPOA1,
		asaRec(map[int]string{2: "1", 9: "ACTIVE_ASSIGN"}), "TRL~5"}
	got, in, err := loadAll(t, Options{}, writeTemp(t, "x.DAT", goFile(lines...)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Number != "3560241" || in[0].Notes[0] != "2 non-position records (ASA, PRA)" {
		t.Errorf("positions %+v input %+v", got, in[0])
	}
}

// TestPeopleKeepPerson: people KeepPerson refuses are read and counted
// but never handed on; it sees the raw cells (spaces and case as in the
// file, "" for a column the file lacks); their dates of birth are checked
// as any other's. The same file in CSV and xlsx.
func TestPeopleKeepPerson(t *testing.T) {
	var mu sync.Mutex
	var asked [][2]string
	keep := func(gmc, ni string) bool {
		mu.Lock()
		asked = append(asked, [2]string{gmc, ni})
		mu.Unlock()
		return strings.TrimSpace(gmc) == "7000001" || ni == "qq123456c"
	}
	csvData := "Last Name,GMC Number,NI Number,DOB,VPD\n" +
		"Keep,7000001 ,,01/02/1990,504\n" + // row 2: kept by GMC
		"Drop,7000002,QQ999999A,TBC,504\n" + // row 3: refused, unreadable date counted
		"Also,,qq123456c,02/02/1990,504\n" + // row 4: kept by NI
		"Gone,,,31/02/1990,504\n" // row 5: refused, unreadable date counted
	rows := xrow(1, "Last Name", "GMC Number", "NI Number", "DOB", "VPD") +
		xrow(2, "Keep", "7000001 ", "", "01/02/1990", "504") +
		xrow(3, "Drop", "7000002", "QQ999999A", "TBC", "504") +
		xrow(4, "Also", "", "qq123456c", "02/02/1990", "504") +
		xrow(5, "Gone", "", "", "31/02/1990", "504")
	for name, path := range map[string]string{
		"csv":  writeTemp(t, "people.csv", csvData),
		"xlsx": workbook(t, "People", rows),
	} {
		t.Run(name, func(t *testing.T) {
			asked = nil
			got, in, err := loadPeople(t, Options{KeepPerson: keep}, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].LastName != "Keep" || got[0].Row != 2 || got[1].LastName != "Also" || got[1].Row != 4 ||
				got[0].GMC != "7000001" || !got[0].DOB.Equal(day(1990, 2, 1)) {
				t.Fatalf("got %+v", got)
			}
			if in[0].Rows != 4 || in[0].Skipped != 0 {
				t.Errorf("rows %d skipped %d, want 4 read and none skipped", in[0].Rows, in[0].Skipped)
			}
			want := []string{"2 unreadable dates of birth left empty (rows 3, 5; values not shown)"}
			if !reflect.DeepEqual(in[0].Notes, want) {
				t.Errorf("notes %q, want %q", in[0].Notes, want)
			}
			sort.Slice(asked, func(i, j int) bool {
				if asked[i][0] != asked[j][0] {
					return asked[i][0] < asked[j][0]
				}
				return asked[i][1] < asked[j][1]
			})
			wantAsked := [][2]string{{"", ""}, {"", "qq123456c"}, {"7000001 ", ""}, {"7000002", "QQ999999A"}}
			if !reflect.DeepEqual(asked, wantAsked) {
				t.Errorf("asked %q, want %q", asked, wantAsked)
			}
		})
	}
}

// TestPeopleKeepPersonGO: in a GO file KeepPerson is asked of each joined
// person (no GMC number in a GO file); refused people are counted, their
// unreadable dates of birth noted, and not handed on.
func TestPeopleKeepPersonGO(t *testing.T) {
	pra := func(id, last, dob, ni string) string {
		return praRec(map[int]string{2: id, 3: "20200101", 7: last, 14: dob, 15: ni, 34: "EMP"})
	}
	path := writeTemp(t, "GO_504_PER_GOF_20261125_00000001.DAT", goFile(goHDR,
		pra("1", "Keep", "19900302", "QQ123456A"), // row 2
		pra("2", "Drop", "notadate", "QQ999999Z"), // row 3
		pra("3", "None", "19900302", ""),          // row 4
		"TRL~5"))
	var asked []string
	keep := func(gmc, ni string) bool {
		asked = append(asked, gmc+"/"+ni) // one goroutine in a GO file
		return ni == "QQ123456A"
	}
	got, in, err := loadPeople(t, Options{KeepPerson: keep}, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].LastName != "Keep" || got[0].Row != 2 {
		t.Fatalf("got %+v", got)
	}
	if in[0].Rows != 3 {
		t.Errorf("rows %d, want 3 read", in[0].Rows)
	}
	if want := []string{"/QQ123456A", "/QQ999999Z", "/"}; !reflect.DeepEqual(asked, want) {
		t.Errorf("asked %q, want %q", asked, want)
	}
	if want := []string{"1 unreadable dates of birth left empty (lines 3; values not shown)"}; !reflect.DeepEqual(in[0].Notes, want) {
		t.Errorf("notes %q, want %q", in[0].Notes, want)
	}
}
