package checks

import (
	"dpnkit/internal/model"
	"fmt"
)

// inputIssues reports what the loader noticed about a record, on any
// position: input.date for each date it could not read, and input.repaired
// for a GO record re-joined after an embedded line feed.
//
// input.date is of severity error and so blocks go-live (BlocksGoLive):
// a position whose end date cannot be read may still be active, and one
// whose start date cannot be read may already be, so whether it transfers
// to TIS is unknown until the date is corrected.
type inputIssues struct{}

func (inputIssues) Rules() []string { return []string{RuleInputDate, RuleInputRepaired} }

func (inputIssues) CheckPosition(s *Subject, out []Finding) []Finding {
	p := s.P
	for _, d := range p.DateIssues {
		checked := ""
		if s.Active {
			checked = " (until then it is checked as active)"
		}
		out = append(out, newFinding(RuleInputDate, p, d.Column, d.Value, fmt.Sprintf(
			"%s %q on %s could not be read as a date, so dpnkit cannot tell whether the position is active%s. This blocks go-live: correct the date in ESR (e.g. 2026-03-31, 31/03/2026 or 31-MAR-2026; leave an open end date empty) and export again.",
			d.Column, d.Value, model.PositionRef(p), checked)))
	}
	if p.Repaired {
		out = append(out, newFinding(RuleInputRepaired, p, "", "", fmt.Sprintf(
			"The record of %s was split over two lines by a line break inside a value and has been re-joined; the DPN and position-name rules report the line break if it is in those fields. Remove the line break in ESR.",
			model.PositionRef(p))))
	}
	return out
}
