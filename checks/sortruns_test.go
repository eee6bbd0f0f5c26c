package checks

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"dpnkit/internal/model"
)

// TestSortRuns sorts runs of positions with numbers in random order (some
// repeated, told apart by row) and checks the result is every position
// once, in positionLess order, for one run (sorted in place) and several.
func TestSortRuns(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, sizes := range [][]int{{0}, {1}, {2}, {7}, {500}, {3, 0, 4}, {100, 1, 250}} {
		var runs [][]model.Position
		var all []model.Position
		row := 0
		for _, n := range sizes {
			run := make([]model.Position, n)
			for i := range run {
				row++
				run[i] = model.Position{Number: strconv.Itoa(r.IntN(50)), Row: row}
			}
			all = append(all, run...)
			runs = append(runs, run)
		}
		got := sortRuns(runs)
		want := slices.Clone(all)
		slices.SortFunc(want, func(a, b model.Position) int {
			if positionLess(&a, &b) {
				return -1
			}
			return 1
		})
		if len(got) != len(want) {
			t.Fatalf("sizes %v: %d positions, want %d", sizes, len(got), len(want))
		}
		for i := range got {
			if got[i].Number != want[i].Number || got[i].Row != want[i].Row {
				t.Fatalf("sizes %v: position %d is %s row %d, want %s row %d", sizes, i, got[i].Number, got[i].Row, want[i].Number, want[i].Row)
			}
		}
	}
}
