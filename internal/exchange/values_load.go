package exchange

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"strings"
	"sync"
)

// CodedItems are the APP items ESR checks against its coded-value lists, in
// the order their warnings are given (interface-run.md step 5).
var CodedItems = []string{"TITLE", "GENDER", "MARITAL_STATUS", "NATIONALITY", "ETHNIC_ORIGIN",
	"DISABILITY", "RELIGION", "SEXUAL_ORIENTATION", "COUNTRY_OF_BIRTH"}

//go:embed values/*.txt
var valueFiles embed.FS

var (
	defaultOnce   sync.Once
	defaultValues *Values
)

// DefaultValues returns the built-in coded-value lists, read from the
// embedded files values/<item>.txt (item lower-cased, e.g.
// values/disability.txt). Each file documents its source and assumptions
// at the top. The lists are parsed once; every call returns a fresh copy,
// so a caller may change it freely.
func DefaultValues() *Values {
	defaultOnce.Do(func() {
		v := &Values{Lists: make(map[string]map[string]bool, len(CodedItems))}
		for _, item := range CodedItems {
			name := "values/" + strings.ToLower(item) + ".txt"
			b, err := valueFiles.ReadFile(name)
			if err != nil {
				panic(fmt.Sprintf("exchange: embedded %s missing: %v", name, err)) // a build mistake, caught by the tests
			}
			list := make(map[string]bool)
			for _, line := range strings.Split(string(b), "\n") {
				if val, ok := valueLine(line); ok {
					list[val] = true
				}
			}
			v.Lists[item] = list
		}
		defaultValues = v
	})
	return defaultValues.clone()
}

// ReadValues reads a replacement coded-value file (--values FILE): a
// section header "[ITEM]" (one of CodedItems, any case) followed by one
// accepted value per line. Blank lines and lines starting with '#' are
// ignored; values are trimmed and compared case-insensitively.
//
// Decisions: a list the file gives replaces the built-in list of that item
// entirely; lists the file does not give keep the built-in ones (so a user
// can correct one list without copying the others). A section given twice
// is merged. A section with no values means ESR holds none: every non-empty
// value of that item warns. A value before the first section, an unknown
// section name or a malformed header is an error naming the line.
func ReadValues(r io.Reader) (*Values, error) {
	v := DefaultValues()
	known := make(map[string]bool, len(CodedItems))
	for _, it := range CodedItems {
		known[it] = true
	}
	given := make(map[string]bool)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	section := ""
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		t := strings.TrimSpace(text)
		if strings.HasPrefix(t, "[") {
			if !strings.HasSuffix(t, "]") {
				return nil, fmt.Errorf("values line %d: section header %q has no closing ]", line, t)
			}
			name := strings.ToUpper(strings.TrimSpace(t[1 : len(t)-1]))
			name = strings.ReplaceAll(name, " ", "_")
			if !known[name] {
				return nil, fmt.Errorf("values line %d: unknown section [%s] (want one of %s)", line, name, strings.Join(CodedItems, ", "))
			}
			if !given[name] {
				given[name] = true
				v.Lists[name] = make(map[string]bool)
			}
			section = name
			continue
		}
		val, ok := valueLine(text)
		if !ok {
			continue
		}
		if section == "" {
			return nil, fmt.Errorf("values line %d: value %q before any [SECTION] header", line, val)
		}
		v.Lists[section][val] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read values: %w", err)
	}
	return v, nil
}

// valueLine returns the normalised value of a list line, or false for a
// blank or comment line.
func valueLine(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if t == "" || strings.HasPrefix(t, "#") {
		return "", false
	}
	return normValue(t), true
}

// normValue is a coded value as compared: trimmed, lower case.
func normValue(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Accepts reports whether ESR holds value for item. An empty value is not
// checked (nothing to ignore), and neither is an item with no list.
func (v *Values) Accepts(item, value string) bool {
	if strings.TrimSpace(value) == "" || v == nil {
		return true
	}
	list, ok := v.Lists[item]
	if !ok {
		return true
	}
	return list[normValue(value)]
}

func (v *Values) clone() *Values {
	c := &Values{Lists: make(map[string]map[string]bool, len(v.Lists))}
	for k, list := range v.Lists {
		m := make(map[string]bool, len(list))
		for val := range list {
			m[val] = true
		}
		c.Lists[k] = m
	}
	return c
}
