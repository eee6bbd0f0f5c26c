package xlsx

import (
	"math"
	"strconv"
	"time"
)

var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC) // day 0 for serials >= 60
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Largest serials Excel accepts: 9999-12-31 in each date system.
const (
	maxSerial1900 = 2958466
	maxSerial1904 = maxSerial1900 - 1462
)

// SerialDate converts a serial number in Excel's 1900 date system (the
// default; see Reader.Date1904) to a UTC time: 1 = 1900-01-01,
// 61 = 1900-03-01, 43831 = 2020-01-01, and the fractional part is the time
// of day, rounded to the millisecond. Excel counts a 29 February 1900 that
// never existed as serial 60; SerialDate maps it to 1900-02-28 (the same day
// as 59), so every later serial lands on its true date. Serials that are
// negative, not finite, or past 9999-12-31 give the zero time.
func SerialDate(serial float64) time.Time {
	if !(serial >= 0 && serial < maxSerial1900) {
		return time.Time{}
	}
	if serial < 60 {
		serial++ // before the fictitious leap day: count from 1899-12-31
	}
	return fromEpoch(epoch1900, serial)
}

// SerialDate1904 converts a serial number in Excel's 1904 date system
// (Reader.Date1904 reports true): 0 = 1904-01-01, 1 = 1904-01-02. The
// fractional part is the time of day. Out-of-range serials give the zero time.
func SerialDate1904(serial float64) time.Time {
	if !(serial >= 0 && serial < maxSerial1904) {
		return time.Time{}
	}
	return fromEpoch(epoch1904, serial)
}

func fromEpoch(epoch time.Time, serial float64) time.Time {
	days := math.Floor(serial)
	ms := math.Round((serial - days) * 86400000)
	return epoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond)
}

// toSerial is the inverse of SerialDate (or SerialDate1904), for cells of
// type "d" that hold an ISO 8601 date instead of a number.
func toSerial(t time.Time, date1904 bool) string {
	epoch := epoch1900
	if date1904 {
		epoch = epoch1904
	}
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	d := float64(wall.Unix()-epoch.Unix())/86400 + float64(wall.Nanosecond())/86400e9
	if !date1904 && d < 61 {
		d-- // before 1900-03-01, serials count from 1899-12-31
	}
	return strconv.FormatFloat(d, 'f', -1, 64)
}

// parseISO reads the value of a type "d" cell.
func parseISO(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// builtinDate reports whether a built-in number format id is a date or time
// format: 14-22, 27-36, 45-47, 50-58 (the last ranges are Excel's CJK dates).
func builtinDate(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// isDateFormat reports whether a custom number format code shows a date or
// time: it has d, m, y, h or s outside quoted text and [...] brackets
// (colours, locales, conditions). A backslash, '_' or '*' makes the next
// character literal, padding or fill. "General" has none of these letters.
func isDateFormat(code string) bool {
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"', '[':
			end := byte('"')
			if code[i] == '[' {
				end = ']'
			}
			j := i + 1
			for j < len(code) && code[j] != end {
				j++
			}
			i = j
		case '\\', '_', '*':
			i++
		case 'd', 'D', 'm', 'M', 'y', 'Y', 'h', 'H', 's', 'S':
			return true
		}
	}
	return false
}
