package report

import (
	"bufio"
	"unicode/utf8"
)

// The MSO notices' plain-text file (NotificationsText) lays its tables out
// here, not with the terminal tables' formatter (internal/termtable): it is
// a document people file and exchange, its layout copying the ESR notices
// of the interface (plain columns, no borders), and its bytes must stay
// the same from one build to the next.

// writeTextTable writes rows of cells in aligned columns, as
// text/tabwriter does with padding 2 and spaces (and no flags) when every
// row has its cells joined by tabs: each cell but a row's last is padded
// with spaces to its column's widest cell (in runes) plus two. It keeps no
// copy of the text, where a tabwriter buffers all of it: a national run
// writes ~200 of these files at once.
func writeTextTable(w *bufio.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for j, c := range r {
			if j == len(r)-1 {
				break
			}
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		for j, c := range r {
			w.WriteString(c)
			if j == len(r)-1 {
				break
			}
			for n := utf8.RuneCountInString(c); n < widths[j]+2; n++ {
				w.WriteByte(' ')
			}
		}
		w.WriteByte('\n')
	}
}
