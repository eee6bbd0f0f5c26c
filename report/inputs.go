package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"dpnkit/internal/model"
)

// How the inputs were read, shown on the terminal (one compact line per
// file; every column with -v), in the JSON (inputs[].columns, from
// model.Input itself) and on the DPN workbook's Summary tab.

// unusedShown is how many unused columns the compact line names.
const unusedShown = 8

// headerWidth cuts a header shown on the terminal.
const headerWidth = 40

// InputLine is the compact line of one input: "positions.csv: header row
// 1; 9 of 11 columns used, unused: Owner, Notes", or with rows skipped
// "positions.csv: skipped 3 title rows above the header on row 4, 2 footer
// rows; all 16 columns used". A GO file has fixed fields:
// "positions.DAT: ESR GO file".
func InputLine(in model.Input) string {
	var b strings.Builder
	b.WriteString(visible(filepath.Base(in.Path)))
	b.WriteString(": ")
	if len(in.Columns) == 0 {
		if in.Format == model.FormatGO {
			b.WriteString("ESR GO file (fixed fields)")
		} else {
			b.WriteString("no columns")
		}
		return b.String()
	}
	if in.Sheet != "" {
		fmt.Fprintf(&b, "sheet %s, ", visible(in.Sheet))
	}
	if in.TitleRows == 0 { // else the skipped rows name the header's row
		fmt.Fprintf(&b, "header row %d; ", in.HeaderRow)
	}
	if line := in.SkippedLine(); line != "" {
		b.WriteString(line + "; ")
	}
	b.WriteString(columnsUsed(in.Columns))
	if unused := model.Unused(in.Columns); len(unused) > 0 {
		shown := unused[:min(len(unused), unusedShown)]
		names := make([]string, len(shown))
		for i, h := range shown {
			names[i] = cutHeader(visible(h), headerWidth)
		}
		b.WriteString(", unused: " + strings.Join(names, ", "))
		if len(unused) > len(shown) {
			fmt.Fprintf(&b, " and %d more (-v lists them)", len(unused)-len(shown))
		}
	}
	return b.String()
}

// columnsUsed is "9 of 11 columns used", or "all 4 columns used".
func columnsUsed(cols []model.Column) string {
	used := model.Used(cols)
	if used == len(cols) {
		if used == 1 {
			return "its one column used"
		}
		return fmt.Sprintf("all %d columns used", used)
	}
	return fmt.Sprintf("%d of %d columns used", used, len(cols))
}

// ColumnLines are an input's columns one per line, for -v: the column
// letter, the header and the field it fed ("(not used)" when none;
// "(--map)" when --map chose it).
func ColumnLines(in model.Input) []string {
	width := 0
	for _, c := range in.Columns {
		width = max(width, utf8.RuneCountInString(cutHeader(visible(c.Header), headerWidth)))
	}
	lines := make([]string, len(in.Columns))
	for i, c := range in.Columns {
		h := cutHeader(visible(c.Header), headerWidth)
		pad := strings.Repeat(" ", width-utf8.RuneCountInString(h))
		lines[i] = fmt.Sprintf("  %-3s %s%s  %s", c.Column, h, pad, fieldOf(c))
	}
	return lines
}

func fieldOf(c model.Column) string {
	switch {
	case c.Field == "":
		return "(not used)"
	case c.Mapped:
		return "-> " + c.Field + " (--map)"
	}
	return "-> " + c.Field
}

// WriteInputs writes InputLine of each input and, when verbose, the
// columns of each.
func WriteInputs(w io.Writer, inputs []model.Input, verbose bool) error {
	for _, in := range inputs {
		if _, err := fmt.Fprintln(w, InputLine(in)); err != nil {
			return err
		}
		if !verbose {
			continue
		}
		for _, l := range ColumnLines(in) {
			if _, err := fmt.Fprintln(w, l); err != nil {
				return err
			}
		}
	}
	return nil
}

// ColumnsCell is an input's columns in one workbook cell: "A VPD → vpd;
// B Post Ref → dpn (--map); K Owner (not used)", after the compact counts.
func ColumnsCell(in model.Input) string {
	if len(in.Columns) == 0 {
		return ""
	}
	parts := make([]string, len(in.Columns))
	for i, c := range in.Columns {
		parts[i] = c.Column + " " + cutHeader(c.Header, headerWidth) + " " + strings.Replace(fieldOf(c), "->", "→", 1)
	}
	// A cell holds at most 32,767 characters.
	return cutHeader(fmt.Sprintf("%s (header row %d): %s", columnsUsed(in.Columns), in.HeaderRow, strings.Join(parts, "; ")), 32000)
}

// cutHeader shortens s to at most n runes, ending in "…" when cut.
func cutHeader(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// writeInputColumns adds to a Summary tab, below its input files, a
// "Columns" row per tabular input: which header fed which field, and the
// columns not used.
func writeInputColumns(s *sheetWriter, st *styles, ins []model.Input) {
	for _, in := range ins {
		if cell := ColumnsCell(in); cell != "" {
			s.put(st.bold, "Columns of "+filepath.Base(in.Path))
			s.wide(st, 2, cell)
			s.next(1)
		}
	}
}
