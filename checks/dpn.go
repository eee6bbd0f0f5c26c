package checks

import (
	"dpnkit/internal/model"

	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// dpnExample is a well-formed DPN quoted in messages.
const dpnExample = "KSS/RJZ01/030/STR/001"

// dpnFormat applies the seed's DPN format rules (dpn.parts, dpn.prefix,
// dpn.chars, dpn.empty-part) to active positions carrying a DPN. Parts are
// those of the DPN with surrounding U+0020 spaces trimmed, split on "/".
type dpnFormat struct{}

func (dpnFormat) Rules() []string {
	return []string{RuleDPNParts, RuleDPNPrefix, RuleDPNChars, RuleDPNEmptyPart}
}

func (dpnFormat) CheckPosition(s *Subject, out []Finding) []Finding {
	if !s.InScope() {
		return out
	}
	p, d := s.P, s.DPN
	parts := strings.Count(d, "/") + 1
	if parts < 4 {
		out = append(out, newFinding(RuleDPNParts, p, ColumnDPN, p.DPN, fmt.Sprintf(
			"DPN has %s; it needs at least 4 separated by / (e.g. %s). Correct the Deanery Post Number on %s.",
			plural(parts, "part"), dpnExample, model.PositionRef(p))))
	}
	first, _, _ := strings.Cut(d, "/")
	if n := utf8.RuneCountInString(first); n != 3 {
		out = append(out, newFinding(RuleDPNPrefix, p, ColumnDPN, p.DPN, fmt.Sprintf(
			"DPN's first part %q has %s; it must be exactly 3, the deanery prefix (e.g. KSS in %s). Correct the Deanery Post Number on %s.",
			first, plural(n, "character"), dpnExample, model.PositionRef(p))))
	}
	if !model.ReadableASCII(p.DPN) {
		out = append(out, newFinding(RuleDPNChars, p, ColumnDPN, p.DPN, fmt.Sprintf(
			"DPN contains characters that are not readable text: %s. Such a record may not transfer to TIS. Retype the Deanery Post Number on %s, removing them.",
			badCharsText(p.DPN, 0), model.PositionRef(p))))
	}
	if hasEmptyPart(d) {
		empty := emptyParts(d)
		what := "an empty part (part "
		if len(empty) > 1 {
			what = "empty parts (parts "
		}
		out = append(out, newFinding(RuleDPNEmptyPart, p, ColumnDPN, p.DPN, fmt.Sprintf(
			"DPN %q has %s%s of %d); every part between the / separators needs a value (MER//123/123 and a trailing / are not allowed). Correct the Deanery Post Number on %s.",
			d, what, model.JoinAnd(empty), parts, model.PositionRef(p))))
	}
	return out
}

// isBlankPart reports whether a DPN part is empty or only U+0020 spaces.
func isBlankPart(part string) bool {
	for i := 0; i < len(part); i++ {
		if part[i] != ' ' {
			return false
		}
	}
	return true
}

// hasEmptyPart reports whether any "/"-separated part of d is blank,
// without allocating.
func hasEmptyPart(d string) bool {
	for {
		part, rest, more := strings.Cut(d, "/")
		if isBlankPart(part) {
			return true
		}
		if !more {
			return false
		}
		d = rest
	}
}

// emptyParts lists the 1-based numbers of the blank parts of d.
func emptyParts(d string) []string {
	var out []string
	for i, part := range strings.Split(d, "/") {
		if isBlankPart(part) {
			out = append(out, strconv.Itoa(i+1))
		}
	}
	return out
}
