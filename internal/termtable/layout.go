package termtable

import (
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// form is how a table is drawn.
type form int

const (
	boxed form = iota
	plain      // columns two spaces apart
	tight      // columns one space apart
)

// gap is what separates the columns of a plain or tight table.
func (f form) gap() string {
	if f == tight {
		return " "
	}
	return "  "
}

// layOut writes the table in the first form that fits t.width (see the
// package comment).
func (t *Table) layOut(b *strings.Builder) {
	cells, words := t.cellWidths()
	full := make([]int, len(t.header))
	fitted := make([]int, len(t.header))
	for c, h := range t.header {
		full[c] = max(Len(h), cells[c])
		fitted[c] = max(longestWord(h), cells[c])
	}
	if t.width <= 0 {
		if t.layout == Wrapped {
			for c := range full {
				full[c] = max(Len(t.header[c]), min(cells[c], max(WrapWidth, words[c])))
			}
		}
		t.draw(b, boxed, full)
		return
	}
	shrunk := func(room int) ([]int, bool) {
		ws := append([]int(nil), fitted...)
		return ws, t.shrinkTo(ws, room)
	}
	if boxWidth(full) <= t.width {
		t.draw(b, boxed, full)
		return
	}
	if boxWidth(fitted) <= t.width {
		t.draw(b, boxed, fitted)
		return
	}
	if ws, ok := shrunk(t.width - 1 - 3*len(fitted)); ok && t.layout == Wrapped {
		t.draw(b, boxed, ws)
		return
	}
	if plainWidth(fitted) <= t.width {
		t.draw(b, plain, fitted)
		return
	}
	if ws, ok := shrunk(t.width - 2*(len(fitted)-1)); ok {
		t.draw(b, plain, ws)
		return
	}
	// A few rows read best turned; many are kept as rows, one space apart.
	if t.transpose && len(t.rows) <= maxTransposed && t.drawTransposed(b) {
		return
	}
	if ws, ok := shrunk(t.width - (len(fitted) - 1)); ok {
		t.draw(b, tight, ws)
		return
	}
	if t.transpose && t.drawTransposed(b) {
		return
	}
	t.records(b)
}

// maxTransposed is the most rows a table is turned for before its columns
// are drawn one space apart.
const maxTransposed = 8

// drawTransposed draws the table with its rows as columns (the first
// column's cells as the header) when that fits the width boxed or plain,
// and reports whether it did.
func (t *Table) drawTransposed(b *strings.Builder) bool {
	rows := t.rows
	if t.footer != nil {
		rows = append(rows[:len(rows):len(rows)], t.footer)
	}
	header := []string{t.header[0]}
	for _, r := range rows {
		header = append(header, r[0])
	}
	tt := New(nil, t.layout, header...)
	tt.labels = true
	tt.Color(t.color, func(col int, cell string) Style {
		return t.style(1, cell) // a transposed table's styles are by cell only
	})
	for c := 1; c < len(t.header); c++ {
		cells := []string{t.header[c]}
		for _, r := range rows {
			cells = append(cells, r[c])
		}
		tt.rows = append(tt.rows, cells)
	}
	cells, _ := tt.cellWidths()
	ws := make([]int, len(header))
	for c, h := range header {
		ws[c] = max(Len(h), cells[c])
	}
	switch {
	case boxWidth(ws) <= t.width:
		tt.draw(b, boxed, ws)
	case plainWidth(ws) <= t.width:
		tt.draw(b, plain, ws)
	default:
		return false
	}
	return true
}

// cellWidths are, per column, the widest line of a row's or the footer's
// cell and the longest word in one.
func (t *Table) cellWidths() (cells, words []int) {
	cells, words = make([]int, len(t.header)), make([]int, len(t.header))
	see := func(row []string) {
		for c := range min(len(row), len(cells)) {
			for _, l := range strings.Split(row[c], "\n") {
				cells[c] = max(cells[c], Len(l))
			}
			words[c] = max(words[c], longestWord(row[c]))
		}
	}
	for _, r := range t.rows {
		see(r)
	}
	see(t.footer)
	return cells, words
}

func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, Len(strings.ReplaceAll(w, glue, " ")))
	}
	return n
}

// boxWidth is the line width of a boxed table of columns ws: "│ a │ b │".
func boxWidth(ws []int) int {
	n := 1
	for _, w := range ws {
		n += w + 3
	}
	return n
}

// plainWidth is the line width of a plain table of columns ws: "a  b".
func plainWidth(ws []int) int {
	n := 2 * (len(ws) - 1)
	for _, w := range ws {
		n += w
	}
	return n
}

// shrinkTo narrows the widest shrinkable column, one character at a time,
// until ws add up to at most room or every shrinkable column is at its
// narrowest; it reports whether they fit.
func (t *Table) shrinkTo(ws []int, room int) bool {
	floor := make([]int, len(ws))
	for c, h := range t.header {
		floor[c] = ws[c]
		if t.shrink[c] {
			floor[c] = min(ws[c], max(longestWord(h), minShrink))
		}
	}
	total := 0
	for _, w := range ws {
		total += w
	}
	for total > room {
		widest := -1
		for c := range ws {
			if ws[c] > floor[c] && (widest < 0 || ws[c] > ws[widest]) {
				widest = c
			}
		}
		if widest < 0 {
			return false
		}
		ws[widest]--
		total--
	}
	return true
}

// draw writes the table in form f with columns ws wide. The cells are
// laid out here (cut, wrapped, aligned and painted to their column's
// width); a boxed table is then drawn by tablewriter, the plain forms
// (which tablewriter does not draw: rules under the header only, columns
// a gap apart) here.
func (t *Table) draw(b *strings.Builder, f form, ws []int) {
	if f == boxed {
		t.drawBoxed(b, ws)
		return
	}
	rule := func() {
		parts := make([]string, len(ws))
		for c, w := range ws {
			parts[c] = strings.Repeat("─", w)
		}
		b.WriteString(strings.Join(parts, f.gap()) + "\n")
	}
	emit := func(lines [][]string) {
		for _, parts := range lines {
			b.WriteString(strings.TrimRight(strings.Join(parts, f.gap()), " ") + "\n")
		}
	}
	emit(t.line(f, ws, t.header, true))
	rule()
	for _, r := range t.rows {
		emit(t.line(f, ws, r, false))
	}
	if t.footer != nil {
		rule()
		emit(t.line(f, ws, t.footer, false))
	}
}

// drawBoxed draws the table boxed with tablewriter, each cell already
// laid out to its column's width (so tablewriter neither trims, wraps,
// aligns nor reformats it).
func (t *Table) drawBoxed(b *strings.Builder, ws []int) {
	cell := func(lines [][]string) []string {
		out := make([]string, len(ws))
		for c := range ws {
			col := make([]string, len(lines))
			for i, parts := range lines {
				col[i] = parts[c]
			}
			out[c] = strings.Join(col, "\n")
		}
		return out
	}
	laidOut := tw.CellConfig{Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone, AutoFormat: tw.Off},
		Alignment: tw.CellAlignment{Global: tw.AlignLeft}, Padding: tw.CellPadding{Global: tw.Padding{Left: " ", Right: " "}}}
	tt := tablewriter.NewTable(b, tablewriter.WithTrimSpace(tw.Off), tablewriter.WithTrimLine(tw.Off),
		tablewriter.WithHeaderConfig(laidOut), tablewriter.WithRowConfig(laidOut), tablewriter.WithFooterConfig(laidOut))
	tt.Header(cell(t.line(boxed, ws, t.header, true)))
	for _, r := range t.rows {
		_ = tt.Append(cell(t.line(boxed, ws, r, false))) // a row of strings: no error
	}
	if t.footer != nil {
		tt.Footer(cell(t.line(boxed, ws, t.footer, false)))
	}
	_ = tt.Render() // into a strings.Builder: no error
}

// line lays out one row (or the header) over as many lines as its
// tallest cell: per line, each column's text padded to its width.
func (t *Table) line(f form, ws []int, row []string, header bool) [][]string {
	cells := make([][]string, len(ws))
	height := 1
	for c := range ws {
		cell := ""
		if c < len(row) {
			cell = row[c]
		}
		if header || t.layout == Wrapped && t.shrink[c] || t.layout == Numbers && Len(cell) > ws[c] {
			cells[c] = Wrap(cell, ws[c]) // a label too wide for its column goes over several lines
		} else {
			for _, l := range strings.Split(cell, "\n") {
				cells[c] = append(cells[c], Cut(l, ws[c]))
			}
		}
		if !header && t.color {
			st := t.style(c, cell)
			for i := range cells[c] {
				cells[c][i] = Paint(cells[c][i], st)
			}
		}
		height = max(height, len(cells[c]))
	}
	lines := make([][]string, height)
	for i := range height {
		parts := make([]string, len(ws))
		for c, w := range ws {
			s := ""
			if i < len(cells[c]) {
				s = cells[c][i]
			}
			parts[c] = t.pad(s, w, f == boxed && header, t.alignRight(c, f, header))
		}
		lines[i] = parts
	}
	return lines
}

// alignRight tells whether column c's line is right-aligned: the counts of
// a Numbers table, and its labels (column 0) only when boxed or not turned;
// columns named by Right. Headers are centred when boxed, else aligned as
// their column.
func (t *Table) alignRight(c int, f form, header bool) bool {
	if header && f == boxed {
		return false
	}
	if t.right[c] {
		return true
	}
	if t.layout != Numbers {
		return false
	}
	return c > 0 || f == boxed && !t.labels
}

// pad fills s to w characters: centred, right- or left-aligned.
func (t *Table) pad(s string, w int, centre, right bool) string {
	gap := max(w-Len(s), 0)
	switch {
	case centre:
		return strings.Repeat(" ", gap/2) + s + strings.Repeat(" ", gap-gap/2)
	case right:
		return strings.Repeat(" ", gap) + s
	}
	return s + strings.Repeat(" ", gap)
}

// records writes each row as a block of "Header  value" lines, the form
// for a width too narrow for columns.
func (t *Table) records(b *strings.Builder) {
	label := 0
	for _, h := range t.header {
		label = max(label, Len(h))
	}
	label = min(label, t.width/2)
	room := max(t.width-label-2, 1)
	rows := t.rows
	if t.footer != nil {
		rows = append(rows[:len(rows):len(rows)], t.footer)
	}
	for i, r := range rows {
		if i > 0 {
			b.WriteString("\n")
		}
		for c, h := range t.header {
			cell := ""
			if c < len(r) {
				cell = r[c]
			}
			var lines []string
			if t.layout == Wrapped {
				lines = Wrap(cell, room)
			} else {
				for _, l := range strings.Split(cell, "\n") {
					lines = append(lines, Cut(l, room))
				}
			}
			st := Plain
			if t.color {
				st = t.style(c, cell)
			}
			for j, l := range lines {
				head := ""
				if j == 0 {
					head = Cut(h, label)
				}
				b.WriteString(strings.TrimRight(t.pad(head, label, false, false)+"  "+Paint(l, st), " ") + "\n")
			}
		}
	}
}
