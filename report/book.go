package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/atomicfile"
)

// book is the one interface the report writers write a workbook's tabs
// through. Both implementations write a tab's worksheet part themselves,
// as SpreadsheetML (writeSheet), with the same page setup:
//
//   - plainBook builds the whole package itself: the fast path, for the
//     workbooks a national run writes by the hundred (MEDROT,
//     notifications);
//   - excelBook keeps an excelize.File for the workbook's other parts, so
//     that a writer can still use excelize for what only it does (the
//     DPN Summary's chart, cells set one by one, encryption's container),
//     and writes its tabs straight into the package when it is saved.
//
// A writer builds its tabs as grids (grid.write) or layouts (layout.write),
// which only know this interface.
type book interface {
	// tab writes the next tab, named name (it may already exist in an
	// excelBook): spec says what surrounds its rows, and rows writes them,
	// in order, through sw. The excelBook calls rows when the workbook is
	// saved, not before tab returns.
	tab(name string, spec sheetSpec, rows func(sw *plainRows) error) error
}

// Page setup of every tab: landscape A4, one page wide and as many tall as
// it takes, and a footer with the file name, the date printed and "Page x
// of y". A tab's print titles (the rows repeated at the top of each
// printed page) are its frozen header rows (sheetSpec.freeze).
const (
	pageOrientation = "landscape"
	pagePaperA4     = 9
	pageFooter      = "&L&F&C&D&RPage &P of &N"
)

// excelBook is a workbook kept in excelize whose tabs are written by
// writeSheet (see book).
type excelBook struct {
	f  *excelize.File
	st *styles
}

// tab creates the tab in excelize, empty (so the workbook lists it, with
// its filter's and print titles' names), and registers the writer of its
// worksheet part, which replaces excelize's empty part when the package
// is written (sortedZip.grids).
//
// excelize's own stream writer costs about half a microsecond and some
// allocations per cell and keeps each tab's XML in a buffer of up to 32 MB
// until the workbook is saved: the rows here are made one at a time, then,
// and go straight to the compressor.
func (b *excelBook) tab(name string, spec sheetSpec, rows func(sw *plainRows) error) error {
	f := b.f
	if idx, _ := f.GetSheetIndex(name); idx < 0 {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	if spec.filter != "" {
		if err := f.AutoFilter(name, spec.filter, nil); err != nil {
			return err
		}
	}
	if spec.freeze > 0 {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: printTitlesName, RefersTo: printTitlesRef(name, spec.freeze), Scope: name}); err != nil {
			return err
		}
	}
	part, err := sheetPart(f, name)
	if err != nil {
		return err
	}
	idx, _ := f.GetSheetIndex(name)
	selected := idx == f.GetActiveSheetIndex()
	b.st.grids[part] = func(w io.Writer) error {
		bw, put := atomicfile.PooledWriter(&sheetBuffers, w, 32<<10)
		defer put()
		if err := writeSheet(bw, spec, selected, rows); err != nil {
			return fmt.Errorf("write tab %s: %w", name, err)
		}
		return bw.Flush()
	}
	return nil
}

// printTitlesName is the defined name of a tab's print titles.
const printTitlesName = "_xlnm.Print_Titles"

// printTitlesRef is the print titles of rows 1 to n of tab name:
// 'name'!$1:$n.
func printTitlesRef(name string, n int) string {
	return sheetRef(name) + "$1:$" + strconv.Itoa(n)
}

// sheetRef is how a reference names tab name: 'name'! (quotes doubled).
func sheetRef(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'!"
}

// pageSetupExcelize gives a tab whose worksheet excelize writes (a
// Summary of cells set one by one) the page setup of every tab, with rows
// 1 to titles as its print titles (none when 0).
func pageSetupExcelize(f *excelize.File, name string, titles int) error {
	orient, size, wide, tall, fit := pageOrientation, pagePaperA4, 1, 0, true
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &orient, Size: &size, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: pageFooter}); err != nil {
		return err
	}
	if titles > 0 {
		return f.SetDefinedName(&excelize.DefinedName{Name: printTitlesName, RefersTo: printTitlesRef(name, titles), Scope: name})
	}
	return nil
}
