package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	"dpnkit/internal/hugepages"
	"dpnkit/internal/iostreams"
)

// Exit status, the one place it is decided (reports.md §4).
const (
	exitOK       = 0 // ran; no finding at or above --fail-on
	exitFindings = 1 // ran; findings at or above --fail-on (e.g. NOT READY for go-live)
	exitUsage    = 2 // usage error: bad flag, missing argument
	exitCannot   = 3 // could not run: unreadable or malformed input, missing column, output not writable
)

const exitStatusHelp = `Exit status:
  0  ran; no finding at or above --fail-on (default error)
  1  ran; findings at or above --fail-on (e.g. NOT READY for go-live)
  2  usage error: bad flag, missing argument
  3  could not run: unreadable or malformed input, missing column, output not writable`

// errFindings reports that the run worked and found what --fail-on names.
var errFindings = errors.New("findings at or above --fail-on")

// usageError is a mistake in how dpnkit was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// execute runs the command line and turns its outcome into an exit status.
func execute(args []string, s *iostreams.Streams) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root := newRootCmd(s)
	root.SetArgs(spreadFileFlags(args))
	err := root.ExecuteContext(ctx)
	code := exitCode(err)
	switch code {
	case exitUsage:
		fmt.Fprintf(s.Err, "dpnkit: %v\nRun 'dpnkit --help' for usage.\n", err)
	case exitCannot:
		fmt.Fprintf(s.Err, "dpnkit: %v\n", err)
	}
	return code
}

func exitCode(err error) int {
	var u *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.As(err, &u), isCobraUsage(err):
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
//     time; check adds a soft limit of 120 MiB, which returns freed memory
//     to the system sooner (resident 129 MiB every time instead of
//     134–158 MiB from run to run), also at no cost in time. The limit is
//     soft: a larger extract still runs, with more collections.
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
