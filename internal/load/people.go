package load

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dpnkit/internal/model"
)

// People field indexes into PeopleFields; the order is inputs.md §3's.
const (
	peEmployeeNumber = iota
	pePersonType
	peLastName
	peFirstName
	peDOB
	peNINumber
	peGMC
	peVPD
	pePositionNumber
	peAssignmentStatus
	pePersonID
	peAssignmentNumber
	peApplicantNumber
	numPeopleFields
)

// PeopleFields lists the fields of a tabular ESR people export (inputs.md
// §3) with their header aliases, for --map validation and help text.
// last_name is required, and vpd unless Options.VPD is set; person_id is
// not in the spec's list but is read when an export has it. The spec's
// aliases of employee_number are three fields here, because ESR reports
// often have both an Employee Number and an Assignment Number column:
// Person.EmployeeNumber is the first of employee_number, assignment_number
// and applicant_number that is not blank.
var PeopleFields = []Field{
	{"employee_number", false, []string{"Employee Number", "Employee No"}},
	{"person_type", false, []string{"Person Type", "User Person Type"}},
	{"last_name", true, []string{"Last Name", "Surname", "Legal Surname"}},
	{"first_name", false, []string{"First Name", "First Names", "Forenames", "Forename"}},
	{"dob", false, []string{"Date of Birth", "DOB", "Birth Date"}},
	{"ni_number", false, []string{"NI Number", "NINO", "National Insurance Number", "NI No"}},
	{"gmc", false, []string{"GMC Number", "Professional Registration Number", "GMC", "GMC No"}},
	{"vpd", true, []string{"VPD", "VPD Code", "Employing Org VPD Code", "Trust ID", "Org VPD", "Org VPD Code", "Organisation VPD", "Employing VPD"}},
	{"position_number", false, []string{"Position Number", "Position No", "ESR Position", "Position"}},
	{"assignment_status", false, []string{"Assignment Status", "User Assignment Status", "System Assignment Status"}},
	{"person_id", false, []string{"Person ID", "PersonId", "ESR Person ID"}},
	{"assignment_number", false, []string{"Assignment Number", "Assignment No"}},
	{"applicant_number", false, []string{"Applicant Number", "Applicant No"}},
}

var peopleFields = newFieldSet(PeopleFields, "person", peVPD, true, []int{peEmployeeNumber, peLastName, peFirstName,
	peNINumber, peGMC, pePersonID, peAssignmentNumber, peApplicantNumber, pePositionNumber})

var peopleTabular = &tabular[model.Person]{
	fields: peopleFields,
	newBuilder: func(path string, _ model.Format, lay *layout, opts Options) rowBuilder[model.Person] {
		return &personBuilder{path: path, lay: lay, vpd: opts.VPD, bad: opts.people, keep: opts.KeepPerson}
	},
	dates:  []int{peDOB},
	loadGO: loadGOPeople,
}

// People reads ESR people exports (inputs.md §3) and calls sink with
// batches of people: the PRA and ASA records of GO .DAT files, or tabular
// exports (.csv, .tsv, .txt, .xlsx, with every encoding, delimiter, quoting
// and date form Positions accepts).
//
// As for Positions, sink may be called concurrently, and a batch and the
// strings in it are only valid during the call: the receiver keeps a person
// with Person.Clone (a national people file has 1.5M people, of whom a run
// keeps a few percent, so copying them all would be wasted). Values are
// trimmed of surrounding white space (model.TrimWhite). It returns one
// model.Input per file (Rows = people loaded).
//
// Options.VPD gives the VPD of files without one and, for files with one,
// keeps only that VPD's people (the rest are counted as skipped). Malformed
// input returns a *Error, whose text never quotes a personal value (name,
// date of birth, NI or GMC number). An unreadable date of birth is left zero
// and counted in the Input's notes, with its rows and without its value.
//
// GO files: each PRA record is a person (of the HDR's VPD); its primary
// active ASA assignment, joined by PersonId, gives the position number (the
// first '|' part of the assignment's PositionName) and assignment status.
// GMC numbers are not in a GO file and are left empty. See loadGOPeople.
func People(ctx context.Context, files []string, opts Options, sink func(batch []model.Person)) ([]model.Input, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	inputs := make([]model.Input, 0, len(files))
	for _, f := range files {
		// Each file gets its own record of unreadable dates of birth.
		o := opts
		o.people = &badDates{}
		in, err := loadFiles(ctx, []string{f}, o, peopleTabular, sink)
		if err != nil {
			return nil, err
		}
		in[0].Notes = append(in[0].Notes, o.people.notes("rows")...)
		inputs = append(inputs, in[0])
	}
	return inputs, nil
}

// badDates records a file's unreadable dates of birth (workers add to it
// concurrently).
type badDates struct {
	mu   sync.Mutex
	n    int
	rows []int // the first few (smallest) rows
}

const badDateRows = 5

func (d *badDates) add(row int) {
	d.mu.Lock()
	d.n++
	d.rows = append(d.rows, row)
	if len(d.rows) > 4*badDateRows {
		slices.Sort(d.rows)
		d.rows = d.rows[:badDateRows]
	}
	d.mu.Unlock()
}

// notes is the note about the unreadable dates, if any; what names the
// place ("rows" in tabular files, "lines" in GO files).
func (d *badDates) notes(what string) []string {
	if d == nil || d.n == 0 {
		return nil
	}
	slices.Sort(d.rows)
	rows := d.rows[:min(len(d.rows), badDateRows)]
	s := make([]string, len(rows))
	for i, r := range rows {
		s[i] = strconv.Itoa(r)
	}
	more := ""
	if d.n > len(rows) {
		more = ", ..."
	}
	return []string{fmt.Sprintf("%d unreadable dates of birth left empty (%s %s%s; values not shown)", d.n, what, strings.Join(s, ", "), more)}
}

// personBuilder turns tabular records into people; one per worker.
type personBuilder struct {
	path  string
	lay   *layout
	vpd   string // Options.VPD
	cache dateCache
	bad   *badDates
	keep  func(gmc, ni string) bool // Options.KeepPerson
	// pending are the batch's people with an unreadable date of birth:
	// their rows are only final after rebase.
	pending []int
}

// reset starts a new batch. Rows still pending are absolute (the xlsx
// reader numbers rows itself and never rebases): they are recorded as they are.
func (b *personBuilder) reset() {
	b.flushBad(0)
	b.cache = dateCache{}
}

func (b *personBuilder) rebase(batch []model.Person, by int) {
	for i := range batch {
		batch[i].Row += by
	}
	b.flushBad(by)
}

// flushBad records the pending unreadable dates, by rows on.
func (b *personBuilder) flushBad(by int) {
	if b.bad != nil {
		for _, r := range b.pending {
			b.bad.add(r + by)
		}
	}
	b.pending = b.pending[:0]
}

func (b *personBuilder) build(p *model.Person, rec []string, row int) (outcome, *Error) {
	if blankRecord(rec) {
		return empty, nil
	}
	lay := b.lay
	rec = append(rec, "") // absent fields read from here
	x := lay.idx
	vpd := model.TrimWhite(rec[x[peVPD]])
	switch {
	case lay.col[peVPD] < 0:
		vpd = b.vpd
	case vpd == "":
		if b.vpd == "" {
			return built, &Error{File: b.path, Line: row, Column: lay.headers[lay.col[peVPD]],
				Msg: "expected a VPD code, found a blank cell; fill it in or give the VPD with --vpd"}
		}
		vpd = b.vpd
	case b.vpd != "" && !strings.EqualFold(vpd, b.vpd):
		return otherVPD, nil
	}
	var dob time.Time
	if c := lay.col[peDOB]; c >= 0 {
		v := rec[c]
		if v != b.cache.s || v == "" {
			t, ok := ParseDateCell(v)
			b.cache = dateCache{s: v, t: t, ok: ok}
		}
		if b.cache.ok {
			dob = b.cache.t
		} else {
			b.pending = append(b.pending, row)
		}
	}
	if b.keep != nil && !b.keep(rec[x[peGMC]], rec[x[peNINumber]]) {
		return passed, nil
	}
	*p = model.Person{
		VPD:              vpd,
		PersonID:         rec[x[pePersonID]],
		EmployeeNumber:   rec[x[peEmployeeNumber]],
		PersonType:       rec[x[pePersonType]],
		LastName:         rec[x[peLastName]],
		FirstName:        rec[x[peFirstName]],
		DOB:              dob,
		NINumber:         rec[x[peNINumber]],
		GMC:              rec[x[peGMC]],
		PositionNumber:   rec[x[pePositionNumber]],
		AssignmentStatus: rec[x[peAssignmentStatus]],
		File:             b.path,
		Row:              row,
	}
	for _, alt := range [...]int{peAssignmentNumber, peApplicantNumber} {
		if model.TrimWhite(p.EmployeeNumber) != "" {
			break
		}
		p.EmployeeNumber = rec[x[alt]]
	}
	trimPerson(p)
	return built, nil
}

// personFields are the strings of p that the loader trims.
func personFields(p *model.Person) [10]*string {
	return [...]*string{&p.VPD, &p.PersonID, &p.EmployeeNumber, &p.PersonType, &p.LastName, &p.FirstName,
		&p.NINumber, &p.GMC, &p.PositionNumber, &p.AssignmentStatus}
}

// trimPerson trims every string of p, in place (they stay in the loader's
// buffers).
func trimPerson(p *model.Person) {
	for _, s := range personFields(p) {
		*s = model.TrimWhite(*s)
	}
}

// ownPerson trims every string of p and copies them out of the loader's
// buffers, in one allocation: a GO file's people are joined with their
// assignments across chunks, so they must outlive the chunk.
func ownPerson(p *model.Person) {
	fields := personFields(p)
	n := 0
	for _, s := range fields {
		*s = model.TrimWhite(*s)
		n += len(*s)
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, s := range fields {
		sb.WriteString(*s)
	}
	all := sb.String()
	at := 0
	for _, s := range fields {
		l := len(*s)
		*s = all[at : at+l]
		at += l
	}
}

// GO record field indexes (0-based: the record type is field 0).
const (
	praPersonID         = 1
	praEffectiveStart   = 2
	praEmployeeNumber   = 4
	praLastName         = 6
	praFirstName        = 7
	praDateOfBirth      = 13
	praNINumber         = 14
	praSystemPersonType = 33
	praUserPersonType   = 34

	asaPersonID          = 1
	asaEffectiveStart    = 3
	asaAssignmentNumber  = 7
	asaSystemStatus      = 8
	asaUserStatus        = 9
	asaPrimaryAssignment = 21
	asaPositionName      = 29
)

// goPerson is a PRA record being joined with its assignments.
type goPerson struct {
	p     model.Person
	start string // EffectiveStart, YYYYMMDD: the latest record of a person wins
	order int    // file order of the PRA record kept
	asg   *goAssignment
	badDB bool
}

// goAssignment is the best ASA record of a person so far.
type goAssignment struct {
	rank   int
	start  string
	number string
	status string
	posNo  string
}

// assignmentRank orders a person's assignments: active before suspended
// before the rest, and the primary one first within each.
func assignmentRank(status, primary string) int {
	s := strings.ToUpper(model.TrimWhite(status))
	r := 0
	switch {
	case strings.HasPrefix(s, "ACTIVE"):
		r = 4
	case strings.HasPrefix(s, "SUSP"):
		r = 2
	}
	switch strings.ToUpper(model.TrimWhite(primary)) {
	case "Y", "YES":
		r++
	}
	return r
}

// loadGOPeople reads the people of a GO file. Every PRA record is a person;
// a person with several (date-tracked) PRA records is the one with the
// latest EffectiveStart (the later in the file on a tie). Their ASA records
// are joined by PersonId and ranked: an ACTIVE_* status, then SUSP_*, then
// others, the primary assignment first, then the latest EffectiveStart.
// The best one gives AssignmentStatus (SystemAssignmentStatus, or the user
// status when that is empty) and, when active or suspended, PositionNumber
// (the first '|' part of PositionName). EmployeeNumber is PRA's, or the
// assignment number when PRA has none (applicants). PersonType is the
// SystemPersonType code (EMP, APL, EMP_APL, EX_EMP; UserPersonType when
// empty). People are handed on in the order of their PRA records, Row the
// line the record starts on.
func loadGOPeople(ctx context.Context, f io.Reader, path string, opts Options, sink func([]model.Person), in *model.Input) error {
	g := &goPeople{path: path, byID: map[string]*goPerson{}, asas: map[string][]goAssignment{}}
	want := map[string]bool{"PRA": true, "ASA": true}
	sc, err := scanGO(ctx, f, path, in, want, g.record)
	if err != nil {
		return err
	}
	if opts.VPD != "" && !strings.EqualFold(opts.VPD, g.hdrVPD) && len(g.order) > 0 {
		in.Skipped += len(g.order)
		in.Notes = append(in.Notes, fmt.Sprintf("%d people of VPD %s skipped (--vpd %s)", len(g.order), g.hdrVPD, opts.VPD))
		g.order = nil
	}
	orphans := g.join()
	bad, err := g.emit(ctx, opts, sink)
	if err != nil {
		return err
	}
	in.Rows = len(g.order)
	in.Repaired = g.repaired
	if g.cp1252 > 0 {
		in.Encoding = "windows-1252"
		in.Notes = append(in.Notes, fmt.Sprintf("%d records decoded as Windows-1252", g.cp1252))
	}
	in.Notes = append(in.Notes, bad.notes("lines")...)
	if orphans > 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("%d assignments (ASA) with no person record (PRA) not loaded", orphans))
	}
	if len(g.order) == 0 && in.Skipped == 0 {
		in.Notes = append(in.Notes, "no person (PRA) records")
	}
	sc.notes(in, "person", "PRD")
	return nil
}

// goPeople gathers a GO file's people (PRA) and assignments (ASA).
type goPeople struct {
	path     string
	byID     map[string]*goPerson
	order    []*goPerson // in the order of their first PRA record
	asas     map[string][]goAssignment
	cp1252   int
	repaired int
	hdrVPD   string
}

// record takes one PRA or ASA record (scanGO's callback).
func (g *goPeople) record(vpd, typ string, rec []string, line int, rep bool) error {
	g.hdrVPD = vpd
	if fixEncoding(rec) {
		g.cp1252++
	}
	if rep {
		g.repaired++
	}
	id := model.TrimWhite(rec[1])
	switch typ {
	case "PRA":
		g.addPRA(vpd, id, rec, line)
	case "ASA":
		g.addASA(id, rec)
	}
	return nil
}

// addPRA keeps a person record unless it is older than one already read.
func (g *goPeople) addPRA(vpd, id string, rec []string, line int) {
	start := model.TrimWhite(rec[praEffectiveStart])
	prev := g.byID[id]
	if prev != nil && start < prev.start {
		return // an older record of a person already read
	}
	gp := &goPerson{start: start, order: len(g.order)}
	gp.p = model.Person{
		VPD:            vpd,
		PersonID:       id,
		EmployeeNumber: rec[praEmployeeNumber],
		PersonType:     rec[praSystemPersonType],
		LastName:       rec[praLastName],
		FirstName:      rec[praFirstName],
		NINumber:       rec[praNINumber],
		File:           g.path,
		Row:            line,
	}
	if model.TrimWhite(gp.p.PersonType) == "" {
		gp.p.PersonType = rec[praUserPersonType]
	}
	if v := model.TrimWhite(rec[praDateOfBirth]); v != "" {
		if t, ok := ParseDate(v); ok {
			gp.p.DOB = t
		} else {
			gp.badDB = true
		}
	}
	ownPerson(&gp.p)
	if prev != nil {
		gp.order = prev.order
		g.order[prev.order] = gp
	} else {
		g.order = append(g.order, gp)
	}
	g.byID[id] = gp
}

// addASA keeps an assignment record, ranked, for its person.
func (g *goPeople) addASA(id string, rec []string) {
	status := model.TrimWhite(rec[asaSystemStatus])
	if status == "" {
		status = model.TrimWhite(rec[asaUserStatus])
	}
	a := goAssignment{
		rank:   assignmentRank(status, rec[asaPrimaryAssignment]),
		start:  model.TrimWhite(rec[asaEffectiveStart]),
		number: strings.Clone(model.TrimWhite(rec[asaAssignmentNumber])),
		status: strings.Clone(status),
	}
	if a.rank >= 2 {
		no, _, _ := strings.Cut(rec[asaPositionName], "|")
		a.posNo = strings.Clone(model.TrimWhite(no))
	}
	g.asas[id] = append(g.asas[id], a)
}

// join gives each person its best assignment and returns the number of
// assignments whose person has no PRA record.
func (g *goPeople) join() (orphans int) {
	for id, list := range g.asas {
		gp := g.byID[id]
		if gp == nil {
			orphans += len(list)
			continue
		}
		for i := range list {
			a := &list[i]
			if b := gp.asg; b == nil || a.rank > b.rank || a.rank == b.rank && a.start >= b.start {
				gp.asg = a
			}
		}
	}
	return orphans
}

// emit hands the people on in batches, with their assignment's status and
// position, and returns the lines whose date of birth was unreadable.
func (g *goPeople) emit(ctx context.Context, opts Options, sink func([]model.Person)) (*badDates, error) {
	bad := &badDates{}
	batch := make([]model.Person, 0, min(len(g.order), sinkBatch))
	for i, gp := range g.order {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p := gp.p
		if a := gp.asg; a != nil {
			p.AssignmentStatus, p.PositionNumber = a.status, a.posNo
			if p.EmployeeNumber == "" {
				p.EmployeeNumber = a.number
			}
		}
		if gp.badDB {
			bad.add(p.Row)
		}
		if opts.KeepPerson != nil && !opts.KeepPerson(p.GMC, p.NINumber) {
			continue // read and counted, not handed on
		}
		batch = append(batch, p)
		if len(batch) == sinkBatch {
			sink(batch)
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		sink(batch)
	}
	return bad, nil
}
