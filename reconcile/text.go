package reconcile

import (
	"strconv"
	"strings"

	"dpnkit/internal/model"
)

// The wording helpers below are the ones the position rules use
// (checks/checks.go, checks/warnings.go), so a reconciliation message
// names a position the way a check message does.

// positionRef names a position in a message: by its number, else by row.
func positionRef(p *model.Position) string {
	if n := model.TrimWhite(p.Number); n != "" {
		return "position " + n
	}
	return "the position on row " + strconv.Itoa(p.Row)
}

// readableASCII reports whether every byte of s is readable ASCII (0x20-0x7E).
func readableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}

// joinAnd joins items as "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// capitalise upper-cases the first ASCII letter of a message fragment.
func capitalise(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
