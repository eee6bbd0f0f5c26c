package model

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Deanery is a managing deanery body (HEE local office, or NHS Wales/Scotland/NI).
type Deanery struct {
	Code string // the DPN prefix, e.g. KSS
	Name string // as ESR's Managing Deanery Body list or TIS shows it
}

// Deaneries is the list of managing deanery bodies dpnkit knows: the DPN
// prefix codes seen in ESR and TIS, with their names.
var Deaneries = []Deanery{
	{"EOE", "Health Education England East of England"},
	{"EMD", "Health Education England East Midlands"},
	{"KSS", "Health Education England Kent, Surrey and Sussex"},
	{"LDN", "Health Education England London"},
	{"NTH", "Health Education England North East"},
	{"NWN", "Health Education England North West"},
	{"MER", "Health Education England Mersey"},
	{"OXF", "Health Education England Thames Valley"},
	{"PEN", "Health Education England South West (Peninsula)"},
	{"SEV", "Health Education England South West (Severn)"},
	{"WES", "Health Education England Wessex"},
	{"WMD", "Health Education England West Midlands"},
	{"YHD", "Health Education England Yorkshire and the Humber"},
	{"WAL", "Wales"},
	{"SCO", "Scotland"},
	{"NIR", "Northern Ireland"},
}

// officeAliases are further names and abbreviations of the local offices:
// the names TIS uses since the NHS England merger (the bare region names;
// TIS-REFERENCE's LocalOffice renames), the London offices TIS keeps apart,
// TIS's abbreviations before and after the merger (HEKSS, KSS; HENE, NE;
// ...), and the national bodies' own names. "South West" alone is left
// out: it is two ESR codes (PEN, SEV). Any of them may also carry an
// organisation prefix (officePrefixes).
var officeAliases = map[string][]string{
	"EOE": {"East of England", "HEEOE"},
	"EMD": {"East Midlands", "HEEM", "EM"},
	"KSS": {"Kent, Surrey and Sussex", "HEKSS"},
	"LDN": {"London", "London LETBs", "North Central and East London", "North West London", "South London",
		"HENCEL", "HENWL", "HESL", "NCEL", "NWL", "SL"},
	"NTH": {"North East", "North East and North Cumbria", "HENE", "NE"},
	"NWN": {"North West", "HENW", "NW"},
	"MER": {"Mersey"},
	"OXF": {"Thames Valley", "HETV", "TV"},
	"PEN": {"South West (Peninsula)", "Peninsula"},
	"SEV": {"South West (Severn)", "Severn"},
	"WES": {"Wessex", "HEWESSEX"},
	"WMD": {"West Midlands", "HEWMD"},
	"YHD": {"Yorkshire and the Humber", "Yorkshire and Humber", "HEYHD"},
	"WAL": {"Health Education and Improvement Wales", "HEIW"},
	"SCO": {"NHS Education for Scotland", "NES"},
	"NIR": {"Northern Ireland Medical and Dental Training Agency", "NIMDTA"},
}

// officePrefixes are the organisation names a local office's name may
// start with, normalised (officeKey): Health Education England's and, since
// 2023, NHS England Workforce, Training and Education's ("NHS England
// Workforce, Training and Education East of England", "NHSE WT&E Kent,
// Surrey and Sussex", "NHS England (WT&E) North West"). Each is followed by
// an optional officeLinks word.
var officePrefixes = []string{
	"nhs england workforce training and education directorate",
	"nhs england workforce training and education",
	"nhs england wt&e directorate", "nhs england wt&e", "nhse wt&e", "nhs england", "nhse", "wt&e",
	"health education england", "hee",
}

// officeLinks are the words that may join a prefix to the region:
// "NHSE WT&E working across Kent, Surrey and Sussex".
var officeLinks = []string{"working across", "in", "for", "wt&e"}

// officeKey normalises a local office name for lookup: lower case, every
// run of characters that are not letters, digits or '&' one space, trimmed
// ("Kent, Surrey and Sussex" is "kent surrey and sussex", "South West
// (Peninsula)" is "south west peninsula").
func officeKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return b.String()
}

// stripOfficePrefix removes one organisation prefix and link word from a
// normalised name, if it starts with one and something follows.
func stripOfficePrefix(k string) (string, bool) {
	for _, p := range officePrefixes {
		rest, ok := strings.CutPrefix(k, p+" ")
		if !ok {
			continue
		}
		for _, l := range officeLinks {
			if r, ok := strings.CutPrefix(rest, l+" "); ok {
				rest = r
				break
			}
		}
		return rest, true
	}
	return k, false
}

// LocalOffices maps Managing Deanery Body values (codes and names) to
// deanery codes. The zero value and nil are DefaultLocalOffices; Add and
// ReadLocalOffices extend it with a user's names. It is read-only once
// built and safe for concurrent use.
type LocalOffices struct {
	byKey map[string]string // officeKey -> code
	codes map[string]bool
}

var defaultOffices = func() *LocalOffices {
	l := &LocalOffices{byKey: make(map[string]string), codes: make(map[string]bool)}
	for _, d := range Deaneries {
		l.codes[d.Code] = true
		l.byKey[officeKey(d.Code)] = d.Code
		l.byKey[officeKey(d.Name)] = d.Code
		for _, a := range officeAliases[d.Code] {
			l.byKey[officeKey(a)] = d.Code
		}
	}
	return l
}()

// DefaultLocalOffices returns a new copy of the built-in table, to Add to.
func DefaultLocalOffices() *LocalOffices {
	l := &LocalOffices{byKey: make(map[string]string, len(defaultOffices.byKey)),
		codes: make(map[string]bool, len(defaultOffices.codes))}
	for k, v := range defaultOffices.byKey {
		l.byKey[k] = v
	}
	for k := range defaultOffices.codes {
		l.codes[k] = true
	}
	return l
}

func (l *LocalOffices) table() *LocalOffices {
	if l == nil || l.byKey == nil {
		return defaultOffices
	}
	return l
}

// Code maps a Managing Deanery Body value to its code: a code (any case)
// or a name, in any case and spacing, with or without "Health Education
// England", "HEE", "NHS England Workforce, Training and Education", "NHS
// England", "NHSE WT&E" and the like before it. ok is false for a value it
// does not know.
func (l *LocalOffices) Code(body string) (code string, ok bool) {
	t := l.table()
	k := officeKey(body)
	if k == "" {
		return "", false
	}
	for {
		if c, ok := t.byKey[k]; ok {
			return c, true
		}
		var stripped bool
		if k, stripped = stripOfficePrefix(k); !stripped {
			return "", false
		}
	}
}

// Known reports whether code is a deanery code of the table.
func (l *LocalOffices) Known(code string) bool { return l.table().codes[strings.ToUpper(code)] }

// IsOfficeCode reports whether code is a local office code as written: three
// ASCII letters or digits, with no spaces around (the DPN prefix, e.g. KSS).
func IsOfficeCode(code string) bool {
	if len(code) != 3 {
		return false
	}
	for _, c := range []byte(code) {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// Add maps name (and the code itself) to code, an existing code or a new
// one: three letters or digits. A name already mapped to another code is
// an error.
func (l *LocalOffices) Add(code, name string) error {
	if l == nil || l.byKey == nil {
		return fmt.Errorf("local offices: Add to a table not made by DefaultLocalOffices")
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if !IsOfficeCode(code) {
		return fmt.Errorf("code %q is not three letters or digits (the DPN prefix, e.g. KSS)", code)
	}
	k := officeKey(name)
	if k == "" {
		return fmt.Errorf("no name for code %s", code)
	}
	if have, ok := l.byKey[k]; ok && have != code {
		return fmt.Errorf("name %q already means %s", strings.TrimSpace(name), have)
	}
	if have, ok := l.byKey[officeKey(code)]; ok && have != code {
		return fmt.Errorf("code %s is already a name of %s", code, have)
	}
	l.byKey[k] = code
	l.byKey[officeKey(code)] = code
	l.codes[code] = true
	return nil
}

// ReadLocalOffices reads a user's local office names on top of the
// built-in ones: one "CODE<TAB>Name" or "CODE=Name" a line; blank lines
// and lines starting with '#' are skipped. An error names the line.
func ReadLocalOffices(r io.Reader) (*LocalOffices, error) {
	l := DefaultLocalOffices()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		i := strings.IndexAny(s, "\t=")
		if i < 0 {
			return nil, fmt.Errorf("line %d: expected CODE<TAB>Name or CODE=Name, e.g. KSS=Kent, Surrey and Sussex", line)
		}
		if err := l.Add(s[:i], s[i+1:]); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return l, nil
}

// DeaneryCode maps a Managing Deanery Body value to its code with the
// built-in table (LocalOffices.Code). ok is false for a value it does not
// know.
func DeaneryCode(body string) (code string, ok bool) {
	return defaultOffices.Code(body)
}
