package report

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// TabFixList is the exception workbook's list of fixes: one row per fix,
// where to make it, the record, the value now and the value it should be.
const TabFixList = "Fix List"

// Where a fix is made (the Fix List's Fix In column).
const (
	FixInESR      = "ESR"
	FixInTIS      = "TIS"
	FixInESROrTIS = "ESR or TIS"
)

// Records and fields a fix names.
const (
	fixRecordPosition  = "ESR position"
	fixRecordPlacement = "TIS placement"
	fixFieldDPN        = "Deanery Post Number"
	fixFieldNPN        = "National Post Number"
)

var fixListHeader = []string{"Fix In", "Record", "Position Number", "Placement TIS ID", "VPD", "Field",
	"Value Now", "Should Be", "Why"}

// fix is one row of the Fix List.
type fix struct {
	in, record, position, placement, vpd, field, now, should, why string
}

// fixes lists what to correct so that each exception placement matches
// one active ESR position, in the placements' order, each fix once:
//
//   - no ESR position carries the NPN, but one is close (the top "did you
//     mean"): the suggestion kinds say what went wrong in the NPN, so the
//     NPN is corrected in TIS to the position's DPN; but a DPN that
//     differs only in spacing or case, and is the one not written plainly
//     (spaces, lower case), is corrected in ESR, and a DPN only an
//     end-dated position carries is a fix in ESR (extend the position or
//     move the DPN);
//   - none is close: add the DPN in ESR or correct the NPN in TIS;
//   - several positions carry it, or only end-dated ones: a fix in ESR.
//
// A fix in ESR needed by several placements (one post, several trainees)
// is listed once, naming each placement.
func fixes(res *reconcile.Result) []fix {
	var out []fix
	type esrFix struct{ position, vpd, now, should string }
	at := map[esrFix]int{} // a fix in ESR -> its index in out
	for i := range res.Placements {
		pr := &res.Placements[i]
		f, ok := fixFor(pr)
		if !ok {
			continue
		}
		key := esrFix{f.position, f.vpd, f.now, f.should}
		if f.in == FixInESR {
			if j, seen := at[key]; seen {
				out[j].placement += ", " + f.placement
				continue
			}
			at[key] = len(out)
		}
		out = append(out, f)
	}
	return out
}

// fixFor is the fix placement pr needs, false when it matches.
func fixFor(pr *reconcile.PlacementResult) (fix, bool) {
	p := pr.Placement
	npn := model.TrimWhite(p.NPN)
	switch pr.Match {
	case reconcile.MatchNone:
		if len(pr.Suggestions) == 0 {
			return fix{in: FixInESROrTIS, record: fixRecordPlacement, placement: p.ID, field: fixFieldNPN, now: p.NPN,
				why: "No active ESR position carries this National Post Number and none carries one close to it: " +
					"add the DPN to the post's ESR position, or correct the NPN in TIS."}, true
		}
		return suggestedFix(pr, pr.Suggestions[0]), true
	case reconcile.MatchMany:
		return dpnFix(p.ID, positionNumbers(pr.Positions, pr.PositionCount), positionVPDs(pr.Positions), npn,
			"on one active position only",
			"Several active ESR positions carry this DPN: end-date the post or remove the DPN from the other "+
				"position(s); if one trust hosts the post and another is its lead employer, set Host/Lead Employer "+
				"Status on both positions instead."), true
	case reconcile.MatchEndDated:
		return dpnFix(p.ID, positionNumbers(pr.Positions, pr.PositionCount), positionVPDs(pr.Positions), npn,
			endDatedShould, endDatedWhy("an end-dated ESR position")), true
	}
	return fix{}, false
}

// suggestedFix is the fix of a placement no ESR position matches, from its
// top suggestion s (see fixes).
func suggestedFix(pr *reconcile.PlacementResult, s reconcile.Suggestion) fix {
	p := pr.Placement
	pos := "position " + s.PositionNumber
	if s.VPD != "" {
		pos += " in VPD " + s.VPD
	}
	switch {
	case s.EndDated || s.Kind == reconcile.SuggestEndDated:
		return dpnFix(p.ID, s.PositionNumber, s.VPD, s.DPN, endDatedShould, endDatedWhy("end-dated "+pos))
	case s.Kind == reconcile.SuggestSpacing && !plainDPN(s.DPN) && plainDPN(p.NPN):
		return dpnFix(p.ID, s.PositionNumber, s.VPD, s.DPN, p.NPN,
			"The DPN on "+pos+" differs from TIS placement "+p.ID+"'s National Post Number only in "+
				"spacing or case: write it exactly as the NPN.")
	}
	return fix{in: FixInTIS, record: fixRecordPlacement, placement: p.ID, vpd: s.VPD, field: fixFieldNPN,
		now: p.NPN, should: model.TrimWhite(s.DPN),
		why: "No active ESR position carries this National Post Number; " + pos + " carries " +
			readableValue(s.DPN) + " (" + s.Kind + "). If the ESR DPN is the wrong one, correct it on " + pos +
			" instead."}
}

// dpnFix is a fix of the DPN on ESR position(s) position of vpd, for TIS
// placement placement: from now to should, because why.
func dpnFix(placement, position, vpd, now, should, why string) fix {
	return fix{in: FixInESR, record: fixRecordPosition, position: position, placement: placement, vpd: vpd,
		field: fixFieldDPN, now: now, should: should, why: why}
}

// endDatedShould and endDatedWhy are the fix of a DPN only an end-dated
// position carries (what names that position).
const endDatedShould = "on the post's active position"

func endDatedWhy(what string) string {
	return "Only " + what + " carries this DPN: extend the position, or move the DPN to the post's current position."
}

// plainDPN reports whether dpn is written plainly: readable ASCII with no
// white space and no lower-case letter.
func plainDPN(dpn string) bool {
	return model.ReadableASCII(dpn) && !strings.ContainsRune(dpn, ' ') && strings.ToUpper(dpn) == dpn
}

// fixListGrid is the Fix List tab. The values now and to be are the exact
// values (their own cells); the reason names invisible characters.
func fixListGrid(res *reconcile.Result) *grid {
	list := fixes(res)
	buf := make([]excelize.Cell, 0, len(fixListHeader))
	return &grid{name: TabFixList, header: fixListHeader, count: len(list),
		rowAt: func(i int) []excelize.Cell {
			f := &list[i]
			return append(buf[:0], text(f.in), text(f.record), numberCell(f.position), text(f.placement), text(f.vpd),
				text(f.field), text(f.now), text(f.should), message(f.why))
		}}
}

// topSuggestion is the DPN a placement's NPN most likely meant, as it is
// in ESR: the exception workbook's Top Suggestion column, the data behind
// the "Did You Mean" text.
func topSuggestion(ss []reconcile.Suggestion) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0].DPN
}
