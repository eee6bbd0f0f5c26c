package history

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"dpnkit/internal/exchange"
)

// childEnv makes the test binary act as a dpnkit run that is killed while
// committing (see TestKilledMidCommit).
const childEnv = "DPNKIT_HISTORY_TEST_CHILD_DB"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(childCommit(path))
	}
	os.Exit(m.Run())
}

// childCommit commits a large run with a small page cache, so that the
// transaction's pages spill into the WAL, and when half of the state is
// written reports "ready" on descriptor 3 and sleeps until killed.
func childCommit(path string) int {
	ready := os.NewFile(3, "ready")
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(ready, "error:", err)
		return 1
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA cache_size = 8"); err != nil {
		fmt.Fprintln(ready, "error:", err)
		return 1
	}
	if _, err := s.State(ctx); err != nil {
		fmt.Fprintln(ready, "error:", err)
		return 1
	}
	s.hook = func(step string) {
		if step == "sent" {
			fmt.Fprintln(ready, "ready")
			time.Sleep(time.Minute)
		}
	}
	_, err = commitRun(ctx, s, run(day(2026, 11, 26)), richState(3000, "child"))
	fmt.Fprintln(ready, "error: commit returned:", err)
	return 1
}

func TestKilledMidCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	s := openT(t, path)
	first := richState(50, "a")
	commitT(t, s, run(day(2026, 11, 25)), first)
	wantRuns := runsT(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("child: %q, %v", line, err)
	}
	// The child is inside the transaction, pages already in the WAL.
	wal, err := os.Stat(path + "-wal")
	if err != nil || wal.Size() == 0 {
		t.Errorf("the child's uncommitted pages did not reach the WAL (%v); the test proves less", err)
	}
	// Another process meanwhile reads the last committed state, and its
	// commit waits for the lock, then fails clearly.
	other, err := open(context.Background(), path, 50*time.Millisecond)
	if err != nil {
		t.Fatalf("open while another process commits: %v", err)
	}
	if got := stateT(t, other); !reflect.DeepEqual(got, first) {
		t.Error("a reader in another process did not see the last committed state")
	}
	_, err = commitRun(context.Background(), other, run(day(2026, 11, 26)), richState(2, "other"))
	if want := "database is busy: another dpnkit run is using " + path; !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), want) {
		t.Errorf("commit while another process holds the lock: %v, want ErrBusy saying %q", err, want)
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()

	s2 := openT(t, path)
	integrityOK(t, s2)
	if got := stateT(t, s2); !reflect.DeepEqual(got, first) {
		t.Error("state after the killed run is not the state before it")
	}
	if got := runsT(t, s2); !reflect.DeepEqual(got, wantRuns) {
		t.Errorf("runs after the killed run: %d, want %d", len(got), len(wantRuns))
	}
	// The next run behaves as if the killed one never happened.
	if id := commitT(t, s2, run(day(2026, 11, 26)), richState(5, "b")); id != 2 {
		t.Errorf("next run id %d, want 2", id)
	}
	integrityOK(t, s2)
}

// TestConcurrentStores commits from two Stores (two connections, as two
// processes would) on one file at once.
func TestConcurrentStores(t *testing.T) {
	for _, tc := range []struct {
		name      string
		readFirst bool // each reads State before committing, as a run does
	}{
		{"runs that read the state: one wins, the other is refused", true},
		{"blind commits: both succeed, one after the other", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "dpnkit.db")
			base := openT(t, path)
			commitT(t, base, run(day(2026, 11, 24)), richState(10, "base"))
			stores := []*Store{openT(t, path), openT(t, path)}
			states := []exchange.State{richState(200, "one"), richState(150, "two")}
			if tc.readFirst {
				for _, s := range stores {
					stateT(t, s)
				}
			}
			ids := make([]int64, 2)
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, s := range stores {
				wg.Go(func() {
					ids[i], errs[i] = commitRun(context.Background(), s, run(day(2026, 11, 25)), states[i])
				})
			}
			wg.Wait()

			var won []int
			for i, err := range errs {
				switch {
				case err == nil:
					won = append(won, i)
				case errors.Is(err, ErrConflict):
					if !strings.Contains(err.Error(), "run again") {
						t.Errorf("conflict error %q does not say what to do", err)
					}
				default:
					t.Errorf("store %d: unexpected error %v", i, err)
				}
			}
			wantWon := 2
			if tc.readFirst {
				wantWon = 1
			}
			if len(won) != wantWon {
				t.Fatalf("%d commits succeeded (%v), want %d", len(won), errs, wantWon)
			}
			// The last committed state is the state.
			last := won[0]
			for _, i := range won {
				if ids[i] > ids[last] {
					last = i
				}
			}
			if got := stateT(t, base); !reflect.DeepEqual(got, states[last]) {
				t.Error("state is not the last committed run's")
			}
			if rs := runsT(t, base); len(rs) != 1+wantWon {
				t.Errorf("%d runs, want %d", len(rs), 1+wantWon)
			}
			integrityOK(t, base)
		})
	}
}

// TestBusy holds the write lock in one Store mid-commit: another Store with
// a short busy timeout fails clearly; one with the default timeout waits
// and then commits.
func TestBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	holder := openT(t, path)
	entered, release := make(chan struct{}), make(chan struct{})
	holder.hook = func(step string) {
		if step == "positions" {
			close(entered)
			<-release
		}
	}
	holderErr := make(chan error, 1)
	go func() {
		_, err := commitRun(context.Background(), holder, run(day(2026, 11, 25)), richState(20, "holder"))
		holderErr <- err
	}()
	<-entered

	impatient, err := open(context.Background(), path, 50*time.Millisecond)
	if err != nil {
		t.Fatalf("open while another commits: %v", err)
	}
	defer impatient.Close()
	if st := stateT(t, impatient); !reflect.DeepEqual(st, exchange.State{}) {
		t.Error("a reader saw the uncommitted run")
	}
	_, err = commitRun(context.Background(), impatient, run(day(2026, 11, 25)), richState(3, "impatient"))
	want := "database is busy: another dpnkit run is using " + path
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), want) {
		t.Errorf("Commit while locked: %v, want ErrBusy saying %q", err, want)
	}

	patient := openT(t, path)
	patientErr := make(chan error, 1)
	go func() {
		_, err := commitRun(context.Background(), patient, run(day(2026, 11, 26)), richState(4, "patient"))
		patientErr <- err
	}()
	close(release)
	if err := <-holderErr; err != nil {
		t.Fatalf("holder: %v", err)
	}
	if err := <-patientErr; err != nil {
		t.Fatalf("patient commit: %v", err)
	}
	rs := runsT(t, patient)
	if len(rs) != 2 {
		t.Fatalf("%d runs, want 2", len(rs))
	}
	if got := stateT(t, patient); !reflect.DeepEqual(got, richState(4, "patient")) {
		t.Error("state is not the patient run's")
	}
	integrityOK(t, patient)
}
