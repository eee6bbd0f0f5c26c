package model

import (
	"testing"
	"time"
)

// ActiveOn, and Position.Active through it: Eliminated and Deleted (any
// case, surrounding space trimmed) are inactive; otherwise active when the
// effective-to date is zero (open or unreadable) or on/after asOf.
func TestActiveOn(t *testing.T) {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tc := range []struct {
		status string
		to     time.Time
		want   bool
	}{
		{"Approved", time.Time{}, true},
		{"Approved", asOf, true},
		{"Approved", asOf.Add(day), true},
		{"Approved", asOf.Add(-day), false},
		{"Approved", asOf.Add(-time.Nanosecond), false},
		{"", time.Time{}, true},
		{"Eliminated", time.Time{}, false},
		{" eliminated\t", asOf.Add(day), false},
		{"DELETED", time.Time{}, false},
		{"Deleted ", time.Time{}, false},
		{"Deleted x", time.Time{}, true},
		{"\u00a0Deleted", time.Time{}, false}, // strings.TrimSpace trims a non-breaking space too
	} {
		if got := ActiveOn(tc.status, tc.to, asOf); got != tc.want {
			t.Errorf("ActiveOn(%q, %v) = %v, want %v", tc.status, tc.to, got, tc.want)
		}
		p := Position{HiringStatus: tc.status, EffectiveTo: tc.to}
		if got := p.Active(asOf); got != tc.want {
			t.Errorf("Position.Active(%q, %v) = %v, want %v", tc.status, tc.to, got, tc.want)
		}
	}
}
