package reconcile

import (
	"fmt"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// manyPositionsAdvice ends a placement.many-positions message, and
// manyPositionsIssue the Issue's sentence: when the positions are in more
// than one VPD, how to mark a post shared by a host and a lead employer;
// always, to keep the DPN on one position otherwise.
func manyPositionsAdvice(ps []*model.Position) string {
	if inSeveralVPDs(ps) {
		return checks.HostLeadAdvice + "; otherwise keep the DPN on one position in ESR."
	}
	return "Keep the DPN on one position in ESR."
}

func manyPositionsIssue(ps []*model.Position) string {
	if inSeveralVPDs(ps) {
		return "If the trusts are host and lead employer, set Host/Lead Employer Status on both positions; otherwise keep the DPN on one position only."
	}
	return "Keep the DPN on one position only."
}

func inSeveralVPDs(ps []*model.Position) bool {
	for _, p := range ps[1:] {
		if p.VPD != ps[0].VPD {
			return true
		}
	}
	return false
}

// bucketRecords counts the applicant records the placements of a bucket
// group (indexes into items) make: one per matched position, so two for
// each placement on a host/lead employer pair. pair says whether the
// group's post is such a pair.
func bucketRecords(items []*recItem, group []int32) (records int, pair bool) {
	for _, i := range group {
		records += len(items[i].positions)
	}
	return records, len(group) > 0 && len(items[group[0]].positions) == 2
}

// bucketTexts are a bucket post's finding message, its placements' export
// reason (late) and Issue sentence, and the records counted.
type bucketTexts struct {
	message, late, issue string
	records              int
}

// bucketTextsOf words the placement.bucket finding of g, whose APP file is
// described by file ("managing deanery X").
func bucketTextsOf(items []*recItem, g bucketGroup, file string) bucketTexts {
	n := len(g.items)
	records, pair := bucketRecords(items, g.items)
	k := g.key
	t := bucketTexts{records: records}
	if !pair {
		t.message = fmt.Sprintf(
			"%d applicants for %s (VPD %s, DPN %s) start inside the transfer window and would go in one APP file for %s: more than %d, so ESR quarantines the whole file and sends no confirmations for any applicant in it. Use single-occupancy positions: one ESR position per trainee.",
			n, model.PositionRef(k.pos), k.pos.VPD, npnText(k.pos.DPN), file, MaxApplicantsPerPost)
		t.late = fmt.Sprintf("post has %d applicants in one file (over %d): ESR quarantines the whole file", n, MaxApplicantsPerPost)
		t.issue = fmt.Sprintf("Post has %d applicants in one file (over %d): ESR quarantines the whole file.", n, MaxApplicantsPerPost)
		return t
	}
	ps := items[g.items[0]].positions
	t.message = fmt.Sprintf(
		"%d applicants for the host/lead employer post %s (%s) start inside the transfer window; with a record for each position, %d applicant records would go in one APP file for %s: more than %d, so ESR quarantines the whole file and sends no confirmations for any applicant in it. Use single-occupancy posts: one post per trainee.",
		n, npnText(k.pos.DPN), positionList(ps), records, file, MaxApplicantsPerPost)
	t.late = fmt.Sprintf("post has %d applicant records in one file (%d applicants, host and lead employer; over %d): ESR quarantines the whole file",
		records, n, MaxApplicantsPerPost)
	t.issue = fmt.Sprintf("Post has %d applicant records in one file (%d applicants, a record each for host and lead employer; over %d): ESR quarantines the whole file.",
		records, n, MaxApplicantsPerPost)
	return t
}
