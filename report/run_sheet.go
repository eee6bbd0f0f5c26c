package report

import (
	"strconv"
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
func (l *layout) labelled(bold int, label, value string) {
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

// write streams the layout into tab name (created unless it exists). A
// time.Time cell is a date (empty when zero) in its own style, else the
// workbook's dd/mm/yyyy; a string cell is always text.
func (l *layout) write(f *excelize.File, st *styles, name string) error {
	if idx, _ := f.GetSheetIndex(name); idx < 0 {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	if l.filter != "" {
		if err := f.AutoFilter(name, l.filter, nil); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if l.freeze > 0 {
		top := "A" + strconv.Itoa(l.freeze+1)
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: l.freeze, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	for c, w := range l.widths {
		if err := sw.SetColWidth(c+1, c+1, float64(min(max(w+2, minColWidth), maxColWidth))); err != nil {
			return err
		}
	}
	var vals []any
	for r, cells := range l.rows {
		if len(cells) == 0 {
			continue
		}
		vals = vals[:0]
		for _, c := range cells {
			if t, ok := c.Value.(time.Time); ok {
				if t.IsZero() {
					c.Value = nil
				} else {
					c.Value = excelDate(t)
					if c.StyleID == 0 {
						c.StyleID = st.date
					}
				}
			}
			if c.StyleID == 0 && c.Formula == "" {
				// The bare value writes the same cell without boxing a
				// Cell (a nil value writes no cell at all), as writeTab.
				vals = append(vals, c.Value)
				continue
			}
			vals = append(vals, c)
		}
		if err := sw.SetRow("A"+strconv.Itoa(r+1), vals); err != nil {
			return err
		}
	}
	for _, m := range l.merges {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// textWidth is the width of s in a terminal or text file, in runes.
func textWidth(s string) int { return utf8.RuneCountInString(s) }
