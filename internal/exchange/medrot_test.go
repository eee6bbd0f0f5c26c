package exchange

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

func TestMedrotPairing(t *testing.T) {
	at := func(p model.Placement, site, wte string) model.Placement {
		p.Site, p.WTE = site, wte
		return p
	}
	pls := []model.Placement{
		at(placement("A1", dpnA, "Adams", "Amy", gmcN(1), day0(-30), day0(10)), "Royal Hospital", "0.5"),
		at(placement("B1", dpnA, "Brown", "Bea", gmcN(2), day0(-30), day0(10)), "City Clinic", "0.5"), // job share
		at(placement("C1", dpnA, "Clark", "Cal", gmcN(3), day0(11), day0(300)), "ROYAL HOSPITAL ", "1.0"),
		at(placement("D1", dpnA, "Dunn", "Dee", gmcN(4), day0(11), day0(300)), "Elsewhere", "1.0"),
		at(placement("V1", dpnA, "RECRUIT - VACANCY", "", "9999978", day0(11), day0(300)), "City Clinic", "1.0"),
		at(placement("G1", dpnA, "Green", "Gus", gmcN(5), day0(20), day0(300)), "Royal Hospital", "1.0"),
		at(placement("E1", dpnA, "Evans", "Eve", gmcN(6), day0(91), day0(300)), "Royal Hospital", "1.0"), // beyond 13 weeks
		at(placement("F1", dpnA, "Ford", "Fay", gmcN(7), day0(-300), day0(-1)), "Royal Hospital", "1.0"), // ended
		at(placement("H1", dpnB, "Hill", "Hal", gmcN(8), day0(-10), day0(100)), "", "1.0"),
	}
	r := scenario{positions: []model.Position{position("504", "9001", "10000016", dpnA), position("504", "9002", "10000017", dpnB)},
		placements: pls}.run(t, State{})

	type row struct {
		pos, current, next, place string
		vacancy                   bool
	}
	var got []row
	for _, m := range r.MEDROT {
		x := row{pos: m.PositionNumber, place: m.PlaceOfWork, vacancy: m.Vacancy}
		if m.Current != nil {
			x.current = m.Current.LastName
		}
		if m.Next != nil {
			x.next = m.Next.LastName
		}
		if m.VPD != "504" {
			t.Errorf("row VPD %q", m.VPD)
		}
		got = append(got, x)
	}
	want := []row{
		{"10000016", "", "Dunn", "Elsewhere", false},
		{"10000016", "", "Green", "Royal Hospital", false},
		{"10000016", "Adams", "Clark", "Royal Hospital", false},
		{"10000016", "Brown", "", "City Clinic", true},
		{"10000017", "Hill", "", "General Hospital", false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("MEDROT rows\n got %+v\nwant %+v", got, want)
	}
	clark := Holder{PlacementID: "C1", LastName: "Clark", FirstName: "Cal", GMC: "7000003", Site: "ROYAL HOSPITAL",
		WTE: "1.0", ProjectedStart: day0(11), ProjectedEnd: day0(300), Grade: "ST3"}
	if !reflect.DeepEqual(*r.MEDROT[2].Next, clark) || r.MEDROT[2].TPN != dpnA {
		t.Errorf("Clark row = %+v / %+v", r.MEDROT[2], *r.MEDROT[2].Next)
	}
	var ids []string
	for _, n := range r.Notifications {
		if n.Type == NotifyHolders {
			ids = append(ids, n.PositionNumber+" "+n.PlacementID)
		}
	}
	wantIDs := []string{"10000016 C1", "10000016 D1", "10000016 G1", "10000016 V1", "10000017 H1"}
	if !reflect.DeepEqual(ids, wantIDs) {
		t.Errorf("type 1 notifications\n got %q\nwant %q", ids, wantIDs)
	}
}

// pairByScan is the pairing rule itself: each current holder, in order,
// takes the first unpaired next holder at its site.
func pairByScan(cur, nxt []holderCand) []int {
	used := make([]bool, len(nxt))
	pairs := make([]int, len(cur))
	for i := range cur {
		pairs[i] = -1
		for j := range nxt {
			if !used[j] && strings.EqualFold(strings.TrimSpace(cur[i].p.Site), strings.TrimSpace(nxt[j].p.Site)) {
				used[j], pairs[i] = true, j
				break
			}
		}
	}
	return pairs
}

// A post with thousands of holders (a bucket post) is paired by site
// queues, as the rule pairs them one by one.
func TestPairBySiteManyHolders(t *testing.T) {
	sites := []string{"Royal Hospital", "ROYAL HOSPITAL ", "royal hospital", "City Clinic", "", "Straße", "STRASSE", "\u212aent"}
	r := rand.New(rand.NewPCG(3, 3))
	mk := func(n int) []holderCand {
		out := make([]holderCand, n)
		for i := range out {
			out[i] = holderCand{p: &reconcile.KeptPlacement{ID: fmt.Sprint(i), Site: sites[r.IntN(len(sites))]}}
		}
		return out
	}
	for _, n := range [][2]int{{3, 4}, {10, 30}, {300, 200}, {2000, 3000}} {
		cur, nxt := mk(n[0]), mk(n[1])
		used := make([]bool, len(nxt))
		got := pairBySite(cur, nxt, used, nil)
		want := pairByScan(cur, nxt)
		if !slices.Equal(got, want) {
			t.Fatalf("%d current, %d next: pairs differ from the rule", n[0], n[1])
		}
		for j, u := range used {
			if u != slices.Contains(want, j) {
				t.Fatalf("%d current, %d next: next holder %d used %v", n[0], n[1], j, u)
			}
		}
	}
}

// BenchmarkPairBySite pairs a post with 10,000 current and 10,000 next
// holders at sites that never match: the scan compared every pair (10^8).
func BenchmarkPairBySite(b *testing.B) {
	cur, nxt := make([]holderCand, 10000), make([]holderCand, 10000)
	for i := range cur {
		cur[i] = holderCand{p: &reconcile.KeptPlacement{Site: fmt.Sprint("A", i)}}
		nxt[i] = holderCand{p: &reconcile.KeptPlacement{Site: fmt.Sprint("B", i)}}
	}
	used := make([]bool, len(nxt))
	b.ReportAllocs()
	for b.Loop() {
		clear(used)
		pairBySite(cur, nxt, used, nil)
	}
}

// byPost orders the candidates by post and keeps each post's in the order
// met (worked out by hand: posts 2, 0, 2, 1, 0 with placements a-e).
func TestByPostStable(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e"}
	posts := []int32{2, 0, 2, 1, 0}
	var found []candAt
	for i, id := range ids {
		found = append(found, candAt{posts[i], holderCand{p: &reconcile.KeptPlacement{ID: id}}})
	}
	got := ""
	for _, c := range byPost(found, 4) {
		got += fmt.Sprintf("%d%s ", c.post, c.p.ID)
	}
	if want := "0b 0e 1d 2a 2c "; got != want {
		t.Errorf("byPost = %q, want %q", got, want)
	}
}
