package exchange

import (
	"strings"
	"testing"
	"unicode"
)

// TestNormNI: an NI number is matched without spaces and case; the ASCII
// fast path must agree with the rune-by-rune definition, and non-ASCII
// input (a non-breaking space, a Turkish dotless i) takes the slow path.
func TestNormNI(t *testing.T) {
	ref := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if !unicode.IsSpace(r) {
				b.WriteRune(unicode.ToUpper(r))
			}
		}
		return b.String()
	}
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"QQ123456C", "QQ123456C"},
		{"qq 12 34 56 c", "QQ123456C"},
		{"\tqq123456c\r\n", "QQ123456C"},
		{"QQ\u00a0123456C", "QQ123456C"},
		{"qq123456ı", "QQ123456I"},
		{"ab-12/3", "AB-12/3"},
	} {
		if got := normNI(tc.in); got != tc.want {
			t.Errorf("normNI(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := normNI(tc.in); got != ref(tc.in) {
			t.Errorf("normNI(%q) = %q, differs from the definition %q", tc.in, got, ref(tc.in))
		}
	}
}
