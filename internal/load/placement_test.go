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
	"time"

	"dpnkit/internal/model"
)

// loadPlacements runs Placements and returns the cloned placements sorted by
// file and row.
func loadPlacements(t testing.TB, opts Options, files ...string) ([]model.Placement, []model.Input, error) {
	t.Helper()
	var (
		mu  sync.Mutex
		all []model.Placement
	)
	in, err := Placements(context.Background(), files, opts, func(b []model.Placement) {
		mu.Lock()
		defer mu.Unlock()
		for i := range b {
			all = append(all, b[i].Clone())
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

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestPlacementAliases(t *testing.T) {
	tests := []struct {
		name  string
		hdr   []string
		want  map[string]int // field -> column
		extra []string
	}{
		{
			name: "HEE Placement ESR Check Data View, with the misspelt PlacementTidID",
			hdr: []string{"ManagingDeanery", "EmployingBodyKnownAs", "TrainingBodyKnownAs", "PostSpecialty",
				"GradeAbbreviation", "StartDate", "ApplicantExport", "PositionMatch", "NationalPostNumber",
				"Surname", "Forenames", "ReferenceNumber", "PlacementTidID", "EndDate"},
			want: map[string]int{"managing_deanery": 0, "employing_body": 1, "training_body": 2, "specialty": 3,
				"grade": 4, "date_from": 5, "npn": 8, "surname": 9, "forenames": 10, "gmc": 11,
				"placement_id": 12, "date_to": 13},
			extra: []string{"ApplicantExport", "PositionMatch"},
		},
		{
			name: "the view's correct spelling PlacementTisID",
			hdr:  []string{"PlacementTisID", "NationalPostNumber", "Surname", "Forenames", "StartDate", "End Date"},
			want: map[string]int{"placement_id": 0, "npn": 1, "surname": 2, "forenames": 3, "date_from": 4, "date_to": 5},
		},
		{
			name: "first aliases of every field",
			hdr: []string{"Placement TIS ID", "National Post Number", "Surname", "Forenames", "GMC Number",
				"Start Date", "End Date", "Placement Type", "Lifecycle State", "WTE", "Grade", "Specialty", "Site",
				"Employing Body", "Training Body", "Managing Deanery", "Email", "Date of Birth", "Gender", "Title",
				"NI Number", "Nationality", "Disability", "Ethnic Origin", "Marital Status", "Religion",
				"Sexual Orientation", "Address 1", "Town", "County", "Postcode"},
			want: map[string]int{"placement_id": 0, "npn": 1, "surname": 2, "forenames": 3, "gmc": 4,
				"date_from": 5, "date_to": 6, "placement_type": 7, "lifecycle": 8, "wte": 9, "grade": 10,
				"specialty": 11, "site": 12, "employing_body": 13, "training_body": 14, "managing_deanery": 15,
				"email": 16, "dob": 17, "gender": 18, "title": 19, "ni_number": 20, "nationality": 21,
				"disability": 22, "ethnic_origin": 23, "marital_status": 24, "religion": 25,
				"sexual_orientation": 26, "address1": 27, "town": 28, "county": 29, "postcode": 30},
		},
		{
			name: "other spellings, case and punctuation",
			hdr: []string{"TIS_PLACEMENT_ID", "npn", "Legal Surname", "legal forenames", "GMC", "Placement Start Date",
				"placement-end-date", "Email Address", "DOB", "NINO", "Ethnicity", "Religious Belief",
				"Address Line 1", "Post Code", "Local Office", "Whole Time Equivalent", "Site Known As", "Lifecycle"},
			want: map[string]int{"placement_id": 0, "npn": 1, "surname": 2, "forenames": 3, "gmc": 4,
				"date_from": 5, "date_to": 6, "email": 7, "dob": 8, "ni_number": 9, "ethnic_origin": 10,
				"religion": 11, "address1": 12, "postcode": 13, "managing_deanery": 14, "wte": 15, "site": 16,
				"lifecycle": 17},
		},
		{
			name: "more spellings",
			hdr: []string{"Placement ID", "DPN", "Last Name", "First Name", "Date From", "Date To",
				"National Insurance Number", "Birth Date", "Address1", "E-mail", "Grade Abbreviation", "Post Specialty",
				"Reference Number", "Site Code"},
			want: map[string]int{"placement_id": 0, "npn": 1, "surname": 2, "forenames": 3, "date_from": 4,
				"date_to": 5, "ni_number": 6, "dob": 7, "address1": 8, "email": 9, "grade": 10, "specialty": 11,
				"gmc": 12, "site": 13},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lay, err := resolveLayout(placementFields, "p.csv", 1, tc.hdr, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for fi, f := range PlacementFields {
				want, ok := tc.want[f.Name]
				if !ok {
					want = -1
				}
				if lay.col[fi] != want {
					t.Errorf("%s: column %d, want %d", f.Name, lay.col[fi], want)
				}
			}
			if strings.Join(lay.extraHdr, "|") != strings.Join(tc.extra, "|") {
				t.Errorf("extra columns %q, want %q", lay.extraHdr, tc.extra)
			}
		})
	}
}

func TestPlacementFieldsTable(t *testing.T) {
	// inputs.md §2: these six are required, nothing else.
	want := []string{"placement_id", "npn", "surname", "forenames", "date_from", "date_to"}
	var got []string
	for _, f := range PlacementFields {
		if f.Required {
			got = append(got, f.Name)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("required = %q, want %q", got, want)
	}
	if len(PlacementFields) != numPlacementFields {
		t.Errorf("%d fields, %d indexes", len(PlacementFields), numPlacementFields)
	}
}

func TestPlacementHeaderErrors(t *testing.T) {
	tests := []struct {
		name string
		hdr  string
		opts Options
		want string // the whole message after "<file>:"
	}{
		{
			name: "missing NPN column, closest alias named",
			hdr:  "Placement TIS ID,Natonal Post Numbr,Surname,Forenames,Start Date,End Date",
			want: `1: no column for required field npn (headers like "National Post Number", "NationalPostNumber", ` +
				`"NPN", "DPN", "Post Number", "Deanery Post Number", "Training Post Number", "TPN"; closest header "Natonal Post Numbr"); headers found: ` +
				`"Placement TIS ID", "Natonal Post Numbr", "Surname", "Forenames", "Start Date", "End Date"; ` +
				`use --map FIELD=HEADER if a column has another name ('dpnkit fields' lists the fields and their headers)`,
		},
		{
			name: "missing end date column, nothing close",
			hdr:  "Placement TIS ID,NPN,Surname,Forenames,Start Date,Notes",
			want: `1: no column for required field date_to (headers like "End Date", "Date To", "Placement End Date", "EndDate", "To Date"; no header like it); ` +
				`headers found: "Placement TIS ID", "NPN", "Surname", "Forenames", "Start Date", "Notes"; use --map FIELD=HEADER if a column has another name ('dpnkit fields' lists the fields and their headers)`,
		},
		{
			name: "two NPN columns",
			hdr:  "Placement TIS ID,NPN,National Post Number,Surname,Forenames,Start Date,End Date",
			want: `1: columns B ("NPN") and C ("National Post Number") are both npn; use --map npn=HEADER to choose one`,
		},
		{
			name: "--map a field of no kind of file",
			hdr:  "Placement TIS ID,NPN,Surname,Forenames,Start Date,End Date",
			opts: Options{Map: map[string]string{"vpdx": "NPN"}},
			want: ` --map vpdx: unknown field "vpdx"; valid fields: placement_id, npn, surname, forenames, gmc, date_from, date_to, ` +
				`placement_type, lifecycle, wte, grade, specialty, site, employing_body, training_body, managing_deanery, email, dob, ` +
				`gender, title, ni_number, nationality, disability, ethnic_origin, marital_status, religion, sexual_orientation, ` +
				`address1, town, county, postcode, post_created`,
		},
		{
			name: "no header row: the cells are personal data and are not quoted",
			hdr:  "1716002,EAN/RA/02/015/SPQ/001,Quixote,Zebulon,7654321,2019-08-07,2020-08-04",
			want: `1: expected a header row naming the placement fields (headers like "Placement TIS ID", "National Post Number", ` +
				`"Surname", "Forenames", "Start Date", "End Date"), found a row with none of them; its 7 cells are not shown, ` +
				`as they may hold personal data: is the header row missing, or more than 30 rows down (--header-row N names it)?`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "placements.csv", tc.hdr+"\n1,2,3,4,5,6,7\n")
			_, _, err := loadPlacements(t, tc.opts, path)
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if got := strings.TrimPrefix(err.Error(), path+":"); got != tc.want {
				t.Errorf("error\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestPlacementsCSV(t *testing.T) {
	const data = "Placement TIS ID;National Post Number;Surname;Forenames;GMC Number;Date of Birth;Start Date;End Date;Placement Type;Lifecycle State;WTE;Notes\r\n" +
		"1716002;EAN/RA/02/015/SPQ/001;Ghani;Yaser;7021070;14/03/1990;07-AUG-2019;2020-08-04;In Post;APPROVED;1;n1\r\n" +
		"\r\n" +
		"1738892;EAN/RA/02/017/SPQ/002;RECRUIT - VACANCY;*****;9999978;;8 August 2019;20200804;In Post;APPROVED;1;\r\n" +
		"1700913;\"EAN/RA/02/015/SPQ/002 \";Patel;\"Aarti; Jane\";7455687;31/02/1990;soon;04/08/2020 09:30;OOPE;DRAFT;0.5;\"multi\r\nline\"\r\n" +
		";;;;;;;;;;;\r\n" +
		"1700914;EAN/RA/02/015/SPQ/003;O'Neill;Sean;;1 Jan 1985;31/08/2019;;in post;approved;;\r\n"
	path := writeTemp(t, "placements.csv", data)
	got, in, err := loadPlacements(t, Options{VPD: "504"}, path)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Row                         int
		ID, NPN, Surname, Forenames string
		GMC                         string
		From, To, DOB               time.Time
		Type, Life, WTE             string
		Extra                       []string
		Issues                      []model.DateIssue
		Vacancy                     bool
	}
	want := []row{
		{2, "1716002", "EAN/RA/02/015/SPQ/001", "Ghani", "Yaser", "7021070",
			day(2019, 8, 7), day(2020, 8, 4), day(1990, 3, 14), "In Post", "APPROVED", "1", []string{"n1"}, nil, false},
		// row 3 is blank
		{4, "1738892", "EAN/RA/02/017/SPQ/002", "RECRUIT - VACANCY", "*****", "9999978",
			day(2019, 8, 8), day(2020, 8, 4), time.Time{}, "In Post", "APPROVED", "1", []string{""}, nil, true},
		{5, "1700913", "EAN/RA/02/015/SPQ/002 ", "Patel", "Aarti; Jane", "7455687",
			time.Time{}, day(2020, 8, 4), time.Time{}, "OOPE", "DRAFT", "0.5", []string{"multi\r\nline"},
			[]model.DateIssue{{Column: "Start Date", Value: "soon"}, {Column: "Date of Birth", Value: WithheldValue}}, false},
		// row 6 has every field empty
		{7, "1700914", "EAN/RA/02/015/SPQ/003", "O'Neill", "Sean", "",
			day(2019, 8, 31), time.Time{}, day(1985, 1, 1), "in post", "approved", "", []string{""}, nil, false},
	}
	if len(got) != len(want) {
		t.Fatalf("%d placements, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		p := got[i]
		g := row{p.Row, p.ID, p.NPN, p.Surname, p.Forenames, p.GMC, p.DateFrom, p.DateTo, p.DOB,
			p.PlacementType, p.Lifecycle, p.WTE, p.Extra, p.DateIssues, p.IsVacancy()}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("placement %d:\n got %+v\nwant %+v", i, g, w)
		}
		if !p.HasDOBColumn || !p.HasLifecycleColumn || p.File != path {
			t.Errorf("row %d: HasDOBColumn %v HasLifecycleColumn %v File %q", p.Row, p.HasDOBColumn, p.HasLifecycleColumn, p.File)
		}
	}
	if got[0].Approved() != true || got[2].Approved() != false || got[3].Approved() != true {
		t.Errorf("Approved: %v %v %v", got[0].Approved(), got[2].Approved(), got[3].Approved())
	}
	// Rows 3 and 6 are blank rows: counted, not records.
	wantIn := model.Input{Path: path, Format: model.FormatCSV, Encoding: "utf-8", Rows: 4, HeaderRow: 1, BlankRows: 2,
		Notes: []string{"skipped 2 blank rows"}, ExtraColumns: []string{"Notes"},
		Columns: columns("Placement TIS ID=placement_id", "National Post Number=npn", "Surname=surname", "Forenames=forenames",
			"GMC Number=gmc", "Date of Birth=dob", "Start Date=date_from", "End Date=date_to", "Placement Type=placement_type",
			"Lifecycle State=lifecycle", "WTE=wte", "Notes")}
	if !reflect.DeepEqual(in, []model.Input{wantIn}) {
		t.Errorf("input\n%+v\nwant\n%+v", in, wantIn)
	}
}

func TestPlacementsWithoutOptionalColumns(t *testing.T) {
	path := writeTemp(t, "p.tsv", "PlacementTisID\tNPN\tSurname\tForenames\tStartDate\tEnd Date\n"+
		"9\tKSS/RJZ01/030/STR/001\tSmith\tAnn\t2026-08-05\t2027-08-06\n")
	got, in, err := loadPlacements(t, Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d placements", len(got))
	}
	p := got[0]
	if p.HasDOBColumn || p.HasLifecycleColumn || !p.DOB.IsZero() || p.Extra != nil || p.Row != 2 ||
		!p.DateFrom.Equal(day(2026, 8, 5)) || !p.DateTo.Equal(day(2027, 8, 6)) || !p.Approved() || !p.TypeSent() {
		t.Errorf("placement %+v", p)
	}
	if in[0].Rows != 1 || in[0].ExtraColumns != nil {
		t.Errorf("input %+v", in[0])
	}
}

func TestPlacementsEncodings(t *testing.T) {
	const hdr = "Placement TIS ID,NPN,Surname,Forenames,Start Date,End Date\r\n"
	utf16le := func(s string) string {
		b := []byte{0xFF, 0xFE}
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return string(b)
	}
	tests := []struct {
		name      string
		data      string
		enc       string
		notes     []string
		surnames  []string
		forenames []string
	}{
		{
			name: "Windows-1252 names",
			data: hdr + "1,EOE/RGT00/021/FY1/010,O\x92Brien,Zo\xeb,2019-08-07,2020-08-04\r\n" +
				"2,EOE/RGT00/021/FY1/011,Smith,Ann,2019-08-07,2020-08-04\r\n" +
				"3,EOE/RGT00/021/FY1/012,N\xfa\xf1ez,Jos\xe9\xa0Mar\xeda,2019-08-07,2020-08-04\r\n",
			enc:       "windows-1252",
			notes:     []string{"2 rows decoded as Windows-1252"},
			surnames:  []string{"O\u2019Brien", "Smith", "Núñez"},
			forenames: []string{"Zoë", "Ann", "José\u00a0María"},
		},
		{
			name:      "UTF-8 with BOM",
			data:      "\xef\xbb\xbf" + hdr + "1,EOE/RGT00/021/FY1/010,Núñez,Zoë,2019-08-07,2020-08-04\r\n",
			enc:       "utf-8-bom",
			surnames:  []string{"Núñez"},
			forenames: []string{"Zoë"},
		},
		{
			name:      "UTF-16LE with BOM (Excel Unicode Text)",
			data:      utf16le(strings.ReplaceAll(hdr, ",", "\t") + "1\tEOE/RGT00/021/FY1/010\tNúñez\tZoë\t2019-08-07\t2020-08-04\r\n"),
			enc:       "utf-16le",
			surnames:  []string{"Núñez"},
			forenames: []string{"Zoë"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "placements.csv", tc.data)
			got, in, err := loadPlacements(t, Options{}, path)
			if err != nil {
				t.Fatal(err)
			}
			var sur, fore []string
			for _, p := range got {
				sur = append(sur, p.Surname)
				fore = append(fore, p.Forenames)
			}
			if !reflect.DeepEqual(sur, tc.surnames) || !reflect.DeepEqual(fore, tc.forenames) {
				t.Errorf("surnames %q forenames %q, want %q %q", sur, fore, tc.surnames, tc.forenames)
			}
			if in[0].Encoding != tc.enc || !reflect.DeepEqual(in[0].Notes, tc.notes) {
				t.Errorf("encoding %q notes %q, want %q %q", in[0].Encoding, in[0].Notes, tc.enc, tc.notes)
			}
		})
	}
}

func TestPlacementsXLSX(t *testing.T) {
	// Serials worked out by hand: 43678 = 2019-08-01, 44047 = 2020-08-04,
	// 32946 = 1990-03-14, 32874 = 1990-01-01 (1900 date system).
	rows := xrow(1, "PlacementTisID", "NationalPostNumber", "Surname", "Forenames", "ReferenceNumber",
		"StartDate", "EndDate", "DOB", "Lifecycle") +
		xrow(2, "#1716002", "DIF/RXGSO/024/SPQ/001", "Ghani", "Yaser", "#7021070", "@43678", "@44047", "@32946", "APPROVED") +
		xrow(3, "#1716003", "DIF/RXGSO/024/SPQ/002", "Ensor", "David", "#7410152", "#20190807", "31/07/2020", "#32874", "DRAFT") +
		xrow(5, "#1738892", "EAN/RA/02/017/SPQ/002", "RECRUIT - VACANCY", "*****", "#9999978", "#43678", "never", "", "APPROVED")
	path := workbook(t, "Placements", rows)
	got, in, err := loadPlacements(t, Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Row           int
		ID, GMC       string
		From, To, DOB time.Time
		Issues        []model.DateIssue
		Vacancy       bool
	}
	want := []row{
		{2, "1716002", "7021070", day(2019, 8, 1), day(2020, 8, 4), day(1990, 3, 14), nil, false},
		{3, "1716003", "7410152", day(2019, 8, 7), day(2020, 7, 31), day(1990, 1, 1), nil, false},
		{5, "1738892", "9999978", day(2019, 8, 1), time.Time{}, time.Time{},
			[]model.DateIssue{{Column: "EndDate", Value: "never"}}, true},
	}
	var g []row
	for _, p := range got {
		g = append(g, row{p.Row, p.ID, p.GMC, p.DateFrom, p.DateTo, p.DOB, p.DateIssues, p.IsVacancy()})
		if !p.HasDOBColumn || !p.HasLifecycleColumn {
			t.Errorf("row %d: HasDOBColumn %v HasLifecycleColumn %v", p.Row, p.HasDOBColumn, p.HasLifecycleColumn)
		}
	}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("got\n%+v\nwant\n%+v", g, want)
	}
	if in[0].Format != model.FormatXLSX || in[0].Sheet != "Placements" || in[0].Rows != 3 {
		t.Errorf("input %+v", in[0])
	}
}

func TestPlacementsRefuseGOFiles(t *testing.T) {
	const goData = "HDR~GO_504_EXP_GOF_20261125_00000001.DAT~20261125 010203~504~20261124 010203~20261125 010203~1\n" +
		"POA~654321~20080401~~3560241~3560241|Consultant|021|General Surgery|~1~4311100~Medical and Dental~Consultant~021~YM72~YM72|1~Not Applicable~387169~Active~NONE~Yes~No~KSS/RJZ01/030/STR/001~KSS~WOC~20091109 154418~Consultants\n" +
		"TRL~3\n"
	for _, name := range []string{"GO_504_EXP_GOF_20261125_00000001.DAT", "renamed.csv"} {
		t.Run(name, func(t *testing.T) {
			path := writeTemp(t, name, goData)
			_, _, err := loadPlacements(t, Options{}, path)
			var le *Error
			want := path + ": expected a placement export (.csv, .tsv, .txt or .xlsx), found an ESR GO .DAT file (ESR position data, not placement data)"
			if !errors.As(err, &le) || err.Error() != want {
				t.Errorf("err = %v\nwant %s", err, want)
			}
		})
	}
}

// TestPlacementErrorsQuoteNoPersonalData feeds bad files whose cells hold
// personal values and checks that no error text repeats one.
func TestPlacementErrorsQuoteNoPersonalData(t *testing.T) {
	personal := []string{"Quixote", "Zebulon", "7654321", "AB123456C", "1987-06-05", "zeb@example.org"}
	const hdr = "Placement TIS ID,NPN,Surname,Forenames,GMC Number,NI Number,Date of Birth,Email,Start Date,End Date\n"
	const good = "1,EAN/RA/02/015/SPQ/001,Quixote,Zebulon,7654321,AB123456C,1987-06-05,zeb@example.org,2019-08-07,2020-08-04\n"
	csv := func(s string) func(t *testing.T) string {
		return func(t *testing.T) string { return writeTemp(t, "placements.csv", s) }
	}
	xl := func(rows string) func(t *testing.T) string {
		return func(t *testing.T) string { return workbook(t, "Sheet1", rows) }
	}
	xhdr := xrow(1, "Placement TIS ID", "NPN", "Surname", "Forenames", "GMC Number", "Start Date", "End Date")
	tests := []struct {
		name string
		file func(t *testing.T) string
		opts Options
		want string // part of the message
	}{
		{"no header row", csv(good + good), Options{}, "is the header row missing"},
		{"no header row, xlsx", xl(xrow(1, "1", "EAN/X/1", "Quixote", "Zebulon", "#7654321")), Options{}, "is the header row missing"},
		{"too many fields", csv(hdr + good + strings.TrimSuffix(good, "\n") + ",Quixote\n"), Options{}, "3: expected 10 fields as in the header (row 1), found 11"},
		{"too few fields", csv(hdr + "1,EAN/X/1,Quixote,Zebulon,7654321\n"), Options{}, "expected 10 fields"},
		{"quote never closed", csv(hdr + good + `2,EAN/X/2,"Quixote,Zebulon,7654321,AB123456C,1987-06-05,zeb@example.org,2019-08-07,2020-08-04` + "\n"),
			Options{}, "3: column Surname: expected a closing quote"},
		{"bare quote", csv(hdr + `2,EAN/X/2,Qui"xote,Zebulon,7654321,AB123456C,1987-06-05,zeb@example.org,2019-08-07,2020-08-04` + "\n"),
			Options{}, "2: column Surname: expected a quoted field or no quote at all"},
		{"text after a closing quote", csv(hdr + `2,EAN/X/2,Quixote,"Zebulon"7654321,AB123456C,1987-06-05,zeb@example.org,2019-08-07,2020-08-04` + "\n"),
			Options{}, "2: column Forenames: expected a delimiter or line end"},
		{"--map to a header that is not there", csv(hdr + good), Options{Map: map[string]string{"gmc": "Quixote"}},
			`--map gmc=Quixote: no such header`},
		{"xlsx number cell holding a name", xl(xhdr + `<row r="2"><c r="A2"><v>1</v></c><c r="C2"><v>Quixote</v></c></row>`),
			Options{}, `cell C2: invalid number (value not shown)`},
		{"xlsx boolean cell holding a name", xl(xhdr + `<row r="2"><c r="D2" t="b"><v>Zebulon</v></c></row>`),
			Options{}, `cell D2: invalid boolean (value not shown)`},
		{"xlsx date cell holding a GMC number", xl(xhdr + `<row r="2"><c r="E2" t="d"><v>7654321</v></c></row>`),
			Options{}, `cell E2: invalid ISO 8601 date (value not shown)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.file(t)
			_, _, err := loadPlacements(t, tc.opts, path)
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not contain %q", msg, tc.want)
			}
			for _, v := range personal {
				// The --map case names the header the user gave, which is
				// the user's own text, not a cell value.
				if strings.Contains(msg, v) && !(v == "Quixote" && tc.opts.Map != nil) {
					t.Errorf("error quotes personal value %q: %s", v, msg)
				}
			}
		})
	}
}

func TestPlacementsChunkBoundariesConcurrentSink(t *testing.T) {
	defer func(c int) { chunkSize = c }(chunkSize)
	var b strings.Builder
	b.WriteString("Placement TIS ID,NPN,Surname,Forenames,Start Date,End Date,Date of Birth\n")
	const n = 3000
	for i := range n {
		sur := fmt.Sprintf("Surname%d", i)
		switch i % 7 {
		case 3:
			sur = fmt.Sprintf("\"Sur,name\n%d\"", i) // one row, two lines
		case 5:
			sur = fmt.Sprintf("\"Sur \"\"Q\"\" %d\"", i)
		}
		fmt.Fprintf(&b, "%d,NPN/%d,%s,F%d,01/08/2019,%02d/08/2020,%d\n", i, i, sur, i, 1+i%28, i)
	}
	data := b.String()
	for _, size := range []int{64, 1000, 1 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			chunkSize = size
			path := writeTemp(t, "placements.csv", data)
			got, in, err := loadPlacements(t, Options{Workers: 4}, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n || in[0].Rows != n {
				t.Fatalf("%d placements, input rows %d, want %d", len(got), in[0].Rows, n)
			}
			for i, p := range got {
				// Each record is one row however many lines it spans; the
				// header is row 1.
				if p.ID != fmt.Sprint(i) || p.Row != i+2 || p.NPN != fmt.Sprintf("NPN/%d", i) ||
					!p.DateTo.Equal(day(2020, 8, 1+i%28)) {
					t.Fatalf("placement %d: id %s row %d npn %s to %v", i, p.ID, p.Row, p.NPN, p.DateTo)
				}
				// A bare number of up to four digits is no date form: every DOB is a
				// DateIssue without its value.
				if len(p.DateIssues) != 1 || p.DateIssues[0] != (model.DateIssue{Column: "Date of Birth", Value: WithheldValue}) {
					t.Fatalf("placement %d: issues %+v", i, p.DateIssues)
				}
			}
			if got[3].Surname != "Sur,name\n3" || got[5].Surname != `Sur "Q" 5` {
				t.Errorf("quoted surnames %q %q", got[3].Surname, got[5].Surname)
			}
		})
	}
}

func TestPlacementsHeaderOnlyAndBlankCells(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		rows  int
		notes []string
	}{
		{"header only", "Placement TIS ID,NPN,Surname,Forenames,Start Date,End Date\r\n", 0,
			[]string{"no placement rows after the header"}},
		{"required cells blank: loaded, for the reconciliation to report",
			"Placement TIS ID,NPN,Surname,Forenames,Start Date,End Date\n7,,,,,\n,,,,,\n", 1,
			nil}, // the blank row is the last: nothing to say
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "placements.csv", tc.data)
			got, in, err := loadPlacements(t, Options{}, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.rows || in[0].Rows != tc.rows || !reflect.DeepEqual(in[0].Notes, tc.notes) {
				t.Errorf("%d placements, input %+v; want %d rows, notes %q", len(got), in[0], tc.rows, tc.notes)
			}
			for _, p := range got {
				if p.ID != "7" || p.NPN != "" || !p.DateFrom.IsZero() || !p.DateTo.IsZero() || p.DateIssues != nil {
					t.Errorf("placement %+v", p)
				}
			}
		})
	}
}
