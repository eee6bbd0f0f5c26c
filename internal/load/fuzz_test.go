package load

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// Fuzz targets for every loader. Run one with
//
//	go test -run '^$' -fuzz '^FuzzPositionsCSV$' -fuzztime 2m -parallel 1 ./internal/load/
//
// Seeds: the f.Add calls below plus testdata/fuzz/<FuzzName>/.

// fzFile is a file a fuzz target rewrites on every input: one per target
// and process, in a directory removed when the target ends.
func fzFile(f *testing.F, name string) string {
	f.Helper()
	dir, err := os.MkdirTemp("", "dpnkit-fuzz-")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, name)
}

func fzWrite(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// fzRun is one load of a file: what the sink saw, in the order it saw it
// (one batch after another), the inputs and the error.
type fzRun[T any] struct {
	batches [][]T
	in      []model.Input
	err     error
}

// fzSlow is how long one load of a fuzz input (a few KiB at most, loaded
// in about a millisecond) may take before it counts as a hang: the fuzzer
// has no time limit of its own per input.
const fzSlow = 20 * time.Second

// fzLoad runs load (Positions or Placements) with the given chunk size and
// workers, keeping a clone of every record. A load that takes longer than
// fzSlow fails the input.
func fzLoad[T any](t *testing.T, path string, chunk, workers int, clone func(T) T,
	load func(context.Context, []string, Options, func([]T)) ([]model.Input, error)) fzRun[T] {
	t.Helper()
	defer func(c int) { chunkSize = c }(chunkSize)
	chunkSize = chunk
	var (
		mu   sync.Mutex
		run  fzRun[T]
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		run.in, run.err = load(context.Background(), []string{path}, Options{Workers: workers}, func(b []T) {
			kept := make([]T, len(b))
			for i := range b {
				kept[i] = clone(b[i])
			}
			mu.Lock()
			run.batches = append(run.batches, kept)
			mu.Unlock()
		})
	}()
	select {
	case <-done:
	case <-time.After(fzSlow):
		t.Fatalf("load of a %d-byte input took over %v", fzSize(path), fzSlow)
	}
	return run
}

func fzSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return st.Size()
}

// fzCheck checks what every load must give: a *Error, or records whose
// rows (row(r)) are strictly increasing in file order, from 2 (past a
// header) to maxRow, and one input whose Rows counts them.
// ordered says the sink was called in file order (one worker, or a
// sequential loader); otherwise each batch must be increasing and all rows
// distinct. It returns the records sorted by row.
func fzCheck[T any](t *testing.T, maxRow int, run fzRun[T], ordered bool, row func(T) int) []T {
	t.Helper()
	if run.err != nil {
		var le *Error
		if !errors.As(run.err, &le) {
			t.Fatalf("err = %v (%T), want a *load.Error", run.err, run.err)
		}
		// Error's contract: one line (a value from the file is quoted).
		if strings.ContainsAny(run.err.Error(), "\r\n") {
			t.Fatalf("error of more than one line: %q", run.err)
		}
		return nil
	}
	if len(run.in) != 1 {
		t.Fatalf("%d inputs for one file", len(run.in))
	}
	var all []T
	prev := 0
	for _, b := range run.batches {
		if len(b) == 0 {
			t.Errorf("sink called with an empty batch")
		}
		if !ordered {
			prev = 0
		}
		for _, r := range b {
			n := row(r)
			if n <= prev {
				t.Fatalf("row %d after row %d", n, prev)
			}
			if n < 2 || n > maxRow {
				t.Fatalf("row %d: want 2..%d", n, maxRow)
			}
			prev = n
		}
		all = append(all, b...)
	}
	slices.SortFunc(all, func(a, b T) int { return row(a) - row(b) })
	for i := 1; i < len(all); i++ {
		if row(all[i]) == row(all[i-1]) {
			t.Fatalf("row %d delivered twice", row(all[i]))
		}
	}
	if run.in[0].Rows != len(all) {
		t.Errorf("Input.Rows = %d, sink got %d records", run.in[0].Rows, len(all))
	}
	return all
}

func posRow(p model.Position) int                { return p.Row }
func plcRow(p model.Placement) int               { return p.Row }
func posClone(p model.Position) model.Position   { return p.Clone() }
func plcClone(p model.Placement) model.Placement { return p.Clone() }

// fzMaxRow bounds the rows of a text file's records: a record takes at
// least one line (a line feed byte, in UTF-16 too, ends each but the last).
// A file the sniffer takes for a workbook has sheet rows instead.
func fzMaxRow(data []byte) int {
	if bytes.HasPrefix(data, zipMagic) {
		return 1 << 20
	}
	return bytes.Count(data, []byte{'\n'}) + 1
}

// fzSame fails unless two loads of one file agree: the same error text, or
// the same records (compared after sorting by row) and inputs.
func fzSame[T any](t *testing.T, what string, a, b fzRun[T], sa, sb []T) {
	t.Helper()
	ea, eb := fmt.Sprint(a.err), fmt.Sprint(b.err)
	if ea != eb {
		t.Fatalf("%s: errors differ:\n%s\n%s", what, ea, eb)
	}
	if a.err != nil {
		return
	}
	if len(sa) != len(sb) {
		t.Fatalf("%s: %d records, then %d", what, len(sa), len(sb))
	}
	for i := range sa {
		if x, y := fmt.Sprintf("%+v", sa[i]), fmt.Sprintf("%+v", sb[i]); x != y {
			t.Fatalf("%s: record %d differs:\n%s\n%s", what, i, x, y)
		}
	}
	if x, y := fmt.Sprintf("%+v", a.in), fmt.Sprintf("%+v", b.in); x != y {
		t.Fatalf("%s: inputs differ:\n%s\n%s", what, x, y)
	}
}

const (
	fzHdr = "VPD,Position Number,Position Name,Effective From Date,Effective To Date,Deanery Post Number,Notes"
	fzPOA = "POA~654321~20080401~~3560241~3560241|Consultant|021|General Surgery|~1~4311100~Medical and Dental~Consultant~021~YM72~YM72|1~Not Applicable~387169~Active~NONE~Yes~No~KSS/RJZ01/030/STR/001~KSS~WOC~20091109 154418~Consultants"
	fzHDR = "HDR~GO_504_EXP_GOF_20121113_00000001.DAT~20121113 101010~504~20121112 101010~20121113 101010~1.0"
	fzTIS = "Placement TIS ID;National Post Number;Surname;Forenames;GMC Number;Date of Birth;Start Date;End Date;Lifecycle State;Notes"
)

// fzCSVSeeds are delimited files covering the shapes the loader accepts.
var fzCSVSeeds = []string{
	fzHdr + "\n504,1,n1,2020-01-01,,KSS/RJZ01/030/STR/001,\n504,2,\"multi\nline\",01/02/2020,31-JAN-2021,\"KSS/RJZ01/030/FY1/002 \",\"say \"\"hi\"\"\"\n",
	"\r\n\r\n" + strings.ReplaceAll(fzHdr, ",", ";") + "\r\n504;1;n;8 August 2019;;D1;x\r\n\r\n504;2;n;;;D2;\r\n",
	strings.ReplaceAll(fzHdr, ",", "\t") + "\n504\t1\tn\t20200101\t\tD1\t\n",
	strings.ReplaceAll(fzHdr, ",", "~") + "\n504~1~n~~~D1~\n",
	"\xef\xbb\xbf" + fzHdr + "\n504,1,Caf\xe9,,,D1,\n",
	"\xff\xfeV\x00P\x00D\x00,\x00D\x00P\x00N\x00,\x00N\x00a\x00m\x00e\x00,\x00P\x00o\x00s\x00i\x00t\x00i\x00o\x00n\x00\n\x005\x000\x004\x00,\x00D\x00,\x00n\x00,\x001\x00\n\x00",
	fzHdr + "\n504,1,\"open,,,D1,\n504,2,n,,,D2,\n",
	fzHdr + "\n504,1,5\" screen,,,D1,\n",
	fzHdr + "\n,1,n,,,D1,\n",
	fzHdr + "\n504,1,n\n",
	"VPD,Position Number,Title,DPN\n504,1,n,d\n",
	// Title rows above the header, a stray row, a blank row and footers.
	"ESR Position Detail Report,,,,,,\nRun date: 25/11/2026 09:14\n,,,,,,\n" + fzHdr + "\n504,1,n,01/08/18,46351,D1,\nTotal for 504: 1,,,,,,\n\n504,2,n,,,D2,\n\nTotal rows: 2\nReport run by: J Smith\n",
	"",
	"\x00\x01binary",
}

func FuzzPositionsCSV(f *testing.F) {
	for _, s := range fzCSVSeeds {
		f.Add([]byte(s))
	}
	path := fzFile(f, "positions.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fzWrite(t, path, data)
		// One block, one worker: the sink sees the file in order.
		one := fzLoad(t, path, 1<<20, 1, posClone, Positions)
		sorted := fzCheck(t, fzMaxRow(data), one, true, posRow)
		// Tiny blocks parsed in parallel must give the same answer.
		many := fzLoad(t, path, 64, 2, posClone, Positions)
		manySorted := fzCheck(t, fzMaxRow(data), many, false, posRow)
		fzSame(t, "64-byte blocks, 2 workers", one, many, sorted, manySorted)
		for _, p := range sorted {
			if p.Format != model.FormatCSV && p.Format != model.FormatXLSX && p.Format != model.FormatGO {
				t.Errorf("row %d: format %q", p.Row, p.Format)
			}
			if p.VPD == "" {
				t.Errorf("row %d: blank VPD loaded", p.Row)
			}
		}
	})
}

func FuzzPlacements(f *testing.F) {
	for _, s := range []string{
		fzTIS + "\r\n1716002;EAN/RA/02/015/SPQ/001;Ghani;Yaser;7021070;14/03/1990;07-AUG-2019;2020-08-04;APPROVED;n1\r\n\r\n" +
			"1700913;\"EAN/RA/02/015/SPQ/002 \";Patel;\"Aarti; Jane\";7455687;31/02/1990;soon;04/08/2020 09:30;DRAFT;\"multi\r\nline\"\r\n;;;;;;;;;\r\n",
		strings.ReplaceAll(fzTIS, ";", ",") + "\n1,N,S,F,,,2020-01-01,2021-01-01,,\n",
		"Forename,Surname\nJane,Doe\n",
		fzTIS + "\n1;\"N;S;F;;;;;;\n",
		fzGOSeeds[0],
	} {
		f.Add([]byte(s))
	}
	path := fzFile(f, "placements.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fzWrite(t, path, data)
		one := fzLoad(t, path, 1<<20, 1, plcClone, Placements)
		sorted := fzCheck(t, fzMaxRow(data), one, true, plcRow)
		many := fzLoad(t, path, 64, 2, plcClone, Placements)
		manySorted := fzCheck(t, fzMaxRow(data), many, false, plcRow)
		fzSame(t, "64-byte blocks, 2 workers", one, many, sorted, manySorted)
		for _, p := range sorted {
			for _, d := range p.DateIssues {
				if fzDOB[normHeader(d.Column)] && d.Value != WithheldValue {
					t.Errorf("row %d: date of birth issue quotes %q", p.Row, d.Value)
				}
			}
		}
	})
}

// fzDOB holds the normalised headers of the date of birth column.
var fzDOB = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range PlacementFields[pDOB].Aliases {
		m[normHeader(a)] = true
	}
	return m
}()

var fzGOSeeds = []string{
	fzHDR + "\n" + fzPOA + "\nLCA~1~Site\nPOD~654000\n" + strings.Replace(fzPOA, "3560241~3560241", "3560242~3560242", 1) + "\nTRL~6\n",
	// A DPN split by a line feed, re-joined.
	fzHDR + "\r\n" + strings.Replace(fzPOA, "KSS/RJZ01/", "KSS/RJZ01/\r\n", 1) + "\r\nTRL~3\r\n",
	fzHDR + "\n" + fzPOA + "\n",               // no trailer
	fzHDR + "\n" + fzPOA + "\nTRL~9\n",        // wrong count
	fzHDR + "\nPOA~1~2\nx\ny\nz\nTRL~3\n",     // cannot repair
	"POA~1\nHDR~x\n",                          // no header first
	"\xef\xbb\xbf" + fzHDR + "\nTRL~2\n",      // BOM
	fzHDR + "\n" + fzPOA + "\nTRL~2\nPOA~1\n", // data after the trailer
}

func FuzzGO(f *testing.F) {
	for _, s := range fzGOSeeds {
		f.Add([]byte(s))
	}
	path := fzFile(f, "GO_504.DAT")
	f.Fuzz(func(t *testing.T, data []byte) {
		fzWrite(t, path, data)
		run := fzLoad(t, path, 1<<20, 1, posClone, Positions)
		sorted := fzCheck(t, fzMaxRow(data), run, true, posRow)
		repaired := 0
		for _, p := range sorted {
			if p.Repaired {
				repaired++
			}
			if p.Format == model.FormatGO && len(p.Extra) != len(goExtra) {
				t.Errorf("row %d: %d extra values, want %d", p.Row, len(p.Extra), len(goExtra))
			}
		}
		if run.err == nil && run.in[0].Format == model.FormatGO && run.in[0].Repaired != repaired {
			t.Errorf("Input.Repaired = %d, %d positions marked repaired", run.in[0].Repaired, repaired)
		}
	})
}

// fzStoredBook is a workbook whose parts are stored uncompressed with no
// CRC-32 (archive/zip checks none when it is zero), so that the fuzzer's
// mutations reach the XML: a deflated part, or a stored part with a
// checksum, fails its check once mutated. rows is the inside of <sheetData>.
func fzStoredBook(rows string) []byte {
	parts := [][2]string{
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Positions" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`},
		{"xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>VPD</t></si><si><t xml:space="preserve">KSS/RJZ01/030/STR/001 </t></si></sst>`},
		{"xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p[0], Method: zip.Store,
			CompressedSize64: uint64(len(p[1])), UncompressedSize64: uint64(len(p[1]))})
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(p[1])); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func FuzzPositionsXLSX(f *testing.F) {
	is := func(ref, v string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t xml:space="preserve">` + v + `</t></is></c>`
	}
	hdr := `<row r="1"><c r="A1" t="s"><v>0</v></c>` + is("B1", "Position Number") + is("C1", "Position Name") +
		is("D1", "DPN") + is("E1", "Effective From Date") + is("F1", "Extra") + `</row>`
	f.Add(fzStoredBook(hdr + `<row r="2">` + is("A2", "504") + `<c r="B2"><v>1</v></c>` + is("C2", "n_x0009_") +
		`<c r="D2" t="s"><v>1</v></c><c r="E2" s="1"><v>43831</v></c><c r="G2"><v>9</v></c></row>` +
		`<row r="4">` + is("A4", "504") + is("B4", "2") + is("C4", "n") + is("D4", "D2") + is("E4", "31/02/2020") + `</row>`))
	f.Add(fzStoredBook(`<row r="3"/>` + hdr + `<row>` + is("A2", " ") + `</row>`))
	f.Add(fzStoredBook(`<row r="1">` + is("A1", "Title") + `</row>`))
	f.Add(fzStoredBook(hdr + `<row r="2"><c r="A2" t="s"><v>7</v></c></row>`))
	f.Add([]byte("PK\x03\x04 not a zip"))
	path := fzFile(f, "positions.xlsx")
	f.Fuzz(func(t *testing.T, data []byte) {
		fzWrite(t, path, data)
		run := fzLoad(t, path, 1<<20, 1, posClone, Positions)
		for _, p := range fzCheck(t, 1<<20, run, true, posRow) {
			if p.Format != model.FormatXLSX && p.Format != model.FormatCSV {
				t.Errorf("row %d: format %q from a .xlsx file", p.Row, p.Format)
			}
		}
	})
}

// fzDateLayouts are accepted forms of inputs.md "Dates", as time layouts.
var fzDateLayouts = []string{
	"2006-01-02", "20060102", "02-Jan-2006", "02/01/2006", "2/1/2006",
	"2 January 2006", "02 Jan 2006", "2006-01-02 15:04:05", "02/01/2006 15:04", "20060102 150405",
	"2006-01-02T15:04:05.000",
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2020-02-29", "20200229", "29-FEB-2020", "29/02/2020", "29 February 2020",
		"29 Feb 2020", "1 Sept 2019", "2019-11-13 10:10:10", "20121113 101010", "2020-01-01T00:00:00.000",
		"31/02/2020", "2021-02-29", "0000-01-01", "9999-12-31", " \t", "01/13/2020", "2020-01-01 24:00", "13-Foo-2020"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseDate(s)
		if !ok {
			if !got.IsZero() {
				t.Fatalf("ParseDate(%q) = %v, false: want the zero time", s, got)
			}
		} else if strings.Trim(s, " \t\r\n") == "" {
			if !got.IsZero() {
				t.Fatalf("ParseDate(%q) = %v for a blank value, want the zero time", s, got)
			}
		} else {
			if got.Location() != time.UTC || got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0 || got.Nanosecond() != 0 {
				t.Fatalf("ParseDate(%q) = %v, want UTC midnight", s, got)
			}
			if y := got.Year(); y < 1 || y > 9999 {
				t.Fatalf("ParseDate(%q) = %v: year out of range", s, got)
			}
			forms := []string{strings.ToUpper(got.Format("02-Jan-2006")), strings.ToLower(got.Format("2 January 2006"))}
			for _, l := range fzDateLayouts {
				forms = append(forms, got.Format(l))
			}
			for _, form := range forms {
				again, ok := ParseDate(form)
				if !ok || !again.Equal(got) {
					t.Fatalf("ParseDate(%q) = %v; formatted as %q it reads back as %v, %v", s, got, form, again, ok)
				}
			}
			if again, ok := ParseDate(" " + s + "\r\n"); !ok || !again.Equal(got) {
				t.Fatalf("ParseDate(%q) = %v, but with white space around it %v, %v", s, got, again, ok)
			}
		}
		// Whatever the standard library reads in an accepted form (years from
		// 1), ParseDate reads the same; except that time.Parse takes a signed
		// fraction (",+00" as ".000"), which is no accepted form.
		for _, l := range fzDateLayouts {
			if strings.ContainsAny(s[min(len(s), 11):], "+-") {
				break
			}
			want, err := time.Parse(l, s)
			if err != nil || want.Year() < 1 {
				continue
			}
			want = time.Date(want.Year(), want.Month(), want.Day(), 0, 0, 0, 0, time.UTC)
			if !ok || !got.Equal(want) {
				t.Fatalf("time.Parse(%q, %q) = %v, ParseDate = %v, %v", l, s, want, got, ok)
			}
		}
	})
}

// TestParseDateTimePart covers the values FuzzParseDate found read
// differently from time.Parse: a one-digit hour (Excel's "h:mm"), a ','
// before fractional seconds, runs of spaces in "13 November 2019".
func TestParseDateTimePart(t *testing.T) {
	d := time.Date(2019, 11, 13, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in string
		ok bool
	}{
		{"13/11/2019 9:30", true},
		{"13/11/2019 09:30", true},
		{"2019-11-13 0:00:00", true},
		{"2019-11-13T9:05:59.5", true},
		{"13-NOV-2019 23:59", true},
		{"13/11/2019 24:00", false},
		{"13/11/2019 9:60", false},
		{"13/11/2019 9:5", false},
		{"13/11/2019 123:00", false},
		{"13/11/2019 :30", false},
		{"13/11/2019 9:30:", false},
		{"13/11/2019 9", false},
		{"2019-11-13 9:30:00,5", true},
		{"2019-11-13 9:30:00,", false},
		{"2019-11-13 9:30,5", false},
		{"13  November   2019", true},
		{"13 Nov  2019  09:30", true},
		{"13 Nov 2019\t09:30", false},
	}
	for _, tc := range tests {
		got, ok := ParseDate(tc.in)
		if ok != tc.ok || ok && !got.Equal(d) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.in, got, ok, tc.ok)
		}
	}
}

// TestDisplayHeaderBlank covers what FuzzHeader found: a header of only
// white space other than space, tab and line breaks (a form feed) was shown
// as itself, invisible, instead of by its column letter.
func TestDisplayHeaderBlank(t *testing.T) {
	tests := []struct {
		h    string
		col  int
		want string
	}{
		{"\f", 4, "(column E)"},
		{" \v\u00a0", 0, "(column A)"},
		{"\ufeff", 27, "(column AB)"},
		{"\u00a0Notes\u2003", 1, "Notes"},
		{"\ufeffVPD ", 0, "VPD"},
		{"Position\fName", 2, "Position\fName"},
	}
	for _, tc := range tests {
		if got := displayHeader(tc.h, tc.col); got != tc.want {
			t.Errorf("displayHeader(%q, %d) = %q, want %q", tc.h, tc.col, got, tc.want)
		}
	}
}

// TestErrorOneLine: a header with a line break in it, named in an error,
// is quoted so that the error stays one line.
func TestErrorOneLine(t *testing.T) {
	path := writeTemp(t, "p.csv", "VPD,Position Number,\"Position\nName\",DPN\n504,1,5\" screen,d\n")
	_, _, err := loadAll(t, Options{}, path)
	want := path + `:2: column "Position\nName": expected a quoted field or no quote at all, found a " inside an unquoted field: quote the whole field and double the inner quote ("")`
	if err == nil || err.Error() != want {
		t.Errorf("err = %q\nwant %q", err, want)
	}
}

// FuzzHeader resolves arbitrary header lines against the position and the
// placement fields and checks the layout against an oracle built from the
// alias table: a field is found when exactly one column names it (two are
// an error), and a missing required field is an error.
func FuzzHeader(f *testing.F) {
	for _, s := range []string{
		"VPD,Position Number,Position Name,DPN",
		"vpd_code;ESR-Position;name;Training Post Number;Position ID;Notes;;",
		"\ufeffEmploying Org VPD Code\tPosition No\tPOSITION  NAME\tD.P.N\tStatus\tStatus",
		`"VPD","Position Number","Name",DPN,"Position Name"`,
		"Placement TIS ID,NPN,Surname,Forenames,Start Date,End Date,DOB,Date of Birth",
		"Placement ID~Post Number~Last Name~First Name~Date From~Date To~Notes",
		"Jane,Doe,1990-01-01",
		"",
		`"unclosed,VPD`,
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, line string, withVPD bool) {
		if strings.ContainsAny(line, "\r\n") {
			return // one header line
		}
		hdr, _, kind, _ := parseRecord(line, 0, sniffDelim([]byte(line)), nil, true)
		if kind != recOK {
			return
		}
		opts := Options{}
		if withVPD {
			opts.VPD = "504"
		}
		for _, fs := range []*fieldSet{positionFields, placementFields} {
			lay, err := resolveLayout(fs, "h.csv", 3, hdr, opts)

			// The oracle: which columns name each field.
			cols := make([][]int, len(fs.fields))
			named := false
			for i, h := range hdr {
				n := normHeader(h)
				for fi, fd := range fs.fields {
					for _, a := range fd.Aliases {
						if normHeader(a) == n {
							cols[fi] = append(cols[fi], i)
							named = true
							break
						}
					}
				}
			}
			wantErr := fs.personal && !named
			for fi, fd := range fs.fields {
				optional := !fd.Required || fi == fs.vpd && opts.VPD != ""
				if len(cols[fi]) > 1 || len(cols[fi]) == 0 && !optional {
					wantErr = true
				}
			}
			if (err != nil) != wantErr {
				t.Fatalf("%s header %q: err = %v, want an error: %v", fs.noun, hdr, err, wantErr)
			}
			if err != nil {
				var le *Error
				if !errors.As(err, &le) || le.File != "h.csv" || le.Line != 3 {
					t.Fatalf("err = %#v, want a *Error at h.csv:3", err)
				}
				continue
			}
			taken := make([]bool, len(hdr))
			for fi := range fs.fields {
				want := -1
				if len(cols[fi]) == 1 {
					want = cols[fi][0]
				}
				if lay.col[fi] != want {
					t.Fatalf("%s header %q: field %s at column %d, want %d", fs.noun, hdr, fs.fields[fi].Name, lay.col[fi], want)
				}
				if want >= 0 {
					taken[want] = true
					if lay.idx[fi] != want {
						t.Fatalf("idx[%d] = %d, want %d", fi, lay.idx[fi], want)
					}
				} else if lay.idx[fi] != len(hdr) {
					t.Fatalf("idx[%d] = %d for an absent field, want %d", fi, lay.idx[fi], len(hdr))
				}
			}
			var extra []int
			for i, tk := range taken {
				if !tk {
					extra = append(extra, i)
				}
			}
			if !slices.Equal(lay.extra, extra) || len(lay.extraHdr) != len(extra) || len(lay.headers) != len(hdr) {
				t.Fatalf("%s header %q: extra %v (%d headers), want %v", fs.noun, hdr, lay.extra, len(lay.extraHdr), extra)
			}
			for i, h := range lay.headers {
				if strings.TrimSpace(h) == "" {
					t.Fatalf("column %d displayed as %q", i, h)
				}
			}
		}
	})
}
