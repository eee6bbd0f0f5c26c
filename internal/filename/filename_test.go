package filename

import (
	"regexp"
	"strings"
	"testing"
)

// The hashes below are FNV-1a (32-bit) of the raw value, worked out
// outside Go (h = 0x811c9dc5; per byte h ^= b, h *= 0x01000193 mod 2^32).
var hostile = []struct{ raw, want string }{
	// Kept as they are.
	{"504", "504"},
	{"KSS", "KSS"},
	{"RX1-2", "RX1-2"},
	// Empty, and the word that stands for empty.
	{"", "UNKNOWN"},
	{"UNKNOWN", "UNKNOWN_69b80b99"},
	// Path separators and Windows' reserved characters: three values that
	// clean to the same "a_b" stay apart.
	{"a/b", "a_b_3a8e75c1"},
	{`a\b`, "a_b_299c2fb6"},
	{"a:b", "a_b_08bd8540"},
	{"a_b", "a_b_1ba46871"},
	{"A:B", "A_B_4c851f00"}, // a deanery "A:B" (DE_A:B_APP_... before)
	{`<>:"|?*`, "________9ade17d0"},
	{"../x", "___x_5c237dda"},
	{"9 9/9", "9_9_9_56131c0b"},
	// Control characters: a newline, a NUL.
	{"a\nb", "a_b_28e4c710"},
	{"\x00", "__050c5d1f"},
	// Trailing dot and space (Windows drops them).
	{"x.", "x__0362fa0b"},
	{"x ", "x__0162f6e5"},
	// Windows' device names, in any case.
	{"CON", "CON_3367e86b"},
	{"con", "con_f08dd14b"},
	{"nul", "nul_0d725c20"},
	{"COM1", "COM1_4e9510dd"},
	{"LPT9", "LPT9_891f37a2"},
	// Lower case could meet its upper-case twin on Windows.
	{"abc", "abc_1a47e90b"},
	{"Wales", "Wales_1b9989eb"},
	// One '_' a character, however many bytes.
	{"é", "__1e9de8c1"},
	// Over MaxPart: cut to 64 characters and marked.
	{strings.Repeat("X", 300), strings.Repeat("X", 64) + "_dda80bb5"},
}

func TestPartHostile(t *testing.T) {
	for _, tc := range hostile {
		if got := Part(tc.raw); got != tc.want {
			t.Errorf("Part(%q) = %q, want %q", tc.raw, got, tc.want)
		}
		if changed := Changed(tc.raw); changed != (tc.raw != tc.want && tc.raw != "") {
			t.Errorf("Changed(%q) = %v", tc.raw, changed)
		}
	}
}

// Every part is a valid name on Windows and Linux, and no two values give
// parts equal but for case.
func TestPartSafeAndUnique(t *testing.T) {
	values := []string{"ABC", "AbC", "abc", "a.b", "a b", "a\tb", "a\rb", "NUL.txt", "COM9", "com9", "CON ",
		"..", ".", "/", `\\server\share`, "C:", "a\u200bb", "a\u0000b", strings.Repeat("é", 200),
		strings.Repeat("Y", 64), strings.Repeat("Y", 65), strings.Repeat("Y", 64) + "Z"}
	for _, tc := range hostile {
		values = append(values, tc.raw)
	}
	safe := regexp.MustCompile(`^[A-Za-z0-9_-]{1,73}$`)
	seen := map[string]string{}
	for _, v := range values {
		p := Part(v)
		if !safe.MatchString(p) {
			t.Errorf("Part(%q) = %q: not a safe name", v, p)
		}
		if reserved(p) {
			t.Errorf("Part(%q) = %q: a Windows device name", v, p)
		}
		folded := strings.ToLower(p)
		if other, dup := seen[folded]; dup && other != v {
			t.Errorf("Part(%q) and Part(%q) are both %q (ignoring case)", v, other, p)
		}
		seen[folded] = v
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("a/b"); got != `"a/b"` {
		t.Errorf("Quote = %s", got)
	}
	long := strings.Repeat("é", 1000)
	if got, want := Quote(long), `"`+strings.Repeat("é", 40)+`"… (1000 characters)`; got != want {
		t.Errorf("Quote(1000 × é) = %s, want %s", got, want)
	}
}
