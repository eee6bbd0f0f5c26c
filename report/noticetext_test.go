package report

import (
	"bufio"
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"
)

// TestWriteTextTable: the notifications text's tables come out as
// text/tabwriter (padding 2, spaces) lays out tab-joined rows: checked on
// hand-made tables with empty cells, empty columns, a wide last column and
// non-ASCII text, and on the hand-worked layout of a small one.
func TestWriteTextTable(t *testing.T) {
	tables := [][][]string{
		{{"Name", "GMC", "Start"}, {"Smith,Anna", "7000001", "01/02/2027"}, {"Li,Bo", "", "03/02/2027"}},
		{{"A", "", "C"}, {"", "", ""}, {"longer cell", "", "x"}},
		{{"Only"}, {"one"}, {"column"}},
		{{"Née", "Zoë"}, {"Ørsted", "ü"}},
		{{"H1", "H2"}},
	}
	for i, rows := range tables {
		var want strings.Builder
		tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
		for _, r := range rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		tw.Flush()
		var got strings.Builder
		w := bufio.NewWriter(&got)
		writeTextTable(w, rows)
		w.Flush()
		if got.String() != want.String() {
			t.Errorf("table %d:\n got %q\nwant %q", i, got.String(), want.String())
		}
	}
	var got strings.Builder
	w := bufio.NewWriter(&got)
	writeTextTable(w, tables[0])
	w.Flush()
	want := "Name        GMC      Start\n" +
		"Smith,Anna  7000001  01/02/2027\n" +
		"Li,Bo                03/02/2027\n"
	if got.String() != want {
		t.Errorf("got\n%s\nwant\n%s", got.String(), want)
	}
}
