package load

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// columns builds Input.Columns from "Header=field" (a used column) or
// "Header" (an unused one), in file order.
func columns(specs ...string) []model.Column {
	out := make([]model.Column, len(specs))
	for i, s := range specs {
		h, f, _ := strings.Cut(s, "=")
		mapped := strings.HasSuffix(f, "!")
		out[i] = model.Column{Column: colLetter(i), Header: h, Field: strings.TrimSuffix(f, "!"), Mapped: mapped}
	}
	return out
}

// rowsOf is what a test compares of an input's skipped rows.
type rowsOf struct{ Header, Title, Footer, Blank, Stray int }

func skipped(in model.Input) rowsOf {
	return rowsOf{in.HeaderRow, in.TitleRows, in.FooterRows, in.BlankRows, in.StrayRows}
}

// TestFooterRows: which rows below the header are records, footers, stray
// rows (not records, with records after them) and blank rows. Rows are
// numbered as Excel shows them; the header is row 1.
func TestFooterRows(t *testing.T) {
	const h = hdr4 + "\n"
	p := func(n string) string { return "504," + n + "," + n + "|x|y|z,KSS/A/1/" + n + "\n" }
	tests := []struct {
		name  string
		data  string
		opts  Options
		rows  []int // rows of the positions loaded
		want  rowsOf
		stray []int
	}{
		{"a lone text cell, padded by Excel", h + p("1") + "Total rows: 1,,,\n", Options{}, []int{2}, rowsOf{1, 0, 1, 0, 0}, nil},
		{"a lone text cell typed without delimiters", h + p("1") + "Report run by: J Smith 25/11/2026 09:14\n", Options{}, []int{2}, rowsOf{1, 0, 1, 0, 0}, nil},
		{"a footer word and a count", h + p("1") + "Total:,1,,\n", Options{}, []int{2}, rowsOf{1, 0, 1, 0, 0}, nil},
		{"several footers below a blank row", h + p("1") + p("2") + "\n,,,\nTotal rows: 2\nEnd of report\n\n\n", Options{},
			[]int{2, 3}, rowsOf{1, 0, 2, 2, 0}, nil}, // the blank lines after the last footer are not counted
		{"every key field blank", h + p("1") + ",,,\n , , ,\n", Options{}, []int{2}, rowsOf{1, 0, 0, 0, 0}, nil},
		{"a subtotal between two groups is a stray row", h + p("1") + "Total for 504: 1,,,\n" + p("2"), Options{},
			[]int{2, 4}, rowsOf{1, 0, 0, 0, 1}, []int{3}},
		{"a blank row inside the data", h + p("1") + "\n" + p("2"), Options{}, []int{2, 4}, rowsOf{1, 0, 0, 1, 0}, nil},
		// A record with only its id or number is a record: the checks report what it lacks.
		{"a lone identifier is a record", h + p("1") + "504,,,\n", Options{}, []int{2, 3}, rowsOf{1, 0, 0, 0, 0}, nil},
		{"a lone identifier without --vpd's column", "Position Number,Position Name,DPN\n1,n,D1\n2,,\n", Options{VPD: "504"},
			[]int{2, 3}, rowsOf{1, 0, 0, 0, 0}, nil},
		{"with --vpd and no VPD column, Total: 14 rows is no position", "Position Number,Position Name,DPN\n1,n,D1\nTotal: 14 rows,,\n",
			Options{VPD: "504"}, []int{2}, rowsOf{1, 0, 1, 0, 0}, nil},
		{"a name that starts with Total is a record", h + "504,9,Total Parenteral Nutrition|x|y|z,KSS/A/1/9\n", Options{},
			[]int{2}, rowsOf{1, 0, 0, 0, 0}, nil},
		{"Totality is no footer word", h + p("1") + "Totality,x,,\n", Options{}, []int{2, 3}, rowsOf{1, 0, 0, 0, 0}, nil},
		{"only footers: no position", h + "Total rows: 0\n", Options{}, nil, rowsOf{1, 0, 1, 0, 0}, nil},
		{"title rows, blank rows, footers", "ESR Position Detail Report,,,\nRun date: 25/11/2026\n,,,\n" + h + p("1") + "\n" + p("2") + "Total rows: 2\n",
			Options{}, []int{5, 7}, rowsOf{4, 3, 1, 1, 0}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "p.csv", tc.data)
			for _, chunk := range []int{1 << 20, 16} { // tiny blocks: the counts add up across them
				func() {
					defer func(c int) { chunkSize = c }(chunkSize)
					chunkSize = chunk
					got, in, err := loadAll(t, Options{VPD: tc.opts.VPD, Workers: 2}, path)
					if err != nil {
						t.Fatal(err)
					}
					var rows []int
					for _, p := range got {
						rows = append(rows, p.Row)
					}
					if !slices.Equal(rows, tc.rows) || skipped(in[0]) != tc.want || !slices.Equal(in[0].StrayRowsAt, tc.stray) ||
						in[0].Rows != len(tc.rows) {
						t.Errorf("chunk %d: rows %v, %+v, stray at %v; want rows %v, %+v, stray at %v",
							chunk, rows, skipped(in[0]), in[0].StrayRowsAt, tc.rows, tc.want, tc.stray)
					}
				}()
			}
		})
	}
}

// TestStrayRowsNamedOncePerFile: the first five stray rows are named, in
// file order, however the file is cut into blocks.
func TestStrayRowsNamedOncePerFile(t *testing.T) {
	var b strings.Builder
	b.WriteString(hdr4 + "\n")
	for i := range 8 {
		fmt.Fprintf(&b, "504,%d,n,D%d\nSubtotal: %d,,,\n", i, i, i)
	}
	b.WriteString("504,99,n,D99\nTotal: 9,,,\n")
	path := writeTemp(t, "p.csv", b.String())
	defer func(c int) { chunkSize = c }(chunkSize)
	for _, chunk := range []int{1 << 20, 20, 7} {
		chunkSize = chunk
		_, in, err := loadAll(t, Options{Workers: 3}, path)
		if err != nil {
			t.Fatal(err)
		}
		// Subtotals on rows 3, 5, ..., 17; the total on row 19 is the footer.
		if in[0].StrayRows != 8 || !slices.Equal(in[0].StrayRowsAt, []int{3, 5, 7, 9, 11}) || in[0].FooterRows != 1 || in[0].Rows != 9 {
			t.Errorf("chunk %d: %+v", chunk, in[0])
		}
		want := "skipped 8 rows inside the data that are not records (rows 3, 5, 7, 9, 11, ...), 1 footer row"
		if !slices.Contains(in[0].Notes, want) {
			t.Errorf("chunk %d: notes %q, want %q", chunk, in[0].Notes, want)
		}
	}
}

// TestHeaderSearch: the header is the first row, within 30, naming every
// required field; --header-row names it; one message otherwise.
func TestHeaderSearch(t *testing.T) {
	body := "504,1,n,D1\n"
	title := func(n int) string { return strings.Repeat("Report title line\n", n) }
	tests := []struct {
		name string
		data string
		opts Options
		want rowsOf
		err  string // the error after "<file>:", when one
	}{
		{"header on row 1", hdr4 + "\n" + body, Options{}, rowsOf{1, 0, 0, 0, 0}, ""},
		{"below title rows in other shapes", "Trust positions report\n\"Run on 25/11/2026, 09:14\"\n;;;\n\"unclosed \"quote\n" + hdr4 + "\n" + body,
			Options{}, rowsOf{5, 4, 0, 0, 0}, ""},
		{"a row naming some fields is a title row when the next names all", "VPD,Notes\n" + hdr4 + "\n" + body, Options{}, rowsOf{2, 1, 0, 0, 0}, ""},
		{"on row 30", title(29) + hdr4 + "\n" + body, Options{}, rowsOf{30, 29, 0, 0, 0}, ""},
		{"on row 31: not looked for", title(30) + hdr4 + "\n" + body, Options{}, rowsOf{},
			"1: no column for required fields vpd"},
		{"--header-row 31", title(30) + hdr4 + "\n" + body, Options{HeaderRow: map[string]int{"": 31}}, rowsOf{31, 30, 0, 0, 0}, ""},
		{"--header-row for this file by name", title(30) + hdr4 + "\n" + body, Options{HeaderRow: map[string]int{"p.csv": 31, "": 1}},
			rowsOf{31, 30, 0, 0, 0}, ""},
		{"--header-row on a data row", hdr4 + "\n" + body, Options{HeaderRow: map[string]int{"": 2}}, rowsOf{},
			"2: no column for required fields vpd"},
		{"--header-row past the end", hdr4 + "\n" + body, Options{HeaderRow: map[string]int{"": 9}}, rowsOf{},
			" --header-row 9: expected a header on row 9, found only 2 rows"},
		{"--header-row on a blank row", "\n" + hdr4 + "\n" + body, Options{HeaderRow: map[string]int{"": 1}}, rowsOf{},
			"1: --header-row 1: expected a header row, found a blank row"},
		{"the row naming most fields is reported", "Title\nVPD,Position No,Post Title,Post Ref\n" + body, Options{}, rowsOf{},
			`2: no column for required fields position_name (headers like "Position Name", "Name", "Post Name", "Position Title", "Full Position Name"; closest header "Post Title"), dpn (`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "p.csv", tc.data)
			got, in, err := loadAll(t, tc.opts, path)
			if tc.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), path+":"+tc.err) {
					t.Fatalf("err = %v\nwant prefix %s:%s", err, path, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Row != tc.want.Header+1 || skipped(in[0]) != tc.want {
				t.Errorf("%+v, %+v; want the position on row %d, %+v", briefs(got), skipped(in[0]), tc.want.Header+1, tc.want)
			}
		})
	}
}

// TestHeaderSearchXLSX: the same in a workbook, whose rows the sheet may
// leave out.
func TestHeaderSearchXLSX(t *testing.T) {
	rows := xrow(1, "ESR Position Detail Report") + xrow(2, "Run date: 25/11/2026") +
		xrow(4, "VPD", "Position Number", "Position Name", "DPN") +
		xrow(5, "504", "1", "n", "D1") + xrow(7, "504", "2", "n", "D2") +
		xrow(8, "Total for 504: 2") + xrow(9, "504", "3", "n", "D3") +
		xrow(11, "Total rows: 3") + xrow(12, "Report run by: J Smith")
	path := workbook(t, "Report", rows)
	got, in, err := loadAll(t, Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{5, 7, 9}; len(got) != 3 || got[0].Row != want[0] || got[1].Row != want[1] || got[2].Row != want[2] {
		t.Errorf("positions %+v", briefs(got))
	}
	// Rows 1-3 above the header; 6 and 10 left out (blank); 8 a stray row; 11-12 footers.
	if skipped(in[0]) != (rowsOf{4, 3, 2, 2, 1}) || !slices.Equal(in[0].StrayRowsAt, []int{8}) {
		t.Errorf("%+v stray at %v", skipped(in[0]), in[0].StrayRowsAt)
	}
	_, _, err = loadAll(t, Options{HeaderRow: map[string]int{"": 3}}, path)
	if err == nil || !strings.Contains(err.Error(), ":3: --header-row 3: expected a header row, found a blank row") {
		t.Errorf("err = %v", err)
	}
}

// TestMapForOneFile: FILE:field applies to that file only and wins over
// field; fields of other kinds of file are left to their loaders.
func TestMapForOneFile(t *testing.T) {
	a := writeTemp(t, "a.csv", "VPD,Position Number,Position Name,Post Ref\n504,1,n,D1\n")
	b := writeTemp(t, "b.csv", "VPD,Position Number,Position Name,Ref\n505,2,n,D2\n")
	m := map[string]string{"dpn": "Ref", "a.csv:dpn": "Post Ref", "surname": "Family Name", b + ":last_name": "X"}
	got, in, err := loadAll(t, Options{Map: m}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].DPN != "D1" || got[1].DPN != "D2" {
		t.Errorf("%+v", briefs(got))
	}
	if c := in[0].Columns[3]; c != (model.Column{Column: "D", Header: "Post Ref", Field: "dpn", Mapped: true}) {
		t.Errorf("a.csv column D %+v", c)
	}
	_, _, err = loadAll(t, Options{Map: map[string]string{"a.csv:dpm": "Post Ref"}}, a)
	if err == nil || err.Error() != a+`: --map a.csv:dpm: unknown field "dpm"; valid fields: `+strings.Join(fieldNamesOf(Fields), ", ") {
		t.Errorf("err = %v", err)
	}
}

// TestCSVDates: Excel serials and two-digit years in a CSV's date columns.
func TestCSVDates(t *testing.T) {
	data := "VPD,Position Number,Position Name,DPN,Effective From Date,Effective To Date\n" +
		"504,1,n,D1,01/08/18,46351\n" +
		"504,2,n,D2,43313.5,25-NOV-26\n" +
		"504,3,n,D3,123,TBC\n"
	got, _, err := loadAll(t, Options{}, writeTemp(t, "p.csv", data))
	if err != nil {
		t.Fatal(err)
	}
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	want := [][2]time.Time{{d(2018, 8, 1), d(2026, 11, 25)}, {d(2018, 8, 1), d(2026, 11, 25)}, {}}
	for i, p := range got {
		if !p.EffectiveFrom.Equal(want[i][0]) || !p.EffectiveTo.Equal(want[i][1]) {
			t.Errorf("row %d: %v %v, want %v", p.Row, p.EffectiveFrom, p.EffectiveTo, want[i])
		}
	}
	if issues := got[2].DateIssues; len(issues) != 2 || issues[0].Value != "123" || issues[1].Value != "TBC" {
		t.Errorf("row 4: issues %+v", issues)
	}
}

// TestTitleAndFooterRowsOfPlacementsAndPeople: the same rules for TIS
// placement and ESR people exports, whose rows are never quoted.
func TestTitleAndFooterRowsOfPlacementsAndPeople(t *testing.T) {
	plc := writeTemp(t, "placements.csv", "TIS Placement Export,,,,,\nExported 25/11/2026,,,,,\n"+
		"Placement TIS ID,Post Number,Trainee Surname,Trainee Forenames,Date From,Date To\n"+
		"1,EOE/RGT00/021/FY1/010,Ahmed,Sara,05/08/2026,04/08/2027\n\n"+
		"2,EOE/RGT00/030/FY2/004,Brown,Tom,05/08/2026,04/08/2027\nTotal placements: 2,,,,,\n")
	got, in, err := loadPlacements(t, Options{}, plc)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Row != 4 || got[1].Row != 6 || skipped(in[0]) != (rowsOf{3, 2, 1, 1, 0}) {
		t.Errorf("placements: %d, %+v", len(got), skipped(in[0]))
	}
	ppl := writeTemp(t, "people.csv", "ESR People Report\nLast Name,First Name,Org VPD\nSmith,Jane,504\nJones,Ann,504\nReport run by: J Smith\n")
	people, in, err := loadPeople(t, Options{}, ppl)
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 2 || people[1].Row != 4 || skipped(in[0]) != (rowsOf{2, 1, 1, 0, 0}) {
		t.Errorf("people: %d, %+v", len(people), skipped(in[0]))
	}
}
