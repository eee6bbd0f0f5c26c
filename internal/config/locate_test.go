package config

import (
	"fmt"
	"strings"
	"testing"
)

// The line of each kind of key in an odd file (not all of it valid TOML),
// worked by hand: a key in a table, a dotted key, a quoted key, a table's
// header, the N-th table of an array of tables, a key the file has twice
// (its first line), a table named without the trailing "" (its header
// line) and keys that are missing (0).
func TestLocatorLines(t *testing.T) {
	doc := `x = 1
"" = 2
a.b = 3
[a]
b = 4
"x.y" = 5
[[ accept ]]
rule = "r"
"" = 6
[accept."#0"]
rule = 7
[["accept"]]
'rule' = 8
[[accept.x]]
y = 9
[[accept]]
[accept.x]
y = 10
[b] # comment
  c . d = 11
`
	loc := newLocator("c.toml", []byte(doc))
	for _, tc := range []struct {
		key  []string
		want int
	}{
		{[]string{"x"}, 1},
		{[]string{"a", "b"}, 3}, // a.b = 3 comes before [a] b = 4
		{[]string{"a", ""}, 4},
		{[]string{"a", "x.y"}, 6},
		{[]string{"accept", ""}, 7},
		{[]string{"accept", "#0", ""}, 7}, // its header, before its "" = 6 key
		{[]string{"accept", "#0", "rule"}, 8},
		{[]string{"accept", "#1", ""}, 12},
		{[]string{"accept", "#1", "rule"}, 13},
		{[]string{"accept", "x", "y"}, 15},
		{[]string{"accept", "#2", ""}, 16},
		{[]string{"accept", "x"}, 14}, // the table [[accept.x]], named as a key
		{[]string{"accept", "#0", "until"}, 0},
		{[]string{"b", ""}, 19},
		{[]string{"b", "c", "d"}, 20},
		{[]string{"accept", "#3", ""}, 0},
		{[]string{"nowhere"}, 0},
	} {
		if got := loc.line(tc.key); got != tc.want {
			t.Errorf("line(%q) = %d, want %d", tc.key, got, tc.want)
		}
	}
}

// A long list of [[accept]] entries: each acceptance names its own entry's
// header line, and the file is scanned once, not once an entry.
func TestManyAccepts(t *testing.T) {
	const n = 2000
	var b strings.Builder
	b.WriteString("fail-on = \"error\"\n")
	for i := range n {
		fmt.Fprintf(&b, "\n# entry %d\n[[accept]]\nrule = \"dpn.prefix\"\nposition = \"%d\"\nreason = \"r\"\nwho = \"A\"\nuntil = 2027-01-01\n", i+1, i)
	}
	f, err := Parse("c.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Policy.Accepted) != n {
		t.Fatalf("%d acceptances, want %d", len(f.Policy.Accepted), n)
	}
	// Entry i (from 0) has its header on line 4 + 8i.
	for _, i := range []int{0, 1, n / 2, n - 1} {
		if got, want := f.Policy.Accepted[i].Source, fmt.Sprintf("c.toml line %d", 4+8*i); got != want {
			t.Errorf("acceptance %d: source %q, want %q", i, got, want)
		}
	}

	// Counting work, not time: the locator keeps no copy of the file to scan
	// again, so each look-up is one map look-up.
	loc := newLocator("c.toml", []byte(b.String()))
	if got, want := loc.line([]string{"accept", fmt.Sprintf("#%d", n-1), ""}), 4+8*(n-1); got != want {
		t.Errorf("last entry on line %d, want %d", got, want)
	}
	if got, want := loc.line([]string{"accept", fmt.Sprintf("#%d", n-1), "until"}), 4+8*(n-1)+5; got != want {
		t.Errorf("last entry's until on line %d, want %d", got, want)
	}
}
