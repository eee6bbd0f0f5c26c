package report

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/internal/termtable"
	"dpnkit/reconcile"
)

type reconcileInputs struct {
	Positions  []model.Input `json:"positions"`
	Placements []model.Input `json:"placements"`
}

// appendPlacementJSON appends one element of the placements array, as
// encoding/json with two-space indentation would write it at that depth:
// placement_id, npn, managing_deanery, employing_body, start_date,
// end_date (YYYY-MM-DD or ""), position_match, applicant_export, positions
// (vpd, position_number, dpn, end_dated when true; at most
// reconcile.MaxPositionRefs), position_count (only when more positions carry
// the NPN than are listed: how many), suggestions (dpn,
// position_number, vpd, kind, end_dated when true) and issue. It
// deliberately has no personal field (surname, forenames, GMC number, date
// of birth, ...): a placement is named by its TIS id only.
func appendPlacementJSON(b []byte, pr *reconcile.PlacementResult) []byte {
	p := pr.Placement
	b = append(b, "{\n      \"placement_id\": "...)
	b = appendJSONString(b, p.ID)
	b = append(b, ",\n      \"npn\": "...)
	b = appendJSONString(b, p.NPN)
	b = append(b, ",\n      \"managing_deanery\": "...)
	b = appendJSONString(b, p.ManagingDeanery)
	b = append(b, ",\n      \"employing_body\": "...)
	b = appendJSONString(b, p.EmployingBody)
	b = append(b, ",\n      \"start_date\": "...)
	b = appendJSONDate(b, p.DateFrom)
	b = append(b, ",\n      \"end_date\": "...)
	b = appendJSONDate(b, p.DateTo)
	b = append(b, ",\n      \"position_match\": "...)
	b = appendJSONString(b, pr.Match)
	b = append(b, ",\n      \"applicant_export\": "...)
	b = appendJSONString(b, pr.Export)
	b = append(b, ",\n      \"positions\": ["...)
	for i := range pr.Positions {
		r := &pr.Positions[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n        {\n          \"vpd\": "...)
		b = appendJSONString(b, r.VPD)
		b = append(b, ",\n          \"position_number\": "...)
		b = appendJSONString(b, r.PositionNumber)
		b = append(b, ",\n          \"dpn\": "...)
		b = appendJSONString(b, r.DPN)
		if r.EndDated {
			b = append(b, ",\n          \"end_dated\": true"...)
		}
		b = append(b, "\n        }"...)
	}
	if len(pr.Positions) > 0 {
		b = append(b, "\n      "...)
	}
	b = append(b, ']')
	if pr.PositionCount > len(pr.Positions) {
		b = append(b, ",\n      \"position_count\": "...)
		b = strconv.AppendInt(b, int64(pr.PositionCount), 10)
	}
	b = append(b, ",\n      \"suggestions\": ["...)
	for i := range pr.Suggestions {
		s := &pr.Suggestions[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n        {\n          \"dpn\": "...)
		b = appendJSONString(b, s.DPN)
		b = append(b, ",\n          \"position_number\": "...)
		b = appendJSONString(b, s.PositionNumber)
		b = append(b, ",\n          \"vpd\": "...)
		b = appendJSONString(b, s.VPD)
		b = append(b, ",\n          \"kind\": "...)
		b = appendJSONString(b, s.Kind)
		if s.EndDated {
			b = append(b, ",\n          \"end_dated\": true"...)
		}
		b = append(b, "\n        }"...)
	}
	if len(pr.Suggestions) > 0 {
		b = append(b, "\n      "...)
	}
	b = append(b, "],\n      \"issue\": "...)
	b = appendJSONString(b, pr.Issue)
	return append(b, "\n    }"...)
}

// sortedGroups copies groups sorted by Group (stable), [] when empty.
func sortedGroups(groups []reconcile.Stats) []reconcile.Stats {
	out := slices.Clone(groups)
	if out == nil {
		out = []reconcile.Stats{}
	}
	slices.SortStableFunc(out, func(a, b reconcile.Stats) int { return cmp.Compare(a.Group, b.Group) })
	return out
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clip(s)
}

// ReconcileJSON writes the reconciliation as one JSON document: keys tool,
// version, as_of (YYYY-MM-DD), inputs {positions, placements}, rows
// {positions, placements} (every record read, by category:
// reconcile.Rows), totals (no
// group key), by_managing_deanery, by_employing_body and by_vpd (sorted by
// group), placements (res.Placements order: placement_id, npn,
// managing_deanery, employing_body, start_date, end_date, position_match,
// applicant_export, positions, suggestions, issue), unplaced_positions
// (vpd, position_number, dpn) and findings (res.Findings order). With
// res.PositionCheck, "position_check" (after by_vpd) holds the DPN check's
// totals, its "ready" flag among them. Empty lists
// are [], never null; dates are YYYY-MM-DD or "" when empty. Two-space
// indentation and a trailing newline; the same result always gives the
// same bytes.
//
// Personal data: the placements carry no names, GMC numbers, dates of birth
// or other personal fields, only the TIS placement id, so the document can
// be shared and logged. (The findings are written as the reconciler made
// them; their values and messages name NPNs and ids, not people.)
func ReconcileJSON(w io.Writer, res *reconcile.Result, meta Meta) error {
	if res == nil {
		return fmt.Errorf("reconcile json report: no result to write")
	}
	totals := res.Totals
	totals.Group = ""
	// The document is streamed element by element: a national run has
	// ~150,000 placements and would otherwise be built whole in memory.
	j := newJSONStream(w)
	j.raw("{\n")
	j.field("tool", meta.tool())
	j.field("version", meta.Version)
	j.field("as_of", meta.AsOf.Format("2006-01-02"))
	j.field("inputs", reconcileInputs{Positions: orEmpty(res.PositionInputs), Placements: orEmpty(res.PlacementInputs)})
	j.field("rows", res.Rows)
	j.field("totals", totals)
	j.field("by_managing_deanery", sortedGroups(res.ByManagingDeanery))
	j.field("by_employing_body", sortedGroups(res.ByEmployingBody))
	j.field("by_vpd", sortedGroups(res.ByVPD))
	if pc := res.PositionCheck; pc != nil {
		// The DPN check of the same positions: its "ready" is the verdict
		// the table prints, and reconcile's exit status counts its findings.
		t := pc.Totals
		t.VPD = ""
		j.field("position_check", t)
	}
	accepted, expired := reconcileAccepted(res)
	if len(accepted) > 0 {
		j.field("accepted", accepted)
	}
	if len(expired) > 0 {
		j.field("expired_acceptances", expired)
	}
	j.rawArray("placements", len(res.Placements), func(b []byte, i int) []byte {
		return appendPlacementJSON(b, &res.Placements[i])
	})
	j.raw(",\n")
	j.rawArray("unplaced_positions", len(res.Unplaced), func(b []byte, i int) []byte {
		p := &res.Unplaced[i]
		b = append(b, "{\n      \"vpd\": "...)
		b = appendJSONString(b, p.VPD)
		b = append(b, ",\n      \"position_number\": "...)
		b = appendJSONString(b, p.Number)
		b = append(b, ",\n      \"dpn\": "...)
		b = appendJSONString(b, p.DPN)
		return append(b, "\n    }"...)
	})
	j.raw(",\n")
	j.rawArray("findings", len(res.Findings), func(b []byte, i int) []byte {
		return appendFindingJSON(b, &res.Findings[i])
	})
	j.raw("\n}\n")
	if err := j.flush(); err != nil {
		return fmt.Errorf("write reconcile json report: %w", err)
	}
	return nil
}

// reconcileCSVHeader is CSV's header with placement_id appended.
var reconcileCSVHeader = append(slices.Clip(csvHeader), "placement_id")

// ReconcileCSV writes the reconciliation findings (res.Findings order) as
// RFC 4180 CSV with the columns of CSV followed by placement_id:
// rule,severity,vpd,file,row,column,position_number,value,message,placement_id.
// Every cell goes through SafeCSVValue, as in CSV.
func ReconcileCSV(w io.Writer, res *reconcile.Result) error {
	if res == nil {
		return fmt.Errorf("reconcile csv report: no result to write")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(reconcileCSVHeader); err != nil {
		return fmt.Errorf("write reconcile csv report: %w", err)
	}
	for _, f := range res.Findings {
		rec := []string{f.Rule, f.Severity.String(), f.VPD, f.File, strconv.Itoa(f.Row), f.Column,
			f.PositionNumber, f.Value, f.Message, f.PlacementID}
		if err := cw.Write(safeCSVRecord(rec)); err != nil {
			return fmt.Errorf("write reconcile csv report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write reconcile csv report: %w", err)
	}
	return nil
}

// ReconcileTerminal writes the terminal summary of a reconciliation: one
// line per kind of input accounting for every row read (rowsKind.line), a
// counts table per managing deanery (with a total row), the unplaced
// positions and exceptions line, the findings per rule, and the first o.Top
// exception placements, blocked ones first, with their "did you mean"
// suggestions. No personal data is printed: placements are named by TIS id.
func ReconcileTerminal(w io.Writer, res *reconcile.Result, meta Meta, o Term) error {
	if res == nil {
		return fmt.Errorf("reconcile table report: no result to write")
	}
	if err := reconcileTable(w, res, meta, o); err != nil {
		return fmt.Errorf("write reconcile table report: %w", err)
	}
	return nil
}

func reconcileTable(w io.Writer, res *reconcile.Result, meta Meta, o Term) error {
	if _, err := fmt.Fprintf(w, "Placement reconciliation as of %s (%s)\n", meta.AsOf.Format("02/01/2006"), meta.toolVersion()); err != nil {
		return err
	}
	for _, k := range reconcileKinds(res.Rows) {
		if err := writeProse(w, k.line(), o); err != nil {
			return err
		}
	}
	t := termtable.New(w, termtable.Numbers, "Managing deanery", "Placements", "Matched", "No position", "End-dated",
		"Multiple", "Exported", "Not yet due", "Blocked", "Exceptions").Fit(o.Width).Shrink(0).Transpose()
	row := func(label string, s *reconcile.Stats) []string {
		return []string{label, strconv.Itoa(s.Placements), strconv.Itoa(s.Matched), strconv.Itoa(s.NoPosition),
			strconv.Itoa(s.EndDated), strconv.Itoa(s.ManyPositions), strconv.Itoa(s.Exported),
			strconv.Itoa(s.NotYetDue), strconv.Itoa(s.Blocked), strconv.Itoa(s.Exceptions)}
	}
	for _, g := range sortedGroups(res.ByManagingDeanery) {
		if err := t.Append(row(termCell(groupLabel(g.Group), termWidth), &g)...); err != nil {
			return err
		}
	}
	t.Footer(row("Total", &res.Totals)...)
	if err := t.Render(); err != nil {
		return err
	}
	if err := writeProse(w, fmt.Sprintf("%d of %d placements are exceptions; %d vacancies; %d active DPN positions have no placement.",
		res.Totals.Exceptions, res.Totals.Placements, res.Totals.Vacancies, res.Totals.Unplaced), o); err != nil {
		return err
	}
	if pc := res.PositionCheck; pc != nil {
		if err := writeProse(w, "DPN check of the positions: "+strings.TrimPrefix(verdictLine(pc), "Verdict: "), o); err != nil {
			return err
		}
	}
	if err := ruleSummary(w, [][]checks.Finding{res.Findings}, o); err != nil {
		return err
	}
	return exceptionList(w, res, o)
}

// exceptionList writes the first o.Top exception placements, blocked ones
// first: a table on a wide terminal, one line each on a narrow one.
func exceptionList(w io.Writer, res *reconcile.Result, o Term) error {
	// Blocked placements first, each part in the result's order.
	var exc, rest []*reconcile.PlacementResult
	for i := range res.Placements {
		pr := &res.Placements[i]
		switch {
		case !pr.Exception:
		case strings.HasPrefix(pr.Export, reconcile.ExportBlocked):
			exc = append(exc, pr)
		default:
			rest = append(rest, pr)
		}
	}
	exc = append(exc, rest...)
	n := len(exc)
	if o.Top >= 0 && o.Top < n {
		n = o.Top
	}
	var err error
	switch {
	case n == 0:
	case o.Width > 0 && o.Width < oneLineWidth:
		err = exceptionLines(w, exc[:n], o)
	default:
		err = exceptionTable(w, exc[:n], o)
	}
	if err != nil {
		return err
	}
	switch {
	case len(exc) == 0:
		_, err = fmt.Fprintln(w, "No exceptions.")
	case n < len(exc):
		where := "--top 0 lists them all, and the workbook (--out) or --format csv|json lists them for Excel or a program."
		if len(o.Workbooks) > 0 {
			where = "every one is in " + visible(o.Workbooks[0]) + "."
		}
		err = writeProse(w, fmt.Sprintf("Showing %d of %d exceptions, blocked first; %s", n, len(exc), where), o)
	}
	return err
}

func exceptionTable(w io.Writer, exc []*reconcile.PlacementResult, o Term) error {
	t := termtable.New(w, termtable.Wrapped, "Placement", "NPN", "Position match", "Export", "Issue", "Did you mean").
		Fit(o.Width).Shrink(2, 3, 4, 5)
	t.Color(o.Color, func(col int, cell string) termtable.Style {
		if col == 3 && strings.HasPrefix(cell, reconcile.ExportBlocked) {
			return termtable.Red
		}
		return termtable.Plain
	})
	for _, pr := range exc {
		if err := t.Append(termCell(pr.Placement.ID, termWidth), termValue(pr.Placement.NPN), pr.Match,
			termText(pr.Export), termText(issueWithoutSuggestions(pr)), termText(suggestionsText(pr.Suggestions))); err != nil {
			return err
		}
	}
	return t.Render()
}

// exceptionLines writes one line per exception placement, cut to the width:
//
//	1332392  LDN/R1V00/021/STR/011  BLOCKED  The only ESR position carrying ... Did you mean ...?
func exceptionLines(w io.Writer, exc []*reconcile.PlacementResult, o Term) error {
	for _, pr := range exc {
		status, _, _ := strings.Cut(pr.Export, ":")
		line := termCell(pr.Placement.ID, 16) + "  " + termValue(pr.Placement.NPN) + "  " + termText(status)
		if s := issueWithoutSuggestions(pr); s != "" {
			line += "  " + termText(s)
		}
		if len(pr.Suggestions) > 0 {
			line += " Did you mean " + termText(suggestionsText(pr.Suggestions)) + "?"
		}
		line = termtable.Cut(line, o.Width)
		if o.Color && strings.Contains(line, reconcile.ExportBlocked) {
			line = strings.Replace(line, reconcile.ExportBlocked, termtable.Paint(reconcile.ExportBlocked, termtable.Red), 1)
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

// issueWithoutSuggestions is the placement's issue without the "Did you
// mean" sentence the suggestions column already says (the sentences after
// it stay).
func issueWithoutSuggestions(pr *reconcile.PlacementResult) string {
	if did := reconcile.DidYouMean(pr.Suggestions); did != "" {
		return strings.Replace(pr.Issue, did, "", 1)
	}
	return pr.Issue
}
