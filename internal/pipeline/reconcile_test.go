package pipeline

import (
	"context"
	"reflect"
	"testing"

	"dpnkit/checks"
	"dpnkit/fixtures"
	"dpnkit/internal/iostreams"
)

// TestReconcileGeneratedData reconciles generated placements against the
// generated positions and compares every count — totals, per managing
// deanery, per rule and the best suggestion's kind — with what the
// generator planted.
func TestReconcileGeneratedData(t *testing.T) {
	for _, o := range []fixtures.Options{
		{Scale: fixtures.Trust, Rows: 20000, Seed: 1, Placements: 2500},
		{Scale: fixtures.Trust, Rows: 30000, VPDs: 3, Seed: 2, Placements: 4000},
		{Scale: fixtures.National, Rows: 100000, VPDs: 20, Seed: 3, Placements: 6000},
	} {
		o.AsOf = asOf
		t.Run(string(o.Scale), func(t *testing.T) {
			dir := t.TempDir()
			m, err := fixtures.Generate(dir, o)
			if err != nil {
				t.Fatal(err)
			}
			want := m.Expected.Reconcile
			if want == nil || len(m.PlacementFiles) == 0 {
				t.Fatal("generator wrote no placements")
			}
			if want.Totals.NoPosition == 0 || want.Totals.ManyPositions == 0 || len(want.Suggestions) < 5 {
				t.Fatalf("generator planted too little to test: %+v, suggestions %v", want.Totals, want.Suggestions)
			}
			s, _, _ := iostreams.Test()
			res, _, err := Reconcile(context.Background(), s, ReconcileOptions{
				Positions: m.Files, Placements: m.PlacementFiles, AsOf: asOf, Format: FormatJSON})
			if err != nil {
				t.Fatal(err)
			}
			got := res.Totals
			got.ByRule, want.Totals.ByRule = nil, nil // compared below with input.date included
			if !reflect.DeepEqual(got, want.Totals) {
				t.Errorf("totals:\n got  %+v\n want %+v", got, want.Totals)
			}
			byRule := map[string]int{}
			for _, f := range res.Findings {
				byRule[f.Rule]++
			}
			if !reflect.DeepEqual(byRule, want.ByRule) {
				t.Errorf("findings by rule:\n got  %v\n want %v", byRule, want.ByRule)
			}
			if len(res.ByManagingDeanery) != len(want.ByManagingDeanery) {
				t.Fatalf("%d managing deaneries, want %d", len(res.ByManagingDeanery), len(want.ByManagingDeanery))
			}
			for i, g := range res.ByManagingDeanery {
				w := want.ByManagingDeanery[i]
				g.ByRule, w.ByRule = nil, nil
				if !reflect.DeepEqual(g, w) {
					t.Errorf("managing deanery %s:\n got  %+v\n want %+v", w.Group, g, w)
				}
			}
			best := map[string]int{}
			for _, p := range res.Placements {
				if p.Match != checks.MatchYes && len(p.Suggestions) > 0 {
					best[p.Suggestions[0].Kind]++
				}
			}
			if !reflect.DeepEqual(best, want.Suggestions) {
				t.Errorf("best suggestion kinds:\n got  %v\n want %v", best, want.Suggestions)
			}
		})
	}
}
