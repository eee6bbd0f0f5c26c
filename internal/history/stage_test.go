package history

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A staged run is invisible until committed: aborting it, or cancelling its
// context before Commit, leaves the history exactly as before and the
// Store usable; committing it is the same as committing at once.
func TestStageThenAbortOrCommit(t *testing.T) {
	for _, end := range []string{"abort", "cancel", "commit"} {
		t.Run(end, func(t *testing.T) {
			s := openT(t, filepath.Join(t.TempDir(), "dpnkit.db"))
			commitT(t, s, run(day(2026, 11, 24)), richState(20, "a"))
			beforeState, beforeRuns := stateT(t, s), runsT(t, s)
			if err := s.Lock(context.Background()); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			st, err := stageRun(ctx, s, run(day(2026, 11, 25)), richState(25, "b"))
			if err != nil {
				t.Fatal(err)
			}
			// Another reader does not see the staged run.
			other := openT(t, s.Path())
			if got := runsT(t, other); len(got) != len(beforeRuns) {
				t.Fatalf("a reader sees %d runs while one is staged, want %d", len(got), len(beforeRuns))
			}
			switch end {
			case "abort":
				st.Abort()
				st.Abort() // twice is harmless
			case "cancel":
				cancel()
				if _, err := st.Commit(); !errors.Is(err, context.Canceled) {
					t.Fatalf("Commit after cancel: %v, want context.Canceled", err)
				}
			case "commit":
				id, err := st.Commit()
				if err != nil || id != 2 {
					t.Fatalf("Commit = %d, %v; want 2", id, err)
				}
				st.Abort() // after Commit: nothing
				if got := stateT(t, s); !reflect.DeepEqual(got, richState(25, "b")) {
					t.Error("committed state is wrong")
				}
				return
			}
			if got := stateT(t, s); !reflect.DeepEqual(got, beforeState) {
				t.Error("state changed by a run that was not committed")
			}
			if got := runsT(t, s); !reflect.DeepEqual(got, beforeRuns) {
				t.Errorf("runs changed by a run that was not committed: %d", len(got))
			}
			integrityOK(t, s)
			if id := commitT(t, s, run(day(2026, 11, 26)), richState(4, "c")); id != 2 {
				t.Errorf("next run id %d, want 2", id)
			}
		})
	}
}

// Positions written ahead of Finish end as Commit would leave them: the
// same state and the same run row, over a changed state too (a second run
// rewriting, adding and removing positions).
func TestStagePositionsAhead(t *testing.T) {
	ctx := context.Background()
	for _, ahead := range []bool{false, true} {
		s := openT(t, filepath.Join(t.TempDir(), "dpnkit.db"))
		stateT(t, s)
		commitT(t, s, run(day(2026, 11, 25)), richState(5, "a"))
		stateT(t, s)
		next := richState(7, "b")
		delete(next.Positions, "D1")
		st, err := s.Begin(ctx, day(2026, 11, 26))
		if err != nil {
			t.Fatal(err)
		}
		if ahead {
			if err := st.Positions(next.Positions); err != nil {
				t.Fatal(err)
			}
		}
		r := run(day(2026, 11, 26))
		if err := st.Finish(r, next); err != nil {
			t.Fatal(err)
		}
		id, err := st.Commit()
		if err != nil || id != 2 {
			t.Fatalf("Commit = %d, %v; want run 2", id, err)
		}
		s.Close()
		s = openT(t, s.path)
		if got := stateT(t, s); !reflect.DeepEqual(got, next) {
			t.Errorf("ahead=%v: state read back differs from the state committed", ahead)
		}
		runs := runsT(t, s)
		r.ID = 2
		if len(runs) != 2 || !reflect.DeepEqual(runs[1], r) {
			t.Errorf("ahead=%v: run row = %+v, want %+v", ahead, runs[len(runs)-1], r)
		}
		integrityOK(t, s)
	}
}

// A run staged ahead and then abandoned (its exchange failed, its files
// could not be written) leaves the history as it was, and the Store
// usable.
func TestStageAheadAborted(t *testing.T) {
	ctx := context.Background()
	s := openT(t, filepath.Join(t.TempDir(), "dpnkit.db"))
	stateT(t, s)
	first := richState(3, "a")
	commitT(t, s, run(day(2026, 11, 25)), first)
	stateT(t, s)
	st, err := s.Begin(ctx, day(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Positions(richState(4, "b").Positions); err != nil {
		t.Fatal(err)
	}
	st.Abort()
	if got := stateT(t, s); !reflect.DeepEqual(got, first) {
		t.Error("an aborted stage changed the state")
	}
	if runs := runsT(t, s); len(runs) != 1 {
		t.Errorf("an aborted stage left %d runs, want 1", len(runs))
	}
	// Finish given other positions than were staged: refused, rolled back.
	st, err = s.Begin(ctx, day(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Positions(richState(4, "b").Positions); err != nil {
		t.Fatal(err)
	}
	if err := st.Finish(run(day(2026, 11, 26)), richState(6, "b")); err == nil || !strings.Contains(err.Error(), "changed after they were staged") {
		t.Errorf("Finish with other positions: %v", err)
	}
	if _, err := st.Commit(); err == nil {
		t.Error("a stage that failed could still be committed")
	}
	if got := stateT(t, s); !reflect.DeepEqual(got, first) {
		t.Error("a failed stage changed the state")
	}
	commitT(t, s, run(day(2026, 11, 26)), richState(2, "c")) // the Store is still usable
	integrityOK(t, s)
}
