package exchange

import (
	"strings"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// PeopleFilter returns a test that keeps only the ESR people who could
// match an applicant of rec: those whose NI number or GMC number is one a
// placement carries. Person matching (NI number and last name, else GMC
// number) can only ever pick such a person, so the run's result is the same
// with or without the filter — but a national people export of 1.5 million
// records shrinks to the few thousand that matter before it is kept. The
// test is safe for concurrent use (the loader's sink runs on several
// goroutines).
func PeopleFilter(rec *checks.ReconcileResult) func(*model.Person) bool {
	ni := make(map[string]struct{})
	gmc := make(map[string]struct{})
	for i := range rec.Placements {
		pr := &rec.Placements[i]
		if g := strings.TrimSpace(pr.Placement.GMC); g != "" {
			gmc[g] = struct{}{}
		}
		// Only applicants are matched to people, and they have their full
		// record (checks.ReconcileOptions.KeepFull): the others' NI numbers
		// are not kept.
		if p := pr.Full; p != nil {
			if k := normNI(p.NINumber); k != "" {
				ni[k] = struct{}{}
			}
		}
	}
	return func(p *model.Person) bool {
		if g := strings.TrimSpace(p.GMC); g != "" {
			if _, ok := gmc[g]; ok {
				return true
			}
		}
		var arr [32]byte // an NI number fits: no allocation, safe for concurrent use
		buf := appendNormNI(arr[:0], p.NINumber)
		if len(buf) == 0 {
			return false
		}
		_, ok := ni[string(buf)]
		return ok
	}
}
