package history

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"dpnkit/internal/exchange"
)

const kss = "Health Education England Kent, Surrey and Sussex"

func tisState(asOf int, recs map[string]exchange.SeenPlacement, npns ...string) exchange.State {
	st := richState(2, "t")
	st.TIS = &exchange.TISSeen{AsOf: day(2026, 11, asOf), Placements: recs, NPNs: map[string]bool{}}
	for _, n := range npns {
		st.TIS.NPNs[n] = true
	}
	return st
}

// rowsRun maps each row's group of a seen table to the run that wrote it.
func rowsRun(t *testing.T, path, table, col string) map[string]int64 {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT " + col + ", run_id FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var g string
		var id int64
		if err := rows.Scan(&g, &id); err != nil {
			t.Fatal(err)
		}
		out[g] = id
	}
	return out
}

func TestTISRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	s := openT(t, path)
	p1 := exchange.SeenPlacement{Office: kss, Rec: "KSS/RJZ01/030/STR/002\t20261215\t20270613\tKhan\tAisha\t7000004"}
	p3 := exchange.SeenPlacement{Office: kss, Rec: "KSS/RJZ01/030/STR/001\t\t\tÓ Briain\tSiân\t"}
	odd := exchange.SeenPlacement{Office: "Odd\toffice\\", Rec: "EOE/X\t20270101\t20270202\tLee\tA back\\slash\t7000005"}
	day1 := tisState(25, map[string]exchange.SeenPlacement{"P1": p1, "P2": odd, "P3": p3},
		"KSS/RJZ01/030/STR/001", "EOE/X", "NOSLASH", "KSS/tab\there")
	commitT(t, s, run(day(2026, 11, 25)), day1)
	if got := stateT(t, openT(t, path)); !reflect.DeepEqual(got, day1) {
		t.Fatalf("read back\n got %+v\nwant %+v", got.TIS, day1.TIS)
	}
	if got, want := rowsRun(t, path, "seen_placements", "office || '/' || part"), map[string]int64{kss + "/0": 1, "Odd\toffice\\/0": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("seen_placements rows %v, want %v (an office a row)", got, want)
	}
	if got, want := rowsRun(t, path, "seen_npns", "grp"), map[string]int64{"KSS/RJZ01": 1, "EOE/X": 1, "NOSLASH": 1, "KSS/tab\there": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("seen_npns rows %v, want %v", got, want)
	}

	// Day 2 changes one office's placement and adds one NPN: only their
	// rows are written again.
	day2 := tisState(26, map[string]exchange.SeenPlacement{"P1": p1, "P2": {Office: odd.Office, Rec: "EOE/X\t20270102\t20270202\tLee\tMei\t7000005"}, "P3": p3},
		"KSS/RJZ01/030/STR/001", "EOE/X", "EOE/Y", "NOSLASH", "KSS/tab\there")
	commitT(t, s, run(day(2026, 11, 26)), day2)
	if got := stateT(t, openT(t, path)); !reflect.DeepEqual(got.TIS, day2.TIS) {
		t.Fatalf("day 2 read back\n got %+v\nwant %+v", got.TIS, day2.TIS)
	}
	if got, want := rowsRun(t, path, "seen_placements", "office || '/' || part"), map[string]int64{kss + "/0": 1, "Odd\toffice\\/0": 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("day 2 seen_placements rows %v, want %v (a small office written whole)", got, want)
	}
	if got, want := rowsRun(t, path, "seen_npns", "grp"), map[string]int64{"KSS/RJZ01": 1, "EOE/X": 1, "EOE/Y": 2, "NOSLASH": 1, "KSS/tab\there": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("day 2 seen_npns rows %v, want %v", got, want)
	}

	// A run that saw nothing new hands back the state's own maps: nothing
	// is written again.
	same := stateT(t, s)
	same.TIS = &exchange.TISSeen{AsOf: day(2026, 11, 27), Placements: same.TIS.Placements, NPNs: same.TIS.NPNs}
	commitT(t, s, run(day(2026, 11, 27)), same)
	if got, want := rowsRun(t, path, "seen_npns", "grp"), map[string]int64{"KSS/RJZ01": 1, "EOE/X": 1, "EOE/Y": 2, "NOSLASH": 1, "KSS/tab\there": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("day 3 seen_npns rows %v, want %v", got, want)
	}
	if got := stateT(t, openT(t, path)); !reflect.DeepEqual(got.TIS, same.TIS) {
		t.Errorf("day 3 read back\n got %+v\nwant %+v", got.TIS, same.TIS)
	}

	// A state without what TIS was reads back without it; the next with
	// it holds only its own (the older rows are cleared).
	commitT(t, s, run(day(2026, 11, 27)), richState(2, "t"))
	if got := stateT(t, openT(t, path)); got.TIS != nil {
		t.Errorf("TIS after a state without it = %+v, want nil", got.TIS)
	}
	day4 := tisState(28, map[string]exchange.SeenPlacement{"P9": p3}, "KSS/RJZ01/030/STR/001")
	commitT(t, s, run(day(2026, 11, 28)), day4)
	if got := stateT(t, openT(t, path)); !reflect.DeepEqual(got.TIS, day4.TIS) {
		t.Errorf("day 4 read back\n got %+v\nwant %+v", got.TIS, day4.TIS)
	}
}

// The interface run stages its TIS ahead of the rest (Staged.TIS), as it
// does its positions; Finish must then get the same one.
func TestTISStagedAhead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	s := openT(t, path)
	ctx := context.Background()
	next := tisState(25, map[string]exchange.SeenPlacement{"P1": {Office: kss, Rec: "KSS/A\t20261201\t\tA\tB\t1"}}, "KSS/A")
	st, err := s.Begin(ctx, day(2026, 11, 25))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.TIS(next.TIS); err != nil {
		t.Fatal(err)
	}
	if err := st.Finish(run(day(2026, 11, 25)), next); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := stateT(t, openT(t, path)); !reflect.DeepEqual(got.TIS, next.TIS) {
		t.Errorf("read back\n got %+v\nwant %+v", got.TIS, next.TIS)
	}

	st, err = s.Begin(ctx, day(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.TIS(next.TIS); err != nil {
		t.Fatal(err)
	}
	other := next
	other.TIS = &exchange.TISSeen{AsOf: day(2026, 11, 26)}
	if err := st.Finish(run(day(2026, 11, 26)), other); err == nil {
		t.Error("Finish with another TIS than the one staged: no error")
	}
	if runs := runsT(t, s); len(runs) != 1 {
		t.Errorf("%d runs after a refused Finish, want 1", len(runs))
	}
}

// A day's changes to a large office are written as a part of their own;
// the office is written whole again once its parts would outnumber a
// quarter of it. A placement moved between offices ends in its new one
// whatever the order the rows are read in.
func TestSeenPlacementsParts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	s := openT(t, path)
	const eoe = "East of England"
	rec := func(npn string, d int) exchange.SeenPlacement {
		return exchange.SeenPlacement{Office: kss, Rec: fmt.Sprintf("%s\t202612%02d\t\tA\tB\t1", npn, d)}
	}
	day := map[string]exchange.SeenPlacement{}
	for i := range 8 {
		day[fmt.Sprintf("P%d", i)] = rec("KSS/A", i+1)
	}
	day["E1"] = exchange.SeenPlacement{Office: eoe, Rec: "EOE/A\t20261201\t\tC\tD\t2"}
	commitDay := func(n int, want map[string]int64) {
		t.Helper()
		st := tisState(24+n, maps.Clone(day), "KSS/A", "EOE/A")
		commitT(t, s, run(day0(n)), st)
		if got := stateT(t, openT(t, path)); !reflect.DeepEqual(got.TIS, st.TIS) {
			t.Fatalf("day %d read back\n got %+v\nwant %+v", n, got.TIS, st.TIS)
		}
		if got := rowsRun(t, path, "seen_placements", "office || '/' || part"); !reflect.DeepEqual(got, want) {
			t.Errorf("day %d rows %v, want %v", n, got, want)
		}
	}
	commitDay(1, map[string]int64{kss + "/0": 1, eoe + "/0": 1})
	day["P1"] = rec("KSS/A", 20) // 1 change of 8: a part
	commitDay(2, map[string]int64{kss + "/0": 1, kss + "/1": 2, eoe + "/0": 1})
	delete(day, "P2") // 1 more: 2 of 8, a quarter
	commitDay(3, map[string]int64{kss + "/0": 1, kss + "/1": 2, kss + "/2": 3, eoe + "/0": 1})
	// P3 moves to the East of England (which is written whole: 1 line),
	// leaving a line in a KSS part: 3 of 8, more than a quarter, so KSS is
	// written whole too.
	moved := day["P3"]
	moved.Office = eoe
	day["P3"] = moved
	commitDay(4, map[string]int64{kss + "/0": 4, eoe + "/0": 4})
	// And back again: each office gets the line of its change.
	for i := range 8 {
		day[fmt.Sprintf("Q%d", i)] = exchange.SeenPlacement{Office: eoe, Rec: "EOE/A\t20261201\t\tC\tD\t2"}
	}
	commitDay(5, map[string]int64{kss + "/0": 4, eoe + "/0": 5})
	back := day["P3"]
	back.Office = kss
	day["P3"] = back
	commitDay(6, map[string]int64{kss + "/0": 4, kss + "/1": 6, eoe + "/0": 5, eoe + "/1": 6})
}

func day0(n int) time.Time { return day(2026, 11, 24+n) }
