package load

import (
	"fmt"
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
// set; dpn's column is required but its cells may be blank. Besides the
// spec's aliases it has the names ESR reporting and trusts' own sheets use:
// "Org VPD", "Post Name", "Deanery" and "Managing Deanery" (the managing
// deanery body), ... (docs/inputs.md lists them). "Post Number" is left out
// on purpose: in ESR it may be the position number, in TIS it is the
// National Post Number, so a file with it names it with --map.
var Fields = []Field{
	{"vpd", true, []string{"VPD", "VPD Code", "Employing Org VPD Code", "Trust ID", "Org VPD", "Org VPD Code", "Organisation VPD", "Employing VPD"}},
	{"position_id", false, []string{"Position ID", "ESR Position ID", "ESRPositionId"}},
	{"position_number", true, []string{"Position Number", "Position No", "ESR Position", "Position", "ESR Position Number", "Position Num"}},
	{"position_name", true, []string{"Position Name", "Name", "Post Name", "Position Title", "Full Position Name"}},
	{"effective_from", false, []string{"Effective From Date", "Effective Start Date", "Date From", "From", "Position Start Date", "Effective From"}},
	{"effective_to", false, []string{"Effective To Date", "Effective End Date", "Date To", "To", "End Date", "Position End Date", "Effective To"}},
	{"hiring_status", false, []string{"Hiring Status", "Position Status", "Status"}},
	{"staff_group", false, []string{"Job Staff Group", "Staff Group"}},
	{"job_role", false, []string{"Job Role"}},
	{"occupation_code", false, []string{"Occupation Code", "Occ Code"}},
	{"dpn", true, []string{"Deanery Post Number", "DPN", "Training Post Number", "TPN", "TPN Number", "National Post Number", "NPN", "Deanery Post No", "DPN Number"}},
	{"managing_deanery_body", false, []string{"Managing Deanery Body", "Managing LETB", "Managing Office", "MDB", "Deanery", "Managing Deanery", "Deanery Body", "Managing Local Office", "Local Office"}},
	{"host_lead_status", false, []string{"Host/Lead Employer Status", "Head/Lead Status", "Host Lead Indicator", "Host/Lead Status", "Lead Employer Status"}},
	{"workplace_org_code", false, []string{"Workplace Org Code", "ODS Code", "Workplace Organisation Code"}},
	{"organisation", false, []string{"Organisation", "Organization", "ESR Organisation", "Organisation Name"}},
	{"location", false, []string{"Location", "Place of Work", "Location Name"}},
}

// positionKeys are the position fields that identify a record: a row with
// none of them is not a position (see layout.classify).
var positionKeys = []int{fVPD, fPositionID, fPositionNumber, fPositionName, fDPN}

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
	// keys are the fields that identify a record: a data row with every
	// one of them blank is not a record.
	keys []int
}

func newFieldSet(fields []Field, noun string, vpd int, personal bool, keys []int) *fieldSet {
	fs := &fieldSet{fields: fields, alias: make(map[string]int), noun: noun, vpd: vpd, personal: personal, keys: keys}
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
var positionFields = newFieldSet(Fields, "position", fVPD, false, positionKeys)

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
