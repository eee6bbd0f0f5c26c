package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"dpnkit/internal/iostreams"
)

func TestMain(m *testing.M) {
	if os.Getenv(pausedRunEnv) != "" { // a child of TestSignalStopsRun
		os.Exit(executeWith(os.Args[1:], iostreams.System(), cliConfig{runPause: pauseFromEnv()}))
	}
	testscript.Main(m, map[string]func(){
		"dpnkit": func() { os.Exit(execute(os.Args[1:], iostreams.System())) },
	})
}

// TestScripts runs the CLI scripts in testdata/script. Besides testscript's
// own commands they have:
//
//	status N PROG ARGS...   run PROG and fail unless it exits with status N
//	garbage FILE            write 4 KiB of binary garbage (NULs, high bytes) to FILE
//	empty DIR               fail unless DIR is missing or holds nothing, not
//	                        even a hidden temporary file
//	sums DIR FILE           write to FILE the SHA-256 and size of every file
//	                        under DIR, hidden ones too, one "sum size path" a
//	                        line, sorted by path (then cmp two such files)
//
// and $SAMPLES, the committed sample files in fixtures/samples.
func TestScripts(t *testing.T) {
	samples, err := filepath.Abs("../../fixtures/samples")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("SAMPLES", samples)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status":  cmdStatus,
			"garbage": cmdGarbage,
			"empty":   cmdEmpty,
			"sums":    cmdSums,
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N PROG ARGS...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("status: %v", err)
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

func cmdGarbage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: garbage FILE")
	}
	b := make([]byte, 4096)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o600))
}

func cmdEmpty(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: empty DIR")
	}
	entries, err := os.ReadDir(ts.MkAbs(args[0]))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		ts.Fatalf("empty: %v", err)
	}
	for _, e := range entries {
		ts.Logf("%s holds %s", args[0], e.Name())
	}
	if len(entries) > 0 {
		ts.Fatalf("%s is not empty", args[0])
	}
}

func cmdSums(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: sums DIR FILE")
	}
	root := ts.MkAbs(args[0])
	var lines []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		lines = append(lines, fmt.Sprintf("%x %d %s", sha256.Sum256(b), len(b), filepath.ToSlash(rel)))
		return nil
	})
	ts.Check(err)
	// WalkDir goes in lexical order: the lines are sorted by path.
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(strings.Join(lines, "\n")+"\n"), 0o600))
}

// The test binary acts as `dpnkit` that pauses its run at a stage
// (pipeline.RunOptions.Pause) when pausedRunEnv is set: it creates the
// file $DPNKIT_TEST_PAUSE_MARKER once there, and waits until the run's
// context is cancelled (by a signal).
const (
	pausedRunEnv = "DPNKIT_TEST_PAUSE_AT"
	pauseMarker  = "DPNKIT_TEST_PAUSE_MARKER"
)

func pauseFromEnv() func(ctx context.Context, stage string) {
	at, marker := os.Getenv(pausedRunEnv), os.Getenv(pauseMarker)
	return func(ctx context.Context, stage string) {
		if stage != at {
			return
		}
		if err := os.WriteFile(marker, []byte(stage), 0o600); err != nil {
			panic(err)
		}
		<-ctx.Done()
	}
}
