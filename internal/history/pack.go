package history

import (
	"fmt"
	"slices"
	"strings"
)

// A packed record is its fields joined by tabs, each escaped so that it
// holds no tab: a backslash becomes \\, a tab \t, a line feed \n and a
// carriage return \r. It stays readable in the sqlite3 shell, and a field
// is found again by splitting on tabs.

// appendPacked appends the packed form of fields to dst.
func appendPacked(dst []byte, fields ...string) []byte {
	for i, f := range fields {
		if i > 0 {
			dst = append(dst, '\t')
		}
		if !needsEscape(f) {
			dst = append(dst, f...)
			continue
		}
		for j := 0; j < len(f); j++ {
			switch c := f[j]; c {
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			default:
				dst = append(dst, c)
			}
		}
	}
	return dst
}

// needsEscape reports whether f holds a byte appendPacked escapes (a
// byte loop: strings.ContainsAny builds its set on every call, and a
// national first run packs ~1.5 million fields).
func needsEscape(f string) bool {
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case '\\', '\t', '\n', '\r':
			return true
		}
	}
	return false
}

// appendPackedFields appends the packed form of the fields fields point
// at (the order porFields and sentFields define, read back by unpack).
func appendPackedFields(dst []byte, fields []*string) []byte {
	for i, f := range fields {
		if i > 0 {
			dst = append(dst, '\t')
		}
		dst = appendPacked(dst, *f)
	}
	return dst
}

// unpack splits a packed record into exactly len(dst) fields, stored in
// dst. Fields without an escape are substrings of s (no copy).
func unpack(s string, dst ...*string) error {
	for i, p := range dst {
		f := s
		if i < len(dst)-1 {
			j := strings.IndexByte(s, '\t')
			if j < 0 {
				return fmt.Errorf("packed record has %d fields, want %d", i+1, len(dst))
			}
			f, s = s[:j], s[j+1:]
		} else if strings.IndexByte(s, '\t') >= 0 {
			return fmt.Errorf("packed record has more than %d fields", len(dst))
		}
		v, err := unescape(f)
		if err != nil {
			return fmt.Errorf("packed record field %d %w", i+1, err)
		}
		*p = v
	}
	return nil
}

// unpackEach calls f with each field of a packed record of any length.
func unpackEach(s string, f func(string)) error {
	for i, field := range strings.Split(s, "\t") {
		v, err := unescape(field)
		if err != nil {
			return fmt.Errorf("packed record field %d %w", i+1, err)
		}
		f(v)
	}
	return nil
}

// unescape undoes appendPacked's escapes in one field: the field itself
// (no copy) when it has none.
func unescape(f string) (string, error) {
	if strings.IndexByte(f, '\\') < 0 {
		return f, nil
	}
	var b strings.Builder
	b.Grow(len(f))
	for k := 0; k < len(f); k++ {
		c := f[k]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if k++; k == len(f) {
			return "", fmt.Errorf("ends in a lone backslash")
		}
		switch f[k] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf("has an unknown escape \\%c", f[k])
		}
	}
	return b.String(), nil
}

// notifiedGroup is the group a notification key is stored in: its text up
// to the second "|" (the notification type and the VPD), or all of it.
func notifiedGroup(key string) string {
	i := strings.IndexByte(key, '|')
	if i < 0 {
		return key
	}
	j := strings.IndexByte(key[i+1:], '|')
	if j < 0 {
		return key
	}
	return key[:i+1+j]
}

// groupNotified packs the keys of set by notifiedGroup: each group's keys
// sorted, packed.
func groupNotified(set map[string]bool) map[string]string {
	groups := make(map[string][]string)
	for k, on := range set {
		if on {
			g := notifiedGroup(k)
			groups[g] = append(groups[g], k)
		}
	}
	out := make(map[string]string, len(groups))
	var b []byte
	for g, keys := range groups {
		slices.Sort(keys)
		b = appendPacked(b[:0], keys...)
		out[g] = string(b)
	}
	return out
}

// The positions and sent tables hold a VPD's records in one
// row: vpd is vpdGroup of the record's VPD field, recs the VPD's records
// sorted by key, one a line (a packed record holds no line feed), each
// the packed key, a tab and the packed record (writeGroups).

// vpdGroup is the row a record with VPD field vpd is stored in: the field
// as packed.
func vpdGroup(vpd string) string {
	if needsEscape(vpd) {
		return string(appendPacked(nil, vpd))
	}
	return vpd
}
