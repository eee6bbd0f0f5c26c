package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"dpnkit/internal/history"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/termtable"
)

// Runs lists the run history of db, oldest first, as a table or (format
// json) a JSON array.
func Runs(ctx context.Context, s *iostreams.Streams, db, format string) error {
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
	if format == FormatJSON {
		return runsJSON(s.Out, runs)
	}
	if len(runs) == 0 {
		fmt.Fprintf(s.Out, "%s holds no runs yet\n", db)
		return nil
	}
	t := termtable.New(s.Out, termtable.Numbers, "RUN", "AS OF", "FINISHED", "APP FILES", "APP RECORDS", "SUCCESS", "FAIL",
		"NOTIFICATIONS", "INPUTS").Fit(s.Width).Shrink().Transpose()
	for _, r := range runs {
		if err := t.Append(strconv.FormatInt(r.ID, 10), r.AsOf.Format("2006-01-02"), r.Finished.Format("2006-01-02 15:04"),
			strconv.Itoa(len(r.APPFiles)), strconv.Itoa(r.Counts.APPRecords), strconv.Itoa(r.Counts.Success),
			strconv.Itoa(r.Counts.Fail), strconv.Itoa(r.Notifications), strconv.Itoa(len(r.Inputs))); err != nil {
			return err
		}
	}
	return t.Render()
}

// runJSON is one run in `dpnkit runs --format json`.
type runJSON struct {
	Run           int64          `json:"run"`
	AsOf          string         `json:"as_of"`
	Started       time.Time      `json:"started"`
	Finished      time.Time      `json:"finished"`
	APPFiles      []string       `json:"app_files"`
	APCFiles      []string       `json:"apc_files"`
	APPRecords    int            `json:"app_records"`
	Success       int            `json:"success"`
	Fail          int            `json:"fail"`
	Notifications int            `json:"notifications"`
	Inputs        []runInputJSON `json:"inputs"`
}

type runInputJSON struct {
	Path     string `json:"path"`
	Checksum string `json:"checksum"`
	Rows     int    `json:"rows"`
}

// runsJSON writes runs as a JSON array ([] for none).
func runsJSON(w io.Writer, runs []history.Run) error {
	out := make([]runJSON, len(runs))
	for i, r := range runs {
		out[i] = runJSON{Run: r.ID, AsOf: r.AsOf.Format("2006-01-02"), Started: r.Started.UTC(), Finished: r.Finished.UTC(),
			APPFiles: nonNil(r.APPFiles), APCFiles: nonNil(r.APCFiles), APPRecords: r.Counts.APPRecords,
			Success: r.Counts.Success, Fail: r.Counts.Fail, Notifications: r.Notifications, Inputs: []runInputJSON{}}
		for _, in := range r.Inputs {
			out[i].Inputs = append(out[i].Inputs, runInputJSON{Path: in.Path, Checksum: in.Checksum, Rows: in.Rows})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
