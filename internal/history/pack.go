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

// packSQL is the SQL expression packing columns as appendPacked does.
func packSQL(cols ...string) string {
	esc := make([]string, len(cols))
	for i, c := range cols {
		esc[i] = `replace(replace(replace(replace(` + c + `, '\', '\\'), char(9), '\t'), char(10), '\n'), char(13), '\r')`
	}
	return strings.Join(esc, " || char(9) || ")
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

// groupSQL is the SQL expression of notifiedGroup.
func groupSQL(col string) string {
	rest := "substr(" + col + ", instr(" + col + ", '|') + 1)"
	return "CASE WHEN instr(" + col + ", '|') = 0 OR instr(" + rest + ", '|') = 0 THEN " + col +
		" ELSE substr(" + col + ", 1, instr(" + col + ", '|') + instr(" + rest + ", '|') - 1) END"
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

// The positions and sent tables (schema 6) hold a VPD's records in one
// row: vpd is vpdGroup of the record's VPD field, recs the VPD's records
// sorted by key, one a line (a packed record holds no line feed), each
// the packed key, a tab and the packed record (writeGroups).

// porVPDField and sentVPDField are the places of the VPD among porFields
// and sentFields, counted from 0.
const (
	porVPDField  = 8
	sentVPDField = 4
)

// vpdGroup is the row a record with VPD field vpd is stored in: the field
// as packed.
func vpdGroup(vpd string) string {
	if needsEscape(vpd) {
		return string(appendPacked(nil, vpd))
	}
	return vpd
}

// regroupSQL replaces schema 5's table (key, col: a row each, col packed,
// the VPD its field vpdField) by schema 6's (vpd, recs, run_id), grouped as
// writeGroups groups it: the VPD is that field, still packed; a record is
// the packed key, a tab and the packed value, sorted by key (SQLite
// compares text byte by byte, as Go does), joined by line feeds; run_id is
// the newest of the VPD's.
func regroupSQL(table, col string, vpdField int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `CREATE TABLE %[1]s_v6 (
		vpd    TEXT PRIMARY KEY,
		recs   TEXT NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	WITH f0 AS (SELECT key, %[2]s AS rec, run_id, %[2]s AS rest FROM %[1]s)`, table, col)
	for i := 1; i <= vpdField; i++ {
		fmt.Fprintf(&b, ",\n\t\tf%d AS (SELECT key, rec, run_id, substr(rest, instr(rest, char(9)) + 1) AS rest FROM f%d)", i, i-1)
	}
	fmt.Fprintf(&b, `
	INSERT INTO %[1]s_v6 (vpd, recs, run_id)
		SELECT substr(rest, 1, instr(rest || char(9), char(9)) - 1),
			group_concat(%[2]s || char(9) || rec, char(10) ORDER BY key), max(run_id)
		FROM f%[3]d GROUP BY 1;
	DROP TABLE %[1]s;
	ALTER TABLE %[1]s_v6 RENAME TO %[1]s;
	`, table, packSQL("key"), vpdField)
	return b.String()
}
