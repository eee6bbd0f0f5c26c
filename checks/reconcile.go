package checks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"dpnkit/internal/model"
)

// Canonical placement column names used in reconciliation findings
// (inputs.md §2); input.date findings carry the file's own header.
const (
	ColumnNPN       = "National Post Number"
	ColumnSurname   = "Surname"
	ColumnForenames = "Forenames"
	ColumnDOB       = "Date of Birth"
	ColumnStartDate = "Start Date"
	ColumnEndDate   = "End Date"
)

// NoGroup names the statistics group of placements with no managing
// deanery, employing body or matched VPD.
const NoGroup = "(none)"

// MaxApplicantsPerPost is the most applicant records one post may have in
// one APP file before ESR quarantines the whole file.
const MaxApplicantsPerPost = 40

// ReconcileOptions configure a reconciliation.
type ReconcileOptions struct {
	// AsOf is the as-of date (UTC midnight): placements that ended before
	// it are out of scope, and it places the transfer window.
	AsOf time.Time
}

// Reconciler matches TIS placements, streamed in batches, against the
// positions of a finished DPN check (checks.md "Placement
// reconciliation"). Add may be called from several goroutines at once;
// Finish is called once, after every Add has returned (calling it again
// returns the same result; Add after Finish is a mistake and is lost). The
// result does not depend on the order or the batching of the placements.
//
// Memory: each in-scope placement is cloned once by Add and moved once
// into the result by Finish; nothing else holds a copy of it.
//
// The rules, where checks.md is silent, are these:
//
// Scope: placements not ended before the as-of date (model.Placement.Ended).
// Ended placements leave nothing behind.
//
// Matching: the NPN, normalised as for dpn.duplicate (white space trimmed,
// upper case), against the DPNs of the active positions of every VPD. One
// position gives MatchYes; when the raw texts differ (a trailing space in
// ESR, lower case in TIS) it is still a match, and the Issue names both
// texts and where to correct them. More than one gives MatchMany and
// placement.many-positions. None, while an end-dated or eliminated position
// carries it, gives MatchEndDated and placement.no-position saying so. None
// at all gives MatchNone and placement.no-position with HEE's wording.
// Unmatched placements (and end-dated matches) get at most three
// suggestions from SuggestIndex. Vacancies are matched like trainees.
//
// Vacancies (RECRUIT - VACANCY): placement.vacancy (info); they are not
// trainees, so no missing-field, overlap, bucket or export (Export is
// BLOCKED, and the statistics' export counts leave them out).
//
// Dates: an unreadable date is an input.date error (and is not reported
// again as missing); an end date before the start date is
// placement.dates.
//
// placement.missing-field: one finding per trainee placement listing every
// empty one of last name, first name, date of birth (only when the file has
// a date of birth column), start date and end date.
//
// placement.overlap: on one NPN, two trainee placements of different
// trainees (different GMC numbers when both have one, else different
// surname and forenames) whose date ranges, both ends included, overlap,
// unless their WTEs add up to 1 or less (a job share; a WTE that is empty
// or not a number counts as 1). A placement with no end date runs on; one
// with no start date, or ending before it starts, is left out. Each
// placement involved gets one finding naming the others. Placements of one
// NPN are swept in start order, so the cost is n log n plus the overlapping
// pairs.
//
// ApplicantExport: BLOCKED: <reason> when the placement cannot be sent (a
// vacancy, a type that is not sent, not APPROVED, no NPN, no / several /
// end-dated positions, an unreadable date, a missing field, end before
// start, a bucket post), the first reason in that order; else NOT YET DUE when it
// starts on or after as-of + 13 weeks; else EXPORTED: inside the transfer
// window, or the window has already closed, in which case it was sent while
// the window was open.
//
// placement.bucket: more than 40 sendable trainee placements (type sent,
// approved, matched to one position) starting inside the transfer window
// (model.TransferWindow) on one position for one managing deanery (one APP
// file) make ESR quarantine the whole file. One finding per post, on its
// first placement by file and row; every placement of the post is BLOCKED
// and counts as an exception.
//
// position.no-placement (info): an active DPN position that no in-scope
// trainee placement matches (alone or among several positions); the
// message says when only a vacancy placeholder is there.
//
// Statistics are kept per managing deanery, employing body and VPD (of the
// first matched position, NoGroup when there is none, also for an empty
// deanery or body) and in total; unplaced positions count in their VPD's
// group and the total only. A placement is an exception when it has an
// error or warning finding, or is blocked by a bucket post.
type Reconciler struct {
	opts     ReconcileOptions
	pos      *Result
	active   map[string][]*model.Position // normalised DPN -> active positions, by VPD and number
	inactive map[string][]*model.Position // normalised DPN -> inactive positions
	ix       *SuggestIndex

	mu     sync.Mutex
	chunks []recChunk       // one per Add
	done   *ReconcileResult // Finish's result, returned again by a second call
}

// recChunk is what one Add kept: its in-scope placements and what was
// found out about each (info[i].res points at res[i]).
type recChunk struct {
	res  []PlacementResult
	info []recItem
}

// recItem is one in-scope placement and what was found out about it.
type recItem struct {
	res       *PlacementResult
	norm      string            // normalised NPN
	positions []*model.Position // Yes / Many: active; EndDated: inactive
	findings  []Finding         // in the order found
	issues    []string          // the Issue's sentences, in order
	block     string            // the first reason found in Add, "" when none
	late      string            // the bucket reason found in Finish
	bucket    int               // applicants of its bucket post, 0 when none
	sendable  bool              // trainee, type sent, approved
	dateIssue [3]bool           // unreadable start, end, date of birth
	vpd       string            // statistics group: VPD of the first position, or NoGroup
}

// NewReconciler prepares to reconcile placements against pos, the result of
// a DPN check run with Options.KeepInactive (without it, end-dated posts
// look like no post at all).
func NewReconciler(pos *Result, opts ReconcileOptions) *Reconciler {
	r := &Reconciler{opts: opts, pos: pos,
		active: make(map[string][]*model.Position), inactive: make(map[string][]*model.Position)}
	n := 0
	for i := range pos.VPDs {
		n += len(pos.VPDs[i].Positions) + len(pos.VPDs[i].Inactive)
	}
	r.ix = newSuggestIndex(n)
	for i := range pos.VPDs {
		v := &pos.VPDs[i]
		for j := range v.Positions {
			p := &v.Positions[j]
			k := model.NormalDPN(p.DPN)
			r.active[k] = append(r.active[k], p)
			r.ix.add(p, false)
		}
		for j := range v.Inactive {
			p := &v.Inactive[j]
			k := model.NormalDPN(p.DPN)
			r.inactive[k] = append(r.inactive[k], p)
			r.ix.add(p, true)
		}
	}
	return r
}

// Reconcile matches placements against pos in one go: Add then Finish. For
// tests and small inputs.
func Reconcile(pos *Result, placements []model.Placement, opts ReconcileOptions) *ReconcileResult {
	r := NewReconciler(pos, opts)
	r.Add(placements)
	return r.Finish(pos.Inputs, nil)
}

// Add reconciles one batch of placements. It is safe for concurrent use.
// The batch and its strings need only be valid during the call: whatever
// Add keeps, it copies.
func (r *Reconciler) Add(batch []model.Placement) {
	n := 0
	for i := range batch {
		if !batch[i].Ended(r.opts.AsOf) {
			n++
		}
	}
	if n == 0 {
		return
	}
	// Sized exactly: with 150,000 placements nationally, every byte of a
	// PlacementResult counts.
	c := recChunk{res: make([]PlacementResult, n), info: make([]recItem, n)}
	j := 0
	for i := range batch {
		if batch[i].Ended(r.opts.AsOf) {
			continue
		}
		c.res[j].Placement = batch[i].Clone()
		c.info[j].res = &c.res[j]
		r.examine(&c.info[j])
		j++
	}
	r.mu.Lock()
	r.chunks = append(r.chunks, c)
	r.mu.Unlock()
}

// examine does everything that needs only the placement itself: match,
// suggestions, vacancy, dates, missing fields, type and lifecycle.
func (r *Reconciler) examine(it *recItem) {
	p := &it.res.Placement
	it.norm = model.NormalDPN(p.NPN)
	it.res.Vacancy = p.IsVacancy()
	it.sendable = !it.res.Vacancy && p.TypeSent() && p.Approved()

	if it.res.Vacancy {
		it.block = "RECRUIT - VACANCY placeholder is not a trainee"
	} else if !p.TypeSent() {
		it.block = fmt.Sprintf("placement type %s is not sent to ESR", model.TrimWhite(p.PlacementType))
		it.issues = append(it.issues, fmt.Sprintf("Placement type %s is not sent to ESR.", model.TrimWhite(p.PlacementType)))
	} else if !p.Approved() {
		state := model.TrimWhite(p.Lifecycle)
		if state == "" {
			state = "without a lifecycle state"
		}
		it.block = fmt.Sprintf("placement is %s, not APPROVED", state)
		it.issues = append(it.issues, fmt.Sprintf("Placement is %s, not APPROVED: it is not sent to ESR until approved.", state))
	}

	r.match(it)

	for _, d := range p.DateIssues {
		kind := dateColumnKind(d.Column)
		if kind >= 0 {
			it.dateIssue[kind] = true
		}
		shown, value := fmt.Sprintf(" %q", d.Value), d.Value
		if kind == 2 { // a date of birth is personal: never repeated in a report
			shown, value = "", ""
		}
		it.findings = append(it.findings, r.finding(it, RuleInputDate, d.Column, value, fmt.Sprintf(
			"%s%s on %s could not be read as a date. Correct the date in TIS (e.g. 2026-08-05, 05/08/2026 or 05-AUG-2026).",
			d.Column, shown, placementRef(p))))
		it.issues = append(it.issues, fmt.Sprintf("%s%s is not a date.", d.Column, shown))
	}
	if len(p.DateIssues) > 0 && it.block == "" {
		it.block = "a date could not be read"
	}

	if !it.res.Vacancy {
		var missing, columns []string
		add := func(empty bool, words, column string) {
			if empty {
				missing = append(missing, words)
				columns = append(columns, column)
			}
		}
		add(model.TrimWhite(p.Surname) == "", "last name", ColumnSurname)
		add(model.TrimWhite(p.Forenames) == "", "first name", ColumnForenames)
		add(p.HasDOBColumn && p.DOB.IsZero() && !it.dateIssue[2], "date of birth", ColumnDOB)
		add(p.DateFrom.IsZero() && !it.dateIssue[0], "start date", ColumnStartDate)
		add(p.DateTo.IsZero() && !it.dateIssue[1], "end date", ColumnEndDate)
		if len(missing) > 0 {
			it.findings = append(it.findings, r.finding(it, RulePlacementMissingField, strings.Join(columns, ", "), "", fmt.Sprintf(
				"%s has no %s: ESR cannot create the applicant record without %s. Complete the placement in TIS.",
				capitalise(placementRef(p)), joinAnd(missing), itThem(len(missing)))))
			it.issues = append(it.issues, fmt.Sprintf("Missing %s.", joinAnd(missing)))
			if it.block == "" {
				it.block = "missing " + strings.Join(missing, ", ")
			}
		}
	}

	if !p.DateFrom.IsZero() && !p.DateTo.IsZero() && p.DateTo.Before(p.DateFrom) {
		it.findings = append(it.findings, r.finding(it, RulePlacementDates, ColumnEndDate, p.DateTo.Format("2006-01-02"), fmt.Sprintf(
			"%s ends on %s, before it starts on %s. Correct the dates in TIS.",
			capitalise(placementRef(p)), longDate(p.DateTo), longDate(p.DateFrom))))
		it.issues = append(it.issues, fmt.Sprintf("End date %s is before start date %s.", longDate(p.DateTo), longDate(p.DateFrom)))
		if it.block == "" {
			it.block = "end date before start date"
		}
	}

	if it.res.Vacancy {
		it.findings = append(it.findings, r.finding(it, RulePlacementVacancy, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s is a RECRUIT - VACANCY placeholder on %s: the post is unfilled and nothing is sent to ESR.",
			capitalise(placementRef(p)), npnText(p.NPN))))
		it.issues = append(it.issues, "Vacancy placeholder (RECRUIT - VACANCY), not a trainee.")
	}
}

// match finds the positions carrying the placement's NPN and reports
// placement.no-position and placement.many-positions.
func (r *Reconciler) match(it *recItem) {
	p := &it.res.Placement
	blockIfFree := func(reason string) {
		if it.block == "" {
			it.block = reason
		}
	}
	if it.norm == "" {
		it.res.Match = MatchNone
		it.vpd = NoGroup
		it.findings = append(it.findings, r.finding(it, RulePlacementNoPosition, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s: %s has no National Post Number. Add the post's NPN in TIS.", MatchNone, placementRef(p))))
		it.issues = append(it.issues, "The placement has no National Post Number.")
		blockIfFree("no National Post Number")
		return
	}
	if act := r.active[it.norm]; len(act) > 0 {
		it.positions = act
		it.vpd = act[0].VPD
		it.res.Positions = refs(act, false)
		if len(act) == 1 {
			it.res.Match = MatchYes
			if note := textsDiffer(p.NPN, act[0]); note != "" {
				it.issues = append(it.issues, note)
			}
			return
		}
		it.res.Match = MatchMany
		it.findings = append(it.findings, r.finding(it, RulePlacementManyPositions, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s: %d active ESR positions carry %s (%s): the applicant may land on the wrong position, or twice. Keep the DPN on one position in ESR.",
			MatchMany, len(act), npnText(p.NPN), positionList(act))))
		it.issues = append(it.issues, fmt.Sprintf("%d ESR positions carry %s: %s. Keep the DPN on one position only.",
			len(act), npnText(p.NPN), positionList(act)))
		blockIfFree(fmt.Sprintf("NPN is on %d ESR positions", len(act)))
		return
	}
	it.res.Suggestions = r.ix.Suggest(p.NPN)
	did := didYouMean(it.res.Suggestions)
	if in := r.inactive[it.norm]; len(in) > 0 {
		it.positions = in
		it.vpd = in[0].VPD
		it.res.Match = MatchEndDated
		it.res.Positions = refs(in, true)
		only := "The only ESR position carrying " + npnText(p.NPN) + " is " + inactiveList(in)
		fix := "re-open it or move the DPN to the live position"
		if len(in) > 1 {
			only = "The only ESR positions carrying " + npnText(p.NPN) + " are " + inactiveList(in)
			fix = "re-open one or move the DPN to the live position"
		}
		it.findings = append(it.findings, r.finding(it, RulePlacementNoPosition, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s: no active ESR position carries %s. %s: %s.%s", MatchNone, npnText(p.NPN), only, fix, did)))
		it.issues = append(it.issues, only+": "+fix+"."+did)
		blockIfFree("the only ESR position carrying the NPN is end-dated")
		return
	}
	it.res.Match = MatchNone
	it.vpd = NoGroup
	advice := " Check the DPN in ESR, or ask for the post to be created in ESR."
	if did != "" {
		advice = " Correct the NPN in TIS or the DPN in ESR so that they agree."
	}
	it.findings = append(it.findings, r.finding(it, RulePlacementNoPosition, ColumnNPN, p.NPN, fmt.Sprintf(
		"%s: no ESR position carries %s.%s%s", MatchNone, npnText(p.NPN), did, advice)))
	it.issues = append(it.issues, "No ESR position carries "+npnText(p.NPN)+"."+did)
	blockIfFree("no ESR position carries the NPN")
}

// finding builds a reconciliation finding about the placement of it. The
// VPD and position number are those of its one matched (or end-dated)
// position, when there is one.
func (r *Reconciler) finding(it *recItem, rule, column, value, msg string) Finding {
	sev, ok := reconcileSeverity[rule]
	if !ok {
		sev = severityOf[rule] // input.date
	}
	p := &it.res.Placement
	f := Finding{Rule: rule, Severity: sev, File: p.File, Row: p.Row, Column: column,
		PlacementID: model.TrimWhite(p.ID), Value: value, Message: msg}
	if len(it.positions) > 0 {
		f.VPD = it.positions[0].VPD
		if len(it.positions) == 1 {
			f.PositionNumber = it.positions[0].Number
		}
	}
	return f
}

var reconcileSeverity = func() map[string]Severity {
	m := make(map[string]Severity, len(ReconcileCatalogue))
	for _, r := range ReconcileCatalogue {
		m[r.ID] = r.Severity
	}
	return m
}()

// itThem is the pronoun for n things.
func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// dateColumnKind guesses which date a header names: 0 start, 1 end, 2 date
// of birth, -1 unknown (inputs.md §2 aliases).
func dateColumnKind(header string) int {
	h := strings.ToLower(header)
	switch {
	case strings.Contains(h, "birth") || strings.Contains(h, "dob"):
		return 2
	case strings.Contains(h, "start") || strings.Contains(h, "from"):
		return 0
	case strings.Contains(h, "end") || strings.HasSuffix(strings.TrimSpace(h), "to"):
		return 1
	}
	return -1
}

// refs turns positions into PositionRefs.
func refs(ps []*model.Position, endDated bool) []PositionRef {
	out := make([]PositionRef, len(ps))
	for i, p := range ps {
		out[i] = PositionRef{VPD: p.VPD, PositionNumber: p.Number, DPN: p.DPN, EndDated: endDated}
	}
	return out
}

// textsDiffer notes a match whose raw texts differ, and where to correct
// them: an NPN with stray spaces or lower case in TIS, a DPN with them in
// ESR.
func textsDiffer(npn string, p *model.Position) string {
	if npn == p.DPN {
		return ""
	}
	var where []string
	if npn != model.NormalDPN(npn) {
		where = append(where, fmt.Sprintf("correct the NPN in TIS to %s", model.NormalDPN(npn)))
	}
	if p.DPN != model.NormalDPN(p.DPN) {
		where = append(where, fmt.Sprintf("correct the DPN of %s (VPD %s) in ESR to %s", positionRef(p), p.VPD, model.NormalDPN(p.DPN)))
	}
	return fmt.Sprintf("Matched, but the texts differ: NPN %q in TIS, DPN %q in ESR; %s.", npn, p.DPN, joinAnd(where))
}

// npnText shows an NPN or DPN in a message: as it is, or quoted when it has
// white space at either end or characters that do not print.
func npnText(s string) string {
	if s == model.TrimWhite(s) && readableASCII(s) {
		return s
	}
	return strconv.Quote(s)
}

// placementRef names a placement in a message: "placement 1716002", or
// "the placement on row 7" when it has no id.
func placementRef(p *model.Placement) string {
	if id := model.TrimWhite(p.ID); id != "" {
		return "placement " + id
	}
	return "the placement on row " + strconv.Itoa(p.Row)
}

// positionList names positions: "position 1 (VPD 504) and position 2 (VPD 505)".
func positionList(ps []*model.Position) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = fmt.Sprintf("%s (VPD %s)", positionRef(p), p.VPD)
	}
	return joinAnd(names)
}

// inactiveList names inactive positions and why they are inactive:
// "position 1 (VPD 504), end-dated on 31 July 2026".
func inactiveList(ps []*model.Position) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = fmt.Sprintf("%s (VPD %s), %s", positionRef(p), p.VPD, inactiveWhy(p))
	}
	return joinAnd(names)
}

// inactiveWhy says why a position is not active: eliminated, deleted or
// end-dated on a date.
func inactiveWhy(p *model.Position) string {
	st := model.TrimWhite(p.HiringStatus)
	switch {
	case strings.EqualFold(st, "Eliminated"):
		return "eliminated"
	case strings.EqualFold(st, "Deleted"):
		return "deleted"
	case !p.EffectiveTo.IsZero():
		return "end-dated on " + longDate(p.EffectiveTo)
	}
	return "end-dated"
}

// didYouMean puts suggestions in words: " Did you mean A (position 1, VPD
// 504: letter O typed for zero) or B (...)?", or "" when there are none.
func didYouMean(ss []Suggestion) string {
	if len(ss) == 0 {
		return ""
	}
	items := make([]string, len(ss))
	for i, s := range ss {
		where := fmt.Sprintf("position %s, VPD %s", model.TrimWhite(s.PositionNumber), s.VPD)
		if s.EndDated && s.Kind != SuggestEndDated {
			where += ", end-dated"
		}
		items[i] = fmt.Sprintf("%s (%s: %s)", npnText(s.DPN), where, s.Kind)
	}
	return " Did you mean " + joinOr(items) + "?"
}

// joinOr joins items as English: "a", "a or b", "a, b or c".
func joinOr(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// longDate writes a date as "5 August 2026".
func longDate(t time.Time) string { return t.Format("2 January 2006") }

// Finish runs the rules that need every placement (overlap, bucket,
// position.no-placement), settles each placement's export, issue and
// exception, counts the statistics and sorts everything. positionInputs
// and placementInputs describe the files read, for the report.
func (r *Reconciler) Finish(positionInputs, placementInputs []model.Input) *ReconcileResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done != nil {
		return r.done
	}

	// Move every placement into the result's one slice, chunk by chunk,
	// letting each chunk go once moved: a placement is never held twice.
	n := 0
	for _, c := range r.chunks {
		n += len(c.res)
	}
	all := make([]PlacementResult, n)
	items := make([]*recItem, n) // the chunks' infos stay where they are
	at := 0
	for k := range r.chunks {
		c := &r.chunks[k]
		copy(all[at:], c.res)
		for j := range c.info {
			items[at] = &c.info[j]
			items[at].res = &all[at]
			at++
		}
		c.res = nil
	}
	r.chunks = nil

	// The rules over every placement work in a canonical order (file, row,
	// id, ...), so that nothing depends on arrival.
	canon := make([]int32, n)
	for i := range canon {
		canon[i] = int32(i)
	}
	sort.Slice(canon, func(a, b int) bool { return itemLess(items[canon[a]], items[canon[b]]) })
	r.overlaps(items, canon)
	r.buckets(items, canon)

	res := &ReconcileResult{AsOf: r.opts.AsOf, PositionInputs: positionInputs, PlacementInputs: placementInputs,
		PositionCheck: r.pos}
	placed, vacant := make(map[*model.Position]bool), make(map[*model.Position]bool)
	notDue := r.opts.AsOf.AddDate(0, 0, 7*13)
	for _, i := range canon {
		it := items[i]
		pr := it.res
		block := it.block
		if block == "" {
			block = it.late
		}
		switch {
		case block != "":
			pr.Export = ExportBlocked + ": " + block
		case !pr.Placement.DateFrom.Before(notDue):
			pr.Export = ExportNotYetDue
		default:
			pr.Export = ExportExported
		}
		pr.Issue = strings.Join(it.issues, " ")
		pr.Exception = it.bucket > 0
		for _, f := range it.findings {
			if f.Severity >= Warning {
				pr.Exception = true
			}
		}
		res.Findings = append(res.Findings, it.findings...)
		if pr.Match == MatchYes || pr.Match == MatchMany {
			for _, p := range it.positions {
				if pr.Vacancy {
					vacant[p] = true
				} else {
					placed[p] = true
				}
			}
		}
	}

	unplacedByVPD := make(map[string]int)
	for i := range r.pos.VPDs {
		v := &r.pos.VPDs[i]
		for j := range v.Positions {
			p := &v.Positions[j]
			if placed[p] {
				continue
			}
			res.Unplaced = append(res.Unplaced, *p)
			unplacedByVPD[p.VPD]++
			what := "no current or future TIS placement"
			if vacant[p] {
				what = "only a RECRUIT - VACANCY placeholder in TIS"
			}
			res.Findings = append(res.Findings, Finding{Rule: RulePositionNoPlacement, Severity: Info, VPD: p.VPD,
				File: p.File, Row: p.Row, Column: ColumnDPN, PositionNumber: p.Number, Value: p.DPN,
				Message: fmt.Sprintf("%s (DPN %s) has %s: a vacancy, or a DPN that is no longer used. If the post is no longer a training post, end-date it or remove the DPN.",
					capitalise(positionRef(p)), npnText(p.DPN), what)})
		}
	}

	r.stats(res, items, unplacedByVPD)
	sortReconcileFindings(res.Findings)

	// Sort by moving each placement once along the cycles of the order,
	// not by swapping large values log n times each.
	ord := canon
	sort.Slice(ord, func(a, b int) bool { return placementLess(&all[ord[a]], &all[ord[b]]) })
	permute(all, ord)
	res.Placements = all
	r.done = res
	return res
}

// permute rearranges a so that the new a[k] is the old a[ord[k]], moving
// each element once. It consumes ord.
func permute(a []PlacementResult, ord []int32) {
	for k := range ord {
		if ord[k] < 0 {
			continue
		}
		if int(ord[k]) == k {
			ord[k] = -1
			continue
		}
		tmp := a[k]
		j := k
		for {
			next := int(ord[j])
			ord[j] = -1
			if next == k {
				a[j] = tmp
				break
			}
			a[j] = a[next]
			j = next
		}
	}
}

// itemLess is the canonical order of placements before Finish's work:
// file, row, id, then the remaining values.
func itemLess(a, b *recItem) bool {
	pa, pb := &a.res.Placement, &b.res.Placement
	switch {
	case pa.File != pb.File:
		return pa.File < pb.File
	case pa.Row != pb.Row:
		return pa.Row < pb.Row
	case pa.ID != pb.ID:
		return pa.ID < pb.ID
	case pa.NPN != pb.NPN:
		return pa.NPN < pb.NPN
	case !pa.DateFrom.Equal(pb.DateFrom):
		return pa.DateFrom.Before(pb.DateFrom)
	case pa.Surname != pb.Surname:
		return pa.Surname < pb.Surname
	}
	return pa.Forenames < pb.Forenames
}

// placementLess orders the result: exceptions first, then managing
// deanery, NPN, start date, placement id, file and row.
func placementLess(a, b *PlacementResult) bool {
	pa, pb := &a.Placement, &b.Placement
	switch {
	case a.Exception != b.Exception:
		return a.Exception
	case pa.ManagingDeanery != pb.ManagingDeanery:
		return pa.ManagingDeanery < pb.ManagingDeanery
	case pa.NPN != pb.NPN:
		return pa.NPN < pb.NPN
	case !pa.DateFrom.Equal(pb.DateFrom):
		return pa.DateFrom.Before(pb.DateFrom)
	case pa.ID != pb.ID:
		return pa.ID < pb.ID
	case pa.File != pb.File:
		return pa.File < pb.File
	}
	return pa.Row < pb.Row
}

// sortReconcileFindings orders findings by file, row and rule, then by the
// remaining fields so that the order never depends on arrival.
func sortReconcileFindings(fs []Finding) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Row != b.Row:
			return a.Row < b.Row
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		case a.PlacementID != b.PlacementID:
			return a.PlacementID < b.PlacementID
		case a.PositionNumber != b.PositionNumber:
			return a.PositionNumber < b.PositionNumber
		case a.Value != b.Value:
			return a.Value < b.Value
		case a.Column != b.Column:
			return a.Column < b.Column
		}
		return a.Message < b.Message
	})
}
