package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"time"

	"dpnkit/internal/exchange"
)

// Run is one committed interface run.
type Run struct {
	ID                int64     // assigned by Begin, 1, 2, ...
	AsOf              time.Time // the as-of date
	Started, Finished time.Time // given by the caller; stored in UTC
	Inputs            []InputFile
	Counts            exchange.Counts // the run's totals
	APPFiles          []string        // names of the APP files written
	APCFiles          []string        // names of the APC files written
	Notifications     int             // DNC notifications emitted
}

// InputFile is one input of a run: its name as given, its checksum (the
// algorithm, a colon and the value: "crc32c:1a2b3c4d") and the rows read
// from it.
type InputFile struct {
	Path, Checksum string
	Rows           int
}

// Staged is a run written into its transaction but not committed: the
// interface run stages its state while it works out the rest and writes
// its files, and commits only once they are all written (or aborts). Until
// Commit or Abort the Store is not usable by any other goroutine.
type Staged struct {
	s            *Store
	ctx, lockCtx context.Context
	tx           *sql.Tx
	id           int64
	cur          exchange.State    // the state before this run
	curNotified  map[string]string // its notified rows as stored (nil = unknown)
	positions    int               // positions written by Positions; -1 = not yet
	tis          *exchange.TISSeen // written by TIS; nil = not yet
	tisStaged    bool
	next         exchange.State
	ended        bool
}

// Begin starts staging a run for asOf in the Store's transaction (the
// held lock's, else a new BEGIN IMMEDIATE): it checks that no run was
// committed since State was read and adds the run's row, to be completed
// by Finish. The positions of the new state may be written ahead
// (Positions). On error the transaction is rolled back and a held lock
// released; otherwise the caller must end the result with Commit or
// Abort, whatever happens between.
func (s *Store) Begin(ctx context.Context, asOf time.Time) (staged *Staged, err error) {
	s.mu.Lock()
	// A held lock is ended by this run's Commit or Abort, whatever the outcome.
	tx, lockCtx := s.held, s.heldCtx
	s.held, s.heldCtx = nil, nil
	defer func() {
		if err != nil {
			if tx != nil {
				_ = tx.Rollback()
			}
			s.mu.Unlock()
		}
	}()
	if asOf.IsZero() {
		return nil, errors.New("commit run: no as-of date")
	}
	fail := func(err error) (*Staged, error) {
		return nil, s.fail("commit run to", ctx, lockCtx, err)
	}
	if tx == nil {
		if tx, err = s.writeTx(ctx); err != nil {
			tx = nil
			return fail(err)
		}
	}
	last, err := lastRun(ctx, tx)
	if err != nil {
		return fail(err)
	}
	if s.base >= 0 && last != s.base {
		return nil, fmt.Errorf("commit run to %s: %w (run %d was committed after this run read the state; run again)",
			s.path, ErrConflict, last)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (as_of, started, finished, counts, app_files, apc_files, notifications)
		VALUES (?, '', '', '{}', '[]', '[]', 0)`, encodeTime(asOf))
	if err != nil {
		return fail(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fail(err)
	}
	s.step("run")
	// The state is what State read: the check above proved no run was
	// committed since. Without a State call, read it here.
	cur, curNotified := s.baseState, s.baseNotified
	if s.base < 0 && last != 0 {
		curNotified = map[string]string{}
		if cur, err = readState(ctx, tx, last, curNotified); err != nil {
			return fail(err)
		}
	}
	return &Staged{s: s, ctx: ctx, lockCtx: lockCtx, tx: tx, id: id, cur: cur, curNotified: curNotified, positions: -1}, nil
}

// Positions writes the positions of the run's next state before Finish
// (the interface run knows them long before the rest); Finish's
// next.Positions must then be this same map, unchanged. On error the
// staged run is rolled back, as by Abort.
func (st *Staged) Positions(positions map[string]*exchange.POR) error {
	if st.ended || st.positions >= 0 {
		return errors.New("commit run: positions staged twice or after the end")
	}
	if err := writePositions(st.ctx, st.tx, st.id, st.cur.Positions, positions); err != nil {
		return st.fail(err)
	}
	st.positions = len(positions)
	st.s.step("positions")
	return nil
}

// TIS writes what the run saw of TIS (the next state's TIS) before
// Finish, as Positions does the positions (the interface run knows it
// before the rest); Finish's next.TIS must then be this same one. On
// error the staged run is rolled back, as by Abort.
func (st *Staged) TIS(t *exchange.TISSeen) error {
	if st.ended || st.tisStaged {
		return errors.New("commit run: TIS staged twice or after the end")
	}
	if err := writeTIS(st.ctx, st.tx, st.id, st.cur.TIS, t); err != nil {
		return st.fail(err)
	}
	st.tis, st.tisStaged = t, true
	// The last TIS is not needed again (a later run on this Store
	// without it rewrites the seen tables whole): let it go, ~20 MB on a
	// national run, while the run works out the rest.
	st.cur.TIS, st.s.baseState.TIS = nil, nil
	st.s.step("tis")
	return nil
}

// Finish completes the staged run: its row, its inputs and the rest of
// its state (the positions and TIS too, unless Positions and TIS wrote
// them). On error the staged run is rolled back, as by Abort.
func (st *Staged) Finish(run Run, next exchange.State) error {
	if st.ended {
		return errors.New("commit run: already ended")
	}
	if st.positions >= 0 && st.positions != len(next.Positions) {
		return st.fail(fmt.Errorf("the run's positions changed after they were staged (%d, now %d)", st.positions, len(next.Positions)))
	}
	if st.tisStaged && st.tis != next.TIS {
		return st.fail(errors.New("the run's TIS changed after it was staged"))
	}
	counts, err := json.Marshal(run.Counts)
	if err != nil {
		return st.fail(fmt.Errorf("counts: %w", err))
	}
	appFiles, err := json.Marshal(run.APPFiles)
	if err != nil {
		return st.fail(fmt.Errorf("APP files: %w", err))
	}
	apcFiles, err := json.Marshal(run.APCFiles)
	if err != nil {
		return st.fail(fmt.Errorf("APC files: %w", err))
	}
	ctx, tx, s := st.ctx, st.tx, st.s
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET as_of = ?, started = ?, finished = ?, counts = ?, app_files = ?,
		apc_files = ?, notifications = ? WHERE id = ?`, encodeTime(run.AsOf), encodeTime(run.Started), encodeTime(run.Finished),
		string(counts), string(appFiles), string(apcFiles), run.Notifications, st.id); err != nil {
		return st.fail(err)
	}
	for i, in := range run.Inputs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO run_inputs (run_id, seq, path, checksum, rows) VALUES (?, ?, ?, ?, ?)",
			st.id, i, in.Path, in.Checksum, in.Rows); err != nil {
			return st.fail(err)
		}
	}
	s.step("inputs")
	if st.positions < 0 {
		if err := writePositions(ctx, tx, st.id, st.cur.Positions, next.Positions); err != nil {
			return st.fail(err)
		}
		s.step("positions")
	}
	if err := s.writeState(ctx, tx, st.id, st.cur, st.curNotified, next); err != nil {
		return st.fail(err)
	}
	if !st.tisStaged {
		if err := writeTIS(ctx, tx, st.id, st.cur.TIS, next.TIS); err != nil {
			return st.fail(err)
		}
		s.step("tis")
	}
	s.step("commit")
	st.next = next
	return nil
}

// fail rolls the staged run back and returns err as Commit would.
func (st *Staged) fail(err error) error {
	st.ended = true
	_ = st.tx.Rollback()
	st.s.mu.Unlock()
	return st.s.fail("commit run to", st.ctx, st.lockCtx, err)
}

// Commit commits the staged run and returns its id. If the stage's context
// has been cancelled meanwhile, it rolls back instead and the history is as
// before.
func (st *Staged) Commit() (int64, error) {
	if st.ended {
		return 0, errors.New("commit run: already ended")
	}
	st.ended = true
	s := st.s
	defer s.mu.Unlock()
	defer st.tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if err := st.ctx.Err(); err != nil {
		return 0, s.fail("commit run to", st.ctx, st.lockCtx, err)
	}
	if err := st.tx.Commit(); err != nil {
		return 0, s.fail("commit run to", st.ctx, st.lockCtx, err)
	}
	s.base, s.baseState, s.baseNotified = st.id, st.next, nil
	return st.id, nil
}

// Abort rolls the staged run back: the history is as before. It may be
// called after Commit (it then does nothing).
func (st *Staged) Abort() {
	if st == nil || st.ended {
		return
	}
	st.ended = true
	_ = st.tx.Rollback()
	st.s.mu.Unlock()
}

// LastAsOf returns the as-of date of the last committed run (the one with
// the highest id), and false when no run has been committed.
func (s *Store) LastAsOf(ctx context.Context) (time.Time, bool, error) {
	var asOf sql.NullString
	err := s.read(ctx, "read last run from", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT as_of FROM runs ORDER BY id DESC LIMIT 1").Scan(&asOf)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	t, err := decodeTime(asOf.String)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read last run from %s: %w", s.path, err)
	}
	return t, true, nil
}

// Runs lists the committed runs, oldest first.
func (s *Store) Runs(ctx context.Context) ([]Run, error) {
	var runs []Run
	err := s.read(ctx, "list runs in", func(tx *sql.Tx) error {
		var err error
		runs, err = readRuns(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return runs, nil
}

func readRuns(ctx context.Context, tx *sql.Tx) ([]Run, error) {
	var runs []Run
	byID := map[int64]int{}
	err := eachRow(ctx, tx, `SELECT id, as_of, started, finished, counts, app_files, apc_files, notifications
		FROM runs ORDER BY id`, func(r *sql.Rows) error {
		var run Run
		var asOf, started, finished, counts, appFiles, apcFiles string
		if err := r.Scan(&run.ID, &asOf, &started, &finished, &counts, &appFiles, &apcFiles, &run.Notifications); err != nil {
			return err
		}
		var err error
		if run.AsOf, err = decodeTime(asOf); err != nil {
			return fmt.Errorf("run %d as-of: %w", run.ID, err)
		}
		if run.Started, err = decodeTime(started); err != nil {
			return fmt.Errorf("run %d started: %w", run.ID, err)
		}
		if run.Finished, err = decodeTime(finished); err != nil {
			return fmt.Errorf("run %d finished: %w", run.ID, err)
		}
		if err := json.Unmarshal([]byte(counts), &run.Counts); err != nil {
			return fmt.Errorf("run %d counts: %w", run.ID, err)
		}
		if err := json.Unmarshal([]byte(appFiles), &run.APPFiles); err != nil {
			return fmt.Errorf("run %d APP files: %w", run.ID, err)
		}
		if err := json.Unmarshal([]byte(apcFiles), &run.APCFiles); err != nil {
			return fmt.Errorf("run %d APC files: %w", run.ID, err)
		}
		byID[run.ID] = len(runs)
		runs = append(runs, run)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, tx, "SELECT run_id, path, checksum, rows FROM run_inputs ORDER BY run_id, seq",
		func(r *sql.Rows) error {
			var id int64
			var in InputFile
			if err := r.Scan(&id, &in.Path, &in.Checksum, &in.Rows); err != nil {
				return err
			}
			if i, ok := byID[id]; ok {
				runs[i].Inputs = append(runs[i].Inputs, in)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return runs, nil
}
