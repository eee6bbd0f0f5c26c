package load

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"dpnkit/internal/model"
)

// Header rows, title rows and footer rows of tabular files (inputs.md §1b):
//
// The header is the first row, within the first headerRows rows, that names
// every required field (after --map); the rows above it are title rows (a
// report's title, its run date, blank rows). Options.HeaderRow names the
// header's row instead. Below the header each row is classified by
// layout.classify: blank, a record, or not a record (a lone text cell such
// as "Total rows: 2" or "Report run by: ..."; two cells the first of which
// starts with a footer word such as "Total:"; or every key field blank).
// Rows that are not records after the last record are footer rows; those
// with records after them ("Total for VPD 504: 14" between two groups) are
// stray rows. Both are skipped and counted, as are blank rows (between the
// header and the last non-blank row), on model.Input.

// headerRows is how far down a file the header is looked for.
const headerRows = 30

// layout says where each field lives in a file's records.
type layout struct {
	col      []int    // column of each field, -1 when absent
	idx      []int    // col, or ncol when absent: a record has an extra "" there
	extra    []int    // columns not mapped to a field, in file order
	extraHdr []string // their headers, for Input.ExtraColumns
	headers  []string // every header as displayed
	ncol     int
	keys     []int          // columns of the key fields the file has (fieldSet.keys)
	columns  []model.Column // for Input.Columns
}

// headerMatch is how one row reads as a header.
type headerMatch struct {
	lay     *layout
	taken   []int  // field+1 that owns each column, 0 = free
	named   int    // columns that name a field
	missing []int  // required fields with no column (and no --map entry)
	mapMiss []int  // fields whose --map header is not in the row
	ambig   string // two columns name one field: the message
}

func (m *headerMatch) complete() bool { return len(m.missing) == 0 && len(m.mapMiss) == 0 }

// matchHeader reads hdr as a header of fs, with the file's --map entries fm
// (field index -> header). vpdGiven makes fs's vpd field optional.
func matchHeader(fs *fieldSet, hdr []string, fm map[int]string, vpdGiven bool) *headerMatch {
	fields := fs.fields
	nf := len(fields)
	lay := &layout{ncol: len(hdr), col: make([]int, nf), idx: make([]int, nf), headers: make([]string, len(hdr))}
	for i := range lay.col {
		lay.col[i] = -1
	}
	norm := make([]string, len(hdr))
	for i, h := range hdr {
		norm[i] = normHeader(h)
		lay.headers[i] = displayHeader(h, i)
	}
	m := &headerMatch{lay: lay, taken: make([]int, len(hdr))}
	mapped := make([]bool, nf)
	for fi := range nf { // --map entries first, in field order
		h, ok := fm[fi]
		if !ok {
			continue
		}
		mapped[fi] = true
		want := normHeader(h)
		col := -1
		for i, n := range norm {
			if n == want && want != "" && m.taken[i] == 0 {
				col = i
				break
			}
		}
		if col < 0 {
			m.mapMiss = append(m.mapMiss, fi)
			continue
		}
		m.taken[col] = fi + 1
		lay.col[fi] = col
	}
	for i, n := range norm { // aliases for the fields --map did not set
		if m.taken[i] != 0 {
			continue
		}
		fi, ok := fs.alias[n]
		if !ok || mapped[fi] {
			continue
		}
		if prev := lay.col[fi]; prev >= 0 {
			if m.ambig == "" {
				m.ambig = fmt.Sprintf("columns %s (%s) and %s (%s) are both %s; use --map %s=HEADER to choose one",
					colLetter(prev), strconvQuote(lay.headers[prev]), colLetter(i), strconvQuote(lay.headers[i]),
					fields[fi].Name, fields[fi].Name)
			}
			continue
		}
		lay.col[fi] = i
		m.taken[i] = fi + 1
	}
	for fi, f := range fields {
		if f.Required && lay.col[fi] < 0 && !mapped[fi] && !(fi == fs.vpd && vpdGiven) {
			m.missing = append(m.missing, fi)
		}
	}
	m.finish(fs, mapped)
	return m
}

// finish fills in the layout of m once its fields have their columns: the
// columns and their fields, the columns not used, where absent fields read
// from, and the key fields' columns.
func (m *headerMatch) finish(fs *fieldSet, mapped []bool) {
	lay, fields := m.lay, fs.fields
	lay.columns = make([]model.Column, len(lay.headers))
	for i, t := range m.taken {
		c := model.Column{Column: colLetter(i), Header: lay.headers[i]}
		if t != 0 {
			m.named++
			c.Field, c.Mapped = fields[t-1].Name, mapped[t-1]
		} else {
			lay.extra = append(lay.extra, i)
			lay.extraHdr = append(lay.extraHdr, lay.headers[i])
		}
		lay.columns[i] = c
	}
	for fi, c := range lay.col {
		lay.idx[fi] = c
		if c < 0 {
			lay.idx[fi] = lay.ncol
		}
	}
	for _, fi := range fs.keys {
		if c := lay.col[fi]; c >= 0 {
			lay.keys = append(lay.keys, c)
		}
	}
}

// missingError reports, in one message, every required field the header
// row lacks and every --map entry whose header is not in it, each with the
// closest header of the row.
func missingError(fs *fieldSet, file string, row int, m *headerMatch, fm map[int]string) error {
	var free []string // headers no field has taken
	for i, h := range m.lay.headers {
		if m.taken[i] == 0 {
			free = append(free, h)
		}
	}
	// Each field gets a header of its own when there is one: a header
	// suggested for one field is not suggested again.
	suggested := map[string]bool{}
	closest := func(like []string) string {
		var rest []string
		for _, h := range free {
			if !suggested[h] {
				rest = append(rest, h)
			}
		}
		h := closestHeader(rest, like)
		if h == "" {
			h = closestHeader(free, like)
		}
		if h == "" {
			return "no header like it"
		}
		suggested[h] = true
		return "closest header " + strconvQuote(h)
	}
	var parts []string
	if len(m.missing) > 0 {
		descs := make([]string, len(m.missing))
		for i, fi := range m.missing {
			f := fs.fields[fi]
			descs[i] = fmt.Sprintf("%s (headers like %s; %s)", f.Name, quoteList(f.Aliases), closest(f.Aliases))
		}
		what := "no column for required field "
		if len(descs) > 1 {
			what = "no column for required fields "
		}
		parts = append(parts, what+strings.Join(descs, ", "))
	}
	for _, fi := range m.mapMiss {
		parts = append(parts, fmt.Sprintf("--map %s=%s: no such header (%s)", fs.fields[fi].Name, fm[fi], closest([]string{fm[fi]})))
	}
	parts = append(parts, "headers found: "+quoteList(m.lay.headers))
	for _, fi := range m.missing {
		if fi == fs.vpd {
			parts = append(parts, "or give the VPD with --vpd")
		}
	}
	if len(m.missing) > 0 {
		parts = append(parts, "use --map FIELD=HEADER if a column has another name ('dpnkit fields' lists the fields and their headers)")
	}
	return &Error{File: file, Line: row, Msg: strings.Join(parts, "; ")}
}

// noHeaderError refuses a file of personal data whose header row names no
// field, without quoting the row (it may be a trainee's details).
func noHeaderError(fs *fieldSet, file string, row, ncell int) error {
	return &Error{File: file, Line: row, Msg: fmt.Sprintf("expected a header row naming the %s fields (headers like %s), found a row with none of them; "+
		"its %d cells are not shown, as they may hold personal data: is the header row missing, or more than %d rows down (--header-row N names it)?",
		fs.noun, quoteList(requiredAliases(fs.fields)), ncell, headerRows)}
}

// knownField reports whether name is a field of any tabular kind
// (positions, placements, people).
func knownField(name string) bool {
	for _, list := range [][]Field{Fields, PlacementFields, PeopleFields} {
		if fieldIndexIn(list, name) >= 0 {
			return true
		}
	}
	return false
}

// SplitMapKey splits a --map key, "field" or "FILE:field", into its file
// ("" when none) and field.
func SplitMapKey(key string) (file, field string) {
	if i := strings.LastIndexByte(key, ':'); i >= 0 {
		return strings.TrimSpace(key[:i]), strings.TrimSpace(key[i+1:])
	}
	return "", strings.TrimSpace(key)
}

// MapFileMatches reports whether the file part of a --map key (or of a
// --header-row entry) names path: its path as given or its base name.
func MapFileMatches(file, path string) bool {
	return file == path || filepath.Clean(file) == filepath.Clean(path) || file == filepath.Base(path)
}

// fileMap is the --map entries that apply to the file at path, for the
// fields of fs, by field index. An entry "FILE:field" applies to the file
// FILE names (MapFileMatches) and wins over an entry "field", which applies
// to every file. A field of another kind of file (a placement field in a
// positions load) is for the other files and left out; a field of no kind
// is an error.
func fileMap(fs *fieldSet, path string, m map[string]string) (map[int]string, error) {
	if len(m) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := map[int]string{}
	scoped := map[int]bool{}
	for _, k := range keys {
		file, field := SplitMapKey(k)
		if file != "" && !MapFileMatches(file, path) {
			continue
		}
		fi := fieldIndexIn(fs.fields, field)
		if fi < 0 {
			if knownField(field) {
				continue
			}
			return nil, &Error{File: path, Msg: fmt.Sprintf("--map %s: unknown field %q; valid fields: %s",
				k, field, strings.Join(fieldNamesOf(fs.fields), ", "))}
		}
		if scoped[fi] && file != "" {
			return nil, &Error{File: path, Msg: fmt.Sprintf("--map names field %s twice for this file", field)}
		}
		if file != "" || !scoped[fi] {
			out[fi] = m[k]
			scoped[fi] = file != ""
		}
	}
	for fi, h := range out { // one header for two fields
		for fj, g := range out {
			if fi < fj && normHeader(h) == normHeader(g) {
				return nil, &Error{File: path, Msg: fmt.Sprintf("--map: header %q mapped to both %s and %s", h, fs.fields[fi].Name, fs.fields[fj].Name)}
			}
		}
	}
	return out, nil
}

// headerRowFor is the header row Options.HeaderRow gives path: its own
// entry, else the entry for every file (key ""); 0 = look for it.
func headerRowFor(m map[string]int, path string) int {
	for k, n := range m {
		if k != "" && MapFileMatches(k, path) {
			return n
		}
	}
	return m[""]
}

// headerSearch finds a file's header row among the rows offered to it.
type headerSearch struct {
	fs       *fieldSet
	file     string
	fm       map[int]string
	vpdGiven bool
	want     int // the header's row from Options.HeaderRow; 0 = look for it
	best     *headerMatch
	bestRow  int
	first    *headerMatch // the first non-blank row's match
	firstRow int
	firstN   int // its cells
}

func newHeaderSearch(fs *fieldSet, path string, opts Options) (*headerSearch, error) {
	fm, err := fileMap(fs, path, opts.Map)
	if err != nil {
		return nil, err
	}
	return &headerSearch{fs: fs, file: path, fm: fm, vpdGiven: opts.VPD != "", want: headerRowFor(opts.HeaderRow, path)}, nil
}

// past reports whether row lies beyond the rows searched.
func (h *headerSearch) past(row int) bool {
	if h.want > 0 {
		return row > h.want
	}
	return row > headerRows
}

// offer reads a non-blank row (its cells hdr, a copy the layout may keep)
// as the header. It returns the layout when the row is the header.
func (h *headerSearch) offer(row int, hdr []string) (*layout, error) {
	if h.want > 0 && row != h.want {
		return nil, nil
	}
	m := matchHeader(h.fs, hdr, h.fm, h.vpdGiven)
	if h.first == nil {
		h.first, h.firstRow, h.firstN = m, row, len(hdr)
	}
	if m.complete() {
		if m.ambig != "" {
			return nil, &Error{File: h.file, Line: row, Msg: m.ambig}
		}
		return m.lay, nil
	}
	if h.best == nil || m.named > h.best.named {
		h.best, h.bestRow = m, row
	}
	if h.want > 0 {
		return nil, h.fail(row)
	}
	return nil, nil
}

// fail is the error of a file whose header was not found; rows is the
// number of rows read. It is nil when no row was offered at all: the
// caller says the file is empty.
func (h *headerSearch) fail(rows int) error {
	if h.first == nil {
		if h.want > 0 && rows < h.want {
			return &Error{File: h.file, Msg: fmt.Sprintf("--header-row %d: expected a header on row %d, found only %d rows", h.want, h.want, rows)}
		}
		if h.want > 0 {
			return &Error{File: h.file, Line: h.want, Msg: fmt.Sprintf("--header-row %d: expected a header row, found a blank row", h.want)}
		}
		return nil
	}
	b, row := h.best, h.bestRow
	if b.named == 0 || h.fs.personal && b.named < 2 {
		if h.fs.personal {
			return noHeaderError(h.fs, h.file, h.firstRow, h.firstN)
		}
		b, row = h.first, h.firstRow
	}
	return missingError(h.fs, h.file, row, b, h.fm)
}

// done records the header found on Input: its row, the title rows above
// it, and its columns.
func (h *headerSearch) done(in *model.Input, row int, lay *layout) {
	in.HeaderRow, in.TitleRows = row, row-1
	in.Columns = lay.columns
	in.ExtraColumns = lay.extraHdr
}

// closestHeader is the header nearest to any of like: in edit distance of
// the normalised forms when at most a third of one would change (a typo),
// else the one sharing the most words with one of them (the first on a
// tie); "" when none is near.
func closestHeader(headers, like []string) string {
	best, dist := "", -1
	for _, h := range headers {
		nh := normHeader(h)
		if nh == "" {
			continue
		}
		for _, a := range like {
			na := normHeader(a)
			if d := len(nh) - len(na); d*3 > len(na) || -d*3 > len(na) {
				continue // too far apart in length to be close (and long values stay cheap)
			}
			if d := model.EditDistance(nh, na); d*3 <= len(na) && (dist < 0 || d < dist) {
				best, dist = h, d
			}
		}
	}
	if best != "" {
		return best
	}
	most := 0
	for _, h := range headers {
		hw := words(h)
		for _, a := range like {
			if n := shared(hw, words(a)); n > most {
				best, most = h, n
			}
		}
	}
	return best
}

// words are the lower-case words of s (runs of letters and digits) that
// mean something in a header, from its first 200 bytes.
func words(s string) []string {
	if len(s) > 200 {
		s = s[:200]
	}
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := f[:0]
	for _, w := range f {
		switch w {
		case "no", "of", "the", "and", "id", "code":
			continue
		}
		out = append(out, w)
	}
	return out
}

func shared(a, b []string) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				n++
				break
			}
		}
	}
	return n
}

// Row kinds below the header (layout.classify).
type rowKind int

const (
	rowRecord    rowKind = iota
	rowBlank             // every cell blank
	rowNonRecord         // a footer or stray row: not a record
)

// footerWords start the first cell of a two-cell footer row ("Total:,14").
var footerWords = []string{"total", "grand total", "sub total", "subtotal", "sub-total", "count", "record count",
	"row count", "rows", "report run", "run by", "run date", "run on", "report date", "printed", "generated",
	"end of report", "page"}

// classify says what a data row rec is: blank, a record, or not a record
// (a lone line of text, see loneText; two cells the first of which starts
// with a footer word; or every key field blank). It costs a few comparisons for a
// record: the first cells are not blank, nor are the key fields. A row
// with fewer cells than the header is classified too (a footer line
// typed into a CSV has one); the caller refuses it when it is a record.
func (l *layout) classify(rec []string) rowKind {
	n, first := 0, -1
	for i, f := range rec {
		if !blankCell(f) {
			if n == 0 {
				first = i
			}
			if n++; n == 3 {
				break
			}
		}
	}
	switch {
	case n == 0:
		return rowBlank
	case n == 1 && l.ncol >= 3 && l.loneText(rec[first], first):
		return rowNonRecord // "Total rows: 2", "Report run by: ..."
	case n == 2 && footerWord(rec[first]):
		return rowNonRecord
	case len(rec) < l.ncol:
		return rowRecord
	}
	for _, c := range l.keys {
		if !blankCell(rec[c]) {
			return rowRecord
		}
	}
	return rowNonRecord
}

// loneText reports whether the only value of a row, v in column col, is a
// line of text rather than a record with one value: it starts with a
// footer word, or holds a space or a colon, or its column is none of the
// key fields. A record that holds only its id ("7,,,,,") is a record, for
// the checks to report what it lacks.
func (l *layout) loneText(v string, col int) bool {
	if footerWord(v) || strings.ContainsAny(strings.TrimSpace(v), " :") {
		return true
	}
	for _, c := range l.keys {
		if c == col {
			return false
		}
	}
	return true
}

// blankCell reports whether s is empty or white space only.
func blankCell(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n', '\v', '\f':
		default:
			return false
		}
	}
	return true
}

// footerWord reports whether cell starts with one of footerWords as a
// whole word ("Total:", "Total rows", not "Totality").
func footerWord(cell string) bool {
	c := strings.ToLower(strings.TrimSpace(cell))
	for _, w := range footerWords {
		if strings.HasPrefix(c, w) {
			rest := c[len(w):]
			if rest == "" {
				return true
			}
			r := rest[0]
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 0x80) {
				return true
			}
		}
	}
	return false
}

// rowNotes is how many rows of stray rows are named.
const rowNotes = 5

// rowCounts are the counts of the rows below the header that were not
// records, for a file or a block of one; blocks add up in file order.
// Rows are relative to the block until shift makes them absolute.
type rowCounts struct {
	blank      int  // blank rows
	blankTrail int  // of them, those after the last non-blank row
	nonBlank   bool // the block has a non-blank row
	nonRec     int  // rows that are not records
	trail      int  // of them, those after the last record
	hasRec     bool // the block has a record
	at         [rowNotes]int
	nAt        int // rows not records named in at (the first ones)
}

func (c *rowCounts) blankRow() { c.blankRows(1) }

func (c *rowCounts) blankRows(n int) {
	if n > 0 {
		c.blank += n
		c.blankTrail += n
	}
}

func (c *rowCounts) record() { c.hasRec, c.trail, c.nonBlank, c.blankTrail = true, 0, true, 0 }

func (c *rowCounts) nonRecord(row int) {
	c.nonRec++
	c.trail++
	c.nonBlank, c.blankTrail = true, 0
	if c.nAt < rowNotes {
		c.at[c.nAt] = row
		c.nAt++
	}
}

// shift adds by to the rows of c.
func (c rowCounts) shift(by int) rowCounts {
	for i := range c.nAt {
		c.at[i] += by
	}
	return c
}

// add is c followed by o.
func (c rowCounts) add(o rowCounts) rowCounts {
	r := c
	r.blank += o.blank
	r.nonRec += o.nonRec
	if o.nonBlank {
		r.nonBlank, r.blankTrail = true, o.blankTrail
	} else {
		r.blankTrail += o.blank
	}
	if o.hasRec {
		r.hasRec, r.trail = true, o.trail
	} else {
		r.trail += o.nonRec
	}
	for i := 0; i < o.nAt && r.nAt < rowNotes; i++ {
		r.at[r.nAt] = o.at[i]
		r.nAt++
	}
	return r
}

// note records c on in: footer, stray and blank rows.
func (c rowCounts) note(in *model.Input) {
	in.FooterRows = c.trail
	in.StrayRows = c.nonRec - c.trail
	in.BlankRows = c.blank - c.blankTrail
	if in.StrayRows > 0 {
		in.StrayRowsAt = append([]int(nil), c.at[:min(c.nAt, in.StrayRows)]...)
	}
}
