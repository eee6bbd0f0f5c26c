package report

// FALLBACK: private stand-in for checks.DescribeBadChars, which the checks
// package is adding in parallel. When it lands, delete this file and point
// describeBadChars at checks.DescribeBadChars (see issues.go).

import "fmt"

// charNames names the unreadable characters a DPN most often carries.
var charNames = map[rune]string{
	'\t':     "tab",
	'\n':     "linefeed",
	'\r':     "carriage return",
	'\v':     "vertical tab",
	'\f':     "form feed",
	0x7f:     "delete",
	0xa0:     "non-breaking space",
	0x2013:   "en dash",
	0x2014:   "em dash",
	0x2018:   "left single quote",
	0x2019:   "right single quote",
	0x201c:   "left double quote",
	0x201d:   "right double quote",
	0x200b:   "zero-width space",
	0xfeff:   "byte order mark",
	0xfffd:   "replacement character",
	0x00ad:   "soft hyphen",
	0x2026:   "ellipsis",
	0x202f:   "narrow non-breaking space",
}

// fallbackDescribeBadChars lists every character of s outside printable
// ASCII (0x20-0x7E) with its 1-based character position, e.g.
// "tab (U+0009) at character 18".
func fallbackDescribeBadChars(s string) []string {
	var out []string
	pos := 0
	for _, r := range s {
		pos++
		if r >= 0x20 && r <= 0x7e {
			continue
		}
		name, ok := charNames[r]
		if !ok {
			if r < 0x20 {
				name = "control character"
			} else {
				name = fmt.Sprintf("%q", r)
			}
		}
		out = append(out, fmt.Sprintf("%s (U+%04X) at character %d", name, r, pos))
	}
	return out
}
