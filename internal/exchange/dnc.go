package exchange

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"dpnkit/internal/model"
)

// The notification files TIS sends ESR (DNF on the first day, DNC daily)
// and their records. The record's fields and their order are the columns
// of TIS-TCS's EsrNotification table (migration V3.60, with V3.112's
// currentTraineeWorkingHoursIndicator after currentTraineeVpdForNextPlacement);
// the wire layout of ESR's specification is not public. What fills each
// field, and what is dpnkit's decision, is in docs/interface-files.md.

// NotKnown is what TIS writes for a trainee's other placement when it
// finds none (getSiteKnownAs).
const NotKnown = "NOT KNOWN"

// DNCRecord is one record of a DNF or DNC file. The csv tags are the
// layout: the header names, in file order. Dates are YYYY-MM-DD; the
// working hours are whole-time equivalents with one decimal; the vacancy
// flag is Y or N; an item a record does not carry is "".
type DNCRecord struct {
	NotificationTitleCode                 string `csv:"notificationTitleCode"`
	DeaneryBody                           string `csv:"deaneryBody"`
	DeaneryPostNumber                     string `csv:"deaneryPostNumber"`
	ManagingDeaneryBodyCode               string `csv:"managingDeaneryBodyCode"`
	OccupationCode                        string `csv:"occupationCode"`
	HostLeadEmployerStatus                string `csv:"hostLeadEmployerStatus"`
	NewTrainingPositionLocation           string `csv:"newTrainingPositionLocation"`
	CurrentTraineeLastName                string `csv:"currentTraineeLastName"`
	CurrentTraineeFirstName               string `csv:"currentTraineeFirstName"`
	CurrentTraineeGmcNumber               string `csv:"currentTraineeGmcNumber"`
	CurrentTraineeProjectedEndDate        string `csv:"currentTraineeProjectedEndDate"`
	CurrentTraineeVpdForNextPlacement     string `csv:"currentTraineeVpdForNextPlacement"`
	CurrentTraineeWorkingHoursIndicator   string `csv:"currentTraineeWorkingHoursIndicator"`
	NextAppointmentTraineeLastName        string `csv:"nextAppointmentTraineeLastName"`
	NextAppointmentTraineeFirstName       string `csv:"nextAppointmentTraineeFirstName"`
	NextAppointmentTraineeGmcNumber       string `csv:"nextAppointmentTraineeGmcNumber"`
	NextAppointmentCurrentPlacementVpd    string `csv:"nextAppointmentCurrentPlacementVpd"`
	NextAppointmentProjectedStartDate     string `csv:"nextAppointmentProjectedStartDate"`
	NextAppointmentTraineeEmailAddress    string `csv:"nextAppointmentTraineeEmailAddress"`
	NextAppointmentTraineeGrade           string `csv:"nextAppointmentTraineeGrade"`
	WithdrawnTraineeLastName              string `csv:"withdrawnTraineeLastName"`
	WithdrawnTraineeFirstName             string `csv:"withdrawnTraineeFirstName"`
	WithdrawnTraineeGmcNumber             string `csv:"withdrawnTraineeGmcNumber"`
	WithdrawalReason                      string `csv:"withdrawalReason"`
	ReplacementTraineeLastName            string `csv:"replacementTraineeLastName"`
	ReplacementTraineeFirstName           string `csv:"replacementTraineeFirstName"`
	ReplacementTraineeGmcNumber           string `csv:"replacementTraineeGmcNumber"`
	ReplacementTraineeCurrentPlacementVpd string `csv:"replacementTraineeCurrentPlacementVpd"`
	ReplacementTraineeProjectedHireDate   string `csv:"replacementTraineeProjectedHireDate"`
	ChangeOfProjectedHireDate             string `csv:"changeOfProjectedHireDate"`
	ChangeOfProjectedEndDate              string `csv:"changeOfProjectedEndDate"`
	PostSpeciality                        string `csv:"postSpeciality"`
	WorkingHourIndicator                  string `csv:"workingHourIndicator"`
	PostVacantAtNextRotation              string `csv:"postVacantAtNextRotation"`
	MedicalRotationPostDeleteIndicator    string `csv:"medicalRotationPostDeleteIndicator"`
}

// NotificationName names a notification file: DE_<DEANERY>_<DNF|DNC>_<YYYYMMDD>_<seq>.
func NotificationName(deanery, typ string, asOf time.Time, seq int) string {
	return FileName(deanery, typ, asOf, seq)
}

// specialties maps each normalised NPN of the in-scope placements to its
// specialty: that of its first placement, by start date then id, that
// names one (Notification.Specialty). It reads only the reconciliation,
// beside the main line of steps.
func (e *engine) specialties() {
	m := make(map[string]firstSpecialty)
	for i := range e.in.Reconcile.Placements {
		p := e.in.Reconcile.Placements[i].Placement
		s := model.TrimWhite(p.Specialty)
		if s == "" {
			continue
		}
		norm := model.NormalDPN(p.NPN)
		id := model.TrimWhite(p.ID)
		if f, ok := m[norm]; ok && (f.from.Before(p.DateFrom) || (f.from.Equal(p.DateFrom) && f.id <= id)) {
			continue
		}
		m[norm] = firstSpecialty{p.DateFrom, id, s}
	}
	e.specialty = m
}

// firstSpecialty is the specialty of a post's first placement (start date,
// then placement id), and that placement's start date and id.
type firstSpecialty struct {
	from      time.Time
	id, value string
}

// describe fills each kept notification's Specialty (when its maker left
// it empty) and Position: the transferred post of its VPD and NPN, else
// the post as the last run transferred it.
func (e *engine) describe() {
	details := make(map[*post]*PositionDetails)
	var gone map[vpdDPN]*PositionDetails // the last run's posts, made when first needed
	for i := range e.res.Notifications {
		n := &e.res.Notifications[i]
		if n.Specialty == "" {
			n.Specialty = e.specialty[n.DeaneryNumber].value
		}
		if n.Position != nil || n.Type == NotifyNewPost {
			continue
		}
		k := vpdDPN{n.VPD, n.DeaneryNumber}
		if po := e.byVPDNorm[k]; po != nil {
			d := details[po]
			if d == nil {
				d = &PositionDetails{PositionID: po.id, PositionNumber: po.number, Title: po.por.PositionTitle,
					OccupationCode: po.occupation, Job: po.job, HostLead: po.hostLead,
					Organisation: po.por.ESROrganisation, Location: po.por.ESRLocation, VPD: po.vpd}
				details[po] = d
			}
			n.Position = d
			continue
		}
		if gone == nil {
			gone = make(map[vpdDPN]*PositionDetails, len(e.prev.Positions))
			for _, r := range e.prev.Positions {
				gone[vpdDPN{r.EmployingOrgVPDCode, model.NormalDPN(r.DeaneryNumber)}] = &PositionDetails{
					PositionID: r.PositionID, PositionNumber: r.PositionNumber, Title: r.PositionTitle,
					HostLead: r.HostLeadIndicator, Organisation: r.ESROrganisation, Location: r.ESRLocation,
					VPD: r.EmployingOrgVPDCode}
			}
		}
		n.Position = gone[k]
	}
	e.specialty = nil
}

// noticeFiles groups the kept notifications into files per managing
// deanery (Notification.Deanery): on a first run a DNF of its type 1
// records (every current and next holder of every post) and, when it
// found others (new posts), a DNC of them; on later runs one DNC of all.
// Records keep the notifications' order. Each file takes the next number
// of its deanery and type (State.Sequences, "<DEANERY>_DNF"/"_DNC").
func (e *engine) noticeFiles() {
	type fileKey struct{ deanery, typ string }
	by := make(map[fileKey][]int32)
	for i := range e.res.Notifications {
		n := &e.res.Notifications[i]
		typ := FileDNC
		if e.res.First && n.Type == NotifyHolders {
			typ = FileDNF
		}
		k := fileKey{strings.ToUpper(n.Deanery), typ}
		by[k] = append(by[k], int32(i))
	}
	keys := make([]fileKey, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b fileKey) int {
		return cmp.Or(strings.Compare(a.deanery, b.deanery), strings.Compare(b.typ, a.typ)) // DNF before DNC
	})
	for _, k := range keys {
		sk := SequenceKey(k.deanery, k.typ)
		seq := e.sequences[sk] + 1
		e.sequences[sk] = seq
		e.res.NotificationFiles = append(e.res.NotificationFiles, NotificationFile{
			Name: NotificationName(k.deanery, k.typ, e.asOf, seq), Deanery: k.deanery, Type: k.typ, Seq: seq,
			Notes: by[k]})
	}
}

// DNCContext is what making a run's DNC records needs besides each
// notification: the MEDROT rows of every VPD, to find where a trainee is
// placed now or next and who else holds a post. Build it once per result
// (NewDNCContext); it is read only, safe for concurrent use.
type DNCContext struct {
	asOf   time.Time
	rows   []MedrotRow
	byPost map[string][2]int32 // VPD | position number -> its rows, [from, to): a post's rows are side by side
}

// NewDNCContext indexes a result's MEDROT rows by post for its DNC records.
// A current holder's next placement (currentTraineeVpdForNextPlacement)
// and a next holder's current placement (nextAppointmentCurrentPlacementVpd)
// are the sites the MEDROT found for the trainee anywhere in TIS
// (Holder.NextPlacement, Holder.CurrentPlacement); TIS fills both with a
// site name, not a VPD code, and NotKnown when there is none.
func NewDNCContext(r *Result) *DNCContext {
	c := &DNCContext{asOf: r.AsOf, rows: r.MEDROT, byPost: make(map[string][2]int32, len(r.MEDROT))}
	for i := range r.MEDROT {
		row := &r.MEDROT[i]
		k := row.VPD + "\x00" + row.PositionNumber
		span, seen := c.byPost[k]
		if !seen {
			span[0] = int32(i)
		}
		span[1] = int32(i) + 1
		c.byPost[k] = span
	}
	return c
}

func siteOr(site string) string { return cmp.Or(strings.TrimSpace(site), NotKnown) }

// dncDate is a DNC date: YYYY-MM-DD, "" when unknown.
func dncDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// dncWTE is a whole-time equivalent rounded to one decimal, as TIS sends
// it; a value that is not a number is passed on as written.
func dncWTE(s string) string {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

// Record makes the DNC record of a notification for the file of deanery
// (its deaneryBody). See docs/interface-files.md for each field.
func (c *DNCContext) Record(n *Notification, deanery string) DNCRecord {
	r := DNCRecord{NotificationTitleCode: strconv.Itoa(n.Type), DeaneryBody: deanery,
		DeaneryPostNumber: n.DeaneryNumber, ManagingDeaneryBodyCode: n.Deanery, PostSpeciality: n.Specialty}
	if p := n.Position; p != nil {
		r.OccupationCode, r.HostLeadEmployerStatus = p.OccupationCode, p.HostLead
	}
	switch n.Type {
	case NotifyHolders:
		c.current(&r, n.Current)
		c.next(&r, n.Next)
		r.PostVacantAtNextRotation = yesNo(n.Next == nil)
	case NotifyWithdrawn:
		rows := c.postRows(n)
		for i := range rows {
			if rows[i].Current != nil {
				c.current(&r, rows[i].Current)
				break
			}
		}
		r.PostVacantAtNextRotation = yesNo(!hasNext(rows))
		r.WithdrawnTraineeLastName, r.WithdrawnTraineeFirstName = splitApplicant(n.ApplicantName)
		r.WithdrawnTraineeGmcNumber = n.GMC
		r.WithdrawalReason = cmp.Or(n.Reason, ReasonOther)
	case NotifyDateChange:
		c.dateChange(&r, n)
	case NotifyNewPost:
		if n.Next != nil {
			r.NewTrainingPositionLocation = n.Next.Site
		}
		r.PostVacantAtNextRotation = yesNo(true)
	}
	return r
}

// dateChange fills a type 4 record as TIS does: a copy of the type 1
// record of the placement (as the current holder when it had started by
// the as-of date, else as the next), without the current holder's
// projected end date, with the new end date and, when it is after the
// as-of date, the new hire date.
func (c *DNCContext) dateChange(r *DNCRecord, n *Notification) {
	start := n.OldStart
	if start.IsZero() {
		start = n.NewStart
	}
	current := !start.After(c.asOf)
	rows := c.postRows(n)
	var row *MedrotRow
	for i := range rows {
		h := rows[i].Next
		if current {
			h = rows[i].Current
		}
		if h != nil && h.PlacementID == n.PlacementID {
			row = &rows[i]
			break
		}
	}
	last, first := splitApplicant(n.ApplicantName)
	switch {
	case row != nil:
		c.current(r, row.Current)
		c.next(r, row.Next)
		r.PostVacantAtNextRotation = yesNo(row.Next == nil)
	case current:
		c.current(r, &Holder{LastName: last, FirstName: first, GMC: n.GMC})
		r.PostVacantAtNextRotation = yesNo(!hasNext(rows))
	default:
		c.next(r, &Holder{LastName: last, FirstName: first, GMC: n.GMC, ProjectedStart: n.NewStart})
		r.PostVacantAtNextRotation = yesNo(false)
	}
	r.CurrentTraineeProjectedEndDate = ""
	if n.NewStart.After(c.asOf) {
		r.ChangeOfProjectedHireDate = dncDate(n.NewStart)
	}
	r.ChangeOfProjectedEndDate = dncDate(n.NewEnd)
}

func (c *DNCContext) current(r *DNCRecord, h *Holder) {
	if h == nil {
		return
	}
	r.CurrentTraineeLastName, r.CurrentTraineeFirstName, r.CurrentTraineeGmcNumber = h.LastName, h.FirstName, h.GMC
	r.CurrentTraineeProjectedEndDate = dncDate(h.ProjectedEnd)
	r.CurrentTraineeVpdForNextPlacement = siteOr(h.NextPlacement)
	r.CurrentTraineeWorkingHoursIndicator = dncWTE(h.WTE)
}

func (c *DNCContext) next(r *DNCRecord, h *Holder) {
	if h == nil {
		return
	}
	r.NextAppointmentTraineeLastName, r.NextAppointmentTraineeFirstName = h.LastName, h.FirstName
	r.NextAppointmentTraineeGmcNumber = h.GMC
	r.NextAppointmentCurrentPlacementVpd = siteOr(h.CurrentPlacement)
	r.NextAppointmentProjectedStartDate = dncDate(h.ProjectedStart)
	r.NextAppointmentTraineeEmailAddress = h.Email
	r.NextAppointmentTraineeGrade = h.Grade
	r.WorkingHourIndicator = dncWTE(h.WTE)
}

// postRows are the MEDROT rows of a notification's post (Result.MEDROT
// is sorted by VPD and position number, so a post's rows are together).
func (c *DNCContext) postRows(n *Notification) []MedrotRow {
	span := c.byPost[n.VPD+"\x00"+n.PositionNumber]
	return c.rows[span[0]:span[1]]
}

func hasNext(rows []MedrotRow) bool {
	for i := range rows {
		if rows[i].Next != nil {
			return true
		}
	}
	return false
}

// splitApplicant splits "LastName,FirstName" (Notification.ApplicantName)
// at its first comma.
func splitApplicant(name string) (last, first string) {
	last, first, _ = strings.Cut(name, ",")
	return last, first
}

// NonNumericVPDs lists, sorted, the VPDs of the positions a run transfers
// (Next.Positions) whose code is not what POR's employingOrgVPDCode holds:
// a number of one to four digits. Their POR records carry the code as it
// is; the run summary warns about them.
func (r *Result) NonNumericVPDs() []string {
	seen := make(map[string]bool)
	for _, p := range r.Next.Positions {
		v := p.EmployingOrgVPDCode
		if seen[v] || NumericVPD(v) {
			continue
		}
		seen[v] = true
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// NumericVPD reports whether a VPD code fits POR's employingOrgVPDCode: one
// to four ASCII digits.
func NumericVPD(v string) bool {
	if v == "" || len(v) > 4 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}
