package history

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
)

// A staged run is invisible until committed: aborting it, or cancelling its
// context before Commit, leaves the history exactly as before and the
// Store usable; committing it is the same as Commit.
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
			st, err := s.Stage(ctx, run(day(2026, 11, 25)), richState(25, "b"))
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
