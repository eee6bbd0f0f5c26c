package history_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"dpnkit/internal/exchange"
	"dpnkit/internal/history"
)

// A run reads the state the last run left, works from it, and commits its
// record and the next state together. A dry run stops before Commit.
func Example() {
	dir, err := os.MkdirTemp("", "history")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := history.Open(ctx, filepath.Join(dir, "dpnkit.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()

	prev, err := store.State(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("first run:", prev.Sent == nil)

	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	next := exchange.State{
		Sent: map[string]exchange.SentApplicant{
			"P1": {PlacementID: "P1", Status: "SUCCESS", ApplicantNumber: "5000001", Start: asOf.AddDate(0, 0, 14)},
		},
		Sequences:           map[string]int{"KSS_APP": 1},
		NextApplicantNumber: 5000002,
	}
	run := history.Run{
		AsOf: asOf, Started: asOf.Add(9 * time.Hour), Finished: asOf.Add(9*time.Hour + time.Second),
		Inputs:   []history.InputFile{{Path: "positions.csv", Checksum: "crc32c:9f86d081", Rows: 120}},
		APPFiles: []string{"DE_KSS_APP_20261125_00000001"},
	}
	// The run stages its record and next state in one transaction and
	// commits it once its files are written (Abort, or a failed Finish,
	// leaves the history as it was).
	staged, err := store.Begin(ctx, run.AsOf)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := staged.Finish(run, next); err != nil {
		fmt.Println(err)
		return
	}
	id, err := staged.Commit()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("committed run", id)

	st, err := store.State(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sent:", st.Sent["P1"].ApplicantNumber, st.Sent["P1"].Start.Format("2006-01-02"), "next KSS APP:", st.Sequences["KSS_APP"]+1)
	runs, err := store.Runs(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range runs {
		fmt.Println(r.ID, r.AsOf.Format("2006-01-02"), r.Inputs[0].Path, r.APPFiles)
	}
	// Output:
	// first run: true
	// committed run 1
	// sent: 5000001 2026-12-09 next KSS APP: 2
	// 1 2026-11-25 positions.csv [DE_KSS_APP_20261125_00000001]
}
