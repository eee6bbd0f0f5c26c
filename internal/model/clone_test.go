package model

import (
	"strings"
	"testing"
	"time"
	"unsafe"
)

// TestPositionCloneIsIndependent overwrites the buffer every field of a
// position was cut from and requires the clone to keep the old values.
func TestPositionCloneIsIndependent(t *testing.T) {
	buf := []byte("504|10000016|KSS/RJZ01/030\tSTR/001|KSS|a.csv|Legacy Ref|Effective To Date|31/02/2026")
	view := unsafe.String(&buf[0], len(buf))
	cut := func(from, to int) string { return view[from:to] }
	p := Position{VPD: cut(0, 3), Number: cut(4, 12), DPN: cut(13, 34), ManagingBody: cut(35, 38), File: cut(39, 44),
		Extra:       []string{cut(45, 55)},
		DateIssues:  []DateIssue{{Column: cut(56, 73), Value: cut(74, 84)}},
		EffectiveTo: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Row: 7}
	c := p.Clone()
	for i := range buf {
		buf[i] = 'x'
	}
	want := Position{VPD: "504", Number: "10000016", DPN: "KSS/RJZ01/030\tSTR/001", ManagingBody: "KSS", File: "a.csv",
		Extra:       []string{"Legacy Ref"},
		DateIssues:  []DateIssue{{Column: "Effective To Date", Value: "31/02/2026"}},
		EffectiveTo: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Row: 7}
	if c.VPD != want.VPD || c.Number != want.Number || c.DPN != want.DPN || c.ManagingBody != want.ManagingBody ||
		c.File != want.File || c.Extra[0] != want.Extra[0] || c.DateIssues[0] != want.DateIssues[0] ||
		!c.EffectiveTo.Equal(want.EffectiveTo) || c.Row != want.Row {
		t.Fatalf("clone changed with the buffer:\n got  %+v\n want %+v", c, want)
	}
	if p.DPN == want.DPN {
		t.Fatal("test is broken: the original should have changed with its buffer")
	}
}

func TestPlacementCloneKeepsNilSlices(t *testing.T) {
	p := Placement{ID: "1716002", NPN: "DIF/RXGSO/024/SPQ/001", Surname: "Ghani"}
	c := p.Clone()
	if c.Extra != nil || c.DateIssues != nil || c.ID != p.ID || c.NPN != p.NPN || c.Surname != p.Surname {
		t.Fatalf("got %+v", c)
	}
}

func TestTransferWindowEdges(t *testing.T) {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		days int
		want bool
	}{{2, false}, {3, true}, {90, true}, {7*13 - 1, true}, {7 * 13, false}} {
		if got := TransferWindow(asOf.AddDate(0, 0, c.days), asOf); got != c.want {
			t.Errorf("start as-of+%d days: in window %v, want %v", c.days, got, c.want)
		}
	}
}

func TestPersonCloneIsIndependent(t *testing.T) {
	buf := []byte("504|P1|E7|Employee|Khan|Aisha|AB123456C|7021070|10000016|Active|p.csv")
	view := unsafe.String(&buf[0], len(buf))
	parts := strings.Split(view, "|") // substrings of view: they share buf
	dob := time.Date(1990, 5, 1, 0, 0, 0, 0, time.UTC)
	p := Person{VPD: parts[0], PersonID: parts[1], EmployeeNumber: parts[2], PersonType: parts[3], LastName: parts[4],
		FirstName: parts[5], NINumber: parts[6], GMC: parts[7], PositionNumber: parts[8], AssignmentStatus: parts[9],
		File: parts[10], DOB: dob, Row: 3}
	c := p.Clone()
	for i := range buf {
		buf[i] = 'x'
	}
	want := Person{VPD: "504", PersonID: "P1", EmployeeNumber: "E7", PersonType: "Employee", LastName: "Khan",
		FirstName: "Aisha", NINumber: "AB123456C", GMC: "7021070", PositionNumber: "10000016", AssignmentStatus: "Active",
		File: "p.csv", DOB: dob, Row: 3}
	if c != want {
		t.Fatalf("clone changed with the buffer:\n got  %+v\n want %+v", c, want)
	}
	if p.LastName == want.LastName {
		t.Fatal("test is broken: the original should have changed with its buffer")
	}
}
