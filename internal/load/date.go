package load

import (
	"strconv"
	"strings"
	"time"

	"dpnkit/internal/xlsx"
)

// ParseDate reads every date form of inputs.md "Dates": YYYY-MM-DD, YYYYMMDD,
// DD-MON-YYYY (any case), DD/MM/YYYY (UK order, never US), D Month YYYY and
// DD Mon YYYY (a run of spaces counts as one); the last four also with a
// two-digit year (01/08/18, 25-NOV-26, as Oracle's DD-MON-RR and people
// type them), read as Excel reads one: 00-29 are 2000-2029, 30-99 are
// 1930-1999 (a date of birth in 85 is 1985, a post from 18 is 2018). Each
// has an optional time
// part (" HH:MM[:SS]" with a one- or two-digit hour, or " HHMMSS" as in
// ESR's YYYYMMDD HHMMSS). A value that is empty after trimming white space
// gives the zero time and ok=true. The result is UTC midnight of the date;
// the time part is checked and dropped. Days that do not exist (31/02/2020)
// are rejected.
func ParseDate(s string) (t time.Time, ok bool) {
	s = trimDateSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	y, m, d, rest, ok := parseDatePart(s)
	if !ok || !validTime(rest) || !validDay(y, m, d) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

// parseDatePart reads the date at the start of s and returns what follows.
func parseDatePart(s string) (y, m, d int, rest string, ok bool) {
	// Leading digits decide the form.
	n := digits(s)
	switch {
	case n == 4 && len(s) > 4 && s[4] == '-': // YYYY-MM-DD
		y = atoi(s[:4])
		s = s[5:]
		if k := digits(s); k == 2 && len(s) > 2 && s[2] == '-' {
			m = atoi(s[:2])
			s = s[3:]
			if k := digits(s); k == 2 {
				return y, m, atoi(s[:2]), s[2:], true
			}
		}
		return 0, 0, 0, "", false
	case n == 8: // YYYYMMDD
		return atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8]), s[8:], true
	case n == 1 || n == 2:
		if len(s) <= n+1 {
			return 0, 0, 0, "", false
		}
		d = atoi(s[:n])
		sep := s[n]
		s = s[n+1:]
		switch sep {
		case '/': // DD/MM/YYYY
			k := digits(s)
			if (k != 1 && k != 2) || len(s) <= k || s[k] != '/' {
				return 0, 0, 0, "", false
			}
			m = atoi(s[:k])
			s = s[k+1:]
		case '-': // DD-MON-YYYY
			k := letters(s)
			m = monthAbbrev(s[:k])
			if m == 0 || len(s) <= k || s[k] != '-' {
				return 0, 0, 0, "", false
			}
			s = s[k+1:]
		case ' ': // D Month YYYY, DD Mon YYYY; runs of spaces read as one
			s = strings.TrimLeft(s, " ")
			k := letters(s)
			m = monthAbbrev(s[:k])
			if m == 0 {
				m = monthName(s[:k])
			}
			if m == 0 || len(s) <= k || s[k] != ' ' {
				return 0, 0, 0, "", false
			}
			s = strings.TrimLeft(s[k+1:], " ")
		default:
			return 0, 0, 0, "", false
		}
		switch digits(s) {
		case 4:
			return atoi(s[:4]), m, d, s[4:], true
		case 2:
			return century(atoi(s[:2])), m, d, s[2:], true
		}
		return 0, 0, 0, "", false
	}
	return 0, 0, 0, "", false
}

// validTime accepts what may follow a date: nothing, or a separator (' ' or
// 'T') and H:MM or HH:MM, then optionally :SS and a fraction (after '.' or
// ','); or HHMMSS.
func validTime(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ' ' && s[0] != 'T' {
		return false
	}
	s = strings.TrimLeft(s[1:], " ")
	n := digits(s)
	if n == 6 && len(s) == 6 {
		return atoi(s[:2]) < 24 && atoi(s[2:4]) < 60 && atoi(s[4:6]) < 60
	}
	if (n != 1 && n != 2) || len(s) < n+3 || s[n] != ':' || digits(s[n+1:]) != 2 {
		return false
	}
	if atoi(s[:n]) >= 24 || atoi(s[n+1:n+3]) >= 60 {
		return false
	}
	s = s[n+3:]
	if s == "" {
		return true
	}
	if s[0] != ':' || digits(s[1:]) != 2 || atoi(s[1:3]) >= 60 {
		return false
	}
	s = s[3:]
	if s == "" {
		return true
	}
	// Fractional seconds: ".000", or ",000" (ISO 8601 allows both).
	return (s[0] == '.' || s[0] == ',') && len(s) > 1 && digits(s[1:]) == len(s)-1
}

func validDay(y, m, d int) bool {
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits counts the ASCII digits at the start of s.
func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// letters counts the ASCII letters at the start of s.
func letters(s string) int {
	i := 0
	for i < len(s) && (s[i]|0x20) >= 'a' && (s[i]|0x20) <= 'z' {
		i++
	}
	return i
}

// atoi reads a run of ASCII digits (the caller has checked them).
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

var months = [12]string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// monthAbbrev reads a three-letter month (any case), or "Sept"; 0 if none.
func monthAbbrev(s string) int {
	if len(s) == 4 && strings.EqualFold(s, "sept") {
		return 9
	}
	if len(s) != 3 {
		return 0
	}
	// s is ASCII letters (letters): setting bit 5 lowers each. A people
	// export has a date of birth on each of its 1.5M rows.
	folded := [3]byte{s[0] | 0x20, s[1] | 0x20, s[2] | 0x20}
	switch string(folded[:]) {
	case "jan":
		return 1
	case "feb":
		return 2
	case "mar":
		return 3
	case "apr":
		return 4
	case "may":
		return 5
	case "jun":
		return 6
	case "jul":
		return 7
	case "aug":
		return 8
	case "sep":
		return 9
	case "oct":
		return 10
	case "nov":
		return 11
	case "dec":
		return 12
	}
	return 0
}

// trimDateSpace is s without the spaces, tabs, carriage returns and line
// feeds around it (strings.Trim with that cutset builds the set on every
// call).
func trimDateSpace(s string) string {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// monthName reads a full month name (any case); 0 if none.
func monthName(s string) int {
	for i, m := range months {
		if strings.EqualFold(s, m) {
			return i + 1
		}
	}
	return 0
}

// twoDigitPivot is the first two-digit year read as 19xx (Excel's rule).
const twoDigitPivot = 30

// century reads a two-digit year: 00-29 are 2000-2029, 30-99 1930-1999.
func century(yy int) int {
	if yy < twoDigitPivot {
		return 2000 + yy
	}
	return 1900 + yy
}

// ParseDateCell reads a date cell of a tabular input, or a date a person
// types (--as-of): every form of ParseDate, and an Excel serial number as
// a CSV saved from Excel holds one when the column was not formatted as a
// date: five digits (10000-99999, 1927-05-18 to 2173-10-13), optionally
// with a fraction (the time of day, dropped). Shorter or longer numbers
// are not read as serials: "1" or "123" are far more likely a mistake than
// a date in 1900, and eight digits are YYYYMMDD.
func ParseDateCell(s string) (time.Time, bool) {
	if t, ok := ParseDate(s); ok {
		return t, true
	}
	return serialDate(trimDateSpace(s))
}

// serialDate reads a five-digit Excel serial (1900 date system).
func serialDate(s string) (time.Time, bool) {
	if digits(s) != 5 {
		return time.Time{}, false
	}
	if rest := s[5:]; rest != "" && (rest[0] != '.' || len(rest) == 1 || digits(rest[1:]) != len(rest)-1) {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, false
	}
	t := xlsx.SerialDate(f)
	if t.IsZero() {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
}
