package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"dpnkit/fixtures"
	"dpnkit/internal/atomicfile"
	"dpnkit/internal/exchange"
	"dpnkit/internal/history"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/load"
	"dpnkit/internal/model"
	"dpnkit/report"
)

func genRunData(t *testing.T) (string, *fixtures.Manifest) {
	t.Helper()
	dir := t.TempDir()
	m, err := fixtures.Generate(dir, fixtures.Options{Scale: fixtures.National, Rows: 60000, VPDs: 12, Seed: 4,
		Placements: 2500, People: true, Day2: true, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	return dir, m
}

func runOnce(t *testing.T, m *fixtures.Manifest, placements []string, db, out string, day int, dry bool) *exchange.Result {
	t.Helper()
	s, _, _ := iostreams.Test()
	res, err := Run(context.Background(), s, RunOptions{Positions: m.Files, Placements: placements, People: m.PeopleFiles,
		AsOf: asOf.AddDate(0, 0, day), DB: db, Out: out, DryRun: dry})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func state(t *testing.T, db string) (exchange.State, int) {
	t.Helper()
	st, err := history.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	runs, err := st.Runs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s, len(runs)
}

// TestRunTwiceSendsNothingTwice: the same inputs and as-of date run again
// send no APP record and emit no notification, and the state is unchanged.
func TestRunTwiceSendsNothingTwice(t *testing.T) {
	dir, m := genRunData(t)
	db := filepath.Join(dir, "h.db")
	first := runOnce(t, m, m.PlacementFiles, db, filepath.Join(dir, "a"), 0, false)
	if len(first.APPFiles) == 0 || len(first.Notifications) == 0 {
		t.Fatalf("first run sent %d APP files and %d notifications; want some of each", len(first.APPFiles), len(first.Notifications))
	}
	before, _ := state(t, db)
	again := runOnce(t, m, m.PlacementFiles, db, filepath.Join(dir, "b"), 0, false)
	if len(again.APPFiles) != 0 || len(again.Notifications) != 0 {
		t.Fatalf("second identical run sent %d APP files and %d notifications, want none", len(again.APPFiles), len(again.Notifications))
	}
	after, runs := state(t, db)
	if runs != 2 {
		t.Fatalf("%d runs in the history, want 2", runs)
	}
	if !reflect.DeepEqual(before.Sent, after.Sent) || before.NextApplicantNumber != after.NextApplicantNumber {
		t.Fatal("an identical re-run changed what was sent")
	}
}

// TestDryRunChangesNothing: --dry-run writes its files and leaves the
// history (and a missing database) untouched.
func TestDryRunChangesNothing(t *testing.T) {
	dir, m := genRunData(t)
	db := filepath.Join(dir, "h.db")
	out := filepath.Join(dir, "dry")
	runOnce(t, m, m.PlacementFiles, db, out, 0, true)
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("dry run created the database: %v", err)
	}
	if files, _ := filepath.Glob(filepath.Join(out, "2026-11-25_dry-run_01", "Run_Summary_*.xlsx")); len(files) != 1 {
		t.Fatalf("dry run wrote no run summary in its folder: %v", files)
	}
	runOnce(t, m, m.PlacementFiles, db, filepath.Join(dir, "real"), 0, false)
	before, n := state(t, db)
	runOnce(t, m, m.Day2Files, db, filepath.Join(dir, "dry2"), 1, true)
	after, n2 := state(t, db)
	if n != n2 || !reflect.DeepEqual(before, after) {
		t.Fatal("a dry run changed the history")
	}
}

// TestCancelledRunLeavesHistory cancels the run after its files are written
// and before its state is committed: the history must be exactly as before.
func TestCancelledRunLeavesHistory(t *testing.T) {
	dir, m := genRunData(t)
	db := filepath.Join(dir, "h.db")
	runOnce(t, m, m.PlacementFiles, db, filepath.Join(dir, "a"), 0, false)
	before, n := state(t, db)

	ctx, cancel := context.WithCancel(context.Background())
	s, _, _ := iostreams.Test()
	out := filepath.Join(dir, "b")
	_, err := Run(ctx, s, RunOptions{Positions: m.Files, Placements: m.Day2Files, People: m.PeopleFiles,
		AsOf: asOf.AddDate(0, 0, 1), DB: db, Out: out,
		Pause: func(_ context.Context, stage string) {
			if stage == "committing" {
				cancel()
			}
		}})
	if err == nil {
		t.Fatal("a cancelled run reported success")
	}
	after, n2 := state(t, db)
	if n != n2 || !reflect.DeepEqual(before, after) {
		t.Fatal("a cancelled run changed the history")
	}
	// Every file was written before the cancel: none is kept.
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("the cancelled run left %d entries in --out, the first %s", len(left), left[0].Name())
	}
}

// TestSecondDayWithdrawsAndMovesDates runs day 1 and day 2 of the
// generated national data and finds each planted withdrawal and date
// change among the notifications of types 2 and 4 as often as the
// generator expects (TIS's rules: whether or not an applicant was sent,
// none from 13 weeks on).
func TestSecondDayWithdrawsAndMovesDates(t *testing.T) {
	dir, m := genRunData(t)
	if m.Day2 == nil || len(m.Day2.Withdrawn) == 0 || len(m.Day2.DateChanged) == 0 {
		t.Fatal("generator planted no withdrawal or date change")
	}
	db := filepath.Join(dir, "h.db")
	runOnce(t, m, m.PlacementFiles, db, filepath.Join(dir, "d1"), 0, false)
	day2 := runOnce(t, m, m.Day2Files, db, filepath.Join(dir, "d2"), 1, false)
	got := map[int]map[string]int{exchange.NotifyWithdrawn: {}, exchange.NotifyDateChange: {}}
	for _, n := range day2.Notifications {
		if got[n.Type] != nil {
			got[n.Type][n.PlacementID]++
		}
	}
	for _, w := range m.Day2.Withdrawn {
		if n := got[exchange.NotifyWithdrawn][itoa(w.ID)]; n != w.Notices {
			t.Errorf("placement %d (%s) was withdrawn on day 2: %d type-2 notifications, want %d", w.ID, w.Kind, n, w.Notices)
		}
	}
	for _, c := range m.Day2.DateChanged {
		if n := got[exchange.NotifyDateChange][itoa(c.ID)]; n != c.Notices {
			t.Errorf("placement %d (%s) changed dates on day 2: %d type-4 notifications, want %d", c.ID, c.Kind, n, c.Notices)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A run whose people file turns out bad fails after its positions were
// already staged in the history (the plan's, historyStage): the
// history is as before, and the next run works on it.
func TestRunFailingAfterPositionsStagedChangesNothing(t *testing.T) {
	dir, m := genRunData(t)
	db := filepath.Join(dir, "h.db")
	runOnce(t, m, m.PlacementFiles, db, filepath.Join(dir, "a"), 0, false)
	before, _ := state(t, db)
	bad := filepath.Join(dir, "people_bad.csv")
	data, err := os.ReadFile(m.PeopleFiles[0])
	if err != nil {
		t.Fatal(err)
	}
	// A ragged last row: the loader fails at the end of the file, long
	// after the exchange has handed over its positions.
	if err := os.WriteFile(bad, append(data, []byte("only,two\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	var handed atomic.Bool
	s, _, _ := iostreams.Test()
	_, err = Run(context.Background(), s, RunOptions{Positions: m.Files, Placements: m.Day2Files, People: []string{bad},
		AsOf: asOf.AddDate(0, 0, 1), DB: db, Out: filepath.Join(dir, "b"),
		Pause: func(_ context.Context, stage string) {
			if stage == "positions staged" {
				handed.Store(true)
			}
		}})
	if err == nil {
		t.Fatal("a run with a bad people file succeeded")
	}
	if !handed.Load() {
		t.Fatal("the run failed before its positions were staged: the test does not test that case")
	}
	after, runs := state(t, db)
	if runs != 1 || !reflect.DeepEqual(before, after) {
		t.Fatalf("the failed run changed the history (%d runs)", runs)
	}
	// The files begun before the people failed (POR, APP, MEDROT) are gone.
	if left, _ := os.ReadDir(filepath.Join(dir, "b")); len(left) != 0 {
		t.Errorf("the failed run left %d files, the first %s", len(left), left[0].Name())
	}
	runOnce(t, m, m.Day2Files, db, filepath.Join(dir, "c"), 1, false)
	if _, runs := state(t, db); runs != 2 {
		t.Errorf("%d runs after the next good run, want 2", runs)
	}
}

// Each VPD's MEDROT rows, and only those, go to that VPD's workbook.
func TestEarlyRunFilesMEDROTPerVPD(t *testing.T) {
	plan := &exchange.Plan{MEDROT: []exchange.MedrotRow{
		{VPD: "100", PositionNumber: "91001", TPN: "WAL/1D9PL/527/TYU/987"},
		{VPD: "100", PositionNumber: "91002", TPN: "WAL/1D9PL/527/TYU/988"},
		{VPD: "504", PositionNumber: "95001", TPN: "KSS/RJZ01/030/STR/001"},
	}}
	dir := t.TempDir()
	paths, err := atomicfile.WriteFiles(dir, earlyRunFiles(plan, report.Meta{AsOf: asOf}, false, false), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 3 { // the POR file and two MEDROT workbooks
		t.Fatalf("wrote %v", paths)
	}
	all := []string{"91001", "91002", "95001"}
	for vpd, want := range map[string][]string{"100": {"91001", "91002"}, "504": {"95001"}} {
		text := xlsxText(t, filepath.Join(dir, report.MEDROTName(vpd, asOf)))
		for _, n := range all {
			if got := strings.Contains(text, n); got != slices.Contains(want, n) {
				t.Errorf("VPD %s's MEDROT holds position %s: %v", vpd, n, got)
			}
		}
	}
}

// TestRunRowsAddUp: a run accounts for every position, placement and
// person it read; the people are counted against a load of the same files
// that keeps everyone.
func TestRunRowsAddUp(t *testing.T) {
	dir, m := genRunData(t)
	res := runOnce(t, m, m.PlacementFiles, filepath.Join(dir, "h.db"), filepath.Join(dir, "out"), 0, true)
	everyone := 0
	if _, err := load.People(context.Background(), m.PeopleFiles, load.Options{}, func(b []model.Person) {
		everyone += len(b)
	}); err != nil {
		t.Fatal(err)
	}
	r := res.Rows
	if r.People.Read != everyone || r.People.Kept == 0 || r.People.NotNeeded == 0 ||
		r.People.Kept+r.People.NotNeeded != r.People.Read {
		t.Errorf("people rows %+v, %d people in the files", r.People, everyone)
	}
	if p := r.Placements; p.Read == 0 || p.Sum() != p.Read || p.Ended == 0 {
		t.Errorf("placement rows %+v", p)
	}
	if p := r.Positions; p.Read == 0 || p.Sum() != p.Read || p.Inactive == 0 {
		t.Errorf("position rows %+v", p)
	}
}
