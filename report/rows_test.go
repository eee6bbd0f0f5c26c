package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"dpnkit/checks"
	"dpnkit/reconcile"
)

// fiveRows is the five placement rows as a reconciliation counts
// them (checks.TestReconcileRowsAddUp), beside three positions and rows
// the loaders skipped.
var fiveRows = reconcile.Rows{
	Positions:  checks.PositionRows{Read: 3, ActiveWithDPN: 1, ActiveNoDPN: 1, Inactive: 1, Skipped: 2},
	Placements: reconcile.PlacementRows{Read: 5, InScope: 2, Vacancies: 1, Ended: 1, Unreadable: 1, Skipped: 1},
}

func TestRowsLines(t *testing.T) {
	kinds := reconcileKinds(fiveRows)
	want := []string{
		"Positions: 3 read = 1 active with a DPN + 1 active without a DPN + 1 end-dated, eliminated or deleted; 2 rows skipped by the loader (not in read).",
		"Placements: 5 read = 2 in scope + 1 vacant (RECRUIT - VACANCY) + 1 ended (out of scope) + 1 unreadable (bad or reversed dates); 1 row skipped by the loader (not in read).",
	}
	for i, k := range kinds {
		if got := k.line(); got != want[i] {
			t.Errorf("line\n  %q\nwant\n  %q", got, want[i])
		}
	}
	// A sum that is not the records read is said.
	bad := rowsKind{name: "People", read: 4, parts: []checks.RowCount{{Label: "kept", N: 1}, {Label: "not needed", N: 2}}}
	if got, want := bad.line(), "People: 4 read = 1 kept + 2 not needed (1 not accounted for)."; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
}

// The terminal, the JSON and the exception workbook's summary each show
// every category of both kinds.
func TestReconcileRowsShown(t *testing.T) {
	res := reconcileResult()
	res.Rows = fiveRows
	var table, js bytes.Buffer
	if err := reconcileTerm(&table, res, testMeta(), 0); err != nil {
		t.Fatal(err)
	}
	for _, k := range reconcileKinds(fiveRows) {
		if !strings.Contains(table.String(), "\n"+k.line()+"\n") {
			t.Errorf("terminal lacks %q:\n%s", k.line(), table.String())
		}
	}
	if err := ReconcileJSON(&js, res, testMeta()); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"rows": {`, `"in_scope": 2,`, `"vacancies": 1,`, `"ended": 1,`, `"unreadable": 1,`,
		`"active_without_dpn": 1,`, `"inactive": 1,`} {
		if !strings.Contains(js.String(), w) {
			t.Errorf("JSON lacks %s", w)
		}
	}
	f := openException(t, res)
	rows, err := f.GetRows(TabSummary)
	if err != nil {
		t.Fatal(err)
	}
	at := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Every row accounted for" })
	if at < 0 {
		t.Fatal("no table of rows on the summary tab")
	}
	want := [][]string{
		{"Input", "Rows", "Count"},
		{"Positions", "read", "3"},
		{"Positions", "active with a DPN", "1"},
		{"Positions", "active without a DPN", "1"},
		{"Positions", "end-dated, eliminated or deleted", "1"},
		{"Positions", "skipped by the loader (not in read)", "2"},
		{"Placements", "read", "5"},
		{"Placements", "in scope", "2"},
		{"Placements", "vacant (RECRUIT - VACANCY)", "1"},
		{"Placements", "ended (out of scope)", "1"},
		{"Placements", "unreadable (bad or reversed dates)", "1"},
		{"Placements", "skipped by the loader (not in read)", "1"},
	}
	for i, w := range want {
		if got := rows[at+1+i]; !slices.Equal(got, w) {
			t.Errorf("row %d = %q, want %q", at+2+i, got, w)
		}
	}
}

// The run shows the rows of its three inputs on the terminal and on the
// summary workbook's Run tab (the JSON is TestRunJSONGolden).
func TestRunRowsShown(t *testing.T) {
	r := runResult()
	var table bytes.Buffer
	if err := runTerm(&table, r, runMeta()); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"\nPositions: 9 read = 7 active with a DPN + 1 active without a DPN + 1 end-dated, eliminated or deleted; 1 row skipped by the loader (not in read).\n",
		"\nPlacements: 50 read = 44 in scope + 1 vacant (RECRUIT - VACANCY) + 3 ended (out of scope) + 2 unreadable (bad or reversed dates).\n",
		"\nPeople: 20 read = 3 kept as possible matches + 17 not needed.\n",
	} {
		if !strings.Contains(table.String(), w) {
			t.Errorf("terminal lacks %q:\n%s", w, table.String())
		}
	}
	f := openRunSummary(t, r)
	rows, err := f.GetRows(TabRunDetails)
	if err != nil {
		t.Fatal(err)
	}
	at := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Every row accounted for" })
	if at < 0 || at+15 > len(rows) {
		t.Fatalf("no table of rows on the %s tab: %q", TabRunDetails, rows)
	}
	for i, w := range [][]string{
		{"Input", "Rows", "Count"},
		{"Positions", "read", "9"},
		{"Positions", "active with a DPN", "7"},
		{"Positions", "active without a DPN", "1"},
		{"Positions", "end-dated, eliminated or deleted", "1"},
		{"Positions", "skipped by the loader (not in read)", "1"},
		{"Placements", "read", "50"},
		{"Placements", "in scope", "44"},
		{"Placements", "vacant (RECRUIT - VACANCY)", "1"},
		{"Placements", "ended (out of scope)", "3"},
		{"Placements", "unreadable (bad or reversed dates)", "2"},
		{"People", "read", "20"},
		{"People", "kept as possible matches", "3"},
		{"People", "not needed", "17"},
	} {
		if got := rows[at+1+i]; !slices.Equal(got, w) {
			t.Errorf("row %d = %q, want %q", at+2+i, got, w)
		}
	}
}

// A placement whose NPN is on more positions than it lists says how many:
// "and N more" in the workbook, position_count in the JSON (and only
// there).
func TestPlacementOnManyPositions(t *testing.T) {
	res := smallReconcile()
	pr := &res.Placements[0]
	pr.Match = reconcile.MatchMany
	pr.Positions = nil
	for i := range reconcile.MaxPositionRefs {
		pr.Positions = append(pr.Positions, reconcile.PositionRef{VPD: "504", PositionNumber: strconv.Itoa(20000 + i), DPN: "TBC"})
	}
	pr.PositionCount = 600
	var js bytes.Buffer
	if err := ReconcileJSON(&js, res, testMeta()); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(js.String(), `"position_count"`); n != 1 || !strings.Contains(js.String(), "],\n      \"position_count\": 600,\n      \"suggestions\": [") {
		t.Errorf("JSON has %d position_count:\n%s", n, js.String())
	}
	var back wholeDoc
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Placements[0].PositionCount != 600 || len(back.Placements[0].Positions) != reconcile.MaxPositionRefs {
		t.Errorf("read back %+v", back.Placements[0])
	}
	f := openException(t, res)
	rows, err := f.GetRows(TabPlacementCheck)
	if err != nil {
		t.Fatal(err)
	}
	want := "20000, 20001, 20002, 20003, 20004, 20005, 20006, 20007, 20008, 20009, and 590 more"
	if got := rows[1][13]; got != want {
		t.Errorf("ESR Position Number(s) = %q, want %q", got, want)
	}
}
