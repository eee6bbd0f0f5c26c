package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// locator finds the line of a key in the configuration file, for error
// messages. The TOML decoder keeps positions only for syntax errors, so the
// file is scanned again: table headers ([a.b], [[a]]) and key lines
// (k = v, "k" = v, a.b = v). A key it cannot find (one in an inline table
// or a multi-line string) gives line 0, and the message names the file only.
//
// The file is scanned once, into the first line of each key path and of
// each table path (keyed by pathKey); a look-up is a map look-up, so that
// a file of thousands of [[accept]] entries is not scanned once for each.
type locator struct {
	path string
	// keys has the key lines: the key's path in its table's path with
	// "#N" (from 0) for the N-th table of an array of tables, and again in
	// its table's path without them.
	keys map[string]int
	// tables has the table headers: the table's path with "#N" for an
	// array of tables, and again without it.
	tables map[string]int
}

// newLocator is the locator of the file at path, whose contents are data.
func newLocator(path string, data []byte) locator {
	l := locator{path: path, keys: map[string]int{}, tables: map[string]int{}}
	l.scan(data)
	return l
}

// errorf is "configuration FILE line N: message".
func (l locator) errorf(key []string, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if n := l.line(key); n > 0 {
		return fmt.Errorf("configuration %s line %d: %s", l.path, n, msg)
	}
	return fmt.Errorf("configuration %s: %s", l.path, msg)
}

// line is the line of key: a path of keys, where "#N" is the N-th (from 0)
// table of an array of tables, and a last element "" names the table
// itself (its header line). A path without "#N" elements matches the key
// in any table of the array. 0 when not found; the table's header line when
// the table is found but not the key.
func (l locator) line(key []string) int {
	table := key
	self := len(key) > 0 && key[len(key)-1] == ""
	if self {
		table = key[:len(key)-1]
	}
	keyLine, found := l.keys[pathKey(key)]
	tableLine := l.tables[pathKey(table)]
	switch {
	case found && self && tableLine > 0:
		// The first line naming it, as a key line or as the header.
		return min(keyLine, tableLine)
	case found:
		return keyLine
	}
	return tableLine
}

// scan records the first line of each key and table path of data, the
// file.
func (l locator) scan(data []byte) {
	first := func(m map[string]int, path []string, line int) {
		k := pathKey(path)
		if _, ok := m[k]; !ok {
			m[k] = line
		}
	}
	var cur, plain []string
	counts := map[string]int{}
	for i, ln := range strings.Split(string(data), "\n") {
		s := strings.TrimSpace(ln)
		switch {
		case s == "" || s[0] == '#':
			continue
		case strings.HasPrefix(s, "[["):
			name := splitKey(strings.TrimSuffix(strings.TrimSpace(s[2:strings.Index(s+"]]", "]]")]), "]"))
			n := counts[strings.Join(name, "\x00")]
			counts[strings.Join(name, "\x00")] = n + 1
			cur = append(slices.Clip(name), fmt.Sprintf("#%d", n))
			plain = name
		case s[0] == '[':
			cur = splitKey(s[1:strings.Index(s+"]", "]")])
			plain = cur
		default:
			eq := keyEnd(s)
			if eq < 0 {
				continue
			}
			first(l.keys, append(slices.Clip(cur), splitKey(s[:eq])...), i+1)
			first(l.keys, append(slices.Clip(plain), splitKey(s[:eq])...), i+1)
			continue
		}
		first(l.tables, cur, i+1)
		first(l.tables, plain, i+1)
	}
}

// pathKey is path as a map key: each part with its length before it, so
// that no two paths share a key.
func pathKey(path []string) string {
	var b strings.Builder
	for _, p := range path {
		b.WriteString(strconv.Itoa(len(p)))
		b.WriteByte(':')
		b.WriteString(p)
	}
	return b.String()
}

// keyEnd is the index of the '=' ending the key of a key line, or -1.
func keyEnd(s string) int {
	if at := unquoted(s, '=', true); len(at) > 0 {
		return at[0]
	}
	return -1
}

// splitKey splits a dotted TOML key into its parts, unquoted.
func splitKey(s string) []string {
	var parts []string
	start := 0
	for _, i := range append(unquoted(s, '.', false), len(s)) {
		parts = append(parts, unquoteKey(strings.TrimSpace(s[start:i])))
		start = i + 1
	}
	return parts
}

// unquoted is the indexes of sep in s outside TOML's quotes ("..." with
// backslash escapes, and '...'); with first, the first one only.
func unquoted(s string, sep byte, first bool) []int {
	var at []int
	var quote byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == sep:
			at = append(at, i)
			if first {
				return at
			}
		}
	}
	return at
}

func unquoteKey(k string) string {
	if len(k) >= 2 && k[0] == '\'' && k[len(k)-1] == '\'' {
		return k[1 : len(k)-1]
	}
	if len(k) >= 2 && k[0] == '"' {
		if u, err := strconv.Unquote(k); err == nil {
			return u
		}
	}
	return k
}
