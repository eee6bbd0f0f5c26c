package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"dpnkit/internal/exchange"
	"dpnkit/internal/history"
	"dpnkit/internal/model"
)

// openRunHistory opens the run history db for a run and checks, before
// the run writes anything, that the run may go on it: a real run takes the
// write lock for its whole length (a second run on the same database waits,
// then works from this one's state) and so proves the history writable; an
// as-of date before the last run's is refused without opts.Force. A dry run
// without a database opens nothing (nil: a first run) and creates nothing.
func openRunHistory(ctx context.Context, notes io.Writer, db string, opts RunOptions) (*history.Store, error) {
	if _, err := os.Stat(db); opts.DryRun && errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	store, err := history.Open(ctx, db)
	if err != nil {
		return nil, err
	}
	if err := checkRunHistory(ctx, notes, store, opts); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

func checkRunHistory(ctx context.Context, notes io.Writer, store *history.Store, opts RunOptions) error {
	if !opts.DryRun {
		if err := store.Lock(ctx); err != nil {
			return err
		}
	}
	last, ok, err := store.LastAsOf(ctx)
	if err != nil || !ok || !opts.AsOf.Before(last) {
		return err
	}
	asOf, lastDay := opts.AsOf.Format("2006-01-02"), last.Format("2006-01-02")
	if !opts.Force {
		return &UsageError{fmt.Sprintf("--as-of %s is before the last run in %s (as of %s): its files would be worked "+
			"out against a later state, and a real run would leave that state behind; give --force to run it anyway",
			asOf, store.Path(), lastDay)}
	}
	fmt.Fprintf(notes, "note: --force: as-of %s is before the last run in %s (as of %s)\n", asOf, store.Path(), lastDay)
	return nil
}

// historyStage is a run's state being staged in the history's open
// transaction, on a goroutine of its own: the plan's positions and TIS as
// soon as the plan has them (the exchange's last steps run on one core
// and leave the other to SQLite, which otherwise stands alone on the
// run's critical path at the end), then the rest while the files are
// written (the files' fsyncs wait on the disk). A nil *historyStage (a
// dry run) stages nothing.
type historyStage struct {
	done   chan struct{} // closed once staged or err is set
	staged *history.Staged
	err    error
}

// stage begins staging the plan's state, unless the run is a dry run.
// The run pauses (RunOptions.Pause) at "positions staged" once they are.
func (j *runJob) stage(ctx context.Context, plan *exchange.Plan) *historyStage {
	if j.opts.DryRun {
		return nil
	}
	st := &historyStage{done: make(chan struct{})}
	go func() {
		defer close(st.done)
		staged, err := j.store.Begin(ctx, j.opts.AsOf)
		if err == nil {
			err = staged.Positions(plan.Positions) // on error it has rolled back
		}
		if err == nil {
			err = staged.TIS(plan.TIS) // likewise
		}
		if err != nil {
			st.err = err
			return
		}
		st.staged = staged
		j.opts.pause(ctx, "positions staged")
	}()
	return st
}

// finish stages the rest of the run's state, on the stage's goroutine
// once the plan's is staged; the channel gives the outcome.
func (st *historyStage) finish(run history.Run, next exchange.State) <-chan error {
	ch := make(chan error, 1)
	if st == nil {
		ch <- nil
		return ch
	}
	go func() {
		<-st.done
		if st.err == nil {
			st.err = st.staged.Finish(run, next)
		}
		ch <- st.err
	}()
	return ch
}

// commit commits the staged state (finish's must have succeeded).
func (st *historyStage) commit() error {
	if st == nil {
		return nil
	}
	_, err := st.staged.Commit()
	return err
}

// abort rolls back a stage not committed: the history is as before.
func (st *historyStage) abort() {
	if st == nil {
		return
	}
	<-st.done
	st.staged.Abort()
}

// historyRun is the run's row in the history: its times, inputs, counts
// and interface files.
func (j *runJob) historyRun(started time.Time, res *exchange.Result, inputs ...[]model.Input) history.Run {
	run := history.Run{AsOf: j.opts.AsOf, Started: started, Finished: time.Now().UTC(),
		Inputs: runInputs(inputs...), Counts: res.Totals, Notifications: len(res.Notifications)}
	for _, f := range res.APPFiles {
		run.APPFiles = append(run.APPFiles, f.Name)
	}
	for _, f := range res.APCFiles {
		run.APCFiles = append(run.APCFiles, f.Name)
	}
	return run
}

// runInputs lists a run's input files with the checksums the loader made
// while reading them.
func runInputs(groups ...[]model.Input) []history.InputFile {
	var out []history.InputFile
	for _, g := range groups {
		for _, in := range g {
			out = append(out, history.InputFile{Path: filepath.Clean(in.Path), Checksum: in.Checksum, Rows: in.Rows})
		}
	}
	return out
}
