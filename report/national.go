package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

var nationalHeader = []string{"VPD", "Trust", LabelWithDPN, LabelDuplicates, LabelDPNIssues, LabelNameIssues,
	"Positions", "Active", LabelErrors, "Warnings", "Verdict", "Why"}

// problems is what sorts a VPD towards the top of the national summary: its
// findings that block go-live.
func problems(s *checks.Stats) int { return s.Errors }

// worstFirst orders VPDs: NOT READY first, then by the findings that block
// go-live (descending), then by VPD.
func worstFirst(a, b *checks.Stats) int {
	if a.Ready != b.Ready {
		if !a.Ready {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(problems(b), problems(a)); c != 0 {
		return c
	}
	return cmp.Compare(a.VPD, b.VPD)
}

// NationalWorkbook writes the national summary workbook: tab Summary (one
// row per VPD, worst first, then a totals row) and tab Cross-VPD DPNs (the
// dpn.cross-vpd findings).
func NationalWorkbook(w io.Writer, res *checks.Result, meta Meta) error {
	if res == nil {
		return fmt.Errorf("national workbook: no result to write")
	}
	f, st, err := newWorkbook(TabSummary, meta, "DPN Report National")
	if err != nil {
		return fmt.Errorf("national workbook: %w", err)
	}
	for _, g := range []*grid{nationalGrid(res, st, meta), crossVPDGrid(res)} {
		if _, err := g.write(&excelBook{f, st}, st); err != nil {
			_ = f.Close()
			return fmt.Errorf("national workbook: %w", err)
		}
	}
	if err := finish(f, w); err != nil {
		return fmt.Errorf("national workbook: %w", err)
	}
	return nil
}

// nationalGrid is the national Summary: one row per VPD, worst first, its
// trust's name beside it (a column left out when no trust is named), then
// the totals.
func nationalGrid(res *checks.Result, st *styles, meta Meta) *grid {
	g := &grid{name: TabSummary, header: nationalHeader}
	stats := make([]*checks.Stats, len(res.VPDs))
	trusts := make(map[string]string, len(res.VPDs))
	for i := range res.VPDs {
		stats[i] = &res.VPDs[i].Stats
		trusts[res.VPDs[i].VPD] = trustName(meta, &res.VPDs[i])
	}
	slices.SortStableFunc(stats, worstFirst)
	row := func(label, trust string, s *checks.Stats, style int) []excelize.Cell {
		vs := st.notReady
		if s.Ready {
			vs = st.ready
		}
		return []excelize.Cell{
			{Value: label, StyleID: style}, text(trust),
			{Value: s.ActiveWithDPN, StyleID: style}, {Value: s.DuplicateDPNs, StyleID: style},
			{Value: s.DPNIssues, StyleID: style}, {Value: s.PositionNameIssues, StyleID: style},
			{Value: s.Positions, StyleID: style}, {Value: s.Active, StyleID: style},
			{Value: s.Errors, StyleID: style}, {Value: s.Warnings, StyleID: style},
			{Value: verdict(s.Ready), StyleID: vs}, {Value: verdictReason(s), StyleID: style},
		}
	}
	for _, s := range stats {
		g.rows = append(g.rows, row(s.VPD, trusts[s.VPD], s, 0))
	}
	g.rows = append(g.rows, row("Total", "", &res.Totals, st.bold))
	addChangeColumns(g, res, stats, st)
	return g
}

// addChangeColumns adds "New since last check" and "Resolved since last
// check" to the national summary when any VPD was compared with its previous
// recorded check: empty for a VPD that was not, summed on the totals row.
func addChangeColumns(g *grid, res *checks.Result, stats []*checks.Stats, st *styles) {
	tot, ok := res.ChangeTotals()
	if !ok {
		return
	}
	byVPD := make(map[string]*checks.Changes, len(res.VPDs))
	for i := range res.VPDs {
		byVPD[res.VPDs[i].VPD] = res.VPDs[i].Changes
	}
	g.header = append(slices.Clip(g.header), "New since last check", "Resolved since last check")
	for i, s := range stats {
		if c := byVPD[s.VPD]; c.Compared() {
			g.rows[i] = append(g.rows[i], excelize.Cell{Value: len(c.New)}, excelize.Cell{Value: len(c.Resolved)})
		} else {
			g.rows[i] = append(g.rows[i], excelize.Cell{}, excelize.Cell{})
		}
	}
	last := len(g.rows) - 1
	g.rows[last] = append(g.rows[last], excelize.Cell{Value: tot.New, StyleID: st.bold},
		excelize.Cell{Value: tot.Resolved, StyleID: st.bold})
}

var crossVPDHeader = []string{"VPD", "Position Number", "DPN", "Message", "File", "Row"}

// crossVPDGrid lists the dpn.cross-vpd findings, grouped by DPN (compared
// as for duplicates), then by VPD and position number.
func crossVPDGrid(res *checks.Result) *grid {
	g := &grid{name: TabCrossVPD, header: crossVPDHeader}
	var fs []checks.Finding
	for _, f := range res.Findings() {
		if f.Rule == checks.RuleDPNCrossVPD {
			fs = append(fs, f)
		}
	}
	slices.SortStableFunc(fs, func(a, b checks.Finding) int {
		return cmp.Or(
			cmp.Compare(model.NormalDPN(a.Value), model.NormalDPN(b.Value)),
			cmp.Compare(a.VPD, b.VPD),
			cmp.Compare(a.PositionNumber, b.PositionNumber),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Row, b.Row),
		)
	})
	for _, f := range fs {
		g.rows = append(g.rows, []excelize.Cell{
			text(f.VPD), numberCell(f.PositionNumber), text(f.Value), message(f.Message), text(f.File), {Value: f.Row},
		})
	}
	return g
}
