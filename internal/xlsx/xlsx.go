// Package xlsx reads one worksheet of an .xlsx workbook a row at a time with
// the standard library only (archive/zip, encoding/xml).
//
// The worksheet is streamed token by token and never held whole; only the
// shared string table and the date flags of the cell formats are kept. Every
// limit is enforced as data is read, never trusting sizes the zip declares:
// MaxUncompressed caps the decompressed bytes of all parts read together
// (zip bombs), MaxRows the rows returned, and MaxCellBytes the bytes of one
// cell value (which also bounds the size of any single XML token). A part
// that declares more than MaxUncompressed allows is refused before it is
// inflated (archive/zip fails an entry that inflates to more than it
// declares, so a declared size is an upper bound).
//
// Cell text is returned exactly as stored: never trimmed, Excel's _xHHHH_
// escapes decoded (a tab stored as _x0009_ comes back as "\t").
package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode"
)

// Limits bounds what a Reader will read. A zero (or negative) field takes
// its default.
type Limits struct {
	MaxUncompressed int64 // decompressed bytes of all parts read; default 512 MiB
	MaxRows         int   // rows returned by Next; default 1,048,576
	MaxCellBytes    int   // bytes of one cell value; default 32,767 (Excel's limit)
}

// Defaults and Excel's grid.
const (
	defaultMaxUncompressed = 512 << 20
	defaultMaxRows         = 1 << 20
	defaultMaxCellBytes    = 32767
	maxColumns             = 16384 // A..XFD
	maxRowNumber           = 1 << 20
)

// Cell is one cell value. The zero Cell is an empty cell.
type Cell struct {
	Value  string // text; for numbers the number as stored ("43831", "1.5"); booleans "TRUE"/"FALSE"; errors "#N/A"
	Number bool   // a numeric cell
	Date   bool   // a numeric cell whose number format shows a date or time: see SerialDate
}

// Reader streams the rows of one worksheet. It is not safe for concurrent use.
type Reader struct {
	path     string
	name     string // sheet name
	lim      Limits
	file     io.Closer
	parts    map[string]*zip.File
	budget   *budget
	maxToken int // bytes of one XML token
	rawCap   int // bytes of one cell's text before _xHHHH_ decoding
	sst      []string
	dateXF   []bool
	date1904 bool
	s        *stream
	rows     int // rows returned
	lastRow  int
	err      error // sticky: io.EOF or the first failure
}

// Open opens the worksheet named sheet of the workbook at path, or the first
// sheet in workbook order when sheet is "". A name that matches no sheet
// exactly is matched ignoring case, as Excel does. The caller must Close the
// Reader.
func Open(path string, sheet string, lim Limits) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	r, err := newReader(f, st.Size(), path, sheet, lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	return r, nil
}

// oleMagic starts a Compound File: a legacy .xls, or an encrypted .xlsx.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func newReader(ra io.ReaderAt, size int64, path, sheet string, lim Limits) (*Reader, error) {
	if lim.MaxUncompressed <= 0 {
		lim.MaxUncompressed = defaultMaxUncompressed
	}
	if lim.MaxRows <= 0 {
		lim.MaxRows = defaultMaxRows
	}
	if lim.MaxCellBytes <= 0 {
		lim.MaxCellBytes = defaultMaxCellBytes
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		head := make([]byte, len(oleMagic))
		if n, _ := ra.ReadAt(head, 0); n == len(head) && bytes.Equal(head, oleMagic) {
			return nil, fmt.Errorf("%s: not an .xlsx workbook: it is a legacy .xls or a password-protected file; save it from Excel as an unprotected .xlsx", path)
		}
		return nil, fmt.Errorf("%s: not an .xlsx workbook (not a zip archive: %w)", path, err)
	}
	r := &Reader{
		path:     path,
		lim:      lim,
		parts:    make(map[string]*zip.File, len(zr.File)),
		budget:   &budget{max: lim.MaxUncompressed},
		rawCap:   7*lim.MaxCellBytes + 7, // "_x0009_" is 7 bytes for 1
		maxToken: 8*lim.MaxCellBytes + 64<<10,
	}
	for _, f := range zr.File {
		if k := partKey(f.Name); r.parts[k] == nil {
			r.parts[k] = f
		}
	}
	if err := r.init(sheet); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// init finds the workbook, the sheet and its supporting parts.
func (r *Reader) init(sheet string) error {
	rootRels, err := r.readRels("")
	if err != nil {
		return err
	}
	book := relOfType(rootRels, "/officeDocument", "xl/workbook.xml")
	sheets, err := r.readWorkbook(book)
	if err != nil {
		return err
	}
	if len(sheets) == 0 {
		return fmt.Errorf("%s: workbook has no sheets", r.path)
	}
	ref, ok := pickSheet(sheets, sheet)
	if !ok {
		names := make([]string, len(sheets))
		for i, s := range sheets {
			names[i] = strconv.Quote(s.name)
		}
		return fmt.Errorf("%s: no sheet %q; sheets found: %s", r.path, sheet, strings.Join(names, ", "))
	}
	r.name = ref.name
	rels, err := r.readRels(book)
	if err != nil {
		return err
	}
	where := fmt.Sprintf("%s: sheet %q", r.path, r.name)
	var target *rel
	for i := range rels {
		if rels[i].id == ref.rid {
			target = &rels[i]
		}
	}
	switch {
	case target == nil:
		return fmt.Errorf("%s: workbook names no part for it (relationship %q missing)", where, ref.rid)
	case !strings.HasSuffix(target.typ, "/worksheet"):
		return fmt.Errorf("%s: not a worksheet (%s)", where, printable(target.typ[strings.LastIndexByte(target.typ, '/')+1:]))
	}
	f := r.part(target.target)
	if f == nil {
		return fmt.Errorf("%s: part %s missing from the workbook", where, printable(target.target))
	}
	dir := book[:strings.LastIndexByte(book, '/')+1]
	if err := r.readStyles(relOfType(rels, "/styles", dir+"styles.xml")); err != nil {
		return err
	}
	if err := r.readSharedStrings(relOfType(rels, "/sharedStrings", dir+"sharedStrings.xml")); err != nil {
		return err
	}
	r.s, err = openStream(f, where, r.budget, r.maxToken)
	return err
}

func pickSheet(sheets []sheetRef, name string) (sheetRef, bool) {
	if name == "" {
		return sheets[0], true
	}
	for _, s := range sheets {
		if s.name == name {
			return s, true
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(s.name, name) {
			return s, true
		}
	}
	return sheetRef{}, false
}

// SheetName is the name of the sheet being read, as the workbook spells it.
func (r *Reader) SheetName() string { return r.name }

// Date1904 reports whether the workbook uses the 1904 date system: convert
// its date serials with SerialDate1904 instead of SerialDate.
func (r *Reader) Date1904() bool { return r.date1904 }

// Next returns the next row present in the sheet: its 1-based row number
// (from the row's r attribute, or one more than the previous row) and its
// cells indexed by column (A = 0). Missing cells are zero Cells and
// trailing empty cells are dropped, so an empty row has no cells. Rows the
// sheet omits are not returned. At the end Next returns io.EOF; after an
// error it keeps returning that error.
func (r *Reader) Next() (row int, cells []Cell, err error) {
	if r.err != nil {
		return 0, nil, r.err
	}
	row, cells, err = r.next()
	if err != nil {
		r.err = err
		return 0, nil, err
	}
	return row, cells, nil
}

func (r *Reader) next() (int, []Cell, error) {
	for {
		tok, err := r.s.next()
		if err != nil {
			return 0, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "row" {
				return r.readRow(t)
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				// Nothing after the data matters, but read the entry to its
				// end so that a failed checksum is still reported.
				if _, err := io.Copy(io.Discard, r.s.guard.br); err != nil {
					return 0, nil, r.s.fail(err)
				}
				return 0, nil, io.EOF
			}
		}
	}
}

func (r *Reader) readRow(se xml.StartElement) (int, []Cell, error) {
	num := r.lastRow + 1
	if v := attr(se, "r"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, nil, fmt.Errorf("%s: row %s: invalid row number", r.s.where, quote(v))
		}
		num = n
	}
	if num > maxRowNumber {
		return 0, nil, fmt.Errorf("%s: row %d: past Excel's last row %d", r.s.where, num, maxRowNumber)
	}
	if r.rows >= r.lim.MaxRows {
		return 0, nil, fmt.Errorf("%s: more than the MaxRows limit of %d rows", r.s.where, r.lim.MaxRows)
	}
	r.rows++
	r.lastRow = num
	var cells []Cell
	col := -1
	for {
		tok, err := r.s.next()
		if err != nil {
			return 0, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				if err := r.s.skip(); err != nil {
					return 0, nil, err
				}
				continue
			}
			var c Cell
			col, c, err = r.readCell(t, num, col+1)
			if err != nil {
				return 0, nil, err
			}
			for len(cells) <= col {
				cells = append(cells, Cell{})
			}
			cells[col] = c
		case xml.EndElement:
			for len(cells) > 0 && cells[len(cells)-1] == (Cell{}) {
				cells = cells[:len(cells)-1]
			}
			return num, cells, nil
		}
	}
}

// readCell reads a <c> element: its column (from r, else col) and value.
func (r *Reader) readCell(se xml.StartElement, row, col int) (int, Cell, error) {
	ref := attr(se, "r")
	if ref != "" {
		c, ok := parseCol(ref)
		if !ok {
			return 0, Cell{}, fmt.Errorf("%s: cell %s: invalid cell reference", r.s.where, quote(ref))
		}
		col = c
	} else if col >= maxColumns {
		return 0, Cell{}, fmt.Errorf("%s: row %d: more than %d columns", r.s.where, row, maxColumns)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: cell %s%d: "+format, append([]any{r.s.where, colName(col), row}, args...)...)
	}
	tooLong := func() error { return fail("value longer than the MaxCellBytes limit of %d bytes", r.lim.MaxCellBytes) }
	v, inline, hasInline, err := r.cellContent()
	if err == errTooLong {
		return 0, Cell{}, tooLong()
	}
	if err != nil {
		return 0, Cell{}, err
	}
	c, problem := r.cellValue(se, v, inline, hasInline)
	if problem != "" {
		return 0, Cell{}, fail("%s", problem)
	}
	if len(c.Value) > r.lim.MaxCellBytes {
		return 0, Cell{}, tooLong()
	}
	return col, c, nil
}

// cellContent reads a cell's children up to its end: the text of <v> and
// of an inline string <is> (whether there was one); formulas and
// extensions are skipped.
func (r *Reader) cellContent() (v, inline string, hasInline bool, err error) {
	for {
		tok, err := r.s.next()
		if err != nil {
			return "", "", false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				v, err = r.s.text(r.rawCap)
			case "is":
				inline, err = r.s.rich(r.rawCap)
				hasInline = true
			default: // <f> formulas, extLst
				err = r.s.skip()
			}
			if err != nil {
				return "", "", false, err
			}
		case xml.EndElement:
			return v, inline, hasInline, nil
		}
	}
}

// cellValue is a cell's value by its type (the t attribute), or what is
// wrong with it.
func (r *Reader) cellValue(se xml.StartElement, v, inline string, hasInline bool) (Cell, string) {
	var c Cell
	switch typ := attr(se, "t"); typ {
	case "s":
		if v = strings.TrimSpace(v); v == "" {
			break // no value: an empty cell
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= len(r.sst) {
			return c, fmt.Sprintf("shared string index %s out of range (table has %d)", quote(v), len(r.sst))
		}
		c.Value = r.sst[i]
	case "inlineStr":
		if !hasInline {
			inline = v
		}
		c.Value = unescape(inline)
	case "str":
		c.Value = unescape(v)
	case "e":
		c.Value = strings.TrimSpace(v)
	case "b":
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "1", "true":
			c.Value = "TRUE"
		case "0", "false":
			c.Value = "FALSE"
		case "":
		default:
			return c, "invalid boolean " + quote(v)
		}
	case "d":
		if v = strings.TrimSpace(v); v != "" {
			t, ok := parseISO(v)
			if !ok {
				return c, "invalid ISO 8601 date " + quote(v)
			}
			c = Cell{Value: toSerial(t, r.date1904), Number: true, Date: true}
		}
	case "", "n":
		if v = strings.TrimSpace(v); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return c, "invalid number " + quote(v)
			}
			c = Cell{Value: v, Number: true, Date: r.dateStyle(attr(se, "s"))}
		}
	default:
		return c, "unknown cell type " + quote(typ)
	}
	return c, ""
}

func (r *Reader) dateStyle(s string) bool {
	i, err := strconv.Atoi(s)
	if s == "" {
		i, err = 0, nil
	}
	return err == nil && i >= 0 && i < len(r.dateXF) && r.dateXF[i]
}

// parseCol reads the column of a cell reference such as "C7" (A = 0).
func parseCol(ref string) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		if col = col*26 + int(c-'a') + 1; col > maxColumns {
			return 0, false
		}
	}
	if i == 0 || i == len(ref) || len(ref)-i > 7 {
		return 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return col - 1, true
}

// colName is the letters of a column: 0 = A, 26 = AA.
func colName(col int) string {
	var b []byte
	for col++; col > 0; col = (col - 1) / 26 {
		b = append([]byte{byte('A' + (col-1)%26)}, b...)
	}
	return string(b)
}

// printable is a name from the workbook as an error shows it: quoted when it
// holds control characters (a line break would split the message).
func printable(s string) string {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return quote(s)
	}
	return s
}

// quote quotes a value for an error message, cut short if long.
func quote(v string) string {
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	return strconv.Quote(v)
}

// Close releases the workbook. Next after Close returns an error.
func (r *Reader) Close() error {
	var err error
	if r.s != nil {
		err = r.s.rc.Close()
		r.s = nil
	}
	if r.file != nil {
		if e := r.file.Close(); err == nil {
			err = e
		}
		r.file = nil
	}
	if r.err == nil || r.err == io.EOF {
		r.err = fmt.Errorf("%s: reader is closed", r.path)
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", r.path, err)
	}
	return nil
}
