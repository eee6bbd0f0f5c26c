// Package termtable is the one table formatter of what dpnkit prints on a
// terminal: the check, reconcile and run summaries and the rules, fields
// and runs listings, all laid out by github.com/olekukonko/tablewriter
// with the same settings. Files people exchange (the MSO notices' text)
// are not terminal tables and keep their own layout.
package termtable

import (
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// Layout says how a table's rows are laid out.
type Layout int

const (
	// Text rows are left-aligned, each cell on one line.
	Text Layout = iota
	// Numbers rows are right-aligned: counts under a label.
	Numbers
	// Wrapped rows are left-aligned, a cell wider than WrapWidth wrapped
	// at spaces over several lines.
	Wrapped
)

// WrapWidth is the widest a Wrapped cell's line is.
const WrapWidth = 48

// Table is one table: a header, rows, an optional footer.
type Table struct {
	t *tablewriter.Table
}

// New starts a table written to w by Render, its header as given (never
// upper-cased or reformatted).
func New(w io.Writer, layout Layout, header ...string) *Table {
	opts := []tablewriter.Option{tablewriter.WithHeaderAutoFormat(tw.Off)}
	switch layout {
	case Numbers:
		opts = append([]tablewriter.Option{tablewriter.WithRowAlignment(tw.AlignRight)}, opts...)
	case Wrapped:
		opts = append(opts, tablewriter.WithRowAutoWrap(tw.WrapNormal), tablewriter.WithRowMaxWidth(WrapWidth))
	case Text:
		opts = append(opts, tablewriter.WithRowAutoWrap(tw.WrapNone))
	}
	t := tablewriter.NewTable(w, opts...)
	h := make([]any, len(header))
	for i, c := range header {
		h[i] = c
	}
	t.Header(h...)
	return &Table{t: t}
}

// Append adds a row.
func (t *Table) Append(cells ...string) error { return t.t.Append(cells) }

// Footer sets the footer row (a total).
func (t *Table) Footer(cells ...string) { t.t.Footer(cells) }

// Render writes the table.
func (t *Table) Render() error { return t.t.Render() }
