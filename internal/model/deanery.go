package model

import "strings"

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

// DeaneryCode maps a Managing Deanery Body value to its code. It accepts a
// code (any case) or a name (any case; "Wales", or the name with or without
// "Health Education England"). ok is false for a value it does not know.
func DeaneryCode(body string) (code string, ok bool) {
	b := strings.TrimSpace(body)
	for _, d := range Deaneries {
		if strings.EqualFold(b, d.Code) || strings.EqualFold(b, d.Name) ||
			strings.EqualFold(b, strings.TrimPrefix(d.Name, "Health Education England ")) {
			return d.Code, true
		}
	}
	return "", false
}
