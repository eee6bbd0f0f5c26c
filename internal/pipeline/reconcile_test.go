package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dpnkit/fixtures"
	"dpnkit/internal/iostreams"
	"dpnkit/reconcile"
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
			// Every row of both inputs accounted for.
			rows, read := res.Rows, [2]int{}
			for _, in := range res.PositionInputs {
				read[0] += in.Rows
			}
			for _, in := range res.PlacementInputs {
				read[1] += in.Rows
			}
			if p := rows.Placements; p.Read != read[1] || p.Sum() != p.Read || p.Ended == 0 ||
				p.InScope+p.Vacancies+p.Unreadable != res.Totals.Placements {
				t.Errorf("placement rows %+v: %d read, %d reconciled", p, read[1], res.Totals.Placements)
			}
			if p := rows.Positions; p.Read != read[0] || p.Sum() != p.Read {
				t.Errorf("position rows %+v: %d read", p, read[0])
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
				if p.Match != reconcile.MatchYes && len(p.Suggestions) > 0 {
					best[p.Suggestions[0].Kind]++
				}
			}
			if !reflect.DeepEqual(best, want.Suggestions) {
				t.Errorf("best suggestion kinds:\n got  %v\n want %v", best, want.Suggestions)
			}
		})
	}
}

// TestReconcileErrorOrder: the placements are read while the positions
// are, yet the error reported is the one reading the positions first and
// the placements second would give.
func TestReconcileErrorOrder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	positions := write("positions.csv", "VPD,Position Number,Position Name,Deanery Post Number\n"+
		"504,84682,84682|S.H.O. - ENT|023|Otolaryn,KSS/RJZ01/030/STR/001\n")
	emptyPositions := write("empty_positions.csv", "VPD,Position Number,Position Name,Deanery Post Number\n")
	noDPN := write("no_dpn.csv", "VPD,Position Number,Position Name\n504,84682,x|y|z|w\n")
	placements := write("placements.csv", "Placement TIS ID,National Post Number,Surname,Forenames,Start Date,End Date\n"+
		"1716003,KSS/RJZ01/030/STR/001,Patel,Aarti,2026-08-05,2027-08-04\n")
	emptyPlacements := write("empty_placements.csv", "Placement TIS ID,National Post Number,Surname,Forenames,Start Date,End Date\n")
	noNPN := write("no_npn.csv", "Placement TIS ID,Post,Surname\n1716002,WAL/1D9PL/527/TYU/987,Ghani\n")
	missing := filepath.Join(dir, "missing.csv")
	for _, c := range []struct {
		name                  string
		positions, placements string
		want                  string // in the error; "" for none
	}{
		{"both fine", positions, placements, ""},
		{"positions unreadable, placements too", missing, noNPN, "missing.csv"},
		{"positions without a DPN column, placements without NPN", noDPN, noNPN, "no_dpn.csv"},
		{"positions header only, placements without NPN", emptyPositions, noNPN, "empty_positions.csv: no position records"},
		{"placements without NPN", positions, noNPN, "no_npn.csv"},
		{"placements unreadable", positions, missing, "missing.csv"},
		{"placements header only", positions, emptyPlacements, "empty_placements.csv: no placement records"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _, _ := iostreams.Test()
			res, _, err := Reconcile(context.Background(), s, ReconcileOptions{
				Positions: []string{c.positions}, Placements: []string{c.placements}, AsOf: asOf, Format: FormatJSON})
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case c.want == "" && (len(res.Placements) != 1 || res.Placements[0].Match != reconcile.MatchYes):
				t.Fatalf("placements %+v, want one matched", res.Placements)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want one naming %q", err, c.want)
			}
		})
	}
}
