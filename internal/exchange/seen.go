package exchange

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// seenFields are the fields of a SeenPlacement's Rec, unpacked.
type seenFields struct {
	npn              string
	start, end       time.Time
	last, first, gmc string
}

// appendSeenRec appends the Rec of a placement (SeenPlacement) to dst.
func appendSeenRec(dst []byte, npn string, p *checks.KeptPlacement) []byte {
	t := model.TrimWhite
	dst = appendSeenField(dst, npn)
	dst = appendSeenDate(append(dst, '\t'), p.DateFrom)
	dst = appendSeenDate(append(dst, '\t'), p.DateTo)
	for _, f := range [...]string{t(p.Surname), t(p.Forenames), t(p.GMC)} {
		dst = appendSeenField(append(dst, '\t'), f)
	}
	return dst
}

// appendSeenField appends f with every tab, line feed, carriage return and
// backslash as a space.
func appendSeenField(dst []byte, f string) []byte {
	for i := 0; i < len(f); i++ {
		switch c := f[i]; c {
		case '\t', '\n', '\r', '\\':
			dst = append(dst, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// appendSeenDate appends t as YYYYMMDD, or nothing for the zero time
// (digits by hand: a national run packs ~200,000 dates).
func appendSeenDate(dst []byte, t time.Time) []byte {
	if t.IsZero() {
		return dst
	}
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(dst, "20060102")
	}
	return append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		byte('0'+int(m)/10), byte('0'+int(m)%10), byte('0'+d/10), byte('0'+d%10))
}

// parseSeenDate reads appendSeenDate's form.
func parseSeenDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) != 8 {
		return time.Time{}, fmt.Errorf("date %q is not YYYYMMDD", s)
	}
	n := 0
	for i := 0; i < 8; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return time.Time{}, fmt.Errorf("date %q is not YYYYMMDD", s)
		}
		n = n*10 + int(c-'0')
	}
	y, m, d := n/10000, time.Month(n/100%100), n%100
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Month() != m || t.Day() != d {
		return time.Time{}, fmt.Errorf("date %q does not exist", s)
	}
	return t, nil
}

// unpackSeen splits a Rec into its fields.
func unpackSeen(rec string) (seenFields, error) {
	var f seenFields
	var parts [6]string
	rest := rec
	for i := range parts {
		if i == len(parts)-1 {
			if strings.IndexByte(rest, '\t') >= 0 {
				return f, errors.New("a remembered placement has more than 6 fields")
			}
			parts[i] = rest
			break
		}
		j := strings.IndexByte(rest, '\t')
		if j < 0 {
			return f, fmt.Errorf("a remembered placement has %d fields, want 6", i+1)
		}
		parts[i], rest = rest[:j], rest[j+1:]
	}
	var err error
	if f.start, err = parseSeenDate(parts[1]); err != nil {
		return f, err
	}
	if f.end, err = parseSeenDate(parts[2]); err != nil {
		return f, err
	}
	f.npn, f.last, f.first, f.gmc = parts[0], parts[3], parts[4], parts[5]
	return f, nil
}

// seenEnd reads only the end date of a Rec (the third field).
func seenEnd(rec string) (time.Time, error) {
	rest := rec
	for range 2 {
		j := strings.IndexByte(rest, '\t')
		if j < 0 {
			return time.Time{}, errors.New("a remembered placement has too few fields")
		}
		rest = rest[j+1:]
	}
	if j := strings.IndexByte(rest, '\t'); j >= 0 {
		rest = rest[:j]
	}
	return parseSeenDate(rest)
}

// officeOf is a placement's local office (SeenPlacement.Office) before
// interning: its Managing Deanery trimmed, else the NPN's first part.
func officeOf(managing, norm string) string {
	if o := model.TrimWhite(managing); o != "" {
		return o
	}
	first, _, _ := strings.Cut(norm, "/")
	return strings.TrimSpace(first)
}
