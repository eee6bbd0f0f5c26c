package history

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/exchange"
)

func TestLockedRun(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	s := openT(t, path)
	if err := s.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(ctx); err == nil || !strings.Contains(err.Error(), "already holds the lock") {
		t.Errorf("second Lock on one Store: %v", err)
	}
	// Every read works inside the held transaction (one connection).
	if st := stateT(t, s); !reflect.DeepEqual(st, exchange.State{}) {
		t.Error("state of a new database is not zero")
	}
	if rs := runsT(t, s); len(rs) != 0 {
		t.Errorf("%d runs", len(rs))
	}
	integrityOK(t, s)
	if id := commitT(t, s, run(day(2026, 11, 25)), richState(5, "a")); id != 1 {
		t.Errorf("id %d", id)
	}
	// Commit ended the lock: another Store can take it at once.
	other, err := open(ctx, path, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Lock(ctx); err != nil {
		t.Fatalf("Lock after the holder committed: %v", err)
	}
	if d := stateDiff(stateT(t, other), richState(5, "a")); d != "" {
		t.Errorf("the next run's state: %s", d)
	}
	releaseLock(t, other)
}

func TestLockExcludesSecondRun(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	first := openT(t, path)
	if err := first.Lock(ctx); err != nil {
		t.Fatal(err)
	}

	// An impatient second run fails clearly at its Lock, and can still read.
	impatient, err := open(ctx, path, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer impatient.Close()
	err = impatient.Lock(ctx)
	if want := "database is busy: another dpnkit run is using " + path; !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), want) {
		t.Errorf("Lock while another run holds it: %v, want ErrBusy saying %q", err, want)
	}
	if st := stateT(t, impatient); !reflect.DeepEqual(st, exchange.State{}) {
		t.Error("a reader was blocked or saw something")
	}

	// A patient one waits and then works from the first run's state.
	patient := openT(t, path)
	got := make(chan exchange.State, 1)
	errc := make(chan error, 1)
	go func() {
		if err := patient.Lock(ctx); err != nil {
			errc <- err
			return
		}
		st, err := patient.State(ctx)
		if err != nil {
			errc <- err
			return
		}
		got <- st
		_, err = commitRun(ctx, patient, run(day(2026, 11, 26)), richState(2, "patient"))
		errc <- err
	}()
	stateT(t, first)
	commitT(t, first, run(day(2026, 11, 25)), richState(6, "first"))
	if err := <-errc; err != nil {
		t.Fatalf("patient run: %v", err)
	}
	if d := stateDiff(<-got, richState(6, "first")); d != "" {
		t.Errorf("the waiting run did not start from the first run's state: %s", d)
	}
	rs := runsT(t, first)
	if len(rs) != 2 || rs[1].AsOf != day(2026, 11, 26) {
		t.Errorf("runs: %+v", rs)
	}
}

func TestLockEndedWithoutCommit(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(t *testing.T, s *Store, cancel context.CancelFunc) // ends the lock somehow
		want string                                                  // what a Commit after says, "" if it succeeds
	}{
		{"unlock", func(t *testing.T, s *Store, _ context.CancelFunc) {
			releaseLock(t, s)
		}, ""},
		{"lock context cancelled", func(t *testing.T, s *Store, cancel context.CancelFunc) { cancel() },
			"the lock was released: context canceled"},
		{"refused commit", func(t *testing.T, s *Store, _ context.CancelFunc) {
			if _, err := commitRun(context.Background(), s, Run{}, exchange.State{}); err == nil {
				t.Fatal("commit without as-of accepted")
			}
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "dpnkit.db")
			s := openT(t, path)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := s.Lock(ctx); err != nil {
				t.Fatal(err)
			}
			stateT(t, s)
			tc.end(t, s, cancel)
			_, err := commitRun(context.Background(), s, run(day(2026, 11, 25)), richState(3, "a"))
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, context.Canceled) {
					t.Fatalf("Commit after the lock ended: %v, want %q", err, tc.want)
				}
				if rs := runsT(t, s); len(rs) != 0 {
					t.Errorf("%d runs committed", len(rs))
				}
			} else if err != nil {
				t.Fatalf("Commit after the lock ended: %v", err)
			}
			// Either way the lock is free for another run.
			other, err := open(context.Background(), path, 50*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			if err := other.Lock(context.Background()); err != nil {
				t.Fatalf("lock not released: %v", err)
			}
			releaseLock(t, other)
		})
	}
}

func TestCloseReleasesLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close while locked: %v", err)
	}
	other, err := open(context.Background(), path, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Lock(context.Background()); err != nil {
		t.Fatalf("lock not released by Close: %v", err)
	}
	if rs := runsT(t, other); len(rs) != 0 {
		t.Errorf("%d runs", len(rs))
	}
}
