package load

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Field is one field of a tabular input (positions: inputs.md §1b,
// placements: §2): its name (as used by --map),
// whether a file must have a column for it, and the header aliases that
// select it.
type Field struct {
	Name     string
	Required bool
	Aliases  []string
}

// Field indexes into Fields; the order is the inputs.md §1b table's.
const (
	fVPD = iota
	fPositionID
	fPositionNumber
	fPositionName
	fEffectiveFrom
	fEffectiveTo
	fHiringStatus
	fStaffGroup
	fJobRole
	fOccupationCode
	fDPN
	fManagingBody
	fHostLead
	fWorkplaceOrg
	fOrganisation
	fLocation
	numFields
)

// Fields lists the position fields (inputs.md §1b) with their header aliases,
// for --map validation and help text. vpd is required unless Options.VPD is
// set; dpn's column is required but its cells may be blank.
var Fields = []Field{
	{"vpd", true, []string{"VPD", "VPD Code", "Employing Org VPD Code", "Trust ID"}},
	{"position_id", false, []string{"Position ID", "ESR Position ID", "ESRPositionId"}},
	{"position_number", true, []string{"Position Number", "Position No", "ESR Position", "Position"}},
	{"position_name", true, []string{"Position Name", "Name"}},
	{"effective_from", false, []string{"Effective From Date", "Effective Start Date", "Date From", "From"}},
	{"effective_to", false, []string{"Effective To Date", "Effective End Date", "Date To", "To", "End Date"}},
	{"hiring_status", false, []string{"Hiring Status", "Position Status", "Status"}},
	{"staff_group", false, []string{"Job Staff Group", "Staff Group"}},
	{"job_role", false, []string{"Job Role"}},
	{"occupation_code", false, []string{"Occupation Code", "Occ Code"}},
	{"dpn", true, []string{"Deanery Post Number", "DPN", "Training Post Number", "TPN", "TPN Number", "National Post Number", "NPN"}},
	{"managing_deanery_body", false, []string{"Managing Deanery Body", "Managing LETB", "Managing Office", "MDB"}},
	{"host_lead_status", false, []string{"Host/Lead Employer Status", "Head/Lead Status", "Host Lead Indicator"}},
	{"workplace_org_code", false, []string{"Workplace Org Code", "ODS Code"}},
	{"organisation", false, []string{"Organisation", "Organization", "ESR Organisation"}},
	{"location", false, []string{"Location", "Place of Work"}},
}

// fieldSet is the fields of one kind of tabular file (positions or
// placements) with what header resolution needs to know about them.
type fieldSet struct {
	fields []Field
	alias  map[string]int // normalised alias -> field index
	noun   string         // what a record is, for messages: "position", "placement"
	// vpd is the field that Options.VPD makes optional (-1: none).
	vpd int
	// personal: the records hold personal data, so a row that names no
	// field at all (a file with no header) is refused without quoting its
	// cells, which would be a trainee's details.
	personal bool
}

func newFieldSet(fields []Field, noun string, vpd int, personal bool) *fieldSet {
	fs := &fieldSet{fields: fields, alias: make(map[string]int), noun: noun, vpd: vpd, personal: personal}
	for i, f := range fields {
		for _, a := range f.Aliases {
			n := normHeader(a)
			if prev, dup := fs.alias[n]; dup && prev != i {
				panic(fmt.Sprintf("load: alias %q of %s is also an alias of %s", a, f.Name, fields[prev].Name))
			}
			fs.alias[n] = i
		}
	}
	return fs
}

// positionFields is Fields as a fieldSet.
var positionFields = newFieldSet(Fields, "position", fVPD, false)

// normHeader is the form headers are compared in: lower case, without
// white space, '_', '-', '/', '.' and byte order marks.
func normHeader(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	for _, r := range h {
		switch r {
		case ' ', '\t', '\r', '\n', '\u00a0', '_', '-', '/', '.', '\ufeff':
			continue
		}
		b.WriteString(strings.ToLower(string(r)))
	}
	return b.String()
}

// displayHeader is a header as it is shown in messages and ExtraColumns:
// surrounding white space (any Unicode space: a form feed or no-break
// space too) and BOM removed; an empty header is named by its column letter.
func displayHeader(h string, col int) string {
	h = strings.TrimFunc(h, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
	if h == "" {
		return "(column " + colLetter(col) + ")"
	}
	return h
}

// colLetter is Excel's name for the 0-based column i: A, B, ..., Z, AA, ...
func colLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// layout says where each field lives in a file's records.
type layout struct {
	col      []int    // column of each field, -1 when absent
	idx      []int    // col, or ncol when absent: a record has an extra "" there
	extra    []int    // columns not mapped to a field, in file order
	extraHdr []string // their headers, for Input.ExtraColumns
	headers  []string // every header as displayed
	ncol     int
}

// resolveHeaders maps a header row to the position fields. row is the
// header's line/row for errors.
func resolveHeaders(file string, row int, hdr []string, opts Options) (*layout, error) {
	return resolveLayout(positionFields, file, row, hdr, opts)
}

// resolveLayout maps a header row to the fields of fs. row is the header's
// line/row for errors.
func resolveLayout(fs *fieldSet, file string, row int, hdr []string, opts Options) (*layout, error) {
	fields := fs.fields
	nf := len(fields)
	lay := &layout{ncol: len(hdr), col: make([]int, nf), idx: make([]int, nf)}
	for i := range lay.col {
		lay.col[i] = -1
	}
	norm := make([]string, len(hdr))
	lay.headers = make([]string, len(hdr))
	for i, h := range hdr {
		norm[i] = normHeader(h)
		lay.headers[i] = displayHeader(h, i)
	}
	fail := func(format string, a ...any) error {
		return &Error{File: file, Line: row, Msg: fmt.Sprintf(format, a...)}
	}
	found := func() string { return quoteList(lay.headers) }
	if fs.personal && !namesAField(fs, norm, opts.Map) {
		return nil, fail("expected a header row naming the %s fields (headers like %s), found a row with none of them; "+
			"its %d cells are not shown, as they may hold personal data: is the header row missing, or below a title row?",
			fs.noun, quoteList(requiredAliases(fields)), len(hdr))
	}

	// --map overrides first, in field order so errors are deterministic.
	taken := make([]int, len(hdr)) // field+1 that owns the column, 0 = free
	mapped := make([]bool, nf)
	keys := make([]string, 0, len(opts.Map))
	for k := range opts.Map {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fi := fieldIndexIn(fields, k)
		if fi < 0 {
			return nil, fail("--map %s: unknown field %q; valid fields: %s", k, k, strings.Join(fieldNamesOf(fields), ", "))
		}
		want := normHeader(opts.Map[k])
		col := -1
		for i, n := range norm {
			if n == want && want != "" {
				col = i
				break
			}
		}
		if col < 0 {
			return nil, fail("--map %s=%s: no such header; headers found: %s", k, opts.Map[k], found())
		}
		if taken[col] != 0 {
			return nil, fail("--map: header %q mapped to both %s and %s", lay.headers[col], fields[taken[col]-1].Name, k)
		}
		taken[col] = fi + 1
		mapped[fi] = true
		lay.col[fi] = col
	}
	// Aliases for the fields --map did not set.
	for i, n := range norm {
		if taken[i] != 0 {
			continue
		}
		fi, ok := fs.alias[n]
		if !ok || mapped[fi] {
			continue
		}
		if prev := lay.col[fi]; prev >= 0 {
			return nil, fail("columns %s (%s) and %s (%s) are both %s; use --map %s=HEADER to choose one",
				colLetter(prev), strconvQuote(lay.headers[prev]), colLetter(i), strconvQuote(lay.headers[i]),
				fields[fi].Name, fields[fi].Name)
		}
		lay.col[fi] = i
		taken[i] = fi + 1
	}
	for fi, f := range fields {
		if !f.Required || lay.col[fi] >= 0 || (fi == fs.vpd && opts.VPD != "") {
			continue
		}
		msg := fmt.Sprintf("no column for required field %s (headers like %s); headers found: %s",
			f.Name, quoteList(f.Aliases), found())
		var free []string // headers no field has taken
		for i, h := range lay.headers {
			if taken[i] == 0 {
				free = append(free, h)
			}
		}
		if h, a, d := closestAlias(free, f.Aliases); h != "" {
			msg += fmt.Sprintf("; closest: %s is %d edit(s) from alias %s", strconvQuote(h), d, strconvQuote(a))
		}
		if fi == fs.vpd {
			msg += "; or give the VPD with --vpd"
		}
		msg += fmt.Sprintf("; use --map %s=HEADER if the column has another name", f.Name)
		return nil, fail("%s", msg)
	}
	for fi, c := range lay.col {
		lay.idx[fi] = c
		if c < 0 {
			lay.idx[fi] = len(hdr)
		}
	}
	for i := range hdr {
		if taken[i] == 0 {
			lay.extra = append(lay.extra, i)
			lay.extraHdr = append(lay.extraHdr, lay.headers[i])
		}
	}
	return lay, nil
}

func fieldIndexIn(fields []Field, name string) int {
	n := strings.ToLower(strings.TrimSpace(name))
	for i, f := range fields {
		if f.Name == n {
			return i
		}
	}
	return -1
}

func fieldNamesOf(fields []Field) []string {
	s := make([]string, len(fields))
	for i, f := range fields {
		s[i] = f.Name
	}
	return s
}

// namesAField reports whether any normalised header is an alias of fs or
// the header a --map entry names.
func namesAField(fs *fieldSet, norm []string, m map[string]string) bool {
	for _, n := range norm {
		if _, ok := fs.alias[n]; ok {
			return true
		}
		for _, h := range m {
			if n != "" && n == normHeader(h) {
				return true
			}
		}
	}
	return false
}

// requiredAliases is the first alias of each required field.
func requiredAliases(fields []Field) []string {
	var s []string
	for _, f := range fields {
		if f.Required && len(f.Aliases) > 0 {
			s = append(s, f.Aliases[0])
		}
	}
	return s
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

func quoteList(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconvQuote(v)
	}
	return strings.Join(q, ", ")
}

// closestAlias finds the header nearest (in edit distance of the normalised
// forms) to any of aliases. It returns "" when no header is reasonably close.
func closestAlias(headers, aliases []string) (header, alias string, dist int) {
	dist = -1
	for _, h := range headers {
		nh := normHeader(h)
		if nh == "" {
			continue
		}
		for _, a := range aliases {
			na := normHeader(a)
			d := editDistance(nh, na)
			if dist < 0 || d < dist {
				header, alias, dist = h, a, d
			}
		}
	}
	// Only suggest when under half of the alias would have to change.
	if dist < 0 || dist*2 > len(normHeader(alias)) {
		return "", "", 0
	}
	return header, alias, dist
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
