package termtable

import (
	"strings"
	"testing"
)

func render(t *testing.T, layout Layout, rows [][]string) string {
	t.Helper()
	var b strings.Builder
	tb := New(&b, layout, "AB", "CD")
	for _, r := range rows {
		if err := tb.Append(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Worked by hand: columns as wide as their widest cell plus a space each
// side, the header kept as given, counts right-aligned, text left-aligned.
func TestLayouts(t *testing.T) {
	top, sep, bottom := "┌────┬────┐\n", "├────┼────┤\n", "└────┴────┘\n"
	for _, tc := range []struct {
		name   string
		layout Layout
		want   string
	}{
		{"numbers", Numbers, top + "│ AB │ CD │\n" + sep + "│  1 │ 22 │\n" + bottom},
		{"text", Text, top + "│ AB │ CD │\n" + sep + "│ 1  │ 22 │\n" + bottom},
	} {
		if got := render(t, tc.layout, [][]string{{"1", "22"}}); got != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// A Text cell stays on one line however long; a Wrapped one is cut at
// spaces into lines of at most WrapWidth.
func TestWrap(t *testing.T) {
	long := strings.Repeat("word ", 20) + "end" // 103 characters
	text := render(t, Text, [][]string{{"x", long}})
	if !strings.Contains(text, "│ "+long+" │") {
		t.Errorf("Text wrapped or changed the cell:\n%s", text)
	}
	wrapped := render(t, Wrapped, [][]string{{"x", long}})
	lines := strings.Split(strings.TrimSuffix(wrapped, "\n"), "\n")
	if len(lines) != 3+3+1 { // top, header, separator, 3 lines of the cell, bottom
		t.Errorf("Wrapped: %d lines, want 7:\n%s", len(lines), wrapped)
	}
	for _, l := range lines {
		if n := len([]rune(l)); n > len("│ x │ ")+WrapWidth+len(" │") {
			t.Errorf("Wrapped line of %d characters: %q", n, l)
		}
	}
}
