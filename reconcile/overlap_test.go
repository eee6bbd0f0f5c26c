package reconcile

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"dpnkit/internal/model"
)

// overlapFixture makes n placements on one NPN of trainees drawn from
// small alphabets (so that GMC numbers and names repeat, some GMC numbers
// are missing and some names differ only in case, also outside ASCII),
// with WTEs around a job share and dates that often meet; some have no
// end date.
func overlapFixture(r *rand.Rand, n int, npns []string) []model.Placement {
	gmcs := []string{"", "", "7000001", "7000002", " 7000001", "7000003"}
	surnames := []string{"Smith", "SMITH", "smith ", "Jones", "Straße", "STRASSE", "ſmith", "Kelvin", "\u212aelvin"}
	forenames := []string{"Anna", "anna", "Bea"}
	wtes := []string{"1", "0.5", "0.6", "0.4", "", "0.3", "0.7", "x"}
	pls := make([]model.Placement, n)
	for i := range pls {
		p := place(fmt.Sprint(i), npns[r.IntN(len(npns))], i+2)
		p.GMC = gmcs[r.IntN(len(gmcs))]
		p.Surname = surnames[r.IntN(len(surnames))]
		p.Forenames = forenames[r.IntN(len(forenames))]
		p.WTE = wtes[r.IntN(len(wtes))]
		p.DateFrom = day(r.IntN(300))
		p.DateTo = p.DateFrom.AddDate(0, 0, r.IntN(120))
		if r.IntN(15) == 0 {
			p.DateTo = p.DateTo.AddDate(100, 0, 0) // far off, but readable
		}
		pls[i] = p
	}
	return pls
}

// referenceOverlaps is placement.overlap worked out pair by pair from its
// definition: for each candidate (by canonical index), every other
// placement it overlaps, in start order then canonical order.
func referenceOverlaps(items []*recItem) map[int32][]int32 {
	var cands []int32
	for i, it := range items {
		p := it.p
		if !it.vacancy && !p.DateFrom.IsZero() && (p.DateTo.IsZero() || !p.DateTo.Before(p.DateFrom)) &&
			model.NormalDPN(p.NPN) != "" {
			cands = append(cands, int32(i))
		}
	}
	slices.SortStableFunc(cands, func(a, b int32) int { return items[a].p.DateFrom.Compare(items[b].p.DateFrom) })
	meets := func(a, b *KeptPlacement) bool {
		return (b.DateTo.IsZero() || !a.DateFrom.After(b.DateTo)) && (a.DateTo.IsZero() || !b.DateFrom.After(a.DateTo))
	}
	out := make(map[int32][]int32)
	for _, i := range cands {
		for _, j := range cands {
			a, b := items[i], items[j]
			if i == j || model.NormalDPN(a.p.NPN) != model.NormalDPN(b.p.NPN) {
				continue
			}
			if meets(a.p, b.p) && a.wte+b.wte > 1+1e-9 && !sameTrainee(a.p, b.p) {
				out[i] = append(out[i], j)
			}
		}
	}
	return out
}

// The counts are those of the pairs, for groups compared pair by pair and
// for groups counted with the Fenwick tree alike; the named placements
// are real overlaps, as many as the finding may name, and the first in
// start order.
func TestOverlapCountsMatchPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 16))
	for _, c := range []struct {
		n    int
		npns []string
	}{
		{2, []string{"A/B/C/1"}},
		{12, []string{"A/B/C/1"}},
		{30, []string{"A/B/C/1", "a/b/c/1 "}},
		{33, []string{"A/B/C/1"}},
		{90, []string{"A/B/C/1", "A/B/C/2"}},
		{400, []string{"A/B/C/1"}},
		{700, []string{"A/B/C/1", "A/B/C/2", "A/B/C/3"}},
	} {
		for round := range 4 {
			pls := overlapFixture(r, c.n, c.npns)
			chunk, _ := keepBatch(pls, recOpts)
			prep := prepare([]*recChunk{chunk})
			want := referenceOverlaps(prep.items)
			name := fmt.Sprintf("n=%d round %d", c.n, round)
			if len(prep.others) != len(want) {
				t.Errorf("%s: %d placements overlap, want %d", name, len(prep.others), len(want))
			}
			for i, others := range want {
				note := prep.others[i]
				if note.n != len(others) {
					t.Errorf("%s: placement %d overlaps %d, want %d", name, i, note.n, len(others))
					continue
				}
				if n := min(len(others), maxNamed); !slices.Equal(note.named, others[:n]) {
					t.Errorf("%s: placement %d names %v, want %v", name, i, note.named, others[:n])
				}
			}
		}
	}
}

// When every other placement meeting one is of its own trainee or a job
// share, finding the few to name stops after witnessBudget: the count is
// still right, and what is named is right.
func TestOverlapWitnessBudget(t *testing.T) {
	const dpn = "A/B/C/1"
	var pls []model.Placement
	for i := range 300 {
		p := place(fmt.Sprint(i), dpn, i+2)
		p.GMC, p.WTE = "7000001", "1" // one trainee
		if i%2 == 1 {
			p.GMC, p.WTE = fmt.Sprint(8000000+i), "0" // job shares with everyone
		}
		pls = append(pls, p)
	}
	late := place("late", dpn, 400)
	late.DateFrom = day(31) // after all the others start
	late.GMC = "9000000"
	pls = append(pls, late)
	chunk, _ := keepBatch(pls, recOpts)
	prep := prepare([]*recChunk{chunk})
	want := referenceOverlaps(prep.items)
	for i, others := range want {
		note := prep.others[i]
		if note.n != len(others) {
			t.Errorf("placement %d overlaps %d, want %d", i, note.n, len(others))
		}
		for _, j := range note.named {
			if !slices.Contains(others, j) {
				t.Errorf("placement %d names %d, which it does not overlap", i, j)
			}
		}
	}
	// The late one overlaps the 150 of the one trainee: it meets them first
	// in start order, so it names five.
	last := int32(len(prep.items) - 1)
	if prep.items[last].p.ID != "late" || prep.others[last].n != 150 || len(prep.others[last].named) != maxNamed {
		t.Errorf("late placement: %+v", prep.others[last])
	}
	// Each of the one trainee's overlaps only the late one, which comes
	// after 299 placements it meets and may not name: it is found from the
	// end.
	for i, it := range prep.items[:300] {
		id := 0
		fmt.Sscan(it.p.ID, &id)
		note, over := prep.others[int32(i)]
		if id%2 == 0 && (note.n != 1 || !slices.Equal(note.named, []int32{last})) {
			t.Errorf("placement %s: %+v, want the late one named", it.p.ID, note)
		}
		if id%2 == 1 && over {
			t.Errorf("job share %s overlaps: %+v", it.p.ID, note)
		}
	}
}

// 20,000 placements of different trainees on one NPN, all at once: each
// finding gives the right count and stays short, whatever the group's
// size. Half are one trainee's, who overlaps only the other half.
func TestOverlapLargeGroupBounded(t *testing.T) {
	const n, dpn = 20000, "KSS/RJZ01/030/STR/001"
	pls := make([]model.Placement, n)
	for i := range pls {
		p := place(fmt.Sprint(100000+i), dpn, i+2)
		if i < n/2 {
			p.GMC = "7000001"
		}
		pls[i] = p
	}
	res := reconcile([]model.Position{pos("10000016", "", dpn)}, pls)
	overlaps, longest := 0, 0
	for _, f := range res.Findings {
		if f.Rule != RulePlacementOverlap {
			continue
		}
		overlaps++
		longest = max(longest, len(f.Message))
		id := 0
		fmt.Sscan(f.PlacementID, &id)
		want := n - 1 // every other trainee
		if id < 100000+n/2 {
			want = n / 2 // the other half only
		}
		if !strings.Contains(f.Message, fmt.Sprintf(" overlaps %d placements of other trainees (among them placement ", want)) {
			t.Fatalf("placement %s: %q, want %d others", f.PlacementID, f.Message, want)
		}
	}
	if overlaps != n {
		t.Errorf("%d overlap findings, want %d", overlaps, n)
	}
	if longest >= 1024 {
		t.Errorf("longest overlap message is %d bytes", longest)
	}
	for _, pr := range res.Placements[:10] {
		if len(pr.Issue) >= 1024 {
			t.Errorf("placement %s: issue of %d bytes", pr.Placement.ID, len(pr.Issue))
		}
	}
}

// One DPN typed into hundreds of posts (a trust that typed TBC), and
// hundreds of placements on it: each placement's message, issue and
// position list stay short, they count every position, the positions are
// all placed, and placements of one unknown NPN share one lookup of
// suggestions.
func TestReconcileOneDPNOnManyPositions(t *testing.T) {
	const npos, npl = 600, 1000
	var ps []model.Position
	for i := range npos {
		p := pos(fmt.Sprint(20000+i), "", "TBC")
		p.VPD = fmt.Sprint(100 + i) // one VPD each: no dpn.duplicate
		ps = append(ps, p, endDated(fmt.Sprint(30000+i), "OLD"))
	}
	ps = append(ps, pos("1", "", "VAC/1"), pos("2", "", "VAC/1"))
	var pls []model.Placement
	for i := range npl {
		pls = append(pls, place(fmt.Sprint(i), "TBC", i+2), place(fmt.Sprint(npl+i), "OLD", npl+i+2))
	}
	pls = append(pls, vacancy("vac", "VAC/1", 3*npl))
	res := reconcile(ps, pls)
	if len(res.Placements) != 2*npl+1 {
		t.Fatalf("%d placements", len(res.Placements))
	}
	var oldSuggestions []Suggestion
	for _, pr := range res.Placements {
		switch pr.Placement.NPN {
		case "TBC":
			if pr.Match != MatchMany || pr.PositionCount != npos || len(pr.Positions) != MaxPositionRefs {
				t.Fatalf("placement %s: %s, %d positions, %d listed", pr.Placement.ID, pr.Match, pr.PositionCount, len(pr.Positions))
			}
		case "OLD":
			if pr.Match != MatchEndDated || pr.PositionCount != npos || len(pr.Positions) != MaxPositionRefs {
				t.Fatalf("placement %s: %s, %d positions, %d listed", pr.Placement.ID, pr.Match, pr.PositionCount, len(pr.Positions))
			}
			if oldSuggestions == nil {
				oldSuggestions = pr.Suggestions
			}
			if len(pr.Suggestions) == 0 || len(pr.Suggestions) > MaxSuggestions || &pr.Suggestions[0] != &oldSuggestions[0] {
				t.Fatalf("placement %s: suggestions %v not the shared lookup", pr.Placement.ID, pr.Suggestions)
			}
		}
		if len(pr.Issue) >= 1024 {
			t.Fatalf("placement %s: issue of %d bytes", pr.Placement.ID, len(pr.Issue))
		}
	}
	many, endDatedOnly := 0, 0
	for _, f := range res.Findings {
		if len(f.Message) >= 1024 {
			t.Fatalf("%s on %s: message of %d bytes", f.Rule, f.PlacementID, len(f.Message))
		}
		switch {
		case f.Rule == RulePlacementManyPositions && f.Value == "TBC":
			many++
			if !strings.Contains(f.Message, fmt.Sprintf("%d active ESR positions carry TBC (position 20000 (VPD 100), ", npos)) ||
				!strings.Contains(f.Message, fmt.Sprintf(" and %d more)", npos-maxNamed)) {
				t.Fatalf("message %q", f.Message)
			}
		case f.Rule == RulePlacementNoPosition && f.Value == "OLD":
			endDatedOnly++
			if !strings.Contains(f.Message, fmt.Sprintf(" and %d more: re-open one", npos-maxNamed)) {
				t.Fatalf("message %q", f.Message)
			}
		}
	}
	if many != npl || endDatedOnly != npl {
		t.Errorf("%d many-positions and %d end-dated findings, want %d each", many, endDatedOnly, npl)
	}
	// Every TBC position has a trainee; the two VAC/1 ones only a vacancy.
	var unplaced []string
	for _, p := range res.Unplaced {
		unplaced = append(unplaced, p.Number)
	}
	if !slices.Equal(unplaced, []string{"1", "2"}) {
		t.Errorf("unplaced %v, want the vacancy's two positions", unplaced)
	}
}
