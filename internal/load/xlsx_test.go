package load

import (
	"archive/zip"
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// workbook builds a minimal .xlsx with one sheet named name; rows is the
// inside of <sheetData>. Style 1 is a date format (numFmtId 14).
func workbook(t *testing.T, name, rows string) string {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="` + name + `" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"xl/styles.xml": `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`,
		"xl/worksheets/sheet1.xml": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			rows + `</sheetData></worksheet>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"} {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, "positions.xlsx", buf.String())
}

// xrow builds a row of inline-string cells; a value starting with "#" is a
// number cell and "@" a date-styled number cell.
func xrow(r int, vals ...string) string {
	var b strings.Builder
	b.WriteString(`<row r="` + strconv.Itoa(r) + `">`)
	for i, v := range vals {
		ref := colLetter(i) + strconv.Itoa(r)
		switch {
		case v == "":
		case v[0] == '#':
			b.WriteString(`<c r="` + ref + `"><v>` + v[1:] + `</v></c>`)
		case v[0] == '@':
			b.WriteString(`<c r="` + ref + `" s="1"><v>` + v[1:] + `</v></c>`)
		default:
			b.WriteString(`<c r="` + ref + `" t="inlineStr"><is><t xml:space="preserve">` + v + `</t></is></c>`)
		}
	}
	b.WriteString(`</row>`)
	return b.String()
}

func TestXLSX(t *testing.T) {
	rows := xrow(2, "", "") + // blank row before the header
		xrow(3, "VPD", "Position Number", "Position Name", "DPN", "Effective From Date", "Effective To Date", "Notes") +
		xrow(4, "#504", "#3560241", "3560241|Reg|x|y", "KSS/A/1/1", "@43831", "31/12/2019", "n1") +
		xrow(5, "#504", "#3560242", "3560242|Reg|x|", "KSS/A/1/2 ", "#20190131", "soon") +
		xrow(7, "504", "3560243", "n", "KSS/A/1/3", "", "@43831.5", "", "stray")
	path := workbook(t, "Positions", rows)
	got, in, err := loadAll(t, Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	want := []brief{
		{4, "504", "3560241", "3560241|Reg|x|y", "KSS/A/1/1"},
		{5, "504", "3560242", "3560242|Reg|x|", "KSS/A/1/2 "},
		{7, "504", "3560243", "n", "KSS/A/1/3"},
	}
	if !reflect.DeepEqual(briefs(got), want) {
		t.Fatalf("got %+v\nwant %+v", briefs(got), want)
	}
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	checks := []struct {
		from, to time.Time
		issues   []model.DateIssue
		extra    []string
	}{
		{d(2020, 1, 1), d(2019, 12, 31), nil, []string{"n1"}},
		{d(2019, 1, 31), time.Time{}, []model.DateIssue{{Column: "Effective To Date", Value: "soon"}}, []string{""}},
		{time.Time{}, d(2020, 1, 1), nil, []string{""}},
	}
	for i, c := range checks {
		p := got[i]
		if !p.EffectiveFrom.Equal(c.from) || !p.EffectiveTo.Equal(c.to) || !reflect.DeepEqual(p.DateIssues, c.issues) ||
			!reflect.DeepEqual(p.Extra, c.extra) || p.Format != model.FormatXLSX {
			t.Errorf("row %d: from %v to %v issues %+v extra %q", p.Row, p.EffectiveFrom, p.EffectiveTo, p.DateIssues, p.Extra)
		}
	}
	// Rows 1 (not in the sheet) and 2 (empty) are above the header; row 6 is not in the sheet: a blank row.
	wantIn := model.Input{Path: path, Format: model.FormatXLSX, Sheet: "Positions", Rows: 3,
		Notes:        []string{"skipped 2 title rows above the header on row 3, 1 blank row", "1 cells right of the header's last column ignored"},
		ExtraColumns: []string{"Notes"}, HeaderRow: 3, TitleRows: 2, BlankRows: 1,
		Columns: columns("VPD=vpd", "Position Number=position_number", "Position Name=position_name", "DPN=dpn",
			"Effective From Date=effective_from", "Effective To Date=effective_to", "Notes")}
	if !reflect.DeepEqual(in[0], wantIn) {
		t.Errorf("input\n%+v\nwant\n%+v", in[0], wantIn)
	}

	// --sheet naming a sheet that is not there.
	_, _, err = loadAll(t, Options{Sheet: "Other"}, path)
	var le *Error
	if !errors.As(err, &le) || !strings.Contains(err.Error(), `no sheet "Other"; sheets found: "Positions"`) ||
		!strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("err = %v", err)
	}
	// A sheet with no header.
	_, _, err = loadAll(t, Options{}, workbook(t, "Empty", xrow(1, "", "")))
	if !errors.As(err, &le) || err.Error() != le.File+`: empty sheet "Empty": expected a header row` {
		t.Errorf("err = %v", err)
	}
}
