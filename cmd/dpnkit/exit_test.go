package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"syscall"
	"testing"

	"dpnkit/internal/pipeline"
)

func TestSpreadFileFlags(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"reconcile", "--positions", "a.csv", "b.csv", "--placements", "p.csv", "q.csv", "--as-of", "2026-11-25"},
			[]string{"reconcile", "--positions", "a.csv", "--positions", "b.csv", "--placements", "p.csv", "--placements", "q.csv", "--as-of", "2026-11-25"}},
		{[]string{"reconcile", "--positions", "a.csv", "--placements", "p.csv"},
			[]string{"reconcile", "--positions", "a.csv", "--placements", "p.csv"}},
		{[]string{"check", "a.csv", "b.csv"}, []string{"check", "a.csv", "b.csv"}},
		{[]string{"reconcile", "--positions=a.csv", "b.csv"}, []string{"reconcile", "--positions=a.csv", "b.csv"}},
	} {
		if got := spreadFileFlags(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("spreadFileFlags(%q)\n got  %q\n want %q", c.in, got, c.want)
		}
	}
}

func TestExitCodes(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{fmt.Errorf("x: %w", errFindings), 1},
		{usagef("bad"), 2},
		{fmt.Errorf("run: %w", &pipeline.UsageError{Msg: "--as-of is before the last run"}), 2},
		{errors.New("cannot read"), 3},
	} {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
	// 128 + the signal's number, as a shell reports it.
	for sig, want := range map[os.Signal]int{os.Interrupt: 130, syscall.SIGTERM: 143, syscall.SIGHUP: 129} {
		if got := exitSignal(sig); got != want {
			t.Errorf("exitSignal(%v) = %d, want %d", sig, got, want)
		}
	}
}
