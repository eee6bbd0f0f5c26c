package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// FoldKey maps s to one string for all the strings strings.EqualFold
// finds equal to it, so that a map can group them: each rune (an invalid
// byte as U+FFFD, as EqualFold reads it) becomes the least rune of its
// simple case folding orbit.
func FoldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s) // 'K' < 'k' < KELVIN SIGN, 'S' < 's' < LONG S
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}
