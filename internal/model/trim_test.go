package model

import (
	"strings"
	"testing"
)

func TestTrimWhite(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"MER/RTH01/001/F1/001", "MER/RTH01/001/F1/001"},
		{" \tMER/RTH01/001/F1/001\r\n", "MER/RTH01/001/F1/001"},
		{"\v\fa b\f\v", "a b"},
		{"a  b", "a  b"},                       // inner space stays
		{"\u00a0DPN\u00a0", "\u00a0DPN\u00a0"}, // a non-breaking space is not white space here: the rules report it
		{"x\n", "x"},
		{"\nx", "x"},
	} {
		if got := TrimWhite(tc.in); got != tc.want {
			t.Errorf("TrimWhite(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if want := strings.Trim(tc.in, " \t\r\n\v\f"); TrimWhite(tc.in) != want {
			t.Errorf("TrimWhite(%q) differs from strings.Trim with the same set (%q)", tc.in, want)
		}
	}
}
