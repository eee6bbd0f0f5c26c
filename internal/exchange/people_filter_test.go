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
