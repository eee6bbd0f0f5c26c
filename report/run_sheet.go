package report

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// splitName splits an applicant name written "LastName,FirstName" (as the
// seed's Deanery Applicant Notification shows it) at its first comma. A
// name without a comma is all last name.
func splitName(name string) (last, first string) {
	last, first, _ = strings.Cut(name, ",")
	return last, first
}

// layout is a free-form tab: lines of text (titles, sentences) and tables,
// built in memory and then streamed. Column widths come from the table
// cells only; a line of text overflows into the empty cells beside it.
type layout struct {
	rows   [][]excelize.Cell // nil = an empty row
	merges [][2]string
	widths []int
	freeze int    // rows frozen at the top, 0 = none
	filter string // autofilter range, "" = none
}

// line adds one row holding s in column A (not counted for widths).
func (l *layout) line(style int, s string) {
	l.rows = append(l.rows, []excelize.Cell{{StyleID: style, Value: s}})
}

// labelled adds a "label | value" row: the label bold, the value text.
// The label counts for its column's width (a label cut short prints cut),
// the value does not (it may run on into the empty cells beside it).
func (l *layout) labelled(bold int, label, value string) {
	if len(l.widths) == 0 {
		l.widths = append(l.widths, 0)
	}
	l.widths[0] = max(l.widths[0], stringWidth(label)+1) // bold is wider
	l.rows = append(l.rows, []excelize.Cell{{StyleID: bold, Value: label}, text(value)})
}

func (l *layout) blank() { l.rows = append(l.rows, nil) }

// header adds a table header row in the header style.
func (l *layout) header(style int, names ...string) {
	cells := make([]excelize.Cell, len(names))
	for i, n := range names {
		cells[i] = excelize.Cell{StyleID: style, Value: n}
	}
	l.row(cells...)
}

// longDateWidth is what a date cell counts for its column's width: the
// longest "d mmmm yyyy" date ("30 September 2026").
const longDateWidth = 17

// layoutWidth is what a layout cell's value counts for its column's
// width: a date (empty when zero) as the longest long date, else as
// cellWidth.
func layoutWidth(v any) int {
	if t, ok := v.(time.Time); ok {
		if t.IsZero() {
			return 0
		}
		return longDateWidth
	}
	return cellWidth(v)
}

// row adds a table row; its cells count for the column widths.
func (l *layout) row(cells ...excelize.Cell) {
	for i, c := range cells {
		for len(l.widths) <= i {
			l.widths = append(l.widths, 0)
		}
		l.widths[i] = max(l.widths[i], layoutWidth(c.Value))
	}
	l.rows = append(l.rows, cells)
}

// write writes the layout as tab name of b (created unless it exists). A
// time.Time cell is a date (empty when zero) in its own style, else the
// workbook's dd/mm/yyyy; a string cell is always text. Its frozen rows
// are its print titles.
func (l *layout) write(b book, name string) error {
	return b.tab(name, l.spec(), l.writeRows)
}

// spec is what l's worksheet says around its rows.
func (l *layout) spec() sheetSpec {
	spec := sheetSpec{freeze: l.freeze, widths: l.widths, filter: l.filter, merges: l.merges}
	for r, cells := range l.rows {
		if len(cells) > 0 {
			spec.lastRow = r + 1
			spec.lastCol = max(spec.lastCol, len(cells))
		}
	}
	return spec
}

// writeRows writes l's rows through sw.
func (l *layout) writeRows(sw *plainRows) error {
	for r, cells := range l.rows {
		if len(cells) == 0 {
			continue
		}
		sw.startRow(r + 1)
		for i, c := range cells {
			if err := sw.cell(i, c); err != nil {
				return err
			}
		}
		sw.endRow()
	}
	return nil
}

// textWidth is the width of s in a terminal or text file, in runes.
func textWidth(s string) int { return utf8.RuneCountInString(s) }
