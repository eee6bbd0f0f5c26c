package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"
)

// versionMask replaces the value of a JSON document's top-level "version"
// field, so two builds that differ only in their version string compare
// equal.
const versionMask = `"<version>"`

// maskVersion returns b with the value of its top-level "version" field
// replaced by versionMask, every other byte kept. ok is false when b is not
// one JSON object (it is then compared byte for byte).
func maskVersion(b []byte) (masked []byte, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return b, false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return b, false
		}
		afterKey := dec.InputOffset()
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return b, false
		}
		if key != "version" {
			continue
		}
		end := dec.InputOffset()
		start := afterKey
		for start < end && (b[start] == ':' || isSpace(b[start])) {
			start++
		}
		out := make([]byte, 0, len(b))
		out = append(out, b[:start]...)
		out = append(out, versionMask...)
		return append(out, b[end:]...), true
	}
	return b, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// firstDiff describes where a and b first differ: for text the line and
// column with a short excerpt of each side, for binary data the offset.
// It returns "" when they are equal.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) && i == len(b) {
		return ""
	}
	if !isText(a) || !isText(b) {
		return fmt.Sprintf("byte %d: base %s, new %s (sizes %d and %d)", i, byteAt(a, i), byteAt(b, i), len(a), len(b))
	}
	line := bytes.Count(a[:i], []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(a[:i], '\n') + 1
	col := utf8.RuneCount(a[lineStart:i]) + 1
	return fmt.Sprintf("line %d, column %d: base %s, new %s", line, col, excerpt(a, i), excerpt(b, i))
}

func byteAt(b []byte, i int) string {
	if i >= len(b) {
		return "ends"
	}
	return fmt.Sprintf("0x%02x", b[i])
}

// isText reports whether b looks like text: valid UTF-8 (or empty) with no
// NUL in its first 8 KiB.
func isText(b []byte) bool {
	head := b[:min(len(b), 8<<10)]
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	if len(head) < len(b) {
		head = head[:runeStart(head, len(head)-1)] // the cut may split a rune
	}
	return utf8.Valid(head)
}

// excerpt quotes the part of b's line around offset i, at most 40 bytes
// either side, marking a cut with "…".
func excerpt(b []byte, i int) string {
	if i >= len(b) {
		return "ends"
	}
	start := bytes.LastIndexByte(b[:i], '\n') + 1
	end := len(b)
	if nl := bytes.IndexByte(b[i:], '\n'); nl >= 0 {
		end = i + nl
	}
	pre, post := "", ""
	if i-start > 40 {
		start, pre = runeStart(b, i-40), "…"
	}
	if end-i > 40 {
		end, post = runeStart(b, i+40), "…"
	}
	return pre + fmt.Sprintf("%q", b[start:end]) + post
}

// runeStart moves i back to the start of the rune it is in.
func runeStart(b []byte, i int) int {
	for i > 0 && i < len(b) && !utf8.RuneStart(b[i]) {
		i--
	}
	return i
}

// zipParts reads every part of a zip archive (an .xlsx workbook).
func zipParts(b []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	parts := make(map[string][]byte, len(zr.File))
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("part %s: %w", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("part %s: %w", f.Name, err)
		}
		if _, dup := parts[f.Name]; dup {
			return nil, fmt.Errorf("part %s appears twice", f.Name)
		}
		parts[f.Name] = data
	}
	return parts, nil
}

// compareParts compares two sets of named parts (a workbook's zip parts, a
// database's tables): a part on one side only, or any byte of a part,
// is a difference, described by diff. It returns how many parts were compared and, when they
// differ, the first difference in the order of the names.
func compareParts(what string, a, b map[string][]byte, diff func(a, b []byte) string) (n int, detail string) {
	names := make([]string, 0, len(a)+len(b))
	for name := range a {
		names = append(names, name)
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var diffs []string
	for _, name := range names {
		pa, inA := a[name]
		pb, inB := b[name]
		switch {
		case !inA:
			diffs = append(diffs, fmt.Sprintf("%s %s only in new", what, name))
		case !inB:
			diffs = append(diffs, fmt.Sprintf("%s %s only in base", what, name))
		default:
			if d := diff(pa, pb); d != "" {
				diffs = append(diffs, fmt.Sprintf("%s %s: %s", what, name, d))
			}
		}
	}
	if len(diffs) == 0 {
		return len(names), ""
	}
	detail = diffs[0]
	if len(diffs) > 1 {
		detail += fmt.Sprintf(" (%d of %d %ss differ)", len(diffs), len(names), what)
	}
	return len(names), detail
}

// normaliser rewrites a side's own folder to a placeholder, so outputs that
// name the folder they were written to compare equal.
type normaliser struct{ root string }

func (n normaliser) apply(b []byte) []byte {
	if n.root == "" || !bytes.Contains(b, []byte(n.root)) {
		return b
	}
	return bytes.ReplaceAll(b, []byte(n.root), []byte("$OUT"))
}
