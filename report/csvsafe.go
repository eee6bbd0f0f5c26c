package report

// SafeCSVValue neutralises a value that a spreadsheet would run as a
// formula when the CSV is opened in it: a value starting with '=', '+',
// '-', '@', a tab or a carriage return gets a leading apostrophe ('),
// which Excel and LibreOffice take as "this cell is text" and do not show.
// Every other value is returned as it is.
//
// The rule is on the first byte only, with no exception for numbers: "-5"
// becomes "'-5" too. The findings CSV carries values read from a file
// (DPNs, position numbers, headers), never numbers to compute with, and a
// value like "-5+HYPERLINK(...)" starts like a number; the JSON output has
// every value exactly as read.
//
// It is the one neutraliser of dpnkit's CSV output, used for every cell of
// the findings CSV of check/report (CSV) and of reconcile (ReconcileCSV).
// The interchange files (POR, APP and APC CSV, interface.go) never go
// through it: ESR reads them, and they stay byte-exact as the run holds
// them (docs/outputs.md).
func SafeCSVValue(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// safeCSVRecord applies SafeCSVValue to every cell of rec, in place.
func safeCSVRecord(rec []string) []string {
	for i, v := range rec {
		rec[i] = SafeCSVValue(v)
	}
	return rec
}
