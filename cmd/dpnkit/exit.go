package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"

	"dpnkit/internal/hugepages"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
)

// Exit status, the one place it is decided (reports.md §4).
const (
	exitOK       = 0 // ran; no finding at or above --fail-on
	exitFindings = 1 // ran; findings at or above --fail-on (e.g. NOT READY for go-live)
	exitUsage    = 2 // usage error: bad flag, missing argument
	exitCannot   = 3 // could not run: unreadable or malformed input, missing column, output not writable
)

// A job stopped by a signal exits 128 + the signal's number, as a shell
// reports a process the signal killed: the scheduler that sent it sees
// the job stopped, not failed on its input. Temporary files are removed
// and the run history is left as it was (a signal after a run's commit is
// too late to stop it: the run then finishes normally).
const exitSignalBase = 128

// stopSignals stop a job cleanly: Ctrl-C, and what schedulers and closing
// terminals send.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

const exitStatusHelp = `Exit status:
  0  ran; no finding at or above --fail-on (default error)
  1  ran; findings at or above --fail-on (e.g. NOT READY for go-live)
  2  usage error: bad flag, missing argument, run --as-of before the last run without --force
  3  could not run: unreadable or malformed input, missing column, output not writable
  130  stopped by Ctrl-C (SIGINT); 143 by SIGTERM; 129 by SIGHUP: no file kept, history unchanged`

// errFindings reports that the run worked and found what --fail-on names.
var errFindings = errors.New("findings at or above --fail-on")

// usageError is a mistake in how dpnkit was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// cliConfig is what a test may change in how the commands run.
type cliConfig struct {
	// runPause is pipeline.RunOptions.Pause for `dpnkit run`.
	runPause func(ctx context.Context, stage string)
	// profile is the hidden --cpuprofile flag's (profile.go); executeWith
	// makes it.
	profile *cpuProfile
}

// execute runs the command line and turns its outcome into an exit status.
func execute(args []string, s *iostreams.Streams) int {
	return executeWith(args, s, cliConfig{})
}

func executeWith(args []string, s *iostreams.Streams, cfg cliConfig) int {
	ctx, received, stop := notifyStop(context.Background())
	defer stop()
	cfg.profile = &cpuProfile{}
	root := newRootCmd(s, cfg)
	root.SetArgs(spreadFileFlags(args))
	cmd, err := root.ExecuteContextC(ctx)
	if perr := cfg.profile.stop(); perr != nil {
		fmt.Fprintf(s.Err, "dpnkit: %v\n", perr) // the command's own outcome stands
	}
	code := exitCode(err)
	if sig := received(); sig != nil && err != nil && code != exitFindings {
		fmt.Fprintf(s.Err, "dpnkit: stopped by %s: %v\n", signalName(sig), err)
		return exitSignal(sig)
	}
	switch code {
	case exitUsage:
		fmt.Fprintf(s.Err, "dpnkit: %v\n%s\n", err, helpPointer(cmd))
	case exitCannot:
		fmt.Fprintf(s.Err, "dpnkit: %v\n", err)
	}
	return code
}

// notifyStop returns a context cancelled by the first of stopSignals, and
// received, which tells that signal (nil before one). Further signals are
// caught and ignored while the job cleans up.
func notifyStop(parent context.Context) (ctx context.Context, received func() os.Signal, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	var got atomic.Value
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			got.Store(sig)
			cancel(fmt.Errorf("stopped by %s", signalName(sig)))
		case <-done:
		}
	}()
	received = func() os.Signal {
		sig, _ := got.Load().(os.Signal)
		return sig
	}
	return ctx, received, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT (Ctrl-C)"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return sig.String()
}

func exitSignal(sig os.Signal) int {
	if n, ok := sig.(syscall.Signal); ok {
		return exitSignalBase + int(n)
	}
	return exitCannot
}

func exitCode(err error) int {
	var u *usageError
	var pu *pipeline.UsageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.As(err, &u), errors.As(err, &pu), isCobraUsage(err):
		return exitUsage
	default:
		return exitCannot
	}
}

// fileListFlags take several files after one flag, as in
// `--positions a.csv b.csv --placements p.csv` (what a shell glob gives).
var fileListFlags = map[string]bool{"--positions": true, "--placements": true, "--people": true}

// spreadFileFlags rewrites "--positions a b" as "--positions a --positions b"
// so cobra's repeated-flag parsing sees every file.
func spreadFileFlags(args []string) []string {
	out := make([]string, 0, len(args))
	flag := ""
	for _, a := range args {
		switch {
		case a == "--":
			flag = ""
		case fileListFlags[a]:
			flag = a
			out = append(out, a)
			continue
		case strings.HasPrefix(a, "-"):
			flag = ""
		case flag != "" && out[len(out)-1] != flag:
			out = append(out, flag)
		}
		out = append(out, a)
	}
	return out
}

// tuneGC sets the garbage collector for a job, unless the user set GOGC or
// GOMEMLIMIT. Measured with make bench on national data:
//   - check and report stream: little stays live (the DPN-carrying
//     positions, the findings: ~75 MB for a national check) while every
//     input block is allocated and dropped. 50% headroom instead of Go's
//     100% keeps a national check near 150 MiB at no measurable cost in
//     time; check adds a soft limit of 85 MiB, which returns freed memory
//     to the system sooner: with the scan path (count-only rows never
//     built) a national check stays at 96-97 MiB resident instead of
//     110-112 MiB under 120 MiB, 0.6-0.75 s of CPU either way (two
//     alternated pairs each). The limit is soft: the 200,000-positions-
//     sharing-one-DPN check (~190 MiB live) still runs, in 2.7-5.1 s
//     against 2.7-2.9 s.
//   - reconcile keeps ~150k placements live: 50% headroom costs it 20% in
//     time, so it keeps Go's 100% with a soft limit of 225 MiB (resident
//     ~233 MiB; 240 MiB let it reach 247 MiB, too near its 250 MiB target;
//     the same time within the machine's noise).
//   - run holds 150–250 MB live from the end of its loads on (positions,
//     placements, the kept people and the exchange's results) and grows
//     to that while loading. A soft limit of 440 MiB keeps the national
//     run near 460 MiB resident (50% headroom alone let it reach 600
//     MiB); under the limit, 200% headroom instead of 100% spares the
//     collections of the loads (about eight cycles, each with write barriers
//     on while it marks), and past them the limit sets the pace anyway.
//     Measured 2026-12-06, alternated two-day national runs, 10 each: day
//     1 3.32 -> 2.80 s median, CPU 5.93 -> 4.96 s; day 2 3.10 -> 3.09 s;
//     peak resident ~460 MiB either way. 150% and 300% measured the same as
//     200% within the machine's noise; a lower limit (380 or 340 MiB) cost
//     0.5 s of CPU a day.
//
// The heap a job expects to use (its soft limit) is backed by huge pages
// where the system allows it (see internal/hugepages): national check,
// reconcile and run 16–28% faster, resident size within 8 MiB of before.
func tuneGC(percent int, softLimit int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(percent)
	}
	if softLimit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softLimit)
	}
	if softLimit > 0 {
		// Refused advice leaves the job as it was: nothing to report.
		_ = hugepages.Prepare(softLimit)
	}
}
