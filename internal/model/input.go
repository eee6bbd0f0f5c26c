package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Column is one column of a tabular input (delimited text or .xlsx) and
// the field it fed: which header fed which field, and which columns were
// not used.
type Column struct {
	Column string `json:"column"`           // Excel's letter: A, B, ..., AA
	Header string `json:"header"`           // as displayed (trimmed; "(column C)" when empty)
	Field  string `json:"field,omitempty"`  // the field it fed (dpnkit fields); "" = not used
	Mapped bool   `json:"mapped,omitempty"` // chosen by --map rather than by an alias
}

// Used counts the columns of cols that fed a field.
func Used(cols []Column) int {
	n := 0
	for _, c := range cols {
		if c.Field != "" {
			n++
		}
	}
	return n
}

// Unused is the headers of the columns of cols that fed no field.
func Unused(cols []Column) []string {
	var s []string
	for _, c := range cols {
		if c.Field == "" {
			s = append(s, c.Header)
		}
	}
	return s
}

// SkippedLine is the human account of the rows of a tabular input that
// were not records: "skipped 3 title rows above the header on row 4, 1 row
// inside the data that is not a record (row 57), 2 footer rows, 1 blank
// row". It is "" when none was skipped (the header on row 1, no footer, no
// blank row) or the input is not tabular.
func (in *Input) SkippedLine() string {
	var parts []string
	if in.TitleRows > 0 {
		parts = append(parts, fmt.Sprintf("%s above the header on row %d", plural(in.TitleRows, "title row"), in.HeaderRow))
	}
	if in.StrayRows > 0 {
		rows := make([]string, len(in.StrayRowsAt))
		for i, r := range in.StrayRowsAt {
			rows[i] = strconv.Itoa(r)
		}
		at := strings.Join(rows, ", ")
		if in.StrayRows > len(in.StrayRowsAt) {
			at += ", ..."
		}
		what := "is not a record"
		if in.StrayRows > 1 {
			what = "are not records"
		}
		parts = append(parts, fmt.Sprintf("%s inside the data that %s (%s %s)",
			plural(in.StrayRows, "row"), what, pluralWord(len(in.StrayRowsAt), "row"), at))
	}
	if in.FooterRows > 0 {
		parts = append(parts, plural(in.FooterRows, "footer row"))
	}
	if in.BlankRows > 0 {
		parts = append(parts, plural(in.BlankRows, "blank row"))
	}
	if len(parts) == 0 {
		return ""
	}
	return "skipped " + strings.Join(parts, ", ")
}

// plural is "1 row" or "3 rows".
func plural(n int, noun string) string { return strconv.Itoa(n) + " " + pluralWord(n, noun) }

func pluralWord(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
