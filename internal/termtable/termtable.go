// Package termtable is the one table formatter of what dpnkit prints on a
// terminal: the check, reconcile and run summaries and the rules, fields
// and runs listings, all laid out with the same settings, fitted to the
// terminal's width and coloured only when asked. Files people exchange (the
// MSO notices' text) are not terminal tables and keep their own layout.
//
// A table fitted to a width (Fit) is laid out in the first of these forms
// that fits, so no line is longer than the width:
//
//  1. boxed (│ cells │), each column as wide as its widest cell;
//  2. boxed, headers of several words over several lines;
//  3. boxed, the shrinkable columns of a Wrapped table wrapped at spaces;
//  4. plain: no borders, columns two spaces apart;
//  5. plain, the shrinkable columns narrowed: a Wrapped table's cells
//     wrapped at spaces, other cells cut with an ellipsis (…);
//  6. with Transpose, rows as columns (boxed, else plain);
//  7. one record per row, one "Header  value" line per cell.
//
// A cell is never wrapped inside a word; a word longer than its column is
// cut with an ellipsis.
package termtable

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Layout says how a table's rows are laid out.
type Layout int

const (
	// Text rows are left-aligned, each cell on one line.
	Text Layout = iota
	// Numbers rows are right-aligned: counts under a label.
	Numbers
	// Wrapped rows are left-aligned, a cell wider than its column (WrapWidth
	// when the table is not fitted) wrapped at spaces over several lines.
	Wrapped
)

// WrapWidth is the widest a Wrapped cell's line is in a table not fitted
// to a width.
const WrapWidth = 48

// minShrink is the narrowest a shrinkable column becomes.
const minShrink = 8

// Style is how a cell is shown on a colour terminal.
type Style int

// Styles. Plain is no colour.
const (
	Plain Style = iota
	Red
	Yellow
)

var ansi = map[Style]string{Red: "\x1b[31m", Yellow: "\x1b[33m"}

// Paint is s in style st (s unchanged when st is Plain); callers paint
// only when colour is on.
func Paint(s string, st Style) string {
	if st == Plain || s == "" {
		return s
	}
	return ansi[st] + s + "\x1b[0m"
}

// Table is one table: a header, rows, an optional footer.
type Table struct {
	w      io.Writer
	layout Layout
	header []string
	rows   [][]string
	footer []string
	width  int // 0: no limit
	shrink []bool
	right  []bool
	color  bool
	style  func(col int, cell string) Style
	// transpose: when no column form fits, draw rows as columns.
	transpose bool
	// labels: the first column holds labels, left-aligned in a Numbers table.
	labels bool
}

// New starts a table written to w by Render, its header as given (never
// upper-cased or reformatted). Every column of a Wrapped table may be
// narrowed to fit a width; of the others only the last (Shrink changes it).
func New(w io.Writer, layout Layout, header ...string) *Table {
	t := &Table{w: w, layout: layout, header: header, shrink: make([]bool, len(header)), right: make([]bool, len(header))}
	for i := range t.shrink {
		t.shrink[i] = layout == Wrapped || i == len(header)-1
	}
	return t
}

// Fit lays the table out in at most width characters a line (0: no limit).
func (t *Table) Fit(width int) *Table {
	t.width = width
	return t
}

// Transpose lets a table too wide for its width be drawn with its rows as
// columns (a statistics table of few rows), before falling back to records.
// Its styles are then asked of column 1, by the cell's text.
func (t *Table) Transpose() *Table {
	t.transpose = true
	return t
}

// Shrink says which columns may be narrowed to fit the width (by index);
// the others keep their width.
func (t *Table) Shrink(cols ...int) *Table {
	for i := range t.shrink {
		t.shrink[i] = false
	}
	for _, c := range cols {
		if c >= 0 && c < len(t.shrink) {
			t.shrink[c] = true
		}
	}
	return t
}

// Right right-aligns the rows of columns cols (counts in a Text table).
func (t *Table) Right(cols ...int) *Table {
	for _, c := range cols {
		if c >= 0 && c < len(t.right) {
			t.right[c] = true
		}
	}
	return t
}

// Color shows cells in the style f gives them (by column and the cell's
// whole text) when on; off, f is never called.
func (t *Table) Color(on bool, f func(col int, cell string) Style) *Table {
	t.color, t.style = on && f != nil, f
	return t
}

// Append adds a row.
func (t *Table) Append(cells ...string) error {
	if len(cells) != len(t.header) {
		return fmt.Errorf("termtable: row of %d cells in a table of %d columns", len(cells), len(t.header))
	}
	t.rows = append(t.rows, cells)
	return nil
}

// Footer sets the footer row (a total).
func (t *Table) Footer(cells ...string) { t.footer = cells }

// Render writes the table.
func (t *Table) Render() error {
	var b strings.Builder
	t.layOut(&b)
	_, err := io.WriteString(t.w, b.String())
	return err
}

// Len is the width of s on a terminal: its runes, escape sequences not counted.
func Len(s string) int {
	if strings.IndexByte(s, 0x1b) < 0 {
		return utf8.RuneCountInString(s)
	}
	n, esc := 0, false
	for _, r := range s {
		switch {
		case esc:
			esc = r != 'm'
		case r == 0x1b:
			esc = true
		default:
			n++
		}
	}
	return n
}

// Cut is s cut to n runes, the last an ellipsis when s is longer.
func Cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Glue joins the words of s so that Wrap never breaks it across lines
// (as "NOT READY").
func Glue(s string) string { return strings.ReplaceAll(s, " ", glue) }

const glue = "\u2060" // a word joiner: never in dpnkit's escaped text, not a space to strings.Fields

// Wrap breaks s at spaces into lines of at most width runes (width <= 0:
// one line); a word longer than width is cut with an ellipsis. Glued words
// (Glue) stay on one line and are given back with plain spaces.
func Wrap(s string, width int) []string { return wrap(s, width, width) }

// WrapIndent is Wrap with every line after the first indented by indent
// (counted in the width).
func WrapIndent(s string, width int, indent string) []string {
	if width <= 0 {
		return wrap(s, 0, 0)
	}
	lines := wrap(s, width, max(width-Len(indent), 1))
	for i := 1; i < len(lines); i++ {
		lines[i] = indent + lines[i]
	}
	return lines
}

// wrap is Wrap with the first line at most first runes, the others rest.
func wrap(s string, first, rest int) []string {
	if first <= 0 {
		return []string{strings.ReplaceAll(s, glue, " ")}
	}
	var lines []string
	var cur strings.Builder
	n, width := 0, first
	for _, word := range strings.Fields(strings.ReplaceAll(s, "\n", " ")) {
		word = strings.ReplaceAll(word, glue, " ")
		wl := utf8.RuneCountInString(word)
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n, width = 0, rest
		}
		if wl > width {
			word, wl = Cut(word, width), width
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(word)
		n += wl
	}
	if n > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
