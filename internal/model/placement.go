package model

import (
	"strings"
	"time"
)

// Placement is one TIS placement: a trainee's time in a post (inputs.md §2).
// Strings are as decoded from the file, untrimmed. Like Position, a
// Placement handed to a batch sink shares the loader's buffers until Cloned.
type Placement struct {
	ID              string // Placement TIS ID
	NPN             string // National Post Number: matches an ESR position's DPN
	Surname         string
	Forenames       string
	GMC             string
	DateFrom        time.Time // zero when empty or unreadable (see DateIssues)
	DateTo          time.Time
	PlacementType   string
	Lifecycle       string
	WTE             string // as written; parse with strconv.ParseFloat when needed
	Grade           string
	Specialty       string
	Site            string
	EmployingBody   string
	TrainingBody    string
	ManagingDeanery string

	// Personal details the applicant record carries.
	Email, Title, Gender, NINumber, Nationality, Disability, EthnicOrigin string
	MaritalStatus, Religion, SexualOrientation                            string
	Address1, Town, County, Postcode                                      string
	DOB                                                                   time.Time

	// PostCreated is the date the placement's post was created in TIS,
	// when the file has such a column (zero when empty or unreadable).
	PostCreated time.Time

	// Which optional columns the file had, so an empty value can be told
	// from a column that was never exported.
	HasDOBColumn         bool
	HasLifecycleColumn   bool
	HasPostCreatedColumn bool

	Extra      []string
	File       string
	Row        int
	DateIssues []DateIssue
}

// The TIS placeholder for an unfilled post.
const (
	VacancySurname = "RECRUIT - VACANCY"
	VacancyGMC     = "9999978"
)

// IsVacancy reports whether the placement is TIS's RECRUIT - VACANCY
// placeholder rather than a trainee.
func (p *Placement) IsVacancy() bool {
	return strings.EqualFold(TrimWhite(p.Surname), VacancySurname) || TrimWhite(p.GMC) == VacancyGMC
}

// Ended reports whether the placement ended before asOf.
func (p *Placement) Ended(asOf time.Time) bool { return !p.DateTo.IsZero() && p.DateTo.Before(asOf) }

// sentTypes are the placement types that reach ESR (inputs.md §2).
var sentTypes = []string{"in post", "in post - acting up", "in post - extension", "parental leave",
	"long-term sick", "suspended", "phased return"}

// TypeSent reports whether placements of this type reach ESR. An empty type
// (no placement type column) is taken as "In post".
func (p *Placement) TypeSent() bool {
	t := strings.ToLower(TrimWhite(p.PlacementType))
	if t == "" {
		return true
	}
	for _, s := range sentTypes {
		if t == s {
			return true
		}
	}
	return false
}

// Approved reports whether the placement may be sent: APPROVED, or no
// lifecycle column at all.
func (p *Placement) Approved() bool {
	return !p.HasLifecycleColumn || strings.EqualFold(TrimWhite(p.Lifecycle), "APPROVED")
}

// Clone returns a copy of p that shares no memory with the loader's buffers.
func (p Placement) Clone() Placement {
	c := p
	cloneInto([]*string{&c.ID, &c.NPN, &c.Surname, &c.Forenames, &c.GMC, &c.PlacementType,
		&c.Lifecycle, &c.WTE, &c.Grade, &c.Specialty, &c.Site, &c.EmployingBody, &c.TrainingBody,
		&c.ManagingDeanery, &c.Email, &c.Title, &c.Gender, &c.NINumber, &c.Nationality, &c.Disability,
		&c.EthnicOrigin, &c.MaritalStatus, &c.Religion, &c.SexualOrientation, &c.Address1, &c.Town,
		&c.County, &c.Postcode, &c.File}, &c.Extra, &c.DateIssues)
	return c
}

// TransferWindow reports whether a placement starting on start is inside
// the interface's transfer window on asOf: after asOf + 2 days and before
// asOf + 13 weeks, both exclusive (interface-run.md).
func TransferWindow(start, asOf time.Time) bool {
	return start.After(asOf.AddDate(0, 0, 2)) && start.Before(asOf.AddDate(0, 0, 7*13))
}
