package iostreams

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProgressOnlyOnATerminalAndNotQuiet(t *testing.T) {
	tests := []struct {
		errTTY, quiet, want bool
	}{
		{errTTY: false, quiet: false, want: false}, // CI, a pipe, a file
		{errTTY: false, quiet: true, want: false},
		{errTTY: true, quiet: true, want: false}, // --quiet
		{errTTY: true, quiet: false, want: true},
	}
	for _, tt := range tests {
		s, _, errOut := Test()
		s.ErrTTY, s.Quiet = tt.errTTY, tt.quiet
		bar := s.Progress("positions", 100)
		if got := bar.Enabled(); got != tt.want {
			t.Errorf("ErrTTY %v Quiet %v: bar enabled %v, want %v", tt.errTTY, tt.quiet, got, tt.want)
		}
		bar.Add(50, 5)
		bar.Done()
		if !tt.want && errOut.Len() != 0 {
			t.Errorf("ErrTTY %v Quiet %v: disabled bar wrote %q", tt.errTTY, tt.quiet, errOut.String())
		}
	}
}

func TestTestStreamsAreNotTerminals(t *testing.T) {
	s, _, _ := Test()
	if s.OutTTY || s.ErrTTY || s.Quiet {
		t.Errorf("Test() streams: OutTTY %v ErrTTY %v Quiet %v, want all false", s.OutTTY, s.ErrTTY, s.Quiet)
	}
}

func TestWidth(t *testing.T) {
	size := func() (int, error) { return 132, nil }
	noSize := func() (int, error) { return 0, errors.New("not a terminal") }
	for _, tc := range []struct {
		columns string
		tty     bool
		size    func() (int, error)
		want    int
	}{
		{"100", false, noSize, 100}, // COLUMNS wins, terminal or not
		{"100", true, size, 100},
		{"", true, size, 132},
		{"wide", true, size, 132}, // not a number: ignored
		{"0", true, size, 132},
		{"", false, size, 0}, // a pipe: no limit
		{"", true, noSize, 0},
	} {
		if got := width(tc.columns, tc.tty, tc.size); got != tc.want {
			t.Errorf("width(%q, tty %v) = %d, want %d", tc.columns, tc.tty, got, tc.want)
		}
	}
}

func TestColorOn(t *testing.T) {
	for _, tc := range []struct {
		tty     bool
		noColor string
		term    string
		want    bool
	}{
		{true, "", "xterm-256color", true},
		{false, "", "xterm", false}, // a file or a pipe
		{true, "1", "xterm", false}, // NO_COLOR
		{true, "", "xterm", true},   // NO_COLOR empty (or unset): no-color.org says ignore it
		{true, "", "dumb", false},
	} {
		if got := colorOn(tc.tty, tc.noColor, tc.term); got != tc.want {
			t.Errorf("colorOn(%+v) = %v, want %v", tc, got, tc.want)
		}
	}
}

// Test is exported for the tests of other packages only: no program file
// of the module calls it.
func TestOnlyTestsCallTest(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("iostreams.Test(")) {
			t.Errorf("%s calls iostreams.Test, which is for tests only", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
