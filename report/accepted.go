package report

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/reconcile"
)

// TabAccepted lists the findings matching an accepted exception of the
// configuration (dpnkit.toml [[accept]]), and those whose acceptance has
// expired.
const TabAccepted = "Accepted"

var acceptedHeader = []string{"Status", "Rule", "Severity", "VPD", "Position Number", "Placement TIS ID", "Value",
	"Message", "Reason", "Accepted By", "Until", "File", "Row", "Accepted In"}

// Labels of the Summary's Configuration block.
const (
	LabelAccepted = "Findings accepted"
	LabelExpired  = "Acceptances expired"
	LabelRulesOff = "Rules switched off"
)

// writeConfigSummary writes what the configuration changed in v (the
// statistics of checks.ApplyPolicy): findings accepted, acceptances
// expired, rules switched off; nothing when it changed nothing.
func writeConfigSummary(s *sheetWriter, st *styles, res *checks.Result, v *checks.VPDResult) {
	off := res.Totals.RulesOff
	if v.Stats.Accepted == 0 && v.ExpiredAcceptances == 0 && len(off) == 0 {
		return
	}
	s.put(st.heading, "Configuration")
	s.next(1)
	s.put(0, LabelAccepted, v.Stats.Accepted, "listed on the "+TabAccepted+" tab; not counted above, never blocking go-live")
	s.next(1)
	s.put(0, LabelExpired, v.ExpiredAcceptances, "their findings are counted above again")
	s.next(1)
	if len(off) > 0 {
		s.put(0, LabelRulesOff, strings.Join(off, ", "))
		s.next(1)
	}
	s.next(1)
}

// withAccepted adds the Accepted tab to grids when v has accepted or
// expired findings; the workbook writers call it so that no finding an
// acceptance matched is silently missing from a workbook.
func withAccepted(grids []*grid, accepted, expired []checks.AcceptedFinding) []*grid {
	if len(accepted)+len(expired) == 0 {
		return grids
	}
	return append(grids, acceptedGrid(accepted, expired))
}

// acceptedGrid lists the accepted findings ("Accepted: not counted"),
// then those whose acceptance expired ("Expired: counted again"), each with
// the reason, who accepted it, until when and where the acceptance is
// written. Position findings name the position, the reconciliation's
// placement findings the TIS placement (a column empty on every row is
// left out, as on every tab).
func acceptedGrid(accepted, expired []checks.AcceptedFinding) *grid {
	row := make([]excelize.Cell, len(acceptedHeader))
	n := len(accepted) + len(expired)
	return &grid{name: TabAccepted, header: acceptedHeader, count: n, rowAt: func(i int) []excelize.Cell {
		a, status := (*checks.AcceptedFinding)(nil), "Accepted: not counted"
		if i < len(accepted) {
			a = &accepted[i]
		} else {
			a, status = &expired[i-len(accepted)], "Expired: counted again"
		}
		f := &a.Finding
		row[0], row[1], row[2], row[3] = text(status), text(f.Rule), text(f.Severity.String()), text(f.VPD)
		row[4], row[5], row[6], row[7] = text(f.PositionNumber), text(f.PlacementID), text(f.Value), text(f.Message)
		row[8], row[9], row[10] = text(a.Reason), text(a.Who), excelize.Cell{Value: a.Until}
		row[11], row[12], row[13] = text(f.File), excelize.Cell{Value: f.Row}, text(a.Source)
		return row
	}}
}

// reconcileAccepted gathers a reconciliation's accepted and expired
// findings: its DPN check's, then its placements'.
func reconcileAccepted(res *reconcile.Result) (accepted, expired []checks.AcceptedFinding) {
	if res.PositionCheck != nil {
		accepted, expired = acceptedLists(res.PositionCheck)
	}
	return append(accepted, res.Accepted...), append(expired, res.ExpiredAcceptances...)
}

// acceptedLists gathers every VPD's accepted and expired findings for the
// JSON document.
func acceptedLists(res *checks.Result) (accepted, expired []checks.AcceptedFinding) {
	for i := range res.VPDs {
		accepted = append(accepted, res.VPDs[i].AcceptedFindings...)
		expired = append(expired, res.VPDs[i].ExpiredFindings...)
	}
	return accepted, expired
}
