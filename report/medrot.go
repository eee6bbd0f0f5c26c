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

// gmcKey normalises a GMC number for matching holders across rows.
func gmcKey(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// holderSite is where a holder works: their placement's site, else the
// row's place of work.
func holderSite(h *exchange.Holder, r *exchange.MedrotRow) string {
	if h.Site != "" {
		return h.Site
	}
	return r.PlaceOfWork
}

// MEDROTWorkbook writes the MEDROT grid of vpd: the rows of rows whose VPD
// is vpd (others are skipped, so the run's whole MEDROT may be passed), in
// the order given, one per row (a job share has several rows for one
// post). Layout as the seed: a "Date generated" line (the as-of date), the
// group headers "Current Post Holder" and "Next Post Holder" merged over
// their columns, then the column headers; frozen and filterable below
// them.
//
// The current holder's "Next Placement" is the site of the row where the
// same GMC number is a next holder, the next holder's "Current Placement"
// the site of the row where it is a current holder; "NOT KNOWN" (as in the
// seed) when the grid has no such row. A row whose next holder is a
// RECRUIT - VACANCY placeholder shows "VACANCY" as the next holder's last
// name; an empty side is left blank (the seed: it may or may not be a
// vacancy). Dates are date cells ("8 August 2019"); every input value is a
// text cell. The workbook names trainees by design; with meta.Redact
// names are initials and GMC numbers and e-mail addresses "***" (see
// Meta).
func MEDROTWorkbook(w io.Writer, vpd string, rows []exchange.MedrotRow, meta Meta) error {
	b := newPlainBook(w, meta, "Medical Rotation "+vpd)
	_ = b.tab(TabMEDROT, medrotLayout(vpd, rows, meta)) // an error is kept for close
	if err := b.close(); err != nil {
		return fmt.Errorf("medrot workbook %s: %w", vpd, err)
	}
	return nil
}

// medrotLayout lays out the grid in a plain book's styles.
func medrotLayout(vpd string, rows []exchange.MedrotRow, meta Meta) *layout {
	st := &plainStyles
	dateStyle, groupStyle := plainLongDate, plainGroup
	var mine []*exchange.MedrotRow
	nextSite := map[string]string{}    // GMC -> site where they are a next holder
	currentSite := map[string]string{} // GMC -> site where they are a current holder
	for i := range rows {
		r := &rows[i]
		if r.VPD != vpd {
			continue
		}
		mine = append(mine, r)
		if h := r.Next; h != nil && !r.Vacancy && gmcKey(h.GMC) != "" {
			if _, ok := nextSite[gmcKey(h.GMC)]; !ok {
				nextSite[gmcKey(h.GMC)] = holderSite(h, r)
			}
		}
		if h := r.Current; h != nil && gmcKey(h.GMC) != "" {
			if _, ok := currentSite[gmcKey(h.GMC)]; !ok {
				currentSite[gmcKey(h.GMC)] = holderSite(h, r)
			}
		}
	}
	name := func(s string) excelize.Cell { return text(personal(kindName, s, meta)) }
	gmc := func(s string) excelize.Cell { return text(personal(kindGMC, s, meta)) }
	email := func(s string) excelize.Cell { return text(personal(kindSecret, s, meta)) }
	date := func(t time.Time) excelize.Cell {
		if t.IsZero() {
			return excelize.Cell{}
		}
		return excelize.Cell{StyleID: dateStyle, Value: t}
	}
	elsewhere := func(sites map[string]string, gmc string) excelize.Cell {
		if s, ok := sites[gmcKey(gmc)]; ok && gmcKey(gmc) != "" && s != "" {
			return text(s)
		}
		return text(medrotNotKnown)
	}

	ncols := len(medrotCurrentHeader) + len(medrotNextHeader)
	l := &layout{freeze: medrotHeaderRows}
	l.line(st.bold, "Date generated : "+meta.AsOf.Format("2006/01/02"))
	groups := make([]excelize.Cell, ncols)
	groups[0] = excelize.Cell{StyleID: groupStyle, Value: medrotCurrentGroup}
	for i := 1; i < ncols; i++ {
		groups[i] = excelize.Cell{StyleID: groupStyle}
	}
	groups[len(medrotCurrentHeader)] = excelize.Cell{StyleID: groupStyle, Value: medrotNextGroup}
	l.rows = append(l.rows, groups)
	firstNext, _ := excelize.ColumnNumberToName(len(medrotCurrentHeader) + 1)
	lastCol, _ := excelize.ColumnNumberToName(ncols)
	lastCurrent, _ := excelize.ColumnNumberToName(len(medrotCurrentHeader))
	l.merge("A2", lastCurrent+"2")
	l.merge(firstNext+"2", lastCol+"2")
	l.header(st.header, append(append([]string{}, medrotCurrentHeader...), medrotNextHeader...)...)
	for _, r := range mine {
		cells := make([]excelize.Cell, 0, ncols)
		cells = append(cells, text(r.PositionNumber), text(r.TPN), text(r.PlaceOfWork))
		if c := r.Current; c != nil {
			cells = append(cells, name(c.LastName), name(c.FirstName), gmc(c.GMC), date(c.ProjectedEnd), elsewhere(nextSite, c.GMC))
		} else {
			cells = append(cells, excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, excelize.Cell{})
		}
		n := r.Next
		switch {
		case r.Vacancy:
			var start time.Time
			var grade string
			if n != nil {
				start, grade = n.ProjectedStart, n.Grade
			}
			cells = append(cells, text(medrotVacancy), excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, excelize.Cell{},
				excelize.Cell{}, date(start), text(grade))
		case n != nil:
			cells = append(cells, name(n.LastName), name(n.FirstName), gmc(n.GMC), elsewhere(currentSite, n.GMC), email(n.Email),
				text(n.WTE), date(n.ProjectedStart), text(n.Grade))
		default:
			grade := ""
			if r.Current != nil {
				grade = r.Current.Grade
			}
			cells = append(cells, excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, excelize.Cell{}, excelize.Cell{},
				excelize.Cell{}, excelize.Cell{}, text(grade))
		}
		l.row(cells...)
	}
	l.filter = fmt.Sprintf("A%d:%s%d", medrotHeaderRows, lastCol, max(l.next()-1, medrotHeaderRows))
	return l
}
