package exchange

import (
	"testing"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

func TestPeopleFilterKeepsOnlyPossibleMatches(t *testing.T) {
	rec := &checks.ReconcileResult{Placements: []checks.PlacementResult{
		{Full: &model.Placement{NINumber: "ab 12 34 56 c", GMC: "7021070"}},
		{Full: &model.Placement{GMC: " 7455687 "}},
		{Full: nil},
	}}
	keep := PeopleFilter(rec)
	for _, c := range []struct {
		p    model.Person
		want bool
	}{
		{model.Person{NINumber: "AB123456C"}, true},        // NI, normalised
		{model.Person{GMC: "7455687"}, true},               // GMC, trimmed
		{model.Person{GMC: "7021070", NINumber: ""}, true}, // GMC of a placement with an NI too
		{model.Person{NINumber: "ZZ999999Z", GMC: "1234567"}, false},
		{model.Person{}, false},
	} {
		if got := keep(&c.p); got != c.want {
			t.Errorf("keep(%+v) = %v, want %v", c.p, got, c.want)
		}
	}
}

// The loader calls its sink, and so the filter, from several goroutines:
// run with -race this fails if the filter shares a buffer between calls.
func TestPeopleFilterIsSafeForConcurrentUse(t *testing.T) {
	rec := &checks.ReconcileResult{Placements: []checks.PlacementResult{
		{Full: &model.Placement{NINumber: "AB123456C"}},
	}}
	keep := PeopleFilter(rec)
	done := make(chan bool)
	for g := range 4 {
		go func() {
			ok := true
			for i := range 1000 {
				p := model.Person{NINumber: "ab 12 34 56 c"}
				if (i+g)%2 == 1 {
					p.NINumber = "ZZ 99 99 99 Z"
				}
				ok = ok && keep(&p) == ((i+g)%2 == 0)
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("a concurrent call got another call's answer")
		}
	}
}
