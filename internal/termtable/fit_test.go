package termtable

import (
	"strconv"
	"strings"
	"testing"
)

func statsTable(w *strings.Builder, width int) *Table {
	t := New(w, Numbers, "VPD", "Positions", "Active", "With DPN", "Duplicate DPNs", "DPN issues", "Name issues", "Errors", "Warnings", "Verdict")
	t.Append("842", "20000", "18246", "3649", "27", "81", "36", "206", "168", "NOT READY")
	t.Append("RJZ", "20", "18", "3", "2", "8", "3", "0", "1", "READY")
	t.Footer("Total", "20020", "18264", "3652", "29", "89", "39", "206", "169", "NOT READY")
	return t.Fit(width).Shrink().Transpose()
}

func findingsTable(w *strings.Builder, width int) *Table {
	t := New(w, Wrapped, "Rule", "Severity", "File:Row", "Message")
	t.Append("dpn.parts", "error", "data/positions_842.csv:96", "DPN has 3 parts; it needs at least 4 separated by / (e.g. KSS/RJZ01/030/STR/001). Correct the Deanery Post Number on position 17279340.")
	t.Append("body.without-dpn", "warning", "data/positions_842.csv:87", "Position 17278657 has Managing Deanery Body \"LDN\" but no DPN.")
	return t.Fit(width).Shrink(3)
}

// Whatever the width, no line is longer, and "NOT READY" is never split.
func TestFitNoLineLonger(t *testing.T) {
	for _, mk := range []func(*strings.Builder, int) *Table{statsTable, findingsTable} {
		for width := 24; width <= 200; width++ {
			var b strings.Builder
			if err := mk(&b, width).Render(); err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				if Len(l) > width {
					t.Fatalf("width %d: line of %d: %q\n%s", width, Len(l), l, b.String())
				}
			}
			if strings.Count(b.String(), "NOT READY") != strings.Count(b.String(), "NOT") {
				t.Fatalf("width %d: NOT READY split:\n%s", width, b.String())
			}
		}
	}
}

// Worked by hand: the statistics table of 10 columns and 3 rows is 117
// wide; at 100 its headers go over two lines, at 80 it is transposed (the
// VPDs as columns, 50 wide), at 30 it is one record per row.
func TestFitForms(t *testing.T) {
	for _, tc := range []struct {
		width       int
		first, next string // the first two lines
	}{
		{200, "┌───────┬───────────┬", "│  VPD  │ Positions │ Active │ With DPN │ Duplicate DPNs │"},
		{100, "┌───────┬───────────┬", "│  VPD  │ Positions │ Active │ With │ Duplicate │"},
		{80, "┌────────────────┬───────────┬───────┬───────────┐", "│      VPD       │    842    │  RJZ  │   Total   │"},
		{30, "VPD             842", "Positions       20000"},
	} {
		var b strings.Builder
		if err := statsTable(&b, tc.width).Render(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(b.String(), "\n")
		if !strings.HasPrefix(lines[0], tc.first) || !strings.HasPrefix(lines[1], tc.next) {
			t.Errorf("width %d: starts\n%s\n%s\nwant\n%s\n%s", tc.width, lines[0], lines[1], tc.first, tc.next)
		}
	}
}

// Colour escapes are not counted in the width, and appear only when on.
func TestColor(t *testing.T) {
	style := func(col int, cell string) Style {
		if cell == "NOT READY" {
			return Red
		}
		return Plain
	}
	for _, on := range []bool{false, true} {
		var b strings.Builder
		if err := statsTable(&b, 200).Color(on, style).Render(); err != nil {
			t.Fatal(err)
		}
		red := strings.Contains(b.String(), "\x1b[31mNOT READY\x1b[0m")
		if red != on || !on && strings.Contains(b.String(), "\x1b") {
			t.Errorf("colour %v: red NOT READY %v:\n%s", on, red, b.String())
		}
		widths := map[int]bool{}
		for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
			widths[Len(l)] = true
		}
		if len(widths) != 1 {
			t.Errorf("colour %v: lines of widths %v, want one width", on, widths)
		}
	}
}

func TestWrapGlueAndCut(t *testing.T) {
	got := Wrap("Verdict: "+Glue("NOT READY")+" for go-live", 12)
	want := []string{"Verdict:", "NOT READY", "for go-live"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Wrap = %q, want %q", got, want)
	}
	if got := Wrap("a verylongwordindeed b", 8); strings.Join(got, "|") != "a|verylon…|b" {
		t.Errorf("a long word: %q, want cut with an ellipsis", got)
	}
	if got := WrapIndent("one two three four", 9, "  "); strings.Join(got, "|") != "one two|  three|  four" {
		t.Errorf("WrapIndent = %q", got)
	}
	if got := Cut("abcdef", 4); got != "abc…" {
		t.Errorf("Cut = %q, want abc…", got)
	}
	if got := Len("\x1b[31merror\x1b[0m"); got != 5 {
		t.Errorf("Len of a coloured word = %d, want 5", got)
	}
}

// Many VPDs (a national check) are not turned into 200 columns or 200
// records: at 80 their columns go one space apart.
func TestFitManyRows(t *testing.T) {
	var b strings.Builder
	tb := New(&b, Numbers, "VPD", "Positions", "Active", "With DPN", "Duplicate DPNs", "DPN issues", "Name issues", "Errors", "Warnings", "Verdict").
		Fit(80).Shrink().Transpose()
	for i := range 20 {
		tb.Append(strconv.Itoa(500+i), "20000", "18246", "3649", "27", "81", "36", "206", "168", "NOT READY")
	}
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// two header lines, the rule, 20 rows
	if len(lines) != 23 || lines[3] != "500     20000  18246 3649        27     81     36    206      168 NOT READY" {
		t.Errorf("%d lines, row 500 %q:\n%s", len(lines), lines[3], b.String())
	}
}
