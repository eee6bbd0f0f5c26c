package exchange

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"dpnkit/internal/model"
)

// maxMessage is the longest APC messageText.
const maxMessage = 200

// load is ESR's load of every APP file, in file order (step 5).
//
// A file with more than reconcile.MaxApplicantsPerPost records for one post
// (by deanery number, so both positions of a host/lead employer pair
// count: overLimit) is quarantined whole: no APC file, every record
// QUARANTINED. Otherwise each record, in file order, gets the first of:
//
//  1. a mandatory item missing (EFFECTIVE_DATE, LAST_NAME, FIRST_NAME,
//     DATE_OF_BIRTH, POSITION_ID, POSITION_NUMBER, the first missing in
//     that order): FAIL, ERROR "Mandatory item <ITEM> not supplied.
//     Application rejected.";
//  2. no active ESR position carrying the deanery number, or more than one
//     (in any VPD) unless they are a host/lead employer pair with a
//     position in the record's VPD: FAIL, ERROR naming the number and the
//     positions;
//  3. a duplicate application: an earlier SUCCESS for the same positionId
//     and projected hire date by the same person, in this run (same GMC
//     number or NI number) or in an earlier run still held (the state
//     keeps no NI number, and no GMC number for applicants sent before
//     history schema 3, so there the same last and first names,
//     case-insensitively): FAIL, ERROR "Duplicate application for
//     position <number> starting <DD-MON-YYYY>. Application rejected.";
//  4. else SUCCESS: one WARNING per coded value ESR does not hold (in
//     CodedItems order; the value shown upper case, as the seed's "The
//     value NO will be ignored."), then one INFO saying NEW Applicant or
//     EXISTING Employee.
//
// Person matching looks only at people of the applicant's VPD: NI number
// (upper case, no spaces) and last name (case-insensitive) both equal;
// when nobody matches so, the GMC number. A matched person is an EXISTING
// Employee when a matching person's type names a current employee
// (Employee, Employee.Applicant, EMP, EMP_APL; not Ex-Employee or EX_EMP,
// who have no assignment to action), else the application is from a NEW
// Applicant.
//
// A SUCCESS keeps the applicant number an earlier run gave the placement,
// else takes the next number. vacancyRefNumber is
// "<VPD>-<DEANERY>Vac<k>", k numbering the distinct posts of that VPD in
// the file in order of first appearance (the seed's "296-CCN705Vac1").
// assignmentId stands in as the applicant number (ESR numbers an
// applicant's first assignment after the person). A message longer than
// 200 characters is cut.
func (e *engine) load() {
	people := e.personIndex()
	heldRun := make(map[runKey]bool) // this run's SUCCESS, by person, position and start
	n := 0
	for fi := range e.res.APPFiles {
		n += len(e.res.APPFiles[fi].Records)
	}
	e.fresh = slices.Grow(e.fresh, n)
	var scratch []APC
	for fi := range e.res.APPFiles {
		f := &e.res.APPFiles[fi]
		if over := overLimit(f.Records); len(over) > 0 {
			e.quarantine(f, over)
			continue
		}
		// The records are gathered in scratch, reused from file to file,
		// and copied out at their exact size: an APP record gives one APC
		// record and one more per warning, so their number is known only
		// at the end.
		apc := APCFile{Name: APCName(f.Deanery, e.asOf, f.Seq), APPFile: f.Name, Records: scratch[:0]}
		vac := make(map[string]int)  // VPD + position -> k
		vacN := make(map[string]int) // VPD -> posts numbered so far
		for i := range f.Records {
			a := &f.Records[i]
			vk := a.VPD + "\x00" + a.PositionID
			if vac[vk] == 0 {
				vacN[a.VPD]++
				vac[vk] = vacN[a.VPD]
			}
			base := APC{ESRVacancyID: i + 1, VacancyRefNumber: fmt.Sprintf("%s-%sVac%d", a.VPD, f.Deanery, vac[vk]),
				DeaneryNumber: a.DeaneryNumber, PositionID: a.PositionID, PositionNumber: a.PositionNumber,
				PlacementID: a.PlacementID, VPD: a.VPD, ApplicantName: applicantName(a.LastName, a.FirstName)}
			apc.Records = e.loadRecord(f, a, base, people, heldRun, apc.Records)
		}
		scratch, apc.Records = apc.Records, nil
		if len(scratch) > 0 {
			apc.Records = slices.Clone(scratch)
		}
		e.res.APCFiles = append(e.res.APCFiles, apc)
	}
}

// quarantine holds back file f, whose posts over lists the posts with too
// many records: it gets no APC file, and each record is QUARANTINED.
func (e *engine) quarantine(f *APPFile, over []QuarantinedPost) {
	sort.Slice(over, func(i, j int) bool {
		if over[i].VPD != over[j].VPD {
			return over[i].VPD < over[j].VPD
		}
		return over[i].PositionNumber < over[j].PositionNumber
	})
	e.res.Quarantined = append(e.res.Quarantined, Quarantine{APPFile: f.Name, Posts: over})
	for i := range f.Records {
		e.fresh = append(e.fresh, sentRecord{app: &f.Records[i], post: e.postOfRecord(&f.Records[i]), file: f.Name, status: StatusQuarantined})
	}
}

// loadRecord loads one APP record of file f: it appends its APC records
// (base filled in) to recs, returns them, and keeps the record as sent.
func (e *engine) loadRecord(f *APPFile, a *model.Applicant, base APC, people personIndex, heldRun map[runKey]bool, recs []APC) []APC {
	rec := sentRecord{app: a, post: e.postOfRecord(a), file: f.Name}
	fail := func(text string) {
		r := base
		r.LoadStatusCode, r.MessageType, r.MessageText = StatusFail, MessageError, cut(text, maxMessage)
		recs = append(recs, r)
		rec.status = StatusFail
	}
	if item := missingItem(a); item != "" {
		fail("Mandatory item " + item + " not supplied. Application rejected.")
	} else if msg := e.resolve(a); msg != "" {
		fail(msg)
	} else if e.duplicate(a, heldRun) {
		fail(fmt.Sprintf("Duplicate application for position %s starting %s. Application rejected.", a.PositionNumber, esrDate(a.ProjectedHireDate)))
	} else {
		recs = e.accept(a, base, &rec, people, recs)
		gmc, ni := personIDs(a)
		if gmc != "" {
			heldRun[newRunKey('G', gmc, a)] = true
		}
		if ni != "" {
			heldRun[newRunKey('N', ni, a)] = true
		}
	}
	e.fresh = append(e.fresh, rec)
	return recs
}

// accept makes rec a SUCCESS with its applicant number, and appends its
// APC records to recs: a WARNING per coded value ESR does not hold, then
// the INFO naming a NEW Applicant or an EXISTING Employee.
func (e *engine) accept(a *model.Applicant, base APC, rec *sentRecord, people personIndex, recs []APC) []APC {
	rec.status = StatusSuccess
	rec.number = e.applicantNumber(a.PlacementID, rec.post)
	for _, item := range CodedItems {
		val := codedValue(a, item)
		if e.values.Accepts(item, val) {
			continue
		}
		r := base
		r.LoadStatusCode, r.MessageType = StatusSuccess, MessageWarning
		r.MessageText = cut(fmt.Sprintf("Value for %s does not exist in ESR. The value %s will be ignored.", item, strings.ToUpper(val)), maxMessage)
		r.ApplicantNumber, r.AssignmentID = rec.number, rec.number
		recs = append(recs, r)
		rec.warnings++
	}
	r := base
	r.LoadStatusCode, r.MessageType = StatusSuccess, MessageInfo
	r.MessageText = "Application is from a NEW Applicant"
	if people.existing(a) {
		r.MessageText = "Application is from an EXISTING Employee"
	}
	r.ApplicantNumber, r.AssignmentID = rec.number, rec.number
	return append(recs, r)
}

// postOfRecord finds the transferred post of an APP record.
func (e *engine) postOfRecord(a *model.Applicant) *post {
	return e.byVPDNorm[vpdDPN{a.VPD, a.DeaneryNumber}]
}

// missingItem names the first mandatory item a record lacks, or "".
func missingItem(a *model.Applicant) string {
	switch {
	case a.EffectiveDate.IsZero():
		return "EFFECTIVE_DATE"
	case strings.TrimSpace(a.LastName) == "":
		return "LAST_NAME"
	case strings.TrimSpace(a.FirstName) == "":
		return "FIRST_NAME"
	case a.DOB.IsZero():
		return "DATE_OF_BIRTH"
	case strings.TrimSpace(a.PositionID) == "":
		return "POSITION_ID"
	case strings.TrimSpace(a.PositionNumber) == "":
		return "POSITION_NUMBER"
	}
	return ""
}

// resolve checks that exactly one active ESR position carries the record's
// deanery number, or a host/lead employer pair with a position in the
// record's VPD; it returns the error message, or "".
func (e *engine) resolve(a *model.Applicant) string {
	ps := e.active[a.DeaneryNumber]
	if pairHolds(ps, a.VPD) {
		return ""
	}
	switch len(ps) {
	case 1:
		return ""
	case 0:
		return fmt.Sprintf("No active ESR position holds deanery number %s. Application rejected.", a.DeaneryNumber)
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = "VPD " + p.vpd + " position " + p.label
	}
	sort.Strings(names)
	return fmt.Sprintf("Deanery number %s is held by %d active ESR positions (%s). Application rejected.",
		a.DeaneryNumber, len(ps), strings.Join(names, ", "))
}

// duplicate reports whether the person already holds an application for
// the same position and start date.
func (e *engine) duplicate(a *model.Applicant, heldRun map[runKey]bool) bool {
	gmc, ni := personIDs(a)
	if (gmc != "" && heldRun[newRunKey('G', gmc, a)]) || (ni != "" && heldRun[newRunKey('N', ni, a)]) {
		return true
	}
	id, ok := e.heldEarlier[heldKey(a.PositionID, a.ProjectedHireDate, a.LastName, a.FirstName)]
	return ok && id != a.PlacementID
}

// heldKey identifies an application by post, start date and names.
func heldKey(positionID string, start time.Time, last, first string) string {
	return positionID + "|" + day(start) + "|" + strings.ToLower(strings.TrimSpace(last)) + "|" + strings.ToLower(strings.TrimSpace(first))
}

// personIDs identify the person of a record for duplicate applications:
// the GMC number trimmed and the NI number normalised, each "" when absent.
func personIDs(a *model.Applicant) (gmc, ni string) {
	return strings.TrimSpace(a.GMC), normNI(a.UKNINO)
}

// runKey is an application loaded in this run: the person (by GMC number,
// kind 'G', or NI number, 'N'), the position and the start day.
type runKey struct {
	kind     byte
	id, post string
	start    int32 // yyyymmdd in the date's own location, as day() writes it; -1 for none
}

func newRunKey(kind byte, id string, a *model.Applicant) runKey {
	k := runKey{kind: kind, id: id, post: a.PositionID, start: -1}
	if t := a.ProjectedHireDate; !t.IsZero() {
		y, m, d := t.Date()
		k.start = int32(y*10000 + int(m)*100 + d)
	}
	return k
}

// applicantNumber is the number an earlier run gave the placement's
// record on post po, or the next one (each record of a host/lead employer
// pair has its own).
func (e *engine) applicantNumber(placementID string, po *post) string {
	if _, s, ok := findSent(e.prev.Sent, placementID, po); ok && s.ApplicantNumber != "" {
		return s.ApplicantNumber
	}
	n := e.nextNumber
	e.nextNumber++
	return strconv.FormatInt(n, 10)
}

// codedValue is the record's value of a coded item.
func codedValue(a *model.Applicant, item string) string {
	switch item {
	case "TITLE":
		return a.Title
	case "GENDER":
		return a.Gender
	case "MARITAL_STATUS":
		return a.MaritalStatus
	case "NATIONALITY":
		return a.Nationality
	case "ETHNIC_ORIGIN":
		return a.EthnicOrigin
	case "DISABILITY":
		return a.Disability
	case "RELIGION":
		return a.Religion
	case "SEXUAL_ORIENTATION":
		return a.SexualOrientation
	case "COUNTRY_OF_BIRTH":
		return a.CountryOfBirth
	}
	return ""
}

// personIndex holds, for the keys the APP records need, whether a person
// of ESR matches and whether one of them is a current employee. Only the
// keys asked for are kept, so 1.5 million people cost one pass and a
// small map.
type personIndex map[string]uint8 // 1 = a person, 2 = a current employee

func (e *engine) personIndex() personIndex {
	n := 0
	for fi := range e.res.APPFiles {
		n += 2 * len(e.res.APPFiles[fi].Records)
	}
	idx := make(personIndex, n)
	for fi := range e.res.APPFiles {
		for i := range e.res.APPFiles[fi].Records {
			a := &e.res.APPFiles[fi].Records[i]
			if k := niKey(a.VPD, a.UKNINO, a.LastName); k != "" {
				idx[k] = 0
			}
			if k := gmcKey(a.VPD, a.GMC); k != "" {
				idx[k] = 0
			}
		}
	}
	if len(idx) == 0 {
		return idx
	}
	var buf []byte
	mark := func(w uint8) {
		if len(buf) == 0 {
			return
		}
		if old, want := idx[string(buf)]; want && w > old { // the lookup does not allocate
			idx[string(buf)] = w
		}
	}
	for i := range e.people {
		p := &e.people[i]
		var w uint8 = 1
		if isEmployee(p.PersonType) {
			w = 2
		}
		buf = appendNIKey(buf[:0], p.VPD, p.NINumber, p.LastName)
		mark(w)
		buf = appendGMCKey(buf[:0], p.VPD, p.GMC)
		mark(w)
	}
	return idx
}

// existing reports whether the record's person is a current employee of
// the VPD: by NI number and last name, else by GMC number.
func (idx personIndex) existing(a *model.Applicant) bool {
	if w := idx[niKey(a.VPD, a.UKNINO, a.LastName)]; w > 0 {
		return w == 2
	}
	return idx[gmcKey(a.VPD, a.GMC)] == 2
}

func niKey(vpd, ni, last string) string { return string(appendNIKey(nil, vpd, ni, last)) }

func gmcKey(vpd, gmc string) string { return string(appendGMCKey(nil, vpd, gmc)) }

// appendNIKey appends the NI-and-last-name key of a person to b: nothing
// when either is empty.
func appendNIKey(b []byte, vpd, ni, last string) []byte {
	last = model.TrimWhite(last)
	if last == "" {
		return b
	}
	b = append(b, 'N', 0)
	b = append(b, strings.TrimSpace(vpd)...)
	b = append(b, 0)
	n := len(b)
	b = appendNormNI(b, ni)
	if len(b) == n {
		return b[:0]
	}
	b = append(b, 0)
	return appendLower(b, last)
}

// appendGMCKey appends the GMC key of a person to b: nothing without one.
func appendGMCKey(b []byte, vpd, gmc string) []byte {
	g := strings.TrimSpace(gmc)
	if g == "" {
		return b
	}
	b = append(b, 'G', 0)
	b = append(b, strings.TrimSpace(vpd)...)
	b = append(b, 0)
	return append(b, g...)
}

// normNI is an NI number as compared: upper case, no white space.
func normNI(s string) string { return string(appendNormNI(nil, s)) }

func appendNormNI(b []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii { // the usual case: called for each of a national file's 1.5M people
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			case 'a' <= c && c <= 'z':
				b = append(b, c-'a'+'A')
			default:
				b = append(b, c)
			}
		}
		return b
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		b = utf8.AppendRune(b, unicode.ToUpper(r))
	}
	return b
}

func appendLower(b []byte, s string) []byte {
	for _, r := range s {
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// isEmployee reports whether a person type names a current employee.
func isEmployee(personType string) bool {
	t := strings.ToUpper(strings.TrimSpace(personType))
	return !strings.HasPrefix(t, "EX") && strings.Contains(t, "EMP")
}

// day is a date as a compact key.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("20060102")
}

// esrDate is a date as ESR writes it in messages: 05-AUG-2026.
func esrDate(t time.Time) string { return strings.ToUpper(t.Format("02-Jan-2006")) }

func itoa(n int) string { return strconv.Itoa(n) }
