package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// MaxRows is the most data rows one tab holds (Excel's limit of 1,048,576
// rows less the header). A longer tab continues in "<name> (2)", "<name> (3)"
// ... and the summary says so. A variable so tests can make it small.
var MaxRows = 1048575

// Fill colours (ARGB without alpha), as Excel's "Good" and "Bad" cell styles.
const (
	colourRed       = "FFC7CE" // fill of a cell that breaks a rule, and of NOT READY
	colourRedText   = "9C0006"
	colourGreen     = "C6EFCE" // fill of READY
	colourGreenText = "006100"
	colourHeader    = "D9E1F2"
	maxColWidth     = 60
	minColWidth     = 8
	dateFormat      = "dd/mm/yyyy"
)

// styles are the cell styles of one workbook, and its grid tabs.
type styles struct {
	header, bold, title, heading, wrap, date, red, verdictReady, verdictNotReady, ready, notReady int

	// top is text at the top of its cell: the cells beside a wrapped one;
	// redWrap is red wrapped: a cell that breaks a rule in a wrapped column.
	top, redWrap int

	// grids writes, by worksheet part name, the grid tabs of the workbook
	// (excelBook.tab) when the package is written: see sortedZip.grids.
	grids map[string]func(io.Writer) error
}

func newStyles(f *excelize.File) (*styles, error) {
	fill := func(c string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}}
	}
	dateFmt := dateFormat
	st := &styles{}
	for _, d := range []struct {
		id *int
		s  excelize.Style
	}{
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill(colourHeader)}},
		{&st.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Underline: "single", Size: 14}}},
		{&st.heading, excelize.Style{Font: &excelize.Font{Bold: true, Underline: "single", Size: 12}}},
		{&st.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.date, excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}}},
		{&st.red, excelize.Style{Fill: fill(colourRed), Font: &excelize.Font{Color: colourRedText}}},
		{&st.verdictReady, excelize.Style{Fill: fill(colourGreen), Font: &excelize.Font{Bold: true, Color: colourGreenText, Size: 14}}},
		{&st.ready, excelize.Style{Fill: fill(colourGreen), Font: &excelize.Font{Bold: true, Color: colourGreenText}}},
		{&st.notReady, excelize.Style{Fill: fill(colourRed), Font: &excelize.Font{Bold: true, Color: colourRedText}}},
		{&st.verdictNotReady, excelize.Style{Fill: fill(colourRed), Font: &excelize.Font{Bold: true, Color: colourRedText, Size: 14}}},
		{&st.top, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&st.redWrap, excelize.Style{Fill: fill(colourRed), Font: &excelize.Font{Color: colourRedText},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	} {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return nil, fmt.Errorf("create cell style: %w", err)
		}
		*d.id = id
	}
	return st, nil
}

// newWorkbook starts a workbook whose first tab is named first, with
// document properties fixed from the as-of date so that two runs on the
// same result produce the same content.
func newWorkbook(first string, meta Meta, title string) (*excelize.File, *styles, error) {
	f := excelize.NewFile()
	password := meta.Password
	grids := map[string]func(io.Writer) error{}
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		z := newSortedZip(w, password)
		z.grids = grids
		return z
	})
	if err := f.SetSheetName("Sheet1", first); err != nil {
		_ = f.Close()
		return nil, nil, fmt.Errorf("name tab %s: %w", first, err)
	}
	stamp := time.Date(meta.AsOf.Year(), meta.AsOf.Month(), meta.AsOf.Day(), 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Created:        stamp,
		Modified:       stamp,
		Creator:        meta.tool(),
		LastModifiedBy: meta.tool(),
		Title:          title,
		Version:        meta.Version,
	}); err != nil {
		_ = f.Close()
		return nil, nil, fmt.Errorf("set document properties: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	st.grids = grids
	return f, st, nil
}

// finish writes the workbook to w and releases it, encrypted when it was
// started with a Meta.Password.
func finish(f *excelize.File, w io.Writer) error {
	// excelize assembles the whole package in a buffer of its own and then
	// copies it to w: the zip goes straight to w instead (through the zip
	// writer newWorkbook chose, which knows the password), and the buffer
	// stays empty.
	zipWriter := f.ZipWriter
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zipWriter(w) })
	_, err := f.WriteTo(w)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// grid is one tabular tab: a header and rows of excelize.Cell whose Value
// is a string (always stored as text), an int, a time.Time (zero = empty)
// or nil.
//
// Instead of rows, a grid may generate them: count rows, the i-th made by
// rowAt(i) when needed (once for the widths, once for writing), so that a
// large tab is never held in memory whole. The slice rowAt returns may be
// reused by its next call.
type grid struct {
	name   string
	header []string
	fixed  int // the first fixed columns are shown even when empty (a layout others read by position)
	rows   [][]excelize.Cell
	count  int
	rowAt  func(i int) []excelize.Cell
}

// len is the number of data rows.
func (g *grid) len() int {
	if g.rowAt != nil {
		return g.count
	}
	return len(g.rows)
}

// row is the i-th data row.
func (g *grid) row(i int) []excelize.Cell {
	if g.rowAt != nil {
		return g.rowAt(i)
	}
	return g.rows[i]
}

// tabNames returns the tab names g needs: name, then "name (2)" ... when the
// rows exceed MaxRows.
func (g *grid) tabNames() []string {
	n := 1
	if rows := g.len(); MaxRows > 0 && rows > MaxRows {
		n = (rows + MaxRows - 1) / MaxRows
	}
	names := make([]string, n)
	for i := range names {
		names[i] = g.name
		if i > 0 {
			names[i] = g.name + " (" + strconv.Itoa(i+1) + ")"
		}
	}
	return names
}

// write streams g into new tabs of b (the first may already exist),
// splitting at MaxRows, and returns the names of the tabs written. Each tab
// has the header frozen, repeated on every printed page and filtered; a
// column empty in every row is left out (unless the tab has no rows), a
// text column wider than wrapWidth is wrapped at that width.
func (g *grid) write(b book, st *styles) ([]string, error) {
	names := g.tabNames()
	cols := g.columns()
	for i, name := range names {
		lo := i * MaxRows
		hi := min(lo+MaxRows, g.len())
		if len(names) == 1 {
			lo, hi = 0, g.len()
		}
		if err := cols.tab(b, st, name, hi-lo, func(r int) []excelize.Cell { return g.row(lo + r) }); err != nil {
			return nil, fmt.Errorf("write tab %s: %w", name, err)
		}
	}
	return names, nil
}

// gridColumns are the columns a grid's tabs show: keep[j] is the grid's
// column shown as column j, with its header, width and whether it wraps.
type gridColumns struct {
	header []string
	keep   []int
	widths []int
	wrap   []bool
	all    int // the grid's columns, shown or not
}

// wrapWidth is the width a text column longer than it is wrapped at, so
// that a long message prints whole on a page one tab wide.
const wrapWidth = 50

// columns measures g's columns: the widest value (in runes) of each,
// header included, capped at maxColWidth, or at wrapWidth and wrapped; and
// which of them have a value in some row.
func (g *grid) columns() *gridColumns {
	w := make([]int, len(g.header))
	used := make([]bool, len(g.header))
	for i, h := range g.header {
		w[i] = utf8.RuneCountInString(h) + 3 // room for the filter button
	}
	for r := range g.len() {
		for i, c := range g.row(r) {
			if i >= len(w) {
				break
			}
			if n := cellWidth(c.Value); n > 0 {
				used[i] = true
				w[i] = max(w[i], n)
			}
		}
	}
	cols := &gridColumns{all: len(g.header)}
	for i, n := range w {
		if !used[i] && g.len() > 0 && i >= g.fixed {
			continue
		}
		cols.keep = append(cols.keep, i)
		cols.header = append(cols.header, g.header[i])
		wrap := n > wrapWidth
		if wrap {
			n = wrapWidth - 1
		}
		cols.wrap = append(cols.wrap, wrap)
		cols.widths = append(cols.widths, min(max(n+1, minColWidth), maxColWidth))
	}
	return cols
}

// lines is how many lines the tallest wrapped cell of a row takes.
func (cols *gridColumns) lines(cells []excelize.Cell) int {
	n := 1
	for j, i := range cols.keep {
		if cols.wrap[j] && i < len(cells) {
			if s, ok := cells[i].Value.(string); ok && len(s) > wrapWidth-2 {
				n = max(n, wrappedLines(s, wrapWidth-2))
			}
		}
	}
	return n
}

// tab writes a tab of the grid's header and n rows (row(r) for r in
// 0..n-1) into b.
func (cols *gridColumns) tab(b book, st *styles, name string, n int, row func(r int) []excelize.Cell) error {
	shown := max(len(cols.keep), 1)
	last, err := excelize.CoordinatesToCellName(shown, n+1)
	if err != nil {
		return err
	}
	spec := sheetSpec{lastRow: n + 1, lastCol: shown, freeze: 1, filter: "A1:" + last}
	for _, w := range cols.widths {
		spec.widths = append(spec.widths, w-2) // writeSheet adds 2
	}
	return b.tab(name, spec, func(sw *plainRows) error {
		sw.startRow(1)
		for i, h := range cols.header {
			sw.put(i, st.header, 's', h)
		}
		sw.endRow()
		for r := range n {
			cells := row(r)
			if len(cells) > cols.all {
				return fmt.Errorf("row %d has %d cells, the header %d", r+2, len(cells), cols.all)
			}
			lines := cols.lines(cells)
			sw.startRowLines(r+2, lines)
			for j, i := range cols.keep {
				if i >= len(cells) {
					break
				}
				c := cells[i]
				if t, ok := c.Value.(time.Time); ok && !t.IsZero() {
					c.StyleID, c.Value = st.date, excelDate(t)
				} else if cols.wrap[j] && c.StyleID == 0 {
					c.StyleID = st.wrap
				} else if cols.wrap[j] && c.StyleID == st.red {
					c.StyleID = st.redWrap
				} else if c.StyleID == 0 && lines > 1 {
					c.StyleID = st.top
				}
				if err := sw.cell(j, c); err != nil {
					return err
				}
			}
			sw.endRow()
		}
		return nil
	})
}

// sheetPart is the name of tab name's worksheet part: excelize names the
// part of a sheet by its sheet id.
func sheetPart(f *excelize.File, name string) (string, error) {
	for id, n := range f.GetSheetMap() {
		if n == name {
			return "xl/worksheets/sheet" + strconv.Itoa(id) + ".xml", nil
		}
	}
	return "", fmt.Errorf("tab %s: no worksheet", name)
}

// excelDate drops the time of day and the zone, so a date is the same
// calendar day in the workbook whatever zone it was parsed in.
func excelDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func cellWidth(v any) int {
	switch v := v.(type) {
	case string:
		return stringWidth(v)
	case int:
		return len(strconv.Itoa(v))
	case time.Time:
		if v.IsZero() {
			return 0 // an empty cell
		}
		return len(dateFormat)
	case nil:
		return 0
	}
	return len(fmt.Sprint(v))
}

// stringWidth is the characters of s's longest line: a text cell's width.
func stringWidth(s string) int {
	n := 0
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return max(n, utf8.RuneCountInString(s))
		}
		n = max(n, utf8.RuneCountInString(s[:i]))
		s = s[i+1:]
	}
}

// text is a string cell: input values always go through here or a plain
// string Value, which the stream writer stores as an inline string, never
// as a formula or number.
// An empty string leaves the cell empty.
func text(s string) excelize.Cell {
	if s == "" {
		return excelize.Cell{}
	}
	return excelize.Cell{Value: s}
}

// sortedZip is an excelize ZipWriter that writes the package's parts in
// name order (excelize writes streamed tabs in map order), so the same
// workbook always gives the same bytes. Each part is compressed as it is
// written and kept compressed until Close; excelize writes one part after
// the other, so one compressor serves them all in turn.
//
// With a password the finished package is encrypted (ECMA-376 standard
// encryption, as Excel opens it) on Close: the zip is built in memory, and
// only the encrypted file reaches dst.
type sortedZip struct {
	w     *zip.Writer
	parts []*zipPart
	fw    *flate.Writer
	open  *zipPart // the part being written

	password string
	dst      io.Writer     // with a password: where the encrypted file goes
	plain    *bytes.Buffer // with a password: the zip, before encryption

	// grids write the parts named (tabs, excelBook.tab) instead of what
	// excelize writes for them, which is dropped.
	grids map[string]func(io.Writer) error
}

type zipPart struct {
	name string
	raw  *bytes.Buffer // uncompressed, for the content types part only
	buf  *bytes.Buffer // compressed (partBuffers)
	fw   *flate.Writer // while the part is open
	crc  uint32
	size uint64
}

func (p *zipPart) Write(b []byte) (int, error) {
	if p.raw != nil {
		return p.raw.Write(b)
	}
	if p.fw == nil {
		return 0, fmt.Errorf("write workbook part %s after the next one was started", p.name)
	}
	p.crc = crc32.Update(p.crc, crc32.IEEETable, b)
	p.size += uint64(len(b))
	return p.fw.Write(b)
}

const contentTypesPart = "[Content_Types].xml"

// defaultTypeElem matches one <Default .../> element of the content types
// part, which excelize emits in map order when a chart is added.
var defaultTypeElem = regexp.MustCompile(`<Default [^>]*>(?:</Default>)?`)

// canonicalContentTypes sorts the run of <Default> elements so the part's
// bytes do not depend on map order; their order carries no meaning.
func canonicalContentTypes(b []byte) []byte {
	locs := defaultTypeElem.FindAllIndex(b, -1)
	if len(locs) < 2 {
		return b
	}
	for i := 1; i < len(locs); i++ {
		if locs[i][0] != locs[i-1][1] {
			return b // not one contiguous run: leave it alone
		}
	}
	elems := make([]string, len(locs))
	for i, l := range locs {
		elems[i] = string(b[l[0]:l[1]])
	}
	slices.Sort(elems)
	out := slices.Clone(b[:locs[0][0]])
	for _, e := range elems {
		out = append(out, e...)
	}
	return append(out, b[locs[len(locs)-1][1]:]...)
}

// newSortedZip writes a workbook package to w, encrypted with password
// unless it is "".
func newSortedZip(w io.Writer, password string) *sortedZip {
	if password == "" {
		return &sortedZip{w: zip.NewWriter(w)}
	}
	plain := new(bytes.Buffer)
	return &sortedZip{w: zip.NewWriter(plain), password: password, dst: w, plain: plain}
}

// minEncryptedZip is the least size of a zip that is encrypted: see Close.
const minEncryptedZip = 8 << 10

// compressors are reused across workbooks: a flate.Writer holds about a
// megabyte of tables, and a national run writes hundreds of workbooks.
var compressors sync.Pool

// compress points the compressor at p's buffer.
func (z *sortedZip) compress(p *zipPart) error {
	if z.fw == nil {
		if fw, ok := compressors.Get().(*flate.Writer); ok {
			z.fw = fw
		} else {
			fw, err := flate.NewWriter(p.buf, flate.BestSpeed)
			if err != nil {
				return err
			}
			z.fw = fw
		}
	}
	z.fw.Reset(p.buf)
	p.fw = z.fw
	return nil
}

// partBuffers hold parts compressed until Close, reused across workbooks:
// a national run writes ~400 workbooks of ~7 parts, and a buffer grown
// by doubling for each was ~20 MB of garbage.
var partBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// release hands the compressor back for the next workbook, and the part
// buffers.
func (z *sortedZip) release() {
	for _, p := range z.parts {
		if p.buf != nil {
			p.buf.Reset()
			partBuffers.Put(p.buf)
			p.buf = nil
		}
	}
	if z.fw != nil {
		z.fw.Reset(io.Discard)
		compressors.Put(z.fw)
		z.fw = nil
	}
}

// finishOpen ends the compressed stream of the part being written.
func (z *sortedZip) finishOpen() error {
	p := z.open
	z.open = nil
	if p == nil || p.fw == nil {
		return nil
	}
	err := p.fw.Close()
	p.fw = nil
	return err
}

func (z *sortedZip) Create(name string) (io.Writer, error) {
	if err := z.finishOpen(); err != nil {
		return nil, err
	}
	p := &zipPart{name: name, buf: partBuffers.Get().(*bytes.Buffer)}
	if name == contentTypesPart {
		p.raw = new(bytes.Buffer)
	} else if err := z.compress(p); err != nil {
		return nil, err
	}
	z.parts = append(z.parts, p)
	z.open = p
	if write := z.grids[name]; write != nil {
		if err := write(p); err != nil {
			return nil, err
		}
		return io.Discard, nil // excelize's empty tab
	}
	return p, nil
}

func (z *sortedZip) AddFS(fs.FS) error {
	return fmt.Errorf("add file system to workbook: not supported")
}

func (z *sortedZip) Close() error {
	defer z.release()
	if err := z.finishOpen(); err != nil {
		return err
	}
	slices.SortStableFunc(z.parts, func(a, b *zipPart) int {
		switch {
		case a.name < b.name:
			return -1
		case a.name > b.name:
			return 1
		}
		return 0
	})
	for _, p := range z.parts {
		if p.raw != nil {
			b := canonicalContentTypes(p.raw.Bytes())
			p.raw = nil
			if err := z.compress(p); err != nil {
				return err
			}
			if _, err := p.Write(b); err != nil {
				return err
			}
			if err := p.fw.Close(); err != nil {
				return err
			}
		}
		fh := &zip.FileHeader{
			Name:               p.name,
			Method:             zip.Deflate,
			CRC32:              p.crc,
			CompressedSize64:   uint64(p.buf.Len()),
			UncompressedSize64: p.size,
		}
		out, err := z.w.CreateRaw(fh)
		if err != nil {
			return err
		}
		if _, err := p.buf.WriteTo(out); err != nil {
			return err
		}
		partBuffers.Put(p.buf) // drained by WriteTo
		p.buf = nil
	}
	z.parts = nil
	if z.password != "" && z.plain.Len() < minEncryptedZip {
		// An encrypted package under 4 KiB goes in the container's mini
		// stream, which excelize writes but cannot read back: padding the
		// zip's comment keeps every encrypted workbook on the path tested
		// by reopening it (a plain book has no theme part, so a small one
		// can be that short).
		if err := z.w.SetComment(strings.Repeat(" ", minEncryptedZip-z.plain.Len())); err != nil {
			return err
		}
	}
	if err := z.w.Close(); err != nil {
		return err
	}
	if z.password == "" {
		return nil
	}
	enc, err := excelize.Encrypt(z.plain.Bytes(), &excelize.Options{Password: z.password})
	z.plain = nil
	if err != nil {
		return fmt.Errorf("encrypt workbook: %w", err)
	}
	_, err = z.dst.Write(enc)
	return err
}
