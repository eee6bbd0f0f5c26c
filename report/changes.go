package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/termtable"
)

// TabChanges lists the findings resolved and new since the VPD's previous
// recorded check; the DPN workbook has it only when the VPD was compared.
const TabChanges = "Changes"

// Values of the Changes tab's Change column.
const (
	ChangeResolved = "Resolved"
	ChangeNew      = "New"
)

// Labels of the Summary tab's "Since last check" block.
const (
	HeadingSinceLastCheck = "Since last check"
	LabelPreviousCheck    = "Previous check"
	LabelPreviousAsOf     = "Previous check's as-of date"
	LabelPreviousMade     = "Previous check made"
	LabelNewFindings      = "New findings"
	LabelPersisting       = "Persisting findings"
	LabelResolved         = "Resolved findings"
	// FirstCheckText is the Previous check of a VPD's first recorded check.
	FirstCheckText = "none: this is the first recorded check of this VPD; the next check will be compared with it"
)

var changesHeader = []string{"Change", "Rule", "Severity", "Position Number", "Position Name", "DPN", "Value", "Message", "Row"}

// changesGrid lists v's resolved findings, then its new ones, each sorted
// by position number and rule. Resolved findings show what their check
// recorded (position name, DPN and row of that check's input); new ones the
// position they are about now.
func changesGrid(v *checks.VPDResult) *grid {
	c := v.Changes
	resolved := slices.Clone(c.Resolved)
	pos := checks.IndexPositions(v)
	added := make([]checks.PastFinding, len(c.New))
	for i := range c.New {
		added[i] = pos.Past(&c.New[i])
	}
	g := &grid{name: TabChanges, header: changesHeader, rows: make([][]excelize.Cell, 0, len(resolved)+len(added))}
	for _, part := range []struct {
		change string
		list   []checks.PastFinding
	}{{ChangeResolved, resolved}, {ChangeNew, added}} {
		slices.SortStableFunc(part.list, comparePast)
		for _, f := range part.list {
			g.rows = append(g.rows, []excelize.Cell{
				text(part.change), text(f.Rule), text(f.Severity.String()), numberCell(f.PositionNumber),
				text(f.PositionName), text(f.DPN), text(f.Value), message(f.Message), {Value: f.Row},
			})
		}
	}
	return g
}

// comparePast orders by position number and rule, then by the rest so the
// order never depends on the input's.
func comparePast(a, b checks.PastFinding) int {
	return cmp.Or(
		cmp.Compare(a.PositionNumber, b.PositionNumber),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Value, b.Value),
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Row, b.Row),
		cmp.Compare(a.Message, b.Message),
	)
}

// writeSinceLastCheck writes the Summary tab's "Since last check" block for
// a VPD checked with a history (nothing when c is nil).
func writeSinceLastCheck(s *sheetWriter, st *styles, c *checks.Changes) {
	if c == nil {
		return
	}
	s.put(st.heading, HeadingSinceLastCheck)
	s.next(1)
	if !c.Compared() {
		s.put(0, LabelPreviousCheck, FirstCheckText)
		s.next(2)
		return
	}
	s.put(0, LabelPreviousCheck, c.Previous.ID)
	s.next(1)
	s.put(0, LabelPreviousAsOf, excelDate(c.Previous.AsOf))
	s.style(2, st.date)
	s.next(1)
	if !c.Previous.Checked.IsZero() {
		s.put(0, LabelPreviousMade, c.Previous.Checked.UTC().Format("02/01/2006 15:04 MST"))
		s.next(1)
	}
	for _, kv := range []struct {
		label string
		n     int
	}{
		{LabelNewFindings, len(c.New)},
		{LabelPersisting, c.Persisting},
		{LabelResolved, len(c.Resolved)},
	} {
		s.put(0, kv.label, kv.n)
		s.next(1)
	}
	s.put(0, nil, "The '"+TabChanges+"' tab lists each resolved and new finding.")
	s.next(2)
}

// changesJSON is the "changes" object of the check JSON: per VPD, and in
// the totals summed over the VPDs compared.
type changesJSON struct {
	PreviousAsOf  string `json:"previous_as_of,omitempty"`
	PreviousCheck int64  `json:"previous_check,omitempty"`
	ComparedVPDs  int    `json:"compared_vpds,omitempty"` // totals only
	New           int    `json:"new"`
	Persisting    int    `json:"persisting"`
	Resolved      int    `json:"resolved"`
}

// vpdChangesJSON is nil for a VPD not compared (no history, or its first
// recorded check).
func vpdChangesJSON(c *checks.Changes) *changesJSON {
	if !c.Compared() {
		return nil
	}
	return &changesJSON{PreviousAsOf: c.Previous.AsOf.Format("2006-01-02"), PreviousCheck: c.Previous.ID,
		New: len(c.New), Persisting: c.Persisting, Resolved: len(c.Resolved)}
}

// totalChangesJSON sums the VPDs compared; previous_as_of and
// previous_check are there when they were all last checked together.
func totalChangesJSON(res *checks.Result) *changesJSON {
	t, ok := res.ChangeTotals()
	if !ok {
		return nil
	}
	j := &changesJSON{PreviousCheck: t.Previous.ID, ComparedVPDs: t.VPDs, New: t.New, Persisting: t.Persisting,
		Resolved: t.Resolved}
	if t.Previous.ID != 0 {
		j.PreviousAsOf = t.Previous.AsOf.Format("2006-01-02")
	}
	return j
}

// changesTable writes the terminal's "Since last check" table: one row per
// VPD checked with a history, and a total when several were compared.
// It writes nothing when no VPD was.
func changesTable(w io.Writer, res *checks.Result, o Term) error {
	var rows [][]string
	for i := range res.VPDs {
		v := &res.VPDs[i]
		c := v.Changes
		switch {
		case c == nil:
			continue
		case !c.Compared():
			rows = append(rows, []string{visible(v.VPD), "none: first check recorded", "", "", ""})
		default:
			rows = append(rows, []string{visible(v.VPD), previousText(c.Previous),
				strconv.Itoa(len(c.New)), strconv.Itoa(c.Persisting), strconv.Itoa(len(c.Resolved))})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := fmt.Fprintln(w, HeadingSinceLastCheck+":"); err != nil {
		return err
	}
	t := termtable.New(w, termtable.Numbers, "VPD", "Previous check", "New", "Persisting", "Resolved").
		Fit(o.Width).Shrink(0, 1).Transpose()
	for _, r := range rows {
		if err := t.Append(r...); err != nil {
			return err
		}
	}
	if tot, ok := res.ChangeTotals(); ok && len(rows) > 1 {
		prev := ""
		if tot.Previous.ID != 0 {
			prev = previousText(tot.Previous)
		}
		t.Footer("Total", prev, strconv.Itoa(tot.New), strconv.Itoa(tot.Persisting), strconv.Itoa(tot.Resolved))
	}
	return t.Render()
}

// previousText is "check 3, as of 25/11/2026".
func previousText(p checks.CheckRef) string {
	return "check " + strconv.FormatInt(p.ID, 10) + ", as of " + p.AsOf.Format("02/01/2006")
}
