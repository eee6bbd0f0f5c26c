package report

import (
	"strconv"
	"strings"

	"dpnkit/checks"
)

// The verdict (READY / NOT READY for go-live) is checks.Stats.Ready, which
// checks defines once from severities (checks.BlocksGoLive). This file only
// words it: every output says the verdict with verdict() and the reason
// with verdictReason(), from the same Stats.

// verdictReason says why s has its verdict, from the same counts: the
// findings of severity error that block go-live, by rule, or that none
// does and what is left to review.
//
//	"3 findings of severity error block go-live: dpn.duplicate 2, input.date 1"
//	"no finding of severity error; 2 warnings and 1 info to review"
func verdictReason(s *checks.Stats) string {
	if s.Ready {
		var review []string
		if s.Warnings > 0 {
			review = append(review, count(s.Warnings, "warning", "warnings"))
		}
		if s.Infos > 0 {
			review = append(review, count(s.Infos, "info", "info"))
		}
		if len(review) == 0 {
			return "no finding of severity error"
		}
		return "no finding of severity error; " + strings.Join(review, " and ") + " to review"
	}
	var parts []string
	for _, r := range checks.Catalogue {
		if n := s.ByRule[r.ID]; n > 0 && checks.BlocksGoLive(r.Severity) {
			parts = append(parts, r.ID+" "+strconv.Itoa(n))
		}
	}
	if s.Errors == 0 { // a Stats put together without its counts
		return "findings of severity error block go-live"
	}
	why := count(s.Errors, "finding", "findings") + " of severity error block go-live"
	if s.Errors == 1 {
		why = "1 finding of severity error blocks go-live"
	}
	if len(parts) > 0 {
		why += ": " + strings.Join(parts, ", ")
	}
	return why
}

// count is "1 warning", "2 warnings".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
