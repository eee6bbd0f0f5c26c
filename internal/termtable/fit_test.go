package termtable

import (
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

func TestShowFit(t *testing.T) {
	for _, w := range []int{200, 100, 80, 60, 40} {
		var b strings.Builder
		statsTable(&b, w).Render()
		findingsTable(&b, w).Render()
		t.Logf("width %d\n%s", w, b.String())
	}
}
