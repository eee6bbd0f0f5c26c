package checks

import (
	"fmt"
	"strconv"
	"strings"
)

// maxDescribed is how many bad characters DescribeBadChars names before it
// summarises the rest as "and N more".
const maxDescribed = 5

// charNames are the plain-English names of the unreadable characters that
// turn up in DPNs and position names.
var charNames = map[rune]string{
	0x00:   "null character",
	0x09:   "tab",
	0x0A:   "line feed",
	0x0B:   "vertical tab",
	0x0C:   "form feed",
	0x0D:   "carriage return",
	0x7F:   "delete character",
	0xA0:   "non-breaking space",
	0xAD:   "soft hyphen",
	0x200B: "zero-width space",
	0x2013: "en dash",
	0x2014: "em dash",
	0x2018: "left single quotation mark",
	0x2019: "right single quotation mark",
	0x201C: "left double quotation mark",
	0x201D: "right double quotation mark",
	0x2026: "ellipsis",
	0x202F: "narrow non-breaking space",
	0xFEFF: "byte order mark",
	0xFFFD: "replacement character",
}

// DescribeBadChars makes the unreadable characters of s visible, one entry
// per character outside readable ASCII (0x20-0x7E), with its 1-based
// character position: "tab (U+0009) at character 18",
// "non-breaking space (U+00A0) at character 4", "character U+00E9 at
// character 7". After five entries the rest are summarised as "and N more".
// It returns nil when every character is readable.
func DescribeBadChars(s string) []string { return describeBadChars(s, 0) }

// describeBadChars is DescribeBadChars for a substring that starts after
// `before` characters of the value the positions should count from.
func describeBadChars(s string, before int) []string {
	var out []string
	pos, bad := before, 0
	for _, r := range s {
		pos++
		if r >= 0x20 && r <= 0x7E {
			continue
		}
		bad++
		if bad <= maxDescribed {
			out = append(out, describeRune(r)+" at character "+strconv.Itoa(pos))
		}
	}
	if bad > maxDescribed {
		out = append(out, fmt.Sprintf("and %d more", bad-maxDescribed))
	}
	return out
}

// describeRune names one character: "tab (U+0009)" or "character U+00E9".
func describeRune(r rune) string {
	if name, ok := charNames[r]; ok {
		return fmt.Sprintf("%s (U+%04X)", name, r)
	}
	return fmt.Sprintf("character U+%04X", r)
}

// badCharsText is the list for a message: "tab (U+0009) at character 14,
// line feed (U+000A) at character 20".
func badCharsText(s string, before int) string {
	return strings.Join(describeBadChars(s, before), ", ")
}
