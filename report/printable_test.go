package report

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"López":                    "López",
		"Wiśniewski":               "Wiśniewski",
		"Ørsted, 李伟":               "Ørsted, 李伟",
		"a\tb\nc\rd":               `a\tb\nc\rd`,
		"nul\x00 del\x7f c1\u0085": `nul\u0000 del\u007f c1\u0085`,
		"zero\u200bwidth\u202e":    `zero\u200bwidth\u202e`,
		"bad\xffbyte":              `bad\xffbyte`,
		"nbsp\u00a0kept":           "nbsp\u00a0kept",
		"line\u2028sep":            `line\u2028sep`,
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}
