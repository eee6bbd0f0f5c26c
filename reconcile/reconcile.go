package reconcile

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"dpnkit/checks"
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

// Options configure a reconciliation.
type Options struct {
	// AsOf is the as-of date (UTC midnight): placements that ended before
	// it are out of scope, and it places the transfer window.
	AsOf time.Time
	// Lean keeps only what the reconciliation and its reports use of each
	// placement (KeptPlacement): PlacementResult.Full stays nil. That saves
	// about 600 bytes and a copy of every personal field per placement; a
	// national run has ~150,000. Jobs that build applicant records from the
	// placements need Full.
	Lean bool
	// KeepFull, when set (and Lean is not), keeps Full only for the
	// placements it accepts; the others' Full stays nil. The interface run
	// needs every field only of the placements it may send as applicants
	// (those starting in the transfer window): the rest is a few hundred
	// megabytes it would hold for nothing.
	KeepFull func(*model.Placement) bool
	// NoSuggestions skips "did you mean": no suggestion index is built and
	// PlacementResult.Suggestions stays nil (the findings and issue texts
	// then offer none). The interface run uses the matches, not the
	// suggestions, which are the exception report's.
	NoSuggestions bool
}

// Reconciler matches TIS placements against the positions of a finished
// position check (checks.md "Placement reconciliation"). Placements come
// in through a PlacementBuffer (AddBuffer); Finish, called once every
// AddBuffer has returned, runs the rules over every placement and returns
// the Result (a second call returns the same). The result does not depend
// on the order or the batching of the placements.
//
// Each placement is matched on its NPN, normalised as for dpn.duplicate,
// against the DPNs of the active positions of every VPD: one position (or
// a host/lead employer pair) is MatchYes, more is MatchMany, none
// MatchEndDated or MatchNone, with "did you mean" suggestions from a
// SuggestIndex. docs/reconcile.md states every rule where checks.md is
// silent (scope, overlap, bucket, export, statistics) and what is kept.
type Reconciler struct {
	opts     Options
	pos      *checks.Result
	active   map[string][]*model.Position // normalised DPN -> active positions, by VPD and number
	inactive map[string][]*model.Position // normalised DPN -> inactive positions
	ix       *SuggestIndex
	memo     *suggestMemo // ix's suggestions by NPN, as found

	mu     sync.Mutex
	chunks []*recChunk // one per Add
	prep   *prepared   // of exactly chunks, from a prepared PlacementBuffer; nil when not
	done   *Result     // Finish's result, returned again by a second call
	read   int         // placements given to Add (or kept in a buffer handed over)
	ended  int         // of them, left out as ended (outOfScope)
}

// prepared is the work on a set of chunks that needs only the kept
// placements, not the positions: their canonical order, the order of the
// result but for exceptions, and which placements overlap.
type prepared struct {
	items  []*recItem            // canonical order (file, row, id, ...)
	order  []int32               // indexes into items: the result's order, exceptions not yet first
	others map[int32]overlapNote // findOverlaps
	chunks int                   // how many chunks it was made of
}

// prepare does the prepared work on chunks, in two goroutines.
func prepare(chunks []*recChunk) *prepared {
	// A loader's chunks are each in file order already: with the chunks in
	// order, the canonical sort has little left to do.
	chunks = slices.Clone(chunks)
	slices.SortFunc(chunks, func(a, b *recChunk) int { return itemCmp(&a.items[0], &b.items[0]) })
	n := 0
	for _, c := range chunks {
		n += len(c.items)
	}
	p := &prepared{items: make([]*recItem, 0, n), chunks: len(chunks)}
	for _, c := range chunks {
		for j := range c.items {
			p.items = append(p.items, &c.items[j])
		}
	}
	slices.SortFunc(p.items, itemCmp)
	var wg sync.WaitGroup
	wg.Go(func() { p.order = resultOrder(p.items) })
	p.others = findOverlaps(p.items)
	wg.Wait()
	return p
}

// recChunk is what one Add kept: its in-scope placements and what was
// found out about each (items[i].p is &places[i]).
type recChunk struct {
	places []KeptPlacement
	items  []recItem
}

// recItem is one in-scope placement and what was found out about it. It
// is kept small; what only a few placements have is in more.
type recItem struct {
	p          *KeptPlacement
	full       *model.Placement  // unless Options.Lean
	positions  []*model.Position // Yes / Many: active; EndDated: inactive
	more       *recMore          // nil unless the placement has something rare
	wte        float64           // the WTE as a number; empty or not a number is 1
	match      matchKind
	export     exportKind // settled in Finish
	vacancy    bool       // a RECRUIT - VACANCY placeholder
	typeSent   bool       // its placement type is sent to ESR
	approved   bool       // APPROVED, or no lifecycle column
	dobMissing bool       // a date of birth column, and the date is empty or unreadable
	unreadable bool       // its dates cannot place it in time (datesUnusable)
	exception  bool       // settled in Finish
	dateIssue  [3]bool    // unreadable start, end, date of birth
}

// matchKind is a PositionMatch value: matchTexts[k].
type matchKind uint8

const (
	matchNone matchKind = iota
	matchYes
	matchMany
	matchEndDated
)

var matchTexts = [...]string{matchNone: MatchNone, matchYes: MatchYes, matchMany: MatchMany, matchEndDated: MatchEndDated}

// exportKind is an ApplicantExport value; a blocked one has a reason.
type exportKind uint8

const (
	exportBlocked exportKind = iota
	exportExported
	exportNotYetDue
)

// recMore is what some placements have.
type recMore struct {
	placementType string            // trimmed, when not sent
	lifecycle     string            // trimmed, when not approved
	dateIssues    []model.DateIssue // no value kept for a date of birth
	suggestions   []Suggestion
	block         string           // the first reason found in Add, "" when none
	late          string           // the bucket reason found in Finish
	bucket        int              // applicants of its bucket post, 0 when none
	findings      []checks.Finding // in the order found
	issues        []string         // the Issue's sentences, in order
}

func (it *recItem) moreOf() *recMore {
	if it.more == nil {
		it.more = &recMore{}
	}
	return it.more
}

// addFinding and addIssue record a finding and a sentence of the Issue.
func (it *recItem) addFinding(f checks.Finding) { m := it.moreOf(); m.findings = append(m.findings, f) }
func (it *recItem) addIssue(s string)           { m := it.moreOf(); m.issues = append(m.issues, s) }

// blockIfFree records why the placement cannot be sent, unless an earlier
// reason was found.
func (it *recItem) blockIfFree(reason string) {
	if m := it.moreOf(); m.block == "" {
		m.block = reason
	}
}

// blocked is the reason the placement cannot be sent: the first found in
// Add, else a bucket post's; "" when there is none.
func (it *recItem) blocked() string {
	if it.more == nil {
		return ""
	}
	if it.more.block != "" {
		return it.more.block
	}
	return it.more.late
}

func (it *recItem) findings() []checks.Finding {
	if it.more == nil {
		return nil
	}
	return it.more.findings
}

// sendable reports a trainee whose placement type is sent and which is
// approved.
func (it *recItem) sendable() bool { return !it.vacancy && it.typeSent && it.approved }

// group is the statistics group of VPD: that of the first position, or
// NoGroup.
func (it *recItem) group() string {
	if len(it.positions) > 0 {
		return it.positions[0].VPD
	}
	return NoGroup
}

// New prepares to reconcile placements against pos, the result of
// a DPN check run with Options.KeepInactive (without it, end-dated posts
// look like no post at all).
func New(pos *checks.Result, opts Options) *Reconciler {
	r := &Reconciler{opts: opts, pos: pos}
	nAct, nIn := 0, 0
	for i := range pos.VPDs {
		nAct += len(pos.VPDs[i].Positions)
		nIn += len(pos.VPDs[i].Inactive)
	}
	// The suggestion index and the match maps are independent: build them
	// side by side.
	var wg sync.WaitGroup
	wg.Go(func() {
		if opts.NoSuggestions {
			return
		}
		ix := newSuggestIndex(nAct + nIn)
		for i := range pos.VPDs {
			v := &pos.VPDs[i]
			for j := range v.Positions {
				ix.add(&v.Positions[j], false)
			}
			for j := range v.Inactive {
				ix.add(&v.Inactive[j], true)
			}
		}
		r.ix, r.memo = ix, &suggestMemo{m: make(map[string][]Suggestion)}
	})
	r.active = positionMap(pos, nAct, func(v *checks.VPDResult) []model.Position { return v.Positions })
	r.inactive = positionMap(pos, nIn, func(v *checks.VPDResult) []model.Position { return v.Inactive })
	wg.Wait()
	return r
}

// positionMap maps the normalised DPN of each of the n positions that list
// picks from every VPD to the positions carrying it, in VPD and list order.
// A DPN on one position, the usual case, costs no slice of its own.
func positionMap(pos *checks.Result, n int, list func(v *checks.VPDResult) []model.Position) map[string][]*model.Position {
	m := make(map[string][]*model.Position, n)
	one := make([]*model.Position, n)
	k := 0
	for i := range pos.VPDs {
		ps := list(&pos.VPDs[i])
		for j := range ps {
			p := &ps[j]
			key := model.NormalDPN(p.DPN)
			if have, ok := m[key]; ok {
				m[key] = append(have, p) // have is full: this copies it
				continue
			}
			one[k] = p
			m[key] = one[k : k+1 : k+1]
			k++
		}
	}
	return m
}

// PlacementBuffer keeps placements before the positions they are to be
// reconciled against are known, so that both can be read at once: Add
// keeps, Reconciler.AddBuffer does the rest.
type PlacementBuffer struct {
	opts   Options
	mu     sync.Mutex
	chunks []*recChunk
	prep   *prepared // by Prepare, of exactly chunks
	read   int       // placements given to Add
	ended  int       // of them, left out as ended
}

// NewPlacementBuffer makes an empty buffer for a reconciliation with opts.
func NewPlacementBuffer(opts Options) *PlacementBuffer {
	return &PlacementBuffer{opts: opts}
}

// Add keeps one batch of placements (the in-scope ones). It is safe
// for concurrent use.
func (b *PlacementBuffer) Add(batch []model.Placement) {
	c, ended := keepBatch(batch, b.opts)
	b.mu.Lock()
	b.read += len(batch)
	b.ended += ended
	if c != nil {
		b.chunks = append(b.chunks, c)
		b.prep = nil
	}
	b.mu.Unlock()
}

// Prepare does the part of the reconciliation that needs only the
// placements (their order, which of them overlap), so that it can run
// while the positions are still being checked; AddBuffer does it
// otherwise. Call it after the last Add.
func (b *PlacementBuffer) Prepare() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.prep == nil && len(b.chunks) > 0 {
		b.prep = prepare(b.chunks)
	}
}

// AddBuffer reconciles every placement of b, in up to workers goroutines
// (at least one), and empties b. b must have been made with the
// reconciler's options, and no b.Add may run meanwhile.
func (r *Reconciler) AddBuffer(b *PlacementBuffer, workers int) {
	b.mu.Lock()
	chunks, prep, read, ended := b.chunks, b.prep, b.read, b.ended
	b.chunks, b.prep, b.read, b.ended = nil, nil, 0, 0
	b.mu.Unlock()
	next := make(chan *recChunk)
	var wg sync.WaitGroup
	for range max(1, min(workers, len(chunks))) {
		wg.Go(func() {
			for c := range next {
				r.examine(c)
			}
		})
	}
	for _, c := range chunks {
		next <- c
	}
	close(next)
	wg.Wait()
	r.mu.Lock()
	if len(r.chunks) == 0 {
		r.prep = prep // still of exactly the reconciler's chunks
	} else {
		r.prep = nil
	}
	r.chunks = append(r.chunks, chunks...)
	r.read += read
	r.ended += ended
	r.mu.Unlock()
}

// keepBatch keeps the in-scope placements of batch (all but those
// outOfScope), with what examine needs of the fields that are not kept;
// nil when none is in scope. ended is how many it left out.
func keepBatch(batch []model.Placement, opts Options) (c *recChunk, ended int) {
	n, size := 0, 0
	for i := range batch {
		p := &batch[i]
		if !outOfScope(p, opts.AsOf) {
			n++
			size += len(p.ID) + len(p.NPN) + len(p.Surname) + len(p.Forenames) + len(p.GMC) + len(p.Email)
		}
	}
	if n == 0 {
		return nil, len(batch)
	}
	c = &recChunk{places: make([]KeptPlacement, n), items: make([]recItem, n)}
	k := keeper{buf: make([]byte, 0, size), shared: make(map[string]string, 64)}
	j := 0
	for i := range batch {
		src := &batch[i]
		if outOfScope(src, opts.AsOf) {
			continue
		}
		p, it := &c.places[j], &c.items[j]
		j++
		k.keep(p, src)
		it.p = p
		if !opts.Lean && (opts.KeepFull == nil || opts.KeepFull(src)) {
			full := src.Clone()
			it.full = &full
		}
		it.vacancy = src.IsVacancy()
		it.unreadable = datesUnusable(src)
		it.wte = wte(src.WTE)
		it.typeSent, it.approved = src.TypeSent(), src.Approved()
		it.dobMissing = src.HasDOBColumn && src.DOB.IsZero()
		if !it.typeSent {
			it.moreOf().placementType = k.share(model.TrimWhite(src.PlacementType))
		}
		if !it.approved {
			it.moreOf().lifecycle = k.share(model.TrimWhite(src.Lifecycle))
		}
		if len(src.DateIssues) > 0 {
			ds := make([]model.DateIssue, len(src.DateIssues))
			for i, d := range src.DateIssues {
				ds[i].Column = k.share(d.Column)
				if dateColumnKind(d.Column) != 2 { // a date of birth is personal: never kept
					ds[i].Value = k.own(d.Value)
				}
			}
			it.moreOf().dateIssues = ds
		}
	}
	return c, len(batch) - n
}

// keeper copies what is kept of a batch's placements out of the loader's
// buffers: the texts that differ from row to row into one block, those
// that repeat once each.
type keeper struct {
	buf    []byte
	shared map[string]string
}

// own copies s into the block.
func (k *keeper) own(s string) string {
	if s == "" {
		return ""
	}
	if len(k.buf)+len(s) > cap(k.buf) { // only for what the block was not sized for
		k.buf = make([]byte, 0, max(len(s), 4096))
	}
	at := len(k.buf)
	k.buf = append(k.buf, s...)
	// The block is only ever appended to, so the bytes under a string
	// handed out never change.
	return unsafe.String(&k.buf[at], len(s))
}

// share returns one copy of s for the whole batch.
func (k *keeper) share(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := k.shared[s]; ok {
		return v
	}
	v := strings.Clone(s)
	k.shared[v] = v
	return v
}

// keep sets *dst to what is kept of p.
func (k *keeper) keep(dst *KeptPlacement, p *model.Placement) {
	*dst = KeptPlacement{
		ID: k.own(p.ID), NPN: k.own(p.NPN), Surname: k.own(p.Surname), Forenames: k.own(p.Forenames),
		GMC: k.own(p.GMC), DateFrom: p.DateFrom, DateTo: p.DateTo, Grade: k.share(p.Grade),
		Specialty: k.share(p.Specialty), EmployingBody: k.share(p.EmployingBody),
		TrainingBody: k.share(p.TrainingBody), ManagingDeanery: k.share(p.ManagingDeanery),
		Site: k.share(p.Site), WTE: k.share(p.WTE), Email: k.own(p.Email),
		File: k.share(p.File), Row: p.Row,
	}
}

// examine matches every placement of c and notes what needs only the
// placement itself: vacancy, type, lifecycle, dates and missing fields.
func (r *Reconciler) examine(c *recChunk) {
	for i := range c.items {
		r.examineOne(&c.items[i])
	}
}

func (r *Reconciler) examineOne(it *recItem) {
	p := it.p
	if it.vacancy {
		it.blockIfFree("RECRUIT - VACANCY placeholder is not a trainee")
	} else if !it.typeSent {
		t := it.more.placementType
		it.blockIfFree(fmt.Sprintf("placement type %s is not sent to ESR", t))
		it.addIssue(fmt.Sprintf("Placement type %s is not sent to ESR.", t))
	} else if !it.approved {
		state := it.more.lifecycle
		if state == "" {
			state = "without a lifecycle state"
		}
		it.blockIfFree(fmt.Sprintf("placement is %s, not APPROVED", state))
		it.addIssue(fmt.Sprintf("Placement is %s, not APPROVED: it is not sent to ESR until approved.", state))
	}

	r.match(it)

	var dateIssues []model.DateIssue
	if it.more != nil {
		dateIssues = it.more.dateIssues
	}
	for _, d := range dateIssues {
		kind := dateColumnKind(d.Column)
		if kind >= 0 {
			it.dateIssue[kind] = true
		}
		shown, value := fmt.Sprintf(" %q", d.Value), d.Value
		if kind == 2 { // a date of birth is personal: never repeated in a report
			shown, value = "", ""
		}
		it.addFinding(r.finding(it, checks.RuleInputDate, d.Column, value, fmt.Sprintf(
			"%s%s on %s could not be read as a date. Correct the date in TIS (e.g. 2026-08-05, 05/08/2026 or 05-AUG-2026).",
			d.Column, shown, placementRef(p))))
		it.addIssue(fmt.Sprintf("%s%s is not a date.", d.Column, shown))
	}
	if len(dateIssues) > 0 {
		it.blockIfFree("a date could not be read")
	}

	if !it.vacancy {
		var missing, columns []string
		add := func(empty bool, words, column string) {
			if empty {
				missing = append(missing, words)
				columns = append(columns, column)
			}
		}
		add(model.TrimWhite(p.Surname) == "", "last name", ColumnSurname)
		add(model.TrimWhite(p.Forenames) == "", "first name", ColumnForenames)
		add(it.dobMissing && !it.dateIssue[2], "date of birth", ColumnDOB)
		add(p.DateFrom.IsZero() && !it.dateIssue[0], "start date", ColumnStartDate)
		add(p.DateTo.IsZero() && !it.dateIssue[1], "end date", ColumnEndDate)
		if len(missing) > 0 {
			it.addFinding(r.finding(it, RulePlacementMissingField, strings.Join(columns, ", "), "", fmt.Sprintf(
				"%s has no %s: ESR cannot create the applicant record without %s. Complete the placement in TIS.",
				model.Capitalise(placementRef(p)), model.JoinAnd(missing), itThem(len(missing)))))
			it.addIssue(fmt.Sprintf("Missing %s.", model.JoinAnd(missing)))
			it.blockIfFree("missing " + strings.Join(missing, ", "))
		}
	}

	if !p.DateFrom.IsZero() && !p.DateTo.IsZero() && p.DateTo.Before(p.DateFrom) {
		it.addFinding(r.finding(it, RulePlacementDates, ColumnEndDate, p.DateTo.Format("2006-01-02"), fmt.Sprintf(
			"%s ends on %s, before it starts on %s. Correct the dates in TIS.",
			model.Capitalise(placementRef(p)), longDate(p.DateTo), longDate(p.DateFrom))))
		it.addIssue(fmt.Sprintf("End date %s is before start date %s.", longDate(p.DateTo), longDate(p.DateFrom)))
		it.blockIfFree("end date before start date")
	}

	if it.vacancy {
		it.addFinding(r.finding(it, RulePlacementVacancy, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s is a RECRUIT - VACANCY placeholder on %s: the post is unfilled and nothing is sent to ESR.",
			model.Capitalise(placementRef(p)), npnText(p.NPN))))
		it.addIssue("Vacancy placeholder (RECRUIT - VACANCY), not a trainee.")
	}
}

// match finds the positions carrying the placement's NPN and reports
// placement.no-position and placement.many-positions.
func (r *Reconciler) match(it *recItem) {
	p := it.p
	norm := model.NormalDPN(p.NPN)
	if norm == "" {
		it.match = matchNone
		it.addFinding(r.finding(it, RulePlacementNoPosition, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s: %s has no National Post Number. Add the post's NPN in TIS.", MatchNone, placementRef(p))))
		it.addIssue("The placement has no National Post Number.")
		it.blockIfFree("no National Post Number")
		return
	}
	if act := r.active[norm]; len(act) > 0 {
		it.positions = act
		if len(act) == 1 || checks.HostLeadPair(act) { // a host/lead employer pair: one post, both positions
			it.match = matchYes
			for _, pos := range act {
				if note := textsDiffer(p.NPN, pos); note != "" {
					it.addIssue(note)
				}
			}
			return
		}
		it.match = matchMany
		it.addFinding(r.finding(it, RulePlacementManyPositions, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s: %d active ESR positions carry %s (%s): the applicant may land on the wrong position, or twice. %s",
			MatchMany, len(act), npnText(p.NPN), positionList(act), manyPositionsAdvice(act))))
		it.addIssue(fmt.Sprintf("%d ESR positions carry %s: %s. %s",
			len(act), npnText(p.NPN), positionList(act), manyPositionsIssue(act)))
		it.blockIfFree(fmt.Sprintf("NPN is on %d ESR positions", len(act)))
		return
	}
	var suggestions []Suggestion
	if r.ix != nil {
		suggestions = r.memo.suggest(r.ix, p.NPN)
	}
	if len(suggestions) > 0 {
		it.moreOf().suggestions = suggestions
	}
	did := DidYouMean(suggestions)
	if in := r.inactive[norm]; len(in) > 0 {
		it.positions = in
		it.match = matchEndDated
		only := "The only ESR position carrying " + npnText(p.NPN) + " is " + inactiveList(in)
		fix := "re-open it or move the DPN to the live position"
		if len(in) > 1 {
			only = "The only ESR positions carrying " + npnText(p.NPN) + " are " + inactiveList(in)
			fix = "re-open one or move the DPN to the live position"
		}
		it.addFinding(r.finding(it, RulePlacementNoPosition, ColumnNPN, p.NPN, fmt.Sprintf(
			"%s: no active ESR position carries %s. %s: %s.%s", MatchNone, npnText(p.NPN), only, fix, did)))
		it.addIssue(only + ": " + fix + "." + did)
		it.blockIfFree("the only ESR position carrying the NPN is end-dated")
		return
	}
	it.match = matchNone
	advice := " Check the DPN in ESR, or ask for the post to be created in ESR."
	if did != "" {
		advice = " Correct the NPN in TIS or the DPN in ESR so that they agree."
	}
	it.addFinding(r.finding(it, RulePlacementNoPosition, ColumnNPN, p.NPN, fmt.Sprintf(
		"%s: no ESR position carries %s.%s%s", MatchNone, npnText(p.NPN), did, advice)))
	it.addIssue("No ESR position carries " + npnText(p.NPN) + "." + did)
	it.blockIfFree("no ESR position carries the NPN")
}

// suggestMemo keeps the suggestions found for each NPN, so that thousands
// of placements on one unknown NPN look it up once: a lookup costs the
// positions of its blocks (SuggestIndex), which for a common prefix or a
// DPN on thousands of end-dated posts is thousands. The placements of one
// NPN share the slice: it is never changed.
type suggestMemo struct {
	mu sync.Mutex
	m  map[string][]Suggestion
}

func (s *suggestMemo) suggest(ix *SuggestIndex, npn string) []Suggestion {
	s.mu.Lock()
	got, ok := s.m[npn]
	s.mu.Unlock()
	if ok {
		return got
	}
	got = ix.Suggest(npn)
	s.mu.Lock()
	s.m[strings.Clone(npn)] = got
	s.mu.Unlock()
	return got
}

// finding builds a reconciliation finding about the placement of it. The
// VPD and position number are those of its one matched (or end-dated)
// position, when there is one.
func (r *Reconciler) finding(it *recItem, rule, column, value, msg string) checks.Finding {
	sev := severityOf[rule] // a placement rule's, or input.date's
	p := it.p
	f := checks.Finding{Rule: rule, Severity: sev, File: p.File, Row: p.Row, Column: column,
		PlacementID: model.TrimWhite(p.ID), Value: value, Message: msg}
	if len(it.positions) > 0 {
		f.VPD = it.positions[0].VPD
		if len(it.positions) == 1 {
			f.PositionNumber = it.positions[0].Number
		}
	}
	return f
}

// severityOf maps each rule id a reconciliation reports (its own, and
// the position rules' input.date) to its catalogue severity.
var severityOf = func() map[string]checks.Severity {
	m := make(map[string]checks.Severity, len(checks.Catalogue)+len(Catalogue))
	for _, cat := range [][]checks.Rule{checks.Catalogue, Catalogue} {
		for _, r := range cat {
			m[r.ID] = r.Severity
		}
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
		where = append(where, fmt.Sprintf("correct the DPN of %s (VPD %s) in ESR to %s", model.PositionRef(p), p.VPD, model.NormalDPN(p.DPN)))
	}
	return fmt.Sprintf("Matched, but the texts differ: NPN %q in TIS, DPN %q in ESR; %s.", npn, p.DPN, model.JoinAnd(where))
}

// npnText shows an NPN or DPN in a message: as it is, or quoted when it has
// white space at either end or characters that do not print.
func npnText(s string) string {
	if s == model.TrimWhite(s) && model.ReadableASCII(s) {
		return s
	}
	return strconv.Quote(s)
}

// placementRef names a placement in a message: "placement 1716002", or
// "the placement on row 7" when it has no id.
func placementRef(p *KeptPlacement) string {
	if id := model.TrimWhite(p.ID); id != "" {
		return "placement " + id
	}
	return "the placement on row " + strconv.Itoa(p.Row)
}

// positionList names positions: "position 1 (VPD 504) and position 2 (VPD
// 505)"; at most maxNamed of them, then "and N more" (one DPN typed into
// thousands of posts must not make each placement's message list them).
func positionList(ps []*model.Position) string {
	return namedList(ps, func(p *model.Position) string { return fmt.Sprintf("%s (VPD %s)", model.PositionRef(p), p.VPD) })
}

// inactiveList names inactive positions and why they are inactive:
// "position 1 (VPD 504), end-dated on 31 July 2026"; at most maxNamed.
func inactiveList(ps []*model.Position) string {
	return namedList(ps, func(p *model.Position) string {
		return fmt.Sprintf("%s (VPD %s), %s", model.PositionRef(p), p.VPD, inactiveWhy(p))
	})
}

// namedList joins the names of the first maxNamed positions of ps, and
// says how many more there are.
func namedList(ps []*model.Position, name func(*model.Position) string) string {
	n := min(len(ps), maxNamed)
	names := make([]string, n, n+1)
	for i, p := range ps[:n] {
		names[i] = name(p)
	}
	if len(ps) > n {
		names = append(names, fmt.Sprintf("%d more", len(ps)-n))
	}
	return model.JoinAnd(names)
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

// DidYouMean puts suggestions in words: " Did you mean A (position 1, VPD
// 504: letter O typed for zero) or B (...)?", or "" when there are none.
// It is the sentence a placement's issue carries for its suggestions; the
// terminal's Issue column leaves it out, the suggestions having a column of
// their own.
func DidYouMean(ss []Suggestion) string {
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
func (r *Reconciler) Finish(positionInputs, placementInputs []model.Input) *Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done != nil {
		return r.done
	}
	items, order := r.runSetRules()
	res := &Result{AsOf: r.opts.AsOf, PositionInputs: positionInputs, PlacementInputs: placementInputs,
		PositionCheck: r.pos}
	res.Rows = r.rows(positionInputs, placementInputs, items)
	nActive := 0
	for i := range r.pos.VPDs {
		nActive += len(r.pos.VPDs[i].Positions)
	}
	placed, vacant := markPlaced(items, nActive)
	res.Findings = settleExports(items, r.opts.AsOf, nActive)
	filled := fillInOrder(res, items, order)
	unplacedByVPD := r.unplaced(res, placed, vacant, nActive)
	r.stats(res, items, unplacedByVPD)
	sortReconcileFindings(res.Findings)
	filled.Wait()
	r.done = res
	return res
}

// runSetRules lets the index of the positions go (every Add has returned)
// and runs the rules over every placement, overlap and bucket, in the
// canonical order (file, row, id, ...) so that nothing depends on arrival.
// It returns the placements in that order and the result's order.
func (r *Reconciler) runSetRules() (items []*recItem, order []int32) {
	r.active, r.inactive, r.ix, r.memo = nil, nil, nil, nil
	prep := r.prep
	if prep == nil || prep.chunks != len(r.chunks) {
		prep = prepare(r.chunks)
	}
	r.chunks, r.prep = nil, nil
	r.overlaps(prep.items, prep.others)
	r.buckets(prep.items, r.bucketGroups(prep.items))
	return prep.items, prep.order
}

// rows accounts for every row of both inputs (Rows).
func (r *Reconciler) rows(positionInputs, placementInputs []model.Input, items []*recItem) Rows {
	rows := Rows{Positions: checks.PositionRowsOf(r.pos)}
	rows.Positions.Skipped = checks.SkippedRows(positionInputs)
	rows.Placements = PlacementRows{Read: r.read, Ended: r.ended, Skipped: checks.SkippedRows(placementInputs)}
	countKept(&rows.Placements, items)
	return rows
}

// settleExports decides each placement's export (blocked, not yet due
// from 13 weeks after asOf, else exported) and whether it is an exception
// (an error or warning finding, or a bucket post), and returns every
// placement's findings, with room for the position.no-placement ones.
func settleExports(items []*recItem, asOf time.Time, nActive int) []checks.Finding {
	notDue := asOf.AddDate(0, 0, 7*13)
	nFindings := 0
	for _, it := range items {
		nFindings += len(it.findings())
	}
	findings := make([]checks.Finding, 0, nFindings+nActive/8)
	for _, it := range items {
		switch {
		case it.blocked() != "":
			it.export = exportBlocked
		case !it.p.DateFrom.Before(notDue):
			it.export = exportNotYetDue
		default:
			it.export = exportExported
		}
		if m := it.more; m != nil {
			it.exception = m.bucket > 0
			for _, f := range m.findings {
				if f.Severity >= checks.Warning {
					it.exception = true
				}
			}
			findings = append(findings, m.findings...)
		}
	}
	return findings
}

// fillInOrder makes res.Placements in the result's order (exceptions
// first, then as sorted), each placement's result made once, in its
// place, by up to GOMAXPROCS goroutines; wait on the WaitGroup returned
// before reading res.Placements.
func fillInOrder(res *Result, items []*recItem, order []int32) *sync.WaitGroup {
	final := make([]int32, 0, len(order))
	for _, i := range order {
		if items[i].exception {
			final = append(final, i)
		}
	}
	for _, i := range order {
		if !items[i].exception {
			final = append(final, i)
		}
	}
	rank := make([]int32, len(items)) // each item's place in order (PlacementResult.rank)
	for k, i := range order {
		rank[i] = int32(k)
	}
	res.Placements = make([]PlacementResult, len(items))
	parts := max(1, min(runtime.GOMAXPROCS(0), len(final)/4096))
	var wg sync.WaitGroup
	for part := range parts {
		lo, hi := part*len(final)/parts, (part+1)*len(final)/parts
		wg.Go(func() { fillResults(res.Placements[lo:hi], final[lo:hi], items, rank) })
	}
	return &wg
}

// unplaced lists the active positions no in-scope trainee placement
// matches in res.Unplaced, each with its position.no-placement finding,
// and returns how many there are by VPD.
func (r *Reconciler) unplaced(res *Result, placed, vacant map[*model.Position]bool, nActive int) map[string]int {
	byVPD := make(map[string]int)
	res.Unplaced = make([]model.Position, 0, nActive-len(placed))
	res.Findings = slices.Grow(res.Findings, nActive-len(placed))
	for i := range r.pos.VPDs {
		v := &r.pos.VPDs[i]
		for j := range v.Positions {
			p := &v.Positions[j]
			if placed[p] {
				continue
			}
			res.Unplaced = append(res.Unplaced, *p)
			byVPD[p.VPD]++
			what := "no current or future TIS placement"
			if vacant[p] {
				what = "only a RECRUIT - VACANCY placeholder in TIS"
			}
			res.Findings = append(res.Findings, checks.Finding{Rule: RulePositionNoPlacement, Severity: checks.Info, VPD: p.VPD,
				File: p.File, Row: p.Row, Column: checks.ColumnDPN, PositionNumber: p.Number, Value: p.DPN,
				Message: fmt.Sprintf("%s (DPN %s) has %s: a vacancy, or a DPN that is no longer used. If the post is no longer a training post, end-date it or remove the DPN.",
					model.Capitalise(model.PositionRef(p)), npnText(p.DPN), what)})
		}
	}
	return byVPD
}

// countKept counts the kept placements of items in rows: unreadable, else
// vacancy, else in scope (PlacementRows).
func countKept(rows *PlacementRows, items []*recItem) {
	for _, it := range items {
		switch {
		case it.unreadable:
			rows.Unreadable++
		case it.vacancy:
			rows.Vacancies++
		default:
			rows.InScope++
		}
	}
}

// markPlaced finds the positions that a trainee placement of items
// matches (alone or among several), and those a vacancy does; nActive
// sizes the first map.
func markPlaced(items []*recItem, nActive int) (placed, vacant map[*model.Position]bool) {
	placed, vacant = make(map[*model.Position]bool, nActive), make(map[*model.Position]bool)
	type listMark struct {
		positions        []*model.Position
		trainee, vacancy bool
	}
	lists := make(map[**model.Position]*listMark)
	for _, it := range items {
		switch {
		case it.match == matchYes && len(it.positions) == 1:
			if it.vacancy {
				vacant[it.positions[0]] = true
			} else {
				placed[it.positions[0]] = true
			}
		case it.match == matchYes || it.match == matchMany: // a host/lead pair, or many
			// Placements of one NPN share its list of positions: each
			// list is marked once, below, not once per placement.
			m := lists[unsafe.SliceData(it.positions)]
			if m == nil {
				m = &listMark{positions: it.positions}
				lists[unsafe.SliceData(it.positions)] = m
			}
			m.vacancy = m.vacancy || it.vacancy
			m.trainee = m.trainee || !it.vacancy
		}
	}
	for _, m := range lists {
		for _, p := range m.positions {
			if m.trainee {
				placed[p] = true
			}
			if m.vacancy {
				vacant[p] = true
			}
		}
	}
	return placed, vacant
}

// fillResults makes the result of items[order[k]] in out[k]; rank is
// each item's place in the result's order, exceptions aside.
func fillResults(out []PlacementResult, order []int32, items []*recItem, rank []int32) {
	n := 0
	for _, i := range order {
		if it := items[i]; it.match != matchNone {
			n += min(len(it.positions), MaxPositionRefs)
		}
	}
	refs := make([]PositionRef, 0, n)
	for k, i := range order {
		it := items[i]
		pr := &out[k]
		pr.Placement = it.p
		pr.Full = it.full
		pr.Match = matchTexts[it.match]
		pr.Vacancy = it.vacancy
		pr.TypeSent, pr.Approved = it.typeSent, it.approved
		pr.DateIssues = it.more != nil && len(it.more.dateIssues) > 0
		pr.Exception = it.exception
		pr.bucket = it.more != nil && it.more.bucket > 0
		pr.rank = rank[i]
		if it.match != matchNone {
			at := len(refs)
			for _, p := range it.positions[:min(len(it.positions), MaxPositionRefs)] {
				refs = append(refs, PositionRef{VPD: p.VPD, PositionNumber: p.Number, DPN: p.DPN, EndDated: it.match == matchEndDated})
			}
			pr.Positions = refs[at:len(refs):len(refs)]
			pr.PositionCount = len(it.positions)
		}
		switch it.export {
		case exportBlocked:
			pr.Export = ExportBlocked + ": " + it.blocked()
		case exportNotYetDue:
			pr.Export = ExportNotYetDue
		default:
			pr.Export = ExportExported
		}
		if m := it.more; m != nil {
			pr.Suggestions = m.suggestions
			pr.Issue = strings.Join(m.issues, " ")
		}
	}
}

// orderKey is what the result's order compares of one item, in one small
// value, so that the sort reads no placement: managing deanery (rank),
// NPN, start date, placement id, file and row (exceptions first comes
// after).
type orderKey struct {
	npn       string
	id        string
	pre       uint64 // the NPN's first 8 bytes, big-endian, zero-padded: most comparisons end there
	sec       int64  // DateFrom
	nsec      int32
	rank      int32
	file, row int32
	item      int32 // canonical index, the last resort
}

// resultOrder returns the indexes of items (in canonical order) sorted
// by managing deanery, NPN, start date, placement id, file and row. It
// only reads the items.
func resultOrder(items []*recItem) []int32 {
	deaneries, files := make(map[string]int32), make(map[string]int32)
	for _, it := range items {
		deaneries[it.p.ManagingDeanery] = 0
		files[it.p.File] = 0
	}
	rankStrings(deaneries)
	rankStrings(files)
	keys := make([]orderKey, len(items))
	for i, it := range items {
		p := it.p
		var pre [8]byte
		copy(pre[:], p.NPN)
		keys[i] = orderKey{npn: p.NPN, id: p.ID, pre: binary.BigEndian.Uint64(pre[:]), sec: p.DateFrom.Unix(),
			nsec: int32(p.DateFrom.Nanosecond()), rank: deaneries[p.ManagingDeanery], file: files[p.File],
			row: int32(p.Row), item: int32(i)}
	}
	slices.SortFunc(keys, func(a, b orderKey) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		// Bytes that differ within the first eight order the NPNs as the
		// whole strings would (a string that ends there is padded with
		// zeros and is a prefix of the other, so it is less).
		if c := cmp.Compare(a.pre, b.pre); c != 0 {
			return c
		}
		if c := strings.Compare(a.npn, b.npn); c != 0 {
			return c
		}
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
			return c
		}
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		if c := cmp.Compare(a.file, b.file); c != 0 {
			return c
		}
		if c := cmp.Compare(a.row, b.row); c != 0 {
			return c
		}
		return cmp.Compare(a.item, b.item)
	})
	order := make([]int32, len(keys))
	for k := range keys {
		order[k] = keys[k].item
	}
	return order
}

// rankStrings sets each key's value to its rank in string order.
func rankStrings(m map[string]int32) {
	ss := make([]string, 0, len(m))
	for s := range m {
		ss = append(ss, s)
	}
	slices.Sort(ss)
	for i, s := range ss {
		m[s] = int32(i)
	}
}

// itemCmp is the canonical order of placements before Finish's work:
// file, row, id, then the remaining values.
func itemCmp(a, b *recItem) int {
	pa, pb := a.p, b.p
	switch {
	case pa.File != pb.File:
		return strings.Compare(pa.File, pb.File)
	case pa.Row != pb.Row:
		return cmp.Compare(pa.Row, pb.Row)
	case pa.ID != pb.ID:
		return strings.Compare(pa.ID, pb.ID)
	case pa.NPN != pb.NPN:
		return strings.Compare(pa.NPN, pb.NPN)
	case !pa.DateFrom.Equal(pb.DateFrom):
		return pa.DateFrom.Compare(pb.DateFrom)
	case pa.Surname != pb.Surname:
		return strings.Compare(pa.Surname, pb.Surname)
	}
	return strings.Compare(pa.Forenames, pb.Forenames)
}

// sortReconcileFindings orders findings by file, row and rule, then by the
// remaining fields so that the order never depends on arrival.
func sortReconcileFindings(fs []checks.Finding) {
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
