package model

import "testing"

func TestSkippedLine(t *testing.T) {
	tests := []struct {
		in   Input
		want string
	}{
		{Input{HeaderRow: 1}, ""},
		{Input{HeaderRow: 4, TitleRows: 3, FooterRows: 2, BlankRows: 1},
			"skipped 3 title rows above the header on row 4, 2 footer rows, 1 blank row"},
		{Input{HeaderRow: 2, TitleRows: 1, FooterRows: 1, BlankRows: 2},
			"skipped 1 title row above the header on row 2, 1 footer row, 2 blank rows"},
		{Input{HeaderRow: 1, StrayRows: 1, StrayRowsAt: []int{57}},
			"skipped 1 row inside the data that is not a record (row 57)"},
		{Input{HeaderRow: 1, StrayRows: 7, StrayRowsAt: []int{3, 5, 7, 9, 11}},
			"skipped 7 rows inside the data that are not records (rows 3, 5, 7, 9, 11, ...)"},
		{Input{HeaderRow: 1, StrayRows: 2, StrayRowsAt: []int{3, 5}},
			"skipped 2 rows inside the data that are not records (rows 3, 5)"},
	}
	for _, tc := range tests {
		if got := tc.in.SkippedLine(); got != tc.want {
			t.Errorf("%+v:\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestUsedUnused(t *testing.T) {
	cols := []Column{{Column: "A", Header: "VPD", Field: "vpd"}, {Column: "B", Header: "Owner"}, {Column: "C", Header: "Post Ref", Field: "dpn", Mapped: true}, {Column: "D", Header: "Notes"}}
	if Used(cols) != 2 {
		t.Errorf("Used = %d, want 2", Used(cols))
	}
	if u := Unused(cols); len(u) != 2 || u[0] != "Owner" || u[1] != "Notes" {
		t.Errorf("Unused = %q", u)
	}
}
