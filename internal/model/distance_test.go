package model

import "testing"

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"dpn", "dpn", 0}, {"postionnumber", "positionnumber", 1}, {"kitten", "sitting", 3}, {"", "abc", 3},
		{"asof", "as-of", 1}, {"café", "cafe", 1}} {
		if got := EditDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
