package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dpnkit/internal/iostreams"
	"dpnkit/internal/load"
	"dpnkit/internal/model"
)

func TestFilesSize(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	if err := os.WriteFile(a, make([]byte, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, make([]byte, 234), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := filesSize([]string{a}, []string{b, filepath.Join(dir, "missing.csv"), dir}); got != 1234 {
		t.Errorf("filesSize = %d, want 1234 (missing files and folders count 0)", got)
	}
}

func TestLoadMeterOff(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		s, _, errOut := iostreams.Test() // stderr not a terminal
		s.Quiet = quiet
		if quiet {
			s.ErrTTY = true // a terminal, but --quiet
		}
		bar, p := loadMeter(s, "positions", []string{"x.csv"})
		if bar != nil || p != nil {
			t.Errorf("quiet %v: bar %v, progress %v; want both nil", quiet, bar, p)
		}
		if nextLoad(bar, "placements", []string{"y.csv"}) != nil {
			t.Errorf("quiet %v: nextLoad on a nil bar gave a non-nil load.Progress", quiet)
		}
		bar.Phase("writing reports", 0)
		bar.Done()
		if errOut.Len() != 0 {
			t.Errorf("quiet %v: wrote %q to stderr", quiet, errOut.String())
		}
	}
}

func TestLoadMeterOnATerminal(t *testing.T) {
	s, out, errOut := iostreams.Test()
	s.ErrTTY = true
	file := filepath.Join("..", "..", "fixtures", "samples", "positions.DAT")
	bar, p := loadMeter(s, "positions", []string{file})
	if bar == nil || p == nil {
		t.Fatal("stderr a terminal: want a bar and a load.Progress")
	}
	_, err := load.Positions(context.Background(), []string{file}, load.Options{Progress: p}, func([]model.Position) {})
	bar.Done()
	if err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("the bar wrote %q to stdout", out.String())
	}
	// The load takes less than the 200 ms before the first redraw, so
	// usually nothing is drawn; if it was, Done erased it.
	if got := errOut.String(); got != "" && !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("stderr %q: the bar's line was not erased", got)
	}
}
