package load

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"", time.Time{}, true},
		{"   ", time.Time{}, true},
		{"2019-12-31", d(2019, 12, 31), true},
		{"2019-12-31 14:03:00", d(2019, 12, 31), true},
		{"2019-12-31 14:03", d(2019, 12, 31), true},
		{"2019-12-31T14:03:00", d(2019, 12, 31), true},
		{"2019-12-31 14:03:00.000", d(2019, 12, 31), true},
		{"20091109", d(2009, 11, 9), true},
		{"20091109 154418", d(2009, 11, 9), true},
		{"02-MAR-2012", d(2012, 3, 2), true},
		{"02-mar-2012", d(2012, 3, 2), true},
		{"2-Mar-2012", d(2012, 3, 2), true},
		{"02-MAR-2012 00:00:00", d(2012, 3, 2), true},
		{"31/12/2019", d(2019, 12, 31), true}, // UK order
		{"01/02/2019", d(2019, 2, 1), true},   // 1 February, never 2 January
		{"1/2/2019", d(2019, 2, 1), true},
		{"31/12/2019 00:00", d(2019, 12, 31), true},
		{"8 August 2019", d(2019, 8, 8), true},
		{"8 august 2019", d(2019, 8, 8), true},
		{"22 Mar 2016", d(2016, 3, 22), true},
		{"22 Sept 2016", d(2016, 9, 22), true},
		{" 22 Mar 2016 ", d(2016, 3, 22), true},
		{"\t02-Mar-2012\r\n", d(2012, 3, 2), true},
		{"01-jAn-2000", d(2000, 1, 1), true},
		{"01-FEB-2000", d(2000, 2, 1), true},
		{"01-apr-2000", d(2000, 4, 1), true},
		{"01-May-2000", d(2000, 5, 1), true},
		{"01-JUN-2000", d(2000, 6, 1), true},
		{"01-Jul-2000", d(2000, 7, 1), true},
		{"01-AUG-2000", d(2000, 8, 1), true},
		{"01-sep-2000", d(2000, 9, 1), true},
		{"01-SEPT-2000", d(2000, 9, 1), true},
		{"01-Oct-2000", d(2000, 10, 1), true},
		{"01-NOV-2000", d(2000, 11, 1), true},
		{"01-dec-2000", d(2000, 12, 1), true},
		{"29/02/2020", d(2020, 2, 29), true}, // leap year
		// rejected
		{"31/02/2020", time.Time{}, false},
		{"29/02/2019", time.Time{}, false},
		{"12/31/2019", time.Time{}, false}, // US order: month 31
		{"2019-13-01", time.Time{}, false},
		{"2019-00-10", time.Time{}, false},
		{"20191301", time.Time{}, false},
		{"32-MAR-2012", time.Time{}, false},
		{"02-MRZ-2012", time.Time{}, false},
		{"02-JA-2012", time.Time{}, false},
		{"02-JANU-2012", time.Time{}, false},
		{"02-\x0eAN-2012", time.Time{}, false}, // a control character is no letter
		{"\v02-MAR-2012", time.Time{}, false},  // white space is space, tab, CR, LF
		{"02-MAR-12", d(2012, 3, 2), true},     // two-digit years: see TestParseDateTwoDigitYears
		{"02-MAR-123", time.Time{}, false},
		{"02/03/1", time.Time{}, false},
		{"8 Augustus 2019", time.Time{}, false},
		{"garbage", time.Time{}, false},
		{"TBC", time.Time{}, false},
		{"2019-12-31 25:00", time.Time{}, false},
		{"2019-12-31 14:60", time.Time{}, false},
		{"20091109 15441", time.Time{}, false},
		{"2019-12-31x", time.Time{}, false},
		{"43831", time.Time{}, false}, // a serial is only read from xlsx number cells
		{"1", time.Time{}, false},
		{"12", time.Time{}, false},
		{"1/", time.Time{}, false},
	}
	for _, tc := range tests {
		got, ok := ParseDate(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && !got.IsZero() && got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) location %v, want UTC", tc.in, got.Location())
		}
	}
}

// TestParseDateTwoDigitYears: UK order, and Excel's century rule: 00-29
// are 2000-2029, 30-99 are 1930-1999.
func TestParseDateTwoDigitYears(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"01/08/18", d(2018, 8, 1)}, // 1 August, never 8 January
		{"1/8/18", d(2018, 8, 1)},
		{"31/12/29", d(2029, 12, 31)}, // the last year read as 20xx
		{"01/01/30", d(1930, 1, 1)},   // the first read as 19xx
		{"14/03/85", d(1985, 3, 14)},  // a date of birth
		{"25-NOV-26", d(2026, 11, 25)},
		{"25-nov-00", d(2000, 11, 25)},
		{"8 Aug 19", d(2019, 8, 8)},
		{"01/08/18 09:30", d(2018, 8, 1)},
	}
	for _, tc := range tests {
		if got, ok := ParseDate(tc.in); !ok || !got.Equal(tc.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"29/02/25", "31/04/18", "13/13/18", "01/08/018", "12/31/19"} {
		if got, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) = %v, want unreadable", bad, got)
		}
	}
}

// TestParseDateCellSerials: a CSV saved from Excel holds a date column not
// formatted as a date as serial numbers; five digits are read as one.
func TestParseDateCellSerials(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"46351", d(2026, 11, 25), true}, // the samples' as-of date
		{"43831", d(2020, 1, 1), true},
		{" 43831.75 ", d(2020, 1, 1), true}, // the time of day is dropped
		{"10000", d(1927, 5, 18), true},
		{"99999", d(2173, 10, 13), true},      // 1899-12-30 + 99999 days
		{"25/11/2026", d(2026, 11, 25), true}, // every ParseDate form still
		{"20261125", d(2026, 11, 25), true},   // eight digits are YYYYMMDD
		{"9999", time.Time{}, false},          // four digits: no date
		{"123456", time.Time{}, false},
		{"43831.", time.Time{}, false},
		{"43831.5x", time.Time{}, false},
		{"-43831", time.Time{}, false},
		{"4383l", time.Time{}, false},
	}
	for _, tc := range tests {
		got, ok := ParseDateCell(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseDateCell(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// monthAbbrev folds case by bit; it must read every triple of ASCII
// letters as a case-insensitive comparison with the months' first three
// letters does.
func TestMonthAbbrevEveryLetterTriple(t *testing.T) {
	var letters []byte
	for c := byte('a'); c <= 'z'; c++ {
		letters = append(letters, c, c-'a'+'A')
	}
	want := func(s string) int {
		for i, m := range months {
			if strings.EqualFold(s, m[:3]) {
				return i + 1
			}
		}
		return 0
	}
	for _, a := range letters {
		for _, b := range letters {
			for _, c := range letters {
				s := string([]byte{a, b, c})
				if got, w := monthAbbrev(s), want(s); got != w {
					t.Fatalf("monthAbbrev(%q) = %d, want %d", s, got, w)
				}
			}
		}
	}
}

// BenchmarkParseDate reads the forms a national people export and an ESR
// position export carry most.
func BenchmarkParseDate(b *testing.B) {
	in := []string{"11-AUG-1996", "08-apr-1990", "2019-12-31", "31/12/2019", " 22 Mar 2016 "}
	for i := 0; b.Loop(); i++ {
		if _, ok := ParseDate(in[i%len(in)]); !ok {
			b.Fatal("not read")
		}
	}
}
