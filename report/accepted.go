package report

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
)

// TabAccepted lists the findings matching an accepted exception of the
// configuration (dpnkit.toml [[accept]]), and those whose acceptance has
// expired.
const TabAccepted = "Accepted"

var acceptedHeader = []string{"Status", "Rule", "Severity", "VPD", "Position Number", "Value",
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
// written. They are position findings (the policy applies to the DPN
// check), so there is no Placement ID column.
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
		row[4], row[5], row[6] = text(f.PositionNumber), text(f.Value), text(f.Message)
		row[7], row[8], row[9] = text(a.Reason), text(a.Who), excelize.Cell{Value: a.Until}
		row[10], row[11], row[12] = text(f.File), excelize.Cell{Value: f.Row}, text(a.Source)
		return row
	}}
}

// withCheckAccepted adds the Accepted tab of a whole check (nil: none) to
// grids, for the exception workbook.
func withCheckAccepted(grids []*grid, res *checks.Result) []*grid {
	if res == nil {
		return grids
	}
	accepted, expired := acceptedLists(res)
	return withAccepted(grids, accepted, expired)
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
