package checks

import (
	"strconv"
	"strings"
	"time"

	"dpnkit/internal/model"
)

// Canonical column names used in findings. The checks see a model.Position,
// not the file's own header text, so findings name the field by its
// canonical header (inputs.md); input.date findings carry the file's header.
const (
	ColumnDPN        = "Deanery Post Number"
	ColumnName       = "Position Name"
	ColumnBody       = "Managing Deanery Body"
	ColumnStaffGroup = "Staff Group"
)

// Check is one family of rules. Every Check is also a PositionCheck or a
// SetCheck.
type Check interface {
	// Rules lists the rule ids the check can report, in catalogue order.
	Rules() []string
}

// PositionCheck looks at one position at a time. It must be stateless and
// safe for concurrent use, and must not allocate for a position that
// passes. It decides its own scope from the Subject.
type PositionCheck interface {
	Check
	// CheckPosition appends its findings for s to out and returns out.
	CheckPosition(s *Subject, out []Finding) []Finding
}

// SetCheck needs every kept position of the run (active positions carrying
// a DPN): duplicates, cross-VPD and once-per-VPD findings.
type SetCheck interface {
	Check
	// CheckSet returns its findings over the whole run.
	CheckSet(set *Set) []Finding
}

// Checks is the explicit list of rule families, in catalogue order: the
// concatenation of their Rules() is the ids of Catalogue.
var Checks = []Check{
	dpnFormat{},
	nameFormat{},
	duplicates{},
	dpnStyle{},
	bodyPresence{},
	bodyMismatch{},
	crossVPD{},
	nameNumberMismatch{},
	nonMedical{},
	inactive{},
	inputIssues{},
}

// Subject is one position as the per-position checks see it, with the facts
// most rules need worked out once.
type Subject struct {
	P      *model.Position
	Active bool   // P.Active(as-of date)
	HasDPN bool   // P.HasDPN()
	DPN    string // P.DPN with surrounding U+0020 spaces trimmed (other white space kept)
}

// InScope reports whether the go-live dpn.* and name.* rules apply: the
// position is active and carries a DPN.
func (s *Subject) InScope() bool { return s.Active && s.HasDPN }

// newSubject works out the facts of p for asOf.
func newSubject(p *model.Position, asOf time.Time) Subject {
	s := Subject{P: p, Active: p.Active(asOf), HasDPN: p.HasDPN()}
	if s.HasDPN {
		s.DPN = strings.Trim(p.DPN, " ")
	}
	return s
}

// Set is what the set checks see: the run's kept positions (active and
// carrying a DPN), grouped by VPD.
type Set struct {
	VPDs []VPDSet // sorted by VPD
	// LocalOffices maps Managing Deanery Body names to codes (Options).
	LocalOffices *model.LocalOffices
}

// VPDSet is the kept positions of one VPD.
type VPDSet struct {
	VPD string
	// Positions are sorted by position number, then file and row.
	Positions []model.Position
	// Normal[i] is model.NormalDPN(Positions[i].DPN).
	Normal []string
	// Duplicates are the normalised DPNs carried by more than one position,
	// sorted by DPN, indexes ascending (so by position number).
	Duplicates []DuplicateGroup
}

// severityOf maps each rule id to its catalogue severity.
var severityOf = func() map[string]Severity {
	m := make(map[string]Severity, len(Catalogue))
	for _, r := range Catalogue {
		m[r.ID] = r.Severity
	}
	return m
}()

// newFinding builds a finding about p with the rule's catalogue severity.
func newFinding(rule string, p *model.Position, column, value, msg string) Finding {
	return Finding{
		Rule:           rule,
		Severity:       severityOf[rule],
		VPD:            p.VPD,
		File:           p.File,
		Row:            p.Row,
		Column:         column,
		PositionNumber: p.Number,
		Value:          value,
		Message:        msg,
	}
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// plural returns n and the noun, with an s when n != 1: "1 part", "3 parts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
