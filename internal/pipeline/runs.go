package pipeline

import (
	"context"
	"fmt"
	"text/tabwriter"

	"dpnkit/internal/history"
	"dpnkit/internal/iostreams"
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
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tAS OF\tFINISHED\tAPP FILES\tAPP RECORDS\tSUCCESS\tFAIL\tNOTIFICATIONS\tINPUTS")
	for _, r := range runs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", r.ID, r.AsOf.Format("2006-01-02"),
			r.Finished.Format("2006-01-02 15:04"), len(r.APPFiles), r.Counts.APPRecords, r.Counts.Success,
			r.Counts.Fail, r.Notifications, len(r.Inputs))
	}
	return tw.Flush()
}
