package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // the history's own driver; no sqlite3 binary needed
)

// timeColumns are the run history's columns that hold a time of day or a
// duration: they differ from one run to the next and are not compared
// (their presence is). Everything else in every table is.
var timeColumns = []string{
	"runs.started",   // when the run began (RFC 3339 time)
	"runs.finished",  // when it committed
	"checks.checked", // when a check was recorded
}

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

func isSQLite(head []byte) bool { return bytes.HasPrefix(head, sqliteMagic) }

// dumpSQLite renders every table of the database at path as text, one part
// per table, rows ordered by primary key (by every column for a table
// without one). Each row is one line of tab-separated name=value cells, the
// key's cells first; the columns in ignore ("table.column") show "*". The
// part "(pragmas)" holds the application id and user version. The database
// is read from a copy (with its -wal file), so the original is not touched.
func dumpSQLite(path string, ignore map[string]bool, norm normaliser) (map[string][]byte, error) {
	tmp, err := os.MkdirTemp("", "dpnkit-compare-db-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	cp := filepath.Join(tmp, "copy.db")
	if err := copyFile(path, cp); err != nil {
		return nil, err
	}
	if err := copyFile(path+"-wal", cp+"-wal"); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	db, err := sql.Open("sqlite", cp)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tables, err := queryStrings(db, `SELECT name FROM sqlite_schema
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	parts := map[string][]byte{}
	var appID, userVersion int64
	if err := db.QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
		return nil, err
	}
	if err := db.QueryRow("PRAGMA user_version").Scan(&userVersion); err != nil {
		return nil, err
	}
	parts["(pragmas)"] = fmt.Appendf(nil, "application_id=%d\tuser_version=%d\n", appID, userVersion)
	for _, t := range tables {
		b, err := dumpTable(db, t, ignore)
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", t, err)
		}
		parts[t] = norm.apply(b)
	}
	return parts, nil
}

// keyMark follows a primary key column's name on a table dump's first line.
const keyMark = " (key)"

// dumpTable renders one table: a first line naming the columns (the key's
// and the ignored ones marked), then a line a row.
func dumpTable(db *sql.DB, table string, ignore map[string]bool) ([]byte, error) {
	cols, order, keyLen, err := tableColumns(db, table)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for i, c := range order {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(cols[c])
		if i < keyLen {
			b.WriteString(keyMark)
		}
		if ignore[table+"."+cols[c]] {
			b.WriteString(" (ignored)")
		}
	}
	b.WriteByte('\n')
	quoted := make([]string, len(order))
	for i, c := range order {
		quoted[i] = quoteIdent(cols[c])
	}
	orderBy := quoted[:keyLen]
	if keyLen == 0 {
		orderBy = quoted // no primary key: every column orders the rows
	}
	rows, err := db.Query("SELECT " + strings.Join(quoted, ", ") + " FROM " + quoteIdent(table) +
		" ORDER BY " + strings.Join(orderBy, ", "))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := make([]any, len(order))
	ptrs := make([]any, len(order))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, c := range order {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(cols[c])
			b.WriteByte('=')
			if ignore[table+"."+cols[c]] {
				b.WriteByte('*')
				continue
			}
			b.WriteString(renderValue(vals[i]))
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), rows.Err()
}

// tableColumns returns the table's column names by column index, the
// order to print them in (the primary key's columns first, in key order,
// then the others in table order) and how many columns the key has (0 for
// a table without one).
func tableColumns(db *sql.DB, table string) (cols []string, order []int, keyLen int, err error) {
	rows, err := db.Query("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		return nil, nil, 0, err
	}
	defer rows.Close()
	type keyCol struct{ pos, col int }
	var key []keyCol
	for rows.Next() {
		var name string
		var pos int
		if err := rows.Scan(&name, &pos); err != nil {
			return nil, nil, 0, err
		}
		if pos > 0 {
			key = append(key, keyCol{pos, len(cols)})
		}
		cols = append(cols, name)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, 0, err
	}
	slices.SortFunc(key, func(a, b keyCol) int { return a.pos - b.pos })
	for _, k := range key {
		order = append(order, k.col)
	}
	for i := range cols {
		if !slices.Contains(order, i) {
			order = append(order, i)
		}
	}
	return cols, order, len(key), nil
}

// renderValue writes a value with its SQLite type visible: an integer
// stored as text does not equal the integer.
func renderValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64) + "f"
	case string:
		return strconv.Quote(v)
	case []byte:
		return fmt.Sprintf("x'%x'", v)
	default:
		return fmt.Sprintf("%T(%v)", v, v)
	}
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func queryStrings(db *sql.DB, q string) ([]string, error) {
	rows, err := db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// rowDiff describes the first difference between two table dumps by the
// row's key and the column it is in.
func rowDiff(a, b []byte) string {
	d := firstDiff(a, b)
	if d == "" {
		return ""
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	start := bytes.LastIndexByte(a[:i], '\n') + 1
	if start == 0 {
		return "columns: " + d // the header line
	}
	src := a
	if i >= len(a) {
		src = b // base has fewer rows: name new's
	}
	line := src[start:]
	if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	header, _, _ := bytes.Cut(a, []byte("\n"))
	cells := bytes.Split(line, []byte("\t"))
	key := cells[:max(1, min(len(cells), bytes.Count(header, []byte(keyMark))))]
	cellStart := bytes.LastIndexByte(a[start:i], '\t') + 1
	col, _, _ := bytes.Cut(src[start+cellStart:], []byte("="))
	return fmt.Sprintf("row %s, column %s: %s", clip(string(bytes.Join(key, []byte(" "))), 60), col, d)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:runeStart([]byte(s), n)] + "…"
}
