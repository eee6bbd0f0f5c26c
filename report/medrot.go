package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/exchange"
)

// TabMEDROT is the one tab of the MEDROT workbook.
const TabMEDROT = "Medical Rotation"

// The MEDROT grid (the seed's "Notifications – Medical Rotation
// Spreadsheet"): row 1 "Date generated : YYYY/MM/DD", row 2 the group
// headers, row 3 the column headers, data from row 4.
//
// Reading of the seed's grid: its tabs put "Current Post Holder" over the
// first eight columns, ESR Position to Next Placement, and "Next Post
// Holder" over the rest, so "Next Placement" is where the current holder
// goes next and "Current Placement" is where the next holder is now. The
// seed's sixteenth column has no header and holds a grade (ST3, ST4): it is
// headed "Grade" here. "Projected Working" is the whole-time equivalent.
var (
	medrotCurrentHeader = []string{"ESR Position", "TPN Number", "Place of Work", "Last Name", "First Name",
		"GMC Number", "Projected End Date", "Next Placement"}
	medrotNextHeader = []string{"Last Name", "First Name", "GMC Number", "Current Placement", "Email Address",
		"Projected Working", "Projected Start Date", "Grade"}
)

const (
	medrotCurrentGroup = "Current Post Holder"
	medrotNextGroup    = "Next Post Holder"
	medrotVacancy      = "VACANCY"
	medrotNotKnown     = "NOT KNOWN" // the seed's placement when it is not in the grid
	medrotDateFormat   = "d mmmm yyyy"
	medrotHeaderRows   = 3
)

// MEDROTName is the file name of a VPD's MEDROT workbook:
// "DE_<VPD>_MEDROT_<YYYYMMDD>.xlsx". The seed's file, "DE ABC 999 MEDROT
// 20160322 180401 00005271-....xls", also carries the LETB code, the time,
// a sequence and a random suffix; dpnkit keeps the "DE", the VPD (the
// trust id, 999 there), "MEDROT" and the date, joined by '_' as the
// interface's other files are, and drops the rest: a VPD's grid can hold
// posts of several managing deaneries, and the name must be the same on
// every run of the same as-of date.
func MEDROTName(vpd string, asOf time.Time) string {
	return "DE_" + safeVPD(vpd) + "_MEDROT_" + asOf.Format("20060102") + ".xlsx"
}

// MEDROTWorkbook writes the MEDROT grid of vpd: the rows of rows whose VPD
// is vpd (others are skipped, so the run's whole MEDROT may be passed), in
// the order given, one per row (a job share has several rows for one
// post). Layout as the seed: a "Date generated" line (the as-of date), the
// group headers "Current Post Holder" and "Next Post Holder" merged over
// their columns, then the column headers; frozen and filterable below
// them.
//
// The current holder's "Next Placement" and the next holder's "Current
// Placement" are the sites of the trainee's next and current placements
// anywhere in TIS (exchange.Holder's NextPlacement and CurrentPlacement),
// "NOT KNOWN" (as in the seed) when TIS has none. A row whose next holder
// is a RECRUIT - VACANCY placeholder shows "VACANCY" as the next holder's
// last name; an empty side is left blank (the seed: it may or may not be a
// vacancy). Dates are date cells ("8 August 2019"); every input value is a
// text cell. The workbook names trainees by design; with meta.Redact
// names are initials and GMC numbers and e-mail addresses "***" (see
// Meta).
func MEDROTWorkbook(w io.Writer, vpd string, rows []exchange.MedrotRow, meta Meta) error {
	g := newMedrotGrid(vpd, rows, meta)
	b := newPlainBook(w, meta, "Medical Rotation "+vpd)
	_ = b.tab(TabMEDROT, g.spec(), g.write) // an error is kept for close
	if err := b.close(); err != nil {
		return fmt.Errorf("medrot workbook %s: %w", vpd, err)
	}
	return nil
}

// medrotCols is the number of columns of the grid.
const medrotCols = 16

// medrotCell is one cell of a grid row: a text, or a date when date is
// not zero, in a plain book's style.
type medrotCell struct {
	style  int
	text   string
	date   time.Time
	number bool // text is a number when it is digits only (numberCell)
}

// width is what the cell counts for its column's width, as layout.row
// counts it.
func (c *medrotCell) width() int {
	if !c.date.IsZero() {
		return longDateWidth
	}
	return stringWidth(c.text)
}

// medrotGrid is a VPD's grid, written row by row straight into the sheet
// (a national run writes some 75,000 rows of 16 cells: as a layout of
// boxed cells they cost more than their compression).
type medrotGrid struct {
	mine []*exchange.MedrotRow
	meta Meta
}

func newMedrotGrid(vpd string, rows []exchange.MedrotRow, meta Meta) *medrotGrid {
	n := 0 // everything is sized once for the VPD's rows
	for i := range rows {
		if rows[i].VPD == vpd {
			n++
		}
	}
	g := &medrotGrid{mine: make([]*exchange.MedrotRow, 0, n), meta: meta}
	for i := range rows {
		if r := &rows[i]; r.VPD == vpd {
			g.mine = append(g.mine, r)
		}
	}
	return g
}

// header is the column headers, current holder's then next holder's.
func (g *medrotGrid) header() []string {
	return append(append(make([]string, 0, medrotCols), medrotCurrentHeader...), medrotNextHeader...)
}

// fill sets cells to r's row of the grid.
func (g *medrotGrid) fill(r *exchange.MedrotRow, cells *[medrotCols]medrotCell) {
	*cells = [medrotCols]medrotCell{}
	text := func(i int, s string) { cells[i].text = s }
	pol := g.meta.policy()
	personalText := func(i int, mask func(string) string, s string) { cells[i].text = mask(s) }
	date := func(i int, t time.Time) {
		if !t.IsZero() {
			cells[i] = medrotCell{style: plainLongDate, date: t}
		}
	}
	elsewhere := func(i int, site string) {
		if site = strings.TrimSpace(site); site == "" {
			site = medrotNotKnown
		}
		cells[i].text = site
	}
	text(0, r.PositionNumber)
	cells[0].number = true
	text(1, r.TPN)
	text(2, r.PlaceOfWork)
	if c := r.Current; c != nil {
		personalText(3, pol.Name, c.LastName)
		personalText(4, pol.Name, c.FirstName)
		personalText(5, pol.GMC, c.GMC)
		date(6, c.ProjectedEnd)
		elsewhere(7, c.NextPlacement)
	}
	n := r.Next
	switch {
	case r.Vacancy:
		text(8, medrotVacancy)
		if n != nil {
			date(14, n.ProjectedStart)
			text(15, n.Grade)
		}
	case n != nil:
		personalText(8, pol.Name, n.LastName)
		personalText(9, pol.Name, n.FirstName)
		personalText(10, pol.GMC, n.GMC)
		elsewhere(11, n.CurrentPlacement)
		personalText(12, pol.Secret, n.Email)
		text(13, n.WTE)
		date(14, n.ProjectedStart)
		text(15, n.Grade)
	default:
		if r.Current != nil {
			text(15, r.Current.Grade)
		}
	}
}

// spec is what the grid's sheet says around its rows: a "Date generated"
// line, the group headers merged over their columns, the column headers,
// frozen and filterable below them; the widths count the headers and
// every data cell. Each row is filled twice, here for the widths and in
// write: cheaper than keeping 16 cells of every row between the two.
func (g *medrotGrid) spec() sheetSpec {
	widths := make([]int, medrotCols)
	for i, h := range g.header() {
		widths[i] = stringWidth(h)
	}
	var cells [medrotCols]medrotCell
	for _, r := range g.mine {
		g.fill(r, &cells)
		for i := range cells {
			widths[i] = max(widths[i], cells[i].width())
		}
	}
	firstNext, _ := excelize.ColumnNumberToName(len(medrotCurrentHeader) + 1)
	lastCol, _ := excelize.ColumnNumberToName(medrotCols)
	lastCurrent, _ := excelize.ColumnNumberToName(len(medrotCurrentHeader))
	lastRow := medrotHeaderRows + len(g.mine)
	return sheetSpec{lastRow: lastRow, lastCol: medrotCols, freeze: medrotHeaderRows, widths: widths,
		filter: fmt.Sprintf("A%d:%s%d", medrotHeaderRows, lastCol, lastRow),
		merges: [][2]string{{"A2", lastCurrent + "2"}, {firstNext + "2", lastCol + "2"}}}
}

// write writes the grid's rows.
func (g *medrotGrid) write(sw *plainRows) error {
	sw.startRow(1)
	sw.text(0, plainStyles.bold, "Date generated : "+g.meta.AsOf.Format("2006/01/02"))
	sw.endRow()
	sw.startRow(2)
	for i := range medrotCols {
		switch i {
		case 0:
			sw.text(i, plainGroup, medrotCurrentGroup)
		case len(medrotCurrentHeader):
			sw.text(i, plainGroup, medrotNextGroup)
		default:
			sw.text(i, plainGroup, "")
		}
	}
	sw.endRow()
	sw.startRow(3)
	for i, h := range g.header() {
		sw.text(i, plainStyles.header, h)
	}
	sw.endRow()
	var cells [medrotCols]medrotCell
	for k, r := range g.mine {
		g.fill(r, &cells)
		sw.startRow(medrotHeaderRows + 1 + k)
		for i := range cells {
			if c := &cells[i]; !c.date.IsZero() {
				sw.date(i, c.style, c.date)
			} else if c.number {
				sw.numberText(i, c.style, c.text)
			} else {
				sw.text(i, c.style, c.text)
			}
		}
		sw.endRow()
	}
	return nil
}
