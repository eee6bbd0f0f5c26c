package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"dpnkit/internal/iostreams"
)

var sampleDAT = filepath.Join("..", "..", "fixtures", "samples", "positions.DAT")

// runRoot runs the command line on s and fails the test on a usage error
// (findings are not one).
func runRoot(t *testing.T, s *iostreams.Streams, args ...string) {
	t.Helper()
	root := newRootCmd(s, cliConfig{})
	root.SetArgs(spreadFileFlags(args))
	err := root.ExecuteContext(context.Background())
	var u *usageError
	if errors.As(err, &u) || err != nil && isCobraUsage(err) {
		t.Fatalf("%q: usage error: %v", args, err)
	}
	if err != nil && !errors.Is(err, errFindings) {
		t.Fatalf("%q: %v", args, err)
	}
}

func TestQuietFlag(t *testing.T) {
	check := []string{"check", sampleDAT, "--as-of", "2026-11-25", "--fail-on", "none"}
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"rules"}, false},
		{[]string{"rules", "-q"}, true},
		{[]string{"rules", "--quiet"}, true},
		{[]string{"-q", "rules"}, true}, // a root flag before the command
		{append(check, "--format", "table"), false},
		{append(check, "--format", "json"), true}, // output for a program: no bar
		{append(check, "--format", "csv"), true},
		{append(check, "-q"), true},
	}
	for _, tt := range tests {
		s, _, _ := iostreams.Test()
		s.ErrTTY = true
		runRoot(t, s, tt.args...)
		if s.Quiet != tt.want {
			t.Errorf("%q: Quiet = %v, want %v", tt.args, s.Quiet, tt.want)
		}
	}
}

// TestGenFormatIsNotOutput checks gen's --format csv (the kind of file to
// make) does not count as machine-readable output.
func TestGenFormatIsNotOutput(t *testing.T) {
	s, _, _ := iostreams.Test()
	gen := newGenCmd(s)
	if err := gen.ParseFlags([]string{"--format", "csv"}); err != nil {
		t.Fatal(err)
	}
	quietForPrograms(gen, s)
	if s.Quiet {
		t.Error("gen --format csv set Quiet")
	}
}

// TestNoBarWithoutATerminal checks nothing of a bar (carriage return,
// escape sequence) reaches a stderr that is not a terminal, nor a terminal
// with --quiet.
func TestNoBarWithoutATerminal(t *testing.T) {
	for _, tty := range []bool{false, true} {
		s, out, errOut := iostreams.Test()
		s.ErrTTY = tty
		args := []string{"report", sampleDAT, "--as-of", "2026-11-25", "--fail-on", "none", "--out", t.TempDir()}
		if tty {
			args = append(args, "--quiet")
		}
		runRoot(t, s, args...)
		if out.Len() == 0 {
			t.Fatalf("tty %v: no output", tty)
		}
		if e := errOut.String(); strings.ContainsAny(e, "\r\x1b") {
			t.Errorf("tty %v: stderr has a progress bar: %q", tty, e)
		}
	}
}
