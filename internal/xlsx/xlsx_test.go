package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRel  = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relWS  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
	relSST = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
	relSty = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
)

// zipBytes builds a zip archive from part name -> content, in name order.
func zipBytes(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	return zipWith(t, parts, zip.Deflate)
}

// zipWith builds a zip archive with the given compression method; Store
// lets a fuzzer mutate the XML itself.
func zipWith(t testing.TB, parts map[string]string, method uint16) []byte {
	t.Helper()
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, parts[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type sheet struct{ name, target, data string }

// book returns the parts of a workbook with the given sheets (data is the
// inside of <sheetData>), plus extra parts (sharedStrings, styles).
func book(sheets []sheet, extra map[string]string) map[string]string {
	var wb, rels strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<workbook " + nsMain + " " + nsRel + "><sheets>")
	rels.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	parts := map[string]string{}
	for i, s := range sheets {
		id := "rId" + string(rune('1'+i))
		wb.WriteString(`<sheet name="` + s.name + `" sheetId="` + string(rune('1'+i)) + `" r:id="` + id + `"/>`)
		target := s.target
		if target == "" {
			target = "worksheets/sheet" + string(rune('1'+i)) + ".xml"
		}
		rels.WriteString(`<Relationship Id="` + id + `" Type="` + relWS + `" Target="` + target + `"/>`)
		parts[resolve("xl", target)] = `<worksheet ` + nsMain + `><dimension ref="A1"/><sheetData>` + s.data + `</sheetData><pageMargins left="0.7"/></worksheet>`
	}
	wb.WriteString("</sheets></workbook>")
	rels.WriteString(`<Relationship Id="rId8" Type="` + relSST + `" Target="sharedStrings.xml"/>`)
	rels.WriteString(`<Relationship Id="rId9" Type="` + relSty + `" Target="styles.xml"/>`)
	rels.WriteString("</Relationships>")
	parts["xl/workbook.xml"] = wb.String()
	parts["xl/_rels/workbook.xml.rels"] = rels.String()
	for k, v := range extra {
		parts[k] = v
	}
	return parts
}

func openBytes(t testing.TB, data []byte, sheet string, lim Limits) (*Reader, error) {
	t.Helper()
	return Open(writeFile(t, "positions.xlsx", data), sheet, lim)
}

type row struct {
	n     int
	cells []Cell
}

// readAll returns the rows read and the error that ended reading (nil at EOF).
func readAll(r *Reader) ([]row, error) {
	var rows []row
	for {
		n, cells, err := r.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row{n, cells})
	}
}

const sharedStrings = `<?xml version="1.0" encoding="UTF-8"?>
<sst ` + nsMain + ` count="6" uniqueCount="6">
  <si><t>Deanery Post Number</t></si>
  <si><r><rPr><b/></rPr><t>KSS/RJZ01/</t></r><r><t xml:space="preserve">030/STR/001 </t></r></si>
  <si><t xml:space="preserve">  lead
trail	</t></si>
  <si><t>EOE/RGT00/021_x0009_/FY1/010</t><rPh sb="0" eb="1"><t>PHONETIC</t></rPh><phoneticPr fontId="1"/></si>
  <si><t>_x005F_x0009_ &amp; &lt;ok&gt;</t></si>
  <si/>
</sst>`

// Styles: xf 0 General, 1 built-in 14 (date), 2 custom 164 dd/mm/yyyy,
// 3 custom 165 "0.00" (not a date), 4 built-in 22 (date time), 5 built-in 49 (text).
const styles = `<styleSheet ` + nsMain + `>
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="0.00"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"><alignment horizontal="left"/></xf><xf numFmtId="165"/><xf numFmtId="22"/><xf numFmtId="49"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0"/></cellStyles>
</styleSheet>`

func TestRead(t *testing.T) {
	data := `
<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s" s="5"><v>2</v></c></row>
<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c></row>
<row r="4"><c r="B4" s="1"><v>43831</v></c><c r="D4" s="2"><v>43831.5</v></c><c r="E4" s="3"><v>1.5</v></c><c r="F4"><v>42</v></c><c r="G4" s="4" t="n"><v>44000.25</v></c></row>
<row><c t="inlineStr"><is><t xml:space="preserve"> in	line </t></is></c><c t="inlineStr"><is><r><t>tab_x0009_</t></r><r><t>end</t></r></is></c><c t="str"><f>A1&amp;"x"</f><v>formula_x000A_text</v></c></row>
<row><c r="C6" t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c><c s="1"/><c t="s" s="3"/></row>
<row r="7"/>
<row r="9" customHeight="1"><c r="XFD9" t="inlineStr"><is><t>last</t></is></c></row>
<row r="10"><c r="A10" t="d"><v>2020-01-01T12:00:00</v></c><c t="d"><v>1900-01-01</v></c></row>`
	p := writeFile(t, "positions.xlsx", zipBytes(t, book([]sheet{{name: "Data", data: data}}, map[string]string{
		"xl/sharedStrings.xml": sharedStrings,
		"xl/styles.xml":        styles,
	})))
	r, err := Open(p, "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.SheetName() != "Data" || r.Date1904() {
		t.Errorf("SheetName, Date1904 = %q, %v; want Data, false", r.SheetName(), r.Date1904())
	}
	str := func(s string) Cell { return Cell{Value: s} }
	lastRow := make([]Cell, 16384)
	lastRow[16383] = str("last")
	want := []row{
		{1, []Cell{str("Deanery Post Number"), str("KSS/RJZ01/030/STR/001 "), str("  lead\ntrail\t")}},
		{2, []Cell{str("EOE/RGT00/021\t/FY1/010"), str("_x0009_ & <ok>")}},
		{4, []Cell{{}, {"43831", true, true}, {}, {"43831.5", true, true}, {"1.5", true, false}, {"42", true, false}, {"44000.25", true, true}}},
		{5, []Cell{str(" in\tline "), str("tab\tend"), str("formula\ntext")}},
		{6, []Cell{{}, {}, str("TRUE"), str("FALSE"), str("#N/A")}},
		{7, nil},
		{9, lastRow},
		{10, []Cell{{"43831.5", true, true}, {"1", true, true}}},
	}
	got, err := readAll(r)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].n != want[i].n || !slices.Equal(got[i].cells, want[i].cells) {
			if len(got[i].cells) > 20 {
				t.Errorf("row %d: got row %d with %d cells, want row %d with %d", i, got[i].n, len(got[i].cells), want[i].n, len(want[i].cells))
				continue
			}
			t.Errorf("row %d:\n got %d %+v\nwant %d %+v", i, got[i].n, got[i].cells, want[i].n, want[i].cells)
		}
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Errorf("Next after end = %v, want io.EOF", err)
	}
}

func TestSheetChoice(t *testing.T) {
	sheets := []sheet{
		{name: "Alpha", data: `<row r="1"><c r="A1" t="inlineStr"><is><t>first</t></is></c></row>`},
		{name: "Beta &amp; Co", target: "/xl/worksheets/other.xml", data: `<row r="3"><c r="B3" t="inlineStr"><is><t>second</t></is></c></row>`},
	}
	data := zipBytes(t, book(sheets, nil)) // no sharedStrings or styles part: both optional
	tests := []struct {
		sheet, wantName, wantErr string
		wantRow                  int
		wantCells                []Cell
	}{
		{"", "Alpha", "", 1, []Cell{{Value: "first"}}},
		{"Beta & Co", "Beta & Co", "", 3, []Cell{{}, {Value: "second"}}},
		{"beta & co", "Beta & Co", "", 3, []Cell{{}, {Value: "second"}}},
		{"Gamma", "", `positions.xlsx: no sheet "Gamma"; sheets found: "Alpha", "Beta & Co"`, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.sheet, func(t *testing.T) {
			r, err := openBytes(t, data, tc.sheet, Limits{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			n, cells, err := r.Next()
			if err != nil || r.SheetName() != tc.wantName || n != tc.wantRow || !slices.Equal(cells, tc.wantCells) {
				t.Errorf("sheet %q row %d %+v err %v; want %q row %d %+v", r.SheetName(), n, cells, err, tc.wantName, tc.wantRow, tc.wantCells)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	inline := func(s string) string { return `<c t="inlineStr"><is><t>` + s + `</t></is></c>` }
	rows := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString("<row>" + inline("x") + "</row>")
		}
		return b.String()
	}
	oneSheet := func(data string, extra map[string]string) []byte {
		return zipBytes(t, book([]sheet{{name: "Data", data: data}}, extra))
	}
	bomb := oneSheet(`<row><c t="inlineStr"><is><t>`+strings.Repeat("A", 100000)+`</t></is></c></row>`, nil)
	tests := []struct {
		name     string
		data     []byte
		lim      Limits
		wantRows int    // rows read before the error
		wantErr  string // "" = Open fails with notOpen; else Next
		openErr  string
	}{
		{name: "bomb", data: bomb, lim: Limits{MaxUncompressed: 4096},
			openErr: `positions.xlsx: sheet "Data": uncompressed data exceeds the MaxUncompressed limit of 4096 bytes`},
		{name: "bomb in shared strings", lim: Limits{MaxUncompressed: 4096},
			data:    oneSheet("", map[string]string{"xl/sharedStrings.xml": "<sst><si><t>" + strings.Repeat("B", 10000) + "</t></si></sst>"}),
			openErr: "positions.xlsx: xl/sharedStrings.xml: uncompressed data exceeds the MaxUncompressed limit of 4096 bytes"},
		{name: "max rows", data: oneSheet(rows(3), nil), lim: Limits{MaxRows: 2}, wantRows: 2,
			wantErr: `positions.xlsx: sheet "Data": more than the MaxRows limit of 2 rows`},
		{name: "max rows exact", data: oneSheet(rows(2), nil), lim: Limits{MaxRows: 2}, wantRows: 2},
		{name: "cell too long", data: oneSheet(`<row r="7"><c r="C7" t="inlineStr"><is><t>abcdef</t></is></c></row>`, nil), lim: Limits{MaxCellBytes: 5},
			wantErr: `positions.xlsx: sheet "Data": cell C7: value longer than the MaxCellBytes limit of 5 bytes`},
		{name: "cell at limit after unescape", data: oneSheet(`<row>`+inline("ab_x0009_de")+`</row>`, nil), lim: Limits{MaxCellBytes: 5}, wantRows: 1},
		{name: "cell far too long", data: oneSheet(`<row>`+inline(strings.Repeat("z", 200))+`</row>`, nil), lim: Limits{MaxCellBytes: 5},
			wantErr: `cell A1: value longer than the MaxCellBytes limit of 5 bytes`},
		{name: "shared string too long", lim: Limits{MaxCellBytes: 3},
			data:    oneSheet("", map[string]string{"xl/sharedStrings.xml": "<sst><si><t>abc</t></si><si><t>abcd</t></si></sst>"}),
			openErr: "positions.xlsx: xl/sharedStrings.xml: string 1 is longer than the MaxCellBytes limit of 3 bytes"},
		{name: "bad shared index", data: oneSheet(`<row r="2"><c r="B2" t="s"><v>3</v></c></row>`, nil),
			wantErr: `positions.xlsx: sheet "Data": cell B2: shared string index "3" out of range (table has 0)`},
		{name: "bad number", data: oneSheet(`<row><c><v>12x</v></c></row>`, nil),
			wantErr: `cell A1: invalid number "12x"`},
		{name: "bad reference", data: oneSheet(`<row><c r="7C"><v>1</v></c></row>`, nil),
			wantErr: `cell "7C": invalid cell reference`},
		{name: "bad row number", data: oneSheet(`<row r="0"/>`, nil),
			wantErr: `row "0": invalid row number`},
		{name: "truncated xml", data: oneSheet(`<row><c><v>1</v></c>`, nil),
			wantErr: `positions.xlsx: sheet "Data": malformed xml`},
		{name: "truncated between rows", wantRows: 1, wantErr: `positions.xlsx: sheet "Data": malformed xml: unexpected EOF: <sheetData> not closed`,
			data: func() []byte {
				p := book([]sheet{{name: "Data"}}, nil)
				p["xl/worksheets/sheet1.xml"] = `<worksheet ` + nsMain + `><sheetData><row r="1"><c><v>1</v></c></row>`
				return zipBytes(t, p)
			}()},
		{name: "truncated in a cell", wantErr: `positions.xlsx: sheet "Data": malformed xml`,
			data: func() []byte {
				p := book([]sheet{{name: "Data"}}, nil)
				p["xl/worksheets/sheet1.xml"] = `<worksheet ` + nsMain + `><sheetData><row r="1"><c><v>1`
				return zipBytes(t, p)
			}()},
		{name: "checksum", wantRows: 1, wantErr: `positions.xlsx: sheet "Data": corrupt zip entry: zip: checksum error`,
			data: func() []byte {
				b := zipWith(t, book([]sheet{{name: "Data", data: `<row><c><v>1234</v></c></row>`}}, nil), zip.Store)
				return bytes.Replace(b, []byte("<v>1234</v>"), []byte("<v>1235</v>"), 1)
			}()},
		{name: "xmlns attribute is not a cell reference", wantRows: 1,
			data: oneSheet(`<row xmlns:r="urn:x"><c xmlns:r="urn:x" r="B1"><v>1</v></c></row>`, nil)},
		{name: "too deep", data: oneSheet(`<row><c>`+strings.Repeat("<x>", 200)+strings.Repeat("</x>", 200)+`</c></row>`, nil),
			wantErr: `xml nested deeper than 128 elements`},
		{name: "not a zip", data: []byte("Position Number,DPN\n1,KSS/RJZ01/030/STR/001\n"),
			openErr: "positions.xlsx: not an .xlsx workbook (not a zip archive"},
		{name: "legacy xls", data: append(append([]byte{}, oleMagic...), make([]byte, 600)...),
			openErr: "positions.xlsx: not an .xlsx workbook: it is a legacy .xls"},
		{name: "zip without workbook", data: zipBytes(t, map[string]string{"word/document.xml": "<w/>"}),
			openErr: "positions.xlsx: not an .xlsx workbook (no xl/workbook.xml)"},
		{name: "chart sheet", data: func() []byte {
			p := book([]sheet{{name: "Chart"}}, nil)
			p["xl/_rels/workbook.xml.rels"] = strings.Replace(p["xl/_rels/workbook.xml.rels"], "/worksheet", "/chartsheet", 1)
			return zipBytes(t, p)
		}(), openErr: `positions.xlsx: sheet "Chart": not a worksheet (chartsheet)`},
		{name: "missing relationship", data: func() []byte {
			p := book([]sheet{{name: "Data"}}, nil)
			p["xl/workbook.xml"] = strings.Replace(p["xl/workbook.xml"], `r:id="rId1"`, `r:id="rId5"`, 1)
			return zipBytes(t, p)
		}(), openErr: `positions.xlsx: sheet "Data": workbook names no part for it (relationship "rId5" missing)`},
		{name: "missing sheet part", data: func() []byte {
			p := book([]sheet{{name: "Data"}}, nil)
			delete(p, "xl/worksheets/sheet1.xml")
			return zipBytes(t, p)
		}(), openErr: `positions.xlsx: sheet "Data": part xl/worksheets/sheet1.xml missing`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := openBytes(t, tc.data, "", tc.lim)
			if tc.openErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.openErr) {
					t.Fatalf("Open err = %v, want it to contain %q", err, tc.openErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer r.Close()
			rows, err := readAll(r)
			if len(rows) != tc.wantRows {
				t.Errorf("read %d rows before the error, want %d", len(rows), tc.wantRows)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("err = %v, want none", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("err = %v, want it to contain %q", err, tc.wantErr)
			}
			if err != nil {
				if _, _, again := r.Next(); again != err {
					t.Errorf("Next after error = %v, want the same error", again)
				}
			}
		})
	}
}

func TestOpenMissingFile(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nope.xlsx"), "", Limits{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want os.ErrNotExist", err)
	}
}

func TestDate1904AndRootRels(t *testing.T) {
	// The workbook part is found through _rels/.rels, not at its usual name.
	p := book([]sheet{{name: "S", data: `<row><c s="1"><v>0</v></c></row>`}}, map[string]string{"xl/styles.xml": styles})
	p["xl/book.xml"] = strings.Replace(p["xl/workbook.xml"], "<sheets>", `<workbookPr date1904="1"/><sheets>`, 1)
	p["xl/_rels/book.xml.rels"] = p["xl/_rels/workbook.xml.rels"]
	delete(p, "xl/workbook.xml")
	delete(p, "xl/_rels/workbook.xml.rels")
	p["_rels/.rels"] = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/book.xml"/></Relationships>`
	r, err := openBytes(t, zipBytes(t, p), "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, cells, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if !r.Date1904() {
		t.Error("Date1904() = false, want true")
	}
	want := []Cell{{Value: "0", Number: true, Date: true}}
	if !slices.Equal(cells, want) {
		t.Errorf("cells = %+v, want %+v", cells, want)
	}
}

func TestClose(t *testing.T) {
	r, err := openBytes(t, zipBytes(t, book([]sheet{{name: "S", data: "<row/>"}}, nil)), "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, _, err := r.Next(); err == nil || err == io.EOF || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Next after Close = %v, want a closed error", err)
	}
}

func TestSerialDate(t *testing.T) {
	d := func(y int, m time.Month, day, h, min int) time.Time {
		return time.Date(y, m, day, h, min, 0, 0, time.UTC)
	}
	tests := []struct {
		serial float64
		is1904 bool
		want   time.Time
	}{
		{1, false, d(1900, 1, 1, 0, 0)},
		{31, false, d(1900, 1, 31, 0, 0)},
		{59, false, d(1900, 2, 28, 0, 0)},
		{59.75, false, d(1900, 2, 28, 18, 0)},
		{60, false, d(1900, 2, 28, 0, 0)}, // the fictitious 1900-02-29
		{61, false, d(1900, 3, 1, 0, 0)},
		{43831, false, d(2020, 1, 1, 0, 0)},
		{43831.5, false, d(2020, 1, 1, 12, 0)},
		{43831 + 1.0/3, false, d(2020, 1, 1, 8, 0)}, // rounded to the millisecond
		{44000.25, false, d(2020, 6, 18, 6, 0)},
		{2958465, false, d(9999, 12, 31, 0, 0)},
		{2958466, false, time.Time{}},
		{-1, false, time.Time{}},
		{0, true, d(1904, 1, 1, 0, 0)},
		{1, true, d(1904, 1, 2, 0, 0)},
		{42369, true, d(2020, 1, 1, 0, 0)}, // 43831 - 1462
		{42369.5, true, d(2020, 1, 1, 12, 0)},
		{-0.5, true, time.Time{}},
	}
	for _, tc := range tests {
		f := SerialDate
		if tc.is1904 {
			f = SerialDate1904
		}
		if got := f(tc.serial); !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("serial %v (1904 %v) = %v, want %v", tc.serial, tc.is1904, got, tc.want)
		}
	}
}

func TestToSerial(t *testing.T) {
	tests := []struct {
		in     string
		is1904 bool
		want   string
	}{
		{"1900-01-01", false, "1"},
		{"1900-02-28", false, "59"},
		{"1900-03-01", false, "61"},
		{"2020-01-01T18:00:00", false, "43831.75"},
		{"2020-01-01T06:00:00Z", false, "43831.25"},
		{"2020-01-01", true, "42369"},
	}
	for _, tc := range tests {
		tm, ok := parseISO(tc.in)
		if got := toSerial(tm, tc.is1904); !ok || got != tc.want {
			t.Errorf("toSerial(%s, %v) = %s (parsed %v), want %s", tc.in, tc.is1904, got, ok, tc.want)
		}
	}
}

func TestIsDateFormat(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"dd/mm/yyyy", true},
		{"d-mmm-yy", true},
		{"[$-409]h:mm AM/PM", true},
		{"yyyy-mm-dd hh:mm:ss", true},
		{"General", false},
		{"0.00", false},
		{"#,##0", false},
		{`#,##0 "days"`, false},
		{`0 \d`, false},
		{"[Red]0.00;[Blue]-0.00", false},
		{`[$£-809]#,##0.00`, false},
		{`_-* #,##0_-`, false},
		{"@", false},
		{`"unclosed d`, false},
	}
	for _, tc := range tests {
		if got := isDateFormat(tc.code); got != tc.want {
			t.Errorf("isDateFormat(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
	for id, want := range map[int]bool{0: false, 1: false, 13: false, 14: true, 22: true, 23: false, 27: true, 36: true, 37: false, 45: true, 47: true, 49: false, 50: true, 58: true, 59: false} {
		if got := builtinDate(id); got != want {
			t.Errorf("builtinDate(%d) = %v, want %v", id, got, want)
		}
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a_x0009_b", "a\tb"},
		{"_x000D__x000A_", "\r\n"},
		{"_x005F_x0009_", "_x0009_"},
		{"_x00e9_", "é"},
		{"_xD83D__xDE00_", "😀"},
		{"_xD83D_", "\uFFFD"},
		{"_x12G4_", "_x12G4_"},
		{"_x0009", "_x0009"},
		{"_X0009_", "_X0009_"},
	}
	for _, tc := range tests {
		if got := unescape(tc.in); got != tc.want {
			t.Errorf("unescape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseCol(t *testing.T) {
	tests := []struct {
		ref  string
		col  int
		ok   bool
		name string
	}{
		{"A1", 0, true, "A"},
		{"c7", 2, true, "C"},
		{"Z9", 25, true, "Z"},
		{"AA10", 26, true, "AA"},
		{"XFD1048576", 16383, true, "XFD"},
		{"XFE1", 0, false, ""},
		{"A", 0, false, ""},
		{"1", 0, false, ""},
		{"A1B", 0, false, ""},
		{"", 0, false, ""},
	}
	for _, tc := range tests {
		col, ok := parseCol(tc.ref)
		if col != tc.col || ok != tc.ok {
			t.Errorf("parseCol(%q) = %d, %v; want %d, %v", tc.ref, col, ok, tc.col, tc.ok)
		}
		if ok && colName(col) != tc.name {
			t.Errorf("colName(%d) = %q, want %q", col, colName(col), tc.name)
		}
	}
}

func FuzzReader(f *testing.F) {
	parts := book([]sheet{{name: "Data", data: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>43831</v></c></row><row><c t="inlineStr"><is><t>a_x0009_</t></is></c><c t="b"><v>1</v></c><c t="d"><v>2020-01-01</v></c></row>`}},
		map[string]string{"xl/sharedStrings.xml": sharedStrings, "xl/styles.xml": styles})
	f.Add(zipBytes(f, parts))
	f.Add(zipWith(f, parts, zip.Store)) // uncompressed: mutations reach the XML
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := newReader(bytes.NewReader(data), int64(len(data)), "fuzz.xlsx", "", Limits{MaxUncompressed: 1 << 20, MaxRows: 1000, MaxCellBytes: 1000})
		if err != nil {
			return
		}
		defer r.Close()
		for range 2000 {
			_, cells, err := r.Next()
			if err != nil {
				return
			}
			if len(cells) > maxColumns {
				t.Fatalf("%d cells in a row", len(cells))
			}
		}
		t.Fatal("Next did not stop within MaxRows")
	})
}

func BenchmarkNext(b *testing.B) {
	var sb strings.Builder
	for i := range 2000 {
		sb.WriteString(`<row><c t="s"><v>1</v></c><c t="s"><v>3</v></c><c s="1"><v>43831</v></c><c t="inlineStr"><is><t>Medical and Dental</t></is></c><c><v>` + string(rune('0'+i%10)) + `</v></c></row>`)
	}
	data := zipBytes(b, book([]sheet{{name: "Data", data: sb.String()}}, map[string]string{"xl/sharedStrings.xml": sharedStrings, "xl/styles.xml": styles}))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, err := newReader(bytes.NewReader(data), int64(len(data)), "bench.xlsx", "", Limits{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, _, err := r.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
			n++
		}
		r.Close()
		if n != 2000 {
			b.Fatalf("read %d rows", n)
		}
	}
}
