package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/atomicfile"
)

// plainBook writes a workbook of layout tabs as SpreadsheetML directly,
// without building an excelize.File: the MEDROT and notifications
// workbooks, of which a national run writes some 400. excelize parses its
// templates for every new file and passes every cell through its general
// cell writer;
// for these workbooks (text, numbers, dates, a fixed set of styles,
// merges, a frozen header, a filter) that was most of the time the run
// spent writing files (2.7 s of 3.1 s of CPU in a national run).
//
// The package holds what excelize wrote for the same layout, less the theme
// part (every font names its face and size instead) and the application
// name: the same styles at the same indexes (plainStyles), inline strings,
// dates as serial numbers in a date style, parts in name order through
// sortedZip (so the same workbook always gives the same bytes, encrypted
// when meta.Password is set), and no cell references where a reader
// cannot need them (plainRows.put). Tests reopen it with excelize.
type plainBook struct {
	zw    *sortedZip
	meta  Meta
	title string
	tabs  []plainTab
	err   error
}

type plainTab struct {
	name        string
	filter      string // the autofilter range, "" = none
	printTitles int    // rows repeated on each printed page, 0 = none
}

// sheetBuffers are reused across tabs and workbooks: a national run writes
// about a thousand tabs.
var sheetBuffers sync.Pool

// Cell styles of a plain book: the indexes of its cellXfs, in the order
// newStyles creates them in an excelize workbook, then the MEDROT's two,
// then top and redWrap (the twelfth and thirteenth of newStyles).
var plainStyles = styles{header: 1, bold: 2, title: 3, heading: 4, wrap: 5, date: 6, red: 7,
	verdictReady: 8, ready: 9, notReady: 10, verdictNotReady: 11, top: 14, redWrap: 15}

const (
	plainLongDate = 12 // "d mmmm yyyy", left aligned (MEDROT dates)
	plainGroup    = 13 // bold, header fill, centred (MEDROT group headers)
	plainBoldWrap = 16 // bold, wrapped at the top (notices' long sentences)
)

// plainStylesXML declares the styles above. Every font names its size and
// face, so nothing depends on a theme part.
const plainStylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="d mmmm yyyy"/></numFmts>` +
	`<fonts count="9">` +
	`<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><u/><sz val="14"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><u/><sz val="12"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><sz val="11"/><color rgb="FF` + colourRedText + `"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="14"/><color rgb="FF` + colourGreenText + `"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><color rgb="FF` + colourGreenText + `"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><color rgb="FF` + colourRedText + `"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="14"/><color rgb="FF` + colourRedText + `"/><name val="Calibri"/><family val="2"/></font>` +
	`</fonts>` +
	`<fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FF` + colourHeader + `"/></patternFill></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FF` + colourRed + `"/></patternFill></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FF` + colourGreen + `"/></patternFill></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="17">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="left" vertical="top"/></xf>` +
	`<xf numFmtId="0" fontId="4" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
	`<xf numFmtId="0" fontId="5" fillId="4" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
	`<xf numFmtId="0" fontId="6" fillId="4" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
	`<xf numFmtId="0" fontId="7" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
	`<xf numFmtId="0" fontId="8" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="left"/></xf>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment horizontal="center"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>` +
	`<xf numFmtId="0" fontId="4" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`</cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

const (
	xmlHeader   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain      = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRelsOfDoc = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRels   = "http://schemas.openxmlformats.org/package/2006/relationships"
)

// newPlainBook starts a workbook written to w; title is its document
// title. Add tabs with tab, in order, then close it.
func newPlainBook(w io.Writer, meta Meta, title string) *plainBook {
	return &plainBook{zw: newSortedZip(w, meta.Password), meta: meta, title: title}
}

// tab writes the next tab, named name: spec says what surrounds its
// rows and rows writes them, in order, through sw (see book). A tab of
// many rows is written this way without a layout of boxed cells (MEDROT).
func (b *plainBook) tab(name string, spec sheetSpec, rows func(sw *plainRows) error) error {
	if b.err != nil {
		return b.err
	}
	part, err := b.zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", len(b.tabs)+1))
	if err != nil {
		b.err = err
		return err
	}
	bw, put := atomicfile.PooledWriter(&sheetBuffers, part, 32<<10)
	defer put()
	if err := writeSheet(bw, spec, len(b.tabs) == 0, rows); err != nil {
		b.err = fmt.Errorf("write tab %s: %w", name, err)
		return b.err
	}
	if err := bw.Flush(); err != nil {
		b.err = err
		return err
	}
	b.tabs = append(b.tabs, plainTab{name: name, filter: spec.filter, printTitles: spec.freeze})
	return nil
}

// close writes the workbook's other parts and ends the package.
func (b *plainBook) close() error {
	if b.err != nil {
		b.zw.release()
		return b.err
	}
	var ct, wb, rels strings.Builder
	ct.WriteString(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`)
	wb.WriteString(xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRelsOfDoc + `"><bookViews><workbookView/></bookViews><sheets>`)
	rels.WriteString(xmlHeader + `<Relationships xmlns="` + nsPkgRels + `">`)
	var names strings.Builder
	for i, t := range b.tabs {
		n := strconv.Itoa(i + 1)
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%s.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%s" r:id="rId%s"/>`, escapeXML(t.name), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%s" Type="%s/worksheet" Target="worksheets/sheet%s.xml"/>`, n, nsRelsOfDoc, n)
		if t.filter != "" {
			// Excel keeps an autofilter's range as this hidden name too.
			ref := sheetRef(t.name) + absoluteRange(t.filter)
			fmt.Fprintf(&names, `<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">%s</definedName>`, i, escapeXML(ref))
		}
		if t.printTitles > 0 {
			fmt.Fprintf(&names, `<definedName name="%s" localSheetId="%d">%s</definedName>`, printTitlesName, i, escapeXML(printTitlesRef(t.name, t.printTitles)))
		}
	}
	ct.WriteString(`</Types>`)
	wb.WriteString(`</sheets>`)
	if names.Len() > 0 {
		wb.WriteString(`<definedNames>` + names.String() + `</definedNames>`)
	}
	wb.WriteString(`</workbook>`)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/></Relationships>`, len(b.tabs)+1, nsRelsOfDoc)

	stamp := time.Date(b.meta.AsOf.Year(), b.meta.AsOf.Month(), b.meta.AsOf.Day(), 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	tool := escapeXML(b.meta.tool())
	core := xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + escapeXML(b.title) + `</dc:title><dc:creator>` + tool + `</dc:creator>` +
		`<cp:lastModifiedBy>` + tool + `</cp:lastModifiedBy>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:modified>` +
		`<cp:version>` + escapeXML(b.meta.Version) + `</cp:version></cp:coreProperties>`
	app := xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
		`<Application>` + tool + `</Application></Properties>`
	root := xmlHeader + `<Relationships xmlns="` + nsPkgRels + `">` +
		`<Relationship Id="rId1" Type="` + nsRelsOfDoc + `/officeDocument" Target="xl/workbook.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`<Relationship Id="rId3" Type="` + nsRelsOfDoc + `/extended-properties" Target="docProps/app.xml"/></Relationships>`

	for _, p := range []struct{ name, body string }{
		{contentTypesPart, ct.String()},
		{"_rels/.rels", root},
		{"docProps/app.xml", app},
		{"docProps/core.xml", core},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"xl/styles.xml", plainStylesXML},
		{"xl/workbook.xml", wb.String()},
	} {
		w, err := b.zw.Create(p.name)
		if err == nil {
			_, err = io.WriteString(w, p.body)
		}
		if err != nil {
			b.zw.release()
			return fmt.Errorf("write workbook part %s: %w", p.name, err)
		}
	}
	if err := b.zw.Close(); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// sheetSpec is what a worksheet part says around its rows.
type sheetSpec struct {
	lastRow, lastCol int // the last row and column with cells, 1-based; 0 = none
	freeze           int // rows frozen at the top, also repeated at the top of each printed page; 0 = none
	widths           []int
	filter           string // autofilter range, "" = none
	merges           [][2]string
}

// writeSheet writes a worksheet part: frozen rows, column widths, the rows
// (written by rows), the autofilter, the merges and the page setup (see
// book), in the order the schema wants.
func writeSheet(w *bufio.Writer, spec sheetSpec, selected bool, rows func(sw *plainRows) error) error {
	cols := make([]string, max(spec.lastCol, len(spec.widths)))
	for i := range cols {
		cols[i], _ = excelize.ColumnNumberToName(i + 1)
	}
	w.WriteString(xmlHeader + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRelsOfDoc + `">`)
	w.WriteString(`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`)
	dim := "A1"
	if spec.lastRow > 0 {
		dim = "A1:" + cols[spec.lastCol-1] + strconv.Itoa(spec.lastRow)
	}
	w.WriteString(`<dimension ref="` + dim + `"/><sheetViews><sheetView`)
	if selected {
		w.WriteString(` tabSelected="1"`)
	}
	w.WriteString(` workbookViewId="0">`)
	if spec.freeze > 0 {
		fmt.Fprintf(w, `<pane ySplit="%d" topLeftCell="A%d" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>`, spec.freeze, spec.freeze+1)
	}
	w.WriteString(`</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>`)
	if len(spec.widths) > 0 {
		w.WriteString(`<cols>`)
		for c, n := range spec.widths {
			fmt.Fprintf(w, `<col min="%d" max="%d" width="%d" customWidth="1"/>`, c+1, c+1, plainColWidth(n))
		}
		w.WriteString(`</cols>`)
	}
	w.WriteString(`<sheetData>`)
	if err := rows(&plainRows{w: w, cols: cols}); err != nil {
		return err
	}
	w.WriteString(`</sheetData>`)
	if spec.filter != "" {
		w.WriteString(`<autoFilter ref="` + spec.filter + `"/>`)
	}
	if len(spec.merges) > 0 {
		fmt.Fprintf(w, `<mergeCells count="%d">`, len(spec.merges))
		for _, m := range spec.merges {
			w.WriteString(`<mergeCell ref="` + m[0] + ":" + m[1] + `"/>`)
		}
		w.WriteString(`</mergeCells>`)
	}
	w.WriteString(pageSetupXML)
	_, err := w.WriteString(`</worksheet>`)
	return err
}

// pageSetupXML is the page setup of every tab (see book), as the schema
// orders it: print options, margins (Excel's "Normal"), page setup (fit to
// one page wide, fitToHeight 0 = as many pages tall as it takes) and the
// footer.
var pageSetupXML = `<printOptions horizontalCentered="1"/>` +
	`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
	`<pageSetup paperSize="` + strconv.Itoa(pagePaperA4) + `" orientation="` + pageOrientation + `" fitToWidth="1" fitToHeight="0"/>` +
	`<headerFooter><oddFooter>` + escapeXML(pageFooter) + `</oddFooter></headerFooter>`

// plainRows writes a worksheet's rows: startRow, cells in column order
// (cell, text, date), endRow. Columns are 0-based and within the spec's
// lastCol (or its widths).
type plainRows struct {
	w    *bufio.Writer
	cols []string // column names: A, B, ...
	row  string   // the open row's number
	next int      // the column a cell written without a reference takes; -1 after a gap
	num  []byte
}

func (sw *plainRows) startRow(r int) {
	sw.row, sw.next = strconv.Itoa(r), 0
	sw.w.WriteString(`<row r="`)
	sw.w.WriteString(sw.row)
	sw.w.WriteString(`">`)
}

// startRowLines starts row r tall enough for lines lines of text (a row
// of wrapped cells); 1 leaves the height to the reader. Neither Excel nor
// LibreOffice fits a row's height to its wrapped text when it opens a
// file, so a long message would show its first line or two only.
func (sw *plainRows) startRowLines(r, lines int) {
	if lines <= 1 {
		sw.startRow(r)
		return
	}
	sw.row, sw.next = strconv.Itoa(r), 0
	sw.w.WriteString(`<row r="`)
	sw.w.WriteString(sw.row)
	sw.w.WriteString(`" ht="`)
	sw.w.WriteString(strconv.Itoa(lines * lineHeight))
	sw.w.WriteString(`" customHeight="1">`)
}

// plainColWidth is the width of a column whose widest cell is n
// characters.
func plainColWidth(n int) int { return min(max(n+2, minColWidth), maxColWidth) }

// lineHeight is the height of a line of 11-point text, in points.
const lineHeight = 15

// wrappedLines is how many lines s takes wrapped at width characters, a
// word at a time (a word longer than a line is cut): what a reader shows
// of a wrapped cell, counted a little generously (a character counts as
// wide as a digit, the unit of a column's width).
func wrappedLines(s string, width int) int {
	lines, used := 1, 0
	for len(s) > 0 {
		i := strings.IndexAny(s, " \n")
		if i < 0 {
			i = len(s)
		}
		word, newline := s[:i], i < len(s) && s[i] == '\n'
		s = s[min(i+1, len(s)):]
		if word != "" {
			n := utf8.RuneCountInString(word)
			switch {
			case used == 0:
			case used+1+n <= width:
				used++
			default:
				lines++
				used = 0
			}
			for n > width { // a word longer than a line
				lines++
				n -= width
			}
			used += n
		}
		if newline {
			lines++
			used = 0
		}
	}
	return lines
}

func (sw *plainRows) endRow() { sw.w.WriteString(`</row>`) }

// cell writes c in column i: a string is always text, an int or float a
// number, a time.Time a date (empty when zero) in c's style or the date
// style; a formula is refused.
func (sw *plainRows) cell(i int, c excelize.Cell) error {
	if c.Formula != "" {
		return fmt.Errorf("cell %s%s: a formula in a plain workbook", sw.cols[i], sw.row)
	}
	switch v := c.Value.(type) {
	case nil:
		sw.put(i, c.StyleID, 0, "")
	case string:
		sw.text(i, c.StyleID, v)
	case int:
		sw.num = strconv.AppendInt(sw.num[:0], int64(v), 10)
		sw.put(i, c.StyleID, 'n', "")
	case int64:
		sw.num = strconv.AppendInt(sw.num[:0], v, 10)
		sw.put(i, c.StyleID, 'n', "")
	case float64:
		sw.num = strconv.AppendFloat(sw.num[:0], v, 'f', -1, 64)
		sw.put(i, c.StyleID, 'n', "")
	case time.Time:
		sw.date(i, c.StyleID, v)
	default:
		sw.text(i, c.StyleID, fmt.Sprint(v))
	}
	return nil
}

// text writes s in column i as text; "" leaves the cell empty.
func (sw *plainRows) text(i, style int, s string) {
	if s == "" {
		sw.put(i, style, 0, "")
		return
	}
	sw.put(i, style, 's', s)
}

// numberText writes s in column i as a number when numberCell would
// (digits only, no leading zero, at most maxExactDigits), else as text.
func (sw *plainRows) numberText(i, style int, s string) {
	if !isNumberText(s) {
		sw.text(i, style, s)
		return
	}
	sw.num = append(sw.num[:0], s...)
	sw.put(i, style, 'n', "")
}

// date writes t in column i as Excel's day number in style (the date
// style when 0); the zero time leaves the cell empty, a day before 1900
// (Excel has none) is written as text.
func (sw *plainRows) date(i, style int, t time.Time) {
	if t.IsZero() {
		sw.put(i, style, 0, "")
		return
	}
	serial, ok := excelSerial(t)
	if !ok {
		sw.put(i, style, 's', t.Format("2006-01-02"))
		return
	}
	if style == 0 {
		style = plainStyles.date
	}
	sw.num = strconv.AppendInt(sw.num[:0], serial, 10)
	sw.put(i, style, 'n', "")
}

// put writes a cell of kind 0 (empty), 's' (text s) or 'n' (the number in
// sw.num); an empty cell with no style is not written.
//
// A cell written right after the one before it, from column A on, carries
// no reference: readers (Excel, LibreOffice, excelize, openpyxl,
// internal/xlsx) place it in the next column. The references change on
// every row and are noise to deflate: without them a MEDROT sheet
// compresses in half the time and to two thirds of the size. After a gap
// every cell of the row names its place, so no reader has to infer a
// column past the gap.
func (sw *plainRows) put(i, style int, kind byte, s string) {
	if kind == 0 && style == 0 {
		return
	}
	w := sw.w
	if i == sw.next {
		w.WriteString(`<c`)
		sw.next++
	} else {
		w.WriteString(`<c r="`)
		w.WriteString(sw.cols[i])
		w.WriteString(sw.row)
		w.WriteByte('"')
		sw.next = -1
	}
	if style != 0 {
		w.WriteString(` s="`)
		w.WriteString(strconv.Itoa(style))
		w.WriteByte('"')
	}
	switch kind {
	case 0:
		w.WriteString(`/>`)
	case 'n':
		w.WriteString(`><v>`)
		w.Write(sw.num)
		w.WriteString(`</v></c>`)
	case 's':
		writeInlineString(w, s)
	}
}

// maxCellText is the most characters a cell holds in Excel.
const maxCellText = 32767

// writeInlineString ends a cell element with s as an inline string:
// escaped, cut at Excel's limit, its outer white space kept.
func writeInlineString(w *bufio.Writer, s string) {
	if len(s) > maxCellText && utf8.RuneCountInString(s) > maxCellText {
		s = string([]rune(s)[:maxCellText])
	}
	w.WriteString(` t="inlineStr"><is><t`)
	if s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ||
		s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\n' || s[len(s)-1] == '\r' {
		w.WriteString(` xml:space="preserve"`)
	}
	w.WriteByte('>')
	writeEscaped(w, escapeBstr(s))
	w.WriteString(`</t></is></c>`)
}

// escapeBstr keeps text that looks like the _xHHHH_ escapes of
// SpreadsheetML ("_x0041_" is "A" to Excel) as it is: the underscore that
// starts one is itself escaped, as _x005F_.
func escapeBstr(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && isBstr(s[i:]) {
			b.WriteString("_x005F")
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// isBstr reports whether s starts with _xHHHH_ (H a hex digit).
func isBstr(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// escapeXML is s escaped for XML text or a quoted attribute.
func escapeXML(s string) string {
	var b strings.Builder
	writeEscaped(&b, s)
	return b.String()
}

// writeEscaped writes s as XML character data: markup characters escaped,
// a carriage return kept as a reference, and what XML 1.0 cannot carry
// (other control characters, invalid UTF-8, U+FFFE/U+FFFF) as U+FFFD.
func writeEscaped(w io.StringWriter, s string) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		var rep string
		switch {
		case c == '&':
			rep = "&amp;"
		case c == '<':
			rep = "&lt;"
		case c == '>':
			rep = "&gt;"
		case c == '"':
			rep = "&quot;"
		case c == '\r':
			rep = "&#xD;"
		case c == '\t' || c == '\n':
			i += size
			continue
		case c < 0x20, r == utf8.RuneError && size == 1, r == 0xFFFE, r == 0xFFFF:
			rep = "\uFFFD"
		default:
			i += size
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(rep)
		i += size
		last = i
	}
	w.WriteString(s[last:])
}

// excelSerial is the day number Excel shows as t's calendar day (1900 date
// system); false before 1900-01-01. Excel counts a 29 February 1900 that
// never was, so days from 1 March 1900 on are counted from 30 December
// 1899, and days before it from 31 December 1899.
func excelSerial(t time.Time) (int64, bool) {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if d.Year() < 1900 {
		return 0, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if d.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) {
		base = base.AddDate(0, 0, 1)
	}
	return int64(d.Sub(base).Hours()) / 24, true
}

// absoluteRange turns "A3:P422" into "$A$3:$P$422".
func absoluteRange(ref string) string {
	var b strings.Builder
	for _, part := range strings.Split(ref, ":") {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		i := strings.IndexAny(part, "0123456789")
		if i < 0 {
			b.WriteString("$" + part)
			continue
		}
		b.WriteString("$" + part[:i] + "$" + part[i:])
	}
	return b.String()
}
