// Package exchange simulates the ESR-TIS doctors-in-training interface for
// one as-of date (interface-run.md): the outbound POR records, the APP
// applicant files per managing deanery, ESR's load of each APP file into APC
// confirmations, the DNC notifications, the MSO notifications per VPD, the
// MEDROT grid and the run summary. It is pure: state from earlier runs comes
// in as a State and the next State goes out in the Result; the run history
// package stores it.
package exchange

import (
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// Input is everything one run works from.
type Input struct {
	AsOf      time.Time
	Check     *checks.Result    // the DPN check of the positions (built with KeepInactive)
	Reconcile *reconcile.Result // the placements reconciled against them, with Full kept at least for every placement starting in the transfer window (reconcile.Options.KeepFull; FullInWindow)
	Values    *Values           // ESR's coded-value lists; nil = the built-in lists
	// LocalOffices maps Managing Deanery Body names to codes (the counts of
	// excluded positions); nil = model's built-in table.
	LocalOffices *model.LocalOffices
	// Export, when set, is what was gathered from every row of the TIS
	// placement export as it loaded (ExportView): the posts' created dates
	// and the placements that have ended, which the reconciliation leaves
	// out. nil: neither is known.
	Export *ExportView
	// PartialExport accepts a TIS placement export that covers fewer local
	// offices, or far fewer placements, than the last run's: the last
	// run's placements of an office the export has none of are kept as
	// they were instead of withdrawn. Without it such an export is refused
	// (*NarrowExportError).
	PartialExport bool
}

// State is what the interface remembers between runs. The zero State (nil
// maps) is the state before the first run.
type State struct {
	// Positions are the POR records last transferred, by position id. A
	// record is not changed once it is in a State: a run's next state
	// points into its posts, not at copies (~75,000 records of 176 bytes
	// on a national run).
	Positions map[string]*POR
	// Sent are the applicants sent in earlier runs, by placement id.
	Sent map[string]SentApplicant
	// Sequences is the last file sequence used, by "<DEANERY>_<TYPE>"
	// (e.g. "KSS_APP"); the next file of that kind uses +1.
	Sequences map[string]int
	// NextApplicantNumber is the next ESR applicant number to hand out.
	NextApplicantNumber int64
	// Notified holds the keys of the notifications the last run found
	// (emitted then or before; see Notification.Key), so a re-run emits
	// nothing new. Keys whose cause has gone are dropped.
	Notified map[string]bool
	// TIS is what the last run saw of the TIS placement export, for the
	// next run to compare with: withdrawals and date changes (changes.go)
	// and new posts (newPosts). nil before the first run, and in a history
	// from before dpnkit kept it: that run raises no type 2 or 4, and no
	// type 5 but from a post-created date.
	TIS *TISSeen
}

// TISSeen is what a run saw of the TIS placement export. It is not
// changed once in a State: a run's next TISSeen may share the last one's
// maps.
type TISSeen struct {
	AsOf time.Time // the as-of date of the run that saw it
	// Placements are the placements the next run compares with, by
	// placement id (trimmed): the approved trainee placements of a type
	// sent to ESR, with readable dates, on an NPN a transferred position
	// carries, not ended and starting before as-of + SeenDays; and the last
	// run's own, kept as they were, of a placement that is no longer
	// approved, has an unreadable date, or whose local office a partial
	// export lacks (Input.PartialExport).
	Placements map[string]SeenPlacement
	// NPNs is every normalised NPN of an in-scope placement (vacancies
	// and unmatched ones too) of every run so far: a set, every value true.
	NPNs map[string]bool
}

// SeenPlacement is one placement of TISSeen.Placements: its local office
// and the rest of what the rules need, packed, so that a run compares
// yesterday's with today's as two strings and unpacks only those that
// differ (a national run remembers ~100,000).
type SeenPlacement struct {
	// Office is the placement's local office: its Managing Deanery,
	// white space trimmed, else the NPN's first part in upper case.
	Office string
	// Rec is, tab-separated: the NPN (normalised), the start and end
	// dates (YYYYMMDD, "" for none), last name, first name and GMC number
	// (trimmed). A tab, line feed, carriage return or backslash in a field
	// is stored as a space. Personal: never logged.
	Rec string
}

// SentApplicant is an APP record sent in an earlier run and what ESR did.
type SentApplicant struct {
	PlacementID     string
	NPN             string // normalised
	PositionID      string
	PositionNumber  string
	VPD             string
	Deanery         string
	Start, End      time.Time
	ApplicantNumber string // "" unless loaded with SUCCESS
	Status          string // SUCCESS, FAIL or QUARANTINED
	File            string // the APP file it went in
	LastName        string // for the withdrawal notice; personal: never logged
	FirstName       string
	GMC             string // the GMC number TIS supplied, trimmed; personal: never logged
}

// POR is one position-reconciliation record (ESR -> TIS), field names as
// interface-run.md "POR fields". The csv tags are the POR file's layout
// (docs/interface-files.md): the header names, in file order, which is the
// published POR schema's (odsCode before hostLeadIndicator).
type POR struct {
	PositionID            string `csv:"positionID"`
	ChangeDeleteIndicator string `csv:"changeDeleteIndicator"` // "C" or "D" (the first, full run writes "C")
	PositionNumber        string `csv:"positionNumber"`
	PositionTitle         string `csv:"positionTitle"`
	DeaneryNumber         string `csv:"deaneryNumber"`
	ManagingOffice        string `csv:"managingOffice"`
	ODSCode               string `csv:"odsCode"`
	HostLeadIndicator     string `csv:"hostLeadIndicator"`
	EmployingOrgVPDCode   string `csv:"employingOrgVPDCode"`
	ESROrganisation       string `csv:"esrOrganisation"`
	ESRLocation           string `csv:"esrLocation"`
}

// Exclusion is an active DPN position that does not transfer, and why.
type Exclusion struct {
	VPD, PositionNumber, DPN string
	Reason                   string // e.g. "DPN breaks dpn.chars", "duplicate DPN (also on 12345678)"
}

// APPFile is one applicant file for one managing deanery.
type APPFile struct {
	Name    string // DE_<DEANERY>_APP_<YYYYMMDD>_<8-digit seq>
	Deanery string
	Seq     int
	Records []model.Applicant // in file order
}

// NotificationFile is one notification file TIS sends ESR for one
// managing deanery: the full DNF of a first run or a DNC of changes.
type NotificationFile struct {
	Name    string // DE_<DEANERY>_DNF_<YYYYMMDD>_<8-digit seq> or DE_<DEANERY>_DNC_...
	Deanery string
	Type    string // FileDNF or FileDNC
	Seq     int
	// Notes are the file's records as indexes into Result.Notifications,
	// in file order (a first national run's DNF holds ~90,000: copied,
	// they would double the largest list of the run).
	Notes []int32
}

// The notification file types.
const (
	FileDNF = "DNF"
	FileDNC = "DNC"
)

// APC is ESR's confirmation of one APP record (interface-run.md "APC fields").
// A record with several messages gives several APC rows. The csv tags are
// the APC file's layout (docs/interface-files.md): the header names, in
// file order; the fields tagged "-" are not written.
type APC struct {
	ESRVacancyID     int    `csv:"esrVacancyId"` // 1-based place in the APP file
	VacancyRefNumber string `csv:"vacancyRefNumber"`
	DeaneryNumber    string `csv:"deaneryNumber"`
	LoadStatusCode   string `csv:"loadStatusCode"` // SUCCESS or FAIL
	MessageType      string `csv:"messageType"`    // ERROR, WARNING or INFO
	MessageText      string `csv:"messageText"`
	ApplicantNumber  string `csv:"applicantNumber"` // SUCCESS only
	AssignmentID     string `csv:"assignmentId"`    // SUCCESS only
	PositionID       string `csv:"positionId"`
	PositionNumber   string `csv:"positionNumber"`
	// Not APC fields: who and where, for the MSO notifications.
	PlacementID   string `csv:"-"`
	VPD           string `csv:"-"`
	ApplicantName string `csv:"-"` // "LastName,FirstName" as the seed shows it; personal
}

// APCFile is ESR's confirmations for one APP file.
type APCFile struct {
	Name    string // DE_<DEANERY>_APC_<YYYYMMDD>_<8-digit seq>
	APPFile string
	Records []APC
}

// Quarantine is an APP file ESR would quarantine whole: no APC at all.
type Quarantine struct {
	APPFile string
	Posts   []QuarantinedPost
}

// QuarantinedPost is a post with more than 40 applicant records in one file.
type QuarantinedPost struct {
	DeaneryNumber, PositionNumber, VPD string
	Applicants                         int
}

// Notification title codes (interface-run.md).
const (
	NotifyHolders    = 1 // current and next post holder (feeds MEDROT)
	NotifyWithdrawn  = 2 // applicant withdrawn
	NotifyDateChange = 4 // change of projected hire/end date
	NotifyNewPost    = 5 // new post created in TIS with no ESR position
)

// Notification is one DNC record TIS sends ESR.
type Notification struct {
	Type           int
	VPD            string
	Deanery        string
	DeaneryNumber  string // NPN
	PositionNumber string
	PlacementID    string
	Current, Next  *Holder // type 1
	OldStart       time.Time
	NewStart       time.Time // type 4 (start moved) or the start of a withdrawn placement
	OldEnd, NewEnd time.Time
	Reason         string // type 2: withdrawal reason code, default "3" (Other)
	ApplicantName  string // personal
	// GMC is the trainee's GMC number as TIS supplied it (types 2 and 4):
	// for a withdrawal the one sent, for a date change the one TIS holds
	// now. Personal. "" when unknown (an applicant sent before the run
	// history kept it).
	GMC string
	// ApplicantNumber is the number ESR gave the withdrawn applicant (type
	// 2); "" when ESR gave none.
	ApplicantNumber string
	// Specialty is the post's specialty as TIS holds it: that of the
	// NPN's first in-scope placement (by start date, then id) that names
	// one; "" when none does (ESR then says "No specialty supplied"). Not
	// part of the key.
	Specialty string
	// Position is the ESR position the notification is about, as it
	// transfers now (or did in the last run); nil for a new post (type 5)
	// or one ESR no longer sends. Shared between notifications: read
	// only. Not part of the key.
	Position *PositionDetails
}

// PositionDetails is what the interface knows of an ESR position: the
// withdrawn notice's "Position Details" block and the DNC record's
// occupation code and host/lead status.
type PositionDetails struct {
	PositionID     string // ESR position id (POR positionID)
	PositionNumber string
	Title          string // POR positionTitle
	OccupationCode string // "" when the export has none
	Job            string // the job role; "" when the export has none
	HostLead       string // POR hostLeadIndicator
	Organisation   string // POR esrOrganisation
	Location       string // POR esrLocation
	VPD            string
}

// Key identifies a notification for idempotency: the same key is never
// emitted twice across runs. It is built from the type, VPD, deanery
// number, placement id, holders and dates only (keyOf): keys are stored in
// run histories, so a field added to Notification must not enter it.
func (n Notification) Key() string {
	return keyOf(n)
}

// Holder is a trainee in a post, current or next (MEDROT).
type Holder struct {
	PlacementID    string
	LastName       string
	FirstName      string
	GMC            string
	Email          string
	Site           string // place of work / placement site
	WTE            string
	ProjectedStart time.Time
	ProjectedEnd   time.Time
	Grade          string
	// NextPlacement (a current holder's) and CurrentPlacement (a next
	// holder's) are the sites of the trainee's next and current placements
	// anywhere in TIS (MEDROT's "Next Placement" and "Current Placement",
	// the notification's currentTraineeVpdForNextPlacement and
	// nextAppointmentCurrentPlacementVpd); "" when TIS has none, which
	// the MEDROT shows as NOT KNOWN. Not part of a notification's key.
	NextPlacement    string
	CurrentPlacement string
}

// MedrotRow is one row of the MEDROT grid of a VPD. A job share gives
// several rows for one post; an empty side is a vacancy or unknown.
type MedrotRow struct {
	VPD            string
	PositionNumber string
	TPN            string // the DPN
	PlaceOfWork    string
	Current        *Holder
	Next           *Holder
	Vacancy        bool // a RECRUIT - VACANCY placeholder is the next holder
}

// MSONotices are the ESR notifications a VPD's Medical Staffing Officer
// receives from this run (interface-run.md step 7).
type MSONotices struct {
	VPD         string
	Failed      []APC          // "The following applications have failed to load ..."
	Successful  []APC          // "The following new applications were successfully created ..."
	Withdrawn   []Notification // type 2
	DateChanges []Notification // type 4
	NewPosts    []Notification // type 5
	Starters    []Starter      // projected hire within the next 5 days
}

// Starter is a "Jnr. Doctor Starter(s)" reminder row.
type Starter struct {
	ApplicantNumber, ApplicantName, PositionNumber, DeaneryNumber string
	GMC                                                           string // as sent to ESR; personal
	ProjectedHireDate                                             time.Time
	HostEmployer                                                  bool // hire as Honorary
}

// Counts summarise a run for one group (managing deanery or VPD) or all.
type Counts struct {
	Group                string      `json:"group,omitempty"`
	PositionsTransferred int         `json:"positions_transferred"`
	PositionsExcluded    int         `json:"positions_excluded"`
	PlacementsInWindow   int         `json:"placements_in_window"`
	APPRecords           int         `json:"app_records"`
	Success              int         `json:"success"`
	Fail                 int         `json:"fail"`
	Warnings             int         `json:"warnings"`
	QuarantinedFiles     int         `json:"quarantined_files"`
	NotificationsByType  map[int]int `json:"notifications_by_type"`
}

// Result is one run's output and the state it leaves.
type Result struct {
	AsOf          time.Time
	First         bool // no earlier run: POR is the full set
	Outbound      []POR
	Excluded      []Exclusion
	APPFiles      []APPFile
	APCFiles      []APCFile
	Quarantined   []Quarantine
	Notifications []Notification // DNC, all types, this run only
	// NotificationFiles are the DNF (first run) and DNC files per managing
	// deanery, sorted by deanery then type (see noticeFiles).
	NotificationFiles []NotificationFile
	MSO               []MSONotices // by VPD
	MEDROT            []MedrotRow  // by VPD, position number
	Totals            Counts
	ByDeanery         []Counts
	ByVPD             []Counts
	Next              State // the state to commit
	// Rows account for every record the run read (counts.go): positions
	// and placements as the reconciliation counted them, people as far as
	// the run knows them (Kept; the caller, which loaded them, sets the
	// rest with PeopleRowsOf).
	Rows RunRows
}

// RunRows account for every record a run read, by kind.
type RunRows struct {
	Positions  checks.PositionRows     `json:"positions"`
	Placements reconcile.PlacementRows `json:"placements"`
	People     PeopleRows              `json:"people"`
}

// PeopleRows accounts for the ESR people a run read: each is counted in
// exactly one of Kept (a possible match of an applicant, handed to the
// run: its NI or GMC number is one a placement in the transfer window
// carries, PeopleKeep) and NotNeeded (read and checked by the loader, then
// let go: no applicant can match them), which add up to Read. Skipped are
// the rows the loader set aside (people of other VPDs with --vpd, empty
// rows, ...): not in Read.
type PeopleRows struct {
	Read      int `json:"read"`
	Kept      int `json:"kept"`
	NotNeeded int `json:"not_needed"`
	Skipped   int `json:"skipped"`
}

// Parts lists the categories of r that add up to Read, in report order.
func (r PeopleRows) Parts() []checks.RowCount {
	return []checks.RowCount{{Label: "kept as possible matches", N: r.Kept}, {Label: "not needed", N: r.NotNeeded}}
}
