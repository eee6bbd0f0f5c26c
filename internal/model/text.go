package model

import (
	"strconv"
	"strings"
)

// Wording shared by the position rules (checks) and the reconciliation
// (reconcile), so that their messages name things the same way.

// PositionRef names a position in a message: "position 10000016", or "the
// position on row 17" when it has no number.
func PositionRef(p *Position) string {
	if n := TrimWhite(p.Number); n != "" {
		return "position " + n
	}
	return "the position on row " + strconv.Itoa(p.Row)
}

// ReadableASCII reports whether every byte of s is readable ASCII
// (0x20-0x7E). Any non-ASCII rune has bytes >= 0x80, so this is the same as
// checking runes, without decoding.
func ReadableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}

// JoinAnd joins items as English: "a", "a and b", "a, b and c".
func JoinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// Capitalise upper-cases the first ASCII letter of a message fragment.
func Capitalise(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// EditDistance is the Levenshtein distance between a and b (insertions,
// deletions, substitutions), in runes: how near a header is to an alias,
// or a mistyped flag to a real one.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
