package exchange

import (
	"testing"
	"time"
)

// TestKeyIgnoresCarriedFields: Notification.Key is stored in users' run
// histories, so the fields carried for the MSO's tables (name, GMC number,
// applicant number, reason, deanery, position number) must not enter it.
// The expected keys are written by hand from keyOf's format: type | VPD |
// deanery number | placement id | current holder | next holder | old start
// | new start | old end | new end.
func TestKeyIgnoresCarriedFields(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		n    Notification
		want string
	}{
		{"withdrawal", Notification{Type: NotifyWithdrawn, VPD: "504", Deanery: "KSS", DeaneryNumber: dpnA,
			PositionNumber: "10000016", PlacementID: "PA", NewStart: d(2026, 12, 25), NewEnd: d(2027, 12, 25),
			Reason: ReasonOther, ApplicantName: "Smith,Anna"},
			"2|504|KSS/RJZ01/030/STR/001|PA||||20261225||20271225"},
		{"date change", Notification{Type: NotifyDateChange, VPD: "504", Deanery: "KSS", DeaneryNumber: dpnA,
			PositionNumber: "10000016", PlacementID: "PB", OldStart: d(2026, 12, 25), NewStart: d(2027, 1, 1),
			OldEnd: d(2027, 12, 25), NewEnd: d(2027, 12, 25), ApplicantName: "Jones,Ben"},
			"4|504|KSS/RJZ01/030/STR/001|PB|||20261225|20270101|20271225|20271225"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bare := tt.n
			if got := bare.Key(); got != tt.want {
				t.Errorf("key without GMC = %q, want %q", got, tt.want)
			}
			full := tt.n
			full.GMC, full.ApplicantNumber = "7000001", "4769160"
			if got := full.Key(); got != tt.want {
				t.Errorf("key with GMC and applicant number = %q, want %q", got, tt.want)
			}
			full.ApplicantName, full.Reason, full.Deanery, full.PositionNumber = "Other,Name", "1", "LDN", "99999999"
			if got := full.Key(); got != tt.want {
				t.Errorf("key with other carried fields = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestKeyHolders: a type 1 key carries each holder as placement
// id@start-end (written by hand), and an absent holder as nothing between
// its bars; the appended form must equal the formatted one that run
// histories already store.
func TestKeyHolders(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	cur := &Holder{PlacementID: "P1", LastName: "Smith", ProjectedStart: d(2026, 8, 5), ProjectedEnd: d(2027, 2, 2)}
	next := &Holder{PlacementID: "P2", ProjectedStart: d(2027, 2, 3)}
	for _, tt := range []struct {
		n    Notification
		want string
	}{
		{Notification{Type: NotifyHolders, VPD: "504", DeaneryNumber: dpnA, PlacementID: "P2", Current: cur, Next: next},
			"1|504|KSS/RJZ01/030/STR/001|P2|P1@20260805-20270202|P2@20270203-||||"},
		{Notification{Type: NotifyHolders, VPD: "504", DeaneryNumber: dpnA, PlacementID: "P1", Current: cur},
			"1|504|KSS/RJZ01/030/STR/001|P1|P1@20260805-20270202|||||"},
		{Notification{Type: NotifyNewPost, VPD: "RJZ", DeaneryNumber: dpnA}, "5|RJZ|KSS/RJZ01/030/STR/001|||||||"},
	} {
		if got := tt.n.Key(); got != tt.want {
			t.Errorf("Key() = %q, want %q", got, tt.want)
		}
	}
}

// holdersKey ignores the placement id and nothing else of a type 1 key.
func TestHoldersKey(t *testing.T) {
	cur := &Holder{PlacementID: "PA1", ProjectedStart: day0(-10), ProjectedEnd: day0(20)}
	n := Notification{Type: NotifyHolders, VPD: "504", DeaneryNumber: dpnA, PlacementID: "PA2", Current: cur}
	other := n
	other.PlacementID = "PA1"
	if a, b := holdersKey(keyOf(n)), holdersKey(keyOf(other)); a != b {
		t.Errorf("placement ids PA2 and PA1: %q != %q", a, b)
	}
	moved := n
	moved.Current = &Holder{PlacementID: "PA1", ProjectedStart: day0(-10), ProjectedEnd: day0(21)}
	if holdersKey(keyOf(n)) == holdersKey(keyOf(moved)) {
		t.Error("a holder's end date changed, the holders key did not")
	}
	if holdersKey(keyOf(n)) == keyOf(n) {
		t.Error("the holders key is the full key")
	}
}
