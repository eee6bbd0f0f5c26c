package pipeline

import (
	"context"
	"fmt"
	"strconv"

	"dpnkit/internal/history"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/termtable"
)

// Runs lists the run history of db, oldest first.
func Runs(ctx context.Context, s *iostreams.Streams, db string) error {
	if db == "" {
		db = "dpnkit.db"
	}
	store, err := history.Open(ctx, db)
	if err != nil {
		return err
	}
	defer store.Close()
	runs, err := store.Runs(ctx)
	if err != nil {
		return fmt.Errorf("read run history %s: %w", db, err)
	}
	if len(runs) == 0 {
		fmt.Fprintf(s.Out, "%s holds no runs yet\n", db)
		return nil
	}
	t := termtable.New(s.Out, termtable.Numbers, "RUN", "AS OF", "FINISHED", "APP FILES", "APP RECORDS", "SUCCESS", "FAIL",
		"NOTIFICATIONS", "INPUTS")
	for _, r := range runs {
		if err := t.Append(strconv.FormatInt(r.ID, 10), r.AsOf.Format("2006-01-02"), r.Finished.Format("2006-01-02 15:04"),
			strconv.Itoa(len(r.APPFiles)), strconv.Itoa(r.Counts.APPRecords), strconv.Itoa(r.Counts.Success),
			strconv.Itoa(r.Counts.Fail), strconv.Itoa(r.Notifications), strconv.Itoa(len(r.Inputs))); err != nil {
			return err
		}
	}
	return t.Render()
}
