package exchange

import (
	"strings"

	"dpnkit/reconcile"
)

// PeopleKeep returns a test that keeps only the ESR people who could
// match an applicant of rec: those whose NI number or GMC number is one a
// placement in the transfer window carries (only those become applicants,
// and only they have their full record: reconcile.Options.KeepFull,
// FullInWindow). Person matching (NI number and last name, else GMC
// number) can only ever pick such a person, so the run's result is the same
// with or without the test — but a national people export of 1.5 million
// records shrinks to the ~17,000 that matter before it is kept. It
// takes a person's GMC and NI numbers as they stand in the file
// (surrounding spaces, any case), as load.Options.KeepPerson asks before a
// person is built (or, in a GO file, the joined person's), and is safe
// for concurrent use (the loader's workers
// call it at once).
func PeopleKeep(rec *reconcile.Result) func(gmc, ni string) bool {
	nis := make(map[string]struct{})
	gmcs := make(map[string]struct{}, len(rec.Placements)/4) // about a quarter start in the window
	for i := range rec.Placements {
		pr := &rec.Placements[i]
		// Only applicants are matched to people, and they have their full
		// record (reconcile.Options.KeepFull): the others' NI numbers
		// are not kept.
		if p := pr.Full; p != nil {
			if g := strings.TrimSpace(p.GMC); g != "" {
				gmcs[g] = struct{}{}
			}
			if k := normNI(p.NINumber); k != "" {
				nis[k] = struct{}{}
			}
		}
	}
	// A national file asks 1.5M times, almost always for a number that is
	// not there: a bit per hash in a table that stays in cache answers
	// most of those "no"s before a map of 150,000 keys is touched.
	var seen sieve
	for g := range gmcs {
		seen.add(g)
	}
	for n := range nis {
		seen.add(n)
	}
	return func(gmc, ni string) bool {
		if g := strings.TrimSpace(gmc); g != "" && seen.may(g) {
			if _, ok := gmcs[g]; ok {
				return true
			}
		}
		var arr [32]byte // an NI number fits: no allocation, safe for concurrent use
		buf := appendNormNI(arr[:0], ni)
		if len(buf) == 0 || !seen.may(string(buf)) {
			return false
		}
		_, ok := nis[string(buf)]
		return ok
	}
}

// sieve is a one-hash Bloom filter of 2^21 bits (256 KiB): may is false
// only for a string never added; true may be a false alarm (about 8% for a
// national run's ~170,000 numbers).
type sieve [1 << 15]uint64

func (s *sieve) add(k string) { h := sieveHash(k); s[h>>6&(1<<15-1)] |= 1 << (h & 63) }

func (s *sieve) may(k string) bool { h := sieveHash(k); return s[h>>6&(1<<15-1)]&(1<<(h&63)) != 0 }

// sieveHash is 64-bit FNV-1a: short keys, no allocation.
func sieveHash(k string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(k); i++ {
		h ^= uint64(k[i])
		h *= 1099511628211
	}
	return h
}
