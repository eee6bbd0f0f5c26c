package model

import "testing"

// IsOfficeCode: three ASCII letters or digits, nothing else.
func TestIsOfficeCode(t *testing.T) {
	cases := map[string]bool{
		"KSS": true, "kss": true, "K1s": true, "123": true,
		"": false, "KS": false, "KENT": false, " KS": false, "KS ": false, "K-S": false, "K_S": false,
		"KSÉ": false, "ÉÉÉ": false, "K\x00S": false, "KS\xff": false, "\xff\xfe\xfd": false, "ıAB": false, "K S": false,
	}
	for code, want := range cases {
		if got := IsOfficeCode(code); got != want {
			t.Errorf("IsOfficeCode(%q) = %v, want %v", code, got, want)
		}
	}
}
