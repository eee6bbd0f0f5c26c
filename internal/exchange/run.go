package exchange

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// FirstApplicantNumber is the first ESR applicant number handed out when
// the state holds none (the seed's first number).
const FirstApplicantNumber int64 = 4769160

// APC load status codes, message types and the default withdrawal reason.
const (
	StatusSuccess     = "SUCCESS"
	StatusFail        = "FAIL"
	StatusQuarantined = "QUARANTINED" // SentApplicant only: ESR sent no APC
	MessageError      = "ERROR"
	MessageWarning    = "WARNING"
	MessageInfo       = "INFO"
	ReasonOther       = "3"
)

// Windows of the run, in days after the as-of date.
const (
	MedrotDays  = 7 * 13 // a next post holder starts before as-of + 13 weeks
	StarterDays = 5      // the new starter reminder covers hire dates up to as-of + 5 days
)

// FullInWindow is the reconcile.Options.KeepFull a run needs: the
// full record of every placement that starts inside the transfer window on
// asOf (the only ones that can become applicants).
func FullInWindow(asOf time.Time) func(*model.Placement) bool {
	return func(p *model.Placement) bool { return model.TransferWindow(p.DateFrom, asOf) }
}

// Plan is a run worked out as far as it goes without the ESR people
// (PlanRun). Its fields are final: Finish changes them no more and its
// Result holds the same slices and maps. The caller may write or store
// them while it loads the people, and must not change them.
type Plan struct {
	Outbound []POR       // the POR records (Result.Outbound)
	APPFiles []APPFile   // the APP files (Result.APPFiles)
	MEDROT   []MedrotRow // the MEDROT grid (Result.MEDROT)
	// Positions and TIS are the next state's (Result.Next.Positions and
	// Result.Next.TIS).
	Positions map[string]*POR
	TIS       *TISSeen

	e *engine // nil once finished
}

// PlanRun does the steps of a run that do not need the ESR people (see
// Plan). The plan keeps no pointer to in.Check or in.Reconcile: once it
// is made, a caller that keeps none either lets them go.
//
// A run performs interface-run.md steps 2 and 4-8 for one as-of date, in
// two calls: PlanRun works out everything that does not need the ESR
// people (the outbound POR records, the APP files, the MEDROT grid, the
// TIS changes and the positions and TIS of the next state), and
// Plan.Finish, given the people, the rest (ESR's load of the APP files
// (APC), the DNC notifications, the MSO notices, the counts and the state
// to commit). A caller can so load the people, which only the second step
// needs, while the first is worked out, and write the first step's files
// before the second. Step 1 (load) and step 3 (reconcile) are the
// caller's: in.Check must be the DPN check of the positions (run with
// KeepInactive) and in.Reconcile the placements reconciled against it.
// Both calls are pure (no I/O, no clock) and deterministic: every list
// they return is sorted, and prev is not modified.
//
// Decisions where interface-run.md is silent:
//
// Outbound: a position transfers when it is active, carries a DPN with no
// dpn.parts, dpn.prefix, dpn.chars or dpn.empty-part finding, and is in no
// duplicate group. POR.PositionID is the ESR position id, or the position
// number when the export has none; State.Positions is keyed by the id, or
// "<VPD>:<number>" when there is none. positionTitle is the position
// name's second part (the job title), else the job role, cut to 60
// characters; deaneryNumber is the DPN trimmed of white space (as ESR
// holds it); managingOffice the DPN prefix upper-cased; hostLeadIndicator
// "Host Employer" or "Lead Employer" when the position's status says host
// or lead (checks.HostLeadRoleOf), else as exported. A position changes
// when any POR field differs. Exclusion reasons: "DPN breaks <rules>"
// (catalogue order, comma-separated), else "duplicate DPN (also on
// <numbers>)".
//
// Withdrawals (type 2) and date changes (type 4) are TIS's: today's
// placements compared with those the last run saw (prev.TIS), whether or
// not an applicant was sent (changes.go; a narrower export is refused
// with *NarrowExportError). Earlier applicants (prev.Sent), compared with
// the placements in scope now, before any new record is chosen: one that
// has left TIS's scope is forgotten (unless its local office is missing
// from a partial export), one whose NPN (or the ESR position behind it)
// moved too, and may be sent anew on its new post; one whose start or
// end date changed is not sent again (a QUARANTINED one is instead sent
// again); an unreadable date, an empty start date or an end date before
// the start in TIS now is no change. One unchanged is not sent again,
// except a FAIL or QUARANTINED record whose cause is gone (see
// applicants).
//
// Applicants: in-scope placements, not vacancies, matched (MatchYes) to a
// transferred position, type sent, approved, starting inside
// model.TransferWindow. A placement id met twice is sent once. A placement
// on a host/lead employer pair is sent once to each position: two records
// in its deanery's one APP file (hostlead.go).
// effectiveDate is the as-of date (the day TIS creates the record);
// projected hire and end dates are the placement's dates.
//
// ESR load: see load.go. Notifications: see notify.go. MEDROT: see
// medrot.go. Counts: see counts.go.
func PlanRun(in Input, prev State) (*Plan, error) {
	if in.Check == nil {
		return nil, errors.New("interface run: no position check")
	}
	if in.Reconcile == nil {
		return nil, errors.New("interface run: no placement reconciliation")
	}
	if in.AsOf.IsZero() {
		return nil, errors.New("interface run: no as-of date")
	}
	e := newEngine(in, prev)
	if err := e.plan(); err != nil {
		return nil, err
	}
	// Every step that reads the check and the reconciliation is done:
	// let the reconciliation go as plan let the check go (what is kept of
	// them was copied or is referred to by string), so that the rest of
	// the run, and the people the caller loads meanwhile, work in a heap
	// ~180 MB smaller on a national run. What the last run saw of TIS has
	// been compared with (changes, newPosts): let it go too, unless the
	// next state shares its NPNs.
	e.in.Reconcile, e.placements, e.matched, e.prev.TIS = nil, nil, nil, nil
	e.nextPositions()
	r := e.res
	return &Plan{Outbound: r.Outbound, APPFiles: r.APPFiles, MEDROT: r.MEDROT,
		Positions: r.Next.Positions, TIS: r.Next.TIS, e: e}, nil
}

// plan is PlanRun's steps. The new posts (which need only the
// reconciliation) and the MEDROT grid (which needs the transferred posts)
// are worked out beside the main line of steps, each into fields of its
// own (newPostNotes; res.MEDROT and holderNotes) and reading only what no
// step changes after outbound, and joined before the holders' changes.
func (e *engine) plan() error {
	var side sync.WaitGroup
	defer side.Wait()
	check := e.in.Check // newPosts may need the positions (near misses) after outbound lets e.in.Check go
	side.Go(func() { e.newPosts(check) })
	side.Go(e.specialties)
	e.outbound()
	// Only outbound reads the DPN check: what the rest needs of it was
	// copied into the posts. The engine lets it go now, so that its
	// largest heap, while the applicants and MEDROT are worked out, does
	// not hold it as well (newPosts keeps its own pointer until it ends).
	e.in.Check = nil
	e.indexMatches()
	side.Go(e.medrot)
	e.indexPlacements()
	e.changes(e.todayOffices())
	if e.err == nil {
		e.reviewSent()
		e.applicants()
	}
	side.Wait()
	if e.err != nil {
		return e.err
	}
	e.changeHolders()
	return nil
}

// Finish does the rest of the run with the ESR people (for NEW vs
// EXISTING; may be empty) and returns its result. A plan is finished
// once: a second call panics.
func (p *Plan) Finish(people []model.Person) *Result {
	e := p.e
	if e == nil {
		panic("exchange: Plan.Finish called twice")
	}
	p.e = nil
	e.people = people
	e.load()
	e.notify()
	e.describe()
	e.mso()
	e.count()
	e.noticeFiles()
	e.nextState()
	return e.res
}

// post is one transferred position.
type post struct {
	// location is the position's ESR location (MEDROT's place of work
	// when no holder has a site). A post keeps no pointer to its
	// position: the DPN check's positions are let go before the people
	// arrive (PlanRun).
	location string
	vpd      string
	key      string // State.Positions key
	id       string // POR positionID
	number   string // trimmed position number
	dpn      string // trimmed DPN
	norm     string // model.NormalDPN
	deanery  string // DPN prefix, upper case
	host     bool   // host employer
	hostLead string // POR hostLeadIndicator
	// occupation and job are the position's occupation code and job
	// role (PositionDetails).
	occupation, job string
	role            checks.HostLeadRole
	// paired: the post's DPN is carried by a host/lead employer pair
	// (checks.HostLeadPair), this position and one in another VPD; its
	// placements are sent to both (hostlead.go).
	paired bool
	// por is its record: in the run's one slice of them, or the last
	// run's own when equal, so that the next state keeps that one and the
	// history sees it unchanged without comparing (outbound).
	por *POR
	idx int32 // its place in engine.posts (sorted by VPD, number, key)
}

// vpdDPN keys a transferred post by its VPD and normalised DPN.
type vpdDPN struct{ vpd, norm string }

// engine holds one run's working state.
type engine struct {
	in     Input
	people []model.Person // ESR people (Plan.Finish)
	prev   State
	asOf   time.Time
	values *Values
	res    *Result

	posts     []*post                // transferred, by VPD, number, id
	byVPDNorm map[vpdDPN]*post       // by VPD and normalised DPN
	active    map[string][]activePos // normalised DPN -> every active DPN position (step 5)

	placements   map[string]*reconcile.PlacementResult // in scope, by id (first met)
	matched      placementPosts                        // the posts of each placement result (indexMatches)
	kept         map[string]SentApplicant              // earlier applicants still held, updated
	pending      []Notification                        // every notification found, before idempotency (types 2 and 4 and their type 1)
	changeNotes  []changeNote                          // types 2 and 4 (changes), until their type 1 is made (changeHolders)
	nextSeen     map[string]SeenPlacement              // the next state's TIS placements (changes)
	held         map[string]bool                       // placements of a local office the export lacks (Input.PartialExport): kept as they were
	nextNPNs     map[string]bool                       // the next state's TIS NPNs (newPosts)
	holderNotes  []holderNote                          // type 1, one per MEDROT row (medrot)
	newPostNotes []Notification                        // type 5 (newPosts)
	specialty    map[string]firstSpecialty             // normalised NPN -> specialty (specialties; describe)
	fresh        []sentRecord                          // this run's APP records and what ESR did
	inWindow     []*post                               // the post of each placement in the window
	inWindowAlso []*post                               // the second post of each such placement on a host/lead employer pair
	found        []string                              // the key of every notification this run found, emitted or not
	// excludedBody is the Managing Deanery Body of each excluded
	// position, by VPD, number and DPN, for the counts.
	excludedBody map[string]string
	nextNumber   int64
	err          error // a step that could not be done (the input breaks PlanRun's contract)
	sequences    map[string]int
	// heldEarlier maps post | start | names of each earlier SUCCESS still
	// held to its placement id (duplicate applications).
	heldEarlier map[string]string
}

// sentRecord is one APP record of this run and its outcome.
type sentRecord struct {
	app      *model.Applicant
	post     *post
	file     string
	status   string
	number   string
	warnings int
}

func newEngine(in Input, prev State) *engine {
	e := &engine{in: in, prev: prev, asOf: in.AsOf, res: &Result{AsOf: in.AsOf, Rows: runRows(in.Reconcile)},
		byVPDNorm: make(map[vpdDPN]*post), active: make(map[string][]activePos),
		placements: make(map[string]*reconcile.PlacementResult), kept: make(map[string]SentApplicant), excludedBody: make(map[string]string),
		held:      make(map[string]bool),
		sequences: make(map[string]int, len(prev.Sequences)+4)}
	e.values = normaliseValues(in.Values)
	e.nextNumber = prev.NextApplicantNumber
	if e.nextNumber <= 0 {
		e.nextNumber = FirstApplicantNumber
	}
	for k, v := range prev.Sequences {
		e.sequences[k] = v
	}
	return e
}

// normaliseValues returns v with every value trimmed and lower-cased (a
// hand-built Values may hold any case); nil gives the built-in lists.
func normaliseValues(v *Values) *Values {
	if v == nil {
		return DefaultValues()
	}
	c := &Values{Lists: make(map[string]map[string]bool, len(v.Lists))}
	for item, list := range v.Lists {
		m := make(map[string]bool, len(list))
		for val, ok := range list {
			if ok {
				m[normValue(val)] = true
			}
		}
		c.Lists[strings.ToUpper(strings.TrimSpace(item))] = m
	}
	return c
}

// indexPlacements maps each in-scope placement id to its result.
func (e *engine) indexPlacements() {
	e.placements = make(map[string]*reconcile.PlacementResult, len(e.in.Reconcile.Placements))
	for i := range e.in.Reconcile.Placements {
		pr := &e.in.Reconcile.Placements[i]
		id := model.TrimWhite(pr.Placement.ID)
		if _, dup := e.placements[id]; !dup {
			e.placements[id] = pr
		}
	}
}

// reviewSent compares the earlier applicants with the placements now in
// scope and keeps those still held (e.kept). The withdrawals and date
// changes are TIS's, found by changes whether or not an applicant was
// sent; here an applicant gone from the export is forgotten (unless its
// local office is missing from a partial export: held), one whose NPN
// or ESR position moved is forgotten too (it may be sent anew on its new
// post), and one whose start or end date changed keeps its number and
// takes the new dates (a QUARANTINED one, which ESR never held, is
// instead sent again). An unreadable date or an empty start date in TIS
// now is no change.
func (e *engine) reviewSent() {
	ids := make([]string, 0, len(e.prev.Sent))
	for id := range e.prev.Sent {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, key := range ids {
		s := e.prev.Sent[key]
		id := sentPlacement(key, s)
		pr := e.placements[id]
		if pr == nil {
			if e.held[id] {
				e.kept[key] = s
			}
			continue
		}
		p := pr.Placement
		if model.NormalDPN(p.NPN) != s.NPN {
			continue
		}
		if posts, n := e.matchedPosts(pr); n > 0 && !hasPost(posts[:n], s.PositionID) {
			continue
		}
		if !pr.DateIssues && !p.DateFrom.IsZero() && !p.DatesReversed() && (!p.DateFrom.Equal(s.Start) || !p.DateTo.Equal(s.End)) {
			if s.Status == StatusQuarantined {
				continue // never loaded: sent again when in the window
			}
			s.Start, s.End = p.DateFrom, p.DateTo
			s.LastName, s.FirstName = model.TrimWhite(p.Surname), model.TrimWhite(p.Forenames)
			s.GMC = model.TrimWhite(p.GMC)
		}
		e.kept[key] = s
	}
}

// applicantName is "LastName,FirstName" as the seed's notices show it.
func applicantName(last, first string) string { return last + "," + first }

// applicants chooses this run's APP records and builds one file per
// managing deanery (step 4).
//
// A placement sent before with the same post and dates is not sent again,
// with two exceptions that let a fixed record load without breaking
// idempotency (an identical re-run still sends nothing):
//   - FAIL: sent again once it has every mandatory item and no earlier
//     SUCCESS of the same names holds its post and start date (the causes
//     of a FAIL that TIS data can fix);
//   - QUARANTINED: the records of a quarantined file still in the window
//     are sent again, together, once none of its posts has more than 40 of
//     them (the bucket post was thinned out).
func (e *engine) applicants() {
	ab := e.newAPPBuilder()
	e.heldEarlier = make(map[string]string)
	for key, s := range e.kept {
		if s.Status == StatusSuccess {
			e.heldEarlier[heldKey(s.PositionID, s.Start, s.LastName, s.FirstName)] = sentPlacement(key, s)
		}
	}
	held := e.windowApplicants(ab)
	if held == nil { // e.err is set
		return
	}
	e.resendQuarantined(ab, held)
	deaneries := make([]string, 0, len(ab.byDeanery))
	for d := range ab.byDeanery {
		deaneries = append(deaneries, d)
	}
	sort.Strings(deaneries)
	for _, d := range deaneries {
		recs := sortedApplicants(ab.all, ab.byDeanery[d])
		key := SequenceKey(d, "APP")
		seq := e.sequences[key] + 1
		e.sequences[key] = seq
		e.res.APPFiles = append(e.res.APPFiles, APPFile{Name: APPName(d, e.asOf, seq), Deanery: d, Seq: seq, Records: recs})
	}
}

// appBuilder gathers the APP records. They go once into one slice, and
// the deaneries list indexes into it: appended per deanery, ~600-byte
// records were copied several times over as each deanery's slice grew.
type appBuilder struct {
	all       []model.Applicant
	byDeanery map[string][]int32
}

// newAPPBuilder sizes the records' slice for the placements that may be
// sent (a full record, a type that is sent, approved, not a vacancy).
func (e *engine) newAPPBuilder() *appBuilder {
	n := 0
	for i := range e.in.Reconcile.Placements {
		if pr := &e.in.Reconcile.Placements[i]; pr.Full != nil && pr.TypeSent && pr.Approved && !pr.Vacancy {
			n++
		}
	}
	return &appBuilder{all: make([]model.Applicant, 0, n), byDeanery: make(map[string][]int32)}
}

func (ab *appBuilder) add(deanery string, a *model.Applicant) {
	ab.byDeanery[deanery] = append(ab.byDeanery[deanery], int32(len(ab.all)))
	ab.all = append(ab.all, *a)
}

// windowApplicants adds the records of the placements that start in the
// transfer window (NEW, or FAIL that TIS data now fixes), notes their
// posts as in the window, and returns the records QUARANTINED earlier, by
// the file they were in. A placement whose full record was not kept sets
// e.err and returns nil.
func (e *engine) windowApplicants(ab *appBuilder) map[string][]model.Applicant {
	seen := make(map[string]bool, len(e.in.Reconcile.Placements)/4) // about a quarter start in the window
	held := make(map[string][]model.Applicant)
	for i := range e.in.Reconcile.Placements {
		pr := &e.in.Reconcile.Placements[i]
		k := pr.Placement
		if pr.Vacancy || k.IsVacancy() {
			continue
		}
		posts, np := e.matchedAt(i)
		if np == 0 || !pr.TypeSent || !pr.Approved || !model.TransferWindow(k.DateFrom, e.asOf) {
			continue
		}
		p := pr.Full
		if p == nil {
			e.err = fmt.Errorf("placement %s starts in the transfer window but its full record was not kept (reconcile.Options.KeepFull)", k.ID)
			return nil
		}
		id := model.TrimWhite(p.ID)
		if seen[id] {
			continue
		}
		seen[id] = true
		e.inWindow = append(e.inWindow, posts[0])
		e.inWindowAlso = append(e.inWindowAlso, posts[1:np]...)
		for _, po := range posts[:np] { // a host/lead employer pair: a record per position
			a := applicantOf(p, po, e.asOf)
			if key, s, sent := findSent(e.kept, id, po); sent {
				switch {
				case s.Status == StatusFail && e.failFixed(&a):
					delete(e.kept, key)
				case s.Status == StatusQuarantined:
					held[s.File] = append(held[s.File], a)
					continue
				default:
					continue
				}
			}
			ab.add(po.deanery, &a)
		}
	}
	return held
}

// resendQuarantined adds the records of each earlier quarantined file, in
// file name order, once none of its posts has too many of them.
func (e *engine) resendQuarantined(ab *appBuilder, held map[string][]model.Applicant) {
	files := make([]string, 0, len(held))
	for f := range held {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		if maxPerPost(held[f]) > reconcile.MaxApplicantsPerPost {
			continue // still too many: ESR would quarantine it again
		}
		for i := range held[f] {
			a := &held[f][i]
			if key, _, ok := findSent(e.kept, a.PlacementID, e.postOfRecord(a)); ok {
				delete(e.kept, key)
			}
			ab.add(a.ManagingDeanery, a)
		}
	}
}

// sortedApplicants returns the records of all at the indexes order, in
// APP file order (NPN, projected hire date, placement id, VPD). An
// applicant is ~600 bytes: sorting indexes and copying each record once
// costs a national run ~0.05 s, where swapping the records themselves cost
// ~0.3 s.
func sortedApplicants(all []model.Applicant, order []int32) []model.Applicant {
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &all[i], &all[j]
		if c := strings.Compare(a.DeaneryNumber, b.DeaneryNumber); c != 0 {
			return c
		}
		if c := a.ProjectedHireDate.Compare(b.ProjectedHireDate); c != 0 {
			return c
		}
		if c := strings.Compare(a.PlacementID, b.PlacementID); c != 0 {
			return c
		}
		return strings.Compare(a.VPD, b.VPD) // a host/lead employer pair's two records
	})
	out := make([]model.Applicant, len(order))
	for i, o := range order {
		out[i] = all[o]
	}
	return out
}

// failFixed reports whether a record that failed before would now pass
// the checks TIS's data decides: mandatory items and duplicates held from
// earlier runs.
func (e *engine) failFixed(a *model.Applicant) bool {
	if missingItem(a) != "" {
		return false
	}
	id, held := e.heldEarlier[heldKey(a.PositionID, a.ProjectedHireDate, a.LastName, a.FirstName)]
	if held && id != a.PlacementID {
		return false
	}
	return true
}

// maxPerPost is the most records one post (deanery number: both positions
// of a host/lead employer pair) has among recs.
func maxPerPost(recs []model.Applicant) int {
	n := make(map[string]int)
	most := 0
	for i := range recs {
		n[recs[i].DeaneryNumber]++
		if c := n[recs[i].DeaneryNumber]; c > most {
			most = c
		}
	}
	return most
}

// applicantOf fills an APP record from a placement and its position.
func applicantOf(p *model.Placement, po *post, asOf time.Time) model.Applicant {
	t := model.TrimWhite
	return model.Applicant{
		PlacementID:       t(p.ID),
		ManagingDeanery:   po.deanery,
		VPD:               po.vpd,
		DeaneryNumber:     po.norm,
		EffectiveDate:     asOf,
		Email:             t(p.Email),
		LastName:          t(p.Surname),
		FirstName:         t(p.Forenames),
		Title:             t(p.Title),
		DOB:               p.DOB,
		Gender:            t(p.Gender),
		Address1:          t(p.Address1),
		Town:              t(p.Town),
		County:            t(p.County),
		Postcode:          t(p.Postcode),
		EthnicOrigin:      t(p.EthnicOrigin),
		GMC:               t(p.GMC),
		SexualOrientation: t(p.SexualOrientation),
		Religion:          t(p.Religion),
		Nationality:       t(p.Nationality),
		UKNINO:            t(p.NINumber),
		PositionID:        po.id,
		PositionNumber:    po.number,
		Disability:        t(p.Disability),
		ProjectedHireDate: p.DateFrom,
		ProjectedEndDate:  p.DateTo,
		MaritalStatus:     t(p.MaritalStatus),
		Site:              t(p.Site),
		WTE:               t(p.WTE),
	}
}

// nextPositions sets the Next state's positions (the posts transferred)
// and what this run saw of TIS, final once the reconciliation is let go.
func (e *engine) nextPositions() {
	e.res.Next.Positions = make(map[string]*POR, len(e.posts))
	for _, po := range e.posts {
		e.res.Next.Positions[po.key] = po.por
	}
	e.res.Next.TIS = &TISSeen{AsOf: e.asOf, Placements: e.nextSeen, NPNs: e.nextNPNs}
}

// nextState is prev plus this run (step 8's state).
func (e *engine) nextState() {
	n := State{Positions: e.res.Next.Positions, Sent: make(map[string]SentApplicant, len(e.kept)+len(e.fresh)),
		Sequences: e.sequences, NextApplicantNumber: e.nextNumber,
		Notified: make(map[string]bool, len(e.found)),
		TIS:      e.res.Next.TIS}
	for key, s := range e.kept {
		n.Sent[key] = s
	}
	for _, r := range e.fresh {
		a := r.app
		n.Sent[sentKey(a.PlacementID, r.post)] = SentApplicant{PlacementID: a.PlacementID, NPN: a.DeaneryNumber, PositionID: a.PositionID,
			PositionNumber: a.PositionNumber, VPD: a.VPD, Deanery: a.ManagingDeanery, Start: a.ProjectedHireDate,
			End: a.ProjectedEndDate, ApplicantNumber: r.number, Status: r.status, File: r.file,
			LastName: a.LastName, FirstName: a.FirstName, GMC: a.GMC}
	}
	// Only the keys of what this run found are remembered: a notification
	// whose cause has gone (a withdrawal sent, a pairing changed, a post
	// created) is forgotten, so the set does not grow run after run; were
	// the same cause to come back, it would be news again.
	for _, k := range e.found {
		n.Notified[k] = true
	}
	e.res.Next = n
}
