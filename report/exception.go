package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// Tab names of the HEE exception workbook, in order (Summary is TabSummary).
const (
	TabPlacementCheck = "Placement ESR Check"
	TabUnplaced       = "Unplaced DPN Positions"
	TabFindings       = "Findings"
)

// Amber, as Excel's "Neutral" cell style: a PositionMatch that is not wrong
// but needs a look (the post exists only end-dated).
const (
	colourAmber     = "FFEB9C"
	colourAmberText = "9C5700"
)

// ExceptionWorkbookName is the file name of the HEE exception workbook:
// "Placement_ESR_Check_<YYYYMMDD>.xlsx" (as-of date).
func ExceptionWorkbookName(asOf time.Time) string {
	return "Placement_ESR_Check_" + asOf.Format("20060102") + ".xlsx"
}

// placementHeader is HEE's "Placement ESR Check Data View" (reports.md §2)
// followed by dpnkit's columns.
var placementHeader = []string{"ManagingDeanery", "EmployingBodyKnownAs", "TrainingBodyKnownAs",
	"PostSpecialty", "GradeAbbreviation", "StartDate", "ApplicantExport", "PositionMatch",
	"NationalPostNumber", "Surname", "Forenames", "ReferenceNumber", "PlacementTisID",
	"ESR Position Number(s)", "VPD", "Issue", "Did You Mean", "Top Suggestion"}

// heeViewColumns are the columns of HEE's view in placementHeader: shown
// even when empty, so the view's layout is HEE's; dpnkit's columns after
// them are left out when empty.
const heeViewColumns = 13

// Column index of PositionMatch in placementHeader.
const colPositionMatch = 7

// ExceptionWorkbook writes the HEE exception workbook (reports.md §2):
//   - "Placement ESR Check": one row per res.Placements, in its order
//     (exceptions first), HEE's columns then the ESR position number(s),
//     VPD, the issue, "Did You Mean" suggestions in words and the top
//     suggestion's DPN exactly as ESR has it; a PositionMatch
//     other than Yes is filled red (no or several positions) or amber
//     (end-dated position only);
//   - "Summary": counts in total, per managing deanery, employing body and
//     VPD, then the as-of date, the inputs and every row read by category
//     (reconcile.Rows);
//   - "Fix List": one row per fix (fixes): where to make it (ESR or TIS),
//     the record, the value now, the value it should be and why;
//   - "Unplaced DPN Positions": active DPN positions with no placement;
//   - "Findings": every reconciliation finding.
//
// Every tab has a bold frozen header and an autofilter; input text is
// always stored as text; a tab over MaxRows continues on "<tab> (2)" ...
// The workbook holds personal data (surname, forenames, GMC number) by
// design: HEE's view names the trainee; with meta.Redact they are masked
// (see Meta).
func ExceptionWorkbook(w io.Writer, res *reconcile.Result, meta Meta) error {
	if res == nil {
		return fmt.Errorf("exception workbook: no result to write")
	}
	f, st, err := newWorkbook(TabPlacementCheck, meta, "Placement ESR Check")
	if err != nil {
		return fmt.Errorf("exception workbook: %w", err)
	}
	if err := buildException(f, st, res, meta); err != nil {
		_ = f.Close()
		return fmt.Errorf("exception workbook: %w", err)
	}
	if err := finish(f, w); err != nil {
		return fmt.Errorf("exception workbook: %w", err)
	}
	return nil
}

func buildException(f *excelize.File, st *styles, res *reconcile.Result, meta Meta) error {
	amber, err := f.NewStyle(&excelize.Style{
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourAmber}},
		Font: &excelize.Font{Color: colourAmberText},
	})
	if err != nil {
		return fmt.Errorf("create cell style: %w", err)
	}
	placements := placementGrid(res, meta, st.red, amber)
	accepted, expired := reconcileAccepted(res)
	rest := withAccepted([]*grid{fixListGrid(res), unplacedGrid(res), reconcileFindingsGrid(res.Findings)}, accepted, expired)
	var splits []string
	for _, g := range append([]*grid{placements}, rest...) {
		if names := g.tabNames(); len(names) > 1 {
			splits = append(splits, fmt.Sprintf("'%s' has %d rows, more than one Excel tab holds: it continues on tabs %s.",
				g.name, g.len(), strings.Join(names, ", ")))
		}
	}
	if _, err := placements.write(&excelBook{f, st}, st); err != nil {
		return err
	}
	if _, err := f.NewSheet(TabSummary); err != nil {
		return fmt.Errorf("write tab %s: %w", TabSummary, err)
	}
	if err := writeReconcileSummary(f, st, res, meta, splits); err != nil {
		return fmt.Errorf("write tab %s: %w", TabSummary, err)
	}
	for _, g := range rest {
		if _, err := g.write(&excelBook{f, st}, st); err != nil {
			return err
		}
	}
	return nil
}

// personalCells are the Surname, Forenames and ReferenceNumber (GMC) cells
// of a placement row: the only place personal data enters the workbook,
// masked (initials, "***") when meta.Redact.
func personalCells(p *reconcile.KeptPlacement, meta Meta) (surname, forenames, gmc excelize.Cell) {
	pol := meta.policy()
	return text(pol.Name(p.Surname)), text(pol.Name(p.Forenames)), text(pol.GMC(p.GMC))
}

// placementGrid generates its rows from res.Placements (a national run has
// ~150,000), reusing one row slice.
func placementGrid(res *reconcile.Result, meta Meta, red, amber int) *grid {
	buf := make([]excelize.Cell, len(placementHeader))
	return &grid{name: TabPlacementCheck, header: placementHeader, fixed: heeViewColumns, count: len(res.Placements),
		rowAt: func(i int) []excelize.Cell {
			pr := &res.Placements[i]
			p := pr.Placement
			surname, forenames, gmc := personalCells(p, meta)
			row := append(buf[:0],
				text(p.ManagingDeanery), text(p.EmployingBody), text(p.TrainingBody), text(p.Specialty),
				text(p.Grade), excelize.Cell{Value: p.DateFrom}, text(pr.Export), text(pr.Match), text(p.NPN),
				surname, forenames, gmc, text(p.ID),
				numberCell(positionNumbers(pr.Positions, pr.PositionCount)), text(positionVPDs(pr.Positions)), message(pr.Issue),
				text(suggestionsText(pr.Suggestions)), text(topSuggestion(pr.Suggestions)),
			)
			switch pr.Match {
			case reconcile.MatchYes:
			case reconcile.MatchEndDated:
				row[colPositionMatch].StyleID = amber
			default:
				row[colPositionMatch].StyleID = red
			}
			return row
		}}
}

// positionNumbers lists the positions' numbers, ", " between them, and
// how many more of the count carry the NPN than are listed.
func positionNumbers(ps []reconcile.PositionRef, count int) string {
	if len(ps) == 1 && count <= 1 {
		return ps[0].PositionNumber
	}
	nums := make([]string, len(ps), len(ps)+1)
	for i, p := range ps {
		nums[i] = p.PositionNumber
	}
	if count > len(ps) {
		nums = append(nums, fmt.Sprintf("and %d more", count-len(ps)))
	}
	return strings.Join(nums, ", ")
}

// positionVPDs lists the positions' distinct VPDs in first-seen order.
func positionVPDs(ps []reconcile.PositionRef) string {
	if len(ps) == 1 {
		return ps[0].VPD
	}
	var vpds []string
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.VPD] {
			seen[p.VPD] = true
			vpds = append(vpds, p.VPD)
		}
	}
	return strings.Join(vpds, ", ")
}

// suggestionText is one "did you mean" in words:
// "EOE/RGT00/021/FY1/010 (position 10002345, VPD 504): letter O typed for zero".
// The DPN is shown with invisible characters made visible and quoted when
// it has surrounding spaces, since that can be the whole difference.
func suggestionText(s reconcile.Suggestion) string {
	var b strings.Builder
	b.WriteString(readableValue(s.DPN))
	b.WriteString(" (position ")
	b.WriteString(s.PositionNumber)
	if s.VPD != "" {
		b.WriteString(", VPD ")
		b.WriteString(s.VPD)
	}
	if s.EndDated {
		b.WriteString(", end-dated")
	}
	b.WriteString(")")
	if s.Kind != "" {
		b.WriteString(": ")
		b.WriteString(s.Kind)
	}
	return b.String()
}

// suggestionsText is every suggestion in words, best first, "; " between.
func suggestionsText(ss []reconcile.Suggestion) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = suggestionText(s)
	}
	return strings.Join(parts, "; ")
}

var unplacedHeader = []string{"VPD", "Position Number", "Position Name", "DPN", "Managing Deanery Body",
	"Effective From", "Effective To", "Note"}

// defaultUnplacedNote explains an unplaced position that has no
// position.no-placement finding of its own.
const defaultUnplacedNote = "no current or future TIS placement carries this DPN: a vacancy or a stale DPN"

func unplacedGrid(res *reconcile.Result) *grid {
	type key struct{ vpd, number string }
	notes := map[key]string{}
	for _, f := range res.Findings {
		if f.Rule == reconcile.RulePositionNoPlacement {
			if _, ok := notes[key{f.VPD, f.PositionNumber}]; !ok {
				notes[key{f.VPD, f.PositionNumber}] = f.Message
			}
		}
	}
	buf := make([]excelize.Cell, len(unplacedHeader))
	return &grid{name: TabUnplaced, header: unplacedHeader, count: len(res.Unplaced),
		rowAt: func(i int) []excelize.Cell {
			p := &res.Unplaced[i]
			note, ok := notes[key{p.VPD, p.Number}]
			if !ok || note == "" {
				note = defaultUnplacedNote
			}
			return append(buf[:0],
				text(p.VPD), numberCell(p.Number), text(p.Name), text(p.DPN), text(p.ManagingBody),
				excelize.Cell{Value: p.EffectiveFrom}, excelize.Cell{Value: p.EffectiveTo}, message(note),
			)
		}}
}

var reconcileFindingsHeader = []string{"Rule", "Severity", "Placement ID", "NPN/Value", "VPD", "Position Number",
	"Message", "File", "Row"}

func reconcileFindingsGrid(findings []checks.Finding) *grid {
	buf := make([]excelize.Cell, len(reconcileFindingsHeader))
	return &grid{name: TabFindings, header: reconcileFindingsHeader, count: len(findings),
		rowAt: func(i int) []excelize.Cell {
			f := &findings[i]
			return append(buf[:0],
				text(f.Rule), text(f.Severity.String()), text(f.PlacementID), text(f.Value), text(f.VPD),
				numberCell(f.PositionNumber), message(f.Message), text(f.File), excelize.Cell{Value: f.Row},
			)
		}}
}

// Grouping labels of the exception workbook's summary table.
const (
	GroupTotal           = "Total"
	GroupManagingDeanery = "Managing deanery"
	GroupEmployingBody   = "Employing body"
	GroupVPD             = "VPD"
)

var reconcileSummaryHeader = []string{"Grouping", "Group", "Placements", "Vacancies", "Matched", "No ESR Position",
	"End-Dated", "Multiple Positions", "Exported", "Not Yet Due", "Blocked", "Exceptions", "Unplaced DPN Positions"}

func summaryCounts(s *reconcile.Stats) []any {
	return []any{s.Placements, s.Vacancies, s.Matched, s.NoPosition, s.EndDated, s.ManyPositions,
		s.Exported, s.NotYetDue, s.Blocked, s.Exceptions, s.Unplaced}
}

// groupLabel names a group; an empty one (no managing deanery or employing
// body in the export) is "(none)".
func groupLabel(g string) string {
	if g == "" {
		return "(none)"
	}
	return g
}

// positionMatchLegend explains the PositionMatch and ApplicantExport values.
var positionMatchLegend = [][2]string{
	{reconcile.MatchYes, "exactly one active ESR position carries the placement's National Post Number, or a host/lead employer pair does (one post, both positions listed)"},
	{reconcile.MatchNone, "no active ESR position carries it: correct the DPN in ESR or the NPN in TIS (see 'Did You Mean')"},
	{reconcile.MatchMany, "more than one active ESR position carries it: if one trust hosts the post and another is its lead employer, set Host/Lead Employer Status on both positions; otherwise end-date the post or remove the DPN from the other position"},
	{reconcile.MatchEndDated, "only an end-dated ESR position carries it: extend the position or move the DPN to the current one"},
	{reconcile.ExportExported, "inside the transfer window and would be sent to ESR"},
	{reconcile.ExportNotYetDue, "starts after the transfer window: not sent yet"},
	{reconcile.ExportBlocked + ": <reason>", "will not be sent until the reason is resolved"},
}

// writeReconcileSummary writes the Summary tab: a filterable table of counts
// (header in row 1: total, then per managing deanery, employing body and
// VPD), then the run's details and a legend below it.
func writeReconcileSummary(f *excelize.File, st *styles, res *reconcile.Result, meta Meta, splits []string) error {
	s := &sheetWriter{f: f, sheet: TabSummary, row: 1}
	w := newTextWidths(reconcileSummaryHeader)
	last, err := writeReconcileCounts(s, st, res, w, meta.TrustNames)
	if err != nil {
		return err
	}
	s.next(1)
	writeReconcileDetails(s, st, res, meta, splits)
	writeRowsAccounted(s, st, res, w)
	if s.err != nil {
		return s.err
	}
	if err := f.AutoFilter(TabSummary, "A1:"+last, nil); err != nil {
		return err
	}
	if err := f.SetPanes(TabSummary, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := pageSetupExcelize(f, TabSummary, 1); err != nil {
		return err
	}
	for i, cw := range w.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(TabSummary, col, col, float64(min(max(cw+1, minColWidth), maxColWidth))); err != nil {
			return err
		}
	}
	return nil
}

// textWidths tracks the widest text of the Summary tab's first two columns
// (the others hold numbers), starting from the header's.
type textWidths struct{ widths []int }

func newTextWidths(header []string) *textWidths {
	w := &textWidths{widths: make([]int, len(header))}
	for i, h := range header {
		w.widths[i] = utf8.RuneCountInString(h) + 3
	}
	return w
}

// note widens the first two columns to fit the strings among vals.
func (w *textWidths) note(vals ...any) {
	for i, v := range vals {
		if str, ok := v.(string); ok && i < len(w.widths) && i < 2 {
			w.widths[i] = max(w.widths[i], utf8.RuneCountInString(str))
		}
	}
}

// writeReconcileCounts writes the header and the table of counts (total,
// then per managing deanery, employing body and VPD, a VPD with its trust's
// name from trusts) and returns the table's last cell, the end of the
// filter's range.
func writeReconcileCounts(s *sheetWriter, st *styles, res *reconcile.Result, w *textWidths, trusts map[string]string) (string, error) {
	hdr := make([]any, len(reconcileSummaryHeader))
	for i, h := range reconcileSummaryHeader {
		hdr[i] = h
	}
	s.put(st.header, hdr...)
	s.next(1)
	row := func(grouping, group string, c *reconcile.Stats, style int) {
		vals := append([]any{grouping, group}, summaryCounts(c)...)
		w.note(vals...)
		s.put(style, vals...)
		s.next(1)
	}
	row(GroupTotal, "", &res.Totals, st.bold)
	for _, gs := range []struct {
		label string
		stats []reconcile.Stats
	}{
		{GroupManagingDeanery, sortedGroups(res.ByManagingDeanery)},
		{GroupEmployingBody, sortedGroups(res.ByEmployingBody)},
		{GroupVPD, sortedGroups(res.ByVPD)},
	} {
		for i := range gs.stats {
			group := groupLabel(gs.stats[i].Group)
			if gs.label == GroupVPD {
				group = vpdTitle(group, trusts[gs.stats[i].Group]) // the trust beside its VPD
			}
			row(gs.label, group, &gs.stats[i], 0)
		}
	}
	return excelize.CoordinatesToCellName(len(reconcileSummaryHeader), s.row-1)
}

// writeReconcileDetails writes the run's details: labels in A, values from
// B (not part of the filter).
func writeReconcileDetails(s *sheetWriter, st *styles, res *reconcile.Result, meta Meta, splits []string) {
	s.put(st.bold, "As-of date")
	s.put(0, nil, excelDate(meta.AsOf))
	s.style(2, st.date)
	s.next(1)
	s.put(st.bold, "Produced by")
	s.put(0, nil, meta.toolVersion())
	s.next(1)
	for _, in := range []struct {
		label  string
		inputs []model.Input
	}{
		{"Position file(s)", res.PositionInputs},
		{"Placement file(s)", res.PlacementInputs},
	} {
		s.put(st.bold, in.label)
		if len(in.inputs) == 0 {
			s.put(0, nil, "(none)")
			s.next(1)
		}
		for _, i := range in.inputs {
			s.put(0, nil, describeInput(i))
			s.next(1)
		}
	}
	for _, n := range splits {
		s.put(st.bold, "Note")
		s.put(0, nil, n)
		s.next(1)
	}
	s.next(1)
}

// writeRowsAccounted writes what became of every input row, then the legend
// of the position match values.
func writeRowsAccounted(s *sheetWriter, st *styles, res *reconcile.Result, w *textWidths) {
	s.put(st.heading, "Every row accounted for")
	s.next(1)
	s.put(st.header, rowsHeader[0], rowsHeader[1], rowsHeader[2])
	s.next(1)
	for _, k := range reconcileKinds(res.Rows) {
		for _, r := range k.cells() {
			s.put(0, r...)
			w.note(r[0], r[1])
			s.next(1)
		}
	}
	s.next(1)
	s.put(st.heading, "What the values mean")
	s.next(1)
	for _, l := range positionMatchLegend {
		s.put(0, l[0], l[1])
		w.note(l[0])
		s.next(1)
	}
}
