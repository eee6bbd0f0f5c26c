package checks

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"dpnkit/internal/model"
)

// nameExample is a well-formed position name quoted in messages.
const nameExample = "84682|S.H.O. - ENT|023|Otolaryn"

// nameFormat applies the seed's position-name rules (name.parts,
// name.number, name.chars) to active positions carrying a DPN.
type nameFormat struct{}

func (nameFormat) Rules() []string {
	return []string{RuleNameParts, RuleNameNumber, RuleNameChars}
}

// splitName returns the name as it is split into parts: in a GO file ESR
// ends every name with one terminating "|", which is not a fifth part.
func splitName(p *model.Position) string {
	if p.Format == model.FormatGO {
		return strings.TrimSuffix(p.Name, "|")
	}
	return p.Name
}

func (nameFormat) CheckPosition(s *Subject, out []Finding) []Finding {
	if !s.InScope() {
		return out
	}
	p := s.P
	name := splitName(p)
	if parts := strings.Count(name, "|") + 1; parts != 4 {
		terminator := ""
		if p.Format == model.FormatGO {
			terminator = ", not counting ESR's closing |"
		}
		out = append(out, newFinding(RuleNameParts, p, ColumnName, p.Name, fmt.Sprintf(
			"Position name has %s separated by |%s; it needs exactly 4: number|job role|occupation code|area of work (e.g. %s). Correct the Position Name of %s.",
			plural(parts, "part"), terminator, nameExample, model.PositionRef(p))))
	}
	first, rest, _ := strings.Cut(name, "|")
	if !allDigits(first) {
		out = append(out, newFinding(RuleNameNumber, p, ColumnName, p.Name, fmt.Sprintf(
			"Position name's first part %q is not a number; it must be the position number, digits only (e.g. %s). Correct the Position Name of %s.",
			first, nameExample, model.PositionRef(p))))
	}
	if !model.ReadableASCII(rest) {
		out = append(out, newFinding(RuleNameChars, p, ColumnName, p.Name, fmt.Sprintf(
			"Position name contains characters that are not readable text: %s. Such a record may not transfer to TIS. Retype the Position Name of %s, removing them.",
			badCharsText(rest, utf8.RuneCountInString(first)+1), model.PositionRef(p))))
	}
	return out
}
