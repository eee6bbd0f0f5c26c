package checks

import "testing"

func TestDescribeBadChars(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"KSS/RJZ01/030/STR(H)/001", nil},
		{"", nil},
		{"KSS/RJZ01/030\tSTR/001", []string{"tab (U+0009) at character 14"}},
		{"KSS\u00a0", []string{"non-breaking space (U+00A0) at character 4"}},
		{"a\nb\r", []string{"line feed (U+000A) at character 2", "carriage return (U+000D) at character 4"}},
		{"A\u2013B", []string{"en dash (U+2013) at character 2"}},
		{"\u201cX\u201d", []string{"left double quotation mark (U+201C) at character 1", "right double quotation mark (U+201D) at character 3"}},
		// Positions count characters, not bytes: é is two bytes.
		{"Caf\u00e9\t", []string{"character U+00E9 at character 4", "tab (U+0009) at character 5"}},
		{"\x7f", []string{"delete character (U+007F) at character 1"}},
		{"\t\t\t\t\t\t\t", []string{
			"tab (U+0009) at character 1", "tab (U+0009) at character 2", "tab (U+0009) at character 3",
			"tab (U+0009) at character 4", "tab (U+0009) at character 5", "and 2 more"}},
		{"\t\t\t\t\t", []string{
			"tab (U+0009) at character 1", "tab (U+0009) at character 2", "tab (U+0009) at character 3",
			"tab (U+0009) at character 4", "tab (U+0009) at character 5"}},
	}
	for _, tt := range tests {
		if got := DescribeBadChars(tt.in); !equalStrings(got, tt.want) {
			t.Errorf("DescribeBadChars(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
