package model

import "time"

// Person is someone ESR already holds in a VPD (inputs.md §3): an employee,
// an applicant, or both. The interface run uses them to tell a NEW applicant
// from an EXISTING employee rotating internally.
type Person struct {
	VPD              string
	PersonID         string
	EmployeeNumber   string // employee, assignment or applicant number
	PersonType       string // Employee, Applicant, Employee.Applicant, Ex-Employee (or GO's EMP, APL, EMP_APL, EX_EMP)
	LastName         string
	FirstName        string
	DOB              time.Time
	NINumber         string
	GMC              string
	PositionNumber   string // of the primary assignment, when known
	AssignmentStatus string
	File             string
	Row              int
}

// Clone returns a copy of p whose strings share no memory with p's: the
// loader hands out people whose strings point into its read buffers.
func (p Person) Clone() Person {
	c := p
	var extra []string
	var issues []DateIssue
	cloneInto([]*string{&c.VPD, &c.PersonID, &c.EmployeeNumber, &c.PersonType, &c.LastName, &c.FirstName,
		&c.NINumber, &c.GMC, &c.PositionNumber, &c.AssignmentStatus, &c.File}, &extra, &issues)
	return c
}

// Applicant is one APP record TIS sends ESR for a placement about to start
// (interface-run.md "APP fields"); field names follow the spec.
type Applicant struct {
	PlacementID       string // the TIS placement it came from (not an APP field; used for the history)
	ManagingDeanery   string // the deanery code of the APP file, e.g. KSS
	VPD               string // of the matched position
	DeaneryNumber     string // the NPN
	EffectiveDate     time.Time
	Email             string
	LastName          string
	FirstName         string
	MiddleNames       string
	Title             string
	DOB               time.Time
	Gender            string
	Address1          string
	Town              string
	County            string
	Postcode          string
	EthnicOrigin      string
	GMC               string // professionalBodies[0].regNumber with body GMC
	SexualOrientation string
	Religion          string
	Nationality       string
	UKNINO            string
	PositionID        string
	PositionNumber    string
	Disability        string
	ProjectedHireDate time.Time
	ProjectedEndDate  time.Time
	MaritalStatus     string
	CountryOfBirth    string
	Site              string // not an APP field: for MEDROT and notifications
	WTE               string // not an APP field
}
