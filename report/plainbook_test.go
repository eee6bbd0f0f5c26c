package report

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The tests write layouts into plain books: every kind of value goes
// through plainRows.cell.

// plainSample is a layout with every feature a plain book writes.
func plainSample() *layout {
	st := &plainStyles
	l := &layout{freeze: 3}
	l.line(st.title, "Title & <more>")
	l.row(excelize.Cell{StyleID: plainGroup, Value: "Group"}, excelize.Cell{StyleID: plainGroup})
	l.merges = append(l.merges, [2]string{"A2", "B2"})
	l.header(st.header, "Name", "When", "Count", "Long date")
	l.row(text(" padded "), excelize.Cell{Value: time.Date(2019, 8, 8, 13, 0, 0, 0, time.UTC)},
		excelize.Cell{Value: 42}, excelize.Cell{StyleID: plainLongDate, Value: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)})
	l.row(text("bell\x07 and \"quotes\" and tab\there"), excelize.Cell{Value: time.Time{}}, excelize.Cell{},
		excelize.Cell{StyleID: st.red, Value: "NOT READY"})
	l.filter = "A3:D5"
	return l
}

func writePlain(t *testing.T, meta Meta, tabs ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	b := newPlainBook(&buf, meta, "Plain test")
	for _, name := range tabs {
		if err := plainSample().write(b, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPlainBookReadsBack(t *testing.T) {
	raw := writePlain(t, runMeta(), "First", "Second's")
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"First", "Second's"}; !slices.Equal(got, want) {
		t.Fatalf("tabs = %q, want %q", got, want)
	}
	for cell, want := range map[string]string{
		"A1": "Title & <more>", "A2": "Group", "B2": "Group", // merged: read in every cell
		"A3": "Name", "D3": "Long date",
		"A4": " padded ", "B4": "08/08/2019", "C4": "42", "D4": "30 September 2026",
		"A5": "bell\uFFFD and \"quotes\" and tab\there", "B5": "", "C5": "", "D5": "NOT READY",
	} {
		if got, err := f.GetCellValue("First", cell); err != nil || got != want {
			t.Errorf("First!%s = %q (%v), want %q", cell, got, err, want)
		}
	}
	// Dates are numbers in a date style, counts numbers, the rest text.
	for cell, want := range map[string]excelize.CellType{"A4": excelize.CellTypeInlineString,
		"B4": excelize.CellTypeUnset, "C4": excelize.CellTypeUnset, "D4": excelize.CellTypeUnset} {
		if got, _ := f.GetCellType("First", cell); got != want {
			t.Errorf("type of First!%s = %v, want %v", cell, got, want)
		}
	}
	if raw, _ := f.GetCellValue("First", "B4", excelize.Options{RawCellValue: true}); raw != "43685" {
		t.Errorf("raw B4 = %q, want Excel's serial 43685 for 8 August 2019", raw)
	}

	style := func(cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle("First", cell)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// excelize reads a fill's colour only through a theme part, which a
	// plain book does not have: the fills are read from the styles part.
	fills := plainFills(t, raw)
	if s := style("A3"); s.Font == nil || !s.Font.Bold || fills["A3"] != "FF"+colourHeader {
		t.Errorf("header style = font %+v fill %q, want bold on %s", s.Font, fills["A3"], colourHeader)
	}
	if s := style("A2"); s.Alignment == nil || s.Alignment.Horizontal != "center" || fills["A2"] != "FF"+colourHeader {
		t.Errorf("group style = %+v fill %q, want centred on the header fill", s.Alignment, fills["A2"])
	}
	if s := style("A1"); s.Font == nil || !s.Font.Bold || s.Font.Underline != "single" || s.Font.Size != 14 {
		t.Errorf("title font = %+v, want bold, underlined, 14", s.Font)
	}
	if s := style("D5"); fills["D5"] != "FF"+colourRed || s.Font.Color != colourRedText {
		t.Errorf("red style = fill %q font %+v", fills["D5"], s.Font)
	}
	if fills["A4"] != "" {
		t.Errorf("A4 is filled %q", fills["A4"])
	}
	if s := style("D4"); s.CustomNumFmt == nil || *s.CustomNumFmt != medrotDateFormat {
		t.Errorf("long date format = %v, want %q", s.CustomNumFmt, medrotDateFormat)
	}
	if s := style("B4"); s.CustomNumFmt == nil || *s.CustomNumFmt != dateFormat {
		t.Errorf("date format = %v, want %q", s.CustomNumFmt, dateFormat)
	}

	merges, err := f.GetMergeCells("First")
	if err != nil || len(merges) != 1 || merges[0].GetStartAxis() != "A2" || merges[0].GetEndAxis() != "B2" {
		t.Errorf("merges = %v (%v), want A2:B2", merges, err)
	}
	panes, err := f.GetPanes("First")
	if err != nil || !panes.Freeze || panes.YSplit != 3 || panes.TopLeftCell != "A4" {
		t.Errorf("panes = %+v (%v), want frozen above A4", panes, err)
	}
	if w, _ := f.GetColWidth("First", "A"); w != float64(len("bell\x07 and \"quotes\" and tab\there")+2) {
		t.Errorf("width of A = %v", w)
	}
	var filters []string
	for _, dn := range f.GetDefinedName() {
		filters = append(filters, dn.Name+" "+dn.Scope+" "+dn.RefersTo)
	}
	slices.Sort(filters)
	if want := []string{"_xlnm.Print_Titles First 'First'!$1:$3", "_xlnm.Print_Titles Second's 'Second''s'!$1:$3",
		"_xlnm._FilterDatabase First 'First'!$A$3:$D$5",
		"_xlnm._FilterDatabase Second's 'Second''s'!$A$3:$D$5"}; !slices.Equal(filters, want) {
		t.Errorf("defined names = %q, want %q", filters, want)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "Plain test" || props.Creator != "dpnkit" || props.Created != "2026-11-25T00:00:00Z" {
		t.Errorf("document properties = %+v (%v)", props, err)
	}
}

// Cells carry a reference only after a gap in their row: the sample's
// fifth row skips B5 and C5 (no value, no style), so D5 names itself and
// A5 does not.
func TestPlainBookCellReferences(t *testing.T) {
	raw := writePlain(t, runMeta(), "First")
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var sheet plainSheet
	if err := xml.NewDecoder(rc).Decode(&sheet); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range sheet.Rows {
		var refs []string
		for _, c := range r.Cells {
			refs = append(refs, cmp.Or(c.Ref, "-"))
		}
		got = append(got, strings.Join(refs, " "))
	}
	want := []string{"-", "- -", "- - - -", "- - - -", "- D5"}
	if !slices.Equal(got, want) {
		t.Errorf("references by row = %q, want %q", got, want)
	}
	cells := sheet.cells(t)
	if _, ok := cells["B5"]; ok || cells["D5"] != plainStyles.red {
		t.Errorf("row 5 cells = %v, want A5 and D5 (red) only", cells)
	}
}

// Excel, unlike excelize, refuses a part that is not well-formed XML.
func TestPlainBookPartsAreWellFormed(t *testing.T) {
	raw := writePlain(t, runMeta(), "One", "Two")
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(rc)
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", zf.Name, err)
			}
		}
		rc.Close()
	}
	want := []string{"[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
		"xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}
	if !slices.Equal(names, want) {
		t.Errorf("parts = %q, want %q", names, want)
	}
	if !bytes.Equal(raw, writePlain(t, runMeta(), "One", "Two")) {
		t.Error("the same workbook written twice differs")
	}
}

func TestPlainBookPassword(t *testing.T) {
	meta := runMeta()
	meta.Password = "s3cret"
	raw := writePlain(t, meta, "Only")
	if _, err := excelize.OpenReader(bytes.NewReader(raw)); err == nil {
		t.Error("opened without the password")
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{Password: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := f.GetCellValue("Only", "D5"); got != "NOT READY" {
		t.Errorf("D5 = %q", got)
	}
}

// emptyStringer prints as nothing: its cell must be left empty, not crash.
type emptyStringer struct{}

func (emptyStringer) String() string { return "" }

func TestPlainBookOtherValues(t *testing.T) {
	l := &layout{}
	l.row(excelize.Cell{Value: emptyStringer{}}, excelize.Cell{Value: 2.5}, excelize.Cell{Value: int64(7)},
		excelize.Cell{Value: time.Date(1850, 1, 2, 0, 0, 0, 0, time.UTC)}, text(strings.Repeat("é", maxCellText+5)))
	var buf bytes.Buffer
	b := newPlainBook(&buf, runMeta(), "x")
	if err := l.write(b, "T"); err != nil {
		t.Fatal(err)
	}
	if err := b.close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A1": "", "B1": "2.5", "C1": "7", "D1": "1850-01-02"} {
		if got, _ := f.GetCellValue("T", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if got, _ := f.GetCellValue("T", "E1"); got != strings.Repeat("é", maxCellText) {
		t.Errorf("E1 holds %d characters, want Excel's limit %d", len([]rune(got)), maxCellText)
	}
}

func TestPlainBookRefusesFormula(t *testing.T) {
	l := &layout{}
	l.row(excelize.Cell{Formula: "1+1"})
	b := newPlainBook(io.Discard, runMeta(), "x")
	if err := l.write(b, "T"); err == nil || !strings.Contains(err.Error(), "formula") {
		t.Errorf("tab with a formula: %v", err)
	}
	if err := b.close(); err == nil {
		t.Error("close after a failed tab: no error")
	}
}

func TestExcelSerial(t *testing.T) {
	for _, tc := range []struct {
		date string
		want int64
		ok   bool
	}{
		{"1899-12-31", 0, false},
		{"1900-01-01", 1, true},
		{"1900-02-28", 59, true},
		{"1900-03-01", 61, true}, // Excel's 60 is its 29 February 1900
		{"2019-08-08", 43685, true},
		{"2026-11-25", 46351, true},
	} {
		d, _ := time.Parse("2006-01-02", tc.date)
		got, ok := excelSerial(d)
		if got != tc.want || ok != tc.ok {
			t.Errorf("excelSerial(%s) = %d, %v; want %d, %v", tc.date, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAbsoluteRange(t *testing.T) {
	for in, want := range map[string]string{"A3:P422": "$A$3:$P$422", "B2": "$B$2", "AA10:AB11": "$AA$10:$AB$11"} {
		if got := absoluteRange(in); got != want {
			t.Errorf("absoluteRange(%q) = %q, want %q", in, got, want)
		}
	}
}

// plainFills maps cells of the sample's first tab to the fill colour
// (ARGB) of their style, as the package's parts declare it.
func plainFills(t *testing.T, raw []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	part := func(name string, v any) {
		rc, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		if err := xml.NewDecoder(rc).Decode(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var styles struct {
		Fills []struct {
			Pattern struct {
				Type string `xml:"patternType,attr"`
				Fg   struct {
					RGB string `xml:"rgb,attr"`
				} `xml:"fgColor"`
			} `xml:"patternFill"`
		} `xml:"fills>fill"`
		Xfs []struct {
			Fill int `xml:"fillId,attr"`
		} `xml:"cellXfs>xf"`
	}
	part("xl/styles.xml", &styles)
	var sheet plainSheet
	part("xl/worksheets/sheet1.xml", &sheet)
	out := map[string]string{}
	for ref, style := range sheet.cells(t) {
		if fill := styles.Fills[styles.Xfs[style].Fill]; fill.Pattern.Type == "solid" {
			out[ref] = fill.Pattern.Fg.RGB
		}
	}
	return out
}

// plainSheet is a worksheet part's rows and cells as written.
type plainSheet struct {
	Rows []struct {
		Num   int `xml:"r,attr"`
		Cells []struct {
			Ref   string `xml:"r,attr"`
			Style int    `xml:"s,attr"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
}

// cells maps each cell's reference to its style, placing a cell written
// without a reference in the column after the one before it.
func (s plainSheet) cells(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, r := range s.Rows {
		col := 0
		for _, c := range r.Cells {
			col++
			ref := c.Ref
			if ref == "" {
				ref, _ = excelize.CoordinatesToCellName(col, r.Num)
			} else {
				var err error
				if col, _, err = excelize.CellNameToCoordinates(ref); err != nil {
					t.Fatalf("cell reference %q: %v", ref, err)
				}
			}
			out[ref] = c.Style
		}
	}
	return out
}
